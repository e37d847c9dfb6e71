//! JSON Schemas of privet's own file formats, for editors: a TOML language
//! server (Taplo, or VS Code's Even Better TOML) given a proposal's schema
//! completes its keys, shows each checklist question as hover text and
//! flags unknown keys, wrong types and unlisted choices while a contributor
//! types. `privet new` writes the `#:schema` line a proposal needs.
//!
//! Built from the same declarations the loader checks against (the
//! checklist, the metadata keys, each field type's keys and choices) and
//! from this registry's configuration (its events and reviewers), so the
//! schema lists exactly what `privet check` accepts. Draft-07, which Taplo
//! reads.

use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value, json};

use super::Output;
use crate::buckets::Preset;
use crate::config::Config;
use crate::model::{CHECKLIST, DateResolution, DurationUnit, FieldType, Status, VersionResolution};

use crate::config::{
    EDITOR_CONFIG_SCHEMA as CONFIG_SCHEMA, EDITOR_PROPOSAL_SCHEMA as PROPOSAL_SCHEMA,
};

/// Both schemas, under `config.generate.editor`.
pub fn outputs(config: &Config) -> Vec<Output> {
    let Some(dir) = &config.generate.editor else {
        return Vec::new();
    };
    let dir = PathBuf::from(dir);
    vec![
        Output {
            path: dir.join(PROPOSAL_SCHEMA),
            contents: super::schema_text(proposal_schema(config)),
        },
        Output {
            path: dir.join(CONFIG_SCHEMA),
            contents: super::schema_text(config_schema()),
        },
    ]
}

/// The `#:schema` line for a proposal at `proposal` (relative to the
/// registry root), pointing at the proposal schema, when one is generated.
pub fn schema_directive(config: &Config, proposal: &Path) -> Option<String> {
    let dir = config.generate.editor.as_ref()?;
    let depth = proposal.parent().map_or(0, |p| {
        p.components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .count()
    });
    let up = "../".repeat(depth);
    Some(format!("#:schema {up}{dir}/{PROPOSAL_SCHEMA}"))
}

fn string_list(description: &str) -> Value {
    json!({
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "uniqueItems": true,
        "description": description,
    })
}

fn choice(names: &[&str], description: &str) -> Value {
    json!({"type": "string", "enum": names, "description": description})
}

fn date(description: &str) -> Value {
    json!({"type": "string", "format": "date", "description": description})
}

