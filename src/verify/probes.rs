//! Probe generation: concrete requests that exercise what differs between
//! ingress-nginx and Gateway API for the given Ingresses.
//!
//! For every Ingress path: the path itself (and with a query), with and without
//! its trailing slash, extensions `P/x` and `Px`, case variants, normalisation
//! variants (`//`, `/./`, `%2F`, a percent-encoded letter, `..`), and for regex
//! paths sample strings generated from the parsed pattern (regex-syntax HIR). Each
//! goes to the path's host and to an unknown host, over http and https; wildcard
//! hosts get a one-label and a two-label name. Canary Ingresses add the header and
//! cookie values their rules test; locations with a body size limit get a
//! probe with a body of the limit and one a byte larger. The result is
//! sorted, deduplicated and bounded:
//! when over budget the most basic variants are kept first, so a small budget
//! still covers every path.

use crate::input::InputSet;
use crate::options::TranslateOptions;
use crate::verify::matcher::Matcher;
use crate::verify::nginx_model::{CATCH_ALL, NginxModel};
use crate::verify::request::{Probe, Scheme};
use regex_syntax::hir::{Class, Hir, HirKind};
use std::collections::{BTreeMap, BTreeSet};

/// The host used for "a host no rule names".
pub const UNKNOWN_HOST: &str = "unknown-host.invalid";

/// Probes for `input`, at most `budget`, sorted and deduplicated.
pub fn generate_probes(input: &InputSet, options: &TranslateOptions, budget: usize) -> Vec<Probe> {
    probes_for(&NginxModel::build(input, options), budget)
}

/// Probes for an already built model (verify builds it once for both uses).
pub fn probes_for(model: &NginxModel, budget: usize) -> Vec<Probe> {
    // The budget keeps the lowest tiers: when the probes up to some tier
    // already fill it, the higher tiers (about twenty variants per path, and
    // the pairwise regex-overlap witnesses) need not be generated at all. So
    // the rounds go up a tier at a time until one fills the budget. A probe's
    // tier is its lowest, and a round makes every addition of its tier or
    // lower, so it finds every probe of those tiers at its own tier: when
    // there are `budget` of them, the `budget` lowest of all are among them,
    // and the chosen probes are the same as from one round over every tier.
    let mut samples = Samples::default();
    let mut g = Gen::default();
    for max_tier in ROUNDS {
        g = generate(model, max_tier, &mut samples);
        if g.probes.len() >= budget {
            break;
        }
    }
    // The `budget` lowest (tier, probe) pairs, in probe order; every probe is
    // unique, so partitioning first selects the same ones as a full sort.
    let mut by_tier: Vec<(u8, Probe)> = g.probes.into_iter().map(|(p, t)| (t, p)).collect();
    if budget < by_tier.len() {
        by_tier.select_nth_unstable(budget);
        by_tier.truncate(budget);
    }
    let mut chosen: Vec<Probe> = by_tier.into_iter().map(|(_, p)| p).collect();
    chosen.sort_unstable();
    chosen
}

/// The highest tier of each round of [`probes_for`]: the last takes every tier.
const ROUNDS: [u8; 4] = [0, 1, 2, u8::MAX];

