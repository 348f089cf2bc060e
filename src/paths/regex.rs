//! nginx `location ~* "^P"` → an RE2 full-match pattern with the same meaning.
//!
//! ## What ingress-nginx does
//! In regex mode every path `P` becomes `location ~* "^P"`: PCRE, caseless,
//! searched in the normalised URI. `^` is pasted in front of the text, so it
//! anchors only the first branch of a top-level alternation (`/a|/b` is
//! `^/a|/b`: the second branch matches anywhere in the URI). Nothing anchors the
//! end: anything may follow a match.
//!
//! ## What Gateway API offers
//! `RegularExpression` path matches; Envoy-based implementations use RE2 and
//! match the whole path (full match), case-sensitively unless `(?i)`.
//!
//! ## What we emit
//! The pattern parsed with `regex-syntax` (after [`super::pcre::prepare`] has
//! respelled PCRE-only literals and rejected PCRE-only constructs) and printed
//! again: `(?i)` in front, leading `^`/`\A` of anchored branches and trailing
//! `$`/`\z` dropped (they are implied by full match), `.*` appended where
//! anything may follow and prepended to branches nginx does not anchor
//! (`(?i)/users/(\d+).*`). Capture groups keep their numbers. The result uses
//! only syntax RE2 and the `regex` crate share.
//!
//! ## Known limits
//! nginx's PCRE works on bytes (no UTF mode); RE2 on UTF-8 code points. For
//! ASCII paths (Envoy matches the still-percent-encoded path) the two agree; on
//! raw non-ASCII bytes `.` and case folding can differ. A raw newline cannot
//! occur in a request path, so `.` not matching `\n` is not modelled.

use regex_syntax::ast::{self, Ast};
use std::fmt;

pub use super::rewrite_idiom::{RewriteTranslation, classify_rewrite, re2_substitution};
pub use super::sample::{full_match, sample_paths};

/// How to read a path regex (both true: what ingress-nginx does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegexOptions {
    /// `~*`: match case-insensitively.
    pub case_insensitive: bool,
    /// Anchored only at the start: anything may follow a match.
    pub prefix: bool,
}

impl Default for RegexOptions {
    fn default() -> Self {
        RegexOptions {
            case_insensitive: true,
            prefix: true,
        }
    }
}

/// A path regex translated for Gateway API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayRegex {
    /// RE2 syntax, full-match semantics.
    pub pattern: String,
    /// Set when the nginx pattern is really a literal path (`/v1/api`, `/a\.b`):
    /// the emitted pattern is then that text (escaped), plus `.*` in prefix mode.
    /// Percent-encoded as a client sends it (`/caf%C3%A9` for `/café`).
    pub literal: Option<String>,
    /// Number of capture groups (numbered as in the nginx pattern).
    pub capture_groups: usize,
    /// A top-level branch after the first is not anchored (`/a|/b`: nginx's `^`
    /// applies to `/a` only, `/b` matches anywhere in the path).
    pub floating_branches: bool,
}

/// A pattern that cannot be translated exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError {
    /// The construct, e.g. `look-ahead`, `possessive quantifier`.
    pub construct: String,
    /// Byte offset in the nginx pattern.
    pub offset: usize,
    /// Why, and what to do instead.
    pub message: String,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at byte {}: {}",
            self.construct, self.offset, self.message
        )
    }
}

impl std::error::Error for RegexError {}

/// RE2 rejects counted repetitions above this.
const RE2_MAX_REPEAT: u32 = 1000;

/// Parses an nginx (PCRE) path pattern into a `regex-syntax` AST.
pub(crate) fn parse_pcre(pattern: &str) -> Result<Ast, RegexError> {
    let prepared = super::pcre::prepare(pattern)?;
    let ast = ast::parse::ParserBuilder::new()
        .nest_limit(64)
        .build()
        .parse(&prepared.text)
        .map_err(|e| RegexError {
            construct: "invalid pattern".into(),
            offset: prepared.original_offset(e.span().start.offset),
            message: format!("{} (nginx would refuse this pattern too)", e.kind()),
        })?;
    Validator {
        prepared: &prepared,
    }
    .check(&ast)?;
    Ok(ast)
}

