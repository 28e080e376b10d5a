//! Hand-written support types for the generated L1 constructs.
//!
//! Every generated property holds a [`Value<T>`]: either a literal `T` or an
//! [`Expr`] (a `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::If`, ...), because
//! CloudFormation accepts an intrinsic function wherever it accepts a value.
//! Free-form JSON properties (policy documents, `Json`-typed properties and the
//! few schema constructs that have no Rust shape) hold an [`Expr`] directly.
//!
//! ```
//! use formwork_cfn::support::Value;
//! use formwork_core::{Expr, Pseudo};
//! let name: Value<String> = "my-bucket".into();
//! let region: Value<String> = Expr::from(Pseudo::Region).into();
//! let ports: Value<Vec<Value<i64>>> = vec![80, 443].into();
//! assert_eq!(name, Value::Literal("my-bucket".to_owned()));
//! assert!(matches!(region, Value::Expr(_)));
//! assert!(matches!(ports, Value::Literal(_)));
//! ```

use formwork_core::{CfnResource, Expr, ExprMap};
use indexmap::IndexMap;

/// A property value: a literal of the schema's type, or any [`Expr`].
///
/// The `Expr` arm is also the escape hatch for values the generated types do
/// not know yet, such as an enum value added to CloudFormation after the
/// schemas were vendored: `Value::Expr("NEW_VALUE".into())`.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<T> {
    /// A literal value of the property's type.
    Literal(T),
    /// An intrinsic function or reference (or any other expression).
    Expr(Expr),
}

/// Conversion of a generated value to the [`Expr`] that synthesis renders.
pub trait Render {
    /// The value as an expression, with properties in CloudFormation's
    /// spelling and `None` properties left out.
    fn render(self) -> Expr;
}

/// Marks the types a [`Value`] converts from directly with `From`
/// (strings, numbers, booleans, generated structs and enums).
pub trait Literal: Render {}

impl<T: Literal> From<T> for Value<T> {
    fn from(value: T) -> Self {
        Value::Literal(value)
    }
}

impl<T> From<Expr> for Value<T> {
    fn from(expr: Expr) -> Self {
        Value::Expr(expr)
    }
}

impl From<&str> for Value<String> {
    fn from(s: &str) -> Self {
        Value::Literal(s.to_owned())
    }
}

impl From<&String> for Value<String> {
    fn from(s: &String) -> Self {
        Value::Literal(s.clone())
    }
}

impl From<i32> for Value<i64> {
    fn from(n: i32) -> Self {
        Value::Literal(n.into())
    }
}

impl From<u32> for Value<i64> {
    fn from(n: u32) -> Self {
        Value::Literal(n.into())
    }
}

impl From<i32> for Value<f64> {
    fn from(n: i32) -> Self {
        Value::Literal(n.into())
    }
}

impl<T, U: Into<T>> From<Vec<U>> for Value<Vec<T>> {
    fn from(items: Vec<U>) -> Self {
        Value::Literal(items.into_iter().map(Into::into).collect())
    }
}

impl<T, U: Into<T>> From<IndexMap<String, U>> for Value<IndexMap<String, T>> {
    fn from(entries: IndexMap<String, U>) -> Self {
        Value::Literal(entries.into_iter().map(|(k, v)| (k, v.into())).collect())
    }
}

impl<T, U: Into<T>, const N: usize> From<[(&str, U); N]> for Value<IndexMap<String, T>> {
    fn from(entries: [(&str, U); N]) -> Self {
        Value::Literal(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.into()))
                .collect(),
        )
    }
}

impl<T: Render> Render for Value<T> {
    fn render(self) -> Expr {
        match self {
            Value::Literal(v) => v.render(),
            Value::Expr(e) => e,
        }
    }
}

impl Render for Expr {
    fn render(self) -> Expr {
        self
    }
}

impl Render for String {
    fn render(self) -> Expr {
        Expr::from(self)
    }
}

impl Render for i64 {
    fn render(self) -> Expr {
        Expr::from(self)
    }
}

impl Render for f64 {
    fn render(self) -> Expr {
        Expr::from(self)
    }
}

impl Render for bool {
    fn render(self) -> Expr {
        Expr::Bool(self)
    }
}

impl<T: Render> Render for Box<T> {
    fn render(self) -> Expr {
        (*self).render()
    }
}

impl<T: Render> Render for Vec<T> {
    fn render(self) -> Expr {
        // Not `collect()`: in place, it would keep the larger allocation of
        // the values, spare capacity and all.
        let mut items = Vec::with_capacity(self.len());
        items.extend(self.into_iter().map(Render::render));
        Expr::List(items)
    }
}

impl<T: Render> Render for IndexMap<String, T> {
    fn render(self) -> Expr {
        // The keys of an `IndexMap` are distinct: no look-ups needed.
        let mut map = ExprMap::with_capacity(self.len());
        for (k, v) in self {
            map.push_unchecked(k, v.render());
        }
        Expr::Map(map)
    }
}

impl Literal for String {}
impl Literal for i64 {}
impl Literal for f64 {}
impl Literal for bool {}
impl<T: Literal> Literal for Box<T> {}

/// The properties of one object being rendered, in the order they are set
/// (the generated code sets them in alphabetical order, as the AWS CDK does).
#[doc(hidden)]
///
/// The names are the generated code's literals: setting one allocates
/// nothing but the map's own storage. The generated code sets each name at
/// most once, so a property is appended without looking for an earlier one.
#[derive(Debug, Default)]
pub struct PropMap(ExprMap);

#[doc(hidden)]
impl PropMap {
    /// Sets a required property.
    #[inline]
    pub fn req<T: Render>(&mut self, name: &'static str, value: T) {
        self.push(name, value.render());
    }

    /// Sets an optional property when it is `Some`.
    #[inline]
    pub fn opt<T: Render>(&mut self, name: &'static str, value: Option<T>) {
        if let Some(value) = value {
            self.push(name, value.render());
        }
    }

    fn push(&mut self, name: &'static str, value: Expr) {
        self.0.push_unchecked(name, value);
    }

    /// The object.
    pub fn into_expr(self) -> Expr {
        Expr::Map(self.0)
    }

    /// A resource of `type_name` with these properties.
    pub fn into_resource(self, type_name: &'static str) -> CfnResource {
        let mut resource = CfnResource::new(type_name);
        resource.properties = self.0;
        resource
    }
}
