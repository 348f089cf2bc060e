//! server-alias, and the annotations Gateway API has no field for: load balancing,
//! body size and buffering, error pages, default-backend, upstream TLS ciphers,
//! OpenTelemetry, logging, HTTP/2 push (ModSecurity is access control: `modsecurity`).
//!
//! ## What ingress-nginx does
//! `server-alias` adds names to the host's `server_name` (first Ingress of the host
//! with a value wins; names that are hosts of their own are dropped). The others
//! are nginx/Lua settings of the location, server or upstream (see each entry's
//! message): they change limits, balancing, error handling or observability, not
//! routing.
//!
//! ## What Gateway API offers
//! Extra `hostnames` (a host per alias); nothing for the rest: implementations
//! offer policy resources instead.
//!
//! ## What we emit
//! Each plain alias becomes a host with a copy of the host's rules (and an HTTPS
//! listener sharing the certificate when the host has one). The rest: nothing.
//!
//! ## What we record (traffic-policy facts)
//! Before copying hosts for aliases (so the copies carry them too), the
//! location facts of body size, buffering and error pages
//! ([`super::location_facts`]) and the upstream facts of load balancing, hashing
//! and service-upstream ([`super::upstream_facts`]).
//!
//! ## What we warn
//! Regex and wildcard aliases; for every other annotation, what it did and which
//! implementation resource replaces it (info when the value is the default and so
//! changes nothing).

use super::annotated::{self, note};
use super::{Pass, PassContext, parse_go_bool};
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Report, Severity};

pub const NO_GATEWAY_FIELD: Code = Code("no-gateway-api-field");
pub const SERVER_ALIAS: Code = Code("server-alias");

/// `on`/`off` annotations: (key, nginx default, what `on` does, what `off` does).
/// A single description would be wrong for one of the two values.
const SWITCHES: &[(&str, &str, &str, &str)] = &[
    (
        "proxy-buffering",
        "off",
        "nginx buffers upstream responses before sending them to the client (proxy_buffering on; the default streams them)",
        "nginx streams upstream responses (proxy_buffering off, the default)",
    ),
    (
        "proxy-request-buffering",
        "on",
        "nginx reads the whole request body before proxying it (proxy_request_buffering on, the default)",
        "nginx streams the request body to the upstream as it arrives (proxy_request_buffering off; the default reads it whole first)",
    ),
];

/// An annotation without a Gateway API field.
struct Entry {
    key: &'static str,
    /// For booleans: the value that changes nothing.
    bool_default: Option<bool>,
    severity: Severity,
    what: &'static str,
    instead: &'static str,
}

const fn e(
    key: &'static str,
    bool_default: Option<bool>,
    severity: Severity,
    what: &'static str,
    instead: &'static str,
) -> Entry {
    Entry {
        key,
        bool_default,
        severity,
        what,
        instead,
    }
}

use Severity::{Info, Warning};

