//! What a rule is: an id, a level, its texts and a check of one resource.

use crate::resource::{Resource, Unresolved};

/// How serious a finding is, as cdk-nag's `NagMessageLevel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Fails the synthesis (unless suppressed).
    Error,
    /// Printed, and fails `synth --strict`.
    Warning,
}

impl Level {
    /// `error` or `warning`, as `formwork check` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }

    /// `Error` or `Warning`, as cdk-nag's reports write it.
    pub fn report_name(self) -> &'static str {
        match self {
            Level::Error => "Error",
            Level::Warning => "Warning",
        }
    }
}

/// What a rule found on one resource, as cdk-nag's `NagRuleResult`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The resource is of a type the rule checks, and passes.
    Compliant,
    /// The resource fails the rule (one finding, without a finding id).
    NonCompliant,
    /// The rule does not check this resource.
    NotApplicable,
    /// Granular findings, each with its id (e.g. `Action::s3:*`); an empty
    /// list means nothing was found, as in cdk-nag.
    Findings(Vec<String>),
}

/// A rule's answer: an outcome, or a value it cannot judge (an intrinsic
/// function where a literal is needed), which cdk-nag reports as
/// `CdkNagValidationFailure`.
pub type RuleResult = Result<Outcome, Unresolved>;

/// One rule of a pack.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The id after the pack name: `IAM4` for `AwsSolutions-IAM4`.
    pub id: &'static str,
    /// Error or warning.
    pub level: Level,
    /// What was found, one sentence (cdk-nag's `info`, word for word).
    pub info: &'static str,
    /// Why it matters and how to fix it (cdk-nag's `explanation`).
    pub explanation: &'static str,
    /// Checks one resource; the rule filters resource types itself.
    pub check: fn(&Resource<'_>) -> RuleResult,
}

/// A named set of rules (`AwsSolutions`).
#[derive(Debug)]
pub struct Pack {
    /// The prefix of each rule id.
    pub name: &'static str,
    /// The rules, by category, in cdk-nag's order.
    pub groups: &'static [&'static [Rule]],
}

impl Pack {
    /// Every rule, in order.
    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> {
        self.groups.iter().flat_map(|g| g.iter())
    }

    /// The full id of `rule` in this pack: `AwsSolutions-IAM4`.
    pub fn rule_id(&self, rule: &Rule) -> String {
        format!("{}-{}", self.name, rule.id)
    }
}
