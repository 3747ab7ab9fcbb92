//! The import graph between source files, and its circles: which file each module is,
//! what each path names, resolved as the parent module's contract says.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use super::tokens::{Parsed, Tok, Token, parse};

/// Which crate a module is in: the library (`src/lib.rs`) or the binary (`src/main.rs`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Krate {
    Lib,
    Bin,
}

/// A module's full name: its crate and its path from the crate root.
type ModName = (Krate, Vec<String>);

/// The import graph between source files.
pub(super) struct Graph {
    /// (from, to) → the first line of `from` naming `to`.
    pub(super) edges: BTreeMap<(String, String), usize>,
}

/// One strongly connected set of files, with a shortest loop through each of them.
pub(super) struct Circle {
    pub(super) files: BTreeSet<String>,
    loops: Vec<Vec<(String, usize)>>,
}

impl Circle {
    pub(super) fn describe(&self) -> String {
        let mut s = format!(
            "circle of {} files: {}\n",
            self.files.len(),
            self.files.iter().cloned().collect::<Vec<_>>().join(", ")
        );
        for lp in &self.loops {
            let steps: Vec<String> = lp.iter().map(|(f, l)| format!("{f}:{l}")).collect();
            s.push_str(&format!("  {} → {}\n", steps.join(" → "), lp[0].0));
        }
        s
    }
}

impl Graph {
    pub(super) fn build(files: &BTreeMap<String, String>) -> Graph {
        // 1. Which file is which module: walk `mod x;` from both crate roots.
        let mut modules: BTreeMap<ModName, String> = BTreeMap::new();
        let mut inline_modules: BTreeSet<ModName> = BTreeSet::new();
        let mut parsed: BTreeMap<String, Parsed> = BTreeMap::new();
        let mut file_module: BTreeMap<String, ModName> = BTreeMap::new();
        let mut queue: VecDeque<(String, ModName)> = VecDeque::new();
        for (root, krate) in [("src/lib.rs", Krate::Lib), ("src/main.rs", Krate::Bin)] {
            if files.contains_key(root) {
                queue.push_back((root.to_string(), (krate, Vec::new())));
            }
        }
        while let Some((file, name)) = queue.pop_front() {
            let text = &files[&file];
            assert!(
                !text.contains("#[path"),
                "{file}: the resolver does not follow #[path] attributes"
            );
            let p = parse(text);
            // Children of `a/b.rs` and of `a/b/mod.rs` live in `a/b/`; of a crate root, beside it.
            let dir = {
                let path = Path::new(&file);
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                let parent = path.parent().map(|p| p.to_string_lossy().into_owned());
                let parent = parent.unwrap_or_default();
                if matches!(stem, "mod" | "lib" | "main") {
                    parent
                } else {
                    format!("{parent}/{stem}")
                }
            };
            for (idx, inline_path) in declarations(&p) {
                let mut child = name.clone();
                child.1.extend(inline_path.iter().cloned());
                let decl_name = match &p.toks[idx].tok {
                    Tok::Ident(s) => s.clone(),
                    _ => unreachable!(),
                };
                child.1.push(decl_name.clone());
                let sub = inline_path.join("/");
                let base = if sub.is_empty() {
                    dir.clone()
                } else {
                    format!("{dir}/{sub}")
                };
                let a = format!("{base}/{decl_name}.rs");
                let b = format!("{base}/{decl_name}/mod.rs");
                let found = [a, b].into_iter().find(|f| files.contains_key(f));
                let found = found.unwrap_or_else(|| {
                    panic!("{file}: `mod {decl_name};` names no file the resolver can find")
                });
                queue.push_back((found, child));
            }
            for inline_path in inline_scopes(&p) {
                let mut m = name.clone();
                m.1.extend(inline_path);
                inline_modules.insert(m);
            }
            modules.insert(name.clone(), file.clone());
            file_module.insert(file.clone(), name);
            parsed.insert(file, p);
        }
        for file in files.keys() {
            assert!(
                file_module.contains_key(file),
                "{file} is in no crate: no `mod` declaration reaches it"
            );
        }

        // 2. Macros exported at the crate root, by the file defining them.
        let mut macros: BTreeMap<String, String> = BTreeMap::new();
        for (file, p) in &parsed {
            let t = &p.toks;
            for i in 0..t.len() {
                if t[i].is_ident("macro_rules")
                    && t.get(i + 1).is_some_and(|x| x.is_sym("!"))
                    && let Some(Tok::Ident(name)) = t.get(i + 2).map(|x| &x.tok)
                {
                    macros.insert(name.clone(), file.clone());
                }
            }
        }

        let ctx = Modules {
            modules: &modules,
            inline: &inline_modules,
            macros: &macros,
        };

        // 3. The paths of every file, resolved to files.
        let mut edges = BTreeMap::new();
        for (file, p) in &parsed {
            let name = &file_module[file];
            for (target, line) in ctx.targets(name, p) {
                if &target != file {
                    edges.entry((file.clone(), target)).or_insert(line);
                }
            }
        }
        Graph { edges }
    }

