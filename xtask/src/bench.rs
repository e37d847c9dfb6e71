//! `cargo xtask bench`: generates large registries and times each stage.
//! Numbers, not assertions: timing never fails a build.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use privet::date::Date;

#[path = "../../tests/common/hostile.rs"]
mod hostile;
use privet::pipeline::Options;

/// The machine the numbers come from: CPU model, cores this process may
/// use, memory, operating system.
pub fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            let kib: f64 = t
                .lines()
                .find(|l| l.starts_with("MemTotal:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some(format!(", {:.0} GiB memory", kib / (1 << 20) as f64))
        })
        .unwrap_or_default();
    format!(
        "{cpu}, {cores} cores available{memory}, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// Lines for the summary printed at the end: each measurement next to
/// what it is compared with, as a ratio, and the goal it answers to.
static SUMMARY: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn summarize(line: String) {
    if let Ok(mut s) = SUMMARY.lock() {
        s.push(line);
    }
}

/// Prints the summary (nothing when no comparison ran).
pub fn print_summary() {
    let Ok(lines) = SUMMARY.lock() else { return };
    if lines.is_empty() {
        return;
    }
    println!(
        "\nsummary (each next to its comparison in this run; goals from the performance issue):"
    );
    for l in lines.iter() {
        println!("  {l}");
    }
    println!("  machine: {}", machine());
}

pub fn run(sizes: &[usize]) -> i32 {
    println!("machine: {}\n", machine());
    println!(
        "privet bench: load, check and generate (JSON Schemas and the client crate's sources) on synthetic registries (best of 3 runs)"
    );
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
            let registry = match privet::load::load(&dir) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            };
            let loaded = t0.elapsed();
            let t1 = Instant::now();
            let check_findings = privet::check::run(
                &registry,
                &privet::resolve::Provenance::Skipped,
                &privet::check::Options {
                    today: Date::new(2026, 11, 23).expect("valid date"),
                    samples: privet::check::Samples::Off,
                },
            );
            let checked = t1.elapsed();
            let t2 = Instant::now();
            let outputs = privet::generate::outputs(&registry, privet::catalog::ALL);
            let generated = t2.elapsed();
            let bytes: usize = outputs.files.iter().map(|o| o.contents.len()).sum();
            let findings = registry.findings.len() + check_findings.len();
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
        // The whole audit check as CI runs it: every rule plus sample
        // payloads (256 each) of the metrics whose values no rule decides
        // exactly, scanned (history is timed separately below).
        let t = Instant::now();
        let audited = privet::pipeline::check(
            &dir,
            &Options {
                today: Date::new(2026, 11, 23).expect("valid date"),
                history: privet::resolve::HistoryMode::Skip,
                samples: privet::check::Samples::Model,
                base: None,
            },
        );
        let elapsed = t.elapsed();
        let (findings, sampled) = audited.map_or((usize::MAX, 0), |c| {
            let sampled = c
                .registry
                .proposals
                .iter()
                .filter(|p| privet::check::samples::needs_sampling(p))
                .count();
            (c.findings.len(), sampled)
        });
        println!(
            "{:>10} full audit check (load, rules, 256 sample payloads for each of the {sampled} metrics whose values no rule decides exactly): {:.1} ms, {findings} findings",
            "",
            elapsed.as_secs_f64() * 1e3
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
    // alice and bob review with throw-away keys; alice signs every approval.
    let alice = reviewer_key(1);
    let bob = reviewer_key(2);
    let line = |k: &ssh_key::PrivateKey| k.public_key().to_openssh().unwrap_or_default();
    fs::write(
        dir.join("privet.toml"),
        // Thousands of metrics in one payload exceed any real budget; the
        // benchmark measures speed, so the budget is lifted.
        format!(
            "events = [\"install\", \"upgrade\", \"heartbeat\"]\n[thresholds]\nmax_bits_per_event = 100000000\n[generate]\ncrate = \"metrics\"\npython = \"clients/python\"\n\n\
             [review.reviewers.alice]\nkeys = [\"{}\"]\nemails = [\"alice@example.org\"]\n\n\
             [review.reviewers.bob]\nkeys = [\"{}\"]\nemails = [\"bob@example.org\"]\n",
            line(&alice),
            line(&bob)
        ),
    )?;
    let signer = privet::signature::Signer::Private(Box::new(alice));
    for i in 0..n {
        // Spread files over subdirectories as a large project would.
        let sub = proposals.join(format!("team_{:03}", i % 100));
        fs::create_dir_all(&sub)?;
        let name = format!("metric_{i:05}");
        let text = proposal(i);
        let registry =
            privet::load::from_texts(None, &[(&format!("proposals/{name}.toml"), &text)]);
        let fingerprint = privet::fingerprint::fingerprint(&registry.proposals[0]);
        let signature = signer
            .sign(&name, &fingerprint, "2026-11-02")
            .and_then(|s| privet::signature::to_record(&s))
            .map_err(std::io::Error::other)?;
        // The signature's base64 body on one line, inside [approval].
        let body: String = signature
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let text = text.replace(
            "date = 2026-11-02\n",
            &format!(
                "date = 2026-11-02\nfingerprint = \"{fingerprint}\"\nsignatures = {{ alice = \"{body}\" }}\n"
            ),
        );
        fs::write(sub.join(format!("{name}.toml")), text)?;
    }
    Ok(())
}

/// A reviewer's throw-away Ed25519 key, made from `seed`.
fn reviewer_key(seed: u8) -> ssh_key::PrivateKey {
    let pair = ssh_key::private::Ed25519Keypair::from_seed(&[seed; 32]);
    ssh_key::PrivateKey::new(ssh_key::private::KeypairData::Ed25519(pair), "bench")
        .expect("an Ed25519 key")
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

[budget]
field_bits = 10
metric_bits = 32
reason = "Eight public plugin names and the minor version answer the support question; the server only counts installations per value."

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
largest_parts = [9, 99]

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

/// Builds a repository of `commits` commits touching `proposals` proposals
/// (with `git fast-import`) and times the history pass: cold (no cache),
/// warm (cache hit), and after one more commit (incremental), next to one
/// `git log --first-parent --name-status -- proposals/`.
/// `PRIVET_BENCH_KEEP=DIR` builds the repository in DIR and keeps it, for
/// profiling a run by hand.
pub fn history(commits: usize, proposals: usize) -> i32 {
    let keep = std::env::var_os("PRIVET_BENCH_KEEP").map(PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("privet-bench-history-{}", std::process::id()))
    });
    if keep.is_none() {
        let _ = fs::remove_dir_all(&dir);
    }
    if let Err(e) = fs::create_dir_all(&dir) {
        eprintln!("error: {e}");
        return 2;
    }
    println!(
        "\nprivet bench: history of a repository with {commits} commits touching {proposals} proposals"
    );
    let t = Instant::now();
    if keep.is_some() && dir.join(".git").exists() {
        println!("  repository kept from an earlier run in {}", dir.display());
        let _ = fs::remove_dir_all(dir.join(".git/privet"));
    } else if let Err(e) = build_repo(&dir, commits, proposals) {
        eprintln!("error: cannot build the benchmark repository: {e}");
        let _ = fs::remove_dir_all(&dir);
        return 2;
    } else {
        println!(
            "  repository built with git fast-import in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let proposals_dir = dir.join("proposals");

    let t = Instant::now();
    let cold = match privet::resolve::history(&proposals_dir, true) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {}", e.describe());
            return 2;
        }
    };
    let cold_time = t.elapsed();
    // Warm: the first run after the cold one, then the best of three more
    // (the first pays for a heap the cold walk fragmented; a fresh process
    // pays for growing its heap).
    let mut warm_times = Vec::new();
    let mut warm = None;
    for _ in 0..4 {
        drop(warm.take());
        let t = Instant::now();
        warm = Some(privet::resolve::history(&proposals_dir, true).expect("history"));
        warm_times.push(t.elapsed());
    }
    let warm = warm.expect("four runs");
    let fresh = warm_in_fresh_process(&proposals_dir, 5);
    let warm_time = warm_times[0];
    let warm_best = warm_times[1..].iter().min().copied().unwrap_or(warm_time);

    let t = Instant::now();
    let log = std::process::Command::new("git")
        .args(["log", "--first-parent", "--name-status", "--", "proposals/"])
        .current_dir(&dir)
        .output();
    let git_time = t.elapsed();
    let log_lines = log
        .map(|o| o.stdout.iter().filter(|&&b| b == b'\n').count())
        .unwrap_or(0);

    // One more commit: the cache is extended by walking just it.
    let extra = format!(
        "summary = \"one more, {:?}\"\n",
        std::time::SystemTime::now()
    );
    let _ = fs::write(proposals_dir.join("team_000/extra_metric.toml"), extra);
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_AUTHOR_NAME", "bench")
            .env("GIT_AUTHOR_EMAIL", "bench@example.org")
            .env("GIT_COMMITTER_NAME", "bench")
            .env("GIT_COMMITTER_EMAIL", "bench@example.org")
            .output()
    };
    let _ = git(&["add", "-A", "proposals"]);
    let _ = git(&["commit", "-q", "-m", "one more"]);
    let t = Instant::now();
    let more = privet::resolve::history(&proposals_dir, true).expect("history");
    let more_time = t.elapsed();

    let events: usize = cold.metrics.values().map(Vec::len).sum();
    println!(
        "  cold (no cache):        {:>8.1} ms  ({} commits walked, {} with proposal changes, {} metrics, {} events)",
        cold_time.as_secs_f64() * 1e3,
        cold.walked,
        cold.commits.len(),
        cold.metrics.len(),
        events
    );
    println!(
        "  warm (cache hit):       {:>8.1} ms  ({} commits walked; best of 3 more: {:.1} ms)",
        warm_time.as_secs_f64() * 1e3,
        warm.walked,
        warm_best.as_secs_f64() * 1e3
    );
    match fresh {
        Some(ms) => println!(
            "  warm, fresh process:    {ms:>8.1} ms  (what `privet check` pays: best of 5 processes)"
        ),
        None => println!("  warm, fresh process:    (the probe did not run)"),
    }
    println!(
        "  one new commit:         {:>8.1} ms  ({} commit walked)",
        more_time.as_secs_f64() * 1e3,
        more.walked
    );
    println!(
        "  git log --first-parent --name-status -- proposals/: {:>8.1} ms  ({log_lines} lines)",
        git_time.as_secs_f64() * 1e3
    );
    summarize(format!(
        "history, {commits} commits: cold {:.0} ms = {:.2}x one git log ({:.0} ms) (goal: 1.5x); warm in a fresh process {} (goal: under 50 ms); one new commit {:.0} ms = {:.2}x a warm run in the same process ({:.0} ms)",
        cold_time.as_secs_f64() * 1e3,
        cold_time.as_secs_f64() / git_time.as_secs_f64(),
        git_time.as_secs_f64() * 1e3,
        fresh.map_or("n/a".into(), |ms| format!("{ms:.1} ms")),
        more_time.as_secs_f64() * 1e3,
        more_time.as_secs_f64() / warm_best.as_secs_f64(),
        warm_best.as_secs_f64() * 1e3,
    ));
    if keep.is_none() {
        let _ = fs::remove_dir_all(&dir);
    }
    0
}

