//! Names unique per account, derived from the construct path as the CDK's
//! `Names.uniqueResourceName` derives them (CloudFront resources are
//! global, so a name must tell apart the same construct in two stacks).

use md5::{Digest, Md5};

/// Hash length, in hex digits.
const HASH_LEN: usize = 8;

/// `components` (the stack name, then the construct ids down to the
/// construct) as a name of at most `max_len` characters: the alphanumeric
/// characters of the components (consecutive duplicates and `Resource`
/// dropped, `Default` ignored), cut in the middle when too long, then the
/// first 8 hex digits of the MD5 of the path, upper case.
pub(crate) fn unique_resource_name(components: &[&str], max_len: usize) -> String {
    let components: Vec<&str> = components
        .iter()
        .copied()
        .filter(|c| *c != "Default")
        .collect();
    let mut human = String::new();
    let mut previous: Option<&str> = None;
    for c in &components {
        if previous.is_some_and(|p| p.ends_with(c)) {
            continue;
        }
        previous = Some(c);
        if *c != "Resource" {
            human.extend(c.chars().filter(char::is_ascii_alphanumeric));
        }
    }
    let room = max_len.saturating_sub(HASH_LEN);
    if human.len() > room {
        // Only ASCII is left, so byte offsets are character offsets.
        let half = room / 2;
        human = format!("{}{}", &human[..half], &human[human.len() - half..]);
    }
    let digest = Md5::digest(components.join("/").as_bytes());
    for byte in &digest[..HASH_LEN / 2] {
        human.push_str(&format!("{byte:02X}"));
    }
    human
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cdks_names() {
        // aws-cdk-lib 2.276.0: an S3OriginAccessControl of
        // `new Distribution(stack 'SiteStack', 'Cdn', ...)`.
        assert_eq!(
            unique_resource_name(
                &["SiteStack", "Cdn", "Origin1", "S3OriginAccessControl"],
                64
            ),
            "SiteStackCdnOrigin1S3OriginAccessControlDF9F6811"
        );
    }

    #[test]
    fn long_names_are_cut_in_the_middle() {
        let long = "A".repeat(40);
        let name = unique_resource_name(&[&long, "Cdn", "Origin1", "S3OriginAccessControl"], 64);
        assert_eq!(name.len(), 64);
        assert!(name.starts_with(&"A".repeat(28)), "{name}");
        assert!(name[..56].ends_with("S3OriginAccessControl"), "{name}");
    }
}
