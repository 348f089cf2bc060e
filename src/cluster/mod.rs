//! Live cluster input: reads the objects ing2gw translates (Ingresses and what
//! they depend on) and the Gateway API objects `diff --against cluster` compares
//! with, from a Kubernetes API server.
//!
//! # Connection
//!
//! `--kubeconfig` (with `--context` to pick a context), else `$KUBECONFIG` /
//! `~/.kube/config`, else the in-cluster service account (the order of kube's
//! `Config::infer`). Every request has a deadline ([`ClusterOptions::timeout`]);
//! 429, 5xx and dropped connections are retried (3 attempts in all, 200 ms then
//! 400 ms apart, or the server's `retryAfterSeconds` up to 5 s). Lists are paginated
//! (`limit=500` and `continue`; an expired continue token restarts the list once).
//!
//! # What is read, and the RBAC it needs
//!
//! Secrets are **never** read: TLS secret names come from the Ingress spec.
//!
//! | Resource | Verbs | Scope | Required? |
//! |---|---|---|---|
//! | `ingresses.networking.k8s.io` | `list` | each `-n` namespace, or cluster-wide with `-A` | required (a namespace that denies it becomes a warning; with `-A` a denial is an error) |
//! | `ingressclasses.networking.k8s.io` | `list` | cluster | optional: without it `ingressClassName` is not resolved (warning) |
//! | `services` | `list` (or only `get`) | namespaces the Ingresses point into (`-A`: cluster-wide `list` tried first) | optional: without it port names / `appProtocol` are unknown (warning) |
//! | `configmaps` | `get` | the controller ConfigMap only (may be restricted with `resourceNames`) | optional: defaults assumed (warning) |
//! | `deployments.apps`, `daemonsets.apps` | `list` | cluster-wide, or namespace `ingress-nginx` | optional: only to find the ConfigMap; not needed with `--nginx-configmap` |
//! | `customresourcedefinitions.apiextensions.k8s.io` | `get` | cluster, names `gateways.gateway.networking.k8s.io`, `referencegrants.gateway.networking.k8s.io` | optional: the Gateway API version and channel the output defaults to (a denial keeps the defaults, with a warning) |
//! | `gatewayclasses.gateway.networking.k8s.io` | `get` | cluster, the target class | optional: whether the generated Gateways' class exists |
//! | `gateway.networking.k8s.io`: `gateways`, `httproutes`, `grpcroutes`, `tlsroutes`, `referencegrants`, `listenersets`, `backendtlspolicies` | `list` | the compared namespaces | only for `diff --against cluster`; a denial or an absent CRD is a warning |
//!
//! `docs/rbac.md` has the matching ClusterRole.

mod collected;
mod connect;
mod controller;
pub mod crds;
mod error;
mod gateway_objects;
mod ingress_inputs;
mod ingress_refs;
mod progress;
mod reader;
mod resources;

use std::path::PathBuf;
use std::time::Duration;

pub use error::ClusterError;
pub use ingress_inputs::PREFIX_NOT_CHECKED;

use collected::Scope;
use reader::Reader;

/// How to reach the cluster and what to read (the `-n`, `-A`, `-l`,
/// `--kubeconfig`, `--context`, `--nginx-configmap` flags).
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    /// `-n`, repeatable; empty and not `all_namespaces` = the context's namespace
    /// (or `default`, or the service account's namespace in-cluster).
    pub namespaces: Vec<String>,
    pub all_namespaces: bool,
    /// `-l` label selector, applied to Ingresses (passed to the server verbatim).
    pub selector: Option<String>,
    /// `--nginx-configmap NAMESPACE/NAME`; when set, the controllers' workloads
    /// are still read, for their `--annotations-prefix` only.
    pub nginx_configmap: Option<(String, String)>,
    /// Deadline per request (and connect); zero means none, as for kubectl.
    pub timeout: Duration,
    /// Show a spinner on stderr; pass true only when stderr is a terminal.
    pub progress: bool,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        Self {
            kubeconfig: None,
            context: None,
            namespaces: Vec::new(),
            all_namespaces: false,
            selector: None,
            nginx_configmap: None,
            timeout: Duration::from_secs(30),
            progress: false,
        }
    }
}

