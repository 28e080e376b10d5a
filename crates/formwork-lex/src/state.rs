//! What a bot holds until synthesis, shared by the bot, its version and
//! its aliases (each renders from it).

use std::cell::RefCell;
use std::rc::Rc;

use formwork_cfn_ml::lex::{bot, CfnBotProps};
use formwork_core::{CfnResource, Expr, ExprMap};

use crate::locale::LocaleState;

/// What a bot holds until synthesis. No handle into the app: the tree holds
/// this state through the lazy properties of the bot, its version and its
/// aliases, and a handle here would keep the app alive forever.
#[derive(Debug)]
pub(crate) struct BotState {
    pub(crate) name: String,
    pub(crate) role_arn: Expr,
    pub(crate) idle_session_ttl: u64,
    pub(crate) child_directed: bool,
    pub(crate) description: Option<String>,
    /// Each locale's own state, which its [`Locale`](crate::Locale) handle shares.
    pub(crate) locales: Vec<Rc<RefCell<LocaleState>>>,
}

impl BotState {
    /// The `AWS::Lex::Bot` properties, through the generated L1 (in
    /// alphabetical order, as the CDK writes them). Locales are built on
    /// every create and update (`AutoBuildBotLocales`), so that a version
    /// can be published from the draft.
    pub(crate) fn render(&self) -> ExprMap {
        let locales: Vec<bot::BotLocale> =
            self.locales.iter().map(|l| l.borrow().render()).collect();
        let props = CfnBotProps::builder()
            .auto_build_bot_locales(true)
            .maybe_bot_locales((!locales.is_empty()).then_some(locales))
            .data_privacy(bot::DataPrivacy::new(self.child_directed))
            .maybe_description(self.description.clone())
            .idle_session_ttl_in_seconds(Expr::from(self.idle_session_ttl))
            .name(self.name.as_str())
            .role_arn(self.role_arn.clone())
            .build();
        CfnResource::from(props).properties
    }

    /// The locale ids, in the order added.
    pub(crate) fn locale_ids(&self) -> Vec<String> {
        self.locales
            .iter()
            .map(|l| l.borrow().props.locale_id.clone())
            .collect()
    }
}
