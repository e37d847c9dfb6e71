//! Measurements taken per place: a latency to each of several regions, one
//! field or map key per place, triangulates where the installation is.

use crate::diagnostic::Diagnostic;
use crate::model::{FieldType, Proposal};
use crate::rules::{Rule, Severity};

pub const PLACE_MEASUREMENTS: Rule = Rule {
    id: "place-measurements",
    family: "privacy",
    severity: Severity::Error,
    summary: "one quantity is measured per place, which reveals where the installation is",
    what: "A metric that measures one quantity (a duration or a count) for each of at \
           least three places: fields that share their other words and differ by a place \
           (`rtt_eu_central`, `rtt_us_east`, `rtt_ap_southeast`), or a map whose keys are \
           places (`{ eu_west, us_east, ap_south }` of round-trip times). A place is a \
           continent or a region (`eu`, `apac`, `europe`, `asia`), a compass point \
           (`east`, `central`), a country code or an IANA time-zone region, as cloud \
           regions and mirrors are named, or a country, city or region by its name \
           (`frankfurt`, `sao_paulo`, `virginia`). A network distance (a round trip, a \
           ping, a latency, the time a connection or a fetch takes, as the field's name or \
           summary says) measured to each of at least three endpoints is read the same way \
           whatever the endpoints are called (relays' nicknames `rtt_moria1`, mirrors' \
           operators as map keys), unless what tells the fields or keys apart is a \
           statistic of one series (`p50`, `max`), a stage (`cold`, `first`) or a \
           protocol (`dns`, `tls`). Network distances are also counted over the \
           registry's live metrics together, as an installation's id links its payloads: \
           three endpoints measured by two metrics or more (`bootstrap_rtt` in one, \
           `preload_rtt` and `routing_latency` in others) are reported at each of them.",
    why: "Each measurement is harmless alone, and together they triangulate: the \
          round-trip times to three or more known places say where the installation is, \
          to a city or better, whatever the buckets. A place is an identifying \
          combination no bit count sees, since each field is coarse.",
    example: "[fields.rtt_eu_central]\ntype = \"duration\"\nunit = \"millisecond\"\nbuckets = [0, 10, 20, 40, 80, 160]\n\n[fields.rtt_us_east]\ntype = \"duration\"\nunit = \"millisecond\"\nbuckets = [0, 10, 20, 40, 80, 160]\n\n[fields.rtt_ap_southeast]\ntype = \"duration\"\nunit = \"millisecond\"\nbuckets = [0, 10, 20, 40, 80, 160]",
};

/// Fewest places measured that triangulate.
const PLACES: usize = 3;

/// Whether a word names a place as regions and mirrors are named.
fn place_word(w: &str) -> bool {
    const REGIONS: &[&str] = &[
        "eu",
        "us",
        "ap",
        "sa",
        "af",
        "me",
        "na",
        "apac",
        "emea",
        "amer",
        "americas",
        "latam",
        "anz",
        "asia",
        "europe",
        "america",
        "africa",
        "oceania",
        "australia",
        "pacific",
        "atlantic",
        "mideast",
        "nordics",
        "north",
        "south",
        "east",
        "west",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northcentral",
        "southcentral",
        "eastus",
        "westus",
        "westeurope",
        "northeurope",
        "eastasia",
        "southeastasia",
    ];
    let lower = w.to_ascii_lowercase();
    REGIONS.contains(&lower.as_str())
        || (w.len() == 2
            && crate::vocabulary::COUNTRY
                .values
                .contains(&w.to_ascii_uppercase().as_str()))
        || crate::vocabulary::TIMEZONE_REGION
            .values
            .iter()
            .any(|r| r.eq_ignore_ascii_case(w))
}

