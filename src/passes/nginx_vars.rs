//! nginx variables in annotation values (a helper of the passes, not a pass).
//!
//! ingress-nginx pastes several annotation values into directives that nginx
//! evaluates (`proxy_set_header X-Forwarded-Prefix "<v>"`, `proxy_set_header Host
//! "<v>"`, …), so `$host`, `${host}` or `$1` in them are variables, not text.
//! Gateway API filters take fixed values only: a value is emitted only when each
//! of its variables has one known value on the rule ([`VarContext`]), otherwise
//! the passes report it instead of sending the `$…` text literally.

use std::collections::BTreeMap;

/// One variable reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NginxVar {
    /// `$1`…`$9`: a capture of the last regex nginx matched (the location's path).
    Capture(u32),
    /// `$name` or `${name}`.
    Named(String),
}

impl std::fmt::Display for NginxVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NginxVar::Capture(n) => write!(f, "${n}"),
            NginxVar::Named(n) => write!(f, "${n}"),
        }
    }
}

/// A value split into text and variable references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    Var(NginxVar),
}

/// Splits `v` the way nginx's script compiler reads it: `$` followed by digits
/// (one capture), by a name of letters, digits and `_`, or by `{name}`. A `$`
/// followed by anything else stays text.
pub fn parts(v: &str) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    let mut text = String::new();
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            text.push(c);
            continue;
        }
        let var = match chars.peek().copied() {
            Some(d) if d.is_ascii_digit() => {
                chars.next();
                d.to_digit(10).map(NginxVar::Capture)
            }
            Some('{') => {
                let rest: String = chars.clone().skip(1).take_while(|c| *c != '}').collect();
                let closed = chars.clone().nth(1 + rest.chars().count()) == Some('}');
                if closed && !rest.is_empty() {
                    for _ in 0..rest.chars().count() + 2 {
                        chars.next();
                    }
                    Some(NginxVar::Named(rest))
                } else {
                    None
                }
            }
            Some(n) if n.is_ascii_alphabetic() || n == '_' => {
                let mut name = String::new();
                while let Some(n) = chars.peek().copied() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                Some(NginxVar::Named(name))
            }
            _ => None,
        };
        match var {
            Some(var) => {
                if !text.is_empty() {
                    out.push(Part::Text(std::mem::take(&mut text)));
                }
                out.push(Part::Var(var));
            }
            None => text.push('$'),
        }
    }
    if !text.is_empty() {
        out.push(Part::Text(text));
    }
    out
}

/// The variables of `v`, in order.
pub fn variables(v: &str) -> Vec<NginxVar> {
    parts(v)
        .into_iter()
        .filter_map(|p| match p {
            Part::Var(v) => Some(v),
            Part::Text(_) => None,
        })
        .collect()
}

/// What is known of the variables on one rule.
#[derive(Debug, Clone, Default)]
pub struct VarContext {
    /// The rule's hostname when it is one exact name: nginx's `$host` (the Host
    /// header without port, lower-cased) and `$server_name` are that name.
    pub host: Option<String>,
    /// Captures of the location regex that match one fixed text.
    pub captures: BTreeMap<u32, String>,
}

impl VarContext {
    /// The context of a rule on `host` (None for the catch-all or a wildcard)
    /// whose nginx location is the regex `path` (`case_insensitive`: `~*`).
    pub fn for_rule(host: Option<&str>, path: &str, regex: bool, case_insensitive: bool) -> Self {
        let host = host
            .filter(|h| !h.starts_with("*."))
            .map(str::to_ascii_lowercase);
        let captures = if regex {
            fixed_captures(path, case_insensitive)
        } else {
            BTreeMap::new()
        };
        VarContext { host, captures }
    }

    fn value(&self, var: &NginxVar) -> Option<String> {
        match var {
            NginxVar::Capture(n) => self.captures.get(n).cloned(),
            NginxVar::Named(name) => match name.as_str() {
                "host" | "server_name" => self.host.clone(),
                _ => None,
            },
        }
    }
}

