//! Property test of the construct API (docs/ARCHITECTURE.md §8: nothing
//! panics on user input): random programs of stacks, scopes, resources,
//! references (within a stack, across stacks, into another app), outputs,
//! parameters, conditions, tags, annotations and overrides, with arbitrary
//! ids, names and values. Synthesis must return `Ok` or `Err`, never
//! panic, and an `Ok` template must read back as the same template.
//!
//! CI runs the default number of cases; run longer by hand with
//! `PROPTEST_CASES=200000 cargo test -p formwork-core --test fuzz_model --release`.

use formwork_core::template::Parameter;
use formwork_core::{
    Annotations, App, CfnResource, Context, Expr, Pseudo, ResourceRef, Scope, SubPart, TagProps,
    Tags, Template,
};
use proptest::prelude::*;

/// Identifiers: mostly plausible, sometimes hostile.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Z][A-Za-z0-9]{0,12}",
        1 => ".{0,6}",
        1 => Just("Resource".to_owned()),
        1 => Just("Default".to_owned()),
        1 => "[a-z/ .-]{0,4}",
    ]
}

#[derive(Clone, Debug)]
enum Op {
    Stack(String),
    Scope(usize, String),
    Resource(usize, String, String, Vec<(String, Value)>),
    Output(usize, String, Value),
    Parameter(usize, String),
    Condition(usize, String),
    Tag(usize, String, String, Option<u32>, bool),
    Annotate(usize, u8, String),
    Override(usize, String, Value),
    DependsOn(usize, usize),
    LogicalId(usize, String),
}

/// A value: literals, lists, maps, and references to earlier resources.
#[derive(Clone, Debug)]
enum Value {
    Str(String),
    Num(i64),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    Ref(usize),
    GetAtt(usize, String),
    Sub(usize),
    Pseudo,
    Foreign,
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        ".{0,8}".prop_map(Value::Str),
        any::<i64>().prop_map(Value::Num),
        any::<usize>().prop_map(Value::Ref),
        (any::<usize>(), id()).prop_map(|(r, a)| Value::GetAtt(r, a)),
        any::<usize>().prop_map(Value::Sub),
        Just(Value::Pseudo),
        Just(Value::Foreign),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::vec((id(), inner), 0..4).prop_map(Value::Map),
        ]
    })
}

fn op() -> impl Strategy<Value = Op> {
    let types = prop_oneof![
        Just("AWS::SNS::Topic".to_owned()),
        Just("AWS::SQS::Queue".to_owned()),
        Just("AWS::SSM::Parameter".to_owned()),
        Just("AWS::IAM::Role".to_owned()),
        "[A-Za-z:]{0,16}",
    ];
    prop_oneof![
        2 => id().prop_map(Op::Stack),
        2 => (any::<usize>(), id()).prop_map(|(p, i)| Op::Scope(p, i)),
        6 => (any::<usize>(), id(), types, prop::collection::vec((id(), value()), 0..4))
            .prop_map(|(p, i, t, props)| Op::Resource(p, i, t, props)),
        2 => (any::<usize>(), id(), value()).prop_map(|(p, i, v)| Op::Output(p, i, v)),
        1 => (any::<usize>(), id()).prop_map(|(p, i)| Op::Parameter(p, i)),
        1 => (any::<usize>(), id()).prop_map(|(p, i)| Op::Condition(p, i)),
        2 => (any::<usize>(), ".{0,8}", ".{0,8}", proptest::option::of(0u32..300), any::<bool>())
            .prop_map(|(s, k, v, p, remove)| Op::Tag(s, k, v, p, remove)),
        1 => (any::<usize>(), 0u8..3, ".{0,8}").prop_map(|(s, l, m)| Op::Annotate(s, l, m)),
        2 => (any::<usize>(), "[A-Za-z.\\\\]{0,12}", value()).prop_map(|(r, p, v)| Op::Override(r, p, v)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::DependsOn(a, b)),
        1 => (any::<usize>(), ".{0,6}").prop_map(|(r, l)| Op::LogicalId(r, l)),
    ]
}

struct World {
    app: App,
    other: App,
    scopes: Vec<formwork_core::Construct>,
    resources: Vec<ResourceRef>,
}

impl World {
    fn pick<T: Clone>(items: &[T], i: usize) -> Option<T> {
        (!items.is_empty()).then(|| items[i % items.len()].clone())
    }

