//! `ing2gw validate`: user-edited Gateway API manifests (files, folders, stdin,
//! or the cluster's objects) against the schema and CEL rules of the targeted
//! Gateway API version and channel, offline. The checks are
//! [`crate::validate::manifests`]; this module reads, renders and reports.
//!
//! The same reading and checking runs inside `diff --against DIR` and `verify
//! --gateway-api` ([`read_documents`], [`announce`]), so a broken edit is named at
//! its field before anything is compared.

use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, ReportFormat, ValidateArgs};
use crate::input::{
    DocumentsRead, LineIndex, Origin, ReadOptions, SourceFile, SourceMap, for_each_document,
    read_inputs,
};
use crate::options::TranslateOptions;
use crate::report::{Notification, Report, Severity, render};
use crate::target::gateway_api::GatewayApiProfile;
use crate::validate::manifests::{Checked, check_documents, check_documents_judged};
use serde_json::Value;
use std::io::IsTerminal;

/// Documents read from files, with what could not be read.
pub(super) struct ReadDocuments {
    pub docs: Vec<(Value, Origin)>,
    pub sources: SourceMap,
    /// Read problems and documents that are not valid YAML/JSON.
    pub notes: Vec<Notification>,
    /// How many of those make the input incomplete (exit 2).
    pub errors: usize,
    /// For each of `docs`, the generated object whose printed text its file
    /// still holds ([`documents_of_known`]); empty when none was known.
    pub printed: Vec<Option<usize>>,
}

/// Reads every document of `paths` (the `-f` conventions and limits: folders,
/// comma lists, `-` for stdin; `List`s unpacked, each item keeping its place).
pub(super) fn read_documents(
    paths: &[String],
    options: &ReadOptions,
) -> Result<ReadDocuments, String> {
    let read = read_inputs(paths, options).map_err(|e| e.to_string())?;
    let mut documents = documents_of(&read.files);
    let mut report = Report::default();
    report.extend(read.notifications());
    report.extend(documents.notes);
    documents.notes = report.finish();
    documents.errors += read.errors();
    Ok(documents)
}

/// Every document of files already read (`diff` and `verify` read their files
/// once: stdin cannot be read twice).
pub(super) fn documents_of(files: &[SourceFile]) -> ReadDocuments {
    documents_of_known(files, &|_| None)
}

/// Given a file's whole text, the generated object whose printed text it is:
/// the document that file stands for (what validation's checks across
/// documents read of it, see [`check_documents_judged`]) and the object's
/// index ([`documents_of_known`]).
pub(super) type Known<'a> = dyn Fn(&str) -> Option<(Value, usize)> + Sync + 'a;

/// [`documents_of`] on this thread only: `verify --gateway-api`, whose time is
/// in the verification, keeps the peak memory of a sequential read (documents
/// parsed on the rayon threads are held in their allocator arenas: +35% peak
/// RSS on the shapes of issue 13, for no CPU saved).
pub(super) fn documents_in_order(files: &[SourceFile]) -> ReadDocuments {
    gather(files, files.iter().map(parse_file).collect())
}

/// [`documents_of`], where `known` may already know a file: given its whole
/// text, the generated object whose text `print --output-dir` writes (`diff
/// --against DIR` knows them all) and which kept its rules when it was
/// emitted. A committed file still holding that text is not parsed: its
/// document is what [`Known`] gives for that object, marked in
/// [`ReadDocuments::printed`], and validation does not judge its rules again.
/// Only a file of one YAML document is taken so, and only a Kubernetes object
/// that is neither a `List` nor a `Secret` (whose text would be withheld): its
/// origin and the (absent) notes are those the parser gives.
///
/// The files are parsed in parallel (an `--against` folder written by `print
/// --output-dir` is thousands of one-object files) and gathered in file order:
/// the documents, the notes (sorted stably at the end, as when pushed file by
/// file) and the sources are those of a walk of the files one after the other.
pub(super) fn documents_of_known(files: &[SourceFile], known: &Known<'_>) -> ReadDocuments {
    use rayon::prelude::*;
    let parsed: Vec<_> = files
        .par_iter()
        .map(|file| match known_document(file, known) {
            Some((doc, printed)) => FileDocuments {
                docs: vec![doc],
                report: Report::default(),
                found: DocumentsRead::default(),
                printed: Some(printed),
            },
            None => parse_file(file),
        })
        .collect();
    gather(files, parsed)
}

/// What one file holds.
struct FileDocuments {
    docs: Vec<(Value, Origin)>,
    report: Report,
    found: DocumentsRead,
    /// Its one document is the printed text of this generated object.
    printed: Option<usize>,
}

fn parse_file(file: &SourceFile) -> FileDocuments {
    let mut report = Report::default();
    let mut docs = Vec::new();
    let found = for_each_document(file, &mut report, |value, origin, _, _| {
        if !value.is_null() {
            docs.push((value, origin.clone()));
        }
    });
    FileDocuments {
        docs,
        report,
        found,
        printed: None,
    }
}

