//! `privet init [DIR]`: the files a new registry starts with. The text is
//! pure ([`files`]); [`init`] writes it and refuses to overwrite anything.

use super::Identity;
use crate::scaffold::Scaffold;
use std::path::Path;

use crate::date::Date;
use crate::files::display;
use crate::scaffold;

use super::CommandError;

/// `privet init`: a new registry in `dir` (created if missing): a commented
/// `privet.toml`, a first proposal and the schemas directory, refused
/// (nothing written) when any of those files exists; then the CI recipes
/// (GitHub Actions, GitLab CI, pre-commit) at the repository's root, each
/// skipped with what to add by hand when its file exists.
pub fn init(dir: &Path, with_recipes: bool) -> Result<String, CommandError> {
    if dir.exists() && !dir.is_dir() {
        return Err(CommandError::usage(format!(
            "`{}` is a file, not a directory",
            display(dir)
        )));
    }
    // A directory that does not exist yet is created first: what is inside
    // it (and whether a link leads out) is judged from where it is.
    let created = !dir.exists();
    if created && let Err(e) = std::fs::create_dir_all(dir) {
        return Err(CommandError::usage(format!(
            "cannot create {}: {e}",
            display(dir)
        )));
    }
    let result = init_in(dir, with_recipes);
    if created && result.is_err() {
        let _ = std::fs::remove_dir(dir);
    }
    result
}

fn init_in(dir: &Path, with_recipes: bool) -> Result<String, CommandError> {
    let who = Identity::of_git(dir);
    let files = registry_files(&who, Date::today());
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| std::fs::symlink_metadata(dir.join(path)).is_ok())
        .map(|(path, _)| path.clone())
        .collect();
    // A committed link (`schemas/` to elsewhere) would have init write
    // outside the directory it was given.
    if let Some((path, _)) = files
        .iter()
        .find(|(path, _)| !crate::files::stays_inside(dir, &dir.join(path)))
    {
        return Err(CommandError::usage(format!(
            "refusing to write {}: through a symlink it leads outside {}",
            display(&dir.join(path)),
            display(dir)
        ))
        .help("replace the link with a directory"));
    }
    if !existing.is_empty() {
        return Err(CommandError::usage(format!(
            "{} already exist{} in {}; privet init never overwrites a file",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            display(dir)
        ))
        .help("move them aside, or init another directory"));
    }
    let mut written = Vec::new();
    for (path, contents) in &files {
        let target = dir.join(path);
        if let Err(e) = crate::files::create_new(&target, contents) {
            // Take back what this run wrote: init happens whole or not at all.
            for done in &written {
                let _ = std::fs::remove_file(dir.join(done));
            }
            return Err(CommandError::usage(format!(
                "cannot write {}: {e}",
                display(&target)
            )));
        }
        written.push(path.clone());
    }
    let mut out = format!("initialized a privet registry in {}:\n", display(dir));
    for path in &written {
        out.push_str(&format!("  created {path}\n"));
    }
    out.push_str(&write_recipes(dir, with_recipes));
    out.push_str(
        "next:\n  1. list your reviewers, their SSH public keys and commit emails under [review.reviewers] in privet.toml\n  \
         2. answer the checklist in proposals/installation_size.toml (`privet check` lists what is open)\n  \
         3. commit; a reviewer signs an approval with `privet approve installation_size --by HANDLE --key ~/.ssh/id_ed25519`\n  \
         4. `privet generate` writes the JSON Schemas; CI runs `privet audit` and `privet generate --check`\n",
    );
    Ok(out)
}

