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
/// Bytes of each line kept before the span and after it: a one-line JSON manifest
/// is one line of megabytes, and miette prints whole lines (and panics past column
/// 65535, where a format width overflows).
const SIDE_BYTES: usize = 120;
/// Longest span underlined; a longer one is cut (the headline has its position).
const MAX_SPAN_BYTES: usize = 240;
/// Most lines a span may cover; a longer one is cut.
const MAX_SPAN_LINES: usize = 8;
/// Marks where a line was cut.
const CUT: &str = "…";

/// The few lines of a file around one span, each cut to a window of columns
/// around it. miette locates a span by scanning its source from the start, so
/// handing it the whole file made rendering O(file size) per notification —
/// quadratic for one large manifest with many notifications — and long lines made
/// the output as large as the file.
struct Window {
    name: String,
    text: String,
    /// Zero-based line number of the first line of `text` in the file.
    first_line: usize,
    /// How each line of `text` maps to the file.
    lines: Vec<LineMap>,
    /// The span in `text`.
    label: std::ops::Range<usize>,
}

/// One line of a [`Window`]: `text[local_start..]` shows bytes `kept` of the file's
/// line, after a cut mark of `mark` bytes.
struct LineMap {
    local_start: usize,
    file_start: usize,
    kept: std::ops::Range<usize>,
    mark: usize,
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
        let mut end =
            floor(span.offset.saturating_add(span.length.min(MAX_SPAN_BYTES))).max(offset);
        if let Some((i, _)) = file[offset..end]
            .match_indices('\n')
            .nth(MAX_SPAN_LINES - 1)
        {
            end = offset + i;
        }
        let line_start = |at: usize| file[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = offset - line_start(offset);
        let columns = column.saturating_sub(SIDE_BYTES)..column + (end - offset) + SIDE_BYTES;
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
        let mut text = String::new();
        let mut lines = Vec::new();
        let mut file_start = base;
        for line in file[base..stop].split_inclusive('\n') {
            let content = line.strip_suffix('\n').unwrap_or(line);
            let floor_in = |at: usize| {
                let mut at = at.min(content.len());
                while !content.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            // Short lines are shown whole; long ones by the span's columns, or by
            // their end when they stop before those columns.
            let width = columns.end - columns.start;
            let start = columns.start.min(content.len().saturating_sub(width));
            let kept = floor_in(start)..floor_in(start + width);
            let local_start = text.len();
            let mark = if kept.start > 0 { CUT.len() } else { 0 };
            if mark > 0 {
                text.push_str(CUT);
            }
            text.push_str(&content[kept.clone()]);
            if kept.end < content.len() {
                text.push_str(CUT);
            }
            if content.len() < line.len() {
                text.push('\n');
            }
            lines.push(LineMap {
                local_start,
                file_start,
                kept,
                mark,
            });
            file_start += line.len();
        }
        let mut window = Window {
            name: span.file.to_string(),
            text,
            first_line: span.line.saturating_sub(1 + skipped),
            lines,
            label: 0..0,
        };
        window.label = window.local(offset)..window.local(end);
        window
    }

    /// Where byte `at` of the file is in `text` (the nearest kept byte when cut).
    fn local(&self, at: usize) -> usize {
        let i = self.lines.partition_point(|l| l.file_start <= at);
        let Some(line) = i.checked_sub(1).and_then(|i| self.lines.get(i)) else {
            return 0;
        };
        let column = (at - line.file_start).clamp(line.kept.start, line.kept.end);
        line.local_start + line.mark + (column - line.kept.start)
    }

    /// The file's byte column of byte `at` of `text`, which is at byte column
    /// `column` of its line in `text`.
    fn file_column(&self, at: usize, column: usize) -> usize {
        let i = self.lines.partition_point(|l| l.local_start <= at);
        match i.checked_sub(1).and_then(|i| self.lines.get(i)) {
            Some(line) if column > 0 => line.kept.start + column.saturating_sub(line.mark),
            _ => column,
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
        let c = self.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            *c.span(),
            c.line() + self.first_line,
            self.file_column(c.span().offset(), c.column()),
            c.line_count(),
        )))
    }
}

/// Notifications of one code shown in full on stderr; the rest of that code are
/// one summary line (count and a few objects). 10,000 Ingresses otherwise print
/// megabytes of near-identical diagnostics, and `--report` holds every one.
const FULL_PER_CODE: usize = 3;
/// Objects named on a code's summary line.
const NAMED_PER_CODE: usize = 3;

/// What was not rendered in full of one code.
struct Summarised {
    severity: Severity,
    count: usize,
    /// Objects (or, for file-level notifications, files) of the first of them.
    objects: Vec<String>,
}

