//! The snippet tokenizer agrees with a real nginx (`ngx_conf_read_token`).
//!
//! Thousands of seeded, generated snippets — built from the characters nginx
//! treats specially and the ones a Unicode-aware tokenizer would get wrong (form
//! feed, vertical tab, NBSP, NEL, U+2028, quotes, `#`, `$`/`${`, braces,
//! backslashes) — are pasted into `location = /cN { … }` blocks the way
//! ingress-nginx pastes a configuration-snippet. Each case has the form
//! `[# comment\n] return 200 <generated>;`, so the token boundaries nginx chose
//! are observable: the body nginx answers is its second `return` argument.
//!
//! 1. `nginx -t` judges each case alone (a rejected case would hide the others).
//! 2. The accepted cases are served together on loopback and requested once each.
//!
//! For every case nginx accepts, our parser must read `return 200 <arg>` with the
//! same argument (variables `$v`/`${v}` evaluated as nginx does), except a snippet
//! whose `}` closes the enclosing location, which we reject on purpose (it breaks
//! out of its location). For every case nginx's tokenizer rejects ("unexpected …"),
//! our parser must reject it too (a case nginx rejects later, for its arguments or
//! variables, starts with `return`, which ing2gw never lets through open).
//!
//! `NGINX_TOKENIZER_SEED` and `NGINX_TOKENIZER_CASES` change the run; a failure
//! prints the seed and the case. Without an nginx binary (`apt-get install -y
//! nginx-light`; `NGINX` overrides the path) the test skips with a notice on
//! stderr, or fails with that hint when `CI` or `ING2GW_REQUIRE_NGINX=1` is set
//! (`tests/support/nginx.rs`).

use ing2gw::passes::snippets::parser;

#[path = "support/nginx.rs"]
mod nginx;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DEFAULT_SEED: u64 = 0x05ee_d0f9_1a7c;
const DEFAULT_CASES: usize = 3000;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| {
            let v = v.trim();
            match v.strip_prefix("0x") {
                Some(h) => u64::from_str_radix(h, 16).ok(),
                None => v.parse().ok(),
            }
        })
        .unwrap_or(default)
}

/// splitmix64: small, seeded, the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Pieces of generated arguments. Letters are kept out of word pieces so that
/// `$v` followed by a piece stays the variable `v` more often.
const PIECES: &[&str] = &[
    // Word characters.
    "-",
    "/",
    ".",
    ":",
    "=",
    "x-y",
    "é", // nginx's separators.
    " ",
    "\t",
    "\r",
    "\n", // Unicode and ASCII control "spaces" nginx does not split on.
    "\u{0c}",
    "\u{0b}",
    "\u{a0}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{3000}",
    "\u{feff}",
    // Quotes.
    "\"",
    "'",
    "\"q w\"",
    "'q;w'",
    "\"\"", // Structure.
    "#",
    "}",
    "{",
    ";",
    "(",
    ")",
    "; deny all;",
    " deny all", // Variables.
    "$v",
    "${v}",
    "${",
    "$",
    "${v}}",
    "$v}",
    "${{v}", // Escapes.
    "\\",
    "\\n",
    "\\t",
    "\\r",
    "\\\"",
    "\\'",
    "\\\\",
    "\\ ",
    "\\;",
    "\\}",
    "\\{",
    "\\#",
    "\\x",
];

/// Comment text: anything but LF (only LF ends a comment; CR, NEL and U+2028 do not).
const COMMENT_PIECES: &[&str] = &[
    "c",
    " ",
    "\t",
    "\r",
    "\u{85}",
    "\u{2028}",
    "\u{0c}",
    ";",
    "}",
    "{",
    "\"",
    "'",
    "#",
    " deny all;",
];

fn generate(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.below(4) == 0 {
        s.push('#');
        for _ in 0..1 + rng.below(4) {
            s.push_str(rng.pick(COMMENT_PIECES));
        }
        s.push('\n');
    }
    s.push_str("return 200 ");
    for _ in 0..1 + rng.below(6) {
        s.push_str(rng.pick(PIECES));
    }
    s.push(';');
    s
}

