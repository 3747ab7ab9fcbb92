//! The architecture's guard, over every `src/**/*.rs`:
//!
//! - no file is longer than [`MAX_LINES`] lines;
//! - no circle between files: no two files import each other, directly or around a loop.
//!
//! The import graph is built from the source text, file by file. A file depends on the
//! file of every module a path in its code names: `use crate::…`, `use super::…`,
//! `use self::…`, `use child::…` (a module declared in the file), `phuluc::…` in the
//! binary, and the same paths written inline in code (`super::x::f()`, `crate::a::T`),
//! also through names a `use` brought in (`use crate::model;` … `model::validate::f`)
//! and through `use super::*`. A path names the FILE of its longest prefix that is a
//! module file (`src/a/b.rs` or `src/a/b/mod.rs`): an item of `model/mod.rs` is
//! `model/mod.rs`, a re-export through it included. `mod x;` declares, it does not
//! import; `pub(in crate::x)` restricts, it does not import; a macro exported at the
//! crate root (`crate::text!`) is the file that defines it. Comments, doc links and
//! string literals are not code. Test modules inside a file count as the file: a test
//! needing a module that needs the file belongs in a file of its own (`x/tests.rs`).
//!
//! The resolver is tested on a small made-up crate first ([`resolver_finds_every_kind_of_import`]),
//! so that "no circle found" means there is none, not that the resolver went blind.

mod graph;
mod tokens;

use std::collections::BTreeMap;
use std::path::PathBuf;

use graph::Graph;

/// The longest a source file may be.
const MAX_LINES: usize = 800;

/// Files allowed to be longer than [`MAX_LINES`]: none. A file that grows past it is split
/// into rooms, not listed here.
const LONG_FILES_ALLOWED: &[&str] = &[];

/// Circles allowed: none. Each entry would be a set of files; every circle found must lie
/// inside one entry, and every entry must still hold a circle. A new circle is broken by
/// moving what both sides need into a leaf file (as `cli/shared.rs`, `layout/frame.rs`).
const CIRCLES_ALLOWED: &[&[&str]] = &[];

