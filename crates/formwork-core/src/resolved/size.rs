//! How large a value's JSON is, as IAM counts it against its quotas.

use serde_json::Value;

use super::{Inner, Resolved, Target};
use crate::expr::{Expr, ExprMap};

impl Resolved<'_> {
    /// The number of characters of the value's compact JSON text, whitespace
    /// excluded: how IAM measures documents against its size quotas (such
    /// as the 2,048 characters of a role's trust policy). Counted from the
    /// structure, without writing the text.
    pub fn non_whitespace_chars(&self) -> usize {
        self.measure(string_chars)
    }

    /// [`Resolved::non_whitespace_chars`] when it is over `limit`, else
    /// `None`. Quick for values far within the limit: a bound that needs
    /// only string lengths is tried first.
    pub fn non_whitespace_chars_over(&self, limit: usize) -> Option<usize> {
        if self.measure(string_chars_bound) <= limit {
            return None;
        }
        Some(self.non_whitespace_chars()).filter(|&n| n > limit)
    }

    /// The size of the compact JSON, strings measured by `string`.
    fn measure(&self, string: fn(&str) -> usize) -> usize {
        match self.inner {
            Inner::Json(v) => json_measure(v, string),
            Inner::Str(s) => string(s),
            Inner::Properties(m) => self.object_measure(m, string),
            Inner::Expr(Expr::Null) => 4,
            Inner::Expr(Expr::Bool(b)) => {
                if *b {
                    4
                } else {
                    5
                }
            }
            Inner::Expr(Expr::Number(n)) => n.to_string().len(),
            Inner::Expr(Expr::Str(s)) => string(s),
            Inner::Expr(Expr::List(items)) => list_measure(
                items.len(),
                items.iter().map(|e| self.expr_of(e).measure(string)),
            ),
            Inner::Expr(Expr::Map(m)) => self.object_measure(m, string),
            Inner::Expr(Expr::Pseudo(p)) => one_measure("Ref", string(p.name()), string),
            Inner::Expr(Expr::Ref(r)) => match self.context.locate(*r) {
                Some(Target::Local(id)) => one_measure("Ref", string(id), string),
                _ => json_measure(&self.to_value(), string),
            },
            Inner::Expr(Expr::Join { separator, parts }) => {
                let parts = list_measure(
                    parts.len(),
                    parts.iter().map(|e| self.expr_of(e).measure(string)),
                );
                one_measure(
                    "Fn::Join",
                    list_measure(2, [string(separator), parts].into_iter()),
                    string,
                )
            }
            // Imports print export names: measure the JSON of the rest.
            Inner::Expr(_) => json_measure(&self.to_value(), string),
        }
    }

    fn object_measure(&self, m: &ExprMap, string: fn(&str) -> usize) -> usize {
        1 + m.len().max(1)
            + m.iter()
                .map(|(k, e)| string(k) + 1 + self.expr_of(e).measure(string))
                .sum::<usize>()
    }
}

/// A list of `len` items of `items` characters: brackets, and a comma
/// between items.
fn list_measure(len: usize, items: impl Iterator<Item = usize>) -> usize {
    1 + len.max(1) + items.sum::<usize>()
}

/// A one-entry object `{"key": value}` whose value has `value` characters.
fn one_measure(key: &str, value: usize, string: fn(&str) -> usize) -> usize {
    2 + string(key) + 1 + value
}

/// [`Resolved::measure`] of JSON.
fn json_measure(value: &Value, string: fn(&str) -> usize) -> usize {
    match value {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => string(s),
        Value::Array(items) => {
            list_measure(items.len(), items.iter().map(|v| json_measure(v, string)))
        }
        // Braces, a colon per entry and a comma between entries.
        Value::Object(map) => {
            1 + map.len().max(1)
                + map
                    .iter()
                    .map(|(k, v)| string(k) + 1 + json_measure(v, string))
                    .sum::<usize>()
        }
    }
}

/// At least [`string_chars`]: a character is never written as more than six
/// (`\u001f`), and the quotes add two.
fn string_chars_bound(s: &str) -> usize {
    2 + 6 * s.len()
}

/// A JSON string's non-whitespace characters, quotes included, as serde_json
/// escapes it: `\"`, `\\` and `\b \t \n \f \r` take two characters,
/// other control characters six (`\u001f`).
fn string_chars(s: &str) -> usize {
    /// What each ASCII byte counts.
    const ASCII: [u8; 128] = {
        let mut table = [1u8; 128];
        let mut c = 0;
        while c < 0x20 {
            table[c] = 6;
            c += 1;
        }
        table[b'"' as usize] = 2;
        table[b'\\' as usize] = 2;
        table[0x08] = 2;
        table[b'\t' as usize] = 2;
        table[b'\n' as usize] = 2;
        table[0x0c] = 2;
        table[b'\r' as usize] = 2;
        table[b' ' as usize] = 0;
        table
    };
    let count = match plain_ascii_chars(s.as_bytes()) {
        Some(count) => count,
        None => s
            .chars()
            .map(|c| match c {
                c if c.is_ascii() => usize::from(ASCII[c as usize]),
                c if c.is_whitespace() => 0,
                _ => 1,
            })
            .sum(),
    };
    2 + count
}

