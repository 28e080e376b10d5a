//! JavaScript's `RegExp`, as cdk-nag uses it, on top of fancy-regex.
//!
//! cdk-nag builds patterns by pasting template values (logical IDs, bucket,
//! queue and stage names, even `[object Object]` or a token string
//! `${Token[TOKEN.12]}`) into a regex such as `` `${id}(?![\w])` ``, and
//! reads the suppressions' `applies_to` regexes with `new RegExp(..)`. The
//! same pattern text has to give the same verdict here, so the pattern is
//! translated from JavaScript's syntax (non-Unicode mode with the lenient
//! Annex B grammar of web browsers and Node.js) to fancy-regex's:
//! - what JavaScript reads as a literal is written as one: a `{` that does
//!   not start a quantifier, a lone `}` or `]`, identity escapes (`\k`,
//!   `\q`), an incomplete `\x`/`\u`, `\c` without a letter, `\8`;
//! - `\d`, `\w`, `\s`, `\b`, `.`, `^` and `$` get JavaScript's sets (ASCII
//!   word characters, JavaScript's white space and line terminators, which
//!   fancy-regex's Unicode classes and `\n`-only line handling do not match);
//! - `\N` is a back-reference when the pattern has `N` groups, else an
//!   octal escape; `[]` matches nothing and `[^]` anything;
//! - what JavaScript rejects (an unmatched parenthesis, nothing to repeat,
//!   a range or a `{n,m}` out of order, an unknown `(?` group) is an error,
//!   which a rule reports as a validation failure, as cdk-nag's rule throws.
//!
//! Limits (none is reachable from the patterns cdk-nag builds out of a
//! template, and an `applies_to` regex using them is an error or a
//! code-point rather than UTF-16 match): matching is by code point, not
//! UTF-16 unit; the `u`/`v` flags accept the lenient syntax and `\u{..}`;
//! fancy-regex's look-behinds must have a bounded length and it rejects a
//! quantified empty group (`(?:)*`); a back-reference to a group that has
//! not matched fails (JavaScript matches it as empty); case-insensitive
//! matching uses Unicode simple case folding.

use std::fmt::Write as _;

use fancy_regex::Regex;
use serde_json::Value;

use crate::resource::Unresolved;

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

const WORD: &str = "0-9A-Za-z_";
const DIGIT: &str = "0-9";
const SPACE: &str = r"\x{9}-\x{d}\x{20}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}";
const LINE_TERMINATOR: &str = r"\x{a}\x{d}\x{2028}\x{2029}";

/// A compiled JavaScript regex.
#[derive(Debug, Clone)]
pub(crate) struct JsRegex {
    regex: Regex,
}

impl JsRegex {
    /// `new RegExp(pattern, flags)`: fails where JavaScript throws.
    pub(crate) fn new(pattern: &str, flags: &str) -> Result<JsRegex, Unresolved> {
        let error = |what: &str| {
            Unresolved::new(&Value::String(format!(
                "Invalid regular expression: /{pattern}/{flags}: {what}"
            )))
        };
        let mut seen = String::new();
        for flag in flags.chars() {
            if !"dgimsuyv".contains(flag) || seen.contains(flag) {
                return Err(error("invalid flags"));
            }
            seen.push(flag);
        }
        if seen.contains('u') && seen.contains('v') {
            return Err(error("invalid flags"));
        }
        let translated = Translator::new(pattern, &seen)
            .translate()
            .map_err(&error)?;
        let regex = Regex::new(&translated).map_err(|e| error(&e.to_string()))?;
        Ok(JsRegex { regex })
    }

    /// `regex.test(text)` (on a fresh regex: `g` does not matter). fancy-regex
    /// gives up on a match that backtracks too much, where JavaScript
    /// carries on: then the rule cannot judge.
    pub(crate) fn test(&self, text: &str) -> Result<bool, Unresolved> {
        self.regex
            .is_match(text)
            .map_err(|e| Unresolved::new(&Value::String(e.to_string())))
    }
}

