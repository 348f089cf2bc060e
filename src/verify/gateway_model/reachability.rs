//! Whether the target of a redirect can be reached on the Gateway's listeners.
//!
//! A same-host redirect to a scheme and port on which no listener accepts the
//! host (typically the HTTP→HTTPS redirect of a host without an HTTPS listener)
//! sends the client to a connection that fails. ingress-nginx always has its
//! HTTPS port, so such a redirect is a divergence, not the same answer.

use super::GatewayModel;
use super::hostname;
use crate::verify::request::Outcome;

impl GatewayModel {
    /// `outcome`, or the unreachable form of it when it redirects the request's
    /// own `host` to a scheme and port without a listener that accepts it.
    pub(super) fn check_redirect_target(&self, host: &str, outcome: Outcome) -> Outcome {
        let Outcome::Redirect { status, location } = &outcome else {
            return outcome;
        };
        let Some((scheme, rest)) = location.split_once("://") else {
            return outcome;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (target_host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => match p.parse::<u16>() {
                Ok(p) => (h, Some(p)),
                Err(_) => (authority, None),
            },
            None => (authority, None),
        };
        if !target_host.eq_ignore_ascii_case(host) {
            return outcome;
        }
        let (protocol, port) = match scheme.to_ascii_lowercase().as_str() {
            "http" => ("HTTP", port.unwrap_or(80)),
            "https" => ("HTTPS", port.unwrap_or(443)),
            _ => return outcome,
        };
        // The listeners that may accept the host (by hostname, a superset), not
        // all of them: one per host on an estate of many TLS hosts, and every
        // redirecting probe asks.
        let candidates = self.listener_index.candidates(host);
        let listening = (candidates.iter().filter_map(|&i| self.listeners.get(i))).any(|l| {
            l.listener.port == port
                && l.listener.protocol.eq_ignore_ascii_case(protocol)
                && l.listener
                    .hostname
                    .as_deref()
                    .is_none_or(|h| hostname::matches(h, host))
        });
        if listening {
            outcome
        } else {
            Outcome::UnreachableRedirect {
                status: *status,
                location: location.clone(),
            }
        }
    }
}
