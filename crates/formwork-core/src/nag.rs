//! Rule packs (feature `nag`): cdk-nag's `AwsSolutions` checks, run over
//! every synthesized template, and [`NagSuppressions`], which records why a
//! finding is acceptable (docs/ARCHITECTURE.md, "Rule packs").
//!
//! Suppressions are kept as typed state on the node they were given to and
//! rendered at synthesis into cdk-nag's own metadata
//! (`Metadata.cdk_nag.rules_to_suppress`), so that cdk-nag, run on the
//! same template, reads the same suppressions.

pub use formwork_nag::{AppliesTo, Level as RuleLevel, Suppression, AWS_SOLUTIONS};

pub use crate::context::RULE_PACKS_CONTEXT;

use crate::construct::Scope;
use crate::error::{Error, Result};
use crate::tree::App;

/// Every rule pack formwork knows, by name.
pub fn rule_packs() -> [&'static formwork_nag::Pack; 1] {
    [&AWS_SOLUTIONS]
}

/// cdk-nag's `NagSuppressions`: findings of a rule pack that are acceptable
/// here, each with the reason, kept in the template for reviewers.
///
/// On a stack, a suppression covers the whole template (cdk-nag's
/// `addStackSuppressions`, template `Metadata`); on the app, every stack's
/// template; on any other construct, every resource at and below it
/// (cdk-nag's `addResourceSuppressions` with `applyToChildren`).
///
/// ```
/// use formwork_core::nag::{AppliesTo, NagSuppressions, Suppression};
/// use formwork_core::{App, CfnResource, Scope};
///
/// let app = App::new();
/// app.enable_rule_packs(); // as `app.run()` does
/// let stack = app.stack("Demo");
/// let role = stack
///     .add_resource("Reader", CfnResource::new("AWS::IAM::Role")
///         .set("AssumeRolePolicyDocument", serde_json::json!({"Version": "2012-10-17", "Statement": []}))
///         .set("ManagedPolicyArns", vec!["arn:aws:iam::aws:policy/ReadOnlyAccess"]))
///     .unwrap();
/// assert!(app.synth().is_err()); // AwsSolutions-IAM4 is an error
///
/// NagSuppressions::add(&role, [Suppression::new(
///     "AwsSolutions-IAM4",
///     "auditors read everything; reviewed by the security team",
/// )
/// .applies_to([AppliesTo::Exact("Policy::arn:aws:iam::aws:policy/ReadOnlyAccess".into())])])
/// .unwrap();
/// let assembly = app.synth().unwrap();
/// let metadata = &assembly.stacks[0].template.resources["Reader"].metadata;
/// assert_eq!(metadata["cdk_nag"]["rules_to_suppress"][0]["id"], "AwsSolutions-IAM4");
///
/// // A reason must say something: at least 10 characters.
/// let short = NagSuppressions::add(&role, [Suppression::new("AwsSolutions-IAM5", "ok")]);
/// assert!(short.unwrap_err().to_string().starts_with("Demo/Reader: "));
/// ```
pub struct NagSuppressions;

impl NagSuppressions {
    /// Suppresses `suppressions` on `scope` (see [`NagSuppressions`]).
    ///
    /// Fails, naming the construct path, on what cdk-nag would refuse: a
    /// reason under 10 characters, a finding in the rule id (use
    /// [`Suppression::applies_to`]), an invalid regex.
    pub fn add(
        scope: &(impl Scope + ?Sized),
        suppressions: impl IntoIterator<Item = Suppression>,
    ) -> Result<()> {
        let construct = scope.construct();
        let suppressions: Vec<Suppression> = suppressions.into_iter().collect();
        let path = construct.path();
        for s in &suppressions {
            s.validate(&path).map_err(|e| {
                Error::invalid(
                    path.clone(),
                    None,
                    format!("suppression of {:?}: {}", e.id, e.problem),
                )
            })?;
        }
        let mut tree = construct.tree_mut();
        let own = &mut tree.node_mut(construct.node).nag_suppressions;
        for s in suppressions {
            if !own.contains(&s) {
                own.push(s);
            }
        }
        Ok(())
    }
}

impl App {
    /// Turns off the rule pack `name` (`"AwsSolutions"`) for this app's
    /// synthesis: no findings, no report. Suppressions are still written
    /// into the templates (cdk-nag reads them). The context key
    /// [`RULE_PACKS_CONTEXT`] does the same from the command line.
    pub fn disable_rule_pack(&self, name: impl Into<String>) {
        self.shared
            .settings
            .borrow_mut()
            .disabled_rule_packs
            .push(name.into());
    }
}

/// Merges `suppressions` into `metadata`, a resource's or template's
/// `Metadata`, as cdk-nag's `addRulesToMetadata`: after the entries already
/// in `cdk_nag.rules_to_suppress`, without duplicates. Fails when
/// `cdk_nag` is there but not an object with a list.
pub(crate) fn merge_suppressions<'s>(
    metadata: &mut indexmap::IndexMap<String, serde_json::Value>,
    suppressions: impl IntoIterator<Item = &'s Suppression>,
) -> std::result::Result<(), String> {
    use serde_json::Value;
    let mut suppressions = suppressions.into_iter().peekable();
    if suppressions.peek().is_none() {
        return Ok(());
    }
    let cdk_nag = metadata
        .entry("cdk_nag".to_owned())
        .or_insert_with(|| serde_json::json!({}));
    let Some(cdk_nag) = cdk_nag.as_object_mut() else {
        return Err(
            "Metadata.cdk_nag is not an object, so suppressions cannot be merged into it".into(),
        );
    };
    let rules = cdk_nag
        .entry("rules_to_suppress")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(rules) = rules.as_array_mut() else {
        return Err("Metadata.cdk_nag.rules_to_suppress is not a list, so suppressions cannot be merged into it".into());
    };
    for s in suppressions {
        let entry = s.to_metadata();
        if !rules.contains(&entry) {
            rules.push(entry);
        }
    }
    Ok(())
}