/// Every probe of tier `max_tier` or lower.
fn generate(model: &NginxModel, max_tier: u8, samples: &mut Samples) -> Gen {
    let mut g = Gen {
        max_tier,
        ..Gen::default()
    };
    for server in &model.servers {
        let hosts = hosts_of(&server.name);
        for h in &hosts {
            g.add(0, h, "/");
            g.add(1, h, "/?a=1");
            g.add(3, h, "/../x");
            // nginx matches the lower-cased Host; redirects echo it as sent.
            if h != UNKNOWN_HOST {
                g.add(3, &h.to_ascii_uppercase(), "/");
            }
        }
        let mut paths: Vec<&str> = server
            .locations
            .iter()
            .filter(|l| l.kind == crate::verify::nginx_model::LocationKind::Ingress)
            .map(|l| l.path.as_str())
            .collect();
        paths.sort();
        paths.dedup();
        // Host-less paths also go to the named hosts, which never reach them.
        let elsewhere: Vec<String> = if server.name == CATCH_ALL {
            model.hosts().iter().flat_map(|h| hosts_of(h)).collect()
        } else {
            vec![UNKNOWN_HOST.to_string()]
        };
        if server.regex_mode && g.max_tier >= 1 {
            for w in overlap_witnesses(server) {
                for h in &hosts {
                    g.add(1, h, &w);
                }
            }
        }
        for p in paths {
            for target in variants(p, server.regex_mode, g.max_tier, samples) {
                for h in &hosts {
                    g.add(target.0, h, &target.1);
                }
                for h in &elsewhere {
                    g.add(target.0 + 1, h, &target.1);
                }
            }
        }
    }
    g.add(0, UNKNOWN_HOST, "/healthz");
    // IP lists: besides the default client (outside most lists), one client
    // inside each list of a location, so both sides of allow and deny are seen.
    for server in &model.servers {
        for l in &server.locations {
            let Some(i) = l.ingress else { continue };
            let access = &model.ingresses[i].ann.access;
            let clients = (access.allow.first().into_iter())
                .chain(access.deny.first())
                .filter_map(|c| crate::verify::nginx_model::access::address_inside(c));
            let target = sample_or_literal(&l.path, server.regex_mode, samples);
            for client in clients {
                for h in hosts_of(&server.name) {
                    for scheme in [Scheme::Http, Scheme::Https] {
                        let mut p = Probe::get(scheme, &h, &target);
                        p.client = client;
                        g.insert(0, p);
                    }
                }
            }
        }
    }
    for p in body_limit_probes_with(model, false, samples) {
        g.insert(0, p);
    }
    // The locations of each canaried upstream (by the canary's own upstream), in
    // server then location order: looked up per canary instead of a scan of
    // every location.
    let mut canaried: BTreeMap<&str, Vec<(&str, bool, &str)>> = BTreeMap::new();
    for server in &model.servers {
        for l in &server.locations {
            if let crate::verify::nginx_model::Upstream::Service { name, .. } = &l.upstream
                && let Some(c) = model.canaries.get(name)
            {
                canaried.entry(c.upstream.as_str()).or_default().push((
                    server.name.as_str(),
                    server.regex_mode,
                    l.path.as_str(),
                ));
            }
        }
    }
    // Canary rules: the header/cookie values balancer.lua tests.
    for c in model.canaries.values() {
        let mut headers: Vec<(String, String)> = Vec::new();
        if let Some(h) = &c.policy.header {
            let name = h.to_ascii_lowercase();
            for v in ["always", "never", "other"] {
                headers.push((name.clone(), v.into()));
            }
            if let Some(v) = &c.policy.header_value {
                headers.push((name.clone(), v.clone()));
            }
        }
        if let Some(cookie) = &c.policy.cookie {
            for v in ["always", "never"] {
                headers.push(("cookie".into(), format!("{cookie}={v}")));
            }
        }
        for &(server, regex_mode, path) in canaried.get(c.upstream.as_str()).into_iter().flatten() {
            let target = sample_or_literal(path, regex_mode, samples);
            for h in hosts_of(server) {
                for (k, v) in &headers {
                    for scheme in [Scheme::Http, Scheme::Https] {
                        let mut p = Probe::get(scheme, &h, &target);
                        p.headers.insert(k.clone(), v.clone());
                        g.insert(0, p);
                    }
                }
            }
        }
    }
    g
}

/// Probes of the body size limits (`proxy-body-size`, nginx's
/// `client_max_body_size`): per Ingress location, a body of exactly the limit
/// (accepted) and one byte more (413), to the one host name its server answers
/// and over the scheme the host is served on (https when it has TLS).
///
/// `verify` probes only the limits the translation carries as facts and
/// reports (annotation or ConfigMap); the built-in default 1m (`with_default`,
/// for the real-nginx agreement test) has neither, so in `verify` every host
/// would diverge without an explanation. Unlimited (`0`) locations, values
/// nginx cannot read and locations not modelled get none.
pub fn body_limit_probes(model: &NginxModel, with_default: bool) -> Vec<Probe> {
    body_limit_probes_with(model, with_default, &mut Samples::default())
}