    /// Every set of files that reach each other, with a shortest loop through each file.
    pub(super) fn circles(&self) -> Vec<Circle> {
        let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (a, b) in self.edges.keys() {
            next.entry(a.as_str()).or_default().push(b.as_str());
            next.entry(b.as_str()).or_default();
        }
        let reach = |from: &str| -> BTreeSet<String> {
            let mut seen = BTreeSet::new();
            let mut todo = vec![from];
            while let Some(n) = todo.pop() {
                for &m in &next[n] {
                    if seen.insert(m.to_string()) {
                        todo.push(m);
                    }
                }
            }
            seen
        };
        let reached: BTreeMap<&str, BTreeSet<String>> =
            next.keys().map(|&n| (n, reach(n))).collect();
        let mut done: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        for &n in next.keys() {
            if done.contains(n) || !reached[n].contains(n) {
                continue;
            }
            let files: BTreeSet<String> = reached[n]
                .iter()
                .filter(|m| reached[m.as_str()].contains(n))
                .cloned()
                .collect();
            done.extend(files.iter().cloned());
            let mut loops: Vec<Vec<(String, usize)>> = Vec::new();
            for start in &files {
                let lp = self.shortest_loop(start, &files, &next);
                let min = lp
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, s)| &s.0)
                    .map(|(i, _)| i);
                let mut lp = lp;
                lp.rotate_left(min.unwrap_or(0));
                if !loops.contains(&lp) {
                    loops.push(lp);
                }
            }
            out.push(Circle { files, loops });
        }
        out
    }

    /// A shortest loop from `start` back to it inside `within`, each file with the line
    /// naming the next.
    fn shortest_loop(
        &self,
        start: &str,
        within: &BTreeSet<String>,
        next: &BTreeMap<&str, Vec<&str>>,
    ) -> Vec<(String, usize)> {
        let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
        let mut todo = VecDeque::from([start]);
        let mut last = None;
        'search: while let Some(n) = todo.pop_front() {
            for &m in &next[n] {
                if !within.contains(m) {
                    continue;
                }
                if m == start {
                    last = Some(n);
                    break 'search;
                }
                if !prev.contains_key(m) {
                    prev.insert(m, n);
                    todo.push_back(m);
                }
            }
        }
        let mut path = vec![start.to_string()];
        let mut n = last.expect("a circle's file is on a loop");
        while n != start {
            path.push(n.to_string());
            n = prev[n];
        }
        path[1..].reverse();
        let lines = (0..path.len()).map(|i| {
            let to = &path[(i + 1) % path.len()];
            self.edges[&(path[i].clone(), to.clone())]
        });
        path.iter()
            .cloned()
            .zip(lines.collect::<Vec<_>>())
            .collect()
    }
}

/// What the resolver knows of the crates' modules.
struct Modules<'a> {
    /// Module → the file holding it.
    modules: &'a BTreeMap<ModName, String>,
    /// Inline modules (`mod tests { … }`), which live in their parent's file.
    inline: &'a BTreeSet<ModName>,
    /// Macro name → the file defining it.
    macros: &'a BTreeMap<String, String>,
}

/// What a `use` item brings in: a name bound to a full path, or everything under a path.
enum Import {
    Name(String, ModName),
    Glob(ModName),
}

