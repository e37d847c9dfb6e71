//! The `privet` command line. Exit codes: 0 clean (warnings allowed),
//! 1 findings at error level, 2 usage or I/O error.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::check::{self, HistoryMode, Options, Samples};
use crate::date::Date;
use crate::load::{self, Registry};
use crate::report::{self, Format, Tally};
use crate::{docs, generate, rules, scaffold};

/// Exit code: no error-level findings.
pub const EXIT_OK: i32 = 0;
/// Exit code: at least one error-level finding.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "privet",
    version,
    about = "The privacy gate for usage telemetry: review, lint and generate metric definitions",
    long_about = "The privacy gate for usage telemetry.\n\n\
        A registry holds one TOML proposal per metric in proposals/, each answering the review \
        checklist and declaring its payload fields in a low-resolution type system. privet \
        checks every proposal and reports every finding in one run.\n\n\
        Exit codes: 0 clean (warnings allowed), 1 error-level findings, 2 usage or I/O error.",
    after_help = "Rules: `privet explain` lists them, `privet explain RULE` explains one; docs/rules.md has them all."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Load and lint a registry, reporting every finding
    #[command(long_about = "Load and lint a registry, reporting every finding.\n\n\
        DIR is the registry root (the directory holding privet.toml and proposals/), or a \
        proposals directory itself, in which case privet.toml is looked up in its parent.")]
    Check {
        /// Registry root or proposals directory
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output format; json prints one finding per line (JSON Lines)
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Judge expiry as of this date (YYYY-MM-DD) instead of today
        #[arg(long, value_name = "DATE", value_parser = parse_date, hide = true)]
        today: Option<Date>,
        /// Git history: read it when there is a repository (auto), require it, or skip it
        #[arg(long, value_enum, default_value = "auto")]
        history: History,
        /// Also generate sample payloads of every metric from its declared domain and
        /// scan them (the audit builds them through the generated types instead)
        #[arg(long)]
        samples: bool,
    },
    /// Approve the current definition of a metric, as a configured reviewer
    #[command(
        long_about = "Approve the current definition of a metric, as a configured reviewer.\n\n\
        Writes status = \"approved\" and the [approval] block (by, date, fingerprint of the \
        definition) into the proposal, preserving its comments and formatting. Approving the \
        same definition again adds the reviewer to `by` (for a quorum); approving a changed \
        definition starts a new approval. Refuses reviewers who are not configured, the \
        author of the metric's introducing commit, uncommitted proposals and proposals with \
        error-level findings."
    )]
    Approve {
        /// Metric name
        name: String,
        /// The approving reviewer (one of `reviewers` in privet.toml)
        #[arg(long, value_name = "REVIEWER")]
        by: String,
        /// Registry root
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Date of the approval (YYYY-MM-DD), default today
        #[arg(long, value_name = "DATE", value_parser = parse_date, hide = true)]
        today: Option<Date>,
    },
    /// Scan JSON payloads (JSON Lines, or one JSON document) for personal data
    #[command(
        long_about = "Scan JSON payloads for personal data and identifying values: emails, \
        IP addresses and ranges, MAC addresses, host names (including `pid@host`), URLs with \
        credentials, home-directory paths, phone, card (Luhn) and IBAN (mod 97) numbers, \
        secrets and tokens, coordinates, timestamps finer than a day, and persistent ids \
        (except the envelope's `installation_id`).\n\n\
        The input is JSON Lines (one payload per line) or one JSON document. Scanning is \
        structure-aware: each value is judged with its key (a 16-digit `db_size_bytes` is \
        not a card number; anything under `*password*` or `*_key` is a secret; an opaque \
        token under `*_id` is an identifier; in `[\"php\", \"version\", \"8.2.15\"]` the value \
        is judged under `version`). Keys starting with `_` are skipped. Matches are shown \
        redacted.\n\n\
        Exit codes: 0 nothing found, 1 findings, 2 unreadable input or invalid JSON."
    )]
    Scan {
        /// Files to scan (`-` for standard input)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format; json prints one object per finding (line, pointer, kind, start, end)
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// A metric's story: introducing commit, each change with its diff, each approval
    Log {
        /// Metric name
        name: String,
        /// Registry root
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Output format (json prints one JSON object)
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Scaffold a new proposal with every checklist question as a prompt
    #[command(
        long_about = "Scaffold a new proposal, proposals/NAME.toml, with every checklist \
        question as a commented prompt. Refuses to overwrite an existing file. `privet check` \
        then lists exactly the questions still to answer."
    )]
    New {
        /// Metric name: snake_case, becomes the file name
        name: String,
        /// Registry root
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Owner of the metric (repeatable); default: $USER
        #[arg(long = "owner", value_name = "OWNER")]
        owners: Vec<String>,
        /// Event that carries the metric (repeatable); default: heartbeat, or the first configured event
        #[arg(long = "event", value_name = "EVENT")]
        events: Vec<String>,
    },
    /// Explain a rule: what it flags, why, and an example; without RULE, list all rules
    Explain {
        /// Rule id, e.g. unknown-key
        rule: Option<String>,
    },
}

