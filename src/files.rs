//! Files on disk: paths as shown to users, and writes that never leave a
//! partial file behind (generated files, approvals, new proposals, caches).

use std::fs;
use std::io::Write;
use std::path::Path;

/// A path as shown in findings: forward slashes, no leading `./`.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// so readers never see a partial file. An existing file keeps its
/// permissions, and a symlink keeps pointing where it did: the file it
/// points to is the one replaced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    write_via_temp(&target, bytes, |tmp, path| {
        if let Some(p) = permissions {
            fs::set_permissions(tmp, p)?;
        }
        fs::rename(tmp, path)
    })
}

/// Writes `bytes` to a temporary file beside `path` (creating the
/// directory), synced to disk, then puts it in place with `place`; the
/// temporary file never survives.
pub fn write_via_temp(
    path: &Path,
    bytes: &[u8],
    place: impl FnOnce(&Path, &Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        place(&tmp, path)
    })();
    // After a rename the temporary name is gone; after a hard link or a
    // failure it is removed here.
    let _ = fs::remove_file(&tmp);
    result
}

/// Writes `contents` to `path` unless it exists, atomically: the file
/// appears complete or not at all, and an existing file is never replaced.
pub fn create_new(path: &Path, contents: &str) -> std::io::Result<()> {
    if path.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "file exists",
        ));
    }
    // A hard link fails if `path` appeared meanwhile, unlike a rename.
    write_via_temp(path, contents.as_bytes(), |tmp, path| {
        fs::hard_link(tmp, path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn atomic_writes_keep_permissions_and_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
