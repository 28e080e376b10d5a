//! Deploy, diff or destroy the stacks of a cloud assembly directory, for
//! trying the deploy crate on its own:
//!
//! ```sh
//! cargo run --example lex-web-bot -- synth -o cdk.out
//! cargo run -p formwork-deploy --example assembly -- cdk.out deploy --yes
//! ```
//!
//! The formwork CLI does the same from `app.run()`; this reads the assembly
//! with the same reader, `formwork_cli::stack_specs`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use formwork_deploy::cli::{run_deploy, run_destroy, run_diff, DeployArgs, DestroyArgs, DiffArgs};

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

fn main() -> ExitCode {
    let args = Args::parse();
    let stacks = match formwork_cli::stack_specs(&args.assembly) {
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
