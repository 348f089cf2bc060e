use super::progress;
use super::stdio::print_or_code;
use super::{
    EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, OutputFormat, PrintArgs, ReportArgs, ReportFormat,
};
use crate::input::{INVALID_OBJECT, SourceMap};
use crate::output::{self, DirOptions};
use crate::pipeline;
use crate::report::{Notification, Report, Severity, accept, render};

/// `ing2gw print`.
pub fn run(args: &PrintArgs) -> u8 {
    // A broken accept file is a usage error before any work is done.
    let mut accept_rules = match accept::load_accept_file(
        args.reporting.accept_file.as_deref(),
        std::path::Path::new("."),
    ) {
        Ok(rules) => rules,
        Err(e) => {
            say!("error: {e}");
            return EXIT_INPUT;
        }
    };
    accept_rules.extend(args.reporting.accept.iter().cloned());
    // Large estates are translated shard by shard (memory, issue 13): their
    // Ingresses are packed as they are read. Only for YAML on stdout, with no
    // selection and an output the shards can make alone; same output.
    let shardable = args.output_dir.is_none()
        && matches!(args.output, OutputFormat::Yaml)
        && !args.reporting.sarif.wanted()
        && args.shard_ingresses > 0
        && !args.routes_only
        && crate::shard::eligible(&args.translate.options());
    let (prepared, progress) = match progress::read_with(
        &args.input,
        &args.translate,
        args.reporting.quiet,
        shardable.then(|| crate::shard::pack_above(args.shard_ingresses)),
    ) {
        Ok(p) => p,
        Err(e) => {
            say!("error: {e}");
            return EXIT_INPUT;
        }
    };
    let loaded = prepared.loaded;
    let mut input_errors = loaded.input.input_errors;
    let unparsed_skipped = loaded.input.unparsed_skipped;
    let options = prepared.options;
    let plan = match prepared.plan {
        Some(plan) => Some(plan.with_routes_only(args.routes_only)),
        None if args.routes_only => Some(crate::selection::Plan::routes_only(&loaded.input)),
        None => None,
    };
    // SARIF locates a notification without a span at its object's document.
    let sarif_objects = if args.reporting.sarif.wanted() {
        super::sarif::object_spans(&loaded.input)
    } else {
        Default::default()
    };
    let mut loaded = loaded;
    let packed = loaded.input.pack_ingresses;
    // Packed only when the options allow a sharded run (`shardable`).
    let shards = if packed && plan.is_none() {
        crate::shard::partition::shards(
            &loaded.input,
            &options.annotation_prefix,
            args.shard_ingresses,
        )
    } else {
        Ok(None)
    };
    let shards = match shards {
        Ok(Some(shards)) => Some(shards),
        other => match other.and_then(|_| loaded.input.unpack_all()) {
            Ok(()) => None,
            Err(e) => {
                say!("error: {e}");
                return EXIT_INPUT;
            }
        },
    };
    let (mut notes, output_code) = if let Some(shards) = shards {
        // Shard by shard: the whole input, IR and output are never held at
        // once (memory, issue 13); the output is the same.
        crate::shard::purge_freed_memory_promptly();
        let t = match crate::shard::translate(loaded.input, &shards, &options, loaded.report) {
            Ok(t) => t,
            Err(e) => {
                say!("error: {e}");
                return EXIT_INPUT;
            }
        };
        progress.stage(format!("writing {} object(s)", t.len()));
        let code = progress.suspend(|| write_chunks(t.yaml_chunks()));
        drop(progress);
        match t.notifications(&options) {
            Ok(notes) => (notes, code),
            Err(e) => {
                say!("error: {e}");
                return EXIT_INPUT;
            }
        }
    } else {
        // The input goes once the IR is built, the IR once the objects are: neither
        // is read again here (memory, issue 13).
        let pipeline::Translation {
            mut objects,
            mut notifications,
            ..
        } = pipeline::translate_owned(loaded.input, &options, loaded.report);
        if let Some(plan) = &plan {
            let live = match args.merge_gateway {
                Some(super::MergeGateway::Cluster) if plan.withholds_shared() => {
                    match live_gateways(args, &options) {
                        Ok(g) => g,
                        Err(e) => {
                            say!("error: --merge-gateway cluster: {e}");
                            return EXIT_INPUT;
                        }
                    }
                }
                _ => Vec::new(),
            };
            plan.apply(&mut objects, &mut notifications, &live);
        }
        let t = Translated {
            objects,
            notifications,
        };
        progress.stage(format!("writing {} object(s)", t.objects.len()));
        // A failed output still gets its notifications and `--report`.
        let mut output_code = EXIT_OK;
        let mut notes = t.notifications;
        match (&args.output_dir, args.output) {
            (Some(dir), _) => {
                // Objects missing because input could not be read or decoded (or a
                // namespace could not be listed) must not look deleted: keep their
                // old files.
                let complete = input_errors == 0
                    && unparsed_skipped == 0
                    && !notes
                        .iter()
                        .any(|n| n.code == super::input::CLUSTER_READ || n.code == INVALID_OBJECT);
                let outcome = output::write_dir(
                    dir,
                    &t.objects,
                    DirOptions {
                        remove_stale: complete,
                    },
                );
                drop(progress);
                if !outcome.written.is_empty() || outcome.errors == 0 {
                    let removed = match outcome.removed.len() {
                        0 => String::new(),
                        n => format!(", removed {n} stale file(s)"),
                    };
                    say!(
                        "ing2gw: wrote {} object(s) to {}{removed}",
                        outcome.written.len(),
                        dir.display()
                    );
                }
                input_errors += outcome.errors;
                let mut report = Report::default();
                report.extend(notes);
                report.extend(outcome.notifications);
                notes = report.finish();
            }
            (None, OutputFormat::Yaml) => {
                // Written piece by piece: the whole text is never held at once. stdout
                // may be the same terminal: no spinner between its lines.
                output_code = progress.suspend(|| write_chunks(output::yaml_chunks(&t.objects)));
                drop(progress);
            }
            (None, OutputFormat::Json) => {
                output_code = progress.suspend(|| match output::to_json(&t.objects) {
                    Ok(text) => print_or_code(&text).unwrap_or(EXIT_OK),
                    Err(e) => {
                        say!("error: {e}");
                        EXIT_INPUT
                    }
                });
                drop(progress);
            }
        }
        (notes, output_code)
    };
    let unused = accept::apply(&mut notes, &accept_rules);
    if !unused.is_empty() {
        let mut report = Report::default();
        report.extend(notes);
        report.extend(unused);
        notes = report.finish();
    }
    let code = finish(
        &notes,
        &loaded.sources,
        &args.reporting,
        (&args.input.filename, &sarif_objects),
        input_errors,
    );
    code.max(output_code)
}