/// `cargo xtask bench-history-probe DIR`: one history pass, timed from
/// inside a fresh process (what `privet check` pays with a warm cache),
/// printed as `ms walked`.
pub fn history_probe(dir: &Path) -> i32 {
    let t = Instant::now();
    match privet::resolve::history(dir, true) {
        Ok(h) => {
            println!("{:.3} {}", t.elapsed().as_secs_f64() * 1e3, h.walked);
            0
        }
        Err(e) => {
            eprintln!("error: {}", e.describe());
            2
        }
    }
}

/// The best of `runs` warm passes, each in a fresh process.
fn warm_in_fresh_process(dir: &Path, runs: usize) -> Option<f64> {
    let exe = std::env::current_exe().ok()?;
    (0..runs)
        .filter_map(|_| {
            let out = std::process::Command::new(&exe)
                .arg("bench-history-probe")
                .arg(dir)
                .output()
                .ok()?;
            let text = String::from_utf8(out.stdout).ok()?;
            let mut parts = text.split_whitespace();
            let ms: f64 = parts.next()?.parse().ok()?;
            (parts.next()? == "0").then_some(ms)
        })
        .min_by(f64::total_cmp)
}

/// Writes the benchmark repository with `git fast-import`: the first
/// `proposals` commits add one proposal each (spread over 100 directories);
/// the rest alternate between a prose edit, a definition change (a bucket
/// edge) and a commit that touches only source code.
fn build_repo(dir: &Path, commits: usize, proposals: usize) -> std::io::Result<()> {
    use std::io::Write;
    let status = std::process::Command::new("git")
        .args(["init", "-q", "-b", "main"])
        .current_dir(dir)
        .status()?;
    if !status.success() {
        return Err(std::io::Error::other("git init failed"));
    }
    let mut child = std::process::Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    let mut stdin = std::io::BufWriter::new(child.stdin.take().expect("piped"));
    let mut time: u64 = 1_700_000_000;
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for c in 0..commits {
        time += 60;
        let (path, body, msg) = if c < proposals {
            (
                format!("proposals/team_{:03}/metric_{c:05}.toml", c % 100),
                proposal(c),
                format!("Add metric_{c:05}"),
            )
        } else {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let m = (state % proposals as u64) as usize;
            let path = format!("proposals/team_{:03}/metric_{m:05}.toml", m % 100);
            match c % 3 {
                0 => (
                    path,
                    proposal(m).replace("Synthetic metric", &format!("Synthetic metric (rev {c})")),
                    format!("Reword metric_{m:05}"),
                ),
                1 => (
                    path,
                    proposal(m).replace(
                        "buckets = [0, 1, 2, 5, 10, 20, 50]",
                        &format!("buckets = [0, 1, 2, 5, 10, 20, {}]", 50 + c),
                    ),
                    format!("Rebucket metric_{m:05}"),
                ),
                _ => (
                    format!("src/file_{}.rs", c % 50),
                    format!("// change {c}\n"),
                    format!("Code change {c}"),
                ),
            }
        };
        writeln!(stdin, "commit refs/heads/main")?;
        writeln!(
            stdin,
            "author Dev {} <dev{}@example.org> {time} +0000",
            c % 7,
            c % 7
        )?;
        writeln!(
            stdin,
            "committer Dev {} <dev{}@example.org> {time} +0000",
            c % 7,
            c % 7
        )?;
        writeln!(stdin, "data {}\n{msg}", msg.len())?;
        writeln!(stdin, "M 100644 inline {path}")?;
        writeln!(stdin, "data {}\n{body}", body.len())?;
    }
    writeln!(stdin, "done")?;
    drop(stdin);
    let status = child.wait()?;
    if !status.success() {
        return Err(std::io::Error::other("git fast-import failed"));
    }
    std::process::Command::new("git")
        .args(["checkout", "-q", "main"])
        .current_dir(dir)
        .status()?;
    Ok(())
}

