//! Typed CloudFormation values and intrinsic functions.
//!
//! [`Expr`] is what every property, output and condition holds. References
//! to other elements ([`ElementRef`]) stay symbolic until synthesis, which
//! turns them into logical IDs (same stack) or `Fn::ImportValue` (another
//! stack of the same app). This is the typed counterpart of the AWS CDK's
//! string tokens: a reference can never be lost inside a string.

use indexmap::IndexMap;
use serde_json::Value;

/// A reference to an element (resource, parameter, condition, mapping or
/// output) of some stack of some [`App`](crate::App).
///
/// It is a plain index triple, cheap to copy. Whether it points at anything
/// is checked at synthesis: a reference into another app, or to an element of
/// the wrong kind, is a synth error rather than a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementRef {
    pub(crate) app: u32,
    pub(crate) stack: u32,
    pub(crate) node: u32,
}

/// CloudFormation pseudo parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pseudo {
    /// `AWS::AccountId`
    AccountId,
    /// `AWS::NotificationARNs`
    NotificationArns,
    /// `AWS::NoValue`: removes the property it is assigned to.
    NoValue,
    /// `AWS::Partition` (`aws`, `aws-cn`, `aws-us-gov`, ...). Use it instead of
    /// hard-coding `aws` in ARNs.
    Partition,
    /// `AWS::Region`
    Region,
    /// `AWS::StackId`
    StackId,
    /// `AWS::StackName`
    StackName,
    /// `AWS::URLSuffix`
    UrlSuffix,
}

impl Pseudo {
    /// The name CloudFormation uses, e.g. `AWS::Partition`.
    pub const fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
            Pseudo::NoValue => "AWS::NoValue",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }
}

/// One piece of an `Fn::Sub` template.
#[derive(Clone, Debug, PartialEq)]
pub enum SubPart {
    /// Template text, copied verbatim (so `${AWS::Region}` in it keeps its meaning).
    Text(String),
    /// `${LogicalId}` of the element.
    Ref(ElementRef),
    /// `${LogicalId.Attribute}`.
    GetAtt(ElementRef, String),
    /// `${AWS::Partition}` and friends.
    Pseudo(Pseudo),
}

/// The body of an `Fn::Sub`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Sub {
    /// The template, as parts; element references are rendered as `${LogicalId}`.
    pub parts: Vec<SubPart>,
    /// Explicit variables (`Fn::Sub`'s second argument).
    pub variables: IndexMap<String, Expr>,
}

/// A CloudFormation value: a literal, a collection, or an intrinsic function.
///
/// Literals convert with `From`:
///
/// ```
/// use formwork_core::{Expr, Pseudo};
/// let name: Expr = "BotPool".into();
/// let arn = Expr::join("", ["arn:".into(), Pseudo::Partition.into(), ":iam::aws:policy/ReadOnlyAccess".into()]);
/// assert_eq!(name, Expr::Str("BotPool".into()));
/// assert!(matches!(arn, Expr::Join { .. }));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// JSON `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Expr>),
    /// An object with keys in insertion order.
    Map(IndexMap<String, Expr>),
    /// Verbatim JSON, emitted as is (an escape hatch for free-form documents).
    Json(Value),
    /// `{"Ref": LogicalId}` of a resource or parameter.
    Ref(ElementRef),
    /// `{"Fn::GetAtt": [LogicalId, Attribute]}`.
    GetAtt(ElementRef, String),
    /// `{"Ref": "AWS::..."}`.
    Pseudo(Pseudo),
    /// `{"Fn::Join": [sep, [parts]]}`.
    Join {
        /// The separator.
        separator: String,
        /// The values joined.
        parts: Vec<Expr>,
    },
    /// `{"Fn::Sub": ...}`.
    Sub(Box<Sub>),
    /// `{"Fn::Select": [index, list]}`.
    Select {
        /// Zero-based index.
        index: u32,
        /// The list selected from.
        list: Box<Expr>,
    },
    /// `{"Fn::Split": [sep, source]}`.
    Split {
        /// The delimiter.
        separator: String,
        /// The string split.
        source: Box<Expr>,
    },
    /// `{"Fn::If": [Condition, then, else]}`.
    If {
        /// The condition element.
        condition: ElementRef,
        /// Value when the condition is true.
        then: Box<Expr>,
        /// Value when the condition is false.
        otherwise: Box<Expr>,
    },
    /// `{"Fn::ImportValue": name}`.
    ImportValue(Box<Expr>),
    /// `{"Fn::GetAZs": region}`.
    GetAzs(Box<Expr>),
    /// `{"Fn::Base64": value}`.
    Base64(Box<Expr>),
    /// `{"Fn::FindInMap": [Mapping, top, second]}`.
    FindInMap {
        /// The mapping element.
        mapping: ElementRef,
        /// Top-level key.
        top: Box<Expr>,
        /// Second-level key.
        second: Box<Expr>,
    },
    /// `{"Fn::Equals": [a, b]}` (conditions only).
    Equals(Box<Expr>, Box<Expr>),
    /// `{"Fn::And": [...]}` (conditions only).
    And(Vec<Expr>),
    /// `{"Fn::Or": [...]}` (conditions only).
    Or(Vec<Expr>),
    /// `{"Fn::Not": [c]}` (conditions only).
    Not(Box<Expr>),
    /// `{"Condition": Name}` (inside condition expressions).
    Condition(ElementRef),
}