impl JsRegex {
    /// `regex.exec(text)`: the groups of the first match (numbered as in
    /// the JavaScript pattern: the translation adds no capturing group).
    pub(crate) fn captures<'t>(
        &self,
        text: &'t str,
    ) -> Result<Option<fancy_regex::Captures<'t>>, Unresolved> {
        self.regex
            .captures(text)
            .map_err(|e| Unresolved::new(&Value::String(e.to_string())))
    }
}

/// `new RegExp(pattern).test(text)`.
pub(crate) fn test(pattern: &str, text: &str) -> Result<bool, Unresolved> {
    JsRegex::new(pattern, "")?.test(text)
}

/// A character as a literal of fancy-regex's syntax.
fn literal(c: char, out: &mut String) {
    if c.is_ascii_alphanumeric() || c == '_' {
        out.push(c);
    } else {
        let _ = write!(out, r"\x{{{:x}}}", u32::from(c));
    }
}

/// A set of characters (`\d`, `\W`, ...) as the inside of a class, and
/// whether it is negated.
fn class_escape(c: char) -> Option<(&'static str, bool)> {
    Some(match c {
        'd' => (DIGIT, false),
        'D' => (DIGIT, true),
        'w' => (WORD, false),
        'W' => (WORD, true),
        's' => (SPACE, false),
        'S' => (SPACE, true),
        _ => return None,
    })
}

/// One character (or set) of a class, or an atom's escaped character.
enum ClassAtom {
    Char(char),
    Set(&'static str, bool),
}

struct Translator<'p> {
    chars: Vec<char>,
    pos: usize,
    out: String,
    /// Capturing groups in the whole pattern (a `\N` beyond them is octal).
    groups: usize,
    /// Whether the pattern has named groups (then `\k<name>` is a back-reference).
    named: bool,
    multiline: bool,
    dot_all: bool,
    flags: &'p str,
}

