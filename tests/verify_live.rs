//! `ing2gw verify --live` and `--emit-probes` against real servers on loopback.
//!
//! The ingress-nginx side is Debian's nginx running the configuration rendered
//! from the ingress-nginx model (`verify::nginx_conf`, the one
//! `tests/nginx_agreement.rs` checks against the model). The Gateway side is a
//! second nginx configured by hand to do what the generated HTTPRoutes do for
//! this case (one per case below): a faithful one, and a deliberately broken
//! translation (a Prefix rule turned Exact, the HTTPS redirect turned 301, the
//! HSTS header lost, a path sent to the wrong backend: only `--compare-body`
//! sees that one). Certificates come from a test CA passed with `--ca-file`,
//! so TLS verification stays on.
//!
//! The limits (concurrency, rate, timeout) are checked against a small slow
//! server written here that counts connections. Bounds are loose: the machine
//! is shared and loaded; they assert the limit holds, not precise timings.
//!
//! Without nginx the nginx tests skip (or fail under CI): see `support/nginx.rs`.

#[path = "support/nginx.rs"]
mod nginx;

use ing2gw::input::SourceFile;
use ing2gw::options::TranslateOptions;
use ing2gw::verify::nginx_conf::{self, Listen};
use ing2gw::verify::nginx_model::NginxModel;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HOST: &str = "shop.example.com";
/// The name the Gateway serves [`HOST`] under in the `--host-map` test.
const CANARY: &str = "shop.canary.example.com";

/// One host with TLS (so ingress-nginx redirects http to https), a Prefix and
/// an Exact path.
const INPUT: &str = r#"apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: web
spec:
  ingressClassName: nginx
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
      - {path: /login, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
"#;

/// Whether curl is installed for the shell smoke-test checks; without it they
/// skip with a notice, or fail where real servers are required (CI).
fn curl_or_skip(test: &str) -> bool {
    let found = Command::new("curl")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            !nginx::required_by_env(),
            "{test}: curl is not installed (apt-get install -y curl)"
        );
        let _ = writeln!(std::io::stderr(), "SKIPPED {test}: curl is not installed");
    }
    found
}

fn ing2gw() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ing2gw"))
}

struct Pki {
    ca: String,
    cert: String,
    key: String,
}

/// A test CA and a certificate for [`HOST`] signed by it.
fn pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    // A subject of its own: OpenSSL (curl) takes a leaf whose issuer equals
    // its subject for a self-signed certificate.
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "ing2gw test CA");
    let ca_cert = ca_params.self_signed(&ca_key).expect("ca cert");
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().expect("leaf key");
    let mut leaf =
        CertificateParams::new(vec![HOST.to_string(), CANARY.to_string()]).expect("leaf params");
    leaf.distinguished_name.push(DnType::CommonName, HOST);
    let cert = leaf.signed_by(&key, &issuer).expect("leaf cert");
    Pki {
        ca: ca_cert.pem(),
        cert: cert.pem(),
        key: key.serialize_pem(),
    }
}

