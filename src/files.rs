//! Files on disk: paths as shown to users, and writes that never leave a
//! partial file behind (generated files, approvals, new proposals, caches).

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// A path as shown in findings: forward slashes, no leading `./`.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Whether `path` (absolute, or relative to the working directory) stays
/// inside `root` when symlinks and `..` are resolved: the deepest part of
/// it that exists must resolve below `root`. A path that does not exist
/// yet is judged by its nearest existing ancestor, which is where it would
/// be created.
pub fn stays_inside(root: &Path, path: &Path) -> bool {
    let Ok(root) = fs::canonicalize(root) else {
        return false;
    };
    let mut probe = path.to_path_buf();
    loop {
        if fs::symlink_metadata(&probe).is_ok() {
            // A dangling link resolves nowhere: not inside.
            return fs::canonicalize(&probe).is_ok_and(|p| p.starts_with(&root));
        }
        if !probe.pop() || probe.as_os_str().is_empty() {
            return false;
        }
    }
}

/// Whether a write waits for the disk before the file is put in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Synced before the rename: what privet edits for a person (an
    /// approval), which a crash must not leave empty.
    Synced,
    /// Renamed into place without a sync: output that can be regenerated
    /// (generated files, caches). Readers still never see a partial file;
    /// after a crash a file may be empty and is regenerated.
    Regenerable,
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// so readers never see a partial file, synced to disk first. An existing
/// file keeps its permissions, and a symlink keeps pointing where it did:
/// the file it points to is the one replaced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_replacing(path, bytes, Durability::Synced)
}

/// [`write_atomically`] without waiting for the disk, for output that can
/// be regenerated ([`Durability::Regenerable`]).
pub fn write_output(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_replacing(path, bytes, Durability::Regenerable)
}

fn write_replacing(path: &Path, bytes: &[u8], durability: Durability) -> std::io::Result<()> {
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    write_via_temp(&target, bytes, durability, |tmp, path| {
        if let Some(p) = permissions {
            fs::set_permissions(tmp, p)?;
        }
        fs::rename(tmp, path)
    })
}

/// Why [`write_all`] stopped: the file it could not write, and how many
/// were in place before it (none, unless a rename failed).
#[derive(Debug)]
pub struct WriteAllError {
    pub path: PathBuf,
    pub error: std::io::Error,
    pub written: usize,
    pub total: usize,
}