/// Rejects what parsed but means something else to PCRE or to RE2.
struct Validator<'a> {
    prepared: &'a super::pcre::Prepared,
}

impl Validator<'_> {
    fn fail(&self, construct: &str, span: &ast::Span, message: &str) -> RegexError {
        RegexError {
            construct: construct.into(),
            offset: self.prepared.original_offset(span.start.offset),
            message: message.into(),
        }
    }

    fn check(&self, a: &Ast) -> Result<(), RegexError> {
        match a {
            Ast::Empty(_) | Ast::Literal(_) | Ast::Dot(_) | Ast::ClassPerl(_) => Ok(()),
            Ast::Flags(f) => self.check_flags(&f.flags),
            Ast::Assertion(x) => match x.kind {
                ast::AssertionKind::StartLine
                | ast::AssertionKind::EndLine
                | ast::AssertionKind::StartText
                | ast::AssertionKind::EndText
                | ast::AssertionKind::WordBoundary
                | ast::AssertionKind::NotWordBoundary => Ok(()),
                _ => Err(self.fail(
                    "word-boundary variant",
                    &x.span,
                    "only \\b and \\B exist in both PCRE and RE2",
                )),
            },
            Ast::ClassUnicode(c) => Err(self.fail(
                "Unicode property class",
                &c.span,
                "nginx's PCRE works on bytes, RE2 on code points",
            )),
            Ast::ClassBracketed(c) => self.check_class(&c.kind),
            Ast::Repetition(r) => {
                match &*r.ast {
                    Ast::Repetition(_) => {
                        return Err(self.fail(
                            "quantifier after a quantifier",
                            &r.op.span,
                            "PCRE rejects it (nothing to repeat)",
                        ));
                    }
                    Ast::Assertion(_) | Ast::Empty(_) | Ast::Flags(_) => {
                        return Err(self.fail(
                            "quantified assertion",
                            &r.op.span,
                            "RE2 rejects a quantifier on an assertion",
                        ));
                    }
                    _ => {}
                }
                if let ast::RepetitionKind::Range(range) = &r.op.kind {
                    let (ast::RepetitionRange::Exactly(n)
                    | ast::RepetitionRange::AtLeast(n)
                    | ast::RepetitionRange::Bounded(_, n)) = *range;
                    if n > RE2_MAX_REPEAT {
                        return Err(self.fail(
                            "repetition count above 1000",
                            &r.op.span,
                            "RE2 rejects counted repetitions above 1000",
                        ));
                    }
                }
                self.check(&r.ast)
            }
            Ast::Group(g) => {
                if let ast::GroupKind::NonCapturing(flags) = &g.kind {
                    self.check_flags(flags)?;
                }
                self.check(&g.ast)
            }
            Ast::Alternation(x) => x.asts.iter().try_for_each(|a| self.check(a)),
            Ast::Concat(x) => x.asts.iter().try_for_each(|a| self.check(a)),
        }
    }

    fn check_flags(&self, flags: &ast::Flags) -> Result<(), RegexError> {
        for item in &flags.items {
            if let ast::FlagsItemKind::Flag(
                ast::Flag::Unicode | ast::Flag::CRLF | ast::Flag::IgnoreWhitespace,
            ) = item.kind
            {
                return Err(self.fail(
                    "option not shared by PCRE and RE2",
                    &item.span,
                    "RE2 supports only the i, m, s and U options",
                ));
            }
        }
        Ok(())
    }

    fn check_class(&self, set: &ast::ClassSet) -> Result<(), RegexError> {
        match set {
            ast::ClassSet::BinaryOp(op) => Err(self.fail(
                "class set operation",
                &op.span,
                "PCRE has no class set operations",
            )),
            ast::ClassSet::Item(item) => self.check_class_item(item),
        }
    }

    fn check_class_item(&self, item: &ast::ClassSetItem) -> Result<(), RegexError> {
        use ast::ClassSetItem as I;
        match item {
            I::Unicode(c) => Err(self.fail(
                "Unicode property class",
                &c.span,
                "nginx's PCRE works on bytes, RE2 on code points",
            )),
            I::Bracketed(c) => Err(self.fail(
                "nested class",
                &c.span,
                "PCRE reads `[` inside a class as a literal",
            )),
            I::Union(u) => u.items.iter().try_for_each(|i| self.check_class_item(i)),
            _ => Ok(()),
        }
    }
}