const ENTRIES: &[Entry] = &[
    e(
        "load-balance",
        None,
        Warning,
        "selects the Lua balancer algorithm of the Service port (round_robin, ewma, chash…)",
        "Envoy Gateway BackendTrafficPolicy spec.loadBalancer.type, kgateway BackendConfigPolicy spec.loadBalancer, Istio DestinationRule trafficPolicy.loadBalancer, NGINX Gateway Fabric UpstreamSettingsPolicy spec.loadBalancingMethod",
    ),
    e(
        "upstream-hash-by",
        None,
        Warning,
        "consistent-hashes requests of the Service port on an nginx variable (e.g. $request_uri, $remote_addr)",
        "Envoy Gateway BackendTrafficPolicy spec.loadBalancer{type: ConsistentHash, consistentHash{type: Header|SourceIP}}, Istio DestinationRule consistentHash, NGINX Gateway Fabric UpstreamSettingsPolicy loadBalancingMethod hash",
    ),
    e(
        "upstream-hash-by-subset",
        Some(false),
        Warning,
        "hashes onto subsets of endpoints (chashsubset)",
        "no common equivalent; consistent hashing without subsets (see upstream-hash-by)",
    ),
    e(
        "upstream-hash-by-subset-size",
        None,
        Info,
        "sets the subset size of chashsubset (default 3)",
        "no equivalent",
    ),
    e(
        "proxy-body-size",
        None,
        Warning,
        "limits request bodies (client_max_body_size, default 1m; 0 = unlimited): larger ones get 413",
        "Envoy Gateway BackendTrafficPolicy spec.requestBuffer.limit or ClientTrafficPolicy spec.connection.bufferLimit, kgateway TrafficPolicy spec.buffer.maxRequestSize, NGINX Gateway Fabric ClientSettingsPolicy spec.body.maxSize",
    ),
    e(
        "client-body-buffer-size",
        None,
        Info,
        "sets the in-memory buffer for request bodies before spilling to disk",
        "implementation buffer settings (NGINX Gateway Fabric ClientSettingsPolicy spec.body.bufferSize); usually not needed",
    ),
    e(
        "proxy-buffering",
        None,
        Info,
        "switches nginx's buffering of upstream responses (proxy_buffering, default off: streamed)",
        "implementation-specific; Envoy streams responses",
    ),
    e(
        "proxy-buffers-number",
        None,
        Info,
        "sets the number of response buffers",
        "implementation-specific; usually not needed",
    ),
    e(
        "proxy-buffer-size",
        None,
        Info,
        "sets the buffer for the upstream response headers (default 4k; large cookies/headers need more)",
        "implementation header-size limits (e.g. Envoy Gateway ClientTrafficPolicy spec.headers / BackendTrafficPolicy); check large response headers",
    ),
    e(
        "proxy-busy-buffers-size",
        None,
        Info,
        "sets the busy-buffers size",
        "implementation-specific; usually not needed",
    ),
    e(
        "proxy-max-temp-file-size",
        None,
        Info,
        "limits temporary files for buffered responses",
        "implementation-specific; usually not needed",
    ),
    e(
        "proxy-request-buffering",
        None,
        Info,
        "switches nginx's reading of the whole request body before proxying (proxy_request_buffering, default on)",
        "Envoy Gateway BackendTrafficPolicy spec.requestBuffer; most implementations stream",
    ),
    e(
        "proxy-http-version",
        None,
        Info,
        "sets the HTTP version to the upstream (1.1 default)",
        "Service appProtocol (kubernetes.io/h2c for HTTP/2); implementations choose otherwise",
    ),
    e(
        "proxy-cookie-domain",
        None,
        Warning,
        "rewrites the Domain of upstream Set-Cookie headers",
        "no Gateway API equivalent; change the application or use an implementation extension (Envoy Gateway EnvoyExtensionPolicy Lua/Wasm)",
    ),
    e(
        "proxy-cookie-path",
        None,
        Warning,
        "rewrites the Path of upstream Set-Cookie headers",
        "no Gateway API equivalent; change the application or use an implementation extension",
    ),
    e(
        "proxy-redirect-from",
        None,
        Warning,
        "rewrites upstream Location headers (proxy_redirect from → to)",
        "no Gateway API equivalent; make the application emit correct redirects",
    ),
    e(
        "proxy-redirect-to",
        None,
        Warning,
        "is the replacement of proxy-redirect-from",
        "see proxy-redirect-from",
    ),
    e(
        "custom-http-errors",
        None,
        Warning,
        "intercepts these upstream status codes and serves the default backend's error page instead",
        "Envoy Gateway BackendTrafficPolicy spec.responseOverride[]{match.statusCodes, response}, kgateway DirectResponse; or keep error pages in the application",
    ),
    e(
        "disable-proxy-intercept-errors",
        Some(false),
        Info,
        "keeps custom-http-errors for nginx's own errors but passes upstream errors through",
        "see custom-http-errors",
    ),
    e(
        "default-backend",
        None,
        Warning,
        "serves this Service when the location's Service has no ready endpoints (instead of 503), and custom-http-errors pages",
        "Envoy Gateway BackendTrafficPolicy spec.responseOverride can serve a fixed error page",
    ),
    e(
        "service-upstream",
        Some(false),
        Info,
        "proxies to the Service's ClusterIP instead of the pod endpoints (no per-pod balancing, kube-proxy decides)",
        "Gateway implementations balance over endpoints; kgateway/Envoy Gateway `Backend` with the ClusterIP reproduces it if really needed",
    ),
    e(
        "ssl-ciphers",
        None,
        Warning,
        "sets the TLS ciphers of the host's server (server-wide, first Ingress wins)",
        "Envoy Gateway ClientTrafficPolicy spec.tls.ciphers, kgateway ListenerPolicy, Istio Gateway tls options; Gateway API has no cipher field",
    ),
    e(
        "ssl-prefer-server-ciphers",
        None,
        Info,
        "prefers the server's cipher order",
        "Envoy Gateway ClientTrafficPolicy spec.tls; usually the implementation default",
    ),
    e(
        "enable-opentelemetry",
        None,
        Info,
        "turns OpenTelemetry tracing on or off for the location",
        "configure tracing on the Gateway implementation (Envoy Gateway EnvoyProxy spec.telemetry.tracing, Istio Telemetry, NGINX Gateway Fabric ObservabilityPolicy)",
    ),
    e(
        "opentelemetry-trust-incoming-span",
        None,
        Info,
        "decides whether incoming trace context is continued",
        "implementation tracing settings",
    ),
    e(
        "opentelemetry-operation-name",
        None,
        Info,
        "names the span of the location",
        "implementation tracing settings",
    ),
    e(
        "enable-access-log",
        Some(true),
        Info,
        "turns the access log off for the location",
        "implementation access-log settings (Envoy Gateway EnvoyProxy spec.telemetry.accessLog, with matches to exclude routes)",
    ),
    e(
        "enable-rewrite-log",
        Some(false),
        Info,
        "logs rewrite processing at notice level (debugging)",
        "no equivalent; debugging only",
    ),
    e(
        "http2-push-preload",
        Some(false),
        Info,
        "turns Link preload headers into HTTP/2 server pushes",
        "nothing to replace: browsers removed HTTP/2 push, and Gateway implementations do not push",
    ),
];

