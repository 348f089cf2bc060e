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
    /// A partial selection (`-n`, `-l`, `--host`): the input already holds only
    /// the selection and its context; apply the plan to the output.
    pub plan: Option<crate::selection::Plan>,
}

/// Reads files or the cluster; the error is a message for the user (exit code 2).
pub fn prepare(input: &InputArgs, translate: &TranslateArgs) -> Result<Prepared, String> {
    prepare_with(input, translate, None)
}

/// [`prepare`]; with `pack_above` and files of more bytes than that, the
/// Ingresses are kept packed ([`crate::input::InputIngress::pack`]) for a
/// sharded run, unless a selection (-n, -l, --host) needs them decoded.
pub fn prepare_with(
    input: &InputArgs,
    translate: &TranslateArgs,
    pack_above: Option<u64>,
) -> Result<Prepared, String> {
    let mut options = translate.options();
    if !input.from_cluster() {
        let read =
            read_inputs(&input.filename, &input.read_options()).map_err(|e| e.to_string())?;
        let bytes: u64 = read.files.iter().map(|f| f.text.len() as u64).sum();
        let pack = pack_above.is_some_and(|min| bytes > min);
        let mut loaded = pipeline::load_with(&read.files, pack);
        // What was not read is an input error like a document that does not parse.
        loaded.input.input_errors += read.errors();
        loaded.report.extend(read.notifications());
        let plan = file_selection(input, &mut loaded, &options)?;
        return Ok(Prepared {
            loaded,
            options,
            context: None,
            plan,
        });
    }
    let cluster_options = input.cluster_options(
        translate.nginx_configmap.clone(),
        std::io::stderr().is_terminal(),
    );
    let mut snapshot =
        cluster::blocking_read_ingress_inputs(&cluster_options).map_err(|e| e.to_string())?;
    if translate.annotations_prefix.is_some() {
        // The prefix is explicit: that the workloads could not be read for it is moot.
        snapshot
            .warnings
            .retain(|w| !w.message.starts_with(cluster::PREFIX_NOT_CHECKED));
    }
    let chosen = choose_controller(translate, &snapshot.controllers, &mut options);
    let mut notes = chosen.notes;
    if chosen.controller.is_none() {
        notes.extend(discovered_prefix(translate, &snapshot, &mut options));
        if options.nginx_configmap.is_none() {
            options.nginx_configmap = discovered_configmap(&snapshot);
        }
    }
    let context = snapshot.context.clone();
    let selection = snapshot.selection.take();
    let mut loaded = load_snapshot(snapshot);
    loaded.report.extend(notes);
    if let Some(sel) = &selection {
        // Read only to decide ownership of the shared objects: decoded beside
        // the others, then dropped by `narrow` unless they share a host.
        let mut scratch = Report::default();
        input::decode_values(
            sel.outside.iter().map(|o| o.value.clone()).collect(),
            &mut loaded.input,
            &mut scratch,
        );
    }
    let class = options.gateway_class_for(&options.ingress_class);
    let detected = cluster::crds::blocking_read_gateway_api_crds(&cluster_options, &class);
    loaded
        .report
        .extend(apply_detection(detected, &mut options));
    let plan = selection.map(|sel| {
        crate::selection::narrow(
            &mut loaded.input,
            crate::selection::NarrowInput {
                selected: sel.selected,
                incomplete: sel.incomplete,
                routes_only: false,
                described: &sel.described,
            },
            &options,
            &mut loaded.report,
        )
    });
    Ok(Prepared {
        loaded,
        options,
        context: Some(context),
        plan,
    })
}

/// `-n`, `-l`, `--host` with `-f`: the files are the whole estate (the context
/// of the selection, and what decides whether it owns the shared objects).
fn file_selection(
    input: &InputArgs,
    loaded: &mut Loaded,
    options: &TranslateOptions,
) -> Result<Option<crate::selection::Plan>, String> {
    use crate::selection::{Filters, LabelSelector, NarrowInput};
    let filters = Filters {
        namespaces: input.namespace.clone(),
        selector: input
            .selector
            .as_deref()
            .map(LabelSelector::parse)
            .transpose()
            .map_err(|e| format!("invalid -l: {e}"))?,
        hosts: input.host.iter().map(|h| h.to_ascii_lowercase()).collect(),
    };
    if !filters.is_partial() {
        return Ok(None);
    }
    loaded.input.unpack_all()?;
    let selected = crate::selection::select_in(&loaded.input, &filters);
    let described = filters.describe();
    Ok(Some(crate::selection::narrow(
        &mut loaded.input,
        NarrowInput {
            selected,
            incomplete: None,
            routes_only: false,
            described: &described,
        },
        options,
        &mut loaded.report,
    )))
}

/// Says which controller was used.
pub const CONTROLLER: Code = Code("controller");

/// The controller chosen for the run and what was said about it.
struct Chosen {
    controller: Option<cluster::ControllerInfo>,
    notes: Vec<Notification>,
}

