//! The Gateway API version profiles against the published CRDs: for each
//! profile, the CRDs of that release and channel serve exactly what the profile
//! says (ReferenceGrant/TLSRoute/ListenerSet versions, the CORS and ExternalAuth
//! filters, retry, sessionPersistence and its idleTimeout, Gateway
//! tls.frontend and allowedListeners).
//!
//! The CRDs ship inside the `sigs.k8s.io/gateway-api` Go module: they are read from
//! the Go module cache (`$GOMODCACHE`, else `$HOME/go/pkg/mod`), never committed.
//! Fetch them with `go mod download sigs.k8s.io/gateway-api@v1.4.1` (and v1.5.1,
//! v1.6.1); a release absent from the cache is skipped with a message, unless
//! `ING2GW_REQUIRE_CRDS=1` (CI) makes that a failure.

use ing2gw::options::Channel;
use ing2gw::target::gateway_api::{GatewayApiProfile, GatewayApiVersion};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn module_dir(release: &str) -> Option<PathBuf> {
    let cache = std::env::var_os("GOMODCACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join("go/pkg/mod")))?;
    let dir = cache.join(format!("sigs.k8s.io/gateway-api@v{release}"));
    dir.is_dir().then_some(dir)
}

/// kind → CRD (as JSON) of one channel folder.
fn crds(dir: PathBuf) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("crd dir") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml")
            || path.ends_with("kustomization.yaml")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let docs: Vec<Value> = serde_saphyr::from_multiple(&text).expect("CRD YAML");
        for doc in docs {
            if doc["kind"] == "CustomResourceDefinition" {
                let kind = doc["spec"]["names"]["kind"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                out.insert(kind, doc);
            }
        }
    }
    out
}

fn served(crds: &BTreeMap<String, Value>, kind: &str) -> Vec<String> {
    crds.get(kind)
        .map(|c| {
            c["spec"]["versions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|v| v["served"].as_bool() == Some(true))
                .filter_map(|v| v["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The v1 schema of `kind` at JSON pointer `path` (under `openAPIV3Schema`).
fn has(crds: &BTreeMap<String, Value>, kind: &str, path: &str) -> bool {
    crds.get(kind).is_some_and(|c| {
        c["spec"]["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| v["name"] == "v1")
            .any(|v| v["schema"]["openAPIV3Schema"].pointer(path).is_some())
    })
}

const RULE: &str = "/properties/spec/properties/rules/items/properties";

#[test]
fn profiles_match_the_published_crds() {
    let require = std::env::var_os("ING2GW_REQUIRE_CRDS").is_some_and(|v| v == "1");
    let mut checked = 0;
    for (version, release) in [
        (GatewayApiVersion::V1_4, "1.4.1"),
        (GatewayApiVersion::V1_5, "1.5.1"),
        (GatewayApiVersion::V1_6, "1.6.1"),
    ] {
        let Some(dir) = module_dir(release) else {
            assert!(
                !require,
                "sigs.k8s.io/gateway-api@v{release} is not in the Go module cache"
            );
            eprintln!(
                "skipped Gateway API {release}: not in the Go module cache (go mod download sigs.k8s.io/gateway-api@v{release})"
            );
            continue;
        };
        for channel in [Channel::Standard, Channel::Experimental] {
            let folder = match channel {
                Channel::Standard => "standard",
                Channel::Experimental => "experimental",
            };
            let crds = crds(dir.join("config/crd").join(folder));
            let p = GatewayApiProfile::new(version, channel);
            let what = p.describe();
            let rg = p
                .reference_grant_api_version()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            assert!(
                served(&crds, "ReferenceGrant").contains(&rg),
                "{what}: ReferenceGrant {rg}"
            );
            match p.tls_route() {
                Some(k) => {
                    let v = k
                        .api_version
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    assert!(
                        served(&crds, "TLSRoute").contains(&v),
                        "{what}: TLSRoute {v}"
                    );
                }
                None => assert!(served(&crds, "TLSRoute").is_empty(), "{what}: no TLSRoute"),
            }
            match p.listener_set() {
                Some(k) => {
                    let v = k
                        .api_version
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    assert!(served(&crds, k.kind).contains(&v), "{what}: {} {v}", k.kind);
                    let group = crds[k.kind]["spec"]["group"].as_str().unwrap_or_default();
                    assert_eq!(group, k.group, "{what}: {} group", k.kind);
                }
                None => {
                    assert!(
                        served(&crds, "ListenerSet").is_empty()
                            && served(&crds, "XListenerSet").is_empty(),
                        "{what}: no ListenerSet"
                    );
                }
            }
            let gw = "/properties/spec/properties";
            assert_eq!(
                has(&crds, "Gateway", &format!("{gw}/allowedListeners")),
                p.listener_set().is_some(),
                "{what}: allowedListeners"
            );
            assert_eq!(
                has(
                    &crds,
                    "Gateway",
                    &format!("{gw}/tls/properties/frontend/properties/perPort")
                ),
                p.frontend_client_validation(),
                "{what}: tls.frontend"
            );
            let filter = format!("{RULE}/filters/items/properties");
            assert_eq!(
                has(&crds, "HTTPRoute", &format!("{filter}/cors")),
                p.cors_filter(),
                "{what}: CORS"
            );
            assert_eq!(
                has(&crds, "HTTPRoute", &format!("{filter}/externalAuth")),
                p.external_auth_filter(),
                "{what}: ExternalAuth"
            );
            assert_eq!(
                has(&crds, "HTTPRoute", &format!("{RULE}/retry")),
                p.http_route_retry(),
                "{what}: retry"
            );
            assert_eq!(
                has(&crds, "HTTPRoute", &format!("{RULE}/sessionPersistence")),
                p.session_persistence(),
                "{what}: sessionPersistence"
            );
            assert_eq!(
                has(
                    &crds,
                    "HTTPRoute",
                    &format!("{RULE}/sessionPersistence/properties/idleTimeout")
                ),
                p.session_persistence_idle_timeout(),
                "{what}: idleTimeout"
            );
            assert!(
                served(&crds, "BackendTLSPolicy").contains(&"v1".to_string()),
                "{what}: BackendTLSPolicy v1"
            );
            match p.tcp_udp_route_api_version() {
                Some(av) => {
                    let v = av.rsplit('/').next().unwrap_or_default().to_string();
                    assert!(
                        served(&crds, "TCPRoute").contains(&v),
                        "{what}: TCPRoute {v}"
                    );
                }
                None => assert!(served(&crds, "TCPRoute").is_empty(), "{what}: no TCPRoute"),
            }
            checked += 1;
        }
    }
    eprintln!("{checked} profiles checked against the published CRDs");
}
