//! The part of JavaScript's `RegExp` that cdk-nag's rules use, with
//! JavaScript's semantics (non-Unicode mode, Annex B).
//!
//! cdk-nag builds patterns by pasting template values (logical IDs, bucket,
//! queue and stage names) into a regex such as `` `${id}(?![\w])` `` and
//! tests them against flattened references. regex-lite has no look-ahead
//! and rejects JavaScript's lenient syntax (`{` as a literal, `[object
//! Object]` as a class), so the rules match with this small backtracking
//! engine instead: the same pattern text gives the same verdict, and a
//! pattern JavaScript rejects is an error here too (the rule then cannot
//! judge the resource, as cdk-nag's rule throws).
//!
//! Not supported (an error, as a rejected pattern): back-references,
//! look-behind, named groups and the `i`/`s`/`u`/`y` flags; none occurs in
//! the patterns cdk-nag builds from well-formed templates.

/// A pattern JavaScript would reject, or one this engine does not support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RegexError(pub(crate) String);

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Vec<ClassItem>, bool),
    Start,
    End,
    WordBoundary(bool),
    Group(Box<Node>),
    Look(Box<Node>, bool),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>, bool),
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct JsRegex {
    node: Node,
    multiline: bool,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// JavaScript's `\s`: WhiteSpace and LineTerminator.
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

impl ClassItem {
    fn matches(&self, c: char) -> bool {
        match *self {
            ClassItem::Range(lo, hi) => lo <= c && c <= hi,
            ClassItem::Digit(neg) => c.is_ascii_digit() != neg,
            ClassItem::Word(neg) => is_word(c) != neg,
            ClassItem::Space(neg) => is_js_space(c) != neg,
        }
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn error(&self, what: &str) -> RegexError {
        RegexError(format!("Invalid regular expression: {what}"))
    }

    fn disjunction(&mut self) -> Result<Node, RegexError> {
        let mut alternatives = vec![self.alternative()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alternatives.push(self.alternative()?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().unwrap_or(Node::Concat(Vec::new()))
        } else {
            Node::Alt(alternatives)
        })
    }

    fn alternative(&mut self) -> Result<Node, RegexError> {
        let mut terms = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let (atom, quantifiable) = self.atom()?;
            match self.quantifier()? {
                Some((min, max, greedy)) => {
                    if !quantifiable {
                        return Err(self.error("nothing to repeat"));
                    }
                    terms.push(Node::Repeat(Box::new(atom), min, max, greedy));
                }
                None => terms.push(atom),
            }
        }
        Ok(Node::Concat(terms))
    }

    /// `{n}`, `{n,}` or `{n,m}` at the cursor, without consuming it.
    fn braced_quantifier(&self) -> Option<(u32, Option<u32>, usize)> {
        let mut i = self.pos;
        if self.chars.get(i) != Some(&'{') {
            return None;
        }
        i += 1;
        let digits = |i: &mut usize| {
            let start = *i;
            let mut n: u64 = 0;
            while let Some(d) = self.chars.get(*i).and_then(|c| c.to_digit(10)) {
                n = (n * 10 + u64::from(d)).min(u64::from(u32::MAX));
                *i += 1;
            }
            (*i > start).then_some(n as u32)
        };
        let min = digits(&mut i)?;
        let max = if self.chars.get(i) == Some(&',') {
            i += 1;
            digits(&mut i)
        } else {
            Some(min)
        };
        if self.chars.get(i) != Some(&'}') {
            return None;
        }
        Some((min, max, i + 1 - self.pos))
    }

    fn quantifier(&mut self) -> Result<Option<(u32, Option<u32>, bool)>, RegexError> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => match self.braced_quantifier() {
                Some((min, max, len)) => {
                    self.pos += len;
                    if max.is_some_and(|m| m < min) {
                        return Err(self.error("numbers out of order in {} quantifier"));
                    }
                    (min, max)
                }
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        let greedy = if self.peek() == Some('?') {
            self.pos += 1;
            false
        } else {
            true
        };
        Ok(Some((min, max, greedy)))
    }

    /// One atom, and whether a quantifier may follow it.
    fn atom(&mut self) -> Result<(Node, bool), RegexError> {
        let c = self.peek().ok_or_else(|| self.error("unexpected end"))?;
        self.pos += 1;
        Ok(match c {
            '^' => (Node::Start, false),
            '$' => (Node::End, false),
            '.' => (Node::Any, true),
            '*' | '+' | '?' => return Err(self.error("nothing to repeat")),
            '{' => {
                self.pos -= 1;
                if self.braced_quantifier().is_some() {
                    return Err(self.error("nothing to repeat"));
                }
                self.pos += 1;
                (Node::Char('{'), true)
            }
            '(' => {
                let (look, negate) = match (self.peek(), self.peek_at(1)) {
                    (Some('?'), Some('=')) => (true, false),
                    (Some('?'), Some('!')) => (true, true),
                    (Some('?'), Some(':')) => (false, false),
                    (Some('?'), _) => {
                        return Err(self.error("look-behind and named groups are not supported"))
                    }
                    _ => {
                        let inner = self.disjunction()?;
                        self.close_group()?;
                        return Ok((Node::Group(Box::new(inner)), true));
                    }
                };
                self.pos += 2;
                let inner = self.disjunction()?;
                self.close_group()?;
                if look {
                    // Annex B: a look-ahead may be quantified.
                    (Node::Look(Box::new(inner), negate), true)
                } else {
                    (Node::Group(Box::new(inner)), true)
                }
            }
            ')' => return Err(self.error("unmatched ')'")),
            '[' => (self.class()?, true),
            '\\' => (self.escape()?, true),
            other => (Node::Char(other), true),
        })
    }

    fn close_group(&mut self) -> Result<(), RegexError> {
        if self.peek() == Some(')') {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error("unterminated group"))
        }
    }

    /// An escape outside a class (the cursor is after the `\`).
    fn escape(&mut self) -> Result<Node, RegexError> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("\\ at end of pattern"))?;
        Ok(match c {
            'b' => {
                self.pos += 1;
                Node::WordBoundary(true)
            }
            'B' => {
                self.pos += 1;
                Node::WordBoundary(false)
            }
            _ => match self.class_escape()? {
                Escaped::Char(c) => Node::Char(c),
                Escaped::Class(item) => Node::Class(vec![item], false),
            },
        })
    }

    /// An escape that is a character or a character class (the cursor is after the `\`).
    fn class_escape(&mut self) -> Result<Escaped, RegexError> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("\\ at end of pattern"))?;
        self.pos += 1;
        let class = |item| Ok(Escaped::Class(item));
        match c {
            'd' => class(ClassItem::Digit(false)),
            'D' => class(ClassItem::Digit(true)),
            'w' => class(ClassItem::Word(false)),
            'W' => class(ClassItem::Word(true)),
            's' => class(ClassItem::Space(false)),
            'S' => class(ClassItem::Space(true)),
            't' => Ok(Escaped::Char('\t')),
            'n' => Ok(Escaped::Char('\n')),
            'v' => Ok(Escaped::Char('\u{b}')),
            'f' => Ok(Escaped::Char('\u{c}')),
            'r' => Ok(Escaped::Char('\r')),
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => Ok(Escaped::Char('\0')),
            '1'..='9' | '0' => {
                Err(self.error("back-references and octal escapes are not supported"))
            }
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.pos += 1;
                    Ok(Escaped::Char(char::from(l as u8 % 32)))
                }
                // Annex B: `\c` not followed by a letter is a backslash, then a `c`.
                _ => {
                    self.pos -= 1;
                    Ok(Escaped::Char('\\'))
                }
            },
            'x' | 'u' => {
                let len = if c == 'x' { 2 } else { 4 };
                let hex: String = self.chars.iter().skip(self.pos).take(len).collect();
                match (hex.len() == len)
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten()
                    .and_then(char::from_u32)
                {
                    Some(ch) => {
                        self.pos += len;
                        Ok(Escaped::Char(ch))
                    }
                    // Annex B: an incomplete `\x`/`\u` is the letter itself.
                    None => Ok(Escaped::Char(c)),
                }
            }
            'k' => Ok(Escaped::Char('k')),
            other => Ok(Escaped::Char(other)),
        }
    }

    fn class(&mut self) -> Result<Node, RegexError> {
        let negated = if self.peek() == Some('^') {
            self.pos += 1;
            true
        } else {
            false
        };
        let mut items = Vec::new();
        loop {
            let c = self.peek().ok_or_else(|| self.error("missing /"))?;
            if c == ']' {
                self.pos += 1;
                return Ok(Node::Class(items, negated));
            }
            let first = self.class_atom()?;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| c != ']') {
                self.pos += 1;
                let second = self.class_atom()?;
                match (first, second) {
                    (Escaped::Char(lo), Escaped::Char(hi)) => {
                        if lo > hi {
                            return Err(self.error("range out of order in character class"));
                        }
                        items.push(ClassItem::Range(lo, hi));
                    }
                    // Annex B: a class escape at either end makes `-` a literal.
                    (a, b) => {
                        for atom in [a, Escaped::Char('-'), b] {
                            items.push(atom.into_item());
                        }
                    }
                }
            } else {
                items.push(first.into_item());
            }
        }
    }

    fn class_atom(&mut self) -> Result<Escaped, RegexError> {
        let c = self.peek().ok_or_else(|| self.error("missing /"))?;
        self.pos += 1;
        if c != '\\' {
            return Ok(Escaped::Char(c));
        }
        match self.peek() {
            Some('b') => {
                self.pos += 1;
                Ok(Escaped::Char('\u{8}'))
            }
            Some('-') => {
                self.pos += 1;
                Ok(Escaped::Char('-'))
            }
            _ => self.class_escape(),
        }
    }
}

