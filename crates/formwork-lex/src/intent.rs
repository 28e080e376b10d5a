//! Intents: what a user can ask a bot, and the built-in fallback intent.

use formwork_cfn_ml::lex::bot;
use formwork_core::{Error, Result};

use crate::names::{check_max_len, check_name, MAX_BOT_DESCRIPTION};

/// The name Lex gives the built-in fallback intent of every locale.
pub const FALLBACK_INTENT_NAME: &str = "FallbackIntent";
/// The built-in intent the fallback intent derives from.
pub const FALLBACK_INTENT_SIGNATURE: &str = "AMAZON.FallbackIntent";

/// The longest plain-text message (Lex's `PlainTextMessage.Value`).
const MAX_MESSAGE: usize = 1000;

/// A custom intent of a locale, built step by step and added with
/// [`Locale::add_intent`](crate::Locale::add_intent).
///
/// ```
/// use formwork_lex::Intent;
/// let greet = Intent::new("Greet")
///     .utterances(["Hello", "Hi there"])
///     .closing_response("Hello! How can I help?");
/// assert_eq!(greet.name(), "Greet");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Intent {
    name: String,
    description: Option<String>,
    utterances: Vec<String>,
    closing_response: Option<String>,
}

impl Intent {
    /// An intent named `name` (`^([0-9a-zA-Z][_-]?)+$`, 1–100 characters,
    /// unique in its locale; `FallbackIntent` is the built-in's).
    pub fn new(name: impl Into<String>) -> Intent {
        Intent {
            name: name.into(),
            description: None,
            utterances: Vec::new(),
            closing_response: None,
        }
    }

    /// Adds sample utterances: what users say to mean this intent. Lex
    /// recognizes a custom intent only through them, so at least one is
    /// required.
    pub fn utterances<I, S>(mut self, utterances: I) -> Intent
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.utterances
            .extend(utterances.into_iter().map(Into::into));
        self
    }

    /// Adds one sample utterance.
    pub fn utterance(self, utterance: impl Into<String>) -> Intent {
        self.utterances([utterance])
    }

    /// What the bot says when the intent is fulfilled (plain text, 1–1,000
    /// characters).
    pub fn closing_response(mut self, text: impl Into<String>) -> Intent {
        self.closing_response = Some(text.into());
        self
    }

    /// A description (at most 2,000 characters).
    pub fn description(mut self, text: impl Into<String>) -> Intent {
        self.description = Some(text.into());
        self
    }

    /// The intent name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The sample utterances.
    pub fn sample_utterances(&self) -> &[String] {
        &self.utterances
    }

    /// Checks the intent; `property` names it in errors
    /// (`BotLocales[en_US].Intents[Greet]`).
    pub(crate) fn check(&self, path: &str, property: &str) -> Result<()> {
        check_name(path, &format!("{property}.Name"), &self.name)?;
        if self.name == FALLBACK_INTENT_NAME {
            return Err(Error::invalid(
                path,
                Some(&format!("{property}.Name")),
                format!("{FALLBACK_INTENT_NAME} is the built-in {FALLBACK_INTENT_SIGNATURE}, which every locale has already"),
            ));
        }
        if self.utterances.is_empty() {
            return Err(Error::invalid(
                path,
                Some(&format!("{property}.SampleUtterances")),
                "a custom intent needs at least one sample utterance: Lex recognizes it only through them",
            ));
        }
        if let Some(i) = self.utterances.iter().position(|u| u.trim().is_empty()) {
            return Err(Error::invalid(
                path,
                Some(&format!("{property}.SampleUtterances[{i}]")),
                "an utterance must not be empty",
            ));
        }
        if let Some(text) = &self.closing_response {
            let len = text.chars().count();
            if !(1..=MAX_MESSAGE).contains(&len) {
                return Err(Error::invalid(
                    path,
                    Some(&format!("{property}.IntentClosingSetting.ClosingResponse")),
                    format!(
                        "a plain-text message must be 1-{MAX_MESSAGE} characters long, got {len}"
                    ),
                ));
            }
        }
        if let Some(d) = &self.description {
            check_max_len(
                path,
                &format!("{property}.Description"),
                d,
                MAX_BOT_DESCRIPTION,
            )?;
        }
        Ok(())
    }

    /// The intent as the `AWS::Lex::Bot` L1 spells it.
    pub(crate) fn render(&self) -> bot::Intent {
        let utterances: Vec<bot::SampleUtterance> = self
            .utterances
            .iter()
            .map(|u| bot::SampleUtterance::new(u.as_str()))
            .collect();
        let closing = self.closing_response.as_ref().map(|text| {
            let message = bot::Message {
                plain_text_message: Some(bot::PlainTextMessage::new(text.as_str()).into()),
                ..Default::default()
            };
            bot::IntentClosingSetting {
                closing_response: Some(
                    bot::ResponseSpecification::new(vec![bot::MessageGroup::new(message)]).into(),
                ),
                ..Default::default()
            }
            .into()
        });
        bot::Intent {
            description: self.description.as_deref().map(Into::into),
            sample_utterances: Some(utterances.into()),
            intent_closing_setting: closing,
            ..bot::Intent::new(self.name.as_str())
        }
    }
}

/// The built-in fallback intent, which Lex requires in every locale (what
/// the bot answers when nothing else matches).
pub(crate) fn fallback() -> bot::Intent {
    bot::Intent {
        description: Some("Default intent when no other intent matches".into()),
        parent_intent_signature: Some(FALLBACK_INTENT_SIGNATURE.into()),
        ..bot::Intent::new(FALLBACK_INTENT_NAME)
    }
}
