//! The Lex bot L2: what it renders, its version's content hash, aliases and
//! grants, and the exact error of invalid input.

use formwork_cognito::{IdentityPool, IdentityPoolProps};
use formwork_core::{App, Stack, Template};
use formwork_iam::{ImportOptions, Role};
use formwork_lex::{AliasProps, Bot, BotProps, Intent, LocaleProps, Voice};
use serde_json::{json, Value};
use std::time::Duration;

/// The web bot of examples/lex-web-ui.rs, on the L2s: the bot, its `en_US`
/// locale with a Greet intent, the alias `live`, and both identity-pool
/// roles allowed to talk to it.
fn web_bot(stack: &Stack, greeting: &str) -> Bot {
    let bot = Bot::new(
        stack,
        "WebBot",
        BotProps {
            description: Some("The bot behind the web UI".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let en = bot
        .add_locale(LocaleProps {
            locale_id: "en_US".into(),
            voice: Some(Voice::neural("Joanna")),
            ..Default::default()
        })
        .unwrap();
    en.add_intent(
        Intent::new("Greet")
            .description("Says hello back")
            .utterances(["Hello", "Hi there"])
            .closing_response(greeting),
    )
    .unwrap();
    let alias = bot
        .add_alias(
            "Live",
            AliasProps {
                name: Some("live".into()),
                description: Some("What the web UI talks to".into()),
            },
        )
        .unwrap();
    let pool = IdentityPool::new(
        stack,
        "WebUiPool",
        IdentityPoolProps {
            allow_unauthenticated_identities: true,
            ..Default::default()
        },
    )
    .unwrap();
    alias.grant_recognize(pool.unauthenticated_role()).unwrap();
    alias.grant_recognize(pool.authenticated_role()).unwrap();
    stack.output("BotId", bot.bot_id());
    stack.output("BotAliasId", alias.bot_alias_id());
    stack.output("BotLocaleId", en.locale_id());
    bot
}

fn synth_one(app: &App) -> Template {
    app.synth().unwrap().stacks.remove(0).template
}

fn properties(t: &Template, id: &str) -> Value {
    serde_json::to_value(&t.resources[id].properties).unwrap()
}

/// The logical ID of the one resource of type `kind`.
#[track_caller]
fn id_of(t: &Template, kind: &str) -> String {
    let ids: Vec<&String> = t
        .resources
        .iter()
        .filter(|(_, r)| r.type_name == kind)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids.len(), 1, "{kind}: {ids:?}");
    ids[0].clone()
}

fn web_template(greeting: &str) -> Template {
    let app = App::new();
    web_bot(&app.stack("LexWebUiStack"), greeting);
    synth_one(&app)
}

/// Writes the template for `.ci/cfn-lint.sh` when `FORMWORK_LINT_DIR` is set.
fn lint_dump(name: &str, t: &Template) {
    if let Some(dir) = std::env::var_os("FORMWORK_LINT_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.template.json")), t.to_json()).unwrap();
    }
}

/// The error of a bot `B` in stack `S` made by `build`.
#[track_caller]
fn bot_error(build: impl FnOnce(&Stack) -> formwork_core::Result<()>) -> String {
    let app = App::new();
    build(&app.stack("S")).unwrap_err().to_string()
}

fn en_us() -> LocaleProps {
    LocaleProps {
        locale_id: "en_US".into(),
        ..Default::default()
    }
}

fn greet() -> Intent {
    Intent::new("Greet").utterances(["Hello"])
}