/// Matches the controller workloads to the class translated: the one serving
/// `--ingress-class` (its own `--ingress-class`, default `nginx`); a single
/// controller is used whatever its class when `--ingress-class` was not given.
/// Its flags become the defaults of the translation flags left at their
/// defaults (controller class, watch-without-class, class-by-name, annotation
/// prefix, ConfigMap, default certificate, version from the image tag). One
/// info line says what was used; an ambiguous match is one warning.
fn choose_controller(
    translate: &TranslateArgs,
    controllers: &[cluster::ControllerInfo],
    options: &mut TranslateOptions,
) -> Chosen {
    let mut notes = Vec::new();
    let class_explicit = translate.ingress_class != super::args::DEFAULT_INGRESS_CLASS;
    let mut serving: Vec<&cluster::ControllerInfo> = controllers
        .iter()
        .filter(|c| c.ingress_class() == options.ingress_class)
        .collect();
    // An explicit --nginx-configmap names the controller reading it.
    if let Some(cm) = &translate.nginx_configmap
        && serving.iter().any(|c| c.configmap.as_ref() == Some(cm))
    {
        serving.retain(|c| c.configmap.as_ref() == Some(cm));
    }
    let list = |cs: &[&cluster::ControllerInfo]| {
        cs.iter()
            .map(|c| format!("{} (class {})", c.label(), c.ingress_class()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all: Vec<&cluster::ControllerInfo> = controllers.iter().collect();
    let chosen = match (serving.as_slice(), all.as_slice()) {
        ([one], _) => (*one).clone(),
        ([], [only]) if !class_explicit => (*only).clone(),
        ([], []) => {
            return Chosen {
                controller: None,
                notes,
            };
        }
        ([], _) => {
            notes.push(
                Notification::warning(
                    CLUSTER_READ,
                    format!(
                        "no ingress-nginx controller found serves class {} (found: {}); controller defaults and --nginx-configmap are used",
                        options.ingress_class,
                        list(&all)
                    ),
                )
                .field("controller")
                .suggest("pass --ingress-class for the class to migrate, or --controller NAMESPACE/NAME"),
            );
            return Chosen {
                controller: None,
                notes,
            };
        }
        (several, _) => {
            let first = several[0];
            notes.push(
                Notification::warning(
                    CLUSTER_READ,
                    format!(
                        "several ingress-nginx controllers serve class {}: {}; {} is used, with ConfigMap {}",
                        options.ingress_class,
                        list(several),
                        first.label(),
                        first
                            .configmap
                            .as_ref()
                            .map_or("(none)".to_string(), |(ns, n)| format!("{ns}/{n}"))
                    ),
                )
                .field("controller")
                .suggest("pass --controller NAMESPACE/NAME for the controller that serves these Ingresses"),
            );
            first.clone()
        }
    };
    // Adopt the controller's flags where the user left the default.
    if !class_explicit {
        options.ingress_class = chosen.ingress_class().to_string();
    }
    if translate.controller_class == super::args::DEFAULT_CONTROLLER_CLASS
        && let Some(c) = &chosen.controller_class
    {
        options.controller_class = c.clone();
    }
    options.watch_without_class |= chosen.watch_ingress_without_class;
    options.ingress_class_by_name |= chosen.ingress_class_by_name;
    if translate.annotations_prefix.is_none()
        && let Some(p) = &chosen.annotations_prefix
    {
        options.annotation_prefix = format!("{p}/");
    }
    if translate.nginx_configmap.is_none() {
        options.nginx_configmap = chosen.configmap.clone();
    }
    if translate.default_ssl_certificate.is_none() {
        options.default_ssl_certificate = chosen.default_ssl_certificate.clone();
    }
    let version_from_image = translate.controller_version
        == super::args::DEFAULT_CONTROLLER_VERSION
        && chosen.version.is_some();
    if version_from_image && let Some(v) = &chosen.version {
        options.controller_version = v.clone();
    }
    let configmap = options
        .nginx_configmap
        .as_ref()
        .map_or("none (controller defaults)".to_string(), |(ns, n)| {
            format!("{ns}/{n}")
        });
    let version = if version_from_image {
        format!("{} (image tag)", options.controller_version)
    } else {
        format!("{} (--controller-version)", options.controller_version)
    };
    let prefix = options.annotation_prefix.trim_end_matches('/').to_string();
    notes.push(
        Notification::info(
            CONTROLLER,
            format!(
                "the ingress-nginx controller used for class {}: ConfigMap {configmap}, version {version}, annotations prefix {prefix}",
                options.ingress_class
            ),
        )
        .object(&ObjectRef::new(&chosen.kind, Some(&chosen.namespace), &chosen.name)),
    );
    if translate.annotations_prefix.is_none()
        && let Some(p) = &chosen.annotations_prefix
    {
        notes.push(
            Notification::info(
                CLUSTER_READ,
                format!(
                    "the ingress-nginx controller runs with --annotations-prefix {p}: annotations under that prefix are translated, those under nginx.ingress.kubernetes.io/ are ignored like the controller ignores them"
                ),
            )
            .field("annotations-prefix"),
        );
    }
    Chosen {
        controller: Some(chosen),
        notes,
    }
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

/// Defaults the Gateway API profile to the cluster's CRDs (unless
/// `--gateway-api-version` / `--channel` say otherwise) and says what could not
/// be detected. What was detected and used is said once by
/// `crate::target::profile_notes`.
pub(super) fn apply_detection(
    detected: Result<cluster::crds::GatewayApiCrds, cluster::ClusterError>,
    options: &mut TranslateOptions,
) -> Vec<Notification> {
    use crate::options::Channel;
    use crate::target::gateway_api::{DetectedGatewayApi, Fit, GatewayApiVersion};
    use cluster::crds::CrdOutcome;
    let field = "customresourcedefinitions.apiextensions.k8s.io";
    let defaults = options.gateway_api().describe();
    let detected = match detected {
        Ok(d) => d,
        Err(e) => {
            return vec![
                Notification::warning(
                    CLUSTER_READ,
                    format!(
                        "the Gateway API CRDs could not be read ({e}); the output is for {defaults}"
                    ),
                )
                .field(field)
                .suggest("pass --gateway-api-version and --channel for the cluster's CRDs"),
            ];
        }
    };
    let (bundle_version, channel, reference_grant_served) = match detected.crds {
        CrdOutcome::Forbidden(message) => {
            return vec![Notification::warning(
                CLUSTER_READ,
                format!("not allowed to read the Gateway API CRDs ({message}); the output is for {defaults}, which the cluster may not serve"),
            )
            .field(field)
            .suggest("grant get on customresourcedefinitions (docs/rbac.md), or pass --gateway-api-version and --channel")];
        }
        CrdOutcome::NotInstalled => {
            return vec![Notification::info(
                crate::target::TARGET_PROFILE,
                format!("the cluster has no Gateway API CRDs (no CustomResourceDefinition gateways.gateway.networking.k8s.io); the output is for {defaults}"),
            )
            .field(field)
            .suggest("install the Gateway API CRDs of that version (or of your implementation) before applying the output")];
        }
        CrdOutcome::Found {
            bundle_version,
            channel,
            reference_grant_served,
        } => (bundle_version, channel, reference_grant_served),
    };
    let mut notes = Vec::new();
    let Some((major, minor)) = bundle_version
        .as_deref()
        .and_then(GatewayApiVersion::parse_minor)
    else {
        return vec![Notification::warning(
            CLUSTER_READ,
            format!(
                "the Gateway API CRDs have no readable {} annotation ({}); the output is for {defaults}",
                cluster::crds::BUNDLE_VERSION_ANNOTATION,
                bundle_version.as_deref().unwrap_or("absent")
            ),
        )
        .field(field)
        .suggest("pass --gateway-api-version and --channel for the cluster's CRDs")];
    };
    let (mut version, fit) = GatewayApiVersion::nearest(major, minor);
    // ReferenceGrant v1 is what 1.5+ output uses: trust the served versions.
    if version >= GatewayApiVersion::V1_5
        && !reference_grant_served.is_empty()
        && !reference_grant_served.iter().any(|v| v == "v1")
    {
        version = GatewayApiVersion::V1_4;
    }
    let detected_channel = match channel.as_deref() {
        Some("experimental") => Channel::Experimental,
        _ => Channel::Standard,
    };
    let bundle = bundle_version.unwrap_or_default();
    if fit == Fit::OlderThanKnown {
        notes.push(
            Notification::warning(
                CLUSTER_READ,
                format!("the cluster's Gateway API CRDs are {bundle}, older than ing2gw's oldest profile 1.4: the output is for 1.4 and may use kinds or versions they do not serve"),
            )
            .field(field)
            .suggest("upgrade the Gateway API CRDs to 1.4 or newer before applying"),
        );
    }
    if options.channel_explicit && options.channel != detected_channel {
        notes.push(
            Notification::warning(
                CLUSTER_READ,
                format!(
                    "--channel {} differs from the cluster's Gateway API CRDs ({bundle}, channel {}): the API server may reject or drop fields they do not define",
                    if options.channel == Channel::Experimental { "experimental" } else { "standard" },
                    channel.as_deref().unwrap_or("standard")
                ),
            )
            .field(field)
            .suggest("drop --channel to follow the cluster, or install the CRDs of that channel"),
        );
    } else if !options.channel_explicit {
        options.channel = detected_channel;
    }
    options.detected_gateway_api = Some(DetectedGatewayApi {
        bundle_version: bundle,
        version,
        fit,
        channel: detected_channel,
        gateway_class_exists: detected.gateway_class_exists,
        gateway_class: detected.gateway_class,
    });
    notes
}
