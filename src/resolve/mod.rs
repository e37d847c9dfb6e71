//! Stage 2, resolve: the provenance of every proposal, read from git.
//!
//! One pass over first-parent history, oldest commit first, finds for each
//! metric the commit that introduced it and every later commit that changed
//! its file, recording the definition fingerprint, status and approval of
//! each version. A commit whose proposals subtree is the same object as its
//! parent's is skipped after one comparison of tree ids; a changed subtree
//! is compared entry by entry, descending only into subdirectories whose ids
//! differ.
//!
//! Policy (documented in README.md and tested in tests/provenance.rs):
//!
//! - **First parent.** History is the first-parent chain from HEAD: a merge
//!   is one change, attributed to the merge commit. When a merge introduces
//!   a proposal, the commit on the merged branch that first added the file
//!   is found too, and its author counts as the author (no self-approval).
//! - **Renames.** A metric is its file stem: moving a file to another
//!   directory keeps its history (`moved`); renaming the stem is a new
//!   metric (the old one is `deleted`).
//! - **Re-adds.** A metric deleted and added again keeps its history: it was
//!   introduced by the first commit that added it, and the re-add is an event.
//! - **Working tree.** Proposals not committed yet are reported as such.
//!
//! The result is cached inside the git directory (`.git/privet/`), keyed by
//! HEAD: with no new commits a run reads the cache only; after new commits
//! it walks only them. The cache is authenticated with a key kept next to it
//! (see [`cache`]): an edited or foreign cache file is ignored and history is
//! walked again. Even with a valid cache, HEAD's proposals tree is read and
//! must be the one the cache was built from, and every proposal blob HEAD
//! holds as a loose object is inflated and checked, so a corrupt loose
//! object there is always found; packed objects are left to `git fsck`.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use git2::{ObjectType, Oid, Repository};

use crate::diagnostic::{Diagnostic, FileRef, Sources};
use crate::files::display;
use crate::fingerprint;
use crate::load::Registry;
use crate::load::proposal;
use crate::load::toml::Cx;
use crate::model::Proposal;

use crate::rules::{Rule, Severity};

pub const HISTORY_UNAVAILABLE: Rule = Rule {
    id: "history-unavailable",
    family: "provenance",
    severity: Severity::Error,
    summary: "git history cannot be read, so provenance cannot be checked",
    what: "A registry whose git history privet cannot walk: a shallow clone, a corrupt or \
           missing object, a bare repository; and, in `cargo xtask audit`, a registry outside \
           any git repository or a repository without commits. (`privet check` only notes \
           the last two in its summary line.) The other stages still run.",
    why: "Without history nobody can say which commit introduced a metric or whether its \
          approver wrote it. A CI job that checks out one commit (`fetch-depth: 1`) would \
          otherwise pass approvals it cannot verify.",
    example: "# .github/workflows/audit.yml\n- uses: actions/checkout@v4   # fetch-depth defaults to 1: shallow",
};

/// Bumped whenever the cache layout or the meaning of a fingerprint changes.
const CACHE_FORMAT: u32 = 5;

/// Most commits searched on a merged branch for the commit that really
/// added a proposal.
const MAX_BRANCH_SEARCH: usize = 10_000;

/// One commit of the history.
#[derive(Clone, Debug, PartialEq)]
pub struct Commit {
    pub id: String,
    pub author: Arc<str>,
    /// The author's email.
    pub email: Arc<str>,
    pub committer_email: Arc<str>,
    /// Whether the commit has more than one parent.
    pub merge: bool,
    /// Seconds since the Unix epoch.
    pub time: i64,
    pub subject: String,
}

impl Commit {
    pub fn short(&self) -> &str {
        crate::diagnostic::head(&self.id, 10)
    }

    /// `YYYY-MM-DD` of the commit.
    pub fn date(&self) -> String {
        crate::date::Date::from_days(self.time.div_euclid(86_400)).to_string()
    }

    /// `commit abc1234567 "subject" by Name on 2026-11-02`.
    pub fn describe(&self) -> String {
        format!(
            "commit {} \"{}\" by {} on {}",
            self.short(),
            self.subject,
            self.author,
            self.date()
        )
    }

    /// Like [`Commit::describe`], with the author's email:
    /// `commit abc1234567 "subject" by Name <email> on 2026-11-02`.
    pub fn describe_with_email(&self) -> String {
        format!(
            "commit {} \"{}\" by {} <{}> on {}",
            self.short(),
            self.subject,
            self.author,
            self.email,
            self.date()
        )
    }

    /// Whether reviewer `who`, with the commit emails `identities`
    /// (lower-cased), is this commit's author. A reviewer without identities
    /// is matched loosely, to stay on the safe side: the handle equal to the
    /// author's name, email or the email's local part, ignoring case.
    pub fn authored_by(&self, who: &str, identities: &[String]) -> bool {
        if identities.is_empty() {
            return self.is_author(who);
        }
        identities.contains(&self.email.to_lowercase())
    }

    /// Whether `identities` (lower-cased emails) include this commit's committer.
    pub fn committed_by(&self, identities: &[String]) -> bool {
        identities.contains(&self.committer_email.to_lowercase())
    }

    /// Whether handle `who` loosely names this commit's author: equal to the
    /// name, the email or the email's local part, ignoring case.
    fn is_author(&self, who: &str) -> bool {
        let who = who.trim().to_lowercase();
        let local = self.email.split('@').next().unwrap_or("");
        !who.is_empty()
            && [&*self.author, &*self.email, local]
                .iter()
                .any(|s| !s.is_empty() && s.to_lowercase() == who)
    }
}

/// What a commit did to a metric's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// First added.
    Added,
    /// Added again after it was deleted.
    Readded,
    /// The definition (fingerprint) changed.
    Changed,
    /// The file changed but not the definition (prose, status, approval).
    Edited,
    /// The file moved to another directory, from this path.
    Moved {
        from: Arc<str>,
    },
    Deleted,
}

/// An approval as recorded in one version of the file.
#[derive(Clone, Debug, PartialEq)]
pub struct ApprovalRecord {
    pub by: Arc<[Arc<str>]>,
    pub fingerprint: Option<Arc<str>>,
}

/// One event in a metric's history.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Index into [`History::commits`].
    pub commit: usize,
    pub change: Change,
    /// Path of the file, relative to the proposals directory.
    pub path: Arc<str>,
    /// Absent when deleted or when the file did not parse.
    pub fingerprint: Option<Arc<str>>,
    pub status: Option<Arc<str>>,
    pub approval: Option<ApprovalRecord>,
    /// For an introduction or a change of the definition through a merge:
    /// the commit on the merged branch that wrote it (index into
    /// [`History::commits`]).
    pub authored_in: Option<usize>,
    /// For approvals that came in by a merge: the commit on the merged
    /// branch that wrote each reviewer's approval (index into
    /// [`History::commits`]). Other approvals were written by `commit`.
    pub approved_in: BTreeMap<Arc<str>, usize>,
}

impl Event {
    /// Whether this version of the file holds `who`'s approval of the
    /// definition with `fingerprint` (whatever its status says).
    pub fn holds_approval(&self, who: &str, fingerprint: &str) -> bool {
        self.change != Change::Deleted
            && self.approval.as_ref().is_some_and(|a| {
                a.fingerprint.as_deref() == Some(fingerprint) && a.by.iter().any(|b| &**b == who)
            })
    }
}

