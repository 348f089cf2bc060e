//! `scan -o html`: the readiness report as one self-contained HTML page.
//!
//! No external asset, no script: the CSS is inline and a Content-Security-Policy
//! forbids everything else, so the file can be attached to a ticket, opened
//! offline, or printed (print CSS: no colours needed, table headers repeat, rows
//! are not split). Every text that comes from manifests (names, hosts, annotation
//! keys, notification messages quoting values) is hostile input and goes through
//! [`esc`]; nothing from the input ever lands in an attribute other than as
//! escaped text, and anchors use generated ids.
//!
//! Layout, as the other formats: estate summary, blockers, fail-closed rules,
//! what was not read, namespaces, annotation usage, risks (grouped by kind and
//! annotation), shared hosts, then one section per namespace with the Ingresses
//! that need a decision, worst first (ready ones are listed by name). Cut less
//! than the Markdown ([`LIMITS`]), always saying what was left out: the JSON has
//! everything.

use super::render::{clip, verdict_cell};
use super::{IngressScan, NamespaceScan, ScanReport, SupportLevel, Verdict};
use std::fmt::Write;

/// HTML-escapes text for element content and quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// How much the page shows before it cuts (5,000 Ingresses stay a page a
/// browser opens at once and a printer can take).
struct Limits {
    ingresses_per_namespace: usize,
    shared_hosts: usize,
    /// Text of a reason that does not block (blocking ones are whole).
    review_message: usize,
}

const LIMITS: Limits = Limits {
    ingresses_per_namespace: 25,
    shared_hosts: 100,
    review_message: 160,
};

fn cut_note(p: &mut Page, more: usize, what: &str) {
    if more > 0 {
        let _ = writeln!(
            p.out,
            "<p class=\"note\">… and {more} more {} (all of them in <code>scan -o json</code>).</p>",
            esc(what)
        );
    }
}

