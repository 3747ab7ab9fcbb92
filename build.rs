//! Embeds every file under `templates/<kind>/` into the binary, so `phuluc` works from any
//! directory and a new built-in kind is a new folder, not new code; and names the git
//! revision the binary is built from (`PHULUC_GIT_REV`, shown by `phuluc --version`).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    git_revision();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if let Ok(kinds) = std::fs::read_dir(&root) {
        for kind in kinds.flatten() {
            let kind_path = kind.path();
            if !kind_path.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", kind_path.display());
            if let Ok(entries) = std::fs::read_dir(&kind_path) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.is_file() {
                        println!("cargo:rerun-if-changed={}", path.display());
                        let kind = kind.file_name().to_string_lossy().into_owned();
                        let name = entry.file_name().to_string_lossy().into_owned();
                        files.push((kind, name, path));
                    }
                }
            }
        }
    }
    // Sorted so the generated code, and so the binary, does not depend on directory order.
    files.sort();
    let mut out = String::from("/// (kind, file name, contents) of the built-in templates.\n");
    out.push_str("pub static BUILTIN: &[(&str, &str, &str)] = &[\n");
    for (kind, name, path) in &files {
        let _ = writeln!(
            out,
            "    ({kind:?}, {name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("builtin_templates.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

/// Sets `PHULUC_GIT_REV` to the short hash of the commit being built: a packager's own
/// `PHULUC_GIT_REV`, else `git rev-parse --short HEAD`, else "unknown" (a crates.io
/// package or a source archive has no git). Reruns when HEAD moves (a commit, a checkout),
/// so the revision shown is never stale.
fn git_revision() {
    println!("cargo:rerun-if-env-changed=PHULUC_GIT_REV");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    // Only phuluc's own repository counts: sources unpacked inside some other git
    // checkout (a vendored copy) must not take that checkout's revision.
    let own = git(&["rev-parse", "--show-toplevel"]).is_some_and(|top| {
        std::fs::canonicalize(top).ok() == std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).ok()
    });
    let rev = std::env::var("PHULUC_GIT_REV")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            own.then(|| git(&["rev-parse", "--short", "HEAD"]))
                .flatten()
        })
        .unwrap_or_else(|| "unknown".to_owned());
    // In a worktree `.git` is a file; git itself says where HEAD and its log live. A
    // path that does not exist would make cargo rerun this script on every build.
    for file in ["HEAD", "logs/HEAD"] {
        if let Some(path) = git(&["rev-parse", "--path-format=absolute", "--git-path", file])
            .filter(|p| own && Path::new(p).exists())
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rustc-env=PHULUC_GIT_REV={rev}");
}
