//! The cfn-lint cross-check corpus, expressed through formwork's own model.
//!
//! Each case of `crates/formwork-schema/tests/corpus_cases.rs` becomes an app
//! with a `CfnResource` (references to `Target`, `Env` and `IsProd` become
//! typed `Expr`s). With validation off, the broken template is synthesized and
//! written to `$FORMWORK_CORPUS_DIR` for `cfn_lint_crosscheck.sh`; with
//! validation on, synthesis must fail on exactly the expected property.

#[path = "../crates/formwork-schema/tests/corpus_cases.rs"]
mod cases;

use std::path::PathBuf;

use formwork::template::Parameter;
use formwork::{App, CfnResource, ConditionRef, Expr, ParameterRef, ResourceRef, Scope};
use serde_json::{json, Value};

struct Handles {
    target: Option<ResourceRef>,
    /// The `Env` parameter and `IsProd` condition, made only for cases that
    /// use `Fn::If` (cfn-lint warns about unused parameters).
    condition: Option<(ParameterRef, ConditionRef)>,
}

/// JSON properties -> `Expr`, with the corpus's references made typed.
fn to_expr(v: &Value, h: &Handles) -> Expr {
    match v {
        Value::Object(m) if m.len() == 1 => {
            let (k, arg) = m.iter().next().expect("one entry");
            match (k.as_str(), arg, h.target.clone(), h.condition) {
                ("Ref", Value::String(name), _, Some((env, _))) if name == "Env" => {
                    return env.value()
                }
                ("Ref", Value::String(name), Some(t), _) if name == "Target" => return t.to_ref(),
                ("Fn::GetAtt", Value::Array(a), Some(t), _) if a.len() == 2 && a[0] == "Target" => {
                    if let Some(attr) = a[1].as_str() {
                        return t.get_att(attr);
                    }
                }
                ("Fn::If", Value::Array(a), _, Some((_, is_prod)))
                    if a.len() == 3 && a[0] == "IsProd" =>
                {
                    return Expr::if_(is_prod, to_expr(&a[1], h), to_expr(&a[2], h));
                }
                _ => {}
            }
            Expr::Map(m.iter().map(|(k, v)| (k.clone(), to_expr(v, h))).collect())
        }
        Value::Object(m) => Expr::Map(m.iter().map(|(k, v)| (k.clone(), to_expr(v, h))).collect()),
        Value::Array(items) => Expr::List(items.iter().map(|i| to_expr(i, h)).collect()),
        other => Expr::from(other.clone()),
    }
}

fn resource(type_name: &str, properties: &Value, h: &Handles) -> CfnResource {
    let mut r = CfnResource::new(type_name.to_owned());
    if let Value::Object(m) = properties {
        for (k, v) in m {
            r.insert(k.clone(), to_expr(v, h));
        }
    }
    r
}

fn build(case: &cases::Case, validation: bool) -> App {
    let app = App::new();
    app.set_validation(validation);
    let stack = app.stack("Corpus");
    let condition = case.properties.to_string().contains("\"Fn::If\"").then(|| {
        let env = stack.parameter(
            "Env",
            Parameter {
                type_name: "String".into(),
                allowed_values: vec![json!("prod"), json!("dev")],
                default: Some(json!("dev")),
                ..Parameter::default()
            },
        );
        (
            env,
            stack.condition("IsProd", Expr::equals(env.value(), "prod")),
        )
    });
    let mut h = Handles {
        target: None,
        condition,
    };
    if let Some((t, p)) = &case.target {
        h.target = Some(
            stack
                .add_resource("Target", resource(t, p, &h))
                .expect("target"),
        );
    }
    let id = if case.expected.is_some() {
        "Broken"
    } else {
        "Valid"
    };
    stack
        .add_resource(id, resource(case.type_name, &case.properties, &h))
        .expect("resource");
    app
}

/// `A.B[2].C` -> `["A", "B", 2, "C"]`.
fn path_segments(path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            out.push(json!(&rest[..i]));
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                out.push(json!(rest[1..end].parse::<u64>().unwrap_or(0)));
                rest = &rest[end + 1..];
            }
        } else {
            out.push(json!(rest));
        }
    }
    out
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("FORMWORK_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("formwork-corpus"))
}

#[test]
fn formwork_flags_each_broken_resource_and_writes_the_corpus() {
    let dir = corpus_dir();
    std::fs::create_dir_all(&dir).expect("create corpus dir");
    let mut manifest = Vec::new();
    let mut failures = Vec::new();
    for case in cases::cases() {
        let broken = build(&case, false)
            .synth()
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let template = &broken.stacks[0].template;
        let file = format!("{}.json", case.name);
        std::fs::write(dir.join(&file), template.to_json() + "\n").expect("write template");

        let checked = build(&case, true).synth();
        match (&case.expected, checked) {
            (None, Ok(_)) => {
                manifest.push(json!({"file": file, "type": case.type_name, "valid": true}))
            }
            (None, Err(e)) => failures.push(format!("{}: expected no error, got {e}", case.name)),
            (Some((path, rule)), Ok(_)) => failures.push(format!(
                "{}: expected {rule} at {path:?}, synth passed",
                case.name
            )),
            (Some((path, rule)), Err(e)) => {
                let v = e.violations();
                let want = (!path.is_empty()).then_some(*path);
                if v.len() != 1
                    || v[0].property.as_deref() != want
                    || !v[0].path.starts_with("Corpus/")
                {
                    failures.push(format!(
                        "{}: expected one error at {path:?} ({rule}), got: {e}",
                        case.name
                    ));
                    continue;
                }
                let mut cfn_path = vec![json!("Resources"), json!("Broken")];
                if rule.name() == "unknownType" {
                    cfn_path.push(json!("Type"));
                } else {
                    cfn_path.push(json!("Properties"));
                    cfn_path.extend(path_segments(path));
                }
                manifest.push(json!({
                    "file": file, "type": case.type_name, "valid": false,
                    "rule": rule.name(), "property_path": path, "path": cfn_path,
                    "message": e.to_string(),
                }));
            }
        }
    }
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).expect("json") + "\n",
    )
    .expect("write manifest");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
