//! Synthesis benchmarks (divan): `cargo bench --bench synth`.
//!
//! Each benchmark builds the app through the same code as the examples
//! (`examples/lex-web-bot.rs`, `examples/support/scale_app.rs`), so that the
//! figures are those of what users run. Under `cargo test --benches` (divan's
//! test mode, no `--bench` flag) every benchmark runs once, at a small size,
//! so that CI only checks that they work.

use std::hint::black_box;

use divan::Bencher;
use formwork::logical_id::{logical_id, write_logical_id};
use formwork::{App, Assembly};

#[path = "../examples/support/scale_app.rs"]
mod scale_app;

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/lex-web-bot.rs"]
mod lex_web_bot;

use scale_app::Scale;

fn main() {
    divan::main();
}

/// True under `cargo bench` (divan's bench mode); false under `cargo test --benches`.
fn full_run() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// `full` sizes under `cargo bench`, `quick` ones in test mode.
fn sizes(full: &'static [usize], quick: &'static [usize]) -> &'static [usize] {
    if full_run() {
        full
    } else {
        quick
    }
}

fn lex_app() -> App {
    let app = App::new();
    lex_web_bot::lex_web_bot(&app).expect("lex-web-bot builds");
    app
}

/// Serializes every template as `synth` writes it (to memory instead of files).
fn serialize(assembly: &Assembly) -> usize {
    let mut out = Vec::with_capacity(1 << 16);
    for stack in &assembly.stacks {
        out.clear();
        stack.template.write_json(&mut out).expect("serializes");
    }
    out.len()
}

/// Building, synthesizing and writing the whole cloud assembly to disk, as
/// `synth --output DIR` does (`app.synth()?.write(dir)`), without the CLI's
/// argument parsing and summary.
mod end_to_end {
    use super::*;

