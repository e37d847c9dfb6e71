//! Registry configuration: `privet.toml` at the registry root.
//!
//! ```toml
//! proposals = "proposals"                      # where proposals live
//! events = ["install", "upgrade", "heartbeat"] # the payloads the client sends
//! schema_version = 1                           # sent in every payload's envelope
//!
//! [review]
//! quorum = 1                                   # distinct reviewers per approval
//! approvals = "signed"                         # or "commits" (weaker: see below)
//!
//! [review.reviewers.alice]                     # who may approve metrics:
//! keys = ["ssh-ed25519 AAAA… alice@laptop"]    # the SSH keys they sign with,
//! emails = ["alice@example.org"]               # and their commit emails
//! ```
//!
//! With `approvals = "signed"` (the default) an approval counts when it
//! carries the reviewer's SSH signature over the metric's fingerprint, made
//! with one of their `keys`. `approvals = "commits"` is the weaker mode of
//! earlier releases: an approval counts when a commit by one of the
//! reviewer's `emails` wrote it (`signatures = "required"` and
//! `allowed_signers` add git's commit signatures). Commit authorship is
//! text anyone can type, so every report labels that mode. Reviewers there
//! may be written `bob = ["bob@example.org"]`.
//!
//! ```toml
//!
//! [thresholds]
//! max_buckets = 64                             # per count or duration field
//! min_answer_words = 3                         # shorter checklist answers warn
//! min_reason_words = 6                         # a `reason` that unlocks something
//! min_bucket_ratio = 1.5                       # edges from 10 up grow at least this much
//! max_bits_per_field = 12                      # information one field (a map's key, a set's item) may carry
//! max_bits_per_metric = 24                     # all fields of one metric together
//! max_bits_per_event = 160                     # re-identification budget per payload
//! max_quasi_identifier_bits = 20               # region, language, zone, platform together
//! expiry_warning_days = 30                    # `expires-soon` warns this many days ahead
//! sample_cases = 256                           # sample payloads per metric in the audit
//!
//! [ceilings]                                   # no proposal's [budget] goes past these
//! bits_per_field = 32
//! bits_per_metric = 128
//!
//! [pii]
//! public_hosts = ["example-project.org"]       # hosts that identify no installation
//!
//! [generate]                                   # what `privet generate` writes
//! schemas = "schemas"                          # the JSON Schemas (always)
//! crate = "clients/rust"                       # a Rust client crate (only if set)
//! crate_name = "project-telemetry"             # its package name
//! python = "clients/python"                    # a Python client module (only if set)
//! ```
//!
//! Every key is optional; a missing file means all defaults.

/// The name of the configuration file at the registry root.
pub const FILE_NAME: &str = "privet.toml";

/// The file name of the proposal schema in `[generate] editor`.
pub const EDITOR_PROPOSAL_SCHEMA: &str = "proposal.schema.json";
/// The file name of the `privet.toml` schema in `[generate] editor`.
pub const EDITOR_CONFIG_SCHEMA: &str = "privet.toml.schema.json";

/// What `privet generate` writes, and where (relative to the registry root).
#[derive(Clone, Debug, PartialEq)]
pub struct Generate {
    /// The JSON Schemas of every metric and event payload.
    pub schemas: String,
    /// The directory of the generated Rust client crate, if one is wanted.
    pub crate_dir: Option<String>,
    /// The crate's package name (also the Python module's name, with `_`).
    pub crate_name: String,
    /// The directory of the generated Python client module and its tests,
    /// if one is wanted (`[generate] python`).
    pub python: Option<String>,
    /// Where privet's own rule documentation goes, if wanted
    /// (`[generate] rules`; this repository writes `docs/rules.md`).
    pub rules: Option<String>,
    /// Where the editor schemas of proposals and `privet.toml` go, if
    /// wanted (`[generate] editor`).
    pub editor: Option<String>,
    /// Extra dev-dependencies of the crate, for hand-written examples and
    /// tests kept in it (`[generate.dev_dependencies]`): `(name, TOML value)`.
    pub dev_dependencies: Vec<(String, String)>,
}