#[test]
fn the_bot_renders_its_locales_intents_and_the_fallback_intent() {
    let t = web_template("Hello! How can I help?");
    lint_dump("lex-web-bot", &t);
    let bot = id_of(&t, "AWS::Lex::Bot");
    assert_eq!(bot, "WebBot891A2C18");
    assert_eq!(
        properties(&t, &bot),
        json!({
            "AutoBuildBotLocales": true,
            "BotLocales": [{
                "Intents": [
                    {
                        "Description": "Says hello back",
                        "IntentClosingSetting": {"ClosingResponse": {"MessageGroupsList": [
                            {"Message": {"PlainTextMessage": {"Value": "Hello! How can I help?"}}}
                        ]}},
                        "Name": "Greet",
                        "SampleUtterances": [{"Utterance": "Hello"}, {"Utterance": "Hi there"}]
                    },
                    {
                        "Description": "Default intent when no other intent matches",
                        "Name": "FallbackIntent",
                        "ParentIntentSignature": "AMAZON.FallbackIntent"
                    }
                ],
                "LocaleId": "en_US",
                "NluConfidenceThreshold": 0.4,
                "VoiceSettings": {"Engine": "neural", "VoiceId": "Joanna"}
            }],
            "DataPrivacy": {"ChildDirected": false},
            "Description": "The bot behind the web UI",
            "IdleSessionTTLInSeconds": 300,
            "Name": "LexWebUiStack-WebBot",
            "RoleArn": {"Fn::GetAtt": ["WebBotRoleF2C428C2", "Arn"]}
        })
    );
    // The default role: Lex V2 of this account only, Polly only.
    assert_eq!(
        properties(&t, "WebBotRoleF2C428C2"),
        json!({
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": "lexv2.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
            }]},
            "Policies": [{
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "polly:SynthesizeSpeech", "Resource": "*"}
                ]},
                "PolicyName": "SynthesizeSpeech"
            }]
        })
    );
    assert_eq!(
        serde_json::to_value(&t.outputs["BotLocaleId"].value).unwrap(),
        json!("en_US")
    );
}

