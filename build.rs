//! Embeds every file under `templates/<kind>/` into the binary, so `phuluc` works from any
//! directory and a new built-in kind is a new folder, not new code.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
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
