//! Schema `pattern`s: ECMA-262 / Python `regex` dialect.
//!
//! Compiling a Unicode-aware `regex` costs 0.3 ms or more per pattern (a
//! class like `\w` expands to hundreds of UTF-8 ranges, and a counted
//! repetition of it to many copies), which would dominate a small synth. So
//! each pattern has two engines, built lazily and cached for the life of the
//! process:
//! - for ASCII text (nearly all property values), `regex-lite`, which compiles
//!   in microseconds. On ASCII input its ASCII `\w`, `\d`, `\s`, `\b` agree
//!   with the Unicode ones;
//! - for other text, or for patterns `regex-lite` rejects (`\p{..}`), the
//!   `regex` crate, falling back to `fancy-regex` for lookaround and
//!   backreferences.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// How a schema pattern is evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PatternSupport {
    /// Compiled with the `regex` crate (linear time); ASCII text is matched
    /// with `regex-lite` when it accepts the pattern.
    Regex,
    /// Needs lookaround or backreferences: compiled with `fancy-regex`.
    Fancy,
    /// Feature `unicode-regex` is off: checked on ASCII text only.
    AsciiOnly,
    /// Neither engine accepts it: the `pattern` check is skipped. The string
    /// is the compiler's reason.
    Unsupported(String),
}

enum Full {
    #[cfg(feature = "unicode-regex")]
    Std(regex::Regex),
    #[cfg(feature = "unicode-regex")]
    Fancy(fancy_regex::Regex),
    /// Only `regex-lite` is available (feature `unicode-regex` off).
    #[cfg(not(feature = "unicode-regex"))]
    LiteOnly,
    Unsupported(String),
}

struct Compiled {
    translated: String,
    /// `None` when regex-lite rejects the pattern.
    lite: Option<regex_lite::Regex>,
    full: OnceLock<Full>,
}

impl Compiled {
    fn full(&self) -> &Full {
        self.full.get_or_init(|| compile_full(&self.translated))
    }
}