/// Translates the nginx regex path `pattern` (what ingress-nginx renders as
/// `location ~* "^pattern"`) into an RE2 full-match pattern; see the module docs.
pub fn translate_path_regex(pattern: &str, opts: RegexOptions) -> Result<GatewayRegex, RegexError> {
    let ast = parse_pcre(pattern)?;
    let branches: Vec<&Ast> = match &ast {
        Ast::Alternation(a) => a.asts.iter().collect(),
        other => vec![other],
    };
    let mut printed = Vec::with_capacity(branches.len());
    let mut literal = None;
    let mut floating_branches = false;
    for (index, branch) in branches.iter().enumerate() {
        let items: Vec<&Ast> = match branch {
            Ast::Concat(c) => c.asts.iter().collect(),
            Ast::Empty(_) => Vec::new(),
            other => vec![other],
        };
        let shape = BranchShape::of(&items);
        // nginx's `^` anchors only the first branch.
        let anchored_start = index == 0 || shape.anchored_start || !opts.prefix;
        let open_end = opts.prefix && !shape.anchored_end;
        let body = &items[shape.body.clone()];
        let mut s = String::new();
        if !anchored_start {
            floating_branches = true;
            s.push_str(".*");
        }
        for item in body {
            print(item, &mut s);
        }
        if open_end && !ends_with_dot_star(body) {
            s.push_str(".*");
        }
        if branches.len() == 1
            && (!shape.anchored_end || !opts.prefix)
            && body.iter().all(|a| matches!(a, Ast::Literal(_)))
        {
            let mut text = String::new();
            for a in body {
                if let Ast::Literal(l) = a {
                    super::encode::encode_char(l.c, &mut text);
                }
            }
            literal = Some(text);
        }
        printed.push(s);
    }
    let flags = if opts.case_insensitive { "(?i)" } else { "" };
    let pattern = match printed.as_slice() {
        [one] => format!("{flags}{one}"),
        many => format!("{flags}(?:{})", many.join("|")),
    };
    Ok(GatewayRegex {
        pattern,
        literal,
        capture_groups: count_groups(&ast),
        floating_branches,
    })
}

/// An RE2 full-match pattern that matches at least every path nginx's
/// `location ~* "^P"` can match, for a `P` that cannot be translated: the
/// [`cover_literal`] as a client sends it (percent-encoded), caseless,
/// followed by anything.
pub fn cover_pattern(pattern: &str) -> String {
    let literal = super::encode::encode_path(&cover_literal(pattern));
    format!("(?i){}.*", regex_syntax::escape(&literal))
}

/// The literal text every path `~* "^P"` matches starts with (caselessly): the
/// text before the first regex construct, without a last character a
/// quantifier makes optional. A top-level `|` leaves later branches
/// unanchored, so then it is empty.
pub fn cover_literal(pattern: &str) -> String {
    const META: &[char] = &[
        '\\', '^', '$', '.', '[', ']', '|', '(', ')', '?', '*', '+', '{', '}',
    ];
    if has_top_level_alternation(pattern) {
        return String::new();
    }
    let end = pattern.find(META).unwrap_or(pattern.len());
    let mut literal = pattern.get(..end).unwrap_or_default().to_string();
    if pattern
        .get(end..)
        .is_some_and(|rest| rest.starts_with(['?', '*', '{']))
    {
        literal.pop();
    }
    literal
}