/// The names among `names` that differ from the others by a place: after
/// the words every name shares, and the other words two names or more
/// share (`mirror` in `pull_mirror_asia`, `pull_mirror_europe`), are set
/// aside, what is left has a place word, and nothing but places and
/// numbers (`eu_central_1`).
fn placed<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let split: Vec<Vec<&str>> = names
        .iter()
        .map(|n| {
            n.split(['_', '-', '.', ' '])
                .filter(|w| !w.is_empty())
                .collect()
        })
        .collect();
    let holders = |w: &str| split.iter().filter(|s| s.contains(&w)).count();
    names
        .iter()
        .zip(&split)
        .filter(|(_, ws)| {
            let rest: Vec<&&str> = ws
                .iter()
                .filter(|w| {
                    let n = holders(w);
                    n < split.len() && (n < 2 || place_word(w))
                })
                .collect();
            let words = rest.iter().any(|w| place_word(w))
                && rest
                    .iter()
                    .all(|w| place_word(w) || w.bytes().all(|b| b.is_ascii_digit()));
            // Or what is left is a place's name (`frankfurt`, `sao_paulo`).
            let joined: Vec<&str> = rest.iter().map(|w| **w).collect();
            words
                || (!joined.is_empty()
                    && crate::vocabulary::named_place(&joined.join("_"))
                        .is_some_and(|what| what != "a language"))
        })
        .map(|(n, _)| *n)
        .collect()
}

/// Whether words say a quantity is a network distance: a round trip, a
/// ping, a latency, or the time a connection or a fetch takes. Measured to
/// several endpoints, whatever they are called (relays' nicknames,
/// mirrors' operators), such times triangulate as places do.
fn network_distance(words: &[String]) -> bool {
    const NETWORK: &[&str] = &[
        "rtt",
        "ping",
        "pings",
        "latency",
        "latencies",
        "roundtrip",
        "lag",
        "hops",
        "hop",
        "handshake",
        "connect",
        "connection",
        "fetch",
        "download",
        "upload",
        "ttfb",
        "reachability",
        "traceroute",
    ];
    words.iter().any(|w| NETWORK.contains(&w.as_str()))
        || words.windows(2).any(|w| w[0] == "round" && w[1] == "trip")
}

/// Whether a field's name or summary says it measures a network distance.
fn measures_network(f: &crate::model::Field) -> bool {
    network_distance(&super::said_of(f))
}

/// Names that measure one network distance to each of several endpoints:
/// after the words every name shares, what is left of each is a name of
/// its own (`moria1`, `dizum`), not a statistic of one series (`p50`,
/// `max`), a direction or a stage (`first`, `cold`).
fn endpoints<'a>(names: &[&'a str]) -> Vec<&'a str> {
    const SERIES: &[&str] = &[
        "p50", "p75", "p90", "p95", "p99", "p999", "min", "max", "avg", "mean", "median",
        "average", "total", "sum", "first", "last", "cold", "warm", "initial", "retry", "retries",
        "success", "failure", "failed", "ok", "error", "errors", "timeout", "timeouts", "count",
        "ms", "seconds", "us", "ns", "s", "up", "down", "in", "out", "rx", "tx", "read", "write",
        "ipv4", "ipv6", "v4", "v6", "tcp", "udp", "dns", "tls", "http", "https", "quic",
    ];
    let split: Vec<Vec<String>> = names.iter().map(|n| super::words_of([*n])).collect();
    let shared = |w: &String| split.iter().all(|s| s.contains(w));
    names
        .iter()
        .zip(&split)
        .filter(|(_, ws)| {
            let rest: Vec<&String> = ws.iter().filter(|w| !shared(w)).collect();
            !rest.is_empty() && rest.iter().all(|w| !SERIES.contains(&w.as_str()))
        })
        .map(|(n, _)| *n)
        .collect()
}

/// What network distances measure, in a finding.
const NETWORK: &str = "measure a network distance (a round trip, a fetch) to";

fn measured(ty: &FieldType) -> bool {
    matches!(ty, FieldType::Duration { .. } | FieldType::Count { .. })
}