/// Rewrite the Python/ECMA constructs that the Rust engines spell
/// differently:
/// - `\Z` (end of string) becomes `\z`; `\_` becomes `_`;
/// - in a class, `]` first is a literal, a nested `[` is a literal, and a
///   `-` next to a class escape (`[\w-.]`) is a literal;
/// - `{,n}` becomes `{0,n}`;
/// - a counted repetition with an upper bound above [`MAX_BOUNDED`] loses its
///   upper bound (`.{1,65535}` becomes `.{1,}`): the Rust engines build such
///   automata eagerly, and the schemas pair these patterns with `maxLength`,
///   which is still checked. This only ever accepts more, never less.
fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut in_class = false;
    // Whether the last thing emitted in the current class was a class
    // escape such as `\w` (so a following `-` is a literal).
    let mut after_class_escape = false;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let Some(&n) = chars.get(i) else {
                    out.push_str("\\\\");
                    break;
                };
                i += 1;
                let class_escape = matches!(n, 'w' | 'W' | 'd' | 'D' | 's' | 'S' | 'p' | 'P');
                // Surrogate code points (`\uD800`, `\uDBFF-\uDC00`) in a class
                // can never match a Rust string (nor text parsed from JSON):
                // drop them, and ranges made only of them.
                if in_class && n == 'u' {
                    if let Some(cp) = hex4(&chars, i) {
                        if (0xD800..=0xDFFF).contains(&cp) {
                            i += 4;
                            if chars.get(i) == Some(&'-')
                                && chars.get(i + 1) == Some(&'\\')
                                && chars.get(i + 2) == Some(&'u')
                            {
                                if let Some(end) = hex4(&chars, i + 3) {
                                    if (0xD800..=0xDFFF).contains(&end) {
                                        i += 7;
                                    }
                                }
                            }
                            continue;
                        }
                    }
                }
                match n {
                    'Z' if !in_class => out.push_str("\\z"),
                    '_' => out.push('_'),
                    'p' | 'P' if chars.get(i) == Some(&'{') => {
                        out.push('\\');
                        out.push(n);
                        while i < chars.len() {
                            out.push(chars[i]);
                            i += 1;
                            if chars[i - 1] == '}' {
                                break;
                            }
                        }
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
                after_class_escape = in_class && class_escape;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            '[' if in_class => {
                if chars.get(i) == Some(&':') {
                    out.push('[');
                } else {
                    out.push_str("\\[");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '-' if in_class => {
                let next_is_class_escape = chars.get(i) == Some(&'\\')
                    && matches!(chars.get(i + 1), Some('w' | 'W' | 'd' | 'D' | 's' | 'S'));
                if after_class_escape || next_is_class_escape {
                    out.push_str("\\-");
                } else {
                    out.push('-');
                }
            }
            '{' if !in_class => {
                // {m,n} / {,n} / {m,} / {m}
                let close = chars[i..].iter().position(|&c| c == '}').map(|p| i + p);
                let body: Option<String> = close.map(|e| chars[i..e].iter().collect());
                match body.as_deref().and_then(parse_counted) {
                    Some((min, max)) => {
                        out.push('{');
                        out.push_str(&min.to_string());
                        match max {
                            Some(Some(m)) if m <= MAX_BOUNDED => {
                                out.push(',');
                                out.push_str(&m.to_string());
                            }
                            Some(_) => out.push(','),
                            None => {}
                        }
                        out.push('}');
                        i = close.map_or(i, |e| e + 1);
                    }
                    None => out.push_str("\\{"),
                }
            }
            _ => out.push(c),
        }
        after_class_escape = false;
    }
    out
}

fn hex4(chars: &[char], at: usize) -> Option<u32> {
    let s: String = chars.get(at..at + 4)?.iter().collect();
    if s.len() == 4 && s.chars().all(|c| c.is_ascii_hexdigit()) {
        u32::from_str_radix(&s, 16).ok()
    } else {
        None
    }
}

/// Counted repetitions above this upper bound are relaxed (see [`translate`]).
const MAX_BOUNDED: u64 = 300;

/// `m,n` / `,n` / `m,` / `m` -> (min, None = exact | Some(max or unbounded)).
#[allow(clippy::type_complexity)]
fn parse_counted(body: &str) -> Option<(u64, Option<Option<u64>>)> {
    let num = |t: &str| -> Option<u64> { t.trim().parse().ok() };
    match body.split_once(',') {
        None => num(body).map(|m| (m, None)),
        Some((a, b)) => {
            let min = if a.trim().is_empty() { 0 } else { num(a)? };
            let max = if b.trim().is_empty() {
                None
            } else {
                Some(num(b)?)
            };
            Some((min, Some(max)))
        }
    }
}

fn compile(pattern: &str) -> Compiled {
    let translated = translate(pattern);
    let lite = regex_lite::RegexBuilder::new(&translated)
        .size_limit(16 << 20)
        .build()
        .ok();
    Compiled {
        translated,
        lite,
        full: OnceLock::new(),
    }
}

#[cfg(not(feature = "unicode-regex"))]
fn compile_full(translated: &str) -> Full {
    match regex_lite::Regex::new(translated) {
        Ok(_) => Full::LiteOnly,
        Err(e) => Full::Unsupported(format!("{e} (feature unicode-regex is off)")),
    }
}

#[cfg(feature = "unicode-regex")]
fn compile_full(translated: &str) -> Full {
    let std = regex::RegexBuilder::new(translated)
        .size_limit(64 << 20)
        .build();
    match std {
        Ok(r) => Full::Std(r),
        Err(e1) => match fancy_regex::Regex::new(translated) {
            Ok(r) => Full::Fancy(r),
            Err(e2) => Full::Unsupported(format!("{e1}; fancy-regex: {e2}")),
        },
    }
}

fn get(pattern: &str) -> Arc<Compiled> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Compiled>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(c) = cache.lock().ok().and_then(|m| m.get(pattern).cloned()) {
        return c;
    }
    let compiled = Arc::new(compile(pattern));
    if let Ok(mut m) = cache.lock() {
        m.insert(pattern.to_owned(), compiled.clone());
    }
    compiled
}

/// A schema `pattern`, looked up in the process-wide cache (and compiled)
/// on first use, then held: matching does no cache lookup.
pub(crate) struct Pattern {
    source: &'static str,
    compiled: OnceLock<Arc<Compiled>>,
}

