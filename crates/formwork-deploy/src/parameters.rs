//! Stack parameters: `--parameters [Stack:]Key=Value`, the checks of the
//! template's `Parameters` section, and what is passed to CreateChangeSet.
//!
//! Everything here is local and runs before any change set is created, so a
//! bad or missing value never leaves a stack in `REVIEW_IN_PROGRESS`.

use std::collections::BTreeMap;
use std::str::FromStr;

use aws_sdk_cloudformation::types::Parameter;
use serde_json::Value;

use crate::error::DeployError;
use crate::StackSpec;

/// One `--parameters` entry: `Key=Value` for every selected stack that
/// declares `Key` (as the AWS CDK CLI does), or `Stack:Key=Value` for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterArg {
    /// The stack it is for; `None` for every stack that declares the key.
    pub stack: Option<String>,
    /// The parameter key.
    pub key: String,
    /// The value.
    pub value: String,
}

impl FromStr for ParameterArg {
    type Err = String;

    /// Parses `[Stack:]Key=Value`. The value may contain `=` and `:`; the
    /// key may not (CloudFormation keys are alphanumeric).
    fn from_str(s: &str) -> Result<Self, String> {
        let Some((target, value)) = s.split_once('=') else {
            return Err(format!("{s:?}: expected [Stack:]Key=Value"));
        };
        let (stack, key) = match target.split_once(':') {
            Some((stack, key)) => (Some(stack.to_string()), key),
            None => (None, target),
        };
        if key.is_empty() || stack.as_deref() == Some("") {
            return Err(format!("{s:?}: expected [Stack:]Key=Value"));
        }
        Ok(ParameterArg {
            stack,
            key: key.to_string(),
            value: value.to_string(),
        })
    }
}

impl std::fmt::Display for ParameterArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.stack {
            Some(s) => write!(f, "{s}:{}={}", self.key, self.value),
            None => write!(f, "{}={}", self.key, self.value),
        }
    }
}

