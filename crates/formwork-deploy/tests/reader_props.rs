//! Property tests of the template reader and the diff: whatever the input,
//! they never panic, and a template reads back the same from JSON and YAML.
//!
//! The case count is small by default (64, CI runs every test); set
//! `PROPTEST_CASES` for a longer run.

use std::collections::HashMap;

use formwork_deploy::diff::diff_templates;
use formwork_deploy::reader::read_template;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// JSON values without floats (which need not read back bit for bit).
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        // Strings that YAML would read as something else unless quoted.
        prop::sample::select(vec![
            "true",
            "no",
            "~",
            "null",
            "1.5",
            "0x1F",
            "2010-09-09",
            "!Ref x",
            "- a",
            "a: b",
            ""
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[A-Za-z][A-Za-z0-9:]{0,6}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn template() -> impl Strategy<Value = Value> {
    prop::collection::btree_map("[A-Z][A-Za-z]{0,8}", value(), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// A YAML line with a CloudFormation short-form tag.
fn tagged_line() -> impl Strategy<Value = (String, String, String)> {
    (
        prop::sample::select(vec![
            "Ref",
            "GetAtt",
            "Sub",
            "Join",
            "If",
            "Select",
            "Split",
            "ImportValue",
            "FindInMap",
            "GetAZs",
            "Base64",
            "Equals",
            "And",
            "Or",
            "Not",
            "Condition",
            "Cidr",
        ]),
        "[a-z][a-z0-9]{0,5}",
        "[a-z][a-z0-9]{0,5}",
    )
        .prop_map(|(tag, a, b)| (tag.to_string(), a, b))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        if let Ok(v) = read_template(&text) {
            prop_assert!(diff_templates(Some(&v), &v, &HashMap::new()).is_empty());
            let _ = diff_templates(None, &v, &HashMap::new()).render();
        }
    }

    #[test]
    fn arbitrary_yamlish_text_never_panics(
        lines in prop::collection::vec("[ -]{0,4}[A-Za-z!&*|>'\"{}\\[\\],:#%@` 0-9.-]{0,20}", 0..12)
    ) {
        let text = lines.join("\n");
        if let Ok(v) = read_template(&text) {
            prop_assert!(diff_templates(Some(&v), &v, &HashMap::new()).is_empty());
        }
    }

    #[test]
    fn json_and_yaml_read_the_same(t in template()) {
        let json = serde_json::to_string_pretty(&t).unwrap();
        prop_assert_eq!(read_template(&json).unwrap(), t.clone());
        let yaml = serde_norway::to_string(&t).unwrap();
        // An empty mapping is `{}` in YAML: still a mapping.
        prop_assert_eq!(read_template(&yaml).unwrap(), t.clone(), "YAML:\n{}", yaml);
    }

    #[test]
    fn diffs_of_arbitrary_templates_never_panic(a in template(), b in template()) {
        let d = diff_templates(Some(&a), &b, &HashMap::new());
        let _ = d.render();
        // Different resources always show (other sections may compare equal
        // through their JSON values, e.g. a key order change).
        if a.get("Resources") != b.get("Resources")
            && a.get("Resources").is_some_and(Value::is_object)
            && b.get("Resources").is_some_and(Value::is_object)
        {
            prop_assert!(!d.resources.is_empty());
        }
        prop_assert!(diff_templates(Some(&a), &a, &HashMap::new()).is_empty());
    }

    #[test]
    fn short_form_tags_become_long_forms((tag, a, b) in tagged_line()) {
        let yaml = format!("Outputs:\n  O:\n    Value: !{tag} {a}.{b}\n");
        let v = read_template(&yaml).unwrap();
        let value = &v["Outputs"]["O"]["Value"];
        let expected = match tag.as_str() {
            "Ref" => serde_json::json!({"Ref": format!("{a}.{b}")}),
            "Condition" => serde_json::json!({"Condition": format!("{a}.{b}")}),
            "GetAtt" => serde_json::json!({"Fn::GetAtt": [a, b]}),
            other => serde_json::json!({format!("Fn::{other}"): format!("{a}.{b}")}),
        };
        prop_assert_eq!(value, &expected);
    }
}
