//! Writing an edited file without ever leaving a partial or stale one.
//!
//! [`Snapshot::read`] keeps the bytes and metadata the edit was computed
//! from. [`write_atomic`] writes the new bytes to a temporary file in the
//! same directory, fsyncs it, gives it the original's mode (and owner, where
//! allowed), checks that the original still holds the snapshot's bytes, and
//! renames the temporary file over it. Any failure removes the temporary file
//! and leaves the original untouched.
//!
//! Refused before anything is written: a read-only file and a file in a
//! read-only directory (the rename would succeed for root, but the user said
//! it must not change), something that is not a regular file, a file that
//! changed or disappeared since it was read. The check-then-rename window is
//! a few system calls wide; an editor that saves inside it is not detected.
//!
//! A symbolic link is written through: the file it points to is replaced
//! (the temporary file is made next to that file) and the link stays a link.
//!
//! A process killed between the write and the rename leaves the original
//! intact and a complete temporary file `.NAME.slsasync-PID-N.tmp` next to
//! it. Such a file is never renamed over anything; the next write of the
//! same file removes those whose process is gone (where `/proc` says so).
//!
//! Debug builds honour `SLSASYNC_FAULT` so that the binary's tests can make
//! a step fail: `abort-before-rename`, `disk-full`, `rename`,
//! `change-before-rename`, `remove-before-rename`. Release builds ignore it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
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
    regular: bool,
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
    /// The file's directory has no write permission.
    ReadOnlyDir { path: PathBuf, dir: PathBuf },
    /// Not a regular file (a pipe, a device).
    NotRegular(PathBuf),
    /// The file changed since it was read.
    Changed(PathBuf),
    /// The file was removed or renamed since it was read.
    Gone(PathBuf),
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
            WriteError::ReadOnlyDir { path, dir } => write!(
                f,
                "{} is in a read-only directory ({}); nothing was written",
                path.display(),
                shown_dir(dir)
            ),
            WriteError::NotRegular(p) => write!(
                f,
                "{} is not a regular file (a pipe or a device); nothing was written",
                p.display()
            ),
            WriteError::Changed(p) => write!(
                f,
                "{} changed on disk while slsasync was editing it; nothing was written",
                p.display()
            ),
            WriteError::Gone(p) => write!(
                f,
                "{} was removed or renamed while slsasync was editing it; nothing was written",
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

fn shown_dir(dir: &Path) -> String {
    if dir.as_os_str().is_empty() || dir == Path::new(".") {
        "the current directory".to_owned()
    } else {
        dir.display().to_string()
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
            WriteError::ReadOnlyDir { .. } => {
                "make the directory writable (the new file is written next to the old one, then renamed over it), or use --dry-run"
            }
            WriteError::NotRegular(_) => {
                "name the config file itself, or use --dry-run to see the change"
            }
            WriteError::Changed(_) => "run the command again on the file as it is now",
            WriteError::Gone(_) => "run the command again once the file is back",
            WriteError::Io { .. } => {
                "check that the file's directory is writable and has free space, or use --dry-run"
            }
        }
    }
}

fn io_err<'p>(path: &'p Path, what: &'static str) -> impl FnOnce(io::Error) -> WriteError + 'p {
    move |error| {
        if error.kind() == io::ErrorKind::NotFound && what.starts_with("reading") {
            return WriteError::Gone(path.to_path_buf());
        }
        WriteError::Io {
            path: path.to_path_buf(),
            what,
            error,
        }
    }
}

