//! The cloud assembly: the directory `cdk.out/` with one template per stack
//! and a `manifest.json` that follows the AWS CDK's cloud-assembly schema, so
//! that the CDK CLI (and formwork's deploy) can read it.
//!
//! There is one writer, [`Assembly::write`]. It writes the new assembly
//! beside the old one and swaps the two, so that a reader sees the whole of
//! one or the other, and a failure leaves the old one whole.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::annotations::Message;
use crate::error::{Error, Result};
use crate::synth::{Assembly, SynthesizedStack};

/// The cloud-assembly schema version written to `manifest.json`.
pub const SCHEMA_VERSION: &str = "36.0.0";

/// `manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Schema version.
    pub version: String,
    /// Artifacts by id (the stack name for stacks).
    pub artifacts: IndexMap<String, Artifact>,
}

/// The metadata entry type naming an element's logical ID.
const LOGICAL_ID_ENTRY: &str = "aws:cdk:logicalId";

/// One artifact of the manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    /// `aws:cloudformation:stack` for stacks.
    #[serde(rename = "type")]
    pub artifact_type: String,
    /// `aws://unknown-account/unknown-region` for environment-agnostic stacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The artifact's properties: a stack's, or an asset manifest's.
    pub properties: ArtifactProperties,
    /// Artifacts this one depends on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// Construct path -> metadata entries (`aws:cdk:logicalId`, and
    /// `aws:cdk:warning` / `aws:cdk:info` for annotations).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub metadata: IndexMap<String, Vec<MetadataEntry>>,
    /// Name shown by tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// The `properties` of an artifact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ArtifactProperties {
    /// `aws:cloudformation:stack`.
    Stack(StackProperties),
    /// `cdk:asset-manifest`.
    AssetManifest(AssetManifestProperties),
}

impl ArtifactProperties {
    /// A stack's properties, when these are.
    pub fn stack(&self) -> Option<&StackProperties> {
        match self {
            ArtifactProperties::Stack(s) => Some(s),
            ArtifactProperties::AssetManifest(_) => None,
        }
    }
}

/// The `properties` of a `cdk:asset-manifest` artifact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetManifestProperties {
    /// The asset manifest file, relative to the assembly directory.
    pub file: String,
}

/// The artifact type of an asset manifest.
pub const ASSET_MANIFEST_ARTIFACT: &str = "cdk:asset-manifest";

/// The `properties` of a stack artifact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StackProperties {
    /// The template file, relative to the assembly directory.
    pub template_file: String,
    /// The deployed stack name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_name: Option<String>,
    /// Stack tags.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
    /// Termination protection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_protection: Option<bool>,
    /// Whether the CDK CLI should validate the template on synth.
    #[serde(default)]
    pub validate_on_synth: bool,
}

/// One metadata entry, e.g. `{"type": "aws:cdk:logicalId", "data": "BotPool952BDFC5"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetadataEntry {
    /// Entry type.
    #[serde(rename = "type")]
    pub entry_type: String,
    /// Entry data.
    pub data: serde_json::Value,
}

impl SynthesizedStack {
    /// This stack's entry in `manifest.json`, with the annotations of its
    /// constructs among `messages`.
    pub fn artifact(&self, messages: &[Message]) -> Artifact {
        let mut metadata: IndexMap<String, Vec<MetadataEntry>> = self
            .logical_ids
            .iter()
            .map(|(path, id)| {
                (
                    format!("/{path}"),
                    vec![MetadataEntry {
                        entry_type: LOGICAL_ID_ENTRY.into(),
                        data: id.clone().into(),
                    }],
                )
            })
            .collect();
        for (path, entry_type, data) in &self.metadata {
            metadata
                .entry(format!("/{path}"))
                .or_default()
                .push(MetadataEntry {
                    entry_type: entry_type.clone(),
                    data: data.clone(),
                });
        }
        let prefix = format!("{}/", self.name);
        for m in messages {
            if m.path == self.name || m.path.starts_with(&prefix) {
                metadata
                    .entry(format!("/{}", m.path))
                    .or_default()
                    .push(MetadataEntry {
                        entry_type: m.level.metadata_type().into(),
                        data: m.assembly_text().into(),
                    });
            }
        }
        Artifact {
            artifact_type: "aws:cloudformation:stack".into(),
            environment: Some(self.environment.to_uri()),
            properties: ArtifactProperties::Stack(StackProperties {
                template_file: self.template_file(),
                stack_name: Some(self.name.clone()),
                tags: self
                    .tags
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                termination_protection: self.termination_protection.then_some(true),
                validate_on_synth: false,
            }),
            dependencies: self
                .assets_artifact_id()
                .into_iter()
                .chain(self.dependencies.iter().cloned())
                .collect(),
            metadata,
            display_name: Some(self.name.clone()),
        }
    }
}

