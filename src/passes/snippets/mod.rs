//! Snippets: `configuration-snippet`, `server-snippet`, `auth-snippet`, `stream-snippet`.
//!
//! ## What ingress-nginx does
//! The value is raw nginx configuration, pasted unchecked: `configuration-snippet`
//! into every location of the Ingress (after the proxy settings, before custom
//! headers, redirects and `proxy_pass`); `server-snippet` into the `server` block
//! (first Ingress of the host in sorted order wins, later ones are ignored);
//! `auth-snippet` into the external-auth location; `stream-snippet` into the
//! global `stream {}` block. The controller ConfigMap's `location-snippet` goes
//! into every location and its `server-snippet` into every server block, also
//! when snippet annotations are disabled. Snippets are **Critical** risk: disabled by default
//! (`allow-snippet-annotations: false` since v1.9, risk level High since v1.12;
//! the controller-validation pass reports that), and they can read any Secret the
//! controller can (CVE-2021-25742).
//!
//! ## What Gateway API offers
//! Nothing raw. Header modifier filters, `RequestRedirect`.
//!
//! ## What we emit
//! The snippet is parsed with a byte-exact copy of nginx's tokenizer ([`parser`]). In
//! configuration/server snippets: `more_set_headers "N: v"` → response header
//! *set*; `more_clear_headers N` → response header *remove*; `add_header N v` →
//! response header *add*; `proxy_set_header N v` → request header *set* (`""`
//! removes); `return 301|302|303|307|308 <scheme>://<host>$request_uri` and
//! `rewrite ^(.*)$ <scheme>://<host>$1 permanent|redirect` → `RequestRedirect`;
//! `rewrite ^/literal$ /target permanent|redirect` → an Exact rule with a
//! `RequestRedirect` when this Ingress's nginx location serves that path
//! (only these forms are exact: Gateway API keeps the path and query, nginx
//! builds them from the variables). Values with nginx variables, header-more
//! options (`-s`, `-t`) and wildcards are not translated.
//!
//! Unknown means closed: an untranslated directive leaves the route open only
//! when it is on the [`HARMLESS`] list (header, compression, buffering, timeout
//! and logging directives of a request that is proxied anyway). Everything else
//! — access checks, `return`, `internal`, `rewrite … last`, `include`, `set`,
//! `ssl_verify_client`, `modsecurity`, Lua, every block, every directive ing2gw
//! does not know — and a snippet the parser rejects make the affected rules
//! fail closed like other untranslatable access control (`docs/security.md`);
//! a server-snippet `location` closes only its path. `--allow-insecure-translation`
//! opens them, with an error each (`emit::access`).
//!
//! The controller ConfigMap's `location-snippet` (every location) and
//! `server-snippet` (every server block) go through the same analysis and apply
//! to every rule of every host.
//!
//! ## What we warn
//! Always a warning per snippet that a human must review it; every directive not
//! translated, quoted with its line and column inside the snippet (an error when
//! it fails closed); approximations (`add_header` without `always` applies
//! only to some statuses in nginx; server-level headers are inherited only by
//! locations without their own); parse errors with their position.

pub mod parser;

use super::{Pass, PassContext};
use crate::emit::access::Located;
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Notification, Report};
use parser::Directive;
use std::collections::BTreeMap;

pub const SNIPPET_REVIEW: Code = Code("snippet-review");
pub const SNIPPET_UNTRANSLATED: Code = Code("snippet-directive-untranslated");
pub const SNIPPET_TRANSLATED: Code = Code("snippet-directive-translated");
pub const SNIPPET_PARSE_ERROR: Code = Code("snippet-parse-error");
pub const SNIPPET_IGNORED: Code = Code("snippet-ignored");

pub struct Snippets;

/// Directive names that deny or limit requests (named as such in notifications).
const RESTRICTING: &[&str] = &[
    "allow",
    "deny",
    "auth_basic",
    "auth_basic_user_file",
    "auth_digest",
    "auth_digest_user_file",
    "auth_request",
    "auth_jwt",
    "satisfy",
    "limit_req",
    "limit_conn",
    "limit_except",
    "if",
    "valid_referers",
    "secure_link",
    "internal",
    "return",
    "ssl_verify_client",
    "modsecurity",
    "modsecurity_rules",
    "modsecurity_rules_file",
];

/// Directives known to be harmless when they are not translated: they only edit
/// headers, compression, buffering, timeouts or logging of a request that is
/// proxied anyway. None of them can answer a request itself, refuse it, send it
/// elsewhere (another backend, another location, an internal redirect) or change
/// which client may reach the backend. Everything else — access checks, `return`,
/// `rewrite`, `internal`, `include`, `set` (ingress-nginx's own variables pick the
/// upstream), `error_page`, caching, TLS client verification, WAF, Lua, blocks —
/// is unknown to ing2gw and fails closed.
const HARMLESS: &[&str] = &[
    // Headers (translated when exact; a dropped header never opens access).
    "add_header",
    "add_trailer",
    "more_set_headers",
    "more_clear_headers",
    "more_set_input_headers",
    "more_clear_input_headers",
    "proxy_set_header",
    "proxy_hide_header",
    "proxy_pass_header",
    "proxy_cookie_domain",
    "proxy_cookie_path",
    "proxy_cookie_flags",
    "proxy_redirect",
    "expires",
    "etag",
    "charset",
    "default_type",
    "server_tokens",
    // Compression.
    "gzip",
    "gzip_types",
    "gzip_vary",
    "gzip_proxied",
    "gzip_min_length",
    "gzip_comp_level",
    "gzip_http_version",
    "gzip_disable",
    "brotli",
    "brotli_types",
    "brotli_comp_level",
    // Proxy buffering and timeouts of the same upstream.
    "proxy_buffering",
    "proxy_buffer_size",
    "proxy_buffers",
    "proxy_busy_buffers_size",
    "proxy_request_buffering",
    "proxy_max_temp_file_size",
    "proxy_temp_file_write_size",
    "proxy_http_version",
    "proxy_connect_timeout",
    "proxy_read_timeout",
    "proxy_send_timeout",
    "client_body_buffer_size",
    "send_timeout",
    "keepalive_timeout",
    "chunked_transfer_encoding",
    "tcp_nodelay",
    "tcp_nopush",
    "sendfile",
    // Logging.
    "access_log",
    "log_not_found",
    "log_subrequest",
];

