//! PCRE evaluation of nginx regexes with fancy-regex (backtracking, PCRE-like
//! syntax). nginx matches bytes without UTF mode; the model only evaluates ASCII
//! URIs, where the two agree. A pattern fancy-regex rejects is kept as an error:
//! requests that reach it are not modelled.
//!
//! A plain pattern ([`crate::paths::plain`]) runs on regex-lite instead, which
//! compiles it some twenty times faster with the same answers on ASCII text; a
//! text that is not ASCII gets fancy-regex, compiled then.

use crate::paths::plain;
use crate::paths::prefix::RequiredPrefix;
use std::sync::OnceLock;

/// A compiled nginx regex, or why it could not be compiled here.
#[derive(Debug, Clone)]
pub struct Pcre {
    pub source: String,
    /// Boxed: every location holds two `Option<Pcre>`, most of them `None`.
    pub compiled: Result<Box<Compiled>, String>,
    /// What every match starts with (`^` patterns): most locations of a large
    /// regex host are ruled out for a URI without running the regex.
    prefix: RequiredPrefix,
}

/// The engines of one pattern.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The pattern as fancy-regex reads it (flags included).
    text: String,
    lite: Option<regex_lite::Regex>,
    /// fancy-regex: compiled with the pattern when it is not plain, else on
    /// the first text that is not ASCII.
    full: OnceLock<Result<fancy_regex::Regex, String>>,
}

impl Compiled {
    fn new(text: String) -> Result<Self, String> {
        let full = OnceLock::new();
        let lite = plain::lite(&text);
        if lite.is_none() {
            let re = fancy_regex::Regex::new(&text).map_err(|e| e.to_string())?;
            let _ = full.set(Ok(re));
        }
        Ok(Compiled { text, lite, full })
    }

    /// The engine for `s`: regex-lite for ASCII text when the pattern is plain.
    fn engine(&self, s: &str) -> Result<Engine<'_>, String> {
        match &self.lite {
            Some(lite) if s.is_ascii() => Ok(Engine::Lite(lite)),
            _ => (self.full)
                .get_or_init(|| fancy_regex::Regex::new(&self.text).map_err(|e| e.to_string()))
                .as_ref()
                .map(Engine::Full)
                .map_err(Clone::clone),
        }
    }
}

enum Engine<'a> {
    Lite(&'a regex_lite::Regex),
    Full(&'a fancy_regex::Regex),
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
            prefix: RequiredPrefix::of_plain(&text, true)
                .unwrap_or_else(|| RequiredPrefix::searched(&text)),
            compiled: Compiled::new(text).map(Box::new),
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
        let compiled = self.compiled.as_ref().map_err(|e| self.why(e))?;
        if !self.prefix.may_match(s) {
            return Ok(false);
        }
        match compiled.engine(s).map_err(|e| self.why(&e))? {
            Engine::Lite(re) => Ok(re.is_match(s)),
            Engine::Full(re) => re.is_match(s).map_err(|e| self.why(&e.to_string())),
        }
    }

    /// The first match's groups, `$0` first (`Err` when not evaluable).
    pub fn captures(&self, s: &str) -> Result<Option<Vec<Option<String>>>, String> {
        let compiled = self.compiled.as_ref().map_err(|e| self.why(e))?;
        let owned = |m: Option<&str>| m.map(str::to_string);
        Ok(match compiled.engine(s).map_err(|e| self.why(&e))? {
            Engine::Lite(re) => re.captures(s).map(|c| {
                (0..c.len())
                    .map(|i| owned(c.get(i).map(|m| m.as_str())))
                    .collect()
            }),
            Engine::Full(re) => {
                let caps = re.captures(s).map_err(|e| self.why(&e.to_string()))?;
                caps.map(|c| {
                    (0..c.len())
                        .map(|i| owned(c.get(i).map(|m| m.as_str())))
                        .collect()
                })
            }
        })
    }

    fn why(&self, e: &str) -> String {
        format!("regex `{}` cannot be evaluated here: {e}", self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain pattern answers text that is not ASCII with fancy-regex, as a
    /// pattern that is not plain answers every text.
    #[test]
    fn text_that_is_not_ascii_gets_fancy_regex() {
        let plain = Pcre::new("^/caf.(/|$)(.*)", true);
        let full = Pcre::new("^/caf.(?=/|$)(/?)(.*)", true);
        assert!(plain.compiled.as_ref().unwrap().lite.is_some());
        assert!(full.compiled.as_ref().unwrap().lite.is_none());
        for (uri, groups) in [
            ("/CAFE/x", ["/CAFE/x", "/", "x"]),
            ("/café/x", ["/café/x", "/", "x"]),
        ] {
            let want: Vec<Option<String>> = groups.iter().map(|g| Some(g.to_string())).collect();
            assert_eq!(plain.captures(uri).unwrap(), Some(want.clone()), "{uri}");
            assert_eq!(full.captures(uri).unwrap(), Some(want), "{uri}");
            assert_eq!(plain.is_match(uri), Ok(true));
        }
        assert_eq!(plain.is_match("/caf"), Ok(false));
        assert!(Pcre::new("(", true).compiled.is_err());
    }
}
