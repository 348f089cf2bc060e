//! `ing2gw diff`: what applying the generated objects would change.

use super::validate::ReadDocuments;
use super::{ColorChoice, DiffArgs, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK};
use crate::cluster;
use crate::diff::{self, Body, CompareOptions, Manifest, ObjectKey, rules::IgnoreRules};
use crate::gwapi::{GENERATOR_ANNOTATION, GatewayObject};
use crate::input::{Origin, ReadOutcome, SourceFile, read_inputs};
use crate::pipeline;
use crate::report::{Severity, render};
use crate::target::gateway_api::GatewayApiProfile;
use crate::validate::manifests;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::io::IsTerminal;
use std::path::Path;

/// The `--against` value that selects the live cluster.
const AGAINST_CLUSTER: &str = "cluster";

pub fn run(args: &DiffArgs) -> u8 {
    match diff(args) {
        Ok(code) => code,
        Err(e) => {
            say!("error: {e}");
            EXIT_INPUT
        }
    }
}

fn diff(args: &DiffArgs) -> Result<u8, String> {
    let rules = IgnoreRules::with_user(&args.ignore_annotation, &args.ignore_field)?;
    let (prepared, progress) = super::progress::read(&args.input, &args.translate, args.quiet)?;
    let loaded = prepared.loaded;
    let input_errors = loaded.input.input_errors;
    // Neither the input nor the IR is read again: both go before the committed
    // side is parsed (memory, issue 13).
    let mut t = pipeline::translate_owned(loaded.input, &prepared.options, loaded.report);
    t.ir = Default::default();
    // A partial selection compares only what it emits (its routes, and the
    // shared objects it owns).
    if let Some(plan) = &prepared.plan {
        plan.apply(&mut t.objects, &mut t.notifications, &[]);
    }
    // The rest reads --against (the cluster reader draws its own spinner) and
    // prints: nothing long enough to show a stage for.
    drop(progress);
    if !args.quiet {
        let rendered = render::render_human(
            &t.notifications,
            &loaded.sources,
            super::stderr_color(),
            Severity::Warning,
        );
        super::stdio::say(format_args!("{rendered}"));
    }
    if input_errors > 0 {
        return Err(format!(
            "{input_errors} input document(s) could not be read; nothing compared"
        ));
    }
    let profile = prepared.options.gateway_api();
    let objects = std::mem::take(&mut t.objects);
    drop(t);
    let keys = generated_keys(&objects)?;
    let generated_keys: BTreeSet<ObjectKey> = keys.iter().cloned().collect();
    let cluster = args.against == AGAINST_CLUSTER;
    let options = CompareOptions {
        rules,
        owned_metadata_only: cluster,
    };
    // A broken edit in the compared files is named at its field before the
    // comparison; it makes the exit code 1 (the files still parse, so the
    // comparison is still made and shown).
    let mut invalid = 0;
    let report = if cluster {
        let generated = generated_manifests(&objects, keys, &[])?;
        drop(objects);
        let (live, unread) = live_manifests(args, &generated)?;
        let mut report = diff::compare(generated, live, AGAINST_CLUSTER, &options);
        report.mark_unknown(|key| unread.why(key));
        report
    } else {
        // Every emitted object kept its rules (the pipeline withholds one that
        // breaks them); a partial selection's plan may have changed the
        // objects since, so theirs are judged again here.
        let printed = printed_texts(&objects, prepared.plan.is_some().then_some(&profile));
        let read = read_inputs(
            std::slice::from_ref(&args.against),
            &args.input.read_options(),
        )
        .map_err(|e| e.to_string())?;
        // A committed file that still holds what `print --output-dir` writes
        // for a generated object is that object: not parsed, validated or
        // compared again.
        let known = |text: &str| {
            let &i = printed.get(text)?;
            Some((manifests::across_documents(objects.get(i)?), i))
        };
        let documents = super::validate::documents_of_known(&read.files, &known);
        drop(printed);
        let mut matched = vec![false; objects.len()];
        for &i in documents.printed.iter().flatten() {
            if let Some(m) = matched.get_mut(i) {
                *m = true;
            }
        }
        let generated = generated_manifests(&objects, keys, &matched)?;
        invalid = super::validate::announce(&documents, &profile, &args.against).0;
        let all = file_manifests(read, documents)?;
        let listed = listed_files(Path::new(&args.against));
        let (managed, not_managed): (Vec<Manifest>, Vec<Manifest>) =
            all.into_iter().partition(|m| {
                args.include_unmanaged
                    || generated_keys.contains(&m.key)
                    || m.value().is_none_or(generated_by_ing2gw)
                    || listed.contains(&relative(&args.against, &m.origin))
            });
        let value_of = |i: usize| serde_json::to_value(objects.get(i)?).ok();
        let mut report =
            diff::compare_printed(generated, managed, &args.against, &options, &value_of);
        report.not_managed = not_managed.into_iter().map(|m| m.key).collect();
        report.not_managed.sort();
        if !report.not_managed.is_empty() {
            let names: Vec<String> = report
                .not_managed
                .iter()
                .take(10)
                .map(|k| k.to_string())
                .collect();
            let more = report.not_managed.len().saturating_sub(10);
            say!(
                "info: {} object(s) in {} not managed by ing2gw, not compared (--include-unmanaged compares them): {}{}",
                report.not_managed.len(),
                args.against,
                names.join(", "),
                if more > 0 {
                    format!(" … (+{more})")
                } else {
                    String::new()
                }
            );
        }
        report
    };
    let written = super::stdio::print_or_code(&report.render(use_color(args.color)));
    say!("{}", report.summary());
    if let Some(code) = written {
        return Ok(code);
    }
    Ok(if report.has_differences() || invalid > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// The generated objects' keys; a nameless one is the error.
fn generated_keys(objects: &[GatewayObject]) -> Result<Vec<ObjectKey>, String> {
    objects
        .iter()
        .map(|o| {
            ObjectKey::of(&manifests::identity(o)).ok_or_else(|| {
                let (kind, ns, name) = o.identity();
                format!("generated {kind} {ns}/{name} has no name")
            })
        })
        .collect()
}

/// The generated objects with their `keys`: a `matched` one (a committed file
/// holds its printed text) as [`Body::Printed`], the others as JSON values,
/// converted on every core; the first failure in object order is the error.
fn generated_manifests(
    objects: &[GatewayObject],
    keys: Vec<ObjectKey>,
    matched: &[bool],
) -> Result<Vec<Manifest>, String> {
    use rayon::prelude::*;
    let bodies: Vec<Result<Body, String>> = objects
        .par_iter()
        .enumerate()
        .map(|(i, o)| {
            if matched.get(i).copied().unwrap_or(false) {
                return Ok(Body::Printed(i));
            }
            serde_json::to_value(o)
                .map(Body::Value)
                .map_err(|e| e.to_string())
        })
        .collect();
    keys.into_iter()
        .zip(bodies)
        .map(|(key, body)| {
            Ok(Manifest {
                key,
                body: body?,
                origin: "generated".into(),
            })
        })
        .collect()
}

/// The file text `print --output-dir` writes for each of `objects`
/// ([`crate::output::object_yaml`]), to the object's index; serialised on every
/// core. Two objects of the same text are the same value: the first is kept.
/// With `judge`, only the objects that keep the rules of that profile.
fn printed_texts(
    objects: &[GatewayObject],
    judge: Option<&GatewayApiProfile>,
) -> HashMap<String, usize> {
    use rayon::prelude::*;
    let texts: Vec<Option<String>> = objects
        .par_iter()
        .map(|o| {
            if let Some(profile) = judge
                && !crate::validate::validate_object(o, profile).is_empty()
            {
                return None;
            }
            crate::output::object_yaml(o).ok()
        })
        .collect();
    let mut printed = HashMap::with_capacity(texts.len());
    for (i, text) in texts.into_iter().enumerate() {
        if let Some(text) = text {
            printed.entry(text).or_insert(i);
        }
    }
    printed
}

/// Every object of the files read from `--against`; `kind: List` is flattened
/// and a `kustomization.yaml` (as written by `print --output-dir`) is skipped.
///
/// `documents` are the files' documents as validation parsed them: when they
/// are what [`parse_files`] would find ([`same_as_parsed`]), the objects are
/// taken from them and the files are not parsed a second time; otherwise (a
/// document that did not parse, was skipped or is malformed) the files are
/// parsed as before, for the same objects, the same error and exit code.
fn file_manifests(read: ReadOutcome, documents: ReadDocuments) -> Result<Vec<Manifest>, String> {
    // A comparison with files that were not read would report their objects as removed.
    for problem in &read.problems {
        if problem.severity() == Severity::Error {
            return Err(format!("{}: {}", problem.path, problem.problem));
        }
        say!(
            "{}: {}: {}",
            problem.severity(),
            problem.path,
            problem.problem
        );
    }
    if same_as_parsed(&read.files, &documents) {
        let ReadDocuments { docs, printed, .. } = documents;
        let mut out = Vec::with_capacity(docs.len());
        for (k, (doc, origin)) in docs.into_iter().enumerate() {
            // Documents of files come from files.
            let file = match &origin {
                Origin::File { file, .. } => file.as_ref(),
                Origin::Cluster => AGAINST_CLUSTER,
            };
            // A file holding a generated object's printed text: its document
            // is that object's identity, and the object is its body.
            if let Some(i) = printed.get(k).copied().flatten()
                && let Some(key) = ObjectKey::of(&doc)
            {
                out.push(Manifest {
                    key,
                    body: Body::Printed(i),
                    origin: file.to_string(),
                });
                continue;
            }
            collect(doc, file, &mut out)?;
        }
        return Ok(out);
    }
    drop(documents);
    parse_files(read.files)
}

/// Whether the validated documents of `files` are the objects [`parse_files`]
/// finds, in the same order: every document parsed and was a Kubernetes
/// object or a well-formed `List` (validation noted nothing: no syntax error,
/// no skipped document, no malformed `List`, no JSON duplicate key), both
/// readers took each file for the same language (`-` holding JSON is JSON to
/// validation, YAML here), and no document can be an item-less `…List`
/// (validation drops one; [`collect`] takes it for an object). The last two
/// are judged on the text, conservatively: a word ending in `List` (but the
/// value `List` of a `kind` key), or an escape that could spell one, takes the
/// slow path.
fn same_as_parsed(files: &[SourceFile], documents: &ReadDocuments) -> bool {
    documents.errors == 0
        && documents.notes.is_empty()
        && files.iter().all(|file| {
            let text = &file.text;
            let json_to_validation =
                file.name == "<stdin>" && text.trim_start().starts_with(['{', '[']);
            !json_to_validation && !may_name_a_list(text)
        })
}

/// A word ending in `List` other than the value `List` of a `kind` key
/// (`kind: ServiceList`, `kind: Service List`, `name: List`), or a backslash
/// escape (`\x4c`, `\u004c`, a line continuation) that could spell one.
fn may_name_a_list(text: &str) -> bool {
    let after = |i: usize| text.as_bytes().get(i).copied();
    let plain_kind = |i: usize| {
        let before = &text[..i];
        [
            "kind: ",
            "kind: \"",
            "kind: '",
            "\"kind\": \"",
            "\"kind\":\"",
        ]
        .iter()
        .any(|p| before.ends_with(p))
    };
    let list_word = text
        .match_indices("List")
        .any(|(i, _)| !after(i + 4).is_some_and(|b| b.is_ascii_alphanumeric()) && !plain_kind(i));
    let escape = text
        .match_indices('\\')
        .any(|(i, _)| matches!(after(i + 1), Some(b'x' | b'u' | b'U' | b'\n' | b'\r')));
    list_word || escape
}

/// [`file_manifests`] by parsing `files` (the comparison's own reading).
fn parse_files(files: Vec<SourceFile>) -> Result<Vec<Manifest>, String> {
    let mut out = Vec::new();
    for file in files {
        let docs: Vec<Value> = if file.name.ends_with(".json") {
            serde_json::Deserializer::from_str(&file.text)
                .into_iter::<Value>()
                .collect::<Result<_, _>>()
                .map_err(|e| format!("{}: not valid JSON: {e}", file.name))?
        } else {
            serde_saphyr::from_multiple_with_options(
                &file.text,
                crate::input::yaml_stream_options(file.text.len()),
            )
            .map_err(|e| format!("{}: not valid YAML: {}", file.name, e.without_snippet()))?
        };
        for doc in docs {
            collect(doc, &file.name, &mut out)?;
        }
    }
    Ok(out)
}

fn collect(doc: Value, origin: &str, out: &mut Vec<Manifest>) -> Result<(), String> {
    if doc.is_null() {
        return Ok(());
    }
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
    if kind == "List" || (kind.ends_with("List") && doc.get("items").is_some()) {
        let mut doc = doc;
        if let Some(Value::Array(items)) = doc.get_mut("items") {
            for item in std::mem::take(items) {
                collect(item, origin, out)?;
            }
        }
        return Ok(());
    }
    if kind == "Kustomization" {
        return Ok(());
    }
    match Manifest::new(doc, origin) {
        Some(m) => {
            out.push(m);
            Ok(())
        }
        None => Err(format!(
            "{origin}: a document is not a Kubernetes object (no kind or metadata.name)"
        )),
    }
}

/// The files of an `--against` folder ing2gw wrote: those listed in its
/// `.ing2gw-manifest` (written by `print --output-dir`), else in its
/// `kustomization.yaml` `resources` (paths relative to the folder). Empty for a
/// file or a folder with neither.
fn listed_files(dir: &Path) -> BTreeSet<String> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let strings = |v: Option<&Value>| -> BTreeSet<String> {
        v.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|s| s.trim_start_matches("./").to_string())
            .collect()
    };
    if let Some(text) = read(crate::output::dir::MANIFEST)
        && let Ok(manifest) = serde_json::from_str::<Value>(&text)
    {
        return strings(manifest.get("files"));
    }
    for name in ["kustomization.yaml", "kustomization.yml", "Kustomization"] {
        if let Some(text) = read(name)
            && let Ok(k) = serde_saphyr::from_str::<Value>(&text)
        {
            return strings(k.get("resources"));
        }
    }
    BTreeSet::new()
}

