//! Integration tests: one binary driving the fixtures under `tests/fixtures/`.
//! Outputs are judged by independent readers (unzip + XML parser, LibreOffice, poppler).

mod agencies;
mod amounts;
mod architecture;
mod batch;
mod browser;
mod check;
mod common;
mod diagnostics;
mod diff;
mod docx;
mod docx_schema;
mod editor;
mod errors;
mod export;
mod fix_encoding;
mod fuzz_regressions;
mod import;
mod import_template;
mod import_writers;
mod kinh_phi;
mod pdf;
mod preview;
mod properties;
mod safe_writes;
mod spans;
mod svg;
mod templates;
mod xlsx;