/// Whether an *untranslated* directive makes the rules it applies to fail closed:
/// anything not on the [`HARMLESS`] list, and every block (a `location`, `if` or
/// `limit_except` changes who is served and how).
fn fails_closed(d: &Directive) -> bool {
    d.block.is_some() || !HARMLESS.contains(&d.name.as_str())
}

/// Known access restrictions (for the wording of notifications): access checks,
/// `return` (nginx answers itself) and Lua, in the directive or its block.
fn restricts_access(d: &Directive) -> bool {
    d.block
        .as_deref()
        .is_some_and(|b| b.iter().any(restricts_access))
        || RESTRICTING.contains(&d.name.as_str())
        || d.name.contains("_by_lua")
}

fn is_redirect_status(code: Option<&str>) -> bool {
    matches!(code, Some("301" | "302" | "303" | "307" | "308"))
}

/// What one directive becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translation {
    RequestHeaders(HeaderEdits),
    ResponseHeaders(HeaderEdits, Option<&'static str>),
    Redirect(Redirect),
    /// `rewrite ^/lit$ <target> permanent|redirect`: only requests for exactly `path`.
    PathRedirect {
        path: String,
        redirect: Redirect,
    },
    /// Not translated; the reason.
    No(String),
}

fn has_variable(s: &str) -> bool {
    s.contains('$')
}

/// A `<scheme>://<host>[:port]<path_var>` redirect target, exact in Gateway API.
fn redirect_target(url: &str, path_var: &str, status: u16) -> Option<Redirect> {
    let rest = url.strip_suffix(path_var)?;
    let (scheme, authority) = rest.split_once("://")?;
    let scheme = match scheme {
        "$scheme" => None,
        "http" | "https" => Some(scheme.to_string()),
        _ => return None,
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse::<u16>().ok()?)),
        None => (authority, None),
    };
    let hostname = match host {
        "$host" => None,
        h if !h.is_empty()
            && h.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.') =>
        {
            Some(h.to_ascii_lowercase())
        }
        _ => return None,
    };
    Some(Redirect {
        scheme,
        hostname,
        path: None,
        port,
        status,
    })
}

/// Gateway API `HTTPHeaderName` characters (RFC 9110 token).
fn valid_header_name(n: &str) -> bool {
    !n.is_empty()
        && n.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
}

/// No control characters (CR/LF would split the message) except tab.
fn valid_header_value(v: &str) -> bool {
    !v.chars().any(|c| c.is_control() && c != '\t')
}

/// Rejects header edits that are not valid HTTP: nginx would send them
/// verbatim (header injection), a Gateway rejects or mangles them.
fn checked(t: Translation) -> Translation {
    let edits = match &t {
        Translation::RequestHeaders(e) | Translation::ResponseHeaders(e, _) => e,
        _ => return t,
    };
    let names_ok = edits
        .set
        .iter()
        .chain(&edits.add)
        .map(|(n, _)| n)
        .chain(&edits.remove)
        .all(|n| valid_header_name(n));
    let values_ok = edits
        .set
        .iter()
        .chain(&edits.add)
        .all(|(_, v)| valid_header_value(v));
    if names_ok && values_ok {
        t
    } else {
        Translation::No(
            "the header name or value is not valid HTTP (control characters such as CR/LF inject headers)"
                .into(),
        )
    }
}

/// `^/lit$` or `^(/lit)$` with only characters that match themselves
/// (`\.` is a literal dot): the path and whether it is captured as `$1`.
fn literal_path_regex(regex: &str) -> Option<(String, bool)> {
    let inner = regex.strip_prefix('^')?.strip_suffix('$')?;
    let (body, captured) = match inner.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(b) => (b, true),
        None => (inner, false),
    };
    let mut path = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                e @ ('.' | '/' | '-') => path.push(e),
                _ => return None,
            },
            c if c.is_ascii_alphanumeric() || "/_~-".contains(c) => path.push(c),
            _ => return None,
        }
    }
    path.starts_with('/').then_some((path, captured))
}

/// `rewrite ^/lit$ /target permanent;`: exact for requests of exactly `/lit` (nginx
/// appends the query string, Gateway API keeps it).
fn literal_rewrite(regex: &str, target: &str, status: u16) -> Option<Translation> {
    let (path, captured) = literal_path_regex(regex)?;
    let target = if captured {
        target.replace("$1", &path)
    } else {
        target.to_string()
    };
    let plain = |p: &str| {
        p.starts_with('/')
            && p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"/-._~".contains(&c))
    };
    let redirect = if plain(&target) {
        Redirect {
            scheme: None,
            hostname: None,
            path: Some(PathRewrite::Full(target)),
            port: None,
            status,
        }
    } else {
        let (scheme, rest) = target.split_once("://")?;
        if scheme != "http" && scheme != "https" {
            return None;
        }
        let (host, p) = rest.split_at(rest.find('/')?);
        if host.is_empty()
            || !host
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
            || !plain(p)
        {
            return None;
        }
        Redirect {
            scheme: Some(scheme.into()),
            hostname: Some(host.to_ascii_lowercase()),
            path: Some(PathRewrite::Full(p.into())),
            port: None,
            status,
        }
    };
    Some(Translation::PathRedirect { path, redirect })
}

