//! Snapshots of the traffic-policy facts the passes record in the IR
//! (`Rule.policy`, `Gateway.policy`) for testdata cases rich in them, so a
//! regression in what an implementation emitter receives shows as a diff.
//! One line per fact: the value, then where it came from.

#[path = "support/cases.rs"]
mod cases;

use cases::{case_args, print_options, root};
use ing2gw::input::read_sources;
use ing2gw::ir::{Provenance, Sourced};
use ing2gw::pipeline;
use std::fmt::{Debug, Write};

const CASES: &[&str] = &[
    "annotations/policy-facts",
    "annotations/timeouts/all-keys",
    "annotations/affinity/all-keys",
    "annotations/buffering/all-keys",
    "annotations/error-pages/all-keys",
    "annotations/load-balancing/all-keys",
    "paths/rewrite-idioms",
];

fn origin(p: &Provenance) -> String {
    let mut s = match &p.object {
        Some(o) => o.to_string(),
        None => "ingress-nginx behaviour".into(),
    };
    if let Some(a) = &p.annotation {
        write!(s, " {a}").unwrap();
    }
    if let (Some(r), Some(i)) = (p.rule, p.path) {
        write!(s, " rules[{r}].paths[{i}]").unwrap();
    }
    if let Some(span) = &p.span {
        write!(s, " (line {})", span.line).unwrap();
    }
    s
}

fn fact<T: Debug>(out: &mut String, name: &str, f: &Option<Sourced<T>>) {
    if let Some(f) = f {
        writeln!(
            out,
            "    {name}: {:?}\n      ← {}",
            f.value,
            origin(&f.from)
        )
        .unwrap();
    }
}

fn dump(case: &str) -> String {
    let dir = root().join("testdata").join(case);
    let path = dir.join("input.yaml");
    let files = read_sources(&[path.display().to_string()]).expect("readable");
    let loaded = pipeline::load(&files);
    let t = pipeline::translate(
        &loaded.input,
        &print_options(&case_args(&dir)),
        loaded.report,
    );
    let mut out = String::new();
    for gw in t.ir.gateways.values() {
        let p = &gw.policy;
        writeln!(out, "gateway {}/{}", gw.id.namespace, gw.id.name).unwrap();
        fact(&mut out, "client_ip", &p.client_ip);
        fact(&mut out, "proxy_protocol", &p.proxy_protocol);
        fact(&mut out, "tls_protocols", &p.tls_protocols);
        fact(&mut out, "tls_ciphers", &p.tls_ciphers);
        fact(&mut out, "max_header_bytes", &p.max_header_bytes);
        fact(&mut out, "path_normalisation", &p.path_normalisation);
        fact(&mut out, "compression", &p.compression);
        fact(&mut out, "client_timeouts", &p.client_timeouts);
    }
    for host in t.ir.hosts.values() {
        for rule in &host.rules {
            write!(
                out,
                "rule {} {} [{}]",
                host.id.host, rule.source_path.path, rule.name
            )
            .unwrap();
            let Some(p) = rule.policy.as_deref() else {
                writeln!(out, ": no facts").unwrap();
                continue;
            };
            writeln!(out).unwrap();
            fact(&mut out, "connect_timeout_ms", &p.connect_timeout_ms);
            fact(&mut out, "read_timeout_ms", &p.read_timeout_ms);
            fact(&mut out, "send_timeout_ms", &p.send_timeout_ms);
            fact(&mut out, "next_upstream", &p.next_upstream);
            fact(&mut out, "body_limit_bytes", &p.body_limit_bytes);
            fact(&mut out, "buffering", &p.buffering);
            fact(&mut out, "load_balance", &p.load_balance);
            fact(&mut out, "affinity", &p.affinity);
            fact(&mut out, "error_pages", &p.error_pages);
            fact(&mut out, "upstream_host", &p.upstream_host);
            fact(&mut out, "service_upstream", &p.service_upstream);
            fact(&mut out, "regex_rewrite", &p.regex_rewrite);
            fact(&mut out, "compression", &p.compression);
        }
    }
    out
}

#[test]
fn policy_facts_of_rich_cases() {
    for case in CASES {
        let text = dump(case);
        assert!(text.contains("    "), "{case}: no fact recorded at all");
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("policy_facts__{}", case.replace('/', "__")), text);
        });
    }
}

/// An annotation, the fact its value gives, the fact recorded.
type Expected<'a> = (&'a str, Option<u64>, Option<&'a Sourced<u64>>);

