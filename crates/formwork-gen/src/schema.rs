//! The vendored schemas of `formwork-schema`: shapes from `data/types`,
//! descriptions from `data/docs`, put back together.
//!
//! `scripts/refresh.py` splits every registry schema into the validator data
//! (`data/types/<Type>.json`) and a documentation tree parallel to it
//! (`data/docs/<Vendor_Service>.json`, keyed by type name). Merging the tree
//! back gives the schema as cfn-lint ships it, less the provisioning-only
//! keys that refresh.py drops (`handlers`, `permissions`, `relationshipRef`,
//! ...), none of which the generator reads.

use serde_json::Value as J;
use std::collections::BTreeMap;
use std::path::Path;

/// Keywords whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "definitions"];
/// Keywords whose value is one schema.
const SCHEMA_ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "additionalItems",
    "propertyNames",
];
/// Keywords whose value is a list of schemas.
const SCHEMA_LIST: &[&str] = &["oneOf", "anyOf", "allOf", "prefixItems"];

/// The vendored schemas.
pub struct Schemas {
    /// The cfn-lint version they come from.
    pub version: String,
    /// Type name -> schema with its documentation, sorted by type name.
    pub types: BTreeMap<String, J>,
}

fn read_json(path: &Path) -> Result<J, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Puts the documentation tree `docs` back into `schema`.
fn merge(schema: &mut J, docs: &J) {
    let (Some(node), Some(docs)) = (schema.as_object_mut(), docs.as_object()) else {
        return;
    };
    for (key, value) in docs {
        if SCHEMA_MAPS.contains(&key.as_str()) {
            for (name, d) in value.as_object().into_iter().flatten() {
                if let Some(sub) = node.get_mut(key).and_then(|m| m.get_mut(name)) {
                    merge(sub, d);
                }
            }
        } else if SCHEMA_ONE.contains(&key.as_str()) {
            if let Some(sub) = node.get_mut(key) {
                merge(sub, value);
            }
        } else if SCHEMA_LIST.contains(&key.as_str()) {
            if let Some(list) = node.get_mut(key).and_then(J::as_array_mut) {
                for (sub, d) in list.iter_mut().zip(value.as_array().into_iter().flatten()) {
                    merge(sub, d);
                }
            }
        } else {
            node.insert(key.clone(), value.clone());
        }
    }
}

/// Reads `<data>/types/*.json`, `<data>/docs/*.json` and `CFN_LINT_VERSION`.
pub fn load(data: &Path) -> Result<Schemas, String> {
    let version = std::fs::read_to_string(data.join("CFN_LINT_VERSION"))
        .map_err(|e| format!("{}: {e}", data.join("CFN_LINT_VERSION").display()))?
        .trim()
        .to_owned();
    let mut docs: BTreeMap<String, J> = BTreeMap::new();
    let mut doc_files: Vec<_> = std::fs::read_dir(data.join("docs"))
        .map_err(|e| format!("{}: {e}", data.join("docs").display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    doc_files.sort_by_key(|e| e.file_name());
    for entry in doc_files {
        if let J::Object(by_type) = read_json(&entry.path())? {
            docs.extend(by_type);
        }
    }
    let mut types = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(data.join("types"))
        .map_err(|e| format!("{}: {e}", data.join("types").display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    files.sort_by_key(|e| e.file_name());
    for entry in files {
        let mut schema = read_json(&entry.path())?;
        let type_name = schema
            .get("typeName")
            .and_then(J::as_str)
            .ok_or_else(|| format!("{}: no typeName", entry.path().display()))?
            .to_owned();
        if let Some(d) = docs.get(&type_name) {
            merge(&mut schema, d);
        }
        types.insert(type_name, schema);
    }
    if types.is_empty() {
        return Err(format!("no schemas in {}", data.join("types").display()));
    }
    Ok(Schemas { version, types })
}
