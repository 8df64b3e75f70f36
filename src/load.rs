//! Finding, reading and resolving one serverless config: the front half of
//! every command (bytes → [`crate::source`] → [`crate::vars`] → target release).

use std::path::{Path, PathBuf};

use crate::diag::{Failure, Fatal};
use crate::model::version::{RangeError, release_satisfies};
use crate::model::{Framework, Target, target_for_range};
use crate::source::yaml::{self, Comment, Dialect, YamlError};
use crate::source::{FileId, Loc, Node, SourceMap};
use crate::vars::{self, EnvSource, VarOptions};

/// Config file names the framework looks for, in its order.
pub const CONFIG_NAMES: [&str; 3] = ["serverless.yml", "serverless.yaml", "serverless.json"];
/// Config forms that are code: never run.
const CODE_NAMES: [&str; 4] = [
    "serverless.js",
    "serverless.ts",
    "serverless.cjs",
    "serverless.mjs",
];

/// What the user asked for that changes how a config is read.
#[derive(Debug)]
pub struct LoadOptions {
    /// `--framework`: overrides `frameworkVersion`.
    pub framework: Option<Framework>,
    pub stage: Option<String>,
    pub region: Option<String>,
    pub env: EnvSource,
    pub allow_outside: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            framework: None,
            stage: None,
            region: None,
            env: EnvSource::Process,
            allow_outside: false,
        }
    }
}

/// A config read, typed and resolved.
#[derive(Debug)]
pub struct Config {
    pub sources: SourceMap,
    pub file: FileId,
    pub path: PathBuf,
    /// The document as written (variables unresolved), typed for `target`.
    pub raw: Node,
    pub comments: Vec<Comment>,
    /// The document the framework compiles: variables resolved where possible.
    pub root: Node,
    /// Places left opaque by the resolver.
    pub unresolved: Vec<Loc>,
    pub target: Target,
}

/// The config in `dir`: exactly one of [`CONFIG_NAMES`].
pub fn find_in_dir(dir: &Path) -> Result<PathBuf, Fatal> {
    let found: Vec<PathBuf> = CONFIG_NAMES
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => {
            if let Some(code) = CODE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()) {
                return Err(code_config(&code));
            }
            Err(Fatal::new(format!(
                "no serverless.yml, serverless.yaml or serverless.json in {}",
                display_dir(dir)
            ))
            .help("run the command in the service's directory, or name the file (`-c path/to/serverless.yml`)"))
        }
        several => Err(Fatal::new(format!(
            "several configs in {}: {}",
            display_dir(dir),
            several
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .help("name the one to use (`-c serverless.yml`)")),
    }
}

fn display_dir(dir: &Path) -> String {
    if dir.as_os_str().is_empty() || dir == Path::new(".") {
        "the current directory".to_owned()
    } else {
        dir.display().to_string()
    }
}

fn code_config(path: &Path) -> Fatal {
    Fatal::new(format!(
        "{} is a JavaScript/TypeScript config: not supported",
        path.display()
    ))
    .help("slsasync never runs code; it reads serverless.yml, serverless.yaml or serverless.json")
}

/// Is `path` a config form that is code?
pub fn is_code_config(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("js" | "ts" | "cjs" | "mjs")
    )
}

/// The largest config (or `${file(...)}` include) read, in bytes. The largest
/// template CloudFormation accepts is 1 MB, and real configs are a few
/// kilobytes; a file beyond this is refused at once, with no time or memory
/// spent on it.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Read at most [`MAX_FILE_BYTES`] of a file. Errors carry a message a person
/// can act on (see [`io_reason`]); a file that is too large is refused
/// before it is read (or as soon as it grows past the limit, for pipes).
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(friendly)?;
    let meta = file.metadata().map_err(friendly)?;
    if meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(Some(meta.len())));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(friendly)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(None));
    }
    Ok(bytes)
}

fn too_large(size: Option<u64>) -> std::io::Error {
    let mib = |n: u64| n as f64 / (1024.0 * 1024.0);
    let size = size.map_or_else(
        || "more than that".to_owned(),
        |n| format!("{:.1} MiB", mib(n)),
    );
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!(
            "the file is too large ({size}; slsasync reads at most {:.0} MiB, and the largest template CloudFormation accepts is 1 MB); check that it is the service's config",
            mib(MAX_FILE_BYTES)
        ),
    )
}

/// Read standard input as a config's text (`check -`), at most
/// [`MAX_FILE_BYTES`]: a larger input is refused as soon as it passes the
/// limit, without holding all of it. `name` is what messages call it.
pub fn read_stdin(name: &Path) -> Result<String, Fatal> {
    read_capped(std::io::stdin().lock(), name)
}

