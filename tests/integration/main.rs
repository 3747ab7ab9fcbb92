//! Integration tests: one binary driving the fixtures under `tests/fixtures/`.
//! Outputs are judged by independent readers (unzip + XML parser, LibreOffice, poppler).

mod agencies;
mod amounts;
mod architecture;
mod batch;
mod browser;
mod check;
mod cli_docs;
mod common;
mod diagnostics;
mod diff;
mod doctor;
mod docx;
mod docx_schema;
mod errors;
mod export;
mod fix_encoding;
mod fuzz_regressions;
mod import;
mod import_template;
mod import_writers;
mod kinh_phi;
mod new_plan;
mod paths;
mod pdf;
mod preview;
mod properties;
mod release;
mod report;
mod safe_writes;
mod serve;
mod serve_reload;
mod spans;
mod svg;
mod templates;
mod xlsx;
