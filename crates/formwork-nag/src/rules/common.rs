//! Small helpers shared by the rule modules.

use crate::rule::Outcome;

/// Granular findings, or compliant when there are none.
pub(crate) fn findings(found: Vec<String>) -> Outcome {
    if found.is_empty() {
        Outcome::Compliant
    } else {
        Outcome::Findings(found)
    }
}

/// Adds `item` unless present (cdk-nag collects findings in a `Set`).
pub(crate) fn push_unique(found: &mut Vec<String>, item: String) {
    if !found.contains(&item) {
        found.push(item);
    }
}

/// Compliant or not.
#[allow(dead_code)] // used by the rule modules as they are ported
pub(crate) fn compliant_if(ok: bool) -> Outcome {
    if ok {
        Outcome::Compliant
    } else {
        Outcome::NonCompliant
    }
}
