//! Which of several matching HTTPRoute rules an implementation picks.
//!
//! The spec ranks Exact, then the longest PathPrefix, method, header and query
//! matches, and leaves `RegularExpression` path matches to the implementation.
//! Each model here is one implementation's documented route sorting:
//!
//! * `standard` ([`Implementation::Standard`]): every order the spec allows. The model cannot
//!   pick one; [`super::rules::select`] hands back every rule that could win, and
//!   verify calls a probe divergent unless all of them agree with ingress-nginx.
//! * `envoy-gateway` ([`Implementation::EnvoyGateway`]): `internal/gatewayapi/sort.go`
//!   (`XdsIRRoutes.Less`, sorted in reverse): path match type Exact >
//!   RegularExpression > PathPrefix; then more characters in the path value; then
//!   more header matches (a `method` is a `:method` header match), then more Exact
//!   header matches; then more query matches, then more Exact query matches; then
//!   the IR route name `httproute/<ns>/<name>/rule/<i>/match/<j>/…` in byte order
//!   (so `rule/10` before `rule/2`).
//! * `istio` ([`Implementation::Istio`]): `pilot/pkg/config/kube/gateway/conversion.go`
//!   (`sortHTTPRoutes`, a stable sort of one VirtualService route per match):
//!   Exact > PathPrefix > RegularExpression; then the longer value (a PathPrefix
//!   without its trailing `/`); then a method match; then more header matches; then
//!   more query matches; remaining ties keep route order (oldest, then
//!   `{namespace}/{name}`), rule order and match order.

use std::cmp::Reverse;

/// The precedence model `ing2gw verify --implementation` selects.
pub use crate::target::Implementation;

/// The kind of a path match, as implementations rank it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    Exact,
    Prefix,
    Regex,
}

/// What an implementation looks at to rank one match of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchFacts {
    pub kind: PathKind,
    /// The path value as written in the route.
    pub value: String,
    pub method: bool,
    pub headers: usize,
    pub exact_headers: usize,
    pub query: usize,
    pub exact_query: usize,
    /// Route namespace and name, rule and match index.
    pub namespace: String,
    pub route: String,
    pub rule: usize,
    pub matched: usize,
    /// Position of the route in the spec's route order (oldest, then
    /// `{namespace}/{name}`).
    pub route_index: usize,
}

/// Rank, path length, then the implementation's further criteria, name and
/// position; compared as a whole (smaller wins).
pub type SortKey = (
    u8,
    Reverse<usize>,
    Reverse<usize>,
    Reverse<usize>,
    Reverse<usize>,
    Reverse<usize>,
    String,
    usize,
    usize,
);

/// A sort key (smaller wins) for a deterministic implementation; `None` for
/// [`Implementation::Standard`], which has no single order.
pub fn sort_key(imp: Implementation, m: &MatchFacts) -> Option<SortKey> {
    match imp {
        Implementation::Standard => None,
        Implementation::EnvoyGateway => {
            let rank = match m.kind {
                PathKind::Exact => 0,
                PathKind::Regex => 1,
                PathKind::Prefix => 2,
            };
            let headers = m.headers + usize::from(m.method);
            let exact_headers = m.exact_headers + usize::from(m.method);
            Some((
                rank,
                Reverse(m.value.len()),
                Reverse(headers),
                Reverse(exact_headers),
                Reverse(m.query),
                Reverse(m.exact_query),
                format!(
                    "httproute/{}/{}/rule/{}/match/{}",
                    m.namespace, m.route, m.rule, m.matched
                ),
                0,
                0,
            ))
        }
        Implementation::Istio => {
            let rank = match m.kind {
                PathKind::Exact => 0,
                PathKind::Prefix => 1,
                PathKind::Regex => 2,
            };
            let len = match m.kind {
                PathKind::Prefix if m.value != "/" => m.value.trim_end_matches('/').len(),
                _ => m.value.len(),
            };
            Some((
                rank,
                Reverse(len),
                Reverse(usize::from(m.method)),
                Reverse(m.headers),
                Reverse(m.query),
                Reverse(0),
                // Stable sort: route, rule and match order.
                String::new(),
                m.route_index,
                m.rule.saturating_mul(0x1_0000).saturating_add(m.matched),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: PathKind, value: &str, rule: usize) -> MatchFacts {
        MatchFacts {
            kind,
            value: value.into(),
            method: false,
            headers: 0,
            exact_headers: 0,
            query: 0,
            exact_query: 0,
            namespace: "ns".into(),
            route: "r".into(),
            rule,
            matched: 0,
            route_index: 0,
        }
    }

    fn winner(imp: Implementation, all: &[MatchFacts]) -> usize {
        (0..all.len())
            .min_by_key(|&i| sort_key(imp, &all[i]))
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn envoy_gateway_ranks_regex_above_prefix_and_longer_first() {
        let all = [
            facts(PathKind::Prefix, "/api/v1/long/prefix", 0),
            facts(PathKind::Regex, "/api/v[0-9]+/.*", 1),
            facts(PathKind::Regex, "/api/.*/export.*", 2),
        ];
        assert_eq!(winner(Implementation::EnvoyGateway, &all), 2);
        assert_eq!(winner(Implementation::Istio, &all), 0);
        assert_eq!(winner(Implementation::Istio, &all[1..]), 1);
    }

    #[test]
    fn envoy_gateway_breaks_ties_by_name_bytes_and_istio_by_rule_order() {
        let all = [
            facts(PathKind::Regex, "/a.*", 2),
            facts(PathKind::Regex, "/b.*", 10),
        ];
        // `rule/10` sorts before `rule/2` in Envoy Gateway's IR names.
        assert_eq!(winner(Implementation::EnvoyGateway, &all), 1);
        assert_eq!(winner(Implementation::Istio, &all), 0);
    }

    #[test]
    fn exact_wins_everywhere_and_standard_has_no_order() {
        let all = [
            facts(PathKind::Regex, "/x.*", 0),
            facts(PathKind::Exact, "/x", 1),
        ];
        assert_eq!(winner(Implementation::EnvoyGateway, &all), 1);
        assert_eq!(winner(Implementation::Istio, &all), 1);
        assert!(sort_key(Implementation::Standard, &all[0]).is_none());
    }
}
