//! Reading what an Ingress-NGINX translation needs: Ingresses, IngressClasses, the
//! Services the Ingresses reference, and the controller ConfigMap. Secrets are never
//! read: TLS secret names come from `spec.tls[].secretName` and need no lookup.

use super::ClusterOptions;
use super::collected::{Collected, Scope};
use super::controller::{self, CONTROLLER_NAMESPACE, CONTROLLER_SELECTOR, ConfigMapRef};
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
    read_ingress_classes(reader, &mut out).await?;
    read_services(reader, &scope, &mut out).await?;
    read_controller_configmap(reader, opts.nginx_configmap.as_ref(), &mut out).await?;
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

/// Cluster-scoped; only needed to resolve `spec.ingressClassName` to a controller,
/// so a denial is a warning.
async fn read_ingress_classes(reader: &Reader, out: &mut Collected) -> Result<(), ClusterError> {
    reader.step("listing ingressclasses".into());
    match reader.list(&INGRESS_CLASS, None, None).await? {
        Outcome::Found(items) => out.add_all(items),
        Outcome::Forbidden(message) | Outcome::NotFound(message) => out.warn(
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
            Outcome::Forbidden(_) | Outcome::NotFound(_) => {}
        }
        let mut denied = Vec::new();
        let mut last_message = String::new();
        for name in names {
            reader.step(format!("reading Service {namespace}/{name}"));
            match reader.get(&SERVICE, Some(namespace), name).await? {
                Outcome::Found(service) => out.add(service),
                Outcome::Forbidden(message) => {
                    denied.push(name.as_str());
                    last_message = message;
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
                    "not allowed to list or get Services in namespace {namespace} \
                     (needed: {}); port names and appProtocol unknown: {last_message}",
                    denied.join(", ")
                ),
            );
        }
    }
    Ok(())
}

async fn read_controller_configmap(
    reader: &Reader,
    explicit: Option<&(String, String)>,
    out: &mut Collected,
) -> Result<(), ClusterError> {
    // An explicit --nginx-configmap wins over the controllers' --configmap flags
    // (the user may run several controllers), but their --annotations-prefix is
    // still looked up: translating under the wrong prefix would drop the
    // allow-lists and auth the controller enforces.
    let refs = match explicit {
        Some((namespace, name)) => {
            discover_annotation_prefixes(reader, out).await?;
            vec![ConfigMapRef {
                namespace: namespace.clone(),
                name: name.clone(),
            }]
        }
        None => discover_controller_configmaps(reader, out).await?,
    };
    for r in refs {
        reader.step(format!("reading ConfigMap {}/{}", r.namespace, r.name));
        match reader.get(&CONFIG_MAP, Some(&r.namespace), &r.name).await? {
            Outcome::Found(configmap) => out.add(configmap),
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
    out: &mut Collected,
) -> Result<(), ClusterError> {
    let mut workloads = Vec::new();
    let mut denied = Vec::new();
    for resource in [DEPLOYMENT, DAEMON_SET] {
        match list_controller_workloads(reader, &resource).await? {
            Some(items) => workloads.extend(items),
            None => denied.push(resource.display_name()),
        }
    }
    let found = controller::discover(&workloads);
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
    out: &mut Collected,
) -> Result<Vec<ConfigMapRef>, ClusterError> {
    let mut workloads = Vec::new();
    let mut denied = Vec::new();
    for resource in [DEPLOYMENT, DAEMON_SET] {
        match list_controller_workloads(reader, &resource).await? {
            Some(items) => workloads.extend(items),
            None => denied.push(resource.display_name()),
        }
    }
    let found = controller::discover(&workloads);
    out.add_annotation_prefixes(found.annotation_prefixes);
    for problem in found.problems {
        out.warn_named(None, DEPLOYMENT.display_name(), problem);
    }
    match found.configmaps.len() {
        0 => {
            let why = if denied.is_empty() {
                format!(
                    "no Deployment or DaemonSet labelled {CONTROLLER_SELECTOR} with a --configmap flag"
                )
            } else {
                format!("not allowed to list {}", denied.join(" or "))
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
        1 => {}
        _ => {
            let names: Vec<String> = found
                .configmaps
                .iter()
                .map(|r| format!("{}/{}", r.namespace, r.name))
                .collect();
            out.warn_named(
                None,
                CONFIG_MAP.display_name(),
                format!(
                    "several ingress-nginx controllers found, all their ConfigMaps were read ({}); \
                     pass --nginx-configmap to choose one",
                    names.join(", ")
                ),
            );
        }
    }
    Ok(found.configmaps)
}

/// Cluster-wide first, then the conventional `ingress-nginx` namespace; `None`
/// when both are denied.
async fn list_controller_workloads(
    reader: &Reader,
    resource: &ResourceType,
) -> Result<Option<Vec<super::ClusterObject>>, ClusterError> {
    for namespace in [None, Some(CONTROLLER_NAMESPACE)] {
        reader.step(format!(
            "looking for the controller: {}",
            describe(resource, namespace)
        ));
        match reader
            .list(resource, namespace, Some(CONTROLLER_SELECTOR))
            .await?
        {
            Outcome::Found(items) => return Ok(Some(items)),
            Outcome::NotFound(_) => return Ok(Some(Vec::new())),
            Outcome::Forbidden(_) => {}
        }
    }
    Ok(None)
}
