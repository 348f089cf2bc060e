//! Judging live answers: the two endpoints against each other (the migration
//! question), and each endpoint against its model's prediction (is the model,
//! or the implementation, what we think it is).

use super::client::{Answer, FailureKind, Reply};
use crate::verify::compare::{Side, canonical, forwarded};
use crate::verify::render::outcome_text;
use crate::verify::request::Outcome;
use serde::Serialize;

/// What a model's outcome says a live endpoint must answer. A forwarded request
/// gets whatever the backend answers, so only "an answer" can be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    Status(u16),
    Redirect {
        status: u16,
        location: String,
    },
    /// Some HTTP answer (a backend or an authorization service decides the status).
    Answer,
    /// No HTTP response: connection refused or TLS handshake failed.
    NoResponse,
    /// The model does not decide (not modelled, implementation-defined).
    Unknown,
}

/// The expectation for `outcome`; `fake_certificate`: ingress-nginx presents
/// its self-signed certificate, which a verifying client refuses.
pub fn expect(outcome: &Outcome, fake_certificate: bool, verify_tls: bool) -> Expect {
    if fake_certificate && verify_tls {
        return Expect::NoResponse;
    }
    match forwarded(outcome) {
        Outcome::Redirect { status, location }
        | Outcome::UnreachableRedirect { status, location } => Expect::Redirect {
            status: *status,
            location: location.clone(),
        },
        Outcome::Status { status } => Expect::Status(*status),
        Outcome::DefaultBackend => Expect::Status(404),
        Outcome::NoResponse { .. } => Expect::NoResponse,
        Outcome::Backend { .. } | Outcome::Split { .. } | Outcome::ExternalAuth { .. } => {
            Expect::Answer
        }
        Outcome::Mirrored { .. } => Expect::Answer,
        Outcome::NotModelled { .. } | Outcome::ImplementationDefined { .. } => Expect::Unknown,
    }
}

/// A `Location` as compared: scheme and host lower-cased, an empty path as `/`.
fn same_location(a: &str, b: &str) -> bool {
    let c = |l: &str| {
        canonical(&Outcome::Redirect {
            status: 0,
            location: l.to_string(),
        })
    };
    c(a) == c(b)
}

/// A live reply in a few words.
pub fn reply_text(r: &Reply) -> String {
    match r {
        Reply::Answered(a) => match &a.location {
            Some(l) => format!("{} → {l}", a.status),
            None => a.status.to_string(),
        },
        Reply::Failed { kind, error } => {
            let kind = match kind {
                FailureKind::Connect => "connect",
                FailureKind::Tls => "tls",
                FailureKind::Http => "http",
                FailureKind::Timeout => "timeout",
            };
            format!("no response ({kind}: {error})")
        }
    }
}

/// Where a live reply contradicts the model's prediction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelDisagreement {
    pub side: Side,
    pub predicted: String,
    pub live: String,
}

/// `Some` when `reply` contradicts `expect` (a model bug or an implementation
/// difference: the line says which side, the operator decides which).
pub fn check(
    side: Side,
    predicted: &Outcome,
    expect: &Expect,
    reply: &Reply,
) -> Option<ModelDisagreement> {
    let agrees = match (expect, reply) {
        (Expect::Unknown, _) => true,
        (Expect::NoResponse, Reply::Failed { kind, .. }) => {
            matches!(kind, FailureKind::Connect | FailureKind::Tls)
        }
        (Expect::NoResponse, Reply::Answered(_)) => false,
        (_, Reply::Failed { .. }) => false,
        (Expect::Answer, Reply::Answered(_)) => true,
        (Expect::Status(s), Reply::Answered(a)) => a.status == *s,
        (Expect::Redirect { status, location }, Reply::Answered(a)) => {
            a.status == *status
                && a.location
                    .as_deref()
                    .is_some_and(|l| same_location(l, location))
        }
    };
    (!agrees).then(|| ModelDisagreement {
        side,
        predicted: match expect {
            Expect::NoResponse => format!("no response ({})", outcome_text(predicted)),
            _ => outcome_text(predicted),
        },
        live: reply_text(reply),
    })
}

/// How the two live replies compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    Same,
    Different(Vec<String>),
    /// Neither endpoint answered, though one was expected to: nothing compared.
    Unanswered(String),
}

/// Compares ingress-nginx's reply `n` with the Gateway's `g`. `status_only`:
/// a weighted split, where either backend may answer. `nginx_unserved`: the
/// model says ingress-nginx does not serve the probe (no response, or a
/// verifying client refuses its fake certificate).
pub fn compare(n: &Reply, g: &Reply, status_only: bool, nginx_unserved: bool) -> Comparison {
    match (n, g) {
        (Reply::Answered(a), Reply::Answered(b)) => {
            let d = answer_differences(a, b, status_only);
            if d.is_empty() {
                Comparison::Same
            } else {
                Comparison::Different(d)
            }
        }
        (Reply::Failed { .. }, Reply::Failed { .. }) if nginx_unserved => Comparison::Same,
        (Reply::Failed { .. }, Reply::Failed { .. }) => Comparison::Unanswered(format!(
            "ingress-nginx: {}; Gateway: {}",
            reply_text(n),
            reply_text(g)
        )),
        // "Not served" either way: ingress-nginx's 404 for a host or path it
        // does not route, a Gateway refusing the connection or handshake.
        (Reply::Answered(a), Reply::Failed { kind, .. })
            if a.status == 404 && matches!(kind, FailureKind::Connect | FailureKind::Tls) =>
        {
            Comparison::Same
        }
        _ => Comparison::Different(vec![format!(
            "ingress-nginx {} / Gateway {}",
            reply_text(n),
            reply_text(g)
        )]),
    }
}

