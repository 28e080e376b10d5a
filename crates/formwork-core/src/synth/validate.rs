//! Step 3 of synthesis: checks that read the resolved templates: each
//! resource's construct checks and the app's validators (such as the
//! resource-schema validator), CloudFormation's template limits, and the
//! order in which the stacks can be deployed.

use std::collections::BTreeSet;

use serde_json::Value;

use super::limits;
use super::prepare::Prepared;
use super::resolve::ResolvedStack;
use crate::error::Violation;
use crate::tree::Settings;

pub(crate) fn validate(
    settings: &Settings,
    stacks: &mut [ResolvedStack],
    errors: &mut Vec<Violation>,
) {
    for stack in stacks.iter() {
        let template = &stack.stack.template;
        if settings.validation {
            for (logical_id, path, checks) in &stack.checks {
                let resource = &template.resources[logical_id];
                let mut issues = Vec::new();
                for check in checks {
                    check(&resource.properties, &mut issues);
                }
                let properties = Value::Object(resource.properties.clone());
                let properties = (!resource.properties.is_empty()).then_some(&properties);
                for v in &settings.validators {
                    v.validate(&resource.type_name, properties, &mut issues);
                }
                errors.extend(issues.into_iter().map(|i| Violation {
                    path: path.clone(),
                    property: i.property,
                    rule: i.rule,
                }));
            }
        }
        let counts = [
            ("resources", template.resources.len(), limits::MAX_RESOURCES),
            ("outputs", template.outputs.len(), limits::MAX_OUTPUTS),
            (
                "parameters",
                template.parameters.len(),
                limits::MAX_PARAMETERS,
            ),
        ];
        for (what, count, max) in counts {
            if count > max {
                errors.push(Violation::new(
                    stack.stack.name.clone(),
                    None,
                    format!("the template has {count} {what}; CloudFormation allows at most {max} per stack, so split it into several stacks"),
                ));
            }
        }
    }
}

/// The order to deploy the stacks in (producers first), as indices; on a
/// cycle, the error and creation order.
pub(crate) fn order(
    prepared: &Prepared,
    stacks: &[ResolvedStack],
    errors: &mut Vec<Violation>,
) -> Vec<usize> {
    let deps: Vec<&BTreeSet<usize>> = prepared.stacks.iter().map(|s| &s.deps).collect();
    match topological(&deps) {
        Ok(order) => order,
        Err(cycle) => {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&i| stacks[i].stack.name.as_str())
                .collect();
            errors.push(Violation::new(
                names[0],
                None,
                format!(
                    "cross-stack references form a cycle ({}); move the shared resources into one stack",
                    names.join(" -> ")
                ),
            ));
            (0..stacks.len()).collect()
        }
    }
}

/// Depth-first topological order, or the stacks of a cycle.
fn topological(deps: &[&BTreeSet<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        n: usize,
        deps: &[&BTreeSet<usize>],
        marks: &mut [Mark],
        order: &mut Vec<usize>,
        trail: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        match marks[n] {
            Mark::Done => return Ok(()),
            Mark::Active => {
                let start = trail.iter().position(|&t| t == n).unwrap_or(0);
                let mut cycle = trail[start..].to_vec();
                cycle.push(n);
                return Err(cycle);
            }
            Mark::New => {}
        }
        marks[n] = Mark::Active;
        trail.push(n);
        for &d in deps[n] {
            visit(d, deps, marks, order, trail)?;
        }
        trail.pop();
        marks[n] = Mark::Done;
        order.push(n);
        Ok(())
    }
    let mut marks = vec![Mark::New; deps.len()];
    let mut order = Vec::with_capacity(deps.len());
    let mut trail = Vec::new();
    for n in 0..deps.len() {
        visit(n, deps, &mut marks, &mut order, &mut trail)?;
    }
    Ok(order)
}
