//! `cargo xtask`: the project's own automation.
//!
//! - `cargo xtask audit`: the CI gate over the bundled registry;
//! - `cargo xtask codegen [--check]`: (re)writes generated files;
//! - `cargo xtask bench`: timings on large generated registries.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode};

use clap::{Parser, Subcommand};
use privet::check::Samples;
use privet::check::samples::Compiled;
use privet::pipeline::{MetricsBuild, Options};
use privet::report::Format;
use privet::resolve::HistoryMode;

mod bench;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "privet's project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The CI gate: lint every proposal, scan sample payloads built through the
    /// generated types, check the budget and that generated files are fresh
    Audit {
        /// Output format
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Git history: required (default), read if available, or skipped
        #[arg(long, value_enum, default_value = "require")]
        history: HistoryArg,
    },
    /// Write generated files (docs/rules.md, metrics/src/generated/, metrics/schemas/)
    Codegen {
        /// Do not write; fail if any generated file is stale
        #[arg(long)]
        check: bool,
    },
    /// Time loading, checking and generation on large synthetic registries,
    /// PII scan throughput and the history pass (always an optimized build:
    /// run from `cargo xtask`, it rebuilds itself with `--release`)
    Bench {
        /// Registry sizes to time (number of proposals)
        #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
        sizes: Vec<usize>,
        /// Commits of the generated repository for the history benchmark (0 skips it)
        #[arg(long, default_value_t = 100_000)]
        history_commits: usize,
        /// Proposals that repository touches
        #[arg(long, default_value_t = 10_000)]
        history_proposals: usize,
        /// Size in MB of the JSON Lines corpus for the scan benchmark (0 skips it)
        #[arg(long, default_value_t = 200)]
        scan_mb: usize,
        /// Skip the hostile-input corpus (its worst case per family, release binary)
        #[arg(long)]
        no_hostile: bool,
        /// Registry sizes whose generated client crate is built with cargo (0 skips)
        #[arg(long, value_delimiter = ',', default_value = "1000")]
        crate_build: Vec<usize>,
        /// Registry sizes audited cold and warm by the release binary (0 skips)
        #[arg(long, value_delimiter = ',', default_value = "10000")]
        audit: Vec<usize>,
    },
    /// One warm history pass in a fresh process, timed (run by `bench`)
    #[command(hide = true)]
    BenchHistoryProbe {
        /// The proposals directory
        dir: std::path::PathBuf,
    },
    /// Run the property tests of tests/robustness.rs (load, check, scan,
    /// approve) with many cases, in a release build
    Fuzz {
        /// Cases per property
        #[arg(long, default_value_t = 20_000)]
        cases: u32,
    },
}