    fn write(app: &App, dir: &std::path::Path) {
        app.synth()
            .expect("synthesizes")
            .write(dir)
            .expect("writes");
    }

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("formwork-bench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[divan::bench]
    fn lex_web_bot(bencher: Bencher) {
        let dir = temp_dir("lex");
        bencher.bench(|| write(&lex_app(), &dir));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[divan::bench(args = sizes(&[10, 100, 500], &[3]), sample_count = 20)]
    fn pool(bencher: Bencher, n: usize) {
        let dir = temp_dir("pool");
        bencher.bench(|| write(&Scale::Pool(n).app().expect("builds"), &dir));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[divan::bench(args = sizes(&[1_000, 5_000, 20_000], &[450]), sample_count = 10)]
    fn roles(bencher: Bencher, n: usize) {
        let dir = temp_dir("roles");
        bencher.bench(|| write(&Scale::Roles(n).app().expect("builds"), &dir));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Building the construct tree and synthesizing templates in memory.
mod synth {
    use super::*;

    #[divan::bench]
    fn lex_web_bot() -> Assembly {
        lex_app().synth().expect("synthesizes")
    }

    #[divan::bench(args = sizes(&[10, 100, 500], &[3]), sample_count = 20)]
    fn pool(n: usize) -> Assembly {
        Scale::Pool(n)
            .app()
            .expect("builds")
            .synth()
            .expect("synthesizes")
    }

    #[divan::bench(args = sizes(&[1_000, 5_000, 20_000], &[450]), sample_count = 10)]
    fn roles(n: usize) -> Assembly {
        Scale::Roles(n)
            .app()
            .expect("builds")
            .synth()
            .expect("synthesizes")
    }

    /// `App::synth` alone, on an app built beforehand.
    #[divan::bench(args = sizes(&[5_000], &[450]), sample_count = 10)]
    fn roles_synth_only(bencher: Bencher, n: usize) {
        let app = Scale::Roles(n).app().expect("builds");
        // The app is a single-threaded handle: measured on this thread.
        bencher.bench_local(|| app.synth().expect("synthesizes"));
    }
}

/// The cost of the rule packs (feature `nag`, on by default): the same
/// `App::synth` on an app built beforehand, with the packs on (as the
/// command line turns them on, `App::enable_rule_packs`) and off. The difference is the packs'
/// share: each template turned into JSON values once, every rule on every
/// resource, the findings and the reports.
mod rule_packs {
    use super::*;

    fn synth_bench(bencher: Bencher, app: App, packs: bool) {
        if packs {
            app.enable_rule_packs();
        }
        bencher.bench_local(|| app.synth().expect("synthesizes"));
    }

    #[divan::bench(args = [true, false])]
    fn lex_web_bot(bencher: Bencher, packs: bool) {
        synth_bench(bencher, lex_app(), packs);
    }

    #[divan::bench(args = sizes(&[1_000, 5_000], &[450]), sample_count = 10)]
    fn roles_with_packs(bencher: Bencher, n: usize) {
        synth_bench(bencher, Scale::Roles(n).app().expect("builds"), true);
    }

    /// For comparison: serializing the template model into JSON values
    /// through serde, which the packs avoid (they copy the resources'
    /// values, `synth/nag.rs`), and the engine alone over those values.
    #[divan::bench(args = sizes(&[5_000], &[450]), sample_count = 10)]
    fn roles_to_json_values(bencher: Bencher, n: usize) {
        let app = Scale::Roles(n).app().expect("builds");
        let assembly = app.synth().expect("synthesizes");
        bencher.bench_local(|| {
            assembly
                .stacks
                .iter()
                .map(|s| serde_json::to_value(&s.template).expect("serializes"))
                .collect::<Vec<_>>()
        });
    }

    #[divan::bench(args = sizes(&[5_000], &[450]), sample_count = 10)]
    fn roles_engine_only(bencher: Bencher, n: usize) {
        let app = Scale::Roles(n).app().expect("builds");
        let assembly = app.synth().expect("synthesizes");
        let templates: Vec<serde_json::Value> = assembly
            .stacks
            .iter()
            .map(|s| serde_json::to_value(&s.template).expect("serializes"))
            .collect();
        bencher.bench_local(|| {
            templates
                .iter()
                .map(|t| formwork_nag::check(t, &[&formwork_nag::AWS_SOLUTIONS]).expect("checks"))
                .map(|r| r.findings.len())
                .sum::<usize>()
        });
    }

    #[divan::bench(args = sizes(&[1_000, 5_000], &[450]), sample_count = 10)]
    fn roles_without_packs(bencher: Bencher, n: usize) {
        synth_bench(bencher, Scale::Roles(n).app().expect("builds"), false);
    }
}

/// CDK-compatible logical IDs.
mod logical_ids {
    use super::*;

    #[divan::bench]
    fn single_component() -> Option<String> {
        logical_id(black_box(&["IdentityPoolId"]))
    }

    #[divan::bench]
    fn three_components() -> Option<String> {
        logical_id(black_box(&["BotPool", "AuthenticatedRole", "Resource"]))
    }

    /// 1,000 ids into one reused buffer, as synthesis computes them.
    #[divan::bench]
    fn thousand_reused_buffer(bencher: Bencher) {
        let names: Vec<String> = (0..1000).map(|i| format!("Role{i}")).collect();
        let mut out = String::new();
        bencher.bench_local(|| {
            let mut total = 0;
            for name in &names {
                write_logical_id([name.as_str(), "Resource"].into_iter(), &mut out);
                total += out.len();
            }
            total
        });
    }
}

/// Template serialization to JSON (one-space indent, as written to disk).
mod json {
    use super::*;

    #[divan::bench]
    fn lex_web_bot(bencher: Bencher) {
        let assembly = lex_app().synth().expect("synthesizes");
        bencher.bench(|| serialize(&assembly));
    }

    /// One full stack of 400 roles.
    #[divan::bench(args = sizes(&[400], &[40]))]
    fn roles_stack(bencher: Bencher, n: usize) {
        let assembly = Scale::Roles(n)
            .app()
            .expect("builds")
            .synth()
            .expect("synthesizes");
        bencher.bench(|| serialize(&assembly));
    }

    /// The manifest (`manifest.json`) of `roles 5000`.
    #[divan::bench(args = sizes(&[5_000], &[450]), sample_count = 10)]
    fn manifest(bencher: Bencher, n: usize) {
        let assembly = Scale::Roles(n)
            .app()
            .expect("builds")
            .synth()
            .expect("synthesizes");
        bencher.bench(|| serde_json::to_vec_pretty(&assembly.manifest()).expect("serializes"));
    }
}
