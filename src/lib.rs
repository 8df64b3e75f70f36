//! slsasync: lint, rewrite and render the `http` events of Serverless Framework configs.
pub mod model;
pub mod source;
