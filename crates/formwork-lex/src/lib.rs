//! Amazon Lex V2 bots for formwork.
//!
//! A [`Bot`] keeps its locales and intents as typed state and renders them
//! into its one `AWS::Lex::Bot` at synthesis (CloudFormation declares
//! locales inside the bot), with the built-in `AMAZON.FallbackIntent` in
//! every locale and `AutoBuildBotLocales` on. [`Bot::add_alias`] puts an
//! alias on the bot's [`BotVersion`], which is published again whenever the
//! bot's definition changes; [`BotAlias::grant_recognize`] lets a role talk
//! to that alias and nothing else. See docs/ARCHITECTURE.md §5 ("Lex").
//!
//! ```
//! use formwork_core::App;
//! use formwork_lex::{AliasProps, Bot, BotProps, Intent, LocaleProps, Voice};
//!
//! let app = App::new();
//! let stack = app.stack("WebBot");
//! let bot = Bot::new(&stack, "Bot", BotProps::default()).unwrap();
//! let en = bot
//!     .add_locale(LocaleProps {
//!         locale_id: "en_US".into(),
//!         voice: Some(Voice::neural("Joanna")),
//!         ..Default::default()
//!     })
//!     .unwrap();
//! en.add_intent(
//!     Intent::new("Greet")
//!         .utterances(["Hello", "Hi there"])
//!         .closing_response("Hello! How can I help?"),
//! )
//! .unwrap();
//! let live = bot.add_alias("Live", AliasProps::default()).unwrap();
//! stack.output("BotId", bot.bot_id());
//! stack.output("BotAliasId", live.bot_alias_id());
//! stack.output("BotLocaleId", en.locale_id());
//! app.synth().unwrap();
//! ```

#![warn(missing_docs)]

mod alias;
mod bot;
mod intent;
mod locale;
mod names;
mod state;
mod version;

pub use alias::{AliasProps, BotAlias, RECOGNIZE_ACTIONS, TEST_ALIAS_NAME};
pub use bot::{Bot, BotProps, DEFAULT_IDLE_SESSION_TTL, IDLE_SESSION_TTL_RANGE, LEX_PRINCIPAL};
pub use intent::{Intent, FALLBACK_INTENT_NAME, FALLBACK_INTENT_SIGNATURE};
pub use locale::{Locale, LocaleProps, Voice, VoiceEngine, DEFAULT_NLU_CONFIDENCE_THRESHOLD};
pub use names::NAME_RULE;
pub use version::BotVersion;
