//! A plain `nginx.conf` (no Lua) that routes like ingress-nginx for the same
//! Ingresses (reference §3.2–3.5), used to check [`NginxModel`] against a real
//! nginx (`tests/nginx_agreement.rs`).
//!
//! It is rendered from the model's servers and locations (class selection, Ingress
//! order, merging, location sort/expansion, regex mode), so what the real nginx
//! checks is everything that happens per request: server selection, location
//! matching and `auto_redirect`, URL normalisation, `return`s, `rewrite … break`,
//! raw-URI forwarding. The Lua parts become plain directives: the ssl-redirect is
//! an `if ($scheme = http) { return … }` before the rewrite, the canary choice is a
//! series of `if`s setting the upstream of a variable `proxy_pass`.
//!
//! Every upstream is a local `server` that answers `200 svc=<ns>/<name>:<port>
//! uri=<request URI it received> xfp=<X-Forwarded-Prefix>`; the default backend
//! answers `404 default-backend`. Ports are chosen by the caller. External
//! auth (`auth_request` to an internal location, `error_page 401` to the
//! sign-in redirect) and mirrors (`mirror` to an internal location) go to the
//! caller's authorization server and mirror recorder ([`Listen::auth`],
//! [`Listen::mirror`]).

use crate::verify::nginx_model::{
    CATCH_ALL, Location, LocationKind, NginxModel, Server, Upstream, quote,
};
use crate::verify::request::ServiceTarget;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

/// The upstream name of ingress-nginx's default backend.
pub const DEFAULT_BACKEND: &str = "upstream-default-backend";

/// Loopback ports and files the rendered configuration uses.
#[derive(Debug, Clone)]
pub struct Listen {
    /// Plain HTTP front port.
    pub http: u16,
    /// TLS front port.
    pub https: u16,
    /// Upstream name → backend port (every name of [`upstreams`]).
    pub backends: BTreeMap<String, u16>,
    pub cert: PathBuf,
    pub key: PathBuf,
    /// The loopback port of an authorization server that answers every
    /// `auth-url` subrequest (`None`: external auth is not rendered). The
    /// subrequest carries `X-Ing-Auth-Service: <service>` and the client's
    /// headers.
    pub auth: Option<u16>,
    /// The loopback port of a server that records mirrored requests (`None`:
    /// mirrors are not rendered). Each copy carries `X-Ing-Mirror-Target:
    /// <target>` and the client's headers, with `Host` set to `mirror-host`.
    pub mirror: Option<u16>,
}

/// Every upstream the configuration needs: name → Service port (`None` for the
/// default backend).
pub fn upstreams(model: &NginxModel) -> BTreeMap<String, Option<ServiceTarget>> {
    let mut out = BTreeMap::new();
    out.insert(DEFAULT_BACKEND.to_string(), None);
    for l in model.servers.iter().flat_map(|s| &s.locations) {
        if let Upstream::Service { name, target } = &l.upstream {
            out.insert(name.clone(), Some(target.clone()));
        }
    }
    for c in model.canaries.values() {
        out.insert(c.upstream.clone(), Some(c.target.clone()));
    }
    out
}

/// The body a backend answers with, parsed back by the harness.
pub fn backend_body(t: &ServiceTarget) -> String {
    format!("svc={}/{}:{}", t.namespace, t.name, t.port)
}

/// Renders the configuration.
pub fn render(model: &NginxModel, listen: &Listen) -> String {
    let mut c = String::new();
    let _ = writeln!(
        c,
        "worker_processes 1;\nerror_log error.log;\npid nginx.pid;\nevents {{ worker_connections 512; }}\nhttp {{"
    );
    for line in [
        "access_log off;",
        "client_body_temp_path tmp/client_body;",
        "proxy_temp_path tmp/proxy;",
        "fastcgi_temp_path tmp/fastcgi;",
        "uwsgi_temp_path tmp/uwsgi;",
        "scgi_temp_path tmp/scgi;",
        "server_names_hash_bucket_size 256;",
        "server_names_hash_max_size 8192;",
        "server_name_in_redirect off;",
        "port_in_redirect off;",
        "proxy_http_version 1.1;",
        // A probe's client address other than the loopback one the test sends
        // from arrives as X-Forwarded-For (ingress-nginx's realip with
        // use-forwarded-headers does the same).
        "set_real_ip_from 127.0.0.1;",
        "real_ip_header X-Forwarded-For;",
        "map $request_uri $ing_uri_noslash { \"~^(?<p>.*)/$\" $p; default $request_uri; }",
        "map $http_host $ing_redirect_host { \"~^(?<h>[^:]+)\" $h; default $host; }",
    ] {
        let _ = writeln!(c, "  {line}");
    }
    let _ = writeln!(
        c,
        "  ssl_certificate {};",
        quote(&listen.cert.display().to_string())
    );
    let _ = writeln!(
        c,
        "  ssl_certificate_key {};",
        quote(&listen.key.display().to_string())
    );
    for (name, port) in &listen.backends {
        let _ = writeln!(c, "  upstream {name} {{ server 127.0.0.1:{port}; }}");
    }
    for server in &model.servers {
        render_server(&mut c, model, server, listen);
    }
    for (name, target) in upstreams(model) {
        let Some(port) = listen.backends.get(&name) else {
            continue;
        };
        let answer = match target {
            Some(t) => format!(
                "return 200 {};",
                quote(&format!(
                    "{} uri=$request_uri xfp=$http_x_forwarded_prefix\n",
                    backend_body(&t)
                ))
            ),
            None => "return 404 \"default-backend\";".to_string(),
        };
        let _ = writeln!(
            c,
            "  server {{ listen 127.0.0.1:{port}; location / {{ {answer} }} }}"
        );
    }
    c.push_str("}\n");
    c
}