impl SynthesizedStack {
    /// `<Stack>.assets`, the id of the stack's asset-manifest artifact, when
    /// the stack has assets.
    pub fn assets_artifact_id(&self) -> Option<String> {
        (!self.assets.is_empty()).then(|| format!("{}.assets", self.name))
    }

    /// `<Stack>.assets.json`, the asset manifest file.
    pub fn assets_file(&self) -> String {
        format!("{}.assets.json", self.name)
    }

    /// The stack's asset manifest in the CDK's format (schema
    /// `assets.schema.json`): per asset hash, its source in the assembly
    /// (`asset.<hash>`, packaging `zip` for a folder) and its destinations.
    ///
    /// Destinations are empty: formwork publishes no asset to a bootstrap
    /// staging bucket; the construct that owns an asset (a bucket
    /// deployment) copies it where it belongs when the stack is deployed.
    /// The CDK CLI reads the manifest and has nothing to publish.
    pub fn asset_manifest(&self) -> serde_json::Value {
        let files: serde_json::Map<String, serde_json::Value> = self
            .assets
            .iter()
            .map(|a| {
                (
                    a.hash.clone(),
                    serde_json::json!({
                        "displayName": a.path,
                        "source": {
                            "path": crate::asset::staged_name(&a.hash),
                            "packaging": a.packaging.as_str(),
                        },
                        "destinations": {},
                    }),
                )
            })
            .collect();
        serde_json::json!({
            "version": SCHEMA_VERSION,
            "files": files,
            "dockerImages": {},
        })
    }
}

impl Assembly {
    /// The manifest describing this assembly: per stack with assets, its
    /// `cdk:asset-manifest` artifact (`<Stack>.assets`), which the stack
    /// depends on, then the stack, as the CDK writes them.
    pub fn manifest(&self) -> Manifest {
        let mut artifacts = IndexMap::new();
        for s in &self.stacks {
            if let Some(id) = s.assets_artifact_id() {
                artifacts.insert(
                    id,
                    Artifact {
                        artifact_type: ASSET_MANIFEST_ARTIFACT.into(),
                        environment: None,
                        properties: ArtifactProperties::AssetManifest(AssetManifestProperties {
                            file: s.assets_file(),
                        }),
                        dependencies: Vec::new(),
                        metadata: IndexMap::new(),
                        display_name: None,
                    },
                );
            }
            artifacts.insert(s.name.clone(), s.artifact(&self.messages));
        }
        Manifest {
            version: SCHEMA_VERSION.into(),
            artifacts,
        }
    }

    /// Writes the assembly to `dir`: one `<Stack>.template.json` per stack,
    /// its reports ([`SynthesizedStack::reports`]), `manifest.json` and the
    /// `cdk.out` version marker. Returns the
    /// template paths, in stack order.
    ///
    /// The files are written to a new directory beside `dir`, which then
    /// takes `dir`'s place; files in the old `dir` that are not part of an
    /// assembly (such as the CDK CLI's lock files) are moved across. On any
    /// error the old `dir` is left as it was.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        if dir.exists() && !dir.is_dir() {
            return Err(Error::invalid(
                dir.display().to_string(),
                None,
                "the output must be a directory (the cloud assembly), and a file of that name exists",
            ));
        }
        // The staging directory is made beside `dir`: when `dir` cannot be
        // created there (its parent is a file, say), say so of `dir`.
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(Error::io("cannot create", dir))?;
        }
        let staging = sibling(dir, "new");
        remove_dir(&staging)?;
        let result = self.write_into(&staging).and_then(|written| {
            swap_into_place(&staging, dir)?;
            Ok(written.iter().map(|name| dir.join(name)).collect())
        });
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        result
    }

    /// Writes every file into the new directory `dir`; returns the template file names.
    fn write_into(&self, dir: &Path) -> Result<Vec<String>> {
        create_dir(dir)?;
        let mut written = Vec::with_capacity(self.stacks.len());
        for stack in &self.stacks {
            let file = stack.template_file();
            let path = dir.join(&file);
            fs::write(&path, stack.template_json()).map_err(Error::io("cannot write", &path))?;
            written.push(file);
            for report in &stack.reports {
                let path = dir.join(&report.name);
                let write = || -> std::io::Result<()> {
                    let mut file = std::io::BufWriter::new(fs::File::create(&path)?);
                    (report.render)(&mut file)?;
                    std::io::Write::flush(&mut file)
                };
                write().map_err(Error::io("cannot write", &path))?;
            }
            if !stack.assets.is_empty() {
                write_json(&dir.join(stack.assets_file()), &stack.asset_manifest())?;
            }
            for asset in &stack.assets {
                let staged = dir.join(crate::asset::staged_name(&asset.hash));
                if staged.exists() {
                    continue; // another stack's asset with the same content
                }
                crate::asset::stage_dir(&asset.source, &staged, &asset.hash)
                    .map_err(|rule| Error::invalid(&asset.path, None, rule))?;
            }
        }
        write_json(&dir.join(MANIFEST_FILE), &self.manifest())?;
        write_json(
            &dir.join("cdk.out"),
            &serde_json::json!({ "version": SCHEMA_VERSION }),
        )?;
        Ok(written)
    }
}