/// Which commit wrote a reviewer's approval of a definition.
#[derive(Clone, Debug, PartialEq)]
pub enum ApprovalSource<'h> {
    /// Written by `commit`; `merge` is the merge that brought it into the
    /// first-parent history, when it was written on a merged branch.
    Committed {
        commit: &'h Commit,
        merge: Option<&'h Commit>,
    },
    /// HEAD's version of the proposal does not hold this approval: it is
    /// only in the working tree.
    NotCommitted,
}

/// Whether a commit carries a verified signature, and whose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// `git log --format=%G?`: `G` is a good signature from a known key.
    pub status: char,
    /// The signer: the SSH principal or the GPG user id.
    pub signer: String,
}

impl Signature {
    /// Whether the signature is good and made by one of `identities`.
    pub fn by(&self, identities: &[String]) -> bool {
        let signer = self.signer.to_lowercase();
        self.status == 'G'
            && identities
                .iter()
                .any(|id| signer == *id || signer.contains(&format!("<{id}>")))
    }
}

/// What is at HEAD for one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Present {
    pub path: Arc<str>,
    pub blob: String,
    pub fingerprint: Option<Arc<str>>,
}

/// The provenance of every metric ever in the registry.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    pub format: u32,
    pub head: String,
    /// The proposals directory, relative to the repository's work tree.
    pub prefix: String,
    pub commits: Commits,
    pub metrics: BTreeMap<String, Vec<Event>>,
    /// The metrics present at HEAD.
    pub present: BTreeMap<String, Present>,
    /// Id of the proposals subtree at HEAD, if any.
    pub tree: Option<String>,
    /// Canonical definitions (see `fingerprint`), by fingerprint, for diffs.
    pub definitions: Definitions,
    /// Commits walked to build this (for the benchmark and the cache test).
    pub walked: usize,
    /// Signatures of the commits that wrote the current approvals, by
    /// commit id (read only when `signatures = "required"`; never cached).
    pub signatures: BTreeMap<String, Signature>,
}

impl History {
    /// The events of `name`, oldest first.
    pub fn events(&self, name: &str) -> &[Event] {
        self.metrics.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn commit(&self, index: usize) -> &Commit {
        self.commits.get(index)
    }

    /// The canonical definition of an event's version.
    pub fn definition(&self, e: &Event) -> Option<&str> {
        e.fingerprint.as_ref().and_then(|f| self.definitions.get(f))
    }

    /// The event that introduced `name` (its first addition).
    pub fn introduced(&self, name: &str) -> Option<&Event> {
        self.events(name).iter().find(|e| e.change == Change::Added)
    }

    /// Who wrote the introduction of `name`: the commit on a merged branch
    /// when the proposal came in by a merge, else the introducing commit. A
    /// merge commit never makes whoever merged an author.
    pub fn authors(&self, name: &str) -> Vec<&Commit> {
        let Some(e) = self.introduced(name) else {
            return Vec::new();
        };
        self.written_in(e).into_iter().collect()
    }

    /// The commit that wrote an event's version: the commit on the merged
    /// branch when the event is a merge, `None` when no branch commit is
    /// known (the person who merged wrote nothing).
    fn written_in(&self, e: &Event) -> Option<&Commit> {
        match e.authored_in {
            Some(i) => Some(self.commit(i)),
            None => Some(self.commit(e.commit)).filter(|c| !c.merge),
        }
    }

    /// Everyone who wrote the definition of `name` as it stands: the authors
    /// of its introduction and of every commit that changed the definition
    /// since (a re-add or a move that changed it counts as a change).
    pub fn definition_authors(&self, name: &str) -> Vec<&Commit> {
        let mut out = self.authors(name);
        let events = self.events(name);
        let mut last = None;
        for e in events {
            if e.change == Change::Deleted {
                continue;
            }
            if last.is_some()
                && e.fingerprint.is_some()
                && e.fingerprint != last
                && let Some(c) = self.written_in(e)
                && !out.iter().any(|o| o.id == c.id)
            {
                out.push(c);
            }
            if e.fingerprint.is_some() {
                last = e.fingerprint.clone();
            }
        }
        out
    }

    /// The commit that wrote reviewer `who`'s approval of `fingerprint` into
    /// `name` as HEAD has it: the oldest of the latest unbroken run of
    /// versions whose approval holds both.
    pub fn approval_source(&self, name: &str, who: &str, fingerprint: &str) -> ApprovalSource<'_> {
        let holds = |e: &Event| e.holds_approval(who, fingerprint);
        let events = self.events(name);
        let Some(last) = events.last().filter(|e| holds(e)) else {
            return ApprovalSource::NotCommitted;
        };
        let mut first = last;
        for e in events.iter().rev().skip(1) {
            if !holds(e) {
                break;
            }
            first = e;
        }
        let at = self.commit(first.commit);
        match first.approved_in.get(who) {
            Some(&i) => ApprovalSource::Committed {
                commit: self.commit(i),
                merge: Some(at),
            },
            None => ApprovalSource::Committed {
                commit: at,
                merge: None,
            },
        }
    }
}

/// Why history could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum Unavailable {
    /// Not inside a git repository.
    NoRepository,
    /// A shallow clone: the history is cut off.
    Shallow,
    /// HEAD points nowhere yet (a repository without commits).
    NoCommits,
    /// A bare repository: no work tree holds the proposals.
    Bare,
    /// HEAD's branch has no commits, while other branches do.
    Orphan,
    /// A `.git` file (worktree, submodule) points at a git directory that
    /// cannot be opened.
    DanglingGitFile(String),
    /// The repository belongs to another user and git's `safe.directory`
    /// does not allow it.
    NotOwned(String),
    /// Replace refs or grafts: git would show other commits (and so other
    /// authors and signatures) than the ones committed.
    Rewritten(String),
    /// Anything else: a corrupt or missing object, an unreadable repository.
    Broken(String),
}

impl Unavailable {
    pub fn describe(&self) -> String {
        match self {
            Unavailable::NoRepository => "the registry is not inside a git repository".into(),
            Unavailable::Shallow => "the repository is a shallow clone: history is cut off".into(),
            Unavailable::NoCommits => "the repository has no commits yet".into(),
            Unavailable::Bare => {
                "the repository is bare: it has no work tree holding the proposals".into()
            }
            Unavailable::NotOwned(e) => format!("git refuses the repository: {e}"),
            Unavailable::Orphan => {
                "HEAD's branch has no commits yet (an orphan branch); other branches have history"
                    .into()
            }
            Unavailable::DanglingGitFile(why) => why.clone(),
            Unavailable::Rewritten(what) => format!(
                "the history is rewritten by {what}: a replacement would lend one commit's author or signature to another, so provenance is not read through it"
            ),
            Unavailable::Broken(e) => format!("git history cannot be read: {e}"),
        }
    }

