//! Decodes the kinds ing2gw uses (Ingress, IngressClass, Service, ConfigMap, and
//! Secrets by name and type only) from parsed documents, checking them the way the
//! API server would: a known `apiVersion`, a name that is a DNS-1123 subdomain, a
//! namespace that is a DNS-1123 label, port numbers in 1–65535. An object that
//! breaks a rule could never exist in a cluster; it becomes an error notification
//! (with file, line and column, and what was expected) and is skipped, the other
//! objects are still processed. `namespace: ""` is what `kubectl apply` treats as
//! unset (it uses the context's namespace): a warning, then `default`, like a
//! missing namespace.

use super::documents::{self, INVALID_OBJECT, offset_of, str_at, type_name, yaml_message};
use super::objects::*;
use super::validate::{NameRule, port_in_range, shown};
use super::{Origin, SourceFile, SourceSpan, v1beta1};
use crate::report::{Code, Notification, ObjectRef, Report};
use k8s_openapi::api::networking::v1::{Ingress, IngressBackend};
use serde_json::Value;
use std::ops::Range;

/// Objects of kinds ing2gw does not use.
pub const SKIPPED_KINDS: Code = Code("skipped-kinds");
/// `metadata.namespace: ""`: treated as `default`.
pub const EMPTY_NAMESPACE: Code = Code("empty-namespace");
/// A kind ing2gw uses, in an API version Kubernetes does not serve.
pub const UNKNOWN_API_VERSION: Code = Code("unknown-api-version");

/// Decodes every document of `file` into `set`. Returns the byte ranges of the
/// file that must never be shown (see [`documents::DocumentsRead::withheld`]).
pub fn decode_documents(
    file: &SourceFile,
    set: &mut InputSet,
    report: &mut Report,
) -> Vec<Range<usize>> {
    let read = documents::for_each_document(file, report, |value, origin, doc, report| {
        decode_value(value, origin, doc, set, report)
    });
    set.input_errors += read.errors;
    set.unparsed_skipped += read.unparsed_skipped;
    read.withheld
}

/// Decodes objects read from the cluster (no file positions).
pub fn decode_values(values: Vec<Value>, set: &mut InputSet, report: &mut Report) {
    documents::for_each_value(values, report, |value, origin, doc, report| {
        decode_value(value, origin, doc, set, report)
    });
}

/// The kinds ing2gw reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ingress,
    IngressClass,
    Service,
    ConfigMap,
    Secret,
}

impl Kind {
    fn parse(kind: &str) -> Option<Kind> {
        Some(match kind {
            "Ingress" => Kind::Ingress,
            "IngressClass" => Kind::IngressClass,
            "Service" => Kind::Service,
            "ConfigMap" => Kind::ConfigMap,
            "Secret" => Kind::Secret,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Ingress => "Ingress",
            Kind::IngressClass => "IngressClass",
            Kind::Service => "Service",
            Kind::ConfigMap => "ConfigMap",
            Kind::Secret => "Secret",
        }
    }

    /// API groups and the versions of each that Kubernetes serves (or served) this kind in.
    fn versions(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Kind::Ingress => &[
                ("networking.k8s.io", &["v1", "v1beta1"]),
                ("extensions", &["v1beta1"]),
            ],
            Kind::IngressClass => &[("networking.k8s.io", &["v1", "v1beta1"])],
            Kind::Service | Kind::ConfigMap | Kind::Secret => &[("", &["v1"])],
        }
    }

    fn namespaced(self) -> bool {
        self != Kind::IngressClass
    }
}

