//! The schema walker.
//!
//! It walks a value (any [`Instance`]) and the type's compiled schema
//! ([`crate::compile`]) together. On the common path (a valid value) it
//! allocates nothing and reads no keyword by name: the path of the current
//! value is a chain of stack frames ([`Path`]), turned into
//! [`PathSegment`]s only when a violation is recorded, and values are read
//! through [`Instance::node`], never converted to JSON, except for messages,
//! intrinsic functions and the rare keywords that compare whole values
//! (`enum`/`const` of arrays and objects, `uniqueItems`, `uniqueKeys`,
//! `enumCaseInsensitive`).

use std::borrow::Cow;

use serde_json::{Map, Number, Value};

use crate::compile::{ty, Additional, Compiled, Dependency, NodeId, SchemaNode, NOOP};
use crate::instance::{Instance, Node};
use crate::intrinsics::{
    as_intrinsic, contains_intrinsic, is_no_value, returns, shape_errors, Returns,
};
use crate::store::{compiled_schema, SchemaError};
use crate::suggest::closest;
use crate::violation::{render_path, PathSegment, Rule, Violation};

/// Deeper than this, the walker stops (guards against self-referencing
/// `$ref`s; real property values are far shallower).
const MAX_DEPTH: usize = 96;

/// Validate the `Properties` of a resource of type `type_name` against its
/// vendored schema. `None` means the resource has no `Properties` (which is
/// only valid when nothing is required).
///
/// Returns every violation found, in document order, with paths relative to
/// `Properties`. An unknown type gives a single [`Rule::UnknownType`]
/// violation with an empty path. `Custom::*` types are validated as
/// `AWS::CloudFormation::CustomResource` (only `ServiceToken` is checked).
///
/// Never panics, whatever the input. This is [`validate_instance`] for a
/// `serde_json::Value`.
pub fn validate_properties(type_name: &str, properties: Option<&Value>) -> Vec<Violation> {
    validate_instance(type_name, properties)
}

/// [`validate_properties`] for any JSON-shaped value (see [`Instance`]):
/// the same rules, messages, paths and order.
///
/// The type's schema is compiled on first use and cached for the life of
/// the process; validating a valid value then allocates nothing but the
/// returned (empty) vector.
pub fn validate_instance<'a, I: Instance<'a>>(
    type_name: &str,
    properties: Option<I>,
) -> Vec<Violation> {
    let compiled = match compiled_schema(type_name) {
        Ok(c) => c,
        Err(e @ SchemaError::UnknownType { .. }) => {
            let suggestion = match &e {
                SchemaError::UnknownType { suggestion, .. } => suggestion.clone(),
                _ => None,
            };
            return vec![Violation {
                property_path: String::new(),
                path: Vec::new(),
                rule: Rule::UnknownType { suggestion },
                message: e.to_string(),
            }];
        }
        // A broken vendored schema cannot be checked against; the store's
        // tests make sure this does not happen.
        Err(SchemaError::Malformed { .. }) => return Vec::new(),
    };
    match properties {
        Some(v) if !matches!(v.node(), Node::Null) => run(compiled, v),
        _ => run(compiled, &Value::Object(Map::new())),
    }
}

fn run<'v, I: Instance<'v>>(compiled: &Compiled, value: I) -> Vec<Violation> {
    let mut v = Walker {
        c: compiled,
        out: Vec::new(),
        depth: 0,
    };
    match value.node() {
        Node::Object { .. } => {
            v.read_only(value);
            v.tags(value);
        }
        // An intrinsic is a JSON object too: as such, it is looked at by
        // the top-level rules (which find nothing in it).
        Node::Intrinsic => {
            let json = value.to_json();
            v.read_only(&*json);
            v.tags(&*json);
        }
        _ => {
            return vec![Violation {
                property_path: String::new(),
                path: Vec::new(),
                rule: Rule::Type,
                message: format!("Properties must be an object, found {}", show_of(value)),
            }];
        }
    }
    v.node(compiled.root, value, &Path::Root);
    // One report per (place, rule): the type's schema and the tag rules can
    // both catch the same thing.
    let mut out: Vec<Violation> = Vec::with_capacity(v.out.len());
    for x in v.out {
        if !out.iter().any(|o| o.path == x.path && o.rule == x.rule) {
            out.push(x);
        }
    }
    out
}

/// A value for a message: compact JSON, cut at 120 characters.
pub(crate) fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn show_of<'v, I: Instance<'v>>(v: I) -> String {
    show(&v.to_json())
}

/// Where the walker is: a chain of stack frames, from the value being
/// checked up to `Properties`. Building one costs nothing; it becomes
/// [`PathSegment`]s only when a violation is recorded.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    fn segments(&self) -> Vec<PathSegment> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut Vec<PathSegment>) {
        match *self {
            Path::Root => {}
            Path::Key(parent, k) => {
                parent.collect(out);
                out.push(PathSegment::Key(k.to_owned()));
            }
            Path::Index(parent, i) => {
                parent.collect(out);
                out.push(PathSegment::Index(i));
            }
        }
    }
}

/// `{"Ref": "AWS::NoValue"}`: the property is treated as absent.
fn no_value<'v, I: Instance<'v>>(v: I) -> bool {
    v.is_no_value()
}

