//! The schema validator reads [`Resolved`] values in place (feature `schema`).

use std::borrow::Cow;

use formwork_schema::{is_intrinsic_name, Instance, Node, Returns};
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
    len == 1 && first.is_some_and(is_intrinsic_name)
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
            Value::Object(m) if is_intrinsic_key(m.len(), m.keys().next().map(String::as_str)) => {
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
            Inner::Properties(m) => return self.entries(EntriesInner::Exprs(m.iter()), m.len()),
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
            Inner::Json(v) => v.is_no_value(),
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use formwork_schema::{is_intrinsic_name, Instance, Node};
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
                        .map(|k| is_intrinsic_name(k)),
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
