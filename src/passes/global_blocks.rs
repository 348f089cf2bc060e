//! ConfigMap block lists: `block-cidrs`, `block-user-agents`, `block-referers`.
//!
//! ## What ingress-nginx does
//! They are controller-wide (no annotation): `block-cidrs` renders
//! `deny <cidr>;` in the `http` block, inherited by every location that has no
//! allow/deny list of its own (a location with `allowlist-source-range`
//! replaces the inherited rules: nginx does not merge access rules across
//! levels). `block-user-agents` and `block-referers` render
//! `map $http_user_agent $block_ua { <entry> 1; }` (resp. `$http_referer`) and
//! `if ($block_ua) { return 403; }` in every server, before any location runs
//! (so redirects are blocked too). A map entry is either a string, compared with
//! the **whole** header value case-insensitively, or a regex (`~` case-sensitive,
//! `~*` case-insensitive), unanchored. Matching clients get 403. An invalid CIDR
//! makes nginx refuse the configuration, so the controller keeps its previous one.
//!
//! ## What Gateway API offers
//! No client-address match and no direct response. Header matches are exact and
//! case-sensitive (or implementation-specific regexes), and a rule cannot answer
//! 403 without a backend, so even a plain User-Agent list cannot be reproduced
//! exactly: a route matching `curl` exactly would let `CURL` through to the open
//! rules.
//!
//! ## What we emit
//! Each list is an [`AccessRequirement::Blocklist`] on every rule of every host;
//! the emitter emits those rules fail-closed (HTTP 500) unless
//! `--allow-insecure-translation` (`emit/access.rs`). Redirect rules stay as
//! they are (a redirect exposes no backend).
//!
//! ## What we warn
//! One warning per list naming its entries and the implementation resources that
//! enforce it, the emitter's error per Ingress, and a warning for entries nginx
//! rejects.

use super::access_control::parse_cidrs;
use super::{Pass, PassContext};
use crate::ir::*;
use crate::report::{Code, Notification, Report};

pub const CONFIGMAP_BLOCKLIST: Code = Code("configmap-blocklist");

pub struct GlobalBlocks;

/// The entries of a ConfigMap list (comma-separated, trimmed, empty items dropped).
fn entries(cx: &PassContext, list: Blocklist) -> Vec<String> {
    cx.config
        .get(list.key())
        .map(super::annotated::list)
        .unwrap_or_default()
}

impl Pass for GlobalBlocks {
    fn name(&self) -> &'static str {
        "global-blocks"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for list in [
            Blocklist::ClientAddress,
            Blocklist::UserAgent,
            Blocklist::Referer,
        ] {
            let entries = entries(cx, list);
            if entries.is_empty() {
                continue;
            }
            let key = list.key();
            if list == Blocklist::ClientAddress {
                for e in &entries {
                    if parse_cidrs(e).is_err() {
                        report.push(
                            Notification::warning(CONFIGMAP_BLOCKLIST, format!("ConfigMap {key}: `{e}` is not an IP address or CIDR; nginx refuses `deny {e};`, so the controller cannot load a configuration with this list"))
                                .field(format!("ConfigMap {key}"))
                                .suggest("fix the ConfigMap entry"),
                        );
                    }
                }
            }
            let requirement = AccessRequirement::Blocklist {
                list,
                entries: entries.clone(),
            };
            report.push(
                Notification::warning(CONFIGMAP_BLOCKLIST, format!("{} applies to every host and path; Gateway API cannot match it exactly nor answer 403, so every forwarding rule is emitted fail-closed", requirement.describe()))
                    .field(format!("ConfigMap {key}"))
                    .suggest("block these clients with your implementation (Envoy Gateway SecurityPolicy authorization, kgateway TrafficPolicy, Istio AuthorizationPolicy, NGINX Gateway Fabric SnippetsFilter) or in front of the Gateway, then translate with --allow-insecure-translation"),
            );
            for rule in ir.hosts.values_mut().flat_map(|h| h.rules.iter_mut()) {
                let from = Provenance::from(ProvenanceData {
                    object: rule.from.object.clone(),
                    ..Default::default()
                })
                .with_annotation(&format!("ConfigMap {key}"), None);
                rule.filters.push(RuleFilter {
                    filter: Filter::AccessControl(requirement.clone()),
                    from,
                });
            }
        }
    }
}
