//! The hostile-input corpus (`tests/fixtures/hostile/<family>/<case>/`):
//! loading its cases, running one against a `privet` binary in a scratch
//! copy of its tree, and judging the outcome. Shared by `tests/hostile.rs`
//! (every case, debug build) and `cargo xtask bench --hostile` (the worst
//! time per family, release build).
//!
//! A case is a `tree/` of files and a `case.toml`: `about`, `args` (after
//! `privet`; the working directory is the scratch copy), optional `setup`
//! steps run before it, the expected `exit` code, substrings that must be
//! in `stdout` and `stderr`, and substrings `absent` from both. Setup steps:
//! `git`, `git-as EMAIL`, `write PATH TEXT`, `write-hex PATH HEX`, `repeat
//! PATH TEXT N`, `chmod MODE PATH`, `symlink TARGET PATH`, `mkfifo PATH`,
//! `corrupt-blob PATH`, `shallow`. Every case
//! must also: not panic, exit 0, 1 or 2, finish within the timeout, leave
//! no temporary file, and print no raw control character.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Case {
    pub family: String,
    pub name: String,
    pub dir: PathBuf,
    pub about: String,
    pub args: Vec<String>,
    pub setup: Vec<Vec<String>>,
    pub exit: i64,
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
    pub absent: Vec<String>,
}

impl Case {
    pub fn id(&self) -> String {
        format!("{}/{}", self.family, self.name)
    }
}

pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    pub timed_out: bool,
    /// Temporary files left in the tree.
    pub stray: Vec<String>,
}

/// Every case under `root`, sorted by family and name.
pub fn load_all(root: &Path) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    let mut families: Vec<PathBuf> = read_dir(root)?;
    families.sort();
    for family in families.iter().filter(|p| p.is_dir()) {
        let mut dirs = read_dir(family)?;
        dirs.sort();
        for dir in dirs.iter().filter(|p| p.is_dir()) {
            cases.push(load(dir).map_err(|e| format!("{}: {e}", dir.display()))?);
        }
    }
    Ok(cases)
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())
}

fn load(dir: &Path) -> Result<Case, String> {
    let text = fs::read_to_string(dir.join("case.toml")).map_err(|e| e.to_string())?;
    let doc: toml_edit::DocumentMut = text.parse().map_err(|e| format!("case.toml: {e}"))?;
    let strings = |key: &str| -> Result<Vec<String>, String> {
        match doc.get(key) {
            None => Ok(Vec::new()),
            Some(item) => item
                .as_array()
                .ok_or(format!("`{key}` is not an array"))?
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or(format!("`{key}` holds a non-string"))
                })
                .collect(),
        }
    };
    let mut setup = Vec::new();
    if let Some(item) = doc.get("setup") {
        for step in item.as_array().ok_or("`setup` is not an array")? {
            let step = step.as_array().ok_or("a setup step is not an array")?;
            setup.push(
                step.iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .ok_or("a non-string in setup")
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
    }
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let known = [
        "about", "args", "setup", "exit", "stdout", "stderr", "absent",
    ];
    if let Some((key, _)) = doc.iter().find(|(k, _)| !known.contains(k)) {
        return Err(format!("unknown key `{key}` in case.toml"));
    }
    Ok(Case {
        family: name(dir.parent().unwrap()),
        name: name(dir),
        dir: dir.to_path_buf(),
        about: doc
            .get("about")
            .and_then(|v| v.as_str())
            .ok_or("no `about`")?
            .to_string(),
        args: strings("args")?,
        setup,
        exit: doc
            .get("exit")
            .and_then(|v| v.as_integer())
            .ok_or("no `exit`")?,
        stdout: strings("stdout")?,
        stderr: strings("stderr")?,
        absent: strings("absent")?,
    })
}

/// Git with a fixed identity and no user or system configuration.
fn git(dir: &Path, email: &str, args: &[String]) -> Result<(), String> {
    let name = email.split('@').next().unwrap_or(email);
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_AUTHOR_DATE", "1780000000 +0000")
        .env("GIT_COMMITTER_DATE", "1780000000 +0000")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

fn git_output(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn step(dir: &Path, step: &[String]) -> Result<(), String> {
    let arg = |i: usize| -> Result<&str, String> {
        step.get(i)
            .map(String::as_str)
            .ok_or(format!("setup step {step:?} lacks argument {i}"))
    };
    let write = |rel: &str, bytes: &[u8]| -> Result<(), String> {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        fs::write(&p, bytes).map_err(|e| format!("write {rel}: {e}"))
    };
    match arg(0)? {
        "git" => git(dir, "author@example.org", &step[1..]),
        "git-as" => git(dir, arg(1)?, &step[2..]),
        "write" => write(arg(1)?, arg(2)?.as_bytes()),
        "write-hex" => {
            let hex: Vec<u8> = arg(2)?
                .bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            let bytes = hex
                .chunks(2)
                .map(|pair| {
                    std::str::from_utf8(pair)
                        .ok()
                        .and_then(|p| u8::from_str_radix(p, 16).ok())
                        .ok_or(format!(
                            "write-hex: `{}` is not a hex byte",
                            String::from_utf8_lossy(pair)
                        ))
                })
                .collect::<Result<Vec<u8>, String>>()?;
            write(arg(1)?, &bytes)
        }
        "mkfifo" => {
            let path = dir.join(arg(1)?);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            let status = Command::new("mkfifo")
                .arg(&path)
                .status()
                .map_err(|e| format!("mkfifo: {e}"))?;
            status
                .success()
                .then_some(())
                .ok_or("mkfifo failed".to_string())
        }
        "repeat" => {
            let n: usize = arg(3)?.parse().map_err(|_| "repeat count")?;
            write(arg(1)?, arg(2)?.repeat(n).as_bytes())
        }
        "chmod" => {
            let mode = u32::from_str_radix(arg(1)?, 8).map_err(|_| "chmod mode")?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(dir.join(arg(2)?), fs::Permissions::from_mode(mode))
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        "symlink" => {
            let link = dir.join(arg(2)?);
            if let Some(parent) = link.parent() {
                fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            #[cfg(unix)]
            std::os::unix::fs::symlink(arg(1)?, &link).map_err(|e| e.to_string())?;
            Ok(())
        }
        "corrupt-blob" => {
            let blob = git_output(dir, &["rev-parse", &format!("HEAD:{}", arg(1)?)])?;
            if blob.len() != 40 {
                return Err(format!("no blob at HEAD:{}", arg(1)?));
            }
            let object = dir.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&object, fs::Permissions::from_mode(0o644))
                    .map_err(|e| e.to_string())?;
            }
            // Cut the zlib stream off after a third and append junk: the
            // shape that made libgit2 spin.
            let mut bytes = fs::read(&object).map_err(|e| e.to_string())?;
            bytes.truncate(bytes.len() / 3);
            bytes.extend_from_slice(b"\x00garbage");
            fs::write(&object, bytes).map_err(|e| e.to_string())
        }
        "shallow" => {
            let parent = git_output(dir, &["rev-parse", "HEAD~1"])
                .ok()
                .filter(|p| p.len() == 40);
            let id = match parent {
                Some(p) => p,
                None => git_output(dir, &["rev-parse", "HEAD"])?,
            };
            fs::write(dir.join(".git/shallow"), format!("{id}\n")).map_err(|e| e.to_string())
        }
        other => Err(format!("unknown setup step `{other}`")),
    }
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| e.to_string())?;
    let Ok(entries) = fs::read_dir(from) else {
        return Ok(()); // a case without a tree starts empty
    };
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let kind = entry.file_type().map_err(|e| e.to_string())?;
        let dest = to.join(entry.file_name());
        if kind.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &dest)
                .map_err(|e| e.to_string())?;
        } else if kind.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), &dest).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Temporary files privet may have left (outside `.git`).
