//! The command-line front end: clap argument structs for `deploy`, `diff`
//! and `destroy`, and `run_*` entry points that the formwork CLI calls.
//!
//! This is a thin renderer over the library API: it selects stacks, turns
//! flags into options, draws [`DeployEvent`]s (an indicatif progress bar on a
//! terminal, plain lines otherwise), and maps results to exit codes. People
//! read stderr; stack outputs (`Stack.Key = value`) go to stdout.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::parameters::apply_parameter_args;
use crate::{
    deploy_stacks, destroy_stacks, humane, select_stacks, ApprovalRequest, ClientTuning, Clients,
    ConnectOptions, DeployError, DeployEvent, DeployOptions, DeployOutcome, DeployOutput,
    DestroyOptions, Finished, Operation, ParameterArg, RequireApproval, StackSpec,
};

/// Arguments of `deploy`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DeployArgs {
    /// Stacks to deploy (their dependencies are deployed first).
    pub stacks: Vec<String>,
    /// Deploy every stack of the app.
    #[arg(long)]
    pub all: bool,
    /// The AWS profile to use (default: AWS_PROFILE or `default`).
    #[arg(long)]
    pub profile: Option<String>,
    /// The AWS region (default: AWS_REGION or the profile's region).
    #[arg(long)]
    pub region: Option<String>,
    /// Which changes need approval before executing.
    #[arg(long, value_enum, default_value_t = RequireApproval::Broadening)]
    pub require_approval: RequireApproval,
    /// Same as `--require-approval never`.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Create the change set and stop without executing it.
    #[arg(long)]
    pub no_execute: bool,
    /// Deploy even when the deployed template, tags and parameters are unchanged.
    #[arg(long)]
    pub force: bool,
    /// Refuse, instead of waiting, when a stack has an operation in progress.
    #[arg(long)]
    pub no_wait: bool,
    /// Give up after this long for the whole run, e.g. `30m`, `90s`, `1h`
    /// (nothing is cancelled in CloudFormation).
    #[arg(long, value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// A stack parameter, `Key=Value` for every selected stack that declares
    /// `Key`, or `Stack:Key=Value` for one stack (repeatable).
    #[arg(long = "parameters", value_name = "[STACK:]KEY=VALUE")]
    pub parameters: Vec<ParameterArg>,
    /// How often a throttled or failed AWS call is retried (adaptive backoff
    /// of up to 20 s); default 20, about three minutes of throttling.
    #[arg(long, env = "FORMWORK_MAX_RETRIES")]
    pub max_retries: Option<u32>,
    /// Write the outputs as JSON `{stack: {key: value}}` to this file.
    #[arg(long)]
    pub outputs_file: Option<PathBuf>,
    /// S3 bucket to upload templates over 51,200 bytes to.
    #[arg(long)]
    pub template_bucket: Option<String>,
    /// How many independent stacks to deploy at once.
    #[arg(long, default_value_t = 1)]
    pub concurrency: usize,
    /// How long to wait for the CloudFront invalidation of a bucket
    /// deployment, e.g. `10m` (the default).
    #[arg(long, value_parser = parse_duration)]
    pub invalidation_timeout: Option<Duration>,
}

/// Arguments of `diff`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DiffArgs {
    /// Stacks to compare.
    pub stacks: Vec<String>,
    /// Compare every stack of the app.
    #[arg(long)]
    pub all: bool,
    /// The AWS profile to use.
    #[arg(long)]
    pub profile: Option<String>,
    /// The AWS region.
    #[arg(long)]
    pub region: Option<String>,
    /// Exit with status 1 when there are differences.
    #[arg(long)]
    pub fail: bool,
    /// Stack parameters, checked against the templates, as for `deploy`.
    #[arg(long = "parameters", value_name = "[STACK:]KEY=VALUE")]
    pub parameters: Vec<ParameterArg>,
    /// Give up after this long, e.g. `90s`.
    #[arg(long, value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// How often a throttled or failed AWS call is retried (default 20).
    #[arg(long, env = "FORMWORK_MAX_RETRIES")]
    pub max_retries: Option<u32>,
}

