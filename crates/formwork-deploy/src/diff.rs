//! A structural diff between two CloudFormation templates.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value};

/// What happened to a resource, output or parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChangeKind {
    /// Only in the local template.
    Added,
    /// Only in the deployed template.
    Removed,
    /// In both, with differences.
    Modified,
}

impl ChangeKind {
    fn sign(self) -> &'static str {
        match self {
            ChangeKind::Added => "[+]",
            ChangeKind::Removed => "[-]",
            ChangeKind::Modified => "[~]",
        }
    }
}

/// One changed value, addressed by a path such as `Properties.Policies[0].PolicyName`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyChange {
    /// Where in the resource.
    pub path: String,
    /// The deployed value (`None` when added).
    pub old: Option<Value>,
    /// The local value (`None` when removed).
    pub new: Option<Value>,
}

/// A resource that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceDiff {
    /// The logical ID.
    pub logical_id: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// The resource type (the local one, or the deployed one when removed).
    pub resource_type: String,
    /// The construct path, when the assembly knows it.
    pub construct_path: Option<String>,
    /// Property-level changes (empty for added and removed resources).
    pub changes: Vec<PropertyChange>,
}

/// A difference in `Outputs` or `Parameters`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionDiff {
    /// The key in the section.
    pub key: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
}

/// A change that affects permissions: an IAM resource or policy added or
/// changed, a trust policy, or managed policy attachments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IamChange {
    /// The logical ID.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// What changes, e.g. `trust policy (AssumeRolePolicyDocument)`.
    pub description: String,
}

/// The structural difference between a deployed template and a local one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TemplateDiff {
    /// Resources added, removed and modified, in template order.
    pub resources: Vec<ResourceDiff>,
    /// Outputs added, removed and modified.
    pub outputs: Vec<SectionDiff>,
    /// Parameters added, removed and modified.
    pub parameters: Vec<SectionDiff>,
    /// Other top-level sections that differ (`Conditions`, `Mappings`, ...).
    pub other_sections: Vec<String>,
    /// The permission changes among the resource changes (removals excluded).
    pub iam_changes: Vec<IamChange>,
}

impl TemplateDiff {
    /// True when the templates are structurally equal.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.outputs.is_empty()
            && self.parameters.is_empty()
            && self.other_sections.is_empty()
    }

    /// Renders the diff for a person, one line per change, IAM changes marked.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("There were no differences\n");
            return out;
        }
        if !self.iam_changes.is_empty() {
            out.push_str("IAM changes (these widen or alter permissions; review them):\n");
            for c in &self.iam_changes {
                let _ = writeln!(
                    out,
                    "  ! {} {}: {}",
                    c.resource_type, c.logical_id, c.description
                );
            }
        }
        if !self.resources.is_empty() {
            out.push_str("Resources\n");
            for r in &self.resources {
                let iam = if is_permission_type(&r.resource_type) {
                    " (IAM)"
                } else {
                    ""
                };
                let path = r
                    .construct_path
                    .as_deref()
                    .map(|p| format!(" {p}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{} {} {}{}{}",
                    r.kind.sign(),
                    r.resource_type,
                    r.logical_id,
                    path,
                    iam
                );
                for c in &r.changes {
                    let _ = writeln!(
                        out,
                        "    {}: {} -> {}",
                        c.path,
                        c.old
                            .as_ref()
                            .map_or_else(|| "(absent)".into(), Value::to_string),
                        c.new
                            .as_ref()
                            .map_or_else(|| "(absent)".into(), Value::to_string)
                    );
                }
            }
        }
        for (title, section) in [("Parameters", &self.parameters), ("Outputs", &self.outputs)] {
            if !section.is_empty() {
                let _ = writeln!(out, "{title}");
                for s in section {
                    let _ = writeln!(out, "{} {}", s.kind.sign(), s.key);
                }
            }
        }
        for s in &self.other_sections {
            let _ = writeln!(out, "[~] {s} (section changed)");
        }
        out
    }
}

/// True for resource types that grant or shape permissions.
pub fn is_permission_type(ty: &str) -> bool {
    ty.starts_with("AWS::IAM::")
        || ty.ends_with("Policy") // S3 BucketPolicy, SQS QueuePolicy, SNS TopicPolicy, ...
        || ty == "AWS::Lambda::Permission"
        || ty == "AWS::Cognito::IdentityPoolRoleAttachment"
}

