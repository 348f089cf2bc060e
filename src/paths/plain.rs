//! Which regexes mean the same thing in every engine verify could run them on.
//!
//! Both models compile one regex per path (a host with 5,000 regex paths is
//! 10,000 compiles, plus the probe generator's checks). fancy-regex (the nginx
//! model, for PCRE's look-arounds and back-references) and `regex` (the
//! Gateway model) build engines meant for long texts, at 50–150 µs a pattern;
//! `regex-lite` compiles the same pattern in a few µs, and paths are short.
//!
//! regex-lite is a port of `regex`'s parser without Unicode data, and runs the
//! same leftmost-first search. On ASCII text the three engines agree wherever
//! their syntaxes agree: a caseless ASCII letter matches the same ASCII
//! letters, `\w`, `\d`, `\s` and `\b` are ASCII on ASCII text, `.` and negated
//! classes differ only on characters that are not there. A *plain* pattern is
//! one written only with the constructs whose meaning is the same in all three
//! (and in PCRE): literals, `.`, `^`, `$`, classes without nesting or set
//! operations, groups, `(?:`, `(?i)` and `(?-i)`, alternation, and `*`, `+`,
//! `?` with their lazy forms. Everything else (counted repetitions, whose size
//! in a Unicode engine can cross `regex`'s limit; escapes with a letter other
//! than the Perl classes; named groups; other flags; possessive and nested
//! quantifiers, which PCRE and fancy-regex read differently from `regex`) is
//! left to the full engine, as is any text that is not ASCII.

/// Longer patterns stay with the full engines: no plain pattern of this length
/// comes near `regex`'s size limit, even with every position a Unicode class.
const MAX_LEN: usize = 256;

/// Whether `pattern` is plain (module doc): regex-lite's answers on ASCII text
/// are then fancy-regex's and `regex`'s, and each accepts it when the others do.
pub fn is_plain(pattern: &str) -> bool {
    scan(pattern).is_some()
}

/// regex-lite's compile of `pattern` when it is plain (the engine both verify
/// models run it on); `None` for the full engine.
pub fn lite(pattern: &str) -> Option<regex_lite::Regex> {
    scan(pattern)?;
    regex_lite::Regex::new(pattern).ok()
}

/// What reading a plain pattern finds of its structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plain {
    /// An alternation outside every group (`^/a|/b`).
    pub top_level_alternation: bool,
}

/// [`Plain`] for a plain pattern, `None` for any other.
pub fn scan(pattern: &str) -> Option<Plain> {
    let b = pattern.as_bytes();
    if b.len() > MAX_LEN || !b.iter().all(|c| (0x21..0x7f).contains(c)) {
        return None;
    }
    let mut plain = Plain {
        top_level_alternation: false,
    };
    let mut i = 0;
    let mut depth = 0usize;
    // Whether a quantifier here would repeat an atom (not an assertion, a flag,
    // the start of a group or alternative, or another quantifier).
    let mut repeatable = false;
    // Whether the last token opened a group: fancy-regex refuses to repeat an
    // empty group (`(?:)*`), `regex` does not.
    let mut opened = false;
    while let Some(&c) = b.get(i) {
        i += 1;
        let was_opened = std::mem::replace(&mut opened, false);
        repeatable = match c {
            b'{' | b'}' => return None,
            b'\\' => match escape(b.get(i).copied(), false) {
                Some(atom) => {
                    i += 1;
                    atom
                }
                None => return None,
            },
            b'[' => match class_end(b, i) {
                Some(end) => {
                    i = end;
                    true
                }
                None => return None,
            },
            b'(' => {
                depth += 1;
                opened = true;
                if b.get(i) == Some(&b'?') {
                    let rest = b.get(i..).unwrap_or_default();
                    let len = ["?:", "?i:", "?-i:", "?i)", "?-i)"]
                        .iter()
                        .find(|g| rest.starts_with(g.as_bytes()))
                        .map(|g| g.len())?;
                    i += len;
                    if rest.get(len - 1) == Some(&b')') {
                        // A flag setting, not a group, and no content of the
                        // group it is in.
                        depth -= 1;
                        opened = was_opened;
                    }
                }
                false
            }
            b')' => {
                depth = depth.checked_sub(1)?;
                !was_opened
            }
            b'|' => {
                plain.top_level_alternation |= depth == 0;
                false
            }
            b'^' | b'$' => false,
            b'*' | b'+' | b'?' => {
                if !repeatable {
                    return None;
                }
                if b.get(i) == Some(&b'?') {
                    i += 1;
                }
                false
            }
            _ => true,
        };
    }
    (depth == 0).then_some(plain)
}

/// An escape's meaning when it is plain: `Some(true)` for an atom (a Perl class
/// or an escaped punctuation character), `Some(false)` for `\b` and `\B`
/// outside classes, `None` when it is not plain.
fn escape(e: Option<u8>, in_class: bool) -> Option<bool> {
    match e? {
        b'd' | b'D' | b'w' | b'W' | b's' | b'S' => Some(true),
        b'b' | b'B' if !in_class => Some(false),
        b'<' | b'>' | b'{' | b'}' => None,
        e if e.is_ascii_punctuation() => Some(true),
        _ => None,
    }
}

