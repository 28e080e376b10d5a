//! Helpers shared by the root integration tests.

use std::path::PathBuf;

use formwork::Template;

/// Writes `template` to `$FORMWORK_LINT_DIR/<name>.template.json` when that
/// variable is set, so that `.ci/cfn-lint.sh` can check every template the
/// tests produce. Returns the path written.
pub fn lint_dump(name: &str, template: &Template) -> Option<PathBuf> {
    let dir = std::env::var_os("FORMWORK_LINT_DIR")?;
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let path = dir.join(format!("{name}.template.json"));
    std::fs::write(&path, template.to_json())
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    Some(path)
}

/// Snapshots `template` as `snapshots/<name>.snap` and hands it to cfn-lint
/// (see [`lint_dump`]).
#[track_caller]
pub fn snapshot_template(name: &str, template: &Template) {
    lint_dump(name, template);
    snapshot_json(name, template);
}

/// Snapshots any serializable value as `snapshots/<name>.snap`.
#[track_caller]
pub fn snapshot_json<T: serde::Serialize>(name: &str, value: &T) {
    // `snapshot_path` is relative to this file, tests/support/.
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_json_snapshot!(name, value);
    });
}
