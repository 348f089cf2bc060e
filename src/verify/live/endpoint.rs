//! The addresses `verify --live` sends to: `IP[:HTTP_PORT[,HTTPS_PORT]]`.
//!
//! Only IP addresses, never host names: the probe's Host header and SNI come
//! from the manifests, and nothing in them (nor any DNS answer) may choose
//! where a request goes. Without ports, 80 and 443; with one port, that port
//! serves http and 443 serves https; `127.0.0.1:8080,8443` names both (a
//! `kubectl port-forward` gives two local ports). IPv6 addresses with a port are
//! written in brackets: `[::1]:8080,8443`.

use super::super::request::Scheme;
use serde::Serialize;
use std::net::{IpAddr, SocketAddr};

/// One live endpoint: where http and https probes connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub ip: IpAddr,
    pub http_port: u16,
    pub https_port: u16,
}

impl Endpoint {
    /// The socket address a probe of `scheme` connects to.
    pub fn socket(&self, scheme: Scheme) -> SocketAddr {
        match scheme {
            Scheme::Http => SocketAddr::new(self.ip, self.http_port),
            Scheme::Https => SocketAddr::new(self.ip, self.https_port),
        }
    }

    /// `IP:HTTP_PORT,HTTPS_PORT`, the form the parser reads back.
    pub fn text(&self) -> String {
        match self.ip {
            IpAddr::V4(ip) => format!("{ip}:{},{}", self.http_port, self.https_port),
            IpAddr::V6(ip) => format!("[{ip}]:{},{}", self.http_port, self.https_port),
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl std::str::FromStr for Endpoint {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = |why: &str| {
            format!(
                "`{s}`: {why}; expected IP[:HTTP_PORT[,HTTPS_PORT]], e.g. 203.0.113.7, 127.0.0.1:8080,8443 or [::1]:8080"
            )
        };
        let port = |p: &str| {
            p.parse::<u16>()
                .ok()
                .filter(|&p| p != 0)
                .ok_or_else(|| bad(&format!("`{p}` is not a port")))
        };
        // A bare IPv6 address has colons but no port.
        if let Ok(ip) = s.parse::<IpAddr>() {
            return Ok(Endpoint {
                ip,
                http_port: 80,
                https_port: 443,
            });
        }
        let (host, ports) = if let Some(rest) = s.strip_prefix('[') {
            let (ip, after) = rest
                .split_once(']')
                .ok_or_else(|| bad("missing `]` after an IPv6 address"))?;
            let ports = after
                .strip_prefix(':')
                .ok_or_else(|| bad("expected `:PORT` after `]`"))?;
            (ip, ports)
        } else {
            s.split_once(':')
                .ok_or_else(|| bad("not an IP address (host names are not resolved)"))?
        };
        let ip: IpAddr = host
            .parse()
            .map_err(|_| bad("not an IP address (host names are not resolved)"))?;
        let (http, https) = match ports.split_once(',') {
            Some((h, t)) => (port(h)?, port(t)?),
            None => (port(ports)?, 443),
        };
        Ok(Endpoint {
            ip,
            http_port: http,
            https_port: https,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(s: &str) -> Result<Endpoint, String> {
        s.parse()
    }

    #[test]
    fn parses_every_form() {
        let e = ep("203.0.113.7").unwrap();
        assert_eq!((e.http_port, e.https_port), (80, 443));
        let e = ep("127.0.0.1:8080").unwrap();
        assert_eq!((e.http_port, e.https_port), (8080, 443));
        let e = ep("127.0.0.1:8080,8443").unwrap();
        assert_eq!((e.http_port, e.https_port), (8080, 8443));
        let e = ep("::1").unwrap();
        assert_eq!(e.ip, "::1".parse::<IpAddr>().unwrap());
        let e = ep("[::1]:81,444").unwrap();
        assert_eq!((e.http_port, e.https_port), (81, 444));
        assert_eq!(e.text(), "[::1]:81,444");
        assert_eq!(ep(&e.text()).unwrap(), e);
    }

    #[test]
    fn refuses_names_and_bad_ports() {
        for bad in [
            "example.com",
            "example.com:80",
            "127.0.0.1:0",
            "127.0.0.1:http",
            "127.0.0.1:80,",
            "[::1]",
            "[::1:80",
            "",
        ] {
            let e = ep(bad).unwrap_err();
            assert!(e.contains("expected IP"), "{bad}: {e}");
        }
    }
}
