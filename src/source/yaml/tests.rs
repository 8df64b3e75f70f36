use super::*;
use crate::source::json::to_json;
use crate::source::{Style, Value};
use serde_json::json;

const F: FileId = FileId(7);

fn load(text: &str) -> Parsed {
    match parse_yaml(text, F, Dialect::JsYaml4) {
        Ok(p) => p,
        Err(e) => panic!("{text:?}: {} at {:?}", e.message, e.loc),
    }
}

fn err(text: &str) -> YamlError {
    match parse_yaml(text, F, Dialect::JsYaml4) {
        Ok(p) => panic!("{text:?} loaded: {}", to_json(&p.root)),
        Err(e) => e,
    }
}

fn slice(text: &str, loc: Loc) -> &str {
    text.get(loc.range()).unwrap_or("<out of range>")
}

fn at<'a>(root: &'a Node, path: &[&str]) -> &'a Node {
    let mut n = root;
    for p in path {
        n = match (&n.value, p.parse::<usize>()) {
            (Value::Seq(items), Ok(i)) => &items[i],
            _ => n.get(p).unwrap_or_else(|| panic!("no {p}")),
        };
    }
    n
}

fn key_loc(root: &Node, path: &[&str], key: &str) -> Loc {
    at(root, path)
        .as_map()
        .and_then(|m| m.entry(key))
        .map(|e| e.key_loc)
        .unwrap_or_else(|| panic!("no key {key}"))
}

#[test]
fn typing_follows_js_yaml_4_and_3() {
    let text =
        "a: on\nb: TRUE\nc: 0755\nd: 0o755\ne: 1:20\nf: 2001-12-14\ng: ~\nh: 1_000\ni: .inf\n";
    let v4 = to_json(&load(text).root);
    assert_eq!(
        v4,
        json!({"a": "on", "b": true, "c": 755, "d": 493, "e": "1:20", "f": "2001-12-14T00:00:00.000Z", "g": null, "h": "1_000", "i": null})
    );
    let v3 = parse_yaml(text, F, Dialect::JsYaml3).map(|p| to_json(&p.root));
    assert_eq!(
        v3.ok(),
        Some(
            json!({"a": "on", "b": true, "c": 493, "d": "0o755", "e": 80, "f": "2001-12-14T00:00:00.000Z", "g": null, "h": 1000, "i": null})
        )
    );
    assert_eq!(
        at(&load("x: .inf").root, &["x"]).as_f64(),
        Some(f64::INFINITY)
    );
}

#[test]
fn keys_are_javascript_strings_in_property_order() {
    let p = load("b: 1\n202: 2\n1.0: 3\ntrue: 4\n~: 5\n'007': 6\n10: 7\n");
    let keys: Vec<_> = p
        .root
        .as_map()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["1", "10", "202", "b", "true", "null", "007"]);
    let e = err("r:\n  202: a\n  '202': b\n");
    assert!(
        e.message.contains("duplicated mapping key"),
        "{}",
        e.message
    );
    assert_eq!(e.loc, Loc::new(F, 14, 19), "the second key");
}

