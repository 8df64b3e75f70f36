//! The typed view of a serverless config that later stages read.

pub mod framework;
pub mod service;
pub mod version;

pub use framework::Framework;
pub use service::{
    HttpEvent, closest, function_names, functions_with_http, http_events, unresolved_inputs,
};
pub use version::{Target, target_for_range};
