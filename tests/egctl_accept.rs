//! Envoy Gateway's own translator accepts what `ing2gw print --implementation
//! envoy-gateway` emits (issue 14 §4).
//!
//! For every `testdata/` case (with its `args`) and every `../shared/corpus` file,
//! the test runs the real `ing2gw` binary, adds what a cluster would hold and the
//! output only references — a GatewayClass of Envoy Gateway's controller, the
//! Namespaces (with the `kubernetes.io/metadata.name` label the API server sets),
//! the Services with the ports the routes use, TLS Secrets holding a real
//! self-signed certificate, CA ConfigMaps, htpasswd Secrets — all synthesised here
//! from the output, never read from a cluster, and runs
//! `egctl experimental translate --from gateway-api --to gateway-api,xds` on it
//! (the xDS translation must succeed too). Every
//! Gateway listener, route parent and policy ancestor must come back with its
//! positive conditions (Accepted, Programmed, ResolvedRefs) True and its negative
//! ones (Conflicted, …) False, and every emitted object must come back at all.
//! Deliberate exceptions are the named allow-list [`EXPECTED`], each with its
//! reason; an entry that no longer matches anything fails too, so the list cannot
//! rot.
//!
//! One egctl process costs about 1.5 s (mostly its start-up), so cases are run in
//! batches: each case's namespaces are renamed `k<N>-<namespace>` (references and
//! namespace selectors too), which keeps cases that reuse names apart in one
//! translation; a batch that egctl refuses as a whole (a local schema validation
//! error) is re-run one case at a time to name the culprit.
//! `ING2GW_EGCTL_BATCH=1` runs every case alone, without renaming.
//!
//! Needs the egctl build of `tools/egctl.sh` (see `tests/support/egctl.rs`): it
//! skips with a notice without it, fails under `CI`/`ING2GW_REQUIRE_EGCTL=1`.

#[path = "support/cases.rs"]
mod cases;
#[path = "support/egctl.rs"]
mod egctl;

use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The GatewayClass every generated Gateway is pointed at for the translation.
const CLASS: &str = "ing2gw-egctl";
const CONTROLLER: &str = "gateway.envoyproxy.io/gatewayclass-controller";
/// Label the API server puts on every Namespace (selectors in our output use it).
const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// A condition egctl reports that our output expects on purpose.
struct Expected {
    /// The case label (`testdata/...` folder or `corpus/NNN.yaml`).
    case: &'static str,
    /// `Kind/namespace/name` of the object carrying the condition, or `-` when
    /// egctl refuses the whole input.
    object: &'static str,
    /// `Type=Status/Reason` (`missing`, `no status`), or for `-` a part of
    /// egctl's error message.
    condition: &'static str,
    /// Why this is the right answer.
    why: &'static str,
}

/// Deliberate non-accepted conditions, with their reason.
const EXPECTED: &[Expected] = &[
    Expected {
        case: "testdata/annotations/canary/cross-namespace",
        object: "HTTPRoute/shop/app.example.com",
        condition: "ResolvedRefs=False/RefNotPermitted",
        why: "without --allow-cross-namespace-grants no ReferenceGrant is written into namespace \
              beta (error cross-namespace-reference): the canary share answers 500 instead of \
              granting every route of shop",
    },
    Expected {
        case: "testdata/annotations/mirror/service-target",
        object: "HTTPRoute/shop/shop.example.com",
        condition: "ResolvedRefs=False/RefNotPermitted",
        why: "without --allow-cross-namespace-grants no ReferenceGrant is written into namespace \
              testing (error cross-namespace-reference): the mirror is refused, the route serves",
    },
    Expected {
        case: "testdata/core/shared-host-namespaces",
        object: "HTTPRoute/api/shop.example.com-http",
        condition: "RouteRulesOverlap=True/RouteRulesOverlap",
        why: "one host, three namespaces: each namespace gets the same HTTP→HTTPS redirect \
              route, so whichever wins answers the same 308",
    },
    Expected {
        case: "testdata/core/shared-host-namespaces",
        object: "HTTPRoute/static/shop.example.com-http",
        condition: "RouteRulesOverlap=True/RouteRulesOverlap",
        why: "the same identical HTTP→HTTPS redirect as api/shop.example.com-http",
    },
    Expected {
        case: "testdata/core/shared-host-namespaces",
        object: "HTTPRoute/web/shop.example.com-http",
        condition: "RouteRulesOverlap=True/RouteRulesOverlap",
        why: "the same identical HTTP→HTTPS redirect as api/shop.example.com-http",
    },
];

/// Rejections of today's output that are real bugs not fixed yet, each with
/// what is wrong and who fixes it; remove the entry with the fix (a stale entry
/// fails the test).
const KNOWN_BUGS: &[Expected] = &[];

