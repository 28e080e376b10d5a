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
        let is_kind = r.app == self.app.id
            && r.stack == self.stack
            && self.app.stacks[r.stack as usize]
                .nodes
                .get(r.node as usize)
                .and_then(|n| n.element.as_deref())
                .is_some_and(|e: &Element| e.kind() == kind);
        if !is_kind {
            return None;
        }
        self.ids[r.stack as usize][r.node as usize].as_deref()
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

    /// The number of characters of the value's compact JSON text, whitespace
    /// excluded: how IAM measures documents against its size quotas (such
    /// as the 2,048 characters of a role's trust policy). Counted from the
    /// structure, without writing the text.
    pub fn non_whitespace_chars(&self) -> usize {
        self.measure(string_chars)
    }

    /// [`Resolved::non_whitespace_chars`] when it is over `limit`, else
    /// `None`. Quick for values far within the limit: a bound that needs
    /// only string lengths is tried first.
    pub fn non_whitespace_chars_over(&self, limit: usize) -> Option<usize> {
        if self.measure(string_chars_bound) <= limit {
            return None;
        }
        Some(self.non_whitespace_chars()).filter(|&n| n > limit)
    }

    /// The size of the compact JSON, strings measured by `string`.
    fn measure(&self, string: fn(&str) -> usize) -> usize {
        match self.inner {
            Inner::Json(v) => json_measure(v, string),
            Inner::Str(s) => string(s),
            Inner::Properties(m) => self.object_measure(m, string),
            Inner::Expr(Expr::Null) => 4,
            Inner::Expr(Expr::Bool(b)) => {
                if *b {
                    4
                } else {
                    5
                }
            }
            Inner::Expr(Expr::Number(n)) => n.to_string().len(),
            Inner::Expr(Expr::Str(s)) => string(s),
            Inner::Expr(Expr::List(items)) => list_measure(
                items.len(),
                items.iter().map(|e| self.expr_of(e).measure(string)),
            ),
            Inner::Expr(Expr::Map(m)) => self.object_measure(m, string),
            Inner::Expr(Expr::Pseudo(p)) => one_measure("Ref", string(p.name()), string),
            Inner::Expr(Expr::Ref(r)) => match self.context.locate(*r) {
                Some(Target::Local(id)) => one_measure("Ref", string(id), string),
                _ => json_measure(&self.to_value(), string),
            },
            Inner::Expr(Expr::Join { separator, parts }) => {
                let parts = list_measure(
                    parts.len(),
                    parts.iter().map(|e| self.expr_of(e).measure(string)),
                );
                one_measure(
                    "Fn::Join",
                    list_measure(2, [string(separator), parts].into_iter()),
                    string,
                )
            }
            // Imports print export names: measure the JSON of the rest.
            Inner::Expr(_) => json_measure(&self.to_value(), string),
        }
    }

    fn object_measure(&self, m: &ExprMap, string: fn(&str) -> usize) -> usize {
        1 + m.len().max(1)
            + m.iter()
                .map(|(k, e)| string(k) + 1 + self.expr_of(e).measure(string))
                .sum::<usize>()
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

/// A list of `len` items of `items` characters: brackets, and a comma
/// between items.
fn list_measure(len: usize, items: impl Iterator<Item = usize>) -> usize {
    1 + len.max(1) + items.sum::<usize>()
}

/// A one-entry object `{"key": value}` whose value has `value` characters.
fn one_measure(key: &str, value: usize, string: fn(&str) -> usize) -> usize {
    2 + string(key) + 1 + value
}

/// [`Resolved::measure`] of JSON.
fn json_measure(value: &Value, string: fn(&str) -> usize) -> usize {
    match value {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => string(s),
        Value::Array(items) => {
            list_measure(items.len(), items.iter().map(|v| json_measure(v, string)))
        }
        // Braces, a colon per entry and a comma between entries.
        Value::Object(map) => {
            1 + map.len().max(1)
                + map
                    .iter()
                    .map(|(k, v)| string(k) + 1 + json_measure(v, string))
                    .sum::<usize>()
        }
    }
}

/// At least [`string_chars`]: a character is never written as more than six
/// (`\u001f`), and the quotes add two.
fn string_chars_bound(s: &str) -> usize {
    2 + 6 * s.len()
}

/// A JSON string's non-whitespace characters, quotes included, as serde_json
/// escapes it: `\"`, `\\` and `\b \t \n \f \r` take two characters,
/// other control characters six (`\u001f`).
fn string_chars(s: &str) -> usize {
    /// What each ASCII byte counts.
    const ASCII: [u8; 128] = {
        let mut table = [1u8; 128];
        let mut c = 0;
        while c < 0x20 {
            table[c] = 6;
            c += 1;
        }
        table[b'"' as usize] = 2;
        table[b'\\' as usize] = 2;
        table[0x08] = 2;
        table[b'\t' as usize] = 2;
        table[b'\n' as usize] = 2;
        table[0x0c] = 2;
        table[b'\r' as usize] = 2;
        table[b' ' as usize] = 0;
        table
    };
    let count = match plain_ascii_chars(s.as_bytes()) {
        Some(count) => count,
        None => s
            .chars()
            .map(|c| match c {
                c if c.is_ascii() => usize::from(ASCII[c as usize]),
                c if c.is_whitespace() => 0,
                _ => 1,
            })
            .sum(),
    };
    2 + count
}

/// The characters of `bytes` without spaces, when it is ASCII that JSON
/// writes unescaped (the common case); `None` otherwise. Eight bytes at a
/// time, since this runs over every string of every trust policy.
fn plain_ascii_chars(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    /// High bit set in each byte of `x` that is zero (exact for ASCII).
    fn zero_bytes(x: u64) -> u64 {
        !(((x & LOW7) + LOW7) | x | LOW7)
    }
    let mut chunks = bytes.chunks_exact(8);
    let mut spaces = 0;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().ok()?);
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let special = (x & HIGH)
            | below_space
            | zero_bytes(x ^ (ONES * u64::from(b'"')))
            | zero_bytes(x ^ (ONES * u64::from(b'\\')));
        if special != 0 {
            return None;
        }
        spaces += zero_bytes(x ^ (ONES * u64::from(b' '))).count_ones() as usize;
    }
    for &b in chunks.remainder() {
        match b {
            b' ' => spaces += 1,
            b'"' | b'\\' | 0..=0x1f | 0x80.. => return None,
            _ => {}
        }
    }
    Some(bytes.len() - spaces)
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
mod instance {
    //! The schema validator reads [`Resolved`] values in place.