impl Expr {
    /// `Fn::Join`.
    pub fn join(separator: impl Into<String>, parts: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::Join {
            separator: separator.into(),
            parts: parts.into_iter().collect(),
        }
    }

    /// `Fn::Sub` over a raw template string such as `"arn:${AWS::Partition}:s3:::my-bucket"`.
    pub fn sub(template: impl Into<String>) -> Expr {
        Expr::Sub(Box::new(Sub {
            parts: vec![SubPart::Text(template.into())],
            variables: IndexMap::new(),
        }))
    }

    /// `Fn::Sub` built from parts, so that element references stay typed.
    pub fn sub_parts(parts: impl IntoIterator<Item = SubPart>) -> Expr {
        Expr::Sub(Box::new(Sub {
            parts: parts.into_iter().collect(),
            variables: IndexMap::new(),
        }))
    }

    /// `Fn::Select`.
    pub fn select(index: u32, list: impl Into<Expr>) -> Expr {
        Expr::Select {
            index,
            list: Box::new(list.into()),
        }
    }

    /// `Fn::Split`.
    pub fn split(separator: impl Into<String>, source: impl Into<Expr>) -> Expr {
        Expr::Split {
            separator: separator.into(),
            source: Box::new(source.into()),
        }
    }

    /// `Fn::If` on a condition element.
    pub fn if_(
        condition: crate::ConditionRef,
        then: impl Into<Expr>,
        otherwise: impl Into<Expr>,
    ) -> Expr {
        Expr::If {
            condition: condition.element(),
            then: Box::new(then.into()),
            otherwise: Box::new(otherwise.into()),
        }
    }

    /// `Fn::ImportValue` of an export name.
    pub fn import_value(name: impl Into<Expr>) -> Expr {
        Expr::ImportValue(Box::new(name.into()))
    }

    /// `Fn::GetAZs` (an empty string means the stack's region).
    pub fn get_azs(region: impl Into<Expr>) -> Expr {
        Expr::GetAzs(Box::new(region.into()))
    }

    /// `Fn::Base64`.
    pub fn base64(value: impl Into<Expr>) -> Expr {
        Expr::Base64(Box::new(value.into()))
    }

    /// `Fn::Equals`.
    pub fn equals(a: impl Into<Expr>, b: impl Into<Expr>) -> Expr {
        Expr::Equals(Box::new(a.into()), Box::new(b.into()))
    }

    /// `Fn::Not`.
    pub fn not(condition: impl Into<Expr>) -> Expr {
        Expr::Not(Box::new(condition.into()))
    }

    /// An empty object.
    pub fn map() -> Expr {
        Expr::Map(IndexMap::new())
    }

