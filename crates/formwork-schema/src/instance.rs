//! What the validator reads: any JSON-shaped value, not only a
//! [`serde_json::Value`].
//!
//! Synthesis validates a resource's properties before (or instead of) building
//! them as a `serde_json::Value` tree: formwork-core implements [`Instance`]
//! for its resolved-expression view, so that validation costs a walk and no
//! allocation: [`validate_instance`](crate::validate_instance) takes any
//! `Instance`. `&serde_json::Value` implements it too, and is what
//! [`validate_properties`](crate::validate_properties) takes.

use std::borrow::Cow;

use serde_json::{Number, Value};

/// A read-only, JSON-shaped value borrowed for `'a`.
///
/// Implementations are cheap handles (`Copy`): a reference, or a reference
/// plus context. Every value is exactly one [`Node`]; an intrinsic function
/// (an object with one key, `Ref` or `Fn::*`) must be reported as
/// [`Node::Intrinsic`], never as an object, since the validator checks an
/// intrinsic's shape rather than the schema's value rules.
pub trait Instance<'a>: Copy + 'a {
    /// The items of an array.
    type Items: Iterator<Item = Self>;
    /// The entries of an object, in document order.
    type Entries: Iterator<Item = (&'a str, Self)>;

    /// What this value is.
    fn node(self) -> Node<'a, Self>;

    /// The entry `key` of an object (`None` for other values).
    fn get(self, key: &str) -> Option<Self>;

    /// The value as JSON: for messages, for comparing whole values
    /// (`enum`, `const`, `uniqueItems`) and for intrinsic functions.
    /// Borrowed where the value already is JSON.
    fn to_json(self) -> Cow<'a, Value>;

    /// For an intrinsic function that is well formed, nested intrinsics
    /// included (so that checking its shape would find nothing), and is not
    /// `Fn::If`: its name and what it returns. The validator then needs no
    /// JSON for it. `None` (the default) makes the validator read the
    /// intrinsic's JSON through [`Instance::to_json`], which is always right.
    fn well_formed_intrinsic(self) -> Option<(&'a str, Returns)> {
        None
    }

    /// Whether this is `{"Ref": "AWS::NoValue"}` (the property counts as absent).
    fn is_no_value(self) -> bool {
        matches!(self.node(), Node::Intrinsic) && crate::intrinsics::is_no_value(&self.to_json())
    }
}

/// What an intrinsic function evaluates to, as far as it is known without
/// resolving references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// A string (`Fn::Join`, `Fn::Sub`, most pseudo parameters, ...).
    String,
    /// A list (`Fn::GetAZs`, `Fn::Split`, `AWS::NotificationARNs`, ...).
    List,
    /// An integer (`Fn::Length`).
    Integer,
    /// Depends on what it refers to (`Ref` of a parameter or resource,
    /// `Fn::GetAtt`, `Fn::Select`, `Fn::FindInMap`, `Fn::ImportValue`, ...).
    Unknown,
}

/// One JSON value, as an [`Instance`] presents it.
pub enum Node<'a, I: Instance<'a>> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(&'a Number),
    /// A string.
    String(&'a str),
    /// An array of `len` items.
    Array {
        /// The number of items.
        len: usize,
        /// The items.
        items: I::Items,
    },
    /// An object of `len` entries that is not an intrinsic function.
    Object {
        /// The number of entries.
        len: usize,
        /// The entries.
        entries: I::Entries,
    },
    /// An intrinsic function (`{"Ref": ...}`, `{"Fn::Join": ...}`, ...): a
    /// one-key object, read through [`Instance::well_formed_intrinsic`] or
    /// [`Instance::to_json`].
    Intrinsic,
}

impl<'a> Instance<'a> for &'a Value {
    type Items = std::slice::Iter<'a, Value>;
    type Entries = std::iter::Map<
        serde_json::map::Iter<'a>,
        fn((&'a String, &'a Value)) -> (&'a str, &'a Value),
    >;

    fn node(self) -> Node<'a, Self> {
        match self {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n),
            Value::String(s) => Node::String(s),
            Value::Array(items) => Node::Array {
                len: items.len(),
                items: items.iter(),
            },
            Value::Object(_) if crate::intrinsics::as_intrinsic(self).is_some() => Node::Intrinsic,
            Value::Object(map) => Node::Object {
                len: map.len(),
                entries: map.iter().map(|(k, v)| (k.as_str(), v)),
            },
        }
    }

    fn get(self, key: &str) -> Option<Self> {
        let map = self.as_object()?;
        // Hashing the key (SipHash) costs more than comparing it with the
        // few keys of a small object.
        if map.len() <= 8 {
            map.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
        } else {
            map.get(key)
        }
    }

    fn to_json(self) -> Cow<'a, Value> {
        Cow::Borrowed(self)
    }
}
