use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, ReportFormat, VerifyArgs, VerifyFormat};
use crate::gwapi::{GatewayObject, decode_documents};
use crate::input::{InputSet, ReadOptions, SourceMap, read_inputs};
use crate::pipeline;
use crate::report::{Code, Notification, ObjectRef, Report, Severity, render};
use crate::validate::manifests::check_documents;
use crate::verify::live::{self, client, script};
use crate::verify::{self, Verifying, render as table};
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;

/// `ing2gw verify`.
pub fn run(args: &VerifyArgs) -> u8 {
    let (prepared, progress) = match super::progress::read(&args.input, &args.translate, false) {
        Ok(p) => p,
        Err(e) => {
            say!("error: {e}");
            return EXIT_INPUT;
        }
    };
    let mut loaded = prepared.loaded;
    // Like print: documents that do not read or decode are reported (stderr and
    // the JSON report) and the valid ones are verified all the same.
    let input_errors = loaded.input.input_errors;
    let input_notes: Vec<Notification> = loaded.report.clone().finish();
    let skipped: Vec<Notification> = input_notes
        .iter()
        .filter(|n| n.severity == Severity::Error)
        .cloned()
        .collect();
    if !input_notes.is_empty() {
        let rendered = render::render_human(
            &input_notes,
            &loaded.sources,
            super::stderr_color(),
            Severity::Info,
        );
        progress.suspend(|| super::stdio::say(format_args!("{rendered}")));
    }
    let excluded = match exclude(&mut loaded.input, &args.exclude) {
        Ok(e) => e,
        Err(e) => {
            drop(progress);
            say!("error: {e}");
            return EXIT_INPUT;
        }
    };
    let options = prepared.options;
    let translation = pipeline::translate(&loaded.input, &options, loaded.report);
    progress.stage("verifying");
    // Nothing to compare looks like a clean result: say so.
    for n in translation
        .notifications
        .iter()
        .filter(|n| n.code == pipeline::NO_INGRESS)
    {
        progress.suspend(|| say!("warning: {}", n.message));
    }
    // `--gateway-api` manifests identical in spec to ing2gw's own output are that
    // translation: its notifications explain them. Otherwise they explain nothing
    // and the report lists what the user changed.
    let mut edits = Vec::new();
    // `--gateway-api` objects that break a rule of the CRDs (named on stderr).
    let mut invalid: Vec<Notification> = Vec::new();
    let host_map = translation.host_map.clone();
    let (mut objects, verifying): (Vec<GatewayObject>, _) = if args.gateway_api.is_empty() {
        (translation.objects, Verifying::OwnTranslation)
    } else {
        // Its errors are printed as it reads.
        let profile = options.gateway_api();
        let read = progress
            .suspend(|| read_gateway_api(&args.gateway_api, &args.input.read_options(), &profile));
        match read {
            Ok((o, notes)) => {
                invalid = notes;
                edits = verify::edits::edits(&translation.objects, &o);
                if edits.is_empty() {
                    (o, Verifying::OwnTranslation)
                } else {
                    (o, Verifying::OtherManifests)
                }
            }
            Err(code) => return code,
        }
    };
    // The models probe the original hosts: give the objects their names back (a
    // `--gateway-api` file printed with the same `--host-map` included).
    host_map.unmap(&mut objects);
    let mut report = verify::verify(
        &loaded.input,
        &options,
        &objects,
        &translation.notifications,
        args.budget,
        verifying,
        options.target.implementation,
    );
    // Live probing and the smoke test need both models' prediction per probe.
    let live = &args.live;
    let tracked = live.live.then(|| live::tracked_headers(&objects));
    let predicted = (live.live || live.emit_probes.is_some()).then(|| {
        verify::predict(
            &loaded.input,
            &options,
            &objects,
            args.budget,
            options.target.implementation,
        )
    });
    if let (Some(path), Some(predicted)) = (&live.emit_probes, &predicted) {
        let written = progress.suspend(|| emit_probes(path, predicted, live));
        if let Err(code) = written {
            return code;
        }
    }
    report.excluded = excluded;
    report.host_map = host_map.hosts;
    verify::edits::mark(&mut report, &edits);
    report.edits = edits;
    report.skipped = skipped;
    if let (true, Some(predicted)) = (live.live, &predicted) {
        let code = run_live(
            args,
            predicted,
            &report,
            tracked.unwrap_or_default(),
            &options.host_map,
            &progress,
        );
        drop(progress);
        return if input_errors > 0 && code != EXIT_INPUT {
            EXIT_INPUT
        } else {
            code
        };
    }
    drop(progress);
    let json = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into()) + "\n";
    if args.sarif.wanted() {
        let mut notes = sarif_notes(&translation.notifications, &report, &loaded.input);
        notes.extend(invalid.iter().cloned());
        let report_path = args.report.as_deref();
        let objects = super::sarif::object_spans(&loaded.input);
        let inputs = &args.input.filename;
        if let Err(code) = super::sarif::write(&args.sarif, report_path, inputs, &notes, &objects) {
            return code;
        }
    }
    if let Some(path) = &args.report
        && args.sarif.report_format == ReportFormat::Json
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
    if input_errors > 0 {
        return EXIT_INPUT;
    }
    let uncompared =
        report.summary.compared == 0 || report.summary.uncompared_hosts().next().is_some();
    if report.rejected.is_some()
        || report.summary.unexplained > 0
        || !report.skipped.is_empty()
        || invalid.iter().any(|n| n.severity == Severity::Error)
        || (uncompared && !args.allow_uncompared)
    {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Requests an Ingress decides in Ingress-NGINX that Gateway API routes
/// differently, with no notification explaining it (SARIF only: the table and
/// the JSON report list them probe by probe).
pub const UNEXPLAINED_DIVERGENCE: Code = Code("unexplained-divergence");
/// Ingress-NGINX would reject the whole configuration (SARIF only).
pub const CONFIGURATION_REJECTED: Code = Code("configuration-rejected");

/// The notifications of a `verify` run as SARIF shows them: the translation's
/// (input errors included), one error per Ingress with unexplained divergences
/// (count and first request), and the rejection, each at the Ingress's document.
fn sarif_notes(
    translation: &[Notification],
    report: &verify::compare::VerifyReport,
    input: &InputSet,
) -> Vec<Notification> {
    let spans: BTreeMap<&ObjectRef, _> = input
        .ingresses
        .iter()
        .map(|i| (&i.obj, i.origin.doc_span()))
        .collect();
    let span_of = |o: &ObjectRef| spans.get(o).cloned().flatten();
    let mut out = Report::default();
    out.extend(translation.iter().cloned());
    if let Some(r) = &report.rejected {
        for ing in &r.ingresses {
            out.push(
                Notification::error(
                    CONFIGURATION_REJECTED,
                    format!(
                        "ingress-nginx would reject the whole configuration: {}",
                        r.reason
                    ),
                )
                .object(ing)
                .span(span_of(ing))
                .suggest("fix this Ingress, or verify the rest with --exclude NAMESPACE/NAME"),
            );
        }
    }
    let mut by_ingress: BTreeMap<Option<&ObjectRef>, Vec<&verify::compare::ProbeResult>> =
        BTreeMap::new();
    for r in report.unexplained() {
        by_ingress.entry(r.ingress.as_ref()).or_default().push(r);
    }
    for (ingress, results) in by_ingress {
        let Some(first) = results.first() else {
            continue;
        };
        let message = format!(
            "{} request(s) routed differently by Gateway API, with no notification explaining it, e.g. {}: ingress-nginx {}, Gateway API {}",
            results.len(),
            table::request_line(&first.probe),
            table::outcome_text(&first.ingress_nginx),
            table::outcome_text(&first.gateway_api),
        );
        let mut n = Notification::error(UNEXPLAINED_DIVERGENCE, message)
            .suggest("run `ing2gw verify` on this input for every request; fix the translation or the Ingress");
        if let Some(ing) = ingress {
            n = n.object(ing).span(span_of(ing));
        }
        out.push(n);
    }
    out.finish()
}

/// Removes the `--exclude`d Ingresses from `input`; each must name one, so a
/// typo cannot pass for a successful run. Gives them back as `NAMESPACE/NAME`.
fn exclude(input: &mut InputSet, names: &[String]) -> Result<Vec<String>, String> {
    let mut wanted = BTreeSet::new();
    for name in names.iter().flat_map(|n| n.split(',')) {
        match name.split_once('/') {
            Some((ns, n)) if !ns.is_empty() && !n.is_empty() && !n.contains('/') => {
                wanted.insert((ns.to_string(), n.to_string()));
            }
            _ => {
                return Err(format!(
                    "--exclude `{name}`: expected NAMESPACE/NAME of an Ingress, e.g. --exclude shop/legacy"
                ));
            }
        }
    }
    let mut found = BTreeSet::new();
    input.ingresses.retain(|i| {
        let key = (
            i.obj.namespace.clone().unwrap_or_default(),
            i.obj.name.clone(),
        );
        let hit = wanted.contains(&key);
        if hit {
            found.insert(key);
        }
        !hit
    });
    if let Some((ns, n)) = wanted.difference(&found).next() {
        return Err(format!("--exclude {ns}/{n}: no such Ingress in the input"));
    }
    Ok(wanted
        .into_iter()
        .map(|(ns, n)| format!("{ns}/{n}"))
        .collect())
}

/// The `--gateway-api` objects, and the notes of their validation against
/// `profile` (a broken edit is named at its field before it is verified: exit 1).
fn read_gateway_api(
    paths: &[String],
    options: &ReadOptions,
    profile: &crate::target::gateway_api::GatewayApiProfile,
) -> Result<(Vec<GatewayObject>, Vec<Notification>), u8> {
    let read = read_inputs(paths, options).map_err(|e| {
        say!("error: {e}");
        EXIT_INPUT
    })?;
    let mut report = Report::default();
    report.extend(read.notifications());
    // Parsed once, for the validation and the objects both. Judged before they
    // are decoded (decoding fills in default namespaces); what is broken is
    // named only once they decoded, as before.
    let documents = super::validate::documents_in_order(&read.files);
    let checked = check_documents(&documents.docs, profile, false);
    report.extend(documents.notes);
    let decoded = decode_documents(documents.docs, &mut report);
    let sources = documents.sources;
    let notes = report.finish();
    if decoded.errors > 0 || documents.errors > 0 || read.errors() > 0 {
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
    let what = paths.join(", ");
    let invalid = super::validate::announce_checked(checked, &sources, profile, &what).1;
    Ok((decoded.objects, invalid))
}

fn input_errors(notes: &[Notification], sources: &SourceMap) -> u8 {
    let rendered = render::render_human(notes, sources, super::stderr_color(), Severity::Warning);
    super::stdio::say(format_args!("{rendered}"));
    EXIT_INPUT
}

/// `--emit-probes FILE`: writes the smoke test, says what it holds on stderr.
fn emit_probes(
    path: &std::path::Path,
    predicted: &[verify::Predicted],
    args: &super::args::LiveArgs,
) -> Result<(), u8> {
    let format = script::Format::of(path).map_err(|e| {
        say!("error: {e}");
        EXIT_INPUT
    })?;
    let (text, counts) = script::emit(format, predicted, args.gateway_address.as_ref());
    std::fs::write(path, text).map_err(|e| {
        say!("error: cannot write {}: {e}", path.display());
        EXIT_INPUT
    })?;
    say!(
        "wrote {} request(s) to {} ({} without a prediction, {} left out)",
        counts.requests,
        path.display(),
        counts.undecided,
        counts.left_out
    );
    Ok(())
}

/// `--live`: sends the probes to both addresses, prints and writes the live report.
fn run_live(
    args: &VerifyArgs,
    predicted: &[verify::Predicted],
    offline: &verify::compare::VerifyReport,
    tracked: BTreeSet<String>,
    host_map: &crate::emit::host_map::HostMap,
    progress: &super::progress::Stages,
) -> u8 {
    let live = &args.live;
    let (Some(nginx), Some(gateway)) = (live.nginx_address, live.gateway_address) else {
        say!("error: --live needs --nginx-address and --gateway-address");
        return EXIT_INPUT;
    };
    let verify_tls = if live.insecure_skip_verify {
        client::TlsVerify::Skip
    } else if let Some(f) = &live.ca_file {
        client::TlsVerify::CaFile(f.clone())
    } else {
        client::TlsVerify::System
    };
    let tls = match client::tls_config(&verify_tls) {
        Ok(t) => t,
        Err(e) => {
            progress.suspend(|| say!("error: {e}"));
            return EXIT_INPUT;
        }
    };
    let options = live::LiveOptions {
        nginx,
        gateway,
        client: client::Client {
            tls,
            timeout: live.timeout,
            compare_body: live.compare_body,
            tracked: std::sync::Arc::new(tracked),
        },
        concurrency: usize::from(live.concurrency),
        rate: live.rate,
        verify_tls: !live.insecure_skip_verify,
        gateway_host: (!host_map.is_empty()).then(|| {
            let m = host_map.clone();
            std::sync::Arc::new(move |h: &str| m.sent_host(h)) as live::HostMapper
        }),
        gateway_unhost: (!host_map.is_empty()).then(|| {
            let m = host_map.clone();
            std::sync::Arc::new(move |h: &str| m.original_host(h)) as live::HostMapper
        }),
    };
    progress.stage(format!("probing live: 0/{}", predicted.len()));
    let report = match live::run(predicted, offline, &options, &|done, total| {
        progress.stage(format!("probing live: {done}/{total}"));
    }) {
        Ok(r) => r,
        Err(e) => {
            progress.suspend(|| say!("error: {e}"));
            return EXIT_INPUT;
        }
    };
    let json = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into()) + "\n";
    if let Some(path) = &args.report
        && let Err(e) = std::fs::write(path, &json)
    {
        progress.suspend(|| say!("error: cannot write {}: {e}", path.display()));
        return EXIT_INPUT;
    }
    let text = match args.output {
        VerifyFormat::Json => json,
        VerifyFormat::Table => live::render::render_table(&report, std::io::stdout().is_terminal()),
    };
    if let Some(code) = progress.suspend(|| super::stdio::print_or_code(&text)) {
        return code;
    }
    if report.has_findings() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
