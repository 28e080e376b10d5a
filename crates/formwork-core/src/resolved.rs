//! Expressions seen through synthesis: [`Resolved`].
//!
//! Synthesis never copies a resource's properties into a JSON tree. Once
//! every reference has been checked (and every cross-stack export
//! registered), a property is a [`Resolved`] view: the [`Expr`] plus what is
//! needed to print its references (logical IDs, export names). Templates are
//! serialized from these views straight into the output buffer, validators and
//! construct checks read them in place, and [`App::synth`](crate::App::synth)
//! turns them into `serde_json` values with the very same `Serialize` code, so
//! both paths give the same bytes.

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::app::App;
use crate::element::Element;
use crate::expr::{ElementRef, Expr, ExprMap, Sub, SubPart};
use crate::logical_id::write_logical_id;

/// What references resolve against: the app, every stack's logical IDs, and
/// the stack being synthesized.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    pub(crate) app: &'a App,
    pub(crate) ids: &'a [Vec<Option<String>>],
    pub(crate) stack: u32,
}

/// Where a reference points.
pub(crate) enum Target<'t> {
    /// An element of the stack being synthesized, by logical ID.
    Local(&'t str),
    /// An element of another stack of the app.
    Remote { stack: u32, logical_id: &'t str },
}

impl<'a> Context<'a> {
    /// The logical ID `r` resolves to, when it names an element of this app
    /// that has one. Whether the element may be referenced at all is checked
    /// beforehand (see `synth::Resolver::target`); a template is only written
    /// when every check passed.
    pub(crate) fn locate(&self, r: ElementRef) -> Option<Target<'a>> {
        if r.app != self.app.id {
            return None;
        }
        let logical_id = self
            .ids
            .get(r.stack as usize)?
            .get(r.node as usize)?
            .as_deref()?;
        Some(if r.stack == self.stack {
            Target::Local(logical_id)
        } else {
            Target::Remote {
                stack: r.stack,
                logical_id,
            }
        })
    }

    /// The logical ID of a condition or mapping of this stack (empty when
    /// `r` is not one; that was reported when the stack was checked).
    pub(crate) fn local_of_kind(&self, r: ElementRef, kind: &str) -> Option<&'a str> {
        if !self.is_local_of_kind(r, kind) {
            return None;
        }
        self.ids[r.stack as usize][r.node as usize].as_deref()
    }

    /// Whether `r` names an element of `kind` (`condition`, `mapping`) of
    /// this stack.
    pub(crate) fn is_local_of_kind(&self, r: ElementRef, kind: &str) -> bool {
        r.app == self.app.id
            && r.stack == self.stack
            && self.app.stacks[r.stack as usize]
                .nodes
                .get(r.node as usize)
                .and_then(|n| n.element.as_deref())
                .is_some_and(|e: &Element| e.kind() == kind)
    }

    /// The export through which this stack imports `logical_id` (or its
    /// `attribute`) of stack `producer`, named as the AWS CDK names it so
    /// that ported apps keep their exports. Returns the export name, the
    /// exporting output's logical ID and construct id, and the exported value.
    pub(crate) fn export(
        &self,
        producer: u32,
        logical_id: &str,
        attribute: Option<&str>,
    ) -> Export {
        let value = local_reference(logical_id, attribute);
        let construct_id = format!("Output{value}");
        let mut output_id = String::new();
        write_logical_id(
            ["Exports", construct_id.as_str()].into_iter(),
            &mut output_id,
        );
        let producer_name = &self.app.stacks[producer as usize].name;
        let mut name = format!("{producer_name}:{output_id}");
        if name.len() > 255 {
            let cut = name.len() - 255;
            name = format!("{producer_name}:{}", &output_id[cut.min(output_id.len())..]);
        }
        Export {
            name,
            output_id,
            construct_id,
            value,
        }
    }

    /// `Fn::Sub`'s template text, and the imports it needs as variables
    /// (`${X}` cannot import, so an imported value is passed as a variable).
    pub(crate) fn sub_text(&self, sub: &Sub) -> (String, Vec<(String, Export)>) {
        let mut text = String::new();
        let mut imports = Vec::new();
        for part in &sub.parts {
            let (r, attribute) = match part {
                SubPart::Text(t) => {
                    text.push_str(t);
                    continue;
                }
                SubPart::Pseudo(p) => {
                    text.push_str("${");
                    text.push_str(p.name());
                    text.push('}');
                    continue;
                }
                SubPart::Ref(r) => (*r, None),
                SubPart::GetAtt(r, a) => (*r, Some(a.as_str())),
            };
            match self.locate(r) {
                None => {}
                Some(Target::Local(id)) => {
                    text.push_str("${");
                    text.push_str(id);
                    if let Some(a) = attribute {
                        text.push('.');
                        text.push_str(a);
                    }
                    text.push('}');
                }
                Some(Target::Remote { stack, logical_id }) => {
                    let mut var: String = logical_id.to_owned();
                    if let Some(a) = attribute {
                        var.extend(a.chars().filter(char::is_ascii_alphanumeric));
                    }
                    text.push_str("${");
                    text.push_str(&var);
                    text.push('}');
                    imports.push((var, self.export(stack, logical_id, attribute)));
                }
            }
        }
        (text, imports)
    }
}

