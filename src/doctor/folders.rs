//! The folders phuluc works with: `output/`, which must be writable, and the templates
//! folder, whose kinds must load clean.

use std::path::{Path, PathBuf};

use super::check::{Check, Need};
use crate::compose::templates::Templates;
use crate::diag::Lang;
use crate::model::fields::FieldsLookup;
use crate::text;

/// Whether phuluc can write its documents into `dir` (`output/`): a file is created and
/// removed there — or, when the folder does not exist yet, in the folder that will hold it.
pub fn output_folder(dir: &Path) -> Check {
    let title = text!(
        "Thư mục output/ (nơi ghi .docx, PDF)",
        "The output/ folder (where .docx and PDF go)"
    );
    let (probe, exists) = if dir.is_dir() {
        (dir.to_path_buf(), true)
    } else if dir.exists() {
        return Check {
            need: Need::Core,
            ok: false,
            title,
            detail: text!(
                format!("{} là một tệp, không phải thư mục", dir.display()),
                format!("{} is a file, not a folder", dir.display())
            ),
            fix: Some(text!(
                "cách sửa: đổi tên hoặc xóa tệp đó, hoặc ghi nơi khác bằng -o THƯ-MỤC",
                "to fix: rename or delete that file, or write elsewhere with -o DIR"
            )),
            notes: Vec::new(),
        };
    } else {
        (
            dir.parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            false,
        )
    };
    match tempfile::Builder::new()
        .prefix(".phuluc-doctor-")
        .tempfile_in(&probe)
    {
        Ok(_) => Check {
            need: Need::Core,
            ok: true,
            title,
            detail: if exists {
                text!(
                    format!("ghi được vào {}", dir.display()),
                    format!("{} is writable", dir.display())
                )
            } else {
                text!(
                    format!("chưa có; sẽ được tạo trong {} (ghi được)", probe.display()),
                    format!(
                        "not there yet; it will be made in {} (writable)",
                        probe.display()
                    )
                )
            },
            fix: None,
            notes: Vec::new(),
        },
        Err(e) => Check {
            need: Need::Core,
            ok: false,
            title,
            detail: text!(
                format!("không ghi được vào {} ({e})", probe.display()),
                format!("cannot write into {} ({e})", probe.display())
            ),
            fix: Some(text!(
                "cách sửa: chạy phuluc trong một thư mục mình có quyền ghi (ví dụ Documents), hoặc ghi nơi khác bằng -o THƯ-MỤC",
                "to fix: run phuluc in a folder you may write to (e.g. Documents), or write elsewhere with -o DIR"
            )),
            notes: Vec::new(),
        },
    }
}

/// The appendix kinds: the built-in ones and those of the templates folder, loading
/// clean.
pub fn templates(dir: Option<&Path>, cwd: &Path) -> Check {
    let title = text!("Các mẫu phụ lục", "Appendix templates");
    let full = dir.map(|d| {
        if d.is_absolute() {
            d.to_path_buf()
        } else {
            cwd.join(d)
        }
    });
    match Templates::load(full.as_deref()) {
        Ok(t) => {
            let kinds = t.kinds();
            let list = kinds.join(", ");
            let from = dir.map_or_else(
                || ("có sẵn".to_owned(), "built in".to_owned()),
                |d| {
                    (
                        format!("có sẵn và trong {}", d.display()),
                        format!("built in and in {}", d.display()),
                    )
                },
            );
            Check {
                need: Need::Core,
                ok: true,
                title,
                detail: text!(
                    format!("{} loại ({}), đọc không lỗi: {list}", kinds.len(), from.0),
                    format!("{} kinds ({}), all load clean: {list}", kinds.len(), from.1)
                ),
                fix: None,
                notes: Vec::new(),
            }
        }
        Err(diags) => Check {
            need: Need::Core,
            ok: false,
            title,
            detail: text!(
                format!("{} lỗi khi đọc mẫu", diags.len()),
                format!("{} problem(s) loading the templates", diags.len())
            ),
            fix: Some(text!(
                "cách sửa: sửa các lỗi ghi trên (tệp:dòng:cột), hoặc bỏ --templates",
                "to fix: fix the problems above (file:line:column), or drop --templates"
            )),
            notes: diags
                .iter()
                .take(5)
                .map(|d| text!(d.render(Lang::Vi), d.render(Lang::En)))
                .collect(),
        },
    }
}