    use std::borrow::Cow;

    use formwork_schema::{Instance, Node, Returns};
    use serde_json::Value;

    use super::{Context, Inner, Resolved, Target};
    use crate::expr::{Expr, ExprMapIter, Pseudo};

    /// Whether `e`, as JSON, passes the validator's intrinsic shape checks
    /// (`formwork_schema`'s `shape_errors` finds nothing in it). Built by
    /// typed constructors, most expressions do; where that is not certain
    /// (verbatim JSON, maps, condition functions) this says no, and the
    /// validator reads the JSON instead.
    fn well_formed(e: &Expr) -> bool {
        match e {
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::Str(_) => true,
            Expr::Ref(_) | Expr::GetAtt(..) | Expr::Pseudo(_) => true,
            Expr::List(items) => items.iter().all(well_formed),
            Expr::Join { parts, .. } => parts.iter().all(well_formed),
            Expr::Sub(sub) => sub.variables.values().all(well_formed),
            Expr::Select { list, .. } => (is_list(list) || is_function(list)) && well_formed(list),
            Expr::Split { source: x, .. }
            | Expr::ImportValue(x)
            | Expr::GetAzs(x)
            | Expr::Base64(x) => (is_string(x) || is_function(x)) && well_formed(x),
            Expr::If {
                then, otherwise, ..
            } => well_formed(then) && well_formed(otherwise),
            Expr::FindInMap { top, second, .. } => [top, second]
                .iter()
                .all(|x| (is_string(x) || is_function(x)) && well_formed(x)),
            Expr::Map(_)
            | Expr::Json(_)
            | Expr::Equals(..)
            | Expr::And(_)
            | Expr::Or(_)
            | Expr::Not(_)
            | Expr::Condition(_) => false,
        }
    }

