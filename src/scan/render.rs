//! The scan report as terminal tables (comfy-table) or Markdown: a decision
//! document, estate summary first, then what blocks the migration, then the
//! detail per namespace. Sized to be read at thousands of Ingresses: long lists
//! are cut with a count of what was left out (the JSON, the serde form of
//! [`ScanReport`], always has everything).

use super::{ScanReport, SeverityCounts, SupportLevel, Verdict};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use std::fmt::Write;

/// Width of piped tables.
pub const DEFAULT_WIDTH: u16 = 120;

/// How many rows each list shows before it is cut (the JSON has them all).
pub(super) mod limits {
    pub const BLOCKERS: usize = 15;
    pub const FAIL_CLOSED: usize = 30;
    pub const UNREAD: usize = 20;
    pub const ANNOTATIONS: usize = 40;
    pub const SHARED_HOSTS: usize = 20;
    pub const NAMESPACES: usize = 100;
    /// Namespaces given a detail section (worst first).
    pub const DETAILED_NAMESPACES: usize = 60;
    /// Ingresses shown per namespace (worst first); the rest are counted.
    pub const INGRESSES_PER_NAMESPACE: usize = 8;
    pub const REASONS_PER_INGRESS: usize = 5;
    pub const NAMES: usize = 15;
    pub const MESSAGE: usize = 200;
    /// A blocking reason's text in a per-Ingress cell (the Blockers table and the
    /// JSON have it whole).
    pub const CELL_MESSAGE: usize = 100;
}

/// A section: title, header, rows, and what was left out. Both renderers print
/// the same sections.
struct Section {
    title: String,
    /// Heading level: 2 for the report's parts, 3 for one namespace.
    level: usize,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// Printed instead of an empty table.
    empty: &'static str,
    /// Printed after the table (what was cut).
    note: Option<String>,
}

impl Section {
    fn new(title: impl Into<String>, header: Vec<&'static str>, empty: &'static str) -> Self {
        Section {
            title: title.into(),
            level: 2,
            header,
            rows: Vec::new(),
            empty,
            note: None,
        }
    }

    /// Keeps the first `limit` rows and says how many were cut, and where they are.
    fn cut(mut self, limit: usize, what: &str, json: &str) -> Self {
        if self.rows.len() > limit {
            let more = self.rows.len() - limit;
            self.rows.truncate(limit);
            self.note = Some(format!(
                "… and {more} more {what} (all of them in `scan -o json`: {json})."
            ));
        }
        self
    }
}

fn counts(c: &SeverityCounts) -> String {
    format!("{} error, {} warning, {} info", c.error, c.warning, c.info)
}

/// `a, b, c … (+N)`, at most `limit` names.
pub(super) fn names(items: &[String], limit: usize) -> String {
    let mut out = items
        .iter()
        .take(limit)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > limit {
        let _ = write!(out, " … (+{})", items.len() - limit);
    }
    out
}

