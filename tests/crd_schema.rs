//! Every object ing2gw emits is valid against the `openAPIV3Schema` of the
//! published CRD of its kind and version, as the API server checks it: the
//! Gateway API CRDs of `sigs.k8s.io/gateway-api` (`config/crd/standard`, or
//! `experimental` for cases run with `--channel experimental`) at the version we
//! target and at the one Envoy Gateway ships, and Envoy Gateway's own CRDs
//! (`charts/gateway-helm/charts/crds/crds/generated/` of
//! `github.com/envoyproxy/gateway`). The CRDs come from the Go module cache at
//! test time (`go mod download -json`), never from the repository; without Go
//! the test skips with a notice (fails under `CI`/`ING2GW_REQUIRE_EGCTL=1`).
//!
//! The validator below implements the Kubernetes structural-schema rules rather
//! than generic JSON Schema, because that is what decides whether `kubectl apply`
//! succeeds: a field the schema does not declare is an error (the API server
//! prunes it, and strict field validation refuses the object), `null` only where
//! `nullable`, `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields`,
//! `x-kubernetes-list-type: set|map` uniqueness, and the value keywords (`enum`,
//! `pattern` as an unanchored RE2 search, lengths, bounds, item counts,
//! `allOf`/`anyOf`/`oneOf`/`not`). A schema keyword it does not know fails the
//! test, so nothing is skipped silently.
//!
//! CEL rules (`x-kubernetes-validations`) are not evaluated here (issue 16): the
//! test counts them per kind and prints the table (`docs/testing.md` has it).
//! This replaces the hand-kept field list of the former `tests/crd_fields.rs`.

#[path = "support/cases.rs"]
mod cases;
#[path = "support/egctl.rs"]
mod egctl;

use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

const GATEWAY_API: &str = "sigs.k8s.io/gateway-api";
const ENVOY_GATEWAY: &str = "github.com/envoyproxy/gateway";
/// The Gateway API version Envoy Gateway `egctl::EGCTL_VERSION` ships.
const GATEWAY_API_OF_ENVOY_GATEWAY: &str = "v1.6.1";
const EG_CRDS: &str = "charts/gateway-helm/charts/crds/crds/generated";

/// The schema keywords the validator implements or deliberately ignores
/// (documentation and defaulting; CEL rules are counted, not run).
const KNOWN_KEYWORDS: [&str; 33] = [
    "type",
    "properties",
    "additionalProperties",
    "items",
    "required",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "format",
    "nullable",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "x-kubernetes-int-or-string",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
    "description",
    "default",
    "title",
];

/// One CRD version: `(group, kind, version) → schema`.
#[derive(Default)]
struct Crds {
    schemas: BTreeMap<(String, String, String), Value>,
}

impl Crds {
    /// Every CRD in the YAML files of `dir` (one or more documents each).
    fn load(&mut self, dir: &Path, skip: &[&str]) {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                !skip.iter().any(|s| name.contains(s))
            })
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("CRD readable");
            for doc in text.split("\n---") {
                if doc.trim().is_empty() {
                    continue;
                }
                let options = serde_saphyr::options! { budget: None };
                let crd: Value = serde_saphyr::from_str_with_options(doc, options)
                    .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                if crd["kind"] != "CustomResourceDefinition" {
                    continue;
                }
                let group = crd["spec"]["group"].as_str().unwrap_or("").to_string();
                let kind = crd["spec"]["names"]["kind"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                for v in crd["spec"]["versions"].as_array().into_iter().flatten() {
                    if v["served"] != json!(true) {
                        continue;
                    }
                    let name = v["name"].as_str().unwrap_or("").to_string();
                    self.schemas.insert(
                        (group.clone(), kind.clone(), name),
                        v["schema"]["openAPIV3Schema"].clone(),
                    );
                }
            }
        }
    }

    fn schema_for(&self, object: &Value) -> Result<&Value, String> {
        let api_version = object["apiVersion"].as_str().unwrap_or("");
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let kind = object["kind"].as_str().unwrap_or("");
        self.schemas
            .get(&(group.to_string(), kind.to_string(), version.to_string()))
            .ok_or_else(|| format!("no served CRD version for {kind} {api_version}"))
    }
}

/// The structural-schema validator (see the module comment).
#[derive(Default)]
struct Validator {
    regexes: RefCell<HashMap<String, regex::Regex>>,
    unknown_keywords: RefCell<BTreeSet<String>>,
}

