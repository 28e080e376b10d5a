//! Rust source for the resolved model. Lines are built here and formatted
//! by rustfmt afterwards (see `main.rs`).

use crate::doc::{doc_lines, doc_text};
use crate::model::{Field, Item, ItemKind, Resource, Stats, Ty};
use crate::naming::{camel, snake};
use serde_json::Value as J;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The generated modules allow these lints (see the crate README).
const LINT_ALLOWS: &[&str] = &[
    "clippy::too_many_arguments",
    "clippy::type_complexity",
    "clippy::enum_variant_names",
    "clippy::upper_case_acronyms",
];

fn rust_type(t: &Ty, prefix: &str, boxed: bool) -> String {
    match t {
        Ty::Prim(p) => format!("Value<{p}>"),
        Ty::Json => "Expr".to_owned(),
        Ty::Enum(n) | Ty::Struct(n) if boxed => format!("Value<Box<{prefix}{n}>>"),
        Ty::Enum(n) | Ty::Struct(n) => format!("Value<{prefix}{n}>"),
        Ty::List(inner) => format!("Value<Vec<{}>>", rust_type(inner, prefix, false)),
        Ty::Map(inner) => format!(
            "Value<IndexMap<String, {}>>",
            rust_type(inner, prefix, false)
        ),
    }
}

/// (struct, field) pairs to box: direct struct fields inside a cycle of
/// struct fields (Tarjan's strongly connected components).
fn boxed_edges(items: &indexmap::IndexMap<String, Item>) -> HashSet<(String, String)> {
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (n, it) in items {
        if let ItemKind::Struct(fields) = &it.kind {
            let mut edges: Vec<&str> = fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Ty::Struct(d) => Some(d.as_str()),
                    _ => None,
                })
                .collect();
            edges.sort_unstable();
            edges.dedup();
            graph.insert(n, edges);
        }
    }
    struct Tarjan<'g> {
        graph: &'g BTreeMap<&'g str, Vec<&'g str>>,
        index: HashMap<&'g str, usize>,
        low: HashMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on: HashSet<&'g str>,
        comp: HashMap<&'g str, &'g str>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on.insert(v);
            for &w in &self.graph[v] {
                if !self.graph.contains_key(w) {
                    continue;
                }
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if self.on.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                loop {
                    let w = self.stack.pop().expect("on the stack");
                    self.on.remove(w);
                    self.comp.insert(w, v);
                    if w == v {
                        break;
                    }
                }
            }
        }
    }
    let mut t = Tarjan {
        graph: &graph,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on: HashSet::new(),
        comp: HashMap::new(),
    };
    for &v in graph.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    let mut out = HashSet::new();
    for (n, it) in items {
        if let ItemKind::Struct(fields) = &it.kind {
            for f in fields {
                if let Ty::Struct(d) = &f.ty {
                    if t.comp
                        .get(d.as_str())
                        .is_some_and(|c| Some(c) == t.comp.get(n.as_str()))
                    {
                        out.insert((n.clone(), f.field.clone()));
                    }
                }
            }
        }
    }
    out
}

/// How a struct is constructed besides struct literals.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Construct {
    /// `new(required...)` (nested property types).
    New,
    /// A generated typestate builder (resource props): required properties
    /// are named and checked at compile time, and every setter takes
    /// `impl Into<T>` (see `emit_builder`).
    Builder,
}