/// A JSON scalar, borrowed from an [`Instance`] or from the schema.
#[derive(Clone, Copy)]
enum Scalar<'a> {
    Null,
    Bool(bool),
    Number(&'a Number),
    Str(&'a str),
}

impl<'a> Scalar<'a> {
    fn of_node<I: Instance<'a>>(n: &Node<'a, I>) -> Option<Self> {
        match *n {
            Node::Null => Some(Scalar::Null),
            Node::Bool(b) => Some(Scalar::Bool(b)),
            Node::Number(x) => Some(Scalar::Number(x)),
            Node::String(s) => Some(Scalar::Str(s)),
            _ => None,
        }
    }

    fn of_value(v: &'a Value) -> Option<Self> {
        match v {
            Value::Null => Some(Scalar::Null),
            Value::Bool(b) => Some(Scalar::Bool(*b)),
            Value::Number(x) => Some(Scalar::Number(x)),
            Value::String(s) => Some(Scalar::Str(s)),
            _ => None,
        }
    }

    fn is_bool(self) -> bool {
        matches!(self, Scalar::Bool(_))
    }

    fn is_str(self) -> bool {
        matches!(self, Scalar::Str(_))
    }

    fn is_bool_string(self) -> bool {
        matches!(self, Scalar::Str(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false"))
    }

    fn bool_of(self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(b),
            Scalar::Str(s) => Some(s.eq_ignore_ascii_case("true")),
            _ => None,
        }
    }

    /// As [`py_str`].
    fn py_str(self) -> Cow<'a, str> {
        match self {
            Scalar::Str(s) => Cow::Borrowed(s),
            Scalar::Bool(true) => Cow::Borrowed("True"),
            Scalar::Bool(false) => Cow::Borrowed("False"),
            Scalar::Null => Cow::Borrowed("None"),
            Scalar::Number(n) => Cow::Owned(Value::Number(n.clone()).to_string()),
        }
    }

    fn to_value(self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Number(n) => Value::Number(n.clone()),
            Scalar::Str(s) => Value::String(s.to_owned()),
        }
    }

    /// The text a `pattern` is matched against (`None` for `null`).
    fn pattern_text(self) -> Option<Cow<'a, str>> {
        match self {
            Scalar::Str(s) => Some(Cow::Borrowed(s)),
            Scalar::Bool(b) => Some(Cow::Borrowed(if b { "true" } else { "false" })),
            Scalar::Number(n) => Some(Cow::Owned(Value::Number(n.clone()).to_string())),
            Scalar::Null => None,
        }
    }
}

/// [`cfn_equal`] of two scalars.
fn scalar_equal(a: Scalar<'_>, b: Scalar<'_>) -> bool {
    let bool_or_str = |v: Scalar<'_>| v.is_bool() || v.is_str();
    if bool_or_str(a)
        && bool_or_str(b)
        && (a.is_bool() || b.is_bool() || a.is_bool_string() || b.is_bool_string())
    {
        return a.bool_of() == b.bool_of();
    }
    if a.is_str() || b.is_str() {
        return a.py_str() == b.py_str();
    }
    match (a, b) {
        (Scalar::Number(x), Scalar::Number(y)) => x.as_f64() == y.as_f64(),
        (Scalar::Bool(x), Scalar::Bool(y)) => x == y,
        (Scalar::Null, Scalar::Null) => true,
        _ => false,
    }
}

/// [`cfn_equal`] of two instances, without converting scalars to JSON.
fn instance_equal<'v, I: Instance<'v>>(a: I, b: I) -> bool {
    match (Scalar::of_node(&a.node()), Scalar::of_node(&b.node())) {
        (Some(x), Some(y)) => scalar_equal(x, y),
        _ => cfn_equal(&a.to_json(), &b.to_json()),
    }
}