/// Writes the CI recipes where CI looks for them: at the root of the git
/// repository that holds `dir` (else in `dir`), with commands that name
/// `dir` from there. A recipe file that exists is left alone, and the
/// report says what to add to it by hand; `with_recipes` false writes none.
fn write_recipes(dir: &Path, with_recipes: bool) -> String {
    let (root, registry) = match git2::Repository::discover(dir)
        .ok()
        .and_then(|r| r.workdir().and_then(|w| w.canonicalize().ok()))
        .zip(dir.canonicalize().ok())
    {
        Some((root, here)) if here.starts_with(&root) => {
            let rel = here.strip_prefix(&root).unwrap_or(Path::new(""));
            (root.clone(), display(rel))
        }
        _ => (dir.to_path_buf(), String::new()),
    };
    let registry = if registry == "." {
        String::new()
    } else {
        registry
    };
    let named = if registry.is_empty() {
        String::new()
    } else {
        format!(" {registry}")
    };
    if !with_recipes {
        return format!(
            "CI recipes not written (--no-recipes): run `privet audit{named}` and `privet generate --check{named}` in CI, and `privet check --before-commit{named}` as a pre-commit hook\n"
        );
    }
    let mut out = String::new();
    for (path, contents) in recipes(&registry) {
        let target = root.join(&path);
        if std::fs::symlink_metadata(&target).is_ok() {
            out.push_str(&format!(
                "  skipped {} (it exists; privet init never overwrites a file): add privet to it by hand, as this would have written:\n{}\n",
                display(&target),
                contents
                    .lines()
                    .map(|l| format!("    {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
            continue;
        }
        if !crate::files::stays_inside(&root, &target) {
            out.push_str(&format!(
                "  skipped {}: through a symlink it leads outside {}\n",
                display(&target),
                display(&root)
            ));
            continue;
        }
        match crate::files::create_new(&target, &contents) {
            Ok(()) => out.push_str(&format!("  created {}\n", display(&target))),
            Err(e) => out.push_str(&format!("  skipped {}: {e}\n", display(&target))),
        }
    }
    out
}

/// The first proposal's metric name.
pub const FIRST_METRIC: &str = "installation_size";

/// `(path relative to the registry root, contents)` of every file `init`
/// writes, for a registry at the repository's root: its own files, then
/// the CI recipes.
pub fn files(who: &Identity, today: Date) -> Vec<(String, String)> {
    let mut all = registry_files(who, today);
    all.extend(recipes(""));
    all
}

/// The registry's own files: `privet.toml`, the first proposal, the
/// schemas directory's README (the CI recipes are [`recipes`]).
fn registry_files(who: &Identity, today: Date) -> Vec<(String, String)> {
    let owner = who
        .owner()
        .or_else(|| who.email.clone())
        .unwrap_or_else(|| "maintainers".into());
    let proposal = scaffold::render(&Scaffold {
        name: FIRST_METRIC,
        owners: &[owner],
        events: &["heartbeat".to_string()],
        expires: today.add_days(365),
        schema: Some(format!(
            "#:schema ../{EDITOR_DIR}/{}",
            crate::config::EDITOR_PROPOSAL_SCHEMA
        )),
    });
    vec![
        ("privet.toml".into(), config(who)),
        (format!("proposals/{FIRST_METRIC}.toml"), proposal),
        ("schemas/README.md".into(), SCHEMAS_README.into()),
    ]
}

/// The CI recipes (GitHub Actions, GitLab CI, pre-commit), as paths from
/// the repository root, for a registry at `registry` from that root (`""`
/// for the root itself): each command names the registry's directory, and
/// the pre-commit hook's file filters look under it.
pub fn recipes(registry: &str) -> Vec<(String, String)> {
    let registry = registry.trim_end_matches('/');
    let adapt = |text: &str| -> String {
        let text = text.replace("{VERSION}", env!("CARGO_PKG_VERSION"));
        let text = text.as_str();
        if registry.is_empty() {
            return text.to_string();
        }
        let arg = if registry.contains([' ', '"', '\'', '$']) {
            format!("'{}'", registry.replace('\'', "'\\''"))
        } else {
            registry.to_string()
        };
        let pattern: String = registry
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                    c.to_string()
                } else {
                    format!("\\{c}")
                }
            })
            .collect();
        text.replace("privet audit", &format!("privet audit {arg}"))
            .replace(
                "privet generate --check",
                &format!("privet generate --check {arg}"),
            )
            .replace(
                "privet check --before-commit",
                &format!("privet check --before-commit {arg}"),
            )
            .replace("files: ^(", &format!("files: ^{pattern}/("))
    };
    vec![
        (
            ".github/workflows/privet.yml".into(),
            adapt(GITHUB_WORKFLOW),
        ),
        (".gitlab-ci.yml".into(), adapt(GITLAB_CI)),
        (".pre-commit-config.yaml".into(), adapt(PRE_COMMIT)),
    ]
}

/// A reviewer handle from a name or an email: lowercase letters, digits
/// and `_`.
fn handle(who: &Identity) -> String {
    let source = who
        .name
        .as_deref()
        .or(who.email.as_deref().and_then(|e| e.split('@').next()))
        .unwrap_or("maintainer");
    let mut out = String::new();
    for c in source.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "maintainer".into()
    } else {
        out
    }
}

