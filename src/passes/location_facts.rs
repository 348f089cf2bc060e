//! Traffic-policy facts of the location settings the `misc` pass reports as
//! having no Gateway API field: body size, buffering, custom error pages.
//! Recorded by `misc`, which claims and reports these annotations.
//!
//! ## What ingress-nginx does
//! Per location, each annotation overrides the ConfigMap key of the same name:
//! `proxy-body-size` is `client_max_body_size` (default 1m, `0` unlimited; larger
//! bodies get 413); `proxy-buffering` (default off) and `proxy-request-buffering`
//! (default on) switch response and request buffering, `proxy-buffer-size` and
//! `client-body-buffer-size` size the buffers; `custom-http-errors` (codes 4xx/5xx)
//! sends upstream responses with those codes to the error page of the
//! `default-backend` Service (first port; the controller's default backend
//! without one) unless `disable-proxy-intercept-errors` is true; a
//! `default-backend` alone answers for a Service without endpoints (503).
//!
//! ## What we record
//! On every proxying location rule of a non-canary Ingress (a canary's are
//! ignored by ingress-nginx): `body_limit_bytes` (`None` inside for `0`),
//! `buffering` (when any of its four keys is set; unset parts at the nginx
//! defaults) and `error_pages` (codes + the default-backend Service port, or codes
//! empty for a default-backend alone). Only values set in the annotation or the
//! ConfigMap are facts; the built-in defaults (1m, …) are not recorded. Invalid
//! values record nothing (an invalid annotation falls back to the ConfigMap key,
//! as in ingress-nginx); a default-backend Service missing from the input, or
//! without ports, records no error-page fact (its port is unknown).

use super::annotated::{self, Setting};
use super::{PassContext, parse_go_bool};
use crate::input::InputIngress;
use crate::ir::*;

const BUFFERING_KEYS: [&str; 4] = [
    "proxy-buffering",
    "proxy-request-buffering",
    "proxy-buffer-size",
    "client-body-buffer-size",
];

/// Records the location facts of every non-canary Ingress.
pub fn record(cx: &PassContext, ir: &mut Ir) {
    for (_, ing) in cx.primaries() {
        let body = annotated::setting(cx, ing, "proxy-body-size", |v| {
            annotated::size_bytes(v).map(|b| (b > 0).then_some(b))
        });
        let buffering = buffering(cx, ing);
        let errors = error_pages(cx, ing);
        if body.is_none() && buffering.is_none() && errors.is_none() {
            continue;
        }
        annotated::for_proxy_rules(ir, ing, |rule| {
            let from = rule.from.clone();
            let p = rule.policy_mut();
            p.body_limit_bytes = body.as_ref().map(|s| s.at(cx, ing, &from));
            p.buffering = buffering.as_ref().map(|s| s.at(cx, ing, &from));
            p.error_pages = errors.as_ref().map(|s| s.at(cx, ing, &from));
        });
    }
}

