//! Findings the check engine itself produces (not tied to one rule file).

use crate::rules::{FixKind, RuleMeta, Severity};

pub static FRAMEWORK_REFUSES: RuleMeta = RuleMeta {
    code: "SLS-FW-001",
    name: "framework-refuses-config",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "The mirrored Serverless Framework release refuses or crashes on this config.",
    doc: "## What it flags\n\nA config that `serverless package` of the mirrored release refuses, or on which it crashes, for a reason that no more specific rule explains.\n\n## Why it matters\n\nThe deploy fails before anything reaches AWS; the framework's own message is often a JavaScript `TypeError` that does not say which key is wrong.\n\n## Example\n\n```yaml\nfunctions:\n  hello:\n    handler: handler.hello\n    events:\n      - http: GET\n```\n\n## Fixed example\n\n```yaml\nfunctions:\n  hello:\n    handler: handler.hello\n    events:\n      - http: GET /hello\n```\n\n## Fix\n\nNone: the message says what the framework says and where.\n",
};

pub static VERSION_MISMATCH: RuleMeta = RuleMeta {
    code: "SLS-FW-002",
    name: "framework-version-outside-range",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "The release checked against does not satisfy `frameworkVersion`.",
    doc: "## What it flags\n\nA `--framework` choice (or `custom.slsasync.framework`) outside the config's `frameworkVersion` range.\n\n## Why it matters\n\nThat framework release refuses to run on this config: `The Serverless version (3.40.0) does not satisfy the \"frameworkVersion\" ...`.\n\n## Example\n\n```yaml\nframeworkVersion: '>=1.28.0 <2.0.0'\n# checked with --framework 3\n```\n\n## Fixed example\n\n```yaml\nframeworkVersion: '3'\n```\n\n## Fix\n\nNone: widen the range or check against a release inside it.\n",
};

pub static UNRESOLVED_VALUE: RuleMeta = RuleMeta {
    code: "SLS-VAR-001",
    name: "unresolved-variable",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "A `${...}` value cannot be resolved without AWS or plugins; rules that need it stay silent (reported with --strict).",
    doc: "## What it flags\n\nWith `--strict`: every value that slsasync could not resolve statically (`${ssm:...}`, `${cf:...}`, `${env:X}` without the variable, plugin sources).\n\n## Why it matters\n\nRules never guess such values, so a problem hidden behind one is not reported.\n\n## Example\n\n```yaml\nprovider:\n  stage: ${ssm:/my/stage}\n```\n\n## Fixed example\n\n```yaml\nprovider:\n  stage: ${opt:stage, 'dev'}\n```\n\n## Fix\n\nNone.\n",
};

pub static UNKNOWN_SUPPRESSION: RuleMeta = RuleMeta {
    code: "SLS-SUPPRESS-001",
    name: "suppression-of-unknown-rule",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "An `# slsasync: ignore[...]` comment names a rule that does not exist.",
    doc: "## What it flags\n\nA suppression comment naming an unknown code or name.\n\n## Why it matters\n\nA typo in a suppression silently suppresses nothing.\n\n## Example\n\n```yaml\n      - http:\n          async: true # slsasync: ignore[SLS-ASYNC-999]\n```\n\n## Fixed example\n\n```yaml\n      - http:\n          async: true # slsasync: ignore[SLS-ASYNC-001] integration set by a plugin\n```\n\n## Fix\n\nNone.\n",
};

pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    code: "SLS-SUPPRESS-002",
    name: "suppression-matches-nothing",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "An `# slsasync: ignore[...]` comment suppresses no finding.",
    doc: "## What it flags\n\nA suppression whose rule does not fire on that line or event any more.\n\n## Why it matters\n\nStale suppressions hide future findings on the same line.\n\n## Example\n\n```yaml\n          integration: lambda # slsasync: ignore[SLS-ASYNC-001]\n```\n\n## Fixed example\n\n```yaml\n          integration: lambda\n```\n\n## Fix\n\nNone: delete the comment.\n",
};

pub static INVALID_SETTINGS: RuleMeta = RuleMeta {
    code: "SLS-CONF-001",
    name: "invalid-slsasync-settings",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`custom.slsasync` has a value slsasync cannot use.",
    doc: "## What it flags\n\nA `custom.slsasync` setting of the wrong type, an unknown rule in `ignore` or `severity`, or an unknown severity.\n\n## Why it matters\n\nThe setting would silently do nothing.\n\n## Example\n\n```yaml\ncustom:\n  slsasync:\n    severity:\n      SLS-ASYNC-006: loud\n```\n\n## Fixed example\n\n```yaml\ncustom:\n  slsasync:\n    severity:\n      SLS-ASYNC-006: warning\n```\n\n## Fix\n\nNone.\n",
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
