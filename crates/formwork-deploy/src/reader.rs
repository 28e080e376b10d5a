//! Reading a CloudFormation template, JSON or YAML, into one JSON model.
//!
//! `GetTemplate` returns the template as it was uploaded: JSON from
//! formwork, but YAML from the AWS CDK CLI or from hand-written templates,
//! with CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ...).
//! Both are read into the JSON model that the diff compares, with each
//! short form turned into its long form: `!Ref X` is `{"Ref": "X"}`,
//! `!Condition C` is `{"Condition": "C"}`, `!GetAtt A.B` is
//! `{"Fn::GetAtt": ["A", "B"]}`, and any other `!Name v` is
//! `{"Fn::Name": v}`.

use serde_json::{Map, Number, Value};
use serde_norway::Value as Yaml;

/// Why a template could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(String);

/// Reads a template body: JSON when it parses as JSON (exactly, numbers
/// included), else YAML. Never panics, whatever the input.
pub fn read_template(body: &str) -> Result<Value, ReadError> {
    let json_error = match serde_json::from_str::<Value>(body) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    // A body that starts like JSON gets the JSON error: it is the one that
    // points at the mistake.
    if body.trim_start().starts_with('{') {
        return Err(ReadError(format!("invalid JSON: {json_error}")));
    }
    if nesting(body) > MAX_YAML_NESTING {
        return Err(ReadError(format!(
            "invalid YAML: nested deeper than {MAX_YAML_NESTING} levels"
        )));
    }
    match serde_norway::from_str::<Yaml>(body) {
        Ok(Yaml::Mapping(m)) => Ok(yaml_to_json(Yaml::Mapping(m))),
        Ok(_) => Err(ReadError(
            "neither a JSON object nor a YAML mapping at the top level".into(),
        )),
        Err(e) => Err(ReadError(format!("invalid YAML: {e}"))),
    }
}

/// Deeper YAML is refused before parsing: the YAML parser reads every event
/// before its own recursion limit (128) applies, and flow collections
/// nested 100,000 deep take minutes to read. Real templates nest a few
/// dozen levels.
const MAX_YAML_NESTING: usize = 200;

/// An upper bound of the nesting of flow collections (`[`, `{`) and of
/// block sequences opened on one line (`- - - x`), skipping quoted text.
fn nesting(body: &str) -> usize {
    let mut depth: usize = 0;
    let mut deepest = 0;
    let mut quote: Option<char> = None;
    for line in body.lines() {
        let dashes = line
            .trim_start()
            .split_inclusive(' ')
            .take_while(|w| w.trim() == "-")
            .count();
        deepest = deepest.max(depth + dashes);
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                (None, '#') => break,
                _ => {}
            }
        }
        // Single-quoted scalars and comments end with the line for this
        // bound; an open double quote may go on.
        if quote == Some('\'') {
            quote = None;
        }
    }
    deepest
}

/// Converts a YAML value, short-form tags included, into the JSON model.
fn yaml_to_json(value: Yaml) -> Value {
    match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                // NaN and infinities have no JSON number: keep their text.
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(key_text(k), yaml_to_json(v));
            }
            Value::Object(out)
        }
        Yaml::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let inner = yaml_to_json(tagged.value);
            let (key, arg) = match name {
                "Ref" => ("Ref".to_string(), inner),
                "Condition" => ("Condition".to_string(), inner),
                "GetAtt" => ("Fn::GetAtt".to_string(), get_att(inner)),
                other => (format!("Fn::{other}"), inner),
            };
            let mut out = Map::new();
            out.insert(key, arg);
            Value::Object(out)
        }
    }
}

/// `!GetAtt Resource.Attribute` splits at the first dot (attributes such as
/// `Outputs.Name` contain dots); the list form is kept as it is.
fn get_att(arg: Value) -> Value {
    match arg {
        Value::String(s) => match s.split_once('.') {
            Some((resource, attribute)) => Value::Array(vec![
                Value::String(resource.into()),
                Value::String(attribute.into()),
            ]),
            None => Value::Array(vec![Value::String(s)]),
        },
        other => other,
    }
}

