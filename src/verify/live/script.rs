//! `verify --emit-probes FILE`: the live probes as a portable smoke test that a
//! team runs from its own pipeline against the Gateway, with the status and
//! `Location` the Gateway API model predicts for each request.
//!
//! Two formats, by the file's extension:
//! - `.sh`: a POSIX shell script using curl. Every request connects to the
//!   address given on its command line (`--connect-to ::ADDRESS:PORT`, which
//!   matches any host, so no value from a manifest takes part in choosing the
//!   address), sends the raw target (`--path-as-is --globoff`), follows no
//!   redirect, and is compared with its expectation; the script prints a line
//!   per mismatch and a summary, and exits 1 on any mismatch (2 when it cannot
//!   run). Every value from a manifest is single-quoted (a `'` is written
//!   `'\''`), so `$(…)`, backticks, quotes and newlines stay data.
//! - `.hurl`: one Hurl entry per request with `connect-to`, `path-as-is` and the
//!   expected `HTTP` status and `Location`; the address comes from
//!   `--variable address=… --variable http_port=… --variable https_port=…`.
//!   Hurl treats `{{`, `#` and `"` specially in the places values go, so a probe
//!   whose host, target or header holds one of them (or a non-printable
//!   character) is left out of the Hurl file and counted in its header; the
//!   shell script keeps it.
//!
//! Probes are the same as `verify --live` sends (same checks: GET/HEAD only, no
//! probe needing another client address). A probe whose Gateway outcome the
//! model does not decide (not modelled, implementation-defined) has no
//! expectation: it is counted in the header, not emitted.

use super::endpoint::Endpoint;
use super::judge::{Expect, expect};
use crate::verify::Predicted;
use crate::verify::compare::canonical;
use crate::verify::request::{DEFAULT_CLIENT, Outcome, Scheme};
use std::fmt::Write;
use std::path::Path;

/// The smoke-test formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Sh,
    Hurl,
}

impl Format {
    /// The format named by `path`'s extension.
    pub fn of(path: &Path) -> Result<Format, String> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("sh") => Ok(Format::Sh),
            Some("hurl") => Ok(Format::Hurl),
            _ => Err(format!(
                "--emit-probes {}: the file name must end in .sh (POSIX shell with curl) or .hurl (Hurl)",
                path.display()
            )),
        }
    }
}

/// Counts of an emitted file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Emitted {
    pub requests: usize,
    /// No prediction to check (not modelled, implementation-defined).
    pub undecided: usize,
    /// Cannot be sent from one client, or cannot be written in this format.
    pub left_out: usize,
}

/// One request with its expectation.
struct Entry<'a> {
    p: &'a Predicted,
    expect: Expect,
}

fn entries<'a>(predicted: &'a [Predicted], counts: &mut Emitted) -> Vec<Entry<'a>> {
    let mut out = Vec::new();
    for p in predicted {
        if p.probe.client != DEFAULT_CLIENT
            || super::client::sendable(&p.probe, &p.probe.host).is_err()
        {
            counts.left_out += 1;
            continue;
        }
        let e = expect(&p.gateway_api, false, true);
        if e == Expect::Unknown {
            counts.undecided += 1;
            continue;
        }
        out.push(Entry { p, expect: e });
    }
    out
}

/// `s` as one single-quoted shell word.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// `s` safe inside a comment line of either format: control characters
/// (newlines above all) escaped, so the comment ends where the line does.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn canonical_location(location: &str) -> String {
    match canonical(&Outcome::Redirect {
        status: 0,
        location: location.to_string(),
    }) {
        Outcome::Redirect { location, .. } => location,
        _ => location.to_string(),
    }
}

fn scheme_text(s: Scheme) -> &'static str {
    match s {
        Scheme::Http => "http",
        Scheme::Https => "https",
    }
}

/// The file for `format`; `address`: the default address (`--gateway-address`).
pub fn emit(
    format: Format,
    predicted: &[Predicted],
    address: Option<&Endpoint>,
) -> (String, Emitted) {
    let mut counts = Emitted::default();
    let entries = entries(predicted, &mut counts);
    let text = match format {
        Format::Sh => sh(&entries, address, &mut counts),
        Format::Hurl => hurl(&entries, address, &mut counts),
    };
    (text, counts)
}

const SH_PRELUDE: &str = r#"set -u
TIMEOUT=${ING2GW_TIMEOUT:-10}
case $ADDRESS in
  '') echo "usage: sh $0 IP [HTTP_PORT [HTTPS_PORT]]" >&2; exit 2 ;;
  *:*) CONNECT_HOST="[$ADDRESS]" ;;
  *) CONNECT_HOST=$ADDRESS ;;
esac
command -v curl >/dev/null 2>&1 || { echo "curl is not installed" >&2; exit 2; }
HEADERS=$(mktemp) || exit 2
ERRORS=$(mktemp) || exit 2
trap 'rm -f "$HEADERS" "$ERRORS"' EXIT
PASS=0
FAIL=0