    pub fn fix(&self) -> &'static str {
        match self {
            Unavailable::NoRepository => {
                "run privet inside the git repository that holds the registry (`git init` for a new one)"
            }
            Unavailable::Shallow => {
                "fetch the full history: `git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout"
            }
            Unavailable::NoCommits => {
                "commit the proposals: their introducing commit is the one that adds them"
            }
            Unavailable::Bare => {
                "run privet in a clone with a work tree (`git clone` without `--bare`, or `git worktree add`)"
            }
            Unavailable::Orphan => {
                "commit the proposals on this branch, or check out the branch whose history they have"
            }
            Unavailable::DanglingGitFile(_) => {
                "restore the git directory (`git worktree prune` and add the worktree again, or `git submodule update --init`), or run privet in a full clone"
            }
            Unavailable::Rewritten(_) => {
                "run privet in a clone without them (`git replace -d` each replace ref, remove .git/info/grafts)"
            }
            Unavailable::NotOwned(_) => {
                "the repository is owned by another user: run privet as that user, or mark it safe with `git config --global --add safe.directory DIR`"
            }
            Unavailable::Broken(_) => {
                "check the repository with `git fsck`; re-clone it if objects are missing"
            }
        }
    }
}

/// The history of the proposals directory `proposals_dir`; with `use_cache`,
/// from the cache in the git directory where it is still valid.
pub fn history(proposals_dir: &Path, use_cache: bool) -> Result<History, Unavailable> {
    history_knowing(proposals_dir, None, use_cache, HashMap::new)
}

/// The repository a run works in: found once, by searching up from the
/// registry root as git does, and handed to every stage that reads git or
/// keeps a record beside it (the memo, the history, the freshness record).
#[derive(Clone, Debug)]
pub struct Located {
    /// The git directory (`.git`, or a worktree's or submodule's own).
    pub git_dir: std::path::PathBuf,
    /// The work tree; `None` for a bare repository.
    pub workdir: Option<std::path::PathBuf>,
    /// The commit HEAD names; `None` when it is unborn.
    pub head: Option<String>,
}

/// Finds the repository holding `dir` (see [`Located`]).
pub fn locate(dir: &Path) -> Result<Located, Unavailable> {
    let repo = discover(dir)?;
    let head = repo
        .head()
        .ok()
        .and_then(|h| h.target())
        .map(|id| id.to_string());
    Ok(Located {
        git_dir: repo.path().to_path_buf(),
        workdir: repo.workdir().and_then(|w| w.canonicalize().ok()),
        head,
    })
}

/// The text of the registry's `privet.toml` at revision `rev` (a branch,
/// tag or commit, as `git rev-parse` takes it), for the trust anchors of
/// `privet audit --base`. `Ok(None)` when the base has no such file (the
/// change under review adds the registry); `Err` says why `rev` cannot be
/// read.
pub fn config_at(located: &Located, root: &Path, rev: &str) -> Result<Option<String>, String> {
    let repo = Repository::open(&located.git_dir)
        .map_err(|e| format!("cannot open the repository: {}", e.message()))?;
    let commit = base_commit(&repo, rev)?;
    let workdir = located
        .workdir
        .as_ref()
        .ok_or("a bare repository has no registry to compare")?;
    let rel = inside_repository(root, workdir)?.join(crate::config::FILE_NAME);
    let tree = commit
        .tree()
        .map_err(|e| format!("cannot read `{rev}`: {}", e.message()))?;
    let Ok(entry) = tree.get_path(&rel) else {
        return Ok(None);
    };
    let blob = entry
        .to_object(&repo)
        .and_then(|o| o.peel_to_blob())
        .map_err(|e| format!("cannot read {} at `{rev}`: {}", rel.display(), e.message()))?;
    if blob.size() as u64 > crate::load::MAX_FILE_BYTES {
        return Err(format!("{} at `{rev}` is too large to read", rel.display()));
    }
    String::from_utf8(blob.content().to_vec())
        .map(Some)
        .map_err(|_| format!("{} at `{rev}` is not UTF-8", rel.display()))
}

/// The registry's path relative to the work tree, as the user named it
/// (not resolved through symlinks). A symlink on that path inside the
/// repository is refused: the base's `privet.toml` is read by path, and a
/// pull request that replaces the registry's directory by a link to
/// another one would otherwise be judged by no base at all.
fn inside_repository(root: &Path, workdir: &Path) -> Result<std::path::PathBuf, String> {
    let lexical = std::path::absolute(root).map_err(|e| e.to_string())?;
    let outside = || "the registry is not inside the repository's work tree".to_string();
    let (top, rel) = lexical
        .ancestors()
        .find_map(|a| {
            let canonical = a.canonicalize().ok()?;
            let rel = lexical.strip_prefix(a).ok()?.to_path_buf();
            (canonical == workdir).then(|| (a.to_path_buf(), rel))
        })
        .ok_or_else(outside)?;
    let mut at = top;
    for part in rel.components() {
        match part {
            std::path::Component::Normal(p) => at.push(p),
            std::path::Component::CurDir => continue,
            _ => return Err(outside()),
        }
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "`{}` is a symlink inside the repository: --base reads the base's privet.toml by path, so the registry's path must be a real directory",
                crate::files::display(rel.as_path())
            ));
        }
    }
    Ok(rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect())
}

/// The commit a `--base` names. A plain name must be a branch, local
/// (`refs/heads/NAME`) or remote-tracking (`refs/remotes/NAME`), and only
/// one of them: a tag, or a branch and a tag of the same name, is refused,
/// because whoever pushes to the pull request can also push a tag named
/// `origin/main` (git itself prefers the tag). A full ref name
/// (`refs/...`), a commit id, or an expression (`HEAD~1`, `main^`) is
/// taken as `git rev-parse` takes it.
fn base_commit<'r>(repo: &'r Repository, rev: &str) -> Result<git2::Commit<'r>, String> {
    let missing = |why: String| {
        format!(
            "`{rev}` names no commit here ({why}); fetch it first (a shallow CI checkout needs the base branch: `git fetch origin {rev}`)"
        )
    };
    let hex = rev.len() >= 7 && rev.bytes().all(|b| b.is_ascii_hexdigit());
    if hex && rev.len() == 40 {
        // A full commit id is that commit, whatever a ref is called.
        return git2::Oid::from_str(rev)
            .and_then(|id| repo.find_commit(id))
            .map_err(|e| missing(e.message().to_string()));
    }
    let found = |name: &str| repo.find_reference(name).ok();
    let refs = [
        format!("refs/heads/{rev}"),
        format!("refs/remotes/{rev}"),
        format!("refs/tags/{rev}"),
    ];
    if hex && refs.iter().any(|r| found(r).is_some()) {
        return Err(format!(
            "`{rev}` is both an abbreviated commit id and a ref name here: pass the full commit id"
        ));
    }
    // In an expression (`origin/main~1`), the name it starts from must not
    // be a tag either.
    let start = rev.split(['~', '^', '@', ':']).next().unwrap_or("");
    if start != rev
        && !start.is_empty()
        && start != "HEAD"
        && !start.starts_with("refs/")
        && found(&format!("refs/tags/{start}")).is_some()
    {
        return Err(format!(
            "`{start}` is a tag here: the trust anchors come from a branch; start the expression from the full ref name (`refs/remotes/{start}` or `refs/heads/{start}`)"
        ));
    }
    let named_exactly = rev.starts_with("refs/") || rev.contains(['~', '^', '@', ':']) || hex;
    if named_exactly {
        return repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| missing(e.message().to_string()));
    }
    let branches: Vec<git2::Reference> = refs[..2].iter().filter_map(|n| found(n)).collect();
    if found(&refs[2]).is_some() {
        return Err(format!(
            "`{rev}` is a tag here{}: the trust anchors come from a branch, and a tag of the same name is what a pull request could push; pass the full ref name (`refs/remotes/{rev}` or `refs/heads/{rev}`)",
            if branches.is_empty() {
                ""
            } else {
                " as well as a branch"
            }
        ));
    }
    match branches.as_slice() {
        [one] => one
            .peel_to_commit()
            .map_err(|e| missing(e.message().to_string())),
        [] => Err(missing("no branch of that name".into())),
        _ => Err(format!(
            "`{rev}` is both a local and a remote-tracking branch here: pass the full ref name (`refs/remotes/{rev}` or `refs/heads/{rev}`)"
        )),
    }
}

