//! `privet new NAME`: a proposal from the template, every answer to write.

use std::path::{Path, PathBuf};

use super::Identity;
use crate::date::Date;
use crate::files::display;
use crate::generate;
use crate::load;
use crate::names::{name_problem, snake_case};
use crate::scaffold;

use super::CommandError;

/// `privet new`: scaffolds `proposals/NAME.toml` under the registry root
/// `dir`; owners default to `$USER`, the event to `heartbeat` or the first
/// configured one. Returns what to print.
pub fn new_proposal(
    dir: &Path,
    name: &str,
    mut owners: Vec<String>,
    mut events: Vec<String>,
) -> Result<String, CommandError> {
    if let Some(problem) = name_problem(name) {
        return Err(
            CommandError::usage(format!("`{name}` is not a valid metric name: {problem}"))
                .help(format!("try `privet new {}`", snake_case(name))),
        );
    }
    if !dir.is_dir() {
        return Err(CommandError::usage(format!(
            "`{}` is not a directory: pass the registry root (--dir), where privet.toml and proposals/ are",
            display(dir)
        )));
    }
    // Read the configuration for the proposals directory and events; its
    // problems are `privet check`'s business.
    // `--dir` may name the registry root or its proposals directory (as
    // `check` takes either): the proposal goes where the registry keeps
    // them, never into `proposals/proposals/`.
    let located = load::locate(dir)
        .ok()
        .filter(|(root, inside)| inside.is_some() && root.join(crate::config::FILE_NAME).is_file());
    let (dir, inside) = match &located {
        Some((root, inside)) => (root.as_path(), inside.clone()),
        None => (dir, None),
    };
    let config = load::load_config(dir, &mut Default::default(), &mut Vec::new());
    let proposals_dir = inside.unwrap_or_else(|| dir.join(&config.proposals));
    if let Some(existing) = find_file(&proposals_dir, &format!("{name}.toml"), 0) {
        return Err(CommandError::usage(format!(
            "`{name}` already exists: {}",
            display(&existing)
        ))
        .help("a metric is its file name, wherever it is under the proposals directory: edit that one, or choose another name"));
    }
    if owners.is_empty() {
        // Who is writing it: git's user.name (user.email), else the login name.
        let git = Identity::of_git(dir).owner();
        owners.extend(git.or_else(|| {
            ["USER", "USERNAME"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        }));
    }
    let no_owner = if owners.is_empty() {
        "note: no owner given (--owner), and neither git's user.name nor $USER is set: fill in `owners`\n"
    } else {
        ""
    };
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
        schema: generate::editor::schema_directive(
            &config,
            &Path::new(&config.proposals).join(format!("{name}.toml")),
        ),
    });
    let path = proposals_dir.join(format!("{name}.toml"));
    if !crate::files::stays_inside(dir, &path) {
        return Err(CommandError::usage(format!(
            "refusing to create {}: the proposals directory leads outside the registry through a symlink",
            display(&path)
        ))
        .help("replace the link with the directory of proposals"));
    }
    match crate::files::create_new(&path, &text) {
        Ok(()) => Ok(format!(
            "created {}\n{no_owner}answer its checklist questions, then run `privet check` to see what is still open\n",
            display(&path)
        )),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(CommandError::usage(format!(
                "{} already exists; privet new never overwrites a proposal",
                display(&path)
            ))
            .help("edit it, or choose another name"))
        }
        Err(e) => Err(CommandError::usage(format!(
            "cannot write {}: {e}",
            display(&path)
        ))),
    }
}

/// The first file named `file` under `dir` (not in hidden directories).
fn find_file(dir: &Path, file: &str, depth: usize) -> Option<PathBuf> {
    if depth > load::MAX_DEPTH {
        return None;
    }
    let direct = dir.join(file);
    if direct.is_file() {
        return Some(direct);
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    subdirs.iter().find_map(|d| find_file(d, file, depth + 1))
}
