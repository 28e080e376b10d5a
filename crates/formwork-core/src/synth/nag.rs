//! Step 4 of synthesis (feature `nag`): the rule packs read each resolved
//! template (docs/ARCHITECTURE.md, "Rule packs"). An unsuppressed finding
//! becomes an annotation on its resource's construct (errors fail the
//! synthesis, warnings are printed and fail `synth --strict`), a
//! suppression that suppressed nothing a warning on the construct it was
//! given to, and each pack's report two files of the assembly.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use formwork_nag::{Finding, Level as RuleLevel, Pack, Report, Status, Suppression};
use serde_json::Value;

use super::prepare::Prepared;
use super::resolve::ResolvedStack;
use super::AssemblyFile;
use crate::annotations::Message;
use crate::error::Violation;
use crate::nag::{rule_packs, RULE_PACKS_CONTEXT};
use crate::template::Template;
use crate::tree::{Kind, Level, NodeId, Settings, Tree};

pub(crate) fn check(
    tree: &Tree,
    prepared: &Prepared,
    settings: &Settings,
    stacks: &mut [ResolvedStack],
    errors: &mut Vec<Violation>,
    messages: &mut Vec<Message>,
) {
    let packs = match enabled_packs(settings) {
        Ok(packs) => packs,
        Err(violation) => {
            errors.push(violation);
            return;
        }
    };
    if packs.is_empty() {
        return;
    }
    let mut origins = Origins::default();
    for (index, resolved) in stacks.iter_mut().enumerate() {
        let stack = &mut resolved.stack;
        let name = stack.name.clone();
        if stack.template.resources.is_empty() {
            // cdk-nag writes no report for a stack without resources.
            continue;
        }
        let prepared_stack = &prepared.stacks[index];
        let nodes: HashMap<&str, NodeId> = prepared_stack
            .elements
            .iter()
            .filter(|n| matches!(tree.node(**n).kind, Kind::Resource(_)))
            .filter_map(|&n| Some((prepared.ids[n.index()].as_deref()?, n)))
            .collect();
        // Each resource's construct path, made once: the reports name every
        // verdict's resource by it (shared by the reports, written later).
        let paths: Arc<HashMap<String, String>> = Arc::new(
            nodes
                .iter()
                .map(|(&id, &n)| (id.to_owned(), tree.path(n)))
                .collect(),
        );
        let path_of = resource_path(&paths, &name);
        let template = match template_value(&stack.template) {
            Ok(t) => t,
            Err(e) => {
                errors.push(Violation::new(name.clone(), None, e.to_string()));
                continue;
            }
        };
        let mut unused_in_every_pack: Option<HashSet<(Option<String>, Suppression)>> = None;
        for pack in &packs {
            let report = match formwork_nag::check(&template, &[pack]) {
                Ok(report) => report,
                Err(e) => {
                    let path = match nodes.get(e.location.as_str()) {
                        Some(&n) => tree.path(n),
                        None => name.clone(),
                    };
                    errors.push(Violation::new(
                        path,
                        Some("Metadata"),
                        format!("suppression of {:?}: {}", e.id, e.problem),
                    ));
                    continue;
                }
            };
            for finding in report.unsuppressed() {
                let path = path_of(&finding.logical_id);
                let text = finding_text(finding);
                match finding.effective_level() {
                    RuleLevel::Error => errors.push(Violation::new(path, None, text)),
                    RuleLevel::Warning => messages.push(Message {
                        path,
                        level: Level::Warning,
                        id: None,
                        text,
                    }),
                }
            }
            let unused: HashSet<_> = report
                .unused
                .iter()
                .filter(|u| belongs_to(&u.suppression, pack))
                .map(|u| (u.logical_id.clone(), u.suppression.clone()))
                .collect();
            unused_in_every_pack = Some(match unused_in_every_pack {
                None => unused,
                Some(before) => before.intersection(&unused).cloned().collect(),
            });
            stack
                .reports
                .extend(report_files(pack, &name, report, &paths));
        }
        let unused = unused_in_every_pack.unwrap_or_default();
        origins.record(
            tree,
            prepared_stack.node,
            &nodes,
            &unused,
            &packs,
            messages,
            &path_of,
        );
    }
    origins.report_unused(tree, messages);
}

