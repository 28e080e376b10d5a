//! Login providers of an identity pool.

use formwork_cfn_security::cognito::{identity_pool, CfnIdentityPoolProps};
use formwork_core::rules::StringRule;
use formwork_core::{Error, Expr, ExprMap, Pseudo, Result, SubPart};

/// `DeveloperProviderName`: `^[\w._-]+$`, 1–128 characters.
pub const DEVELOPER_PROVIDER_RULE: StringRule = StringRule {
    min: 1,
    max: 128,
    allowed: |c| formwork_core::rules::is_word(c) || c == '.' || c == '-',
    pattern: r"^[\w._-]+$",
};

/// A Cognito user pool client as an identity provider
/// (`CognitoIdentityProviders`).
#[derive(Clone, Debug, PartialEq)]
pub struct UserPoolProvider {
    /// `cognito-idp.<region>.amazonaws.com/<user pool id>`; see
    /// [`UserPoolProvider::provider_name_for`].
    pub provider_name: Expr,
    /// The app client id.
    pub client_id: Expr,
    /// Whether Cognito checks with the user pool that the user is still
    /// signed in. On by default, as in the CDK: a signed-out or disabled user
    /// then cannot get credentials with an old token.
    pub server_side_token_check: bool,
}

impl UserPoolProvider {
    /// A provider for `client_id` of user pool `user_pool_id` in the stack's region.
    pub fn new(user_pool_id: impl Into<Expr>, client_id: impl Into<Expr>) -> Self {
        UserPoolProvider {
            provider_name: Self::provider_name_for(user_pool_id.into()),
            client_id: client_id.into(),
            server_side_token_check: true,
        }
    }

    /// `cognito-idp.${AWS::Region}.${AWS::URLSuffix}/<user pool id>`.
    pub fn provider_name_for(user_pool_id: Expr) -> Expr {
        let mut parts = vec![
            SubPart::Text("cognito-idp.".into()),
            SubPart::Pseudo(Pseudo::Region),
            SubPart::Text(".".into()),
            SubPart::Pseudo(Pseudo::UrlSuffix),
            SubPart::Text("/".into()),
        ];
        match user_pool_id {
            Expr::Str(id) => parts.push(SubPart::Text(id.into_owned())),
            Expr::Ref(r) => parts.push(SubPart::Ref(r)),
            other => return Expr::join("", [Expr::sub_parts(parts), other]),
        }
        Expr::sub_parts(parts)
    }

    /// The provider as the L1's `CognitoIdentityProvider`.
    pub(crate) fn to_cfn(&self) -> identity_pool::CognitoIdentityProvider {
        identity_pool::CognitoIdentityProvider {
            server_side_token_check: Some(self.server_side_token_check.into()),
            ..identity_pool::CognitoIdentityProvider::new(
                self.client_id.clone(),
                self.provider_name.clone(),
            )
        }
    }
}

/// The identity providers users can sign in with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthenticationProviders {
    /// Login with Amazon app id (`www.amazon.com`).
    pub amazon: Option<String>,
    /// Google client id (`accounts.google.com`).
    pub google: Option<String>,
    /// Facebook app id (`graph.facebook.com`).
    pub facebook: Option<String>,
    /// Sign in with Apple services id (`appleid.apple.com`).
    pub apple: Option<String>,
    /// Twitter consumer key and secret (`api.twitter.com`).
    pub twitter: Option<TwitterProvider>,
    /// Cognito user pools.
    pub user_pools: Vec<UserPoolProvider>,
    /// OpenID Connect provider ARNs.
    pub open_id_connect_providers: Vec<Expr>,
    /// SAML provider ARNs.
    pub saml_providers: Vec<Expr>,
    /// The developer provider name, for developer-authenticated identities.
    pub custom_provider: Option<String>,
}

/// Twitter's consumer key and secret.
#[derive(Clone, Debug, PartialEq)]
pub struct TwitterProvider {
    /// Consumer key.
    pub consumer_key: String,
    /// Consumer secret.
    pub consumer_secret: String,
}

/// The login provider keys CloudFormation expects in `SupportedLoginProviders`.
pub mod provider_keys {
    /// Login with Amazon.
    pub const AMAZON: &str = "www.amazon.com";
    /// Google.
    pub const GOOGLE: &str = "accounts.google.com";
    /// Facebook.
    pub const FACEBOOK: &str = "graph.facebook.com";
    /// Sign in with Apple.
    pub const APPLE: &str = "appleid.apple.com";
    /// Twitter.
    pub const TWITTER: &str = "api.twitter.com";
}

impl AuthenticationProviders {
    /// Validates the providers and sets the identity pool properties they
    /// render to on the L1's props.
    pub(crate) fn apply(&self, path: &str, props: &mut CfnIdentityPoolProps) -> Result<()> {
        let mut logins = ExprMap::new();
        let social = [
            (provider_keys::AMAZON, &self.amazon),
            (provider_keys::GOOGLE, &self.google),
            (provider_keys::FACEBOOK, &self.facebook),
            (provider_keys::APPLE, &self.apple),
        ];
        for (key, id) in social {
            if let Some(id) = id {
                if id.trim().is_empty() {
                    return Err(Error::invalid(
                        path,
                        Some("SupportedLoginProviders"),
                        format!("the {key} app/client id is empty"),
                    ));
                }
                logins.insert(key, Expr::from(id));
            }
        }
        if let Some(t) = &self.twitter {
            if t.consumer_key.is_empty()
                || t.consumer_secret.is_empty()
                || t.consumer_key.contains(';')
            {
                return Err(Error::invalid(
                    path,
                    Some("SupportedLoginProviders"),
                    "Twitter needs a consumer key (without ';') and a consumer secret",
                ));
            }
            logins.insert(
                provider_keys::TWITTER,
                Expr::from(format!("{};{}", t.consumer_key, t.consumer_secret)),
            );
        }
        if !logins.is_empty() {
            props.supported_login_providers = Some(Expr::Map(logins));
        }
        if !self.user_pools.is_empty() {
            let providers: Vec<_> = self
                .user_pools
                .iter()
                .map(UserPoolProvider::to_cfn)
                .collect();
            props.cognito_identity_providers = Some(providers.into());
        }
        for (property, arns, field) in [
            (
                "OpenIdConnectProviderARNs",
                &self.open_id_connect_providers,
                &mut props.open_id_connect_provider_arns,
            ),
            (
                "SamlProviderARNs",
                &self.saml_providers,
                &mut props.saml_provider_arns,
            ),
        ] {
            for arn in arns {
                if let Expr::Str(s) = arn {
                    if !(20..=2048).contains(&s.len()) || !s.starts_with("arn:") {
                        return Err(Error::invalid(
                            path,
                            Some(property),
                            format!("must be provider ARNs of 20-2048 characters, got {s:?}"),
                        ));
                    }
                }
            }
            if !arns.is_empty() {
                *field = Some(arns.clone().into());
            }
        }
        if let Some(name) = &self.custom_provider {
            DEVELOPER_PROVIDER_RULE.check_str(path, "DeveloperProviderName", name)?;
            props.developer_provider_name = Some(name.into());
        }
        Ok(())
    }
}
