//! A resource schema compiled for the walker in `validate.rs`.
//!
//! The vendored schemas are `serde_json::Value`s; reading a keyword from one
//! is a string-keyed map lookup, and the walker reads some twenty keywords
//! at every schema node it visits. So each type's schema is compiled once
//! (lazily, see `store.rs`) into an arena of [`SchemaNode`]s: keywords become
//! fields, `$ref`s node indices, `type` a bit mask, `properties` a sorted
//! slice, patterns handles to the compiled regex. Only what the walker
//! reads is compiled, with the walker's reading of malformed keywords
//! (a keyword of the wrong JSON type is ignored, exactly as before).
//!
//! Nodes borrow from the parsed schema (`'static`: it lives in the store's
//! cache) for names, `enum` values and the text of messages.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::patterns::Pattern;

/// An index into [`Compiled::nodes`].
pub(crate) type NodeId = u32;

/// The node of a schema that is not an object (`true`, `5`, ...): the
/// walker checks nothing against it.
pub(crate) const NOOP: NodeId = 0;

/// Bits of a `type` mask.
pub(crate) mod ty {
    pub(crate) const OBJECT: u8 = 1;
    pub(crate) const ARRAY: u8 = 1 << 1;
    pub(crate) const NULL: u8 = 1 << 2;
    pub(crate) const STRING: u8 = 1 << 3;
    pub(crate) const NUMBER: u8 = 1 << 4;
    pub(crate) const INTEGER: u8 = 1 << 5;
    pub(crate) const BOOLEAN: u8 = 1 << 6;

    /// The bit of a JSON Schema type name (0 for an unknown name).
    pub(crate) fn bit(name: &str) -> u8 {
        match name {
            "object" => OBJECT,
            "array" => ARRAY,
            "null" => NULL,
            "string" => STRING,
            "number" => NUMBER,
            "integer" => INTEGER,
            "boolean" => BOOLEAN,
            _ => 0,
        }
    }
}

/// A compiled resource schema.
pub(crate) struct Compiled {
    /// `nodes[NOOP]` is the empty node; `nodes[root]` the schema itself.
    pub(crate) nodes: Vec<SchemaNode>,
    pub(crate) root: NodeId,
    /// The top-level `readOnlyProperties` (`/properties/<name>`), as names.
    pub(crate) read_only: Vec<&'static str>,
    /// `tagging.taggable` is `true`.
    pub(crate) taggable: bool,
}

/// What `additionalProperties` says.
#[derive(Default, Clone, Copy)]
pub(crate) enum Additional {
    /// Absent, `true` or malformed: extra properties are not checked.
    #[default]
    Allowed,
    /// `false`.
    Forbidden,
    /// A schema for the extra properties.
    Schema(NodeId),
}

/// One entry of `dependencies` / `dependentRequired`.
pub(crate) enum Dependency {
    /// The properties that must be present too.
    Names(Vec<&'static str>),
    /// A schema the whole object must then satisfy.
    Schema(NodeId),
}

/// The numeric bounds of a node (`minimum`, ..., `multipleOf`).
#[derive(Default)]
pub(crate) struct Bounds {
    pub(crate) minimum: Option<f64>,
    pub(crate) maximum: Option<f64>,
    pub(crate) exclusive_minimum: Option<f64>,
    pub(crate) exclusive_maximum: Option<f64>,
    pub(crate) multiple_of: Option<f64>,
}

/// `if` / `then` / `else`.
pub(crate) struct Conditional {
    pub(crate) cond: NodeId,
    pub(crate) then: Option<NodeId>,
    pub(crate) otherwise: Option<NodeId>,
}

/// One schema object, its keywords as the walker reads them.
#[derive(Default)]
pub(crate) struct SchemaNode {
    /// A `$ref` that resolved (to [`NOOP`] if its target is not an object).
    pub(crate) reference: Option<NodeId>,
    /// `type`, as a mask of accepted types; `None` when there is no `type`
    /// or it accepts anything (an unknown type name, a malformed `type`).
    pub(crate) types: Option<u8>,
    /// `type` as written, for messages.
    pub(crate) type_json: Option<&'static Value>,
    /// The type names `type` lists (as a mask of the known ones), for the
    /// result of an intrinsic function; `None` when it lists none.
    pub(crate) intrinsic_types: Option<u8>,
    pub(crate) enum_values: Option<&'static Vec<Value>>,
    /// `enumCaseInsensitive` as written, and with its strings lowercased.
    pub(crate) enum_case_insensitive: Option<(&'static Vec<Value>, Vec<Value>)>,
    pub(crate) constant: Option<&'static Value>,

    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) pattern: Option<Pattern>,
    pub(crate) bounds: Option<Box<Bounds>>,

    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) unique_items: bool,
    /// `uniqueKeys`, when it names at least one key.
    pub(crate) unique_keys: Option<Vec<&'static str>>,
    pub(crate) prefix_items: Option<Vec<NodeId>>,
    pub(crate) items: Option<NodeId>,