/// Renders notifications at or above `min` for people: the first
/// [`FULL_PER_CODE`] of each code in full, one line per code for the rest, then
/// the count of every code shown (at or above `min`) and the totals line.
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
    let mut shown: std::collections::HashMap<crate::report::Code, usize> = Default::default();
    // In order of each code's first summarised notification, so the lines follow
    // the (sorted) notifications.
    let mut summarised: Vec<(crate::report::Code, Summarised)> = Vec::new();
    // Accepted notifications are reviewed findings: counted below, listed in
    // `--report`, not repeated on every run.
    for n in notes.iter().filter(|n| n.severity >= min && !n.accepted) {
        let full = shown.entry(n.code).or_default();
        if *full >= FULL_PER_CODE {
            let i = match summarised.iter().position(|(c, _)| *c == n.code) {
                Some(i) => i,
                None => {
                    summarised.push((
                        n.code,
                        Summarised {
                            severity: n.severity,
                            count: 0,
                            objects: Vec::new(),
                        },
                    ));
                    summarised.len() - 1
                }
            };
            if let Some((_, s)) = summarised.get_mut(i) {
                s.count += 1;
                s.severity = s.severity.max(n.severity);
                // File-level notifications (not-kubernetes, …) have no object:
                // their file is what names them. Once NAMED_PER_CODE are named
                // no name is built: a code can have tens of thousands.
                let name = match (&n.object, &n.field, &n.span) {
                    _ if s.objects.len() >= NAMED_PER_CODE => None,
                    (Some(o), _, _) => Some(o.to_string()),
                    (None, Some(f), _) => Some(f.clone()),
                    (None, None, Some(span)) => Some(span.file.to_string()),
                    (None, None, None) => None,
                };
                if let Some(name) = name
                    && s.objects.len() < NAMED_PER_CODE
                    && !s.objects.contains(&name)
                {
                    s.objects.push(name);
                }
            }
            continue;
        }
        *full += 1;
        let mut diag = MietteDiagnostic::new(headline(n))
            // Logs and CI (no colour): the severity also as a word on the code
            // line (`regex-mode (warning)`), which grep and a plain log reader
            // understand; the message lines, and their wrapping, are unchanged.
            .with_code(if color {
                n.code.0.to_string()
            } else {
                format!("{} ({})", n.code.0, n.severity)
            })
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
                let window = Window::around(span, text);
                let diag = diag.with_label(LabeledSpan::at(window.label.clone(), label));
                miette::Report::new(diag).with_source_code(window)
            }
            None => miette::Report::new(diag),
        };
        let _ = handler.render_report(&mut out, report.as_ref());
    }
    for (code, s) in &summarised {
        let all = s.count + FULL_PER_CODE;
        let _ = write!(
            out,
            "{}[{code}]: {} more not shown ({all} in all)",
            s.severity, s.count
        );
        if !s.objects.is_empty() {
            let more = if s.count > s.objects.len() {
                ", …"
            } else {
                ""
            };
            let _ = write!(out, ", e.g. {}{more}", s.objects.join(", "));
        }
        out.push_str("; --report FILE lists every one\n");
    }
    let mut by_code: std::collections::BTreeMap<(std::cmp::Reverse<Severity>, &str), usize> =
        Default::default();
    // `-q` keeps hiding info codes; the totals line below still counts them.
    for n in notes.iter().filter(|n| n.severity >= min && !n.accepted) {
        *by_code
            .entry((std::cmp::Reverse(n.severity), n.code.0))
            .or_default() += 1;
    }
    if !by_code.is_empty() {
        let per_code: Vec<String> = by_code
            .iter()
            .map(|((s, c), n)| format!("{c} {n} ({})", s.0))
            .collect();
        let _ = writeln!(out, "ing2gw: by code: {}", per_code.join(", "));
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
    use crate::report::{Code, ObjectRef};
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
            let window = Window::around(&span, file);
            let label = LabeledSpan::at(window.label.clone(), "x");
            let window = render(
                miette::Report::new(MietteDiagnostic::new("m").with_label(label))
                    .with_source_code(window),
            );
            assert_eq!(window, whole, "span of {needle:?}");
        }
    }

    /// Long lines are cut around the span, with the file's column in the header;
    /// past column 65535 miette itself used to panic.
    #[test]
    fn long_lines_are_cut_around_the_span() {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
        let line = format!("{}needle{}", "é".repeat(40_000), "x".repeat(70_000));
        let file = format!("first\n{line}\n{line}\nlast\n");
        let offset = file.find("needle").expect("needle");
        let span = SourceSpan::at("f.json", &file, offset, 6);
        let window = Window::around(&span, &file);
        let diag =
            MietteDiagnostic::new("m").with_label(LabeledSpan::at(window.label.clone(), "x"));
        let mut out = String::new();
        handler
            .render_report(
                &mut out,
                miette::Report::new(diag).with_source_code(window).as_ref(),
            )
            .expect("renders");
        assert!(
            out.contains(&format!("[f.json:2:{}]", offset - 6 + 1)),
            "{out}"
        );
        assert!(
            out.contains("…éé") && out.contains("needlexx") && out.contains("x…"),
            "{out}"
        );
        assert!(
            out.contains(" first\n"),
            "a short context line is shown whole: {out}"
        );
        assert!(out.len() < 3_000, "{} bytes", out.len());

        // A span of a whole document is cut to a few lines.
        let many = "a: 1\n".repeat(10_000);
        let span = SourceSpan::at("f.yaml", &many, 0, many.len());
        let window = Window::around(&span, &many);
        assert!(window.label.len() <= MAX_SPAN_BYTES);
        assert!(window.text.lines().count() <= MAX_SPAN_LINES + CONTEXT_LINES + 1);
    }

    /// A repeated code: the first few in full, one line with the count and a few
    /// objects for the rest, and every code counted in the final summary.
    #[test]
    fn repeated_codes_are_summarised() {
        let mut notes: Vec<Notification> = (0..10)
            .map(|i| {
                Notification::warning(Code("proxy-timeout"), format!("slow {i}")).object(
                    &ObjectRef::new("Ingress", Some("shop"), &format!("web-{i}")),
                )
            })
            .collect();
        notes.push(Notification::info(Code("catch-all-healthz"), "healthz"));
        let out = render_human(&notes, &SourceMap::default(), false, Severity::Info);
        assert_eq!(out.matches("slow ").count(), FULL_PER_CODE, "{out}");
        assert!(
            out.contains(
                "warning[proxy-timeout]: 7 more not shown (10 in all), e.g. Ingress shop/web-3, \
                 Ingress shop/web-4, Ingress shop/web-5, …; --report FILE lists every one"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "ing2gw: by code: proxy-timeout 10 (warning), catch-all-healthz 1 (info)\n"
            ),
            "{out}"
        );
        assert!(
            out.ends_with("ing2gw: 0 error(s), 10 warning(s), 1 info\n"),
            "{out}"
        );
        // `-q` hides info as before, in the per-code counts too; the totals count it.
        let quiet = render_human(&notes, &SourceMap::default(), false, Severity::Warning);
        assert!(!quiet.contains("healthz"), "{quiet}");
        assert!(
            quiet.contains("by code: proxy-timeout 10 (warning)\n"),
            "{quiet}"
        );
        assert!(quiet.ends_with("10 warning(s), 1 info\n"), "{quiet}");
    }

    fn render_window(span: &SourceSpan, file: &str) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
        let window = Window::around(span, file);
        let diag =
            MietteDiagnostic::new("m").with_label(LabeledSpan::at(window.label.clone(), "x"));
        let mut out = String::new();
        let _ = handler.render_report(
            &mut out,
            miette::Report::new(diag).with_source_code(window).as_ref(),
        );
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Any text, any span: no panic, and a bounded rendering; with short lines
        /// (nothing cut, no lone CR, which miette counts as a line break) exactly
        /// what miette renders from the whole file.
        #[test]
        fn windows_render_safely(
            lines in proptest::prop_oneof![
                proptest::collection::vec("[a-zé\t {}\":,\u{2028}]{0,100}", 1..12),
                proptest::collection::vec("[a-zé\t\r {}\":,\u{2028}]{0,400}", 1..12),
            ],
            at in 0usize..1500,
            len in proptest::prop_oneof![0usize..20, 0usize..2000],
        ) {
            let file = lines.join("\n");
            let span = SourceSpan::at("f", &file, at, len);
            let out = render_window(&span, &file);
            let cap = (2 * SIDE_BYTES + MAX_SPAN_BYTES + 2 * CUT.len() + 80) * 4;
            proptest::prop_assert!(out.len() <= (MAX_SPAN_LINES + 2 * CONTEXT_LINES + 4) * cap);
            let short = lines.iter().all(|l| l.len() < SIDE_BYTES && !l.contains('\r'));
            let spanned = file.get(span.offset..span.offset + span.length);
            let few_lines = spanned.is_some_and(|t| t.matches('\n').count() < MAX_SPAN_LINES);
            if short && span.length <= MAX_SPAN_BYTES && few_lines {
                let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
                let diag = MietteDiagnostic::new("m")
                    .with_label(LabeledSpan::at(span.offset..span.offset + span.length, "x"));
                let mut whole = String::new();
                let _ = handler.render_report(
                    &mut whole,
                    miette::Report::new(diag)
                        .with_source_code(NamedSource::new("f", file.clone()))
                        .as_ref(),
                );
                proptest::prop_assert_eq!(out, whole);
            }
        }
    }
}
