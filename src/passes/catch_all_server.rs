//! The controller's own catch-all server.
//!
//! ## What ingress-nginx does
//! Requests for a host without a server of its own reach the `_` server, which
//! besides the default backend has a built-in `location /healthz { return 200; }`
//! — a plain prefix location, so `/healthz`, `/healthz/x` and `/healthzfoo` answer
//! 200 for any unknown host (load balancer health checks often rely on it).
//!
//! ## What Gateway API offers
//! Nothing built in: a Gateway answers 404 when no route matches.
//!
//! ## What we emit / warn
//! Nothing is emitted (the endpoint belongs to the controller, not to an
//! Ingress); one **info** per run whose field is the path, so `ing2gw verify`
//! can attribute the differing requests to it. It says what the Gateway does
//! instead: 404, or — when a host-less rule matches `/healthz` (its route has no
//! hostnames, so it takes every host without a route of its own) — that rule's
//! backend or redirect. Info, not warning: no Ingress of the user is translated
//! differently, and it only matters if something (a load balancer, an uptime
//! check) calls `/healthz` on a host without an Ingress — a warning raised on
//! every run made `--fail-on warning` unusable.

use super::{Pass, PassContext};
use crate::ir::{Action, HostKey, Ir, PathMatch, Rule};
use crate::report::{Code, Notification, Report};

pub const CATCH_ALL_HEALTHZ: Code = Code("catch-all-healthz");

/// The path prefix the catch-all server answers itself.
pub const HEALTHZ: &str = "/healthz";

pub struct CatchAllServer;

impl Pass for CatchAllServer {
    fn name(&self) -> &'static str {
        "catch-all-server"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        if cx.ingresses.is_empty() {
            return;
        }
        let gateway = ir
            .hosts
            .values()
            .filter(|h| h.id.host == HostKey::CatchAll)
            .flat_map(|h| h.rules.iter())
            .find(|r| matches_healthz(r))
            .map(|r| {
                let ingress = r
                    .from
                    .object
                    .as_ref()
                    .map(|o| o.to_string())
                    .unwrap_or_else(|| "an Ingress".into());
                let does = match &r.action {
                    Action::Forward(b) if b.is_empty() => "answers 500 (no backend)".to_string(),
                    Action::Forward(b) => format!(
                        "forwards them to {}",
                        b.iter()
                            .map(|b| format!("{}/{}:{}", b.namespace, b.service, b.port))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Action::Redirect(_) => "redirects them".to_string(),
                };
                format!(
                    "the Gateway's host-less rule `{}` of {ingress} matches them and {does}",
                    r.source_path.path
                )
            })
            .unwrap_or_else(|| NO_HEALTHZ_RULE.into());
        report.push(
            Notification::info(
                CATCH_ALL_HEALTHZ,
                format!("ingress-nginx's catch-all server answers 200 to `/healthz` (and every path starting with it) for hosts without an Ingress rule; {gateway}"),
            )
            .field(HEALTHZ)
            .suggest("if load balancer or uptime checks call /healthz on the ingress address, point them at a route of your own (e.g. an HTTPRoute with an Exact /healthz match) or at your implementation's health endpoint"),
        );
    }
}

/// How the healthz note ends when no host-less rule takes `/healthz`.
const NO_HEALTHZ_RULE: &str = "the Gateway answers 404";

/// A run translated shard by shard (`crate::shard`) gets this note from every
/// shard, and only the shard with the catch-all server knows its rules: the
/// notes that say a shard saw no host-less `/healthz` rule go when another
/// shard saw one.
pub fn keep_one_healthz_note(report: &mut Report) {
    let is_note = |n: &crate::report::Notification| n.code == CATCH_ALL_HEALTHZ;
    let found_rule = report
        .iter()
        .any(|n| is_note(n) && !n.message.ends_with(NO_HEALTHZ_RULE));
    if found_rule {
        report.retain(|n| !(is_note(n) && n.message.ends_with(NO_HEALTHZ_RULE)));
    }
}

/// True when a request for `/healthz` matches `rule` (Gateway API semantics).
fn matches_healthz(rule: &Rule) -> bool {
    rule.matches
        .iter()
        .any(|m| path_matches_healthz(m.path.as_ref()))
}

fn path_matches_healthz(path: Option<&PathMatch>) -> bool {
    match path {
        None => true,
        Some(PathMatch::Exact(p)) => p == HEALTHZ,
        Some(PathMatch::Prefix(p)) => {
            let p = p.trim_end_matches('/');
            HEALTHZ == p
                || HEALTHZ
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
        Some(PathMatch::Regex(r)) => {
            regex::Regex::new(&format!("^(?:{r})$")).is_ok_and(|re| re.is_match(HEALTHZ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: PathMatch) -> bool {
        path_matches_healthz(Some(&path))
    }

    #[test]
    fn healthz_matches_like_gateway_api() {
        assert!(rule(PathMatch::Prefix("/".into())));
        assert!(rule(PathMatch::Prefix("/healthz/".into())));
        assert!(rule(PathMatch::Exact("/healthz".into())));
        assert!(rule(PathMatch::Regex("/health.*".into())));
        assert!(!rule(PathMatch::Prefix("/health".into())));
        assert!(!rule(PathMatch::Regex("/h".into())));
    }
}
