//! The literal text every match of a pattern starts with: a cheap pre-filter
//! in front of regex evaluation.
//!
//! Hosts with thousands of regex locations made every request (verify's probes)
//! and every pair of rules (the regex-order overlap check) run a regex engine
//! against thousands of patterns, nearly all of which start with a different
//! literal (`/team-17/…` versus `/team-42/…`). The pattern's fixed start (the
//! bytes allowed at each of its first positions, read off `regex-syntax`'s HIR)
//! rules those out with a few bit tests, and gives exactly the answer the
//! engine would: a pattern whose matches must start with `/a` cannot match `/b…`.
//!
//! Only sound answers are given: when the pattern starts with a repetition or
//! alternation (`.*x`), does not parse here (look-around, back-references), or,
//! for a search anywhere in the string, is not anchored at its start, every
//! text "may match"; past a class that admits non-ASCII characters, positions
//! stop lining up and nothing more is concluded.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// The bytes allowed at each of the first positions of a match, read off the
/// pattern's fixed start (literals and one-character classes, up to the first
/// repetition or alternation); empty: no constraint. Case-insensitive letters
/// are classes (`[Tt]`), so a long caseless path keeps all its positions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequiredPrefix(Vec<Column>);

/// One character position: the ASCII characters allowed there, and `wide`:
/// whether non-ASCII characters are allowed too (not told apart; a caseless `s`
/// admits `ſ`). Each position is one character, so positions of two patterns
/// line up on any text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Column {
    bytes: [u64; 4],
    wide: bool,
}

impl Column {
    fn has(&self, b: u8) -> bool {
        self.bytes[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
    fn add(&mut self, b: u8) {
        self.bytes[usize::from(b >> 6)] |= 1 << (b & 63);
    }
}

/// Positions kept: enough to tell paths apart, bounded per pattern.
const MAX_COLUMNS: usize = 64;

impl RequiredPrefix {
    /// No constraint: every text may match.
    pub fn any() -> Self {
        RequiredPrefix(Vec::new())
    }

    /// For a match that starts at the beginning of the text (anchored search or
    /// full match): the fixed start of `pattern` (`regex` syntax).
    pub fn anchored(pattern: &str) -> Self {
        match regex_syntax::Parser::new().parse(pattern) {
            Ok(hir) => Self::of_hir(&hir),
            Err(_) => Self::any(),
        }
    }

    /// For a search anywhere in the text (`is_match`): the fixed start of
    /// `pattern` when it can only match at the start (it begins with `^`), else
    /// no constraint.
    pub fn searched(pattern: &str) -> Self {
        let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else {
            return Self::any();
        };
        if starts_at_text_start(&hir) {
            Self::of_hir(&hir)
        } else {
            Self::any()
        }
    }

    /// [`RequiredPrefix::searched`] (`searched`) or [`RequiredPrefix::anchored`]
    /// of a plain pattern ([`super::plain`]), read off its text instead of a
    /// parse (a caseless parse costs some 6 µs, a large regex host has
    /// thousands): its leading literal characters, up to the first other
    /// construct. Where that stops earlier than the parse would (a class, a
    /// group), the answer is shorter but still sound. `None` when `pattern` is
    /// not plain.
    pub fn of_plain(pattern: &str, searched: bool) -> Option<Self> {
        if super::plain::scan(pattern)?.top_level_alternation {
            return Some(Self::any());
        }
        let b = pattern.as_bytes();
        let (caseless, mut i) = match b.strip_prefix(b"(?i)") {
            Some(_) => (true, 4),
            None => (false, 0),
        };
        if b.get(i) == Some(&b'^') {
            i += 1;
        } else if searched {
            return Some(Self::any());
        }
        let mut columns = Vec::new();
        loop {
            let (c, next) = match b.get(i) {
                Some(b'\\') => match b.get(i + 1) {
                    Some(&e) if e.is_ascii_punctuation() => (e, i + 2),
                    _ => break,
                },
                Some(&c) if !b"\\.+*?()|[]{}^$".contains(&c) => (c, i + 1),
                _ => break,
            };
            let quantifier = b.get(next).copied();
            if matches!(quantifier, Some(b'*' | b'?')) {
                break;
            }
            let mut column = Column {
                bytes: [0; 4],
                wide: false,
            };
            column.add(c);
            if caseless && c.is_ascii_alphabetic() {
                column.add(c.to_ascii_lowercase());
                column.add(c.to_ascii_uppercase());
                // Unicode's simple case folding pairs `k` with the Kelvin sign
                // and `s` with the long s (only these ASCII letters).
                column.wide = matches!(c.to_ascii_lowercase(), b'k' | b's');
            }
            if !push(&mut columns, column) || quantifier == Some(b'+') {
                break;
            }
            i = next;
        }
        Some(RequiredPrefix(columns))
    }

    /// The fixed start of a parsed pattern (for a match at the start of the
    /// text), for callers that parsed it already.
    pub fn of_hir(hir: &Hir) -> Self {
        let mut columns = Vec::new();
        fixed_start(hir, &mut columns);
        RequiredPrefix(columns)
    }

    /// Whether a match can start `text` (`false` only when none can).
    pub fn may_match(&self, text: &str) -> bool {
        let mut chars = text.chars();
        self.0.iter().all(|column| match chars.next() {
            None => false,
            Some(c) => match u8::try_from(c) {
                Ok(b) if b.is_ascii() => column.has(b),
                _ => column.wide,
            },
        })
    }

    /// The lower-cased literal every ASCII text that may match starts with
    /// (after lower-casing it): the leading positions that allow one character
    /// or one letter in both cases. Non-ASCII characters allowed at a position
    /// (`wide`) are ignored, so the answer only holds for ASCII texts. Used as
    /// an index key: a text is a candidate only if it starts with the key.
    pub fn caseless_literal(&self) -> String {
        let mut key = String::new();
        for column in &self.0 {
            let allowed: Vec<u8> = (0u8..128).filter(|&b| column.has(b)).collect();
            let lower = match allowed.as_slice() {
                [b] => b.to_ascii_lowercase(),
                [a, b] if a.is_ascii_alphabetic() && a.eq_ignore_ascii_case(b) => {
                    a.to_ascii_lowercase()
                }
                _ => break,
            };
            key.push(char::from(lower));
        }
        key
    }

    /// Whether no text can start with a match of both (at some position no
    /// character is allowed by both).
    pub fn disjoint(&self, other: &RequiredPrefix) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| {
            !(a.wide && b.wide) && a.bytes.iter().zip(&b.bytes).all(|(x, y)| x & y == 0)
        })
    }
}

