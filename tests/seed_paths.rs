//! The seed post's examples, checked as requests: each case of `testdata/paths`
//! (and `testdata/core/my-ingress`) is translated, and concrete requests are
//! matched against the emitted rules with Gateway API semantics (Exact, PathPrefix
//! by segment, RegularExpression as an RE2 full match). Every rule that matches a
//! request must agree on the outcome, so the result does not depend on precedence
//! among regular expressions. The expected outcomes are the ones the seed post
//! (`../shared/seeds/five-surprising-ingress-nginx-behaviors.txt`) and the
//! reference state for ingress-nginx.

use ing2gw::input::read_sources;
use ing2gw::ir::{Action, Filter, PathMatch, PathRewrite, Rule};
use ing2gw::options::TranslateOptions;
use ing2gw::passes::quirks::Quirks;
use ing2gw::pipeline;

/// What a request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Got {
    /// Service name and the path it receives.
    Backend(String, String),
    Redirect(u16, String),
    NotFound,
}

fn translate(case: &str, quirks: &str) -> ing2gw::ir::Ir {
    let dir = format!("{}/testdata/{case}/input.yaml", env!("CARGO_MANIFEST_DIR"));
    let files = read_sources(&[dir]).expect("case readable");
    let loaded = pipeline::load(&files);
    let options = TranslateOptions {
        quirks: quirks.parse::<Quirks>().expect("quirks"),
        // Cases that carry the controller ConfigMap (e.g. to allow snippets) use it.
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..Default::default()
    };
    pipeline::translate(&loaded.input, &options, loaded.report).ir
}

fn matches(m: &PathMatch, path: &str) -> bool {
    match m {
        PathMatch::Exact(v) => path == v,
        PathMatch::Prefix(v) => {
            let v = v.trim_end_matches('/');
            v.is_empty() || path == v || path.strip_prefix(v).is_some_and(|r| r.starts_with('/'))
        }
        PathMatch::Regex(p) => regex::Regex::new(&format!("^(?:{p})$"))
            .expect("emitted pattern compiles")
            .is_match(path),
    }
}

fn outcome(rule: &Rule, path: &str) -> Got {
    let mut uri = path.to_string();
    for f in &rule.filters {
        if let Filter::UrlRewrite { path: Some(rw), .. } = &f.filter {
            uri = match rw {
                PathRewrite::Full(p) => p.clone(),
                PathRewrite::Prefix(r) => {
                    let Some(PathMatch::Prefix(pfx)) =
                        rule.matches.first().and_then(|m| m.path.as_ref())
                    else {
                        panic!("ReplacePrefixMatch without PathPrefix")
                    };
                    let rest = &path[pfx.trim_end_matches('/').len()..];
                    let r = r.trim_end_matches('/');
                    match (r.is_empty(), rest.is_empty()) {
                        (true, true) => "/".into(),
                        (true, false) => rest.to_string(),
                        (false, _) => format!("{r}{rest}"),
                    }
                }
            };
        }
    }
    match &rule.action {
        Action::Forward(b) => Got::Backend(b[0].service.clone(), uri),
        Action::Redirect(r) => Got::Redirect(
            r.status,
            match &r.path {
                Some(PathRewrite::Full(p)) => p.clone(),
                _ => path.to_string(),
            },
        ),
    }
}

/// The unambiguous outcome of `GET path` on `host`.
fn request(ir: &ing2gw::ir::Ir, host: &str, path: &str) -> Got {
    let rules: Vec<&Rule> = ir
        .hosts
        .values()
        .filter(|h| h.id.host.hostname() == Some(host))
        .flat_map(|h| h.rules.iter())
        .filter(|r| {
            r.matches
                .iter()
                .any(|m| m.path.as_ref().is_some_and(|p| matches(p, path)))
        })
        .collect();
    let path_of = |r: &Rule| r.matches.first().and_then(|m| m.path.clone());
    // Gateway API precedence: Exact first, then the longest PathPrefix; none is
    // defined for RegularExpression, so every regex that matches must agree.
    let exact: Vec<&Rule> = rules
        .iter()
        .copied()
        .filter(|r| matches!(path_of(r), Some(PathMatch::Exact(_))))
        .collect();
    let regexes = rules
        .iter()
        .any(|r| matches!(path_of(r), Some(PathMatch::Regex(_))));
    let longest_prefix = rules
        .iter()
        .filter_map(|r| match path_of(r) {
            Some(PathMatch::Prefix(p)) => Some(p.trim_end_matches('/').len()),
            _ => None,
        })
        .max();
    let rules: Vec<&Rule> = if !exact.is_empty() {
        exact
    } else if !regexes {
        rules
            .into_iter()
            .filter(|r| matches!(path_of(r), Some(PathMatch::Prefix(p)) if Some(p.trim_end_matches('/').len()) == longest_prefix))
            .collect()
    } else {
        rules
    };
    let outcomes: Vec<Got> = rules.iter().map(|r| outcome(r, path)).collect();
    let Some(first) = outcomes.first() else {
        return Got::NotFound;
    };
    assert!(
        outcomes.iter().all(|o| o == first),
        "{host}{path} is ambiguous: {outcomes:?}"
    );
    first.clone()
}

fn backend(svc: &str, uri: &str) -> Got {
    Got::Backend(svc.into(), uri.into())
}

#[test]
fn seed_1_regex_is_a_case_insensitive_prefix() {
    let ir = translate("paths/seed-regex-match", "all");
    let h = "regex-match.example.com";
    assert_eq!(request(&ir, h, "/uuid"), backend("httpbin", "/uuid"));
    assert_eq!(
        request(&ir, h, "/uuid/some/other/path"),
        backend("httpbin", "/uuid/some/other/path")
    );
    assert_eq!(request(&ir, h, "/ABC"), backend("httpbin", "/ABC"));
    assert_eq!(request(&ir, h, "/ab"), Got::NotFound);
}

