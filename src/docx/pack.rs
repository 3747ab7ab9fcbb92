//! Packs the XML parts of a .docx into its zip container, deflated.
//!
//! Contract: the same parts, names and order as docx-rs's own packer, but the parts of
//! 2 KiB and more deflated (docx-rs stores every part uncompressed, which makes a .docx
//! five to ten times the size Word would write) and every part readable, not executable
//! (0644). No timestamps beyond the
//! zip crate's fixed 1980-01-01 (its `time` feature is off): same parts, same bytes.

use std::io::{Seek, Write};

use docx_rs::XMLDocx;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

/// Deflate level: 6 is zlib's balance of size and speed; higher levels save little on
/// XML this repetitive and cost much more time.
const LEVEL: i64 = 6;

/// Parts smaller than this are stored: setting up a deflate stream costs more time than
/// the few hundred bytes it would save.
const DEFLATE_FROM: usize = 2048;

/// Writes `parts` as a .docx archive into `w`.
pub fn pack<W: Write + Seek>(w: W, parts: XMLDocx) -> zip::result::ZipResult<()> {
    let mut zip = ZipWriter::new(w);
    let dirs = SimpleFileOptions::default();
    for dir in ["word/", "word/_rels", "_rels/", "docProps/"] {
        zip.add_directory(dir, dirs)?;
    }
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644);
    let deflated = stored
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(LEVEL));
    let file = |zip: &mut ZipWriter<W>, name: &str, bytes: &[u8]| {
        let options = if bytes.len() >= DEFLATE_FROM {
            deflated
        } else {
            stored
        };
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
        Ok::<(), zip::result::ZipError>(())
    };
    file(&mut zip, "[Content_Types].xml", &parts.content_type)?;
    file(&mut zip, "_rels/.rels", &parts.rels)?;
    file(&mut zip, "docProps/app.xml", &parts.doc_props.app)?;
    file(&mut zip, "docProps/core.xml", &parts.doc_props.core)?;
    file(&mut zip, "docProps/custom.xml", &parts.doc_props.custom)?;
    file(
        &mut zip,
        "word/_rels/document.xml.rels",
        &parts.document_rels,
    )?;
    file(&mut zip, "word/document.xml", &parts.document)?;
    file(&mut zip, "word/styles.xml", &parts.styles)?;
    file(&mut zip, "word/settings.xml", &parts.settings)?;
    file(&mut zip, "word/fontTable.xml", &parts.font_table)?;
    file(&mut zip, "word/comments.xml", &parts.comments)?;
    file(&mut zip, "word/numbering.xml", &parts.numberings)?;
    file(
        &mut zip,
        "word/commentsExtended.xml",
        &parts.comments_extended,
    )?;
    file(&mut zip, "word/footnotes.xml", &parts.footnotes)?;
    for (i, header) in parts.headers.iter().enumerate() {
        file(&mut zip, &format!("word/header{}.xml", i + 1), header)?;
        if let Some(rels) = parts.header_rels.get(i) {
            file(
                &mut zip,
                &format!("word/_rels/header{}.xml.rels", i + 1),
                rels,
            )?;
        }
    }
    for (i, footer) in parts.footers.iter().enumerate() {
        file(&mut zip, &format!("word/footer{}.xml", i + 1), footer)?;
        if let Some(rels) = parts.footer_rels.get(i) {
            file(
                &mut zip,
                &format!("word/_rels/footer{}.xml.rels", i + 1),
                rels,
            )?;
        }
    }
    // phuluc writes no images, task panes or custom XML; were docx-rs to produce them,
    // dropping them silently would be worse than a larger file, so they are kept.
    if !parts.media.is_empty() {
        zip.add_directory("word/media/", dirs)?;
        for (name, bytes) in &parts.media {
            file(&mut zip, &format!("word/media/{name}.png"), bytes)?;
        }
    }
    if let Some(taskpanes) = &parts.taskpanes {
        zip.add_directory("word/webextensions/", dirs)?;
        file(&mut zip, "word/webextensions/taskpanes.xml", taskpanes)?;
        zip.add_directory("word/webextensions/_rels", dirs)?;
        file(
            &mut zip,
            "word/webextensions/_rels/taskpanes.xml.rels",
            &parts.taskpanes_rels,
        )?;
        for (i, ext) in parts.web_extensions.iter().enumerate() {
            file(
                &mut zip,
                &format!("word/webextensions/webextension{}.xml", i + 1),
                ext,
            )?;
        }
    }
    if !parts.custom_items.is_empty() {
        zip.add_directory("customXml/_rels", dirs)?;
    }
    for (i, item) in parts.custom_items.iter().enumerate() {
        let n = i + 1;
        if let Some(rels) = parts.custom_item_rels.get(i) {
            file(&mut zip, &format!("customXml/_rels/item{n}.xml.rels"), rels)?;
        }
        file(&mut zip, &format!("customXml/item{n}.xml"), item)?;
        if let Some(props) = parts.custom_item_props.get(i) {
            file(&mut zip, &format!("customXml/itemProps{n}.xml"), props)?;
        }
    }
    zip.finish()?;
    Ok(())
}
