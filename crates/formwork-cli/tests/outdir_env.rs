//! `CDK_OUTDIR`: where the CDK CLI asks an app to write its assembly.
//!
//! These tests set environment variables and change the current directory,
//! which are process-wide: they live in their own test binary, and each
//! takes `LOCK` for its whole run, so that no two of them overlap.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Mutex, MutexGuard};

use clap::Parser;
use formwork_cli::{run_to, Cli, OUTDIR_ENV};
use formwork_core::{App, CfnResource, Scope};

static LOCK: Mutex<()> = Mutex::new(());

/// Holds the lock; sets (or removes) `CDK_OUTDIR` until dropped.
struct Env {
    _guard: MutexGuard<'static, ()>,
}

impl Env {
    fn outdir(value: Option<&Path>) -> Env {
        let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        match value {
            Some(dir) => std::env::set_var(OUTDIR_ENV, dir),
            None => std::env::remove_var(OUTDIR_ENV),
        }
        Env { _guard: guard }
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        std::env::remove_var(OUTDIR_ENV);
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("formwork-cli-env-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn single() -> App {
    let app = App::new();
    // About what is rendered: the command line runs the rule packs, which
    // would report these placeholders.
    app.set_context(formwork_core::RULE_PACKS_CONTEXT, "none");
    app.stack("Only")
        .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
        .unwrap();
    app
}

fn run(args: &[&str]) -> (Result<ExitCode, formwork_core::Error>, String) {
    let cli = Cli::try_parse_from(std::iter::once("app").chain(args.iter().copied())).unwrap();
    let mut out = Vec::new();
    let result = run_to(single(), cli, &mut out);
    (result, String::from_utf8(out).unwrap())
}

#[test]
fn without_a_verb_the_app_writes_to_cdk_outdir_and_prints_nothing() {
    let dir = temp_dir("no-verb");
    let _env = Env::outdir(Some(&dir));
    let (result, stdout) = run(&[]);
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    assert_eq!(stdout, "", "the CDK CLI reads the files, not stdout");
    assert!(dir.join("manifest.json").is_file());
    assert!(dir.join("Only.template.json").is_file());
}

#[test]
fn synth_writes_to_cdk_outdir_and_still_prints() {
    let dir = temp_dir("synth");
    let _env = Env::outdir(Some(&dir));
    let (result, stdout) = run(&["synth"]);
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    let file = std::fs::read_to_string(dir.join("Only.template.json")).unwrap();
    assert_eq!(stdout, format!("{file}\n"));
}

#[test]
fn output_argument_wins_over_cdk_outdir() {
    let env_dir = temp_dir("ignored");
    let dir = temp_dir("explicit");
    let _env = Env::outdir(Some(&env_dir));
    let (result, _) = run(&["synth", "-q", "-o", dir.to_str().unwrap()]);
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    assert!(dir.join("Only.template.json").is_file());
    assert!(!env_dir.exists());
}

#[test]
fn without_cdk_outdir_the_assembly_goes_to_cdk_out_and_the_template_is_printed() {
    let cwd = temp_dir("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    let _env = Env::outdir(None);
    let before = std::env::current_dir().unwrap();
    std::env::set_current_dir(&cwd).unwrap();
    let (result, stdout) = run(&[]);
    std::env::set_current_dir(before).unwrap();
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    let file = std::fs::read_to_string(cwd.join("cdk.out/Only.template.json")).unwrap();
    assert_eq!(stdout, format!("{file}\n"));
}
