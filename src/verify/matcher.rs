//! Cheap yes/no regexes for the models and the probe generator.
//!
//! `verify` compiles one regex per path and per side (10,000 on a host with
//! 5,000 regex paths) and asks each a handful of short questions. `regex::Regex`
//! builds for throughput on long texts: a forward and a reverse NFA, a one-pass
//! DFA, a lazy DFA whose cache every thread fills per regex, and a fresh NFA
//! compiler per pattern that zeroes a ~400 KB UTF-8 table for any non-ASCII
//! class (every `(?i)` pattern with an `s` or a `k`). Here a pattern is compiled
//! once into a forward NFA by a compiler kept per thread (the table is reused),
//! and run with the PikeVM against one search cache per thread, reset to the
//! NFA at hand: the same language and the same leftmost-first answers as
//! `regex::Regex` (same parser settings, same size limit), for a fraction of
//! the build time and memory. Paths and header values are short, so the
//! slower search does not show.
//!
//! A plain pattern ([`crate::paths::plain`]) is compiled by regex-lite, in a
//! few µs and without a parse by `regex-syntax`: on ASCII text its answers are
//! `regex::Regex`'s. A text that is not ASCII gets the PikeVM, built then.

use crate::paths::plain;
use regex_automata::Input;
use regex_automata::nfa::thompson::pikevm::{Cache, PikeVM};
use regex_automata::nfa::thompson::{self, Compiler, WhichCaptures};
use regex_syntax::hir::Hir;
use std::cell::RefCell;
use std::sync::OnceLock;

/// `regex::RegexBuilder`'s default limit on the compiled NFA (10 MiB), on an
/// NFA with every capture group as `regex::Regex` builds it: a pattern too
/// large for `regex::Regex` is too large here, and only such a one.
const NFA_SIZE_LIMIT: usize = 10 * (1 << 20);

thread_local! {
    /// One compiler per thread: its UTF-8 tables are allocated once, not per
    /// pattern.
    static COMPILER: Compiler = {
        let mut c = Compiler::new();
        c.configure(
            thompson::Config::new()
                .nfa_size_limit(Some(NFA_SIZE_LIMIT))
                .which_captures(WhichCaptures::All),
        );
        c
    };
    /// One search cache per thread, resized to each regex it runs.
    static CACHE: RefCell<Option<Cache>> = const { RefCell::new(None) };
}

/// A compiled regex answering only "does it match somewhere".
#[derive(Debug, Clone)]
pub struct Matcher {
    pattern: String,
    engine: Engine,
}

#[derive(Debug, Clone)]
enum Engine {
    /// A plain pattern; the full engine is built for the first text that is
    /// not ASCII (`None`: never, as `regex::Regex` accepts what regex-lite does
    /// of a plain pattern).
    Lite(regex_lite::Regex, OnceLock<Option<Box<Engine>>>),
    Vm(PikeVM),
    /// What `regex::Regex` accepts but the NFA build here refused (never seen:
    /// same parser, same limit); kept so the answer cannot differ.
    Regex(regex::Regex),
}

impl Matcher {
    /// `pattern` in `regex` syntax; the error is `regex::Regex::new`'s, word for
    /// word (the messages reach reports).
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        if let Some(engine) = Self::lite(pattern) {
            return Ok(Matcher {
                pattern: pattern.to_string(),
                engine,
            });
        }
        Self::parsed(pattern).map(|(m, _)| m)
    }

    fn lite(pattern: &str) -> Option<Engine> {
        Some(Engine::Lite(plain::lite(pattern)?, OnceLock::new()))
    }

    /// [`Matcher::new`], and the parsed pattern it runs (`None` in the
    /// fallback), for callers that read it too (one parse instead of two).
    pub fn parsed(pattern: &str) -> Result<(Self, Option<Hir>), regex::Error> {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(pattern)
            .ok();
        if let (Some(engine), Some(_)) = (Self::lite(pattern), &hir) {
            let matcher = Matcher {
                pattern: pattern.to_string(),
                engine,
            };
            return Ok((matcher, hir));
        }
        Self::full(pattern, hir)
    }

    /// The PikeVM (or `regex::Regex`) for `pattern`, parsed as `hir`.
    fn full(pattern: &str, hir: Option<Hir>) -> Result<(Self, Option<Hir>), regex::Error> {
        let vm = (hir.as_ref())
            .and_then(|hir| COMPILER.with(|c| c.build_from_hir(hir).ok()))
            .and_then(|nfa| PikeVM::new_from_nfa(nfa).ok());
        let (engine, hir) = match vm {
            Some(vm) => (Engine::Vm(vm), hir),
            None => (Engine::Regex(regex::Regex::new(pattern)?), None),
        };
        let matcher = Matcher {
            pattern: pattern.to_string(),
            engine,
        };
        Ok((matcher, hir))
    }

    /// The pattern as given.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the regex matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.engine.is_match(&self.pattern, text)
    }
}