pub fn check(p: &Proposal, out: &mut Vec<Diagnostic>) {
    // `what` is the subject, `measures` what it measures up to the number.
    let mut report = |span: std::ops::Range<usize>, places: &[&str], what: &str, measures: &str| {
        out.push(
            Diagnostic::new(
                &PLACE_MEASUREMENTS,
                p.file,
                span,
                format!(
                    "{what} {measures} {} {} ({}): together they triangulate where the installation is (a location)",
                    places.len(),
                    if measures == NETWORK { "endpoints, each at a known place" } else { "places" },
                    crate::text::first_few(places.iter().map(|n| format!("`{n}`")), 5)
                ),
            )
            .label("measured per place")
            .help("send the measurement to the one place the installation uses, or the best of them without naming it")
            .metric(&p.name),
        );
    };
    // Fields of one metric that differ by a place.
    let fields: Vec<&crate::model::Field> = p
        .fields
        .iter()
        .filter(|f| f.ty.as_ref().is_some_and(|t| measured(&t.value)))
        .collect();
    let names: Vec<&str> = fields.iter().map(|f| f.name.value.as_str()).collect();
    let places = placed(&names);
    if places.len() >= PLACES {
        let first = fields
            .iter()
            .find(|f| f.name.value == places[0])
            .expect("a placed name is a field's");
        report(
            first.name.span.clone(),
            &places,
            "fields",
            "measure one quantity at",
        );
    } else {
        // Or network distances to endpoints, whatever their names: the
        // words the names share, or each field's summary, say what is
        // measured.
        let distances: Vec<&crate::model::Field> = fields
            .iter()
            .copied()
            .filter(|f| measures_network(f))
            .collect();
        let names: Vec<&str> = distances.iter().map(|f| f.name.value.as_str()).collect();
        let ends = endpoints(&names);
        if ends.len() >= PLACES {
            let first = distances
                .iter()
                .find(|f| f.name.value == ends[0])
                .expect("an endpoint's name is a field's");
            report(first.name.span.clone(), &ends, "fields", NETWORK);
        }
    }
    // A map keyed by places.
    for f in &p.fields {
        if let Some(FieldType::Map { keys, value }) = f.ty.as_ref().map(|t| &t.value)
            && measured(value)
        {
            let names: Vec<&str> = keys.iter().map(|k| k.value.as_str()).collect();
            let places = placed(&names);
            let ends = if measures_network(f) {
                endpoints(&names)
            } else {
                Vec::new()
            };
            if places.len() >= PLACES {
                report(
                    f.name.span.clone(),
                    &places,
                    &format!("the keys of `{}`", f.name.value),
                    "measure one quantity at",
                );
            } else if ends.len() >= PLACES {
                report(
                    f.name.span.clone(),
                    &ends,
                    &format!("the keys of `{}`", f.name.value),
                    NETWORK,
                );
            }
        }
    }
}