pub struct Misc;

impl Pass for Misc {
    fn name(&self) -> &'static str {
        "misc"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &[
            "server-alias",
            "load-balance",
            "upstream-hash-by",
            "upstream-hash-by-subset",
            "upstream-hash-by-subset-size",
            "proxy-body-size",
            "client-body-buffer-size",
            "proxy-buffering",
            "proxy-buffers-number",
            "proxy-buffer-size",
            "proxy-busy-buffers-size",
            "proxy-max-temp-file-size",
            "proxy-request-buffering",
            "proxy-http-version",
            "proxy-cookie-domain",
            "proxy-cookie-path",
            "proxy-redirect-from",
            "proxy-redirect-to",
            "custom-http-errors",
            "disable-proxy-intercept-errors",
            "default-backend",
            "service-upstream",
            "ssl-ciphers",
            "ssl-prefer-server-ciphers",
            "enable-opentelemetry",
            "opentelemetry-trust-incoming-span",
            "opentelemetry-operation-name",
            "enable-access-log",
            "enable-rewrite-log",
            "http2-push-preload",
        ]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for ing in &cx.ingresses {
            for entry in ENTRIES {
                let Some(v) = annotated::value(cx, ing, entry.key) else {
                    continue;
                };
                let kept_on_canary = ["load-balance", "upstream-hash-by"]
                    .iter()
                    .any(|p| entry.key.starts_with(p));
                if cx.is_canary(ing) && !kept_on_canary {
                    continue; // reported by the canary pass as ignored
                }
                report.push(describe(cx, ing, entry, v.trim()));
            }
        }
        super::location_facts::record(cx, ir);
        super::upstream_facts::record(cx, ir);
        server_alias(cx, ir, report);
    }
}

fn describe(
    cx: &PassContext,
    ing: &InputIngress,
    entry: &Entry,
    v: &str,
) -> crate::report::Notification {
    if let Some(default) = entry.bool_default {
        match parse_go_bool(v) {
            Some(b) if b == default => {
                return note(
                    cx,
                    ing,
                    entry.key,
                    Severity::Info,
                    NO_GATEWAY_FIELD,
                    format!(
                        "{}: `{v}` is the default, nothing changes (the annotation {})",
                        entry.key, entry.what
                    ),
                );
            }
            None => {
                return note(
                    cx,
                    ing,
                    entry.key,
                    Severity::Info,
                    NO_GATEWAY_FIELD,
                    format!(
                        "{}: `{v}` is not a boolean, ingress-nginx uses the default; nothing to translate",
                        entry.key
                    ),
                );
            }
            Some(_) => {}
        }
    }
    if let Some(&(_, default, on, off)) = SWITCHES.iter().find(|s| s.0 == entry.key) {
        let (severity, message) = match v.to_ascii_lowercase().as_str() {
            x if x == default => (
                Severity::Info,
                format!("{} `{v}` is the default, nothing changes", entry.key),
            ),
            "on" => (
                entry.severity,
                format!(
                    "{} `{v}`: {on}; Gateway API has no field for it, nothing is emitted",
                    entry.key
                ),
            ),
            "off" => (
                entry.severity,
                format!(
                    "{} `{v}`: {off}; Gateway API has no field for it, nothing is emitted",
                    entry.key
                ),
            ),
            _ => (
                Severity::Warning,
                format!(
                    "{} `{v}` is neither `on` nor `off`; Gateway API has no field for it, nothing is emitted",
                    entry.key
                ),
            ),
        };
        return note(cx, ing, entry.key, severity, NO_GATEWAY_FIELD, message)
            .suggest(entry.instead);
    }
    if entry.key == "proxy-body-size" && v == "0" {
        return note(
            cx,
            ing,
            entry.key,
            Severity::Info,
            NO_GATEWAY_FIELD,
            "proxy-body-size 0: no body size limit, like most Gateway implementations by default",
        );
    }
    note(
        cx,
        ing,
        entry.key,
        entry.severity,
        NO_GATEWAY_FIELD,
        format!(
            "{} `{v}` {}; Gateway API has no field for it, nothing is emitted",
            entry.key, entry.what
        ),
    )
    .suggest(entry.instead)
}