/// Translates one directive of a location or server snippet.
pub fn translate(d: &Directive) -> Translation {
    checked(translate_unchecked(d))
}

fn translate_unchecked(d: &Directive) -> Translation {
    let no = |why: &str| Translation::No(why.to_string());
    let args: Vec<&str> = d.args.iter().map(|a| a.value.as_str()).collect();
    match d.name.as_str() {
        "more_set_headers" | "more_clear_headers" => {
            if d.block.is_some() || args.is_empty() {
                return no("unexpected form");
            }
            if args.iter().any(|a| a.starts_with('-')) {
                return no("status/type conditions (-s, -t) have no Gateway API equivalent");
            }
            let mut edits = HeaderEdits::default();
            for a in &args {
                if has_variable(a) {
                    return no("nginx variables cannot be evaluated by Gateway API");
                }
                if a.contains('*') {
                    return no("header name wildcards have no Gateway API equivalent");
                }
                match a.split_once(':') {
                    Some((n, v)) if d.name == "more_set_headers" && !v.trim().is_empty() => {
                        edits.set.push((n.trim().to_string(), v.trim().to_string()))
                    }
                    Some((n, _)) => edits.remove.push(n.trim().to_string()),
                    None => edits.remove.push(a.trim().to_string()),
                }
            }
            Translation::ResponseHeaders(edits, None)
        }
        "add_header" => match args.as_slice() {
            [n, v] | [n, v, "always"] => {
                if has_variable(v) || has_variable(n) {
                    return no("nginx variables cannot be evaluated by Gateway API");
                }
                let edits = HeaderEdits {
                    add: vec![(n.to_string(), v.to_string())],
                    ..Default::default()
                };
                let note = (args.len() == 2).then_some("without `always` nginx adds it only to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 responses; the filter adds it to every response");
                Translation::ResponseHeaders(edits, note)
            }
            _ => no("unexpected arguments"),
        },
        "proxy_set_header" => match args.as_slice() {
            [n, v] => {
                if has_variable(v) || has_variable(n) {
                    return no("nginx variables cannot be evaluated by Gateway API");
                }
                let mut edits = HeaderEdits::default();
                if v.is_empty() {
                    edits.remove.push(n.to_string());
                } else {
                    edits.set.push((n.to_string(), v.to_string()));
                }
                Translation::RequestHeaders(edits)
            }
            _ => no("unexpected arguments"),
        },
        "return" => match args.as_slice() {
            [code, url] if is_redirect_status(Some(code)) => {
                let status = code.parse().unwrap_or(302);
                redirect_target(url, "$request_uri", status)
                    .map(Translation::Redirect)
                    .unwrap_or_else(|| no("only `<scheme>://<host>$request_uri` targets are exact (Gateway API keeps the path and query)"))
            }
            _ => no("Gateway API has no direct responses"),
        },
        "rewrite" => match args.as_slice() {
            [regex, target, flag @ ("permanent" | "redirect")] => {
                let status = if *flag == "permanent" { 301 } else { 302 };
                let path_var = match *regex {
                    "^(.*)$" | "(.*)" | "^(.*)" => "$1",
                    "^/(.*)$" | "^/(.*)" => "/$1",
                    _ if literal_path_regex(regex).is_some() => {
                        return literal_rewrite(regex, target, status).unwrap_or_else(|| {
                            no("only a literal path, or a literal http(s) URL, is exact as the target")
                        });
                    }
                    _ => {
                        return no(
                            "only whole-path rewrites (`^(.*)$` → `…$1`) are exact as a RequestRedirect",
                        );
                    }
                };
                redirect_target(target, path_var, status)
                    .map(Translation::Redirect)
                    .unwrap_or_else(|| no("only `<scheme>://<host>$1` targets are exact (Gateway API keeps the path and query)"))
            }
            _ => no("internal rewrites (last/break) are not translated from snippets"),
        },
        _ => no("no Gateway API equivalent"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Location,
    Server,
}

/// The outcome of a snippet for the rules it applies to.
#[derive(Default)]
struct Applied {
    filters: Vec<RuleFilter>,
    redirect: Option<Redirect>,
    /// Redirects of exactly one path (literal `rewrite`), with the directive's provenance.
    path_redirects: Vec<(String, Redirect, Provenance)>,
    /// Server-level `location` blocks that keep requests from the backend.
    closed_locations: Vec<(PathMatch, RuleFilter)>,
}

/// `location [=|^~] /path { … }` as a Gateway API match (regex locations: None).
/// nginx prefix locations match by string prefix, PathPrefix by path segment; the
/// closed rule therefore also covers `/path/…`, the common case.
fn simple_location(d: &Directive) -> Option<PathMatch> {
    if d.name != "location" {
        return None;
    }
    let path_ok = |p: &str| p.starts_with('/') && !p.contains(['$', '(', '*', '?', '{']);
    match d
        .args
        .iter()
        .map(|a| a.value.as_str())
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["=", p] if path_ok(p) => Some(PathMatch::Exact(p.to_string())),
        ["^~", p] | [p] if path_ok(p) => Some(PathMatch::Prefix(p.to_string())),
        _ => None,
    }
}

/// A snippet to analyse and where it comes from.
struct Source<'a> {
    /// How notifications name it: `configuration-snippet`, `ConfigMap location-snippet`.
    key: String,
    text: &'a str,
    /// The annotation (or ConfigMap key) and its span, for notifications and filters.
    from: Provenance,
    /// False when the controller blanks the snippet today: nothing of it is added.
    live: bool,
    /// A server-level `location` may close just its path (needs an owning Ingress
    /// to name the rule); otherwise it closes every rule.
    path_locations: bool,
    /// Literal `rewrite`s may become per-path redirect rules (location snippets of
    /// an Ingress only).
    path_redirects: bool,
}

