//! Schema `pattern`s: ECMA-262 / Python `regex` dialect, compiled with the
//! `regex` crate, falling back to `fancy-regex` for lookaround and
//! backreferences. Compiled patterns are cached for the life of the process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// How a schema pattern is evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PatternSupport {
    /// Compiled with the `regex` crate (linear time).
    Regex,
    /// Needs lookaround or backreferences: compiled with `fancy-regex`.
    Fancy,
    /// Neither engine accepts it: the `pattern` check is skipped. The string
    /// is the compiler's reason.
    Unsupported(String),
}

enum Compiled {
    Std(regex::Regex),
    Fancy(fancy_regex::Regex),
    Unsupported(String),
}

/// Rewrite the Python/ECMA constructs that the Rust engines spell
/// differently. Only outside character classes where it matters.
fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                // Python's end-of-string anchor.
                Some('Z') if !in_class => out.push_str("\\z"),
                // `\_` is a literal underscore in Python; Rust rejects it.
                Some('_') => out.push('_'),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A leading ']' (or '^]') is a literal in ECMA/Python.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            '[' if in_class => {
                // Nested '[' is literal in ECMA/Python (unless a POSIX class).
                if chars.peek() == Some(&':') {
                    out.push('[');
                } else {
                    out.push_str("\\[");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '{' if !in_class && chars.peek() == Some(&',') => out.push_str("{0"),
            _ => out.push(c),
        }
    }
    out
}

fn compile(pattern: &str) -> Compiled {
    let translated = translate(pattern);
    let std = regex::RegexBuilder::new(&translated)
        .size_limit(64 << 20)
        .build();
    match std {
        Ok(r) => Compiled::Std(r),
        Err(e1) => match fancy_regex::Regex::new(&translated) {
            Ok(r) => Compiled::Fancy(r),
            Err(e2) => Compiled::Unsupported(format!("{e1}; fancy-regex: {e2}")),
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

/// Whether `text` matches `pattern` anywhere (JSON Schema semantics: the
/// pattern is not implicitly anchored). `None` when the pattern cannot be
/// evaluated (unsupported syntax, or fancy-regex gave up on backtracking).
pub(crate) fn is_match(pattern: &str, text: &str) -> Option<bool> {
    match &*get(pattern) {
        Compiled::Std(r) => Some(r.is_match(text)),
        Compiled::Fancy(r) => r.is_match(text).ok(),
        Compiled::Unsupported(_) => None,
    }
}

/// How the validator evaluates `pattern` (for reports and tests).
pub fn pattern_support(pattern: &str) -> PatternSupport {
    match &*get(pattern) {
        Compiled::Std(_) => PatternSupport::Regex,
        Compiled::Fancy(_) => PatternSupport::Fancy,
        Compiled::Unsupported(e) => PatternSupport::Unsupported(e.clone()),
    }
}

#[cfg(test)]
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
        assert!(matches!(
            pattern_support("(unclosed"),
            PatternSupport::Unsupported(_)
        ));
        assert_eq!(is_match("(unclosed", "x"), None);
    }
}