#[test]
fn architecture_no_source_file_is_too_long() {
    let files = source_files();
    let mut long = Vec::new();
    for (rel, text) in &files {
        let lines = text.lines().count();
        if lines > MAX_LINES && !LONG_FILES_ALLOWED.contains(&rel.as_str()) {
            long.push(format!("{rel}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them; move a big test module into a file of its own):\n{}",
        long.join("\n")
    );
    for allowed in LONG_FILES_ALLOWED {
        let lines = files.get(*allowed).map_or(0, |t| t.lines().count());
        assert!(
            lines > MAX_LINES,
            "{allowed} is {lines} lines now: delete it from LONG_FILES_ALLOWED"
        );
    }
}

#[test]
fn architecture_no_circle_between_source_files() {
    let files = source_files();
    let graph = Graph::build(&files);
    let circles = graph.circles();
    let mut unexplained = Vec::new();
    for scc in &circles {
        let allowed = CIRCLES_ALLOWED
            .iter()
            .any(|set| scc.files.iter().all(|f| set.contains(&f.as_str())));
        if !allowed {
            unexplained.push(scc.describe());
        }
    }
    assert!(
        unexplained.is_empty(),
        "circles between source files (move what both sides need into a leaf file):\n\n{}",
        unexplained.join("\n")
    );
    for set in CIRCLES_ALLOWED {
        let still = circles
            .iter()
            .any(|scc| scc.files.iter().any(|f| set.contains(&f.as_str())));
        assert!(
            still,
            "no circle left among {set:?}: delete the entry from CIRCLES_ALLOWED"
        );
    }
}

/// Prints the import graph, one `from:line → to` a line, for reading:
/// `cargo test --test integration architecture_graph -- --ignored --nocapture`.
#[test]
#[ignore = "prints the graph; nothing to check"]
fn architecture_graph() {
    for ((from, to), line) in &Graph::build(&source_files()).edges {
        println!("{from}:{line} → {to}");
    }
}

/// The resolver on a made-up crate holding one of each kind of import: each kind alone
/// closes a circle, so each must be seen.
#[test]
fn resolver_finds_every_kind_of_import() {
    let src = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    };
    let circle_of = |files: BTreeMap<String, String>| -> Vec<Vec<String>> {
        Graph::build(&files)
            .circles()
            .into_iter()
            .map(|c| c.files.into_iter().collect())
            .collect()
    };
    let both = |a: &str, b: &str| vec![vec![a.to_string(), b.to_string()]];

    // A child's `use super::helper` against its parent's `child::f()`.
    let files = src(&[
        ("src/lib.rs", "pub mod a;"),
        (
            "src/a/mod.rs",
            "mod kid;\npub fn helper() {}\npub fn g() { kid::f() }",
        ),
        (
            "src/a/kid.rs",
            "use super::helper;\npub fn f() { helper() }",
        ),
    ]);
    assert_eq!(circle_of(files), both("src/a/kid.rs", "src/a/mod.rs"));

    // Inline `crate::` paths; comments, strings and doc links are not code.
    let files = src(&[
        ("src/lib.rs", "pub mod a;\npub mod b;"),
        (
            "src/a.rs",
            "/// [`crate::b::x`]\npub fn y() { let _ = \"crate::b::x\"; crate::b::x() }",
        ),
        ("src/b.rs", "// crate::a::y\npub fn x() { crate::a::y() }"),
    ]);
    assert_eq!(circle_of(files), both("src/a.rs", "src/b.rs"));
    let files = src(&[
        ("src/lib.rs", "pub mod a;\npub mod b;"),
        (
            "src/a.rs",
            "/// [`crate::b::x`]\npub fn y() { let _ = 'c'; }",
        ),
        ("src/b.rs", "pub fn x() { crate::a::y() }"),
    ]);
    assert!(circle_of(files).is_empty());

    // A module brought in by `use`, then a path through it; a grouped `use` with `self`.
    let files = src(&[
        ("src/lib.rs", "pub mod m;\npub mod n;"),
        ("src/m/mod.rs", "pub mod deep;"),
        (
            "src/m/deep.rs",
            "use crate::n::{self, Thing};\nfn f(_: Thing) {}",
        ),
        (
            "src/n.rs",
            "use crate::m;\npub struct Thing;\nfn g() { m::deep::f }",
        ),
    ]);
    assert_eq!(circle_of(files), both("src/m/deep.rs", "src/n.rs"));

    // A test module's `use super::*`, then a child module of the parent by its name; and
    // a loop of three.
    let files = src(&[
        ("src/lib.rs", "pub mod p;\npub mod q;"),
        (
            "src/p/mod.rs",
            "pub mod r;\n#[cfg(test)]\nmod tests { use super::*; fn t() { r::f() } }",
        ),
        ("src/p/r.rs", "pub fn f() { crate::q::g() }"),
        ("src/q.rs", "pub fn g() { crate::p::h() }"),
    ]);
    assert_eq!(
        circle_of(files),
        vec![vec![
            "src/p/mod.rs".to_string(),
            "src/p/r.rs".to_string(),
            "src/q.rs".to_string()
        ]]
    );

    // The binary's `phuluc::` paths reach the library; a macro exported at the crate root
    // is the file defining it; `pub(in crate::x)` is no import.
    let files = src(&[
        (
            "src/lib.rs",
            "pub mod d;\npub mod e;\npub fn top() { e::f() }",
        ),
        ("src/d.rs", "#[macro_export]\nmacro_rules! say { () => {} }"),
        (
            "src/e.rs",
            "use crate::say;\npub(in crate::e) fn f() { say!() }",
        ),
        ("src/main.rs", "mod cli;"),
        ("src/cli/mod.rs", "pub fn main() { phuluc::top() }"),
    ]);
    let graph = Graph::build(&files);
    assert!(graph.circles().is_empty());
    assert!(
        graph
            .edges
            .contains_key(&("src/e.rs".into(), "src/d.rs".into()))
    );
    assert!(
        graph
            .edges
            .contains_key(&("src/cli/mod.rs".into(), "src/lib.rs".into()))
    );
    assert!(
        !graph
            .edges
            .contains_key(&("src/e.rs".into(), "src/lib.rs".into()))
    );
}

/// Every `src/**/*.rs`, by its path from the repository root (`src/a/b.rs`).
fn source_files() -> BTreeMap<String, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = BTreeMap::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).expect("under root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(&path).expect("read source");
                out.insert(rel, text);
            }
        }
    }
    out
}