/// `Repository::discover`, its failures said as [`Unavailable`].
fn discover(dir: &Path) -> Result<Repository, Unavailable> {
    Repository::discover(dir).map_err(|e| match e.code() {
        git2::ErrorCode::NotFound => match dangling_git_file(dir) {
            Some(why) => Unavailable::DanglingGitFile(why),
            None => Unavailable::NoRepository,
        },
        git2::ErrorCode::Owner => Unavailable::NotOwned(e.message().to_string()),
        _ => Unavailable::Broken(e.message().to_string()),
    })
}

/// The repository that holds `proposals_dir`: the one `located` already
/// found when the directory is in its work tree with no repository of its
/// own in between (a submodule), opened there without searching again;
/// else found from the directory.
fn open_for(proposals_dir: &Path, located: Option<&Located>) -> Result<Repository, Unavailable> {
    if let Some(workdir) = located.and_then(|l| l.workdir.as_deref())
        && let Ok(dir) = proposals_dir.canonicalize()
        && dir.starts_with(workdir)
        && !dir
            .ancestors()
            .take_while(|a| *a != workdir)
            .any(|a| a.join(".git").exists())
        && let Ok(repo) = Repository::open_ext(
            workdir,
            git2::RepositoryOpenFlags::NO_SEARCH,
            std::iter::empty::<&std::ffi::OsStr>(),
        )
    {
        return Ok(repo);
    }
    discover(proposals_dir)
}

/// Turns off libgit2's re-hashing of every object it reads, for the whole
/// process: objects are still checked by zlib and by their type, as git
/// itself does, and a cold history walk costs half as much. A process-wide
/// switch of libgit2, so only the `privet` program flips it, never the
/// library (a host program's other libgit2 users keep their checks).
pub fn skip_object_rehashing() {
    git2::opts::strict_hash_verification(false);
}

/// [`history`], taking the versions `known` returns (by blob id: the files
/// of the work tree, already parsed by the load stage) instead of parsing
/// them again; `known` is called only when there is history to walk.
fn history_knowing(
    proposals_dir: &Path,
    located: Option<&Located>,
    use_cache: bool,
    known: impl FnOnce() -> HashMap<Oid, Parsed>,
) -> Result<History, Unavailable> {
    let repo = open_for(proposals_dir, located)?;
    if repo.is_shallow() {
        return Err(Unavailable::Shallow);
    }
    // Provenance is read from the commits as committed: replace refs and
    // grafts are refused rather than followed or silently ignored.
    let replaced = repo
        .references_glob("refs/replace/*")
        .map(|mut refs| refs.next().is_some())
        .unwrap_or(false);
    if replaced {
        return Err(Unavailable::Rewritten(
            "replace refs (refs/replace/)".into(),
        ));
    }
    if repo.path().join("info/grafts").is_file() {
        return Err(Unavailable::Rewritten("grafts (.git/info/grafts)".into()));
    }
    let workdir = repo.workdir().ok_or(Unavailable::Bare)?;
    let prefix = relative_prefix(workdir, proposals_dir)?;
    let mut objects = objects::Objects::new(&repo, objects::Guard::new(&repo));
    let head = match repo.head() {
        Ok(h) => {
            let id = h
                .resolve()
                .map_err(broken)?
                .target()
                .ok_or_else(|| Unavailable::Broken("HEAD does not point at a commit".into()))?;
            objects.guard().check(id)?;
            repo.find_commit(id).map_err(broken)?
        }
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            // An orphan branch in a repository with history elsewhere is
            // not a repository without commits.
            let others = repo
                .branches(None)
                .map(|b| b.flatten().count())
                .unwrap_or(0);
            if others > 0 {
                return Err(Unavailable::Orphan);
            }
            return Err(Unavailable::NoCommits);
        }
        Err(e) => return Err(broken(e)),
    };
    let head_id = head.id().to_string();

    let cache = use_cache.then(|| cache::Cache::new(repo.path(), &prefix));
    let (mut cached, stamp) = match cache.as_ref().and_then(cache::Cache::read_stamped) {
        Some((h, stamp)) if h.format == CACHE_FORMAT && h.prefix == prefix => {
            (Some(h), Some(stamp))
        }
        _ => (None, None),
    };
    if let Some(h) = &cached {
        // The cache never outranks the repository.
        if !check_present(&mut objects, h, &head)? {
            cached = None;
        }
    }
    if let Some(h) = cached.take_if(|h| h.head == head_id) {
        return Ok(h);
    }

    // The first-parent chain from HEAD back to the root, or to the cached head.
    let stop = cached.as_ref().and_then(|h| Oid::from_str(&h.head).ok());
    let mut chain = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut reached_cache = false;
    let mut id = head.id();
    loop {
        if Some(id) == stop {
            reached_cache = true;
            break;
        }
        // Commits are not re-hashed: two corrupt ones can name each other.
        if !seen.insert(id) {
            return Err(Unavailable::Broken(format!(
                "commit {id} is its own ancestor (the repository is corrupt)"
            )));
        }
        let (tree, parent) = objects.commit(id)?;
        chain.push((id, tree));
        match parent {
            Some(parent) => id = parent,
            None => break,
        }
    }
    chain.reverse();

    let known = known();
    let mut walker = Walker {
        repo: &repo,
        objects,
        parsed: HashMap::new(),
        trees: Trees::default(),
        tree: cached_tree(reached_cache, cached.as_ref()),
        history: match (reached_cache, cached) {
            (true, Some(h)) => h,
            _ => History {
                format: CACHE_FORMAT,
                head: String::new(),
                prefix: prefix.clone(),
                commits: Commits::default(),
                metrics: BTreeMap::new(),
                present: BTreeMap::new(),
                tree: None,
                definitions: Definitions::default(),
                walked: 0,
                signatures: BTreeMap::new(),
            },
        },
    };
    // Where the cached history ended: the cache is extended by the difference.
    let mark = reached_cache.then(|| cache::Mark::of(&walker.history));
    // Pass 1: which files each commit changed, while the other cores parse
    // the new versions it finds (pass 2); when the walk is done this thread
    // parses too. Pass 3: record the events in history order.
    let mut steps = Vec::new();
    let git_dir = repo.path().to_path_buf();
    let parsed = {
        let walker = &mut walker;
        let steps = &mut steps;
        let (tx, rx) = std::sync::mpsc::channel::<Vec<Oid>>();
        let rx = std::sync::Mutex::new(rx);
        let guard = walker.objects.guard().clone();
        let helpers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .saturating_sub(1);
        let parse_queue = |objects: &mut objects::Objects<'_>| {
            let mut out = Vec::new();
            loop {
                let batch = match rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok(batch) = batch else { break };
                // A blob that cannot be read is left out here; `parse`
                // then reports it in history order. A loose one is checked
                // even when the work tree has the same file (whose version
                // the load stage parsed).
                out.extend(batch.into_iter().filter_map(|oid| {
                    match known.get(&oid) {
                        Some(p) => guard.check(oid).ok().map(|_| (oid, p.clone())),
                        None => objects
                            .blob(oid)
                            .ok()
                            .map(|b| (oid, parse_version("metric", &b))),
                    }
                }));
            }
            out
        };
        std::thread::scope(|scope| -> Result<Vec<(Oid, Parsed)>, Unavailable> {
            let workers: Vec<_> = (0..helpers)
                .map(|_| {
                    let git_dir = &git_dir;
                    let parse_queue = &parse_queue;
                    let guard = &guard;
                    scope.spawn(move || match Repository::open(git_dir) {
                        Ok(repo) => parse_queue(&mut objects::Objects::new(&repo, guard.clone())),
                        Err(_) => Vec::new(),
                    })
                })
                .collect();
            let mut sent = std::collections::HashSet::new();
            let mut batch = Vec::new();
            let walked = (|| -> Result<(), Unavailable> {
                for (id, root) in chain {
                    if let Some(changes) = walker.scan(root)? {
                        // Read here, while the other cores parse.
                        let info = commit_info(&repo.find_commit(id).map_err(broken)?)?;
                        batch.extend(
                            changes
                                .iter()
                                .filter_map(|f| f.new)
                                .filter(|b| sent.insert(*b)),
                        );
                        if batch.len() >= 256 {
                            let _ = tx.send(std::mem::take(&mut batch));
                        }
                        steps.push((id, info, changes));
                    }
                }
                Ok(())
            })();
            let _ = tx.send(batch);
            drop(tx);
            let mut parsed = parse_queue(&mut walker.objects);
            for w in workers {
                parsed.extend(w.join().unwrap_or_default());
            }
            walked.map(|()| parsed)
        })?
    };
    walker.parsed.extend(parsed);
    for (id, info, changes) in steps {
        walker.record(id, info, changes)?;
    }
    walker.history.tree = walker.tree.map(|t| t.to_string());
    let mut history = walker.history;
    history.head = head_id;
    if let Some(c) = &cache {
        // A cache that cannot be written only costs time next run.
        match (&stamp, &mark) {
            (Some(stamp), Some(mark)) => c.extend(stamp, mark, &history),
            _ => c.write(&history),
        }
    }
    Ok(history)
}

