//! Hosts that identify no installation: well-known public services every
//! installation talks to (code forges, package and container registries,
//! documentation and download sites, vendor and SaaS endpoints). A host
//! under one of these domains is not personal data, however it is written
//! (`github.com`, `registry-1.docker.io`, `files.pythonhosted.org`).
//!
//! The list is curated: add a domain only when every installation that
//! sends it sends the same value, never for a customer's own domain on a
//! shared service (`acme.slack.com` is still one customer's: only the
//! service's own hosts below are listed, not wildcard tenants, where a
//! service gives tenants subdomains).

/// Registrable domains whose every host is a public service.
const DOMAINS: &[&str] = &[
    // Code forges and their content hosts.
    "github.com",
    "githubusercontent.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "sourceforge.net",
    // Package registries and mirrors.
    "pypi.org",
    "pythonhosted.org",
    "npmjs.org",
    "npmjs.com",
    "yarnpkg.com",
    "crates.io",
    "rubygems.org",
    "packagist.org",
    "maven.org",
    "golang.org",
    "go.dev",
    "debian.org",
    "ubuntu.com",
    "fedoraproject.org",
    "centos.org",
    "rockylinux.org",
    "alpinelinux.org",
    "archlinux.org",
    "opensuse.org",
    "brew.sh",
    "wordpress.org",
    "drupal.org",
    // Container registries.
    "docker.io",
    "docker.com",
    "quay.io",
    "ghcr.io",
    "gcr.io",
    "k8s.io",
    "mcr.microsoft.com",
    // Documentation and project sites of common dependencies.
    "python.org",
    "readthedocs.io",
    "readthedocs.org",
    "mozilla.org",
    "kernel.org",
    "apache.org",
    "postgresql.org",
    "mysql.com",
    "mariadb.org",
    "redis.io",
    "nginx.org",
    "nodejs.org",
    "rust-lang.org",
    "akkoma.dev",
    "joinmastodon.org",
    "home-assistant.io",
    "nabucasa.com",
    "grafana.com",
    "grafana.net",
    "jenkins.io",
    "nextcloud.com",
    "discourse.org",
    "sentry.io",
    "rocket.chat",
    "zulip.com",
    "mattermost.com",
    // Vendor and SaaS endpoints reached by every installation alike.
    "amazonaws.com",
    "googleapis.com",
    "gstatic.com",
    "cloudflare.com",
    "letsencrypt.org",
    "akismet.com",
    "gravatar.com",
    "mailgun.org",
    "mailgun.net",
    "sendgrid.net",
    "sendgrid.com",
    "pagerduty.com",
    "opsgenie.com",
    "hooks.slack.com",
    "api.telegram.org",
    "microsoft.com",
    "apple.com",
    "google.com",
];

/// Whether `host` is one of the public service hosts (a listed domain or
/// one of its subdomains), ignoring case and a trailing dot.
pub fn public_host(host: &str) -> bool {
    DOMAINS.iter().any(|d| under(host, d))
}

/// Whether `host` is `domain` or one of its subdomains, ignoring case and a
/// trailing dot.
pub fn under(host: &str, domain: &str) -> bool {
    let host = host.trim_end_matches('.');
    let d = domain.trim_end_matches('.');
    !d.is_empty()
        && host.len() >= d.len()
        && host.as_bytes()[host.len() - d.len()..].eq_ignore_ascii_case(d.as_bytes())
        && (host.len() == d.len() || host.as_bytes()[host.len() - d.len() - 1] == b'.')
}

#[cfg(test)]
mod tests {
    use super::public_host;

    #[test]
    fn listed_domains_and_their_subdomains_only() {
        assert!(public_host("github.com"));
        assert!(public_host("registry-1.docker.io"));
        assert!(public_host("Files.PythonHosted.org."));
        assert!(!public_host("notgithub.com"));
        assert!(!public_host("github.com.evil.example"));
        assert!(!public_host("acme.slack.com"));
        assert!(public_host("hooks.slack.com"));
        assert!(!public_host("updates.example-project.invalid"));
        assert!(super::under(
            "updates.example-project.invalid",
            "Example-Project.invalid."
        ));
        assert!(!super::under(
            "example-project.invalid.evil",
            "example-project.invalid"
        ));
    }
}
