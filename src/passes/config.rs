//! The ingress-nginx controller ConfigMap: its keys are the defaults of many annotations.
//!
//! Facts a ConfigMap key decides carry a [`Provenance`] naming the ConfigMap
//! object and the key ([`ControllerConfig::provenance`]), so an emitter can say
//! where a policy came from.

use crate::ir::{Provenance, ProvenanceData};
use crate::passes::parse_go_bool;
use crate::report::ObjectRef;
use std::collections::BTreeMap;

/// Controller ConfigMap data (empty when none was given: ingress-nginx defaults apply).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ControllerConfig {
    pub data: BTreeMap<String, String>,
    /// The ConfigMap the data came from (None: no ConfigMap, or a test's).
    pub object: Option<ObjectRef>,
}

impl ControllerConfig {
    /// Where a fact decided by ConfigMap `key` comes from: the ConfigMap and the
    /// key (in [`Provenance::annotation`], the field that names a setting).
    pub fn provenance(&self, key: &str) -> Provenance {
        Provenance::from(ProvenanceData {
            object: self.object.clone(),
            annotation: Some(key.to_string()),
            ..Default::default()
        })
    }
    /// A non-empty ConfigMap value.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.trim().is_empty())
    }
    /// A boolean ConfigMap key that is set and valid.
    pub fn bool_set(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(|v| parse_go_bool(v.trim()))
    }
    /// A non-negative integer ConfigMap key that is set and valid.
    pub fn uint_set(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(|v| v.trim().parse::<u64>().ok())
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.data.get(key).map(String::as_str)
    }
    pub fn bool(&self, key: &str, default: bool) -> bool {
        self.get(key).and_then(parse_go_bool).unwrap_or(default)
    }
    pub fn int(&self, key: &str, default: i64) -> i64 {
        self.get(key)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default)
    }
    /// CM `no-tls-redirect-locations` (comma-separated, default
    /// `/.well-known/acme-challenge`): locations whose path starts with an entry
    /// never redirect HTTP to HTTPS.
    pub fn no_tls_redirect_locations(&self) -> Vec<String> {
        self.get("no-tls-redirect-locations")
            .unwrap_or("/.well-known/acme-challenge")
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
    /// CM `http-redirect-code` (default 308; valid 301, 302, 307, 308).
    pub fn http_redirect_code(&self) -> u16 {
        match self.int("http-redirect-code", 308) {
            c @ (301 | 302 | 307 | 308) => c as u16,
            _ => 308,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_tls_redirect_locations_default_and_list() {
        let empty = ControllerConfig::default();
        assert_eq!(
            empty.no_tls_redirect_locations(),
            vec!["/.well-known/acme-challenge".to_string()]
        );
        let mut cm = ControllerConfig::default();
        cm.data
            .insert("no-tls-redirect-locations".into(), " /a, ,/b ".into());
        assert_eq!(cm.no_tls_redirect_locations(), vec!["/a", "/b"]);
        cm.data
            .insert("no-tls-redirect-locations".into(), "".into());
        assert!(cm.no_tls_redirect_locations().is_empty());
    }
}
