//! The 2.x/3.x configuration schema validation, as far as it touches the
//! `http` events and the provider settings the compiler reads.
//!
//! It matters for the output, not just for messages: the framework runs
//! ajv with `coerceTypes: 'array'` on the config *before* compiling, so
//! `async: 'false'` becomes `false`, `path: 2020` becomes `'2020'`,
//! `cors.headers: X-Foo` becomes `['X-Foo']`, `http: 5` becomes `'5'`, and
//! every `null` member is moved to the end of its object (the validator
//! deletes nulls and puts them back). Then the findings are normalised
//! (`normalize-ajv-errors.js`) and either printed as one warning
//! (`configValidationMode: warn`, the default) or thrown
//! (`configValidationMode: error`).
//!
//! [`Sch`] is the subset of JSON Schema the framework's http schema uses;
//! the evaluation follows ajv 8's keyword order and coercion rules.

use super::js::{Jv, ObjRef, arr};
use super::{CompileError, Warning};
use crate::model::Framework;
use crate::source::{Loc, Node};

// ---- schema ------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ty {
    String,
    Boolean,
    Integer,
    Object,
    Array,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::String => "string",
            Ty::Boolean => "boolean",
            Ty::Integer => "integer",
            Ty::Object => "object",
            Ty::Array => "array",
        }
    }
}

/// Patterns of the `pattern` keyword and of the framework's `regexp` keyword.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Pat {
    /// `^(?:\*|(GET|...|ANY) (\/\S*))$` with `i`
    MethodPath,
    /// `^(?:\*|GET|...|ANY)$` with `i`
    Method,
    /// `^(?:\*|\/?\S*)$`
    Path,
    /// `^<word>$` with `i` (`caseInsensitive` in the framework)
    Ci(&'static str),
    /// `^\d{3}$`
    StatusCode,
    /// `^arn:`
    Arn,
    /// `^\S+\/\S+$`
    MediaType,
}

const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE", "ANY",
];

/// JavaScript `\s`.
fn js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{b}'
            | '\u{c}'
            | '\r'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    ) || ('\u{2000}'..='\u{200a}').contains(&c)
}

fn no_space(t: &str) -> bool {
    !t.chars().any(js_space)
}

fn is_method(t: &str) -> bool {
    t == "*" || METHODS.iter().any(|m| m.eq_ignore_ascii_case(t))
}