impl Default for Generate {
    fn default() -> Self {
        Generate {
            schemas: "schemas".into(),
            crate_dir: None,
            crate_name: "telemetry".into(),
            python: None,
            rules: None,
            editor: None,
            dev_dependencies: Vec::new(),
        }
    }
}

impl Generate {
    /// Where the generated modules go (inside the crate).
    pub fn modules_dir(&self) -> Option<String> {
        self.crate_dir.as_ref().map(|c| join(c, "src/generated"))
    }

    /// The generated property tests and strategies of every metric and
    /// payload (a module of the crate's `tests/properties.rs`, which keeps
    /// rustfmt off it; the audit's samples program includes the strategies).
    pub fn property_tests_dir(&self) -> Option<String> {
        self.crate_dir.as_ref().map(|c| join(c, "tests/generated"))
    }

    /// The crate's name as Rust code writes it (`a-b` is `a_b`).
    pub fn crate_ident(&self) -> String {
        self.crate_name.replace('-', "_")
    }
}

/// `dir/rest`, with `.` as the root itself.
fn join(dir: &str, rest: &str) -> String {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() || dir == "." {
        rest.to_string()
    } else {
        format!("{dir}/{rest}")
    }
}

/// Numbers the rules compare against.
#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    /// Most buckets a count or duration may have (`too-many-buckets`).
    pub max_buckets: usize,
    /// Fewest words a checklist answer may have before `checklist-terse` warns.
    pub min_answer_words: usize,
    /// Fewest words a `reason` that unlocks something may have (`weak-reason`).
    pub min_reason_words: usize,
    /// Most bits one field may carry, unless its metric's `[budget]` raises it
    /// (`field-information`).
    pub max_bits_per_field: u32,
    /// Most bits all fields of one metric may carry together, unless its
    /// `[budget]` raises it (`metric-information`).
    pub max_bits_per_metric: u32,
    /// Smallest growth between consecutive bucket edges from 10 up (`fine-buckets`).
    pub min_bucket_ratio: f64,
    /// Most identifying bits one event payload may carry (`reidentification-budget`).
    pub max_bits_per_event: u32,
    /// Most bits the fields about an installation's surroundings (region,
    /// language, zone, platform) may carry together in one event payload
    /// (`quasi-identifiers`).
    pub max_quasi_identifier_bits: u32,
    /// Sample payloads generated per metric (`sample-pii`).
    pub sample_cases: u32,
    /// Days before a metric's expiry that `expires-soon` warns.
    pub expiry_warning_days: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_buckets: 64,
            min_answer_words: 3,
            min_reason_words: 6,
            max_bits_per_field: 12,
            max_bits_per_metric: 24,
            min_bucket_ratio: 1.5,
            max_bits_per_event: 160,
            max_quasi_identifier_bits: 20,
            expiry_warning_days: 30,
            sample_cases: 256,
        }
    }
}

/// Hard limits no proposal's `[budget]` can raise its allowance past
/// (`budget-ceiling`).
#[derive(Clone, Debug, PartialEq)]
pub struct Ceilings {
    pub bits_per_field: u32,
    pub bits_per_metric: u32,
}