/// `origin` (a file read under `against`) relative to `against`, `/`-separated.
fn relative(against: &str, origin: &str) -> String {
    Path::new(origin)
        .strip_prefix(against)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_else(|_| origin.to_string())
}

/// The kinds `diff --against cluster` lists, by resource plural.
const LISTED_KINDS: [(&str, &str); 7] = [
    ("gateways", "Gateway"),
    ("httproutes", "HTTPRoute"),
    ("grpcroutes", "GRPCRoute"),
    ("tlsroutes", "TLSRoute"),
    ("referencegrants", "ReferenceGrant"),
    ("listenersets", "ListenerSet"),
    ("backendtlspolicies", "BackendTLSPolicy"),
];

/// What the cluster reader could not list: (namespace, `None` for all; kind) → why.
struct Unread(Vec<(Option<String>, String, String)>);

impl Unread {
    /// Why the live side of `key` is not known (`None`: it was read).
    fn why(&self, key: &ObjectKey) -> Option<String> {
        let listed = key.group == "gateway.networking.k8s.io"
            && LISTED_KINDS.iter().any(|(_, k)| *k == key.kind);
        if !listed {
            return Some(format!(
                "diff does not read {} ({}) from the cluster; compare it with kubectl diff",
                key.kind, key.group
            ));
        }
        self.0
            .iter()
            .find(|(ns, kind, _)| {
                kind == &key.kind && ns.as_ref().is_none_or(|ns| ns == &key.namespace)
            })
            .map(|(_, _, why)| why.clone())
    }
}

