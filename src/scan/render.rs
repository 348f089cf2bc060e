//! The scan report as terminal tables (comfy-table) or Markdown. JSON is the
//! serde form of [`ScanReport`].

use super::{ScanReport, SeverityCounts, SupportLevel};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use std::fmt::Write;

/// Width of piped tables.
pub const DEFAULT_WIDTH: u16 = 120;

/// A section: title, header, rows. Both renderers print the same sections.
struct Section {
    title: &'static str,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// Printed instead of an empty table.
    empty: &'static str,
}

fn counts(c: &SeverityCounts) -> String {
    format!("{} error, {} warning, {} info", c.error, c.warning, c.info)
}

fn sections(report: &ScanReport) -> Vec<Section> {
    let s = &report.summary;
    let mut summary = vec![
        vec!["source".into(), report.source.clone()],
        vec!["namespaces".into(), s.namespaces.to_string()],
        vec![
            "ingresses".into(),
            if s.invalid_ingresses == 0 {
                format!(
                    "{} ({} served by ingress-nginx)",
                    s.ingresses, s.served_ingresses
                )
            } else {
                format!(
                    "{} ({} served by ingress-nginx, {} invalid: blocked, not translated)",
                    s.ingresses, s.served_ingresses, s.invalid_ingresses
                )
            },
        ],
    ];
    for level in SupportLevel::ALL {
        summary.push(vec![
            format!("annotations {}", level.as_str()),
            s.annotations_by_support
                .get(&level)
                .copied()
                .unwrap_or_default()
                .to_string(),
        ]);
    }
    if let (Some(imp), Some(levels)) = (&s.implementation, &s.annotations_on_target) {
        for (level, n) in levels {
            summary.push(vec![
                format!("annotations {} on {imp}", level.as_str()),
                n.to_string(),
            ]);
        }
    }
    for (kind, n) in &s.risks {
        summary.push(vec![format!("risk {}", kind.as_str()), n.to_string()]);
    }
    summary.push(vec![
        "hosts shared across namespaces".into(),
        s.shared_hosts.to_string(),
    ]);
    summary.push(vec![
        "notifications".into(),
        counts(&report.notifications.counts),
    ]);

    let mut ingresses = Vec::new();
    let mut risks = Vec::new();
    for ns in &report.namespaces {
        for ing in &ns.ingresses {
            let mut status = match (&ing.invalid, ing.served) {
                (Some(why), _) => format!("invalid, blocked: {why}"),
                (None, true) => "served".into(),
                (None, false) => "not served".into(),
            };
            if ing.canary {
                status.push_str(", canary");
            }
            ingresses.push(vec![
                ns.namespace.clone(),
                ing.name.clone(),
                format!("{} ({status})", ing.class.as_deref().unwrap_or("-")),
                ing.hosts.join("\n"),
                ing.annotations
                    .iter()
                    .map(|a| match (&a.on_target, &s.implementation) {
                        (Some(t), Some(imp)) => format!(
                            "{}: {} ({imp}: {})",
                            a.name,
                            a.support.as_str(),
                            t.level.as_str()
                        ),
                        _ => format!("{}: {}", a.name, a.support.as_str()),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                counts(&ing.notifications),
            ]);
            for r in &ing.risks {
                risks.push(vec![
                    format!("{}/{}", ns.namespace, ing.name),
                    r.kind.as_str().to_string(),
                    r.annotation.clone().unwrap_or_default(),
                    r.detail.clone(),
                ]);
            }
        }
    }
    let shared = report
        .shared_hosts
        .iter()
        .map(|h| {
            vec![
                h.host.clone(),
                h.namespaces.join(", "),
                h.ingresses.join("\n"),
            ]
        })
        .collect();
    let blockers = s
        .top_blockers
        .iter()
        .map(|b| {
            vec![
                b.annotation.clone(),
                b.support.as_str().to_string(),
                b.ingresses.to_string(),
            ]
        })
        .collect();
    let codes = report
        .notifications
        .by_code
        .iter()
        .map(|(code, n)| vec![code.clone(), n.to_string()])
        .collect();
    vec![
        Section {
            title: "Summary",
            header: vec!["", ""],
            rows: summary,
            empty: "",
        },
        Section {
            title: "Ingresses",
            header: vec![
                "Namespace",
                "Ingress",
                "Class",
                "Hosts",
                "Annotations",
                "Notifications",
            ],
            rows: ingresses,
            empty: "No Ingresses found.",
        },
        Section {
            title: "Risks",
            header: vec!["Ingress", "Risk", "Annotation", "Detail"],
            rows: risks,
            empty: "No risky constructs found.",
        },
        Section {
            title: "Hosts shared across namespaces",
            header: vec!["Host", "Namespaces", "Ingresses"],
            rows: shared,
            empty: "No host is shared across namespaces.",
        },
        Section {
            title: "Top blockers",
            header: vec!["Annotation", "Support", "Ingresses"],
            rows: blockers,
            empty: "No unsupported or unknown annotations.",
        },
        Section {
            title: "Notifications by code",
            header: vec!["Code", "Count"],
            rows: codes,
            empty: "No notifications.",
        },
    ]
}

/// Terminal tables; `width` wraps cells to fit (`None`: no wrapping).
pub fn table(report: &ScanReport, width: Option<u16>) -> String {
    let mut out = String::new();
    for section in sections(report) {
        let _ = writeln!(out, "{}", section.title);
        if section.rows.is_empty() {
            let _ = writeln!(out, "{}\n", section.empty);
            continue;
        }
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED).force_no_tty();
        if let Some(w) = width {
            t.set_width(w)
                .set_content_arrangement(ContentArrangement::Dynamic);
        }
        if section.header.iter().any(|h| !h.is_empty()) {
            t.set_header(section.header.clone());
        }
        for row in section.rows {
            t.add_row(row);
        }
        let _ = writeln!(out, "{t}\n");
    }
    out
}

/// Markdown with one table per section; cell text is escaped.
pub fn markdown(report: &ScanReport) -> String {
    let mut out = String::from("# ing2gw migration readiness\n\n");
    for section in sections(report) {
        let _ = writeln!(out, "## {}\n", section.title);
        if section.rows.is_empty() {
            let _ = writeln!(out, "{}\n", section.empty);
            continue;
        }
        let header: Vec<&str> = if section.header.iter().all(|h| h.is_empty()) {
            vec!["Item", "Value"]
        } else {
            section.header.clone()
        };
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let _ = writeln!(
            out,
            "|{}",
            header.iter().map(|_| "---|").collect::<String>()
        );
        for row in &section.rows {
            let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    out
}

fn md_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', "<br>")
}

/// Pretty JSON with a trailing newline.
pub fn json(report: &ScanReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".into()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_are_escaped() {
        assert_eq!(md_cell("a|b\nc"), "a\\|b<br>c");
    }
}
