//! Property tests of the editor: serverless.yml files generated in many
//! styles (indentation 2, 4 or mixed per block, plain/single/double quotes,
//! block, flow and shorthand events, comments everywhere, including tabs and
//! Japanese, CRLF, a BOM, no final newline, anchors and aliases, `<<`
//! merges), each transformed with make-async, make-sync and
//! make-sync --proxy. On every one:
//!
//! * the transform is planned and proven (its re-parsed model is the
//!   intended one) — a refusal or a failed proof is a failure;
//! * every byte outside the changed events is unchanged, and the line
//!   endings, BOM and final newline are the file's;
//! * independently of the proof: the events reach the intended state, and
//!   the rest of the document (resolved) is unchanged;
//! * planning again on the result changes nothing (idempotence).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::Path;

use proptest::prelude::*;
use serde_json::Value as Json;
use slsasync::edit::intent::{self, Request, Selector, Transform};
use slsasync::load::{self, LoadOptions};
use slsasync::source::json::to_json;

#[derive(Clone, Copy, Debug)]
enum Form {
    Block,
    Flow,
    Short,
}

#[derive(Clone, Copy, Debug)]
enum Q {
    Plain,
    Single,
    Double,
}

#[derive(Clone, Debug)]
struct Ev {
    form: Form,
    method: &'static str,
    path: String,
    quote: Q,
    integration: Option<&'static str>,
    asynch: Option<bool>,
    /// Default status code of `response.statusCodes`, with a `400` mapping too when set.
    status: Option<(u16, bool)>,
    headers: bool,
    template: bool,
    comment: Option<&'static str>,
}

#[derive(Clone, Debug)]
struct Func {
    events: Vec<Ev>,
    /// The first event's `response` anchored, the second's an alias of it.
    alias: bool,
    /// method/path merged in from `custom` with `<<`.
    merge: bool,
    /// A non-http event between the http ones.
    other: bool,
    /// `events: [{http: ...}, ...]` on one line.
    flow_list: bool,
}

#[derive(Clone, Debug)]
struct Doc {
    units: [usize; 3],
    seq_indented: bool,
    crlf: bool,
    bom: bool,
    final_newline: bool,
    comment_lines: bool,
    funcs: Vec<Func>,
}

const COMMENTS: [&str; 5] = [
    "# note",
    "# 非同期呼び出しを有効化",
    "#\ttab\tinside",
    "# a: b, {c}",
    "#",
];

fn quote(s: &str, q: Q) -> String {
    match q {
        Q::Plain => s.to_owned(),
        Q::Single => format!("'{s}'"),
        Q::Double => format!("\"{s}\""),
    }
}

fn ev_strategy() -> impl Strategy<Value = Ev> {
    (
        (
            prop_oneof![
                Just(Form::Block),
                Just(Form::Block),
                Just(Form::Flow),
                Just(Form::Short)
            ],
            prop_oneof![Just("get"), Just("post"), Just("PUT")],
            "[a-z]{1,6}(/[a-z]{1,4})?",
            prop_oneof![Just(Q::Plain), Just(Q::Single), Just(Q::Double)],
        ),
        (
            prop_oneof![
                Just(None),
                Just(Some("lambda")),
                Just(Some("lambda-proxy")),
                Just(Some("AWS"))
            ],
            prop_oneof![Just(None), Just(Some(true)), Just(Some(false))],
            prop_oneof![
                Just(None),
                Just(Some((200, false))),
                Just(Some((202, false))),
                Just(Some((200, true)))
            ],
            any::<bool>(),
            any::<bool>(),
            prop_oneof![
                Just(None),
                (0..COMMENTS.len()).prop_map(|i| Some(COMMENTS[i]))
            ],
        ),
    )
        .prop_map(
            |(
                (form, method, path, quote),
                (integration, asynch, status, headers, template, comment),
            )| {
                let mut ev = Ev {
                    form,
                    method,
                    path,
                    quote,
                    integration,
                    asynch,
                    status,
                    headers,
                    template,
                    comment,
                };
                if matches!(ev.form, Form::Short) {
                    ev.integration = None;
                    ev.asynch = None;
                    ev.status = None;
                    ev.headers = false;
                    ev.template = false;
                }
                if matches!(ev.form, Form::Flow) {
                    ev.headers = false;
                }
                ev
            },
        )
}

