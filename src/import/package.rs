//! The .docx container: a zip of XML parts, opened with every bound a hostile file needs.
//!
//! Contract: [`Package::read`] takes the file's bytes and returns the main document part
//! and the style, numbering and custom XML data parts (when present) as text, or an
//! [`ImportError`]. Before anything is
//! inflated, the sizes the central directory declares are added up and checked against
//! [`Limits::max_total`]; while inflating, each part is read through a counter so an
//! entry that lies about its size is stopped at the same bound. OLE compound files
//! (Word 97–2003, or an encrypted OOXML package, which Word also wraps in OLE) are named
//! for what they are. XML is parsed with DTDs refused: entity declarations are never
//! expanded.

use std::io::{Cursor, Read};

use super::ImportError;

/// The bounds a package is read under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most bytes all entries together may inflate to. A 100 000-row appendix is
    /// some 350 MB of XML; nothing real comes near 512 MiB.
    pub max_total: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total: 512 * 1024 * 1024,
        }
    }
}

/// Namespaces of the package relationships, Transitional and Strict.
const REL_OFFICE_DOCUMENT: [&str; 2] = [
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
];
const REL_NUMBERING: [&str; 2] = [
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/numbering",
];
const REL_CUSTOM_XML: [&str; 2] = [
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/customXml",
];
const REL_STYLES: [&str; 2] = [
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/styles",
];

/// The OLE compound file signature (Word 97–2003, and encrypted OOXML).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The parts import reads, inflated.
#[derive(Debug, Clone)]
pub struct Package {
    /// The main document part's name, e.g. `word/document.xml`.
    pub document_name: String,
    /// The main document part's text.
    pub document: String,
    /// The style part (`word/styles.xml`), when the package has one.
    pub styles: Option<String>,
    /// The numbering part (`word/numbering.xml`), when the package has one.
    pub numbering: Option<String>,
    /// The custom XML data parts the main document names (`customXml/item1.xml` …), as
    /// (part name, text): where phuluc's own .docx keeps its agency names.
    pub custom: Vec<(String, String)>,
}

impl Package {
    /// Reads a .docx from its bytes under the default [`Limits`].
    pub fn read(bytes: &[u8]) -> Result<Package, ImportError> {
        Package::read_with(bytes, Limits::default())
    }

    /// Reads a .docx from its bytes under `limits`.
    pub fn read_with(bytes: &[u8], limits: Limits) -> Result<Package, ImportError> {
        if bytes.starts_with(&OLE_MAGIC) {
            return Err(ole_kind(bytes));
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ImportError::NotZip)?;
        // The central directory's own account first: a bomb is refused before one byte
        // is inflated.
        let mut declared: u64 = 0;
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| ImportError::Damaged {
                part: format!("#{i}"),
                reason: e.to_string(),
            })?;
            if entry.encrypted() {
                return Err(ImportError::Encrypted);
            }
            declared = declared.saturating_add(entry.size());
        }
        if declared > limits.max_total {
            return Err(ImportError::TooLarge {
                limit: limits.max_total,
            });
        }
        let mut budget = limits.max_total;
        let mut read_part = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| {
            read_entry(zip, name, &mut budget, limits.max_total)
        };
        let document_name = match read_part(&mut zip, "_rels/.rels")? {
            Some(rels) => target_of(&rels, "_rels/.rels", &REL_OFFICE_DOCUMENT, "")?
                .unwrap_or_else(|| "word/document.xml".to_owned()),
            None => "word/document.xml".to_owned(),
        };
        let Some(document) = read_part(&mut zip, &document_name)? else {
            return Err(ImportError::NoDocument);
        };
        let (dir, file) = match document_name.rsplit_once('/') {
            Some((d, f)) => (format!("{d}/"), f.to_owned()),
            None => (String::new(), document_name.clone()),
        };
        let rels_name = format!("{dir}_rels/{file}.rels");
        let rels = read_part(&mut zip, &rels_name)?;
        let part_of = |types: &[&str], default: &str| -> Result<String, ImportError> {
            Ok(match &rels {
                Some(rels) => target_of(rels, &rels_name, types, &dir)?,
                None => None,
            }
            .unwrap_or_else(|| format!("{dir}{default}")))
        };
        let styles_name = part_of(&REL_STYLES, "styles.xml")?;
        let numbering_name = part_of(&REL_NUMBERING, "numbering.xml")?;
        let styles = read_part(&mut zip, &styles_name)?;
        let numbering = read_part(&mut zip, &numbering_name)?;
        let custom_names = match &rels {
            Some(rels) => targets_of(rels, &rels_name, &REL_CUSTOM_XML, &dir)?,
            None => Vec::new(),
        };
        let mut custom = Vec::new();
        // Bounded by the package's size budget like every other part; a few suffice.
        for name in custom_names.into_iter().take(16) {
            if let Some(text) = read_part(&mut zip, &name)? {
                custom.push((name, text));
            }
        }
        Ok(Package {
            document_name,
            document,
            styles,
            numbering,
            custom,
        })
    }
}

