//! The pull-request flow, end to end (issue 24): a forge (a bare
//! repository), an author's clone and a reviewer's clone, throw-away SSH
//! keys, the hooks `privet init` writes, and every way a reviewer merges.
//! Then the forgeries a contributor tries. After each, the audit, `generate
//! --check`, the ships list, the generated schema and `validate` agree.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/project.rs"]
mod project;
use project::{PROPOSAL, commit, git, git_by, privet, reviewer_entry, reviewer_key};

const PAYLOAD: &str = r#"{"schema_version":1,"installation_id":"6f1c2a52-3c1e-4d7e-9a43-0d8f6f0b6a11","event":"heartbeat","sent":"2026-12-06","metrics":{"worker_count":{"workers":"2-4"}}}"#;

/// Runs the pre-commit hooks `privet init` wrote, as pre-commit would: each
/// `entry:` of `.pre-commit-config.yaml` (the `pre-commit` tool itself is
/// not needed: its hooks are `language: system` commands).
fn hooks(dir: &Path, why: &str) {
    let config = fs::read_to_string(dir.join(".pre-commit-config.yaml")).unwrap();
    let entries: Vec<&str> = config
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: privet "))
        .collect();
    assert_eq!(entries.len(), 2, "{config}");
    for entry in entries {
        let args: Vec<&str> = entry.split_whitespace().collect();
        let (code, out, err) = privet(dir, &args);
        assert_eq!(
            code, 0,
            "{why}: the hook `privet {entry}` fails\n{out}{err}"
        );
    }
}

struct Flow {
    _scratch: tempfile::TempDir,
    _keys: tempfile::TempDir,
    root: PathBuf,
    origin: PathBuf,
    alice_key: PathBuf,
    bob_key: PathBuf,
}

impl Flow {
    /// alice's clone on a new branch `name` at the proposal, before bob's
    /// approval: where a forger starts.
    fn proposed(&self, name: &str) -> PathBuf {
        let dir = self.clone_as(name, "alice", "main");
        git(
            &dir,
            "alice",
            &["checkout", "-q", "-b", name, "origin/feature~1"],
        );
        dir
    }

    fn clone_as(&self, name: &str, who: &str, branch: &str) -> PathBuf {
        let dir = self.root.join(name);
        git(
            &self.root,
            who,
            &["clone", "-q", self.origin.to_str().unwrap(), name],
        );
        git(&dir, who, &["checkout", "-q", branch]);
        dir
    }
}