#[test]
fn merges_keep_js_yaml_order_and_overrides() {
    let p = load("b: &b {x: 1, y: 2}\nc:\n  y: 0\n  <<: *b\n  z: 3\n");
    assert_eq!(
        to_json(at(&p.root, &["c"])).to_string(),
        r#"{"y":0,"x":1,"z":3}"#
    );
    let p = load("b: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 9\n");
    assert_eq!(to_json(at(&p.root, &["c"])).to_string(), r#"{"x":9,"y":2}"#);
    let e = err("b: &b {x: 1}\nc:\n  <<: *b\n  x: 9\n  x: 10\n");
    assert!(e.message.contains("duplicated"));
    let e = err("c:\n  <<: 1\n");
    assert!(e.message.contains("cannot merge"));
}

#[test]
fn spans_cover_the_value_text() {
    let text = "# head\nkey: &a 'quoted' # right\nempty:\nlist:\n  - a\n  - \"q\"\n  -\nnested:\n  x: 1\n\n  # trailing\n\nflow: {a: 1, b: [1, 2]}\nlit: |-\n  one\n  two\n\n# after\nfold: >\n  x\nal: *a\nlast: x\n";
    let p = load(text);
    let r = &p.root;
    assert_eq!(
        slice(text, r.loc).lines().next(),
        Some("key: &a 'quoted' # right")
    );
    assert!(slice(text, r.loc).ends_with("last: x"));
    let v = at(r, &["key"]);
    assert_eq!(
        (slice(text, v.loc), v.style),
        ("'quoted'", Style::SingleQuoted)
    );
    assert_eq!(slice(text, key_loc(r, &[], "key")), "key");
    let empty = at(r, &["empty"]);
    assert!(empty.is_null() && empty.loc.is_empty());
    assert_eq!(
        text.get(..empty.loc.start).map(|s| s.ends_with("empty:")),
        Some(true)
    );
    assert_eq!(slice(text, at(r, &["list"]).loc), "- a\n  - \"q\"\n  -");
    assert_eq!(at(r, &["list"]).style, Style::Plain);
    assert_eq!(slice(text, at(r, &["list", "1"]).loc), "\"q\"");
    assert_eq!(
        slice(text, at(r, &["nested"]).loc),
        "x: 1",
        "no trailing blank or comment lines"
    );
    let flow = at(r, &["flow"]);
    assert_eq!(
        (slice(text, flow.loc), flow.style),
        ("{a: 1, b: [1, 2]}", Style::Flow)
    );
    assert_eq!(slice(text, at(r, &["flow", "b"]).loc), "[1, 2]");
    let lit = at(r, &["lit"]);
    assert_eq!(
        (slice(text, lit.loc), lit.style),
        ("|-\n  one\n  two", Style::Literal)
    );
    assert_eq!(lit.as_str(), Some("one\ntwo"));
    let fold = at(r, &["fold"]);
    assert_eq!(
        (slice(text, fold.loc), fold.style),
        (">\n  x", Style::Folded)
    );
    // An alias points at the anchored value.
    assert_eq!(at(r, &["al"]).loc, v.loc);
}

#[test]
fn comments_are_collected_with_placement() {
    let text = "# head\na: 1 # right\n  # indented own line\nb: '#not'\n";
    let p = load(text);
    let got: Vec<_> = p
        .comments
        .iter()
        .map(|c| (slice(text, c.loc), c.text.as_str(), c.own_line))
        .collect();
    assert_eq!(
        got,
        [
            ("# head", " head", true),
            ("# right", " right", false),
            ("# indented own line", " indented own line", true)
        ]
    );
}

#[test]
fn cloudformation_tags_become_intrinsic_functions() {
    let text = "a: !Ref Foo\nb: !GetAtt Res.Arn.Sub\nc: !Sub\n  - '${x}'\n  - {x: 1}\nd: !Ref 123\ne: !GetAtt [a, b]\nf: !Ref\n";
    let p = load(text);
    assert_eq!(
        to_json(&p.root),
        json!({"a": {"Ref": "Foo"}, "b": {"Fn::GetAtt": ["Res", "Arn.Sub"]}, "c": {"Fn::Sub": ["${x}", {"x": 1}]},
               "d": {"Ref": "123"}, "e": {"Fn::GetAtt": ["a", "b"]}, "f": {"Ref": null}})
    );
    let a = at(&p.root, &["a"]);
    assert_eq!(slice(text, a.loc), "!Ref Foo");
    assert_eq!(slice(text, key_loc(&p.root, &["a"], "Ref")), "!Ref");
    assert_eq!(slice(text, at(&p.root, &["a", "Ref"]).loc), "Foo");
    assert_eq!(
        slice(text, at(&p.root, &["b", "Fn::GetAtt", "0"]).loc),
        "Res"
    );
    assert_eq!(
        slice(text, at(&p.root, &["b", "Fn::GetAtt", "1"]).loc),
        "Arn.Sub"
    );
    let e = err("a: !Foo x\n");
    assert!(e.message.contains("unknown tag `!Foo`"));
    assert_eq!(slice("a: !Foo x\n", e.loc), "!Foo");
    assert!(e.help.is_some());
}

#[test]
fn bom_crlf_and_empty_documents() {
    let text = "\u{feff}a: 1\r\nb: |\r\n  x\r\n  y\r\n";
    let p = load(text);
    assert_eq!(to_json(&p.root), json!({"a": 1, "b": "x\ny\n"}));
    assert_eq!(slice(text, key_loc(&p.root, &[], "a")), "a");
    assert_eq!(slice(text, at(&p.root, &["b"]).loc), "|\r\n  x\r\n  y");
    for empty in ["", "# only a comment\n", "\n\n", "\u{feff}"] {
        assert!(load(empty).root.is_null(), "{empty:?}");
    }
    let e = err("a: 1\n---\nb: 2\n");
    assert_eq!(slice("a: 1\n---\nb: 2\n", e.loc), "---");
}

#[test]
fn syntax_errors_have_a_location_and_plain_words() {
    let text = "a:\n\tb: 1\n";
    let e = err(text);
    assert!(e.message.contains("tab"), "{}", e.message);
    assert_eq!(e.loc.start, 3);
    assert!(e.help.is_some());
    let text = "a: [1, 2\nb: 3\n";
    let e = err(text);
    assert!(e.loc.start <= text.len() && e.loc.is_empty());
    let e = err("a: *nowhere\n");
    assert!(e.message.contains("anchor"));
    let e = err("a: 1\n: x\n");
    assert_eq!(e.loc.start, 5);
}

#[test]
fn json_like_flow_adjacent_values_are_repaired_with_original_spans() {
    let text = "x: {a:[1], b:{c: 2}} # c\n";
    let p = load(text);
    assert_eq!(to_json(&p.root), json!({"x": {"a": [1], "b": {"c": 2}}}));
    assert_eq!(slice(text, at(&p.root, &["x", "b"]).loc), "{c: 2}");
    assert_eq!(slice(text, at(&p.root, &["x", "b", "c"]).loc), "2");
    assert_eq!(p.comments.first().map(|c| slice(text, c.loc)), Some("# c"));
}

fn billion_laughs() -> String {
    let mut s = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    s
}

#[test]
fn alias_bombs_fail_fast_at_the_alias() {
    let text = billion_laughs();
    let limits = Limits {
        max_nodes: 100_000,
        max_depth: 200,
    };
    let started = std::time::Instant::now();
    let e = match parse_yaml_with(&text, F, Dialect::JsYaml4, &limits) {
        Ok(_) => panic!("bomb loaded"),
        Err(e) => e,
    };
    assert!(started.elapsed().as_secs() < 5);
    assert!(e.message.contains("100000 nodes"), "{}", e.message);
    assert!(
        slice(&text, e.loc).starts_with('*'),
        "{:?}",
        slice(&text, e.loc)
    );
    // Long strings count too.
    let long = format!(
        "a: &a \"{}\"\nb: [{}]\n",
        "x".repeat(100_000),
        vec!["*a"; 200].join(",")
    );
    assert!(parse_yaml_with(&long, F, Dialect::JsYaml3, &limits).is_err());
    // The default limit allows ordinary reuse.
    assert!(parse_yaml("a: &a {x: 1}\nb: [*a, *a, *a]\n", F, Dialect::JsYaml4).is_ok());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let n = 10_000;
    let flow = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let flow_map = format!("{}1{}", "{a: ".repeat(n), "}".repeat(n));
    let block: String = (0..n).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    let seq: String = (0..n).map(|i| format!("{}- \n", " ".repeat(i))).collect();
    for text in [&flow, &flow_map, &block, &seq] {
        for d in [Dialect::JsYaml3, Dialect::JsYaml4] {
            let e = parse_yaml(text, F, d).err();
            assert!(
                e.is_some_and(|e| e.message.contains("deep") || e.message.contains("maxDepth"))
            );
        }
    }
    // js-yaml 4 stops at 100 levels, js-yaml 3 does not.
    let text = format!("{}1{}", "[".repeat(120), "]".repeat(120));
    assert!(parse_yaml(&text, F, Dialect::JsYaml4).is_err());
    assert!(parse_yaml(&text, F, Dialect::JsYaml3).is_ok());
    let small = Limits {
        max_nodes: 1000,
        max_depth: 3,
    };
    assert!(parse_yaml_with("a: {b: {c: 1}}", F, Dialect::JsYaml3, &small).is_err());
    assert!(parse_yaml_with("a: {b: 1}", F, Dialect::JsYaml3, &small).is_ok());
}

/// Small deterministic generator for the no-panic sweep.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SAMPLE: &str = "\u{feff}# c\nservice: svc # 非同期\nprovider: {name: aws, x:[1]}\ncustom:\n  d: &d\n    method: post\n    <<: {cors: true}\nfunctions:\n  f:\n    handler: h.f\n    events:\n      - http:\n          <<: *d\n          path: !Sub '${x}/p'\n          r: !GetAtt a.b\n          s: |-\n            text\n          202: {pattern: ''}\n      - \"q\\u263A\"\n      - [a, b, ? c]\nk: 2001-12-14\n";

#[test]
fn never_panics_on_truncated_or_mutated_input() {
    let pieces = [
        "\t", " ", "\n", "\r", ":", "- ", "#", "'", "\"", "[", "]", "{", "}", ",", "&a", "*a",
        "*d", "!", "!!", "|", ">", "? ", "%", "---", "...", "<<", "\u{feff}", "\\", "\u{0}", "é",
        "🙂",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut inputs: Vec<String> = SAMPLE
        .char_indices()
        .map(|(i, _)| SAMPLE[..i].to_owned())
        .collect();
    for _ in 0..1500 {
        let mut s = SAMPLE.to_owned();
        for _ in 0..1 + rng.below(3) {
            let mut i = rng.below(s.len());
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            if rng.below(3) == 0 {
                let mut j = i + 1 + rng.below(8);
                while j < s.len() && !s.is_char_boundary(j) {
                    j += 1;
                }
                s.replace_range(i..j.min(s.len()), "");
            } else {
                s.insert_str(i, pieces[rng.below(pieces.len())]);
            }
        }
        inputs.push(s);
    }
    for text in &inputs {
        for d in [Dialect::JsYaml3, Dialect::JsYaml4] {
            if let Err(e) = parse_yaml(text, F, d) {
                assert!(
                    e.loc.start <= e.loc.end && e.loc.end <= text.len(),
                    "{text:?}: {:?}",
                    e.loc
                );
                assert!(text.is_char_boundary(e.loc.start) && text.is_char_boundary(e.loc.end));
            }
        }
        if let Err(e) = parse_json(text, F) {
            assert!(e.loc.end <= text.len());
        }
    }
}

/// Inputs found by `cargo fuzz` (fuzz/fuzz_targets/yaml_source.rs): every
/// error span lies inside the text, on character boundaries.
#[test]
fn fuzz_regressions_error_spans_stay_inside_the_text() {
    for text in [
        "\"\\",
        "\"\\é",
        "\"\\u12",
        "\"\\u",
        "[\"\\🙂\"]",
        "\"\\ud800\\",
    ] {
        let spans = [
            parse_json(text, F).err(),
            parse_yaml(text, F, Dialect::JsYaml4).err(),
            parse_yaml(text, F, Dialect::JsYaml3).err(),
        ];
        for e in spans.into_iter().flatten() {
            assert!(
                e.loc.start <= e.loc.end && e.loc.end <= text.len(),
                "{text:?}: {:?} ({})",
                e.loc,
                e.message
            );
            assert!(
                text.is_char_boundary(e.loc.start) && text.is_char_boundary(e.loc.end),
                "{text:?}: {:?}",
                e.loc
            );
        }
    }
}

#[test]
fn json_parse_semantics_with_spans() {
    let text = r#"{"b": 1, "a": [true, null, -1.5e2, "x\u00e9\n"], "b": {"c": 2}, "10": 0}"#;
    let p = match parse_json(text, F) {
        Ok(p) => p,
        Err(e) => panic!("{}", e.message),
    };
    // Last value wins, at the first key's position; integer keys first.
    assert_eq!(
        to_json(&p.root).to_string(),
        r#"{"10":0,"b":{"c":2},"a":[true,null,-150,"xé\n"]}"#
    );
    assert_eq!(
        slice(text, at(&p.root, &["a"]).loc),
        r#"[true, null, -1.5e2, "x\u00e9\n"]"#
    );
    assert_eq!(slice(text, at(&p.root, &["a", "2"]).loc), "-1.5e2");
    assert_eq!(slice(text, key_loc(&p.root, &[], "a")), "\"a\"");
    assert_eq!(at(&p.root, &["a", "3"]).style, Style::DoubleQuoted);
    assert_eq!(p.root.style, Style::Flow);
    let big = parse_json("[1e400, 0.1, 12345678901234567890]", F)
        .map(|p| crate::source::json::stringify_pretty(&to_json(&p.root)));
    assert_eq!(
        big.ok().as_deref(),
        Some("[\n  null,\n  0.1,\n  12345678901234567000\n]\n")
    );
    assert!(parse_json("\"\\ud83d\\ude00\"", F).is_ok_and(|p| p.root.as_str() == Some("😀")));
    for (bad, at) in [
        ("", 0),
        ("{\"a\": 1,}", 8),
        ("[1, 2", 5),
        ("{'a': 1}", 1),
        ("01", 1),
        ("1.", 2),
        ("[1] x", 4),
        ("\"a\nb\"", 2),
        ("\"\\x\"", 1),
        ("\u{feff}{}", 0),
        ("{\"a\" 1}", 5),
        ("NaN", 0),
        ("[.5]", 1),
        ("tru", 0),
    ] {
        match parse_json(bad, F) {
            Ok(_) => panic!("{bad:?} parsed"),
            Err(e) => assert_eq!(e.loc.start, at, "{bad:?}: {}", e.message),
        }
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_json(&deep, F).is_err());
    assert!(
        parse_json(" \t\r\n{ } \n", F).is_ok_and(|p| p.root.as_map().is_some_and(Map::is_empty))
    );
}

use crate::source::Map;
