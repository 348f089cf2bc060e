//! A small nginx configuration parser for snippet annotations.
//!
//! The tokenizer reproduces nginx's own (`ngx_conf_read_token` in
//! `src/core/ngx_conf_file.c`) byte for byte, because any difference lets a
//! directive hide from ing2gw while nginx enforces it:
//!
//! - only space, tab, CR and LF separate tokens; form feed, vertical tab, NBSP,
//!   NEL, U+2028 and every other byte are word characters;
//! - at the start of a token: `;` ends the directive, `{` opens its block (both
//!   an error before the directive's name), `}` closes the enclosing block (an
//!   error when a directive is pending), `#` comments out the rest of the line,
//!   `"` and `'` open a quoted token;
//! - inside an unquoted token only space, tab, CR, LF, `;` and `{` end it: `}`,
//!   `#` and quotes are part of the word (`all}` is one word);
//! - `$` makes the following run of `{` part of the token (`${var}`), nothing more:
//!   the `}` that closes a variable is an ordinary word character;
//! - a backslash makes the next byte ordinary (inside and outside quotes); only
//!   `\"`, `\'`, `\\`, `\n`, `\r`, `\t` are unescaped, other backslashes stay
//!   (regexes keep `\d`, `\.`);
//! - a closing quote must be followed by a separator, `;`, `{` or `)` (for
//!   `if ($a = "b")`); anything else is nginx's "unexpected" error.
//!
//! A snippet is pasted inside a location (or server) block and followed by a
//! newline, so its end acts as a line end. Positions are 1-based line/column
//! (characters) inside the snippet text.

use std::fmt;

/// A position inside the snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// One argument as nginx sees it after unquoting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub value: String,
    pub quoted: bool,
}

/// A directive: `name args… ;` or `name args… { block }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub args: Vec<Arg>,
    pub block: Option<Vec<Directive>>,
    pub pos: Pos,
    /// The directive's source text, whitespace collapsed; a block shows as `{ … }`.
    pub text: String,
}

impl Directive {
    pub fn arg(&self, i: usize) -> Option<&str> {
        self.args.get(i).map(|a| a.value.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub pos: Pos,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.message, self.pos)
    }
}

/// The separators of `ngx_conf_read_token`: nothing else (no Unicode spaces).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// nginx's unescaping of a finished token (the same inside and outside quotes).
fn unescape(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        if b == b'\\' {
            match raw.get(i + 1) {
                Some(&e @ (b'"' | b'\'' | b'\\')) => {
                    out.push(e);
                    i += 2;
                    continue;
                }
                Some(b't') => {
                    out.push(b'\t');
                    i += 2;
                    continue;
                }
                Some(b'r') => {
                    out.push(b'\r');
                    i += 2;
                    continue;
                }
                Some(b'n') => {
                    out.push(b'\n');
                    i += 2;
                    continue;
                }
                _ => {}
            }
        }
        out.push(b);
        i += 1;
    }
    // Only ASCII bytes are removed or replaced, so the text stays UTF-8.
    String::from_utf8_lossy(&out).into_owned()
}

/// How a run of tokens ended (`ngx_conf_read_token`'s return values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// `;`
    Directive,
    /// `{`
    BlockStart,
    /// `}` with no pending token, at this position.
    BlockDone(Pos),
    /// End of the snippet with no pending token.
    Done,
}

