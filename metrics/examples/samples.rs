//! Sample payloads built through the generated types, scanned for personal
//! data (rule `sample-pii`). For every metric and every event payload,
//! `--cases N` raw inputs (default 256, fixed seed) go through the generated
//! constructors; the JSON each value serializes to, byte for byte what a
//! client sends, is scanned by privet's PII engine, and the first payload with
//! a finding is shrunk to a minimal one. Prints one JSON line per metric and
//! event; `cargo xtask audit` runs this and reads them.

use std::process::ExitCode;

use privet::check::samples::{Target, find_pii, outcome_line};

#[path = "../tests/support/raw.rs"]
mod support;

#[rustfmt::skip]
#[path = "../tests/generated/strategies.rs"]
mod strategies;

const USAGE: &str = "usage: samples [--cases N]";

fn main() -> ExitCode {
    let mut cases = 256;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().map(|n| n.parse::<u32>())) {
            ("--cases", Some(Ok(n))) if n > 0 => cases = n,
            _ => {
                eprintln!("error: unexpected argument `{arg}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let targets = strategies::metrics()
        .into_iter()
        .map(|(name, s)| (Target::Metric, name, s))
        .chain(
            strategies::events()
                .into_iter()
                .map(|(name, s)| (Target::Event, name, s)),
        );
    for (target, name, strategy) in targets {
        println!(
            "{}",
            outcome_line(target, name, cases, find_pii(&strategy, cases))
        );
    }
    ExitCode::SUCCESS
}