/// A cross-stack export (see [`Context::export`]).
pub(crate) struct Export {
    pub(crate) name: String,
    pub(crate) output_id: String,
    pub(crate) construct_id: String,
    pub(crate) value: Value,
}

/// `{"Ref": id}` or `{"Fn::GetAtt": [id, attribute]}`.
fn local_reference(logical_id: &str, attribute: Option<&str>) -> Value {
    let mut m = serde_json::Map::with_capacity(1);
    match attribute {
        None => m.insert("Ref".to_owned(), Value::String(logical_id.to_owned())),
        Some(a) => m.insert(
            "Fn::GetAtt".to_owned(),
            Value::Array(vec![
                Value::String(logical_id.to_owned()),
                Value::String(a.to_owned()),
            ]),
        ),
    };
    Value::Object(m)
}

/// A value of a synthesized template, read in place: an [`Expr`] (or a
/// resource's properties, or a piece of verbatim JSON) with its references
/// resolved on the fly.
///
/// It serializes (with `serde`) to exactly the JSON written into the
/// template. [`ResourceCheck`](crate::ResourceCheck)s and
/// [`ResourceValidator`](crate::ResourceValidator)s receive a resource's
/// properties as a `Resolved`; [`Resolved::to_value`] copies it out as a
/// `serde_json::Value` when that is easier than walking it.
#[derive(Clone, Copy)]
pub struct Resolved<'a> {
    inner: Inner<'a>,
    context: &'a Context<'a>,
}

