//! `async` invocation: what the key really does, per integration and version.

pub mod async_default_status_200;
pub mod async_on_http_or_mock;
pub mod async_on_old_framework;
pub mod async_value_not_boolean;
pub mod async_with_proxy_integration;
pub mod async_without_failure_destination;
pub mod async_without_integration;
