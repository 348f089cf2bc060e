//! Translation tests: patterns from the corpus manifests (`../shared/corpus`),
//! PCRE-only constructs, and a property test against a PCRE-compatible engine.

use super::*;
use proptest::prelude::*;

const NGINX: RegexOptions = RegexOptions {
    case_insensitive: true,
    prefix: true,
};

fn tr(p: &str) -> GatewayRegex {
    translate_path_regex(p, NGINX).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// (nginx path, emitted RE2 pattern): every path below occurs in a corpus manifest
/// with use-regex or rewrite-target (its whole host is then in regex mode).
const CORPUS: &[(&str, &str)] = &[
    ("/", "(?i)/.*"),
    ("/health", "(?i)/health.*"),
    ("/testpath", "(?i)/testpath.*"),
    ("/test", "(?i)/test.*"),
    ("/foo", "(?i)/foo.*"),
    ("/bar", "(?i)/bar.*"),
    ("/api", "(?i)/api.*"),
    ("/login", "(?i)/login.*"),
    ("/phpinfo", "(?i)/phpinfo.*"),
    ("/path1", "(?i)/path1.*"),
    ("/path2", "(?i)/path2.*"),
    ("/service1", "(?i)/service1.*"),
    ("/service2", "(?i)/service2.*"),
    ("/longhorn", "(?i)/longhorn.*"),
    ("/juiceshop", "(?i)/juiceshop.*"),
    ("/echoserver", "(?i)/echoserver.*"),
    ("/exp", "(?i)/exp.*"),
    ("/(.*)", "(?i)/(.*)"),
    ("/?(.*)", "(?i)/?(.*)"),
    ("/api(.*)", "(?i)/api(.*)"),
    ("/api/v1/?(.*)", "(?i)/api/v1/?(.*)"),
    ("/vncwebsocket.*", "(?i)/vncwebsocket.*"),
    ("/vault/(.*)", "(?i)/vault/(.*)"),
    ("/grafana/(.*)", "(?i)/grafana/(.*)"),
    ("/prometheus/(.*)", "(?i)/prometheus/(.*)"),
    ("/resource/(.*)/connect", "(?i)/resource/(.*)/connect.*"),
    ("/resource(/|$)(.*)", "(?i)/resource(/|$)(.*)"),
    ("/longhorn(/|$)(.*)", "(?i)/longhorn(/|$)(.*)"),
    ("/hubble(/|$)(.*)", "(?i)/hubble(/|$)(.*)"),
    ("/hello-world-two(/|$)(.*)", "(?i)/hello-world-two(/|$)(.*)"),
    ("/foo(/|$)(.*)", "(?i)/foo(/|$)(.*)"),
    ("/bar(/|$)(.*)", "(?i)/bar(/|$)(.*)"),
    ("/store-front(/|$)(.*)", "(?i)/store-front(/|$)(.*)"),
    ("/php-info(/|$)(.*)", "(?i)/php-info(/|$)(.*)"),
    ("/path-a(/|$)(.*)", "(?i)/path-a(/|$)(.*)"),
    ("/path-b(/|$)(.*)", "(?i)/path-b(/|$)(.*)"),
    ("/minio(/|$)(.*)", "(?i)/minio(/|$)(.*)"),
    ("/k8sdashboard(/|$)(.*)", "(?i)/k8sdashboard(/|$)(.*)"),
    ("/greeter(/|$)(.*)", "(?i)/greeter(/|$)(.*)"),
    ("/echo-server(/|$)(.*)", "(?i)/echo-server(/|$)(.*)"),
    ("/diagnostics(/|$)(.*)", "(?i)/diagnostics(/|$)(.*)"),
    ("/api(/|$)(.*)", "(?i)/api(/|$)(.*)"),
    // Seed post and ingress2gateway announcement.
    ("/[A-Z]{3}", "(?i)/[A-Z]{3}.*"),
    ("/users/(\\d+)", "(?i)/users/(\\d+).*"),
    ("/Header", "(?i)/Header.*"),
    ("/IP", "(?i)/IP.*"),
];

#[test]
fn corpus_patterns_translate_exactly() {
    assert!(CORPUS.len() >= 40);
    for (nginx, re2) in CORPUS {
        assert_eq!(tr(nginx).pattern, *re2, "pattern {nginx}");
    }
}

#[test]
fn anchors_are_normalised() {
    assert_eq!(tr("^/api").pattern, "(?i)/api.*");
    assert_eq!(tr("/api$").pattern, "(?i)/api");
    assert_eq!(tr("^/api/v1/?$").pattern, "(?i)/api/v1/?");
    assert_eq!(tr("\\A/api\\z").pattern, "(?i)/api");
    assert_eq!(tr("/api\\Z").pattern, "(?i)/api");
    // `^` is pasted in front of the text: only the first branch is anchored.
    assert_eq!(tr("/a|/b").pattern, "(?i)(?:/a.*|.*/b.*)");
    assert_eq!(tr("/a|^/b").pattern, "(?i)(?:/a.*|/b.*)");
    assert_eq!(tr("/a$|^/b$").pattern, "(?i)(?:/a|/b)");
    assert_eq!(tr("(/a|/b)").pattern, "(?i)(/a|/b).*");
}

#[test]
fn literals_are_recognised() {
    assert_eq!(tr("/v1/api").literal.as_deref(), Some("/v1/api"));
    assert_eq!(tr("/a\\.b").literal.as_deref(), Some("/a.b"));
    assert_eq!(tr("/a\\.b").pattern, "(?i)/a\\.b.*");
    assert_eq!(tr("/api\\/v1").literal.as_deref(), Some("/api/v1"));
    assert_eq!(tr("/api\\/v1").pattern, "(?i)/api/v1.*");
    // Clients send `{`/`}` percent-encoded; Gateway API matches the path as sent.
    assert_eq!(tr("/{id}").literal.as_deref(), Some("/%7Bid%7D"));
    assert_eq!(tr("/{id}").pattern, "(?i)/%7Bid%7D.*");
    // `.` is a regex: /v1.0 matches /v1x0.
    assert_eq!(tr("/v1.0").literal, None);
    assert_eq!(tr("/api$").literal, None);
    assert_eq!(tr("/a|/b").literal, None);
    let exact = translate_path_regex(
        "/Header",
        RegexOptions {
            case_insensitive: false,
            prefix: false,
        },
    )
    .unwrap();
    assert_eq!(exact.pattern, "/Header");
    assert_eq!(exact.literal.as_deref(), Some("/Header"));
}

#[test]
fn classes_keep_their_meaning() {
    assert_eq!(tr("/[a-z0-9_-]+").pattern, "(?i)/[a-z0-9_\\-]+.*");
    assert_eq!(tr("/[^/]+/x").pattern, "(?i)/[^/]+/x.*");
    assert_eq!(tr("/[]a]").pattern, "(?i)/[\\]a].*");
    assert_eq!(tr("/[[:alpha:]]+").pattern, "(?i)/[[:alpha:]]+.*");
    // PCRE reads `[` and `&&` inside a class literally.
    assert_eq!(tr("/[[a]").pattern, "(?i)/[\\[a].*");
    assert_eq!(tr("/[a&&b]").pattern, "(?i)/[a\\&\\&b].*");
    assert_eq!(tr("/[\\d\\-]").pattern, "(?i)/[\\d\\-].*");
    assert_eq!(tr("/\\w+\\s?").pattern, "(?i)/\\w+\\s?.*");
    // User flags stay: (?-i) turns case-insensitivity off for the rest.
    assert_eq!(tr("/(?-i)API").pattern, "(?i)/(?-i)API.*");
    assert_eq!(tr("/(?i:a)b").pattern, "(?i)/(?i:a)b.*");
    assert_eq!(tr("/(?P<id>\\d+)").pattern, "(?i)/(?P<id>\\d+).*");
    assert_eq!(tr("/(?<id>\\d+)").pattern, "(?i)/(?P<id>\\d+).*");
    assert_eq!(tr("/a\\<b").pattern, "(?i)/a%3Cb.*");
    assert_eq!(tr("/a+?b{2,3}?").pattern, "(?i)/a+?b{2,3}?.*");
}

#[test]
fn capture_groups_are_counted() {
    assert_eq!(tr("/something(/|$)(.*)").capture_groups, 2);
    assert_eq!(tr("/(?:a|b)(c)").capture_groups, 1);
    assert_eq!(tr("/x").capture_groups, 0);
}

#[test]
fn pcre_only_constructs_are_named_with_their_offset() {
    let cases: &[(&str, &str, usize)] = &[
        ("/foo(?=bar)", "look-ahead", 4),
        ("/foo(?!bar)", "look-ahead", 4),
        ("/(?<=a)b", "look-behind", 1),
        ("/(?<!a)b", "look-behind", 1),
        ("/(a)\\1", "back-reference", 4),
        ("/(?P<x>a)(?P=x)", "back-reference", 9),
        ("/a\\k<x>", "back-reference", 2),
        ("/a++", "possessive quantifier", 3),
        ("/a*+b", "possessive quantifier", 3),
        ("/a{2}+", "possessive quantifier", 5),
        ("/(?>a|ab)c", "atomic group", 1),
        ("/\\Qa.b\\E", "\\Q…\\E quoting", 1),
        ("/(?(1)a|b)", "conditional group", 1),
        ("/(?R)", "recursion or subroutine call", 1),
        ("/(a)(?1)", "recursion or subroutine call", 4),
        ("/a\\Kb", "\\K (match start reset)", 2),
        ("(*UTF8)/a", "(*…) verb or start-of-pattern option", 0),
        ("/(?|a|b)", "branch-reset group", 1),
        ("/(?#note)a", "comment group", 1),
        ("/(?x) a", "(?x) extended mode", 1),
        ("/\\pL", "Unicode property class", 1),
        ("/\\h", "\\h/\\H (horizontal whitespace class)", 1),
        ("/a**", "quantifier after a quantifier", 3),
        ("/a{2000}", "repetition count above 1000", 2),
        ("/[a--b]", "`--` inside a class", 3),
        ("/a{,3}", "`{,n}` quantifier", 2),
        ("/(a", "invalid pattern", 1),
        ("/[a", "unclosed character class", 1),
    ];
    for (p, construct, offset) in cases {
        let e = translate_path_regex(p, NGINX).expect_err(p);
        assert_eq!(
            (e.construct.as_str(), e.offset),
            (*construct, *offset),
            "{p}: {e}"
        );
    }
}

#[test]
fn every_corpus_regex_path_translates() {
    // Reads the real manifests when present; every path of a regex-mode Ingress
    // must translate or name a PCRE-only construct (none of the corpus uses one).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut seen = 0;
    for e in entries.flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if !(text.contains("use-regex") || text.contains("rewrite-target")) {
            continue;
        }
        for line in text.lines() {
            let t = line.trim().trim_start_matches("- ");
            let Some(p) = t.strip_prefix("path:") else {
                continue;
            };
            let p = p.trim().trim_matches('"');
            if !p.starts_with('/') {
                continue;
            }
            let g = translate_path_regex(p, NGINX).unwrap_or_else(|e| panic!("{p}: {e}"));
            assert!(
                crate::paths::sample::full_match_regex(&g.pattern).is_some(),
                "{p}"
            );
            seen += 1;
        }
    }
    assert!(seen >= 40, "only {seen} corpus paths found");
}