/// Whether type mask `mask` accepts `n` (see [`type_ok`]).
pub(crate) fn type_accepts<'v, I: Instance<'v>>(mask: u8, n: &Node<'v, I>) -> bool {
    let has = |bits: u8| mask & bits != 0;
    match n {
        Node::Object { .. } | Node::Intrinsic => has(ty::OBJECT),
        Node::Array { .. } => has(ty::ARRAY),
        Node::Null => has(ty::NULL),
        Node::Bool(_) => has(ty::STRING | ty::BOOLEAN),
        Node::Number(_) => has(ty::STRING | ty::NUMBER | ty::INTEGER),
        Node::String(s) => {
            has(ty::STRING)
                || (has(ty::NUMBER) && py_float(s).is_some())
                || (has(ty::INTEGER) && py_int(s))
                || (has(ty::BOOLEAN)
                    && matches!(*s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE"))
        }
    }
}

struct Walker<'c> {
    c: &'c Compiled,
    out: Vec<Violation>,
    depth: usize,
}

impl<'c> Walker<'c> {
    fn report(&mut self, path: Vec<PathSegment>, rule: Rule, message: String) {
        self.out.push(Violation {
            property_path: render_path(&path),
            path,
            rule,
            message,
        });
    }

    fn push(&mut self, path: &Path<'_>, rule: Rule, message: String) {
        self.report(path.segments(), rule, message);
    }

    fn push_at(&mut self, path: &Path<'_>, key: &str, rule: Rule, message: String) {
        self.push(&Path::Key(path, key), rule, message);
    }

    /// Run `node` on the side and return what it found.
    fn probe<'v, I: Instance<'v>>(
        &mut self,
        id: NodeId,
        value: I,
        path: &Path<'_>,
    ) -> Vec<Violation> {
        let saved = std::mem::take(&mut self.out);
        self.node(id, value, path);
        std::mem::replace(&mut self.out, saved)
    }

    /// Top-level `readOnlyProperties` that were set.
    fn read_only<'v, I: Instance<'v>>(&mut self, obj: I) {
        let c = self.c;
        for &name in &c.read_only {
            if obj.get(name).is_some_and(|v| !no_value(v)) {
                self.push_at(
                    &Path::Root,
                    name,
                    Rule::ReadOnly,
                    format!("{name:?} is read-only (an attribute); it cannot be set"),
                );
            }
        }
    }

    /// What CloudFormation requires of the `Tags` of every taggable type
    /// (cfn-lint E3024), beyond each type's own schema: unique keys, and no
    /// key in the reserved `aws:` namespace.
    fn tags<'v, I: Instance<'v>>(&mut self, obj: I) {
        if !self.c.taggable {
            return;
        }
        let Some(tags) = obj.get("Tags") else {
            return;
        };
        let path = Path::Key(&Path::Root, "Tags");
        match tags.node() {
            Node::Array { items, .. } => {
                let mut seen: Vec<I> = Vec::new();
                let mut duplicate = None;
                for (i, item) in items.enumerate() {
                    let Some(key) = item.get("Key") else {
                        continue;
                    };
                    if let Node::String(k) = key.node() {
                        if k.starts_with("aws:") {
                            let at = Path::Index(&path, i);
                            self.push_at(
                                &at,
                                "Key",
                                Rule::Pattern,
                                format!("tag key {k:?} uses the reserved aws: prefix"),
                            );
                        }
                    }
                    if duplicate.is_none() && seen.iter().any(|s| instance_equal(*s, key)) {
                        duplicate = Some(key);
                    }
                    seen.push(key);
                }
                if let Some(key) = duplicate {
                    self.push(
                        &path,
                        Rule::UniqueItems,
                        format!("tag key {} appears more than once", show_of(key)),
                    );
                }
            }
            Node::Object { entries, .. } => {
                for (k, _) in entries.filter(|(k, _)| k.starts_with("aws:")) {
                    self.push_at(
                        &path,
                        k,
                        Rule::Pattern,
                        format!("tag key {k:?} uses the reserved aws: prefix"),
                    );
                }
            }
            _ => {}
        }
    }

    fn node<'v, I: Instance<'v>>(&mut self, id: NodeId, value: I, path: &Path<'_>) {
        if id == NOOP || self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.node_inner(id, value, path);
        self.depth -= 1;
    }

    fn node_inner<'v, I: Instance<'v>>(&mut self, id: NodeId, value: I, path: &Path<'_>) {
        let c = self.c;
        let s = &c.nodes[id as usize];
        if let Some(r) = s.reference {
            self.node(r, value, path);
        }
        let n = value.node();
        if let Node::Intrinsic = n {
            match value.well_formed_intrinsic() {
                Some((name, returns)) => {
                    self.intrinsic_result(s, name, returns, path);
                }
                None => self.intrinsic(id, s, &value.to_json(), path),
            }
            return;
        }
        if let (Some(mask), Some(t)) = (s.types, s.type_json) {
            if !type_accepts(mask, &n) {
                self.push(
                    path,
                    Rule::Type,
                    format!("expected type {}, found {}", type_list(t), show_of(value)),
                );
                return;
            }
        }
        let scalar = Scalar::of_node(&n);
        self.values(s, value, scalar, path);
        match n {
            Node::Object { len, entries } => self.object(s, value, len, entries, path),
            Node::Array { len, items } => self.array(s, value, len, items, path),
            _ => {
                if let Some(x) = scalar {
                    self.scalar(s, value, x, path);
                }
            }
        }
        self.combinators(s, value, path);
    }

    /// Whether an intrinsic returning `returns` fits the schema's type;
    /// reports it when not.
    fn intrinsic_result(
        &mut self,
        s: &SchemaNode,
        name: &str,
        returns: Returns,
        path: &Path<'_>,
    ) -> bool {
        if let (Some(allowed), Some(t)) = (s.intrinsic_types, s.type_json) {
            let has = |bits: u8| allowed & bits != 0;
            let (fits, what) = match returns {
                Returns::String => (
                    has(ty::STRING | ty::NUMBER | ty::INTEGER | ty::BOOLEAN),
                    "a string",
                ),
                Returns::List => (has(ty::ARRAY), "a list"),
                Returns::Integer => (has(ty::INTEGER | ty::NUMBER | ty::STRING), "an integer"),
                Returns::Unknown => (true, ""),
            };
            if !fits {
                self.push(
                    path,
                    Rule::Type,
                    format!("{name} returns {what}, but {} is expected", type_list(t)),
                );
                return false;
            }
        }
        true
    }

    fn intrinsic(&mut self, id: NodeId, s: &SchemaNode, json: &Value, path: &Path<'_>) {
        let Some((name, arg)) = as_intrinsic(json) else {
            return;
        };
        let errors = shape_errors(name, arg);
        if !errors.is_empty() {
            for (sub, msg) in errors {
                let mut at = path.segments();
                at.extend(sub);
                self.report(at, Rule::IntrinsicShape, msg);
            }
            return;
        }
        if !self.intrinsic_result(s, name, returns(name, arg), path) {
            return;
        }
        if name == "Fn::If" {
            if let Some(a) = arg.as_array() {
                let at = Path::Key(path, "Fn::If");
                for (i, branch) in a.iter().enumerate().take(3).skip(1) {
                    if is_no_value(branch) {
                        continue;
                    }
                    self.node_inner(id, branch, &Path::Index(&at, i));
                }
            }
        }
    }

    /// `enum`, `enumCaseInsensitive`, `const`.
    fn values<'v, I: Instance<'v>>(
        &mut self,
        s: &SchemaNode,
        value: I,
        scalar: Option<Scalar<'v>>,
        path: &Path<'_>,
    ) {
        if let Some(allowed) = s.enum_values {
            let ok = match scalar {
                Some(x) => allowed.iter().any(|e| enum_equal_scalar(x, e, value)),
                None => {
                    let json = value.to_json();
                    allowed.iter().any(|e| enum_equal(&json, e))
                }
            };
            if !ok {
                self.push(
                    path,
                    Rule::Enum,
                    format!("{} is not one of {}", show_of(value), show_list(allowed)),
                );
            }
        }
        if let Some((allowed, lowered)) = &s.enum_case_insensitive {
            let ok = match scalar {
                Some(x) => {
                    let lower;
                    let lx = match x {
                        Scalar::Str(t) => {
                            lower = t.to_lowercase();
                            Scalar::Str(&lower)
                        }
                        other => other,
                    };
                    lowered.iter().any(|e| match Scalar::of_value(e) {
                        Some(y) => scalar_equal(lx, y),
                        None => cfn_equal(&lx.to_value(), e),
                    })
                }
                None => {
                    // Only strings are lowercased: arrays and objects compare as they are.
                    let json = value.to_json();
                    lowered.iter().any(|e| cfn_equal(&json, e))
                }
            };
            if !ok {
                self.push(
                    path,
                    Rule::Enum,
                    format!(
                        "{} is not one of {} (case-insensitive)",
                        show_of(value),
                        show_list(allowed)
                    ),
                );
            }
        }
        if let Some(c) = s.constant {
            let ok = match (scalar, Scalar::of_value(c)) {
                (Some(x), Some(y)) => scalar_equal(x, y),
                _ => cfn_equal(&value.to_json(), c),
            };
            if !ok {
                self.push(
                    path,
                    Rule::Const,
                    format!("{} was expected, found {}", show(c), show_of(value)),
                );
            }
        }
    }

    fn scalar<'v, I: Instance<'v>>(
        &mut self,
        s: &SchemaNode,
        value: I,
        x: Scalar<'v>,
        path: &Path<'_>,
    ) {
        if let Scalar::Str(text) = x {
            if s.min_length.is_some() || s.max_length.is_some() {
                let len = text.chars().count() as u64;
                if let Some(min) = s.min_length {
                    if len < min {
                        self.push(
                            path,
                            Rule::MinLength,
                            format!(
                                "{} is shorter than the minimum length {min} (length {len})",
                                show_of(value)
                            ),
                        );
                    }
                }
                if let Some(max) = s.max_length {
                    if len > max {
                        self.push(
                            path,
                            Rule::MaxLength,
                            format!(
                                "{} is longer than the maximum length {max} (length {len})",
                                show_of(value)
                            ),
                        );
                    }
                }
            }
        }
        if let Some(p) = &s.pattern {
            if let Some(text) = x.pattern_text() {
                if p.is_match(&text) == Some(false) {
                    self.push(
                        path,
                        Rule::Pattern,
                        format!("{} does not match pattern {:?}", show_of(value), p.source()),
                    );
                }
            }
        }
        let Some(b) = s.bounds.as_deref() else {
            return;
        };
        let number = match x {
            Scalar::Number(n) => n.as_f64(),
            Scalar::Str(t) => py_float(t),
            _ => None,
        };
        if let Some(x) = number {
            if let Some(m) = b.minimum {
                if x < m {
                    self.push(
                        path,
                        Rule::Minimum,
                        format!("{} is less than the minimum of {m}", show_of(value)),
                    );
                }
            }
            if let Some(m) = b.maximum {
                if x > m {
                    self.push(
                        path,
                        Rule::Maximum,
                        format!("{} is greater than the maximum of {m}", show_of(value)),
                    );
                }
            }
            if let Some(m) = b.exclusive_minimum {
                if x <= m {
                    self.push(
                        path,
                        Rule::ExclusiveMinimum,
                        format!(
                            "{} is less than or equal to the minimum of {m}",
                            show_of(value)
                        ),
                    );
                }
            }
            if let Some(m) = b.exclusive_maximum {
                if x >= m {
                    self.push(
                        path,
                        Rule::ExclusiveMaximum,
                        format!(
                            "{} is greater than or equal to the maximum of {m}",
                            show_of(value)
                        ),
                    );
                }
            }
            if let Some(m) = b.multiple_of {
                if m > 0.0 && x.is_finite() {
                    let q = x / m;
                    if (q - q.round()).abs() > 1e-9 {
                        self.push(
                            path,
                            Rule::MultipleOf,
                            format!("{} is not a multiple of {m}", show_of(value)),
                        );
                    }
                }
            }
        }
    }

    fn array<'v, I: Instance<'v>>(
        &mut self,
        s: &SchemaNode,
        value: I,
        len: usize,
        items: I::Items,
        path: &Path<'_>,
    ) {
        let n = len as u64;
        if let Some(min) = s.min_items {
            if n < min {
                self.push(
                    path,
                    Rule::MinItems,
                    format!("expected at least {min} items, found {n}"),
                );
            }
        }
        if let Some(max) = s.max_items {
            if n > max {
                self.push(
                    path,
                    Rule::MaxItems,
                    format!("expected at most {max} items, found {n}"),
                );
            }
        }
        // Fewer than two items cannot repeat.
        if s.unique_items && len > 1 {
            if let Node::Array { items, .. } = value.node() {
                let items: Vec<(I, Unique<'v>)> = items.map(|x| (x, Unique::of(x))).collect();
                let mut duplicate = None;
                'search: for j in 1..items.len() {
                    for i in 0..j {
                        if items[i].1.equals(&items[j].1) {
                            duplicate = Some((i, j));
                            break 'search;
                        }
                    }
                }
                if let Some((i, j)) = duplicate {
                    self.push(
                        path,
                        Rule::UniqueItems,
                        format!(
                            "items {i} and {j} are equal ({}), but items must be unique",
                            show_of(items[j].0)
                        ),
                    );
                }
            }
        }
        // cfn-lint's `uniqueKeys`: items must differ in these keys (tag keys).
        if let Some(keys) = s.unique_keys.as_ref().filter(|_| len > 1) {
            let json = value.to_json();
            let arr = json.as_array().map_or(&[][..], Vec::as_slice);
            let projected: Vec<Value> = arr
                .iter()
                .filter_map(|item| {
                    let o = item.as_object()?;
                    let p: Option<Map<String, Value>> = keys
                        .iter()
                        .map(|k| Some(((*k).to_owned(), o.get(*k)?.clone())))
                        .collect();
                    p.map(Value::Object)
                })
                .collect();
            if let Some((_, j)) = first_duplicate(&projected) {
                self.push(
                    path,
                    Rule::UniqueItems,
                    format!(
                        "items must be unique in {}; {} repeats",
                        keys.join(", "),
                        show(&projected[j])
                    ),
                );
            }
        }
        let prefix = s.prefix_items.as_deref();
        if prefix.is_none() && s.items.is_none() {
            return;
        }
        for (i, item) in items.enumerate() {
            if no_value(item) {
                continue;
            }
            let sub = prefix.and_then(|p| p.get(i).copied()).or(s.items);
            if let Some(sub) = sub {
                self.node(sub, item, &Path::Index(path, i));
            }
        }
    }

    fn object<'v, I: Instance<'v>>(
        &mut self,
        s: &SchemaNode,
        value: I,
        len: usize,
        entries: I::Entries,
        path: &Path<'_>,
    ) {
        let present = |k: &str| value.get(k).is_some_and(|v| !no_value(v));
        if s.checks_entries() {
            for (k, v) in entries {
                if no_value(v) {
                    continue;
                }
                let at = Path::Key(path, k);
                let mut matched = false;
                if let Some(sub) = s.property(k) {
                    matched = true;
                    self.node(sub, v, &at);
                }
                for (pat, sub) in &s.pattern_properties {
                    // An unsupported pattern counts as a match: never report
                    // a property as unknown because of our regex engine.
                    if pat.is_match(k) != Some(false) {
                        matched = true;
                        self.node(*sub, v, &at);
                    }
                }
                if matched {
                    continue;
                }
                match s.additional {
                    Additional::Forbidden => {
                        let props = s.properties_json;
                        let suggestion =
                            props.and_then(|p| closest(k, p.keys().map(String::as_str)));
                        let mut message = format!("unknown property {k:?}");
                        if let Some(sg) = &suggestion {
                            message.push_str(&format!(" (did you mean {sg:?}?)"));
                        } else if let Some(p) = props {
                            let names: Vec<&str> = p.keys().map(String::as_str).take(12).collect();
                            let more = if p.len() > names.len() { ", ..." } else { "" };
                            message.push_str(&format!("; allowed: {}{more}", names.join(", ")));
                        } else if let Some(pp) = s.pattern_properties_json {
                            let pats: Vec<&str> = pp.keys().map(String::as_str).collect();
                            message.push_str(&format!("; names must match {}", pats.join(" or ")));
                        }
                        self.push(&at, Rule::UnknownProperty { suggestion }, message);
                    }
                    Additional::Schema(sub) => self.node(sub, v, &at),
                    Additional::Allowed => {}
                }
            }
        }
        for &r in &s.required {
            if !present(r) {
                self.push_at(
                    path,
                    r,
                    Rule::Required,
                    format!("required property {r:?} is missing"),
                );
            }
        }
        let n = len as u64;
        if let Some(min) = s.min_properties {
            if n < min {
                self.push(
                    path,
                    Rule::MinProperties,
                    format!("expected at least {min} properties, found {n}"),
                );
            }
        }
        if let Some(max) = s.max_properties {
            if n > max {
                self.push(
                    path,
                    Rule::MaxProperties,
                    format!("expected at most {max} properties, found {n}"),
                );
            }
        }
        for (k, dep) in &s.dependencies {
            if !present(k) {
                continue;
            }
            match dep {
                Dependency::Names(needed) => {
                    for d in needed {
                        if !present(d) {
                            self.push(
                                path,
                                Rule::DependentRequired,
                                format!("{d:?} is required when {k:?} is set"),
                            );
                        }
                    }
                }
                Dependency::Schema(sub) => self.node(*sub, value, path),
            }
        }
        for (k, excluded) in &s.dependent_excluded {
            if !present(k) {
                continue;
            }
            for d in excluded {
                if present(d) {
                    self.push(
                        path,
                        Rule::DependentExcluded,
                        format!("{d:?} must not be set when {k:?} is set"),
                    );
                }
            }
        }
        if let Some(names) = &s.required_xor {
            let count = names.iter().filter(|k| present(k)).count();
            if count != 1 {
                self.push(
                    path,
                    Rule::RequiredXor,
                    format!(
                        "exactly one of {} must be set, found {count}",
                        names.join(", ")
                    ),
                );
            }
        }
        if let Some(names) = &s.required_or {
            if !names.iter().any(|k| present(k)) {
                self.push(
                    path,
                    Rule::RequiredOr,
                    format!("at least one of {} must be set", names.join(", ")),
                );
            }
        }
    }

    fn combinators<'v, I: Instance<'v>>(&mut self, s: &SchemaNode, value: I, path: &Path<'_>) {
        for &sub in &s.all_of {
            self.node(sub, value, path);
        }
        if !s.any_of.is_empty() {
            let mut best: Option<Vec<Violation>> = None;
            for &sub in &s.any_of {
                let found = self.probe(sub, value, path);
                if found.is_empty() {
                    best = None;
                    break;
                }
                if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                    best = Some(found);
                }
            }
            if let Some(b) = best {
                let detail = b.first().map(|v| v.to_string()).unwrap_or_default();
                self.push(
                    path,
                    Rule::AnyOf,
                    format!(
                        "{} is not valid under any of the alternatives (closest: {detail})",
                        show_of(value)
                    ),
                );
            }
        }
        if let Some(one) = &s.one_of {
            let mut valid = 0;
            let mut best: Option<Vec<Violation>> = None;
            for &sub in one {
                let found = self.probe(sub, value, path);
                if found.is_empty() {
                    valid += 1;
                } else if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                    best = Some(found);
                }
            }
            if valid == 0 {
                let detail = best
                    .and_then(|b| b.first().map(|v| v.to_string()))
                    .unwrap_or_default();
                self.push(
                    path,
                    Rule::OneOf,
                    format!(
                        "{} is not valid under any of the alternatives (closest: {detail})",
                        show_of(value)
                    ),
                );
            } else if valid > 1 && !contains_intrinsic(&value.to_json()) {
                self.push(
                    path,
                    Rule::OneOf,
                    format!(
                        "{} is valid under more than one of the exclusive alternatives",
                        show_of(value)
                    ),
                );
            }
        }
        if let Some(not) = s.not {
            if self.probe(not, value, path).is_empty() {
                self.push(
                    path,
                    Rule::Not,
                    format!("{} is not allowed here", show_of(value)),
                );
            }
        }
        if let Some(cond) = &s.conditional {
            let branch = if self.probe(cond.cond, value, path).is_empty() {
                cond.then
            } else {
                cond.otherwise
            };
            if let Some(b) = branch {
                self.node(b, value, path);
            }
        }
    }
}

