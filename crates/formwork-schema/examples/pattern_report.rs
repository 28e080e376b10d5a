//! Counts how the vendored schemas' regular expressions are evaluated.
//!
//! `cargo run --release -p formwork-schema --example pattern_report [-- -v]`

use std::collections::BTreeSet;

use formwork_schema::{pattern_support, resource_schema, type_names, PatternSupport};
use serde_json::Value;

fn collect(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k == "pattern" {
                    if let Value::String(p) = x {
                        out.insert(p.clone());
                    }
                } else if k == "patternProperties" {
                    if let Value::Object(pp) = x {
                        out.extend(pp.keys().cloned());
                    }
                }
                collect(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

fn main() {
    let verbose = std::env::args().any(|a| a == "-v");
    let mut patterns = BTreeSet::new();
    for (name, _) in type_names() {
        if let Ok(s) = resource_schema(name) {
            collect(s, &mut patterns);
        }
    }
    let (mut std, mut fancy, mut bad) = (0, 0, 0);
    let start = std::time::Instant::now();
    for p in &patterns {
        match pattern_support(p) {
            PatternSupport::Regex => std += 1,
            PatternSupport::Fancy => {
                fancy += 1;
                if verbose {
                    println!("fancy: {p}");
                }
            }
            PatternSupport::Unsupported(e) => {
                bad += 1;
                if verbose {
                    println!("unsupported: {p}\n    {}", e.lines().next().unwrap_or(""));
                }
            }
            _ => {}
        }
    }
    println!(
        "{} distinct patterns: {std} regex, {fancy} fancy-regex, {bad} unsupported (skipped); compiled in {:?}",
        patterns.len(),
        start.elapsed()
    );
}
