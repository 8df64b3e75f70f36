//! CORS settings and what the framework does with them.

pub mod cors_credentials_wildcard_origin;
pub mod cors_multiple_origins_non_proxy;
pub mod cors_on_proxy;
pub mod cors_origin_and_origins;

use crate::model::HttpEvent;
use crate::rules::util::get;
use crate::source::Map;

/// `cors` of the object form when it is a mapping.
pub fn cors_map<'a>(ev: &HttpEvent<'a>) -> Option<&'a Map> {
    get(ev, "cors").and_then(|c| c.as_map())
}
