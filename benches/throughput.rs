//! Throughput of `print`: load + translate + emit for N generated Ingresses.
//!
//! ```sh
//! cargo bench --bench throughput              # N = 10000
//! cargo bench --bench throughput -- 1000 10000 50000
//! ING2GW_BENCH_N=50000 cargo bench --bench throughput
//! ```
//!
//! The input is a realistic mix: 40 namespaces, hosts shared by up to three
//! Ingresses, 1–4 paths (Prefix, Exact, ImplementationSpecific), TLS on a third of
//! the Ingresses, some with ssl-redirect/force-ssl-redirect, and annotations no
//! pass handles (so the unhandled-annotation report is part of the work).

use ing2gw::input::SourceFile;
use ing2gw::options::TranslateOptions;
use ing2gw::{output, pipeline};
use std::fmt::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Deterministic pseudo-random numbers (no dependency, same input every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// `n` Ingresses as one multi-document YAML file.
pub fn generate(n: usize) -> String {
    let mut rng = Lcg(42);
    let mut out = String::with_capacity(n * 900);
    for i in 0..n {
        let ns = format!("team-{:02}", rng.next(40));
        // About three Ingresses per host, spread over namespaces.
        let host = format!("app{}.example.com", i / 3);
        let tls = rng.next(3) == 0;
        let _ = writeln!(
            out,
            "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing-{i}\n  namespace: {ns}\n  creationTimestamp: \"2024-01-{:02}T{:02}:00:00Z\"\n  annotations:",
            1 + rng.next(28),
            rng.next(24)
        );
        match rng.next(6) {
            0 => out.push_str("    nginx.ingress.kubernetes.io/ssl-redirect: \"false\"\n"),
            1 => out.push_str("    nginx.ingress.kubernetes.io/force-ssl-redirect: \"true\"\n"),
            _ => {}
        }
        if rng.next(2) == 0 {
            out.push_str("    nginx.ingress.kubernetes.io/proxy-body-size: 8m\n");
        }
        if rng.next(4) == 0 {
            out.push_str("    cert-manager.io/cluster-issuer: letsencrypt\n");
        }
        out.push_str("spec:\n  ingressClassName: nginx\n");
        if tls {
            let _ = writeln!(
                out,
                "  tls:\n  - hosts:\n    - {host}\n    secretName: tls-{}",
                i / 3
            );
        }
        let _ = writeln!(out, "  rules:\n  - host: {host}\n    http:\n      paths:");
        for p in 0..1 + rng.next(4) {
            let path_type = ["Prefix", "Exact", "ImplementationSpecific"][rng.next(3) as usize];
            let _ = writeln!(
                out,
                "      - path: /svc{}/p{p}\n        pathType: {path_type}\n        backend:\n          service:\n            name: svc-{}\n            port:\n              number: {}",
                i % 3,
                rng.next(200),
                80 + rng.next(3)
            );
        }
    }
    out
}

struct Timing {
    load: Duration,
    translate: Duration,
    emit: Duration,
    cpu: Option<Duration>,
    objects: usize,
    notifications: usize,
}

/// CPU time of this process (user + system), from `/proc/self/stat` on Linux: on a
/// shared machine it says how much work was done when wall time is inflated.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the `(comm)`: state is field 3, utime 14 and stime 15.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every mainstream Linux configuration.
    Some(Duration::from_millis(ticks * 10))
}

fn measure(n: usize) -> Timing {
    let text = generate(n);
    let file = SourceFile {
        name: "bench.yaml".into(),
        text: Arc::from(text),
    };
    let options = TranslateOptions::default();
    let cpu0 = cpu_time();
    let t0 = Instant::now();
    let loaded = pipeline::load(std::slice::from_ref(&file));
    assert_eq!(loaded.input.ingresses.len(), n, "every Ingress decodes");
    let t1 = Instant::now();
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    let t2 = Instant::now();
    let yaml = output::to_yaml(&t.objects).expect("serialisable");
    let t3 = Instant::now();
    let cpu = cpu_time().zip(cpu0).map(|(b, a)| b - a);
    std::hint::black_box(&yaml);
    Timing {
        load: t1 - t0,
        translate: t2 - t1,
        emit: t3 - t2,
        cpu,
        objects: t.objects.len(),
        notifications: t.notifications.len(),
    }
}

fn main() {
    let mut sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes.push(
            std::env::var("ING2GW_BENCH_N")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(10_000),
        );
    }
    println!(
        "{:>8} {:>10} {:>10} {:>10} {:>10} {:>12} {:>10} {:>8} {:>8}",
        "N",
        "load ms",
        "transl ms",
        "emit ms",
        "total ms",
        "Ingresses/s",
        "cpu ms",
        "objects",
        "notes"
    );
    for n in sizes {
        let t = measure(n);
        let total = t.load + t.translate + t.emit;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:>8} {:>10.1} {:>10.1} {:>10.1} {:>10.1} {:>12.0} {:>10} {:>8} {:>8}",
            n,
            ms(t.load),
            ms(t.translate),
            ms(t.emit),
            ms(total),
            n as f64 / total.as_secs_f64(),
            t.cpu.map_or("n/a".to_string(), |c| format!("{:.0}", ms(c))),
            t.objects,
            t.notifications
        );
    }
}
