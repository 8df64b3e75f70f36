//! `lib/method/responses.js`: the method's `MethodResponses`.

use super::integration::response_headers;
use crate::compile::js::{Jv, Obj, ObjRef, arr, empty_obj, obj, s};
use crate::compile::merge::merge;
use crate::compile::{CompileError, Ctx};
use crate::model::Framework;

/// `getMethodResponseHeaders`: every header name → `true`.
fn method_response_headers(headers: &Jv) -> Result<Jv, CompileError> {
    Ok(Jv::Obj(ObjRef::new(Obj::from_pairs(
        headers
            .object_keys()?
            .into_iter()
            .map(|h| (format!("method.response.header.{h}"), Jv::Bool(true))),
    ))))
}

impl Ctx<'_> {
    pub(crate) fn get_method_responses(&self, http: &Jv) -> Result<Jv, CompileError> {
        let mut out = Vec::new();
        let integration = http.get("integration");
        let kind = integration.as_str().unwrap_or("");
        let response = http.get("response");
        if matches!(kind, "AWS" | "HTTP" | "MOCK") && response.truthy() {
            let headers = response_headers(http);
            let status_codes = response.get("statusCodes");
            let entries = match self.fw {
                Framework::V1 => status_codes.lodash_entries(),
                _ => status_codes.object_entries()?,
            };
            for (status_code, config) in entries {
                let parameters = empty_obj();
                merge(&parameters, &method_response_headers(&headers)?);
                let code_headers = config.read("headers")?;
                if code_headers.truthy() {
                    merge(&parameters, &method_response_headers(&code_headers)?);
                }
                out.push(obj([
                    ("ResponseParameters", parameters),
                    ("ResponseModels", empty_obj()),
                    ("StatusCode", s(status_code)),
                ]));
            }
        }
        Ok(obj([("Properties", obj([("MethodResponses", arr(out))]))]))
    }
}