#[derive(Clone, Copy)]
enum Inner<'a> {
    /// Never `Expr::Json`: that is `Inner::Json` (see [`Inner::of`]).
    Expr(&'a Expr),
    Json(&'a Value),
    Str(&'a str),
    Properties(&'a ExprMap),
}

impl<'a> Inner<'a> {
    fn of(e: &'a Expr) -> Self {
        match e {
            Expr::Json(v) => Inner::Json(v),
            e => Inner::Expr(e),
        }
    }
}

impl std::fmt::Debug for Resolved<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Resolved({})", self.to_value())
    }
}

impl<'a> Resolved<'a> {
    pub(crate) fn properties(properties: &'a ExprMap, context: &'a Context<'a>) -> Self {
        Resolved {
            inner: Inner::Properties(properties),
            context,
        }
    }

    pub(crate) fn expr(expr: &'a Expr, context: &'a Context<'a>) -> Self {
        Resolved {
            inner: Inner::of(expr),
            context,
        }
    }

    fn with(self, inner: Inner<'a>) -> Self {
        Resolved {
            inner,
            context: self.context,
        }
    }

    /// The value as a `serde_json::Value` (a copy).
    pub fn to_value(&self) -> Value {
        // Serializing into a Value fails only for non-string map keys, and
        // every key here is a string.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The entry `key`, when this is an object (properties, a map, or a JSON
    /// object) that has it.
    pub fn get(&self, key: &str) -> Option<Resolved<'a>> {
        match self.inner {
            Inner::Properties(m) => m.get(key).map(|e| self.with(Inner::of(e))),
            Inner::Expr(Expr::Map(m)) => m.get(key).map(|e| self.with(Inner::of(e))),
            Inner::Json(v) => v.get(key).map(|v| self.with(Inner::Json(v))),
            Inner::Expr(Expr::Condition(c)) if key == "Condition" => {
                Some(self.with(Inner::Str(self.context.local_of_kind(*c, "condition")?)))
            }
            _ => None,
        }
    }

    /// The number of items, when this is a list.
    pub fn list_len(&self) -> Option<usize> {
        match self.inner {
            Inner::Expr(Expr::List(items)) => Some(items.len()),
            Inner::Json(Value::Array(items)) => Some(items.len()),
            _ => None,
        }
    }

    /// True for an object without entries (and for no-property resources).
    pub fn is_empty_object(&self) -> bool {
        match self.inner {
            Inner::Properties(m) => m.is_empty(),
            Inner::Expr(Expr::Map(m)) => m.is_empty(),
            Inner::Json(Value::Object(m)) => m.is_empty(),
            _ => false,
        }
    }

    /// Serializes `{"Ref": id}`, `{"Fn::GetAtt": [id, attribute]}`, or the
    /// `Fn::ImportValue` of the export of another stack.
    fn reference<S: Serializer>(
        &self,
        s: S,
        r: ElementRef,
        attribute: Option<&str>,
    ) -> Result<S::Ok, S::Error> {
        match (self.context.locate(r), attribute) {
            (None, _) => s.serialize_unit(),
            (Some(Target::Local(id)), None) => one(s, "Ref", id),
            (Some(Target::Local(id)), Some(a)) => one(s, "Fn::GetAtt", &[id, a]),
            (Some(Target::Remote { stack, logical_id }), _) => one(
                s,
                "Fn::ImportValue",
                &self.context.export(stack, logical_id, attribute).name,
            ),
        }
    }

    fn exprs(&self, items: &'a [Expr]) -> Items<'a> {
        Items {
            items,
            context: self.context,
        }
    }

    fn expr_of(&self, e: &'a Expr) -> Resolved<'a> {
        self.with(Inner::of(e))
    }
}

/// A one-entry object.
fn one<S: Serializer, V: Serialize + ?Sized>(
    s: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(key, value)?;
    m.end()
}

/// A slice of expressions, serialized as a list.
struct Items<'a> {
    items: &'a [Expr],
    context: &'a Context<'a>,
}

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.items.len()))?;
        for e in self.items {
            seq.serialize_element(&Resolved::expr(e, self.context))?;
        }
        seq.end()
    }
}

/// A map of expressions, serialized as an object.
struct Entries<'a> {
    entries: &'a ExprMap,
    context: &'a Context<'a>,
}

impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.entries.len()))?;
        for (k, e) in self.entries {
            m.serialize_entry(k, &Resolved::expr(e, self.context))?;
        }
        m.end()
    }
}