fn decode_value(
    mut value: Value,
    origin: &Origin,
    yaml_doc: Option<&str>,
    set: &mut InputSet,
    report: &mut Report,
) {
    let kind_text = str_at(&value, "/kind").unwrap_or_default().to_string();
    let api_version = str_at(&value, "/apiVersion")
        .unwrap_or_default()
        .to_string();
    let skip = |set: &mut InputSet| {
        *set.skipped_kinds
            .entry(format!("{kind_text} ({api_version})"))
            .or_default() += 1
    };
    let Some(kind) = Kind::parse(&kind_text) else {
        return skip(set);
    };
    let (group, version) = api_version
        .split_once('/')
        .unwrap_or(("", api_version.as_str()));
    match kind.versions().iter().find(|(g, _)| *g == group) {
        Some((_, versions)) if versions.contains(&version) => {}
        // The same kind name in another API group is another resource (a CRD).
        None if !api_version.is_empty() => return skip(set),
        _ => return unknown_api_version(kind, &api_version, &value, origin, report),
    }
    // A name or namespace Kubernetes would refuse is an input error (exit 2): it
    // could otherwise become a path component or an emitted name.
    let obj = match identity(&mut value, kind, origin, report) {
        Ok(obj) => obj,
        Err(Refused::Value) => return set.input_errors += 1,
        Err(Refused::Shape) => return,
    };
    match kind {
        Kind::Ingress => decode_ingress(value, obj, &api_version, origin, yaml_doc, set, report),
        Kind::IngressClass => {
            match serde_json::from_value::<k8s_openapi::api::networking::v1::IngressClass>(value) {
                Ok(class) => set.ingress_classes.push(InputIngressClass {
                    class,
                    origin: origin.clone(),
                    obj,
                }),
                Err(e) => invalid(report, &obj, e.to_string(), origin.doc_span()),
            }
        }
        Kind::Service => {
            match serde_json::from_value::<k8s_openapi::api::core::v1::Service>(value) {
                Ok(service) => {
                    let ports = service.spec.iter().flat_map(|s| s.ports.iter().flatten());
                    let mut ok = true;
                    for (i, p) in ports.enumerate() {
                        if !port_in_range(p.port) {
                            ok = false;
                            let field = format!("spec.ports[{i}].port");
                            bad_port(report, &obj, origin, &field, "port", p.port);
                        }
                    }
                    if ok {
                        set.services.push(InputService {
                            service,
                            origin: origin.clone(),
                            obj,
                        });
                    }
                }
                Err(e) => invalid(report, &obj, e.to_string(), origin.doc_span()),
            }
        }
        Kind::ConfigMap => {
            let data = value
                .get("data")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            let s = match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            (k.clone(), s)
                        })
                        .collect()
                })
                .unwrap_or_default();
            set.config_maps.push(InputConfigMap {
                obj,
                data,
                origin: origin.clone(),
            });
        }
        Kind::Secret => {
            // Keep the name and type only; the value (and its data) is dropped here.
            set.secrets.push(SecretMeta {
                obj,
                secret_type: str_at(&value, "/type").map(str::to_string),
            });
        }
    }
}

fn decode_ingress(
    mut value: Value,
    obj: ObjectRef,
    api_version: &str,
    origin: &Origin,
    yaml_doc: Option<&str>,
    set: &mut InputSet,
    report: &mut Report,
) {
    let v1 = api_version == "networking.k8s.io/v1";
    if !v1 {
        v1beta1::convert(&mut value);
    }
    match serde_json::from_value::<Ingress>(value) {
        Ok(ing) => {
            let port_key = if v1 { "number" } else { "servicePort" };
            let bad: Vec<(String, i32)> = backends(&ing)
                .filter_map(|(field, b)| {
                    let n = b.service.as_ref()?.port.as_ref()?.number?;
                    (!port_in_range(n)).then(|| (format!("{field}.service.port.number"), n))
                })
                .collect();
            for (field, n) in &bad {
                bad_port(report, &obj, origin, field, port_key, *n);
            }
            if bad.is_empty() {
                let mut ing = InputIngress::new(ing, origin.clone(), api_version.to_string());
                if set.pack_ingresses {
                    ing.pack();
                }
                set.ingresses.push(ing);
            }
        }
        Err(e) => {
            // Re-decode from the YAML text to get the line and column of the bad field.
            let located = yaml_doc.and_then(|doc| {
                let options = || documents::yaml_options(doc.len());
                let e = if v1 {
                    serde_saphyr::from_str_with_options::<Ingress>(doc, options()).err()
                } else {
                    None
                };
                // v1beta1 has another shape; its metadata is still v1.
                let e = e.or_else(|| {
                    serde_saphyr::from_str_with_options::<MetadataOnly>(doc, options()).err()
                })?;
                let loc = e.location()?;
                Some((yaml_message(&e), loc.line() as usize, loc.column() as usize))
            });
            let (msg, span) = match (located, origin.document()) {
                (Some((msg, line, col)), Some(doc)) => {
                    (msg, origin.span_in_document(offset_of(doc, line, col), 1))
                }
                _ => (e.to_string(), origin.doc_span()),
            };
            invalid(report, &obj, msg, span)
        }
    }
}

/// Every backend of an Ingress with its field path.
fn backends(ing: &Ingress) -> impl Iterator<Item = (String, &IngressBackend)> {
    let spec = ing.spec.as_ref();
    let default = spec
        .and_then(|s| s.default_backend.as_ref())
        .map(|b| ("spec.defaultBackend".to_string(), b));
    let rules = spec.and_then(|s| s.rules.as_deref()).unwrap_or_default();
    let paths = rules.iter().enumerate().flat_map(|(i, r)| {
        let paths = r
            .http
            .as_ref()
            .map(|h| h.paths.as_slice())
            .unwrap_or_default();
        paths.iter().enumerate().map(move |(j, p)| {
            (
                format!("spec.rules[{i}].http.paths[{j}].backend"),
                &p.backend,
            )
        })
    });
    default.into_iter().chain(paths)
}