/// The schema of a proposal file of the registry configured by `config`.
pub fn proposal_schema(config: &Config) -> Value {
    let mut properties = Map::new();
    for item in CHECKLIST.iter().filter(|c| c.key != "example") {
        properties.insert(
            item.key.into(),
            json!({
                "type": "string",
                "minLength": 1,
                "title": item.question,
                "description": format!("{}\n\n{}", item.question, item.hint),
            }),
        );
    }
    let example = CHECKLIST
        .iter()
        .find(|c| c.key == "example")
        .map_or("", |c| c.question);
    properties.insert(
        "example".into(),
        json!({
            "type": "object",
            "title": example,
            "description": "One value per field, exactly as sent: bucket labels, truncated versions, listed values.",
        }),
    );
    properties.insert(
        "name".into(),
        json!({
            "type": "string",
            "pattern": "^[a-z][a-z0-9_]*$",
            "description": "The metric's name, if written: it must equal the file name without `.toml`.",
        }),
    );
    properties.insert(
        "owners".into(),
        json!({
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 1,
            "uniqueItems": true,
            "description": "Who answers for this metric: people or teams.",
        }),
    );
    let mut events = string_list("The events whose payloads carry this metric.");
    events["minItems"] = 1.into();
    if !config.events.is_empty() {
        events["items"]["enum"] = json!(config.events);
    }
    properties.insert("events".into(), events);
    properties.insert(
        "expires".into(),
        json!({
            "description": "When collection ends: a date (expires = 2027-12-31), or \"never\" with the reason in `summarization`.",
            "anyOf": [
                {"type": "string", "format": "date"},
                {"const": "never"},
            ],
        }),
    );
    properties.insert(
        "status".into(),
        choice(
            Status::NAMES,
            "proposed until reviewers approve it; rejected or retired metrics are not generated.",
        ),
    );
    properties.insert(
        "version".into(),
        json!({
            "type": "integer",
            "minimum": 1,
            "description": "The metric's schema version (default 1): raise it for a breaking change to a shipped definition.",
        }),
    );
    let mut by =
        string_list("The reviewers who approved the definition (handles of [review.reviewers]).");
    if !config.reviewers.is_empty() {
        by["items"]["enum"] = json!(config.reviewers);
    }
    properties.insert(
        "approval".into(),
        json!({
            "type": "object",
            "description": "Written by `privet approve NAME --by REVIEWER`: the reviewers, the day, the fingerprint of what they approved and their signatures.",
            "properties": {
                "by": by,
                "date": date("The day of the approval."),
                "time": {"type": "string", "format": "date-time", "description": "The moment of the approval (UTC), which its reviewers sign."},
                "fingerprint": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{40}$",
                    "description": "The fingerprint of the approved definition: a change to the fields needs a new approval.",
                },
                "note": {"type": "string", "description": "Anything the reviewers want on record."},
                "signatures": {
                    "type": "object",
                    "description": "Each reviewer's SSH signature (`ssh-keygen -Y sign` format, namespace privet-approval) of this metric at the fingerprint.",
                    "additionalProperties": {"type": "string"},
                },
            },
            "additionalProperties": false,
        }),
    );
    properties.insert(
        "budget".into(),
        json!({
            "type": "object",
            "description": "Extra identifying bits this metric may add to its events, and why they are needed.",
            "properties": {
                "field_bits": {"type": "number", "minimum": 0, "description": "The most bits one field may carry."},
                "metric_bits": {"type": "number", "minimum": 0, "description": "The most bits the whole metric may carry."},
                "reason": {"type": "string", "minLength": 1, "description": "Why the question needs this much."},
            },
            "required": ["reason"],
            "additionalProperties": false,
        }),
    );
    properties.insert(
        "import".into(),
        json!({
            "type": "object",
            "description": "Written by `privet import`: where the definition came from, and what its author still has to decide.",
            "properties": {
                "from": {"type": "string", "description": "The system it came from, e.g. glean."},
                "source": {"type": "string", "description": "Its identifier there."},
                "description": {"type": "string", "description": "Its description there, to turn into the checklist answers."},
                "references": string_list("Data reviews, bugs and other links it carried."),
                "notes": string_list("What the import changed on the way (units, resolution), for the record."),
                "undecided": string_list("Decisions the author must make: each is an `import-undecided` error until removed."),
            },
            "additionalProperties": false,
        }),
    );
    properties.insert(
        "fields".into(),
        json!({
            "type": "object",
            "description": "The payload fields, each of a low-resolution type.",
            "minProperties": 1,
            "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
            "additionalProperties": field_schema(false),
        }),
    );
    let mut required: Vec<&str> = CHECKLIST.iter().map(|c| c.key).collect();
    required.extend(["owners", "events", "expires", "status", "fields"]);
    json!({
        "$comment": super::schema::COMMENT,
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "privet proposal",
        "description": "One metric proposal: the review checklist's answers and the payload fields. `privet check` explains every problem; `privet explain RULE` explains a rule.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// A field's table (in `[fields]`, or a map's inline `value` when
/// `in_map`), one alternative per type with exactly its keys.
fn field_schema(in_map: bool) -> Value {
    let types: &[&str] = if in_map {
        &["bool", "enum", "count", "version", "date", "duration"]
    } else {
        FieldType::NAMES
    };
    let buckets = json!({
        "type": "array",
        "items": {"type": "integer", "minimum": 0},
        "minItems": 1,
        "description": "Strictly increasing lower bounds of the buckets; the last bucket holds everything from its bound up.",
    });
    let preset = choice(Preset::NAMES, "Bucket edges from a preset up to `max`.");
    let max =
        json!({"type": "integer", "minimum": 1, "description": "The largest edge of a preset."});
    let alternatives: Vec<Value> = types
        .iter()
        .map(|ty| {
            let mut props = Map::new();
            props.insert("type".into(), json!({"const": ty}));
            props.insert(
                "summary".into(),
                json!({"type": "string", "description": "What the field holds, in a few words."}),
            );
            props.insert(
                "reason".into(),
                json!({"type": "string", "description": "Why this type and resolution (a string field needs one)."}),
            );
            let mut required = vec!["type"];
            match *ty {
                "enum" | "set" => {
                    props.insert(
                        "values".into(),
                        json!({
                            "type": "array",
                            "items": {"type": "string", "minLength": 1},
                            "minItems": 1,
                            "uniqueItems": true,
                            "description": if *ty == "enum" {
                                "The listed values; anything else is sent as \"other\"."
                            } else {
                                "The listed items; others are only counted."
                            },
                        }),
                    );
                    let names: Vec<&str> =
                        crate::vocabulary::ALL.iter().map(|v| v.name).collect();
                    let what: Vec<String> = crate::vocabulary::ALL
                        .iter()
                        .map(|v| format!("{}: {}", v.name, v.summary))
                        .collect();
                    props.insert(
                        "vocabulary".into(),
                        choice(
                            &names,
                            &format!(
                                "A built-in list instead of `values` ({}).",
                                what.join("; ")
                            ),
                        ),
                    );
                }
                "count" | "duration" => {
                    props.insert("buckets".into(), buckets.clone());
                    props.insert("preset".into(), preset.clone());
                    props.insert("max".into(), max.clone());
                    if *ty == "count" {
                        props.insert(
                            "bound".into(),
                            json!({"type": "integer", "minimum": 1, "description": "The largest value the quantity can take, for a bounded scale (a percentage's 100): buckets in its upper half are judged by their distance to it."}),
                        );
                    }
                    if *ty == "duration" {
                        props.insert(
                            "unit".into(),
                            choice(DurationUnit::NAMES, "The unit the bucket edges are counted in."),
                        );
                        required.push("unit");
                    }
                }
                "version" => {
                    props.insert(
                        "resolution".into(),
                        choice(VersionResolution::NAMES, "How many parts of the version are sent."),
                    );
                    props.insert(
                        "largest_parts".into(),
                        json!({
                            "type": "array",
                            "items": {"type": "integer", "minimum": 0, "maximum": crate::model::VERSION_PART_MAX},
                            "minItems": 1,
                            "maxItems": 3,
                            "description": "The largest number each kept part reaches, one per part (e.g. [9, 99]); a larger part is sent as \"unknown\". Without it each part may hold up to 9999, and the field counts that many values.",
                        }),
                    );
                    props.insert(
                        "smallest_parts".into(),
                        json!({
                            "type": "array",
                            "items": {"type": "integer", "minimum": 0, "maximum": crate::model::VERSION_PART_MAX},
                            "minItems": 1,
                            "maxItems": 3,
                            "description": "The smallest number each kept part takes, one per part (default 0): a calendar version's year and month, e.g. [2020, 1] with largest_parts = [2099, 12]. A smaller part is sent as \"unknown\".",
                        }),
                    );
                    required.push("resolution");
                }
                "date" => {
                    props.insert(
                        "resolution".into(),
                        choice(DateResolution::NAMES, "The date is truncated to this."),
                    );
                    props.insert(
                        "earliest".into(),
                        date("The first date the field may send (default 1970-01-01); an earlier one is refused, and the field's information is counted from it."),
                    );
                    props.insert(
                        "latest".into(),
                        date("The last date the field may send (default: the metric's expiry); a later one is refused."),
                    );
                    required.push("resolution");
                }
                "map" => {
                    props.insert(
                        "keys".into(),
                        json!({
                            "type": "array",
                            "items": {"type": "string", "minLength": 1},
                            "minItems": 1,
                            "uniqueItems": true,
                            "description": "The listed keys; others are not sent.",
                        }),
                    );
                    props.insert("value".into(), field_schema(true));
                    required.extend(["keys", "value"]);
                }
                "string" => {
                    props.insert(
                        "pattern".into(),
                        json!({"type": "string", "description": "A regular expression the whole value must match (the last resort: prefer a coarser type)."}),
                    );
                    props.insert(
                        "max_len".into(),
                        json!({"type": "integer", "minimum": 1, "description": "The longest value, in characters."}),
                    );
                    required.extend(["pattern", "max_len"]);
                }
                _ => {}
            }
            let mut schema = json!({
                "type": "object",
                "properties": props,
                "required": required,
                "additionalProperties": false,
            });
            if matches!(*ty, "enum" | "set") {
                // The values written out, or a built-in vocabulary: one of them.
                schema["oneOf"] = json!([{"required": ["values"]}, {"required": ["vocabulary"]}]);
            }
            schema
        })
        .collect();
    json!({
        "description": "A field: its `type` decides its other keys.",
        "anyOf": alternatives,
    })
}

/// The schema of `privet.toml`.
pub fn config_schema() -> Value {
    let path = |d: &str| json!({"type": "string", "minLength": 1, "description": d});
    json!({
        "$comment": super::schema::COMMENT,
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "privet.toml",
        "description": "The configuration of a privet registry. `privet init` writes a commented one.",
        "type": "object",
        "properties": {
            "proposals": path("The directory of proposals (default `proposals`)."),
            "events": {
                "type": "array",
                "items": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                "minItems": 1,
                "uniqueItems": true,
                "description": "The events (payloads) the client sends.",
            },
            "schema_version": {"type": "integer", "minimum": 1, "description": "The version of the payload schema, sent in every envelope."},
            "review": {
                "type": "object",
                "description": "Who approves metrics, and what makes an approval theirs.",
                "properties": {
                    "reviewers": {
                        "description": "Each reviewer's handle: the SSH public keys they sign approvals with and the emails of their commits (or, in commits mode, a list of emails).",
                        "anyOf": [
                            {"type": "object", "additionalProperties": {
                                "anyOf": [
                                    {"type": "array", "items": {"type": "string"}, "minItems": 1},
                                    {
                                        "type": "object",
                                        "properties": {
                                            "keys": {"type": "array", "items": {"type": "string", "pattern": "^(ssh-|ecdsa-|sk-)"}, "minItems": 1, "description": "OpenSSH public key lines (the `.pub` file's line)."},
                                            "emails": {"type": "array", "items": {"type": "string"}, "minItems": 1, "description": "The emails of the reviewer's commits."},
                                        },
                                        "additionalProperties": false,
                                    },
                                ],
                            }},
                            {"type": "array", "items": {"type": "string"}},
                        ],
                    },
                    "quorum": {"type": "integer", "minimum": 1, "description": "Distinct reviewers an approval needs."},
                    "approvals": {"type": "string", "enum": ["signed", "commits"], "description": "`signed` (default): an approval carries the reviewer's SSH signature. `commits` (weaker): a commit by the reviewer's email wrote it."},
                    "signatures": {"type": "string", "enum": ["required", "optional"], "description": "Commits mode: whether the commit that writes an approval must carry a verified signature by the reviewer."},
                    "approval": {
                        "type": "object",
                        "description": "Written by `privet approve privet.toml --by REVIEWER`: reviewers' signatures of these trust anchors, for a change to them (`privet audit --base`).",
                        "properties": {
                            "by": {"type": "array", "items": {"type": "string"}},
                            "date": date("The day of the approval."),
                            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
                            "note": {"type": "string"},
                            "signatures": {"type": "object", "additionalProperties": {"type": "string"}},
                        },
                        "additionalProperties": false,
                    },
                    "allowed_signers": path("An SSH allowed-signers file, relative to the registry root."),
                },
                "additionalProperties": false,
            },
            "thresholds": {
                "type": "object",
                "description": "The limits the rules apply (see `privet explain RULE`).",
                "properties": {
                    "max_buckets": {"type": "integer", "minimum": 1, "description": "The most buckets a count or duration may have."},
                    "min_answer_words": {"type": "integer", "minimum": 0, "description": "The fewest words a checklist answer may have."},
                    "min_reason_words": {"type": "integer", "minimum": 0, "description": "The fewest words a reason may have."},
                    "min_bucket_ratio": {"type": "number", "minimum": 1, "description": "The smallest ratio between consecutive bucket edges."},
                    "max_bits_per_field": {"type": "number", "minimum": 0, "description": "The most identifying bits one field may carry."},
                    "max_bits_per_metric": {"type": "number", "minimum": 0, "description": "The most identifying bits one metric may carry."},
                    "max_bits_per_event": {"type": "number", "minimum": 0, "description": "The most identifying bits one event payload may carry."},
                    "max_quasi_identifier_bits": {"type": "number", "minimum": 0, "description": "The most bits the fields about an installation's surroundings (region, language, zone, platform) may carry together in one event payload (default 20)."},
                    "expiry_warning_days": {"type": "integer", "minimum": 1, "description": "Days before a metric's expiry date that `expires-soon` warns (default 30)."},
                    "sample_cases": {"type": "integer", "minimum": 1, "description": "Sample payloads the audit scans per metric."},
                },
                "additionalProperties": false,
            },
            "ceilings": {
                "type": "object",
                "description": "Bits no [budget] of a proposal can lift a field or metric above.",
                "properties": {
                    "bits_per_field": {"type": "number", "minimum": 0},
                    "bits_per_metric": {"type": "number", "minimum": 0},
                },
                "additionalProperties": false,
            },
            "pii": {
                "type": "object",
                "properties": {
                    "public_hosts": {"type": "array", "items": {"type": "string"}, "description": "Public service domains of this project: host names under them identify no installation."},
                },
                "additionalProperties": false,
            },
            "page": {
                "type": "object",
                "description": "The transparency page: what is collected, for the people it is collected from.",
                "properties": {
                    "path": path("The page's path without extension: `.md` and `.html` are written."),
                    "project": {"type": "string", "description": "The project's name, in the title."},
                    "opt_out": {"type": "string", "description": "How a user turns collection off, in the project's words."},
                },
                "required": ["path"],
                "additionalProperties": false,
            },
            "generate": {
                "type": "object",
                "description": "What `privet generate` writes.",
                "properties": {
                    "schemas": path("The JSON Schemas of every metric and event payload."),
                    "crate": path("The directory of a generated Rust client crate."),
                    "crate_name": {"type": "string", "description": "The client crate's package name (and, with `_` for `-`, the Python module's name)."},
                    "python": path("The directory of a generated Python client module (stdlib only) and its tests."),
                    "rules": path("A Markdown page of privet's rules."),
                    "editor": path("These editor schemas of proposals and privet.toml."),
                    "dev_dependencies": {"type": "object", "description": "Extra dev-dependencies of the client crate."},
                },
                "additionalProperties": false,
            },
        },
        "additionalProperties": false,
    })
}