impl<'p> Translator<'p> {
    fn new(pattern: &str, flags: &'p str) -> Translator<'p> {
        let chars: Vec<char> = pattern.chars().collect();
        let (mut groups, mut named, mut in_class, mut i) = (0, false, false, 0);
        while i < chars.len() {
            match chars[i] {
                '\\' => i += 1,
                '[' => in_class = true,
                ']' => in_class = false,
                '(' if !in_class => {
                    let next: String = chars[i + 1..].iter().take(3).collect();
                    if !next.starts_with('?') {
                        groups += 1;
                    } else if next.starts_with("?<")
                        && !next.starts_with("?<=")
                        && !next.starts_with("?<!")
                    {
                        groups += 1;
                        named = true;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Translator {
            chars,
            pos: 0,
            out: String::new(),
            groups,
            named,
            multiline: flags.contains('m'),
            dot_all: flags.contains('s'),
            flags,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn translate(mut self) -> Result<String, &'static str> {
        if self.flags.contains('i') {
            self.out.push_str("(?i)");
        }
        // Sticky: `test` on a fresh regex matches at index 0 only.
        let sticky = self.flags.contains('y');
        if sticky {
            self.out.push_str(r"\A(?:");
        }
        let mut depth = 0usize;
        // Whether the last thing written may take a quantifier.
        let mut quantifiable = false;
        while let Some(c) = self.peek() {
            self.pos += 1;
            quantifiable = match c {
                '\\' => self.escape()?,
                '(' => {
                    depth += 1;
                    self.group()?;
                    false
                }
                ')' => {
                    depth = depth.checked_sub(1).ok_or("Unmatched ')'")?;
                    self.out.push(')');
                    true
                }
                '[' => {
                    self.class()?;
                    true
                }
                '|' => {
                    self.out.push('|');
                    false
                }
                '.' => {
                    if self.dot_all {
                        self.out.push_str("(?s:.)");
                    } else {
                        let _ = write!(self.out, "[^{LINE_TERMINATOR}]");
                    }
                    true
                }
                '^' => {
                    if self.multiline {
                        let _ = write!(self.out, r"(?:\A|(?<=[{LINE_TERMINATOR}]))");
                    } else {
                        self.out.push_str(r"\A");
                    }
                    false
                }
                '$' => {
                    if self.multiline {
                        let _ = write!(self.out, r"(?:\z|(?=[{LINE_TERMINATOR}]))");
                    } else {
                        self.out.push_str(r"\z");
                    }
                    false
                }
                '*' | '+' | '?' => {
                    if !quantifiable {
                        return Err("Nothing to repeat");
                    }
                    self.out.push(c);
                    self.lazy();
                    false
                }
                '{' => match self.braced_quantifier() {
                    Some((min, max, len)) => {
                        if !quantifiable {
                            return Err("Nothing to repeat");
                        }
                        if max.is_some_and(|m| m < min) {
                            return Err("numbers out of order in {} quantifier");
                        }
                        self.out.extend(&self.chars[self.pos - 1..self.pos + len]);
                        self.pos += len;
                        self.lazy();
                        false
                    }
                    None => {
                        literal('{', &mut self.out);
                        true
                    }
                },
                other => {
                    literal(other, &mut self.out);
                    true
                }
            };
        }
        if depth > 0 {
            return Err("Unterminated group");
        }
        if sticky {
            self.out.push(')');
        }
        Ok(self.out)
    }

    /// A `?` making the quantifier just written lazy.
    fn lazy(&mut self) {
        if self.peek() == Some('?') {
            self.pos += 1;
            self.out.push('?');
        }
    }

    /// `n}`, `n,}` or `n,m}` after a `{`: (min, max, length), without consuming it.
    fn braced_quantifier(&self) -> Option<(u64, Option<u64>, usize)> {
        let mut i = self.pos;
        let digits = |i: &mut usize| {
            let start = *i;
            let mut n: u64 = 0;
            while let Some(d) = self.chars.get(*i).and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u64::from(d));
                *i += 1;
            }
            (*i > start).then_some(n)
        };
        let min = digits(&mut i)?;
        let max = if self.chars.get(i) == Some(&',') {
            i += 1;
            digits(&mut i)
        } else {
            Some(min)
        };
        (self.chars.get(i) == Some(&'}')).then_some((min, max, i + 1 - self.pos))
    }

    /// After `(`: a group, a look-around or a named group.
    fn group(&mut self) -> Result<(), &'static str> {
        if self.peek() != Some('?') {
            self.out.push('(');
            return Ok(());
        }
        let kinds = ["?:", "?=", "?!", "?<=", "?<!"];
        let rest: String = self.chars[self.pos..].iter().take(3).collect();
        if let Some(kind) = kinds.iter().find(|k| rest.starts_with(**k)) {
            self.pos += kind.chars().count();
            self.out.push('(');
            self.out.push_str(kind);
            return Ok(());
        }
        if rest.starts_with("?<") {
            self.pos += 2;
            let name = self.group_name()?;
            let _ = write!(self.out, "(?<{name}>");
            return Ok(());
        }
        Err("Invalid group")
    }

    /// `name>` of a named group or a `\k<name>`.
    fn group_name(&mut self) -> Result<String, &'static str> {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == '>' {
                return if name.is_empty() {
                    Err("Invalid capture group name")
                } else {
                    Ok(name)
                };
            }
            if !(c.is_alphanumeric() || c == '_' || c == '$') {
                return Err("Invalid capture group name");
            }
            name.push(c);
        }
        Err("Invalid capture group name")
    }

