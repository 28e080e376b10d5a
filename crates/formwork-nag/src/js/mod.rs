//! The template as cdk-nag's JavaScript sees it after `CfnInclude`: one
//! model shared by every rule, so that formwork and cdk-nag judge the same
//! template alike (docs/ARCHITECTURE.md, "Rule packs").
//!
//! - [`value`]: JavaScript values (`undefined`, truthiness, `===`/`==`,
//!   `` `${x}` ``, `JSON.stringify`, what throws) and `CfnInclude`'s
//!   conversions of string, boolean and number properties;
//! - [`token`]: intrinsic functions as unresolved L1 properties (token
//!   strings and token lists);
//! - [`reference`]: `resolveResourceFromIntrinsic` and `flattenCfnReference`;
//! - [`include_order`]: the order cross-resource rules meet the resources in;
//! - [`regex`]: JavaScript's `RegExp` on fancy-regex.

pub(crate) mod include_order;
pub(crate) mod reference;
pub(crate) mod regex;
pub(crate) mod token;
pub(crate) mod value;

pub(crate) use include_order::first_decisive;
pub(crate) use reference::{flatten, resolve_resource};
pub(crate) use regex::JsRegex;
pub(crate) use token::{text, text_list, TextList};
pub(crate) use value::*;