/// `--history` of `privet check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum History {
    /// read history when the registry is in a repository with commits
    Auto,
    /// fail when history cannot be read
    Require,
    /// do not read history (no provenance rules)
    Skip,
}

impl From<History> for HistoryMode {
    fn from(h: History) -> HistoryMode {
        match h {
            History::Auto => HistoryMode::IfAvailable,
            History::Require => HistoryMode::Required,
            History::Skip => HistoryMode::Skip,
        }
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date like 2026-11-23"))
}

/// Runs privet with process arguments on the real stdout and stderr.
pub fn main(args: impl IntoIterator<Item = OsString>) -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    run(args, &mut stdout.lock(), &mut stderr.lock())
}

/// Runs privet with `args` (including the program name), writing to `out` and `err`.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            return if e.use_stderr() {
                let _ = write!(err, "{text}");
                EXIT_USAGE
            } else {
                let _ = write!(out, "{text}");
                EXIT_OK
            };
        }
    };
    let result = match cli.command {
        Command::Check {
            dir,
            format,
            today,
            history,
            samples,
        } => {
            let options = Options {
                today: today.unwrap_or_else(Date::today),
                history: history.into(),
                samples: if samples {
                    Samples::Model
                } else {
                    Samples::Off
                },
            };
            check_command(&dir, &options, format, out, err)
        }
        Command::Approve {
            name,
            by,
            dir,
            today,
        } => approve_command(
            &name,
            &by,
            &dir,
            today.unwrap_or_else(Date::today),
            out,
            err,
        ),
        Command::Log { name, dir, format } => log_command(&name, &dir, format, out, err),
        Command::Scan { files, format } => scan_command(&files, format, out, err),
        Command::New {
            name,
            dir,
            owners,
            events,
        } => new_command(&name, &dir, owners, events, out, err),
        Command::Explain { rule } => explain_command(rule.as_deref(), out, err),
    };
    let _ = out.flush();
    result
}

/// Loads the registry at `dir` and resolves its history (stages 1 and 2).
fn resolved_registry(dir: &Path, history: HistoryMode) -> Result<Registry, load::FatalError> {
    let mut registry = load::load(dir)?;
    crate::resolve::run(&mut registry, history);
    Ok(registry)
}

/// Loads and checks the registry at `dir`.
pub fn check_registry(dir: &Path, options: &Options) -> Result<Registry, load::FatalError> {
    let mut registry = resolved_registry(dir, options.history)?;
    check::run(&mut registry, options);
    Ok(registry)
}

fn check_command(
    dir: &Path,
    options: &Options,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let start = Instant::now();
    match check_registry(dir, options) {
        Ok(registry) => print_report(&registry, format, start, "checked", &[], out, err),
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_USAGE
        }
    }
}