/// Writes YAML pieces to stdout as they come; the exit code of a failed write.
fn write_chunks(chunks: impl Iterator<Item = Result<String, String>>) -> u8 {
    for chunk in chunks {
        match chunk {
            Ok(text) => {
                if let Some(code) = print_or_code(&text) {
                    return code;
                }
            }
            Err(e) => {
                say!("error: {e}");
                return EXIT_INPUT;
            }
        }
    }
    EXIT_OK
}

/// The live Gateways of the generated Gateways' namespace, for `--merge-gateway cluster`.
fn live_gateways(
    args: &PrintArgs,
    options: &crate::options::TranslateOptions,
) -> Result<Vec<serde_json::Value>, String> {
    let opts = args.input.cluster_options(None, false);
    let snapshot = crate::cluster::blocking_read_gateway_objects(
        &opts,
        std::slice::from_ref(&options.gateway_namespace),
    )
    .map_err(|e| e.to_string())?;
    if let Some(w) = snapshot
        .warnings
        .iter()
        .find(|w| w.resource.starts_with("gateways."))
    {
        return Err(format!("the live Gateway could not be read: {}", w.message));
    }
    Ok(snapshot
        .objects
        .into_iter()
        .filter(|o| o.kind == "Gateway")
        .map(|o| o.value)
        .collect())
}

/// What `print` keeps of a translation.
struct Translated {
    objects: Vec<crate::gwapi::GatewayObject>,
    notifications: Vec<Notification>,
}

/// Renders notifications, writes `--report`, and computes the exit code.
pub fn finish(
    notes: &[Notification],
    sources: &SourceMap,
    r: &ReportArgs,
    (inputs, objects): (&[String], &crate::report::sarif::ObjectSpans),
    input_errors: usize,
) -> u8 {
    let min = if r.quiet {
        Severity::Warning
    } else {
        Severity::Info
    };
    let rendered = render::render_human(notes, sources, super::stderr_color(), min);
    super::stdio::say(format_args!("{rendered}"));
    if let Err(code) = super::sarif::write(&r.sarif, r.report.as_deref(), inputs, notes, objects) {
        return code;
    }
    if let Some(path) = r
        .report
        .as_ref()
        .filter(|_| r.sarif.report_format == ReportFormat::Json)
    {
        let json = serde_json::to_string_pretty(&serde_json::json!({ "notifications": notes }))
            .unwrap_or_else(|_| "{}".into());
        if let Err(e) = std::fs::write(path, json + "\n") {
            say!("error: cannot write {}: {e}", path.display());
            return EXIT_INPUT;
        }
    }
    if input_errors > 0 {
        return EXIT_INPUT;
    }
    match r.fail_on.threshold() {
        Some(t) if notes.iter().any(|n| n.severity >= t && !n.accepted) => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}