    /// An escape outside a class (after the `\`); whether it may be quantified.
    fn escape(&mut self) -> Result<bool, &'static str> {
        let c = self.peek().ok_or("\\ at end of pattern")?;
        match c {
            'b' | 'B' => {
                self.pos += 1;
                let (after, not_after) = (format!("(?=[{WORD}])"), format!("(?![{WORD}])"));
                let (before, not_before) = (format!("(?<=[{WORD}])"), format!("(?<![{WORD}])"));
                let _ = if c == 'b' {
                    write!(self.out, "(?:{before}{not_after}|{not_before}{after})")
                } else {
                    write!(self.out, "(?:{before}{after}|{not_before}{not_after})")
                };
                Ok(false)
            }
            '1'..='9' => {
                let start = self.pos;
                let mut n = 0usize;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    n = n.saturating_mul(10).saturating_add(d as usize);
                    self.pos += 1;
                }
                if n <= self.groups {
                    let _ = write!(self.out, r"(?:\{n})");
                } else {
                    // Annex B: not a group, so an octal escape (`\8`, `\9`: the digit).
                    self.pos = start;
                    let c = self.legacy_octal();
                    literal(c, &mut self.out);
                }
                Ok(true)
            }
            'k' if self.named => {
                self.pos += 1;
                if self.peek() != Some('<') {
                    return Err("Invalid named reference");
                }
                self.pos += 1;
                let name = self.group_name()?;
                let _ = write!(self.out, r"\k<{name}>");
                Ok(true)
            }
            _ => {
                match self.char_escape(false) {
                    ClassAtom::Char(c) => literal(c, &mut self.out),
                    ClassAtom::Set(set, negated) => {
                        let _ = write!(self.out, "[{}{set}]", if negated { "^" } else { "" });
                    }
                }
                Ok(true)
            }
        }
    }

    /// `\0`..`\377` (Annex B's legacy octal escapes), or `8`/`9` as themselves.
    fn legacy_octal(&mut self) -> char {
        let first = self.peek().and_then(|d| d.to_digit(8));
        let Some(first) = first else {
            let c = self.peek().unwrap_or('\\');
            self.pos += 1;
            return c;
        };
        self.pos += 1;
        let mut value = first;
        let max_digits = if first <= 3 { 3 } else { 2 };
        for _ in 1..max_digits {
            match self.peek().and_then(|d| d.to_digit(8)) {
                Some(d) => {
                    value = value * 8 + d;
                    self.pos += 1;
                }
                None => break,
            }
        }
        char::from_u32(value).unwrap_or('\0')
    }

    /// An escape that is one character or a set (after the `\`), inside a
    /// class or not.
    fn char_escape(&mut self, in_class: bool) -> ClassAtom {
        let Some(c) = self.peek() else {
            return ClassAtom::Char('\\');
        };
        self.pos += 1;
        if let Some((set, negated)) = class_escape(c) {
            return ClassAtom::Set(set, negated);
        }
        ClassAtom::Char(match c {
            't' => '\t',
            'n' => '\n',
            'v' => '\u{b}',
            'f' => '\u{c}',
            'r' => '\r',
            'b' if in_class => '\u{8}',
            '0'..='9' => {
                self.pos -= 1;
                self.legacy_octal()
            }
            'c' => match self.peek() {
                Some(l)
                    if l.is_ascii_alphabetic()
                        || (in_class && (l.is_ascii_digit() || l == '_')) =>
                {
                    self.pos += 1;
                    char::from(l as u8 % 32)
                }
                // Annex B: `\c` without a letter is a backslash, then a `c`.
                _ => {
                    self.pos -= 1;
                    '\\'
                }
            },
            'x' => self.hex(2).unwrap_or('x'),
            'u' if self.flags.contains('u') && self.peek() == Some('{') => {
                let end = self.chars[self.pos..].iter().position(|c| *c == '}');
                let code = end.and_then(|end| {
                    let hex: String = self.chars[self.pos + 1..self.pos + end].iter().collect();
                    let code = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)?;
                    self.pos += end + 1;
                    Some(code)
                });
                code.unwrap_or('u')
            }
            'u' => self.hex(4).unwrap_or('u'),
            other => other,
        })
    }

    /// `len` hex digits after `\x`/`\u`, as a character.
    fn hex(&mut self, len: usize) -> Option<char> {
        let hex: String = self.chars.iter().skip(self.pos).take(len).collect();
        let c = (hex.chars().count() == len && hex.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| u32::from_str_radix(&hex, 16).ok())
            .flatten()
            .and_then(char::from_u32)?;
        self.pos += len;
        Some(c)
    }

    /// A class (after the `[`).
    fn class(&mut self) -> Result<(), &'static str> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut items = String::new();
        loop {
            let c = self.peek().ok_or("Unterminated character class")?;
            if c == ']' {
                self.pos += 1;
                break;
            }
            let first = self.class_atom();
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| c != ']') {
                self.pos += 1;
                let second = self.class_atom();
                match (first, second) {
                    (ClassAtom::Char(lo), ClassAtom::Char(hi)) => {
                        if lo > hi {
                            return Err("Range out of order in character class");
                        }
                        literal(lo, &mut items);
                        items.push('-');
                        literal(hi, &mut items);
                    }
                    // Annex B: a set at either end makes the `-` a literal.
                    (a, b) => {
                        for atom in [a, ClassAtom::Char('-'), b] {
                            push_class_atom(atom, &mut items);
                        }
                    }
                }
            } else {
                push_class_atom(first, &mut items);
            }
        }
        match (items.is_empty(), negated) {
            // `[]` matches nothing, `[^]` anything.
            (true, false) => self.out.push_str(r"[^\x{0}-\x{10ffff}]"),
            (true, true) => self.out.push_str(r"[\x{0}-\x{10ffff}]"),
            _ => {
                let _ = write!(self.out, "[{}{items}]", if negated { "^" } else { "" });
            }
        }
        Ok(())
    }

    fn class_atom(&mut self) -> ClassAtom {
        let c = self.peek().unwrap_or(']');
        self.pos += 1;
        if c != '\\' {
            return ClassAtom::Char(c);
        }
        if self.peek() == Some('-') {
            self.pos += 1;
            return ClassAtom::Char('-');
        }
        self.char_escape(true)
    }
}