/// The `Parameters` section of a template (empty when there is none).
fn declared(template: &Value) -> BTreeMap<String, Value> {
    template
        .get("Parameters")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// Adds the `--parameters` entries to the selected stacks' parameters (an
/// entry overrides a value from the app). A stack-qualified entry must name
/// a selected stack that declares the key; an unqualified one must be
/// declared by at least one selected stack.
pub fn apply_parameter_args(
    stacks: &mut [StackSpec],
    args: &[ParameterArg],
) -> Result<(), DeployError> {
    for arg in args {
        let mut used = false;
        for spec in stacks.iter_mut() {
            if arg.stack.as_ref().is_some_and(|s| s != &spec.stack_name) {
                continue;
            }
            let template = crate::template::parse_template(spec)?;
            if declared(&template).contains_key(&arg.key) {
                spec.parameters.insert(arg.key.clone(), arg.value.clone());
                used = true;
            } else if arg.stack.is_some() {
                return Err(DeployError::InvalidParameter {
                    stack: spec.stack_name.clone(),
                    parameter: arg.key.clone(),
                    rule: "not declared in the template's Parameters".into(),
                });
            }
        }
        if !used {
            let reason = match &arg.stack {
                Some(s) => format!("no selected stack is named {s}"),
                None => format!("no selected stack declares a parameter {}", arg.key),
            };
            return Err(DeployError::UnusedParameter {
                entry: arg.to_string(),
                reason,
            });
        }
    }
    Ok(())
}

/// Checks the values given for a stack against its template: every key is
/// declared, and every value meets `AllowedValues`, `AllowedPattern`,
/// `MinLength`/`MaxLength` and `MinValue`/`MaxValue` (and is a number for a
/// `Number` parameter). Missing values are checked by [`resolve`], which
/// knows the deployed stack.
pub fn check_values(spec: &StackSpec, template: &Value) -> Result<(), DeployError> {
    let decls = declared(template);
    for (key, value) in &spec.parameters {
        let bad = |rule: String| DeployError::InvalidParameter {
            stack: spec.stack_name.clone(),
            parameter: key.clone(),
            rule,
        };
        let Some(decl) = decls.get(key) else {
            return Err(bad("not declared in the template's Parameters".into()));
        };
        if let Some(rule) = broken_rule(decl, value) {
            return Err(bad(rule));
        }
    }
    Ok(())
}

/// A number in a template may be written as a JSON number or a string.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The first constraint of a declaration that `value` breaks, described.
fn broken_rule(decl: &Value, value: &str) -> Option<String> {
    let ty = decl.get("Type").and_then(Value::as_str).unwrap_or("String");
    if ty == "Number" && value.trim().parse::<f64>().is_err() {
        return Some(format!("{value:?} is not a number (Type: Number)"));
    }
    if let Some(allowed) = decl.get("AllowedValues").and_then(Value::as_array) {
        let texts: Vec<String> = allowed.iter().map(text).collect();
        if !texts.iter().any(|a| a == value) {
            return Some(format!(
                "{value:?} is not one of AllowedValues [{}]",
                texts.join(", ")
            ));
        }
    }
    if let Some(pattern) = decl.get("AllowedPattern").and_then(Value::as_str) {
        // CloudFormation matches the whole value. A pattern that Rust's
        // regex cannot compile (look-around, back-references) is left to
        // CloudFormation to check.
        if let Ok(re) = regex::Regex::new(&format!("^(?:{pattern})$")) {
            if !re.is_match(value) {
                let description = decl
                    .get("ConstraintDescription")
                    .and_then(Value::as_str)
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                return Some(format!(
                    "{value:?} does not match AllowedPattern {pattern}{description}"
                ));
            }
        }
    }
    let len = value.chars().count() as f64;
    if let Some(min) = decl.get("MinLength").and_then(number) {
        if len < min {
            return Some(format!("{value:?} is shorter than MinLength {min}"));
        }
    }
    if let Some(max) = decl.get("MaxLength").and_then(number) {
        if len > max {
            return Some(format!("{value:?} is longer than MaxLength {max}"));
        }
    }
    if ty == "Number" {
        let n: f64 = value.trim().parse().ok()?;
        if let Some(min) = decl.get("MinValue").and_then(number) {
            if n < min {
                return Some(format!("{value} is less than MinValue {min}"));
            }
        }
        if let Some(max) = decl.get("MaxValue").and_then(number) {
            if n > max {
                return Some(format!("{value} is more than MaxValue {max}"));
            }
        }
    }
    None
}

/// The keys that must be given: declared without a `Default`, and not
/// available from the deployed stack (`previous`, on an update).
pub fn missing_required(
    spec: &StackSpec,
    template: &Value,
    previous: Option<&BTreeMap<String, String>>,
) -> Vec<String> {
    declared(template)
        .iter()
        .filter(|(key, decl)| {
            decl.get("Default").is_none()
                && !spec.parameters.contains_key(*key)
                && !previous.is_some_and(|p| p.contains_key(*key))
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// The parameters of the change set: the given values; on an update
/// (`previous` is the deployed stack's parameters), `UsePreviousValue` for a
/// declared key that is not given now but the stack has, as the AWS CDK CLI
/// does; otherwise the template's `Default` applies. A required key that is
/// in neither is an error naming the stack and the key.
pub(crate) fn resolve(
    spec: &StackSpec,
    template: &Value,
    previous: Option<&BTreeMap<String, String>>,
) -> Result<Vec<Parameter>, DeployError> {
    check_values(spec, template)?;
    if let Some(key) = missing_required(spec, template, previous)
        .into_iter()
        .next()
    {
        return Err(DeployError::InvalidParameter {
            stack: spec.stack_name.clone(),
            parameter: key,
            rule: "required (it has no Default) but not given: pass --parameters KEY=VALUE".into(),
        });
    }
    let mut out = Vec::new();
    for key in declared(template).keys() {
        if let Some(value) = spec.parameters.get(key) {
            out.push(
                Parameter::builder()
                    .parameter_key(key)
                    .parameter_value(value)
                    .build(),
            );
        } else if previous.is_some_and(|p| p.contains_key(key)) {
            out.push(
                Parameter::builder()
                    .parameter_key(key)
                    .use_previous_value(true)
                    .build(),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(params: &[(&str, &str)]) -> StackSpec {
        StackSpec {
            stack_name: "S".into(),
            template_body: template().to_string(),
            parameters: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    fn template() -> Value {
        json!({"Parameters": {
            "Env": {"Type": "String", "AllowedValues": ["dev", "prod"]},
            "Name": {"Type": "String", "AllowedPattern": "[a-z][a-z0-9-]*", "MinLength": 3,
                     "MaxLength": "8", "Default": "app",
                     "ConstraintDescription": "lower case"},
            "Count": {"Type": "Number", "MinValue": 1, "MaxValue": "5", "Default": 1}
        }, "Resources": {}})
    }

    fn rule(params: &[(&str, &str)]) -> String {
        check_values(&spec(params), &template())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn parses_entries() {
        let p: ParameterArg = "Env=prod".parse().unwrap();
        assert_eq!(
            (p.stack, p.key.as_str(), p.value.as_str()),
            (None, "Env", "prod")
        );
        let p: ParameterArg = "Stack:Url=https://x?a=b".parse().unwrap();
        assert_eq!(p.stack.as_deref(), Some("Stack"));
        assert_eq!((p.key.as_str(), p.value.as_str()), ("Url", "https://x?a=b"));
        let p: ParameterArg = "Empty=".parse().unwrap();
        assert_eq!(p.value, "");
        assert!("NoValue".parse::<ParameterArg>().is_err());
        assert!("=v".parse::<ParameterArg>().is_err());
        assert!(":K=v".parse::<ParameterArg>().is_err());
    }

    #[test]
    fn each_rule_is_named() {
        assert!(check_values(
            &spec(&[("Env", "dev"), ("Name", "ab-1"), ("Count", "5")]),
            &template()
        )
        .is_ok());
        assert_eq!(
            rule(&[("Nope", "x")]),
            "stack S: parameter Nope: not declared in the template's Parameters"
        );
        assert_eq!(
            rule(&[("Env", "test")]),
            "stack S: parameter Env: \"test\" is not one of AllowedValues [dev, prod]"
        );
        assert_eq!(rule(&[("Name", "Ab-1")]), "stack S: parameter Name: \"Ab-1\" does not match AllowedPattern [a-z][a-z0-9-]* (lower case)");
        assert_eq!(
            rule(&[("Name", "ab")]),
            "stack S: parameter Name: \"ab\" is shorter than MinLength 3"
        );
        assert_eq!(
            rule(&[("Name", "abcdefghi")]),
            "stack S: parameter Name: \"abcdefghi\" is longer than MaxLength 8"
        );
        assert_eq!(
            rule(&[("Count", "0")]),
            "stack S: parameter Count: 0 is less than MinValue 1"
        );
        assert_eq!(
            rule(&[("Count", "6")]),
            "stack S: parameter Count: 6 is more than MaxValue 5"
        );
        assert_eq!(
            rule(&[("Count", "many")]),
            "stack S: parameter Count: \"many\" is not a number (Type: Number)"
        );
    }

    #[test]
    fn required_values_and_previous_values() {
        let t = template();
        let err = resolve(&spec(&[]), &t, None).unwrap_err().to_string();
        assert_eq!(err, "stack S: parameter Env: required (it has no Default) but not given: pass --parameters KEY=VALUE");
        // On an update, the deployed value is kept with UsePreviousValue.
        let previous = BTreeMap::from([
            ("Env".to_string(), "prod".to_string()),
            ("Count".to_string(), "2".to_string()),
        ]);
        let params = resolve(&spec(&[("Name", "web")]), &t, Some(&previous)).unwrap();
        let shown: Vec<(String, Option<String>, Option<bool>)> = params
            .iter()
            .map(|p| {
                (
                    p.parameter_key().unwrap().to_string(),
                    p.parameter_value().map(str::to_string),
                    p.use_previous_value(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                ("Count".to_string(), None, Some(true)),
                ("Env".to_string(), None, Some(true)),
                ("Name".to_string(), Some("web".to_string()), None),
            ]
        );
    }

    #[test]
    fn unqualified_entries_apply_to_every_stack_that_declares_them() {
        let with = |name: &str, key: &str| StackSpec {
            stack_name: name.into(),
            template_body: json!({"Parameters": {key: {"Type": "String"}}}).to_string(),
            ..Default::default()
        };
        let mut stacks = vec![with("A", "Env"), with("B", "Env"), with("C", "Other")];
        apply_parameter_args(
            &mut stacks,
            &["Env=prod".parse().unwrap(), "C:Other=x".parse().unwrap()],
        )
        .unwrap();
        assert_eq!(stacks[0].parameters["Env"], "prod");
        assert_eq!(stacks[1].parameters["Env"], "prod");
        assert!(!stacks[2].parameters.contains_key("Env"));
        assert_eq!(stacks[2].parameters["Other"], "x");
        let e = apply_parameter_args(&mut stacks, &["Nope=1".parse().unwrap()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--parameters Nope=1: no selected stack declares a parameter Nope"
        );
        let e = apply_parameter_args(&mut stacks, &["A:Other=1".parse().unwrap()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "stack A: parameter Other: not declared in the template's Parameters"
        );
        let e = apply_parameter_args(&mut stacks, &["Z:Env=1".parse().unwrap()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--parameters Z:Env=1: no selected stack is named Z"
        );
    }
}
