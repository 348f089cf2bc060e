//! The listener and routes that serve a (scheme, host), computed once per pair
//! and shared by the probe threads.
//!
//! Choosing them walks every route that may accept the host (parent
//! attachment, hostnames, the most specific hostname's routes): on a host whose
//! paths became hundreds of HTTPRoutes, that walk per probe made the Gateway
//! side quadratic in the paths of one host. It depends only on the scheme and
//! the normalised host, so every probe of a host after the first reads it here.

use super::GwHandled;
use crate::verify::request::Scheme;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// What serves a (scheme, host).
#[derive(Debug)]
pub(super) enum Served {
    /// The listener and the routes that take part (positions in the model's
    /// listeners and routes; the routes in that order).
    Routes { listener: usize, routes: Vec<usize> },
    /// No route takes part: the answer for every path.
    Answer(GwHandled),
}

/// The cache, by scheme and normalised host.
#[derive(Debug, Default)]
pub(super) struct ServedCache(RwLock<HashMap<(Scheme, String), Arc<Served>>>);

impl Clone for ServedCache {
    /// A clone starts empty (a cache, rebuilt on use).
    fn clone(&self) -> Self {
        ServedCache::default()
    }
}

impl ServedCache {
    /// The entry for (`scheme`, `host`), computed by `compute` on first use.
    pub(super) fn get(
        &self,
        scheme: Scheme,
        host: &str,
        compute: impl FnOnce() -> Served,
    ) -> Arc<Served> {
        let key = (scheme, host.to_string());
        if let Some(found) = self.0.read().ok().and_then(|m| m.get(&key).cloned()) {
            return found;
        }
        let computed = Arc::new(compute());
        if let Ok(mut m) = self.0.write() {
            return m.entry(key).or_insert(computed).clone();
        }
        computed
    }
}
