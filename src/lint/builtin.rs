//! Findings the check engine itself produces (not tied to one rule file).

use crate::rules::{FixKind, RuleMeta, Severity};

pub static FRAMEWORK_REFUSES: RuleMeta = RuleMeta {
    code: "SLS-FW-001",
    name: "framework-refuses-config",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "The mirrored Serverless Framework release refuses or crashes on this config",
    doc: r#"## What it flags

A config that `serverless package` of the mirrored release refuses, or on which
it crashes, for a reason that no more specific rule explains. slsasync runs
its mirror of the framework's http-event compiler on every config; when that
stops with the framework's message and no other error-level finding is at the
place the message is about, this rule reports it there.

## Why it matters

The deploy fails before anything reaches AWS, and the framework's own message
is often a JavaScript `TypeError` that does not say which key is wrong.

## Example

```yaml
service: shop
provider:
  name: aws
  apiGateway:
    apiKeys:
      - free:
          - free-key
    usagePlan:
      - paid: {}
functions:
  list:
    handler: handler.list
    events:
      - http:
          path: /items
          method: get
          private: true
```

Serverless Framework 3.40.0 (`serverless package`) stops with
`API key "free" has no usage plan defined`.

## Fixed example

```yaml
service: shop
provider:
  name: aws
  apiGateway:
    apiKeys:
      - paid:
          - paid-key
    usagePlan:
      - paid: {}
functions:
  list:
    handler: handler.list
    events:
      - http:
          path: /items
          method: get
          private: true
```

## Fix

None: the message is the framework's, at the place it is about.
"#,
};

pub static VERSION_MISMATCH: RuleMeta = RuleMeta {
    code: "SLS-FW-002",
    name: "framework-version-outside-range",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "The release checked against does not satisfy `frameworkVersion`",
    doc: r#"## What it flags

A release chosen with `--framework` or `custom.slsasync.framework` that the
config's `frameworkVersion` range does not allow.

## Why it matters

That framework release refuses to run on this config: `The Serverless version
(3.40.0) does not satisfy the "frameworkVersion" (>=1.28.0 <2.0.0) in
serverless.yml`. Either the range is stale or the check targets the wrong
release.

## Example

```yaml
service: legacy
frameworkVersion: '>=1.28.0 <2.0.0'
provider:
  name: aws
custom:
  slsasync:
    framework: 3
```

## Fixed example

```yaml
service: legacy
frameworkVersion: '3'
provider:
  name: aws
custom:
  slsasync:
    framework: 3
```

## Fix

None: widen the range, or check against a release inside it.
"#,
};

pub static UNRESOLVED_VALUE: RuleMeta = RuleMeta {
    code: "SLS-VAR-001",
    name: "unresolved-variable",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "A `${...}` value cannot be resolved without AWS or plugins; rules that need it stay silent (reported with --strict)",
    doc: r#"## What it flags

With `--strict` only: every value that slsasync could not resolve statically
(`${ssm:...}`, `${cf:...}`, `${env:X}` when `X` is not set, sources that
plugins provide).

## Why it matters

Rules never guess such values, so a problem hidden behind one is not
reported. `--strict` lists them, so that a CI job can insist that everything
that shapes the API is checked.

## Example

Checked with `slsasync check --strict`:

```yaml
# checked with: slsasync check --strict
service: orders
provider:
  name: aws
functions:
  create:
    handler: handler.create
    events:
      - http:
          path: /orders
          method: post
          async: ${ssm:/orders/async}
```

## Fixed example

```yaml
# checked with: slsasync check --strict
service: orders
provider:
  name: aws
functions:
  create:
    handler: handler.create
    events:
      - http:
          path: /orders
          method: post
          async: ${env:ORDERS_ASYNC, false}
```

## Fix

None: make the value static (or give the variable a default) to have it
checked.
"#,
};

pub static UNKNOWN_SUPPRESSION: RuleMeta = RuleMeta {
    code: "SLS-SUPPRESS-001",
    name: "suppression-of-unknown-rule",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "An `# slsasync: ignore[...]` comment names a rule that does not exist",
    doc: r#"## What it flags

A suppression comment naming a code or name that is not a slsasync rule.

## Why it matters

A typo in a suppression silently suppresses nothing, and the finding it was
meant for stays in the report with no explanation.

## Example

```yaml
service: hooks
provider:
  name: aws
functions:
  receive:
    handler: handler.receive
    events:
      - http:
          path: /hook
          method: post
          async: true # slsasync: ignore[SLS-ASYNC-999]
          integration: lambda
```

## Fixed example

```yaml
service: hooks
provider:
  name: aws
functions:
  receive:
    handler: handler.receive
    events:
      - http:
          path: /hook
          method: post
          async: true # slsasync: ignore[SLS-ASYNC-006, SLS-ASYNC-007] the sender ignores the body
          integration: lambda
```

## Fix

None: correct the code or name (`slsasync rules` lists them).
"#,
};

pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    code: "SLS-SUPPRESS-002",
    name: "suppression-matches-nothing",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "An `# slsasync: ignore[...]` comment suppresses no finding",
    doc: r#"## What it flags

A suppression whose rule reports nothing on that line, nor on the http event
the line belongs to.

## Why it matters

A stale suppression hides the next finding of that rule on the same line,
long after the reason for it is gone.

## Example

```yaml
service: hooks
provider:
  name: aws
functions:
  receive:
    handler: handler.receive
    events:
      - http:
          path: /hook
          method: post
          integration: lambda # slsasync: ignore[SLS-ASYNC-001]
```

## Fixed example

```yaml
service: hooks
provider:
  name: aws
functions:
  receive:
    handler: handler.receive
    events:
      - http:
          path: /hook
          method: post
          integration: lambda
```

## Fix

None: delete the suppression.
"#,
};

pub static INVALID_SETTINGS: RuleMeta = RuleMeta {
    code: "SLS-CONF-001",
    name: "invalid-slsasync-settings",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`custom.slsasync` has a value slsasync cannot use",
    doc: r#"## What it flags

A `custom.slsasync` setting that the JSON Schema of the settings rejects (a
wrong type, an unknown severity, an unknown setting name), and a rule in
`ignore` or `severity` that does not exist.

## Why it matters

The setting would silently do nothing: the rule stays on, or keeps its
severity, and nobody notices.

## Example

```yaml
service: api
provider:
  name: aws
custom:
  slsasync:
    ignore: [SLS-ASYNC-999]
    severity:
      SLS-ASYNC-006: loud
```

## Fixed example

```yaml
service: api
provider:
  name: aws
custom:
  slsasync:
    ignore: [SLS-ASYNC-007]
    severity:
      SLS-ASYNC-006: warning
```

## Fix

None: the message lists the accepted values.
"#,
};

/// The engine's own rules.
pub static BUILTIN: [&RuleMeta; 6] = [
    &FRAMEWORK_REFUSES,
    &VERSION_MISMATCH,
    &UNRESOLVED_VALUE,
    &UNKNOWN_SUPPRESSION,
    &UNUSED_SUPPRESSION,
    &INVALID_SETTINGS,
];
