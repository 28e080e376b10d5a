//! The command line of a formwork app.
//!
//! A formwork program ends with `app.run()`, which reads its arguments the
//! way the CDK CLI would: `synth` (the default), `list`, and, with the
//! `deploy` feature, `deploy`, `diff` and `destroy`.
//!
//! Templates go to stdout, everything meant for a person to stderr, so
//! `cargo run --example lex-web-bot > template.json` does what it says.

#![warn(missing_docs)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use formwork_core::{App, Assembly, Error};

/// The arguments of a formwork app.
#[derive(Debug, Parser)]
#[command(
    about = "Synthesize (and deploy) the stacks of this formwork app",
    version
)]
pub struct Cli {
    /// What to do; `synth` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the cloud assembly and print a stack's template.
    Synth(SynthArgs),
    /// List the stacks of the app, in deploy order.
    #[command(alias = "ls")]
    List {
        /// Also show each stack's dependencies and resource count.
        #[arg(short, long)]
        long: bool,
    },
}

/// Arguments of `synth`.
#[derive(Debug, Default, clap::Args)]
pub struct SynthArgs {
    /// Stacks to print (all are written to the assembly). With one stack in
    /// the app, its template is printed without naming it.
    pub stacks: Vec<String>,
    /// The cloud assembly directory.
    #[arg(short, long, default_value = "cdk.out")]
    pub output: PathBuf,
    /// Do not print templates to stdout.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `app.run()`: the entry point of a formwork program.
pub trait Run {
    /// Parses the process arguments and runs the verb.
    ///
    /// Synthesis errors are returned, for `main` to report. Verbs that end
    /// with their own exit status (a failed deploy, `diff --fail` with
    /// differences) print their report and exit with it.
    fn run(self) -> Result<(), Error>;
}

impl Run for App {
    fn run(self) -> Result<(), Error> {
        run_args(self, std::env::args_os())
    }
}

/// Like [`Run::run`], with explicit arguments (the first one is the program
/// name, as in `std::env::args_os()`).
///
/// For programs that read arguments of their own first and hand the rest to
/// formwork, such as `examples/scale.rs` (`scale roles 5000 synth -o DIR`).
pub fn run_args<I, T>(app: App, args: I) -> Result<(), Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match run_with(app, Cli::parse_from(args))? {
        code if code == ExitCode::SUCCESS => Ok(()),
        code => {
            // Flush what the verb printed before leaving with its status.
            let _ = std::io::stdout().flush();
            std::process::exit(exit_status(code))
        }
    }
}

fn exit_status(code: ExitCode) -> i32 {
    // ExitCode is opaque; the verbs only ever return SUCCESS or FAILURE-like codes.
    if code == ExitCode::SUCCESS {
        0
    } else {
        1
    }
}

/// Runs `cli` against `app` (for tests and custom front ends), returning the
/// exit status the verb asks for.
pub fn run_with(app: App, cli: Cli) -> Result<ExitCode, Error> {
    match cli.command.unwrap_or(Command::Synth(SynthArgs {
        output: "cdk.out".into(),
        ..SynthArgs::default()
    })) {
        Command::Synth(args) => synth(&app, &args).map(|()| ExitCode::SUCCESS),
        Command::List { long } => list(&app, long).map(|()| ExitCode::SUCCESS),
    }
}

/// Synthesizes `app` and writes the assembly to `dir`, reporting on stderr.
pub fn synth_to(app: &App, dir: &Path) -> Result<Assembly, Error> {
    let started = Instant::now();
    let assembly = app.synth()?;
    assembly.write(dir)?;
    let elapsed = started.elapsed();
    for stack in &assembly.stacks {
        eprintln!(
            "Synthesized {} ({} resources, {} outputs) -> {}",
            stack.name,
            stack.template.resources.len(),
            stack.template.outputs.len(),
            dir.join(stack.template_file()).display()
        );
    }
    eprintln!(
        "Cloud assembly written to {} in {:.1} ms",
        dir.display(),
        elapsed.as_secs_f64() * 1e3
    );
    Ok(assembly)
}

fn synth(app: &App, args: &SynthArgs) -> Result<(), Error> {
    for name in &args.stacks {
        if app.get_stack(name).is_none() {
            let known: Vec<&str> = app.stacks().iter().map(|s| s.name()).collect();
            return Err(Error::invalid(
                name.clone(),
                None,
                format!("no such stack; the app has {}", known.join(", ")),
            ));
        }
    }
    let assembly = synth_to(app, &args.output)?;
    if args.quiet {
        return Ok(());
    }
    let selected: Vec<_> = if args.stacks.is_empty() && assembly.stacks.len() == 1 {
        assembly.stacks.iter().collect()
    } else {
        assembly
            .stacks
            .iter()
            .filter(|s| args.stacks.contains(&s.name))
            .collect()
    };
    if selected.is_empty() {
        eprintln!("The app has several stacks: name one (synth STACK) to print its template.");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for stack in selected {
        let io = |source| Error::Io {
            action: "cannot write",
            path: "<stdout>".into(),
            source,
        };
        stack
            .template
            .write_json(&mut out)
            .map_err(|e| io(e.into()))?;
        out.write_all(b"\n").map_err(io)?;
    }
    out.flush().map_err(|source| Error::Io {
        action: "cannot write",
        path: "<stdout>".into(),
        source,
    })
}

fn list(app: &App, long: bool) -> Result<(), Error> {
    let assembly = app.synth()?;
    for stack in &assembly.stacks {
        if long {
            let deps = if stack.dependencies.is_empty() {
                "-".to_owned()
            } else {
                stack.dependencies.join(",")
            };
            println!(
                "{}\t{} resources\tdepends on: {deps}",
                stack.name,
                stack.template.resources.len()
            );
        } else {
            println!("{}", stack.name);
        }
    }
    Ok(())
}