/// An array item as `uniqueItems` compares it (see [`first_duplicate`]):
/// numbers as their text, arrays and objects (and intrinsic functions) as
/// JSON.
enum Unique<'v> {
    Null,
    Bool(bool),
    Str(Cow<'v, str>),
    Json(Cow<'v, Value>),
}

impl<'v> Unique<'v> {
    fn of<I: Instance<'v>>(item: I) -> Self {
        match item.node() {
            Node::Null => Unique::Null,
            Node::Bool(b) => Unique::Bool(b),
            Node::Number(n) => Unique::Str(Cow::Owned(Value::Number(n.clone()).to_string())),
            Node::String(s) => Unique::Str(Cow::Borrowed(s)),
            Node::Intrinsic => Unique::Json(item.to_json()),
            Node::Array { .. } | Node::Object { .. } => Unique::Json(item.to_json()),
        }
    }

    fn scalar(&self) -> Option<Scalar<'_>> {
        match self {
            Unique::Null => Some(Scalar::Null),
            Unique::Bool(b) => Some(Scalar::Bool(*b)),
            Unique::Str(s) => Some(Scalar::Str(s)),
            Unique::Json(_) => None,
        }
    }

    fn to_value(&self) -> Cow<'_, Value> {
        match (self, self.scalar()) {
            (Unique::Json(json), _) => Cow::Borrowed(&**json),
            (_, Some(x)) => Cow::Owned(x.to_value()),
            (_, None) => Cow::Owned(Value::Null),
        }
    }

    /// As the comparison of [`first_duplicate`]: booleans equal only
    /// booleans, the rest compares as [`cfn_equal`].
    fn equals(&self, other: &Unique<'_>) -> bool {
        match (self, other) {
            (Unique::Bool(x), Unique::Bool(y)) => x == y,
            (Unique::Bool(_), _) | (_, Unique::Bool(_)) => false,
            _ => match (self.scalar(), other.scalar()) {
                (Some(x), Some(y)) => scalar_equal(x, y),
                _ => cfn_equal(&self.to_value(), &other.to_value()),
            },
        }
    }
}

