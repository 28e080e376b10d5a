//! Intrinsic functions as an L1 holds them after `CfnInclude`, before any
//! resolution (`node.engine`, `node.availabilityZones`).
//!
//! `CfnInclude` parses each intrinsic into what the CDK's `Fn` makes of
//! it: in a string property a token string (`${Token[Engine.Ref.12]}`,
//! never empty, naming what it refers to); in a list property a list of
//! one token (`Fn::GetAZs`, `Fn::Cidr`, a `Ref` to `AWS::NotificationARNs`),
//! the evaluated list (`Fn::Split` of literals), a token string
//! (`Fn::Join`, `Fn::Sub`, `Fn::Select`, ...) or an object with no length
//! and no `includes` (`Ref`, `Fn::GetAtt`, `Fn::If`, `Fn::FindInMap`).
//! Numbers and booleans of string properties are strings.

use std::borrow::Cow;

use serde_json::Value;

use crate::js::value::{cfn_string, defined};

/// An unresolved string property.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Text<'a> {
    /// A literal (numbers and booleans become their strings).
    Literal(Cow<'a, str>),
    /// An intrinsic function: a token string such as
    /// `${Token[Engine.Ref.12]}`, here without its number (see [`token_name`]).
    Token(String),
}

impl Text<'_> {
    /// `value.toLowerCase().includes(needle)` (`needle` in lower case). A
    /// token string contains the name of what it refers to, so a `Ref` to
    /// a parameter `AuroraEngine` "includes" `aurora`, as in cdk-nag.
    pub(crate) fn lower_contains(&self, needle: &str) -> bool {
        match self {
            Text::Literal(s) => s.to_lowercase().contains(needle),
            Text::Token(name) => format!("${{Token[{name}.]}}")
                .to_lowercase()
                .contains(needle),
        }
    }

    /// `value.length == 0`.
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Text::Literal(s) if s.is_empty())
    }

    /// `value === literal`.
    pub(crate) fn is(&self, literal: &str) -> bool {
        matches!(self, Text::Literal(s) if s == literal)
    }
}

/// The name in the token string `CfnInclude` makes of an intrinsic
/// function: `Id.Ref` for a `Ref`, `AWS.Region` for a pseudo parameter,
/// `Id.Attr` for a `Fn::GetAtt`, `Fn::Join` for a join, `TOKEN` otherwise.
fn token_name(value: &Value) -> String {
    if let Some(target) = value.get("Ref").and_then(Value::as_str) {
        return match target.strip_prefix("AWS::") {
            Some(pseudo) => format!("AWS.{pseudo}"),
            None => format!("{target}.Ref"),
        };
    }
    match value.get("Fn::GetAtt") {
        Some(Value::Array(parts)) => {
            let part = |i: usize| parts.get(i).and_then(Value::as_str).unwrap_or_default();
            return format!("{}.{}", part(0), part(1));
        }
        Some(Value::String(path)) => return path.clone(),
        _ => {}
    }
    if value.get("Fn::Join").is_some() {
        return "Fn::Join".to_owned();
    }
    "TOKEN".to_owned()
}

/// A string property without resolving it.
pub(crate) fn text(value: Option<&Value>) -> Option<Text<'_>> {
    let value = defined(value)?;
    Some(match cfn_string(Some(value)) {
        Some(s) => Text::Literal(s),
        None => Text::Token(token_name(value)),
    })
}

/// An unresolved string-list property.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TextList<'a> {
    /// A list.
    Items(Vec<Text<'a>>),
    /// A string: `length` and `includes` are the string's.
    String(String),
    /// An object: `length` is `undefined`, `includes` throws.
    Object,
}

impl TextList<'_> {
    /// `list.includes(item)`; `None` where JavaScript throws.
    pub(crate) fn includes(&self, item: &str) -> Option<bool> {
        match self {
            TextList::Items(items) => Some(items.iter().any(|i| i.is(item))),
            TextList::String(s) => Some(s.contains(item)),
            TextList::Object => None,
        }
    }

    /// `list.length`: `None` for `undefined`.
    pub(crate) fn length(&self) -> Option<usize> {
        match self {
            TextList::Items(items) => Some(items.len()),
            TextList::String(s) => Some(s.encode_utf16().count()),
            TextList::Object => None,
        }
    }

    /// `list.length < n` (`undefined < n` is false).
    pub(crate) fn shorter_than(&self, n: usize) -> bool {
        self.length().is_some_and(|l| l < n)
    }
}