/// Whether `pattern` has a `|` outside any group and character class.
fn has_top_level_alternation(pattern: &str) -> bool {
    let mut depth = 0usize;
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            ']' if in_class => in_class = false,
            _ if in_class => {}
            '[' => {
                in_class = true;
                // `[]…]` and `[^]…]`: a leading `]` is literal.
                let rest = chars.as_str();
                let skip = if rest.starts_with("^]") {
                    2
                } else {
                    usize::from(rest.starts_with(']'))
                };
                for _ in 0..skip {
                    chars.next();
                }
            }
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// The literal `L` when `pattern` is exactly what [`translate_path_regex`] emits
/// for a literal path under `opts` (`(?i)L.*` by default), else `None`.
pub fn literal_of_pattern(pattern: &str, opts: RegexOptions) -> Option<String> {
    let rest = if opts.case_insensitive {
        pattern.strip_prefix("(?i)")?
    } else {
        pattern
    };
    let body = if opts.prefix {
        rest.strip_suffix(".*")?
    } else {
        rest
    };
    // Each of these, unescaped, parses to something other than a literal (or
    // fails to parse): a large regex host's patterns are ruled out unparsed.
    if has_unescaped(body, b".[()|+*?^$") {
        return None;
    }
    literal_of_body(body)
}

/// [`literal_of_pattern`] of the part between the flags and `.*`, parsed.
pub(crate) fn literal_of_body(body: &str) -> Option<String> {
    let ast = ast::parse::Parser::new().parse(body).ok()?;
    let items: Vec<&Ast> = match &ast {
        Ast::Concat(c) => c.asts.iter().collect(),
        Ast::Empty(_) => Vec::new(),
        other => vec![other],
    };
    items
        .iter()
        .map(|a| match a {
            Ast::Literal(l) => Some(l.c),
            _ => None,
        })
        .collect()
}

/// The requests nginx's `~* "^P"` matches, when they are "starts with a literal".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralSet {
    pub literal: String,
    /// `L(/|$)…`: only `L` itself and `L/…` (a segment prefix), not `Lx`.
    pub segment: bool,
}

/// Recognises `L`, `L.*`, `L(.*)`, `L(/|$)`, `L(/|$)(.*)` (optionally `^`-anchored).
pub fn literal_set(pattern: &str) -> Option<LiteralSet> {
    // PCRE reads each of these, unescaped, as a class or a quantifier these
    // shapes do not have: ruled out unparsed.
    if has_unescaped(pattern, b"[+") {
        return None;
    }
    parsed_literal_set(pattern)
}

/// [`literal_set`], parsed whatever the pattern holds.
pub(crate) fn parsed_literal_set(pattern: &str) -> Option<LiteralSet> {
    use super::rewrite_idiom::{is_rest_group, is_slash_or_end_group};
    let ast = parse_pcre(pattern).ok()?;
    let items: Vec<&Ast> = match &ast {
        Ast::Concat(c) => c.asts.iter().collect(),
        Ast::Alternation(_) => return None,
        other => vec![other],
    };
    let shape = BranchShape::of(&items);
    if shape.anchored_end {
        return None;
    }
    let body = &items[shape.body];
    let lits = body
        .iter()
        .take_while(|a| matches!(a, Ast::Literal(_)))
        .count();
    let literal: String = body[..lits]
        .iter()
        .filter_map(|a| match a {
            Ast::Literal(l) => Some(l.c),
            _ => None,
        })
        .collect();
    let is_any = |a: &Ast| is_rest_group(a) || ends_with_dot_star(&[a]);
    let segment = match &body[lits..] {
        [] => false,
        [a] if is_any(a) => false,
        [g] if is_slash_or_end_group(g) => true,
        [g, a] if is_slash_or_end_group(g) && is_any(a) => true,
        _ => return None,
    };
    Some(LiteralSet { literal, segment })
}

/// Whether `pattern` has one of `bytes` outside a backslash escape.
fn has_unescaped(pattern: &str, bytes: &[u8]) -> bool {
    let mut escaped = false;
    pattern.bytes().any(|b| {
        let hit = !escaped && bytes.contains(&b);
        escaped = !escaped && b == b'\\';
        hit
    })
}

/// Where a top-level branch is anchored, and which items remain once the
/// anchors that full-match semantics imply are removed.
struct BranchShape {
    anchored_start: bool,
    anchored_end: bool,
    body: std::ops::Range<usize>,
}

