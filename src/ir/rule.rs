use super::{HttpsRedirect, Provenance};

/// A routing rule: what one ingress-nginx location becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Namespace of the source Ingress (routes are per namespace).
    pub namespace: String,
    /// Stable name stem (source Ingress, rule and path); the emitter makes it unique.
    pub name: String,
    pub matches: Vec<Match>,
    pub filters: Vec<RuleFilter>,
    pub action: Action,
    /// Set when plain-HTTP requests matching this rule are redirected to HTTPS.
    pub https_redirect: Option<HttpsRedirect>,
    pub timeouts: Option<Timeouts>,
    pub retry: Option<Retry>,
    pub session_persistence: Option<SessionPersistence>,
    /// Traffic-policy facts of the location (see [`super::RulePolicy`]); `None` when it has none.
    pub policy: Option<Box<super::RulePolicy>>,
    /// The path as written in the Ingress and its type, before any translation.
    pub source_path: SourcePath,
    pub from: Provenance,
}

impl Rule {
    /// The rule's traffic-policy facts, created empty on first use.
    pub fn policy_mut(&mut self) -> &mut super::RulePolicy {
        self.policy.get_or_insert_with(Default::default)
    }

    /// A rule for one path doing `action`, without filters or per-rule policies
    /// (the annotation passes add those later).
    pub fn new(
        namespace: impl Into<String>,
        name: impl Into<String>,
        path: PathMatch,
        source_path: SourcePath,
        action: Action,
        from: Provenance,
    ) -> Self {
        Rule {
            namespace: namespace.into(),
            name: name.into(),
            matches: vec![Match::path(path)],
            filters: Vec::new(),
            action,
            https_redirect: None,
            timeouts: None,
            retry: None,
            session_persistence: None,
            policy: None,
            source_path,
            from,
        }
    }
}

/// The path as written in the Ingress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePath {
    pub path: String,
    pub path_type: SourcePathType,
}

impl SourcePath {
    pub fn new(path: impl Into<String>, path_type: SourcePathType) -> Self {
        SourcePath {
            path: path.into(),
            path_type,
        }
    }
}

/// Path type as written; ingress-nginx treats ImplementationSpecific and a missing type as Prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourcePathType {
    Exact,
    Prefix,
    ImplementationSpecific,
    Unset,
}

impl SourcePathType {
    /// ingress-nginx's view: only Exact and Prefix exist.
    pub fn is_exact(self) -> bool {
        self == SourcePathType::Exact
    }
}

/// A request match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Match {
    pub path: Option<PathMatch>,
    pub headers: Vec<HeaderMatch>,
    pub query: Vec<HeaderMatch>,
    pub method: Option<String>,
}

impl Match {
    pub fn path(path: PathMatch) -> Self {
        Match {
            path: Some(path),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathMatch {
    Exact(String),
    Prefix(String),
    /// RE2 syntax, full-match semantics.
    Regex(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMatch {
    pub name: String,
    pub value: StringMatch,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringMatch {
    Exact(String),
    Regex(String),
}

/// What a rule does with a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Proxy to these backends (empty: the rule answers 500, used for unresolved
    /// backends and fail-closed access control).
    Forward(Vec<Backend>),
    Redirect(Redirect),
}

/// A Service port backend.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backend {
    pub namespace: String,
    pub service: String,
    pub port: u16,
    pub weight: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub scheme: Option<String>,
    pub hostname: Option<String>,
    pub path: Option<PathRewrite>,
    pub port: Option<u16>,
    pub status: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathRewrite {
    Full(String),
    Prefix(String),
}

/// A filter with the provenance of the annotation that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFilter {
    pub filter: Filter,
    pub from: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    RequestHeaders(HeaderEdits),
    ResponseHeaders(HeaderEdits),
    UrlRewrite {
        hostname: Option<String>,
        path: Option<PathRewrite>,
    },
    Mirror {
        backend: Backend,
        percent: Option<u32>,
    },
    Cors(Cors),
    ExternalAuth(ExternalAuth),
    /// The `Strict-Transport-Security` response header ingress-nginx adds to
    /// every HTTPS response (ConfigMap `hsts*`); written on the HTTPS side only.
    /// Shared: every rule carries the same value.
    StrictTransportSecurity(std::sync::Arc<Hsts>),
    /// Not a Gateway API filter: access control the emitter must enforce or fail closed on.
    AccessControl(super::AccessRequirement),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderEdits {
    pub set: Vec<(String, String)>,
    pub add: Vec<(String, String)>,
    pub remove: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cors {
    pub allow_origins: Vec<String>,
    pub allow_credentials: Option<bool>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    pub max_age: Option<u32>,
}

/// ConfigMap `hsts-max-age`, `hsts-include-subdomains`, `hsts-preload`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hsts {
    /// Seconds, as written in the ConfigMap (ingress-nginx sends it verbatim).
    pub max_age: String,
    pub include_subdomains: bool,
    pub preload: bool,
}

impl Hsts {
    pub const HEADER: &'static str = "Strict-Transport-Security";

    /// The header value, built as ingress-nginx's `lua_ingress.header` does.
    pub fn value(&self) -> String {
        let mut v = format!("max-age={}", self.max_age);
        if self.include_subdomains {
            v.push_str("; includeSubDomains");
        }
        if self.preload {
            v.push_str("; preload");
        }
        v
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalAuth {
    /// `HTTP` or `GRPC`.
    pub protocol: String,
    pub backend: Backend,
    pub path: Option<String>,
    pub allowed_response_headers: Vec<String>,
}

/// Gateway API duration strings (e.g. `60s`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeouts {
    pub request: Option<String>,
    pub backend_request: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Retry {
    pub codes: Vec<u16>,
    pub attempts: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionPersistence {
    pub session_name: Option<String>,
    pub absolute_timeout: Option<String>,
    /// The cookie outlives the browser session (it has Expires/Max-Age).
    pub permanent: bool,
}