/// The template as the JSON the rules read. The resources, nearly all of
/// it, are copied value by value, which costs a fraction of serializing
/// the model through serde (BENCHMARKS.md, "Rule packs").
fn template_value(t: &Template) -> serde_json::Result<Value> {
    use serde_json::Map;
    // Everything but the resources is small: serialized as it is.
    let rest = Template {
        format_version: t.format_version.clone(),
        description: t.description.clone(),
        transform: t.transform.clone(),
        metadata: t.metadata.clone(),
        parameters: t.parameters.clone(),
        mappings: t.mappings.clone(),
        conditions: t.conditions.clone(),
        resources: Default::default(),
        outputs: t.outputs.clone(),
    };
    let mut root = match serde_json::to_value(rest)? {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let mut resources = Map::with_capacity(t.resources.len());
    for (id, r) in &t.resources {
        let mut body = Map::new();
        body.insert("Type".into(), Value::String(r.type_name.clone()));
        if !r.properties.is_empty() {
            body.insert("Properties".into(), Value::Object(r.properties.clone()));
        }
        if !r.depends_on.is_empty() {
            body.insert("DependsOn".into(), serde_json::to_value(&r.depends_on)?);
        }
        let options = [
            ("CreationPolicy", r.creation_policy.clone()),
            ("UpdatePolicy", r.update_policy.clone()),
            (
                "UpdateReplacePolicy",
                r.update_replace_policy
                    .map(serde_json::to_value)
                    .transpose()?,
            ),
            (
                "DeletionPolicy",
                r.deletion_policy.map(serde_json::to_value).transpose()?,
            ),
        ];
        for (key, value) in options {
            if let Some(value) = value {
                body.insert(key.into(), value);
            }
        }
        if !r.metadata.is_empty() {
            let metadata = r
                .metadata
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            body.insert("Metadata".into(), Value::Object(metadata));
        }
        if let Some(condition) = &r.condition {
            body.insert("Condition".into(), Value::String(condition.clone()));
        }
        resources.insert(id.clone(), Value::Object(body));
    }
    root.insert("Resources".into(), Value::Object(resources));
    Ok(Value::Object(root))
}

/// The packs to run: none unless `App::enable_rule_packs` was called
/// (formwork's command line does); then those [`RULE_PACKS_CONTEXT`] names
/// (every pack when it is not set), less those turned off with
/// `App::disable_rule_pack`.
fn enabled_packs(settings: &Settings) -> Result<Vec<&'static Pack>, Violation> {
    if !settings.rule_packs {
        return Ok(Vec::new());
    }
    let known = rule_packs();
    let unknown = |name: &str, property: Option<&str>| {
        let names: Vec<&str> = known.iter().map(|p| p.name).collect();
        Violation::new(
            "App",
            property,
            format!(
                "unknown rule pack {name:?}; the packs are {}",
                names.join(", ")
            ),
        )
    };
    let chosen: Vec<String> = match settings.context.get(RULE_PACKS_CONTEXT) {
        None | Some(Value::Null) => known.iter().map(|p| p.name.to_owned()).collect(),
        Some(Value::String(s)) if s.trim().is_empty() || s.trim() == "none" => Vec::new(),
        Some(Value::String(s)) => s.split(',').map(|n| n.trim().to_owned()).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(unknown(&other.to_string(), Some(RULE_PACKS_CONTEXT))),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(Violation::new(
                "App",
                Some(RULE_PACKS_CONTEXT),
                format!("expected a list of rule pack names, a comma-separated string or \"none\", got {other}"),
            ))
        }
    };
    let find = |name: &str| known.iter().copied().find(|p| p.name == name);
    let mut packs = Vec::new();
    for name in &chosen {
        let pack = find(name).ok_or_else(|| unknown(name, Some(RULE_PACKS_CONTEXT)))?;
        if !packs.iter().any(|p: &&Pack| std::ptr::eq(*p, pack)) {
            packs.push(pack);
        }
    }
    for name in &settings.disabled_rule_packs {
        let pack = find(name).ok_or_else(|| unknown(name, None))?;
        packs.retain(|p| !std::ptr::eq(*p, pack));
    }
    Ok(packs)
}

