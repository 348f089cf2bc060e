//! Fits an emitter's objects to the Gateway API profile of the run
//! (`--gateway-api-version`, `--channel`; see `crate::target::gateway_api`).
//!
//! Emitters build the newest shapes (v1 ReferenceGrant, TLSRoute and ListenerSet,
//! the CORS filter); this step rewrites apiVersions and kinds for an older
//! release, and removes what the release and channel do not have, each removal
//! named in a notification with what it costs and what to do. It never leaves a
//! kind or field the target CRDs would reject. Access controls are not removed
//! here: the client-certificate validation a profile lacks fails closed in the
//! auth pass, and the experimental-only filters are decided by channel in the
//! passes.

use crate::gwapi::{self, GROUP, GatewayObject};
use crate::options::TranslateOptions;
use crate::report::{Code, Notification, ObjectRef, Report};
use crate::target::gateway_api::{GatewayApiProfile, GatewayApiVersion};
use std::collections::{BTreeMap, BTreeSet};

/// A kind or field the target Gateway API release and channel does not have.
pub const NOT_IN_PROFILE: Code = Code("not-in-gateway-api-version");

/// The first Ingress an object was generated from (its `ing2gw.io/sources`).
fn source(meta: &gwapi::ObjectMeta) -> Option<ObjectRef> {
    let first = meta
        .annotations
        .get(super::standard::SOURCES_ANNOTATION)?
        .split(',')
        .next()?
        .to_string();
    let (ns, name) = first.split_once('/')?;
    Some(ObjectRef::new(
        "Ingress",
        (!ns.is_empty()).then_some(ns),
        name,
    ))
}

fn located(n: Notification, meta: &gwapi::ObjectMeta, kind: &str) -> Notification {
    let object =
        source(meta).unwrap_or_else(|| ObjectRef::new(kind, meta.namespace.as_deref(), &meta.name));
    n.object(&object)
}

/// Rewrites `objects` to what `options.gateway_api()` offers.
pub fn apply(objects: &mut Vec<GatewayObject>, options: &TranslateOptions, report: &mut Report) {
    let profile = options.gateway_api();
    let suggest_newer = format!(
        "use --gateway-api-version 1.5 (or newer CRDs), or --channel experimental, if your cluster has them; the output now fits {}",
        profile.describe()
    );
    // ListenerSets first: routes refer to them by group/kind.
    let listener_sets = listener_sets(objects, &profile, &suggest_newer, report);
    for o in objects.iter_mut() {
        match o {
            GatewayObject::ReferenceGrant(g) => {
                g.api_version = profile.reference_grant_api_version().to_string();
            }
            GatewayObject::Gateway(g) if profile.listener_set().is_none() => {
                g.spec.allowed_listeners = None;
            }
            GatewayObject::HttpRoute(r) => {
                let dropped = reparent(&mut r.spec.parent_refs, &profile, &listener_sets);
                lost_listeners(
                    "HTTPRoute",
                    &r.metadata,
                    &r.spec.hostnames,
                    &dropped,
                    &profile,
                    report,
                );
                drop_cors(r, &profile, options, &suggest_newer, report);
                fit_redirect_codes(r, &profile, report);
            }
            GatewayObject::GrpcRoute(r) => {
                let dropped = reparent(&mut r.spec.parent_refs, &profile, &listener_sets);
                lost_listeners(
                    "GRPCRoute",
                    &r.metadata,
                    &r.spec.hostnames,
                    &dropped,
                    &profile,
                    report,
                );
            }
            GatewayObject::TlsRoute(r) => {
                if let Some(k) = profile.tls_route() {
                    r.api_version = k.api_version.to_string();
                }
                let dropped = reparent(&mut r.spec.parent_refs, &profile, &listener_sets);
                lost_listeners(
                    "TLSRoute",
                    &r.metadata,
                    &r.spec.hostnames,
                    &dropped,
                    &profile,
                    report,
                );
            }
            _ => {}
        }
    }
    if profile.tls_route().is_none() {
        objects.retain(|o| {
            let GatewayObject::TlsRoute(r) = o else {
                return true;
            };
            report.push(
                located(
                    Notification::error(
                        NOT_IN_PROFILE,
                        format!(
                            "TLSRoute {}/{} (TLS passthrough for {}) is not emitted: {} has no TLSRoute; the host's TLS listener gets no route, so its connections are refused",
                            r.metadata.namespace.as_deref().unwrap_or_default(),
                            r.metadata.name,
                            r.spec.hostnames.join(", "),
                            profile.describe()
                        ),
                    ),
                    &r.metadata,
                    "TLSRoute",
                )
                .suggest(format!("TLSRoute is v1alpha2 in the 1.4 experimental channel and v1 standard from 1.5: {suggest_newer}")),
            );
            false
        });
    }
}

