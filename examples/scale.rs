//! Synthesis at scale: many copies of the lex-web-bot pattern, or many roles,
//! split into stacks that stay within CloudFormation's quotas.
//!
//! ```text
//! cargo run --release --example scale -- pool 500 synth --output DIR -q
//! cargo run --release --example scale -- roles 20000 synth --output DIR -q
//! cargo run --release --example scale -- roles 1000 list
//! ```
//!
//! The first two arguments choose the app; the rest are the usual arguments
//! of a formwork program, handled by the normal `app.run()` path.

#[path = "support/scale_app.rs"]
mod scale_app;

fn main() -> formwork::Result<()> {
    let mut args = std::env::args_os();
    let program = args.next().unwrap_or_else(|| "scale".into());
    let (kind, n) = (args.next(), args.next());
    let scale = match (&kind, &n) {
        (Some(kind), Some(n)) => {
            scale_app::Scale::parse(&kind.to_string_lossy(), &n.to_string_lossy())
        }
        _ => None,
    };
    let Some(scale) = scale else {
        eprintln!("usage: scale (pool N | roles N) [synth|list ...]");
        std::process::exit(2);
    };
    let app = scale.app()?;
    formwork::cli::run_args(app, std::iter::once(program).chain(args))
}