impl Source<'_> {
    fn at(&self, n: Notification) -> Notification {
        n.located(&self.from)
    }
    fn closed(&self, requirement: AccessRequirement) -> RuleFilter {
        RuleFilter {
            filter: Filter::AccessControl(requirement),
            from: self.from.clone(),
        }
    }
}

fn process(
    cx: &PassContext,
    ing: &InputIngress,
    key: &str,
    scope: Scope,
    report: &mut Report,
) -> Applied {
    let Some(text) = cx.annotation(ing, key) else {
        return Applied::default();
    };
    let full = cx.full_key(key);
    let span = cx.annotation_span(ing, key);
    // Snippets the controller blanks today (allow-snippet-annotations false) are not
    // live: nothing of them is added, except that access checks stay closed (the
    // intended protection, stricter than today; controller_validation reports it).
    let live = !cx
        .verdicts
        .is_dropped(&ing.obj, crate::catalog::Family::Snippets);
    let source = Source {
        key: key.to_string(),
        text,
        from: Provenance::object(&ing.obj).with_annotation(&full, span),
        live,
        path_locations: true,
        path_redirects: scope == Scope::Location,
    };
    report.push(source.at(Notification::warning(SNIPPET_REVIEW, format!("{key} is raw nginx configuration: a human must review what it does and check the notification of each of its directives")))
        .suggest("snippets run with the controller's privileges; prefer Gateway API filters or your implementation's policies"));
    analyse(&source, scope, report)
}

/// Translates what is exact, fails closed on everything else that is not known
/// to be harmless (and on a snippet ing2gw cannot parse).
fn analyse(source: &Source, scope: Scope, report: &mut Report) -> Applied {
    let mut applied = Applied::default();
    let key = source.key.as_str();
    let directives = match parser::parse(source.text) {
        Ok(d) => d,
        Err(e) => {
            report.push(source.at(Notification::error(SNIPPET_PARSE_ERROR, format!("{key} cannot be parsed by ing2gw ({e}): ing2gw cannot tell what nginx makes of it, so nothing is translated and the affected rules are handled as untranslatable access control")))
                .suggest("fix the snippet (nginx pastes it inside the location or server block), or replace it with Gateway API filters"));
            applied
                .filters
                .push(source.closed(AccessRequirement::SnippetUnparsable {
                    snippet: key.to_string(),
                    error: e.to_string(),
                }));
            return applied;
        }
    };
    for d in &directives {
        let t = match translate(d) {
            Translation::PathRedirect { .. } if !source.path_redirects => Translation::No(
                "a redirect of one path is translated only from an Ingress's configuration-snippet"
                    .into(),
            ),
            Translation::No(why) => Translation::No(why),
            _ if !source.live => Translation::No(
                "the controller ignores this snippet today, so it is not added".into(),
            ),
            t => t,
        };
        let quoted = format!("`{}` ({} of the snippet)", d.text, d.pos);
        let requirement = || AccessRequirement::SnippetDirective {
            directive: format!("`{}` ({key}, {})", d.text, d.pos),
        };
        match t {
            // A server-level `location`: nginx serves that path itself (no
            // proxy_pass of ours), so only its path is closed.
            Translation::No(_)
                if scope == Scope::Server
                    && source.path_locations
                    && let Some(m) = simple_location(d) =>
            {
                report.push(source.at(Notification::error(SNIPPET_UNTRANSLATED, format!("{key}: {quoted} serves that path inside nginx (access check, direct answer or another backend) and is not translated; a rule for the path is added fail-closed so it does not fall through to another rule's backend"))));
                applied
                    .closed_locations
                    .push((m, source.closed(requirement())));
            }
            Translation::No(why) if fails_closed(d) => {
                let what = if restricts_access(d) {
                    "keeps requests from the backend (access check or direct answer)".to_string()
                } else {
                    "is not on ing2gw's list of directives known not to affect access, so ing2gw cannot tell what it does".to_string()
                };
                report.push(source.at(Notification::error(SNIPPET_UNTRANSLATED, format!("{key}: {quoted} {what} and is not translated ({why}); the affected rules are handled as untranslatable access control (fail-closed)"))));
                applied.filters.push(source.closed(requirement()));
            }
            Translation::No(why) => {
                report.push(source.at(Notification::warning(SNIPPET_UNTRANSLATED, format!("{key}: {quoted} is not translated: {why}")))
                    .suggest("reproduce it with Gateway API filters or your implementation's policy, or drop it"));
            }
            Translation::RequestHeaders(e) => {
                report.push(source.at(Notification::info(
                    SNIPPET_TRANSLATED,
                    format!("{key}: {quoted} → RequestHeaderModifier"),
                )));
                applied.filters.push(RuleFilter {
                    filter: Filter::RequestHeaders(e),
                    from: source.from.clone(),
                });
            }
            Translation::ResponseHeaders(e, note) => {
                let mut msg = format!("{key}: {quoted} → ResponseHeaderModifier");
                if let Some(n) = note {
                    msg.push_str(&format!(" ({n})"));
                }
                if scope == Scope::Server {
                    msg.push_str(" on every rule of the host (nginx inherits server-level headers only into locations that set none of their own)");
                }
                let sev = if note.is_some() || scope == Scope::Server {
                    Notification::warning(SNIPPET_TRANSLATED, msg)
                } else {
                    Notification::info(SNIPPET_TRANSLATED, msg)
                };
                report.push(source.at(sev));
                applied.filters.push(RuleFilter {
                    filter: Filter::ResponseHeaders(e),
                    from: source.from.clone(),
                });
            }
            Translation::PathRedirect { path, redirect } => {
                report.push(source.at(Notification::info(
                    SNIPPET_TRANSLATED,
                    format!(
                        "{key}: {quoted} → RequestRedirect {} for requests of exactly `{path}` that this Ingress's locations serve (an Exact rule)",
                        redirect.status
                    ),
                )));
                applied
                    .path_redirects
                    .push((path, redirect, source.from.clone()));
            }
            Translation::Redirect(r) => {
                if applied.redirect.is_some() {
                    report.push(source.at(Notification::warning(SNIPPET_UNTRANSLATED, format!("{key}: {quoted} is not translated: an earlier redirect of the snippet answers first"))));
                    continue;
                }
                if scope == Scope::Server {
                    report.push(source.at(Notification::warning(SNIPPET_TRANSLATED, format!("{key}: {quoted} → RequestRedirect {} on every rule of the host; nginx runs it before location matching, so it also redirects paths no rule matches (those answer 404 now)", r.status))));
                } else {
                    report.push(source.at(Notification::info(
                        SNIPPET_TRANSLATED,
                        format!("{key}: {quoted} → RequestRedirect {}", r.status),
                    )));
                }
                applied.redirect = Some(r);
            }
        }
    }
    applied
}

