//! SecurityPolicy: client IP allow/deny lists, basic auth and external auth.
//!
//! What ingress-nginx does: `denylist-source-range` and `allowlist-source-range`
//! become `deny`/`allow` lines of the location (deny lines first, then the allow
//! lines and `deny all`): 403 for clients outside. `auth-type: basic` with
//! `auth-secret` checks an htpasswd file (401 without valid credentials).
//! `auth-url` sends an `auth_request` subrequest to a fixed URL: 2xx lets the
//! request through (copying `auth-response-headers` into it), 401/403 are
//! returned, anything else is a 500. With `satisfy: any`, passing either the IP
//! list or the authentication is enough.
//!
//! What Envoy Gateway offers (v1.9): `spec.authorization` (rules evaluated in
//! order, first match wins, `defaultAction` otherwise; `principal.clientCIDRs`
//! is matched against the client IP as the ClientTrafficPolicy detects it),
//! `spec.basicAuth.users` (a Secret whose key `.htpasswd` holds `{SHA}` hashes
//! only), `spec.extAuth.http` (`backendRefs`, `pathOverride` for a fixed auth
//! path, `headersToBackend`). Authentication always runs before authorization:
//! the two are ANDed, there is no `satisfy any`.
//!
//! What we emit: one SecurityPolicy per route rule with every access fact of the
//! rule. Deny list → a `Deny` rule, allow list → an `Allow` rule (deny rules
//! first, as nginx), `defaultAction: Deny` when an allow list exists. Basic auth
//! → `basicAuth` naming a new Secret `<auth-secret>-htpasswd` in the route's
//! namespace (ing2gw never reads Secret data: the notification gives the kubectl
//! command that builds it). External auth (a Service of the route's namespace) →
//! `extAuth.http` with `pathOverride` = the auth URL's path.
//!
//! What we warn: `satisfy: any` lists beside an authentication are dropped (the
//! authentication alone is narrower than nginx, never wider); the realm is not
//! sent; non-SHA htpasswd hashes answer 401 (closed); the auth service does not
//! receive nginx's `X-Original-URL`/`X-Original-Method` headers and sees only
//! the headers Envoy Gateway forwards (plus `Cookie`). Digest auth, auth URLs
//! outside the cluster or in another namespace, client certificates and the
//! other requirements are not expressed here and keep failing closed.

use super::targeting::{PolicyTarget, Sources, object};
use crate::emit::access::{Located, SATISFY_ANY_NARROWED};
use crate::emit::standard::EmittedRule;
use crate::gwapi::GatewayObject;
use crate::gwapi::envoy_gateway::*;
use crate::ir::{AccessRequirement, ExternalAuth, Filter, Provenance, SecretRef};
use crate::report::{Code, Notification, Report};

pub const EG_SECURITY_POLICY: Code = Code("envoy-gateway-security-policy");
pub const EG_BASIC_AUTH_SECRET: Code = Code("envoy-gateway-basic-auth-secret");
pub const EG_EXT_AUTH_APPROXIMATED: Code = Code("envoy-gateway-ext-auth-approximated");

/// Whether a SecurityPolicy expresses this requirement. `enforces()` and the
/// emitter both answer from here, so a requirement is never declared enforced
/// without its policy.
pub fn expresses(req: &AccessRequirement) -> bool {
    match req {
        AccessRequirement::SourceAllowList { .. }
        | AccessRequirement::SourceDenyList { .. }
        | AccessRequirement::PasswordAuth { digest: false, .. } => true,
        AccessRequirement::ExternalAuthUrl { url, .. } => ExternalUrl::parse(url).is_some(),
        _ => false,
    }
}

/// An `auth-url` outside the cluster that a `Backend` with an FQDN endpoint
/// can reach: `http(s)://host[:port][/path]`, no nginx variables, no query
/// string (the auth call carries none), no user info.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalUrl {
    pub https: bool,
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl ExternalUrl {
    pub fn parse(url: &str) -> Option<Self> {
        if url.contains(['$', '?', '#', '@', ' ']) {
            return None;
        }
        let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
            (true, r)
        } else {
            (false, url.strip_prefix("http://")?)
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().ok().filter(|p| *p > 0)?),
            None => (authority, if https { 443 } else { 80 }),
        };
        let valid_host = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            });
        valid_host.then(|| ExternalUrl {
            https,
            host: host.to_ascii_lowercase(),
            port,
            path: path.to_string(),
        })
    }

    /// The name of the Backend for it: one per scheme, host and port in a namespace.
    fn backend_name(&self) -> String {
        let raw = format!(
            "{}://{}:{}",
            if self.https { "https" } else { "http" },
            self.host,
            self.port
        );
        crate::emit::names::derived(
            &crate::emit::names::derived("auth", &self.host),
            &crate::emit::names::short_hash(&raw),
        )
    }
}

