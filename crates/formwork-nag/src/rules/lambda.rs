//! cdk-nag's `AwsSolutions` Lambda rules (`checkLambda`).

use std::cmp::Ordering;
use std::sync::OnceLock;

use crate::js::{cfn_string, JsRegex};
use crate::resource::{resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[L1];

pub(crate) const L1: Rule = Rule {
    id: "L1",
    level: Level::Error,
    info: "The non-container Lambda function is not configured to use the latest runtime version.",
    explanation: "Use the latest available runtime for the targeted language to avoid technical debt. Runtimes specific to a language or framework version are deprecated when the version reaches end of life. This rule only applies to non-container Lambda functions.",
    check: lambda_latest_version,
};

/// The runtimes cdk-nag compares with: `Runtime.ALL` of the aws-cdk-lib
/// it runs with (2.276.0, the version `.ci/package.json` pins), in its
/// order, which decides between runtimes of equal versions.
const RUNTIMES: &[&str] = &[
    "nodejs",
    "nodejs4.3",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "nodejs20.x",
    "nodejs24.x",
    "nodejs22.x",
    "nodejs24.x",
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.14",
    "python3.15",
    "java8",
    "java8.al2",
    "java11",
    "java17",
    "java21",
    "java25",
    "java8.al2023",
    "java11.al2023",
    "java17.al2023",
    "dotnet6",
    "dotnet8",
    "dotnet9",
    "dotnet10",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "go1.x",
    "ruby2.5",
    "ruby2.7",
    "ruby3.2",
    "ruby3.3",
    "ruby3.4",
    "ruby4.0",
    "provided",
    "provided.al2",
    "provided.al2023",
    "FROM_IMAGE",
];

/// cdk-nag's pattern of a runtime name: family, then version.
fn runtime_pattern() -> &'static JsRegex {
    static PATTERN: OnceLock<JsRegex> = OnceLock::new();
    // A constant pattern: it compiles.
    PATTERN.get_or_init(|| {
        JsRegex::new(r"^([a-z]+)(\d+(\.?\d+|\.x)?)?.*$", "").expect("a valid pattern")
    })
}

/// Versions compared as `localeCompare(.., {numeric: true})` orders
/// them: runs of digits by value, `.` before digits before letters.
fn compare_versions(a: &str, b: &str) -> Ordering {
    fn tokens(s: &str) -> Vec<(u8, u128, char)> {
        let mut out = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if let Some(d) = c.to_digit(10) {
                let mut n = u128::from(d);
                while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                    n = n.saturating_mul(10).saturating_add(u128::from(d));
                    chars.next();
                }
                out.push((1, n, '0'));
            } else if c.is_alphabetic() {
                out.push((2, 0, c.to_ascii_lowercase()));
            } else {
                out.push((0, 0, c));
            }
        }
        out
    }
    tokens(a).cmp(&tokens(b))
}

/// The latest runtime of the runtimes whose names start with `family`, as
/// cdk-nag picks it: a stable sort by version, then the last one.
fn latest_runtime(family: &str, pattern: &JsRegex) -> Option<&'static str> {
    let mut candidates: Vec<(&'static str, String)> = RUNTIMES
        .iter()
        .filter(|rt| rt.starts_with(family))
        .filter_map(|rt| {
            let m = pattern.captures(rt).ok()??;
            let version = m.get(2).map_or("0", |v| v.as_str()).to_owned();
            Some((*rt, version))
        })
        .collect();
    candidates.sort_by(|a, b| compare_versions(&a.1, &b.1));
    candidates.pop().map(|(rt, _)| rt)
}