#[test]
fn every_locale_gets_the_fallback_intent_once() {
    let app = App::new();
    let stack = app.stack("S");
    let bot = Bot::new(
        &stack,
        "B",
        BotProps {
            name: Some("Multi".into()),
            idle_session_ttl: Some(Duration::from_secs(600)),
            child_directed: true,
            ..Default::default()
        },
    )
    .unwrap();
    for id in ["en_US", "fr_FR"] {
        let locale = bot
            .add_locale(LocaleProps {
                locale_id: id.into(),
                nlu_confidence_threshold: Some(0.7),
                ..Default::default()
            })
            .unwrap();
        locale.add_intent(greet()).unwrap();
        locale
            .add_intent(Intent::new("Bye").utterance("Bye"))
            .unwrap();
        assert_eq!(locale.intent_names(), ["Greet", "Bye"]);
    }
    bot.add_alias("Live", AliasProps::default()).unwrap();
    let t = synth_one(&app);
    let props = properties(&t, &id_of(&t, "AWS::Lex::Bot"));
    assert_eq!(props["Name"], "Multi");
    assert_eq!(props["IdleSessionTTLInSeconds"], 600);
    assert_eq!(props["DataPrivacy"], json!({"ChildDirected": true}));
    let locales = props["BotLocales"].as_array().unwrap();
    assert_eq!(locales.len(), 2);
    for locale in locales {
        assert_eq!(locale["NluConfidenceThreshold"], 0.7);
        assert!(locale.get("VoiceSettings").is_none());
        let names: Vec<&str> = locale["Intents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["Name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Greet", "Bye", "FallbackIntent"]);
        let fallbacks = locale["Intents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["ParentIntentSignature"] == "AMAZON.FallbackIntent")
            .count();
        assert_eq!(fallbacks, 1);
    }
    // The version and the alias cover both locales.
    let version = properties(&t, &id_of(&t, "AWS::Lex::BotVersion"));
    let draft = json!({"SourceBotVersion": "DRAFT"});
    assert_eq!(
        version["BotVersionLocaleSpecification"],
        json!([
            {"BotVersionLocaleDetails": draft, "LocaleId": "en_US"},
            {"BotVersionLocaleDetails": draft, "LocaleId": "fr_FR"}
        ])
    );
    let alias = properties(&t, &id_of(&t, "AWS::Lex::BotAlias"));
    assert_eq!(
        alias["BotAliasLocaleSettings"],
        json!([
            {"BotAliasLocaleSetting": {"Enabled": true}, "LocaleId": "en_US"},
            {"BotAliasLocaleSetting": {"Enabled": true}, "LocaleId": "fr_FR"}
        ])
    );
    assert_eq!(alias["BotAliasName"], "Live");
    lint_dump("lex-two-locales", &t);
}

#[test]
fn the_version_is_republished_iff_the_definition_changes() {
    let version = |t: &Template| {
        let id = id_of(t, "AWS::Lex::BotVersion");
        let description = properties(t, &id)["Description"]
            .as_str()
            .unwrap()
            .to_owned();
        (id, description)
    };
    let (id, description) = version(&web_template("Hello! How can I help?"));
    // The logical ID: the path's, then 16 hex digits of the content hash,
    // which the description shows too.
    let hash = id.strip_prefix("WebBotVersion943F7BBB").unwrap();
    assert_eq!(hash.len(), 16);
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        description,
        format!("Published from DRAFT; bot definition sha256 {hash}")
    );

    // The same definition in another app: nothing to publish.
    assert_eq!(
        version(&web_template("Hello! How can I help?")),
        (id.clone(), description.clone())
    );
    // Another response: a new version resource, and the alias follows it.
    let changed = web_template("Hi! What can I do for you?");
    let (new_id, new_description) = version(&changed);
    assert_ne!(new_id, id);
    assert_ne!(new_description, description);
    let alias = properties(&changed, &id_of(&changed, "AWS::Lex::BotAlias"));
    assert_eq!(
        alias["BotVersion"],
        json!({"Fn::GetAtt": [new_id, "BotVersion"]})
    );

    // A new intent, a voice, a threshold: each a new version.
    let variant = |change: &dyn Fn(&Bot, &formwork_lex::Locale)| {
        let app = App::new();
        let stack = app.stack("S");
        let bot = Bot::new(&stack, "B", BotProps::default()).unwrap();
        let en = bot.add_locale(en_us()).unwrap();
        en.add_intent(greet()).unwrap();
        change(&bot, &en);
        bot.add_alias("Live", AliasProps::default()).unwrap();
        version(&synth_one(&app)).0
    };
    let base = variant(&|_, _| {});
    assert_eq!(variant(&|_, _| {}), base);
    assert_ne!(
        variant(&|_, en| en.add_intent(Intent::new("Bye").utterance("Bye")).unwrap()),
        base
    );
    assert_ne!(
        variant(&|bot, _| {
            bot.add_locale(LocaleProps {
                locale_id: "de_DE".into(),
                ..Default::default()
            })
            .unwrap()
            .add_intent(greet())
            .unwrap();
        }),
        base
    );
    // The bot's description is not part of a version.
    let described = {
        let app = App::new();
        let stack = app.stack("S");
        let bot = Bot::new(
            &stack,
            "B",
            BotProps {
                description: Some("Another text".into()),
                ..Default::default()
            },
        )
        .unwrap();
        bot.add_locale(en_us())
            .unwrap()
            .add_intent(greet())
            .unwrap();
        bot.add_alias("Live", AliasProps::default()).unwrap();
        version(&synth_one(&app)).0
    };
    assert_eq!(described, base);
}

#[test]
fn a_bot_changed_after_a_synthesis_of_the_same_app_is_an_error() {
    let app = App::new();
    let stack = app.stack("S");
    let bot = Bot::new(&stack, "B", BotProps::default()).unwrap();
    let en = bot.add_locale(en_us()).unwrap();
    en.add_intent(greet()).unwrap();
    bot.add_alias("Live", AliasProps::default()).unwrap();
    app.synth().unwrap();
    app.synth().unwrap(); // unchanged: fine
    en.add_intent(Intent::new("Bye").utterance("Bye")).unwrap();
    let e = app.synth().unwrap_err().to_string();
    assert!(
        e.contains("S/B/Version: the bot changed after an earlier synthesis"),
        "{e}"
    );
}

#[test]
fn grant_recognize_allows_the_runtime_calls_on_this_alias_only() {
    let app = App::new();
    let stack = app.stack("S");
    let bot = Bot::new(&stack, "B", BotProps::default()).unwrap();
    bot.add_locale(en_us())
        .unwrap()
        .add_intent(greet())
        .unwrap();
    let live = bot.add_alias("Live", AliasProps::default()).unwrap();
    bot.add_alias("Beta", AliasProps::default()).unwrap();
    let page = Role::from_role_arn(
        &stack,
        "Page",
        "arn:aws:iam::111122223333:role/web/PageRole",
        ImportOptions::default(),
    )
    .unwrap();
    let grant = live.grant_recognize(&page).unwrap();
    assert_eq!(grant.statements().len(), 1);
    let t = synth_one(&app);
    let alias_id = "BLive02013489";
    assert_eq!(properties(&t, alias_id)["BotAliasName"], "Live");
    // `Page/Policy/Resource`, named with the stack's name in front, so that
    // another stack importing the role at the same path keeps its own.
    let policy = id_of(&t, "AWS::IAM::Policy");
    assert_eq!(policy, "PagePolicy310546CE");
    assert_eq!(
        properties(&t, &policy),
        json!({
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Action": [
                    "lex:RecognizeText",
                    "lex:RecognizeUtterance",
                    "lex:PutSession",
                    "lex:GetSession",
                    "lex:DeleteSession"
                ],
                "Resource": {"Fn::GetAtt": [alias_id, "Arn"]}
            }]},
            "PolicyName": "SPagePolicyB2CF8C70",
            "Roles": ["PageRole"]
        })
    );
    // The same version serves both aliases.
    assert_eq!(
        t.resources
            .values()
            .filter(|r| r.type_name == "AWS::Lex::BotVersion")
            .count(),
        1
    );
    lint_dump("lex-grant-imported-role", &t);

    // An immutable import takes nothing.
    let app = App::new();
    let stack = app.stack("S");
    let bot = Bot::new(&stack, "B", BotProps::default()).unwrap();
    bot.add_locale(en_us())
        .unwrap()
        .add_intent(greet())
        .unwrap();
    let live = bot.add_alias("Live", AliasProps::default()).unwrap();
    let fixed = Role::from_role_arn(
        &stack,
        "Fixed",
        "arn:aws:iam::111122223333:role/Fixed",
        ImportOptions { mutable: false },
    )
    .unwrap();
    let grant = live.grant_recognize(&fixed).unwrap();
    assert!(!grant.success());
    assert!(synth_one(&app)
        .resources
        .values()
        .all(|r| r.type_name != "AWS::IAM::Policy"));
}

