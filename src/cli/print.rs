use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, OutputFormat, PrintArgs, ReportArgs};
use crate::input::{SourceMap, read_sources};
use crate::output;
use crate::pipeline;
use crate::report::{Notification, Severity, render};

/// `ing2gw print`.
pub fn run(args: &PrintArgs) -> u8 {
    if args.input.filename.is_empty() {
        eprintln!("error: no input: pass -f PATH (or `-f -` for stdin)");
        return EXIT_INPUT;
    }
    let files = match read_sources(&args.input.filename) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INPUT;
        }
    };
    let loaded = pipeline::load(&files);
    let input_errors = loaded.input.input_errors;
    let options = args.translate.options();
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