/// Appends the columns of `hir`'s fixed start; `false` when it stopped before
/// the end of `hir` (what follows is not fixed).
fn fixed_start(hir: &Hir, columns: &mut Vec<Column>) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        // ASCII bytes are one character each; the fixed start ends before any
        // other byte.
        HirKind::Literal(lit) => lit.0.iter().all(|&b| {
            let mut column = Column {
                bytes: [0; 4],
                wide: false,
            };
            column.add(b);
            b.is_ascii() && push(columns, column)
        }),
        HirKind::Class(Class::Unicode(class)) => {
            let mut column = Column {
                bytes: [0; 4],
                wide: false,
            };
            for r in class.iter() {
                let (start, end) = (u32::from(r.start()), u32::from(r.end()));
                for c in start..=end.min(0x7f) {
                    column.add(c as u8);
                }
                column.wide |= end > 0x7f;
            }
            push(columns, column)
        }
        // A byte class (`(?-u)`) is not one character: the fixed start ends.
        HirKind::Class(Class::Bytes(_)) => false,
        HirKind::Capture(c) => fixed_start(&c.sub, columns),
        HirKind::Concat(parts) => parts.iter().all(|p| fixed_start(p, columns)),
        // At least one occurrence: its start is fixed, what follows is not.
        HirKind::Repetition(r) => {
            if r.min >= 1 {
                fixed_start(&r.sub, columns);
            }
            false
        }
        HirKind::Alternation(_) => false,
    }
}

fn push(columns: &mut Vec<Column>, column: Column) -> bool {
    if columns.len() >= MAX_COLUMNS {
        return false;
    }
    columns.push(column);
    true
}