/// [`read_stdin`] for any reader.
pub fn read_capped(reader: impl std::io::Read, name: &Path) -> Result<String, Fatal> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Fatal::new(format!("cannot read {}: {}", name.display(), io_reason(&e)))
                .help("pass the config on standard input, or name the file")
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Fatal::new(format!(
            "cannot read {}: {}",
            name.display(),
            too_large(None)
        ))
        .help("pass the service's serverless.yml, serverless.yaml or serverless.json"));
    }
    decode_text(name, bytes)
}

/// Read a file as UTF-8 text, refusing binary and UTF-16 content with a clear error.
pub fn read_text(path: &Path) -> Result<String, Fatal> {
    let bytes = read_bytes(path).map_err(|e| {
        let help = match e.kind() {
            std::io::ErrorKind::NotFound => "check the path; `slsasync check` with no argument finds the config in the current directory",
            std::io::ErrorKind::PermissionDenied => "make the file readable (`chmod u+r`)",
            std::io::ErrorKind::FileTooLarge => "point slsasync at the service's serverless.yml, serverless.yaml or serverless.json",
            std::io::ErrorKind::IsADirectory => "name a serverless.yml, serverless.yaml or serverless.json file",
            _ if is_loop(&e) => "fix or remove the symbolic link",
            _ => "check the path and the file's permissions",
        };
        Fatal::new(format!("cannot read {}: {e}", path.display())).help(help)
    })?;
    decode_text(path, bytes)
}

/// A person's words for an I/O error (the OS's words for the rest).
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "it is a directory".to_owned(),
        _ if is_loop(e) => SymlinkLoop.to_string(),
        _ => e.to_string(),
    }
}

/// An I/O error made readable by [`read_bytes`], keeping its kind.
fn friendly(e: std::io::Error) -> std::io::Error {
    if is_loop(&e) {
        return std::io::Error::new(e.kind(), SymlinkLoop);
    }
    std::io::Error::new(e.kind(), io_reason(&e))
}

/// `ELOOP` (its `ErrorKind` is not stable yet).
#[derive(Debug)]
struct SymlinkLoop;

impl std::fmt::Display for SymlinkLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a loop of symbolic links (following them never reaches a file)")
    }
}

impl std::error::Error for SymlinkLoop {}

fn is_loop(e: &std::io::Error) -> bool {
    let eloop = if cfg!(any(target_os = "linux", target_os = "android")) {
        Some(40)
    } else if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "dragonfly"
    )) {
        Some(62)
    } else {
        None
    };
    (eloop.is_some() && e.raw_os_error() == eloop)
        || e.get_ref().is_some_and(|inner| inner.is::<SymlinkLoop>())
}

/// Where byte `at` is, as `line:column` (1-based, columns in characters of
/// the valid text before it).
fn line_col_of(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Check that bytes are UTF-8 text.
pub fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, Fatal> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Fatal::new(format!(
            "{}:1:1: UTF-16 text (it starts with a UTF-16 byte order mark)",
            path.display()
        ))
        .help("save it as UTF-8; the framework reads configs as UTF-8"));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = line_col_of(&bytes, pos);
        return Err(Fatal::new(format!(
            "{}:{line}:{column}: not a text file (a NUL byte at byte offset {pos})",
            path.display()
        ))
        .help("point slsasync at a serverless.yml, serverless.yaml or serverless.json"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = line_col_of(e.as_bytes(), at);
        Fatal::new(format!(
            "{}:{line}:{column}: invalid UTF-8 (byte offset {at})",
            path.display()
        ))
        .help("save the file as UTF-8")
    })
}

/// Read, type and resolve a config.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Config, Failure> {
    let text = read_text(path)?;
    load_text(path, text, opts)
}