/// Only `metadata`, to locate errors in documents whose spec shape differs from v1.
#[derive(serde::Deserialize)]
struct MetadataOnly {
    #[serde(rename = "metadata")]
    _metadata: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>,
}

/// Why an object's identity was refused.
enum Refused {
    /// A name or namespace string Kubernetes refuses (`../x`): an input error.
    Value,
    /// Missing or not a string (`{placeholder}`): a finding, like other fields
    /// that do not decode.
    Shape,
}

/// The object's identity once its name and namespace pass Kubernetes' rules; a
/// missing or empty namespace becomes `default` in `value` too. Otherwise each
/// broken rule is an error notification and the object is skipped.
fn identity(
    value: &mut Value,
    kind: Kind,
    origin: &Origin,
    report: &mut Report,
) -> Result<ObjectRef, Refused> {
    let shown_ref = shown_ref(value, kind);
    let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) else {
        let message = "metadata is missing or not a mapping: Kubernetes needs metadata.name";
        invalid(
            report,
            &shown_ref,
            message.into(),
            origin.find_field("metadata", None),
        );
        return Err(Refused::Shape);
    };
    let name = match meta.get("name") {
        Some(Value::String(name)) => match NameRule::Subdomain.check(name) {
            Ok(()) => Ok(name.clone()),
            Err(e) => {
                let message = format!(
                    "metadata.name {} is not a valid name: {e}; Kubernetes expects {}",
                    shown(name),
                    NameRule::Subdomain.expected()
                );
                invalid(
                    report,
                    &shown_ref,
                    message,
                    origin.find_field("name", Some(name)),
                );
                Err(Refused::Value)
            }
        },
        None | Some(Value::Null) => {
            let message = "metadata.name is missing: kubectl apply needs a name";
            invalid(
                report,
                &shown_ref,
                message.into(),
                origin.find_field("metadata", None),
            );
            Err(Refused::Shape)
        }
        Some(other) => {
            let message = format!(
                "metadata.name must be a string, not {}{}",
                type_name(other),
                bool_hint(other)
            );
            invalid(report, &shown_ref, message, origin.find_field("name", None));
            Err(Refused::Shape)
        }
    };
    if !kind.namespaced() {
        return name.map(|n| ObjectRef::new(kind.name(), None, &n));
    }
    let namespace = match meta.get("namespace") {
        None | Some(Value::Null) => Ok("default".to_string()),
        Some(Value::String(ns)) if ns.is_empty() => {
            report.push(
                Notification::warning(
                    EMPTY_NAMESPACE,
                    "metadata.namespace is \"\": kubectl apply treats an empty namespace as unset and uses the context's namespace; ing2gw assumes `default`",
                )
                .object(&shown_ref)
                .span(origin.find_field("namespace", None))
                .suggest("remove the empty namespace, or set the namespace the object belongs to"),
            );
            Ok("default".to_string())
        }
        Some(Value::String(ns)) => match NameRule::Label.check(ns) {
            Ok(()) => Ok(ns.clone()),
            Err(e) => {
                let message = format!(
                    "metadata.namespace {} is not a valid namespace: {e}; Kubernetes expects {}",
                    shown(ns),
                    NameRule::Label.expected()
                );
                invalid(
                    report,
                    &shown_ref,
                    message,
                    origin.find_field("namespace", Some(ns)),
                );
                Err(Refused::Value)
            }
        },
        Some(other) => {
            let message = format!(
                "metadata.namespace must be a string, not {}{}",
                type_name(other),
                bool_hint(other)
            );
            invalid(
                report,
                &shown_ref,
                message,
                origin.find_field("namespace", None),
            );
            Err(Refused::Shape)
        }
    };
    let (name, namespace) = match (name, namespace) {
        (Ok(name), Ok(namespace)) => (name, namespace),
        (Err(Refused::Value), _) | (_, Err(Refused::Value)) => return Err(Refused::Value),
        _ => return Err(Refused::Shape),
    };
    meta.insert("namespace".into(), Value::String(namespace.clone()));
    Ok(ObjectRef::new(kind.name(), Some(&namespace), &name))
}

/// YAML reads unquoted `y`, `n`, `yes`, `off`, … as booleans (kubectl too).
fn bool_hint(v: &Value) -> &'static str {
    if v.is_boolean() {
        " (YAML reads unquoted yes/no/on/off/y/n as booleans: quote the value)"
    } else {
        ""
    }
}

