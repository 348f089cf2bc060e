//! The per-Ingress verdict of the scan: can this Ingress be migrated as
//! `print` translates it today?
//!
//! - **blocked**: the translation raised an error about it (a rule emitted
//!   fail-closed answers HTTP 500, an Ingress ingress-nginx rejects, a reference
//!   that cannot be resolved, an object that does not decode), or it uses an
//!   annotation ing2gw cannot translate (`unsupported` in the catalog);
//! - **needs review**: a warning (approximation, unknown annotation, …) or a
//!   risky construct (snippet, auth, allowlist, regex host, shared canary);
//! - **ready**: nothing of the above; info notifications do not count.
//!
//! Notifications acknowledged with `--accept` do not raise the verdict. Each
//! reason carries the notification code and text, so the verdict can be checked
//! against `print`'s output and a baseline can match problems by code.

use super::{AnnotationUse, Risk, SupportLevel};
use crate::report::{Notification, Severity};
use serde::{Deserialize, Serialize};

/// Readiness of one Ingress, ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Not served by this ingress-nginx: nothing to migrate here.
    NotServed,
    Ready,
    NeedsReview,
    Blocked,
}

impl Verdict {
    pub const COUNTED: [Verdict; 3] = [Verdict::Ready, Verdict::NeedsReview, Verdict::Blocked];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotServed => "not served",
            Verdict::Ready => "ready",
            Verdict::NeedsReview => "needs review",
            Verdict::Blocked => "blocked",
        }
    }
}

/// Code of the reason given for an annotation the catalog marks unsupported.
pub const UNSUPPORTED_ANNOTATION: &str = "unsupported-annotation";

/// One reason behind a verdict.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Reason {
    /// The verdict this reason alone gives.
    pub level: Verdict,
    /// A notification code, `unsupported-annotation`, or `risk:<kind>`.
    pub code: String,
    /// The annotation (without prefix) or field it is about, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

/// The verdict of a served Ingress and its reasons, worst first.
pub fn judge(
    notifications: &[&Notification],
    annotations: &[AnnotationUse],
    risks: &[Risk],
    prefix: &str,
) -> (Verdict, Vec<Reason>) {
    let mut reasons = Vec::new();
    for n in notifications {
        if n.accepted {
            continue;
        }
        let level = match n.severity {
            Severity::Error => Verdict::Blocked,
            Severity::Warning => Verdict::NeedsReview,
            Severity::Info => continue,
        };
        reasons.push(Reason {
            level,
            code: n.code.0.to_string(),
            field: n
                .field
                .as_deref()
                .map(|f| f.strip_prefix(prefix).unwrap_or(f).to_string()),
            message: n.message.clone(),
        });
    }
    for a in annotations {
        if a.support == SupportLevel::Unsupported
            && !reasons
                .iter()
                .any(|r| r.level == Verdict::Blocked && r.field.as_deref() == Some(&a.name))
        {
            reasons.push(Reason {
                level: Verdict::Blocked,
                code: UNSUPPORTED_ANNOTATION.into(),
                field: Some(a.name.clone()),
                message: format!(
                    "`{}` cannot be translated{}",
                    a.name,
                    a.note
                        .as_deref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                ),
            });
        }
    }
    for r in risks {
        reasons.push(Reason {
            level: Verdict::NeedsReview,
            code: format!("risk:{}", r.kind.as_str()),
            field: r.annotation.clone(),
            message: r.detail.clone(),
        });
    }
    reasons.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.cmp(b)));
    reasons.dedup();
    let verdict = reasons.first().map_or(Verdict::Ready, |r| r.level);
    (verdict, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Code;

    fn note(severity: Severity, code: &'static str) -> Notification {
        Notification::new(severity, Code(code), "m")
    }

    #[test]
    fn an_error_blocks_a_warning_needs_review_info_is_ready() {
        let e = note(Severity::Error, "access-fail-closed");
        let w = note(Severity::Warning, "cors");
        let i = note(Severity::Info, "x");
        assert_eq!(judge(&[&w, &e, &i], &[], &[], "").0, Verdict::Blocked);
        let (v, reasons) = judge(&[&w, &i], &[], &[], "");
        assert_eq!(v, Verdict::NeedsReview);
        assert_eq!(reasons.len(), 1);
        assert_eq!(judge(&[&i], &[], &[], "").0, Verdict::Ready);
    }

    #[test]
    fn accepted_notifications_do_not_count() {
        let mut e = note(Severity::Error, "access-fail-closed");
        e.accepted = true;
        assert_eq!(judge(&[&e], &[], &[], "").0, Verdict::Ready);
    }

    #[test]
    fn unsupported_annotations_block() {
        let a = AnnotationUse {
            name: "server-snippet".into(),
            support: SupportLevel::Unsupported,
            note: None,
            on_target: None,
        };
        let (v, reasons) = judge(&[], &[a], &[], "");
        assert_eq!(v, Verdict::Blocked);
        assert_eq!(reasons[0].code, UNSUPPORTED_ANNOTATION);
    }
}
