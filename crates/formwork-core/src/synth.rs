//! Synthesis: from the construct tree to templates.
//!
//! It runs in three passes, each linear in the number of constructs:
//! 1. logical IDs for every element of every stack (collisions reported);
//! 2. each element resolved into the [`Template`] model, references becoming
//!    logical IDs or, across stacks, `Fn::ImportValue` of an export that the
//!    producing stack gains;
//! 3. exports appended, stack dependencies ordered, limits checked.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::app::App;
use crate::element::{Element, Issue};
use crate::error::{Error, Result, Violation};
use crate::expr::{ElementRef, Expr, Reference};
use crate::logical_id::write_logical_id;
use crate::resolved::{Context, Resolved, Target};
use crate::stack::{NodeId, Stack, DETACHED};
use crate::template::{self, Template};

/// CloudFormation's per-template quotas.
pub mod limits {
    /// Resources per template.
    pub const MAX_RESOURCES: usize = 500;
    /// Outputs per template.
    pub const MAX_OUTPUTS: usize = 200;
    /// Parameters per template.
    pub const MAX_PARAMETERS: usize = 200;
    /// Stack name length.
    pub const MAX_STACK_NAME: usize = 128;
}

/// The result of synthesis: one template per stack, in dependency order.
#[derive(Clone, Debug)]
pub struct Assembly {
    /// The stacks, producers before their consumers.
    pub stacks: Vec<SynthesizedStack>,
}

/// One synthesized stack.
///
/// [`App::synth`] gives its template as `serde_json` data (the default
/// `P`); [`App::write_assembly`] serializes it straight from the construct
/// tree, with each resource's properties as a [`Resolved`] view.
#[derive(Clone, Debug)]
pub struct SynthesizedStack<P = Map<String, Value>> {
    /// The stack name.
    pub name: String,
    /// The template.
    pub template: Template<P>,
    /// `(construct path, logical ID)` of every element, in template order.
    pub logical_ids: Vec<(String, String)>,
    /// Names of the stacks this one imports from (deploy them first).
    pub dependencies: Vec<String>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Whether termination protection is requested.
    pub termination_protection: bool,
}

impl Assembly {
    /// The stack named `name`.
    pub fn stack(&self, name: &str) -> Option<&SynthesizedStack> {
        self.stacks.iter().find(|s| s.name == name)
    }
}

impl<P> SynthesizedStack<P> {
    /// The construct path of the element with `logical_id`.
    pub fn path_of(&self, logical_id: &str) -> Option<&str> {
        self.logical_ids
            .iter()
            .find(|(_, id)| id == logical_id)
            .map(|(p, _)| p.as_str())
    }
}

/// True when CloudFormation accepts `name` as a stack name.
pub fn is_valid_stack_name(name: &str) -> bool {
    stack_name_problem(name).is_none()
}

/// What is wrong with a stack name, for the error message.
fn stack_name_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if name.is_empty() {
        Some("the name is empty".to_owned())
    } else if len > limits::MAX_STACK_NAME {
        Some(format!("the name is {len} characters long"))
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some(format!("{:?} does not start with a letter", name))
    } else {
        name.chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || c == '-'))
            .map(|c| format!("{c:?} is not allowed in {name:?}"))
    }
}

impl SynthesizedStack<Resolved<'_>> {
    /// The stack with its template as `serde_json` data.
    pub(crate) fn into_json(self) -> SynthesizedStack {
        SynthesizedStack {
            name: self.name,
            template: self.template.into_json(),
            logical_ids: self.logical_ids,
            dependencies: self.dependencies,
            tags: self.tags,
            termination_protection: self.termination_protection,
        }
    }
}