/// Checks a cached history against the repository, cheaply: every proposal
/// blob it says HEAD holds that is a loose object is inflated and checked
/// (a corrupt one is found as it would be without the cache); packed
/// objects are not read (a pack is checked by `git fsck`, and nothing in
/// the history is derived from them again). Returns whether the cache may
/// be used: when it is for HEAD, HEAD's proposals tree must be the one it
/// was built from.
fn check_present(
    objects: &mut objects::Objects<'_>,
    h: &History,
    head: &git2::Commit,
) -> Result<bool, Unavailable> {
    for p in h.present.values() {
        let id = Oid::from_str(&p.blob).map_err(broken)?;
        if let Some(kind) = objects.guard().check(id)?
            && kind != ObjectType::Blob
        {
            return Err(Unavailable::Broken(format!(
                "object {} ({}) is not a blob",
                p.blob, p.path
            )));
        }
    }
    if h.head != head.id().to_string() {
        return Ok(true);
    }
    let at_head = match objects.entry_at(head.tree_id(), &h.prefix)? {
        Some((id, ObjectType::Tree)) => Some(id.to_string()),
        _ => None,
    };
    Ok(at_head == h.tree)
}

/// Why no repository was found although an ancestor of `dir` has a `.git`
/// file (a worktree or submodule whose git directory is gone).
fn dangling_git_file(dir: &Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    dir.ancestors().find_map(|a| {
        let git = a.join(".git");
        git.is_file().then(|| {
            let target = fs::read_to_string(&git)
                .ok()
                .and_then(|t| {
                    t.trim()
                        .strip_prefix("gitdir:")
                        .map(|g| g.trim().to_string())
                })
                .unwrap_or_default();
            format!(
                "{} points at the git directory `{target}`, which cannot be opened",
                git.display()
            )
        })
    })
}

/// The proposals subtree a cached history ends with.
fn cached_tree(reached: bool, cached: Option<&History>) -> Option<Oid> {
    if !reached {
        return None;
    }
    cached
        .and_then(|h| h.tree.as_deref())
        .and_then(|t| Oid::from_str(t).ok())
}

fn broken(e: git2::Error) -> Unavailable {
    Unavailable::Broken(e.message().to_string())
}

/// `proposals_dir` relative to `workdir`, with `/` separators.
fn relative_prefix(workdir: &Path, proposals_dir: &Path) -> Result<String, Unavailable> {
    let canon = |p: &Path| {
        p.canonicalize()
            .map_err(|e| Unavailable::Broken(format!("{}: {e}", p.display())))
    };
    let (w, d) = (canon(workdir)?, canon(proposals_dir)?);
    let rel = d.strip_prefix(&w).map_err(|_| {
        Unavailable::Broken("the proposals directory is outside the repository".into())
    })?;
    Ok(rel.to_string_lossy().replace('\\', "/"))
}

/// What a proposal file parses to, for the history.
#[derive(Clone, Debug, PartialEq)]
struct Parsed {
    fingerprint: Option<Arc<str>>,
    definition: Option<String>,
    status: Option<Arc<str>>,
    approval: Option<ApprovalRecord>,
}

struct Walker<'r> {
    repo: &'r Repository,
    /// The walk's reads of trees, commits and blobs (and its guard).
    objects: objects::Objects<'r>,
    /// The proposals subtree of the last commit scanned.
    tree: Option<Oid>,
    /// Parsed blobs, by id: a blob is parsed once however often it recurs.
    parsed: HashMap<Oid, Parsed>,
    history: History,
    /// The trees of the proposals directory as the walk last read them.
    trees: Trees,
}

/// The trees of the proposals directory (it, and each subdirectory) as the
/// walk last read them, by id: when a later commit changes a directory,
/// its old tree is taken from here instead of being read from the pack
/// again (a quarter of the walk's object reads).
#[derive(Default)]
struct Trees {
    live: HashMap<Oid, Rc<Vec<u8>>>,
}

impl Trees {
    /// The tree `id` (if any) on the old side of a comparison: it has been
    /// read (and checked) already, unless the walk starts here.
    fn take_old(
        &mut self,
        objects: &mut objects::Objects<'_>,
        id: Option<Oid>,
    ) -> Result<Option<Rc<Vec<u8>>>, Unavailable> {
        let Some(id) = id else { return Ok(None) };
        match self.live.remove(&id) {
            Some(t) => Ok(Some(t)),
            None => objects.tree(id).map(Some),
        }
    }

    /// The tree `id` (if any) on the new side: read, and kept for when it
    /// is old.
    fn read_new(
        &mut self,
        objects: &mut objects::Objects<'_>,
        id: Option<Oid>,
    ) -> Result<Option<Rc<Vec<u8>>>, Unavailable> {
        let Some(id) = id else { return Ok(None) };
        let t = objects.tree(id)?;
        self.live.insert(id, Rc::clone(&t));
        Ok(Some(t))
    }
}