/// On the real-world corpus (skipped when absent), facts and annotations agree
/// both ways for the keys whose value maps one to one: every proxying rule of a
/// non-canary Ingress with a valid `proxy-body-size` / `proxy-*-timeout` carries
/// that value with that annotation as provenance, and every fact that names an
/// annotation names one its Ingress has.
#[test]
fn corpus_facts_agree_with_their_annotations() {
    use ing2gw::passes::annotated::size_bytes;
    let Some(files) = cases::corpus_files(&["yaml"]) else {
        eprintln!("corpus not present, skipped");
        return;
    };
    let options = ing2gw::options::TranslateOptions {
        watch_without_class: true,
        ..Default::default()
    };
    let prefix = options.annotation_prefix.clone();
    let mut checked = 0;
    for file in &files {
        let Ok(sources) = read_sources(&[file.display().to_string()]) else {
            continue;
        };
        let loaded = pipeline::load(&sources);
        let input = loaded.input.clone();
        let t = pipeline::translate(&loaded.input, &options, loaded.report);
        for rule in t.ir.hosts.values().flat_map(|h| h.rules.iter()) {
            let Some(ing) = input
                .ingresses
                .iter()
                .find(|i| Some(&i.obj) == rule.from.object.as_ref())
            else {
                continue;
            };
            let own = rule.from.annotation.is_none()
                && matches!(rule.action, ing2gw::ir::Action::Forward(_))
                && ing.annotation(&format!("{prefix}canary")) != Some("true");
            let p = rule.policy.as_deref();
            // Annotation → fact.
            if own {
                let expect = |key: &str, parse: &dyn Fn(&str) -> Option<u64>| {
                    ing.annotation(&format!("{prefix}{key}")).and_then(parse)
                };
                let pairs: [Expected; 3] = [
                    (
                        "proxy-connect-timeout",
                        expect("proxy-connect-timeout", &|v| {
                            v.parse::<u64>().ok().map(|s| s.saturating_mul(1000))
                        }),
                        p.and_then(|p| p.connect_timeout_ms.as_ref()),
                    ),
                    (
                        "proxy-read-timeout",
                        expect("proxy-read-timeout", &|v| {
                            v.parse::<u64>().ok().map(|s| s.saturating_mul(1000))
                        }),
                        p.and_then(|p| p.read_timeout_ms.as_ref()),
                    ),
                    (
                        "proxy-send-timeout",
                        expect("proxy-send-timeout", &|v| {
                            v.parse::<u64>().ok().map(|s| s.saturating_mul(1000))
                        }),
                        p.and_then(|p| p.send_timeout_ms.as_ref()),
                    ),
                ];
                for (key, want, got) in pairs {
                    if let Some(want) = want {
                        let got = got.unwrap_or_else(|| {
                            panic!("{}: {key} without fact on {}", file.display(), rule.name)
                        });
                        assert_eq!(got.value, want, "{}: {key}", file.display());
                        assert_eq!(
                            got.from.annotation.as_deref(),
                            Some(format!("{prefix}{key}").as_str())
                        );
                        checked += 1;
                    }
                }
                if let Some(want) = ing
                    .annotation(&format!("{prefix}proxy-body-size"))
                    .and_then(size_bytes)
                {
                    let got = p
                        .and_then(|p| p.body_limit_bytes.as_ref())
                        .unwrap_or_else(|| {
                            panic!(
                                "{}: proxy-body-size without fact on {}",
                                file.display(),
                                rule.name
                            )
                        });
                    assert_eq!(got.value, (want > 0).then_some(want), "{}", file.display());
                    checked += 1;
                }
            }
            // Fact → annotation: a named annotation is one its Ingress has.
            let Some(p) = p else { continue };
            let mut named: Vec<&Provenance> = Vec::new();
            macro_rules! from {
                ($($f:ident),*) => { $( if let Some(s) = &p.$f { named.push(&s.from); } )* };
            }
            from!(
                connect_timeout_ms,
                read_timeout_ms,
                send_timeout_ms,
                next_upstream,
                body_limit_bytes,
                buffering,
                load_balance,
                affinity,
                error_pages,
                upstream_host,
                service_upstream,
                regex_rewrite
            );
            for from in named {
                let (Some(obj), Some(key)) = (&from.object, &from.annotation) else {
                    continue;
                };
                if obj.kind != "Ingress" {
                    continue;
                }
                let owner = input
                    .ingresses
                    .iter()
                    .find(|i| &i.obj == obj)
                    .expect("owner in input");
                assert!(
                    owner.annotation(key).is_some(),
                    "{}: fact names {key} which {obj} lacks",
                    file.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} facts checked on the corpus");
}