fn func_strategy() -> impl Strategy<Value = Func> {
    (
        prop::collection::vec(ev_strategy(), 1..4),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(mut events, alias, merge, other, flow_list)| {
            if flow_list {
                for ev in &mut events {
                    if matches!(ev.form, Form::Block) {
                        ev.form = Form::Flow;
                        ev.headers = false;
                    }
                }
            }
            let alias = alias
                && events.len() >= 2
                && matches!(events[0].form, Form::Block)
                && matches!(events[1].form, Form::Block)
                && events[0].status.is_some();
            if alias {
                events[1].status = events[0].status;
                events[1].headers = events[0].headers;
            }
            // A merged method/path belongs to a block event.
            let merge = merge && matches!(events[0].form, Form::Block);
            Func {
                events,
                alias: alias && !flow_list,
                merge: merge && !flow_list,
                other,
                flow_list,
            }
        })
}

fn doc_strategy() -> impl Strategy<Value = Doc> {
    (
        [
            prop_oneof![Just(2usize), Just(4)],
            prop_oneof![Just(2usize), Just(4)],
            prop_oneof![Just(2usize), Just(4)],
        ],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(func_strategy(), 1..3),
    )
        .prop_map(
            |(units, seq_indented, crlf, bom, final_newline, comment_lines, funcs)| Doc {
                units,
                seq_indented,
                crlf,
                bom,
                final_newline,
                comment_lines,
                funcs,
            },
        )
}

fn sp(n: usize) -> String {
    " ".repeat(n)
}

/// The file text (LF; CRLF, BOM and final newline applied at the end).
fn render(doc: &Doc) -> String {
    let [u1, u2, u3] = doc.units;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line("service: generated".into());
    line("frameworkVersion: '3'".into());
    line("provider:".into());
    line(format!("{}name: aws", sp(u1)));
    line(format!("{}runtime: nodejs18.x", sp(u1)));
    line("custom:".into());
    line(format!("{}base: &base", sp(u1)));
    line(format!("{}method: get", sp(u1 + u2)));
    line(format!("{}path: merged", sp(u1 + u2)));
    if doc.comment_lines {
        line("# functions below".into());
    }
    line("functions:".into());
    for (fi, f) in doc.funcs.iter().enumerate() {
        let fcol = u1;
        line(format!("{}fn{fi}:", sp(fcol)));
        line(format!("{}handler: h.fn{fi} # handler", sp(fcol + u2)));
        if f.flow_list {
            let items: Vec<String> = f.events.iter().map(flow_item).collect();
            line(format!("{}events: [{}]", sp(fcol + u2), items.join(", ")));
            continue;
        }
        line(format!("{}events:", sp(fcol + u2)));
        let dash = fcol + u2 + if doc.seq_indented { u2 } else { 0 };
        for (ei, ev) in f.events.iter().enumerate() {
            if doc.comment_lines {
                line(format!(
                    "{}# event {ei} {}",
                    sp(dash),
                    COMMENTS[ei % COMMENTS.len()]
                ));
            }
            if f.other && ei == 1 {
                line(format!("{}- sqs: arn:aws:sqs:us-east-1:1:q{fi}", sp(dash)));
            }
            let c = ev.comment.map(|c| format!(" {c}")).unwrap_or_default();
            let path = quote(&ev.path, ev.quote);
            let method = quote(ev.method, ev.quote);
            match ev.form {
                Form::Short => {
                    let s = format!("{} {}", ev.method.to_uppercase(), ev.path);
                    line(format!("{}- http: {}{c}", sp(dash), quote(&s, ev.quote)));
                }
                Form::Flow => {
                    let mut parts = vec![format!("method: {method}"), format!("path: {path}")];
                    if let Some(i) = ev.integration {
                        parts.push(format!("integration: {i}"));
                    }
                    if let Some(a) = ev.asynch {
                        parts.push(format!("async: {a}"));
                    }
                    if let Some((s, err)) = ev.status {
                        let extra = if err {
                            ", 400: {pattern: '.*\\[400\\].*'}"
                        } else {
                            ""
                        };
                        parts.push(format!(
                            "response: {{statusCodes: {{{s}: {{pattern: ''}}{extra}}}}}"
                        ));
                    }
                    if ev.template {
                        parts.push("request: {template: {application/json: '{}'}}".into());
                    }
                    line(format!("{}- http: {{{}}}{c}", sp(dash), parts.join(", ")));
                }
                Form::Block => {
                    line(format!("{}- http:{c}", sp(dash)));
                    let k = dash + 2 + u3;
                    if f.merge && ei == 0 {
                        line(format!("{}<<: *base", sp(k)));
                    } else {
                        line(format!("{}method: {method}", sp(k)));
                        line(format!("{}path: {path}", sp(k)));
                    }
                    if doc.comment_lines {
                        line(format!("{}# inside the event", sp(k)));
                    }
                    if let Some(i) = ev.integration {
                        line(format!("{}integration: {i}{c}", sp(k)));
                    }
                    if let Some(a) = ev.asynch {
                        line(format!("{}async: {a}{c}", sp(k)));
                    }
                    if ev.template {
                        line(format!("{}request:", sp(k)));
                        line(format!("{}template:", sp(k + u3)));
                        line(format!(
                            "{}application/json: '{{\"a\": 1}}'",
                            sp(k + 2 * u3)
                        ));
                    }
                    if let Some((s, err)) = ev.status {
                        if f.alias && ei == 1 {
                            line(format!("{}response: *r{fi}", sp(k)));
                        } else {
                            let anchor = if f.alias && ei == 0 {
                                format!(" &r{fi}")
                            } else {
                                String::new()
                            };
                            line(format!("{}response:{anchor}", sp(k)));
                            if ev.headers {
                                line(format!("{}headers:", sp(k + u3)));
                                line(format!("{}X-A: \"'a'\"", sp(k + 2 * u3)));
                            }
                            line(format!("{}statusCodes:", sp(k + u3)));
                            line(format!("{}{s}:{c}", sp(k + 2 * u3)));
                            line(format!("{}pattern: ''", sp(k + 3 * u3)));
                            if err {
                                line(format!("{}400:", sp(k + 2 * u3)));
                                line(format!("{}pattern: '.*\\[400\\].*'", sp(k + 3 * u3)));
                            }
                        }
                    }
                }
            }
        }
    }
    if doc.comment_lines {
        line("# the end".into());
    }
    let mut text = out;
    if !doc.final_newline {
        text.pop();
    }
    if doc.crlf {
        text = text.replace('\n', "\r\n");
    }
    if doc.bom {
        text.insert(0, '\u{feff}');
    }
    text
}

