//! CDK-compatible logical IDs.
//!
//! The algorithm matches the AWS CDK's `makeUniqueId`, so that an app ported
//! from the CDK keeps its resources: a changed logical ID would make
//! CloudFormation replace the resource.

use md5::{Digest, Md5};

/// Construct ids that disappear from paths (the CDK's "hidden" id).
pub const HIDDEN_ID: &str = "Default";
/// The conventional id of a construct's main resource; kept in the hash but
/// dropped from the human part.
pub const RESOURCE_ID: &str = "Resource";
const MAX_ID_LEN: usize = 255;
const MAX_HUMAN_LEN: usize = 240;

/// Computes the logical ID of an element from its path components below
/// the stack.
///
/// Returns `None` when nothing alphanumeric is left (for example a single
/// component `"--"`), which the caller reports as a synth error.
///
/// ```
/// use formwork_core::logical_id::logical_id;
/// assert_eq!(logical_id(&["BotPool", "Resource"]).as_deref(), Some("BotPool952BDFC5"));
/// assert_eq!(logical_id(&["IdentityPoolId"]).as_deref(), Some("IdentityPoolId"));
/// ```
pub fn logical_id<S: AsRef<str>>(components: &[S]) -> Option<String> {
    let mut out = String::new();
    write_logical_id(components.iter().map(AsRef::as_ref), &mut out);
    (!out.is_empty()).then_some(out)
}

/// Like [`logical_id`], appending to `out` (cleared first) to reuse its buffer.
pub fn write_logical_id<'a>(components: impl Iterator<Item = &'a str> + Clone, out: &mut String) {
    out.clear();
    let visible = components.filter(|c| *c != HIDDEN_ID);
    let mut count = 0usize;
    let mut only = "";
    for c in visible.clone() {
        count += 1;
        only = c;
    }
    if count == 0 {
        return;
    }
    if count == 1 {
        // One past the limit tells "too long" apart from "exactly 255".
        push_alphanumeric(only, out, MAX_ID_LEN + 1);
        if out.len() <= MAX_ID_LEN {
            return;
        }
        out.clear();
    }

    // Human part: consecutive duplicates collapsed, `Resource` dropped.
    let mut previous: Option<&str> = None;
    for c in visible.clone() {
        let duplicate = previous.is_some_and(|p| p.ends_with(c));
        if !duplicate {
            previous = Some(c);
            if c != RESOURCE_ID {
                push_alphanumeric(c, out, MAX_HUMAN_LEN);
            }
        }
    }

    let mut hasher = Md5::new();
    for (i, c) in visible.enumerate() {
        if i > 0 {
            hasher.update(b"/");
        }
        hasher.update(c.as_bytes());
    }
    let digest = hasher.finalize();
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in &digest[..4] {
        out.push(HEX[(byte >> 4) as usize] as char);
        out.push(HEX[(byte & 0xF) as usize] as char);
    }
}

fn push_alphanumeric(component: &str, out: &mut String, limit: usize) {
    for ch in component.chars() {
        if out.len() >= limit {
            return;
        }
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        }
    }
}

/// True when `id` is a valid CloudFormation logical ID (alphanumeric, 1–255).
pub fn is_valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(path: &str) -> String {
        let parts: Vec<&str> = path.split('/').collect();
        logical_id(&parts).unwrap()
    }

    #[test]
    fn design_vectors() {
        assert_eq!(id("BotPool/Resource"), "BotPool952BDFC5");
        assert_eq!(
            id("BotPool/AuthenticatedRole/Resource"),
            "BotPoolAuthenticatedRoleA72E555F"
        );
        assert_eq!(
            id("BotPool/UnauthenticatedRole/Resource"),
            "BotPoolUnauthenticatedRole06643A7A"
        );
        assert_eq!(
            id("BotPool/DefaultRoleAttachment/Resource"),
            "BotPoolDefaultRoleAttachmentC701EF11"
        );
        assert_eq!(
            id("TestIdentityPoolMinimal/Resource"),
            "TestIdentityPoolMinimal44837852"
        );
    }

    #[test]
    fn single_component_is_used_as_is() {
        assert_eq!(id("IdentityPoolId"), "IdentityPoolId");
        assert_eq!(id("My-Bucket_1"), "MyBucket1");
    }

    #[test]
    fn default_is_hidden() {
        assert_eq!(id("Default/Bucket"), "Bucket");
        assert_eq!(id("BotPool/Default/Resource"), id("BotPool/Resource"));
    }

    #[test]
    fn duplicates_collapse_in_the_human_part_only() {
        // "Bucket/Bucket" keeps one "Bucket" but hashes both.
        let collapsed = id("Bucket/Bucket");
        assert!(collapsed.starts_with("Bucket") && !collapsed.starts_with("BucketBucket"));
        assert_ne!(collapsed, id("Bucket/Resource"));
    }

    #[test]
    fn nothing_alphanumeric_is_none() {
        assert_eq!(logical_id(&["--"]), None);
        assert_eq!(logical_id::<&str>(&[]), None);
        assert_eq!(logical_id(&["Default"]), None);
    }

    #[test]
    fn long_ids_are_cut_and_hashed() {
        let long = "A".repeat(300);
        let one = id(&long);
        assert_eq!(one.len(), 248);
        let two = id(&format!("{long}/B"));
        assert_eq!(two.len(), 248);
        assert!(is_valid_logical_id(&one));
    }
}