/// The live Gateway API objects in the namespaces of the generated objects (and
/// the `-n` scope when the input came from the cluster; every namespace with
/// `-A`, also with `-f`). Live objects that ing2gw did not generate (no generator
/// annotation naming it) are not compared: they are someone else's and applying
/// the output would not touch them. Also returns what could not be listed.
fn live_manifests(
    args: &DiffArgs,
    generated: &[Manifest],
) -> Result<(Vec<Manifest>, Unread), String> {
    let opts = args
        .input
        .cluster_options(None, std::io::stderr().is_terminal());
    let mut namespaces: BTreeSet<String> = generated
        .iter()
        .map(|m| m.key.namespace.clone())
        .filter(|ns| !ns.is_empty())
        .collect();
    let all = args.input.all_namespaces;
    if args.input.from_cluster() {
        namespaces.extend(args.input.namespace.iter().cloned());
    }
    let namespaces: Vec<String> = if all {
        Vec::new()
    } else {
        namespaces.into_iter().collect()
    };
    let read_opts = cluster::ClusterOptions {
        all_namespaces: all,
        ..opts
    };
    let snapshot = cluster::blocking_read_gateway_objects(&read_opts, &namespaces)
        .map_err(|e| e.to_string())?;
    let mut unread = Vec::new();
    for warning in &snapshot.warnings {
        say!("warning: {}", warning.message);
        let plural = warning.resource.split('.').next().unwrap_or_default();
        if let Some((_, kind)) = LISTED_KINDS.iter().find(|(p, _)| *p == plural) {
            unread.push((
                warning.namespace.clone(),
                kind.to_string(),
                warning.message.clone(),
            ));
        }
    }
    let wanted: BTreeSet<&diff::ObjectKey> = generated.iter().map(|m| &m.key).collect();
    let mut skipped = 0;
    let mut out = Vec::new();
    for object in snapshot.objects {
        let Some(m) = Manifest::new(object.value, AGAINST_CLUSTER) else {
            continue;
        };
        // An object with a generated name is compared whoever made it: applying
        // the output would overwrite it.
        if wanted.contains(&m.key) || m.value().is_some_and(generated_by_ing2gw) {
            out.push(m);
        } else {
            skipped += 1;
        }
    }
    if skipped > 0 {
        say!(
            "ing2gw diff: {skipped} live Gateway API object(s) not generated by ing2gw were not compared"
        );
    }
    if !all {
        say!(
            "ing2gw diff: only namespaces with generated objects were searched for stale ing2gw objects; -A searches them all"
        );
    }
    Ok((out, Unread(unread)))
}