impl Validator {
    fn object(&self, schema: &Value, object: &Value) -> Vec<String> {
        let mut out = Vec::new();
        let mut top = object.clone();
        // ObjectMeta is the API server's, not the CRD's (`metadata: {type: object}`).
        let meta = top
            .as_object_mut()
            .and_then(|o| o.remove("metadata"))
            .unwrap_or(Value::Null);
        for key in ["name", "namespace"] {
            if let Some(v) = meta.get(key).and_then(Value::as_str) {
                let ok = !v.is_empty()
                    && v.len() <= if key == "name" { 253 } else { 63 }
                    && v.bytes().all(|b| {
                        b.is_ascii_lowercase()
                            || b.is_ascii_digit()
                            || b == b'-'
                            || (b == b'.' && key == "name")
                    })
                    && !v.starts_with(['-', '.'])
                    && !v.ends_with(['-', '.']);
                if !ok {
                    out.push(format!("metadata.{key}: `{v}` is not a valid {key}"));
                }
            }
        }
        let mut schema = schema.clone();
        if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            props.remove("metadata");
        }
        self.check(&schema, &top, "", true, &mut out);
        out
    }

    fn regex(&self, pattern: &str) -> Option<regex::Regex> {
        let mut cache = self.regexes.borrow_mut();
        if let Some(r) = cache.get(pattern) {
            return Some(r.clone());
        }
        let r = regex::Regex::new(pattern).ok()?;
        cache.insert(pattern.to_string(), r.clone());
        Some(r)
    }

    /// `structural`: whether this schema prunes unknown fields (false inside
    /// `allOf`/`anyOf`/`oneOf`/`not`, which only validate values).
    fn check(&self, s: &Value, v: &Value, path: &str, structural: bool, out: &mut Vec<String>) {
        let Some(map) = s.as_object() else { return };
        for k in map.keys() {
            if !KNOWN_KEYWORDS.contains(&k.as_str()) {
                self.unknown_keywords.borrow_mut().insert(k.clone());
            }
        }
        let at = if path.is_empty() { "<root>" } else { path };
        if v.is_null() {
            if structural && s["nullable"] != json!(true) {
                out.push(format!(
                    "{at}: null is not allowed (the API server prunes it)"
                ));
            }
            return;
        }
        let int_or_string = s["x-kubernetes-int-or-string"] == json!(true);
        let ty = s["type"].as_str().unwrap_or("");
        let type_ok = if int_or_string {
            v.is_i64() || v.is_u64() || v.is_string()
        } else {
            match ty {
                "object" => v.is_object(),
                "array" => v.is_array(),
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                _ => true,
            }
        };
        if !type_ok {
            out.push(format!("{at}: expected {ty}, got {v}"));
            return;
        }
        if let Some(values) = s["enum"].as_array()
            && !values.contains(v)
        {
            out.push(format!(
                "{at}: {v} is not one of {}",
                Value::Array(values.clone())
            ));
        }
        for (keyword, all) in [("allOf", true), ("anyOf", false), ("oneOf", false)] {
            let Some(subs) = s[keyword].as_array() else {
                continue;
            };
            let results: Vec<Vec<String>> = subs
                .iter()
                .map(|sub| {
                    let mut o = Vec::new();
                    self.check(sub, v, path, false, &mut o);
                    o
                })
                .collect();
            let passing = results.iter().filter(|r| r.is_empty()).count();
            let ok = match keyword {
                "allOf" => passing == subs.len(),
                "oneOf" => passing == 1,
                _ => passing >= 1,
            };
            if !ok {
                let detail: Vec<String> = results.into_iter().flatten().collect();
                out.push(format!(
                    "{at}: {keyword} fails ({passing} of {} pass{}): {}",
                    subs.len(),
                    if all { "; all must" } else { "" },
                    detail.join("; ")
                ));
            }
        }
        if let Some(sub) = s.get("not") {
            let mut o = Vec::new();
            self.check(sub, v, path, false, &mut o);
            if o.is_empty() {
                out.push(format!("{at}: matches a `not` schema"));
            }
        }
        match v {
            Value::String(text) => self.string(s, text, at, out),
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(0.0);
                let bound = |k: &str| s[k].as_f64();
                if bound("minimum").is_some_and(|m| x < m)
                    || bound("maximum").is_some_and(|m| x > m)
                    || (s["exclusiveMinimum"] == json!(true) && bound("minimum") == Some(x))
                    || (s["exclusiveMaximum"] == json!(true) && bound("maximum") == Some(x))
                    || (s["format"] == "int32" && !(-2147483648.0..=2147483647.0).contains(&x))
                {
                    out.push(format!("{at}: {x} is out of bounds"));
                }
            }
            Value::Array(items) => {
                let len = items.len() as u64;
                if s["minItems"].as_u64().is_some_and(|m| len < m) {
                    out.push(format!(
                        "{at}: {len} items, fewer than minItems {}",
                        s["minItems"]
                    ));
                }
                if s["maxItems"].as_u64().is_some_and(|m| len > m) {
                    out.push(format!(
                        "{at}: {len} items, more than maxItems {}",
                        s["maxItems"]
                    ));
                }
                match s["x-kubernetes-list-type"].as_str() {
                    Some("set") => {
                        let unique: BTreeSet<String> = items.iter().map(Value::to_string).collect();
                        if unique.len() != items.len() {
                            out.push(format!("{at}: duplicate items in a list-type set"));
                        }
                    }
                    Some("map") => {
                        let keys: Vec<&str> = s["x-kubernetes-list-map-keys"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .collect();
                        let tuples: BTreeSet<String> = items
                            .iter()
                            .map(|i| {
                                keys.iter()
                                    .map(|k| i[*k].to_string())
                                    .collect::<Vec<_>>()
                                    .join("/")
                            })
                            .collect();
                        if tuples.len() != items.len() {
                            out.push(format!("{at}: duplicate keys {keys:?} in a list-type map"));
                        }
                    }
                    _ => {}
                }
                if let Some(item_schema) = s.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item_schema, item, &format!("{path}[{i}]"), structural, out);
                    }
                }
            }
            Value::Object(fields) => {
                let len = fields.len() as u64;
                if s["minProperties"].as_u64().is_some_and(|m| len < m)
                    || s["maxProperties"].as_u64().is_some_and(|m| len > m)
                {
                    out.push(format!("{at}: {len} fields, outside min/maxProperties"));
                }
                for r in s["required"].as_array().into_iter().flatten() {
                    if let Some(r) = r.as_str()
                        && !fields.contains_key(r)
                    {
                        out.push(format!("{at}: required field `{r}` is missing"));
                    }
                }
                let preserve = s["x-kubernetes-preserve-unknown-fields"] == json!(true);
                let embedded = s["x-kubernetes-embedded-resource"] == json!(true);
                for (k, child) in fields {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    if let Some(prop) = s["properties"].get(k) {
                        self.check(prop, child, &p, structural, out);
                    } else if let Some(extra) = s.get("additionalProperties") {
                        match extra {
                            Value::Bool(false) if structural => {
                                out.push(format!("{p}: unknown field"))
                            }
                            Value::Object(_) => self.check(extra, child, &p, structural, out),
                            _ => {}
                        }
                    } else if structural
                        && !preserve
                        && !(embedded && ["apiVersion", "kind", "metadata"].contains(&k.as_str()))
                    {
                        out.push(format!(
                            "{p}: unknown field (the API server prunes it; strict field validation rejects the object)"
                        ));
                    }
                }
            }
            _ => {}
        }
    }

    fn string(&self, s: &Value, text: &str, at: &str, out: &mut Vec<String>) {
        let chars = text.chars().count() as u64;
        if s["minLength"].as_u64().is_some_and(|m| chars < m) {
            out.push(format!(
                "{at}: `{text}` shorter than minLength {}",
                s["minLength"]
            ));
        }
        if s["maxLength"].as_u64().is_some_and(|m| chars > m) {
            out.push(format!(
                "{at}: `{text}` longer than maxLength {}",
                s["maxLength"]
            ));
        }
        if let Some(pattern) = s["pattern"].as_str() {
            match self.regex(pattern) {
                Some(re) if !re.is_match(text) => {
                    out.push(format!("{at}: `{text}` does not match pattern {pattern}"))
                }
                Some(_) => {}
                None => out.push(format!("{at}: pattern {pattern} does not compile (RE2)")),
            }
        }
    }
}

