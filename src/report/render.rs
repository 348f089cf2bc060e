//! Human rendering of notifications with miette (colour only on a terminal).

use super::{Notification, Severity};
use crate::input::SourceMap;
use crate::input::SourceSpan;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, SourceCode, SpanContents,
};
use std::fmt::Write;

/// Lines of context kept around a span; miette shows one before and after.
const CONTEXT_LINES: usize = 3;

/// The few lines of a file around one span. miette locates a span by scanning its
/// source from the start, so handing it the whole file made rendering O(file size)
/// per notification — quadratic for one large manifest with many notifications.
struct Window {
    name: String,
    text: String,
    /// Byte offset of `text` in the file.
    base: usize,
    /// Zero-based line number of the first line of `text` in the file.
    first_line: usize,
}

impl Window {
    fn around(span: &SourceSpan, file: &str) -> Window {
        let floor = |mut at: usize| {
            at = at.min(file.len());
            while !file.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let offset = floor(span.offset);
        let end = floor(span.offset.saturating_add(span.length)).max(offset);
        let line_start = |at: usize| file[..at].rfind('\n').map_or(0, |i| i + 1);
        let mut base = line_start(offset);
        for _ in 0..CONTEXT_LINES {
            if base == 0 {
                break;
            }
            base = line_start(base - 1);
        }
        let mut stop = end;
        for _ in 0..=CONTEXT_LINES {
            match file[stop..].find('\n') {
                Some(i) => stop += i + 1,
                None => {
                    stop = file.len();
                    break;
                }
            }
        }
        let skipped = file[base..offset].matches('\n').count();
        Window {
            name: span.file.clone(),
            text: file[base..stop].to_string(),
            base,
            first_line: span.line.saturating_sub(1 + skipped),
        }
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local =
            miette::SourceSpan::new(span.offset().saturating_sub(self.base).into(), span.len());
        let c = self.text.as_str().read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            miette::SourceSpan::new((c.span().offset() + self.base).into(), c.span().len()),
            c.line() + self.first_line,
            c.column(),
            c.line_count(),
        )))
    }
}

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
    // Accepted notifications are reviewed findings: counted below, listed in
    // `--report`, not repeated on every run.
    for n in notes.iter().filter(|n| n.severity >= min && !n.accepted) {
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
                miette::Report::new(diag).with_source_code(Window::around(span, text))
            }
            None => miette::Report::new(diag),
        };
        let _ = handler.render_report(&mut out, report.as_ref());
    }
    let count = |s: Severity| {
        notes
            .iter()
            .filter(|n| n.severity == s && !n.accepted)
            .count()
    };
    let _ = write!(
        out,
        "ing2gw: {} error(s), {} warning(s), {} info",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    let mut accepted: std::collections::BTreeMap<&str, usize> = Default::default();
    for n in notes.iter().filter(|n| n.accepted) {
        *accepted.entry(n.code.0).or_default() += 1;
    }
    if !accepted.is_empty() {
        let per_code: Vec<String> = accepted.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let _ = write!(
            out,
            ", {} accepted ({})",
            accepted.values().sum::<usize>(),
            per_code.join(", ")
        );
    }
    out.push('\n');
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

#[cfg(test)]
mod tests {
    use super::*;
    use miette::NamedSource;

    /// The window renders exactly what miette renders from the whole file.
    #[test]
    fn window_renders_like_the_whole_file() {
        let file = "a: 1\nbé: 2\n\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\nlast: é";
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
        for needle in ["a: 1", "bé", "c: 3", "e: 5", "h: 8", "last: é", "é"] {
            let offset = file.rfind(needle).expect("needle");
            let span = SourceSpan::at("f.yaml", file, offset, needle.len());
            let render = |report: miette::Report| {
                let mut out = String::new();
                handler
                    .render_report(&mut out, report.as_ref())
                    .expect("renders");
                out
            };
            let diag = || {
                MietteDiagnostic::new("m")
                    .with_label(LabeledSpan::at(offset..offset + needle.len(), "x"))
            };
            let whole = render(
                miette::Report::new(diag())
                    .with_source_code(NamedSource::new("f.yaml", file.to_string())),
            );
            let window =
                render(miette::Report::new(diag()).with_source_code(Window::around(&span, file)));
            assert_eq!(window, whole, "span of {needle:?}");
        }
    }
}
