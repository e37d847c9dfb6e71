//! The `privet` command line: argument parsing and dispatch to [`pipeline`].
//! Exit codes: 0 clean (warnings allowed), 1 findings at error level,
//! 2 usage or I/O error.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::check::Samples;
use crate::commands::{self, CommandError};
use crate::date::Date;
use crate::pipeline::Options;
use crate::report::{self, EXIT_OK, EXIT_USAGE, Format};
use crate::resolve::HistoryMode;

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
        DIR is the registry root (the directory holding privet.toml or proposals/), or a \
        directory of proposals inside it: the root is then the nearest ancestor that holds \
        privet.toml or whose proposals/ contains DIR, so `privet check DIR/proposals` and \
        `privet check DIR` read the same configuration.")]
    Check {
        /// Registry root, a proposals directory, or one proposal file; from
        /// any other directory the registry above it is found
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The same directory, as other commands take it (`--dir DIR`)
        #[arg(long = "dir", value_name = "DIR", hide = true, conflicts_with = "dir")]
        dir_flag: Option<PathBuf>,
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
        /// What holds before a commit exists (the pre-commit hook): history is
        /// skipped, and approvals are not judged (a reviewer's approval, an
        /// author's edit to an approved metric, a quorum still gathering), since
        /// the audit judges them in CI from what is committed
        #[arg(long, conflicts_with = "history")]
        before_commit: bool,
    },
    /// The CI gate: check everything, with full history, sample payloads and the
    /// freshness of every generated file
    #[command(
        long_about = "The CI gate for any registry: every rule, with git history required \
        (provenance of every metric, approvals bound to the reviewers' commits), sample payloads \
        built from each metric's declared domain and scanned for personal data (no compiled crate \
        is needed; the report says so), each event's re-identification budget, which metrics ship, \
        and whether everything `privet generate` writes is fresh.\n\n\
        Exit codes: 0 clean (warnings allowed), 1 error-level findings, 2 usage or I/O error."
    )]
    Audit {
        /// Registry root
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The same directory, as other commands take it (`--dir DIR`)
        #[arg(long = "dir", value_name = "DIR", hide = true, conflicts_with = "dir")]
        dir_flag: Option<PathBuf>,
        /// Output format; json prints one finding per line (JSON Lines)
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Git history: required (default), read when there is a repository, or skipped
        #[arg(long, value_enum, default_value = "require")]
        history: History,
        /// Take the trust anchors (reviewers, keys, quorum, thresholds, ceilings) from
        /// REF's privet.toml, the branch a pull request merges into; a change to them is
        /// anchors-changed unless REF's reviewers signed it
        #[arg(long, value_name = "REF")]
        base: Option<String>,
    },
    /// Write the JSON Schemas (and, if configured, a Rust client crate)
    #[command(
        long_about = "Write what the registry generates, as configured under [generate] in \
        privet.toml: the JSON Schema (draft 2020-12) of every metric and event payload, computed \
        from the proposals (no compiler involved); with `crate`, a complete Rust client crate \
        (Cargo.toml, the value types, the generated modules, property tests and a test that \
        schemars derives exactly the generated schemas) that depends on nothing of privet. Files are written atomically; files no longer generated are \
        removed.\n\n\
        With --check nothing is written: exit 1 and a list of the stale files when anything differs \
        from what would be generated (for CI)."
    )]
    Generate {
        /// Registry root
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The same directory, as other commands take it (`--dir DIR`)
        #[arg(long = "dir", value_name = "DIR", hide = true, conflicts_with = "dir")]
        dir_flag: Option<PathBuf>,
        /// Do not write; fail if any generated file is stale
        #[arg(long)]
        check: bool,
        /// Where the schemas go (overrides [generate] schemas)
        #[arg(long, value_name = "DIR")]
        schemas: Option<String>,
        /// Directory of the Rust client crate (overrides [generate] crate)
        #[arg(long = "crate", value_name = "DIR")]
        crate_dir: Option<String>,
        /// Package name of that crate (overrides [generate] crate_name)
        #[arg(long, value_name = "NAME")]
        crate_name: Option<String>,
        /// Directory of the Python client module and its tests (overrides
        /// [generate] python)
        #[arg(long, value_name = "DIR")]
        python: Option<String>,
    },
    /// Start a registry: privet.toml, a first proposal, schemas/, CI recipes
    #[command(
        long_about = "Start a privet registry in DIR (default: here): a commented \
        privet.toml, proposals/ with a first scaffolded proposal and schemas/ (refused, writing \
        nothing, if any of these exists). Then CI recipes, at the root of the git repository \
        that holds DIR (where CI looks), their commands naming DIR: a GitHub Actions workflow \
        (.github/workflows/privet.yml) and a GitLab CI job (.gitlab-ci.yml) that run `privet \
        audit` and `privet generate --check`, and a pre-commit hook (.pre-commit-config.yaml) \
        that runs what holds before a commit exists (`privet check --before-commit`, `privet \
        generate --check`). A recipe whose file exists is skipped, and init prints what to add \
        to it by hand; --no-recipes writes none. privet writes nothing else into the tree (its \
        history cache lives in .git/)."
    )]
    Init {
        /// Where to start the registry
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write no CI recipes (GitHub Actions, GitLab CI, pre-commit); init says
        /// which commands to add to your own
        #[arg(long)]
        no_recipes: bool,
    },
    /// Approve the current definition of a metric, as a configured reviewer
    #[command(
        long_about = "Approve the current definition of a metric, as a configured reviewer.\n\n\
        Writes status = \"approved\" and the [approval] block (by, date, fingerprint of the \
        definition) into the proposal, preserving its comments, formatting, line endings, \
        permissions and symlink. Approving the \
        same definition again adds the reviewer to `by` (for a quorum); approving a changed \
        definition starts a new approval. Refuses reviewers who are not configured, anyone \
        who wrote the definition (its introducing commit or a later change), uncommitted \
        proposals and proposals with error-level findings.\n\n\
        With signed approvals (the default, [review] approvals = \"signed\"), the approval \
        carries the reviewer's SSH signature over the metric's name and fingerprint, in the \
        format of `ssh-keygen -Y sign` (namespace privet-approval), written under \
        [approval.signatures]. The key is --key PATH (an OpenSSH private key, or a public key \
        whose private half ssh-agent holds), else git's user.signingkey. It must be one of the \
        reviewer's keys in privet.toml. A valid signature holds whoever commits it and however \
        it is merged.\n\n\
        With approvals = \"commits\" (weaker), the approval counts once the reviewer commits \
        it: the commit that writes it must be authored by one of the reviewer's emails in \
        [review.reviewers] (approval-forged otherwise)."
    )]
    Approve {
        /// Metric name
        name: String,
        /// The approving reviewer (a handle of [review.reviewers] in privet.toml)
        #[arg(long, value_name = "REVIEWER")]
        by: String,
        /// The SSH key to sign with: a private key file, or a public key (.pub) whose
        /// private half ssh-agent holds. Default: git's user.signingkey
        #[arg(long, value_name = "PATH")]
        key: Option<PathBuf>,
        /// For `privet approve privet.toml`: the branch whose trust anchors the change
        /// replaces (its reviewers and keys sign)
        #[arg(long, value_name = "REF")]
        base: Option<String>,
        /// Registry root
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Date of the approval (YYYY-MM-DD), default today
        #[arg(long, value_name = "DATE", value_parser = parse_date, hide = true)]
        today: Option<Date>,
    },
    /// Scan JSON payloads (JSON Lines, or JSON documents) for personal data
    #[command(
        long_about = "Scan JSON payloads for personal data and identifying values: emails, \
        IP addresses and ranges, MAC addresses, host names (including `pid@host`), URLs with \
        credentials, home-directory paths, phone, card (Luhn) and IBAN (mod 97) numbers, \
        secrets and tokens, coordinates, timestamps finer than a day, and persistent ids \
        (except the envelope's `installation_id`).\n\n\
        The input is JSON Lines (one payload per line), or JSON documents spanning lines \
        (one pretty-printed document, or several in a row as `jq .` prints them); a \
        trailing comma is reported and read past, invalid UTF-8 is reported at its line and \
        column and the rest scanned. Scanning is \
        structure-aware: each value is judged with its key (a 16-digit `db_size_bytes` is \
        not a card number; anything under `*password*` or `*_key` is a secret; an opaque \
        token under `*_id` is an identifier; in `[\"php\", \"version\", \"8.2.15\"]` the value \
        is judged under `version`). Keys starting with `_` are skipped. Matches are shown \
        redacted.\n\n\
        Identifying means rare: a value that at least K distinct installations sent \
        (--min-installations, default 5) is what the product ships, not what identifies an \
        installation, and is not reported; the report says how many installations it saw and \
        how many findings it left out. A payload's installation is the value at \
        --installation (default `/installation_id`); payloads that name none are no evidence of \
        how many installations sent a value and count toward nothing (`--installation none` \
        counts each payload as an installation of its own). \
        A credential recognised by what it is (under a password or token key, a provider's \
        token format, a private key, a URL with a password) is reported however common.\n\n\
        Exit codes: 0 nothing found, 1 findings, 2 unreadable input or invalid JSON."
    )]
    Scan {
        /// Files to scan (`-` for standard input)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value = "human")]
        format: ScanFormat,
        /// Registry root whose privet.toml lists the project's own public hosts ([pii] public_hosts)
        #[arg(long, value_name = "DIR")]
        registry: Option<PathBuf>,
        /// JSON pointer of the installation id in each payload (`none`: every
        /// payload is an installation of its own)
        #[arg(long, value_name = "POINTER", default_value = crate::rarity::DEFAULT_POINTER)]
        installation: String,
        /// A value sent by at least K distinct installations is common, not
        /// identifying, and is not reported (passwords and providers' tokens always are)
        #[arg(long, value_name = "K", default_value_t = crate::rarity::DEFAULT_K)]
        min_installations: usize,
    },
    /// Check payloads that arrived against the registry: envelope, metrics, resolution, PII
    #[command(
        long_about = "Check payloads that arrived (JSON Lines, or JSON documents) against the \
        registry: each must be an event envelope (`installation_id`, `event`, `schema_version`, \
        `sent`, `metrics`) as the generated types send it; every metric must be one the registry \
        ships in that event, every field one it declares, every value of the declared \
        resolution (a bucket label, a listed value, a version cut to its parts, a truncated \
        date). Every string and number is also scanned for personal data, as `privet scan` does. \
        Each problem is printed with its line, its JSON pointer and what the registry expects \
        there; a summary says which events and schema versions came in and which of the \
        registry's shipped metrics were seen.\n\n\
        Identifying means rare: a personal-data finding whose value at least 5 installations \
        (their `installation_id`) sent is common, not identifying, and is left out \
        (credentials never are). Within one input that is judged across its payloads; with \
        --rarity-state FILE, across runs too, for a collector that validates payloads as they \
        come: FILE keeps which installations sent each flagged value as keyed hashes only \
        (never a value; the key is in FILE.key, readable by its owner only), at most a \
        million values (29 MB).\n\n\
        A collector written in Rust can run the same check on each payload with \
        `privet::validate::Validator`.\n\n\
        Exit codes: 0 every payload valid, 1 problems, 2 unreadable input or registry."
    )]
    Validate {
        /// Payload files (`-` for standard input)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Registry root
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value = "human")]
        format: ValidateFormat,
        /// Judge rarity across runs: keep, in FILE, which installations sent
        /// each flagged value (keyed hashes only; the key in FILE.key)
        #[arg(long, value_name = "FILE")]
        rarity_state: Option<PathBuf>,
    },
    /// Import metric definitions from another telemetry system as proposals
    #[command(subcommand)]
    Import(ImportSource),
    /// The review request of a metric as Markdown, ready to paste into a pull request
    #[command(
        long_about = "The review request of a metric as Markdown, ready to paste into a pull \
        request: its status, owners, events, expiry, approval and introducing commit; every \
        checklist question with its answer; each field with what it is reported as and its \
        share of the metric's identifying bits; every audit finding about it (sample payloads \
        built from the proposal); and the definition's diff against the last approved one. \
        A reviewer decides from this page alone, then approves with `privet approve`."
    )]
    Review {
        /// Metric name
        name: String,
        /// Registry root
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// A metric's story: introducing commit, each change with its diff, each approval
    Log {
        /// Metric name
        name: String,
        /// Registry root
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value = "human")]
        format: LogFormat,
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
        /// Owner of the metric (repeatable); default: git's user.name (with user.email), else $USER
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

