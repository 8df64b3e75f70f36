//! The `integration` type and what each type requires.

pub mod connection_id_missing;
pub mod connection_type_invalid;
pub mod http_integration_without_uri;
pub mod integration_invalid;
pub mod integration_spelling_noncanonical;
pub mod integration_without_status_codes;
pub mod mock_request_parameters;