/// The index just past the class opened before `start`, when the class is
/// plain: no nested class, no set operation (`&&`, `--`, `~~`), plain escapes.
fn class_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    if b.get(i) == Some(&b'^') {
        i += 1;
    }
    // A `]` first in the class is a member.
    if b.get(i) == Some(&b']') {
        i += 1;
    }
    loop {
        match *b.get(i)? {
            b']' => return Some(i + 1),
            b'[' => return None,
            b'\\' => {
                escape(b.get(i + 1).copied(), true)?;
                i += 2;
            }
            c @ (b'&' | b'-' | b'~') if b.get(i + 1) == Some(&c) => return None,
            _ => i += 1,
        }
    }
}

/// Pieces of patterns, plain and not, that tests put together at random.
#[cfg(test)]
pub(crate) const TEST_PIECES: &[&str] = &[
    "a",
    "B",
    "k",
    "S",
    "/",
    "-",
    "_",
    ".",
    r"\.",
    r"\/",
    r"\d",
    r"\w",
    r"\s",
    r"\W",
    r"\b",
    r"\B",
    "[a-c]",
    "[^/]",
    "[]a]",
    r"[\d-]",
    "[K-s]",
    "(",
    ")",
    "(?:",
    "(?i)",
    "(?-i)",
    "(?i:",
    "|",
    "^",
    "$",
    "*",
    "+",
    "?",
    "*?",
    "+?",
    "{2}",
    "[[:alpha:]]",
    "??",
    r"\-",
    r"\$",
    r"\^",
    "(?-i:",
    "[^]a]",
    r"[a\]]",
    r"[\w.]",
    "#",
    "[&&a]",
    "%2F",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_patterns() {
        for p in [
            "^/r0/v[0-9]+/(items|things)",
            "(?i)^/api/(v1|v2)/.*",
            "/static(/|$)(.*)",
            r"/users/(\d+)/?",
            r"^(?:/a\.b[^/]*?)$",
            "/x/[]a-]+",
            "/x/[^]]",
            r"\bword\b",
            "(?i:A)(?-i)b",
            "(a|)*",
        ] {
            assert!(is_plain(p), "{p}");
        }
    }

    #[test]
    fn alternations_outside_every_group() {
        let top = |p: &str| scan(p).map(|s| s.top_level_alternation);
        assert_eq!(top("^/a|/b"), Some(true));
        assert_eq!(top("(?i)^/a|^/b"), Some(true));
        for p in ["^(/a|/b)", "^/[|]", r"^/a\|b", "^(?:a|b)c", "/[]|]"] {
            assert_eq!(top(p), Some(false), "{p}");
        }
    }

    #[test]
    fn not_plain_patterns() {
        for p in [
            "/v[0-9]{1,3}",
            r"(\w+)\1",
            "(?=x)",
            "(?<n>a)",
            "(?P<n>a)",
            "(?s).",
            "(?x)a b",
            "a*+",
            "a++",
            "a**",
            "a???",
            "()*",
            "(?:)*",
            "a(?i)*",
            "*a",
            "(*FAIL)",
            "|*",
            "^*",
            r"\b+",
            "(?i)*",
            "[[:alpha:]]",
            "[a&&b]",
            "[a--b]",
            "[a~~b]",
            r"\pL",
            r"\x41",
            r"\A/",
            r"/a\Z",
            r"\<a\>",
            "café",
            "/a b",
            "(a",
            "a)",
            "[a",
            "/a\\",
        ] {
            assert!(!is_plain(p), "{p}");
        }
        assert!(!is_plain(&"a".repeat(MAX_LEN + 1)));
    }

    use proptest::prelude::*;

    fn spans<'t>(c: Option<regex_lite::Captures<'t>>) -> Option<Vec<Option<(usize, usize)>>> {
        c.map(|c| {
            (0..c.len())
                .map(|i| c.get(i).map(|m| (m.start(), m.end())))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 3000,
            max_global_rejects: 1_000_000,
            ..ProptestConfig::default()
        })]

        /// The promise of this module, tested on random patterns over the
        /// constructs above (plain or not) and random ASCII texts: a plain
        /// pattern is accepted by all three engines or by none, and regex-lite
        /// finds the same matches and groups as fancy-regex and `regex`.
        #[test]
        fn plain_patterns_mean_the_same_in_every_engine(
            pieces in proptest::collection::vec(proptest::sample::select(TEST_PIECES), 1..9),
            texts in proptest::collection::vec("[abBkKsS/._ 0-9\n-]{0,10}", 8),
        ) {
            let pattern = pieces.concat();
            prop_assume!(is_plain(&pattern));
            let lite = regex_lite::Regex::new(&pattern);
            let fancy = fancy_regex::Regex::new(&pattern);
            let full = regex::Regex::new(&pattern);
            prop_assert_eq!(lite.is_ok(), fancy.is_ok(), "fancy-regex on `{}`", pattern);
            prop_assert_eq!(lite.is_ok(), full.is_ok(), "regex on `{}`", pattern);
            let (Ok(lite), Ok(fancy), Ok(full)) = (lite, fancy, full) else {
                return Ok(());
            };
            for t in &texts {
                let want = full.captures(t).map(|c| {
                    c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect::<Vec<_>>()
                });
                let theirs = fancy.captures(t).unwrap().map(|c| {
                    c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect::<Vec<_>>()
                });
                prop_assert_eq!(&spans(lite.captures(t)), &want, "`{}` on {:?}", pattern, t);
                prop_assert_eq!(&theirs, &want, "fancy `{}` on {:?}", pattern, t);
                prop_assert_eq!(lite.is_match(t), full.is_match(t));
            }
        }
    }
}