/// Human description of a changed property of a permission resource.
fn describe_iam_property(prop: &str) -> String {
    match prop {
        "AssumeRolePolicyDocument" => "trust policy (AssumeRolePolicyDocument)".into(),
        "ManagedPolicyArns" => "managed policy attachments (ManagedPolicyArns)".into(),
        "Policies" => "inline policies (Policies)".into(),
        "PolicyDocument" => "policy document (PolicyDocument)".into(),
        "Roles" | "Users" | "Groups" => format!("attachments ({prop})"),
        "PermissionsBoundary" => "permissions boundary".into(),
        other => other.to_string(),
    }
}

fn section<'a>(t: Option<&'a Value>, name: &str) -> Option<&'a Map<String, Value>> {
    t?.get(name)?.as_object()
}

fn diff_section(
    old: Option<&Map<String, Value>>,
    new: Option<&Map<String, Value>>,
) -> Vec<SectionDiff> {
    let empty = Map::new();
    let old = old.unwrap_or(&empty);
    let new = new.unwrap_or(&empty);
    let mut out = Vec::new();
    for (k, v) in new {
        match old.get(k) {
            None => out.push(SectionDiff {
                key: k.clone(),
                kind: ChangeKind::Added,
            }),
            Some(o) if o != v => out.push(SectionDiff {
                key: k.clone(),
                kind: ChangeKind::Modified,
            }),
            _ => {}
        }
    }
    for k in old.keys().filter(|k| !new.contains_key(*k)) {
        out.push(SectionDiff {
            key: k.clone(),
            kind: ChangeKind::Removed,
        });
    }
    out
}

