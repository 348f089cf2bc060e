//! Errors of the cluster reader, and the classification of kube client failures
//! into "retry", "tell the user their credentials are wrong", "TLS", and so on.

use std::error::Error as StdError;
use std::path::PathBuf;
use std::time::Duration;

/// Why reading from the cluster failed. Every message names what the user can
/// check: the kubeconfig path, the context, the server URL.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("kubeconfig file {} does not exist", path.display())]
    KubeconfigNotFound { path: PathBuf },

    #[error("cannot use kubeconfig {origin}: {message}")]
    KubeconfigInvalid { origin: String, message: String },

    #[error(
        "no cluster configuration found: no usable kubeconfig ({kubeconfig}) and not running \
         inside a cluster ({in_cluster}); {hint}"
    )]
    NoConfiguration {
        kubeconfig: String,
        in_cluster: String,
        /// What to do: `set KUBECONFIG` only when it is not set.
        hint: String,
    },

    #[error(
        "context \"{context}\" not found in kubeconfig {origin}; available contexts: {}",
        list_or_none(available)
    )]
    ContextNotFound {
        context: String,
        origin: String,
        available: Vec<String>,
    },

    #[error(
        "kubeconfig {origin} has no current-context; pass --context (available contexts: {})",
        list_or_none(available)
    )]
    NoCurrentContext {
        origin: String,
        available: Vec<String>,
    },

    #[error("cannot reach the Kubernetes API server at {server}: {message}")]
    Unreachable { server: String, message: String },

    #[error(
        "TLS failure talking to {server}: {message} (check the certificate-authority data of the \
         cluster in the kubeconfig)"
    )]
    Tls { server: String, message: String },

    #[error(
        "the API server at {server} rejected the credentials of context \"{context}\" \
         (401 Unauthorized): the token or client certificate is wrong or expired"
    )]
    Unauthorized { server: String, context: String },

    #[error("cannot obtain credentials for context \"{context}\": {message}")]
    Credentials { context: String, message: String },

    #[error("not allowed to list {resource} {scope}: {message}")]
    Forbidden {
        resource: String,
        scope: String,
        message: String,
    },

    #[error("the API server at {server} does not serve {resource}: {message}")]
    ResourceNotServed {
        server: String,
        resource: String,
        message: String,
    },

    #[error("reading {what} from {server} timed out after {after:?}")]
    Timeout {
        server: String,
        what: String,
        after: Duration,
    },

    #[error("the API server at {server} answered {code} when reading {what}: {message}")]
    Api {
        server: String,
        what: String,
        code: u16,
        message: String,
    },

    #[error("unexpected answer from {server} when reading {what}: {message}")]
    InvalidResponse {
        server: String,
        what: String,
        message: String,
    },

    #[error("invalid {option}: {value:?} is not a valid Kubernetes {expected}")]
    InvalidOption {
        option: &'static str,
        value: String,
        expected: &'static str,
    },

    #[error("cannot build the request for {what}: {message}")]
    InvalidRequest { what: String, message: String },

    #[error("cannot start the async runtime for cluster access: {0}")]
    Runtime(String),
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// One failed attempt, before it is known whether it will be retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server answered with an HTTP error status (body parsed as a Status when JSON).
    Status {
        code: u16,
        message: String,
        retry_after: Option<Duration>,
    },
    /// TCP connect/reset/EOF: the server may come back.
    Connection(String),
    /// Certificate or handshake problem: retrying cannot help.
    Tls(String),
    /// The client could not produce credentials (exec plugin, token file).
    Credentials(String),
    /// Our per-request deadline passed.
    TimedOut,
    /// A body we could not decode.
    Decode(String),
    /// The request itself could not be built (e.g. an invalid object name).
    InvalidRequest(String),
    Other(String),
}

