//! Human rendering of notifications with miette (colour only on a terminal).

use super::{Notification, Severity};
use crate::input::SourceMap;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use std::fmt::Write;

/// Renders notifications at or above `min` for people, followed by a summary line.
pub fn render_human(
    notes: &[Notification],
    sources: &SourceMap,
    color: bool,
    min: Severity,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for n in notes.iter().filter(|n| n.severity >= min) {
        let mut diag = MietteDiagnostic::new(headline(n))
            .with_code(n.code.0)
            .with_severity(match n.severity {
                Severity::Info => miette::Severity::Advice,
                Severity::Warning => miette::Severity::Warning,
                Severity::Error => miette::Severity::Error,
            });
        if let Some(s) = &n.suggestion {
            diag = diag.with_help(s.clone());
        }
        let source = n.span.as_ref().and_then(|span| {
            sources.text(&span.file).map(|text| {
                let label = n.field.clone().unwrap_or_else(|| "here".to_string());
                (span, text, label)
            })
        });
        let report = match source {
            Some((span, text, label)) => {
                let diag = diag.with_label(LabeledSpan::at(
                    span.offset..span.offset + span.length,
                    label,
                ));
                miette::Report::new(diag)
                    .with_source_code(NamedSource::new(span.file.clone(), text))
            }
            None => miette::Report::new(diag),
        };
        let _ = handler.render_report(&mut out, report.as_ref());
    }
    let count = |s: Severity| notes.iter().filter(|n| n.severity == s).count();
    let _ = writeln!(
        out,
        "ing2gw: {} error(s), {} warning(s), {} info",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    out
}

fn headline(n: &Notification) -> String {
    let mut s = String::new();
    if let Some(o) = &n.object {
        let _ = write!(s, "{o}: ");
    }
    if let Some(f) = &n.field {
        let _ = write!(s, "[{f}] ");
    }
    s.push_str(&n.message);
    if let Some(span) = &n.span {
        let _ = write!(s, " ({}:{}:{})", span.file, span.line, span.column);
    }
    s
}

/// Plain one-line-per-notification rendering, used in snapshots (stable, no box drawing).
pub fn render_plain(notes: &[Notification]) -> String {
    let mut out = String::new();
    for n in notes {
        let _ = write!(out, "{} {}: {}", n.severity, n.code, headline(n));
        if let Some(s) = &n.suggestion {
            let _ = write!(out, "\n    suggestion: {s}");
        }
        out.push('\n');
    }
    out
}
