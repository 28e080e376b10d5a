//! Step 2 of synthesis: each stack resolved once into the [`Template`]
//! model. References become logical IDs, or `Fn::ImportValue` of the export
//! [`prepare`](super::prepare) registered; every broken reference is
//! reported with the element's path and property; tags and overrides are
//! applied last, on the resource's JSON.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::prepare::{Prepared, PreparedStack};
use super::SynthesizedStack;
use crate::cfn_resource::ResourceCheck;
use crate::error::Violation;
use crate::expr::{ElementRef, Expr, ExprMap, Sub, SubPart};
use crate::tags;
use crate::template::{self, Template};
use crate::tree::{
    Kind, NodeId, ResourceNode, ResourceValidator, Settings, TagFormat, TagOp, Tree,
};

/// A stack's template, and what validation needs to know of its resources.
pub(crate) struct ResolvedStack {
    pub(crate) stack: SynthesizedStack,
    /// `(logical ID, construct path, checks)` of each resource whose
    /// references all resolved (a broken one explains enough already).
    pub(crate) checks: Vec<(String, String, Vec<ResourceCheck>)>,
}

pub(crate) fn resolve(
    tree: &Tree,
    prepared: &mut Prepared,
    settings: &Settings,
) -> Vec<ResolvedStack> {
    let mut errors = Vec::new();
    // Each resource's rendered properties are resolved once and dropped
    // then, so that memory never holds them beside all the templates.
    let mut rendered = std::mem::take(&mut prepared.rendered);
    let shared: &Prepared = prepared;
    let stacks = (0..shared.stacks.len())
        .map(|index| {
            let mut resolver = Resolver {
                tree,
                prepared: shared,
                rendered: &mut rendered,
                validators: &settings.validators,
                validation: settings.validation,
                stack: index,
                node: NodeId::ROOT,
                property: String::new(),
                errors: &mut errors,
            };
            resolver.stack_template(&shared.stacks[index])
        })
        .collect();
    prepared.errors.append(&mut errors);
    stacks
}

struct Resolver<'a, 'e> {
    tree: &'a Tree,
    prepared: &'a Prepared,
    rendered: &'e mut HashMap<NodeId, ExprMap>,
    validators: &'a [Arc<dyn ResourceValidator>],
    validation: bool,
    /// The stack being resolved.
    stack: usize,
    /// The element being resolved, and its property, for error messages.
    node: NodeId,
    property: String,
    errors: &'e mut Vec<Violation>,
}

