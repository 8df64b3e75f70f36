//! Writing an edited file without ever leaving a partial or stale one.
//!
//! [`Snapshot::read`] keeps the bytes and metadata the edit was computed
//! from. [`write_atomic`] writes the new bytes to a temporary file in the
//! same directory, fsyncs it, gives it the original's mode (and owner, where
//! allowed), checks that the original still holds the snapshot's bytes, and
//! renames the temporary file over it. Any failure removes the temporary file
//! and leaves the original untouched.
//!
//! A read-only file is refused even though the rename would succeed (the
//! directory, not the file, decides that): the user said it must not change.
//! The check-then-rename window is a few system calls wide; an editor that
//! saves inside it is not detected.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A file as it was read.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The path as given.
    pub path: PathBuf,
    /// The file written to (symlinks resolved).
    pub target: PathBuf,
    pub bytes: Vec<u8>,
    modified: Option<SystemTime>,
    len: u64,
    readonly: bool,
    #[cfg(unix)]
    mode: u32,
    #[cfg(unix)]
    owner: (u32, u32),
}

/// Why a write did not happen. The original file is untouched in every case.
#[derive(Debug)]
pub enum WriteError {
    /// The file has no write permission.
    ReadOnly(PathBuf),
    /// The file changed since it was read.
    Changed(PathBuf),
    /// The file system refused a step.
    Io {
        path: PathBuf,
        what: &'static str,
        error: io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::ReadOnly(p) => {
                write!(f, "{} is read-only; nothing was written", p.display())
            }
            WriteError::Changed(p) => write!(
                f,
                "{} changed on disk while slsasync was editing it; nothing was written",
                p.display()
            ),
            WriteError::Io { path, what, error } => write!(
                f,
                "could not write {}: {what}: {error}; the file is unchanged",
                path.display()
            ),
        }
    }
}

impl std::error::Error for WriteError {}

impl WriteError {
    /// What the user can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            WriteError::ReadOnly(_) => {
                "make the file writable, or use --dry-run to see the change without writing it"
            }
            WriteError::Changed(_) => "run the command again on the file as it is now",
            WriteError::Io { .. } => {
                "check that the file's directory is writable and has free space, or use --dry-run"
            }
        }
    }
}

fn io_err<'p>(path: &'p Path, what: &'static str) -> impl FnOnce(io::Error) -> WriteError + 'p {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        what,
        error,
    }
}

impl Snapshot {
    /// Read a file and remember how it was.
    pub fn read(path: &Path) -> io::Result<Self> {
        let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let bytes = fs::read(&target)?;
        let meta = fs::metadata(&target)?;
        Ok(Self {
            path: path.to_path_buf(),
            target,
            bytes,
            modified: meta.modified().ok(),
            len: meta.len(),
            readonly: meta.permissions().readonly(),
            #[cfg(unix)]
            mode: {
                use std::os::unix::fs::PermissionsExt;
                meta.permissions().mode()
            },
            #[cfg(unix)]
            owner: {
                use std::os::unix::fs::MetadataExt;
                (meta.uid(), meta.gid())
            },
        })
    }

    /// Does the file on disk still hold exactly the snapshot?
    pub fn unchanged(&self) -> Result<bool, WriteError> {
        let meta =
            fs::metadata(&self.target).map_err(io_err(&self.path, "reading its metadata"))?;
        if meta.len() != self.len || meta.modified().ok() != self.modified {
            return Ok(false);
        }
        let now = fs::read(&self.target).map_err(io_err(&self.path, "reading it again"))?;
        Ok(now == self.bytes)
    }
}

/// Replace the file with `new`, atomically.
pub fn write_atomic(snapshot: &Snapshot, new: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(snapshot, new, &mut || {})
}