/// The characters of `bytes` without spaces, when it is ASCII that JSON
/// writes unescaped (the common case); `None` otherwise. Eight bytes at a
/// time, since this runs over every string of every trust policy.
fn plain_ascii_chars(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    /// High bit set in each byte of `x` that is zero (exact for ASCII).
    fn zero_bytes(x: u64) -> u64 {
        !(((x & LOW7) + LOW7) | x | LOW7)
    }
    let mut chunks = bytes.chunks_exact(8);
    let mut spaces = 0;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().ok()?);
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let special = (x & HIGH)
            | below_space
            | zero_bytes(x ^ (ONES * u64::from(b'"')))
            | zero_bytes(x ^ (ONES * u64::from(b'\\')));
        if special != 0 {
            return None;
        }
        spaces += zero_bytes(x ^ (ONES * u64::from(b' '))).count_ones() as usize;
    }
    for &b in chunks.remainder() {
        match b {
            b' ' => spaces += 1,
            b'"' | b'\\' | 0..=0x1f | 0x80.. => return None,
            _ => {}
        }
    }
    Some(bytes.len() - spaces)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::{App, CfnResource, Expr, Scope};

    #[test]
    fn string_chars_counts_like_the_serialized_string() {
        let specials = [
            ' ', '"', '\\', '\t', '\n', '\u{1}', '\u{1f}', '\u{7f}', 'é', '\u{a0}', '\u{2028}',
            '😀', '!', '~',
        ];
        for len in 0..20 {
            for at in 0..len.max(1) {
                for &c in &specials {
                    let mut text: String =
                        (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
                    if len > 0 {
                        text.replace_range(at..at + 1, &c.to_string());
                    }
                    let json = serde_json::to_string(&text).unwrap();
                    let expected = json.chars().filter(|c| !c.is_whitespace()).count();
                    assert_eq!(super::string_chars(&text), expected, "{json}");
                }
            }
        }
    }

    #[test]
    fn non_whitespace_chars_counts_like_the_serialized_string() {
        let values = [
            json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Sid": "with space\tand\u{a0}nbsp\n",
                               "Note": "é€😀 \"quoted\" back\\slash \u{1}\u{1f}\u{7f}\u{8}\u{c}\r\u{b}\u{2028}",
                               "Numbers": [1, -2, 3.5, 1e300, 0.1], "Flags": [true, false, null],
                               "Empty": {}, "None": [], "Ref": {"Ref": "Pool"}}],
            }),
            json!([]),
            json!({}),
            json!(""),
            json!([[], {}, [{}]]),
        ];
        let mut app = App::new();
        let stack = app.stack("S");
        let topic = stack
            .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
            .unwrap();
        let typed = Expr::map()
            .with("Ref", topic.to_ref())
            .with(
                "Tab\there",
                vec![
                    Expr::from("a b"),
                    Expr::Null,
                    Expr::from(false),
                    Expr::from(7),
                ],
            )
            .with("Empty", Expr::map())
            .with("Json", Expr::from(values[0].clone()))
            .with(
                "Join",
                Expr::join(
                    "\t",
                    [crate::Pseudo::Partition.into(), topic.to_ref(), "x".into()],
                ),
            )
            .with("Join0", Expr::join("", []))
            .with("Sub", Expr::sub("a ${AWS::Region}"));
        let mut exprs: Vec<Expr> = values.iter().cloned().map(Expr::from).collect();
        exprs.push(typed);
        let context = crate::resolved::Context {
            app: &app,
            ids: &[vec![None, Some("Topic".to_owned())]],
            stack: 0,
        };
        for e in &exprs {
            let view = crate::resolved::Resolved::expr(e, &context);
            let text = serde_json::to_string(&view).unwrap();
            let expected = text.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(view.non_whitespace_chars(), expected, "{text}");
            for limit in [0, expected.saturating_sub(1), expected, 6 * expected] {
                let over = (expected > limit).then_some(expected);
                assert_eq!(
                    view.non_whitespace_chars_over(limit),
                    over,
                    "{text} {limit}"
                );
            }
        }
        let typed =
            serde_json::to_string(&crate::resolved::Resolved::expr(&exprs[5], &context)).unwrap();
        assert!(typed.contains(r#""Ref":{"Ref":"Topic"}"#), "{typed}");
    }
}
