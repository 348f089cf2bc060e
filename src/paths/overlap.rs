//! Whether two path patterns can match the same request path, decided on their
//! automata rather than on sample strings.
//!
//! Both patterns are compiled to lazy DFAs (`regex-automata`, the engine behind
//! the `regex` crate, close to Envoy's RE2) for a full match; a breadth-first
//! walk of the product automaton over the bytes a request path can carry finds
//! the shortest path both accept, or proves there is none. The walk is bounded
//! (product states and DFA cache): past the bound the answer is
//! [`Overlap::Unknown`], which callers treat as "may overlap".

use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use std::collections::HashMap;

/// Product states explored before giving up.
const MAX_STATES: usize = 4096;
/// Lazy DFA cache per pattern; it is never cleared (state ids stay valid).
const CACHE_BYTES: usize = 1 << 20;

/// The answer for two patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlap {
    /// No request path matches both.
    Disjoint,
    /// A shortest request path both match.
    Witness(String),
    /// Not decided within the bounds, or a pattern the engine does not accept.
    Unknown(String),
}

/// Bytes a request path can hold as sent (RFC 3986 `pchar` and `/`, or
/// percent-encoded): visible ASCII without `?` and `#`. Letters, digits and `/`
/// first so the witnesses read like paths.
fn alphabet() -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(94);
    out.extend(b'a'..=b'z');
    out.extend(b'0'..=b'9');
    out.push(b'/');
    out.extend(b'A'..=b'Z');
    out.extend((0x21u8..0x7f).filter(|b| !b.is_ascii_alphanumeric() && !b"/?#".contains(b)));
    out
}

/// A compiled pattern, reusable across [`PathAutomaton::overlap`] calls.
pub struct PathAutomaton {
    pattern: String,
    dfa: DFA,
    cache: Cache,
}

type Machine = PathAutomaton;

impl PathAutomaton {
    /// A full-match automaton for `pattern` (Gateway API semantics).
    pub fn new(pattern: &str) -> Result<PathAutomaton, String> {
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(CACHE_BYTES)
                    .minimum_cache_clear_count(Some(0)),
            )
            .build(&format!("(?:{pattern})\\z"))
            .map_err(|e| format!("`{pattern}`: {e}"))?;
        let cache = dfa.create_cache();
        Ok(Machine {
            pattern: pattern.to_string(),
            dfa,
            cache,
        })
    }

    /// Whether this pattern and `other` share a request path.
    pub fn overlap(&mut self, other: &mut PathAutomaton) -> Overlap {
        // The cache is never cleared during a walk; start each from empty.
        self.cache.reset(&self.dfa);
        other.cache.reset(&other.dfa);
        match walk(self, other) {
            Ok(Some(w)) => Overlap::Witness(w),
            Ok(None) => Overlap::Disjoint,
            Err(e) => Overlap::Unknown(e),
        }
    }
    fn start(&mut self) -> Result<LazyStateID, String> {
        self.dfa
            .start_state(
                &mut self.cache,
                &start::Config::new().anchored(Anchored::Yes),
            )
            .map_err(|e| e.to_string())
    }
    fn next(&mut self, s: LazyStateID, b: u8) -> Result<LazyStateID, String> {
        let n = self
            .dfa
            .next_state(&mut self.cache, s, b)
            .map_err(|e| e.to_string())?;
        if n.is_quit() {
            return Err(format!("the automaton gives up on byte {b:#04x}"));
        }
        Ok(n)
    }
    fn accepts_here(&mut self, s: LazyStateID) -> Result<bool, String> {
        self.dfa
            .next_eoi_state(&mut self.cache, s)
            .map(|e| e.is_match())
            .map_err(|e| e.to_string())
    }
}

/// Whether full-match patterns `a` and `b` (`regex` syntax) share a request path.
pub fn overlap(a: &str, b: &str) -> Overlap {
    match (Machine::new(a), Machine::new(b)) {
        (Ok(mut ma), Ok(mut mb)) => ma.overlap(&mut mb),
        (Err(e), _) | (_, Err(e)) => Overlap::Unknown(e),
    }
}

