//! Reading what an Ingress-NGINX translation needs: Ingresses, IngressClasses, the
//! Services the Ingresses reference, and the controller ConfigMap. Secrets are never
//! read: TLS secret names come from `spec.tls[].secretName` and need no lookup.

use super::ClusterOptions;
use super::collected::{Collected, Scope};
use super::controller::{self, CONTROLLER_NAMESPACES, ConfigMapRef};
use super::error::ClusterError;
use super::ingress_refs::ServiceRefs;
use super::reader::{Outcome, Reader, describe};
use super::resources::{
    CONFIG_MAP, DAEMON_SET, DEPLOYMENT, INGRESS, INGRESS_CLASS, ResourceType, SERVICE,
};

pub(crate) async fn read(
    reader: &Reader,
    opts: &ClusterOptions,
) -> Result<Collected, ClusterError> {
    let scope = Scope::new(
        opts.all_namespaces,
        &opts.namespaces,
        reader.default_namespace(),
    );
    let mut out = Collected::default();
    read_ingresses(reader, &scope, opts.selector.as_deref(), &mut out).await?;
    if scope != Scope::AllNamespaces || opts.selector.is_some() || !opts.hosts.is_empty() {
        read_selection_context(reader, &scope, opts, &mut out).await?;
    }
    read_ingress_classes(reader, &mut out).await?;
    read_services(reader, &scope, &mut out).await?;
    read_controller_configmap(reader, opts, &mut out).await?;
    Ok(out)
}

async fn read_ingresses(
    reader: &Reader,
    scope: &Scope,
    selector: Option<&str>,
    out: &mut Collected,
) -> Result<(), ClusterError> {
    for namespace in scope.targets() {
        reader.step(format!("listing {}", describe(&INGRESS, namespace)));
        match reader.list(&INGRESS, namespace, selector).await? {
            Outcome::Found(items) => out.add_all(items),
            // Ingresses are what is translated: without them the output would mislead.
            Outcome::Unavailable(code, message) => {
                return Err(reader.unavailable(code, message, &describe(&INGRESS, namespace)));
            }
            Outcome::Forbidden(message) => match namespace {
                Some(ns) => out.warn(
                    Some(ns),
                    &INGRESS,
                    format!("not allowed to list Ingresses in namespace {ns}, skipped: {message}"),
                ),
                // Nothing at all could be read: an empty translation would mislead.
                None => {
                    return Err(ClusterError::Forbidden {
                        resource: INGRESS.display_name(),
                        scope: "across all namespaces (-A); use -n for namespaces you can read"
                            .into(),
                        message,
                    });
                }
            },
            Outcome::NotFound(message) => {
                return Err(ClusterError::ResourceNotServed {
                    server: reader.server().to_string(),
                    resource: format!(
                        "{} (networking.k8s.io/v1 Ingress needs Kubernetes 1.19 or newer)",
                        INGRESS.display_name()
                    ),
                    message,
                });
            }
        }
    }
    Ok(())
}

