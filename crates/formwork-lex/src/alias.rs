//! Bot aliases: the stable name clients talk to, on a published version.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_cfn_ml::lex::{bot_alias, CfnBotAlias, CfnBotAliasProps};
use formwork_core::{CfnResource, Construct, Error, Expr, ResourceRef, Result, Scope};
use formwork_iam::{Grant, Grantable};

use crate::names::{check_max_len, check_name, MAX_ALIAS_DESCRIPTION};
use crate::state::BotState;
use crate::version::BotVersion;

/// The runtime calls a client makes to converse with a bot alias (text,
/// speech and session state): what [`BotAlias::grant_recognize`] allows.
pub const RECOGNIZE_ACTIONS: [&str; 5] = [
    "lex:RecognizeText",
    "lex:RecognizeUtterance",
    "lex:PutSession",
    "lex:GetSession",
    "lex:DeleteSession",
];

/// The name of the alias Lex creates for testing the draft.
pub const TEST_ALIAS_NAME: &str = "TestBotAlias";

/// Props of a [`BotAlias`].
#[derive(Clone, Debug, Default)]
pub struct AliasProps {
    /// The alias name, unique in its bot (`^([0-9a-zA-Z][_-]?)+$`, 1–100
    /// characters); the construct id when unset.
    pub name: Option<String>,
    /// A description (at most 200 characters).
    pub description: Option<String>,
}

/// An alias of a bot (`AWS::Lex::BotAlias`), from
/// [`Bot::add_alias`](crate::Bot::add_alias): on the bot's version, with
/// every locale of the bot enabled (rendered at synthesis, so locales added
/// later are enabled too).
#[derive(Clone, Debug)]
pub struct BotAlias {
    resource: ResourceRef,
}

impl BotAlias {
    pub(crate) fn new(
        scope: &Construct,
        id: &str,
        props: AliasProps,
        bot_id: Expr,
        version: &BotVersion,
        state: Rc<RefCell<BotState>>,
    ) -> Result<BotAlias> {
        let path = scope.child_path(id);
        let name = props.name.unwrap_or_else(|| id.to_owned());
        check_name(&path, "BotAliasName", &name)?;
        if name == TEST_ALIAS_NAME {
            return Err(Error::invalid(
                &path,
                Some("BotAliasName"),
                format!("{TEST_ALIAS_NAME} is the name of the alias Lex creates for the draft"),
            ));
        }
        if let Some(d) = &props.description {
            check_max_len(&path, "Description", d, MAX_ALIAS_DESCRIPTION)?;
        }
        let resource = scope.add_resource(id, CfnResource::new(CfnBotAlias::TYPE_NAME))?;
        let bot_version = version.bot_version();
        let description = props.description;
        resource.set_lazy_properties(move || {
            let locales: Vec<bot_alias::BotAliasLocaleSettingsItem> = state
                .borrow()
                .locale_ids()
                .into_iter()
                .map(|id| {
                    bot_alias::BotAliasLocaleSettingsItem::new(
                        bot_alias::BotAliasLocaleSettings::new(true),
                        id,
                    )
                })
                .collect();
            let props = CfnBotAliasProps::builder()
                .maybe_bot_alias_locale_settings((!locales.is_empty()).then_some(locales))
                .bot_alias_name(name.as_str())
                .bot_id(bot_id.clone())
                .bot_version(bot_version.clone())
                .maybe_description(description.clone())
                .build();
            CfnResource::from(props).properties
        });
        Ok(BotAlias { resource })
    }

    /// The alias id (`Fn::GetAtt BotAliasId`), what a client passes as `botAliasId`.
    pub fn bot_alias_id(&self) -> Expr {
        self.resource.get_att("BotAliasId")
    }

    /// The alias ARN (`Fn::GetAtt Arn`),
    /// `arn:<partition>:lex:<region>:<account>:bot-alias/<bot id>/<alias id>`.
    pub fn bot_alias_arn(&self) -> Expr {
        self.resource.get_att("Arn")
    }

    /// Allows `grantee` to converse with this alias, and no other alias or
    /// bot: [`RECOGNIZE_ACTIONS`] on [`bot_alias_arn`](BotAlias::bot_alias_arn),
    /// added to the grantee's own policy.
    ///
    /// ```
    /// use formwork_core::App;
    /// use formwork_iam::{Principal, Role, RoleProps};
    /// use formwork_lex::{AliasProps, Bot, BotProps, Intent, LocaleProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo");
    /// let bot = Bot::new(&stack, "Chat", BotProps::default()).unwrap();
    /// let alias = bot.add_alias("Live", AliasProps::default()).unwrap();
    /// let page = Role::new(&stack, "Page", RoleProps {
    ///     assumed_by: Some(Principal::service("lambda.amazonaws.com").into()),
    ///     ..Default::default()
    /// }).unwrap();
    /// let grant = alias.grant_recognize(&page).unwrap();
    /// assert_eq!(grant.statements().len(), 1);
    /// ```
    pub fn grant_recognize(&self, grantee: &impl Grantable) -> Result<Grant> {
        Grant::add_to_principal(grantee, RECOGNIZE_ACTIONS, [self.bot_alias_arn()])
    }

    /// The `AWS::Lex::BotAlias` resource.
    pub fn resource(&self) -> &ResourceRef {
        &self.resource
    }
}