/// Whether `extAuth` expresses this ExternalAuth filter on a rule of
/// `route_namespace`: the auth Service must be in that namespace (a
/// cross-namespace backendRef would need a ReferenceGrant for SecurityPolicies,
/// which would open the Service to every policy of the namespace).
pub fn expresses_external_auth(a: &ExternalAuth, route_namespace: &str) -> bool {
    a.backend.namespace == route_namespace && matches!(a.protocol.as_str(), "HTTP" | "GRPC")
}

/// The access facts of one rule, as the policy will carry them.
#[derive(Default)]
struct Facts<'a> {
    allow: Vec<(&'a [String], bool, &'a Provenance)>,
    deny: Vec<(&'a [String], bool, &'a Provenance)>,
    basic: Option<(&'a SecretRef, &'a str, &'a Provenance)>,
    ext: Option<(&'a ExternalAuth, &'a Provenance)>,
    ext_url: Option<(ExternalUrl, &'a Provenance)>,
}

/// The rule's access facts, or why one SecurityPolicy cannot carry them all
/// (two different authentications: Envoy Gateway takes one of each kind).
fn facts(e: &EmittedRule) -> Result<Facts<'_>, String> {
    let mut f = Facts::default();
    let authentications = |f: &Facts| {
        usize::from(f.basic.is_some())
            + usize::from(f.ext.is_some())
            + usize::from(f.ext_url.is_some())
    };
    for rf in &e.rule.filters {
        match &rf.filter {
            Filter::AccessControl(AccessRequirement::SourceAllowList { cidrs, satisfy_any }) => {
                f.allow.push((cidrs, *satisfy_any, &rf.from))
            }
            Filter::AccessControl(AccessRequirement::SourceDenyList { cidrs, satisfy_any }) => {
                f.deny.push((cidrs, *satisfy_any, &rf.from))
            }
            Filter::AccessControl(AccessRequirement::PasswordAuth {
                digest: false,
                secret,
                realm,
            }) => match f.basic {
                Some((s, _, _)) if s == secret => {}
                Some(_) => return Err("two different basic-auth Secrets".into()),
                None => f.basic = Some((secret, realm, &rf.from)),
            },
            Filter::ExternalAuth(a) if expresses_external_auth(a, &e.rule.namespace) => {
                match f.ext {
                    Some((b, _)) if b == a => {}
                    Some(_) => return Err("two different external auth services".into()),
                    None => f.ext = Some((a, &rf.from)),
                }
            }
            Filter::AccessControl(AccessRequirement::ExternalAuthUrl { url, .. }) => {
                let Some(u) = ExternalUrl::parse(url) else {
                    continue;
                };
                match &f.ext_url {
                    Some((v, _)) if *v == u => {}
                    Some(_) => return Err("two different external auth URLs".into()),
                    None => f.ext_url = Some((u, &rf.from)),
                }
            }
            _ => {}
        }
    }
    if authentications(&f) > 1 {
        return Err("more than one authentication method".into());
    }
    Ok(f)
}

