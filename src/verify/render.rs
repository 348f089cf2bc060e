//! The human report of `ing2gw verify`: one table per host, then a summary.

use super::compare::{ProbeResult, Side, Verdict, VerifyReport};
use super::request::{Outcome, Probe, Scheme};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A probe as a request line: `GET http://host/path` plus extra headers.
pub fn request_line(p: &Probe) -> String {
    let scheme = match p.scheme {
        Scheme::Http => "http",
        Scheme::Https => "https",
    };
    let mut s = format!("{} {scheme}://{}{}", p.method, p.host, p.target);
    for (k, v) in &p.headers {
        let _ = write!(s, "\n  {k}: {v}");
    }
    s
}

/// An outcome in a few words.
pub fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Backend {
            service,
            uri,
            headers,
        } => {
            let mut s = format!(
                "→ {}/{}:{} {uri}",
                service.namespace, service.name, service.port
            );
            for (k, v) in headers {
                let _ = write!(s, "\n  {k}: {v}");
            }
            s
        }
        Outcome::Redirect { status, location } => format!("{status} → {location}"),
        Outcome::Status { status } => status.to_string(),
        Outcome::DefaultBackend => "404 (default backend)".into(),
        Outcome::NotModelled { reason } => format!("not modelled: {reason}"),
        Outcome::ImplementationDefined { reason } => format!("implementation-defined: {reason}"),
    }
}

fn nginx_cell(r: &ProbeResult) -> String {
    let mut s = outcome_text(&r.ingress_nginx);
    if let Some(i) = &r.ingress {
        let _ = write!(s, "\n  via {}", i);
    }
    if let Some(l) = &r.location {
        let _ = write!(s, " location {l}");
    }
    s
}

fn gateway_cell(r: &ProbeResult) -> String {
    let mut s = outcome_text(&r.gateway_api);
    if let Some(rr) = &r.route {
        let _ = write!(
            s,
            "\n  via HTTPRoute {}/{} {}",
            rr.namespace, rr.route, rr.rule
        );
    }
    s
}

/// Renders divergences per host (and implementation-defined results), then the
/// summary. `wrap`: fit the tables to the terminal width (else no wrapping, which
/// keeps the text stable for files and tests).
pub fn render_table(report: &VerifyReport, wrap: bool) -> String {
    let mut by_host: BTreeMap<&str, Vec<&ProbeResult>> = BTreeMap::new();
    for r in &report.results {
        if matches!(
            r.verdict,
            Verdict::Divergent { .. } | Verdict::ImplementationDefined { .. }
        ) {
            by_host.entry(r.probe.host.as_str()).or_default().push(r);
        }
    }
    let mut out = String::new();
    for (host, rows) in by_host {
        let _ = writeln!(out, "host {host}");
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED);
        table.set_content_arrangement(if wrap {
            ContentArrangement::Dynamic
        } else {
            ContentArrangement::Disabled
        });
        table.set_header(vec!["request", "Ingress-NGINX", "Gateway API", "explained"]);
        for r in rows {
            let explained = match &r.verdict {
                Verdict::Divergent {
                    explained_by: Some(e),
                } => format!("yes ({})", e.code),
                Verdict::Divergent { explained_by: None } => "NO".into(),
                _ => "n/a (implementation-defined)".into(),
            };
            table.add_row(vec![
                request_line(&r.probe),
                nginx_cell(r),
                gateway_cell(r),
                explained,
            ]);
        }
        let _ = writeln!(out, "{table}\n");
    }
    out.push_str(&summary_text(report));
    out
}

/// The summary lines (also printed when there is no divergence).
pub fn summary_text(report: &VerifyReport) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ing2gw verify: {} probe(s): {} same, {} divergent ({} explained, {} unexplained), {} implementation-defined, {} not modelled (Ingress-NGINX {}, Gateway API {})",
        s.probes,
        s.same,
        s.divergent,
        s.explained,
        s.unexplained,
        s.implementation_defined,
        s.not_modelled_ingress_nginx + s.not_modelled_gateway_api,
        s.not_modelled_ingress_nginx,
        s.not_modelled_gateway_api,
    );
    let mut reasons: Vec<(Side, &str, usize)> = Vec::new();
    let mut per_side: BTreeMap<(Side, &str), usize> = BTreeMap::new();
    for r in &report.results {
        if let Verdict::NotModelled { side, reason } = &r.verdict {
            *per_side.entry((*side, reason.as_str())).or_default() += 1;
        }
    }
    for ((side, reason), n) in per_side {
        reasons.push((side, reason, n));
    }
    reasons.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(b.1)));
    for (side, reason, n) in reasons.iter().take(8) {
        let side = match side {
            Side::IngressNginx => "Ingress-NGINX",
            Side::GatewayApi => "Gateway API",
        };
        let _ = writeln!(out, "  not modelled ({side}, {n}×): {reason}");
    }
    if reasons.len() > 8 {
        let _ = writeln!(
            out,
            "  … {} more reason(s); see --report for all",
            reasons.len() - 8
        );
    }
    out
}