/// Whether `suppression` is about a rule of `pack` (or a value one of its
/// rules could not judge), so that a pack never calls another's unused.
fn belongs_to(suppression: &Suppression, pack: &Pack) -> bool {
    suppression.id == formwork_nag::VALIDATION_FAILURE_ID
        || suppression
            .id
            .strip_prefix(pack.name)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// The annotation of an unsuppressed finding: what it is, where, and how
/// to fix or acknowledge it.
fn finding_text(f: &Finding) -> String {
    let ack = match (&f.status, f.finding_id.is_empty()) {
        (Status::ValidationFailure(_), _) => format!(
            "Suppression::new(\"{}\", reason).applies_to([AppliesTo::Exact(\"{}\".into())])",
            formwork_nag::VALIDATION_FAILURE_ID,
            f.rule_id
        ),
        (_, true) => format!("Suppression::new(\"{}\", reason)", f.rule_id),
        (_, false) => format!(
            "Suppression::new(\"{}\", reason).applies_to([AppliesTo::Exact(\"{}\".into())])",
            f.rule_id, f.finding_id
        ),
    };
    let what = match &f.status {
        Status::ValidationFailure(problem) => format!(
            "'{}' could not check a value: {problem}. {}",
            f.rule_id, f.info
        ),
        _ => format!("{} {}", f.info, f.explanation),
    };
    format!(
        "{} on {}: {what} When the choice is deliberate, say why with NagSuppressions::add(scope, [{ack}]).",
        f.display_id(),
        f.logical_id
    )
}

/// `<Pack>-<Stack>-NagReport.csv` and `.json`, in cdk-nag's formats, each
/// resource named by its construct path as cdk-nag's reports do.
fn report_files(
    pack: &Pack,
    stack: &str,
    report: Report,
    paths: &Arc<HashMap<String, String>>,
) -> [AssemblyFile; 2] {
    let base = format!("{}-{stack}-NagReport", pack.name);
    let report = Arc::new(Report {
        unused: Vec::new(),
        ..report
    });
    let file = |extension: &str, write: ReportWriter| {
        let (report, paths, stack) = (report.clone(), paths.clone(), stack.to_owned());
        AssemblyFile {
            name: format!("{base}.{extension}"),
            render: Arc::new(move |out: &mut dyn std::io::Write| {
                write(&report, &resource_path(&paths, &stack), out)
            }),
        }
    };
    // cdk-nag writes the JSON with `JSON.stringify(report)`: compact.
    [
        file("csv", formwork_nag::write_csv),
        file("json", formwork_nag::write_json),
    ]
}

/// `formwork_nag::write_csv` or `write_json`.
type ReportWriter =
    fn(&Report, &dyn Fn(&str) -> String, &mut dyn std::io::Write) -> std::io::Result<()>;

/// The construct path of a resource, by logical ID; the stack's name for a
/// verdict on no resource of the tree.
fn resource_path<'a>(
    paths: &'a HashMap<String, String>,
    stack: &'a str,
) -> impl Fn(&str) -> String + 'a {
    move |logical_id| {
        paths
            .get(logical_id)
            .map_or_else(|| stack.to_owned(), String::clone)
    }
}

/// Where each suppression given with `NagSuppressions::add` was rendered,
/// and whether any of those copies suppressed something: a suppression on
/// a scope is unused only when it suppressed nothing on any resource below
/// it (or, on the app, in any stack).
#[derive(Default)]
struct Origins {
    /// `(node, index in its nag_suppressions)` -> used anywhere.
    used: HashMap<(NodeId, usize), bool>,
}

impl Origins {
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        tree: &Tree,
        stack: NodeId,
        nodes: &HashMap<&str, NodeId>,
        unused: &HashSet<(Option<String>, Suppression)>,
        packs: &[&Pack],
        messages: &mut Vec<Message>,
        path_of: &dyn Fn(&str) -> String,
    ) {
        let relevant = |s: &Suppression| packs.iter().any(|p| belongs_to(s, p));
        // Each place a suppression was rendered: the template, then every resource.
        let mut places: Vec<(Option<&str>, Vec<NodeId>)> = vec![(None, vec![NodeId::ROOT, stack])];
        for (&logical_id, &node) in nodes {
            places.push((Some(logical_id), tree.scopes_below_stack(node).collect()));
        }
        let mut claimed: HashSet<(Option<&str>, &Suppression)> = HashSet::new();
        for (place, scopes) in &places {
            for &scope in scopes {
                for (index, s) in tree.node(scope).nag_suppressions.iter().enumerate() {
                    if !relevant(s) {
                        continue;
                    }
                    let was_unused = unused.contains(&(place.map(str::to_owned), s.clone()));
                    *self.used.entry((scope, index)).or_insert(false) |= !was_unused;
                    claimed.insert((*place, s));
                }
            }
        }
        // Suppressions in metadata written by other means (a resource's own
        // `cdk_nag` metadata, an override) are reported where they are.
        let mut unclaimed: Vec<Message> = unused
            .iter()
            .filter(|(place, s)| !claimed.contains(&(place.as_deref(), s)))
            .map(|(place, s)| {
                let path = place.as_deref().map_or_else(|| tree.path(stack), path_of);
                unused_message(path, s)
            })
            .collect();
        unclaimed.sort_by(|a, b| (&a.path, &a.text).cmp(&(&b.path, &b.text)));
        messages.extend(unclaimed);
    }

    fn report_unused(self, tree: &Tree, messages: &mut Vec<Message>) {
        let mut unused: Vec<(NodeId, usize)> = self
            .used
            .into_iter()
            .filter(|(_, used)| !used)
            .map(|(origin, _)| origin)
            .collect();
        unused.sort();
        for (node, index) in unused {
            let s = &tree.node(node).nag_suppressions[index];
            messages.push(unused_message(tree.path_or_app(node), s));
        }
    }
}

fn unused_message(path: String, s: &Suppression) -> Message {
    let scope = match &s.applies_to {
        None => String::new(),
        Some(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|a| match a {
                    formwork_nag::AppliesTo::Exact(x) => x.clone(),
                    formwork_nag::AppliesTo::Regex(r) => format!("regex {r}"),
                })
                .collect();
            format!(" (applies to {})", items.join(", "))
        }
    };
    Message {
        path,
        level: Level::Warning,
        id: None,
        text: format!(
            "the suppression of {}{scope} suppresses nothing: remove it, or it will hide a future finding without review",
            s.id
        ),
    }
}
