//! # formwork-s3deploy
//!
//! [`BucketDeployment`]: the CDK's `s3-deployment.BucketDeployment`, done at
//! deploy time by formwork's deploy command instead of a Lambda custom
//! resource. Folder [`Asset`]s are synced to a bucket (new and changed files
//! uploaded, stale ones deleted when `prune`), generated JSON files are
//! written from the stack's outputs, and a CloudFront distribution is
//! invalidated when anything changed.
//!
//! The construct adds the stack outputs the deploy needs (the bucket name,
//! the distribution id, each generated value) and records itself in the
//! cloud assembly as a metadata entry of type
//! [`METADATA_TYPE`] (`formwork:bucket-deployment`) under its construct
//! path in the stack artifact. The CDK CLI skips metadata types it does not
//! know (the cloud-assembly schema allows free-form data), so it still
//! reads the assembly; formwork's deploy reads the entry back
//! (`formwork_deploy::BucketDeploymentSpec`).
//!
//! ```
//! use formwork_core::{App, Asset, CfnResource, Scope};
//! use formwork_s3deploy::{BucketDeployment, BucketDeploymentProps};
//! # let dir = std::env::temp_dir().join(format!("fw-s3deploy-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! # std::fs::write(dir.join("index.html"), "<h1>hi</h1>").unwrap();
//! let app = App::new();
//! let stack = app.stack("Site");
//! let bucket = stack.add_resource("Bucket", CfnResource::new("AWS::S3::Bucket")).unwrap();
//! let files = Asset::from_dir(&stack, "Files", &dir).unwrap();
//! BucketDeployment::new(&stack, "Deploy", BucketDeploymentProps {
//!     sources: vec![files],
//!     destination_bucket: Some(bucket.clone().into()),
//!     ..Default::default()
//! }
//! .with_json_file("config.json", [("bucket", bucket.to_ref())]))
//! .unwrap();
//! let assembly = app.synth().unwrap();
//! assert!(assembly.stacks[0].template.outputs.contains_key("DeployDestinationBucketName"));
//! # std::fs::remove_dir_all(dir).unwrap();
//! ```

#![warn(missing_docs)]

use formwork_core::{Asset, Construct, Error, Expr, ResourceRef, Result, Scope};
use serde_json::{json, Value};

pub use formwork_core::Asset as FolderAsset;

/// The cloud-assembly metadata type of a bucket deployment.
pub const METADATA_TYPE: &str = "formwork:bucket-deployment";

/// Where files go: a bucket of this app, or a bucket name.
#[derive(Clone, Debug)]
pub enum BucketTarget {
    /// An `AWS::S3::Bucket` resource (its `Ref` is its name).
    Bucket(ResourceRef),
    /// A bucket name (a literal, a parameter, an import...).
    Name(Expr),
}

impl From<ResourceRef> for BucketTarget {
    fn from(r: ResourceRef) -> Self {
        BucketTarget::Bucket(r)
    }
}

impl From<&ResourceRef> for BucketTarget {
    fn from(r: &ResourceRef) -> Self {
        BucketTarget::Bucket(r.clone())
    }
}

/// A bucket of this app deploys to its resource; an imported one, by name.
impl From<&formwork_s3::Bucket> for BucketTarget {
    fn from(bucket: &formwork_s3::Bucket) -> Self {
        match bucket.resource() {
            Some(r) => BucketTarget::Bucket(r.clone()),
            None => BucketTarget::Name(bucket.bucket_name()),
        }
    }
}

impl From<Expr> for BucketTarget {
    fn from(e: Expr) -> Self {
        BucketTarget::Name(e)
    }
}

/// A file written at deploy time from values known only then.
#[derive(Clone, Debug)]
pub struct GeneratedFile {
    /// Its key below the destination prefix, e.g. `config.json`.
    pub key: String,
    /// The JSON object's members, in order: name and value (a stack output
    /// is made of each value).
    pub json: Vec<(String, Expr)>,
}