/// A changed proposal file in one commit.
struct FileChange {
    path: Arc<str>,
    old: Option<Oid>,
    new: Option<Oid>,
}

impl Walker<'_> {
    fn subtree(&mut self, root: Oid) -> Result<Option<Oid>, Unavailable> {
        match self.objects.entry_at(root, &self.history.prefix)? {
            Some((id, ObjectType::Tree)) => Ok(Some(id)),
            _ => Ok(None),
        }
    }

    /// Compares the proposals subtree of one commit (whose root tree is
    /// `root`) with its parent's; returns the changed proposal files, if any.
    fn scan(&mut self, root: Oid) -> Result<Option<Vec<FileChange>>, Unavailable> {
        self.history.walked += 1;
        let new_tree = self.subtree(root)?;
        let old_tree = self.tree;
        if new_tree == old_tree {
            return Ok(None);
        }
        let old = self.trees.take_old(&mut self.objects, old_tree)?;
        let new = self.trees.read_new(&mut self.objects, new_tree)?;
        let mut changes = Vec::new();
        let mut diff = Diff {
            objects: &mut self.objects,
            trees: &mut self.trees,
            out: &mut changes,
        };
        diff.trees_at(
            "",
            side(old_tree, old.as_ref()),
            side(new_tree, new.as_ref()),
        )?;
        self.tree = new_tree;
        Ok((!changes.is_empty()).then_some(changes))
    }

    /// Records the changes of one commit, in history order.
    fn record(
        &mut self,
        id: Oid,
        info: Commit,
        changes: Vec<FileChange>,
    ) -> Result<(), Unavailable> {
        let index = self.history.commits.len();
        let merge = info.merge;
        self.history.commits.push(info);
        // A merge's branch is searched for who wrote and approved what it
        // brings in.
        let commit = match merge {
            true => Some(self.repo.find_commit(id).map_err(broken)?),
            false => None,
        };
        // Group by metric name (file stem): deletions and additions of the
        // same stem in one commit are a move.
        let mut by_name: BTreeMap<String, Vec<FileChange>> = BTreeMap::new();
        for c in changes {
            by_name.entry(stem(&c.path)).or_default().push(c);
        }
        for (name, files) in by_name {
            self.apply(commit.as_ref(), index, &name, files)?;
        }
        Ok(())
    }

    fn apply(
        &mut self,
        merge: Option<&git2::Commit>,
        index: usize,
        name: &str,
        files: Vec<FileChange>,
    ) -> Result<(), Unavailable> {
        let present = self.history.present.get(name).cloned();
        // The file that holds the metric after this commit, if any.
        let kept = files
            .iter()
            .filter(|f| f.new.is_some())
            .min_by(|a, b| a.path.cmp(&b.path));
        let Some(kept) = kept else {
            if present.is_some() {
                self.history.present.remove(name);
                self.push(
                    name,
                    index,
                    Change::Deleted,
                    files[0].path.clone(),
                    None,
                    None,
                );
            }
            return Ok(());
        };
        let blob = kept.new.expect("kept files exist");
        let parsed = self.parse(name, blob)?;
        let change = match &present {
            None if self.history.metrics.contains_key(name) => Change::Readded,
            None => Change::Added,
            Some(p) if p.path != kept.path && kept.old.is_none() => Change::Moved {
                from: p.path.clone(),
            },
            Some(p) if p.fingerprint != parsed.fingerprint => Change::Changed,
            Some(_) => Change::Edited,
        };
        let authored_in = match merge {
            Some(merge) if change == Change::Added => self.branch_author(merge, &kept.path)?,
            // A definition changed by a merge was written on the branch: by
            // the oldest branch commit of the run that holds it.
            Some(merge) if change != Change::Edited => {
                let fp = parsed.fingerprint.clone();
                self.oldest_on_branch(merge, &kept.path, |s, blob| {
                    Ok(s.parse(name, blob)?.fingerprint == fp)
                })?
            }
            _ => None,
        };
        let approved_in = match merge {
            Some(merge) => {
                self.branch_approvers(merge, name, &kept.path, parsed.approval.as_ref())?
            }
            None => BTreeMap::new(),
        };
        self.history.present.insert(
            name.to_string(),
            Present {
                path: kept.path.clone(),
                blob: blob.to_string(),
                fingerprint: parsed.fingerprint.clone(),
            },
        );
        let path = kept.path.clone();
        self.push(name, index, change, path, Some(parsed), authored_in);
        if let Some(e) = self
            .history
            .metrics
            .get_mut(name)
            .and_then(|v| v.last_mut())
        {
            e.approved_in = approved_in;
        }
        Ok(())
    }

    fn push(
        &mut self,
        name: &str,
        commit: usize,
        change: Change,
        path: Arc<str>,
        parsed: Option<Parsed>,
        authored_in: Option<usize>,
    ) {
        if let Some(Parsed {
            fingerprint: Some(fp),
            definition: Some(def),
            ..
        }) = &parsed
        {
            self.history.definitions.insert(fp, def);
        }
        let parsed = parsed.unwrap_or(Parsed {
            fingerprint: None,
            definition: None,
            status: None,
            approval: None,
        });
        self.history
            .metrics
            .entry(name.to_string())
            .or_default()
            .push(Event {
                commit,
                change,
                path,
                fingerprint: parsed.fingerprint,
                status: parsed.status,
                approval: parsed.approval,
                authored_in,
                approved_in: BTreeMap::new(),
            });
    }

    /// For a proposal introduced by a merge: the oldest commit on the merged
    /// branch (second parent, first-parent chain, back to the merge base)
    /// that has the file.
    fn branch_author(
        &mut self,
        merge: &git2::Commit,
        path: &str,
    ) -> Result<Option<usize>, Unavailable> {
        self.oldest_on_branch(merge, path, |_, _| Ok(true))
    }

    /// Walks the merged branch of `merge` (its second parent's first-parent
    /// chain, back to the merge base) while the branch's version of `path`
    /// exists and satisfies `holds`; records the oldest such commit in the
    /// history and returns its index.
    fn oldest_on_branch(
        &mut self,
        merge: &git2::Commit,
        path: &str,
        mut holds: impl FnMut(&mut Self, Oid) -> Result<bool, Unavailable>,
    ) -> Result<Option<usize>, Unavailable> {
        let (Ok(main), Ok(side)) = (merge.parent_id(0), merge.parent_id(1)) else {
            return Ok(None);
        };
        let base = self.repo.merge_base(main, side).ok();
        let full = self.full_path(path);
        let mut found = None;
        let mut id = side;
        for _ in 0..MAX_BRANCH_SEARCH {
            if Some(id) == base {
                break;
            }
            self.objects.guard().check(id)?;
            let c = self.repo.find_commit(id).map_err(broken)?;
            let blob = match self.objects.entry_at(c.tree_id(), &full)? {
                Some((blob, ObjectType::Blob)) => blob,
                _ => break,
            };
            if !holds(self, blob)? {
                break;
            }
            found = Some(c.id());
            match c.parent_id(0) {
                Ok(p) => id = p,
                Err(_) => break,
            }
        }
        let Some(found) = found else { return Ok(None) };
        let c = self.repo.find_commit(found).map_err(broken)?;
        self.history.commits.push(commit_info(&c)?);
        Ok(Some(self.history.commits.len() - 1))
    }

    /// For a merge that brings approvals of `name` the first-parent history
    /// did not have: for each such reviewer, the oldest commit of the latest
    /// unbroken run on the merged branch whose version of the file holds that
    /// approval (the commit that wrote it there).
    fn branch_approvers(
        &mut self,
        merge: &git2::Commit,
        name: &str,
        path: &str,
        approval: Option<&ApprovalRecord>,
    ) -> Result<BTreeMap<Arc<str>, usize>, Unavailable> {
        let mut out = BTreeMap::new();
        let Some(ApprovalRecord {
            by,
            fingerprint: Some(fp),
        }) = approval
        else {
            return Ok(out);
        };
        let before = self
            .history
            .metrics
            .get(name)
            .and_then(|v| v.last())
            .filter(|e| e.change != Change::Deleted)
            .and_then(|e| e.approval.clone());
        let new: Vec<&Arc<str>> = by
            .iter()
            .filter(|who| {
                !before
                    .as_ref()
                    .is_some_and(|b| b.fingerprint.as_ref() == Some(fp) && b.by.contains(who))
            })
            .collect();
        for who in new {
            let written = self.oldest_on_branch(merge, path, |walker, blob| {
                Ok(walker
                    .parse(name, blob)?
                    .approval
                    .is_some_and(|a| a.fingerprint.as_ref() == Some(fp) && a.by.contains(who)))
            })?;
            if let Some(index) = written {
                out.insert(who.clone(), index);
            }
        }
        Ok(out)
    }

    /// `path` (relative to the proposals directory) relative to the work tree.
    fn full_path(&self, path: &str) -> String {
        if self.history.prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.history.prefix)
        }
    }

    fn parse(&mut self, name: &str, blob: Oid) -> Result<Parsed, Unavailable> {
        if let Some(p) = self.parsed.get(&blob) {
            return Ok(p.clone());
        }
        let b = self.objects.blob(blob)?;
        let parsed = parse_version(name, &b);
        self.parsed.insert(blob, parsed.clone());
        Ok(parsed)
    }
}

