//! `validate_instance` reads values only through `Instance`: an instance
//! that is not a `&serde_json::Value` (and that materializes JSON only when
//! asked, as an owned copy) gets exactly the violations `validate_properties`
//! gives for the same JSON. Checked on the cross-check corpus and on values
//! generated at random (deterministically) from every vendored schema.

mod corpus_cases;

use std::borrow::Cow;

use formwork_schema::{
    is_intrinsic_name, resource_schema, type_names, validate_instance, validate_properties,
    Instance, Node,
};
use serde_json::{json, Map, Value};

/// JSON seen through a handle of another type, whose `to_json` copies.
#[derive(Clone, Copy)]
struct Other<'a>(&'a Value);

type Entry<'a> = (&'a String, &'a Value);

impl<'a> Instance<'a> for Other<'a> {
    type Items = std::iter::Map<std::slice::Iter<'a, Value>, fn(&'a Value) -> Other<'a>>;
    type Entries = std::iter::Map<serde_json::map::Iter<'a>, fn(Entry<'a>) -> (&'a str, Other<'a>)>;

    fn node(self) -> Node<'a, Self> {
        match self.0 {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n),
            Value::String(s) => Node::String(s),
            Value::Array(a) => Node::Array {
                len: a.len(),
                items: a.iter().map(Other as fn(&'a Value) -> Other<'a>),
            },
            Value::Object(o) => {
                let intrinsic = o.len() == 1 && o.keys().all(|k| is_intrinsic_name(k));
                if intrinsic {
                    Node::Intrinsic
                } else {
                    Node::Object {
                        len: o.len(),
                        entries: o.iter().map(|(k, v)| (k.as_str(), Other(v))),
                    }
                }
            }
        }
    }

    fn get(self, key: &str) -> Option<Self> {
        self.0.as_object()?.get(key).map(Other)
    }

    fn to_json(self) -> Cow<'a, Value> {
        Cow::Owned(self.0.clone())
    }
}

fn same(type_name: &str, v: Option<&Value>) {
    let expected = validate_properties(type_name, v);
    let got = validate_instance(type_name, v.map(Other));
    assert_eq!(
        got,
        expected,
        "{type_name}: {}",
        serde_json::to_string(&v).unwrap()
    );
}

#[test]
fn corpus() {
    for c in corpus_cases::cases() {
        same(c.type_name, Some(&c.properties));
    }
}

/// Every fourth type (in debug builds, compiling every schema's patterns
/// takes a while); `FORMWORK_SCHEMA_ALL_TYPES=1` checks them all.
#[test]
fn generated() {
    let step = if std::env::var_os("FORMWORK_SCHEMA_ALL_TYPES").is_some() {
        1
    } else {
        4
    };
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    for (name, _) in type_names().step_by(step) {
        let schema = resource_schema(name).unwrap();
        for v in [
            None,
            Some(json!(null)),
            Some(json!([1])),
            Some(json!({"Ref": "X"})),
        ] {
            same(name, v.as_ref());
        }
        for _ in 0..2 {
            let v = gen_object(schema, schema.as_object().unwrap(), &mut r, 0);
            same(name, Some(&v));
        }
    }
}

// A generator of plausible, often invalid, values for a schema.

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const STRINGS: &[&str] = &[
    "",
    "abc",
    "x",
    "arn:aws:iam::123456789012:role/x",
    "a b!",
    "12",
    "0",
    "1",
    "1.5",
    " 7 ",
    "1_000",
    "true",
    "False",
    "yes",
    "2012-10-17",
    "10.0.0.0/16",
    "vpc-1",
    "AES256",
    "aws:tag",
    "Enabled",
    "ENABLED",
    "enabled",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "my-role",
    "/",
    "/path/",
    "us-east-1",
    "inf",
    "NaN",
    "-3",
    "{}",
    "[1]",
    "None",
    "null",
];

fn scalar(r: &mut Rng) -> Value {
    match r.below(9) {
        0 => Value::Null,
        1 => json!(r.below(2) == 0),
        2 => json!(*r.pick(&[0i64, 1, -1, 2, 5, 60, 3600, 43201, 1000000])),
        3 => json!(*r.pick(&[0.0f64, 1.0, 1.5, -2.5, 1e10, 0.1])),
        4 => json!("x".repeat(r.below(300))),
        _ => json!(*r.pick(STRINGS)),
    }
}

fn intrinsic(root: &Value, schema: &Value, r: &mut Rng, depth: usize) -> Value {
    match r.below(16) {
        0 => json!({"Ref": "AWS::NoValue"}),
        1 => json!({"Ref": "Param"}),
        2 => {
            json!({"Ref": *r.pick(&["AWS::Region", "AWS::NotificationARNs", "AWS::StackName", ""])})
        }
        3 => json!({"Fn::Join": ["", ["a", {"Ref": "AWS::Partition"}]]}),
        4 => json!({"Fn::Join": "bad"}),
        5 => json!({"Fn::Sub": "arn:${AWS::Partition}:x"}),
        6 => json!({"Fn::GetAtt": ["X", "Arn"]}),
        7 => json!({"Fn::GetAZs": ""}),
        8 => json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
        9 => json!({"Fn::Equals": ["a", "b"]}),
        10 => json!({"Fn::Nope": 1}),
        11 => json!({"Fn::Length": [1, 2]}),
        12 => json!({"Fn::Split": [",", "a,b"]}),
        13 => json!({"Fn::Join": ["", [{"Fn::Select": "x"}]]}),
        _ => {
            let a = gen(root, schema, r, depth + 1);
            let b = if r.below(3) == 0 {
                json!({"Ref": "AWS::NoValue"})
            } else {
                gen(root, schema, r, depth + 1)
            };
            if r.below(10) == 0 {
                json!({"Fn::If": ["C", a]})
            } else {
                json!({"Fn::If": ["C", a, b]})
            }
        }
    }
}

