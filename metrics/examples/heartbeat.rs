//! A client building a heartbeat payload from raw inputs, as a Pulp or
//! MongooseIM deployment would, and printing the JSON it would send.
//!
//! `cargo run -p metrics --example heartbeat`

use metrics::events::{HeartbeatMetrics, HeartbeatPayload};
use metrics::values::*;
use metrics::{mongooseim_cluster, postgresql_version, pulp_components, pulp_workers};

fn main() {
    // The id is random and stored by the client; deleting it resets it.
    let id = InstallationId::generate();

    // Raw inputs, exactly as the software knows them.
    let online_workers = 8u64;
    let worker_hosts = 2u64;
    let installed = [
        ("core", "3.49.1"),
        ("rpm", "3.25.2"),
        ("container", "2.19.2"),
        ("acme_private", "0.1"),
    ];
    let server_version_num = 130014u64; // PostgreSQL's SHOW server_version_num
    let uptime = std::time::Duration::from_secs(12 * 86_400 + 7 * 3_600 + 41 * 60 + 9);

    let mut plugins = pulp_components::PluginsMap::default();
    for (name, version) in installed {
        // Unlisted plugins are not sent: `insert` returns false for them.
        // A plugin's version is bounded (`largest_parts`): each field with
        // bounds has its own version type, here `PluginsVersion`.
        plugins.insert(name, pulp_components::PluginsVersion::parse(version));
    }
    let metrics = HeartbeatMetrics {
        pulp_workers: Some(pulp_workers::PulpWorkers {
            workers: Count::new(online_workers),
            hosts: Count::new(worker_hosts),
        }),
        pulp_components: Some(pulp_components::PulpComponents { plugins }),
        postgresql_version: Some(postgresql_version::PostgresqlVersion {
            major: postgresql_version::MajorFieldVersion::from_numbers(&[
                server_version_num / 10_000
            ]),
        }),
        mongooseim_cluster: Some(mongooseim_cluster::MongooseimCluster {
            release: MinorVersion::parse("6.3.1").into(),
            nodes: Count::new(2),
            config_format: mongooseim_cluster::ConfigFormatValue::from_raw("toml"),
            uptime: Duration::new(uptime),
        }),
        ..HeartbeatMetrics::default()
    };
    let payload = HeartbeatPayload::new(id, metrics);
    println!(
        "{}",
        serde_json::to_string_pretty(&payload).expect("payloads serialize")
    );
}
