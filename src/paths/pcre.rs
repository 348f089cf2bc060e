//! PCRE lexing before the `regex-syntax` parser sees a pattern.
//!
//! nginx compiles location regexes with PCRE; `regex-syntax` parses Rust/RE2
//! syntax. The two agree on almost everything paths use, but not on all of it:
//! PCRE reads `{id}` (not a valid quantifier) as literal text and `[` / `&&` / `~~`
//! inside a class as literals, and `\<` as a literal `<`, where `regex-syntax`
//! reads a repetition, a nested class, set operators and a word-boundary. Other
//! PCRE constructs have no RE2 equivalent at all (look-around, back-references,
//! possessive quantifiers, atomic groups, `\Q…\E`, conditionals, recursion, `\K`,
//! backtracking verbs); `regex-syntax` either rejects them with a generic error or,
//! for possessive quantifiers, silently reads something else (`a*+` as `(a*)+`).
//!
//! [`prepare`] walks the pattern once with PCRE's lexical rules, names the first
//! PCRE-only construct with its byte offset, and otherwise returns an equivalent
//! spelling for `regex-syntax` plus a map from its offsets back to the original.

use super::regex::RegexError;

/// The pattern respelled for `regex-syntax`, with offsets back into the original.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub text: String,
    /// `origin[i]`: byte offset in the original pattern of byte `i` of `text`
    /// (one extra entry for the end).
    origin: Vec<usize>,
}

impl Prepared {
    /// Byte offset in the original pattern for offset `i` of [`Prepared::text`].
    pub fn original_offset(&self, i: usize) -> usize {
        self.origin
            .get(i)
            .copied()
            .unwrap_or_else(|| *self.origin.last().unwrap_or(&0))
    }
    fn push(&mut self, s: &str, at: usize) {
        self.text.push_str(s);
        self.origin.extend(std::iter::repeat_n(at, s.len()));
    }
}

fn err(construct: &str, offset: usize, message: &str) -> RegexError {
    RegexError {
        construct: construct.to_string(),
        offset,
        message: message.to_string(),
    }
}

/// A valid PCRE quantifier `{n}`, `{n,}`, `{n,m}` starting at `s[0] == '{'`: its length.
fn quantifier_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if i < b.len() && b[i] == b',' {
        i += 1;
        digits(&mut i);
    }
    (i < b.len() && b[i] == b'}').then_some(i + 1)
}

/// What an escape `\c` (outside a class) is for PCRE when RE2 lacks it.
fn unsupported_escape(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        'Q' | 'E' => (
            "\\Q…\\E quoting",
            "RE2 has no quoting mode; escape each metacharacter instead",
        ),
        'K' => ("\\K (match start reset)", "RE2 has no \\K"),
        'G' => ("\\G (first match position)", "RE2 has no \\G"),
        'R' => ("\\R (any newline sequence)", "RE2 has no \\R"),
        'X' => ("\\X (extended grapheme cluster)", "RE2 has no \\X"),
        'C' => ("\\C (single code unit)", "RE2 has no \\C"),
        'N' => ("\\N (non-newline)", "use `.` instead"),
        'h' | 'H' => (
            "\\h/\\H (horizontal whitespace class)",
            "RE2 has no \\h; write the class out",
        ),
        'v' | 'V' => (
            "\\v/\\V (vertical whitespace class)",
            "RE2 reads \\v as a single vertical-tab character",
        ),
        'e' => ("\\e (escape character)", "write \\x1b instead"),
        'c' => ("\\c (control character)", "write \\xHH instead"),
        'o' => ("\\o{…} (octal escape)", "write \\xHH instead"),
        '0' => ("octal escape", "write \\xHH instead"),
        '1'..='9' | 'g' | 'k' => ("back-reference", "RE2 cannot match a group's text again"),
        'p' | 'P' => (
            "Unicode property class",
            "nginx's PCRE works on bytes without UTF mode, RE2 on code points; the two read \\p differently",
        ),
        'u' | 'U' | 'l' | 'L' => ("case-changing escape", "not a PCRE2 pattern escape"),
        'b' | 'B' | 'd' | 'D' | 'w' | 'W' | 's' | 'S' | 'A' | 'z' | 'Z' | 'n' | 'r' | 't' | 'f'
        | 'a' | 'x' => return None,
        c if c.is_ascii_alphanumeric() => ("unknown escape", "PCRE rejects it"),
        _ => return None,
    })
}

