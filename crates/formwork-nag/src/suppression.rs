//! cdk-nag's suppressions, as it writes them into a template:
//! `Metadata.cdk_nag.rules_to_suppress` on a resource, or on the template
//! for the whole stack, each `{id, reason, applies_to?, is_reason_encoded?}`.

use std::sync::OnceLock;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::js::JsRegex;

/// The rule id cdk-nag reports when a rule cannot judge a value; a
/// suppression of it `applies_to` the rule ids whose failures it hides.
pub const VALIDATION_FAILURE_ID: &str = "CdkNagValidationFailure";

/// The shortest reason cdk-nag accepts.
pub const MIN_REASON_CHARS: usize = 10;

/// Which granular findings a suppression covers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AppliesTo {
    /// Exactly this finding id (`Action::s3:*`).
    Exact(String),
    /// Finding ids matching a JavaScript-style `/pattern/flags` regex,
    /// written as `{"regex": "/pattern/flags"}`.
    Regex(String),
}

/// One suppression: a rule id, a reason, and optionally the findings it covers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Suppression {
    /// The full rule id (`AwsSolutions-IAM4`).
    pub id: String,
    /// Why the finding is acceptable (at least 10 characters).
    pub reason: String,
    /// The granular findings covered; `None` covers every finding of the rule.
    pub applies_to: Option<Vec<AppliesTo>>,
}

/// A suppression cdk-nag would reject (it fails the synthesis then too).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: suppression of {id:?}: {problem} (see https://github.com/cdklabs/cdk-nag#suppressing-a-rule)")]
pub struct SuppressionError {
    /// The resource's logical ID, or `template Metadata` for a stack suppression.
    pub location: String,
    /// The suppression's rule id.
    pub id: String,
    /// What is wrong.
    pub problem: String,
}

impl Suppression {
    /// A suppression of every finding of rule `id`.
    pub fn new(id: impl Into<String>, reason: impl Into<String>) -> Suppression {
        Suppression {
            id: id.into(),
            reason: reason.into(),
            applies_to: None,
        }
    }

    /// Limits the suppression to these findings.
    pub fn applies_to(mut self, findings: impl IntoIterator<Item = AppliesTo>) -> Suppression {
        self.applies_to = Some(findings.into_iter().collect());
        self
    }

    /// Checks the rules cdk-nag checks: a reason of at least 10 characters,
    /// no finding in the id, valid regexes.
    pub fn validate(&self, location: &str) -> Result<(), SuppressionError> {
        let fail = |problem: String| SuppressionError {
            location: location.to_owned(),
            id: self.id.clone(),
            problem,
        };
        if self.id.contains('[') && self.id.contains(']') {
            return Err(fail(
                "the id contains a finding; suppress a finding with applies_to".into(),
            ));
        }
        if self.reason.encode_utf16().count() < MIN_REASON_CHARS {
            return Err(fail(format!(
                "the reason must have {MIN_REASON_CHARS} characters or more, got {:?}",
                self.reason
            )));
        }
        for applies in self.applies_to.iter().flatten() {
            if let AppliesTo::Regex(pattern) = applies {
                to_regex(pattern).map_err(fail)?;
            }
        }
        Ok(())
    }

    /// Whether it covers finding `finding` of rule `rule_id` (cdk-nag's
    /// `NagSuppressionHelper.doesApply`): an empty finding is only covered
    /// by a suppression without `applies_to`.
    pub fn covers(&self, rule_id: &str, finding: &str) -> bool {
        if rule_id != self.id {
            return false;
        }
        let Some(applies) = &self.applies_to else {
            return true;
        };
        !finding.is_empty()
            && applies.iter().any(|a| match a {
                AppliesTo::Exact(s) => s == finding,
                AppliesTo::Regex(p) => {
                    to_regex(p).is_ok_and(|re| re.test(finding).unwrap_or(false))
                }
            })
    }

    /// The JSON cdk-nag writes: `{"reason", "id", "applies_to"?}`, with a
    /// reason outside Latin-1 base64-encoded and `is_reason_encoded`.
    pub fn to_metadata(&self) -> Value {
        let encoded = self.reason.chars().any(|c| u32::from(c) > 255);
        let reason = if encoded {
            base64::engine::general_purpose::STANDARD.encode(&self.reason)
        } else {
            self.reason.clone()
        };
        let mut out = json!({"reason": reason, "id": self.id});
        if let Some(applies) = &self.applies_to {
            out["applies_to"] = applies
                .iter()
                .map(|a| match a {
                    AppliesTo::Exact(s) => json!(s),
                    AppliesTo::Regex(p) => json!({ "regex": p }),
                })
                .collect();
        }
        if encoded {
            out["is_reason_encoded"] = json!(true);
        }
        out
    }

