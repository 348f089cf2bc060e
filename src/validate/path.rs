//! Field paths in the API server's notation: `spec.rules[0].matches[1].path`.

use std::fmt;

/// A path from the object root; cheap to extend while walking.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(String);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(String::new())
    }
    /// `self.key`.
    pub fn key(&self, key: &str) -> Self {
        if self.0.is_empty() {
            FieldPath(key.to_string())
        } else {
            FieldPath(format!("{}.{key}", self.0))
        }
    }
    /// `self[i]`.
    pub fn index(&self, i: usize) -> Self {
        FieldPath(format!("{}[{i}]", self.0))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_matches_the_api_server() {
        let p = FieldPath::root()
            .key("spec")
            .key("rules")
            .index(0)
            .key("matches");
        assert_eq!(p.to_string(), "spec.rules[0].matches");
    }
}
