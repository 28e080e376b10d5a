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
use formwork_core::{App, Assembly, Error, Level};

#[cfg(feature = "check")]
mod check;
#[cfg(feature = "check")]
pub use check::{check_files, CHECK_BAD_INPUT, CHECK_FOUND_ERRORS, CHECK_PASSED};
#[cfg(feature = "deploy")]
mod deploy;
#[cfg(feature = "deploy")]
pub use deploy::stack_specs;

/// Where the cloud assembly goes unless `--output` (or `CDK_OUTDIR`) says otherwise.
pub const DEFAULT_OUTPUT: &str = "cdk.out";

/// The environment variable through which the CDK CLI names the assembly
/// directory when it runs an app (`cdk synth --output DIR`). When it is set,
/// the app writes there and prints no template: the CDK CLI reads the files.
pub const OUTDIR_ENV: &str = "CDK_OUTDIR";

/// The assembly directory: `CDK_OUTDIR` when the CDK CLI set it, else `cdk.out`.
fn default_output() -> PathBuf {
    std::env::var_os(OUTDIR_ENV).map_or_else(|| DEFAULT_OUTPUT.into(), PathBuf::from)
}

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
    /// Context values, `key=value` (repeatable); read by `App::new` and
    /// available as `app.context("key")`.
    #[arg(short = 'c', long = "context", global = true, value_name = "KEY=VALUE")]
    pub context: Vec<String>,
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
    /// The cloud assembly directory (default: `CDK_OUTDIR`, else `cdk.out`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not print templates to stdout.
    #[arg(short, long)]
    pub quiet: bool,
    /// Fail on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
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
    // Every synthesis for use is checked (docs/ARCHITECTURE.md, "Rule packs").
    app.enable_rule_packs();
    match cli.command.unwrap_or(Command::Synth(SynthArgs {
        // Run by the CDK CLI, which reads the files: print no template.
        quiet: std::env::var_os(OUTDIR_ENV).is_some(),
        ..SynthArgs::default()
    })) {
        Command::Synth(args) => synth(app, &args, out).map(|()| ExitCode::SUCCESS),
        Command::List { long } => list(app, long, out).map(|()| ExitCode::SUCCESS),
        #[cfg(feature = "deploy")]
        Command::Deploy(args) => {
            let stacks = synth_for_deploy(app)?;
            Ok(formwork_deploy::cli::run_deploy(stacks, &args))
        }
        #[cfg(feature = "deploy")]
        Command::Diff(args) => {
            let stacks = synth_for_deploy(app)?;
            Ok(formwork_deploy::cli::run_diff(stacks, &args))
        }
        #[cfg(feature = "deploy")]
        Command::Destroy(args) => {
            let stacks = synth_for_deploy(app)?;
            Ok(formwork_deploy::cli::run_destroy(stacks, &args))
        }
        #[cfg(not(feature = "deploy"))]
        Command::Other(args) => forward(app, &args),
    }
}

/// Synthesizes `app` into its assembly directory and reads the stacks to
/// deploy back from it: what is deployed is exactly what was written, by
/// the same reader the `formwork` command uses for any assembly.
#[cfg(feature = "deploy")]
fn synth_for_deploy(app: &App) -> Result<Vec<formwork_deploy::StackSpec>, Error> {
    let dir = default_output();
    synth_to(app, &dir)?;
    deploy::stack_specs(&dir)
}

/// The name of the command that deploys assemblies (`cargo install formwork-cli`).
pub const DEPLOY_TOOL: &str = "formwork";

