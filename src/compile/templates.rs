//! The default request mapping templates of the `lambda` (AWS) integration
//! (`method/integration.js`, spec Appendix A), unchanged from 1.48.3 to
//! 3.40.0. `extraCognitoPoolClaims` is replaced later by the method step.

use std::collections::HashMap;
use std::rc::Rc;

const DEFAULT_COMMON_TEMPLATE: &str = concat!(
    "\n",
    "  #define( $loop )\n",
    "    {\n",
    "    #foreach($key in $map.keySet())\n",
    "        #set( $k = $util.escapeJavaScript($key) )\n",
    "        #set( $v = $util.escapeJavaScript($map.get($key)).replaceAll(\"\\\\'\", \"'\") )\n",
    "        \"$k\":\n",
    "          \"$v\"\n",
    "          #if( $foreach.hasNext ) , #end\n",
    "    #end\n",
    "    }\n",
    "  #end\n",
    "\n",
    "  {\n",
    "    \"body\": $body,\n",
    "    \"method\": \"$context.httpMethod\",\n",
    "    \"principalId\": \"$context.authorizer.principalId\",\n",
    "    \"stage\": \"$context.stage\",\n",
    "\n",
    "    \"cognitoPoolClaims\" : {\n",
    "       extraCognitoPoolClaims\n",
    "       \"sub\": \"$context.authorizer.claims.sub\"\n",
    "    },\n",
    "\n",
    "    #set( $map = $context.authorizer )\n",
    "    \"enhancedAuthContext\": $loop,\n",
    "\n",
    "    #set( $map = $input.params().header )\n",
    "    \"headers\": $loop,\n",
    "\n",
    "    #set( $map = $input.params().querystring )\n",
    "    \"query\": $loop,\n",
    "\n",
    "    #set( $map = $input.params().path )\n",
    "    \"path\": $loop,\n",
    "\n",
    "    #set( $map = $context.identity )\n",
    "    \"identity\": $loop,\n",
    "\n",
    "    #set( $map = $stageVariables )\n",
    "    \"stageVariables\": $loop,\n",
    "\n",
    "    \"requestPath\": \"$context.resourcePath\"\n",
    "  }\n",
);

const JSON_HEAD: &str = "\n    #set( $body = $input.json(\"$\") )\n\n    ";

const FORM_HEAD: &str = concat!(
    "\n",
    "    #define( $body )\n",
    "      {\n",
    "      #foreach( $token in $input.path('$').split('&') )\n",
    "        #set( $keyVal = $token.split('=') )\n",
    "        #set( $keyValSize = $keyVal.size() )\n",
    "        #if( $keyValSize >= 1 )\n",
    "          #set( $key = $util.escapeJavaScript($util.urlDecode($keyVal[0])) )\n",
    "          #if( $keyValSize >= 2 )\n",
    "            #set($val = $util.escapeJavaScript($util.urlDecode($keyVal[1])).replaceAll(\"\\\\'\",\"'\"))\n",
    "          #else\n",
    "            #set( $val = '' )\n",
    "          #end\n",
    "          \"$key\": \"$val\"#if($foreach.hasNext),#end\n",
    "        #end\n",
    "      #end\n",
    "      }\n",
    "    #end\n",
    "\n",
    "    ",
);

const TAIL: &str = "\n  ";

/// `DEFAULT_JSON_REQUEST_TEMPLATE` (with the claims placeholder).
pub(crate) fn default_json_request_template() -> String {
    format!("{JSON_HEAD}{DEFAULT_COMMON_TEMPLATE}{TAIL}")
}

/// `DEFAULT_FORM_URL_ENCODED_REQUEST_TEMPLATE` (with the claims placeholder).
pub(crate) fn default_form_url_encoded_request_template() -> String {
    format!("{FORM_HEAD}{DEFAULT_COMMON_TEMPLATE}{TAIL}")
}

/// The default templates, made once per compilation, and every template
/// with its claims placeholder filled in, made once per (template, claims):
/// a service of a thousand methods repeats the same few kilobytes of text a
/// thousand times, as one shared string.
pub(crate) struct Shared {
    pub(crate) json: Rc<str>,
    pub(crate) form: Rc<str>,
    /// Keyed by the template's address and the claims.
    filled: HashMap<(*const u8, String), Filled>,
}

struct Filled {
    /// Keeps the template alive, so its address is not reused while the
    /// entry exists.
    _template: Rc<str>,
    text: Rc<str>,
}

impl Default for Shared {
    fn default() -> Self {
        Self {
            json: default_json_request_template().into(),
            form: default_form_url_encoded_request_template().into(),
            filled: HashMap::new(),
        }
    }
}

impl Shared {
    /// `template.replace('extraCognitoPoolClaims', claims)`.
    pub(crate) fn fill_claims(&mut self, template: &Rc<str>, claims: &str) -> Rc<str> {
        let key = (template.as_ptr(), claims.to_owned());
        if let Some(filled) = self.filled.get(&key) {
            return filled.text.clone();
        }
        let filled: Rc<str> =
            super::js::replace_first(template, "extraCognitoPoolClaims", claims).into();
        self.filled.insert(
            key,
            Filled {
                _template: template.clone(),
                text: filled.clone(),
            },
        );
        filled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_have_the_documented_lengths() {
        let json = default_json_request_template();
        let form = default_form_url_encoded_request_template();
        // Appendix A: 1011 / 1543 characters once the placeholder
        // (22 characters) is replaced by the empty string.
        assert_eq!(
            json.replacen("extraCognitoPoolClaims", "", 1)
                .chars()
                .count(),
            1011
        );
        assert_eq!(
            form.replacen("extraCognitoPoolClaims", "", 1)
                .chars()
                .count(),
            1543
        );
        assert_eq!(json.matches("extraCognitoPoolClaims").count(), 1);
        assert!(json.contains("replaceAll(\"\\\\'\", \"'\")"));
        assert!(json.ends_with("  }\n\n  "));
    }

    #[test]
    fn filled_templates_are_shared_per_template_and_claims() {
        let mut shared = Shared::default();
        let json = shared.json.clone();
        let a = shared.fill_claims(&json, "");
        let b = shared.fill_claims(&json, "");
        assert!(Rc::ptr_eq(&a, &b));
        assert_eq!(&*a, json.replacen("extraCognitoPoolClaims", "", 1));
        let c = shared.fill_claims(&json, "\"x\": 1,");
        assert!(!Rc::ptr_eq(&a, &c));
        assert!(c.contains("\"x\": 1,"));
        // Equal text at another address is its own entry, with the same result.
        let copy: Rc<str> = json.to_string().into();
        assert_eq!(shared.fill_claims(&copy, ""), a);
    }
}