/// As [`load`], with the text already read (stdin, tests).
pub fn load_text(path: &Path, text: String, opts: &LoadOptions) -> Result<Config, Failure> {
    if is_code_config(path) {
        return Err(code_config(path).into());
    }
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(Fatal::new(format!(
            "cannot read {}: {}",
            path.display(),
            too_large(Some(text.len() as u64))
        ))
        .help("point slsasync at the service's serverless.yml, serverless.yaml or serverless.json")
        .into());
    }
    let is_json = path.extension().and_then(|e| e.to_str()) == Some("json");
    let mut sources = SourceMap::new();
    let file = sources.add(path.to_path_buf(), text);
    let text = sources.file(file).text.clone();
    let parse = |dialect: Dialect| {
        if is_json {
            yaml::parse_json(&text, file)
        } else {
            yaml::parse_yaml(&text, file, dialect)
        }
    };
    // js-yaml 4 first; the release chosen may then ask for js-yaml 3.
    let first = match parse(Dialect::JsYaml4) {
        Ok(p) => p,
        Err(e) => return Err(yaml_fatal(e).with_sources(sources)),
    };
    let target = match choose_target(&first.root, opts) {
        Ok(t) => t,
        Err(f) => return Err(f.with_sources(sources)),
    };
    let parsed = if target.framework == Framework::V1 && !is_json {
        match parse(Dialect::JsYaml3) {
            Ok(p) => p,
            Err(e) => return Err(yaml_fatal(e).with_sources(sources)),
        }
    } else {
        first
    };
    if !parsed.root.is_plain_object() {
        let loc = parsed.root.loc;
        let what = if parsed.root.is_null() {
            "is empty".to_owned()
        } else {
            format!("is {}, not a mapping", parsed.root.type_name())
        };
        return Err(Fatal::new(format!("{} {what}", path.display()))
            .at(loc)
            .help("a serverless config is a mapping with `service`, `provider` and `functions`")
            .with_sources(sources));
    }
    let var_opts = VarOptions {
        framework: target.framework,
        stage: opts.stage.clone(),
        region: opts.region.clone(),
        env: opts.env.clone(),
        allow_outside: opts.allow_outside,
    };
    let resolved = match vars::resolve(parsed.root.clone(), path, &mut sources, &var_opts) {
        Ok(r) => r,
        Err(e) => {
            return Err(Fatal::new(e.message)
                .at(e.loc)
                .with_help(e.help)
                .with_sources(sources));
        }
    };
    Ok(Config {
        sources,
        file,
        path: path.to_path_buf(),
        raw: parsed.root,
        comments: parsed.comments,
        root: resolved.root,
        unresolved: resolved.unresolved,
        target,
    })
}

fn yaml_fatal(e: YamlError) -> Fatal {
    Fatal::new(e.message).at(e.loc).with_help(e.help)
}

/// `--framework` wins; else `frameworkVersion`; else 3.
pub fn choose_target(root: &Node, opts: &LoadOptions) -> Result<Target, Fatal> {
    if let Some(framework) = opts.framework {
        return Ok(Target {
            framework,
            reason: "--framework".to_owned(),
            note: None,
        });
    }
    let Some(fv) = root.get("frameworkVersion") else {
        return Ok(Target {
            framework: Framework::V3,
            reason: "no frameworkVersion: default".to_owned(),
            note: None,
        });
    };
    let text = match &fv.value {
        crate::source::Value::String(s) => s.clone(),
        crate::source::Value::Number(_) => fv.js_string(),
        _ => {
            return Err(
                Fatal::new("`frameworkVersion` must be a version range string")
                    .at(fv.loc)
                    .label("not a string")
                    .help("write e.g. `frameworkVersion: '3'`"),
            );
        }
    };
    target_for_range(&text).map_err(|e| match e {
        RangeError::Invalid(r) => Fatal::new(format!(
            "`frameworkVersion` '{r}' is not a valid version range"
        ))
        .at(fv.loc)
        .label("not an npm semver range")
        .help(
            "write a range such as '3', '^3.38.0' or '>=1.28.0 <2.0.0', or pass --framework 1|2|3",
        ),
        RangeError::NoRelease(r) => Fatal::new(format!(
            "`frameworkVersion` '{r}' allows none of the mirrored releases (1.83.3, 2.72.4, 3.40.0)"
        ))
        .at(fv.loc)
        .help("pass --framework 1|2|3 to choose the behaviour to mirror"),
    })
}

/// The framework's own check: it refuses to run when its version does not
/// satisfy `frameworkVersion`. Returns the framework's message.
pub fn version_mismatch(config: &Config) -> Option<(String, Loc)> {
    let fv = config.raw.get("frameworkVersion")?;
    let range = fv.as_str()?;
    if release_satisfies(config.target.framework, range) {
        return None;
    }
    let name = config.path.file_name().map_or_else(
        || "serverless.yml".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let release = match config.target.framework {
        Framework::V1 => "1.83.3",
        Framework::V2 => "2.72.4",
        Framework::V3 | Framework::Osls => "3.40.0",
    };
    Some((
        format!(
            "The Serverless version ({release}) does not satisfy the \"frameworkVersion\" ({range}) in {name}"
        ),
        fv.loc,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_input_is_read_up_to_the_limit_only() {
        let name = Path::new("serverless.yml");
        let ok = read_capped(&b"service: svc\n"[..], name);
        assert_eq!(ok.ok().as_deref(), Some("service: svc\n"));
        // An endless input stops at the limit.
        let endless = std::io::repeat(b'a');
        let Err(e) = read_capped(endless, name) else {
            panic!("an endless input was read");
        };
        assert!(e.message.contains("too large"), "{}", e.message);
        let Err(e) = read_capped(&b"a: \xff\n"[..], name) else {
            panic!("invalid UTF-8 was read");
        };
        assert!(
            e.message.starts_with("serverless.yml:1:4: invalid UTF-8"),
            "{}",
            e.message
        );
    }
}