/// The struct definition and its `new` constructor or builder.
fn emit_struct_body(
    name: &str,
    fields: &[Field],
    doc: &str,
    prefix: &str,
    boxed: &HashSet<(String, String)>,
    default_doc: &str,
    construct: Construct,
) -> Vec<String> {
    let is_boxed = |f: &Field| boxed.contains(&(name.to_owned(), f.field.clone()));
    let builder_doc = format!(
        "Build it with [`{name}::builder`]: one setter per property, taking anything that converts into the property's type; `build()` exists only once every required property is set."
    );
    let mut lines = doc_lines(
        "",
        &[
            if doc.is_empty() { default_doc } else { doc },
            if construct == Construct::Builder {
                &builder_doc
            } else {
                ""
            },
        ],
    );
    let has_required = fields.iter().any(|f| f.required);
    // No PartialEq: it costs about a fifth of the crate's compile time and
    // templates are compared as JSON.
    let derives = if has_required {
        "Clone, Debug"
    } else {
        "Clone, Debug, Default"
    };
    lines.push(format!("#[derive({derives})]"));
    lines.push(format!("pub struct {name} {{"));
    for f in fields {
        let ty = rust_type(&f.ty, prefix, is_boxed(f));
        let fallback = format!("The `{}` property.", f.prop);
        let fdoc = if f.doc.is_empty() { &fallback } else { &f.doc };
        lines.extend(doc_lines(
            "    ",
            &[fdoc, if f.required { "Required." } else { "" }],
        ));
        let ty = if f.required {
            ty
        } else {
            format!("Option<{ty}>")
        };
        lines.push(format!("    pub {}: {ty},", f.field));
    }
    lines.push("}".to_owned());
    if has_required && construct == Construct::New {
        let mut params = Vec::new();
        let mut inits = Vec::new();
        for f in fields {
            if f.required {
                let ty = rust_type(&f.ty, prefix, is_boxed(f));
                params.push(format!("{}: impl Into<{ty}>", f.field));
                inits.push(format!("{0}: {0}.into()", f.field));
            } else {
                inits.push(format!("{}: None", f.field));
            }
        }
        lines.push(format!("impl {name} {{"));
        lines
            .push("    /// A value with the required properties set and the others `None`.".into());
        lines.push(format!("    pub fn new({}) -> Self {{", params.join(", ")));
        lines.push(format!("        {name} {{ {} }}", inits.join(", ")));
        lines.push("    }".into());
        lines.push("}".into());
    }
    if construct == Construct::Builder {
        lines.extend(emit_builder(name, fields, prefix));
    }
    lines
}

