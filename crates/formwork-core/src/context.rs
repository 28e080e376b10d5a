//! Context: key/value settings handed to the app from outside, as the AWS
//! CDK has them (`cdk.json`, `cdk.context.json`, `CDK_CONTEXT_JSON`, `-c`).

use std::path::Path;

use indexmap::IndexMap;
use serde_json::Value;

/// The environment variable through which the CDK CLI passes context.
pub const CONTEXT_ENV: &str = "CDK_CONTEXT_JSON";

/// Context values by key.
///
/// ```
/// use formwork_core::{App, Context};
/// let app = App::with_context(Context::from_pairs(["stage=prod"]));
/// assert_eq!(app.context("stage"), Some("prod".into()));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    values: IndexMap<String, Value>,
}

impl Context {
    /// No context at all.
    pub fn empty() -> Context {
        Context::default()
    }

    /// Context from the places the CDK reads it, later ones winning:
    /// the `context` object of `cdk.json` and the whole of
    /// `cdk.context.json` in the current directory, the JSON object in
    /// `CDK_CONTEXT_JSON`, and `-c key=value` / `--context key=value`
    /// arguments of the process. Unreadable sources are skipped with a
    /// warning on stderr: context is input, not a reason to fail.
    pub fn from_environment() -> Context {
        let mut context = Context::default();
        if let Some(Value::Object(cdk)) = read_json_file(Path::new("cdk.json")) {
            if let Some(Value::Object(values)) = cdk.get("context") {
                context.extend_object(values);
            }
        }
        if let Some(Value::Object(values)) = read_json_file(Path::new("cdk.context.json")) {
            context.extend_object(&values);
        }
        if let Ok(text) = std::env::var(CONTEXT_ENV) {
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(values)) => context.extend_object(&values),
                _ => eprintln!("warning: {CONTEXT_ENV} is not a JSON object; ignored"),
            }
        }
        let args: Vec<String> = std::env::args().skip(1).collect();
        context.extend_pairs(context_arguments(&args));
        context
    }

    /// Context from `key=value` pairs (values that parse as JSON are kept
    /// as JSON, so `-c count=3` gives a number, as with the CDK CLI).
    pub fn from_pairs<S: AsRef<str>>(pairs: impl IntoIterator<Item = S>) -> Context {
        let mut context = Context::default();
        context.extend_pairs(pairs);
        context
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// Sets `key`.
    pub fn set(&mut self, key: String, value: Value) {
        self.values.insert(key, value);
    }

    /// Every value, in the order first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn extend_object(&mut self, values: &serde_json::Map<String, Value>) {
        for (k, v) in values {
            self.values.insert(k.clone(), v.clone());
        }
    }

    fn extend_pairs<S: AsRef<str>>(&mut self, pairs: impl IntoIterator<Item = S>) {
        for pair in pairs {
            let pair = pair.as_ref();
            let Some((key, value)) = pair.split_once('=') else {
                eprintln!("warning: context {pair:?} is not key=value; ignored");
                continue;
            };
            let value = serde_json::from_str(value).unwrap_or_else(|_| value.into());
            self.values.insert(key.to_owned(), value);
        }
    }
}

/// The `key=value` of every `-c`/`--context` argument in `args`.
pub fn context_arguments(args: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if arg == "-c" || arg == "--context" {
            if let Some(pair) = iter.next() {
                out.push(pair.as_str());
            }
        } else if let Some(pair) = arg.strip_prefix("--context=") {
            out.push(pair);
        } else if let Some(pair) = arg.strip_prefix("-c").filter(|p| p.contains('=')) {
            out.push(pair);
        }
    }
    out
}

fn read_json_file(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    match serde_json::from_str(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            eprintln!(
                "warning: {} is not valid JSON ({e}); its context is ignored",
                path.display()
            );
            None
        }
    }
}

/// The context key that chooses the rule packs run at synthesis (feature
/// `nag`): a list of pack names (`["AwsSolutions"]`, the default), a
/// comma-separated string, or `[]` / `""` / `"none"` for none:
/// `-c formwork:rulePacks=none`, or in `cdk.json`'s `context`. Without the
/// feature no pack runs and the key is ignored, so tests about rendering
/// set it to `"none"` whatever the features.
pub const RULE_PACKS_CONTEXT: &str = "formwork:rulePacks";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_in_every_spelling() {
        let args: Vec<String> = [
            "synth",
            "-c",
            "a=1",
            "--context",
            "b=x",
            "--context=c=true",
            "-cd=2",
            "--",
            "-c",
            "e=no",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(context_arguments(&args), ["a=1", "b=x", "c=true", "d=2"]);
        let context = Context::from_pairs(context_arguments(&args));
        assert_eq!(context.get("a"), Some(&Value::from(1)));
        assert_eq!(context.get("b"), Some(&Value::from("x")));
        assert_eq!(context.get("c"), Some(&Value::from(true)));
        assert_eq!(context.get("e"), None);
    }
}
