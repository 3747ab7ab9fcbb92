//! The standard names of a commune-level unit's bodies after the 2025 two-tier reform
//! (the register), and agency entries that hold several names joined by ";" or ", ".
//!
//! Contract: [`REGISTER`] lists each body once, with the other spellings offices use for
//! it (abbreviations, the Party committee named after a Party body); a name matches an
//! entry when it folds ([`super::spelling::fold`]: case, spacing, a trailing "phường", "xã",
//! "thị trấn" or "đặc khu") to the same key. [`Vocabulary`] is the register plus a
//! plan's `agencies:` list; it tells whether a name is known and cuts an entry into the
//! names it joins — at ";", and at ", " only where every piece is known and there is one
//! way to cut it, so "Phòng Kinh tế, Hạ tầng và Đô thị" (a ward's economic office) stays
//! one name.
//! Pure data and pure functions.

use std::collections::BTreeSet;

use super::spelling::{fold, unaccented};

/// One body of a commune, ward or special zone, as the register names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardName {
    /// The name as the register spells it.
    pub name: &'static str,
    /// Other spellings of the same body.
    pub also: &'static [&'static str],
    /// Which units have it, and on what basis (Vietnamese, for the README and hints).
    pub note: &'static str,
}

/// The register: the bodies of a commune-level unit (xã, phường, đặc khu) after the
/// 2025 reform — the People's Committee's specialised offices under Decree
/// 150/2025/NĐ-CP, its public-service centres, and the Party, Front, police and military
/// bodies every ward has. The words "phường", "xã", "đặc khu" after a name (and
/// "thị trấn") are folded away, so "Phòng Văn hóa - Xã hội phường" is this register's
/// "Phòng Văn hóa - Xã hội".
pub const REGISTER: &[StandardName] = &[
    StandardName {
        name: "Văn phòng HĐND và UBND",
        also: &["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"],
        note: "xã, phường, đặc khu (Nghị định 150/2025/NĐ-CP)",
    },
    StandardName {
        name: "Phòng Kinh tế",
        also: &[],
        note: "xã, đặc khu (Nghị định 150/2025/NĐ-CP)",
    },
    StandardName {
        name: "Phòng Kinh tế, Hạ tầng và Đô thị",
        also: &[],
        note: "phường (Nghị định 150/2025/NĐ-CP)",
    },
    StandardName {
        name: "Phòng Văn hóa - Xã hội",
        also: &[],
        note: "xã, phường, đặc khu (Nghị định 150/2025/NĐ-CP)",
    },
    StandardName {
        name: "Trung tâm Phục vụ hành chính công",
        also: &[],
        note: "xã, phường, đặc khu",
    },
    StandardName {
        name: "Trung tâm Dịch vụ sự nghiệp công",
        also: &[],
        note: "đơn vị sự nghiệp công lập cấp xã, tên nhiều tỉnh dùng",
    },
    StandardName {
        name: "Hội đồng nhân dân",
        also: &["HĐND"],
        note: "xã, phường, đặc khu",
    },
    StandardName {
        name: "Ủy ban nhân dân",
        also: &["UBND"],
        note: "xã, phường, đặc khu",
    },
    StandardName {
        name: "Đảng ủy",
        also: &[],
        note: "Đảng bộ xã, phường, đặc khu",
    },
    StandardName {
        name: "Ban Thường vụ Đảng ủy",
        also: &[],
        note: "Đảng bộ xã, phường, đặc khu",
    },
    StandardName {
        name: "Văn phòng Đảng ủy",
        also: &[],
        note: "cơ quan tham mưu, giúp việc của Đảng ủy cấp xã",
    },
    StandardName {
        name: "Ban Xây dựng Đảng",
        also: &["Ban Xây dựng Đảng Đảng ủy"],
        note: "cơ quan tham mưu, giúp việc của Đảng ủy cấp xã",
    },
    StandardName {
        name: "Ủy ban Kiểm tra Đảng ủy",
        also: &[],
        note: "cơ quan tham mưu, giúp việc của Đảng ủy cấp xã",
    },
    StandardName {
        name: "Trung tâm Chính trị",
        also: &[],
        note: "đơn vị sự nghiệp của Đảng ủy cấp xã",
    },
    StandardName {
        name: "Ủy ban Mặt trận Tổ quốc Việt Nam",
        also: &["Ủy ban MTTQ Việt Nam", "Ủy ban MTTQVN", "Ủy ban MTTQ"],
        note: "xã, phường, đặc khu",
    },
    StandardName {
        name: "Hội Liên hiệp Phụ nữ",
        also: &["Hội LHPN"],
        note: "tổ chức chính trị - xã hội thuộc Mặt trận",
    },
    StandardName {
        name: "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        also: &["Đoàn Thanh niên", "Đoàn TNCS Hồ Chí Minh"],
        note: "tổ chức chính trị - xã hội thuộc Mặt trận",
    },
    StandardName {
        name: "Hội Cựu chiến binh",
        also: &["Hội CCB"],
        note: "tổ chức chính trị - xã hội thuộc Mặt trận",
    },
    StandardName {
        name: "Hội Nông dân",
        also: &[],
        note: "tổ chức chính trị - xã hội thuộc Mặt trận",
    },
    StandardName {
        name: "Công an",
        also: &[],
        note: "công an xã, phường, đặc khu",
    },
    StandardName {
        name: "Ban Chỉ huy Quân sự",
        also: &["Ban CHQS"],
        note: "ban chỉ huy quân sự xã, phường, đặc khu",
    },
];

