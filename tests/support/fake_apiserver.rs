//! A fake Kubernetes API server for tests: HTTPS on 127.0.0.1 with a freshly
//! generated CA, bearer-token authentication, and enough of the REST API for
//! ing2gw's cluster reader (discovery documents, list with `labelSelector` /
//! `limit` / `continue`, get), serving objects from an in-memory [`Fixture`].
//!
//! Faults can be injected: RBAC denials (403 Status), resource types that are not
//! served (404, as for an uninstalled CRD), transient errors (e.g. one 503),
//! dropped connections and slow answers.
//!
//! ```ignore
//! let (server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(YAML));
//! // ... `ing2gw print -A --kubeconfig <kubeconfig>` or the library ...
//! assert!(server.requests().iter().any(|r| r.path.ends_with("/ingresses")));
//! // dropping `server` shuts it down
//! ```
//!
//! The kubeconfig has two contexts on the same cluster: `fake` (current, valid
//! token) and `fake-wrong-token` (a token the server rejects with 401).
#![allow(dead_code)] // each test binary uses a different part of this support module

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

pub const DEFAULT_TOKEN: &str = "fake-token-for-tests";
pub const CONTEXT: &str = "fake";
pub const WRONG_TOKEN_CONTEXT: &str = "fake-wrong-token";
/// Page size used when a list request asks for more (forces several pages).
pub const DEFAULT_PAGE_SIZE: usize = 2;

/// A resource type the fake serves: one (group, version, plural), namespaced or not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServedType {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
}

impl ServedType {
    fn new(group: &str, version: &str, kind: &str, plural: &str, namespaced: bool) -> Self {
        Self {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
            plural: plural.into(),
            namespaced,
        }
    }

    fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// Built-in groups omit `apiVersion`/`kind` on list items; CRDs keep them.
    fn is_builtin(&self) -> bool {
        matches!(self.group.as_str(), "" | "apps" | "networking.k8s.io")
    }

    fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

fn default_types() -> Vec<ServedType> {
    let gw = "gateway.networking.k8s.io";
    vec![
        ServedType::new("", "v1", "Namespace", "namespaces", false),
        ServedType::new("", "v1", "Service", "services", true),
        ServedType::new("", "v1", "ConfigMap", "configmaps", true),
        ServedType::new("", "v1", "Secret", "secrets", true),
        ServedType::new("networking.k8s.io", "v1", "Ingress", "ingresses", true),
        ServedType::new(
            "networking.k8s.io",
            "v1",
            "IngressClass",
            "ingressclasses",
            false,
        ),
        ServedType::new("apps", "v1", "Deployment", "deployments", true),
        ServedType::new("apps", "v1", "DaemonSet", "daemonsets", true),
        ServedType::new(gw, "v1", "GatewayClass", "gatewayclasses", false),
        ServedType::new(gw, "v1", "Gateway", "gateways", true),
        ServedType::new(gw, "v1", "HTTPRoute", "httproutes", true),
        ServedType::new(gw, "v1", "GRPCRoute", "grpcroutes", true),
        ServedType::new(gw, "v1", "TLSRoute", "tlsroutes", true),
        ServedType::new(gw, "v1", "ReferenceGrant", "referencegrants", true),
        ServedType::new(gw, "v1beta1", "ReferenceGrant", "referencegrants", true),
        ServedType::new(gw, "v1", "ListenerSet", "listenersets", true),
        ServedType::new(gw, "v1", "BackendTLSPolicy", "backendtlspolicies", true),
    ]
}

/// An injected failure for the first `times` requests whose path starts with `path_prefix`.
#[derive(Debug, Clone)]
struct Fault {
    path_prefix: String,
    kind: FaultKind,
    times: u32,
}

#[derive(Debug, Clone)]
enum FaultKind {
    Status(u16),
    EmptyStatus(u16),
    DropConnection,
    Delay(Duration),
}

/// The cluster content and behaviour. Build with the chained methods; panics on
/// malformed fixture input (test code only).
#[derive(Debug, Clone)]
pub struct Fixture {
    objects: Vec<Value>,
    types: Vec<ServedType>,
    token: String,
    page_size: usize,
    context_namespace: Option<String>,
    forbidden_namespaces: BTreeSet<String>,
    forbidden_cluster_wide: BTreeSet<String>,
    forbidden_resources: BTreeSet<String>,
    forbidden_lists: BTreeSet<String>,
    faults: Vec<Fault>,
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

impl Fixture {
    pub fn new() -> Self {
        Self {
            objects: Vec::new(),
            types: default_types(),
            token: DEFAULT_TOKEN.into(),
            page_size: DEFAULT_PAGE_SIZE,
            context_namespace: None,
            forbidden_namespaces: BTreeSet::new(),
            forbidden_cluster_wide: BTreeSet::new(),
            forbidden_resources: BTreeSet::new(),
            forbidden_lists: BTreeSet::new(),
            faults: Vec::new(),
        }
    }

