//! slsasync: lint, rewrite and render the `http` events of Serverless Framework configs.
//!
//! Pipeline: [`source`] (bytes → span-keeping nodes) → [`vars`] (static `${...}`
//! resolution) → [`model`] (framework release, functions, http events) →
//! [`compile`] (CloudFormation, mirroring the framework's compile files).
//! [`commands`] runs the stages for each subcommand and [`report`] prints.
pub mod cli;
pub mod commands;
pub mod compile;
pub mod diag;
pub mod edit;
pub mod lint;
pub mod load;
pub mod model;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod vars;