/// The public key line of git's `user.signingkey` (a key line, or a
/// `.pub` file), if it is one.
fn public_key_line(spec: &str) -> Option<String> {
    let spec = spec.strip_prefix("key::").unwrap_or(spec).trim();
    let text = if spec.starts_with("ssh-") || spec.starts_with("ecdsa-") {
        spec.to_string()
    } else {
        let path = match spec.strip_prefix("~/") {
            Some(rest) => std::path::Path::new(&std::env::var_os("HOME")?).join(rest),
            None => std::path::PathBuf::from(spec),
        };
        std::fs::read_to_string(path).ok()?
    };
    let key = crate::signature::public_key(text.lines().next()?).ok()?;
    key.to_openssh().ok()
}

/// Where `init` configures the editor schemas (`[generate] editor`).
const EDITOR_DIR: &str = "schemas/editor";

fn config(who: &Identity) -> String {
    // You, commented out: whoever proposes a metric cannot approve it.
    let reviewer = match &who.email {
        Some(email) => format!(
            "# [review.reviewers.{handle}]   # you: but whoever proposes a metric cannot approve it\n\
             # keys = [\"{key}\"]\n\
             # emails = [\"{email}\"]\n",
            handle = handle(who),
            key = who
                .signing_key
                .as_deref()
                .and_then(public_key_line)
                .unwrap_or_else(|| "ssh-ed25519 AAAA… (the line of your key's .pub file)".into()),
        ),
        None => String::new(),
    };
    format!(
        r#"#:schema {EDITOR_DIR}/{config_schema}
# privet registry configuration. Every key is optional; `privet explain`
# and the README document them. Check this registry with `privet check`,
# audit it as CI does with `privet audit`, generate with `privet generate`.

# Where the proposals live, relative to this file.
proposals = "proposals"

# The payloads your client sends; every metric names the events that carry it.
events = ["install", "upgrade", "heartbeat"]

[review]
# Distinct reviewers each approval needs.
quorum = 1
# An approval counts when it carries the reviewer's SSH signature over the
# metric's fingerprint, made with one of their keys (`privet approve` signs).
# It holds whoever commits it and however the pull request is merged. The
# weaker "commits" mode trusts commit emails, which anyone can type.
approvals = "signed"

# Who may approve a metric: the SSH public keys they sign with (the line of
# their key's .pub file; forges publish each user's keys, e.g. at
# https://github.com/USER.keys) and the emails of their commits (so nobody
# approves what they wrote). List at least one reviewer other than the
# people who write proposals:
# [review.reviewers.alice]
# keys = ["ssh-ed25519 AAAA… alice@laptop"]
# emails = ["alice@example.org"]
{reviewer}
[thresholds]
# Re-identification budget of one event payload, in bits (see the README).
max_bits_per_event = 160
# Fields about where and on what an installation runs (country, language,
# time zone, screen, platform), counted together per payload.
max_quasi_identifier_bits = 20

[pii]
# Host names of your own public services: they identify no installation.
public_hosts = []

[generate]
# Where `privet generate` writes the JSON Schemas (draft 2020-12) of every
# metric and event payload, for collectors and clients in any language.
schemas = "schemas"
# A Rust client crate with typed payloads, if your client is in Rust:
# crate = "clients/rust"
# crate_name = "telemetry"
# A Python client module (standard library only) with the same guarantees:
# constructors take raw inputs and keep only the approved resolution.
# python = "clients/python"
# JSON Schemas of proposals and of this file, for editors with a TOML
# language server (Taplo, VS Code's Even Better TOML): key completion, the
# checklist questions on hover, errors as you type. Files point at them with
# their first line, `#:schema` (`privet new` writes it).
editor = "{EDITOR_DIR}"

# A page for your users: every metric that ships, in plain words, who
# approved it, and how to turn collection off. `privet generate` writes
# PATH.md and PATH.html (one self-contained file to publish). Uncomment:
# [page]
# path = "docs/telemetry"
# project = "Your project"
# opt_out = "Set `telemetry = false` in the configuration; nothing is sent while it is off."
"#,
        config_schema = crate::config::EDITOR_CONFIG_SCHEMA,
    )
}