#[test]
fn seed_2_use_regex_applies_to_the_whole_host() {
    let ir = translate("paths/seed-regex-two-ingresses", "all");
    let h = "regex-match.example.com";
    assert_eq!(request(&ir, h, "/headers"), backend("httpbin", "/headers"));
    assert_eq!(request(&ir, h, "/Header"), backend("httpbin", "/Header"));
}

#[test]
fn seed_3_rewrite_target_implies_regex() {
    let ir = translate("paths/seed-rewrite-target", "all");
    let h = "rewrite-target.example.com";
    assert_eq!(request(&ir, h, "/ip"), backend("httpbin", "/uuid"));
    assert_eq!(request(&ir, h, "/IP/x"), backend("httpbin", "/uuid"));
    assert_eq!(request(&ir, h, "/headers"), backend("httpbin", "/headers"));
}

#[test]
fn seed_4_trailing_slash_redirect() {
    let ir = translate("paths/seed-trailing-slash", "all");
    let h = "trailing-slash.example.com";
    assert_eq!(
        request(&ir, h, "/my-path"),
        Got::Redirect(301, "/my-path/".into())
    );
    assert_eq!(
        request(&ir, h, "/my-path/"),
        backend("httpbin", "/my-path/")
    );
    assert_eq!(request(&ir, h, "/my-path/x"), Got::NotFound);
}

#[test]
fn seed_5_normalised_paths_reach_the_exact_path() {
    let ir = translate("paths/seed-path-normalization", "all");
    let h = "path-normalization.example.com";
    // After normalisation (`/ip/abc/../../uuid`, `////uuid` → `/uuid`), which the
    // url-normalization notice asks users to check in their implementation.
    assert_eq!(request(&ir, h, "/uuid"), backend("httpbin", "/uuid"));
    assert_eq!(request(&ir, h, "/uuid/x"), Got::NotFound);
}

#[test]
fn announcement_my_ingress() {
    let ir = translate("core/my-ingress-snippets-allowed", "all");
    let h = "my-host.example.com";
    assert_eq!(
        request(&ir, h, "/users/42"),
        backend("website-service", "/users/42")
    );
    assert_eq!(
        request(&ir, h, "/USERS/42/orders"),
        backend("website-service", "/USERS/42/orders")
    );
    assert_eq!(request(&ir, h, "/users/"), Got::NotFound);
}

#[test]
fn prefix_strip_rewrite() {
    let ir = translate("paths/prefix-strip-rewrite", "all");
    let h = "rewrite.example.com";
    assert_eq!(request(&ir, h, "/something"), backend("http-svc", "/"));
    assert_eq!(request(&ir, h, "/something/"), backend("http-svc", "/"));
    assert_eq!(
        request(&ir, h, "/something/new"),
        backend("http-svc", "/new")
    );
    assert_eq!(request(&ir, h, "/somethingelse"), Got::NotFound);
}

#[test]
fn regex_overlap_follows_nginx_order_without_precedence() {
    let ir = translate("paths/regex-overlap", "all");
    let h = "shop.example.com";
    assert_eq!(request(&ir, h, "/apiv2/x"), backend("api-v2", "/apiv2/x"));
    assert_eq!(request(&ir, h, "/api/x"), backend("api", "/api/x"));
    assert_eq!(request(&ir, h, "/apiary"), backend("api", "/apiary"));
    assert_eq!(request(&ir, h, "/API"), backend("api", "/API"));
    assert_eq!(
        request(&ir, h, "/static/a.css"),
        backend("static", "/a.css")
    );
    assert_eq!(request(&ir, h, "/staticx"), backend("web", "/staticx"));
    assert_eq!(
        request(&ir, h, "/healthz/more"),
        backend("web", "/healthz/more")
    );
    assert_eq!(request(&ir, h, "/"), backend("web", "/"));
    assert_eq!(request(&ir, h, "/about"), backend("web", "/about"));
}

#[test]
fn app_root_and_trailing_slash() {
    let ir = translate("paths/app-root", "all");
    let h = "legacy.example.com";
    assert_eq!(request(&ir, h, "/"), Got::Redirect(302, "/portal".into()));
    assert_eq!(
        request(&ir, h, "/files"),
        Got::Redirect(301, "/files/".into())
    );
    assert_eq!(request(&ir, h, "/files/a"), backend("files", "/files/a"));
    assert_eq!(request(&ir, h, "/portal/x"), backend("portal", "/portal/x"));
}

#[test]
fn quirks_none_emits_what_the_user_meant() {
    let ir = translate("paths/quirks-none", "none");
    let h = "regex-match.example.com";
    assert_eq!(request(&ir, h, "/ABC"), backend("httpbin", "/ABC"));
    assert_eq!(request(&ir, h, "/uuid"), Got::NotFound);
    assert_eq!(request(&ir, h, "/Header"), backend("httpbin", "/Header"));
    assert_eq!(request(&ir, h, "/headers"), Got::NotFound);
}

#[test]
fn quirks_none_on_the_rewrite_seed() {
    let ir = translate("paths/seed-rewrite-target", "none");
    let h = "rewrite-target.example.com";
    assert_eq!(request(&ir, h, "/IP"), backend("httpbin", "/uuid"));
    assert_eq!(request(&ir, h, "/ip"), Got::NotFound);
    assert_eq!(request(&ir, h, "/Header"), backend("httpbin", "/Header"));
    assert_eq!(request(&ir, h, "/headers"), Got::NotFound);
}
