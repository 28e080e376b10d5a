//! Rust names for schema names: fields, types, enum variants, modules.

use fancy_regex::Regex;
use std::sync::LazyLock;

const RUST_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Names used unqualified inside generated modules; definitions with these
/// names get a `Property` suffix.
const RESERVED_TYPES: &[&str] = &[
    "Value",
    "Expr",
    "IndexMap",
    "Render",
    "Literal",
    "PropMap",
    "CfnResource",
    "ResourceRef",
    "Scope",
    "Result",
    "Option",
    "Some",
    "None",
    "Vec",
    "String",
    "Box",
    "Ok",
    "Err",
    "Default",
    "Self",
    "Copy",
    "Clone",
    "Send",
    "Sync",
    "Sized",
    "Into",
    "From",
    "Eq",
    "PartialEq",
    "Debug",
    "Hash",
    "Ord",
    "PartialOrd",
    "ToOwned",
    "ToString",
    "Iterator",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
];

pub fn is_keyword(s: &str) -> bool {
    RUST_KEYWORDS.contains(&s)
}

static WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[A-Z]{2,}s(?![a-z])|[A-Z]+v[0-9]+(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]*[a-z0-9]+|[A-Z]+[0-9]*|[0-9]+",
    )
    .expect("valid pattern")
});

/// The ASCII alphanumeric runs of `name` (every other character separates).
fn alnum_chunks(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
}

/// Splits `SSESpecification` into [SSE, Specification], `IPv6Address` into
/// [IPv6, Address].
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in alnum_chunks(name) {
        for m in WORD.find_iter(chunk) {
            out.push(m.expect("no backtrack limit hit").as_str().to_owned());
        }
    }
    if out.is_empty() {
        out.push("x".to_owned());
    }
    out
}

/// A property name as a field or module name: `IdleSessionTTLInSeconds` ->
/// `idle_session_ttl_in_seconds`.
pub fn snake(name: &str) -> String {
    let mut s = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// An enum value as a variant name: `aws:kms` -> `AwsKms`, `GLACIER_IR` ->
/// `GlacierIr`, `1` -> `V1`.
pub fn pascal(name: &str) -> String {
    if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        return "Value".to_owned();
    }
    let mut s = String::new();
    for p in words(name) {
        // Words are ASCII: Python's isupper/islower/isdigit on them.
        let has_upper = p.bytes().any(|b| b.is_ascii_uppercase());
        let has_lower = p.bytes().any(|b| b.is_ascii_lowercase());
        let one_case = (has_upper && !has_lower)
            || (has_lower && !has_upper)
            || p.bytes().all(|b| b.is_ascii_digit());
        if one_case {
            s += &upper_first(&p[..1]);
            s += &p[1..].to_ascii_lowercase();
        } else {
            s += &upper_first(&p);
        }
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s = "SelfValue".to_owned();
    }
    s
}

/// A schema name as a Rust type name, keeping its CamelCase.
pub fn camel(name: &str) -> String {
    let mut s: String = alnum_chunks(name).map(upper_first).collect();
    if s.is_empty() {
        s = "X".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'T');
    }
    s
}

/// A definition or property name as a type name in a generated module.
pub fn type_name_of(name: &str) -> String {
    let mut s = camel(name);
    if RESERVED_TYPES.contains(&s.as_str()) {
        s += "Property";
    }
    s
}

/// The module of a service: `AWS::ApiGatewayV2::Api` -> `apigatewayv2`,
/// `Alexa::ASK::Skill` -> `alexa_ask`.
pub fn service_module(type_name: &str) -> String {
    let parts: Vec<&str> = type_name.split("::").collect();
    let m = if parts[0] == "AWS" {
        parts[1].to_lowercase()
    } else {
        format!("{}_{}", parts[0], parts[1]).to_lowercase()
    };
    let mut m: String = m
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if m.starts_with(|c: char| c.is_ascii_digit())
        || is_keyword(&m)
        || ["support", "std", "core", "alloc"].contains(&m.as_str())
    {
        m.insert_str(0, "svc_");
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(words("SSESpecification"), ["SSE", "Specification"]);
        assert_eq!(words("IPv6Address"), ["IPv6", "Address"]);
        assert_eq!(
            snake("IdleSessionTTLInSeconds"),
            "idle_session_ttl_in_seconds"
        );
        assert_eq!(
            snake("OpenIdConnectProviderARNs"),
            "open_id_connect_provider_arns"
        );
        assert_eq!(snake("Type"), "type_");
        assert_eq!(pascal("aws:kms"), "AwsKms");
        assert_eq!(pascal("GLACIER_IR"), "GlacierIr");
        assert_eq!(pascal("1"), "V1");
        assert_eq!(pascal("http/s"), "HttpS");
        assert_eq!(type_name_of("Value"), "ValueProperty");
        assert_eq!(service_module("AWS::ApiGatewayV2::Api"), "apigatewayv2");
        assert_eq!(service_module("Alexa::ASK::Skill"), "alexa_ask");
    }
}
