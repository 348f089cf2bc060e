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
    if let Some(len) = p.body {
        let _ = write!(s, "\n  content-length: {len}");
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
        Outcome::Split {
            shares,
            uri,
            headers,
        } => {
            let total: u64 = shares.iter().map(|s| s.weight).sum();
            let parts: Vec<String> = shares
                .iter()
                .map(|s| {
                    format!(
                        "{}/{total} {}/{}:{}",
                        s.weight, s.service.namespace, s.service.name, s.service.port
                    )
                })
                .collect();
            let mut s = format!("→ split {} {uri}", parts.join(", "));
            for (k, v) in headers {
                let _ = write!(s, "\n  {k}: {v}");
            }
            s
        }
        Outcome::ExternalAuth {
            service,
            signin,
            then,
        } => {
            let signin = signin
                .as_deref()
                .map(|s| format!(", else 302 → {s}"))
                .unwrap_or_default();
            format!(
                "external auth by {service}{signin}; if allowed {}",
                outcome_text(then)
            )
        }
        Outcome::Mirrored { mirrors, then } => {
            let list: Vec<String> = mirrors
                .iter()
                .map(|m| {
                    let mut s = m.target.clone();
                    if let Some(h) = &m.host {
                        let _ = write!(s, " (Host {h})");
                    }
                    if m.fraction != [1, 1] {
                        let _ = write!(s, " ({}/{} of requests)", m.fraction[0], m.fraction[1]);
                    }
                    s
                })
                .collect();
            format!("mirrored to {}; {}", list.join(", "), outcome_text(then))
        }
        Outcome::Redirect { status, location } => format!("{status} → {location}"),
        Outcome::Status { status } => status.to_string(),
        Outcome::DefaultBackend => "404 (default backend)".into(),
        Outcome::UnreachableRedirect { status, location } => {
            format!("{status} → {location} (no listener there)")
        }
        Outcome::NoResponse { reason } => format!("no response: {reason}"),
        Outcome::NotModelled { reason } => format!("not modelled: {reason}"),
        Outcome::ImplementationDefined { reason } => format!("implementation-defined: {reason}"),
    }
}

