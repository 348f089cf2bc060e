//! app-root.
//!
//! ## What ingress-nginx does
//! `app-root: /portal` renders, at server level, `if ($uri = /) { return 302
//! $scheme://$http_host/portal; }` once per location carrying it (so the first one
//! in location order wins on a shared host, and the owner Ingress's value also
//! applies through the implicit `/`). Fixed 302, query dropped, scheme kept, runs
//! before location matching and before ssl-redirect. The value must be a path
//! (`url.ParseRequestURI`, not absolute, PathCap characters), else it is ignored.
//!
//! ## What Gateway API offers
//! `RequestRedirect` with `ReplaceFullPath`; it keeps the query string.
//!
//! ## What we emit
//! An `Exact /` rule with a 302 redirect to the app root (no HTTPS redirect before
//! it); an Exact `/` path of the host is shadowed by it, as in nginx. nginx
//! evaluates variables in the value (`$`, allowed by the validator): `$host` is
//! replaced on an exact hostname.
//!
//! ## What we warn
//! The kept query string; ignored invalid values; shadowed `/` paths; values with
//! variables that have no fixed value (no redirect is emitted for them).

use super::nginx_vars;
use super::{Pass, PassContext, locations};
use crate::ir::*;
use crate::report::{Code, Notification, Report};

pub const APP_ROOT: Code = Code("app-root");
pub const APP_ROOT_INVALID: Code = Code("app-root-invalid");

pub struct AppRoot;

/// The app-root value if ingress-nginx accepts it.
pub fn valid_app_root(v: &str) -> bool {
    v.starts_with('/')
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-._~/:$".contains(&c))
}

impl Pass for AppRoot {
    fn name(&self) -> &'static str {
        "app-root"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &["app-root"]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let key = cx.full_key("app-root");
        let value_of =
            |obj: &crate::report::ObjectRef| -> Option<(String, Option<crate::input::SourceSpan>)> {
                let ing = cx.ingress(obj)?;
                let v = cx.annotation(ing, "app-root")?.trim().to_string();
                Some((v, cx.annotation_span(ing, "app-root")))
            };
        // Invalid values: ignored by ingress-nginx.
        for ing in &cx.ingresses {
            if let Some(v) = cx.annotation(ing, "app-root")
                && !v.is_empty()
                && !valid_app_root(v.trim())
            {
                report.push(
                    Notification::warning(APP_ROOT_INVALID, format!("app-root `{v}` is not a valid path for ingress-nginx (it must start with `/` and use only [A-Za-z0-9-._~/:$]); the controller ignores it, so nothing is emitted"))
                        .object(&ing.obj)
                        .field(key.clone())
                        .span(cx.annotation_span(ing, "app-root")),
                );
            }
        }
        let mut redirects = Vec::new();
        for host in ir.hosts.values_mut() {
            let order = locations::location_order(&host.rules);
            let mut carriers = order
                .iter()
                .filter_map(|&i| host.rules[i].from.object.clone());
            let winner = carriers
                .find(|o| value_of(o).is_some_and(|(v, _)| valid_app_root(&v)))
                .or_else(|| {
                    value_of(&host.owner)
                        .filter(|(v, _)| valid_app_root(v))
                        .map(|_| host.owner.clone())
                });
            let Some(obj) = winner else { continue };
            let Some((written, span)) = value_of(&obj) else {
                continue;
            };
            // nginx renders `return 302 $scheme://$http_host<app-root>` in the
            // server block: variables in the value are evaluated there.
            let vars = nginx_vars::VarContext::for_rule(host.id.host.hostname(), "", false, true);
            let target = match nginx_vars::expand(&written, &vars) {
                Ok(t) => t,
                Err(unknown) => {
                    report.push(
                        Notification::warning(APP_ROOT, format!("app-root `{written}` on host {} uses nginx variables ({}) that have no single value there: nginx computes the redirect per request, Gateway API's RequestRedirect takes a fixed path, so no redirect is emitted and `/` reaches the host's rules", host.id.host, nginx_vars::list(&unknown)))
                            .object(&obj)
                            .field(key.clone())
                            .span(span.clone())
                            .suggest("use a fixed path in app-root"),
                    );
                    continue;
                }
            };
            let mut shadowed = Vec::new();
            host.rules.retain(|r| {
                let is_root_exact = matches!(r.matches.first().and_then(|m| m.path.as_ref()), Some(PathMatch::Exact(p)) if p == "/");
                if is_root_exact {
                    shadowed.push(r.from.object.clone());
                }
                !is_root_exact
            });
            for s in shadowed.into_iter().flatten() {
                report.push(
                    Notification::warning(APP_ROOT, format!("Exact `/` on host {} is never reached in ingress-nginx: app-root redirects `/` first; the rule was replaced by the redirect", host.id.host))
                        .object(&s),
                );
            }
            report.push(
                Notification::info(
                    APP_ROOT,
                    format!("app-root on host {}: `/` → 302 `{target}`; ingress-nginx drops the query string, Gateway API RequestRedirect keeps it", host.id.host),
                )
                .object(&obj)
                .field(key.clone())
                .span(span.clone()),
            );
            redirects.push((
                host.id.clone(),
                Rule::new(
                    obj.namespace.clone().unwrap_or_default(),
                    format!("{}-app-root", obj.name),
                    PathMatch::Exact("/".into()),
                    SourcePath::new("/", SourcePathType::Exact),
                    Action::Redirect(Redirect {
                        scheme: None,
                        hostname: None,
                        path: Some(PathRewrite::Full(target.clone())),
                        port: None,
                        status: 302,
                    }),
                    Provenance::object(&obj).with_annotation(&key, span),
                ),
            ));
        }
        for (id, rule) in redirects {
            ir.hosts.push_rule(&id, rule);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid_app_root;

    #[test]
    fn app_root_validation() {
        assert!(valid_app_root("/portal"));
        assert!(valid_app_root("/app/v1"));
        assert!(!valid_app_root("portal"));
        assert!(!valid_app_root("/portal#x"));
        assert!(!valid_app_root("/a?b=1"));
    }
}
