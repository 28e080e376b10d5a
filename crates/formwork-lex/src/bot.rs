//! The bot: one `AWS::Lex::Bot` holding every locale and intent.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use formwork_cfn_ml::lex::CfnBot;
use formwork_core::{CfnResource, Construct, Error, Expr, Pseudo, ResourceRef, Result, Scope};
use formwork_iam::{
    AnyRole, AssumeRole, ConditionOperator, PolicyDocument, Principal, Role, RoleProps, Statement,
};

use crate::alias::{AliasProps, BotAlias};
use crate::locale::{check_props, Locale, LocaleProps, LocaleState};
use crate::names::{check_max_len, check_name, default_bot_name, MAX_BOT_DESCRIPTION};
use crate::state::BotState;
use crate::version::BotVersion;

/// The service principal Lex V2 runs bots as.
pub const LEX_PRINCIPAL: &str = "lexv2.amazonaws.com";
/// The default idle session timeout (the Lex console's).
pub const DEFAULT_IDLE_SESSION_TTL: Duration = Duration::from_secs(300);
/// The idle session timeouts Lex accepts, in seconds.
pub const IDLE_SESSION_TTL_RANGE: std::ops::RangeInclusive<u64> = 60..=86_400;

/// Props of a [`Bot`].
#[derive(Clone, Debug, Default)]
pub struct BotProps {
    /// The bot name, unique per account and region. Derived from the stack
    /// name and the construct path when unset (`<Stack>-<path>`, cut to 100
    /// characters with a hash), so that two stacks or two bots never clash.
    pub name: Option<String>,
    /// The role Lex runs the bot with: one of this app's, or an import
    /// (`Role::from_role_arn`, e.g. Lex's service-linked role
    /// `AWSServiceRoleForLexV2Bots`). When unset, a role `<id>/Role` is
    /// created that only Lex V2 of this account may assume
    /// (`aws:SourceAccount`) and that may only call `polly:SynthesizeSpeech`
    /// (spoken replies).
    pub role: Option<AnyRole>,
    /// How long a conversation is kept without input, 60 s to 24 h
    /// ([`DEFAULT_IDLE_SESSION_TTL`] when unset).
    pub idle_session_ttl: Option<Duration>,
    /// Whether the bot is directed at children under 13, subject to COPPA
    /// (Lex's required `DataPrivacy.ChildDirected`). `false` by default:
    /// set it if your audience is children, which Lex then treats as COPPA
    /// requires (and which some features refuse).
    pub child_directed: bool,
    /// A description (at most 2,000 characters).
    pub description: Option<String>,
}

/// An Amazon Lex V2 bot (`AWS::Lex::Bot`) with its locales and intents, as
/// typed state rendered into the one resource at synthesis (CloudFormation
/// declares locales inside the bot). Each locale gets the built-in
/// `AMAZON.FallbackIntent`, which Lex requires.
///
/// ```
/// use formwork_core::App;
/// use formwork_lex::{AliasProps, Bot, BotProps, Intent, LocaleProps, Voice};
/// let app = App::new();
/// let stack = app.stack("Demo");
/// let bot = Bot::new(&stack, "Chat", BotProps::default()).unwrap();
/// let en = bot.add_locale(LocaleProps {
///     locale_id: "en_US".into(),
///     voice: Some(Voice::neural("Joanna")),
///     ..Default::default()
/// }).unwrap();
/// en.add_intent(Intent::new("Greet").utterances(["Hello"]).closing_response("Hi!")).unwrap();
/// let live = bot.add_alias("Live", AliasProps::default()).unwrap();
/// stack.output("BotAliasId", live.bot_alias_id());
/// let template = &app.synth().unwrap().stacks[0].template;
/// assert_eq!(template.resources.len(), 4); // role, bot, version, alias
/// ```
#[derive(Clone, Debug)]
pub struct Bot {
    node: Construct,
    resource: ResourceRef,
    role: AnyRole,
    state: Rc<RefCell<BotState>>,
    /// The version the aliases point at, made with the first of them.
    version: Rc<RefCell<Option<BotVersion>>>,
}

impl Bot {
    /// Creates the bot as construct `id` of `scope` (its resource is `id/Resource`).
    pub fn new(scope: &impl Scope, id: &str, props: BotProps) -> Result<Bot> {
        let path = scope.child_path(id);
        let name = match props.name {
            Some(name) => {
                check_name(&path, "Name", &name)?;
                name
            }
            None => default_bot_name(&path),
        };
        let ttl = props.idle_session_ttl.unwrap_or(DEFAULT_IDLE_SESSION_TTL);
        if !IDLE_SESSION_TTL_RANGE.contains(&ttl.as_secs()) || ttl.subsec_nanos() != 0 {
            return Err(Error::invalid(
                &path,
                Some("IdleSessionTTLInSeconds"),
                format!(
                    "must be whole seconds from {} to {}, got {ttl:?}",
                    IDLE_SESSION_TTL_RANGE.start(),
                    IDLE_SESSION_TTL_RANGE.end()
                ),
            ));
        }
        if let Some(d) = &props.description {
            check_max_len(&path, "Description", d, MAX_BOT_DESCRIPTION)?;
        }
        let node = scope.child(id)?;
        let role = match props.role {
            Some(role) => role,
            None => default_role(&node)?.into(),
        };
        let resource = node.add_resource("Resource", CfnResource::new(CfnBot::TYPE_NAME))?;
        let state = Rc::new(RefCell::new(BotState {
            name,
            role_arn: role.role_arn(),
            idle_session_ttl: ttl.as_secs(),
            child_directed: props.child_directed,
            description: props.description,
            locales: Vec::new(),
        }));
        let rendered = state.clone();
        resource.set_lazy_properties(move || rendered.borrow().render());
        let checked = Rc::downgrade(&state);
        node.add_validation(move || {
            checked
                .upgrade()
                .map_or_else(Vec::new, |s| check_buildable(&s.borrow()))
        });
        Ok(Bot {
            node,
            resource,
            role,
            state,
            version: Rc::new(RefCell::new(None)),
        })
    }