/// Scan throughput: a JSON Lines corpus of `megabytes` MB, built from
/// realistic payloads (the labelled PII corpus, mostly clean lines with
/// look-alikes), scanned on all cores and on one.
/// Scan throughput on two corpora of `megabytes` each: the labelled PII
/// corpus repeated (finding-dense, the worst case: 0.8 findings per
/// payload, many look-alikes), and clean heartbeat payloads shaped like what
/// the bundled registry's generated types send (the common case).
pub fn scan(megabytes: usize, root: &Path) -> i32 {
    let dense = include_str!("../../tests/fixtures/pii/corpus.jsonl");
    let dense: Vec<String> = dense.lines().map(str::to_string).collect();
    // Distinct payloads, as many as the size asks for (a few hundred
    // repeated would flatter anything that remembers what it has seen).
    let typical = match typical_payloads(root, megabytes * 1_000_000) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    for (name, lines) in [
        ("finding-dense (labelled corpus, repeated)", &dense),
        (
            "typical (bundled registry's heartbeat payloads, all distinct)",
            &typical,
        ),
    ] {
        scan_corpus(name, lines, megabytes);
    }
    let code = scan_streaming(root, &typical, megabytes * 5);
    if code != 0 {
        return code;
    }
    scan_mixed(root)
}

