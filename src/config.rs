//! Registry configuration: `privet.toml` at the registry root.
//!
//! ```toml
//! proposals = "proposals"                      # where proposals live
//! events = ["install", "upgrade", "heartbeat"] # the payloads the client sends
//! schema_version = 1                           # sent in every payload's envelope
//!
//! [review]
//! quorum = 1                                   # distinct reviewers per approval
//! signatures = "optional"                      # or "required": approvals signed
//! allowed_signers = ".privet/allowed_signers"  # ssh keys of reviewers (optional)
//!
//! [review.reviewers]                           # who may approve metrics, and the
//! alice = ["alice@example.org"]                # commit emails that are them
//! bob = ["bob@example.org"]
//!
//! [thresholds]
//! max_buckets = 64                             # per count or duration field
//! min_answer_words = 3                         # shorter checklist answers warn
//! min_reason_words = 6                         # a `reason` that unlocks something
//! min_bucket_ratio = 1.5                       # edges from 10 up grow at least this much
//! max_bits_per_field = 8                       # information one field may carry
//! max_bits_per_metric = 16                     # all fields of one metric together
//! max_bits_per_event = 160                     # re-identification budget per payload
//! sample_cases = 256                           # sample payloads per metric in the audit
//!
//! [ceilings]                                   # no proposal's [budget] goes past these
//! bits_per_field = 32
//! bits_per_metric = 64
//!
//! [pii]
//! public_hosts = ["example-project.org"]       # hosts that identify no installation
//! ```
//!
//! Every key is optional; a missing file means all defaults.

/// The name of the configuration file at the registry root.
pub const FILE_NAME: &str = "privet.toml";

// Where generated files go, relative to the registry root.

/// Where the generated modules go.
pub const GENERATED_DIR: &str = "metrics/src/generated";

/// The generated property tests and strategies of every metric and payload
/// (a module of the hand-written `metrics/tests/properties.rs`, which keeps
/// rustfmt off it; the `samples` example includes the strategies too).
pub const PROPERTY_TESTS: &str = "metrics/tests/generated";

/// Where the JSON Schemas go.
pub const SCHEMAS_DIR: &str = "metrics/schemas";

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
    /// Sample payloads generated per metric (`sample-pii`).
    pub sample_cases: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_buckets: 64,
            min_answer_words: 3,
            min_reason_words: 6,
            max_bits_per_field: 8,
            max_bits_per_metric: 16,
            min_bucket_ratio: 1.5,
            max_bits_per_event: 160,
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
            bits_per_metric: 64,
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
    /// Whether the commit that writes an approval must carry a verified
    /// signature by the reviewer (`[review] signatures = "required"`).
    pub require_signatures: bool,
    /// Allowed-signers file for SSH signatures, relative to the registry
    /// root (`[review] allowed_signers`); else git's own configuration.
    pub allowed_signers: Option<String>,
    /// Distinct reviewers an approval needs.
    pub quorum: usize,
    /// Version of the payload schema, sent in every payload's envelope.
    pub schema_version: u32,
    pub thresholds: Thresholds,
    pub ceilings: Ceilings,
    /// Public service domains of this project (`[pii] public_hosts`): host
    /// names under them identify no installation.
    pub public_hosts: Vec<String>,
}

impl Config {
    /// The identities (lower-cased emails) of reviewer `handle`.
    pub fn identities_of(&self, handle: &str) -> &[String] {
        self.identities.get(handle).map_or(&[], Vec::as_slice)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            proposals: "proposals".into(),
            events: vec!["install".into(), "upgrade".into(), "heartbeat".into()],
            reviewers: Vec::new(),
            identities: std::collections::BTreeMap::new(),
            require_signatures: false,
            allowed_signers: None,
            quorum: 1,
            schema_version: 1,
            thresholds: Thresholds::default(),
            ceilings: Ceilings::default(),
            public_hosts: Vec::new(),
        }
    }
}