impl Default for Ceilings {
    fn default() -> Self {
        Ceilings {
            bits_per_field: 32,
            bits_per_metric: 128,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Directory of proposals, relative to the registry root.
    pub proposals: String,
    /// Events (payloads) the client sends.
    pub events: Vec<String>,
    /// People allowed to approve metrics (handles, as written in `[approval] by`).
    pub reviewers: Vec<String>,
    /// The commit emails that count as each reviewer, lower-cased. A
    /// reviewer listed without identities (`reviewers = ["bob"]`) has none:
    /// no commit can be shown to be theirs.
    pub identities: std::collections::BTreeMap<String, Vec<String>>,
    /// The SSH public keys each reviewer signs approvals with
    /// (`[review.reviewers.NAME] keys`).
    pub keys: std::collections::BTreeMap<String, Vec<ssh_key::PublicKey>>,
    /// What makes an approval a reviewer's (`[review] approvals`).
    pub approvals: Approvals,
    /// Commits mode: whether the commit that writes an approval must carry
    /// a verified signature by the reviewer (`[review] signatures = "required"`).
    pub require_signatures: bool,
    /// Allowed-signers file for SSH signatures, relative to the registry
    /// root (`[review] allowed_signers`); else git's own configuration.
    pub allowed_signers: Option<String>,
    /// Distinct reviewers an approval needs.
    pub quorum: usize,
    /// `[review.approval]`: reviewers' signatures of the trust anchors
    /// ([`Config::anchors_text`]), for a change to them under review.
    pub anchors_approval: Option<crate::model::Approval>,
    /// `[review.approval] replaces`: the fingerprint of the anchors that
    /// approval replaces (signed with it, so an old approval cannot bring
    /// back the anchors it once replaced).
    pub anchors_replaces: Option<String>,
    /// Where the trust anchors in effect come from, as reports name it:
    /// `privet.toml`, or `privet.toml at REF` under `privet audit --base`.
    pub anchors_source: String,
    /// Version of the payload schema, sent in every payload's envelope.
    pub schema_version: u32,
    pub thresholds: Thresholds,
    pub ceilings: Ceilings,
    /// What the registry adds to the PII engine (`[pii]`): its project's
    /// public service domains, whose hosts identify no installation. It
    /// travels with the configuration to every scan of the run.
    pub pii: crate::pii::Settings,
    /// What `privet generate` writes (`[generate]`).
    pub generate: Generate,
    /// The page that tells users what is collected (`[page]`), if wanted.
    pub page: Option<Page>,
}

/// `[page]`: the transparency page, what is collected, written by `privet
/// generate` as Markdown and as one self-contained HTML file.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// The files' path without extension (`docs/telemetry` writes
    /// `docs/telemetry.md` and `docs/telemetry.html`).
    pub path: String,
    /// The project's name, in the title.
    pub project: String,
    /// How a user turns collection off, in the project's words.
    pub opt_out: String,
}

/// What makes an approval a reviewer's (`[review] approvals`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Approvals {
    /// The reviewer's SSH signature over the metric's fingerprint, with one
    /// of their configured keys. Holds however the history is merged.
    #[default]
    Signed,
    /// A commit by one of the reviewer's emails wrote the approval. Weaker:
    /// commit authorship proves nothing, so reports label it.
    Commits,
}

impl Approvals {
    /// How a report names the mode, with its weakness where it has one.
    pub fn describe(self) -> &'static str {
        match self {
            Approvals::Signed => "signed (each approval carries the reviewer's SSH signature)",
            Approvals::Commits => {
                "by commit identity (weaker: anyone can commit under a reviewer's email; \
                 set [review] approvals = \"signed\" and each reviewer's keys)"
            }
        }
    }
}

impl Config {
    /// The identities (lower-cased emails) of reviewer `handle`.
    pub fn identities_of(&self, handle: &str) -> &[String] {
        self.identities.get(handle).map_or(&[], Vec::as_slice)
    }

    /// The SSH keys reviewer `handle` signs with.
    pub fn keys_of(&self, handle: &str) -> &[ssh_key::PublicKey] {
        self.keys.get(handle).map_or(&[], Vec::as_slice)
    }

    /// The fingerprint of [`Config::anchors_text`].
    pub fn anchors_fingerprint(&self) -> String {
        crate::fingerprint::of_text(&self.anchors_text())
    }

    /// What a reviewer signs to approve `self`'s anchors in place of those
    /// with fingerprint `base` (see [`crate::signature::message`]).
    pub fn anchors_change(&self, base: &str) -> String {
        format!("{} replacing {base}", self.anchors_fingerprint())
    }