/// `dir`'s sibling for `what` (`new`, `old`): hidden, and unique to this process.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "cdk.out".into(), |n| n.to_string_lossy().into_owned());
    dir.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Files an assembly writer owns; anything else in an old assembly
/// directory belongs to someone else and is kept.
fn is_assembly_file(name: &str) -> bool {
    name == MANIFEST_FILE
        || name == "cdk.out"
        || name == "tree.json"
        || name.ends_with(".template.json")
        || name.ends_with(".assets.json")
        || name.starts_with("asset.")
        // The rule packs' reports (`AwsSolutions-<Stack>-NagReport.csv`),
        // as cdk-nag names them: a report of the old assembly is stale.
        || name.ends_with("-NagReport.csv")
        || name.ends_with("-NagReport.json")
}

/// Puts `staging` where `dir` is: the old directory is renamed aside
/// first, so that `dir` is at every moment either the old assembly or the
/// new one (or, for the instant between two renames, absent).
fn swap_into_place(staging: &Path, dir: &Path) -> Result<()> {
    if !dir.exists() {
        return fs::rename(staging, dir).map_err(Error::io("cannot create", dir));
    }
    let entries = fs::read_dir(dir).map_err(Error::io("cannot read", dir))?;
    for entry in entries {
        let entry = entry.map_err(Error::io("cannot read", dir))?;
        let name = entry.file_name();
        if !is_assembly_file(&name.to_string_lossy()) {
            let to = staging.join(&name);
            fs::rename(entry.path(), &to).map_err(Error::io("cannot move", entry.path()))?;
        }
    }
    let old = sibling(dir, "old");
    remove_dir(&old)?;
    fs::rename(dir, &old).map_err(Error::io("cannot replace", dir))?;
    if let Err(source) = fs::rename(staging, dir) {
        // Put the old assembly back rather than leave nothing.
        let _ = fs::rename(&old, dir);
        return Err(Error::io("cannot replace", dir)(source));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

fn remove_dir(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io("cannot remove", dir)(e))
        }
        _ => Ok(()),
    }
}

const MANIFEST_FILE: &str = "manifest.json";

fn create_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(Error::io("cannot create", dir))
}

/// Writes `value` as pretty JSON (two-space indent, as the CDK writes the
/// manifest) and a final newline.
fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let file = fs::File::create(path).map_err(Error::io("cannot write", path))?;
    let mut out = std::io::BufWriter::new(file);
    serde_json::to_writer_pretty(&mut out, value).map_err(|source| Error::Json {
        path: path.into(),
        source,
    })?;
    out.write_all(b"\n")
        .and_then(|()| out.flush())
        .map_err(Error::io("cannot write", path))
}

impl Manifest {
    /// Reads `manifest.json` from an assembly directory.
    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        let text = fs::read_to_string(&path).map_err(Error::io("cannot read", &path))?;
        serde_json::from_str(&text).map_err(|source| Error::Json { path, source })
    }
}

#[cfg(test)]
mod tests {
    use crate::{App, CfnResource, Scope};

    fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn a_new_assembly_replaces_the_old_and_keeps_foreign_files() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("cdk.out");
        let app = App::new();
        for name in ["A", "B"] {
            app.stack(name)
                .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
                .unwrap();
        }
        app.synth().unwrap().write(&dir).unwrap();
        std::fs::write(dir.join("synth.lock"), "held").unwrap();