impl BranchShape {
    fn of(items: &[&Ast]) -> BranchShape {
        let is_start = |a: &Ast| matches!(a, Ast::Assertion(x) if matches!(x.kind, ast::AssertionKind::StartLine | ast::AssertionKind::StartText));
        let is_end = |a: &Ast| matches!(a, Ast::Assertion(x) if matches!(x.kind, ast::AssertionKind::EndLine | ast::AssertionKind::EndText));
        let mut start = 0;
        let mut anchored_start = false;
        while start < items.len() && is_start(items[start]) {
            anchored_start = true;
            start += 1;
        }
        let mut end = items.len();
        let mut anchored_end = false;
        while end > start && is_end(items[end - 1]) {
            anchored_end = true;
            end -= 1;
        }
        BranchShape {
            anchored_start,
            anchored_end,
            body: start..end,
        }
    }
}

/// True when the body already ends in `.*` (optionally captured): no suffix needed.
fn ends_with_dot_star(body: &[&Ast]) -> bool {
    fn is_dot_star(a: &Ast) -> bool {
        match a {
            Ast::Repetition(r) => {
                r.op.kind == ast::RepetitionKind::ZeroOrMore && matches!(*r.ast, Ast::Dot(_))
            }
            Ast::Group(g) if !matches!(g.kind, ast::GroupKind::NonCapturing(_)) => {
                is_dot_star(&g.ast)
            }
            _ => false,
        }
    }
    body.last().is_some_and(|a| is_dot_star(a))
}

/// Number of capture groups in `a`.
pub(crate) fn count_groups(a: &Ast) -> usize {
    match a {
        Ast::Group(g) => {
            usize::from(!matches!(g.kind, ast::GroupKind::NonCapturing(_))) + count_groups(&g.ast)
        }
        Ast::Repetition(r) => count_groups(&r.ast),
        Ast::Alternation(x) => x.asts.iter().map(count_groups).sum(),
        Ast::Concat(x) => x.asts.iter().map(count_groups).sum(),
        _ => 0,
    }
}

/// A literal character outside a class, in syntax RE2 and `regex` share. A
/// character a client sends percent-encoded is matched in that form
/// ([`super::encode`]): Gateway API implementations match the path as sent.
fn push_literal(c: char, out: &mut String) {
    if !super::encode::is_path_char(c) {
        super::encode::encode_char(c, out);
        return;
    }
    // Meta only inside classes (or in extended mode, which is rejected): kept readable.
    if matches!(c, '-' | '&' | '~' | '#') {
        out.push(c);
    } else if regex_syntax::is_meta_character(c) {
        out.push('\\');
        out.push(c);
    } else if c.is_ascii_graphic() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:x}}}", c as u32));
    }
}

/// A literal character inside a class.
fn push_class_literal(c: char, out: &mut String) {
    if matches!(c, '\\' | ']' | '[' | '^' | '-' | '&' | '~') {
        out.push('\\');
        out.push(c);
    } else if c.is_ascii_graphic() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:x}}}", c as u32));
    }
}

fn push_flags(flags: &ast::Flags, out: &mut String) {
    for item in &flags.items {
        out.push(match item.kind {
            ast::FlagsItemKind::Negation => '-',
            ast::FlagsItemKind::Flag(ast::Flag::CaseInsensitive) => 'i',
            ast::FlagsItemKind::Flag(ast::Flag::MultiLine) => 'm',
            ast::FlagsItemKind::Flag(ast::Flag::DotMatchesNewLine) => 's',
            ast::FlagsItemKind::Flag(ast::Flag::SwapGreed) => 'U',
            // Rejected by the validator.
            ast::FlagsItemKind::Flag(_) => continue,
        });
    }
}

fn perl_class(c: &ast::ClassPerl) -> &'static str {
    match (&c.kind, c.negated) {
        (ast::ClassPerlKind::Digit, false) => "\\d",
        (ast::ClassPerlKind::Digit, true) => "\\D",
        (ast::ClassPerlKind::Space, false) => "\\s",
        (ast::ClassPerlKind::Space, true) => "\\S",
        (ast::ClassPerlKind::Word, false) => "\\w",
        (ast::ClassPerlKind::Word, true) => "\\W",
    }
}