/// CEL rules (`x-kubernetes-validations`) in a schema, recursively.
fn cel_rules(schema: &Value) -> usize {
    match schema {
        Value::Object(map) => {
            map.get("x-kubernetes-validations")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
                + map.values().map(cel_rules).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(cel_rules).sum(),
        _ => 0,
    }
}

/// The CRD sets one run validates against: name → (standard, experimental).
struct Sets {
    /// `(label, standard channel CRDs, experimental channel CRDs)`.
    gateway_api: Vec<(String, Crds, Crds)>,
}

fn load_sets(test: &str) -> Option<Sets> {
    let mut gateway_api = Vec::new();
    let eg = egctl::go_module_or_skip(test, ENVOY_GATEWAY, egctl::EGCTL_VERSION)?;
    for version in [egctl::GATEWAY_API_VERSION, GATEWAY_API_OF_ENVOY_GATEWAY] {
        let dir = egctl::go_module_or_skip(test, GATEWAY_API, version)?;
        let mut channels = Vec::new();
        for channel in ["standard", "experimental"] {
            let mut crds = Crds::default();
            crds.load(&dir.join("config/crd").join(channel), &["vap_"]);
            // Envoy Gateway's own kinds, beside either channel (EnvoyProxy is
            // 1.4 MB of schema for a kind ing2gw never emits).
            crds.load(&eg.join(EG_CRDS), &["envoyproxies"]);
            channels.push(crds);
        }
        let experimental = channels.pop().expect("two channels");
        let standard = channels.pop().expect("two channels");
        gateway_api.push((format!("gateway-api {version}"), standard, experimental));
    }
    Some(Sets { gateway_api })
}

/// The objects `ing2gw print <args> --implementation <implementation>` emits.
fn translate(input: &Path, args: &[String], implementation: &str) -> Vec<Value> {
    cases::translate(input, args, implementation)
        .iter()
        .map(|o| serde_json::to_value(o).expect("serialisable"))
        .collect()
}

fn experimental(args: &[String]) -> bool {
    args.iter()
        .any(|a| a == "--channel=experimental" || a == "experimental")
}

/// Validates every case's output against every CRD set; returns the problems
/// and the number of objects checked per kind.
fn validate_cases(
    sets: &Sets,
    cases: &[(String, PathBuf, Vec<String>)],
) -> (Vec<String>, BTreeMap<String, usize>) {
    let validator = Validator::default();
    let mut problems = Vec::new();
    let mut kinds = BTreeMap::new();
    for (label, input, args) in cases {
        for implementation in ["standard", "envoy-gateway"] {
            let objects = translate(input, args, implementation);
            for o in &objects {
                *kinds
                    .entry(o["kind"].as_str().unwrap_or("").to_string())
                    .or_insert(0) += 1;
                for (set, standard, exp) in &sets.gateway_api {
                    let crds = if experimental(args) { exp } else { standard };
                    let id = format!(
                        "{}/{}/{}",
                        o["kind"].as_str().unwrap_or(""),
                        o["metadata"]["namespace"].as_str().unwrap_or(""),
                        o["metadata"]["name"].as_str().unwrap_or("")
                    );
                    match crds.schema_for(o) {
                        Ok(schema) => {
                            for p in validator.object(schema, o) {
                                problems
                                    .push(format!("{label} [{implementation}, {set}] {id}: {p}"));
                            }
                        }
                        Err(e) => {
                            problems.push(format!("{label} [{implementation}, {set}] {id}: {e}"))
                        }
                    }
                }
            }
        }
    }
    let unknown = validator.unknown_keywords.borrow();
    assert!(
        unknown.is_empty(),
        "schema keywords the validator does not implement: {unknown:?}"
    );
    // Each object is counted once per implementation.
    (problems, kinds)
}

fn testdata() -> Vec<(String, PathBuf, Vec<String>)> {
    cases::testdata_inputs(&["input.yaml", "input.json"])
        .into_iter()
        .map(|p| {
            let dir = p.parent().expect("case folder").to_path_buf();
            (dir.display().to_string(), p.clone(), cases::case_args(&dir))
        })
        .collect()
}

#[test]
fn testdata_output_is_valid_against_the_crd_schemas() {
    let Some(sets) = load_sets("testdata_output_is_valid_against_the_crd_schemas") else {
        return;
    };
    let (problems, kinds) = validate_cases(&sets, &testdata());
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "testdata: objects validated per kind (standard + envoy-gateway output, each against \
         {} Gateway API versions): {kinds:?}",
        sets.gateway_api.len()
    );
    assert!(
        kinds.get("HTTPRoute").copied().unwrap_or(0) > 100
            && kinds.contains_key("BackendTLSPolicy"),
        "the testdata must yield HTTPRoutes and BackendTLSPolicies: {kinds:?}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn corpus_output_is_valid_against_the_crd_schemas() {
    let Some(files) = cases::corpus_files(&["yaml", "yml", "json"]) else {
        eprintln!("corpus absent: skipped");
        return;
    };
    let Some(sets) = load_sets("corpus_output_is_valid_against_the_crd_schemas") else {
        return;
    };
    let cases: Vec<_> = files
        .into_iter()
        .map(|p| (p.display().to_string(), p, Vec::new()))
        .collect();
    let (problems, _) = validate_cases(&sets, &cases);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The validator rejects what the API server rejects (on the real CRDs).
#[test]
fn validator_rejects_what_the_api_server_rejects() {
    let Some(sets) = load_sets("validator_rejects_what_the_api_server_rejects") else {
        return;
    };
    let crds = &sets.gateway_api[0].1;
    let v = Validator::default();
    let btls = json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "BackendTLSPolicy",
        "metadata": {"name": "p", "namespace": "n"},
        "spec": {"targetRefs": [{"group": "", "kind": "Service", "name": "s"}],
                 "validation": {"hostname": "s.n.svc", "wellKnownCACertificates": "System"}}});
    let schema = crds.schema_for(&btls).expect("BackendTLSPolicy CRD");
    assert_eq!(v.object(schema, &btls), Vec::<String>::new());
    let mut misspelt = btls.clone();
    misspelt["spec"]["validation"]["wellKnownCaCertificates"] = json!("System");
    let problems = v.object(schema, &misspelt);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("wellKnownCaCertificates: unknown field")),
        "{problems:?}"
    );
    let mut bad_enum = btls.clone();
    bad_enum["spec"]["validation"]["wellKnownCACertificates"] = json!("Everything");
    assert!(!v.object(schema, &bad_enum).is_empty());

    let grant = |n: usize| {
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "ReferenceGrant",
            "metadata": {"name": "g", "namespace": "n"},
            "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "gw"}],
                     "to": (0..n).map(|i| json!({"group": "", "kind": "Secret", "name": format!("s{i}")})).collect::<Vec<_>>()}})
    };
    let schema = crds.schema_for(&grant(1)).expect("ReferenceGrant CRD");
    assert!(v.object(schema, &grant(16)).is_empty());
    assert!(
        v.object(schema, &grant(17))
            .iter()
            .any(|p| p.contains("maxItems")),
        "17 `to` entries exceed the CRD's maxItems 16"
    );

    let gateway = json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
        "metadata": {"name": "g", "namespace": "n"},
        "spec": {"gatewayClassName": "c", "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}],
                 "tls": {"frontend": {"perPort": []}}}});
    let schema = crds.schema_for(&gateway).expect("Gateway CRD");
    assert!(
        v.object(schema, &gateway)
            .iter()
            .any(|p| p.contains("required field `default`")),
        "tls.frontend needs `default`"
    );
    let mut port = gateway.clone();
    port["spec"]["tls"]["frontend"] = json!({"default": {}});
    port["spec"]["listeners"][0]["port"] = json!(0);
    assert!(
        v.object(schema, &port)
            .iter()
            .any(|p| p.contains("out of bounds"))
    );
    let mut null = gateway.clone();
    null["spec"]["tls"] = Value::Null;
    assert!(v.object(schema, &null).iter().any(|p| p.contains("null")));
}