/// `<Props>Builder`: a typestate builder. The builder has one type
/// parameter per required property, `()` until its setter is called and the
/// property's type after; each required setter exists only while its
/// parameter is `()`, and `build()` only for the type with every parameter
/// set. So a missing required property is a compile error, and nothing is
/// unwrapped at run time. Optional setters (and `maybe_*` for an `Option`)
/// keep the type.
fn emit_builder(name: &str, fields: &[Field], prefix: &str) -> Vec<String> {
    let builder = format!("{name}Builder");
    assert!(
        fields.iter().all(|f| f.field != "build"),
        "{name}: a property named `build` would clash with the builder's build()"
    );
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let params: Vec<String> = (0..required.len()).map(|i| format!("R{i}")).collect();
    let generics = |args: &[String]| {
        if args.is_empty() {
            String::new()
        } else {
            format!("<{}>", args.join(", "))
        }
    };
    let ty_of = |f: &Field| rust_type(&f.ty, prefix, false);
    let field_names: HashSet<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    let mut lines = Vec::new();
    // `builder()`
    let unset: Vec<String> = required.iter().map(|_| "()".to_owned()).collect();
    lines.push(format!("impl {name} {{"));
    lines.push(format!(
        "    /// A builder with no property set: see [`{builder}`]."
    ));
    lines.push(format!(
        "    pub fn builder() -> {builder}{} {{",
        generics(&unset)
    ));
    let inits: Vec<String> = fields
        .iter()
        .map(|f| format!("{}: {}", f.field, if f.required { "()" } else { "None" }))
        .collect();
    lines.push(format!("        {builder} {{ {} }}", inits.join(", ")));
    lines.push("    }".into());
    lines.push("}".into());
    // The struct.
    lines.push(format!(
        "/// Builder of [`{name}`], from [`{name}::builder`]: one setter per property, taking anything that converts into its type. `build()` exists once every required property is set."
    ));
    lines.push("#[must_use]".into());
    lines.push(format!("pub struct {builder}{} {{", generics(&params)));
    let mut r = 0;
    for f in fields {
        if f.required {
            lines.push(format!("    {}: R{r},", f.field));
            r += 1;
        } else {
            lines.push(format!("    {}: Option<{}>,", f.field, ty_of(f)));
        }
    }
    lines.push("}".into());
    // Optional setters, for any state.
    if required.len() < fields.len() {
        lines.push(format!("impl{0} {builder}{0} {{", generics(&params)));
        for f in fields.iter().filter(|f| !f.required) {
            let ty = ty_of(f);
            lines.push(format!("    /// Sets `{}`.", f.prop));
            lines.push(format!(
                "    pub fn {0}(mut self, value: impl Into<{ty}>) -> Self {{ self.{0} = Some(value.into()); self }}",
                f.field
            ));
            let maybe = format!("maybe_{}", f.field.trim_end_matches('_'));
            if !field_names.contains(maybe.as_str()) {
                lines.push(format!(
                    "    /// Sets `{}` when `value` is `Some`, leaves it out when `None`.",
                    f.prop
                ));
                lines.push(format!(
                    "    pub fn {maybe}(mut self, value: Option<impl Into<{ty}>>) -> Self {{ self.{} = value.map(Into::into); self }}",
                    f.field
                ));
            }
        }
        lines.push("}".into());
    }
    // Required setters: one impl per required property, its parameter `()`.
    for (i, f) in required.iter().enumerate() {
        let ty = ty_of(f);
        let others: Vec<String> = params
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| p.clone())
            .collect();
        let mut before = params.clone();
        before[i] = "()".into();
        let mut after = params.clone();
        after[i] = ty.clone();
        lines.push(format!(
            "impl{} {builder}{} {{",
            generics(&others),
            generics(&before)
        ));
        lines.push(format!("    /// Sets `{}` (required).", f.prop));
        lines.push(format!(
            "    pub fn {}(self, value: impl Into<{ty}>) -> {builder}{} {{",
            f.field,
            generics(&after)
        ));
        let moves: Vec<String> = fields
            .iter()
            .map(|g| {
                if g.field == f.field {
                    format!("{}: value.into()", g.field)
                } else {
                    format!("{0}: self.{0}", g.field)
                }
            })
            .collect();
        lines.push(format!("        {builder} {{ {} }}", moves.join(", ")));
        lines.push("    }".into());
        lines.push("}".into());
    }
    // build()
    let done: Vec<String> = required.iter().map(|f| ty_of(f)).collect();
    lines.push(format!("impl {builder}{} {{", generics(&done)));
    lines.push(format!("    /// The `{name}`."));
    lines.push(format!("    pub fn build(self) -> {name} {{"));
    let moves: Vec<String> = fields
        .iter()
        .map(|f| format!("{0}: self.{0}", f.field))
        .collect();
    lines.push(format!("        {name} {{ {} }}", moves.join(", ")));
    lines.push("    }".into());
    lines.push("}".into());
    lines
}

fn emit_render_calls(fields: &[Field], var: &str, indent: &str) -> Vec<String> {
    fields
        .iter()
        .map(|f| {
            let call = if f.required { "req" } else { "opt" };
            format!("{indent}m.{call}(\"{}\", {var}.{});", f.prop, f.field)
        })
        .collect()
}

/// An enum value inside a doc comment's backticks.
fn escape_value(v: &str) -> String {
    v.replace('`', "'")
}

/// One `attr_*` method: (method, attribute name, doc).
struct Attr {
    method: String,
    att: String,
    doc: String,
}