    fn expr(&self, v: &Value) -> Expr {
        match v {
            Value::Str(s) => s.as_str().into(),
            Value::Num(n) => (*n).into(),
            Value::List(items) => Expr::List(items.iter().map(|i| self.expr(i)).collect()),
            Value::Map(entries) => Expr::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.expr(v)))
                    .collect(),
            ),
            Value::Ref(r) => World::pick(&self.resources, *r).map_or(Expr::Null, |r| r.to_ref()),
            Value::GetAtt(r, a) => {
                World::pick(&self.resources, *r).map_or(Expr::Null, |r| r.get_att(a.as_str()))
            }
            Value::Sub(r) => World::pick(&self.resources, *r).map_or(Expr::Null, |r| {
                Expr::sub_parts([
                    SubPart::Text("x-".into()),
                    SubPart::Ref(r.element()),
                    SubPart::Pseudo(Pseudo::Region),
                ])
            }),
            Value::Pseudo => Pseudo::AccountId.into(),
            Value::Foreign => {
                let stack = self.other.stack("Foreign");
                stack
                    .add_resource("T", CfnResource::new("AWS::SNS::Topic"))
                    .map_or(Expr::Null, |r| r.to_ref())
            }
        }
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Stack(name) => self
                .scopes
                .push(self.app.stack(name.as_str()).construct().clone()),
            Op::Scope(p, i) => {
                if let Some(parent) = World::pick(&self.scopes, *p) {
                    if let Ok(c) = parent.child(i) {
                        self.scopes.push(c);
                    }
                }
            }
            Op::Resource(p, i, t, props) => {
                if let Some(parent) = World::pick(&self.scopes, *p) {
                    let mut r = CfnResource::new(t.clone());
                    for (k, v) in props {
                        r.insert(k.clone(), self.expr(v));
                    }
                    if let Ok(r) = parent.add_resource(i, r) {
                        self.resources.push(r);
                    }
                }
            }
            Op::Output(p, i, v) => {
                if let Some(stack) = World::pick(&self.scopes, *p).and_then(|s| s.stack()) {
                    let value = self.expr(v);
                    stack.output(i, value).description("fuzzed");
                }
            }
            Op::Parameter(p, i) => {
                if let Some(stack) = World::pick(&self.scopes, *p).and_then(|s| s.stack()) {
                    stack.parameter(
                        i,
                        Parameter {
                            type_name: "String".into(),
                            ..Default::default()
                        },
                    );
                }
            }
            Op::Condition(p, i) => {
                if let Some(stack) = World::pick(&self.scopes, *p).and_then(|s| s.stack()) {
                    stack.condition(i, Expr::equals(Pseudo::Region, "us-east-1"));
                }
            }
            Op::Tag(s, k, v, priority, remove) => {
                let scope = World::pick(&self.scopes, *s).unwrap_or_else(|| self.app.construct());
                let props = TagProps {
                    priority: *priority,
                    ..Default::default()
                };
                if *remove {
                    Tags::of(&scope).remove_with(k.as_str(), props);
                } else {
                    Tags::of(&scope).add_with(k.as_str(), v.as_str(), props);
                }
            }
            Op::Annotate(s, level, m) => {
                let scope = World::pick(&self.scopes, *s).unwrap_or_else(|| self.app.construct());
                match level {
                    0 => Annotations::of(&scope).add_info(m.as_str()),
                    1 => Annotations::of(&scope).add_warning_v2("fuzz", m.as_str()),
                    _ => Annotations::of(&scope).acknowledge_warning("fuzz", m.as_str()),
                }
            }
            Op::Override(r, path, v) => {
                if let Some(r) = World::pick(&self.resources, *r) {
                    let value = self.expr(v);
                    r.add_override(path, value);
                }
            }
            Op::DependsOn(a, b) => {
                if let (Some(a), Some(b)) = (
                    World::pick(&self.resources, *a),
                    World::pick(&self.resources, *b),
                ) {
                    a.add_depends_on(&b);
                }
            }
            Op::LogicalId(r, id) => {
                if let Some(r) = World::pick(&self.resources, *r) {
                    let _ = r.override_logical_id(id.as_str());
                }
            }
        }
    }
}

proptest! {
    #[test]
    fn any_program_synthesizes_or_errs_without_panicking(ops in prop::collection::vec(op(), 0..40)) {
        let app = App::with_context(Context::empty());
        let mut world = World {
            other: App::with_context(Context::empty()),
            scopes: vec![app.stack("Main").construct().clone()],
            app,
            resources: Vec::new(),
        };
        for op in &ops {
            world.apply(op);
        }
        match world.app.synth() {
            Ok(assembly) => {
                for stack in &assembly.stacks {
                    let json = stack.template_json();
                    let back = Template::from_json(&json).expect("a synthesized template reads back");
                    prop_assert_eq!(&back, &stack.template);
                }
                let _ = assembly.manifest();
            }
            Err(e) => prop_assert!(!e.violations().is_empty(), "an error names what is wrong"),
        }
    }
}
