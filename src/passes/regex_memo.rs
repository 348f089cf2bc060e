//! Regex facts computed once per distinct pattern in a run.
//!
//! Why: the regex passes (`regex-mode`, `regex-order`, `rewrite`) parse the
//! same few patterns over and over on a real estate (`/api(/|$)(.*)`,
//! `/(.*)`, the same `(?i)/v1.*` on every host), and parsing with
//! `regex-syntax` allocates a syntax tree each time: about 7% of `print`'s
//! time on the 10,000-Ingress estate (issue 13). The facts are pure functions
//! of the pattern and the options, so a map per run gives the same answers.
//! The map lives in the [`super::PassContext`] and goes with it: its size is
//! the number of distinct patterns of the input.

use crate::paths::prefix::RequiredPrefix;
use crate::paths::regex::{
    GatewayRegex, RegexError, RegexOptions, literal_of_pattern, translate_path_regex,
};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

type Key = (String, bool, bool);

fn key(pattern: &str, opts: RegexOptions) -> Key {
    (pattern.to_string(), opts.case_insensitive, opts.prefix)
}

/// Memoised [`translate_path_regex`], [`literal_of_pattern`] and
/// [`RequiredPrefix::anchored`].
#[derive(Default)]
pub struct RegexMemo {
    translated: Mutex<HashMap<Key, Result<GatewayRegex, RegexError>>>,
    literals: Mutex<HashMap<Key, Option<String>>>,
    anchored: Mutex<HashMap<String, RequiredPrefix>>,
}

impl RegexMemo {
    /// [`translate_path_regex`].
    pub fn translate(&self, pattern: &str, opts: RegexOptions) -> Result<GatewayRegex, RegexError> {
        cached(&self.translated, key(pattern, opts), || {
            translate_path_regex(pattern, opts)
        })
    }

    /// [`literal_of_pattern`].
    pub fn literal_of_pattern(&self, pattern: &str, opts: RegexOptions) -> Option<String> {
        cached(&self.literals, key(pattern, opts), || {
            literal_of_pattern(pattern, opts)
        })
    }

    /// [`RequiredPrefix::anchored`].
    pub fn anchored(&self, pattern: &str) -> RequiredPrefix {
        cached(&self.anchored, pattern.to_string(), || {
            RequiredPrefix::anchored(pattern)
        })
    }
}

/// The value of `key` in `map`, computed by `compute` (outside the lock) and
/// kept on first use. A poisoned map still holds only complete entries (each
/// is inserted whole).
fn cached<K: Eq + Hash, V: Clone>(
    map: &Mutex<HashMap<K, V>>,
    key: K,
    compute: impl FnOnce() -> V,
) -> V {
    let lock = || map.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(hit) = lock().get(&key) {
        return hit.clone();
    }
    let fresh = compute();
    lock().insert(key, fresh.clone());
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memoised_answers_are_the_direct_ones() {
        let memo = RegexMemo::default();
        let opts = RegexOptions::default();
        let exact = RegexOptions {
            case_insensitive: false,
            prefix: false,
        };
        for p in [
            "/api(/|$)(.*)",
            "/(.*)",
            "/v1",
            "/a|/b",
            "/x{2",
            "/caf\u{e9}",
        ] {
            for o in [opts, exact] {
                for _ in 0..2 {
                    assert_eq!(memo.translate(p, o), translate_path_regex(p, o), "{p}");
                    assert_eq!(
                        memo.literal_of_pattern(p, o),
                        literal_of_pattern(p, o),
                        "{p}"
                    );
                }
            }
            assert_eq!(memo.anchored(p), RequiredPrefix::anchored(p), "{p}");
            assert_eq!(memo.anchored(p), RequiredPrefix::anchored(p), "{p}");
        }
        // Options are part of the key: the two readings of one pattern differ.
        assert_ne!(memo.translate("/v1", opts), memo.translate("/v1", exact));
    }
}
