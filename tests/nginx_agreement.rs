//! The ingress-nginx model agrees with a real nginx.
//!
//! For every `testdata/**/input.yaml` case and every `../shared/corpus/*.yaml`
//! manifest (when that folder exists), this test builds the model, renders the
//! plain nginx configuration (`ing2gw::verify::nginx_conf`), starts Debian's nginx
//! on free loopback ports (a plain and a TLS listener, one backend server per
//! upstream), sends every generated probe and compares the real answer (status,
//! `Location`, which backend and the URI it received) with the model's outcome.
//! Probes the model does not decide (`NotModelled`) are counted, not sent.
//!
//! Without an nginx binary (`apt-get install -y nginx-light`; `NGINX` overrides the
//! path) the test skips with a notice on stderr, or fails with that hint when `CI`
//! or `ING2GW_REQUIRE_NGINX=1` is set (`.ci/run` sets it): see `support/nginx.rs`.

#[path = "support/cases.rs"]
mod cases;
#[path = "support/nginx.rs"]
mod nginx;

use cases::{case_args, corpus_files, print_options as options, testdata_inputs};
use ing2gw::input::SourceFile;
use ing2gw::pipeline;
use ing2gw::verify::nginx_conf::{self, Listen};
use ing2gw::verify::nginx_model::NginxModel;
use ing2gw::verify::probes::{body_limit_probes, generate_probes};
use ing2gw::verify::request::{Outcome, Probe, Scheme, ServiceTarget};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Probes per input set.
const BUDGET: usize = 400;
/// The largest request body sent (the default limit 1m plus one byte fits).
const MAX_SENT_BODY: u64 = 4 << 20;
/// Probes that must be compared when the shared corpus is present.
const MIN_COMPARED: usize = 2000;

struct Case {
    name: String,
    corpus: bool,
    files: Vec<SourceFile>,
    args: Vec<String>,
}

fn source(path: &Path) -> SourceFile {
    SourceFile {
        name: path.display().to_string(),
        text: std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .into(),
    }
}

fn cases() -> Vec<Case> {
    let root = cases::root();
    let mut out: Vec<Case> = testdata_inputs(&["input.yaml"])
        .iter()
        .map(|p| {
            let dir = p.parent().expect("case dir");
            Case {
                name: dir.strip_prefix(&root).unwrap_or(dir).display().to_string(),
                corpus: false,
                files: vec![source(p)],
                args: case_args(dir),
            }
        })
        .collect();
    if let Some(files) = corpus_files(&["yaml"]) {
        out.extend(files.iter().map(|p| Case {
            name: format!("corpus/{}", p.file_name().unwrap().to_string_lossy()),
            corpus: true,
            files: vec![source(p)],
            args: Vec::new(),
        }));
    }
    out
}

struct Tls {
    cert: String,
    key: String,
    client: Arc<rustls::ClientConfig>,
}

fn tls() -> Tls {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("cert");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let client = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCert(provider)))
        .with_no_client_auth();
    Tls {
        cert: ck.cert.pem(),
        key: ck.signing_key.serialize_pem(),
        client: Arc::new(client),
    }
}

