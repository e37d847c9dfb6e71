//! privet through the `pre-commit` tool, offline, as a project uses it:
//!
//! - this repository as a hook repository (`.pre-commit-hooks.yaml`,
//!   `language: python`): pre-commit clones it at a commit and installs it
//!   with pip, which builds the wheel with maturin;
//! - the configuration `privet init` writes (`repo: local`,
//!   `additional_dependencies: ["privet==VERSION"]`): pip installs the wheel.
//!
//! Both install from `PRIVET_WHEELHOUSE` (the built privet wheel and
//! maturin's, which `.ci/run` puts there) with the package index switched
//! off. Needs `pre-commit` (`PRIVET_PRE_COMMIT`, else on PATH) and the
//! wheelhouse: in CI a missing one fails; elsewhere the test says it is
//! skipped.

#[path = "common/project.rs"]
mod project;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use project::{PROPOSAL, git, privet};

struct Tools {
    pre_commit: String,
    wheelhouse: PathBuf,
}

fn tools() -> Option<Tools> {
    let pre_commit = std::env::var("PRIVET_PRE_COMMIT").unwrap_or_else(|_| "pre-commit".into());
    let found = Command::new(&pre_commit)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let wheelhouse = std::env::var_os("PRIVET_WHEELHOUSE").map(PathBuf::from);
    let wheel = wheelhouse.as_ref().is_some_and(|w| {
        std::fs::read_dir(w).is_ok_and(|d| {
            d.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("privet-"))
        })
    });
    match (found, wheelhouse) {
        (true, Some(wheelhouse)) if wheel => Some(Tools {
            pre_commit,
            wheelhouse,
        }),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pre-commit ({pre_commit}: {found}) or a wheelhouse with privet's wheel \
                 (PRIVET_WHEELHOUSE: {wheel}) is missing; .ci/run provides both"
            );
            eprintln!(
                "NOTE: pre-commit or PRIVET_WHEELHOUSE missing: the pre-commit hooks are NOT \
                 tested (run .ci/run, or set PRIVET_PRE_COMMIT and PRIVET_WHEELHOUSE)"
            );
            None
        }
    }
}

