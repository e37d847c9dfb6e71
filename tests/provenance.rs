//! Provenance against real git repositories built in temporary directories:
//! introducing commits (cross-checked with `git log --diff-filter=A`),
//! changes, moves, renames, deletes and re-adds, merges, approvals by authors
//! and reviewers, changes after approval, breaking changes, the cache, and
//! honest degradation (no repository, shallow clone, detached HEAD, corrupt
//! objects).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use privet::date::Date;
use privet::pipeline::Options;
use privet::resolve::{Change, History, HistoryMode, Provenance};

const CONFIG: &str = "events = [\"install\", \"heartbeat\"]\n\n[review]\nquorum = 1\napprovals = \"commits\"\n\n[review.reviewers]\nalice = [\"alice@example.org\"]\nbob = [\"bob@example.org\"]\ncarol = [\"carol@example.org\"]\n";

/// A proposal with one count field; `buckets` and `pii` vary per test.
fn proposal(buckets: &str, pii: &str) -> String {
    format!(
        r#"summary = "Number of online workers, bucketed"
owners = ["team"]
events = ["heartbeat"]
expires = 2030-12-31
status = "proposed"
question = "How large are deployments in practice?"
gathering = "Counted from the database once a day."
burden = "One indexed query per day."
pii = "{pii}"
sanitization = "Bucketed at fixed edges."
since = "3.50"
alternatives = "Exact counts, rejected as identifying."
summarization = "Share of installations per bucket."
visualization = "A histogram on the statistics page."

[fields.workers]
type = "count"
buckets = [{buckets}]

[example]
workers = "1"
"#
    )
}

fn default_proposal() -> String {
    proposal("0, 1, 2, 5, 10", "No: the count is a coarse bucket.")
}

struct Repo {
    dir: tempfile::TempDir,
    /// Seconds since the epoch of the next commit (commits one hour apart).
    clock: std::cell::Cell<i64>,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
            clock: std::cell::Cell::new(1_780_000_000),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.write("privet.toml", CONFIG);
        fs::create_dir_all(repo.path().join("proposals")).unwrap();
        repo.commit("alice", "Add privet.toml");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        self.git_as("alice", args)
    }

    fn git_as(&self, who: &str, args: &[&str]) -> String {
        let when = format!("{} +0000", self.clock.get());
        let email = format!("{who}@example.org");
        let out = Command::new("git")
            .args(args)
            .current_dir(self.path())
            .env("GIT_AUTHOR_NAME", who)
            .env("GIT_AUTHOR_EMAIL", &email)
            .env("GIT_AUTHOR_DATE", &when)
            .env("GIT_COMMITTER_NAME", who)
            .env("GIT_COMMITTER_EMAIL", &email)
            .env("GIT_COMMITTER_DATE", &when)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// Replaces `from` (which must be there) with `to` in the file at `rel`.
    fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = fs::read_to_string(self.path().join(rel)).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replace(from, to));
    }

    /// Commits everything as `who`; returns the commit id.
    fn commit(&self, who: &str, subject: &str) -> String {
        self.git_as(who, &["add", "-A"]);
        self.git_as(who, &["commit", "-q", "--allow-empty", "-m", subject]);
        self.clock.set(self.clock.get() + 3600);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    fn history(&self) -> History {
        privet::resolve::history(&self.path().join("proposals"), false).expect("history")
    }

    /// `privet` in the repository.
    fn privet(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_privet"))
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// Findings of a full check (history required), as `(rule, message)`.
    fn findings(&self) -> Vec<(String, String)> {
        let options = Options {
            today: Date::new(2026, 11, 23).unwrap(),
            history: HistoryMode::Required,
            samples: privet::check::Samples::Off,
            base: None,
        };
        let registry = privet::pipeline::check(self.path(), &options).unwrap();
        registry
            .findings
            .iter()
            .map(|d| (d.rule.id.to_string(), d.message.clone()))
            .collect()
    }

    /// The commit `git log --diff-filter=A` names as adding `file` first.
    fn git_added(&self, file: &str) -> String {
        let out = self.git(&[
            "log",
            "--first-parent",
            "--diff-filter=A",
            "--format=%H",
            "--",
            file,
        ]);
        out.lines().last().unwrap_or("").to_string()
    }
}

fn rules(findings: &[(String, String)]) -> Vec<&str> {
    findings.iter().map(|(r, _)| r.as_str()).collect()
}

#[test]
fn introducing_commits_match_git_log_and_changes_are_classified() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    let c1 = repo.commit("alice", "Add workers");
    repo.write("proposals/hosts.toml", &default_proposal());
    let c2 = repo.commit("bob", "Add hosts");
    // A change to what no reviewer decides on (the owners): the definition stays.
    let text = default_proposal().replace("owners = [\"team\"]", "owners = [\"team\", \"ops\"]");
    repo.write("proposals/workers.toml", &text);
    let c3 = repo.commit("carol", "Reword workers visualization");
    // A definition change.
    repo.write(
        "proposals/workers.toml",
        &proposal("0, 1, 2, 5, 10, 20", "No: the count is a coarse bucket."),
    );
    let c4 = repo.commit("carol", "Finer workers buckets");
    // Formatting and comments only.
    let reformatted = proposal("0, 1, 2, 5, 10, 20", "No: the count is a coarse bucket.")
        .replace(
            "[fields.workers]",
            "# the one field\n[fields.workers]   # counted daily",
        )
        .replace("type = \"count\"", "type    =    \"count\"");
    repo.write("proposals/workers.toml", &reformatted);
    let c5 = repo.commit("carol", "Comment workers");

    let h = repo.history();
    for (file, name) in [
        ("proposals/workers.toml", "workers"),
        ("proposals/hosts.toml", "hosts"),
    ] {
        let introduced = h.introduced(name).unwrap();
        assert_eq!(
            h.commit(introduced.commit).id,
            repo.git_added(file),
            "{name}"
        );
    }
    assert_eq!(h.commit(h.introduced("workers").unwrap().commit).id, c1);
    assert_eq!(h.commit(h.introduced("hosts").unwrap().commit).id, c2);
    let kinds: Vec<(String, Change)> = h
        .events("workers")
        .iter()
        .map(|e| (h.commit(e.commit).id.clone(), e.change.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (c1, Change::Added),
            (c3, Change::Edited),
            (c4.clone(), Change::Changed),
            (c5, Change::Edited),
        ]
    );
    let commit = h.commit(h.events("workers")[2].commit);
    assert_eq!(
        (&*commit.author, commit.subject.as_str()),
        ("carol", "Finer workers buckets")
    );
    assert_eq!(commit.id, c4);
}