/// Checks the network distances the registry's live metrics measure
/// together: an installation's payloads are linked by its id, so three
/// round trips to three endpoints triangulate whether one metric sends
/// them or three do (`bootstrap_rtt` in the start event, `preload_rtt` and
/// `routing_latency` in the daily one). Each metric counts the endpoints
/// its own fields tell apart (a statistic or a stage of one series is one
/// endpoint); a metric that reaches three alone is [`check`]'s finding.
/// The finding goes to each metric that measures one and is not approved,
/// at its first such field.
pub fn check_across(registry: &crate::load::Registry, out: &mut Vec<Diagnostic>) {
    let mut measuring: Vec<(&Proposal, Vec<&crate::model::Field>, usize)> = Vec::new();
    for p in registry.proposals.iter().filter(|p| p.is_live()) {
        let distances: Vec<&crate::model::Field> = p
            .fields
            .iter()
            .filter(|f| f.ty.as_ref().is_some_and(|t| measured(&t.value)) && measures_network(f))
            .collect();
        if distances.is_empty() {
            continue;
        }
        let names: Vec<&str> = distances.iter().map(|f| f.name.value.as_str()).collect();
        let ends = endpoints(&names).len().max(1);
        if ends >= PLACES {
            continue;
        }
        measuring.push((p, distances, ends));
    }
    let total: usize = measuring.iter().map(|m| m.2).sum();
    if measuring.len() < 2 || total < PLACES {
        return;
    }
    let list: Vec<String> = measuring
        .iter()
        .map(|(p, fields, _)| {
            let names: Vec<String> = fields
                .iter()
                .map(|f| format!("`{}`", f.name.value))
                .collect();
            format!("{} ({})", p.name, names.join(", "))
        })
        .collect();
    for (p, fields, _) in crate::shipping::blamed(&measuring, |m| m.0, &registry.config) {
        out.push(
            Diagnostic::new(
                &PLACE_MEASUREMENTS,
                p.file,
                fields[0].name.span.clone(),
                format!(
                    "`{}` measures a network distance, and with the registry's other metrics an installation sends {total} to different endpoints: together they triangulate where the installation is (a location)",
                    p.name
                ),
            )
            .label("one of several network distances")
            .help(format!(
                "the metrics that measure network distances: {}; send one of them, or the best of them without naming the endpoint",
                crate::text::first_few(list.iter().cloned(), 6)
            ))
            .metric(&p.name),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::placed;

    #[test]
    fn names_that_differ_by_a_place_are_placed() {
        let rtt = [
            "rtt_eu_central",
            "rtt_us_east",
            "rtt_ap_southeast",
            "rtt_sa_east",
        ];
        assert_eq!(placed(&rtt).len(), 4);
        let regions = ["us_east_1", "eu_central_1", "ap_southeast_1"];
        assert_eq!(placed(&regions).len(), 3);
        let mirrors = [
            "pull_time_primary",
            "pull_time_mirror_asia",
            "pull_time_mirror_europe",
        ];
        assert_eq!(
            placed(&mirrors),
            vec!["pull_time_mirror_asia", "pull_time_mirror_europe"]
        );
        // Places by their names, of one word or several.
        let cities = [
            "rtt_frankfurt",
            "rtt_sao_paulo",
            "rtt_tokyo",
            "rtt_virginia",
        ];
        assert_eq!(placed(&cities).len(), 4);
        // Languages are no places.
        assert!(placed(&["docs_english", "docs_deutsch", "docs_francais"]).is_empty());
        // Percentiles and stages are not places.
        assert!(placed(&["latency_p50", "latency_p95", "latency_p99"]).is_empty());
        assert!(placed(&["startup_ms", "request_ms", "shutdown_ms"]).is_empty());
        // A place word among other words is not a measurement per place.
        assert!(placed(&["west_wing_doors", "east_gate_doors", "north_lobby_doors"]).is_empty());
    }

    #[test]
    fn network_distances_to_named_endpoints_are_places() {
        use super::super::words_of;
        use super::{endpoints, network_distance};
        assert!(network_distance(&words_of(["rtt_moria1"])));
        assert!(network_distance(&words_of(["index_fetch_ms"])));
        assert!(network_distance(&words_of([
            "t",
            "Round trip to the relay"
        ])));
        assert!(!network_distance(&words_of([
            "build_ms",
            "time to compile"
        ])));
        let relays = ["rtt_moria1", "rtt_tor26", "rtt_dizum", "rtt_gabelmoo"];
        assert_eq!(endpoints(&relays).len(), 4);
        assert_eq!(endpoints(&["fau", "lysator", "tuna", "nju"]).len(), 4);
        // Statistics of one series, stages and protocols are no endpoints.
        assert!(endpoints(&["latency_p50", "latency_p95", "latency_p99"]).is_empty());
        assert!(endpoints(&["connect_dns_ms", "connect_tcp_ms", "connect_tls_ms"]).is_empty());
        assert!(endpoints(&["fetch_cold", "fetch_warm", "fetch_retry"]).is_empty());
    }

    #[test]
    fn network_distances_measured_by_several_metrics_triangulate_together() {
        let metric = |name: &str, event: &str, field: &str| {
            (
                format!("proposals/{name}.toml"),
                format!(
                    "summary = \"s\"\nowners = [\"o\"]\nevents = [\"{event}\"]\nexpires = 2030-01-01\nstatus = \"proposed\"\n[fields.{field}]\ntype = \"duration\"\nunit = \"millisecond\"\nbuckets = [0, 50, 100, 200, 400]\n"
                ),
            )
        };
        let found = |files: &[(String, String)]| {
            let texts: Vec<(&str, &str)> = files
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_str()))
                .collect();
            let registry = crate::load::from_texts(None, &texts);
            let mut out = Vec::new();
            super::check_across(&registry, &mut out);
            out.len()
        };
        // Three round trips in three metrics of two events: one location.
        let three = [
            metric("bootstrap_health", "start", "bootstrap_rtt"),
            metric("preload_health", "daily", "preload_rtt"),
            metric("routing_health", "daily", "routing_latency"),
        ];
        assert_eq!(found(&three), 3);
        // Two, or one with a build time beside it, triangulate nothing.
        assert_eq!(found(&three[..2]), 0);
        let other = [
            metric("bootstrap_health", "start", "bootstrap_rtt"),
            metric("build", "daily", "build_ms"),
            metric("index", "daily", "index_ms"),
        ];
        assert_eq!(found(&other), 0);
    }
}