/// `--format` of `privet log`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// the story as text: each commit, its change and the definition diff
    Human,
    /// one JSON object: the metric, its introducing commit and every event
    Json,
}

impl From<LogFormat> for Format {
    fn from(f: LogFormat) -> Format {
        match f {
            LogFormat::Human => Format::Human,
            LogFormat::Json => Format::Json,
        }
    }
}

/// Where `privet import` reads definitions from.
#[derive(Subcommand, Debug)]
enum ImportSource {
    /// Mozilla Glean's metrics.yaml (and pings.yaml) as privet proposals
    #[command(
        long_about = "Mozilla Glean's metrics.yaml (and pings.yaml) as privet proposals: one \
        proposal per metric, named <category>_<name>, in a directory per category under \
        proposals/glean/ (or --out). Pings become events, notification_emails the owners, \
        expires the expiry, the description's first sentence the summary (the whole \
        description is kept in [import] for the checklist answers), data_reviews and bugs \
        the references. Types map to low-resolution fields where one exists: counter and \
        quantity to bucketed counts, boolean to bool, labeled metrics with listed labels to \
        maps, timespans and timing distributions to bucketed durations, memory and custom \
        distributions to bucketed counts, rates to a numerator and denominator, event \
        extras field by field. What has no low-resolution equivalent (string, text, url, \
        uuid, datetime, string_list, object, free labels, a version as expiry) is left out \
        and written to [import] undecided, which fails the audit (import-undecided) until \
        the author decides. Nothing is written if a proposal is in the way (see --force), \
        or if the YAML cannot be read: a syntax error, a key given twice, a second document, \
        a pings file given as the metrics file (by its $schema). \
        Exit codes: 0 done, 1 done but some definitions could not be read (listed with \
        their line), 2 nothing written."
    )]
    Glean {
        /// Glean's metrics.yaml
        metrics: PathBuf,
        /// Glean's pings.yaml (its pings become events)
        pings: Option<PathBuf>,
        /// Registry root
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Directory for the proposals [default: glean/ in the proposals directory]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace proposals an earlier import wrote (edits made to them since are
        /// lost); files it did not write are never replaced
        #[arg(long)]
        force: bool,
    },
}