    /// Inserts `key: value` when `self` is a map, and returns it (builder style).
    /// On any other variant the value is returned unchanged.
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Expr>) -> Expr {
        if let Expr::Map(map) = &mut self {
            map.insert(key.into(), value.into());
        }
        self
    }

    /// The string, when this is a string literal.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Calls `f` with every element this value refers to (`Ref`, `Fn::GetAtt`,
    /// `Fn::Sub` references, and the conditions and mappings of `Fn::If`,
    /// `Fn::FindInMap` and `Condition`), without allocating.
    pub(crate) fn for_each_ref(&self, f: &mut impl FnMut(ElementRef)) {
        match self {
            Expr::Null
            | Expr::Bool(_)
            | Expr::Number(_)
            | Expr::Str(_)
            | Expr::Json(_)
            | Expr::Pseudo(_) => {}
            Expr::List(items) | Expr::And(items) | Expr::Or(items) => {
                items.iter().for_each(|i| i.for_each_ref(f));
            }
            Expr::Join { parts, .. } => parts.iter().for_each(|p| p.for_each_ref(f)),
            Expr::Map(map) => map.values().for_each(|v| v.for_each_ref(f)),
            Expr::Ref(r) | Expr::GetAtt(r, _) | Expr::Condition(r) => f(*r),
            Expr::Sub(sub) => {
                for part in &sub.parts {
                    if let SubPart::Ref(r) | SubPart::GetAtt(r, _) = part {
                        f(*r);
                    }
                }
                sub.variables.values().for_each(|v| v.for_each_ref(f));
            }
            Expr::Select { list: e, .. }
            | Expr::Split { source: e, .. }
            | Expr::ImportValue(e)
            | Expr::GetAzs(e)
            | Expr::Base64(e)
            | Expr::Not(e) => e.for_each_ref(f),
            Expr::If {
                condition,
                then,
                otherwise,
            } => {
                f(*condition);
                then.for_each_ref(f);
                otherwise.for_each_ref(f);
            }
            Expr::FindInMap {
                mapping,
                top,
                second,
            } => {
                f(*mapping);
                top.for_each_ref(f);
                second.for_each_ref(f);
            }
            Expr::Equals(a, b) => {
                a.for_each_ref(f);
                b.for_each_ref(f);
            }
        }
    }

    /// True when the value contains no reference or intrinsic function, so its
    /// final value is known at synthesis.
    pub fn is_literal(&self) -> bool {
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::Str(_) | Expr::Json(_) => true,
            Expr::List(items) => items.iter().all(Expr::is_literal),
            Expr::Map(map) => map.values().all(Expr::is_literal),
            _ => false,
        }
    }
}

impl From<&str> for Expr {
    fn from(s: &str) -> Self {
        Expr::Str(s.to_owned())
    }
}
impl From<String> for Expr {
    fn from(s: String) -> Self {
        Expr::Str(s)
    }
}
impl From<&String> for Expr {
    fn from(s: &String) -> Self {
        Expr::Str(s.clone())
    }
}
impl From<bool> for Expr {
    fn from(b: bool) -> Self {
        Expr::Bool(b)
    }
}
macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Expr {
            fn from(n: $t) -> Self {
                Expr::Number(n.into())
            }
        }
    )*};
}
from_int!(i32, i64, u16, u32, u64, usize);
impl From<f64> for Expr {
    fn from(n: f64) -> Self {
        serde_json::Number::from_f64(n).map_or(Expr::Null, Expr::Number)
    }
}
impl From<Pseudo> for Expr {
    fn from(p: Pseudo) -> Self {
        Expr::Pseudo(p)
    }
}
impl From<Value> for Expr {
    fn from(v: Value) -> Self {
        Expr::Json(v)
    }
}
impl From<&Expr> for Expr {
    fn from(e: &Expr) -> Self {
        e.clone()
    }
}
impl<T: Into<Expr>> From<Vec<T>> for Expr {
    fn from(items: Vec<T>) -> Self {
        Expr::List(items.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Expr>> From<Option<T>> for Expr {
    /// `None` becomes `AWS::NoValue`, which removes the property.
    fn from(v: Option<T>) -> Self {
        v.map_or(Expr::Pseudo(Pseudo::NoValue), Into::into)
    }
}
impl From<IndexMap<String, Expr>> for Expr {
    fn from(m: IndexMap<String, Expr>) -> Self {
        Expr::Map(m)
    }
}
impl<const N: usize> From<[(&str, Expr); N]> for Expr {
    fn from(entries: [(&str, Expr); N]) -> Self {
        Expr::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }
}
