use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, VerifyArgs, VerifyFormat};
use crate::gwapi::{GatewayObject, decode_gateway_objects};
use crate::input::{ReadOptions, SourceMap, read_inputs};
use crate::pipeline;
use crate::report::{Notification, Report, Severity, render};
use crate::verify::{self, Verifying, render as table};
use std::io::IsTerminal;

/// `ing2gw verify`.
pub fn run(args: &VerifyArgs) -> u8 {
    let prepared = match super::input::prepare(&args.input, &args.translate) {
        Ok(p) => p,
        Err(e) => {
            say!("error: {e}");
            return EXIT_INPUT;
        }
    };
    let loaded = prepared.loaded;
    if loaded.input.input_errors > 0 {
        let notes = loaded.report.finish();
        return input_errors(&notes, &loaded.sources);
    }
    let options = prepared.options;
    let translation = pipeline::translate(&loaded.input, &options, loaded.report);
    // Nothing to compare looks like a clean result: say so.
    for n in translation
        .notifications
        .iter()
        .filter(|n| n.code == pipeline::NO_INGRESS)
    {
        say!("warning: {}", n.message);
    }
    let (objects, verifying): (Vec<GatewayObject>, _) = if args.gateway_api.is_empty() {
        (translation.objects, Verifying::OwnTranslation)
    } else {
        match read_gateway_api(&args.gateway_api, &args.input.read_options()) {
            Ok(o) => (o, Verifying::OtherManifests),
            Err(code) => return code,
        }
    };
    let report = verify::verify(
        &loaded.input,
        &options,
        &objects,
        &translation.notifications,
        args.budget,
        verifying,
    );
    let json = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into()) + "\n";
    if let Some(path) = &args.report
        && let Err(e) = std::fs::write(path, &json)
    {
        say!("error: cannot write {}: {e}", path.display());
        return EXIT_INPUT;
    }
    let text = match args.output {
        VerifyFormat::Json => json,
        VerifyFormat::Table => table::render_table(&report, std::io::stdout().is_terminal()),
    };
    if let Some(code) = super::stdio::print_or_code(&text) {
        return code;
    }
    if report.summary.unexplained > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn read_gateway_api(paths: &[String], options: &ReadOptions) -> Result<Vec<GatewayObject>, u8> {
    let read = read_inputs(paths, options).map_err(|e| {
        say!("error: {e}");
        EXIT_INPUT
    })?;
    let mut report = Report::default();
    report.extend(read.notifications());
    let decoded = decode_gateway_objects(&read.files, &mut report);
    let mut sources = SourceMap::default();
    for f in &read.files {
        let withheld = decoded.withheld.get(&f.name).map_or(&[][..], Vec::as_slice);
        sources.insert_withholding(f, withheld);
    }
    let notes = report.finish();
    if decoded.errors > 0 || read.errors() > 0 {
        return Err(input_errors(&notes, &sources));
    }
    let routes = decoded
        .objects
        .iter()
        .any(|o| matches!(o, GatewayObject::HttpRoute(_)));
    if !routes {
        say!(
            "error: no HTTPRoute in {}: pass the Gateway API manifests to verify",
            paths.join(", ")
        );
        return Err(EXIT_INPUT);
    }
    Ok(decoded.objects)
}

fn input_errors(notes: &[Notification], sources: &SourceMap) -> u8 {
    let rendered = render::render_human(notes, sources, super::stderr_color(), Severity::Warning);
    super::stdio::say(format_args!("{rendered}"));
    EXIT_INPUT
}