impl Modules<'_> {
    fn is_module(&self, m: &ModName) -> bool {
        self.modules.contains_key(m) || self.inline.contains(m)
    }

    /// The file of the longest prefix of `m` that is a module file.
    fn file_of(&self, m: &ModName) -> Option<String> {
        (0..=m.1.len()).rev().find_map(|n| {
            let prefix = (m.0, m.1[..n].to_vec());
            self.modules.get(&prefix).cloned()
        })
    }

    /// Every file `p` (the file of module `name`) names, with the first line naming it.
    fn targets(&self, name: &ModName, p: &Parsed) -> Vec<(String, usize)> {
        let t = &p.toks;
        // The module each token is in (the file's module plus inline modules).
        let mut scope_of = vec![Vec::new(); t.len()];
        let mut stack: Vec<Option<String>> = Vec::new();
        for (i, tok) in t.iter().enumerate() {
            scope_of[i] = stack.iter().flatten().cloned().collect::<Vec<_>>();
            if tok.is_sym("{") {
                stack.push(p.inline.get(&i).cloned());
            } else if tok.is_sym("}") {
                stack.pop();
            }
        }
        let here = |i: usize| -> ModName {
            let mut m = name.clone();
            m.1.extend(scope_of[i].iter().cloned());
            m
        };

        // `use` items first: their names are in scope for the whole module.
        let mut uses: Vec<(usize, Vec<String>, Option<String>, bool)> = Vec::new(); // (line tok, path, alias, glob)
        let mut in_use = vec![false; t.len()];
        let mut i = 0;
        while i < t.len() {
            if t[i].is_ident("use") && !t.get(i + 1).is_some_and(|x| x.is_sym("<")) {
                let start = i;
                i += 1;
                let mut items = Vec::new();
                use_tree(t, &mut i, Vec::new(), &mut items);
                while i < t.len() && !t[i].is_sym(";") {
                    i += 1;
                }
                for b in in_use.iter_mut().take(i + 1).skip(start) {
                    *b = true;
                }
                for (path, alias, glob) in items {
                    uses.push((start, path, alias, glob));
                }
            }
            i += 1;
        }
        let mut imports: BTreeMap<ModName, Vec<Import>> = BTreeMap::new();
        let mut out = Vec::new();
        // Twice: a `use` may start from a name another `use` brought in.
        for round in 0..2 {
            for (at, path, alias, glob) in &uses {
                let scope = here(*at);
                let Some(full) = self.absolute(&scope, path, &imports) else {
                    continue;
                };
                let line = t[*at].line;
                if round == 1 {
                    if (*glob || !self.is_module(&full))
                        && let Some(f) = self.target(&full)
                    {
                        out.push((f, line));
                    }
                    continue;
                }
                let entry = imports.entry(scope).or_default();
                if *glob {
                    entry.push(Import::Glob(full));
                } else if let Some(alias) = alias {
                    entry.push(Import::Name(alias.clone(), full));
                }
            }
        }

        // Paths in code.
        let mut i = 0;
        while i < t.len() {
            let starts = matches!(t[i].tok, Tok::Ident(_))
                && !in_use[i]
                && t.get(i + 1).is_some_and(|x| x.is_sym("::"))
                && !(i > 0 && t[i - 1].is_sym("::"));
            // `pub(in crate::x)` restricts visibility; it imports nothing.
            let restriction = i >= 2 && t[i - 1].is_ident("in") && t[i - 2].is_sym("(");
            if !starts || restriction {
                i += 1;
                continue;
            }
            let at = i;
            let mut path = Vec::new();
            while let Some(Tok::Ident(s)) = t.get(i).map(|x| &x.tok) {
                path.push(s.clone());
                if t.get(i + 1).is_some_and(|x| x.is_sym("::"))
                    && t.get(i + 2).is_some_and(|x| matches!(x.tok, Tok::Ident(_)))
                {
                    i += 2;
                } else {
                    break;
                }
            }
            i += 1;
            if let Some(full) = self.absolute(&here(at), &path, &imports)
                && let Some(f) = self.target(&full)
            {
                out.push((f, t[at].line));
            }
        }
        out
    }

    /// The file a full path names; a crate-root name that is an exported macro is the
    /// file defining the macro.
    fn target(&self, full: &ModName) -> Option<String> {
        if full.1.len() == 1
            && let Some(f) = self.macros.get(&full.1[0])
            && !self.is_module(full)
        {
            return Some(f.clone());
        }
        self.file_of(full)
    }

    /// `path`, written in module `scope`, as a full path; `None` for paths outside the
    /// crates (std, other crates) and for local names.
    fn absolute(
        &self,
        scope: &ModName,
        path: &[String],
        imports: &BTreeMap<ModName, Vec<Import>>,
    ) -> Option<ModName> {
        let first = path.first()?;
        let rest = |base: ModName, skip: usize| -> ModName {
            let mut m = base;
            m.1.extend(path[skip..].iter().cloned());
            m
        };
        match first.as_str() {
            "crate" | "$crate" => Some(rest((scope.0, Vec::new()), 1)),
            "phuluc" if scope.0 == Krate::Bin => Some(rest((Krate::Lib, Vec::new()), 1)),
            "self" => Some(rest(scope.clone(), 1)),
            "super" => {
                let mut base = scope.clone();
                let mut n = 0;
                while path.get(n).is_some_and(|s| s == "super") {
                    base.1.pop()?;
                    n += 1;
                }
                Some(rest(base, n))
            }
            _ => {
                // A module declared here (`mod x;` or `mod x { … }`).
                let mut child = scope.clone();
                child.1.push(first.clone());
                if self.is_module(&child) {
                    return Some(rest(scope.clone(), 0));
                }
                let here = imports.get(scope).map(Vec::as_slice).unwrap_or(&[]);
                // A name a `use` brought in.
                for imp in here {
                    if let Import::Name(alias, full) = imp
                        && alias == first
                    {
                        return Some(rest(full.clone(), 1));
                    }
                }
                // A module a `use …::*` brought in.
                for imp in here {
                    if let Import::Glob(base) = imp {
                        let mut child = base.clone();
                        child.1.push(first.clone());
                        if self.is_module(&child) {
                            return Some(rest(base.clone(), 0));
                        }
                    }
                }
                None
            }
        }
    }
}