/// The span of a ConfigMap data key: the line that starts with it (a comment
/// mentioning the key must not win), else its first quoted occurrence (JSON).
fn data_key_span(origin: &crate::input::Origin, key: &str) -> Option<crate::input::SourceSpan> {
    let doc = origin.document()?;
    let mut offset = 0;
    for line in doc.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with(&format!("{key}:")) || t.starts_with(&format!("\"{key}\"")) {
            return origin.span_in_document(offset + line.len() - t.len(), key.len());
        }
        offset += line.len();
    }
    origin.find_exact(&format!("\"{key}\""))
}

/// The controller ConfigMap's `server-snippet` (pasted into every server block)
/// and `location-snippet` (into every location): the same analysis, applied to
/// every rule of every host.
fn configmap_snippets(cx: &PassContext, ir: &mut Ir, report: &mut Report) {
    let cm = cx
        .options
        .nginx_configmap
        .as_ref()
        .and_then(|(ns, name)| cx.input.config_map(ns, name));
    for (key, scope) in [
        ("server-snippet", Scope::Server),
        ("location-snippet", Scope::Location),
    ] {
        let Some(text) = cx.config.get(key).filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        let from = Provenance::from(ProvenanceData {
            object: cm.map(|c| c.obj.clone()),
            annotation: Some(format!("ConfigMap {key}")),
            span: cm.and_then(|c| data_key_span(&c.origin, key)),
            ..Default::default()
        });
        let source = Source {
            key: format!("ConfigMap {key}"),
            text,
            from,
            live: true,
            path_locations: false,
            path_redirects: false,
        };
        report.push(source.at(Notification::warning(SNIPPET_REVIEW, format!("ConfigMap {key} is raw nginx configuration pasted into every {}: a human must review what it does; it applies to every emitted rule", if scope == Scope::Server { "server block" } else { "location" })))
            .suggest("snippets run with the controller's privileges; prefer Gateway API filters or your implementation's policies"));
        let applied = analyse(&source, scope, report);
        apply(
            ir.hosts.values_mut().flat_map(|h| h.rules.iter_mut()),
            &applied,
        );
    }
}

impl Pass for Snippets {
    fn name(&self) -> &'static str {
        "snippets"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &[
            "configuration-snippet",
            "server-snippet",
            "auth-snippet",
            "stream-snippet",
        ]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        // server-snippet: first Ingress (sorted order) of each host with a non-empty value.
        let mut server_owner: BTreeMap<HostId, crate::report::ObjectRef> = BTreeMap::new();
        for (i, ing) in cx.primaries() {
            let applied = process(cx, ing, "configuration-snippet", Scope::Location, report);
            // Most Ingresses have no snippet: nothing to look up for them.
            if !applied.filters.is_empty() || applied.redirect.is_some() {
                for at in ir.rules_of(&ing.obj) {
                    apply(ir.rule_mut(&at).into_iter(), &applied);
                }
            }
            if !applied.path_redirects.is_empty() {
                let ids: Vec<HostId> = ir.hosts.of_object(&ing.obj).map(|h| h.id.clone()).collect();
                for id in ids {
                    for (path, redirect, from) in &applied.path_redirects {
                        let Some(host) = ir.hosts.get_mut(&id) else {
                            continue;
                        };
                        if let Some(rule) =
                            location_path_redirect(cx, host, ing, path, redirect, from, report)
                        {
                            ir.hosts.push_rule(&id, rule);
                        }
                    }
                }
            }
            for key in ["auth-snippet", "stream-snippet"] {
                if let Some(text) = cx.annotation(ing, key) {
                    whole_untranslated(cx, ing, key, text, report);
                }
            }
            if cx
                .annotation(ing, "server-snippet")
                .is_none_or(|v| v.trim().is_empty())
            {
                continue;
            }
            let mut owned = Vec::new();
            for id in cx.rule_hosts(i) {
                match server_owner.get(&id) {
                    Some(first) if first != &ing.obj => {
                        report.push(
                            Notification::warning(SNIPPET_IGNORED, format!("server-snippet ignored for host {}: {first} is the first Ingress of the host with one, and ingress-nginx keeps only that", id.host))
                                .object(&ing.obj)
                                .field(cx.full_key("server-snippet"))
                                .span(cx.annotation_span(ing, "server-snippet")),
                        );
                    }
                    Some(_) => {}
                    None => {
                        server_owner.insert(id.clone(), ing.obj.clone());
                        owned.push(id);
                    }
                }
            }
            if owned.is_empty() {
                continue;
            }
            let applied = process(cx, ing, "server-snippet", Scope::Server, report);
            for id in owned {
                if let Some(host) = ir.hosts.get_mut(&id) {
                    apply(host.rules.iter_mut(), &applied);
                }
                // Server-level rewrites run before location matching.
                for (path, redirect, from) in &applied.path_redirects {
                    if let Some(rule) = ir
                        .hosts
                        .get_mut(&id)
                        .and_then(|host| add_path_redirect(host, ing, path, redirect, from))
                    {
                        ir.hosts.push_rule(&id, rule);
                    }
                }
                let mut added = Vec::new();
                if let Some(host) = ir.hosts.get(&id) {
                    for (m, filter) in &applied.closed_locations {
                        if cx.options.allow_insecure_translation {
                            report.push(
                                Notification::error(crate::emit::access::ACCESS_INSECURE, format!("host {}: the server-snippet location {m:?} is not emitted because of --allow-insecure-translation: those requests now reach the backend of the best-matching rule", host.id.host))
                                    .object(&ing.obj)
                                    .field(cx.full_key("server-snippet"))
                                    .span(cx.annotation_span(ing, "server-snippet")),
                            );
                        } else {
                            added.push(closed_location_rule(ing, m, filter));
                        }
                    }
                }
                for rule in added {
                    ir.hosts.push_rule(&id, rule);
                }
            }
        }
        configmap_snippets(cx, ir, report);
    }
}