/// The resource submodule (nested types) and the service-level items of
/// one resource type.
fn emit_resource(
    res: &Resource,
    module: &str,
    props_fields: &[Field],
    attrs: &[Attr],
) -> Vec<String> {
    let type_name = res.type_name;
    let rname = type_name.split("::").nth(2).unwrap_or_default();
    let boxed = boxed_edges(&res.items);
    let mut sub = Vec::new(); // lines inside `pub mod <module>`
    for (n, it) in &res.items {
        match &it.kind {
            ItemKind::Enum(values) => {
                let fallback = format!("Values of `{n}` in `{type_name}`.");
                let doc = if it.doc.is_empty() {
                    &fallback
                } else {
                    &it.doc
                };
                sub.extend(doc_lines("", &[doc]));
                sub.push("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]".into());
                sub.push(format!("pub enum {n} {{"));
                for (variant, value) in values {
                    sub.push(format!("    /// `{}`", escape_value(value)));
                    sub.push(format!("    {variant},"));
                }
                sub.push("}".into());
                sub.push(format!("impl {n} {{"));
                sub.push("    /// The value as CloudFormation spells it.".into());
                sub.push("    pub fn as_str(self) -> &'static str {".into());
                sub.push("        match self {".into());
                for (variant, value) in values {
                    sub.push(format!(
                        "            {n}::{variant} => {},",
                        J::String(value.clone())
                    ));
                }
                sub.push("        }".into());
                sub.push("    }".into());
                sub.push("}".into());
                sub.push(format!("impl Render for {n} {{"));
                sub.push("    fn render(self) -> Expr {".into());
                sub.push("        Expr::from_static(self.as_str())".into());
                sub.push("    }".into());
                sub.push("}".into());
                sub.push(format!("impl Literal for {n} {{}}"));
            }
            ItemKind::Struct(fields) => {
                let default_doc = format!("`{n}` of `{type_name}`.");
                sub.extend(emit_struct_body(
                    n,
                    fields,
                    &it.doc,
                    "",
                    &boxed,
                    &default_doc,
                    Construct::New,
                ));
                sub.push(format!("impl Render for {n} {{"));
                sub.push("    fn render(self) -> Expr {".into());
                sub.push("        let mut m = PropMap::default();".into());
                sub.extend(emit_render_calls(fields, "self", "        "));
                sub.push("        m.into_expr()".into());
                sub.push("    }".into());
                sub.push("}".into());
                sub.push(format!("impl Literal for {n} {{}}"));
            }
        }
    }
    let mut out = Vec::new();
    let handle = format!("Cfn{}", camel(rname));
    let props = format!("{handle}Props");
    let desc = doc_text(res.schema.get("description"));
    if !sub.is_empty() {
        out.push(format!("/// Property types and enums of `{type_name}`."));
        out.push(format!("pub mod {module} {{"));
        let body = sub.join("\n");
        out.push("#[allow(unused_imports)]".into());
        out.push("use crate::support::{Literal, PropMap, Render, Value};".into());
        out.push("use formwork_core::Expr;".into());
        if mentions_index_map(&body) {
            out.push("use indexmap::IndexMap;".into());
        }
        out.extend(sub);
        out.push("}".into());
    }
    let prefix = format!("{module}::");
    let props_doc = if desc.is_empty() {
        format!("Properties of `{type_name}`.")
    } else {
        format!("Properties of `{type_name}`: {desc}")
    };
    out.extend(emit_struct_body(
        &props,
        props_fields,
        "",
        &prefix,
        &HashSet::new(),
        &props_doc,
        Construct::Builder,
    ));
    out.push(format!(
        "impl From<{props}> for formwork_core::CfnResource {{"
    ));
    let p = if props_fields.is_empty() { "_" } else { "p" };
    out.push(format!(
        "    fn from({p}: {props}) -> formwork_core::CfnResource {{"
    ));
    out.push(if props_fields.is_empty() {
        "        let m = PropMap::default();".into()
    } else {
        "        let mut m = PropMap::default();".into()
    });
    out.extend(emit_render_calls(props_fields, "p", "        "));
    out.push(format!("        m.into_resource({handle}::TYPE_NAME)"));
    out.push("    }".into());
    out.push("}".into());
    let head = if desc.is_empty() {
        format!("`{type_name}`.")
    } else {
        format!("`{type_name}`: {desc}")
    };
    out.extend(doc_lines("", &[
        &head,
        &format!("A handle to the resource; create it with [`{handle}::new`], and get the `Ref` with [`{handle}::to_ref`] and attributes with the `attr_*` methods."),
    ]));
    out.push("#[derive(Clone, Debug, PartialEq, Eq, Hash)]".into());
    out.push(format!("pub struct {handle} {{"));
    out.push("    resource: ResourceRef,".into());
    out.push("}".into());
    out.push(format!("impl {handle} {{"));
    out.push("    /// The CloudFormation resource type.".into());
    out.push(format!(
        "    pub const TYPE_NAME: &'static str = \"{type_name}\";"
    ));
    out.push("    /// Adds the resource to `scope` under the construct id `id`.".into());
    out.push(format!(
        "    pub fn new(scope: &impl Scope, id: &str, props: {props}) -> Result<{handle}> {{"
    ));
    out.push("        let resource = scope.add_resource(id, props.into())?;".into());
    out.push(format!("        Ok({handle} {{ resource }})"));
    out.push("    }".into());
    out.push(
        "    /// A handle for a resource added by other means (such as an L2 construct).".into(),
    );
    out.push(format!(
        "    pub fn from_resource(resource: ResourceRef) -> {handle} {{"
    ));
    out.push(format!("        {handle} {{ resource }}"));
    out.push("    }".into());
    out.push("    /// The underlying resource handle.".into());
    out.push("    pub fn resource(&self) -> &ResourceRef {".into());
    out.push("        &self.resource".into());
    out.push("    }".into());
    out.push("    /// `{\"Ref\": LogicalId}`.".into());
    out.push("    pub fn to_ref(&self) -> Expr {".into());
    out.push("        self.resource.to_ref()".into());
    out.push("    }".into());
    for a in attrs {
        let getatt = format!("`{{\"Fn::GetAtt\": [LogicalId, \"{}\"]}}`", a.att);
        let doc = if a.doc.is_empty() {
            format!("{getatt}.")
        } else {
            format!("{getatt}: {}", a.doc)
        };
        out.extend(doc_lines("    ", &[&doc]));
        out.push(format!("    pub fn {}(&self) -> Expr {{", a.method));
        out.push(format!("        self.resource.get_att(\"{}\")", a.att));
        out.push("    }".into());
    }
    out.push("}".into());
    out
}

