//! Each detector: values it must find, and look-alikes it must not.

use super::*;

fn kinds(text: &str, key: &str) -> Vec<Kind> {
    scan_value(text, key).into_iter().map(|f| f.kind).collect()
}

fn finds(kind: Kind, cases: &[(&str, &str)]) {
    for (text, key) in cases {
        assert!(
            kinds(text, key).contains(&kind),
            "{kind:?} not found in {text:?} under {key:?}: {:?}",
            kinds(text, key)
        );
    }
}

fn quiet(cases: &[(&str, &str)]) {
    for (text, key) in cases {
        assert_eq!(
            kinds(text, key),
            [],
            "look-alike {text:?} under {key:?} fired"
        );
    }
}

#[test]
fn emails() {
    finds(
        Kind::Email,
        &[
            ("admin@example.org", ""),
            ("contact: Jane.Doe+ops@corp.example.com", "notes"),
            ("ops@db01.lan", ""),
            ("root@host.local", ""),
        ],
    );
    quiet(&[
        ("mod_mam@v2", "module"),
        ("user@", ""),
        ("@example.org", ""),
        ("README.md", ""),
    ]);
}

#[test]
fn ip_addresses() {
    finds(
        Kind::Ipv4,
        &[
            ("192.168.1.10", "ip"),
            ("listening on 10.0.0.1:5222", ""),
            ("10.0.0.0/8", "network"),
        ],
    );
    finds(
        Kind::Ipv6,
        &[
            ("fe80::1ff:fe23:4567:890a", ""),
            ("2001:db8::/32", "net"),
            ("2001:db8:85a3::8a2e:370:7334", "bind"),
        ],
    );
    quiet(&[
        ("1.2.3.4", "build_id"),
        ("v1.2.3.4", "name"),
        ("10.0.0.1.5", "x"),
        ("999.1.1.1", ""),
        ("3.21.4", ""),
        ("12:34", "x"),
        ("a::b", "x"),
    ]);
}

#[test]
fn macs() {
    finds(
        Kind::Mac,
        &[("00:1a:2b:3c:4d:5e", "mac"), ("AA-BB-CC-DD-EE-FF", "")],
    );
    quiet(&[("00:1a:2b:3c:4d", ""), ("deadbeefcafe", "")]);
}

#[test]
fn hostnames() {
    finds(
        Kind::Hostname,
        &[
            ("db01.corp.example.com", ""),
            ("lms.university.edu", "id"),
            ("pulp-worker-7@build-host", "name"),
            ("12345@pulp3-worker", "worker"),
            ("build-host", "hostname"),
            ("http://mirror.example.invalid/ubuntu/", "uri"),
            ("https://mirror.example.org/repo", "x"),
        ],
    );
    quiet(&[
        ("pulp_rpm.app", "name"),
        ("openwisp_utils.metric_collection", "module"),
        ("django.contrib.auth", ""),
        ("setup.py", ""),
        ("fuel-nailgun-9.0.0-1.mos8460.noarch", "package"),
        ("Mitaka on Ubuntu 14.04", "name"),
        ("x86_64", "arch"),
        ("localhost", "host"),
        ("hacs", "domain"),
        ("/usr/share/doc/python3.11/README.md", "path"),
    ]);
}

#[test]
fn credentials_paths_and_secrets() {
    finds(
        Kind::UrlCredentials,
        &[("https://user:hunter2@mirror.example.org/repo", "mirror")],
    );
    finds(
        Kind::HomePath,
        &[
            ("/home/alice/.ssh/id_rsa", ""),
            ("/Users/bob/Library", ""),
            ("C:\\Users\\carol\\AppData", ""),
        ],
    );
    finds(
        Kind::Secret,
        &[
            ("AKIA2E0A8F3B244C9986", ""),
            ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "auth"),
            ("-----BEGIN RSA PRIVATE KEY-----", ""),
            ("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", ""),
            ("FAKE-CEPHX-KEY-PLACEHOLDER-0000000000==", "mon_key"),
            ("anything at all", "password"),
            ("q8Zt3vR9xW2mK7pL4nB6cY1dF5gH0jS", "value"),
        ],
    );
    quiet(&[
        ("/var/lib/pulp", "path"),
        ("/home", "path"),
        ("", "password"),
        ("none", "api_key"),
        ("openwisp-network-topology-and-more", "module"),
        ("mongoose_websocket_handler", "module"),
    ]);
}

#[test]
fn phones_cards_and_ibans() {
    finds(
        Kind::Phone,
        &[
            ("+1 202 555 0143", "contact"),
            ("(202) 555-0143", ""),
            // Twelve bytes, no punctuation but spaces: an earlier prefilter
            // skipped values like this one.
            ("202 555 0143", ""),
        ],
    );
    finds(
        Kind::CardNumber,
        &[("4111 1111 1111 1111", ""), ("4111-1111-1111-1111", "note")],
    );
    finds(
        Kind::Iban,
        &[
            ("DE89370400440532013000", ""),
            ("GB82 WEST 1234 5698 7654 32", ""),
        ],
    );
    quiet(&[
        // a byte size that happens to pass Luhn, under a size key
        ("4111111111111111", "db_size_bytes"),
        ("1234567812345678", "total"),
        ("4111111111111112", ""),
        // a bucket label that passes Luhn
        ("2097152-4194303", "workers"),
        ("DE89370400440532013001", ""),
        ("2024.06.13.1", "version"),
        ("3.21.4", "version"),
    ]);
}

#[test]
fn coordinates_timestamps_and_ids() {
    finds(
        Kind::GeoCoordinate,
        &[("48.8584,2.2945", "site"), ("-33.8688, 151.2093", "")],
    );
    finds(
        Kind::Timestamp,
        &[
            ("2024-06-13T09:41:27Z", "created_at"),
            ("06-13-2024 09:41:27", "created_at"),
            ("0012-07:41:09", "uptime"),
            ("2024-06-13 09:41", "seen"),
        ],
    );
    finds(
        Kind::PersistentId,
        &[
            ("7d1e4b2a-93c0-4f6e-b5a8-1c2d3e4f5a6b", "client_id"),
            ("5c0d2a9e7b6f4e1d8a3c2b1f0e9d8c7b", "uuid"),
            (
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "token_hash",
            ),
        ],
    );
    quiet(&[
        ("2024-06-13", "date"),
        ("2016-06-23_13-16-29", "build_id"),
        ("48.8584", "ratio"),
        ("12:34:56", "label"),
        (
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "commit_sha",
        ),
        ("deadbeefdeadbeefdeadbeefdeadbeef", "x"),
    ]);
}

#[test]
fn numbers_with_context() {
    assert_eq!(
        scan_number("1718236827", "period_start"),
        Some(Kind::Timestamp)
    );
    assert_eq!(
        scan_number("1718236800123", "created_at"),
        Some(Kind::Timestamp)
    );
    // midnight: a date, not a time
    assert_eq!(scan_number("1718236800", "period_start"), None);
    // millisecond durations in keys that say so
    assert_eq!(scan_number("1718236800123", "elapsed_ms"), None);
    assert_eq!(scan_number("1718236827", "uptime_seconds"), None);
    // a 16-digit size that passes Luhn
    assert_eq!(scan_number("4111111111111111", "db_size_bytes"), None);
    assert_eq!(
        scan_number("4111111111111111", "card_number"),
        Some(Kind::CardNumber)
    );
    assert_eq!(
        scan_number("48.858370", "latitude"),
        Some(Kind::GeoCoordinate)
    );
    assert_eq!(scan_number("130014", "postgresqlVersion"), None);
    // A unit glued to a key counts only when it is a long word: `items`
    // and `platforms` are plurals, not milliseconds.
    assert_eq!(scan_number("4111111111111111", "filesize"), None);
    assert_eq!(kinds("IT-Hotline: 069 9682386", "items"), [Kind::Phone]);
    assert_eq!(kinds("IT-Hotline: 069 9682386", "latency_ms"), []);
}

#[test]
fn json_is_scanned_with_pointers_and_offsets() {
    let line = r#"{"_comment":"db01.example.org","installation_id":"7d1e4b2a-93c0-4f6e-b5a8-1c2d3e4f5a6b","host":{"name":"db01.corp.example.com"},"events":[{"period_start":1718236827}],"rel":"pulp_rpm.app"}"#;
    let found = scan_json(line).unwrap();
    let got: Vec<(Kind, &str, &str)> = found
        .iter()
        .map(|f| (f.kind, f.pointer.as_str(), &line[f.range.clone()]))
        .collect();
    assert_eq!(
        got,
        [
            (Kind::Hostname, "/host/name", "db01.corp.example.com"),
            (Kind::Timestamp, "/events/0/period_start", "1718236827"),
        ]
    );
}

#[test]
fn escapes_map_back_to_the_raw_line() {
    let line = r#"{"note":"mail \"ops\" at ops\u0040corp.example.com"}"#;
    let found = scan_json(line).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, Kind::Email);
    assert_eq!(&line[found[0].range.clone()], r"ops\u0040corp.example.com");
}

mod prefilter {
    use super::super::*;
    use proptest::prelude::*;

    /// Keys that change what the validators accept.
    const KEYS: &[&str] = &[
        "",
        "value",
        "version",
        "size_bytes",
        "created_at",
        "host",
        "card",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

        /// `may_match` is sound: whatever it lets the scan skip, the
        /// automaton and validators would not have reported either.
        #[test]
        fn skipped_values_have_no_automaton_findings(
            text in prop_oneof![
                "[A-Za-z0-9.+_-]{0,40}",
                "[0-9.+-]{0,40}",
                "[0-9a-fA-F:.-]{0,40}",
                "(\\+?[0-9]{1,4}[ .-]?){1,6}",
                "[A-Z]{2}[0-9]{2}[A-Z0-9]{8,20}",
                "[A-Za-z_+-]{0,40}",
                "[a-fA-F_-]{0,40}",
                "([a-fA-F]{2}-){5,7}[a-fA-F]{2}",
                "(xox[abprs]-|glpat-|AKIA|ASIA|sk_live_)[A-Za-z_-]{8,30}",
                "[A-Z]{16,30}",
            ],
            key in proptest::sample::select(KEYS),
        ) {
            if !may_match(&text) {
                prop_assert_eq!(automaton_findings(&text, KeyContext::of(key)), vec![], "{:?} under {:?}", text, key);
            }
        }
    }

    #[test]
    fn what_the_prefilter_skips() {
        for skipped in [
            "5-9",
            "1000+",
            "3.21",
            "24.11.0",
            "2026-11-23",
            "redwood",
            "x86_64",
            "mod_mam",
            "unknown",
            "other",
            "openwisp-firmware-upgrader",
            "mod_push_service_mongoose",
        ] {
            assert!(!may_match(skipped), "{skipped}");
        }
        for scanned in [
            "1.2.3.4",
            "a.io",
            "+1 202 555 0143",
            "4111111111111111",
            "GB82WEST12345698765432",
            "00-1a-2b-3c-4d-5e",
            "aa-bb-cc-dd-ee-ff",
            "xoxb-abcdefghijkl",
            "AKIAABCDEFGHIJKLMNOP",
            "mod_push_service_mongoosepush",
            "ops@db01",
            "/home/x",
            "12:30:00",
        ] {
            assert!(may_match(scanned), "{scanned}");
        }
    }
}