    fn is_string(e: &Expr) -> bool {
        matches!(e, Expr::Str(_))
    }

    fn is_list(e: &Expr) -> bool {
        matches!(e, Expr::List(_))
    }

    /// Serialized as a one-key `Ref` / `Fn::*` object.
    fn is_function(e: &Expr) -> bool {
        !matches!(
            e,
            Expr::Null
                | Expr::Bool(_)
                | Expr::Number(_)
                | Expr::Str(_)
                | Expr::List(_)
                | Expr::Map(_)
                | Expr::Json(_)
                | Expr::Condition(_)
        )
    }

    /// An intrinsic function as JSON sees it: one key, `Ref` or `Fn::*`.
    fn is_intrinsic_key(len: usize, first: Option<&str>) -> bool {
        len == 1 && first.is_some_and(|k| k == "Ref" || k.starts_with("Fn::"))
    }

    /// The items of a list.
    pub struct Items<'a> {
        inner: ItemsInner<'a>,
        context: &'a Context<'a>,
    }

    enum ItemsInner<'a> {
        Exprs(std::slice::Iter<'a, Expr>),
        Json(std::slice::Iter<'a, Value>),
    }

    impl<'a> Iterator for Items<'a> {
        type Item = Resolved<'a>;
        fn next(&mut self) -> Option<Resolved<'a>> {
            let inner = match &mut self.inner {
                ItemsInner::Exprs(i) => Inner::of(i.next()?),
                ItemsInner::Json(i) => Inner::Json(i.next()?),
            };
            Some(Resolved {
                inner,
                context: self.context,
            })
        }
    }

    /// The entries of an object.
    pub struct Entries<'a> {
        inner: EntriesInner<'a>,
        context: &'a Context<'a>,
    }

    enum EntriesInner<'a> {
        Exprs(ExprMapIter<'a>),
        Json(serde_json::map::Iter<'a>),
        One(Option<(&'a str, Inner<'a>)>),
    }

    impl<'a> Iterator for Entries<'a> {
        type Item = (&'a str, Resolved<'a>);
        fn next(&mut self) -> Option<Self::Item> {
            let (k, inner) = match &mut self.inner {
                EntriesInner::Exprs(i) => i.next().map(|(k, e)| (k, Inner::of(e)))?,
                EntriesInner::Json(i) => i.next().map(|(k, v)| (k.as_str(), Inner::Json(v)))?,
                EntriesInner::One(one) => one.take()?,
            };
            Some((
                k,
                Resolved {
                    inner,
                    context: self.context,
                },
            ))
        }
    }

    impl<'a> Resolved<'a> {
        fn items(self, inner: ItemsInner<'a>, len: usize) -> Node<'a, Self> {
            Node::Array {
                len,
                items: Items {
                    inner,
                    context: self.context,
                },
            }
        }

        fn entries(self, inner: EntriesInner<'a>, len: usize) -> Node<'a, Self> {
            Node::Object {
                len,
                entries: Entries {
                    inner,
                    context: self.context,
                },
            }
        }

        fn json_node(self, v: &'a Value) -> Node<'a, Self> {
            match v {
                Value::Null => Node::Null,
                Value::Bool(b) => Node::Bool(*b),
                Value::Number(n) => Node::Number(n),
                Value::String(s) => Node::String(s),
                Value::Array(items) => self.items(ItemsInner::Json(items.iter()), items.len()),
                Value::Object(m)
                    if is_intrinsic_key(m.len(), m.keys().next().map(String::as_str)) =>
                {
                    Node::Intrinsic
                }
                Value::Object(m) => self.entries(EntriesInner::Json(m.iter()), m.len()),
            }
        }
    }

    impl<'a> Instance<'a> for Resolved<'a> {
        type Items = Items<'a>;
        type Entries = Entries<'a>;

        fn node(self) -> Node<'a, Self> {
            let e = match self.inner {
                Inner::Json(v) => return self.json_node(v),
                Inner::Str(s) => return Node::String(s),
                Inner::Properties(m) => {
                    return self.entries(EntriesInner::Exprs(m.iter()), m.len())
                }
                Inner::Expr(e) => e,
            };
            match e {
                Expr::Null => Node::Null,
                Expr::Bool(b) => Node::Bool(*b),
                Expr::Number(n) => Node::Number(n),
                Expr::Str(s) => Node::String(s),
                Expr::Json(v) => self.json_node(v),
                Expr::List(items) => self.items(ItemsInner::Exprs(items.iter()), items.len()),
                Expr::Map(m) if is_intrinsic_key(m.len(), m.keys().next()) => Node::Intrinsic,
                Expr::Map(m) => self.entries(EntriesInner::Exprs(m.iter()), m.len()),
                // `{"Condition": name}` is not an intrinsic to JSON eyes.
                Expr::Condition(c) => {
                    let name = self.context.local_of_kind(*c, "condition").unwrap_or("");
                    self.entries(EntriesInner::One(Some(("Condition", Inner::Str(name)))), 1)
                }
                _ => Node::Intrinsic,
            }
        }

        fn well_formed_intrinsic(self) -> Option<(&'a str, Returns)> {
            let Inner::Expr(e) = self.inner else {
                return None;
            };
            if !well_formed(e) {
                return None;
            }
            let reference = |r| match self.context.locate(r) {
                Some(Target::Remote { .. }) => "Fn::ImportValue",
                _ => "",
            };
            Some(match e {
                Expr::Ref(r) => (
                    match reference(*r) {
                        "" => "Ref",
                        name => name,
                    },
                    Returns::Unknown,
                ),
                Expr::GetAtt(r, _) => (
                    match reference(*r) {
                        "" => "Fn::GetAtt",
                        name => name,
                    },
                    Returns::Unknown,
                ),
                Expr::Pseudo(Pseudo::NotificationArns) => ("Ref", Returns::List),
                Expr::Pseudo(_) => ("Ref", Returns::String),
                Expr::Join { .. } => ("Fn::Join", Returns::String),
                Expr::Sub(_) => ("Fn::Sub", Returns::String),
                Expr::Base64(_) => ("Fn::Base64", Returns::String),
                Expr::GetAzs(_) => ("Fn::GetAZs", Returns::List),
                Expr::Split { .. } => ("Fn::Split", Returns::List),
                Expr::Select { .. } => ("Fn::Select", Returns::Unknown),
                Expr::FindInMap { .. } => ("Fn::FindInMap", Returns::Unknown),
                Expr::ImportValue(_) => ("Fn::ImportValue", Returns::Unknown),
                // `Fn::If` has branches to validate; the rest are not
                // intrinsics, or not valid outside conditions.
                _ => return None,
            })
        }

        fn is_no_value(self) -> bool {
            match self.inner {
                Inner::Expr(Expr::Pseudo(Pseudo::NoValue)) => true,
                Inner::Json(v) => v.as_object().is_some_and(|m| {
                    m.len() == 1 && m.get("Ref").and_then(Value::as_str) == Some("AWS::NoValue")
                }),
                Inner::Expr(Expr::Map(m)) => {
                    m.len() == 1 && m.get("Ref").and_then(Expr::as_str) == Some("AWS::NoValue")
                }
                _ => false,
            }
        }

        fn get(self, key: &str) -> Option<Self> {
            Resolved::get(&self, key)
        }

        fn to_json(self) -> Cow<'a, Value> {
            match self.inner {
                Inner::Json(v) => Cow::Borrowed(v),
                _ => Cow::Owned(self.to_value()),
            }
        }
    }
}

