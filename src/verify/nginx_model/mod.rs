//! An executable model of how ingress-nginx answers one request, for a set of
//! Ingresses and the controller ConfigMap (reference §2–3).
//!
//! [`NginxModel::build`] turns the Ingresses into nginx servers and locations the
//! way the controller does (class selection, Ingress order, first-wins merging,
//! implicit `/`, location sort and Prefix expansion, host-wide regex mode);
//! [`NginxModel::handle`] then follows nginx and the controller's Lua for one
//! [`Probe`] in the order of §2.11:
//!
//! 1. URI normalisation (`%XX`, `//`, `.`/`..`; `..` above the root → 400);
//! 2. server selection (exact name, one-label wildcard, catch-all `_`);
//! 3. app-root (server-level `if ($uri = /)` → 302, query dropped);
//! 4. location selection (`=`, longest prefix, then `~*` regexes in order), the
//!    body size check (413 when the probe's body is above the location's
//!    `client_max_body_size`, `body.rs`) and the trailing-slash 301
//!    (`auto_redirect`);
//! 5. permanent/temporal redirect `return`;
//! 6. ssl-redirect (308 by default, one trailing slash of `$request_uri` stripped);
//! 7. canary choice (header, cookie, weight 0/100 only);
//! 8. `rewrite … break` (whole URI, captures, query kept, re-escaped), else the raw
//!    request URI goes upstream; x-forwarded-prefix only with a rewrite;
//! 9. `mirror-target`: a request that reaches `proxy_pass` is also copied to the
//!    mirror ([`Outcome::Mirrored`]); external auth (`auth-url`) decides before
//!    (a symbolic [`Outcome::ExternalAuth`]).
//!
//! Whatever the model does not cover yields [`Outcome::NotModelled`] with the
//! reason, never a guess. `tests/nginx_agreement.rs` checks every modelled outcome
//! against a real nginx running the configuration rendered by
//! [`crate::verify::nginx_conf`].

pub mod access;
pub mod annotations;
pub mod body;
mod build;
pub mod canary;
pub mod location;
pub mod pcre;
pub mod redirect;
pub mod rewrite;
pub mod server;
pub mod uri;

use crate::input::InputSet;
use crate::options::TranslateOptions;
use crate::report::ObjectRef;
use crate::verify::request::{Outcome, Probe, Scheme, ServiceTarget, Share};
use annotations::IngressAnnotations;
pub use build::CATCH_ALL;
use canary::{Canary, Decision};
use location::Selected;
use pcre::Pcre;
use std::collections::{BTreeMap, BTreeSet};
use uri::UriError;

/// The model of one ingress-nginx configuration.
#[derive(Debug, Clone, Default)]
pub struct NginxModel {
    /// Served Ingresses in ingress-nginx order (Ingresses the controller drops are absent).
    pub(crate) ingresses: Vec<IngressEntry>,
    /// Servers in hostname byte order (`_` among them).
    pub(crate) servers: Vec<Server>,
    /// Primary upstream name → its canary.
    pub(crate) canaries: BTreeMap<String, Canary>,
    /// Hosts with a TLS certificate (any non-canary Ingress with `spec.tls`).
    pub(crate) cert_hosts: BTreeSet<String>,
    /// Host names served through server-alias / from-to-www-redirect (not modelled).
    pub(crate) alias_hosts: BTreeSet<String>,
    /// Set when nginx would reject the rendered configuration.
    pub(crate) rejected: Option<String>,
    /// The Ingresses whose locations make nginx reject it.
    pub(crate) rejected_by: Vec<ObjectRef>,
    pub(crate) global_not_modelled: Option<String>,
    pub(crate) http_redirect_code: u16,
    /// ConfigMap ssl-redirect, force-ssl-redirect, preserve-trailing-slash.
    pub(crate) cm_ssl: (bool, bool, bool),
    pub(crate) no_tls_redirect_locations: Vec<String>,
    /// ConfigMap `proxy-body-size` (default 1m): the limit of locations
    /// without an Ingress (the catch-all's default `/`).
    pub(crate) cm_body_limit: body::BodyLimit,
}

