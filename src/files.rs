//! The files shipdeck creates (tick outbox, audit log, snapshot cache, log file) are its
//! user's alone: 0600, in directories created 0700. Errors name the path.

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Mode of the files shipdeck creates.
#[cfg(unix)]
const FILE_MODE: u32 = 0o600;
/// Mode of the directories shipdeck creates.
#[cfg(unix)]
const DIR_MODE: u32 = 0o700;

/// `e` with `path` in its message, same kind.
fn at(path: &Path, e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Creates `dir` and any missing parents, each 0700. Existing directories keep their mode.
///
/// # Errors
/// The directory cannot be created; the message names it.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    create_dir_unnamed(dir).map_err(|e| at(dir, &e))
}

fn create_dir_unnamed(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)
}

/// Creates `dir` (0700, with its parents) and checks that a file can be written there.
///
/// # Errors
/// "cannot write to the data dir PATH: why; …", naming `SHIPDECK_DATA_DIR` as the way out.
pub fn check_data_dir(dir: &Path) -> Result<(), String> {
    let probe = dir.join(format!(".write-test-{}", std::process::id()));
    create_dir_unnamed(dir)
        .and_then(|()| open_unnamed(&probe, OpenOptions::new().write(true).create(true)))
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| {
            format!(
                "cannot write to the data dir {}: {e}; make it writable, or set SHIPDECK_DATA_DIR to a directory you can write",
                dir.display()
            )
        })
}

/// Opens `path` for writing from the start (truncated), creating it 0600; a file that was
/// there with a looser mode is made 0600.
///
/// # Errors
/// It cannot be opened; the message names it.
pub fn create(path: &Path) -> io::Result<File> {
    open(
        path,
        OpenOptions::new().write(true).create(true).truncate(true),
    )
}

/// Opens `path` for appending, creating it 0600; a file that was there with a looser mode is
/// made 0600.
///
/// # Errors
/// It cannot be opened; the message names it.
pub fn open_append(path: &Path) -> io::Result<File> {
    open(path, OpenOptions::new().append(true).create(true))
}

fn open(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    open_unnamed(path, options).map_err(|e| at(path, &e))
}

fn open_unnamed(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, FILE_MODE);
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
        }
    }
    Ok(file)
}

/// Replaces `path` with `bytes` atomically: a 0600 temp file beside it (in a directory
/// created 0700 if missing), synced, renamed over it; the directory is synced too where
/// that is supported.
///
/// # Errors
/// Any step failed; the message names the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    create_dir(dir)?;
    let tmp = temp_beside(path);
    let mut f = create(&tmp)?;
    f.write_all(bytes).map_err(|e| at(&tmp, &e))?;
    f.sync_all().map_err(|e| at(&tmp, &e))?;
    std::fs::rename(&tmp, path).map_err(|e| at(path, &e))?;
    if let Ok(d) = File::open(dir) {
        // Directory fsync makes the rename durable; not supported everywhere.
        let _ = d.sync_all();
    }
    Ok(())
}

/// `name.ext.tmp` beside `path`.
fn temp_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// A new directory of its own (0700) under `parent`, named `prefix-PID-N`: never one that
/// existed before, so nobody else can have prepared it.
///
/// # Errors
/// None could be created; the message names the parent.
pub fn fresh_dir(parent: &Path, prefix: &str) -> io::Result<PathBuf> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    let mut last = None;
    for n in 0..100u32 {
        let dir = parent.join(format!("{prefix}-{}-{n}", std::process::id()));
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(at(&dir, &e)),
        }
    }
    Err(at(
        parent,
        &last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)),
    ))
}

/// Appends one JSON line per record to `path` (created private, with its directory) and syncs
/// it: the audit log, shared by the dashboard and the one-shot commands.
///
/// # Errors
/// The directory or file cannot be created or written.
pub fn append_jsonl<T: serde::Serialize>(path: &Path, records: &[T]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    let mut f = open_append(path)?;
    for r in records {
        let line = serde_json::to_string(r).map_err(io::Error::other)?;
        writeln!(f, "{line}")?;
    }
    f.sync_data()
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn atomic_writes_are_private_and_replace_looser_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a").join("b.json");
        write_atomic(&path, b"1").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_atomic(&path, b"2").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"2");
        assert!(!dir.path().join("a").join("b.json.tmp").exists());
    }

    #[test]
    fn fresh_dirs_are_new_and_private() {
        let parent = tempfile::tempdir().unwrap();
        let a = fresh_dir(parent.path(), "x").unwrap();
        let b = fresh_dir(parent.path(), "x").unwrap();
        assert_ne!(a, b);
        assert_eq!(mode(&a), 0o700);
    }

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "").unwrap();
        let e = create(&file.join("x")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(&file.join("x").display().to_string()),
            "{e}"
        );
        let e = check_data_dir(&file.join("d")).unwrap_err();
        assert!(
            e.starts_with(&format!(
                "cannot write to the data dir {}: ",
                file.join("d").display()
            )),
            "{e}"
        );
    }
}