/// Whether every match of `hir` starts at the start of the text (`^` first).
fn starts_at_text_start(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(Look::Start) => true,
        HirKind::Concat(parts) => parts.first().is_some_and(starts_at_text_start),
        HirKind::Capture(c) => starts_at_text_start(&c.sub),
        HirKind::Alternation(alts) => alts.iter().all(starts_at_text_start),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_patterns_rule_out_other_literals() {
        let p = RequiredPrefix::anchored("/team-17/(.*)");
        assert!(p.may_match("/team-17/x"));
        assert!(!p.may_match("/team-18/x"));
        assert!(!p.may_match("/team-1"));
    }

    #[test]
    fn case_insensitive_patterns_keep_every_case() {
        let p = RequiredPrefix::searched("(?i)^/Api/v[0-9]+");
        assert!(p.may_match("/API/v1"));
        assert!(p.may_match("/api/v2"));
        assert!(!p.may_match("/apx/v1"));
        // The engine agrees.
        let re = regex::Regex::new("(?i)^/Api/v[0-9]+").unwrap();
        assert!(re.is_match("/API/v1") && !re.is_match("/apx/v1"));
    }

    #[test]
    fn unanchored_or_unbounded_patterns_constrain_nothing() {
        assert!(RequiredPrefix::searched("/api").may_match("/x/api"));
        assert!(RequiredPrefix::searched("^/a|/b").may_match("/x/b"));
        assert!(RequiredPrefix::anchored(".*/x").may_match("/anything/x"));
        assert!(RequiredPrefix::anchored("(?<=a)b").may_match("zzz"));
    }

    #[test]
    fn disjoint_only_when_no_literal_extends_another() {
        let a = RequiredPrefix::anchored("/s0/p1(?:/.*)?");
        let b = RequiredPrefix::anchored("(?i)/s0/p10/.*");
        let c = RequiredPrefix::anchored("/s1/.*");
        assert!(!a.disjoint(&b), "/s0/p1 is a prefix of /s0/p10");
        assert!(a.disjoint(&c) && c.disjoint(&b));
        assert!(!a.disjoint(&RequiredPrefix::any()));
        // The automata agree.
        assert_eq!(
            crate::paths::overlap::overlap("/s0/p1(?:/.*)?", "/s1/.*"),
            crate::paths::overlap::Overlap::Disjoint
        );
    }

    #[test]
    fn caseless_literal_stops_at_the_first_open_position() {
        assert_eq!(
            RequiredPrefix::searched("(?i)^/Team-7/s[0-9]+").caseless_literal(),
            "/team-7/s"
        );
        assert_eq!(RequiredPrefix::anchored("/a.b").caseless_literal(), "/a");
        assert_eq!(RequiredPrefix::any().caseless_literal(), "");
    }

    #[test]
    fn caseless_long_literals_keep_their_distinguishing_bytes() {
        let a = RequiredPrefix::searched("(?i)^/team-0017/service-0042/items/[0-9]+");
        assert!(a.may_match("/TEAM-0017/Service-0042/items/7"));
        assert!(!a.may_match("/team-0017/service-0043/items/7"));
    }

    /// Never "cannot match" where the engine matches, on texts that stress the
    /// filter: case variants, the Unicode case folds of `s` and `k`, short texts.
    #[test]
    fn never_contradicts_the_engine() {
        let patterns = [
            "(?i)^/skip/k[0-9]+",
            "^/a(b|c)d",
            "^/x+/y",
            "(?i)^/é/z",
            "^(?:/p|/q)/r",
            "^/(?:)k\\b",
            "^[^/]x",
            "(?i)^/S\\d",
        ];
        let texts = [
            "/skip/k1",
            "/SKIP/K2",
            "/\u{17f}kip/\u{212a}3",
            "/ſkip/k4",
            "/abd",
            "/acd",
            "/xxx/y",
            "/é/z",
            "/É/Z",
            "/p/r",
            "/q/r",
            "/k",
            "ax",
            "/x",
            "",
            "/s1",
            "/ſ1",
        ];
        for p in patterns {
            let re = regex::Regex::new(p).unwrap();
            let prefix = RequiredPrefix::searched(p);
            for t in texts {
                if re.is_match(t) {
                    assert!(prefix.may_match(t), "{p} matches {t:?}");
                }
            }
        }
    }

    proptest::proptest! {
        /// The prefix read off a plain pattern's text is the parse's, cut at
        /// the first construct that is not a literal: as sound, and the same
        /// where both go.
        #[test]
        fn a_plain_pattern_s_prefix_is_the_start_of_its_parse_s(
            pieces in proptest::collection::vec(
                proptest::sample::select(crate::paths::plain::TEST_PIECES), 0..8),
            head in proptest::sample::select(vec!["", "^", "(?i)", "(?i)^", "^/Sk"]),
        ) {
            let pattern = format!("{head}{}", pieces.concat());
            for searched in [true, false] {
                let Some(plain) = RequiredPrefix::of_plain(&pattern, searched) else {
                    continue;
                };
                let parsed = if searched {
                    RequiredPrefix::searched(&pattern)
                } else {
                    RequiredPrefix::anchored(&pattern)
                };
                proptest::prop_assert!(
                    parsed.0.starts_with(&plain.0),
                    "`{}` searched={}: {:?} is not the start of {:?}", pattern, searched, plain, parsed
                );
            }
        }
    }

    #[test]
    fn plain_prefixes() {
        let p = RequiredPrefix::of_plain("(?i)^/Team-7/s[0-9]+", true).unwrap();
        assert_eq!(p.caseless_literal(), "/team-7/s");
        // The parse goes on through `[0-9]`.
        assert!(
            RequiredPrefix::searched("(?i)^/Team-7/s[0-9]+")
                .0
                .starts_with(&p.0)
        );
        assert!(p.may_match("/TEAM-7/\u{17f}1"));
        assert_eq!(
            RequiredPrefix::of_plain("/a", true),
            Some(RequiredPrefix::any())
        );
        assert_eq!(
            RequiredPrefix::of_plain("^/a|^/b", true),
            Some(RequiredPrefix::any())
        );
        assert_eq!(
            RequiredPrefix::of_plain("/ab?", false)
                .unwrap()
                .caseless_literal(),
            "/a"
        );
        assert_eq!(
            RequiredPrefix::of_plain("/ab+", false)
                .unwrap()
                .caseless_literal(),
            "/ab"
        );
        assert_eq!(
            RequiredPrefix::of_plain(r"/a\.b(c|d)", false)
                .unwrap()
                .caseless_literal(),
            "/a.b"
        );
        assert_eq!(RequiredPrefix::of_plain("/a{2}", false), None);
    }
}
