//! The CloudFormation template model: plain serde data on ordered maps.
//!
//! This is what synthesis produces and what deploy and diff consume. Keys are
//! written in the order the AWS CDK writes them, so templates read the same.

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// A CloudFormation template.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Template {
    /// `AWSTemplateFormatVersion`; formwork leaves it out, as the CDK does.
    #[serde(
        rename = "AWSTemplateFormatVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub format_version: Option<String>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Transform`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<Value>,
    /// Template-level `Metadata`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub metadata: IndexMap<String, Value>,
    /// `Parameters`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub parameters: IndexMap<String, Parameter>,
    /// `Mappings`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub mappings: IndexMap<String, Value>,
    /// `Conditions`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub conditions: IndexMap<String, Value>,
    /// `Resources`.
    #[serde(default)]
    pub resources: IndexMap<String, Resource>,
    /// `Outputs`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<String, Output>,
}

/// One entry of `Resources`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    /// `Type`, e.g. `AWS::IAM::Role`.
    #[serde(rename = "Type")]
    pub type_name: String,
    /// `Properties`: an ordered JSON object map (serde_json's `preserve_order`).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub properties: Map<String, Value>,
    /// `DependsOn` (logical IDs).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub depends_on: Vec<String>,
    /// `CreationPolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_policy: Option<Value>,
    /// `UpdatePolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_policy: Option<Value>,
    /// `UpdateReplacePolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_replace_policy: Option<RemovalPolicy>,
    /// `DeletionPolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_policy: Option<RemovalPolicy>,
    /// `Metadata`; formwork records `aws:cdk:path` here, like the CDK.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub metadata: IndexMap<String, Value>,
    /// `Condition` (a condition's logical ID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// `DeletionPolicy` / `UpdateReplacePolicy` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RemovalPolicy {
    /// Delete the physical resource.
    Delete,
    /// Keep it, orphaned from the stack.
    Retain,
    /// Keep it unless the stack is being deleted successfully.
    RetainExceptOnDelete,
    /// Snapshot it (only for types that support snapshots).
    Snapshot,
}

/// One entry of `Outputs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Value`.
    pub value: Value,
    /// `Export: {Name}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<Export>,
    /// `Condition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// An output's `Export`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Export {
    /// The export name, unique per account and region.
    pub name: Value,
}

/// One entry of `Parameters`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// `Type`, e.g. `String`, `Number`, `AWS::EC2::VPC::Id`.
    #[serde(rename = "Type")]
    pub type_name: String,
    /// `Default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// `AllowedValues`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<Value>,
    /// `AllowedPattern`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
    /// `ConstraintDescription`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint_description: Option<String>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `MinLength`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// `MaxLength`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// `MinValue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    /// `MaxValue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<f64>,
    /// `NoEcho`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_echo: Option<bool>,
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

impl Template {
    /// The template as JSON, formatted as the CDK writes it (`JSON.stringify`
    /// with a one-space indent).
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(4096);
        self.write_json(&mut out)
            .expect("writing JSON to a Vec cannot fail");
        // serde_json only ever writes valid UTF-8.
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes the template as JSON (one-space indent) to `writer`.
    pub fn write_json<W: std::io::Write>(&self, writer: W) -> serde_json::Result<()> {
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut ser = serde_json::Serializer::with_formatter(writer, formatter);
        self.serialize(&mut ser)
    }

    /// Parses a template written by [`Template::to_json`] (or any JSON template).
    pub fn from_json(json: &str) -> serde_json::Result<Template> {
        serde_json::from_str(json)
    }
}