fn body_limit_probes_with(
    model: &NginxModel,
    with_default: bool,
    samples: &mut Samples,
) -> Vec<Probe> {
    use crate::verify::nginx_model::body::Source;
    let mut out = Vec::new();
    for server in &model.servers {
        for l in &server.locations {
            let Some(limit) = model.body_limit(l) else {
                continue;
            };
            let Ok(bytes) = limit.bytes else { continue };
            if bytes == 0
                || (limit.source == Source::Default && !with_default)
                || l.ingress.is_some_and(|i| {
                    model.ingresses[i].denied.is_some()
                        || model.ingresses[i].ann.location_not_modelled.is_some()
                })
            {
                continue;
            }
            let target = sample_or_literal(&l.path, server.regex_mode, samples);
            let Some(host) = hosts_of(&server.name).into_iter().next() else {
                continue;
            };
            let scheme = if model.has_cert(&host) {
                Scheme::Https
            } else {
                Scheme::Http
            };
            for len in [bytes, bytes + 1] {
                out.push(Probe::get(scheme, &host, &target).with_body(len));
            }
        }
    }
    out
}

#[derive(Default)]
struct Gen {
    /// Additions of a higher tier are left out.
    max_tier: u8,
    /// Each probe once, at its lowest tier (hashed: the order comes from the
    /// final sort; a large regex host generates hundreds of thousands).
    probes: std::collections::HashMap<Probe, u8>,
}

impl Gen {
    fn add(&mut self, tier: u8, host: &str, target: &str) {
        if tier > self.max_tier
            || !target.starts_with('/')
            || !target.bytes().all(|b| (0x21..0x7f).contains(&b))
        {
            return;
        }
        for scheme in [Scheme::Http, Scheme::Https] {
            self.insert(tier, Probe::get(scheme, host, target));
        }
    }
    fn insert(&mut self, tier: u8, p: Probe) {
        if tier > self.max_tier {
            return;
        }
        let t = self.probes.entry(p).or_insert(tier);
        *t = (*t).min(tier);
    }
}

/// Request hosts for a server: the name; for `*.s` one and two labels; `_` → unknown.
fn hosts_of(server: &str) -> Vec<String> {
    if server == CATCH_ALL {
        return vec![UNKNOWN_HOST.to_string()];
    }
    match server.strip_prefix("*.") {
        Some(s) => vec![format!("wild.{s}"), format!("a.b.{s}")],
        None => vec![server.to_string()],
    }
}

/// Regex locations of a server compared pairwise (the rest are not).
const MAX_OVERLAP_LOCATIONS: usize = 64;

/// For every two regex locations of a regex-mode server with different
/// upstreams, a request path both match (`paths::overlap`): where regex
/// precedence decides, so where an implementation may differ from nginx's order.
fn overlap_witnesses(server: &crate::verify::nginx_model::Server) -> Vec<String> {
    use crate::paths::overlap::{Overlap, overlap};
    use crate::paths::prefix::RequiredPrefix;
    use crate::paths::regex::{RegexOptions, translate_path_regex};
    use crate::verify::nginx_model::{LocationKind, Modifier};
    let regexes: Vec<(String, &crate::verify::nginx_model::Upstream)> = server
        .locations
        .iter()
        .filter(|l| l.kind == LocationKind::Ingress && l.modifier == Modifier::Regex)
        .filter_map(|l| {
            let t = translate_path_regex(&l.path, RegexOptions::default()).ok()?;
            Some((t.pattern, &l.upstream))
        })
        .take(MAX_OVERLAP_LOCATIONS)
        .collect();
    // Patterns with different literal starts share no path: no automata built.
    let prefixes: Vec<RequiredPrefix> = regexes
        .iter()
        .map(|(p, _)| RequiredPrefix::anchored(p))
        .collect();
    let mut out = BTreeSet::new();
    for (i, (a, ua)) in regexes.iter().enumerate() {
        for (k, (b, ub)) in regexes.iter().enumerate().skip(i + 1) {
            if ua == ub || a == b || prefixes[i].disjoint(&prefixes[k]) {
                continue;
            }
            if let Overlap::Witness(w) = overlap(a, b) {
                out.insert(w);
            }
        }
    }
    out.into_iter().collect()
}

