//! The one list of rules. A rule not listed here does not run.

use super::Rule;
use super::{async_, auth, cors, dep, int, key, path, req, resp, shape, stage};

/// Every rule, in code order.
pub static RULES: &[&dyn Rule] = &[
    &async_::async_without_integration::AsyncWithoutIntegration,
    &async_::async_with_proxy_integration::AsyncWithProxyIntegration,
    &async_::async_on_http_or_mock::AsyncOnHttpOrMock,
    &async_::async_on_old_framework::AsyncOnOldFramework,
    &async_::async_value_not_boolean::AsyncValueNotBoolean,
    &async_::async_default_status_200::AsyncDefaultStatus200,
    &async_::async_without_failure_destination::AsyncWithoutFailureDestination,
    &auth::authorizer_function_undefined::AuthorizerFunctionUndefined,
    &auth::authorizer_without_name_or_arn::AuthorizerWithoutNameOrArn,
    &cors::cors_origin_and_origins::CorsOriginAndOrigins,
    &cors::cors_multiple_origins_non_proxy::CorsMultipleOriginsNonProxy,
    &cors::cors_credentials_wildcard_origin::CorsCredentialsWildcardOrigin,
    &cors::cors_on_proxy::CorsOnProxy,
    &dep::AuthorizerDropsPermissionDependency,
    &int::integration_invalid::IntegrationInvalid,
    &int::integration_spelling_noncanonical::IntegrationSpellingNoncanonical,
    &int::http_integration_without_uri::HttpIntegrationWithoutUri,
    &int::integration_without_status_codes::IntegrationWithoutStatusCodes,
    &int::mock_request_parameters::MockRequestParameters,
    &int::connection_id_missing::ConnectionIdMissing,
    &int::connection_type_invalid::ConnectionTypeInvalid,
    &key::HttpKeyUnknown,
    &path::path_logical_id_collision::PathLogicalIdCollision,
    &path::route_duplicate::RouteDuplicate,
    &path::shorthand_malformed::ShorthandMalformed,
    &path::method_invalid::MethodInvalid,
    &req::pass_through_invalid::PassThroughInvalid,
    &req::request_template_not_mapping::RequestTemplateNotMapping,
    &req::lambda_unsupported_media_type::LambdaUnsupportedMediaType,
    &req::request_parameter_without_required::RequestParameterWithoutRequired,
    &req::request_schema_singular::RequestSchemaSingular,
    &resp::status_code_without_pattern::StatusCodeWithoutPattern,
    &resp::status_codes_several_defaults::StatusCodesSeveralDefaults,
    &resp::status_codes_without_default::StatusCodesWithoutDefault,
    &resp::status_code_key_invalid::StatusCodeKeyInvalid,
    &resp::proxy_request_response_ignored::ProxyRequestResponseIgnored,
    &resp::proxy_status_codes::ProxyStatusCodes,
    &resp::status_code_settings_null::StatusCodeSettingsNull,
    &shape::http_event_missing_path::HttpEventMissingPath,
    &shape::http_event_missing_method::HttpEventMissingMethod,
    &stage::StageNameInvalid,
];

/// Look a rule up by code, code prefix-free name, or kebab name.
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| {
        let m = r.meta();
        m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name
    })
}