/// Fingerprint, definition, status and approval of one version of a file.
fn parse_version(name: &str, bytes: &[u8]) -> Parsed {
    let none = Parsed {
        fingerprint: None,
        definition: None,
        status: None,
        approval: None,
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return none;
    };
    if bytes.len() as u64 > crate::load::MAX_FILE_BYTES {
        return none;
    }
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let file = sources.add(name.to_string(), String::new());
    let mut cx = Cx {
        file,
        source: text,
        metric: None,
        diags: &mut diags,
    };
    let Some(p) = proposal::parse(name, text, &mut cx) else {
        return none;
    };
    version_of(&p)
}

fn version_of(p: &Proposal) -> Parsed {
    let (fingerprint, definition) = fingerprint::current(p);
    Parsed {
        fingerprint: Some(fingerprint.into()),
        definition: Some(definition),
        status: p
            .status
            .as_ref()
            .map(|s| format!("{:?}", s.value).to_lowercase().into()),
        approval: p.approval.as_ref().map(|a| ApprovalRecord {
            by: a.by.iter().map(|b| b.value.as_str().into()).collect(),
            fingerprint: a.fingerprint.as_ref().map(|f| f.value.as_str().into()),
        }),
    }
}

fn commit_info(c: &git2::Commit) -> Result<Commit, Unavailable> {
    // A commit naming two authors (or committers) is read differently by
    // git and by libgit2, so its attribution is refused, not guessed (git
    // fsck calls it multipleAuthors).
    let header = String::from_utf8_lossy(c.raw_header_bytes());
    for field in ["author", "committer"] {
        let count = header
            .lines()
            .filter(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(' ')))
            .count();
        if count > 1 {
            return Err(Unavailable::Broken(format!(
                "commit {} names {count} {field}s: git and other readers disagree on who wrote it (git fsck: multiple {field}s); rewrite it",
                c.id()
            )));
        }
    }
    let author = c.author();
    Ok(Commit {
        id: c.id().to_string(),
        author: author.name().unwrap_or("").into(),
        email: author.email().unwrap_or("").into(),
        committer_email: c.committer().email().unwrap_or("").into(),
        merge: c.parent_count() > 1,
        time: author.when().seconds(),
        subject: c.summary().ok().flatten().unwrap_or("").to_string(),
    })
}

/// The metric name of a path: its file stem.
fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `name` is a proposal file the loader would read (`*.toml`, not hidden).
fn is_proposal(path: &str) -> bool {
    path.ends_with(".toml") && !path.split('/').any(|part| part.starts_with('.'))
}

/// Deepest directory under the proposals directory the walk descends into.
const MAX_TREE_DEPTH: usize = 256;

/// One side of a tree comparison: the tree's id and contents.
type Side<'a> = Option<(Oid, &'a [u8])>;

fn side(id: Option<Oid>, data: Option<&Rc<Vec<u8>>>) -> Side<'_> {
    id.zip(data.map(|d| d.as_slice()))
}

/// The proposal files that differ between two trees, descending only into
/// subtrees whose ids differ.
struct Diff<'w, 'r> {
    objects: &'w mut objects::Objects<'r>,
    trees: &'w mut Trees,
    out: &'w mut Vec<FileChange>,
}

impl Diff<'_, '_> {
    /// Compares the trees `old` and `new` of directory `dir`. Git keeps tree
    /// entries sorted, so the two listings are merged in one pass, in place.
    fn trees_at(&mut self, dir: &str, old: Side<'_>, new: Side<'_>) -> Result<(), Unavailable> {
        // A tree that contains itself (objects are not re-hashed) or nests
        // absurdly deep is a broken repository, not a stack overflow.
        if dir.bytes().filter(|&b| b == b'/').count() >= MAX_TREE_DEPTH {
            return Err(Unavailable::Broken(format!(
                "the proposals directory nests deeper than {MAX_TREE_DEPTH} directories at `{dir}`"
            )));
        }
        let mut a = old.map(|(id, data)| objects::TreeEntries::new(id, data));
        let mut b = new.map(|(id, data)| objects::TreeEntries::new(id, data));
        fn next<'t>(
            it: &mut Option<objects::TreeEntries<'t>>,
        ) -> Result<Option<objects::TreeEntry<'t>>, Unavailable> {
            match it {
                Some(it) => it.next_entry(),
                None => Ok(None),
            }
        }
        let skip = |a: &mut Option<objects::TreeEntries<'_>>,
                    b: &mut Option<objects::TreeEntries<'_>>| {
            if let (Some(a), Some(b)) = (a, b) {
                objects::TreeEntries::skip_common(a, b);
            }
        };
        skip(&mut a, &mut b);
        let (mut x, mut y) = (next(&mut a)?, next(&mut b)?);
        while x.is_some() || y.is_some() {
            // Git orders entries by name with trees compared as if they
            // ended in '/'; comparing that key keeps the merge in step.
            let slash = |e: &objects::TreeEntry<'_>| (e.kind == ObjectType::Tree).then_some(&b'/');
            let order = match (&x, &y) {
                (Some(ex), Some(ey)) => ex
                    .name
                    .iter()
                    .chain(slash(ex))
                    .cmp(ey.name.iter().chain(slash(ey))),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            let (left, right) = match order {
                std::cmp::Ordering::Less => (x.take(), None),
                std::cmp::Ordering::Greater => (None, y.take()),
                std::cmp::Ordering::Equal => (x.take(), y.take()),
            };
            if left.is_none() {
                y = next(&mut b)?;
            } else if right.is_none() {
                x = next(&mut a)?;
            } else {
                skip(&mut a, &mut b);
                x = next(&mut a)?;
                y = next(&mut b)?;
            }
            if let (Some(l), Some(r)) = (&left, &right)
                && l.id == r.id
                && l.kind == r.kind
            {
                continue;
            }
            let entry = left
                .as_ref()
                .or(right.as_ref())
                .expect("one side has an entry");
            let name = String::from_utf8_lossy(entry.name);
            if name.starts_with('.') {
                continue;
            }
            let path = if dir.is_empty() {
                name.into_owned()
            } else {
                format!("{dir}/{name}")
            };
            let of_kind = |e: &Option<objects::TreeEntry>, kind| match e {
                Some(e) if e.kind == kind => Some(e.id),
                _ => None,
            };
            let (tl, tr) = (
                of_kind(&left, ObjectType::Tree),
                of_kind(&right, ObjectType::Tree),
            );
            let old = self.trees.take_old(self.objects, tl)?;
            let new = self.trees.read_new(self.objects, tr)?;
            if old.is_some() || new.is_some() {
                self.trees_at(&path, side(tl, old.as_ref()), side(tr, new.as_ref()))?;
            }
            let (bl, br) = (
                of_kind(&left, ObjectType::Blob),
                of_kind(&right, ObjectType::Blob),
            );
            if (bl.is_some() || br.is_some()) && is_proposal(&path) {
                self.out.push(FileChange {
                    path: path.into(),
                    old: bl,
                    new: br,
                });
            }
        }
        Ok(())
    }
}

