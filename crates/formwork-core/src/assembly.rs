//! The cloud assembly: the directory `cdk.out/` with one template per stack
//! and a `manifest.json` that follows the AWS CDK's cloud-assembly schema, so
//! that the CDK CLI (and formwork's deploy) can read it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::error::{Error, Result};
use crate::json_format::Indented;
use crate::synth::{self, Assembly, SynthesizedStack};
use crate::template::Properties;

/// The cloud-assembly schema version written to `manifest.json`.
pub const SCHEMA_VERSION: &str = "36.0.0";

/// `manifest.json`.
///
/// `M` is how each artifact's construct metadata is held: as data (the
/// default, what [`Manifest::read`] gives), or as a view of the stacks'
/// logical IDs while [`App::write_assembly`] writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(
    serialize = "M: ArtifactMetadata",
    deserialize = "M: Deserialize<'de> + Default"
))]
pub struct Manifest<M = IndexMap<String, Vec<MetadataEntry>>> {
    /// Schema version.
    pub version: String,
    /// Artifacts by id (the stack name for stacks).
    pub artifacts: IndexMap<String, Artifact<M>>,
}

/// What an artifact's `metadata` can be held as (see [`Manifest`]).
pub trait ArtifactMetadata: Serialize {
    /// True when there is none (`metadata` is then left out).
    fn is_empty(&self) -> bool;
}

impl ArtifactMetadata for IndexMap<String, Vec<MetadataEntry>> {
    fn is_empty(&self) -> bool {
        IndexMap::is_empty(self)
    }
}

/// The `aws:cdk:logicalId` entries of a stack, serialized from its
/// `(construct path, logical ID)` pairs as [`SynthesizedStack::artifact`]
/// would hold them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogicalIds(pub Vec<(String, String)>);

impl ArtifactMetadata for LogicalIds {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for LogicalIds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;

        #[derive(Serialize)]
        struct Entry<'a> {
            #[serde(rename = "type")]
            entry_type: &'a str,
            data: &'a str,
        }
        let mut map = s.serialize_map(Some(self.0.len()))?;
        let mut key = String::new();
        for (path, id) in &self.0 {
            key.clear();
            key.push('/');
            key.push_str(path);
            map.serialize_entry(
                &key,
                &[Entry {
                    entry_type: LOGICAL_ID_ENTRY,
                    data: id,
                }],
            )?;
        }
        map.end()
    }
}

/// The metadata entry type naming an element's logical ID.
const LOGICAL_ID_ENTRY: &str = "aws:cdk:logicalId";

/// One artifact of the manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    bound(
        serialize = "M: ArtifactMetadata",
        deserialize = "M: Deserialize<'de> + Default"
    )
)]
pub struct Artifact<M = IndexMap<String, Vec<MetadataEntry>>> {
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
    #[serde(default, skip_serializing_if = "ArtifactMetadata::is_empty")]
    pub metadata: M,
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

impl<P: Properties> SynthesizedStack<P> {
    /// The template as the JSON text written to the assembly.
    pub fn template_json(&self) -> String {
        self.template.to_json()
    }
}

impl<P> SynthesizedStack<P> {
    /// The template file name inside the assembly.
    pub fn template_file(&self) -> String {
        format!("{}.template.json", self.name)
    }

    /// This stack's entry in `manifest.json`.
    pub fn artifact(&self) -> Artifact {
        let metadata = self
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
        self.artifact_with(metadata)
    }

    fn artifact_with<M>(&self, metadata: M) -> Artifact<M> {
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
    ///
    /// [`App::write_assembly`] writes the same files from an app without
    /// holding every template in memory.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        create_dir(dir)?;
        let mut buffer = Vec::new();
        let mut written = Vec::with_capacity(self.stacks.len());
        for stack in &self.stacks {
            written.push(stack.write_template(dir, &mut buffer)?);
        }
        self.manifest().write(dir)?;
        write_version_marker(dir)?;
        Ok(written)
    }
}

/// What [`App::write_assembly`] wrote for one stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenStack {
    /// The stack name.
    pub name: String,
    /// The template file written.
    pub template_path: PathBuf,
    /// Number of resources in the template.
    pub resources: usize,
    /// Number of outputs in the template.
    pub outputs: usize,
}

