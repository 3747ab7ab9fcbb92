//! Every library error says itself as a diagnostic in both languages: each variant of
//! each error enum, constructed here, has a Vietnamese and an English message, not
//! empty and not the same text, with hints in both languages too; its `Display` is the
//! diagnostic's Vietnamese message (one wording, not a second one).
//!
//! The `covers_*` functions match without a wildcard, so a new variant does not compile
//! until it is added to the list below.

use std::io;
use std::path::PathBuf;

use phuluc::diag::{Diagnostic, ToDiagnostic};
use phuluc::diff::git::GitError;
use phuluc::docx::DocxError;
use phuluc::fonts::{Face, FontError};
use phuluc::import::ImportError;
use phuluc::layout::LayoutError;
use phuluc::pdf::PdfError;
use phuluc::svg::SvgError;
use phuluc::xlsx::XlsxError;

fn font_errors() -> Vec<FontError> {
    let dir = PathBuf::from("/phông");
    let errors = vec![
        FontError::NotFound {
            file: "timesbd.ttf",
            face: Face::Bold,
            dir: dir.clone(),
        },
        FontError::ReadDir {
            dir: dir.clone(),
            source: io::Error::other("denied"),
        },
        FontError::Read {
            path: dir.join("times.ttf"),
            source: io::Error::other("denied"),
        },
        FontError::Invalid {
            name: "times.ttf".into(),
            reason: "no glyf table",
        },
    ];
    for e in &errors {
        covers_font(e);
    }
    errors
}

fn covers_font(e: &FontError) {
    match e {
        FontError::NotFound { .. }
        | FontError::ReadDir { .. }
        | FontError::Read { .. }
        | FontError::Invalid { .. } => {}
    }
}

/// The layout's errors, as the writers wrap them (the layout's own enum is its module's
/// to cover).
fn layout_errors() -> Vec<LayoutError> {
    vec![
        LayoutError::MissingGlyph {
            ch: '漢',
            part: "Phụ lục I".into(),
            row: Some("mục 1".into()),
            column: Some("Nhiệm vụ".into()),
            origin: None,
        },
        LayoutError::MissingGlyph {
            ch: '\u{7}',
            part: "Phụ lục I".into(),
            row: None,
            column: None,
            origin: None,
        },
        LayoutError::RowTooWide {
            part: "Phụ lục I".into(),
            row: "mục 1".into(),
            used: 7,
            columns: 5,
        },
        LayoutError::NoRoom {
            part: "Phụ lục I".into(),
        },
        LayoutError::Font(font_errors().remove(0)),
    ]
}

fn pdf_errors() -> Vec<PdfError> {
    let mut errors: Vec<PdfError> = layout_errors().into_iter().map(PdfError::from).collect();
    errors.extend(font_errors().into_iter().map(PdfError::from));
    errors.push(PdfError::Empty);
    errors.push(PdfError::PageSize {
        part: "Phụ lục II".into(),
    });
    errors.push(PdfError::Write {
        detail: "font subsetting failed".into(),
    });
    for e in &errors {
        match e {
            PdfError::Layout(_)
            | PdfError::Font(_)
            | PdfError::Empty
            | PdfError::PageSize { .. }
            | PdfError::Write { .. } => {}
        }
    }
    errors
}

fn svg_errors() -> Vec<SvgError> {
    let mut errors: Vec<SvgError> = layout_errors().into_iter().map(SvgError::from).collect();
    errors.extend(font_errors().into_iter().map(SvgError::from));
    errors.push(SvgError::Empty);
    for e in &errors {
        match e {
            SvgError::Layout(_) | SvgError::Font(_) | SvgError::Empty => {}
        }
    }
    errors
}

fn docx_errors() -> Vec<DocxError> {
    let errors = vec![
        DocxError::Empty,
        DocxError::Pack(zip::result::ZipError::FileNotFound),
        DocxError::Write(io::Error::other("disk full")),
    ];
    for e in &errors {
        match e {
            DocxError::Empty | DocxError::Pack(_) | DocxError::Write(_) => {}
        }
    }
    errors
}

fn xlsx_errors() -> Vec<XlsxError> {
    let mut errors = vec![
        XlsxError::Write(rust_xlsxwriter::XlsxError::MaxStringLengthExceeded),
        XlsxError::Write(rust_xlsxwriter::XlsxError::ParameterError("x".into())),
        XlsxError::CellTooLong {
            sheet: "Phụ lục II".into(),
            row: "mục 4.2".into(),
            column: "Nhiệm vụ".into(),
            chars: 40_000,
        },
    ];
    errors.extend(layout_errors().into_iter().map(XlsxError::from));
    for e in &errors {
        match e {
            XlsxError::Write(_) | XlsxError::CellTooLong { .. } | XlsxError::Fonts(_) => {}
        }
    }
    errors
}