/// What decided a probe and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub outcome: Outcome,
    /// The Ingress whose location (or implicit `/`) decided, when one did.
    pub ingress: Option<ObjectRef>,
    /// The nginx location that decided, e.g. `location ~* "^/api"`.
    pub location: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct IngressEntry {
    pub obj: ObjectRef,
    pub ann: IngressAnnotations,
    pub canary: bool,
    /// The controller denies its locations (`return 503`), see `controller_validation`.
    pub denied: Option<Denied>,
}

#[derive(Debug, Clone)]
pub(crate) struct Denied {
    /// Client-certificate errors: the Ingress's hosts answer 403 at server level.
    pub whole_host: bool,
}

/// One nginx `server`.
#[derive(Debug, Clone)]
pub(crate) struct Server {
    /// Host name, `*.suffix`, or `_`.
    pub name: String,
    /// For `*.suffix`: the suffix.
    pub wildcard: Option<String>,
    pub regex_mode: bool,
    /// A denied client-certificate setting: `return 403` before anything else.
    pub forbidden: bool,
    /// The first app-root in location order, with the Ingress that set it.
    pub app_root: Option<(String, Option<usize>)>,
    pub not_modelled: Option<String>,
    pub locations: Vec<Location>,
    /// The locations by name and regex literal start, built once the locations
    /// are final.
    pub location_index: location::LocationIndex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Modifier {
    Exact,
    Prefix,
    Regex,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LocationKind {
    Ingress,
    /// `_`'s `location /healthz { return 200; }`.
    Healthz,
    /// `_`'s `location /nginx_status` (stub status, loopback only).
    NginxStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Upstream {
    Service {
        name: String,
        target: ServiceTarget,
    },
    /// `upstream-default-backend` (404).
    Default,
    Unresolved(String),
}

/// One nginx `location`.
#[derive(Debug, Clone)]
pub(crate) struct Location {
    pub modifier: Modifier,
    /// The location name as rendered (after Prefix expansion).
    pub name: String,
    /// The Ingress path it came from (after empty → `/`).
    pub path: String,
    /// The Ingress path was Exact.
    pub exact: bool,
    /// Index into `NginxModel::ingresses` of the Ingress whose annotations apply.
    pub ingress: Option<usize>,
    pub upstream: Upstream,
    pub kind: LocationKind,
    /// The implicit `/` not replaced by any Ingress path.
    pub implicit: bool,
    /// The catch-all `/` of a rule-less Ingress: its rewrite/redirect group is not applied.
    pub no_rewrite_redirect: bool,
    /// `(?i)^name` in regex mode.
    pub regex: Option<Pcre>,
    /// `rewrite "(?i)path" target break;`
    pub rewrite: Option<(Pcre, String)>,
}

impl Location {
    /// The location as nginx configuration, e.g. `location ~* "^/api"`.
    pub(crate) fn directive(&self) -> String {
        let quoted = quote(&match self.modifier {
            Modifier::Regex => format!("^{}", self.name),
            _ => self.name.clone(),
        });
        match self.modifier {
            Modifier::Exact => format!("location = {quoted}"),
            Modifier::Prefix => format!("location {quoted}"),
            Modifier::Regex => format!("location ~* {quoted}"),
        }
    }
}

/// A double-quoted nginx string (`\` and `"` escaped, as `sanitizeQuotedRegex`).
pub(crate) fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

impl NginxModel {
    /// Builds the model from decoded input with the same class selection, Ingress
    /// order and ConfigMap handling as the translation.
    pub fn build(input: &InputSet, options: &TranslateOptions) -> NginxModel {
        build::build(input, options)
    }

    /// The named hosts (servers other than `_`), sorted.
    pub fn hosts(&self) -> Vec<String> {
        self.servers
            .iter()
            .filter(|s| s.name != CATCH_ALL)
            .map(|s| s.name.clone())
            .collect()
    }

    /// The access-control annotations of each Ingress that has some.
    pub fn protections(&self) -> std::collections::BTreeMap<ObjectRef, String> {
        self.ingresses
            .iter()
            .filter_map(|i| Some((i.obj.clone(), i.ann.protection.clone()?)))
            .collect()
    }

    /// Why nginx would refuse this configuration, if it would.
    pub fn rejected(&self) -> Option<&str> {
        self.rejected.as_deref()
    }

    /// The Ingresses that make nginx refuse the configuration (see [`Self::rejected`]).
    pub fn rejected_by(&self) -> &[ObjectRef] {
        &self.rejected_by
    }

    /// What ingress-nginx does with `probe`.
    /// nginx's request body check for the selected location `loc`: 413 when
    /// the probe's body is above its `client_max_body_size`, `None` when the
    /// request goes on (no body, or one within the limit).
    fn body_check(&self, loc: &Location, probe: &Probe) -> Option<Outcome> {
        let len = probe.body?;
        let nm = |reason: String| Some(Outcome::NotModelled { reason });
        if loc.kind != LocationKind::Ingress {
            return nm("a request body to one of the controller's own locations".into());
        }
        let ingress = loc.ingress.map(|i| &self.ingresses[i]);
        if let Some(e) = ingress {
            if e.denied.is_some() {
                return nm("the body size limit of a location the controller denies".into());
            }
            // Snippets may set their own limit, and the rest is not modelled anyway.
            if let Some(r) = &e.ann.location_not_modelled {
                return nm(r.clone());
            }
        }
        let limit = ingress.map_or(&self.cm_body_limit, |e| &e.ann.body_limit);
        match limit.refuses(len) {
            Ok(true) => Some(Outcome::Status { status: 413 }),
            Ok(false) => None,
            Err(reason) => nm(reason),
        }
    }

    /// The `client_max_body_size` of an Ingress location (`None`: the
    /// controller's own locations), for probe generation and the rendering.
    pub(crate) fn body_limit(&self, loc: &Location) -> Option<&body::BodyLimit> {
        (loc.kind == LocationKind::Ingress).then(|| {
            loc.ingress
                .map_or(&self.cm_body_limit, |i| &self.ingresses[i].ann.body_limit)
        })
    }

    pub fn handle(&self, probe: &Probe) -> Handled {
        let nm = |reason: String| Handled {
            outcome: Outcome::NotModelled { reason },
            ingress: None,
            location: None,
        };
        if let Some(r) = self.rejected.as_ref().or(self.global_not_modelled.as_ref()) {
            return nm(r.clone());
        }
        if probe.method != "GET" {
            return nm(format!("method {} (only GET is modelled)", probe.method));
        }
        if !probe
            .target
            .bytes()
            .all(|b| (0x21..0x7f).contains(&b) && b != b'#')
        {
            return nm("request target with characters outside printable ASCII".into());
        }
        let (path, query) = uri::split_target(&probe.target);
        let uri = match uri::normalise(path) {
            Ok(u) => u,
            Err(UriError::BadRequest) => {
                return Handled {
                    outcome: Outcome::Status { status: 400 },
                    ingress: None,
                    location: None,
                };
            }
            Err(UriError::NotModelled(r)) => return nm(r),
        };
        let host = server::normalise_host(&probe.host);
        if self.alias_hosts.contains(&host) {
            return nm(format!("host {host} is a server-alias or from-to-www name"));
        }
        let Some(server) = server::select(&self.servers, &host).map(|i| &self.servers[i]) else {
            return nm("the model has no catch-all server".into());
        };
        if server.forbidden {
            return Handled {
                outcome: Outcome::Status { status: 403 },
                ingress: None,
                location: Some(format!("server {} client-certificate error", server.name)),
            };
        }
        if let Some(r) = &server.not_modelled {
            return nm(format!("server {}: {r}", server.name));
        }
        // PCRE (no UTF mode) matches bytes, the evaluator characters; literal
        // (plain-mode) locations compare bytes, which UTF-8 strings do too.
        if server.regex_mode && !uri.is_ascii() {
            return nm("decoded path has non-ASCII bytes on a regex-mode host".into());
        }
        let scheme = match probe.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        };
        if uri == "/"
            && let Some((root, by)) = &server.app_root
        {
            return Handled {
                outcome: Outcome::Redirect {
                    status: 302,
                    location: format!("{scheme}://{}{root}", probe.host),
                },
                ingress: by.map(|i| self.ingresses[i].obj.clone()),
                location: Some(format!("server {} app-root", server.name)),
            };
        }
        let selected = location::select(&server.locations, &server.location_index, &uri);
        // nginx checks Content-Length right after selecting the location,
        // before its trailing-slash 301 and everything the location does.
        if let Selected::Location(i) | Selected::AutoRedirect(i) = &selected
            && let Some(outcome) = self.body_check(&server.locations[*i], probe)
        {
            let l = &server.locations[*i];
            return Handled {
                outcome,
                ingress: l.ingress.map(|i| self.ingresses[i].obj.clone()),
                location: Some(l.directive()),
            };
        }
        let index = match selected {
            Selected::Location(i) => i,
            Selected::AutoRedirect(i) => {
                let l = &server.locations[i];
                let mut target = uri::escape_uri(&l.name);
                if let Some(q) = query.filter(|q| !q.is_empty()) {
                    target = format!("{target}?{q}");
                }
                return Handled {
                    outcome: Outcome::Redirect {
                        status: 301,
                        location: redirect::absolute(&target, scheme, &host),
                    },
                    ingress: l.ingress.map(|i| self.ingresses[i].obj.clone()),
                    location: Some(l.directive()),
                };
            }
            Selected::None => return nm(format!("no location of server {} matches", server.name)),
            Selected::NotModelled(r) => return nm(r),
        };
        let loc = &server.locations[index];
        let decided = |outcome: Outcome| Handled {
            outcome,
            ingress: loc.ingress.map(|i| self.ingresses[i].obj.clone()),
            location: Some(loc.directive()),
        };
        let nm_here = |reason: String| decided(Outcome::NotModelled { reason });
        match loc.kind {
            LocationKind::Ingress => {}
            LocationKind::Healthz => return decided(Outcome::Status { status: 200 }),
            LocationKind::NginxStatus => {
                return nm_here("the catch-all server's /nginx_status".into());
            }
        }
        if loc
            .ingress
            .is_some_and(|i| self.ingresses[i].denied.is_some())
        {
            return decided(Outcome::Status { status: 503 });
        }
        let ann = loc.ingress.map(|i| &self.ingresses[i].ann);
        if let Some(r) = ann.and_then(|a| a.location_not_modelled.as_ref()) {
            return nm_here(r.clone());
        }
        let group = ann.filter(|_| !loc.no_rewrite_redirect);
        if let Some((status, url)) = group.and_then(|a| a.redirect.as_ref()) {
            return decided(Outcome::Redirect {
                status: *status,
                location: redirect::absolute(url, scheme, &host),
            });
        }
        if group.is_none() && self.cm_ssl.1 {
            // The catch-all's own `/` carries no Rewrite config of an Ingress.
            return nm_here(
                "force-ssl-redirect from the ConfigMap on the catch-all default location".into(),
            );
        }
        let defaults = self.default_ssl();
        let (ssl, force, preserve) = group.map_or(defaults, |a| {
            (
                a.ssl_redirect,
                a.force_ssl_redirect,
                a.preserve_trailing_slash,
            )
        });
        if probe.scheme == Scheme::Http
            && !self.no_tls_redirect(&loc.name)
            && (force || (ssl && self.has_cert(&host)))
        {
            return decided(Outcome::Redirect {
                status: self.http_redirect_code,
                location: redirect::https_location(&probe.host, &probe.target, preserve),
            });
        }
        // The access phase comes after the rewrite phase's returns and redirects.
        let external = ann.and_then(|a| a.external_auth.as_ref());
        if external.is_some() && ann.is_some_and(|a| a.access.auth.is_some()) {
            return nm_here("basic/digest auth together with external auth".into());
        }
        if let Some(status) = ann.and_then(|a| a.access.decide(probe.client)) {
            return decided(Outcome::Status { status });
        }
        let mut split = None;
        let service = match &loc.upstream {
            Upstream::Unresolved(r) => return nm_here(r.clone()),
            Upstream::Default => None,
            Upstream::Service { name, target } => match self.canaries.get(name) {
                None => Some(target.clone()),
                Some(c) => match canary::decide(c, probe) {
                    Decision::Primary => Some(target.clone()),
                    Decision::Canary => Some(c.target.clone()),
                    Decision::Weighted { canary, total } => {
                        split = Some(vec![
                            Share {
                                service: target.clone(),
                                weight: total - canary,
                            },
                            Share {
                                service: c.target.clone(),
                                weight: canary,
                            },
                        ]);
                        Some(target.clone())
                    }
                    Decision::NotModelled(r) => return nm_here(r),
                },
            },
        };
        let mut headers = BTreeMap::new();
        let mut sent = probe.target.clone();
        if let Some((re, target)) = &loc.rewrite {
            match rewrite::apply(re, target, &uri) {
                Ok(Some(new)) => {
                    sent = uri::escape_uri(&new);
                    if let Some(q) = query.filter(|q| !q.is_empty()) {
                        sent = format!("{sent}?{q}");
                    }
                }
                Ok(None) => {}
                Err(r) => return nm_here(r),
            }
            if let Some(x) = group.and_then(|a| a.x_forwarded_prefix.as_ref()) {
                // `proxy_set_header X-Forwarded-Prefix "<v>"` is evaluated after the
                // rewrite: `$host` is the request's host, `$N` the rewrite's captures.
                let mut value = String::new();
                let mut caps = None;
                for part in crate::passes::nginx_vars::parts(x) {
                    use crate::passes::nginx_vars::{NginxVar, Part};
                    match part {
                        Part::Text(t) => value.push_str(&t),
                        Part::Var(NginxVar::Named(_)) => value.push_str(
                            &probe
                                .host
                                .split(':')
                                .next()
                                .unwrap_or_default()
                                .to_ascii_lowercase(),
                        ),
                        Part::Var(NginxVar::Capture(n)) => {
                            if caps.is_none() {
                                caps =
                                    match re.captures(&uri) {
                                        Ok(Some(c)) => Some(c),
                                        Ok(None) => return nm_here(
                                            "x-forwarded-prefix captures without a rewrite match"
                                                .into(),
                                        ),
                                        Err(r) => return nm_here(r),
                                    };
                            }
                            if let Some(Some(m)) = caps.as_ref().and_then(|c| c.get(n as usize)) {
                                value.push_str(m);
                            }
                        }
                    }
                }
                headers.insert("x-forwarded-prefix".to_string(), value);
            }
        }
        let outcome = match (service, split) {
            (None, _) => Outcome::DefaultBackend,
            (Some(_), Some(shares)) => Outcome::Split {
                shares,
                uri: sent,
                headers,
            },
            (Some(service), None) => Outcome::Backend {
                service,
                uri: sent,
                headers,
            },
        };
        // `mirror` runs in the precontent phase, after the access checks: a
        // request that reaches proxy_pass is copied to the mirror first.
        let outcome = match ann.and_then(|a| a.mirror.as_ref()) {
            Some(m) => Outcome::Mirrored {
                mirrors: vec![match m.target.strip_prefix(annotations::REQUEST_HOST) {
                    // `http://$host…`: the request's host, as nginx resolves it.
                    Some(port) => crate::verify::request::Mirror {
                        target: format!("{}{port}", server::normalise_host(&probe.host)),
                        ..m.clone()
                    },
                    None => m.clone(),
                }],
                then: Box::new(outcome),
            },
            None => outcome,
        };
        decided(match external {
            // auth_request runs in the access phase: the service decides first.
            Some((service, signin)) => Outcome::ExternalAuth {
                service: service.clone(),
                signin: signin.clone(),
                then: Box::new(outcome),
            },
            None => outcome,
        })
    }

    /// ssl-redirect, force-ssl-redirect, preserve-trailing-slash from the ConfigMap.
    fn default_ssl(&self) -> (bool, bool, bool) {
        (self.cm_ssl.0, self.cm_ssl.1, self.cm_ssl.2)
    }

    /// The Lua certificate lookup: the host, then `*.<parent>`.
    pub(crate) fn has_cert(&self, host: &str) -> bool {
        self.cert_hosts.contains(host)
            || host
                .split_once('.')
                .is_some_and(|(_, parent)| self.cert_hosts.contains(&format!("*.{parent}")))
    }

    /// `no-tls-redirect-locations`: compared with the location path.
    pub(crate) fn no_tls_redirect(&self, location_path: &str) -> bool {
        self.no_tls_redirect_locations
            .iter()
            .any(|p| location_path.starts_with(p.as_str()))
    }
}

#[cfg(test)]
mod tests;