fn main() -> ExitCode {
    // The library runs here (the bench, the audit) as the `privet` program
    // runs it.
    privet::resolve::skip_object_rehashing();
    let cli = Cli::parse();
    let root = project_root();
    let code = match cli.command {
        Command::Audit { format, history } => audit(&root, format, history.into()),
        Command::Codegen { check } => codegen(&root, check),
        Command::Bench { .. } if cfg!(debug_assertions) => {
            // Timings of an unoptimized build mean nothing: run the release
            // one, with the same arguments.
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let status = Process::new(cargo)
                .args(["run", "--release", "--quiet", "--package", "xtask", "--"])
                .args(std::env::args_os().skip(1))
                .current_dir(&root)
                .status();
            match status {
                Ok(s) => s.code().unwrap_or(2),
                Err(e) => {
                    eprintln!("error: cannot run the release build of the benchmarks: {e}");
                    2
                }
            }
        }
        Command::Fuzz { cases } => fuzz(&root, cases),
        Command::BenchHistoryProbe { dir } => bench::history_probe(&dir),
        Command::Bench {
            sizes,
            history_commits,
            history_proposals,
            scan_mb,
            no_hostile,
            crate_build,
            audit,
        } => {
            let mut code = bench::run(&sizes);
            let crate_build: Vec<usize> = crate_build.into_iter().filter(|&n| n > 0).collect();
            if code == 0 && !crate_build.is_empty() {
                code = bench::crate_build(&crate_build, &root);
            }
            let audit: Vec<usize> = audit.into_iter().filter(|&n| n > 0).collect();
            if code == 0 && !audit.is_empty() {
                code = bench::audit(&audit, &root);
            }
            if code == 0 && !no_hostile {
                code = bench::hostile(&root);
            }
            if code == 0 {
                code = bench::patterns();
            }
            if code == 0 && scan_mb > 0 {
                code = bench::scan(scan_mb, &root);
            }
            if code == 0 && history_commits > 0 {
                code = bench::history(history_commits, history_proposals.min(history_commits));
            }
            if code == 0 {
                bench::print_summary();
            }
            code
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}

/// `cargo xtask fuzz`: the robustness properties with `cases` cases each.
fn fuzz(root: &Path, cases: u32) -> i32 {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!(
        "privet fuzz: every property of tests/robustness.rs with {cases} cases, release build"
    );
    let start = std::time::Instant::now();
    let status = Process::new(cargo)
        .args([
            "test",
            "--release",
            "--quiet",
            "--test",
            "robustness",
            "--",
            "--test-threads",
            "2",
        ])
        .env("PROPTEST_CASES", cases.to_string())
        .current_dir(root)
        .status();
    match status {
        Ok(s) => {
            println!(
                "privet fuzz: {} in {:.0} s",
                if s.success() {
                    "no failure"
                } else {
                    "FAILED (the minimal failing input is above)"
                },
                start.elapsed().as_secs_f64()
            );
            s.code().unwrap_or(2)
        }
        Err(e) => {
            eprintln!("error: cannot run cargo test: {e}");
            2
        }
    }
}

/// `--history` of the audit.
#[derive(Clone, Copy, clap::ValueEnum)]
enum HistoryArg {
    /// fail when git history cannot be read (the CI gate)
    Require,
    /// read history when there is a repository with commits
    Auto,
    /// do not read history: no provenance rules
    Skip,
}

impl From<HistoryArg> for HistoryMode {
    fn from(h: HistoryArg) -> HistoryMode {
        match h {
            HistoryArg::Require => HistoryMode::Required,
            HistoryArg::Auto => HistoryMode::IfAvailable,
            HistoryArg::Skip => HistoryMode::Skip,
        }
    }
}

fn audit(root: &Path, format: Format, history: HistoryMode) -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let options = Options {
        history,
        samples: Samples::Model,
        ..Options::default()
    };
    privet::commands::audit::run_audit(
        root,
        &options,
        format,
        Some(&Build { root }),
        &mut stdout.lock(),
        &mut stderr.lock(),
    )
}

/// The workspace's `metrics` crate, built and run through cargo.
struct Build<'a> {
    root: &'a Path,
}

impl MetricsBuild for Build<'_> {
    fn fix_command(&self) -> &'static str {
        "cargo xtask codegen"
    }

    fn samples(&self, cases: u32) -> Result<Compiled, String> {
        let stdout = run_example(self.root, "samples", &["--cases", &cases.to_string()])?;
        Compiled::parse(&stdout)
            .map_err(|e| format!("the metrics crate's samples example printed {e}"))
    }
}

/// Builds and runs an example of the `metrics` crate; returns its stdout.
fn run_example(root: &Path, example: &str, args: &[&str]) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Process::new(cargo)
        .args([
            "run",
            "--quiet",
            "--package",
            "metrics",
            "--example",
            example,
            "--",
        ])
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| {
            format!("cannot run cargo for the metrics crate's `{example}` example: {e}")
        })?;
    if !out.status.success() {
        return Err(format!(
            "the metrics crate's `{example}` example failed; if the generated code does not build, fix it with `cargo xtask codegen`:
{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout)
        .map_err(|_| format!("the `{example}` example printed bytes that are not UTF-8"))
}

fn codegen(root: &Path, check: bool) -> i32 {
    // `privet generate` itself, naming this repository's command as the fix.
    let result = privet::commands::generate::generate_files(
        root,
        &Default::default(),
        check,
        "cargo xtask codegen",
    );
    match result {
        Ok(report) => {
            print!("{report}");
            0
        }
        Err(e) => {
            eprintln!("{e}");
            e.code
        }
    }
}

/// The JSON Schemas, derived by schemars from the checked-in payload types:
/// builds and runs the `metrics` crate's `schemas` example.
/// The workspace root (xtask lives one level below it), as `.` when it is
/// the current directory so that findings show short relative paths.
fn project_root() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = dir.parent().unwrap_or(dir).to_path_buf();
    let here = std::env::current_dir().and_then(|d| d.canonicalize()).ok();
    match (here, root.canonicalize().ok()) {
        (Some(here), Some(canonical)) if here == canonical => PathBuf::from("."),
        _ => root,
    }
}