/// The test talks to its own nginx on loopback: any certificate is accepted.
#[derive(Debug)]
struct AnyCert(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyCert {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }
    fn verify_tls13_signature(
        &self,
        _: &[u8],
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Renders and starts nginx for `model`; `Err` carries nginx's error log.
fn start(
    nginx: &Path,
    model: &NginxModel,
    tls: &Tls,
    side: &SideServers,
) -> Result<(nginx::RunningNginx, Listen), String> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("tmp")).expect("tmp dir");
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, &tls.cert).expect("write cert");
    std::fs::write(&key, &tls.key).expect("write key");
    let names: Vec<String> = nginx_conf::upstreams(model).into_keys().collect();
    let ports = nginx::free_ports(names.len() + 2);
    let listen = Listen {
        http: ports[0],
        https: ports[1],
        backends: names.into_iter().zip(ports[2..].iter().copied()).collect(),
        cert,
        key,
        auth: Some(side.auth),
        mirror: Some(side.mirror),
    };
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, nginx_conf::render(model, &listen)).expect("write conf");
    let error_log = dir.path().join("error.log");
    let mut child = Process::new(nginx)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(&conf)
        .arg("-e")
        .arg(&error_log)
        .arg("-g")
        // One process: killing it leaves no orphaned worker holding ports.
        .arg("daemon off; master_process off;")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", nginx.display()));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(&error_log).unwrap_or_default();
            return Err(format!("nginx exited ({status}): {log}"));
        }
        let up = |p: u16| TcpStream::connect(("127.0.0.1", p)).is_ok();
        if up(listen.http) && up(listen.https) && listen.backends.values().all(|&p| up(p)) {
            // Listening, and it is ours: the process is still running.
            if let Ok(None) = child.try_wait() {
                return Ok((nginx::RunningNginx { child, dir }, listen));
            }
            continue;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err("nginx did not start listening within 30s".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn request_bytes(p: &Probe) -> Vec<u8> {
    let mut r = format!("{} {} HTTP/1.1\r\nHost: {}\r\n", p.method, p.target, p.host);
    // The rendered configuration takes the client address from it (realip).
    if p.client != ing2gw::verify::request::DEFAULT_CLIENT {
        r.push_str(&format!("X-Forwarded-For: {}\r\n", p.client));
    }
    for (k, v) in &p.headers {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(len) = p.body {
        r.push_str(&format!("Content-Length: {len}\r\n"));
    }
    r.push_str("\r\n");
    let mut bytes = r.into_bytes();
    if let Some(len) = p.body {
        bytes.resize(bytes.len() + len as usize, b'x');
    }
    bytes
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// Keep-alive connections per (scheme, host): TLS handshakes dominate otherwise.
#[derive(Default)]
struct Client {
    conns: BTreeMap<(Scheme, String), Box<dyn Stream>>,
}

impl Client {
    fn connect(&self, p: &Probe, listen: &Listen, tls: &Tls) -> Result<Box<dyn Stream>, String> {
        let port = match p.scheme {
            Scheme::Http => listen.http,
            Scheme::Https => listen.https,
        };
        let tcp = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
        tcp.set_read_timeout(Some(Duration::from_secs(10))).ok();
        tcp.set_nodelay(true).ok();
        Ok(match p.scheme {
            Scheme::Http => Box::new(tcp),
            Scheme::Https => {
                let name =
                    rustls::pki_types::ServerName::try_from(p.host.clone()).unwrap_or_else(|_| {
                        rustls::pki_types::ServerName::try_from("localhost").unwrap()
                    });
                let conn = rustls::ClientConnection::new(tls.client.clone(), name)
                    .map_err(|e| e.to_string())?;
                Box::new(rustls::StreamOwned::new(conn, tcp))
            }
        })
    }

    /// Sends `p` and reads one response (retrying once on a fresh connection).
    fn send(&mut self, p: &Probe, listen: &Listen, tls: &Tls) -> Result<Vec<u8>, String> {
        let key = (p.scheme, p.host.clone());
        let mut last = String::new();
        for _ in 0..2 {
            let mut conn = match self.conns.remove(&key) {
                Some(c) => c,
                None => self.connect(p, listen, tls)?,
            };
            match exchange(&mut conn, &request_bytes(p)) {
                Ok((raw, keep)) => {
                    if keep {
                        self.conns.insert(key, conn);
                    }
                    return Ok(raw);
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

/// Writes a request, reads a response delimited by Content-Length; also says
/// whether the connection stays open.
fn exchange(conn: &mut Box<dyn Stream>, req: &[u8]) -> Result<(Vec<u8>, bool), String> {
    conn.write_all(req).map_err(|e| e.to_string())?;
    conn.flush().map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = conn.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the response header".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let header = |name: &str| {
        head.split("\r\n")
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim() == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let len: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .ok_or("response without Content-Length")?;
    while buf.len() < head_end + len {
        let n = conn.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed inside the body".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let keep = header("connection").is_none_or(|v| v != "close");
    Ok((buf, keep))
}

/// The real answer in the model's vocabulary.
fn outcome(raw: &[u8]) -> Result<Outcome, String> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no header end")?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("bad status line")?;
    let location = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("location"))
        .map(|(_, v)| v.trim().to_string());
    if let (301 | 302 | 303 | 307 | 308, Some(location)) = (status, &location) {
        return Ok(Outcome::Redirect {
            status,
            location: location.clone(),
        });
    }
    if status == 404 && body.starts_with("default-backend") {
        return Ok(Outcome::DefaultBackend);
    }
    if status == 200
        && let Some(rest) = body.strip_prefix("svc=")
    {
        let mut parts = rest.split_whitespace();
        let svc = parts.next().ok_or("no svc")?;
        let uri = parts
            .next()
            .and_then(|u| u.strip_prefix("uri="))
            .ok_or("no uri")?;
        let xfp = parts
            .next()
            .and_then(|x| x.strip_prefix("xfp="))
            .unwrap_or("");
        let (nsname, port) = svc.rsplit_once(':').ok_or("svc port")?;
        let (ns, name) = nsname.split_once('/').ok_or("svc ns")?;
        let mut headers = BTreeMap::new();
        if !xfp.is_empty() {
            headers.insert("x-forwarded-prefix".to_string(), xfp.to_string());
        }
        return Ok(Outcome::Backend {
            service: ServiceTarget {
                namespace: ns.into(),
                name: name.into(),
                port: port.into(),
            },
            uri: uri.into(),
            headers,
        });
    }
    Ok(Outcome::Status { status })
}

/// The request header that tells the test's authorization server how to answer
/// (`allow` → 200, `deny` → 403, absent → 401: a request without credentials).
const AUTH_HEADER: &str = "x-probe-auth";
/// A unique id per sent request, so mirrored copies and auth subrequests (which
/// carry the client's headers) are attributed to their probe.
const ID_HEADER: &str = "x-probe-id";

/// What the loopback side servers saw, by probe id.
#[derive(Default)]
struct Seen {
    /// Authorization subrequests: the `X-Ing-Auth-Service` they named.
    auth: BTreeMap<String, Vec<String>>,
    /// Mirrored copies: (`X-Ing-Mirror-Target`, `Host`).
    mirrors: BTreeMap<String, Vec<(String, String)>>,
}

/// The authorization server and the mirror recorder, started once on loopback
/// and shared by every rendered configuration.
struct SideServers {
    auth: u16,
    mirror: u16,
    seen: Arc<std::sync::Mutex<Seen>>,
}

/// Reads one request head (lower-cased header names) from `conn`.
fn read_head(conn: &mut TcpStream) -> Option<(String, BTreeMap<String, String>)> {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf).to_string();
    let mut lines = text.split("\r\n");
    let request_line = lines.next()?.to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((request_line, headers))
}

/// Serves loopback HTTP, one request per connection: `answer` gives the status.
fn serve(answer: impl Fn(&BTreeMap<String, String>) -> u16 + Send + 'static) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let Some((_, headers)) = read_head(&mut conn) else {
                continue;
            };
            let status = answer(&headers);
            let _ = conn.write_all(
                format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
    });
    port
}

impl SideServers {
    fn start() -> Self {
        let seen = Arc::new(std::sync::Mutex::new(Seen::default()));
        let s = seen.clone();
        let auth = serve(move |h| {
            if let Some(id) = h.get(ID_HEADER) {
                let service = h.get("x-ing-auth-service").cloned().unwrap_or_default();
                s.lock()
                    .expect("seen")
                    .auth
                    .entry(id.clone())
                    .or_default()
                    .push(service);
            }
            match h.get(AUTH_HEADER).map(String::as_str) {
                Some("allow") => 200,
                Some("deny") => 403,
                _ => 401,
            }
        });
        let s = seen.clone();
        let mirror = serve(move |h| {
            if let Some(id) = h.get(ID_HEADER) {
                let target = h.get("x-ing-mirror-target").cloned().unwrap_or_default();
                let host = h.get("host").cloned().unwrap_or_default();
                s.lock()
                    .expect("seen")
                    .mirrors
                    .entry(id.clone())
                    .or_default()
                    .push((target, host));
            }
            200
        });
        SideServers { auth, mirror, seen }
    }
}

/// What the rendered nginx answers for `outcome` when the authorization server
/// answers the way `variant` (the value of [`AUTH_HEADER`]) asks: ingress-nginx's
/// `auth_request` passes a 2xx, returns 401 and 403 (a 401 becomes the
/// `auth-signin` redirect), so the model's symbolic decision resolves to one
/// answer per variant. Also the auth service expected to be asked.
fn resolve_auth(outcome: &Outcome, variant: Option<&str>, p: &Probe) -> (Outcome, Option<String>) {
    let Outcome::ExternalAuth {
        service,
        signin,
        then,
    } = outcome
    else {
        return (outcome.clone(), None);
    };
    let answer = match (variant, signin) {
        (Some("allow"), _) => (**then).clone(),
        (Some(_), _) => Outcome::Status { status: 403 },
        (None, None) => Outcome::Status { status: 401 },
        (None, Some(signin)) => {
            let scheme = match p.scheme {
                Scheme::Http => "http",
                Scheme::Https => "https",
            };
            let sep = if signin.contains('?') { '&' } else { '?' };
            Outcome::Redirect {
                status: 302,
                location: format!("{signin}{sep}rd={scheme}://{}{}", p.host, p.target),
            }
        }
    };
    (answer, Some(service.clone()))
}

/// The mirrors of an outcome as the recorder sees them, and what is forwarded.
fn split_mirrors(outcome: &Outcome) -> (Vec<ing2gw::verify::request::Mirror>, &Outcome) {
    match outcome {
        Outcome::Mirrored { mirrors, then } => (mirrors.clone(), then),
        other => (Vec::new(), other),
    }
}

#[derive(Default)]
struct Tally {
    compared_testdata: usize,
    compared_corpus: usize,
    not_modelled: usize,
    rejected_configs: usize,
    cases: usize,
    disagreements: Vec<String>,
    /// Requests through `auth-url` locations sent (one per auth answer).
    external_auth: usize,
    /// Requests whose mirrored copy was checked at the recorder.
    mirrored: usize,
    /// Outcome kinds (and not-modelled reasons) over all probes.
    kinds: BTreeMap<String, usize>,
    /// Probes with a request body (`Content-Length`) sent or left out.
    bodies: usize,
    /// Body size probes above [`MAX_SENT_BODY`], not sent.
    body_too_large: usize,
}

#[test]
fn model_agrees_with_real_nginx() {
    let Some(nginx) = nginx::nginx_or_skip("model_agrees_with_real_nginx") else {
        return;
    };
    let tls = tls();
    let mut t = Tally::default();
    let mut corpus_present = false;
    let side = SideServers::start();
    let mut next_id = 0u64;
    let only = std::env::var("NGINX_CASE").ok();
    for case in cases() {
        corpus_present |= case.corpus;
        if only
            .as_ref()
            .is_some_and(|o| !case.name.contains(o.as_str()))
        {
            continue;
        }
        let began = Instant::now();
        t.cases += 1;
        let loaded = pipeline::load(&case.files);
        let opts = options(&case.args);
        let model = NginxModel::build(&loaded.input, &opts);
        // Besides verify's probes, the body size limits of every location,
        // including ingress-nginx's default 1m that verify does not probe;
        // bodies too large to send on every run are counted, not sent.
        let mut probes = generate_probes(&loaded.input, &opts, BUDGET);
        probes.extend(body_limit_probes(&model, true));
        probes.sort();
        probes.dedup();
        let before = probes.len();
        probes.retain(|p| p.body.is_none_or(|b| b <= MAX_SENT_BODY));
        t.body_too_large += before - probes.len();
        t.bodies += probes.iter().filter(|p| p.body.is_some()).count();
        let decided: Vec<(Probe, ing2gw::verify::nginx_model::Handled)> = probes
            .into_iter()
            .map(|p| {
                let h = model.handle(&p);
                (p, h)
            })
            .collect();
        let (skip, send_these): (Vec<_>, Vec<_>) = decided.into_iter().partition(|(_, h)| {
            // A weighted choice is random: real nginx cannot confirm one answer.
            fn random(o: &Outcome) -> bool {
                match o {
                    Outcome::Split { .. } => true,
                    Outcome::Mirrored { then, .. } | Outcome::ExternalAuth { then, .. } => {
                        random(then)
                    }
                    _ => false,
                }
            }
            matches!(h.outcome, Outcome::NotModelled { .. }) || random(&h.outcome)
        });
        t.not_modelled += skip.len();
        for (_, h) in skip.iter().chain(send_these.iter()) {
            let kind = match &h.outcome {
                Outcome::NotModelled { reason } => {
                    let short: String = reason.chars().take(90).collect();
                    format!("not-modelled: {short}")
                }
                Outcome::Backend { headers, uri, .. } => format!(
                    "backend{}{}",
                    if headers.is_empty() { "" } else { " +headers" },
                    if uri.contains("//") || uri.contains("/.") || uri.contains('%') {
                        " raw-unnormalised"
                    } else {
                        ""
                    }
                ),
                Outcome::Redirect { status, .. } => format!("redirect {status}"),
                Outcome::Status { status } => {
                    if std::env::var("NGINX_PEEK").is_ok_and(|v| v == status.to_string()) {
                        eprintln!("peek {}", case.name);
                    }
                    format!("status {status}")
                }
                Outcome::DefaultBackend => "default-backend".into(),
                Outcome::UnreachableRedirect { status, .. } => {
                    format!("unreachable redirect {status}")
                }
                Outcome::ImplementationDefined { .. } => "implementation-defined".into(),
                Outcome::NoResponse { .. } => "no-response".into(),
                Outcome::Split { .. } => "split".into(),
                Outcome::ExternalAuth { .. } => "external-auth".into(),
                Outcome::Mirrored { .. } => "mirrored".into(),
            };
            *t.kinds.entry(kind).or_default() += 1;
        }
        // Another process may grab a port between choosing and binding it: retry.
        let mut started = start(&nginx, &model, &tls, &side);
        for _ in 0..3 {
            match &started {
                // A port taken between choosing and binding it, or a start that was
                // too slow on a loaded machine: try again. A configuration the model
                // says nginx rejects is expected to fail every time.
                Err(e) if e.contains("Address already in use") || model.rejected().is_none() => {
                    eprintln!("{}: nginx did not start, retrying: {e}", case.name);
                    started = start(&nginx, &model, &tls, &side);
                }
                _ => break,
            }
        }
        if let Some(why) = model.rejected() {
            assert!(
                started.is_err(),
                "{}: the model says nginx rejects this configuration ({why}), but nginx started",
                case.name
            );
            t.rejected_configs += 1;
            continue;
        }
        let (server, listen) = match started {
            Ok(s) => s,
            Err(e) if send_these.is_empty() => {
                // Nothing modelled (e.g. an uncompilable regex): nothing to compare.
                eprintln!(
                    "{}: nginx did not start and no probe is modelled: {e}",
                    case.name
                );
                continue;
            }
            Err(e) => panic!("{}: nginx did not start: {e}", case.name),
        };
        let mut client = Client::default();
        // Mirrored copies arrive asynchronously: checked after the case's probes.
        let mut expect_mirrors: Vec<(String, Vec<ing2gw::verify::request::Mirror>, String)> =
            Vec::new();
        let mut expect_auth: Vec<(String, String, String)> = Vec::new();
        let mut sent = 0usize;
        for (probe, handled) in &send_these {
            let variants: &[Option<&str>] =
                if matches!(handled.outcome, Outcome::ExternalAuth { .. }) {
                    &[None, Some("deny"), Some("allow")]
                } else {
                    &[None]
                };
            for variant in variants {
                let mut probe = probe.clone();
                next_id += 1;
                let id = next_id.to_string();
                probe.headers.insert(ID_HEADER.into(), id.clone());
                if let Some(v) = variant {
                    probe.headers.insert(AUTH_HEADER.into(), (*v).to_string());
                }
                let (expected, auth_service) = resolve_auth(&handled.outcome, *variant, &probe);
                let (mirrors, forwarded) = split_mirrors(&expected);
                let label = format!(
                    "{}: {:?} {} {}",
                    case.name, probe.scheme, probe.host, probe.target
                );
                if let Some(service) = auth_service {
                    t.external_auth += 1;
                    expect_auth.push((id.clone(), service, label.clone()));
                }
                expect_mirrors.push((id.clone(), mirrors, label));
                sent += 1;
                let real = client
                    .send(&probe, &listen, &tls)
                    .and_then(|raw| outcome(&raw));
                match real {
                    Ok(real) if real == *forwarded => {}
                    real => t.disagreements.push(format!(
                        "{}: {:?} {} {}{}{}\n    model: {:?} (by {:?} {:?})\n    nginx: {:?}",
                        case.name,
                        probe.scheme,
                        probe.host,
                        probe.target,
                        probe.body.map(|b| format!(" body {b}")).unwrap_or_default(),
                        if probe.headers.is_empty() {
                            String::new()
                        } else {
                            format!(" {:?}", probe.headers)
                        },
                        expected,
                        handled.ingress.as_ref().map(|o| o.to_string()),
                        handled.location,
                        real
                    )),
                }
            }
        }
        check_side_servers(&side, &expect_auth, &expect_mirrors, &mut t);
        if case.corpus {
            t.compared_corpus += sent;
        } else {
            t.compared_testdata += sent;
        }
        if !t.disagreements.is_empty() && std::env::var("KEEP_NGINX_CONF").is_ok() {
            let keep = std::env::temp_dir().join("ing2gw-nginx-disagreement.conf");
            let _ = std::fs::copy(server.dir.path().join("nginx.conf"), &keep);
            eprintln!("kept {}", keep.display());
        }
        drop(client);
        drop(server);
        if std::env::var("NGINX_TIMING").is_ok() {
            eprintln!(
                "{}: {} probes in {:?}",
                case.name,
                send_these.len(),
                began.elapsed()
            );
        }
    }
    let compared = t.compared_testdata + t.compared_corpus;
    println!(
        "nginx agreement: {} requests through external auth (401/403/allowed per auth answer), {} mirrored copies checked",
        t.external_auth, t.mirrored
    );
    println!(
        "nginx agreement: {} input sets, {compared} probes compared ({} testdata, {} corpus), {} not modelled, {} configurations nginx rejects as predicted, {} disagreements",
        t.cases,
        t.compared_testdata,
        t.compared_corpus,
        t.not_modelled,
        t.rejected_configs,
        t.disagreements.len()
    );
    println!(
        "nginx agreement: {} probes with a request body, {} above {MAX_SENT_BODY} bytes not sent",
        t.bodies, t.body_too_large
    );
    for (kind, n) in &t.kinds {
        println!("  {n:6}  {kind}");
    }
    assert!(
        t.disagreements.is_empty(),
        "{} probes where the model and nginx disagree:\n{}",
        t.disagreements.len(),
        t.disagreements
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    if only.is_some() {
        return;
    }
    if corpus_present {
        assert!(
            compared >= MIN_COMPARED,
            "only {compared} probes compared, want ≥ {MIN_COMPARED}"
        );
    } else {
        eprintln!("../shared/corpus is absent: only testdata was compared");
        assert!(compared > 0, "no probe compared");
    }
}

/// Compares what the authorization server and the mirror recorder saw with the
/// model: each auth-url request asked the model's service once; each request
/// was mirrored exactly to the model's targets (and `mirror-host`), no other
/// request was mirrored.
fn check_side_servers(
    side: &SideServers,
    auth: &[(String, String, String)],
    mirrors: &[(String, Vec<ing2gw::verify::request::Mirror>, String)],
    t: &mut Tally,
) {
    let wanted: usize = mirrors.iter().map(|(_, m, _)| m.len()).sum();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got: usize = {
            let seen = side.seen.lock().expect("seen");
            mirrors
                .iter()
                .map(|(id, _, _)| seen.mirrors.get(id).map_or(0, Vec::len))
                .sum()
        };
        if got >= wanted || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // Time for an unexpected copy to arrive too.
    std::thread::sleep(Duration::from_millis(100));
    let seen = side.seen.lock().expect("seen");
    for (id, service, label) in auth {
        let asked = seen.auth.get(id).cloned().unwrap_or_default();
        if asked != [service.clone()] {
            t.disagreements.push(format!(
                "{label}\n    model: external auth by {service}\n    nginx asked: {asked:?}"
            ));
        }
    }
    for (id, expected, label) in mirrors {
        let mut got = seen.mirrors.get(id).cloned().unwrap_or_default();
        got.sort();
        let matches = got.len() == expected.len()
            && expected.iter().zip(&got).all(|(m, (target, host))| {
                m.target == *target && m.host.as_ref().is_none_or(|h| h == host)
            });
        if !matches {
            t.disagreements.push(format!(
                "{label}\n    model mirrors: {expected:?}\n    nginx mirrored: {got:?}"
            ));
        }
        t.mirrored += got.len();
    }
}

/// A missing nginx skips with a visible notice, or fails with the install hint
/// when required; `$NGINX` must name a file.
#[test]
fn missing_nginx_skips_or_fails_with_the_hint() {
    use nginx::{Lookup, decide};
    let none: [&str; 1] = ["/nonexistent/ing2gw-test/nginx"];
    let Lookup::Skip(notice) = decide("t", None, false, &none) else {
        panic!("skips when not required")
    };
    assert!(notice.contains("SKIPPED t") && notice.contains("apt-get install -y nginx-light"));
    let Lookup::Required(message) = decide("t", None, true, &none) else {
        panic!("fails when required")
    };
    assert!(
        message.contains("apt-get install -y nginx-light"),
        "{message}"
    );
    let missing = PathBuf::from("/nonexistent/ing2gw-test/nginx");
    assert!(matches!(
        decide("t", Some(missing), true, &[]),
        Lookup::Required(_)
    ));
    let file = tempfile::NamedTempFile::new().expect("temp file");
    assert_eq!(
        decide("t", Some(file.path().to_path_buf()), true, &none),
        Lookup::Found(file.path().to_path_buf())
    );
}

/// CI must not skip the real-nginx tests, and the toolchain requirement is declared.
#[test]
fn ci_requires_nginx_and_the_msrv_is_declared() {
    let root = cases::root();
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    assert!(
        ci.contains("export ING2GW_REQUIRE_NGINX=1"),
        ".ci/run: {ci}"
    );
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest.contains("rust-version = \"1.89\""),
        "Cargo.toml declares the MSRV"
    );
}
