//! Lex names (bots, intents, aliases) and the default bot name.

use formwork_core::rules::StringRule;
use formwork_core::{Error, Result};
use sha2::{Digest, Sha256};

/// The names of bots, intents and aliases: `^([0-9a-zA-Z][_-]?)+$`, 1–100
/// characters (letters and digits, each followed by at most one `_` or `-`).
pub const NAME_RULE: StringRule = StringRule {
    min: 1,
    max: 100,
    allowed: |c| c.is_ascii_alphanumeric() || c == '_' || c == '-',
    pattern: r"^([0-9a-zA-Z][_-]?)+$",
};

fn is_separator(c: char) -> bool {
    c == '_' || c == '-'
}

/// Checks a name against [`NAME_RULE`], including what its character class
/// cannot say: no leading separator, never two in a row.
pub(crate) fn check_name(path: &str, property: &str, value: &str) -> Result<()> {
    NAME_RULE.check_str(path, property, value)?;
    let leading = value.starts_with(is_separator);
    let doubled = value
        .chars()
        .zip(value.chars().skip(1))
        .any(|(a, b)| is_separator(a) && is_separator(b));
    if leading || doubled {
        return Err(Error::invalid(
            path,
            Some(property),
            format!(
                "must match {}: start with a letter or digit, and never put two of '_' '-' in a row, got {value:?}",
                NAME_RULE.pattern
            ),
        ));
    }
    Ok(())
}

/// The longest description of a bot, locale or intent.
pub(crate) const MAX_BOT_DESCRIPTION: usize = 2000;
/// The longest description of a version or an alias.
pub(crate) const MAX_ALIAS_DESCRIPTION: usize = 200;

/// Checks that a text is at most `max` characters long.
pub(crate) fn check_max_len(path: &str, property: &str, value: &str, max: usize) -> Result<()> {
    let len = value.chars().count();
    if len > max {
        return Err(Error::invalid(
            path,
            Some(property),
            format!("must be at most {max} characters long, got {len}"),
        ));
    }
    Ok(())
}

/// The default bot name: the stack name and the construct path below it,
/// joined by `-`, cut to what [`NAME_RULE`] allows. Bot names are unique
/// per account and region, as stack names are, so the stack name is part of
/// it. A name too long keeps its first 91 characters and ends with `-` and
/// 8 hex digits of the SHA-256 of the whole path, so that two long paths
/// that share a prefix still differ.
pub(crate) fn default_bot_name(path: &str) -> String {
    let mut name = String::with_capacity(path.len());
    for c in path.chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        // A separator only after a letter or digit (none first, none doubled).
        if c == '-' && (name.is_empty() || name.ends_with('-')) {
            continue;
        }
        name.push(c);
    }
    while name.ends_with('-') {
        name.pop();
    }
    if name.is_empty() {
        name.push_str("Bot");
    }
    if name.len() > NAME_RULE.max {
        let hash = formwork_core::asset::hex(&Sha256::digest(path.as_bytes()));
        name.truncate(NAME_RULE.max - 9);
        while name.ends_with('-') {
            name.pop();
        }
        name.push('-');
        name.push_str(&hash[..8]);
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_pattern() {
        assert!(check_name("S/B", "Name", "Greet_me-now").is_ok());
        let e = check_name("S/B", "Name", "a__b").unwrap_err().to_string();
        assert!(
            e.starts_with("S/B: Name: must match ^([0-9a-zA-Z][_-]?)+$"),
            "{e}"
        );
        assert!(check_name("S/B", "Name", "-a").is_err());
        assert!(check_name("S/B", "Name", "a b").is_err());
        assert!(check_name("S/B", "Name", &"a".repeat(101)).is_err());
    }

    #[test]
    fn default_names() {
        assert_eq!(default_bot_name("Stack/Web Bot"), "Stack-Web-Bot");
        assert_eq!(default_bot_name("My_Stack/--Chat"), "My-Stack-Chat");
        let long = format!("S/{}", "x".repeat(200));
        let name = default_bot_name(&long);
        assert_eq!(name.len(), 100);
        assert!(check_name("", "Name", &name).is_ok());
        let other = default_bot_name(&format!("S/{}y", "x".repeat(200)));
        assert_ne!(name, other);
    }
}