fn render_server(c: &mut String, model: &NginxModel, server: &Server, listen: &Listen) {
    let default = if server.name == CATCH_ALL {
        " default_server"
    } else {
        ""
    };
    let name = match &server.wildcard {
        Some(suffix) => format!(
            "~^(?<subdomain>[\\w-]+)\\.{}$",
            regex_syntax::escape(suffix)
        ),
        None => server.name.clone(),
    };
    let _ = writeln!(c, "  server {{");
    let _ = writeln!(c, "    listen 127.0.0.1:{}{default};", listen.http);
    let _ = writeln!(c, "    listen 127.0.0.1:{} ssl{default};", listen.https);
    let _ = writeln!(c, "    server_name {};", quote(&name));
    if server.forbidden {
        let _ = writeln!(c, "    return 403;");
    }
    if let Some((root, _)) = &server.app_root {
        let _ = writeln!(
            c,
            "    if ($uri = /) {{ return 302 $scheme://$http_host{root}; }}"
        );
    }
    // The certificate lookup by request host; for `_` no request host has one.
    let cert = match &server.wildcard {
        Some(suffix) => model.has_cert(&format!("x.{suffix}")),
        None => server.name != CATCH_ALL && model.has_cert(&server.name),
    };
    for (i, l) in server.locations.iter().enumerate() {
        render_location(c, model, l, cert, listen, i);
    }
    let _ = writeln!(c, "  }}");
}

fn render_location(
    c: &mut String,
    model: &NginxModel,
    l: &Location,
    cert: bool,
    listen: &Listen,
    index: usize,
) {
    // The internal locations ingress-nginx adds for external auth and mirrors
    // (`/_external-auth-…`, `/_mirror-<uid>`), one per location here.
    // Locations the model does not decide are not probed: nothing to render
    // (an `auth-signin` with a Lua variable would not even load).
    let ann_all = l
        .ingress
        .map(|i| &model.ingresses[i].ann)
        .filter(|a| a.location_not_modelled.is_none());
    let auth = ann_all
        .and_then(|a| a.external_auth.as_ref())
        .zip(listen.auth)
        .filter(|_| l.kind == LocationKind::Ingress);
    let mirror = ann_all
        .and_then(|a| a.mirror.as_ref())
        .zip(listen.mirror)
        .filter(|_| l.kind == LocationKind::Ingress);
    if let Some(((service, signin), port)) = auth {
        let _ = writeln!(
            c,
            "    location = /_ing_external_auth_{index} {{ internal; proxy_pass_request_body off; proxy_set_header Content-Length \"\"; proxy_set_header X-Ing-Auth-Service {}; proxy_pass http://127.0.0.1:{port}; }}",
            quote(service)
        );
        if let Some(signin) = signin {
            // ingress-nginx's `buildAuthSignURL`: `rd=` after `?` or `&`; the
            // request URI is escaped by Lua there, raw here.
            let sep = if signin.contains('?') { '&' } else { '?' };
            let _ = writeln!(
                c,
                "    location @ing_signin_{index} {{ return 302 {}; }}",
                quote(&format!("{signin}{sep}rd=$scheme://$http_host$request_uri"))
            );
        }
    }
    if let Some((m, port)) = mirror {
        let host = m
            .host
            .as_ref()
            .map(|h| format!(" proxy_set_header Host {};", quote(h)))
            .unwrap_or_default();
        let _ = writeln!(
            c,
            "    location = /_ing_mirror_{index} {{ internal; proxy_set_header X-Ing-Mirror-Target {};{host} proxy_pass http://127.0.0.1:{port}$request_uri; }}",
            quote(&m.target)
        );
    }
    let _ = writeln!(c, "    {} {{", l.directive());
    match l.kind {
        LocationKind::Healthz => {
            let _ = writeln!(c, "      return 200;\n    }}");
            return;
        }
        LocationKind::NginxStatus => {
            let _ = writeln!(c, "      return 403;\n    }}");
            return;
        }
        LocationKind::Ingress => {}
    }
    if l.ingress
        .is_some_and(|i| model.ingresses[i].denied.is_some())
    {
        let _ = writeln!(c, "      return 503;\n    }}");
        return;
    }
    // ingress-nginx writes `client_max_body_size` into every Ingress location
    // as the value reads (nginx parses the unit); a value nginx cannot read is
    // not rendered (its probes are not modelled).
    if let Some(b) = model.body_limit(l).filter(|b| b.bytes.is_ok()) {
        let _ = writeln!(c, "      client_max_body_size {};", b.raw);
    }
    if let Some(access) = l.ingress.map(|i| &model.ingresses[i].ann.access) {
        render_access(c, access);
    }
    let ann = l
        .ingress
        .map(|i| &model.ingresses[i].ann)
        .filter(|_| !l.no_rewrite_redirect);
    if let Some((code, url)) = ann.and_then(|a| a.redirect.as_ref()) {
        let _ = writeln!(c, "      return {code} {};", quote(url));
    }
    let (ssl, force, preserve) = ann.map_or(model.cm_ssl, |a| {
        (
            a.ssl_redirect,
            a.force_ssl_redirect,
            a.preserve_trailing_slash,
        )
    });
    if !model.no_tls_redirect(&l.name) && (force || (ssl && cert)) {
        let uri = if preserve {
            "$request_uri"
        } else {
            "$ing_uri_noslash"
        };
        let _ = writeln!(
            c,
            "      if ($scheme = http) {{ return {} https://$ing_redirect_host{uri}; }}",
            model.http_redirect_code
        );
    }
    if let Some(((_, signin), _)) = auth {
        let _ = writeln!(c, "      auth_request /_ing_external_auth_{index};");
        if signin.is_some() {
            let _ = writeln!(c, "      error_page 401 = @ing_signin_{index};");
        }
    }
    if mirror.is_some() {
        let _ = writeln!(c, "      mirror /_ing_mirror_{index};");
    }
    let pass = match &l.upstream {
        Upstream::Unresolved(_) => {
            let _ = writeln!(c, "      return 503;\n    }}");
            return;
        }
        Upstream::Default => super::nginx_conf::DEFAULT_BACKEND.to_string(),
        Upstream::Service { name, .. } => match model.canaries.get(name) {
            Some(canary) if canary.not_modelled.is_none() => {
                render_canary(c, name, canary);
                "$ing_target".to_string()
            }
            _ => name.clone(),
        },
    };
    if let Some((re, target)) = &l.rewrite {
        let _ = writeln!(
            c,
            "      rewrite {} {} break;",
            quote(&format!("(?i){}", re.source)),
            quote(target)
        );
        if let Some(x) = ann.and_then(|a| a.x_forwarded_prefix.as_ref()) {
            let _ = writeln!(c, "      proxy_set_header X-Forwarded-Prefix {};", quote(x));
        }
    }
    let _ = writeln!(c, "      proxy_pass http://{pass};\n    }}");
}