/// A mapping key as JSON object keys must be: text.
fn key_text(key: Yaml) -> String {
    match key {
        Yaml::String(s) => s,
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Null => "null".into(),
        other => yaml_to_json(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_read_exactly() {
        let v = read_template(r#"{"Resources": {"A": {"Type": "T", "N": 12345678901234567890}}}"#)
            .unwrap();
        assert_eq!(v["Resources"]["A"]["N"], json!(12345678901234567890u64));
        let e = read_template("{\"Resources\": ").unwrap_err();
        assert!(e.to_string().starts_with("invalid JSON"), "{e}");
    }

    #[test]
    fn yaml_short_forms_become_long_forms() {
        let yaml = r#"
AWSTemplateFormatVersion: "2010-09-09"
Description: A hand-written template
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Or [!Condition IsProd, !Condition NotProd]]
Mappings:
  Region:
    us-east-1: {Ami: ami-1}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Condition: IsProd
    Properties:
      BucketName: !Sub "${AWS::StackName}-${Env}"
      Tags:
        - Key: az
          Value: !Select [0, !GetAZs ""]
        - Key: ami
          Value: !FindInMap [Region, !Ref "AWS::Region", Ami]
        - Key: parts
          Value: !Join ["-", !Split [",", "a,b"]]
        - Key: cidr
          Value: !Select [0, !Cidr ["10.0.0.0/16", 4, 8]]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: !Base64 |
          exports.handler = async () => 1;
      Environment:
        Variables:
          Shared: !ImportValue shared-output
          Mode: !If [IsProd, fast, slow]
          Nested: !GetAtt Stack.Outputs.Name
Outputs:
  Arn:
    Value: !GetAtt [Bucket, Arn]
"#;
        let v = read_template(yaml).unwrap();
        assert_eq!(v["AWSTemplateFormatVersion"], "2010-09-09");
        assert_eq!(
            v["Conditions"]["IsProd"],
            json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]})
        );
        assert_eq!(
            v["Conditions"]["NotProd"],
            json!({"Fn::Not": [{"Condition": "IsProd"}]})
        );
        assert_eq!(
            v["Conditions"]["Both"],
            json!({"Fn::And": [{"Condition": "IsProd"}, {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "NotProd"}]}]})
        );
        let b = &v["Resources"]["Bucket"]["Properties"];
        assert_eq!(
            b["BucketName"],
            json!({"Fn::Sub": "${AWS::StackName}-${Env}"})
        );
        assert_eq!(
            b["Tags"][0]["Value"],
            json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]})
        );
        assert_eq!(
            b["Tags"][1]["Value"],
            json!({"Fn::FindInMap": ["Region", {"Ref": "AWS::Region"}, "Ami"]})
        );
        assert_eq!(
            b["Tags"][2]["Value"],
            json!({"Fn::Join": ["-", {"Fn::Split": [",", "a,b"]}]})
        );
        assert_eq!(
            b["Tags"][3]["Value"],
            json!({"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}]})
        );
        let f = &v["Resources"]["Fn"]["Properties"];
        assert_eq!(f["Role"], json!({"Fn::GetAtt": ["Role", "Arn"]}));
        assert_eq!(
            f["Code"]["ZipFile"],
            json!({"Fn::Base64": "exports.handler = async () => 1;\n"})
        );
        let vars = &f["Environment"]["Variables"];
        assert_eq!(vars["Shared"], json!({"Fn::ImportValue": "shared-output"}));
        assert_eq!(vars["Mode"], json!({"Fn::If": ["IsProd", "fast", "slow"]}));
        assert_eq!(
            vars["Nested"],
            json!({"Fn::GetAtt": ["Stack", "Outputs.Name"]})
        );
        assert_eq!(
            v["Outputs"]["Arn"]["Value"],
            json!({"Fn::GetAtt": ["Bucket", "Arn"]})
        );
    }

    #[test]
    fn yaml_equals_the_same_template_in_json() {
        let json_text = r#"{"Resources": {"P": {"Type": "AWS::SSM::Parameter",
            "Properties": {"Type": "String", "Value": {"Fn::Sub": "${AWS::Region}"},
            "Name": {"Ref": "Name"}, "Tier": {"Fn::If": ["C", "Standard", {"Ref": "AWS::NoValue"}]}}}}}"#;
        let yaml_text = "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: !Sub '${AWS::Region}'\n      Name: !Ref Name\n      Tier: !If [C, Standard, !Ref AWS::NoValue]\n";
        assert_eq!(
            read_template(json_text).unwrap(),
            read_template(yaml_text).unwrap()
        );
    }

    #[test]
    fn non_templates_are_errors_not_panics() {
        assert!(read_template("just text").is_err());
        assert!(read_template("- a\n- b").is_err());
        assert!(read_template("a: [unclosed").is_err());
        assert_eq!(
            read_template("1: x\ntrue: y").unwrap(),
            json!({"1": "x", "true": "y"})
        );
        assert_eq!(read_template("n: .nan").unwrap(), json!({"n": ".nan"}));
    }

    #[test]
    fn hostile_input_is_an_error_not_a_crash() {
        let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(read_template(&deep).is_err());
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(read_template(&deep).is_err());
        let tags = format!("a: {}x", "!Not ".repeat(100_000));
        assert!(read_template(&tags).is_err());
        // Aliases that expand exponentially ("billion laughs").
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = if i == 1 {
                    String::new()
                } else {
                    (i - 1).to_string()
                }
            ));
        }
        assert!(read_template(&bomb).is_err());
        let dashes = format!("a:\n  {}x", "- ".repeat(100_000));
        assert!(read_template(&dashes).is_err());
        // Ordinary nesting is fine.
        let ok = format!("a: {}x{}", "[".repeat(50), "]".repeat(50));
        assert!(read_template(&ok).is_ok());
        assert_eq!(nesting("a: '[[[' # [[[\nb: \"{{\""), 0);
    }
}
