//! The Rust types of one resource type, resolved from its schema: the code
//! model the emitter prints.

use crate::doc::doc_text;
use crate::naming::{camel, pascal, snake, type_name_of};
use indexmap::IndexMap;
use serde_json::{Map, Value as J};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The type of a property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `String`, `i64`, `f64` or `bool`.
    Prim(&'static str),
    /// Free-form JSON or a schema without a Rust shape: `Expr`.
    Json,
    /// A generated enum of the resource's module.
    Enum(String),
    /// A generated struct of the resource's module.
    Struct(String),
    List(Box<Ty>),
    Map(Box<Ty>),
}

/// One field of a generated struct.
#[derive(Clone, Debug)]
pub struct Field {
    /// The CloudFormation name.
    pub prop: String,
    /// The Rust name.
    pub field: String,
    pub ty: Ty,
    pub required: bool,
    pub doc: String,
}

#[derive(Debug)]
pub enum ItemKind {
    Struct(Vec<Field>),
    /// (variant, CloudFormation value)
    Enum(Vec<(String, String)>),
}

/// A generated struct or enum.
#[derive(Debug)]
pub struct Item {
    pub doc: String,
    pub kind: ItemKind,
}

/// Counts of the schema constructs without a direct Rust shape (`--report`).
#[derive(Default)]
pub struct Stats(pub BTreeMap<String, usize>);

impl Stats {
    pub fn add(&mut self, key: &str, n: usize) {
        *self.0.entry(key.to_owned()).or_default() += n;
    }
    pub fn stat(&mut self, key: &str) {
        self.add(key, 1);
    }
}

/// Python's truthiness of a JSON value (for `x or []`).
fn truthy(v: &J) -> bool {
    match v {
        J::Null => false,
        J::Bool(b) => *b,
        J::Number(n) => n.as_f64() != Some(0.0),
        J::String(s) => !s.is_empty(),
        J::Array(a) => !a.is_empty(),
        J::Object(o) => !o.is_empty(),
    }
}

