//! `ing2gw diff`: what applying the generated objects would change.

use super::{ColorChoice, DiffArgs, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK};
use crate::cluster;
use crate::diff::{self, CompareOptions, Manifest, ObjectKey, rules::IgnoreRules};
use crate::gwapi::{GENERATOR_ANNOTATION, GatewayObject};
use crate::input::{ReadOutcome, read_inputs};
use crate::pipeline;
use crate::report::{Severity, render};
use serde_json::Value;
use std::collections::BTreeSet;
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
    let generated = generated_manifests(&t.objects)?;
    let generated_keys: BTreeSet<ObjectKey> = generated.iter().map(|m| m.key.clone()).collect();
    drop(t);
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
        let (live, unread) = live_manifests(args, &generated)?;
        let mut report = diff::compare(generated, live, AGAINST_CLUSTER, &options);
        report.mark_unknown(|key| unread.why(key));
        report
    } else {
        let read = read_inputs(
            std::slice::from_ref(&args.against),
            &args.input.read_options(),
        )
        .map_err(|e| e.to_string())?;
        let documents = super::validate::documents_of(&read.files);
        invalid =
            super::validate::announce(&documents.docs, &documents.sources, &profile, &args.against)
                .0;
        drop(documents);
        let all = file_manifests(read)?;
        let listed = listed_files(Path::new(&args.against));
        let (managed, not_managed): (Vec<Manifest>, Vec<Manifest>) =
            all.into_iter().partition(|m| {
                args.include_unmanaged
                    || generated_keys.contains(&m.key)
                    || generated_by_ing2gw(&m.value)
                    || listed.contains(&relative(&args.against, &m.origin))
            });
        let mut report = diff::compare(generated, managed, &args.against, &options);
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

fn generated_manifests(objects: &[GatewayObject]) -> Result<Vec<Manifest>, String> {
    objects
        .iter()
        .map(|o| {
            let value = serde_json::to_value(o).map_err(|e| e.to_string())?;
            let (kind, ns, name) = o.identity();
            Manifest::new(value, "generated")
                .ok_or_else(|| format!("generated {kind} {ns}/{name} has no name"))
        })
        .collect()
}

/// Every object of the files read from `--against`; `kind: List` is flattened
/// and a `kustomization.yaml` (as written by `print --output-dir`) is skipped.
fn file_manifests(read: ReadOutcome) -> Result<Vec<Manifest>, String> {
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
    let files = read.files;
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
        if wanted.contains(&m.key) || generated_by_ing2gw(&m.value) {
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
