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
    ta.cmp(tb)
        .then_with(|| (b.namespace(), b.name()).cmp(&(a.namespace(), a.name())))
}