impl Pat {
    fn matches(self, t: &str) -> bool {
        match self {
            Pat::MethodPath => {
                if t == "*" {
                    return true;
                }
                match t.split_once(' ') {
                    Some((m, p)) => m != "*" && is_method(m) && p.starts_with('/') && no_space(p),
                    None => false,
                }
            }
            Pat::Method => is_method(t),
            Pat::Path => t == "*" || no_space(t),
            Pat::Ci(word) => t.eq_ignore_ascii_case(word),
            Pat::StatusCode => t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()),
            Pat::Arn => t.starts_with("arn:"),
            Pat::MediaType => match t.split_once('/') {
                // `\S+` is greedy, so any `/` with non-space text around it will do.
                Some(_) => {
                    no_space(t)
                        && t.find('/').is_some_and(|i| i > 0)
                        && t.rfind('/').is_some_and(|i| i + 1 < t.len())
                }
                None => false,
            },
        }
    }

    /// The text messages show: `RegExp.prototype.toString()` for `regexp`,
    /// the source for `pattern`.
    fn display(self) -> String {
        match self {
            Pat::MethodPath => {
                "/^(?:\\*|(GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE|ANY) (\\/\\S*))$/i".to_owned()
            }
            Pat::Method => "/^(?:\\*|GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE|ANY)$/i".to_owned(),
            Pat::Path => "/^(?:\\*|\\/?\\S*)$/".to_owned(),
            Pat::Ci(word) => format!("/^{word}$/i"),
            Pat::StatusCode => "^\\d{3}$".to_owned(),
            Pat::Arn => "^arn:".to_owned(),
            Pat::MediaType => "^\\S+\\/\\S+$".to_owned(),
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Sch {
    ty: Option<Ty>,
    enum_: Option<Vec<&'static str>>,
    any_of: Vec<Sch>,
    maximum: Option<f64>,
    minimum: Option<f64>,
    min_length: Option<usize>,
    pattern: Option<Pat>,
    regexp: Option<Pat>,
    max_items: Option<usize>,
    min_items: Option<usize>,
    items: Option<Box<Sch>>,
    /// `items: [a, b]` with `additionalItems: false`
    tuple: Option<Vec<Sch>>,
    required: Vec<&'static str>,
    property_names: Option<Box<Sch>>,
    /// `None`: any; `Some(None)`: `false`; `Some(Some(s))`: a schema.
    additional: Option<Option<Box<Sch>>>,
    properties: Vec<(&'static str, Sch)>,
}

fn ty(t: Ty) -> Sch {
    Sch {
        ty: Some(t),
        ..Sch::default()
    }
}

fn any_of(branches: Vec<Sch>) -> Sch {
    Sch {
        any_of: branches,
        ..Sch::default()
    }
}

fn regexp(p: Pat) -> Sch {
    Sch {
        ty: Some(Ty::String),
        regexp: Some(p),
        ..Sch::default()
    }
}

fn ci(word: &'static str) -> Sch {
    regexp(Pat::Ci(word))
}

fn object(properties: Vec<(&'static str, Sch)>, closed: bool) -> Sch {
    Sch {
        ty: Some(Ty::Object),
        properties,
        additional: if closed { Some(None) } else { None },
        ..Sch::default()
    }
}

fn map_of(values: Sch) -> Sch {
    Sch {
        ty: Some(Ty::Object),
        additional: Some(Some(Box::new(values))),
        ..Sch::default()
    }
}

fn array_of(items: Sch) -> Sch {
    Sch {
        ty: Some(Ty::Array),
        items: Some(Box::new(items)),
        ..Sch::default()
    }
}

fn string_enum(values: &[&'static str]) -> Sch {
    Sch {
        enum_: Some(values.to_vec()),
        ..Sch::default()
    }
}

fn aws_cf_function() -> Sch {
    let single = |key: &'static str, value: Sch, required: bool| Sch {
        ty: Some(Ty::Object),
        properties: vec![(key, value)],
        required: if required { vec![key] } else { Vec::new() },
        additional: if required { Some(None) } else { None },
        ..Sch::default()
    };
    let string_items = |n: usize| Sch {
        ty: Some(Ty::Array),
        min_items: Some(n),
        max_items: Some(n),
        items: Some(Box::new(Sch {
            ty: Some(Ty::String),
            min_length: Some(1),
            ..Sch::default()
        })),
        ..Sch::default()
    };
    let join = Sch {
        ty: Some(Ty::Array),
        min_items: Some(2),
        max_items: Some(2),
        tuple: Some(vec![ty(Ty::String), ty(Ty::Array)]),
        ..Sch::default()
    };
    let reference = Sch {
        ty: Some(Ty::String),
        min_length: Some(1),
        ..Sch::default()
    };
    any_of(vec![
        single("Fn::ImportValue", Sch::default(), true),
        single("Fn::Join", join, true),
        single("Fn::GetAtt", string_items(2), true),
        single("Ref", reference, true),
        single("Fn::Sub", Sch::default(), true),
        single("Fn::Base64", Sch::default(), false),
        single(
            "Fn::ToJsonString",
            any_of(vec![ty(Ty::Object), ty(Ty::Array)]),
            true,
        ),
    ])
}

fn aws_cf_instruction() -> Sch {
    any_of(vec![
        Sch {
            ty: Some(Ty::String),
            min_length: Some(1),
            ..Sch::default()
        },
        aws_cf_function(),
    ])
}

fn aws_arn() -> Sch {
    any_of(vec![
        Sch {
            ty: Some(Ty::String),
            pattern: Some(Pat::Arn),
            ..Sch::default()
        },
        aws_cf_function(),
    ])
}

const CONTENT_HANDLING: [&str; 2] = ["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"];

/// The `http` event schema of `api-gateway/index.js` (2.x: `apiGateway/index.js`).
fn http_schema(fw: Framework) -> Sch {
    let request_parameters = map_of(any_of(vec![
        ty(Ty::Boolean),
        object(
            vec![
                ("required", ty(Ty::Boolean)),
                ("mappedValue", aws_cf_instruction()),
            ],
            true,
        ),
    ]));
    let scopes_item = match fw {
        // 3.x: scopes may be CloudFormation instructions
        Framework::V3 | Framework::Osls => any_of(vec![ty(Ty::String), aws_cf_instruction()]),
        _ => ty(Ty::String),
    };
    let authorizer = any_of(vec![
        ty(Ty::String),
        object(
            vec![
                ("arn", aws_arn()),
                ("authorizerId", aws_cf_instruction()),
                ("claims", array_of(ty(Ty::String))),
                ("identitySource", ty(Ty::String)),
                ("identityValidationExpression", ty(Ty::String)),
                ("managedExternally", ty(Ty::Boolean)),
                ("name", ty(Ty::String)),
                (
                    "resultTtlInSeconds",
                    Sch {
                        ty: Some(Ty::Integer),
                        minimum: Some(0.0),
                        maximum: Some(3600.0),
                        ..Sch::default()
                    },
                ),
                ("scopes", array_of(scopes_item)),
                (
                    "type",
                    any_of(
                        [
                            "token",
                            "cognito_user_pools",
                            "request",
                            "aws_iam",
                            "custom",
                        ]
                        .into_iter()
                        .map(ci)
                        .collect(),
                    ),
                ),
            ],
            true,
        ),
    ]);
    let cors = any_of(vec![
        ty(Ty::Boolean),
        object(
            vec![
                ("allowCredentials", ty(Ty::Boolean)),
                ("cacheControl", ty(Ty::String)),
                ("headers", array_of(ty(Ty::String))),
                (
                    "maxAge",
                    Sch {
                        ty: Some(Ty::Integer),
                        minimum: Some(1.0),
                        ..Sch::default()
                    },
                ),
                ("methods", array_of(string_enum(&METHODS))),
                ("origin", ty(Ty::String)),
                ("origins", array_of(ty(Ty::String))),
            ],
            true,
        ),
    ]);
    let schemas = map_of(any_of(vec![ty(Ty::Object), ty(Ty::String)]));
    let mut request_props = vec![
        ("contentHandling", string_enum(&CONTENT_HANDLING)),
        ("method", regexp(Pat::Method)),
        (
            "parameters",
            object(
                vec![
                    ("querystrings", request_parameters.clone()),
                    ("headers", request_parameters.clone()),
                    ("paths", request_parameters),
                ],
                true,
            ),
        ),
        (
            "passThrough",
            string_enum(&["NEVER", "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES"]),
        ),
    ];
    if fw == Framework::V2 {
        // removed in 3.0.0
        request_props.push(("schema", schemas.clone()));
    }
    request_props.push(("schemas", schemas));
    request_props.push(("template", map_of(ty(Ty::String))));
    request_props.push(("uri", aws_cf_instruction()));
    let request = object(request_props, true);

    let headers = map_of(ty(Ty::String));
    let status_codes = Sch {
        ty: Some(Ty::Object),
        property_names: Some(Box::new(Sch {
            ty: Some(Ty::String),
            pattern: Some(Pat::StatusCode),
            ..Sch::default()
        })),
        additional: Some(Some(Box::new(object(
            vec![
                ("headers", headers.clone()),
                ("pattern", ty(Ty::String)),
                (
                    "template",
                    any_of(vec![ty(Ty::String), map_of(ty(Ty::String))]),
                ),
            ],
            true,
        )))),
        ..Sch::default()
    };
    let response = object(
        vec![
            ("contentHandling", string_enum(&CONTENT_HANDLING)),
            ("headers", headers),
            ("template", ty(Ty::String)),
            ("statusCodes", status_codes),
        ],
        true,
    );

    let integrations = [
        "LAMBDA_PROXY",
        "LAMBDA-PROXY",
        "LAMBDA",
        "AWS",
        "AWS_PROXY",
        "AWS-PROXY",
        "HTTP",
        "HTTP_PROXY",
        "HTTP-PROXY",
        "MOCK",
    ];
    let mut event = object(
        vec![
            ("async", ty(Ty::Boolean)),
            ("authorizer", authorizer),
            ("connectionId", aws_cf_instruction()),
            (
                "connectionType",
                any_of(vec![ci("vpc-link"), ci("VPC_LINK")]),
            ),
            ("cors", cors),
            (
                "integration",
                any_of(integrations.into_iter().map(ci).collect()),
            ),
            ("method", regexp(Pat::Method)),
            ("operationId", ty(Ty::String)),
            ("path", regexp(Pat::Path)),
            ("private", ty(Ty::Boolean)),
            ("request", request),
            ("response", response),
        ],
        true,
    );
    event.required = vec!["path", "method"];
    any_of(vec![regexp(Pat::MethodPath), event])
}

/// The `provider.apiGateway` settings the compiler reads (coercion only matters here).
fn api_gateway_schema() -> Sch {
    object(
        vec![
            (
                "binaryMediaTypes",
                array_of(Sch {
                    ty: Some(Ty::String),
                    pattern: Some(Pat::MediaType),
                    ..Sch::default()
                }),
            ),
            ("description", ty(Ty::String)),
            ("disableDefaultEndpoint", ty(Ty::Boolean)),
            (
                "minimumCompressionSize",
                Sch {
                    ty: Some(Ty::Integer),
                    minimum: Some(0.0),
                    maximum: Some(10_485_760.0),
                    ..Sch::default()
                },
            ),
            ("restApiId", aws_cf_instruction()),
            ("restApiRootResourceId", aws_cf_instruction()),
            ("shouldStartNameWithService", ty(Ty::Boolean)),
            ("stage", ty(Ty::String)),
        ],
        false,
    )
}

// ---- evaluation (ajv 8) ----------------------------------------------------

#[derive(Clone, Debug)]
struct AjvError {
    instance_path: String,
    schema_path: String,
    keyword: &'static str,
    message: String,
    /// `params.additionalProperty` / `params.allowedValues`.
    additional_property: Option<String>,
    allowed_values: Option<Vec<&'static str>>,
    /// The value that failed (`error.data`).
    data: Jv,
    /// `parentSchema.type` (or `"const"`) for the anyOf filter.
    parent_type: Option<&'static str>,
    /// `error.schema` for `regexp`.
    schema_text: String,
    /// Set by the anyOf filter.
    common_type: Option<&'static str>,
    deleted: bool,
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn type_ok(t: Ty, v: &Jv) -> bool {
    match t {
        Ty::String => matches!(v, Jv::Str(_)),
        Ty::Boolean => matches!(v, Jv::Bool(_)),
        Ty::Integer => matches!(v, Jv::Num(n) if n.is_finite() && n.fract() == 0.0),
        Ty::Object => matches!(v, Jv::Obj(_)),
        Ty::Array => matches!(v, Jv::Arr(_)),
    }
}

/// JavaScript `+x` for a string (`None` unless `x == +x` holds for a non-empty string).
fn numeric_string(t: &str) -> Option<f64> {
    if t.is_empty() {
        return None;
    }
    let trimmed = t.trim_matches(js_space);
    let n = if trimmed.is_empty() {
        0.0
    } else if let Some(hex) = trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16).ok()? as f64
    } else if trimmed == "Infinity" || trimmed == "+Infinity" {
        f64::INFINITY
    } else if trimmed == "-Infinity" {
        f64::NEG_INFINITY
    } else {
        if trimmed
            .contains(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')))
        {
            return None;
        }
        trimmed.parse().ok()?
    };
    Some(n)
}

/// ajv's `coerceData` (with `coerceTypes: 'array'`): the coerced value, if any.
fn coerce(t: Ty, v: &Jv) -> Option<Jv> {
    // A one-element array is unwrapped first.
    if let Jv::Arr(items) = v {
        if items.len() == 1 {
            let inner = items.first()?;
            if type_ok(t, &inner) {
                return Some(inner);
            }
            return coerce_scalar(t, &inner);
        }
        return None;
    }
    coerce_scalar(t, v)
}

fn coerce_scalar(t: Ty, v: &Jv) -> Option<Jv> {
    match t {
        Ty::String => match v {
            Jv::Num(_) | Jv::Bool(_) => Some(Jv::Str(v.to_js_string().into())),
            Jv::Null => Some(Jv::Str("".into())),
            _ => None,
        },
        Ty::Integer => {
            let n = match v {
                Jv::Bool(b) => Some(f64::from(u8::from(*b))),
                Jv::Null => Some(0.0),
                Jv::Str(text) => numeric_string(text),
                _ => None,
            }?;
            if t == Ty::Integer && n.fract() != 0.0 {
                return None;
            }
            Some(Jv::Num(n))
        }
        Ty::Boolean => match v {
            Jv::Str(t) if &**t == "false" => Some(Jv::Bool(false)),
            Jv::Str(t) if &**t == "true" => Some(Jv::Bool(true)),
            Jv::Num(n) if *n == 0.0 => Some(Jv::Bool(false)),
            Jv::Num(n) if *n == 1.0 => Some(Jv::Bool(true)),
            Jv::Null => Some(Jv::Bool(false)),
            _ => None,
        },
        Ty::Array => match v {
            Jv::Str(_) | Jv::Num(_) | Jv::Bool(_) | Jv::Null => Some(arr(vec![v.clone()])),
            _ => None,
        },
        Ty::Object => None,
    }
}

struct Ctx<'e> {
    errors: &'e mut Vec<AjvError>,
}

impl Ctx<'_> {
    fn push(
        &mut self,
        ip: &str,
        sp: &str,
        keyword: &'static str,
        message: String,
        data: &Jv,
        parent: &Sch,
    ) {
        self.push_with(ip, sp, keyword, message, data, parent, |_| {});
    }

    #[allow(clippy::too_many_arguments)]
    fn push_with(
        &mut self,
        ip: &str,
        sp: &str,
        keyword: &'static str,
        message: String,
        data: &Jv,
        parent: &Sch,
        extra: impl FnOnce(&mut AjvError),
    ) {
        let mut e = AjvError {
            instance_path: ip.to_owned(),
            schema_path: format!("{sp}/{keyword}"),
            keyword,
            message,
            additional_property: None,
            allowed_values: None,
            data: data.clone(),
            parent_type: parent.ty.map(Ty::name),
            schema_text: String::new(),
            common_type: None,
            deleted: false,
        };
        extra(&mut e);
        self.errors.push(e);
    }

    /// Validate (and coerce) `data` against `sch`; `true` when valid.
    fn validate(&mut self, sch: &Sch, data: &mut Jv, ip: &str, sp: &str) -> bool {
        let before = self.errors.len();
        if let Some(t) = sch.ty
            && !type_ok(t, data)
        {
            match coerce(t, data) {
                Some(c) if type_ok(t, &c) => *data = c,
                _ => {
                    self.push(ip, sp, "type", format!("must be {}", t.name()), data, sch);
                }
            }
        }

        // untyped keywords: enum, anyOf
        if let Some(values) = &sch.enum_ {
            let ok = matches!(data, Jv::Str(t) if values.contains(&&**t));
            if !ok {
                let allowed = values.clone();
                self.push_with(
                    ip,
                    sp,
                    "enum",
                    "must be equal to one of the allowed values".to_owned(),
                    data,
                    sch,
                    |e| e.allowed_values = Some(allowed),
                );
            }
        }
        if !sch.any_of.is_empty() {
            let start = self.errors.len();
            let mut valid = false;
            for (i, branch) in sch.any_of.iter().enumerate() {
                if self.validate(branch, data, ip, &format!("{sp}/anyOf/{i}")) {
                    valid = true;
                    break;
                }
            }
            if valid {
                self.errors.truncate(start);
            } else {
                self.push(
                    ip,
                    sp,
                    "anyOf",
                    "must match a schema in anyOf".to_owned(),
                    data,
                    sch,
                );
            }
        }

        // number keywords
        if let Jv::Num(n) = data {
            let n = *n;
            if let Some(max) = sch.maximum
                && n > max
            {
                self.push(ip, sp, "maximum", format!("must be <= {max}"), data, sch);
            }
            if let Some(min) = sch.minimum
                && n < min
            {
                self.push(ip, sp, "minimum", format!("must be >= {min}"), data, sch);
            }
        }

        // string keywords
        if let Jv::Str(t) = data {
            let t = t.clone();
            if let Some(min) = sch.min_length
                && t.chars().count() < min
            {
                let s = if min == 1 { "" } else { "s" };
                self.push(
                    ip,
                    sp,
                    "minLength",
                    format!("must NOT have fewer than {min} character{s}"),
                    data,
                    sch,
                );
            }
            if let Some(p) = sch.pattern
                && !p.matches(&t)
            {
                self.push(
                    ip,
                    sp,
                    "pattern",
                    format!("must match pattern \"{}\"", p.display()),
                    data,
                    sch,
                );
            }
            if let Some(p) = sch.regexp
                && !p.matches(&t)
            {
                let text = p.display();
                self.push_with(
                    ip,
                    sp,
                    "regexp",
                    "must match \"regexp\" keyword".to_owned(),
                    data,
                    sch,
                    |e| e.schema_text = text,
                );
            }
        }

        // array keywords
        if let Jv::Arr(items) = data.clone() {
            let len = items.len();
            if let Some(max) = sch.max_items
                && len > max
            {
                let s = if max == 1 { "" } else { "s" };
                self.push(
                    ip,
                    sp,
                    "maxItems",
                    format!("must NOT have more than {max} item{s}"),
                    data,
                    sch,
                );
            }
            if let Some(min) = sch.min_items
                && len < min
            {
                let s = if min == 1 { "" } else { "s" };
                self.push(
                    ip,
                    sp,
                    "minItems",
                    format!("must NOT have fewer than {min} item{s}"),
                    data,
                    sch,
                );
            }
            if let Some(tuple) = &sch.tuple
                && len > tuple.len()
            {
                self.push(
                    ip,
                    sp,
                    "additionalItems",
                    format!("must NOT have more than {} items", tuple.len()),
                    data,
                    sch,
                );
            }
            if let Some(tuple) = &sch.tuple {
                for (i, s) in tuple.iter().enumerate() {
                    if let Some(mut item) = items.get(i) {
                        self.validate(
                            s,
                            &mut item,
                            &format!("{ip}/{i}"),
                            &format!("{sp}/items/{i}"),
                        );
                        items.set(i, item);
                    }
                }
            }
            if let Some(item_schema) = &sch.items {
                for (i, mut item) in items.items().into_iter().enumerate() {
                    self.validate(
                        item_schema,
                        &mut item,
                        &format!("{ip}/{i}"),
                        &format!("{sp}/items"),
                    );
                    items.set(i, item);
                }
            }
        }

        // object keywords (`null` members were deleted before validation)
        if let Jv::Obj(o) = data.clone() {
            let present = |o: &ObjRef, k: &str| o.get(k).is_some_and(|v| !matches!(v, Jv::Null));
            for req in &sch.required {
                if !present(&o, req) {
                    let message = format!("must have required property '{req}'");
                    let snapshot = Jv::Obj(o.clone());
                    self.push(ip, sp, "required", message, &snapshot, sch);
                }
            }
            if let Some(names) = &sch.property_names {
                let keys: Vec<String> = o.keys().into_iter().filter(|k| present(&o, k)).collect();
                for key in keys {
                    let mut k = Jv::Str(key.as_str().into());
                    if !self.validate(names, &mut k, ip, &format!("{sp}/propertyNames")) {
                        let snapshot = Jv::Str(key.as_str().into());
                        self.push(
                            ip,
                            sp,
                            "propertyNames",
                            "property name must be valid".to_owned(),
                            &snapshot,
                            sch,
                        );
                    }
                }
            }
            if let Some(additional) = &sch.additional {
                let keys: Vec<String> = o
                    .keys()
                    .into_iter()
                    .filter(|k| present(&o, k) && !sch.properties.iter().any(|(p, _)| p == k))
                    .collect();
                for key in keys {
                    match additional {
                        None => {
                            let snapshot = Jv::Obj(o.clone());
                            self.push_with(
                                ip,
                                sp,
                                "additionalProperties",
                                "must NOT have additional properties".to_owned(),
                                &snapshot,
                                sch,
                                |e| e.additional_property = Some(key),
                            );
                        }
                        Some(value_schema) => {
                            if let Some(mut v) = o.get(&key) {
                                self.validate(
                                    value_schema,
                                    &mut v,
                                    &format!("{ip}/{}", escape_pointer(&key)),
                                    &format!("{sp}/additionalProperties"),
                                );
                                o.set(key, v);
                            }
                        }
                    }
                }
            }
            for (name, prop_schema) in &sch.properties {
                if let Some(mut v) = o.get(name).filter(|v| !matches!(v, Jv::Null)) {
                    self.validate(
                        prop_schema,
                        &mut v,
                        &format!("{ip}/{}", escape_pointer(name)),
                        &format!("{sp}/properties/{}", escape_pointer(name)),
                    );
                    o.set(*name, v);
                }
            }
        }

        self.errors.len() == before
    }
}

// ---- normalize-ajv-errors.js ------------------------------------------------

fn is_any_of_path_type_postfix(rest: &str) -> bool {
    // /^\/\d+\/type$/
    let Some(r) = rest.strip_prefix('/') else {
        return false;
    };
    let Some((digits, tail)) = r.split_once('/') else {
        return false;
    };
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && tail == "type"
}

/// Positions where `/\/(?:anyOf|oneOf)(?:\/\d+\/|$)/` matches in `path`.
fn any_of_prefixes(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = path.get(from..).and_then(find_any_of) {
        // `schemaPath.slice(0, fromIndex + index + 'anyOf/'.length)`: up to `/anyOf`
        let end = from + rel + "anyOf/".len();
        out.push(path.get(..end).unwrap_or(path).to_owned());
        from = end;
    }
    out
}

fn find_any_of(text: &str) -> Option<usize> {
    let mut start = 0;
    loop {
        let rest = text.get(start..)?;
        let pos = match (rest.find("/anyOf"), rest.find("/oneOf")) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return None,
        };
        let at = start + pos;
        let after = text.get(at + "/anyOf".len()..).unwrap_or("");
        let ok = after.is_empty()
            || after.strip_prefix('/').is_some_and(|r| {
                let digits: String = r.chars().take_while(char::is_ascii_digit).collect();
                !digits.is_empty() && r.get(digits.len()..).is_some_and(|x| x.starts_with('/'))
            });
        if ok {
            return Some(at);
        }
        start = at + 1;
    }
}

fn filter_irrelevant_any_of_errors(errors: &mut [AjvError]) {
    // 1. group errors by anyOf schema path
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, e) in errors.iter().enumerate() {
        if e.deleted {
            continue;
        }
        for prefix in any_of_prefixes(&e.schema_path) {
            match groups.iter_mut().find(|(p, _)| *p == prefix) {
                Some((_, list)) => list.push(i),
                None => groups.push((prefix, vec![i])),
            }
        }
    }
    for (any_of_path, mut members) in groups {
        members.retain(|&i| errors.get(i).is_some_and(|e| !e.deleted));
        if members.len() <= 1 {
            continue;
        }
        members.sort_by(|&a, &b| {
            let pa = errors
                .get(a)
                .map(|e| e.instance_path.clone())
                .unwrap_or_default();
            let pb = errors
                .get(b)
                .map(|e| e.instance_path.clone())
                .unwrap_or_default();
            pa.cmp(&pb)
        });
        // group by instance path (children with their parent)
        let mut by_instance: Vec<(String, Vec<usize>)> = Vec::new();
        let mut current = members
            .first()
            .and_then(|&i| errors.get(i))
            .map(|e| e.instance_path.clone())
            .unwrap_or_default();
        for &i in &members {
            let ip = errors
                .get(i)
                .map(|e| e.instance_path.clone())
                .unwrap_or_default();
            if ip != current && !ip.starts_with(&format!("{current}/")) {
                current = ip;
            }
            match by_instance.iter_mut().find(|(p, _)| *p == current) {
                Some((_, l)) => l.push(i),
                None => by_instance.push((current.clone(), vec![i])),
            }
        }
        for (_, group) in by_instance {
            if group.len() == 1 {
                continue;
            }
            let from = any_of_path.len() + 1;
            let mut root: Vec<usize> = Vec::new();
            let mut variants: Vec<(String, Vec<usize>)> = Vec::new();
            for &i in &group {
                let sp = errors
                    .get(i)
                    .map(|e| e.schema_path.clone())
                    .unwrap_or_default();
                if from > sp.len() {
                    root.push(i);
                    continue;
                }
                let key = match sp.get(from..).and_then(|r| r.find('/')) {
                    Some(end) => sp.get(from..from + end).unwrap_or("").to_owned(),
                    None => sp.get(from..).unwrap_or("").to_owned(),
                };
                match variants.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, l)) => l.push(i),
                    None => variants.push((key, vec![i])),
                }
            }
            let Some(&no_match) = root.first() else {
                continue;
            };
            if variants.is_empty() {
                continue;
            }
            if variants.len() > 1 {
                // drop variants whose only error is the value type
                variants.retain(|(_, errs)| {
                    let only_type = errs.len() == 1
                        && errs.first().and_then(|&i| errors.get(i)).is_some_and(|e| {
                            e.keyword == "type"
                                && is_any_of_path_type_postfix(
                                    e.schema_path.get(any_of_path.len()..).unwrap_or(""),
                                )
                        });
                    if only_type {
                        for &i in errs {
                            if let Some(e) = errors.get_mut(i) {
                                e.deleted = true;
                            }
                        }
                    }
                    !only_type
                });
                if variants.len() > 1 {
                    // keep the variants whose errors go deepest
                    let depths: Vec<usize> = variants
                        .iter()
                        .map(|(_, errs)| {
                            errs.iter()
                                .filter_map(|&i| errors.get(i))
                                .map(|e| e.instance_path.matches('/').count())
                                .max()
                                .unwrap_or(0)
                        })
                        .collect();
                    let deepest = depths.iter().copied().max().unwrap_or(0);
                    let mut kept = Vec::new();
                    for ((key, errs), depth) in variants.into_iter().zip(depths) {
                        if depth == deepest {
                            kept.push((key, errs));
                        } else {
                            for &i in &errs {
                                if let Some(e) = errors.get_mut(i) {
                                    e.deleted = true;
                                }
                            }
                        }
                    }
                    variants = kept;
                }
            }
            if variants.is_empty() {
                continue;
            }
            if variants.len() == 1 {
                if let Some(e) = errors.get_mut(no_match) {
                    e.deleted = true;
                }
                continue;
            }
            for (_, errs) in &variants {
                let mut types: Vec<Option<&'static str>> = Vec::new();
                for &i in errs {
                    if let Some(e) = errors.get_mut(i) {
                        if !types.contains(&e.parent_type) {
                            types.push(e.parent_type);
                        }
                        e.deleted = true;
                    }
                }
                if types.len() == 1 {
                    let common = types.first().copied().flatten();
                    if let Some(e) = errors.get_mut(no_match) {
                        e.common_type = common;
                    }
                }
            }
        }
    }
}

