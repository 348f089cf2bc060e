//! `ing2gw scan`: the readiness report.

use super::{EXIT_INPUT, EXIT_OK, ScanArgs, ScanFormat};
use crate::pipeline;
use crate::scan::{self, render};
use std::io::IsTerminal;

pub fn run(args: &ScanArgs) -> u8 {
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
    };
    let written = super::stdio::print_or_code(&text);
    if loaded.input.input_errors > 0 {
        say!(
            "error: {} input document(s) could not be read; they are not in the report",
            loaded.input.input_errors
        );
        return written.unwrap_or(EXIT_INPUT).max(EXIT_INPUT);
    }
    written.unwrap_or(EXIT_OK)
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
