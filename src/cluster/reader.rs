//! The request layer: paginated lists and single gets against the API server, with
//! a per-request deadline, bounded retries with backoff on transient failures, and
//! normalisation of the returned objects.

use std::time::Duration;

use kube::core::Request;
use kube::core::params::{GetParams, ListParams};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::ClusterObject;
use super::connect::Connection;
use super::error::{ClusterError, Failure};
use super::progress::Progress;
use super::resources::ResourceType;

/// Page size for list requests: large enough to keep the request count low, small
/// enough that the API server answers quickly (kubectl uses 500 too).
pub(crate) const PAGE_SIZE: u32 = 500;

/// Bounded retries: the first attempt plus two more, waiting 200 ms then 400 ms
/// (or the server's `retryAfterSeconds`, capped).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exponential = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        retry_after.unwrap_or(exponential).min(self.max_delay)
    }
}

/// Result of one read that the caller may want to tolerate: RBAC denials and
/// absent resource types/objects become warnings upstream, not errors.
#[derive(Debug)]
pub(crate) enum Outcome<T> {
    Found(T),
    Forbidden(String),
    NotFound(String),
    /// A 5xx that persisted through the retries: fatal for Ingresses (the
    /// caller turns it into [`ClusterError::Api`] with [`Reader::unavailable`]),
    /// a warning for the optional resources, like 403/404.
    Unavailable(u16, String),
}

