//! `${...}` resolution, table-driven: config text → the resolved `custom`
//! (as JSON) or the error, plus the framework's own answers kept in
//! `fixtures/vars/` (see the README there).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value as Json, json};
use slsasync::model::Framework;
use slsasync::source::json::to_json;
use slsasync::source::yaml::{Dialect, parse_json, parse_yaml};
use slsasync::source::{Node, SourceMap};
use slsasync::vars::{EnvSource, Resolved, VarError, VarOptions, resolve};

/// The oracle's environment (`/work/shared/oracle/lib/oracle.cjs`), for the
/// variables the cases read.
fn oracle_env() -> EnvSource {
    let mut m = BTreeMap::new();
    m.insert("LANG".to_owned(), "C.UTF-8".to_owned());
    m.insert("CI".to_owned(), "1".to_owned());
    m.insert("TERM".to_owned(), "dumb".to_owned());
    m.insert("EMPTY".to_owned(), String::new());
    m.insert("WITH_VAR".to_owned(), "${self:service}".to_owned());
    EnvSource::Map(m)
}

fn opts(fw: Framework) -> VarOptions {
    VarOptions {
        framework: fw,
        stage: None,
        region: None,
        env: oracle_env(),
        allow_outside: false,
    }
}

struct Run {
    result: Result<Resolved, VarError>,
    sources: SourceMap,
}

/// Write `files` into a fresh directory and resolve its `serverless.yml`
/// (or `serverless.json`).
fn run_files(files: &[(&str, &str)], o: &VarOptions) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, text).unwrap();
    }
    let config = files.first().map(|f| f.0).unwrap_or("serverless.yml");
    run_path(&dir.path().join(config), o)
}

fn run_path(config: &Path, o: &VarOptions) -> Run {
    let text = std::fs::read_to_string(config).unwrap();
    let mut sources = SourceMap::new();
    let file = sources.add(config.to_path_buf(), text.clone());
    let dialect = if o.framework == Framework::V1 {
        Dialect::JsYaml3
    } else {
        Dialect::JsYaml4
    };
    let parsed = if config.extension().is_some_and(|e| e == "json") {
        parse_json(&text, file)
    } else {
        parse_yaml(&text, file, dialect)
    }
    .unwrap_or_else(|e| panic!("{}: {}", config.display(), e.message));
    let result = resolve(parsed.root, config, &mut sources, o);
    Run { result, sources }
}

fn custom(r: &Resolved) -> Json {
    r.root.get("custom").map(to_json).unwrap_or(Json::Null)
}

fn text_at(sources: &SourceMap, loc: slsasync::source::Loc) -> String {
    sources.file(loc.file).text[loc.range()].to_owned()
}

enum Expect {
    /// `custom` after resolution.
    Custom(Json),
    /// An error whose message contains the first string and whose location
    /// covers exactly the second.
    Error(&'static str, &'static str),
    /// `custom` (opaque values as their text) and the paths left opaque.
    Opaque(Json, &'static [&'static str]),
}

struct Case {
    name: &'static str,
    fw: Framework,
    stage: Option<&'static str>,
    yaml: &'static str,
    expect: Expect,
}

const HEAD: &str = "service: svc\nprovider:\n  name: aws\n  runtime: nodejs18.x\n";

fn c(name: &'static str, yaml: &'static str, expect: Expect) -> Case {
    Case {
        name,
        fw: Framework::V3,
        stage: None,
        yaml,
        expect,
    }
}