# A Location with scheme and host lower-cased and an empty path written `/`.
canon() {
  printf '%s' "$1" | awk '{
    if (match($0, /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\/?#]*/)) {
      head = tolower(substr($0, 1, RLENGTH)); tail = substr($0, RLENGTH + 1)
      if (substr(tail, 1, 1) != "/") tail = "/" tail
      print head tail
    } else print
  }'
}

# probe METHOD WANT_STATUS WANT_LOCATION SCHEME HOST TARGET [curl header args]
# WANT_STATUS: a status code, `any` (an answer), or `none` (no response).
probe() {
  method=$1 want_status=$2 want_location=$3 scheme=$4 host=$5 target=$6
  shift 6
  if [ "$scheme" = https ]; then port=$HTTPS_PORT; else port=$HTTP_PORT; fi
  if [ "$method" = HEAD ]; then set -- "$@" --head; fi
  if [ -n "${ING2GW_INSECURE:-}" ]; then set -- "$@" --insecure; fi
  if [ -n "${ING2GW_CA_FILE:-}" ]; then set -- "$@" --cacert "$ING2GW_CA_FILE"; fi
  : > "$HEADERS"
  status=$(curl --silent --output /dev/null --dump-header "$HEADERS" \
    --path-as-is --globoff --max-time "$TIMEOUT" --write-out '%{http_code}' \
    --show-error --connect-to "::$CONNECT_HOST:$port" "$@" --url "$scheme://$host$target" 2>"$ERRORS")
  [ -n "$status" ] || status=000
  location=$(sed -n 's/^[Ll][Oo][Cc][Aa][Tt][Ii][Oo][Nn]:[[:space:]]*//p' "$HEADERS" | tr -d '\r' | head -n 1)
  ok=1
  case $want_status in
    none) [ "$status" = 000 ] || ok=0 ;;
    any) [ "$status" != 000 ] || ok=0 ;;
    *) [ "$status" = "$want_status" ] || ok=0 ;;
  esac
  if [ -n "$want_location" ] && [ "$(canon "$location")" != "$want_location" ]; then ok=0; fi
  if [ "$ok" = 1 ]; then
    PASS=$((PASS + 1))
  else
    FAIL=$((FAIL + 1))
    printf 'FAIL %s %s://%s%s: want %s %s, got %s %s %s\n' "$method" "$scheme" "$host" "$target" \
      "$want_status" "$want_location" "$status" "$location" "$(head -c 300 "$ERRORS" | tr -d '\r\n')"
  fi
}
"#;

fn sh(entries: &[Entry<'_>], address: Option<&Endpoint>, counts: &mut Emitted) -> String {
    let mut s = String::from("#!/bin/sh\n");
    let _ = writeln!(
        s,
        "# Smoke test written by `ing2gw verify --emit-probes`: {} request(s), each with the\n\
         # status and Location the Gateway API model predicts ({} without a prediction and\n\
         # {} that one client cannot send are not included).\n\
         # Usage: sh FILE [IP [HTTP_PORT [HTTPS_PORT]]]   (exit 0: all as predicted, 1: a mismatch)\n\
         # Environment: ING2GW_INSECURE=1 (self-signed certificates), ING2GW_CA_FILE=FILE,\n\
         # ING2GW_TIMEOUT=SECONDS (default 10).",
        entries.len(),
        counts.undecided,
        counts.left_out
    );
    let (ip, http, https) = address.map_or((String::new(), 80, 443), |a| {
        (a.ip.to_string(), a.http_port, a.https_port)
    });
    let _ = writeln!(s, "ADDRESS=${{1:-{ip}}}");
    let _ = writeln!(s, "HTTP_PORT=${{2:-{http}}}");
    let _ = writeln!(s, "HTTPS_PORT=${{3:-{https}}}");
    s.push_str(SH_PRELUDE);
    s.push('\n');
    for e in entries {
        let p = &e.p.probe;
        let (status, location) = match &e.expect {
            Expect::Status(code) => (code.to_string(), String::new()),
            Expect::Redirect { status, location } => {
                (status.to_string(), canonical_location(location))
            }
            Expect::Answer => ("any".into(), String::new()),
            Expect::NoResponse => ("none".into(), String::new()),
            Expect::Unknown => continue,
        };
        if canonical(&e.p.ingress_nginx) != canonical(&e.p.gateway_api) {
            let _ = writeln!(
                s,
                "# ingress-nginx (model): {}",
                comment_text(&crate::verify::render::outcome_text(&e.p.ingress_nginx))
            );
        }
        let _ = write!(
            s,
            "probe {} {} {} {} {} {}",
            p.method,
            status,
            sh_quote(&location),
            scheme_text(p.scheme),
            sh_quote(&p.host),
            sh_quote(&p.target)
        );
        for (k, v) in &p.headers {
            let _ = write!(s, " --header {}", sh_quote(&format!("{k}: {v}")));
        }
        s.push('\n');
        counts.requests += 1;
    }
    s.push_str(
        "\necho \"$PASS as predicted, $FAIL not\"\nif [ \"$FAIL\" -gt 0 ]; then exit 1; fi\nexit 0\n",
    );
    s
}

/// `scheme://authority` when `location` (canonical) is a redirect to the root.
fn root_prefix(location: &str) -> Option<&str> {
    let (_, rest) = location.split_once("://")?;
    let authority = rest.strip_suffix('/')?;
    (!authority.contains(['/', '?', '#'])).then(|| &location[..location.len() - 1])
}

/// Whether Hurl reads `s` literally where the file puts it.
fn hurl_safe(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '{' | '}' | '#' | '"' | '\\'))
}

