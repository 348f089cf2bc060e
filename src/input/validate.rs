//! Kubernetes' own validation rules for the fields ing2gw builds on: object names,
//! namespaces and port numbers. The API server rejects an object that breaks them,
//! so such an object can never exist in a cluster; ing2gw skips it with an error
//! instead of turning it into output. Names matter beyond correctness: the
//! namespace and name of a source object end up in emitted object names and in the
//! paths `--output-dir` writes, so a namespace like `../../x` must never get past
//! decoding.

use std::fmt;

/// Longest DNS-1123 label (namespaces).
pub const LABEL_MAX: usize = 63;
/// Longest DNS-1123 subdomain (object names).
pub const SUBDOMAIN_MAX: usize = 253;

/// Which rule a name must follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// `metadata.namespace`: a DNS-1123 label.
    Label,
    /// `metadata.name` of the kinds ing2gw reads: a DNS-1123 subdomain.
    Subdomain,
}

/// Why a name breaks its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong {
        len: usize,
        max: usize,
    },
    /// A character other than lowercase ASCII letters, digits, `-` (and `.` for subdomains).
    BadCharacter(char),
    /// A label (the whole name, or a `.`-separated part of a subdomain) starts or
    /// ends with something other than a letter or digit, or is empty (`a..b`).
    BadLabelEdge,
}

impl NameRule {
    /// What the rule expects, for messages.
    pub fn expected(self) -> &'static str {
        match self {
            NameRule::Label => {
                "a DNS-1123 label: at most 63 characters, lowercase letters, digits and '-', starting and ending with a letter or digit"
            }
            NameRule::Subdomain => {
                "a DNS-1123 subdomain: at most 253 characters, lowercase letters, digits, '-' and '.', each '.'-separated part starting and ending with a letter or digit"
            }
        }
    }

    /// Checks `name` against the rule.
    pub fn check(self, name: &str) -> Result<(), NameError> {
        let max = match self {
            NameRule::Label => LABEL_MAX,
            NameRule::Subdomain => SUBDOMAIN_MAX,
        };
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.len() > max {
            return Err(NameError::TooLong {
                len: name.len(),
                max,
            });
        }
        let dots = self == NameRule::Subdomain;
        if let Some(c) = name.chars().find(|&c| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || (dots && c == '.'))
        }) {
            return Err(NameError::BadCharacter(c));
        }
        let edge_ok = |label: &str| {
            let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            alnum(label.chars().next()) && alnum(label.chars().next_back())
        };
        if !name.split('.').all(edge_ok) {
            return Err(NameError::BadLabelEdge);
        }
        Ok(())
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("it is empty"),
            NameError::TooLong { len, max } => {
                write!(f, "it is {len} characters long (at most {max})")
            }
            NameError::BadCharacter(c) => write!(f, "it contains {:?}", c),
            NameError::BadLabelEdge => {
                f.write_str("a part does not start and end with a lowercase letter or digit")
            }
        }
    }
}

/// Whether `n` is a valid port number (the API server accepts 1–65535).
pub fn port_in_range(n: i32) -> bool {
    (1..=65535).contains(&n)
}

/// A value from the input, safe to print in one line: names that break the rules
/// may hold newlines or terminal escapes (which would forge lines in a CI log) or
/// be megabytes long.
pub fn shown(value: &str) -> String {
    const MAX: usize = 80;
    let plain = value.len() <= MAX
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if plain {
        return value.to_string();
    }
    let mut cut: String = value.chars().take(MAX).collect();
    if cut.len() < value.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        for ok in ["a", "default", "kube-system", "a1", "1a", &"a".repeat(63)] {
            assert_eq!(NameRule::Label.check(ok), Ok(()), "{ok}");
        }
        assert_eq!(NameRule::Label.check(""), Err(NameError::Empty));
        assert_eq!(
            NameRule::Label.check(&"a".repeat(64)),
            Err(NameError::TooLong { len: 64, max: 63 })
        );
        assert_eq!(
            NameRule::Label.check("../../x"),
            Err(NameError::BadCharacter('.'))
        );
        assert_eq!(
            NameRule::Label.check("a.b"),
            Err(NameError::BadCharacter('.'))
        );
        assert_eq!(
            NameRule::Label.check("/abs"),
            Err(NameError::BadCharacter('/'))
        );
        assert_eq!(
            NameRule::Label.check("Prod"),
            Err(NameError::BadCharacter('P'))
        );
        assert_eq!(
            NameRule::Label.check("a\nb"),
            Err(NameError::BadCharacter('\n'))
        );
        assert_eq!(NameRule::Label.check("-a"), Err(NameError::BadLabelEdge));
        assert_eq!(NameRule::Label.check("a-"), Err(NameError::BadLabelEdge));
        assert_eq!(
            NameRule::Label.check("é"),
            Err(NameError::BadCharacter('é'))
        );
    }

    #[test]
    fn subdomains() {
        for ok in ["a", "a.b", "web-1.example.com", &"a".repeat(253)] {
            assert_eq!(NameRule::Subdomain.check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "..", ".", "a..b", ".a", "a.", "a.-b", "A", "a_b", "a b", "a/b",
        ] {
            assert!(NameRule::Subdomain.check(bad).is_err(), "{bad}");
        }
        assert!(NameRule::Subdomain.check(&"a".repeat(254)).is_err());
    }

    #[test]
    fn ports() {
        assert!(!port_in_range(0));
        assert!(!port_in_range(-1));
        assert!(!port_in_range(70000));
        assert!(port_in_range(1));
        assert!(port_in_range(65535));
    }

    #[test]
    fn shown_escapes_and_truncates() {
        assert_eq!(shown("web"), "web");
        assert_eq!(shown("../x"), "\"../x\"");
        assert_eq!(shown("a\nkind: x"), "\"a\\nkind: x\"");
        assert_eq!(shown(&"a".repeat(1000)).chars().count(), 83);
    }
}