fn is_plain_alias(a: &str) -> bool {
    super::headers::is_precise_hostname(a)
}

fn server_alias(cx: &PassContext, ir: &mut Ir, report: &mut Report) {
    // Few Ingresses carry server-alias: look only at those for each host.
    let aliased: Vec<_> = cx
        .ingresses
        .iter()
        .filter(|ing| !cx.is_canary(ing) && annotated::value(cx, ing, "server-alias").is_some())
        .collect();
    if aliased.is_empty() {
        return;
    }
    // First Ingress (sorted order) of the host with a non-empty value wins.
    let winners = annotated::first_with_rules(ir, aliased.iter().map(|ing| **ing));
    let mut new_hosts = Vec::new();
    for (id, ing) in winners {
        let Some(host) = ir.hosts.get(&id) else {
            continue;
        };
        if host.id.host.hostname().is_none() {
            continue;
        }
        let value = annotated::value(cx, ing, "server-alias").unwrap_or_default();
        for alias in annotated::list(value) {
            let lower = alias.to_ascii_lowercase();
            let id = HostId {
                gateway: host.id.gateway.clone(),
                host: HostKey::Named(lower.clone()),
            };
            if ir.hosts.contains_key(&id) {
                report.push(note(
                    cx,
                    ing,
                    "server-alias",
                    Severity::Info,
                    SERVER_ALIAS,
                    format!(
                        "alias {alias} of {} is a host of its own: ingress-nginx drops the alias",
                        host.id.host
                    ),
                ));
                continue;
            }
            if let Some(why) =
                super::hostnames::invalid_reason(&lower).filter(|_| is_plain_alias(&lower))
            {
                // nginx accepts it as a server name; a Gateway API hostname cannot be one.
                report.push(note(cx, ing, "server-alias", Severity::Warning, SERVER_ALIAS, format!("alias `{alias}` of {} is {why}: not a valid Gateway API hostname, no host is emitted for it", host.id.host)).suggest("clients using this name need a route of their own (e.g. a host-less rule), or drop the alias"));
                continue;
            }
            if !is_plain_alias(&lower) {
                report.push(note(cx, ing, "server-alias", Severity::Warning, SERVER_ALIAS, format!("alias `{alias}` of {} is a regex or wildcard server name: Gateway API hostnames cannot express it, no host is emitted for it", host.id.host)).suggest("list the concrete hostnames as server aliases or as Ingress hosts"));
                continue;
            }
            let mut copy = host.clone();
            copy.id = id.clone();
            new_hosts.push((host.id.clone(), copy, ing));
        }
    }
    for (original, copy, ing) in new_hosts {
        let name = original.host.hostname().unwrap_or_default().to_string();
        let alias = copy.id.host.hostname().unwrap_or_default().to_string();
        let mut tls_note = String::new();
        if let Some(gw) = ir.gateways.get_mut(&original.gateway)
            && let Some(l) = gw.https.get(&name).cloned()
        {
            tls_note = format!(
                "; its HTTPS listener reuses Secret {}/{}, whose certificate must cover {alias}",
                l.secret.namespace, l.secret.name
            );
            gw.https.insert(
                alias.clone(),
                HttpsListener {
                    hostname: alias.clone(),
                    ..l
                },
            );
        }
        report.push(note(cx, ing, "server-alias", Severity::Info, SERVER_ALIAS, format!("server-alias {alias} of {name}: emitted as its own host with the same {} rule(s){tls_note}", copy.rules.len())));
        if ir.hosts.contains_key(&copy.id) {
            continue;
        }
        ir.hosts.insert(copy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_claimed_once() {
        let claimed = Misc.annotations();
        for e in ENTRIES {
            assert!(claimed.contains(&e.key), "{} not claimed", e.key);
        }
        let mut sorted: Vec<&str> = claimed.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), claimed.len());
        assert_eq!(claimed.len(), ENTRIES.len() + 1);
    }

    #[test]
    fn aliases() {
        assert!(is_plain_alias("www.example.com"));
        assert!(!is_plain_alias("~^api\\d+\\.example\\.com$"));
        assert!(!is_plain_alias("*.example.com"));
    }
}