fn stray_files(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == ".git" {
            continue;
        }
        let kind = entry.file_type();
        if kind.as_ref().is_ok_and(|k| k.is_dir()) {
            stray_files(&entry.path(), out);
        } else if name.ends_with(".tmp") {
            out.push(entry.path().display().to_string());
        }
    }
}

/// Runs `case` with `binary` in a scratch copy of its tree.
pub fn run(case: &Case, binary: &Path, timeout: Duration) -> Result<Outcome, String> {
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = scratch.path();
    copy_tree(&case.dir.join("tree"), dir)?;
    for s in &case.setup {
        step(dir, s)?;
    }
    let before = {
        let mut v = Vec::new();
        stray_files(dir, &mut v);
        v
    };
    let start = Instant::now();
    let mut child = Command::new(binary)
        .args(&case.args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("USER", "tester")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    // Read the pipes on threads so that a large output cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut v);
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut v);
        v
    });
    let mut timed_out = false;
    let code = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status.code();
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            timed_out = true;
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_thread.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_thread.join().unwrap()).into_owned();
    let mut stray = Vec::new();
    stray_files(dir, &mut stray);
    stray.retain(|s| !before.contains(s));
    Ok(Outcome {
        code,
        stdout,
        stderr,
        elapsed,
        timed_out,
        stray,
    })
}

/// What is wrong with `outcome` for `case`; empty when it holds.
pub fn problems(case: &Case, o: &Outcome) -> Vec<String> {
    let mut out = Vec::new();
    if o.timed_out {
        out.push(format!(
            "did not finish within the timeout ({:?})",
            o.elapsed
        ));
    }
    if o.stderr.contains("panicked") || o.stdout.contains("panicked") {
        out.push("panicked".into());
    }
    match o.code {
        Some(c) if [0, 1, 2].contains(&c) => {
            if i64::from(c) != case.exit {
                out.push(format!("exit {c}, expected {}", case.exit));
            }
        }
        other => out.push(format!("exit {other:?}: not 0, 1 or 2")),
    }
    for s in &case.stdout {
        if !o.stdout.contains(s.as_str()) {
            out.push(format!("stdout lacks {s:?}"));
        }
    }
    for s in &case.stderr {
        if !o.stderr.contains(s.as_str()) {
            out.push(format!("stderr lacks {s:?}"));
        }
    }
    for s in &case.absent {
        if o.stdout.contains(s.as_str()) || o.stderr.contains(s.as_str()) {
            out.push(format!("output holds {s:?}"));
        }
    }
    for (name, text) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        if let Some(c) = text
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t')
        {
            out.push(format!("{name} holds the raw control character {c:?}"));
        }
    }
    if !o.stray.is_empty() {
        out.push(format!("left temporary files: {:?}", o.stray));
    }
    if !out.is_empty() {
        let cut = |s: &str| s.chars().take(1500).collect::<String>();
        out.push(format!(
            "--- stdout:\n{}\n--- stderr:\n{}",
            cut(&o.stdout),
            cut(&o.stderr)
        ));
    }
    out
}
