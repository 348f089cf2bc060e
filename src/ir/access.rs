//! Access control ingress-nginx enforces on a location and that a Gateway API
//! filter may not express. Passes attach it to rules as [`Filter::AccessControl`];
//! each emitter decides whether it can enforce it and, when it cannot, emits the
//! rule fail-closed (see `docs/security.md`).
//!
//! [`Filter::AccessControl`]: super::Filter::AccessControl

use super::SecretRef;

/// One access requirement of a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessRequirement {
    /// allowlist-source-range: only these client ranges get through (others 403).
    SourceAllowList {
        cidrs: Vec<String>,
        /// `satisfy any` with an auth method: passing the auth also lets a client in.
        satisfy_any: bool,
    },
    /// denylist-source-range: these client ranges get 403.
    SourceDenyList {
        cidrs: Vec<String>,
        satisfy_any: bool,
    },
    /// auth-type basic/digest with an htpasswd Secret.
    PasswordAuth {
        digest: bool,
        secret: SecretRef,
        realm: String,
    },
    /// External auth (auth-url / global-auth-url) that cannot become an ExternalAuth filter.
    ExternalAuthUrl { url: String, reason: String },
    /// limit-rps / limit-rpm / limit-connections.
    RateLimit {
        rps: u32,
        rpm: u32,
        connections: u32,
        burst_multiplier: u32,
        exempt: Vec<String>,
    },
    /// Client certificates (auth-tls-*) that the Gateway's per-port frontend
    /// validation cannot enforce for this host.
    ClientCertificate {
        ca_secret: SecretRef,
        reason: String,
    },
    /// auth-tls-match-cn: the certificate subject must match this regex.
    ClientCertificateCn { pattern: String },
    /// A snippet directive that restricts access (allow/deny, auth_*, limit_*, return 4xx…).
    SnippetDirective { directive: String },
    /// A snippet ing2gw cannot parse: what nginx makes of it is unknown.
    SnippetUnparsable { snippet: String, error: String },
    /// ingress-nginx answers every request of this location with `status` today
    /// (invalid value, missing or cross-namespace reference). Always fail-closed.
    DeniedToday { status: u16, reason: String },
    /// The location's path cannot be expressed in Gateway API (e.g. a PCRE
    /// look-around). The rule keeps a match that covers every request the path
    /// could match in ingress-nginx and always answers 500: its requests never
    /// fall through to another, possibly open, rule.
    UnexpressiblePath { path: String, cover: String },
    /// ingress-nginx ignores the whole Ingress today (annotation validation);
    /// its paths are served by whatever else matches. Always fail-closed.
    IgnoredToday { reason: String },
    /// ModSecurity runs on the location (annotation or ConfigMap `enable-modsecurity`).
    ModSecurity { rules: WafRules },
    /// A ConfigMap `block-*` list: matching requests get 403 in every server.
    Blocklist {
        list: Blocklist,
        entries: Vec<String>,
    },
    /// `global-rate-limit` (memcached-backed, shared by every replica; removed in v1.12.0).
    GlobalRateLimit {
        /// `None`: the value is not a number (kept closed rather than guessed).
        limit: Option<u64>,
        window: String,
        key: String,
    },
}

/// The rules ModSecurity evaluates on a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WafRules {
    /// The controller's `modsecurity.conf` (detection-only unless replaced).
    Default,
    /// The OWASP Core Rule Set.
    OwaspCrs,
    /// Rules written in `modsecurity-snippet`.
    Snippet,
}

/// Which request property a ConfigMap block list matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocklist {
    /// `block-cidrs`: `deny` in the http block.
    ClientAddress,
    /// `block-user-agents`: `map $http_user_agent`.
    UserAgent,
    /// `block-referers`: `map $http_referer`.
    Referer,
}

impl Blocklist {
    /// The ConfigMap key.
    pub fn key(self) -> &'static str {
        match self {
            Blocklist::ClientAddress => "block-cidrs",
            Blocklist::UserAgent => "block-user-agents",
            Blocklist::Referer => "block-referers",
        }
    }
}