/// The options of a [`BucketDeployment`]; `Default` gives the CDK's defaults
/// (prune on, `/*` invalidated), with no source and no bucket.
#[derive(Clone, Debug)]
pub struct BucketDeploymentProps {
    /// Folders whose files are copied; a file in a later source replaces
    /// one with the same key in an earlier one.
    pub sources: Vec<Asset>,
    /// The bucket. Required.
    pub destination_bucket: Option<BucketTarget>,
    /// A key prefix (`site/`); none by default (the bucket's root).
    pub destination_key_prefix: Option<String>,
    /// Delete objects under the prefix that no source has (default true, as the CDK).
    pub prune: bool,
    /// An `AWS::CloudFront::Distribution` to invalidate when files changed:
    /// `Some((&distribution).into())` for a `formwork::cloudfront::Distribution`.
    pub distribution: Option<ResourceRef>,
    /// The paths to invalidate (default `["/*"]`).
    pub distribution_paths: Option<Vec<String>>,
    /// `Cache-Control` per glob pattern on keys relative to the prefix
    /// (`*` within a path segment, `**` across, `?` one character); the
    /// first that matches wins.
    pub cache_control: Vec<(String, String)>,
    /// `Cache-Control` for files no pattern matches (none by default).
    pub default_cache_control: Option<String>,
    /// Files written at deploy time (see [`BucketDeploymentProps::with_json_file`]).
    pub generated_files: Vec<GeneratedFile>,
}

impl Default for BucketDeploymentProps {
    fn default() -> Self {
        BucketDeploymentProps {
            sources: Vec::new(),
            destination_bucket: None,
            destination_key_prefix: None,
            prune: true,
            distribution: None,
            distribution_paths: None,
            cache_control: Vec::new(),
            default_cache_control: None,
            generated_files: Vec::new(),
        }
    }
}

impl BucketDeploymentProps {
    /// Adds a JSON file `{name: value, ...}` at `key`, whose values (stack
    /// outputs) are resolved after the stack is deployed. It replaces a
    /// source file with the same key and is never pruned.
    pub fn with_json_file<K, V>(
        mut self,
        key: impl Into<String>,
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Self
    where
        K: Into<String>,
        V: Into<Expr>,
    {
        self.generated_files.push(GeneratedFile {
            key: key.into(),
            json: values
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        });
        self
    }

    /// Adds a `Cache-Control` value for keys matching `pattern`.
    pub fn with_cache_control(
        mut self,
        pattern: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.cache_control.push((pattern.into(), value.into()));
        self
    }
}

/// Files synced to an S3 bucket when the stack is deployed.
#[derive(Clone, Debug)]
pub struct BucketDeployment {
    construct: Construct,
    bucket_output: String,
}

impl Scope for BucketDeployment {
    fn construct(&self) -> &Construct {
        &self.construct
    }
}

impl BucketDeployment {
    /// Adds the deployment under `scope`. Checks the props (a bucket is
    /// given and is an `AWS::S3::Bucket`, the distribution is an
    /// `AWS::CloudFront::Distribution`, keys and paths are well formed),
    /// adds the stack outputs the deploy reads, and records the deployment.
    pub fn new(scope: &impl Scope, id: &str, props: BucketDeploymentProps) -> Result<Self> {
        let path = scope.child_path(id);
        let problems = check(&props);
        if !problems.is_empty() {
            return Err(Error::Invalid(
                problems
                    .into_iter()
                    .map(|(property, rule)| {
                        formwork_core::Violation::new(&path, Some(property), rule)
                    })
                    .collect(),
            ));
        }
        let Some(stack) = scope.stack() else {
            return Err(Error::invalid(
                &path,
                None,
                "a bucket deployment must be inside a stack",
            ));
        };
        let construct = scope.child(id)?;
        let components: Vec<String> = {
            let full = construct.path();
            let below = full
                .strip_prefix(&format!("{}/", stack.name()))
                .unwrap_or(&full)
                .to_owned();
            below.split('/').map(str::to_owned).collect()
        };
        let prefix = formwork_core::logical_id::logical_id(&components)
            .unwrap_or_else(|| "BucketDeployment".into());

        let bucket_output = format!("{prefix}DestinationBucketName");
        let bucket_name = match props.destination_bucket.clone() {
            Some(BucketTarget::Bucket(r)) => r.to_ref(),
            Some(BucketTarget::Name(e)) => e,
            None => unreachable!("checked above"),
        };
        stack
            .output(&bucket_output, bucket_name)
            .description(format!(
                "The bucket {} deploys to (read by formwork deploy)",
                construct.path()
            ));
        let distribution_output = props.distribution.as_ref().map(|d| {
            let name = format!("{prefix}DistributionId");
            stack.output(&name, d.to_ref()).description(format!(
                "The distribution {} invalidates (read by formwork deploy)",
                construct.path()
            ));
            name
        });
        let mut generated = Vec::new();
        for (i, file) in props.generated_files.iter().enumerate() {
            let mut values = Vec::new();
            for (j, (name, value)) in file.json.iter().enumerate() {
                let output = format!("{prefix}File{i}Value{j}");
                stack
                    .output(&output, value.clone())
                    .description(format!("{name} in {} (read by formwork deploy)", file.key));
                values.push(json!({"name": name, "output": output}));
            }
            generated.push(json!({"key": file.key, "json": values}));
        }
        let record = json!({
            "sources": props.sources.iter().map(|a| a.assembly_path()).collect::<Vec<_>>(),
            "destinationBucketNameOutput": bucket_output,
            "destinationKeyPrefix": props.destination_key_prefix.clone().unwrap_or_default(),
            "prune": props.prune,
            "distributionIdOutput": distribution_output,
            "distributionPaths": props.distribution_paths.clone().unwrap_or_else(|| vec!["/*".into()]),
            "cacheControl": props.cache_control.iter()
                .map(|(p, v)| json!({"pattern": p, "value": v}))
                .collect::<Vec<Value>>(),
            "defaultCacheControl": props.default_cache_control,
            "generatedFiles": generated,
        });
        construct.add_metadata(METADATA_TYPE, record);
        Ok(BucketDeployment {
            construct,
            bucket_output,
        })
    }

