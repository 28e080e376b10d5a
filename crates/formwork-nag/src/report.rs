//! The report formats: cdk-nag's per-stack CSV and JSON reports, and the
//! tab-separated lines of `formwork check`.

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::{Finding, Report, Status};

/// cdk-nag's compliance column.
fn compliance(status: &Status) -> &'static str {
    match status {
        Status::Compliant => "Compliant",
        Status::NonCompliant => "Non-Compliant",
        Status::Suppressed(_) => "Suppressed",
        Status::ValidationFailure(_) => "UNKNOWN",
    }
}

fn exception_reason(status: &Status) -> &str {
    match status {
        Status::Suppressed(reason) => reason,
        _ => "N/A",
    }
}

/// Writes the CSV report cdk-nag writes as `<Pack>-<Stack>-NagReport.csv`:
/// `Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info`.
/// `resource_id` maps a logical ID to the construct path to print.
pub fn write_csv(
    report: &Report,
    resource_id: &dyn Fn(&str) -> String,
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(b"Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info\n")?;
    for f in &report.findings {
        let cells = [
            f.rule_id.as_str(),
            &resource_id(&f.logical_id),
            compliance(&f.status),
            exception_reason(&f.status),
            f.level.report_name(),
            f.info,
        ];
        for (i, cell) in cells.iter().enumerate() {
            let separator = if i == 0 { "" } else { "," };
            write!(out, "{separator}\"{}\"", cell.replace('"', "\"\""))?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// One line of cdk-nag's JSON report.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonLine<'a> {
    rule_id: &'a str,
    resource_id: String,
    compliance: &'static str,
    exception_reason: &'a str,
    rule_level: &'static str,
    rule_info: &'static str,
}

/// Writes the JSON report cdk-nag writes as `<Pack>-<Stack>-NagReport.json`
/// (`{"lines": [...]}`, compact, as `JSON.stringify`), line by line.
pub fn write_json(
    report: &Report,
    resource_id: &dyn Fn(&str) -> String,
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(b"{\"lines\":[")?;
    for (i, f) in report.findings.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        let line = JsonLine {
            rule_id: &f.rule_id,
            resource_id: resource_id(&f.logical_id),
            compliance: compliance(&f.status),
            exception_reason: exception_reason(&f.status),
            rule_level: f.level.report_name(),
            rule_info: f.info,
        };
        serde_json::to_writer(&mut *out, &line)?;
    }
    out.write_all(b"]}")
}

/// `formwork check`'s lines, one per unsuppressed finding:
/// `RULE-ID<TAB>LogicalId<TAB>error|warning<TAB>finding`. A value a rule
/// could not judge is `CdkNagValidationFailure`, with the rule id as its finding.
pub fn to_tsv_lines(report: &Report) -> impl Iterator<Item = String> + '_ {
    report.unsuppressed().map(|f: &Finding| {
        let (rule, finding) = match f.status {
            Status::ValidationFailure(_) => {
                (crate::VALIDATION_FAILURE_ID.to_owned(), f.rule_id.clone())
            }
            _ => (f.rule_id.clone(), f.finding_id.clone()),
        };
        format!(
            "{rule}\t{}\t{}\t{finding}",
            f.logical_id,
            f.effective_level().as_str()
        )
    })
}