/// The register entry `name` is a spelling of (by [`fold`]), if any.
pub fn standard(name: &str) -> Option<&'static StandardName> {
    let key = fold(name);
    REGISTER.iter().find(|s| {
        std::iter::once(s.name)
            .chain(s.also.iter().copied())
            .any(|n| fold(n) == key)
    })
}

/// The register entry `name` nearly spells — the same letters once accents, case and
/// punctuation are set aside ("Phòng Văn hoá - Xã hội", "Uỷ ban MTTQ") — when it is not
/// a spelling of one outright.
pub fn near(name: &str) -> Option<&'static StandardName> {
    if standard(name).is_some() {
        return None;
    }
    let key = loose(name);
    REGISTER.iter().find(|s| {
        std::iter::once(s.name)
            .chain(s.also.iter().copied())
            .any(|n| loose(n) == key)
    })
}

/// [`fold`] without accents, every run of other characters one space.
fn loose(name: &str) -> String {
    let folded = fold(name);
    let mut out = String::new();
    for c in unaccented(&folded) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim_end().to_owned()
}

/// The names that vouch for the pieces of a joined entry: the register's and a plan's
/// `agencies:` list, by [`fold`].
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    keys: BTreeSet<String>,
}

/// An entry cut into the names it joins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// The names, in order, as the entry spells them.
    pub names: Vec<String>,
    /// The separators the entry used (“;”, “,”), for the message.
    pub separators: Vec<&'static str>,
}

impl Vocabulary {
    /// The register and the names `listed` (a plan's `agencies:`).
    pub fn new<'a>(listed: impl IntoIterator<Item = &'a String>) -> Self {
        let mut keys: BTreeSet<String> = REGISTER
            .iter()
            .flat_map(|s| std::iter::once(s.name).chain(s.also.iter().copied()))
            .map(fold)
            .collect();
        keys.extend(listed.into_iter().map(|n| fold(n)));
        Vocabulary { keys }
    }

    /// Whether `name` is a spelling of a known name.
    pub fn knows(&self, name: &str) -> bool {
        self.keys.contains(&fold(name))
    }

    /// `entry` cut into the names it joins, where it is not a known name itself: at every
    /// ";" (no agency's name holds one), and at ", " where every piece is a known name and
    /// there is one way to cut it; `None` when it is one name.
    pub fn split(&self, entry: &str) -> Option<Joined> {
        if self.knows(entry) {
            return None;
        }
        let parts: Vec<&str> = entry
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let mut names = Vec::new();
        let mut separators = Vec::new();
        if parts.len() > 1 {
            separators.push("“;”");
        }
        for part in parts {
            if self.knows(part) {
                names.push(part.to_owned());
                continue;
            }
            // No agency's name holds a ";": each part is a name, known or not; a part is
            // cut at ", " only into known names.
            let pieces = segment(part, |n| self.knows(n)).unwrap_or_else(|| vec![part.to_owned()]);
            if pieces.len() > 1 && !separators.contains(&"“,”") {
                separators.push("“,”");
            }
            names.extend(pieces);
        }
        (names.len() > 1).then_some(Joined { names, separators })
    }

    /// The names `entry` stands for: the pieces of [`Self::split`], else itself.
    pub fn names<'a>(&self, entry: &'a str) -> Vec<std::borrow::Cow<'a, str>> {
        match self.split(entry) {
            Some(j) => j.names.into_iter().map(std::borrow::Cow::Owned).collect(),
            None => vec![std::borrow::Cow::Borrowed(entry)],
        }
    }
}

