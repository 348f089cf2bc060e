//! HSTS: ConfigMap `hsts`, `hsts-max-age`, `hsts-include-subdomains`, `hsts-preload`.
//!
//! ## What ingress-nginx does
//! No annotation: its Lua header filter (`lua_ingress.header`) sets
//! `Strict-Transport-Security: max-age=<hsts-max-age>[; includeSubDomains][; preload]`
//! on every response of an ingress location whose `$scheme` is https, when
//! ConfigMap `hsts` is true. Defaults: `hsts` true, `hsts-max-age` 31536000
//! (sent verbatim), `hsts-include-subdomains` true, `hsts-preload` false. The
//! intended "certificate configured" check is a function reference that is never
//! called, so it is always true; the assignment replaces any HSTS header of the
//! upstream response. Plain-HTTP responses never carry it.
//!
//! ## What Gateway API offers
//! The standard `ResponseHeaderModifier` filter with `set` (replaces an upstream
//! header), per route rule.
//!
//! ## What we emit
//! A [`Filter::StrictTransportSecurity`] on every rule; the emitter writes it as a
//! `ResponseHeaderModifier` `set` on the forwarding rules of routes attached to
//! HTTPS listeners only (a route serving both listeners is split so plain HTTP
//! stays without the header), merged with other response-header edits.
//!
//! ## What we warn
//! An `hsts-max-age` that is not a number of seconds (sent verbatim, browsers
//! ignore the header); the emitter notes GRPCRoutes, which carry no HSTS.

use super::{Pass, PassContext};
use crate::ir::*;
use crate::report::{Code, Notification, Report};

pub const HSTS_INVALID: Code = Code("hsts-invalid-max-age");

pub struct Hsts;

/// The header ingress-nginx sends for this ConfigMap, or `None` when `hsts` is false.
pub fn configured(cx: &PassContext) -> Option<crate::ir::Hsts> {
    cx.config.bool("hsts", true).then(|| crate::ir::Hsts {
        max_age: cx
            .config
            .get("hsts-max-age")
            .map(str::trim)
            .unwrap_or("31536000")
            .to_string(),
        include_subdomains: cx.config.bool("hsts-include-subdomains", true),
        preload: cx.config.bool("hsts-preload", false),
    })
}

impl Pass for Hsts {
    fn name(&self) -> &'static str {
        "hsts"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let Some(hsts) = configured(cx) else { return };
        if hsts.max_age.is_empty() || !hsts.max_age.bytes().all(|b| b.is_ascii_digit()) {
            report.push(
                Notification::warning(HSTS_INVALID, format!("ConfigMap hsts-max-age `{}` is not a number of seconds; ingress-nginx sends `{}: {}` anyway and browsers ignore it; emitted the same way", hsts.max_age, crate::ir::Hsts::HEADER, hsts.value()))
                    .field("ConfigMap hsts-max-age")
                    .suggest("set hsts-max-age to a number of seconds, e.g. 31536000"),
            );
        }
        // One filter per rule, but one header value for the run and one origin per
        // Ingress (its rules are usually adjacent): shared, not copied per rule,
        // and the filter list grows by exactly one slot (issue 13 memory).
        let hsts = std::sync::Arc::new(hsts);
        let mut last: Option<Provenance> = None;
        for rule in ir.hosts.values_mut().flat_map(|h| h.rules.iter_mut()) {
            let from = match &last {
                Some(p) if p.object == rule.from.object => p.clone(),
                _ => {
                    let p = Provenance::from(ProvenanceData {
                        object: rule.from.object.clone(),
                        ..Default::default()
                    })
                    .with_annotation("ConfigMap hsts", None);
                    last = Some(p.clone());
                    p
                }
            };
            rule.filters.reserve_exact(1);
            rule.filters.push(RuleFilter {
                filter: Filter::StrictTransportSecurity(hsts.clone()),
                from,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::Hsts;

    #[test]
    fn header_value_follows_the_configmap_keys() {
        let h = |max_age: &str, include_subdomains, preload| {
            Hsts {
                max_age: max_age.into(),
                include_subdomains,
                preload,
            }
            .value()
        };
        assert_eq!(
            h("31536000", true, false),
            "max-age=31536000; includeSubDomains"
        );
        assert_eq!(h("600", false, false), "max-age=600");
        assert_eq!(h("600", false, true), "max-age=600; preload");
        assert_eq!(h("1", true, true), "max-age=1; includeSubDomains; preload");
    }
}
