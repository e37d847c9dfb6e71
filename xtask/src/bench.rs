//! `cargo xtask bench`: generates large registries and times each stage.
//! Numbers, not assertions: timing never fails a build.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use privet::check::Options;
use privet::date::Date;

pub fn run(sizes: &[usize]) -> i32 {
    println!("privet bench: load, check and generate on synthetic registries (best of 3 runs)");
    println!(
        "{:>10} {:>12} {:>12} {:>12} {:>14} {:>10} {:>12}",
        "proposals", "load", "check", "generate", "load+check/s", "findings", "generated"
    );
    for &n in sizes {
        let dir = scratch_dir(n);
        if let Err(e) = write_registry(&dir, n) {
            eprintln!(
                "error: cannot write the synthetic registry in {}: {e}",
                dir.display()
            );
            return 2;
        }
        let mut best: Option<(Duration, Duration, Duration, usize, usize)> = None;
        for _ in 0..3 {
            let t0 = Instant::now();
            let mut registry = match privet::load::load(&dir) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            };
            let loaded = t0.elapsed();
            let t1 = Instant::now();
            privet::check::run(
                &mut registry,
                &Options {
                    today: Date::new(2026, 11, 23).expect("valid date"),
                    history: privet::check::HistoryMode::Skip,
                },
            );
            let checked = t1.elapsed();
            let t2 = Instant::now();
            let outputs = privet::generate::outputs(&registry);
            let generated = t2.elapsed();
            let bytes: usize = outputs.files.iter().map(|o| o.contents.len()).sum();
            let findings = registry.diagnostics.len();
            if best.is_none_or(|(l, c, g, _, _)| loaded + checked + generated < l + c + g) {
                best = Some((loaded, checked, generated, findings, bytes));
            }
        }
        let (loaded, checked, generated, findings, bytes) = best.expect("three runs");
        let rate = n as f64 / (loaded + checked).as_secs_f64();
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
        println!(
            "{n:>10} {:>12} {:>12} {:>12} {rate:>14.0} {findings:>10} {:>12}",
            ms(loaded),
            ms(checked),
            ms(generated),
            format!("{:.1} MB", bytes as f64 / 1e6)
        );
        let _ = fs::remove_dir_all(&dir);
    }
    0
}

fn scratch_dir(n: usize) -> PathBuf {
    std::env::temp_dir().join(format!("privet-bench-{}-{n}", std::process::id()))
}

/// A registry of `n` proposals shaped like the bundled ones: full checklist,
/// six fields of mixed types, an example.
fn write_registry(dir: &Path, n: usize) -> std::io::Result<()> {
    let proposals = dir.join("proposals");
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(&proposals)?;
    fs::write(
        dir.join("privet.toml"),
        "events = [\"install\", \"upgrade\", \"heartbeat\"]\n[review]\nreviewers = [\"alice\", \"bob\"]\n",
    )?;
    for i in 0..n {
        // Spread files over subdirectories as a large project would.
        let sub = proposals.join(format!("team_{:03}", i % 100));
        fs::create_dir_all(&sub)?;
        fs::write(sub.join(format!("metric_{i:05}.toml")), proposal(i))?;
    }
    Ok(())
}

fn proposal(i: usize) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"# synthetic proposal {i}
summary = "Synthetic metric number {i} measuring a bucketed deployment property"
owners = ["team-{team}"]
events = ["heartbeat", "upgrade"]
expires = 2030-01-01
status = "approved"
question = "How many deployments of size class {i} keep running after an upgrade?"
gathering = "Read from the local database once per heartbeat by the telemetry task."
burden = "One indexed count query per day; negligible next to normal traffic."
pii = "No: every value is a coarse bucket or an allow-listed name shared by many installs."
sanitization = "Counts are bucketed on 1-2-5 steps, versions cut to minor, unknown names counted only."
since = "3.{minor}"
alternatives = "Asking users in a survey, which reaches only the few who answer surveys."
summarization = "Share of installations per bucket, counting installs that reported on two or more days."
visualization = "A stacked bar chart per month on the public statistics page."

[approval]
by = ["alice"]
date = 2026-11-02

[fields.workers]
type = "count"
summary = "Online workers"
buckets = [0, 1, 2, 5, 10, 20, 50]

[fields.content_apps]
type = "count"
preset = "pow2"
max = 256

[fields.version]
type = "version"
resolution = "minor"

[fields.backend]
type = "enum"
values = ["postgresql", "mysql", "sqlite"]

[fields.plugins]
type = "set"
values = ["rpm", "file", "container", "ansible", "python", "deb", "maven", "ostree"]

[fields.uptime]
type = "duration"
unit = "day"
buckets = [0, 1, 7, 30, 90, 365]

[example]
workers = "2-4"
content_apps = "4-7"
version = "3.{minor}"
backend = "postgresql"
plugins = ["rpm", "file"]
uptime = "30-89"
"#,
        team = i % 100,
        minor = i % 60
    );
    s
}