/// Arguments of `destroy`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DestroyArgs {
    /// Stacks to destroy (stacks depending on them within the selection go first).
    pub stacks: Vec<String>,
    /// Destroy every stack of the app.
    #[arg(long)]
    pub all: bool,
    /// The AWS profile to use.
    #[arg(long)]
    pub profile: Option<String>,
    /// The AWS region.
    #[arg(long)]
    pub region: Option<String>,
    /// Do not ask for confirmation (required when not on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Refuse, instead of waiting, when a stack has an operation in progress.
    #[arg(long)]
    pub no_wait: bool,
    /// Give up after this long for the whole run (nothing is cancelled).
    #[arg(long, value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// How often a throttled or failed AWS call is retried (default 20).
    #[arg(long, env = "FORMWORK_MAX_RETRIES")]
    pub max_retries: Option<u32>,
    /// How many independent stacks to destroy at once.
    #[arg(long, default_value_t = 1)]
    pub concurrency: usize,
}

/// Parses `90`, `90s`, `15m`, `2h` into a duration.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid duration {s:?}: use e.g. 90s, 15m or 2h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("invalid duration unit in {s:?}: use s, m or h")),
    };
    Ok(Duration::from_secs(secs))
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("❌ {message}");
    ExitCode::FAILURE
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn ask(question: &str) -> bool {
    eprint!("{question} (y/n) ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim(), "y" | "Y" | "yes" | "Yes")
}

/// Deploys the selected stacks; the exit code is non-zero on failure or Ctrl-C.
pub fn run_deploy(stacks: Vec<StackSpec>, args: &DeployArgs) -> ExitCode {
    let mut selected = match select_stacks(stacks, &args.stacks, args.all, true) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    if let Err(e) = apply_parameter_args(&mut selected, &args.parameters) {
        return fail(e);
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(e),
    };
    let code = rt.block_on(async {
        let clients = match connect(&args.profile, &args.region, args.max_retries).await {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
        let approver: Option<crate::Approver> = interactive().then(|| {
            Arc::new(|req: &ApprovalRequest| {
                // The approver prints the changes itself so that the table
                // and the question cannot interleave (the renderer skips them).
                eprintln!(
                    "{}",
                    format_changes(&req.stack, &req.changes, &req.iam_changes)
                );
                ask(&format!(
                    "Do you wish to deploy these changes to {}?",
                    req.stack
                ))
            }) as crate::Approver
        });
        let options = DeployOptions {
            require_approval: if args.yes {
                RequireApproval::Never
            } else {
                args.require_approval
            },
            approver,
            no_execute: args.no_execute,
            force: args.force,
            no_wait: args.no_wait,
            timeout: args.timeout,
            template_bucket: args.template_bucket.clone(),
            invalidation_timeout: args.invalidation_timeout,
        };
        let op = deploy_stacks(clients, selected, options, args.concurrency);
        let result = match drive(op, shutdown_signal()).await {
            Ok(r) => r,
            Err(signal) => return signal.exit_code(),
        };
        match result {
            Ok(outputs) => {
                print_outputs(&outputs);
                if let Some(path) = &args.outputs_file {
                    if let Err(e) = write_outputs_file(path, &outputs) {
                        return fail(format!("could not write {}: {e}", path.display()));
                    }
                }
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        }
    });
    // Do not wait for an approval prompt left blocked by Ctrl-C.
    rt.shutdown_background();
    code
}

/// Destroys the selected stacks after confirmation; non-zero on failure.
pub fn run_destroy(stacks: Vec<StackSpec>, args: &DestroyArgs) -> ExitCode {
    let selected = match select_stacks(stacks, &args.stacks, args.all, false) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let names: Vec<String> = selected.iter().map(|s| s.stack_name.clone()).collect();
    if !args.yes {
        if !interactive() {
            return fail(format!(
                "refusing to destroy {} without confirmation: not on a terminal; pass --yes",
                names.join(", ")
            ));
        }
        if !ask(&format!(
            "Are you sure you want to delete: {}?",
            names.join(", ")
        )) {
            return fail("destroy declined; nothing was deleted");
        }
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(e),
    };
    let code = rt.block_on(async {
        let clients = match connect(&args.profile, &args.region, args.max_retries).await {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
        let options = DestroyOptions {
            no_wait: args.no_wait,
            timeout: args.timeout,
        };
        let op = destroy_stacks(clients, selected, options, args.concurrency);
        match drive(op, shutdown_signal()).await {
            Err(signal) => signal.exit_code(),
            Ok(Ok(done)) => {
                for d in done {
                    if d.existed {
                        eprintln!("✅ {}: destroyed in {}", d.stack_name, humane(d.elapsed));
                    } else {
                        eprintln!("✅ {}: does not exist; nothing to destroy", d.stack_name);
                    }
                }
                ExitCode::SUCCESS
            }
            Ok(Err(e)) => fail(e),
        }
    });
    rt.shutdown_background();
    code
}

/// Prints the structural diff of the selected stacks; with `--fail`, exits 1
/// when there are differences.
pub fn run_diff(stacks: Vec<StackSpec>, args: &DiffArgs) -> ExitCode {
    let mut selected = match select_stacks(stacks, &args.stacks, args.all, false) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    if let Err(e) = apply_parameter_args(&mut selected, &args.parameters) {
        return fail(e);
    }
    for spec in &selected {
        let checked = crate::template::parse_template(spec)
            .and_then(|t| crate::parameters::check_values(spec, &t));
        if let Err(e) = checked {
            return fail(e);
        }
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(e),
    };
    let code = rt.block_on(async {
        let clients = match connect(&args.profile, &args.region, args.max_retries).await {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
        let work = async {
            let (per_stack, mut errors) =
                crate::multi::environment_clients(&clients, &selected).await;
            if !errors.is_empty() {
                return Err(errors.remove(0).at_endpoint(&clients.endpoint));
            }
            let mut differences = 0;
            for spec in &selected {
                let clients = per_stack.get(&spec.stack_name).unwrap_or(&clients);
                let d = crate::destroy::diff_inner(clients, spec)
                    .await
                    .map_err(|e| e.at_endpoint(&clients.endpoint))?;
                let note = if d.exists {
                    ""
                } else {
                    " (not deployed: everything is added)"
                };
                println!("Stack {}{note}", d.stack_name);
                print!("{}", d.diff.render());
                differences += usize::from(!d.diff.is_empty());
            }
            Ok::<usize, DeployError>(differences)
        };
        let bounded = async {
            match args.timeout {
                None => work.await.map_err(|e| e.to_string()),
                Some(t) => match tokio::time::timeout(t, work).await {
                    Ok(r) => r.map_err(|e| e.to_string()),
                    Err(_) => Err(format!(
                        "diff timed out after {}; nothing was changed",
                        humane(t)
                    )),
                },
            }
        };
        let signal = shutdown_signal();
        tokio::select! {
            result = bounded => match result {
                Ok(differences) => {
                    eprintln!("✨ Number of stacks with differences: {differences}");
                    if args.fail && differences > 0 {
                        ExitCode::FAILURE
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => fail(e),
            },
            signal = signal => {
                eprintln!("\n⚠️  Interrupted by {}: diff stopped; nothing was changed.", signal.name());
                signal.exit_code()
            }
        }
    });
    rt.shutdown_background();
    code
}

async fn connect(
    profile: &Option<String>,
    region: &Option<String>,
    max_retries: Option<u32>,
) -> Result<Clients, DeployError> {
    Clients::connect(&ConnectOptions {
        profile: profile.clone(),
        region: region.clone(),
        tuning: max_retries.map_or_else(ClientTuning::default, ClientTuning::with_max_retries),
    })
    .await
}

/// A signal that stops a run: the CLI stops waiting at once, says what each
/// stack was doing, and exits with 128 + the signal number, as shells do:
/// 130 for SIGINT (Ctrl-C), 143 for SIGTERM. Nothing is cancelled in
/// CloudFormation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopSignal {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM.
    Terminate,
}

impl StopSignal {
    /// The signal's name, e.g. `SIGTERM`.
    pub fn name(self) -> &'static str {
        match self {
            StopSignal::Interrupt => "SIGINT (Ctrl-C)",
            StopSignal::Terminate => "SIGTERM",
        }
    }

    /// 128 + the signal number.
    pub fn exit_code(self) -> ExitCode {
        match self {
            StopSignal::Interrupt => ExitCode::from(130),
            StopSignal::Terminate => ExitCode::from(143),
        }
    }
}

/// Completes on the first SIGINT or SIGTERM. The handlers are installed
/// when this is first polled; where SIGTERM cannot be watched, only SIGINT
/// is.
pub async fn shutdown_signal() -> StopSignal {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => StopSignal::Interrupt,
                _ = term.recv() => StopSignal::Terminate,
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    StopSignal::Interrupt
}

/// Renders the events of an operation until it ends or `stop` completes.
/// On a stop signal, prints at once (no AWS call) what each stack was doing
/// and returns the signal.
pub async fn drive<T: Send + 'static>(
    op: Operation<T>,
    stop: impl std::future::Future<Output = StopSignal>,
) -> Result<Result<T, DeployError>, StopSignal> {
    let mut renderer = Renderer::new(std::io::stderr().is_terminal());
    let signal = Arc::new(std::sync::Mutex::new(None));
    let caught = signal.clone();
    let stop = async move {
        let s = stop.await;
        if let Ok(mut slot) = caught.lock() {
            *slot = Some(s);
        }
    };
    let finished = op.run_until(stop, |event| renderer.render(event)).await;
    renderer.finish();
    match finished {
        Finished::Done(result) => Ok(result),
        Finished::Interrupted { doing } => {
            let s = signal
                .lock()
                .ok()
                .and_then(|s| *s)
                .unwrap_or(StopSignal::Interrupt);
            eprintln!("{}", interrupted_message(s, &doing));
            Err(s)
        }
    }
}

/// What is printed on a stop signal: the signal, and per stack what it was
/// doing (a change set created but not executed, or an operation that
/// CloudFormation continues).
pub fn interrupted_message(signal: StopSignal, doing: &[(String, String)]) -> String {
    let mut out = format!(
        "\n⚠️  Interrupted by {}: stopped waiting. Nothing was cancelled; CloudFormation continues any operation in progress.",
        signal.name()
    );
    if doing.is_empty() {
        out.push_str("\n   No stack had been started.");
    }
    for (stack, what) in doing {
        let _ = write!(out, "\n   {stack}: {what}");
    }
    out
}

fn print_outputs(outputs: &[DeployOutput]) {
    for o in outputs {
        match o.outcome {
            DeployOutcome::Skipped => eprintln!("✅ {} (no changes, skipped)", o.stack_name),
            DeployOutcome::NoChanges => eprintln!("✅ {} (no changes)", o.stack_name),
            DeployOutcome::ChangeSetCreated => eprintln!(
                "✅ {}: change set created, not executed: {}",
                o.stack_name,
                o.change_set_id.as_deref().unwrap_or_default()
            ),
            DeployOutcome::Deployed => eprintln!("✅ {} ({})", o.stack_name, o.status),
        }
        eprintln!("✨ Deployment time: {}", humane(o.elapsed));
        if !o.outputs.is_empty() {
            println!("Outputs:");
        }
        for (k, v) in &o.outputs {
            println!("{}.{} = {}", o.stack_name, k, v);
        }
        println!("Stack ARN:\n{}", o.stack_id);
    }
}

/// Writes `{stack: {key: value}}`.
fn write_outputs_file(path: &std::path::Path, outputs: &[DeployOutput]) -> std::io::Result<()> {
    let map: BTreeMap<&str, &BTreeMap<String, String>> = outputs
        .iter()
        .map(|o| (o.stack_name.as_str(), &o.outputs))
        .collect();
    let json = serde_json::to_string_pretty(&map).map_err(std::io::Error::other)?;
    std::fs::write(path, json + "\n")
}

/// Formats one event as plain text (one or more lines).
pub fn format_event(event: &DeployEvent) -> String {
    match event {
        DeployEvent::StackState { stack, status: None } => {
            format!("{stack}: does not exist yet; it will be created")
        }
        DeployEvent::StackState { stack, status: Some(s) } if s == "REVIEW_IN_PROGRESS" => format!(
            "{stack}: REVIEW_IN_PROGRESS (created for a change set that was never executed; no resources): a new CREATE change set is made on it"
        ),
        DeployEvent::StackState { stack, status: Some(s) } => format!("{stack}: current status {s}"),
        DeployEvent::StackMissing { stack } => format!("{stack}: does not exist; nothing to destroy"),
        DeployEvent::CreatingChangeSet { stack, kind } => format!(
            "{stack}: creating a change set ({})",
            match kind {
                crate::ChangeSetKind::Create => "CREATE",
                crate::ChangeSetKind::Update => "UPDATE",
            }
        ),
        DeployEvent::ChangeSetDeleted { stack, change_set_id } => {
            format!("{stack}: change set {change_set_id} deleted, not executed")
        }
        DeployEvent::Deleting { stack, total } => format!("{stack}: deleting ({total} resources)"),
        DeployEvent::WaitingForStack { stack, status } => {
            format!("{stack}: waiting for the operation in progress to end ({status})")
        }
        DeployEvent::Recreating { stack, status } => format!(
            "{stack}: the stack is in {status} (an earlier creation failed and was rolled back; it holds no resources); deleting it and creating it again"
        ),
        DeployEvent::Skipped { stack } => format!(
            "{stack}: skipping deployment: the deployed template, tags, parameters and termination protection are unchanged (use --force to deploy anyway)"
        ),
        DeployEvent::TemplateUploaded { stack, url } => format!("{stack}: template uploaded to {url}"),
        DeployEvent::ChangeSetCreated {
            stack,
            kind,
            capabilities,
            ..
        } => format!(
            "{stack}: change set created ({}){}",
            match kind {
                crate::ChangeSetKind::Create => "CREATE",
                crate::ChangeSetKind::Update => "UPDATE",
            },
            if capabilities.is_empty() {
                String::new()
            } else {
                format!(" with {}", capabilities.join(", "))
            }
        ),
        DeployEvent::NoChanges { stack } => {
            format!("{stack}: the change set contains no changes; it was deleted")
        }
        DeployEvent::ChangesListed {
            stack,
            changes,
            iam_changes,
            ..
        } => format_changes(stack, changes, iam_changes),
        DeployEvent::Approved { stack } => format!("{stack}: changes approved"),
        DeployEvent::NotExecuted { stack, change_set_id } => {
            format!("{stack}: --no-execute: change set {change_set_id} created and not executed")
        }
        DeployEvent::Executing { stack, total } => format!("{stack}: executing ({total} resources)"),
        DeployEvent::Resource { stack, event, progress } => format!(
            "{stack} | {:>3}/{:<3} | {} | {:<20} | {:<26} | {}{}",
            progress.done,
            progress.total,
            event.timestamp.get(11..19).unwrap_or(&event.timestamp),
            event.status,
            event.resource_type,
            match &event.construct_path {
                Some(p) => format!("{p} ({})", event.logical_id),
                None => event.logical_id.clone(),
            },
            event.reason.as_deref().map(|r| format!(" {r}")).unwrap_or_default(),
        ),
        DeployEvent::StackDone {
            stack,
            status,
            elapsed,
            ..
        } => format!("{stack}: {status} after {}", humane(*elapsed)),
        DeployEvent::StackFailed { stack, message } => format!("{stack}: failed: {message}"),
        DeployEvent::BucketDeploymentStarted { stack, deployment, bucket, prefix, files } => format!(
            "{stack}: {deployment}: comparing {files} files with s3://{bucket}/{prefix}"
        ),
        DeployEvent::BucketDeploymentPlanned { stack, deployment, uploads, deletes, unchanged } => format!(
            "{stack}: {deployment}: {uploads} to upload, {deletes} to delete, {unchanged} unchanged"
        ),
        DeployEvent::ObjectUploaded { stack, deployment, key, bytes, change } => format!(
            "{stack}: {deployment}: uploaded {key} ({bytes} bytes, {})",
            match change {
                crate::ObjectChange::New => "new",
                crate::ObjectChange::Changed => "changed",
            }
        ),
        DeployEvent::ObjectDeleted { stack, deployment, key } => {
            format!("{stack}: {deployment}: deleted {key}")
        }
        DeployEvent::InvalidationCreated { stack, deployment, distribution_id, invalidation_id, paths } => format!(
            "{stack}: {deployment}: invalidating {} on distribution {distribution_id} ({invalidation_id})",
            paths.join(" ")
        ),
        DeployEvent::InvalidationCompleted { stack, deployment, invalidation_id, elapsed } => format!(
            "{stack}: {deployment}: invalidation {invalidation_id} completed after {}",
            humane(*elapsed)
        ),
        DeployEvent::BucketDeploymentDone { stack, deployment, uploaded, deleted, unchanged, .. } => format!(
            "{stack}: {deployment}: synced ({uploaded} uploaded, {deleted} deleted, {unchanged} unchanged)"
        ),
    }
}

fn format_changes(
    stack: &str,
    changes: &[crate::ResourceChange],
    iam: &[crate::diff::IamChange],
) -> String {
    let mut out = format!("{stack}: change set ({} changes)\n", changes.len());
    let w_id = changes
        .iter()
        .map(|c| c.logical_id.len())
        .max()
        .unwrap_or(0)
        .max(10);
    let w_ty = changes
        .iter()
        .map(|c| c.resource_type.len())
        .max()
        .unwrap_or(0)
        .max(4);
    let _ = writeln!(
        out,
        "  {:<8} {:<w_id$} {:<w_ty$} {:<11} Construct path",
        "Action", "Logical ID", "Type", "Replacement"
    );
    for c in changes {
        let _ = writeln!(
            out,
            "  {:<8} {:<w_id$} {:<w_ty$} {:<11} {}",
            c.action,
            c.logical_id,
            c.resource_type,
            c.replacement.as_deref().unwrap_or("-"),
            c.construct_path.as_deref().unwrap_or("")
        );
    }
    if !iam.is_empty() {
        let _ = writeln!(out, "  IAM changes (review before approving):");
        for c in iam {
            let _ = writeln!(
                out,
                "    ! {} {}: {}",
                c.resource_type, c.logical_id, c.description
            );
        }
    }
    out.pop();
    out
}

/// Draws events: a progress bar per executing stack on a terminal, plain lines otherwise.
struct Renderer {
    tty: bool,
    interactive: bool,
    bars: HashMap<String, ProgressBar>,
}

impl Renderer {
    fn new(tty: bool) -> Self {
        Renderer {
            tty,
            interactive: interactive(),
            bars: HashMap::new(),
        }
    }

    fn println(&self, stack: &str, line: &str) {
        match self.bars.get(stack) {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn render(&mut self, event: &DeployEvent) {
        if let DeployEvent::ChangesListed {
            approval_required: true,
            ..
        } = event
        {
            if self.interactive {
                return; // the approver shows them, right before asking
            }
        }
        // A failed stack is reported once, with the final error.
        if !matches!(event, DeployEvent::StackFailed { .. }) {
            self.println(event.stack(), &format_event(event));
        }
        if !self.tty {
            return;
        }
        match event {
            DeployEvent::Executing { stack, total } | DeployEvent::Deleting { stack, total } => {
                if let Some(old) = self.bars.remove(stack) {
                    old.finish_and_clear(); // the deletion before a re-creation
                }
                let bar = ProgressBar::with_draw_target(
                    Some(*total as u64),
                    ProgressDrawTarget::stderr(),
                );
                bar.set_style(
                    ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {elapsed} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                bar.set_prefix(stack.clone());
                self.bars.insert(stack.clone(), bar);
            }
            DeployEvent::Resource {
                stack,
                progress,
                event,
            } => {
                if let Some(bar) = self.bars.get(stack) {
                    bar.set_length(progress.total as u64);
                    bar.set_position(progress.done as u64);
                    bar.set_message(format!("{} {}", event.logical_id, event.status));
                }
            }
            DeployEvent::BucketDeploymentPlanned {
                stack,
                deployment,
                uploads,
                deletes,
                ..
            } => {
                if let Some(old) = self.bars.remove(stack) {
                    old.finish_and_clear();
                }
                let bar = ProgressBar::with_draw_target(
                    Some((uploads + deletes) as u64),
                    ProgressDrawTarget::stderr(),
                );
                bar.set_style(
                    ProgressStyle::with_template(
                        "{prefix} [{bar:30}] {pos}/{len} files {elapsed} {msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar.set_prefix(format!("{stack} {deployment}"));
                self.bars.insert(stack.clone(), bar);
            }
            DeployEvent::ObjectUploaded { stack, key, .. }
            | DeployEvent::ObjectDeleted { stack, key, .. } => {
                if let Some(bar) = self.bars.get(stack) {
                    bar.inc(1);
                    bar.set_message(key.clone());
                }
            }
            DeployEvent::StackDone { stack, .. }
            | DeployEvent::StackFailed { stack, .. }
            | DeployEvent::BucketDeploymentDone { stack, .. } => {
                if let Some(bar) = self.bars.remove(stack) {
                    bar.finish_and_clear();
                }
            }
            _ => {}
        }
    }

    fn finish(&mut self) {
        for (_, bar) in self.bars.drain() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Progress, ResourceEvent};
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(subcommand)]
        cmd: Cmd,
    }
    #[derive(clap::Subcommand)]
    enum Cmd {
        Deploy(DeployArgs),
        Diff(DiffArgs),
        Destroy(DestroyArgs),
    }

    #[test]
    fn parses_flags() {
        let t = T::try_parse_from([
            "x",
            "deploy",
            "A",
            "B",
            "--require-approval",
            "any-change",
            "--timeout",
            "15m",
            "--concurrency",
            "3",
            "--template-bucket",
            "b",
            "--outputs-file",
            "o.json",
            "--no-execute",
            "--force",
            "--no-wait",
            "--profile",
            "p",
            "--region",
            "eu-west-1",
        ])
        .unwrap();
        let Cmd::Deploy(d) = t.cmd else { panic!() };
        assert_eq!(d.stacks, ["A", "B"]);
        assert_eq!(d.require_approval, RequireApproval::AnyChange);
        assert_eq!(d.timeout, Some(Duration::from_secs(900)));
        assert_eq!(d.concurrency, 3);
        assert!(d.no_execute && d.force && d.no_wait && !d.yes);
        let t = T::try_parse_from(["x", "deploy", "--all", "--yes"]).unwrap();
        let Cmd::Deploy(d) = t.cmd else { panic!() };
        assert!(d.all && d.yes);
        assert_eq!(d.require_approval, RequireApproval::Broadening);
        let t = T::try_parse_from(["x", "diff", "--fail", "S"]).unwrap();
        assert!(matches!(t.cmd, Cmd::Diff(DiffArgs { fail: true, .. })));
        let t = T::try_parse_from(["x", "destroy", "--all", "-y"]).unwrap();
        assert!(matches!(
            t.cmd,
            Cmd::Destroy(DestroyArgs {
                yes: true,
                all: true,
                ..
            })
        ));
        assert!(T::try_parse_from(["x", "deploy", "--timeout", "5x"]).is_err());
        let t = T::try_parse_from([
            "x",
            "deploy",
            "--parameters",
            "Env=prod",
            "--parameters",
            "Api:Url=https://a?b=c",
            "--max-retries",
            "50",
        ])
        .unwrap();
        let Cmd::Deploy(d) = t.cmd else { panic!() };
        assert_eq!(d.parameters.len(), 2);
        assert_eq!(d.parameters[1].stack.as_deref(), Some("Api"));
        assert_eq!(d.parameters[1].value, "https://a?b=c");
        assert_eq!(d.max_retries, Some(50));
        assert!(T::try_parse_from(["x", "deploy", "--parameters", "NoEquals"]).is_err());
        let t =
            T::try_parse_from(["x", "diff", "--parameters", "K=v", "--timeout", "90s"]).unwrap();
        assert!(
            matches!(t.cmd, Cmd::Diff(DiffArgs { ref parameters, timeout: Some(_), .. }) if parameters.len() == 1)
        );
    }

    #[test]
    fn interruption_says_what_each_stack_was_doing() {
        let text = interrupted_message(
            StopSignal::Terminate,
            &[
                (
                    "A".into(),
                    "change set (CREATE) created, not executed".into(),
                ),
                (
                    "B".into(),
                    "executing the change set; CloudFormation continues it".into(),
                ),
            ],
        );
        assert_eq!(
            text,
            "\n⚠️  Interrupted by SIGTERM: stopped waiting. Nothing was cancelled; CloudFormation continues any operation in progress.\n   A: change set (CREATE) created, not executed\n   B: executing the change set; CloudFormation continues it"
        );
        assert_eq!(StopSignal::Interrupt.exit_code(), ExitCode::from(130));
        assert_eq!(StopSignal::Terminate.exit_code(), ExitCode::from(143));
    }

    #[test]
    fn destroy_of_a_missing_stack_does_not_say_creating() {
        let line = format_event(&DeployEvent::StackMissing { stack: "S".into() });
        assert_eq!(line, "S: does not exist; nothing to destroy");
        let line = format_event(&DeployEvent::StackState {
            stack: "S".into(),
            status: None,
        });
        assert_eq!(line, "S: does not exist yet; it will be created");
    }

    #[test]
    fn resource_line_has_time_status_type_path_id_and_reason() {
        let line = format_event(&DeployEvent::Resource {
            stack: "S".into(),
            progress: Progress { done: 1, total: 3 },
            event: ResourceEvent {
                event_id: "e".into(),
                timestamp: "2026-11-29T08:04:12.366Z".into(),
                logical_id: "RoleABC".into(),
                physical_id: None,
                resource_type: "AWS::IAM::Role".into(),
                status: "CREATE_FAILED".into(),
                reason: Some("Access denied".into()),
                construct_path: Some("/S/Role/Resource".into()),
            },
        });
        assert_eq!(
            line,
            "S |   1/3   | 08:04:12 | CREATE_FAILED        | AWS::IAM::Role             | /S/Role/Resource (RoleABC) Access denied"
        );
    }

    #[test]
    fn outputs_file_is_stack_key_value() {
        let dir = std::env::temp_dir().join(format!("fw-outputs-{}", std::process::id()));
        let o = DeployOutput {
            stack_name: "LexWebBotStack".into(),
            stack_id: "arn".into(),
            status: "CREATE_COMPLETE".into(),
            outcome: DeployOutcome::Deployed,
            outputs: BTreeMap::from([("IdentityPoolId".into(), "us-east-1:x".into())]),
            change_set_id: None,
            elapsed: Duration::ZERO,
            deployments: Vec::new(),
        };
        write_outputs_file(&dir, &[o]).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&dir).unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"LexWebBotStack": {"IdentityPoolId": "us-east-1:x"}})
        );
        let _ = std::fs::remove_file(dir);
    }
}