/// `--format` of `privet validate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ValidateFormat {
    /// a line per problem (file:line: pointer: kind: message, then what is expected) and a summary
    Human,
    /// one JSON object: per file its problems (line, pointer, kind, message, expected), and the summary
    Json,
}

impl From<ValidateFormat> for Format {
    fn from(f: ValidateFormat) -> Format {
        match f {
            ValidateFormat::Human => Format::Human,
            ValidateFormat::Json => Format::Json,
        }
    }
}

/// `--format` of `privet scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ScanFormat {
    /// one line per finding: file:line:column, kind, JSON pointer and the match redacted
    Human,
    /// JSON Lines: one object per finding (file, line, pointer, kind, start, end)
    Json,
    /// GitHub Actions workflow commands: an annotation per finding
    Github,
    /// SARIF 2.1.0, one document (for code-scanning services)
    Sarif,
}

impl From<ScanFormat> for Format {
    fn from(f: ScanFormat) -> Format {
        match f {
            ScanFormat::Human => Format::Human,
            ScanFormat::Json => Format::Json,
            ScanFormat::Github => Format::Github,
            ScanFormat::Sarif => Format::Sarif,
        }
    }
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
    // Not locked for the run: a panic on a worker thread prints to stderr,
    // and would wait for ever on a lock the main thread holds while it
    // waits for that worker (a crash would become a hang).
    let mut err = ShownLines::new(std::io::stderr());
    let code = run(args, &mut stdout.lock(), &mut err);
    let _ = err.flush();
    code
}