    /// The logical ID of the stack output holding the bucket name.
    pub fn bucket_name_output(&self) -> &str {
        &self.bucket_output
    }
}

/// `(property, rule)` of each problem with the props.
fn check(props: &BucketDeploymentProps) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    match &props.destination_bucket {
        None => problems.push(("destinationBucket", "is required".to_string())),
        Some(BucketTarget::Bucket(r)) if r.type_name() != "AWS::S3::Bucket" => problems.push((
            "destinationBucket",
            format!(
                "must be an AWS::S3::Bucket, and {} is a {}",
                r.path(),
                r.type_name()
            ),
        )),
        Some(_) => {}
    }
    if props.sources.is_empty() && props.generated_files.is_empty() {
        problems.push((
            "sources",
            "give at least one source or generated file".into(),
        ));
    }
    if let Some(prefix) = &props.destination_key_prefix {
        if prefix.starts_with('/') {
            problems.push((
                "destinationKeyPrefix",
                format!("{prefix:?} must not start with '/': S3 keys are relative to the bucket"),
            ));
        }
    }
    if let Some(d) = &props.distribution {
        if d.type_name() != "AWS::CloudFront::Distribution" {
            problems.push((
                "distribution",
                format!(
                    "must be an AWS::CloudFront::Distribution, and {} is a {}",
                    d.path(),
                    d.type_name()
                ),
            ));
        }
    }
    match &props.distribution_paths {
        Some(_) if props.distribution.is_none() => problems.push((
            "distributionPaths",
            "are only used with a distribution".into(),
        )),
        Some(paths) if paths.is_empty() => {
            problems.push(("distributionPaths", "must not be empty".into()))
        }
        Some(paths) => {
            for p in paths.iter().filter(|p| !p.starts_with('/')) {
                problems.push(("distributionPaths", format!("{p:?} must start with '/'")));
            }
        }
        None => {}
    }
    for (pattern, value) in &props.cache_control {
        if pattern.is_empty() || value.is_empty() {
            problems.push((
                "cacheControl",
                format!("pattern {pattern:?} and value {value:?} must not be empty"),
            ));
        }
    }
    let mut keys = std::collections::HashSet::new();
    for f in &props.generated_files {
        if f.key.is_empty() || f.key.starts_with('/') || f.key.ends_with('/') {
            problems.push(("generatedFiles", format!("{:?} is not a file key", f.key)));
        }
        if !keys.insert(f.key.as_str()) {
            problems.push(("generatedFiles", format!("{:?} is generated twice", f.key)));
        }
        let mut names = std::collections::HashSet::new();
        for (name, _) in &f.json {
            if !names.insert(name.as_str()) {
                problems.push((
                    "generatedFiles",
                    format!("{name:?} appears twice in {:?}", f.key),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwork_core::{App, CfnResource};

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<h1>hi</h1>").unwrap();
        dir
    }

    #[test]
    fn records_the_deployment_and_adds_its_outputs() {
        let dir = folder();
        let app = App::new();
        // The distribution is a bare placeholder: no schema validation
        // (on when the workspace builds formwork-core with `schema`).
        app.set_validation(false);
        let stack = app.stack("Site");
        let bucket = stack
            .add_resource("Bucket", CfnResource::new("AWS::S3::Bucket"))
            .unwrap();
        let cdn = stack
            .add_resource("Cdn", CfnResource::new("AWS::CloudFront::Distribution"))
            .unwrap();
        let files = Asset::from_dir(&stack, "Files", dir.path()).unwrap();
        let group = stack.child("Web").unwrap();
        BucketDeployment::new(
            &group,
            "Deploy",
            BucketDeploymentProps {
                sources: vec![files.clone()],
                destination_bucket: Some((&bucket).into()),
                destination_key_prefix: Some("www/".into()),
                distribution: Some(cdn.clone()),
                ..Default::default()
            }
            .with_cache_control("*.html", "no-cache")
            .with_json_file("config.json", [("bucketArn", bucket.get_att("Arn"))]),
        )
        .unwrap();
        let assembly = app.synth().unwrap();
        let s = &assembly.stacks[0];
        let outputs: Vec<&String> = s.template.outputs.keys().collect();
        assert_eq!(
            outputs,
            [
                "WebDeployA4E26EFBDestinationBucketName",
                "WebDeployA4E26EFBDistributionId",
                "WebDeployA4E26EFBFile0Value0"
            ]
        );
        let (path, entry_type, data) = &s.metadata[0];
        assert_eq!(path, "Site/Web/Deploy");
        assert_eq!(entry_type, METADATA_TYPE);
        assert_eq!(
            data,
            &json!({
                "sources": [format!("asset.{}", files.hash())],
                "destinationBucketNameOutput": "WebDeployA4E26EFBDestinationBucketName",
                "destinationKeyPrefix": "www/",
                "prune": true,
                "distributionIdOutput": "WebDeployA4E26EFBDistributionId",
                "distributionPaths": ["/*"],
                "cacheControl": [{"pattern": "*.html", "value": "no-cache"}],
                "defaultCacheControl": null,
                "generatedFiles": [{"key": "config.json", "json": [
                    {"name": "bucketArn", "output": "WebDeployA4E26EFBFile0Value0"}
                ]}]
            })
        );
    }

    #[test]
    fn bad_props_are_errors_with_the_path_and_property() {
        let dir = folder();
        let app = App::new();
        let stack = app.stack("Site");
        let topic = stack
            .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
            .unwrap();
        let files = Asset::from_dir(&stack, "Files", dir.path()).unwrap();
        let error = BucketDeployment::new(
            &stack,
            "Deploy",
            BucketDeploymentProps {
                sources: vec![files],
                destination_bucket: Some(topic.clone().into()),
                destination_key_prefix: Some("/abs".into()),
                distribution: Some(topic),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("Site/Deploy: destinationBucket: must be an AWS::S3::Bucket, and Site/Topic is a AWS::SNS::Topic"), "{error}");
        assert!(
            error.contains("Site/Deploy: destinationKeyPrefix: "),
            "{error}"
        );
        assert!(
            error.contains("distribution: must be an AWS::CloudFront::Distribution"),
            "{error}"
        );
        let error = BucketDeployment::new(&stack, "Empty", BucketDeploymentProps::default())
            .unwrap_err()
            .to_string();
        assert!(error.contains("destinationBucket: is required"), "{error}");
        assert!(error.contains("sources: "), "{error}");
    }
}