/// Synthesizes every stack of `app`, handing each [`SynthesizedStack`] to
/// `emit` as soon as its template is final, and returns what `emit` returned
/// in dependency order. See [`App::synth_each`].
///
/// With several stacks, `emit` runs on a second thread: while it serializes
/// (or copies out) one template, the next stack is resolved and validated.
pub(crate) fn synthesize<T: Send>(
    app: &App,
    emit: impl for<'r> FnMut(SynthesizedStack<Resolved<'r>>) -> Result<T> + Send,
) -> Result<Vec<T>> {
    let stack_count = app.stacks.len();
    let mut errors: Vec<Violation> = app.deferred.clone();
    let ids: Vec<Vec<Option<String>>> = app
        .stacks
        .iter()
        .map(|s| assign_logical_ids(s, &mut errors))
        .collect();
    let last_importer = last_importers(app);
    let contexts: Vec<Context> = (0..stack_count as u32)
        .map(|stack| Context {
            app,
            ids: &ids,
            stack,
        })
        .collect();

    let mut exports: Vec<IndexMap<String, (String, Value, String)>> =
        vec![IndexMap::new(); stack_count];
    let mut deps: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); stack_count];
    // Reported after all resolution errors, as when limits were checked last.
    let mut limit_errors: Vec<Violation> = Vec::new();
    let mut resolved: Vec<Option<ResolvedStack<'_>>> = (0..stack_count).map(|_| None).collect();
    // Stacks resolved whose templates may still gain exports.
    let mut waiting: Vec<usize> = Vec::new();
    let mut emitted = std::thread::scope(|scope| -> Result<Vec<Option<T>>> {
        let mut sink = Sink::new(scope, stack_count, emit);
        for (index, stack) in app.stacks.iter().enumerate() {
            let mut resolver = Resolver {
                app,
                ids: &ids,
                context: &contexts[index],
                stack: stack.index,
                node: 0,
                property: "",
                errors: &mut errors,
                exports: &mut exports,
                deps: &mut deps,
            };
            resolved[index] = Some(resolver.stack_template(stack));
            waiting.push(index);

            // A template is final once the last stack that may import from it
            // has been resolved: emit it now, so that the caller can drop it.
            let mut k = 0;
            while k < waiting.len() {
                let p = waiting[k];
                if last_importer[p] > index {
                    k += 1;
                    continue;
                }
                waiting.remove(k);
                let (template, logical_ids) = resolved[p].take().expect("resolved above");
                let producer = &app.stacks[p];
                let synthesized = finish_stack(
                    app,
                    producer,
                    template,
                    logical_ids,
                    std::mem::take(&mut exports[p]),
                    &deps[p],
                    &mut limit_errors,
                );
                // After an error nothing is returned: spare the caller the work.
                if errors.is_empty() && limit_errors.is_empty() && !sink.send(p, synthesized)? {
                    return sink.finish();
                }
            }
        }
        sink.finish()
    })?;
    debug_assert!(
        waiting.is_empty(),
        "every stack is final after the last one"
    );
    errors.append(&mut limit_errors);

    let order = match dependency_order(&deps) {
        Ok(order) => order,
        Err(cycle) => {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&i| app.stacks[i as usize].name.as_str())
                .collect();
            errors.push(Violation::new(
                names[0],
                None,
                format!(
                    "cross-stack references form a cycle ({}); move the shared resources into one stack",
                    names.join(" -> ")
                ),
            ));
            (0..stack_count as u32).collect()
        }
    };

    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(order
        .into_iter()
        .filter_map(|i| emitted[i as usize].take())
        .collect())
}