/// Adds the filters (and redirect) to the proxied rules; redirect rules answer
/// before any location directive runs, so they are left alone.
fn apply<'a>(rules: impl Iterator<Item = &'a mut Rule>, applied: &Applied) {
    for rule in rules {
        if !matches!(rule.action, Action::Forward(_)) {
            continue;
        }
        rule.filters.extend(applied.filters.iter().cloned());
        if let Some(r) = &applied.redirect {
            rule.action = Action::Redirect(r.clone());
        }
    }
}

/// The rule whose nginx location serves `path` on a plain-mode host (§2.6):
/// `= P` for Exact paths and for Prefix paths without an Exact twin, else the
/// longest `P/` string prefix.
fn location_for(rules: &[Rule], path: &str) -> Option<usize> {
    let located = |r: &Rule| r.from.path.is_some();
    let exact = rules
        .iter()
        .position(|r| {
            located(r) && r.source_path.path_type.is_exact() && r.source_path.path == path
        })
        .or_else(|| {
            rules.iter().position(|r| {
                located(r) && !r.source_path.path_type.is_exact() && r.source_path.path == path
            })
        });
    exact.or_else(|| {
        rules
            .iter()
            .enumerate()
            .filter(|(_, r)| located(r) && !r.source_path.path_type.is_exact())
            .filter_map(|(i, r)| {
                let p = &r.source_path.path;
                let loc = if p.ends_with('/') {
                    p.clone()
                } else {
                    format!("{p}/")
                };
                path.starts_with(&loc)
                    .then_some((std::cmp::Reverse(loc.len()), i))
            })
            .min()
            .map(|(_, i)| i)
    })
}

/// A location-level literal `rewrite … permanent|redirect`: it fires only when the
/// request for `path` is served by one of this Ingress's locations.
fn location_path_redirect(
    cx: &PassContext,
    host: &mut VirtualHost,
    ing: &InputIngress,
    path: &str,
    redirect: &Redirect,
    from: &Provenance,
    report: &mut Report,
) -> Option<Rule> {
    if !host
        .rules
        .iter()
        .any(|r| r.from.object.as_ref() == Some(&ing.obj))
    {
        return None;
    }
    let notify = |msg: String| {
        Notification::warning(SNIPPET_UNTRANSLATED, msg)
            .object(&ing.obj)
            .field(from.annotation.clone().unwrap_or_default())
            .span(from.span.clone())
    };
    // §2.7: use-regex or rewrite-target on any Ingress of the host switches it to
    // regex locations (checked here too, whatever the pass order).
    let regex_host = host.regex_mode.is_some()
        || host
            .rules
            .iter()
            .filter_map(|r| r.from.object.as_ref())
            .any(|o| {
                cx.ingress(o).is_some_and(|i| {
                    cx.annotation_bool(i, "use-regex", false)
                        || cx
                            .annotation(i, "rewrite-target")
                            .is_some_and(|v| !v.trim().is_empty())
                })
            });
    if regex_host {
        report.push(notify(format!("host {}: the redirect of `{path}` is not translated: the host is in regex mode, so which location serves `{path}` depends on regex order", host.id.host)));
        return None;
    }
    match location_for(&host.rules, path) {
        Some(i) if host.rules[i].from.object.as_ref() == Some(&ing.obj) => {
            add_path_redirect(host, ing, path, redirect, from)
        }
        _ => {
            report.push(notify(format!("host {}: the redirect of `{path}` never fires in ingress-nginx: another Ingress's location (or the default backend) serves `{path}`; nothing is emitted", host.id.host)));
            None
        }
    }
}

