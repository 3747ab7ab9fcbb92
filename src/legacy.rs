//! Legacy Vietnamese encodings: text typed with a TCVN3 (ABC) or VNI font and pasted as
//! if it were Unicode — recognised, and decoded to Unicode.
//!
//! Contract: [`legacy_encoding`] says which encoding a text looks like, if any, from the
//! characters no Vietnamese word uses; [`Legacy::decode`] converts text in that
//! encoding to NFC Unicode. Pure functions on text, knowing nothing of where the text
//! came from: the model's validation warns with them, `import` converts runs typed in
//! old-encoding fonts and `fix-encoding` rewrites a plan file.

use unicode_normalization::UnicodeNormalization;

/// Which legacy Vietnamese encoding a text looks like, if any: text typed with a
/// TCVN3 (ABC) or VNI font and pasted as if it were Unicode.
pub fn legacy_encoding(s: &str) -> Option<Legacy> {
    // Characters no Vietnamese word uses, which those encodings put in place of its
    // letters: TCVN3 uses the Latin-1 symbols block, VNI puts umlauted letters after a
    // plain vowel ("Vieät").
    // `matches!` rather than `str::contains`: this runs on every text of the plan, and a
    // jump table is several times faster than scanning a string per character.
    fn tcvn3_symbol(c: char) -> bool {
        matches!(
            c,
            '¸' | 'µ'
                | '¶'
                | '·'
                | '¹'
                | '¨'
                | '©'
                | 'ª'
                | '«'
                | '¬'
                | '®'
                | '¯'
                | '°'
                | '±'
                | '²'
                | '³'
                | '´'
                | '½'
                | '¾'
                | '¼'
                | 'ß'
                | 'Þ'
                | 'ø'
                | 'æ'
                | 'ç'
                | 'Æ'
                | 'Ç'
                | '×'
                | '¡'
                | '¢'
                | '£'
                | '¤'
                | '¥'
                | '¦'
                | '§'
        )
    }
    fn vni_mark(c: char) -> bool {
        matches!(
            c,
            'ä' | 'ë' | 'ï' | 'ö' | 'ü' | 'å' | 'Ä' | 'Ë' | 'Ï' | 'Ö' | 'Ü' | 'Å' | 'ø' | 'Õ'
        )
    }
    fn plain_vowel(c: char) -> bool {
        matches!(
            c,
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'A' | 'E' | 'I' | 'O' | 'U' | 'Y'
        )
    }
    // Every such character is in Latin-1 Supplement (two UTF-8 bytes led by 0xC2 or 0xC3);
    // most Vietnamese text has few of them, so one byte scan settles most texts.
    if !s.bytes().any(|b| b == 0xC2 || b == 0xC3) {
        return None;
    }
    let tcvn3 = s.chars().filter(|&c| tcvn3_symbol(c)).count();
    let vni = s
        .chars()
        .zip(s.chars().skip(1))
        .filter(|&(a, b)| plain_vowel(a) && vni_mark(b))
        .count();
    if tcvn3 == 0 && vni == 0 {
        None
    } else if tcvn3 >= vni {
        Some(Legacy::Tcvn3)
    } else {
        Some(Legacy::Vni)
    }
}

/// A legacy Vietnamese encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN3 (ABC), fonts named .VnTime etc.
    Tcvn3,
    /// VNI Windows, fonts named VNI-Times etc.
    Vni,
}

impl Legacy {
    /// The name `fix-encoding --from` takes.
    pub fn flag(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "tcvn3",
            Legacy::Vni => "vni",
        }
    }

    /// Converts text in this encoding to Unicode (NFC).
    pub fn decode(self, s: &str) -> String {
        let charset = match self {
            Legacy::Tcvn3 => bamboo_core::Charset::Tcvn3,
            Legacy::Vni => bamboo_core::Charset::VniWindows,
        };
        bamboo_core::decode_charset(charset, s).nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_encodings_are_recognised_and_decoded() {
        assert_eq!(
            legacy_encoding("Céng hßa x· héi chñ nghÜa ViÖt Nam"),
            Some(Legacy::Tcvn3)
        );
        assert_eq!(Legacy::Tcvn3.decode("Céng hßa"), "Cộng hòa");
        assert_eq!(legacy_encoding("Vieät Nam"), Some(Legacy::Vni));
        assert_eq!(Legacy::Vni.decode("Vieät Nam"), "Việt Nam");
        assert_eq!(
            legacy_encoding("Cộng hòa xã hội chủ nghĩa Việt Nam; “Dân vận khéo”…"),
            None
        );
        assert_eq!(
            legacy_encoding("Phòng Văn hóa - Xã hội, Hằng năm, Ủy ban"),
            None
        );
    }
}