/// The files' documents in file order, their notes sorted (stably: per file
/// first, then all, which orders them as one sort of the notes pushed file by
/// file) and their sources.
fn gather(files: &[SourceFile], parsed: Vec<FileDocuments>) -> ReadDocuments {
    let mut report = Report::default();
    let mut errors = 0;
    let count = parsed.iter().map(|f| f.docs.len()).sum();
    let mut docs = Vec::with_capacity(count);
    let mut printed = Vec::with_capacity(count);
    let mut sources = SourceMap::default();
    for (file, read) in files.iter().zip(parsed) {
        printed.extend(std::iter::repeat_n(read.printed, read.docs.len()));
        docs.extend(read.docs);
        report.extend(read.report.finish());
        errors += read.found.errors;
        sources.insert_withholding(file, &read.found.withheld);
    }
    ReadDocuments {
        docs,
        sources,
        notes: report.finish(),
        errors,
        printed,
    }
}

/// The one document of `file` when `known` has it (see [`documents_of_known`]),
/// with the origin the parser would give it: the whole file.
fn known_document(file: &SourceFile, known: &Known<'_>) -> Option<((Value, Origin), usize)> {
    let text = &file.text;
    // YAML read as one document: no document marker splits it (the reader's
    // markers: `---` alone or before a space or tab, `...` alone).
    let yaml = !file.name.ends_with(".json") && file.name != "<stdin>";
    // Most texts hold neither marker anywhere: no line to look at.
    let one_document = !(text.contains("---") || text.contains("..."))
        || text.lines().all(|line| {
            let bare = line.trim_end_matches('\r');
            !(bare == "---"
                || bare.starts_with("--- ")
                || bare.starts_with("---\t")
                || bare == "...")
        });
    if !yaml || !one_document {
        return None;
    }
    let (value, printed) = known(text)?;
    let kind = value.get("kind").and_then(Value::as_str)?;
    if kind.is_empty() || kind.ends_with("List") || kind == "Secret" {
        return None;
    }
    let origin = Origin::File {
        file: std::sync::Arc::from(file.name.as_str()),
        text: text.clone(),
        lines: std::sync::Arc::new(LineIndex::new(text)),
        doc_offset: 0,
        doc_len: text.len(),
    };
    Some(((value, origin), printed))
}

/// The options whose profile judges the objects: `--gateway-api-version`
/// (default: the release the `--implementation` version is built on, or the
/// cluster's CRDs when reading a cluster) and `--channel`.
fn options(args: &ValidateArgs) -> TranslateOptions {
    TranslateOptions {
        channel: args.channel.unwrap_or_default(),
        channel_explicit: args.channel.is_some(),
        gateway_api_version: args.gateway_api_version,
        target: args.implementation.clone(),
        ..TranslateOptions::default()
    }
}

/// For `diff`: validates `documents` against `profile` (not the rules of a
/// document [`ReadDocuments::printed`] marks) and prints what is broken
/// (errors only) on stderr. Returns the number of errors.
pub(super) fn announce(
    documents: &ReadDocuments,
    profile: &GatewayApiProfile,
    what: &str,
) -> (usize, Vec<Notification>) {
    let printed = |i: usize| documents.printed.get(i).is_some_and(Option::is_some);
    announce_checked(
        check_documents_judged(&documents.docs, profile, false, &printed),
        &documents.sources,
        profile,
        what,
    )
}

/// [`announce`] of documents checked earlier (`verify` checks them before it
/// decodes them, which fills in default namespaces, and names what is broken
/// only once they decoded).
pub(super) fn announce_checked(
    checked: Checked,
    sources: &SourceMap,
    profile: &GatewayApiProfile,
    what: &str,
) -> (usize, Vec<Notification>) {
    let errors = checked.errors();
    if errors > 0 {
        let rendered = render::render_human(
            &checked.notes,
            sources,
            super::stderr_color(),
            Severity::Warning,
        );
        super::stdio::say(format_args!("{rendered}"));
        say!(
            "error: {errors} problem(s) in {what} that kubectl apply would reject ({}); `ing2gw validate` lists them too",
            profile.describe()
        );
    }
    (errors, checked.notes)
}

