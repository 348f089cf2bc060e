//! RE2 → portable regex (`--regex-dialect portable`).
//!
//! Gateway API leaves the regex dialect of `RegularExpression` matches to the
//! implementation; Envoy-based ones use RE2, which is what ing2gw emits by
//! default. GEP-4359 ("Gateway API Regex", provisional) proposes a portable
//! subset: POSIX ERE, leftmost-first, backslash escapes keep their meaning inside
//! brackets, C locale, inputs of printable ASCII plus tab and space. It leaves
//! out matching flags such as `(?i)`, non-capturing and named groups, `\d` /
//! `\w` / `\s`, escapes of non-special characters, hex escapes, lazy
//! quantifiers, consecutive quantifiers and backreferences.
//!
//! [`to_portable`] rewrites an RE2 pattern into that subset with the same
//! matches on every supported input (printable ASCII, tab, space):
//! - case folding becomes character classes: `(?i)/user` → `/[Uu][Ss][Ee][Rr]`,
//!   and a class under `(?i)` gets the other case of each letter
//!   (`[a-c_]` → `[A-Ca-c_]`); a non-ASCII letter gets its simple upper/lower
//!   case (`é` → `[Éé]`);
//! - `(?:…)` becomes `(…)` where grouping is needed (alternation, quantifier)
//!   and disappears elsewhere; named groups become plain groups. Groups are
//!   renumbered, and [`Portable::renumber`] rewrites `\N` in a substitution;
//! - `\d`, `\w`, `\s` become `[0-9]`, `[0-9A-Z_a-z]`, `[\t ]` (RE2's are ASCII;
//!   `\s`'s newline, form feed and carriage return are outside the supported
//!   inputs); `\A` / `\z` become `^` / `$`; escaped non-special characters lose
//!   their backslash; hex escapes become the character;
//! - lazy quantifiers become greedy when captures do not matter (a match test
//!   gives the same answer either way).
//!
//! What has no portable form is an error (the caller keeps the RE2 pattern and
//! says so): word boundaries, Unicode classes, negated `\D`/`\W`/`\S` inside a
//! bracket, class set operations, nested brackets, lazy quantifiers whose
//! captures are used, a quantified quantifier.

use regex_syntax::ast::{self, Ast, ClassSetItem};
use std::fmt::Write;

/// A pattern in the portable dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portable {
    pub pattern: String,
    /// `(old capture index, new capture index)`.
    pub groups: Vec<(u32, u32)>,
}

impl Portable {
    /// Rewrites the `\N` group references of an RE2 substitution (Envoy's
    /// `regex_rewrite` syntax) for the renumbered groups; `\\` stays as is.
    pub fn renumber(&self, substitution: &str) -> String {
        let mut out = String::with_capacity(substitution.len());
        let mut chars = substitution.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.peek() {
                Some(d) if d.is_ascii_digit() => {
                    let mut n = String::new();
                    while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                        n.push(*d);
                        chars.next();
                    }
                    let old: u32 = n.parse().unwrap_or(u32::MAX);
                    let new = self
                        .groups
                        .iter()
                        .find(|(o, _)| *o == old)
                        .map_or(old, |(_, n)| *n);
                    let _ = write!(out, "\\{new}");
                }
                Some(_) => {
                    out.push('\\');
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                }
                None => out.push('\\'),
            }
        }
        out
    }
}

/// Rewrites `pattern` (RE2 syntax) into the portable subset; see the module doc.
/// `captures_matter`: the groups are referenced (a rewrite), so laziness must
/// be kept (it changes what a group captures) and is an error.
pub fn to_portable(pattern: &str, captures_matter: bool) -> Result<Portable, String> {
    let parsed = ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| format!("does not parse ({})", e.kind()))?;
    let mut p = Printer {
        out: String::new(),
        next_group: 0,
        groups: Vec::new(),
        captures_matter,
    };
    let mut ci = false;
    p.node(&parsed, &mut ci, false)?;
    Ok(Portable {
        pattern: p.out,
        groups: p.groups,
    })
}

struct Printer {
    out: String,
    next_group: u32,
    groups: Vec<(u32, u32)>,
    captures_matter: bool,
}

/// ERE's special characters outside brackets (escaped when literal).
const SPECIAL: &str = ".[\\()*+?{|^$";

