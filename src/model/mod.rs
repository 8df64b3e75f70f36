//! The typed view of a serverless config that later stages read.

pub mod framework;

pub use framework::Framework;