/// Positive-polarity condition types: True is healthy.
const POSITIVE: [&str; 4] = ["Accepted", "Programmed", "ResolvedRefs", "Ready"];
/// Negative-polarity condition types: False is healthy.
const NEGATIVE: [&str; 4] = [
    "Conflicted",
    "OverlappingTLSConfig",
    "PartiallyInvalid",
    // Envoy Gateway: rules of several routes match the same requests.
    "RouteRulesOverlap",
];

/// Conditions Envoy Gateway sets as advice, not as a rejection: counted and
/// shown in the summary. OverlappingTLSConfig=True: listeners share a
/// certificate (or a wildcard covers another hostname), so Envoy Gateway
/// restricts ALPN to HTTP/1.1 on them (against HTTP/2 connection coalescing).
/// The sharing is the input's (one Secret for several hosts), not a defect.
/// Overridden=True: a Gateway-level BackendTrafficPolicy/ClientTrafficPolicy is
/// replaced, for some routes or listeners, by a narrower one; ing2gw repeats the
/// Gateway-level settings in the narrower policy (`backend_traffic_policy::emit`,
/// `client_traffic_policy::emit`), so nothing of the Gateway's is lost there.
const ADVISORY: [&str; 3] = [
    "OverlappingTLSConfig=True/OverlappingCertificates",
    "OverlappingTLSConfig=True/OverlappingHostnames",
    "Overridden=True/Overridden",
];

/// Kinds egctl v1.9.1 cannot check: its YAML loader (`resource.LoadResourcesFromYAMLBytes`)
/// has no case for ListenerSet and drops it without a word, although Envoy
/// Gateway's translator handles ListenerSets in a cluster. Counted as unchecked;
/// routes are checked on their Gateway parents only.
const UNCHECKABLE: [&str; 1] = ["ListenerSet"];

/// Kinds that carry no status: egctl need not return them. A route using an
/// HTTPRouteFilter that does not resolve is itself not Accepted/ResolvedRefs, so
/// the filter is still judged through its routes.
const STATUSLESS: [&str; 2] = ["ReferenceGrant", "HTTPRouteFilter"];

/// One input translated for the check.
struct Case {
    label: String,
    input: PathBuf,
    args: Vec<String>,
}

fn testdata_cases() -> Vec<Case> {
    let root = cases::root();
    cases::testdata_inputs(&["input.yaml", "input.json"])
        .into_iter()
        .map(|input| {
            let dir = input.parent().expect("case folder");
            Case {
                label: dir.strip_prefix(&root).unwrap_or(dir).display().to_string(),
                args: cases::case_args(dir),
                input,
            }
        })
        .collect()
}

fn corpus_cases() -> Vec<Case> {
    cases::corpus_files(&["yaml", "yml", "json"])
        .unwrap_or_default()
        .into_iter()
        .map(|input| Case {
            label: format!(
                "corpus/{}",
                input.file_name().and_then(|n| n.to_str()).unwrap_or("?")
            ),
            args: Vec::new(),
            input,
        })
        .collect()
}

