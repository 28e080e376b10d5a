//! The rules of IAM names, paths and descriptions, shared by roles and
//! managed policies.

use formwork_core::rules::{is_word, StringRule};
use formwork_core::{Error, Result};

/// `RoleName`: `^[\w+=,.@-]+$`, 1–64 characters.
pub const ROLE_NAME_RULE: StringRule = StringRule {
    min: 1,
    max: 64,
    allowed: |c| is_word(c) || "+=,.@-".contains(c),
    pattern: r"^[\w+=,.@-]+$",
};

/// `Path`: `/` or `/.../`, printable ASCII, 1–512 characters.
pub const PATH_RULE: StringRule = StringRule {
    min: 1,
    max: 512,
    allowed: |c| ('\u{21}'..='\u{7e}').contains(&c),
    pattern: r"^(/|/[\x21-\x7E]+/)$",
};

/// `Description`: up to 1,000 characters of printable Latin-1.
pub const DESCRIPTION_RULE: StringRule = StringRule {
    min: 0,
    max: 1000,
    allowed: |c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}'),
    pattern: r"^[\t\n\r\x20-\x7E\xA1-\xFF]*$",
};

/// The rule for managed policy names (`ManagedPolicyName`).
pub const POLICY_NAME_RULE: StringRule = StringRule {
    min: 1,
    max: 128,
    allowed: |c| is_word(c) || "+=,.@-".contains(c),
    pattern: r"^[\w+=,.@-]+$",
};

/// Checks an IAM `Path`: [`PATH_RULE`]'s length and characters, and the
/// `/.../` shape that a character class cannot say.
pub(crate) fn check_path(path: &str, value: &str) -> Result<()> {
    PATH_RULE.check_str(path, "Path", value)?;
    if value.starts_with('/') && value.ends_with('/') {
        Ok(())
    } else {
        Err(Error::invalid(
            path,
            Some("Path"),
            format!("must be \"/\" or start and end with '/', got {value:?}"),
        ))
    }
}