fn answer_differences(a: &Answer, b: &Answer, status_only: bool) -> Vec<String> {
    let mut d = Vec::new();
    if a.status != b.status {
        d.push(format!("status {} / {}", a.status, b.status));
    }
    if status_only {
        return d;
    }
    let shown = |v: Option<&String>| v.map_or("(none)".to_string(), |v| v.clone());
    let location_same = match (&a.location, &b.location) {
        (Some(x), Some(y)) => same_location(x, y),
        (None, None) => true,
        _ => false,
    };
    if !location_same {
        d.push(format!(
            "Location {} / {}",
            shown(a.location.as_ref()),
            shown(b.location.as_ref())
        ));
    }
    let names: std::collections::BTreeSet<&String> =
        a.headers.keys().chain(b.headers.keys()).collect();
    for name in names {
        let (x, y) = (a.headers.get(name), b.headers.get(name));
        if x != y {
            d.push(format!("{name}: {} / {}", shown(x), shown(y)));
        }
    }
    // Bodies of the application's answers only: error pages and redirects
    // are each proxy's own (ingress-nginx's default backend, Envoy's 404).
    if a.status < 300 && b.status < 300 && a.body_sha256 != b.body_sha256 {
        d.push("body differs (SHA-256)".into());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn answer(status: u16, location: Option<&str>) -> Reply {
        Reply::Answered(Answer {
            status,
            location: location.map(str::to_string),
            headers: BTreeMap::new(),
            body_sha256: None,
        })
    }

    fn refused() -> Reply {
        Reply::Failed {
            kind: FailureKind::Connect,
            error: "refused".into(),
        }
    }

    #[test]
    fn redirects_compare_canonically() {
        let n = answer(308, Some("https://App.example.com"));
        let g = answer(308, Some("https://app.example.com/"));
        assert_eq!(compare(&n, &g, false, false), Comparison::Same);
        let g = answer(301, Some("https://app.example.com/"));
        assert!(
            matches!(compare(&n, &g, false, false), Comparison::Different(d) if d[0].contains("status 308 / 301"))
        );
    }

    #[test]
    fn headers_and_bodies_are_compared_unless_split() {
        let mut a = Answer {
            status: 200,
            location: None,
            headers: BTreeMap::from([("strict-transport-security".into(), "max-age=1".into())]),
            body_sha256: Some("x".into()),
        };
        let mut b = a.clone();
        b.headers.clear();
        b.body_sha256 = Some("y".into());
        let (ra, rb) = (Reply::Answered(a.clone()), Reply::Answered(b.clone()));
        let Comparison::Different(d) = compare(&ra, &rb, false, false) else {
            panic!("different")
        };
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].starts_with("strict-transport-security: max-age=1 / (none)"));
        assert_eq!(compare(&ra, &rb, true, false), Comparison::Same);
        a.status = 503;
        assert!(matches!(
            compare(&Reply::Answered(a), &rb, true, false),
            Comparison::Different(_)
        ));
    }

    #[test]
    fn unserved_either_way_is_the_same() {
        assert_eq!(
            compare(&answer(404, None), &refused(), false, false),
            Comparison::Same
        );
        assert_eq!(
            compare(&refused(), &refused(), false, true),
            Comparison::Same
        );
        assert!(matches!(
            compare(&refused(), &refused(), false, false),
            Comparison::Unanswered(_)
        ));
        assert!(matches!(
            compare(&answer(200, None), &refused(), false, false),
            Comparison::Different(_)
        ));
    }

    #[test]
    fn predictions_are_checked() {
        let redirect = Outcome::Redirect {
            status: 308,
            location: "https://a.example/".into(),
        };
        let e = expect(&redirect, false, true);
        assert!(
            check(
                Side::GatewayApi,
                &redirect,
                &e,
                &answer(308, Some("https://a.example"))
            )
            .is_none()
        );
        let m = check(Side::GatewayApi, &redirect, &e, &answer(404, None)).unwrap();
        assert_eq!(m.live, "404");
        assert_eq!(
            expect(&Outcome::DefaultBackend, false, true),
            Expect::Status(404)
        );
        assert_eq!(
            expect(&Outcome::DefaultBackend, true, true),
            Expect::NoResponse
        );
        assert_eq!(
            expect(&Outcome::DefaultBackend, true, false),
            Expect::Status(404)
        );
        let unknown = Outcome::NotModelled { reason: "x".into() };
        let e = expect(&unknown, false, true);
        assert!(check(Side::IngressNginx, &unknown, &e, &refused()).is_none());
    }
}
