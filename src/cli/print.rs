use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, OutputFormat, PrintArgs, ReportArgs};
use crate::input::SourceMap;
use crate::output;
use crate::pipeline;
use crate::report::{Notification, Severity, render};

/// `ing2gw print`.
pub fn run(args: &PrintArgs) -> u8 {
    let Some(prepared) = super::input::prepare_or_say(&args.input, &args.translate) else {
        return EXIT_INPUT;
    };
    let loaded = prepared.loaded;
    let input_errors = loaded.input.input_errors;
    let options = prepared.options;
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    let written = match (&args.output_dir, args.output) {
        (Some(dir), _) => output::write_dir(dir, &t.objects).map(|files| {
            eprintln!(
                "ing2gw: wrote {} object(s) to {}",
                files.len(),
                dir.display()
            );
        }),
        (None, OutputFormat::Yaml) => output::to_yaml(&t.objects).map(|s| print!("{s}")),
        (None, OutputFormat::Json) => output::to_json(&t.objects).map(|s| print!("{s}")),
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return EXIT_INPUT;
    }
    finish(
        &t.notifications,
        &loaded.sources,
        &args.reporting,
        input_errors,
    )
}

/// Renders notifications, writes `--report`, and computes the exit code.
pub fn finish(
    notes: &[Notification],
    sources: &SourceMap,
    r: &ReportArgs,
    input_errors: usize,
) -> u8 {
    let min = if r.quiet {
        Severity::Warning
    } else {
        Severity::Info
    };
    eprint!(
        "{}",
        render::render_human(notes, sources, super::stderr_color(), min)
    );
    if let Some(path) = &r.report {
        let json = serde_json::to_string_pretty(&serde_json::json!({ "notifications": notes }))
            .unwrap_or_else(|_| "{}".into());
        if let Err(e) = std::fs::write(path, json + "\n") {
            eprintln!("error: cannot write {}: {e}", path.display());
            return EXIT_INPUT;
        }
    }
    if input_errors > 0 {
        return EXIT_INPUT;
    }
    match r.fail_on.threshold() {
        Some(t) if notes.iter().any(|n| n.severity >= t) => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}