/// The CEL rules of every kind ing2gw may emit, per CRD set: what issue 16 must
/// evaluate (none is evaluated here). Printed for docs/testing.md.
#[test]
fn cel_rules_are_counted_per_kind() {
    let Some(sets) = load_sets("cel_rules_are_counted_per_kind") else {
        return;
    };
    let mut table = String::new();
    for (label, standard, experimental) in &sets.gateway_api {
        for (channel, crds) in [("standard", standard), ("experimental", experimental)] {
            let counts: Vec<String> = crds
                .schemas
                .iter()
                .map(|((group, kind, version), schema)| {
                    format!("{kind} {group}/{version}: {}", cel_rules(schema))
                })
                .collect();
            table.push_str(&format!("{label} {channel}: {}\n", counts.join(", ")));
        }
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "CEL rules not evaluated (issue 16):\n{table}"
    );
    let (_, standard, _) = &sets.gateway_api[0];
    let httproute = standard
        .schemas
        .get(&(
            "gateway.networking.k8s.io".into(),
            "HTTPRoute".into(),
            "v1".into(),
        ))
        .expect("HTTPRoute v1");
    assert!(
        cel_rules(httproute) > 10,
        "HTTPRoute carries many CEL rules"
    );
}

/// Each Envoy Gateway release ing2gw can target (`--implementation
/// envoy-gateway@1.N`) with the Gateway API release its go.mod requires.
const EG_RELEASES: [(&str, &str, &str); 6] = [
    ("1.4", "v1.4.0", "v1.3.0"),
    ("1.5", "v1.5.0", "v1.3.0"),
    ("1.6", "v1.6.0", "v1.4.0"),
    ("1.7", "v1.7.0", "v1.4.1"),
    ("1.8", "v1.8.0", "v1.5.1"),
    ("1.9", egctl::EGCTL_VERSION, GATEWAY_API_OF_ENVOY_GATEWAY),
];

