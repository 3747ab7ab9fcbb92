//! The heading lines above an appendix's table: the “PHỤ LỤC I” label, the title, and the
//! “(Kèm theo …)” reference line (read by `reference`), as the recogniser gathers them.

/// The heading lines before a table.
#[derive(Default)]
pub(super) struct Heading {
    pub(super) label: Option<String>,
    pub(super) title: Vec<String>,
    pub(super) reference: Option<String>,
    /// The font size of the "PHỤ LỤC" line (else of the first title line), for a
    /// template made from the table.
    pub(super) size_pt: Option<f32>,
    /// Whether the title shared the label's paragraph (“PHỤ LỤC I. HỆ THỐNG …”).
    pub(super) joined: bool,
}

/// The label's number and, where the title follows it in the same paragraph joined by
/// a full stop, a colon or a dash (“PHỤ LỤC I. HỆ THỐNG CHỈ TIÊU …”), that title.
/// `after` is the line after “PHỤ LỤC”, as typed.
pub(super) fn split_label(after: &str) -> (String, Option<String>) {
    let after = after.trim();
    let end = after
        .find(|c: char| !(c.is_ascii_alphanumeric()))
        .unwrap_or(after.len());
    let (number, rest) = after.split_at(end);
    let numberish = !number.is_empty()
        && (number.chars().all(|c| "IVXLC".contains(c))
            || number.chars().all(|c| c.is_ascii_digit())
            || (number.len() == 1 && number.chars().all(|c| c.is_ascii_uppercase())));
    if numberish {
        for mark in [".", ":", " - ", " – ", " — "] {
            if let Some(title) = rest.strip_prefix(mark) {
                let title = title.trim();
                if !title.is_empty() {
                    return (number.to_owned(), Some(title.to_owned()));
                }
            }
        }
    }
    (after.to_owned(), None)
}

#[cfg(test)]
mod tests {
    use super::split_label;

    #[test]
    fn a_title_typed_after_the_label_in_one_paragraph_is_the_title() {
        let split = |s| split_label(s);
        assert_eq!(
            split(" I. HỆ THỐNG CHỈ TIÊU"),
            ("I".to_owned(), Some("HỆ THỐNG CHỈ TIÊU".to_owned()))
        );
        assert_eq!(
            split(" 02: Danh mục"),
            ("02".to_owned(), Some("Danh mục".to_owned()))
        );
        assert_eq!(split(" II"), ("II".to_owned(), None));
        assert_eq!(split(" II."), ("II.".to_owned(), None));
        assert_eq!(split(""), (String::new(), None));
        assert_eq!(split(" KÈM THEO"), ("KÈM THEO".to_owned(), None));
    }
}