/// `privet scan` on mixed traffic as a collector receives it: the labelled
/// corpus `tests/fixtures/pii-28/A` (twelve systems interleaved, 20,000
/// payloads, written by its generator with python3), next to Python's
/// `json.loads` over the same lines, and the first half of the file next to
/// the whole (time linear in the input means the second half costs what the
/// first did).
fn scan_mixed(root: &Path) -> i32 {
    let python = std::env::var("PRIVET_PYTHON").unwrap_or_else(|_| "python3".into());
    let dir = std::env::temp_dir().join(format!("privet-bench-mixed-{}", std::process::id()));
    let generated = std::process::Command::new(&python)
        .arg(root.join("tests/fixtures/pii-28/A/gen.py"))
        .arg(&dir)
        .arg("20000")
        .output()
        .is_ok_and(|o| o.status.success());
    println!(
        "\nprivet scan on mixed traffic (tests/fixtures/pii-28/A: 12 systems interleaved, 20,000 payloads)"
    );
    if !generated {
        println!("  (not run: {python} could not run the corpus generator)");
        return 0;
    }
    let file = dir.join("payloads.jsonl");
    let half = dir.join("first-half.jsonl");
    let text = fs::read_to_string(&file).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let _ = fs::write(&half, lines[..lines.len() / 2].join("\n") + "\n");
    let privet = root.join("target/release/privet");
    let best = |path: &Path| -> Option<f64> {
        (0..3)
            .filter_map(|_| {
                let t = Instant::now();
                let ok = std::process::Command::new(&privet)
                    .args(["scan", "--format", "json"])
                    .arg(path)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .is_ok_and(|s| matches!(s.code(), Some(0 | 1)));
                ok.then(|| t.elapsed().as_secs_f64())
            })
            .reduce(f64::min)
    };
    let loads = (0..3)
        .filter_map(|_| {
            let out = std::process::Command::new(&python)
                .args([
                    "-c",
                    "import json,sys,time\nlines=open(sys.argv[1],encoding='utf-8').read().splitlines()\nt=time.perf_counter()\nfor l in lines: json.loads(l)\nprint(time.perf_counter()-t)",
                ])
                .arg(&file)
                .output()
                .ok()?;
            String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().ok()
        })
        .reduce(f64::min);
    let (Some(whole), Some(first), Some(loads)) = (best(&file), best(&half), loads) else {
        println!("  (not run: privet scan or python failed)");
        let _ = fs::remove_dir_all(&dir);
        return 0;
    };
    let mb = text.len() as f64 / 1e6;
    println!(
        "  whole file {mb:.1} MB: {:.2} s ({:.0} MB/s); first half {:.2} s, second half {:.2} s ({:.2}x the first); json.loads of the same lines {:.2} s: privet is {:.2}x json.loads",
        whole,
        mb / whole,
        first,
        whole - first,
        (whole - first) / first.max(1e-9),
        loads,
        loads / whole.max(1e-9)
    );
    summarize(format!(
        "scan on mixed traffic (12 systems, 20,000 payloads, {mb:.0} MB): {:.2}x Python's json.loads (goal: 2x); second half {:.2}x the first (goal: 1x)",
        loads / whole.max(1e-9),
        (whole - first) / first.max(1e-9)
    ));
    let _ = fs::remove_dir_all(&dir);
    0
}

/// `privet scan` of a JSON Lines file of `megabytes`, the release binary in
/// its own process: its time and peak memory, which streaming keeps to a
/// block of lines whatever the file's size.
fn scan_streaming(root: &Path, lines: &[String], megabytes: usize) -> i32 {
    if !build_release_binary(root) {
        return 2;
    }
    // `PRIVET_BENCH_SCAN_KEEP=FILE` writes the file there and keeps it,
    // for profiling a scan by hand.
    let keep = std::env::var_os("PRIVET_BENCH_SCAN_KEEP").map(PathBuf::from);
    let file = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("privet-bench-scan-{}.jsonl", std::process::id()))
    });
    let written = (|| -> std::io::Result<usize> {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(fs::File::create(&file)?);
        let mut n = 0;
        let mut i = 0;
        while n < megabytes * 1_000_000 {
            let line = &lines[i % lines.len()];
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
            n += line.len() + 1;
            i += 1;
        }
        w.flush()?;
        Ok(n)
    })();
    let Ok(size) = written else {
        eprintln!("error: cannot write {}", file.display());
        return 2;
    };
    let t = Instant::now();
    let peak = peak_rss_of(&root.join("target/release/privet"), &file);
    let elapsed = t.elapsed();
    if keep.is_none() {
        let _ = fs::remove_file(&file);
    }
    println!(
        "\nprivet bench: `privet scan` of a {:.0} MB JSON Lines file (typical payloads), release binary: {:.1} s, {:.0} MB/s, peak RSS {} (read a block of lines at a time)",
        size as f64 / 1e6,
        elapsed.as_secs_f64(),
        size as f64 / 1e6 / elapsed.as_secs_f64(),
        peak
    );
    summarize(format!(
        "privet scan of a {:.0} MB file: peak RSS {peak} (goal: bounded by a line, not by the file)",
        size as f64 / 1e6
    ));
    0
}

/// `privet scan --format json FILE`, run under GNU time (`/usr/bin/time
/// -f %M`) for its own peak resident memory: a child forked straight from
/// this process would count this process's memory at the fork.
fn peak_rss_of(privet: &Path, file: &Path) -> String {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        let _ = std::process::Command::new(privet)
            .args(["scan", "--format", "json"])
            .arg(file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        return "n/a (no /usr/bin/time)".into();
    }
    let out = std::process::Command::new(time)
        .args(["-f", "%M"])
        .arg(privet)
        .args(["scan", "--format", "json"])
        .arg(file)
        .stdout(std::process::Stdio::null())
        .output();
    out.ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stderr).into_owned();
            let kib: f64 = text.lines().last()?.trim().parse().ok()?;
            Some(format!("{:.0} MiB", kib / 1024.0))
        })
        .unwrap_or_else(|| "n/a".into())
}

