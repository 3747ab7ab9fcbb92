//! Where a kind's files come from: the built-in kinds compiled into the binary (see
//! `build.rs`) and the sub-folders of a `--templates` folder, read as text, not yet
//! checked.
//!
//! Contract: reading only — a folder that cannot be read, or a file that is not text,
//! is a diagnostic naming it; what the files say is [`super::check`]'s.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::text;

pub(super) mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_templates.rs"));
}

/// The heading-line templates every kind has.
pub const LINE_TEMPLATES: [&str; 3] = ["label", "title", "reference"];

/// The built-in kind whose heading templates a new kind starts from.
const DEFAULT_LINES_KIND: &str = "nhiem-vu";

/// The built-in heading template `line` ("label", "title", "reference"), as every
/// built-in kind has it: what a kind made by `import` starts from.
pub fn default_line_template(line: &str) -> Option<&'static str> {
    let name = format!("{line}.hbs");
    builtin::BUILTIN
        .iter()
        .find(|(kind, file, _)| *kind == DEFAULT_LINES_KIND && *file == name)
        .map(|(_, _, contents)| *contents)
}

/// Source files of one kind before checking.
#[derive(Default)]
pub(super) struct KindFiles {
    pub(super) dir: PathBuf,
    pub(super) files: BTreeMap<String, String>,
}

/// Reads every sub-folder of `dir` holding a `layout.yaml`.
pub(super) fn read_dir_kinds(dir: &Path) -> Result<BTreeMap<String, KindFiles>, Vec<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        vec![
            Diagnostic::error(text!(
                format!("không đọc được thư mục mẫu: {e}"),
                format!("cannot read the templates folder: {e}")
            ))
            .in_file(dir)
            .hint(text!(
                "Chỉ ra thư mục chứa các thư mục mẫu (mỗi thư mục có layout.yaml).",
                "Name the folder holding template folders (each with a layout.yaml)."
            )),
        ]
    };
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        if !path.join("layout.yaml").is_file() {
            continue;
        }
        let mut files = KindFiles {
            dir: path.clone(),
            files: BTreeMap::new(),
        };
        for name in std::iter::once("layout.yaml".to_owned())
            .chain(LINE_TEMPLATES.iter().map(|l| format!("{l}.hbs")))
        {
            let p = path.join(&name);
            if p.is_file() {
                let bytes = std::fs::read(&p).map_err(unreadable)?;
                let s = crate::model::load::decode(&bytes, &p).map_err(|d| vec![d])?;
                files.files.insert(name, s.to_owned());
            }
        }
        out.insert(entry.file_name().to_string_lossy().into_owned(), files);
    }
    Ok(out)
}