/// The SecurityPolicy of one route rule, if it has access facts. `Err`: the
/// facts do not fit one policy; the caller closes the rule.
pub fn emit(
    e: &EmittedRule,
    report: &mut Report,
    out: &mut Vec<GatewayObject>,
) -> Result<(), String> {
    let f = facts(e)?;
    if f.allow.is_empty()
        && f.deny.is_empty()
        && f.basic.is_none()
        && f.ext.is_none()
        && f.ext_url.is_none()
    {
        return Ok(());
    }
    let target = PolicyTarget::rule(e);
    let name = target.policy_name();
    let what = format!("SecurityPolicy {}/{name}", target.namespace);
    let mut sources = Sources::default();
    let mut spec = SecurityPolicySpec {
        target_refs: vec![target.target.clone()],
        ..Default::default()
    };
    let authenticated = f.basic.is_some() || f.ext.is_some() || f.ext_url.is_some();
    // `satisfy any`: IP list OR authentication. Envoy Gateway ANDs them; the
    // authentication alone is the closest form that is never wider.
    let kept = |lists: &[(&[String], bool, &Provenance)], report: &mut Report| {
        let mut cidrs: Vec<String> = Vec::new();
        for (list, satisfy_any, from) in lists {
            if *satisfy_any && authenticated {
                // access.rs already warned when the standard ExternalAuth decision applied.
                if f.ext.is_none() {
                    report.push(
                        Notification::warning(
                            SATISFY_ANY_NARROWED,
                            format!("{}: the client IP list ({}) under `satisfy: any` is not emitted in {what}: Envoy Gateway checks authentication and authorization together, so the authentication alone is required (clients in the list must now authenticate too)", target.describe(), list.join(", ")),
                        )
                        .located(from),
                    );
                }
                continue;
            }
            cidrs.extend(list.iter().map(|c| super::as_cidr(c)));
        }
        cidrs.sort();
        cidrs.dedup();
        cidrs
    };
    let deny = kept(&f.deny, report);
    let allow = kept(&f.allow, report);
    for (_, _, from) in f.deny.iter().chain(&f.allow) {
        sources.add(from);
    }
    if !deny.is_empty() || !allow.is_empty() {
        let mut rules = Vec::new();
        if !deny.is_empty() {
            rules.push(AuthorizationRule {
                name: "denylist-source-range".into(),
                action: "Deny".into(),
                principal: Principal {
                    client_cidrs: deny.clone(),
                },
            });
        }
        if !allow.is_empty() {
            rules.push(AuthorizationRule {
                name: "allowlist-source-range".into(),
                action: "Allow".into(),
                principal: Principal {
                    client_cidrs: allow.clone(),
                },
            });
        }
        spec.authorization = Some(Authorization {
            default_action: if allow.is_empty() { "Allow" } else { "Deny" }.into(),
            rules,
        });
        let from = f.allow.first().or(f.deny.first()).map(|(_, _, p)| *p);
        let n = Notification::info(
            EG_SECURITY_POLICY,
            format!(
                "{}: client IP {} → {what} spec.authorization (403 outside, as ingress-nginx; the client IP is the one the Gateway's ClientTrafficPolicy detects)",
                target.describe(),
                match (allow.is_empty(), deny.is_empty()) {
                    (false, true) => format!("allow-list {}", allow.join(", ")),
                    (true, false) => format!("deny-list {}", deny.join(", ")),
                    _ => format!(
                        "deny-list {} then allow-list {}",
                        deny.join(", "),
                        allow.join(", ")
                    ),
                }
            ),
        );
        report.push(match from {
            Some(p) => n.located(p),
            None => n,
        });
    }
    if let Some((secret, realm, from)) = f.basic {
        sources.add(from);
        let htpasswd = crate::emit::names::derived(&secret.name, "htpasswd");
        spec.basic_auth = Some(BasicAuth {
            users: SecretObjectReference {
                kind: None,
                name: htpasswd.clone(),
                namespace: None,
            },
        });
        let ns = &target.namespace;
        report.push(
            Notification::warning(
                EG_BASIC_AUTH_SECRET,
                format!(
                    "{}: basic authentication → {what} spec.basicAuth, which reads Secret {ns}/{htpasswd} key `.htpasswd` (ing2gw never reads or copies Secret data; ingress-nginx's Secret {}/{} keeps it under key `auth` or one key per user); until that Secret exists Envoy Gateway rejects the policy and answers 500 on these paths (closed). Envoy Gateway accepts only SHA hashes (`user:{{SHA}}…`): users with other hashes (apr1/MD5, bcrypt, crypt) get 401, never access{}",
                    target.describe(),
                    secret.namespace,
                    secret.name,
                    if realm.is_empty() { String::new() } else { format!("; the realm `{realm}` is not sent") }
                ),
            )
            .suggest(format!(
                "auth-file Secret: kubectl -n {ns} create secret generic {htpasswd} --from-file=.htpasswd=<(kubectl -n {sns} get secret {sname} -o jsonpath='{{.data.auth}}' | base64 -d); auth-map Secret: kubectl -n {ns} create secret generic {htpasswd} --from-file=.htpasswd=<(kubectl -n {sns} get secret {sname} -o go-template='{{{{range $u, $h := .data}}}}{{{{$u}}}}:{{{{$h | base64decode}}}}{{{{\"\\n\"}}}}{{{{end}}}}'); re-hash non-SHA users with `htpasswd -s`",
                sns = secret.namespace,
                sname = secret.name,
            ))
            .located(from),
        );
    }
    if let Some((a, from)) = f.ext {
        sources.add(from);
        let backend_refs = vec![EgBackendRef {
            group: None,
            kind: None,
            name: a.backend.service.clone(),
            namespace: None,
            port: Some(a.backend.port),
        }];
        let (http, grpc) = if a.protocol == "GRPC" {
            (None, Some(GrpcExtAuthService { backend_refs }))
        } else {
            (
                Some(HttpExtAuthService {
                    backend_refs,
                    path_override: Some(a.path.clone().unwrap_or_else(|| "/".into())),
                    headers_to_backend: a.allowed_response_headers.clone(),
                }),
                None,
            )
        };
        spec.ext_auth = Some(ExtAuth {
            http,
            grpc,
            headers_to_ext_auth: if a.protocol == "GRPC" {
                Vec::new()
            } else {
                vec!["Cookie".into()]
            },
        });
        report.push(
            Notification::warning(
                EG_EXT_AUTH_APPROXIMATED,
                format!(
                    "{}: external auth via Service {}/{} port {} → {what} spec.extAuth (fails closed when the auth service is unreachable). Differences from ingress-nginx: the auth call uses the client's method; it carries Host, Method, Path, Content-Length, Authorization and Cookie but not the other client headers nor X-Original-URL / X-Original-Method / X-Auth-Request-Redirect",
                    target.describe(),
                    a.backend.namespace,
                    a.backend.service,
                    a.backend.port
                ),
            )
            .suggest("add the other headers your auth service needs to spec.extAuth.headersToExtAuth; check it answers 2xx for these requests (anything else denies them)")
            .located(from),
        );
    }
    if let Some((u, from)) = &f.ext_url {
        sources.add(from);
        let backend = u.backend_name();
        spec.ext_auth = Some(ExtAuth {
            http: Some(HttpExtAuthService {
                backend_refs: vec![EgBackendRef {
                    group: Some(EG_GROUP.into()),
                    kind: Some("Backend".into()),
                    name: backend.clone(),
                    namespace: None,
                    port: None,
                }],
                path_override: Some(u.path.clone()),
                headers_to_backend: Vec::new(),
            }),
            grpc: None,
            headers_to_ext_auth: vec!["Cookie".into()],
        });
        let backend_spec = BackendSpec {
            endpoints: vec![BackendEndpoint {
                fqdn: FqdnEndpoint {
                    hostname: u.host.clone(),
                    port: u.port,
                },
            }],
            tls: u.https.then(|| BackendTlsSettings {
                well_known_ca_certificates: "System".into(),
                sni: u.host.clone(),
            }),
        };
        // Shared by every policy of the namespace calling this URL: no per-source
        // annotation (the policies and the notification carry the provenance).
        if let Some(o) = object(
            "Backend",
            backend.clone(),
            &target.namespace,
            &Sources::default(),
            backend_spec,
            report,
        ) {
            out.push(o);
        }
        report.push(
            Notification::warning(
                EG_EXT_AUTH_APPROXIMATED,
                format!(
                    "{}: external auth via `{}://{}:{}{}` → {what} spec.extAuth and Backend {}/{backend} (an FQDN endpoint{}). Envoy Gateway accepts Backend objects only with `extensionApis.enableBackend: true` in its configuration; without it the policy is rejected and these paths answer 500 (closed). Differences from ingress-nginx: the auth call uses the client's method and carries Host, Method, Path, Content-Length, Authorization and Cookie but not the other client headers nor X-Original-URL / X-Original-Method",
                    target.describe(),
                    if u.https { "https" } else { "http" },
                    u.host,
                    u.port,
                    u.path,
                    target.namespace,
                    if u.https { ", TLS verified against the system CAs" } else { "" }
                ),
            )
            .suggest("enable Backend in the EnvoyGateway configuration (extensionApis.enableBackend: true), and add the headers your auth service needs to spec.extAuth.headersToExtAuth")
            .located(from),
        );
    }
    if let Some(o) = object(
        "SecurityPolicy",
        name,
        &target.namespace,
        &sources,
        spec,
        report,
    ) {
        out.push(o);
    }
    Ok(())
}