/// Heartbeat payloads of `bytes` in all: the envelope and every bundled
/// metric, with values drawn from each proposal's declared domain (the
/// model sampler).
fn typical_payloads(root: &Path, bytes: usize) -> Result<Vec<String>, String> {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let registry = privet::load::load(root).map_err(|e| e.to_string())?;
    let metrics: Vec<(String, proptest::strategy::BoxedStrategy<String>)> = registry
        .proposals
        .iter()
        .filter_map(|p| privet::check::samples::model_strategy(p).map(|s| (p.name.clone(), s)))
        .collect();
    let mut runner = TestRunner::new_with_rng(
        Default::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let mut out = Vec::new();
    let mut size = 0;
    while size < bytes {
        let i = out.len();
        let mut line = format!(
            r#"{{"installation_id":"{:08x}-1d7a-4e8b-9c6f-{:012x}","event":"heartbeat","schema_version":1,"sent":"2026-11-23","metrics":{{"#,
            i * 7919,
            i * 104_729
        );
        for (k, (name, strategy)) in metrics.iter().enumerate() {
            let value = strategy
                .new_tree(&mut runner)
                .map_err(|e| e.to_string())?
                .current();
            let _ = write!(line, "{}\"{name}\":{value}", if k == 0 { "" } else { "," });
        }
        line.push_str("}}");
        size += line.len() + 1;
        out.push(line);
    }
    Ok(out)
}

fn scan_corpus(name: &str, lines: &[String], megabytes: usize) {
    let target = megabytes * 1_000_000;
    let mut text = String::with_capacity(target + 4096);
    let mut i = 0usize;
    while text.len() < target {
        text.push_str(&lines[i % lines.len()]);
        text.push('\n');
        i += 1;
    }
    println!(
        "\nprivet bench: PII scan of {:.0} MB of JSON Lines, {name} ({i} payloads)",
        text.len() as f64 / 1e6
    );
    // Best of three passes each: this machine is shared and noisy.
    let best = |f: &dyn Fn() -> usize| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                let n = f();
                (t.elapsed(), n)
            })
            .min()
            .expect("three passes")
    };
    let (all, findings) = best(&|| {
        privet::scan::scan(&text, &Default::default(), None)
            .findings
            .len()
    });
    println!(
        "  all cores: {:>8.1} ms  {:>7.1} MB/s  ({findings} findings, best of 3)",
        all.as_secs_f64() * 1e3,
        text.len() as f64 / 1e6 / all.as_secs_f64(),
    );
    // One core: scan line by line on this thread.
    let (one, n) = best(&|| {
        text.lines()
            .map(|line| privet::pii::scan_json(line).map_or(0, |f| f.len()))
            .sum()
    });
    println!(
        "  one core:  {:>8.1} ms  {:>7.1} MB/s  ({n} findings, best of 3)",
        one.as_secs_f64() * 1e3,
        text.len() as f64 / 1e6 / one.as_secs_f64()
    );
    // What reading the JSON alone costs (the floor of a structure-aware scan).
    let (read, scalars) = best(&|| {
        text.lines()
            .map(|line| {
                let mut n = 0usize;
                let _ = privet::pii::json::walk(line, true, &mut |_| n += 1);
                n
            })
            .sum()
    });
    println!(
        "  JSON reading alone, one core: {:>8.1} ms  {:>7.1} MB/s  ({scalars} scalars, best of 3)",
        read.as_secs_f64() * 1e3,
        text.len() as f64 / 1e6 / read.as_secs_f64()
    );
    // The comparison: a plain regex scanner over the same lines, one core.
    let baseline = RegexScanner::new();
    let (plain, m) = best(&|| text.lines().map(|line| baseline.matches(line)).sum());
    summarize(format!(
        "scan, {name}: {:.2}x a plain regex set on one core, {:.2}x on {} cores (goal: at least 1.5x on one core)",
        plain.as_secs_f64() / one.as_secs_f64(),
        plain.as_secs_f64() / all.as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));
    println!(
        "  plain regex set, one core: {:>8.1} ms  {:>7.1} MB/s  ({m} matches, best of 3): privet is {:.2}x its speed on one core, {:.2}x on all",
        plain.as_secs_f64() * 1e3,
        text.len() as f64 / 1e6 / plain.as_secs_f64(),
        plain.as_secs_f64() / one.as_secs_f64(),
        plain.as_secs_f64() / all.as_secs_f64()
    );
}

/// What a scanner without structure does: one regular expression per kind
/// of personal data privet reports, a `RegexSet` to find which ones occur in
/// a line, then each of those run again for its positions (a finding needs
/// a place). No JSON parsing, no validation, no context.
struct RegexScanner {
    set: regex::RegexSet,
    each: Vec<regex::Regex>,
}

impl RegexScanner {
    const PATTERNS: &'static [&'static str] = &[
        // email
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
        // ipv4
        r"\b(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\b",
        // ipv6
        r"\b(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{1,4}\b",
        // mac
        r"\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b",
        // hostname
        r"\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b",
        // credentials in a URL
        r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@",
        // home path
        r"(?:/home/|/Users/|C:\\\\Users\\\\)[^/\\\s\x22]+",
        // phone
        r"\+?[0-9][0-9 ().-]{7,}[0-9]",
        // card number
        r"\b(?:[0-9][ -]?){13,19}\b",
        // iban
        r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b",
        // secret: tokens and long hex or base64 runs
        r"\b(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|xox[abpr]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|[0-9a-f]{32,}|[A-Za-z0-9+/]{40,}={0,2})\b",
        // geo coordinate
        r"-?[0-9]{1,3}\.[0-9]{4,}\s*,\s*-?[0-9]{1,3}\.[0-9]{4,}",
        // timestamp
        r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?",
        // persistent id (UUID)
        r"\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b",
    ];

    fn new() -> RegexScanner {
        RegexScanner {
            set: regex::RegexSet::new(Self::PATTERNS).expect("the baseline patterns compile"),
            each: Self::PATTERNS
                .iter()
                .map(|p| regex::Regex::new(p).expect("the baseline patterns compile"))
                .collect(),
        }
    }

    /// Matches in `line`, with their positions found.
    fn matches(&self, line: &str) -> usize {
        self.set
            .matches(line)
            .iter()
            .map(|i| self.each[i].find_iter(line).count())
            .sum()
    }
}

