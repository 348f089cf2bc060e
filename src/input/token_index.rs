//! Where each `prefix` + value token of a document is, found in one pass per
//! prefix. Locating each of an Ingress's paths by searching its document made
//! an Ingress with 5,000 paths cost 5,000 document scans; this index answers
//! the same questions ([`super::Origin::find_nth_token`] and
//! [`super::Origin::find_exact`] for `prefix` + value) from a map.

use std::collections::HashMap;

/// What ends a whole value in [`super::Origin::find_nth_token`].
fn ends_token(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '}' | ']' | '#')
}

/// The token occurrences of a fixed list of prefixes in one document.
pub struct TokenIndex<'d> {
    doc: &'d str,
    prefixes: Vec<&'static str>,
    /// Per prefix: every start offset of the prefix (overlapping ones too).
    starts: Vec<Vec<usize>>,
    /// Per prefix: value (the text after the prefix up to the first
    /// token-ending character) to the start offsets where it occurs, in order.
    tokens: Vec<HashMap<&'d str, Vec<usize>>>,
}

impl<'d> TokenIndex<'d> {
    pub fn new(doc: &'d str, prefixes: &[&'static str]) -> Self {
        let mut starts = Vec::with_capacity(prefixes.len());
        let mut tokens = Vec::with_capacity(prefixes.len());
        for prefix in prefixes {
            let mut at = Vec::new();
            let mut values: HashMap<&'d str, Vec<usize>> = HashMap::new();
            let mut from = 0;
            while let Some(i) = doc.get(from..).and_then(|rest| rest.find(prefix)) {
                let start = from + i;
                let value_start = start + prefix.len();
                let rest = doc.get(value_start..).unwrap_or_default();
                let end = rest.find(ends_token).unwrap_or(rest.len());
                values
                    .entry(rest.get(..end).unwrap_or_default())
                    .or_default()
                    .push(start);
                at.push(start);
                // Prefixes start with one ASCII byte or more, so +1 stays on a
                // character boundary of the text that matched.
                from = start + 1;
            }
            starts.push(at);
            tokens.push(values);
        }
        TokenIndex {
            doc,
            prefixes: prefixes.to_vec(),
            starts,
            tokens,
        }
    }

    /// True when [`Self::nth_token`] answers for `value`: a value holding a
    /// token-ending character is not indexed, so the caller searches instead.
    pub fn indexable(value: &str) -> bool {
        !value.contains(ends_token)
    }

    /// Offset of occurrence `nth` (from 0) of `prefix` + `value` as a whole
    /// value, like `find_nth_token(prefix + value, nth)`, for an
    /// [`Self::indexable`] value (`None` otherwise).
    pub fn nth_token(&self, prefix: usize, value: &str, nth: usize) -> Option<usize> {
        if !Self::indexable(value) {
            return None;
        }
        self.tokens.get(prefix)?.get(value)?.get(nth).copied()
    }

    /// Offset of the first occurrence of `prefix` + `value`, whole value or not,
    /// like `find_exact(prefix + value)`.
    pub fn first(&self, prefix: usize, value: &str) -> Option<usize> {
        let len = self.prefixes.get(prefix)?.len();
        self.starts.get(prefix)?.iter().copied().find(|&start| {
            self.doc
                .get(start + len..)
                .is_some_and(|rest| rest.starts_with(value))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index agrees with searching the text, for whole values, repeats,
    /// values inside longer ones, quoted forms and values it cannot index.
    #[test]
    fn agrees_with_searching() {
        let doc = "x\n- path: /foobar\n- path: /foo\n- {path: /foo, a: b}\n\
                   - path: \"/q\"\n- \"path\": \"/j\",\n- path: /a b\n- path: /é#\n";
        let prefixes = ["path: ", "path: \"", "\"path\": \""];
        let index = TokenIndex::new(doc, &prefixes);
        let nth_token = |needle: &str, nth: usize| {
            doc.match_indices(needle)
                .filter(|(i, _)| {
                    doc[i + needle.len()..]
                        .chars()
                        .next()
                        .is_none_or(ends_token)
                })
                .nth(nth)
                .map(|(i, _)| i)
        };
        let values = [
            "/foo", "/foobar", "/fo", "/q\"", "/j\"", "/a", "/a b", "/é", "/é#", "", "/none",
        ];
        for (p, prefix) in prefixes.iter().enumerate() {
            for value in values {
                let needle = format!("{prefix}{value}");
                assert_eq!(index.first(p, value), doc.find(&needle), "{needle:?}");
                for nth in 0..3 {
                    let want = nth_token(&needle, nth);
                    match index.nth_token(p, value, nth) {
                        Some(got) => assert_eq!(Some(got), want, "{needle:?} {nth}"),
                        None => assert!(
                            want.is_none() || value.contains(ends_token),
                            "{needle:?} {nth}"
                        ),
                    }
                }
            }
        }
        assert_eq!(index.nth_token(0, "/foo", 1), nth_token("path: /foo", 1));
        assert!(index.nth_token(0, "/foo", 1).is_some());
    }
}
