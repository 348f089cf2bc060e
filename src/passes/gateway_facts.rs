//! Controller-wide traffic-policy facts: the ConfigMap keys that shape every
//! server of the controller, recorded on each Gateway (`Gateway.policy`).
//!
//! ## What ingress-nginx does
//! Client IP: with `use-forwarded-headers` (or `enable-real-ip`) nginx takes the
//! client address from `forwarded-for-header` (default `X-Forwarded-For`) when
//! the peer is in `proxy-real-ip-cidr` (default `0.0.0.0/0`);
//! `compute-full-forwarded-for` appends the peer to the header instead of
//! replacing it. `use-proxy-protocol` expects a PROXY header on every connection.
//! `ssl-protocols` (default `TLSv1.2 TLSv1.3`) and `ssl-ciphers` configure TLS;
//! `large-client-header-buffers` (`4 8k`) bounds a request header line;
//! `use-gzip`/`enable-brotli` compress the `gzip-types`/`brotli-types` responses;
//! `client-header-timeout`, `client-body-timeout` (60 s) and `keep-alive` (75 s)
//! bound the client side. Paths are normalised before matching (`merge_slashes`
//! left on, `%XX` decoded, dot segments resolved, reference §2.10) whatever the
//! ConfigMap says.
//!
//! ## What Gateway API offers
//! Nothing for these: implementations have client/listener policies.
//!
//! ## What we record
//! Each fact only when one of its keys is set to a valid value (the defaults are
//! what nginx does without a ConfigMap and are not facts), with the ConfigMap and
//! the first key set as provenance; parts left unset take the ingress-nginx
//! default. The path normalisation fact is always recorded on every Gateway
//! (nginx's fixed behaviour; its provenance names no object). Invalid values
//! record nothing. No notification here: recording is not translating. (The
//! standard output reports none of these ConfigMap keys today; an
//! implementation emitter reports what it does with each fact.)

use super::annotated;
use super::{Pass, PassContext};
use crate::ir::*;
use crate::report::Report;

/// ingress-nginx's default `gzip-types` and `brotli-types` (`config.go`).
const GZIP_TYPES: &str = "application/atom+xml application/javascript application/x-javascript application/json application/rss+xml application/vnd.ms-fontobject application/x-font-ttf application/x-web-app-manifest+json application/xhtml+xml application/xml font/opentype image/svg+xml image/x-icon text/css text/javascript text/plain text/x-component";
const BROTLI_TYPES: &str = "application/xml+rss application/atom+xml application/javascript application/x-javascript application/json application/rss+xml application/vnd.ms-fontobject application/x-font-ttf application/x-web-app-manifest+json application/xhtml+xml application/xml font/opentype image/svg+xml image/x-icon text/css text/javascript text/plain text/x-component";

pub struct GatewayFacts;

impl Pass for GatewayFacts {
    fn name(&self) -> &'static str {
        "gateway-facts"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, _report: &mut Report) {
        let policy = gateway_policy(cx);
        for gw in ir.gateways.values_mut() {
            gw.policy = policy.clone();
        }
    }
}

/// The first of `keys` set in the ConfigMap (for the provenance), if any.
fn first_set(cx: &PassContext, keys: &[&str]) -> Option<Provenance> {
    keys.iter()
        .find(|k| cx.config.value(k).is_some())
        .map(|k| cx.config.provenance(k))
}

