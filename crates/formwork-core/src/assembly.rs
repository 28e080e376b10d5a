//! The cloud assembly: the directory `cdk.out/` with one template per stack
//! and a `manifest.json` that follows the AWS CDK's cloud-assembly schema, so
//! that the CDK CLI (and formwork's deploy) can read it.

use std::fs;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

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
    /// Stack properties.
    pub properties: StackProperties,
    /// Artifacts this one depends on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// Construct path -> metadata entries (`aws:cdk:logicalId`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub metadata: IndexMap<String, Vec<MetadataEntry>>,
    /// Name shown by tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

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
    /// The template file name inside the assembly.
    pub fn template_file(&self) -> String {
        format!("{}.template.json", self.name)
    }

    /// The template as the JSON text written to the assembly.
    pub fn template_json(&self) -> String {
        self.template.to_json()
    }

    fn artifact(&self) -> Artifact {
        let metadata = self
            .logical_ids
            .iter()
            .map(|(path, id)| {
                (
                    format!("/{path}"),
                    vec![MetadataEntry {
                        entry_type: "aws:cdk:logicalId".into(),
                        data: id.clone().into(),
                    }],
                )
            })
            .collect();
        Artifact {
            artifact_type: "aws:cloudformation:stack".into(),
            environment: Some("aws://unknown-account/unknown-region".into()),
            properties: StackProperties {
                template_file: self.template_file(),
                stack_name: Some(self.name.clone()),
                tags: self
                    .tags
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                termination_protection: self.termination_protection.then_some(true),
                validate_on_synth: false,
            },
            dependencies: self.dependencies.clone(),
            metadata,
            display_name: Some(self.name.clone()),
        }
    }
}

impl Assembly {
    /// The manifest describing this assembly.
    pub fn manifest(&self) -> Manifest {
        Manifest {
            version: SCHEMA_VERSION.into(),
            artifacts: self
                .stacks
                .iter()
                .map(|s| (s.name.clone(), s.artifact()))
                .collect(),
        }
    }

    /// Writes the assembly to `dir` (created if needed): one
    /// `<Stack>.template.json` per stack, `manifest.json` and the `cdk.out`
    /// version marker. Returns the template paths, in stack order.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        fs::create_dir_all(dir).map_err(|source| Error::Io {
            action: "cannot create",
            path: dir.into(),
            source,
        })?;
        let mut written = Vec::with_capacity(self.stacks.len());
        for stack in &self.stacks {
            let path = dir.join(stack.template_file());
            let file = fs::File::create(&path).map_err(|source| Error::Io {
                action: "cannot write",
                path: path.clone(),
                source,
            })?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            stack.template.write_json(&mut out).map_err(|e| Error::Io {
                action: "cannot write",
                path: path.clone(),
                source: e.into(),
            })?;
            std::io::Write::flush(&mut out).map_err(|source| Error::Io {
                action: "cannot write",
                path: path.clone(),
                source,
            })?;
            written.push(path);
        }
        write_json(&dir.join("manifest.json"), &self.manifest())?;
        write_json(
            &dir.join("cdk.out"),
            &serde_json::json!({ "version": SCHEMA_VERSION }),
        )?;
        Ok(written)
    }
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(|source| Error::Json {
        path: path.into(),
        source,
    })?;
    text.push('\n');
    fs::write(path, text).map_err(|source| Error::Io {
        action: "cannot write",
        path: path.into(),
        source,
    })
}

impl Manifest {
    /// Reads `manifest.json` from an assembly directory.
    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join("manifest.json");
        let text = fs::read_to_string(&path).map_err(|source| Error::Io {
            action: "cannot read",
            path: path.clone(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| Error::Json { path, source })
    }
}