/// A runtime that is the latest of its family (`nodejs24.x`,
/// `python3.15`, ...). Functions without a runtime (container images) and
/// `provided` runtimes are not checked; a runtime cdk-nag cannot place in
/// a family fails.
fn lambda_latest_version(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::Lambda::Function" {
        return Ok(Outcome::NotApplicable);
    }
    let value = resolve_primitive(r.prop("Runtime"))?;
    let runtime = match cfn_string(value) {
        Some(runtime) if !runtime.is_empty() => runtime,
        _ => return Ok(Outcome::NotApplicable),
    };
    let pattern = runtime_pattern();
    let unplaced = || Unresolved::new(&serde_json::Value::String(runtime.to_string()));
    let family = pattern
        .captures(&runtime)?
        .and_then(|m| m.get(1))
        .ok_or_else(unplaced)?
        .as_str();
    if family == "provided" {
        return Ok(Outcome::NotApplicable);
    }
    let latest = latest_runtime(family, pattern).ok_or_else(unplaced)?;
    Ok(compliant_if(*runtime == *latest))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{latest_runtime, runtime_pattern};
    use crate::rules::tests::findings_of;

    /// `latest_runtime` of every family prefix, as cdk-nag 2.38.2 with aws-cdk-lib 2.276.0 answers.
    #[test]
    fn latest_runtime_agrees_with_cdk_nag_for_every_family_prefix() {
        let expected = [
            ("d", "dotnet10"),
            ("do", "dotnet10"),
            ("dot", "dotnet10"),
            ("dotn", "dotnet10"),
            ("dotne", "dotnet10"),
            ("dotnet", "dotnet10"),
            ("dotnetc", "dotnetcore3.1"),
            ("dotnetco", "dotnetcore3.1"),
            ("dotnetcor", "dotnetcore3.1"),
            ("dotnetcore", "dotnetcore3.1"),
            ("g", "go1.x"),
            ("go", "go1.x"),
            ("j", "java25"),
            ("ja", "java25"),
            ("jav", "java25"),
            ("java", "java25"),
            ("n", "nodejs24.x"),
            ("no", "nodejs24.x"),
            ("nod", "nodejs24.x"),
            ("node", "nodejs24.x"),
            ("nodej", "nodejs24.x"),
            ("nodejs", "nodejs24.x"),
            ("p", "python3.15"),
            ("pr", "provided.al2023"),
            ("pro", "provided.al2023"),
            ("prov", "provided.al2023"),
            ("provi", "provided.al2023"),
            ("provid", "provided.al2023"),
            ("provide", "provided.al2023"),
            ("provided", "provided.al2023"),
            ("py", "python3.15"),
            ("pyt", "python3.15"),
            ("pyth", "python3.15"),
            ("pytho", "python3.15"),
            ("python", "python3.15"),
            ("r", "ruby4.0"),
            ("ru", "ruby4.0"),
            ("rub", "ruby4.0"),
            ("ruby", "ruby4.0"),
        ];
        let pattern = runtime_pattern();
        for (family, latest) in expected {
            assert_eq!(latest_runtime(family, pattern), Some(latest), "{family}");
        }
        assert_eq!(latest_runtime("cobol", pattern), None);
    }

    fn function(runtime: serde_json::Value) -> serde_json::Value {
        json!({"Type": "AWS::Lambda::Function", "Properties": {
            "Code": {"ZipFile": "x"}, "Role": "arn:aws:iam::111122223333:role/r", "Runtime": runtime}})
    }

    #[test]
    fn l1_wants_the_latest_runtime_of_the_family() {
        assert!(findings_of("L1", &function(json!("python3.15"))).is_empty());
        assert!(findings_of("L1", &function(json!("nodejs24.x"))).is_empty());
        assert_eq!(findings_of("L1", &function(json!("python3.12"))), [""]);
        // java17.al2023 is of version 17, older than java25.
        assert_eq!(findings_of("L1", &function(json!("java17.al2023"))), [""]);
        // The first letters are a family too: `n` is nodejs.
        assert_eq!(findings_of("L1", &function(json!("n"))), [""]);
    }

    #[test]
    fn l1_cannot_judge_an_unknown_family_or_an_intrinsic() {
        for runtime in [
            json!("Python3.12"),
            json!("cobol85"),
            json!({"Ref": "Runtime"}),
        ] {
            assert_eq!(
                findings_of("L1", &function(runtime)),
                ["CdkNagValidationFailure"]
            );
        }
    }

    #[test]
    #[should_panic(expected = "does not apply")]
    fn l1_skips_container_functions() {
        findings_of(
            "L1",
            &json!({"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ImageUri": "x"}}}),
        );
    }

    #[test]
    #[should_panic(expected = "does not apply")]
    fn l1_skips_provided_runtimes() {
        findings_of("L1", &function(json!("provided.al2023")));
    }
}