impl<'a> Resolver<'a, '_> {
    fn stack_template(&mut self, stack: &PreparedStack) -> ResolvedStack {
        let (props, stack_ops) = match &self.tree.node(stack.node).kind {
            Kind::Stack(s) => (&s.props, self.tags_in_force(stack.node)),
            _ => unreachable!("prepared stacks are stack nodes"),
        };
        let mut t = Template {
            description: props.description.clone(),
            ..Template::default()
        };
        let mut logical_ids = Vec::with_capacity(stack.elements.len());
        let mut checks = Vec::new();
        for &node in &stack.elements {
            let Some(logical_id) = self.prepared.ids[node.index()].clone() else {
                continue;
            };
            self.node = node;
            self.property.clear();
            let path = self.tree.path(node);
            match &self.tree.node(node).kind {
                Kind::Resource(r) => {
                    let errors_before = self.errors.len();
                    let resource = self.resource(node, r, &path);
                    if self.errors.len() == errors_before {
                        checks.push((logical_id.clone(), path.clone(), r.resource.checks.clone()));
                    }
                    t.resources.insert(logical_id.clone(), resource);
                }
                Kind::Output(o) => {
                    let value = self.at("Value", |s| s.value(&o.value));
                    let export = o.export_name.as_ref().map(|name| template::Export {
                        name: self.at("Export.Name", |s| s.value(name)),
                    });
                    let condition = o
                        .condition
                        .and_then(|c| self.local_of_kind(c, "Condition", "condition"));
                    t.outputs.insert(
                        logical_id.clone(),
                        template::Output {
                            description: o.description.clone(),
                            value,
                            export,
                            condition,
                        },
                    );
                }
                Kind::Parameter(p) => {
                    t.parameters.insert(logical_id.clone(), p.clone());
                }
                Kind::Condition(c) => {
                    let value = self.value(c);
                    t.conditions.insert(logical_id.clone(), value);
                }
                Kind::Mapping(m) => {
                    t.mappings.insert(logical_id.clone(), m.clone());
                }
                Kind::App | Kind::Stack(_) | Kind::Scope | Kind::Asset(_) => continue,
            }
            logical_ids.push((path, logical_id));
        }
        for (export_name, export) in &stack.exports {
            // Listed in the manifest like the CDK's `Exports/Output{...}` constructs.
            logical_ids.push((
                format!("{}/Exports/{}", stack.name, export.construct_id),
                export.output_id.clone(),
            ));
            t.outputs.insert(
                export.output_id.clone(),
                template::Output {
                    description: None,
                    value: export.value.clone(),
                    export: Some(template::Export {
                        name: Value::String(export_name.clone()),
                    }),
                    condition: None,
                },
            );
        }
        #[cfg(feature = "nag")]
        {
            // Stack-wide suppressions: the app's, then the stack's.
            let tree: &'a Tree = self.tree;
            let suppressions = [NodeId::ROOT, stack.node]
                .into_iter()
                .flat_map(|n| tree.node(n).nag_suppressions.iter());
            if let Err(rule) = crate::nag::merge_suppressions(&mut t.metadata, suppressions) {
                self.node = stack.node;
                self.property = "Metadata".to_owned();
                self.error(rule);
            }
        }
        let tags: BTreeMap<String, String> =
            tags::effective([], stack_ops, None).into_iter().collect();
        let mut assets: Vec<super::SynthesizedAsset> = Vec::new();
        let mut metadata = Vec::new();
        for node in self.tree.subtree(stack.node) {
            let n = self.tree.node(node);
            if let Kind::Asset(a) = &n.kind {
                if !assets.iter().any(|x| x.hash == a.hash) {
                    assets.push(super::SynthesizedAsset {
                        hash: a.hash.clone(),
                        source: a.source.clone(),
                        packaging: a.packaging,
                        path: self.tree.path(node),
                    });
                }
            }
            for (entry_type, data) in &n.metadata {
                metadata.push((self.tree.path(node), entry_type.clone(), data.clone()));
            }
        }
        ResolvedStack {
            stack: SynthesizedStack {
                name: stack.name.clone(),
                template: t,
                logical_ids,
                dependencies: stack
                    .deps
                    .iter()
                    .map(|&d| self.prepared.stacks[d].name.clone())
                    .collect(),
                tags,
                termination_protection: props.termination_protection,
                environment: props.env.clone(),
                assets,
                metadata,
                reports: Vec::new(),
            },
            checks,
        }
    }

    /// The tag operations on `node` and above, root first.
    fn tags_in_force(&self, node: NodeId) -> Vec<&'a TagOp> {
        let tree: &'a Tree = self.tree;
        tree.lineage(node)
            .into_iter()
            .flat_map(|n| tree.node(n).tags.iter())
            .collect()
    }

    fn resource(&mut self, node: NodeId, r: &ResourceNode, path: &str) -> template::Resource {
        let resource = &r.resource;
        let rendered = self.rendered.remove(&node);
        let properties = rendered.as_ref().unwrap_or(&resource.properties);
        let mut props = Map::with_capacity(properties.len());
        for (name, value) in properties {
            let value = self.at(name, |s| s.value(value));
            props.insert(name.to_owned(), value);
        }
        self.apply_tags(node, &resource.type_name, &mut props);

        let mut depends_on: Vec<String> = Vec::with_capacity(resource.depends_on.len());
        for &dep in &resource.depends_on {
            self.property = "DependsOn".to_owned();
            if let Some((id, stack)) = self.target(dep, false, None) {
                // A dependency on another stack's resource is a dependency
                // on that stack, which the prepare step recorded.
                if stack == self.stack && !depends_on.iter().any(|d| d == id) {
                    depends_on.push(id.to_owned());
                }
            }
        }
        let mut metadata = IndexMap::with_capacity(1 + resource.metadata.len());
        metadata.insert("aws:cdk:path".to_owned(), Value::String(path.to_owned()));
        for (k, v) in &resource.metadata {
            let v = self.at("Metadata", |s| s.value(v));
            metadata.insert(k.to_owned(), v);
        }
        #[cfg(feature = "nag")]
        self.render_suppressions(node, &mut metadata);
        let mut out = template::Resource {
            type_name: resource.type_name.to_string(),
            properties: props,
            depends_on,
            creation_policy: resource
                .creation_policy
                .as_ref()
                .map(|e| self.at("CreationPolicy", |s| s.value(e))),
            update_policy: resource
                .update_policy
                .as_ref()
                .map(|e| self.at("UpdatePolicy", |s| s.value(e))),
            update_replace_policy: resource.update_replace_policy,
            deletion_policy: resource.deletion_policy,
            metadata,
            condition: resource
                .condition
                .and_then(|c| self.local_of_kind(c.element(), "Condition", "condition")),
        };
        if !r.overrides.is_empty() {
            out = self.apply_overrides(out, &r.overrides);
        }
        out
    }

    /// Merges the suppressions of the resource's node and of the constructs
    /// above it, below the stack (outermost first), into its `Metadata`.
    #[cfg(feature = "nag")]
    fn render_suppressions(&mut self, node: NodeId, metadata: &mut IndexMap<String, Value>) {
        let tree: &'a Tree = self.tree;
        let scopes: Vec<NodeId> = tree.scopes_below_stack(node).collect();
        let suppressions = scopes
            .into_iter()
            .rev()
            .flat_map(|n| &tree.node(n).nag_suppressions);
        if let Err(rule) = crate::nag::merge_suppressions(metadata, suppressions) {
            self.at("Metadata", |s| s.error(rule));
        }
    }

    /// Merges the tags in force into the resource's tag property, when its
    /// type takes tags and any tag operation reaches it.
    fn apply_tags(&mut self, node: NodeId, type_name: &str, props: &mut Map<String, Value>) {
        let ops = self.tags_in_force(node);
        if !ops.iter().any(|op| op.applies_to(Some(type_name))) {
            return;
        }
        let Some(shape) = self.validators.iter().find_map(|v| v.tag_shape(type_name)) else {
            return;
        };
        // Tags set in the resource's own properties take part, with the
        // CDK's initial priority; ones that are not literal stay as they are.
        let mut initial = Vec::new();
        let mut dynamic = Vec::new();
        match (props.get(&shape.property), shape.format) {
            (Some(Value::Array(items)), TagFormat::KeyValueList) => {
                for item in items {
                    match (item.get("Key"), item.get("Value")) {
                        (Some(Value::String(k)), Some(Value::String(v))) => {
                            initial.push((k.clone(), v.clone()))
                        }
                        _ => dynamic.push(item.clone()),
                    }
                }
            }
            (Some(Value::Object(entries)), TagFormat::Map) => {
                for (k, v) in entries {
                    match v {
                        Value::String(v) => initial.push((k.clone(), v.clone())),
                        _ => dynamic.push(json!({ k: v })),
                    }
                }
            }
            (None, _) => {}
            (Some(_), _) => {
                self.error(format!(
                    "{} is not a literal {}, so Tags cannot be merged into it",
                    shape.property,
                    match shape.format {
                        TagFormat::KeyValueList => "list of Key/Value objects",
                        TagFormat::Map => "object",
                    }
                ));
                return;
            }
        }
        let tags = tags::effective(initial, ops, Some(type_name));
        let value = match shape.format {
            TagFormat::KeyValueList => {
                let mut items: Vec<Value> = tags
                    .into_iter()
                    .map(|(k, v)| json!({ "Key": k, "Value": v }))
                    .collect();
                items.extend(dynamic);
                Value::Array(items)
            }
            TagFormat::Map => {
                let mut map: Map<String, Value> = tags
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect();
                for d in dynamic {
                    if let Value::Object(m) = d {
                        map.extend(m);
                    }
                }
                Value::Object(map)
            }
        };
        if value.as_array().is_some_and(Vec::is_empty)
            || value.as_object().is_some_and(Map::is_empty)
        {
            props.remove(&shape.property);
        } else {
            props.insert(shape.property, value);
        }
    }

    /// Applies `add_override`s on the resource's JSON, in order.
    fn apply_overrides(
        &mut self,
        resource: template::Resource,
        overrides: &[(String, Option<Expr>)],
    ) -> template::Resource {
        let mut json = serde_json::to_value(&resource).unwrap_or(Value::Null);
        for (path, value) in overrides {
            let value = value.as_ref().map(|v| self.at("override", |s| s.value(v)));
            set_path(&mut json, &split_override_path(path), value);
        }
        match serde_json::from_value(json) {
            Ok(r) => r,
            Err(e) => {
                self.property = "override".to_owned();
                self.error(format!("the overrides leave an invalid resource: {e}"));
                resource
            }
        }
    }

    fn at<T>(&mut self, property: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.property, property.to_owned());
        let out = f(self);
        self.property = saved;
        out
    }

    fn error(&mut self, rule: String) {
        let property = (!self.property.is_empty()).then_some(self.property.as_str());
        self.errors
            .push(Violation::new(self.tree.path(self.node), property, rule));
    }

    /// Checks a reference and finds its logical ID and stack. `attribute`
    /// is set for GetAtt.
    fn target(
        &mut self,
        r: ElementRef,
        allow_parameter: bool,
        attribute: Option<&str>,
    ) -> Option<(&'a str, usize)> {
        let what = if attribute.is_some() {
            "Fn::GetAtt"
        } else if allow_parameter {
            "Ref"
        } else {
            "DependsOn"
        };
        if r.app != self.prepared.app {
            self.error(format!("{what} points to a construct of another App (a dangling reference); create it in this app"));
            return None;
        }
        let node = NodeId(r.node);
        let Some(target) = self.tree.nodes.get(node.index()) else {
            self.error(format!(
                "{what} points to a construct that does not exist (a dangling reference)"
            ));
            return None;
        };
        let kind = target.kind.element_kind();
        match (&target.kind, attribute) {
            (Kind::Resource(res), Some(attr)) => {
                if self.validation {
                    let type_name = &res.resource.type_name;
                    let rule = self
                        .validators
                        .iter()
                        .find_map(|v| v.check_attribute(type_name, attr));
                    if let Some(rule) = rule {
                        self.error(format!("Fn::GetAtt on {}: {rule}", self.tree.path(node)));
                        return None;
                    }
                }
            }
            (Kind::Resource(_), None) => {}
            (Kind::Parameter(_), None) if allow_parameter => {}
            (_, _) if kind.is_none() => {
                self.error(format!(
                    "{what} points to a construct that is not a resource"
                ));
                return None;
            }
            (_, _) => {
                self.error(format!(
                    "{what} points to {} {}, which is not a resource{}",
                    kind.unwrap_or("construct"),
                    self.tree.path(node),
                    if allow_parameter && attribute.is_none() {
                        " or parameter"
                    } else {
                        ""
                    }
                ));
                return None;
            }
        }
        // Detached (duplicate id) or id-less elements were reported already.
        let prepared: &'a Prepared = self.prepared;
        prepared.locate(r)
    }

    /// The logical ID of a condition or mapping of the current stack.
    fn local_of_kind(&mut self, r: ElementRef, what: &str, kind: &str) -> Option<String> {
        let found = self
            .prepared
            .locate(r)
            .filter(|&(_, stack)| stack == self.stack);
        let is_kind = self
            .tree
            .nodes
            .get(r.node as usize)
            .and_then(|n| n.kind.element_kind())
            == Some(kind);
        match found {
            Some((id, _)) if is_kind && r.app == self.prepared.app => Some(id.to_owned()),
            _ => {
                self.error(format!("{what} must name a {kind} of the same stack"));
                None
            }
        }
    }

    /// `{"Ref": id}`, `{"Fn::GetAtt": [id, a]}`, or the import of another stack's export.
    fn reference(&mut self, r: ElementRef, attribute: Option<&str>) -> Value {
        let Some((id, stack)) = self.target(r, true, attribute) else {
            return Value::Null;
        };
        if stack != self.stack {
            return json!({ "Fn::ImportValue": self.export_name(r, attribute) });
        }
        match attribute {
            None => json!({ "Ref": id }),
            Some(a) => json!({ "Fn::GetAtt": [id, a] }),
        }
    }

    fn export_name(&self, r: ElementRef, attribute: Option<&str>) -> String {
        self.prepared
            .export_names
            .get(&(r, attribute.map(str::to_owned)))
            .cloned()
            .unwrap_or_default()
    }

    fn values(&mut self, items: &[Expr]) -> Value {
        Value::Array(items.iter().map(|e| self.value(e)).collect())
    }

    fn map(&mut self, entries: &ExprMap) -> Value {
        Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.to_owned(), self.value(v)))
                .collect(),
        )
    }

    /// The template JSON of `e`.
    fn value(&mut self, e: &Expr) -> Value {
        let one = |key: &str, v: Value| Value::Object(Map::from_iter([(key.to_owned(), v)]));
        match e {
            Expr::Null => Value::Null,
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Number(n) => Value::Number(n.clone()),
            Expr::Str(s) => Value::String(s.to_string()),
            Expr::Json(v) => (**v).clone(),
            Expr::List(items) => self.values(items),
            Expr::Map(m) => self.map(m),
            Expr::Ref(r) => self.reference(*r, None),
            Expr::GetAtt(r, a) => self.reference(*r, Some(a)),
            Expr::Pseudo(p) => one("Ref", p.name().into()),
            Expr::Join { separator, parts } => {
                one("Fn::Join", json!([separator, self.values(parts)]))
            }
            Expr::Sub(sub) => self.sub(sub),
            Expr::Select { index, list } => one("Fn::Select", json!([index, self.value(list)])),
            Expr::Split { separator, source } => {
                one("Fn::Split", json!([separator, self.value(source)]))
            }
            Expr::If {
                condition,
                then,
                otherwise,
            } => {
                let name = self
                    .local_of_kind(*condition, "Fn::If", "condition")
                    .unwrap_or_default();
                one(
                    "Fn::If",
                    json!([name, self.value(then), self.value(otherwise)]),
                )
            }
            Expr::ImportValue(name) => one("Fn::ImportValue", self.value(name)),
            Expr::GetAzs(region) => one("Fn::GetAZs", self.value(region)),
            Expr::Base64(v) => one("Fn::Base64", self.value(v)),
            Expr::FindInMap {
                mapping,
                top,
                second,
            } => {
                let name = self
                    .local_of_kind(*mapping, "Fn::FindInMap", "mapping")
                    .unwrap_or_default();
                one(
                    "Fn::FindInMap",
                    json!([name, self.value(top), self.value(second)]),
                )
            }
            Expr::Equals(a, b) => one("Fn::Equals", json!([self.value(a), self.value(b)])),
            Expr::And(items) => one("Fn::And", self.values(items)),
            Expr::Or(items) => one("Fn::Or", self.values(items)),
            Expr::Not(c) => one("Fn::Not", json!([self.value(c)])),
            Expr::Condition(c) => {
                let name = self
                    .local_of_kind(*c, "Condition", "condition")
                    .unwrap_or_default();
                one("Condition", name.into())
            }
        }
    }

    /// `Fn::Sub`: references become `${LogicalId}` / `${LogicalId.Attr}`;
    /// another stack's value cannot be named in the text, so it is passed as
    /// a variable holding its import (imports first, then the explicit
    /// variables, a later one replacing an earlier one of the same name).
    fn sub(&mut self, sub: &Sub) -> Value {
        let mut text = String::new();
        let mut variables: Map<String, Value> = Map::new();
        for part in &sub.parts {
            let (r, attribute) = match part {
                SubPart::Text(t) => {
                    text.push_str(t);
                    continue;
                }
                SubPart::Pseudo(p) => {
                    text.push_str(&format!("${{{}}}", p.name()));
                    continue;
                }
                SubPart::Ref(r) => (*r, None),
                SubPart::GetAtt(r, a) => (*r, Some(a.as_str())),
            };
            let Some((id, stack)) = self.target(r, true, attribute) else {
                continue;
            };
            if stack == self.stack {
                text.push_str("${");
                text.push_str(id);
                if let Some(a) = attribute {
                    text.push('.');
                    text.push_str(a);
                }
                text.push('}');
            } else {
                let mut var = id.to_owned();
                if let Some(a) = attribute {
                    var.extend(a.chars().filter(char::is_ascii_alphanumeric));
                }
                text.push_str(&format!("${{{var}}}"));
                let import = json!({ "Fn::ImportValue": self.export_name(r, attribute) });
                variables.insert(var, import);
            }
        }
        for (name, value) in &sub.variables {
            let value = self.value(value);
            variables.insert(name.clone(), value);
        }
        if variables.is_empty() {
            json!({ "Fn::Sub": text })
        } else {
            json!({ "Fn::Sub": [text, variables] })
        }
    }
}

