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

/// Mail services open to anyone, whose domain is the right-hand side of
/// millions of people's addresses: as a host name (a list of the mail
/// domains an instance's users have, a mail server setting) it names the
/// service, not an installation. Only the domain itself is listed, not its
/// subdomains: an access provider's domain also names its customers' lines
/// (`c-73-12-4-9.hsd1.co.comcast.net` is one household's).
const MAIL_PROVIDERS: &[&str] = &[
    // Global.
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "ymail.com",
    "rocketmail.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "proton.me",
    "protonmail.com",
    "protonmail.ch",
    "pm.me",
    "tutanota.com",
    "tutanota.de",
    "tuta.io",
    "tuta.com",
    "fastmail.com",
    "fastmail.fm",
    "zoho.com",
    "zohomail.com",
    "hushmail.com",
    "mail.com",
    "gmx.com",
    "yandex.com",
    // Regional domains of the global services.
    "hotmail.co.uk",
    "hotmail.fr",
    "hotmail.de",
    "hotmail.it",
    "hotmail.es",
    "live.co.uk",
    "live.fr",
    "live.de",
    "outlook.de",
    "outlook.fr",
    "yahoo.co.uk",
    "yahoo.fr",
    "yahoo.de",
    "yahoo.it",
    "yahoo.es",
    "yahoo.co.jp",
    "yahoo.com.br",
    "yahoo.co.in",
    "yahoo.ca",
    "yahoo.com.au",
    // Europe.
    "gmx.net",
    "gmx.de",
    "gmx.at",
    "gmx.ch",
    "web.de",
    "t-online.de",
    "freenet.de",
    "posteo.de",
    "posteo.net",
    "mailbox.org",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "libero.it",
    "virgilio.it",
    "tiscali.it",
    "bluewin.ch",
    "seznam.cz",
    "centrum.cz",
    "wp.pl",
    "o2.pl",
    "onet.pl",
    "interia.pl",
    "inbox.lv",
    "abv.bg",
    "ukr.net",
    "btinternet.com",
    "disroot.org",
    "riseup.net",
    "yandex.ru",
    "ya.ru",
    "mail.ru",
    "bk.ru",
    "list.ru",
    "inbox.ru",
    "rambler.ru",
    // Asia.
    "qq.com",
    "foxmail.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sohu.com",
    "aliyun.com",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "rediffmail.com",
    // The Americas and Oceania.
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
    "bigpond.com",
    "xtra.co.nz",
];

/// Whether `host` is one of the public service hosts (a listed domain or
/// one of its subdomains, or a mail service's domain), ignoring case and a
/// trailing dot.
pub fn public_host(host: &str) -> bool {
    let bare = host.trim_end_matches('.');
    DOMAINS.iter().any(|d| under(host, d))
        || MAIL_PROVIDERS.iter().any(|d| bare.eq_ignore_ascii_case(d))
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
        // A mail service's domain, not its subdomains.
        assert!(public_host("naver.com"));
        assert!(public_host("GMX.net."));
        assert!(!public_host("c-73-12-4-9.hsd1.co.comcast.net"));
        assert!(!public_host("mx.t-online.de"));
        assert!(!public_host("acme-mail.com"));
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