/// A partial selection is translated in the context of the Ingresses that share
/// its hosts (ingress-nginx merges Ingresses by host across namespaces), and the
/// shared objects are emitted only when it owns them: so, besides the selected
/// Ingresses, every Ingress of the cluster is listed once (cluster-wide, no
/// selector). Those sharing a host with the selection join `objects` (their
/// Services are read); the others are kept aside in the snapshot's selection.
/// A denied cluster-wide list leaves the context unknown, which is said.
async fn read_selection_context(
    reader: &Reader,
    scope: &Scope,
    opts: &ClusterOptions,
    out: &mut Collected,
) -> Result<(), ClusterError> {
    use crate::selection::json_hosts;
    let wanted_hosts: Vec<String> = opts.hosts.iter().map(|h| h.to_ascii_lowercase()).collect();
    if !wanted_hosts.is_empty() {
        // Not selected, but they may still be context (re-added below).
        out.take_where(INGRESS.kind, |o| {
            !json_hosts(&o.value)
                .iter()
                .any(|h| wanted_hosts.contains(h))
        });
    }
    let selected: std::collections::BTreeSet<String> = out
        .objects_of_kind(INGRESS.kind)
        .map(|o| format!("{}/{}", o.namespace.as_deref().unwrap_or_default(), o.name))
        .collect();
    let hosts: std::collections::BTreeSet<String> = out
        .objects_of_kind(INGRESS.kind)
        .flat_map(|o| json_hosts(&o.value))
        .collect();
    let mut described = Vec::new();
    match scope {
        Scope::AllNamespaces => {}
        Scope::Namespaces(list) if opts.namespaces.is_empty() => {
            described.push(format!("the context's namespace {}", list.join(", ")));
        }
        Scope::Namespaces(list) => described.extend(list.iter().map(|n| format!("-n {n}"))),
    }
    if let Some(s) = &opts.selector {
        described.push(format!("-l {s}"));
    }
    described.extend(wanted_hosts.iter().map(|h| format!("--host {h}")));
    let mut selection = super::SnapshotSelection {
        selected,
        described: described.join(" "),
        ..Default::default()
    };
    reader.step(
        "listing ingresses.networking.k8s.io (all namespaces) for the selection's context".into(),
    );
    match reader.list(&INGRESS, None, None).await? {
        Outcome::Found(items) => {
            for item in items {
                let key = format!(
                    "{}/{}",
                    item.namespace.as_deref().unwrap_or_default(),
                    item.name
                );
                if selection.selected.contains(&key) {
                    continue;
                }
                if json_hosts(&item.value).iter().any(|h| hosts.contains(h)) {
                    out.add(item);
                } else {
                    selection.outside.push(item);
                }
            }
        }
        Outcome::Forbidden(message)
        | Outcome::NotFound(message)
        | Outcome::Unavailable(_, message) => {
            selection.incomplete = Some(format!(
                "Ingresses cannot be listed across all namespaces ({message}), so Ingresses of other namespaces sharing the selection's hosts are unknown"
            ));
            out.warn(
                None,
                &INGRESS,
                format!(
                    "not allowed to list Ingresses across all namespaces: Ingresses of other namespaces that share hosts with the selection could not be read (they may switch a host to regex mode or own its certificate), and the shared Gateway is not emitted: {message}"
                ),
            );
        }
    }
    out.selection = Some(selection);
    Ok(())
}

/// Cluster-scoped; only needed to resolve `spec.ingressClassName` to a controller,
/// so a denial is a warning.
async fn read_ingress_classes(reader: &Reader, out: &mut Collected) -> Result<(), ClusterError> {
    reader.step("listing ingressclasses".into());
    match reader.list(&INGRESS_CLASS, None, None).await? {
        Outcome::Found(items) => out.add_all(items),
        Outcome::Forbidden(message)
        | Outcome::NotFound(message)
        | Outcome::Unavailable(_, message) => out.warn(
            None,
            &INGRESS_CLASS,
            format!("cannot list IngressClasses, ingressClassName cannot be resolved: {message}"),
        ),
    }
    Ok(())
}