/// Patterns for the property test: corpus shapes plus the tricky ones above
/// (not those where fancy-regex itself departs from PCRE, e.g. `[a&&b]`).
const PROPERTY_PATTERNS: &[&str] = &[
    "/[A-Z]{3}",
    "/users/(\\d+)",
    "/Header",
    "/something(/|$)(.*)",
    "/api/v1/?(.*)",
    "/?(.*)",
    "/api$",
    "^/api/v1/?$",
    "/a|/b",
    "/a|^/b",
    "/a$|/b$",
    "/v1.0",
    "/[^/]+/x",
    "/(?-i)AB",
    "/a\\b",
    "/x\\B",
    "/a{2,3}b?",
    "(/a|/b)x",
    "/\\w+-\\d",
    "/[[:upper:]]x",
    "/a/|b",
    "/|",
];

fn nginx_accepts(oracle: &fancy_regex::Regex, path: &str) -> bool {
    oracle.is_match(path).unwrap_or(false)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// The emitted RE2 pattern (full match, `regex` crate) accepts exactly the
    /// paths that nginx's `~* "^P"` accepts (`(?i)^P` searched with fancy-regex).
    #[test]
    fn emitted_pattern_agrees_with_nginx(
        index in 0..PROPERTY_PATTERNS.len(),
        sample in 0usize..32,
        flip in proptest::collection::vec(any::<bool>(), 0..16),
        tail in "[/aAbBxX0-9._-]{0,6}",
        random in "[/aAbBxXhHeEdDrRuUsS0-9._-]{0,12}",
        use_random in any::<bool>(),
    ) {
        let p = PROPERTY_PATTERNS[index];
        let g = tr(p);
        let re2 = crate::paths::sample::full_match_regex(&g.pattern).expect("valid RE2 pattern");
        let oracle = fancy_regex::Regex::new(&format!("(?i)^{p}")).expect("valid PCRE");
        let path = if use_random {
            random
        } else {
            let samples = sample_paths(&g.pattern);
            let base = samples.get(sample % samples.len().max(1)).cloned().unwrap_or_default();
            let flipped: String = base
                .chars()
                .enumerate()
                .map(|(i, c)| if flip.get(i).copied().unwrap_or(false) { c.to_ascii_uppercase() } else { c })
                .collect();
            format!("{flipped}{tail}")
        };
        prop_assert_eq!(re2.is_match(&path), nginx_accepts(&oracle, &path), "pattern {} → {} on {:?}", p, g.pattern, path);
    }
}