/// One object as returned by the API server, with `apiVersion`/`kind` filled in
/// (lists omit them) and `metadata.managedFields` removed.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterObject {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub value: serde_json::Value,
}

/// Something that could not be read but did not stop the run (RBAC denial in a
/// namespace, CRD not installed, controller ConfigMap not found).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClusterWarning {
    pub namespace: Option<String>,
    /// kubectl/RBAC spelling, e.g. `ingresses.networking.k8s.io`, `services`.
    pub resource: String,
    pub message: String,
}

/// Objects sorted by (kind, namespace, name), warnings sorted, and the context used.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSnapshot {
    pub objects: Vec<ClusterObject>,
    pub warnings: Vec<ClusterWarning>,
    /// Kubeconfig context name, or `in-cluster`.
    pub context: String,
    /// `--annotations-prefix` values of the controller workloads found (sorted,
    /// unique, without the trailing `/`); empty when none sets it or the
    /// workloads were not looked up (explicit `--nginx-configmap`).
    pub annotation_prefixes: Vec<String>,
}

/// Read Ingresses (selected namespaces, or all with `-A`), IngressClasses, the
/// Services the Ingresses reference, and the ingress-nginx controller ConfigMap
/// (from `--nginx-configmap`, else from the controller workload's `--configmap` flag).
pub async fn read_ingress_inputs(opts: &ClusterOptions) -> Result<ClusterSnapshot, ClusterError> {
    check_options(opts)?;
    let reader = open(opts).await?;
    let collected = ingress_inputs::read(&reader, opts).await?;
    Ok(collected.into_snapshot(&reader))
}

/// Read Gateways, HTTPRoutes, GRPCRoutes, TLSRoutes, ReferenceGrants, ListenerSets
/// and BackendTLSPolicies (`gateway.networking.k8s.io/v1`; ReferenceGrant falls back
/// to `v1beta1`) in `namespaces`; an empty slice means the namespaces selected by
/// `opts` (`-A`, `-n`, or the context's namespace).
pub async fn read_gateway_objects(
    opts: &ClusterOptions,
    namespaces: &[String],
) -> Result<ClusterSnapshot, ClusterError> {
    check_options(opts)?;
    for namespace in namespaces {
        collected::check_namespace("namespace", namespace)?;
    }
    let reader = open(opts).await?;
    let scope = if namespaces.is_empty() {
        Scope::new(
            opts.all_namespaces,
            &opts.namespaces,
            reader.default_namespace(),
        )
    } else {
        Scope::new(false, namespaces, reader.default_namespace())
    };
    let collected = gateway_objects::read(&reader, &scope).await?;
    Ok(collected.into_snapshot(&reader))
}

/// [`read_ingress_inputs`] for synchronous callers. Must not be called from
/// inside a tokio runtime (that is reported as [`ClusterError::Runtime`]).
pub fn blocking_read_ingress_inputs(
    opts: &ClusterOptions,
) -> Result<ClusterSnapshot, ClusterError> {
    block_on(read_ingress_inputs(opts))
}

/// [`read_gateway_objects`] for synchronous callers.
pub fn blocking_read_gateway_objects(
    opts: &ClusterOptions,
    namespaces: &[String],
) -> Result<ClusterSnapshot, ClusterError> {
    block_on(read_gateway_objects(opts, namespaces))
}

/// Reject names that are not Kubernetes names before they end up in URL paths.
fn check_options(opts: &ClusterOptions) -> Result<(), ClusterError> {
    for namespace in &opts.namespaces {
        collected::check_namespace("--namespace", namespace)?;
    }
    if let Some((namespace, name)) = &opts.nginx_configmap {
        collected::check_namespace("--nginx-configmap namespace", namespace)?;
        collected::check_object_name("--nginx-configmap name", name)?;
    }
    Ok(())
}

async fn open(opts: &ClusterOptions) -> Result<Reader, ClusterError> {
    let connection = connect::connect(opts).await?;
    Ok(Reader::new(connection, opts.timeout, opts.progress))
}

fn block_on<T>(future: impl Future<Output = Result<T, ClusterError>>) -> Result<T, ClusterError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(ClusterError::Runtime(
            "called from inside an async runtime; use the async functions there".into(),
        ));
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ClusterError::Runtime(e.to_string()))?
        .block_on(future)
}
