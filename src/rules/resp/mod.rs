//! Integration responses: status codes, patterns, and what proxies drop.

pub mod proxy_request_response_ignored;
pub mod proxy_status_codes;
pub mod status_code_key_invalid;
pub mod status_code_settings_null;
pub mod status_code_without_pattern;
pub mod status_codes_several_defaults;
pub mod status_codes_without_default;