/// ListenerSets of the emitter: renamed to XListenerSet, or removed (their hosts
/// named in an error) when the profile has neither. Returns the removed ones'
/// `(namespace, name)`.
fn listener_sets(
    objects: &mut Vec<GatewayObject>,
    profile: &GatewayApiProfile,
    suggest: &str,
    report: &mut Report,
) -> BTreeSet<(String, String)> {
    let mut removed = BTreeSet::new();
    let served = profile.listener_set();
    objects.retain_mut(|o| {
        let GatewayObject::ListenerSet(ls) = o else {
            return true;
        };
        if let Some(k) = served {
            ls.api_version = k.api_version.to_string();
            ls.kind = k.kind.to_string();
            return true;
        }
        let hosts: Vec<&str> = ls
            .spec
            .listeners
            .iter()
            .filter_map(|l| l.hostname.as_deref())
            .collect();
        report.push(
            located(
                Notification::error(
                    NOT_IN_PROFILE,
                    format!(
                        "ListenerSet {}/{} is not emitted: {} has no ListenerSet, and the Gateway is at its 64-listener limit; the HTTPS listeners of {} hosts ({}) are missing, so those hosts are not served over HTTPS",
                        ls.metadata.namespace.as_deref().unwrap_or_default(),
                        ls.metadata.name,
                        profile.describe(),
                        hosts.len(),
                        hosts.join(", ")
                    ),
                ),
                &ls.metadata,
                "ListenerSet",
            )
            .suggest(format!("XListenerSet exists in the 1.4 experimental channel and ListenerSet is standard from 1.5; or split the hosts over several Gateways (--gateway-per-namespace): {suggest}")),
        );
        removed.insert((
            ls.metadata.namespace.clone().unwrap_or_default(),
            ls.metadata.name.clone(),
        ));
        false
    });
    removed
}

fn is_listener_set_ref(p: &gwapi::ParentReference) -> bool {
    p.group.as_deref() == Some(GROUP) && p.kind.as_deref() == Some("ListenerSet")
}

/// Points parentRefs at the profile's ListenerSet kind, or drops those to removed
/// ones; returns the sectionNames (listener names) dropped.
fn reparent(
    refs: &mut Vec<gwapi::ParentReference>,
    profile: &GatewayApiProfile,
    removed: &BTreeSet<(String, String)>,
) -> Vec<String> {
    let mut dropped = Vec::new();
    match profile.listener_set() {
        Some(k) => {
            for p in refs.iter_mut().filter(|p| is_listener_set_ref(p)) {
                p.group = Some(k.group.to_string());
                p.kind = Some(k.kind.to_string());
            }
        }
        None => refs.retain(|p| {
            let gone = is_listener_set_ref(p)
                && removed.contains(&(p.namespace.clone().unwrap_or_default(), p.name.clone()));
            if gone {
                dropped.push(p.section_name.clone().unwrap_or_else(|| p.name.clone()));
            }
            !gone
        }),
    }
    dropped
}