    /// The trust anchors as canonical text, one line each: who may approve
    /// (handles, key fingerprints, emails), how approvals are proven, the
    /// quorum, where the generated files go, the thresholds and the
    /// ceilings. A change under review must
    /// not set these for itself (`privet audit --base`), so its reviewers
    /// sign this text's fingerprint (`privet approve privet.toml`).
    pub fn anchors_text(&self) -> String {
        let mut out = String::from("privet trust anchors 1\n");
        for handle in &self.reviewers {
            let mut keys: Vec<String> = self
                .keys_of(handle)
                .iter()
                .map(|k| crate::signature::key_fingerprint(k.key_data()))
                .collect();
            keys.sort();
            out.push_str(&format!(
                "reviewer {handle} keys [{}] emails [{}]\n",
                keys.join(", "),
                self.identities_of(handle).join(", ")
            ));
        }
        out.push_str(&format!(
            "approvals {:?}\nquorum {}\nsignatures required {}\nallowed signers {:?}\n",
            self.approvals, self.quorum, self.require_signatures, self.allowed_signers
        ));
        // Where collectors and clients take the generated files from: moved
        // by a change, the old files would linger outside the audit's view.
        out.push_str(&format!(
            "schemas {:?}\ncrate {:?}\npage {:?}\n",
            self.generate.schemas,
            self.generate.crate_dir,
            self.page.as_ref().map(|p| &p.path)
        ));
        let t = &self.thresholds;
        out.push_str(&format!(
            "max_buckets {}\nmin_answer_words {}\nmin_reason_words {}\nmax_bits_per_field {}\n\
             max_bits_per_metric {}\nmin_bucket_ratio {}\nmax_bits_per_event {}\n\
             max_quasi_identifier_bits {}\nsample_cases {}\n\
             expiry_warning_days {}\nceiling bits_per_field {}\nceiling bits_per_metric {}\n",
            t.max_buckets,
            t.min_answer_words,
            t.min_reason_words,
            t.max_bits_per_field,
            t.max_bits_per_metric,
            t.min_bucket_ratio,
            t.max_bits_per_event,
            t.max_quasi_identifier_bits,
            t.sample_cases,
            t.expiry_warning_days,
            self.ceilings.bits_per_field,
            self.ceilings.bits_per_metric
        ));
        out
    }

    /// This configuration with the trust anchors of `base` (see
    /// [`Config::anchors_text`]); everything else stays.
    pub fn with_anchors_of(&self, base: &Config) -> Config {
        Config {
            reviewers: base.reviewers.clone(),
            identities: base.identities.clone(),
            keys: base.keys.clone(),
            approvals: base.approvals,
            require_signatures: base.require_signatures,
            allowed_signers: base.allowed_signers.clone(),
            quorum: base.quorum,
            thresholds: base.thresholds.clone(),
            ceilings: base.ceilings.clone(),
            anchors_approval: None,
            anchors_replaces: None,
            anchors_source: base.anchors_source.clone(),
            generate: Generate {
                schemas: base.generate.schemas.clone(),
                crate_dir: base.generate.crate_dir.clone(),
                ..self.generate.clone()
            },
            page: match (&self.page, &base.page) {
                (Some(here), Some(there)) => Some(Page {
                    path: there.path.clone(),
                    ..here.clone()
                }),
                (_, there) => there.clone(),
            },
            ..self.clone()
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            proposals: "proposals".into(),
            events: vec!["install".into(), "upgrade".into(), "heartbeat".into()],
            reviewers: Vec::new(),
            identities: std::collections::BTreeMap::new(),
            keys: std::collections::BTreeMap::new(),
            approvals: Approvals::default(),
            require_signatures: false,
            allowed_signers: None,
            quorum: 1,
            anchors_approval: None,
            anchors_replaces: None,
            anchors_source: FILE_NAME.to_string(),
            schema_version: 1,
            thresholds: Thresholds::default(),
            ceilings: Ceilings::default(),
            pii: crate::pii::Settings::default(),
            generate: Generate::default(),
            page: None,
        }
    }
}
