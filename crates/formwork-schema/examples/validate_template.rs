//! Validates every resource of a CloudFormation JSON template and prints the
//! violations as JSON lines: `{"resource": ..., "type": ..., "violation": ...}`.
//!
//! `cargo run --release -p formwork-schema --example validate_template -- template.json`

use serde_json::{json, Value};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: validate_template TEMPLATE.json");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let template: Value = match serde_json::from_str(&text) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let mut count = 0;
    let resources = template.get("Resources").and_then(Value::as_object);
    for (id, r) in resources.into_iter().flatten() {
        let t = r.get("Type").and_then(Value::as_str).unwrap_or("");
        for v in formwork_schema::validate_properties(t, r.get("Properties")) {
            count += 1;
            println!("{}", json!({"resource": id, "type": t, "violation": v}));
        }
    }
    std::process::exit(i32::from(count > 0));
}