/// An error at the route's source Ingress for the HTTPS listeners it lost with
/// a ListenerSet the profile lacks (so `verify` ties the host's divergences to it).
fn lost_listeners(
    kind: &str,
    meta: &gwapi::ObjectMeta,
    hostnames: &[String],
    dropped: &[String],
    profile: &GatewayApiProfile,
    report: &mut Report,
) {
    if dropped.is_empty() {
        return;
    }
    report.push(
        located(
            Notification::error(
                NOT_IN_PROFILE,
                format!(
                    "{kind} {}/{} for {} loses its parent listener {} (in a ListenerSet, which {} lacks): these hosts are not served over HTTPS",
                    meta.namespace.as_deref().unwrap_or_default(),
                    meta.name,
                    hostnames.join(", "),
                    dropped.join(", "),
                    profile.describe()
                ),
            ),
            meta,
            kind,
        )
        .suggest("use --channel experimental (XListenerSet) or --gateway-api-version 1.5 if your cluster has them, or split the hosts over several Gateways (--gateway-per-namespace)"),
    );
}

/// Removes the CORS filter where the profile lacks it (a browser then refuses
/// cross-origin reads: more closed, not more open).
fn drop_cors(
    r: &mut gwapi::HttpRoute,
    profile: &GatewayApiProfile,
    options: &TranslateOptions,
    suggest: &str,
    report: &mut Report,
) {
    if profile.cors_filter() {
        return;
    }
    let mut dropped: BTreeMap<usize, ()> = BTreeMap::new();
    for (i, rule) in r.spec.rules.iter_mut().enumerate() {
        let before = rule.filters.len();
        rule.filters.retain(|f| f.cors.is_none());
        if rule.filters.len() != before {
            dropped.insert(i, ());
        }
    }
    if dropped.is_empty() {
        return;
    }
    let rules: Vec<String> = dropped.keys().map(|i| i.to_string()).collect();
    report.push(
        located(
            Notification::warning(
                NOT_IN_PROFILE,
                format!(
                    "HTTPRoute {}/{}: the CORS filter of rules {} is not emitted: {} has no HTTPRoute CORS filter; cross-origin browser requests to these paths get no CORS headers (browsers refuse them)",
                    r.metadata.namespace.as_deref().unwrap_or_default(),
                    r.metadata.name,
                    rules.join(", "),
                    profile.describe()
                ),
            ),
            &r.metadata,
            "HTTPRoute",
        )
        .field(format!("{}enable-cors", options.annotation_prefix))
        .suggest(format!("the CORS filter is experimental in 1.4 and standard from 1.5: {suggest}")),
    );
}

/// Gateway API before 1.5 only has redirect status codes 301 and 302 (in both
/// channels; found by the Kubernetes-validator agreement test, issue 16): 308 and
/// 307 become 301 and 302, 303 becomes 302. The redirect still happens; what is
/// lost is the method/body preservation of 307/308 (a client may replay a POST as
/// a GET), so it is a warning.
fn fit_redirect_codes(r: &mut gwapi::HttpRoute, profile: &GatewayApiProfile, report: &mut Report) {
    if profile.at_least(GatewayApiVersion::V1_5) {
        return;
    }
    let mut changed: BTreeSet<(u16, u16)> = BTreeSet::new();
    for rule in &mut r.spec.rules {
        for f in &mut rule.filters {
            if let Some(redirect) = f.request_redirect.as_mut()
                && let Some(code) = redirect.status_code
            {
                let fitted = match code {
                    308 => 301,
                    307 | 303 => 302,
                    other => other,
                };
                if fitted != code {
                    redirect.status_code = Some(fitted);
                    changed.insert((code, fitted));
                }
            }
        }
    }
    if changed.is_empty() {
        return;
    }
    let list: Vec<String> = changed.iter().map(|(a, b)| format!("{a} → {b}")).collect();
    report.push(
        located(
            Notification::warning(
                NOT_IN_PROFILE,
                format!(
                    "HTTPRoute {}/{}: redirect status codes changed ({}): {} only has 301 and 302; a client may replay a POST redirected this way as a GET",
                    r.metadata.namespace.as_deref().unwrap_or_default(),
                    r.metadata.name,
                    list.join(", "),
                    profile.describe()
                ),
            ),
            &r.metadata,
            "HTTPRoute",
        )
        .suggest("use --gateway-api-version 1.5 or newer if your cluster's CRDs have 303/307/308"),
    );
}
