//! The characters XML 1.0 forbids: the one list for everything that writes or prepares
//! XML text.
//!
//! Contract: [`forbidden`] says whether a character may not stand in an XML 1.0 document
//! at all, escaped or not: the C0 controls other than tab, line feed and carriage return,
//! and the non-characters U+FFFE and U+FFFF (XML 1.0 § 2.2, `Char`). A leaf, depending
//! on nothing: the .docx and SVG writers drop these characters, and the model's
//! validation (which must not depend on a writer) replaces them and warns.

/// Whether `c` may not stand in an XML 1.0 document at all.
pub fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::forbidden;

    #[test]
    fn controls_but_tab_and_line_ends_and_two_non_characters_are_forbidden() {
        let all: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        let banned: Vec<char> = all.iter().copied().filter(|c| forbidden(*c)).collect();
        let mut expected: Vec<char> = ('\u{0}'..='\u{1F}')
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        expected.extend(['\u{FFFE}', '\u{FFFF}']);
        assert_eq!(banned, expected);
    }
}