impl AccessRequirement {
    /// Short human name used in notifications.
    pub fn describe(&self) -> String {
        match self {
            AccessRequirement::SourceAllowList { cidrs, .. } => {
                format!("client IP allow-list ({})", cidrs.join(", "))
            }
            AccessRequirement::SourceDenyList { cidrs, .. } => {
                format!("client IP deny-list ({})", cidrs.join(", "))
            }
            AccessRequirement::PasswordAuth {
                digest,
                secret,
                realm,
            } => format!(
                "{} authentication (Secret {}/{}{})",
                if *digest { "digest" } else { "basic" },
                secret.namespace,
                secret.name,
                if realm.is_empty() {
                    String::new()
                } else {
                    format!(", realm `{realm}`")
                }
            ),
            AccessRequirement::ExternalAuthUrl { url, reason } => {
                format!("external authentication via `{url}` ({reason})")
            }
            AccessRequirement::RateLimit {
                rps,
                rpm,
                connections,
                burst_multiplier,
                exempt,
            } => {
                let mut parts = Vec::new();
                if *rps > 0 {
                    parts.push(format!("{rps} requests/s"));
                }
                if *rpm > 0 {
                    parts.push(format!("{rpm} requests/min"));
                }
                if *connections > 0 {
                    parts.push(format!("{connections} connections"));
                }
                if *rps > 0 || *rpm > 0 {
                    parts.push(format!("burst ×{burst_multiplier}"));
                }
                if !exempt.is_empty() {
                    parts.push(format!("exempt {}", exempt.join(", ")));
                }
                format!(
                    "rate limit per client IP and controller replica ({})",
                    parts.join(", ")
                )
            }
            AccessRequirement::ClientCertificate { ca_secret, reason } => format!(
                "client certificate signed by the CA in Secret {}/{} ({reason})",
                ca_secret.namespace, ca_secret.name
            ),
            AccessRequirement::ClientCertificateCn { pattern } => {
                format!("client certificate subject matching `{pattern}`")
            }
            AccessRequirement::SnippetDirective { directive } => {
                format!("snippet directive {directive}")
            }
            AccessRequirement::SnippetUnparsable { snippet, error } => {
                format!("{snippet} that ing2gw cannot parse ({error})")
            }
            AccessRequirement::UnexpressiblePath { path, cover } => {
                format!(
                    "path `{path}` that Gateway API cannot express (kept as `{cover}`, answering 500)"
                )
            }
            AccessRequirement::IgnoredToday { reason } => {
                format!("Ingress ignored by ingress-nginx today ({reason})")
            }
            AccessRequirement::DeniedToday { status, reason } => {
                format!("location denied by ingress-nginx today ({status}: {reason})")
            }
            AccessRequirement::ModSecurity { rules } => format!(
                "ModSecurity web application firewall ({})",
                match rules {
                    WafRules::Default => "rules of the controller's modsecurity.conf",
                    WafRules::OwaspCrs => "OWASP Core Rule Set",
                    WafRules::Snippet => "rules from modsecurity-snippet",
                }
            ),
            AccessRequirement::Blocklist { list, entries } => {
                let what = match list {
                    Blocklist::ClientAddress => "client addresses in",
                    Blocklist::UserAgent => "User-Agent headers matching",
                    Blocklist::Referer => "Referer headers matching",
                };
                format!(
                    "ConfigMap {} (403 for {what} {})",
                    list.key(),
                    entries.join(", ")
                )
            }
            AccessRequirement::GlobalRateLimit { limit, window, key } => format!(
                "global rate limit ({} requests per {} per `{key}`, shared by all replicas)",
                limit.map_or_else(|| "an unreadable number of".to_string(), |n| n.to_string()),
                if window.is_empty() {
                    "window (unset)"
                } else {
                    window
                }
            ),
        }
    }

    /// IP lists under `satisfy any`: an enforced authentication alone is narrower.
    pub fn yields_to_auth(&self) -> bool {
        matches!(
            self,
            AccessRequirement::SourceAllowList {
                satisfy_any: true,
                ..
            } | AccessRequirement::SourceDenyList {
                satisfy_any: true,
                ..
            }
        )
    }
}
