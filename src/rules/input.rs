//! Input rules: the file could not be read or parsed at all.

use super::{Rule, Severity};

pub const IO_ERROR: Rule = Rule {
    id: "io-error",
    family: "input",
    severity: Severity::Error,
    summary: "a proposal or configuration file could not be read",
    what: "A file in the registry that exists but cannot be read: permissions, a dangling \
           symlink, a directory named like a proposal. The run reports every other finding \
           too, and exits with 2 (an I/O error), not 1.",
    why: "An unreadable proposal is a metric nobody can review. The audit must not pass \
          by silently skipping it.",
    example: "$ chmod 000 proposals/pulp_workers.toml",
};

pub const FILE_TOO_LARGE: Rule = Rule {
    id: "file-too-large",
    family: "input",
    severity: Severity::Error,
    summary: "a proposal is larger than the 1 MiB limit",
    what: "A proposal file over 1 MiB. privet stops reading at the limit and does not parse \
           the file.",
    why: "A metric definition is a page of prose and a handful of fields. A file this \
          large is a mistake (a pasted log, a generated dump) and parsing it would only \
          slow every audit down.",
    example: "$ ls -l proposals/openwisp_version.toml\n-rw-r--r-- 1 dev dev 5242880 openwisp_version.toml",
};

pub const INVALID_UTF8: Rule = Rule {
    id: "invalid-utf8",
    family: "input",
    severity: Severity::Error,
    summary: "a proposal is not valid UTF-8",
    what: "A proposal containing bytes that are not UTF-8. The finding points at the first \
           invalid byte.",
    why: "TOML is UTF-8 by definition. Such a file is usually saved in a legacy encoding \
          (Latin-1, UTF-16) or is not a text file at all.",
    example: "summary = \"caf\\xE9 count\"   # a Latin-1 byte",
};

pub const TOML_SYNTAX: Rule = Rule {
    id: "toml-syntax",
    family: "input",
    severity: Severity::Error,
    summary: "a file is not valid TOML",
    what: "Anything the TOML parser rejects: unclosed strings, missing `=`, a key defined \
           twice, a table header repeated.",
    why: "Nothing else in the file can be checked until it parses.",
    example: "summary = \"Number of workers\nowners = [\"pulp\"]",
};

pub const EMPTY_FILE: Rule = Rule {
    id: "empty-file",
    family: "input",
    severity: Severity::Error,
    summary: "a proposal file is empty",
    what: "A proposal that is empty or holds only comments and white space.",
    why: "An empty file is a metric with no definition. Create proposals with \
          `privet new NAME`, which writes every checklist question as a prompt.",
    example: "# (empty file)",
};

pub const HIDDEN_TEXT: Rule = Rule {
    id: "hidden-text",
    family: "input",
    severity: Severity::Error,
    summary: "a file holds invisible characters or bidirectional controls",
    what: "A proposal or `privet.toml` holding characters a reader cannot see or that \
           reorder the text around them: right-to-left overrides and other bidirectional \
           controls (U+202A–U+202E, U+2066–U+2069), zero-width spaces and joiners, a \
           byte-order mark inside the text, tag characters. Every human output shows \
           them escaped (`\\u{202e}`).",
    why: "The Trojan-source trick: a reviewer reads one thing while the file says another, \
          for example a value list or a reason whose words appear in a different order \
          than they are stored. An approval must be of what is there.",
    example: "summary = \"Number of workers\u{202E}sresu fo liame\"",
};

pub const UNREAD_FILE: Rule = Rule {
    id: "unread-file",
    family: "input",
    severity: Severity::Error,
    summary: "a file named almost like a proposal is not read",
    what: "A file among the proposals whose name looks like a proposal's but that privet does \
           not read: a hidden file (`.name.toml`), another case of the extension \
           (`name.TOML`), white space around the name or extension (`name .toml`, \
           `name.toml `), or a backup of a proposal (`name.toml~`, `name.toml.orig`).",
    why: "A metric in such a file is never checked, never approved and never generated, \
          and nothing else says so: the author believes it is part of the registry.",
    example: "$ ls proposals/\ninstallation_size.toml  worker_count.TOML",
};
