//! Several stacks: selection, dependency order, and bounded concurrency.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use futures::stream::FuturesUnordered;
use futures::StreamExt;

use crate::client::Clients;
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
/// succeeded, with at most `concurrency` at a time. A stack whose
/// prerequisite failed is not started.
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
    let mut pending = stacks;
    let mut running = FuturesUnordered::new();
    let mut succeeded: HashSet<String> = HashSet::new();
    let mut failed: HashSet<String> = HashSet::new();
    let mut errors = Vec::new();
    let mut results = Vec::new();
    loop {
        // Start what is ready; drop what can no longer run.
        let mut i = 0;
        while i < pending.len() && running.len() < concurrency {
            let pre = prerequisites
                .get(&pending[i].stack_name)
                .cloned()
                .unwrap_or_default();
            if let Some(bad) = pre.iter().find(|p| failed.contains(*p)) {
                let s = pending.remove(i);
                let err = DeployError::DependencyFailed {
                    stack: s.stack_name.clone(),
                    dependency: bad.clone(),
                };
                emitter.emit(DeployEvent::StackFailed {
                    stack: s.stack_name.clone(),
                    message: err.to_string(),
                });
                failed.insert(s.stack_name);
                errors.push(err);
            } else if pre.iter().all(|p| succeeded.contains(p)) {
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
                succeeded.insert(name);
                results.push(v);
            }
            Err(e) => {
                emitter.emit(DeployEvent::StackFailed {
                    stack: name.clone(),
                    message: e.to_string(),
                });
                failed.insert(name);
                errors.push(e);
            }
        }
    }
    if !pending.is_empty() {
        errors.push(DeployError::DependencyCycle(
            pending
                .iter()
                .map(|s| s.stack_name.as_str())
                .collect::<Vec<_>>()
                .join(" -> "),
        ));
    }
    match errors.len() {
        0 => Ok(results),
        1 => Err(errors.remove(0)),
        _ => Err(DeployError::Multiple(errors)),
    }
}

/// Deploys stacks in dependency order, independent ones in parallel (up to
/// `concurrency`). Stacks must be given in dependency order (see
/// [`select_stacks`]); each stack's dependencies within the list must
/// succeed first.
pub fn deploy_stacks(
    clients: Clients,
    stacks: Vec<StackSpec>,
    options: DeployOptions,
    concurrency: usize,
) -> Operation<Vec<DeployOutput>> {
    Operation::new(move |emitter| async move {
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
        let (clients, options, em) = (&clients, &options, &emitter);
        run_graph(stacks, pre, concurrency, &emitter, |spec| async move {
            let r = crate::deploy::deploy_inner(clients, &spec, options, em).await;
            (spec.stack_name, r)
        })
        .await
    })
}

/// Destroys stacks in reverse dependency order: a stack is deleted once the
/// stacks in the list that depend on it are gone.
pub fn destroy_stacks(
    clients: Clients,
    stacks: Vec<StackSpec>,
    options: DestroyOptions,
    concurrency: usize,
) -> Operation<Vec<DestroyOutput>> {
    Operation::new(move |emitter| async move {
        let names: HashSet<String> = stacks.iter().map(|s| s.stack_name.clone()).collect();
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
        let (clients, options, em) = (&clients, &options, &emitter);
        run_graph(
            reversed,
            dependents,
            concurrency,
            &emitter,
            |spec| async move {
                let r = crate::destroy::destroy_inner(clients, &spec, options, em).await;
                (spec.stack_name, r)
            },
        )
        .await
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
        let emitter = Emitter(tx);
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
    async fn a_failed_dependency_stops_its_dependents_only() {
        let stacks = vec![spec("A", &[]), spec("B", &["A"]), spec("C", &[])];
        let pre: &[(&str, &[&str])] = &[("B", &["A"])];
        let (order, _, result) = graph(stacks, pre, 1, &["A"]).await;
        assert_eq!(order, ["A", "C"], "B is never started");
        let err = result.unwrap_err();
        assert_eq!(
            err.to_string(),
            "2 stacks failed:\n  - the change set for stack A failed: boom\n  - stack B was not deployed because A failed"
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
