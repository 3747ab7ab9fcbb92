//! The plan model: what a YAML plan file means, validated and normalised.
//!
//! Contract: [`load`] reads a file into a generic [`tree`] of nodes with positions and
//! exact origins ([`spans`]; YAML syntax errors become diagnostics with file:line:column); [`validate`] walks it, checks
//! it against the row fields each template declares, and returns a clean [`Plan`] (the
//! types of [`plan`]) and every problem found — NFC text, explicit structure
//! (every appendix has sections, every section groups), no numbers computed yet; each
//! block keeps its origin and its keys' ([`Origins`]), for compose to hand on. The
//! model knows nothing of .docx, PDF or layout. This file only names the rooms and
//! re-exports what callers use; the rooms use each other directly, never through it.

pub mod check;
pub mod fields;
pub mod load;
pub mod plan;
pub mod schema;
pub mod spans;
pub mod tree;
pub mod validate;

pub use fields::{FieldKind, FieldsLookup, RowFields};
pub use load::{LoadOptions, load_file, parse_str};
pub use plan::{Appendix, Date, Decimal, Field, Group, Item, Origins, Plan, PlanMeta, Section};
pub use validate::validate;