/// What nginx serves for a `return` text: `$v`/`${v}` are "V" (set at server
/// level); every other variable name is unknown, so nginx would have refused it.
fn evaluate(arg: &str) -> Option<String> {
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::new();
    let mut rest = arg;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let name = if let Some(r) = rest.strip_prefix('{') {
            let end = r.find('}')?;
            let name = &r[..end];
            rest = &r[end + 1..];
            name
        } else {
            let end = rest.find(|c: char| !name_char(c)).unwrap_or(rest.len());
            let name = &rest[..end];
            rest = &rest[end..];
            name
        };
        if name != "v" {
            return None;
        }
        out.push('V');
    }
    out.push_str(rest);
    Some(out)
}

fn conf(port: u16, cases: &[(usize, &str)]) -> String {
    let mut c = String::from(
        "worker_processes 1;\nerror_log stderr;\npid nginx.pid;\nevents { worker_connections 64; }\nhttp {\naccess_log off;\nclient_body_temp_path tmp/client_body;\nproxy_temp_path tmp/proxy;\nfastcgi_temp_path tmp/fastcgi;\nuwsgi_temp_path tmp/uwsgi;\nscgi_temp_path tmp/scgi;\n",
    );
    c.push_str(&format!(
        "server {{\nlisten 127.0.0.1:{port};\nset $v \"V\";\n"
    ));
    for (i, snippet) in cases {
        // Like ingress-nginx's template: the snippet on its own lines in the location.
        c.push_str(&format!("location = /c{i} {{\n{snippet}\n}}\n"));
    }
    c.push_str("}\n}\n");
    c
}

fn prefix_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("tmp")).expect("tmp dir");
    dir
}

