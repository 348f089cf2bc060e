//! SecurityPolicy (`extAuth`, `basicAuth`, `authorization`; Envoy Gateway v1.9
//! `api/v1alpha1/securitypolicy_types.go`, `authorization_types.go`).

use crate::verify::request::{Outcome, Probe};
use serde_json::Value;
use std::net::IpAddr;

/// An authorization rule's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Allow,
    Deny,
}

/// One `authorization.rules[]` entry the model can evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    action: Action,
    client_cidrs: Vec<String>,
}

/// What the model reads from a SecurityPolicy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityPolicy {
    /// The external authorization Service as `namespace/name:port`.
    ext_auth: Option<String>,
    basic_auth: bool,
    /// Rules in order and the default action.
    authorization: Option<(Vec<Rule>, Action)>,
    /// CORS: decides preflights and requests with `Origin` only.
    cors: bool,
    /// Parts whose effect is not modelled.
    not_modelled: Vec<String>,
    /// What the policy references in other namespaces: (kind, namespace, name).
    pub references: Vec<(&'static str, String, String)>,
    /// Why Envoy Gateway refuses the policy (a reference no ReferenceGrant
    /// permits): the routes it targets answer 500 (Envoy Gateway v1.9.1's
    /// translator gives them a direct 500 response).
    pub invalid: Option<String>,
}

fn action(v: Option<&Value>, default: Action) -> Result<Action, String> {
    match v.and_then(Value::as_str) {
        None => Ok(default),
        Some("Allow") => Ok(Action::Allow),
        Some("Deny") => Ok(Action::Deny),
        Some(other) => Err(format!("authorization action `{other}`")),
    }
}

impl SecurityPolicy {
    /// Reads `spec` of a SecurityPolicy in `namespace` (the default of its references).
    pub fn read(spec: &Value, namespace: &str) -> Self {
        let mut p = SecurityPolicy::default();
        for key in ["jwt", "oidc", "apiKeyAuth", "csrf"] {
            if spec.get(key).is_some_and(|v| !v.is_null()) {
                p.not_modelled.push(key.to_string());
            }
        }
        p.cors = spec.get("cors").is_some_and(|v| !v.is_null());
        p.basic_auth = spec.get("basicAuth").is_some_and(|v| !v.is_null());
        if let Some(users) = spec.pointer("/basicAuth/users") {
            let s = |k: &str| users.get(k).and_then(Value::as_str);
            if let Some(ns) = s("namespace").filter(|ns| *ns != namespace) {
                p.references.push((
                    "Secret",
                    ns.to_string(),
                    s("name").unwrap_or_default().to_string(),
                ));
            }
        }
        if let Some(ext) = spec.get("extAuth").filter(|v| !v.is_null()) {
            match ext_auth_service(ext, namespace) {
                Ok((ns, name, port)) => {
                    if ns != namespace {
                        p.references.push(("Service", ns.clone(), name.clone()));
                    }
                    p.ext_auth = Some(format!("{ns}/{name}:{port}"));
                }
                Err(r) => p.not_modelled.push(r),
            }
        }
        if let Some(a) = spec.get("authorization").filter(|v| !v.is_null()) {
            match authorization(a) {
                Ok(rules) => p.authorization = Some(rules),
                Err(r) => p.not_modelled.push(r),
            }
        }
        p
    }

    /// The answer for `probe` from `client` to a request the rule answers with
    /// `outcome`: external auth decides first (symbolic), then basic auth, then
    /// the IP authorization (Envoy Gateway's filter order).
    pub fn decide(
        &self,
        probe: &Probe,
        client: IpAddr,
        outcome: Outcome,
    ) -> Result<Outcome, String> {
        if self.invalid.is_some() {
            return Ok(Outcome::Status { status: 500 });
        }
        if !self.not_modelled.is_empty() {
            return Err(self.not_modelled.join(", "));
        }
        if self.cors && (probe.method == "OPTIONS" || probe.headers.contains_key("origin")) {
            return Err("cors on a preflight or a request with Origin".into());
        }
        let mut answer = outcome;
        if let Some((rules, default)) = &self.authorization {
            let allowed = rules
                .iter()
                .find(|r| {
                    r.client_cidrs
                        .iter()
                        .any(|c| crate::verify::nginx_model::access::contains(c, client))
                })
                .map_or(*default, |r| r.action);
            if allowed == Action::Deny {
                answer = Outcome::Status { status: 403 };
            }
        }
        if self.basic_auth {
            if probe.headers.contains_key("authorization") {
                return Err("basicAuth with credentials (the htpasswd Secret is not read)".into());
            }
            answer = Outcome::Status { status: 401 };
        }
        Ok(match &self.ext_auth {
            Some(service) => Outcome::ExternalAuth {
                service: service.clone(),
                signin: None,
                then: Box::new(answer),
            },
            None => answer,
        })
    }
}

/// `extAuth.http` or `extAuth.grpc`: its first backendRef (namespace, name, port).
fn ext_auth_service(ext: &Value, namespace: &str) -> Result<(String, String, u64), String> {
    let service = ext
        .get("http")
        .or_else(|| ext.get("grpc"))
        .filter(|v| !v.is_null())
        .ok_or("extAuth without http or grpc")?;
    let b = service
        .get("backendRefs")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .or_else(|| service.get("backendRef"))
        .ok_or("extAuth without backendRef")?;
    let s = |k: &str| b.get(k).and_then(Value::as_str);
    if s("kind").is_some_and(|k| k != "Service") || s("group").is_some_and(|g| !g.is_empty()) {
        return Err("extAuth to a backend that is not a Service".into());
    }
    let port = b
        .get("port")
        .and_then(Value::as_u64)
        .ok_or("extAuth backendRef without port")?;
    let ns = s("namespace").unwrap_or(namespace);
    Ok((
        ns.to_string(),
        s("name").unwrap_or_default().to_string(),
        port,
    ))
}

fn authorization(a: &Value) -> Result<(Vec<Rule>, Action), String> {
    let default = action(a.get("defaultAction"), Action::Deny)?;
    let mut rules = Vec::new();
    for r in a
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if ["operation", "cel"]
            .iter()
            .any(|k| r.get(*k).is_some_and(|v| !v.is_null()))
        {
            return Err("authorization rule on operations or CEL".into());
        }
        let principal = r.get("principal").cloned().unwrap_or(Value::Null);
        if ["jwt", "headers", "clientIPGeoLocations"]
            .iter()
            .any(|k| principal.get(*k).is_some_and(|v| !v.is_null()))
        {
            return Err("authorization principal other than clientCIDRs".into());
        }
        let mut client_cidrs = Vec::new();
        for c in principal
            .get("clientCIDRs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let c = c.as_str().ok_or("clientCIDRs entry is not a string")?;
            if crate::passes::access_control::parse_cidrs(c).is_err() {
                return Err(format!("clientCIDRs entry `{c}`"));
            }
            client_cidrs.push(c.to_string());
        }
        rules.push(Rule {
            action: action(r.get("action"), Action::Deny)?,
            client_cidrs,
        });
    }
    Ok((rules, default))
}
