//! Helpers shared by the integration tests that drive the `privet` binary.

use std::path::Path;
use std::process::Command;

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `privet ARGS` in `dir` (with `USER=dana`, the owner `privet new` writes).
pub fn privet(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(args)
        .current_dir(dir)
        .env("USER", "dana")
        .output()
        .expect("privet runs");
    Run {
        code: out
            .status
            .code()
            .expect("privet exits, never killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}