fn generated_by_ing2gw(value: &Value) -> bool {
    value
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(GENERATOR_ANNOTATION))
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("ing2gw"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    type Shown = Result<Vec<(ObjectKey, Body, String)>, String>;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: Arc::from(text),
        }
    }

    fn read(files: &[SourceFile]) -> ReadOutcome {
        ReadOutcome {
            files: files.to_vec(),
            problems: Vec::new(),
        }
    }

    fn shown(manifests: Result<Vec<Manifest>, String>) -> Shown {
        manifests.map(|all| all.into_iter().map(|m| (m.key, m.body, m.origin)).collect())
    }

    /// Whether the validated documents were used, the objects taken from them
    /// (or parsed again), and the objects of the comparison's own parse.
    fn both_ways(files: &[SourceFile]) -> (bool, Shown, Shown) {
        let documents = super::super::validate::documents_of(files);
        let once = same_as_parsed(files, &documents);
        let from_documents = shown(file_manifests(read(files), documents));
        (once, from_documents, shown(parse_files(files.to_vec())))
    }

    const ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  hostnames:\n  - shop.example.com\n";

    #[test]
    fn the_validated_documents_are_the_objects_of_a_second_parse() {
        let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: gateway.networking.k8s.io/v1\n  kind: Gateway\n  metadata: {name: gw, namespace: infra}\n  spec: {gatewayClassName: eg, listeners: []}\n- apiVersion: gateway.networking.k8s.io/v1\n  kind: ReferenceGrant\n  metadata: {name: rg, namespace: infra}\n  spec: {from: [], to: []}\n";
        let json = r#"{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "j", "namespace": "a"}, "spec": {"rules": [{"backendRefs": [{"name": "s", "port": 80, "weight": 1.5}]}]}}"#;
        let files = [
            file("a/route.yaml", &format!("# comment\n---\n{ROUTE}---\n")),
            file("a/list.yaml", list),
            file(
                "a/kustomization.yaml",
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [route.yaml]\n",
            ),
            file("a/j.json", json),
            file(
                "a/other.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: \"1\"}\n",
            ),
            file("<stdin>", ROUTE),
        ];
        let (once, from_documents, parsed) = both_ways(&files);
        assert!(once, "clean files are taken from the validated documents");
        let objects = from_documents.clone().expect("objects");
        let names: Vec<&str> = objects.iter().map(|(k, _, _)| k.name.as_str()).collect();
        assert_eq!(names, ["web", "gw", "rg", "j", "c", "web"]);
        assert_eq!(objects[3].2, "a/j.json");
        assert_eq!(from_documents, parsed);
    }

    /// Where validation reads differently (it skips, drops or rejects what the
    /// comparison reads or rejects otherwise), the files are parsed again: the
    /// objects, the error and its message stay the comparison's own.
    #[test]
    fn what_validation_reads_differently_is_parsed_again() {
        let cases: [(&str, &str); 8] = [
            // An item-less `…List` is an object to the comparison, nothing to validation.
            (
                "l.yaml",
                "apiVersion: v1\nkind: ServiceList\nmetadata: {name: s}\n",
            ),
            (
                "<stdin>",
                r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}"#,
            ),
            (
                "d.json",
                r#"{"kind": "ConfigMap", "metadata": {"name": "c", "name": "d"}}"#,
            ),
            ("bad.yaml", "kind: HTTPRoute\nmetadata: {name: [\n"),
            ("nokind.yaml", "a: 1\n"),
            ("e.yaml", "kind: \"Service\\x4cist\"\nmetadata: {name: e}\n"),
            ("n.yaml", "apiVersion: v1\nkind: List\nitems:\n- null\n"),
            ("t.yaml", "kind: {{ .Values.kind }}\n"),
        ];
        for (name, text) in cases {
            let files = [file(name, text)];
            let (once, from_documents, parsed) = both_ways(&files);
            assert!(!once, "{name}: parsed again");
            assert_eq!(from_documents, parsed, "{name}");
        }
        let (_, objects, _) = both_ways(&[file("l.yaml", cases[0].1)]);
        assert_eq!(objects.expect("objects")[0].0.kind, "ServiceList");
        let (_, error, _) = both_ways(&[file("bad.yaml", cases[3].1)]);
        assert!(error.expect_err("bad").contains("bad.yaml: not valid YAML"));
    }

    /// A nameless object is the comparison's error on either path.
    #[test]
    fn a_nameless_object_is_the_same_error_from_the_documents() {
        let files = [file(
            "x.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
        )];
        let (once, from_documents, parsed) = both_ways(&files);
        assert!(once);
        assert_eq!(
            from_documents,
            Err("x.yaml: a document is not a Kubernetes object (no kind or metadata.name)".into())
        );
        assert_eq!(from_documents, parsed);
    }

    /// The objects come from the validated documents, not from a second parse of
    /// the text (the text here has changed since they were parsed).
    #[test]
    fn the_committed_side_is_parsed_once() {
        let validated = [file("r.yaml", ROUTE)];
        let documents = super::super::validate::documents_of(&validated);
        let changed = [file(
            "r.yaml",
            &ROUTE.replace("shop.example.com", "new.example.com"),
        )];
        let objects = shown(file_manifests(read(&changed), documents)).expect("objects");
        assert_eq!(objects.len(), 1);
        let Body::Value(value) = &objects[0].1 else {
            panic!("a parsed object has its value");
        };
        assert_eq!(
            value.pointer("/spec/hostnames/0"),
            Some(&Value::from("shop.example.com"))
        );
    }

    #[test]
    fn a_file_holding_a_printed_text_is_that_object() {
        let route: Value = serde_saphyr::from_str(ROUTE).expect("yaml");
        let key = ObjectKey::of(&route).expect("key");
        let identity = serde_json::json!({
            "apiVersion": route["apiVersion"],
            "kind": route["kind"],
            "metadata": route["metadata"],
        });
        let known = |text: &str| (text == ROUTE).then(|| (identity.clone(), 3));
        let files = [
            file("r.yaml", ROUTE),
            file("s.yaml", &ROUTE.replace("web", "api")),
        ];
        let documents = super::super::validate::documents_of_known(&files, &known);
        assert_eq!(documents.printed, [Some(3), None]);
        let objects = shown(file_manifests(read(&files), documents)).expect("objects");
        assert_eq!(objects[0], (key, Body::Printed(3), "r.yaml".to_string()));
        assert!(matches!(&objects[1].1, Body::Value(v) if v["metadata"]["name"] == "api"));
    }

    #[test]
    fn a_list_is_recognised_in_the_text() {
        for text in [
            "kind: ServiceList\n",
            "kind: \"FooList\"",
            "kind: FooList",
            "kind: Foo List\n",
            "kind: Foo\n  List\n",
            "name: List\n",
            "a: \"\\u004c\"",
            "a: \"x\\\n y\"",
        ] {
            assert!(may_name_a_list(text), "{text}");
        }
        for text in [
            "kind: ListenerSet\n",
            "kind: HTTPRoute\nname: a\\.b\n",
            "kind: List\nitems: []",
            "{\"kind\": \"List\", \"items\": []}",
            "- kind: 'List'\n",
        ] {
            assert!(!may_name_a_list(text), "{text}");
        }
    }
}
