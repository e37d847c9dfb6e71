//! Parsing `privet.toml`.

use toml_edit::Document;

use super::toml::{Cx, Node};
use crate::config::Config;
use crate::load::proposal::INVALID_VALUE;
use crate::load::toml::EMPTY_LIST;

/// Reads the configuration; every problem is reported and replaced by the default.
pub fn parse(text: &str, cx: &mut Cx) -> Config {
    let mut config = Config::default();
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            super::syntax_error(&e, cx);
            return config;
        }
    };
    let root = Node::new(doc.as_table(), 0..0, "`privet.toml`");
    root.check_keys(
        &[
            "proposals",
            "events",
            "schema_version",
            "review",
            "thresholds",
            "ceilings",
            "pii",
            "generate",
            "page",
        ],
        cx,
    );

    if let Some(dir) = root.string("proposals", cx) {
        match path_problem(&dir.value, PathUse::Read) {
            Some(problem) => {
                cx.emit(&INVALID_VALUE, dir.span, format!("`proposals` {problem}"))
                    .help =
                    Some("name the directory that holds the proposals, e.g. \"proposals\"".into());
            }
            None => config.proposals = dir.value,
        }
    }
    if let Some(events) = root.string_list("events", true, cx) {
        let mut valid = Vec::new();
        for e in events {
            // Event names become type and file names of the generated payloads.
            match crate::names::name_problem(&e.value) {
                None => valid.push(e.value),
                Some(problem) => {
                    cx.emit(
                        &INVALID_VALUE,
                        e.span,
                        format!("event name `{}` is invalid: {problem}", e.value),
                    )
                    .help = Some("name events in snake_case, e.g. \"heartbeat\"".into());
                }
            }
        }
        if !valid.is_empty() {
            config.events = valid;
        }
    }
    if let Some(v) = root.integer("schema_version", cx) {
        config.schema_version = positive(v.value, v.span, "schema_version", cx)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(config.schema_version);
    }
    if let Some((table, span)) = root.table("review", cx) {
        let review = Node::new(table, span, "`[review]`");
        review.check_keys(
            &[
                "reviewers",
                "quorum",
                "approvals",
                "signatures",
                "allowed_signers",
                "approval",
            ],
            cx,
        );
        reviewers(&review, &mut config, cx);
        if let Some((t, span)) = review.table("approval", cx) {
            let node = Node::new(t, span, "`[review.approval]`");
            config.anchors_replaces = node.string("replaces", cx).map(|r| r.value);
            config.anchors_approval = Some(super::proposal::parse_approval_with(
                node,
                &["replaces"],
                cx,
            ));
        }
        if let Some(s) = review.string("approvals", cx) {
            match s.value.as_str() {
                "signed" => config.approvals = crate::config::Approvals::Signed,
                "commits" => config.approvals = crate::config::Approvals::Commits,
                other => {
                    cx.emit(
                        &INVALID_VALUE,
                        s.span,
                        format!("`approvals` is \"{other}\"; it is \"signed\" or \"commits\""),
                    )
                    .help = Some("\"signed\": each approval carries the reviewer's SSH signature (the default); \"commits\": a commit by the reviewer's email wrote it (weaker)".into());
                }
            }
        }
        if let Some(s) = review.string("signatures", cx) {
            match s.value.as_str() {
                "required" => config.require_signatures = true,
                "optional" => config.require_signatures = false,
                other => {
                    cx.emit(
                        &INVALID_VALUE,
                        s.span,
                        format!("`signatures` is \"{other}\"; it is \"required\" or \"optional\""),
                    )
                    .help = Some("\"required\": the commit that writes an approval must carry the reviewer's verified signature".into());
                }
            }
        }
        if let Some(s) = review.string("allowed_signers", cx) {
            match path_problem(&s.value, PathUse::Read) {
                Some(problem) => {
                    cx.emit(
                        &INVALID_VALUE,
                        s.span,
                        format!("`allowed_signers` {problem}"),
                    )
                    .help = Some("e.g. allowed_signers = \".github/allowed_signers\"".into());
                }
                None => config.allowed_signers = Some(s.value),
            }
        }
        if let Some(q) = review.integer("quorum", cx) {
            config.quorum =
                positive(q.value, q.span.clone(), "quorum", cx).unwrap_or(config.quorum);
            let n = config.reviewers.len();
            if n > 0 && config.quorum > n {
                cx.emit(
                    &INVALID_VALUE,
                    q.span,
                    format!(
                        "`quorum` is {}, but only {n} reviewer{} can approve: no metric can ever ship",
                        config.quorum,
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .help = Some(format!("lower `quorum` to at most {n}, or configure more reviewers"));
            }
        }
    }
    if let Some((table, span)) = root.table("thresholds", cx) {
        let t = Node::new(table, span, "`[thresholds]`");
        t.check_keys(
            &[
                "max_buckets",
                "min_answer_words",
                "min_reason_words",
                "min_bucket_ratio",
                "max_bits_per_field",
                "max_bits_per_metric",
                "max_bits_per_event",
                "max_quasi_identifier_bits",
                "sample_cases",
                "expiry_warning_days",
            ],
            cx,
        );
        if let Some(item) = t.get("min_bucket_ratio") {
            let span = super::toml::item_span(item).unwrap_or_default();
            match item
                .as_float()
                .or_else(|| item.as_integer().map(|i| i as f64))
            {
                Some(r) if r > 1.0 => config.thresholds.min_bucket_ratio = r,
                _ => {
                    cx.emit(&INVALID_VALUE, span, "`min_bucket_ratio` must be a number above 1")
                        .help = Some("e.g. min_bucket_ratio = 1.5: each edge from 10 up is at least 1.5 times the one before".into());
                }
            }
        }
        let count = |key: &str, into: &mut usize, cx: &mut Cx| {
            if let Some(v) = t.integer(key, cx) {
                *into = positive(v.value, v.span, key, cx).unwrap_or(*into);
            }
        };
        let th = &mut config.thresholds;
        count("max_buckets", &mut th.max_buckets, cx);
        count("min_answer_words", &mut th.min_answer_words, cx);
        count("min_reason_words", &mut th.min_reason_words, cx);
        count("expiry_warning_days", &mut th.expiry_warning_days, cx);
        for (key, into) in [
            ("sample_cases", &mut th.sample_cases),
            ("max_bits_per_event", &mut th.max_bits_per_event),
            (
                "max_quasi_identifier_bits",
                &mut th.max_quasi_identifier_bits,
            ),
            ("max_bits_per_field", &mut th.max_bits_per_field),
            ("max_bits_per_metric", &mut th.max_bits_per_metric),
        ] {
            bits(&t, key, into, cx);
        }
        // Sampling is the audit's slowest part: a value beyond this would
        // run for hours, not find more.
        if th.sample_cases > MAX_SAMPLE_CASES {
            cx.emit(
                &INVALID_VALUE,
                t.value_span("sample_cases"),
                format!(
                    "`sample_cases` is {}; at most {MAX_SAMPLE_CASES} sample payloads per metric are taken",
                    th.sample_cases
                ),
            )
            .help = Some("the default is 256; a few thousand is plenty for any pattern".into());
            th.sample_cases = MAX_SAMPLE_CASES;
        }
    }
    if let Some((table, span)) = root.table("pii", cx) {
        let pii = Node::new(table, span, "`[pii]`");
        pii.check_keys(&["public_hosts"], cx);
        if let Some(hosts) = pii.string_list("public_hosts", false, cx) {
            let hosts: Vec<String> = hosts.into_iter().map(|h| h.value).collect();
            config.pii = crate::pii::Settings::new(&hosts);
        }
    }
    if let Some((table, span)) = root.table("page", cx) {
        let page = Node::new(table, span, "`[page]`");
        page.check_keys(&["path", "project", "opt_out"], cx);
        let path = page.string("path", cx).and_then(|v| {
            if let Some(problem) = path_problem(&v.value, PathUse::WriteFile) {
                cx.emit(
                    &INVALID_VALUE,
                    v.span,
                    format!("`path` \"{}\" {problem}", v.value),
                )
                .help = Some("e.g. path = \"docs/telemetry\" writes docs/telemetry.md and docs/telemetry.html".into());
                None
            } else {
                Some(v.value)
            }
        });
        if page.get("path").is_none() {
            page.missing(
                "path",
                "say where the page goes: path = \"docs/telemetry\" writes docs/telemetry.md and .html",
                cx,
            );
        }
        let project = page.string("project", cx).map(|v| v.value);
        let opt_out = page.string("opt_out", cx).map(|v| v.value);
        config.page = path.map(|path| crate::config::Page {
            path,
            project: project.unwrap_or_else(|| "This project".into()),
            opt_out: opt_out.unwrap_or_else(|| {
                "This project has not said how to turn collection off yet ([page] opt_out in privet.toml).".into()
            }),
        });
    }
    if let Some((table, span)) = root.table("generate", cx) {
        let g = Node::new(table, span, "`[generate]`");
        g.check_keys(
            &[
                "schemas",
                "crate",
                "crate_name",
                "python",
                "rules",
                "editor",
                "dev_dependencies",
            ],
            cx,
        );
        if let Some((deps, _)) = g.table("dev_dependencies", cx) {
            for (name, item) in deps.iter() {
                let value = match item {
                    toml_edit::Item::Value(v) => Some(v.clone().decorated("", "").to_string()),
                    toml_edit::Item::Table(t) => {
                        let inline: toml_edit::InlineTable = t.clone().into_inline_table();
                        Some(
                            toml_edit::Value::InlineTable(inline)
                                .decorated("", "")
                                .to_string(),
                        )
                    }
                    _ => None,
                };
                if let Some(v) = value {
                    config.generate.dev_dependencies.push((name.to_string(), v));
                }
            }
        }
        let proposals = config.proposals.clone();
        let path = |key: &str, cx: &mut Cx| -> Option<String> {
            let v = g.string(key, cx)?;
            let usage = if key == "rules" {
                PathUse::WriteFile
            } else {
                PathUse::WriteDir
            };
            let problem = path_problem(&v.value, usage).or_else(|| {
                among_proposals(&v.value, &proposals).then_some(
                    "is inside the proposals directory: privet would write among the proposals",
                )
            });
            match problem {
                None => Some(v.value),
                Some(problem) => {
                    cx.emit(&INVALID_VALUE, v.span, format!("`{key}` {problem}"))
                        .help = Some(format!(
                        "e.g. {key} = \"{}\"",
                        if key == "crate" {
                            "clients/rust"
                        } else if key == "python" {
                            "clients/python"
                        } else {
                            "schemas"
                        }
                    ));
                    None
                }
            }
        };
        if let Some(dir) = path("schemas", cx) {
            config.generate.schemas = dir;
        }
        config.generate.crate_dir = path("crate", cx);
        config.generate.python = path("python", cx);
        config.generate.rules = path("rules", cx);
        config.generate.editor = path("editor", cx);
        if let Some(name) = g.string("crate_name", cx) {
            let valid = !name.value.is_empty()
                && name
                    .value
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && name
                    .value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if valid {
                config.generate.crate_name = name.value;
            } else {
                cx.emit(
                    &INVALID_VALUE,
                    name.span,
                    format!("`crate_name` \"{}\" is not a Cargo package name", name.value),
                )
                .help = Some("letters, digits, `-` and `_`, starting with a letter: e.g. \"project-telemetry\"".into());
            }
        }
    }
    if let Some((table, span)) = root.table("ceilings", cx) {
        let c = Node::new(table, span, "`[ceilings]`");
        c.check_keys(&["bits_per_field", "bits_per_metric"], cx);
        bits(
            &c,
            "bits_per_field",
            &mut config.ceilings.bits_per_field,
            cx,
        );
        bits(
            &c,
            "bits_per_metric",
            &mut config.ceilings.bits_per_metric,
            cx,
        );
    }
    for (threshold, value, ceiling, limit) in [
        (
            "max_bits_per_field",
            config.thresholds.max_bits_per_field,
            "bits_per_field",
            config.ceilings.bits_per_field,
        ),
        (
            "max_bits_per_metric",
            config.thresholds.max_bits_per_metric,
            "bits_per_metric",
            config.ceilings.bits_per_metric,
        ),
    ] {
        if value > limit {
            cx.emit(
                &INVALID_VALUE,
                root.value_span("ceilings"),
                format!(
                    "`[ceilings] {ceiling} = {limit}` is below `[thresholds] {threshold} = {value}`"
                ),
            )
            .help = Some(format!(
                "a ceiling bounds what a proposal may ask for: raise `{ceiling}` to at least {value}"
            ));
        }
    }
    config
}

/// `[review] reviewers`: a table from handle to the commit emails that are
/// that reviewer, or (older form) a list of handles without identities.
fn reviewers(review: &Node, config: &mut Config, cx: &mut Cx) {
    let Some(item) = review.get("reviewers") else {
        return;
    };
    if item.is_array() {
        // An empty list means nobody can approve anything: say so.
        if let Some(list) = review.string_list("reviewers", true, cx) {
            config.reviewers = list.into_iter().map(|r| r.value).collect();
        }
        return;
    }
    let Some((table, span)) = review.table("reviewers", cx) else {
        return;
    };
    let node = Node::new(table, span, "`[review.reviewers]`");
    if table.is_empty() {
        cx.emit(
            &EMPTY_LIST,
            review.value_span("reviewers"),
            "`[review.reviewers]` lists nobody: no metric can be approved",
        )
        .help = Some(
            "add each reviewer with the emails of their commits: bob = [\"bob@example.org\"]"
                .into(),
        );
    }
    for (handle, item) in table.iter() {
        if handle.is_empty() || handle.chars().any(|c| c.is_whitespace() || c.is_control()) {
            cx.emit(
                &INVALID_VALUE,
                node.key_span(handle),
                format!("reviewer handle {handle:?} is empty or holds white space"),
            )
            .help =
                Some("a handle is a short name without spaces, written in `[approval] by`".into());
            continue;
        }
        // `bob = ["bob@…"]` (emails only) or `[review.reviewers.bob]` with
        // `keys` and `emails`.
        let (email_list, keys) = if item.is_array() {
            (
                node.string_list(handle, true, cx).unwrap_or_default(),
                Vec::new(),
            )
        } else if let Some((t, span)) = node.table(handle, cx) {
            let what = format!("`[review.reviewers.{handle}]`");
            let reviewer = Node::new(t, span.clone(), &what);
            reviewer.check_keys(&["keys", "emails"], cx);
            let keys = reviewer_keys(&reviewer, config, cx);
            let emails = if reviewer.get("emails").is_some() {
                reviewer.string_list("emails", true, cx).unwrap_or_default()
            } else {
                Vec::new()
            };
            if keys.is_empty() && emails.is_empty() && reviewer.get("keys").is_none() {
                cx.emit(
                    &INVALID_VALUE,
                    span,
                    format!("reviewer `{handle}` has neither keys nor emails"),
                )
                .help = Some(format!(
                    "add the SSH public keys {handle} signs with: keys = [\"ssh-ed25519 AAAA…\"]"
                ));
            }
            (emails, keys)
        } else {
            continue;
        };
        let mut emails = Vec::new();
        for email in email_list {
            let e = email.value.trim().to_lowercase();
            let at = e.find('@');
            if at.is_none_or(|i| i == 0 || i + 1 == e.len()) || e.contains(char::is_whitespace) {
                cx.emit(
                    &INVALID_VALUE,
                    email.span,
                    format!("`{}` is not an email address", email.value),
                )
                .help = Some(
                    "list the email of the reviewer's git commits (`git log --format=%ae`)".into(),
                );
                continue;
            }
            if let Some((other, _)) = config.identities.iter().find(|(_, ids)| ids.contains(&e)) {
                cx.emit(
                    &INVALID_VALUE,
                    email.span,
                    format!(
                        "`{}` is already an identity of reviewer `{other}`",
                        email.value
                    ),
                )
                .help = Some("an email is one person: list it under one reviewer".into());
                continue;
            }
            emails.push(e);
        }
        config.reviewers.push(handle.to_string());
        config.identities.insert(handle.to_string(), emails);
        config.keys.insert(handle.to_string(), keys);
    }
}

/// `keys` of one reviewer: OpenSSH public key lines, each one person's.
fn reviewer_keys(reviewer: &Node, config: &Config, cx: &mut Cx) -> Vec<ssh_key::PublicKey> {
    if reviewer.get("keys").is_none() {
        return Vec::new();
    }
    let mut keys: Vec<ssh_key::PublicKey> = Vec::new();
    for line in reviewer.string_list("keys", true, cx).unwrap_or_default() {
        let key = match crate::signature::public_key(&line.value) {
            Ok(k) => k,
            Err(e) => {
                cx.emit(
                    &INVALID_VALUE,
                    line.span,
                    format!("not an OpenSSH public key ({e})"),
                )
                .help = Some(
                    "paste the line of the key's `.pub` file: \"ssh-ed25519 AAAA… comment\"".into(),
                );
                continue;
            }
        };
        let same = |k: &ssh_key::PublicKey| k.key_data() == key.key_data();
        if let Some((other, _)) = config.keys.iter().find(|(_, ks)| ks.iter().any(same)) {
            cx.emit(
                &INVALID_VALUE,
                line.span,
                format!("this key is already a key of reviewer `{other}`"),
            )
            .help = Some("a key is one person's: list it under one reviewer".into());
            continue;
        }
        if keys.iter().any(same) {
            continue; // `string_list` reports the same line twice; a re-commented key is the same key
        }
        keys.push(key);
    }
    keys
}

/// Most sample payloads per metric and event the audit takes.
const MAX_SAMPLE_CASES: u32 = 100_000;

/// A positive number of bits (or cases) at `key` of `node`, into `into`.
fn bits(node: &Node, key: &str, into: &mut u32, cx: &mut Cx) {
    if let Some(v) = node.integer(key, cx) {
        *into = positive(v.value, v.span, key, cx)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(*into);
    }
}

fn positive(value: i64, span: std::ops::Range<usize>, key: &str, cx: &mut Cx) -> Option<usize> {
    if value >= 1 {
        Some(usize::try_from(value).unwrap_or(usize::MAX))
    } else {
        cx.emit(
            &INVALID_VALUE,
            span,
            format!("`{key}` must be at least 1, found {value}"),
        )
        .help = Some(format!(
            "set `{key}` to a positive number or remove it to use the default"
        ));
        None
    }
}

/// Whether the output path `value` lies in the proposals directory
/// `proposals` (both relative to the registry root).
fn among_proposals(value: &str, proposals: &str) -> bool {
    let parts = |p: &str| -> Vec<String> {
        p.split(['/', '\\'])
            .filter(|p| !p.is_empty() && *p != ".")
            .map(str::to_string)
            .collect()
    };
    let (out, dir) = (parts(value), parts(proposals));
    !dir.is_empty() && out.starts_with(&dir)
}

/// What a path in `privet.toml` is for.
#[derive(Clone, Copy, PartialEq)]
enum PathUse {
    /// Read from (proposals, allowed signers).
    Read,
    /// A directory privet writes and cleans (schemas, crate, editor).
    WriteDir,
    /// A file privet writes (the rules page, the transparency page).
    WriteFile,
}

/// What is wrong with a path of `privet.toml`, if anything. Every path
/// stays inside the registry; privet writes nowhere it does not own: not
/// the registry root itself (among the project's files), not `.git`, not
/// over `privet.toml`.
fn path_problem(value: &str, usage: PathUse) -> Option<&'static str> {
    if value.trim().is_empty() {
        return Some("is empty");
    }
    let parts: Vec<&str> = value
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if std::path::Path::new(value).is_absolute()
        || value.starts_with('~')
        || value.contains(':')
        || parts.contains(&"..")
    {
        return Some("must stay inside the registry (a relative path without `..`)");
    }
    if usage == PathUse::Read {
        return None;
    }
    if parts.iter().any(|p| p.eq_ignore_ascii_case(".git")) {
        return Some("is inside `.git`, which belongs to git: name a directory of the project");
    }
    if parts.is_empty() {
        return Some(
            "is the registry root itself: privet would write and clean up among files it does not own; name a directory of its own",
        );
    }
    if usage == PathUse::WriteFile && parts == [crate::config::FILE_NAME] {
        return Some("would overwrite privet.toml");
    }
    None
}