#[test]
fn the_key_cache_answers_what_the_key_says() {
    // Keys that share their first and last eight bytes, lengths on both
    // sides of every word boundary, and more keys than slots: whatever the
    // direct-mapped cache holds, a key's context is its own.
    let mut keys: Vec<String> = Vec::new();
    for len in 1..=40 {
        keys.push("p".repeat(len));
        keys.push(
            format!("{}{}", "password_".repeat(5), "x")
                .chars()
                .take(len)
                .collect(),
        );
    }
    for middle in ["", "host", "secret", "token", "count", "lat", "id"] {
        keys.push(format!("metric_{middle}_value"));
        keys.push(format!("metrics_{middle}__values"));
        keys.push(format!("aaaaaaaa_{middle}_bbbbbbbb"));
    }
    for i in 0..3000 {
        keys.push(format!("k{i}_count"));
    }
    for _ in 0..2 {
        for k in &keys {
            assert_eq!(KeyContext::of(k), KeyContext::compute(k), "{k:?}");
        }
    }
}

#[test]
fn key_words_split_on_separators_and_camel_case() {
    fn w(k: &str) -> Vec<&str> {
        words(k).collect()
    }
    assert_eq!(w("db_size_bytes"), ["db", "size", "bytes"]);
    assert_eq!(w("longVersion"), ["long", "Version"]);
    assert_eq!(w("uniqueID"), ["unique", "ID"]);
    assert_eq!(w("stats.ds.other-count"), ["stats", "ds", "other", "count"]);
    assert_eq!(w("__"), Vec::<&str>::new());
    assert!(version_key("longVersion") && version_key("buildId") && version_key("tags"));
    assert!(
        !version_key("subversion_url"),
        "a word must start with the stem"
    );
    assert!(host_key("smtp_host") && host_key("node_hostname") && host_key("host"));
    assert!(!host_key("host_count") && !host_key("hosts"));
    assert!(id_key("uniqueID") && id_key("instanceid") && id_key("pg_system_id"));
    assert!(!id_key("android") && !id_key("paid") && !id_key("id_format"));
}

#[test]
fn identifiers_under_identifier_keys() {
    finds(
        Kind::PersistentId,
        &[
            ("Kq3xW9ZbT2", "uniqueID"),
            ("oc8k2n4x7q1z", "instanceid"),
            ("i-0a1b2c3d4e5f67890", "host_cloud_instance_id"),
        ],
    );
    // Names without digits, short codes and versions are not identifiers.
    quiet(&[
        ("deploy-key", "id"),
        ("pulp_rpm", "plugin_id"),
        ("a1b2", "id"),
        ("3.21.4", "schema_id"),
    ]);
    assert_eq!(
        scan_number("7182264151297421234", "pg_system_id"),
        Some(Kind::PersistentId)
    );
    assert_eq!(scan_number("1000", "uid"), None);
}

#[test]
fn secrets_hashes_and_places_that_name_no_one() {
    // A hex token under a secret key is the secret; a hash of one links reports.
    finds(
        Kind::Secret,
        &[("a1b2c3d4e5f60718293a4b5c6d7e8f90", "integration_key")],
    );
    finds(
        Kind::PersistentId,
        &[("a1b2c3d4e5f60718293a4b5c6d7e8f90", "token_hash")],
    );
    // Mail to a domain whose TLD is also a file extension is still mail.
    finds(Kind::Email, &[("ines@kowalczyk-logistik.pl", "Email")]);
    finds(
        Kind::Hostname,
        &[("svn://svn.example-metallbau.de/repos", "subversion_url")],
    );
    // The wildcard and loopback addresses, and `~/`, are the same everywhere.
    quiet(&[
        ("tcp://0.0.0.0:22000", "listenAddress"),
        ("127.0.0.1", "bind"),
        ("--appdir=~/Applications", "opts"),
    ]);
    finds(Kind::HomePath, &[("~alice/notes", "")]);
    finds(
        Kind::Ipv4,
        &[("0.0.0.1", ""), ("tcp://192.168.178.20:8384", "address")],
    );
}

#[test]
fn a_registrable_domain_alone_names_an_organisation() {
    for name in ["gmail.com", "t-online.de", "acme.co.uk", "proton.me"] {
        assert!(registrable_domain_only(name), "{name}");
    }
    // A machine below it, a private suffix's name, a private TLD: hosts.
    for name in [
        "mail.acme.co.uk",
        "alice.github.io",
        "nas.fritz.box",
        "db01.lan",
        "com",
    ] {
        assert!(!registrable_domain_only(name), "{name}");
    }
}

#[test]
fn percent_encoded_values_are_read_decoded() {
    let url = "idsite=3&url=https%3A%2F%2Fwiki.corp.internal%2Fpages%3Fuser%3Djane.doe%2540acme-widgets.com&rec=1";
    let found = scan_value(url, "query");
    let kinds: Vec<Kind> = found.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&Kind::Hostname), "{found:?}");
    assert!(kinds.contains(&Kind::Email), "{found:?}");
    // Each finding points at the encoded bytes it came from.
    let host = found.iter().find(|f| f.kind == Kind::Hostname).unwrap();
    assert_eq!(&url[host.range.clone()], "wiki.corp.internal");
    let mail = found.iter().find(|f| f.kind == Kind::Email).unwrap();
    assert_eq!(&url[mail.range.clone()], "jane.doe%2540acme-widgets.com");
    // Nothing encoded, nothing more found; a bare `%` is no encoding.
    quiet(&[("100%25 done", "status"), ("50% off", "banner")]);
}

#[test]
fn a_time_in_milliseconds_is_no_card_number() {
    // Both pass the Luhn check; neither starts as a card of any network.
    assert!(luhn(&[1, 7, 1, 0, 3, 6, 0, 6, 1, 8, 7, 9, 0]));
    quiet(&[("1710360618790", "stm"), ("1709670530166", "dtm")]);
    finds(
        Kind::CardNumber,
        &[
            ("4222222222222", "card"),
            ("4111 1111 1111 1111", ""),
            ("378282246310005", "amex"),
        ],
    );
}

#[test]
fn a_card_has_a_networks_prefix_and_one_of_its_lengths() {
    // Each passes the Luhn check; the prefix or the length is no network's
    // (Mastercard is 16 digits long, 8 starts no card but RuPay's 16).
    for digits in [
        "5451248326601614762",
        "2941577947966676304",
        "89366148827750",
        "7992739871300008",
    ] {
        let d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        assert!(luhn(&d), "{digits} passes the Luhn check");
        assert_eq!(kinds(digits, "v"), [], "{digits}");
    }
    // Fifteen digits with a check digit and no card's prefix: an IMEI.
    assert_eq!(kinds("359924782642134", "IMEI0"), [Kind::PersistentId]);
    finds(
        Kind::CardNumber,
        &[
            ("5555555555554444", ""),
            ("2223003122003222", ""),
            ("6011111111111117", ""),
            ("3530111333300000", ""),
            ("36227206271667", ""),
            ("4111111111111111110", "card_number"),
        ],
    );
}

#[test]
fn a_hex_digest_after_its_algorithms_name_is_a_contents_address() {
    let hex64 = "d81ef4fa939df1102ec9529db69965cba82c0e57a1b2c3d4e5f60718293a4b5c";
    let hex32 = "9e107d9d372bb6826bd81d3542a419d6";
    for text in [
        format!("quay.io/jupyter/base-notebook:2024-03-14@sha256:{hex64}"),
        format!("?name=pkg.tar.gz&md5={hex32}"),
        format!("SHA-256:{hex64}"),
    ] {
        assert_eq!(kinds(&text, "v"), [], "{text}");
    }
    // The length must be the algorithm's; without a name it is an id.
    assert_eq!(kinds(&format!("md5:{hex64}"), "v"), [Kind::PersistentId]);
    assert_eq!(kinds(hex64, "v"), [Kind::PersistentId]);
}

#[test]
fn digests_written_with_their_algorithm_are_ids_never_secrets_by_their_looks() {
    // An image pinned by digest is no user at a host, and its hex digest
    // is the address of a content.
    let image = "jupyter/base-notebook:2024-03-14@sha256:d81ef4fa939df1102ec9529db69965cba82c0e57a1b2c3d4e5f60718293a4b5c";
    assert_eq!(kinds(image, "image"), []);
    // An SRI hash, a Go or Terraform module hash, an SSH host key's
    // fingerprint: identifiers of what they digest (rarity tells a
    // release's from a machine's), not secrets.
    let digests = [
        (
            "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
            "integrity",
        ),
        ("h1:6GNQ5tWtzRkVYKj5ZgFF0tr6KzYo/GgvXIAfczVzmQ8=", "hashes"),
        (
            "SHA256:uJ8mC0yT4n9p4GzQ1Vf5xHk2bR7aWq3L0sE6dN8oZcY",
            "fingerprint",
        ),
    ];
    finds(Kind::PersistentId, &digests);
    for (text, key) in digests {
        assert!(!kinds(text, key).contains(&Kind::Secret), "{text}");
    }
    // Under a secret key it is the secret; masks are masks however padded.
    finds(
        Kind::Secret,
        &[(
            "h1:6GNQ5tWtzRkVYKj5ZgFF0tr6KzYo/GgvXIAfczVzmQ8=",
            "api_token",
        )],
    );
    quiet(&[("< hidden >", "secret_key"), ("[ REDACTED ]", "password")]);
}

#[test]
fn the_key_cache_answers_like_the_key_tests() {
    for key in [
        "",
        "password",
        "created_at",
        "fuel_version",
        "db_size_bytes",
        "smtp_host",
        "uniqueID",
        "lat",
        "git_commit",
        "card_number",
        "token_hash",
    ] {
        // Twice: the second answer comes from the cache.
        assert_eq!(KeyContext::of(key), KeyContext::compute(key), "{key}");
        assert_eq!(KeyContext::of(key), KeyContext::compute(key), "{key}");
    }
    // Many distinct keys: the cache is cleared, not grown without bound.
    for i in 0..10_000 {
        let key = format!("k{i}_time");
        assert!(KeyContext::of(&key).time);
    }
}

/// The pointer and kind of every finding in a JSON document.
fn json_kinds(json: &str) -> Vec<(String, Kind)> {
    scan_json(json)
        .unwrap()
        .into_iter()
        .map(|f| (f.pointer, f.kind))
        .collect()
}

