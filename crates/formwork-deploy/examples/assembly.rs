//! Deploy, diff or destroy the stacks of a cloud assembly directory, for
//! trying the deploy crate on its own:
//!
//! ```sh
//! cargo run --example lex-web-bot -- synth -o cdk.out
//! cargo run -p formwork-deploy --example assembly -- cdk.out deploy --yes
//! ```
//!
//! The formwork CLI does the same from `app.run()`; this reads the
//! `manifest.json` (artifacts of type `aws:cloudformation:stack`) directly.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use formwork_deploy::cli::{run_deploy, run_destroy, run_diff, DeployArgs, DestroyArgs, DiffArgs};
use formwork_deploy::StackSpec;
use serde_json::Value;

#[derive(Parser)]
struct Args {
    /// The cloud assembly directory.
    assembly: PathBuf,
    #[command(subcommand)]
    verb: Verb,
}

#[derive(Subcommand)]
enum Verb {
    Deploy(DeployArgs),
    Diff(DiffArgs),
    Destroy(DestroyArgs),
}

fn read_assembly(dir: &Path) -> Result<Vec<StackSpec>, String> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let manifest: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let artifacts = manifest["artifacts"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let is_stack = |a: &Value| a["type"] == "aws:cloudformation:stack";
    let mut stacks = Vec::new();
    for (id, a) in artifacts.iter().filter(|(_, a)| is_stack(a)) {
        let props = &a["properties"];
        let file = props["templateFile"]
            .as_str()
            .ok_or(format!("{id}: no templateFile"))?;
        let template_body = std::fs::read_to_string(dir.join(file))
            .map_err(|e| format!("{}: {e}", dir.join(file).display()))?;
        let mut construct_paths = HashMap::new();
        for (path, entries) in a["metadata"].as_object().into_iter().flatten() {
            for e in entries.as_array().into_iter().flatten() {
                if let (Some("aws:cdk:logicalId"), Some(logical)) =
                    (e["type"].as_str(), e["data"].as_str())
                {
                    construct_paths.insert(logical.to_string(), path.clone());
                }
            }
        }
        stacks.push(StackSpec {
            stack_name: props["stackName"].as_str().unwrap_or(id).to_string(),
            template_body,
            construct_paths,
            dependencies: a["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| d.as_str())
                .filter(|d| artifacts.get(*d).is_some_and(is_stack))
                .map(str::to_string)
                .collect(),
            tags: serde_json::from_value(props["tags"].clone()).unwrap_or_default(),
            parameters: serde_json::from_value(props["parameters"].clone()).unwrap_or_default(),
            termination_protection: props["terminationProtection"].as_bool().unwrap_or(false),
            deployments: formwork_deploy::bucket_deployments(dir, a)?,
        });
    }
    Ok(stacks)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let stacks = match read_assembly(&args.assembly) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("❌ {e}");
            return ExitCode::FAILURE;
        }
    };
    match &args.verb {
        Verb::Deploy(a) => run_deploy(stacks, a),
        Verb::Diff(a) => run_diff(stacks, a),
        Verb::Destroy(a) => run_destroy(stacks, a),
    }
}