#[test]
fn literal_sets() {
    let set = |p: &str| literal_set(p).map(|s| (s.literal, s.segment));
    assert_eq!(set("/static(/|$)(.*)"), Some(("/static".into(), true)));
    assert_eq!(set("^/hubble($|/)"), Some(("/hubble".into(), true)));
    assert_eq!(set("/vault/(.*)"), Some(("/vault/".into(), false)));
    assert_eq!(set("/api"), Some(("/api".into(), false)));
    assert_eq!(set("/vnc.*"), Some(("/vnc".into(), false)));
    assert_eq!(set("/api$"), None);
    assert_eq!(set("/v1.0"), None);
    assert_eq!(set("/a|/b"), None);
}

#[test]
fn floating_branches_are_flagged() {
    assert!(tr("/a|/b").floating_branches);
    assert!(!tr("/a|^/b").floating_branches);
    assert!(!tr("(/a|/b)").floating_branches);
}

proptest! {
    /// Arbitrary input never panics, and whatever translates is a valid pattern.
    #[test]
    fn never_panics(
        pattern in r"[/a-zA-Z0-9().*+?|^$\[\]{}\\:,<>=!#&~'PRKQEgkpdDwWsSbBzZ -]{0,24}",
        target in r"[/a-z$0-9{}]{0,8}",
    ) {
        if let Ok(g) = translate_path_regex(&pattern, NGINX) {
            prop_assert!(crate::paths::sample::full_match_regex(&g.pattern).is_some(), "{} → {}", pattern, g.pattern);
        }
        let _ = classify_rewrite(&pattern, &target, true);
        let _ = literal_set(&pattern);
    }
}

