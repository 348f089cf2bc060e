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
/// compare every host a hostname could reach (`grpc_conflict`), client
/// certificates (`auth-tls-secret`) make the auth pass compare every HTTPS host
/// of a Gateway (one validation per Gateway port), and a wildcard CORS origin
/// becomes the origins of every host of the run it matches (`cors`).
pub fn shards(
    input: &InputSet,
    prefix: &str,
    target: usize,
) -> Result<Option<Vec<Vec<usize>>>, String> {
    let n = input.ingresses.len();
    let protocol = format!("{prefix}backend-protocol");
    let client_ca = format!("{prefix}auth-tls-secret");
    let origins = format!("{prefix}cors-allow-origin");
    // Keys are hashed: two keys of one hash only put more Ingresses together.
    let mut keys_of: Vec<Keys> = Vec::with_capacity(n);
    for input_ingress in &input.ingresses {
        let ing = input_ingress.decoded()?;
        let annotations = ing.metadata.annotations.as_ref();
        let grpc = annotations
            .and_then(|a| a.get(&protocol))
            .is_some_and(|v| v.trim().to_ascii_uppercase().starts_with("GRPC"));
        let wildcard_origin = annotations
            .and_then(|a| a.get(&origins))
            .is_some_and(|v| v.contains('*'));
        if grpc || wildcard_origin || annotations.is_some_and(|a| a.contains_key(&client_ca)) {
            return Ok(None);
        }
        keys_of.push(keys(input_ingress.namespace(), &ing, prefix));
    }
    // A host joins its wildcard's Ingresses only when some Ingress has that
    // wildcard: every host of a domain sharing one shard would defeat sharding.
    let wildcards: std::collections::HashSet<u64> = keys_of
        .iter()
        .flat_map(|k| k.wildcards.iter().copied())
        .collect();
    // cert-manager's annotations are checked against every HTTPS listener of
    // their Gateway: with any of them, every Ingress with TLS joins them.
    let cert_manager = hashed(&["cert-manager"]);
    if keys_of.iter().any(|k| k.keys.contains(&cert_manager)) {
        for k in keys_of.iter_mut().filter(|k| k.tls) {
            k.keys.push(cert_manager);
        }
    }
    let mut sets: UnionFind<usize> = UnionFind::new(n);
    let mut first: HashMap<u64, usize> = HashMap::new();
    for (i, k) in keys_of.iter().enumerate() {
        let parents = k.parents.iter().filter(|p| wildcards.contains(p));
        for &key in k.keys.iter().chain(parents) {
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
    drop(keys_of);
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

/// What an Ingress shares with others, hashed.
#[derive(Default)]
struct Keys {
    keys: Vec<u64>,
    /// Its wildcard hosts (also in `keys`).
    wildcards: Vec<u64>,
    /// The wildcards that would cover its named hosts.
    parents: Vec<u64>,
    /// It has `spec.tls` entries (HTTPS listeners).
    tls: bool,
}

fn hashed(parts: &[&str]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

fn keys(ns: &str, ing: &Ingress, prefix: &str) -> Keys {
    let mut k = Keys::default();
    let catch_all = hashed(&["catch-all"]);
    let host = |h: &str, k: &mut Keys| {
        let h = h.trim().to_ascii_lowercase();
        if h.is_empty() {
            k.keys.push(catch_all);
            return;
        }
        let key = hashed(&["host", &h]);
        if h.starts_with("*.") {
            k.wildcards.push(key);
        } else if let Some((_, parent)) = h.split_once('.') {
            k.parents.push(hashed(&["host", &format!("*.{parent}")]));
        }
        k.keys.push(key);
        k.keys
            .push(hashed(&["www", h.strip_prefix("www.").unwrap_or(&h)]));
    };
    let service = |name: &str| hashed(&["service", ns, name]);
    if let Some(spec) = &ing.spec {
        if let Some(b) = &spec.default_backend {
            k.keys.push(catch_all);
            if let Some(s) = &b.service {
                k.keys.push(service(&s.name));
            }
        }
        for rule in spec.rules.iter().flatten() {
            host(rule.host.as_deref().unwrap_or(""), &mut k);
            for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
                if let Some(s) = &p.backend.service {
                    k.keys.push(service(&s.name));
                }
            }
        }
        for tls in spec.tls.iter().flatten() {
            k.tls = true;
            for h in tls.hosts.iter().flatten() {
                host(h, &mut k);
            }
        }
    }
    for (key, value) in ing.metadata.annotations.iter().flatten() {
        if key.starts_with("cert-manager.io/") || key.starts_with("acme.cert-manager.io/") {
            k.keys.push(hashed(&["cert-manager"]));
        } else if key.starts_with("external-dns.alpha.kubernetes.io/") {
            k.keys.push(hashed(&["external-dns"]));
        } else if let Some(short) = key.strip_prefix(prefix) {
            match short {
                "server-alias" => {
                    for alias in value.split([',', ' ']).filter(|a| !a.is_empty()) {
                        host(alias, &mut k);
                    }
                }
                "default-backend" => k.keys.push(service(value.trim())),
                _ => {}
            }
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SourceFile;

    const PREFIX: &str = "nginx.ingress.kubernetes.io/";

    fn ingress(name: &str, host: &str, service: &str, extra: &str) -> String {
        format!(
            "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: ns\n{extra}spec:\n  ingressClassName: nginx\n  rules:\n  - host: '{host}'\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: {service}\n            port:\n              number: 80\n"
        )
    }

    fn groups(yaml: &str) -> Option<Vec<Vec<usize>>> {
        let file = SourceFile {
            name: "t.yaml".into(),
            text: std::sync::Arc::from(yaml),
        };
        let loaded = crate::pipeline::load_with(std::slice::from_ref(&file), true);
        shards(&loaded.input, PREFIX, 1).unwrap()
    }

    #[test]
    fn ingresses_that_share_what_a_pass_reads_share_a_shard() {
        let yaml = [
            ingress("a", "a.example.com", "s1", ""),
            ingress("b", "b.example.com", "s2", ""),
            // Same host as a.
            ingress("c", "a.example.com", "s3", ""),
            // The wildcard over b.
            ingress("d", "*.example.com", "s4", ""),
            // The www twin of e.
            ingress("e", "e.example.org", "s5", ""),
            ingress("f", "www.e.example.org", "s6", ""),
            // Same Service as e, another host.
            ingress("g", "g.example.net", "s5", ""),
            // Nothing shared.
            ingress("h", "h.example.net", "s7", ""),
            // An alias of h.
            ingress(
                "i",
                "i.example.net",
                "s8",
                "  annotations:\n    nginx.ingress.kubernetes.io/server-alias: h.example.net\n",
            ),
        ]
        .concat();
        let got = groups(&yaml).expect("shardable");
        assert_eq!(
            got,
            vec![vec![0, 1, 2, 3], vec![4, 5, 6], vec![7, 8]],
            "a, b, c, d by host and wildcard; e, f, g by www and Service; h, i by alias"
        );
    }

    #[test]
    fn with_cert_manager_every_ingress_with_tls_joins_it() {
        let tls = |name: &str, host: &str, extra: &str| {
            ingress(name, host, name, extra).replace(
                "spec:\n",
                &format!("spec:\n  tls:\n  - hosts: ['{host}']\n    secretName: {name}-tls\n"),
            )
        };
        let yaml = [
            tls(
                "a",
                "a.example.com",
                "  annotations:\n    cert-manager.io/cluster-issuer: le\n",
            ),
            ingress("b", "b.example.com", "b", ""),
            tls("c", "c.example.org", ""),
        ]
        .concat();
        assert_eq!(groups(&yaml).expect("shardable"), vec![vec![0, 2], vec![1]]);
        // Without cert-manager, TLS alone shares nothing.
        let yaml = [tls("a", "a.example.com", ""), tls("c", "c.example.org", "")].concat();
        assert_eq!(groups(&yaml).expect("shardable"), vec![vec![0], vec![1]]);
    }

    #[test]
    fn annotations_that_read_every_host_make_a_run_unshardable() {
        for annotation in [
            "auth-tls-secret: ns/ca",
            "cors-allow-origin: 'https://*.example.com'",
            "backend-protocol: grpc",
        ] {
            let extra = format!("  annotations:\n    {PREFIX}{annotation}\n");
            let yaml = ingress("a", "a.example.com", "s1", &extra)
                + &ingress("b", "b.example.com", "s2", "");
            assert_eq!(groups(&yaml), None, "{annotation}");
        }
        // Without them, the same two Ingresses are two shards.
        let yaml =
            ingress("a", "a.example.com", "s1", "") + &ingress("b", "b.example.com", "s2", "");
        assert_eq!(groups(&yaml), Some(vec![vec![0], vec![1]]));
    }
}