/// The generated client crate built with cargo, at each of `sizes`: the
/// time a user waits after `privet generate` before the crate is usable,
/// next to the generate step itself, and the build's peak memory. Dependencies
/// are built first (a warm target directory), so the figure is the crate's.
pub fn crate_build(sizes: &[usize], root: &Path) -> i32 {
    println!(
        "\ngenerated client crate: privet generate, then `cargo build --offline` of the crate (warm dependencies)"
    );
    println!(
        "{:>10} {:>12} {:>14} {:>16} {:>10}",
        "proposals", "generate", "crate build", "build peak RSS", "ratio"
    );
    let target = std::env::temp_dir().join("privet-bench-crate-target");
    for (i, &n) in [1usize].iter().chain(sizes).enumerate() {
        let dir = scratch_dir(n).with_extension("crate");
        if let Err(e) = write_registry(&dir, n) {
            eprintln!("error: cannot write the synthetic registry: {e}");
            return 2;
        }
        let t = Instant::now();
        let written = privet::load::load(&dir)
            .map_err(|e| e.to_string())
            .and_then(|r| {
                privet::generate::write(&dir, &privet::generate::outputs(&r, privet::catalog::ALL))
                    .map_err(|e| e.to_string())
            });
        let generate = t.elapsed();
        if let Err(e) = written {
            eprintln!("error: {e}");
            return 2;
        }
        let krate = dir.join("metrics");
        if fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).is_err() {
            eprintln!("error: cannot copy Cargo.lock");
            return 2;
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let t = Instant::now();
        let status = std::process::Command::new(cargo)
            .args(["build", "--offline", "--quiet", "--lib"])
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", &target)
            .status();
        let build = t.elapsed();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("error: the generated crate of {n} proposals does not build");
            return 1;
        }
        let _ = fs::remove_dir_all(&dir);
        if i == 0 {
            continue; // the warm-up: dependencies
        }
        println!(
            "{n:>10} {:>12} {:>14} {:>16} {:>9.1}x",
            format!("{:.1} s", generate.as_secs_f64()),
            format!("{:.1} s", build.as_secs_f64()),
            peak_children_rss(),
            build.as_secs_f64() / generate.as_secs_f64().max(1e-9)
        );
        summarize(format!(
            "generate + crate build, {n} proposals: {:.1} s + {:.1} s (the build is {:.1}x the generate step)",
            generate.as_secs_f64(),
            build.as_secs_f64(),
            build.as_secs_f64() / generate.as_secs_f64().max(1e-9)
        ));
    }
    0
}

/// `privet generate` as a user waits for it (the release binary, a fresh
/// process, into a clean directory: schemas, the Rust crate's sources and
/// the Python module), next to `glean_parser translate -f rust` on the same
/// metric set (each proposal a Glean category, each field a metric) when
/// glean_parser is installed (`PRIVET_GLEAN_PARSER`, else on PATH).
pub fn generate_wall(sizes: &[usize], root: &Path) -> i32 {
    if !build_release_binary(root) {
        return 2;
    }
    let privet = root.join("target/release/privet");
    let glean = std::env::var("PRIVET_GLEAN_PARSER").unwrap_or_else(|_| "glean_parser".into());
    let has_glean = std::process::Command::new(&glean)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    println!(
        "
privet generate (release binary, fresh process, clean directory: schemas, Rust crate, Python module) next to glean_parser translate -f rust of the same metrics"
    );
    println!(
        "{:>10} {:>8} {:>12} {:>14} {:>10}",
        "proposals", "files", "generate", "glean_parser", "ratio"
    );
    for &n in sizes {
        let dir = scratch_dir(n).with_extension("generate");
        if let Err(e) = write_registry(&dir, n) {
            eprintln!("error: cannot write the registry: {e}");
            return 2;
        }
        let t = Instant::now();
        let out = std::process::Command::new(&privet)
            .arg("generate")
            .arg(&dir)
            .output();
        let generate = t.elapsed();
        let Some(out) = out.ok().filter(|o| o.status.success()) else {
            eprintln!("error: privet generate failed on {}", dir.display());
            return 2;
        };
        let files = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("wrote "))
            .count();
        let glean_time = has_glean
            .then(|| {
                let yaml = dir.join("metrics.yaml");
                fs::write(&yaml, glean_metrics(n)).ok()?;
                let t = Instant::now();
                let ok = std::process::Command::new(&glean)
                    .args(["translate", "-f", "rust", "-o"])
                    .arg(dir.join("glean-out"))
                    .arg(&yaml)
                    .output()
                    .is_ok_and(|o| o.status.success());
                ok.then(|| t.elapsed())
            })
            .flatten();
        let (glean_col, ratio) = match glean_time {
            Some(g) => (
                format!("{:.2} s", g.as_secs_f64()),
                format!("{:.1}x", g.as_secs_f64() / generate.as_secs_f64().max(1e-9)),
            ),
            None => ("n/a".into(), "n/a".into()),
        };
        println!(
            "{n:>10} {files:>8} {:>12} {glean_col:>14} {ratio:>10}",
            format!("{:.2} s", generate.as_secs_f64())
        );
        summarize(format!(
            "privet generate, {n} proposals, clean directory ({files} files): {:.2} s; glean_parser translate -f rust of the same metrics: {glean_col} (privet {ratio} faster; goals: under 2 s at 1,000, 10x at 10,000)",
            generate.as_secs_f64()
        ));
        let _ = fs::remove_dir_all(&dir);
    }
    if !has_glean {
        println!(
            "  (glean_parser not found: `pip install glean_parser`, or set PRIVET_GLEAN_PARSER)"
        );
    }
    0
}

/// The bench registry's metrics as Glean `metrics.yaml`: each proposal a
/// category, each of its six fields a metric of the nearest Glean type.
fn glean_metrics(n: usize) -> String {
    let mut out = String::from("---\n$schema: moz://mozilla.org/schemas/glean/metrics/2-0-0\n");
    let common = "    bugs: [https://example.invalid/1]\n    data_reviews: [https://example.invalid/1]\n    notification_emails: [team@example.org]\n    expires: never\n";
    for i in 0..n {
        let _ = writeln!(out, "\nmetric_{i:05}:");
        for (name, ty, extra) in [
            ("workers", "quantity", "    unit: workers\n"),
            ("content_apps", "quantity", "    unit: apps\n"),
            ("version", "string", ""),
            ("backend", "string", ""),
            ("plugins", "string_list", ""),
            ("uptime", "timespan", "    time_unit: day\n"),
        ] {
            let _ = write!(
                out,
                "  {name}:\n    type: {ty}\n    description: Synthetic metric {i}, field {name}.\n{extra}{common}"
            );
        }
    }
    out
}

