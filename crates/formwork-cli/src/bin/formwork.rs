//! `formwork`: deploys, diffs and destroys any cloud assembly, one written
//! by a formwork app or by the AWS CDK (`cdk synth`), as the CDK CLI does
//! with `--app cdk.out`. A formwork app built without the `deploy` feature
//! hands its `deploy`, `diff` and `destroy` verbs to this command, so that
//! the app itself compiles no AWS SDK.
//!
//! ```text
//! cargo install formwork-cli
//! formwork list --app cdk.out
//! formwork deploy --app cdk.out --require-approval never
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Deploy, diff and destroy the stacks of a cloud assembly.
#[derive(Debug, Parser)]
#[command(name = "formwork", version)]
struct Tool {
    /// The cloud assembly directory (written by a formwork app or `cdk synth`).
    #[arg(long, global = true, default_value = "cdk.out")]
    app: PathBuf,
    #[command(subcommand)]
    command: Verb,
}

#[derive(Debug, Subcommand)]
enum Verb {
    /// Create or update stacks through change sets.
    Deploy(formwork_deploy::cli::DeployArgs),
    /// Compare the deployed templates with the assembly's.
    Diff(formwork_deploy::cli::DiffArgs),
    /// Delete deployed stacks.
    Destroy(formwork_deploy::cli::DestroyArgs),
    /// List the stacks of the assembly.
    #[command(alias = "ls")]
    List,
}

fn main() -> ExitCode {
    let tool = Tool::parse();
    let stacks = match formwork_cli::stack_specs(&tool.app) {
        Ok(stacks) => stacks,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match tool.command {
        Verb::Deploy(args) => formwork_deploy::cli::run_deploy(stacks, &args),
        Verb::Diff(args) => formwork_deploy::cli::run_diff(stacks, &args),
        Verb::Destroy(args) => formwork_deploy::cli::run_destroy(stacks, &args),
        Verb::List => match formwork_deploy::dependency_order(stacks) {
            Ok(ordered) => {
                for stack in ordered {
                    println!("{}", stack.stack_name);
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