/// Starts nginx on `conf` (written into `dir`); waits until `ports` listen.
fn run_nginx(
    nginx: &Path,
    dir: tempfile::TempDir,
    conf: &str,
    ports: &[u16],
) -> nginx::RunningNginx {
    std::fs::create_dir_all(dir.path().join("tmp")).expect("tmp dir");
    let path = dir.path().join("nginx.conf");
    std::fs::write(&path, conf).expect("write conf");
    let error_log = dir.path().join("error.log");
    let mut child = Command::new(nginx)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(&path)
        .arg("-e")
        .arg(&error_log)
        .arg("-g")
        .arg("daemon off; master_process off;")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run nginx");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(&error_log).unwrap_or_default();
            panic!("nginx exited ({status}): {log}\n{conf}");
        }
        if ports
            .iter()
            .all(|&p| TcpStream::connect(("127.0.0.1", p)).is_ok())
        {
            return nginx::RunningNginx { child, dir };
        }
        assert!(Instant::now() < deadline, "nginx did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Both sides running, and the files the CLI needs.
struct Sides {
    _nginx: nginx::RunningNginx,
    _gateway: nginx::RunningNginx,
    nginx_address: String,
    gateway_address: String,
    work: tempfile::TempDir,
}

impl Sides {
    fn input(&self) -> String {
        self.work.path().join("input.yaml").display().to_string()
    }
    fn ca(&self) -> String {
        self.work.path().join("ca.pem").display().to_string()
    }
}

/// How the hand-written Gateway side differs from a faithful translation.
#[derive(Clone, Copy, PartialEq)]
enum Gateway {
    Faithful,
    Broken,
    /// Faithful, but serving [`HOST`] as [`CANARY`] (a `--host-map` test domain).
    Mapped,
}

/// The Gateway side: what the HTTPRoutes of [`INPUT`] do. http: a redirect to
/// https (308) for the host, 404 for other hosts; https: a listener for the
/// host only (other names: the handshake is refused), `/api` as a Prefix
/// (`/api` and `/api/…`), `/login` Exact, 404 otherwise; backends are the
/// ingress-nginx side's backend servers, so both answer the same bodies.
fn gateway_conf(
    kind: Gateway,
    http: u16,
    https: u16,
    backends: &std::collections::BTreeMap<String, u16>,
    dir: &Path,
) -> String {
    let port_of = |svc: &str| {
        *backends
            .iter()
            .find(|(name, _)| name.contains(svc))
            .unwrap_or_else(|| panic!("no upstream for {svc}: {backends:?}"))
            .1
    };
    let (api, web) = (port_of("web-api-80"), port_of("web-web-80"));
    let redirect = if kind == Gateway::Broken { 301 } else { 308 };
    let served = if kind == Gateway::Mapped {
        CANARY
    } else {
        HOST
    };
    // Broken: /login sent to the wrong backend (same status, another body).
    let login = if kind == Gateway::Broken { api } else { web };
    let api_prefix = if kind == Gateway::Broken {
        String::new()
    } else {
        format!("location /api/ {{ proxy_pass http://127.0.0.1:{api}; }}")
    };
    let hsts = if kind == Gateway::Broken {
        ""
    } else {
        "add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;"
    };
    format!(
        r#"worker_processes 1;
error_log error.log;
pid nginx.pid;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path tmp/client_body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  proxy_http_version 1.1;
  server {{ listen 127.0.0.1:{http} default_server; return 404; }}
  server {{ listen 127.0.0.1:{https} ssl default_server; ssl_reject_handshake on; }}
  server {{
    listen 127.0.0.1:{http};
    server_name {served};
    return {redirect} https://$host$request_uri;
  }}
  server {{
    listen 127.0.0.1:{https} ssl;
    server_name {served};
    ssl_certificate {cert};
    ssl_certificate_key {key};
    {hsts}
    location = /api {{ proxy_pass http://127.0.0.1:{api}; }}
    {api_prefix}
    location = /login {{ proxy_pass http://127.0.0.1:{login}; }}
    location / {{ return 404; }}
  }}
}}
"#,
        cert = dir.join("cert.pem").display(),
        key = dir.join("key.pem").display(),
    )
}

/// Starts ingress-nginx (rendered from the model) and the Gateway side.
fn start(nginx: &Path, kind: Gateway) -> Sides {
    let work = tempfile::tempdir().expect("tempdir");
    let pki = pki();
    std::fs::write(work.path().join("input.yaml"), INPUT).expect("input");
    std::fs::write(work.path().join("ca.pem"), &pki.ca).expect("ca");
    let input = ing2gw::pipeline::load(&[SourceFile {
        name: "input.yaml".into(),
        text: INPUT.into(),
    }])
    .input;
    let model = NginxModel::build(&input, &TranslateOptions::default());
    let names: Vec<String> = nginx_conf::upstreams(&model).into_keys().collect();
    let ports = nginx::free_ports(names.len() + 4);
    let ndir = tempfile::tempdir().expect("tempdir");
    std::fs::write(ndir.path().join("cert.pem"), &pki.cert).expect("cert");
    std::fs::write(ndir.path().join("key.pem"), &pki.key).expect("key");
    // HSTS on every TLS answer, as ingress-nginx's default `hsts: true` does.
    let listen = Listen {
        http: ports[0],
        https: ports[1],
        backends: names.into_iter().zip(ports[4..].iter().copied()).collect(),
        cert: ndir.path().join("cert.pem"),
        key: ndir.path().join("key.pem"),
        auth: None,
        mirror: None,
    };
    let conf = nginx_conf::render(&model, &listen).replacen(
        "http {",
        "http {\n  map $scheme $hsts { https \"max-age=31536000; includeSubDomains\"; default \"\"; }\n  add_header Strict-Transport-Security $hsts always;",
        1,
    );
    let mut wait: Vec<u16> = vec![listen.http, listen.https];
    wait.extend(listen.backends.values());
    let gconf = gateway_conf(kind, ports[2], ports[3], &listen.backends, ndir.path());
    let gdir = tempfile::tempdir().expect("tempdir");
    std::fs::write(gdir.path().join("cert.pem"), &pki.cert).expect("cert");
    std::fs::write(gdir.path().join("key.pem"), &pki.key).expect("key");
    let gconf = gconf.replace(
        &ndir.path().display().to_string(),
        &gdir.path().display().to_string(),
    );
    let running = run_nginx(nginx, ndir, &conf, &wait);
    let gateway = run_nginx(nginx, gdir, &gconf, &[ports[2], ports[3]]);
    Sides {
        _nginx: running,
        _gateway: gateway,
        nginx_address: format!("127.0.0.1:{},{}", ports[0], ports[1]),
        gateway_address: format!("127.0.0.1:{},{}", ports[2], ports[3]),
        work,
    }
}

fn live(sides: &Sides, extra: &[&str]) -> (Output, Value) {
    let report = sides.work.path().join("live.json");
    let out = ing2gw()
        .args(["verify", "-f", &sides.input(), "--live"])
        .args(["--nginx-address", &sides.nginx_address])
        .args(["--gateway-address", &sides.gateway_address])
        .args([
            "--ca-file",
            &sides.ca(),
            "--rate",
            "0",
            "--concurrency",
            "8",
        ])
        .args(["--timeout", "10s", "--compare-body", "--report"])
        .arg(&report)
        .args(extra)
        .output()
        .expect("run ing2gw");
    let json: Value = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| {
            panic!(
                "no report; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    (out, json)
}

fn text(o: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn faithful_gateway_agrees_live_and_smoke_test_passes() {
    let Some(nginx) = nginx::nginx_or_skip("verify_live") else {
        return;
    };
    let sides = start(&nginx, Gateway::Faithful);
    // The basic probes (every path, both schemes, the unknown host): agreement.
    let (out, json) = live(&sides, &["--budget", "40"]);
    let s = &json["summary"];
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(s["sent"], 40, "{s}");
    assert_eq!(s["unexplained"], 0, "{}", text(&out));
    assert_eq!(s["unanswered"], 0, "{s}");
    assert_eq!(s["model_disagreements"], 0, "{}", text(&out));

    // Certificates are verified by default: without the test CA no https
    // probe is answered, and the run fails saying why.
    let out = ing2gw()
        .args(["verify", "-f", &sides.input(), "--live", "--budget", "40"])
        .args(["--nginx-address", &sides.nginx_address])
        .args(["--gateway-address", &sides.gateway_address])
        .args(["--rate", "0", "-o", "json"])
        .output()
        .expect("run ing2gw");
    let t = text(&out);
    if out.status.code() == Some(2) {
        // A machine without system CA certificates: refused up front.
        assert!(t.contains("no system CA certificates found"), "{t}");
    } else {
        assert_eq!(out.status.code(), Some(1), "{t}");
        let json: Value = serde_json::from_slice(&out.stdout).expect("json on stdout");
        assert!(json["summary"]["unanswered"].as_u64().unwrap() > 0, "{t}");
        assert!(t.contains("\"kind\": \"tls\""), "{t}");
    }

    // Every probe: both live sides answer as their models predict; the only
    // divergences are those offline verify explains, and the normalisation
    // variants Gateway API leaves to the implementation (this one keeps the
    // path as sent in its https redirect, ingress-nginx drops a trailing `/`).
    let (out, json) = live(&sides, &[]);
    let t = text(&out);
    let s = &json["summary"];
    assert!(s["sent"].as_u64().unwrap() > 100, "{s}");
    assert_eq!(s["model_disagreements"], 0, "{t}");
    assert_eq!(s["unanswered"], 0, "{s}");
    assert_eq!(s["explained"], 3, "{t}");
    assert_eq!(s["offline_divergent_live_same"], 0, "{t}");
    assert!(t.contains("  host shop.example.com: "), "{t}");
    for r in json["results"].as_array().unwrap() {
        if r["verdict"] == "same" {
            continue;
        }
        assert!(
            r.get("explained_by").is_some() || r["implementation_defined_offline"] == true,
            "{r}"
        );
    }
    if s["unexplained"] != 0 {
        assert_eq!(out.status.code(), Some(1), "{t}");
        assert!(t.contains("no (implementation-defined offline)"), "{t}");
    }
    assert!(
        json["compared_headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h == "strict-transport-security")
    );

    // The same probes as a shell smoke test, run against the Gateway side.
    if !curl_or_skip("verify_live smoke test") {
        return;
    }
    let script = sides.work.path().join("smoke.sh");
    let out = ing2gw()
        .args(["verify", "-f", &sides.input(), "--emit-probes"])
        .arg(&script)
        .output()
        .expect("emit");
    assert!(script.is_file(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote "));
    let (ip_ports, ca) = (sides.gateway_address.clone(), sides.ca());
    let (ip, ports) = ip_ports.split_once(':').unwrap();
    let (http, https) = ports.split_once(',').unwrap();
    let run = Command::new("sh")
        .arg(&script)
        .args([ip, http, https])
        .env("ING2GW_CA_FILE", &ca)
        .output()
        .expect("sh");
    let t = text(&run);
    assert_eq!(run.status.code(), Some(0), "{t}");
    assert!(t.contains(" as predicted, 0 not"), "{t}");
}

#[test]
fn host_map_sends_the_test_domain_to_the_gateway_and_maps_locations_back() {
    let Some(nginx) = nginx::nginx_or_skip("verify_live") else {
        return;
    };
    let sides = start(&nginx, Gateway::Mapped);
    let map = format!("{HOST}={CANARY}");
    let (out, json) = live(&sides, &["--budget", "40", "--host-map", &map]);
    let t = text(&out);
    let s = &json["summary"];
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert_eq!(s["sent"], 40, "{s}");
    assert_eq!(s["unexplained"], 0, "{t}");
    assert_eq!(s["unanswered"], 0, "{t}");
    // Only divergent (explained) probes are listed: each shows both names sent.
    let results = json["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{t}");
    for r in results.iter().filter(|r| r["probe"]["host"] == HOST) {
        assert_eq!(r["sent_hosts"]["gateway"], CANARY, "{r}");
        assert_eq!(r["sent_hosts"]["ingress_nginx"], HOST, "{r}");
    }
    // Without the map the Gateway side does not serve the name: caught.
    let (out, _) = live(&sides, &["--budget", "40"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn broken_translation_is_caught_live_and_by_the_smoke_test() {
    let Some(nginx) = nginx::nginx_or_skip("verify_live") else {
        return;
    };
    let sides = start(&nginx, Gateway::Broken);
    let (out, json) = live(&sides, &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    let results = json["results"].as_array().unwrap();
    let divergent = |target: &str, scheme: &str, needle: &str| {
        results.iter().any(|r| {
            r["probe"]["target"] == target
                && r["probe"]["scheme"] == scheme
                && r["probe"]["host"] == HOST
                && r["verdict"] == "divergent"
                && r["differences"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| d.as_str().unwrap().contains(needle))
        })
    };
    // The lost Prefix: /api/x is served by ingress-nginx, 404 on the Gateway.
    assert!(divergent("/api/x", "https", "status 200 / 404"), "{t}");
    // The 301 instead of 308.
    assert!(divergent("/api", "http", "status 308 / 301"), "{t}");
    // The wrong backend: only the body tells (--compare-body).
    assert!(
        divergent("/login", "https", "body differs (SHA-256)"),
        "{t}"
    );
    // The lost HSTS header.
    assert!(
        divergent("/api", "https", "strict-transport-security"),
        "{t}"
    );
    // The redirect contradicts the Gateway model (which predicts the 308 the
    // translation emits): a model disagreement on the Gateway side.
    assert!(
        results
            .iter()
            .any(|r| r["model_disagreements"]
                .as_array()
                .is_some_and(|m| m.iter().any(|m| m["side"] == "gateway-api"
                    && m["live"].as_str().unwrap().starts_with("301")))),
        "{t}"
    );
    assert!(t.contains("model disagrees:"), "{t}");
    assert!(t.contains(&format!("host {HOST}")), "{t}");

    if !curl_or_skip("verify_live smoke test") {
        return;
    }
    let script = sides.work.path().join("smoke.sh");
    let out = ing2gw()
        .args(["verify", "-f", &sides.input(), "--emit-probes"])
        .arg(&script)
        .args(["--gateway-address", &sides.gateway_address])
        .output()
        .expect("emit");
    assert!(script.is_file(), "{}", text(&out));
    // The address is the script's default now.
    let run = Command::new("sh")
        .arg(&script)
        .env("ING2GW_CA_FILE", sides.ca())
        .output()
        .expect("sh");
    let t = text(&run);
    assert_eq!(run.status.code(), Some(1), "{t}");
    assert!(
        t.contains("FAIL GET http://shop.example.com/api: want 308"),
        "{t}"
    );
}

/// A loopback HTTP server that answers every request after `delay` (or never,
/// with `None`), counting connections in flight and recording accept times.
struct Slow {
    port: u16,
    max_in_flight: Arc<AtomicUsize>,
    accepted: Arc<Mutex<Vec<Instant>>>,
}

fn slow_server(delay: Option<Duration>) -> Slow {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max_in_flight = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let (inf, maxf, acc) = (in_flight.clone(), max_in_flight.clone(), accepted.clone());
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            acc.lock().unwrap().push(Instant::now());
            let now = inf.fetch_add(1, Ordering::SeqCst) + 1;
            maxf.fetch_max(now, Ordering::SeqCst);
            let inf = inf.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let mut seen = Vec::new();
                conn.set_read_timeout(Some(Duration::from_secs(20))).ok();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                    // A TLS ClientHello (https probes): refused at once.
                    if seen.first() == Some(&0x16) {
                        break;
                    }
                }
                if seen.first() == Some(&0x16) {
                    inf.fetch_sub(1, Ordering::SeqCst);
                    return;
                }
                match delay {
                    Some(d) => {
                        std::thread::sleep(d);
                        // Counted out before the answer: the client can only
                        // start another request after it, so the count never
                        // runs ahead of the client's (it may lag at accept).
                        inf.fetch_sub(1, Ordering::SeqCst);
                        let _ = conn.write_all(
                            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                    }
                    // Never answers: hold the connection until the client leaves.
                    None => {
                        let _ = conn.read(&mut buf);
                        inf.fetch_sub(1, Ordering::SeqCst);
                    }
                }
            });
        }
    });
    Slow {
        port,
        max_in_flight,
        accepted,
    }
}

/// `verify --live` with both addresses on `port` (http probes only reach it;
/// https ones fail the handshake on a plain server).
fn live_against(port: u16, budget: &str, extra: &[&str]) -> (Output, Duration) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("input.yaml");
    std::fs::write(&input, INPUT).expect("input");
    let address = format!("127.0.0.1:{port},{port}");
    let t0 = Instant::now();
    let out = ing2gw()
        .args(["verify", "-f"])
        .arg(&input)
        .args([
            "--live",
            "--nginx-address",
            &address,
            "--gateway-address",
            &address,
        ])
        .args(["--insecure-skip-verify", "--budget", budget])
        .args(extra)
        .output()
        .expect("run");
    (out, t0.elapsed())
}

#[test]
fn concurrency_is_bounded() {
    let slow = slow_server(Some(Duration::from_millis(300)));
    let (out, _) = live_against(slow.port, "16", &["--concurrency", "3", "--rate", "0"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out));
    let max = slow.max_in_flight.load(Ordering::SeqCst);
    let accepted = slow.accepted.lock().unwrap().len();
    assert!(accepted >= 16, "every probe connected twice: {accepted}");
    assert!((2..=3).contains(&max), "at most 3 in flight, saw {max}");
}

#[test]
fn rate_spaces_requests() {
    let fast = slow_server(Some(Duration::ZERO));
    let (out, elapsed) = live_against(fast.port, "10", &["--concurrency", "16", "--rate", "10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out));
    let times = fast.accepted.lock().unwrap().clone();
    // 10 probes, 2 requests each at 10/s: the last starts ≥ 1.9 s after the first.
    assert!(times.len() >= 16, "{}", times.len());
    let span = times[times.len() - 1] - times[0];
    assert!(
        span >= Duration::from_millis(1500),
        "requests {span:?} apart in all"
    );
    assert!(elapsed >= Duration::from_millis(1500));
}

#[test]
fn timeout_ends_requests_to_a_silent_server() {
    let silent = slow_server(None);
    let (out, elapsed) = live_against(silent.port, "6", &["--timeout", "300ms", "--rate", "0"]);
    let t = text(&out);
    // Nothing answered: a finding, and the report names the timeouts.
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("timeout"), "{t}");
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![
            "--live",
            "--nginx-address",
            "example.com",
            "--gateway-address",
            "127.0.0.1",
        ],
        vec!["--live", "--nginx-address", "127.0.0.1"],
        vec!["--emit-probes", "probes.txt"],
    ] {
        let out = ing2gw()
            .args(["verify", "-f", "testdata/verify/redirects/input.yaml"])
            .args(&args)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }
}

/// Paths a shell would execute if they were not quoted.
const HOSTILE: &str = r#"apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: hostile
  namespace: web
spec:
  ingressClassName: nginx
  rules:
  - host: ok.example.com
    http:
      paths:
      - {path: "/q'$(touch PWNED-1)`touch PWNED-2`\"x;touch PWNED-3", pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}
      - {path: "/n\nl$(touch PWNED-4)'\\''", pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
      - {path: "/{{x}}#y", pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
"#;

#[test]
fn hostile_values_stay_data_in_the_smoke_test() {
    if !curl_or_skip("hostile_values_stay_data_in_the_smoke_test") {
        return;
    }
    let server = slow_server(Some(Duration::ZERO));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("input.yaml"), HOSTILE).expect("input");
    let script = dir.path().join("smoke.sh");
    let out = ing2gw()
        .current_dir(dir.path())
        .args(["verify", "-f", "input.yaml", "--emit-probes", "smoke.sh"])
        .output()
        .expect("emit");
    let written = std::fs::read_to_string(&script).unwrap_or_else(|_| panic!("{}", text(&out)));
    assert!(written.contains("touch"), "the hostile paths are probed");
    let syntax = Command::new("sh")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("sh -n");
    assert!(syntax.status.success(), "{}", text(&syntax));
    let port = server.port.to_string();
    let run = Command::new("sh")
        .current_dir(dir.path())
        .arg(&script)
        .args(["127.0.0.1", &port, &port])
        .output()
        .expect("sh");
    let t = text(&run);
    // The server answers 404 to every http request and refuses TLS, which is
    // what the model predicts for these routes (any answer from a backend; no
    // https listener without spec.tls).
    assert_eq!(run.status.code(), Some(0), "{t}");
    assert!(t.contains(" as predicted, 0 not"), "{t}");
    let requests = server.accepted.lock().unwrap().len();
    let probes = written.lines().filter(|l| l.starts_with("probe ")).count();
    assert!(
        requests >= probes,
        "{requests} connections for {probes} probes"
    );
    let pwned: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("PWNED"))
        .collect();
    assert!(pwned.is_empty(), "a value ran as a command: {pwned:?}");
}

/// The subset of the Hurl grammar `--emit-probes x.hurl` writes, checked line
/// by line (hurl itself is not installable from a registry here: its npm
/// package downloads a binary, and Debian has none).
fn check_hurl(text: &str) -> usize {
    let mut entries = 0;
    let mut state = "between";
    for (i, line) in text.lines().enumerate() {
        let at = format!("line {}: {line:?}", i + 1);
        if line.starts_with('#') || line.is_empty() {
            assert!(
                line.is_empty() || state == "between",
                "comment inside an entry, {at}"
            );
            state = if line.is_empty() { "between" } else { state };
            continue;
        }
        match state {
            "between" => {
                let (method, url) = line.split_once(' ').expect(&at);
                assert!(matches!(method, "GET" | "HEAD"), "{at}");
                assert!(
                    url.starts_with("http://") || url.starts_with("https://"),
                    "{at}"
                );
                assert!(!url.contains(['{', '}', '#', ' ', '"', '\\']), "{at}");
                entries += 1;
                state = "headers";
            }
            "headers" if line == "[Options]" => state = "options",
            "headers" => {
                let (name, value) = line.split_once(": ").expect(&at);
                assert!(
                    name.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                    "{at}"
                );
                assert!(!value.contains(['{', '}', '#']), "{at}");
            }
            "options" if line.starts_with("HTTP ") => {
                let code = &line[5..];
                assert!(
                    code == "*" || (code.len() == 3 && code.parse::<u16>().is_ok()),
                    "{at}"
                );
                state = "response";
            }
            "options" => {
                let (name, value) = line.split_once(": ").expect(&at);
                match name {
                    "connect-to" => assert!(
                        value == "::{{address}}:{{http_port}}"
                            || value == "::{{address}}:{{https_port}}",
                        "{at}"
                    ),
                    "path-as-is" => assert_eq!(value, "true", "{at}"),
                    "location" => assert_eq!(value, "false", "{at}"),
                    _ => panic!("unknown option, {at}"),
                }
            }
            "response" if line == "[Asserts]" => state = "asserts",
            "asserts" => {
                let value = (line.strip_prefix("header \"Location\" == \""))
                    .or_else(|| line.strip_prefix("header \"Location\" startsWith \""))
                    .and_then(|v| v.strip_suffix('"'))
                    .expect(&at);
                assert!(!value.contains(['"', '\\', '{', '}']), "{at}");
            }
            _ => panic!("unexpected {at} in state {state}"),
        }
    }
    entries
}

#[test]
fn hurl_file_follows_the_grammar() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, input) in [("shop", INPUT), ("hostile", HOSTILE)] {
        std::fs::write(dir.path().join(format!("{name}.yaml")), input).expect("input");
        let out = ing2gw()
            .current_dir(dir.path())
            .args(["verify", "-f", &format!("{name}.yaml"), "--emit-probes"])
            .arg(format!("{name}.hurl"))
            .args(["--gateway-address", "[::1]:8080,8443"])
            .output()
            .expect("emit");
        let hurl = std::fs::read_to_string(dir.path().join(format!("{name}.hurl")))
            .unwrap_or_else(|_| panic!("{}", text(&out)));
        assert!(
            hurl.contains(
                "--variable address=[::1] --variable http_port=8080 --variable https_port=8443"
            ),
            "{hurl}"
        );
        let entries = check_hurl(&hurl);
        assert!(entries > 10, "{name}: {entries} entries");
        if name == "shop" {
            assert!(hurl.contains("GET http://shop.example.com/api\n"), "{hurl}");
            assert!(
                hurl.contains(
                    "HTTP 308\n[Asserts]\nheader \"Location\" == \"https://shop.example.com/api\""
                ),
                "{hurl}"
            );
            assert!(
                hurl.contains("GET http://shop.example.com/\n[Options]\nconnect-to: ::{{address}}:{{http_port}}\npath-as-is: true\nlocation: false\nHTTP 308\n[Asserts]\nheader \"Location\" startsWith \"https://shop.example.com\"\n"),
                "{hurl}"
            );
            // The host as sent may come back in its case: no Location assertion.
            assert!(
                hurl.contains("GET http://SHOP.EXAMPLE.COM/\n[Options]\nconnect-to: ::{{address}}:{{http_port}}\npath-as-is: true\nlocation: false\nHTTP 308\n\n"),
                "{hurl}"
            );
        }
    }
}

/// The connection goes to the given address whatever the Host says; a host a
/// Host header or TLS name cannot carry is not sent at all.
#[test]
fn hostile_hosts_never_choose_the_address() {
    use ing2gw::verify::Predicted;
    use ing2gw::verify::compare::VerifyReport;
    use ing2gw::verify::live::{self, client};
    use ing2gw::verify::request::{Outcome, Probe, Scheme};
    let server = slow_server(Some(Duration::ZERO));
    let predicted: Vec<Predicted> = [
        "127.0.0.9",
        "localhost",
        "evil.example:1@127.0.0.9",
        "evil.example\r\nX-Injected: 1",
        "[::1]",
        "localhost:22",
        "a/b",
    ]
    .iter()
    .map(|host| Predicted {
        probe: Probe::get(Scheme::Http, host, "/"),
        ingress_nginx: Outcome::Status { status: 404 },
        gateway_api: Outcome::Status { status: 404 },
        nginx_fake_certificate: false,
    })
    .collect();
    let address: live::Endpoint = format!("127.0.0.1:{}", server.port).parse().unwrap();
    let options = live::LiveOptions {
        nginx: address,
        gateway: address,
        client: client::Client {
            tls: client::tls_config(&client::TlsVerify::Skip).unwrap(),
            timeout: Duration::from_secs(10),
            compare_body: false,
            tracked: Arc::new(Default::default()),
        },
        concurrency: 4,
        rate: 0.0,
        verify_tls: false,
        gateway_host: None,
        gateway_unhost: None,
    };
    let report = live::run(&predicted, &VerifyReport::default(), &options, &|_, _| {}).unwrap();
    assert_eq!(report.summary.sent, 2, "{report:#?}");
    assert_eq!(report.summary.same, 2, "{report:#?}");
    assert_eq!(report.summary.skipped, 5);
    assert_eq!(
        server.accepted.lock().unwrap().len(),
        4,
        "both sides, loopback only"
    );
}