impl Snapshot {
    /// Read a file (at most [`crate::load::MAX_FILE_BYTES`]) and remember how
    /// it was. Errors say why in words a person can act on.
    pub fn read(path: &Path) -> io::Result<Self> {
        let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let bytes = crate::load::read_bytes(&target)?;
        let meta = fs::metadata(&target)
            .map_err(|e| io::Error::new(e.kind(), crate::load::io_reason(&e)))?;
        Ok(Self {
            path: path.to_path_buf(),
            target,
            bytes,
            modified: meta.modified().ok(),
            len: meta.len(),
            readonly: meta.permissions().readonly(),
            regular: meta.is_file(),
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
        let mut now = Vec::with_capacity(self.bytes.len());
        File::open(&self.target)
            .and_then(|f| f.take(self.len + 1).read_to_end(&mut now))
            .map_err(io_err(&self.path, "reading it again"))?;
        Ok(now == self.bytes)
    }
}

/// The file-system steps of a write that can fail, replaceable in tests.
trait Steps {
    fn write(&mut self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        file.write_all(bytes)
    }
    fn sync(&mut self, file: &File) -> io::Result<()> {
        file.sync_all()
    }
    /// Called after the temporary file is complete, before the final check.
    fn before_commit(&mut self, _target: &Path) {}
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }
}

/// The real file system, with a caller's hook before the commit and, in
/// debug builds, the faults `SLSASYNC_FAULT` asks for.
struct Real<'a> {
    before_commit: &'a mut dyn FnMut(),
    fault: Option<String>,
}

impl Real<'_> {
    fn fault(&self, name: &str) -> bool {
        self.fault.as_deref() == Some(name)
    }
}

fn injected_fault() -> Option<String> {
    if cfg!(debug_assertions) {
        std::env::var("SLSASYNC_FAULT").ok()
    } else {
        None
    }
}

impl Steps for Real<'_> {
    fn write(&mut self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        if self.fault("disk-full") {
            // What a full disk does: part of the data, then ENOSPC.
            file.write_all(&bytes[..bytes.len() / 2])?;
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device (os error 28)",
            ));
        }
        file.write_all(bytes)
    }

    fn before_commit(&mut self, target: &Path) {
        (self.before_commit)();
        if self.fault("abort-before-rename") {
            std::process::abort();
        }
        if self.fault("change-before-rename") {
            let _ = OpenOptions::new()
                .append(true)
                .open(target)
                .and_then(|mut f| f.write_all(b"# changed by another process\n"));
        }
        if self.fault("remove-before-rename") {
            let _ = fs::remove_file(target);
        }
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        if self.fault("rename") {
            return Err(io::Error::new(
                io::ErrorKind::CrossesDevices,
                "Invalid cross-device link (os error 18)",
            ));
        }
        fs::rename(from, to)
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
    let mut steps = Real {
        before_commit,
        fault: injected_fault(),
    };
    write_with_steps(snapshot, new, &mut steps)
}

