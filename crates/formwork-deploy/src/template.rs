//! What deploy needs to know about a template: its size limits and the
//! capabilities it requires.

use serde_json::Value;

use crate::error::DeployError;
use crate::reader::read_template;
use crate::StackSpec;

/// The template of `spec`, read as JSON or YAML; an error names the stack.
pub(crate) fn parse_template(spec: &StackSpec) -> Result<Value, DeployError> {
    read_template(&spec.template_body).map_err(|e| DeployError::InvalidTemplate {
        stack: spec.stack_name.clone(),
        message: e.to_string(),
    })
}

/// CloudFormation's limit for an inline `TemplateBody`, in bytes.
pub const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;
/// CloudFormation's limit for a template passed by `TemplateURL`, in bytes.
pub const MAX_S3_TEMPLATE_BYTES: usize = 1_000_000;

/// The capability a template needs to be deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Capability {
    /// `CAPABILITY_IAM`: the template creates IAM resources.
    Iam,
    /// `CAPABILITY_NAMED_IAM`: the template creates IAM resources with custom names.
    NamedIam,
}

impl Capability {
    /// The API string, e.g. `CAPABILITY_IAM`.
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Iam => "CAPABILITY_IAM",
            Capability::NamedIam => "CAPABILITY_NAMED_IAM",
        }
    }
}

/// The name properties that make an IAM resource "named".
const IAM_NAME_PROPERTIES: &[(&str, &str)] = &[
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
    ("AWS::IAM::User", "UserName"),
    ("AWS::IAM::Group", "GroupName"),
    ("AWS::IAM::InstanceProfile", "InstanceProfileName"),
];

/// The capabilities a template needs: none, `CAPABILITY_IAM` for any
/// `AWS::IAM::*` resource, or `CAPABILITY_NAMED_IAM` when one of them has a
/// custom name (`RoleName`, `ManagedPolicyName`, `UserName`, `GroupName`,
/// `InstanceProfileName`).
pub fn required_capabilities(template: &Value) -> Option<Capability> {
    let resources = template.get("Resources")?.as_object()?;
    let mut needed = None;
    for resource in resources.values() {
        let Some(ty) = resource.get("Type").and_then(Value::as_str) else {
            continue;
        };
        if !ty.starts_with("AWS::IAM::") {
            continue;
        }
        needed = needed.max(Some(Capability::Iam));
        let named = IAM_NAME_PROPERTIES.iter().any(|(t, prop)| {
            *t == ty
                && resource
                    .get("Properties")
                    .and_then(|p| p.get(*prop))
                    .is_some_and(|v| !v.is_null())
        });
        if named {
            return Some(Capability::NamedIam);
        }
    }
    needed
}

/// Number of resources in a template (0 when it has no `Resources`).
pub fn resource_count(template: &Value) -> usize {
    template
        .get("Resources")
        .and_then(Value::as_object)
        .map_or(0, |r| r.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn no_iam_needs_nothing() {
        let t = json!({"Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "x"}}}});
        assert_eq!(required_capabilities(&t), None);
        assert_eq!(required_capabilities(&json!({})), None);
    }

    #[test]
    fn unnamed_role_needs_iam() {
        let t = json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {}}}});
        assert_eq!(required_capabilities(&t), Some(Capability::Iam));
    }

    #[test]
    fn named_resources_need_named_iam() {
        for (ty, prop) in IAM_NAME_PROPERTIES {
            let t = json!({"Resources": {
                "A": {"Type": "AWS::IAM::Policy", "Properties": {}},
                "B": {"Type": ty, "Properties": {*prop: "name"}}}});
            assert_eq!(
                required_capabilities(&t),
                Some(Capability::NamedIam),
                "{ty}.{prop}"
            );
        }
        // An intrinsic counts as a custom name too.
        let t = json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Fn::Sub": "${AWS::StackName}-r"}}}}});
        assert_eq!(required_capabilities(&t), Some(Capability::NamedIam));
    }
}
