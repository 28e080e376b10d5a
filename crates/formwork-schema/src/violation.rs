//! What the validator reports.

use std::fmt;

use serde::Serialize;

/// One step of a property path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum PathSegment {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// The rule a value broke. The names follow JSON Schema keywords, plus
/// CloudFormation-specific ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "rule", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Rule {
    /// The resource type is not known.
    UnknownType {
        /// The closest known type name.
        suggestion: Option<String>,
    },
    /// A property that the schema does not allow (`additionalProperties: false`).
    UnknownProperty {
        /// The closest allowed property name.
        suggestion: Option<String>,
    },
    /// `Fn::GetAtt` of an attribute the type does not have.
    UnknownAttribute {
        /// The closest attribute name.
        suggestion: Option<String>,
    },
    /// A required property is missing (`required`).
    Required,
    /// A read-only property (an attribute, `readOnlyProperties`) was set.
    ReadOnly,
    /// Wrong JSON type (`type`).
    Type,
    /// Not one of the allowed values (`enum`, `enumCaseInsensitive`).
    Enum,
    /// Not the one allowed value (`const`).
    Const,
    /// Does not match the regular expression (`pattern`, `patternProperties`).
    Pattern,
    /// String too short (`minLength`).
    MinLength,
    /// String too long (`maxLength`).
    MaxLength,
    /// Number too small (`minimum`).
    Minimum,
    /// Number too large (`maximum`).
    Maximum,
    /// Number not above the bound (`exclusiveMinimum`).
    ExclusiveMinimum,
    /// Number not below the bound (`exclusiveMaximum`).
    ExclusiveMaximum,
    /// Number not a multiple (`multipleOf`).
    MultipleOf,
    /// Too few items (`minItems`).
    MinItems,
    /// Too many items (`maxItems`).
    MaxItems,
    /// Duplicate items (`uniqueItems`).
    UniqueItems,
    /// Too few properties (`minProperties`).
    MinProperties,
    /// Too many properties (`maxProperties`).
    MaxProperties,
    /// A property needs another one (`dependencies`, `dependentRequired`).
    DependentRequired,
    /// A property excludes another one (`dependentExcluded`).
    DependentExcluded,
    /// Exactly one of a set of properties is needed (`requiredXor`).
    RequiredXor,
    /// At least one of a set of properties is needed (`requiredOr`).
    RequiredOr,
    /// Not valid against exactly one alternative (`oneOf`).
    OneOf,
    /// Not valid against any alternative (`anyOf`).
    AnyOf,
    /// Valid against a forbidden schema (`not`).
    Not,
    /// An intrinsic function with the wrong shape (for example `Fn::Join`
    /// without a list), or an unknown `Fn::` function.
    IntrinsicShape,
}

impl Rule {
    /// The rule's short name, as used in messages: the JSON Schema keyword
    /// where there is one (`"pattern"`, `"maxLength"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Rule::UnknownType { .. } => "unknownType",
            Rule::UnknownProperty { .. } => "additionalProperties",
            Rule::UnknownAttribute { .. } => "unknownAttribute",
            Rule::Required => "required",
            Rule::ReadOnly => "readOnly",
            Rule::Type => "type",
            Rule::Enum => "enum",
            Rule::Const => "const",
            Rule::Pattern => "pattern",
            Rule::MinLength => "minLength",
            Rule::MaxLength => "maxLength",
            Rule::Minimum => "minimum",
            Rule::Maximum => "maximum",
            Rule::ExclusiveMinimum => "exclusiveMinimum",
            Rule::ExclusiveMaximum => "exclusiveMaximum",
            Rule::MultipleOf => "multipleOf",
            Rule::MinItems => "minItems",
            Rule::MaxItems => "maxItems",
            Rule::UniqueItems => "uniqueItems",
            Rule::MinProperties => "minProperties",
            Rule::MaxProperties => "maxProperties",
            Rule::DependentRequired => "dependentRequired",
            Rule::DependentExcluded => "dependentExcluded",
            Rule::RequiredXor => "requiredXor",
            Rule::RequiredOr => "requiredOr",
            Rule::OneOf => "oneOf",
            Rule::AnyOf => "anyOf",
            Rule::Not => "not",
            Rule::IntrinsicShape => "intrinsic",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A property value that breaks its resource type's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Where, relative to the resource's `Properties`: keys joined by `.`,
    /// indexes as `[n]`, and keys that are not plain identifiers quoted as
    /// `["graph.facebook.com"]`. Example:
    /// `BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm`.
    /// Empty for the `Properties` object itself (and for unknown types).
    /// For [`Rule::Required`] it is the path of the missing property.
    pub property_path: String,
    /// The same path as segments.
    pub path: Vec<PathSegment>,
    /// The rule that was broken.
    pub rule: Rule,
    /// Human-readable text naming the rule and the offending value.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.property_path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.property_path, self.message)
        }
    }
}

/// Render segments as a property path (see [`Violation::property_path`]).
pub(crate) fn render_path(path: &[PathSegment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSegment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            PathSegment::Key(k) => {
                let plain = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':');
                if plain {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                } else {
                    out.push('[');
                    out.push_str(&serde_json::Value::String(k.clone()).to_string());
                    out.push(']');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p = vec![
            PathSegment::Key("A".into()),
            PathSegment::Index(0),
            PathSegment::Key("B".into()),
            PathSegment::Key("graph.facebook.com".into()),
            PathSegment::Key("Fn::If".into()),
            PathSegment::Index(1),
        ];
        assert_eq!(render_path(&p), "A[0].B[\"graph.facebook.com\"].Fn::If[1]");
    }
}
