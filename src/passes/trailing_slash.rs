//! The trailing-slash 301 (nginx `auto_redirect`).
//!
//! ## What ingress-nginx does
//! In a plain-mode host (not regex mode), a request whose normalised URI `u` names
//! no location exactly while a location named `u/` exists (from a Prefix or Exact
//! path written with a trailing slash, e.g. `/foo/`) gets `301` to `u/`, query kept.
//! It precedes ssl-redirect, auth and rewrites. Never in regex mode; never for
//! Prefix `/foo` (its exact copy `= /foo` exists).
//!
//! ## What Gateway API offers
//! Nothing implicit: `PathPrefix /foo/` matches `/foo` directly, `Exact /foo/` 404s it.
//!
//! ## What we emit
//! An `Exact u` rule with a 301 `RequestRedirect` to `u/` (Gateway API keeps the
//! query), before any HTTPS redirect, as nginx does.
//!
//! ## What we warn
//! Info per redirect added; with `--quirks` not keeping `trailing-slash-redirect`,
//! a warning per path whose behaviour changes, with the request that shows it.

use super::quirks::Quirk;
use super::{Pass, PassContext, locations};
use crate::ir::*;
use crate::report::{Code, Notification, Report};

pub const TRAILING_SLASH_REDIRECT: Code = Code("trailing-slash-redirect");
pub const TRAILING_SLASH_DROPPED: Code = Code("trailing-slash-redirect-dropped");

pub struct TrailingSlash;

impl Pass for TrailingSlash {
    fn name(&self) -> &'static str {
        "trailing-slash"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let keep = cx.options.quirks.keeps(Quirk::TrailingSlashRedirect);
        let mut new_rules = Vec::new();
        for host in ir.hosts.values() {
            if host.regex_mode.is_some() {
                continue;
            }
            let names = locations::plain_location_names(&host.rules);
            let mut added = Vec::new();
            for r in host.rules.iter().filter(|r| r.from.path.is_some()) {
                let p = &r.source_path.path;
                if p == "/" || !p.ends_with('/') {
                    continue;
                }
                let u = &p[..p.len() - 1];
                if names.iter().any(|(n, _)| n == u)
                    || added.iter().any(|a: &Rule| a.source_path.path == u)
                {
                    continue;
                }
                let what = if r.source_path.path_type.is_exact() {
                    "Exact"
                } else {
                    "Prefix"
                };
                if !keep {
                    report.push(
                        Notification::warning(
                            TRAILING_SLASH_DROPPED,
                            format!(
                                "GET {u} on host {}: ingress-nginx answers 301 → {p}; without the trailing-slash-redirect quirk the Gateway answers {}",
                                host.id.host,
                                if r.source_path.path_type.is_exact() { "404" } else { "from the backend directly (PathPrefix ignores the trailing slash)" }
                            ),
                        )
                        .object(r.from.object.as_ref().unwrap_or(&host.owner))
                        .span(r.from.span.clone()),
                    );
                    continue;
                }
                report.push(
                    Notification::info(
                        TRAILING_SLASH_REDIRECT,
                        format!("{what} path `{p}` on host {}: added Exact `{u}` → 301 `{p}` (nginx redirects the path without its trailing slash)", host.id.host),
                    )
                    .object(r.from.object.as_ref().unwrap_or(&host.owner))
                    .span(r.from.span.clone())
                    .suggest("drop it with --quirks if clients never request the path without the slash"),
                );
                added.push(Rule::new(
                    r.namespace.clone(),
                    format!("{}-trailing-slash", r.name),
                    PathMatch::Exact(u.to_string()),
                    SourcePath::new(u, SourcePathType::Exact),
                    Action::Redirect(Redirect {
                        scheme: None,
                        hostname: None,
                        path: Some(PathRewrite::Full(p.clone())),
                        port: None,
                        status: 301,
                    }),
                    Provenance::from(ProvenanceData {
                        path: None,
                        ..ProvenanceData::clone(&r.from)
                    }),
                ));
            }
            new_rules.extend(added.into_iter().map(|r| (host.id.clone(), r)));
        }
        for (id, rule) in new_rules {
            ir.hosts.push_rule(&id, rule);
        }
    }
}
