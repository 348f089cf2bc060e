//! A small nginx configuration parser for snippet annotations.
//!
//! It follows nginx's own tokenizer (`ngx_conf_read_token`): tokens are separated
//! by whitespace; `;` ends a directive, `{` opens its block, `}` closes it; `#` at
//! the start of a token comments out the rest of the line; `"…"` and `'…'` quote a
//! token and must be followed by a separator (or `)`); a backslash keeps the next
//! character from ending a token, and only `\"`, `\'`, `\\`, `\n`, `\r`, `\t` are
//! unescaped (other backslashes stay, so regexes keep `\d`, `\.`); `${…}`
//! inside a token is a variable, not a block. Positions are 1-based line/column
//! inside the snippet text.

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

/// nginx's escape table (`ngx_conf_read_token`), the same inside and outside quotes.
fn unescape(e: char, value: &mut String) {
    match e {
        'n' => value.push('\n'),
        'r' => value.push('\r'),
        't' => value.push('\t'),
        '"' | '\'' | '\\' => value.push(e),
        other => {
            value.push('\\');
            value.push(other);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word { arg: Arg, start: usize },
    Semicolon,
    Open,
    Close,
}

struct Lexer<'a> {
    src: &'a str,
    chars: Vec<(usize, char)>,
    i: usize,
    line: usize,
    column: usize,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer {
            src,
            chars: src.char_indices().collect(),
            i: 0,
            line: 1,
            column: 1,
        }
    }
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).map(|c| c.1)
    }
    fn offset(&self) -> usize {
        self.chars.get(self.i).map_or(self.src.len(), |c| c.0)
    }
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }
    fn error<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            message: message.into(),
            pos: self.pos(),
        })
    }

    /// Next token with its position; `None` at the end.
    fn next(&mut self) -> Result<Option<(Token, Pos)>, ParseError> {
        loop {
            match self.peek() {
                None => return Ok(None),
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('#') => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                Some(_) => break,
            }
        }
        let pos = self.pos();
        let start = self.offset();
        let c = self.peek().unwrap_or(' ');
        let token = match c {
            ';' => {
                self.bump();
                Token::Semicolon
            }
            '{' => {
                self.bump();
                Token::Open
            }
            '}' => {
                self.bump();
                Token::Close
            }
            '"' | '\'' => {
                self.bump();
                let mut value = String::new();
                loop {
                    match self.bump() {
                        None => {
                            return Err(ParseError {
                                message: format!("unterminated {c}quoted{c} string"),
                                pos,
                            });
                        }
                        Some('\\') => match self.bump() {
                            Some(e) => unescape(e, &mut value),
                            None => continue,
                        },
                        Some(q) if q == c => break,
                        Some(other) => value.push(other),
                    }
                }
                match self.peek() {
                    // nginx also lets `)` follow a quote (`if ($a = "b")`).
                    None | Some(';') | Some('{') | Some('}') | Some(')') => {}
                    Some(n) if n.is_whitespace() => {}
                    Some(n) => {
                        return self.error(format!("unexpected `{n}` after a quoted string"));
                    }
                }
                Token::Word {
                    arg: Arg {
                        value,
                        quoted: true,
                    },
                    start,
                }
            }
            _ => {
                let mut value = String::new();
                while let Some(c) = self.peek() {
                    if c.is_whitespace() || c == ';' || c == '{' || c == '}' {
                        break;
                    }
                    self.bump();
                    match c {
                        // The next character is never a separator; nginx unescapes only
                        // \" \' \\ \t \r \n and keeps other backslashes (regexes need `\d`).
                        '\\' => match self.bump() {
                            Some(e) => unescape(e, &mut value),
                            None => value.push('\\'),
                        },
                        '$' if self.peek() == Some('{') => {
                            value.push('$');
                            for v in self.by_ref_until('}') {
                                value.push(v);
                            }
                        }
                        _ => value.push(c),
                    }
                }
                Token::Word {
                    arg: Arg {
                        value,
                        quoted: false,
                    },
                    start,
                }
            }
        };
        Ok(Some((token, pos)))
    }

    /// Skips a Lua block up to its closing `}` (strings and `--` comments respected).
    fn skip_lua_block(&mut self) -> Result<(), ParseError> {
        let start = self.pos();
        let mut depth = 1;
        while let Some(c) = self.bump() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                '"' | '\'' => {
                    while let Some(n) = self.bump() {
                        if n == '\\' {
                            self.bump();
                        } else if n == c || n == '\n' {
                            break;
                        }
                    }
                }
                '-' if self.peek() == Some('-') => {
                    while let Some(n) = self.bump() {
                        if n == '\n' {
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

    /// Consumes characters up to and including `end` (for `${var}`).
    fn by_ref_until(&mut self, end: char) -> Vec<char> {
        let mut out = Vec::new();
        while let Some(c) = self.bump() {
            out.push(c);
            if c == end {
                break;
            }
        }
        out
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
        return Err(ParseError {
            message: "unexpected `}`".into(),
            pos,
        });
    }
    Ok(directives)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses directives until `}` (returned as `Some(pos)`) or the end.
fn parse_block(
    lexer: &mut Lexer,
    depth: usize,
) -> Result<(Vec<Directive>, Option<Pos>), ParseError> {
    let mut out = Vec::new();
    loop {
        let Some((token, pos)) = lexer.next()? else {
            if depth > 0 {
                return lexer.error("unexpected end of snippet: missing `}`");
            }
            return Ok((out, None));
        };
        let (name, start) = match token {
            Token::Word { arg, start } => (arg.value, start),
            Token::Close => return Ok((out, Some(pos))),
            Token::Semicolon => {
                return Err(ParseError {
                    message: "unexpected `;`".into(),
                    pos,
                });
            }
            Token::Open => {
                return Err(ParseError {
                    message: "unexpected `{`".into(),
                    pos,
                });
            }
        };
        let mut args = Vec::new();
        loop {
            let Some((token, tpos)) = lexer.next()? else {
                return Err(ParseError {
                    message: format!("directive `{name}` is not terminated by `;`"),
                    pos,
                });
            };
            match token {
                Token::Word { arg, .. } => args.push(arg),
                Token::Semicolon => {
                    let end = lexer.offset();
                    out.push(Directive {
                        name,
                        args,
                        block: None,
                        pos,
                        text: collapse(&lexer.src[start..end]),
                    });
                    break;
                }
                Token::Open if name.ends_with("_by_lua_block") || name.ends_with("lua_block") => {
                    // Lua code, not nginx directives (lua-nginx-module reads it itself).
                    let head = collapse(&lexer.src[start..lexer.offset()]);
                    lexer.skip_lua_block()?;
                    out.push(Directive {
                        name,
                        args,
                        block: Some(Vec::new()),
                        pos,
                        text: format!("{head} … }}"),
                    });
                    break;
                }
                Token::Open if depth >= MAX_DEPTH => {
                    return Err(ParseError {
                        message: format!("blocks nested deeper than {MAX_DEPTH}"),
                        pos: tpos,
                    });
                }
                Token::Open => {
                    let head = collapse(&lexer.src[start..lexer.offset()]);
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
                    break;
                }
                Token::Close => {
                    return Err(ParseError {
                        message: format!("directive `{name}` is not terminated by `;`"),
                        pos: tpos,
                    });
                }
            }
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

    proptest::proptest! {
        /// Any text: a result, never a panic; directives quote their own source.
        #[test]
        fn never_panics(src in "[a-z_ ;{}#'\"\\$\n\t()-]{0,200}") {
            if let Ok(ds) = parse(&src) {
                for d in ds {
                    proptest::prop_assert!(d.pos.line >= 1 && d.pos.column >= 1);
                    proptest::prop_assert!(!d.text.is_empty());
                }
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
        assert!(e.message.contains("unterminated"), "{e}");
        let e = parse("}").unwrap_err();
        assert_eq!(e.message, "unexpected `}`");
        let e = parse("location / {\n deny all;\n").unwrap_err();
        assert!(e.message.contains("missing `}`"), "{e}");
        let e = parse("add_header \"X\"y;").unwrap_err();
        assert!(e.message.contains("after a quoted string"), "{e}");
        assert_eq!(parse("").unwrap(), Vec::new());
        assert_eq!(parse("  # only a comment\n").unwrap(), Vec::new());
    }
}
