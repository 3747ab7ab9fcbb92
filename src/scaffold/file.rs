//! The whole of `phuluc new`, short of writing: the list of kinds when no kind is asked
//! for, else the new plan's text, where it goes and what to tell the clerk once written.
//!
//! Contract: [`new_file`] writes and prints nothing. It refuses an existing file without
//! `force` ([`NewFailure::Tool`], so nothing is overwritten by surprise), and an unknown
//! kind ([`NewFailure::Input`], with the closest name). The closing lines name the next
//! steps (`preview`, `check`) with the path quoted as the clerk would type it.

use std::path::{Path, PathBuf};

use super::{Options, ScaffoldError, kinds, kinds_text, new_plan, quoted};
use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, Lang, Text, ToDiagnostic};
use crate::text;

/// What to make.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The kind; `None`: list the kinds.
    pub kind: Option<&'a str>,
    /// Where the plan goes; `None`: [`DEFAULT_OUTPUT`].
    pub output: Option<&'a Path>,
    /// The `--templates DIR` the templates were loaded from, if any (named in the file's
    /// comments and the commands suggested).
    pub templates_dir: Option<&'a Path>,
    /// Overwrite an existing file.
    pub force: bool,
    /// The plan's year.
    pub year: u16,
}

/// Where a new plan goes when no `-o` is given.
pub const DEFAULT_OUTPUT: &str = "data/ke-hoach-moi.yaml";

/// What `new` hands back.
#[derive(Debug)]
pub enum Made {
    /// No kind asked for: the list of kinds and their columns, for stdout.
    List(Text),
    /// A plan to write.
    Plan(NewPlan),
}

/// A new plan, ready to be written.
#[derive(Debug)]
pub struct NewPlan {
    /// Where it goes.
    pub output: PathBuf,
    /// The file's text.
    pub yaml: String,
    /// To print once written: what was written and the next steps.
    pub lines: Vec<Text>,
}

/// Why no plan was made.
#[derive(Debug)]
pub enum NewFailure {
    /// The request names no kind there is.
    Input(Vec<Diagnostic>),
    /// The output exists and `force` was not given.
    Tool(Vec<Diagnostic>),
}

/// `phuluc new` with `templates` loaded.
pub fn new_file(request: &Request, templates: &Templates) -> Result<Made, NewFailure> {
    let dir = request.templates_dir.map(|d| d.display().to_string());
    let Some(kind) = request.kind else {
        let kinds = kinds(templates);
        return Ok(Made::List(Text::new(
            kinds_text(&kinds, dir.as_deref(), Lang::Vi),
            kinds_text(&kinds, dir.as_deref(), Lang::En),
        )));
    };
    let options = Options {
        year: request.year,
        templates_dir: dir.clone(),
    };
    let yaml = new_plan(templates, kind, &options).map_err(NewFailure::Input)?;
    let output = request
        .output
        .map_or_else(|| PathBuf::from(DEFAULT_OUTPUT), Path::to_path_buf);
    if output.exists() && !request.force {
        let refusal = ScaffoldError::Exists {
            path: output.clone(),
        };
        return Err(NewFailure::Tool(vec![refusal.to_diagnostic()]));
    }
    let file = quoted(&output.display().to_string());
    let extra = dir.map_or_else(String::new, |d| format!(" --templates {}", quoted(&d)));
    let lines = vec![
        text!(
            format!("đã ghi {}", output.display()),
            format!("wrote {}", output.display())
        ),
        text!(
            format!(
                "Bước tiếp: điền các chỗ trống (\"\" và ~) rồi xem trước: phuluc preview {file}{extra}"
            ),
            format!(
                "Next: fill in the blanks (\"\" and ~), then preview: phuluc preview {file}{extra}"
            )
        ),
        text!(
            format!("Còn thiếu gì: phuluc check {file}{extra}"),
            format!("What is still missing: phuluc check {file}{extra}")
        ),
    ];
    Ok(Made::Plan(NewPlan {
        output,
        yaml,
        lines,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(kind: Option<&'a str>, output: &'a Path, force: bool) -> Request<'a> {
        Request {
            kind,
            output: Some(output),
            templates_dir: None,
            force,
            year: 2026,
        }
    }

    #[test]
    fn an_existing_file_is_refused_without_force_and_replaced_with_it() {
        let templates = Templates::builtin().expect("built-in templates");
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("có sẵn.yaml");
        std::fs::write(&out, "giữ nguyên\n").expect("write");
        match new_file(&request(Some("nhiem-vu"), &out, false), &templates) {
            Err(NewFailure::Tool(d)) => {
                assert!(d[0].message.vi.contains("tệp đã có"), "{d:?}");
                assert!(d[0].hints[0].en.contains("--force"), "{d:?}");
            }
            other => panic!("{other:?}"),
        }
        match new_file(&request(Some("nhiem-vu"), &out, true), &templates) {
            Ok(Made::Plan(plan)) => {
                assert_eq!(plan.output, out);
                assert!(plan.yaml.contains("nhiem-vu"), "{}", plan.yaml);
                let next = &plan.lines[1].vi;
                assert!(
                    next.contains(&format!("phuluc preview \"{}\"", out.display())),
                    "{next}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_kind_lists_the_kinds_and_an_unknown_kind_is_the_inputs_fault() {
        let templates = Templates::builtin().expect("built-in templates");
        let out = Path::new("không-ghi.yaml");
        match new_file(&request(None, out, false), &templates) {
            Ok(Made::List(list)) => {
                for kind in ["muc-tieu", "nhiem-vu", "kinh-phi"] {
                    assert!(list.vi.contains(kind) && list.en.contains(kind), "{list:?}");
                }
            }
            other => panic!("{other:?}"),
        }
        match new_file(&request(Some("nhiem-vuu"), out, false), &templates) {
            Err(NewFailure::Input(d)) => assert!(d[0].hints[0].vi.contains("nhiem-vu"), "{d:?}"),
            other => panic!("{other:?}"),
        }
    }
}