impl Printer {
    /// Prints `a`; `ci` is the case-insensitive flag, updated by `(?i)` items
    /// until the end of the enclosing group. `atom`: the caller needs one atom
    /// (a quantifier's operand).
    fn node(&mut self, a: &Ast, ci: &mut bool, atom: bool) -> Result<(), String> {
        match a {
            Ast::Empty(_) => Ok(()),
            Ast::Flags(f) => {
                if let Some(v) = f.flags.flag_state(ast::Flag::CaseInsensitive) {
                    *ci = v;
                }
                Ok(())
            }
            Ast::Literal(l) => {
                self.literal(l.c, *ci);
                Ok(())
            }
            Ast::Dot(_) => {
                self.out.push('.');
                Ok(())
            }
            Ast::Assertion(x) => {
                use ast::AssertionKind::*;
                match x.kind {
                    StartLine | StartText => self.out.push('^'),
                    EndLine | EndText => self.out.push('$'),
                    _ => return Err("a word boundary (`\\b`, `\\B`)".into()),
                }
                Ok(())
            }
            Ast::ClassUnicode(_) => Err("a Unicode class (`\\p{…}`)".into()),
            Ast::ClassPerl(c) => {
                let set = perl(c)?;
                self.class(&set, c.negated, false);
                Ok(())
            }
            Ast::ClassBracketed(c) => {
                let mut set = Vec::new();
                class_items(&c.kind, &mut set)?;
                self.class(&set, c.negated, *ci);
                Ok(())
            }
            Ast::Repetition(r) => {
                if matches!(*r.ast, Ast::Repetition(_)) {
                    return Err("a quantified quantifier".into());
                }
                if !r.greedy && self.captures_matter {
                    return Err("a lazy quantifier whose captures are used".into());
                }
                let mut inner_ci = *ci;
                self.node(&r.ast, &mut inner_ci, true)?;
                use ast::{RepetitionKind as K, RepetitionRange as R};
                match &r.op.kind {
                    K::ZeroOrOne => self.out.push('?'),
                    K::ZeroOrMore => self.out.push('*'),
                    K::OneOrMore => self.out.push('+'),
                    K::Range(R::Exactly(n)) => {
                        let _ = write!(self.out, "{{{n}}}");
                    }
                    K::Range(R::AtLeast(n)) => {
                        let _ = write!(self.out, "{{{n},}}");
                    }
                    K::Range(R::Bounded(n, m)) => {
                        let _ = write!(self.out, "{{{n},{m}}}");
                    }
                }
                Ok(())
            }
            Ast::Group(g) => {
                // Flags of `(?i:…)` apply inside only; `(?i)` inside ends with the group.
                let mut inner_ci = *ci;
                if let Some(flags) = g.flags()
                    && let Some(v) = flags.flag_state(ast::Flag::CaseInsensitive)
                {
                    inner_ci = v;
                }
                let keep = match g.capture_index() {
                    Some(_) => true,
                    None => atom || matches!(*g.ast, Ast::Alternation(_)),
                };
                if keep {
                    self.next_group += 1;
                    if let Some(old) = g.capture_index() {
                        self.groups.push((old, self.next_group));
                    }
                    self.out.push('(');
                    self.node(&g.ast, &mut inner_ci, false)?;
                    self.out.push(')');
                } else {
                    self.node(&g.ast, &mut inner_ci, false)?;
                }
                Ok(())
            }
            Ast::Alternation(alt) => {
                for (i, branch) in alt.asts.iter().enumerate() {
                    if i > 0 {
                        self.out.push('|');
                    }
                    self.node(branch, ci, false)?;
                }
                Ok(())
            }
            Ast::Concat(c) => {
                for item in &c.asts {
                    self.node(item, ci, false)?;
                }
                Ok(())
            }
        }
    }

    fn literal(&mut self, c: char, ci: bool) {
        if ci {
            let mut set = vec![(c, c)];
            fold(&mut set);
            if set.len() > 1 || set[0].0 != set[0].1 {
                self.class(&set, false, false);
                return;
            }
        }
        if SPECIAL.contains(c) {
            self.out.push('\\');
        }
        self.out.push(c);
    }

    /// A bracket expression for the ranges `set` (sorted, merged here), with the
    /// other case of each letter when `ci`.
    fn class(&mut self, set: &[(char, char)], negated: bool, ci: bool) {
        let mut set = set.to_vec();
        if ci {
            fold(&mut set);
        }
        merge(&mut set);
        // One character, not negated: no bracket needed.
        if !negated && set.len() == 1 && set[0].0 == set[0].1 {
            let c = set[0].0;
            if SPECIAL.contains(c) {
                self.out.push('\\');
            }
            self.out.push(c);
            return;
        }
        self.out.push('[');
        if negated {
            self.out.push('^');
        }
        for (a, b) in set {
            push_class_char(&mut self.out, a);
            if b > a {
                if b as u32 > a as u32 + 1 {
                    self.out.push('-');
                }
                push_class_char(&mut self.out, b);
            }
        }
        self.out.push(']');
    }
}

fn push_class_char(out: &mut String, c: char) {
    if matches!(c, '\\' | ']' | '[' | '^' | '-') {
        out.push('\\');
    }
    out.push(c);
}

