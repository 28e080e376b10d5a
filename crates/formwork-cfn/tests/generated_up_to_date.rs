//! The committed generated code matches what the generator writes from the
//! pinned cfn-lint schemas.
//!
//! The generator needs a Python with the pinned cfn-lint (see
//! `gen/cfn-lint-version`): set `FORMWORK_CFN_PYTHON` to it (CI does).
//! Without it the test says that it was skipped, unless
//! `FORMWORK_CFN_REQUIRE_CHECK=1` makes that a failure.

use std::path::Path;
use std::process::Command;

/// The generator's exit code for "cfn-lint missing or not the pinned version".
const NO_PINNED_CFN_LINT: i32 = 3;

#[test]
fn generated_code_is_up_to_date() {
    let python = std::env::var("FORMWORK_CFN_PYTHON").unwrap_or_else(|_| "python3".into());
    let required = std::env::var("FORMWORK_CFN_REQUIRE_CHECK").is_ok_and(|v| v == "1");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("gen/generate.py");
    let out = match Command::new(&python).arg(&script).arg("--check").output() {
        Ok(out) => out,
        Err(e) => {
            assert!(!required, "cannot run {python}: {e}");
            eprintln!("skipped: cannot run {python}: {e}; set FORMWORK_CFN_PYTHON");
            return;
        }
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.code() == Some(NO_PINNED_CFN_LINT) && !required {
        eprintln!("skipped: {text}set FORMWORK_CFN_PYTHON to a Python with the pinned cfn-lint");
        return;
    }
    assert!(out.status.success(), "{text}");
}
