//! Bucket deployments: after a stack is deployed (or found unchanged), the
//! folders of each of its `BucketDeployment`s are synced to their bucket,
//! generated files are written from the stack's outputs, and a CloudFront
//! distribution is invalidated when anything changed. This replaces the
//! AWS CDK's Lambda custom resource with calls made by the deploy itself.
//!
//! **What changed** is decided per object. The deploy lists the objects
//! under the prefix (`ListObjectsV2`), and for each local file whose key
//! exists with the same size it reads the object's headers (`HeadObject`):
//! the object is unchanged when its `x-amz-meta-formwork-sha256` (written
//! at upload) equals the file's SHA-256 and its `Content-Type` and
//! `Cache-Control` are the wanted ones. The ETag is not used: it is the
//! MD5 of the content only for unencrypted or SSE-S3 single-part uploads
//! (not with SSE-KMS), and it says nothing of the headers, so that a
//! changed `Cache-Control` rule would go unnoticed. The price is one
//! `HeadObject` per unchanged-size object, made 8 at a time.
//!
//! **Content-Type** comes from a built-in table of the extensions a web
//! site serves (text types with `charset=utf-8`), else
//! `application/octet-stream`: a small table that is read in one place, and
//! no build script or generated database to compile (`mime_guess`'s table
//! is ten times the size for types a bucket deployment rarely holds).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use crate::client::Clients;
use crate::error::DeployError;
use crate::events::{DeployEvent, ObjectChange};
use crate::op::Emitter;
use crate::stack::Backoff;

/// The cloud-assembly metadata type that records a bucket deployment
/// (written by `formwork-s3deploy`).
pub const BUCKET_DEPLOYMENT_METADATA: &str = "formwork:bucket-deployment";

/// The object metadata key (`x-amz-meta-formwork-sha256`) holding a file's SHA-256.
pub const SHA256_METADATA: &str = "formwork-sha256";

/// How many S3 calls of one deployment run at once.
const CONCURRENCY: usize = 8;

/// How long to wait for a CloudFront invalidation by default (they
/// usually complete in well under a minute; the AWS CDK waits up to 10).
pub const DEFAULT_INVALIDATION_TIMEOUT: Duration = Duration::from_secs(600);

/// A `Cache-Control` rule: keys matching `pattern` get `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheControlRule {
    /// A glob on the key below the prefix: `*` within a segment, `**` across, `?` one character.
    pub pattern: String,
    /// The header value.
    pub value: String,
}

/// One member of a generated JSON file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedValue {
    /// The member name.
    pub name: String,
    /// The stack output holding its value.
    pub output: String,
}

/// A JSON file written at deploy time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedFileSpec {
    /// Its key below the prefix.
    pub key: String,
    /// Its members, in order.
    pub json: Vec<GeneratedValue>,
}

/// One bucket deployment of a stack, as the cloud assembly records it
/// (metadata type [`BUCKET_DEPLOYMENT_METADATA`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct BucketDeploymentSpec {
    /// The construct path (the metadata entry's path).
    #[serde(skip)]
    pub path: String,
    /// The folders to sync, in order (later ones win on equal keys). In
    /// the assembly, relative to the assembly directory.
    pub sources: Vec<PathBuf>,
    /// The stack output holding the bucket name.
    pub destination_bucket_name_output: String,
    /// The key prefix (`""`: the bucket's root).
    #[serde(default)]
    pub destination_key_prefix: String,
    /// Delete objects under the prefix that are not deployed.
    pub prune: bool,
    /// The stack output holding the distribution id, if any.
    #[serde(default)]
    pub distribution_id_output: Option<String>,
    /// The paths to invalidate.
    #[serde(default)]
    pub distribution_paths: Vec<String>,
    /// `Cache-Control` rules, first match wins.
    #[serde(default)]
    pub cache_control: Vec<CacheControlRule>,
    /// `Cache-Control` when no rule matches.
    #[serde(default)]
    pub default_cache_control: Option<String>,
    /// Files generated from stack outputs.
    #[serde(default)]
    pub generated_files: Vec<GeneratedFileSpec>,
}

