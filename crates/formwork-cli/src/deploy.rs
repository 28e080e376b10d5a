//! From a cloud assembly directory to what `formwork-deploy` takes.
//!
//! The directory may come from a formwork app or from the AWS CDK: the
//! manifest is read as the cloud-assembly schema has it, without assuming
//! formwork wrote it (artifacts of other types, such as the CDK's
//! `cdk:tree` and `cdk:asset-manifest`, are skipped).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use formwork_core::Error;
use formwork_deploy::StackSpec;
use serde_json::Value;

/// The artifact type of a CloudFormation stack.
const STACK_ARTIFACT: &str = "aws:cloudformation:stack";

/// One [`StackSpec`] per stack artifact of the assembly in `dir`, in the
/// manifest's order (`formwork-deploy` orders them by their dependencies).
pub fn stack_specs(dir: &Path) -> Result<Vec<StackSpec>, Error> {
    let manifest_path = dir.join("manifest.json");
    let manifest: Value = read_json(&manifest_path)?;
    let invalid = |rule: String| Error::invalid(manifest_path.display().to_string(), None, rule);
    let Some(artifacts) = manifest.get("artifacts").and_then(Value::as_object) else {
        return Err(invalid(
            "has no \"artifacts\" object; is this a cloud assembly?".into(),
        ));
    };
    let stack_ids: Vec<&String> = artifacts
        .iter()
        .filter(|(_, a)| a.get("type").and_then(Value::as_str) == Some(STACK_ARTIFACT))
        .map(|(id, _)| id)
        .collect();
    let mut specs = Vec::with_capacity(stack_ids.len());
    for id in &stack_ids {
        let artifact = &artifacts[id.as_str()];
        let properties = artifact.get("properties").cloned().unwrap_or(Value::Null);
        let Some(template_file) = properties.get("templateFile").and_then(Value::as_str) else {
            return Err(invalid(format!(
                "stack artifact {id} has no properties.templateFile"
            )));
        };
        let template_path = dir.join(template_file);
        let template_body = std::fs::read_to_string(&template_path)
            .map_err(Error::io("cannot read", template_path))?;
        let strings = |key: &str| -> BTreeMap<String, String> {
            properties
                .get(key)
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (account, region) = environment(artifact);
        specs.push(StackSpec {
            stack_name: properties
                .get("stackName")
                .and_then(Value::as_str)
                .unwrap_or(id)
                .to_owned(),
            template_body,
            construct_paths: construct_paths(dir, artifact)?,
            // Only dependencies on other stacks order deploys; the CDK also
            // lists asset manifests here.
            dependencies: artifact
                .get("dependencies")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|d| stack_ids.iter().any(|s| s.as_str() == *d))
                .map(str::to_owned)
                .collect(),
            tags: strings("tags"),
            parameters: strings("parameters"),
            termination_protection: properties
                .get("terminationProtection")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            account,
            region,
            // Synced after the stack is deployed (formwork-s3deploy).
            deployments: formwork_deploy::bucket_deployments(dir, artifact).map_err(invalid)?,
        });
    }
    Ok(specs)
}

/// The account and the region that the artifact's `environment`
/// (`aws://ACCOUNT/REGION`) names; `None` for a part left unknown
/// (`unknown-account`, `unknown-region`), or without an environment.
fn environment(artifact: &Value) -> (Option<String>, Option<String>) {
    let Some(parts) = artifact
        .get("environment")
        .and_then(Value::as_str)
        .and_then(|uri| uri.strip_prefix("aws://"))
        .and_then(|rest| rest.split_once('/'))
    else {
        return (None, None);
    };
    let known =
        |part: &str, unknown: &str| (!part.is_empty() && part != unknown).then(|| part.to_owned());
    (
        known(parts.0, "unknown-account"),
        known(parts.1, "unknown-region"),
    )
}

/// Logical ID -> construct path, from the `aws:cdk:logicalId` metadata of
/// the artifact and of its `additionalMetadataFile` (where the CDK has
/// written it since schema 38).
fn construct_paths(dir: &Path, artifact: &Value) -> Result<HashMap<String, String>, Error> {
    let mut paths = HashMap::new();
    let extra = match artifact
        .get("additionalMetadataFile")
        .and_then(Value::as_str)
    {
        Some(file) => Some(read_json(&dir.join(file))?),
        None => None,
    };
    let metadata = [artifact.get("metadata"), extra.as_ref()];
    let entries_by_path = metadata
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flatten();
    for (path, entries) in entries_by_path {
        for entry in entries.as_array().into_iter().flatten() {
            if entry.get("type").and_then(Value::as_str) == Some("aws:cdk:logicalId") {
                if let Some(id) = entry.get("data").and_then(Value::as_str) {
                    paths.insert(id.to_owned(), path.trim_start_matches('/').to_owned());
                }
            }
        }
    }
    Ok(paths)
}

fn read_json(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(Error::io("cannot read", path))?;
    serde_json::from_str(&text).map_err(|source| Error::Json {
        path: path.to_path_buf(),
        source,
    })
}
