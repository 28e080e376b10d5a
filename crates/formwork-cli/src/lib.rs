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
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use formwork_core::assembly::WrittenStack;
use formwork_core::{App, Assembly, Error};

#[cfg(feature = "deploy")]
mod deploy;

/// Where the cloud assembly goes unless `--output` says otherwise.
pub const DEFAULT_OUTPUT: &str = "cdk.out";

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
    /// Synthesize, then create or update stacks through change sets.
    #[cfg(feature = "deploy")]
    Deploy(formwork_deploy::cli::DeployArgs),
    /// Compare the deployed templates with the synthesized ones.
    #[cfg(feature = "deploy")]
    Diff(formwork_deploy::cli::DiffArgs),
    /// Delete deployed stacks.
    #[cfg(feature = "deploy")]
    Destroy(formwork_deploy::cli::DestroyArgs),
    /// Deploying needs formwork's `deploy` feature (on by default).
    #[cfg(not(feature = "deploy"))]
    #[command(external_subcommand)]
    Other(Vec<String>),
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
    let cli = Cli::parse_from(args);
    let stdout = std::io::stdout();
    let result = run_ref(&app, cli, &mut std::io::BufWriter::new(stdout.lock()));
    // The process ends right after this: freeing a large construct tree node
    // by node would only cost time (the operating system reclaims it all).
    std::mem::forget(app);
    match result? {
        code if code == ExitCode::SUCCESS => Ok(()),
        code => {
            // Flush what the verb printed before leaving with its status.
            let _ = std::io::stdout().flush();
            std::process::exit(exit_status(code))
        }
    }
}

/// `ExitCode` is opaque; the verbs return success, failure, or 130 after Ctrl-C.
fn exit_status(code: ExitCode) -> i32 {
    if code == ExitCode::SUCCESS {
        0
    } else if code == ExitCode::from(130) {
        130
    } else {
        1
    }
}

/// Runs `cli` against `app` (for tests and custom front ends), returning the
/// exit status the verb asks for.
pub fn run_with(app: App, cli: Cli) -> Result<ExitCode, Error> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    run_ref(&app, cli, &mut out)
}

/// Like [`run_with`], writing what the verb prints for programs (templates,
/// the stack list) to `out` instead of stdout. Messages for people still go
/// to stderr.
pub fn run_to(app: App, cli: Cli, out: &mut dyn Write) -> Result<ExitCode, Error> {
    run_ref(&app, cli, out)
}

fn run_ref(app: &App, cli: Cli, out: &mut dyn Write) -> Result<ExitCode, Error> {
    match cli.command.unwrap_or(Command::Synth(SynthArgs {
        output: DEFAULT_OUTPUT.into(),
        ..SynthArgs::default()
    })) {
        Command::Synth(args) => synth(app, &args, out).map(|()| ExitCode::SUCCESS),
        Command::List { long } => list(app, long, out).map(|()| ExitCode::SUCCESS),
        #[cfg(feature = "deploy")]
        Command::Deploy(args) => {
            let stacks = deploy::stack_specs(&synth_to(app, Path::new(DEFAULT_OUTPUT))?);
            Ok(formwork_deploy::cli::run_deploy(stacks, &args))
        }
        #[cfg(feature = "deploy")]
        Command::Diff(args) => {
            let stacks = deploy::stack_specs(&synth_to(app, Path::new(DEFAULT_OUTPUT))?);
            Ok(formwork_deploy::cli::run_diff(stacks, &args))
        }
        #[cfg(feature = "deploy")]
        Command::Destroy(args) => {
            let stacks = deploy::stack_specs(&app.synth()?);
            Ok(formwork_deploy::cli::run_destroy(stacks, &args))
        }
        #[cfg(not(feature = "deploy"))]
        Command::Other(args) => Err(Error::invalid(
            args.first().cloned().unwrap_or_default(),
            None,
            "unknown command; deploy, diff and destroy need formwork's `deploy` feature (on by default)",
        )),
    }
}

fn stdout_error(source: std::io::Error) -> Error {
    Error::Io {
        action: "cannot write",
        path: "<stdout>".into(),
        source,
    }
}

/// Synthesizes `app` and writes the assembly to `dir`, reporting on stderr.
///
/// Returns the whole [`Assembly`] (for deploying it, say). The `synth` verb
/// uses [`App::write_assembly`] instead, which writes the same files without
/// holding every template in memory.
pub fn synth_to(app: &App, dir: &Path) -> Result<Assembly, Error> {
    let started = Instant::now();
    let assembly = app.synth()?;
    assembly.write(dir)?;
    let elapsed = started.elapsed();
    let written: Vec<WrittenStack> = assembly
        .stacks
        .iter()
        .map(|stack| WrittenStack {
            name: stack.name.clone(),
            template_path: dir.join(stack.template_file()),
            resources: stack.template.resources.len(),
            outputs: stack.template.outputs.len(),
        })
        .collect();
    report(&written, dir, elapsed);
    Ok(assembly)
}

/// The summary on stderr, written at once (stderr is unbuffered).
fn report(written: &[WrittenStack], dir: &Path, elapsed: Duration) {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(100 * (written.len() + 1));
    for stack in written {
        let _ = writeln!(
            text,
            "Synthesized {} ({} resources, {} outputs) -> {}",
            stack.name,
            stack.resources,
            stack.outputs,
            stack.template_path.display()
        );
    }
    let _ = writeln!(
        text,
        "Cloud assembly written to {} in {:.1} ms",
        dir.display(),
        elapsed.as_secs_f64() * 1e3
    );
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn synth(app: &App, args: &SynthArgs, out: &mut dyn Write) -> Result<(), Error> {
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
    // With one stack in the app, its template is printed without naming it.
    let print_all = args.stacks.is_empty() && app.stacks().len() == 1;
    let mut printed: Vec<(String, Vec<u8>)> = Vec::new();
    let started = Instant::now();
    let written = app.write_assembly(&args.output, |stack, json| {
        if !args.quiet && (print_all || args.stacks.contains(&stack.name)) {
            printed.push((stack.name.clone(), json.to_vec()));
        }
        Ok(())
    })?;
    report(&written, &args.output, started.elapsed());
    if args.quiet {
        return Ok(());
    }
    if printed.is_empty() {
        eprintln!("The app has several stacks: name one (synth STACK) to print its template.");
    }
    // In the order of the assembly, as written.
    printed.sort_by_key(|(name, _)| written.iter().position(|w| &w.name == name));
    for (_, json) in &printed {
        out.write_all(json).map_err(stdout_error)?;
        out.write_all(b"\n").map_err(stdout_error)?;
    }
    out.flush().map_err(stdout_error)
}

fn list(app: &App, long: bool, out: &mut dyn Write) -> Result<(), Error> {
    let assembly = app.synth()?;
    for stack in &assembly.stacks {
        if long {
            let deps = if stack.dependencies.is_empty() {
                "-".to_owned()
            } else {
                stack.dependencies.join(",")
            };
            writeln!(
                out,
                "{}\t{} resources\tdepends on: {deps}",
                stack.name,
                stack.template.resources.len()
            )
            .map_err(stdout_error)?;
        } else {
            writeln!(out, "{}", stack.name).map_err(stdout_error)?;
        }
    }
    out.flush().map_err(stdout_error)
}
