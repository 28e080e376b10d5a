//! formwork's L1 code generator (`cargo run -p formwork-gen`).
//!
//! Reads the CloudFormation resource schemas vendored in formwork-schema
//! (`crates/formwork-schema/data`: shapes in `types/`, descriptions in
//! `docs/`) and writes the generated L1 crates. `--check` writes nothing and
//! fails when a committed file differs from what it would write; `--report`
//! prints how often each schema construct without a direct Rust shape was
//! met.
//!
//! Layout: `schema` loads the data, `model` resolves each resource type into
//! structs, enums and fields, `emit` prints them as Rust source, and this
//! file formats the source with rustfmt and writes or checks the files.

mod doc;
mod emit;
mod model;
mod naming;
mod schema;

use model::Stats;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const DEFAULT_SERVICES: &[&str] = &["iam", "cognito"];
const HAND_WRITTEN: &[&str] = &["support.rs"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Formats `text` with rustfmt (the toolchain's, as `cargo fmt` does).
fn rustfmt(text: &str) -> Result<String, String> {
    use std::io::Write;
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = text.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    writer.join().expect("writer").map_err(|e| e.to_string())?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("rustfmt failed: {}", &err[..err.len().min(2000)]));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// Formats every file, on as many threads as there are cores.
fn format_all(files: BTreeMap<PathBuf, String>) -> Result<BTreeMap<PathBuf, String>, String> {
    let jobs: Vec<(PathBuf, String)> = files.into_iter().collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<Vec<(usize, String)>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((_, text)) = jobs.get(i) else { break };
                        done.push((i, rustfmt(text)?));
                    }
                    Ok(done)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("rustfmt thread"))
            .collect()
    });
    let mut out = BTreeMap::new();
    for r in results {
        for (i, text) in r? {
            out.insert(jobs[i].0.clone(), text);
        }
    }
    Ok(out)
}

fn replace_block(text: &str, block: &str, path: &Path) -> Result<String, String> {
    let begin = "# BEGIN generated cfn features";
    let end = "# END generated cfn features";
    match (text.find(begin), text.find(end)) {
        (Some(a), Some(b)) if b > a => Ok(format!(
            "{}\n{block}{}",
            &text[..a + begin.len()],
            &text[b..]
        )),
        _ => Err(format!(
            "{}: missing the `{begin}` / `{end}` markers",
            path.display()
        )),
    }
}

struct Output {
    files: BTreeMap<PathBuf, String>,
    /// Directories whose other `.rs` files (less the hand-written ones) are stale.
    generated_dirs: Vec<PathBuf>,
    summary: String,
}

fn generate(stats: &mut Stats) -> Result<Output, String> {
    let root = root();
    let schemas = schema::load(&root.join("crates/formwork-schema/data"))?;
    let mut by_service: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for type_name in schemas.types.keys() {
        by_service
            .entry(naming::service_module(type_name))
            .or_default()
            .push(type_name);
    }
    let crate_dir = root.join("crates/formwork-cfn");
    let src = crate_dir.join("src");
    let mut files = BTreeMap::new();
    for (module, types) in &by_service {
        files.insert(
            src.join(format!("{module}.rs")),
            emit::service_code(module, types, &schemas.types, stats),
        );
    }
    let counts = format!(
        "{} resource types in {} services.",
        schemas.types.len(),
        by_service.len()
    );
    let services: Vec<(String, Vec<&str>)> = by_service.clone().into_iter().collect();
    files.insert(
        src.join("lib.rs"),
        emit::lib_code(&services, &counts, &schemas.version),
    );
    let mut files = format_all(files)?;
    // Cargo features.
    let mods: Vec<&String> = by_service.keys().collect();
    let quoted = |m: &&str| format!("\"{m}\"");
    let mut cfn_block = format!(
        "default = [{}]\n",
        DEFAULT_SERVICES
            .iter()
            .map(quoted)
            .collect::<Vec<_>>()
            .join(", ")
    );
    cfn_block += "all-services = [\n";
    for m in &mods {
        cfn_block += &format!("    \"{m}\",\n");
    }
    cfn_block += "]\n";
    for m in &mods {
        cfn_block += &format!("{m} = []\n");
    }
    let mut facade_block =
        "all-services = [\"iam\", \"cognito\", \"formwork-cfn/all-services\"]\n".to_owned();
    for m in mods
        .iter()
        .filter(|m| !DEFAULT_SERVICES.contains(&m.as_str()))
    {
        facade_block += &format!("{m} = [\"formwork-cfn/{m}\"]\n");
    }
    for (path, block) in [
        (crate_dir.join("Cargo.toml"), cfn_block),
        (root.join("Cargo.toml"), facade_block),
    ] {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let new = replace_block(&text, &block, &path)?;
        files.insert(path, new);
    }
    Ok(Output {
        files,
        generated_dirs: vec![src],
        summary: format!(
            "{} resource types in {} services",
            schemas.types.len(),
            by_service.len()
        ),
    })
}

/// `.rs` files in the generated directories that the generator no longer writes.
fn stale(out: &Output) -> Vec<PathBuf> {
    let mut stale = Vec::new();
    for dir in &out.generated_dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".rs")
                && !HAND_WRITTEN.contains(&name.as_str())
                && !out.files.contains_key(&p)
            {
                stale.push(p);
            }
        }
    }
    stale.sort();
    stale
}

fn run() -> Result<ExitCode, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    for a in &args {
        if !["--check", "--report"].contains(&a.as_str()) {
            return Err(format!(
                "unknown argument {a}; usage: formwork-gen [--check] [--report]"
            ));
        }
    }
    let check = args.iter().any(|a| a == "--check");
    let report = args.iter().any(|a| a == "--report");
    let mut stats = Stats::default();
    let out = generate(&mut stats)?;
    let stale = stale(&out);
    let root = root();
    let rel = |p: &Path| {
        let p = p.to_string_lossy().into_owned();
        let r = root.to_string_lossy().into_owned() + "/";
        p.strip_prefix(&r).map_or(p.clone(), str::to_owned)
    };
    let mut code = ExitCode::SUCCESS;
    if check {
        let mut bad: Vec<PathBuf> = out
            .files
            .iter()
            .filter(|(path, text)| std::fs::read_to_string(path).ok().as_ref() != Some(*text))
            .map(|(p, _)| p.clone())
            .collect();
        bad.extend(stale);
        if bad.is_empty() {
            println!(
                "the generated L1 code is up to date ({} files).",
                out.files.len()
            );
        } else {
            println!("The generated L1 code is out of date; run `cargo run -p formwork-gen`. Differing files:");
            for p in bad.iter().take(50) {
                println!("  {}", rel(p));
            }
            code = ExitCode::FAILURE;
        }
    } else {
        for p in &stale {
            std::fs::remove_file(p).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        for (path, text) in &out.files {
            if std::fs::read_to_string(path).ok().as_ref() != Some(text) {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        println!("wrote {} files: {}", out.files.len(), out.summary);
    }
    if report || !check {
        for (k, v) in &stats.0 {
            println!("{v:8} {k}");
        }
    }
    Ok(code)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
