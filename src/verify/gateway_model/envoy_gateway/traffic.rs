//! BackendTrafficPolicy (`responseOverride`, `requestBuffer`, `faultInjection`)
//! and ClientTrafficPolicy (`connection.bufferLimit`); Envoy Gateway v1.9
//! `api/v1alpha1/backendtrafficpolicy_types.go`, `shared_types.go`,
//! `connection_types.go`.

use crate::verify::request::{Outcome, Probe};
use serde_json::Value;

/// One `responseOverride[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Override {
    /// Inclusive status ranges it matches (`Value` is a one-code range).
    codes: Vec<(u16, u16)>,
    /// `response.statusCode`; `None` keeps the status (body only).
    status: Option<u16>,
    /// `redirect` instead of `response`, or a `responseHeaders` match.
    not_modelled: Option<String>,
    /// `source: Backend`: upstream answers only, never the Gateway's own.
    backend_only: bool,
}

impl Override {
    fn matches(&self, status: u16) -> bool {
        self.codes
            .iter()
            .any(|(lo, hi)| (*lo..=*hi).contains(&status))
    }
}

/// What the model reads from a BackendTrafficPolicy or ClientTrafficPolicy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrafficPolicy {
    overrides: Vec<Override>,
    /// `requestBuffer.limit` in bytes (or why it is not read): Envoy buffers
    /// the whole request body and answers 413 when it is larger.
    body_limit: Option<Result<u64, String>>,
    /// ClientTrafficPolicy `connection.bufferLimit`: a per-connection buffer
    /// size, which refuses bodies only behind a buffering filter; requests
    /// with a body are not modelled under it.
    connection_buffer: bool,
    not_modelled: Option<String>,
}

impl TrafficPolicy {
    pub fn read(spec: &Value) -> Self {
        let mut p = TrafficPolicy {
            body_limit: spec
                .pointer("/requestBuffer/limit")
                .filter(|v| !v.is_null())
                .map(|v| {
                    quantity_bytes(v).ok_or_else(|| {
                        format!("requestBuffer.limit {v} is not a byte quantity the model reads")
                    })
                }),
            connection_buffer: spec
                .pointer("/connection/bufferLimit")
                .is_some_and(|v| !v.is_null()),
            ..TrafficPolicy::default()
        };
        if spec.get("faultInjection").is_some_and(|v| !v.is_null()) {
            p.not_modelled = Some("faultInjection".into());
        }
        for o in spec
            .get("responseOverride")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut codes = Vec::new();
            let mut not_modelled = None;
            for m in o
                .pointer("/match/statusCodes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let int = |p: &str| m.pointer(p).and_then(Value::as_u64).map(|v| v as u16);
                match m.get("type").and_then(Value::as_str).unwrap_or("Value") {
                    "Range" => match (int("/range/start"), int("/range/end")) {
                        (Some(a), Some(b)) => codes.push((a, b)),
                        _ => not_modelled = Some("a statusCodes range without start/end".into()),
                    },
                    _ => match int("/value") {
                        Some(v) => codes.push((v, v)),
                        None => {
                            not_modelled = Some("a statusCodes value that is not a number".into())
                        }
                    },
                }
            }
            if o.pointer("/match/responseHeaders")
                .is_some_and(|v| !v.is_null())
            {
                not_modelled = Some("responseOverride matching response headers".into());
            }
            if o.get("redirect").is_some_and(|v| !v.is_null()) {
                not_modelled = Some("responseOverride with a redirect".into());
            }
            p.overrides.push(Override {
                codes,
                status: o
                    .pointer("/response/statusCode")
                    .and_then(Value::as_u64)
                    .map(|v| v as u16),
                not_modelled,
                backend_only: o.get("source").and_then(Value::as_str) == Some("Backend"),
            });
        }
        p
    }

    /// The request buffer's answer to a probe with a body: `Some(413)` above
    /// `requestBuffer.limit`, `None` when the request goes on.
    pub fn refuse_body(&self, probe: &Probe) -> Result<Option<Outcome>, String> {
        let Some(len) = probe.body else {
            return Ok(None);
        };
        match &self.body_limit {
            Some(Ok(limit)) if len > *limit => Ok(Some(Outcome::Status { status: 413 })),
            Some(Err(r)) => Err(r.clone()),
            _ if self.connection_buffer => Err(
                "connection.bufferLimit with a request body (a connection buffer, not a body limit)"
                    .into(),
            ),
            _ => Ok(None),
        }
    }

    /// The response after `responseOverride`: the first entry matching a
    /// status the Gateway itself answers replaces it. A backend's answer is
    /// symbolic (its status is not modelled), so it is left as it is.
    pub fn respond(&self, outcome: Outcome) -> Result<Outcome, String> {
        if let Some(r) = &self.not_modelled {
            return Err(r.clone());
        }
        match outcome {
            Outcome::Status { status } => {
                match self
                    .overrides
                    .iter()
                    .find(|o| !o.backend_only && o.matches(status))
                {
                    Some(Override {
                        not_modelled: Some(r),
                        ..
                    }) => Err(r.clone()),
                    Some(o) => Ok(Outcome::Status {
                        status: o.status.unwrap_or(status),
                    }),
                    None => Ok(Outcome::Status { status }),
                }
            }
            Outcome::ExternalAuth {
                service,
                signin,
                then,
            } => {
                if self
                    .overrides
                    .iter()
                    .any(|o| !o.backend_only && (o.matches(401) || o.matches(403)))
                {
                    return Err("responseOverride of the external authorization's 401/403".into());
                }
                Ok(Outcome::ExternalAuth {
                    service,
                    signin,
                    then: Box::new(self.respond(*then)?),
                })
            }
            Outcome::Redirect { status, location } => {
                if self
                    .overrides
                    .iter()
                    .any(|o| !o.backend_only && o.matches(status))
                {
                    return Err(format!("responseOverride of a {status} redirect"));
                }
                Ok(Outcome::Redirect { status, location })
            }
            other => Ok(other),
        }
    }
}

/// A Kubernetes quantity (`resource.Quantity`) as a whole number of bytes: a
/// JSON integer, or digits with no suffix, a binary suffix (`Ki` … `Ei`) or a
/// decimal one (`k`, `M`, `G`, `T`, `P`, `E`); `None` for fractions,
/// exponents, milli-units and overflows (ing2gw writes none of these).
pub fn quantity_bytes(v: &Value) -> Option<u64> {
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    let s = v.as_str()?;
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, suffix) = s.split_at(split);
    let scale: u64 = match suffix {
        "" => 1,
        "Ki" => 1 << 10,
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        "Ti" => 1 << 40,
        "Pi" => 1 << 50,
        "Ei" => 1 << 60,
        "k" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "T" => 1_000_000_000_000,
        "P" => 1_000_000_000_000_000,
        "E" => 1_000_000_000_000_000_000,
        _ => return None,
    };
    if digits.is_empty() {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(scale)
}