/// RE2's Perl classes (ASCII). Only the positive ones can join a bracket.
fn perl_ranges(kind: &ast::ClassPerlKind) -> Vec<(char, char)> {
    match kind {
        ast::ClassPerlKind::Digit => vec![('0', '9')],
        ast::ClassPerlKind::Word => vec![('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
        // Newline, form feed and carriage return are outside the supported inputs.
        ast::ClassPerlKind::Space => vec![('\t', '\t'), (' ', ' ')],
    }
}

fn perl(c: &ast::ClassPerl) -> Result<Vec<(char, char)>, String> {
    Ok(perl_ranges(&c.kind))
}

fn ascii_ranges(kind: &ast::ClassAsciiKind) -> Vec<(char, char)> {
    use ast::ClassAsciiKind::*;
    match kind {
        Alnum => vec![('0', '9'), ('A', 'Z'), ('a', 'z')],
        Alpha => vec![('A', 'Z'), ('a', 'z')],
        Ascii => vec![('\0', '\x7f')],
        Blank => vec![('\t', '\t'), (' ', ' ')],
        Cntrl => vec![('\0', '\x1f'), ('\x7f', '\x7f')],
        Digit => vec![('0', '9')],
        Graph => vec![('!', '~')],
        Lower => vec![('a', 'z')],
        Print => vec![(' ', '~')],
        Punct => vec![('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        Space => vec![('\t', '\r'), (' ', ' ')],
        Upper => vec![('A', 'Z')],
        Word => vec![('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
        Xdigit => vec![('0', '9'), ('A', 'F'), ('a', 'f')],
    }
}

fn class_items(set: &ast::ClassSet, out: &mut Vec<(char, char)>) -> Result<(), String> {
    match set {
        ast::ClassSet::BinaryOp(_) => Err("a class set operation (`&&`, `--`, `~~`)".into()),
        ast::ClassSet::Item(item) => class_item(item, out),
    }
}

fn class_item(item: &ClassSetItem, out: &mut Vec<(char, char)>) -> Result<(), String> {
    match item {
        ClassSetItem::Empty(_) => Ok(()),
        ClassSetItem::Literal(l) => {
            out.push((l.c, l.c));
            Ok(())
        }
        ClassSetItem::Range(r) => {
            out.push((r.start.c, r.end.c));
            Ok(())
        }
        ClassSetItem::Ascii(a) if !a.negated => {
            out.extend(ascii_ranges(&a.kind));
            Ok(())
        }
        ClassSetItem::Perl(p) if !p.negated => {
            out.extend(perl_ranges(&p.kind));
            Ok(())
        }
        ClassSetItem::Ascii(_) | ClassSetItem::Perl(_) => {
            Err("a negated class inside brackets (`[\\D…]`, `[[:^alpha:]…]`)".into())
        }
        ClassSetItem::Unicode(_) => Err("a Unicode class (`\\p{…}`)".into()),
        ClassSetItem::Bracketed(_) => Err("a nested bracket expression".into()),
        ClassSetItem::Union(u) => {
            for i in &u.items {
                class_item(i, out)?;
            }
            Ok(())
        }
    }
}

/// Adds the other case of every letter of `set`: all ASCII letters, and the
/// simple (one-character) case mappings of non-ASCII letters in ranges small
/// enough to walk.
fn fold(set: &mut Vec<(char, char)>) {
    let mut extra = Vec::new();
    for &(a, b) in set.iter() {
        let (lo, hi) = (a as u32, b as u32);
        // ASCII letters by intersection, whatever the range's size.
        for (l, u) in [('a', 'A'), ('A', 'a')] {
            let (s, e) = (lo.max(l as u32), hi.min(l as u32 + 25));
            if s <= e {
                let shift = |c: u32| char::from_u32(c - l as u32 + u as u32);
                if let (Some(x), Some(y)) = (shift(s), shift(e)) {
                    extra.push((x, y));
                }
            }
        }
        if hi >= 0x80 && hi - lo.max(0x80) < 4096 {
            for c in (lo.max(0x80)..=hi).filter_map(char::from_u32) {
                for other in c.to_lowercase().chain(c.to_uppercase()) {
                    let single = c.to_lowercase().count() == 1 && c.to_uppercase().count() == 1;
                    if single && other != c {
                        extra.push((other, other));
                    }
                }
            }
        }
    }
    set.extend(extra);
    merge(set);
}

fn merge(set: &mut Vec<(char, char)>) {
    set.sort();
    let mut out: Vec<(char, char)> = Vec::with_capacity(set.len());
    for &(a, b) in set.iter() {
        match out.last_mut() {
            Some(last) if a as u32 <= last.1 as u32 + 1 => {
                if b > last.1 {
                    last.1 = b;
                }
            }
            _ => out.push((a, b)),
        }
    }
    *set = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(re: &str) -> String {
        to_portable(re, false)
            .map(|p| p.pattern)
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn case_folding_becomes_classes() {
        assert_eq!(p("(?i)/user"), "/[Uu][Ss][Ee][Rr]");
        assert_eq!(p("(?i)/api/v[0-9]+"), "/[Aa][Pp][Ii]/[Vv][0-9]+");
        assert_eq!(p("(?i)[a-c_]x"), "[A-C_a-c][Xx]");
        assert_eq!(p("(?i)[^a]"), "[^Aa]");
        assert_eq!(p("/a(?i:b)c"), "/a[Bb]c");
        assert_eq!(p("(?i)/é"), "/[Éé]");
        // A range across letters and others: each letter in it gains its other case.
        assert_eq!(p("(?i)[0-c]"), "[0-z]");
        assert_eq!(p("(?i)/a(?-i)b"), "/[Aa]b");
    }

    #[test]
    fn groups_escapes_and_classes() {
        assert_eq!(p("^(?:(?i)/x(/|$)(.*))$"), "^/[Xx](/|$)(.*)$");
        assert_eq!(p("(?:a|b)c"), "(a|b)c");
        assert_eq!(p("(?:ab)+"), "(ab)+");
        assert_eq!(p(r"\d+\.\w\s"), "[0-9]+\\.[0-9A-Z_a-z][\t ]");
        assert_eq!(p(r"[\d.]"), "[.0-9]");
        assert_eq!(p(r"\/a\-b"), "/a-b");
        assert_eq!(p(r"\x41\Aa\z"), "A^a$");
        assert_eq!(p("(?P<id>[0-9]+)"), "([0-9]+)");
        assert_eq!(p("a+?"), "a+");
        assert_eq!(p(r"[\]\\-]"), r"[\-\\\]]");
        assert_eq!(p("a{2,3}b{2,}c{4}"), "a{2,3}b{2,}c{4}");
        assert!(p(r"\bx").starts_with("ERR"));
        assert!(p(r"\pL").starts_with("ERR"));
        assert!(to_portable("(a+?)", true).is_err());
    }

    #[test]
    fn groups_are_renumbered_for_substitutions() {
        let r = to_portable("^(?:(?i)/catalog(/|$)(.*))$", true).unwrap();
        assert_eq!(r.pattern, "^/[Cc][Aa][Tt][Aa][Ll][Oo][Gg](/|$)(.*)$");
        assert_eq!(r.renumber(r"/items/\2"), r"/items/\2");
        let r = to_portable("(?:a|b)(x)(?:c|d)(y)", true).unwrap();
        assert_eq!(r.pattern, "(a|b)(x)(c|d)(y)");
        assert_eq!(r.renumber(r"\1-\2\\3"), r"\2-\4\\3");
    }

    /// Same matches (and same captures for the mapped groups) on supported
    /// inputs, checked with the `regex` crate on generated strings.
    #[test]
    fn portable_patterns_match_the_same_inputs() {
        let patterns = [
            "(?i)/user.*",
            "^(?:(?i)/catalog(/|$)(.*))$",
            "(?i)^/api/v[0-9]+/[a-z_]+$",
            r"^/a\d{2,3}(?:x|y)?\w*$",
            "(?i)[^b-d]+",
            "/(?i:ab)(?-i:c)",
            r"^/x\s+y$",
            "(?i)[0-c]*",
        ];
        let alphabet: Vec<char> = "aAbBcCdDxXyYzZ_/.-09 \tuUsSeErR".chars().collect();
        let mut inputs = vec![String::new()];
        for len in 1..=4 {
            let mut next = Vec::new();
            for s in inputs.iter().filter(|s| s.chars().count() == len - 1) {
                for c in &alphabet {
                    next.push(format!("{s}{c}"));
                }
            }
            inputs.extend(next);
        }
        for words in [
            "/user",
            "/USERS",
            "/catalog/x",
            "/Catalog",
            "/api/v2/a_b",
            "/a12y",
            "/a123",
        ] {
            inputs.push(words.to_string());
        }
        for re in patterns {
            let conv = to_portable(re, true).unwrap();
            let a = regex::Regex::new(re).unwrap();
            let b = regex::Regex::new(&conv.pattern).unwrap();
            for s in &inputs {
                assert_eq!(
                    a.is_match(s),
                    b.is_match(s),
                    "{re} vs {} on {s:?}",
                    conv.pattern
                );
                if let (Some(ca), Some(cb)) = (a.captures(s), b.captures(s)) {
                    for (old, new) in &conv.groups {
                        assert_eq!(
                            ca.get(*old as usize).map(|m| m.as_str()),
                            cb.get(*new as usize).map(|m| m.as_str()),
                            "{re} group {old} on {s:?}"
                        );
                    }
                }
            }
        }
    }
}
