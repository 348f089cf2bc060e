//! One probe request to one live endpoint, over hyper's connection-level HTTP/1.1
//! client on a TCP (and rustls) stream that this module opens itself.
//!
//! Why not a URL-level client (reqwest, ureq): probes are raw request targets
//! (`/../x`, `//api`, `/%61pi`) whose normalisation is exactly what is being
//! tested, and URL libraries resolve dot segments before sending. And the
//! connection must go to the given address whatever the probe's host says: here
//! the TCP connection is opened to the [`SocketAddr`] of `--nginx-address` /
//! `--gateway-address` and nothing else, the host only becomes the `Host`
//! header (checked by [`http::HeaderValue`]: no CR/LF can split the request) and
//! the TLS SNI (a DNS name or an IP literal, or the probe is not sent). There is
//! no resolver, no redirect following and no connection reuse: each request is
//! independent, as a first visit of a client is.

use super::super::request::{Probe, Scheme};
use http::header::{HOST, HeaderName, HeaderValue};
use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The largest body read for `--compare-body`; a larger one is a failure, not
/// a silently truncated digest.
pub const MAX_BODY: usize = 16 << 20;

/// How server certificates are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsVerify {
    /// Against the system's CA certificates (the default).
    System,
    /// Against the CA certificates of this PEM file only (`--ca-file`).
    CaFile(PathBuf),
    /// Not at all (`--insecure-skip-verify`, for self-signed test domains).
    Skip,
}

/// The rustls configuration of every https probe.
pub fn tls_config(verify: &TlsVerify) -> Result<Arc<rustls::ClientConfig>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?;
    let mut config = match verify {
        TlsVerify::Skip => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth(),
        TlsVerify::System | TlsVerify::CaFile(_) => {
            let mut roots = rustls::RootCertStore::empty();
            let certs = match verify {
                TlsVerify::CaFile(path) => {
                    use rustls::pki_types::CertificateDer;
                    use rustls::pki_types::pem::PemObject;
                    CertificateDer::pem_file_iter(path)
                        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                        .map_err(|e| format!("--ca-file {}: {e}", path.display()))?
                }
                _ => rustls_native_certs::load_native_certs().certs,
            };
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(match verify {
                    TlsVerify::CaFile(path) => {
                        format!("--ca-file {}: no CA certificate in it", path.display())
                    }
                    _ => "no system CA certificates found: pass --ca-file FILE, or --insecure-skip-verify for a self-signed test domain".into(),
                });
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// `--insecure-skip-verify`: any certificate is accepted (signatures are still
/// checked, so the handshake itself is sound).
#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A probe checked and encoded for the wire, for one side.
#[derive(Debug, Clone)]
pub struct Sendable {
    scheme: Scheme,
    method: http::Method,
    target: http::Uri,
    host: HeaderValue,
    sni: ServerName<'static>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

/// Encodes `probe` sent with Host `host`, or says why it cannot be sent as it
/// is (a value a request line or header cannot carry): such a probe is skipped
/// and listed, never altered.
pub fn sendable(probe: &Probe, host: &str) -> Result<Sendable, String> {
    let method = match probe.method.as_str() {
        "GET" => http::Method::GET,
        "HEAD" => http::Method::HEAD,
        other => return Err(format!("method {other}: only GET and HEAD are sent")),
    };
    // A live run must not upload data to real backends: the body size
    // probes (a body of the limit and one byte more) are checked offline
    // only, and against a real nginx in the agreement test.
    if let Some(len) = probe.body {
        return Err(format!(
            "a request body of {len} bytes: live probes send no bodies"
        ));
    }
    // Origin form only: an absolute or authority form would name a host.
    if !probe.target.starts_with('/') {
        return Err(format!("request target `{}` is not a path", probe.target));
    }
    let target: http::Uri = probe
        .target
        .parse()
        .map_err(|_| format!("request target `{}` cannot be sent", probe.target))?;
    if target.authority().is_some() || target.scheme().is_some() {
        return Err(format!("request target `{}` is not a path", probe.target));
    }
    let host_value = HeaderValue::from_str(host)
        .ok()
        .filter(|_| !host.is_empty() && !host.contains(['/', '@', ' ']))
        .ok_or_else(|| format!("host `{}` cannot be a Host header", host.escape_debug()))?;
    let sni = ServerName::try_from(host.to_string())
        .map_err(|_| format!("host `{}` cannot be a TLS server name", host.escape_debug()))?;
    let mut headers = Vec::new();
    for (k, v) in &probe.headers {
        let name = HeaderName::from_bytes(k.as_bytes())
            .map_err(|_| format!("header name `{}` cannot be sent", k.escape_debug()))?;
        let value = HeaderValue::from_str(v)
            .map_err(|_| format!("header value `{}` cannot be sent", v.escape_debug()))?;
        headers.push((name, value));
    }
    Ok(Sendable {
        scheme: probe.scheme,
        method,
        target,
        host: host_value,
        sni,
        headers,
    })
}

/// A live response, reduced to what is compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The compared response headers present (lower-case names; repeated
    /// headers joined with `, `).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// SHA-256 of the body, with `--compare-body`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_sha256: Option<String>,
}

/// Why no response came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// No TCP connection (refused, unreachable).
    Connect,
    /// The TLS handshake failed (certificate rejected, no certificate for the name).
    Tls,
    /// Not an HTTP/1.1 response, or the connection closed early.
    Http,
    /// `--timeout` passed.
    Timeout,
}

/// What one side did with one probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Reply {
    Answered(Answer),
    Failed { kind: FailureKind, error: String },
}