/// The objects `ing2gw print --implementation envoy-gateway -o json` emits for `case`.
fn print(case: &Case) -> Result<Vec<Value>, String> {
    let dir = case.input.parent().expect("input folder");
    let mut command = Command::new(env!("CARGO_BIN_EXE_ing2gw"));
    command
        .arg("print")
        .arg("-f")
        .arg(&case.input)
        .args(&case.args);
    // A case that names its target (testdata/implementations/envoy-gateway) keeps it.
    if !case.args.iter().any(|a| a == "--implementation") {
        command.args(["--implementation", "envoy-gateway"]);
    }
    let out = command
        .args(["-o", "json"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("running ing2gw: {e}"))?;
    // A usage error (clap prints its usage line) must never read as "no output";
    // exit 2 for an input error the run continued past is the case's own.
    if out.status.code() == Some(2) && String::from_utf8_lossy(&out.stderr).contains("Usage:") {
        return Err(format!(
            "ing2gw print exited 2: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if out.stdout.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let list: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("ing2gw output is not JSON ({e})"))?;
    Ok(list["items"].as_array().cloned().unwrap_or_default())
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// `Kind/namespace/name`.
fn identity(v: &Value) -> String {
    format!(
        "{}/{}/{}",
        str_at(v, "/kind"),
        str_at(v, "/metadata/namespace"),
        str_at(v, "/metadata/name")
    )
}

/// Renames every namespace `v` mentions with `rename`: `namespace` fields
/// (metadata, parentRefs, backendRefs, certificateRefs, ReferenceGrant `from`…)
/// and namespace-name selectors.
fn rename_namespaces(v: &mut Value, rename: &dyn Fn(&str) -> String) {
    match v {
        Value::Object(map) => {
            let is_name_expression = map.get("key").and_then(Value::as_str)
                == Some(NAMESPACE_NAME_LABEL)
                && map.contains_key("operator");
            for (k, child) in map.iter_mut() {
                match (k.as_str(), &mut *child) {
                    ("annotations" | "labels", _) => {}
                    ("namespace", Value::String(s)) => *s = rename(s),
                    ("values", Value::Array(items)) if is_name_expression => {
                        for item in items {
                            if let Value::String(s) = item {
                                *s = rename(s);
                            }
                        }
                    }
                    ("matchLabels", Value::Object(labels)) => {
                        if let Some(Value::String(s)) = labels.get_mut(NAMESPACE_NAME_LABEL) {
                            *s = rename(s);
                        }
                    }
                    _ => rename_namespaces(child, rename),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rename_namespaces(item, rename);
            }
        }
        _ => {}
    }
}

/// What the output references and a cluster would have to hold.
#[derive(Default)]
struct Referenced {
    namespaces: BTreeSet<String>,
    /// `(namespace, name) → ports`.
    services: BTreeMap<(String, String), BTreeSet<i64>>,
    tls_secrets: BTreeSet<(String, String)>,
    ca_config_maps: BTreeSet<(String, String)>,
    ca_secrets: BTreeSet<(String, String)>,
    htpasswd_secrets: BTreeSet<(String, String)>,
}

impl Referenced {
    /// Walks `v` (inside an object of namespace `ns`) for references.
    fn collect(&mut self, v: &Value, ns: &str) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let refs: Vec<&Value> = match child {
                        Value::Array(items) => items.iter().collect(),
                        Value::Object(_) => vec![child],
                        _ => Vec::new(),
                    };
                    for r in refs.iter().filter(|r| r.get("name").is_some()) {
                        self.reference(k, r, ns);
                    }
                    self.collect(child, ns);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.collect(i, ns)),
            _ => {}
        }
    }

    fn reference(&mut self, field: &str, r: &Value, ns: &str) {
        let group = str_at(r, "/group");
        let kind = str_at(r, "/kind");
        let target = (
            r.get("namespace")
                .and_then(Value::as_str)
                .unwrap_or(ns)
                .to_string(),
            str_at(r, "/name").to_string(),
        );
        if !group.is_empty() {
            return; // Gateway API / Envoy Gateway objects: emitted by us or a real miss
        }
        self.namespaces.insert(target.0.clone());
        match (field, kind) {
            ("targetRefs" | "targetRef", "Service") => {
                self.services.entry(target).or_default();
            }
            ("backendRefs" | "backendRef", "" | "Service") => {
                let ports = self.services.entry(target).or_default();
                if let Some(p) = r.get("port").and_then(Value::as_i64) {
                    ports.insert(p);
                }
            }
            ("certificateRefs", "" | "Secret") => {
                self.tls_secrets.insert(target);
            }
            ("caCertificateRefs", "ConfigMap") => {
                self.ca_config_maps.insert(target);
            }
            ("caCertificateRefs", "Secret") => {
                self.ca_secrets.insert(target);
            }
            ("users", "" | "Secret") => {
                self.htpasswd_secrets.insert(target);
            }
            _ => {}
        }
    }
}

/// A self-signed certificate and its key.
struct TestPki {
    cert_pem: String,
    key_pem: String,
}

/// A certificate for `name` (one per Secret: listeners sharing one certificate
/// make Envoy Gateway report OverlappingTLSConfig, which must come from the
/// output, not from the fixture).
fn test_pki(name: &str) -> TestPki {
    let ck = rcgen::generate_simple_self_signed(vec![name.to_string()])
        .expect("self-signed certificate");
    TestPki {
        cert_pem: ck.cert.pem(),
        key_pem: ck.signing_key.serialize_pem(),
    }
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// The objects a cluster would hold for `objects` to resolve.
fn synthesise(objects: &[Value], pki: &TestPki) -> Vec<Value> {
    // `pki` is the CA of the CA bundles; each TLS Secret gets its own certificate.
    let mut refs = Referenced::default();
    for o in objects {
        let ns = str_at(o, "/metadata/namespace");
        refs.namespaces.insert(ns.to_string());
        if let Some(spec) = o.get("spec") {
            refs.collect(spec, ns);
        }
    }
    let meta = |(ns, name): &(String, String)| json!({"name": name, "namespace": ns});
    let mut out = Vec::new();
    for ns in refs.namespaces.iter().filter(|n| !n.is_empty()) {
        out.push(json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": ns, "labels": {NAMESPACE_NAME_LABEL: ns}}}));
    }
    for (key, ports) in &refs.services {
        let ports: Vec<Value> = ports
            .iter()
            .map(|p| json!({"name": format!("p{p}"), "port": p, "protocol": "TCP"}))
            .collect();
        out.push(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": meta(key),
            "spec": {"clusterIP": "10.96.0.10", "ports": ports}}),
        );
    }
    for key in &refs.tls_secrets {
        let pki = test_pki(&format!("{}.{}.secret.test", key.1, key.0));
        out.push(
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta(key),
            "type": "kubernetes.io/tls",
            "data": {"tls.crt": b64(&pki.cert_pem), "tls.key": b64(&pki.key_pem)}}),
        );
    }
    for key in &refs.ca_secrets {
        out.push(
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta(key),
            "data": {"ca.crt": b64(&pki.cert_pem)}}),
        );
    }
    for key in &refs.ca_config_maps {
        out.push(
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(key),
            "data": {"ca.crt": pki.cert_pem}}),
        );
    }
    for key in &refs.htpasswd_secrets {
        // user `u`, password `p`, in the {SHA} form Envoy's basic auth reads.
        out.push(
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta(key),
            "data": {".htpasswd": b64("u:{SHA}UWHXMv1OfJ7mqyCMSPKHRnUAhDs=\n")}}),
        );
    }
    out
}

