//! The bot version aliases point at, republished when the bot changes.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_cfn_ml::lex::{bot_version, CfnBotVersion, CfnBotVersionProps};
use formwork_core::{Aspects, CfnResource, Construct, Expr, ResourceRef, Result, Scope};
use sha2::{Digest, Sha256};

use crate::state::BotState;

/// The properties of the bot that a version snapshots, and so the ones
/// its content hash covers: the locales (intents, utterances, responses,
/// voices, thresholds) and the session and privacy settings. Not the name,
/// description or role, which a new version would not change.
const VERSIONED_PROPERTIES: [&str; 3] = ["BotLocales", "DataPrivacy", "IdleSessionTTLInSeconds"];
/// Hex digits of the content hash kept in the logical ID and description.
const HASH_DIGITS: usize = 16;

/// A published version of a [`Bot`](crate::Bot) (`AWS::Lex::BotVersion`),
/// from [`Bot::version`](crate::Bot::version): every locale, from `DRAFT`.
///
/// CloudFormation publishes a version only when the resource is created:
/// Lex treats `AWS::Lex::BotVersion` as immutable, and an update of its
/// `Description` publishes nothing. So the content hash of the bot's
/// rendered definition (the first 16 hex digits of its SHA-256) is part of the
/// version's logical ID, as the CDK does for a Lambda function's
/// `currentVersion`: a changed definition makes a new resource, which
/// publishes a new version; the aliases move to it; then the old one is
/// deleted. An unchanged definition keeps the logical ID and publishes
/// nothing. The hash is in the `Description` too, to read in the console.
#[derive(Clone, Debug)]
pub struct BotVersion {
    resource: ResourceRef,
}

impl BotVersion {
    /// Creates the version as `<bot>/Version`.
    pub(crate) fn new(
        scope: &Construct,
        bot_id: Expr,
        state: Rc<RefCell<BotState>>,
    ) -> Result<BotVersion> {
        let resource = scope.add_resource("Version", CfnResource::new(CfnBotVersion::TYPE_NAME))?;
        let rendered = state.clone();
        resource.set_lazy_properties(move || render(&rendered.borrow(), &bot_id));

        // The logical ID can only be known once the bot is complete, so it
        // is set by an aspect (which is given the resource's handle at
        // synthesis, so that nothing here holds one). An aspect visits a
        // construct once per app: a later synthesis of the same app after
        // the bot changed would keep the old ID, which the validation
        // below reports instead of deploying a stale version.
        let applied: Rc<RefCell<Option<String>>> = Rc::default();
        let (hashed, recorded) = (state.clone(), applied.clone());
        Aspects::of(&resource).add(move |node: &Construct| {
            let Some(resource) = node.as_resource() else {
                return;
            };
            let hash = definition_hash(&hashed.borrow());
            let components: Vec<String> =
                node.path().split('/').skip(1).map(str::to_owned).collect();
            let base = formwork_core::logical_id::logical_id(&components).unwrap_or_default();
            // Cannot fail: an alphanumeric ID of at most 240 + 8 + 16 characters.
            let _ = resource.override_logical_id(format!("{base}{hash}"));
            *recorded.borrow_mut() = Some(hash);
        });
        resource.construct().add_validation(move || {
            let current = definition_hash(&state.borrow());
            match applied.borrow().as_deref() {
                Some(hash) if hash != current => vec![format!(
                    "the bot changed after an earlier synthesis of this app fixed its version's logical ID ({hash}, now {current}): synthesize a new App"
                )],
                _ => Vec::new(),
            }
        });
        Ok(BotVersion { resource })
    }

    /// The version number (`Fn::GetAtt BotVersion`), e.g. `3`.
    pub fn bot_version(&self) -> Expr {
        self.resource.get_att("BotVersion")
    }

    /// The `AWS::Lex::BotVersion` resource.
    pub fn resource(&self) -> &ResourceRef {
        &self.resource
    }
}

/// The version's properties: every locale of the bot from `DRAFT`.
fn render(state: &BotState, bot_id: &Expr) -> formwork_core::ExprMap {
    let locales: Vec<bot_version::BotVersionLocaleSpecification> = state
        .locale_ids()
        .into_iter()
        .map(|id| {
            bot_version::BotVersionLocaleSpecification::new(
                bot_version::BotVersionLocaleDetails::new("DRAFT"),
                id,
            )
        })
        .collect();
    let props = CfnBotVersionProps::builder()
        .bot_id(bot_id.clone())
        .bot_version_locale_specification(locales)
        .description(format!(
            "Published from DRAFT; bot definition sha256 {}",
            definition_hash(state)
        ))
        .build();
    CfnResource::from(props).properties
}

/// The first [`HASH_DIGITS`] hex digits of the SHA-256 of the bot's
/// versioned properties, as rendered (compact JSON, keys in render order).
pub(crate) fn definition_hash(state: &BotState) -> String {
    let rendered = state.render();
    let mut text = String::new();
    for key in VERSIONED_PROPERTIES {
        text.push_str(key);
        text.push('=');
        match rendered.get(key) {
            Some(value) => canonical(value, &mut text),
            None => text.push_str("null"),
        }
        text.push('\n');
    }
    let mut hash = formwork_core::asset::hex(&Sha256::digest(text.as_bytes()));
    hash.truncate(HASH_DIGITS);
    hash
}

/// Compact JSON of a literal value. The versioned properties are made of
/// the bot's own literals; an intrinsic, were one to appear, is written as
/// its kind only, since element references differ between apps.
fn canonical(value: &Expr, out: &mut String) {
    match value {
        Expr::Null => out.push_str("null"),
        Expr::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Expr::Number(n) => out.push_str(&n.to_string()),
        Expr::Str(s) => out.push_str(&serde_json::Value::from(s.as_ref()).to_string()),
        Expr::Json(v) => out.push_str(&v.to_string()),
        Expr::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        Expr::Map(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::from(key).to_string());
                out.push(':');
                canonical(item, out);
            }
            out.push('}');
        }
        _ => out.push_str("\"<intrinsic>\""),
    }
}
