//! Synthetic Ingress estates for the `estate` bench (and for profiling: the bench's
//! `--write` option saves one to a file).
//!
//! [`realistic`] follows the mix of issue 13, measured per Ingress:
//!
//! | share | what |
//! |------:|------|
//! | 40 %  | plain: no annotation, no TLS, Prefix/Exact paths |
//! | 20 %  | TLS (one Secret per host) |
//! | 15 %  | `rewrite-target: /$2` with a capture-group path (`/api(/\|$)(.*)`) |
//! | 10 %  | `use-regex: "true"` with a regex path |
//! | 10 %  | CORS (`enable-cors` + origin/methods) |
//! | 30 %  | `proxy-read-timeout` |
//! |  5 %  | canary halves: a `canary: "true"` Ingress (weight or header) on the host and paths of a primary |
//!
//! plus the long tail on the non-plain Ingresses: external and basic auth,
//! `whitelist-source-range`, `configuration-snippet`, cookie affinity,
//! `proxy-body-size` (every non-plain Ingress that drew nothing else gets a body size).
//! The shares overlap (a TLS Ingress may also have a timeout), so they add up to
//! more than 100 %; the 40 % plain ones have none of them. Hosts are shared by 1–4
//! Ingresses spread over 50 namespaces, as in a real multi-team cluster.
//!
//! The pathological shapes are [`regex_host`] (5,000 paths on one regex-mode host),
//! [`shared_secret`] (2,000 hosts sharing one TLS Secret) and
//! [`namespace_per_ingress`] (one Ingress in each of 5,000 namespaces).
//!
//! Everything is deterministic: the same size and seed give byte-identical YAML.

use std::fmt::Write;

/// Namespaces the realistic estate spreads its Ingresses over.
pub const NAMESPACES: u64 = 50;

/// SplitMix64: tiny, seedable, and good enough to spread features evenly; no
/// dependency, and the sequence never changes with a crate upgrade.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
}

/// What the realistic generator put in an estate, counted while generating: the
/// bench prints it so a reader can check the mix, and the tests compare it with
/// what the reader decodes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Mix {
    pub ingresses: usize,
    pub hosts: usize,
    pub plain: usize,
    pub tls: usize,
    pub rewrite: usize,
    pub regex: usize,
    pub cors: usize,
    pub timeout: usize,
    pub canary: usize,
    pub auth: usize,
    pub allow_list: usize,
    pub snippet: usize,
    pub affinity: usize,
    pub body_size: usize,
}

/// Parses a size such as `1k`, `10k`, `100k`, `2500` or `1m`.
pub fn parse_size(text: &str) -> Option<usize> {
    let text = text.trim().to_ascii_lowercase();
    let (digits, factor) = match text.strip_suffix('k') {
        Some(d) => (d, 1_000),
        None => match text.strip_suffix('m') {
            Some(d) => (d, 1_000_000),
            None => (text.as_str(), 1),
        },
    };
    digits.parse::<usize>().ok()?.checked_mul(factor)
}

/// `1000` → `1k`, `2500` → `2500`: the label the bench prints for a size.
pub fn size_label(n: usize) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}m", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// Header of one Ingress document, up to and including `annotations:` (or `{}`
/// when there are none) and the class.
fn header(out: &mut String, name: &str, namespace: &str, day: u64, annotations: &[(&str, String)]) {
    let _ = write!(
        out,
        "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: {namespace}\n  creationTimestamp: \"2025-{:02}-{:02}T{:02}:{:02}:00Z\"\n",
        1 + day / 28 % 12,
        1 + day % 28,
        day / 7 % 24,
        day % 60,
    );
    if annotations.is_empty() {
        out.push_str("  annotations: {}\n");
    } else {
        out.push_str("  annotations:\n");
        for (key, value) in annotations {
            // Values are quoted as kubectl does for strings that look like numbers
            // or booleans; single quotes keep `$2` and backslashes literal.
            let _ = writeln!(out, "    nginx.ingress.kubernetes.io/{key}: '{value}'");
        }
    }
    out.push_str("spec:\n  ingressClassName: nginx\n");
}

fn tls(out: &mut String, hosts: &[&str], secret: &str) {
    out.push_str("  tls:\n  - hosts:\n");
    for host in hosts {
        let _ = writeln!(out, "    - {host}");
    }
    let _ = writeln!(out, "    secretName: {secret}");
}

struct PathSpec {
    path: String,
    path_type: &'static str,
    service: String,
    port: u64,
}