#[test]
fn rows_of_names_and_values_are_judged_by_the_name() {
    // Nextcloud's survey sends `[section, name, value]` rows.
    let rows = r#"{"items":[["server","version","28.0.2.5"],["system","mail_smtppassword","S0mm3r-Urlaub"],["system","instanceid","ocb3k9f2p7xd"],["php","memory_limit",536870912]]}"#;
    assert_eq!(
        json_kinds(rows),
        [
            ("/items/1/2".to_string(), Kind::Secret),
            ("/items/2/2".to_string(), Kind::PersistentId),
        ]
    );
    // A plain list keeps its own key: names that say nothing change nothing.
    assert_eq!(
        json_kinds(r#"{"peers":["web","10.1.2.3"],"host":["a","db01"]}"#),
        [
            ("/peers/1".to_string(), Kind::Ipv4),
            ("/host/0".to_string(), Kind::Hostname),
            ("/host/1".to_string(), Kind::Hostname),
        ]
    );
}

#[test]
fn the_envelope_id_is_allowed_only_where_and_as_the_envelope_sends_it() {
    let id = "7d1e4b2a-93c0-4f6e-b5a8-1c2d3e4f5a6b";
    assert!(canonical_uuid(id) && !canonical_uuid(&id.replace('-', "")));
    assert_eq!(json_kinds(&format!(r#"{{"installation_id":"{id}"}}"#)), []);
    assert_eq!(
        json_kinds(&format!(r#"{{"m":{{"installation_id":"{id}"}}}}"#)),
        [("/m/installation_id".to_string(), Kind::PersistentId)]
    );
    // Anything else in the envelope's place is still scanned.
    assert_eq!(
        json_kinds(r#"{"installation_id":"db01.corp.example.com"}"#),
        [("/installation_id".to_string(), Kind::Hostname)]
    );
}

#[test]
fn epoch_times_after_a_time_label_in_text() {
    finds(
        Kind::Timestamp,
        &[
            ("TIME:1706659201 ID:x ARCH:amd64", "POPULARITY-CONTEST-0"),
            ("level=info ts=1706659201123 msg=started", "line"),
            ("created = 1706659201", ""),
        ],
    );
    quiet(&[
        // Midnight is a date; other labels are not times; versions are builds.
        ("TIME:1706572800", "header"),
        ("timeout=1706659201", "opts"),
        ("uptime=1706659201", "opts"),
        ("id:1706659201", "x"),
        ("time=1706659201", "build_version"),
    ]);
}

#[test]
fn numbers_are_judged_by_value_not_notation() {
    use super::integer_digits;
    assert_eq!(integer_digits("1706659201").as_deref(), Some("1706659201"));
    assert_eq!(
        integer_digits("1.706659201e9").as_deref(),
        Some("1706659201")
    );
    assert_eq!(
        integer_digits("4.111111111111111e15").as_deref(),
        Some("4111111111111111")
    );
    assert_eq!(
        integer_digits("17066592010E-1").as_deref(),
        Some("1706659201")
    );
    assert_eq!(integer_digits("12.50"), None);
    assert_eq!(integer_digits("-3"), None);
    assert_eq!(integer_digits("1e400"), None);
    assert_eq!(integer_digits("0.0").as_deref(), Some("0"));
    for (json, kind) in [
        (r#"{"phone": 4915112345678}"#, "phone"),
        (r#"{"phone_number": "030 1234567"}"#, "phone"),
        (r#"{"card_number": 4.111111111111111e15}"#, "card-number"),
        (r#"{"timestamp": 1.706659201e9}"#, "timestamp"),
        (r#"{"client_ip": 167772161}"#, "ipv4"),
    ] {
        let found = scan_json(json).unwrap();
        assert_eq!(
            found.iter().map(|f| f.kind.as_str()).collect::<Vec<_>>(),
            [kind],
            "{json}"
        );
    }
    // Counts under the same words are quantities, not the thing itself.
    for json in [
        r#"{"phone_count": 12345678}"#,
        r#"{"ip_count": 167772161}"#,
        r#"{"phones": 3}"#,
    ] {
        assert!(scan_json(json).unwrap().is_empty(), "{json}");
    }
}

#[test]
fn keys_holding_personal_data_are_found_and_hidden_in_pointers() {
    let line = r#"{"users":{"jane.doe@example.com":{"n":"1"}},"nodes":{"db01.corp.example.com":{},"registry.lan:5000":{}}}"#;
    let found = scan_json(line).unwrap();
    let got: Vec<(Kind, &str)> = found
        .iter()
        .map(|f| (f.kind, &line[f.range.clone()]))
        .collect();
    assert_eq!(
        got,
        [
            (Kind::Email, "jane.doe@example.com"),
            (Kind::Hostname, "db01.corp.example.com"),
            (Kind::Hostname, "registry.lan"),
        ]
    );
    // The pointer is plain data; what a report prints hides the key.
    assert_eq!(found[0].pointer, "/users/jane.doe@example.com");
    assert_eq!(shown_pointer(&found[0].pointer), "/users/ja…om");
    assert_eq!(
        shown_pointer("/metrics/pulp_workers"),
        "/metrics/pulp_workers"
    );
}

#[test]
fn dotted_names_a_program_chose_are_not_host_keys() {
    for line in [
        r#"{"labels":{"app.kubernetes.io/name":"x","prometheus.io/port":"9090"}}"#,
        r#"{"labels":{"com.docker.compose.network":"default"}}"#,
        r#"{"config":{"system.site":{"name":"x"}}}"#,
        r#"{"modules":{"pulp_rpm.app":"3.25"}}"#,
    ] {
        let keys: Vec<JsonFinding> = scan_json(line)
            .unwrap()
            .into_iter()
            .filter(|f| f.kind == Kind::Hostname)
            .collect();
        assert!(keys.is_empty(), "{line}: {keys:?}");
    }
}

/// Every declared detector finds what it is for: a detector no input can
/// set off is dead weight, or a broken pattern. (The `match` is exhaustive:
/// a new detector needs its example here.)
#[test]
fn every_detector_is_set_off_by_its_example() {
    let example = |d: Detector| match d {
        Detector::PrivateKey => "-----BEGIN RSA PRIVATE KEY-----",
        Detector::Jwt => {
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
        }
        Detector::Token => "AKIA2E0A8F3B244C9986",
        Detector::UrlCredentials => "postgres://app:s3cretpw@db.internal/app",
        Detector::Email => "jane.doe@example.org",
        Detector::Uuid => "7d1e4b2a-93c0-4f6e-b5a8-1c2d3e4f5a6b",
        Detector::Mac => "00:1a:2b:3c:4d:5e",
        Detector::Timestamp => "2026-11-30T10:31:07Z",
        Detector::EpochAfterLabel => "ts=1706659201 started",
        Detector::Geo => "52.52437, 13.41053",
        Detector::Ipv6 => "2001:db8:85a3::8a2e:370:7334",
        Detector::Ipv4 => "10.1.2.3",
        Detector::Iban => "DE89 3704 0044 0532 0130 00",
        Detector::Card => "4111 1111 1111 1111",
        Detector::Phone => "+49 151 12345678",
        Detector::Home => "/home/jdoe/projects",
        Detector::HexId => "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        Detector::Host => "db01.corp.example.com",
        Detector::HighEntropyToken => "Zk9xR2tHc0pWbE1uT3BRcVJzVHVWd1h5WjEyMzQ1Njc4OQ",
    };
    let mut seen = 0;
    for d in Detector::all() {
        seen += 1;
        let text = example(d);
        let kinds: Vec<Kind> = scan_value(text, "").iter().map(|f| f.kind).collect();
        assert!(
            kinds.contains(&d.kind()),
            "{d:?} on {text:?} found {kinds:?}"
        );
    }
    assert_eq!(seen, DETECTORS.len());
}

#[test]
fn group_addresses_name_no_device() {
    for v in [
        "224.0.0.251",
        "239.255.255.250:1900",
        "255.255.255.255",
        "ff02::fb",
        "01:00:5e:00:00:fb",
        "ff:ff:ff:ff:ff:ff",
        "33:33:00:00:00:01",
    ] {
        let found = scan_value(v, "");
        assert!(found.is_empty(), "{v}: {found:?}");
    }
    for (v, kind) in [
        ("10.1.2.3", Kind::Ipv4),
        ("fd12:3456:789a::1", Kind::Ipv6),
        ("00:1a:2b:3c:4d:5e", Kind::Mac),
    ] {
        assert!(scan_value(v, "").iter().any(|f| f.kind == kind), "{v}");
    }
}

#[test]
fn redaction() {
    assert_eq!(redact("jane@example.org"), "ja…rg");
    assert_eq!(redact("abc"), "***");
}

#[test]
fn a_label_in_text_is_no_part_of_the_value_after_it() {
    // `label=` is skipped and what follows searched on its own: ticks are
    // a number, a UUID is an id, not one long secret.
    quiet(&[(
        "--launch-time-ticks=34487037912 --time-ticks-at-unix-epoch=-1021352642575256",
        "switch-8",
    )]);
    assert_eq!(
        kinds(
            "checkpoint?signature=f7c67df3-db38-446e-9fdc-a04353d059d8&os=linux",
            "url"
        ),
        [Kind::PersistentId]
    );
    // After a secret's label the value is a secret, short as it may be.
    finds(
        Kind::Secret,
        &[(
            "host=db1 user=rep password=IGxiCQqhBsm8hidOs0Xd",
            "conninfo",
        )],
    );
    assert_eq!(
        label_prefix("site_key=VUI8gyhaTAcDJpi4"),
        Some(("site_key", 9))
    );
    assert_eq!(
        label_prefix("--user-data-dir=x"),
        Some(("user-data-dir", 16))
    );
    // Base64's padding is no label.
    assert_eq!(label_prefix("QUJDREVGR0hJSktMTU5PUA=="), None);
    assert_eq!(label_prefix("9abc=def"), None);
}

#[test]
fn what_a_key_calls_public_is_no_credential_and_a_key_like_key_decides_nothing() {
    let token = "PublicKeyToken=adb9793829ddae60";
    assert!(!kinds(token, "assembly").contains(&Kind::Secret));
    assert!(!credential_by_what_it_is(
        Kind::Secret,
        Some("publishable_key"),
        "pk_live_51H8cXYZabcdefghijklmnop"
    ));
    // `site_key` says only that the value may be a secret: rarity judges
    // it. A password's or an encryption key's value is one by what it is.
    let random = "VUI8gyhaTAcDJpi4lQjJY9z__xfIU95ZauIb9FaIlGg";
    assert!(!credential_by_what_it_is(
        Kind::Secret,
        Some("site_key"),
        random
    ));
    assert!(credential_by_what_it_is(
        Kind::Secret,
        Some("encryption_key"),
        random
    ));
    assert!(credential_by_what_it_is(
        Kind::Secret,
        Some("db_password"),
        random
    ));
}

#[test]
fn digits_under_an_id_key_that_pass_as_a_card_are_an_id() {
    // 4111111111111111 passes the Luhn check and starts as a Visa card.
    assert_eq!(kinds("4111111111111111", "source_id"), [Kind::PersistentId]);
    assert_eq!(kinds("4111111111111111", "name_hash"), [Kind::PersistentId]);
    assert_eq!(kinds("4111111111111111", "note"), [Kind::CardNumber]);
    // Digits that fail the check stay clean under an id key too.
    assert!(kinds("20240111125829", "id").is_empty());
}

#[test]
fn a_64_bit_id_that_passes_as_a_card_is_an_id_and_visa_has_three_lengths() {
    // 4058949072672082853 passes the Luhn check and starts as Visa's 19
    // digits: a random 64-bit id, as a session id or a manifest's is.
    let d: Vec<u8> = "4058949072672082853".bytes().map(|b| b - b'0').collect();
    assert!(luhn(&d));
    assert_eq!(
        kinds("4058949072672082853", "sessionid"),
        [Kind::PersistentId]
    );
    assert_eq!(
        kinds("6244443557020745446", "switch-4"),
        [Kind::PersistentId]
    );
    // Under a card's key, or grouped as cards print it, it is a card.
    assert_eq!(
        kinds("4058949072672082853", "card_number"),
        [Kind::CardNumber]
    );
    assert_eq!(kinds("4058 9490 7267 2082 853", "note"), [Kind::CardNumber]);
    // Visa issues 13, 16 and 19 digits: fifteen that start with 4 and pass
    // the check are no card (and, as no network's, an IMEI's shape).
    assert!(!kinds("414621000438708", "v").contains(&Kind::CardNumber));
    assert_eq!(kinds("4222222222222", "card"), [Kind::CardNumber]);
}

#[test]
fn a_person_is_named_in_text_or_under_a_name_key() {
    finds(
        Kind::PersonName,
        &[
            ("Invalid IBAN for contact Oskar Virtanen", "error_message"),
            ("https://shop.example/team/Liesel%20Dufresne/profile", "u"),
            ("Sanne Marchetti", "contactName"),
            ("Solveig", "first_name"),
        ],
    );
    quiet(&[
        ("Max Retries exceeded with url", "error"),
        ("Support Desk", "contactName"),
        ("Kagi", "display_name"),
    ]);
}

#[test]
fn a_product_tokens_version_is_no_address_but_a_paths_segment_is() {
    let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/122.0.0.0 Safari/537.36";
    assert_eq!(kinds(ua, "user_agent"), []);
    assert_eq!(kinds("LibreOffice/7.2.7.2 (Linux)", "ua"), []);
    assert_eq!(
        kinds("https://api.example.org/v1/hosts/10.2.3.4", "u"),
        [Kind::Hostname, Kind::Ipv4]
    );
    // Tags are labels, not a release's tag.
    assert_eq!(
        kinds(
            "ray_address=192.168.141.252:6379",
            "RAY_USAGE_STATS_EXTRA_TAGS"
        ),
        [Kind::Ipv4]
    );
}

#[test]
fn a_secret_switchs_value_and_a_wkt_point_are_found() {
    let args = "unrecognized arguments: --admin-password PNXwufgd78$ --name web";
    assert_eq!(kinds(args, "message"), [Kind::Secret]);
    assert_eq!(
        kinds("az vm create --name web --size Standard_B2s", "message"),
        []
    );
    let point = "Error parsing Geo input: POINT(-74.084450 40.707434). Did not recognize";
    assert_eq!(kinds(point, "message"), [Kind::GeoCoordinate]);
    assert_eq!(kinds("POINT(740.1 40.7)", "message"), []);
}

#[test]
fn a_login_that_names_someone_under_a_login_key_or_as_a_mysql_account() {
    assert_eq!(kinds("kofi.ivanova", "UserName"), [Kind::Username]);
    assert_eq!(kinds("jdoe42", "os_user"), [Kind::Username]);
    for role in ["root", "admin", "www-data", "ec2-user"] {
        assert_eq!(kinds(role, "username"), [], "{role}");
    }
    let denied = "Access denied for user 'ragnhild.carvalho'@'localhost' (using password: YES)";
    assert_eq!(kinds(denied, "msg"), [Kind::Username]);
    assert_eq!(
        kinds("Access denied for user 'root'@'localhost'", "msg"),
        []
    );
}

#[test]
fn encoded_text_paths_and_ssh_remotes_are_no_secrets_or_mailboxes() {
    // Base64 of a JSON document is the document.
    let config =
        "eyJnbG9iYWwiOnsiY2hlY2tOZXdWZXJzaW9uIjp0cnVlLCJzZW5kQW5vbnltb3VzVXNhZ2UiOnRydWV9fQ==";
    assert_eq!(kinds(config, "configuration"), []);
    // What it says is judged: an address inside is found.
    let inner = "eyJ1c2VyIjoiYW5uYS5zY2htaWR0QGFjbWUtd2lkZ2V0cy5kZSIsInJvbGUiOiJhZG1pbiJ9";
    assert_eq!(kinds(inner, "blob"), [Kind::Email]);
    // Random bytes stay a secret.
    assert_eq!(
        kinds("Zq8mW2rT6yP1sK4vN7xL0cB9dF3gH5jA", "v"),
        [Kind::Secret]
    );
    assert_eq!(
        kinds("/ShawnBruce/OctoPrint-themeify/archive/1.2.zip", "url"),
        []
    );
    let registry =
        "/registry/23338594-aafe-5451-b93e-139f81909106/f461fd764b0bd675bad798b0082c42069fede025";
    assert!(!kinds(registry, "path").contains(&Kind::Secret));
    let nix = "/nix/store/5lsky68x0ayyvv4cjcs0xhcbc357lxhf-python3-3.11.9/bin/python3.11";
    assert_eq!(kinds(nix, "executable"), []);
    assert_eq!(kinds("git@github.com:acme/widgets.git", "remote"), []);
    assert_eq!(
        kinds("git@git.pellucor.lan:team/app.git", "remote"),
        [Kind::Hostname]
    );
    assert_eq!(
        kinds("//LAPTOP-REMBPWP/artifactory/api/conda", "channels"),
        [Kind::Hostname]
    );
    assert_eq!(kinds("version=2.8.4.9 node=kong-1", "raw"), []);
}

#[test]
fn a_labels_value_is_judged_under_the_label() {
    assert_eq!(
        kinds("?lat=30.3149&lon=-97.7448&zoom=15", "search"),
        [Kind::GeoCoordinate, Kind::GeoCoordinate]
    );
    assert_eq!(
        kinds("knife bootstrap --ssh-password=S3cr3t-pass", "arguments"),
        [Kind::Secret]
    );
    assert_eq!(
        kinds("level=info user=jdoe42 msg=started", "line"),
        [Kind::Username]
    );
    assert_eq!(kinds("?page=2&sort=name&limit=50", "search"), []);
    assert_eq!(kinds("password=******", "line"), []);
}

#[test]
fn values_named_in_prose_and_ids_from_outside_the_product() {
    let t = "remote cache: 403 Forbidden for token 9T2xWhApcI9dIH5MLrjfueCw (team_52f67273)";
    assert_eq!(kinds(t, "value"), [Kind::Secret]);
    let sql = "CREATE USER _ WITH PASSWORD 'Tr0ub4dor#49770rb'";
    assert_eq!(kinds(sql, "query"), [Kind::Secret]);
    let serial = "Serial port busy on board serial 1000000021cee78f, retrying";
    assert_eq!(kinds(serial, "commerror_text"), [Kind::PersistentId]);
    assert_eq!(kinds("the token expired after 3600 seconds", "msg"), []);
    assert_eq!(kinds("WD-WCC7KGJH9NRH", "serial"), [Kind::PersistentId]);
    assert_eq!(kinds("PFXTDJ8N", "OEMSerialNumber"), [Kind::PersistentId]);
    assert_eq!(kinds("3791149353", "name_id"), []);
    assert_eq!(
        kinds("a8e7d082bfc10726f530d53b019d6e61", "thread_id"),
        [Kind::PersistentId]
    );
    assert!(!world_id_key("thread_id") && world_id_key("adid") && world_id_key("board_serial"));
    assert_eq!(kinds("43.71789 -79.32457", "error"), [Kind::GeoCoordinate]);
    // A key's notation inside text: JSON in a command line, a line of code.
    let json = r#"job launch --config-json '{"config":{"password":"s3cr3t-Pa55"}}'"#;
    assert_eq!(kinds(json, "command"), [Kind::Secret]);
    let code = r#"9 | const char* password = "Butterfly774!";"#;
    assert_eq!(kinds(code, "description"), [Kind::Secret]);
    assert_eq!(kinds(r#"{"password": "********"}"#, "command"), []);
    assert_eq!(kinds(r#"{"token_ttl": "3600"}"#, "command"), []);
}

#[test]
fn accounts_in_amazon_resource_names() {
    let arn = "arn:aws:eks:us-east-1:270842308923:cluster/sandbox";
    assert_eq!(kinds(arn, "k8s.context"), [Kind::PersistentId]);
    let found = scan_value(arn, "k8s.context");
    assert_eq!(&arn[found[0].range.clone()], "270842308923");
    assert_eq!(kinds("arn:aws:s3:::artifacts-bucket/build-7", "target"), []);
    assert_eq!(kinds("arn:aws:iam::123456789012:role/Example", "role"), []);
}

#[test]
fn account_numbers_in_a_urls_path() {
    assert!(
        kinds("https://musescore.com/user/48632065/scores/8781188", "el")
            .contains(&Kind::PersistentId)
    );
    // A short number is a local account's; a release's path holds none.
    assert_eq!(kinds("/user/1000/settings", "el"), []);
    assert_eq!(kinds("/releases/20240311/notes", "path"), []);
}

#[test]
fn devices_named_after_their_owners() {
    for (text, owner) in [
        ("Begoña's iPhone", "Begoña's iPhone"),
        ("Matthew M.'s Galaxy A54", "Matthew M.'s Galaxy"),
        ("Ірина's Pixel 8", "Ірина's Pixel"),
        (
            "synced from Anna\u{2019}s MacBook Pro",
            "Anna\u{2019}s MacBook",
        ),
    ] {
        let found = scan_value(text, "device_name");
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].kind, Kind::PersonName);
        assert_eq!(&text[found[0].range.clone()], owner);
    }
    // A determiner or a role names nobody; a title's possessive is no device.
    for text in [
        "My iPhone",
        "Dad's laptop",
        "Baldur's Gate 3",
        "The Hacker's Browser",
    ] {
        assert_eq!(kinds(text, "device_name"), [], "{text}");
    }
}

#[test]
fn the_people_who_run_an_installation_are_named_by_login() {
    assert_eq!(kinds("kschneider", "superusers"), [Kind::Username]);
    assert_eq!(
        kinds("diego.johansson", "Authenticator.admin_users"),
        [Kind::Username]
    );
    assert_eq!(kinds("admin", "superusers"), []);
    // A display name where a login is expected is still a person's name.
    assert_eq!(kinds("Mark Hargrove", "UserName"), [Kind::PersonName]);
    assert_eq!(kinds("Support Team", "UserName"), []);
}

#[test]
fn findings_come_in_text_order_whichever_passes_ran() {
    // Upper-case text skips the names pass; the address found after the
    // detectors' e-mail still comes first, where it is in the text.
    for text in [
        "774 LAKEVIEW DRIVE, AUSTIN, TX 78704 / OPS@EXAMPLE.ORG",
        "774 Lakeview Drive, Austin, TX 78704 / ops@example.org",
    ] {
        let found = scan_value(text, "note");
        assert!(found.len() >= 2, "{text}: {found:?}");
        assert!(
            found
                .windows(2)
                .all(|w| w[0].range.start <= w[1].range.start),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn a_remembered_value_reads_as_it_did_when_first_scanned() {
    let cases = [
        ("alice@example.org", "contact"),
        ("2024-05-01 10:22:31", "seen_at"),
        ("2024-05-01 10:22:31", "build_version"),
        ("hunter2hunter2hunter2hunter2x", "password"),
        // Base64 of text: the decoded text is scanned in turn.
        ("eyJlbWFpbCI6ICJhbGljZUBleGFtcGxlLm9yZyJ9", "blob"),
        ("db01.corp.example.net", "host"),
        ("pulpcore.app", "module"),
        ("3.28.1", "version"),
    ];
    for (text, key) in cases {
        let context = KeyContext::of(key);
        let fresh = scan_value_afresh(text, context);
        assert_eq!(
            scan_value_in(text, context),
            fresh,
            "{text:?} under {key:?}"
        );
        assert_eq!(scan_value_in(text, context), fresh, "{text:?} again");
    }
    // The same value under another key's context is read afresh.
    assert_eq!(kinds("2024-05-01 10:22:31", "seen_at"), [Kind::Timestamp]);
    assert_eq!(kinds("2024-05-01 10:22:31", "build_version"), []);
}

#[test]
fn the_memory_of_values_is_bounded() {
    let context = KeyContext::of("name");
    for i in 0..MEMO_VALUES + 10 {
        scan_value_in(&format!("worker-{i}"), context);
        let held = MEMO.with(|m| m.borrow().found.len());
        assert!(held <= MEMO_VALUES, "{held} after {i}");
    }
    // A long value is scanned each time, never held.
    let long = "x".repeat(MEMO_VALUE_BYTES + 1);
    let before = MEMO.with(|m| m.borrow().found.len());
    scan_value_in(&long, context);
    assert_eq!(MEMO.with(|m| m.borrow().found.len()), before);
}

#[test]
fn long_counted_repetitions_are_unbounded_and_nothing_else() {
    assert_eq!(
        unbounded_from(r"[a-z]{2,24}|x{0,61}y{1,512}z{16}\{1,99}", LOOSE_FROM),
        r"[a-z]{2,24}|x{0,}y{1,}z{16}\{1,99}"
    );
    assert_eq!(unbounded_from("a{3,30}{", 30), "a{3,}{");
}

/// Every match, in order, of `first` from the start of `text` on.
fn all_matches(
    text: &str,
    first: impl Fn(&Input<'_>) -> Option<regex_automata::Match>,
) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let Some(m) = first(&Input::new(text).range(at..)) else {
            break;
        };
        out.push((m.pattern().as_usize(), m.start(), m.end()));
        at = if m.end() > m.start() {
            m.end()
        } else {
            m.end() + text[m.end()..].chars().next().map_or(1, char::len_utf8)
        };
    }
    out
}

#[test]
fn loose_patterns_held_to_the_bounds_match_as_the_exact_ones() {
    let label = "a1".repeat(35);
    let run = "Zq8x".repeat(140);
    let mut texts: Vec<String> = vec![
        // Labels past 63 bytes, in a host and after an at sign.
        format!("{label}.example.com"),
        format!("x-{label}.corp.example.net and db1.example.org"),
        format!("ops@{label}.example.com"),
        format!("{}@example.com", "a".repeat(70)),
        // Runs past a token's, a JWT's and an entropy run's bounds.
        format!("ghp_{run}"),
        format!("eyJ{run}.eyJ{run}.{run}"),
        format!("{run}{run}"),
        format!("https://{label}:{label}{label}{label}{label}@host.example.com/"),
        format!("{}://u:p@example.com", "s".repeat(40)),
        format!("fe80::1%{}", "e".repeat(40)),
        format!("/home/{}", "b".repeat(80)),
        format!("~{}/", "c".repeat(70)),
        "xn--".to_string() + &"d".repeat(70) + ".example",
    ];
    // And the string values of the bundled payloads.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for dir in ["examples", "payloads", "leaks", "pii"] {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let entry = entry.expect("the fixtures are readable");
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                texts.extend(text.split('"').map(str::to_string));
            }
        }
    }
    assert!(texts.len() > 10_000, "{} values", texts.len());
    for text in &texts {
        assert_eq!(
            all_matches(text, first_match),
            all_matches(text, |input| exact_regex().search(input)),
            "{text:?}"
        );
    }
}

#[test]
fn a_held_value_is_judged_under_the_name_beside_or_above_it() {
    let kinds_at = |input: &str| -> Vec<(String, Kind)> {
        scan_json(input)
            .unwrap()
            .into_iter()
            .map(|f| (f.pointer, f.kind))
            .collect()
    };
    assert_eq!(
        kinds_at(r#"{"env":[{"name":"DB_PASSWORD","value":"Fruehling591x"}]}"#),
        [("/env/0/value".to_string(), Kind::Secret)]
    );
    assert_eq!(
        kinds_at(r#"{"Tags":[{"Key":"owner_email","Value":"jane@example.org"}]}"#),
        [("/Tags/0/Value".to_string(), Kind::Email)]
    );
    assert_eq!(
        kinds_at(r#"{"config":{"vpc:adminPassword":{"string":"Fruehling591x","secret":false}}}"#),
        [("/config/vpc:adminPassword/string".to_string(), Kind::Secret)]
    );
    // A name that says nothing changes nothing.
    assert_eq!(
        kinds_at(r#"{"env":[{"name":"LOG_LEVEL","value":"debug"}]}"#),
        []
    );
}

#[test]
fn a_login_at_an_address_is_the_address() {
    let found = scan_value(
        "sshpass ssh -o StrictHostKeyChecking=no admin@172.31.98.228",
        "cmdline",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::Ipv4);
    let text = "ssh admin@172.31.98.228";
    assert_eq!(
        &text[scan_value(text, "cmd")[0].range.clone()],
        "172.31.98.228"
    );
    assert_eq!(kinds("deploy@127.0.0.1", "cmd"), []);
}

#[test]
fn names_of_words_and_release_suffixes_are_not_tokens_or_addresses() {
    quiet(&[
        (
            "Linux 5.15.146.1-microsoft-standard-WSL2",
            "operatingSystem",
        ),
        (
            "/junit-team/junit5/commit/53a28c07a797f0427e7d0bce606642a2bb5fbbfe",
            "url",
        ),
        ("gs_plugin_loader_job_process_finish+296", "SegvAnalysis"),
    ]);
    // A token mixes cases and digits; an address with a port is one.
    finds(
        Kind::Secret,
        &[("xK9fQ2mZ7pL4vT8nB3wR6yH1cJ5dG0sA", "blob")],
    );
    finds(Kind::Ipv4, &[("10.20.30.40-10.20.30.50", "range")]);
}

#[test]
fn a_directory_named_after_a_host_names_it() {
    finds(
        Kind::Hostname,
        &[
            (
                "/etc/letsencrypt/live/www-04.orrisport-health.io/privkey.pem",
                "cert_path",
            ),
            ("/var/www/shop.tidewright-group.eu/index.php", "root"),
        ],
    );
    quiet(&[
        ("/Library/Application Support/com.apple.foo/cache", "path"),
        ("/srv/downloads/archive.tar.zip", "path"),
        ("/usr/lib/python3.11/site-packages", "path"),
    ]);
}

#[test]
fn midnight_on_the_dot_is_a_day_not_an_instant() {
    quiet(&[
        ("2023-04-13T00:00:00Z", "ai.user.accountAcquisitionDate"),
        ("2023-04-13T00:00:00.000+02:00", "created"),
        ("13/04/2023 00:00", "since"),
    ]);
    finds(
        Kind::Timestamp,
        &[
            ("2023-04-13T00:00:01Z", "created"),
            ("2024-03-01 15:54:02.731789+0000", "message"),
            ("20230413T101500Z", "seen"),
        ],
    );
}

#[test]
fn an_account_on_a_federated_server_is_a_login() {
    finds(
        Kind::Username,
        &[
            ("@sabine.vogelsang:matrix.org", "user_id"),
            ("invited @kwamef:tchncs.de to the room", "message"),
            ("@neream:matrix.kalinka-energie.tokyo:8448", "mxid"),
        ],
    );
    let text = "sent by @torbenw:kde.org.";
    let found = scan_value(text, "message");
    assert_eq!(&text[found[0].range.clone()], "@torbenw:kde.org");
    // Not an e-mail's at sign, not a decorator or a time, not a file.
    quiet(&[
        ("@Override", "annotation"),
        ("@media:screen", "css"),
        ("@types/node:18.0.0", "dep"),
    ]);
}

#[test]
fn machine_made_hex_is_an_id_wherever_a_name_was_expected() {
    // Under a host key: a container's id (Docker's default host name) or a
    // hashed host name names no one; it links as ids do.
    for host in ["abbdaeec3ab887f95dc732c645b277e0530b1696", "4f1c2d9e8b7a"] {
        assert_eq!(
            kinds(host, "utsname_hostname"),
            [Kind::PersistentId],
            "{host}"
        );
    }
    assert_eq!(kinds("build-agent-7", "hostname"), [Kind::Hostname]);
    // A CI job's or a pod's name with the hash a machine gave it.
    for host in [
        "runner-487c22dd-project-49238-concurrent-0",
        "web-7f9c8d6b5-x2x4z",
    ] {
        assert_eq!(kinds(host, "BUILD_HOST"), [Kind::PersistentId], "{host}");
    }
    assert_eq!(kinds("nas-deadbeef", "hostname"), [Kind::Hostname]);
    // Windows' own default name goes wherever the computer does.
    assert_eq!(kinds("DESKTOP-BA28FB1A", "ServerName"), [Kind::Hostname]);
    // A mailbox hashed before sending, its provider kept.
    let hashed = "476a592b0105d1ca2003715f87901a0e7e607a177160976b6a3797c78bdc1d00@icloud.com";
    assert_eq!(kinds(hashed, "email_hashed"), [Kind::PersistentId]);
    assert_eq!(kinds("476a592b@icloud.com", "email"), [Kind::Email]);
    // A sequence number after hex digits ends an id, not a fleet's name.
    assert!(!numbered_machine("node-b5ea4817ead6a62c42ed884263fd9d08"));
    assert!(numbered_machine("node007") && numbered_machine("fra-ci-01"));
    assert!(numbered_machine("build-worker-03"));
}

#[test]
fn a_platform_string_is_words_and_numbers_not_a_token() {
    // Python's platform.platform(): words in one case or capitalised,
    // version numbers, an architecture.
    for platform in [
        "Linux-6.6.19-1-MANJARO-x86_64-with-glibc2.39",
        "macOS-14.4.1-arm64-arm-64bit",
        "Windows-10-10.0.19045-SP0",
    ] {
        assert_eq!(kinds(platform, "os_desc"), [], "{platform}");
    }
    // A licence key's groups mix capitals and digits: still a token when
    // random enough to be one.
    assert!(!name_of_words("HQ2K7-MXP9L-TT4QC-8WJ3R"));
    assert!(!name_of_words("glpat-Xy3kLm9QpR2sTu7VwZ1a"));
    assert!(name_of_words("Linux-6.6.19-1-MANJARO-x86_64-with-glibc2"));
}

#[test]
fn cluster_service_names_release_numbers_and_numbered_keys_are_no_hosts_or_cards() {
    // A Kubernetes service's name inside its cluster: a service's name.
    for host in [
        "yb-master-0.yb-masters.yb.svc.cluster.local",
        "minio.minio.svc.cluster.local",
        "qdrant.vectors.svc",
    ] {
        assert_eq!(kinds(host, "endpoint"), [], "{host}");
        assert_eq!(kinds(host, "host"), [], "{host}");
    }
    assert_eq!(
        kinds("https://minio.minio.svc.cluster.local:9000/bucket", "url"),
        []
    );
    // A machine on the local network stays one.
    assert_eq!(kinds("build-mac-mini.local", "host"), [Kind::Hostname]);
    assert_eq!(
        kinds("svc.cluster.local.example.com", "v"),
        [Kind::Hostname]
    );
    // Digits and dashes below a top-level domain number a release.
    assert_eq!(kinds("3.5.0-135.0.dev", "dart_version"), []);
    assert!(kinds("ci-7.acme.dev", "v").contains(&Kind::Hostname));
    // Map keys that pass Luhn's check are peers' ids, unless the map
    // holds cards.
    let peers = key_findings_of("6072261052575345", "peers");
    assert_eq!(peers.first().map(|f| f.kind), Some(Kind::PersistentId));
    let cards = key_findings_of("4111111111111111", "saved_cards");
    assert_eq!(cards.first().map(|f| f.kind), Some(Kind::CardNumber));
}

#[test]
fn logins_and_machine_names_named_as_such_are_found() {
    // Under a key for a login, any login but a system's or a service's
    // own account; rarity judges whether it identifies.
    assert_eq!(kinds("beckert", "BUILD_USER"), [Kind::Username]);
    assert_eq!(kinds("kschneider", "admin_usernames"), [Kind::Username]);
    assert_eq!(kinds("1.2", "openwisp_users"), []);
    assert_eq!(kinds("sebastianf", "x-username"), [Kind::Username]);
    for role in [
        "root",
        "runner",
        "www-data",
        "jenkins",
        "dependabot",
        "anonymous",
        "ec2-user",
    ] {
        assert_eq!(kinds(role, "username"), [], "{role}");
    }
    assert_eq!(kinds("enabled", "user_mode"), []);
    // Quoted after the word that says it is a login (Kubernetes' RBAC).
    let rbac =
        r#"deployments.apps "echo-server" is forbidden: User "faurea" cannot patch resource"#;
    assert_eq!(kinds(rbac, "error"), [Kind::Username]);
    assert_eq!(
        kinds(
            r#"User "system:serviceaccount:ci:deployer" cannot"#,
            "error"
        ),
        []
    );
    // A machine's bare name after a host's label in text, and under a key
    // whose words are run together.
    let log = "2024-09-02 14:47:34.417 T:1455 info <general>: Local hostname: gagnon-htpc";
    assert!(kinds(log, "line").contains(&Kind::Hostname));
    assert_eq!(kinds("hostname=nas01 started", "msg"), [Kind::Hostname]);
    assert_eq!(kinds("Host: localhost:8080", "msg"), []);
    assert_eq!(kinds("kuznetsov-media", "ServerName"), [Kind::Hostname]);
    assert_eq!(kinds("kuznetsov-media", "ServerNameLookupPolicy"), []);
    // A given name and an initial is a login's other common form.
    assert!(names::given_and_initial("hannahf") && personal_login("hannahf"));
    // Not in a closed list, where a word and a letter meet by chance.
    assert_eq!(names::person("juliett"), None);
}

#[test]
fn masked_and_placeholder_credentials_and_paths_of_words_are_no_secrets() {
    // Masked, or naming what belongs there: the host is judged alone.
    assert_eq!(kinds("rtsp://*:*@10.0.10.10:554/live", "url"), [Kind::Ipv4]);
    assert_eq!(
        kinds("smb://USERNAME:PASSWORD@DISKSTATION/share", "url"),
        []
    );
    assert_eq!(
        kinds("mysql://root:<password>@db.corp.acme.io/app", "url"),
        [Kind::Hostname]
    );
    assert!(placeholder_secret("${DB_PASS}") && placeholder_secret("your_password"));
    // A real one stays, whatever it ends with.
    assert_eq!(
        kinds(
            "postgresql+psycopg2://airflow:Sommer2023%@postgres:5432",
            "conn"
        ),
        [Kind::UrlCredentials]
    );
    assert!(!placeholder_secret("Sommer2023%"));
    // Paths of words: hidden and internal directories, fan-out
    // directories of two hex digits, dates.
    for path in [
        "cache/bazel/_bazel_circleci/f16e36219ef33c22efc2ad20f3e3775c/execroot/",
        "/repo/objects/4c/609ef87f4a5fb83ac9ac1e9e201ba4c9f6b4a5c23525df92f33f1",
        "/Volumes/Samsung_T7/OBS/2024-09-11",
    ] {
        assert!(path_of_words(path), "{path}");
    }
    assert!(!path_of_words("/x/aB3kQ9zR7pL2mN8v/Yt5Wq"));
}

#[test]
fn a_product_tokens_value_is_found_without_its_name() {
    // `session_id/…` in a User-Agent: the value alone, after its label, so
    // that rarity judges it at the label's place.
    let ua = "transformers/4.37.2; python/3.12.2; session_id/821c5977e51d734ce7aecb75124680e7; torch/2.1.2";
    let found = scan_value(ua, "user-agent");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        &ua[found[0].range.clone()],
        "821c5977e51d734ce7aecb75124680e7"
    );
    // A digest with a slash in its base64 stays whole.
    let h1 = "h1:6GNQ5tWtzRkVYKj5ZgFF0tr6KzYo/GgvXIAfczVzmQ8=";
    let found = scan_value(h1, "hashes");
    assert!(found.iter().all(|f| f.range.start <= 3), "{found:?}");
}

#[test]
fn a_home_directory_inside_a_path_of_words_is_found() {
    let ua = "transformers/4.37.2; model_name/facebook/bart-large-cnn; dataset_name//home/yuki.gallo/data/train.json";
    assert!(kinds(ua, "user-agent").contains(&Kind::HomePath));
    // The last segment still begins what goes on past the run.
    assert_eq!(
        kinds("/etc/letsencrypt/live/www-04.acme.io/fullchain.pem", "path"),
        [Kind::Hostname]
    );
}

#[test]
fn documentation_samples_are_no_secrets_and_names_keep_their_diacritics() {
    // AWS's own documentation keys, a public demo key, a template's slot
    // (under a secret's own key, a value is judged as before: a
    // placeholder there may be a real key's stand-in or the key).
    assert_eq!(kinds("AKIAIOSFODNN7EXAMPLE", "AWS_ACCESS_KEY_ID"), []);
    assert_eq!(
        kinds("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "readme_snippet"),
        []
    );
    assert!(
        !kinds(
            "https://api.nasa.gov/planetary/apod?api_key=DEMO_KEY",
            "url"
        )
        .contains(&Kind::Secret)
    );
    assert_eq!(kinds("your_api_token", "api_token"), []);
    // A real key, and a default password, stay.
    assert_eq!(
        kinds("AKIA2E0A8F3B244C9986", "AWS_ACCESS_KEY_ID"),
        [Kind::Secret]
    );
    assert_eq!(kinds("changeme", "db_password"), [Kind::Secret]);
    // A name spelled with its diacritics is the name listed without them.
    assert!(kinds("license for Ruairí Nielsen, 2025", "raw").contains(&Kind::PersonName));
}

#[test]
fn a_urls_service_account_is_no_mailbox() {
    // The host of a public forge is nobody's; a private one is a host.
    assert!(kinds("git+ssh://git@github.com/org/repo.git", "from").is_empty());
    assert_eq!(
        kinds(
            "git+ssh://git@git06.office.acme.local/platform/ui.git",
            "from"
        ),
        vec![Kind::Hostname]
    );
    // Another login at a host is a login.
    assert_eq!(
        kinds("ssh://jwinkler@build.example.org/src", "remote"),
        vec![Kind::Username]
    );
}

#[test]
fn coordinates_as_fixed_point_integers() {
    assert_eq!(
        scan_number("525567532", "latitude_i"),
        Some(Kind::GeoCoordinate)
    );
    assert_eq!(
        scan_number("-1182730119", "longitudeE7"),
        Some(Kind::GeoCoordinate)
    );
    // Truncated to a grid of a kilometre or more: coarse.
    assert_eq!(
        scan_number(&(8020 * (1 << 14)).to_string(), "latitude_i"),
        None
    );
    assert_eq!(scan_number("525560000", "latitude_i"), None);
    // A count is no coordinate.
    assert_eq!(scan_number("525567532", "latitude_count"), None);
}

#[test]
fn a_name_in_a_list_of_people_is_a_handle() {
    let found = scan_json(r#"{"info":{"clients":[{"name":"FluffyGoose178"}]}}"#).unwrap();
    assert_eq!(
        found.iter().map(|f| f.kind).collect::<Vec<_>>(),
        vec![Kind::Username]
    );
    let found = scan_json(r#"{"plugins":[{"name":"FluffyGoose178"}]}"#).unwrap();
    assert!(found.is_empty());
}

#[test]
fn account_numbers_named_in_text() {
    let text = "activity update rejected for user 937210769998174276 (code 4000)";
    assert_eq!(kinds(text, "trace"), vec![Kind::PersistentId]);
    // A local account's number is short; a user's count is no id.
    assert!(kinds("switched to user 1000", "message").is_empty());
    assert!(kinds("username12345678 logged in", "message").is_empty());
}

#[test]
fn orcid_ids_with_their_check_digit() {
    let text = "Could not fetch works for ORCID iD 0000-0003-2413-8293: HTTP 409";
    assert_eq!(kinds(text, "message"), vec![Kind::PersistentId]);
    // The same shape with a wrong check digit is no ORCID iD.
    assert!(kinds("build 0000-0003-2413-8294 done", "message").is_empty());
}

#[test]
fn machines_named_by_their_installers_after_their_owners() {
    // Ubuntu's `login-kind`, Windows' possessive, macOS's owner-last forms.
    for (text, host) in [
        ("bjorn-desktop-82", "bjorn-desktop-82"),
        ("fatima_garcia-laptop", "fatima_garcia-laptop"),
        ("ANNAS-PC", "ANNAS-PC"),
        ("MacBook-Pro-de-Juan", "MacBook-Pro-de-Juan"),
        ("joined from chloe-workstation today", "chloe-workstation"),
    ] {
        let found = scan_value(text, "mitm_custom_addr");
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(found[0].kind, Kind::Hostname);
        assert_eq!(&text[found[0].range.clone()], host);
    }
    // A kind of machine after a word that names no one, or a project's
    // name under a key naming code, is nobody's machine.
    for (text, key) in [
        ("remote-desktop", "feature"),
        ("xfce-desktop", "session"),
        ("wayland-desktop", "REPO"),
        ("docker-desktop", "Name"),
        ("MacBook-Pro-de-Pantalla", "model"),
    ] {
        assert_eq!(kinds(text, key), [], "{text}");
    }
}

#[test]
fn an_option_names_the_argument_after_it() {
    let argv = r#"{"args":["deno","run","weather.ts","--lat","59.24684","--lon","17.96248","--password","Butterfly774!","--verbose","on"]}"#;
    assert_eq!(
        json_kinds(argv),
        [
            ("/args/4".to_string(), Kind::GeoCoordinate),
            ("/args/6".to_string(), Kind::GeoCoordinate),
            ("/args/8".to_string(), Kind::Secret),
        ]
    );
}

#[test]
fn a_uuid_after_the_tag_of_its_kind_is_judged_alone() {
    let text = "NVIDIA GeForce RTX 3090 (UUID: GPU-20ac57e1-b739-c167-834a-8556bbdce9fb)";
    let found = scan_value(text, "cuda_devices");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::PersistentId);
    assert_eq!(
        &text[found[0].range.clone()],
        "20ac57e1-b739-c167-834a-8556bbdce9fb"
    );
    // A tag before a run that is no UUID leaves it as it was.
    assert_eq!(kinds("node-b5ea1c0ffee", "node"), []);
}

#[test]
fn an_id_of_digits_is_an_id_written_as_a_string_or_a_number() {
    assert_eq!(kinds("755620791491", "account_id"), [Kind::PersistentId]);
    assert_eq!(
        scan_number("755620791491", "account_id"),
        Some(Kind::PersistentId)
    );
    // A time, and a build stamp that starts with its date, are not ids.
    assert_eq!(kinds("1706712345", "event_id"), []);
    assert_eq!(kinds("20240315123456", "build_id"), []);
    assert_eq!(kinds("123456789", "account_id"), []);
}

#[test]
fn the_machines_that_serve_shares_are_private_whatever_their_names() {
    for (text, host) in [
        ("cifs://nexus-par12/longhorn", "nexus-par12"),
        ("smb://fileserver/public", "fileserver"),
        ("mounted \\\\nas-office\\scans read-only", "nas-office"),
    ] {
        let found = scan_value(text, "target");
        assert!(
            found
                .iter()
                .any(|f| f.kind == Kind::Hostname && &text[f.range.clone()] == host),
            "{text}: {found:?}"
        );
    }
    // Windows' own names in UNC paths, and web URLs, name no share.
    for text in [
        "\\\\?\\C:\\Program Files\\app",
        "\\\\.\\pipe\\docker_engine",
        "\\\\wsl$\\Ubuntu\\home",
        "https://nexus/repository",
        "smb://USERNAME:PASSWORD@DISKSTATION/share",
        "[\u{d4b}\u{a82c}://x",
    ] {
        assert_eq!(kinds(text, "target"), [], "{text}");
    }
}

#[test]
fn an_option_in_a_command_line_names_its_value() {
    for (text, kind, value) in [
        (
            "/usr/bin/python3 fetch_forecast.py --lat 39.462862 --lon -0.305979 --units metric",
            Kind::GeoCoordinate,
            "-0.305979",
        ),
        (
            "deploy --admin-password PNXwufgd78$ --yes",
            Kind::Secret,
            "PNXwufgd78$",
        ),
        (
            "mysqldump -u backup -pQuartz_94387lemon --all-databases",
            Kind::Secret,
            "Quartz_94387lemon",
        ),
        ("sync owner: tyilmaz, nightly", Kind::Username, "tyilmaz"),
    ] {
        let found = scan_value(text, "cmdline");
        assert!(
            found
                .iter()
                .any(|f| f.kind == kind && &text[f.range.clone()] == value),
            "{text}: {found:?}"
        );
    }
    // Options that name a count, a mode or a run's own id; `-p` for a port.
    for text in [
        "rclone sync /srv/data remote: --transfers 8 --log-level INFO",
        "worker --run-id 7f3a9c2e81d4 --retries 3",
        "mysql -h db -P 3306 -p --batch",
    ] {
        assert_eq!(kinds(text, "cmdline"), [], "{text}");
    }
}

#[test]
fn removable_media_mount_under_their_user() {
    // udisks mounts a drive at /run/media/LOGIN/LABEL; a login is lower
    // case, a label often not, and a label alone there names no one.
    assert_eq!(
        kinds("/run/media/siobhan.lefevre/Backup2TB", "mnt_pnt"),
        [Kind::HomePath]
    );
    assert_eq!(
        kinds(
            "VideoPlayer::OpenFile: /run/media/Elements/Movies/x.mkv",
            "line"
        ),
        []
    );
}

#[test]
fn paths_of_words_with_volume_serials_and_numbered_names_are_no_tokens() {
    for text in [
        "/storage/1A2B-3C4D/PSP/ISO/Kingdom_Hearts_Birth_by_Sleep",
        "/SD/Emulation/roms/psp/Pro_Evolution_Soccer_2013",
    ] {
        assert_eq!(kinds(text, "value"), [], "{text}");
    }
    // BlueZ's D-Bus path holds a device's address with `_`.
    let text = "Traceback: /org/bluez/hci0/dev_00_1A_7D_B9_DF_FE not found";
    let found = scan_value(text, "Traceback");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::Mac);
    assert_eq!(&text[found[0].range.clone()], "00_1A_7D_B9_DF_FE");
    // Octets run on from hex or a word are no address.
    assert_eq!(kinds("ab_00_1a_7d_b9_df_fe", "value"), []);
}

#[test]
fn a_windows_home_is_found_as_any_program_writes_it() {
    for (text, home) in [
        (
            r"No such file: 'C:\\Users\\zdubois\\Videos\\p.osp'",
            r"C:\\Users\\zdubois",
        ),
        ("opened C:/Users/zdubois/Videos/p.osp", "C:/Users/zdubois"),
        (r"C:\Users\zdubois\AppData", r"C:\Users\zdubois"),
    ] {
        let found = scan_value(text, "exd");
        assert!(
            found
                .iter()
                .any(|f| f.kind == Kind::HomePath && &text[f.range.clone()] == home),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn a_drawn_host_name_is_judged_by_the_domain_it_is_drawn_under() {
    assert_eq!(
        drawn_host_parent("3c3a92.pit-5.try.coder.app"),
        Some("pit-5.try.coder.app")
    );
    assert_eq!(
        drawn_host_parent("2le4qw-xenon-8081.exp.direct"),
        Some("exp.direct")
    );
    // Names people give, numbered machines and names under no known
    // suffix are not drawn.
    assert_eq!(drawn_host_parent("build.corp.acme.com"), None);
    assert_eq!(drawn_host_parent("web01.corp.acme.com"), None);
    assert_eq!(drawn_host_parent("a1b2c3d4.local"), None);
}

#[test]
fn a_hash_of_a_login_is_an_id_not_a_login() {
    assert_eq!(kinds("cb0c4ff7", "user"), [Kind::PersistentId]);
    assert_eq!(kinds("dfb37b62", "username"), [Kind::PersistentId]);
    // A login with a number in it stays a login.
    assert_eq!(kinds("sofiam30", "user"), [Kind::Username]);
}

#[test]
fn a_configuration_file_in_a_string_is_read_line_by_line() {
    let ini = "[general]\nautosave = 1\nlanguage = \"de-DE\"\n\n[network]\nplayer_name = \"InvertedQueen76\"\ndefault_port = 11753\nmaxplayers = 16\n";
    let found = scan_value(ini, "content");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::Username);
    assert_eq!(&ini[found[0].range.clone()], "InvertedQueen76");
    // Fewer than three such lines are no file.
    assert_eq!(kinds("note: see below\nhost: x\n", "msg"), []);
}

#[test]
fn a_cloud_providers_resource_id_is_recognised_by_its_format() {
    assert!(cloud_resource_id("i-04aff1d6b64bc4255"));
    assert!(cloud_resource_id("vol-0a1b2c3d"));
    assert!(!cloud_resource_id("i-0xyz"));
    assert!(!cloud_resource_id("run-04aff1d6b64bc4255"));
}

#[test]
fn the_items_of_a_list_of_people_are_their_handles() {
    assert_eq!(
        json_kinds(
            r#"{"clients_list":["ElineBlocks67","Sir_creeper7139"],"modules":["mod_mam","mod_muc"]}"#
        ),
        [
            ("/clients_list/0".to_string(), Kind::Username),
            ("/clients_list/1".to_string(), Kind::Username),
        ]
    );
}

#[test]
fn the_home_of_a_systems_or_a_services_account_names_a_role() {
    quiet(&[
        ("/home/ubuntu/react", "worktree"),
        ("/home/ec2-user", "cwd"),
        ("/home/runner/work/flask/flask", "path"),
        ("/home/codespace/.cache", "path"),
        ("C:\\Users\\Public\\Documents", "path"),
        ("/var/lib/www-data/cache", "path"),
    ]);
    finds(
        Kind::HomePath,
        &[
            ("/home/yilmazt/src/konsole", "worktree"),
            ("C:\\Users\\zdubois\\AppData", "path"),
            ("~alice/notes", ""),
        ],
    );
    assert_eq!(home_login("/run/media/ldubois/"), "ldubois");
    assert_eq!(home_login("C:\\\\Users\\\\zdubois"), "zdubois");
}

#[test]
fn an_object_written_into_a_text_is_read_as_a_document() {
    let text = r#"watermark column is null in row: {"device":"courier-63","lat":41.790897,"lon":-87.6238,"ts":null} (skipped)"#;
    let found = scan_value(text, "message");
    let kinds: Vec<(Kind, &str)> = found
        .iter()
        .map(|f| (f.kind, &text[f.range.clone()]))
        .collect();
    assert_eq!(
        kinds,
        [
            (Kind::GeoCoordinate, "41.790897"),
            (Kind::GeoCoordinate, "-87.6238")
        ]
    );
    // Braces in strings do not end it; what does not parse is text.
    assert_eq!(
        balanced_object_end(br#"{"a":"}{","b":[1,{}]} tail"#),
        Some(21)
    );
    assert_eq!(balanced_object_end(br#"{"a":1"#), None);
    assert_eq!(
        kinds_of_text(r#"cannot parse {"ratio": 41.790897, oops"#),
        []
    );
    // (Read as text, a coordinate's label still names it.)
    assert_eq!(
        kinds_of_text(r#"cannot parse {"lat": 41.790897, oops"#),
        [Kind::GeoCoordinate]
    );
}

fn kinds_of_text(text: &str) -> Vec<Kind> {
    kinds(text, "message")
}

#[test]
fn a_url_in_a_key_ends_its_host_at_the_port_whatever_follows() {
    assert_eq!(
        json_kinds(
            r#"{"stats":{"https://jira.talpelom.internal:443|stats.code.200":3,"mod_mam.count":2}}"#
        ),
        [(
            "/stats/https:~1~1jira.talpelom.internal:443|stats.code.200".to_string(),
            Kind::Hostname
        )]
    );
}

#[test]
fn names_in_other_scripts_are_found_in_text() {
    finds(
        Kind::PersonName,
        &[
            ("Messages with Николай Волков stuck", "message"),
            ("Ирина Смирнова", "author"),
            ("Hosted by 杨涛 - be nice", "motd"),
            ("李娜", "comment"),
            ("山口 太一", "comment"),
        ],
    );
    // Inside a longer run of characters, two that could be a name are
    // words of a sentence.
    assert!(names::cjk_in_text("设置高级选项").is_empty());
}

#[test]
fn machines_numbered_in_a_series_share_a_pattern() {
    assert_eq!(numbered_pattern("cn150").as_deref(), Some("cn#"));
    assert_eq!(numbered_pattern("GPU08").as_deref(), Some("gpu#"));
    assert_eq!(
        numbered_pattern("compute-1-12.hpc.local").as_deref(),
        Some("compute-#-#.hpc.local")
    );
    // No word, too many digits, too many runs: no series.
    for host in ["4d2a1e", "node123456", "a1b2c3d4", "10.0.0.1"] {
        assert_eq!(numbered_pattern(host), None, "{host}");
    }
}

#[test]
fn what_a_build_prints_is_its_paths_and_its_hashes() {
    // A compiler's include path of names with versions in them.
    quiet(&[(
        "/usr/bin/gcc -O2 -fPIC -I/opt/spack/opt/spack/linux-rocky8-zen3/gcc-11.4.0/include",
        "output",
    )]);
    // Spack addresses a build by a hash after its name and version.
    assert!(build_hash_after_version(
        "==> Installing fftw-3.3.",
        "10-i5gkoi6aywajchcvsa7a6yrkpkkidqzj"
    ));
    assert!(build_hash_after_version(
        "installed py-numpy-1.26.4-",
        "mgdmiozenuevbravhx7l32ss27ro4hhd"
    ));
    assert!(!build_hash_after_version(
        "token=",
        "mgdmiozenuevbravhx7l32ss27ro4hhd"
    ));
    // Under a hash's key a random run is the hash: an id, not a secret.
    assert_eq!(
        kinds("ofp2nhh6ep2qkxfl6nbdbejmtly2g3ieXQ", "full_hash"),
        [Kind::PersistentId]
    );
}

#[test]
fn a_persons_own_directory_under_a_shared_root_names_their_login() {
    finds(
        Kind::Username,
        &[
            ("see /tmp/cbrown/spack-stage/spack-build-out.txt", "output"),
            ("Mozilla/5.0 (/scratch/olefevre/run/a.py)", "ua"),
        ],
    );
    quiet(&[
        (
            "/tmp/build/out.txt and /data/grant/2024/report.pdf",
            "output",
        ),
        ("/var/tmp/ccache/x", "path"),
    ]);
}

#[test]
fn a_card_number_is_grouped_as_cards_print_it() {
    finds(
        Kind::CardNumber,
        &[("4111 1111 1111 1111", ""), ("3782-822463-10005", "")],
    );
    // Android's logcat: a process id and a thread id after a time.
    quiet(&[(
        "12-01 10:00:00.123  584 12765 12441 I ActivityManager",
        "LOGCAT",
    )]);
}

#[test]
fn a_handle_after_a_messaging_services_name_is_a_login() {
    finds(
        Kind::Username,
        &[(
            "If you need more info ping me on discord: owlkamiski10",
            "comment",
        )],
    );
    // In a list, a service's name names the service, not the next item.
    assert_eq!(
        json_kinds(r#"{"oauth2_providers":["google","telegram","openidConnect"]}"#),
        []
    );
}

#[test]
fn a_machine_under_a_private_name_is_a_host_in_a_path_too() {
    finds(
        Kind::Hostname,
        &[(
            "/monitoring/check_mk/api/1.0/objects/host_config/app18.deepwell.lan",
            "request_url",
        )],
    );
    quiet(&[("/etc/rc.local", "path")]);
}

#[test]
fn an_account_at_another_service_is_known_by_its_format() {
    finds(
        Kind::PersistentId,
        &[
            (
                "Same as the PC version I own on Steam (steamid 76561198898544979).",
                "comments",
            ),
            (
                "/apps/stripe/setup?account=acct_1MM4ePJ1y2jJAiBV",
                "page_url",
            ),
        ],
    );
    assert!(!service_account_id("76561190000000000"));
    assert!(!service_account_id("acct_settings_page"));
}

mod case_insensitive_search {
    use super::super::contains_bytes_ci;
    use proptest::prelude::*;

    proptest! {
        /// The `memchr`-led search finds what comparing every window finds.
        #[test]
        fn finds_what_every_window_finds(hay in "[a-zA-Z:= _]{0,40}", needle in "[a-zA-Z]{0,5}") {
            let naive = needle.is_empty()
                || hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
            prop_assert_eq!(contains_bytes_ci(hay.as_bytes(), needle.as_bytes()), naive);
        }
    }

    #[test]
    fn edges() {
        assert!(contains_bytes_ci(b"Local HOSTNAME:", b"hostname"));
        assert!(contains_bytes_ci(b"host", b"HOST"));
        assert!(!contains_bytes_ci(b"hos", b"host"));
        assert!(!contains_bytes_ci(b"", b"h"));
        assert!(contains_bytes_ci(b"", b""));
    }
}

mod pointer_segments {
    use super::super::segments_rev;
    use proptest::prelude::*;

    proptest! {
        /// `segments_rev` gives what `rsplit('/')` gives.
        #[test]
        fn as_rsplit_gives_them(pointer in "(/?[a-zé0-9~]{0,3}){0,5}") {
            prop_assert_eq!(segments_rev(&pointer).collect::<Vec<_>>(), pointer.rsplit('/').collect::<Vec<_>>());
        }
    }
}

#[test]
fn a_containers_drawn_host_name_names_no_machine() {
    // Docker names a container's host after the first twelve hex digits of
    // its id: a shell prompt inside one shows it.
    assert_eq!(kinds("root@0370ebb27a37:/app# ", "o"), []);
    // A machine's own name after the same sign stays one.
    assert_eq!(kinds("root@buildhost7:/app# ", "o"), [Kind::Hostname]);
}

#[test]
fn a_path_of_words_may_end_a_word_with_a_year() {
    // A mod site's API path names a game by its title and year.
    assert_eq!(
        kinds("GET /v1/games/cyberpunk2077/mods/28723/files", "message"),
        []
    );
    assert_eq!(kinds("/srv/office2019/templates/letters", "path"), []);
    // A random run is still one.
    assert_eq!(
        kinds("token Zk3q9XbT2mW8vLr1Np7Qs4Ye6Hc0Jd5U", "message"),
        [Kind::Secret]
    );
}

#[test]
fn a_forks_owner_at_a_code_forge_is_a_login() {
    fn at(text: &str) -> Vec<&str> {
        forge_accounts(text)
            .into_iter()
            .map(|f| &text[f.range])
            .collect()
    }
    assert_eq!(
        at("https://github.com/tobias84/openpilot.git"),
        ["tobias84"]
    );
    assert_eq!(at("git@gitlab.com:jschmidt/dotfiles.git"), ["jschmidt"]);
    assert_eq!(at("https://git.sr.ht/~mkowalski/notes"), ["mkowalski"]);
    // A project's organisation, the forge's own pages, other hosts.
    assert!(at("https://github.com/commaai/openpilot").is_empty());
    assert!(at("https://github.com/pulp/pulpcore/issues").is_empty());
    assert!(at("https://github.com/tobias84").is_empty());
    assert!(at("https://notgithub.com/tobias84/x").is_empty());
    // A pull request's merge names its branch by the branch's owner.
    assert_eq!(
        at("Merge pull request #298 from nicolas_mercier/patch-1"),
        ["nicolas_mercier"]
    );
    assert!(at("Merge pull request #12 from pulp/fix-sync").is_empty());
    assert_eq!(
        kinds(
            "origin https://github.com/oliver87/openpilot.git (fetch)",
            "remote"
        ),
        [Kind::Username]
    );
}

#[test]
fn a_serial_labelled_in_text_and_a_vehicles_vin_are_world_ids() {
    assert_eq!(
        kinds("      Serial Number (system): C023LCXF4ME5\r\n", "log"),
        [Kind::PersistentId]
    );
    assert_eq!(
        kinds("IMEI No: 35209900176148AB", "log"),
        [Kind::PersistentId]
    );
    // A Vehicle Identification Number (ISO 3779) names one car.
    assert_eq!(kinds("JF2YKU76SM51XZ5C4", "carVin"), [Kind::PersistentId]);
    // A number of something else stays clean.
    assert_eq!(kinds("Build Number: 24A335", "log"), []);
}

#[test]
fn a_coordinate_named_in_code_or_a_log_line() {
    let text = "error: 'WiFi' was not declared\n   12 | #define HOME_LAT 41.879869\n   13 | #define HOME_LON 12.430247";
    assert_eq!(
        kinds(text, "description"),
        [Kind::GeoCoordinate, Kind::GeoCoordinate]
    );
    assert_eq!(
        kinds("fix lon=-2.610237 acc=12.5", "msg"),
        [Kind::GeoCoordinate]
    );
    // Other numbers after other words, and coarse ones, stay clean.
    assert_eq!(kinds("latency: 41.879869 ms, lat 41.9", "msg"), []);
    assert_eq!(kinds("release 12.430247 of long", "msg"), []);
}

#[test]
fn a_bluetooth_devices_address_in_a_sinks_name() {
    assert_eq!(
        kinds(
            "Device: bluez_sink.3C_A6_2F_54_13_D6.a2dp_sink [ALSA]",
            "log"
        ),
        [Kind::Mac]
    );
    assert_eq!(
        kinds("/org/bluez/hci0/dev_00_1A_7D_DA_71_13", "path"),
        [Kind::Mac]
    );
}

#[test]
fn logins_that_system_messages_name() {
    let found = |text: &str| -> Vec<String> {
        scan_value(text, "log")
            .into_iter()
            .filter(|f| f.kind == Kind::Username)
            .map(|f| text[f.range].to_string())
            .collect()
    };
    assert_eq!(
        found("info <general>: [plugin.video.jellyfin] logged in as mariajose.hernandez"),
        ["mariajose.hernandez"]
    );
    assert_eq!(
        found(
            "sudo: mikael_hakansson is not in the sudoers file.  This incident will be reported."
        ),
        ["mikael_hakansson"]
    );
    assert_eq!(
        found("invalidCredentials for bind DN uid=malgorzata_kow,ou=people,dc=nordwind,dc=de"),
        ["malgorzata_kow"]
    );
    assert_eq!(
        found(r#"pods is forbidden: User "oidc:seoyeon42" cannot create resource "pods""#),
        ["seoyeon42"]
    );
    // Roles' accounts and service accounts name no one.
    assert!(found("Accepted publickey for root from 10.0.0.1").is_empty());
    assert!(found(r#"User "system:serviceaccount:ci:builder7" cannot list"#).is_empty());
    assert!(found("the server runs as intended").is_empty());
}

#[test]
fn positions_in_degrees_minutes_and_seconds_and_marked_japanese_addresses() {
    assert_eq!(
        kinds(
            r#"invalid geometry for store_location: '6°34'55.7"N 3°27'01.3"E'"#,
            "exception"
        ),
        [Kind::GeoCoordinate]
    );
    assert_eq!(
        kinds("fix 52°31.2'N 13°24.6'E", "msg"),
        [Kind::GeoCoordinate]
    );
    // A latitude alone, or an angle, is no position.
    assert_eq!(kinds("tilt 12°30' N of the axis", "msg"), []);
    assert_eq!(
        kinds(
            "Could not convert '〒154-0010 東京都世田谷区桜新町1丁目7-9' with type str",
            "exception"
        ),
        [Kind::StreetAddress]
    );
}

#[test]
fn the_account_in_a_private_registrys_host() {
    assert_eq!(
        kinds(
            "push.image:112573296192.dkr.ecr.us-east-1.amazonaws.com/api",
            "k"
        ),
        [Kind::PersistentId]
    );
    assert_eq!(
        kinds("123456789012.dkr.ecr.us-east-1.amazonaws.com/x", "k"),
        []
    );
}

#[test]
fn a_name_in_camel_case_at_a_words_start() {
    assert_eq!(
        kinds("Joining room HugoHaddadWeekly", "message"),
        [Kind::PersonName]
    );
    // Inside an identifier, or words that are no given name and surname.
    assert_eq!(kinds("at a.ReadMarkState (state.js:12)", "stack"), []);
    assert_eq!(kinds("WebServer started", "message"), []);
}
