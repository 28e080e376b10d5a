//! S3's bucket naming rules (general purpose buckets), checked on literal
//! names so that a bad name is a synth-time error naming the construct
//! path, the property and the rule rather than a failed deploy.

use formwork_core::{Error, Expr, Result};

/// Prefixes S3 reserves.
const RESERVED_PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];
/// Suffixes S3 reserves (access point aliases, Object Lambda, Multi-Region
/// Access Points, directory and table buckets).
const RESERVED_SUFFIXES: &[&str] = &["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/// Which rules apply: a new bucket's, or the looser ones of buckets created
/// before March 2018 in us-east-1 (upper case and `_`), which an import may
/// name, as the CDK's `fromBucketName` allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Naming {
    New,
    Legacy,
}

/// Checks `value` (when it is a literal) as the `property` of the construct
/// at `path`.
pub(crate) fn check_bucket_name(
    path: &str,
    property: &str,
    value: &Expr,
    naming: Naming,
) -> Result<()> {
    match value {
        Expr::Str(name) => match problem(name, naming) {
            Some(rule) => Err(Error::invalid(
                path,
                Some(property),
                format!("{rule}, got {:?}", &**name),
            )),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The first rule `name` breaks.
fn problem(name: &str, naming: Naming) -> Option<String> {
    let len = name.chars().count();
    if !(3..=63).contains(&len) {
        return Some(format!(
            "a bucket name must be 3-63 characters long (it is {len})"
        ));
    }
    let edge_ok = |c: char| match naming {
        Naming::New => c.is_ascii_lowercase() || c.is_ascii_digit(),
        Naming::Legacy => c.is_ascii_alphanumeric(),
    };
    let char_ok = |c: char| match naming {
        Naming::New => edge_ok(c) || c == '.' || c == '-',
        Naming::Legacy => edge_ok(c) || ".-_".contains(c),
    };
    if let Some((i, c)) = name.char_indices().find(|(_, c)| !char_ok(*c)) {
        return Some(match naming {
            Naming::New => format!("a bucket name may hold only lowercase letters, digits, '.' and '-' (^[a-z0-9][a-z0-9.-]*[a-z0-9]$); {c:?} at offset {i} is not allowed"),
            Naming::Legacy => format!("a bucket name may hold only letters, digits, '.', '_' and '-'; {c:?} at offset {i} is not allowed"),
        });
    }
    let (first, last) = (name.chars().next()?, name.chars().last()?);
    if !edge_ok(first) || !edge_ok(last) {
        return Some("a bucket name must begin and end with a letter or digit".to_owned());
    }
    if let Some(i) = ["..", ".-", "-."].iter().filter_map(|p| name.find(p)).min() {
        return Some(format!(
            "a bucket name must not have two adjacent periods, nor a period next to a dash (offset {i})"
        ));
    }
    if looks_like_ip(name) {
        return Some("a bucket name must not be formatted as an IP address".to_owned());
    }
    if naming == Naming::New {
        if let Some(p) = RESERVED_PREFIXES.iter().find(|p| name.starts_with(*p)) {
            return Some(format!(
                "a bucket name must not start with the reserved prefix {p:?}"
            ));
        }
        if let Some(s) = RESERVED_SUFFIXES.iter().find(|s| name.ends_with(*s)) {
            return Some(format!(
                "a bucket name must not end with the reserved suffix {s:?}"
            ));
        }
    }
    None
}

/// `1.2.3.4`: four groups of one to three digits.
fn looks_like_ip(name: &str) -> bool {
    let groups: Vec<&str> = name.split('.').collect();
    groups.len() == 4
        && groups
            .iter()
            .all(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str) -> Option<String> {
        problem(name, Naming::New)
    }

    #[test]
    fn valid_names() {
        for name in ["abc", "my-site.example.com", "a1-b2", &"a".repeat(63)] {
            assert_eq!(rule(name), None, "{name}");
        }
    }

    #[test]
    fn each_rule() {
        let cases = [
            ("ab", "3-63 characters"),
            (&"a".repeat(64), "3-63 characters"),
            ("My-Bucket", "'M' at offset 0"),
            ("my_bucket", "'_' at offset 2"),
            ("-bucket", "begin and end"),
            ("bucket.", "begin and end"),
            ("my..bucket", "two adjacent periods"),
            ("my.-bucket", "offset 2"),
            ("192.168.5.4", "IP address"),
            ("xn--bucket", "reserved prefix \"xn--\""),
            ("sthree-bucket", "reserved prefix"),
            ("bucket-s3alias", "reserved suffix \"-s3alias\""),
            ("bucket--ol-s3", "reserved suffix"),
            ("bucket--x-s3", "reserved suffix"),
        ];
        for (name, expected) in cases {
            let got = rule(name).unwrap_or_default();
            assert!(got.contains(expected), "{name}: {got}");
        }
    }

    #[test]
    fn legacy_names_allow_upper_case_and_underscores() {
        assert_eq!(problem("Legacy_Bucket", Naming::Legacy), None);
        assert!(problem("Legacy Bucket", Naming::Legacy).is_some());
        assert!(problem("ab", Naming::Legacy).is_some());
    }

    #[test]
    fn errors_name_path_property_and_rule() {
        let e = check_bucket_name("S/Site", "BucketName", &"Bad_Name".into(), Naming::New)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("S/Site: BucketName: a bucket name may hold only"),
            "{e}"
        );
        assert!(e.ends_with("got \"Bad_Name\""), "{e}");
        // Not a literal: only known at deploy time.
        let param = Expr::Pseudo(formwork_core::Pseudo::StackName);
        assert!(check_bucket_name("S/Site", "BucketName", &param, Naming::New).is_ok());
    }
}