#[test]
fn a_given_role_is_used_as_is() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(
        &stack,
        "Mine",
        formwork_iam::RoleProps {
            assumed_by: Some(formwork_iam::Principal::service("lexv2.amazonaws.com").into()),
            ..Default::default()
        },
    )
    .unwrap();
    let bot = Bot::new(
        &stack,
        "B",
        BotProps {
            role: Some((&role).into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(bot.role().as_role(), Some(&role));
    bot.add_locale(en_us())
        .unwrap()
        .add_intent(greet())
        .unwrap();
    let t = synth_one(&app);
    assert_eq!(
        t.resources
            .values()
            .filter(|r| r.type_name == "AWS::IAM::Role")
            .count(),
        1
    );
    let props = properties(&t, &id_of(&t, "AWS::Lex::Bot"));
    assert_eq!(
        props["RoleArn"],
        json!({"Fn::GetAtt": ["MineC1B42D3A", "Arn"]})
    );
    assert_eq!(props["Name"], "S-B");
}

#[test]
fn an_imported_role_runs_the_bot_and_nothing_is_created_for_it() {
    let app = App::new();
    let stack = app.stack("S");
    let arn = "arn:aws:iam::111122223333:role/aws-service-role/lexv2.amazonaws.com/AWSServiceRoleForLexV2Bots";
    let lex_role = Role::from_role_arn(&stack, "LexRole", arn, ImportOptions::default()).unwrap();
    let bot = Bot::new(
        &stack,
        "B",
        BotProps {
            role: Some((&lex_role).into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(bot.role().as_role().is_none());
    bot.add_locale(en_us())
        .unwrap()
        .add_intent(greet())
        .unwrap();
    let t = synth_one(&app);
    assert!(t
        .resources
        .values()
        .all(|r| !r.type_name.starts_with("AWS::IAM::")));
    let props = properties(&t, &id_of(&t, "AWS::Lex::Bot"));
    assert_eq!(props["RoleArn"], arn);
}

#[test]
fn invalid_props_name_the_path_the_property_and_the_rule() {
    let new = |props: BotProps| move |s: &Stack| Bot::new(s, "B", props).map(drop);
    assert_eq!(
        bot_error(new(BotProps {
            name: Some("my bot".into()),
            ..Default::default()
        })),
        "S/B: Name: must match ^([0-9a-zA-Z][_-]?)+$; ' ' is not allowed in \"my bot\""
    );
    assert_eq!(
        bot_error(new(BotProps { name: Some("a--b".into()), ..Default::default() })),
        "S/B: Name: must match ^([0-9a-zA-Z][_-]?)+$: start with a letter or digit, and never put two of '_' '-' in a row, got \"a--b\""
    );
    assert_eq!(
        bot_error(new(BotProps {
            idle_session_ttl: Some(Duration::from_secs(30)),
            ..Default::default()
        })),
        "S/B: IdleSessionTTLInSeconds: must be whole seconds from 60 to 86400, got 30s"
    );
    assert_eq!(
        bot_error(new(BotProps {
            description: Some("x".repeat(2001)),
            ..Default::default()
        })),
        "S/B: Description: must be at most 2000 characters long, got 2001"
    );
    let locale = |props: LocaleProps| {
        move |s: &Stack| {
            Bot::new(s, "B", BotProps::default())?
                .add_locale(props)
                .map(drop)
        }
    };
    assert_eq!(
        bot_error(locale(LocaleProps { locale_id: "en-US".into(), ..Default::default() })),
        "S/B: BotLocales[en-US].LocaleId: must be a Lex locale id, language_REGION such as en_US or es_419, got \"en-US\""
    );
    assert_eq!(
        bot_error(locale(LocaleProps {
            nlu_confidence_threshold: Some(1.5),
            ..en_us()
        })),
        "S/B: BotLocales[en_US].NluConfidenceThreshold: must be from 0 to 1, got 1.5"
    );
    assert_eq!(
        bot_error(locale(LocaleProps { voice: Some(Voice::neural("")), ..en_us() })),
        "S/B: BotLocales[en_US].VoiceSettings.VoiceId: must be an Amazon Polly voice id such as Joanna, got \"\""
    );
    assert_eq!(
        bot_error(|s| {
            let bot = Bot::new(s, "B", BotProps::default())?;
            bot.add_locale(en_us())?;
            bot.add_locale(en_us()).map(drop)
        }),
        "S/B: BotLocales[en_US]: a bot has one locale per locale id"
    );
    let intent = |intent: Intent| {
        move |s: &Stack| {
            let bot = Bot::new(s, "B", BotProps::default())?;
            bot.add_locale(en_us())?.add_intent(intent)
        }
    };
    assert_eq!(
        bot_error(intent(Intent::new("Greet"))),
        "S/B: BotLocales[en_US].Intents[Greet].SampleUtterances: a custom intent needs at least one sample utterance: Lex recognizes it only through them"
    );
    assert_eq!(
        bot_error(intent(Intent::new("Greet").utterances(["Hi", " "]))),
        "S/B: BotLocales[en_US].Intents[Greet].SampleUtterances[1]: an utterance must not be empty"
    );
    assert_eq!(
        bot_error(intent(Intent::new("FallbackIntent").utterance("Hi"))),
        "S/B: BotLocales[en_US].Intents[FallbackIntent].Name: FallbackIntent is the built-in AMAZON.FallbackIntent, which every locale has already"
    );
    assert_eq!(
        bot_error(intent(Intent::new("Say hi").utterance("Hi"))),
        "S/B: BotLocales[en_US].Intents[Say hi].Name: must match ^([0-9a-zA-Z][_-]?)+$; ' ' is not allowed in \"Say hi\""
    );
    assert_eq!(
        bot_error(intent(greet().closing_response(""))),
        "S/B: BotLocales[en_US].Intents[Greet].IntentClosingSetting.ClosingResponse: a plain-text message must be 1-1000 characters long, got 0"
    );
    assert_eq!(
        bot_error(|s| {
            let en = Bot::new(s, "B", BotProps::default())?.add_locale(en_us())?;
            en.add_intent(greet())?;
            en.add_intent(greet())
        }),
        "S/B: BotLocales[en_US].Intents[Greet].Name: intent names must be unique in a locale"
    );
    let alias = |props: AliasProps| {
        move |s: &Stack| {
            Bot::new(s, "B", BotProps::default())?
                .add_alias("Live", props)
                .map(drop)
        }
    };
    assert_eq!(
        bot_error(alias(AliasProps {
            name: Some("TestBotAlias".into()),
            ..Default::default()
        })),
        "S/B/Live: BotAliasName: TestBotAlias is the name of the alias Lex creates for the draft"
    );
    assert_eq!(
        bot_error(alias(AliasProps {
            description: Some("x".repeat(201)),
            ..Default::default()
        })),
        "S/B/Live: Description: must be at most 200 characters long, got 201"
    );
}

#[test]
fn a_bot_lex_cannot_build_fails_synthesis() {
    let app = App::new();
    let stack = app.stack("S");
    Bot::new(&stack, "Empty", BotProps::default()).unwrap();
    let bot = Bot::new(&stack, "NoIntent", BotProps::default()).unwrap();
    bot.add_locale(en_us()).unwrap();
    let e = app.synth().unwrap_err();
    let violations: Vec<String> = e.violations().iter().map(ToString::to_string).collect();
    assert_eq!(
        violations,
        [
            "S/Empty: BotLocales: a bot needs at least one locale (Bot::add_locale)",
            "S/NoIntent: BotLocales[en_US].Intents: a locale needs an intent besides the fallback intent, or Lex cannot build it (Locale::add_intent)",
        ]
    );
}
