//! Lazy, per-type access to the embedded schemas.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use serde_json::Value;

use crate::compile::{compile, Compiled};
use crate::generated_index::TYPES;

/// The cfn-lint release the vendored schemas were taken from.
pub const SOURCE_CFN_LINT_VERSION: &str = include_str!("../data/CFN_LINT_VERSION");

/// The schema used for `Custom::*` types and `AWS::CloudFormation::CustomResource`.
pub(crate) const CUSTOM_RESOURCE: &str = "AWS::CloudFormation::CustomResource";

/// Errors from looking up a resource schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// The type is not in the vendored schemas.
    #[error("unknown resource type {type_name:?}{}", did_you_mean(.suggestion))]
    UnknownType {
        /// The type that was asked for.
        type_name: String,
        /// The closest known type name, if any is close.
        suggestion: Option<String>,
    },
    /// The embedded schema could not be parsed (a bug in the vendored data).
    #[error("the vendored schema of {type_name} is malformed: {reason}")]
    Malformed {
        /// The type whose schema is broken.
        type_name: String,
        /// The parser's message.
        reason: String,
    },
}

fn did_you_mean(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" (did you mean {s:?}?)"),
        None => String::new(),
    }
}

/// What is known of one entry of `TYPES`, filled on first use.
#[derive(Default)]
struct Slot {
    /// The parsed schema.
    parsed: OnceLock<Result<Value, String>>,
    /// The parsed schema compiled for the validator (only once it parsed).
    compiled: OnceLock<Compiled>,
}

/// One slot per entry of `TYPES`.
fn cache() -> &'static [Slot] {
    static CACHE: OnceLock<Vec<Slot>> = OnceLock::new();
    CACHE.get_or_init(|| (0..TYPES.len()).map(|_| Slot::default()).collect())
}

fn index_of(type_name: &str) -> Option<usize> {
    // Synthesis validates runs of resources of one type: remember the last
    // type found (a hint only, so relaxed ordering is enough).
    static LAST: AtomicUsize = AtomicUsize::new(0);
    let lookup = if type_name.starts_with("Custom::") {
        CUSTOM_RESOURCE
    } else {
        type_name
    };
    let last = LAST.load(Ordering::Relaxed);
    if TYPES.get(last).is_some_and(|t| t.0 == lookup) {
        return Some(last);
    }
    let found = TYPES
        .binary_search_by(|(name, _, _)| (*name).cmp(lookup))
        .ok()?;
    LAST.store(found, Ordering::Relaxed);
    Some(found)
}

/// Whether `type_name` is a known resource type. `Custom::<Anything>` is
/// known (it is a custom resource).
pub fn has_type(type_name: &str) -> bool {
    index_of(type_name).is_some()
}

/// All vendored type names, sorted. The boolean tells whether the type is
/// available in us-east-1 (a few exist only in other regions).
pub fn type_names() -> impl Iterator<Item = (&'static str, bool)> {
    TYPES.iter().map(|(name, _, us_east_1)| (*name, *us_east_1))
}

/// The vendored (description-stripped) registry schema of a type, parsed on
/// first use and cached for the life of the process. `$ref`s in it are local
/// JSON pointers (`#/definitions/...`).
pub fn resource_schema(type_name: &str) -> Result<&'static Value, SchemaError> {
    parsed(slot_index(type_name)?)
}

fn slot_index(type_name: &str) -> Result<usize, SchemaError> {
    index_of(type_name).ok_or_else(|| SchemaError::UnknownType {
        type_name: type_name.to_owned(),
        suggestion: crate::suggest::closest(type_name, TYPES.iter().map(|t| t.0)),
    })
}

fn parsed(i: usize) -> Result<&'static Value, SchemaError> {
    let (name, text, _) = TYPES[i];
    let slot = &cache()[i].parsed;
    match slot.get_or_init(|| serde_json::from_str(text).map_err(|e| e.to_string())) {
        Ok(v) => Ok(v),
        Err(reason) => Err(SchemaError::Malformed {
            type_name: name.to_owned(),
            reason: reason.clone(),
        }),
    }
}

/// The schema of a type compiled for the validator, compiled on first use
/// and cached for the life of the process, next to the parsed schema.
pub(crate) fn compiled_schema(type_name: &str) -> Result<&'static Compiled, SchemaError> {
    let i = slot_index(type_name)?;
    let schema = parsed(i)?;
    Ok(cache()[i].compiled.get_or_init(|| compile(schema)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_sorted_and_unique() {
        assert!(TYPES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(TYPES.len() > 1800);
    }

    #[test]
    fn lookups() {
        assert!(has_type("AWS::IAM::Role"));
        assert!(has_type("Custom::Anything"));
        assert!(!has_type("AWS::IAM::Rolee"));
        match resource_schema("AWS::IAM::Rolee") {
            Err(SchemaError::UnknownType { suggestion, .. }) => {
                assert_eq!(suggestion.as_deref(), Some("AWS::IAM::Role"))
            }
            other => panic!("{other:?}"),
        }
        let s = resource_schema("AWS::S3::Bucket").unwrap();
        assert_eq!(s["typeName"], "AWS::S3::Bucket");
    }

    #[test]
    fn every_vendored_schema_parses() {
        for (name, _) in type_names() {
            assert!(resource_schema(name).is_ok(), "{name}");
        }
    }
}