impl App {
    /// Synthesizes the app and writes its cloud assembly to `dir`: the same
    /// files as `app.synth()?.write(dir)`, byte for byte, but each template
    /// is serialized straight from the construct tree and written as soon as
    /// it is final (see [`App::synth_each`]), so that memory never holds a
    /// copy of the templates. With several stacks, templates are written on
    /// a second thread while the next stack is resolved and validated.
    /// `inspect` sees each stack's summary with the JSON text written for it
    /// (to print it, say), on that thread.
    ///
    /// Returns what was written, in the order of [`Assembly::stacks`]. The
    /// manifest is written last, and only on success: a stale
    /// `manifest.json` is removed first, and the templates of a failed run
    /// are removed again, so that `dir` never looks like an assembly that
    /// this app did not produce.
    pub fn write_assembly(
        &self,
        dir: &Path,
        mut inspect: impl FnMut(&WrittenStack, &[u8]) -> Result<()> + Send,
    ) -> Result<Vec<WrittenStack>> {
        // The directory is prepared when the first template is ready, so that
        // an app that fails synthesis outright leaves it untouched.
        let mut prepared = false;
        let prepare = |dir: &Path| -> Result<()> {
            create_dir(dir)?;
            let manifest_path = dir.join(MANIFEST_FILE);
            match fs::remove_file(&manifest_path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::Io {
                        action: "cannot remove",
                        path: manifest_path,
                        source: e,
                    })
                }
                _ => {}
            }
            Ok(())
        };
        let mut buffer = Vec::new();
        let mut written_paths = Vec::new();
        let result = synth::synthesize(self, |mut stack| {
            if !prepared {
                prepare(dir)?;
                prepared = true;
            }
            written_paths.push(dir.join(stack.template_file()));
            let template_path = stack.write_template(dir, &mut buffer)?;
            let written = WrittenStack {
                name: stack.name.clone(),
                template_path,
                resources: stack.template.resources.len(),
                outputs: stack.template.outputs.len(),
            };
            inspect(&written, &buffer)?;
            // The manifest is written at the end: keep the logical IDs, not
            // a copy of them in the manifest's shape.
            let logical_ids = LogicalIds(std::mem::take(&mut stack.logical_ids));
            Ok((stack.artifact_with(logical_ids), written))
        });
        let stacks = match result {
            Ok(stacks) => stacks,
            Err(e) => {
                for path in &written_paths {
                    let _ = fs::remove_file(path);
                }
                return Err(e);
            }
        };
        let mut artifacts = IndexMap::with_capacity(stacks.len());
        let mut written = Vec::with_capacity(stacks.len());
        for (artifact, stack) in stacks {
            artifacts.insert(stack.name.clone(), artifact);
            written.push(stack);
        }
        Manifest {
            version: SCHEMA_VERSION.into(),
            artifacts,
        }
        .write(dir)?;
        write_version_marker(dir)?;
        Ok(written)
    }
}

impl<P: Properties> SynthesizedStack<P> {
    /// Writes `<dir>/<Stack>.template.json`, serializing into `buffer` (reused
    /// between stacks) and writing it with one call, unless the file already
    /// holds exactly that text. Leaves the JSON text in `buffer` and returns
    /// the path.
    fn write_template(&self, dir: &Path, buffer: &mut Vec<u8>) -> Result<PathBuf> {
        let path = dir.join(self.template_file());
        buffer.clear();
        self.template
            .write_json(&mut *buffer)
            .map_err(|source| Error::Json {
                path: path.clone(),
                source,
            })?;
        if !holds(&path, buffer) {
            fs::write(&path, &buffer[..]).map_err(|source| Error::Io {
                action: "cannot write",
                path: path.clone(),
                source,
            })?;
        }
        Ok(path)
    }
}

/// Whether the file at `path` holds exactly `bytes`. Synthesizing again
/// into the same directory then rewrites only the templates that changed:
/// the others keep their modification times (so that watchers see no
/// change), and the file system is spared truncating and reallocating them,
/// which costs more than reading them back from the page cache.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != Some(bytes.len() as u64) {
        return false;
    }
    let mut chunk = [0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && chunk[..n] == rest[..n] => rest = &rest[n..],
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            _ => return false,
        }
    }
}

const MANIFEST_FILE: &str = "manifest.json";

fn create_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|source| Error::Io {
        action: "cannot create",
        path: dir.into(),
        source,
    })
}

fn write_version_marker(dir: &Path) -> Result<()> {
    write_json(
        &dir.join("cdk.out"),
        &serde_json::json!({ "version": SCHEMA_VERSION }),
    )
}

/// Writes `value` as pretty JSON (two-space indent) and a final newline,
/// streaming through a buffer rather than building the text first.
fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let io = |source| Error::Io {
        action: "cannot write",
        path: path.into(),
        source,
    };
    let file = fs::File::create(path).map_err(io)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Indented::new(2));
    value.serialize(&mut ser).map_err(|source| Error::Json {
        path: path.into(),
        source,
    })?;
    out.write_all(b"\n").map_err(io)?;
    out.flush().map_err(io)
}

