//! Integration requests: pass-through, templates, parameters, schemas.

pub mod lambda_unsupported_media_type;
pub mod pass_through_invalid;
pub mod request_parameter_without_required;
pub mod request_schema_singular;
pub mod request_template_not_mapping;
