//! The YAML/JSON source layer: any bytes either load (every span inside the
//! text, a JSON conversion, comments starting with `#`) or give an error
//! with a place that renders; never a panic, never unbounded work.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use slsasync::diag::Fatal;
use slsasync::load;
use slsasync::source::SourceMap;
use slsasync::source::json::{stringify_pretty, to_json};
use slsasync::source::yaml::{self, Dialect};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("serverless.yml");
    let text = match load::decode_text(path, data.to_vec()) {
        Ok(t) => t,
        Err(f) => {
            common::render_fatal(&f, None);
            return;
        }
    };
    let mut sources = SourceMap::new();
    let file = sources.add(path.to_path_buf(), text.clone());
    let runs = [
        yaml::parse_yaml(&text, file, Dialect::JsYaml4),
        yaml::parse_yaml(&text, file, Dialect::JsYaml3),
        yaml::parse_json(&text, file),
    ];
    for parsed in runs {
        match parsed {
            Ok(p) => {
                common::check_tree(&p.root, &sources);
                for c in &p.comments {
                    common::check_loc(c.loc, &sources, "comment");
                    assert!(text[c.loc.range()].starts_with('#'), "comment {:?}", c.loc);
                }
                let json = to_json(&p.root);
                let _ = stringify_pretty(&json);
            }
            Err(e) => {
                let f = Fatal::new(e.message).at(e.loc).with_help(e.help);
                common::render_fatal(&f, Some(&sources));
            }
        }
    }
});