/// `s` as a client sends it: characters outside the URL path set as the `%XX`
/// of their UTF-8 bytes (a space as `%20`, `é` as `%C3%A9`).
fn encode(s: &str) -> Option<String> {
    Some(crate::paths::encode::encode_path(s))
}

fn is_literal(p: &str) -> bool {
    p.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c))
}

fn sample_or_literal(p: &str, regex_mode: bool, samples: &mut Samples) -> String {
    if is_literal(p) {
        return p.to_string();
    }
    (if regex_mode {
        samples.of(p).first().cloned()
    } else {
        None
    })
    .or_else(|| encode(p))
    .unwrap_or_else(|| "/".into())
}

/// `(tier, target)` variants of one Ingress path, up to tier `max_tier`.
fn variants(p: &str, regex_mode: bool, max_tier: u8, samples: &mut Samples) -> Vec<(u8, String)> {
    let mut bases: Vec<String> = Vec::new();
    if is_literal(p) {
        bases.push(p.to_string());
    } else if let Some(e) = encode(p) {
        bases.push(e);
    }
    if regex_mode || !is_literal(p) {
        let samples = samples.of(p).to_vec();
        if samples.is_empty() && regex_mode {
            // A PCRE-only pattern: requests inside what a translation must cover.
            let literal = crate::paths::regex::cover_literal(p);
            if literal.starts_with('/') {
                let trimmed = literal.trim_end_matches('/');
                bases.extend(
                    [format!("{trimmed}/x"), format!("{trimmed}/public/x")]
                        .iter()
                        .filter_map(|s| encode(s)),
                );
            }
        }
        bases.extend(samples);
    }
    if max_tier == 0 {
        // Tier 0 is the bases themselves.
        bases.retain(|b| !b.is_empty());
        return bases.into_iter().map(|b| (0, b)).collect();
    }
    let mut out = Vec::new();
    for b in bases {
        let trimmed = b.trim_end_matches('/');
        out.push((0, b.clone()));
        out.push((1, format!("{b}?q=1")));
        out.push((
            1,
            if b.ends_with('/') {
                trimmed.to_string()
            } else {
                format!("{b}/")
            },
        ));
        out.push((1, format!("{trimmed}/x")));
        out.push((1, format!("{trimmed}x")));
        out.push((2, b.to_uppercase()));
        out.push((2, capitalise(&b)));
        out.push((2, b.to_lowercase()));
        out.push((3, format!("/{b}")));
        out.push((3, format!("/.{b}")));
        out.push((3, format!("/x/..{b}")));
        out.push((3, format!("/%2E{b}")));
        out.push((3, format!("{trimmed}/.")));
        out.push((3, format!("{trimmed}/x/..")));
        out.push((3, format!("{trimmed}/%2e%2e")));
        out.push((3, format!("{trimmed}%2F")));
        out.push((3, format!("{trimmed}/?q=1")));
        if let Some(i) = b.get(1..).and_then(|rest| rest.find('/')) {
            out.push((3, format!("{}%2F{}", &b[..=i], &b[i + 2..])));
            out.push((3, format!("{}//{}", &b[..=i], &b[i + 2..])));
        }
        if let Some((i, c)) = b.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
            out.push((3, format!("{}%{:02X}{}", &b[..i], c as u32, &b[i + 1..])));
        }
    }
    out.retain(|(tier, t)| *tier <= max_tier && !t.is_empty());
    out
}