fn diff_values(
    path: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<PropertyChange>,
) {
    match (old, new) {
        (Some(Value::Object(o)), Some(Value::Object(n))) => {
            for (k, nv) in n {
                diff_values(&join(path, k), o.get(k), Some(nv), out);
            }
            for (k, ov) in o.iter().filter(|(k, _)| !n.contains_key(*k)) {
                diff_values(&join(path, k), Some(ov), None, out);
            }
        }
        (Some(Value::Array(o)), Some(Value::Array(n))) if o.len() == n.len() => {
            for (i, (ov, nv)) in o.iter().zip(n).enumerate() {
                diff_values(&format!("{path}[{i}]"), Some(ov), Some(nv), out);
            }
        }
        (o, n) if o != n => out.push(PropertyChange {
            path: path.to_string(),
            old: o.cloned(),
            new: n.cloned(),
        }),
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Compares the deployed template (`None` when the stack does not exist:
/// everything is added) with the local one.
pub fn diff_templates(
    deployed: Option<&Value>,
    local: &Value,
    construct_paths: &HashMap<String, String>,
) -> TemplateDiff {
    let empty = Map::new();
    let old_res = section(deployed, "Resources").unwrap_or(&empty);
    let new_res = section(Some(local), "Resources").unwrap_or(&empty);
    let ty_of = |r: &Value| {
        r.get("Type")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let mut diff = TemplateDiff::default();

    for (id, new) in new_res {
        let resource_type = ty_of(new);
        let construct_path = construct_paths.get(id).cloned();
        match old_res.get(id) {
            None => {
                if is_permission_type(&resource_type) {
                    diff.iam_changes.push(IamChange {
                        logical_id: id.clone(),
                        resource_type: resource_type.clone(),
                        description: "added".into(),
                    });
                }
                diff.resources.push(ResourceDiff {
                    logical_id: id.clone(),
                    kind: ChangeKind::Added,
                    resource_type,
                    construct_path,
                    changes: Vec::new(),
                });
            }
            Some(old) if old != new => {
                let mut changes = Vec::new();
                diff_values("", Some(old), Some(new), &mut changes);
                if is_permission_type(&resource_type) {
                    let mut props: Vec<String> = Vec::new();
                    for c in &changes {
                        let top = c
                            .path
                            .strip_prefix("Properties.")
                            .map_or(c.path.as_str(), |p| p.split(['.', '[']).next().unwrap_or(p));
                        let d = describe_iam_property(top);
                        if !props.contains(&d) {
                            props.push(d);
                        }
                    }
                    diff.iam_changes.push(IamChange {
                        logical_id: id.clone(),
                        resource_type: resource_type.clone(),
                        description: format!("changed: {}", props.join(", ")),
                    });
                }
                diff.resources.push(ResourceDiff {
                    logical_id: id.clone(),
                    kind: ChangeKind::Modified,
                    resource_type,
                    construct_path,
                    changes,
                });
            }
            Some(_) => {}
        }
    }
    for (id, old) in old_res.iter().filter(|(id, _)| !new_res.contains_key(*id)) {
        diff.resources.push(ResourceDiff {
            logical_id: id.clone(),
            kind: ChangeKind::Removed,
            resource_type: ty_of(old),
            construct_path: construct_paths.get(id).cloned(),
            changes: Vec::new(),
        });
    }
    diff.outputs = diff_section(
        section(deployed, "Outputs"),
        section(Some(local), "Outputs"),
    );
    diff.parameters = diff_section(
        section(deployed, "Parameters"),
        section(Some(local), "Parameters"),
    );
    let keys = |t: Option<&Value>| -> Vec<String> {
        t.and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut other: Vec<String> = keys(deployed);
    for k in keys(Some(local)) {
        if !other.contains(&k) {
            other.push(k);
        }
    }
    for k in other {
        if matches!(k.as_str(), "Resources" | "Outputs" | "Parameters") {
            continue;
        }
        if deployed.and_then(|d| d.get(&k)) != local.get(&k) {
            diff.other_sections.push(k);
        }
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn role(action: &str) -> Value {
        json!({"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": action}]},
            "ManagedPolicyArns": ["arn:a"]}})
    }

    #[test]
    fn missing_stack_means_everything_added() {
        let local = json!({"Resources": {"R": role("sts:AssumeRole"), "P": {"Type": "AWS::SSM::Parameter"}},
                           "Outputs": {"O": {"Value": "x"}}});
        let d = diff_templates(
            None,
            &local,
            &HashMap::from([("R".into(), "/S/R/Resource".into())]),
        );
        assert_eq!(d.resources.len(), 2);
        assert!(d.resources.iter().all(|r| r.kind == ChangeKind::Added));
        assert_eq!(
            d.resources[0].construct_path.as_deref(),
            Some("/S/R/Resource")
        );
        assert_eq!(
            d.outputs,
            vec![SectionDiff {
                key: "O".into(),
                kind: ChangeKind::Added
            }]
        );
        assert_eq!(d.iam_changes.len(), 1);
        assert_eq!(d.iam_changes[0].description, "added");
    }

    #[test]
    fn property_level_and_iam_changes() {
        let old = json!({"Resources": {"R": role("sts:AssumeRole"), "Gone": {"Type": "AWS::S3::Bucket"},
            "P": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": "a"}}}});
        let new = json!({"Resources": {"R": role("sts:AssumeRoleWithWebIdentity"),
            "P": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": "b"}}}});
        let d = diff_templates(Some(&old), &new, &HashMap::new());
        let kinds: Vec<_> = d
            .resources
            .iter()
            .map(|r| (r.logical_id.as_str(), r.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("R", ChangeKind::Modified),
                ("P", ChangeKind::Modified),
                ("Gone", ChangeKind::Removed)
            ]
        );
        assert_eq!(
            d.resources[0].changes[0].path,
            "Properties.AssumeRolePolicyDocument.Statement[0].Action"
        );
        assert_eq!(
            d.resources[1].changes,
            vec![PropertyChange {
                path: "Properties.Value".into(),
                old: Some(json!("a")),
                new: Some(json!("b"))
            }]
        );
        assert_eq!(
            d.iam_changes,
            vec![IamChange {
                logical_id: "R".into(),
                resource_type: "AWS::IAM::Role".into(),
                description: "changed: trust policy (AssumeRolePolicyDocument)".into()
            }]
        );
        let text = d.render();
        assert!(text.contains("[~] AWS::IAM::Role R (IAM)"), "{text}");
        assert!(text.contains("[-] AWS::S3::Bucket Gone"), "{text}");
        assert!(text.contains("Properties.Value: \"a\" -> \"b\""), "{text}");
    }

    #[test]
    fn equal_templates_have_no_diff() {
        let t = json!({"Resources": {"R": role("x")}, "Outputs": {"O": {"Value": 1}}});
        let d = diff_templates(Some(&t), &t, &HashMap::new());
        assert!(d.is_empty());
        assert_eq!(d.render(), "There were no differences\n");
    }
}