fn rule(out: &mut String, host: &str, paths: &[PathSpec]) {
    let _ = writeln!(out, "  - host: {host}\n    http:\n      paths:");
    for p in paths {
        let _ = writeln!(
            out,
            "      - path: {}\n        pathType: {}\n        backend:\n          service:\n            name: {}\n            port:\n              number: {}",
            p.path, p.path_type, p.service, p.port
        );
    }
}

/// What one (non-canary) Ingress of the realistic estate carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathMode {
    Plain,
    Rewrite,
    Regex,
}

/// The realistic estate of `n` Ingresses (see the module docs), seeded.
pub fn realistic(n: usize, seed: u64) -> (String, Mix) {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(n * 1_000);
    let mut mix = Mix::default();
    let mut i = 0usize;
    let mut host_index = 0usize;
    while i < n {
        // One host, shared by 1–4 Ingresses (canaries included).
        let host = format!("app{host_index}.team{}.example.com", host_index % 97);
        host_index += 1;
        mix.hosts += 1;
        let sharers = 1 + rng.below(4) as usize;
        let canary_host = sharers > 1 && rng.chance(1, 6);
        let mut primary: Option<(String, Vec<PathSpec>)> = None;
        for k in 0..sharers {
            if i >= n {
                break;
            }
            let name = format!("ing-{i}");
            let day = rng.below(365 * 5);
            // A canary half is the second Ingress of a host, paired with the
            // first (one canary per primary: ingress-nginx honours one, and
            // ingress2gateway refuses a rule with two). Hosts with 2+ Ingresses
            // are 3/4 of hosts and a host has 2.5 Ingresses on average, so a
            // canary on 1/6 of those hosts makes 5 % of all Ingresses.
            if let Some((primary_ns, primary_paths)) =
                primary.as_ref().filter(|_| k == 1 && canary_host)
            {
                let weight = rng.chance(1, 2);
                let mut annotations = vec![("canary", "true".to_string())];
                if weight {
                    annotations.push(("canary-weight", (5 + rng.below(40)).to_string()));
                } else {
                    annotations.push(("canary-by-header", "X-Canary".to_string()));
                }
                header(&mut out, &name, primary_ns, day, &annotations);
                out.push_str("  rules:\n");
                let paths: Vec<PathSpec> = primary_paths
                    .iter()
                    .map(|p| PathSpec {
                        path: p.path.clone(),
                        path_type: p.path_type,
                        service: format!("{}-canary", p.service),
                        port: p.port,
                    })
                    .collect();
                rule(&mut out, &host, &paths);
                mix.canary += 1;
                mix.ingresses += 1;
                i += 1;
                continue;
            }
            let namespace = format!("team-{:02}", rng.below(NAMESPACES));
            let plain = rng.chance(40, 95);
            let mut annotations: Vec<(&str, String)> = Vec::new();
            let mut mode = PathMode::Plain;
            let mut with_tls = false;
            if plain {
                mix.plain += 1;
            } else {
                // Shares among the 55 % non-plain, non-canary Ingresses that give
                // the shares of all Ingresses: TLS 20/55, rewrite 15/55, …
                with_tls = rng.chance(20, 55);
                let draw = rng.below(55);
                if draw < 15 {
                    mode = PathMode::Rewrite;
                    annotations.push(("rewrite-target", "/$2".to_string()));
                    mix.rewrite += 1;
                } else if draw < 25 {
                    mode = PathMode::Regex;
                    annotations.push(("use-regex", "true".to_string()));
                    mix.regex += 1;
                }
                if rng.chance(10, 55) {
                    annotations.push(("enable-cors", "true".to_string()));
                    annotations.push((
                        "cors-allow-origin",
                        format!("https://{host}, https://admin.example.com"),
                    ));
                    annotations.push(("cors-allow-methods", "GET, POST, OPTIONS".to_string()));
                    mix.cors += 1;
                }
                if rng.chance(30, 55) {
                    annotations
                        .push(("proxy-read-timeout", (30 * (1 + rng.below(10))).to_string()));
                    mix.timeout += 1;
                }
                // The long tail.
                match rng.below(40) {
                    0 => {
                        annotations.push((
                            "auth-url",
                            "http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth".to_string(),
                        ));
                        annotations.push((
                            "auth-signin",
                            "https://auth.example.com/oauth2/start?rd=$escaped_request_uri"
                                .to_string(),
                        ));
                        mix.auth += 1;
                    }
                    1 => {
                        annotations.push(("auth-type", "basic".to_string()));
                        annotations.push(("auth-secret", "basic-auth".to_string()));
                        annotations.push(("auth-realm", "Authentication Required".to_string()));
                        mix.auth += 1;
                    }
                    2 | 3 => {
                        annotations.push((
                            "whitelist-source-range",
                            "10.0.0.0/8,192.168.0.0/16".to_string(),
                        ));
                        mix.allow_list += 1;
                    }
                    4 => {
                        annotations.push((
                            "configuration-snippet",
                            "more_set_headers \"X-Frame-Options: DENY\";".to_string(),
                        ));
                        mix.snippet += 1;
                    }
                    5 | 6 => {
                        annotations.push(("affinity", "cookie".to_string()));
                        annotations.push(("session-cookie-name", "route".to_string()));
                        mix.affinity += 1;
                    }
                    _ => {}
                }
                if annotations.is_empty() || rng.chance(1, 10) {
                    annotations.push(("proxy-body-size", format!("{}m", 1 + rng.below(64))));
                    mix.body_size += 1;
                }
            }
            header(&mut out, &name, &namespace, day, &annotations);
            if with_tls {
                tls(&mut out, &[&host], &format!("tls-app{}", host_index - 1));
                mix.tls += 1;
            }
            // Each sharer has its own path prefix, so a host's Ingresses add routes
            // rather than all colliding (collisions come from the canaries).
            let services = 1 + rng.below(3);
            let paths: Vec<PathSpec> = (0..services)
                .map(|p| {
                    let base = format!("/s{k}/p{p}");
                    let (path, path_type) = match mode {
                        PathMode::Plain => {
                            (base, if rng.chance(1, 5) { "Exact" } else { "Prefix" })
                        }
                        PathMode::Rewrite => (format!("{base}(/|$)(.*)"), "ImplementationSpecific"),
                        PathMode::Regex => {
                            (format!("{base}/v[0-9]+/items"), "ImplementationSpecific")
                        }
                    };
                    PathSpec {
                        path,
                        path_type,
                        service: format!("svc-{i}-{p}"),
                        port: [80, 8080, 443][rng.below(3) as usize],
                    }
                })
                .collect();
            out.push_str("  rules:\n");
            rule(&mut out, &host, &paths);
            if primary.is_none() {
                primary = Some((namespace, paths));
            }
            mix.ingresses += 1;
            i += 1;
        }
    }
    (out, mix)
}