fn capitalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut done = false;
    for c in s.chars() {
        if !done && c.is_ascii_alphabetic() {
            out.push(c.to_ascii_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// [`regex_samples`] of each distinct path, computed once per run: a path
/// reaches the probe generator up to five times (both tier rounds, IP lists,
/// body limits, canaries), and each time compiled a regex.
#[derive(Default)]
struct Samples(std::collections::HashMap<String, Vec<String>>);

impl Samples {
    fn of(&mut self, pattern: &str) -> &[String] {
        if !self.0.contains_key(pattern) {
            self.0.insert(pattern.to_string(), regex_samples(pattern));
        }
        &self.0[pattern]
    }
}

/// A few strings matched by `^pattern` (as a prefix), from the parsed HIR.
fn regex_samples(pattern: &str) -> Vec<String> {
    let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
        return Vec::new();
    };
    // Look-arounds (`$`, `\b`) are not honoured while sampling, nor counts
    // above 16: keep real matches only. Without either, a sample is one by
    // construction (the check cost a compile per path).
    let by_construction = samples_are_matches(&hir);
    let check = (!by_construction)
        .then(|| Matcher::new(&format!("^(?:{pattern})")).ok())
        .flatten();
    let mut out = BTreeSet::new();
    for choice in 0..3 {
        let mut s = String::new();
        if sample(&hir, choice, &mut s)
            && s.starts_with('/')
            && (by_construction || check.as_ref().is_some_and(|re| re.is_match(&s)))
            && let Some(e) = encode(&s)
        {
            out.insert(e);
        }
    }
    out.into_iter().collect()
}

/// Whether every string [`sample`] makes of `hir` is matched by it: no
/// look-around, and no repetition it cuts short.
fn samples_are_matches(hir: &Hir) -> bool {
    hir.properties().look_set().is_empty() && counts_within_sampling(hir)
}

fn counts_within_sampling(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => true,
        HirKind::Repetition(rep) => {
            rep.min <= MAX_SAMPLED_COUNT && counts_within_sampling(&rep.sub)
        }
        HirKind::Capture(cap) => counts_within_sampling(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().all(counts_within_sampling)
        }
    }
}

/// The most repetitions [`sample`] writes.
const MAX_SAMPLED_COUNT: u32 = 16;

/// Appends one string matched by `hir` to `out`; `choice` picks alternatives,
/// class members and repetition counts. False when no printable sample exists.
fn sample(hir: &Hir, choice: usize, out: &mut String) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => {
                out.push_str(s);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(class) => match pick(class, choice) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        },
        HirKind::Repetition(rep) => {
            let n = if choice == 0 {
                rep.min
            } else {
                (rep.min.max(1) + 1).min(rep.max.unwrap_or(u32::MAX))
            };
            (0..n.min(MAX_SAMPLED_COUNT)).all(|_| sample(&rep.sub, choice, out))
        }
        HirKind::Capture(cap) => sample(&cap.sub, choice, out),
        HirKind::Concat(subs) => subs.iter().all(|h| sample(h, choice, out)),
        HirKind::Alternation(alts) => sample(&alts[choice % alts.len()], choice, out),
    }
}

