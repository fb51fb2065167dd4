//! Files that hold incident data: readable by the owner only (0600, in
//! 0700 directories), never written through a symlink, and replaced
//! atomically (a temporary file in the same directory, then a rename), so a
//! reader never sees half a file and a full disk never truncates the old one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Creates `path` as a new file, 0600; an existing file or symlink there is
/// an error (`AlreadyExists`), never followed or replaced.
pub fn create_new(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

/// Writes `bytes` to `path` through a temporary file in the same directory
/// and a rename: the result is 0600 whatever mode an older file had. A
/// symlink at `path` is refused, not followed.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a symbolic link; name the file itself",
        ));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let (tmp, mut file) = temporary(&dir, &name.to_string_lossy())?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename is durable once the directory is.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn temporary(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    for n in 0..100u32 {
        let tmp = dir.join(format!(".{name}.{pid}.{n}.tmp"));
        match create_new(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name next to the file",
    ))
}

/// Tightens `path` to `mode` when it is looser (group or other bits set);
/// returns whether it changed, so the caller can say so.
pub fn tighten(path: &Path, mode: u32) -> io::Result<bool> {
    let meta = fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Ok(false);
    }
    let current = meta.permissions().mode() & 0o777;
    if current & 0o077 == 0 {
        return Ok(false);
    }
    fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    Ok(true)
}

/// A plain-words reason for an I/O error on a write: a full disk and the
/// file-size limit are named, everything else is the system's text.
pub fn write_error(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(28) => "the disk is full (no space left on the device)".into(),
        Some(27) => "the file-size limit was reached (ulimit -f)".into(),
        Some(30) => "the file system is read-only".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn replace_writes_0600_over_a_looser_file_and_refuses_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.md");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        replace(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(mode(&path), 0o600);

        let target = dir.path().join("target");
        fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = replace(&link, b"x").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 3);
    }

    #[test]
    fn create_new_is_0600_and_never_follows_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.csv");
        drop(create_new(&path).unwrap());
        assert_eq!(mode(&path), 0o600);
        let link = dir.path().join("l.csv");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
        assert_eq!(
            create_new(&link).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn tighten_only_touches_looser_modes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, "").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(tighten(&path, 0o600).unwrap());
        assert_eq!(mode(&path), 0o600);
        assert!(!tighten(&path, 0o600).unwrap());
    }

    #[test]
    fn full_disk_and_file_size_limit_are_named() {
        let full = io::Error::from_raw_os_error(28);
        assert!(write_error(&full).contains("disk is full"));
        let big = io::Error::from_raw_os_error(27);
        assert!(write_error(&big).contains("ulimit -f"));
    }
}
