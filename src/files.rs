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
/// so readers never see a partial file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, |tmp, path| fs::rename(tmp, path))
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
