//! PCRE evaluation of nginx regexes with fancy-regex (backtracking, PCRE-like
//! syntax). nginx matches bytes without UTF mode; the model only evaluates ASCII
//! URIs, where the two agree. A pattern fancy-regex rejects is kept as an error:
//! requests that reach it are not modelled.

use crate::paths::prefix::RequiredPrefix;
use fancy_regex::Regex;

/// A compiled nginx regex, or why it could not be compiled here.
#[derive(Debug, Clone)]
pub struct Pcre {
    pub source: String,
    pub compiled: Result<Regex, String>,
    /// What every match starts with (`^` patterns): most locations of a large
    /// regex host are ruled out for a URI without running the regex.
    prefix: RequiredPrefix,
}

impl Pcre {
    /// `pattern` as nginx compiles it; `caseless` for `~*` and `(?i)`.
    pub fn new(pattern: &str, caseless: bool) -> Self {
        let text = if caseless {
            format!("(?i){pattern}")
        } else {
            pattern.to_string()
        };
        Pcre {
            source: pattern.to_string(),
            prefix: RequiredPrefix::searched(&text),
            compiled: Regex::new(&text).map_err(|e| e.to_string()),
        }
    }

    /// The lower-cased literal every ASCII text it matches starts with (once
    /// lower-cased); empty when there is none or the regex did not compile
    /// (its error must surface for every URI that reaches it).
    pub fn index_key(&self) -> String {
        if self.compiled.is_err() {
            return String::new();
        }
        self.prefix.caseless_literal()
    }

    /// Whether the regex matches anywhere in `s` (`Err` when not evaluable).
    pub fn is_match(&self, s: &str) -> Result<bool, String> {
        let re = self.compiled.as_ref().map_err(|e| self.why(e))?;
        if !self.prefix.may_match(s) {
            return Ok(false);
        }
        re.is_match(s).map_err(|e| self.why(&e.to_string()))
    }

    /// The first match's groups, `$0` first (`Err` when not evaluable).
    pub fn captures(&self, s: &str) -> Result<Option<Vec<Option<String>>>, String> {
        let re = self.compiled.as_ref().map_err(|e| self.why(e))?;
        let caps = re.captures(s).map_err(|e| self.why(&e.to_string()))?;
        Ok(caps.map(|c| {
            (0..c.len())
                .map(|i| c.get(i).map(|m| m.as_str().to_string()))
                .collect()
        }))
    }

    fn why(&self, e: &str) -> String {
        format!("regex `{}` cannot be evaluated here: {e}", self.source)
    }
}
