//! The rule documentation is generated from each rule's `RuleMeta` and must
//! not go stale: `docs/rules/<CODE>.md` (the page `slsasync explain CODE`
//! prints), `docs/rules/README.md` (the rule table) and the rule table between
//! `<!-- rules:start -->` and `<!-- rules:end -->` in README.md.
//!
//! Regenerate with `SLSASYNC_BLESS=1 cargo test --test docs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{root, run};
use slsasync::commands::info::{rule_page, rules_markdown};
use slsasync::lint::catalogue;

const START: &str = "<!-- rules:start -->";
const END: &str = "<!-- rules:end -->";

fn bless() -> bool {
    std::env::var_os("SLSASYNC_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

fn docs_index() -> String {
    let all = catalogue();
    format!(
        "# Rules\n\n\
         <!-- Generated from each rule's metadata by `SLSASYNC_BLESS=1 cargo test --test docs`; do not edit. -->\n\n\
         slsasync has {} rules. Each page says what the rule flags, why it matters, an example that\n\
         triggers it and the fixed example; `slsasync explain CODE` prints the same page offline.\n\
         Select or ignore rules by code (`SLS-ASYNC-001`), code prefix (`SLS-ASYNC`) or name\n\
         (`--select`, `--ignore`, `custom.slsasync.ignore`), change their severity in\n\
         `custom.slsasync.severity`, and silence one finding with a comment on its line or on its\n\
         `http:` line: `# slsasync: ignore[SLS-ASYNC-006] reason`.\n\n{}",
        all.len(),
        rules_markdown("")
    )
}

/// Every generated file and its expected content.
fn expected_files() -> BTreeMap<PathBuf, String> {
    let dir = root().join("docs/rules");
    let mut files = BTreeMap::new();
    for m in catalogue() {
        files.insert(dir.join(format!("{}.md", m.code)), rule_page(m));
    }
    files.insert(dir.join("README.md"), docs_index());
    files
}

/// README.md with the generated table between the markers.
fn expected_readme(current: &str) -> String {
    let start = current
        .find(START)
        .expect("README.md has the `<!-- rules:start -->` marker");
    let end = current
        .find(END)
        .expect("README.md has the `<!-- rules:end -->` marker");
    assert!(start < end, "README.md: rules markers out of order");
    format!(
        "{}{START}\n{}{END}{}",
        &current[..start],
        rules_markdown("docs/rules/"),
        &current[end + END.len()..]
    )
}

#[test]
fn rule_docs_are_up_to_date() {
    let mut stale = Vec::new();
    let files = expected_files();
    for (path, want) in &files {
        let have = std::fs::read_to_string(path).unwrap_or_default();
        if have != *want {
            if bless() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, want).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    // A page whose rule is gone.
    for entry in std::fs::read_dir(root().join("docs/rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") && !files.contains_key(&path) {
            if bless() {
                std::fs::remove_file(&path).unwrap();
            } else {
                stale.push(format!("{} (no such rule)", path.display()));
            }
        }
    }
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let want = expected_readme(&readme);
    if readme != want {
        if bless() {
            std::fs::write(&readme_path, want).unwrap();
        } else {
            stale.push("README.md (rule table)".to_owned());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated docs (run `SLSASYNC_BLESS=1 cargo test --test docs`):\n{}",
        stale.join("\n")
    );
}

/// `slsasync explain` prints exactly the committed page, for every rule.
#[test]
fn explain_prints_the_committed_page() {
    for m in catalogue() {
        let r = run(&["explain", m.code]);
        r.expect_code(0);
        let page = std::fs::read_to_string(root().join(format!("docs/rules/{}.md", m.code)))
            .unwrap_or_default();
        assert_eq!(
            r.stdout, page,
            "{}: explain differs from docs/rules",
            m.code
        );
    }
}

/// Every rule in `slsasync rules` has its row in the README table, with the
/// same severity and fix kind.
#[test]
fn readme_table_lists_every_rule_of_the_binary() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let table = readme
        .split(START)
        .nth(1)
        .and_then(|t| t.split(END).next())
        .expect("README.md rules markers");
    let r = run(&["rules", "--format", "json"]);
    r.expect_code(0);
    for rule in r.json().as_array().unwrap() {
        let row = format!(
            "| [{code}](docs/rules/{code}.md) | `{}` | {} | {} |",
            rule["name"].as_str().unwrap(),
            rule["severity"].as_str().unwrap(),
            rule["fix"].as_str().unwrap(),
            code = rule["code"].as_str().unwrap(),
        );
        assert!(table.contains(&row), "README.md lacks the row {row}");
    }
}
