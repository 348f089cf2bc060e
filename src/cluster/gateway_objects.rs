//! Reading the Gateway API objects already in the cluster, for
//! `diff --against cluster`. Gateway API is a set of CRDs that may be partly
//! installed (standard vs experimental channel, or an older bundle), so a resource
//! type the server does not serve (404 on its collection) is a warning, reported
//! once, not an error.

use super::collected::{Collected, Scope};
use super::error::ClusterError;
use super::reader::{Outcome, Reader, describe};
use super::resources::{GATEWAY_KINDS, REFERENCE_GRANT, REFERENCE_GRANT_FALLBACK_VERSION};

pub(crate) async fn read(reader: &Reader, scope: &Scope) -> Result<Collected, ClusterError> {
    let mut out = Collected::default();
    for kind in GATEWAY_KINDS {
        // ReferenceGrant is served as v1 only from Gateway API v1.5 on; older
        // bundles serve v1beta1. Decided on the first 404, then kept for all namespaces.
        let mut resource = kind;
        'namespaces: for namespace in scope.targets() {
            loop {
                reader.step(format!("listing {}", describe(&resource, namespace)));
                match reader.list(&resource, namespace, None).await? {
                    Outcome::Found(items) => out.add_all(items),
                    Outcome::Unavailable(_, message) => out.warn(
                        namespace,
                        &resource,
                        format!("could not list {}, skipped: {message}", resource.kind),
                    ),
                    Outcome::Forbidden(message) => out.warn(
                        namespace,
                        &resource,
                        match namespace {
                            Some(ns) => format!(
                                "not allowed to list {} in namespace {ns}, skipped: {message}",
                                resource.kind
                            ),
                            None => format!(
                                "not allowed to list {} across all namespaces, skipped: {message}",
                                resource.kind
                            ),
                        },
                    ),
                    Outcome::NotFound(_) if resource == REFERENCE_GRANT => {
                        resource = resource.at_version(REFERENCE_GRANT_FALLBACK_VERSION);
                        continue;
                    }
                    Outcome::NotFound(_) => {
                        out.warn(
                            None,
                            &resource,
                            format!(
                                "the cluster does not serve {} {} (CRD not installed?); none compared",
                                resource.api_version(),
                                resource.kind
                            ),
                        );
                        break 'namespaces;
                    }
                }
                break;
            }
        }
    }
    Ok(out)
}
