//! ssl-redirect, force-ssl-redirect, preserve-trailing-slash.
//!
//! ## What ingress-nginx does
//! A plain-HTTP request is redirected to `https://<host><request_uri>` when the
//! location has `force-ssl-redirect`, or `ssl-redirect` (default true, ConfigMap
//! `ssl-redirect`) and the host has TLS (any Ingress of the host with `spec.tls`).
//! Status: ConfigMap `http-redirect-code` (308). One trailing `/` of the whole
//! request URI is removed (`/api/` → `https://host/api`, `/` → `https://host`)
//! unless `preserve-trailing-slash`. Unmatched paths of the host follow the owner
//! Ingress's settings (implicit `/` location). A location whose path starts with
//! an entry of ConfigMap `no-tls-redirect-locations` (default
//! `/.well-known/acme-challenge`, so ACME HTTP-01 challenges are answered on plain
//! HTTP) never redirects; the comparison is with the location path, not the
//! request, so a challenge request that falls into `/` is redirected.
//!
//! ## What Gateway API offers
//! `RequestRedirect` with `scheme: https` and a status code on a route attached to
//! the HTTP listener; it keeps the path unchanged.
//!
//! ## What we emit
//! Per rule, on the HTTP listener, the redirect (the emitter builds an HTTP-side
//! route; when every rule redirects, a single catch-all redirect). Rules of
//! exempt paths carry no redirect: the HTTP-side route forwards them like the
//! HTTPS side.
//!
//! ## What we warn
//! The stripped trailing slash cannot be reproduced (warning, once per host). Each
//! rule kept on plain HTTP by `no-tls-redirect-locations` is named (info).

use super::quirks::Quirk;
use super::{Pass, PassContext};
use crate::emit::access::Located;
use crate::ir::*;
use crate::report::{Code, Notification, Report};

pub const SSL_REDIRECT_SLASH: Code = Code("ssl-redirect-trailing-slash");
pub const NO_TLS_REDIRECT: Code = Code("no-tls-redirect-location");

pub struct SslRedirect;

impl Pass for SslRedirect {
    fn name(&self) -> &'static str {
        "ssl-redirect"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &[
            "ssl-redirect",
            "force-ssl-redirect",
            "preserve-trailing-slash",
        ]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let status = cx.config.http_redirect_code();
        let cm_ssl = cx.config.bool("ssl-redirect", true);
        let cm_force = cx.config.bool("force-ssl-redirect", false);
        let cm_preserve = cx.config.bool("preserve-trailing-slash", false);
        let decide = |obj: &crate::report::ObjectRef, has_tls: bool| -> Option<HttpsRedirect> {
            let ing = cx.ingress(obj)?;
            let force = cx.annotation_bool(ing, "force-ssl-redirect", cm_force);
            let ssl = cx.annotation_bool(ing, "ssl-redirect", cm_ssl);
            let preserve = cx.annotation_bool(ing, "preserve-trailing-slash", cm_preserve);
            (force || (ssl && has_tls)).then_some(HttpsRedirect {
                status,
                strips_slash: !preserve,
            })
        };
        let exempt_prefixes = cx.config.no_tls_redirect_locations();
        let exempt = |path: &str| {
            exempt_prefixes
                .iter()
                .find(|p| path.starts_with(p.as_str()))
        };
        for host in ir.hosts.values_mut() {
            let has_tls = host.tls.is_some();
            let mut strips = false;
            // Every Ingress whose requests get the redirect hears about the slash.
            let mut stripping: std::collections::BTreeSet<crate::report::ObjectRef> =
                Default::default();
            for rule in &mut host.rules {
                if let Some(obj) = rule.from.object.clone() {
                    rule.https_redirect = decide(&obj, has_tls);
                    if rule.https_redirect.is_some()
                        && let Some(prefix) = exempt(&rule.source_path.path)
                    {
                        rule.https_redirect = None;
                        report.push(
                            Notification::info(
                                NO_TLS_REDIRECT,
                                format!(
                                    "host {}: path `{}` starts with `{prefix}` (ConfigMap no-tls-redirect-locations): ingress-nginx serves it on plain HTTP instead of redirecting to HTTPS, so the HTTP-side route forwards it too",
                                    host.id.host, rule.source_path.path
                                ),
                            )
                            .located(&rule.from),
                        );
                    }
                    if rule.https_redirect.is_some_and(|r| r.strips_slash) {
                        strips = true;
                        stripping.insert(obj);
                    }
                }
            }
            host.implicit_root.https_redirect =
                decide(&host.owner, has_tls).filter(|_| exempt("/").is_none());
            if host
                .implicit_root
                .https_redirect
                .is_some_and(|r| r.strips_slash)
            {
                strips = true;
                stripping.insert(host.owner.clone());
            }
            if !strips || !cx.options.quirks.keeps(Quirk::SslRedirectStripSlash) {
                continue;
            }
            for obj in &stripping {
                // The quirk is kept but cannot be reproduced: an approximation.
                report.push(
                    Notification::warning(
                        SSL_REDIRECT_SLASH,
                        format!(
                            "host {}: ingress-nginx's HTTP→HTTPS redirect strips one trailing slash (`/api/` → `https://{}/api`); Gateway API RequestRedirect keeps the path, so the redirect target differs only by that slash",
                            host.id.host,
                            host.id.host.hostname().unwrap_or("host")
                        ),
                    )
                    .object(obj)
                    .suggest("usually harmless (the next request gets the trailing-slash 301 or the same content); set preserve-trailing-slash to make both sides agree, or accept the difference with --quirks excluding ssl-redirect-strip-slash"),
                );
            }
        }
    }
}
