//! Cross-check with cdk-nag itself: every template of the corpus is judged
//! by formwork's `AwsSolutions` pack and by cdk-nag's `AwsSolutionsChecks`
//! (through `CfnInclude`, tests/cdk-nag/crosscheck.js), and the sets of
//! (rule id, logical ID, level, finding) must be equal.
//!
//! The corpus: `tests/corpus/**/*.json`, plus, from each directory of
//! `FORMWORK_NAG_CORPUS_DIRS` (`:`-separated; CI adds the examples' cloud
//! assemblies and `snapshots/`), the `*.template.json` files and the insta
//! snapshots that are templates, copied under names unique across the
//! directories (see `extra_corpus`). Differences that are cdk-nag's
//! behaviour rather than ours are listed, with why, in
//! `tests/cdk-nag/known-differences.tsv`.
//!
//! Needs node and `FORMWORK_CDK_NAG_MODULES`, a `node_modules` with
//! aws-cdk-lib and cdk-nag (`.ci/package.json`). Without it the test is
//! skipped with a message (the workspace's test step does not need node);
//! CI runs it in a step of its own, which sets both variables (.ci/run).

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

/// Files under `dir` whose name ends with `suffix`, sorted.
fn files_ending(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_ending(&path, suffix, out);
        } else if path.to_string_lossy().ends_with(suffix) {
            out.push(path);
        }
    }
}

/// The JSON of an insta snapshot: the text after its `---` header.
fn snapshot_body(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some(&rest[end + 5..])
}

/// The extra templates of `FORMWORK_NAG_CORPUS_DIRS`, copied into `into`
/// under names unique across the directories (several examples may share
/// stack names): `<dir>--<path below it, / as ->`. From each directory:
/// every `*.template.json` (the templates of cloud assemblies, not their
/// manifests or assets), and every insta snapshot `*.snap` whose JSON is a
/// template (has `Resources`), its header stripped.
fn extra_corpus(dirs: &str, into: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in dirs.split(':').filter(|d| !d.is_empty()) {
        let dir = Path::new(dir);
        let prefix = dir
            .file_name()
            .map_or_else(|| "corpus".into(), |n| n.to_string_lossy().into_owned());
        let unique = |path: &Path, extension: &str| {
            let below = path.strip_prefix(dir).unwrap_or(path).with_extension("");
            let below = below.to_string_lossy().replace(['/', '\\'], "-");
            into.join(format!("{prefix}--{below}{extension}"))
        };
        let mut templates = Vec::new();
        files_ending(dir, ".template.json", &mut templates);
        for path in templates {
            let target = unique(&path, ".json");
            std::fs::copy(&path, &target).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push(target);
        }
        let mut snapshots = Vec::new();
        files_ending(dir, ".snap", &mut snapshots);
        for path in snapshots {
            let text = std::fs::read_to_string(&path).unwrap();
            let body = snapshot_body(&text)
                .unwrap_or_else(|| panic!("{}: no insta header", path.display()));
            let json: serde_json::Value =
                serde_json::from_str(body).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if json.get("Resources").is_none() {
                continue; // a manifest, not a template
            }
            let target = unique(&path, ".template.json");
            std::fs::write(&target, body).unwrap();
            out.push(target);
        }
    }
    out
}

fn corpus(scratch: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    json_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"),
        &mut files,
    );
    if let Ok(dirs) = std::env::var("FORMWORK_NAG_CORPUS_DIRS") {
        files.extend(extra_corpus(&dirs, scratch));
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
        // The workspace's test step runs without node; CI's cross-check step
        // (.ci/run) sets both variables, and one without the other is a mistake.
        assert!(
            std::env::var_os("FORMWORK_NAG_CORPUS_DIRS").is_none(),
            "FORMWORK_NAG_CORPUS_DIRS is set but FORMWORK_CDK_NAG_MODULES is not (see .ci/run)"
        );
        eprintln!("skipped: FORMWORK_CDK_NAG_MODULES is not set");
        return;
    };
    let scratch = std::env::temp_dir().join(format!("formwork-nag-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let files = corpus(&scratch);
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
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        unexplained.is_empty(),
        "differences from cdk-nag:\n{}",
        unexplained.join("\n")
    );
}