impl Engine {
    fn is_match(&self, pattern: &str, text: &str) -> bool {
        match self {
            Engine::Lite(re, _) if text.is_ascii() => re.is_match(text),
            Engine::Lite(re, full) => {
                let full = full.get_or_init(|| {
                    let hir = regex_syntax::ParserBuilder::new()
                        .build()
                        .parse(pattern)
                        .ok();
                    Matcher::full(pattern, hir)
                        .ok()
                        .map(|(m, _)| Box::new(m.engine))
                });
                match full {
                    Some(engine) => engine.is_match(pattern, text),
                    None => re.is_match(text),
                }
            }
            Engine::Vm(vm) => CACHE.with(|cell| {
                let mut slot = cell.borrow_mut();
                let cache = slot.get_or_insert_with(|| vm.create_cache());
                cache.reset(vm);
                vm.is_match(cache, Input::new(text))
            }),
            Engine::Regex(re) => re.is_match(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Same answers as `regex::Regex` on patterns of every kind the models
    /// see, including ones whose classes need the UTF-8 tables, one after the
    /// other on the same thread (the compiler and the cache are reused).
    #[test]
    fn agrees_with_regex() {
        let patterns = [
            r"^(?:/api/v[0-9]+/(items|things))$",
            r"(?i)^/R0/V[0-9]+/(items|things)",
            r"^(?:(?i)/ks/.*)$",
            r"^(?:/caf\u{e9}/[^/]+)$",
            r"^(?:/a\b.*)",
            r"^(?:/(a|ab)(c|bcd)(d*))$",
            r"^(?:x*)$",
            r"[[:alpha:]]{2,}\d",
        ];
        let texts = [
            "",
            "/",
            "/api/v1/items",
            "/api/v12/things/",
            "/r0/v3/ITEMS",
            "/R0/V3/thingS",
            "/ks/x",
            "/KS/",
            "/café/x",
            "/caf%C3%A9/x",
            "/a",
            "/ab",
            "/a-b",
            "/abcd",
            "/abcdd",
            "xx",
            "ab1",
            "/x/ab9",
        ];
        for p in patterns {
            let ours = Matcher::new(p).unwrap();
            let theirs = regex::Regex::new(p).unwrap();
            assert_eq!(ours.as_str(), p);
            for t in texts {
                assert_eq!(ours.is_match(t), theirs.is_match(t), "`{p}` on `{t}`");
            }
        }
    }

    /// A plain pattern runs on regex-lite, and a text that is not ASCII still
    /// gets `regex`'s answer (here a caseless `k` matches the Kelvin sign).
    #[test]
    fn plain_patterns_answer_every_text() {
        let m = Matcher::new(r"^(?:(?i)/k[a-z]+)$").unwrap();
        assert!(matches!(m.engine, Engine::Lite(..)));
        for t in ["/kb", "/KB", "/\u{212a}b", "/kß", "/k", "/xb"] {
            let want = regex::Regex::new(m.as_str()).unwrap().is_match(t);
            assert_eq!(m.is_match(t), want, "{t}");
        }
        assert!(m.is_match("/\u{212a}b"));
    }

    #[test]
    fn errors_are_regex_errors() {
        for p in ["(", "a{2,1}", r"\p{Nope}", "(?<n>a)(?<n>b)"] {
            let ours = Matcher::new(p).unwrap_err().to_string();
            assert_eq!(ours, regex::Regex::new(p).unwrap_err().to_string());
        }
    }

    /// A pattern over the size limit fails as it does with `regex::Regex`.
    #[test]
    fn size_limit_is_regex_s() {
        let p = r"(?:\w{50}){50}";
        assert_eq!(Matcher::new(p).is_ok(), regex::Regex::new(p).is_ok());
    }
}