/// One list per namespace that Ingresses point into (named ports and `appProtocol`
/// are needed, and a list costs one request whatever the number of Services). With
/// `-A`, a single cluster-wide list is tried first. When listing is denied, the
/// referenced Services are fetched one by one, which only needs `get`.
async fn read_services(
    reader: &Reader,
    scope: &Scope,
    out: &mut Collected,
) -> Result<(), ClusterError> {
    let (refs, unparsable) = ServiceRefs::collect(out.objects_of_kind(INGRESS.kind));
    for problem in unparsable {
        out.warn_named(
            None,
            INGRESS.display_name(),
            format!("Ingress {problem}; its Services were not read"),
        );
    }
    if refs.by_namespace.is_empty() {
        return Ok(());
    }
    if *scope == Scope::AllNamespaces {
        reader.step(format!("listing {}", describe(&SERVICE, None)));
        if let Outcome::Found(items) = reader.list(&SERVICE, None, None).await? {
            out.add_all(items.into_iter().filter(|s| {
                s.namespace
                    .as_ref()
                    .and_then(|ns| refs.by_namespace.get(ns))
                    .is_some_and(|names| names.contains(&s.name))
            }));
            return Ok(());
        }
    }
    for (namespace, names) in &refs.by_namespace {
        reader.step(format!("listing {}", describe(&SERVICE, Some(namespace))));
        match reader.list(&SERVICE, Some(namespace), None).await? {
            Outcome::Found(items) => {
                out.add_all(items.into_iter().filter(|s| names.contains(&s.name)));
                continue;
            }
            Outcome::Unavailable(_, message) => {
                out.warn(
                    Some(namespace),
                    &SERVICE,
                    format!(
                        "could not list Services in namespace {namespace} (needed: {}); port names and appProtocol unknown: {message}",
                        names.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                );
                continue;
            }
            Outcome::Forbidden(_) | Outcome::NotFound(_) => {}
        }
        let mut denied = Vec::new();
        let mut last_message = String::new();
        let mut forbidden = false;
        let mut unavailable = false;
        for name in names {
            // A 403 on get is learned once per namespace: RBAC grants `get` on
            // services per namespace (a `resourceNames` list per Service is rare),
            // and one request per Service would be a storm on large estates.
            if forbidden {
                denied.push(name.as_str());
                continue;
            }
            reader.step(format!("reading Service {namespace}/{name}"));
            match reader.get(&SERVICE, Some(namespace), name).await? {
                Outcome::Found(service) => out.add(service),
                Outcome::Forbidden(message) => {
                    denied.push(name.as_str());
                    last_message = message;
                    forbidden = true;
                }
                Outcome::Unavailable(_, message) => {
                    denied.push(name.as_str());
                    last_message = message;
                    forbidden = true;
                    unavailable = true;
                }
                // A missing Service is a translation finding, reported there.
                Outcome::NotFound(_) => {}
            }
        }
        if !denied.is_empty() {
            out.warn(
                Some(namespace),
                &SERVICE,
                format!(
                    "{} Services in namespace {namespace} \
                     (needed: {}); port names and appProtocol unknown: {last_message}",
                    if unavailable {
                        "could not read"
                    } else {
                        "not allowed to list or get"
                    },
                    denied.join(", ")
                ),
            );
        }
    }
    Ok(())
}

async fn read_controller_configmap(
    reader: &Reader,
    opts: &ClusterOptions,
    out: &mut Collected,
) -> Result<(), ClusterError> {
    let explicit = opts.nginx_configmap.as_ref();
    let named = opts.controller.as_ref();
    // An explicit --nginx-configmap wins over the controllers' --configmap flags
    // (the user may run several controllers), but their --annotations-prefix is
    // still looked up: translating under the wrong prefix would drop the
    // allow-lists and auth the controller enforces.
    let refs = match explicit {
        Some((namespace, name)) => {
            discover_annotation_prefixes(reader, named, out).await?;
            vec![ConfigMapRef {
                namespace: namespace.clone(),
                name: name.clone(),
            }]
        }
        None => discover_controller_configmaps(reader, named, out).await?,
    };
    for r in refs {
        reader.step(format!("reading ConfigMap {}/{}", r.namespace, r.name));
        match reader.get(&CONFIG_MAP, Some(&r.namespace), &r.name).await? {
            Outcome::Found(configmap) => out.add(configmap),
            Outcome::Unavailable(_, message) => out.warn(
                Some(&r.namespace),
                &CONFIG_MAP,
                format!(
                    "could not read the ingress-nginx ConfigMap {}/{}; controller defaults \
                     assumed: {message}",
                    r.namespace, r.name
                ),
            ),
            Outcome::Forbidden(message) => out.warn(
                Some(&r.namespace),
                &CONFIG_MAP,
                format!(
                    "not allowed to read the ingress-nginx ConfigMap {}/{}; controller defaults \
                     assumed: {message}",
                    r.namespace, r.name
                ),
            ),
            Outcome::NotFound(_) => out.warn(
                Some(&r.namespace),
                &CONFIG_MAP,
                format!(
                    "the ingress-nginx ConfigMap {}/{} does not exist; controller defaults assumed",
                    r.namespace, r.name
                ),
            ),
        }
    }
    Ok(())
}

/// With an explicit `--nginx-configmap`: only the controllers'
/// `--annotations-prefix` is taken from their workloads (their `--configmap`
/// flags and the problems found reading them are the explicit flag's business).
/// Not allowed to list the workloads: a warning says the prefix was not checked.
async fn discover_annotation_prefixes(
    reader: &Reader,
    named: Option<&(String, String)>,
    out: &mut Collected,
) -> Result<(), ClusterError> {
    let (workloads, denied) = controller_workloads(reader, named).await?;
    let found = controller::discover(&workloads);
    out.add_controllers(controller::controllers(&workloads).0);
    if found.annotation_prefixes.is_empty() && !denied.is_empty() {
        out.warn_named(
            None,
            DEPLOYMENT.display_name(),
            format!(
                "{PREFIX_NOT_CHECKED} (not allowed to list {}): nginx.ingress.kubernetes.io assumed; pass --annotations-prefix if the controller uses another",
                denied.join(" or ")
            ),
        );
    }
    out.add_annotation_prefixes(found.annotation_prefixes);
    Ok(())
}

/// The start of the warning [`discover_annotation_prefixes`] gives when the
/// workloads cannot be listed (moot when `--annotations-prefix` is explicit).
pub const PREFIX_NOT_CHECKED: &str = "the controller's --annotations-prefix could not be checked";

async fn discover_controller_configmaps(
    reader: &Reader,
    named: Option<&(String, String)>,
    out: &mut Collected,
) -> Result<Vec<ConfigMapRef>, ClusterError> {
    let (workloads, denied) = controller_workloads(reader, named).await?;
    let found = controller::discover(&workloads);
    out.add_annotation_prefixes(found.annotation_prefixes);
    out.add_controllers(controller::controllers(&workloads).0);
    for problem in found.problems {
        out.warn_named(None, DEPLOYMENT.display_name(), problem);
    }
    // Several controllers: all their ConfigMaps are read; which one applies is
    // decided by the class they serve (cli/input.rs says it once).
    if found.configmaps.is_empty() {
        let why = match (named, denied.is_empty()) {
            (Some((ns, name)), _) => {
                format!("--controller {ns}/{name} has no --configmap flag or was not found")
            }
            (None, true) => format!(
                "no Deployment or DaemonSet labelled {} with a --configmap flag",
                controller::controllers_selector()
            ),
            (None, false) => format!("not allowed to list {}", denied.join(" or ")),
        };
        out.warn_named(
            None,
            CONFIG_MAP.display_name(),
            format!(
                "ingress-nginx controller ConfigMap not found ({why}); controller defaults \
                 assumed; pass --nginx-configmap NAMESPACE/NAME"
            ),
        );
    }
    Ok(found.configmaps)
}

/// The controller workloads: the one `--controller` names (Deployment, else
/// DaemonSet), or those of the common installs; with the resources that could
/// not be listed.
async fn controller_workloads(
    reader: &Reader,
    named: Option<&(String, String)>,
) -> Result<(Vec<super::ClusterObject>, Vec<String>), ClusterError> {
    let mut workloads = Vec::new();
    let mut denied = Vec::new();
    if let Some((namespace, name)) = named {
        for resource in [DEPLOYMENT, DAEMON_SET] {
            reader.step(format!(
                "reading the controller {} {namespace}/{name}",
                resource.kind
            ));
            match reader.get(&resource, Some(namespace), name).await? {
                Outcome::Found(w) => {
                    workloads.push(w);
                    break;
                }
                Outcome::Forbidden(_) | Outcome::Unavailable(..) => {
                    denied.push(resource.display_name())
                }
                Outcome::NotFound(_) => {}
            }
        }
        return Ok((workloads, denied));
    }
    for resource in [DEPLOYMENT, DAEMON_SET] {
        match list_controller_workloads(reader, &resource).await? {
            Some(items) => workloads.extend(items),
            None => denied.push(resource.display_name()),
        }
    }
    Ok((workloads, denied))
}

/// Cluster-wide first, else each conventional namespace (`ingress-nginx`,
/// RKE2's `kube-system`); `None` when every list is denied.
async fn list_controller_workloads(
    reader: &Reader,
    resource: &ResourceType,
) -> Result<Option<Vec<super::ClusterObject>>, ClusterError> {
    let selector = controller::controllers_selector();
    let mut found: Option<Vec<super::ClusterObject>> = None;
    for namespace in std::iter::once(None).chain(CONTROLLER_NAMESPACES.map(Some)) {
        reader.step(format!(
            "looking for the controller: {}",
            describe(resource, namespace)
        ));
        match reader.list(resource, namespace, Some(&selector)).await? {
            Outcome::Found(items) if namespace.is_none() => return Ok(Some(items)),
            Outcome::NotFound(_) if namespace.is_none() => return Ok(Some(Vec::new())),
            Outcome::Found(items) => found.get_or_insert_with(Vec::new).extend(items),
            Outcome::NotFound(_) => {
                found.get_or_insert_with(Vec::new);
            }
            // Treated like a denial: the next scope is tried, and nothing
            // found is a warning.
            Outcome::Forbidden(_) | Outcome::Unavailable(..) => {}
        }
    }
    Ok(found)
}
