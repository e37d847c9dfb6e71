//! Privacy rules: resolution, personal data in definitions and examples, and
//! the re-identification budget.

use super::{Rule, Severity};

pub const PII_IN_EXAMPLE: Rule = Rule {
    id: "pii-in-example",
    family: "privacy",
    severity: Severity::Error,
    summary: "the example holds personal or identifying data",
    what: "A value in `[example]` that the PII detectors (the engine behind `privet scan`) \
           recognise: an email, IP address, host name, MAC address, path with a user name, \
           URL with credentials, phone, card or IBAN number, secret, coordinates, a time to \
           the second, or a persistent id. Each value is judged with its field name as \
           context.",
    why: "The example is copied into reviews, docs and tests. Personal data in it is a leak \
          of its own, and usually shows that the field was meant to carry such data.",
    example: "[example]\nhost = \"db01.corp.example.com\"",
};

pub const PII_FIELD_NAME: Rule = Rule {
    id: "pii-field-name",
    family: "privacy",
    severity: Severity::Error,
    summary: "a field name suggests personal data",
    what: "A field whose name has a word that suggests personal or identifying data \
           (`host`, `hostname`, `email`, `mail`, `ip`, `mac`, `serial`, `path`, `user`, \
           `username`, `login`, `phone`, `address`, `token`, `password`, `secret`, `uuid`, \
           `guid`, `location`, `lat`, `lon`). A `string` field with such a name is always \
           reported; a field of a type that cannot carry the raw value (a bucketed count, a \
           bool, an enum, …) is accepted once its `reason` says why it is safe.",
    why: "Names say what a field is for. `users = 3` is an exact count of people and \
          `hostname = \"db01\"` is a host: such fields need a reviewer's explicit attention.",
    example: "[fields.hostname]\ntype = \"string\"\npattern = '[a-z0-9-]{1,63}'\nmax_len = 63",
};

pub const PATCH_VERSION: Rule = Rule {
    id: "patch-version",
    family: "privacy",
    severity: Severity::Error,
    summary: "a version keeps the patch level without a stated reason",
    what: "A `version` field with `resolution = \"patch\"` and no `reason`.",
    why: "Patch levels multiply the distinct values a field can take and single out \
          installations on unusual builds; major.minor answers almost every support question. \
          When a patch level is really needed (a security fix rollout), say so in `reason`.",
    example: "[fields.release]\ntype = \"version\"\nresolution = \"patch\"",
};

pub const FINE_BUCKETS: Rule = Rule {
    id: "fine-buckets",
    family: "privacy",
    severity: Severity::Error,
    summary: "buckets are too fine at the top end",
    what: "A count or duration whose consecutive bucket edges `a < b`, with `a` at least 10, \
           grow by less than `thresholds.min_bucket_ratio` (default 1.5): `[…, 100, 101]` or \
           `[10, 11, 12, …]`.",
    why: "Few installations are large. Narrow buckets at the top hold only one or two of them, \
          so the bucket identifies the installation. Geometric edges (powers of two, 1-2-5 \
          steps) keep every bucket populated.",
    example: "[fields.users]\ntype = \"count\"\nbuckets = [0, 1, 10, 100, 101, 102]",
};

pub const REIDENTIFICATION_BUDGET: Rule = Rule {
    id: "reidentification-budget",
    family: "privacy",
    severity: Severity::Error,
    summary: "an event payload can carry more identifying bits than the budget",
    what: "An event whose approved metrics together can take more distinct values than \
           `thresholds.max_bits_per_event` (default 160) allows, counted as the sum over \
           fields of log2 of the number of distinct values: a bool 1 bit, an enum of n values \
           log2(n + 1), a set of n items n bits plus 2 for its unknown-count bucket, a count \
           log2(buckets), a version 5 (major), 8 (minor) or 11 (patch) bits, a date per year \
           of range 8.5 (day), 5.7 (week) or 3.6 (month) bits, a map the sum over its keys, a \
           string the log2 of the number of strings its pattern admits up to `max_len`. A \
           proposal adds to its events' budget with `[budget] bits = N` and a `reason`, \
           which the finding and the review output show. The finding lists each field's \
           share, largest first.",
    why: "Each field alone may be coarse, but together they can make one installation's \
          payload unique (33 bits are enough to single out anyone on Earth). The budget \
          makes the total visible and forces a decision on what to coarsen.",
    example: "# privet.toml\n[thresholds]\nmax_bits_per_event = 64",
};