fn import_errors() -> Vec<ImportError> {
    let part = || "word/document.xml".to_owned();
    let errors = vec![
        ImportError::NotZip,
        ImportError::NoDocument,
        ImportError::Encrypted,
        ImportError::OldWord,
        ImportError::TooLarge {
            limit: 256 * 1024 * 1024,
        },
        ImportError::Damaged {
            part: part(),
            reason: "bad crc".into(),
        },
        ImportError::Dtd { part: part() },
        ImportError::Xml {
            part: part(),
            reason: "1:5 unexpected end".into(),
        },
        ImportError::TooDeep { limit: 8 },
        ImportError::TooNested { limit: 256 },
    ];
    for e in &errors {
        match e {
            ImportError::NotZip
            | ImportError::NoDocument
            | ImportError::Encrypted
            | ImportError::OldWord
            | ImportError::TooLarge { .. }
            | ImportError::Damaged { .. }
            | ImportError::Dtd { .. }
            | ImportError::Xml { .. }
            | ImportError::TooDeep { .. }
            | ImportError::TooNested { .. } => {}
        }
    }
    errors
}

fn git_errors() -> Vec<GitError> {
    let file = || PathBuf::from("data/ke-hoach.yaml");
    let errors = vec![
        GitError::Revision { rev: "-x".into() },
        GitError::Open {
            file: file(),
            reason: "No such file".into(),
        },
        GitError::NotRun {
            file: file(),
            reason: "No such file".into(),
        },
        GitError::NoRepository { file: file() },
        GitError::Outside { file: file() },
        GitError::Show {
            file: file(),
            spec: "HEAD:data/ke-hoach.yaml".into(),
            message: "fatal: bad revision".into(),
        },
    ];
    for e in &errors {
        match e {
            GitError::Revision { .. }
            | GitError::Open { .. }
            | GitError::NotRun { .. }
            | GitError::NoRepository { .. }
            | GitError::Outside { .. }
            | GitError::Show { .. } => {}
        }
    }
    errors
}

/// The problems with one diagnostic, or none.
fn judge(name: &str, d: &Diagnostic, display: &str, problems: &mut Vec<String>) {
    let (vi, en) = (d.message.vi.trim(), d.message.en.trim());
    if vi.is_empty() || en.is_empty() {
        problems.push(format!("{name}: an empty message: {vi:?} / {en:?}"));
    }
    if vi == en {
        problems.push(format!("{name}: the same text in both languages: {vi:?}"));
    }
    if display != &*d.message.vi {
        problems.push(format!(
            "{name}: Display {display:?} is not the diagnostic's Vietnamese {vi:?}"
        ));
    }
    if !d.is_error() {
        problems.push(format!("{name}: not an error"));
    }
    for h in &d.hints {
        if h.vi.trim().is_empty() || h.en.trim().is_empty() || h.vi == h.en {
            problems.push(format!("{name}: a hint not in both languages: {h:?}"));
        }
    }
}

fn judge_all<E: ToDiagnostic + std::fmt::Display + std::fmt::Debug>(
    errors: &[E],
    problems: &mut Vec<String>,
) {
    for e in errors {
        judge(
            &format!("{e:?}"),
            &e.to_diagnostic(),
            &e.to_string(),
            problems,
        );
    }
}

#[test]
fn every_library_error_has_a_vietnamese_and_an_english_text() {
    let mut problems = Vec::new();
    judge_all(&font_errors(), &mut problems);
    judge_all(&pdf_errors(), &mut problems);
    judge_all(&svg_errors(), &mut problems);
    judge_all(&docx_errors(), &mut problems);
    judge_all(&xlsx_errors(), &mut problems);
    judge_all(&import_errors(), &mut problems);
    judge_all(&git_errors(), &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn docx_errors_speak_vietnamese_first() {
    // DocxError had English beside Vietnamese in one text, and no --lang choice.
    let d = DocxError::Empty.to_diagnostic();
    assert_eq!(&*d.message.vi, "tài liệu không có phụ lục nào để ghi");
    assert_eq!(&*d.message.en, "the document has no appendix to write");
}

#[test]
fn one_size_limit_message_for_a_file_and_a_git_version() {
    // The size limit had two wordings (model/load.rs, diff/mod.rs); load's is kept.
    let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
    let big = vec![b' '; 33 * 1024 * 1024];
    let name = PathBuf::from("HEAD:data/lon.yaml");
    let Err(diags) = phuluc::diff::load_bytes(&big, &name, &templates) else {
        panic!("a 33 MB version must be refused");
    };
    let file = phuluc::model::load::too_large(&name, 33 * 1024 * 1024, 32 * 1024 * 1024);
    assert_eq!(diags, [file]);
    assert_eq!(&*diags[0].message.vi, "tệp quá lớn (33 MB; tối đa 32 MB)");
}