/// Where finished stacks go: straight to `emit`, or, with several stacks,
/// to a thread that runs `emit` while the next stack is being resolved.
enum Sink<'scope, 'a, T, F> {
    Inline {
        emit: F,
        emitted: Vec<Option<T>>,
    },
    Worker {
        stacks: std::sync::mpsc::SyncSender<(usize, SynthesizedStack<Resolved<'a>>)>,
        worker: std::thread::ScopedJoinHandle<'scope, Result<Vec<Option<T>>>>,
    },
}

impl<'scope, 'a: 'scope, T: Send + 'scope, F> Sink<'scope, 'a, T, F>
where
    F: FnMut(SynthesizedStack<Resolved<'a>>) -> Result<T> + Send + 'scope,
{
    fn new(scope: &'scope std::thread::Scope<'scope, '_>, stack_count: usize, mut emit: F) -> Self {
        if stack_count < 2 {
            return Sink::Inline {
                emit,
                emitted: (0..stack_count).map(|_| None).collect(),
            };
        }
        // One stack waits at most: memory holds two templates, not all.
        let (stacks, received) = std::sync::mpsc::sync_channel(1);
        let worker = scope.spawn(move || {
            let mut emitted: Vec<Option<T>> = (0..stack_count).map(|_| None).collect();
            for (index, stack) in received {
                emitted[index] = Some(emit(stack)?);
            }
            Ok(emitted)
        });
        Sink::Worker { stacks, worker }
    }

    /// Hands `stack` over. `Ok(false)` when the worker has stopped (after
    /// an error from `emit`, which [`Sink::finish`] returns).
    fn send(&mut self, index: usize, stack: SynthesizedStack<Resolved<'a>>) -> Result<bool> {
        match self {
            Sink::Inline { emit, emitted } => {
                emitted[index] = Some(emit(stack)?);
                Ok(true)
            }
            Sink::Worker { stacks, .. } => Ok(stacks.send((index, stack)).is_ok()),
        }
    }

    fn finish(self) -> Result<Vec<Option<T>>> {
        match self {
            Sink::Inline { emitted, .. } => Ok(emitted),
            Sink::Worker { stacks, worker } => {
                drop(stacks);
                match worker.join() {
                    Ok(result) => result,
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        }
    }
}

/// A stack's template before exports are added, and its `(path, logical ID)` pairs.
type ResolvedStack<'a> = (Template<Resolved<'a>>, Vec<(String, String)>);

/// Adds the exports that other stacks import to `template`, checks the
/// template limits, and wraps it up.
fn finish_stack<P>(
    app: &App,
    stack: &Stack,
    mut template: Template<P>,
    mut logical_ids: Vec<(String, String)>,
    exports: IndexMap<String, (String, Value, String)>,
    deps: &BTreeSet<u32>,
    errors: &mut Vec<Violation>,
) -> SynthesizedStack<P> {
    for (export_name, (output_id, value, construct_id)) in exports {
        // Listed in the manifest like the CDK's `Exports/Output{...}` constructs.
        logical_ids.push((
            format!("{}/Exports/{construct_id}", stack.name),
            output_id.clone(),
        ));
        template.outputs.insert(
            output_id,
            template::Output {
                description: None,
                value,
                export: Some(template::Export {
                    name: Value::String(export_name),
                }),
                condition: None,
            },
        );
    }
    check_limits(stack, &template, errors);
    SynthesizedStack {
        name: stack.name.clone(),
        template,
        logical_ids,
        dependencies: deps
            .iter()
            .map(|&i| app.stacks[i as usize].name.clone())
            .collect(),
        tags: stack.tags.clone(),
        termination_protection: stack.termination_protection,
    }
}

/// For each stack, the last stack (in creation order, itself at least) that
/// may import from it. Every element reference into another stack of the
/// app counts, which over-approximates the imports that resolution makes.
fn last_importers(app: &App) -> Vec<usize> {
    let stack_count = app.stacks.len();
    let mut last: Vec<usize> = (0..stack_count).collect();
    for (index, stack) in app.stacks.iter().enumerate() {
        let mut note = |r: ElementRef| {
            let target = r.stack as usize;
            if r.app == app.id && target < stack_count && target != index {
                last[target] = last[target].max(index);
            }
        };
        for node in &stack.nodes {
            if node.parent == DETACHED {
                continue;
            }
            match node.element.as_deref() {
                Some(Element::Resource(r)) => {
                    for value in r.properties.values().chain(r.metadata.values()) {
                        value.for_each_ref(&mut note);
                    }
                    for policy in [&r.creation_policy, &r.update_policy].into_iter().flatten() {
                        policy.for_each_ref(&mut note);
                    }
                }
                Some(Element::Output(o)) => {
                    o.value.for_each_ref(&mut note);
                    if let Some(name) = &o.export_name {
                        name.for_each_ref(&mut note);
                    }
                }
                Some(Element::Condition(c)) => c.for_each_ref(&mut note),
                Some(Element::Parameter(_) | Element::Mapping(_)) | None => {}
            }
        }
    }
    last
}

fn assign_logical_ids(stack: &Stack, errors: &mut Vec<Violation>) -> Vec<Option<String>> {
    if let Some(problem) = stack_name_problem(&stack.name) {
        errors.push(Violation::new(
            stack.name.clone(),
            Some("StackName"),
            format!("{problem}; a stack name must start with a letter and contain only letters, digits and '-', at most 128 characters"),
        ));
    }
    errors.extend(stack.deferred.iter().cloned());

    let mut ids: Vec<Option<String>> = vec![None; stack.nodes.len()];
    let mut components: Vec<&str> = Vec::new();
    let mut buffer = String::new();
    for (index, node) in stack.nodes.iter().enumerate().skip(1) {
        if node.element.is_none() || node.parent == DETACHED {
            continue;
        }
        if let Some(id) = &node.logical_id_override {
            ids[index] = Some(id.clone());
            continue;
        }
        stack.components_into(index as u32, &mut components);
        write_logical_id(components.iter().copied(), &mut buffer);
        if buffer.is_empty() {
            errors.push(Violation::new(
                stack.path_of(NodeId(index as u32)),
                None,
                "the construct path has no alphanumeric characters to make a logical ID from",
            ));
        } else {
            ids[index] = Some(buffer.clone());
        }
    }

    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        let Some(id) = id else { continue };
        if let Some(first) = seen.insert(id.as_str(), index) {
            errors.push(Violation::new(
                stack.path_of(NodeId(index as u32)),
                None,
                format!(
                    "logical ID {id} is also used by {}; rename one of the constructs",
                    stack.path_of(NodeId(first as u32))
                ),
            ));
        }
    }
    ids
}

fn check_limits<P>(stack: &Stack, template: &Template<P>, errors: &mut Vec<Violation>) {
    let checks = [
        ("resources", template.resources.len(), limits::MAX_RESOURCES),
        ("outputs", template.outputs.len(), limits::MAX_OUTPUTS),
        (
            "parameters",
            template.parameters.len(),
            limits::MAX_PARAMETERS,
        ),
    ];
    for (what, count, max) in checks {
        if count > max {
            errors.push(Violation::new(
                stack.name.clone(),
                None,
                format!("the template has {count} {what}; CloudFormation allows at most {max} per stack, so split it into several stacks"),
            ));
        }
    }
}

/// Topological order of stacks (producers first), or the stacks of a cycle.
fn dependency_order(deps: &[BTreeSet<u32>]) -> std::result::Result<Vec<u32>, Vec<u32>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        n: u32,
        deps: &[BTreeSet<u32>],
        marks: &mut [Mark],
        order: &mut Vec<u32>,
        trail: &mut Vec<u32>,
    ) -> std::result::Result<(), Vec<u32>> {
        match marks[n as usize] {
            Mark::Done => return Ok(()),
            Mark::Active => {
                let start = trail.iter().position(|&t| t == n).unwrap_or(0);
                let mut cycle = trail[start..].to_vec();
                cycle.push(n);
                return Err(cycle);
            }
            Mark::New => {}
        }
        marks[n as usize] = Mark::Active;
        trail.push(n);
        for &d in &deps[n as usize] {
            visit(d, deps, marks, order, trail)?;
        }
        trail.pop();
        marks[n as usize] = Mark::Done;
        order.push(n);
        Ok(())
    }
    let mut marks = vec![Mark::New; deps.len()];
    let mut order = Vec::with_capacity(deps.len());
    let mut trail = Vec::new();
    for n in 0..deps.len() as u32 {
        visit(n, deps, &mut marks, &mut order, &mut trail)?;
    }
    Ok(order)
}

