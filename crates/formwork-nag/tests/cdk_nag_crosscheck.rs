//! Cross-check with cdk-nag itself: every template of the corpus is judged
//! by formwork's `AwsSolutions` pack and by cdk-nag's `AwsSolutionsChecks`
//! (through `CfnInclude`, tests/cdk-nag/crosscheck.js), and the sets of
//! (rule id, logical ID, level, finding) must be equal.
//!
//! The corpus: `tests/corpus/**/*.json`, plus the `*.json` templates under
//! each directory of `FORMWORK_NAG_CORPUS_DIRS` (`:`-separated; CI adds
//! every example's and snapshot's template). Differences that are cdk-nag's
//! behaviour rather than ours are listed, with why, in
//! `tests/cdk-nag/known-differences.tsv`.
//!
//! Needs node and `FORMWORK_CDK_NAG_MODULES`, a `node_modules` with
//! aws-cdk-lib and cdk-nag (`.ci/package.json`); CI sets it. Without it the
//! test fails under `CI`, and is skipped with a message elsewhere.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn corpus() -> Vec<PathBuf> {
    let mut files = Vec::new();
    json_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"),
        &mut files,
    );
    if let Ok(dirs) = std::env::var("FORMWORK_NAG_CORPUS_DIRS") {
        for dir in dirs.split(':').filter(|d| !d.is_empty()) {
            json_files(Path::new(dir), &mut files);
        }
    }
    files.sort();
    files
}

/// formwork's lines for one file, prefixed with its file name as the node script prints them.
fn formwork_lines(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let template: serde_json::Value = serde_json::from_str(&text).unwrap();
    let name = file.file_name().unwrap().to_string_lossy();
    let report = formwork_nag::check(&template, &[&formwork_nag::AWS_SOLUTIONS])
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    formwork_nag::to_tsv_lines(&report)
        .map(|l| format!("{name}\t{l}"))
        .collect()
}

fn known_differences() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cdk-nag/known-differences.tsv");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        // `<`/`>`, the side, then the line as printed (the explanation is in the comments above it).
        .map(str::to_owned)
        .collect()
}

#[test]
fn formwork_agrees_with_cdk_nag() {
    let Ok(modules) = std::env::var("FORMWORK_CDK_NAG_MODULES") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set FORMWORK_CDK_NAG_MODULES (see .ci/run)"
        );
        eprintln!("skipped: FORMWORK_CDK_NAG_MODULES is not set");
        return;
    };
    let files = corpus();
    let names: BTreeSet<_> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), files.len(), "corpus file names must be unique");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cdk-nag/crosscheck.js");
    let output = Command::new("node")
        .arg(&script)
        .arg(&modules)
        .args(&files)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "crosscheck.js failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let theirs: BTreeSet<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let ours: BTreeSet<String> = files.iter().flat_map(|f| formwork_lines(f)).collect();
    let known = known_differences();
    let mut unexplained = Vec::new();
    for line in ours.difference(&theirs) {
        let entry = format!("formwork-only\t{line}");
        if !known.contains(&entry) {
            unexplained.push(entry);
        }
    }
    for line in theirs.difference(&ours) {
        let entry = format!("cdk-nag-only\t{line}");
        if !known.contains(&entry) {
            unexplained.push(entry);
        }
    }
    let agreed = ours.intersection(&theirs).count();
    eprintln!(
        "{} templates; {agreed} findings agreed; {} only formwork, {} only cdk-nag (explained: {})",
        files.len(),
        ours.difference(&theirs).count(),
        theirs.difference(&ours).count(),
        known.len()
    );
    assert!(
        unexplained.is_empty(),
        "differences from cdk-nag:\n{}",
        unexplained.join("\n")
    );
}
