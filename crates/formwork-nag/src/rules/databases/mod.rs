//! cdk-nag's `AwsSolutions` database rules (`checkDatabases`), one module
//! per service, and the JavaScript value semantics those rules rely on.
//!
//! cdk-nag reads the L1 constructs `CfnInclude` builds from the template,
//! so a rule sees a property in one of two ways:
//! - unresolved (`node.engine`): an intrinsic function in a string
//!   property is a token string (never empty, naming what it refers to),
//!   in a list property a token list, a token string or an object
//!   depending on the function; numbers and booleans of string properties
//!   are strings ([`text`], [`text_list`]);
//! - through `NagRules.resolveIfPrimitive` or `Stack.resolve`: an intrinsic
//!   is an object, which `resolveIfPrimitive` rejects ([`resolved_text`],
//!   [`resolved_flag`], [`resolved_number`]).
//!
//! A rule that throws in JavaScript (`undefined.toLowerCase()`, an object
//! where a primitive is needed) is `Err(Unresolved)`, which the engine
//! reports as `CdkNagValidationFailure`, as cdk-nag does.

use std::borrow::Cow;

use serde_json::Value;

use crate::resource::{as_bool, resolve_primitive, Unresolved};
use crate::rule::Rule;

mod documentdb;
mod dynamodb;
mod elasticache;
mod neptune;
mod rds;
mod redshift;
mod timestream;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[
    rds::RDS2,
    rds::RDS3,
    rds::RDS6,
    rds::RDS8,
    rds::RDS10,
    rds::RDS11,
    rds::RDS13,
    rds::RDS14,
    rds::RDS16,
    dynamodb::DDB3,
    dynamodb::DDB4,
    elasticache::AEC1,
    elasticache::AEC3,
    elasticache::AEC4,
    elasticache::AEC5,
    elasticache::AEC6,
    neptune::N1,
    neptune::N2,
    neptune::N3,
    neptune::N4,
    neptune::N5,
    redshift::RS1,
    redshift::RS2,
    redshift::RS3,
    redshift::RS4,
    redshift::RS5,
    redshift::RS6,
    redshift::RS8,
    redshift::RS9,
    redshift::RS10,
    redshift::RS11,
    documentdb::DOC1,
    documentdb::DOC2,
    documentdb::DOC3,
    documentdb::DOC4,
    documentdb::DOC5,
    timestream::TS3,
];

/// A property JavaScript sees as defined (`!= undefined`): present and not `null`.
fn defined(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

/// The error of a rule that calls a method on `undefined` (a `TypeError`
/// in cdk-nag, reported as a validation failure all the same).
fn undefined_value() -> Unresolved {
    Unresolved::new(&Value::Null)
}

/// An unresolved string property, as an L1 holds it after `CfnInclude`.
#[derive(Clone, Debug, PartialEq)]
enum Text<'a> {
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
    fn lower_contains(&self, needle: &str) -> bool {
        match self {
            Text::Literal(s) => s.to_lowercase().contains(needle),
            Text::Token(name) => format!("${{Token[{name}.]}}")
                .to_lowercase()
                .contains(needle),
        }
    }

    /// `value.length == 0`.
    fn is_empty(&self) -> bool {
        matches!(self, Text::Literal(s) if s.is_empty())
    }

    /// `value === literal`.
    fn is(&self, literal: &str) -> bool {
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

/// A string property without resolving it (`node.engine`).
fn text(value: Option<&Value>) -> Option<Text<'_>> {
    let value = defined(value)?;
    Some(match primitive_string(value) {
        Some(s) => Text::Literal(s),
        None => Text::Token(token_name(value)),
    })
}

/// An unresolved string-list property. `CfnInclude` keeps an intrinsic
/// function in place of the list as what the CDK's `Fn` makes of it: a
/// list of one token (`Fn::GetAZs`, `Fn::Split`, `Fn::Cidr`), a token
/// string (`Fn::Join`, `Fn::Sub`, `Fn::Select`, ...), or an object with no
/// length and no `includes` (`Ref`, `Fn::GetAtt`, `Fn::If`, `Fn::FindInMap`).
#[derive(Clone, Debug, PartialEq)]
enum TextList<'a> {
    /// A list.
    Items(Vec<Text<'a>>),
    /// A string: `length` and `includes` are the string's.
    String(String),
    /// An object: `length` is `undefined`, `includes` throws.
    Object,
}

impl TextList<'_> {
    /// `list.includes(item)`; `None` where JavaScript throws.
    fn includes(&self, item: &str) -> Option<bool> {
        match self {
            TextList::Items(items) => Some(items.iter().any(|i| i.is(item))),
            TextList::String(s) => Some(s.contains(item)),
            TextList::Object => None,
        }
    }

    /// `list.length < n` (`undefined < n` is false).
    fn shorter_than(&self, n: usize) -> bool {
        match self {
            TextList::Items(items) => items.len() < n,
            TextList::String(s) => s.encode_utf16().count() < n,
            TextList::Object => false,
        }
    }
}