#[cfg(test)]
mod size_tests {
    use serde_json::json;

    use crate::{App, CfnResource, Expr, Scope};

    #[test]
    fn string_chars_counts_like_the_serialized_string() {
        let specials = [
            ' ', '"', '\\', '\t', '\n', '\u{1}', '\u{1f}', '\u{7f}', 'é', '\u{a0}', '\u{2028}',
            '😀', '!', '~',
        ];
        for len in 0..20 {
            for at in 0..len.max(1) {
                for &c in &specials {
                    let mut text: String =
                        (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
                    if len > 0 {
                        text.replace_range(at..at + 1, &c.to_string());
                    }
                    let json = serde_json::to_string(&text).unwrap();
                    let expected = json.chars().filter(|c| !c.is_whitespace()).count();
                    assert_eq!(super::string_chars(&text), expected, "{json}");
                }
            }
        }
    }

    #[test]
    fn non_whitespace_chars_counts_like_the_serialized_string() {
        let values = [
            json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Sid": "with space\tand\u{a0}nbsp\n",
                               "Note": "é€😀 \"quoted\" back\\slash \u{1}\u{1f}\u{7f}\u{8}\u{c}\r\u{b}\u{2028}",
                               "Numbers": [1, -2, 3.5, 1e300, 0.1], "Flags": [true, false, null],
                               "Empty": {}, "None": [], "Ref": {"Ref": "Pool"}}],
            }),
            json!([]),
            json!({}),
            json!(""),
            json!([[], {}, [{}]]),
        ];
        let mut app = App::new();
        let stack = app.stack("S");
        let topic = stack
            .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
            .unwrap();
        let typed = Expr::map()
            .with("Ref", topic.to_ref())
            .with(
                "Tab\there",
                vec![
                    Expr::from("a b"),
                    Expr::Null,
                    Expr::from(false),
                    Expr::from(7),
                ],
            )
            .with("Empty", Expr::map())
            .with("Json", Expr::from(values[0].clone()))
            .with(
                "Join",
                Expr::join(
                    "\t",
                    [crate::Pseudo::Partition.into(), topic.to_ref(), "x".into()],
                ),
            )
            .with("Join0", Expr::join("", []))
            .with("Sub", Expr::sub("a ${AWS::Region}"));
        let mut exprs: Vec<Expr> = values.iter().cloned().map(Expr::from).collect();
        exprs.push(typed);
        let context = crate::resolved::Context {
            app: &app,
            ids: &[vec![None, Some("Topic".to_owned())]],
            stack: 0,
        };
        for e in &exprs {
            let view = super::Resolved::expr(e, &context);
            let text = serde_json::to_string(&view).unwrap();
            let expected = text.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(view.non_whitespace_chars(), expected, "{text}");
            for limit in [0, expected.saturating_sub(1), expected, 6 * expected] {
                let over = (expected > limit).then_some(expected);
                assert_eq!(
                    view.non_whitespace_chars_over(limit),
                    over,
                    "{text} {limit}"
                );
            }
        }
        let typed = serde_json::to_string(&super::Resolved::expr(&exprs[5], &context)).unwrap();
        assert!(typed.contains(r#""Ref":{"Ref":"Topic"}"#), "{typed}");
    }
}