/// Random patterns from a grammar of what PCRE and RE2 share.
fn pattern_strategy() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[abAB/x._-]".prop_map(|s| regex_syntax::escape(&s)),
        Just(".".to_string()),
        Just("[a-c]".to_string()),
        Just("[^/]".to_string()),
        Just("\\d".to_string()),
        Just("\\w".to_string()),
        Just("^".to_string()),
        Just("$".to_string()),
        Just("\\b".to_string()),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}|{b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("(?:{a})")),
            (
                inner,
                prop_oneof![Just("*"), Just("+"), Just("?"), Just("{1,2}"), Just("*?")]
            )
                .prop_map(|(a, q)| format!("(?:{a}){q}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    /// Same agreement as above, on random patterns.
    #[test]
    fn random_patterns_agree_with_nginx(
        p in pattern_strategy(),
        paths in proptest::collection::vec("[/aAbBcCxX0-9._-]{0,8}", 4),
    ) {
        let Ok(g) = translate_path_regex(&p, NGINX) else { return Ok(()) };
        let Ok(oracle) = fancy_regex::Regex::new(&format!("(?i)^{p}")) else { return Ok(()) };
        let re2 = crate::paths::sample::full_match_regex(&g.pattern).expect("valid");
        let mut candidates = sample_paths(&g.pattern);
        candidates.extend(paths);
        for path in candidates {
            prop_assert_eq!(re2.is_match(&path), nginx_accepts(&oracle, &path), "pattern {} → {} on {:?}", p, g.pattern, path);
        }
    }
}

#[test]
fn escapes_and_stray_brackets() {
    // Matched as clients send it: percent-encoded UTF-8.
    assert_eq!(tr("/caf\\x{e9}").pattern, "(?i)/caf%C3%A9.*");
    assert_eq!(tr("/caf\\x{e9}").literal.as_deref(), Some("/caf%C3%A9"));
    assert_eq!(tr("/a é+").pattern, "(?i)/a%20(?:%C3%A9)+.*");
    assert_eq!(tr("/a\\x41").literal.as_deref(), Some("/aA"));
    assert_eq!(tr("/a]").pattern, "(?i)/a%5D.*");
    assert_eq!(tr("/a b").pattern, "(?i)/a%20b.*");
    assert_eq!(tr("/x{2}").pattern, "(?i)/x{2}.*");
    assert_eq!(tr("/x{2,}y{1,3}").pattern, "(?i)/x{2,}y{1,3}.*");
    let e = translate_path_regex("/a\\x{zz}", NGINX).unwrap_err();
    assert_eq!((e.construct.as_str(), e.offset), ("invalid pattern", 2));
}

#[test]
fn cover_pattern_takes_every_request_the_untranslatable_location_could() {
    let covers = |p: &str, path: &str| full_match(&cover_pattern(p), path);
    assert_eq!(cover_pattern("/admin/(?!public)(.*)"), "(?i)/admin/.*");
    for path in ["/admin/x", "/ADMIN/public", "/admin/"] {
        assert!(covers("/admin/(?!public)(.*)", path), "{path}");
    }
    assert!(!covers("/admin/(?!public)(.*)", "/other"));
    // A quantifier makes the last literal character optional.
    assert_eq!(cover_pattern("/files?(?<=s)"), "(?i)/file.*");
    assert_eq!(cover_pattern("/ab*(?=c)"), "(?i)/a.*");
    // A top-level `|` leaves later branches unanchored (nginx pastes `^` in front).
    assert_eq!(cover_pattern("/a(?=b)|/c"), "(?i).*");
    assert!(covers("/a(?=b)|/c", "/anything/c"));
    // `|` inside a group or class keeps the anchor.
    assert_eq!(cover_pattern("/x/(a|b)(?=c)"), "(?i)/x/.*");
    assert_eq!(cover_pattern("/x/[|(](?=c)"), "(?i)/x/.*");
    assert_eq!(cover_pattern("(?i)/x"), "(?i).*");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// The patterns ruled out unparsed (an unescaped class, quantifier, group
    /// or anchor) are ruled out by the parse too: the filters never change an
    /// answer, on random text over every construct they look at.
    #[test]
    fn literal_filters_answer_as_the_parse(
        pattern in r"[/a-z0-9().*+?|^$\[\]{}\\:QEdw-]{0,16}",
        case_insensitive in any::<bool>(),
        prefix in any::<bool>(),
    ) {
        prop_assert_eq!(literal_set(&pattern), parsed_literal_set(&pattern), "{}", pattern);
        let opts = RegexOptions { case_insensitive, prefix };
        let flags = if case_insensitive { "(?i)" } else { "" };
        let suffix = if prefix { ".*" } else { "" };
        let full = format!("{flags}{pattern}{suffix}");
        prop_assert_eq!(literal_of_pattern(&full, opts), literal_of_body(&pattern), "{}", full);
    }
}