/// One case's objects, ready for a batch: renamed with `prefix` (when batching)
/// and pointed at [`CLASS`].
struct Prepared {
    label: String,
    prefix: Option<String>,
    emitted: Vec<Value>,
}

fn prepare(label: &str, objects: Vec<Value>, prefix: Option<String>) -> Prepared {
    let emitted = objects
        .into_iter()
        .map(|mut o| {
            if str_at(&o, "/metadata/namespace").is_empty()
                && let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut)
            {
                // kubectl's default; egctl's would be envoy-gateway-system.
                meta.insert("namespace".into(), "default".into());
            }
            if let Some(p) = &prefix {
                rename_namespaces(&mut o, &|ns: &str| format!("{p}{ns}"));
            }
            if let Some(class) = o.pointer_mut("/spec/gatewayClassName") {
                *class = CLASS.into();
            }
            o
        })
        .collect();
    Prepared {
        label: label.to_string(),
        prefix,
        emitted,
    }
}

/// The outcome of one egctl run: the returned objects by identity.
type Returned = BTreeMap<String, Value>;

fn run_egctl(egctl: &Path, batch: &[&Prepared], pki: &TestPki) -> Result<Returned, String> {
    let mut docs = vec![json!({"apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "GatewayClass", "metadata": {"name": CLASS},
        "spec": {"controllerName": CONTROLLER}})];
    for p in batch {
        docs.extend(p.emitted.iter().cloned());
        docs.extend(synthesise(&p.emitted, pki));
    }
    let mut text = String::new();
    for d in &docs {
        text.push_str("---\n");
        text.push_str(&serde_json::to_string(d).expect("json"));
        text.push('\n');
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("in.yaml");
    std::fs::write(&file, &text).expect("write egctl input");
    // ING2GW_EGCTL_KEEP=DIR keeps every egctl input, to rerun egctl by hand.
    if let Some(keep) = std::env::var_os("ING2GW_EGCTL_KEEP") {
        let keep = PathBuf::from(keep);
        let _ = std::fs::create_dir_all(&keep);
        let name = format!("{}-{}.yaml", batch[0].label.replace('/', "_"), batch.len());
        let _ = std::fs::write(keep.join(name), &text);
    }
    let out = Command::new(egctl)
        .args(["experimental", "translate", "--from", "gateway-api"])
        // xds too: a failure to build Envoy's configuration is an error exit.
        .args(["--to", "gateway-api,xds", "-o", "json", "-f"])
        .arg(&file)
        .output()
        .map_err(|e| format!("running egctl: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "egctl failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let result: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("egctl output is not JSON ({e})"))?;
    let mut returned = Returned::new();
    for v in result.as_object().into_iter().flat_map(Map::values) {
        let items: Vec<&Value> = match v {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for o in items.into_iter().filter(|o| o.get("kind").is_some()) {
            returned.insert(identity(o), o.clone());
        }
    }
    Ok(returned)
}

/// A condition that is not healthy, as `Type=Status/Reason: message`.
fn unhealthy(conditions: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in conditions.as_array().into_iter().flatten() {
        let ty = str_at(c, "/type");
        let status = str_at(c, "/status");
        let healthy = if POSITIVE.contains(&ty) {
            status == "True"
        } else if NEGATIVE.contains(&ty) {
            status == "False"
        } else {
            false // unknown type: look at it, then classify it above
        };
        if !healthy {
            out.push((
                format!("{ty}={status}/{}", str_at(c, "/reason")),
                str_at(c, "/message").to_string(),
            ));
        }
    }
    out
}

/// Problems of one emitted object as egctl returned it (`where_` names the
/// listener/parent/ancestor a condition belongs to).
fn judge(sent: &Value, got: Option<&Value>) -> Vec<(String, String, String)> {
    let kind = str_at(sent, "/kind");
    if STATUSLESS.contains(&kind) {
        return Vec::new();
    }
    // A route emitted with `parentRefs: []` is detached on purpose (its listener
    // could not be built; ing2gw says so): nothing attaches it, nothing to check.
    let detached = sent["spec"]["parentRefs"]
        .as_array()
        .is_some_and(Vec::is_empty);
    if kind.ends_with("Route") && detached {
        return Vec::new();
    }
    let Some(got) = got else {
        return vec![(
            String::new(),
            "missing".into(),
            "egctl did not return it (a kind it does not load?)".into(),
        )];
    };
    let mut out = Vec::new();
    fn add(out: &mut Vec<(String, String, String)>, where_: String, conditions: &Value) {
        for (c, msg) in unhealthy(conditions) {
            out.push((where_.clone(), c, msg));
        }
    }
    add(&mut out, String::new(), &got["status"]["conditions"]);
    match kind {
        "Gateway" | "ListenerSet" => {
            let listeners = got["status"]["listeners"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for l in sent["spec"]["listeners"].as_array().into_iter().flatten() {
                let name = str_at(l, "/name");
                match listeners.iter().find(|s| str_at(s, "/name") == name) {
                    Some(s) => add(&mut out, format!("listener {name}"), &s["conditions"]),
                    None => out.push((
                        format!("listener {name}"),
                        "no status".into(),
                        "egctl reported nothing for this listener".into(),
                    )),
                }
            }
        }
        "HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute" | "UDPRoute" => {
            let parents = got["status"]["parents"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let parent_refs = sent["spec"]["parentRefs"].as_array().into_iter().flatten();
            // egctl cannot load ListenerSets (see [`UNCHECKABLE`]).
            for r in parent_refs.filter(|r| str_at(r, "/kind") != "ListenerSet") {
                let (name, section) = (str_at(r, "/name"), str_at(r, "/sectionName"));
                let found = parents.iter().find(|p| {
                    str_at(p, "/parentRef/name") == name
                        && str_at(p, "/parentRef/sectionName") == section
                });
                let at = format!("parent {name}/{section}");
                match found {
                    Some(p) => add(&mut out, at, &p["conditions"]),
                    None => out.push((
                        at,
                        "no status".into(),
                        "the route is not attached to this parent".into(),
                    )),
                }
            }
        }
        k if k.ends_with("Policy") && k != "EnvoyPatchPolicy" => {
            let ancestors = got["status"]["ancestors"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if ancestors.is_empty() {
                out.push((
                    String::new(),
                    "no status".into(),
                    "no ancestor: the policy attached to nothing".into(),
                ));
            }
            for a in &ancestors {
                let at = format!(
                    "ancestor {}/{}",
                    str_at(a, "/ancestorRef/name"),
                    str_at(a, "/ancestorRef/sectionName")
                );
                add(&mut out, at, &a["conditions"]);
            }
        }
        _ => {}
    }
    out
}

/// Removes the `k<N>-` prefix of every namespace in an identity.
fn unprefixed(identity: &str, prefix: Option<&str>) -> String {
    let mut parts: Vec<&str> = identity.splitn(3, '/').collect();
    if let (Some(p), Some(ns)) = (prefix, parts.get(1).copied()) {
        parts[1] = ns.strip_prefix(p).unwrap_or(ns);
    }
    parts.join("/")
}

/// The Services `objects` send traffic to only from detached routes
/// (`parentRefs: []`).
fn detached_only_services(objects: &[Value]) -> BTreeSet<(String, String)> {
    let (mut detached, mut attached) = (Referenced::default(), Referenced::default());
    for o in objects
        .iter()
        .filter(|o| str_at(o, "/kind").ends_with("Route"))
    {
        let is_detached = o["spec"]["parentRefs"]
            .as_array()
            .is_some_and(Vec::is_empty);
        let refs = if is_detached {
            &mut detached
        } else {
            &mut attached
        };
        refs.collect(&o["spec"], str_at(o, "/metadata/namespace"));
    }
    detached
        .services
        .into_keys()
        .filter(|k| !attached.services.contains_key(k))
        .collect()
}

/// The Services a policy targets.
fn policy_services(policy: &Value) -> BTreeSet<(String, String)> {
    let ns = str_at(policy, "/metadata/namespace");
    policy["spec"]["targetRefs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| str_at(r, "/kind") == "Service")
        .map(|r| (ns.to_string(), str_at(r, "/name").to_string()))
        .collect()
}

#[derive(Default)]
struct Tally {
    cases: usize,
    objects: BTreeMap<String, usize>,
    egctl_runs: usize,
    print_secs: f64,
    egctl_secs: f64,
    advisories: BTreeMap<String, usize>,
    /// Objects egctl cannot check (ListenerSets and their routes) or that attach
    /// to nothing by design (policies of detached routes), per kind.
    unchecked: BTreeMap<String, usize>,
    problems: Vec<String>,
    matched: BTreeSet<(&'static str, &'static str, &'static str)>,
}

impl Tally {
    fn record(&mut self, p: &Prepared, returned: &Returned) {
        let only_detached = detached_only_services(&p.emitted);
        for sent in &p.emitted {
            let id = identity(sent);
            *self
                .objects
                .entry(str_at(sent, "/kind").to_string())
                .or_default() += 1;
            let shown = unprefixed(&id, p.prefix.as_deref());
            let kind = str_at(sent, "/kind");
            let only_listener_sets = kind.ends_with("Route")
                && sent["spec"]["parentRefs"].as_array().is_some_and(|refs| {
                    !refs.is_empty() && refs.iter().all(|r| str_at(r, "/kind") == "ListenerSet")
                });
            if UNCHECKABLE.contains(&kind) || only_listener_sets {
                *self.unchecked.entry(kind.to_string()).or_default() += 1;
                continue;
            }
            for (where_, condition, message) in judge(sent, returned.get(&id)) {
                // A BackendTLSPolicy for the backends of detached routes attaches
                // once the route does (when its listener gets a certificate).
                if kind == "BackendTLSPolicy"
                    && condition == "no status"
                    && policy_services(sent).is_subset(&only_detached)
                {
                    *self
                        .unchecked
                        .entry("BackendTLSPolicy of detached routes".into())
                        .or_default() += 1;
                    continue;
                }
                if ADVISORY.contains(&condition.as_str()) {
                    *self.advisories.entry(condition).or_default() += 1;
                    continue;
                }
                if !self.allowed(&p.label, &shown, &condition) {
                    let message = match &p.prefix {
                        Some(prefix) => message.replace(prefix.as_str(), ""),
                        None => message,
                    };
                    self.problems.push(format!(
                        "{}: {shown} {where_} {condition}: {message}",
                        p.label
                    ));
                }
            }
        }
    }

    /// Whether [`EXPECTED`] or [`KNOWN_BUGS`] lists this condition (for a
    /// refused input: object `-`, and `condition` a part of egctl's error).
    fn allowed(&mut self, case: &str, object: &str, condition: &str) -> bool {
        let hit = EXPECTED.iter().chain(KNOWN_BUGS).find(|e| {
            e.case == case
                && e.object == object
                && (e.condition == condition || (object == "-" && condition.contains(e.condition)))
        });
        if let Some(e) = hit {
            self.matched.insert((e.case, e.object, e.condition));
        }
        hit.is_some()
    }
}

/// Batches of at most this many cases per egctl run.
fn batch_size() -> usize {
    std::env::var("ING2GW_EGCTL_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(40)
}

fn check_all(egctl: &Path, cases: &[Case]) -> Tally {
    let pki = test_pki("ca.ing2gw.test");
    let size = batch_size();
    let mut tally = Tally::default();
    let mut prepared = Vec::new();
    let started = Instant::now();
    for case in cases {
        match print(case) {
            Ok(objects) if objects.is_empty() => {}
            Ok(objects) => {
                // Unique within its batch (the chunks below are of `prepared`).
                let prefix = (size > 1).then(|| format!("k{}-", prepared.len() % size));
                prepared.push(prepare(&case.label, objects, prefix));
            }
            Err(e) => tally.problems.push(format!("{}: {e}", case.label)),
        }
    }
    tally.cases = prepared.len();
    tally.print_secs = started.elapsed().as_secs_f64();
    let batches: Vec<Vec<&Prepared>> = prepared.chunks(size).map(|c| c.iter().collect()).collect();
    // egctl's time grows with the documents (≈40 ms each after ≈1.5 s of start-up),
    // so batching saves only the start-up: the batches also run in parallel.
    let started = Instant::now();
    let results = parallel_map(&batches, |batch| run_egctl(egctl, batch, &pki));
    tally.egctl_secs += started.elapsed().as_secs_f64();
    for (batch, result) in batches.iter().zip(results) {
        tally.egctl_runs += 1;
        match result {
            Ok(returned) => batch.iter().for_each(|p| tally.record(p, &returned)),
            Err(e) => tally.refused(egctl, batch, e, &pki),
        }
    }
    tally
}

impl Tally {
    /// A batch egctl refused whole: a local validation error names an object but
    /// not its case, so the batch is halved until the culprit case stands alone.
    fn refused(&mut self, egctl: &Path, batch: &[&Prepared], error: String, pki: &TestPki) {
        if let [p] = batch {
            let e = match &p.prefix {
                Some(prefix) => error.replace(prefix.as_str(), ""),
                None => error,
            };
            if !self.allowed(&p.label, "-", &e) {
                self.problems.push(format!("{}: {e}", p.label));
            }
            return;
        }
        let (a, b) = batch.split_at(batch.len() / 2);
        for half in [a, b] {
            self.egctl_runs += 1;
            let started = Instant::now();
            let result = run_egctl(egctl, half, pki);
            self.egctl_secs += started.elapsed().as_secs_f64();
            match result {
                Ok(returned) => half.iter().for_each(|p| self.record(p, &returned)),
                Err(e) => self.refused(egctl, half, e, pki),
            }
        }
    }
}

/// How many egctl processes run at once: `ING2GW_EGCTL_JOBS`, else the cores (≤ 4).
fn jobs() -> usize {
    std::env::var("ING2GW_EGCTL_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .min(4)
        })
}

/// `f` over `items` on [`jobs`] threads, results in the order of `items`.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs().min(items.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    out.lock().expect("results")[i] = Some(r);
                }
            });
        }
    });
    out.into_inner()
        .expect("results")
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}

fn report(name: &str, tally: &Tally, started: Instant, expected_cases: &[&str]) {
    let mut summary = String::new();
    let _ = write!(
        summary,
        "{name}: {} cases with output, {} egctl runs (batches of {}, {} at once), {:.1}s \
         (ing2gw print {:.1}s, egctl {:.1}s); objects: {:?}; unchecked: {:?}; advisories: {:?}",
        tally.cases,
        tally.egctl_runs,
        batch_size(),
        jobs(),
        started.elapsed().as_secs_f64(),
        tally.print_secs,
        tally.egctl_secs,
        tally.objects,
        tally.unchecked,
        tally.advisories
    );
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{summary}");
    let stale: Vec<String> = EXPECTED
        .iter()
        .chain(KNOWN_BUGS)
        .filter(|e| expected_cases.iter().any(|c| e.case.starts_with(c)))
        .filter(|e| !tally.matched.contains(&(e.case, e.object, e.condition)))
        .map(|e| format!("{} {} {} ({})", e.case, e.object, e.condition, e.why))
        .collect();
    assert!(
        stale.is_empty(),
        "allow-list entries egctl no longer reports (remove them):\n{}",
        stale.join("\n")
    );
    assert!(
        tally.problems.is_empty(),
        "{} object condition(s) rejected by egctl {}:\n{}",
        tally.problems.len(),
        egctl::EGCTL_VERSION,
        tally.problems.join("\n")
    );
}

#[test]
fn testdata_output_is_accepted_by_egctl() {
    let Some(egctl) = egctl::egctl_or_skip("testdata_output_is_accepted_by_egctl") else {
        return;
    };
    let started = Instant::now();
    let tally = check_all(&egctl, &testdata_cases());
    assert!(
        tally.objects.get("HTTPRoute").copied().unwrap_or(0) > 100
            && tally.objects.contains_key("Gateway"),
        "the testdata must yield Gateways and HTTPRoutes to check: {:?}",
        tally.objects
    );
    report("testdata", &tally, started, &["testdata/"]);
}

#[test]
fn corpus_output_is_accepted_by_egctl() {
    let cases = corpus_cases();
    if cases.is_empty() {
        eprintln!("corpus absent: skipped");
        return;
    }
    let Some(egctl) = egctl::egctl_or_skip("corpus_output_is_accepted_by_egctl") else {
        return;
    };
    let started = Instant::now();
    let tally = check_all(&egctl, &cases);
    report("corpus", &tally, started, &["corpus/"]);
}

/// The allow-list names real cases and reasons.
#[test]
fn allow_list_entries_are_well_formed() {
    for e in EXPECTED.iter().chain(KNOWN_BUGS) {
        assert!(
            e.case.starts_with("testdata/") || e.case.starts_with("corpus/"),
            "{}",
            e.case
        );
        assert!(
            e.object == "-" || e.object.split('/').count() == 3,
            "{}",
            e.object
        );
        assert!(
            (e.object == "-"
                || e.condition.contains('=')
                || ["missing", "no status"].contains(&e.condition))
                && !e.why.is_empty(),
            "{}",
            e.case
        );
    }
}

#[test]
fn renaming_reaches_references_and_selectors() {
    let mut route = json!({
        "metadata": {"name": "r", "namespace": "a", "annotations": {"namespace": "keep"}},
        "spec": {
            "parentRefs": [{"name": "g", "namespace": "gateway-system"}],
            "rules": [{"backendRefs": [{"name": "s", "port": 80}]}],
            "allowedListeners": {"namespaces": {"from": "Selector", "selector": {
                "matchExpressions": [{"key": NAMESPACE_NAME_LABEL, "operator": "In", "values": ["a", "b"]}],
                "matchLabels": {NAMESPACE_NAME_LABEL: "c", "other": "d"}}}}
        }
    });
    rename_namespaces(&mut route, &|ns| format!("k1-{ns}"));
    assert_eq!(str_at(&route, "/metadata/namespace"), "k1-a");
    assert_eq!(str_at(&route, "/metadata/annotations/namespace"), "keep");
    assert_eq!(
        str_at(&route, "/spec/parentRefs/0/namespace"),
        "k1-gateway-system"
    );
    let sel = &route["spec"]["allowedListeners"]["namespaces"]["selector"];
    assert_eq!(
        sel["matchExpressions"][0]["values"],
        json!(["k1-a", "k1-b"])
    );
    assert_eq!(sel["matchLabels"][NAMESPACE_NAME_LABEL], "k1-c");
    assert_eq!(sel["matchLabels"]["other"], "d");
}

#[test]
fn synthesised_objects_cover_every_reference() {
    let pki = test_pki("ca.ing2gw.test");
    let objects = vec![
        json!({"kind": "HTTPRoute", "metadata": {"name": "r", "namespace": "a"},
            "spec": {"rules": [{"backendRefs": [{"name": "s", "port": 80},
                {"name": "s", "port": 8080}, {"name": "t", "namespace": "b", "port": 1}]}]}}),
        json!({"kind": "Gateway", "metadata": {"name": "g", "namespace": "gw"},
            "spec": {"listeners": [{"tls": {"certificateRefs": [{"name": "cert", "namespace": "a"}]}}]}}),
        json!({"kind": "BackendTLSPolicy", "metadata": {"name": "p", "namespace": "a"},
            "spec": {"validation": {"caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": "ca"}]}}}),
        json!({"kind": "SecurityPolicy", "metadata": {"name": "sp", "namespace": "a"},
            "spec": {"basicAuth": {"users": {"name": "htpasswd"}}}}),
    ];
    let got: BTreeSet<String> = synthesise(&objects, &pki).iter().map(identity).collect();
    let want: BTreeSet<String> = [
        "Namespace//a",
        "Namespace//b",
        "Namespace//gw",
        "Service/a/s",
        "Service/b/t",
        "Secret/a/cert",
        "ConfigMap/a/ca",
        "Secret/a/htpasswd",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(got, want);
    let svc = synthesise(&objects, &pki)
        .into_iter()
        .find(|o| identity(o) == "Service/a/s")
        .expect("service");
    assert_eq!(svc["spec"]["ports"].as_array().map(Vec::len), Some(2));
}