    /// `properties`, sorted by [`by_length`].
    pub(crate) properties: Vec<(&'static str, NodeId)>,
    /// `properties` as written (`Some` when it is an object), for messages.
    pub(crate) properties_json: Option<&'static Map<String, Value>>,
    pub(crate) pattern_properties: Vec<(Pattern, NodeId)>,
    /// `patternProperties` as written, for messages.
    pub(crate) pattern_properties_json: Option<&'static Map<String, Value>>,
    pub(crate) additional: Additional,
    pub(crate) required: Vec<&'static str>,
    pub(crate) min_properties: Option<u64>,
    pub(crate) max_properties: Option<u64>,
    /// `dependencies` then `dependentRequired`, in schema order.
    pub(crate) dependencies: Vec<(&'static str, Dependency)>,
    pub(crate) dependent_excluded: Vec<(&'static str, Vec<&'static str>)>,
    pub(crate) required_xor: Option<Vec<&'static str>>,
    pub(crate) required_or: Option<Vec<&'static str>>,

    pub(crate) all_of: Vec<NodeId>,
    pub(crate) any_of: Vec<NodeId>,
    pub(crate) one_of: Option<Vec<NodeId>>,
    pub(crate) not: Option<NodeId>,
    pub(crate) conditional: Option<Conditional>,
}

impl SchemaNode {
    /// The schema of property `name`, from `properties`.
    pub(crate) fn property(&self, name: &str) -> Option<NodeId> {
        let p = &self.properties;
        // Sorted by length first: most comparisons are of two integers.
        p.binary_search_by(|(k, _)| by_length(k, name))
            .ok()
            .map(|i| p[i].1)
    }

    /// Whether the walker has anything to check on the entries of an
    /// object.
    pub(crate) fn checks_entries(&self) -> bool {
        self.properties_json.is_some()
            || !self.pattern_properties.is_empty()
            || !matches!(self.additional, Additional::Allowed)
    }
}

/// Names by length, then bytes.
fn by_length(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The mask of the types a `type` keyword accepts; `None` when it accepts
/// anything: an unknown type name, an array item that is not a string, or a
/// `type` that is neither a string nor an array.
pub(crate) fn type_mask(t: &Value) -> Option<u8> {
    match t {
        Value::String(name) => Some(ty::bit(name)).filter(|b| *b != 0),
        Value::Array(names) => {
            names
                .iter()
                .try_fold(0u8, |mask, x| match x.as_str().map(ty::bit) {
                    Some(b) if b != 0 => Some(mask | b),
                    _ => None,
                })
        }
        _ => None,
    }
}

/// Compile the schema `root` (a whole resource schema: `$ref`s are resolved
/// in it).
pub(crate) fn compile(root: &'static Value) -> Compiled {
    let mut b = Builder {
        root,
        nodes: vec![SchemaNode::default()],
        seen: HashMap::new(),
    };
    let root_id = b.node(root);
    let read_only = root
        .get("readOnlyProperties")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(|p| p.strip_prefix("/properties/"))
        .filter(|name| !name.contains('/'))
        .collect();
    Compiled {
        nodes: b.nodes,
        root: root_id,
        read_only,
        taggable: root.pointer("/tagging/taggable") == Some(&Value::Bool(true)),
    }
}

struct Builder {
    root: &'static Value,
    nodes: Vec<SchemaNode>,
    /// Node of each schema object compiled so far, by address: shared
    /// definitions are compiled once, and `$ref` cycles terminate.
    seen: HashMap<usize, NodeId>,
}

fn strings(v: &'static Value) -> Vec<&'static str> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The keywords of one schema object that the walker reads, found with one
/// pass over the object (instead of one hashed lookup per keyword).
struct Keywords([Option<&'static Value>; KEYWORD_COUNT]);

const KEYWORD_COUNT: usize = 37;

/// The slot of a keyword the walker reads.
fn keyword_slot(name: &str) -> Option<usize> {
    Some(match name {
        "$ref" => 0,
        "type" => 1,
        "enum" => 2,
        "enumCaseInsensitive" => 3,
        "const" => 4,
        "minLength" => 5,
        "maxLength" => 6,
        "pattern" => 7,
        "minimum" => 8,
        "maximum" => 9,
        "exclusiveMinimum" => 10,
        "exclusiveMaximum" => 11,
        "multipleOf" => 12,
        "minItems" => 13,
        "maxItems" => 14,
        "uniqueItems" => 15,
        "uniqueKeys" => 16,
        "prefixItems" => 17,
        "items" => 18,
        "properties" => 19,
        "patternProperties" => 20,
        "additionalProperties" => 21,
        "required" => 22,
        "minProperties" => 23,
        "maxProperties" => 24,
        "dependencies" => 25,
        "dependentRequired" => 26,
        "dependentExcluded" => 27,
        "requiredXor" => 28,
        "requiredOr" => 29,
        "allOf" => 30,
        "anyOf" => 31,
        "oneOf" => 32,
        "not" => 33,
        "if" => 34,
        "then" => 35,
        "else" => 36,
        _ => return None,
    })
}

impl Keywords {
    fn of(s: &'static Map<String, Value>) -> Self {
        let mut found = [None; KEYWORD_COUNT];
        for (k, v) in s {
            if let Some(i) = keyword_slot(k) {
                found[i] = Some(v);
            }
        }
        Keywords(found)
    }

    /// As `Map::get`, for a keyword of [`keyword_slot`].
    fn get(&self, name: &str) -> Option<&'static Value> {
        keyword_slot(name).and_then(|i| self.0[i])
    }
}

impl Builder {
    fn node(&mut self, v: &'static Value) -> NodeId {
        let Some(map) = v.as_object() else {
            return NOOP;
        };
        let address = v as *const Value as usize;
        if let Some(&id) = self.seen.get(&address) {
            return id;
        }
        let id = NodeId::try_from(self.nodes.len()).expect("schema too large");
        self.nodes.push(SchemaNode::default());
        self.seen.insert(address, id);
        let node = self.build(map);
        self.nodes[id as usize] = node;
        id
    }

    fn nodes_of(&mut self, v: Option<&'static Value>) -> Option<Vec<NodeId>> {
        match v {
            Some(Value::Array(a)) => Some(a.iter().map(|x| self.node(x)).collect()),
            _ => None,
        }
    }

    fn build(&mut self, s: &'static Map<String, Value>) -> SchemaNode {
        let s = Keywords::of(s);
        let mut n = SchemaNode::default();
        if let Some(Value::String(r)) = s.get("$ref") {
            if let Some(target) = r.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                n.reference = Some(self.node(target));
            }
        }
        if let Some(t) = s.get("type") {
            n.type_json = Some(t);
            n.types = type_mask(t);
            let listed: Vec<&str> = match t {
                Value::String(x) => vec![x.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !listed.is_empty() {
                n.intrinsic_types = Some(listed.iter().fold(0, |m, x| m | ty::bit(x)));
            }
        }
        if let Some(Value::Array(a)) = s.get("enum") {
            n.enum_values = Some(a);
        }
        if let Some(Value::Array(a)) = s.get("enumCaseInsensitive") {
            let lower = |v: &Value| match v {
                Value::String(x) => Value::String(x.to_lowercase()),
                other => other.clone(),
            };
            n.enum_case_insensitive = Some((a, a.iter().map(lower).collect()));
        }
        n.constant = s.get("const");

        let uint = |k: &str| s.get(k).and_then(Value::as_u64);
        let float = |k: &str| s.get(k).and_then(Value::as_f64);
        n.min_length = uint("minLength");
        n.max_length = uint("maxLength");
        if let Some(Value::String(p)) = s.get("pattern") {
            n.pattern = Some(Pattern::new(p));
        }
        let bounds = Bounds {
            minimum: float("minimum"),
            maximum: float("maximum"),
            exclusive_minimum: float("exclusiveMinimum"),
            exclusive_maximum: float("exclusiveMaximum"),
            multiple_of: float("multipleOf"),
        };
        if bounds.minimum.is_some()
            || bounds.maximum.is_some()
            || bounds.exclusive_minimum.is_some()
            || bounds.exclusive_maximum.is_some()
            || bounds.multiple_of.is_some()
        {
            n.bounds = Some(Box::new(bounds));
        }

        n.min_items = uint("minItems");
        n.max_items = uint("maxItems");
        n.unique_items = s.get("uniqueItems") == Some(&Value::Bool(true));
        if let Some(keys @ Value::Array(_)) = s.get("uniqueKeys") {
            let keys = strings(keys);
            if !keys.is_empty() {
                n.unique_keys = Some(keys);
            }
        }
        n.prefix_items = self.nodes_of(s.get("prefixItems"));
        if let Some(items @ Value::Object(_)) = s.get("items") {
            n.items = Some(self.node(items));
        }

        if let Some(Value::Object(props)) = s.get("properties") {
            n.properties_json = Some(props);
            let mut list: Vec<(&'static str, NodeId)> = props
                .iter()
                .map(|(k, v)| (k.as_str(), self.node(v)))
                .collect();
            list.sort_by(|a, b| by_length(a.0, b.0));
            n.properties = list;
        }
        if let Some(Value::Object(pp)) = s.get("patternProperties") {
            n.pattern_properties_json = Some(pp);
            n.pattern_properties = pp
                .iter()
                .map(|(k, v)| (Pattern::new(k), self.node(v)))
                .collect();
        }
        n.additional = match s.get("additionalProperties") {
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(sub @ Value::Object(_)) => Additional::Schema(self.node(sub)),
            _ => Additional::Allowed,
        };
        if let Some(req @ Value::Array(_)) = s.get("required") {
            n.required = strings(req);
        }
        n.min_properties = uint("minProperties");
        n.max_properties = uint("maxProperties");
        for key in ["dependencies", "dependentRequired"] {
            let Some(Value::Object(deps)) = s.get(key) else {
                continue;
            };
            for (k, dep) in deps {
                let dep = match dep {
                    Value::Array(_) => Dependency::Names(strings(dep)),
                    Value::Object(_) => Dependency::Schema(self.node(dep)),
                    _ => continue,
                };
                n.dependencies.push((k, dep));
            }
        }
        if let Some(Value::Object(deps)) = s.get("dependentExcluded") {
            n.dependent_excluded = deps.iter().map(|(k, v)| (k.as_str(), strings(v))).collect();
        }
        if let Some(xor @ Value::Array(_)) = s.get("requiredXor") {
            n.required_xor = Some(strings(xor));
        }
        if let Some(or @ Value::Array(_)) = s.get("requiredOr") {
            n.required_or = Some(strings(or));
        }

        n.all_of = self.nodes_of(s.get("allOf")).unwrap_or_default();
        n.any_of = self.nodes_of(s.get("anyOf")).unwrap_or_default();
        n.one_of = self.nodes_of(s.get("oneOf"));
        if let Some(not @ Value::Object(_)) = s.get("not") {
            n.not = Some(self.node(not));
        }
        if let Some(cond) = s.get("if") {
            n.conditional = Some(Conditional {
                cond: self.node(cond),
                then: s.get("then").map(|t| self.node(t)),
                otherwise: s.get("else").map(|e| self.node(e)),
            });
        }
        n
    }
}