/// One event as an item of a flow sequence.
fn flow_item(ev: &Ev) -> String {
    let path = quote(&ev.path, ev.quote);
    let method = quote(ev.method, ev.quote);
    if matches!(ev.form, Form::Short) {
        let s = format!("{} {}", ev.method.to_uppercase(), ev.path);
        return format!("{{http: {}}}", quote(&s, ev.quote));
    }
    let mut parts = vec![format!("method: {method}"), format!("path: {path}")];
    if let Some(i) = ev.integration {
        parts.push(format!("integration: {i}"));
    }
    if let Some(a) = ev.asynch {
        parts.push(format!("async: {a}"));
    }
    if let Some((s, _)) = ev.status {
        parts.push(format!(
            "response: {{statusCodes: {{{s}: {{pattern: ''}}}}}}"
        ));
    }
    format!("{{http: {{{}}}}}", parts.join(", "))
}

fn truthy(v: Option<&Json>) -> bool {
    match v {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(Json::String(s)) => !s.is_empty(),
        Some(Json::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(_) => true,
    }
}

fn integration(http: &Json) -> String {
    match http.get("integration").and_then(Json::as_str) {
        Some(s) => match s.to_uppercase().replacen('-', "_", 1).as_str() {
            "LAMBDA" | "AWS" => "AWS".into(),
            "LAMBDA_PROXY" | "AWS_PROXY" => "AWS_PROXY".into(),
            o => o.to_owned(),
        },
        None if truthy(http.get("async")) => "AWS".into(),
        None => "AWS_PROXY".into(),
    }
}

/// `statusCodes` keys whose pattern is empty or missing.
fn defaults(http: &Json) -> Vec<String> {
    http.pointer("/response/statusCodes")
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.get("pattern").is_none_or(|p| p == "" || p.is_null()))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The byte ranges of the function's events (whole lines), and whether the
/// last one reaches the end of a file without a final newline.
fn event_regions(
    text: &str,
    config: &slsasync::load::Config,
    function: &str,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let Some(events) = config
        .raw
        .get("functions")
        .and_then(|f| f.get(function))
        .and_then(|f| f.get("events"))
        .and_then(|e| e.as_seq())
    else {
        return out;
    };
    for ev in events {
        if ev.get("http").is_none() {
            continue;
        }
        let start = text[..ev.loc.start].rfind('\n').map_or(0, |i| i + 1);
        let mut end = ev.loc.end;
        if let Some(h) = ev.get("http") {
            end = end.max(h.loc.end);
        }
        let end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        out.push((start, end));
    }
    out
}

/// Everything outside `regions` appears unchanged, in order, in `new`.
fn outside_unchanged(old: &str, new: &str, regions: &[(usize, usize)]) -> Result<(), String> {
    let mut segs: Vec<&str> = Vec::new();
    let mut cursor = 0;
    let mut rs = regions.to_vec();
    rs.sort();
    for (s, e) in rs {
        if s > cursor {
            segs.push(&old[cursor..s]);
        }
        cursor = cursor.max(e);
    }
    let tail = &old[cursor.min(old.len())..];
    let last_region_at_eof = cursor >= old.len();
    // A deletion reaching the end of a file without a final newline takes the line break before it.
    if last_region_at_eof
        && !old.ends_with('\n')
        && let Some(last) = segs.last_mut()
    {
        *last = last
            .strip_suffix("\r\n")
            .or_else(|| last.strip_suffix('\n'))
            .unwrap_or(last);
    }
    let mut pos = 0;
    for (i, seg) in segs.iter().enumerate() {
        if i == 0 {
            if !new.starts_with(seg) {
                return Err(format!("the text before the events changed:\n{seg:?}"));
            }
            pos = seg.len();
            continue;
        }
        match new[pos..].find(seg) {
            Some(at) => pos += at + seg.len(),
            None => return Err(format!("text between the events changed: {seg:?}")),
        }
    }
    if !new[pos..].ends_with(tail) {
        return Err(format!("the text after the events changed: {tail:?}"));
    }
    Ok(())
}

fn without_events(mut root: Json, function: &str) -> Json {
    if let Some(f) = root.pointer_mut(&format!("/functions/{function}")) {
        f.as_object_mut().map(|o| o.remove("events"));
    }
    root
}

/// `shared`: the function uses an anchor/alias or a `<<` merge, where a
/// refusal naming the shared value is the right answer.
fn check(
    text: &str,
    function: &str,
    transform: Transform,
    shared: bool,
) -> Result<bool, TestCaseError> {
    let path = Path::new("serverless.yml");
    let opts = LoadOptions::default();
    let config = load::load_text(path, text.to_owned(), &opts).map_err(|f| {
        TestCaseError::fail(format!("generated file does not load: {}", f.fatal.message))
    })?;
    let req = Request {
        function: function.to_owned(),
        transform,
        select: Selector::All,
    };
    let plan = match intent::plan(&config, &req) {
        Ok(p) => p,
        Err(f)
            if shared
                && (f.message.contains("through an alias")
                    || f.message.contains("used in several places")
                    || f.message.contains("comes from a `<<` merge")) =>
        {
            return Ok(false);
        }
        Err(f) => {
            return Err(TestCaseError::fail(format!(
                "refused: {} ({:?})\n--- file ---\n{text}",
                f.message, f.help
            )));
        }
    };
    if !plan.changed() {
        return Ok(false);
    }
    let after = intent::prove(&config, &plan, &req, &opts).map_err(|f| {
        TestCaseError::fail(format!(
            "proof failed: {}\n--- file ---\n{text}\n--- edited ---\n{}",
            f.message, plan.new_text
        ))
    })?;
    let new = &plan.new_text;
    // Bytes outside the changed events.
    let regions = event_regions(text, &config, function);
    outside_unchanged(text, new, &regions).map_err(TestCaseError::fail)?;
    // Layout.
    prop_assert_eq!(text.starts_with('\u{feff}'), new.starts_with('\u{feff}'));
    prop_assert_eq!(text.ends_with('\n'), new.ends_with('\n'));
    let crlf = text.contains("\r\n");
    let bare_lf = new.replace("\r\n", "").contains('\n');
    prop_assert!(!(crlf && bare_lf), "a bare LF in a CRLF file:\n{:?}", new);
    prop_assert!(crlf || !new.contains('\r'), "a CR in an LF file");
    // Independent of the proof: the rest of the document is unchanged …
    let before_json = to_json(&config.root);
    let after_json = to_json(&after.root);
    prop_assert_eq!(
        without_events(before_json.clone(), function),
        without_events(after_json.clone(), function)
    );
    // … and every http event of the function is in the intended state.
    let events = after_json
        .pointer(&format!("/functions/{function}/events"))
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    let old_events = before_json
        .pointer(&format!("/functions/{function}/events"))
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    prop_assert_eq!(events.len(), old_events.len());
    for (ev, old) in events.iter().zip(&old_events) {
        let Some(http) = ev.get("http") else {
            prop_assert_eq!(ev, old);
            continue;
        };
        if http.is_string() {
            // The shorthand is the synchronous lambda-proxy form.
            prop_assert!(
                matches!(transform, Transform::Sync { .. }),
                "still the shorthand: {}",
                http
            );
            prop_assert_eq!(ev, old);
            continue;
        }
        for k in ["method", "path"] {
            let was = match old.get("http") {
                Some(Json::String(s)) => {
                    let mut p = s.split(' ');
                    let m = p.next().unwrap_or("").to_owned();
                    let pa = p.next().unwrap_or("").to_owned();
                    Json::String(if k == "method" { m } else { pa })
                }
                Some(o) => o.get(k).cloned().unwrap_or(Json::Null),
                None => Json::Null,
            };
            prop_assert_eq!(http.get(k).cloned().unwrap_or(Json::Null), was);
        }
        match transform {
            Transform::Async { status } => {
                prop_assert_eq!(http.get("async"), Some(&Json::Bool(true)));
                prop_assert_eq!(integration(http), "AWS");
                prop_assert_eq!(defaults(http), vec![status.to_string()]);
            }
            Transform::Sync { status, proxy } => {
                prop_assert!(!truthy(http.get("async")), "still async: {}", http);
                if proxy {
                    prop_assert_eq!(integration(http), "AWS_PROXY");
                    prop_assert!(http.get("response").is_none());
                    if let Some(r) = http.get("request").and_then(Json::as_object) {
                        prop_assert!(
                            r.keys()
                                .all(|k| ["parameters", "schema", "schemas"].contains(&k.as_str()))
                        );
                    }
                } else {
                    let was = old.get("http").map(integration).unwrap_or_default();
                    prop_assert_eq!(integration(http), was.clone());
                    if was == "AWS" {
                        let d = defaults(http);
                        prop_assert!(
                            d == vec![status.to_string()] || (d.is_empty() && status == 200),
                            "default status codes {:?}",
                            d
                        );
                    }
                }
            }
        }
    }
    // Idempotence.
    let again = intent::plan(&after, &req)
        .map_err(|f| TestCaseError::fail(format!("second run refused: {}", f.message)))?;
    prop_assert!(!again.changed(), "a second run would change the file again");
    Ok(true)
}

fn transforms() -> impl Strategy<Value = Transform> {
    prop_oneof![
        Just(Transform::Async { status: 202 }),
        Just(Transform::Async { status: 200 }),
        Just(Transform::Sync {
            status: 200,
            proxy: false
        }),
        Just(Transform::Sync {
            status: 202,
            proxy: false
        }),
        Just(Transform::Sync {
            status: 200,
            proxy: true
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn transforms_keep_every_other_byte_and_prove_themselves(
        doc in doc_strategy(),
        pick in any::<prop::sample::Index>(),
        t in transforms(),
    ) {
        let text = render(&doc);
        let i = pick.index(doc.funcs.len());
        let shared = doc.funcs[i].alias || doc.funcs[i].merge;
        check(&text, &format!("fn{i}"), t, shared)?;
    }

    #[test]
    fn make_async_then_make_sync_proxy_restores_a_proxy_file(doc in doc_strategy()) {
        // Only proxy events without request/response: the way back removes all make-async added.
        let mut doc = doc;
        for f in &mut doc.funcs {
            f.alias = false;
            for ev in &mut f.events {
                ev.integration = None;
                ev.asynch = None;
                ev.status = None;
                ev.template = false;
                ev.headers = false;
                ev.comment = None;
            }
        }
        let text = render(&doc);
        let path = Path::new("serverless.yml");
        let opts = LoadOptions::default();
        let config = load::load_text(path, text.clone(), &opts).unwrap();
        let req = |t| Request { function: "fn0".into(), transform: t, select: Selector::All };
        let there = req(Transform::Async { status: 202 });
        let plan = intent::plan(&config, &there).unwrap();
        let mid = intent::prove(&config, &plan, &there, &opts).unwrap();
        let back = req(Transform::Sync { status: 200, proxy: true });
        let plan2 = intent::plan(&mid, &back).unwrap();
        let end = intent::prove(&mid, &plan2, &back, &opts).unwrap();
        // Shorthand events come back as mappings; everything else as it was.
        let expand = |j: Json| -> Json {
            let mut j = j;
            if let Some(evs) = j.pointer_mut("/functions/fn0/events").and_then(Json::as_array_mut) {
                for e in evs {
                    if let Some(Json::String(s)) = e.get("http").cloned() {
                        let mut p = s.split(' ');
                        let m = p.next().unwrap_or("").to_owned();
                        let pa = p.next().unwrap_or("").to_owned();
                        e["http"] = serde_json::json!({"method": m, "path": pa});
                    }
                }
            }
            j
        };
        prop_assert_eq!(expand(to_json(&config.root)), expand(to_json(&end.root)));
        let no_short = doc.funcs[0].events.iter().all(|e| !matches!(e.form, Form::Short));
        if no_short {
            prop_assert_eq!(&plan2.new_text, &text);
        }
    }
}