/// A string-list property without resolving it.
pub(crate) fn text_list(value: Option<&Value>) -> Option<TextList<'_>> {
    let value = defined(value)?;
    let token = || Text::Token("TOKEN".to_owned());
    Some(match value {
        Value::Array(items) => TextList::Items(
            items
                .iter()
                .map(|item| text(Some(item)).unwrap_or_else(token))
                .collect(),
        ),
        Value::Object(map) => {
            let (function, args) = map
                .iter()
                .next()
                .map_or(("", &Value::Null), |(k, v)| (k.as_str(), v));
            match function {
                "Fn::GetAZs" | "Fn::Cidr" => TextList::Items(vec![token()]),
                "Ref" if args == "AWS::NotificationARNs" => TextList::Items(vec![token()]),
                // `Fn.split` splits a literal at once.
                "Fn::Split" => match args.as_array().map(Vec::as_slice) {
                    Some([Value::String(delimiter), Value::String(source)]) => {
                        let pieces: Vec<String> = if delimiter.is_empty() {
                            source.chars().map(String::from).collect()
                        } else {
                            source
                                .split(delimiter.as_str())
                                .map(str::to_owned)
                                .collect()
                        };
                        TextList::Items(
                            pieces
                                .into_iter()
                                .map(|p| Text::Literal(Cow::Owned(p)))
                                .collect(),
                        )
                    }
                    _ => TextList::Items(vec![token()]),
                },
                "Fn::Join" | "Fn::Sub" | "Fn::Select" | "Fn::ImportValue" | "Fn::Base64" => {
                    TextList::String(format!("${{Token[{}.]}}", token_name(value)))
                }
                _ => TextList::Object,
            }
        }
        other => TextList::String(cfn_string(Some(other)).unwrap_or_default().into_owned()),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn unresolved_strings_are_literals_or_tokens() {
        let engine = json!("Aurora-MySQL");
        assert!(text(Some(&engine)).unwrap().lower_contains("aurora"));
        let reference = json!({"Ref": "Engine"});
        assert_eq!(
            text(Some(&reference)),
            Some(Text::Token("Engine.Ref".to_owned()))
        );
        assert!(!text(Some(&reference)).unwrap().is_empty());
        assert!(!text(Some(&reference)).unwrap().lower_contains("aurora"));
        let aurora = json!({"Fn::GetAtt": ["AuroraSettings", "Value"]});
        assert!(text(Some(&aurora)).unwrap().lower_contains("aurora"));
        let region = json!({"Ref": "AWS::Region"});
        assert_eq!(
            text(Some(&region)),
            Some(Text::Token("AWS.Region".to_owned()))
        );
        assert!(text(Some(&json!(""))).unwrap().is_empty());
        assert!(text(Some(&json!(5432))).unwrap().is("5432"));
        assert_eq!(text(Some(&Value::Null)), None);
    }

    #[test]
    fn list_properties_given_by_an_intrinsic() {
        let (azs, join, choice) = (
            json!({"Fn::GetAZs": ""}),
            json!({"Fn::Join": [",", ["a", "b"]]}),
            json!({"Fn::If": ["C", ["a"], ["b"]]}),
        );
        let zones = text_list(Some(&azs)).unwrap();
        assert!(zones.shorter_than(2));
        assert_eq!(zones.includes("us-east-1a"), Some(false));
        let joined = text_list(Some(&join)).unwrap();
        assert!(!joined.shorter_than(2));
        assert_eq!(joined.includes("a"), Some(false));
        let chosen = text_list(Some(&choice)).unwrap();
        assert!(!chosen.shorter_than(2));
        assert_eq!(chosen.includes("a"), None);
        let split = json!({"Fn::Split": [",", "a,b"]});
        assert_eq!(text_list(Some(&split)).unwrap().length(), Some(2));
        assert_eq!(text_list(Some(&split)).unwrap().includes("b"), Some(true));
        let split = json!({"Fn::Split": [",", {"Ref": "P"}]});
        assert_eq!(text_list(Some(&split)).unwrap().length(), Some(1));
        let arns = json!({"Ref": "AWS::NotificationARNs"});
        assert_eq!(text_list(Some(&arns)).unwrap().length(), Some(1));
        assert_eq!(
            text_list(Some(&json!({"Ref": "Zones"}))).unwrap().length(),
            None
        );
        assert_eq!(text_list(Some(&json!("ab"))).unwrap().length(), Some(2));
    }
}