    /// Add objects from YAML (multi-document) or JSON text; `kind: List` is flattened.
    pub fn manifests(mut self, text: &str) -> Self {
        let docs: Vec<Value> = serde_saphyr::from_multiple(text)
            .unwrap_or_else(|e| panic!("fixture manifests do not parse: {e}"));
        for doc in docs {
            self = self.object(doc);
        }
        self
    }

    pub fn object(mut self, value: Value) -> Self {
        match &value {
            Value::Null => {}
            Value::Object(map) if map.get("kind").and_then(Value::as_str) == Some("List") => {
                for item in map
                    .get("items")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    self = self.object(item.clone());
                }
            }
            Value::Object(_) => {
                let kind = value["kind"].as_str().unwrap_or_default();
                let group = group_of(value["apiVersion"].as_str().unwrap_or_default());
                assert!(
                    self.types
                        .iter()
                        .any(|t| t.kind == kind && t.group == group),
                    "fixture object of unserved kind {kind} in group {group:?}; add it with Fixture::serve"
                );
                assert!(
                    value["metadata"]["name"].is_string(),
                    "fixture object {kind} has no metadata.name"
                );
                self.objects.push(value);
            }
            other => panic!("fixture document is not an object: {other}"),
        }
        self
    }

    /// Serve an extra resource type.
    pub fn serve(
        mut self,
        group: &str,
        version: &str,
        kind: &str,
        plural: &str,
        namespaced: bool,
    ) -> Self {
        self.types
            .push(ServedType::new(group, version, kind, plural, namespaced));
        self
    }

    /// Stop serving one (group, version, plural): requests get 404, as for a CRD
    /// that is not installed (or not at that version).
    pub fn without_resource(mut self, group: &str, version: &str, plural: &str) -> Self {
        self.types
            .retain(|t| !(t.group == group && t.version == version && t.plural == plural));
        self
    }

    pub fn token(mut self, token: &str) -> Self {
        self.token = token.into();
        self
    }

    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// Namespace of the kubeconfig contexts.
    pub fn context_namespace(mut self, namespace: &str) -> Self {
        self.context_namespace = Some(namespace.into());
        self
    }

    /// Every request inside this namespace answers 403.
    pub fn forbid_namespace(mut self, namespace: &str) -> Self {
        self.forbidden_namespaces.insert(namespace.into());
        self
    }

    /// The all-namespaces (or cluster-scoped) collection of `plural` answers 403.
    pub fn forbid_cluster_wide(mut self, plural: &str) -> Self {
        self.forbidden_cluster_wide.insert(plural.into());
        self
    }

    /// Every request for `plural`, anywhere, answers 403.
    pub fn forbid_resource(mut self, plural: &str) -> Self {
        self.forbidden_resources.insert(plural.into());
        self
    }

    /// Lists of `plural` (any scope) answer 403; gets by name are allowed.
    pub fn forbid_list(mut self, plural: &str) -> Self {
        self.forbidden_lists.insert(plural.into());
        self
    }

    /// The first `times` requests under `path_prefix` answer `status` (e.g. 503).
    pub fn fail_times(mut self, path_prefix: &str, status: u16, times: u32) -> Self {
        self.faults.push(Fault {
            path_prefix: path_prefix.into(),
            kind: FaultKind::Status(status),
            times,
        });
        self
    }

    /// The first `times` requests under `path_prefix` answer `status` with an empty
    /// body (as some proxies and bare API paths do): no Status, no message.
    pub fn empty_answer_times(mut self, path_prefix: &str, status: u16, times: u32) -> Self {
        self.faults.push(Fault {
            path_prefix: path_prefix.into(),
            kind: FaultKind::EmptyStatus(status),
            times,
        });
        self
    }

    /// The first `times` requests under `path_prefix` get their connection closed
    /// without an answer.
    pub fn drop_connection_times(mut self, path_prefix: &str, times: u32) -> Self {
        self.faults.push(Fault {
            path_prefix: path_prefix.into(),
            kind: FaultKind::DropConnection,
            times,
        });
        self
    }