impl Serialize for Resolved<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = match self.inner {
            Inner::Json(v) => return v.serialize(s),
            Inner::Str(text) => return s.serialize_str(text),
            Inner::Properties(m) => {
                return Entries {
                    entries: m,
                    context: self.context,
                }
                .serialize(s)
            }
            Inner::Expr(e) => e,
        };
        let context = self.context;
        match e {
            Expr::Null => s.serialize_unit(),
            Expr::Bool(b) => s.serialize_bool(*b),
            Expr::Number(n) => n.serialize(s),
            Expr::Str(text) => s.serialize_str(text),
            Expr::Json(v) => v.serialize(s),
            Expr::List(items) => self.exprs(items).serialize(s),
            Expr::Map(m) => Entries {
                entries: m,
                context,
            }
            .serialize(s),
            Expr::Ref(r) => self.reference(s, *r, None),
            Expr::GetAtt(r, a) => self.reference(s, *r, Some(a)),
            Expr::Pseudo(p) => one(s, "Ref", p.name()),
            Expr::Join { separator, parts } => one(s, "Fn::Join", &(separator, self.exprs(parts))),
            Expr::Sub(sub) => {
                let (text, imports) = context.sub_text(sub);
                if imports.is_empty() && sub.variables.is_empty() {
                    return one(s, "Fn::Sub", &text);
                }
                let variables = SubVariables {
                    imports: &imports,
                    variables: &sub.variables,
                    context,
                };
                one(s, "Fn::Sub", &(text, variables))
            }
            Expr::Select { index, list } => one(s, "Fn::Select", &(index, self.expr_of(list))),
            Expr::Split { separator, source } => {
                one(s, "Fn::Split", &(separator, self.expr_of(source)))
            }
            Expr::If {
                condition,
                then,
                otherwise,
            } => {
                let name = context.local_of_kind(*condition, "condition").unwrap_or("");
                one(
                    s,
                    "Fn::If",
                    &(name, self.expr_of(then), self.expr_of(otherwise)),
                )
            }
            Expr::ImportValue(name) => one(s, "Fn::ImportValue", &self.expr_of(name)),
            Expr::GetAzs(region) => one(s, "Fn::GetAZs", &self.expr_of(region)),
            Expr::Base64(v) => one(s, "Fn::Base64", &self.expr_of(v)),
            Expr::FindInMap {
                mapping,
                top,
                second,
            } => {
                let name = context.local_of_kind(*mapping, "mapping").unwrap_or("");
                one(
                    s,
                    "Fn::FindInMap",
                    &(name, self.expr_of(top), self.expr_of(second)),
                )
            }
            Expr::Equals(a, b) => one(s, "Fn::Equals", &(self.expr_of(a), self.expr_of(b))),
            Expr::And(items) => one(s, "Fn::And", &self.exprs(items)),
            Expr::Or(items) => one(s, "Fn::Or", &self.exprs(items)),
            Expr::Not(c) => one(s, "Fn::Not", &[self.expr_of(c)]),
            Expr::Condition(c) => one(
                s,
                "Condition",
                context.local_of_kind(*c, "condition").unwrap_or(""),
            ),
        }
    }
}

/// `Fn::Sub`'s variables: the imports first, then the explicit ones.
struct SubVariables<'a> {
    imports: &'a [(String, Export)],
    variables: &'a IndexMap<String, Expr>,
    context: &'a Context<'a>,
}

impl Serialize for SubVariables<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Later entries replace earlier ones of the same name, as inserting
        // into a map did.
        let mut entries: IndexMap<&str, Resolved<'_>> =
            IndexMap::with_capacity(self.imports.len() + self.variables.len());
        let imported: Vec<Value> = self
            .imports
            .iter()
            .map(|(_, export)| {
                let mut m = serde_json::Map::with_capacity(1);
                m.insert(
                    "Fn::ImportValue".to_owned(),
                    Value::String(export.name.clone()),
                );
                Value::Object(m)
            })
            .collect();
        for ((var, _), value) in self.imports.iter().zip(&imported) {
            entries.insert(
                var,
                Resolved {
                    inner: Inner::Json(value),
                    context: self.context,
                },
            );
        }
        for (k, e) in self.variables {
            entries.insert(k, Resolved::expr(e, self.context));
        }
        let mut m = s.serialize_map(Some(entries.len()))?;
        for (k, v) in &entries {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[cfg(feature = "schema")]
mod instance;
mod size;