/// The output of `--implementation envoy-gateway@1.N` for every testdata case
/// and corpus file validates against the CRDs of Envoy Gateway 1.N (whose
/// fields differ: `compression` → `compressor` in 1.6, `routingType` in 1.7,
/// `extAuth.http.pathOverride` and `timeout.http.streamIdleTimeout` in 1.8, …)
/// beside the Gateway API CRDs of the same release, so a field the targeted
/// release lacks is never emitted. Gateway API kinds are checked against the
/// CRDs of the profile ing2gw emits for (the oldest is 1.4: Envoy Gateway 1.4
/// and 1.5 are built on Gateway API 1.3, which ing2gw does not target; a
/// notification says so).
#[test]
fn envoy_gateway_releases_get_fields_of_their_own_crds() {
    let test = "envoy_gateway_releases_get_fields_of_their_own_crds";
    let mut cases = testdata();
    if let Some(files) = cases::corpus_files(&["yaml", "yml", "json"]) {
        cases.extend(
            files
                .into_iter()
                .map(|p| (p.display().to_string(), p, Vec::new())),
        );
    }
    let validator = Validator::default();
    let mut problems = Vec::new();
    let mut checked = BTreeMap::new();
    for (short, eg_version, ga_version) in EG_RELEASES {
        let Some(eg) = egctl::go_module_or_skip(test, ENVOY_GATEWAY, eg_version) else {
            return;
        };
        // The chart moved its CRDs into a sub-chart after v1.5.
        let eg_dir = [EG_CRDS, "charts/gateway-helm/crds/generated"]
            .iter()
            .map(|d| eg.join(d))
            .find(|d| d.is_dir())
            .expect("Envoy Gateway CRD folder");
        let ga_version = if ga_version == "v1.3.0" {
            "v1.4.0"
        } else {
            ga_version
        };
        let Some(ga) = egctl::go_module_or_skip(test, GATEWAY_API, ga_version) else {
            return;
        };
        let mut sets = Vec::new();
        for channel in ["standard", "experimental"] {
            let mut crds = Crds::default();
            crds.load(&ga.join("config/crd").join(channel), &["vap_"]);
            crds.load(&eg_dir, &["envoyproxies"]);
            sets.push(crds);
        }
        let target = format!("envoy-gateway@{short}");
        for (label, input, args) in &cases {
            if args.iter().any(|a| a.starts_with("--gateway-api-version")) {
                continue;
            }
            // The Envoy Gateway cases name their target: retarget them.
            let mut args = args.clone();
            match args.iter().position(|a| a == "--implementation") {
                Some(i)
                    if args
                        .get(i + 1)
                        .is_some_and(|v| v.starts_with("envoy-gateway")) =>
                {
                    args[i + 1] = target.clone();
                }
                Some(_) => continue,
                None => {}
            }
            let crds = &sets[usize::from(experimental(&args))];
            for o in translate(input, &args, &target) {
                if !o["apiVersion"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("gateway.envoyproxy.io/"))
                {
                    continue;
                }
                *checked.entry(short).or_insert(0usize) += 1;
                let id = format!(
                    "{}/{}/{}",
                    o["kind"].as_str().unwrap_or(""),
                    o["metadata"]["namespace"].as_str().unwrap_or(""),
                    o["metadata"]["name"].as_str().unwrap_or("")
                );
                match crds.schema_for(&o) {
                    Ok(schema) => {
                        for p in validator.object(schema, &o) {
                            problems.push(format!("{label} [{target}] {id}: {p}"));
                        }
                    }
                    Err(e) => problems.push(format!("{label} [{target}] {id}: {e}")),
                }
            }
        }
    }
    eprintln!("Envoy Gateway objects validated per targeted release: {checked:?}");
    assert!(checked.values().all(|n| *n > 50), "{checked:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