#[cfg(all(test, feature = "schema"))]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use formwork_schema::{Instance, Node};
    use serde_json::{json, Map, Value};

    use super::Resolved;
    use crate::{App, CfnResource, Expr, Issue, Pseudo, ResourceValidator, Scope, SubPart};

    /// Rebuilds JSON from what the view presents, node by node.
    fn rebuild<'a, I: Instance<'a>>(value: I) -> Value {
        match value.node() {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.to_owned()),
            Node::Array { len, items } => {
                let items: Vec<Value> = items.map(rebuild).collect();
                assert_eq!(items.len(), len);
                Value::Array(items)
            }
            Node::Object { len, entries } => {
                let mut m = Map::new();
                for (k, v) in entries {
                    assert_eq!(
                        value.get(k).map(|g| g.to_json().into_owned()),
                        Some(v.to_json().into_owned())
                    );
                    m.insert(k.to_owned(), rebuild(v));
                }
                assert_eq!(m.len(), len);
                assert_ne!(
                    m.keys()
                        .next()
                        .filter(|_| len == 1)
                        .map(|k| k == "Ref" || k.starts_with("Fn::")),
                    Some(true),
                    "an intrinsic presented as an object"
                );
                Value::Object(m)
            }
            Node::Intrinsic => {
                let json = value.to_json().into_owned();
                if let Some((name, _)) = value.well_formed_intrinsic() {
                    // The name given without JSON is the JSON's.
                    assert_eq!(
                        json.as_object()
                            .and_then(|m| m.keys().next())
                            .map(String::as_str),
                        Some(name)
                    );
                }
                json
            }
        }
    }

    static SEEN: AtomicUsize = AtomicUsize::new(0);

    /// Checks that the view reads as its JSON, and that the schema validator
    /// finds the same in both.
    struct SameAsJson;

    impl ResourceValidator for SameAsJson {
        fn validate(&self, type_name: &str, properties: Resolved<'_>, _issues: &mut Vec<Issue>) {
            let json = properties.to_value();
            assert_eq!(rebuild(properties), json);
            assert_eq!(properties.to_json().into_owned(), json);
            assert_eq!(
                formwork_schema::validate_instance(type_name, Some(properties)),
                formwork_schema::validate_properties(type_name, Some(&json)),
                "{json}"
            );
            SEEN.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn the_view_presents_the_json_it_serializes_to() {
        let mut app = App::new();
        app.set_validation(true);
        app.add_validator(Arc::new(SameAsJson));
        let other = app.stack("Other");
        let queue = other
            .add_resource("Queue", CfnResource::new("AWS::SQS::Queue"))
            .unwrap();
        let stack = app.stack("Main");
        let is_prod = stack.condition("IsProd", Expr::equals(Pseudo::Region, "us-east-1"));
        let topic = stack
            .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
            .unwrap();
        stack
            .add_resource(
                "Everything",
                CfnResource::new("Custom::Everything")
                    .set("ServiceToken", topic.to_ref())
                    .set(
                        "Flags",
                        vec![Expr::from(true), Expr::from(1.5), Expr::from(-3)],
                    )
                    .set("Ref", topic.to_ref())
                    .set("Remote", queue.get_att("Arn"))
                    .set("Pseudo", Pseudo::AccountId)
                    .set("Join", Expr::join("-", [topic.to_ref(), "x".into()]))
                    .set(
                        "Sub",
                        Expr::sub_parts([
                            SubPart::Text("a".into()),
                            SubPart::Ref(queue.element()),
                            SubPart::GetAtt(topic.element(), "TopicName".into()),
                        ]),
                    )
                    .set("If", Expr::if_(is_prod, "a", Expr::from(Pseudo::NoValue)))
                    .set("Condition", Expr::Condition(is_prod.element()))
                    .set(
                        "Nested",
                        Expr::map()
                            .with("Inner", Expr::map().with("Deep", topic.get_att("TopicArn")))
                            .with("Empty", Expr::map())
                            .with("Null", Expr::Null),
                    )
                    .set("LiteralFn", Expr::map().with("Fn::Base64", "raw"))
                    .set(
                        "Json",
                        Expr::from(json!({"a": [{"Ref": "X"}, {"b": null}], "Fn::Not": 1})),
                    )
                    .set("JsonFn", Expr::from(json!({"Fn::GetAZs": ""}))),
            )
            .unwrap();
        // Intrinsics whose results do not fit, or whose shapes are wrong
        // although built by typed constructors.
        stack
            .add_resource(
                "Misfits",
                CfnResource::new("AWS::SQS::Queue")
                    .set("QueueName", Expr::get_azs(""))
                    .set("DelaySeconds", Expr::join("", ["1".into(), "0".into()]))
                    .set("Tags", Pseudo::Region)
                    .set("FifoQueue", Expr::select(0, "not a list"))
                    .set("KmsMasterKeyId", Expr::base64(vec![Expr::from("x")]))
                    .set(
                        "RedrivePolicy",
                        Expr::if_(is_prod, Expr::map(), Expr::from(Pseudo::NoValue)),
                    )
                    .set("VisibilityTimeout", Expr::from(Pseudo::NoValue))
                    .set("MessageRetentionPeriod", Expr::equals("a", "b"))
                    .set(
                        "ReceiveMessageWaitTimeSeconds",
                        Expr::split(",", queue.to_ref()),
                    ),
            )
            .unwrap();
        assert!(app.synth().is_err());
        // Four resources, each validated once.
        assert_eq!(SEEN.load(Ordering::SeqCst), 4);
    }
}
