//! Ingress class selection, exactly as ingress-nginx does it.
//!
//! ## What ingress-nginx does
//! 1. `spec.ingressClassName` set: the named IngressClass must have
//!    `spec.controller == --controller-class` (or, with `--ingress-class-by-name`,
//!    be named `--ingress-class`); the `kubernetes.io/ingress.class` annotation is
//!    not consulted.
//! 2. Else the `kubernetes.io/ingress.class` annotation must equal `--ingress-class`.
//! 3. Else the Ingress is served only with `--watch-ingress-without-class`.
//!
//! ## What we do
//! The same. When the input has no IngressClass of that name (files often omit
//! it), we assume the standard install (an IngressClass named `--ingress-class`
//! for `--controller-class`) and say so. Every skipped Ingress is named in a
//! notification, so nothing disappears silently.

use crate::input::{InputIngress, InputSet};
use crate::options::TranslateOptions;
use crate::report::{Code, Notification, Report};

pub const INGRESS_SKIPPED: Code = Code("ingress-skipped");
pub const CLASS_ASSUMED: Code = Code("ingress-class-assumed");
const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

/// The Ingresses ingress-nginx would serve, with their class name.
pub fn select<'a>(
    input: &'a InputSet,
    opts: &TranslateOptions,
    report: &mut Report,
) -> Vec<(&'a InputIngress, String)> {
    let (selected, assumed) = select_among(input, &input.ingresses, opts, report);
    if let Some(n) = assumed_note(opts, assumed) {
        report.push(n);
    }
    selected
}

/// [`select`] over some of the input's Ingresses (a shard, `crate::shard`),
/// with how many were assumed to be of ingress-nginx's class: the run says so
/// once ([`assumed_note`]).
pub fn select_among<'a>(
    input: &'a InputSet,
    ingresses: impl IntoIterator<Item = &'a InputIngress>,
    opts: &TranslateOptions,
    report: &mut Report,
) -> (Vec<(&'a InputIngress, String)>, usize) {
    let mut selected = Vec::new();
    let mut assumed = 0;
    for ing in ingresses {
        let skip = |report: &mut Report, why: String, suggestion: &str| {
            report.push(
                Notification::warning(INGRESS_SKIPPED, format!("not served by this ingress-nginx controller: {why}; nothing was generated for it"))
                    .object(&ing.obj)
                    .span(ing.doc_span())
                    .suggest(suggestion.to_string()),
            );
        };
        if let Some(name) = ing
            .ingress
            .spec
            .as_ref()
            .and_then(|s| s.ingress_class_name.as_deref())
        {
            let class = input.ingress_classes.iter().find(|c| c.obj.name == name);
            match class {
                Some(c)
                    if c.class.spec.as_ref().and_then(|s| s.controller.as_deref())
                        == Some(opts.controller_class.as_str()) =>
                {
                    selected.push((ing, name.to_string()))
                }
                _ if opts.ingress_class_by_name && name == opts.ingress_class => {
                    selected.push((ing, name.to_string()))
                }
                Some(c) => skip(
                    report,
                    format!(
                        "spec.ingressClassName `{name}` names an IngressClass for controller `{}`, not `{}`",
                        c.class
                            .spec
                            .as_ref()
                            .and_then(|s| s.controller.as_deref())
                            .unwrap_or("(none)"),
                        opts.controller_class
                    ),
                    "pass --controller-class if your ingress-nginx uses another controller value",
                ),
                None if name == opts.ingress_class => {
                    assumed += 1;
                    selected.push((ing, name.to_string()))
                }
                None => skip(
                    report,
                    format!(
                        "spec.ingressClassName `{name}` is not `{}` and no IngressClass `{name}` is in the input",
                        opts.ingress_class
                    ),
                    "pass --ingress-class, or include the IngressClass objects (-f) so their controller can be checked",
                ),
            }
        } else if let Some(class) = ing.annotations().get(CLASS_ANNOTATION) {
            if class == &opts.ingress_class {
                selected.push((ing, class.clone()));
            } else {
                skip(
                    report,
                    format!(
                        "annotation {CLASS_ANNOTATION} is `{class}`, not `{}`",
                        opts.ingress_class
                    ),
                    "pass --ingress-class to translate Ingresses of another class",
                );
            }
        } else if opts.watch_without_class {
            selected.push((ing, opts.ingress_class.clone()));
        } else {
            skip(
                report,
                "it has no ingress class and ingress-nginx ignores class-less Ingresses by default"
                    .into(),
                "pass --watch-ingress-without-class if your controller runs with that flag",
            );
        }
    }
    (selected, assumed)
}

/// The run's note that `assumed` Ingresses name a class no IngressClass of the
/// input describes.
pub fn assumed_note(opts: &TranslateOptions, assumed: usize) -> Option<Notification> {
    (assumed > 0).then(|| {
        Notification::info(
            CLASS_ASSUMED,
            format!(
                "no IngressClass `{}` in the input: assumed it is ingress-nginx's (controller {}) for {assumed} Ingress(es)",
                opts.ingress_class, opts.controller_class,
            ),
        )
        .suggest("include the IngressClass objects with -f (or read from the cluster) to check their controller")
    })
}
