//! Offline behavioural equivalence: an executable model of ingress-nginx request
//! handling and one of Gateway API HTTPRoute matching, run on the same probes.
//!
//! `request` holds the vocabulary both models share: a [`Probe`] goes in, an
//! [`Outcome`] comes out. [`compare`] classifies every probe (same, divergent,
//! not modelled, implementation-defined) and [`explain`] decides whether a
//! notification of the translation already announces a divergence.
//!
//! [`Probe`]: request::Probe
//! [`Outcome`]: request::Outcome

pub mod compare;
pub mod edits;
pub mod explain;
pub mod gateway_model;
pub mod live;
pub mod matcher;
pub mod nginx_conf;
pub mod nginx_model;
pub mod probes;
pub mod render;
pub mod request;

use crate::gwapi::GatewayObject;
use crate::input::InputSet;
use crate::options::TranslateOptions;
use crate::report::Notification;
pub use compare::Verifying;
use compare::{NginxSide, VerifyReport};
pub use gateway_model::precedence::Implementation;

/// Probes the Ingresses in `input` and compares ingress-nginx with the Gateway
/// API `objects`; `notes` are the translation's notifications, which explain
/// divergences only when `objects` is that translation; `implementation` decides
/// the route precedence the spec leaves open.
pub fn verify(
    input: &InputSet,
    options: &TranslateOptions,
    objects: &[GatewayObject],
    notes: &[Notification],
    budget: usize,
    verifying: Verifying,
    implementation: Implementation,
) -> VerifyReport {
    let nginx = nginx_model::NginxModel::build(input, options);
    let protections = nginx.protections();
    let gateway = gateway_model::GatewayModel::build(objects).with_implementation(implementation);
    let probes = probes::probes_for(&nginx, budget);
    let mut explainer = explain::Explainer::new(input, notes, &options.annotation_prefix);
    if verifying == Verifying::OwnTranslation {
        explainer = explainer.with_rule_sources(objects);
    }
    let mut report = compare::compare(
        &probes,
        |p| {
            let h = nginx.handle(p);
            NginxSide {
                protected: h.ingress.as_ref().and_then(|i| protections.get(i)).cloned(),
                outcome: h.outcome,
                ingress: h.ingress,
                location: h.location,
                fake_certificate: p.scheme == request::Scheme::Https
                    && !nginx.has_cert(&gateway_model::hostname::normalise_host(&p.host)),
            }
        },
        &gateway,
        &explainer,
        verifying,
    );
    report.implementation = implementation;
    report.not_accepted = gateway.not_accepted().to_vec();
    report.rejected = nginx.rejected().map(|reason| compare::Rejected {
        reason: reason.to_string(),
        ingresses: nginx.rejected_by().to_vec(),
    });
    report
}

/// What both models predict for one probe: the input of `verify --live` and
/// `--emit-probes`, which check real endpoints against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicted {
    pub probe: request::Probe,
    pub ingress_nginx: request::Outcome,
    pub gateway_api: request::Outcome,
    /// An https probe for a host no Ingress gives TLS: ingress-nginx answers
    /// with its self-signed fake certificate, which a verifying client rejects.
    pub nginx_fake_certificate: bool,
}

/// The probes `verify` would send (same budget, same order) and both models'
/// outcome for each.
pub fn predict(
    input: &InputSet,
    options: &TranslateOptions,
    objects: &[GatewayObject],
    budget: usize,
    implementation: Implementation,
) -> Vec<Predicted> {
    let nginx = nginx_model::NginxModel::build(input, options);
    let gateway = gateway_model::GatewayModel::build(objects).with_implementation(implementation);
    probes::probes_for(&nginx, budget)
        .into_iter()
        .map(|probe| Predicted {
            ingress_nginx: nginx.handle(&probe).outcome,
            gateway_api: gateway.handle(&probe).outcome,
            nginx_fake_certificate: probe.scheme == request::Scheme::Https
                && !nginx.has_cert(&gateway_model::hostname::normalise_host(&probe.host)),
            probe,
        })
        .collect()
}
