//! Errors: every invalid input names the construct path, the property and
//! the rule it broke.

use std::fmt;
use std::path::PathBuf;

/// A rule that an input broke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The construct path, e.g. `LexWebBotStack/BotPool/AuthenticatedRole`.
    pub path: String,
    /// The property, e.g. `RoleName`, when the rule concerns one.
    pub property: Option<String>,
    /// What is wrong, in words a person can act on.
    pub rule: String,
}

impl Violation {
    /// A violation of `rule` by `property` of the construct at `path`.
    pub fn new(path: impl Into<String>, property: Option<&str>, rule: impl Into<String>) -> Self {
        Violation {
            path: path.into(),
            property: property.map(str::to_owned),
            rule: rule.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.property {
            Some(p) => write!(f, "{}: {}: {}", self.path, p, self.rule),
            None => write!(f, "{}: {}", self.path, self.rule),
        }
    }
}

/// The error type of formwork's synthesis.
///
/// `Debug` prints the same text as `Display`, so that `fn main() ->
/// formwork::Result<()>` shows a person the message rather than a struct dump.
#[derive(thiserror::Error)]
pub enum Error {
    /// One or more inputs are invalid.
    #[error("{}", Invalid(.0))]
    Invalid(Vec<Violation>),
    /// The cloud assembly could not be written or read.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. "cannot write".
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file of the cloud assembly is not valid JSON of the expected shape.
    #[error("{} is not a valid cloud assembly file: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
}

impl fmt::Debug for Error {
    /// The same as `Display`, which already includes the underlying error
    /// of `Io` and `Json` once.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

struct Invalid<'a>(&'a [Violation]);

impl fmt::Display for Invalid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [one] => write!(f, "{one}"),
            many => {
                write!(f, "{} validation errors:", many.len())?;
                for v in many {
                    write!(f, "\n  {v}")?;
                }
                Ok(())
            }
        }
    }
}

impl Error {
    /// A single violation as an error.
    pub fn invalid(
        path: impl Into<String>,
        property: Option<&str>,
        rule: impl Into<String>,
    ) -> Self {
        Error::Invalid(vec![Violation::new(path, property, rule)])
    }

    /// For `map_err`: an I/O error while doing `action` (e.g. "cannot
    /// write") to `path`.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }

    /// The violations, when this is a validation error.
    pub fn violations(&self) -> &[Violation] {
        match self {
            Error::Invalid(v) => v,
            _ => &[],
        }
    }
}

/// `Result` with formwork's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
