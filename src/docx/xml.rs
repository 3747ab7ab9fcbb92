//! The few primitives every part is written with: escaping, numbers, paragraph ids, and a
//! buffer that spills into the zip entry as it fills.
//!
//! Contract: everything phuluc writes into XML goes through [`text`] or [`attr`], which
//! escape it and drop what XML 1.0 cannot carry ([`crate::xml_chars::forbidden`]), so no
//! input can make a part unreadable. Markup is written with [`raw`]. Writing into the buffer cannot fail; only [`Spill::spill`] and
//! [`Spill::finish`], which hand the bytes on, can.

use std::io::{self, Write};

use crate::xml_chars::forbidden;

/// Appends markup as it is.
#[inline]
pub fn raw(x: &mut Vec<u8>, s: &str) {
    x.extend_from_slice(s.as_bytes());
}

/// Appends an unsigned number in decimal.
#[inline]
pub fn num(x: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    x.extend_from_slice(&digits[i..]);
}

/// Appends a signed number in decimal.
#[inline]
pub fn int(x: &mut Vec<u8>, n: i64) {
    if n < 0 {
        x.push(b'-');
    }
    num(x, n.unsigned_abs());
}

/// Appends element content, escaped (`&`, `<`, `>`), without the characters XML forbids.
#[inline]
pub fn text(x: &mut Vec<u8>, s: &str) {
    escape(x, s, false);
}

/// Appends an attribute value (for `"…"`), escaped, without the characters XML forbids.
#[inline]
pub fn attr(x: &mut Vec<u8>, s: &str) {
    escape(x, s, true);
}

fn escape(x: &mut Vec<u8>, s: &str, quotes: bool) {
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, c) in s.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' if quotes => "&quot;",
            // A line end in an attribute would be normalised to a space by the reader.
            '\n' if quotes => "&#10;",
            '\r' => "",
            '\t' if quotes => "&#9;",
            c if forbidden(c) => "",
            _ => continue,
        };
        x.extend_from_slice(&bytes[from..i]);
        x.extend_from_slice(replacement.as_bytes());
        from = i + c.len_utf8();
    }
    x.extend_from_slice(&bytes[from..]);
}

/// `w14:paraId` values: unique in the document, counted from 1 in the order paragraphs
/// are written, so the same document gets the same ids (Word wants them below
/// 0x80000000; a document would need two billion paragraphs to reach that).
#[derive(Debug, Default)]
pub struct ParaIds {
    next: u32,
}

impl ParaIds {
    /// Appends ` w14:paraId="XXXXXXXX"` with the next id.
    pub fn write(&mut self, x: &mut Vec<u8>) {
        self.next += 1;
        raw(x, " w14:paraId=\"");
        hex8(x, self.next & 0x7FFF_FFFF);
        x.push(b'"');
    }
}

fn hex8(x: &mut Vec<u8>, n: u32) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in (0..8).rev() {
        x.push(HEX[((n >> (shift * 4)) & 0xF) as usize]);
    }
}

/// A buffer in front of a zip entry: parts are built into it, and it is handed on in
/// pieces of about [`Spill::CHUNK`] bytes, so a part of any size costs that much memory.
pub struct Spill<'w> {
    /// Where the markup is built.
    pub buf: Vec<u8>,
    out: &'w mut dyn Write,
}

impl<'w> Spill<'w> {
    /// How much is gathered before it is handed on: large enough that the deflater works
    /// on whole blocks, small enough not to matter in memory.
    pub const CHUNK: usize = 64 * 1024;

    /// An empty buffer in front of `out`.
    pub fn new(out: &'w mut dyn Write) -> Self {
        Spill {
            buf: Vec::with_capacity(Self::CHUNK + 8 * 1024),
            out,
        }
    }

    /// Hands the buffer on once it holds a chunk; call it between elements.
    #[inline]
    pub fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= Self::CHUNK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Hands on what is left.
    pub fn finish(mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str, quotes: bool) -> String {
        let mut x = Vec::new();
        escape(&mut x, s, quotes);
        String::from_utf8(x).unwrap_or_default()
    }

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            escaped("A & B < C > D \"E\"", false),
            "A &amp; B &lt; C &gt; D \"E\""
        );
        assert_eq!(escaped("\"Tổ\"\n\tx", true), "&quot;Tổ&quot;&#10;&#9;x");
        assert_eq!(escaped("a\u{0}b\u{B}c\u{1F}d\u{FFFE}e\re", false), "abcdee");
        assert_eq!(escaped("Việt Nam\tx", false), "Việt Nam\tx");
        assert_eq!(escaped("", false), "");
    }

    #[test]
    fn numbers_and_ids() {
        let mut x = Vec::new();
        num(&mut x, 0);
        raw(&mut x, " ");
        num(&mut x, 16838);
        raw(&mut x, " ");
        int(&mut x, -5726);
        raw(&mut x, " ");
        num(&mut x, u64::MAX);
        assert_eq!(
            String::from_utf8(x).unwrap_or_default(),
            "0 16838 -5726 18446744073709551615"
        );
        let mut ids = ParaIds::default();
        let mut x = Vec::new();
        ids.write(&mut x);
        ids.write(&mut x);
        assert_eq!(
            String::from_utf8(x).unwrap_or_default(),
            " w14:paraId=\"00000001\" w14:paraId=\"00000002\""
        );
    }
}
