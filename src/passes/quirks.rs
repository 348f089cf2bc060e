//! `--quirks`: which surprising ingress-nginx behaviours to preserve.
//!
//! All are preserved by default, so the translation does what ingress-nginx does
//! today (no outage). Dropping one emits what the user most likely meant
//! (exact, case-sensitive matches) and a notification for every path whose
//! behaviour changes, with a request that shows the difference.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// One named behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Quirk {
    /// Regex paths match case-insensitively (`~*`).
    RegexCaseInsensitive,
    /// Regex paths are anchored only at the start (anything may follow).
    RegexPrefix,
    /// use-regex / rewrite-target on one Ingress turns every path of the host into a regex.
    HostWideRegex,
    /// nginx answers 301 `/foo` → `/foo/` for paths written with a trailing slash.
    TrailingSlashRedirect,
    /// The HTTP→HTTPS redirect strips one trailing slash.
    SslRedirectStripSlash,
}

impl Quirk {
    pub const ALL: [Quirk; 5] = [
        Quirk::RegexCaseInsensitive,
        Quirk::RegexPrefix,
        Quirk::HostWideRegex,
        Quirk::TrailingSlashRedirect,
        Quirk::SslRedirectStripSlash,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Quirk::RegexCaseInsensitive => "regex-case-insensitive",
            Quirk::RegexPrefix => "regex-prefix",
            Quirk::HostWideRegex => "host-wide-regex",
            Quirk::TrailingSlashRedirect => "trailing-slash-redirect",
            Quirk::SslRedirectStripSlash => "ssl-redirect-strip-slash",
        }
    }
}

impl fmt::Display for Quirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The set of preserved quirks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quirks(BTreeSet<Quirk>);

impl Default for Quirks {
    fn default() -> Self {
        Quirks(Quirk::ALL.into_iter().collect())
    }
}

impl Quirks {
    pub fn keeps(&self, q: Quirk) -> bool {
        self.0.contains(&q)
    }
}

impl FromStr for Quirks {
    type Err = String;
    /// `all`, `none`, or a comma-separated list of quirk names to preserve.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "all" => return Ok(Quirks::default()),
            "none" | "" => return Ok(Quirks(BTreeSet::new())),
            _ => {}
        }
        let mut set = BTreeSet::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let q = Quirk::ALL
                .into_iter()
                .find(|q| q.name() == part)
                .ok_or_else(|| {
                    let names: Vec<_> = Quirk::ALL.iter().map(|q| q.name()).collect();
                    format!(
                        "unknown quirk `{part}`; expected all, none or a list of: {}",
                        names.join(", ")
                    )
                })?;
            set.insert(q);
        }
        Ok(Quirks(set))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_keywords() {
        assert_eq!("all".parse::<Quirks>().unwrap(), Quirks::default());
        let none: Quirks = "none".parse().unwrap();
        assert!(!none.keeps(Quirk::RegexPrefix));
        let some: Quirks = "regex-prefix, trailing-slash-redirect".parse().unwrap();
        assert!(some.keeps(Quirk::RegexPrefix));
        assert!(some.keeps(Quirk::TrailingSlashRedirect));
        assert!(!some.keeps(Quirk::HostWideRegex));
        assert!(
            "bogus"
                .parse::<Quirks>()
                .unwrap_err()
                .contains("unknown quirk `bogus`")
        );
    }
}
