//! The access decision of a location (reference §2.11 step 7, §1.5): the IP
//! deny list, then the allow list (`allow …; deny all;`) answer 403 for the
//! client address, then basic/digest auth answers 401 to a request without
//! `Authorization`. Probes come from [`PROBE_CLIENT`] (or, to test the other
//! side of a list, an address inside it: [`address_inside`]) and carry no
//! credentials, so the decision is known without the Secret's content.
//!
//! The annotation lists replace the ConfigMap's `whitelist-source-range` /
//! `denylist-source-range`. `satisfy: any` with both an IP list and auth, and
//! external auth (`auth-url`), stay not modelled.

use crate::passes::ControllerConfig;
use crate::passes::access_control::parse_cidrs;
use std::net::{IpAddr, Ipv4Addr};

/// The client address of a probe unless it tests an address inside a list
/// ([`crate::verify::request::DEFAULT_CLIENT`]).
pub const PROBE_CLIENT: IpAddr = crate::verify::request::DEFAULT_CLIENT;

/// An address inside `cidr` (an address or `address/bits`, validated): the
/// network's first host address (the address itself for /31, /32, /127, /128).
pub fn address_inside(cidr: &str) -> Option<IpAddr> {
    let (addr, bits) = match cidr.split_once('/') {
        Some((a, b)) => (a, b.parse::<u32>().ok()?),
        None => (cidr, 128),
    };
    match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(net) => {
            let bits = bits.min(32);
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            let base = u32::from(net) & mask;
            let host = if bits <= 30 { base | 1 } else { u32::from(net) };
            Some(IpAddr::V4(Ipv4Addr::from(host)))
        }
        IpAddr::V6(net) => {
            let bits = bits.min(128);
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            let base = u128::from(net) & mask;
            let host = if bits <= 126 {
                base | 1
            } else {
                u128::from(net)
            };
            Some(IpAddr::V6(std::net::Ipv6Addr::from(host)))
        }
    }
}

/// Basic or digest authentication (`auth-type`; anything but `basic` is digest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    Basic,
    Digest,
}

/// What the access phase of a location checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    pub deny: Vec<String>,
    pub allow: Vec<String>,
    /// Authentication with its realm.
    pub auth: Option<(AuthKind, String)>,
}

impl Access {
    /// Reads the access annotations (`get` takes the name without prefix);
    /// `Err` says why the decision is not modelled.
    pub fn read<'a>(
        get: &impl Fn(&str) -> Option<&'a str>,
        cm: &ControllerConfig,
    ) -> Result<Access, String> {
        let list = |keys: &[&str], cm_key: &str| -> Result<Vec<String>, String> {
            let value = keys
                .iter()
                .find_map(|k| get(k))
                .or_else(|| cm.get(cm_key))
                .unwrap_or("");
            parse_cidrs(value).map_err(|item| format!("{cm_key} item `{item}` is not an IP/CIDR"))
        };
        let allow = list(
            &["allowlist-source-range", "whitelist-source-range"],
            "whitelist-source-range",
        )?;
        let deny = list(&["denylist-source-range"], "denylist-source-range")?;
        let non_empty = |k: &str| get(k).map(str::trim).filter(|v| !v.is_empty());
        let auth = match (non_empty("auth-type"), non_empty("auth-secret")) {
            (Some(t), Some(_)) => {
                let kind = if t == "basic" {
                    AuthKind::Basic
                } else {
                    AuthKind::Digest
                };
                let realm = get("auth-realm").unwrap_or("").to_string();
                Some((kind, realm))
            }
            (None, None) => None,
            _ => return Err("auth-type without auth-secret (or the reverse)".into()),
        };
        let satisfy_any = get("satisfy").map(str::trim) == Some("any");
        if satisfy_any && auth.is_some() && !(allow.is_empty() && deny.is_empty()) {
            return Err("satisfy: any between an IP list and authentication".into());
        }
        Ok(Access { deny, allow, auth })
    }

    pub fn is_empty(&self) -> bool {
        self.deny.is_empty() && self.allow.is_empty() && self.auth.is_none()
    }

    /// The status the access phase answers for `client` without credentials,
    /// or `None` when the request passes.
    pub fn decide(&self, client: IpAddr) -> Option<u16> {
        if self.deny.iter().any(|c| contains(c, client)) {
            return Some(403);
        }
        if !self.allow.is_empty() && !self.allow.iter().any(|c| contains(c, client)) {
            return Some(403);
        }
        self.auth.as_ref().map(|_| 401)
    }
}

/// Whether `cidr` (an address or `address/bits`, already validated) holds `ip`.
pub fn contains(cidr: &str, ip: IpAddr) -> bool {
    let (addr, bits) = match cidr.split_once('/') {
        Some((a, b)) => (a, b.parse::<u32>().ok()),
        None => (cidr, None),
    };
    match (addr.parse::<IpAddr>(), ip) {
        (Ok(IpAddr::V4(net)), IpAddr::V4(ip)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(net) & mask == u32::from(ip) & mask
        }
        (Ok(IpAddr::V6(net)), IpAddr::V6(ip)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(net) & mask == u128::from(ip) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_hold_their_addresses() {
        assert!(contains("127.0.0.0/8", PROBE_CLIENT));
        assert!(contains("127.0.0.1", PROBE_CLIENT));
        assert!(!contains("10.0.0.0/8", PROBE_CLIENT));
        assert!(contains("0.0.0.0/0", PROBE_CLIENT));
        assert!(!contains("::/0", PROBE_CLIENT));
    }

    #[test]
    fn an_address_inside_each_list() {
        let inside = |c: &str| address_inside(c).map(|ip| ip.to_string());
        assert_eq!(inside("10.0.0.0/8").as_deref(), Some("10.0.0.1"));
        assert_eq!(inside("192.168.1.7/32").as_deref(), Some("192.168.1.7"));
        assert_eq!(inside("192.168.1.7").as_deref(), Some("192.168.1.7"));
        assert_eq!(inside("2001:db8::/32").as_deref(), Some("2001:db8::1"));
        for c in ["10.0.0.0/8", "172.16.0.0/12", "1.2.3.4", "fd00::/8"] {
            let ip = address_inside(c).expect("an address");
            assert!(contains(c, ip), "{c} holds {ip}");
        }
    }

    #[test]
    fn deny_then_allow_then_auth() {
        let a = |deny: &[&str], allow: &[&str], auth: bool| Access {
            deny: deny.iter().map(|s| s.to_string()).collect(),
            allow: allow.iter().map(|s| s.to_string()).collect(),
            auth: auth.then(|| (AuthKind::Basic, String::new())),
        };
        assert_eq!(
            a(&[], &["10.0.0.0/8"], true).decide(PROBE_CLIENT),
            Some(403)
        );
        assert_eq!(
            a(&["127.0.0.1"], &[], false).decide(PROBE_CLIENT),
            Some(403)
        );
        assert_eq!(
            a(&[], &["127.0.0.0/8"], true).decide(PROBE_CLIENT),
            Some(401)
        );
        assert_eq!(a(&[], &["127.0.0.0/8"], false).decide(PROBE_CLIENT), None);
        assert_eq!(a(&[], &[], false).decide(PROBE_CLIENT), None);
    }
}
