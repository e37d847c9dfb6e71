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
    what: "A `version` field with `resolution = \"patch\"` and no `reason` (a reason too thin \
           to review is `weak-reason`).",
    why: "Patch levels multiply the distinct values a field can take and single out \
          installations on unusual builds; major.minor answers almost every support question. \
          When a patch level is really needed (a security fix rollout), say so in `reason`.",
    example: "[fields.release]\ntype = \"version\"\nresolution = \"patch\"",
};

pub const FINE_BUCKETS: Rule = Rule {
    id: "fine-buckets",
    family: "privacy",
    severity: Severity::Error,
    summary: "a bucket is narrow enough to report an exact value",
    what: "A count or duration with a bucket that holds a single value other than 0, 1 or 2 \
           (`[…, 7, 8, …]` reports exactly 7), at any magnitude; or consecutive edges \
           `a < b`, with `a` at least 10, that grow by less than \
           `thresholds.min_bucket_ratio` (default 1.5: `[…, 100, 110]`). Edges are whole \
           numbers, so a step short of the ratio only by rounding passes, and the last edge \
           before the overflow bucket may fall 10% short of it. A number spelled as a name is \
           held to the same rule: enum values, set items or map keys that share a prefix and \
           suffix around a number, or are number words (`slot_3`, `slot_4`, `slot_5`; \
           `fleet_000` to `fleet_149`; `one` to `nine`), and a metric's boolean fields that are \
           thresholds of one quantity (`above_10`, `above_11`, `above_12`: a count in unary) \
           are flagged when three consecutive numbers above 2 appear, or more numbers than \
           `thresholds.max_buckets`. A number next to a dot (`python3.11`) is a version's \
           part and is left alone.",
    why: "Few installations are large. Narrow buckets at the top hold only one or two of them, \
          so the bucket identifies the installation; one bucket per value is an exact count \
          under another name. Geometric edges (powers of two, 1-2-5 steps) keep every bucket \
          populated.",
    example: "[fields.workers]\ntype = \"count\"\nbuckets = [0, 1, 2, 3, 4, 5, 10]",
};

pub const FIELD_INFORMATION: Rule = Rule {
    id: "field-information",
    family: "privacy",
    severity: Severity::Error,
    summary: "a field can take too many distinct values",
    what: "A field whose declared domain holds more than `thresholds.max_bits_per_field` \
           (default 8) bits of information: log2 of the number of distinct values it can \
           send, counted exactly from the declaration: a bool 1 bit, an enum of n values \
           log2(n + 1) (`other` is a value), a set of n items n bits plus 2 for its \
           unknown-count bucket, a count or duration log2(buckets), a version 5 (major), 8 \
           (minor) or 11 (patch) bits, a date per year of range 8.5 (day), 5.7 (week) or 3.6 \
           (month) bits, a map the sum over its keys of log2(values + 1), a string log2 of \
           the number of strings its pattern admits up to `max_len` (counted on the \
           pattern's automaton). Whatever the pattern, a string that can take more than 256 \
           values is an exact number, a name or an id under another name. A string of \
           digits or hex digits (a number or an id sent as text) and an enum, set or map \
           key list made of numbers (bounded at 4 bits, 16 values) are held to the \
           registry's bound whatever a `[budget]` asks. Otherwise a metric may raise its \
           own field allowance with `[budget] field_bits = N` and a reason, up to \
           `[ceilings] bits_per_field` (default 32). The escape for a field that needs more is a \
           coarser type: an `enum` or `set` of the values that matter, buckets, or a \
           pattern with few values.",
    why: "Identifiers hide in large domains: a free digit string is an exact count, an enum \
          of 500 tenant names names the tenant, a hex pattern is a hash of something. \
          Bounding each field's information bounds what it can smuggle, whatever its name \
          or pattern.",
    example: "[fields.build]\ntype = \"string\"\npattern = '[0-9]{1,10}'\nmax_len = 10",
};

pub const METRIC_INFORMATION: Rule = Rule {
    id: "metric-information",
    family: "privacy",
    severity: Severity::Error,
    summary: "a metric's fields together can take too many distinct values",
    what: "A metric whose fields together carry more than `thresholds.max_bits_per_metric` \
           (default 16) bits: the sum of its fields' bits (see `field-information`). The \
           finding points at the field that crosses the bound and lists every field's \
           share. A metric may raise its own allowance with `[budget] metric_bits = N` and \
           a reason, up to `[ceilings] bits_per_metric` (default 64).",
    why: "An identifier split over several coarse fields is still an identifier: an IP \
          address as four enums of 0-255, a time as date, hour, minute and second, a \
          position as latitude and longitude. Counting a metric's fields together catches \
          the split.",
    example: "[fields.a]\ntype = \"version\"\nresolution = \"minor\"\n\n[fields.b]\ntype = \"version\"\nresolution = \"minor\"\n\n[fields.c]\ntype = \"bool\"",
};