fn walk(ma: &mut Machine, mb: &mut Machine) -> Result<Option<String>, String> {
    let start = (ma.start()?, mb.start()?);
    // Each product state with the state and byte it was reached from.
    let mut seen: HashMap<(LazyStateID, LazyStateID), Option<(usize, u8)>> = HashMap::new();
    let mut order: Vec<(LazyStateID, LazyStateID)> = vec![start];
    seen.insert(start, None);
    let bytes = alphabet();
    let mut i = 0;
    while let Some(&(sa, sb)) = order.get(i) {
        if ma.accepts_here(sa)? && mb.accepts_here(sb)? {
            return Ok(Some(witness(&seen, &order, i)));
        }
        for &byte in &bytes {
            let (na, nb) = (ma.next(sa, byte)?, mb.next(sb, byte)?);
            if na.is_dead() || nb.is_dead() || seen.contains_key(&(na, nb)) {
                continue;
            }
            if order.len() >= MAX_STATES {
                return Err(format!(
                    "more than {MAX_STATES} states to explore for `{}` and `{}`",
                    ma.pattern, mb.pattern
                ));
            }
            seen.insert((na, nb), Some((i, byte)));
            order.push((na, nb));
        }
        i += 1;
    }
    Ok(None)
}

fn witness(
    seen: &HashMap<(LazyStateID, LazyStateID), Option<(usize, u8)>>,
    order: &[(LazyStateID, LazyStateID)],
    mut at: usize,
) -> String {
    let mut bytes = Vec::new();
    while let Some(Some((from, b))) = order.get(at).and_then(|s| seen.get(s)) {
        bytes.push(*b);
        at = *from;
    }
    bytes.reverse();
    // The alphabet is ASCII.
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(a: &str, b: &str, w: &str) -> bool {
        let full = |p: &str| regex::Regex::new(&format!("^(?:{p})$")).unwrap();
        full(a).is_match(w) && full(b).is_match(w)
    }

    #[test]
    fn finds_the_issue_overlaps_with_a_real_witness() {
        for (a, b) in [
            ("(?i)/api/.*/export.*", "(?i)/api/v[0-9]+/.*"),
            ("(?i)(?:/docs.*|.*/help.*)", "(?i)/users/[0-9]+.*"),
        ] {
            let Overlap::Witness(w) = overlap(a, b) else {
                panic!("{a} and {b} overlap");
            };
            assert!(both(a, b, &w), "{w} matches {a} and {b}");
        }
    }

    #[test]
    fn proves_disjoint_patterns_disjoint() {
        assert_eq!(
            overlap("(?i)/api/v[0-9]+/.*", "(?i)/api/v[a-z]+/.*"),
            Overlap::Disjoint
        );
        assert_eq!(
            overlap("/users/[0-9]+", "/users/[0-9]+/.+"),
            Overlap::Disjoint
        );
        // Case matters without (?i).
        assert_eq!(overlap("/A.*", "/a.*"), Overlap::Disjoint);
        assert!(matches!(overlap("(?i)/A.*", "/a.*"), Overlap::Witness(_)));
    }

    #[test]
    fn sample_based_checks_miss_what_the_product_finds() {
        // Only `/x…/1…/z` style paths match both: no sample of either pattern alone does.
        let (a, b) = ("/[a-m]+/[0-9]{3}/.*z", "/[k-z]+/.*7.*");
        let Overlap::Witness(w) = overlap(a, b) else {
            panic!("overlap expected");
        };
        assert!(both(a, b, &w), "{w}");
    }

    #[test]
    fn bounds_the_work_and_says_so() {
        // The DFA for `.{n}` after a free prefix grows as 2^n.
        let r = overlap("(?:a|b)*a(?:a|b){14}x", "(?:a|b)*b(?:a|b){14}y.*");
        assert!(
            matches!(r, Overlap::Disjoint | Overlap::Unknown(_)),
            "{r:?}"
        );
        let r = overlap("(?:a|b)*a(?:a|b){14}", "(?:a|b)*b(?:a|b){14}");
        assert!(matches!(r, Overlap::Unknown(_)), "{r:?}");
        assert!(matches!(overlap("(", "/a"), Overlap::Unknown(_)));
    }
}