/// `privet audit` of a committed registry of each of `sizes` proposals, as
/// a user runs it (the release binary, a fresh process each time): cold
/// (no cache in `.git/privet`), then warm (nothing changed; best of 3),
/// then after one proposal's prose changed. `PRIVET_BENCH_AUDIT_KEEP=DIR`
/// keeps (and reuses) the registry in DIR, for profiling by hand.
pub fn audit(sizes: &[usize], root: &Path) -> i32 {
    if !build_release_binary(root) {
        return 2;
    }
    let privet = root.join("target/release/privet");
    println!(
        "\nprivet audit (release binary, fresh process, history required, samples from the model) of a committed registry with generated files"
    );
    println!(
        "{:>10} {:>12} {:>12} {:>12} {:>14} {:>12}",
        "proposals", "cold", "warm", "warm/cold", "one edit", "edit/cold"
    );
    let keep = std::env::var_os("PRIVET_BENCH_AUDIT_KEEP").map(PathBuf::from);
    for &n in sizes {
        let dir = match &keep {
            Some(k) => k.join(n.to_string()),
            None => scratch_dir(n).with_extension("audit"),
        };
        if !(keep.is_some() && dir.join(".git").exists())
            && let Err(e) = committed_registry(&dir, n, &privet)
        {
            eprintln!("error: cannot build the audited registry: {e}");
            return 2;
        }
        let run = || -> Option<Duration> {
            let t = Instant::now();
            let out = std::process::Command::new(&privet)
                .args(["audit", "--format", "json"])
                .arg(&dir)
                .output()
                .ok()?;
            let elapsed = t.elapsed();
            // 0 clean, 1 findings: both are a completed audit.
            matches!(out.status.code(), Some(0 | 1)).then_some(elapsed)
        };
        let _ = fs::remove_dir_all(dir.join(".git/privet"));
        let Some(cold) = run() else {
            eprintln!("error: privet audit failed on {}", dir.display());
            return 2;
        };
        let Some(warm) = (0..3).filter_map(|_| run()).min() else {
            eprintln!("error: privet audit failed on {}", dir.display());
            return 2;
        };
        // One proposal's prose edited (not committed): that proposal is
        // checked again, the others are not.
        let edited = dir.join("proposals/team_007/metric_00007.toml");
        let original = fs::read_to_string(&edited).unwrap_or_default();
        let _ = fs::write(
            &edited,
            original.replace("Synthetic metric", "Synthetic (edited) metric"),
        );
        let edit = run();
        // bob approves the edited proposal, signing with his key file: the
        // whole `privet approve` a reviewer waits for.
        let key = dir.join(".git/bench-bob-key");
        let approve = reviewer_key(2)
            .write_openssh_file(&key, ssh_key::LineEnding::LF)
            .ok()
            .and_then(|()| {
                let t = Instant::now();
                let out = std::process::Command::new(&privet)
                    .args(["approve", "metric_00007", "--by", "bob", "--key"])
                    .arg(&key)
                    .arg("--dir")
                    .arg(&dir)
                    .output()
                    .ok()?;
                let elapsed = t.elapsed();
                out.status.success().then_some(elapsed)
            });
        let _ = fs::write(&edited, &original);
        let s = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);
        println!(
            "{n:>10} {:>12} {:>12} {:>11.2}x {:>14} {:>11.2}x",
            s(cold),
            s(warm),
            warm.as_secs_f64() / cold.as_secs_f64(),
            edit.map_or("failed".into(), s),
            edit.map_or(f64::NAN, |e| e.as_secs_f64() / cold.as_secs_f64()),
        );
        println!(
            "{n:>10} privet approve (one edited metric, signed with a key file): {}",
            approve.map_or("failed".into(), s)
        );
        summarize(format!(
            "privet audit, {n} signed approvals: warm {} = {:.2}x cold {} (goal: warm well under 1 s; cold under glean_parser's lint, 7.5 s at 10,000 measured earlier); one prose edit {}; privet approve of it {} = {:.2}x the warm audit",
            s(warm),
            warm.as_secs_f64() / cold.as_secs_f64(),
            s(cold),
            edit.map_or("failed".into(), s),
            approve.map_or("failed".into(), s),
            approve.map_or(f64::NAN, |a| a.as_secs_f64() / warm.as_secs_f64()),
        ));
        if keep.is_none() {
            let _ = fs::remove_dir_all(&dir);
        }
    }
    0
}

/// A registry of `n` proposals in a new git repository, as review makes
/// one: carol proposes every metric, alice approves them in the next
/// commit (privet.toml says which email is hers), and the third commit
/// holds what `privet generate` writes. The audit is clean.
fn committed_registry(dir: &Path, n: usize, privet: &Path) -> std::io::Result<()> {
    write_registry(dir, n)?;
    let git = |who: &str, args: &[&str]| -> std::io::Result<()> {
        let email = format!("{who}@example.org");
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", who)
            .env("GIT_AUTHOR_EMAIL", &email)
            .env("GIT_COMMITTER_NAME", who)
            .env("GIT_COMMITTER_EMAIL", &email)
            .stdout(std::process::Stdio::null())
            .status()?;
        if status.success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!(
                "git {} failed",
                args.join(" ")
            )))
        }
    };
    // Every proposal without its [approval] table first.
    let mut approved = Vec::new();
    for team in fs::read_dir(dir.join("proposals"))? {
        for file in fs::read_dir(team?.path())? {
            let path = file?.path();
            let text = fs::read_to_string(&path)?;
            let start = text.find("[approval]\n").unwrap_or(text.len());
            let end = text[start..]
                .find("\n\n")
                .map_or(text.len(), |e| start + e + 2);
            fs::write(&path, format!("{}{}", &text[..start], &text[end..]))?;
            approved.push((path, text));
        }
    }
    git("carol", &["init", "-q", "-b", "main"])?;
    git("carol", &["add", "-A"])?;
    git("carol", &["commit", "-q", "-m", "Propose the metrics"])?;
    for (path, text) in &approved {
        fs::write(path, text)?;
    }
    git(
        "alice",
        &["commit", "-q", "-a", "-m", "Approve the metrics"],
    )?;
    let status = std::process::Command::new(privet)
        .arg("generate")
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .status()?;
    if !status.success() {
        return Err(std::io::Error::other("privet generate failed"));
    }
    git("alice", &["add", "-A"])?;
    git("alice", &["commit", "-q", "-m", "Generated files"])
}