/// `nginx -t`: `Err` carries nginx's message.
fn check(nginx: &Path, dir: &Path, text: &str) -> Result<(), String> {
    let file = dir.join("nginx.conf");
    std::fs::write(&file, text).expect("write conf");
    let out = Command::new(nginx)
        .arg("-t")
        .arg("-q")
        .arg("-p")
        .arg(dir)
        .arg("-e")
        .arg("stderr")
        .arg("-c")
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", nginx.display()));
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn serve(nginx: &Path, cases: &[(usize, &str)]) -> (nginx::RunningNginx, u16) {
    let dir = prefix_dir();
    let port = nginx::free_ports(1)[0];
    let text = conf(port, cases);
    if let Err(e) = check(nginx, dir.path(), &text) {
        panic!("the accepted cases together are rejected: {e}");
    }
    let child = Command::new(nginx)
        .arg("-p")
        .arg(dir.path())
        .arg("-e")
        .arg("stderr")
        .arg("-c")
        .arg(dir.path().join("nginx.conf"))
        .arg("-g")
        .arg("daemon off; master_process off;")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", nginx.display()));
    let mut server = nginx::RunningNginx { child, dir };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("nginx exited ({status})");
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return (server, port);
        }
        assert!(Instant::now() < deadline, "nginx did not start within 30s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Status and body of `GET path` (HTTP/1.0: the body ends with the connection).
fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: t\r\n\r\n").as_bytes())
        .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8_lossy(&raw[..end]);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    (status, raw[end + 4..].to_vec())
}

/// Our reading of a case: the `return` text, or why there is none.
fn ours(snippet: &str) -> Result<Option<String>, parser::ParseError> {
    let ds = parser::parse(snippet)?;
    Ok(match ds.first() {
        Some(d) if d.name == "return" && d.arg(0) == Some("200") && d.block.is_none() => {
            match d.args.len() {
                1 => Some(String::new()),
                2 => d.arg(1).map(str::to_string),
                _ => None,
            }
        }
        _ => None,
    })
}

#[test]
fn snippet_tokenizer_agrees_with_nginx() {
    let Some(nginx) = nginx::nginx_or_skip("snippet_tokenizer_agrees_with_nginx") else {
        return;
    };
    let seed = env_number("NGINX_TOKENIZER_SEED", DEFAULT_SEED);
    let n = env_number("NGINX_TOKENIZER_CASES", DEFAULT_CASES as u64) as usize;
    let mut rng = Rng(seed);
    let snippets: Vec<String> = (0..n).map(|_| generate(&mut rng)).collect();

    // 1. nginx -t per case, on every core.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = n.div_ceil(threads).max(1);
    let verdicts: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = snippets
            .chunks(chunk)
            .enumerate()
            .map(|(t, part)| {
                let nginx = &nginx;
                scope.spawn(move || {
                    let dir = prefix_dir();
                    part.iter()
                        .enumerate()
                        .map(|(j, s)| {
                            let i = t * chunk + j;
                            check(nginx, dir.path(), &conf(1, &[(i, s.as_str())]))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("nginx -t thread"))
            .collect()
    });

    let mut failures = Vec::new();
    let mut served: Vec<(usize, &str, String)> = Vec::new();
    let (mut breakouts, mut token_rejected, mut other_rejected) = (0, 0, 0);
    for (i, (snippet, verdict)) in snippets.iter().zip(&verdicts).enumerate() {
        let mine = ours(snippet);
        match verdict {
            Ok(()) => match mine {
                Ok(Some(arg)) => match evaluate(&arg) {
                    Some(body) => served.push((i, snippet, body)),
                    None => failures.push(format!(
                        "case {i} {snippet:?}: nginx accepts it, our argument {arg:?} names a variable nginx does not know"
                    )),
                },
                Ok(None) => failures.push(format!(
                    "case {i} {snippet:?}: nginx accepts it, we do not read `return 200 <text>` first: {:?}",
                    parser::parse(snippet)
                )),
                Err(e) if e.message.contains("closes the block the snippet is pasted into") => {
                    breakouts += 1
                }
                Err(e) => failures.push(format!(
                    "case {i} {snippet:?}: nginx accepts it, we reject it: {e}"
                )),
            },
            Err(msg) if msg.contains("unexpected") => {
                token_rejected += 1;
                if let Ok(ds) = parser::parse(snippet) {
                    failures.push(format!(
                        "case {i} {snippet:?}: nginx's tokenizer rejects it ({}), we read {ds:?}",
                        msg.trim()
                    ));
                }
            }
            Err(_) => other_rejected += 1,
        }
    }

    // 2. Serve the accepted cases and compare the bodies.
    if !served.is_empty() {
        let cases: Vec<(usize, &str)> = served.iter().map(|(i, s, _)| (*i, *s)).collect();
        let (_server, port) = serve(&nginx, &cases);
        for (i, snippet, body) in &served {
            let (status, got) = get(port, &format!("/c{i}"));
            if status != 200 || got != body.as_bytes() {
                failures.push(format!(
                    "case {i} {snippet:?}: nginx answers {status} {:?}, we read the text {body:?}",
                    String::from_utf8_lossy(&got)
                ));
            }
        }
    }

    eprintln!(
        "seed {seed:#x}: {n} cases, {} accepted and served, {breakouts} break out of their location, {token_rejected} rejected by nginx's tokenizer, {other_rejected} rejected later (arguments, variables)",
        served.len()
    );
    assert!(
        failures.is_empty(),
        "seed {seed:#x} (NGINX_TOKENIZER_SEED): {} disagreement(s):\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generator must keep exercising both sides.
    assert!(
        served.len() >= n / 10,
        "too few accepted cases: {}",
        served.len()
    );
    assert!(
        token_rejected >= n / 20,
        "too few tokenizer rejections: {token_rejected}"
    );
}

#[test]
fn evaluate_variables_like_nginx() {
    assert_eq!(evaluate("a$v.b${v}c").as_deref(), Some("aV.bVc"));
    assert_eq!(evaluate("$vx"), None);
    assert_eq!(evaluate("${v"), None);
}
