//! Access control on a host's implicit `/` (a report, no annotation of its own).
//!
//! ## What ingress-nginx does
//! Every server gets a `location /` when it is created. Until an Ingress defines
//! `/` (Prefix or ImplementationSpecific), it serves the host's unmatched paths
//! with the first Ingress's `spec.defaultBackend`, else the controller's default
//! backend (404), and it carries **all location annotations of that first
//! Ingress** (reference §2.3, kubernetes/ingress-nginx#9435): its `auth-url`,
//! basic auth, allow/deny lists. A host whose only Ingress has `auth-url` and
//! path `/app` therefore asks the auth service for `/x` and answers 401 (or the
//! `auth-signin` redirect) to rejected clients, 404 to the others.
//!
//! ## What Gateway API offers
//! A rule needs a backend to answer anything but 500: there is no "404 after
//! authentication". Requests no rule matches get the implementation's 404.
//!
//! ## What we emit
//! With a `spec.defaultBackend`, `ingress_rules` emits a `/` rule for it and the
//! access passes put the owner's requirements on it (enforced or fail-closed).
//! Without one, nothing: the Gateway answers those paths 404 without asking,
//! and serves no content there either way, so nothing is opened.
//!
//! ## What we warn
//! One warning per host (a warning: the answer to rejected clients changes), naming the host, the implicit `/` and the access
//! settings that ingress-nginx applies there: only the status of rejected
//! clients differs (401/403/redirect to sign-in versus 404), and the auth
//! service no longer sees those requests.

use super::{Pass, PassContext};
use crate::ir::*;
use crate::report::{Code, Notification, Report};
use std::collections::BTreeSet;

pub const IMPLICIT_ROOT_ACCESS: Code = Code("implicit-root-access");

pub struct ImplicitRootAccess;

impl Pass for ImplicitRootAccess {
    fn name(&self) -> &'static str {
        "implicit-root-access"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &[]
    }
    fn run(&self, _cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for host in ir.hosts.values() {
            if let Some(n) = implicit_root_note(host) {
                report.push(n);
            }
        }
    }
}

/// The access settings (descriptions, annotations) the owner's rules of `host`
/// carry, when its implicit `/` answers 404 (no `/` path, no defaultBackend).
fn implicit_root_note(host: &VirtualHost) -> Option<Notification> {
    let name = host.id.host.hostname()?;
    let has_root = host
        .rules
        .iter()
        .any(|r| r.source_path.path == "/" && !r.source_path.path_type.is_exact());
    if has_root || host.implicit_root.backend.is_some() {
        return None;
    }
    let owner = host
        .implicit_root
        .from
        .object
        .as_ref()
        .unwrap_or(&host.owner);
    let mut what = BTreeSet::new();
    let mut keys = BTreeSet::new();
    for rule in host
        .rules
        .iter()
        .filter(|r| r.from.object.as_ref() == Some(owner))
    {
        for f in &rule.filters {
            let described = match &f.filter {
                Filter::ExternalAuth(a) => format!(
                    "external authentication (Service {}/{})",
                    a.backend.namespace, a.backend.service
                ),
                // Who may pass: 401/403 on the implicit `/` too. Rate limits,
                // client certificates (server-wide) and fail-closed paths are
                // not a location's answer to a rejected client.
                Filter::AccessControl(
                    req @ (AccessRequirement::SourceAllowList { .. }
                    | AccessRequirement::SourceDenyList { .. }
                    | AccessRequirement::PasswordAuth { .. }
                    | AccessRequirement::ExternalAuthUrl { .. }),
                ) => req.describe(),
                _ => continue,
            };
            what.insert(described);
            if let Some(k) = &f.from.annotation {
                keys.insert(k.clone());
            }
        }
    }
    if what.is_empty() {
        return None;
    }
    let what: Vec<String> = what.into_iter().collect();
    let mut n = Notification::warning(
        IMPLICIT_ROOT_ACCESS,
        format!(
            "host {name}: no Ingress defines path `/`, so ingress-nginx serves the host's unmatched paths (its implicit `/` location, default backend: 404) with the first Ingress's access settings too ({}): rejected clients get 401/403 or the sign-in redirect there, the others 404. The Gateway answers those paths 404 without the check (no route matches): no content is served either way, only the status of rejected clients differs",
            what.join("; ")
        ),
    )
    .object(owner)
    .suggest("if clients rely on that answer, add a `/` Prefix path to this Ingress (to a backend that answers 404) so the check applies to it in both; otherwise nothing to do");
    if let Some(k) = keys.into_iter().next() {
        n = n.field(k);
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::test_support::{ingress, ir_of};

    fn note(yaml: &str, host: &str) -> Option<Notification> {
        let ir = ir_of(yaml);
        ir.hosts
            .values()
            .find(|h| h.id.host.hostname() == Some(host))
            .and_then(implicit_root_note)
    }

    #[test]
    fn access_on_a_host_without_root_is_reported_with_host() {
        let auth = [("auth-url", "http://oauth.auth.svc.cluster.local/check")];
        let n = note(
            &ingress("app", "a.example.com", "/app", "app", &auth),
            "a.example.com",
        )
        .expect("reported");
        assert_eq!(n.code, IMPLICIT_ROOT_ACCESS);
        assert!(n.message.contains("host a.example.com:"), "{}", n.message);
        assert!(
            n.message.contains("external authentication"),
            "{}",
            n.message
        );
        let allow = [("whitelist-source-range", "10.0.0.0/8")];
        let n = note(
            &ingress("b", "b.example.com", "/x", "b", &allow),
            "b.example.com",
        )
        .expect("reported");
        assert!(n.message.contains("10.0.0.0/8"), "{}", n.message);
    }

    #[test]
    fn nothing_when_root_is_defined_or_nothing_restricts() {
        let auth = [("auth-url", "http://oauth.auth.svc.cluster.local/check")];
        // A `/` path replaces the implicit root (it carries the filters itself).
        assert!(
            note(
                &ingress("app", "a.example.com", "/", "app", &auth),
                "a.example.com"
            )
            .is_none()
        );
        // No access setting: the implicit root is a plain 404 on both sides.
        assert!(
            note(
                &ingress("app", "a.example.com", "/app", "app", &[]),
                "a.example.com"
            )
            .is_none()
        );
        // A rate limit is no answer to a rejected client.
        let limit = [("limit-rps", "10")];
        assert!(
            note(
                &ingress("app", "a.example.com", "/app", "app", &limit),
                "a.example.com"
            )
            .is_none()
        );
    }
}