/// Without the `deploy` feature, `deploy`, `diff` and `destroy` synthesize
/// the assembly and hand it to the `formwork` command, so that the app
/// compiles no AWS SDK and deploying stays one command.
#[cfg(not(feature = "deploy"))]
fn forward(app: &App, args: &[String]) -> Result<ExitCode, Error> {
    let verb = args.first().map(String::as_str).unwrap_or_default();
    if !matches!(verb, "deploy" | "diff" | "destroy") {
        return Err(Error::invalid(
            verb,
            None,
            "unknown command; the verbs are synth, list, deploy, diff and destroy",
        ));
    }
    let dir = default_output();
    synth_to(app, &dir)?;
    let tool = std::env::var_os("FORMWORK_DEPLOY_TOOL").unwrap_or_else(|| DEPLOY_TOOL.into());
    let status = std::process::Command::new(&tool)
        .arg(verb)
        .arg("--app")
        .arg(&dir)
        .args(&args[1..])
        .status();
    match status {
        Ok(status) if status.success() => Ok(ExitCode::SUCCESS),
        Ok(status) => Ok(ExitCode::from(
            status.code().map_or(1, |c| u8::try_from(c).unwrap_or(1)),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::invalid(
            verb,
            None,
            format!(
                "{verb} needs the `{DEPLOY_TOOL}` command, which deploys the cloud assembly written to {}: install it with `cargo install formwork-cli`, or build this app with formwork's `deploy` feature",
                dir.display()
            ),
        )),
        Err(source) => Err(Error::io("cannot run", tool)(source)),
    }
}

fn stdout_error(source: std::io::Error) -> Error {
    Error::io("cannot write", "<stdout>")(source)
}

/// Synthesizes `app` and writes the assembly to `dir`, reporting on
/// stderr (the stacks written, and the warnings once, with a summary).
///
/// Returns the whole [`Assembly`] (for deploying it, say).
pub fn synth_to(app: &App, dir: &Path) -> Result<Assembly, Error> {
    app.enable_rule_packs();
    let started = Instant::now();
    let assembly = app.synth()?;
    let written = assembly.write(dir)?;
    report(&assembly, &written, dir, started.elapsed());
    Ok(assembly)
}

/// The summary on stderr, written at once (stderr is unbuffered).
fn report(assembly: &Assembly, written: &[PathBuf], dir: &Path, elapsed: Duration) {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(100 * (written.len() + 1));
    for message in assembly.messages() {
        let _ = writeln!(text, "{message}");
    }
    for (stack, path) in assembly.stacks.iter().zip(written) {
        let _ = writeln!(
            text,
            "Synthesized {} ({} resources, {} outputs) -> {}",
            stack.name,
            stack.template.resources.len(),
            stack.template.outputs.len(),
            path.display()
        );
    }
    let warnings = assembly.warnings().count();
    if warnings > 0 {
        let _ = writeln!(
            text,
            "{warnings} warning{} (acknowledge one with Annotations::of(scope).acknowledge_warning(id, reason))",
            if warnings == 1 { "" } else { "s" }
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
    let names: Vec<String> = app.stacks().iter().map(|s| s.name()).collect();
    for name in &args.stacks {
        if !names.contains(name) {
            return Err(Error::invalid(
                name.clone(),
                None,
                format!("no such stack; the app has {}", names.join(", ")),
            ));
        }
    }
    let dir = args.output.clone().unwrap_or_else(default_output);
    let assembly = synth_to(app, &dir)?;
    if args.strict {
        let warnings: Vec<formwork_core::Violation> = assembly
            .messages()
            .iter()
            .filter(|m| m.level == Level::Warning)
            .map(|m| formwork_core::Violation::new(m.path.clone(), None, m.assembly_text()))
            .collect();
        if !warnings.is_empty() {
            return Err(Error::Invalid(warnings));
        }
    }
    if args.quiet {
        return Ok(());
    }
    // With one stack in the app, its template is printed without naming it.
    let print_all = args.stacks.is_empty() && assembly.stacks.len() == 1;
    let mut printed = false;
    for stack in &assembly.stacks {
        if print_all || args.stacks.contains(&stack.name) {
            out.write_all(stack.template_json().as_bytes())
                .and_then(|()| out.write_all(b"\n"))
                .map_err(stdout_error)?;
            printed = true;
        }
    }
    if !printed {
        eprintln!("The app has several stacks: name one (synth STACK) to print its template.");
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
