//! The shape the framework needs before anything else: an http event it can read.

pub mod http_event_missing_method;
pub mod http_event_missing_path;
