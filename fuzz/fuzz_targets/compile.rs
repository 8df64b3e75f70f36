//! The whole read → compile → check → report pipeline on fuzzed configs:
//! the CloudFormation compiles or the framework's refusal is reported, the
//! rules run, and every output format renders; never a panic, and no raw
//! control character in human, short or github output.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use slsasync::commands::render::compile_config;
use slsasync::lint::{self, LintOptions};
use slsasync::load::{self, LoadOptions};
use slsasync::model;
use slsasync::report::{self, findings::FileReport};
use slsasync::source::json::stringify_pretty;
use slsasync::vars::EnvSource;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let opts = LoadOptions {
        framework: (first & 0x80 != 0).then(|| common::framework(first)),
        stage: (first & 0x10 != 0).then(|| "prod".to_owned()),
        region: None,
        env: EnvSource::None,
        allow_outside: false,
    };
    let path = Path::new("/nonexistent-slsasync-fuzz/serverless.yml");
    let config = match load::load_text(path, text.to_owned(), &opts) {
        Ok(c) => c,
        Err(f) => {
            common::render_fatal(&f.fatal, f.sources.as_deref());
            return;
        }
    };
    common::check_tree(&config.raw, &config.sources);
    common::check_tree(&config.root, &config.sources);
    match compile_config(&config, None, 1_700_000_000_000, None, None) {
        Ok(out) => {
            let _ = stringify_pretty(&out.document());
            for name in model::functions_with_http(&config.root) {
                if let Some(d) = out.function_document(&name, first & 1 != 0) {
                    let _ = stringify_pretty(&d);
                }
            }
        }
        Err(f) => common::render_fatal(&f, Some(&config.sources)),
    }
    let result = lint::lint(
        &config,
        &LintOptions {
            strict: first & 2 != 0,
            ..LintOptions::default()
        },
    );
    for f in &result.findings {
        common::check_loc(f.primary.loc, &config.sources, f.code);
        for r in &f.related {
            common::check_loc(r.loc, &config.sources, f.code);
        }
    }
    let reports = [FileReport {
        path: "serverless.yml".to_owned(),
        framework: Some(config.target.framework.release()),
        notes: result.notes,
        sources: Some(config.sources),
        findings: result.findings,
        suppressed: result.suppressed,
        fatal: None,
    }];
    common::assert_terminal_safe(&report::human::render(&reports, false), "human");
    common::assert_terminal_safe(&report::short::render(&reports), "short");
    let _ = report::human::render(&reports, true);
    let _ = report::github::render(&reports);
    let _ = report::json::render(&reports);
    let _ = report::sarif::render(&reports, &lint::catalogue());
});
