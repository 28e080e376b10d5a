//! "Did you mean" suggestions.

/// The candidate closest to `wanted`, if it is close enough to be a likely typo:
/// a case-insensitive match first, then the smallest edit distance within a
/// third of the name's length (at least 1, at most 4 edits).
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<String> {
    let lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).clamp(1, 4);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == wanted {
            continue;
        }
        let d = if c.to_lowercase() == lower {
            0
        } else {
            strsim::levenshtein(&lower, &c.to_lowercase())
        };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggestions() {
        let names = ["BucketName", "BucketEncryption", "Tags"];
        assert_eq!(
            closest("BucketNmae", names.into_iter()).as_deref(),
            Some("BucketName")
        );
        assert_eq!(
            closest("bucketname", names.into_iter()).as_deref(),
            Some("BucketName")
        );
        assert_eq!(closest("Tag", names.into_iter()).as_deref(), Some("Tags"));
        assert_eq!(closest("Completely", names.into_iter()), None);
    }
}