/// The bucket deployments recorded in a stack artifact of `manifest.json`
/// (its `metadata`), with sources made relative to `assembly_dir`.
pub fn bucket_deployments(
    assembly_dir: &Path,
    artifact: &Value,
) -> Result<Vec<BucketDeploymentSpec>, String> {
    let mut out = Vec::new();
    let Some(metadata) = artifact.get("metadata").and_then(Value::as_object) else {
        return Ok(out);
    };
    for (path, entries) in metadata {
        for entry in entries.as_array().into_iter().flatten() {
            if entry.get("type").and_then(Value::as_str) != Some(BUCKET_DEPLOYMENT_METADATA) {
                continue;
            }
            let data = entry.get("data").cloned().unwrap_or(Value::Null);
            let mut spec: BucketDeploymentSpec = serde_json::from_value(data)
                .map_err(|e| format!("{path}: {BUCKET_DEPLOYMENT_METADATA} metadata: {e}"))?;
            spec.path = path.trim_start_matches('/').to_owned();
            for source in &mut spec.sources {
                *source = assembly_dir.join(&*source);
            }
            out.push(spec);
        }
    }
    Ok(out)
}

/// What one bucket deployment did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BucketDeploymentOutput {
    /// The deployment's construct path.
    pub deployment: String,
    /// The bucket.
    pub bucket: String,
    /// Keys uploaded (new or changed).
    pub uploaded: Vec<String>,
    /// Keys deleted (pruned).
    pub deleted: Vec<String>,
    /// How many objects were already up to date.
    pub unchanged: usize,
    /// The CloudFront invalidation, when one was made.
    pub invalidation_id: Option<String>,
}

/// The Content-Type of a key, from its extension.
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => return "application/octet-stream",
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/vnd.microsoft.icon",
        "bmp" => "image/bmp",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    }
}