/// The object's identity as written, made safe to print (for notifications about
/// objects whose identity is invalid).
fn shown_ref(value: &Value, kind: Kind) -> ObjectRef {
    let name = match value.pointer("/metadata/name") {
        Some(Value::String(n)) => shown(n),
        _ => String::new(),
    };
    let namespace = match value.pointer("/metadata/namespace") {
        Some(Value::String(ns)) if !ns.is_empty() => shown(ns),
        _ => "default".to_string(),
    };
    ObjectRef::new(
        kind.name(),
        kind.namespaced().then_some(namespace.as_str()),
        &name,
    )
}

fn unknown_api_version(
    kind: Kind,
    api_version: &str,
    value: &Value,
    origin: &Origin,
    report: &mut Report,
) {
    let known: Vec<String> = kind
        .versions()
        .iter()
        .flat_map(|(g, vs)| {
            vs.iter().map(move |v| match g {
                &"" => v.to_string(),
                g => format!("{g}/{v}"),
            })
        })
        .collect();
    let message = if api_version.is_empty() {
        format!("{} has no apiVersion; the object was skipped", kind.name())
    } else {
        format!(
            "{} has apiVersion {}, which Kubernetes does not serve; the object was skipped",
            kind.name(),
            shown(api_version)
        )
    };
    let span = origin.find_field("apiVersion", None);
    let mut n = Notification::error(UNKNOWN_API_VERSION, message)
        .object(&shown_ref(value, kind))
        .suggest(format!("use apiVersion {}", known.join(" or ")));
    if let Some(s) = &span {
        n = n.field(format!("{}:{}:{}", s.file, s.line, s.column));
    }
    report.push(n.span(span.filter(|_| kind != Kind::Secret)));
}

fn bad_port(report: &mut Report, obj: &ObjectRef, origin: &Origin, field: &str, key: &str, n: i32) {
    let message = format!(
        "{field} is {n}: a port number must be between 1 and 65535, so the API server rejects this {}",
        obj.kind
    );
    invalid(
        report,
        obj,
        message,
        origin.find_field(key, Some(&n.to_string())),
    );
}

/// An object that does not decode or breaks Kubernetes' rules: an error (a
/// finding, exit 1 via `--fail-on`), the object is skipped. Valid YAML/JSON with
/// wrong content is not an input error (exit 2): real repositories hold
/// templates like `{name}`. A Secret's notification carries its position but no
/// snippet.
fn invalid(report: &mut Report, obj: &ObjectRef, msg: String, span: Option<SourceSpan>) {
    let mut n = Notification::error(
        INVALID_OBJECT,
        format!("{} does not decode: {msg}", obj.kind),
    )
    .object(obj)
    .suggest("fix the field named above; this object was skipped, the others were processed");
    if let Some(s) = &span {
        n = n.field(format!("{}:{}:{}", s.file, s.line, s.column));
    }
    report.push(n.span(span.filter(|_| obj.kind != "Secret")));
}

/// One info notification counting the objects of kinds ing2gw does not use.
pub fn skipped_kinds_notification(set: &InputSet) -> Option<Notification> {
    if set.skipped_kinds.is_empty() {
        return None;
    }
    let list: Vec<String> = set
        .skipped_kinds
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    Some(
        Notification::info(SKIPPED_KINDS, format!("skipped objects of kinds ing2gw does not use: {}", list.join(", ")))
            .suggest("these objects are not part of the Ingress-NGINX configuration; apply them unchanged if you still need them"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn decode(name: &str, text: &str) -> (InputSet, Vec<Notification>, Vec<Range<usize>>) {
        let file = SourceFile {
            name: name.into(),
            text: Arc::from(text),
        };
        let mut set = InputSet::default();
        let mut report = Report::default();
        let withheld = decode_documents(&file, &mut set, &mut report);
        (set, report.finish(), withheld)
    }

    #[test]
    fn secret_data_is_never_kept() {
        let (set, _n, withheld) = decode(
            "s.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\ntype: kubernetes.io/tls\ndata: {tls.key: c2VjcmV0}\n",
        );
        assert_eq!(set.secrets.len(), 1, "{:?}", _n);
        assert_eq!(
            set.secrets[0].secret_type.as_deref(),
            Some("kubernetes.io/tls")
        );
        assert!(!format!("{set:?}").contains("c2VjcmV0"));
        assert_eq!(withheld.len(), 1);
    }

    #[test]
    fn invalid_yaml_in_secret_withholds_details() {
        let (_, notes, withheld) = decode("s.yaml", "kind: Secret\ndata:\n  key: [c2VjcmV0\n");
        assert_eq!(notes.len(), 1);
        assert!(!format!("{notes:?}").contains("c2VjcmV0"));
        assert!(notes[0].span.is_none());
        assert_eq!(withheld.len(), 1);
    }
}
