//! Bot locales: a language the bot speaks, with its intents and voice.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_cfn_ml::lex::bot;
use formwork_core::{Error, Result};

use crate::intent::{fallback, Intent};
use crate::names::{check_max_len, MAX_BOT_DESCRIPTION};

/// The default NLU confidence threshold (the Lex console's).
pub const DEFAULT_NLU_CONFIDENCE_THRESHOLD: f64 = 0.4;

/// The Amazon Polly engine of a voice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoiceEngine {
    /// `standard`
    Standard,
    /// `neural`
    Neural,
    /// `long-form`
    LongForm,
    /// `generative`
    Generative,
}

/// The Amazon Polly voice a locale speaks with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voice {
    voice_id: String,
    engine: VoiceEngine,
}

impl Voice {
    /// A voice with the given engine (`voice_id` as Polly names it, e.g. `Joanna`).
    pub fn new(voice_id: impl Into<String>, engine: VoiceEngine) -> Voice {
        Voice {
            voice_id: voice_id.into(),
            engine,
        }
    }

    /// A neural voice, e.g. `Voice::neural("Joanna")`.
    pub fn neural(voice_id: impl Into<String>) -> Voice {
        Voice::new(voice_id, VoiceEngine::Neural)
    }

    /// A standard voice.
    pub fn standard(voice_id: impl Into<String>) -> Voice {
        Voice::new(voice_id, VoiceEngine::Standard)
    }

    fn render(&self) -> bot::VoiceSettings {
        let engine = match self.engine {
            VoiceEngine::Standard => bot::VoiceSettingsEngine::Standard,
            VoiceEngine::Neural => bot::VoiceSettingsEngine::Neural,
            VoiceEngine::LongForm => bot::VoiceSettingsEngine::LongForm,
            VoiceEngine::Generative => bot::VoiceSettingsEngine::Generative,
        };
        bot::VoiceSettings {
            engine: Some(engine.into()),
            ..bot::VoiceSettings::new(self.voice_id.as_str())
        }
    }
}

/// Props of a locale, for [`Bot::add_locale`](crate::Bot::add_locale).
#[derive(Clone, Debug, Default)]
pub struct LocaleProps {
    /// The locale, e.g. `en_US` (language `_` region, as Lex spells it).
    /// Required; one locale per id and bot.
    pub locale_id: String,
    /// How sure Lex must be of an intent before it falls back to
    /// `AMAZON.FallbackIntent`, 0–1 ([`DEFAULT_NLU_CONFIDENCE_THRESHOLD`] when unset).
    pub nlu_confidence_threshold: Option<f64>,
    /// The voice of spoken replies; text only when unset.
    pub voice: Option<Voice>,
    /// A description.
    pub description: Option<String>,
}

/// What a locale holds until synthesis.
#[derive(Debug)]
pub(crate) struct LocaleState {
    pub(crate) props: LocaleProps,
    pub(crate) intents: Vec<Intent>,
}

impl LocaleState {
    /// The locale as the `AWS::Lex::Bot` L1 spells it: the custom intents
    /// in the order added, then the built-in fallback intent.
    pub(crate) fn render(&self) -> bot::BotLocale {
        let threshold = self
            .props
            .nlu_confidence_threshold
            .unwrap_or(DEFAULT_NLU_CONFIDENCE_THRESHOLD);
        let mut intents: Vec<bot::Intent> = self.intents.iter().map(Intent::render).collect();
        intents.push(fallback());
        bot::BotLocale {
            description: self.props.description.as_deref().map(Into::into),
            intents: Some(intents.into()),
            voice_settings: self.props.voice.as_ref().map(|v| v.render().into()),
            ..bot::BotLocale::new(self.props.locale_id.as_str(), threshold)
        }
    }
}

/// A locale of a [`Bot`](crate::Bot), from [`Bot::add_locale`](crate::Bot::add_locale).
#[derive(Clone, Debug)]
pub struct Locale {
    /// The locale's state, which the bot's state holds too.
    state: Rc<RefCell<LocaleState>>,
    locale_id: String,
    /// The bot's construct path, for errors.
    path: String,
}

impl Locale {
    pub(crate) fn new(state: Rc<RefCell<LocaleState>>, locale_id: String, path: String) -> Locale {
        Locale {
            state,
            locale_id,
            path,
        }
    }

    /// The locale id, e.g. `en_US` (what a client passes as `localeId`).
    pub fn locale_id(&self) -> &str {
        &self.locale_id
    }

    /// Adds a custom intent; its name must be new in this locale.
    pub fn add_intent(&self, intent: Intent) -> Result<()> {
        let property = format!("BotLocales[{}].Intents[{}]", self.locale_id, intent.name());
        intent.check(&self.path, &property)?;
        let intents = &mut self.state.borrow_mut().intents;
        if intents.iter().any(|i| i.name() == intent.name()) {
            return Err(Error::invalid(
                &self.path,
                Some(&format!("{property}.Name")),
                "intent names must be unique in a locale",
            ));
        }
        intents.push(intent);
        Ok(())
    }

    /// The names of the custom intents added so far.
    pub fn intent_names(&self) -> Vec<String> {
        self.state
            .borrow()
            .intents
            .iter()
            .map(|i| i.name().to_owned())
            .collect()
    }
}

/// Checks locale props; `path` is the bot's construct path.
pub(crate) fn check_props(path: &str, props: &LocaleProps) -> Result<()> {
    let id = &props.locale_id;
    let property = format!("BotLocales[{id}]");
    let shape_ok = id.split_once('_').is_some_and(|(language, region)| {
        (2..=3).contains(&language.len())
            && language.bytes().all(|b| b.is_ascii_lowercase())
            && (2..=3).contains(&region.len())
            && region
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    });
    if !shape_ok {
        return Err(Error::invalid(
            path,
            Some(&format!("{property}.LocaleId")),
            format!("must be a Lex locale id, language_REGION such as en_US or es_419, got {id:?}"),
        ));
    }
    if let Some(t) = props.nlu_confidence_threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(Error::invalid(
                path,
                Some(&format!("{property}.NluConfidenceThreshold")),
                format!("must be from 0 to 1, got {t}"),
            ));
        }
    }
    if let Some(voice) = &props.voice {
        let v = &voice.voice_id;
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                path,
                Some(&format!("{property}.VoiceSettings.VoiceId")),
                format!("must be an Amazon Polly voice id such as Joanna, got {v:?}"),
            ));
        }
    }
    if let Some(d) = &props.description {
        check_max_len(
            path,
            &format!("{property}.Description"),
            d,
            MAX_BOT_DESCRIPTION,
        )?;
    }
    Ok(())
}