/// The Gateway facts the ConfigMap decides.
pub fn gateway_policy(cx: &PassContext) -> GatewayPolicy {
    let cm = &cx.config;
    let mut p = GatewayPolicy {
        path_normalisation: Some(Sourced::new(
            PathNormalisation {
                merge_slashes: true,
                decode_percent: true,
                resolve_dot_segments: true,
            },
            Provenance::default(),
        )),
        ..Default::default()
    };
    let ip_keys = [
        "use-forwarded-headers",
        "enable-real-ip",
        "compute-full-forwarded-for",
        "forwarded-for-header",
        "proxy-real-ip-cidr",
    ];
    let valid_ip = ip_keys[..3]
        .iter()
        .all(|k| cm.value(k).is_none() || cm.bool_set(k).is_some());
    if valid_ip && let Some(from) = first_set(cx, &ip_keys) {
        let cidrs = cm
            .value("proxy-real-ip-cidr")
            .map(annotated::list)
            .unwrap_or_else(|| vec!["0.0.0.0/0".into()]);
        p.client_ip = Some(Sourced::new(
            ClientIp {
                use_forwarded_headers: cm.bool("use-forwarded-headers", false),
                enable_real_ip: cm.bool("enable-real-ip", false),
                forwarded_for_header: cm
                    .value("forwarded-for-header")
                    .map(|v| v.trim().to_string())
                    .unwrap_or_else(|| "X-Forwarded-For".into()),
                compute_full_forwarded_for: cm.bool("compute-full-forwarded-for", false),
                trusted_cidrs: cidrs,
            },
            from,
        ));
    }
    if let Some(v) = cm.bool_set("use-proxy-protocol") {
        p.proxy_protocol = Some(Sourced::new(v, cm.provenance("use-proxy-protocol")));
    }
    if let Some(v) = cm.value("ssl-protocols") {
        let list: Vec<String> = v.split_whitespace().map(String::from).collect();
        p.tls_protocols = Some(Sourced::new(list, cm.provenance("ssl-protocols")));
    }
    if let Some(v) = cm.value("ssl-ciphers") {
        let list: Vec<String> = v
            .split(':')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        p.tls_ciphers = Some(Sourced::new(list, cm.provenance("ssl-ciphers")));
    }
    // `large-client-header-buffers: "<number> <size>"`: a header line must fit one buffer.
    if let Some(bytes) = cm.value("large-client-header-buffers").and_then(|v| {
        let mut w = v.split_whitespace();
        let (_number, size) = (w.next()?.parse::<u32>().ok()?, w.next()?);
        w.next()
            .is_none()
            .then(|| annotated::size_bytes(size))
            .flatten()
    }) {
        p.max_header_bytes = Some(Sourced::new(
            bytes,
            cm.provenance("large-client-header-buffers"),
        ));
    }
    let gzip = cm.bool_set("use-gzip").unwrap_or(false);
    let brotli = cm.bool_set("enable-brotli").unwrap_or(false);
    if gzip || brotli {
        let mut types: Vec<String> = Vec::new();
        let mut add = |list: &str| {
            for t in list.split_whitespace() {
                if !types.iter().any(|x| x == t) {
                    types.push(t.to_string());
                }
            }
        };
        if gzip {
            add(cm.value("gzip-types").unwrap_or(GZIP_TYPES));
        }
        if brotli {
            add(cm.value("brotli-types").unwrap_or(BROTLI_TYPES));
        }
        let key = if gzip { "use-gzip" } else { "enable-brotli" };
        p.compression = Some(Sourced::new(
            Compression {
                gzip,
                brotli,
                types,
            },
            cm.provenance(key),
        ));
    }
    let timeout_keys = ["client-header-timeout", "client-body-timeout", "keep-alive"];
    let [header, body, keep_alive] =
        timeout_keys.map(|k| cm.uint_set(k).map(|s| s.saturating_mul(1000)));
    if let Some(from) = timeout_keys
        .iter()
        .zip([header, body, keep_alive])
        .find(|(_, v)| v.is_some())
        .map(|(k, _)| cm.provenance(k))
    {
        p.client_timeouts = Some(Sourced::new(
            ClientTimeouts {
                header_ms: header,
                body_ms: body,
                keep_alive_ms: keep_alive,
            },
            from,
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::test_support::{configmap, ingress, ir_of};

    fn policy_of(data: &[(&str, &str)]) -> GatewayPolicy {
        let ir = ir_of(&(configmap(data) + &ingress("app", "a.example", "/", "app", &[])));
        let gw = ir.gateways.values().next().expect("a gateway");
        gw.policy.clone()
    }

    #[test]
    fn without_configmap_keys_only_path_normalisation() {
        let p = policy_of(&[("unrelated", "x")]);
        assert_eq!(
            p,
            GatewayPolicy {
                path_normalisation: p.path_normalisation.clone(),
                ..Default::default()
            }
        );
        let n = p.path_normalisation.expect("always recorded");
        assert!(n.value.merge_slashes && n.value.decode_percent && n.value.resolve_dot_segments);
    }

    #[test]
    fn client_ip_and_proxy_protocol() {
        let p = policy_of(&[
            ("use-forwarded-headers", "true"),
            ("proxy-real-ip-cidr", "10.0.0.0/8, 192.168.0.0/16"),
            ("use-proxy-protocol", "false"),
        ]);
        let ip = p.client_ip.expect("client ip");
        assert_eq!(
            ip.value,
            ClientIp {
                use_forwarded_headers: true,
                enable_real_ip: false,
                forwarded_for_header: "X-Forwarded-For".into(),
                compute_full_forwarded_for: false,
                trusted_cidrs: vec!["10.0.0.0/8".into(), "192.168.0.0/16".into()],
            }
        );
        assert_eq!(ip.from.annotation.as_deref(), Some("use-forwarded-headers"));
        assert_eq!(
            ip.from.object.as_ref().map(|o| o.name.as_str()),
            Some("ingress-nginx-controller")
        );
        assert_eq!(p.proxy_protocol.map(|s| s.value), Some(false));
        // An invalid boolean records no client-IP fact.
        assert!(
            policy_of(&[("use-forwarded-headers", "yes")])
                .client_ip
                .is_none()
        );
    }

    #[test]
    fn tls_headers_compression_and_client_timeouts() {
        let p = policy_of(&[
            ("ssl-protocols", "TLSv1.3"),
            (
                "ssl-ciphers",
                "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384",
            ),
            ("large-client-header-buffers", "4 16k"),
            ("use-gzip", "true"),
            ("gzip-types", "text/html application/json"),
            ("enable-brotli", "true"),
            ("brotli-types", "application/json text/css"),
            ("client-body-timeout", "120"),
        ]);
        assert_eq!(
            p.tls_protocols.map(|s| s.value),
            Some(vec!["TLSv1.3".to_string()])
        );
        assert_eq!(p.tls_ciphers.map(|s| s.value.len()), Some(2));
        assert_eq!(p.max_header_bytes.map(|s| s.value), Some(16 * 1024));
        let c = p.compression.expect("compression");
        assert!(c.value.gzip && c.value.brotli);
        assert_eq!(
            c.value.types,
            vec!["text/html", "application/json", "text/css"]
        );
        let t = p.client_timeouts.expect("client timeouts");
        assert_eq!(
            t.value,
            ClientTimeouts {
                header_ms: None,
                body_ms: Some(120_000),
                keep_alive_ms: None
            }
        );
        assert_eq!(t.from.annotation.as_deref(), Some("client-body-timeout"));
        // Defaults of the type lists, and invalid sizes.
        let d = policy_of(&[
            ("use-gzip", "true"),
            ("large-client-header-buffers", "4 8MB"),
        ]);
        assert!(
            d.compression
                .expect("gzip")
                .value
                .types
                .contains(&"text/css".to_string())
        );
        assert!(d.max_header_bytes.is_none());
    }
}
