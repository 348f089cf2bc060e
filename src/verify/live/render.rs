//! The human report of `verify --live`: per host, a table of the probes the two
//! endpoints answer differently, then one line per reply that contradicts its
//! model; a summary last.

use super::judge::reply_text;
use super::{LiveReport, LiveVerdict};
use crate::verify::compare::Side;
use crate::verify::render::request_line;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The table report; `wrap`: fit the terminal width.
pub fn render_table(report: &LiveReport, wrap: bool) -> String {
    let mut out = format!(
        "live: ingress-nginx at {}, Gateway at {}\n\n",
        report.nginx_address, report.gateway_address
    );
    let mut by_host: BTreeMap<String, Vec<&super::LiveResult>> = BTreeMap::new();
    for r in &report.results {
        by_host
            .entry(r.probe.host.to_ascii_lowercase())
            .or_default()
            .push(r);
    }
    for (host, results) in by_host {
        let _ = writeln!(out, "host {host}");
        let divergent: Vec<_> = results
            .iter()
            .filter(|r| r.verdict != LiveVerdict::Same)
            .collect();
        if !divergent.is_empty() {
            let mut table = Table::new();
            table.load_style(UTF8_FULL_CONDENSED);
            table.set_content_arrangement(if wrap {
                ContentArrangement::Dynamic
            } else {
                ContentArrangement::Disabled
            });
            table.set_header(vec![
                "request",
                "ingress-nginx (live)",
                "Gateway (live)",
                "differences",
                "explained",
            ]);
            for r in divergent {
                let (differences, explained) = match &r.verdict {
                    LiveVerdict::Divergent {
                        differences,
                        explained_by,
                        implementation_defined_offline,
                    } => (
                        differences.join("\n"),
                        match explained_by {
                            Some(e) => format!("yes ({})", e.code),
                            None if *implementation_defined_offline => {
                                "no (implementation-defined offline)".to_string()
                            }
                            None => "no".to_string(),
                        },
                    ),
                    LiveVerdict::Unanswered { .. } => ("neither answered".into(), "no".into()),
                    LiveVerdict::Same => continue,
                };
                table.add_row(vec![
                    request_line(&r.probe),
                    reply_text(&r.ingress_nginx),
                    reply_text(&r.gateway),
                    differences,
                    explained,
                ]);
            }
            let _ = writeln!(out, "{table}");
        }
        for r in &results {
            if r.offline_divergent_live_same {
                let _ = writeln!(
                    out,
                    "offline divergent, live the same: {} (both {})",
                    request_line(&r.probe).replace('\n', " "),
                    reply_text(&r.gateway)
                );
            }
            for m in &r.model_disagreements {
                let side = match m.side {
                    Side::IngressNginx => "ingress-nginx",
                    Side::GatewayApi => "Gateway",
                };
                let _ = writeln!(
                    out,
                    "model disagrees: {}: {side} predicted {}, live {}",
                    request_line(&r.probe).replace('\n', " "),
                    m.predicted,
                    m.live
                );
            }
        }
        out.push('\n');
    }
    if !report.skipped.is_empty() {
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &report.skipped {
            *reasons.entry(s.reason.as_str()).or_default() += 1;
        }
        let _ = writeln!(out, "not sent ({}):", report.skipped.len());
        for (reason, n) in reasons {
            let _ = writeln!(out, "  {n} × {reason}");
        }
        out.push('\n');
    }
    out.push_str(&summary_text(report));
    out
}

/// The closing lines.
pub fn summary_text(report: &LiveReport) -> String {
    let s = &report.summary;
    let mut out = format!(
        "{} probe(s): {} sent, {} same, {} divergent ({} explained, {} unexplained), {} unanswered, {} not sent; {} model disagreement(s)\n",
        s.probes,
        s.sent,
        s.same,
        s.divergent,
        s.explained,
        s.unexplained,
        s.unanswered,
        s.skipped,
        s.model_disagreements
    );
    for (host, h) in &s.hosts {
        let _ = writeln!(
            out,
            "  host {host}: {} sent, {} same, {} divergent ({} explained), {} unanswered, {} model disagreement(s)",
            h.sent, h.same, h.divergent, h.explained, h.unanswered, h.model_disagreements
        );
    }
    if s.offline_divergent_live_same > 0 {
        let _ = writeln!(
            out,
            "{} probe(s) offline verify finds divergent are answered the same live",
            s.offline_divergent_live_same
        );
    }
    let _ = writeln!(
        out,
        "compared: status, Location, {} header(s){}",
        report.compared_headers.len(),
        if report.compare_body {
            ", body SHA-256"
        } else {
            ""
        }
    );
    if s.model_disagreements > 0 {
        out.push_str(
            "a model disagreement is a model bug or an implementation difference: check that request by hand (--report has both replies)\n",
        );
    }
    if s.same + s.divergent == 0 {
        out.push_str("nothing was compared: check the addresses and ports\n");
    }
    out
}
