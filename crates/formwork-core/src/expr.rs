//! Typed CloudFormation values and intrinsic functions.
//!
//! [`Expr`] is what every property, output and condition holds. References
//! to other elements ([`ElementRef`]) stay symbolic until synthesis, which
//! turns them into logical IDs (same stack) or `Fn::ImportValue` (another
//! stack of the same app). This is the typed counterpart of the AWS CDK's
//! string tokens: a reference can never be lost inside a string.

use std::borrow::Cow;

use indexmap::IndexMap;
use serde_json::Value;

/// A string that is either `'static` (borrowed, never allocated) or owned:
/// what [`Expr::Str`] and the keys of an [`ExprMap`] hold.
///
/// Nearly every key of a template (`Effect`, `Statement`, property names)
/// and many values (`2012-10-17`, `Allow`) are literals: they convert from
/// `&'static str` without an allocation, and from `String` without a copy.
pub type Str = Cow<'static, str>;

/// A reference to an element (resource, parameter, condition, mapping or
/// output) of some [`App`](crate::App): the app's id and the element's node.
///
/// It is a plain pair of indices, cheap to copy, so that an [`Expr`] can be
/// built, cloned and compared without touching the construct tree. Whether
/// it points at anything is checked at synthesis: a reference into another
/// app, or to an element of the wrong kind, is a synth error, not a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementRef {
    pub(crate) app: u32,
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
    /// A string (a `'static` literal is held without allocating).
    Str(Str),
    /// A list.
    List(Vec<Expr>),
    /// An object with keys in insertion order.
    Map(ExprMap),
    /// Verbatim JSON, emitted as is (an escape hatch for free-form documents).
    /// Boxed, since a `Value` is larger than every other variant.
    Json(Box<Value>),
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
        Expr::Map(ExprMap::new())
    }

    /// A string literal held without allocating: `Expr::from` copies a
    /// `&str`, since it cannot tell a `'static` one.
    ///
    /// ```
    /// use formwork_core::Expr;
    /// assert_eq!(Expr::from_static("Allow"), Expr::from("Allow"));
    /// ```
    pub const fn from_static(s: &'static str) -> Expr {
        Expr::Str(Cow::Borrowed(s))
    }

    /// Inserts `key: value` when `self` is a map, and returns it (builder style).
    /// On any other variant the value is returned unchanged.
    #[must_use]
    pub fn with(mut self, key: impl Into<Str>, value: impl Into<Expr>) -> Expr {
        if let Expr::Map(map) = &mut self {
            map.insert(key.into(), value.into());
        }
        self
    }

    /// The string, when this is a string literal.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    /// Calls `f` with every element whose value this expression uses, and
    /// the attribute for `Fn::GetAtt` (`Ref`, `Fn::GetAtt`, and their
    /// `Fn::Sub` forms), in document order. Conditions and mappings are not
    /// values: they never cross stacks.
    pub(crate) fn for_each_reference<'e>(
        &'e self,
        f: &mut impl FnMut(ElementRef, Option<&'e str>),
    ) {
        match self {
            Expr::Null
            | Expr::Bool(_)
            | Expr::Number(_)
            | Expr::Str(_)
            | Expr::Json(_)
            | Expr::Pseudo(_)
            | Expr::Condition(_) => {}
            Expr::List(items) | Expr::And(items) | Expr::Or(items) => {
                items.iter().for_each(|i| i.for_each_reference(f));
            }
            Expr::Join { parts, .. } => parts.iter().for_each(|p| p.for_each_reference(f)),
            Expr::Map(map) => map.values().for_each(|v| v.for_each_reference(f)),
            Expr::Ref(r) => f(*r, None),
            Expr::GetAtt(r, a) => f(*r, Some(a)),
            Expr::Sub(sub) => {
                for part in &sub.parts {
                    match part {
                        SubPart::Ref(r) => f(*r, None),
                        SubPart::GetAtt(r, a) => f(*r, Some(a)),
                        SubPart::Text(_) | SubPart::Pseudo(_) => {}
                    }
                }
                sub.variables.values().for_each(|v| v.for_each_reference(f));
            }
            Expr::Select { list: e, .. }
            | Expr::Split { source: e, .. }
            | Expr::ImportValue(e)
            | Expr::GetAzs(e)
            | Expr::Base64(e)
            | Expr::Not(e) => e.for_each_reference(f),
            Expr::If {
                then, otherwise, ..
            } => {
                then.for_each_reference(f);
                otherwise.for_each_reference(f);
            }
            Expr::FindInMap { top, second, .. } => {
                top.for_each_reference(f);
                second.for_each_reference(f);
            }
            Expr::Equals(a, b) => {
                a.for_each_reference(f);
                b.for_each_reference(f);
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
    /// Copies the string; see [`Expr::from_static`] for literals.
    fn from(s: &str) -> Self {
        Expr::Str(Cow::Owned(s.to_owned()))
    }
}
impl From<String> for Expr {
    fn from(s: String) -> Self {
        Expr::Str(Cow::Owned(s))
    }
}
impl From<&String> for Expr {
    fn from(s: &String) -> Self {
        Expr::Str(Cow::Owned(s.clone()))
    }
}
impl From<Str> for Expr {
    fn from(s: Str) -> Self {
        Expr::Str(s)
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
        Expr::Json(Box::new(v))
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
        // The keys of an `IndexMap` are distinct: no look-ups needed.
        let mut map = ExprMap::with_capacity(m.len());
        for (k, v) in m {
            map.push_unchecked(k, v);
        }
        Expr::Map(map)
    }
}
impl From<ExprMap> for Expr {
    fn from(m: ExprMap) -> Self {
        Expr::Map(m)
    }
}
impl<const N: usize> From<[(&'static str, Expr); N]> for Expr {
    /// An object of `'static` keys, sized exactly (a later duplicate key
    /// replaces the value of the first).
    fn from(entries: [(&'static str, Expr); N]) -> Self {
        let mut map = ExprMap::with_capacity(N);
        for (k, v) in entries {
            map.insert(k, v);
        }
        Expr::Map(map)
    }
}

/// The object of an [`Expr::Map`]: entries in insertion order, keyed by
/// [`Str`] (so `'static` keys cost no allocation).
///
/// It is a vector of pairs with one allocation, not a hash map: the objects
/// of a template are small, and a linear scan over a few keys beats hashing
/// them. Lookups and inserts are linear in the number of entries. Inserting
/// an existing key replaces its value in place, as `IndexMap::insert` does,
/// and equality ignores the order of the entries, as `IndexMap`'s does.
///
/// ```
/// use formwork_core::{Expr, ExprMap};
/// let mut m = ExprMap::with_capacity(2);
/// m.insert("Effect", Expr::from_static("Allow"));
/// m.insert(String::from("Sid"), "First".into());
/// m.insert("Effect", "Deny".into());
/// assert_eq!(m.len(), 2);
/// assert_eq!(m.get("Effect"), Some(&Expr::from("Deny")));
/// assert_eq!(m.keys().collect::<Vec<_>>(), ["Effect", "Sid"]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct ExprMap {
    entries: Vec<(Str, Expr)>,
}

/// The iterator of [`ExprMap::iter`].
pub type ExprMapIter<'a> =
    std::iter::Map<std::slice::Iter<'a, (Str, Expr)>, fn(&'a (Str, Expr)) -> (&'a str, &'a Expr)>;

fn entry_ref((k, v): &(Str, Expr)) -> (&str, &Expr) {
    (k, v)
}

impl ExprMap {
    /// An empty map (no allocation).
    pub const fn new() -> Self {
        ExprMap {
            entries: Vec::new(),
        }
    }

    /// An empty map with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        ExprMap {
            entries: Vec::with_capacity(capacity),
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Reserves room for `additional` more entries.
    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }

    /// Sets `key` to `value`. An existing key keeps its position and its
    /// old value is returned; a new key goes last.
    pub fn insert(&mut self, key: impl Into<Str>, value: Expr) -> Option<Expr> {
        let key = key.into();
        match self.get_index_of(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Appends `key: value` without looking for an existing `key`, for
    /// builders whose keys are distinct by construction (such as generated
    /// code setting each property once). A duplicate key is a bug: debug
    /// builds panic on it, release builds keep both entries and look-ups
    /// find the first.
    pub fn push_unchecked(&mut self, key: impl Into<Str>, value: Expr) {
        let key = key.into();
        debug_assert!(!self.contains_key(&key), "duplicate key {key:?}");
        self.entries.push((key, value));
    }

    /// The position of `key`.
    pub fn get_index_of(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Expr> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Expr> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The entry at position `index`.
    pub fn get_index(&self, index: usize) -> Option<(&str, &Expr)> {
        self.entries.get(index).map(|(k, v)| (&**k, v))
    }

    /// The value at position `index`, mutably.
    pub fn get_index_mut(&mut self, index: usize) -> Option<&mut Expr> {
        self.entries.get_mut(index).map(|(_, v)| v)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get_index_of(key).is_some()
    }

    /// Removes `key`, keeping the order of the other entries, and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Expr> {
        let i = self.get_index_of(key)?;
        Some(self.entries.remove(i).1)
    }

    /// The entries, in order.
    pub fn iter(&self) -> ExprMapIter<'_> {
        self.entries.iter().map(entry_ref)
    }

    /// The entries, in order, with mutable values.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Expr)> {
        self.entries.iter_mut().map(|(k, v)| (&**k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| &**k)
    }

    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &Expr> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values, in order, mutably.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Expr> {
        self.entries.iter_mut().map(|(_, v)| v)
    }
}

impl PartialEq for ExprMap {
    /// Same entries, in any order.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl std::ops::Index<&str> for ExprMap {
    type Output = Expr;
    /// The value of `key`; panics when it is missing.
    fn index(&self, key: &str) -> &Expr {
        self.get(key)
            .unwrap_or_else(|| panic!("ExprMap: no entry for key {key:?}"))
    }
}

impl std::ops::IndexMut<&str> for ExprMap {
    fn index_mut(&mut self, key: &str) -> &mut Expr {
        match self.get_index_of(key) {
            Some(i) => &mut self.entries[i].1,
            None => panic!("ExprMap: no entry for key {key:?}"),
        }
    }
}

impl std::ops::Index<usize> for ExprMap {
    type Output = Expr;
    /// The value at position `index`; panics when out of bounds.
    fn index(&self, index: usize) -> &Expr {
        &self.entries[index].1
    }
}

impl std::ops::IndexMut<usize> for ExprMap {
    fn index_mut(&mut self, index: usize) -> &mut Expr {
        &mut self.entries[index].1
    }
}

impl<K: Into<Str>> FromIterator<(K, Expr)> for ExprMap {
    fn from_iter<I: IntoIterator<Item = (K, Expr)>>(iter: I) -> Self {
        let mut map = ExprMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Into<Str>> Extend<(K, Expr)> for ExprMap {
    fn extend<I: IntoIterator<Item = (K, Expr)>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.entries.reserve(iter.size_hint().0);
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for ExprMap {
    type Item = (Str, Expr);
    type IntoIter = std::vec::IntoIter<(Str, Expr)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a ExprMap {
    type Item = (&'a str, &'a Expr);
    type IntoIter = ExprMapIter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