fn cases() -> Vec<Case> {
    use Expect::*;
    let mut v = vec![
        c(
            "self references in any order",
            "custom:\n  a: ${self:custom.b}-x\n  b: ${self:custom.c}\n  c: ${self:service}\n",
            Custom(json!({"a": "svc-x", "b": "svc", "c": "svc"})),
        ),
        c(
            "whole variable keeps the type",
            "custom:\n  n: ${self:custom.num}\n  o: ${self:custom.obj}\n  l: ${self:custom.list}\n  num: 5\n  obj: {k: true}\n  list: [1, a]\n",
            Custom(
                json!({"n": 5, "o": {"k": true}, "l": [1, "a"], "num": 5, "obj": {"k": true}, "list": [1, "a"]}),
            ),
        ),
        c(
            "stringified in a larger string",
            "custom:\n  s: \"${self:custom.list}|${self:custom.num}|${self:custom.t}|${self:custom.f}\"\n  list: [1, a, {x: 1}, null, true]\n  num: 1.50\n  t: true\n  f: 1e21\n",
            Custom(
                json!({"s": "1,a,[object Object],,true|1.5|true|1e+21", "list": [1, "a", {"x": 1}, null, true], "num": 1.5, "t": true, "f": 1e21}),
            ),
        ),
        c(
            "opt and sls defaults",
            "custom:\n  a: ${opt:stage, 'dev'}-${opt:region, \"eu-west-1\"}\n  b: ${sls:stage}\n  c: ${opt:stage, self:custom.d}\n  d: fallback\n",
            Custom(json!({"a": "dev-eu-west-1", "b": "dev", "c": "fallback", "d": "fallback"})),
        ),
        c(
            "sls:stage reads provider.stage",
            "custom:\n  b: ${sls:stage}\n",
            Custom(json!({"b": "dev"})),
        ),
        c(
            "env with fallbacks",
            "custom:\n  a: ${env:LANG}\n  b: ${env:NOPE, env:NOPE2, 'z'}\n  c: ${env:EMPTY, 'not used'}\n  d: ${env:NOPE,'x'}\n",
            Custom(json!({"a": "C.UTF-8", "b": "z", "c": "", "d": "x"})),
        ),
        c(
            "an env value is resolved again",
            "custom:\n  a: ${env:WITH_VAR}\n",
            Custom(json!({"a": "svc"})),
        ),
        c(
            "literals",
            "custom:\n  a: ${opt:x, 12}\n  b: ${opt:x, true}\n  c: ${opt:x, null}\n  d: '${opt:x, \"q\\\"x,y}\"}'\n",
            Custom(json!({"a": 12, "b": true, "c": null, "d": "q\"x,y}"})),
        ),
        c(
            "empty object is a value, not a miss",
            "custom:\n  k: ${self:custom.o, 'fb'}\n  o: {}\n",
            Custom(json!({"k": {}, "o": {}})),
        ),
        c(
            "missing self takes the fallback",
            "custom:\n  a: ${self:custom.missing, 'x'}\n",
            Custom(json!({"a": "x"})),
        ),
        c(
            "escapes: one level only",
            "custom:\n  b: dev\n  g: \"\\\\${self:custom.b} and \\\\\\\\${self:custom.b}\"\n  h: ${self:custom.g}\n",
            Custom(json!({"b": "dev", "g": "${self:custom.b} and \\dev", "h": "dev and \\dev"})),
        ),
        c(
            "foreign ${...} is text",
            "custom:\n  a: ${AWS::Region}-${self:service}\n  b: ${stage}\n",
            Custom(json!({"a": "${AWS::Region}-svc", "b": "${stage}"})),
        ),
        c(
            "a literal or upper-case first word is not a variable",
            "custom:\n  a: ${'foo'}\n  b: ${self:custom.a}\n  c: x-${123}-${self:service}\n",
            Custom(json!({"a": "${'foo'}", "b": "${'foo'}", "c": "x-${123}-svc"})),
        ),
        c(
            "nested address and param",
            "custom:\n  stage: prod\n  domains:\n    prod: api.example.com\n  d: ${self:custom.domains.${self:custom.stage}}\n",
            Custom(
                json!({"stage": "prod", "domains": {"prod": "api.example.com"}, "d": "api.example.com"}),
            ),
        ),
        c(
            "strings and lists by index and length",
            "custom:\n  list: [a, b]\n  s: xyz\n  j: ${self:custom.list.1}${self:custom.list.length}${self:custom.s.0}${self:custom.s.length}\n",
            Custom(json!({"list": ["a", "b"], "s": "xyz", "j": "b2x3"})),
        ),
        c(
            "strToBool",
            "custom:\n  a: ${strToBool(true)}\n  b: ${strToBool('0')}\n  c: ${strToBool(${env:CI})}\n  d: ${strToBool(\" FALSE\")}\n",
            Custom(json!({"a": true, "b": false, "c": true, "d": false})),
        ),
        c(
            "keys are not resolved",
            "custom:\n  ${self:service}: 1\n",
            Custom(json!({"${self:service}": 1})),
        ),
        c(
            "a reference into a mapping resolves its inside first",
            "custom:\n  all: ${self:custom.inner}\n  inner:\n    a: ${self:custom.v}\n    b:\n      - ${self:custom.v}\n  v: 7\n",
            Custom(json!({"all": {"a": 7, "b": [7]}, "inner": {"a": 7, "b": [7]}, "v": 7})),
        ),
        c(
            "opaque sources",
            "custom:\n  a: ${ssm:/my/param}\n  b: x-${cf:stack.Out}\n  c: ${ssm:/p, 'fallback never used'}\n  d: ${env:NOPE, ssm:/q}\n  e: ${self:custom.a}\n  f: ${sls:instanceId}\n  g: ${param:key}\n  h: ${construct:queue.url}\n",
            Opaque(
                json!({"a": "${ssm:/my/param}", "b": "x-${cf:stack.Out}", "c": "${ssm:/p, 'fallback never used'}", "d": "${env:NOPE, ssm:/q}", "e": "${self:custom.a}", "f": "${sls:instanceId}", "g": "${param:key}", "h": "${construct:queue.url}"}),
                &[
                    "custom.a", "custom.b", "custom.c", "custom.d", "custom.e", "custom.f",
                    "custom.g", "custom.h",
                ],
            ),
        ),
        c(
            "a partly opaque mapping is copied with its opaque leaf",
            "custom:\n  env:\n    A: ${ssm:/a}\n    B: b\n  copy: ${self:custom.env}\n",
            Opaque(
                json!({"env": {"A": "${ssm:/a}", "B": "b"}, "copy": {"A": "${ssm:/a}", "B": "b"}}),
                &["custom.env.A", "custom.copy.A"],
            ),
        ),
        c(
            "opt:other without value takes its fallback",
            "custom:\n  a: ${opt:foo, 'x'}\n  b: ${opt:foo}\n",
            Opaque(json!({"a": "x", "b": "${opt:foo}"}), &["custom.b"]),
        ),
        // Errors, with the framework's words.
        c(
            "circular reference",
            "custom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n",
            Error(
                "Circular reference among \"custom.b\" and \"custom.a\" properties",
                "${self:custom.a}",
            ),
        ),
        c(
            "self reference",
            "custom:\n  a: x${self:custom.a}\n",
            Error(
                "Circular reference. \"custom.a\" refers to itself",
                "${self:custom.a}",
            ),
        ),
        c(
            "refers to its own mapping",
            "custom:\n  a:\n    b: ${self:custom.a}\n",
            Error(
                "Circular reference. \"custom.a.b\" refers to itself",
                "${self:custom.a}",
            ),
        ),
        c(
            "missing stage option",
            "custom:\n  a: pre-${opt:stage}\n",
            Error(
                "Cannot resolve variable at \"custom.a\": Value not found at \"opt\" source",
                "${opt:stage}",
            ),
        ),
        c(
            "missing env",
            "custom:\n  a: '${env:NOPE}'\n",
            Error(
                "Cannot resolve variable at \"custom.a\": Value not found at \"env\" source",
                "${env:NOPE}",
            ),
        ),
        c(
            "missing self",
            "custom:\n  a: \"x ${self:provider.stage}\"\n",
            Error(
                "Cannot resolve variable at \"custom.a\": Value not found at \"self\" source",
                "${self:provider.stage}",
            ),
        ),
        c(
            "object in a string",
            "custom:\n  a: x${self:custom.o}\n  o: {a: 1}\n",
            Error(
                "String value consist of variable which resolve with non-string value",
                "${self:custom.o}",
            ),
        ),
        c(
            "nested source is a syntax error in v3",
            "custom:\n  a: ${opt:stage, ${self:custom.n}}\n  n: dev\n",
            Error(
                "Variable syntax error at \"custom.a\": Invalid variable source at index 13",
                "$",
            ),
        ),
        c(
            "unquoted fallback",
            "custom:\n  a: ${opt:stage, dev}\n",
            Error("Invalid literal source \"dev\" at index 13", "d"),
        ),
        c(
            "unterminated",
            "custom:\n  a: x${opt:stage\n",
            Error(
                "Missing variable closing bracket in x${opt:stage",
                "${opt:stage",
            ),
        ),
        c(
            "sls unknown address",
            "custom:\n  a: ${sls:foo}\n",
            Error(
                "Unsupported \"foo\" address argument in variable \"sls\" source",
                "${sls:foo}",
            ),
        ),
        c(
            "strToBool(0): the literal 0 is falsy, so there is no input",
            "custom:\n  a: ${strToBool(0)}\n",
            Error(
                "Cannot resolve variable at \"custom.a\": Missing \"strToBool\" input",
                "${strToBool(0)}",
            ),
        ),
        c(
            "strToBool bad input",
            "custom:\n  a: ${strToBool(yes)}\n",
            Error(
                "Invalid \"strToBool\" input: Expected either \"true\", \"false\", \"0\", or \"1\". Received: yes",
                "${strToBool(yes)}",
            ),
        ),
        c(
            "early property behind SSM",
            "custom:\n  s: ${ssm:/stage}\nuseDotenv: ${self:custom.s}\n",
            Error(
                "\"useDotenv\" property is not accessible (configured behind variables which cannot be resolved at this stage)",
                "${self:custom.s}",
            ),
        ),
    ];
    v.push(Case {
        name: "stage option",
        fw: Framework::V3,
        stage: Some("prod"),
        yaml: "custom:\n  a: ${opt:stage}\n  b: ${sls:stage}\n  c: ${opt:stage, 'dev'}\n",
        expect: Expect::Custom(json!({"a": "prod", "b": "prod", "c": "prod"})),
    });
    // v1.
    for (name, yaml, expect) in [
        (
            "v1 defaults of the Service object",
            "custom:\n  a: ${self:provider.stage}-${self:provider.region}\n  b: ${sls:stage}\n  q: ${self:service}\n  p: ${self:provider}\n",
            Expect::Custom(json!({"a": "dev-us-east-1", "b": {}, "q": "svc", "p": "aws"})),
        ),
        (
            "v1 fallbacks skip empty objects and missing values",
            "custom:\n  c: ${opt:stage, 'x'}-${opt:region, \"y\"}\n  e: ${env:NOPE, env:NOPE2, 'z'}\n  k: ${self:custom.o, 'fb'}\n  o: {}\n  p: ${opt:stage, self:custom.n}\n  n: dev\n  s: ${opt:stage, 7}\n  t: ${strToBool(true)}\n",
            Expect::Custom(
                json!({"c": "x-y", "e": "z", "k": "fb", "o": {}, "p": "dev", "n": "dev", "s": 7, "t": true}),
            ),
        ),
        (
            "v1 nested variables paste text",
            "custom:\n  m: ${opt:stage, ${self:custom.n}}\n  n: dev\n  r: ${self:custom.missing}\n  w: ${opt:stage, 'a'}${self:custom.num}\n  num: 5\n",
            Expect::Custom(json!({"n": "dev", "w": "a5", "num": 5})),
        ),
        (
            "v1 has no escapes",
            "custom:\n  a: dev\n  g: \"\\\\${self:custom.a}\"\n",
            Expect::Custom(json!({"a": "dev", "g": "\\dev"})),
        ),
        (
            "v1 refuses CloudFormation pseudo parameters",
            "custom:\n  x: ${opt:stage, 'a'}-${AWS::Region}\n",
            Expect::Error(
                "Invalid variable reference syntax for variable AWS::Region",
                "${AWS::Region}",
            ),
        ),
        (
            "v1 booleans cannot be pasted",
            "custom:\n  x: a-${self:custom.t}\n  t: true\n",
            Expect::Error(
                "Trying to populate non string value into a string for variable ${self:custom.t}",
                "${self:custom.t}",
            ),
        ),
        (
            "v1 circular references are reported",
            "custom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n",
            Expect::Error("Circular reference", "${self:custom.a}"),
        ),
    ] {
        v.push(Case {
            name,
            fw: Framework::V1,
            stage: None,
            yaml,
            expect,
        });
    }
    v
}