/// How the resolve stage treats git history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryMode {
    /// Do not read history.
    Skip,
    /// Read it when the registry is in a repository with commits; a
    /// shallow or broken repository is still a finding.
    IfAvailable,
    /// History is required (`cargo xtask audit`): its absence is a finding.
    Required,
}

/// What the resolve stage found out about history.
#[derive(Debug, Clone)]
pub enum Provenance {
    /// History was not read (`--history skip`).
    Skipped,
    Available(History),
    Unavailable(Unavailable),
}

impl Provenance {
    /// The history, when it could be read.
    pub fn history(&self) -> Option<&History> {
        match self {
            Provenance::Available(h) => Some(h),
            _ => None,
        }
    }
}

/// The output of the resolve stage: provenance, and its findings.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub provenance: Provenance,
    pub findings: Vec<Diagnostic>,
}

/// Runs the resolve stage on `registry` in `mode`: reads history (through
/// the cache in the git directory) and reports why it cannot be read, where
/// that is a finding.
pub fn run(registry: &Registry, mode: HistoryMode) -> Resolved {
    let located = locate(&registry.root).ok();
    run_in(registry, mode, located.as_ref())
}

/// [`run`] in the repository the run already found (see [`Located`]).
pub fn run_in(registry: &Registry, mode: HistoryMode, located: Option<&Located>) -> Resolved {
    let mut findings = Vec::new();
    if mode == HistoryMode::Skip {
        return Resolved {
            provenance: Provenance::Skipped,
            findings,
        };
    }
    // The work tree's proposals are what HEAD most often holds: a walk
    // takes them as loaded instead of parsing their blobs again.
    let known = || {
        crate::parallel::par_map(&registry.proposals, |p| {
            let text = &registry.sources.get(p.file).text;
            let oid = Oid::hash_object(ObjectType::Blob, text.as_bytes()).ok()?;
            Some((oid, version_of(p)))
        })
        .into_iter()
        .flatten()
        .collect()
    };
    let provenance = match history_knowing(&registry.proposals_dir, located, true, known) {
        Ok(mut h) => {
            if registry.config.require_signatures {
                h.signatures = signatures(registry, &h);
            }
            Provenance::Available(h)
        }
        Err(why) => {
            let quiet = matches!(
                why,
                Unavailable::NoRepository | Unavailable::NoCommits | Unavailable::Orphan
            );
            if mode == HistoryMode::Required || !quiet {
                let shown = display(&registry.proposals_dir);
                findings.push(
                    Diagnostic::new(
                        &HISTORY_UNAVAILABLE,
                        FileRef::Path(shown),
                        0..0,
                        why.describe(),
                    )
                    .help(why.fix()),
                );
            }
            Provenance::Unavailable(why)
        }
    };
    Resolved {
        provenance,
        findings,
    }
}
/// The signatures of the commits that wrote the registry's current
/// approvals, as git verifies them (one `git log` for all of them, with
/// `[review] allowed_signers` as the SSH allowed-signers file). A commit git
/// cannot verify is absent.
fn signatures(registry: &Registry, h: &History) -> BTreeMap<String, Signature> {
    let mut ids = std::collections::BTreeSet::new();
    for p in &registry.proposals {
        let Some(approval) = &p.approval else {
            continue;
        };
        let Some(fp) = &approval.fingerprint else {
            continue;
        };
        for who in &approval.by {
            if let ApprovalSource::Committed { commit, merge } =
                h.approval_source(&p.name, &who.value, &fp.value)
            {
                ids.insert(commit.id.clone());
                if let Some(m) = merge {
                    ids.insert(m.id.clone());
                }
            }
        }
    }
    if ids.is_empty() {
        return BTreeMap::new();
    }
    let mut cmd = std::process::Command::new("git");
    cmd.arg("-C").arg(&registry.proposals_dir);
    if let Some(file) = &registry.config.allowed_signers {
        let mut arg = std::ffi::OsString::from("gpg.ssh.allowedSignersFile=");
        arg.push(registry.root.join(file));
        cmd.arg("-c").arg(arg);
    }
    cmd.args(["log", "--no-walk=unsorted", "--format=%H%x1f%G?%x1f%GS%x1e"])
        .args(&ids)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let Ok(out) = cmd.output() else {
        return BTreeMap::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .split('\x1e')
        .filter_map(|record| {
            let mut parts = record.trim_start_matches('\n').split('\x1f');
            let (id, status, signer) = (parts.next()?, parts.next()?, parts.next()?);
            Some((
                id.to_string(),
                Signature {
                    status: status.chars().next().unwrap_or('N'),
                    signer: signer.to_string(),
                },
            ))
        })
        .collect()
}

mod cache;
pub use cache::{Commits, Definitions};
mod objects;
mod pack;
pub mod story;

#[cfg(test)]
mod tests {
    use super::*;

    /// A walk takes the work tree's proposals as loaded instead of parsing
    /// their blobs: that is sound only while both give the same version.
    #[test]
    fn a_loaded_proposal_is_the_version_its_blob_parses_to() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in [root.to_path_buf(), root.join("tests/fixtures/good")] {
            let registry = crate::load::load(&dir).expect("bundled registry loads");
            assert!(!registry.proposals.is_empty(), "{}", dir.display());
            for p in &registry.proposals {
                let text = &registry.sources.get(p.file).text;
                assert_eq!(
                    version_of(p),
                    parse_version("metric", text.as_bytes()),
                    "{}",
                    registry.sources.get(p.file).path
                );
            }
        }
    }
}