fn write_with_steps(
    snapshot: &Snapshot,
    new: &[u8],
    steps: &mut dyn Steps,
) -> Result<(), WriteError> {
    if !snapshot.regular {
        return Err(WriteError::NotRegular(snapshot.path.clone()));
    }
    if snapshot.readonly {
        return Err(WriteError::ReadOnly(snapshot.path.clone()));
    }
    let dir = match snapshot.target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if fs::metadata(&dir).is_ok_and(|m| m.permissions().readonly()) {
        // Name the directory as the user wrote it, unless a link leads elsewhere.
        let linked = fs::symlink_metadata(&snapshot.path).is_ok_and(|m| m.file_type().is_symlink());
        let shown = match snapshot.path.parent() {
            Some(p) if !linked => p.to_path_buf(),
            _ => dir.clone(),
        };
        return Err(WriteError::ReadOnlyDir {
            path: snapshot.path.clone(),
            dir: shown,
        });
    }
    if !snapshot.unchanged()? {
        return Err(WriteError::Changed(snapshot.path.clone()));
    }
    let name = snapshot
        .target
        .file_name()
        .map_or_else(|| "config".into(), |n| n.to_string_lossy().into_owned());
    remove_stale_temps(&dir, &name);
    let (tmp, mut file) =
        create_temp(&dir, &name).map_err(io_err(&snapshot.path, "creating a temporary file"))?;
    let result = (|| {
        steps
            .write(&mut file, new)
            .map_err(io_err(&snapshot.path, "writing the temporary file"))?;
        keep_metadata(snapshot, &tmp).map_err(io_err(&snapshot.path, "copying the file mode"))?;
        steps
            .sync(&file)
            .map_err(io_err(&snapshot.path, "syncing the temporary file"))?;
        drop(file);
        steps.before_commit(&snapshot.target);
        if !snapshot.unchanged()? {
            return Err(WriteError::Changed(snapshot.path.clone()));
        }
        steps.rename(&tmp, &snapshot.target).map_err(io_err(
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

/// The temporary file name for `name`, written by process `pid`.
fn temp_name(name: &str, pid: u32, n: u32) -> String {
    format!(".{name}.slsasync-{pid}-{n}.tmp")
}

fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100u32 {
        let path = dir.join(temp_name(name, pid, n));
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

/// Remove temporary files of `name` left by a process that no longer runs
/// (killed between its write and its rename). Only where `/proc` tells which
/// processes run; elsewhere they are left alone (and never used).
fn remove_stale_temps(dir: &Path, name: &str) {
    let proc = Path::new("/proc/self");
    if !proc.exists() {
        return;
    }
    let prefix = format!(".{name}.slsasync-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some((pid, n)) = rest.split_once('-') else {
            continue;
        };
        let (Ok(pid), Ok(_)) = (pid.parse::<u32>(), n.parse::<u32>()) else {
            continue;
        };
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if regular
            && pid != std::process::id()
            && !Path::new("/proc").join(pid.to_string()).exists()
        {
            let _ = fs::remove_file(entry.path());
        }
    }
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

    /// What another process does to the file just before the commit.
    type Meddle = Box<dyn FnMut(&Path)>;

    /// Steps that fail at one point, as a full disk or a refusing rename would.
    #[derive(Default)]
    struct Failing {
        write: bool,
        sync: bool,
        rename: bool,
        /// Run before the final check (another process at work).
        meddle: Option<Meddle>,
    }

    impl Steps for Failing {
        fn write(&mut self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
            if self.write {
                file.write_all(&bytes[..bytes.len() / 2])?;
                return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
            }
            file.write_all(bytes)
        }
        fn sync(&mut self, file: &File) -> io::Result<()> {
            if self.sync {
                return Err(io::Error::other("I/O error"));
            }
            file.sync_all()
        }
        fn before_commit(&mut self, target: &Path) {
            if let Some(m) = self.meddle.as_mut() {
                m(target);
            }
        }
        fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
            if self.rename {
                return Err(io::Error::new(
                    io::ErrorKind::CrossesDevices,
                    "cross-device",
                ));
            }
            fs::rename(from, to)
        }
    }

    const ORIGINAL: &str = "service: svc # keep me\r\nprovider:\r\n  name: aws\r\n";

    fn setup() -> (tempfile::TempDir, PathBuf, Snapshot) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("serverless.yml");
        fs::write(&path, ORIGINAL).expect("write");
        let snap = Snapshot::read(&path).expect("snapshot");
        (dir, path, snap)
    }

    fn assert_intact(dir: &Path, path: &Path) {
        assert_eq!(fs::read(path).expect("read back"), ORIGINAL.as_bytes());
        assert_eq!(leftovers(dir), Vec::<String>::new());
    }

    #[test]
    fn a_full_disk_leaves_the_original_and_no_temporary_file() {
        let (dir, path, snap) = setup();
        let mut steps = Failing {
            write: true,
            ..Failing::default()
        };
        let r = write_with_steps(&snap, b"service: other\n", &mut steps);
        let Err(e) = r else {
            panic!("the write succeeded")
        };
        assert!(matches!(&e, WriteError::Io { what, .. } if *what == "writing the temporary file"));
        assert!(e.to_string().contains("the file is unchanged"), "{e}");
        assert_intact(dir.path(), &path);
    }

    #[test]
    fn a_failed_sync_leaves_the_original_and_no_temporary_file() {
        let (dir, path, snap) = setup();
        let mut steps = Failing {
            sync: true,
            ..Failing::default()
        };
        assert!(write_with_steps(&snap, b"x: 1\n", &mut steps).is_err());
        assert_intact(dir.path(), &path);
    }

    #[test]
    fn a_failed_rename_leaves_the_original_and_no_temporary_file() {
        let (dir, path, snap) = setup();
        let mut steps = Failing {
            rename: true,
            ..Failing::default()
        };
        let Err(e) = write_with_steps(&snap, b"x: 1\n", &mut steps) else {
            panic!("the write succeeded");
        };
        assert!(e.to_string().contains("renaming the temporary file"), "{e}");
        assert_intact(dir.path(), &path);
    }

    #[test]
    fn a_file_removed_before_the_rename_is_not_recreated() {
        let (dir, path, snap) = setup();
        let mut steps = Failing {
            meddle: Some(Box::new(|t: &Path| fs::remove_file(t).expect("remove"))),
            ..Failing::default()
        };
        let r = write_with_steps(&snap, b"x: 1\n", &mut steps);
        assert!(matches!(r, Err(WriteError::Gone(_))), "{r:?}");
        assert!(!path.exists());
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_file_removed_before_the_write_is_reported_as_gone() {
        let (dir, path, snap) = setup();
        fs::remove_file(&path).expect("remove");
        let Err(e) = write_atomic(&snap, b"x: 1\n") else {
            panic!("the write succeeded");
        };
        assert!(matches!(e, WriteError::Gone(_)));
        assert!(e.to_string().contains("removed or renamed"), "{e}");
        assert!(!path.exists());
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_file_replaced_by_another_process_with_the_same_bytes_is_still_written() {
        // Same content, same size: only the modification time differs; the
        // check reads it again and finds it changed (it cannot know better).
        let (dir, path, snap) = setup();
        let mut steps = Failing {
            meddle: Some(Box::new(|t: &Path| {
                let f = OpenOptions::new().write(true).open(t).expect("open");
                f.set_modified(SystemTime::UNIX_EPOCH).expect("mtime");
            })),
            ..Failing::default()
        };
        let r = write_with_steps(&snap, b"x: 1\n", &mut steps);
        assert!(matches!(r, Err(WriteError::Changed(_))), "{r:?}");
        assert_intact(dir.path(), &path);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_directory_is_refused_even_for_root() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, path, snap) = setup();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).expect("chmod");
        let r = write_atomic(&snap, b"x: 1\n");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
        let Err(e) = r else {
            panic!("the write succeeded")
        };
        assert!(matches!(e, WriteError::ReadOnlyDir { .. }), "{e:?}");
        assert!(e.to_string().contains("read-only directory"), "{e}");
        assert_intact(dir.path(), &path);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_not_written() {
        let snap = Snapshot::read(Path::new("/dev/null")).expect("snapshot");
        let r = write_atomic(&snap, b"x: 1\n");
        assert!(matches!(r, Err(WriteError::NotRegular(_))), "{r:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_a_clear_read_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a.yml");
        let b = dir.path().join("b.yml");
        std::os::unix::fs::symlink(&b, &a).expect("link");
        std::os::unix::fs::symlink(&a, &b).expect("link");
        let e = Snapshot::read(&a).expect_err("read a loop");
        assert!(e.to_string().contains("loop of symbolic links"), "{e}");
    }

    #[test]
    fn a_file_larger_than_the_limit_is_not_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("serverless.yml");
        let f = File::create(&path).expect("create");
        f.set_len(crate::load::MAX_FILE_BYTES + 1).expect("grow");
        let e = Snapshot::read(&path).expect_err("read a huge file");
        assert!(e.to_string().contains("too large"), "{e}");
    }

    #[test]
    fn temporary_files_of_dead_processes_are_removed_others_kept() {
        let (dir, path, snap) = setup();
        // No process has a pid this large (Linux caps pids at 2^22).
        let stale = dir
            .path()
            .join(temp_name("serverless.yml", 4_000_000_000, 0));
        let mine = dir
            .path()
            .join(temp_name("serverless.yml", std::process::id(), 7));
        let other = dir.path().join(".serverless.yml.slsasync-notes.tmp");
        for p in [&stale, &mine, &other] {
            fs::write(p, "service: half-written").expect("write");
        }
        write_atomic(&snap, b"x: 1\n").expect("write");
        assert_eq!(fs::read_to_string(&path).expect("read"), "x: 1\n");
        if Path::new("/proc/self").exists() {
            assert!(
                !stale.exists(),
                "a dead process's temporary file is removed"
            );
        }
        assert!(mine.exists() && other.exists());
    }
}