    /// Reads one entry of `rules_to_suppress`.
    pub fn from_metadata(entry: &Value, location: &str) -> Result<Suppression, SuppressionError> {
        let id = entry.get("id").and_then(Value::as_str).unwrap_or_default();
        let fail = |problem: &str| SuppressionError {
            location: location.to_owned(),
            id: id.to_owned(),
            problem: problem.to_owned(),
        };
        if id.is_empty() {
            return Err(fail("an entry of rules_to_suppress has no string \"id\""));
        }
        let mut reason = entry
            .get("reason")
            .and_then(Value::as_str)
            .ok_or_else(|| fail("no string \"reason\""))?
            .to_owned();
        if entry.get("is_reason_encoded").and_then(Value::as_bool) == Some(true) {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&reason)
                .map_err(|_| fail("is_reason_encoded, but the reason is not base64"))?;
            reason = String::from_utf8(bytes)
                .map_err(|_| fail("is_reason_encoded, but the reason is not UTF-8"))?;
        }
        let applies_to = match entry.get("applies_to") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => Ok(AppliesTo::Exact(s.clone())),
                        _ => item
                            .get("regex")
                            .and_then(Value::as_str)
                            .map(|p| AppliesTo::Regex(p.to_owned()))
                            .ok_or_else(|| {
                                fail("applies_to items are strings or {\"regex\": ...}")
                            }),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Some(_) => return Err(fail("applies_to must be a list")),
        };
        let suppression = Suppression {
            id: id.to_owned(),
            reason,
            applies_to,
        };
        suppression.validate(location)?;
        Ok(suppression)
    }
}

/// The suppressions in `metadata` (a resource's or the template's `Metadata`).
pub(crate) fn read(
    metadata: Option<&Value>,
    location: &str,
) -> Result<Vec<Suppression>, SuppressionError> {
    let Some(list) = metadata
        .and_then(|m| m.get("cdk_nag"))
        .and_then(|n| n.get("rules_to_suppress"))
    else {
        return Ok(Vec::new());
    };
    let Some(items) = list.as_array() else {
        return Err(SuppressionError {
            location: location.to_owned(),
            id: String::new(),
            problem: "cdk_nag.rules_to_suppress must be a list".into(),
        });
    };
    items
        .iter()
        .map(|entry| Suppression::from_metadata(entry, location))
        .collect()
}

/// `/pattern/flags` as cdk-nag's `toRegEx` reads it: split by the regex
/// `/\/(.*)\/(.*)?/` (from the first `/` to the last one of that line),
/// then `new RegExp(pattern, flags)` with JavaScript's syntax and flags.
fn to_regex(text: &str) -> Result<JsRegex, String> {
    let invalid = || format!("invalid regular expression [{text}]");
    static SPLIT: OnceLock<JsRegex> = OnceLock::new();
    // A constant pattern: it compiles.
    let split = SPLIT.get_or_init(|| JsRegex::new(r"\/(.*)\/(.*)?", "").expect("a valid pattern"));
    let parts = split.captures(text).ok().flatten().ok_or_else(invalid)?;
    let pattern = parts.get(1).map_or("", |m| m.as_str());
    let flags = parts.get(2).map_or("", |m| m.as_str());
    JsRegex::new(pattern, flags).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::to_regex;

    fn matches(regex: &str, finding: &str) -> bool {
        to_regex(regex).unwrap().test(finding).unwrap()
    }

    #[test]
    fn applies_to_regexes_are_javascript_regexes() {
        assert!(matches("/^Action::s3:.*$/", "Action::s3:*"));
        // From the first `/` to the last: `/*` is a repeated slash here.
        assert!(!matches(
            "/^Resource::<Bucket.Arn>/*$/",
            "Resource::<Bucket.Arn>/*"
        ));
        assert!(matches(
            r"/^Resource::<Bucket.Arn>\/\*$/",
            "Resource::<Bucket.Arn>/*"
        ));
        assert!(matches("/^resource::.*$/i", "Resource::*"));
        assert!(!matches(
            "/^Resource::arn:aws:s3:::b$/",
            "Resource::arn:aws:s3:::b/*"
        ));
        // JavaScript reads `{` and `}` outside a quantifier as literals.
        assert!(matches("/^Policy::{x}$/g", "Policy::{x}"));
        // `\w` is ASCII, as in JavaScript.
        assert!(!matches(r"/^\w+$/", "é"));
        for invalid in ["no slashes", "/a/x", "/a/gg", "/(a/", "/*/"] {
            assert!(to_regex(invalid).is_err(), "{invalid}");
        }
    }
}
