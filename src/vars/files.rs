//! `${file(...)}` targets: finding, reading and parsing them, once each.
//!
//! Paths are relative to the service directory (the config's directory) in
//! every framework release, also for variables written in an included file.
//! The extension decides how a file is read, as in v3's `sources/file.js`:
//! `.yml`/`.yaml` with the config's YAML loader, `.json`/`.tfstate` as JSON,
//! `.js`/`.cjs` would be executed (never done here: opaque), anything else is
//! a plain text string.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::source::yaml::{self, Dialect};
use crate::source::{FileId, Loc, Node, SourceMap, Style, Value};

/// What a `${file(...)}` target holds.
#[derive(Clone, Debug)]
pub enum Content {
    /// No such file: the variable resolves to null (and its fallback is used).
    Missing,
    /// A JavaScript module: the framework would run it.
    Code,
    /// Parsed data (or a text file as one string), spans in the file itself.
    Data(Node),
}

/// Why a target could not be used.
#[derive(Clone, Debug)]
pub struct FileError {
    pub message: String,
    /// Where in the included file, for parse errors.
    pub loc: Option<Loc>,
    pub help: Option<String>,
}

/// Reads include targets relative to the service directory.
pub struct Files {
    service_dir: PathBuf,
    canonical_dir: Option<PathBuf>,
    allow_outside: bool,
    dialect: Dialect,
    cache: HashMap<PathBuf, Result<(Content, Option<FileId>), FileError>>,
    /// Bytes read so far (bounded).
    bytes: usize,
}

/// Total bytes of included files read before giving up (each file is also
/// held to [`crate::load::MAX_FILE_BYTES`]).
const MAX_INCLUDE_BYTES: usize = 8 * 1024 * 1024;

/// `path.normalize`-like lexical clean-up: drop `.`, fold `..`.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let popped = match out.components().next_back() {
                    Some(Component::Normal(_)) => out.pop(),
                    _ => false,
                };
                if !popped && !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return p.to_path_buf();
    }
    std::env::current_dir().map_or_else(|_| p.to_path_buf(), |cwd| cwd.join(p))
}

impl Files {
    pub fn new(config_path: &Path, allow_outside: bool, dialect: Dialect) -> Self {
        let dir = config_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let canonical_dir = dir.canonicalize().ok();
        Self {
            service_dir: normalize(&dir),
            canonical_dir,
            allow_outside,
            dialect,
            cache: HashMap::new(),
            bytes: 0,
        }
    }

    /// The target's path as the framework computes it (`path.resolve(serviceDir, p)`).
    pub fn target(&self, param: &str) -> PathBuf {
        normalize(&self.service_dir.join(param))
    }

    /// The path relative to the service directory, for messages.
    pub fn relative(&self, p: &Path) -> String {
        p.strip_prefix(&self.service_dir)
            .unwrap_or(p)
            .display()
            .to_string()
    }

    /// Load a target (cached).
    pub fn load(&mut self, param: &str, sources: &mut SourceMap) -> Result<Content, FileError> {
        let path = self.target(param);
        if let Some(hit) = self.cache.get(&path) {
            return hit.clone().map(|(c, _)| c);
        }
        let result = self.read(&path, sources);
        self.cache.insert(path, result.clone());
        result.map(|(c, _)| c)
    }

    /// A stable identity for include-cycle detection.
    pub fn identity(&self, param: &str) -> PathBuf {
        let p = self.target(param);
        p.canonicalize().unwrap_or(p)
    }

    fn outside(&self, path: &Path) -> bool {
        if !normalize(&absolute(path)).starts_with(normalize(&absolute(&self.service_dir))) {
            return true;
        }
        match (path.canonicalize(), &self.canonical_dir) {
            (Ok(real), Some(dir)) => !real.starts_with(dir),
            _ => false,
        }
    }

    fn read(
        &mut self,
        path: &Path,
        sources: &mut SourceMap,
    ) -> Result<(Content, Option<FileId>), FileError> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let rel = self.relative(path);
        if !path.exists() {
            return Ok((Content::Missing, None));
        }
        if self.outside(path) && !self.allow_outside {
            return Err(FileError {
                message: format!(
                    "\"{}\" is outside the service directory; not read",
                    path.display()
                ),
                loc: None,
                help: Some(
                    "pass --allow-outside to resolve ${file(...)} targets outside the config's directory"
                        .to_owned(),
                ),
            });
        }
        if matches!(ext, "js" | "cjs") {
            return Ok((Content::Code, None));
        }
        // The config itself (or a file read before) is already in the map.
        let known = sources.files().find_map(|(id, f)| {
            let same = f.path == path
                || matches!((f.path.canonicalize(), path.canonicalize()), (Ok(a), Ok(b)) if a == b);
            same.then_some(id)
        });
        let (id, text) = match known {
            Some(id) => {
                let text = sources
                    .files()
                    .find(|(i, _)| *i == id)
                    .map(|(_, f)| f.text.clone())
                    .unwrap_or_default();
                (id, text)
            }
            None => {
                let bytes = crate::load::read_bytes(path).map_err(|e| FileError {
                    message: format!("Cannot parse \"{rel}\": {e}"),
                    loc: None,
                    help: None,
                })?;
                self.bytes += bytes.len();
                if self.bytes > MAX_INCLUDE_BYTES {
                    return Err(FileError {
                        message: format!(
                            "included files exceed {} MiB; \"{rel}\" not read",
                            MAX_INCLUDE_BYTES / (1024 * 1024)
                        ),
                        loc: None,
                        help: None,
                    });
                }
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let id = sources.add(path.to_path_buf(), text.clone());
                (id, text)
            }
        };
        let parsed = match ext {
            "yml" | "yaml" => yaml::parse_yaml(&text, id, self.dialect),
            "json" | "tfstate" => yaml::parse_json(&text, id),
            _ => {
                let node = Node::new(
                    Value::String(text.clone()),
                    Loc::new(id, 0, text.len()),
                    Style::Synthetic,
                );
                return Ok((Content::Data(node), Some(id)));
            }
        };
        match parsed {
            Ok(p) => Ok((Content::Data(p.root), Some(id))),
            Err(e) => {
                let json = if matches!(ext, "json" | "tfstate") {
                    "JSON parse error: "
                } else {
                    ""
                };
                Err(FileError {
                    message: format!("Cannot parse \"{rel}\": {json}{}", e.message),
                    loc: Some(e.loc),
                    help: e.help,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_dots() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("./x.yml")), PathBuf::from("x.yml"));
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(normalize(Path::new("/a/../../b")), PathBuf::from("/b"));
        assert_eq!(normalize(Path::new(".")), PathBuf::from("."));
    }
}
