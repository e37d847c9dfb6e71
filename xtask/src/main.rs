//! `cargo xtask`: the project's own automation.
//!
//! - `cargo xtask audit`: the CI gate over the bundled registry;
//! - `cargo xtask codegen [--check]`: (re)writes generated files;
//! - `cargo xtask bench`: timings on large generated registries.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use privet::check::Options;
use privet::report::Format;

mod bench;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "privet's project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The CI gate: lint every proposal and check that generated files are fresh
    Audit {
        /// Output format
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Write generated files (docs/rules.md, …) from the sources
    Codegen {
        /// Do not write; fail if any generated file is stale
        #[arg(long)]
        check: bool,
    },
    /// Time loading and checking of large synthetic registries
    Bench {
        /// Registry sizes to time (number of proposals)
        #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
        sizes: Vec<usize>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = project_root();
    let code = match cli.command {
        Command::Audit { format } => {
            let stdout = std::io::stdout();
            let stderr = std::io::stderr();
            privet::cli::audit(
                &root,
                &Options::default(),
                format,
                &mut stdout.lock(),
                &mut stderr.lock(),
            )
        }
        Command::Codegen { check } => codegen(&root, check),
        Command::Bench { sizes } => bench::run(&sizes),
    };
    ExitCode::from(code as u8)
}

fn codegen(root: &Path, check: bool) -> i32 {
    let outputs = privet::generate::outputs();
    if check {
        let stale = privet::generate::stale(root, &outputs);
        if stale.is_empty() {
            return 0;
        }
        for path in &stale {
            eprintln!("stale: {}", privet::load::display(path));
        }
        eprintln!(
            "generated files are out of date: run `{}`",
            privet::generate::FIX_COMMAND
        );
        return 1;
    }
    match privet::generate::write(root, &outputs) {
        Ok(written) => {
            for path in &written {
                println!("wrote {}", privet::load::display(path));
            }
            if written.is_empty() {
                println!("everything is up to date");
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

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