/// An OLE file: encrypted OOXML carries an `EncryptionInfo` stream (its directory names
/// are UTF-16LE); anything else is taken for a Word 97–2003 document.
fn ole_kind(bytes: &[u8]) -> ImportError {
    let needle: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
        ImportError::Encrypted
    } else {
        ImportError::OldWord
    }
}

/// Inflates the entry `name` as text, or `None` when the package has no such entry.
/// `budget` is what is left of the total bound; reading never goes past it, whatever
/// the entry's header says.
fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
    limit: u64,
) -> Result<Option<String>, ImportError> {
    let Some(index) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let entry = zip.by_index(index).map_err(|e| damaged(name, &e))?;
    let mut bytes = Vec::new();
    entry
        .take(budget.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| damaged(name, &e))?;
    let len = bytes.len() as u64;
    if len > *budget {
        return Err(ImportError::TooLarge { limit });
    }
    *budget -= len;
    decode(name, bytes).map(Some)
}

fn damaged(name: &str, e: &dyn std::fmt::Display) -> ImportError {
    ImportError::Damaged {
        part: name.to_owned(),
        reason: e.to_string(),
    }
}

/// XML text from a part's bytes: UTF-8 (with or without a byte-order mark) or UTF-16 with
/// its mark, as the XML specification allows.
fn decode(name: &str, bytes: Vec<u8>) -> Result<String, ImportError> {
    let utf16 = |b: &[u8], le: bool| {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).ok()
    };
    let text = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).ok(),
        _ => String::from_utf8(bytes).ok(),
    };
    text.ok_or_else(|| ImportError::Xml {
        part: name.to_owned(),
        reason: "không phải UTF-8/UTF-16 (not UTF-8/UTF-16)".to_owned(),
    })
}

/// Parses a part's XML with DTDs refused and a node bound proportional to any real file.
pub fn parse<'a>(name: &str, text: &'a str) -> Result<roxmltree::Document<'a>, ImportError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 50_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => ImportError::Dtd {
            part: name.to_owned(),
        },
        other => ImportError::Xml {
            part: name.to_owned(),
            reason: other.to_string(),
        },
    })
}

/// The target of the first relationship of one of `types` in a relationships part,
/// resolved against `base` (the folder of the part the relationships belong to).
fn target_of(
    rels: &str,
    name: &str,
    types: &[&str],
    base: &str,
) -> Result<Option<String>, ImportError> {
    Ok(targets_of(rels, name, types, base)?.into_iter().next())
}

/// The targets of every relationship of one of `types`, in order, as [`target_of`].
fn targets_of(
    rels: &str,
    name: &str,
    types: &[&str],
    base: &str,
) -> Result<Vec<String>, ImportError> {
    let doc = parse(name, rels)?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("Relationship"))
        .filter(|n| n.attribute("Type").is_some_and(|t| types.contains(&t)))
        .filter_map(|n| n.attribute("Target"))
        .map(|t| resolve(base, t))
        .collect())
}

/// A relationship target as a zip entry name: absolute (`/word/x.xml`) or relative to
/// `base`, with `.` and `..` segments resolved.
fn resolve(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_part_folder() {
        assert_eq!(resolve("word/", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve("word/", "/word/styles.xml"), "word/styles.xml");
        assert_eq!(resolve("word/", "../customXml/a.xml"), "customXml/a.xml");
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
    }

    #[test]
    fn utf16_parts_are_read() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("<a>ệ</a>".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode("x", bytes).ok().as_deref(), Some("<a>ệ</a>"));
        assert!(decode("x", vec![0xC3]).is_err());
    }
}