/// A writer for the terminal's error stream: each line, as it completes,
/// with control and hidden characters escaped (file names, keys and commit
/// subjects from input are quoted in errors and notes, and must not move
/// the cursor, clear the screen or reorder the text). Everything on the
/// error stream is for people, so nothing there needs the raw characters.
struct ShownLines<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> ShownLines<W> {
    fn new(inner: W) -> Self {
        ShownLines {
            inner,
            pending: Vec::new(),
        }
    }

    fn write_line(&mut self, line: &[u8]) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(line);
        self.inner
            .write_all(crate::text::shown_lines(&text).as_bytes())
    }
}

impl<W: Write> Write for ShownLines<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') {
            let rest = self.pending.split_off(end + 1);
            let lines = std::mem::replace(&mut self.pending, rest);
            self.write_line(&lines)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.write_line(&rest)?;
        }
        self.inner.flush()
    }
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
    let code = match cli.command {
        Command::Check {
            dir,
            dir_flag,
            format,
            today,
            history,
            samples,
            before_commit,
        } => {
            let dir = dir_flag.unwrap_or(dir);
            let options = Options {
                today: today.unwrap_or_else(Date::today),
                history: if before_commit {
                    HistoryMode::Skip
                } else {
                    history.into()
                },
                samples: if samples {
                    Samples::Model
                } else {
                    Samples::Off
                },
                base: None,
            };
            commands::check::run_check(&dir, &options, before_commit, format, out, err)
        }
        Command::Audit {
            dir,
            dir_flag,
            format,
            history,
            base,
        } => {
            let dir = dir_flag.unwrap_or(dir);
            let options = Options {
                history: history.into(),
                samples: Samples::Model,
                base,
                ..Options::default()
            };
            commands::audit::run_audit(&dir, &options, format, None, out, err)
        }
        Command::Generate {
            dir,
            dir_flag,
            check,
            schemas,
            crate_dir,
            crate_name,
            python,
        } => {
            let dir = dir_flag.unwrap_or(dir);
            let result = commands::generate::generate_files(
                &dir,
                &commands::generate::GenerateOverrides {
                    schemas,
                    crate_dir,
                    crate_name,
                    python,
                },
                check,
                crate::generate::FIX_COMMAND,
            );
            match result {
                // The stale files are the check's report: on the output, as
                // findings are; the verdict goes to the error stream.
                Err(mut e) if check && e.code == report::EXIT_FINDINGS => {
                    let _ = out.write_all(report::printable_text(&e.preface).as_bytes());
                    e.preface.clear();
                    print(Err(e), out, err)
                }
                result => print(result, out, err),
            }
        }
        Command::Init { dir, no_recipes } => {
            print(commands::init::init(&dir, !no_recipes), out, err)
        }
        Command::Approve {
            name,
            by,
            key,
            base,
            dir,
            today,
        } => print(
            commands::approve::approve(
                &dir,
                &name,
                &by,
                key.as_deref(),
                base.as_deref(),
                today.unwrap_or_else(Date::today),
            ),
            out,
            err,
        ),
        Command::Log { name, dir, format } => {
            print(commands::log::log(&dir, &name, format.into()), out, err)
        }
        Command::Scan {
            files,
            format,
            registry,
            installation,
            min_installations,
        } => commands::scan::run_scan(
            &files,
            registry.as_deref(),
            &commands::scan::RarityOptions {
                pointer: (installation != "none").then_some(installation),
                k: min_installations,
            },
            format.into(),
            out,
            err,
        ),
        Command::Import(ImportSource::Glean {
            metrics,
            pings,
            dir,
            out: out_dir,
            force,
        }) => commands::import::run_import_glean(
            &commands::import::GleanImport {
                dir: &dir,
                metrics: &metrics,
                pings: pings.as_deref(),
                out: out_dir.as_deref(),
                force,
            },
            out,
            err,
        ),
        Command::Review { name, dir } => print(commands::review::review(&dir, &name), out, err),
        Command::Validate {
            files,
            dir,
            format,
            rarity_state,
        } => commands::validate::run_validate(
            &dir,
            &files,
            rarity_state.as_deref(),
            format.into(),
            out,
            err,
        ),
        Command::New {
            name,
            dir,
            owners,
            events,
        } => print(
            commands::new::new_proposal(&dir, &name, owners, events),
            out,
            err,
        ),
        Command::Explain { rule } => print(commands::explain::explain(rule.as_deref()), out, err),
    };
    let _ = out.flush();
    code
}

/// Prints a command's result: its text on `out`, or the error on `err`.
fn print(result: Result<String, CommandError>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match result {
        // Messages quote names, keys and commit subjects from input:
        // control characters are escaped before they reach a terminal.
        Ok(text) => {
            // JSON (`log --format json`) keeps its text valid: hidden
            // characters become JSON escapes, not Rust ones.
            let shown = if text.trim_start().starts_with(['{', '[']) {
                crate::text::json_safe(&text)
            } else {
                report::printable_text(&text)
            };
            let _ = out.write_all(shown.as_bytes());
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(err, "{}", report::printable_text(&e.to_string()));
            e.code
        }
    }
}