fn show_list(values: &[Value]) -> String {
    show(&Value::Array(values.to_vec()))
}

/// [`enum_equal`] of a scalar `x` (the value `value`).
fn enum_equal_scalar<'v, I: Instance<'v>>(x: Scalar<'_>, allowed: &Value, value: I) -> bool {
    match x {
        Scalar::Bool(b) => allowed.as_bool() == Some(b),
        Scalar::Number(n) if n.as_f64().is_some_and(|f| f == 0.0 || f == 1.0) => {
            allowed.is_number() && allowed.as_f64() == n.as_f64()
        }
        _ => match Scalar::of_value(allowed) {
            Some(y) => scalar_equal(x, y),
            None => cfn_equal(&value.to_json(), allowed),
        },
    }
}

fn type_list(t: &Value) -> String {
    match t {
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// cfn-lint's lenient ("non-strict") type check, which is also what
/// CloudFormation accepts: scalars convert to strings, numeric strings to
/// numbers, "true"/"false" to booleans. (The walker uses the compiled form,
/// [`type_accepts`].)
#[cfg(test)]
fn type_ok(t: &Value, v: &Value) -> bool {
    crate::compile::type_mask(t).is_none_or(|mask| type_accepts(mask, &v.node()))
}

/// Python's `float(s)` (closely enough).
fn py_float(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if t.contains('_') {
        t.replace('_', "").parse::<f64>().ok()
    } else {
        t.parse::<f64>().ok()
    }
}

/// Python's `int(s)` succeeds.
fn py_int(s: &str) -> bool {
    let t = s.trim();
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    !t.is_empty()
        && !t.starts_with('_')
        && !t.ends_with('_')
        && !t.contains("__")
        && t.chars().all(|c| c.is_ascii_digit() || c == '_')
}

/// Python's `str()` of a JSON scalar, as cfn-lint compares mixed types.
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

fn bool_of(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => Some(s.eq_ignore_ascii_case("true")),
        _ => None,
    }
}

fn is_bool_string(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false"))
}

/// cfn-lint's equality for `enum`/`const`: `"true"` equals `true`, `"5"`
/// equals `5`, and `true` never equals `1`.
pub(crate) fn cfn_equal(a: &Value, b: &Value) -> bool {
    let bool_or_str = |v: &Value| v.is_boolean() || v.is_string();
    if bool_or_str(a)
        && bool_or_str(b)
        && (a.is_boolean() || b.is_boolean() || is_bool_string(a) || is_bool_string(b))
    {
        return bool_of(a) == bool_of(b);
    }
    if a.is_string() || b.is_string() {
        return py_str(a) == py_str(b);
    }
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| cfn_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.get(k).is_some_and(|q| cfn_equal(p, q)))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

/// cfn-lint's `enum` membership: booleans and the numbers 0 and 1 only
/// match the same JSON type (`false` is not `"false"` in an enum, nor `0`);
/// everything else compares as [`cfn_equal`].
fn enum_equal(value: &Value, allowed: &Value) -> bool {
    let zero_or_one = |v: &Value| v.as_f64().is_some_and(|x| x == 0.0 || x == 1.0);
    match value {
        Value::Bool(b) => allowed.as_bool() == Some(*b),
        Value::Number(n) if zero_or_one(value) => {
            allowed.is_number() && allowed.as_f64() == n.as_f64()
        }
        _ => cfn_equal(value, allowed),
    }
}

/// The first pair of equal items, by cfn-lint's `uniqueItems` equality
/// (numbers compare as their text, booleans only equal booleans).
fn first_duplicate(arr: &[Value]) -> Option<(usize, usize)> {
    fn norm(v: &Value) -> Cow<'_, Value> {
        match v {
            Value::Number(_) => Cow::Owned(Value::String(v.to_string())),
            other => Cow::Borrowed(other),
        }
    }
    let normed: Vec<Cow<'_, Value>> = arr.iter().map(norm).collect();
    for j in 1..normed.len() {
        for i in 0..j {
            let (a, b) = (&*normed[i], &*normed[j]);
            let eq = if a.is_boolean() || b.is_boolean() {
                a == b
            } else {
                cfn_equal(a, b)
            };
            if eq {
                return Some((i, j));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(t: &str, p: Value) -> Vec<(String, Rule)> {
        validate_properties(t, Some(&p))
            .into_iter()
            .map(|v| (v.property_path, v.rule))
            .collect()
    }

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[]}"#;

    #[test]
    fn valid_role_with_intrinsics() {
        let p = json!({
            "AssumeRolePolicyDocument": serde_json::from_str::<Value>(TRUST).unwrap(),
            "RoleName": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "role"]]},
            "MaxSessionDuration": "3600",
            "Path": {"Fn::If": ["IsProd", "/prod/", {"Ref": "AWS::NoValue"}]},
            "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"}],
            "Description": {"Ref": "AWS::NoValue"},
        });
        assert_eq!(rules("AWS::IAM::Role", p), vec![]);
    }

    #[test]
    fn rule_classes() {
        let r = rules("AWS::IAM::Role", json!({"RoleNmae": "x"}));
        assert_eq!(
            r,
            vec![
                (
                    "RoleNmae".into(),
                    Rule::UnknownProperty {
                        suggestion: Some("RoleName".into())
                    }
                ),
                ("AssumeRolePolicyDocument".into(), Rule::Required),
            ]
        );
        let r = rules(
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": {}, "MaxSessionDuration": 60}),
        );
        assert_eq!(r, vec![("MaxSessionDuration".into(), Rule::Minimum)]);
        let r = rules(
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": {}, "MaxSessionDuration": "lots"}),
        );
        assert_eq!(r, vec![("MaxSessionDuration".into(), Rule::Type)]);
        let r = rules(
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": {}, "RoleName": "x".repeat(65)}),
        );
        assert_eq!(r, vec![("RoleName".into(), Rule::MaxLength)]);
        let r = rules(
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": {}, "ManagedPolicyArns": ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/A"]}),
        );
        assert_eq!(r, vec![("ManagedPolicyArns".into(), Rule::UniqueItems)]);
        let r = rules(
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": {}, "Arn": "x"}),
        );
        assert_eq!(r, vec![("Arn".into(), Rule::ReadOnly)]);
        let r = rules(
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": {}, "RoleName": {"Fn::Join": "x"}}),
        );
        assert_eq!(r, vec![("RoleName".into(), Rule::IntrinsicShape)]);
        let r = rules(
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": {}, "RoleName": {"Fn::If": ["C", "ok", "not ok"]}}),
        );
        assert_eq!(r, vec![("RoleName.Fn::If[2]".into(), Rule::Pattern)]);
    }

    #[test]
    fn tags_rules() {
        let dup = json!({"Tags": [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "1"}]});
        assert_eq!(
            rules("AWS::ECR::Repository", dup),
            vec![("Tags".into(), Rule::UniqueItems)]
        );
        let map = json!({"IdentityPoolName": "p", "AllowUnauthenticatedIdentities": true,
                         "IdentityPoolTags": [{"Key": "aws:x", "Value": "1"}]});
        // Only `Tags` is covered by the generic tag rules.
        assert_eq!(rules("AWS::Cognito::IdentityPool", map), vec![]);
    }

    #[test]
    fn properties_shape() {
        assert_eq!(rules("AWS::SQS::Queue", json!(null)), vec![]);
        assert_eq!(
            rules("AWS::SQS::Queue", json!([1])),
            vec![("".into(), Rule::Type)]
        );
        assert_eq!(
            validate_properties("AWS::IAM::Role", None)
                .into_iter()
                .map(|v| (v.property_path, v.rule))
                .collect::<Vec<_>>(),
            vec![("AssumeRolePolicyDocument".into(), Rule::Required)]
        );
    }

    #[test]
    fn unknown_type() {
        let r = rules("AWS::S3::Buckett", json!({}));
        assert_eq!(
            r,
            vec![(
                "".into(),
                Rule::UnknownType {
                    suggestion: Some("AWS::S3::Bucket".into())
                }
            )]
        );
    }

    #[test]
    fn intrinsic_result_types() {
        let r = rules(
            "AWS::S3::Bucket",
            json!({"VersioningConfiguration": {"Fn::Sub": "x"}}),
        );
        assert_eq!(r, vec![("VersioningConfiguration".into(), Rule::Type)]);
        let r = rules("AWS::S3::Bucket", json!({"Tags": {"Ref": "AWS::Region"}}));
        assert_eq!(r, vec![("Tags".into(), Rule::Type)]);
        let r = rules("AWS::SQS::Queue", json!({"QueueName": {"Fn::GetAZs": ""}}));
        assert_eq!(r, vec![("QueueName".into(), Rule::Type)]);
        // Strings fit numbers and booleans; unknown results fit anything.
        let ok = json!({"DelaySeconds": {"Fn::Join": ["", ["1", "0"]]}, "FifoQueue": {"Fn::Sub": "true"},
                        "Tags": {"Ref": "TagsParam"}, "RedrivePolicy": {"Fn::GetAtt": ["X", "Y"]}});
        assert_eq!(rules("AWS::SQS::Queue", ok), vec![]);
        assert_eq!(
            rules(
                "AWS::EC2::Subnet",
                json!({"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}})
            ),
            vec![]
        );
    }

    #[test]
    fn enum_booleans_are_strict() {
        let r = rules("AWS::S3::Bucket", json!({"AccessControl": false}));
        assert_eq!(r, vec![("AccessControl".into(), Rule::Enum)]);
        assert!(enum_equal(&json!("true"), &json!(true)));
        assert!(!enum_equal(&json!(1), &json!("1")));
        assert!(enum_equal(&json!(7), &json!("7")));
        assert!(enum_equal(&json!(1.0), &json!(1)));
    }

    #[test]
    fn lenient_scalars() {
        assert!(cfn_equal(&json!("true"), &json!(true)));
        assert!(cfn_equal(&json!("5"), &json!(5)));
        assert!(!cfn_equal(&json!(true), &json!(1)));
        assert!(type_ok(&json!("boolean"), &json!("False")));
        assert!(!type_ok(&json!("boolean"), &json!("yes")));
        assert!(type_ok(&json!("integer"), &json!(" 12 ")));
        assert!(!type_ok(&json!("integer"), &json!("1.5")));
        assert!(type_ok(&json!("number"), &json!("1.5")));
        assert!(type_ok(&json!("string"), &json!(5)));
        assert!(!type_ok(&json!("string"), &json!(null)));
        assert_eq!(first_duplicate(&[json!(1), json!("1")]), Some((0, 1)));
        assert_eq!(first_duplicate(&[json!(true), json!("true")]), None);
    }

    fn against(schema: Value, value: Value) -> Vec<(String, Rule)> {
        let schema: &'static Value = Box::leak(Box::new(schema));
        let compiled = crate::compile::compile(schema);
        let mut w = Walker {
            c: &compiled,
            out: Vec::new(),
            depth: 0,
        };
        w.node(compiled.root, &value, &Path::Root);
        w.out
            .into_iter()
            .map(|v| (v.property_path, v.rule))
            .collect()
    }

    #[test]
    fn malformed_schemas_never_panic() {
        let weird = [
            json!({"type": 5}),
            json!({"$ref": "#/nope"}),
            json!({"$ref": "#"}),
            json!({"$ref": "no-hash"}),
            json!({"definitions": {"A": {"$ref": "#/definitions/A"}}, "$ref": "#/definitions/A"}),
            json!({"required": "x", "enum": "x", "pattern": 5, "minLength": -1, "maxItems": "2"}),
            json!({"pattern": "(", "patternProperties": {"(": {}}, "additionalProperties": false}),
            json!({"properties": [], "items": [], "oneOf": {}, "anyOf": [], "allOf": [1, "x"]}),
            json!({"dependencies": {"a": 5, "b": ["c"]}, "requiredXor": [1], "if": 5, "not": []}),
            json!(true),
            json!(null),
        ];
        let values = [
            json!(null),
            json!({"a": 1, "b": [1, 2]}),
            json!([{"Ref": 5}]),
            json!("x"),
            json!(1.5),
        ];
        for s in &weird {
            for v in &values {
                let _ = against(s.clone(), v.clone());
            }
        }
        // A `$ref` cycle stops at the depth limit instead of overflowing.
        let r = against(json!({"$ref": "#"}), json!({"a": 1}));
        assert!(r.is_empty());
    }

    #[test]
    fn combinators_and_dependencies() {
        let s = json!({
            "properties": {"A": {"type": "string"}, "B": {"type": "string"}, "C": {"type": "integer"}},
            "oneOf": [{"required": ["A"]}, {"required": ["B"]}],
            "dependencies": {"C": ["A"]},
            "additionalProperties": false
        });
        assert_eq!(against(s.clone(), json!({"A": "x"})), vec![]);
        assert_eq!(
            against(s.clone(), json!({"A": "x", "B": "y"})),
            vec![("".into(), Rule::OneOf)]
        );
        assert_eq!(
            against(s.clone(), json!({})),
            vec![("".into(), Rule::OneOf)]
        );
        assert_eq!(
            against(s.clone(), json!({"B": "y", "C": 1})),
            vec![("".into(), Rule::DependentRequired)]
        );
        let any = json!({"anyOf": [{"type": "string", "maxLength": 2}, {"type": "integer"}]});
        assert_eq!(against(any.clone(), json!("ab")), vec![]);
        assert_eq!(
            against(any.clone(), json!("abc")),
            vec![("".into(), Rule::AnyOf)]
        );
        let cond = json!({"if": {"properties": {"K": {"const": "x"}}, "required": ["K"]},
                          "then": {"required": ["V"]}});
        assert_eq!(
            against(cond.clone(), json!({"K": "x"})),
            vec![("V".into(), Rule::Required)]
        );
        assert_eq!(against(cond, json!({"K": "y"})), vec![]);
        let json_typed = json!({"properties": {"Doc": {"type": ["object", "string"]}, "Any": {"type": "object"}}});
        assert_eq!(
            against(
                json_typed,
                json!({"Doc": "{}", "Any": {"x": {"Ref": "Nope"}}})
            ),
            vec![]
        );
        let pp = json!({"patternProperties": {"^[a-z]+$": {"type": "integer"}}, "additionalProperties": false});
        assert_eq!(
            against(pp, json!({"ok": 1, "bad": "x", "NO": 1})),
            vec![
                ("bad".into(), Rule::Type),
                ("NO".into(), Rule::UnknownProperty { suggestion: None })
            ]
        );
    }

    #[test]
    fn garbage_never_panics() {
        for v in [
            json!(null),
            json!(1),
            json!("x"),
            json!([1, {"Fn::If": []}]),
            json!({"Fn::If": [1]}),
        ] {
            let _ = validate_properties("AWS::IAM::Role", Some(&v));
            let _ = validate_properties(
                "AWS::S3::Bucket",
                Some(&json!({"BucketEncryption": v.clone()})),
            );
        }
    }
}