const STYLE: &str = r#"
:root { --ok: #1a7f37; --review: #9a6700; --blocked: #cf222e; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 75rem; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
p.meta, p.note { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
ul.reasons { margin: 0; padding-left: 1.1rem; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; min-width: 9rem; }
.card b { display: block; font-size: 1.5rem; }
.ready { color: var(--ok); } .needs-review { color: var(--review); } .blocked { color: var(--blocked); } .not-served { color: var(--muted); }
.badge { font-weight: 600; white-space: nowrap; }
nav ul { columns: 3; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  .card { border-color: #000; }
}
"#;

struct Page {
    out: String,
}

impl Page {
    fn raw(&mut self, html: &str) {
        self.out.push_str(html);
    }

    fn text(&mut self, tag: &str, text: &str) {
        let _ = writeln!(self.out, "<{tag}>{}</{tag}>", esc(text));
    }

    /// A table; cells are already HTML (built with [`esc`]).
    fn table(&mut self, header: &[&str], rows: &[Vec<String>], empty: &str) {
        if rows.is_empty() {
            let _ = writeln!(self.out, "<p class=\"note\">{}</p>", esc(empty));
            return;
        }
        self.out.push_str("<table>\n");
        if header.iter().any(|h| !h.is_empty()) {
            self.out.push_str("<thead><tr>");
            for h in header {
                let _ = write!(self.out, "<th>{}</th>", esc(h));
            }
            self.out.push_str("</tr></thead>\n");
        }
        self.out.push_str("<tbody>\n");
        for row in rows {
            self.out.push_str("<tr>");
            for cell in row {
                let _ = write!(self.out, "<td>{cell}</td>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n");
    }
}

fn num(n: usize) -> String {
    n.to_string()
}

fn badge(verdict: Verdict, label: &str) -> String {
    let class = match verdict {
        Verdict::Ready => "ready",
        Verdict::NeedsReview => "needs-review",
        Verdict::Blocked => "blocked",
        Verdict::NotServed => "not-served",
    };
    format!("<span class=\"badge {class}\">{}</span>", esc(label))
}

fn count(map: &std::collections::BTreeMap<Verdict, usize>, v: Verdict) -> usize {
    map.get(&v).copied().unwrap_or_default()
}

/// The whole page.
pub fn page(report: &ScanReport) -> String {
    let s = &report.summary;
    let mut p = Page {
        out: String::with_capacity(64 * 1024),
    };
    p.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    p.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    p.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    p.text(
        "title",
        &format!("ing2gw migration readiness: {}", report.source),
    );
    let _ = writeln!(p.out, "<style>{STYLE}</style>\n</head>\n<body>");
    p.text("h1", "ing2gw migration readiness");
    let _ = writeln!(
        p.out,
        "<p class=\"meta\">Source: {}. {} Ingresses in {} namespaces, {} served by ingress-nginx.</p>",
        esc(&report.source),
        s.ingresses,
        s.namespaces,
        s.served_ingresses
    );

    p.text("h2", "Estate summary");
    p.raw("<div class=\"cards\">\n");
    for (v, label) in [
        (Verdict::Ready, "ready"),
        (Verdict::NeedsReview, "need review"),
        (Verdict::Blocked, "blocked"),
    ] {
        let _ = writeln!(
            p.out,
            "<div class=\"card\"><b class=\"{}\">{}</b>{label}</div>",
            match v {
                Verdict::Ready => "ready",
                Verdict::NeedsReview => "needs-review",
                _ => "blocked",
            },
            count(&s.verdicts, v)
        );
    }
    let _ = writeln!(
        p.out,
        "<div class=\"card\"><b class=\"blocked\">{}</b>rules fail-closed (HTTP 500)</div>",
        report.fail_closed.len()
    );
    let _ = writeln!(
        p.out,
        "<div class=\"card\"><b>{}</b>namespaces not read</div>",
        s.denied_namespaces.len()
    );
    p.raw("</div>\n");
    let mut rows = vec![
        vec!["source".into(), esc(&report.source)],
        vec!["namespaces".into(), num(s.namespaces)],
        vec![
            "Ingresses".into(),
            format!(
                "{} ({} served by ingress-nginx, {} invalid)",
                s.ingresses, s.served_ingresses, s.invalid_ingresses
            ),
        ],
    ];
    if !s.denied_namespaces.is_empty() {
        rows.push(vec![
            "namespaces not read (denied)".into(),
            esc(&s.denied_namespaces.join(", ")),
        ]);
    }
    for level in SupportLevel::ALL {
        rows.push(vec![
            format!("annotation uses {}", level.as_str()),
            num(s
                .annotations_by_support
                .get(&level)
                .copied()
                .unwrap_or_default()),
        ]);
    }
    if let (Some(imp), Some(levels)) = (&s.implementation, &s.annotations_on_target) {
        for (level, n) in levels {
            rows.push(vec![
                format!("annotation uses {} on {}", level.as_str(), esc(imp)),
                num(*n),
            ]);
        }
    }
    for (kind, n) in &s.risks {
        rows.push(vec![format!("risk {}", kind.as_str()), num(*n)]);
    }
    rows.push(vec![
        "hosts shared across namespaces".into(),
        num(s.shared_hosts),
    ]);
    let c = &report.notifications.counts;
    rows.push(vec![
        "notifications".into(),
        format!("{} error, {} warning, {} info", c.error, c.warning, c.info),
    ]);
    p.table(&["", ""], &rows, "");

    p.text("h2", "Blockers");
    let rows: Vec<Vec<String>> = s
        .top_blockers
        .iter()
        .map(|b| {
            vec![
                format!("<code>{}</code>", esc(&b.code)),
                esc(b.field.as_deref().unwrap_or_default()),
                num(b.ingresses),
                esc(&b.example),
            ]
        })
        .collect();
    p.table(
        &["Code", "About", "Ingresses", "Example"],
        &rows,
        "No blockers: no error notification, no unsupported annotation, no invalid Ingress.",
    );

    p.text("h2", "Rules emitted fail-closed (HTTP 500 until enforced)");
    let rows: Vec<Vec<String>> = report
        .fail_closed
        .iter()
        .map(|f| {
            vec![
                esc(&format!("{}/{}", f.namespace, f.name)),
                esc(f.field.as_deref().unwrap_or_default()),
                esc(&f.message),
            ]
        })
        .collect();
    p.table(
        &["Ingress", "About", "Why"],
        &rows,
        "No rule is emitted fail-closed.",
    );

    if !s.unread.is_empty() {
        p.text("h2", "Not read (not in this report)");
        let rows: Vec<Vec<String>> = s
            .unread
            .iter()
            .map(|u| {
                vec![
                    esc(u.namespace.as_deref().unwrap_or("(all)")),
                    esc(&u.resource),
                    esc(&u.message),
                ]
            })
            .collect();
        p.table(&["Namespace", "Resource", "Why"], &rows, "");
    }

    p.text("h2", "Namespaces");
    let ordered = super::render::worst_first(report);
    let index: std::collections::BTreeMap<&str, usize> = report
        .namespaces
        .iter()
        .enumerate()
        .map(|(i, n)| (n.namespace.as_str(), i))
        .collect();
    let rows: Vec<Vec<String>> = ordered
        .iter()
        .map(|ns| {
            let id = index
                .get(ns.namespace.as_str())
                .copied()
                .unwrap_or_default();
            vec![
                format!("<a href=\"#ns-{id}\">{}</a>", esc(&ns.namespace)),
                num(ns.ingresses.len()),
                num(count(&ns.verdicts, Verdict::Ready)),
                num(count(&ns.verdicts, Verdict::NeedsReview)),
                num(count(&ns.verdicts, Verdict::Blocked)),
            ]
        })
        .collect();
    p.table(
        &["Namespace", "Ingresses", "Ready", "Needs review", "Blocked"],
        &rows,
        "No Ingresses found.",
    );

    p.text("h2", "Annotation usage");
    let rows: Vec<Vec<String>> = s
        .annotations
        .iter()
        .map(|a| {
            vec![
                format!("<code>{}</code>", esc(&a.name)),
                esc(a.support.as_str()),
                num(a.ingresses),
            ]
        })
        .collect();
    p.table(
        &["Annotation", "Support", "Ingresses"],
        &rows,
        "No ingress-nginx annotation is used.",
    );

    p.text("h2", "Risks");
    // Grouped by kind and annotation: one row per construct, not per Ingress.
    let mut groups: std::collections::BTreeMap<(&str, &str), (usize, &str, String)> =
        std::collections::BTreeMap::new();
    for ns in &report.namespaces {
        for ing in &ns.ingresses {
            for r in &ing.risks {
                let entry = groups
                    .entry((r.kind.as_str(), r.annotation.as_deref().unwrap_or_default()))
                    .or_insert((
                        0,
                        r.detail.as_str(),
                        format!("{}/{}", ns.namespace, ing.name),
                    ));
                entry.0 += 1;
            }
        }
    }
    let mut rows: Vec<(usize, Vec<String>)> = groups
        .into_iter()
        .map(|((kind, annotation), (n, detail, first))| {
            (
                n,
                vec![esc(kind), esc(annotation), num(n), esc(&first), esc(detail)],
            )
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(_, r)| r).collect();
    p.table(
        &[
            "Risk",
            "Annotation",
            "Ingresses",
            "First",
            "Detail (of the first)",
        ],
        &rows,
        "No risky constructs found.",
    );

    p.text("h2", "Hosts shared across namespaces");
    let rows: Vec<Vec<String>> = report
        .shared_hosts
        .iter()
        .take(LIMITS.shared_hosts)
        .map(|h| {
            vec![
                esc(&h.host),
                esc(&h.namespaces.join(", ")),
                esc(&h.ingresses.join(", ")),
            ]
        })
        .collect();
    p.table(
        &["Host", "Namespaces", "Ingresses"],
        &rows,
        "No host is shared across namespaces.",
    );
    cut_note(
        &mut p,
        report
            .shared_hosts
            .len()
            .saturating_sub(LIMITS.shared_hosts),
        "shared hosts",
    );

    p.text("h2", "Per namespace");
    for ns in &report.namespaces {
        let id = index
            .get(ns.namespace.as_str())
            .copied()
            .unwrap_or_default();
        namespace(&mut p, ns, id, s.implementation.as_deref());
    }
    p.raw("</body>\n</html>\n");
    p.out
}

fn namespace(p: &mut Page, ns: &NamespaceScan, id: usize, implementation: Option<&str>) {
    let _ = writeln!(
        p.out,
        "<h3 id=\"ns-{id}\">{} <small>({})</small></h3>",
        esc(&ns.namespace),
        esc(&super::render::verdict_line(&ns.verdicts))
    );
    let mut ingresses: Vec<&IngressScan> = ns.ingresses.iter().collect();
    ingresses.sort_by(|a, b| b.verdict.cmp(&a.verdict).then(a.name.cmp(&b.name)));
    let mut rows = Vec::new();
    let mut ready = Vec::new();
    let mut cut = 0;
    for ing in ingresses {
        if ing.verdict == Verdict::Ready {
            ready.push(ing.name.clone());
            continue;
        }
        if rows.len() == LIMITS.ingresses_per_namespace {
            cut += 1;
            continue;
        }
        let annotations = ing
            .annotations
            .iter()
            .map(|a| {
                let on = match (&a.on_target, implementation) {
                    (Some(t), Some(imp)) => format!(" ({imp}: {})", t.level.as_str()),
                    _ => String::new(),
                };
                format!(
                    "<code>{}</code>: {}",
                    esc(&a.name),
                    esc(&format!("{}{on}", a.support.as_str()))
                )
            })
            .collect::<Vec<_>>()
            .join("<br>");
        let reasons = if let Some(why) = &ing.invalid {
            format!("<ul class=\"reasons\"><li>{}</li></ul>", esc(why))
        } else if ing.reasons.is_empty() {
            String::new()
        } else {
            let items: String = ing
                .reasons
                .iter()
                .map(|r| {
                    let field = r
                        .field
                        .as_deref()
                        .map(|f| format!(" ({})", esc(f)))
                        .unwrap_or_default();
                    let message = if r.level == Verdict::Blocked {
                        r.message.clone()
                    } else {
                        clip(&r.message, LIMITS.review_message)
                    };
                    format!(
                        "<li>{} <code>{}</code>{field}: {}</li>",
                        badge(r.level, r.level.as_str()),
                        esc(&r.code),
                        esc(&message)
                    )
                })
                .collect();
            format!("<ul class=\"reasons\">{items}</ul>")
        };
        rows.push(vec![
            esc(&ing.name),
            esc(ing.class.as_deref().unwrap_or("-")),
            esc(&ing.hosts.join(", ")),
            annotations,
            badge(ing.verdict, &verdict_cell(ing)),
            reasons,
        ]);
    }
    if !rows.is_empty() {
        p.table(
            &[
                "Ingress",
                "Class",
                "Hosts",
                "Annotations",
                "Verdict",
                "Reasons",
            ],
            &rows,
            "",
        );
    }
    cut_note(p, cut, "Ingresses that need review or are blocked");
    if !ready.is_empty() {
        let _ = writeln!(
            p.out,
            "<p>{} {}</p>",
            badge(Verdict::Ready, &format!("Ready ({}):", ready.len())),
            esc(&ready.join(", "))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }
}