/// [`write_atomic`], calling `before_commit` after the temporary file is
/// complete and just before the final check and rename (tests use it to
/// change the file at the worst moment).
pub fn write_atomic_with(
    snapshot: &Snapshot,
    new: &[u8],
    before_commit: &mut dyn FnMut(),
) -> Result<(), WriteError> {
    if snapshot.readonly {
        return Err(WriteError::ReadOnly(snapshot.path.clone()));
    }
    if !snapshot.unchanged()? {
        return Err(WriteError::Changed(snapshot.path.clone()));
    }
    let dir = match snapshot.target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = snapshot
        .target
        .file_name()
        .map_or_else(|| "config".into(), |n| n.to_string_lossy().into_owned());
    let (tmp, mut file) =
        create_temp(&dir, &name).map_err(io_err(&snapshot.path, "creating a temporary file"))?;
    let result = (|| {
        file.write_all(new)
            .map_err(io_err(&snapshot.path, "writing the temporary file"))?;
        keep_metadata(snapshot, &tmp).map_err(io_err(&snapshot.path, "copying the file mode"))?;
        file.sync_all()
            .map_err(io_err(&snapshot.path, "syncing the temporary file"))?;
        drop(file);
        before_commit();
        if !snapshot.unchanged()? {
            return Err(WriteError::Changed(snapshot.path.clone()));
        }
        fs::rename(&tmp, &snapshot.target).map_err(io_err(
            &snapshot.path,
            "renaming the temporary file over it",
        ))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        return result;
    }
    // Make the rename itself durable.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100u32 {
        let path = dir.join(format!(".{name}.slsasync-{pid}-{n}.tmp"));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&path) {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

#[cfg(unix)]
fn keep_metadata(snapshot: &Snapshot, tmp: &Path) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = fs::metadata(tmp)?;
    if (meta.uid(), meta.gid()) != snapshot.owner {
        // Only root can give a file away; others keep their own ownership.
        let _ = std::os::unix::fs::chown(tmp, Some(snapshot.owner.0), Some(snapshot.owner.1));
    }
    fs::set_permissions(tmp, fs::Permissions::from_mode(snapshot.mode & 0o7777))
}

#[cfg(not(unix))]
fn keep_metadata(snapshot: &Snapshot, tmp: &Path) -> io::Result<()> {
    let mut p = fs::metadata(tmp)?.permissions();
    p.set_readonly(snapshot.readonly);
    fs::set_permissions(tmp, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(content: &str) -> Option<(tempfile::TempDir, PathBuf)> {
        let dir = tempfile::tempdir().ok()?;
        let path = dir.path().join("serverless.yml");
        fs::write(&path, content).ok()?;
        Some((dir, path))
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n != "serverless.yml")
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn writes_and_keeps_the_mode() {
        let Some((dir, path)) = temp_file("a: 1\n") else {
            return;
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o640));
        }
        let snap = Snapshot::read(&path);
        assert!(snap.is_ok());
        let Ok(snap) = snap else { return };
        assert!(write_atomic(&snap, b"a: 2\n").is_ok());
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("a: 2\n"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path)
                .map(|m| m.permissions().mode() & 0o777)
                .ok();
            assert_eq!(mode, Some(0o640));
        }
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_file_changed_before_the_rename_is_left_alone() {
        let Some((dir, path)) = temp_file("a: 1\n") else {
            return;
        };
        let Ok(snap) = Snapshot::read(&path) else {
            panic!("cannot read the file");
        };
        let p = path.clone();
        let r = write_atomic_with(&snap, b"a: 2\n", &mut || {
            let _ = fs::write(&p, "a: 1\nb: someone else\n");
        });
        assert!(matches!(r, Err(WriteError::Changed(_))));
        assert_eq!(
            fs::read_to_string(&path).ok().as_deref(),
            Some("a: 1\nb: someone else\n")
        );
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_file_changed_before_the_write_is_left_alone() {
        let Some((_dir, path)) = temp_file("a: 1\n") else {
            return;
        };
        let Ok(snap) = Snapshot::read(&path) else {
            panic!("cannot read the file");
        };
        let _ = fs::write(&path, "a: 3\n");
        assert!(matches!(
            write_atomic(&snap, b"a: 2\n"),
            Err(WriteError::Changed(_))
        ));
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("a: 3\n"));
    }

    #[test]
    fn a_read_only_file_is_refused() {
        let Some((_dir, path)) = temp_file("a: 1\n") else {
            return;
        };
        let mut perms = match fs::metadata(&path) {
            Ok(m) => m.permissions(),
            Err(_) => return,
        };
        perms.set_readonly(true);
        let _ = fs::set_permissions(&path, perms);
        let Ok(snap) = Snapshot::read(&path) else {
            panic!("cannot read the file");
        };
        assert!(matches!(
            write_atomic(&snap, b"a: 2\n"),
            Err(WriteError::ReadOnly(_))
        ));
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("a: 1\n"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through() {
        let Some((dir, path)) = temp_file("a: 1\n") else {
            return;
        };
        let link = dir.path().join("link.yml");
        if std::os::unix::fs::symlink(&path, &link).is_err() {
            return;
        }
        let Ok(snap) = Snapshot::read(&link) else {
            panic!("cannot read the link");
        };
        assert!(write_atomic(&snap, b"a: 2\n").is_ok());
        assert!(
            fs::symlink_metadata(&link)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(false)
        );
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("a: 2\n"));
    }
}