/// Whether `key` matches the glob `pattern` (`*` within a `/`-segment,
/// `**` across segments, `?` one character other than `/`).
pub fn glob_match(pattern: &str, key: &str) -> bool {
    fn go(p: &[u8], k: &[u8]) -> bool {
        match p.first() {
            None => k.is_empty(),
            Some(b'*') if p.get(1) == Some(&b'*') => {
                let rest = &p[2..];
                // `**/` also matches no folder at all.
                if rest.first() == Some(&b'/') && go(&rest[1..], k) {
                    return true;
                }
                (0..=k.len()).any(|i| go(rest, &k[i..]))
            }
            Some(b'*') => {
                let rest = &p[1..];
                let mut i = 0;
                loop {
                    if go(rest, &k[i..]) {
                        return true;
                    }
                    if i == k.len() || k[i] == b'/' {
                        return false;
                    }
                    i += 1;
                }
            }
            Some(b'?') => !k.is_empty() && k[0] != b'/' && go(&p[1..], &k[1..]),
            Some(c) => k.first() == Some(c) && go(&p[1..], &k[1..]),
        }
    }
    go(pattern.as_bytes(), key.as_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Where an object's bytes come from.
#[derive(Debug, Clone)]
enum Body {
    File(PathBuf),
    Generated(Vec<u8>),
}

/// One object the deployment wants in the bucket.
#[derive(Debug, Clone)]
struct Wanted {
    body: Body,
    size: u64,
    sha256: String,
    content_type: &'static str,
    cache_control: Option<String>,
}

/// The objects to deploy, by key (with the prefix).
fn wanted_objects(
    spec: &BucketDeploymentSpec,
    prefix: &str,
    values: &HashMap<String, String>,
) -> Result<BTreeMap<String, Wanted>, String> {
    let cache_control = |relative: &str| {
        spec.cache_control
            .iter()
            .find(|r| glob_match(&r.pattern, relative))
            .map(|r| r.value.clone())
            .or_else(|| spec.default_cache_control.clone())
    };
    let mut wanted = BTreeMap::new();
    for source in &spec.sources {
        for (relative, path) in list_files(source)? {
            let file =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            wanted.insert(
                format!("{prefix}{relative}"),
                Wanted {
                    size: file.len() as u64,
                    sha256: sha256(&file),
                    body: Body::File(path),
                    content_type: content_type(&relative),
                    cache_control: cache_control(&relative),
                },
            );
        }
    }
    for file in &spec.generated_files {
        let mut object = serde_json::Map::new();
        for v in &file.json {
            let value = values.get(&v.output).ok_or_else(|| {
                format!(
                    "stack output {} ({} in {}) has no value",
                    v.output, v.name, file.key
                )
            })?;
            object.insert(v.name.clone(), Value::String(value.clone()));
        }
        let mut bytes = serde_json::to_vec_pretty(&Value::Object(object))
            .map_err(|e| format!("cannot write {}: {e}", file.key))?;
        bytes.push(b'\n');
        wanted.insert(
            format!("{prefix}{}", file.key),
            Wanted {
                size: bytes.len() as u64,
                sha256: sha256(&bytes),
                body: Body::Generated(bytes),
                content_type: content_type(&file.key),
                cache_control: cache_control(&file.key),
            },
        );
    }
    Ok(wanted)
}

/// `(relative key, path)` of every file below `root`, links followed.
fn list_files(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            let path = entry.path();
            let name = entry
                .file_name()
                .to_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{} has a name that is not UTF-8", path.display()))?;
            let relative = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let meta = std::fs::metadata(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if meta.is_dir() {
                walk(&path, &relative, out)?;
            } else {
                out.push((relative, path));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, "", &mut out)?;
    Ok(out)
}

/// The values of the stack outputs a deployment needs: from
/// `DescribeStacks`, and for any missing there (emulators such as moto
/// return no outputs for stacks made through a change set) from the
/// template's `Outputs`, when the value is made of `Ref`s (physical IDs
/// from `DescribeStackResources`), pseudo parameters, `Fn::Join` and
/// `Fn::Sub`. Anything else missing is an error naming the output.
pub(crate) struct OutputValues<'a> {
    pub(crate) clients: &'a Clients,
    pub(crate) stack_name: &'a str,
    pub(crate) stack_id: &'a str,
    pub(crate) outputs: &'a BTreeMap<String, String>,
    pub(crate) template: &'a Value,
    physical: Option<HashMap<String, String>>,
}

impl<'a> OutputValues<'a> {
    pub(crate) fn new(
        clients: &'a Clients,
        stack_name: &'a str,
        stack_id: &'a str,
        outputs: &'a BTreeMap<String, String>,
        template: &'a Value,
    ) -> Self {
        OutputValues {
            clients,
            stack_name,
            stack_id,
            outputs,
            template,
            physical: None,
        }
    }

    async fn get(&mut self, name: &str) -> Result<String, String> {
        if let Some(v) = self.outputs.get(name) {
            return Ok(v.clone());
        }
        let Some(expr) = self
            .template
            .pointer(&format!("/Outputs/{name}/Value"))
            .cloned()
        else {
            return Err(format!("the stack has no output {name}"));
        };
        if self.physical.is_none() {
            let resources = crate::stack::resources(
                &self.clients.cloudformation,
                self.stack_id,
                &HashMap::new(),
            )
            .await
            .map_err(|e| e.to_string())?;
            self.physical = Some(
                resources
                    .into_iter()
                    .filter_map(|r| Some((r.logical_id, r.physical_id?)))
                    .collect(),
            );
        }
        let physical = self.physical.as_ref().expect("filled above");
        evaluate(&expr, physical, self.pseudo()).ok_or_else(|| {
            format!("output {name} has no value in DescribeStacks, and its value {expr} is not made of Refs, Fn::Join and Fn::Sub alone")
        })
    }

    fn pseudo(&self) -> Pseudo<'_> {
        Pseudo {
            region: &self.clients.region,
            stack_name: self.stack_name,
            stack_id: self.stack_id,
        }
    }
}

#[derive(Clone, Copy)]
struct Pseudo<'a> {
    region: &'a str,
    stack_name: &'a str,
    stack_id: &'a str,
}

impl Pseudo<'_> {
    fn get(&self, name: &str) -> Option<String> {
        let partition = if self.region.starts_with("cn-") {
            "aws-cn"
        } else if self.region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        };
        Some(match name {
            "AWS::Region" => self.region.to_owned(),
            "AWS::Partition" => partition.to_owned(),
            "AWS::URLSuffix" if partition == "aws-cn" => "amazonaws.com.cn".to_owned(),
            "AWS::URLSuffix" => "amazonaws.com".to_owned(),
            "AWS::StackName" => self.stack_name.to_owned(),
            "AWS::StackId" => self.stack_id.to_owned(),
            "AWS::AccountId" => self.stack_id.split(':').nth(4)?.to_owned(),
            _ => return None,
        })
    }
}

