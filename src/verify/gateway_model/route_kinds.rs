//! One acceptance rule: HTTPRoute and GRPCRoute on one listener.
//!
//! GRPCRoute `hostnames` (Gateway API v1.5): "If a Route (A) of type HTTPRoute or
//! GRPCRoute is attached to a Listener and that listener already has another
//! Route (B) of the other type attached and the intersection of the hostnames of
//! A and B is non-empty, then the implementation MUST accept exactly one of these
//! two routes, determined by the following criteria, in order: the oldest Route
//! based on creation timestamp; the Route appearing first in alphabetical order by
//! `{namespace}/{name}`." Manifests carry no creation timestamps, so the model
//! goes to the second criterion, as it does for rule precedence.
//!
//! Kept apart from the rest of route acceptance so it can be read (and replaced)
//! on its own.

use super::hostname;
use std::collections::BTreeSet;

/// A route attached to the listener, as this rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct Attached<'a> {
    pub grpc: bool,
    pub namespace: &'a str,
    pub name: &'a str,
    pub hostnames: &'a [String],
}

/// The routes the listener (hostname `listener`) rejects: `(namespace, name)` of
/// each, with whether it is the GRPCRoute.
pub fn rejected(
    listener: Option<&str>,
    routes: &[Attached<'_>],
) -> BTreeSet<(bool, String, String)> {
    // A route without hostnames takes the listener's.
    let names = |r: &Attached<'_>| -> Vec<Option<String>> {
        if r.hostnames.is_empty() {
            vec![listener.map(str::to_string)]
        } else {
            r.hostnames.iter().map(|h| Some(h.clone())).collect()
        }
    };
    let mut out = BTreeSet::new();
    for a in routes.iter().filter(|r| r.grpc) {
        for b in routes.iter().filter(|r| !r.grpc) {
            let shared = names(a).iter().any(|x| {
                names(b)
                    .iter()
                    .any(|y| hostname::intersect(x.as_deref(), y.as_deref()))
            });
            if !shared {
                continue;
            }
            let loser = if (a.namespace, a.name) < (b.namespace, b.name) {
                b
            } else {
                a
            };
            out.insert((
                loser.grpc,
                loser.namespace.to_string(),
                loser.name.to_string(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route<'a>(grpc: bool, name: &'a str, hostnames: &'a [String]) -> Attached<'a> {
        Attached {
            grpc,
            namespace: "shop",
            name,
            hostnames,
        }
    }

    #[test]
    fn the_first_by_name_wins_when_hostnames_intersect() {
        let app = vec!["app.example.com".to_string()];
        let wild = vec!["*.example.com".to_string()];
        let other = vec!["other.example.com".to_string()];
        let routes = [
            route(false, "app.example.com", &app),
            route(true, "app.example.com-grpc", &app),
        ];
        let r = rejected(None, &routes);
        assert_eq!(
            r.into_iter().collect::<Vec<_>>(),
            vec![(true, "shop".into(), "app.example.com-grpc".into())]
        );
        // A wildcard HTTPRoute named first rejects the GRPCRoute too.
        let routes = [route(false, "a-wild", &wild), route(true, "b-grpc", &app)];
        assert_eq!(rejected(None, &routes).len(), 1);
        // The GRPCRoute first: the HTTPRoute is the one rejected.
        let routes = [route(true, "a-grpc", &app), route(false, "b-web", &[])];
        assert_eq!(
            rejected(None, &routes).into_iter().next(),
            Some((false, "shop".into(), "b-web".into()))
        );
        // Disjoint hostnames: both accepted.
        let routes = [route(true, "a-grpc", &app), route(false, "b-web", &other)];
        assert!(rejected(None, &routes).is_empty());
    }
}