/// What a request needs besides the probe.
#[derive(Debug, Clone)]
pub struct Client {
    pub tls: Arc<rustls::ClientConfig>,
    pub timeout: Duration,
    pub compare_body: bool,
    /// Response headers to keep (lower-case).
    pub tracked: Arc<BTreeSet<String>>,
}

/// Aborts the connection task when the request ends (or its timeout drops it).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn failed(kind: FailureKind, error: impl std::fmt::Display) -> Reply {
    Reply::Failed {
        kind,
        error: error.to_string(),
    }
}

impl Client {
    /// Sends `req` to `addr` (the only address ever connected to) and reads the response.
    pub async fn send(&self, addr: SocketAddr, req: &Sendable) -> Reply {
        match tokio::time::timeout(self.timeout, self.exchange(addr, req)).await {
            Ok(reply) => reply,
            Err(_) => failed(
                FailureKind::Timeout,
                format!("no response within {:?}", self.timeout),
            ),
        }
    }

    async fn exchange(&self, addr: SocketAddr, req: &Sendable) -> Reply {
        let tcp = match tokio::net::TcpStream::connect(addr).await {
            Ok(t) => t,
            Err(e) => return failed(FailureKind::Connect, format!("{addr}: {e}")),
        };
        let _ = tcp.set_nodelay(true);
        match req.scheme {
            Scheme::Http => self.http(TokioIo::new(tcp), req).await,
            Scheme::Https => {
                let connector = tokio_rustls::TlsConnector::from(self.tls.clone());
                match connector.connect(req.sni.clone(), tcp).await {
                    Ok(tls) => self.http(TokioIo::new(tls), req).await,
                    Err(e) => failed(FailureKind::Tls, e),
                }
            }
        }
    }

    async fn http<T>(&self, io: T, req: &Sendable) -> Reply
    where
        T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    {
        let (mut sender, conn) = match hyper::client::conn::http1::handshake(io).await {
            Ok(x) => x,
            Err(e) => return failed(FailureKind::Http, e),
        };
        let _driver = AbortOnDrop(tokio::spawn(async move {
            let _ = conn.await;
        }));
        let mut builder = http::Request::builder()
            .method(req.method.clone())
            .uri(req.target.clone())
            .header(HOST, req.host.clone())
            .header(http::header::CONNECTION, "close")
            .header(
                http::header::USER_AGENT,
                concat!("ing2gw-verify-live/", env!("CARGO_PKG_VERSION")),
            );
        for (k, v) in &req.headers {
            builder = builder.header(k.clone(), v.clone());
        }
        let request = match builder.body(Empty::<Bytes>::new()) {
            Ok(r) => r,
            Err(e) => return failed(FailureKind::Http, e),
        };
        let response = match sender.send_request(request).await {
            Ok(r) => r,
            Err(e) => return failed(FailureKind::Http, e),
        };
        let status = response.status().as_u16();
        let text = |v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned();
        let location = response.headers().get(http::header::LOCATION).map(text);
        let mut headers = BTreeMap::new();
        for name in self.tracked.iter() {
            let values: Vec<String> = response
                .headers()
                .get_all(name.as_str())
                .iter()
                .map(text)
                .collect();
            if !values.is_empty() {
                headers.insert(name.clone(), values.join(", "));
            }
        }
        let body_sha256 = if self.compare_body && req.method != http::Method::HEAD {
            match Limited::new(response.into_body(), MAX_BODY).collect().await {
                Ok(body) => Some(hex_sha256(&body.to_bytes())),
                Err(e) => return failed(FailureKind::Http, format!("reading the body: {e}")),
            }
        } else {
            None
        };
        Reply::Answered(Answer {
            status,
            location,
            headers,
            body_sha256,
        })
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_targets_are_kept_and_hostile_values_refused() {
        for t in ["/../x", "//api", "/./api", "/%61pi", "/a%2Fb?q=1"] {
            let s = sendable(
                &Probe::get(Scheme::Https, "app.example.com", t),
                "app.example.com",
            )
            .unwrap();
            assert_eq!(s.target.to_string(), t, "sent as is");
        }
        let p = Probe::get(Scheme::Http, "a", "/");
        for host in [
            "evil.example\r\nX-Injected: 1",
            "a/b",
            "user@127.0.0.2",
            "a b",
            "",
        ] {
            let e = sendable(&p, host).unwrap_err();
            assert!(e.contains("cannot be"), "{host:?}: {e}");
        }
        for target in [
            "http://evil.example/",
            "evil.example:80",
            "/a b",
            "/$(id)\n",
        ] {
            assert!(
                sendable(&Probe::get(Scheme::Http, "a", target), "a").is_err(),
                "{target:?}"
            );
        }
        let mut post = p.clone();
        post.method = "POST".into();
        assert!(
            sendable(&post, "a")
                .unwrap_err()
                .contains("only GET and HEAD")
        );
        // Body size probes stay offline: nothing is uploaded to real backends.
        assert!(
            sendable(&p.clone().with_body(1025), "a")
                .unwrap_err()
                .contains("send no bodies")
        );
    }

    #[test]
    fn digest_is_sha256_hex() {
        assert_eq!(
            hex_sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
