//! The cross-check corpus, seen from formwork's side: every broken case is
//! flagged exactly at its expected property with its expected rule, and the
//! valid ones are clean. Each case is also written out as a standalone
//! template (plus `manifest.json`) into `$FORMWORK_SCHEMA_CORPUS_DIR` (default:
//! `target/tmp/cfn-lint-corpus`), for `tests/cfn_lint_crosscheck.sh`.
//! A case that uses `Fn::If` gets an `Env` parameter and an `IsProd`
//! condition in its template.

mod corpus_cases;

use std::path::PathBuf;

use corpus_cases::{cases, Case};
use formwork_schema::{check_attribute, validate_properties, PathSegment, Violation};
use serde_json::{json, Map, Value};

/// `Fn::GetAtt`s on `Target` inside `v`, with their paths.
fn getatts(v: &Value, path: &mut Vec<PathSegment>, out: &mut Vec<(Vec<PathSegment>, String)>) {
    match v {
        Value::Object(o) => {
            if let (1, Some(arg)) = (o.len(), o.get("Fn::GetAtt")) {
                let target = match arg {
                    Value::Array(a) if a.len() == 2 => a[0].as_str().zip(a[1].as_str()),
                    Value::String(s) => s.split_once('.'),
                    _ => None,
                };
                if let Some(("Target", attr)) = target {
                    out.push((path.clone(), attr.to_owned()));
                }
                return;
            }
            for (k, x) in o {
                path.push(PathSegment::Key(k.clone()));
                getatts(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(PathSegment::Index(i));
                getatts(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn render(path: &[PathSegment]) -> String {
    // Same rendering as Violation::property_path for the simple keys used here.
    let mut s = String::new();
    for seg in path {
        match seg {
            PathSegment::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            PathSegment::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// What formwork reports for a case: schema violations of `Broken` and of
/// `Target`, plus unknown `Fn::GetAtt` attributes (what core checks at synth).
fn formwork_violations(c: &Case) -> Vec<Violation> {
    let mut found = validate_properties(c.type_name, Some(&c.properties));
    if let Some((t, p)) = &c.target {
        found.extend(validate_properties(t, Some(p)));
        let mut refs = Vec::new();
        getatts(&c.properties, &mut Vec::new(), &mut refs);
        for (path, attr) in refs {
            if let Some(mut v) = check_attribute(t, &attr) {
                v.property_path = render(&path);
                v.path = path;
                found.push(v);
            }
        }
    }
    found
}

fn template(c: &Case) -> Value {
    let mut resources = Map::new();
    if let Some((t, p)) = &c.target {
        resources.insert("Target".into(), json!({"Type": t, "Properties": p}));
    }
    let logical = if c.expected.is_some() {
        "Broken"
    } else {
        "Valid"
    };
    resources.insert(
        logical.into(),
        json!({"Type": c.type_name, "Properties": c.properties}),
    );
    let mut t = json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources});
    if c.properties.to_string().contains("\"Fn::If\"") {
        t["Parameters"] =
            json!({"Env": {"Type": "String", "AllowedValues": ["prod", "dev"], "Default": "dev"}});
        t["Conditions"] = json!({"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}});
    }
    t
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("FORMWORK_SCHEMA_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cfn-lint-corpus"),
    }
}

#[test]
fn corpus_is_big_and_broad_enough() {
    let all = cases();
    let broken: Vec<&Case> = all.iter().filter(|c| c.expected.is_some()).collect();
    assert!(broken.len() >= 40, "{} broken cases", broken.len());
    assert!(all.len() - broken.len() >= 5);
    let mut services: Vec<&str> = broken
        .iter()
        .map(|c| c.type_name.split("::").nth(1).unwrap_or(""))
        .collect();
    services.sort();
    services.dedup();
    assert!(services.len() >= 10, "{services:?}");
    let mut names: Vec<&str> = all.iter().map(|c| c.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), all.len(), "case names must be unique");
    for needed in [
        "required",
        "type",
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
        "uniqueItems",
        "additionalProperties",
        "unknownAttribute",
        "unknownType",
    ] {
        assert!(
            broken
                .iter()
                .any(|c| c.expected.as_ref().is_some_and(|(_, r)| r.name() == needed)),
            "no case for {needed}"
        );
    }
}

#[test]
fn formwork_flags_exactly_the_expected_property_and_writes_the_corpus() {
    let dir = corpus_dir();
    std::fs::create_dir_all(&dir).expect("create corpus dir");
    let mut manifest = Vec::new();
    let mut failures = Vec::new();
    for c in cases() {
        let found = formwork_violations(&c);
        let file = format!("{}.json", c.name);
        let text = serde_json::to_string_pretty(&template(&c)).expect("serialize");
        std::fs::write(dir.join(&file), text + "\n").expect("write template");
        match &c.expected {
            None => {
                if !found.is_empty() {
                    failures.push(format!("{}: expected no violation, got {found:?}", c.name));
                }
                manifest.push(json!({"file": file, "type": c.type_name, "valid": true}));
            }
            Some((path, rule)) => {
                let ok =
                    found.len() == 1 && found[0].property_path == *path && found[0].rule == *rule;
                if !ok {
                    failures.push(format!(
                        "{}: expected {rule} at {path:?}, got {found:#?}",
                        c.name
                    ));
                    continue;
                }
                let logical = "Broken";
                let mut cfn_path: Vec<Value> = vec![json!("Resources"), json!(logical)];
                if rule.name() == "unknownType" {
                    cfn_path.push(json!("Type"));
                } else {
                    cfn_path.push(json!("Properties"));
                    cfn_path.extend(
                        found[0]
                            .path
                            .iter()
                            .map(|s| serde_json::to_value(s).unwrap_or(Value::Null)),
                    );
                }
                manifest.push(json!({
                    "file": file, "type": c.type_name, "valid": false,
                    "rule": rule.name(), "property_path": path, "path": cfn_path,
                    "message": found[0].message,
                }));
            }
        }
    }
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).expect("serialize") + "\n",
    )
    .expect("write manifest");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "corpus of {} templates written to {}",
        manifest.len(),
        dir.display()
    );
}