/// Prints the findings of `registry` and a summary line; returns the exit code.
/// The summary goes to stdout for human output and to stderr otherwise, so
/// that machine-readable output holds only findings.
pub fn print_report(
    registry: &Registry,
    format: Format,
    start: Instant,
    verb: &str,
    notes: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let _ =
        out.write_all(report::render(&registry.diagnostics, &registry.sources, format).as_bytes());
    if let load::Provenance::Unavailable(
        why @ (crate::resolve::Unavailable::NoRepository | crate::resolve::Unavailable::NoCommits),
    ) = &registry.provenance
    {
        let _ = writeln!(err, "note: provenance not checked: {}", why.describe());
    }
    let tally = Tally::of(&registry.diagnostics);
    let n = registry.files;
    let summary = format!(
        "privet: {verb} {n} proposal{} in {}: {tally} ({} ms)",
        if n == 1 { "" } else { "s" },
        load::display(&registry.root),
        start.elapsed().as_millis()
    );
    if format == Format::Human {
        // The audit shows every event's budget; any report shows the reasons
        // given for raising it.
        if verb == "audited" {
            for (event, bits, budget) in crate::check::privacy::budget_summary(registry) {
                let _ = writeln!(
                    out,
                    "budget: the `{event}` payload can carry {bits:.1} of {budget:.0} identifying bits"
                );
            }
            let _ = write!(out, "{}", shipping_summary(registry));
        }
        for note in notes {
            let _ = writeln!(out, "{note}");
        }
        for p in &registry.proposals {
            if let Some(b) = &p.budget {
                let why = b
                    .reason
                    .as_ref()
                    .map_or("(no reason)", |r| r.value.as_str());
                let _ = writeln!(out, "budget: {} adds {} bits: {why}", p.name, b.bits.value);
            }
        }
    }
    let _ = if format == Format::Human {
        writeln!(out, "{summary}")
    } else {
        writeln!(err, "{summary}")
    };
    if tally.errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// What only a build of the `metrics` crate can provide. `cargo xtask audit`
/// builds the crate and runs its examples; library callers without a build
/// pass `None` to [`audit`].
pub trait MetricsBuild {
    /// The JSON Schemas, derived by schemars from the checked-in payload types.
    fn schemas(&self) -> Result<generate::Outputs, String>;
    /// `cases` sample payloads per metric and per event payload, built from
    /// raw inputs through the generated constructors, serialized and scanned.
    fn samples(&self, cases: u32) -> Result<check::samples::Compiled, String>;
}

/// The audit: load, resolve, check, and the freshness of every generated
/// file. With a `build` of the `metrics` crate, the JSON Schemas it derives
/// are compared too, and sample payloads go through the generated types
/// (when those are fresh; otherwise they are built from the proposals and a
/// note says so).
pub fn audit(
    root: &Path,
    options: &Options,
    format: Format,
    build: Option<&dyn MetricsBuild>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let start = Instant::now();
    let mut registry = match resolved_registry(root, options.history) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_USAGE;
        }
    };
    let mut stale = generate::stale(root, &generate::outputs(&registry));
    let mut options = options.clone();
    let mut notes = Vec::new();
    if let Some(build) = build {
        let sampling = !matches!(options.samples, Samples::Off);
        let cases = registry.config.thresholds.sample_cases;
        // Sampling a build of stale generated code would test old types.
        let types_fresh = stale.iter().all(|s| !s.path().starts_with("metrics"));
        if sampling && types_fresh {
            match build.samples(cases) {
                Ok(compiled) => {
                    notes.push(format!(
                        "samples: {} payloads each of {} metrics and {} event payloads, built through the generated types and scanned",
                        compiled.cases,
                        compiled.metrics.len(),
                        compiled.events.len()
                    ));
                    options.samples = Samples::Compiled(std::sync::Arc::new(compiled));
                }
                Err(e) => {
                    let _ = writeln!(err, "error: {e}");
                    return EXIT_USAGE;
                }
            }
        } else if sampling {
            options.samples = Samples::Model;
            notes.push(format!(
                "samples: {cases} payloads per metric, built from the proposals (the generated types are stale; run `{}`)",
                generate::FIX_COMMAND
            ));
        }
        match build.schemas() {
            Ok(schemas) => stale.extend(generate::stale(root, &schemas)),
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return EXIT_USAGE;
            }
        }
    }
    check::run(&mut registry, &options);
    let mut stale = generate::findings(stale, &mut registry.sources);
    registry.diagnostics.append(&mut stale);
    print_report(&registry, format, start, "audited", &notes, out, err)
}

