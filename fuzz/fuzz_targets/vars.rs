//! The variable resolver on fuzzed configs, with a directory of include
//! targets (YAML, JSON, text, a self-including file, a file outside the
//! service directory): a resolved tree whose spans point into the files
//! read, or an error with a place; never a panic, never a read outside the
//! service directory.

#![no_main]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use slsasync::diag::Fatal;
use slsasync::model::Framework;
use slsasync::source::SourceMap;
use slsasync::source::json::to_json;
use slsasync::source::yaml::{self, Dialect};
use slsasync::vars::{self, EnvSource, VarOptions};

#[path = "common.rs"]
mod common;

/// `<tmp>/slsasync-fuzz-vars-PID/service/serverless.yml` and its includes.
fn service() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("slsasync-fuzz-vars-{}", std::process::id()));
        let dir = root.join("service");
        let files: [(&str, &str); 8] = [
            (
                "a.yml",
                "x: 1\ny: ${self:custom.z, 'd'}\nlist: [1, 2]\nnested:\n  k: ${opt:stage, 'dev'}\n",
            ),
            (
                "b.json",
                "{\"k\": \"v\", \"n\": [1, 2], \"o\": {\"p\": \"${sls:stage}\"}}",
            ),
            ("c.txt", "plain text\n"),
            ("loop.yml", "a: ${file(./loop.yml)}\n"),
            ("sub/d.yml", "d: ${file(../a.yml):x}\n"),
            ("code.js", "module.exports = () => ({});\n"),
            ("bad.yml", "a: [\n"),
            ("../outside.yml", "secret: do-not-read\n"),
        ];
        for (name, text) in files {
            let p = dir.join(name);
            if let Some(parent) = p.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(p, text);
        }
        dir.join("serverless.yml")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let framework = common::framework(first);
    let dialect = if framework == Framework::V1 {
        Dialect::JsYaml3
    } else {
        Dialect::JsYaml4
    };
    let path = service();
    let mut sources = SourceMap::new();
    let file = sources.add(path.to_path_buf(), text.to_owned());
    let Ok(parsed) = yaml::parse_yaml(text, file, dialect) else {
        return;
    };
    let mut env = BTreeMap::new();
    env.insert("HOME".to_owned(), "/home/fuzz".to_owned());
    env.insert("STAGE".to_owned(), "prod".to_owned());
    let opts = VarOptions {
        framework,
        stage: (first & 0x10 != 0).then(|| "dev".to_owned()),
        region: (first & 0x20 != 0).then(|| "eu-west-1".to_owned()),
        env: EnvSource::Map(env),
        allow_outside: first & 0x40 != 0,
    };
    match vars::resolve(parsed.root, path, &mut sources, &opts) {
        Ok(r) => {
            common::check_tree(&r.root, &sources);
            for loc in &r.unresolved {
                common::check_loc(*loc, &sources, "unresolved");
            }
            let _ = to_json(&r.root);
        }
        Err(e) => {
            let f = Fatal::new(e.message).at(e.loc).with_help(e.help);
            common::render_fatal(&f, Some(&sources));
        }
    }
    if !opts.allow_outside {
        for (_, f) in sources.files() {
            assert!(
                !f.path.ends_with("outside.yml"),
                "read {} without --allow-outside",
                f.path.display()
            );
        }
    }
});