fn hurl(entries: &[Entry<'_>], address: Option<&Endpoint>, counts: &mut Emitted) -> String {
    let mut body = String::new();
    let mut not_written = 0;
    for e in entries {
        let p = &e.p.probe;
        let location = match &e.expect {
            Expect::Redirect { location, .. } => Some(canonical_location(location)),
            _ => None,
        };
        let safe = hurl_safe(&p.host)
            && hurl_safe(&p.target)
            && p.headers.iter().all(|(k, v)| {
                hurl_safe(k) && v.chars().all(|c| c == ' ' || hurl_safe(&c.to_string()))
            })
            && location.as_deref().is_none_or(hurl_safe);
        // Hurl has no assertion for "no response": the shell script checks those.
        if !safe || e.expect == Expect::NoResponse {
            not_written += 1;
            continue;
        }
        let scheme = scheme_text(p.scheme);
        let port = match p.scheme {
            Scheme::Http => "http_port",
            Scheme::Https => "https_port",
        };
        let _ = writeln!(body, "{} {scheme}://{}{}", p.method, p.host, p.target);
        for (k, v) in &p.headers {
            let _ = writeln!(body, "{k}: {v}");
        }
        let _ = writeln!(body, "[Options]");
        let _ = writeln!(body, "connect-to: ::{{{{address}}}}:{{{{{port}}}}}");
        let _ = writeln!(body, "path-as-is: true");
        let _ = writeln!(body, "location: false");
        match &e.expect {
            Expect::Status(code) => {
                let _ = writeln!(body, "HTTP {code}");
            }
            Expect::Redirect { status, .. } => {
                let _ = writeln!(body, "HTTP {status}");
            }
            _ => {
                let _ = writeln!(body, "HTTP *");
            }
        }
        // Hurl compares strings exactly, where the shell script compares
        // canonically: the host as sent may come back in its case, and an
        // empty path may be written with or without `/`. So the Location is
        // asserted for lower-case hosts only, and a redirect to the root by
        // its prefix.
        let lower = p.host == p.host.to_ascii_lowercase();
        if let (Some(l), true) = (location, lower) {
            let _ = writeln!(body, "[Asserts]");
            match root_prefix(&l) {
                Some(root) => {
                    let _ = writeln!(body, "header \"Location\" startsWith \"{root}\"");
                }
                _ => {
                    let _ = writeln!(body, "header \"Location\" == \"{l}\"");
                }
            }
        }
        body.push('\n');
        counts.requests += 1;
    }
    counts.left_out += not_written;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Smoke test written by `ing2gw verify --emit-probes`: {} request(s), each with the\n\
         # status and Location the Gateway API model predicts ({} without a prediction, {} that\n\
         # one client cannot send or Hurl cannot express; the .sh format keeps the latter).",
        counts.requests, counts.undecided, counts.left_out
    );
    let (ip, http, https) = address.map_or(("IP".to_string(), 80, 443), |a| {
        let ip = match a.ip {
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
            v4 => v4.to_string(),
        };
        (ip, a.http_port, a.https_port)
    });
    let _ = writeln!(
        s,
        "# Run: hurl --test --variable address={ip} --variable http_port={http} --variable https_port={https} FILE\n\
         # (add --insecure for self-signed certificates, --cacert FILE for a private CA)\n"
    );
    s.push_str(&body);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_hostile_values_data() {
        assert_eq!(sh_quote("a'b"), "'a'\\''b'");
        assert_eq!(sh_quote("$(id)`id`\n\"x\""), "'$(id)`id`\n\"x\"'");
        assert!(
            !hurl_safe("{{x}}") && !hurl_safe("a#b") && !hurl_safe("a\"b") && !hurl_safe("a b")
        );
        assert!(hurl_safe("/a/%2F/b?x=1&y=$(z)"));
        assert_eq!(comment_text("a\nb → c"), "a\\nb → c");
    }

    #[test]
    fn root_redirects_are_prefixes() {
        assert_eq!(root_prefix("https://a.example/"), Some("https://a.example"));
        assert_eq!(root_prefix("https://a.example/x"), None);
        assert_eq!(root_prefix("https://a.example/?q"), None);
        assert_eq!(root_prefix("/x/"), None);
    }

    #[test]
    fn format_by_extension() {
        assert_eq!(Format::of(Path::new("x/p.sh")), Ok(Format::Sh));
        assert_eq!(Format::of(Path::new("p.hurl")), Ok(Format::Hurl));
        assert!(Format::of(Path::new("p.txt")).is_err());
    }
}