fn normalize_instance_path(path: &str) -> String {
    if path.is_empty() {
        return "root".to_owned();
    }
    format!("'{}'", path.get(1..).unwrap_or("").replace('/', "."))
}

fn improve_message(e: &AjvError) -> String {
    let message = match e.keyword {
        "additionalProperties" => {
            format!(
                "unrecognized property '{}'",
                e.additional_property.clone().unwrap_or_default()
            )
        }
        "regexp" => format!(
            "value '{}' does not satisfy pattern {}",
            e.data.to_js_string(),
            e.schema_text
        ),
        "anyOf" | "oneOf" => match e.common_type {
            Some("const") => "unsupported value".to_owned(),
            Some(t) => format!("unsupported {t} format"),
            None => "unsupported configuration format".to_owned(),
        },
        "enum" => match &e.allowed_values {
            Some(values) => format!("{} [{}]", e.message, values.join(", ")),
            None => e.message.clone(),
        },
        _ => e.message.clone(),
    };
    format!(
        "at {}: {message}",
        normalize_instance_path(&e.instance_path)
    )
}

/// `normalize-ajv-errors.js` for the errors of one http event (the
/// event-level filter is applied by the caller).
fn normalize(mut errors: Vec<AjvError>) -> Vec<(String, String)> {
    filter_irrelevant_any_of_errors(&mut errors);
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for e in errors.iter().filter(|e| !e.deleted) {
        let message = improve_message(e);
        if !seen.contains(&message) {
            seen.push(message.clone());
            out.push((message, e.instance_path.clone()));
        }
    }
    out
}