/// Whether `IndexMap` appears as a word.
fn mentions_index_map(body: &str) -> bool {
    body.match_indices("IndexMap").any(|(i, _)| {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        let before = body[..i].chars().next_back().is_none_or(|c| !word(c));
        let after = body[i + "IndexMap".len()..]
            .chars()
            .next()
            .is_none_or(|c| !word(c));
        before && after
    })
}

fn resource_code(type_name: &str, schema: &J, module: &str, stats: &mut Stats) -> Vec<String> {
    let mut res = Resource::new(type_name, schema, stats);
    let empty = serde_json::Map::new();
    let props = schema
        .get("properties")
        .and_then(J::as_object)
        .unwrap_or(&empty);
    let readonly: Vec<&str> = schema
        .get("readOnlyProperties")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
        .filter_map(J::as_str)
        .collect();
    let ro_set: HashSet<&str> = readonly.iter().copied().collect();

    /// A property is left out of the props when it, or every leaf below it,
    /// is read-only.
    fn read_only(res: &Resource, ro: &HashSet<&str>, schema: &J, path: &str, depth: usize) -> bool {
        if ro.contains(path) {
            return true;
        }
        let Some(props) = res
            .deref(Some(schema))
            .and_then(|s| s.get("properties"))
            .and_then(J::as_object)
            .filter(|p| !p.is_empty())
        else {
            return false;
        };
        if depth > 8 {
            return false;
        }
        props
            .iter()
            .all(|(k, v)| read_only(res, ro, v, &format!("{path}/{k}"), depth + 1))
    }

    let skip: HashSet<&str> = props
        .iter()
        .filter(|(p, s)| read_only(&res, &ro_set, s, &format!("/properties/{p}"), 0))
        .map(|(p, _)| p.as_str())
        .collect();
    let required_all: HashSet<&str> = schema
        .get("required")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
        .filter_map(J::as_str)
        .collect();
    let n = required_all.intersection(&skip).count();
    if n > 0 {
        res.stats.add(
            "note: required property that is also read-only (left out)",
            n,
        );
    }
    let required: HashSet<&str> = required_all.difference(&skip).copied().collect();
    let prop_list: Vec<(&str, &J)> = props.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let fields = res.fields(None, &prop_list, &required, &skip);
    let mut attrs = Vec::new();
    let mut names = HashSet::new();
    for p in &readonly {
        let parts: Vec<&str> = p.split('/').collect();
        if parts.len() < 3
            || parts[1] != "properties"
            || parts[2..].iter().any(|x| *x == "*" || *x == "items")
        {
            res.stats
                .stat("note: read-only property path not usable with GetAtt (no attr method)");
            continue;
        }
        let att = parts[2..].join(".");
        let mut method = format!(
            "attr_{}",
            parts[2..]
                .iter()
                .map(|x| snake(x).trim_end_matches('_').to_owned())
                .collect::<Vec<_>>()
                .join("_")
        );
        while names.contains(&method) {
            method.push('_');
        }
        names.insert(method.clone());
        let mut target = props.get(parts[2]);
        for x in &parts[3..] {
            target = res
                .deref(target)
                .and_then(|t| t.get("properties"))
                .and_then(|ps| ps.get(*x));
        }
        let target = res.deref(target);
        let doc = target.map_or(String::new(), |t| doc_text(t.get("description")));
        attrs.push(Attr { method, att, doc });
    }
    let structs = res
        .items
        .values()
        .filter(|i| matches!(i.kind, ItemKind::Struct(_)))
        .count();
    let enums = res.items.len() - structs;
    res.stats.add("types", 1);
    res.stats.add("structs", structs);
    res.stats.add("enums", enums);
    res.stats.add("attributes", attrs.len());
    res.stats.add("properties", fields.len());
    emit_resource(&res, module, &fields, &attrs)
}