fn nginx_cell(r: &ProbeResult) -> String {
    let mut s = outcome_text(&r.ingress_nginx);
    match (&r.ingress, &r.location) {
        (Some(i), Some(l)) => {
            let _ = write!(s, "\n  via {i}\n  {l}");
        }
        (Some(i), None) => {
            let _ = write!(s, "\n  via {i}");
        }
        (None, Some(l)) => {
            let _ = write!(s, "\n  {l}");
        }
        (None, None) => {}
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

/// Renders the divergences of each host as a table, then the host's
/// implementation-defined requests in one line, then the summary. `wrap`: fit
/// the tables to the terminal width (else no wrapping, which keeps the text
/// stable for files and tests).
pub fn render_table(report: &VerifyReport, wrap: bool) -> String {
    let mut by_host: BTreeMap<&str, (Vec<&ProbeResult>, Vec<&ProbeResult>)> = BTreeMap::new();
    for r in &report.results {
        match r.verdict {
            Verdict::Divergent { .. } => by_host.entry(&r.probe.host).or_default().0.push(r),
            Verdict::ImplementationDefined { .. } => {
                by_host.entry(&r.probe.host).or_default().1.push(r)
            }
            _ => {}
        }
    }
    let mut out = String::new();
    out.push_str(&preamble(report));
    for (host, (divergent, undefined)) in by_host {
        match report.host_map.get(host) {
            Some(sent) => {
                let _ = writeln!(out, "host {host} (served as {sent})");
            }
            None => {
                let _ = writeln!(out, "host {host}");
            }
        }
        if !divergent.is_empty() {
            let mut table = Table::new();
            table.load_style(UTF8_FULL_CONDENSED);
            table.set_content_arrangement(if wrap {
                ContentArrangement::Dynamic
            } else {
                ContentArrangement::Disabled
            });
            table.set_header(vec!["request", "Ingress-NGINX", "Gateway API", "explained"]);
            for r in divergent {
                table.add_row(vec![
                    request_line(&r.probe),
                    nginx_cell(r),
                    gateway_cell(r),
                    explained_cell(r),
                ]);
            }
            let _ = writeln!(out, "{table}");
        }
        if !undefined.is_empty() {
            const SHOWN: usize = 6;
            let mut list: Vec<String> = undefined
                .iter()
                .take(SHOWN)
                .map(|r| {
                    let scheme = match r.probe.scheme {
                        Scheme::Http => "http",
                        Scheme::Https => "https",
                    };
                    format!("{scheme} {}", r.probe.target)
                })
                .collect();
            if undefined.len() > SHOWN {
                list.push(format!("… {} more", undefined.len() - SHOWN));
            }
            let _ = writeln!(
                out,
                "implementation-defined in Gateway API ({}): {}; test these on your implementation (reasons in --report)",
                undefined.len(),
                list.join(", ")
            );
        }
        out.push('\n');
    }
    out.push_str(&summary_text(report));
    out
}

fn explained_cell(r: &ProbeResult) -> String {
    let cell = match &r.verdict {
        Verdict::Divergent {
            explained_by: Some(e),
            ..
        } => format!("yes ({})", e.code),
        Verdict::Divergent {
            noted_by: Some(e), ..
        } => format!("NO (ing2gw's translation\nnotes it: {})", e.code),
        _ => "NO".into(),
    };
    if r.edited_route {
        cell + "\n(your edited route)"
    } else {
        cell
    }
}

/// What must be read before any table: a configuration ingress-nginx would
/// refuse (nothing below means anything then), excluded and skipped objects.
fn preamble(report: &VerifyReport) -> String {
    let mut out = String::new();
    if let Some(r) = &report.rejected {
        let _ = writeln!(
            out,
            "error: ingress-nginx would reject the whole configuration and keep serving its previous one: {}",
            r.reason
        );
        let names: Vec<String> = r
            .ingresses
            .iter()
            .map(|i| format!("{}/{}", i.namespace.as_deref().unwrap_or(""), i.name))
            .collect();
        if names.is_empty() {
            let _ = writeln!(out, "  no probe can be compared until that is fixed\n");
        } else {
            let _ = writeln!(
                out,
                "  caused by Ingress {}; no probe can be compared until it is fixed\n  hint: verify the rest as if it were left out: --exclude {}\n",
                names.join(", "),
                names.join(" --exclude ")
            );
        }
    }
    if !report.host_map.is_empty() {
        let list: Vec<String> = report
            .host_map
            .iter()
            .map(|(from, to)| format!("{from} → {to}"))
            .collect();
        let _ = writeln!(
            out,
            "--host-map: {} (probes use the original names; the Gateway serves the new ones)\n",
            list.join(", ")
        );
    }
    if !report.edits.is_empty() {
        let list: Vec<String> = report.edits.iter().map(|e| e.to_string()).collect();
        let _ = writeln!(
            out,
            "your edits (compared in spec with ing2gw's own translation): {}\n  ing2gw's notifications explain nothing here; divergences decided by an edited route are marked\n",
            list.join(", ")
        );
    }
    for r in &report.not_accepted {
        let _ = writeln!(
            out,
            "not accepted: {} {}/{}: {}",
            r.kind, r.namespace, r.name, r.reason
        );
    }
    if !report.not_accepted.is_empty() {
        out.push('\n');
    }
    if !report.excluded.is_empty() {
        let _ = writeln!(
            out,
            "verified as if these Ingresses were left out (--exclude): {}\n",
            report.excluded.join(", ")
        );
    }
    for n in &report.skipped {
        let what = n
            .object
            .as_ref()
            .map(|o| format!("{o}: "))
            .unwrap_or_default();
        let at = n
            .field
            .as_deref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default();
        let _ = writeln!(out, "skipped, not verified: {what}{}{at}", n.message);
    }
    if !report.skipped.is_empty() {
        out.push('\n');
    }
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
    if !report.implementation.is_standard() {
        let _ = writeln!(
            out,
            "  regex precedence as {} orders routes (--implementation)",
            report.implementation.name()
        );
    }
    if !s.by_code.is_empty() {
        let codes: Vec<String> = s
            .by_code
            .iter()
            .map(|(code, c)| format!("{code} {}/{}", c.explained, c.unexplained))
            .collect();
        let _ = writeln!(
            out,
            "  divergences by notification code (explained/unexplained): {}",
            codes.join(", ")
        );
    }
    for (host, h) in &s.hosts {
        let _ = writeln!(
            out,
            "  host {host}: {} compared, {} not modelled{}",
            h.compared,
            h.not_modelled,
            if h.compared == 0 {
                "  ← nothing compared"
            } else {
                ""
            }
        );
    }
    if s.probes > 0 && s.compared == 0 {
        let _ = writeln!(
            out,
            "  nothing could be compared: this run checked nothing (--allow-uncompared accepts that)"
        );
    } else if s.uncompared_hosts().next().is_some() {
        let _ = writeln!(
            out,
            "  nothing could be compared for host(s) {} (--allow-uncompared accepts that)",
            s.uncompared_hosts().collect::<Vec<_>>().join(", ")
        );
    }
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