/// Names the PCRE group construct starting at `s` (`s` begins with `(?` or `(*`).
fn unsupported_group(s: &str) -> Option<(&'static str, &'static str)> {
    let rest = &s[1..];
    if rest.starts_with('*') {
        return Some((
            "(*…) verb or start-of-pattern option",
            "RE2 has no backtracking control verbs",
        ));
    }
    let r = rest.strip_prefix('?')?;
    let la = "RE2 has no look-around; it guarantees linear-time matching";
    Some(match r.chars().next()? {
        '=' | '!' => ("look-ahead", la),
        '<' if r.starts_with("<=") || r.starts_with("<!") => ("look-behind", la),
        '<' => return None, // (?<name>…): named group, fine.
        '>' => (
            "atomic group",
            "RE2 has no atomic groups; a plain group usually matches the same paths",
        ),
        '|' => ("branch-reset group", "RE2 has no branch reset"),
        '#' => ("comment group", "remove the comment"),
        '(' => ("conditional group", "RE2 has no conditionals"),
        'R' | '0'..='9' | '+' | '&' => ("recursion or subroutine call", "RE2 has no recursion"),
        '-' if r[1..].starts_with(|c: char| c.is_ascii_digit()) => {
            ("recursion or subroutine call", "RE2 has no recursion")
        }
        'P' if r.starts_with("P>") => ("recursion or subroutine call", "RE2 has no recursion"),
        'P' if r.starts_with("P=") => ("back-reference", "RE2 cannot match a group's text again"),
        'P' => return None,
        'C' => ("callout", "RE2 has no callouts"),
        '\'' => ("(?'name'…) named group", "write (?P<name>…) instead"),
        _ => {
            // Option setting: only flags RE2 shares with PCRE.
            let flags: String = r.chars().take_while(|c| *c != ')' && *c != ':').collect();
            if flags.chars().all(|c| "imsU-".contains(c)) {
                return None;
            }
            if flags.contains('x') {
                (
                    "(?x) extended mode",
                    "RE2 has no extended mode; remove the whitespace and comments",
                )
            } else {
                (
                    "PCRE option setting",
                    "RE2 supports only the i, m, s and U options",
                )
            }
        }
    })
}

