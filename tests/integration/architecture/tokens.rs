//! Rust source as the resolver needs it: identifiers, `::` and punctuation, with
//! comments dropped and literals reduced to a mark (a path in a string is no path).

use std::collections::BTreeMap;

/// One parsed source file.
pub(super) struct Parsed {
    pub(super) toks: Vec<Token>,
    /// The module of each inline `mod x { … }`, by the index of its `{`.
    pub(super) inline: BTreeMap<usize, String>,
}

/// A token of Rust source: what the resolver needs and no more.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    /// `::` or one punctuation character.
    Sym(String),
    /// A literal (string, char, number): never a path.
    Lit,
}

#[derive(Debug, Clone)]
/// A token and the line it starts on.
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) line: usize,
}

impl Token {
    pub(super) fn is_ident(&self, s: &str) -> bool {
        matches!(&self.tok, Tok::Ident(x) if x == s)
    }
    pub(super) fn is_sym(&self, s: &str) -> bool {
        matches!(&self.tok, Tok::Sym(x) if x == s)
    }
}

/// Tokens of `src` without comments, and its inline modules.
pub(super) fn parse(src: &str) -> Parsed {
    let toks = tokenize(src);
    let mut inline = BTreeMap::new();
    for i in 2..toks.len() {
        if toks[i].is_sym("{")
            && toks[i - 2].is_ident("mod")
            && let Tok::Ident(name) = &toks[i - 1].tok
        {
            inline.insert(i, name.clone());
        }
    }
    Parsed { toks, inline }
}

fn tokenize(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Skips a quoted string starting at the quote `c[i]`, escapes honoured.
    let skip_string = |i: &mut usize, line: &mut usize| {
        *i += 1;
        while *i < c.len() && c[*i] != '"' {
            if c[*i] == '\\' {
                *i += 1;
            }
            if at(*i) == '\n' {
                *line += 1;
            }
            *i += 1;
        }
        *i += 1;
    };
    // Skips a raw string starting at the first `#` or quote after `r`.
    let skip_raw = |i: &mut usize, line: &mut usize| {
        let mut hashes = 0;
        while at(*i) == '#' {
            hashes += 1;
            *i += 1;
        }
        *i += 1; // the opening quote
        loop {
            if *i >= c.len() {
                return;
            }
            if c[*i] == '"' && (1..=hashes).all(|k| at(*i + k) == '#') {
                *i += 1 + hashes;
                return;
            }
            if c[*i] == '\n' {
                *line += 1;
            }
            *i += 1;
        }
    };
    while i < c.len() {
        let ch = c[i];
        let start_line = line;
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            loop {
                if i >= c.len() {
                    break;
                }
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if ch == '"' {
            skip_string(&mut i, &mut line);
            out.push(Token {
                tok: Tok::Lit,
                line: start_line,
            });
        } else if ch == '\'' {
            if at(i + 1) == '\\' {
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push(Token {
                    tok: Tok::Lit,
                    line,
                });
            } else if at(i + 2) == '\'' {
                i += 3;
                out.push(Token {
                    tok: Tok::Lit,
                    line,
                });
            } else {
                // A lifetime or label.
                i += 1;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
            }
        } else if ch.is_ascii_digit() {
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Lit,
                line,
            });
        } else if ch.is_alphabetic() || ch == '_' || (ch == '$' && at(i + 1).is_alphabetic()) {
            let s = i;
            i += 1;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[s..i].iter().collect();
            let next = at(i);
            match (word.as_str(), next) {
                ("r" | "br" | "cr", '"') => {
                    skip_raw(&mut i, &mut line);
                    out.push(Token {
                        tok: Tok::Lit,
                        line: start_line,
                    });
                }
                ("r" | "br" | "cr", '#') if at(i + 1) == '"' || at(i + 1) == '#' => {
                    skip_raw(&mut i, &mut line);
                    out.push(Token {
                        tok: Tok::Lit,
                        line: start_line,
                    });
                }
                ("r", '#') => {
                    // A raw identifier, `r#type`.
                    let s = i + 1;
                    i += 1;
                    while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                        i += 1;
                    }
                    out.push(Token {
                        tok: Tok::Ident(c[s..i].iter().collect()),
                        line,
                    });
                }
                ("b" | "c", '"') => {
                    skip_string(&mut i, &mut line);
                    out.push(Token {
                        tok: Tok::Lit,
                        line: start_line,
                    });
                }
                ("b", '\'') => {
                    i += 1;
                    if at(i) == '\\' {
                        i += 1;
                    }
                    i += 1;
                    while i < c.len() && c[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                    out.push(Token {
                        tok: Tok::Lit,
                        line,
                    });
                }
                _ => out.push(Token {
                    tok: Tok::Ident(word),
                    line,
                }),
            }
        } else if ch == ':' && at(i + 1) == ':' {
            i += 2;
            out.push(Token {
                tok: Tok::Sym("::".into()),
                line,
            });
        } else {
            i += 1;
            out.push(Token {
                tok: Tok::Sym(ch.to_string()),
                line,
            });
        }
    }
    out
}
