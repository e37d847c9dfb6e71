//! What privet does to the file system around a registry: it deletes only
//! files it wrote, never writes or reads through a link that leaves the
//! tree, and walks, parses and generates within bounds whatever the input
//! (link loops, deep nesting, tens of thousands of events).

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

mod common;

use common::privet;

/// A new registry (`privet init`) in a git repository, generated once.
fn registry() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    let run = privet(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = privet(dir.path(), &["generate"]);
    assert!(run.code == 0, "{}{}", run.stdout, run.stderr);
    dir
}

fn set_schemas(root: &Path, dir: &str) {
    let config = root.join("privet.toml");
    let text = fs::read_to_string(&config).unwrap();
    assert!(text.contains("schemas = \"schemas\""), "{text}");
    fs::write(
        &config,
        text.replace("schemas = \"schemas\"", &format!("schemas = \"{dir}\"")),
    )
    .unwrap();
}

#[test]
fn generate_deletes_only_files_it_wrote() {
    let dir = registry();
    let root = dir.path();
    let schemas = root.join("schemas");
    // A schema privet wrote for a metric since removed, and a user's file.
    let mine = fs::read_to_string(schemas.join("installation_size.json")).unwrap();
    fs::write(schemas.join("retired_metric.json"), &mine).unwrap();
    fs::write(schemas.join("notes.json"), "{\"kept\": true}\n").unwrap();
    let run = privet(root, &["generate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        !schemas.join("retired_metric.json").exists(),
        "{}",
        run.stdout
    );
    assert_eq!(
        fs::read_to_string(schemas.join("notes.json")).unwrap(),
        "{\"kept\": true}\n"
    );

    // The output directory is the registry root: JSON files of the
    // project, and of .git, are not privet's.
    fs::write(root.join("package.json"), "{\"name\": \"app\"}\n").unwrap();
    fs::write(root.join(".git/hooks.json"), "{}\n").unwrap();
    set_schemas(root, ".");
    let run = privet(root, &["generate"]);
    assert!(run.code == 0, "{}{}", run.stdout, run.stderr);
    assert!(root.join("package.json").exists());
    assert!(root.join(".git/hooks.json").exists());
    assert!(schemas.join("notes.json").exists());
    // `generate --check` does not call the user's files left over either.
    let run = privet(root, &["generate", "--check"]);
    assert!(!run.stdout.contains("package.json"), "{}", run.stdout);
    assert!(!run.stdout.contains("notes.json"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn generate_never_writes_through_a_link_out_of_the_tree() {
    let dir = registry();
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    // The schemas directory is a committed link to somewhere else.
    fs::remove_dir_all(root.join("schemas")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("schemas")).unwrap();
    let run = privet(root, &["generate"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("outside"), "{}", run.stderr);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);

    // A generated file that is a link to a file outside: not replaced
    // through the link.
    fs::remove_file(root.join("schemas")).unwrap();
    let run = privet(root, &["generate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let target = outside.path().join("victim.json");
    fs::write(&target, "precious\n").unwrap();
    let schema = root.join("schemas/installation_size.json");
    fs::remove_file(&schema).unwrap();
    std::os::unix::fs::symlink(&target, &schema).unwrap();
    let run = privet(root, &["generate"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(fs::read_to_string(&target).unwrap(), "precious\n");
}

#[test]
fn deep_yaml_is_a_finding_not_a_stack_overflow() {
    let dir = registry();
    let deep = dir.path().join("deep.yaml");
    let n = 50_000;
    fs::write(&deep, format!("a: {}1{}\n", "[".repeat(n), "]".repeat(n))).unwrap();
    let run = privet(dir.path(), &["import", "glean", "deep.yaml"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    // The YAML reader's own limit on flow collections, at its place.
    assert!(run.stderr.contains("deep.yaml:1:"), "{}", run.stderr);
    assert!(run.stderr.contains("recursion limit"), "{}", run.stderr);
    // Block style, deep by indentation.
    let mut text = String::new();
    for i in 0..5_000 {
        text.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
    }
    fs::write(&deep, text).unwrap();
    let run = privet(dir.path(), &["import", "glean", "deep.yaml"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("nested more than"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn symlink_loops_under_proposals_end() {
    let dir = registry();
    let proposals = dir.path().join("proposals");
    fs::create_dir(proposals.join("a")).unwrap();
    std::os::unix::fs::symlink("..", proposals.join("a/up")).unwrap();
    std::os::unix::fs::symlink("loop2", proposals.join("loop1")).unwrap();
    std::os::unix::fs::symlink("loop1", proposals.join("loop2")).unwrap();
    let yaml = dir.path().join("metrics.yaml");
    fs::write(
        &yaml,
        "cat:\n  m:\n    type: counter\n    description: A count.\n    notification_emails: [a@example.org]\n    bugs: [https://example.org/1]\n    data_reviews: [https://example.org/2]\n    expires: never\n",
    )
    .unwrap();
    let start = Instant::now();
    for args in [
        &["import", "glean", "metrics.yaml"][..],
        &["check", "--history", "skip"][..],
    ] {
        let run = privet(dir.path(), args);
        assert!(run.code <= 2, "{args:?}: {}{}", run.stdout, run.stderr);
    }
    assert!(start.elapsed() < Duration::from_secs(60));
}

/// A `privet.toml` of 95,000 events (under its 1 MiB limit) aborted with
/// exit 134: a thread was started per event.
#[test]
fn tens_of_thousands_of_events_start_no_thread_each() {
    let dir = registry();
    let config = dir.path().join("privet.toml");
    let text = fs::read_to_string(&config).unwrap();
    let start = text.find("events = [").unwrap();
    let end = start + text[start..].find(']').unwrap() + 1;
    let events: Vec<String> = (0..95_000).map(|i| format!("\"e{i}\"")).collect();
    let text = format!(
        "{}events = [\"heartbeat\", {}]{}",
        &text[..start],
        events.join(", "),
        &text[end..]
    );
    assert!(text.len() < 1 << 20);
    fs::write(&config, text).unwrap();
    let run = privet(dir.path(), &["generate", "--check"]);
    let cut = |s: &str| s.chars().take(2000).collect::<String>();
    assert_eq!(run.code, 1, "{}{}", cut(&run.stdout), cut(&run.stderr));
    // Every event's schema is missing; the listing is cut, the count is whole.
    assert!(
        run.stderr.contains("95003 generated file(s) are stale"),
        "{}",
        cut(&run.stderr)
    );
    // The listing is the check's report (stdout), the verdict on stderr.
    assert!(
        run.stdout.contains("and 94803 more"),
        "{}",
        cut(&run.stdout)
    );
    assert!(run.stdout.lines().count() < 300);
}

/// Two reviewers approving in one working tree at the same moment: both
/// approvals are kept (the read, edit and rewrite of a proposal are
/// serialised). Debug builds hold each write open for a while
/// (PRIVET_TEST_WRITE_PAUSE_MS), so without the lock both would read the
/// same old text and the second rename would drop the first approval.
#[test]
fn concurrent_approvals_are_both_kept() {
    let tree = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile/approve/21-second-reviewer/tree");
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("proposals")).unwrap();
    for file in ["privet.toml", "proposals/workers.toml"] {
        fs::copy(tree.join(file), dir.path().join(file)).unwrap();
    }
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "dev")
            .env("GIT_AUTHOR_EMAIL", "dev@example.org")
            .env("GIT_COMMITTER_NAME", "dev")
            .env("GIT_COMMITTER_EMAIL", "dev@example.org")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "add"]);
    let spawn = |who: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_privet"))
            .args(["approve", "workers", "--by", who])
            .current_dir(dir.path())
            .env("PRIVET_TEST_WRITE_PAUSE_MS", "400")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (bob, carol) = (spawn("bob"), spawn("carol"));
    for child in [bob, carol] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = fs::read_to_string(dir.path().join("proposals/workers.toml")).unwrap();
    for who in ["alice", "bob", "carol"] {
        assert!(text.contains(&format!("\"{who}\"")), "{who} lost:\n{text}");
    }
}