enum Op<'a> {
    List(&'a ListParams),
    Get(&'a str),
}

#[derive(Deserialize, Default)]
struct RawListMeta {
    #[serde(default, rename = "continue")]
    continue_token: Option<String>,
}

/// A list response with its items kept as raw JSON: the objects are returned as
/// the API server sent them, without a round trip through typed structs.
#[derive(Deserialize)]
struct RawList {
    #[serde(default)]
    metadata: RawListMeta,
    #[serde(default)]
    items: Option<Vec<Value>>,
}

pub(crate) struct Reader {
    conn: Connection,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    progress: Progress,
    /// `-v`: one stderr line per request.
    verbose: bool,
}

impl Reader {
    pub fn new(conn: Connection, timeout: Duration, progress: bool, verbose: bool) -> Self {
        // The spinner would overwrite the request lines.
        let progress = Progress::new(progress && !verbose, &conn.context);
        Self {
            conn,
            timeout: (!timeout.is_zero()).then_some(timeout),
            retry: RetryPolicy::default(),
            progress,
            verbose,
        }
    }

    pub fn context(&self) -> &str {
        &self.conn.context
    }

    pub fn server(&self) -> &str {
        &self.conn.server
    }

    pub fn default_namespace(&self) -> &str {
        &self.conn.default_namespace
    }

    pub fn step(&self, message: String) {
        self.progress.step(message);
    }

    /// List every object of `resource` in `namespace` (or across all namespaces /
    /// cluster-wide when `None`), following `continue` tokens.
    pub async fn list(
        &self,
        resource: &ResourceType,
        namespace: Option<&str>,
        label_selector: Option<&str>,
    ) -> Result<Outcome<Vec<ClusterObject>>, ClusterError> {
        let path = resource.collection_path(namespace);
        let what = describe(resource, namespace);
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        let mut restarted = false;
        loop {
            let params = ListParams {
                label_selector: label_selector.map(str::to_string),
                limit: Some(PAGE_SIZE),
                continue_token: token.clone(),
                ..ListParams::default()
            };
            match self.send::<RawList>(&path, Op::List(&params)).await {
                Ok(page) => {
                    let page_items = page.items.unwrap_or_default();
                    self.progress.objects_read(page_items.len());
                    for value in page_items {
                        items.push(into_object(resource, value).map_err(|message| {
                            ClusterError::InvalidResponse {
                                server: self.conn.server.clone(),
                                what: what.clone(),
                                message,
                            }
                        })?);
                    }
                    match page.metadata.continue_token.filter(|t| !t.is_empty()) {
                        Some(next) if token.as_deref() == Some(next.as_str()) => {
                            return Err(ClusterError::InvalidResponse {
                                server: self.conn.server.clone(),
                                what,
                                message: "the server repeated the same continue token".into(),
                            });
                        }
                        Some(next) => token = Some(next),
                        None => break,
                    }
                }
                // 410 Gone: the continue token expired (the list took longer than the
                // server's compaction window). Start over once from a fresh snapshot.
                Err(Failure::Status { code: 410, .. }) if token.is_some() && !restarted => {
                    items.clear();
                    token = None;
                    restarted = true;
                }
                Err(failure) => return self.tolerated(failure, &what),
            }
        }
        Ok(Outcome::Found(items))
    }

    pub async fn get(
        &self,
        resource: &ResourceType,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Outcome<ClusterObject>, ClusterError> {
        let path = resource.collection_path(namespace);
        let what = format!("{} {}", resource.kind, qualified(namespace, name));
        match self.send::<Value>(&path, Op::Get(name)).await {
            Ok(value) => {
                self.progress.objects_read(1);
                into_object(resource, value)
                    .map(Outcome::Found)
                    .map_err(|message| ClusterError::InvalidResponse {
                        server: self.conn.server.clone(),
                        what,
                        message,
                    })
            }
            Err(failure) => self.tolerated(failure, &what),
        }
    }

    /// Forbidden and NotFound are handed back to the caller; everything else is fatal.
    fn tolerated<T>(&self, failure: Failure, what: &str) -> Result<Outcome<T>, ClusterError> {
        match failure {
            Failure::Status {
                code: 403, message, ..
            } => Ok(Outcome::Forbidden(message)),
            Failure::Status {
                code: 404, message, ..
            } => Ok(Outcome::NotFound(message)),
            Failure::Status { code, message, .. } if (500..600).contains(&code) => {
                Ok(Outcome::Unavailable(
                    code,
                    format!("{what}: the API server answered {code}: {message}"),
                ))
            }
            other => Err(self.fatal(other, what)),
        }
    }

    /// The error for an [`Outcome::Unavailable`] answer to a required read.
    pub fn unavailable(&self, code: u16, message: String, what: &str) -> ClusterError {
        ClusterError::Api {
            server: self.conn.server.clone(),
            what: what.to_string(),
            code,
            message,
        }
    }

    fn fatal(&self, failure: Failure, what: &str) -> ClusterError {
        let server = self.conn.server.clone();
        let what = what.to_string();
        match failure {
            Failure::Status { code: 401, .. } => ClusterError::Unauthorized {
                server,
                context: self.conn.context.clone(),
            },
            Failure::Status { code, message, .. } => ClusterError::Api {
                server,
                what,
                code,
                message,
            },
            Failure::Connection(message) => ClusterError::Unreachable { server, message },
            Failure::Tls(message) => ClusterError::Tls { server, message },
            Failure::Credentials(message) => ClusterError::Credentials {
                context: self.conn.context.clone(),
                message: super::connect::exec_plugin_message(
                    self.conn.exec_command.as_deref(),
                    message,
                ),
            },
            Failure::TimedOut => ClusterError::Timeout {
                server,
                what,
                after: self.timeout.unwrap_or_default(),
            },
            Failure::Decode(message) => ClusterError::InvalidResponse {
                server,
                what,
                message,
            },
            Failure::InvalidRequest(message) => ClusterError::InvalidRequest { what, message },
            Failure::Other(message) => ClusterError::Unreachable { server, message },
        }
    }

    async fn send<T: DeserializeOwned>(&self, path: &str, op: Op<'_>) -> Result<T, Failure> {
        let mut attempt = 1;
        loop {
            match self.attempt(path, &op).await {
                Ok(value) => return Ok(value),
                Err(failure) if failure.is_transient() && attempt < self.retry.attempts => {
                    let retry_after = match &failure {
                        Failure::Status { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    tokio::time::sleep(self.retry.delay(attempt, retry_after)).await;
                    attempt += 1;
                }
                Err(failure) => return Err(failure),
            }
        }
    }

    async fn attempt<T: DeserializeOwned>(&self, path: &str, op: &Op<'_>) -> Result<T, Failure> {
        let request = Request::new(path);
        let built = match op {
            Op::List(params) => request.list(params),
            Op::Get(name) => request.get(name, &GetParams::default()),
        }
        .map_err(|e| Failure::InvalidRequest(e.to_string()))?;
        let log = self
            .verbose
            .then(|| (built.method().clone(), built.uri().to_string()));
        let started = std::time::Instant::now();
        let call = self.conn.client.request::<T>(built);
        let result = match self.timeout {
            Some(limit) => match tokio::time::timeout(limit, call).await {
                Ok(answer) => answer.map_err(Failure::from_kube),
                Err(_) => Err(Failure::TimedOut),
            },
            None => call.await.map_err(Failure::from_kube),
        };
        if let Some((method, uri)) = log {
            let status = match &result {
                Ok(_) => "200 OK".to_string(),
                Err(Failure::Status { code, .. }) => code.to_string(),
                Err(Failure::TimedOut) => "timed out".to_string(),
                Err(other) => format!("failed ({})", other.summary()),
            };
            crate::cli::stdio::say(format_args!(
                "ing2gw: {method} {}{uri} {status} in {} ms\n",
                self.conn.server.trim_end_matches('/'),
                started.elapsed().as_millis()
            ));
        }
        result
    }
}

fn qualified(namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    }
}

pub(crate) fn describe(resource: &ResourceType, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("{} in namespace {ns}", resource.display_name()),
        None => format!("{} (all namespaces)", resource.display_name()),
    }
}

/// Give list items their `apiVersion`/`kind` (the API server omits them inside
/// lists of built-in types), drop `metadata.managedFields` (server-side-apply
/// bookkeeping, noise for translation and diffs), and index by namespace/name.
fn into_object(resource: &ResourceType, mut value: Value) -> Result<ClusterObject, String> {
    let Value::Object(map) = &mut value else {
        return Err(format!("a {} item is not a JSON object", resource.kind));
    };
    map.entry("apiVersion")
        .or_insert_with(|| Value::String(resource.api_version()));
    map.entry("kind")
        .or_insert_with(|| Value::String(resource.kind.to_string()));
    let api_version = map
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let kind = map
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or(resource.kind)
        .to_string();
    let Some(Value::Object(metadata)) = map.get_mut("metadata") else {
        return Err(format!("a {} item has no metadata", resource.kind));
    };
    metadata.remove("managedFields");
    let name = metadata
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("a {} item has no metadata.name", resource.kind))?
        .to_string();
    let namespace = metadata
        .get("namespace")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(ClusterObject {
        api_version,
        kind,
        namespace,
        name,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::resources::{INGRESS, REFERENCE_GRANT};
    use serde_json::json;

    #[test]
    fn list_items_get_type_meta_and_lose_managed_fields() {
        let item = json!({
            "metadata": {"name": "web", "namespace": "a", "managedFields": [{"manager": "kubectl"}]},
            "spec": {}
        });
        let object = into_object(&INGRESS, item).expect("valid item");
        assert_eq!(object.api_version, "networking.k8s.io/v1");
        assert_eq!(object.kind, "Ingress");
        assert_eq!(object.namespace.as_deref(), Some("a"));
        assert_eq!(object.name, "web");
        assert_eq!(object.value["apiVersion"], "networking.k8s.io/v1");
        assert!(object.value["metadata"].get("managedFields").is_none());
    }

    #[test]
    fn served_api_version_is_kept() {
        let item = json!({
            "apiVersion": "gateway.networking.k8s.io/v1beta1",
            "kind": "ReferenceGrant",
            "metadata": {"name": "g", "namespace": "a"}
        });
        let object = into_object(&REFERENCE_GRANT, item).expect("valid item");
        assert_eq!(object.api_version, "gateway.networking.k8s.io/v1beta1");
    }

    #[test]
    fn nameless_items_are_rejected() {
        assert!(into_object(&INGRESS, json!({"metadata": {}})).is_err());
        assert!(into_object(&INGRESS, json!([1])).is_err());
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1, None), Duration::from_millis(200));
        assert_eq!(policy.delay(2, None), Duration::from_millis(400));
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(60))),
            Duration::from_secs(5)
        );
    }
}