fn new_command(
    name: &str,
    dir: &Path,
    mut owners: Vec<String>,
    mut events: Vec<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if let Some(problem) = check::naming::name_problem(name) {
        let _ = writeln!(
            err,
            "error: `{name}` is not a valid metric name: {problem}\nhelp: try `privet new {}`",
            check::naming::snake_case(name)
        );
        return EXIT_USAGE;
    }
    // Read the configuration for the proposals directory and events; its
    // problems are `privet check`'s business.
    let config = load::load_config(dir, &mut Default::default(), &mut Vec::new());
    if owners.is_empty() {
        owners.extend(
            ["USER", "USERNAME"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty())),
        );
    }
    if events.is_empty() {
        let default = config
            .events
            .iter()
            .find(|e| *e == "heartbeat")
            .or(config.events.first())
            .cloned()
            .unwrap_or_else(|| "heartbeat".into());
        events.push(default);
    }
    let text = scaffold::render(&scaffold::Scaffold {
        name,
        owners: &owners,
        events: &events,
        expires: Date::today().add_days(365),
    });
    let path = dir.join(&config.proposals).join(format!("{name}.toml"));
    match scaffold::create_new(&path, &text) {
        Ok(()) => {
            let _ = writeln!(
                out,
                "created {}\nanswer its checklist questions, then run `privet check` to see what is still open",
                load::display(&path)
            );
            EXIT_OK
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let _ = writeln!(
                err,
                "error: {} already exists; privet new never overwrites a proposal\nhelp: edit it, or choose another name",
                load::display(&path)
            );
            EXIT_USAGE
        }
        Err(e) => {
            let _ = writeln!(err, "error: cannot write {}: {e}", load::display(&path));
            EXIT_USAGE
        }
    }
}

fn explain_command(rule: Option<&str>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(id) = rule else {
        for r in rules::ALL {
            let _ = writeln!(out, "{:<24}{:<9}{}", r.id, r.severity.as_str(), r.summary);
        }
        return EXIT_OK;
    };
    match rules::find(id) {
        Some(r) => {
            let _ = write!(out, "{}", docs::explain(r));
            EXIT_OK
        }
        None => {
            let _ = writeln!(err, "error: no rule named `{id}`");
            if let Some(best) = rules::closest(id) {
                let _ = writeln!(err, "help: did you mean `{best}`?");
            }
            let _ = writeln!(err, "help: `privet explain` lists every rule");
            EXIT_USAGE
        }
    }
}

/// The proposal named `name`, or a usage error with a suggestion.
fn find_proposal<'r>(
    registry: &'r Registry,
    name: &str,
    err: &mut dyn Write,
) -> Option<&'r crate::model::Proposal> {
    let found = registry.proposals.iter().find(|p| p.name == name);
    if found.is_none() {
        let _ = writeln!(
            err,
            "error: no proposal named `{name}` in {}",
            load::display(&registry.proposals_dir)
        );
        if let Some(best) =
            crate::suggest::closest(name, registry.proposals.iter().map(|p| p.name.as_str()))
        {
            let _ = writeln!(err, "help: did you mean `{best}`?");
        }
    }
    found
}