        let smaller = App::new();
        smaller
            .stack("A")
            .add_resource("Queue", CfnResource::new("AWS::SQS::Queue"))
            .unwrap();
        smaller.synth().unwrap().write(&dir).unwrap();
        let names: Vec<String> = files(&dir).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["A.template.json", "cdk.out", "manifest.json", "synth.lock"]
        );
        // Nothing is left beside it.
        assert_eq!(std::fs::read_dir(base.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_synth_leaves_the_old_assembly_whole() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("cdk.out");
        let app = App::new();
        app.stack("Good")
            .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
            .unwrap();
        app.stack("Second")
            .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
            .unwrap();
        app.synth().unwrap().write(&dir).unwrap();
        let before = files(&dir);
        // A third stack with a broken name fails synthesis: nothing is written.
        app.stack("bad name");
        assert!(app.synth().is_err());
        assert_eq!(files(&dir), before);
    }

    #[test]
    fn an_output_that_is_a_file_is_refused() {
        let base = tempfile::tempdir().unwrap();
        let file = base.path().join("afile");
        std::fs::write(&file, "x").unwrap();
        let app = App::new();
        app.stack("A");
        let error = app.synth().unwrap().write(&file).unwrap_err().to_string();
        assert!(error.ends_with("the output must be a directory (the cloud assembly), and a file of that name exists"), "{error}");
        assert_eq!(std::fs::read(&file).unwrap(), b"x");
    }

    #[test]
    fn assets_are_staged_and_listed_in_the_cdk_asset_manifest_format() {
        let base = tempfile::tempdir().unwrap();
        let site = base.path().join("site");
        std::fs::create_dir_all(site.join("css")).unwrap();
        std::fs::write(site.join("index.html"), "<h1>hi</h1>").unwrap();
        std::fs::write(site.join("css/site.css"), "h1{}").unwrap();
        let app = App::new();
        let stack = app.stack("Web");
        let asset = crate::Asset::from_dir(&stack, "Files", &site).unwrap();
        asset
            .node()
            .add_metadata("formwork:test", serde_json::json!({"k": 1}));
        let hash = asset.hash();
        let dir = base.path().join("cdk.out");
        let assembly = app.synth().unwrap();
        assembly.write(&dir).unwrap();

        let read = |name: &str| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
        };
        assert_eq!(
            read("Web.assets.json"),
            serde_json::json!({
                "version": "36.0.0",
                "files": {
                    hash.clone(): {
                        "displayName": "Web/Files",
                        "source": {"path": format!("asset.{hash}"), "packaging": "zip"},
                        "destinations": {}
                    }
                },
                "dockerImages": {}
            })
        );
        let staged = dir.join(format!("asset.{hash}"));
        assert_eq!(
            std::fs::read(staged.join("index.html")).unwrap(),
            b"<h1>hi</h1>"
        );
        assert_eq!(std::fs::read(staged.join("css/site.css")).unwrap(), b"h1{}");

        let manifest = read("manifest.json");
        let ids: Vec<&String> = manifest["artifacts"].as_object().unwrap().keys().collect();
        assert_eq!(ids, ["Web.assets", "Web"]);
        assert_eq!(
            manifest["artifacts"]["Web.assets"],
            serde_json::json!({"type": "cdk:asset-manifest", "properties": {"file": "Web.assets.json"}})
        );
        assert_eq!(
            manifest["artifacts"]["Web"]["dependencies"],
            serde_json::json!(["Web.assets"])
        );
        assert_eq!(
            manifest["artifacts"]["Web"]["metadata"]["/Web/Files"],
            serde_json::json!([{"type": "formwork:test", "data": {"k": 1}}])
        );
        assert_eq!(super::Manifest::read(&dir).unwrap(), assembly.manifest());

        // A second write replaces the staged asset; an edited folder is refused.
        assembly.write(&dir).unwrap();
        assert!(staged.join("index.html").is_file());
        std::fs::write(site.join("index.html"), "<h1>edited</h1>").unwrap();
        let error = assembly.write(&dir).unwrap_err().to_string();
        assert!(error.starts_with("Web/Files: "), "{error}");
        assert!(
            error.contains("changed after the asset was made"),
            "{error}"
        );
        assert_eq!(
            std::fs::read(staged.join("index.html")).unwrap(),
            b"<h1>hi</h1>"
        );
    }

    #[test]
    fn a_stack_without_assets_has_no_asset_manifest() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("cdk.out");
        let app = App::new();
        app.stack("A")
            .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
            .unwrap();
        let assembly = app.synth().unwrap();
        assembly.write(&dir).unwrap();
        let names: Vec<String> = files(&dir).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["A.template.json", "cdk.out", "manifest.json"]);
        assert!(assembly.manifest().artifacts["A"].dependencies.is_empty());
    }
}
