//! `phuluc new`: a new, empty plan for one appendix kind, ready to fill in — and the list
//! of kinds to choose from.
//!
//! Contract: everything comes from the kind's loaded `layout.yaml` (its columns, their
//! kinds and header texts), so a `--templates` kind gets a plan as good as a built-in
//! one's. The plan has the heading fields to fill, one empty section, group or row per
//! level the kind uses, and a Vietnamese comment on every field saying what to type,
//! with an example. Fields to fill are written `""` (text) or `~` (numbers, dates): the
//! file checks without errors, and `check` lists each gap as a "fill this" warning
//! ([`crate::compose::blanks`] for the headings, the empty-cell lint for the row). The
//! output is a pure function of its inputs (the year is a parameter), so it is tested
//! byte for byte. [`file::new_file`] is the whole command short of writing.

pub mod file;

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::compose::templates::{Column, ColumnKind, Layout, Role, Templates};
use crate::diag::{Diagnostic, Lang, SourceResult, ToDiagnostic, closest};
use crate::model::fields::FieldsLookup;
use crate::text;

/// One kind `new` can start a plan from, as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct KindSummary {
    /// The kind's name (its folder), what `--kind` takes.
    pub name: String,
    /// Its human name (`layout.yaml`'s `name:`).
    pub title: String,
    /// Its column headers, left to right (header groups as "Nhóm / Cột").
    pub headers: Vec<String>,
}

/// What goes wrong making a new plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScaffoldError {
    /// No kind of that name, built-in or in the templates folder.
    UnknownKind {
        /// The name asked for.
        kind: String,
        /// The kinds there are.
        known: Vec<String>,
    },
    /// The plan file is there already and `--force` was not given.
    Exists {
        /// The file.
        path: PathBuf,
    },
}

impl ToDiagnostic for ScaffoldError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            ScaffoldError::UnknownKind { kind, known } => {
                let list = known.join(", ");
                let guess = closest(kind, known.iter().map(String::as_str));
                let (vi, en) = match guess {
                    Some(g) => (
                        format!("Có phải ý bạn là “{g}”? Các loại có sẵn: {list}."),
                        format!("Did you mean “{g}”? The kinds there are: {list}."),
                    ),
                    None => (
                        format!(
                            "Các loại có sẵn: {list}. Chạy “phuluc new” (không có --kind) để xem các cột của từng loại; loại riêng của cơ quan thì thêm --templates THƯ-MỤC."
                        ),
                        format!(
                            "The kinds there are: {list}. Run “phuluc new” (without --kind) to see each kind's columns; for an office's own kinds add --templates DIR."
                        ),
                    ),
                };
                Diagnostic::error(text!(
                    format!("không có loại phụ lục “{kind}”"),
                    format!("no appendix kind “{kind}”")
                ))
                .hint(text!(vi, en))
            }
            ScaffoldError::Exists { path } => Diagnostic::error(text!(
                "tệp đã có: không ghi đè",
                "the file exists: not overwritten"
            ))
            .in_file(path)
            .hint(text!(
                "Chọn tên khác bằng -o, hoặc thêm --force để ghi đè (nội dung cũ của tệp sẽ mất).",
                "Choose another name with -o, or add --force to overwrite it (its contents are lost)."
            )),
        }
    }
}

/// How the new plan is made.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The plan's year (`plan.year`), usually this year.
    pub year: u16,
    /// The `--templates` folder the kind comes from, as the clerk typed it: the file's
    /// comments then name it in the commands to run.
    pub templates_dir: Option<String>,
}

/// Every kind there is, by name.
pub fn kinds(templates: &Templates) -> Vec<KindSummary> {
    templates
        .kinds()
        .into_iter()
        .filter_map(|name| {
            let kind = templates.kind(&name)?;
            Some(KindSummary {
                title: kind.layout.name.clone(),
                headers: kind.layout.columns.iter().map(header_path).collect(),
                name,
            })
        })
        .collect()
}

