//! `formwork check TEMPLATE.json...` (feature `check`): the rule packs
//! (cdk-nag's `AwsSolutions`, through formwork-nag) over CloudFormation
//! templates already on disk, formwork's or anyone's, honouring the
//! suppressions in their `Metadata.cdk_nag` (docs/ARCHITECTURE.md, "Rule packs").

use std::io::Write;
use std::path::Path;

/// The exit status of `formwork check`: no unsuppressed error.
pub const CHECK_PASSED: u8 = 0;
/// An unsuppressed error-level finding remains.
pub const CHECK_FOUND_ERRORS: u8 = 1;
/// A file could not be read as a JSON template (or holds a malformed suppression).
pub const CHECK_BAD_INPUT: u8 = 2;

/// Runs the rule packs over each file of `paths` (JSON templates).
///
/// Writes one line per unsuppressed finding to `out`:
/// `RULE-ID<TAB>LogicalId<TAB>error|warning<TAB>finding` (the finding empty
/// for rules without granular findings); with several files, each line is
/// prefixed with the file and a tab, as `grep` does. Problems with a file
/// and unused suppressions go to `err`, naming the file.
///
/// Returns [`CHECK_BAD_INPUT`] when a file could not be checked (the others
/// still are), else [`CHECK_FOUND_ERRORS`] when an error-level finding
/// remains, else [`CHECK_PASSED`].
pub fn check_files(
    paths: &[impl AsRef<Path>],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let packs = [&formwork_nag::AWS_SOLUTIONS];
    let (mut bad_input, mut errors) = (false, false);
    for path in paths {
        let path = path.as_ref();
        let name = path.display();
        let template = match read_template(path) {
            Ok(t) => t,
            Err(problem) => {
                writeln!(err, "error: {name}: {problem}")?;
                bad_input = true;
                continue;
            }
        };
        let report = match formwork_nag::check(&template, &packs) {
            Ok(report) => report,
            Err(e) => {
                writeln!(err, "error: {name}: {e}")?;
                bad_input = true;
                continue;
            }
        };
        for line in formwork_nag::to_tsv_lines(&report) {
            if paths.len() > 1 {
                writeln!(out, "{name}\t{line}")?;
            } else {
                writeln!(out, "{line}")?;
            }
        }
        for unused in &report.unused {
            writeln!(
                err,
                "warning: {name}: {}: the suppression of {} suppresses nothing",
                unused.logical_id.as_deref().unwrap_or("template Metadata"),
                unused.suppression.id
            )?;
        }
        errors |= report.has_errors();
    }
    out.flush()?;
    Ok(if bad_input {
        CHECK_BAD_INPUT
    } else if errors {
        CHECK_FOUND_ERRORS
    } else {
        CHECK_PASSED
    })
}

/// The template in `path`: a JSON object. YAML templates are not read
/// (no YAML parser is built into the command): convert them first, e.g.
/// with `cfn-flip`.
fn read_template(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let template: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        let yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if yaml {
            format!("not JSON ({e}); YAML templates are not read, convert them to JSON first (e.g. cfn-flip)")
        } else {
            format!("not a JSON template: {e}")
        }
    })?;
    if !template.is_object() {
        return Err("not a CloudFormation template (a JSON object)".into());
    }
    Ok(template)
}
