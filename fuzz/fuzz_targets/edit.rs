//! The editor on fuzzed configs and fuzzed intents (make-async / make-sync,
//! status, event selector, function): the edit is refused cleanly, or its
//! text loads again to exactly the intended model (the proof), planning it
//! again changes nothing, the selected events are in the intended state,
//! and a config that compiled before still compiles. A failed proof
//! ("internal error") is a finding.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use slsasync::commands::render::compile_config;
use slsasync::edit::intent::{self, Request, Selector, Transform};
use slsasync::load::{self, LoadOptions};
use slsasync::model;
use slsasync::source::Value;
use slsasync::vars::EnvSource;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, rest) = data.split_at(4);
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let status = [200, 201, 202, 204, 302, 400, 500][usize::from(head[1]) % 7];
    let transform = match head[0] % 3 {
        0 => Transform::Async { status },
        1 => Transform::Sync {
            status,
            proxy: false,
        },
        _ => Transform::Sync {
            status,
            proxy: true,
        },
    };
    let opts = LoadOptions {
        framework: (head[0] & 0x80 != 0).then(|| common::framework(head[0] >> 2)),
        env: EnvSource::None,
        ..LoadOptions::default()
    };
    let path = Path::new("/nonexistent-slsasync-fuzz/serverless.yml");
    let Ok(before) = load::load_text(path, text.to_owned(), &opts) else {
        return;
    };
    let functions = model::function_names(&before.root);
    let function = match functions.get(usize::from(head[3]) % functions.len().max(1)) {
        Some(f) => f.clone(),
        None => "hello".to_owned(),
    };
    let select = match head[2] % 8 {
        0..=2 => Selector::Only,
        3 => Selector::All,
        4 | 5 => Selector::Index(usize::from(head[2] >> 3)),
        6 => Selector::Match {
            path: None,
            method: Some(["get", "POST", "any"][usize::from(head[2] >> 6) % 3].to_owned()),
        },
        _ => Selector::Match {
            path: Some("hello".to_owned()),
            method: None,
        },
    };
    let req = Request {
        function: function.clone(),
        transform,
        select,
    };
    let plan = match intent::plan(&before, &req) {
        Ok(p) => p,
        Err(f) => {
            common::render_fatal(&f, Some(&before.sources));
            return;
        }
    };
    if !plan.changed() {
        return;
    }
    let after = match intent::prove(&before, &plan, &req, &opts) {
        Ok(a) => a,
        Err(f) => {
            assert!(
                !f.message.starts_with("internal error"),
                "{}\n--- before ---\n{text}\n--- after ---\n{}",
                f.message,
                plan.new_text
            );
            common::render_fatal(&f, Some(&before.sources));
            return;
        }
    };
    // The selected events are in the intended state in the edited text.
    let events = model::http_events(&after.root);
    for e in &plan.events {
        let Some(ev) = events
            .iter()
            .find(|h| h.function == function && h.index == e.index)
        else {
            panic!("event {} of {function} is gone after the edit", e.index);
        };
        let is_async = ev
            .http
            .get("async")
            .is_some_and(|a| matches!(a.value, Value::Bool(true)));
        let wanted = matches!(transform, Transform::Async { .. });
        assert_eq!(
            is_async,
            wanted,
            "async of {} after {}",
            e.label(),
            transform.command()
        );
    }
    // What compiled before still compiles, unless the edit brings settings
    // the proxy integration ignored into effect (the framework may fail on
    // those, and the command then refuses, saying which they are).
    let activated = plan
        .events
        .iter()
        .flat_map(|e| e.notes.iter())
        .any(|n| n.contains(intent::NOW_IN_EFFECT));
    let compiled = |c: &load::Config| compile_config(c, Some(&function), 0, None, None).is_ok();
    if !activated && compiled(&before) {
        assert!(
            compiled(&after),
            "compiled before the edit, not after:\n{}",
            plan.new_text
        );
    }
});