fn approve_command(
    name: &str,
    reviewer: &str,
    dir: &Path,
    today: Date,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let options = Options {
        today,
        history: HistoryMode::IfAvailable,
        samples: Samples::Off,
    };
    let registry = match check_registry(dir, &options) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_USAGE;
        }
    };
    let Some(p) = find_proposal(&registry, name, err) else {
        return EXIT_USAGE;
    };
    if !registry.config.reviewers.iter().any(|r| r == reviewer) {
        let _ = writeln!(err, "error: `{reviewer}` is not a configured reviewer");
        let list = registry.config.reviewers.join(", ");
        let _ = writeln!(
            err,
            "help: {}",
            if list.is_empty() {
                "list reviewers under [review] in privet.toml".to_string()
            } else {
                format!("reviewers are {list}")
            }
        );
        return EXIT_USAGE;
    }
    let history = match &registry.provenance {
        load::Provenance::Available(h) => h,
        load::Provenance::Unavailable(why) => {
            let _ = writeln!(
                err,
                "error: cannot approve without history: {}\nhelp: {}",
                why.describe(),
                why.fix()
            );
            return EXIT_USAGE;
        }
        load::Provenance::NotRead => unreachable!("history was read"),
    };
    if !history.present.contains_key(name) {
        let _ = writeln!(
            err,
            "error: `{name}` is not committed yet\nhelp: commit it first: approval is tied to the commit that introduced it"
        );
        return EXIT_USAGE;
    }
    if let Some(author) = history
        .authors(name)
        .into_iter()
        .find(|c| check::provenance::same_person(reviewer, c))
    {
        let _ = writeln!(
            err,
            "error: `{reviewer}` introduced `{name}` ({}) and cannot approve it\nhelp: another configured reviewer must approve it",
            check::provenance::describe(author)
        );
        return EXIT_USAGE;
    }
    // Approval is for a sound definition: everything but the approval itself must pass.
    let approval_rules = [
        "approval-missing",
        "approval-reviewer",
        "approval-quorum",
        "approval-stale",
        "self-approval",
        "breaking-change",
    ];
    let blocking: Vec<_> = registry
        .diagnostics
        .iter()
        .filter(|d| {
            d.file == p.file
                && d.severity == crate::rules::Severity::Error
                && !approval_rules.contains(&d.rule.id)
        })
        .cloned()
        .collect();
    if !blocking.is_empty() {
        let _ = write!(
            err,
            "{}",
            report::render(&blocking, &registry.sources, Format::Human)
        );
        let _ = writeln!(
            err,
            "error: `{name}` has {} error(s); fix them before approving",
            blocking.len()
        );
        return EXIT_FINDINGS;
    }
    let (fingerprint, _) = crate::resolve::current(p);
    let path = Path::new(&registry.sources.get(p.file).path).to_path_buf();
    match crate::approve::approve_file(&path, reviewer, &fingerprint, today) {
        Ok(outcome) => {
            let shown = load::display(&path);
            let quorum = registry.config.quorum;
            let _ = match outcome {
                crate::approve::Outcome::New => writeln!(
                    out,
                    "approved {name} as {reviewer} (fingerprint {fingerprint}) in {shown}; 1 of {quorum} reviewer(s)"
                ),
                crate::approve::Outcome::Joined { by } => writeln!(
                    out,
                    "added {reviewer} to the approval of {name} in {shown}; {} of {quorum} reviewer(s)",
                    by.len()
                ),
                crate::approve::Outcome::AlreadyApproved => {
                    writeln!(
                        out,
                        "{reviewer} already approved this definition of {name}; nothing changed"
                    )
                }
            };
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_USAGE
        }
    }
}

fn log_command(
    name: &str,
    dir: &Path,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut registry = match load::load(dir) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_USAGE;
        }
    };
    crate::resolve::run(&mut registry, HistoryMode::IfAvailable);
    let history = match &registry.provenance {
        load::Provenance::Available(h) => h,
        load::Provenance::Unavailable(why) => {
            let _ = writeln!(err, "error: {}\nhelp: {}", why.describe(), why.fix());
            return EXIT_USAGE;
        }
        load::Provenance::NotRead => unreachable!("history was read"),
    };
    let current = registry
        .proposals
        .iter()
        .find(|p| p.name == name)
        .map(crate::resolve::current);
    if current.is_none() && history.events(name).is_empty() {
        let _ = find_proposal(&registry, name, err);
        return EXIT_USAGE;
    }
    let current = current.as_ref().map(|(f, d)| (f.as_str(), d.as_str()));
    let text = match format {
        Format::Json => format!("{}\n", crate::resolve::story::json(history, name, current)),
        _ => crate::resolve::story::human(history, name, current),
    };
    let _ = out.write_all(text.as_bytes());
    EXIT_OK
}

