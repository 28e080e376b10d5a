//! Rustdoc text from schema descriptions.

use fancy_regex::Regex;
use serde_json::Value as J;
use std::sync::LazyLock;

/// Descriptions are cut at a sentence boundary after this many characters.
const MAX_DOC: usize = 600;

static LINK_OR_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\[(?P<text>[^\[\]]*)\]\((?P<url>https?://[^\s()<>]+)\)",
        r#"|(?P<bare>https?://[^\s<>()\[\]"'`]+[^\s<>()\[\]"'`.,;:!?])"#,
    ))
    .expect("valid pattern")
});

static NEEDS_ESCAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([#>+=~`-]|\d+[.)])").expect("valid pattern"));

/// Whitespace as Python's `str.isspace` (and `re`'s `\s`) defines it: Rust's
/// `char::is_whitespace` plus the information separators U+001C..U+001F.
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The first paragraph: text before the first `\n\s*\n`.
fn first_paragraph(text: &str) -> &str {
    for (i, c) in text.char_indices() {
        if c != '\n' {
            continue;
        }
        for d in text[i + 1..].chars() {
            if d == '\n' {
                return &text[..i];
            }
            if !py_space(d) {
                break;
            }
        }
    }
    text
}

/// The first paragraph of a schema description, on one line, cut at a
/// sentence boundary after 600 characters, markdown-escaped, with bare URLs
/// turned into autolinks. Not a string: empty.
pub fn doc_text(text: Option<&J>) -> String {
    let Some(J::String(text)) = text else {
        return String::new();
    };
    let text = text.replace("\r\n", "\n");
    let para = first_paragraph(text.trim_matches(py_space));
    let para: String = para
        .split(py_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut para: String = para.chars().filter(|&c| c >= ' ' && c != '\x7f').collect();
    let chars: Vec<char> = para.chars().collect();
    if chars.len() > MAX_DOC {
        // The last ". " that ends before MAX_DOC characters.
        let cut = (0..MAX_DOC - 1)
            .rev()
            .find(|&i| chars[i] == '.' && chars[i + 1] == ' ');
        para = match cut {
            Some(cut) if cut > 80 => chars[..=cut].iter().collect(),
            _ => {
                let s: String = chars[..MAX_DOC].iter().collect();
                s.trim_end_matches(py_space).to_owned() + "…"
            }
        };
    }
    let mut out = String::new();
    let mut pos = 0;
    for m in LINK_OR_URL.captures_iter(&para) {
        let m = m.expect("no backtrack limit hit");
        let whole = m.get(0).expect("match");
        out += &escape_md(&para[pos..whole.start()]);
        if let Some(url) = m.name("url") {
            // A markdown link: keep it a link.
            let text = m.name("text").map_or("", |t| t.as_str());
            out += &format!("[{}]({})", escape_md(text), url.as_str());
        } else {
            out += &format!("<{}>", m.name("bare").expect("bare URL").as_str());
        }
        pos = whole.end();
    }
    out += &escape_md(&para[pos..]);
    let mut s = out.trim_matches(py_space).to_owned();
    if NEEDS_ESCAPE.is_match(&s).expect("no backtrack limit hit") {
        s.insert(0, '\\');
    }
    s
}

fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `///` lines for the non-empty paragraphs, separated by an empty `///`.
pub fn doc_lines(indent: &str, paragraphs: &[&str]) -> Vec<String> {
    let mut lines = Vec::new();
    for p in paragraphs.iter().filter(|p| !p.is_empty()) {
        if !lines.is_empty() {
            lines.push(format!("{indent}///"));
        }
        lines.push(format!("{indent}/// {p}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn first_paragraph_on_one_line_with_links() {
        let d = json!("See  https://example.com/a.\n more [x](https://e.com/y) <b>\n \nsecond");
        assert_eq!(
            doc_text(Some(&d)),
            "See <https://example.com/a>. more [x](https://e.com/y) \\<b\\>"
        );
        assert_eq!(doc_text(Some(&json!("# title"))), "\\# title");
        assert_eq!(doc_text(Some(&json!(1))), "");
    }

    #[test]
    fn long_text_is_cut_at_a_sentence() {
        let text = format!("{}. {}", "a".repeat(100), "b".repeat(700));
        assert_eq!(
            doc_text(Some(&J::String(text))),
            format!("{}.", "a".repeat(100))
        );
    }
}