/// `pre-commit ARGS` in `dir`, installing only from the wheelhouse.
fn pre_commit(tools: &Tools, dir: &Path, home: &Path, args: &[&str]) -> Output {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new(&tools.pre_commit)
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", &tools.wheelhouse)
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("CARGO_NET_OFFLINE", "true")
        // Building the hook repository's wheel shares one target directory
        // across runs (not the one `cargo test` holds locked).
        .env("CARGO_TARGET_DIR", repo.join("target/pre-commit-hooks"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A project with a registry from `privet init`, committed.
fn project(dir: &Path) {
    git(dir, "alice", &["init", "-q", "-b", "main"]);
    let (code, out, err) = privet(dir, &["init"]);
    assert_eq!(code, 0, "{out}{err}");
    // The scaffolded proposal's questions are for a person to answer.
    for scaffold in std::fs::read_dir(dir.join("proposals")).unwrap() {
        std::fs::remove_file(scaffold.unwrap().path()).unwrap();
    }
    std::fs::write(dir.join("proposals/workers.toml"), PROPOSAL).unwrap();
    let (code, out, err) = privet(dir, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
}

/// A proposal whose example leaks an address.
fn leak(dir: &Path) {
    let leaking = PROPOSAL.replace(
        "[fields.workers]",
        "[fields.contact]\ntype = \"string\"\npattern = '[a-z.]+@[a-z.]+'\nmax_len = 64\n\n[fields.workers]",
    )
    .replace("workers = \"2-4\"", "workers = \"2-4\"\ncontact = \"jane.doe@example.org\"");
    std::fs::write(dir.join("proposals/contacts.toml"), leaking).unwrap();
}

#[test]
fn this_repository_is_a_pre_commit_hook_repository() {
    let Some(tools) = tools() else { return };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rev = git(repo, "alice", &["rev-parse", "HEAD"]);
    let rev = rev.trim();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("project");
    std::fs::create_dir(&dir).unwrap();
    project(&dir);
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: privet-check\n      - id: privet-generate\n",
            repo.display()
        ),
    )
    .unwrap();
    git(&dir, "alice", &["add", "-A"]);
    let home = work.path().join("cache");
    let out = pre_commit(&tools, &dir, &home, &["run", "--all-files"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("privet check --before-commit"),
        "{}",
        text(&out)
    );

    leak(&dir);
    git(&dir, "alice", &["add", "-A"]);
    let out = pre_commit(&tools, &dir, &home, &["run", "--all-files"]);
    assert!(
        !out.status.success(),
        "a leaking proposal passed:\n{}",
        text(&out)
    );
    assert!(text(&out).contains("contacts.toml"), "{}", text(&out));
}

#[test]
fn the_hooks_privet_init_writes_install_the_wheel_and_block_a_commit() {
    let Some(tools) = tools() else { return };
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("project");
    std::fs::create_dir(&dir).unwrap();
    project(&dir);
    let config = std::fs::read_to_string(dir.join(".pre-commit-config.yaml")).unwrap();
    assert!(
        config.contains(&format!("privet=={}", env!("CARGO_PKG_VERSION"))),
        "{config}"
    );
    let home = work.path().join("cache");
    let out = pre_commit(&tools, &dir, &home, &["install"]);
    assert!(out.status.success(), "{}", text(&out));
    git(&dir, "alice", &["add", "-A"]);
    // The hook runs on `git commit`, from the environment pre-commit made.
    let commit = |message: &str| {
        Command::new("git")
            .args(["commit", "-q", "-m", message])
            .current_dir(&dir)
            .env("PRE_COMMIT_HOME", &home)
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &tools.wheelhouse)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Alice Author")
            .env("GIT_AUTHOR_EMAIL", "alice@example.org")
            .env("GIT_COMMITTER_NAME", "Alice Author")
            .env("GIT_COMMITTER_EMAIL", "alice@example.org")
            .output()
            .unwrap()
    };
    let out = commit("Add the registry");
    assert!(out.status.success(), "{}", text(&out));
    leak(&dir);
    git(&dir, "alice", &["add", "-A"]);
    let out = commit("Add a contacts metric");
    assert!(
        !out.status.success(),
        "the leak was committed:\n{}",
        text(&out)
    );
    assert!(text(&out).contains("contacts.toml"), "{}", text(&out));
    let log = git(&dir, "alice", &["log", "--oneline"]);
    assert_eq!(log.lines().count(), 1, "{log}");
}

/// Runs one `run:` script of `action.yml` as the runner would: bash, with
/// the step's `env:` and the runner's variables.
fn action_step(
    script: &str,
    dir: &Path,
    env: &[(&str, &str)],
    tools: &Tools,
    runner: &Path,
) -> Output {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new("bash");
    cmd.arg(repo.join(".github/action").join(script))
        .current_dir(dir)
        .env("GITHUB_ACTION_PATH", repo)
        .env("RUNNER_TEMP", runner)
        .env("GITHUB_PATH", runner.join("github_path"))
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", &tools.wheelhouse)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    // What earlier steps added to GITHUB_PATH comes first on PATH.
    if let Ok(added) = std::fs::read_to_string(runner.join("github_path")) {
        let path = std::env::var("PATH").unwrap_or_default();
        let added: Vec<&str> = added.lines().collect();
        cmd.env("PATH", format!("{}:{path}", added.join(":")));
    }
    cmd.output().unwrap()
}

#[test]
fn the_github_action_installs_privet_with_pip_and_audits_against_the_base() {
    let Some(tools) = tools() else { return };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action = std::fs::read_to_string(repo.join("action.yml")).unwrap();
    // The steps are these scripts, given the inputs through env.
    for needle in [
        "using: composite",
        ".github/action/install.sh",
        ".github/action/audit.sh",
        "BASE_REF: ${{ github.base_ref }}",
        "privet generate --check \"$DIRECTORY\"",
    ] {
        assert!(action.contains(needle), "action.yml lacks {needle}");
    }
    let work = tempfile::tempdir().unwrap();
    let runner = work.path().join("runner");
    std::fs::create_dir(&runner).unwrap();
    // A project on main, and a pull request branch adding a leak.
    let origin = work.path().join("origin");
    std::fs::create_dir(&origin).unwrap();
    project(&origin);
    git(&origin, "alice", &["add", "-A"]);
    git(
        &origin,
        "alice",
        &["commit", "-q", "-m", "Add the registry"],
    );
    let clone = work.path().join("clone");
    git(
        work.path(),
        "alice",
        &[
            "clone",
            "-q",
            origin.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    git(&clone, "alice", &["checkout", "-q", "-b", "contacts"]);
    leak(&clone);
    git(&clone, "alice", &["add", "-A"]);
    git(
        &clone,
        "alice",
        &["commit", "-q", "-m", "Add a contacts metric"],
    );

    let out = action_step(
        "install.sh",
        &clone,
        &[("ACTION_PATH", repo.to_str().unwrap()), ("PACKAGE", "")],
        &tools,
        &runner,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("privet {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        text(&out)
    );

    // A checkout that lacks the base branch: the step fetches it.
    git(
        &clone,
        "alice",
        &["update-ref", "-d", "refs/remotes/origin/main"],
    );
    let out = action_step(
        "audit.sh",
        &clone,
        &[("DIRECTORY", "."), ("BASE", ""), ("BASE_REF", "main")],
        &tools,
        &runner,
    );
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    // GitHub annotations, the base's trust anchors, the leak named.
    assert!(said.contains("::error file="), "{said}");
    assert!(said.contains("contacts.toml"), "{said}");
    let fetched = git(
        &clone,
        "alice",
        &["rev-parse", "--verify", "refs/remotes/origin/main"],
    );
    assert_eq!(fetched.trim().len(), 40, "{fetched}");
}
