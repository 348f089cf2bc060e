//! The input of every command that translates: files with `-f`, else the cluster.
//! Cluster objects get the same provenance as file objects (kind/namespace/name),
//! only without a file span; reader warnings (a namespace that may not be listed,
//! a missing ConfigMap) become notifications so they reach `--report` too.

use super::{InputArgs, TranslateArgs};
use crate::cluster::{self, ClusterSnapshot, ClusterWarning};
use crate::input::{self, InputSet, SourceMap, read_inputs};
use crate::options::TranslateOptions;
use crate::pipeline::{self, Loaded};
use crate::report::{Code, Notification, ObjectRef, Report};
use std::io::IsTerminal;

/// Something the cluster reader could not read, but the run went on.
pub const CLUSTER_READ: Code = Code("cluster-read");

/// Decoded input and the translation options that go with it.
pub struct Prepared {
    pub loaded: Loaded,
    pub options: TranslateOptions,
    /// The kubeconfig context when the input came from the cluster.
    pub context: Option<String>,
}

/// Reads files or the cluster; the error is a message for the user (exit code 2).
pub fn prepare(input: &InputArgs, translate: &TranslateArgs) -> Result<Prepared, String> {
    let mut options = translate.options();
    if !input.from_cluster() {
        let read =
            read_inputs(&input.filename, &input.read_options()).map_err(|e| e.to_string())?;
        let mut loaded = pipeline::load(&read.files);
        // What was not read is an input error like a document that does not parse.
        loaded.input.input_errors += read.errors();
        loaded.report.extend(read.notifications());
        return Ok(Prepared {
            loaded,
            options,
            context: None,
        });
    }
    let cluster_options = input.cluster_options(
        translate.nginx_configmap.clone(),
        std::io::stderr().is_terminal(),
    );
    let snapshot =
        cluster::blocking_read_ingress_inputs(&cluster_options).map_err(|e| e.to_string())?;
    let prefix_note = discovered_prefix(translate, &snapshot, &mut options);
    let mut chosen = None;
    if options.nginx_configmap.is_none() {
        options.nginx_configmap = discovered_configmap(&snapshot);
        chosen = options.nginx_configmap.clone();
    }
    let several = snapshot
        .objects
        .iter()
        .filter(|o| o.kind == "ConfigMap")
        .count()
        > 1;
    let context = snapshot.context.clone();
    let mut loaded = load_snapshot(snapshot);
    loaded.report.extend(prefix_note);
    if let (Some((ns, name)), true) = (chosen, several) {
        loaded.report.push(
            Notification::warning(
                CLUSTER_READ,
                format!(
                    "several ingress-nginx controller ConfigMaps were found; {ns}/{name} is used as the defaults of annotations"
                ),
            )
            .field("configmaps")
            .suggest("pass --nginx-configmap NAMESPACE/NAME for the controller that serves these Ingresses"),
        );
    }
    Ok(Prepared {
        loaded,
        options,
        context: Some(context),
    })
}

/// The controller's `--annotations-prefix`, when the user gave none: ingress-nginx
/// enforces only the annotations under its prefix, so translating with another
/// one would lose allow-lists and auth. Several controllers with different
/// prefixes: the first (sorted) is used and a warning says so.
fn discovered_prefix(
    translate: &TranslateArgs,
    snapshot: &ClusterSnapshot,
    options: &mut TranslateOptions,
) -> Option<Notification> {
    if translate.annotations_prefix.is_some() {
        return None;
    }
    let first = snapshot.annotation_prefixes.first()?;
    options.annotation_prefix = format!("{first}/");
    let n = if snapshot.annotation_prefixes.len() > 1 {
        Notification::warning(
            CLUSTER_READ,
            format!(
                "the ingress-nginx controllers use different --annotations-prefix values ({}); {first} is used",
                snapshot.annotation_prefixes.join(", ")
            ),
        )
        .suggest("pass --annotations-prefix (and --nginx-configmap) for the controller that serves these Ingresses")
    } else {
        Notification::info(
            CLUSTER_READ,
            format!(
                "the ingress-nginx controller runs with --annotations-prefix {first}: annotations under that prefix are translated, those under nginx.ingress.kubernetes.io/ are ignored like the controller ignores them"
            ),
        )
    };
    Some(n.field("annotations-prefix"))
}

/// The controller ConfigMap found from the controller's `--configmap` flag. When
/// several controllers were found the reader has already warned; the first (sorted)
/// is used, as named in that warning.
fn discovered_configmap(snapshot: &ClusterSnapshot) -> Option<(String, String)> {
    snapshot
        .objects
        .iter()
        .find(|o| o.kind == "ConfigMap")
        .and_then(|o| Some((o.namespace.clone()?, o.name.clone())))
}

/// Decodes cluster objects like file documents (no spans).
pub fn load_snapshot(snapshot: ClusterSnapshot) -> Loaded {
    let mut set = InputSet::default();
    let mut report = Report::default();
    for warning in &snapshot.warnings {
        report.push(warning_notification(warning));
    }
    input::decode_values(
        snapshot.objects.into_iter().map(|o| o.value).collect(),
        &mut set,
        &mut report,
    );
    if let Some(n) = input::skipped_kinds_notification(&set) {
        report.push(n);
    }
    Loaded {
        input: set,
        sources: SourceMap::default(),
        report,
    }
}

pub fn warning_notification(warning: &ClusterWarning) -> Notification {
    // The reader's warnings are either RBAC denials or things it could not find.
    let suggestion = if warning.message.contains("not allowed") {
        "grant the read access listed in docs/rbac.md, or narrow the run with -n"
    } else if warning.resource == "configmaps" {
        "pass --nginx-configmap NAMESPACE/NAME (or -f with the ConfigMap manifest)"
    } else {
        "see docs/cluster.md for what is read and why"
    };
    let mut n = Notification::warning(CLUSTER_READ, warning.message.clone())
        .field(warning.resource.clone())
        .suggest(suggestion);
    if let Some(ns) = &warning.namespace {
        n = n.object(&ObjectRef::new("Namespace", None, ns));
    }
    n
}
