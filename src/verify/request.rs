//! The request/response vocabulary shared by the ingress-nginx model, the Gateway
//! API model, the probe generator and the real-nginx harness.

use serde::Serialize;
use std::collections::BTreeMap;
use std::net::IpAddr;

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
    /// The client's address, as IP allow/deny lists see it: [`DEFAULT_CLIENT`]
    /// unless the probe tests an address inside a list.
    #[serde(skip_serializing_if = "is_default_client")]
    pub client: IpAddr,
    /// A request body of this many bytes, announced by `Content-Length`: set
    /// on the probes just below and above a body size limit (ingress-nginx's
    /// `client_max_body_size` answers 413 above it). `None`: no body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<u64>,
}

/// The client address of a probe unless it says otherwise: the loopback
/// address the real-nginx agreement test sends from, which allow-lists in
/// practice do not admit.
pub const DEFAULT_CLIENT: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

fn is_default_client(ip: &IpAddr) -> bool {
    *ip == DEFAULT_CLIENT
}

impl Probe {
    pub fn get(scheme: Scheme, host: &str, target: &str) -> Self {
        Probe {
            scheme,
            host: host.to_string(),
            target: target.to_string(),
            method: "GET".into(),
            headers: BTreeMap::new(),
            client: DEFAULT_CLIENT,
            body: None,
        }
    }

    /// The same request with a body of `bytes` bytes.
    pub fn with_body(mut self, bytes: u64) -> Self {
        self.body = Some(bytes);
        self
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

/// One backend of a [`Outcome::Split`] and its weight.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Share {
    pub service: ServiceTarget,
    pub weight: u64,
}

/// A copy of the request sent to a mirror (its answer is ignored): part of the
/// outcome, so a lost or redirected mirror is a divergence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Mirror {
    /// `namespace/name:port` of a Service, or the URL's `host:port` when the
    /// target is not a cluster Service.
    pub target: String,
    /// The Host header the mirror gets, when it is set explicitly
    /// (`mirror-host`). `None`: the default, which differs by implementation
    /// (ingress-nginx: the target's host; Envoy: the request's Host with
    /// `-shadow`) and is not compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The share of requests mirrored as a reduced fraction; `[1, 1]`: all.
    pub fraction: [u32; 2],
}

impl Mirror {
    /// A mirror of every request.
    pub fn all(target: String, host: Option<String>) -> Self {
        Mirror {
            target,
            host,
            fraction: [1, 1],
        }
    }
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
    /// A weighted random choice between backends (canary weights, weighted
    /// backendRefs): each receives `uri` and `headers` with its share of the
    /// requests, `weight` of the sum of all weights.
    Split {
        shares: Vec<Share>,
        uri: String,
        headers: BTreeMap<String, String>,
    },
    /// An external authorization service decides first (a symbolic outcome:
    /// its answer is not modelled): a request it denies gets its 401/403, or a
    /// redirect to `signin` when one is set; a request it allows gets `then`.
    /// `service` is the authorization Service as `namespace/name:port`, or the
    /// URL's host and port when it is not a cluster Service.
    ExternalAuth {
        service: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        signin: Option<String>,
        then: Box<Outcome>,
    },
    /// The request is forwarded as `then` says, and a copy of it is sent to
    /// each of `mirrors` (sorted).
    Mirrored {
        mirrors: Vec<Mirror>,
        then: Box<Outcome>,
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
    /// No HTTP response at all: nothing listens on the port (connection
    /// refused) or no listener accepts the host for TLS (the handshake fails).
    NoResponse { reason: String },
    /// The model does not cover what decides this request; never a guess.
    NotModelled { reason: String },
    /// The Gateway API specification leaves the result to the implementation.
    ImplementationDefined { reason: String },
}