/// A string-list property without resolving it (`node.availabilityZones`).
fn text_list(value: Option<&Value>) -> Option<TextList<'_>> {
    let value = defined(value)?;
    Some(match value {
        Value::Array(items) => TextList::Items(
            items
                .iter()
                .map(|item| text(Some(item)).unwrap_or(Text::Token("TOKEN".to_owned())))
                .collect(),
        ),
        Value::Object(map) => {
            let function = map.keys().next().map(String::as_str).unwrap_or_default();
            match function {
                "Fn::GetAZs" | "Fn::Split" | "Fn::Cidr" => {
                    TextList::Items(vec![Text::Token("TOKEN".to_owned())])
                }
                "Fn::Join" | "Fn::Sub" | "Fn::Select" | "Fn::ImportValue" | "Fn::Base64" => {
                    TextList::String(format!("${{Token[{}.]}}", token_name(value)))
                }
                _ => TextList::Object,
            }
        }
        other => TextList::String(primitive_string(other).unwrap_or_default().into_owned()),
    })
}

/// A primitive as the string `CfnInclude` makes of it for a string
/// property (`getString`); `None` for objects and arrays.
fn primitive_string(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        Value::Number(n) => Some(Cow::Owned(js_number_string(n))),
        _ => None,
    }
}

/// A JSON number as JavaScript prints it (`5`, not `5.0`).
fn js_number_string(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
        _ => n.to_string(),
    }
}

/// `NagRules.resolveIfPrimitive` of a string property.
fn resolved_text(value: Option<&Value>) -> Result<Option<Cow<'_, str>>, Unresolved> {
    Ok(defined(resolve_primitive(value)?).and_then(primitive_string))
}

/// `NagRules.resolveIfPrimitive` of a boolean property, as its truthiness
/// (`CfnInclude` has turned `"true"`/`"false"` into booleans; for what it
/// leaves, `!x` and `x == false` agree).
fn resolved_flag(value: Option<&Value>) -> Result<Option<bool>, Unresolved> {
    Ok(defined(resolve_primitive(value)?).map(truthy))
}

/// JavaScript's truthiness of a primitive.
fn truthy(value: &Value) -> bool {
    if let Some(b) = as_bool(value) {
        return b;
    }
    match value {
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Null => false,
        _ => true,
    }
}

/// `NagRules.resolveIfPrimitive` of a number property, as JavaScript
/// compares it with a number: `CfnInclude` reads numeric strings with
/// `parseFloat` and leaves other strings, which compare as `NaN` (a blank
/// one as 0).
fn resolved_number(value: Option<&Value>) -> Result<Option<f64>, Unresolved> {
    Ok(defined(resolve_primitive(value)?).map(|v| match v {
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) if s.trim().is_empty() => 0.0,
        Value::String(s) => parse_float(s),
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => f64::NAN,
    }))
}

/// JavaScript's `parseFloat`: the longest numeric prefix, else `NaN`.
fn parse_float(s: &str) -> f64 {
    let s = s.trim_start();
    let unsigned = s.trim_start_matches(['+', '-']);
    if unsigned.starts_with("Infinity") && s.len() - unsigned.len() <= 1 {
        return if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E')))
        .map_or(s.len(), |(i, _)| i);
    (1..=end)
        .rev()
        .find_map(|n| s[..n].parse::<f64>().ok())
        .unwrap_or(f64::NAN)
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
    }

    #[test]
    fn resolved_values_reject_intrinsics() {
        let reference = json!({"Ref": "P"});
        assert!(resolved_text(Some(&reference)).is_err());
        assert!(resolved_flag(Some(&reference)).is_err());
        assert!(resolved_number(Some(&reference)).is_err());
        assert_eq!(resolved_flag(Some(&json!("false"))), Ok(Some(false)));
        assert_eq!(resolved_flag(None), Ok(None));
        assert_eq!(resolved_number(Some(&json!("3306"))), Ok(Some(3306.0)));
        assert!(resolved_number(Some(&json!("port")))
            .unwrap()
            .unwrap()
            .is_nan());
    }

    #[test]
    fn parse_float_reads_the_numeric_prefix() {
        assert_eq!(parse_float(" 7days"), 7.0);
        assert_eq!(parse_float("1e3x"), 1000.0);
        assert_eq!(parse_float("-2.5"), -2.5);
        assert_eq!(parse_float("1e"), 1.0);
        assert!(parse_float("e5").is_nan());
        assert_eq!(parse_float("-Infinity"), f64::NEG_INFINITY);
    }
}