// ---- driver ------------------------------------------------------------------

/// Move every `null` member to the end of its object (the framework deletes
/// them before validating and `_.set`s them back afterwards).
fn renormalize_nulls(v: &Jv, depth: usize) {
    if depth > 10_000 {
        return;
    }
    match v {
        Jv::Obj(o) => {
            let mut nulls = Vec::new();
            for (k, child) in o.entries() {
                if matches!(child, Jv::Null) {
                    nulls.push(k);
                } else {
                    renormalize_nulls(&child, depth + 1);
                }
            }
            for k in nulls {
                o.remove(&k);
                o.set(k, Jv::Null);
            }
        }
        Jv::Arr(items) => items
            .items()
            .iter()
            .for_each(|i| renormalize_nulls(i, depth + 1)),
        _ => {}
    }
}

fn loc_of_pointer(config: &Node, pointer: &str) -> Option<Loc> {
    let mut node = config;
    for raw in pointer.split('/').skip(1) {
        let key = raw.replace("~1", "/").replace("~0", "~");
        let next = match node.as_seq() {
            Some(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            None => node.get(&key),
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    Some(node.loc)
}

fn function_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Validate (and coerce) the http events and the API Gateway provider settings.
pub(crate) fn validate(
    root: &Jv,
    config: &Node,
    fw: Framework,
    warnings: &mut Vec<Warning>,
) -> Result<(), CompileError> {
    renormalize_nulls(root, 0);
    let mode_value = root.get("configValidationMode");
    let mode = if mode_value.truthy() {
        mode_value.to_js_string()
    } else {
        "warn".to_owned()
    };

    let mut findings: Vec<(String, String)> = Vec::new();
    let http = http_schema(fw);
    let api_gateway = api_gateway_schema();

    let Jv::Obj(top) = root else { return Ok(()) };

    // provider.apiGateway / provider.apiName
    if let Some(Jv::Obj(provider)) = top.get("provider") {
        let mut errors = Vec::new();
        let mut ctx = Ctx {
            errors: &mut errors,
        };
        if let Some(mut api) = provider
            .get("apiGateway")
            .filter(|v| !matches!(v, Jv::Null))
        {
            ctx.validate(&api_gateway, &mut api, "/provider/apiGateway", "#");
            provider.set("apiGateway", api);
        }
        if let Some(mut name) = provider.get("apiName").filter(|v| !matches!(v, Jv::Null)) {
            ctx.validate(&ty(Ty::String), &mut name, "/provider/apiName", "#");
            provider.set("apiName", name);
        }
        findings.extend(normalize(errors));
    }

    if let Some(Jv::Obj(functions)) = top.get("functions") {
        for name in functions.keys() {
            if !function_name_ok(&name) {
                continue;
            }
            let Some(Jv::Obj(function)) = functions.get(&name) else {
                continue;
            };
            let Some(Jv::Arr(events)) = function.get("events") else {
                continue;
            };
            for (index, event) in events.items().into_iter().enumerate() {
                let Jv::Obj(event_obj) = event else { continue };
                if !event_obj
                    .get("http")
                    .is_some_and(|h| !matches!(h, Jv::Null))
                {
                    continue;
                }
                let event_path = format!("/functions/{}/events/{index}", escape_pointer(&name));
                // The http branch of the events' anyOf reports other keys of
                // the event; when it does, those are the only findings.
                let extra: Vec<String> = event_obj
                    .entries()
                    .into_iter()
                    .filter(|(k, v)| k != "http" && !matches!(v, Jv::Null))
                    .map(|(k, _)| k)
                    .collect();
                let mut errors = Vec::new();
                if let Some(mut value) = event_obj.get("http") {
                    let mut ctx = Ctx {
                        errors: &mut errors,
                    };
                    ctx.validate(&http, &mut value, &format!("{event_path}/http"), "#/http");
                    event_obj.set("http", value);
                }
                if extra.is_empty() {
                    findings.extend(normalize(errors));
                } else {
                    for k in extra {
                        findings.push((
                            format!(
                                "at {}: unrecognized property '{k}'",
                                normalize_instance_path(&event_path)
                            ),
                            event_path.clone(),
                        ));
                    }
                }
            }
        }
    }

    if findings.is_empty() || mode == "off" {
        return Ok(());
    }
    let loc = findings
        .first()
        .and_then(|(_, p)| loc_of_pointer(config, p));
    let messages: Vec<String> = findings.iter().map(|(m, _)| m.clone()).collect();
    let learn =
        "Learn more about configuration validation here: http://slss.io/configuration-validation";
    if mode == "error" {
        let text = if messages.len() > 1 {
            format!(
                "Configuration error: \n     {}\n\n{learn}",
                messages.join("\n     ")
            )
        } else {
            format!("Configuration error {}\n\n{learn}", messages.concat())
        };
        return Err(CompileError {
            message: text,
            loc,
            help: Some(
                "Fix the configuration so that it matches the framework's schema.".to_owned(),
            ),
        });
    }
    let lines: Vec<String> = messages.iter().map(|m| format!("  {m}")).collect();
    warnings.push(Warning {
        message: format!(
            "Invalid configuration encountered\n{}\n\n{learn}",
            lines.join("\n")
        ),
        loc,
    });
    if !mode_value.truthy() && fw != Framework::V2 {
        warnings.push(Warning {
            message: "Starting with the next major, Serverless will throw on configuration errors by default. Adapt to this behavior now by adding \"configValidationMode: error\" to the service configuration\nMore Info: https://www.serverless.com/framework/docs/deprecations/#CONFIG_VALIDATION_MODE_DEFAULT_V3".to_owned(),
            loc: None,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::js::{obj, s};

    fn run(http: Jv) -> (Jv, Vec<String>) {
        let mut value = http;
        let mut errors = Vec::new();
        let mut ctx = Ctx {
            errors: &mut errors,
        };
        ctx.validate(
            &http_schema(Framework::V3),
            &mut value,
            "/functions/f/events/0/http",
            "#/http",
        );
        let messages = normalize(errors).into_iter().map(|(m, _)| m).collect();
        (value, messages)
    }

    #[test]
    fn coercion_follows_ajv() {
        let (v, m) = run(obj([
            ("path", Jv::Num(2020.0)),
            ("method", s("get")),
            ("async", s("false")),
            ("private", Jv::Num(1.0)),
            ("cors", obj([("headers", s("X-Foo")), ("maxAge", s("60"))])),
        ]));
        assert!(m.is_empty(), "{m:?}");
        assert_eq!(v.get("path"), s("2020"));
        assert_eq!(v.get("async"), Jv::Bool(false));
        assert_eq!(v.get("private"), Jv::Bool(true));
        assert_eq!(v.get("cors").get("headers"), arr(vec![s("X-Foo")]));
        assert_eq!(v.get("cors").get("maxAge"), Jv::Num(60.0));
    }

    #[test]
    fn messages_match_the_framework() {
        let (v, m) = run(Jv::Num(5.0));
        assert_eq!(v, s("5"));
        assert_eq!(
            m,
            [
                "at 'functions.f.events.0.http': value '5' does not satisfy pattern /^(?:\\*|(GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE|ANY) (\\/\\S*))$/i"
            ]
        );
        let (_, m) = run(obj([
            ("path", s("x")),
            ("method", s("get")),
            ("integration", s("lamda")),
        ]));
        assert_eq!(
            m,
            ["at 'functions.f.events.0.http.integration': unsupported string format"]
        );
        let (_, m) = run(obj([("path", s("x")), ("method", s("fetch"))]));
        assert_eq!(
            m,
            [
                "at 'functions.f.events.0.http.method': value 'fetch' does not satisfy pattern /^(?:\\*|GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE|ANY)$/i"
            ]
        );
        let (_, m) = run(obj([
            ("path", s("x")),
            ("method", s("get")),
            (
                "response",
                obj([("statusCodes", obj([("2xx", obj([("pattern", s(""))]))]))]),
            ),
        ]));
        assert_eq!(
            m,
            [
                "at 'functions.f.events.0.http.response.statusCodes': must match pattern \"^\\d{3}$\"",
                "at 'functions.f.events.0.http.response.statusCodes': property name must be valid"
            ]
        );
        let (_, m) = run(obj([("method", s("get"))]));
        assert_eq!(
            m,
            ["at 'functions.f.events.0.http': must have required property 'path'"]
        );
        let (_, m) = run(obj([
            ("path", s("x")),
            ("method", s("get")),
            ("asynch", Jv::Bool(true)),
        ]));
        assert_eq!(
            m,
            ["at 'functions.f.events.0.http': unrecognized property 'asynch'"]
        );
    }
}
