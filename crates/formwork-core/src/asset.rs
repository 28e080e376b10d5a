//! File assets: a local folder that travels with the cloud assembly.
//!
//! [`Asset::from_dir`] hashes the folder when the construct is made (the
//! CDK's asset hash), and [`Assembly::write`](crate::Assembly::write) copies
//! it into `cdk.out/asset.<hash>/` and lists it in `<Stack>.assets.json`,
//! the CDK's asset manifest. What is done with it at deploy time is up to
//! the construct that uses it (a bucket deployment syncs it to a bucket).
//!
//! The hash is SHA-256 over the folder's regular files, sorted by their
//! path relative to the folder (`/`-separated, compared byte by byte): for
//! each file, its path, a NUL byte, its length as 8 little-endian bytes and
//! its bytes. Symbolic links are followed; a link that leads back into
//! one of its own parent folders is an error. Anything that cannot be read
//! (a broken link, a file without permission, a socket, a name that is not
//! UTF-8) is an error naming the construct, never skipped. Empty folders
//! hold no file and add nothing: S3, where assets go, has no folders.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::construct::Scope;
use crate::error::{Error, Result};
use crate::tree::{AssetNode, AssetPackaging, Construct, Kind};

/// A local folder deployed with the app, addressed by the hash of its content.
///
/// ```
/// use formwork_core::{App, Asset};
/// let dir = std::env::temp_dir().join(format!("fw-asset-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("index.html"), "<h1>hi</h1>").unwrap();
/// let app = App::new();
/// let stack = app.stack("Site");
/// let asset = Asset::from_dir(&stack, "Files", &dir).unwrap();
/// assert_eq!(asset.hash().len(), 64);
/// # std::fs::remove_dir_all(dir).unwrap();
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Asset {
    construct: Construct,
}

impl Scope for Asset {
    fn construct(&self) -> &Construct {
        &self.construct
    }
}

/// One file of an asset folder: its path relative to the folder (`/`-separated)
/// and where it is on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetFile {
    /// `css/site.css`.
    pub relative: String,
    /// The file on disk.
    pub path: PathBuf,
}

impl Asset {
    /// The folder at `path` as an asset, hashed now. Errors name the
    /// construct path and the file that could not be read.
    pub fn from_dir(scope: &impl Scope, id: &str, path: impl AsRef<Path>) -> Result<Asset> {
        let source = path.as_ref().to_path_buf();
        let construct_path = scope.child_path(id);
        let meta = fs::metadata(&source).map_err(|e| {
            Error::invalid(
                &construct_path,
                None,
                format!("cannot read the asset folder {}: {e}", source.display()),
            )
        })?;
        if !meta.is_dir() {
            return Err(Error::invalid(
                &construct_path,
                None,
                format!("{} is not a folder", source.display()),
            ));
        }
        let hash =
            hash_dir(&source).map_err(|problem| Error::invalid(&construct_path, None, problem))?;
        let construct = scope.construct().add_child(
            id,
            Kind::Asset(AssetNode {
                source,
                hash,
                packaging: AssetPackaging::ZipDirectory,
            }),
        )?;
        Ok(Asset { construct })
    }

    fn with_node<T>(&self, f: impl FnOnce(&AssetNode) -> T) -> T {
        let tree = self.construct.tree();
        match &tree.node(self.construct.node).kind {
            Kind::Asset(a) => f(a),
            _ => unreachable!("an Asset handle always points at an asset node"),
        }
    }

    /// The SHA-256 of the content, 64 lower-case hex digits (the asset's id
    /// in `<Stack>.assets.json`).
    pub fn hash(&self) -> String {
        self.with_node(|a| a.hash.clone())
    }

    /// The folder the asset is read from.
    pub fn source_path(&self) -> PathBuf {
        self.with_node(|a| a.source.clone())
    }

    /// Where the asset is inside the cloud assembly: `asset.<hash>`.
    pub fn assembly_path(&self) -> String {
        staged_name(&self.hash())
    }

    /// The asset's construct node.
    pub fn node(&self) -> &Construct {
        &self.construct
    }
}

/// `asset.<hash>`, the name of a staged asset in the assembly directory.
pub fn staged_name(hash: &str) -> String {
    format!("asset.{hash}")
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Every regular file below `root`, sorted by relative path (byte order).
/// Symbolic links are followed; a loop, an unreadable entry, a special file
/// or a name that is not UTF-8 is an error (a sentence naming the path).
pub fn list_files(root: &Path) -> std::result::Result<Vec<AssetFile>, String> {
    let mut files = Vec::new();
    let canonical =
        fs::canonicalize(root).map_err(|e| format!("cannot read {}: {e}", root.display()))?;
    walk(root, "", &mut vec![canonical], &mut files)?;
    files.sort_by(|a, b| a.relative.as_bytes().cmp(b.relative.as_bytes()));
    Ok(files)
}

fn walk(
    dir: &Path,
    prefix: &str,
    ancestors: &mut Vec<PathBuf>,
    out: &mut Vec<AssetFile>,
) -> std::result::Result<(), String> {
    let unreadable = |p: &Path, e: std::io::Error| format!("cannot read {}: {e}", p.display());
    let entries = fs::read_dir(dir).map_err(|e| unreadable(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| unreadable(dir, e))?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            return Err(format!(
                "{} has a name that is not UTF-8, which cannot be an S3 key",
                path.display()
            ));
        };
        let relative = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        // Follows symbolic links: a broken one is an error.
        let meta = fs::metadata(&path).map_err(|e| unreadable(&path, e))?;
        if meta.is_dir() {
            let canonical = fs::canonicalize(&path).map_err(|e| unreadable(&path, e))?;
            if ancestors.contains(&canonical) {
                return Err(format!(
                    "{} links back to {}, a folder that contains it",
                    path.display(),
                    canonical.display()
                ));
            }
            ancestors.push(canonical);
            walk(&path, &relative, ancestors, out)?;
            ancestors.pop();
        } else if meta.is_file() {
            out.push(AssetFile { relative, path });
        } else {
            return Err(format!(
                "{} is neither a file nor a folder (a socket, a device or a pipe)",
                path.display()
            ));
        }
    }
    Ok(())
}