/// Prints a validated AST node.
fn print(a: &Ast, out: &mut String) {
    match a {
        Ast::Empty(_) => {}
        Ast::Flags(f) => {
            out.push_str("(?");
            push_flags(&f.flags, out);
            out.push(')');
        }
        Ast::Literal(l) => push_literal(l.c, out),
        Ast::Dot(_) => out.push('.'),
        Ast::Assertion(x) => out.push_str(match x.kind {
            ast::AssertionKind::StartLine => "^",
            ast::AssertionKind::EndLine => "$",
            ast::AssertionKind::StartText => "\\A",
            ast::AssertionKind::EndText => "\\z",
            ast::AssertionKind::NotWordBoundary => "\\B",
            _ => "\\b",
        }),
        Ast::ClassPerl(c) => out.push_str(perl_class(c)),
        Ast::ClassUnicode(_) => {}
        Ast::ClassBracketed(c) => {
            out.push('[');
            if c.negated {
                out.push('^');
            }
            if let ast::ClassSet::Item(item) = &c.kind {
                print_class_item(item, out);
            }
            out.push(']');
        }
        Ast::Repetition(r) => {
            // A percent-encoded literal is several characters: repeat all of them.
            let encoded = matches!(&*r.ast, Ast::Literal(l) if !super::encode::is_path_char(l.c));
            if encoded {
                out.push_str("(?:");
            }
            print(&r.ast, out);
            if encoded {
                out.push(')');
            }
            match &r.op.kind {
                ast::RepetitionKind::ZeroOrOne => out.push('?'),
                ast::RepetitionKind::ZeroOrMore => out.push('*'),
                ast::RepetitionKind::OneOrMore => out.push('+'),
                ast::RepetitionKind::Range(ast::RepetitionRange::Exactly(n)) => {
                    out.push_str(&format!("{{{n}}}"))
                }
                ast::RepetitionKind::Range(ast::RepetitionRange::AtLeast(n)) => {
                    out.push_str(&format!("{{{n},}}"))
                }
                ast::RepetitionKind::Range(ast::RepetitionRange::Bounded(m, n)) => {
                    out.push_str(&format!("{{{m},{n}}}"))
                }
            }
            if !r.greedy {
                out.push('?');
            }
        }
        Ast::Group(g) => {
            match &g.kind {
                ast::GroupKind::CaptureIndex(_) => out.push('('),
                ast::GroupKind::CaptureName { name, .. } => {
                    out.push_str(&format!("(?P<{}>", name.name))
                }
                ast::GroupKind::NonCapturing(flags) => {
                    out.push_str("(?");
                    push_flags(flags, out);
                    out.push(':');
                }
            }
            print(&g.ast, out);
            out.push(')');
        }
        Ast::Alternation(x) => {
            for (i, b) in x.asts.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                print(b, out);
            }
        }
        Ast::Concat(x) => x.asts.iter().for_each(|a| print(a, out)),
    }
}

fn print_class_item(item: &ast::ClassSetItem, out: &mut String) {
    use ast::ClassSetItem as I;
    match item {
        I::Empty(_) | I::Unicode(_) | I::Bracketed(_) => {}
        I::Literal(l) => push_class_literal(l.c, out),
        I::Range(r) => {
            push_class_literal(r.start.c, out);
            out.push('-');
            push_class_literal(r.end.c, out);
        }
        I::Ascii(a) => {
            out.push_str("[:");
            if a.negated {
                out.push('^');
            }
            out.push_str(a.kind.as_str_name());
            out.push_str(":]");
        }
        I::Perl(p) => out.push_str(perl_class(p)),
        I::Union(u) => u.items.iter().for_each(|i| print_class_item(i, out)),
    }
}

trait AsciiName {
    fn as_str_name(&self) -> &'static str;
}

impl AsciiName for ast::ClassAsciiKind {
    fn as_str_name(&self) -> &'static str {
        use ast::ClassAsciiKind as K;
        match self {
            K::Alnum => "alnum",
            K::Alpha => "alpha",
            K::Ascii => "ascii",
            K::Blank => "blank",
            K::Cntrl => "cntrl",
            K::Digit => "digit",
            K::Graph => "graph",
            K::Lower => "lower",
            K::Print => "print",
            K::Punct => "punct",
            K::Space => "space",
            K::Upper => "upper",
            K::Word => "word",
            K::Xdigit => "xdigit",
        }
    }
}

#[cfg(test)]
#[path = "regex_tests.rs"]
mod tests;
