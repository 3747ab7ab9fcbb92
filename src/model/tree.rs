//! A YAML document as a generic tree of nodes with positions.
//!
//! Contract: parsing stops only at YAML *syntax* errors (and safety budgets); everything
//! about meaning — unknown or missing fields, wrong types, duplicate keys — is left to
//! `validate`, which walks this tree and reports every problem at once with its
//! line:column. Duplicate keys are kept (in order) so they can be reported, not lost.
//!
//! Each node and key keeps where the parser saw it (`pos`, `span`: a block scalar starts
//! at its content there, and a collection is a point) and, once [`super::spans::locate`]
//! has read the text, its exact `origin`: the byte range of the value as written.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diag::{Pos, Span};

/// One node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Start of the node in the file.
    pub pos: Option<Pos>,
    /// Byte range of the node's source text (for scalars: as written, with quotes), when
    /// the parser knows it; `fix-encoding` rewrites exactly these bytes. Given as
    /// (start, length).
    pub span: Option<(usize, usize)>,
    /// The exact byte range of the value as written — a block scalar from its `|` or `>`
    /// to its last character, a collection from its first byte to its last — and the
    /// line:column of its first byte; `None` for a value that is not written (`key:`
    /// with nothing after it). Set by [`super::spans::locate`].
    pub origin: Option<Span>,
    /// What it is.
    pub kind: Kind,
}

/// The shape of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `~`, `null` or nothing.
    Null,
    /// A scalar; numbers and booleans keep their text, with what YAML took them for.
    Scalar(String, ScalarType),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, entries in file order, duplicates kept.
    Map(Vec<(Key, Node)>),
}

/// What YAML resolved a scalar to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    /// Text.
    Str,
    /// An integer.
    Int,
    /// A float.
    Float,
    /// `true` / `false`.
    Bool,
}

/// A mapping key and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key's text.
    pub name: String,
    /// Where the key is.
    pub pos: Option<Pos>,
    /// Byte range of the key's text as the parser reports it, (start, length).
    pub span: Option<(usize, usize)>,
    /// The exact byte range of the key as written (set by [`super::spans::locate`]).
    pub origin: Option<Span>,
}

impl Node {
    /// The Vietnamese and English names of what this node is, for "found …" messages.
    pub fn describe(&self) -> (&'static str, &'static str) {
        match &self.kind {
            Kind::Null => ("giá trị rỗng", "an empty value"),
            Kind::Scalar(..) => ("một giá trị đơn", "a single value"),
            Kind::Seq(_) => ("một danh sách", "a list"),
            Kind::Map(_) => ("một khối “khóa: giá trị”", "a “key: value” block"),
        }
    }
}

/// A 1-based position from a saphyr location.
pub fn pos_of(loc: serde_saphyr::Location) -> Option<Pos> {
    (loc.line() > 0).then(|| Pos {
        line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
        column: u32::try_from(loc.column()).unwrap_or(u32::MAX).max(1),
    })
}

/// The node as deserialized, before its position is attached.
struct Raw(Kind);

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Raw>::deserialize(d)?;
        let span = spanned.referenced.span();
        let span = match (span.byte_offset(), span.byte_len()) {
            (Some(start), Some(len)) => usize::try_from(start).ok().zip(usize::try_from(len).ok()),
            _ => None,
        };
        Ok(Node {
            pos: pos_of(spanned.referenced),
            span,
            origin: None,
            kind: spanned.value.0,
        })
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let node = Node::deserialize(d)?;
        let name = match node.kind {
            Kind::Scalar(s, _) => s,
            Kind::Null => String::new(),
            // A list or block used as a key: keep a marker name the validator reports.
            Kind::Seq(_) | Kind::Map(_) => "[…]".to_owned(),
        };
        Ok(Key {
            name,
            pos: node.pos,
            span: node.span,
            origin: None,
        })
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw(Kind::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw(Kind::Null))
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw(Kind::Scalar(v.to_owned(), ScalarType::Str)))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw(Kind::Scalar(v, ScalarType::Str)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw(Kind::Scalar(v.to_string(), ScalarType::Int)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw(Kind::Scalar(v.to_string(), ScalarType::Int)))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw(Kind::Scalar(v.to_string(), ScalarType::Int)))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw(Kind::Scalar(v.to_string(), ScalarType::Int)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw(Kind::Scalar(v.to_string(), ScalarType::Float)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw(Kind::Scalar(v.to_string(), ScalarType::Bool)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Raw(Kind::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key::<Key>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Raw(Kind::Map(entries)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Node {
        match serde_saphyr::from_str::<Node>(src) {
            Ok(n) => n,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn scalar_spans_cover_the_source_text() {
        let src = "a: Céng hßa\nb: \"Vieät\"\nc:\n  - x\n";
        let root = parse(src);
        let Kind::Map(entries) = &root.kind else {
            panic!("map")
        };
        let spans: Vec<&str> = entries
            .iter()
            .filter_map(|(_, n)| n.span.map(|(s, l)| &src[s..s + l]))
            .collect();
        assert_eq!(spans[0], "Céng hßa");
        assert_eq!(spans[1], "\"Vieät\"");
        assert_eq!(entries[0].0.pos, Some(Pos { line: 1, column: 1 }));
        assert_eq!(entries[1].1.pos, Some(Pos { line: 2, column: 4 }));
    }
}