/// The SHA-256 of one file's bytes, as hex.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut file = fs::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// The asset hash of the folder at `root` (see the module documentation).
pub fn hash_dir(root: &Path) -> std::result::Result<String, String> {
    let files = list_files(root)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    for f in &files {
        let unreadable = |e: std::io::Error| format!("cannot read {}: {e}", f.path.display());
        let mut file = fs::File::open(&f.path).map_err(unreadable)?;
        let len = file.metadata().map_err(unreadable)?.len();
        hasher.update(f.relative.as_bytes());
        hasher.update([0u8]);
        hasher.update(len.to_le_bytes());
        let mut read = 0u64;
        loop {
            let n = file.read(&mut buf).map_err(unreadable)?;
            if n == 0 {
                break;
            }
            read += n as u64;
            hasher.update(&buf[..n]);
        }
        if read != len {
            return Err(format!(
                "{} changed while it was read ({len} bytes, then {read})",
                f.path.display()
            ));
        }
    }
    Ok(hex(&hasher.finalize()))
}

/// Copies the folder `from` to the new folder `to` (links followed, as in
/// hashing) and checks that the copy has `hash`: an asset edited since its
/// construct was made is an error, not a silent mismatch.
pub(crate) fn stage_dir(from: &Path, to: &Path, hash: &str) -> std::result::Result<(), String> {
    let files = list_files(from)?;
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for f in &files {
        let target = to.join(&f.relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::copy(&f.path, &target).map_err(|e| {
            format!(
                "cannot copy {} to {}: {e}",
                f.path.display(),
                target.display()
            )
        })?;
    }
    let copied = hash_dir(to)?;
    if copied != hash {
        return Err(format!(
            "{} changed after the asset was made (hash {hash}, now {copied}); synthesize again",
            from.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::App;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, content) in files {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, content).unwrap();
        }
        dir
    }

    #[test]
    fn the_hash_is_sha256_over_sorted_paths_lengths_and_bytes() {
        let dir = tree(&[("b.txt", "bee"), ("a/z.css", "zed")]);
        let mut h = Sha256::new();
        for (rel, content) in [("a/z.css", "zed"), ("b.txt", "bee")] {
            h.update(rel.as_bytes());
            h.update([0u8]);
            h.update((content.len() as u64).to_le_bytes());
            h.update(content.as_bytes());
        }
        assert_eq!(hash_dir(dir.path()).unwrap(), hex(&h.finalize()));
        // The empty folder: SHA-256 of nothing.
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(
            hash_dir(empty.path()).unwrap(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn the_hash_changes_with_content_and_names_not_with_creation_order() {
        let one = tree(&[("a.txt", "1"), ("b.txt", "2")]);
        let two = tree(&[("b.txt", "2"), ("a.txt", "1")]);
        assert_eq!(hash_dir(one.path()), hash_dir(two.path()));
        let renamed = tree(&[("a.txt", "1"), ("c.txt", "2")]);
        assert_ne!(hash_dir(one.path()), hash_dir(renamed.path()));
        let edited = tree(&[("a.txt", "1"), ("b.txt", "3")]);
        assert_ne!(hash_dir(one.path()), hash_dir(edited.path()));
        // Moving bytes between a name and the content is seen.
        let a = tree(&[("ab", "c")]);
        let b = tree(&[("a", "bc")]);
        assert_ne!(hash_dir(a.path()), hash_dir(b.path()));
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_paths_are_errors_with_the_construct_path() {
        let dir = tree(&[("ok.txt", "fine")]);
        std::os::unix::fs::symlink("/nonexistent/formwork", dir.path().join("broken")).unwrap();
        let app = App::new();
        let stack = app.stack("S");
        let error = Asset::from_dir(&stack, "Files", dir.path())
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("S/Files: cannot read "), "{error}");
        assert!(error.contains("broken"), "{error}");

        let looped = tree(&[("sub/x.txt", "x")]);
        std::os::unix::fs::symlink(looped.path(), looped.path().join("sub/up")).unwrap();
        let error = Asset::from_dir(&stack, "Loop", looped.path())
            .unwrap_err()
            .to_string();
        assert!(error.contains("links back to"), "{error}");

        let missing = Asset::from_dir(&stack, "Missing", "/nonexistent/formwork-asset")
            .unwrap_err()
            .to_string();
        assert!(
            missing.starts_with("S/Missing: cannot read the asset folder"),
            "{missing}"
        );
    }
}