/// The checking pass over one stack: finds every broken reference, and
/// registers the exports that other stacks import. It builds nothing: the
/// template holds [`Resolved`] views that print the references afterwards.
struct Resolver<'a, 'm> {
    app: &'a App,
    ids: &'a [Vec<Option<String>>],
    context: &'a Context<'a>,
    /// The stack being synthesized.
    stack: u32,
    /// The element being resolved, for error messages.
    node: u32,
    property: &'a str,
    errors: &'m mut Vec<Violation>,
    exports: &'m mut [IndexMap<String, (String, Value, String)>],
    deps: &'m mut [BTreeSet<u32>],
}

impl<'a> Resolver<'a, '_> {
    fn stack_template(&mut self, stack: &'a Stack) -> ResolvedStack<'a> {
        let mut t = Template {
            description: stack.description.clone(),
            ..Template::default()
        };
        let mut logical_ids = Vec::new();
        let mut components: Vec<&str> = Vec::new();
        let ids = &self.ids[stack.index as usize];
        for (index, node) in stack.nodes.iter().enumerate() {
            let (Some(element), Some(logical_id)) = (node.element.as_deref(), &ids[index]) else {
                continue;
            };
            self.node = index as u32;
            self.property = "";
            stack.components_into(index as u32, &mut components);
            let path = stack.join_path(&components);
            match element {
                Element::Resource(r) => {
                    let errors_before = self.errors.len();
                    let resource = self.resource(r, &path);
                    // A broken reference already explains what is wrong; the
                    // placeholder it leaves would only add noise to the checks.
                    if self.errors.len() == errors_before {
                        self.run_checks(r, &resource, &path);
                    }
                    t.resources.insert(logical_id.clone(), resource);
                }
                Element::Output(o) => {
                    let value = self.with_property("Value", |s| s.value(&o.value));
                    let export = o.export_name.as_ref().map(|name| template::Export {
                        name: self.with_property("Export.Name", |s| s.value(name)),
                    });
                    let condition = o
                        .condition
                        .and_then(|c| self.local_of_kind(c.element(), "Condition", "condition"));
                    t.outputs.insert(
                        logical_id.clone(),
                        template::Output {
                            description: o.description.clone(),
                            value,
                            export,
                            condition,
                        },
                    );
                }
                Element::Parameter(p) => {
                    t.parameters.insert(logical_id.clone(), p.clone());
                }
                Element::Condition(c) => {
                    let value = self.value(c);
                    t.conditions.insert(logical_id.clone(), value);
                }
                Element::Mapping(m) => {
                    t.mappings.insert(logical_id.clone(), m.clone());
                }
            }
            logical_ids.push((path, logical_id.clone()));
        }
        (t, logical_ids)
    }

    fn resource(
        &mut self,
        r: &'a crate::CfnResource,
        path: &str,
    ) -> template::Resource<Resolved<'a>> {
        for (name, value) in &r.properties {
            self.with_property(name, |s| s.check(value));
        }
        let mut depends_on = Vec::with_capacity(r.depends_on.len());
        for &dep in &r.depends_on {
            self.property = "DependsOn";
            match self.target(dep, false, None) {
                Some(Target::Local(id)) if !depends_on.iter().any(|d: &String| d == id) => {
                    depends_on.push(id.to_owned());
                }
                Some(Target::Local(_)) => {}
                // A dependency on another stack's resource is a dependency on that stack.
                Some(Target::Remote { stack, .. }) => {
                    self.deps[self.stack as usize].insert(stack);
                }
                None => {}
            }
        }
        let mut metadata = IndexMap::with_capacity(1 + r.metadata.len());
        metadata.insert("aws:cdk:path".to_owned(), Value::String(path.to_owned()));
        for (k, v) in &r.metadata {
            let v = self.with_property("Metadata", |s| s.value(v));
            metadata.insert(k.to_owned(), v);
        }
        template::Resource {
            type_name: r.type_name.to_string(),
            properties: Resolved::properties(&r.properties, self.context),
            depends_on,
            creation_policy: r
                .creation_policy
                .as_ref()
                .map(|e| self.with_property("CreationPolicy", |s| s.value(e))),
            update_policy: r
                .update_policy
                .as_ref()
                .map(|e| self.with_property("UpdatePolicy", |s| s.value(e))),
            update_replace_policy: r.update_replace_policy,
            deletion_policy: r.deletion_policy,
            metadata,
            condition: r
                .condition
                .and_then(|c| self.local_of_kind(c.element(), "Condition", "condition")),
        }
    }

    fn run_checks(
        &mut self,
        r: &crate::CfnResource,
        resource: &template::Resource<Resolved<'a>>,
        path: &str,
    ) {
        if !self.app.validation {
            return;
        }
        let mut issues: Vec<Issue> = Vec::new();
        for check in &r.checks {
            check(resource.properties, &mut issues);
        }
        for v in &self.app.validators {
            v.validate(&resource.type_name, resource.properties, &mut issues);
        }
        self.errors.extend(issues.into_iter().map(|i| Violation {
            path: path.to_owned(),
            property: i.property,
            rule: i.rule,
        }));
    }

    fn with_property<T>(&mut self, property: &'a str, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = self.property;
        self.property = property;
        let out = f(self);
        self.property = saved;
        out
    }

    fn error(&mut self, rule: String) {
        let stack = &self.app.stacks[self.stack as usize];
        let property = (!self.property.is_empty()).then_some(self.property);
        self.errors.push(Violation::new(
            stack.path_of(NodeId(self.node)),
            property,
            rule,
        ));
    }

    /// Checks a reference and finds its logical ID. `attribute` is set for GetAtt.
    fn target(
        &mut self,
        r: ElementRef,
        allow_parameter: bool,
        attribute: Option<&str>,
    ) -> Option<Target<'a>> {
        let what = if attribute.is_some() {
            "Fn::GetAtt"
        } else if allow_parameter {
            "Ref"
        } else {
            "DependsOn"
        };
        if r.app != self.app.id {
            self.error(format!("{what} points to a construct of another App (a dangling reference); create it in this app"));
            return None;
        }
        let app: &'a App = self.app;
        let Some(stack) = app.stacks.get(r.stack as usize) else {
            self.error(format!(
                "{what} points to a stack that does not exist (a dangling reference)"
            ));
            return None;
        };
        let node = stack.nodes.get(r.node as usize)?;
        if self.ids[r.stack as usize]
            .get(r.node as usize)
            .and_then(|i| i.as_deref())
            .is_none()
        {
            // Detached (duplicate id) or id-less nodes were reported already.
            if node.parent != DETACHED && node.element.is_none() {
                self.error(format!(
                    "{what} points to a construct that is not a resource"
                ));
            }
            return None;
        }
        match (node.element.as_deref(), attribute) {
            (Some(Element::Resource(res)), Some(attr)) => {
                if app.validation {
                    for v in &app.validators {
                        if let Some(rule) = v.check_attribute(&res.type_name, attr) {
                            self.error(format!(
                                "Fn::GetAtt on {}: {rule}",
                                stack.path_of(NodeId(r.node))
                            ));
                            return None;
                        }
                    }
                }
            }
            (Some(Element::Resource(_)), None) => {}
            (Some(Element::Parameter(_)), None) if allow_parameter => {}
            (Some(other), _) => {
                self.error(format!(
                    "{what} points to {} {}, which is not a resource{}",
                    other.kind(),
                    stack.path_of(NodeId(r.node)),
                    if allow_parameter && attribute.is_none() {
                        " or parameter"
                    } else {
                        ""
                    }
                ));
                return None;
            }
            (None, _) => return None,
        }
        self.context.locate(r)
    }

    /// A condition or mapping of the current stack.
    fn local_of_kind(&mut self, r: ElementRef, what: &str, kind: &str) -> Option<String> {
        if !self.context.is_local_of_kind(r, kind) {
            self.error(format!("{what} must name a {kind} of the same stack"));
        }
        self.context.local_of_kind(r, kind).map(str::to_owned)
    }

    fn check_reference(&mut self, r: ElementRef, attribute: Option<&str>) {
        if let Some(Target::Remote { stack, logical_id }) = self.target(r, true, attribute) {
            self.export(stack, logical_id, attribute);
        }
    }

    /// Registers the export of `logical_id` (or its `attribute`) by `producer`, once.
    fn export(&mut self, producer: u32, logical_id: &str, attribute: Option<&str>) {
        self.deps[self.stack as usize].insert(producer);
        let export = self.context.export(producer, logical_id, attribute);
        self.exports[producer as usize]
            .entry(export.name)
            .or_insert((export.output_id, export.value, export.construct_id));
    }

    /// Checks `e` and returns it as JSON (for the few places of a template
    /// that are kept as `serde_json` values: outputs, conditions, metadata,
    /// policies).
    fn value(&mut self, e: &Expr) -> Value {
        let errors_before = self.errors.len();
        self.check(e);
        if self.errors.len() == errors_before {
            Resolved::expr(e, self.context).to_value()
        } else {
            Value::Null
        }
    }

    /// Checks every reference in `e`, and registers the exports it imports.
    fn check(&mut self, e: &Expr) {
        e.for_each_reference(&mut |reference| match reference {
            Reference::Value(r, attribute) => self.check_reference(r, attribute),
            Reference::Condition(r, what) => {
                self.local_of_kind(r, what, "condition");
            }
            Reference::Mapping(r) => {
                self.local_of_kind(r, "Fn::FindInMap", "mapping");
            }
        });
    }
}