enum Escaped {
    Char(char),
    Class(ClassItem),
}

impl Escaped {
    fn into_item(self) -> ClassItem {
        match self {
            Escaped::Char(c) => ClassItem::Range(c, c),
            Escaped::Class(item) => item,
        }
    }
}

struct Matcher<'t> {
    text: &'t [char],
    multiline: bool,
}

impl Matcher<'_> {
    fn at(&self, pos: usize, node: &Node, k: &mut dyn FnMut(usize) -> bool) -> bool {
        let text = self.text;
        match node {
            Node::Char(c) => text.get(pos) == Some(c) && k(pos + 1),
            Node::Any => text.get(pos).is_some_and(|c| !is_line_terminator(*c)) && k(pos + 1),
            Node::Class(items, negated) => {
                text.get(pos)
                    .is_some_and(|c| items.iter().any(|i| i.matches(*c)) != *negated)
                    && k(pos + 1)
            }
            Node::Start => {
                (pos == 0 || (self.multiline && is_line_terminator(text[pos - 1]))) && k(pos)
            }
            Node::End => {
                (pos == text.len() || (self.multiline && is_line_terminator(text[pos]))) && k(pos)
            }
            Node::WordBoundary(want) => {
                let before = pos > 0 && is_word(text[pos - 1]);
                let after = text.get(pos).is_some_and(|c| is_word(*c));
                ((before != after) == *want) && k(pos)
            }
            Node::Group(inner) => self.at(pos, inner, k),
            Node::Look(inner, negate) => {
                let found = self.at(pos, inner, &mut |_| true);
                found != *negate && k(pos)
            }
            Node::Concat(nodes) => self.seq(pos, nodes, k),
            Node::Alt(alternatives) => alternatives.iter().any(|a| self.at(pos, a, k)),
            Node::Repeat(inner, min, max, greedy) => {
                self.repeat(pos, inner, *min, *max, *greedy, 0, k)
            }
        }
    }

    fn seq(&self, pos: usize, nodes: &[Node], k: &mut dyn FnMut(usize) -> bool) -> bool {
        match nodes.split_first() {
            None => k(pos),
            Some((first, rest)) => self.at(pos, first, &mut |p| self.seq(p, rest, k)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &self,
        pos: usize,
        inner: &Node,
        min: u32,
        max: Option<u32>,
        greedy: bool,
        count: u32,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        let more = max.is_none_or(|m| count < m);
        let again = |k: &mut dyn FnMut(usize) -> bool| {
            more && self.at(pos, inner, &mut |p| {
                // An iteration past the minimum that matches nothing ends the loop (ES RepeatMatcher).
                (p != pos || count < min) && self.repeat(p, inner, min, max, greedy, count + 1, k)
            })
        };
        if count < min {
            return again(k);
        }
        // The order of the two tries is the difference between greedy and lazy
        // (clippy sees `||` as commutative).
        #[allow(clippy::if_same_then_else)]
        if greedy {
            again(k) || k(pos)
        } else {
            k(pos) || again(k)
        }
    }
}

impl JsRegex {
    /// `new RegExp(pattern, multiline ? 'm' : '')`: fails where JavaScript throws.
    pub(crate) fn new(pattern: &str, multiline: bool) -> Result<JsRegex, RegexError> {
        let mut parser = Parser {
            chars: pattern.chars().collect(),
            pos: 0,
        };
        let node = parser.disjunction()?;
        if parser.pos != parser.chars.len() {
            return Err(parser.error("unmatched ')'"));
        }
        Ok(JsRegex { node, multiline })
    }

    /// `regex.test(text)`.
    pub(crate) fn test(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let matcher = Matcher {
            text: &chars,
            multiline: self.multiline,
        };
        (0..=chars.len()).any(|start| matcher.at(start, &self.node, &mut |_| true))
    }
}

/// `new RegExp(pattern).test(text)`.
pub(crate) fn test(pattern: &str, text: &str) -> Result<bool, RegexError> {
    Ok(JsRegex::new(pattern, false)?.test(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(pattern: &str, text: &str) -> bool {
        test(pattern, text).unwrap()
    }

    #[test]
    fn negative_look_ahead_after_an_id() {
        assert!(t(r"Bucket(?![\w])", "<LogBucket.Arn>"));
        assert!(!t(r"Bucket(?![\w])", "<Buckets>"));
        assert!(t(r"(B(?![\w\-]))|(my\.b(?![\w\-]))", r#"{"Ref":"B"}"#));
        assert!(t(
            r"(B(?![\w\-]).*\/\*)",
            r#"{"Fn::Join":["",[{"Fn::GetAtt":["B","Arn"]},"/*"]]}"#
        ));
        assert!(!t(
            r"(B(?![\w\-]).*\/\*)",
            r#"{"Fn::GetAtt":["B-2","Arn"]}/*"#
        ));
    }

    #[test]
    fn javascript_leniency_and_errors() {
        // `[object Object]` is a class; `${Token[..]}` never matches; `{` alone is a literal.
        assert!(t("[object Object](?![\\w])", "t!"));
        assert!(!t("${Token[TOKEN.12]}(?![\\w\\-])", "${Token[TOKEN.12]}"));
        assert!(t("a{b", "xa{b"));
        assert!(t("a{2}", "aa"));
        assert!(!t("^a{2,3}$", "aaaa"));
        assert!(test("(a", "a").is_err());
        assert!(test("*a", "a").is_err());
        assert!(test("a)", "a").is_err());
        assert!(test("[b-a]", "a").is_err());
    }

    #[test]
    fn quantifiers_alternation_and_multiline() {
        assert!(t(
            "Api.+Stage(?![\\w])",
            r#"["/restapis/",{"Ref":"Api"},"/stages/",{"Ref":"Stage"}]"#
        ));
        assert!(!t("Api.+Stage(?![\\w])", "ApiStage"));
        assert!(t("^(ab|cd)*?e$", "abcde"));
        assert!(t("x(?:)*y", "xy"));
        assert!(JsRegex::new("^b", true).unwrap().test("a\nb"));
        assert!(!JsRegex::new("^b", false).unwrap().test("a\nb"));
        assert!(t(r"\s", "\u{feff}"));
        assert!(!t(".", "\n"));
    }
}