fn scan_command(
    files: &[PathBuf],
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    use std::io::Read as _;
    let start = Instant::now();
    let (mut found, mut invalid, mut unreadable, mut payloads, mut bytes) =
        (0usize, 0usize, false, 0usize, 0usize);
    let mut sarif_results: Vec<serde_json::Value> = Vec::new();
    for path in files {
        let shown = if path.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            load::display(path)
        };
        let mut raw = Vec::new();
        let read = if path.as_os_str() == "-" {
            std::io::stdin().read_to_end(&mut raw).map(|_| ())
        } else {
            std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut raw).map(|_| ()))
        };
        if let Err(e) = read {
            let _ = writeln!(err, "error: cannot read {shown}: {e}");
            unreadable = true;
            continue;
        }
        bytes += raw.len();
        let text = match String::from_utf8(raw) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let (line, column) =
                    crate::diagnostic::line_col(&String::from_utf8_lossy(e.as_bytes()), at);
                let _ = writeln!(
                    err,
                    "error: {shown}:{line}:{column}: not valid UTF-8 (byte offset {at})"
                );
                unreadable = true;
                continue;
            }
        };
        let report = crate::scan::scan(&text);
        payloads += report.payloads;
        for e in &report.errors {
            let _ = writeln!(
                err,
                "error: {shown}:{}:{}: invalid JSON: {}",
                e.line, e.column, e.message
            );
        }
        invalid += report.errors.len();
        found += report.findings.len();
        for f in &report.findings {
            let _ = match format {
                Format::Json => writeln!(
                    out,
                    "{}",
                    serde_json::json!({
                        "file": shown,
                        "line": f.line,
                        "pointer": f.pointer,
                        "kind": f.kind.as_str(),
                        "start": f.start,
                        "end": f.end,
                    })
                ),
                Format::Sarif => {
                    sarif_results.push(serde_json::json!({
                        "ruleId": f.kind.as_str(),
                        "level": "error",
                        "message": { "text": format!("{} at {} ({})", f.kind.as_str(), f.pointer, f.kind.why()) },
                        "locations": [{ "physicalLocation": {
                            "artifactLocation": { "uri": shown },
                            "region": { "startLine": f.line, "startColumn": f.start + 1, "endLine": f.line, "endColumn": f.end + 1 },
                        }}],
                    }));
                    Ok(())
                }
                Format::Github => writeln!(
                    out,
                    "::error file={shown},line={},col={},title=privet scan {}::{} at {} ({})",
                    f.line,
                    f.start + 1,
                    f.kind.as_str(),
                    f.kind.as_str(),
                    f.pointer,
                    f.kind.why()
                ),
                Format::Human => writeln!(
                    out,
                    "{shown}:{}:{}: {} at {}: \"{}\" ({})",
                    f.line,
                    f.start + 1,
                    f.kind.as_str(),
                    f.pointer,
                    crate::scan::redact(crate::scan::matched(&text, f)),
                    f.kind.why()
                ),
            };
        }
    }
    if format == Format::Sarif {
        let rules: Vec<serde_json::Value> = crate::pii::Kind::ALL
            .iter()
            .map(|k| serde_json::json!({ "id": k.as_str(), "shortDescription": { "text": k.why() } }))
            .collect();
        let log = serde_json::json!({
            "version": "2.1.0",
            "runs": [{ "tool": { "driver": { "name": "privet scan", "version": env!("CARGO_PKG_VERSION"), "rules": rules } }, "results": sarif_results }],
        });
        let _ = writeln!(out, "{log}");
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = writeln!(
        err,
        "privet scan: {found} finding{} in {payloads} payload{} ({:.1} MB in {:.0} ms)",
        if found == 1 { "" } else { "s" },
        if payloads == 1 { "" } else { "s" },
        bytes as f64 / 1e6,
        secs * 1e3
    );
    if unreadable || invalid > 0 {
        EXIT_USAGE
    } else if found > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Which metrics the generated payloads carry, and why the others do not.
pub fn shipping_summary(registry: &Registry) -> String {
    use crate::model::Status;
    let generated = crate::generate::generated_proposals(registry);
    let mut ships = Vec::new();
    let mut held = Vec::new();
    for p in &generated {
        if crate::generate::rust::shippable(p) {
            ships.push(p.name.clone());
        } else {
            let why = match p.status.as_ref().map(|s| s.value) {
                Some(Status::Approved) => "approved for an earlier definition",
                _ => "not approved",
            };
            held.push(format!("{} ({why})", p.name));
        }
    }
    for p in &registry.proposals {
        if !generated.iter().any(|g| g.name == p.name) {
            let why = match p.status.as_ref().map(|s| s.value) {
                Some(Status::Rejected) => "rejected",
                Some(Status::Retired) => "retired",
                _ => "has errors in its definition",
            };
            held.push(format!("{} ({why}, not generated)", p.name));
        }
    }
    let mut out = format!(
        "ships in payloads ({}): {}\n",
        ships.len(),
        if ships.is_empty() {
            "none".into()
        } else {
            ships.join(", ")
        }
    );
    if !held.is_empty() {
        out.push_str(&format!(
            "not shipped ({}): {}\n",
            held.len(),
            held.join(", ")
        ));
    }
    out
}