fn gen(root: &Value, schema: &Value, r: &mut Rng, depth: usize) -> Value {
    if depth > 7 {
        return scalar(r);
    }
    let Some(s) = schema.as_object() else {
        return scalar(r);
    };
    if let Some(Value::String(rf)) = s.get("$ref") {
        if let Some(t) = rf.strip_prefix('#').and_then(|p| root.pointer(p)) {
            if r.below(10) < 9 {
                return gen(root, t, r, depth + 1);
            }
        }
    }
    match r.below(25) {
        0 | 1 => return intrinsic(root, schema, r, depth),
        2 => return scalar(r),
        3 => return json!([scalar(r), scalar(r)]),
        4 => return json!({"Zzz": scalar(r)}),
        _ => {}
    }
    if let Some(Value::Array(e)) = s.get("enum").or(s.get("enumCaseInsensitive")) {
        if !e.is_empty() && r.below(4) != 0 {
            let v = r.pick(e).clone();
            return match (r.below(6), &v) {
                (0, Value::String(x)) => json!(x.to_lowercase()),
                (1, Value::Number(_)) => json!(v.to_string()),
                _ => v,
            };
        }
    }
    if let Some(c) = s.get("const") {
        if r.below(3) != 0 {
            return c.clone();
        }
    }
    for k in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(a)) = s.get(k) {
            if !a.is_empty() && r.below(2) == 0 {
                let sub = r.pick(a).clone();
                let mut v = gen(root, &sub, r, depth + 1);
                // sometimes merge with the parent's own properties
                if let (Value::Object(m), true) = (&mut v, r.below(2) == 0) {
                    if let Value::Object(extra) = gen_object(root, s, r, depth) {
                        for (k2, v2) in extra {
                            m.entry(k2).or_insert(v2);
                        }
                    }
                }
                return v;
            }
        }
    }
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => {
            if s.contains_key("properties") || s.contains_key("patternProperties") {
                vec!["object"]
            } else if s.contains_key("items") {
                vec!["array"]
            } else {
                vec!["string", "object"]
            }
        }
    };
    let t = if types.is_empty() {
        "string"
    } else {
        *r.pick(&types)
    };
    match t {
        "object" => gen_object(root, s, r, depth),
        "array" => {
            let n = r.below(4);
            let items = s.get("items").cloned().unwrap_or(Value::Bool(true));
            let mut out: Vec<Value> = (0..n).map(|_| gen(root, &items, r, depth + 1)).collect();
            if n > 0 && r.below(4) == 0 {
                out.push(out[0].clone());
            }
            if n > 0 && r.below(8) == 0 {
                out.push(json!({"Ref": "AWS::NoValue"}));
            }
            Value::Array(out)
        }
        "integer" | "number" => match r.below(4) {
            0 => json!(r.pick(&["5", "1.5", "x", "3600", "1_0"]).to_string()),
            _ => {
                let lo = s.get("minimum").and_then(Value::as_f64).unwrap_or(0.0);
                match r.below(3) {
                    0 => json!(lo as i64),
                    1 => json!(lo - 1.0),
                    _ => scalar(r),
                }
            }
        },
        "boolean" => json!(*r.pick(&[
            json!(true),
            json!(false),
            json!("true"),
            json!("False"),
            json!("yes"),
            json!(0)
        ])),
        _ => scalar(r),
    }
}

fn gen_object(root: &Value, s: &Map<String, Value>, r: &mut Rng, depth: usize) -> Value {
    let mut m = Map::new();
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if let Some(Value::Object(props)) = s.get("properties") {
        for (k, sub) in props {
            let req = required.contains(&k.as_str());
            let p = if req {
                95
            } else if depth == 0 {
                35
            } else {
                50
            };
            if r.below(100) < p {
                m.insert(k.clone(), gen(root, sub, r, depth + 1));
            }
        }
    }
    if let Some(Value::Object(pp)) = s.get("patternProperties") {
        for (_, sub) in pp {
            if r.below(2) == 0 {
                let k = r.pick(&["abc", "Key1", "x-y", "123", "aws:x"]).to_string();
                m.insert(k, gen(root, sub, r, depth + 1));
            }
        }
    }
    if r.below(10) == 0 {
        m.insert(
            r.pick(&["Unknwn", "Nmae", "Tags", "Arn"]).to_string(),
            scalar(r),
        );
    }
    if depth == 0 && r.below(6) == 0 {
        let k = if r.below(2) == 0 { "aws:x" } else { "k" };
        let tags = match r.below(3) {
            0 => {
                json!([{"Key": k, "Value": "1"}, {"Key": "k", "Value": "2"}, {"Key": "K", "Value": 1}])
            }
            1 => json!({k: "v", "other": "w"}),
            _ => json!([{"Key": 5, "Value": "1"}, {"Key": "5"}, {"Fn::If": ["C", {}, {}]}]),
        };
        m.insert("Tags".into(), tags);
    }
    Value::Object(m)
}