pub const PATTERN_ADMITS_PII: Rule = Rule {
    id: "pattern-admits-pii",
    family: "privacy",
    severity: Severity::Error,
    summary: "a string field's pattern admits personal data",
    what: "A `string` field whose pattern (within `max_len`) admits a value the PII engine \
           reports under the field's name. Decided by intersecting the pattern's automaton \
           with each detector's automaton, breadth-first over printable ASCII, and judging \
           the candidates with the detectors' validators; the finding shows the shortest \
           witness, e.g. \"pattern `[a-z.]+` admits `a.ae`, which is a hostname\". Detectors \
           whose exact automaton is too large use a looser one whose candidates the \
           validators then judge.",
    why: "A pattern is the only bound on a string field. If it admits a host name or an \
          email, some client will eventually send one.",
    example: "[fields.server]\ntype = \"string\"\npattern = '[a-z0-9.]+'\nmax_len = 64",
};

pub const PII_IN_DOMAIN: Rule = Rule {
    id: "pii-in-domain",
    family: "privacy",
    severity: Severity::Error,
    summary: "a value the field can send is personal or identifying data",
    what: "A value of a field's declared domain that the PII engine reports under the field's \
           name: an enum value, set item or map key. These finite domains are enumerated \
           exhaustively, every value scanned as it would be sent. (Bucket labels are ranges of \
           numbers by construction and are not scanned; string patterns are decided by \
           `pattern-admits-pii`.)",
    why: "An allow-list is only as safe as what is on it: a \"closed list\" of site host names \
          or admin emails sends exactly what it lists.",
    example: "[fields.mirror]\ntype = \"enum\"\nvalues = [\"mirror.corp.example.com\", \"cdn\"]",
};

pub const SAMPLE_PII: Rule = Rule {
    id: "sample-pii",
    family: "privacy",
    severity: Severity::Error,
    summary: "a payload the metric can send contains personal data",
    what: "In `cargo xtask audit`, the `metrics` crate's `samples` example generates payloads \
           through the generated types: raw inputs (listed and adversarial strings, numbers \
           around every bucket edge as well as extreme and negative ones, version strings, \
           strings generated from the pattern) go through \
           the generated constructors, which bucket, truncate, map to `other` and validate; the \
           JSON each value serializes to, byte for byte what a client sends, is scanned by the \
           PII engine. That covers every bucket label, enum value and `other`, set subsets \
           with their unknown-count bucket, versions, truncated dates, map subsets and pattern \
           strings (the `metrics` crate's generated coverage tests check that every bucket \
           label, enum value, set item and map key comes up). Every event payload (envelope \
           and shipped metrics) is sampled the same \
           way. A finding fails the metric with the shrunk counterexample. Sampling is \
           deterministic (a fixed seed) and takes `thresholds.sample_cases` payloads per \
           metric and event (default 256); nothing is enumerated exhaustively here, because \
           the finite parts already are: every enum value, set item and map key by \
           `pii-in-domain`, and every string a pattern admits, exactly, by \
           `pattern-admits-pii`. `privet check --samples`, metrics the build does not hold, \
           and an audit whose generated code is stale build the same payloads from the \
           proposal instead (the finding says which).",
    why: "The rules above judge each value alone; a payload is what actually leaves the \
          installation. Sampling whole payloads checks them the way a collector sees them.",
    example: "[fields.site]\ntype = \"string\"\npattern = '(www|db)[0-9]\\.corp\\.example\\.com'\nmax_len = 40",
};