/// A printable, preferably alphanumeric member of the class.
fn pick(class: &Class, choice: usize) -> Option<char> {
    let contains = |c: char| match class {
        Class::Unicode(u) => u.ranges().iter().any(|r| r.start() <= c && c <= r.end()),
        Class::Bytes(b) => u8::try_from(c)
            .ok()
            .is_some_and(|c| b.ranges().iter().any(|r| r.start() <= c && c <= r.end())),
    };
    let preferred: Vec<char> = ('a'..='z')
        .chain('A'..='Z')
        .chain('0'..='9')
        .chain("-_.~".chars())
        .filter(|&c| contains(c))
        .collect();
    if preferred.is_empty() {
        return (0x21u8..0x7f).map(char::from).find(|&c| contains(c));
    }
    Some(match choice {
        0 => preferred[0],
        1 => preferred[preferred.len() - 1],
        _ => preferred[preferred.len() / 2],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Samples skip the check only where they are matches by construction.
    #[test]
    fn samples_are_matches_without_look_arounds_or_long_counts() {
        let parse = |p| regex_syntax::Parser::new().parse(p).unwrap();
        for p in ["/r0/v[0-9]+/(items|things)", "/a{16}", "(?i)/x.*"] {
            assert!(samples_are_matches(&parse(p)), "{p}");
        }
        for p in ["/a$", "/a\\b", "/a{17}", "/(b{2,}){17}", "^/a"] {
            assert!(!samples_are_matches(&parse(p)), "{p}");
        }
        // A count above 16 is cut short, and the check drops the sample.
        assert_eq!(regex_samples("/a{17}"), Vec::<String>::new());
        assert_eq!(
            regex_samples("/a{16}"),
            vec![format!("/{}", "a".repeat(16))]
        );
    }

    #[test]
    fn regex_samples_match_their_pattern() {
        for p in [
            "/static(/|$)(.*)",
            "/[A-Z]{3}",
            "/users/(\\d+)",
            "/api/v[12]/.*",
        ] {
            let re = regex::Regex::new(&format!("^{p}")).unwrap();
            let samples = regex_samples(p);
            assert!(!samples.is_empty(), "{p}");
            for s in samples {
                assert!(re.is_match(&s), "{p}: {s}");
            }
        }
    }

    fn load(yaml: &str) -> InputSet {
        let f = crate::input::SourceFile {
            name: "t.yaml".into(),
            text: yaml.into(),
        };
        crate::pipeline::load(&[f]).input
    }

    #[test]
    fn probes_are_sorted_deduplicated_bounded_and_cover_canaries() {
        let input = load(include_str!("../../testdata/verify/canary/input.yaml"));
        let opts = TranslateOptions::default();
        let all = generate_probes(&input, &opts, usize::MAX);
        assert!(all.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
        assert_eq!(
            all,
            generate_probes(&input, &opts, usize::MAX),
            "deterministic"
        );
        let header =
            |k: &str, v: &str| all.iter().any(|p| p.headers.get(k).is_some_and(|x| x == v));
        assert!(header("x-canary", "always") && header("x-canary", "never"));
        assert!(header("x-env", "staging"));
        assert!(header("cookie", "cart_canary=always"));
        assert!(all.iter().any(|p| p.host == UNKNOWN_HOST));
        assert!(
            all.iter().any(|p| p.scheme == Scheme::Http)
                && all.iter().any(|p| p.scheme == Scheme::Https)
        );
        let few = generate_probes(&input, &opts, 50);
        assert_eq!(few.len(), 50);
        assert!(few.windows(2).all(|w| w[0] < w[1]));
        // The most basic probes survive a small budget.
        assert!(
            few.iter()
                .any(|p| p.target == "/api" && p.host == "canary.example.com")
        );
    }

    /// The rounds by tier choose what one round over every tier would.
    #[test]
    fn rounds_by_tier_choose_the_lowest_tiers_of_all_probes() {
        for text in [
            include_str!("../../testdata/verify/canary/input.yaml"),
            include_str!("../../testdata/verify/hosts/input.yaml"),
            include_str!("../../testdata/verify/regex-mode/input.yaml"),
        ] {
            let model = NginxModel::build(&load(text), &TranslateOptions::default());
            let every = generate(&model, u8::MAX, &mut Samples::default());
            let mut by_tier: Vec<(u8, Probe)> =
                every.probes.into_iter().map(|(p, t)| (t, p)).collect();
            by_tier.sort();
            let tiers: std::collections::BTreeSet<u8> = by_tier.iter().map(|(t, _)| *t).collect();
            assert!(tiers.len() >= 3, "{tiers:?}");
            let total = by_tier.len();
            for budget in [
                1,
                2,
                10,
                50,
                100,
                200,
                400,
                total / 2,
                total - 1,
                total,
                total + 1,
            ] {
                let mut want: Vec<Probe> = by_tier
                    .iter()
                    .take(budget)
                    .map(|(_, p)| p.clone())
                    .collect();
                want.sort_unstable();
                assert_eq!(
                    probes_for(&model, budget),
                    want,
                    "budget {budget} of {total}"
                );
            }
        }
    }

    #[test]
    fn hostless_paths_are_probed_on_named_hosts() {
        let input = load(include_str!("../../testdata/verify/hosts/input.yaml"));
        let all = generate_probes(&input, &TranslateOptions::default(), usize::MAX);
        assert!(
            all.iter()
                .any(|p| p.host == "one.apps.example.com" && p.target == "/shared")
        );
        assert!(
            all.iter()
                .any(|p| p.host == "wild.apps.example.com" && p.target == "/status")
        );
        assert!(all.iter().any(|p| p.host == "a.b.apps.example.com"));
    }

    #[test]
    fn literal_variants() {
        let v: Vec<String> = variants("/api", false, u8::MAX, &mut Samples::default())
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        for want in [
            "/api", "/api/", "/api/x", "/apix", "/API", "//api", "/./api", "/%61pi",
        ] {
            assert!(v.iter().any(|t| t == want), "{want} missing from {v:?}");
        }
    }
}