#[test]
fn table() {
    let mut failures = Vec::new();
    for case in cases() {
        let text = format!("{HEAD}{}", case.yaml);
        let mut o = opts(case.fw);
        o.stage = case.stage.map(str::to_owned);
        let run = run_files(&[("serverless.yml", &text)], &o);
        let problem = match (&case.expect, &run.result) {
            (Expect::Custom(want), Ok(r)) => {
                let got = custom(r);
                (got != *want || !r.unresolved.is_empty())
                    .then(|| format!("got {got}, unresolved {:?}; want {want}", r.unresolved))
            }
            (Expect::Opaque(want, paths), Ok(r)) => {
                let got = custom(r);
                let mut got_paths = Vec::new();
                collect_unresolved(&r.root, "", &mut got_paths);
                (got != *want || got_paths != *paths).then(|| {
                    format!("got {got} opaque {got_paths:?}; want {want} opaque {paths:?}")
                })
            }
            (Expect::Error(msg, at), Err(e)) => {
                let here = text_at(&run.sources, e.loc);
                (!e.message.contains(msg) || here != *at).then(|| {
                    format!(
                        "got error {:?} at {here:?}; want {msg:?} at {at:?}",
                        e.message
                    )
                })
            }
            (_, Err(e)) => Some(format!(
                "unexpected error {:?} at {:?}",
                e.message,
                text_at(&run.sources, e.loc)
            )),
            (Expect::Error(msg, _), Ok(r)) => {
                Some(format!("want error {msg:?}, got {}", custom(r)))
            }
        };
        if let Some(p) = problem {
            failures.push(format!("{}: {p}", case.name));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn collect_unresolved(n: &Node, path: &str, out: &mut Vec<String>) {
    use slsasync::source::Value;
    match &n.value {
        Value::Unresolved(_) => out.push(path.to_owned()),
        Value::Map(m) => {
            for e in m.iter() {
                let p = if path.is_empty() {
                    e.key.clone()
                } else {
                    format!("{path}.{}", e.key)
                };
                collect_unresolved(&e.value, &p, out);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_unresolved(item, &format!("{path}.{i}"), out);
            }
        }
        _ => {}
    }
}

fn ok(run: &Run) -> &Resolved {
    match &run.result {
        Ok(r) => r,
        Err(e) => panic!(
            "unexpected error {:?} at {:?}",
            e.message,
            text_at(&run.sources, e.loc)
        ),
    }
}

fn err(run: &Run) -> (String, String, String) {
    match &run.result {
        Ok(r) => panic!("expected an error, got {}", to_json(&r.root)),
        Err(e) => (
            e.message.clone(),
            text_at(&run.sources, e.loc),
            run.sources.file(e.loc.file).path.display().to_string(),
        ),
    }
}

#[test]
fn file_includes_keep_their_spans() {
    let cfg = format!(
        "{HEAD}custom:\n  all: ${{file(./inc/data.yml)}}\n  one: ${{file(./inc/data.yml):a.b}}\n  deep: ${{self:custom.all.c}}\n"
    );
    let run = run_files(
        &[
            ("serverless.yml", &cfg),
            // Paths inside an included file are relative to the service
            // directory too, and `self:` is the main config.
            (
                "inc/data.yml",
                "a:\n  b: 'quoted'\nc: ${self:service}-${file(./inc/more.json):k}\n",
            ),
            ("inc/more.json", "{\"k\": [1, 2]}"),
        ],
        &opts(Framework::V3),
    );
    let r = ok(&run);
    assert_eq!(
        custom(r),
        json!({"all": {"a": {"b": "quoted"}, "c": "svc-1,2"}, "one": "quoted", "deep": "svc-1,2"})
    );
    let b = r.root.get_path(&["custom", "all", "a", "b"]).unwrap();
    assert!(run.sources.file(b.loc.file).path.ends_with("inc/data.yml"));
    assert_eq!(text_at(&run.sources, b.loc), "'quoted'");
    let one = r.root.get_path(&["custom", "one"]).unwrap();
    assert_eq!(text_at(&run.sources, one.loc), "'quoted'");
}

#[test]
fn file_misses_take_fallbacks_or_fail_at_the_variable() {
    let cfg = format!(
        "{HEAD}custom:\n  a: ${{file(./nope.yml), 'fb'}}\n  b: ${{file(./x.yml):missing, self:service}}\n  c: ${{file(./nope.js), 'no js'}}\n"
    );
    let run = run_files(
        &[("serverless.yml", &cfg), ("x.yml", "k: 1\n")],
        &opts(Framework::V3),
    );
    assert_eq!(
        custom(ok(&run)),
        json!({"a": "fb", "b": "svc", "c": "no js"})
    );

    let cfg = format!("{HEAD}custom:\n  a: x-${{file(./nope.yml)}}\n");
    let run = run_files(&[("serverless.yml", &cfg)], &opts(Framework::V3));
    let (msg, at, _) = err(&run);
    assert_eq!(
        msg,
        "Cannot resolve variable at \"custom.a\": Value not found at \"file\" source"
    );
    assert_eq!(at, "${file(./nope.yml)}");
}

#[test]
fn code_is_never_run_and_text_is_text() {
    let cfg = format!(
        "{HEAD}custom:\n  js: ${{file(./conf.js):value}}\n  cjs: ${{file(./conf.cjs), 'fb'}}\n  txt: ${{file(./key.pem)}}\n  ts: ${{file(./conf.ts)}}\n"
    );
    let run = run_files(
        &[
            ("serverless.yml", &cfg),
            ("conf.js", "module.exports = { value: process.exit(1) };\n"),
            ("conf.cjs", "module.exports = 1;\n"),
            ("key.pem", "-----KEY-----\n"),
            ("conf.ts", "export default {};\n"),
        ],
        &opts(Framework::V3),
    );
    let r = ok(&run);
    assert_eq!(
        custom(r),
        json!({"js": "${file(./conf.js):value}", "cjs": "${file(./conf.cjs), 'fb'}", "txt": "-----KEY-----\n", "ts": "export default {};\n"})
    );
    assert_eq!(r.unresolved.len(), 2);
    match &r.root.get_path(&["custom", "js"]).unwrap().value {
        slsasync::source::Value::Unresolved(u) => assert_eq!(u.reason, "file(./conf.js):value"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn include_cycles_are_errors_at_the_include() {
    let cfg = format!("{HEAD}custom:\n  a: ${{file(./a.yml)}}\n");
    let run = run_files(
        &[
            ("serverless.yml", &cfg),
            ("a.yml", "x: ${file(./b.yml)}\n"),
            ("b.yml", "y:\n  - ${file(./a.yml)}\n"),
        ],
        &opts(Framework::V3),
    );
    let (msg, at, file) = err(&run);
    assert!(
        msg.contains("Circular file include: a.yml → b.yml → a.yml"),
        "{msg}"
    );
    assert_eq!(at, "${file(./a.yml)}");
    assert!(file.ends_with("b.yml"), "{file}");

    // Reading the same file again for another key is no cycle.
    let run = run_files(
        &[
            ("serverless.yml", &cfg),
            ("a.yml", "x: ${file(./a.yml):y}\ny: 1\n"),
        ],
        &opts(Framework::V3),
    );
    assert_eq!(custom(ok(&run)), json!({"a": {"x": 1, "y": 1}}));
}

#[test]
fn outside_the_service_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("svc")).unwrap();
    std::fs::write(dir.path().join("shared.yml"), "k: v\n").unwrap();
    let cfg = format!(
        "{HEAD}custom:\n  a: ${{file(../shared.yml):k}}\n  b: ${{file(../none.yml), 'fb'}}\n"
    );
    std::fs::write(dir.path().join("svc/serverless.yml"), &cfg).unwrap();
    let config = dir.path().join("svc/serverless.yml");
    let run = run_path(&config, &opts(Framework::V3));
    let (msg, at, _) = err(&run);
    assert!(msg.contains("is outside the service directory"), "{msg}");
    assert_eq!(at, "${file(../shared.yml):k}");
    let mut o = opts(Framework::V3);
    o.allow_outside = true;
    let run = run_path(&config, &o);
    assert_eq!(custom(ok(&run)), json!({"a": "v", "b": "fb"}));
}

#[test]
fn parse_errors_in_included_files_point_into_them() {
    let cfg =
        format!("{HEAD}custom:\n  a: ${{file(./bad.yml)}}\n  j: ${{file(./bad.json), 'x'}}\n");
    let run = run_files(
        &[("serverless.yml", &cfg), ("bad.yml", "a: [1\n")],
        &opts(Framework::V3),
    );
    let (msg, _, file) = err(&run);
    assert!(
        msg.starts_with("Cannot resolve variable at \"custom.a\": Cannot parse \"bad.yml\""),
        "{msg}"
    );
    assert!(file.ends_with("bad.yml"), "{file}");
}

#[test]
fn json_configs_resolve_too() {
    let run = run_files(
        &[(
            "serverless.json",
            "{\"service\": \"svc\", \"provider\": {\"name\": \"aws\", \"stage\": \"${opt:stage, 'qa'}\"}, \"custom\": {\"a\": \"${self:provider.stage}-${sls:stage}\"}}",
        )],
        &opts(Framework::V3),
    );
    assert_eq!(custom(ok(&run)), json!({"a": "qa-qa"}));
}

#[test]
fn no_env_means_fallback_or_opaque() {
    let mut o = opts(Framework::V3);
    o.env = EnvSource::None;
    let cfg = format!(
        "{HEAD}custom:\n  a: ${{env:LANG, 'fb'}}\n  b: ${{env:LANG}}\n  c: x-${{self:custom.b}}\n"
    );
    let run = run_files(&[("serverless.yml", &cfg)], &o);
    let r = ok(&run);
    assert_eq!(
        custom(r),
        json!({"a": "fb", "b": "${env:LANG}", "c": "x-${self:custom.b}"})
    );
    let texts: Vec<String> = r
        .unresolved
        .iter()
        .map(|l| text_at(&run.sources, *l))
        .collect();
    assert_eq!(texts, ["${env:LANG}", "x-${self:custom.b}"]);
}

#[test]
fn exponential_copies_are_bounded() {
    // Each level copies the previous one twice: 2^40 nodes if expanded.
    let mut cfg = format!("{HEAD}custom:\n  l0: [a, b]\n");
    for i in 1..40 {
        cfg.push_str(&format!(
            "  l{i}:\n    - ${{self:custom.l{}}}\n    - ${{self:custom.l{}}}\n",
            i - 1,
            i - 1
        ));
    }
    let t = std::time::Instant::now();
    let run = run_files(&[("serverless.yml", &cfg)], &opts(Framework::V3));
    let (msg, _, _) = err(&run);
    assert!(msg.contains("variable expansion is too large"), "{msg}");
    assert!(t.elapsed().as_secs() < 20);

    // Strings double too.
    let mut cfg = format!("{HEAD}custom:\n  s0: abcdefgh\n");
    for i in 1..60 {
        cfg.push_str(&format!(
            "  s{i}: ${{self:custom.s{}}}${{self:custom.s{}}}\n",
            i - 1,
            i - 1
        ));
    }
    let run = run_files(&[("serverless.yml", &cfg)], &opts(Framework::V3));
    let (msg, _, _) = err(&run);
    assert!(msg.contains("variable expansion is too large"), "{msg}");
}

#[test]
fn long_reference_chains_stop_cleanly() {
    let mut cfg = format!("{HEAD}custom:\n  c0: end\n");
    for i in 1..3000 {
        cfg.push_str(&format!("  c{i}: ${{self:custom.c{}}}\n", i - 1));
    }
    // Resolving from the end of the chain nests deeply.
    cfg.push_str("  z: ${self:custom.c2999}\n");
    let cfg2 = cfg.replace(
        "custom:\n  c0: end\n",
        "custom:\n  z0: ${self:custom.c2999}\n  c0: end\n",
    );
    for text in [cfg, cfg2] {
        let run = run_files(&[("serverless.yml", &text)], &opts(Framework::V3));
        if let Err(e) = &run.result {
            assert!(e.message.contains("levels deep"), "{}", e.message);
        }
    }
}

#[test]
fn early_properties_cannot_wait_for_aws() {
    let cfg = "service: svc\nprovider:\n  name: aws\n  stage: ${ssm:/stage}\n";
    let run = run_files(&[("serverless.yml", cfg)], &opts(Framework::V3));
    let (msg, at, _) = err(&run);
    assert_eq!(
        msg,
        "Cannot resolve serverless.yml: \"provider.stage\" property is not accessible (configured behind variables which cannot be resolved at this stage)"
    );
    assert_eq!(at, "${ssm:/stage}");
    // A value only we cannot know is fine.
    let cfg = "service: svc\nprovider:\n  name: aws\n  stage: ${file(./stage.js)}\n";
    let run = run_files(
        &[
            ("serverless.yml", cfg),
            ("stage.js", "module.exports = 'x'"),
        ],
        &opts(Framework::V3),
    );
    assert_eq!(ok(&run).unresolved.len(), 1);
    // Options outside `serverless package`'s own are not known yet either,
    // fallback or not, directly or through a reference.
    for stage in [
        "${opt:foo, 'dev'}",
        "${self:custom.s}\ncustom:\n  s: ${opt:foo, 'dev'}",
    ] {
        let cfg = format!("service: svc\nprovider:\n  name: aws\n  stage: {stage}\n");
        let run = run_files(&[("serverless.yml", &cfg)], &opts(Framework::V3));
        let (msg, _, _) = err(&run);
        assert!(
            msg.contains("\"provider.stage\" property is not accessible"),
            "{msg}"
        );
    }
    let cfg = "service: svc\nprovider:\n  name: aws\n  stage: ${opt:region, 'dev'}\ncustom:\n  a: ${opt:foo, 'x'}\n";
    let run = run_files(&[("serverless.yml", cfg)], &opts(Framework::V3));
    assert_eq!(custom(ok(&run)), json!({"a": "x"}));
    // Deprecation settings are read before any resolution.
    let cfg =
        "service: svc\nprovider:\n  name: aws\ndisabledDeprecations:\n  - ${opt:stage, 'X'}\n";
    let run = run_files(&[("serverless.yml", cfg)], &opts(Framework::V3));
    let (msg, _, _) = err(&run);
    assert!(
        msg.contains("\"disabledDeprecations\" property is not accessible"),
        "{msg}"
    );
}

/// Found by fuzzing: a document that is one string referring to the whole
/// document (`${self:}`) overflowed the stack instead of reporting a cycle.
#[test]
fn a_document_that_is_one_self_referring_string_is_a_cycle() {
    for fw in [Framework::V1, Framework::V3] {
        for text in [
            "TAG` -A${fTRUE${self:{fTRUE${self:}}\n",
            "${self:}\n",
            "x${self:}\n",
        ] {
            let run = run_files(&[("serverless.yml", text)], &opts(fw));
            // Either a clean error or a value: never a crash.
            if let Err(e) = run.result {
                assert!(!e.message.is_empty(), "{text:?}");
            }
        }
    }
}