/// The source of one service module.
pub fn service_code(
    module: &str,
    types: &[&str],
    schemas: &BTreeMap<String, J>,
    version: &str,
    stats: &mut Stats,
) -> String {
    let allows = LINT_ALLOWS.join(", ");
    let mut out: Vec<String> = vec![
        format!("//! `{module}`: generated L1 constructs, one per CloudFormation resource type."),
        "//!".into(),
        format!("//! Generated by formwork-gen (`crates/formwork-gen`) from the resource provider schemas of cfn-lint {version}"),
        "//! vendored in formwork-schema; do not edit.".into(),
        String::new(),
        format!("#![allow({allows})]"),
        String::new(),
        "#[allow(unused_imports)]".into(),
        "use crate::support::{PropMap, Value};".into(),
        "use formwork_core::{Expr, ResourceRef, Result, Scope};".into(),
        "#[allow(unused_imports)]".into(),
        "use indexmap::IndexMap;".into(),
        String::new(),
    ];
    let mut submods = HashSet::new();
    for type_name in types {
        let rname = type_name.split("::").nth(2).unwrap_or_default();
        let mut m = snake(rname);
        while submods.contains(&m) {
            m.push('_');
        }
        submods.insert(m.clone());
        out.extend(resource_code(type_name, &schemas[*type_name], &m, stats));
        out.push(String::new());
    }
    out.join("\n") + "\n"
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn service_list(services: &BTreeMap<String, Vec<&str>>) -> String {
    services
        .keys()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `lib.rs` of a group crate: one feature-gated module per service.
pub fn group_lib(
    group: &str,
    about: &str,
    services: &BTreeMap<String, Vec<&str>>,
    version: &str,
) -> String {
    let types: usize = services.values().map(Vec::len).sum();
    let mut out = vec![
        format!("//! Typed L1 constructs for the AWS {about}: formwork's `{group}` group."),
        "//!".to_owned(),
        "//! One module per service, each behind the cargo feature of the same name;".to_owned(),
        "//! `all-services` turns every module of this crate on. Programs usually reach".to_owned(),
        "//! them through the `formwork` facade as `formwork::cfn::<service>`; the".to_owned(),
        "//! formwork-cfn README describes the API shape and how to select services.".to_owned(),
        "//!".to_owned(),
        format!("//! Services: {}.", service_list(services)),
        "//!".to_owned(),
        format!(
            "//! Generated by formwork-gen (`crates/formwork-gen`) from the resource provider schemas of cfn-lint {version}; do not edit. {} in {}.",
            plural(types, "resource type"),
            plural(services.len(), "service")
        ),
        String::new(),
        "#![warn(missing_docs)]".to_owned(),
        String::new(),
        "pub use formwork_cfn::support;".to_owned(),
        String::new(),
    ];
    for (module, types) in services {
        let namespace = types[0].rsplit_once("::").map_or(types[0], |(a, _)| a);
        out.push(format!(
            "/// {} of `{namespace}`.",
            plural(types.len(), "resource type")
        ));
        out.push(format!("#[cfg(feature = \"{module}\")]"));
        out.push(format!("pub mod {module};"));
    }
    out.join("\n") + "\n"
}

/// The whole `Cargo.toml` of a group crate.
pub fn group_manifest(name: &str, about: &str, services: &BTreeMap<String, Vec<&str>>) -> String {
    let mut out = format!(
        r#"# Generated by formwork-gen (crates/formwork-gen/src/emit.rs); do not edit.
[package]
name = "{name}"
description = "Typed CloudFormation L1 constructs for formwork, generated from the resource schemas: {about}."
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
homepage.workspace = true
readme = "README.md"
keywords = ["aws", "cloudformation", "iac", "infrastructure", "cdk"]
categories = ["api-bindings", "development-tools"]

[package.metadata.docs.rs]
all-features = true

[dependencies]
formwork-core.workspace = true
formwork-cfn.workspace = true
indexmap.workspace = true

# One feature per service module; no default features.
[features]
all-services = [
"#
    );
    for s in services.keys() {
        out += &format!("    \"{s}\",\n");
    }
    out += "]\n";
    for s in services.keys() {
        out += &format!("{s} = []\n");
    }
    out
}

/// The README of a group crate.
pub fn group_readme(
    name: &str,
    about: &str,
    services: &BTreeMap<String, Vec<&str>>,
    version: &str,
) -> String {
    let types: usize = services.values().map(Vec::len).sum();
    let first = services.keys().next().map_or("s3", String::as_str);
    format!(
        r#"# {name}

Typed L1 constructs for the AWS {about}, for
[formwork](https://crates.io/crates/formwork): one module per CloudFormation
service, each behind the cargo feature of the same name ({} in
{}, from the resource provider schemas of cfn-lint {version}).

Generated by formwork-gen from the schemas vendored in formwork-schema; the
API shape and the reasons for the crate split are in the
[formwork-cfn README](https://crates.io/crates/formwork-cfn).

Programs usually depend on the facade only. A service the facade has no
feature for is enabled through this crate, and then appears in the facade
as `formwork::cfn::<service>` too:

```toml
[dependencies]
formwork = "0.1"
{name} = {{ version = "0.1", features = ["{first}"] }}
```

Services: {}.
"#,
        plural(types, "resource type"),
        plural(services.len(), "service"),
        service_list(services)
    )
}