/// At most `limit` characters, on a char boundary, `…` when cut.
pub(super) fn clip(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

pub(super) fn verdict_line(v: &std::collections::BTreeMap<Verdict, usize>) -> String {
    Verdict::COUNTED
        .iter()
        .map(|k| format!("{} {}", v.get(k).copied().unwrap_or_default(), k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Namespaces worst first: most blocked, then most needing review, then by name.
pub(super) fn worst_first(report: &ScanReport) -> Vec<&super::NamespaceScan> {
    let mut out: Vec<&super::NamespaceScan> = report.namespaces.iter().collect();
    let get = |ns: &super::NamespaceScan, v: Verdict| ns.verdicts.get(&v).copied().unwrap_or(0);
    out.sort_by(|a, b| {
        get(b, Verdict::Blocked)
            .cmp(&get(a, Verdict::Blocked))
            .then(get(b, Verdict::NeedsReview).cmp(&get(a, Verdict::NeedsReview)))
            .then(a.namespace.cmp(&b.namespace))
    });
    out
}

/// The verdict of one Ingress as shown in tables.
pub(super) fn verdict_cell(ing: &super::IngressScan) -> String {
    let mut out = match (&ing.invalid, ing.verdict) {
        (Some(_), _) => "invalid, blocked".to_string(),
        (None, v) => v.as_str().to_string(),
    };
    if ing.canary {
        out.push_str(" (canary)");
    }
    out
}

/// The reasons of one Ingress: blocking ones with their text, the others by code.
fn reasons_cell(ing: &super::IngressScan) -> String {
    let mut lines = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for r in &ing.reasons {
        if !seen.insert((&r.code, &r.field)) {
            continue;
        }
        let field = r
            .field
            .as_deref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default();
        lines.push(if r.level == Verdict::Blocked {
            format!(
                "{}{field}: {}",
                r.code,
                clip(&r.message, limits::CELL_MESSAGE)
            )
        } else {
            format!("{}{field}", r.code)
        });
    }
    let more = lines.len().saturating_sub(limits::REASONS_PER_INGRESS);
    lines.truncate(limits::REASONS_PER_INGRESS);
    if more > 0 {
        lines.push(format!("+{more} more"));
    }
    lines.join("\n")
}

fn summary_section(report: &ScanReport) -> Section {
    let s = &report.summary;
    let mut summary = Section::new("Estate summary", vec!["", ""], "");
    let rows = &mut summary.rows;
    rows.push(vec!["source".into(), report.source.clone()]);
    rows.push(vec!["namespaces".into(), s.namespaces.to_string()]);
    rows.push(vec![
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
    ]);
    rows.push(vec!["verdicts".into(), verdict_line(&s.verdicts)]);
    rows.push(vec![
        "rules emitted fail-closed (HTTP 500)".into(),
        report.fail_closed.len().to_string(),
    ]);
    if !s.denied_namespaces.is_empty() {
        rows.push(vec![
            "namespaces not read (denied)".into(),
            format!(
                "{}: {}",
                s.denied_namespaces.len(),
                names(&s.denied_namespaces, limits::NAMES)
            ),
        ]);
    }
    for level in SupportLevel::ALL {
        rows.push(vec![
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
            rows.push(vec![
                format!("annotations {} on {imp}", level.as_str()),
                n.to_string(),
            ]);
        }
    }
    for (kind, n) in &s.risks {
        rows.push(vec![format!("risk {}", kind.as_str()), n.to_string()]);
    }
    rows.push(vec![
        "hosts shared across namespaces".into(),
        s.shared_hosts.to_string(),
    ]);
    rows.push(vec![
        "notifications".into(),
        counts(&report.notifications.counts),
    ]);
    summary
}

fn sections(report: &ScanReport) -> Vec<Section> {
    let s = &report.summary;
    let mut out = vec![summary_section(report)];

    let mut blockers = Section::new(
        "Blockers",
        vec!["Code", "About", "Ingresses", "Example"],
        "No blockers: no error notification, no unsupported annotation, no invalid Ingress.",
    );
    for b in &s.top_blockers {
        blockers.rows.push(vec![
            b.code.clone(),
            b.field.clone().unwrap_or_default(),
            b.ingresses.to_string(),
            clip(&b.example, limits::MESSAGE),
        ]);
    }
    out.push(blockers.cut(limits::BLOCKERS, "blocking reasons", "summary.top_blockers"));

    let mut closed = Section::new(
        "Rules emitted fail-closed (HTTP 500 until enforced)",
        vec!["Ingress", "About"],
        "No rule is emitted fail-closed.",
    );
    for f in &report.fail_closed {
        closed.rows.push(vec![
            format!("{}/{}", f.namespace, f.name),
            f.field.clone().unwrap_or_default(),
        ]);
    }
    out.push(closed.cut(limits::FAIL_CLOSED, "fail-closed rules", "fail_closed"));

    if !s.unread.is_empty() {
        let mut unread = Section::new(
            "Not read (not in this report)",
            vec!["Namespace", "Resource", "Why"],
            "",
        );
        for u in &s.unread {
            unread.rows.push(vec![
                u.namespace.clone().unwrap_or_else(|| "(all)".into()),
                u.resource.clone(),
                clip(&u.message, limits::MESSAGE),
            ]);
        }
        out.push(unread.cut(limits::UNREAD, "unread resources", "summary.unread"));
    }

    let mut namespaces = Section::new(
        "Namespaces",
        vec!["Namespace", "Ingresses", "Ready", "Needs review", "Blocked"],
        "No Ingresses found.",
    );
    let ordered = worst_first(report);
    for ns in &ordered {
        let get = |v: Verdict| ns.verdicts.get(&v).copied().unwrap_or(0).to_string();
        namespaces.rows.push(vec![
            ns.namespace.clone(),
            ns.ingresses.len().to_string(),
            get(Verdict::Ready),
            get(Verdict::NeedsReview),
            get(Verdict::Blocked),
        ]);
    }
    out.push(namespaces.cut(limits::NAMESPACES, "namespaces", "namespaces[].verdicts"));

    let mut annotations = Section::new(
        "Annotations used",
        vec!["Annotation", "Support", "Ingresses"],
        "No ingress-nginx annotation is used.",
    );
    for a in &s.annotations {
        annotations.rows.push(vec![
            a.name.clone(),
            a.support.as_str().to_string(),
            a.ingresses.to_string(),
        ]);
    }
    out.push(annotations.cut(limits::ANNOTATIONS, "annotations", "summary.annotations"));

    let mut shared = Section::new(
        "Hosts shared across namespaces",
        vec!["Host", "Namespaces", "Ingresses"],
        "No host is shared across namespaces.",
    );
    for h in &report.shared_hosts {
        shared.rows.push(vec![
            h.host.clone(),
            names(&h.namespaces, limits::NAMES),
            names(&h.ingresses, limits::NAMES).replace(", ", "\n"),
        ]);
    }
    out.push(shared.cut(limits::SHARED_HOSTS, "shared hosts", "shared_hosts"));

    let mut codes = Section::new(
        "Notifications by code",
        vec!["Code", "Count"],
        "No notifications.",
    );
    for (code, n) in &report.notifications.by_code {
        codes.rows.push(vec![code.clone(), n.to_string()]);
    }
    out.push(codes);

    for (i, ns) in ordered.iter().enumerate() {
        if i == limits::DETAILED_NAMESPACES {
            let rest = &ordered[i..];
            let ingresses: usize = rest.iter().map(|n| n.ingresses.len()).sum();
            let mut more = Section::new("Other namespaces", vec![], "");
            more.note = Some(format!(
                "… {} more namespaces ({ingresses} Ingresses, best first in the Namespaces table) are not detailed here: see `scan -o json` or `scan -n NAMESPACE`.",
                rest.len()
            ));
            out.push(more);
            break;
        }
        out.push(namespace_section(ns, s.implementation.as_deref()));
    }
    out
}

fn namespace_section(ns: &super::NamespaceScan, implementation: Option<&str>) -> Section {
    let mut section = Section::new(
        format!("Namespace {}: {}", ns.namespace, verdict_line(&ns.verdicts)),
        vec![
            "Ingress",
            "Class",
            "Hosts",
            "Annotations (not translated as is)",
            "Verdict",
            "Reasons",
        ],
        "",
    );
    section.level = 3;
    let mut ingresses: Vec<&super::IngressScan> = ns.ingresses.iter().collect();
    // Worst first; within a verdict by name (the input order).
    ingresses.sort_by(|a, b| b.verdict.cmp(&a.verdict).then(a.name.cmp(&b.name)));
    let mut ready = Vec::new();
    let mut not_served = Vec::new();
    let mut shown = 0;
    for ing in ingresses {
        match ing.verdict {
            Verdict::Ready => ready.push(ing.name.clone()),
            Verdict::NotServed => not_served.push(ing.name.clone()),
            _ if shown >= limits::INGRESSES_PER_NAMESPACE => shown += 1,
            _ => {
                shown += 1;
                let hosts = names(&ing.hosts, 3).replace(", ", "\n");
                // Translated annotations need no decision: the others only.
                let annotations = ing
                    .annotations
                    .iter()
                    .filter(|a| a.support != SupportLevel::Translated)
                    .map(|a| match (&a.on_target, implementation) {
                        (Some(t), Some(imp)) => format!(
                            "{}: {} ({imp}: {})",
                            a.name,
                            a.support.as_str(),
                            t.level.as_str()
                        ),
                        _ => format!("{}: {}", a.name, a.support.as_str()),
                    })
                    .collect::<Vec<_>>();
                section.rows.push(vec![
                    ing.name.clone(),
                    ing.class.clone().unwrap_or_else(|| "-".into()),
                    hosts,
                    names(&annotations, 8).replace(", ", "\n"),
                    verdict_cell(ing),
                    reasons_cell(ing),
                ]);
            }
        }
    }
    let mut notes = Vec::new();
    if shown > limits::INGRESSES_PER_NAMESPACE {
        notes.push(format!(
            "… and {} more Ingresses that need review or are blocked (see `scan -o json` or `scan -n {}`).",
            shown - limits::INGRESSES_PER_NAMESPACE,
            ns.namespace
        ));
    }
    if !ready.is_empty() {
        notes.push(format!(
            "Ready ({}): {}.",
            ready.len(),
            names(&ready, limits::NAMES)
        ));
    }
    if !not_served.is_empty() {
        notes.push(format!(
            "Not served by this ingress-nginx ({}): {}.",
            not_served.len(),
            names(&not_served, limits::NAMES)
        ));
    }
    if !notes.is_empty() {
        section.note = Some(notes.join("\n"));
    }
    section
}

/// Terminal tables; `width` wraps cells to fit (`None`: no wrapping).
pub fn table(report: &ScanReport, width: Option<u16>) -> String {
    let mut out = String::new();
    for section in sections(report) {
        let _ = writeln!(out, "{}", section.title);
        if section.rows.is_empty() {
            if !section.empty.is_empty() {
                let _ = writeln!(out, "{}", section.empty);
            }
        } else {
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
            let _ = writeln!(out, "{t}");
        }
        if let Some(note) = &section.note {
            let _ = writeln!(out, "{note}");
        }
        out.push('\n');
    }
    out
}

/// Markdown with one table per section; cell text is escaped.
pub fn markdown(report: &ScanReport) -> String {
    let mut out = String::from("# ing2gw migration readiness\n\n");
    for section in sections(report) {
        let _ = writeln!(
            out,
            "{} {}\n",
            "#".repeat(section.level),
            md_text(&section.title)
        );
        if section.rows.is_empty() {
            if !section.empty.is_empty() {
                let _ = writeln!(out, "{}\n", section.empty);
            }
        } else {
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
        if let Some(note) = &section.note {
            for line in note.lines() {
                let _ = writeln!(out, "{}\n", md_text(line));
            }
        }
    }
    out
}

/// Table cells: no column break, no raw HTML from manifests.
fn md_cell(text: &str) -> String {
    md_text(text).replace('|', "\\|").replace('\n', "<br>")
}

/// Text from manifests must not become markup where Markdown is rendered
/// (GitHub renders inline HTML): `<`, `>` and `&` are escaped.
fn md_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
        assert_eq!(md_cell("<script>"), "&lt;script&gt;");
    }

    #[test]
    fn lists_are_cut_with_a_count() {
        let items: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        assert_eq!(names(&items, 2), "0, 1 … (+18)");
        assert_eq!(clip("héllo", 2), "hé…");
        assert_eq!(clip("hé", 2), "hé");
    }
}