/// Writes every `(path, bytes)` or none: each goes to a temporary file
/// beside its target first (staged as [`write_via_temp`] stages them, so an
/// interrupt or a later write's sweep removes it), and only when all are
/// written are they renamed into place. On failure the temporary files,
/// and the directories this call created, are removed.
pub fn write_all<'a>(
    files: impl Iterator<Item = (&'a Path, &'a [u8])>,
) -> Result<(), WriteAllError> {
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut guards: Vec<Guard> = Vec::new();
    // A staged temporary file is removed when dropped, unless persisted.
    let mut staged: Vec<(tempfile::TempPath, &Path)> = Vec::new();
    let undo = |staged: Vec<(tempfile::TempPath, &Path)>, created: &[PathBuf]| {
        drop(staged);
        for d in created.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    };
    let failed = |path: &Path, error: std::io::Error, written: usize| WriteAllError {
        path: path.to_path_buf(),
        error,
        written,
        total: 0,
    };
    for (target, bytes) in files {
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut missing: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        missing.reverse();
        if let Err(e) = fs::create_dir_all(dir) {
            undo(staged, &created_dirs);
            return Err(failed(dir, e, 0));
        }
        created_dirs.extend(missing);
        match staged_copy(dir, target, bytes, Durability::Synced, &mut guards) {
            Ok(tmp) => staged.push((tmp, target)),
            Err(e) => {
                undo(staged, &created_dirs);
                return Err(failed(target, e, 0));
            }
        }
    }
    test_pause();
    let total = staged.len();
    let mut staged = staged.into_iter();
    let mut i = 0;
    while let Some((tmp, target)) = staged.next() {
        if let Err(e) = tmp.persist(target) {
            // The one that failed and those not yet renamed are removed.
            drop(e.path);
            undo(staged.collect(), &[]);
            return Err(WriteAllError {
                total,
                ..failed(target, e.error, i)
            });
        }
        i += 1;
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path` (creating the
/// directory), synced to disk when `durability` asks, then puts it in place
/// with `place`; the temporary file never survives.
pub fn write_via_temp(
    path: &Path,
    bytes: &[u8],
    durability: Durability,
    place: impl FnOnce(&Path, &Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    // An interrupt (Ctrl-C, SIGTERM, SIGHUP) while the file exists removes it.
    let mut guards = Vec::new();
    let tmp = staged_copy(dir, path, bytes, durability, &mut guards)?;
    test_pause();
    // After a rename the temporary name is gone; after a hard link or a
    // failure it is removed when `tmp` drops.
    place(&tmp, path)
}

/// Makes an interrupt (SIGINT, SIGTERM, SIGHUP, SIGQUIT) remove the
/// temporary file of every write in progress, then end the process as the
/// signal asks. Process-wide, so the `privet` program calls it, never the
/// library: without it, a temporary file an interrupt leaves behind is
/// removed by the next write beside it.
pub fn remove_temporaries_on_interrupt() {
    #[cfg(unix)]
    interrupt::install();
}

/// `bytes` in a new temporary file beside `target` ([`stage`]), synced
/// when `durability` asks; removed when dropped unless persisted.
fn staged_copy(
    dir: &Path,
    target: &Path,
    bytes: &[u8],
    durability: Durability,
    guards: &mut Vec<Guard>,
) -> std::io::Result<tempfile::TempPath> {
    let mut f = stage(dir, target, guards)?;
    f.write_all(bytes)?;
    if durability == Durability::Synced {
        f.as_file().sync_all()?;
    }
    Ok(f.into_temp_path())
}

/// The temporary file in `dir` that a write of `target` goes through,
/// created new (never through a file or link already there) under a name
/// tempfile picks: `.NAME.<pid>.<random>.tmp`, removed when dropped unless
/// persisted. Its name is registered in `guards` for removal on interrupt
/// before the file exists. Those a dead privet process left for the same
/// name are swept first.
fn stage(
    dir: &Path,
    target: &Path,
    guards: &mut Vec<Guard>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale_temps(dir, &name);
    tempfile::Builder::new()
        .prefix(&format!(".{name}.{}.", std::process::id()))
        .suffix(".tmp")
        .rand_bytes(6)
        .make_in(dir, |path| {
            #[cfg(unix)]
            guards.push(interrupt::guard(path));
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
        })
}

/// What keeps a temporary file registered for removal on interrupt.
#[cfg(unix)]
type Guard = interrupt::Guard;
#[cfg(not(unix))]
type Guard = ();

/// Debug builds only: waits `PRIVET_TEST_WRITE_PAUSE_MS` while the temporary
/// file exists, so that a test can interrupt a write deterministically.
fn test_pause() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("PRIVET_TEST_WRITE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Removes `.NAME.<pid>.<random>.tmp` files beside `NAME` left by a privet
/// process that no longer runs (killed with SIGKILL, or a power cut).
fn remove_stale_temps(dir: &Path, name: &str) {
    // The directory is listed once per process: writing thousands of
    // files into one directory (a generated crate) must not list it per
    // file. Temporary files found are grouped by the name they stand for.
    type Listing = HashMap<String, Vec<(PathBuf, u32)>>;
    static LISTED: OnceLock<Mutex<HashMap<PathBuf, Listing>>> = OnceLock::new();
    let listed = LISTED.get_or_init(Default::default);
    let mut listed = listed.lock().unwrap_or_else(|e| e.into_inner());
    let listing = listed.entry(dir.to_path_buf()).or_insert_with(|| {
        let mut temps: Listing = HashMap::new();
        let Ok(entries) = fs::read_dir(dir) else {
            return temps;
        };
        for entry in entries.flatten() {
            let file = entry.file_name();
            let file = file.to_string_lossy();
            let Some((target, pid)) = file
                .strip_prefix('.')
                .and_then(|rest| rest.strip_suffix(".tmp"))
                .and_then(|rest| rest.rsplit_once('.'))
                .and_then(|(rest, _random)| rest.rsplit_once('.'))
                .and_then(|(target, pid)| Some((target, pid.parse::<u32>().ok()?)))
            else {
                continue;
            };
            temps
                .entry(target.to_string())
                .or_default()
                .push((entry.path(), pid));
        }
        temps
    });
    for (path, pid) in listing.remove(name).unwrap_or_default() {
        if pid != std::process::id() && !process_alive(pid) {
            let _ = fs::remove_file(path);
        }
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // Signal 0 checks that the process exists without touching it.
    // SAFETY: kill with signal 0 sends nothing.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

/// Removal of temporary files when the process is interrupted. A handler
/// for SIGINT, SIGTERM, SIGHUP and SIGQUIT unlinks every registered file
/// (`unlink` is async-signal-safe), then re-raises the signal with its
/// default action, so the process still ends as the user asked. Signals the
/// process ignores stay ignored.
#[cfg(unix)]
mod interrupt {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr::null_mut;
    use std::sync::Once;
    use std::sync::atomic::{AtomicPtr, Ordering};

    const SLOTS: usize = 8;
    const SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];
    static TEMPS: [AtomicPtr<libc::c_char>; SLOTS] = [const { AtomicPtr::new(null_mut()) }; SLOTS];
    static INSTALL: Once = Once::new();

    /// Unlinks every registered file; what the handler does first.
    pub(super) fn remove_all() {
        for slot in &TEMPS {
            let p = slot.swap(null_mut(), Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: `p` came from CString::into_raw and is only freed
                // by a guard whose swap found it still registered.
                unsafe { libc::unlink(p) };
            }
        }
    }

    extern "C" fn on_signal(signal: libc::c_int) {
        remove_all();
        // SAFETY: restoring the default action and re-raising are
        // async-signal-safe.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    /// Keeps `path` registered for removal on interrupt until dropped.
    pub struct Guard(Option<(usize, *mut libc::c_char)>);

    /// Installs the handlers (once). Only the program does this, for its
    /// own process ([`super::remove_temporaries_on_interrupt`]); a library
    /// user's handlers are never replaced by a write.
    pub fn install() {
        INSTALL.call_once(|| {
            for signal in SIGNALS {
                let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                // SAFETY: installs a handler that only calls
                // async-signal-safe functions.
                unsafe {
                    if libc::signal(signal, handler) == libc::SIG_IGN {
                        libc::signal(signal, libc::SIG_IGN);
                    }
                }
            }
        });
    }

    pub fn guard(path: &Path) -> Guard {
        let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
            return Guard(None);
        };
        let raw = c.into_raw();
        for (i, slot) in TEMPS.iter().enumerate() {
            if slot
                .compare_exchange(null_mut(), raw, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                return Guard(Some((i, raw)));
            }
        }
        // Every slot taken (more concurrent writes than slots): this file
        // is cleaned up by the stale-file sweep of a later write instead.
        // SAFETY: `raw` was never shared.
        drop(unsafe { CString::from_raw(raw) });
        Guard(None)
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            if let Some((i, raw)) = self.0
                && TEMPS[i]
                    .compare_exchange(raw, null_mut(), Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
            {
                // SAFETY: unregistered, so no handler can still use it.
                drop(unsafe { CString::from_raw(raw) });
            }
            // Otherwise a handler took it and the process is ending.
        }
    }
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
    write_via_temp(
        path,
        contents.as_bytes(),
        Durability::Synced,
        |tmp, path| fs::hard_link(tmp, path),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_dead_writers_temporary_file_is_swept_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        // pid_max is at most 2^22 on Linux: this process cannot exist.
        let dead = dir.path().join(".x.txt.99999999.a1B2c3.tmp");
        let other_name = dir.path().join(".y.txt.99999999.a1B2c3.tmp");
        let user_file = dir.path().join(".notes.tmp");
        for f in [&dead, &other_name, &user_file] {
            fs::write(f, "left over").unwrap();
        }
        write_atomically(&dir.path().join("x.txt"), b"new").unwrap();
        assert!(!dead.exists(), "the dead writer's file of x.txt is swept");
        assert!(other_name.exists(), "only files of the name written");
        assert!(user_file.exists());
        write_atomically(&dir.path().join("y.txt"), b"new").unwrap();
        assert!(!other_name.exists(), "the listing is reused, not stale");
        assert_eq!(fs::read(dir.path().join("x.txt")).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn an_interrupt_removes_the_temporary_file_and_stale_ones_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().join(".x.toml.1.abcdef.tmp");
        fs::write(&tmp, "partial").unwrap();
        let guard = interrupt::guard(&tmp);
        interrupt::remove_all(); // what the signal handler does first
        assert!(!tmp.exists());
        drop(guard);
        // A temporary file of a process that no longer runs is removed by
        // the next write of the same file; a live process's is kept.
        let dead = dir
            .path()
            .join(format!(".x.toml.{}.Zz09aa.tmp", i32::MAX - 7));
        let live = dir.path().join(".x.toml.1.abcdef.tmp"); // pid 1 always runs
        fs::write(&dead, "partial").unwrap();
        fs::write(&live, "partial").unwrap();
        write_atomically(&dir.path().join("x.toml"), b"done").unwrap();
        assert!(!dead.exists());
        assert!(live.exists());
    }

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
