//! The report formats: cdk-nag's per-stack CSV and JSON reports, and the
//! tab-separated lines of `formwork check`.

use serde_json::json;

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

/// The CSV report cdk-nag writes as `<Pack>-<Stack>-NagReport.csv`:
/// `Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info`.
/// `resource_id` maps a logical ID to the construct path to print.
pub fn to_csv(report: &Report, resource_id: &dyn Fn(&str) -> String) -> String {
    let mut out =
        String::from("Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info\n");
    for f in &report.findings {
        let cells = [
            f.rule_id.as_str(),
            &resource_id(&f.logical_id),
            compliance(&f.status),
            exception_reason(&f.status),
            f.level.report_name(),
            f.info,
        ];
        let line: Vec<String> = cells
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// The JSON report cdk-nag writes as `<Pack>-<Stack>-NagReport.json`.
pub fn to_json(report: &Report, resource_id: &dyn Fn(&str) -> String) -> serde_json::Value {
    let lines: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "ruleId": f.rule_id,
                "resourceId": resource_id(&f.logical_id),
                "compliance": compliance(&f.status),
                "exceptionReason": exception_reason(&f.status),
                "ruleLevel": f.level.report_name(),
                "ruleInfo": f.info,
            })
        })
        .collect();
    json!({ "lines": lines })
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