/// nginx's `on`/`off` flag (case-insensitive; nginx splits tokens on spaces).
fn on_off(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

fn buffering(cx: &PassContext, ing: &InputIngress) -> Option<Setting<Buffering>> {
    let response = annotated::setting(cx, ing, BUFFERING_KEYS[0], on_off);
    let request = annotated::setting(cx, ing, BUFFERING_KEYS[1], on_off);
    let buffer = annotated::setting(cx, ing, BUFFERING_KEYS[2], annotated::size_bytes);
    let body = annotated::setting(cx, ing, BUFFERING_KEYS[3], annotated::size_bytes);
    let first = [
        response.as_ref().map(|s| (&s.key, s.annotation)),
        request.as_ref().map(|s| (&s.key, s.annotation)),
        buffer.as_ref().map(|s| (&s.key, s.annotation)),
        body.as_ref().map(|s| (&s.key, s.annotation)),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|(_, annotation)| !annotation)
    .map(|(k, a)| (k.clone(), a))?;
    Some(Setting {
        value: Buffering {
            response: response.as_ref().is_some_and(|s| s.value),
            request: request.as_ref().is_none_or(|s| s.value),
            buffer_bytes: buffer.map(|s| s.value),
            client_body_buffer_bytes: body.map(|s| s.value),
        },
        key: first.0,
        annotation: first.1,
    })
}

/// `custom-http-errors` codes (`^(?:[4,5]\d{2},?)*$`, non-empty; ingress-nginx
/// `Atoi`s each item untrimmed).
fn codes(v: &str) -> Option<Vec<u16>> {
    let mut out = Vec::new();
    for c in v.split(',').filter(|c| !c.is_empty()) {
        let n: u16 = c.parse().ok().filter(|n| (400..600).contains(n))?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    (!out.is_empty()).then_some(out)
}

fn error_pages(cx: &PassContext, ing: &InputIngress) -> Option<Setting<ErrorPages>> {
    let intercept_off =
        annotated::setting(cx, ing, "disable-proxy-intercept-errors", parse_go_bool)
            .is_some_and(|s| s.value);
    let codes = annotated::setting(cx, ing, "custom-http-errors", codes).filter(|_| !intercept_off);
    let backend = match annotated::value(cx, ing, "default-backend").map(str::trim) {
        None => None,
        Some(name) => {
            let svc = cx.service(ing.namespace(), name)?;
            let port = svc
                .spec
                .as_ref()
                .and_then(|s| s.ports.as_ref())
                .and_then(|p| p.first())
                .and_then(|p| u16::try_from(p.port).ok())?;
            Some(Backend {
                namespace: ing.namespace().to_string(),
                service: name.to_string(),
                port,
                weight: None,
            })
        }
    };
    match (codes, backend) {
        (Some(codes), backend) => Some(codes.map(|c| ErrorPages { codes: c, backend })),
        (None, Some(backend)) => Some(Setting {
            value: ErrorPages {
                codes: Vec::new(),
                backend: Some(backend),
            },
            key: "default-backend".into(),
            annotation: true,
        }),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::test_support::{configmap, ingress, ir_of, policy};

    const SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: errors
  namespace: default
spec:
  ports:
  - port: 8080
---
";

    #[test]
    fn error_code_lists() {
        assert_eq!(codes("404,503,404,"), Some(vec![404, 503]));
        assert_eq!(codes("404, 503"), None);
        assert_eq!(codes("302"), None);
        assert_eq!(codes("abc"), None);
        assert_eq!(codes(""), None);
    }

    #[test]
    fn body_size_from_annotation_and_configmap() {
        let yaml = configmap(&[("proxy-body-size", "8m")])
            + &ingress("big", "b.example", "/", "b", &[("proxy-body-size", "100m")])
            + &ingress(
                "unlimited",
                "u.example",
                "/",
                "u",
                &[("proxy-body-size", "0")],
            )
            + &ingress("default", "d.example", "/", "d", &[])
            + &ingress("bad", "x.example", "/", "x", &[("proxy-body-size", "10MB")]);
        let ir = ir_of(&yaml);
        let b = policy(&ir, "b.example", "/")
            .unwrap()
            .body_limit_bytes
            .as_ref()
            .unwrap();
        assert_eq!(b.value, Some(100 << 20));
        assert_eq!(
            b.from.annotation.as_deref(),
            Some("nginx.ingress.kubernetes.io/proxy-body-size")
        );
        assert!(b.from.span.is_some());
        let u = policy(&ir, "u.example", "/")
            .unwrap()
            .body_limit_bytes
            .as_ref()
            .unwrap();
        assert_eq!(u.value, None);
        for host in ["d.example", "x.example"] {
            let d = policy(&ir, host, "/")
                .unwrap()
                .body_limit_bytes
                .as_ref()
                .unwrap();
            assert_eq!(d.value, Some(8 << 20), "{host}");
            assert_eq!(d.from.annotation.as_deref(), Some("proxy-body-size"));
        }
    }

    #[test]
    fn buffering_parts_and_defaults() {
        let yaml = ingress(
            "buf",
            "b.example",
            "/",
            "b",
            &[
                ("proxy-request-buffering", "off"),
                ("client-body-buffer-size", "16k"),
            ],
        ) + &ingress(
            "bad",
            "x.example",
            "/",
            "x",
            &[("proxy-buffering", "sometimes")],
        );
        let ir = ir_of(&yaml);
        let b = policy(&ir, "b.example", "/")
            .unwrap()
            .buffering
            .as_ref()
            .unwrap();
        assert_eq!(
            b.value,
            Buffering {
                response: false,
                request: false,
                buffer_bytes: None,
                client_body_buffer_bytes: Some(16 << 10)
            }
        );
        assert_eq!(
            b.from.annotation.as_deref(),
            Some("nginx.ingress.kubernetes.io/proxy-request-buffering")
        );
        assert!(policy(&ir, "x.example", "/").is_none_or(|p| p.buffering.is_none()));
    }

    #[test]
    fn error_pages_with_and_without_default_backend() {
        let yaml = SERVICE.to_string()
            + &configmap(&[("custom-http-errors", "500")])
            + &ingress(
                "both",
                "b.example",
                "/",
                "b",
                &[
                    ("custom-http-errors", "404,503"),
                    ("default-backend", "errors"),
                ],
            )
            + &ingress("cm", "c.example", "/", "c", &[])
            + &ingress(
                "alone",
                "a.example",
                "/",
                "a",
                &[
                    ("default-backend", "errors"),
                    ("disable-proxy-intercept-errors", "true"),
                ],
            )
            + &ingress(
                "missing",
                "m.example",
                "/",
                "m",
                &[
                    ("custom-http-errors", "404"),
                    ("default-backend", "nowhere"),
                ],
            );
        let ir = ir_of(&yaml);
        let errors = Backend {
            namespace: "default".into(),
            service: "errors".into(),
            port: 8080,
            weight: None,
        };
        let b = policy(&ir, "b.example", "/")
            .unwrap()
            .error_pages
            .as_ref()
            .unwrap();
        assert_eq!(
            b.value,
            ErrorPages {
                codes: vec![404, 503],
                backend: Some(errors.clone())
            }
        );
        assert_eq!(
            b.from.annotation.as_deref(),
            Some("nginx.ingress.kubernetes.io/custom-http-errors")
        );
        let c = policy(&ir, "c.example", "/")
            .unwrap()
            .error_pages
            .as_ref()
            .unwrap();
        assert_eq!(
            c.value,
            ErrorPages {
                codes: vec![500],
                backend: None
            }
        );
        assert_eq!(c.from.annotation.as_deref(), Some("custom-http-errors"));
        let a = policy(&ir, "a.example", "/")
            .unwrap()
            .error_pages
            .as_ref()
            .unwrap();
        assert_eq!(
            a.value,
            ErrorPages {
                codes: vec![],
                backend: Some(errors)
            }
        );
        assert!(policy(&ir, "m.example", "/").is_none_or(|p| p.error_pages.is_none()));
    }
}