/// The register as Markdown rows (`| name | other spellings | units |`), for the README
/// and for anyone who wants to see it.
pub fn register_table() -> String {
    let mut out = String::from("| tên chuẩn | cách viết khác | đơn vị |\n| --- | --- | --- |\n");
    for s in REGISTER {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            s.name,
            s.also.join("; "),
            s.note
        ));
    }
    out
}

/// The one way to cut `text` at ", " into pieces that are each a name by `is_name`
/// (the whole text, uncut, is one of the ways), or `None` when there is none or more
/// than one.
pub fn segment(text: &str, is_name: impl Fn(&str) -> bool) -> Option<Vec<String>> {
    let pieces: Vec<&str> = text.split(", ").collect();
    if pieces.len() > 24 {
        return None;
    }
    let n = pieces.len();
    // ways[i]: the segmentations of pieces[i..]; counted up to 2 (ambiguous).
    let mut ways: Vec<(usize, Option<usize>)> = vec![(0, None); n + 1];
    ways[n] = (1, None);
    for i in (0..n).rev() {
        let mut count = 0;
        let mut next = None;
        for j in i + 1..=n {
            if ways[j].0 > 0 && is_name(&pieces[i..j].join(", ")) {
                count += ways[j].0;
                next.get_or_insert(j);
            }
        }
        ways[i] = (count.min(2), next);
    }
    if ways[0].0 != 1 {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let j = ways[i].1?;
        out.push(pieces[i..j].join(", "));
        i = j;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Each register name's fold key, for tests that every entry is distinct.
    fn keys() -> BTreeMap<String, &'static str> {
        REGISTER
            .iter()
            .flat_map(|s| {
                std::iter::once(s.name)
                    .chain(s.also.iter().copied())
                    .map(move |n| (fold(n), s.name))
            })
            .collect()
    }

    #[test]
    fn the_readme_lists_the_register() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&register_table()),
            "README shows register_table()"
        );
    }

    #[test]
    fn every_spelling_names_one_body() {
        let spellings: usize = REGISTER.iter().map(|s| 1 + s.also.len()).sum();
        assert_eq!(keys().len(), spellings, "no two spellings fold together");
    }

    #[test]
    fn a_wards_economic_office_stays_one_name() {
        let v = Vocabulary::new(&[]);
        assert_eq!(v.split("Phòng Kinh tế, Hạ tầng và Đô thị"), None);
        assert_eq!(v.split("Phòng Kinh tế, Hạ tầng và Đô thị phường"), None);
        let j = v
            .split("Phòng Văn hóa - Xã hội, Phòng Kinh tế, Hạ tầng và Đô thị")
            .expect("two bodies");
        assert_eq!(
            j.names,
            ["Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị"]
        );
    }

    #[test]
    fn the_seeds_joined_entry_is_two_bodies() {
        let v = Vocabulary::new(&[]);
        let j = v
            .split("Ban Xây dựng Đảng đảng ủy phường; phòng Văn hóa - Xã hội")
            .expect("two bodies");
        assert_eq!(
            j.names,
            ["Ban Xây dựng Đảng đảng ủy phường", "phòng Văn hóa - Xã hội"]
        );
        assert_eq!(j.separators, ["“;”"]);
        // A ";" separates names nobody knows too; ", " only known ones.
        assert_eq!(
            v.split("Sở Công Thương; BQL Khu kinh tế tỉnh")
                .map(|j| j.names),
            Some(vec![
                "Sở Công Thương".to_owned(),
                "BQL Khu kinh tế tỉnh".to_owned()
            ])
        );
        assert_eq!(v.split("Sở Công Thương, Sở Tài chính"), None);
        let listed = vec!["Sở Công Thương".to_owned(), "Sở Tài chính".to_owned()];
        assert!(
            Vocabulary::new(&listed)
                .split("Sở Công Thương, Sở Tài chính")
                .is_some()
        );
    }

    #[test]
    fn level_words_and_abbreviations_fold_to_the_standard_name() {
        for (spelling, name) in [
            ("Văn phòng HĐND và UBND phường", "Văn phòng HĐND và UBND"),
            (
                "Ủy ban MTTQ Việt Nam xã",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
            ),
            ("Công an đặc khu", "Công an"),
            ("Ban Chỉ huy quân sự phường", "Ban Chỉ huy Quân sự"),
        ] {
            assert_eq!(standard(spelling).map(|s| s.name), Some(name), "{spelling}");
        }
        assert_eq!(
            near("Phòng Văn hoá - Xã hội").map(|s| s.name),
            Some("Phòng Văn hóa - Xã hội")
        );
        assert_eq!(near("Phòng Văn hóa - Xã hội"), None, "already standard");
        assert_eq!(near("Phòng Tư pháp"), None);
    }
}
