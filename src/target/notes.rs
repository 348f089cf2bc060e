//! Target-aware notifications. Passes write their suggestions for any
//! implementation ("use your implementation's policy (e.g. Envoy Gateway …,
//! kgateway …)"); when the run has a concrete target, such a notification still
//! standing after its emitter ran means that target's output does not carry it.
//! This step says so for that target, by name, and keeps the rest of the
//! suggestion. For `standard` the text is unchanged.

use super::{Implementation, Target};
use crate::report::Notification;

/// The phrase passes use for "whatever implementation the user runs".
const GENERIC: &str = "your implementation";

/// Phrasings that send the user to an implementation resource ing2gw did not
/// emit (the behaviour is not in the output for this target). Other uses of
/// [`GENERIC`] ("test these requests on your implementation") only get the name.
const NEEDS_A_RESOURCE: &[&str] = &[
    "your implementation's policy",
    "your implementation's policies",
    "your implementation's auth policy",
    "your implementation's cors policy",
    "your implementation's skip-verify",
    "enforce it with your implementation",
    "use your implementation:",
    "block these clients with your implementation",
    "attach your implementation's",
];

impl Implementation {
    /// The name prose uses: "Envoy Gateway", "Istio".
    pub fn display_name(self) -> &'static str {
        match self {
            Implementation::Standard => "standard Gateway API",
            Implementation::EnvoyGateway => "Envoy Gateway",
            Implementation::Istio => "Istio",
        }
    }
}

/// Rewrites the suggestions of `notes` for `target` (see the module doc).
pub fn retarget(notes: &mut [Notification], target: &Target) {
    if target.implementation.is_standard() {
        return;
    }
    let name = target.implementation.display_name();
    for n in notes.iter_mut() {
        let Some(s) = n.suggestion.as_deref() else {
            continue;
        };
        if !s.contains(GENERIC) {
            continue;
        }
        let lower = s.to_ascii_lowercase();
        let needs_resource = NEEDS_A_RESOURCE.iter().any(|p| lower.contains(p));
        let rest = s
            .replace("your implementation's", &format!("{name}'s"))
            .replace(GENERIC, name);
        if !needs_resource {
            n.suggestion = Some(rest);
            continue;
        }
        let what = match n.field.as_deref() {
            Some(f) if !f.is_empty() => format!("`{f}`"),
            _ => "this".to_string(),
        };
        n.suggestion = Some(format!(
            "{name} cannot express {what} with ing2gw's output yet: {rest}"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Code;

    fn note() -> Notification {
        Notification::warning(Code("x"), "affinity is lost")
            .field("nginx.ingress.kubernetes.io/affinity")
            .suggest("use --channel experimental, or your implementation's policy: Envoy Gateway BackendTrafficPolicy")
    }

    #[test]
    fn names_the_target() {
        let mut notes = vec![
            note(),
            Notification::info(Code("y"), "fine").suggest("nothing to do"),
            Notification::warning(Code("z"), "regex order")
                .suggest("test `/a` on your implementation"),
        ];
        retarget(&mut notes, &"istio".parse().unwrap());
        assert_eq!(
            notes[0].suggestion.as_deref(),
            Some(
                "Istio cannot express `nginx.ingress.kubernetes.io/affinity` with ing2gw's output yet: use --channel experimental, or Istio's policy: Envoy Gateway BackendTrafficPolicy"
            )
        );
        assert_eq!(notes[1].suggestion.as_deref(), Some("nothing to do"));
        // Not about a missing resource: only the name.
        assert_eq!(notes[2].suggestion.as_deref(), Some("test `/a` on Istio"));
    }

    #[test]
    fn standard_keeps_the_text() {
        let mut notes = vec![note()];
        retarget(&mut notes, &Target::default());
        assert_eq!(notes[0].suggestion, note().suggestion);
    }
}
