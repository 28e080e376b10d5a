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
mod groups;
mod model;
mod naming;
mod schema;

use model::Stats;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// Services whose facade feature is written by hand in the root
/// `Cargo.toml`, because it also turns on an L2 crate (`iam =
/// ["dep:formwork-iam", "formwork-cfn-security/iam"]`): the generator
/// leaves them out of the single-service features and names them first in
/// `all-services`.
const HAND_WRITTEN_SERVICES: &[&str] = &["iam", "cognito", "s3", "cloudfront", "lex"];

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

/// Replaces the lines between `{comment} BEGIN generated {name}` and
/// `{comment} END generated {name}` of a hand-written file.
fn replace_block(
    text: &str,
    comment: &str,
    name: &str,
    block: &str,
    path: &Path,
) -> Result<String, String> {
    let begin = format!("{comment} BEGIN generated {name}\n");
    let end = format!("{comment} END generated {name}");
    match (text.find(&begin), text.find(&end)) {
        (Some(a), Some(b)) if b > a => {
            Ok(format!("{}{block}{}", &text[..a + begin.len()], &text[b..]))
        }
        _ => Err(format!(
            "{}: missing the `{}` / `{end}` markers",
            path.display(),
            begin.trim_end()
        )),
    }
}

struct Output {
    files: BTreeMap<PathBuf, String>,
    /// Directories whose other `.rs` files (less the hand-written ones) are stale.
    generated_dirs: Vec<PathBuf>,
    summary: String,
}

/// One crate of generated L1s: a service group.
struct Group<'s> {
    name: &'static str,
    about: &'static str,
    /// service module -> resource type names
    services: BTreeMap<String, Vec<&'s str>>,
}

impl Group<'_> {
    fn crate_name(&self) -> String {
        format!("formwork-cfn-{}", self.name)
    }
    #[allow(dead_code)]
    fn types(&self) -> usize {
        self.services.values().map(Vec::len).sum()
    }
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
    for (_, _, services) in groups::GROUPS {
        if let Some(s) = services.iter().find(|s| !by_service.contains_key(**s)) {
            return Err(format!(
                "crates/formwork-gen/src/groups.rs lists `{s}`, which the schemas do not have"
            ));
        }
    }
    let mut groups: Vec<Group> = groups::GROUPS
        .iter()
        .chain([&(groups::OTHER.0, groups::OTHER.1, &[][..])])
        .map(|(name, about, _)| Group {
            name,
            about,
            services: BTreeMap::new(),
        })
        .collect();
    for (module, types) in &by_service {
        let g = groups::group_of(module);
        let group = groups
            .iter_mut()
            .find(|x| x.name == g)
            .expect("known group");
        group.services.insert(module.clone(), types.clone());
    }
    groups.retain(|g| !g.services.is_empty());
    let mut files = BTreeMap::new();
    let mut generated_dirs = Vec::new();
    for g in &groups {
        let dir = root.join("crates").join(g.crate_name());
        let src = dir.join("src");
        for (module, types) in &g.services {
            files.insert(
                src.join(format!("{module}.rs")),
                emit::service_code(module, types, &schemas.types, &schemas.version, stats),
            );
        }
        files.insert(
            src.join("lib.rs"),
            emit::group_lib(g.name, g.about, &g.services, &schemas.version),
        );
        generated_dirs.push(src);
    }
    let mut files = format_all(files)?;
    for g in &groups {
        let dir = root.join("crates").join(g.crate_name());
        files.insert(
            dir.join("Cargo.toml"),
            emit::group_manifest(&g.crate_name(), g.about, &g.services),
        );
        files.insert(
            dir.join("README.md"),
            emit::group_readme(&g.crate_name(), g.about, &g.services, &schemas.version),
        );
    }
    // The facade: workspace dependencies, dependencies, features, profiles
    // and the `cfn` re-exports.
    let crates: Vec<String> = groups.iter().map(Group::crate_name).collect();
    let mut ws_deps = String::new();
    let mut deps = String::new();
    let mut profiles = String::new();
    let mut reexports = String::new();
    for c in &crates {
        ws_deps += &format!("{c} = {{ path = \"crates/{c}\", version = \"0.1.0\" }}\n");
        deps += &format!("{c}.workspace = true\n");
        profiles += &format!("[profile.dev.package.{c}]\ndebug = 0\n");
    }
    // Sorted, as rustfmt orders `use` items.
    let mut sorted: Vec<&String> = crates.iter().collect();
    sorted.sort();
    for c in sorted {
        reexports += &format!("    pub use {}::*;\n", c.replace('-', "_"));
    }
    let mut features = String::from("# Every service of every group.\nall-services = [");
    features += &HAND_WRITTEN_SERVICES
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    for c in &crates {
        features += &format!(", \"{c}/all-services\"");
    }
    features += "]\n# Every service of one group: `all-<group>`.\n";
    for (g, c) in groups.iter().zip(&crates) {
        features += &format!("all-{} = [\"{c}/all-services\"]\n", g.name);
    }
    features +=
        "# Single services (the common ones; see crates/formwork-cfn/README.md for the others).\n";
    for s in groups::FACADE_SERVICES
        .iter()
        .filter(|s| !HAND_WRITTEN_SERVICES.contains(s))
    {
        let c = format!("formwork-cfn-{}", groups::group_of(s));
        features += &format!("{s} = [\"{c}/{s}\"]\n");
    }
    let manifest = root.join("Cargo.toml");
    let mut text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    for (name, block) in [
        ("cfn crates", &ws_deps),
        ("cfn features", &features),
        ("cfn dependencies", &deps),
        ("cfn profiles", &profiles),
    ] {
        text = replace_block(&text, "#", name, block, &manifest)?;
    }
    files.insert(manifest, text);
    let lib = root.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    files.insert(
        lib.clone(),
        replace_block(&text, "    //", "cfn re-exports", &reexports, &lib)?,
    );
    let summary = format!(
        "{} resource types in {} services, {} crates ({})",
        schemas.types.len(),
        by_service.len(),
        groups.len(),
        groups
            .iter()
            .map(|g| format!("{}: {}", g.name, g.services.len()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(Output {
        files,
        generated_dirs,
        summary,
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
            if name.ends_with(".rs") && !out.files.contains_key(&p) {
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
