//! Unit-test helper for the passes: translates a YAML manifest (Ingresses,
//! Services and, when present, the ConfigMap `ingress-nginx/ingress-nginx-controller`)
//! and gives back the IR, so a pass's test can read the facts it recorded.

use crate::input::SourceFile;
use crate::ir::{Ir, Rule, RulePolicy};
use crate::options::TranslateOptions;
use crate::pipeline;
use std::sync::Arc;

/// The IR of `yaml` translated with `options` (the ConfigMap option is set).
pub fn ir_with(yaml: &str, mut options: TranslateOptions) -> Ir {
    options.nginx_configmap = Some(("ingress-nginx".into(), "ingress-nginx-controller".into()));
    let loaded = pipeline::load(&[SourceFile {
        name: "test.yaml".into(),
        text: Arc::from(yaml),
    }]);
    pipeline::translate(&loaded.input, &options, loaded.report).ir
}

pub fn ir_of(yaml: &str) -> Ir {
    ir_with(yaml, TranslateOptions::default())
}

/// Every rule of the IR with its host, in host then rule order.
pub fn rules(ir: &Ir) -> Vec<(String, &Rule)> {
    ir.hosts
        .values()
        .flat_map(|h| h.rules.iter().map(move |r| (h.id.host.to_string(), r)))
        .collect()
}

/// The policy of the rule of `host` whose source path is `path`.
pub fn policy<'a>(ir: &'a Ir, host: &str, path: &str) -> Option<&'a RulePolicy> {
    rules(ir)
        .into_iter()
        .find(|(h, r)| h == host && r.source_path.path == path && r.from.annotation.is_none())
        .and_then(|(_, r)| r.policy.as_deref())
}

/// A Service `name` in `default` with port 80, and an Ingress `ing` in
/// `default` for host `host` and `path` to it with `annotations` (YAML lines
/// `key: value`, prefix added).
pub fn ingress(
    ing: &str,
    host: &str,
    path: &str,
    service: &str,
    annotations: &[(&str, &str)],
) -> String {
    let mut a = String::new();
    for (k, v) in annotations {
        a.push_str(&format!("    nginx.ingress.kubernetes.io/{k}: {v:?}\n"));
    }
    let annotations = if a.is_empty() {
        String::new()
    } else {
        format!("  annotations:\n{a}")
    };
    format!(
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {ing}
  namespace: default
{annotations}spec:
  ingressClassName: nginx
  rules:
  - host: {host}
    http:
      paths:
      - path: {path}
        pathType: Prefix
        backend:
          service:
            name: {service}
            port:
              number: 80
---
"
    )
}

/// The controller ConfigMap with `data`.
pub fn configmap(data: &[(&str, &str)]) -> String {
    let mut d = String::new();
    for (k, v) in data {
        d.push_str(&format!("  {k}: {v:?}\n"));
    }
    format!(
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
{d}---
"
    )
}
