//! From the synthesized assembly to what `formwork-deploy` takes.

use formwork_core::Assembly;
use formwork_deploy::StackSpec;

/// One [`StackSpec`] per stack, in dependency order. The template body is
/// the same text that `synth` writes to the cloud assembly.
pub(crate) fn stack_specs(assembly: &Assembly) -> Vec<StackSpec> {
    assembly
        .stacks
        .iter()
        .map(|stack| StackSpec {
            stack_name: stack.name.clone(),
            template_body: stack.template_json(),
            construct_paths: stack
                .logical_ids
                .iter()
                .map(|(path, id)| (id.clone(), path.clone()))
                .collect(),
            dependencies: stack.dependencies.clone(),
            tags: stack.tags.clone(),
            parameters: Default::default(),
            termination_protection: stack.termination_protection,
        })
        .collect()
}