/// The list `phuluc new` prints without `--kind`: each kind, its name and its columns,
/// then the command that makes a plan.
pub fn kinds_text(kinds: &[KindSummary], templates_dir: Option<&str>, lang: Lang) -> String {
    let mut out = String::from(match lang {
        Lang::Vi => "Các loại phụ lục có thể tạo (--kind):\n",
        Lang::En => "The appendix kinds a plan can start from (--kind):\n",
    });
    let width = kinds
        .iter()
        .map(|k| k.name.chars().count())
        .max()
        .unwrap_or(0);
    let columns = match lang {
        Lang::Vi => "cột",
        Lang::En => "columns",
    };
    for k in kinds {
        let _ = writeln!(out, "  {:<width$}  {}", k.name, k.title);
        let _ = writeln!(
            out,
            "  {:<width$}  {columns}: {}",
            "",
            k.headers.join(" | ")
        );
    }
    let example = kinds.first().map_or("nhiem-vu", |k| k.name.as_str());
    let extra = templates_dir.map_or_else(String::new, |d| format!(" --templates {}", quoted(d)));
    let _ = match lang {
        Lang::Vi => writeln!(
            out,
            "Tạo kế hoạch mới: phuluc new --kind {example}{extra} -o data/ke-hoach-moi.yaml"
        ),
        Lang::En => writeln!(
            out,
            "Start a new plan: phuluc new --kind {example}{extra} -o data/ke-hoach-moi.yaml"
        ),
    };
    out
}

/// The new plan's YAML text for kind `kind`.
pub fn new_plan(templates: &Templates, kind: &str, options: &Options) -> SourceResult<String> {
    let Some(found) = templates.kind(kind) else {
        return Err(vec![
            ScaffoldError::UnknownKind {
                kind: kind.to_owned(),
                known: templates.kinds(),
            }
            .to_diagnostic(),
        ]);
    };
    let layout = &found.layout;
    let mut y = Yaml::default();
    let extra = options
        .templates_dir
        .as_deref()
        .map_or_else(String::new, |d| format!(" --templates {}", quoted(d)));
    y.comment(
        0,
        &format!(
            "Kế hoạch mới, loại phụ lục “{kind}” ({}). Tạo bằng: phuluc new --kind {kind}{extra}",
            one_line(&layout.name)
        ),
    );
    y.comment(
        0,
        "Điền các chỗ còn trống: gõ vào giữa hai dấu ngoặc kép \"\", hoặc thay dấu ~ bằng giá trị.",
    );
    y.comment(
        0,
        &format!(
            "Còn thiếu gì: phuluc check TỆP.yaml{extra} — xem trước: phuluc preview TỆP.yaml{extra}"
        ),
    );
    y.comment(
        0,
        "Số thứ tự (I, II; 1, 2; 1.1…) phuluc tự đánh theo vị trí: không cần gõ.",
    );
    y.line(0, "version: 1", "phiên bản định dạng tệp: giữ nguyên 1");
    y.line(0, "plan:", "văn bản mà các phụ lục kèm theo");
    y.line(
        1,
        "kind: Kế hoạch",
        "loại văn bản, ví dụ: Kế hoạch (hoặc Quyết định, Chương trình…)",
    );
    y.line(
        1,
        "number: ~",
        "số văn bản, ví dụ: \"15\" — để ~ khi chưa ban hành",
    );
    y.line(1, "symbol: \"\"", "ký hiệu văn bản, ví dụ: KH-UBND");
    y.line(
        1,
        "date: ~",
        "ngày ký, dạng NĂM-THÁNG-NGÀY, ví dụ: 2026-04-15 — để ~ khi chưa ký",
    );
    y.line(
        1,
        &format!("year: {}", options.year),
        &format!("năm ban hành, ví dụ: {}", options.year),
    );
    y.line(
        1,
        "issuer: \"\"",
        "cơ quan ban hành, ví dụ: Ủy ban nhân dân phường Thạch Khôi",
    );
    y.comment(
        0,
        "Tùy chọn: tên chuẩn của các cơ quan, để check báo tên viết lệch. Ví dụ:",
    );
    y.comment(0, "agencies:");
    y.comment(0, "  - Phòng Văn hóa - Xã hội");
    y.line(0, "appendices:", "các phụ lục, theo thứ tự: Phụ lục I, II…");
    y.line(
        1,
        &format!("- template: {}", yaml_key(kind)),
        "loại phụ lục (mẫu): giữ nguyên",
    );
    y.line(
        2,
        "title: \"\"",
        &format!("tên phụ lục, ví dụ: {}", one_line(&layout.name)),
    );
    let mut indent = 2;
    let levels = levels(kind, layout);
    if levels.sections {
        y.line(indent, "sections:", "các mục (đánh số I, II…)");
        y.line(
            indent + 1,
            "- heading: \"\"",
            "tiêu đề mục, ví dụ: MỤC TIÊU ĐẾN NĂM 2030 — mục không có tiêu đề: xóa dòng này",
        );
        indent += 2;
    }
    if levels.groups {
        y.line(
            indent,
            "groups:",
            "các nhóm (đánh số 1, 2…); thêm nhóm: chép cả khối “- heading:”",
        );
        y.line(
            indent + 1,
            "- heading: \"\"",
            "tiêu đề nhóm, ví dụ: Cải cách hành chính — nhóm không có tiêu đề: xóa dòng này",
        );
        indent += 2;
    }
    y.line(
        indent,
        "items:",
        "các dòng của bảng; thêm dòng: chép cả khối “- …” bên dưới",
    );
    let mut first = true;
    for column in &layout.columns {
        if column.kind == ColumnKind::Number {
            continue;
        }
        let (code, comment) = field_line(column, layout);
        match code {
            Some(code) if first => {
                y.line(indent + 1, &format!("- {code}"), &comment);
                first = false;
            }
            Some(code) => y.line(indent + 2, &code, &comment),
            None => y.comment(indent + if first { 1 } else { 2 }, &comment),
        }
    }
    Ok(y.finish())
}