/// The access phase: `deny` list, `allow … deny all`, basic/digest auth. The
/// password file is never read for a request without `Authorization`, which
/// is all the probes send.
fn render_access(c: &mut String, access: &crate::verify::nginx_model::access::Access) {
    use crate::verify::nginx_model::access::AuthKind;
    for d in &access.deny {
        let _ = writeln!(c, "      deny {d};");
    }
    for a in &access.allow {
        let _ = writeln!(c, "      allow {a};");
    }
    if !access.allow.is_empty() {
        let _ = writeln!(c, "      deny all;");
    }
    match &access.auth {
        // Debian's nginx has no digest module; both answer 401 without credentials.
        Some((AuthKind::Basic | AuthKind::Digest, realm)) => {
            let _ = writeln!(
                c,
                "      auth_basic {};\n      auth_basic_user_file /dev/null;",
                quote(if realm.is_empty() {
                    "Authentication Required"
                } else {
                    realm
                })
            );
        }
        None => {}
    }
}

/// balancer.lua's decision as `if`s, lowest precedence first.
fn render_canary(
    c: &mut String,
    primary: &str,
    canary: &crate::verify::nginx_model::canary::Canary,
) {
    let alt = &canary.upstream;
    let p = &canary.policy;
    let _ = writeln!(c, "      set $ing_target {primary};");
    if p.weight > 0 && p.weight >= p.weight_total {
        let _ = writeln!(c, "      set $ing_target {alt};");
    }
    if let Some(cookie) = &p.cookie {
        let var = format!("$cookie_{cookie}");
        let _ = writeln!(
            c,
            "      if ({var} = \"always\") {{ set $ing_target {alt}; }}"
        );
        let _ = writeln!(
            c,
            "      if ({var} = \"never\") {{ set $ing_target {primary}; }}"
        );
    }
    if let Some(h) = &p.header {
        let var = format!("$http_{}", h.to_ascii_lowercase().replace('-', "_"));
        if let Some(v) = &p.header_value {
            let _ = writeln!(
                c,
                "      if ({var} = {}) {{ set $ing_target {alt}; }}",
                quote(v)
            );
        } else if let Some((pattern, _)) = &p.header_pattern {
            let _ = writeln!(
                c,
                "      if ({var} ~ {}) {{ set $ing_target {alt}; }}",
                quote(pattern)
            );
        } else {
            let _ = writeln!(
                c,
                "      if ({var} = \"always\") {{ set $ing_target {alt}; }}"
            );
            let _ = writeln!(
                c,
                "      if ({var} = \"never\") {{ set $ing_target {primary}; }}"
            );
        }
    }
}