    /// Adds a locale (one per locale id). Add intents to the handle returned.
    pub fn add_locale(&self, props: LocaleProps) -> Result<Locale> {
        let path = self.node.path();
        check_props(&path, &props)?;
        let mut state = self.state.borrow_mut();
        let id = props.locale_id.clone();
        if state
            .locales
            .iter()
            .any(|l| l.borrow().props.locale_id == id)
        {
            return Err(Error::invalid(
                &path,
                Some(&format!("BotLocales[{id}]")),
                "a bot has one locale per locale id",
            ));
        }
        let locale = Rc::new(RefCell::new(LocaleState {
            props,
            intents: Vec::new(),
        }));
        state.locales.push(locale.clone());
        Ok(Locale::new(locale, id, path))
    }

    /// The version that aliases point at (`<id>/Version`), created on first
    /// use: published from `DRAFT` for every locale, and published again
    /// whenever the bot's definition changes (see [`BotVersion`]).
    pub fn version(&self) -> Result<BotVersion> {
        if let Some(version) = self.version.borrow().as_ref() {
            return Ok(version.clone());
        }
        let version = BotVersion::new(&self.node, self.bot_id(), self.state.clone())?;
        *self.version.borrow_mut() = Some(version.clone());
        Ok(version)
    }

    /// Adds an alias `id` (`<bot id>/<id>`) on the bot's [`version`](Bot::version),
    /// with every locale enabled.
    pub fn add_alias(&self, id: &str, props: AliasProps) -> Result<BotAlias> {
        BotAlias::new(
            &self.node,
            id,
            props,
            self.bot_id(),
            &self.version()?,
            self.state.clone(),
        )
    }

    /// The bot id (`Ref`), e.g. `ABCDEFGHIJ`.
    pub fn bot_id(&self) -> Expr {
        self.resource.to_ref()
    }

    /// The bot ARN (`Fn::GetAtt Arn`).
    pub fn bot_arn(&self) -> Expr {
        self.resource.get_att("Arn")
    }

    /// The bot name.
    pub fn bot_name(&self) -> String {
        self.state.borrow().name.clone()
    }

    /// The role Lex runs the bot with (`as_role()` gives the one the bot
    /// made when none was given).
    pub fn role(&self) -> &AnyRole {
        &self.role
    }

    /// The `AWS::Lex::Bot` resource.
    pub fn resource(&self) -> &ResourceRef {
        &self.resource
    }
}

/// The bot's construct (the scope of its resource, role, version and aliases).
impl Scope for Bot {
    fn construct(&self) -> &Construct {
        &self.node
    }
}

/// What Lex needs to build the bot, known only once every locale and
/// intent is added: at least one locale, and an intent of its own in each
/// (Lex does not build a locale holding only the fallback intent).
fn check_buildable(state: &BotState) -> Vec<String> {
    if state.locales.is_empty() {
        return vec!["BotLocales: a bot needs at least one locale (Bot::add_locale)".to_owned()];
    }
    state
        .locales
        .iter()
        .map(|l| l.borrow())
        .filter(|l| l.intents.is_empty())
        .map(|l| {
            format!(
                "BotLocales[{}].Intents: a locale needs an intent besides the fallback intent, or Lex cannot build it (Locale::add_intent)",
                l.props.locale_id
            )
        })
        .collect()
}

/// The role Lex runs the bot with when none is given: Lex V2 of this
/// account only, allowed to speak (Polly) and nothing else.
fn default_role(scope: &Construct) -> Result<Role> {
    // The source-account condition keeps other accounts' bots from
    // assuming it (the confused-deputy guard of Lex's documentation).
    let trust = AssumeRole::from(Principal::service(LEX_PRINCIPAL)).with_condition(
        ConditionOperator::StringEquals,
        "aws:SourceAccount",
        Pseudo::AccountId,
    );
    Role::new(
        scope,
        "Role",
        RoleProps {
            assumed_by: Some(trust),
            inline_policies: [(
                "SynthesizeSpeech".to_owned(),
                PolicyDocument::new([Statement::allow()
                    .actions(["polly:SynthesizeSpeech"])
                    .resources(["*"])]),
            )]
            .into_iter()
            .collect(),
            ..Default::default()
        },
    )
}