/// This year by the system clock (UTC), for a new plan's `year:`; 2026 if the clock is
/// before 1970.
pub fn this_year() -> u16 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    year_of_day(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The (proleptic Gregorian) year of day `days` since 1970-01-01 (Howard Hinnant's
/// civil-from-days).
fn year_of_day(days: i64) -> u16 {
    if days <= 0 {
        return 2026;
    }
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    u16::try_from(year).unwrap_or(2026)
}

/// Which levels of `sections:` / `groups:` / `items:` a new plan of a kind has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Levels {
    sections: bool,
    groups: bool,
}

/// The levels a kind's plans use. A layout does not say, so: the built-in kinds as the
/// example plans in `data/` write them (Phụ lục I's objectives under Roman sections, the
/// tasks and the budget in numbered groups); another kind by its subtotals (a section
/// subtotal needs sections, a group subtotal groups) and, without any, all three levels —
/// a level the clerk does not need is two lines to delete, a missing one is structure to
/// guess.
fn levels(kind: &str, layout: &Layout) -> Levels {
    match kind {
        "muc-tieu" => Levels {
            sections: true,
            groups: false,
        },
        "nhiem-vu" | "kinh-phi" => Levels {
            sections: false,
            groups: true,
        },
        _ => match &layout.totals {
            Some(t) if t.groups && !t.sections => Levels {
                sections: false,
                groups: true,
            },
            Some(t) if t.sections && !t.groups => Levels {
                sections: true,
                groups: false,
            },
            _ => Levels {
                sections: true,
                groups: true,
            },
        },
    }
}

/// The line for one row field (`None` for a computed column, which only gets a comment)
/// and its comment: the header, what to type, an example.
fn field_line(column: &Column, layout: &Layout) -> (Option<String>, String) {
    let key = yaml_key(&column.field);
    let header = header_path(column);
    let optional = if column.optional {
        " — có thể để trống"
    } else {
        ""
    };
    match column.kind {
        ColumnKind::Number => (None, String::new()),
        ColumnKind::Text => (
            Some(format!("{key}: \"\"")),
            format!(
                "{header}: văn bản, ví dụ: {}{optional}",
                text_example(column)
            ),
        ),
        ColumnKind::List => (
            Some(format!("{key}: \"\"")),
            format!(
                "{header}: một cơ quan gõ ngay đây; nhiều cơ quan thì mỗi cơ quan một dòng “- tên”, ví dụ: {}{optional}",
                match column.role() {
                    Some(Role::Lead) => "Phòng Văn hóa - Xã hội",
                    Some(Role::Support) => "Các phòng, ban, đơn vị thuộc UBND phường",
                    None => "Văn phòng HĐND và UBND phường",
                }
            ),
        ),
        ColumnKind::Amount if !column.sum_of.is_empty() => {
            let parts: Vec<String> = column
                .sum_of
                .iter()
                .map(|f| {
                    layout
                        .columns
                        .iter()
                        .find(|c| &c.field == f)
                        .map_or_else(|| f.clone(), |c| one_line(&c.header))
                })
                .collect();
            (
                None,
                format!(
                    "{key} ({header}): không cần gõ — phuluc tự cộng {}",
                    parts.join(" + ")
                ),
            )
        }
        ColumnKind::Amount => {
            let example = if column.digits() > 0 {
                "35.5 (in ra 35,5)"
            } else {
                "1250000 (in ra 1.250.000)"
            };
            (
                Some(format!("{key}: ~")),
                format!(
                    "{header}: một con số, dấu chấm cho phần lẻ, không có dấu ngăn hàng nghìn, ví dụ: {example} — không có thì để ~"
                ),
            )
        }
        ColumnKind::Date => (
            Some(format!("{key}: ~")),
            format!(
                "{header}: ngày dạng NĂM-THÁNG-NGÀY, ví dụ: 2026-06-30 (in ra 30/06/2026){optional}"
            ),
        ),
        ColumnKind::Percent => (
            Some(format!("{key}: ~")),
            format!("{header}: tỷ lệ phần trăm, ví dụ: 12.5 (in ra 12,5%){optional}"),
        ),
    }
}

/// An example for a text column, by what its header says it holds.
fn text_example(column: &Column) -> String {
    let header = column.header.to_lowercase();
    let has = |w: &str| header.contains(w);
    let example = if has("nhiệm vụ") || has("giải pháp") {
        "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền của phường"
    } else if has("mục tiêu") || has("chỉ tiêu") {
        "100% hồ sơ thủ tục hành chính được giải quyết đúng hạn"
    } else if has("nội dung") {
        "Nâng cấp hệ thống mạng nội bộ tại trụ sở Ủy ban nhân dân phường"
    } else if has("lộ trình") {
        "Thường xuyên (hoặc: Hằng năm; Quý II/2026)"
    } else if has("thời gian") || has("thời hạn") || has("tiến độ") {
        "Quý II/2026"
    } else if has("sản phẩm") || has("kết quả") {
        "Báo cáo kết quả thực hiện"
    } else if has("ghi chú") {
        "Xã hội hóa một phần"
    } else {
        return format!("nội dung ô “{}” như bản giấy", one_line(&column.header));
    };
    example.to_owned()
}

/// A column's header under its header groups: "Kinh phí (triệu đồng) / Trong đó / Nguồn
/// khác".
fn header_path(column: &Column) -> String {
    column
        .groups()
        .iter()
        .chain(std::iter::once(&column.header))
        .map(|s| one_line(s))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// `s` on one line (headers may hold line breaks).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A mapping key as YAML reads it back: plain when it is a plain name, quoted otherwise.
fn yaml_key(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !s.starts_with('-');
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
    }
}

/// A path as a shell command line should show it: quoted when it has spaces.
fn quoted(s: &str) -> String {
    if s.contains(char::is_whitespace) {
        format!("\"{s}\"")
    } else {
        s.to_owned()
    }
}

/// YAML lines with their comments lined up in one column.
#[derive(Default)]
struct Yaml {
    /// Each line: indent level, code (empty for a comment line), comment.
    lines: Vec<(usize, String, String)>,
}

/// Where the comments of code lines start: two spaces after the longest line, within
/// these bounds (a longer line keeps two spaces before its comment).
const MIN_COMMENT_COLUMN: usize = 28;
const MAX_COMMENT_COLUMN: usize = 40;

impl Yaml {
    fn line(&mut self, indent: usize, code: &str, comment: &str) {
        self.lines
            .push((indent, code.to_owned(), comment.to_owned()));
    }

    fn comment(&mut self, indent: usize, comment: &str) {
        self.lines.push((indent, String::new(), comment.to_owned()));
    }

    fn finish(self) -> String {
        let width = |indent: usize, code: &str| 2 * indent + code.chars().count();
        let column = self
            .lines
            .iter()
            .filter(|(_, code, _)| !code.is_empty())
            .map(|(indent, code, _)| width(*indent, code) + 2)
            .max()
            .unwrap_or(0)
            .clamp(MIN_COMMENT_COLUMN, MAX_COMMENT_COLUMN);
        let mut out = String::new();
        for (indent, code, comment) in &self.lines {
            let pad = "  ".repeat(*indent);
            if code.is_empty() {
                let _ = writeln!(out, "{pad}# {comment}");
                continue;
            }
            let text = format!("{pad}{code}");
            let gap = column.saturating_sub(width(*indent, code)).max(2);
            let _ = writeln!(out, "{text}{}# {comment}", " ".repeat(gap));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Templates {
        Templates::builtin().unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn every_builtin_kind_is_listed_with_its_headers() {
        let list = kinds(&builtin());
        let names: Vec<&str> = list.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["kinh-phi", "muc-tieu", "nhiem-vu"]);
        let budget = &list[0];
        assert!(
            budget
                .headers
                .contains(&"Kinh phí (triệu đồng) / Trong đó / Nguồn khác".to_owned()),
            "{budget:?}"
        );
        let text = kinds_text(&list, None, Lang::Vi);
        assert!(text.contains("nhiem-vu  Phân công thực hiện nhiệm vụ, giải pháp"));
        assert!(text.contains("cột: Stt | Nhiệm vụ cụ thể | Lộ trình thực hiện"));
    }

    #[test]
    fn an_unknown_kind_suggests_the_nearest() {
        let err = new_plan(&builtin(), "nhiem-vuu", &Options::default())
            .err()
            .unwrap_or_default();
        let text = err[0].render(Lang::Vi);
        assert!(text.contains("không có loại phụ lục “nhiem-vuu”"), "{text}");
        assert!(text.contains("Có phải ý bạn là “nhiem-vu”?"), "{text}");
    }

    #[test]
    fn the_budget_plan_leaves_the_computed_total_to_phuluc() {
        let options = Options {
            year: 2027,
            templates_dir: None,
        };
        let yaml = new_plan(&builtin(), "kinh-phi", &options).unwrap_or_default();
        assert!(yaml.contains("year: 2027"), "{yaml}");
        assert!(yaml.contains("    groups:"), "{yaml}");
        assert!(!yaml.contains("sections:"), "{yaml}");
        assert!(yaml.contains("# tong_so (Kinh phí (triệu đồng) / Tổng số): không cần gõ"));
        assert!(!yaml.contains("tong_so: "), "{yaml}");
        assert!(yaml.contains("ngan_sach_phuong: ~"), "{yaml}");
        assert!(yaml.contains("ghi_chu: \"\""), "{yaml}");
        assert!(yaml.contains("— có thể để trống"), "{yaml}");
    }

    #[test]
    fn the_year_of_a_day() {
        assert_eq!(year_of_day(0), 2026);
        assert_eq!(year_of_day(20_454), 2026); // 2026-01-01
        assert_eq!(year_of_day(20_453), 2025); // 2025-12-31
        assert_eq!(year_of_day(20_818), 2026); // 2026-12-31
        assert_eq!(year_of_day(11_016), 2000); // 2000-02-29
    }

    #[test]
    fn keys_that_are_not_plain_names_are_quoted() {
        assert_eq!(yaml_key("chu_tri"), "chu_tri");
        assert_eq!(yaml_key("ghi chú"), "\"ghi chú\"");
        assert_eq!(yaml_key("-x"), "\"-x\"");
    }
}