/// One token of a directive, with its byte offset and position.
struct Word {
    arg: Arg,
    start: usize,
    pos: Pos,
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    i: usize,
    line: usize,
    column: usize,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            i: 0,
            line: 1,
            column: 1,
        }
    }
    fn offset(&self) -> usize {
        self.i
    }
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }
    /// Consumes one byte; columns count characters (UTF-8 continuation bytes add none).
    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if b & 0xC0 != 0x80 {
            self.column += 1;
        }
        Some(b)
    }
    fn error<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            message: message.into(),
            pos: self.pos(),
        })
    }

    /// Reads the tokens of one directive up to `;`, `{`, a `}` or the end, with
    /// `ngx_conf_read_token`'s state machine.
    fn read_tokens(&mut self, words: &mut Vec<Word>) -> Result<End, ParseError> {
        let mut need_space = false;
        let mut last_space = true;
        let mut comment = false;
        let mut variable = false;
        let mut escaped = false;
        // The quote of the current token, if quoted.
        let mut quote: Option<u8> = None;
        let mut start = 0;
        let mut start_pos = self.pos();
        loop {
            let here = self.pos();
            let Some(ch) = self.bump() else {
                // The snippet is followed by a newline in nginx's configuration:
                // a comment ends there, anything else pending is incomplete.
                if !words.is_empty() || !last_space || escaped || quote.is_some() {
                    let message = match quote {
                        Some(q) => format!(
                            "unexpected end of snippet inside a {}-quoted string",
                            q as char
                        ),
                        _ => match words.first() {
                            Some(w) => format!(
                                "unexpected end of snippet: directive `{}` is not terminated by `;`",
                                w.arg.value
                            ),
                            None => "unexpected end of snippet: directive is not terminated by `;`"
                                .to_string(),
                        },
                    };
                    return Err(ParseError {
                        message,
                        pos: words.first().map_or(start_pos, |w| w.pos),
                    });
                }
                return Ok(End::Done);
            };
            if ch == b'\n' {
                comment = false;
            }
            if comment {
                continue;
            }
            if escaped {
                escaped = false;
                continue;
            }
            if need_space {
                if is_space(ch) {
                    last_space = true;
                    need_space = false;
                    continue;
                }
                match ch {
                    b';' => return Ok(End::Directive),
                    b'{' => return Ok(End::BlockStart),
                    b')' => {
                        last_space = true;
                        need_space = false;
                    }
                    _ => {
                        return Err(ParseError {
                            message: format!(
                                "unexpected `{}` after a quoted string",
                                self.char_at(self.i - 1)
                            ),
                            pos: here,
                        });
                    }
                }
            }
            if last_space {
                start = self.i - 1;
                start_pos = here;
                if is_space(ch) {
                    continue;
                }
                match ch {
                    b';' | b'{' => {
                        if words.is_empty() {
                            return Err(ParseError {
                                message: format!("unexpected `{}`", ch as char),
                                pos: here,
                            });
                        }
                        return Ok(if ch == b'{' {
                            End::BlockStart
                        } else {
                            End::Directive
                        });
                    }
                    b'}' => {
                        if !words.is_empty() {
                            return Err(ParseError {
                                message: "unexpected `}`: the directive before it is not terminated by `;`".into(),
                                pos: here,
                            });
                        }
                        return Ok(End::BlockDone(here));
                    }
                    b'#' => comment = true,
                    b'\\' => {
                        escaped = true;
                        last_space = false;
                    }
                    b'"' | b'\'' => {
                        start += 1;
                        quote = Some(ch);
                        last_space = false;
                    }
                    b'$' => {
                        variable = true;
                        last_space = false;
                    }
                    _ => last_space = false,
                }
                continue;
            }
            if ch == b'{' && variable {
                continue;
            }
            variable = false;
            match ch {
                b'\\' => {
                    escaped = true;
                    continue;
                }
                b'$' => {
                    variable = true;
                    continue;
                }
                _ => {}
            }
            let found = match quote {
                Some(q) => {
                    if ch == q {
                        need_space = true;
                        true
                    } else {
                        false
                    }
                }
                None => {
                    if is_space(ch) || ch == b';' || ch == b'{' {
                        last_space = true;
                        true
                    } else {
                        false
                    }
                }
            };
            if found {
                let raw = self.bytes.get(start..self.i - 1).unwrap_or_default();
                words.push(Word {
                    arg: Arg {
                        value: unescape(raw),
                        quoted: quote.is_some(),
                    },
                    start: if quote.is_some() { start - 1 } else { start },
                    pos: start_pos,
                });
                quote = None;
                match ch {
                    b';' => return Ok(End::Directive),
                    b'{' => return Ok(End::BlockStart),
                    _ => {}
                }
            }
        }
    }

    /// The character starting at byte `at` (for messages).
    fn char_at(&self, at: usize) -> char {
        self.src
            .get(at..)
            .and_then(|s| s.chars().next())
            .unwrap_or('?')
    }

    /// Skips a Lua block up to its closing `}` (strings and `--` comments
    /// respected): lua-nginx-module reads `*_by_lua_block` bodies with its own
    /// tokenizer. Every Lua directive fails closed, so an approximation is safe here.
    fn skip_lua_block(&mut self) -> Result<(), ParseError> {
        let start = self.pos();
        let mut depth = 1;
        while let Some(c) = self.bump() {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                b'"' | b'\'' => {
                    while let Some(n) = self.bump() {
                        if n == b'\\' {
                            self.bump();
                        } else if n == c || n == b'\n' {
                            break;
                        }
                    }
                }
                b'-' if self.peek() == Some(b'-') => {
                    while let Some(n) = self.bump() {
                        if n == b'\n' {
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
        Err(ParseError {
            message: "unexpected end of snippet: Lua block without `}`".into(),
            pos: start,
        })
    }
}

/// Nesting limit: real snippets nest a few levels; the limit keeps hostile input
/// from exhausting the stack.
const MAX_DEPTH: usize = 32;

/// Parses a snippet into directives.
pub fn parse(src: &str) -> Result<Vec<Directive>, ParseError> {
    let mut lexer = Lexer::new(src);
    let (directives, closed) = parse_block(&mut lexer, 0)?;
    if let Some(pos) = closed {
        // nginx would close the enclosing location or server here: the rest of
        // the snippet escapes into the outer block.
        return Err(ParseError {
            message: "unexpected `}`: it closes the block the snippet is pasted into".into(),
            pos,
        });
    }
    Ok(directives)
}

/// The source text for messages: runs of nginx separators become one space;
/// characters that look like spaces but are not separators for nginx (NBSP, form
/// feed, …) are shown escaped, so a reader sees why a token did not split.
fn collapse(s: &str) -> String {
    s.split([' ', '\t', '\r', '\n'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| {
            if c != ' ' && (c.is_whitespace() || c.is_control() || c == '\u{feff}') {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Parses directives until `}` (returned as `Some(pos)`) or the end.
fn parse_block(
    lexer: &mut Lexer,
    depth: usize,
) -> Result<(Vec<Directive>, Option<Pos>), ParseError> {
    let mut out = Vec::new();
    loop {
        let mut words = Vec::new();
        let end = lexer.read_tokens(&mut words)?;
        let mut words = words.into_iter();
        let Some(first) = words.next() else {
            return match end {
                End::Done if depth > 0 => lexer.error("unexpected end of snippet: missing `}`"),
                End::BlockDone(pos) => Ok((out, Some(pos))),
                // read_tokens reports `;` and `{` without a name as errors.
                End::Done | End::Directive | End::BlockStart => Ok((out, None)),
            };
        };
        let name = first.arg.value;
        let pos = first.pos;
        let start = first.start;
        let args: Vec<Arg> = words.map(|w| w.arg).collect();
        let head = || collapse(lexer.src.get(start..lexer.offset()).unwrap_or_default());
        match end {
            End::Directive => {
                let text = head();
                out.push(Directive {
                    name,
                    args,
                    block: None,
                    pos,
                    text,
                });
            }
            End::BlockStart if name.ends_with("lua_block") => {
                let head = head();
                lexer.skip_lua_block()?;
                out.push(Directive {
                    name,
                    args,
                    block: Some(Vec::new()),
                    pos,
                    text: format!("{head} … }}"),
                });
            }
            End::BlockStart if depth >= MAX_DEPTH => {
                return lexer.error(format!("blocks nested deeper than {MAX_DEPTH}"));
            }
            End::BlockStart => {
                let head = head();
                let (inner, closed) = parse_block(lexer, depth + 1)?;
                if closed.is_none() {
                    return lexer.error("unexpected end of snippet: missing `}`");
                }
                out.push(Directive {
                    name,
                    args,
                    block: Some(inner),
                    pos,
                    text: format!("{head} … }}"),
                });
            }
            // read_tokens never ends with words pending otherwise.
            End::BlockDone(_) | End::Done => {
                return lexer.error(format!("directive `{name}` is not terminated by `;`"));
            }
        }
    }
}

/// Renders directives as nginx configuration that tokenizes back to the same
/// names and arguments (every token double-quoted, `"` and `\` escaped).
pub fn render(directives: &[Directive]) -> String {
    let mut out = String::new();
    render_into(directives, &mut out);
    out
}

fn render_into(directives: &[Directive], out: &mut String) {
    let quote = |v: &str, out: &mut String| {
        out.push('"');
        for c in v.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    };
    for d in directives {
        quote(&d.name, out);
        for a in &d.args {
            out.push(' ');
            quote(&a.value, out);
        }
        match &d.block {
            Some(inner) => {
                out.push_str(" {\n");
                render_into(inner, out);
                out.push_str("}\n");
            }
            None => out.push_str(";\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_with_quotes_comments_and_positions() {
        let src = "# headers\nmore_set_headers \"X-Frame-Options: DENY\" 'X-A: b\\'c';\n  proxy_set_header X-Real-IP $remote_addr; # trailing\n";
        let d = parse(src).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].name, "more_set_headers");
        assert_eq!(d[0].arg(0), Some("X-Frame-Options: DENY"));
        assert_eq!(d[0].arg(1), Some("X-A: b'c"));
        assert!(d[0].args[0].quoted);
        assert_eq!(d[0].pos, Pos { line: 2, column: 1 });
        assert_eq!(d[1].pos, Pos { line: 3, column: 3 });
        assert_eq!(d[1].arg(1), Some("$remote_addr"));
        assert_eq!(d[1].text, "proxy_set_header X-Real-IP $remote_addr;");
    }

    #[test]
    fn blocks_and_variables() {
        let src = "if ($http_x_a = \"1\") {\n  return 403;\n}\nset $x ${host}-a;";
        let d = parse(src).unwrap();
        assert_eq!(d[0].name, "if");
        assert_eq!(d[0].arg(0), Some("($http_x_a"));
        assert_eq!(d[0].arg(2), Some("1"));
        assert_eq!(d[0].arg(3), Some(")"));
        let inner = d[0].block.as_ref().unwrap();
        assert_eq!(inner[0].name, "return");
        assert_eq!(inner[0].pos, Pos { line: 2, column: 3 });
        assert_eq!(d[0].text, "if ($http_x_a = \"1\") { … }");
        assert_eq!(d[1].arg(1), Some("${host}-a"));
    }

    #[test]
    fn lua_blocks_are_skipped() {
        let d = parse("access_by_lua_block {\n  if x then ngx.exit(403) end -- }\n  local s = \"}\"\n}\ndeny all;").unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].name, "access_by_lua_block");
        assert_eq!(d[1].name, "deny");
        assert_eq!(d[1].pos, Pos { line: 5, column: 1 });
    }

    /// Renders what [`parse`] returned as plain data (names, arguments, blocks).
    fn shape(ds: &[Directive]) -> Vec<(String, Vec<String>, Option<Vec<String>>)> {
        ds.iter()
            .map(|d| {
                (
                    d.name.clone(),
                    d.args.iter().map(|a| a.value.clone()).collect(),
                    d.block
                        .as_ref()
                        .map(|b| shape(b).into_iter().map(|s| format!("{s:?}")).collect()),
                )
            })
            .collect()
    }

    proptest::proptest! {
        // Seeded: the same 1000 cases in every CI run.
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 1000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x05ee_d0f9_1a7c),
            ..proptest::prelude::ProptestConfig::default()
        })]
        /// Any text: a result, never a panic; directives quote their own source;
        /// what parses renders back to text that parses to the same tokens.
        #[test]
        fn never_panics_and_round_trips(src in "(\\PC|[ \t\r\n;{}#'\"\\\\$\u{0b}\u{0c}\u{a0}\u{85}\u{2028}]|\\$\\{|\\\\[nrt\"'])*") {
            if let Ok(ds) = parse(&src) {
                for d in &ds {
                    proptest::prop_assert!(d.pos.line >= 1 && d.pos.column >= 1);
                }
                let again = parse(&render(&ds));
                proptest::prop_assert!(again.is_ok(), "{:?} → {:?}", render(&ds), again);
                proptest::prop_assert_eq!(shape(&again.unwrap_or_default()), shape(&ds));
            }
        }

        /// Structured snippets (the characters nginx treats specially) never panic
        /// and round-trip.
        #[test]
        fn structured_round_trip(src in "([a-z$]{1,4}|[ \t\n]|[;{}#'\"\\\\]|\u{a0}|\u{0c}|\\$\\{){0,60}") {
            if let Ok(ds) = parse(&src) {
                let again = parse(&render(&ds));
                proptest::prop_assert!(again.is_ok(), "{:?} → {:?}", render(&ds), again);
                proptest::prop_assert_eq!(shape(&again.unwrap_or_default()), shape(&ds));
            }
        }

        /// Printing simple directives and parsing them back gives the same arguments.
        #[test]
        fn round_trip(args in proptest::collection::vec("[A-Za-z0-9_./:-]{1,12}", 1..5)) {
            let src = format!("{};\n", args.join(" "));
            let ds = parse(&src).unwrap();
            proptest::prop_assert_eq!(ds.len(), 1);
            let got: Vec<&str> = std::iter::once(ds[0].name.as_str())
                .chain(ds[0].args.iter().map(|a| a.value.as_str()))
                .collect();
            proptest::prop_assert_eq!(got, args.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }

    fn tokens(src: &str) -> Vec<Vec<String>> {
        parse(src)
            .unwrap_or_else(|e| panic!("{src:?}: {e}"))
            .iter()
            .map(|d| {
                std::iter::once(d.name.clone())
                    .chain(d.args.iter().map(|a| a.value.clone()))
                    .collect()
            })
            .collect()
    }

    /// Each of these hid `deny all;` (or split it) under the old Unicode-aware
    /// tokenizer; the expected tokens are what nginx 1.22 reads.
    #[test]
    fn nginx_token_boundaries() {
        // Only space, tab, CR, LF separate: NBSP, NEL, U+2028, FF, VT are word bytes.
        assert_eq!(tokens("\u{a0}deny all;"), vec![vec!["\u{a0}deny", "all"]]);
        assert_eq!(
            tokens("add_header X a\u{0c}deny all;"),
            vec![vec!["add_header", "X", "a\u{0c}deny", "all"]]
        );
        assert_eq!(
            tokens("add_header X a\u{85}b\u{2028}c\u{0b}d;"),
            vec![vec!["add_header", "X", "a\u{85}b\u{2028}c\u{0b}d"]]
        );
        // Messages show such characters escaped.
        assert_eq!(
            parse("add_header X-A b\u{a0}#c;").unwrap()[0].text,
            "add_header X-A b\\u{a0}#c;"
        );
        // `}` inside a word is a word character.
        assert_eq!(
            tokens("return 200 x}; deny all;"),
            vec![vec!["return", "200", "x}"], vec!["deny", "all"]]
        );
        // `${` keeps only the `{` run: `;` still ends the token.
        assert_eq!(
            tokens("add_header X ${a; deny all;"),
            vec![vec!["add_header", "X", "${a"], vec!["deny", "all"]]
        );
        assert_eq!(
            tokens("set $x ${{b}}c;"),
            vec![vec!["set", "$x", "${{b}}c"]]
        );
        // `#` and quotes inside a word are ordinary; `#` at a token start comments.
        assert_eq!(
            tokens("add_header X a#b\"c'd;"),
            vec![vec!["add_header", "X", "a#b\"c'd"]]
        );
        assert_eq!(tokens("deny # c }\n all;"), vec![vec!["deny", "all"]]);
        // A backslash makes the next byte ordinary, even a separator.
        assert_eq!(
            tokens("add_header X a\\ b\\\n;"),
            vec![vec!["add_header", "X", "a\\ b\\\n"]]
        );
        // `)` may follow a quote.
        assert_eq!(
            tokens("if ($a = \"b\") { deny all; }"),
            vec![vec!["if", "($a", "=", "b", ")"]]
        );
    }

    #[test]
    fn nginx_token_errors() {
        for src in [
            "return 200 \"x\"}",
            "return 200 \"x\"#",
            "deny all }",
            "; deny all;",
            "{ deny all; }",
            "deny all",
            "deny all\\",
            "}",
            "} location /x { deny all;",
        ] {
            assert!(parse(src).is_err(), "{src:?} must not parse");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "a {".repeat(100_000);
        let e = parse(&src).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{e}");
    }

    #[test]
    fn escapes_outside_quotes() {
        let d = parse("add_header X-A a\\;b;").unwrap();
        assert_eq!(
            d[0].arg(1),
            Some("a\\;b"),
            "escaped `;` is not a separator, backslash kept"
        );
        let d = parse("rewrite ^/a\\.html$ \"/b\\d\\\"\";").unwrap();
        assert_eq!(d[0].arg(0), Some("^/a\\.html$"));
        assert_eq!(d[0].arg(1), Some("/b\\d\""));
    }

    #[test]
    fn errors_carry_positions() {
        let e = parse("add_header X-A b").unwrap_err();
        assert!(e.message.contains("not terminated"), "{e}");
        assert_eq!(e.pos, Pos { line: 1, column: 1 });
        let e = parse("a \"b;\n").unwrap_err();
        assert!(e.message.contains("quoted string"), "{e}");
        let e = parse("}").unwrap_err();
        assert!(e.message.starts_with("unexpected `}`"), "{e}");
        let e = parse("location / {\n deny all;\n").unwrap_err();
        assert!(e.message.contains("missing `}`"), "{e}");
        let e = parse("add_header \"X\"y;").unwrap_err();
        assert!(e.message.contains("after a quoted string"), "{e}");
        assert_eq!(parse("").unwrap(), Vec::new());
        assert_eq!(parse("  # only a comment\n").unwrap(), Vec::new());
    }
}