impl<M: ArtifactMetadata> Manifest<M> {
    /// Writes `manifest.json` into an assembly directory.
    pub fn write(&self, dir: &Path) -> Result<()> {
        write_json(&dir.join(MANIFEST_FILE), self)
    }
}

impl Manifest {
    /// Reads `manifest.json` from an assembly directory.
    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        let text = fs::read_to_string(&path).map_err(|source| Error::Io {
            action: "cannot read",
            path: path.clone(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| Error::Json { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::holds;
    use crate::{App, CfnResource, Expr, Scope, SubPart};

    /// Stacks that import from each other in both directions of creation
    /// order, so that templates are held back until their last importer.
    fn cross_stack_app() -> App {
        let mut app = App::new();
        let late_producer = {
            // Created first, imports from a stack created after it.
            app.stack("Consumer");
            let producer = app.stack("Producer");
            producer
                .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
                .unwrap()
        };
        let early = app.stack("Early");
        let queue = early
            .add_resource("Queue", CfnResource::new("AWS::SQS::Queue"))
            .unwrap();
        let consumer = app.get_stack_mut("Consumer").unwrap();
        consumer
            .add_resource(
                "Sub",
                CfnResource::new("AWS::SNS::Subscription")
                    .set("Protocol", "sqs")
                    .set("TopicArn", late_producer.to_ref())
                    .set(
                        "Endpoint",
                        Expr::sub_parts([
                            SubPart::Text("q:".into()),
                            SubPart::GetAtt(queue.element(), "Arn".into()),
                        ]),
                    ),
            )
            .unwrap();
        let last = app.stack("Last");
        last.output("TopicName", late_producer.get_att("TopicName"));
        last.add_resource("Alone", CfnResource::new("AWS::SNS::Topic"))
            .unwrap();
        app
    }

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
    fn synth_each_matches_synth_with_cross_stack_references() {
        let app = cross_stack_app();
        let assembly = app.synth().unwrap();
        let each = app.synth_each(Ok).unwrap();
        assert_eq!(each.len(), assembly.stacks.len());
        for (a, b) in assembly.stacks.iter().zip(&each) {
            assert_eq!(a.name, b.name);
            assert_eq!(a.template, b.template);
            assert_eq!(a.logical_ids, b.logical_ids);
            assert_eq!(a.dependencies, b.dependencies);
        }
        // The producer gained the exports of both of its importers.
        let producer = assembly.stack("Producer").unwrap();
        assert_eq!(producer.template.outputs.len(), 2);
        let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
        let at = |n: &str| names.iter().position(|s| *s == n).unwrap();
        assert!(at("Producer") < at("Consumer") && at("Early") < at("Consumer"));
        assert!(at("Producer") < at("Last"));
    }

    #[test]
    fn write_assembly_writes_what_write_does() {
        let base = std::env::temp_dir().join(format!("formwork-assembly-{}", std::process::id()));
        let (a, b) = (base.join("write"), base.join("write_assembly"));
        let app = cross_stack_app();
        app.synth().unwrap().write(&a).unwrap();
        let synthesized = app.synth().unwrap();
        let mut seen = Vec::new();
        let written = app
            .write_assembly(&b, |stack, json| {
                let expected = synthesized.stack(&stack.name).unwrap().template_json();
                assert_eq!(json, expected.as_bytes());
                seen.push(stack.name.clone());
                Ok(())
            })
            .unwrap();
        assert_eq!(files(&a), files(&b));
        assert_eq!(seen.len(), 4);
        let order: Vec<&str> = written.iter().map(|w| w.name.as_str()).collect();
        let expected: Vec<String> = app
            .synth()
            .unwrap()
            .stacks
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(order, expected);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn holds_compares_the_whole_file() {
        let dir = std::env::temp_dir().join(format!("formwork-holds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.json");
        assert!(!holds(&path, b"x"), "a missing file holds nothing");
        // Longer than one read, differing only in the last byte.
        let text: Vec<u8> = (0..40_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        assert!(holds(&path, &text));
        let mut other = text.clone();
        *other.last_mut().unwrap() = b'!';
        assert!(!holds(&path, &other));
        assert!(!holds(&path, &text[..text.len() - 1]));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn failed_write_assembly_leaves_the_old_assembly_alone() {
        let dir =
            std::env::temp_dir().join(format!("formwork-assembly-fail-{}", std::process::id()));
        let mut app = App::new();
        app.stack("Good")
            .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
            .unwrap();
        app.synth().unwrap().write(&dir).unwrap();
        assert!(dir.join("manifest.json").exists());
        // A second stack with a broken name fails synthesis.
        let before = files(&dir);
        app.stack("bad name");
        assert!(app.write_assembly(&dir, |_, _| Ok(())).is_err());
        assert_eq!(files(&dir), before);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
