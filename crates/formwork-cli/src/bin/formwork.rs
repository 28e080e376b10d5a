//! `formwork`: deploys, diffs and destroys any cloud assembly, one written
//! by a formwork app or by the AWS CDK (`cdk synth`), as the CDK CLI does
//! with `--app cdk.out`; and checks CloudFormation templates against the
//! rule packs (`formwork check`). A formwork app built without the `deploy`
//! feature hands its `deploy`, `diff` and `destroy` verbs to this command,
//! so that the app itself compiles no AWS SDK.
//!
//! ```text
//! cargo install formwork-cli
//! formwork list --app cdk.out
//! formwork deploy --app cdk.out --require-approval never
//! formwork check cdk.out/*.template.json
//! ```
//!
//! Built without the `deploy` feature, it has `check` alone.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Deploy, diff and destroy the stacks of a cloud assembly; check templates.
#[derive(Debug, Parser)]
#[command(name = "formwork", version)]
struct Tool {
    /// The cloud assembly directory (written by a formwork app or `cdk synth`).
    #[cfg(feature = "deploy")]
    #[arg(long, global = true, default_value = "cdk.out")]
    app: PathBuf,
    #[command(subcommand)]
    command: Verb,
}

#[derive(Debug, Subcommand)]
enum Verb {
    /// Create or update stacks through change sets.
    #[cfg(feature = "deploy")]
    Deploy(formwork_deploy::cli::DeployArgs),
    /// Compare the deployed templates with the assembly's.
    #[cfg(feature = "deploy")]
    Diff(formwork_deploy::cli::DiffArgs),
    /// Delete deployed stacks.
    #[cfg(feature = "deploy")]
    Destroy(formwork_deploy::cli::DestroyArgs),
    /// List the stacks of the assembly.
    #[cfg(feature = "deploy")]
    #[command(alias = "ls")]
    List,
    /// Check CloudFormation templates (JSON) against the rule packs
    /// (cdk-nag's AwsSolutions): one line per unsuppressed finding,
    /// `RULE-ID<TAB>LogicalId<TAB>error|warning<TAB>finding`; exit status 1
    /// when an error remains, 2 when a file cannot be read.
    Check {
        /// Template files (`cdk.out/*.template.json`, or any JSON template).
        #[arg(required = true, value_name = "TEMPLATE.json")]
        templates: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let tool = Tool::parse();
    match tool.command {
        Verb::Check { templates } => {
            let stdout = std::io::stdout();
            let stderr = std::io::stderr();
            match formwork_cli::check_files(&templates, &mut stdout.lock(), &mut stderr.lock()) {
                Ok(code) => ExitCode::from(code),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(formwork_cli::CHECK_BAD_INPUT)
                }
            }
        }
        #[cfg(feature = "deploy")]
        command => deploy(&tool.app, command),
    }
}

/// The verbs that read a cloud assembly.
#[cfg(feature = "deploy")]
fn deploy(app: &std::path::Path, command: Verb) -> ExitCode {
    let stacks = match formwork_cli::stack_specs(app) {
        Ok(stacks) => stacks,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match command {
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
        Verb::Check { .. } => unreachable!("handled by main"),
    }
}
