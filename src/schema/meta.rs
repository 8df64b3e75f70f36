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
    summary: "A key that shapes API Gateway has a value of the wrong type",
    doc: r#"## What it flags

A value whose type is not the one the Serverless Framework's own configuration
schema expects, in the parts of `serverless.yml` that shape the REST API: the
`http` events of functions, `provider.apiGateway`, `provider.endpointType`,
`provider.apiName`, `provider.stage`, `frameworkVersion`, `configValidationMode`,
a few function keys (`description`, `memorySize`, `timeout`) and slsasync's own
`custom.slsasync` (reported as SLS-CONF-001). Values the framework converts
silently (`private: 'true'`, `memorySize: '512'`, a single string where a list
is expected) are not flagged, because Serverless 2 and 3 coerce them exactly
like that before using them. Where a rule explains the same value better
(`async: 'yes'` is SLS-ASYNC-005, a string `request.template` is SLS-REQ-002),
that rule reports it instead.

## Why it matters

Serverless 2 and 3 only warn about a wrong type (unless
`configValidationMode: error`) and then use the value as it is, which is
rarely what was meant: `private: maybe` is a non-empty string, so the endpoint
requires an API key; `minimumCompressionSize: big` reaches CloudFormation,
which rejects the stack update. Some wrong types make the framework crash with
a JavaScript `TypeError`: an `http` value that is neither a string nor a
mapping, a `request` or `response` that is not a mapping. Those are reported as
errors.

## Example

```yaml
service: api
provider:
  name: aws
  apiGateway:
    minimumCompressionSize: big
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: /hello
          method: post
          private: maybe
```

## Fixed example

```yaml
service: api
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
          method: post
          private: true
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
    summary: "A key that shapes API Gateway has a value outside the allowed set or format",
    doc: r#"## What it flags

A value of the right type that the framework's schema does not allow: an
`endpointType` other than `REGIONAL`, `EDGE` or `PRIVATE`, an
`apiKeySourceType` other than `HEADER` or `AUTHORIZER`, a number out of range
(`cors.maxAge: 0`), a service name or stage with characters the framework does
not accept. The message lists the allowed values and suggests the closest one
when the value looks like a typo. Where a rule explains the same value better
(a method is SLS-PATH-004, an integration SLS-INT-001, a `passThrough`
SLS-REQ-001, a status code key SLS-RESP-004, an `http` shorthand without a
leading `/` SLS-PATH-003), that rule reports it instead.

## Why it matters

Serverless 1 refuses most of these. Serverless 2 and 3 print a warning and
copy the value into the CloudFormation template as written, so the stack
update fails at deploy time, long after `serverless package` succeeded. With
`configValidationMode: error` (the default of osls) packaging stops instead;
those cases are reported as errors.

## Example

```yaml
service: api
provider:
  name: aws
  endpointType: REGINAL
  apiGateway:
    apiKeySourceType: HEADERS
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: /hello
          method: get
```

## Fixed example

```yaml
service: api
provider:
  name: aws
  endpointType: REGIONAL
  apiGateway:
    apiKeySourceType: HEADER
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: /hello
          method: get
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
    summary: "An `http` event (or another checked mapping) lacks a required key",
    doc: r#"## What it flags

A mapping that lacks a key the framework's schema requires: a
`provider.apiGateway.request.schemas` entry without `schema`, a resource policy
statement without `Effect`, an `http` event without `path` or `method`. The
last two are reported by SLS-SHAPE-001 and SLS-SHAPE-002, which say what the
framework then does.

## Why it matters

Serverless 2 and 3 warn and go on without the key: a request model without a
schema is sent to CloudFormation incomplete, and the deploy fails. For `http`
events the framework crashes with a `TypeError` that does not say which
function is wrong.

## Example

```yaml
service: api
provider:
  name: aws
  apiGateway:
    request:
      schemas:
        create-item:
          name: CreateItem
functions:
  create:
    handler: handler.create
    events:
      - http:
          path: /items
          method: post
          request:
            schemas:
              application/json: create-item
```

## Fixed example

```yaml
service: api
provider:
  name: aws
  apiGateway:
    request:
      schemas:
        create-item:
          name: CreateItem
          schema:
            type: object
            required: [name]
functions:
  create:
    handler: handler.create
    events:
      - http:
          path: /items
          method: post
          request:
            schemas:
              application/json: create-item
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
    summary: "An unknown key in `provider.apiGateway` or next to an `http` event",
    doc: r#"## What it flags

A key the framework does not know in `provider.apiGateway` (and the mappings
inside it) and a key written next to `http:` in an event instead of under it.
Unknown keys inside an `http` event are reported by SLS-KEY-001, and unknown
keys of `custom.slsasync` by SLS-CONF-001; keys anywhere else (including every
plugin's keys and the rest of `custom`) are never flagged.

## Why it matters

The framework ignores the key after a warning, so the setting silently does
nothing: `provider.apiGateway.minimumCompresionSize` leaves compression off,
and `cors: true` written at the level of `http:` leaves the endpoint without
CORS. Under `configValidationMode: error` packaging stops.

## Example

```yaml
service: api
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
service: api
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
