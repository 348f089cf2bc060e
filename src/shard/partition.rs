//! Which Ingresses a sharded run must translate together.
//!
//! Two Ingresses go to the same shard when some pass or emitter decision reads
//! both: the same host (ingress-nginx merges every Ingress of a host into one
//! `server`: ordering, canaries, regex mode, TLS, the implicit `/`), a host and
//! the wildcard that covers it, a host and its `www.` twin (`from-to-www-redirect`),
//! `server-alias` names, the catch-all server (host-less rules and
//! `spec.defaultBackend`), the same Service (affinity, canary and upstream
//! settings are per upstream), and the run-wide carriers (cert-manager and
//! external-dns annotations are gathered per Gateway). Everything else a pass
//! reads is per Ingress or run-wide input (classes, ConfigMap, Services).

use crate::input::InputSet;
use k8s_openapi::api::networking::v1::Ingress;
use petgraph::unionfind::UnionFind;
use std::collections::HashMap;

/// Groups of indices into `input.ingresses` that share nothing a pass reads,
/// packed in input order into shards of at least `target` Ingresses (the last
/// may be smaller). Every Ingress is in exactly one shard; each shard's indices
/// ascend. None when the run cannot be sharded: gRPC backends make the emitter
/// compare every host a hostname could reach (`grpc_conflict`), across shards.
pub fn shards(
    input: &InputSet,
    prefix: &str,
    target: usize,
) -> Result<Option<Vec<Vec<usize>>>, String> {
    let n = input.ingresses.len();
    let mut sets: UnionFind<usize> = UnionFind::new(n);
    let mut first: HashMap<String, usize> = HashMap::new();
    let protocol = format!("{prefix}backend-protocol");
    for (i, input_ingress) in input.ingresses.iter().enumerate() {
        let ing = input_ingress.decoded()?;
        let annotations = ing.metadata.annotations.as_ref();
        if annotations
            .and_then(|a| a.get(&protocol))
            .is_some_and(|v| v.trim().to_ascii_uppercase().starts_with("GRPC"))
        {
            return Ok(None);
        }
        for key in keys(input_ingress.namespace(), &ing, prefix) {
            match first.get(&key) {
                Some(&j) => {
                    sets.union(i, j);
                }
                None => {
                    first.insert(key, i);
                }
            }
        }
    }
    // Components in the order of their first Ingress.
    let mut component_of_root: HashMap<usize, usize> = HashMap::new();
    let mut components: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        let root = sets.find_mut(i);
        let c = *component_of_root.entry(root).or_insert_with(|| {
            components.push(Vec::new());
            components.len() - 1
        });
        if let Some(members) = components.get_mut(c) {
            members.push(i);
        }
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for c in components {
        current.extend(c);
        if current.len() >= target.max(1) {
            current.sort_unstable();
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        current.sort_unstable();
        out.push(current);
    }
    Ok(Some(out))
}

fn keys(ns: &str, ing: &Ingress, prefix: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let host = |h: &str, keys: &mut Vec<String>| {
        let h = h.trim().to_ascii_lowercase();
        if h.is_empty() {
            keys.push("catch-all".into());
            return;
        }
        let bare = h.strip_prefix("www.").unwrap_or(&h).to_string();
        if !h.starts_with("*.")
            && let Some((_, parent)) = h.split_once('.')
        {
            keys.push(format!("h:*.{parent}"));
        }
        keys.push(format!("w:{bare}"));
        keys.push(format!("h:{h}"));
    };
    if let Some(spec) = &ing.spec {
        if let Some(b) = &spec.default_backend {
            keys.push("catch-all".into());
            if let Some(s) = &b.service {
                keys.push(format!("s:{ns}/{}", s.name));
            }
        }
        for rule in spec.rules.iter().flatten() {
            host(rule.host.as_deref().unwrap_or(""), &mut keys);
            for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
                if let Some(s) = &p.backend.service {
                    keys.push(format!("s:{ns}/{}", s.name));
                }
            }
        }
        for tls in spec.tls.iter().flatten() {
            for h in tls.hosts.iter().flatten() {
                host(h, &mut keys);
            }
        }
    }
    for (key, value) in ing.metadata.annotations.iter().flatten() {
        if key.starts_with("cert-manager.io/") || key.starts_with("acme.cert-manager.io/") {
            keys.push("cert-manager".into());
        } else if key.starts_with("external-dns.alpha.kubernetes.io/") {
            keys.push("external-dns".into());
        } else if let Some(short) = key.strip_prefix(prefix) {
            match short {
                "server-alias" => {
                    for alias in value.split([',', ' ']).filter(|a| !a.is_empty()) {
                        host(alias, &mut keys);
                    }
                }
                "default-backend" => keys.push(format!("s:{ns}/{}", value.trim())),
                _ => {}
            }
        }
    }
    keys
}