#[test]
fn moves_renames_deletes_and_readds() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    let added = repo.commit("alice", "Add workers");
    fs::create_dir_all(repo.path().join("proposals/pulp")).unwrap();
    repo.git(&[
        "mv",
        "proposals/workers.toml",
        "proposals/pulp/workers.toml",
    ]);
    repo.commit("alice", "Move workers into pulp/");
    repo.git(&[
        "mv",
        "proposals/pulp/workers.toml",
        "proposals/pulp/worker_count.toml",
    ]);
    let renamed = repo.commit("bob", "Rename workers to worker_count");
    repo.git(&["rm", "-q", "proposals/pulp/worker_count.toml"]);
    repo.commit("bob", "Drop worker_count");
    repo.write("proposals/pulp/worker_count.toml", &default_proposal());
    let readded = repo.commit("carol", "Bring worker_count back");

    let h = repo.history();
    let workers: Vec<Change> = h
        .events("workers")
        .iter()
        .map(|e| e.change.clone())
        .collect();
    assert_eq!(
        workers,
        [
            Change::Added,
            Change::Moved {
                from: "workers.toml".into()
            },
            Change::Deleted
        ]
    );
    assert_eq!(h.commit(h.introduced("workers").unwrap().commit).id, added);
    // A renamed stem is a new metric, introduced by the rename.
    let count: Vec<Change> = h
        .events("worker_count")
        .iter()
        .map(|e| e.change.clone())
        .collect();
    assert_eq!(count, [Change::Added, Change::Deleted, Change::Readded]);
    assert_eq!(
        h.commit(h.introduced("worker_count").unwrap().commit).id,
        renamed
    );
    assert_eq!(h.commit(h.events("worker_count")[2].commit).id, readded);
    assert!(h.present.contains_key("worker_count") && !h.present.contains_key("workers"));
}