    /// The first `times` requests under `path_prefix` are answered after `delay`.
    pub fn delay_times(mut self, path_prefix: &str, delay: Duration, times: u32) -> Self {
        self.faults.push(Fault {
            path_prefix: path_prefix.into(),
            kind: FaultKind::Delay(delay),
            times,
        });
        self
    }
}

fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("")
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub authorized: bool,
    pub status: u16,
    /// The `User-Agent` header, when sent.
    pub user_agent: Option<String>,
}

struct State {
    fixture: Fixture,
    requests: Vec<RecordedRequest>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panicking handler must not hide the requests from the test's assertions.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running fake server; dropping it shuts the server down and removes the
/// kubeconfig directory.
pub struct FakeApiServer {
    addr: SocketAddr,
    ca_pem: String,
    state: Arc<Mutex<State>>,
    dir: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeApiServer {
    /// Start on 127.0.0.1 with a fresh port and certificates; returns the handle
    /// and the path of a kubeconfig pointing at it (context `fake`).
    pub fn start(fixture: Fixture) -> (Self, PathBuf) {
        let certs = Certificates::generate();
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind a loopback port for the fake API server");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("listener address");
        let state = Arc::new(Mutex::new(State {
            fixture,
            requests: Vec::new(),
        }));
        let (shutdown_tx, shutdown_rx) = oneshot::channel();
        let acceptor = TlsAcceptor::from(Arc::new(certs.server_config()));
        let thread_state = state.clone();
        let thread = std::thread::Builder::new()
            .name("fake-apiserver".into())
            .spawn(move || serve(listener, acceptor, thread_state, shutdown_rx))
            .expect("spawn the fake API server thread");
        let dir = tempfile::tempdir().expect("temp dir for the kubeconfig");
        let server = Self {
            addr,
            ca_pem: certs.ca_pem,
            state,
            dir,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        };
        let path = server.dir.path().join("kubeconfig.yaml");
        server.write_kubeconfig(&path);
        (server, path)
    }

    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// A directory removed together with the server (for extra kubeconfigs etc.).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Replace the served objects (types, RBAC and faults stay): for tests that
    /// watch objects change while a command polls (e.g. `status --wait`).
    pub fn set_manifests(&self, text: &str) {
        let mut guard = lock(&self.state);
        let mut fixture = std::mem::take(&mut guard.fixture);
        fixture.objects.clear();
        guard.fixture = fixture.manifests(text);
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// Requests whose path is exactly `path`.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Write a kubeconfig for this server at `path` (contexts `fake`, current, and
    /// `fake-wrong-token`).
    pub fn write_kubeconfig(&self, path: &Path) {
        let token = lock(&self.state).fixture.token.clone();
        let namespace = lock(&self.state)
            .fixture
            .context_namespace
            .as_ref()
            .map(|ns| format!("\n    namespace: {ns}"))
            .unwrap_or_default();
        let text = format!(
            "apiVersion: v1
kind: Config
current-context: {CONTEXT}
clusters:
- name: fake
  cluster:
    server: {url}
    certificate-authority-data: {ca}
contexts:
- name: {CONTEXT}
  context:
    cluster: fake
    user: fake{namespace}
- name: {WRONG_TOKEN_CONTEXT}
  context:
    cluster: fake
    user: wrong{namespace}
users:
- name: fake
  user:
    token: {token}
- name: wrong
  user:
    token: not-{token}
",
            url = self.url(),
            ca = base64(self.ca_pem.as_bytes()),
        );
        std::fs::write(path, text).expect("write the fake kubeconfig");
    }
}

impl Drop for FakeApiServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Certificates {
    ca_pem: String,
    server_chain: Vec<pki_types::CertificateDer<'static>>,
    server_key: pki_types::PrivateKeyDer<'static>,
}

impl Certificates {
    fn generate() -> Self {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "ing2gw fake cluster CA");
        let ca_cert = ca_params.self_signed(&ca_key).expect("self-signed CA");
        let issuer = Issuer::new(ca_params, ca_key);

        let server_key = KeyPair::generate().expect("server key");
        let mut params =
            CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
                .expect("server params");
        params
            .distinguished_name
            .push(DnType::CommonName, "kube-apiserver");
        let server_cert = params.signed_by(&server_key, &issuer).expect("server cert");
        Self {
            ca_pem: ca_cert.pem(),
            server_chain: vec![server_cert.der().clone()],
            server_key: pki_types::PrivatePkcs8KeyDer::from(server_key.serialize_der()).into(),
        }
    }

    fn server_config(&self) -> rustls::ServerConfig {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(self.server_chain.clone(), self.server_key.clone_key())
            .expect("server certificate");
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        config
    }
}

fn serve(
    listener: std::net::TcpListener,
    acceptor: TlsAcceptor,
    state: Arc<Mutex<State>>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("fake API server runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        let mut connections = tokio::task::JoinSet::new();
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let acceptor = acceptor.clone();
                    let state = state.clone();
                    connections.spawn(async move {
                        let Ok(tls) = acceptor.accept(stream).await else { return };
                        let service = service_fn(move |req| handle(state.clone(), req));
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(tls), service)
                            .await;
                    });
                }
            }
        }
        // Dropping the JoinSet aborts open connections.
        connections.shutdown().await;
    });
}