/// An Exact `path` rule answering with `redirect`: the existing Exact rule of this
/// Ingress for that path, changed in place, or a new one, returned for the caller
/// to add with [`crate::ir::Hosts::push_rule`].
fn add_path_redirect(
    host: &mut VirtualHost,
    ing: &InputIngress,
    path: &str,
    redirect: &Redirect,
    from: &Provenance,
) -> Option<Rule> {
    if let Some(r) = host.rules.iter_mut().find(|r| {
        r.from.object.as_ref() == Some(&ing.obj)
            && r.source_path.path_type.is_exact()
            && r.source_path.path == path
            && matches!(r.action, Action::Forward(_))
    }) {
        r.action = Action::Redirect(redirect.clone());
        return None;
    }
    // No https_redirect: the rewrite runs before ingress-nginx's HTTPS redirect.
    Some(Rule::new(
        ing.namespace(),
        format!("{}-snippet-redirect", ing.name()),
        PathMatch::Exact(path.to_string()),
        SourcePath::new(path, SourcePathType::Exact),
        Action::Redirect(redirect.clone()),
        from.clone(),
    ))
}

/// A rule for a server-snippet `location` that nginx answers itself: it keeps the
/// path from falling through to another rule's backend (emitted fail-closed).
fn closed_location_rule(ing: &InputIngress, m: &PathMatch, filter: &RuleFilter) -> Rule {
    let (path, path_type) = match m {
        PathMatch::Exact(p) => (p.clone(), SourcePathType::Exact),
        PathMatch::Prefix(p) | PathMatch::Regex(p) => (p.clone(), SourcePathType::Prefix),
    };
    Rule {
        filters: vec![filter.clone()],
        ..Rule::new(
            ing.namespace(),
            format!("{}-server-snippet-location", ing.name()),
            m.clone(),
            SourcePath::new(path, path_type),
            Action::Forward(Vec::new()),
            filter.from.clone(),
        )
    }
}