const SCHEMAS_README: &str = "# Payload schemas\n\nJSON Schemas (draft 2020-12) of every metric and event payload, written by\n`privet generate` from the proposals in `../proposals/`. Do not edit them:\nchange a proposal, get it approved, run `privet generate` and commit.\n`privet generate --check` (run in CI) fails when they are stale.\n";

const GITHUB_WORKFLOW: &str = r#"# privet: the privacy gate for telemetry metrics (written by `privet init`).
# Audits every proposal (checklist, types, PII, budget, the reviewers' signed
# approvals) and checks that the generated schemas are fresh. On a pull
# request the trust anchors (reviewers, keys, quorum, limits) come from the
# branch it merges into (--base), never from the change under review.
name: privet

on:
  pull_request:
  push:
    branches: [main]

jobs:
  audit:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write   # only for the optional SARIF upload below
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # provenance needs the full history
      - name: Install privet
        # The wheel, with pip, at the version that wrote this file: seconds,
        # not a build. A repository variable PRIVET_PACKAGE may name another
        # requirement (a wheel's URL, a fork); unset, this version is used.
        env:
          PRIVET_PACKAGE: ${{ vars.PRIVET_PACKAGE }}
        run: |
          python3 -m venv "$RUNNER_TEMP/privet"
          "$RUNNER_TEMP/privet/bin/pip" install --quiet "${PRIVET_PACKAGE:-privet=={VERSION}}"
          echo "$RUNNER_TEMP/privet/bin" >> "$GITHUB_PATH"
          "$RUNNER_TEMP/privet/bin/privet" --version
      - name: Audit the registry
        run: privet audit --format github ${{ github.base_ref && format('--base refs/remotes/origin/{0}', github.base_ref) || '' }}
      - name: Generated files are fresh
        run: privet generate --check
      # Optional: findings in the code-scanning tab.
      # - run: privet audit --format sarif > privet.sarif || true
      # - uses: github/codeql-action/upload-sarif@v3
      #   with:
      #     sarif_file: privet.sarif
"#;

const GITLAB_CI: &str = r#"# privet: the privacy gate for telemetry metrics (written by `privet init`).
# Installs the privet wheel with pip, at the version that wrote this file;
# a CI/CD variable PRIVET_PACKAGE may name another requirement (a wheel's
# URL, a fork).
privet:
  image: python:3.12
  variables:
    GIT_DEPTH: 0   # provenance needs the full history
  script:
    - pip install --quiet "${PRIVET_PACKAGE:-privet=={VERSION}}" && privet --version
    # A merge request's trust anchors come from its target branch (--base).
    - if [ -n "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" ]; then git fetch -q origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" && privet audit --base "refs/remotes/origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"; else privet audit; fi
    - privet generate --check
"#;

const PRE_COMMIT: &str = r#"# privet: the privacy gate for telemetry metrics (written by `privet init`).
# With https://pre-commit.com: `pre-commit install`. pre-commit installs the
# privet wheel with pip (additional_dependencies), at the version that wrote
# this file; nothing else needs to be on PATH.
# What holds before a commit exists: the proposals, the reviewers'
# signatures and the generated files. What only commits can tell (whether an
# edit voided an approval, who wrote a definition) is judged by `privet
# audit` in CI, so a reviewer's approval and an author's edit are never
# blocked here.
repos:
  - repo: local
    hooks:
      - id: privet-check
        name: privet check --before-commit
        entry: privet check --before-commit
        language: python
        additional_dependencies: ["privet=={VERSION}"]
        pass_filenames: false
        files: ^(privet\.toml|proposals/)
      - id: privet-generate
        name: privet generate --check
        entry: privet generate --check
        language: python
        additional_dependencies: ["privet=={VERSION}"]
        pass_filenames: false
        files: ^(privet\.toml|proposals/|schemas/)
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_derived_from_the_name_or_the_email() {
        let who = |n: Option<&str>, e: Option<&str>| Identity {
            name: n.map(str::to_string),
            email: e.map(str::to_string),
            signing_key: None,
        };
        assert_eq!(handle(&who(Some("Jane Q. Doe"), None)), "jane_q_doe");
        assert_eq!(handle(&who(None, Some("j.doe@example.org"))), "j_doe");
        assert_eq!(handle(&who(None, None)), "maintainer");
        assert_eq!(handle(&who(Some("___"), None)), "maintainer");
    }
}