impl Pattern {
    pub(crate) fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as written in the schema.
    pub(crate) fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches anywhere (JSON Schema semantics: not
    /// implicitly anchored); `None` when the pattern cannot be evaluated.
    pub(crate) fn is_match(&self, text: &str) -> Option<bool> {
        matches(self.compiled.get_or_init(|| get(self.source)), text)
    }
}

/// Whether `text` matches `pattern` anywhere (JSON Schema semantics: the
/// pattern is not implicitly anchored). `None` when the pattern cannot be
/// evaluated (unsupported syntax, or fancy-regex gave up on backtracking).
pub(crate) fn is_match(pattern: &str, text: &str) -> Option<bool> {
    matches(&get(pattern), text)
}

fn matches(c: &Compiled, text: &str) -> Option<bool> {
    if text.is_ascii() {
        if let Some(lite) = &c.lite {
            return Some(lite.is_match(text));
        }
    }
    match c.full() {
        #[cfg(feature = "unicode-regex")]
        Full::Std(r) => Some(r.is_match(text)),
        #[cfg(feature = "unicode-regex")]
        Full::Fancy(r) => r.is_match(text).ok(),
        // regex-lite's classes are ASCII-only: no verdict on other text.
        #[cfg(not(feature = "unicode-regex"))]
        Full::LiteOnly => None,
        Full::Unsupported(_) => None,
    }
}

/// How the validator evaluates `pattern` (for reports and tests).
pub fn pattern_support(pattern: &str) -> PatternSupport {
    match get(pattern).full() {
        #[cfg(feature = "unicode-regex")]
        Full::Std(_) => PatternSupport::Regex,
        #[cfg(feature = "unicode-regex")]
        Full::Fancy(_) => PatternSupport::Fancy,
        #[cfg(not(feature = "unicode-regex"))]
        Full::LiteOnly => PatternSupport::AsciiOnly,
        Full::Unsupported(e) => PatternSupport::Unsupported(e.clone()),
    }
}

#[cfg(all(test, feature = "unicode-regex"))]
mod tests {
    use super::*;

    #[test]
    fn dialect() {
        assert_eq!(is_match(r"^[\w+=,.@-]+$", "my-role"), Some(true));
        assert_eq!(is_match(r"^[\w+=,.@-]+$", "bad role"), Some(false));
        assert_eq!(is_match(r"^a\Z", "a"), Some(true));
        assert_eq!(
            is_match(r"^arn:aws:s3:::\/x$", "arn:aws:s3:::/x"),
            Some(true)
        );
        assert_eq!(is_match(r"^[^]a]+$", "bcd"), Some(true));
        assert_eq!(is_match(r"^x{,2}$", "xx"), Some(true));
        assert_eq!(is_match(r"^(?!aws:).*$", "aws:x"), Some(false));
        assert_eq!(is_match(r"^(?!aws:).*$", "mine"), Some(true));
        assert_eq!(pattern_support(r"^(?!aws:).*$"), PatternSupport::Fancy);
        assert_eq!(is_match(r"\u0009[\u0020-\u00FF]", "\t "), Some(true));
        assert_eq!(is_match(r"^[\w-\.\+]+@x$", "a-b.c+d@x"), Some(true));
        assert_eq!(is_match(r"^[\s-_]+$", " -_"), Some(true));
        assert_eq!(is_match(r"^.{1,65535}$", "abc"), Some(true));
        assert_eq!(is_match(r"^a{2}$", "aa"), Some(true));
        assert_eq!(is_match(r"^a{2}$", "a"), Some(false));
        assert_eq!(is_match(r"^\p{L}{1,3}$", "abcd"), Some(false));
        assert_eq!(is_match(r"^{x}$", "{x}"), Some(true));
        // Unicode text goes to the full engine.
        assert_eq!(is_match(r"^[\w\s+=,.@-]+$", "café pool"), Some(true));
        assert_eq!(is_match(r"^[\w\s+=,.@-]+$", "café!"), Some(false));
        assert_eq!(is_match(r"^[\w]+$", "abc"), Some(true));
        let xml = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\r\n\t]*$";
        assert_eq!(is_match(xml, "ok text\n"), Some(true));
        assert_eq!(is_match(xml, "bell\u{7}"), Some(false));
        assert!(matches!(
            pattern_support("(unclosed"),
            PatternSupport::Unsupported(_)
        ));
        assert_eq!(is_match("(unclosed", "x"), None);
    }
}
