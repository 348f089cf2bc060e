//! Names every annotation no pass accounted for: nothing disappears silently.
//!
//! ingress-nginx annotations (configured prefix) that no registered pass claims get
//! a warning each. Other annotations (cert-manager, external-dns, …) are not part of
//! the ingress-nginx configuration; they are listed once per Ingress so the user
//! can carry them over to the Gateway or routes where their tools support that.

use super::PassContext;
use crate::report::{Code, Notification, Report};

pub const UNHANDLED_ANNOTATION: Code = Code("unhandled-annotation");
pub const FOREIGN_ANNOTATIONS: Code = Code("foreign-annotations");

/// Annotations that carry no configuration to translate.
const IGNORED: &[&str] = &[
    "kubernetes.io/ingress.class",
    "kubectl.kubernetes.io/last-applied-configuration",
];

pub fn report_unhandled(cx: &PassContext, claimed: &[&str], report: &mut Report) {
    let prefix = &cx.options.annotation_prefix;
    for ing in &cx.ingresses {
        let mut foreign = Vec::new();
        for (key, value) in ing.annotations() {
            if let Some(short) = key.strip_prefix(prefix.as_str()) {
                if !claimed.contains(&short) {
                    report.push(
                        Notification::warning(UNHANDLED_ANNOTATION, format!("annotation `{key}: {}` is not translated", abbreviate(value)))
                            .object(&ing.obj)
                            .field(key.clone())
                            .span(ing.span_of(key))
                            .suggest("reproduce this setting by hand in the generated Gateway API objects or your implementation's policy resources"),
                    );
                }
            } else if !IGNORED.contains(&key.as_str()) {
                foreign.push(key.clone());
            }
        }
        if !foreign.is_empty() {
            let cert_manager = foreign.iter().any(|k| k.starts_with("cert-manager.io/"));
            let mut n = Notification::info(
                FOREIGN_ANNOTATIONS,
                format!(
                    "annotations of other tools are not carried over: {}",
                    foreign.join(", ")
                ),
            )
            .object(&ing.obj)
            .span(ing.span_of(&foreign[0]));
            n = n.suggest(if cert_manager {
                "cert-manager supports Gateway API: put the cert-manager.io annotations on the generated Gateway"
            } else {
                "add them to the generated objects if the tools that read them support Gateway API"
            });
            report.push(n);
        }
    }
}

fn abbreviate(v: &str) -> String {
    let one_line = v.lines().next().unwrap_or("").trim();
    if one_line.chars().count() > 60 || v.lines().count() > 1 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line.to_string()
    }
}