pub const BUDGET_CEILING: Rule = Rule {
    id: "budget-ceiling",
    family: "privacy",
    severity: Severity::Error,
    summary: "a metric asks for more information than the registry's ceiling",
    what: "A `[budget]` whose `field_bits` or `metric_bits` is above the registry's \
           `[ceilings]` (`bits_per_field`, default 32; `bits_per_metric`, default 64). The \
           allowance is capped at the ceiling.",
    why: "An override is a reviewer's decision about one metric; the ceiling is the \
          registry's promise to the people it collects from. No proposal can raise it: a \
          change to `privet.toml` is reviewed as such.",
    example: "[budget]\nmetric_bits = 200\nreason = \"the dashboard needs every combination of these flags\"",
};

pub const WEAK_REASON: Rule = Rule {
    id: "weak-reason",
    family: "privacy",
    severity: Severity::Error,
    summary: "a reason that unlocks something is too thin to review",
    what: "A `reason` (of a field, or of `[budget]`) with fewer than \
           `thresholds.min_reason_words` words (default 6), or a placeholder (\"needed\", \
           \"TBD\", \"see ticket\"). A field's reason accepts a patch-level version or a \
           field name that suggests personal data; a budget's reason raises the metric's \
           allowance.",
    why: "A reason is what a reviewer approves in place of the rule it relaxes, and what \
          every report shows next to the metric. \"needed\" cannot be reviewed.",
    example: "[fields.release]\ntype = \"version\"\nresolution = \"patch\"\nreason = \"needed\"",
};

pub const REIDENTIFICATION_BUDGET: Rule = Rule {
    id: "reidentification-budget",
    family: "privacy",
    severity: Severity::Error,
    summary: "an event payload can carry more identifying bits than the budget",
    what: "An event whose live metrics together carry more bits (the sum over their \
           fields, see `field-information`) than `thresholds.max_bits_per_event` (default \
           160). No proposal can raise an event's budget: a `[budget]` raises only its own \
           metric's allowance. The finding goes to every metric in the event that is not \
           approved for its current definition (the ones a reviewer can still send back), \
           at its largest field; when all are approved, to the largest. Its help lists \
           every metric's share, largest first.",
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
           the candidates with the detectors' validators (the public-suffix list, IPv4 octets, MAC \
           shape, Luhn, IBAN mod 97). The finding shows the witness of the most specific \
           class the pattern admits (an email before the host in it, a card number before \
           a phone number), the shortest of that class. Where it is not exact: the search \
           keeps at most three strings per pair of automaton states (the validators tell \
           siblings apart; Luhn sums are part of the state, so checksum-valid card numbers \
           are found, but IBAN checksums are not, so a pattern that admits only rare \
           valid IBANs can be missed); detectors whose automaton is too large use a looser \
           one; personal names and detectors outside the automaton (machine names found \
           from `-`, numbered machines) are not searched. A search that hits its bound is \
           `analysis-limit`, never a pass.",
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
           proposal instead (the finding says which); from the proposal, only metrics with \
           a string pattern (also as a map's value) are sampled, since every other domain \
           is enumerated by `pii-in-domain` or is a fixed shape of digits and separators \
           the generated code writes (bucket labels, versions, dates, booleans), and the \
           report says how many were sampled.",
    why: "The rules above judge each value alone; a payload is what actually leaves the \
          installation. Sampling whole payloads checks them the way a collector sees them.",
    example: "[fields.site]\ntype = \"string\"\npattern = '(www|db)[0-9]\\.corp\\.example\\.com'\nmax_len = 40",
};

pub const ANALYSIS_LIMIT: Rule = Rule {
    id: "analysis-limit",
    family: "privacy",
    severity: Severity::Error,
    summary: "a pattern is too complex to be proven free of personal data",
    what: "A `string` field whose pattern's search for personal data (see \
           `pattern-admits-pii`) hit its bound (200,000 product states or 5,000 judged \
           candidates per detector) before it could decide, for a detector that found \
           nothing up to there. The finding names the detectors left undecided.",
    why: "The analysis is bounded so that no proposal can make the audit hang; a pattern it \
          cannot decide is not known to be safe, so it does not pass. Simpler patterns \
          (fewer alternatives, shorter repetitions, a smaller `max_len`) are decided.",
    example: "[fields.code]\ntype = \"string\"\npattern = '([a-z0-9]{1,8}[.:@/-]){1,30}'\nmax_len = 255",
};