/// A schema's JSON without documentation keys, keys sorted: equal for
/// schemas of the same shape.
fn canonical(v: &J) -> String {
    fn write(v: &J, out: &mut String) {
        match v {
            J::Object(o) => {
                let sorted: BTreeMap<&String, &J> = o
                    .iter()
                    .filter(|(k, _)| {
                        !matches!(
                            k.as_str(),
                            "description" | "title" | "$comment" | "markdownDescription"
                        )
                    })
                    .collect();
                out.push('{');
                for (k, v) in sorted {
                    out.push_str(&J::String(k.clone()).to_string());
                    out.push(':');
                    write(v, out);
                    out.push(',');
                }
                out.push('}');
            }
            J::Array(a) => {
                out.push('[');
                for v in a {
                    write(v, out);
                    out.push(',');
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn obj(v: &J) -> Option<&Map<String, J>> {
    v.as_object()
}

/// The properties of a struct: (name, schema) in schema order.
type Props<'a> = Vec<(&'a str, &'a J)>;

/// The types of one resource type, resolved from its schema.
pub struct Resource<'a> {
    pub type_name: &'a str,
    pub schema: &'a J,
    defs: Option<&'a Map<String, J>>,
    /// Generated structs and enums, in the order they were named.
    pub items: IndexMap<String, Item>,
    taken: HashSet<String>,
    def_names: HashMap<String, String>,
    /// None while the definition is being resolved.
    def_types: HashMap<String, Option<Ty>>,
    pending: HashMap<String, String>,
    /// Inline schemas identical to a definition reuse its type.
    canonical: HashMap<String, String>,
    pub stats: &'a mut Stats,
}

impl<'a> Resource<'a> {
    pub fn new(type_name: &'a str, schema: &'a J, stats: &'a mut Stats) -> Self {
        let defs = schema.get("definitions").and_then(obj);
        let mut r = Resource {
            type_name,
            schema,
            defs,
            items: IndexMap::new(),
            taken: HashSet::new(),
            def_names: HashMap::new(),
            def_types: HashMap::new(),
            pending: HashMap::new(),
            canonical: HashMap::new(),
            stats,
        };
        for (d, ds) in defs.into_iter().flatten() {
            if ds.get("properties").is_some() || ds.get("enum").is_some() {
                r.canonical
                    .entry(canonical(ds))
                    .or_insert_with(|| d.clone());
            }
        }
        for d in defs.into_iter().flat_map(|m| m.keys()) {
            let mut n = type_name_of(d);
            while r.taken.contains(&n) {
                n += "Def";
            }
            r.taken.insert(n.clone());
            r.def_names.insert(d.clone(), n);
        }
        r
    }

    fn unique(&mut self, candidates: &[String]) -> String {
        for c in candidates {
            if self.taken.insert(c.clone()) {
                return c.clone();
            }
        }
        let base = candidates.last().expect("candidates");
        let mut i = 2;
        while self.taken.contains(&format!("{base}{i}")) {
            i += 1;
        }
        let name = format!("{base}{i}");
        self.taken.insert(name.clone());
        name
    }

    /// A local JSON pointer (`#/definitions/X/properties/Y`).
    pub fn pointer(&self, r: &str) -> Option<&'a J> {
        let path = r.strip_prefix("#/")?;
        let mut node = self.schema;
        for part in path.split('/') {
            let part = part.replace("~1", "/").replace("~0", "~");
            node = node.as_object()?.get(&part)?;
        }
        Some(node)
    }

    fn resolve_ref(&mut self, r: &str) -> Ty {
        if let Some(d) = r.strip_prefix("#/definitions/") {
            if r.matches('/').count() == 2 {
                let Some(ds) = self.defs.and_then(|m| m.get(d)) else {
                    self.stats
                        .stat("fallback: $ref to a missing definition -> Expr");
                    return Ty::Json;
                };
                if let Some(t) = self.def_types.get(d) {
                    return match t {
                        Some(t) => t.clone(),
                        None => {
                            // A definition that is only an alias of itself
                            // through combinators; rare, fall back.
                            self.stats
                                .stat("fallback: self-referential alias definition -> Expr");
                            Ty::Json
                        }
                    };
                }
                self.def_types.insert(d.to_owned(), None);
                let name = self.def_names[d].clone();
                self.pending.insert(name.clone(), d.to_owned());
                let t = self.resolve(ds, &name, Some(&name));
                self.def_types.insert(d.to_owned(), Some(t.clone()));
                return t;
            }
        }
        let Some(target) = self.pointer(r) else {
            self.stats.stat("fallback: unresolvable $ref -> Expr");
            return Ty::Json;
        };
        self.stats
            .stat("note: $ref to a non-definition pointer (resolved)");
        let last = r.rsplit('/').next().unwrap_or(r);
        self.resolve(target, &type_name_of(last), None)
    }

    /// Follows `$ref`s (at most 20).
    pub fn deref(&self, s: Option<&'a J>) -> Option<&'a J> {
        let mut s = s?;
        let mut depth = 0;
        while let Some(r) = s.get("$ref") {
            if depth >= 20 || !s.is_object() {
                break;
            }
            s = self.pointer(r.as_str().unwrap_or(""))?;
            depth += 1;
        }
        Some(s)
    }

    /// The type of schema `s`. `hint` names a generated struct or enum;
    /// `named` is set for definitions (whose name is reserved already).
    pub fn resolve(&mut self, s: &'a J, hint: &str, named: Option<&str>) -> Ty {
        let Some(o) = obj(s).filter(|o| !o.is_empty()) else {
            self.stats
                .stat("fallback: empty or non-object schema -> Expr");
            return Ty::Json;
        };
        if let Some(r) = o.get("$ref") {
            return self.resolve_ref(r.as_str().unwrap_or(""));
        }
        if named.is_none() && (o.contains_key("properties") || o.contains_key("enum")) {
            if let Some(d) = self.canonical.get(&canonical(s)).cloned() {
                self.stats
                    .stat("note: inline schema identical to a definition (reuses its type)");
                return self.resolve_ref(&format!("#/definitions/{d}"));
            }
        }
        let mut t: Option<&str> = match o.get("type") {
            Some(J::Array(ts)) => {
                let ts: Vec<&J> = ts.iter().filter(|x| x.as_str() != Some("null")).collect();
                if ts.len() == 1 {
                    ts[0].as_str()
                } else {
                    self.stats
                        .stat("fallback: `type` array of several types -> Expr");
                    return Ty::Json;
                }
            }
            Some(J::Null) | None => None,
            Some(J::String(t)) => Some(t),
            Some(_) => Some("?"),
        };
        let all_str = |v: &J| v.as_array().is_some_and(|a| a.iter().all(J::is_string));
        if t.is_none() {
            if o.contains_key("properties")
                || o.contains_key("patternProperties")
                || o.get("additionalProperties").is_some_and(J::is_object)
            {
                t = Some("object");
            } else if o.contains_key("items") {
                t = Some("array");
            } else if o.get("enum").is_some_and(all_str) {
                t = Some("string");
            } else if ["oneOf", "anyOf", "allOf"]
                .iter()
                .any(|k| o.contains_key(*k))
            {
                return self.combinator(s, hint, named);
            } else if ["pattern", "minLength", "maxLength", "format"]
                .iter()
                .any(|k| o.contains_key(*k))
            {
                self.stats
                    .stat("note: untyped schema with string keywords -> String");
                t = Some("string");
            } else {
                self.stats.stat("fallback: schema without a type -> Expr");
                return Ty::Json;
            }
        }
        match t.unwrap_or_default() {
            "string" => {
                if let Some(J::Array(vals)) = o.get("enum") {
                    if !vals.is_empty() && vals.iter().all(J::is_string) {
                        let vals: Vec<&str> = vals.iter().filter_map(J::as_str).collect();
                        return self.make_enum(s, hint, named, &vals);
                    }
                }
                Ty::Prim("String")
            }
            t @ ("integer" | "number" | "boolean") => {
                if o.contains_key("enum") {
                    self.stats.stat(&format!("note: enum of {t} values -> {t}"));
                }
                Ty::Prim(match t {
                    "integer" => "i64",
                    "number" => "f64",
                    _ => "bool",
                })
            }
            "array" => match o.get("items") {
                Some(items @ J::Object(_)) => {
                    let h = if named.is_some() {
                        format!("{hint}Item")
                    } else {
                        hint.to_owned()
                    };
                    Ty::List(Box::new(self.resolve(items, &h, None)))
                }
                _ => {
                    self.stats
                        .stat("fallback: array without an item schema -> list of Expr");
                    Ty::List(Box::new(Ty::Json))
                }
            },
            "object" => {
                if let Some(props) = o.get("properties").and_then(obj).filter(|p| !p.is_empty()) {
                    let props: Props = props.iter().map(|(k, v)| (k.as_str(), v)).collect();
                    return self.make_struct(s, hint, named, props, false);
                }
                if let Some(branches) = self.branch_properties(s) {
                    self.stats.stat(
                        "note: object whose properties come from oneOf/anyOf branches (merged, all optional)",
                    );
                    return self.make_struct(s, hint, named, branches, true);
                }
                if let Some(pp) = o
                    .get("patternProperties")
                    .and_then(obj)
                    .filter(|p| !p.is_empty())
                {
                    let h = format!("{hint}Value");
                    let types: Vec<Ty> = pp.values().map(|v| self.resolve(v, &h, None)).collect();
                    if types.iter().all(|x| *x == types[0]) {
                        return Ty::Map(Box::new(types[0].clone()));
                    }
                    self.stats.stat(
                        "fallback: patternProperties with differing value types -> map of Expr",
                    );
                    return Ty::Map(Box::new(Ty::Json));
                }
                if let Some(ap) = o
                    .get("additionalProperties")
                    .filter(|a| a.as_object().is_some_and(|a| !a.is_empty()))
                {
                    return Ty::Map(Box::new(self.resolve(ap, &format!("{hint}Value"), None)));
                }
                self.stats.stat("note: free-form (json) object -> Expr");
                Ty::Json
            }
            _ => {
                let shown = match o.get("type") {
                    Some(J::String(t)) => format!("'{t}'"),
                    Some(other) => other.to_string(),
                    None => "None".into(),
                };
                self.stats
                    .stat(&format!("fallback: unknown type {shown} -> Expr"));
                Ty::Json
            }
        }
    }

    /// The schemas of `s[key]` for `allOf`/`oneOf`/`anyOf`; `Err` when the
    /// value is truthy but not a list (Python would iterate it and find no
    /// schemas there).
    fn branches(s: &'a J, key: &str) -> Result<Vec<&'a J>, ()> {
        match s.get(key) {
            Some(J::Array(a)) => Ok(a.iter().collect()),
            Some(v) if truthy(v) => Err(()),
            _ => Ok(Vec::new()),
        }
    }

    /// Properties of oneOf/anyOf/allOf branches that are objects, merged
    /// in order; None unless every non-constraint branch is an object.
    fn branch_properties(&self, s: &'a J) -> Option<Props<'a>> {
        let mut merged: IndexMap<&'a str, &'a J> = IndexMap::new();
        let mut found = false;
        for key in ["allOf", "oneOf", "anyOf"] {
            for b in Self::branches(s, key).ok()? {
                let b = self.deref(Some(b))?;
                let bo = b.as_object()?;
                if let Some(props) = bo.get("properties").and_then(obj).filter(|p| !p.is_empty()) {
                    found = true;
                    for (k, v) in props {
                        merged.entry(k.as_str()).or_insert(v);
                    }
                } else if bo.keys().any(|k| {
                    !matches!(
                        k.as_str(),
                        "required"
                            | "description"
                            | "title"
                            | "$comment"
                            | "not"
                            | "additionalProperties"
                            | "type"
                    )
                }) {
                    let inner = self.branch_properties(b)?;
                    found = found || !inner.is_empty();
                    for (k, v) in inner {
                        merged.entry(k).or_insert(v);
                    }
                }
            }
        }
        found.then(|| merged.into_iter().collect())
    }

    fn combinator(&mut self, s: &'a J, hint: &str, named: Option<&str>) -> Ty {
        let mut branches = Vec::new();
        for key in ["allOf", "oneOf", "anyOf"] {
            match Self::branches(s, key) {
                Ok(b) => branches.extend(b),
                Err(()) => {
                    // Not a list: no usable branch.
                }
            }
        }
        // allOf with one typed branch (the others are defaults or constraints).
        let typed: Vec<&'a J> = branches
            .iter()
            .copied()
            .filter(|b| {
                b.as_object().is_some_and(|o| {
                    o.contains_key("$ref") || o.contains_key("type") || o.contains_key("properties")
                })
            })
            .collect();
        if typed.len() == 1 {
            return self.resolve(typed[0], hint, named);
        }
        if let Some(props) = self.branch_properties(s).filter(|p| !p.is_empty()) {
            self.stats
                .stat("note: oneOf/anyOf/allOf of objects merged into one struct (all optional)");
            return self.make_struct(s, hint, named, props, true);
        }
        // Branches of the same type (e.g. an enum or a pattern) collapse.
        let mut kinds: HashSet<Option<&str>> = HashSet::new();
        for b in &branches {
            let kind = self
                .deref(Some(b))
                .and_then(|b| b.get("type"))
                .and_then(J::as_str)
                .filter(|t| *t != "object" && *t != "array");
            kinds.insert(kind);
        }
        if kinds.len() == 1 {
            if let Some(Some(k)) = kinds.into_iter().next() {
                self.stats
                    .stat("note: oneOf/anyOf of one scalar type -> that type");
                return Ty::Prim(match k {
                    "integer" => "i64",
                    "number" => "f64",
                    "boolean" => "bool",
                    _ => "String",
                });
            }
        }
        self.stats
            .stat("fallback: oneOf/anyOf of different types -> Expr");
        Ty::Json
    }

    fn make_enum(&mut self, s: &'a J, hint: &str, named: Option<&str>, vals: &[&str]) -> Ty {
        let name = match named {
            Some(n) => n.to_owned(),
            None => self.unique(&[hint.to_owned(), format!("{hint}Enum")]),
        };
        let mut values = Vec::new();
        let mut seen_values = HashSet::new();
        let mut seen_variants = HashSet::new();
        for &v in vals {
            if !seen_values.insert(v) {
                continue;
            }
            let base = if v.trim().is_empty() {
                "Empty".to_owned()
            } else {
                pascal(v)
            };
            let mut variant = base.clone();
            let mut i = 2;
            while seen_variants.contains(&variant) {
                variant = format!("{base}{i}");
                i += 1;
            }
            seen_variants.insert(variant.clone());
            values.push((variant, v.to_owned()));
        }
        let item = Item {
            doc: doc_text(s.get("description")),
            kind: ItemKind::Enum(values),
        };
        self.items.insert(name.clone(), item);
        Ty::Enum(name)
    }

    fn make_struct(
        &mut self,
        s: &'a J,
        hint: &str,
        named: Option<&str>,
        props: Props<'a>,
        merged: bool,
    ) -> Ty {
        let name = match named {
            Some(n) => n.to_owned(),
            None => self.unique(&[hint.to_owned(), format!("{hint}Property")]),
        };
        let item = Item {
            doc: doc_text(s.get("description")),
            kind: ItemKind::Struct(Vec::new()),
        };
        self.items.insert(name.clone(), item);
        if let Some(d) = named.and_then(|n| self.pending.remove(n)) {
            // Lets recursive definitions refer to the struct being built.
            self.def_types.insert(d, Some(Ty::Struct(name.clone())));
        }
        let required: HashSet<&str> = if merged {
            HashSet::new()
        } else {
            s.get("required")
                .and_then(J::as_array)
                .into_iter()
                .flatten()
                .filter_map(J::as_str)
                .collect()
        };
        let fields = self.fields(Some(&name), &props, &required, &HashSet::new());
        if fields.is_empty() {
            self.items.shift_remove(&name);
            self.stats.stat("note: object without properties -> Expr");
            return Ty::Json;
        }
        if let Some(item) = self.items.get_mut(&name) {
            item.kind = ItemKind::Struct(fields);
        }
        Ty::Struct(name)
    }

    /// The fields of a struct (or, with no owner, of the resource's props),
    /// sorted by CloudFormation name.
    pub fn fields(
        &mut self,
        owner: Option<&str>,
        props: &Props<'a>,
        required: &HashSet<&str>,
        skip: &HashSet<&str>,
    ) -> Vec<Field> {
        let mut sorted: Vec<(&'a str, &'a J)> = props.clone();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = Vec::new();
        let mut names = HashSet::new();
        for (prop, schema) in sorted {
            if skip.contains(prop) {
                continue;
            }
            let mut field = snake(prop);
            while names.contains(&field) {
                field.push('_');
            }
            names.insert(field.clone());
            let hint = match owner {
                None => type_name_of(prop),
                Some(o) => type_name_of(&format!("{o}{}", camel(prop))),
            };
            let ty = self.resolve(schema, &hint, None);
            let mut desc = schema.get("description").filter(|d| truthy(d));
            if desc.is_none() && schema.get("$ref").is_some() {
                desc = self.deref(Some(schema)).and_then(|t| t.get("description"));
            }
            out.push(Field {
                prop: prop.to_owned(),
                field,
                ty,
                required: required.contains(prop),
                doc: doc_text(desc),
            });
        }
        out
    }
}
