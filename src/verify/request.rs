//! The request/response vocabulary shared by the ingress-nginx model, the Gateway
//! API model, the probe generator and the real-nginx harness.

use serde::Serialize;
use std::collections::BTreeMap;

/// Scheme the client used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    Http,
    Https,
}

/// One concrete request sent to both models.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Probe {
    pub scheme: Scheme,
    /// Value of the Host header, without port.
    pub host: String,
    /// The raw request target as sent on the wire: path and optional `?query`,
    /// not normalised (normalisation is part of what the models decide).
    pub target: String,
    pub method: String,
    /// Extra request headers (lower-case names), e.g. canary headers or `cookie`.
    pub headers: BTreeMap<String, String>,
}

impl Probe {
    pub fn get(scheme: Scheme, host: &str, target: &str) -> Self {
        Probe {
            scheme,
            host: host.to_string(),
            target: target.to_string(),
            method: "GET".into(),
            headers: BTreeMap::new(),
        }
    }
}

/// A Service port a request is proxied to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ServiceTarget {
    pub namespace: String,
    pub name: String,
    /// Port number, or the port name when unresolved.
    pub port: String,
}

/// What a model says happens to a probe.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Outcome {
    /// Proxied to a backend, which receives `uri` (path and query) and the
    /// request headers that the configuration adds or changes.
    Backend {
        service: ServiceTarget,
        uri: String,
        headers: BTreeMap<String, String>,
    },
    /// A redirect response.
    Redirect { status: u16, location: String },
    /// Any other fixed status (404 from no match, 503 from a denied location …).
    Status { status: u16 },
    /// The controller's default backend (ingress-nginx answers 404 there).
    DefaultBackend,
    /// A redirect to a scheme and port on which no listener accepts the host:
    /// the client's next request cannot be answered.
    UnreachableRedirect { status: u16, location: String },
    /// The model does not cover what decides this request; never a guess.
    NotModelled { reason: String },
    /// The Gateway API specification leaves the result to the implementation.
    ImplementationDefined { reason: String },
}