fn evaluate(
    expr: &Value,
    physical: &HashMap<String, String>,
    pseudo: Pseudo<'_>,
) -> Option<String> {
    let lookup = |name: &str| pseudo.get(name).or_else(|| physical.get(name).cloned());
    match expr {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) if m.len() == 1 => {
            let (f, arg) = m.iter().next()?;
            match f.as_str() {
                "Ref" => lookup(arg.as_str()?),
                "Fn::Join" => {
                    let a = arg.as_array()?;
                    let sep = a.first()?.as_str()?;
                    let parts = a.get(1)?.as_array()?;
                    let parts: Option<Vec<String>> = parts
                        .iter()
                        .map(|p| evaluate(p, physical, pseudo))
                        .collect();
                    Some(parts?.join(sep))
                }
                "Fn::Sub" => {
                    let (text, vars) = match arg {
                        Value::String(s) => (s.as_str(), None),
                        Value::Array(a) => (a.first()?.as_str()?, a.get(1)?.as_object()),
                        _ => return None,
                    };
                    let mut out = String::new();
                    let mut rest = text;
                    while let Some(i) = rest.find("${") {
                        out.push_str(&rest[..i]);
                        let after = &rest[i + 2..];
                        if let Some(literal) = after.strip_prefix('!') {
                            out.push_str("${");
                            rest = literal;
                            continue;
                        }
                        let end = after.find('}')?;
                        let name = &after[..end];
                        let value = match vars.and_then(|v| v.get(name)) {
                            Some(v) => evaluate(v, physical, pseudo)?,
                            None if name.contains('.') => return None,
                            None => lookup(name)?,
                        };
                        out.push_str(&value);
                        rest = &after[end + 1..];
                    }
                    out.push_str(rest);
                    Some(out)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Syncs one bucket deployment of a deployed stack (see the module documentation).
pub(crate) async fn deploy_bucket(
    clients: &Clients,
    stack: &str,
    spec: &BucketDeploymentSpec,
    values: &mut OutputValues<'_>,
    emitter: &Emitter,
    deadline: Option<Instant>,
    invalidation_timeout: Duration,
) -> Result<BucketDeploymentOutput, DeployError> {
    let fail = |message: String| DeployError::BucketDeployment {
        stack: stack.into(),
        deployment: spec.path.clone(),
        message,
    };
    let bucket = values
        .get(&spec.destination_bucket_name_output)
        .await
        .map_err(&fail)?;
    let mut resolved = HashMap::new();
    for v in spec.generated_files.iter().flat_map(|f| &f.json) {
        let value = values.get(&v.output).await.map_err(&fail)?;
        resolved.insert(v.output.clone(), value);
    }
    let distribution = match &spec.distribution_id_output {
        Some(o) => Some(values.get(o).await.map_err(&fail)?),
        None => None,
    };
    let prefix = match spec.destination_key_prefix.as_str() {
        "" => String::new(),
        p if p.ends_with('/') => p.to_owned(),
        p => format!("{p}/"),
    };
    let wanted = wanted_objects(spec, &prefix, &resolved).map_err(&fail)?;
    emitter.emit(DeployEvent::BucketDeploymentStarted {
        stack: stack.into(),
        deployment: spec.path.clone(),
        bucket: bucket.clone(),
        prefix: prefix.clone(),
        files: wanted.len(),
    });

    // What is there.
    emitter.set_doing(
        stack,
        format!("listing s3://{bucket}/{prefix} (ListObjectsV2)"),
    );
    let mut existing: BTreeMap<String, i64> = BTreeMap::new();
    let mut token = None;
    loop {
        let out = clients
            .s3
            .list_objects_v2()
            .bucket(&bucket)
            .prefix(&prefix)
            .set_continuation_token(token.take())
            .send()
            .await
            .map_err(|e| DeployError::sdk("ListObjectsV2", e))?;
        for o in out.contents() {
            if let Some(k) = o.key() {
                existing.insert(k.to_owned(), o.size().unwrap_or(-1));
            }
        }
        match out.next_continuation_token() {
            Some(t) if out.is_truncated() == Some(true) => token = Some(t.to_owned()),
            _ => break,
        }
    }

    // What changed: a HEAD per object of the same size.
    emitter.set_doing(
        stack,
        format!("comparing objects in s3://{bucket}/{prefix} (HeadObject)"),
    );
    let same_size: Vec<(String, String, String, Option<String>)> = wanted
        .iter()
        .filter(|(k, w)| {
            existing
                .get(*k)
                .is_some_and(|&s| s >= 0 && s as u64 == w.size)
        })
        .map(|(k, w)| {
            (
                k.clone(),
                w.sha256.clone(),
                w.content_type.to_owned(),
                w.cache_control.clone(),
            )
        })
        .collect();
    let bucket_ref = &bucket;
    let current: Vec<(String, bool)> = futures::stream::iter(same_size.into_iter().map(
        |(key, sha, content_type, cache_control)| async move {
            let bucket = bucket_ref;
            let head = clients
                .s3
                .head_object()
                .bucket(bucket)
                .key(&key)
                .send()
                .await
                .map_err(|e| DeployError::sdk("HeadObject", e))?;
            let same = head
                .metadata()
                .and_then(|m| m.get(SHA256_METADATA))
                .is_some_and(|h| *h == sha)
                && head.content_type() == Some(content_type.as_str())
                && head.cache_control() == cache_control.as_deref();
            Ok::<_, DeployError>((key, same))
        },
    ))
    .buffer_unordered(CONCURRENCY)
    .try_collect()
    .await?;
    let unchanged: std::collections::HashSet<String> = current
        .into_iter()
        .filter(|(_, same)| *same)
        .map(|(k, _)| k)
        .collect();
    let uploads: Vec<(String, Wanted, ObjectChange)> = wanted
        .iter()
        .filter(|(k, _)| !unchanged.contains(*k))
        .map(|(k, w)| {
            let change = if existing.contains_key(k) {
                ObjectChange::Changed
            } else {
                ObjectChange::New
            };
            (k.clone(), w.clone(), change)
        })
        .collect();
    let deletes: Vec<String> = if spec.prune {
        existing
            .keys()
            .filter(|k| !wanted.contains_key(*k))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    emitter.emit(DeployEvent::BucketDeploymentPlanned {
        stack: stack.into(),
        deployment: spec.path.clone(),
        uploads: uploads.len(),
        deletes: deletes.len(),
        unchanged: unchanged.len(),
    });

    // Uploads.
    emitter.set_doing(
        stack,
        format!(
            "uploading {} files to s3://{bucket}/{prefix}",
            uploads.len()
        ),
    );
    let fail_ref = &fail;
    let uploaded: Vec<String> =
        futures::stream::iter(uploads.into_iter().map(|(key, w, change)| async move {
            let bucket = bucket_ref;
            let fail = fail_ref;
            let body = match &w.body {
                Body::File(path) => {
                    let bytes = tokio::fs::read(path)
                        .await
                        .map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
                    if sha256(&bytes) != w.sha256 {
                        return Err(fail(format!(
                            "{} changed during the deployment; deploy again",
                            path.display()
                        )));
                    }
                    bytes
                }
                Body::Generated(bytes) => bytes.clone(),
            };
            let mut req = clients
                .s3
                .put_object()
                .bucket(bucket)
                .key(&key)
                .content_type(w.content_type)
                .metadata(SHA256_METADATA, &w.sha256)
                .body(ByteStream::from(body));
            if let Some(cc) = &w.cache_control {
                req = req.cache_control(cc);
            }
            req.send()
                .await
                .map_err(|e| DeployError::sdk("PutObject", e))?;
            emitter.emit(DeployEvent::ObjectUploaded {
                stack: stack.into(),
                deployment: spec.path.clone(),
                key: key.clone(),
                bytes: w.size,
                change,
            });
            Ok::<_, DeployError>(key)
        }))
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;

    // Pruning, 1000 keys per DeleteObjects.
    emitter.set_doing(
        stack,
        format!(
            "deleting {} stale objects from s3://{bucket}/{prefix}",
            deletes.len()
        ),
    );
    for batch in deletes.chunks(1000) {
        let objects: Result<Vec<ObjectIdentifier>, _> = batch
            .iter()
            .map(|k| ObjectIdentifier::builder().key(k).build())
            .collect();
        let delete = Delete::builder()
            .set_objects(Some(objects.map_err(|e| fail(e.to_string()))?))
            .quiet(true)
            .build()
            .map_err(|e| fail(e.to_string()))?;
        let out = clients
            .s3
            .delete_objects()
            .bucket(&bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|e| DeployError::sdk("DeleteObjects", e))?;
        if let Some(e) = out.errors().first() {
            return Err(fail(format!(
                "cannot delete {}: {} {}",
                e.key().unwrap_or_default(),
                e.code().unwrap_or_default(),
                e.message().unwrap_or_default()
            )));
        }
        for key in batch {
            emitter.emit(DeployEvent::ObjectDeleted {
                stack: stack.into(),
                deployment: spec.path.clone(),
                key: key.clone(),
            });
        }
    }

    // Invalidation, when anything changed.
    let mut uploaded = uploaded;
    uploaded.sort();
    let changed = !uploaded.is_empty() || !deletes.is_empty();
    let invalidation_id = match (&distribution, changed) {
        (Some(id), true) => Some(
            invalidate(
                clients,
                stack,
                spec,
                id,
                emitter,
                deadline,
                invalidation_timeout,
            )
            .await?,
        ),
        _ => None,
    };
    let output = BucketDeploymentOutput {
        deployment: spec.path.clone(),
        bucket,
        uploaded,
        deleted: deletes,
        unchanged: unchanged.len(),
        invalidation_id,
    };
    emitter.emit(DeployEvent::BucketDeploymentDone {
        stack: stack.into(),
        deployment: spec.path.clone(),
        uploaded: output.uploaded.len(),
        deleted: output.deleted.len(),
        unchanged: output.unchanged,
        invalidation_id: output.invalidation_id.clone(),
    });
    Ok(output)
}

/// `CreateInvalidation`, then `GetInvalidation` until it is `Completed`,
/// for at most `timeout` (and never past the operation's deadline).
async fn invalidate(
    clients: &Clients,
    stack: &str,
    spec: &BucketDeploymentSpec,
    distribution_id: &str,
    emitter: &Emitter,
    deadline: Option<Instant>,
    timeout: Duration,
) -> Result<String, DeployError> {
    use aws_sdk_cloudfront::types::{InvalidationBatch, Paths};
    let fail = |message: String| DeployError::BucketDeployment {
        stack: stack.into(),
        deployment: spec.path.clone(),
        message,
    };
    let paths = if spec.distribution_paths.is_empty() {
        vec!["/*".to_owned()]
    } else {
        spec.distribution_paths.clone()
    };
    let reference = format!(
        "formwork-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    let batch = InvalidationBatch::builder()
        .caller_reference(reference)
        .paths(
            Paths::builder()
                .quantity(paths.len() as i32)
                .set_items(Some(paths.clone()))
                .build()
                .map_err(|e| fail(e.to_string()))?,
        )
        .build()
        .map_err(|e| fail(e.to_string()))?;
    emitter.set_doing(
        stack,
        format!("invalidating {distribution_id} (CreateInvalidation)"),
    );
    let created = clients
        .cloudfront
        .create_invalidation()
        .distribution_id(distribution_id)
        .invalidation_batch(batch)
        .send()
        .await
        .map_err(|e| DeployError::sdk("CreateInvalidation", e))?;
    let invalidation = created
        .invalidation()
        .ok_or_else(|| fail("CreateInvalidation returned no invalidation".into()))?;
    let id = invalidation.id().to_owned();
    emitter.emit(DeployEvent::InvalidationCreated {
        stack: stack.into(),
        deployment: spec.path.clone(),
        distribution_id: distribution_id.into(),
        invalidation_id: id.clone(),
        paths,
    });
    let started = Instant::now();
    let limit = match deadline {
        Some(d) => d.min(started + timeout),
        None => started + timeout,
    };
    let mut status = invalidation.status().to_owned();
    let mut backoff = Backoff::new();
    emitter.set_doing(
        stack,
        format!("waiting for invalidation {id} of {distribution_id} (GetInvalidation); CloudFront continues it"),
    );
    while status != "Completed" {
        if !backoff.wait(Some(limit)).await {
            return Err(fail(format!(
                "invalidation {id} of distribution {distribution_id} is still {status} after {}; CloudFront continues it (the files are deployed)",
                crate::humane(started.elapsed())
            )));
        }
        let out = clients
            .cloudfront
            .get_invalidation()
            .distribution_id(distribution_id)
            .id(&id)
            .send()
            .await
            .map_err(|e| DeployError::sdk("GetInvalidation", e))?;
        status = out
            .invalidation()
            .map(|i| i.status().to_owned())
            .unwrap_or_default();
    }
    emitter.emit(DeployEvent::InvalidationCompleted {
        stack: stack.into(),
        deployment: spec.path.clone(),
        invalidation_id: id.clone(),
        elapsed: started.elapsed(),
    });
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.html", "index.html"));
        assert!(!glob_match("*.html", "docs/index.html"));
        assert!(glob_match("**/*.html", "docs/index.html"));
        assert!(glob_match("**/*.html", "index.html"));
        assert!(glob_match("assets/**", "assets/a/b.js"));
        assert!(glob_match("?.txt", "a.txt"));
        assert!(!glob_match("?.txt", "ab.txt"));
        assert!(glob_match("config.json", "config.json"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/b/APP.JS"), "text/javascript; charset=utf-8");
        assert_eq!(
            content_type("config.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }

    #[test]
    fn outputs_made_of_refs_are_evaluated() {
        let physical = HashMap::from([("Bucket".to_string(), "site-bucket-1".to_string())]);
        let pseudo = Pseudo {
            region: "eu-west-1",
            stack_name: "S",
            stack_id: "arn:aws:cloudformation:eu-west-1:123456789012:stack/S/x",
        };
        let v = |j: Value| evaluate(&j, &physical, pseudo);
        assert_eq!(
            v(serde_json::json!({"Ref": "Bucket"})).as_deref(),
            Some("site-bucket-1")
        );
        assert_eq!(
            v(serde_json::json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "Bucket"}]]})).as_deref(),
            Some("arn:aws:s3:::site-bucket-1")
        );
        assert_eq!(
            v(serde_json::json!({"Fn::Sub": "${AWS::AccountId}/${Bucket}/${!x}"})).as_deref(),
            Some("123456789012/site-bucket-1/${x}")
        );
        assert_eq!(
            v(serde_json::json!({"Fn::GetAtt": ["Bucket", "Arn"]})),
            None
        );
        assert_eq!(v(serde_json::json!({"Ref": "Missing"})), None);
    }

    #[test]
    fn deployments_are_read_from_stack_metadata() {
        let artifact = serde_json::json!({"metadata": {
            "/S/Bucket/Resource": [{"type": "aws:cdk:logicalId", "data": "Bucket"}],
            "/S/Deploy": [{"type": BUCKET_DEPLOYMENT_METADATA, "data": {
                "sources": ["asset.abc"], "destinationBucketNameOutput": "DeployDestinationBucketName",
                "destinationKeyPrefix": "", "prune": true, "distributionIdOutput": null,
                "distributionPaths": ["/*"], "cacheControl": [], "defaultCacheControl": null,
                "generatedFiles": [{"key": "config.json", "json": [{"name": "a", "output": "O"}]}]
            }}]
        }});
        let specs = bucket_deployments(Path::new("/out"), &artifact).unwrap();
        assert_eq!(specs.len(), 1);
        assert_eq!(specs[0].path, "S/Deploy");
        assert_eq!(specs[0].sources, [PathBuf::from("/out/asset.abc")]);
        assert_eq!(specs[0].generated_files[0].json[0].output, "O");
        let bad = serde_json::json!({"metadata": {"/S/D": [{"type": BUCKET_DEPLOYMENT_METADATA, "data": {}}]}});
        assert!(bucket_deployments(Path::new("/out"), &bad)
            .unwrap_err()
            .starts_with("/S/D: "));
    }
}