/// Lexes `pattern` with PCRE rules; see the module documentation.
pub fn prepare(pattern: &str) -> Result<Prepared, RegexError> {
    let mut out = Prepared {
        text: String::with_capacity(pattern.len() + 8),
        origin: Vec::with_capacity(pattern.len() + 9),
    };
    let mut chars = pattern.char_indices().peekable();
    // Set after a quantifier: a following `+` makes it possessive.
    let mut after_quantifier = false;
    while let Some((i, c)) = chars.next() {
        let quantified = std::mem::take(&mut after_quantifier);
        match c {
            '\\' => {
                let Some(&(_, n)) = chars.peek() else {
                    return Err(err(
                        "trailing backslash",
                        i,
                        "the pattern ends in the middle of an escape",
                    ));
                };
                chars.next();
                if let Some((construct, why)) = unsupported_escape(n) {
                    return Err(err(construct, i, why));
                }
                match n {
                    // PCRE: an escaped non-alphanumeric is that character; regex-syntax
                    // reads `\<`/`\>` as word boundaries.
                    '<' | '>' => out.push(&n.to_string(), i),
                    // Same meaning as `$` without multi-line mode.
                    'Z' => out.push("\\z", i),
                    // `\x{…}`: copy the braces, they are not a quantifier.
                    'x' if pattern[i + 2..].starts_with('{') => {
                        let end = pattern[i + 2..]
                            .find('}')
                            .map_or(pattern.len(), |e| i + 2 + e + 1);
                        let text = &pattern[i..end];
                        for _ in 2..text.chars().count() {
                            chars.next();
                        }
                        out.push(text, i);
                    }
                    _ => out.push(&format!("\\{n}"), i),
                }
            }
            '(' => {
                if let Some((construct, why)) = unsupported_group(&pattern[i..]) {
                    return Err(err(construct, i, why));
                }
                out.push("(", i);
            }
            '*' | '+' | '?' if quantified && c == '+' => {
                return Err(err(
                    "possessive quantifier",
                    i,
                    "RE2 has no possessive quantifiers; drop the `+`",
                ));
            }
            '*' | '+' | '?' => {
                out.push(&c.to_string(), i);
                after_quantifier = true;
                if let Some(&(j, '?')) = chars.peek() {
                    // Lazy quantifier; `*?+` is not valid PCRE either.
                    chars.next();
                    out.push("?", j);
                    after_quantifier = false;
                }
            }
            '{' => match quantifier_len(&pattern[i..]) {
                Some(len) => {
                    for _ in 1..len {
                        chars.next();
                    }
                    out.push(&pattern[i..i + len], i);
                    after_quantifier = true;
                    if let Some(&(j, '?')) = chars.peek() {
                        chars.next();
                        out.push("?", j);
                        after_quantifier = false;
                    }
                }
                None if pattern[i..].starts_with("{,") => {
                    return Err(err(
                        "`{,n}` quantifier",
                        i,
                        "PCRE2 before 10.43 reads it as literal text, later versions as a quantifier; write `{0,n}` or `\\{`",
                    ));
                }
                // Not a quantifier: PCRE matches the brace literally.
                None => out.push("\\{", i),
            },
            '}' => out.push("\\}", i),
            '[' => class(pattern, i, &mut chars, &mut out)?,
            _ => out.push(&c.to_string(), i),
        }
    }
    out.origin.push(pattern.len());
    Ok(out)
}

/// Copies a bracketed class starting at `start` (the `[`), respelling PCRE literals.
fn class(
    pattern: &str,
    start: usize,
    chars: &mut std::iter::Peekable<std::str::CharIndices>,
    out: &mut Prepared,
) -> Result<(), RegexError> {
    out.push("[", start);
    if let Some(&(j, '^')) = chars.peek() {
        chars.next();
        out.push("^", j);
    }
    // A `]` right after `[` or `[^` is a literal in both syntaxes.
    if let Some(&(j, ']')) = chars.peek() {
        chars.next();
        out.push("\\]", j);
    }
    while let Some((i, c)) = chars.next() {
        match c {
            ']' => {
                out.push("]", i);
                return Ok(());
            }
            '\\' => {
                let Some((_, n)) = chars.next() else { break };
                if n == 'b' {
                    return Err(err(
                        "\\b inside a class (backspace)",
                        i,
                        "write \\x08 instead",
                    ));
                }
                if let Some((construct, why)) = unsupported_escape(n) {
                    return Err(err(construct, i, why));
                }
                match n {
                    'Z' | 'A' | 'z' | 'B' => {
                        return Err(err("assertion escape inside a class", i, "PCRE rejects it"));
                    }
                    _ => out.push(&format!("\\{n}"), i),
                }
            }
            '[' if pattern[i..].starts_with("[:") => {
                // POSIX class `[:name:]` (or `[:^name:]`): same in both syntaxes.
                let Some(end) = pattern[i..].find(":]") else {
                    out.push("\\[", i);
                    continue;
                };
                let text = &pattern[i..i + end + 2];
                for _ in 1..text.chars().count() {
                    chars.next();
                }
                out.push(text, i);
            }
            // PCRE: literal; regex-syntax: nested class or set operators.
            '[' => out.push("\\[", i),
            '&' => out.push("\\&", i),
            '~' => out.push("\\~", i),
            '-' if pattern[i + 1..].starts_with('-') => {
                return Err(err(
                    "`--` inside a class",
                    i,
                    "RE2-style parsers read it as class subtraction; escape the hyphens",
                ));
            }
            _ => out.push(&c.to_string(), i),
        }
    }
    Err(err(
        "unclosed character class",
        start,
        "the `[` has no matching `]` (nginx would refuse this pattern too)",
    ))
}