/// One host in regex mode with `paths` regex paths, split over Ingresses of 50
/// paths each (ingress-nginx turns the whole host into regex locations as soon as
/// one of its Ingresses has `use-regex`).
pub fn regex_host(paths: usize) -> String {
    let mut out = String::with_capacity(paths * 250);
    let per_ingress = 50;
    let mut done = 0;
    let mut index = 0;
    while done < paths {
        let count = per_ingress.min(paths - done);
        header(
            &mut out,
            &format!("regex-{index}"),
            "regex",
            index as u64,
            &[("use-regex", "true".to_string())],
        );
        out.push_str("  rules:\n");
        let specs: Vec<PathSpec> = (done..done + count)
            .map(|p| PathSpec {
                path: format!("/r{p}/v[0-9]+/(items|things)"),
                path_type: "ImplementationSpecific",
                service: format!("svc-{}", p % 100),
                port: 80,
            })
            .collect();
        rule(&mut out, "regex.example.com", &specs);
        done += count;
        index += 1;
    }
    out
}

/// `hosts` hosts, one Ingress each, all using the same TLS Secret (a wildcard
/// certificate, as many clusters have).
pub fn shared_secret(hosts: usize) -> String {
    let mut out = String::with_capacity(hosts * 450);
    for h in 0..hosts {
        let host = format!("site{h}.example.com");
        header(&mut out, &format!("site-{h}"), "web", h as u64, &[]);
        tls(&mut out, &[&host], "wildcard-example-com");
        out.push_str("  rules:\n");
        let spec = PathSpec {
            path: "/".to_string(),
            path_type: "Prefix",
            service: format!("site-{h}"),
            port: 80,
        };
        rule(&mut out, &host, std::slice::from_ref(&spec));
    }
    out
}

/// One Ingress in each of `namespaces` namespaces (each its own host).
pub fn namespace_per_ingress(namespaces: usize) -> String {
    let mut out = String::with_capacity(namespaces * 400);
    for n in 0..namespaces {
        header(&mut out, "web", &format!("tenant-{n}"), n as u64, &[]);
        out.push_str("  rules:\n");
        let spec = PathSpec {
            path: "/".to_string(),
            path_type: "Prefix",
            service: "web".to_string(),
            port: 80,
        };
        rule(
            &mut out,
            &format!("tenant-{n}.example.com"),
            std::slice::from_ref(&spec),
        );
    }
    out
}