/// Reads one `use` tree from `t[*i]`, appending (path, bound name, is glob) per leaf.
fn use_tree(
    t: &[Token],
    i: &mut usize,
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>, bool)>,
) {
    let mut path = prefix;
    while let Some(tok) = t.get(*i) {
        match &tok.tok {
            Tok::Ident(s) if s == "as" => break,
            Tok::Ident(s) => {
                path.push(s.clone());
                *i += 1;
            }
            Tok::Sym(s) if s == "::" => *i += 1,
            Tok::Sym(s) if s == "{" => {
                *i += 1;
                while *i < t.len() && !t[*i].is_sym("}") {
                    use_tree(t, i, path.clone(), out);
                    if t.get(*i).is_some_and(|x| x.is_sym(",")) {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            Tok::Sym(s) if s == "*" => {
                *i += 1;
                out.push((path, None, true));
                return;
            }
            _ => break,
        }
    }
    if path.last().is_some_and(|s| s == "self") {
        path.pop();
    }
    let mut alias = path.last().cloned();
    if t.get(*i).is_some_and(|x| x.is_ident("as")) {
        alias = match t.get(*i + 1).map(|x| &x.tok) {
            Some(Tok::Ident(a)) if a != "_" => Some(a.clone()),
            _ => None,
        };
        *i += 2;
    }
    if !path.is_empty() {
        out.push((path, alias, false));
    }
}

/// Each `mod x;` of a parsed file: the index of `x`, and the inline modules it is in.
fn declarations(p: &Parsed) -> Vec<(usize, Vec<String>)> {
    let t = &p.toks;
    let mut out = Vec::new();
    let mut stack: Vec<Option<String>> = Vec::new();
    for i in 0..t.len() {
        if t[i].is_sym("{") {
            stack.push(p.inline.get(&i).cloned());
        } else if t[i].is_sym("}") {
            stack.pop();
        } else if t[i].is_ident("mod")
            && matches!(t.get(i + 1).map(|x| &x.tok), Some(Tok::Ident(_)))
            && t.get(i + 2).is_some_and(|x| x.is_sym(";"))
        {
            out.push((i + 1, stack.iter().flatten().cloned().collect()));
        }
    }
    out
}

/// Each inline `mod x { … }`: its path inside the file.
fn inline_scopes(p: &Parsed) -> Vec<Vec<String>> {
    let t = &p.toks;
    let mut out = Vec::new();
    let mut stack: Vec<Option<String>> = Vec::new();
    for (i, tok) in t.iter().enumerate() {
        if tok.is_sym("{") {
            stack.push(p.inline.get(&i).cloned());
            if p.inline.contains_key(&i) {
                out.push(stack.iter().flatten().cloned().collect());
            }
        } else if tok.is_sym("}") {
            stack.pop();
        }
    }
    out
}