#[test]
fn merges_credit_the_branch_author() {
    let repo = Repo::new();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("proposals/workers.toml", &default_proposal());
    let authored = repo.commit("carol", "Propose workers");
    repo.write(
        "proposals/workers.toml",
        &default_proposal().replace("A histogram", "A chart"),
    );
    repo.commit("carol", "Polish workers");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README", "main moves on\n");
    repo.commit("alice", "Unrelated change on main");
    repo.git_as(
        "dave",
        &["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"],
    );
    let merge = repo.git(&["rev-parse", "HEAD"]).trim().to_string();

    let h = repo.history();
    let e = h.introduced("workers").unwrap();
    assert_eq!(
        h.commit(e.commit).id,
        merge,
        "first-parent: the merge introduces it"
    );
    let authors: Vec<&str> = h.authors("workers").iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        authors,
        [authored.as_str()],
        "the branch commit that added it; merging makes nobody an author"
    );

    // carol wrote it on the branch: she cannot approve it, dave merged it: neither can he.
    for who in ["carol", "dave"] {
        let (code, _, err) = repo.privet(&["approve", "workers", "--by", who]);
        assert_eq!(code, 2, "{who}: {err}");
    }
    let (code, out, err) = repo.privet(&["approve", "workers", "--by", "bob"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn approvals_are_bound_to_reviewers_and_definitions() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");

    // The author cannot approve; an unknown reviewer cannot either.
    let (code, _, err) = repo.privet(&["approve", "workers", "--by", "alice"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("wrote the definition of `workers`") && err.contains("Add workers"),
        "{err}"
    );
    let (code, _, err) = repo.privet(&["approve", "workers", "--by", "mallory"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a configured reviewer"), "{err}");

    // A reviewer approves: comments and layout survive, the audit is clean.
    let original = fs::read_to_string(repo.path().join("proposals/workers.toml")).unwrap();
    let (code, out, err) = repo.privet(&["approve", "workers", "--by", "bob"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("approved workers as bob"), "{out}");
    let approved = fs::read_to_string(repo.path().join("proposals/workers.toml")).unwrap();
    assert!(
        approved.starts_with(
            &original.replace("status = \"proposed\"", "status = \"approved\"")[..200]
        )
    );
    assert!(
        approved.contains("[approval]\nby = [\"bob\"]\n"),
        "{approved}"
    );
    repo.commit("bob", "Approve workers");
    assert_eq!(repo.findings(), Vec::<(String, String)>::new());

    // A change after approval: named with its commit and what changed.
    let changed = approved.replace(
        "buckets = [0, 1, 2, 5, 10]",
        "buckets = [0, 1, 2, 3, 4, 5, 10]",
    );
    repo.write("proposals/workers.toml", &changed);
    repo.commit("alice", "Finer buckets for workers");
    let f = repo.findings();
    let stale = f
        .iter()
        .find(|(r, _)| r == "approval-stale")
        .expect("approval-stale");
    assert!(
        stale.1.contains("\"Finer buckets for workers\" by alice"),
        "{}",
        stale.1
    );
    let registry = privet::pipeline::check(
        repo.path(),
        &Options {
            today: Date::new(2026, 11, 23).unwrap(),
            history: HistoryMode::Required,
            samples: privet::check::Samples::Off,
            base: None,
        },
    )
    .unwrap();
    let d = registry
        .findings
        .iter()
        .find(|d| d.rule.id == "approval-stale")
        .unwrap();
    assert!(
        d.help.as_deref().unwrap().contains(
            "field `workers` changed from count [0, 1, 2, 5, 10] to count [0, 1, 2, 3, 4, 5, 10]"
        ),
        "{:?}",
        d.help
    );

    // Uncommitted changes after approval are named as such.
    let repo2 = Repo::new();
    repo2.write("proposals/workers.toml", &default_proposal());
    repo2.commit("alice", "Add workers");
    assert_eq!(repo2.privet(&["approve", "workers", "--by", "carol"]).0, 0);
    repo2.commit("carol", "Approve");
    let text = fs::read_to_string(repo2.path().join("proposals/workers.toml")).unwrap();
    repo2.write(
        "proposals/workers.toml",
        &text.replace("coarse bucket", "coarse bucket, and the host name"),
    );
    let f = repo2.findings();
    assert!(
        f.iter()
            .any(|(r, m)| r == "approval-stale" && m.contains("working tree")),
        "{f:?}"
    );

    // Self-approval written by hand is caught too.
    let text = approved.replace("by = [\"bob\"]", "by = [\"alice\"]");
    repo2.write("proposals/workers.toml", &text);
    let f = repo2.findings();
    assert!(
        f.iter().any(|(r, m)| r == "self-approval"
            && m.contains("`alice` approved a metric whose definition they wrote")),
        "{f:?}"
    );
}

/// Findings of one rule, as messages.
fn of_rule<'f>(f: &'f [(String, String)], rule: &str) -> Vec<&'f str> {
    f.iter()
        .filter(|(r, _)| r == rule)
        .map(|(_, m)| m.as_str())
        .collect()
}

#[test]
fn an_approval_counts_only_when_the_reviewer_committed_it() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");

    // alice writes bob's approval herself and commits it; approve warns her.
    repo.git(&["config", "user.email", "alice@example.org"]);
    let (code, out, _) = repo.privet(&["approve", "workers", "--by", "bob"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("user.email here is alice@example.org, not one of bob's identities"),
        "{out}"
    );
    let forged = repo.commit("alice", "Approve workers");
    let f = repo.findings();
    let m = of_rule(&f, "approval-forged");
    assert_eq!(m.len(), 1, "{f:?}");
    assert!(
        m[0].contains(&forged[..10])
            && m[0].contains("alice <alice@example.org>")
            && m[0].contains("not by bob"),
        "{}",
        m[0]
    );
    assert_eq!(rules(&f), ["approval-forged"], "{f:?}");
    let (code, out, _) = repo.privet(&["check", "--history", "require"]);
    assert_eq!(code, 1);
    assert!(out.contains("error[approval-forged]"), "{out}");

    // Committing the same text again as bob proves nothing: the approval
    // was written by alice's commit and has stood unbroken since.
    repo.replace(
        "proposals/workers.toml",
        "owners = [\"team\"]",
        "owners = [\"ops\"]",
    );
    repo.commit("bob", "Hand the metric to ops");
    assert_eq!(rules(&repo.findings()), ["approval-forged"]);

    // bob removes it and writes it himself: it counts.
    repo.replace("proposals/workers.toml", "by = [\"bob\"]", "by = []");
    repo.commit("bob", "Revoke the approval alice wrote");
    repo.replace("proposals/workers.toml", "by = []", "by = [\"bob\"]");
    repo.commit("bob", "Approve workers");
    assert_eq!(repo.findings(), Vec::<(String, String)>::new());

    // Only in the working tree: carol's approval is not committed yet.
    repo.replace(
        "proposals/workers.toml",
        "by = [\"bob\"]",
        "by = [\"bob\", \"carol\"]",
    );
    let f = repo.findings();
    let m = of_rule(&f, "approval-forged");
    assert!(
        m.len() == 1 && m[0].contains("only in the working tree"),
        "{f:?}"
    );
    repo.commit("carol", "Approve workers too");
    assert_eq!(repo.findings(), Vec::<(String, String)>::new());

    // Whoever changes the definition can no longer approve it: carol makes
    // the buckets finer, then approves her own change.
    repo.replace(
        "proposals/workers.toml",
        "buckets = [0, 1, 2, 5, 10]",
        "buckets = [0, 1, 2, 5, 10, 20]",
    );
    repo.commit("carol", "Finer workers");
    let (code, _, err) = repo.privet(&["approve", "workers", "--by", "carol"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("wrote the definition") && err.contains("Finer workers"),
        "{err}"
    );
}

#[test]
fn a_reviewer_without_identities_cannot_be_bound() {
    let repo = Repo::new();
    repo.write(
        "privet.toml",
        "[review]\napprovals = \"commits\"\nreviewers = [\"alice\", \"bob\"]\n",
    );
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    let (code, out, _) = repo.privet(&["approve", "workers", "--by", "bob"]);
    assert_eq!(code, 0);
    assert!(out.contains("no identities"), "{out}");
    repo.commit("bob", "Approve workers");
    let f = repo.findings();
    let m = of_rule(&f, "approval-forged");
    assert!(
        m.len() == 1 && m[0].contains("no identities in privet.toml"),
        "{f:?}"
    );
}

#[test]
fn merges_count_when_the_reviewer_wrote_or_merged_the_approval() {
    // bob writes the approval on a branch; alice (the author) merges it.
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    repo.git(&["checkout", "-q", "-b", "review"]);
    assert_eq!(repo.privet(&["approve", "workers", "--by", "bob"]).0, 0);
    repo.commit("bob", "Approve workers");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README", "main moves on\n");
    repo.commit("alice", "Unrelated");
    repo.git_as(
        "alice",
        &["merge", "-q", "--no-ff", "-m", "Merge review", "review"],
    );
    assert_eq!(repo.findings(), Vec::<(String, String)>::new());

    // alice writes bob's approval on a branch; bob merges it: the merge he
    // committed vouches for it.
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    repo.git(&["checkout", "-q", "-b", "review"]);
    assert_eq!(repo.privet(&["approve", "workers", "--by", "bob"]).0, 0);
    repo.commit("alice", "Approve workers for bob");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README", "main moves on\n");
    repo.commit("alice", "Unrelated");
    repo.git_as(
        "bob",
        &["merge", "-q", "--no-ff", "-m", "Merge review", "review"],
    );
    assert_eq!(repo.findings(), Vec::<(String, String)>::new());

    // alice writes it on a branch and merges it herself: forged, naming
    // the branch commit and the merge.
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    repo.git(&["checkout", "-q", "-b", "review"]);
    assert_eq!(repo.privet(&["approve", "workers", "--by", "bob"]).0, 0);
    let branch = repo.commit("alice", "Approve workers for bob");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README", "main moves on\n");
    repo.commit("alice", "Unrelated");
    repo.git_as(
        "alice",
        &["merge", "-q", "--no-ff", "-m", "Merge review", "review"],
    );
    let f = repo.findings();
    let m = of_rule(&f, "approval-forged");
    assert!(
        m.len() == 1 && m[0].contains(&branch[..10]) && m[0].contains("merged in"),
        "{f:?}"
    );
}

#[test]
fn required_signatures_are_verified_by_git() {
    let repo = Repo::new();
    let key = repo.path().join(".git/bob_key");
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "bob", "-f"])
        .arg(&key)
        .status();
    let Ok(status) = status else {
        panic!("ssh-keygen is needed for this test (package openssh-client)");
    };
    assert!(status.success());
    let public = fs::read_to_string(key.with_extension("pub")).unwrap();
    let public: Vec<&str> = public.split_whitespace().take(2).collect();
    repo.write(
        "allowed_signers",
        &format!("bob@example.org {}\n", public.join(" ")),
    );
    repo.write(
        "privet.toml",
        &CONFIG.replace(
            "quorum = 1\n",
            "quorum = 1\nsignatures = \"required\"\nallowed_signers = \"allowed_signers\"\n",
        ),
    );
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    assert_eq!(repo.privet(&["approve", "workers", "--by", "bob"]).0, 0);
    repo.commit("bob", "Approve workers, unsigned");
    let f = repo.findings();
    let m = of_rule(&f, "approval-forged");
    assert!(m.len() == 1 && m[0].contains("no good signature"), "{f:?}");

    // Signed by bob's key: it counts.
    repo.replace("proposals/workers.toml", "by = [\"bob\"]", "by = []");
    repo.commit("bob", "Revoke");
    repo.replace("proposals/workers.toml", "by = []", "by = [\"bob\"]");
    let signing = format!("user.signingkey={}", key.display());
    repo.git_as("bob", &["add", "-A"]);
    repo.git_as(
        "bob",
        &[
            "-c",
            "gpg.format=ssh",
            "-c",
            &signing,
            "commit",
            "-q",
            "-S",
            "-m",
            "Approve workers, signed",
        ],
    );
    assert_eq!(repo.findings(), Vec::<(String, String)>::new());
}

#[test]
fn breaking_changes_need_a_new_version() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    assert_eq!(repo.privet(&["approve", "workers", "--by", "bob"]).0, 0);
    repo.commit("bob", "Approve workers");

    // Move a bucket edge and get it approved again: still breaking.
    repo.replace(
        "proposals/workers.toml",
        "buckets = [0, 1, 2, 5, 10]",
        "buckets = [0, 1, 2, 10]",
    );
    repo.commit("alice", "Coarser workers");
    let f = repo.findings();
    assert!(rules(&f).contains(&"breaking-change"), "{f:?}");
    // Approving does not make it compatible: approve refuses, naming the
    // shipped definition.
    let (code, _, err) = repo.privet(&["approve", "workers", "--by", "bob"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("breaking-change") && err.contains("\"Approve workers\""),
        "names the shipped definition: {err}"
    );

    // A new schema version makes it acceptable (after approving that).
    repo.replace(
        "proposals/workers.toml",
        "status = \"approved\"",
        "status = \"approved\"\nversion = 2",
    );
    repo.commit("alice", "workers v2");
    assert_eq!(repo.privet(&["approve", "workers", "--by", "carol"]).0, 0);
    repo.commit("carol", "Approve workers v2");
    assert_eq!(repo.findings(), Vec::<(String, String)>::new());

    // Adding an enum-like value is not breaking: a new field is not either.
    repo.replace(
        "proposals/workers.toml",
        "[example]\n",
        "[fields.enabled]\ntype = \"bool\"\n\n[example]\nenabled = true\n",
    );
    repo.commit("alice", "Add enabled");
    assert_eq!(repo.privet(&["approve", "workers", "--by", "bob"]).0, 0);
    repo.commit("bob", "Approve enabled");
    assert_eq!(repo.findings(), Vec::<(String, String)>::new());
}

#[test]
fn uncommitted_proposals_are_reported_as_such() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    let (code, out, _) = repo.privet(&["check", "--today", "2026-11-23", "--format", "json"]);
    assert_eq!(code, 0, "a warning, not an error: {out}");
    assert!(
        out.contains("\"rule\":\"uncommitted\"") && out.contains("not committed yet"),
        "{out}"
    );
    let (code, _, err) = repo.privet(&["approve", "workers", "--by", "bob"]);
    assert_eq!(code, 2);
    assert!(err.contains("not committed yet"), "{err}");
}

#[test]
fn log_tells_the_story() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    assert_eq!(repo.privet(&["approve", "workers", "--by", "bob"]).0, 0);
    repo.commit("bob", "Approve workers");
    repo.replace(
        "proposals/workers.toml",
        "[0, 1, 2, 5, 10]",
        "[0, 1, 2, 5, 10, 20]",
    );
    repo.commit("alice", "Finer");

    let (code, out, err) = repo.privet(&["log", "workers"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("introduced in")
            && out.contains("\"Add workers\" by alice <alice@example.org>"),
        "{out}"
    );
    assert!(out.contains("approval by bob (fingerprint "), "{out}");
    assert!(
        out.contains("definition changed:")
            && out.contains(
                "field `workers` changed from count [0, 1, 2, 5, 10] to count [0, 1, 2, 5, 10, 20]"
            ),
        "{out}"
    );

    let (code, out, _) = repo.privet(&["log", "workers", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["metric"], "workers");
    assert_eq!(v["introduced"]["subject"], "Add workers");
    let changes: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["change"].as_str().unwrap())
        .collect();
    assert_eq!(
        changes,
        [
            "added",
            "edited (definition unchanged)",
            "definition changed"
        ]
    );
    assert_eq!(v["events"][1]["approval"]["by"][0], "bob");

    let (code, _, err) = repo.privet(&["log", "wrokers"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `workers`?"), "{err}");
}

#[test]
fn the_cache_makes_reruns_cheap_and_walks_only_new_commits() {
    let repo = Repo::new();
    for i in 0..5 {
        repo.write(&format!("proposals/m{i}.toml"), &default_proposal());
        repo.commit("alice", &format!("Add m{i}"));
    }
    let proposals = repo.path().join("proposals");
    let cold = privet::resolve::history(&proposals, true).unwrap();
    assert_eq!(cold.walked, 6);
    // The cache lives in the git directory, not in the project tree.
    assert!(!repo.path().join("target").exists());
    let cache_files: Vec<PathBuf> = fs::read_dir(repo.path().join(".git/privet"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert_eq!(cache_files.len(), 1, "{cache_files:?}");
    let cache = &cache_files[0];
    assert!(
        repo.git(&["status", "--porcelain"]).is_empty(),
        "nothing untracked"
    );
    let warm = privet::resolve::history(&proposals, true).unwrap();
    assert_eq!(warm.walked, 0, "nothing new: the cache answers");
    assert_eq!(warm.metrics, cold.metrics);
    repo.write("proposals/m9.toml", &default_proposal());
    repo.commit("bob", "Add m9");
    let more = privet::resolve::history(&proposals, true).unwrap();
    assert_eq!(more.walked, 1, "only the new commit");
    assert_eq!(more.metrics.len(), 6);
    let cold = repo.history();
    let same = |h: &privet::resolve::History| privet::resolve::History {
        walked: 0,
        ..h.clone()
    };
    assert_eq!(same(&more), same(&cold), "incremental equals a cold walk");
    // Each further commit (an edit, a move, a deletion) is appended to the
    // cache as one segment, not a rewrite; read back, it still equals a
    // cold walk.
    let base = fs::read(cache).unwrap();
    let steps: [(&str, &dyn Fn()); 3] = [
        ("Reword m0", &|| {
            repo.write(
                "proposals/m0.toml",
                &format!("{}\n# reworded\n", default_proposal()),
            )
        }),
        ("Move m1", &|| {
            fs::create_dir_all(repo.path().join("proposals/team")).unwrap();
            fs::rename(
                repo.path().join("proposals/m1.toml"),
                repo.path().join("proposals/team/m1.toml"),
            )
            .unwrap();
        }),
        ("Drop m2", &|| {
            fs::remove_file(repo.path().join("proposals/m2.toml")).unwrap()
        }),
    ];
    for (subject, change) in steps {
        change();
        repo.commit("bob", subject);
        let h = privet::resolve::history(&proposals, true).unwrap();
        assert_eq!(h.walked, 1, "{subject}: only the new commit");
        assert_eq!(fs::read(cache).unwrap(), base, "{subject}: base kept");
        let warm = privet::resolve::history(&proposals, true).unwrap();
        assert_eq!(warm.walked, 0, "{subject}: read back from the tail");
        assert_eq!(same(&warm), same(&repo.history()), "{subject}");
    }
    // A cache that is garbage is ignored.
    let good = fs::read(cache).unwrap();
    fs::write(cache, "{not json").unwrap();
    assert_eq!(
        privet::resolve::history(&proposals, true).unwrap().walked,
        10
    );
    // A tampered cache (an author rewritten so that she could approve her
    // own metric) does not verify: history is walked again and the truth is
    // told.
    let text = String::from_utf8_lossy(&good);
    let at = text
        .find("alice@example.org")
        .expect("the email is in the cache");
    let mut tampered = good.clone();
    tampered[at..at + 5].copy_from_slice(b"carol");
    fs::write(cache, &tampered).unwrap();
    let h = privet::resolve::history(&proposals, true).unwrap();
    assert_eq!(h.walked, 10, "a tampered cache forces a walk");
    assert_eq!(
        h.commit(h.introduced("m0").unwrap().commit).email,
        "alice@example.org".into()
    );
}

#[test]
fn a_corrupt_object_is_found_with_a_warm_cache() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    let (code, out, _) = repo.privet(&["check", "--history", "require"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        privet::resolve::history(&repo.path().join("proposals"), true)
            .unwrap()
            .walked,
        0
    );
    let blob = repo
        .git(&["rev-parse", "HEAD:proposals/workers.toml"])
        .trim()
        .to_string();
    let object = repo
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    let mut perms = fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&object, perms).unwrap();
    fs::write(&object, b"garbage").unwrap();
    let (code, out, _) = repo.privet(&["check", "--history", "require", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("\"rule\":\"history-unavailable\"") && out.contains(&blob),
        "{out}"
    );
}

#[test]
fn degradation() {
    // No repository: `check` notes it and passes; the audit mode reports it.
    let plain = tempfile::tempdir().unwrap();
    fs::create_dir(plain.path().join("proposals")).unwrap();
    fs::write(
        plain.path().join("proposals/workers.toml"),
        default_proposal(),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .arg("check")
        .current_dir(plain.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("provenance not checked"));
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(["check", "--history", "require", "--format", "json"])
        .current_dir(plain.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"rule\":\"history-unavailable\""));

    // A repository without commits.
    let empty = Repo {
        dir: tempfile::tempdir().unwrap(),
        clock: std::cell::Cell::new(0),
    };
    empty.git(&["init", "-q"]);
    empty.write("proposals/workers.toml", &default_proposal());
    assert!(matches!(
        privet::resolve::history(&empty.path().join("proposals"), false),
        Err(privet::resolve::Unavailable::NoCommits)
    ));

    // A shallow clone: a finding that says how to fetch everything.
    let repo = Repo::new();
    for i in 0..3 {
        repo.write(&format!("proposals/m{i}.toml"), &default_proposal());
        repo.commit("alice", &format!("Add m{i}"));
    }
    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(shallow.path().join("clone"))
        .status()
        .unwrap();
    assert!(status.success());
    let clone = shallow.path().join("clone");
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(["check", "--format", "json"])
        .current_dir(&clone)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("shallow clone") && stdout.contains("fetch-depth: 0"),
        "{stdout}"
    );

    // A detached HEAD works like any other.
    let first = repo
        .git(&["rev-list", "--max-parents=0", "HEAD"])
        .trim()
        .to_string();
    let second = repo
        .git(&["rev-list", "--reverse", "HEAD"])
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    repo.git(&["checkout", "-q", "--detach", &second]);
    let h = repo.history();
    assert_eq!(h.head, second);
    assert_ne!(h.head, first);
    assert!(h.introduced("m0").is_some() && h.introduced("m1").is_none());
    repo.git(&["checkout", "-q", "main"]);

    // A corrupt object: a finding naming the problem, the other stages still run.
    let blob = repo
        .git(&["rev-parse", "HEAD~1:proposals/m1.toml"])
        .trim()
        .to_string();
    let object = repo
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    let mut perms = fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&object, perms).unwrap();
    fs::write(&object, b"garbage").unwrap();
    repo.write("proposals/broken.toml", "summary = \"unterminated\n");
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(["check", "--format", "json"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("\"rule\":\"history-unavailable\"") && stdout.contains("git fsck"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\"rule\":\"toml-syntax\""),
        "other stages still run: {stdout}"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn bundled_registry_has_full_provenance() {
    // The repository itself, when it is a git checkout with history (CI clones it).
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let options = Options {
        today: Date::today(),
        history: HistoryMode::IfAvailable,
        samples: privet::check::Samples::Off,
        base: None,
    };
    let registry = privet::pipeline::check(&root, &options).unwrap();
    if let Provenance::Available(h) = &registry.provenance {
        for p in &registry.registry.proposals {
            assert!(
                h.introduced(&p.name).is_some() || !h.present.contains_key(&p.name),
                "{}",
                p.name
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn interrupting_approve_leaves_no_temporary_file() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    let original = fs::read_to_string(repo.path().join("proposals/workers.toml")).unwrap();
    // The debug build pauses while its temporary file exists; a signal
    // then arrives while it is there (and, below, at other moments).
    for (i, pause) in [(0u64, "400"), (1, "400"), (2, "0"), (3, "0"), (4, "0")] {
        let child = Command::new(env!("CARGO_BIN_EXE_privet"))
            .args(["approve", "workers", "--by", "bob"])
            .current_dir(repo.path())
            .env("PRIVET_TEST_WRITE_PAUSE_MS", pause)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        if pause != "0" {
            // Wait until the temporary file is there.
            let start = std::time::Instant::now();
            while !fs::read_dir(repo.path().join("proposals"))
                .unwrap()
                .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
            {
                assert!(start.elapsed().as_secs() < 30, "no temporary file appeared");
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        } else {
            std::thread::sleep(std::time::Duration::from_millis(i * 15));
        }
        let signal = if i % 2 == 0 { "-INT" } else { "-TERM" };
        let _ = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status();
        let mut child = child;
        let status = child.wait().unwrap();
        if pause != "0" {
            use std::os::unix::process::ExitStatusExt;
            assert!(status.signal().is_some(), "run {i}: ended by the signal");
        }
        let names: Vec<String> = fs::read_dir(repo.path().join("proposals"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["workers.toml"], "run {i}");
        let text = fs::read_to_string(repo.path().join("proposals/workers.toml")).unwrap();
        assert!(
            text == original || text.contains("[approval]\nby = [\"bob\"]"),
            "run {i}: the file is the old one or the new one, never partial"
        );
        repo.write("proposals/workers.toml", &original);
    }
}

#[test]
fn the_review_request_shows_the_change_since_the_last_approval() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    let introduced = repo.commit("alice", "Add workers");
    let (code, page, err) = repo.privet(&["review", "workers"]);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains("## Metric review: `workers`"), "{page}");
    assert!(
        page.contains(&introduced[..10]),
        "the introducing commit: {page}"
    );
    assert!(page.contains("| Approval | none |"), "{page}");
    assert!(
        page.contains("| `workers` | count | reported as 0, 1, 2–4, 5–9, or 10 or more |"),
        "{page}"
    );
    assert!(
        page.contains("was ever approved: the whole definition is new"),
        "{page}"
    );

    let (code, _, err) = repo.privet(&["approve", "workers", "--by", "bob"]);
    assert_eq!(code, 0, "{err}");
    let approved = repo.commit("bob", "Approve workers");
    let (_, page, _) = repo.privet(&["review", "workers"]);
    assert!(page.contains("by bob on"), "{page}");
    assert!(page.contains("of this definition; ships"), "{page}");
    assert!(
        page.contains(&format!(
            "Unchanged: the current definition is the one approved in commit {}",
            &approved[..10]
        )),
        "{page}"
    );

    // A finer bucketing after the approval: the diff, and the findings.
    repo.replace(
        "proposals/workers.toml",
        "0, 1, 2, 5, 10",
        "0, 1, 2, 3, 5, 10",
    );
    repo.commit("alice", "Finer workers buckets");
    let (_, page, _) = repo.privet(&["review", "workers"]);
    assert!(page.contains("of an earlier definition"), "{page}");
    assert!(
        page.contains(&format!(
            "Changed since the approval in commit {}",
            &approved[..10]
        )),
        "{page}"
    );
    assert!(page.contains("```diff\n"), "{page}");
    assert!(
        page.contains("buckets"),
        "the diff names what changed: {page}"
    );
    assert!(
        page.contains("### Audit findings\n\n- **"),
        "the stale approval is a finding: {page}"
    );
}

/// Whether the repository at `root` still has loose objects.
fn has_loose_objects(root: &Path) -> bool {
    fs::read_dir(root.join(".git/objects"))
        .unwrap()
        .flatten()
        .any(|e| e.file_name().len() == 2)
}

#[test]
fn packed_objects_give_the_history_loose_ones_give() {
    // privet reads packed trees, commits and blobs with its own pack reader
    // (it keeps the objects it rebuilds, as git does) and loose ones as its
    // guard inflates them: both must give the same history, for packs with
    // long delta chains and with either kind of delta.
    let repo = Repo::new();
    for i in 0..48 {
        let dir = ["proposals/team_a", "proposals/team_b/sub"][i % 2];
        let name = format!("{dir}/m{}.toml", i % 6);
        let text = match i % 3 {
            // A new definition, then an edit of the prose only.
            0 => proposal(&format!("0, 1, 2, 5, {}", 10 + i), "No: a coarse bucket."),
            _ => proposal("0, 1, 2, 5, 10", &format!("No: a coarse bucket ({i}).")),
        };
        repo.write(&name, &text);
        repo.write("src/lib.rs", &format!("// change {i}\n"));
        if i % 11 == 10 {
            repo.git(&[
                "rm",
                "-qf",
                &format!("proposals/team_a/m{}.toml", i % 6 / 2 * 2),
            ]);
        }
        if i == 30 {
            repo.git(&[
                "mv",
                "proposals/team_b/sub/m1.toml",
                "proposals/team_a/m1-moved.toml",
            ]);
        }
        repo.commit(["alice", "bob"][i % 2], &format!("Step {i}"));
    }
    let loose = repo.history();
    assert!(loose.commits.len() > 40, "{}", loose.commits.len());

    repo.git(&["repack", "-adfq", "--depth=50", "--window=50"]);
    repo.git(&["prune-packed"]);
    assert!(!has_loose_objects(repo.path()), "the walk must read packs");
    assert_eq!(repo.history(), loose, "offset deltas");

    repo.git(&["-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq"]);
    repo.git(&["prune-packed"]);
    assert_eq!(repo.history(), loose, "deltas naming their base");
}

#[test]
fn a_corrupt_pack_is_a_finding_never_a_panic() {
    let repo = Repo::new();
    for i in 0..12 {
        repo.write(
            &format!("proposals/m{}.toml", i % 4),
            &proposal(&format!("0, 1, 2, 5, {}", 10 + i), "No: a coarse bucket."),
        );
        repo.commit("alice", &format!("Step {i}"));
    }
    let good = repo.history();
    repo.git(&["repack", "-adfq"]);
    repo.git(&["prune-packed"]);
    let pack_dir = repo.path().join(".git/objects/pack");
    let pack = fs::read_dir(&pack_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pack"))
        .unwrap();
    let original = fs::read(&pack).unwrap();
    let mut perms = fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&pack, perms).unwrap();
    // Every byte between the header and the checksum, in turn, set to a
    // value it does not have: each run ends with the history or a finding.
    let (mut broken, mut same) = (0, 0);
    let step = (original.len() / 400).max(1);
    for at in (12..original.len() - 20).step_by(step) {
        let mut bytes = original.clone();
        bytes[at] ^= 0x5a;
        fs::write(&pack, &bytes).unwrap();
        match privet::resolve::history(&repo.path().join("proposals"), false) {
            Ok(h) => {
                // Bytes the walk never reads, or a flip zlib's checksum
                // would not see in a stream that is never read to its end.
                same += usize::from(h == good);
            }
            Err(privet::resolve::Unavailable::Broken(why)) => {
                // Named by privet's pack reader, or by libgit2 for the
                // objects it reads (the commits' authors and dates).
                assert!(!why.trim().is_empty(), "byte {at}");
                broken += 1;
            }
            Err(other) => panic!("byte {at}: {other:?}"),
        }
    }
    fs::write(&pack, &original).unwrap();
    assert_eq!(repo.history(), good);
    assert!(
        broken > 100,
        "{broken} corruptions found, {same} runs unchanged"
    );
}

/// Writes `content` as a loose object of type `kind` under the id `id`,
/// whatever its hash: the corrupt or hostile repository a walk must survive.
fn write_loose(root: &Path, id: &str, kind: &str, content: &[u8]) {
    let mut raw = format!("{kind} {}\0", content.len()).into_bytes();
    raw.extend_from_slice(content);
    let dir = root.join(".git/objects").join(&id[..2]);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join(&id[2..]),
        miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    )
    .unwrap();
}

fn raw_id(hex: &str) -> Vec<u8> {
    (0..20)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

#[test]
fn objects_that_name_themselves_are_findings_not_hangs() {
    // Objects are not re-hashed when read (git does not either), so a
    // corrupt repository can hold a commit whose first parent leads back to
    // it, or a directory that contains itself. Each is a finding. (The
    // library leaves libgit2's re-hashing on; the program turns it off.)
    privet::resolve::skip_object_rehashing();
    let who = "author a <a@example.org> 1780000000 +0000\ncommitter a <a@example.org> 1780000000 +0000\n\nx\n";
    let (a, b) = (
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    );
    let (root_tree, dir_tree) = (
        "cccccccccccccccccccccccccccccccccccccccc",
        "dddddddddddddddddddddddddddddddddddddddd",
    );
    let setup = |head: &str| {
        let repo = Repo::new();
        fs::write(
            repo.path().join(".git/refs/heads/main"),
            format!("{head}\n"),
        )
        .unwrap();
        repo
    };
    let broken = |repo: &Repo| match privet::resolve::history(&repo.path().join("proposals"), false)
    {
        Err(privet::resolve::Unavailable::Broken(why)) => why,
        other => panic!("expected a broken repository, got {other:?}"),
    };

    // HEAD `a`, whose parent is `b`, whose parent line names `b_parent`.
    let empty = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    let chain = |b_parent: &str| {
        let repo = setup(a);
        for (id, parent) in [(a, b), (b, b_parent)] {
            let text = format!("tree {empty}\nparent {parent}\n{who}");
            write_loose(repo.path(), id, "commit", text.as_bytes());
        }
        repo
    };
    // A first-parent chain that loops: a -> b -> a.
    assert!(broken(&chain(a)).contains("its own ancestor"));
    // A parent line that is not an id is a broken commit, not a root.
    let why = broken(&chain("zz"));
    assert!(why.contains(b) && why.contains("malformed"), "{why}");

    // A proposals directory that contains itself.
    let repo = setup(a);
    let mut dir = b"40000 again\0".to_vec();
    dir.extend(raw_id(dir_tree));
    let mut root = b"40000 proposals\0".to_vec();
    root.extend(raw_id(dir_tree));
    write_loose(repo.path(), dir_tree, "tree", &dir);
    write_loose(repo.path(), root_tree, "tree", &root);
    write_loose(
        repo.path(),
        a,
        "commit",
        format!("tree {root_tree}\n{who}").as_bytes(),
    );
    assert!(broken(&repo).contains("nests deeper"));
}

/// A replace ref (or a graft) makes git show another commit in place of
/// the one committed, with its author and signature: provenance is not
/// read through it (history-unavailable, naming what is in the way), and
/// without it the history is read again.
#[test]
fn replace_refs_and_grafts_are_refused_for_provenance() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    let added = repo.commit("alice", "Add workers");
    repo.write("README.md", "notes\n");
    let other = repo.commit("bob", "Notes by bob");
    repo.git(&["replace", &added, &other]);
    let f = repo.findings();
    assert!(
        f.iter().any(
            |(rule, message)| rule == "history-unavailable" && message.contains("replace refs")
        ),
        "{f:?}"
    );
    repo.git(&["replace", "-d", &added]);
    assert!(
        !repo
            .findings()
            .iter()
            .any(|(rule, _)| rule == "history-unavailable"),
        "without the replace ref the history is read"
    );
    std::fs::write(repo.path().join(".git/info/grafts"), format!("{other}\n")).unwrap();
    let f = repo.findings();
    assert!(
        f.iter()
            .any(|(rule, message)| rule == "history-unavailable" && message.contains("grafts")),
        "{f:?}"
    );
}

/// A commit naming two authors is read as one author by git and as the
/// other by libgit2: its attribution is refused (history-unavailable),
/// never guessed.
#[test]
fn a_commit_with_two_authors_is_refused() {
    let repo = Repo::new();
    repo.write("proposals/workers.toml", &default_proposal());
    repo.commit("alice", "Add workers");
    repo.replace(
        "proposals/workers.toml",
        "buckets = [0, 1, 2, 5, 10]",
        "buckets = [0, 1, 2, 10]",
    );
    repo.git(&["add", "-A"]);
    let tree = repo.git(&["write-tree"]).trim().to_string();
    let parent = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let raw = format!(
        "tree {tree}\nparent {parent}\nauthor Mallory <mallory@example.org> 1780000000 +0000\nauthor bob <bob@reviewers.invalid> 1780000000 +0000\ncommitter Mallory <mallory@example.org> 1780000000 +0000\n\nTwo authors\n"
    );
    let object = repo.path().join("commit.txt");
    std::fs::write(&object, raw).unwrap();
    let id = repo
        .git(&[
            "hash-object",
            "-t",
            "commit",
            "-w",
            "--literally",
            "commit.txt",
        ])
        .trim()
        .to_string();
    std::fs::remove_file(&object).unwrap();
    repo.git(&["update-ref", "HEAD", &id]);
    let f = repo.findings();
    assert!(
        f.iter()
            .any(|(rule, message)| rule == "history-unavailable"
                && message.contains("names 2 authors")),
        "{f:?}"
    );
}