/// The peak resident memory of any child process waited for so far.
fn peak_children_rss() -> String {
    #[cfg(unix)]
    {
        // SAFETY: getrusage fills the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0 {
            return format!("{:.0} MiB", usage.ru_maxrss as f64 / 1024.0);
        }
    }
    "n/a".into()
}

/// Builds `target/release/privet`; says so and returns false when it cannot.
fn build_release_binary(root: &Path) -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = std::process::Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "privet"])
        .current_dir(root)
        .status();
    let ok = built.is_ok_and(|s| s.success());
    if !ok {
        eprintln!("error: cannot build the release privet binary");
    }
    ok
}

/// The hostile-input corpus run with the release binary: the slowest case
/// of each family (the bound is a second), and any case that fails.
pub fn hostile(root: &Path) -> i32 {
    if !build_release_binary(root) {
        return 2;
    }
    let binary = match root.join("target/release/privet").canonicalize() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: target/release/privet: {e}");
            return 2;
        }
    };
    let cases = match hostile::load_all(&root.join("tests/fixtures/hostile")) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    println!(
        "\nhostile-input corpus: {} cases, release binary, slowest case per family (bound: 1 s)",
        cases.len()
    );
    let mut worst: std::collections::BTreeMap<String, (Duration, String, usize)> =
        std::collections::BTreeMap::new();
    let mut failed = 0;
    for case in &cases {
        let outcome = match hostile::run(case, &binary, Duration::from_secs(60)) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("  {}: setup failed: {e}", case.id());
                failed += 1;
                continue;
            }
        };
        if !hostile::problems(case, &outcome).is_empty() {
            eprintln!("  {}: FAILS (run `cargo test --test hostile`)", case.id());
            failed += 1;
        }
        let entry = worst
            .entry(case.family.clone())
            .or_insert((Duration::ZERO, String::new(), 0));
        entry.2 += 1;
        if outcome.elapsed > entry.0 {
            entry.0 = outcome.elapsed;
            entry.1 = case.name.clone();
        }
    }
    let mut over = 0;
    for (family, (time, name, n)) in &worst {
        let flag = if *time > Duration::from_secs(1) {
            over += 1;
            "  OVER THE BOUND"
        } else {
            ""
        };
        println!(
            "  {family:<9} {n:>3} cases  slowest {:>7.1} ms  ({name}){flag}",
            time.as_secs_f64() * 1e3
        );
    }
    if failed > 0 || over > 0 { 1 } else { 0 }
}

/// The per-proposal check time on adversarial string patterns (large
/// alternations, nested repetitions, long bounded classes), next to a plain
/// pattern in the same run: every proposal must check in well under a
/// second, however its pattern is built.
pub fn patterns() -> i32 {
    let mut words = Vec::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789.-@:";
    for _ in 0..200 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = 3 + (seed >> 59) as usize;
        let mut w = String::new();
        for k in 0..len {
            let r = (seed >> (k % 8 * 7)) as usize;
            w.push(char::from(alphabet[r % alphabet.len()]));
        }
        words.push(w);
    }
    let alternation = words.join("|");
    let cases: &[(&str, &str, u32)] = &[
        ("plain enum-like pattern", "(x86_64|aarch64|armv7l)", 7),
        ("200-word alternation with . - @ :", &alternation, 64),
        ("nested repetition", "((a|b)*c(d|e)*){1,20}", 64),
        ("long bounded class", "[a-z0-9]{1,64}", 64),
        ("hex groups", "([a-f0-9]{4}-){1,8}[a-f0-9]{4}", 64),
        ("dotted segments", "([a-z0-9]{1,8}[.:@/-]){1,30}", 255),
        ("counted repetitions", "(a{1,30}b{1,30}){1,10}", 255),
        (
            "digits and separators",
            "[0-9]{1,4}(-[0-9]{2}(:[0-9]{2}){0,2}){0,3}",
            16,
        ),
    ];
    println!("\nper-proposal check time on adversarial patterns (best of 3):");
    let mut base = None;
    for (what, pattern, max_len) in cases {
        let text = format!(
            r#"summary = "Adversarial pattern benchmark, one string field"
owners = ["team"]
events = ["heartbeat"]
expires = 2030-01-01
status = "proposed"
question = "How long does the audit take on this pattern?"
gathering = "Nothing is gathered; the benchmark only checks it."
burden = "None at all: this proposal never ships anywhere."
pii = "The audit decides that; this is a timing case only."
sanitization = "The pattern bounds the value and its length."
since = "1.0"
alternatives = "Simpler patterns, which are the comparison here."
summarization = "Not summarized: the benchmark prints timings only."
visualization = "Not shown anywhere: this is a benchmark case."

[fields.code]
type = "string"
pattern = '{pattern}'
max_len = {max_len}

[example]
code = "x"
"#
        );
        let mut best = Duration::MAX;
        let mut findings = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let checked = privet::pipeline::check_loaded(
                privet::load::from_texts(None, &[("proposals/adversarial.toml", &text)]),
                &Options {
                    today: Date::new(2026, 11, 23).expect("valid date"),
                    history: privet::resolve::HistoryMode::Skip,
                    samples: privet::check::Samples::Off,
                    base: None,
                },
            );
            best = best.min(t.elapsed());
            findings = checked.findings.len();
        }
        let base = *base.get_or_insert(best);
        println!(
            "  {what:<36} {:>9.1} ms  ({:>5.1}x the plain one, {findings} findings)",
            best.as_secs_f64() * 1e3,
            best.as_secs_f64() / base.as_secs_f64().max(1e-9)
        );
    }
    0
}
