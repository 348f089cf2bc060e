//! Protected locations whose path Gateway API cannot express.
//!
//! ## What ingress-nginx does
//! A location's access control (auth-url, auth-type, allow/deny lists, client
//! certificates, snippets, ModSecurity, …) applies to exactly the requests its
//! path matches; in regex mode that is the caseless PCRE `^P` on the normalised
//! URI, which may use constructs RE2 lacks (look-around, backreferences).
//!
//! ## What Gateway API offers
//! RE2 `RegularExpression` matches only. A rule that is left out lets its
//! requests fall through to whatever else matches on the host — typically an
//! open `/` of another Ingress, which would serve protected content.
//!
//! ## What we emit
//! `regex_mode` keeps such a rule with a caseless literal-prefix match that
//! covers every request the location could match
//! ([`crate::paths::regex::cover_pattern`]) and marks it
//! [`AccessRequirement::UnexpressiblePath`]; the emitter always writes it
//! fail-closed (no backendRefs: HTTP 500). Requests the cover takes that
//! ingress-nginx sends elsewhere answer 500 too: the approximation errs closed.
//!
//! ## What we warn
//! `regex_mode` reports the untranslatable pattern; this pass runs after every
//! access-control pass and adds, per protected rule, an error naming the
//! protection at stake, the host and the path.

use super::{Pass, PassContext};
use crate::emit::access::Located;
use crate::ir::*;
use crate::report::{Code, Notification, Report};

pub const PROTECTED_PATH_FAIL_CLOSED: Code = Code("protected-path-fail-closed");

pub struct UnexpressiblePaths;

impl Pass for UnexpressiblePaths {
    fn name(&self) -> &'static str {
        "unexpressible-paths"
    }
    fn run(&self, _cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for host in ir.hosts.values() {
            for rule in &host.rules {
                let Some((path, cover)) = rule.filters.iter().find_map(|f| match &f.filter {
                    Filter::AccessControl(AccessRequirement::UnexpressiblePath { path, cover }) => {
                        Some((path, cover))
                    }
                    _ => None,
                }) else {
                    continue;
                };
                let protections: Vec<String> = rule
                    .filters
                    .iter()
                    .filter_map(|f| protection(&f.filter))
                    .collect();
                if protections.is_empty() {
                    continue;
                }
                report.push(
                    Notification::error(
                        PROTECTED_PATH_FAIL_CLOSED,
                        format!(
                            "path `{path}` on host {} is protected in ingress-nginx by {}; Gateway API cannot express the path, so its rule is emitted fail-closed with the match `{cover}`: every request the location could match answers 500 and none reaches another (possibly open) rule of the host",
                            host.id.host,
                            protections.join(", ")
                        ),
                    )
                    .suggest("rewrite the path without the PCRE-only construct so the rule and its protection can be emitted, or enforce the protection with your implementation's policy on an implementation-specific route")
                    .located(&rule.from),
                );
            }
        }
    }
}

/// What a filter protects the location with, when it is access control.
fn protection(f: &Filter) -> Option<String> {
    match f {
        Filter::AccessControl(AccessRequirement::UnexpressiblePath { .. }) => None,
        Filter::AccessControl(req) => Some(req.describe()),
        Filter::ExternalAuth(a) => Some(format!(
            "external authentication via Service {}/{} port {}",
            a.backend.namespace, a.backend.service, a.backend.port
        )),
        _ => None,
    }
}