type Answer = Result<Response<Full<Bytes>>, std::io::Error>;

async fn handle(state: Arc<Mutex<State>>, req: Request<Incoming>) -> Answer {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = parse_query(req.uri().query().unwrap_or_default());
    let bearer = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let user_agent = req
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // Drain the body (none expected for reads).
    let _ = req.into_body().collect().await;

    let (fault, authorized) = {
        let mut guard = lock(&state);
        let authorized = bearer.as_deref() == Some(guard.fixture.token.as_str());
        let fault = guard
            .fixture
            .faults
            .iter_mut()
            .find(|f| f.times > 0 && path.starts_with(&f.path_prefix))
            .map(|f| {
                f.times -= 1;
                f.kind.clone()
            });
        (fault, authorized)
    };
    let (status, body) = match fault {
        Some(FaultKind::DropConnection) => {
            record(&state, &method, &path, &query, authorized, 0, user_agent);
            return Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "fault injected: connection dropped",
            ));
        }
        Some(FaultKind::Status(code)) => (
            code,
            status_body(code, "injected fault", "ServiceUnavailable"),
        ),
        // `null` is sent as an empty body (below).
        Some(FaultKind::EmptyStatus(code)) => (code, Value::Null),
        Some(FaultKind::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            route(&lock(&state).fixture, &method, &path, &query, authorized)
        }
        None => route(&lock(&state).fixture, &method, &path, &query, authorized),
    };
    record(
        &state, &method, &path, &query, authorized, status, user_agent,
    );
    let text = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let mut response = Response::new(Full::new(Bytes::from(text)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        "content-type",
        "application/json".parse().expect("static header"),
    );
    Ok(response)
}

fn record(
    state: &Mutex<State>,
    method: &str,
    path: &str,
    query: &BTreeMap<String, String>,
    authorized: bool,
    status: u16,
    user_agent: Option<String>,
) {
    lock(state).requests.push(RecordedRequest {
        method: method.into(),
        path: path.into(),
        query: query.clone(),
        authorized,
        status,
        user_agent,
    });
}

fn status_body(code: u16, message: &str, reason: &str) -> Value {
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code
    })
}

/// The REST routing of a (read-only) API server.
fn route(
    fixture: &Fixture,
    method: &str,
    path: &str,
    query: &BTreeMap<String, String>,
    authorized: bool,
) -> (u16, Value) {
    if !authorized {
        return (401, status_body(401, "Unauthorized", "Unauthorized"));
    }
    if method != "GET" {
        return (
            405,
            status_body(405, "the fake API server is read-only", "MethodNotAllowed"),
        );
    }
    let segments: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let (group, version, rest) = match segments.as_slice() {
        ["version"] => {
            return (
                200,
                json!({"major": "1", "minor": "34", "gitVersion": "v1.34.0-fake"}),
            );
        }
        ["api"] => {
            return (
                200,
                json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}),
            );
        }
        ["apis"] => return (200, group_list(fixture)),
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return (404, json!("404 page not found")),
    };
    if rest.is_empty() {
        return resource_list(fixture, group, version);
    }
    let (namespace, plural, name) = match rest {
        ["namespaces", ns, plural] => (Some(*ns), *plural, None),
        ["namespaces", ns, plural, name] => (Some(*ns), *plural, Some(*name)),
        [plural] => (None, *plural, None),
        [plural, name] => (None, *plural, Some(*name)),
        _ => {
            return (
                404,
                status_body(
                    404,
                    "the server could not find the requested resource",
                    "NotFound",
                ),
            );
        }
    };
    let Some(served) = fixture
        .types
        .iter()
        .find(|t| t.group == group && t.version == version && t.plural == plural)
    else {
        return (
            404,
            status_body(
                404,
                "the server could not find the requested resource",
                "NotFound",
            ),
        );
    };
    let verb = if name.is_some() { "get" } else { "list" };
    let denied = fixture.forbidden_resources.contains(plural)
        || (name.is_none() && fixture.forbidden_lists.contains(plural))
        || namespace.is_some_and(|ns| fixture.forbidden_namespaces.contains(ns))
        || (namespace.is_none()
            && name.is_none()
            && fixture.forbidden_cluster_wide.contains(plural));
    if denied {
        let scope = match namespace {
            Some(ns) => format!("in the namespace \"{ns}\""),
            None => "at the cluster scope".to_string(),
        };
        let message = format!(
            "{} is forbidden: User \"system:serviceaccount:test:reader\" cannot {verb} resource \"{plural}\" in API group \"{group}\" {scope}",
            served.qualified()
        );
        return (403, status_body(403, &message, "Forbidden"));
    }
    match name {
        Some(name) => get_object(fixture, served, namespace, name),
        None => list_objects(fixture, served, namespace, query),
    }
}

