//! ingress-nginx's Ingress order: "first Ingress wins" means first in this order.
//!
//! `creationTimestamp` ascending, ties broken by `namespace/name` **descending**
//! (`store.go` `sortIngressSlice`). Objects without a timestamp (files usually have
//! none) compare equal to each other and older than any object that has one, so
//! the order is still total and independent of input order.

use crate::input::InputIngress;

use std::cmp::Ordering;

/// Sorts Ingresses into ingress-nginx order.
pub fn sort(ingresses: &mut [&InputIngress]) {
    ingresses.sort_by(|a, b| compare(a, b));
}

/// ingress-nginx's order of two Ingresses.
pub fn compare(a: &InputIngress, b: &InputIngress) -> Ordering {
    let ta = &a.ingress.metadata.creation_timestamp;
    let tb = &b.ingress.metadata.creation_timestamp;
    ta.cmp(tb).then_with(|| key(b).cmp(key(a)))
}

/// ingress-nginx compares the string `namespace/name`, not the pair: `-` sorts
/// before `/`, so `a-b/x` < `a/x` although namespace `a` < `a-b`.
fn key(i: &InputIngress) -> impl Iterator<Item = u8> + '_ {
    i.namespace()
        .bytes()
        .chain(std::iter::once(b'/'))
        .chain(i.name().bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Origin;
    use k8s_openapi::api::networking::v1::Ingress;

    fn ing(ns: &str, name: &str) -> InputIngress {
        let mut i = Ingress::default();
        i.metadata.namespace = Some(ns.into());
        i.metadata.name = Some(name.into());
        InputIngress::new(i, Origin::Cluster, "networking.k8s.io/v1".into())
    }

    #[test]
    fn ties_compare_namespace_slash_name_descending() {
        // "a/x" > "a-b/x" byte-wise, so a/x comes first.
        let (a, ab) = (ing("a", "x"), ing("a-b", "x"));
        assert_eq!(compare(&a, &ab), Ordering::Less);
        assert_eq!(compare(&ab, &a), Ordering::Greater);
        let (z, y) = (ing("n", "z"), ing("n", "y"));
        assert_eq!(compare(&z, &y), Ordering::Less);
    }
}
