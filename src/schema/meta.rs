//! The rules the schema check reports under, declared once like the rules of
//! `src/rules/`: code, kebab name, default severity, summary, documentation.
//!
//! The default severity is the usual one; each finding's severity follows
//! what the mirrored framework release does with the problem (see
//! `check` in the parent module): error when it refuses the config or
//! crashes, warning when it only warns.

use crate::rules::{FixKind, RuleMeta, Severity};

pub static INVALID_TYPE: RuleMeta = RuleMeta {
    code: "SLS-SCHEMA-001",
    name: "invalid-type",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "A key that shapes API Gateway has a value of the wrong type.",
    doc: r#"## What it flags

A value whose type is not the one the Serverless Framework's own configuration
schema expects, in the parts of `serverless.yml` that shape the REST API: the
`http` events of functions, `provider.apiGateway`, `provider.endpointType`,
`provider.apiName`, `provider.stage`, `frameworkVersion`, `configValidationMode`,
a few function keys (`description`, `memorySize`, `timeout`) and slsasync's own
`custom.slsasync`. Values the framework converts silently (`private: 'true'`,
`memorySize: '512'`, a single string where a list is expected) are not flagged,
because Serverless 2 and 3 coerce them exactly like that before using them.

## Why it matters

Serverless 2 and 3 only warn about a wrong type (unless
`configValidationMode: error`) and then use the value as it is, which is
rarely what was meant: `async: 'yes'` turns asynchronous invocation on, a
string `request.template` is ignored and the default templates are used. Some
wrong types make the framework crash with a JavaScript `TypeError`: an `http`
value that is neither a string nor a mapping, a `request` or `response` that is
not a mapping. Those are reported as errors.

## Example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: /hello
          method: post
          async: 'yes'
          request:
            template: application/json
```

## Fixed example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: /hello
          method: post
          async: true
          request:
            template:
              application/json: '{ "body": $input.json("$") }'
```

## Fix

None: write the value with the expected type (the message says which).
"#,
};

pub static INVALID_VALUE: RuleMeta = RuleMeta {
    code: "SLS-SCHEMA-002",
    name: "invalid-value",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "A key that shapes API Gateway has a value outside the allowed set or format.",
    doc: r#"## What it flags

A value of the right type that the framework's schema does not allow: an HTTP
method or integration that does not exist (`method: fetch`,
`integration: lambda_proxyy`), a `passThrough` other than `NEVER`,
`WHEN_NO_MATCH` or `WHEN_NO_TEMPLATES`, a status code key that is not three
digits, an `http` shorthand that is not `METHOD /path`, a stage name with
characters API Gateway does not accept, a number out of range. The message
lists the allowed values and suggests the closest one when the value looks
like a typo.

## Why it matters

Serverless 1 refuses most of these. Serverless 2 and 3 print a warning and
copy the value into the CloudFormation template as written: `method: fetch`
becomes `HttpMethod: FETCH` and `passThrough: WHEN_NO_TEMPLATE` becomes an
invalid `PassthroughBehavior`, so the stack update fails at deploy time, long
after `serverless package` succeeded. With `configValidationMode: error` (the
default of osls) packaging stops instead; those cases are reported as errors.

## Example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http: GET hello
      - http:
          path: /hello
          method: fetch
          integration: lambda
          request:
            passThrough: WHEN_NO_TEMPLATE
```

## Fixed example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http: GET /hello
      - http:
          path: /hello
          method: post
          integration: lambda
          request:
            passThrough: WHEN_NO_TEMPLATES
```

## Fix

None: pick one of the values the message lists.
"#,
};

pub static MISSING_REQUIRED: RuleMeta = RuleMeta {
    code: "SLS-SCHEMA-003",
    name: "missing-required-property",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "An `http` event (or another checked mapping) lacks a required key.",
    doc: r#"## What it flags

An `http` event mapping without `path` or `method`, an `http` shorthand string
without a path (`http: GET`, `http: ANY/public`), and other mappings missing a
key the schema requires (a `provider.apiGateway.request.schemas` entry without
`schema`, a resource policy statement without `Effect`).

## Why it matters

Serverless 1 refuses an `http` event without path or method. Serverless 2 and 3
do not: after a schema warning they crash with
`TypeError: Cannot read properties of undefined (reading 'replace')` (no path)
or `(reading 'toLowerCase')` (no method), which does not say which function is
wrong. A frequent cause is indentation: `path:` written at the level of
`http:` instead of under it.

## Example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          method: get
        path: /hello
```

## Fixed example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          method: get
          path: /hello
```

## Fix

None: add the missing key (the message names it).
"#,
};

pub static UNKNOWN_PROPERTY: RuleMeta = RuleMeta {
    code: "SLS-SCHEMA-004",
    name: "unknown-property",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "An unknown key in `provider.apiGateway`, next to an `http` event, or in `custom.slsasync`.",
    doc: r#"## What it flags

A key the framework does not know in `provider.apiGateway` (and the mappings
inside it), a key written next to `http:` in an event instead of under it, and
a key of `custom.slsasync` that slsasync does not read. Unknown keys inside an
`http` event are reported by SLS-KEY-001 instead; keys anywhere else
(including every plugin's keys) are never flagged.

## Why it matters

The framework ignores the key after a warning, so the setting silently does
nothing: `provider.apiGateway.minimumCompresionSize` leaves compression off,
and `cors: true` written at the level of `http:` leaves the endpoint without
CORS. Under `configValidationMode: error` packaging stops.

## Example

```yaml
provider:
  name: aws
  apiGateway:
    minimumCompresionSize: 1024
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: /hello
          method: get
        cors: true
```

## Fixed example

```yaml
provider:
  name: aws
  apiGateway:
    minimumCompressionSize: 1024
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: /hello
          method: get
          cors: true
```

## Fix

None: rename the key (the message suggests the closest known one) or move it
where it belongs.
"#,
};

/// The schema check's rules, in code order.
pub static RULES: [&RuleMeta; 4] = [
    &INVALID_TYPE,
    &INVALID_VALUE,
    &MISSING_REQUIRED,
    &UNKNOWN_PROPERTY,
];