fn group_list(fixture: &Fixture) -> Value {
    let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in fixture.types.iter().filter(|t| !t.group.is_empty()) {
        groups.entry(&t.group).or_default().insert(&t.version);
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(group, versions)| {
            let versions: Vec<Value> = versions
                .iter()
                .map(|v| json!({"groupVersion": format!("{group}/{v}"), "version": v}))
                .collect();
            let preferred = versions.first().cloned().unwrap_or(Value::Null);
            json!({"name": group, "versions": versions, "preferredVersion": preferred})
        })
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

fn resource_list(fixture: &Fixture, group: &str, version: &str) -> (u16, Value) {
    let resources: Vec<Value> = fixture
        .types
        .iter()
        .filter(|t| t.group == group && t.version == version)
        .map(|t| {
            json!({"name": t.plural, "singularName": t.kind.to_lowercase(), "namespaced": t.namespaced,
                   "kind": t.kind, "verbs": ["get", "list"]})
        })
        .collect();
    if resources.is_empty() {
        return (404, json!("404 page not found"));
    }
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    (
        200,
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}),
    )
}

fn objects_of<'a>(fixture: &'a Fixture, served: &'a ServedType) -> impl Iterator<Item = &'a Value> {
    fixture.objects.iter().filter(move |o| {
        o["kind"].as_str() == Some(served.kind.as_str())
            && group_of(o["apiVersion"].as_str().unwrap_or_default()) == served.group
    })
}

/// As served at the requested version (the fake does no real conversion).
fn at_version(served: &ServedType, object: &Value) -> Value {
    let mut object = object.clone();
    object["apiVersion"] = Value::String(served.api_version());
    object
}

fn get_object(
    fixture: &Fixture,
    served: &ServedType,
    namespace: Option<&str>,
    name: &str,
) -> (u16, Value) {
    let found = objects_of(fixture, served).find(|o| {
        o["metadata"]["name"].as_str() == Some(name)
            && o["metadata"]["namespace"].as_str() == namespace
    });
    match found {
        Some(o) => (200, at_version(served, o)),
        None => {
            let mut body = status_body(
                404,
                &format!("{} \"{name}\" not found", served.qualified()),
                "NotFound",
            );
            body["details"] = json!({"name": name, "group": served.group, "kind": served.plural});
            (404, body)
        }
    }
}