impl Failure {
    /// A short word for `-v` request lines.
    pub fn summary(&self) -> &'static str {
        match self {
            Failure::Status { .. } => "status",
            Failure::Connection(_) => "connection",
            Failure::Tls(_) => "tls",
            Failure::Credentials(_) => "credentials",
            Failure::TimedOut => "timed out",
            Failure::Decode(_) => "decode",
            Failure::InvalidRequest(_) => "invalid request",
            Failure::Other(_) => "error",
        }
    }

    /// Transient failures: overload (429), server-side errors (5xx), dropped connections.
    pub fn is_transient(&self) -> bool {
        match self {
            Failure::Status { code, .. } => *code == 429 || (500..600).contains(code),
            Failure::Connection(_) => true,
            _ => false,
        }
    }

    pub fn from_kube(error: kube::Error) -> Self {
        match error {
            kube::Error::Api(status) => {
                let retry_after = status
                    .details
                    .as_ref()
                    .map(|d| d.retry_after_seconds)
                    .filter(|s| *s > 0)
                    .map(|s| Duration::from_secs(u64::from(s)));
                Failure::Status {
                    code: status.code,
                    message: status_message(status.code, &status.message, &status.reason),
                    retry_after,
                }
            }
            kube::Error::SerdeError(e) => Failure::Decode(e.to_string()),
            kube::Error::FromUtf8(e) => Failure::Decode(e.to_string()),
            kube::Error::Auth(e) => Failure::Credentials(chain_message(&e)),
            kube::Error::RustlsTls(e) => Failure::Tls(chain_message(&e)),
            kube::Error::HyperError(e) => classify_transport(&e),
            kube::Error::Service(e) => classify_transport(e.as_ref()),
            other => Failure::Other(chain_message(&other)),
        }
    }
}

/// The text of an error answer. A proxy or a bare API path can answer with an
/// empty body, which kube turns into a Status without message: name the HTTP status
/// instead of ending the error in an empty ": ".
fn status_message(code: u16, message: &str, reason: &str) -> String {
    let message = message.trim();
    if !message.is_empty() {
        return message.to_string();
    }
    let status = http::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map_or_else(|| code.to_string(), |r| format!("{code} {r}"));
    // kube fills `reason` with its own parse-failure text for non-Status bodies.
    match reason.trim() {
        "" | "Failed to parse error data" => format!("{status}, with an empty answer"),
        reason => format!("{status} ({reason})"),
    }
}

/// Transport failures arrive as nested boxed errors (tower → hyper-util → connector →
/// io::Error → io::Error → rustls). Visit the whole chain, also inside `io::Error`
/// payloads, whose `source()` skips the wrapped error itself.
fn classify_transport(error: &(dyn StdError + 'static)) -> Failure {
    let message = chain_message(error);
    let mut timed_out = false;
    let mut pending: Vec<&(dyn StdError + 'static)> = vec![error];
    while let Some(e) = pending.pop() {
        if is_tls_error(e) {
            return Failure::Tls(message);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            timed_out |= io.kind() == std::io::ErrorKind::TimedOut;
            if let Some(inner) = io.get_ref() {
                pending.push(inner);
            }
        }
        if let Some(source) = e.source() {
            pending.push(source);
        }
    }
    if timed_out {
        Failure::TimedOut
    } else {
        Failure::Connection(message)
    }
}

fn is_tls_error(e: &(dyn StdError + 'static)) -> bool {
    e.downcast_ref::<rustls::Error>().is_some()
}

/// "outer: inner: innermost", skipping repeated segments (many wrappers repeat
/// their source's text in their own Display).
pub(crate) fn chain_message(error: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_statuses_are_429_and_5xx_only() {
        let status = |code| Failure::Status {
            code,
            message: String::new(),
            retry_after: None,
        };
        assert!(status(429).is_transient());
        assert!(status(503).is_transient());
        assert!(status(500).is_transient());
        assert!(!status(403).is_transient());
        assert!(!status(404).is_transient());
        assert!(!status(401).is_transient());
        assert!(Failure::Connection("reset".into()).is_transient());
        assert!(!Failure::Tls("bad cert".into()).is_transient());
    }

    #[test]
    fn empty_error_answers_name_the_status() {
        assert_eq!(
            status_message(404, "", "Failed to parse error data"),
            "404 Not Found, with an empty answer"
        );
        assert_eq!(
            status_message(404, " ", "NotFound"),
            "404 Not Found (NotFound)"
        );
        assert_eq!(status_message(403, "no", "Forbidden"), "no");
    }

    #[test]
    fn io_wrapped_rustls_errors_are_tls() {
        // As hyper-rustls reports it: io::Error(Other) around io::Error(InvalidData).
        let io = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ));
        assert!(matches!(classify_transport(&io), Failure::Tls(_)));
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert!(matches!(
            classify_transport(&refused),
            Failure::Connection(_)
        ));
    }

    #[test]
    fn context_errors_list_alternatives() {
        let e = ClusterError::ContextNotFound {
            context: "prod".into(),
            origin: "/tmp/kc".into(),
            available: vec!["dev".into(), "staging".into()],
        };
        assert_eq!(
            e.to_string(),
            "context \"prod\" not found in kubeconfig /tmp/kc; available contexts: dev, staging"
        );
    }
}
