//! Several stacks: selection, dependency order, and bounded concurrency.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use futures::stream::FuturesUnordered;
use futures::StreamExt;

use tokio::time::Instant;

use crate::client::Clients;
use crate::deadline::bounded;
use crate::deploy::{DeployOptions, DeployOutput};
use crate::destroy::{DestroyOptions, DestroyOutput};
use crate::error::DeployError;
use crate::events::DeployEvent;
use crate::op::{Emitter, Operation};
use crate::StackSpec;

/// Picks the stacks named on the command line (or all of them).
///
/// With no names and without `all`, an app with a single stack selects it.
/// With `with_dependencies` (deploy), the stacks the selected ones depend on
/// are selected too. The result is in dependency order.
pub fn select_stacks(
    stacks: Vec<StackSpec>,
    names: &[String],
    all: bool,
    with_dependencies: bool,
) -> Result<Vec<StackSpec>, DeployError> {
    let available = || {
        stacks
            .iter()
            .map(|s| s.stack_name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut wanted: HashSet<String> = HashSet::new();
    if all || (names.is_empty() && stacks.len() == 1) {
        wanted.extend(stacks.iter().map(|s| s.stack_name.clone()));
    } else if names.is_empty() {
        return Err(DeployError::UnknownStack {
            name: "(none given: name stacks or pass --all)".into(),
            available: available(),
        });
    }
    for n in names {
        if !stacks.iter().any(|s| &s.stack_name == n) {
            return Err(DeployError::UnknownStack {
                name: n.clone(),
                available: available(),
            });
        }
        wanted.insert(n.clone());
    }
    if with_dependencies {
        let by_name: HashMap<&str, &StackSpec> =
            stacks.iter().map(|s| (s.stack_name.as_str(), s)).collect();
        let mut todo: Vec<String> = wanted.iter().cloned().collect();
        while let Some(n) = todo.pop() {
            if let Some(s) = by_name.get(n.as_str()) {
                for d in &s.dependencies {
                    if by_name.contains_key(d.as_str()) && wanted.insert(d.clone()) {
                        todo.push(d.clone());
                    }
                }
            }
        }
    }
    dependency_order(
        stacks
            .into_iter()
            .filter(|s| wanted.contains(&s.stack_name))
            .collect(),
    )
}

/// Sorts stacks so that each comes after its dependencies (dependencies
/// outside the list are ignored), keeping the given order otherwise.
pub fn dependency_order(stacks: Vec<StackSpec>) -> Result<Vec<StackSpec>, DeployError> {
    let names: HashSet<String> = stacks.iter().map(|s| s.stack_name.clone()).collect();
    let mut placed: HashSet<String> = HashSet::new();
    let mut rest = stacks;
    let mut out = Vec::with_capacity(rest.len());
    while !rest.is_empty() {
        let before = rest.len();
        let mut i = 0;
        while i < rest.len() {
            let ready = rest[i]
                .dependencies
                .iter()
                .all(|d| !names.contains(d) || placed.contains(d));
            if ready {
                let s = rest.remove(i);
                placed.insert(s.stack_name.clone());
                out.push(s);
            } else {
                i += 1;
            }
        }
        if rest.len() == before {
            return Err(DeployError::DependencyCycle(
                rest.iter()
                    .map(|s| s.stack_name.as_str())
                    .collect::<Vec<_>>()
                    .join(" -> "),
            ));
        }
    }
    Ok(out)
}

/// Runs `work` over the stacks, starting a stack only once its prerequisites
/// succeeded, with at most `concurrency` at a time.
///
/// After the first failure no further stack is started (the ones running
/// finish): a run that went wrong stops as early as it can. A failure of a
/// run of several stacks is a [`DeployError::RunStopped`] that lists what
/// was done, what failed and what was not started.
async fn run_graph<T, F, Fut>(
    stacks: Vec<StackSpec>,
    prerequisites: HashMap<String, Vec<String>>,
    concurrency: usize,
    emitter: &Emitter,
    work: F,
) -> Result<Vec<T>, DeployError>
where
    F: Fn(StackSpec) -> Fut,
    Fut: Future<Output = (String, Result<T, DeployError>)>,
{
    let concurrency = concurrency.max(1);
    let total = stacks.len();
    let mut pending = stacks;
    let mut running = FuturesUnordered::new();
    let mut succeeded: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    let mut results = Vec::new();
    loop {
        // Start what is ready, unless something failed.
        let mut i = 0;
        while errors.is_empty() && i < pending.len() && running.len() < concurrency {
            let ready = prerequisites
                .get(&pending[i].stack_name)
                .is_none_or(|pre| pre.iter().all(|p| succeeded.contains(p)));
            if ready {
                running.push(work(pending.remove(i)));
            } else {
                i += 1;
            }
        }
        let Some((name, result)) = running.next().await else {
            break;
        };
        match result {
            Ok(v) => {
                succeeded.push(name);
                results.push(v);
            }
            Err(e) => {
                emitter.emit(DeployEvent::StackFailed {
                    stack: name.clone(),
                    message: e.to_string(),
                });
                errors.push(e);
            }
        }
    }
    if errors.is_empty() && !pending.is_empty() {
        errors.push(DeployError::DependencyCycle(
            pending
                .iter()
                .map(|s| s.stack_name.as_str())
                .collect::<Vec<_>>()
                .join(" -> "),
        ));
    }
    if errors.is_empty() {
        return Ok(results);
    }
    if total == 1 {
        return Err(errors.remove(0));
    }
    Err(DeployError::RunStopped {
        failed: errors,
        done: succeeded,
        not_started: pending.into_iter().map(|s| s.stack_name).collect(),
    })
}

/// Each stack's clients, in the region its environment names (else the
/// clients' own), once the credentials are known to be for the account it
/// names: one `GetCallerIdentity` call when any stack names one, as the CDK
/// CLI checks. The errors name their stacks; nothing is touched.
pub(crate) async fn environment_clients(
    clients: &Clients,
    stacks: &[StackSpec],
) -> (HashMap<String, Clients>, Vec<DeployError>) {
    let caller = if stacks.iter().any(|s| s.account.is_some()) {
        match clients.sts.get_caller_identity().send().await {
            Ok(identity) => identity.account,
            Err(e) => {
                return (
                    HashMap::new(),
                    vec![DeployError::sdk("GetCallerIdentity", e)],
                )
            }
        }
    } else {
        None
    };
    let mut per_stack = HashMap::new();
    let mut errors = Vec::new();
    for spec in stacks {
        if let Some(wanted) = &spec.account {
            if caller.as_ref() != Some(wanted) {
                errors.push(DeployError::WrongAccount {
                    stack: spec.stack_name.clone(),
                    wanted: wanted.clone(),
                    actual: caller.clone().unwrap_or_else(|| "(not given)".into()),
                });
                continue;
            }
        }
        let region = spec.region.as_deref().unwrap_or(&clients.region);
        match clients.in_region(region) {
            Some(c) => {
                per_stack.insert(spec.stack_name.clone(), c);
            }
            None => errors.push(DeployError::RegionUnavailable {
                stack: spec.stack_name.clone(),
                wanted: region.to_owned(),
                actual: clients.region.clone(),
            }),
        }
    }
    (per_stack, errors)
}

/// `spec`'s clients (see [`environment_clients`]), for the operations on
/// one stack.
pub(crate) async fn stack_clients(
    clients: &Clients,
    spec: &StackSpec,
) -> Result<Clients, DeployError> {
    let (mut per_stack, errors) = environment_clients(clients, std::slice::from_ref(spec)).await;
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(per_stack
            .remove(&spec.stack_name)
            .unwrap_or_else(|| clients.clone())),
    }
}

/// The error of a run that stopped before touching any of the stacks in
/// `all`, on `errors`; each stack named in them is reported failed.
fn stopped_before_start(
    mut errors: Vec<DeployError>,
    all: Vec<String>,
    emitter: &Emitter,
) -> DeployError {
    for e in &errors {
        if let Some(stack) = e.stack() {
            emitter.emit(DeployEvent::StackFailed {
                stack: stack.to_string(),
                message: e.to_string(),
            });
        }
    }
    if all.len() == 1 && errors.len() == 1 {
        errors.remove(0)
    } else {
        DeployError::RunStopped {
            failed: errors,
            done: Vec::new(),
            not_started: all,
        }
    }
}

/// Checks every stack before the first is touched: its environment (see
/// [`environment_clients`]), templates, sizes, parameter values, and
/// required parameters (a required parameter without a value is fine only
/// for a stack that is deployed with it, which one read-only
/// `DescribeStacks` tells). Returns each stack's clients.
async fn preflight_all(
    clients: &Clients,
    stacks: &[StackSpec],
    options: &DeployOptions,
) -> (HashMap<String, Clients>, Vec<DeployError>) {
    let (per_stack, mut errors) = environment_clients(clients, stacks).await;
    for spec in stacks {
        let Some(clients) = per_stack.get(&spec.stack_name) else {
            continue; // its environment is already reported
        };
        let template = match crate::deploy::preflight(spec, options) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let missing = crate::parameters::missing_required(spec, &template, None);
        if missing.is_empty() {
            continue;
        }
        let previous = match crate::stack::describe(&clients.cloudformation, &spec.stack_name).await
        {
            Ok(Some(s)) if s.status != "REVIEW_IN_PROGRESS" => s.parameters,
            Ok(_) => Default::default(),
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if let Some(key) = missing.into_iter().find(|k| !previous.contains_key(k)) {
            errors.push(DeployError::InvalidParameter {
                stack: spec.stack_name.clone(),
                parameter: key,
                rule: "required (it has no Default) but not given: pass --parameters KEY=VALUE"
                    .into(),
            });
        }
    }
    (per_stack, errors)
}

/// Deploys stacks in dependency order, independent ones in parallel (up to
/// `concurrency`). Stacks must be given in dependency order (see
/// [`select_stacks`]); each stack's dependencies within the list must
/// succeed first.
///
/// Every stack is checked first (templates, sizes, parameters): if one
/// fails, none is deployed. `options.timeout` bounds the whole run.
pub fn deploy_stacks(
    clients: Clients,
    stacks: Vec<StackSpec>,
    options: DeployOptions,
    concurrency: usize,
) -> Operation<Vec<DeployOutput>> {
    Operation::new(move |emitter| async move {
        let started = Instant::now();
        let deadline = options.timeout.map(|t| started + t);
        let endpoint = clients.endpoint.clone();
        let all: Vec<String> = stacks.iter().map(|s| s.stack_name.clone()).collect();
        let first = all.first().cloned().unwrap_or_default();
        let checks = preflight_all(&clients, &stacks, &options);
        let (per_stack, errors) = bounded(deadline, started, &first, &emitter, async {
            Ok(checks.await)
        })
        .await
        .map_err(|e| e.at_endpoint(&endpoint))?;
        if !errors.is_empty() {
            return Err(stopped_before_start(errors, all, &emitter).at_endpoint(&endpoint));
        }
        let names: HashSet<String> = stacks.iter().map(|s| s.stack_name.clone()).collect();
        let pre = stacks
            .iter()
            .map(|s| {
                let deps = s
                    .dependencies
                    .iter()
                    .filter(|d| names.contains(*d))
                    .cloned()
                    .collect();
                (s.stack_name.clone(), deps)
            })
            .collect();
        let (clients, per_stack, options, em) = (&clients, &per_stack, &options, &emitter);
        run_graph(stacks, pre, concurrency, &emitter, |spec| async move {
            // Every stack has its clients once the checks passed.
            let clients = per_stack.get(&spec.stack_name).unwrap_or(clients);
            let work = crate::deploy::deploy_inner(clients, &spec, options, em, started, deadline);
            // Connection errors name the endpoint of the stack's region.
            let r = bounded(deadline, started, &spec.stack_name, em, work)
                .await
                .map_err(|e| e.at_endpoint(&clients.endpoint));
            (spec.stack_name, r)
        })
        .await
        .map_err(|e| e.at_endpoint(&endpoint))
    })
}

/// Destroys stacks in reverse dependency order: a stack is deleted once the
/// stacks in the list that depend on it are gone. `options.timeout` bounds
/// the whole run.
pub fn destroy_stacks(
    clients: Clients,
    stacks: Vec<StackSpec>,
    options: DestroyOptions,
    concurrency: usize,
) -> Operation<Vec<DestroyOutput>> {
    Operation::new(move |emitter| async move {
        let started = Instant::now();
        let deadline = options.timeout.map(|t| started + t);
        let all: Vec<String> = stacks.iter().map(|s| s.stack_name.clone()).collect();
        let first = all.first().cloned().unwrap_or_default();
        let checks = environment_clients(&clients, &stacks);
        let (per_stack, errors) = bounded(deadline, started, &first, &emitter, async {
            Ok(checks.await)
        })
        .await
        .map_err(|e| e.at_endpoint(&clients.endpoint))?;
        if !errors.is_empty() {
            return Err(stopped_before_start(errors, all, &emitter).at_endpoint(&clients.endpoint));
        }
        let names: HashSet<String> = all.into_iter().collect();
        let mut dependents: HashMap<String, Vec<String>> = HashMap::new();
        for s in &stacks {
            for d in s.dependencies.iter().filter(|d| names.contains(*d)) {
                dependents
                    .entry(d.clone())
                    .or_default()
                    .push(s.stack_name.clone());
            }
        }
        let mut reversed = stacks;
        reversed.reverse();
        let (clients, per_stack, options, em) = (&clients, &per_stack, &options, &emitter);
        run_graph(
            reversed,
            dependents,
            concurrency,
            &emitter,
            |spec| async move {
                // Every stack has its clients once the checks passed.
                let clients = per_stack.get(&spec.stack_name).unwrap_or(clients);
                let work =
                    crate::destroy::destroy_inner(clients, &spec, options, em, started, deadline);
                // Connection errors name the endpoint of the stack's region.
                let r = bounded(deadline, started, &spec.stack_name, em, work)
                    .await
                    .map_err(|e| e.at_endpoint(&clients.endpoint));
                (spec.stack_name, r)
            },
        )
        .await
        .map_err(|e| e.at_endpoint(&clients.endpoint))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, deps: &[&str]) -> StackSpec {
        StackSpec {
            stack_name: name.into(),
            template_body: "{}".into(),
            dependencies: deps.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        }
    }

    fn names(v: &[StackSpec]) -> Vec<&str> {
        v.iter().map(|s| s.stack_name.as_str()).collect()
    }

    #[test]
    fn orders_by_dependencies() {
        let v = dependency_order(vec![
            spec("C", &["B"]),
            spec("B", &["A"]),
            spec("A", &[]),
            spec("D", &[]),
        ])
        .unwrap();
        assert_eq!(names(&v), ["A", "D", "B", "C"]);
    }

    /// Runs `run_graph` with work that fails for the names in `failing`,
    /// recording start order and the peak number running at once.
    async fn graph(
        stacks: Vec<StackSpec>,
        pre: &[(&str, &[&str])],
        concurrency: usize,
        failing: &[&str],
    ) -> (Vec<String>, usize, Result<Vec<String>, DeployError>) {
        use std::sync::{Arc, Mutex};
        let pre = pre
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect();
        // (start order, running now, peak)
        let log = Arc::new(Mutex::new((Vec::new(), 0usize, 0usize)));
        let (tx, _rx) = futures::channel::mpsc::unbounded();
        let emitter = Emitter::new(tx);
        let result = run_graph(stacks, pre, concurrency, &emitter, |spec| {
            let log = log.clone();
            let fail = failing.contains(&spec.stack_name.as_str());
            async move {
                {
                    let mut l = log.lock().unwrap();
                    l.0.push(spec.stack_name.clone());
                    l.1 += 1;
                    l.2 = l.2.max(l.1);
                }
                // Let the other started stacks run before finishing.
                for _ in 0..3 {
                    tokio::task::yield_now().await;
                }
                log.lock().unwrap().1 -= 1;
                let r = if fail {
                    Err(DeployError::ChangeSetFailed {
                        stack: spec.stack_name.clone(),
                        reason: "boom".into(),
                    })
                } else {
                    Ok(spec.stack_name.clone())
                };
                (spec.stack_name, r)
            }
        })
        .await;
        let l = log.lock().unwrap();
        (l.0.clone(), l.2, result)
    }

    #[tokio::test]
    async fn independent_stacks_run_in_parallel_up_to_the_limit() {
        let stacks = vec![
            spec("A", &[]),
            spec("B", &[]),
            spec("C", &[]),
            spec("D", &["A", "B", "C"]),
        ];
        let pre: &[(&str, &[&str])] = &[("D", &["A", "B", "C"])];
        let (order, peak, result) = graph(stacks.clone(), pre, 2, &[]).await;
        assert_eq!(peak, 2);
        assert_eq!(order.last().map(String::as_str), Some("D"));
        assert_eq!(result.unwrap().len(), 4);
        let (_, peak, _) = graph(stacks.clone(), pre, 1, &[]).await;
        assert_eq!(peak, 1);
        let (_, peak, _) = graph(stacks, pre, 8, &[]).await;
        assert_eq!(peak, 3, "D waits for its dependencies");
    }

    #[tokio::test]
    async fn a_failure_stops_the_run_and_says_what_was_done() {
        let stacks = vec![
            spec("Z", &[]),
            spec("A", &[]),
            spec("B", &["A"]),
            spec("C", &[]),
        ];
        let pre: &[(&str, &[&str])] = &[("B", &["A"])];
        let (order, _, result) = graph(stacks, pre, 1, &["A"]).await;
        assert_eq!(order, ["Z", "A"], "nothing is started after a failure");
        let err = result.unwrap_err();
        assert_eq!(
            err.to_string(),
            "the change set for stack A failed: boom\nSummary: done: Z; failed: 1; not started: B, C"
        );
    }

    #[test]
    fn cycles_are_errors() {
        let e = dependency_order(vec![spec("A", &["B"]), spec("B", &["A"])]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the stack dependencies form a cycle through: A -> B"
        );
    }

    #[test]
    fn selection_includes_dependencies_for_deploy() {
        let all = vec![spec("A", &[]), spec("B", &["A"]), spec("C", &[])];
        let v = select_stacks(all.clone(), &["B".into()], false, true).unwrap();
        assert_eq!(names(&v), ["A", "B"]);
        let v = select_stacks(all.clone(), &["B".into()], false, false).unwrap();
        assert_eq!(names(&v), ["B"]);
        let e = select_stacks(all.clone(), &[], false, true).unwrap_err();
        assert!(e.to_string().contains("--all"), "{e}");
        let e = select_stacks(all, &["Nope".into()], false, true).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no stack named Nope in this app (stacks: A, B, C)"
        );
        let v = select_stacks(vec![spec("Only", &[])], &[], false, true).unwrap();
        assert_eq!(names(&v), ["Only"]);
    }
}