/// `v` with each variable replaced by its value in `cx`, or the variables that
/// have no single known value.
pub fn expand(v: &str, cx: &VarContext) -> Result<String, Vec<NginxVar>> {
    let mut out = String::new();
    let mut unknown = Vec::new();
    for p in parts(v) {
        match p {
            Part::Text(t) => out.push_str(&t),
            Part::Var(var) => match cx.value(&var) {
                Some(val) => out.push_str(&val),
                None => unknown.push(var),
            },
        }
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(unknown)
    }
}

/// Joins variables for a message: `$host, $1`.
pub fn list(vars: &[NginxVar]) -> String {
    vars.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Capture groups of `path` that can only match one text: a sequence of
/// literals (letters only when matching is case-sensitive, since `~*` captures
/// the request's own case).
fn fixed_captures(path: &str, case_insensitive: bool) -> BTreeMap<u32, String> {
    use regex_syntax::ast::{Ast, GroupKind, Visitor, visit};
    struct Collect {
        ci: bool,
        out: BTreeMap<u32, String>,
    }
    fn literal_text(a: &Ast, ci: bool) -> Option<String> {
        let ok = |c: char| !(ci && c.is_alphabetic());
        match a {
            Ast::Literal(l) if ok(l.c) => Some(l.c.to_string()),
            Ast::Concat(c) => c.asts.iter().map(|a| literal_text(a, ci)).collect(),
            Ast::Empty(_) => Some(String::new()),
            _ => None,
        }
    }
    impl Visitor for Collect {
        type Output = BTreeMap<u32, String>;
        type Err = ();
        fn finish(self) -> Result<Self::Output, ()> {
            Ok(self.out)
        }
        fn visit_pre(&mut self, a: &Ast) -> Result<(), ()> {
            if let Ast::Group(g) = a {
                let index = match &g.kind {
                    GroupKind::CaptureIndex(i) => Some(*i),
                    GroupKind::CaptureName { name, .. } => Some(name.index),
                    GroupKind::NonCapturing(_) => None,
                };
                if let (Some(i), Some(t)) = (index, literal_text(&g.ast, self.ci)) {
                    self.out.insert(i, t);
                }
            }
            Ok(())
        }
    }
    crate::paths::regex::parse_pcre(path)
        .ok()
        .and_then(|ast| {
            visit(
                &ast,
                Collect {
                    ci: case_insensitive,
                    out: BTreeMap::new(),
                },
            )
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variables_like_nginx() {
        assert_eq!(
            variables("/$1/${host}x/$request_uri"),
            vec![
                NginxVar::Capture(1),
                NginxVar::Named("host".into()),
                NginxVar::Named("request_uri".into())
            ]
        );
        assert!(variables("/price/5$/ok${").is_empty());
        assert_eq!(parts("a$"), vec![Part::Text("a$".into())]);
    }

    #[test]
    fn expands_what_has_one_value() {
        let cx = VarContext::for_rule(Some("App.example.com"), "/(api)(/|$)(.*)", true, false);
        assert_eq!(expand("/$1", &cx), Ok("/api".into()));
        assert_eq!(
            expand("https://$host/x", &cx),
            Ok("https://app.example.com/x".into())
        );
        assert_eq!(expand("/$3", &cx), Err(vec![NginxVar::Capture(3)]));
        assert_eq!(
            expand("$scheme", &cx),
            Err(vec![NginxVar::Named("scheme".into())])
        );
        // `~*` captures the request's case.
        let ci = VarContext::for_rule(None, "/(api)/(.*)", true, true);
        assert_eq!(
            expand("/$1 $host", &ci),
            Err(vec![NginxVar::Capture(1), NginxVar::Named("host".into())])
        );
        let digits = VarContext::for_rule(None, "/(v2)/(.*)", true, true);
        assert!(expand("/$1", &digits).is_err());
        let digits = VarContext::for_rule(None, "/(2024)/(.*)", true, true);
        assert_eq!(expand("/$1", &digits), Ok("/2024".into()));
    }
}