fn push_class_atom(atom: ClassAtom, items: &mut String) {
    match atom {
        ClassAtom::Char(c) => literal(c, items),
        ClassAtom::Set(set, false) => items.push_str(set),
        ClassAtom::Set(set, true) => {
            let _ = write!(items, "[^{set}]");
        }
    }
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
        // JavaScript's `\w` is ASCII.
        assert!(t(r"B(?![\w])", "Bé"));
    }

    #[test]
    fn javascript_leniency_and_errors() {
        // `[object Object]` is a class; `${Token[..]}` never matches; `{` alone is a literal.
        assert!(t("[object Object](?![\\w])", "t!"));
        assert!(!t("${Token[TOKEN.12]}(?![\\w\\-])", "${Token[TOKEN.12]}"));
        assert!(t("a{b", "xa{b"));
        assert!(t("a}b]", "a}b]"));
        assert!(t("a{2}", "aa"));
        assert!(!t("^a{2,3}$", "aaaa"));
        assert!(t(r"\k\q\c", "kq\\c"));
        assert!(t(r"\x4\u12", "x4u12"));
        assert!(t(r"(a)\1\2", "aa\u{2}"));
        assert!(t(r"\8", "8"));
        assert!(t(r"[\w-.]", "-"));
        assert!(!t("[]", "a"));
        assert!(t("^[^]$", "\n"));
        for bad in ["(a", "*a", "a)", "[b-a]", "a{3,2}", "a**", "(?x)", "[a"] {
            assert!(test(bad, "a").is_err(), "{bad}");
        }
    }

    #[test]
    fn quantifiers_alternation_lines_and_flags() {
        assert!(t(
            "Api.+Stage(?![\\w])",
            r#"["/restapis/",{"Ref":"Api"},"/stages/",{"Ref":"Stage"}]"#
        ));
        assert!(!t("Api.+Stage(?![\\w])", "ApiStage"));
        assert!(t("^(ab|cd)*?e$", "abcde"));
        // fancy-regex does not repeat an empty group (JavaScript does).
        assert!(test("x(?:)*y", "xy").is_err());
        let multiline = |p: &str, s: &str| JsRegex::new(p, "gm").unwrap().test(s).unwrap();
        assert!(multiline("^b$", "a\rb\u{2028}c"));
        assert!(!t("^b", "a\nb"));
        assert!(t(r"\s", "\u{feff}"));
        assert!(!t(".", "\r"));
        assert!(t(r"\bis\b", "this is"));
        assert!(JsRegex::new("^action::S3", "i")
            .unwrap()
            .test("Action::s3:*")
            .unwrap());
        assert!(!JsRegex::new("b", "y").unwrap().test("ab").unwrap());
        assert!(JsRegex::new("a", "gg").is_err());
        assert!(JsRegex::new("a", "x").is_err());
    }
}