fn list_objects(
    fixture: &Fixture,
    served: &ServedType,
    namespace: Option<&str>,
    query: &BTreeMap<String, String>,
) -> (u16, Value) {
    let selector = match query
        .get("labelSelector")
        .map(|s| Selector::parse(s))
        .transpose()
    {
        Ok(s) => s,
        Err(message) => return (400, status_body(400, &message, "BadRequest")),
    };
    let mut matching: Vec<&Value> = objects_of(fixture, served)
        .filter(|o| namespace.is_none() || o["metadata"]["namespace"].as_str() == namespace)
        .filter(|o| {
            selector
                .as_ref()
                .is_none_or(|s| s.matches(&o["metadata"]["labels"]))
        })
        .collect();
    // etcd key order: namespace, then name.
    matching.sort_by_key(|o| {
        (
            o["metadata"]["namespace"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            o["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    });
    let start = match query.get("continue") {
        None => 0,
        Some(token) => match decode_continue(token, &served.plural) {
            Some(offset) if offset <= matching.len() => offset,
            _ => {
                return (
                    400,
                    status_body(400, "invalid continue token", "BadRequest"),
                );
            }
        },
    };
    let limit = query
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .map_or(usize::MAX, |l| l.min(fixture.page_size));
    let end = start.saturating_add(limit).min(matching.len());
    let items: Vec<Value> = matching[start..end]
        .iter()
        .map(|o| {
            let mut item = at_version(served, o);
            if served.is_builtin()
                && let Some(map) = item.as_object_mut()
            {
                map.remove("apiVersion");
                map.remove("kind");
            }
            item
        })
        .collect();
    let mut metadata = json!({"resourceVersion": "4242"});
    if end < matching.len() {
        metadata["continue"] = Value::String(encode_continue(end, &served.plural));
        metadata["remainingItemCount"] = json!(matching.len() - end);
    }
    (
        200,
        json!({
            "kind": format!("{}List", served.kind),
            "apiVersion": served.api_version(),
            "metadata": metadata,
            "items": items
        }),
    )
}

fn encode_continue(offset: usize, plural: &str) -> String {
    base64(
        format!("{{\"v\":\"meta.k8s.io/v1\",\"rv\":4242,\"start\":\"{plural}/{offset}\"}}")
            .as_bytes(),
    )
}

fn decode_continue(token: &str, plural: &str) -> Option<usize> {
    let text = String::from_utf8(unbase64(token)?).ok()?;
    let value: Value = serde_json::from_str(&text).ok()?;
    let (p, offset) = value["start"].as_str()?.split_once('/')?;
    (p == plural).then(|| offset.parse().ok()).flatten()
}

/// Equality-, inequality- and existence-based label selectors, plus `in`/`notin`.
#[derive(Debug)]
struct Selector(Vec<Requirement>);

#[derive(Debug)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

impl Selector {
    fn parse(text: &str) -> Result<Self, String> {
        let mut terms = Vec::new();
        let mut depth = 0;
        let mut current = String::new();
        for c in text.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    terms.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            current.push(c);
        }
        terms.push(current);
        let mut requirements = Vec::new();
        for term in terms.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let set = |rest: &str| -> Result<Vec<String>, String> {
                let inner = rest
                    .trim()
                    .strip_prefix('(')
                    .and_then(|r| r.strip_suffix(')'))
                    .ok_or_else(|| format!("unable to parse requirement: {term}"))?;
                Ok(inner.split(',').map(|v| v.trim().to_string()).collect())
            };
            let req = if let Some((k, v)) = term.split_once("!=") {
                Requirement::NotEquals(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                Requirement::Equals(k.trim().into(), v.trim().into())
            } else if let Some((k, rest)) = term.split_once(" notin ") {
                Requirement::NotIn(k.trim().into(), set(rest)?)
            } else if let Some((k, rest)) = term.split_once(" in ") {
                Requirement::In(k.trim().into(), set(rest)?)
            } else if let Some(k) = term.strip_prefix('!') {
                Requirement::NotExists(k.trim().into())
            } else if term
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
            {
                Requirement::Exists(term.into())
            } else {
                return Err(format!("unable to parse requirement: {term}"));
            };
            requirements.push(req);
        }
        Ok(Self(requirements))
    }

    fn matches(&self, labels: &Value) -> bool {
        let get = |k: &str| labels.get(k).and_then(Value::as_str);
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
            Requirement::NotEquals(k, v) => get(k) != Some(v.as_str()),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| vs.iter().all(|v| v != x)),
        })
    }
}

fn parse_query(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = BASE64.iter().position(|b| *b == c)? as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

/// Runs the ing2gw binary with `KUBECONFIG` set and no other cluster
/// configuration in reach (no in-cluster variables, `HOME` beside the
/// kubeconfig so `~/.kube/config` is not the developer's).
pub fn ing2gw(kubeconfig: &std::path::Path, args: &[&str]) -> std::process::Output {
    let home = kubeconfig.parent().expect("kubeconfig has a folder");
    ing2gw_with(kubeconfig, home, args)
}

/// [`ing2gw`] with `KUBECONFIG` set to `kubeconfig_env` (a path or a
/// `:`-separated list, as kubectl takes it) and `HOME` to `home`.
pub fn ing2gw_with(
    kubeconfig_env: impl AsRef<std::ffi::OsStr>,
    home: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(args)
        .env("KUBECONFIG", kubeconfig_env)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env_remove("KUBERNETES_SERVICE_PORT")
        .output()
        .expect("the ing2gw binary runs")
}