/// `ing2gw validate`.
pub fn run(args: &ValidateArgs) -> u8 {
    let mut options = options(args);
    let (read, inputs) = if args.filename.is_empty() {
        match from_cluster(args, &mut options) {
            Ok(r) => (r, Vec::new()),
            Err(e) => {
                say!("error: {e}");
                return EXIT_INPUT;
            }
        }
    } else {
        let options = ReadOptions {
            limits: crate::input::ReadLimits {
                max_file_size: args.max_file_size,
                max_input_size: args.max_input_size,
            },
            follow_symlinks: args.follow_symlinks,
        };
        match read_documents(&args.filename, &options) {
            Ok(r) => (r, args.filename.clone()),
            Err(e) => {
                say!("error: {e}");
                return EXIT_INPUT;
            }
        }
    };
    let profile = options.gateway_api();
    let checked = check_documents(&read.docs, &profile, true);
    let mut report = Report::default();
    report.extend(read.notes);
    report.extend(checked.notes.iter().cloned());
    let notes = report.finish();
    let min = if args.quiet {
        Severity::Warning
    } else {
        Severity::Info
    };
    let rendered = render::render_human(&notes, &read.sources, super::stderr_color(), min);
    super::stdio::say(format_args!("{rendered}"));
    say!("{}", summary(&checked, &profile));
    // SARIF locates a note without a span at its object's document: every note
    // here that has an object has a span already.
    let objects = Default::default();
    if let Err(code) = super::sarif::write(
        &args.sarif,
        args.report.as_deref(),
        &inputs,
        &notes,
        &objects,
    ) {
        return code;
    }
    if let Some(path) = args
        .report
        .as_ref()
        .filter(|_| args.sarif.report_format == ReportFormat::Json)
    {
        let json = serde_json::json!({
            "gatewayApi": profile.describe(),
            "validated": checked.validated,
            "notValidated": checked.not_validated,
            "errors": checked.errors(),
            "notifications": notes,
        });
        let text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "{}".into());
        if let Err(e) = std::fs::write(path, text + "\n") {
            say!("error: cannot write {}: {e}", path.display());
            return EXIT_INPUT;
        }
    }
    if read.errors > 0 {
        EXIT_INPUT
    } else if checked.errors() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn summary(checked: &Checked, profile: &GatewayApiProfile) -> String {
    let verdict = match checked.errors() {
        0 => "valid".to_string(),
        n => format!("{n} problem(s)"),
    };
    format!(
        "ing2gw validate: {} object(s) checked against {}: {verdict}; {} object(s) of other kinds not validated",
        checked.validated,
        profile.describe(),
        checked.not_validated
    )
}

/// The Gateway API objects of the cluster (`-n`, `-A`, or the context's
/// namespace), read like `diff --against cluster`. What could not be listed is
/// a warning (as there): the objects that were read are still validated. The
/// version and channel follow the cluster's CRDs unless given, as for print.
fn from_cluster(
    args: &ValidateArgs,
    options: &mut TranslateOptions,
) -> Result<ReadDocuments, String> {
    let opts = crate::cluster::ClusterOptions {
        kubeconfig: args.kubeconfig.clone(),
        context: args.context.clone(),
        namespaces: args.namespace.clone(),
        all_namespaces: args.all_namespaces,
        timeout: args.request_timeout,
        progress: std::io::stderr().is_terminal(),
        ..Default::default()
    };
    let snapshot =
        crate::cluster::blocking_read_gateway_objects(&opts, &[]).map_err(|e| e.to_string())?;
    let mut report = Report::default();
    for w in &snapshot.warnings {
        report.push(super::input::warning_notification(w));
    }
    if args.gateway_api_version.is_none() || args.channel.is_none() {
        let class = options.gateway_class_for(super::DEFAULT_INGRESS_CLASS);
        let crds = crate::cluster::crds::blocking_read_gateway_api_crds(&opts, &class);
        report.extend(super::input::apply_detection(crds, options));
    }
    let docs = snapshot
        .objects
        .into_iter()
        .map(|o| (o.value, Origin::Cluster))
        .collect();
    Ok(ReadDocuments {
        docs,
        sources: SourceMap::default(),
        notes: report.finish(),
        errors: 0,
        printed: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: Arc::from(text),
        }
    }

    const ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: a}\n";

    /// A file whose whole text is known takes the known value (here marked, to
    /// tell it from a parse) with the origin the parser gives; a file of two
    /// documents, a JSON file and a known `Secret` are parsed.
    #[test]
    fn a_known_text_is_not_parsed() {
        let known = |text: &str| {
            (text == ROUTE || text.contains("Secret")).then(|| {
                let mut v: Value = serde_saphyr::from_str(text).expect("yaml");
                v["known"] = Value::Bool(true);
                (v, 7)
            })
        };
        let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n";
        let files = [
            file("one.yaml", ROUTE),
            file("two.yaml", &format!("{ROUTE}---\n{ROUTE}")),
            file("r.json", ROUTE),
            file("s.yaml", secret),
        ];
        let known_docs = documents_of_known(&files, &known);
        let parsed = documents_of(&files);
        let marked: Vec<bool> = known_docs
            .docs
            .iter()
            .map(|(v, _)| v.get("known").is_some())
            .collect();
        assert_eq!(marked, [true, false, false, false]);
        assert_eq!(known_docs.printed, [Some(7), None, None, None]);
        assert_eq!(parsed.printed, [None; 4]);
        let spans =
            |d: &ReadDocuments| -> Vec<_> { d.docs.iter().map(|(_, o)| o.doc_span()).collect() };
        assert_eq!(spans(&known_docs), spans(&parsed));
        assert_eq!(known_docs.notes, parsed.notes);
        assert!(
            !parsed.notes.is_empty(),
            "the JSON file's YAML text is an error"
        );
    }
}
