//! `ing2gw scan`: the readiness report.

use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, ScanArgs, ScanFailOn, ScanFormat};
use crate::pipeline;
use crate::report::accept;
use crate::scan::{self, Verdict, baseline, html, render};
use std::io::IsTerminal;

pub fn run(args: &ScanArgs) -> u8 {
    // Read the baseline first: a wrong path is a usage error before any work.
    let baseline = match args.baseline.as_deref().map(read_baseline).transpose() {
        Ok(b) => b,
        Err(e) => {
            say!("error: {e}");
            return EXIT_INPUT;
        }
    };
    let mut accept_rules =
        match accept::load_accept_file(args.accept_file.as_deref(), std::path::Path::new(".")) {
            Ok(rules) => rules,
            Err(e) => {
                say!("error: {e}");
                return EXIT_INPUT;
            }
        };
    accept_rules.extend(args.accept.iter().cloned());
    let (prepared, progress) = match super::progress::read(&args.input, &args.translate, false) {
        Ok(p) => p,
        Err(e) => {
            say!("error: {e}");
            return EXIT_INPUT;
        }
    };
    let mut loaded = prepared.loaded;
    let mut t = pipeline::translate(&loaded.input, &prepared.options, loaded.report);
    // A partial selection: the report is about the selected Ingresses, not the
    // ones read as their context.
    if let Some(plan) = &prepared.plan {
        plan.retain_notes(&mut t.notifications);
        loaded
            .input
            .ingresses
            .retain(|i| plan.is_selected(i.namespace(), i.name()));
    }
    drop(progress);
    // Accepted notifications do not raise a verdict; a rule that matched nothing
    // is said, as print says it.
    for unused in accept::apply(&mut t.notifications, &accept_rules) {
        say!("{}: {}", unused.severity, unused.message);
    }
    // What could not be read is not in the report, and an empty report looks
    // like a clean one: say so where it is seen.
    for n in t.notifications.iter().filter(|n| {
        n.code == super::input::CLUSTER_READ
            || n.code == pipeline::NO_INGRESS
            || n.code == crate::selection::SELECTION_EMPTY
    }) {
        say!("warning: {}", n.message);
    }
    for n in t
        .notifications
        .iter()
        .filter(|n| crate::input::READ_CODES.contains(&n.code))
    {
        let file = n.field.as_deref().unwrap_or_default();
        say!("{}: {file}: {}", n.severity, n.message);
    }
    let source = match &prepared.context {
        Some(context) => format!("cluster context {context}"),
        None => "files".to_string(),
    };
    let report = scan::scan(&loaded.input, &prepared.options, &t.notifications, &source);
    let text = match args.output {
        ScanFormat::Table => render::table(&report, terminal_width()),
        ScanFormat::Markdown => render::markdown(&report),
        ScanFormat::Json => render::json(&report),
        ScanFormat::Html => html::page(&report),
    };
    let written = super::stdio::print_or_code(&text);
    if loaded.input.input_errors > 0 {
        say!(
            "error: {} input document(s) could not be read; they are not in the report",
            loaded.input.input_errors
        );
        return written.unwrap_or(EXIT_INPUT).max(EXIT_INPUT);
    }
    if let Some(code) = written {
        return code;
    }
    match args.fail_on {
        Some(level) => gate(&report, level, baseline.as_ref()),
        None => EXIT_OK,
    }
}

fn read_baseline(path: &std::path::Path) -> Result<baseline::Baseline, String> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("--baseline {origin}: {e}"))?;
    baseline::Baseline::parse(&text, &origin)
}

/// `--fail-on`: exit 1 and name the Ingresses (the first 20) and their codes.
fn gate(report: &scan::ScanReport, level: ScanFailOn, baseline: Option<&baseline::Baseline>) -> u8 {
    let level = match level {
        ScanFailOn::Blocked => Verdict::Blocked,
        ScanFailOn::Review => Verdict::NeedsReview,
    };
    let failures = baseline::failures(report, level, baseline);
    let new = if baseline.is_some() { " new" } else { "" };
    if failures.is_empty() {
        say!(
            "ing2gw scan: no{new} problem at or above {} (--fail-on)",
            level.as_str()
        );
        return EXIT_OK;
    }
    say!(
        "ing2gw scan: {} Ingress(es) with{new} problems at or above {} (--fail-on):",
        failures.len(),
        level.as_str()
    );
    const SHOWN: usize = 20;
    for f in failures.iter().take(SHOWN) {
        say!(
            "  {}/{}: {} ({})",
            f.namespace,
            f.name,
            f.verdict.as_str(),
            f.codes.join(", ")
        );
    }
    if failures.len() > SHOWN {
        say!(
            "  … and {} more (scan -o json has them all)",
            failures.len() - SHOWN
        );
    }
    EXIT_FINDINGS
}

/// Tables wrap to the terminal (`$COLUMNS`), else to 120 columns, so piped
/// output does not depend on where it runs.
fn terminal_width() -> Option<u16> {
    let columns = std::io::stdout()
        .is_terminal()
        .then(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .flatten();
    Some(columns.unwrap_or(render::DEFAULT_WIDTH))
}