/// `A.B\.C` -> `["A", "B.C"]`.
fn split_override_path(path: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    parts.last_mut().expect("never empty").push(next);
                }
            }
            '.' => parts.push(String::new()),
            c => parts.last_mut().expect("never empty").push(c),
        }
    }
    parts
}

/// Sets (or, with `None`, removes) the value at `path` in `json`, creating
/// objects on the way, as the CDK's overrides do.
fn set_path(json: &mut Value, path: &[String], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = json;
    for key in parents {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let map = at.as_object_mut().expect("made an object above");
        at = map
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !at.is_object() {
        *at = Value::Object(Map::new());
    }
    let map = at.as_object_mut().expect("made an object above");
    match value {
        Some(v) => {
            map.insert(last.clone(), v);
        }
        None => {
            map.remove(last);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_paths() {
        assert_eq!(
            split_override_path("Properties.A\\.B.C"),
            ["Properties", "A.B", "C"]
        );
        let mut v = json!({"Type": "X", "Properties": {"A": 1}});
        set_path(
            &mut v,
            &split_override_path("Properties.B.C"),
            Some(json!(2)),
        );
        set_path(&mut v, &split_override_path("Properties.A"), None);
        assert_eq!(v, json!({"Type": "X", "Properties": {"B": {"C": 2}}}));
    }
}