/// auth-snippet / stream-snippet: nothing is translatable; every directive is named.
fn whole_untranslated(
    cx: &PassContext,
    ing: &InputIngress,
    key: &str,
    text: &str,
    report: &mut Report,
) {
    let full = cx.full_key(key);
    let span = cx.annotation_span(ing, key);
    let at = |n: Notification| n.object(&ing.obj).field(full.clone()).span(span.clone());
    let (what, instead) = if key == "stream-snippet" {
        (
            "the global stream {} block (TCP/UDP proxying)",
            "use TCPRoute/UDPRoute listeners for TCP/UDP services",
        )
    } else {
        (
            "the external-auth subrequest location",
            "configure the auth service itself, or your implementation's auth policy",
        )
    };
    report.push(at(Notification::warning(SNIPPET_REVIEW, format!("{key} is raw nginx configuration for {what}: a human must review it; nothing of it is translated"))).suggest(instead));
    match parser::parse(text) {
        Ok(ds) => {
            for d in ds {
                report.push(at(Notification::warning(
                    SNIPPET_UNTRANSLATED,
                    format!(
                        "{key}: `{}` ({} of the snippet) is not translated",
                        d.text, d.pos
                    ),
                )));
            }
        }
        Err(e) => report.push(at(Notification::error(
            SNIPPET_PARSE_ERROR,
            format!("{key} cannot be parsed ({e}); nothing is translated"),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Translation {
        translate(&parser::parse(src).unwrap()[0])
    }

    #[test]
    fn header_directives() {
        assert_eq!(
            one("more_set_headers \"X-Frame-Options: DENY\" 'X-Empty:';"),
            Translation::ResponseHeaders(
                HeaderEdits {
                    set: vec![("X-Frame-Options".into(), "DENY".into())],
                    remove: vec!["X-Empty".into()],
                    ..Default::default()
                },
                None
            )
        );
        assert!(matches!(
            one("more_set_headers -s 404 'X: y';"),
            Translation::No(_)
        ));
        assert!(matches!(
            one("more_set_headers 'X: $host';"),
            Translation::No(_)
        ));
        assert!(matches!(
            one("more_clear_headers 'X-Hidden-*';"),
            Translation::No(_)
        ));
        assert_eq!(
            one("more_clear_headers Server X-Powered-By;"),
            Translation::ResponseHeaders(
                HeaderEdits {
                    remove: vec!["Server".into(), "X-Powered-By".into()],
                    ..Default::default()
                },
                None
            )
        );
        assert!(matches!(
            one("add_header X-A b;"),
            Translation::ResponseHeaders(_, Some(_))
        ));
        assert!(matches!(
            one("add_header X-A b always;"),
            Translation::ResponseHeaders(_, None)
        ));
        assert_eq!(
            one("proxy_set_header X-Forwarded-Proto https;"),
            Translation::RequestHeaders(HeaderEdits {
                set: vec![("X-Forwarded-Proto".into(), "https".into())],
                ..Default::default()
            })
        );
        assert_eq!(
            one("proxy_set_header Accept-Encoding \"\";"),
            Translation::RequestHeaders(HeaderEdits {
                remove: vec!["Accept-Encoding".into()],
                ..Default::default()
            })
        );
        assert!(matches!(
            one("proxy_set_header X-Real-IP $remote_addr;"),
            Translation::No(_)
        ));
        // CR/LF in a quoted value (nginx unescapes `\r`): header injection, never translated.
        assert!(matches!(
            one("add_header X-A \"a\\r\\nSet-Cookie: x\";"),
            Translation::No(_)
        ));
        assert!(matches!(
            one("more_set_headers \"X A: b\";"),
            Translation::No(_)
        ));
    }

    #[test]
    fn exact_redirects_only() {
        assert_eq!(
            one("return 301 https://$host$request_uri;"),
            Translation::Redirect(Redirect {
                scheme: Some("https".into()),
                hostname: None,
                path: None,
                port: None,
                status: 301
            })
        );
        assert_eq!(
            one("return 308 $scheme://new.example.com:8443$request_uri;"),
            Translation::Redirect(Redirect {
                scheme: None,
                hostname: Some("new.example.com".into()),
                path: None,
                port: Some(8443),
                status: 308
            })
        );
        assert!(matches!(
            one("return 301 https://x.example.com/new;"),
            Translation::No(_)
        ));
        assert!(matches!(
            one("return 301 https://$http_host$request_uri;"),
            Translation::No(_)
        ));
        assert!(matches!(one("return 403;"), Translation::No(_)));
        assert_eq!(
            one("rewrite ^/(.*)$ https://www.example.com/$1 permanent;"),
            Translation::Redirect(Redirect {
                scheme: Some("https".into()),
                hostname: Some("www.example.com".into()),
                path: None,
                port: None,
                status: 301
            })
        );
        assert!(matches!(
            one("rewrite ^/old/(.*)$ /new/$1 permanent;"),
            Translation::No(_)
        ));
        assert!(matches!(
            one("rewrite ^(.*)$ https://$host$1 last;"),
            Translation::No(_)
        ));
    }

    #[test]
    fn literal_path_rewrites() {
        assert_eq!(
            one("rewrite ^(/kube)$ $1/kube/ permanent;"),
            Translation::PathRedirect {
                path: "/kube".into(),
                redirect: Redirect {
                    scheme: None,
                    hostname: None,
                    path: Some(PathRewrite::Full("/kube/kube/".into())),
                    port: None,
                    status: 301
                }
            }
        );
        assert!(matches!(
            one("rewrite ^/old\\.html$ https://new.example.com/new.html redirect;"),
            Translation::PathRedirect { ref path, .. } if path == "/old.html"
        ));
        // `.` unescaped matches any character; `?` in the target drops the query.
        assert!(matches!(
            one("rewrite ^/a.b$ /c permanent;"),
            Translation::No(_)
        ));
        assert!(matches!(
            one("rewrite ^/a$ /c? permanent;"),
            Translation::No(_)
        ));
        assert!(matches!(
            one("rewrite ^/a$ /$arg_x permanent;"),
            Translation::No(_)
        ));
    }

    fn located_rule(path: &str, exact: bool) -> Rule {
        Rule {
            namespace: "default".into(),
            name: path.into(),
            matches: Vec::new(),
            filters: Vec::new(),
            action: Action::Forward(Vec::new()),
            https_redirect: None,
            timeouts: None,
            retry: None,
            session_persistence: None,
            policy: None,
            source_path: SourcePath {
                path: path.into(),
                path_type: if exact {
                    SourcePathType::Exact
                } else {
                    SourcePathType::Prefix
                },
            },
            from: Provenance::from(ProvenanceData {
                path: Some(0),
                ..Default::default()
            }),
        }
    }

    #[test]
    fn nginx_location_for_a_path() {
        let rules = vec![
            located_rule("/", false),
            located_rule("/kube", false),
            located_rule("/kube/ui", true),
            located_rule("/api/", false),
        ];
        assert_eq!(location_for(&rules, "/kube"), Some(1), "`= /kube` copy");
        assert_eq!(location_for(&rules, "/kube/x"), Some(1));
        assert_eq!(location_for(&rules, "/kube/ui"), Some(2));
        assert_eq!(
            location_for(&rules, "/kubex"),
            Some(0),
            "`/kube/` does not match"
        );
        assert_eq!(location_for(&rules, "/api"), Some(0), "`/api/` only");
        assert_eq!(location_for(&rules[1..], "/other"), None);
    }

    #[test]
    fn server_snippet_locations() {
        let d = parser::parse("location /healthz { return 200; } location = /x { deny all; } location ~ ^/a { return 403; }").unwrap();
        assert_eq!(
            simple_location(&d[0]),
            Some(PathMatch::Prefix("/healthz".into()))
        );
        assert_eq!(simple_location(&d[1]), Some(PathMatch::Exact("/x".into())));
        assert_eq!(simple_location(&d[2]), None);
    }

    #[test]
    fn access_restricting_directives() {
        let d = parser::parse("deny all; return 403; return 301 https://$host$request_uri; return 200 ok; if ($a) { return 404; } access_by_lua_block { ngx.exit(403) }").unwrap();
        let r: Vec<bool> = d.iter().map(restricts_access).collect();
        // Only untranslated directives are asked; every `return` answers without the backend.
        assert_eq!(r, vec![true, true, true, true, true, true]);
        let d = parser::parse("more_set_headers 'X: y'; expires 1h;").unwrap();
        assert!(!d.iter().any(restricts_access));
        let d = parser::parse(
            "location /internal { return 404; } location /x { proxy_pass http://a; }",
        )
        .unwrap();
        assert!(restricts_access(&d[0]));
        assert!(!restricts_access(&d[1]));
    }

    /// Unknown means closed: only the harmless list stays open when untranslated.
    #[test]
    fn unknown_directives_fail_closed() {
        let closed = [
            "internal;",
            "ssl_verify_client on;",
            "include /etc/nginx/x.conf;",
            "modsecurity on;",
            "rewrite ^/a /b last;",
            "set $proxy_upstream_name other;",
            "error_page 404 = @x;",
            "proxy_pass http://other;",
            "client_max_body_size 1k;",
            "location /x { add_header X y; }",
            "if ($a) { add_header X y; }",
            "\u{a0}deny all;",
            "some_future_directive on;",
        ];
        for src in closed {
            let d = parser::parse(src).unwrap();
            assert!(fails_closed(&d[0]), "{src} must fail closed");
        }
        let open = [
            "add_header X $host;",
            "more_set_headers -s 404 'X: y';",
            "proxy_set_header X-Real-IP $remote_addr;",
            "expires 1h;",
            "gzip on;",
            "proxy_read_timeout 30s;",
            "access_log off;",
        ];
        for src in open {
            let d = parser::parse(src).unwrap();
            assert!(!fails_closed(&d[0]), "{src} is harmless");
        }
    }
}
