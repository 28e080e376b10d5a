//! The grammar IAM enforces on policy documents, checked when a document
//! enters a construct, so that a malformed statement is a synth-time error
//! with the construct path, the statement and the rule, not a failed deploy
//! (IAM's `MalformedPolicyDocument`).
//!
//! Condition operators need no check here: [`Conditions`](crate::Conditions)
//! only takes the typed [`ConditionOperator`](crate::ConditionOperator)s.

use formwork_core::{Error, Result, Violation};

use crate::policy::{PolicyDocument, Statement};

/// Where a policy document is used, which decides what its statements need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// Attached to an identity (inline, managed or default policy): needs
    /// `Resource`/`NotResource`, may not name a `Principal`.
    Identity,
    /// A role's trust policy: needs a `Principal`, may not name a `Resource`.
    Trust,
    /// A resource policy (bucket, queue, ...): needs a `Principal`.
    Resource,
}

impl PolicyDocument {
    /// Checks every statement for `kind`; the errors name `path`, the
    /// `property` holding the document, the statement (Sid or position) and
    /// the rule. All problems are reported together.
    pub fn check(&self, kind: PolicyKind, path: &str, property: &str) -> Result<()> {
        let violations: Vec<Violation> = self
            .statements
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                let label = match &s.sid {
                    Some(sid) => format!("statement {sid:?}"),
                    None => format!("statement {}", i + 1),
                };
                s.problems(kind).into_iter().map(move |rule| {
                    Violation::new(path, Some(property), format!("{label}: {rule}"))
                })
            })
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(violations))
        }
    }
}

impl Statement {
    /// What IAM would reject in this statement, used in a policy of `kind`.
    pub fn problems(&self, kind: PolicyKind) -> Vec<String> {
        let mut problems = Vec::new();
        match (self.actions.is_empty(), self.not_actions.is_empty()) {
            (true, true) => problems.push("needs Action or NotAction".to_owned()),
            (false, false) => problems.push("has both Action and NotAction; use one".to_owned()),
            _ => {}
        }
        // An action that is not a literal (a `Ref`, say) is left to IAM.
        for action in self.actions.iter().chain(&self.not_actions) {
            if let Some(name) = action.as_str() {
                if !is_action_name(name) {
                    problems.push(format!(
                        "action {name:?} must be \"*\" or service:Action (letters, digits, '*' and '?' after the colon)"
                    ));
                }
            }
        }
        let has_principal = !self.principals.is_empty() || !self.not_principals.is_empty();
        let has_resource = !self.resources.is_empty() || !self.not_resources.is_empty();
        if !self.resources.is_empty() && !self.not_resources.is_empty() {
            problems.push("has both Resource and NotResource; use one".to_owned());
        }
        if !self.principals.is_empty() && !self.not_principals.is_empty() {
            problems.push("has both Principal and NotPrincipal; use one".to_owned());
        }
        match kind {
            PolicyKind::Identity => {
                if !has_resource {
                    problems.push(
                        "needs Resource or NotResource in a policy attached to an identity"
                            .to_owned(),
                    );
                }
                if has_principal {
                    problems.push(
                        "must not name a Principal in a policy attached to an identity (the identity is the principal)"
                            .to_owned(),
                    );
                }
            }
            PolicyKind::Trust => {
                if !has_principal {
                    problems.push("needs a Principal in a trust policy".to_owned());
                }
                if has_resource {
                    problems.push(
                        "must not name a Resource in a trust policy (the role is the resource)"
                            .to_owned(),
                    );
                }
            }
            PolicyKind::Resource => {
                if !has_principal {
                    problems.push("needs a Principal in a resource policy".to_owned());
                }
            }
        }
        problems
    }
}

/// `*`, or `service:Action` where the action may hold `*` and `?` wildcards.
fn is_action_name(name: &str) -> bool {
    if name == "*" {
        return true;
    }
    let Some((service, action)) = name.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !action.is_empty()
        && action
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Principal;

    fn rules(s: Statement, kind: PolicyKind) -> Vec<String> {
        s.problems(kind)
    }

    #[test]
    fn identity_statements() {
        let ok = Statement::allow()
            .actions(["s3:GetObject"])
            .resources(["*"]);
        assert!(rules(ok, PolicyKind::Identity).is_empty());
        assert_eq!(
            rules(Statement::allow().resources(["*"]), PolicyKind::Identity),
            ["needs Action or NotAction"]
        );
        assert_eq!(
            rules(
                Statement::allow().actions(["s3:GetObject"]),
                PolicyKind::Identity
            ),
            ["needs Resource or NotResource in a policy attached to an identity"]
        );
        let with_principal = Statement::allow()
            .actions(["s3:GetObject"])
            .resources(["*"])
            .principal(Principal::service("lambda.amazonaws.com"));
        assert_eq!(
            rules(with_principal, PolicyKind::Identity),
            ["must not name a Principal in a policy attached to an identity (the identity is the principal)"]
        );
    }

    #[test]
    fn trust_and_resource_statements() {
        let trust = Statement::allow()
            .actions(["sts:AssumeRole"])
            .principal(Principal::service("lambda.amazonaws.com"));
        assert!(rules(trust.clone(), PolicyKind::Trust).is_empty());
        assert_eq!(
            rules(
                Statement::allow().actions(["sts:AssumeRole"]),
                PolicyKind::Trust
            ),
            ["needs a Principal in a trust policy"]
        );
        assert_eq!(
            rules(trust.resources(["*"]), PolicyKind::Trust),
            ["must not name a Resource in a trust policy (the role is the resource)"]
        );
        assert_eq!(
            rules(
                Statement::allow()
                    .actions(["s3:GetObject"])
                    .resources(["*"]),
                PolicyKind::Resource
            ),
            ["needs a Principal in a resource policy"]
        );
    }

    #[test]
    fn action_names() {
        for good in [
            "*",
            "s3:*",
            "s3:Get*",
            "lex:RecognizeText",
            "execute-api:Invoke",
            "s3:Get?bject",
        ] {
            assert!(is_action_name(good), "{good}");
        }
        for bad in [
            "s3",
            "s3:",
            ":Get",
            "s3:Get Object",
            "s3 :Get",
            "s3:Get-Object",
        ] {
            assert!(!is_action_name(bad), "{bad}");
        }
        let s = Statement::allow()
            .actions(["s3 GetObject"])
            .resources(["*"]);
        assert_eq!(
            rules(s, PolicyKind::Identity),
            ["action \"s3 GetObject\" must be \"*\" or service:Action (letters, digits, '*' and '?' after the colon)"]
        );
    }

    #[test]
    fn documents_name_the_statement() {
        let doc = PolicyDocument::new([
            Statement::allow()
                .actions(["s3:GetObject"])
                .resources(["*"]),
            Statement::allow().sid("Broken").resources(["*"]),
            Statement::deny().resources(["*"]),
        ]);
        let error = doc
            .check(PolicyKind::Identity, "S/Role", "Policies")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "2 validation errors:\n  S/Role: Policies: statement \"Broken\": needs Action or NotAction\n  S/Role: Policies: statement 3: needs Action or NotAction"
        );
    }
}