#[test]
fn unhealthy_knows_condition_polarity() {
    let conditions = json!([
        {"type": "Accepted", "status": "True"},
        {"type": "ResolvedRefs", "status": "False", "reason": "BackendNotFound", "message": "m"},
        {"type": "Conflicted", "status": "False"},
        {"type": "OverlappingTLSConfig", "status": "True", "reason": "x"},
        {"type": "Surprise", "status": "True", "reason": "y"}
    ]);
    let got: Vec<String> = unhealthy(&conditions).into_iter().map(|(c, _)| c).collect();
    assert_eq!(
        got,
        [
            "ResolvedRefs=False/BackendNotFound",
            "OverlappingTLSConfig=True/x",
            "Surprise=True/y"
        ]
    );
}

#[test]
fn missing_egctl_skips_locally_and_fails_where_required() {
    use egctl::{Lookup, decide};
    let found = decide("t", Some(7), true, "egctl is not built", egctl::EGCTL_HINT);
    assert_eq!(found, Lookup::Found(7));
    let Lookup::Skip(notice) = decide::<u8>("t", None, false, "egctl is not built", "hint") else {
        panic!("a developer's run skips");
    };
    assert!(
        notice.starts_with("SKIPPED t: egctl is not built")
            && notice.contains("ING2GW_REQUIRE_EGCTL=1")
    );
    let Lookup::Required(message) = decide::<u8>("t", None, true, "egctl is not built", "hint")
    else {
        panic!("CI fails");
    };
    assert!(message.contains("needs it") && message.ends_with("hint"));
}
