//! The schema walker.

use serde_json::{Map, Value};

use crate::intrinsics::{
    as_intrinsic, contains_intrinsic, is_no_value, returns, shape_errors, Returns,
};
use crate::patterns;
use crate::store::{resource_schema, SchemaError};
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
/// Never panics, whatever the input.
pub fn validate_properties(type_name: &str, properties: Option<&Value>) -> Vec<Violation> {
    let schema = match resource_schema(type_name) {
        Ok(s) => s,
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
    let empty = Value::Object(Map::new());
    let value = match properties {
        None | Some(Value::Null) => &empty,
        Some(v) => v,
    };
    if !value.is_object() && as_intrinsic(value).is_none() {
        return vec![Violation {
            property_path: String::new(),
            path: Vec::new(),
            rule: Rule::Type,
            message: format!("Properties must be an object, found {}", show(value)),
        }];
    }
    let mut v = Walker {
        root: schema,
        out: Vec::new(),
        path: Vec::new(),
        depth: 0,
    };
    if let Some(obj) = value.as_object() {
        v.read_only(schema, obj);
        v.tags(schema, obj);
    }
    v.node(schema, value);
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

struct Walker<'s> {
    root: &'s Value,
    out: Vec<Violation>,
    path: Vec<PathSegment>,
    depth: usize,
}

impl<'s> Walker<'s> {
    fn push(&mut self, rule: Rule, message: String) {
        self.out.push(Violation {
            property_path: render_path(&self.path),
            path: self.path.clone(),
            rule,
            message,
        });
    }

    fn push_at(&mut self, key: &str, rule: Rule, message: String) {
        self.path.push(PathSegment::Key(key.to_owned()));
        self.push(rule, message);
        self.path.pop();
    }

    /// Run `node` on the side and return what it found.
    fn probe(&mut self, schema: &'s Value, value: &Value) -> Vec<Violation> {
        let saved = std::mem::take(&mut self.out);
        self.node(schema, value);
        std::mem::replace(&mut self.out, saved)
    }

    fn resolve(&self, reference: &str) -> Option<&'s Value> {
        let pointer = reference.strip_prefix('#')?;
        self.root.pointer(pointer)
    }

    /// Top-level `readOnlyProperties` that were set.
    fn read_only(&mut self, schema: &'s Value, obj: &Map<String, Value>) {
        let Some(list) = schema.get("readOnlyProperties").and_then(Value::as_array) else {
            return;
        };
        for p in list.iter().filter_map(Value::as_str) {
            if let Some(name) = p.strip_prefix("/properties/") {
                if !name.contains('/') && obj.get(name).is_some_and(|v| !is_no_value(v)) {
                    self.push_at(
                        name,
                        Rule::ReadOnly,
                        format!("{name:?} is read-only (an attribute); it cannot be set"),
                    );
                }
            }
        }
    }

    /// What CloudFormation requires of the `Tags` of every taggable type
    /// (cfn-lint E3024), beyond each type's own schema: unique keys, and no
    /// key in the reserved `aws:` namespace.
    fn tags(&mut self, schema: &'s Value, obj: &Map<String, Value>) {
        let taggable = schema.pointer("/tagging/taggable") == Some(&Value::Bool(true));
        let Some(tags) = obj.get("Tags").filter(|_| taggable) else {
            return;
        };
        self.path.push(PathSegment::Key("Tags".into()));
        match tags {
            Value::Array(items) => {
                let mut seen: Vec<&Value> = Vec::new();
                let mut duplicate = None;
                for (i, item) in items.iter().enumerate() {
                    let Some(key) = item.get("Key") else {
                        continue;
                    };
                    if let Some(k) = key.as_str().filter(|k| k.starts_with("aws:")) {
                        self.path.push(PathSegment::Index(i));
                        self.path.push(PathSegment::Key("Key".into()));
                        self.push(
                            Rule::Pattern,
                            format!("tag key {k:?} uses the reserved aws: prefix"),
                        );
                        self.path.truncate(self.path.len() - 2);
                    }
                    if duplicate.is_none() && seen.iter().any(|s| cfn_equal(s, key)) {
                        duplicate = Some(key);
                    }
                    seen.push(key);
                }
                if let Some(key) = duplicate {
                    self.push(
                        Rule::UniqueItems,
                        format!("tag key {} appears more than once", show(key)),
                    );
                }
            }
            Value::Object(map) if as_intrinsic(tags).is_none() => {
                for k in map.keys().filter(|k| k.starts_with("aws:")) {
                    self.push_at(
                        k,
                        Rule::Pattern,
                        format!("tag key {k:?} uses the reserved aws: prefix"),
                    );
                }
            }
            _ => {}
        }
        self.path.pop();
    }

    fn node(&mut self, schema: &'s Value, value: &Value) {
        let Some(s) = schema.as_object() else {
            return;
        };
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.node_inner(s, value);
        self.depth -= 1;
    }

    fn node_inner(&mut self, s: &'s Map<String, Value>, value: &Value) {
        if let Some(Value::String(r)) = s.get("$ref") {
            if let Some(target) = self.resolve(r) {
                self.node(target, value);
            }
        }
        if let Some((name, arg)) = as_intrinsic(value) {
            self.intrinsic(s, name, arg);
            return;
        }
        if let Some(t) = s.get("type") {
            if !type_ok(t, value) {
                self.push(
                    Rule::Type,
                    format!("expected type {}, found {}", type_list(t), show(value)),
                );
                return;
            }
        }
        self.values(s, value);
        match value {
            Value::Object(obj) => self.object(s, obj),
            Value::Array(arr) => self.array(s, arr),
            _ => self.scalar(s, value),
        }
        self.combinators(s, value);
    }

    fn intrinsic(&mut self, s: &'s Map<String, Value>, name: &str, arg: &Value) {
        let errors = shape_errors(name, arg);
        if !errors.is_empty() {
            for (sub, msg) in errors {
                let n = self.path.len();
                self.path.extend(sub);
                self.push(Rule::IntrinsicShape, msg);
                self.path.truncate(n);
            }
            return;
        }
        if let Some(t) = s.get("type") {
            let allowed: Vec<&str> = match t {
                Value::String(x) => vec![x.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            let has = |names: &[&str]| allowed.iter().any(|a| names.contains(a));
            let (fits, what) = match returns(name, arg) {
                Returns::String => (has(&["string", "number", "integer", "boolean"]), "a string"),
                Returns::List => (has(&["array"]), "a list"),
                Returns::Integer => (has(&["integer", "number", "string"]), "an integer"),
                Returns::Unknown => (true, ""),
            };
            if !allowed.is_empty() && !fits {
                self.push(
                    Rule::Type,
                    format!("{name} returns {what}, but {} is expected", type_list(t)),
                );
                return;
            }
        }
        if name == "Fn::If" {
            if let Some(a) = arg.as_array() {
                for (i, branch) in a.iter().enumerate().take(3).skip(1) {
                    if is_no_value(branch) {
                        continue;
                    }
                    self.path.push(PathSegment::Key("Fn::If".into()));
                    self.path.push(PathSegment::Index(i));
                    self.node_inner(s, branch);
                    self.path.truncate(self.path.len() - 2);
                }
            }
        }
    }

    /// `enum`, `enumCaseInsensitive`, `const`.
    fn values(&mut self, s: &'s Map<String, Value>, value: &Value) {
        if let Some(Value::Array(allowed)) = s.get("enum") {
            if !allowed.iter().any(|e| enum_equal(value, e)) {
                self.push(
                    Rule::Enum,
                    format!(
                        "{} is not one of {}",
                        show(value),
                        show(&Value::Array(allowed.clone()))
                    ),
                );
            }
        }
        if let Some(Value::Array(allowed)) = s.get("enumCaseInsensitive") {
            let lower = |v: &Value| match v {
                Value::String(x) => Value::String(x.to_lowercase()),
                other => other.clone(),
            };
            let lv = lower(value);
            if !allowed.iter().any(|e| cfn_equal(&lv, &lower(e))) {
                self.push(
                    Rule::Enum,
                    format!(
                        "{} is not one of {} (case-insensitive)",
                        show(value),
                        show(&Value::Array(allowed.clone()))
                    ),
                );
            }
        }
        if let Some(c) = s.get("const") {
            if !cfn_equal(value, c) {
                self.push(
                    Rule::Const,
                    format!("{} was expected, found {}", show(c), show(value)),
                );
            }
        }
    }

    fn scalar(&mut self, s: &'s Map<String, Value>, value: &Value) {
        if let Value::String(text) = value {
            let len = text.chars().count() as u64;
            if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
                if len < min {
                    self.push(
                        Rule::MinLength,
                        format!(
                            "{} is shorter than the minimum length {min} (length {len})",
                            show(value)
                        ),
                    );
                }
            }
            if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
                if len > max {
                    self.push(
                        Rule::MaxLength,
                        format!(
                            "{} is longer than the maximum length {max} (length {len})",
                            show(value)
                        ),
                    );
                }
            }
        }
        if let Some(Value::String(p)) = s.get("pattern") {
            let text = match value {
                Value::String(t) => Some(t.clone()),
                Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
                _ => None,
            };
            if let Some(text) = text {
                if patterns::is_match(p, &text) == Some(false) {
                    self.push(
                        Rule::Pattern,
                        format!("{} does not match pattern {p:?}", show(value)),
                    );
                }
            }
        }
        let number = match value {
            Value::Number(n) => n.as_f64(),
            Value::String(t) => py_float(t),
            _ => None,
        };
        if let Some(x) = number {
            let bound = |k: &str| s.get(k).and_then(Value::as_f64);
            if let Some(m) = bound("minimum") {
                if x < m {
                    self.push(
                        Rule::Minimum,
                        format!("{} is less than the minimum of {m}", show(value)),
                    );
                }
            }
            if let Some(m) = bound("maximum") {
                if x > m {
                    self.push(
                        Rule::Maximum,
                        format!("{} is greater than the maximum of {m}", show(value)),
                    );
                }
            }
            if let Some(m) = bound("exclusiveMinimum") {
                if x <= m {
                    self.push(
                        Rule::ExclusiveMinimum,
                        format!(
                            "{} is less than or equal to the minimum of {m}",
                            show(value)
                        ),
                    );
                }
            }
            if let Some(m) = bound("exclusiveMaximum") {
                if x >= m {
                    self.push(
                        Rule::ExclusiveMaximum,
                        format!(
                            "{} is greater than or equal to the maximum of {m}",
                            show(value)
                        ),
                    );
                }
            }
            if let Some(m) = bound("multipleOf") {
                if m > 0.0 && x.is_finite() {
                    let q = x / m;
                    if (q - q.round()).abs() > 1e-9 {
                        self.push(
                            Rule::MultipleOf,
                            format!("{} is not a multiple of {m}", show(value)),
                        );
                    }
                }
            }
        }
    }

    fn array(&mut self, s: &'s Map<String, Value>, arr: &[Value]) {
        let n = arr.len() as u64;
        if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
            if n < min {
                self.push(
                    Rule::MinItems,
                    format!("expected at least {min} items, found {n}"),
                );
            }
        }
        if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
            if n > max {
                self.push(
                    Rule::MaxItems,
                    format!("expected at most {max} items, found {n}"),
                );
            }
        }
        if s.get("uniqueItems") == Some(&Value::Bool(true)) {
            if let Some((i, j)) = first_duplicate(arr) {
                self.push(
                    Rule::UniqueItems,
                    format!(
                        "items {i} and {j} are equal ({}), but items must be unique",
                        show(&arr[j])
                    ),
                );
            }
        }
        // cfn-lint's `uniqueKeys`: items must differ in these keys (tag keys).
        if let Some(Value::Array(keys)) = s.get("uniqueKeys") {
            let keys: Vec<&str> = keys.iter().filter_map(Value::as_str).collect();
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
            if !keys.is_empty() {
                if let Some((_, j)) = first_duplicate(&projected) {
                    self.push(
                        Rule::UniqueItems,
                        format!(
                            "items must be unique in {}; {} repeats",
                            keys.join(", "),
                            show(&projected[j])
                        ),
                    );
                }
            }
        }
        let prefix = s.get("prefixItems").and_then(Value::as_array);
        let items = s.get("items").filter(|i| i.is_object());
        for (i, item) in arr.iter().enumerate() {
            if is_no_value(item) {
                continue;
            }
            let sub = prefix.and_then(|p| p.get(i)).or(items);
            if let Some(sub) = sub {
                self.path.push(PathSegment::Index(i));
                self.node(sub, item);
                self.path.pop();
            }
        }
    }

    fn object(&mut self, s: &'s Map<String, Value>, obj: &Map<String, Value>) {
        let present = |k: &str| obj.get(k).is_some_and(|v| !is_no_value(v));
        let props = s.get("properties").and_then(Value::as_object);
        let pattern_props = s.get("patternProperties").and_then(Value::as_object);
        let additional = s.get("additionalProperties");
        for (k, v) in obj {
            if is_no_value(v) {
                continue;
            }
            let mut matched = false;
            if let Some(sub) = props.and_then(|p| p.get(k)) {
                matched = true;
                self.path.push(PathSegment::Key(k.clone()));
                self.node(sub, v);
                self.path.pop();
            }
            for (pat, sub) in pattern_props.into_iter().flatten() {
                // An unsupported pattern counts as a match: never report a
                // property as unknown because of our regex engine.
                if patterns::is_match(pat, k) != Some(false) {
                    matched = true;
                    self.path.push(PathSegment::Key(k.clone()));
                    self.node(sub, v);
                    self.path.pop();
                }
            }
            if matched {
                continue;
            }
            match additional {
                Some(Value::Bool(false)) => {
                    let suggestion = props.and_then(|p| closest(k, p.keys().map(String::as_str)));
                    let mut message = format!("unknown property {k:?}");
                    if let Some(sg) = &suggestion {
                        message.push_str(&format!(" (did you mean {sg:?}?)"));
                    } else if let Some(p) = props {
                        let names: Vec<&str> = p.keys().map(String::as_str).take(12).collect();
                        let more = if p.len() > names.len() { ", ..." } else { "" };
                        message.push_str(&format!("; allowed: {}{more}", names.join(", ")));
                    } else if let Some(pp) = pattern_props {
                        let pats: Vec<&str> = pp.keys().map(String::as_str).collect();
                        message.push_str(&format!("; names must match {}", pats.join(" or ")));
                    }
                    self.push_at(k, Rule::UnknownProperty { suggestion }, message);
                }
                Some(sub @ Value::Object(_)) => {
                    self.path.push(PathSegment::Key(k.clone()));
                    self.node(sub, v);
                    self.path.pop();
                }
                _ => {}
            }
        }
        if let Some(Value::Array(req)) = s.get("required") {
            for r in req.iter().filter_map(Value::as_str) {
                if !present(r) {
                    self.push_at(
                        r,
                        Rule::Required,
                        format!("required property {r:?} is missing"),
                    );
                }
            }
        }
        let n = obj.len() as u64;
        if let Some(min) = s.get("minProperties").and_then(Value::as_u64) {
            if n < min {
                self.push(
                    Rule::MinProperties,
                    format!("expected at least {min} properties, found {n}"),
                );
            }
        }
        if let Some(max) = s.get("maxProperties").and_then(Value::as_u64) {
            if n > max {
                self.push(
                    Rule::MaxProperties,
                    format!("expected at most {max} properties, found {n}"),
                );
            }
        }
        for key in ["dependencies", "dependentRequired"] {
            let Some(Value::Object(deps)) = s.get(key) else {
                continue;
            };
            for (k, dep) in deps {
                if !present(k) {
                    continue;
                }
                match dep {
                    Value::Array(needed) => {
                        for d in needed.iter().filter_map(Value::as_str) {
                            if !present(d) {
                                self.push(
                                    Rule::DependentRequired,
                                    format!("{d:?} is required when {k:?} is set"),
                                );
                            }
                        }
                    }
                    Value::Object(_) => self.node(dep, &Value::Object(obj.clone())),
                    _ => {}
                }
            }
        }
        if let Some(Value::Object(deps)) = s.get("dependentExcluded") {
            for (k, excl) in deps {
                if !present(k) {
                    continue;
                }
                for d in excl
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if present(d) {
                        self.push(
                            Rule::DependentExcluded,
                            format!("{d:?} must not be set when {k:?} is set"),
                        );
                    }
                }
            }
        }
        if let Some(Value::Array(xor)) = s.get("requiredXor") {
            let names: Vec<&str> = xor.iter().filter_map(Value::as_str).collect();
            let count = names.iter().filter(|k| present(k)).count();
            if count != 1 {
                self.push(
                    Rule::RequiredXor,
                    format!(
                        "exactly one of {} must be set, found {count}",
                        names.join(", ")
                    ),
                );
            }
        }
        if let Some(Value::Array(or)) = s.get("requiredOr") {
            let names: Vec<&str> = or.iter().filter_map(Value::as_str).collect();
            if !names.iter().any(|k| present(k)) {
                self.push(
                    Rule::RequiredOr,
                    format!("at least one of {} must be set", names.join(", ")),
                );
            }
        }
    }

    fn combinators(&mut self, s: &'s Map<String, Value>, value: &Value) {
        if let Some(Value::Array(all)) = s.get("allOf") {
            for sub in all {
                self.node(sub, value);
            }
        }
        if let Some(Value::Array(any)) = s.get("anyOf") {
            let mut best: Option<Vec<Violation>> = None;
            for sub in any {
                let found = self.probe(sub, value);
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
                    Rule::AnyOf,
                    format!(
                        "{} is not valid under any of the alternatives (closest: {detail})",
                        show(value)
                    ),
                );
            }
        }
        if let Some(Value::Array(one)) = s.get("oneOf") {
            let mut valid = 0;
            let mut best: Option<Vec<Violation>> = None;
            for sub in one {
                let found = self.probe(sub, value);
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
                    Rule::OneOf,
                    format!(
                        "{} is not valid under any of the alternatives (closest: {detail})",
                        show(value)
                    ),
                );
            } else if valid > 1 && !contains_intrinsic(value) {
                self.push(
                    Rule::OneOf,
                    format!(
                        "{} is valid under more than one of the exclusive alternatives",
                        show(value)
                    ),
                );
            }
        }
        if let Some(not) = s.get("not") {
            if not.is_object() && self.probe(not, value).is_empty() {
                self.push(Rule::Not, format!("{} is not allowed here", show(value)));
            }
        }
        if let Some(cond) = s.get("if") {
            let branch = if self.probe(cond, value).is_empty() {
                s.get("then")
            } else {
                s.get("else")
            };
            if let Some(b) = branch {
                self.node(b, value);
            }
        }
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
/// numbers, "true"/"false" to booleans.
fn type_ok(t: &Value, v: &Value) -> bool {
    match t {
        Value::String(name) => one_type_ok(name, v),
        Value::Array(names) => names
            .iter()
            .any(|n| n.as_str().is_none_or(|n| one_type_ok(n, v))),
        _ => true,
    }
}

fn one_type_ok(name: &str, v: &Value) -> bool {
    match name {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "null" => v.is_null(),
        "string" => !(v.is_object() || v.is_array() || v.is_null()),
        "number" => match v {
            Value::Number(_) => true,
            Value::String(s) => py_float(s).is_some(),
            _ => false,
        },
        "integer" => match v {
            Value::Number(_) => true,
            Value::String(s) => py_int(s),
            _ => false,
        },
        "boolean" => match v {
            Value::Bool(_) => true,
            Value::String(s) => {
                matches!(
                    s.as_str(),
                    "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
                )
            }
            _ => false,
        },
        _ => true,
    }
}

/// Python's `float(s)` (closely enough).
fn py_float(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    t.replace('_', "").parse::<f64>().ok()
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
    let norm = |v: &Value| match v {
        Value::Number(_) => Value::String(v.to_string()),
        other => other.clone(),
    };
    let normed: Vec<Value> = arr.iter().map(norm).collect();
    for j in 1..normed.len() {
        for i in 0..j {
            let (a, b) = (&normed[i], &normed[j]);
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
        let mut w = Walker {
            root: schema,
            out: Vec::new(),
            path: Vec::new(),
            depth: 0,
        };
        w.node(schema, &value);
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