/// The forge with main (privet adopted: alice and bob review, with keys)
/// and the pull request's branch `feature`: alice's proposal, and bob's
/// signed approval made and pushed from his own clone.
fn flow() -> Flow {
    let scratch = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let root = scratch.path().to_path_buf();
    let (alice_key, alice_line) = reviewer_key(keys.path(), "alice", 1);
    let (bob_key, bob_line) = reviewer_key(keys.path(), "bob", 2);
    let origin = root.join("origin.git");
    git(
        &root,
        "alice",
        &["init", "-q", "--bare", "-b", "main", "origin.git"],
    );
    let f = Flow {
        _scratch: scratch,
        _keys: keys,
        root: root.clone(),
        origin,
        alice_key,
        bob_key,
    };

    // Alice adopts privet on main.
    let author = root.join("author");
    git(
        &root,
        "alice",
        &["clone", "-q", f.origin.to_str().unwrap(), "author"],
    );
    let (code, out, err) = privet(&author, &["init"]);
    assert_eq!(code, 0, "{out}{err}");
    let config = fs::read_to_string(author.join("privet.toml"))
        .unwrap()
        .replace(
            "[thresholds]\n",
            &format!(
                "{}\n{}\n[thresholds]\n",
                reviewer_entry("alice", &alice_line),
                reviewer_entry("bob", &bob_line)
            ),
        )
        .replace("# [page]\n# path", "[page]\npath")
        .replace("# project", "project")
        .replace("# opt_out", "opt_out");
    fs::write(author.join("privet.toml"), config).unwrap();
    fs::remove_file(author.join("proposals/installation_size.toml")).unwrap();
    let (code, out, err) = privet(&author, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    commit(&author, "alice", "Adopt privet");
    git(&author, "alice", &["push", "-q", "origin", "main"]);

    // The pull request: alice proposes on a branch, with the hooks.
    git(&author, "alice", &["checkout", "-q", "-b", "feature"]);
    fs::write(author.join("proposals/worker_count.toml"), PROPOSAL).unwrap();
    let (code, out, err) = privet(&author, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    hooks(&author, "the author's proposal");
    commit(&author, "alice", "Propose worker_count");
    git(&author, "alice", &["push", "-q", "origin", "feature"]);

    // Bob reviews in his own clone and signs; the hooks pass before the
    // commit exists.
    let reviewer = f.clone_as("reviewer", "bob", "feature");
    let bob_key = f.bob_key.to_str().unwrap();
    let (code, out, err) = privet(
        &reviewer,
        &["approve", "worker_count", "--by", "bob", "--key", bob_key],
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = privet(&reviewer, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    hooks(&reviewer, "the reviewer's approval");
    commit(&reviewer, "bob", "Approve worker_count");
    git(&reviewer, "bob", &["push", "-q", "origin", "feature"]);
    f
}

/// Whether worker_count ships in `dir`, asked of every output: the audit
/// (with `base` as its trust anchors) and its ships list, `generate
/// --check`, the generated event schema and the page, and `validate`. All
/// must say `ships`; the audit passes exactly when it ships. Returns the
/// audit's output.
fn agree(dir: &Path, base: Option<&str>, ships: bool, how: &str) -> String {
    let mut args = vec!["audit"];
    if let Some(b) = base {
        args.extend(["--base", b]);
    }
    let (code, audit, err) = privet(dir, &args);
    assert_eq!(
        code,
        if ships { 0 } else { 1 },
        "{how}: audit\n{audit}{err}"
    );
    assert_eq!(
        audit.contains("ships in payloads (1): worker_count"),
        ships,
        "{how}: the ships list\n{audit}"
    );
    let (code, out, err) = privet(dir, &["generate", "--check"]);
    assert_eq!(code, 0, "{how}: generate --check\n{out}{err}");
    let schema = fs::read_to_string(dir.join("schemas/events/heartbeat.json")).unwrap();
    assert_eq!(
        schema.contains("worker_count"),
        ships,
        "{how}: the schema\n{schema}"
    );
    let page = fs::read_to_string(dir.join("docs/telemetry.md")).unwrap();
    assert_eq!(
        page.contains("approved by bob"),
        ships,
        "{how}: the page\n{page}"
    );
    let payload = dir.join("payload.json");
    fs::write(&payload, format!("{PAYLOAD}\n")).unwrap();
    let (code, out, err) = privet(dir, &["validate", "payload.json"]);
    fs::remove_file(&payload).unwrap();
    assert_eq!(code == 0, ships, "{how}: validate ({code})\n{out}{err}");
    if !ships {
        assert!(out.contains("unapproved-metric"), "{how}: validate\n{out}");
    }
    audit
}

#[test]
fn a_signed_approval_holds_through_every_kind_of_merge() {
    let f = flow();
    // The pull request's own check, as CI runs it.
    let pr = f.clone_as("pr", "alice", "feature");
    agree(&pr, Some("origin/main"), true, "the pull request");

    // A merge commit by the reviewer.
    let merged = f.clone_as("merge", "bob", "main");
    git(
        &merged,
        "bob",
        &[
            "merge",
            "-q",
            "--no-ff",
            "origin/feature",
            "-m",
            "Merge pull request #1 from alice/feature",
        ],
    );
    let audit = agree(
        &merged,
        Some("HEAD^1"),
        true,
        "a --no-ff merge by the reviewer",
    );
    assert!(!audit.contains("self-approval"), "{audit}");

    // A squash merge: the forge makes the pull request's author the author
    // of the one commit, approval included; the reviewer commits it.
    let squashed = f.clone_as("squash", "bob", "main");
    git(
        &squashed,
        "bob",
        &["merge", "-q", "--squash", "origin/feature"],
    );
    git_by(
        &squashed,
        "alice",
        "bob",
        &["commit", "-q", "-m", "Add worker_count (#1)"],
    );
    agree(&squashed, Some("HEAD~1"), true, "a squash merge");

    // A rebase merge: the branch's commits replayed onto main by the
    // reviewer (authors kept, committer the reviewer).
    let rebased = f.clone_as("rebase", "bob", "main");
    fs::write(rebased.join("NOTES.md"), "main moved on\n").unwrap();
    commit(&rebased, "carol", "Notes");
    git(
        &rebased,
        "bob",
        &["checkout", "-q", "-b", "feature", "origin/feature"],
    );
    git(&rebased, "bob", &["rebase", "-q", "main"]);
    git(&rebased, "bob", &["checkout", "-q", "main"]);
    git(&rebased, "bob", &["merge", "-q", "--ff-only", "feature"]);
    agree(&rebased, Some("HEAD~2"), true, "a rebase merge");

    // The merge ref a CI checks out for a pull request, detached.
    let merge_ref = f.clone_as("merge-ref", "bob", "main");
    git(
        &merge_ref,
        "bob",
        &["checkout", "-q", "--detach", "origin/main"],
    );
    git(
        &merge_ref,
        "bob",
        &[
            "merge",
            "-q",
            "--no-ff",
            "origin/feature",
            "-m",
            "Merge abc into def",
        ],
    );
    git(
        &merge_ref,
        "bob",
        &["update-ref", "refs/pull/1/merge", "HEAD"],
    );
    git(
        &merge_ref,
        "bob",
        &["checkout", "-q", "--detach", "refs/pull/1/merge"],
    );
    agree(&merge_ref, Some("origin/main"), true, "refs/pull/1/merge");

    // A squash merged by the reviewer as author (a local `git merge
    // --squash`): the squash wrote the definition and the approval at
    // once, so history cannot tell who wrote what.
    let own_squash = f.clone_as("own-squash", "bob", "main");
    git(
        &own_squash,
        "bob",
        &["merge", "-q", "--squash", "origin/feature"],
    );
    git(
        &own_squash,
        "bob",
        &[
            "commit",
            "-q",
            "-m",
            "Squashed commit of the following:\n\ncommit 1\nAuthor: alice <alice@example.org>\n",
        ],
    );
    let (code, out, err) = privet(&own_squash, &["audit", "--base", "HEAD~1"]);
    assert!(
        code == 1
            && !out.contains("error[self-approval]")
            && out.contains("error[approval-unattributed]")
            && out.contains("history cannot tell whether bob wrote the definition"),
        "a squash by the reviewer is not called self-approval; the audit says what it cannot tell ({code})\n{out}{err}"
    );
}

/// Sets status and an `[approval]` by `by` of the current definition in
/// `dir`'s worker_count, signed (under `by`'s name) by `key` for metric
/// `signed_as` at `fingerprint` (default: the current one).
fn forge_approval(
    dir: &Path,
    by: &str,
    key: Option<&Path>,
    signed_as: &str,
    fingerprint: Option<&str>,
) {
    let path = dir.join("proposals/worker_count.toml");
    let text = fs::read_to_string(&path).unwrap();
    let registry = privet::load::load(dir).unwrap();
    let p = registry
        .proposals
        .iter()
        .find(|p| p.name == "worker_count")
        .unwrap();
    let current = privet::fingerprint::fingerprint(p);
    let fp = fingerprint.unwrap_or(&current);
    let body = text
        .split("\n[approval]")
        .next()
        .unwrap()
        .replace("status = \"proposed\"", "status = \"approved\"");
    let mut out = format!(
        "{body}\n[approval]\nby = [\"{by}\"]\ndate = 2026-12-06\nfingerprint = \"{current}\"\n"
    );
    if let Some(key) = key {
        let signer =
            privet::signature::Signer::from_spec(key.to_str().unwrap(), Path::new("/")).unwrap();
        let sig = privet::signature::to_record(&signer.sign(signed_as, fp, "2026-12-06").unwrap())
            .unwrap();
        out.push_str(&format!("\n[approval.signatures]\n{by} = '''\n{sig}'''\n"));
    }
    fs::write(&path, out).unwrap();
}

#[test]
fn forged_approvals_never_ship() {
    let f = flow();
    let alice_key = f.alice_key.as_path();

    // 1. `--author` spoofing: alice writes bob's approval without his
    //    signature and commits it as bob.
    let d = f.proposed("spoof");
    forge_approval(&d, "bob", None, "worker_count", None);
    privet(&d, &["generate"]);
    git(&d, "alice", &["add", "-A"]);
    git_by(
        &d,
        "bob",
        "alice",
        &[
            "commit",
            "-q",
            "--author",
            "bob <bob@example.org>",
            "-m",
            "Approve worker_count",
        ],
    );
    let audit = agree(&d, Some("origin/main"), false, "--author spoofing");
    assert!(audit.contains("carries no signature by bob"), "{audit}");

    // 2. The author's own key, signing as bob.
    let d = f.proposed("own-key");
    let (code, _, err) = privet(
        &d,
        &[
            "approve",
            "worker_count",
            "--by",
            "bob",
            "--key",
            alice_key.to_str().unwrap(),
        ],
    );
    assert!(
        code == 2 && err.contains("not one of bob's keys"),
        "approve refuses: {err}"
    );
    forge_approval(&d, "bob", Some(alice_key), "worker_count", None);
    privet(&d, &["generate"]);
    commit(&d, "alice", "Approve worker_count");
    let audit = agree(&d, Some("origin/main"), false, "the author's own key");
    assert!(audit.contains("which is not one of bob's keys"), "{audit}");

    // 3. The author approving as herself (she is a reviewer too): a valid
    //    signature, by the person who wrote the definition.
    let d = f.proposed("self");
    forge_approval(&d, "alice", Some(alice_key), "worker_count", None);
    privet(&d, &["generate"]);
    commit(&d, "alice", "Approve worker_count");
    let (code, audit, _) = privet(&d, &["audit", "--base", "origin/main"]);
    assert!(
        code == 1
            && audit.contains("error[self-approval]")
            && audit.contains("held by findings (1): worker_count"),
        "{audit}"
    );

    // 4. An old signature after a change: alice widens the buckets after
    //    bob's approval and records the new fingerprint under his signature.
    let d = f.clone_as("after-change", "alice", "feature");
    let path = d.join("proposals/worker_count.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "buckets = [0, 1, 2, 5, 10]",
            "buckets = [0, 1, 2, 3, 4, 5, 10]",
        )
        .replace("workers = \"2-4\"", "workers = \"2\""),
    )
    .unwrap();
    let registry = privet::load::load(&d).unwrap();
    let now = privet::fingerprint::fingerprint(&registry.proposals[0]);
    let text = fs::read_to_string(&path).unwrap();
    let old = text.split("fingerprint = \"").nth(1).unwrap()[..40].to_string();
    fs::write(&path, text.replace(&old, &now)).unwrap();
    privet(&d, &["generate"]);
    commit(&d, "alice", "Finer buckets");
    let audit = agree(
        &d,
        Some("origin/main"),
        false,
        "an old signature after a change",
    );
    assert!(
        audit.contains("does not hold over this metric and fingerprint"),
        "{audit}"
    );

    // 5. A signature copied from another metric: bob's signature of
    //    worker_count pasted into node_count, an identical definition.
    let d = f.clone_as("copied", "alice", "feature");
    let text = fs::read_to_string(d.join("proposals/worker_count.toml")).unwrap();
    fs::write(d.join("proposals/node_count.toml"), &text).unwrap();
    fs::write(
        d.join("proposals/worker_count.toml"),
        text.replace("status = \"approved\"", "status = \"proposed\"")
            .split("\n[approval]")
            .next()
            .unwrap(),
    )
    .unwrap();
    privet(&d, &["generate"]);
    commit(&d, "alice", "Rename worker_count to node_count");
    let (code, audit, _) = privet(&d, &["audit", "--base", "origin/main"]);
    assert!(
        code == 1
            && audit.contains("ships in payloads (0)")
            && audit.contains("does not hold over this metric and fingerprint"),
        "a copied signature\n{audit}"
    );

    // 6. A key added to a reviewer in the same pull request: alice lists a
    //    key of hers as bob's and signs as bob. Judged with its own anchors
    //    it would pass; judged with main's (--base), it is anchors-changed
    //    and forged.
    let d = f.proposed("key-added");
    let (second_key, second_line) = reviewer_key(&f.root.join("alice-keys"), "alice2", 9);
    let config = fs::read_to_string(d.join("privet.toml")).unwrap();
    let bob_keys = config
        .lines()
        .filter(|l| l.starts_with("keys = "))
        .nth(1)
        .unwrap()
        .to_string();
    let added = bob_keys.replace("keys = [", &format!("keys = [\"{second_line}\", "));
    fs::write(d.join("privet.toml"), config.replace(&bob_keys, &added)).unwrap();
    forge_approval(&d, "bob", Some(&second_key), "worker_count", None);
    privet(&d, &["generate"]);
    commit(&d, "alice", "Approve worker_count");
    let (code, audit, _) = privet(&d, &["audit"]);
    assert_eq!(code, 0, "without --base, the change's own anchors: {audit}");
    assert!(
        audit.contains("trust anchors: this tree's privet.toml"),
        "{audit}"
    );
    let (code, audit, _) = privet(&d, &["audit", "--base", "origin/main"]);
    assert!(
        code == 1
            && audit.contains("error[anchors-changed]")
            && audit.contains("reviewer `bob`")
            && audit.contains("error[approval-forged]")
            && audit.contains("not one of bob's keys in privet.toml at `origin/main`")
            && audit.contains("ships in payloads (0)")
            && audit.contains("error[stale-output]"),
        "with --base: {audit}"
    );

    // A tag named like the base branch, pushed by the pull request, is
    // refused: anchors come from a branch.
    let d = f.proposed("tag-shadow");
    git(&d, "alice", &["tag", "origin/main"]);
    let (code, _, err) = privet(&d, &["audit", "--base", "origin/main"]);
    assert!(code == 2 && err.contains("is a tag here"), "{err}");
    let (code, audit, err) = privet(&d, &["audit", "--base", "refs/remotes/origin/main"]);
    assert_eq!(code, 0, "the full ref name is unambiguous: {audit}{err}");
}

/// A change to the trust anchors is accepted when the base's reviewers sign
/// it with the base's keys, and only as the change from the base's
/// anchors: bob replaces his key (signing with the old one), main moves on,
/// and the signed record of that earlier change cannot bring its anchors
/// back.
#[test]
fn anchors_change_when_the_bases_reviewers_sign_it() {
    let f = flow();
    let bob_key = f.bob_key.to_str().unwrap();
    let keys_line = |config: &str| -> String {
        config
            .lines()
            .filter(|l| l.starts_with("keys = "))
            .nth(1)
            .unwrap()
            .to_string()
    };
    // bob rotates: his old key out, a new one in (on top of the pull
    // request, which then lands on main).
    let d = f.clone_as("rotate", "bob", "feature");
    let before = fs::read_to_string(d.join("privet.toml")).unwrap();
    let (new_key, new_line) = reviewer_key(&f.root.join("new-keys"), "bob2", 7);
    let rotated = before.replace(&keys_line(&before), &format!("keys = [\"{new_line}\"]"));
    fs::write(d.join("privet.toml"), &rotated).unwrap();
    let (code, audit, err) = privet(&d, &["audit", "--base", "origin/main"]);
    assert!(
        code == 1 && audit.contains("error[anchors-changed]"),
        "{audit}{err}"
    );
    let approve = |key: &str| {
        privet(
            &d,
            &[
                "approve",
                "privet.toml",
                "--by",
                "bob",
                "--key",
                key,
                "--base",
                "origin/main",
            ],
        )
    };
    let (code, _, err) = approve(new_key.to_str().unwrap());
    assert!(
        code == 2 && err.contains("not one of bob's keys"),
        "the new key is not main's: {err}"
    );
    let (code, out, err) = approve(bob_key);
    assert_eq!(code, 0, "{out}{err}");
    commit(&d, "bob", "Rotate bob's key");
    let (code, audit, err) = privet(&d, &["audit", "--base", "origin/main"]);
    assert_eq!(code, 0, "a signed change of anchors: {audit}{err}");
    assert!(
        audit.contains("changed here, and the change is signed"),
        "{audit}"
    );
    git(&d, "bob", &["push", "-q", "origin", "HEAD:main"]);
    git(&d, "bob", &["fetch", "-q", "origin"]);
    let rotated = fs::read_to_string(d.join("privet.toml")).unwrap();

    // main moves on: a lower event budget, signed by bob's new key.
    let lowered = rotated.replace("max_bits_per_event = 160", "max_bits_per_event = 150");
    assert_ne!(lowered, rotated);
    fs::write(d.join("privet.toml"), &lowered).unwrap();
    let (code, out, err) = privet(
        &d,
        &[
            "approve",
            "privet.toml",
            "--by",
            "bob",
            "--key",
            new_key.to_str().unwrap(),
            "--base",
            "origin/main",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    commit(&d, "bob", "Lower the event budget");
    git(&d, "bob", &["push", "-q", "origin", "HEAD:main"]);

    // The rollback: the rotation's privet.toml, with its signed record,
    // brought back over main. Its signatures replaced other anchors.
    let m = f.clone_as("rollback", "alice", "main");
    git(&m, "alice", &["checkout", "-q", "-b", "rollback"]);
    fs::write(m.join("privet.toml"), &rotated).unwrap();
    commit(&m, "alice", "Restore the event budget");
    let (code, audit, _) = privet(&m, &["audit", "--base", "origin/main"]);
    assert!(
        code == 1
            && audit.contains("error[anchors-changed]")
            && audit.contains("max_bits_per_event"),
        "an old signed change does not sign a rollback: {audit}"
    );
}

/// `privet approve --key KEY.pub` (or git's `user.signingkey` naming a
/// public key) signs through ssh-agent, as git's SSH signing does. Needs
/// OpenSSH's `ssh-agent` and `ssh-add`; without them the test says so on
/// stderr and checks only the refusal.
#[test]
fn a_reviewer_signs_through_ssh_agent() {
    let f = flow();
    let d = f.clone_as("agent", "bob", "feature");
    let path = d.join("proposals/worker_count.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.split("\n[approval]")
            .next()
            .unwrap()
            .replace("status = \"approved\"", "status = \"proposed\""),
    )
    .unwrap();
    let public = format!("{}.pub", f.bob_key.display());
    let (code, _, err) = privet(
        &d,
        &["approve", "worker_count", "--by", "bob", "--key", &public],
    );
    assert!(
        code == 2 && err.contains("SSH_AUTH_SOCK is not set") && err.contains("ssh-add"),
        "without an agent, the public half alone cannot sign: {err}"
    );
    let has = |tool: &str| Command::new(tool).arg("-h").output().is_ok();
    if !(has("ssh-agent") && has("ssh-add")) {
        eprintln!(
            "a_reviewer_signs_through_ssh_agent: OpenSSH's ssh-agent is not installed; signing through the agent was not tried"
        );
        return;
    }
    let sock = f.root.join("agent.sock");
    let agent = Command::new("ssh-agent")
        .arg("-D")
        .arg("-a")
        .arg(&sock)
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _agent = Kill(agent);
    for _ in 0..100 {
        if sock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let added = Command::new("ssh-add")
        .arg(&f.bob_key)
        .env("SSH_AUTH_SOCK", &sock)
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(["approve", "worker_count", "--by", "bob", "--key", &public])
        .current_dir(&d)
        .env("SSH_AUTH_SOCK", &sock)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Signed through the agent, the approval holds like any other.
    let signed = fs::read_to_string(&path).unwrap();
    assert!(signed.contains("[approval.signatures]"), "{signed}");
    agree(
        &d,
        Some("origin/main"),
        true,
        "an approval signed through ssh-agent",
    );
}

/// A withdrawn approval does not come back: bob's approval (signed for its
/// day) is withdrawn when he retires the metric; setting the status back
/// brings the old signature with it, which the audit refuses. Bob
/// approving again signs a new day, which counts.
#[test]
fn a_withdrawn_approval_brought_back_does_not_count() {
    let f = flow();
    let bob_key = f.bob_key.to_str().unwrap();
    let d = f.clone_as("withdraw", "bob", "feature");
    let path = d.join("proposals/worker_count.toml");
    let proposed = PROPOSAL.to_string();
    fs::write(&path, &proposed).unwrap();
    let (code, out, err) = privet(
        &d,
        &[
            "approve",
            "worker_count",
            "--by",
            "bob",
            "--key",
            bob_key,
            "--today",
            "2026-11-02",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    privet(&d, &["generate"]);
    commit(&d, "bob", "Approve worker_count");
    let approved = fs::read_to_string(&path).unwrap();
    assert!(approved.contains("date = 2026-11-02"), "{approved}");
    fs::write(
        &path,
        approved.replace("status = \"approved\"", "status = \"retired\""),
    )
    .unwrap();
    privet(&d, &["generate"]);
    commit(&d, "bob", "Retire worker_count");
    git(&d, "bob", &["push", "-q", "origin", "HEAD:main"]);

    // mallory sets the status back: the old approval comes with it.
    let m = f.clone_as("unretire", "alice", "main");
    git(&m, "alice", &["checkout", "-q", "-b", "unretire"]);
    fs::write(m.join("proposals/worker_count.toml"), &approved).unwrap();
    privet(&m, &["generate"]);
    commit(&m, "alice", "Bring worker_count back");
    let (code, audit, err) = privet(&m, &["audit", "--base", "refs/remotes/origin/main"]);
    assert!(
        code == 1 && audit.contains("error[approval-stale]") && audit.contains("was withdrawn"),
        "{audit}{err}"
    );

    // bob approves it again: a new approval, of its own moment (a second
    // after the withdrawal at least: the moment is signed to the second).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (code, out, err) = privet(
        &m,
        &["approve", "worker_count", "--by", "bob", "--key", bob_key],
    );
    assert_eq!(code, 0, "{out}{err}");
    let again = fs::read_to_string(m.join("proposals/worker_count.toml")).unwrap();
    assert!(!again.contains("date = 2026-11-02"), "{again}");
    privet(&m, &["generate"]);
    commit(&m, "bob", "Approve worker_count again");
    let (code, audit, err) = privet(&m, &["audit", "--base", "refs/remotes/origin/main"]);
    assert_eq!(code, 0, "{audit}{err}");
}
