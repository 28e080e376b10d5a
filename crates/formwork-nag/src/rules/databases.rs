//! cdk-nag's `AwsSolutions` rules of this category (TODO: being ported).

use crate::rule::Rule;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[];
