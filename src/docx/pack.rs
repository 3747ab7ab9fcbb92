//! The zip container of a .docx: parts written one after another, deflated.
//!
//! Contract: parts are stored in the order they are given; a small part is built in
//! memory and stored or deflated whole, a large one is streamed through a
//! [`Spill`] buffer into its entry. Every entry is readable, not executable (0644), and
//! carries the zip crate's fixed 1980-01-01 date (its `time` feature is off): the same
//! parts give the same bytes.

use std::io::{Seek, Write};

use zip::CompressionMethod;
use zip::result::ZipResult;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::error::DocxError;
use super::xml::Spill;

/// Deflate level. Level 1, zlib's fastest: on a 10 000-row plan's 23 MB `document.xml`
/// it gives 2.2 MB where level 6 gives 1.5 MB, in a third to a half of the time
/// (BENCHMARKS.md) — the writer's time is mostly deflate, and a .docx a tenth of its XML is
/// small enough to mail.
const LEVEL: i64 = 1;

/// Parts smaller than this are stored: setting up a deflate stream costs more time than
/// the few hundred bytes it would save.
const DEFLATE_FROM: usize = 2048;

/// A .docx being written.
pub struct Package<W: Write + Seek> {
    zip: ZipWriter<W>,
    /// Reused for every small part.
    scratch: Vec<u8>,
}

fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644)
}

fn deflated() -> SimpleFileOptions {
    stored()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(LEVEL))
}

impl<W: Write + Seek> Package<W> {
    /// An empty package writing into `out`.
    pub fn new(out: W) -> Self {
        Package {
            zip: ZipWriter::new(out),
            scratch: Vec::with_capacity(16 * 1024),
        }
    }

    /// Adds the part `name`, built whole by `build`.
    pub fn part(&mut self, name: &str, build: impl FnOnce(&mut Vec<u8>)) -> ZipResult<()> {
        self.scratch.clear();
        build(&mut self.scratch);
        let options = if self.scratch.len() >= DEFLATE_FROM {
            deflated()
        } else {
            stored()
        };
        self.zip.start_file(name, options)?;
        self.zip.write_all(&self.scratch)?;
        Ok(())
    }

    /// Adds the part `name`, deflated, streamed by `build` through a [`Spill`] buffer.
    pub fn stream(
        &mut self,
        name: &str,
        build: impl FnOnce(&mut Spill<'_>) -> std::io::Result<()>,
    ) -> Result<(), DocxError> {
        self.zip.start_file(name, deflated())?;
        let mut spill = Spill::new(&mut self.zip);
        build(&mut spill)?;
        spill.finish()?;
        Ok(())
    }

    /// Writes the central directory and gives the output back.
    pub fn finish(self) -> ZipResult<W> {
        self.zip.finish()
    }
}
