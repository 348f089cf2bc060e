//! Placeholder for the probe generator (built on the `nginx` branch) with its
//! API, so `verify` runs before it lands: each path of each rule, over http and https.

use super::request::{Probe, Scheme};
use crate::input::InputSet;
use crate::options::TranslateOptions;

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
