//! Runs packs over a template, as cdk-nag's `NagPack.applyRule` does for
//! each resource: findings, suppressions, and the validation failures of
//! rules that meet an intrinsic function.

use serde_json::Value;

use crate::resource::Template;
use crate::rule::{Level, Outcome, Pack};
use crate::suppression::{self, Suppression, SuppressionError, VALIDATION_FAILURE_ID};

/// Where a finding stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The resource passes the rule (kept for the report).
    Compliant,
    /// A finding nobody suppressed.
    NonCompliant,
    /// A finding suppressed with this reason.
    Suppressed(String),
    /// The rule could not judge a value (cdk-nag's `CdkNagValidationFailure`).
    ValidationFailure(String),
}

/// One rule's verdict on one resource (one per granular finding).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The full rule id (`AwsSolutions-IAM4`).
    pub rule_id: String,
    /// The granular finding id (`Policy::arn:<AWS::Partition>:...`), empty if the rule has none.
    pub finding_id: String,
    /// The resource's logical ID.
    pub logical_id: String,
    /// The rule's level.
    pub level: Level,
    /// The rule's one-line description.
    pub info: &'static str,
    /// Why and how to fix it.
    pub explanation: &'static str,
    /// Compliant, found, suppressed, or not judged.
    pub status: Status,
}

impl Finding {
    /// Found and not suppressed (a validation failure counts, as a warning).
    pub fn is_unsuppressed(&self) -> bool {
        matches!(
            self.status,
            Status::NonCompliant | Status::ValidationFailure(_)
        )
    }

    /// The level it is reported at: validation failures are warnings.
    pub fn effective_level(&self) -> Level {
        match self.status {
            Status::ValidationFailure(_) => Level::Warning,
            _ => self.level,
        }
    }

    /// The id it is reported under, as cdk-nag's annotations:
    /// `AwsSolutions-IAM5[Action::s3:*]`, or
    /// `CdkNagValidationFailure[AwsSolutions-S1]` for a value the rule could not judge.
    pub fn display_id(&self) -> String {
        match (&self.status, self.finding_id.is_empty()) {
            (Status::ValidationFailure(_), _) => {
                format!("{VALIDATION_FAILURE_ID}[{}]", self.rule_id)
            }
            (_, true) => self.rule_id.clone(),
            (_, false) => format!("{}[{}]", self.rule_id, self.finding_id),
        }
    }
}

/// A suppression that suppressed nothing: a warning, since it hides
/// nothing today but would hide a future finding without review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnusedSuppression {
    /// The resource it is on, or `None` for a stack-wide one.
    pub logical_id: Option<String>,
    /// The suppression.
    pub suppression: Suppression,
}

/// Everything the packs found in one template.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Every verdict but "not applicable", resource by resource, rule by rule.
    pub findings: Vec<Finding>,
    /// Suppressions that matched no finding.
    pub unused: Vec<UnusedSuppression>,
}

impl Report {
    /// Findings nobody suppressed.
    pub fn unsuppressed(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_unsuppressed())
    }

    /// Whether an unsuppressed error remains.
    pub fn has_errors(&self) -> bool {
        self.unsuppressed()
            .any(|f| f.effective_level() == Level::Error)
    }
}

/// Runs `packs` over `template` (a CloudFormation template's JSON).
///
/// Fails, as cdk-nag does, on a malformed suppression (a reason under 10
/// characters, a finding in the id, a bad regex).
pub fn check(template: &Value, packs: &[&Pack]) -> Result<Report, SuppressionError> {
    let view = Template::new(template);
    let stack_wide = suppression::read(template.get("Metadata"), "template Metadata")?;
    let mut stack_used = vec![false; stack_wide.len()];
    let mut report = Report::default();
    for resource in view.resources() {
        let own = suppression::read(resource.body.get("Metadata"), resource.logical_id)?;
        let mut own_used = vec![false; own.len()];
        // The resource's own suppressions first, then the stack's, as cdk-nag reads them.
        let mut suppress = |rule_id: &str, finding: &str, failure: bool| {
            let applies = |s: &Suppression| {
                s.covers(rule_id, finding) || (failure && s.covers(VALIDATION_FAILURE_ID, rule_id))
            };
            let hit = own
                .iter()
                .zip(own_used.iter_mut())
                .chain(stack_wide.iter().zip(stack_used.iter_mut()))
                .find(|(s, _)| applies(s))?;
            *hit.1 = true;
            Some(match &hit.0.applies_to {
                None => hit.0.reason.clone(),
                Some(_) => format!("[{finding}] {}", hit.0.reason),
            })
        };
        for pack in packs {
            for rule in pack.rules() {
                let rule_id = pack.rule_id(rule);
                let finding = |finding_id: String, status: Status| Finding {
                    rule_id: rule_id.clone(),
                    finding_id,
                    logical_id: resource.logical_id.to_owned(),
                    level: rule.level,
                    info: rule.info,
                    explanation: rule.explanation,
                    status,
                };
                match (rule.check)(&resource) {
                    Ok(Outcome::NotApplicable) => {}
                    Ok(Outcome::Compliant) => report
                        .findings
                        .push(finding(String::new(), Status::Compliant)),
                    Ok(Outcome::NonCompliant) => {
                        let status = suppress(&rule_id, "", false)
                            .map_or(Status::NonCompliant, Status::Suppressed);
                        report.findings.push(finding(String::new(), status));
                    }
                    Ok(Outcome::Findings(ids)) => {
                        for id in ids {
                            let status = suppress(&rule_id, &id, false)
                                .map_or(Status::NonCompliant, Status::Suppressed);
                            report.findings.push(finding(id, status));
                        }
                    }
                    Err(unresolved) => {
                        let status = suppress(&rule_id, "", true).map_or_else(
                            || Status::ValidationFailure(unresolved.to_string()),
                            Status::Suppressed,
                        );
                        report.findings.push(finding(String::new(), status));
                    }
                }
            }
        }
        report
            .unused
            .extend(own.into_iter().zip(own_used).filter(|(_, used)| !used).map(
                |(suppression, _)| UnusedSuppression {
                    logical_id: Some(resource.logical_id.to_owned()),
                    suppression,
                },
            ));
    }
    report.unused.extend(
        stack_wide
            .into_iter()
            .zip(stack_used)
            .filter(|(_, used)| !used)
            .map(|(suppression, _)| UnusedSuppression {
                logical_id: None,
                suppression,
            }),
    );
    Ok(report)
}
