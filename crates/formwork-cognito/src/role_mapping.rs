//! Role mappings: which role an authenticated user gets, from the token's
//! `cognito:preferred_role` claim or from rules on its claims.

use formwork_cfn_security::cognito::identity_pool_role_attachment as l1;
use formwork_cfn_security::support::Value;
use formwork_core::{Error, Expr, Result};
use formwork_iam::Role;
use indexmap::IndexMap;

use crate::providers::provider_keys;

/// The identity provider a mapping applies to.
#[derive(Clone, Debug, PartialEq)]
pub enum ProviderUrl {
    /// `graph.facebook.com`
    Facebook,
    /// `accounts.google.com`
    Google,
    /// `www.amazon.com`
    Amazon,
    /// `appleid.apple.com`
    Apple,
    /// `api.twitter.com`
    Twitter,
    /// A user pool client: `cognito-idp.<region>.amazonaws.com/<pool id>:<client id>`.
    UserPool(Expr),
    /// An OpenID Connect provider (its URL or ARN).
    OpenIdConnect(Expr),
    /// A SAML provider ARN.
    Saml(Expr),
    /// Any other provider string.
    Custom(Expr),
}

impl ProviderUrl {
    fn value(&self) -> Expr {
        match self {
            ProviderUrl::Facebook => provider_keys::FACEBOOK.into(),
            ProviderUrl::Google => provider_keys::GOOGLE.into(),
            ProviderUrl::Amazon => provider_keys::AMAZON.into(),
            ProviderUrl::Apple => provider_keys::APPLE.into(),
            ProviderUrl::Twitter => provider_keys::TWITTER.into(),
            ProviderUrl::UserPool(e)
            | ProviderUrl::OpenIdConnect(e)
            | ProviderUrl::Saml(e)
            | ProviderUrl::Custom(e) => e.clone(),
        }
    }
}

/// How a rule compares the claim.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MatchType {
    /// The claim equals the value.
    #[default]
    Equals,
    /// The claim contains the value.
    Contains,
    /// The claim starts with the value.
    StartsWith,
    /// The claim differs from the value.
    NotEqual,
}

impl MatchType {
    fn as_str(self) -> &'static str {
        match self {
            MatchType::Equals => "Equals",
            MatchType::Contains => "Contains",
            MatchType::StartsWith => "StartsWith",
            MatchType::NotEqual => "NotEqual",
        }
    }
}

/// One rule: users whose `claim` matches `claim_value` get `mapped_role`.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleMappingRule {
    /// The token claim, e.g. `custom:department`.
    pub claim: String,
    /// The value compared with.
    pub claim_value: String,
    /// How to compare.
    pub match_type: MatchType,
    /// The role granted.
    pub mapped_role: Role,
}

/// A role mapping for one provider.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleMapping {
    /// The provider.
    pub provider_url: ProviderUrl,
    /// The key in `RoleMappings`; defaults to the provider URL when that is a
    /// literal. Required for providers given by reference.
    pub mapping_key: Option<String>,
    /// Use the `cognito:roles`/`cognito:preferred_role` claims of the token
    /// (`Type: Token`) instead of `rules`.
    pub use_token: bool,
    /// When no rule (or no token role) applies: `true` gives the
    /// authenticated role, `false` (the safe default) denies.
    pub resolve_ambiguous_roles: bool,
    /// Rules, evaluated in order (`Type: Rules`); 1–25 of them.
    pub rules: Vec<RoleMappingRule>,
}

impl RoleMapping {
    /// A token-based mapping for `provider`.
    pub fn token(provider: ProviderUrl) -> Self {
        RoleMapping {
            provider_url: provider,
            mapping_key: None,
            use_token: true,
            resolve_ambiguous_roles: false,
            rules: Vec::new(),
        }
    }

    /// A rules-based mapping for `provider`.
    pub fn rules(provider: ProviderUrl, rules: Vec<RoleMappingRule>) -> Self {
        RoleMapping {
            provider_url: provider,
            mapping_key: None,
            use_token: false,
            resolve_ambiguous_roles: false,
            rules,
        }
    }
}

/// Renders the `RoleMappings` property.
/// Validates the mappings and converts them to the L1's `RoleMappings`.
pub(crate) fn render(
    path: &str,
    mappings: &[RoleMapping],
) -> Result<IndexMap<String, Value<l1::RoleMapping>>> {
    let mut out: IndexMap<String, Value<l1::RoleMapping>> = IndexMap::new();
    for m in mappings {
        let provider = m.provider_url.value();
        let key = match (&m.mapping_key, &provider) {
            (Some(k), _) => k.clone(),
            (None, Expr::Str(s)) => s.to_string(),
            (None, _) => {
                return Err(Error::invalid(
                    path,
                    Some("RoleMappings"),
                    "a role mapping whose provider is a reference (not a literal) needs a mapping_key, a literal key for RoleMappings such as the provider name",
                ))
            }
        };
        if key.is_empty() {
            return Err(Error::invalid(
                path,
                Some("RoleMappings"),
                "the mapping key must not be empty",
            ));
        }
        if out.contains_key(&key) {
            return Err(Error::invalid(
                path,
                Some("RoleMappings"),
                format!("two role mappings use the key {key:?}"),
            ));
        }
        if m.use_token && !m.rules.is_empty() {
            return Err(Error::invalid(
                path,
                Some("RoleMappings"),
                format!("mapping {key:?} uses the token, so it cannot also have rules"),
            ));
        }
        if !m.use_token && !(1..=25).contains(&m.rules.len()) {
            return Err(Error::invalid(
                path,
                Some("RoleMappings"),
                format!(
                    "mapping {key:?} of type Rules needs 1-25 rules, got {}",
                    m.rules.len()
                ),
            ));
        }
        let mut mapping = l1::RoleMapping {
            ambiguous_role_resolution: Some(
                if m.resolve_ambiguous_roles {
                    "AuthenticatedRole"
                } else {
                    "Deny"
                }
                .into(),
            ),
            identity_provider: Some(provider.into()),
            ..l1::RoleMapping::new(if m.use_token { "Token" } else { "Rules" })
        };
        for r in &m.rules {
            let claim_len = r.claim.chars().count();
            let value_len = r.claim_value.chars().count();
            if !(1..=64).contains(&claim_len) || !(1..=128).contains(&value_len) {
                return Err(Error::invalid(
                    path,
                    Some("RoleMappings.RulesConfiguration.Rules"),
                    format!(
                        "mapping {key:?}: a rule's claim must be 1-64 characters and its value 1-128, got {:?} and {:?}",
                        r.claim, r.claim_value
                    ),
                ));
            }
        }
        if !m.use_token {
            let rules: Vec<l1::MappingRule> = m
                .rules
                .iter()
                .map(|r| {
                    l1::MappingRule::new(
                        &r.claim,
                        r.match_type.as_str(),
                        r.mapped_role.role_arn(),
                        &r.claim_value,
                    )
                })
                .collect();
            mapping.rules_configuration = Some(l1::RulesConfigurationType::new(rules).into());
        }
        out.insert(key, mapping.into());
    }
    Ok(out)
}
