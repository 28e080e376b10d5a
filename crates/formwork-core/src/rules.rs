//! Small validation rules for construct props, with errors that name the
//! construct path, the property and the rule.
//!
//! Values that are not literals (a `Ref`, a `Fn::Join`, ...) are only known
//! at deploy time, so the rules accept them.

use crate::error::{Error, Result};
use crate::expr::Expr;

/// A rule for a string property: a length range and a character class,
/// described by the regular expression CloudFormation documents.
#[derive(Clone, Copy, Debug)]
pub struct StringRule {
    /// Minimum length, in characters.
    pub min: usize,
    /// Maximum length, in characters.
    pub max: usize,
    /// Whether a character is allowed.
    pub allowed: fn(char) -> bool,
    /// The documented pattern, quoted in errors (e.g. `^[\w+=,.@-]+$`).
    pub pattern: &'static str,
}

impl StringRule {
    /// Checks a literal string.
    pub fn check_str(&self, path: &str, property: &str, value: &str) -> Result<()> {
        let len = value.chars().count();
        if len < self.min || len > self.max {
            return Err(Error::invalid(
                path,
                Some(property),
                format!(
                    "must be {}-{} characters long, got {len} ({value:?})",
                    self.min, self.max
                ),
            ));
        }
        if let Some(bad) = value.chars().find(|c| !(self.allowed)(*c)) {
            return Err(Error::invalid(
                path,
                Some(property),
                format!(
                    "must match {}; {bad:?} is not allowed in {value:?}",
                    self.pattern
                ),
            ));
        }
        Ok(())
    }

    /// Checks a value when it is a literal string.
    pub fn check(&self, path: &str, property: &str, value: &Expr) -> Result<()> {
        match value {
            Expr::Str(s) => self.check_str(path, property, s),
            _ => Ok(()),
        }
    }
}

/// `\w` as in the patterns of IAM and Cognito: ASCII letters, digits and `_`.
/// (IAM's documentation says "alphanumeric", and the API rejects non-ASCII.)
pub fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Checks that a literal integer lies in `min..=max`.
pub fn check_range(path: &str, property: &str, value: &Expr, min: i64, max: i64) -> Result<()> {
    let Expr::Number(n) = value else {
        return Ok(());
    };
    match n.as_i64() {
        Some(v) if (min..=max).contains(&v) => Ok(()),
        _ => Err(Error::invalid(
            path,
            Some(property),
            format!("must be an integer from {min} to {max}, got {n}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: StringRule = StringRule {
        min: 1,
        max: 4,
        allowed: is_word,
        pattern: r"^\w+$",
    };

    #[test]
    fn length_and_characters() {
        assert!(NAME.check_str("S/R", "Name", "ab_1").is_ok());
        let e = NAME
            .check_str("S/R", "Name", "abcde")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "S/R: Name: must be 1-4 characters long, got 5 (\"abcde\")"
        );
        let e = NAME
            .check_str("S/R", "Name", "a b")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "S/R: Name: must match ^\\w+$; ' ' is not allowed in \"a b\""
        );
        assert!(NAME
            .check("S/R", "Name", &Expr::Pseudo(crate::Pseudo::Region))
            .is_ok());
    }

    #[test]
    fn ranges() {
        assert!(check_range("S", "Max", &3600.into(), 3600, 43200).is_ok());
        assert!(check_range("S", "Max", &100.into(), 3600, 43200).is_err());
    }
}
