//! Placeholder for the ingress-nginx model and probe generator (built on the
//! `nginx` branch) with their API, so `verify` compiles before they land:
//! every probe is "not modelled" on the ingress-nginx side.

use super::request::{Outcome, Probe, Scheme};
use crate::input::InputSet;
use crate::options::TranslateOptions;
use crate::report::ObjectRef;

pub struct Handled {
    pub outcome: Outcome,
    pub ingress: Option<ObjectRef>,
    pub location: Option<String>,
}

pub struct NginxModel;

impl NginxModel {
    pub fn build(_input: &InputSet, _options: &TranslateOptions) -> NginxModel {
        NginxModel
    }
    pub fn handle(&self, _probe: &Probe) -> Handled {
        Handled {
            outcome: Outcome::NotModelled {
                reason: "the ingress-nginx model is not built in".into(),
            },
            ingress: None,
            location: None,
        }
    }
}

pub fn generate_probes(input: &InputSet, _options: &TranslateOptions, budget: usize) -> Vec<Probe> {
    let mut out = Vec::new();
    for ing in &input.ingresses {
        for rule in ing
            .ingress
            .spec
            .iter()
            .flat_map(|s| s.rules.iter().flatten())
        {
            let host = rule
                .host
                .clone()
                .unwrap_or_else(|| "unknown.invalid".into());
            for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
                let path = p.path.clone().unwrap_or_else(|| "/".into());
                for scheme in [Scheme::Http, Scheme::Https] {
                    out.push(Probe::get(scheme, &host, &path));
                }
            }
        }
    }
    out.truncate(budget);
    out
}
