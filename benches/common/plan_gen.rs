//! The plan generator behind `examples/make-plan.rs` and the scale benches: a realistic
//! plan file with N body rows, as YAML text.
//!
//! The text is Vietnamese built from the seed's own vocabulary, with cell lengths like the
//! seed's (a task of 60–900 characters, one to four agencies, a product or nothing), rows
//! in groups of one to six under sections, so layout, shaping caches and pagination see
//! what a province aggregating many wards would give them. Deterministic for a seed.
//!
//! Included by path (`#[path = ...] mod plan_gen;`) from the example and the benches, so it
//! lives in a subfolder of `benches/` that Cargo does not take for a bench target.

use std::fmt::Write as _;

const WORDS: &[&str] = &[
    "tổ chức",
    "tuyên truyền",
    "quán triệt",
    "các văn bản",
    "quy định",
    "về công tác",
    "dân vận",
    "bằng nhiều hình thức",
    "đa dạng",
    "phong phú",
    "nâng cao",
    "nhận thức",
    "trách nhiệm",
    "của đội ngũ",
    "cán bộ",
    "đảng viên",
    "đoàn viên",
    "hội viên",
    "và Nhân dân",
    "trong giai đoạn",
    "hiện nay",
    "bồi dưỡng",
    "năng lực",
    "chuyên môn",
    "nghiệp vụ",
    "ứng dụng",
    "công nghệ thông tin",
    "khai thác",
    "hiệu quả",
    "tiện ích",
    "chính quyền số",
    "phát huy",
    "vai trò",
    "của Ủy ban",
    "Mặt trận Tổ quốc Việt Nam",
    "các tổ chức",
    "chính trị - xã hội",
    "xây dựng",
    "kế hoạch",
    "thực hiện",
    "dân chủ",
    "ở cơ sở",
    "theo phương châm",
    "“Dân biết, dân bàn, dân làm”",
    "cải cách hành chính",
    "giải phóng mặt bằng",
    "chỉnh trang đô thị",
    "Chỉ thị số 15-CT/TU",
    "ngày 21/11/2022",
    "của Ban Thường vụ Thành ủy",
    "kiểm tra",
    "giám sát",
    "đối thoại",
    "tiếp công dân",
    "giải quyết",
    "khiếu nại",
    "tố cáo",
    "thi đua",
    "“Dân vận khéo”",
    "khen thưởng",
    "tập thể",
    "cá nhân",
    "điển hình",
    "tiêu biểu",
    "hàng năm",
    "kịp thời",
    "đồng bộ",
];

const AGENCIES: &[&str] = &[
    "Các phòng, ban, đơn vị sự nghiệp công lập thuộc UBND phường",
    "Phòng Văn hóa - Xã hội phường",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Văn phòng HĐND và UBND phường",
    "Trung tâm Phục vụ hành chính công phường",
    "Ban Xây dựng đảng Đảng ủy phường",
    "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
    "Văn phòng Đảng ủy phường",
    "Trung tâm Dịch vụ sự nghiệp công",
];

const TIMELINES: &[&str] = &[
    "Thường xuyên",
    "Hàng năm",
    "Năm 2026, 2027",
    "Quý II/2026",
    "Năm 2026 và các năm tiếp theo",
];
const PRODUCTS: &[&str] = &[
    "Văn bản triển khai thực hiện",
    "Văn bản triển khai thực hiện, kết quả thực hiện",
    "Báo cáo kết quả thực hiện",
];

/// xorshift64*: small, fast and deterministic; no dependency for a generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn sentence(rng: &mut Rng, min_chars: usize, max_chars: usize) -> String {
    let target = min_chars + rng.below(max_chars - min_chars + 1);
    let mut s = String::new();
    while s.chars().count() < target {
        if !s.is_empty() {
            s.push_str(if rng.below(9) == 0 { "; " } else { " " });
        }
        s.push_str(rng.pick(WORDS));
    }
    let mut chars = s.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

/// A YAML double-quoted string (the generated text has no quotes or backslashes, but be safe).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn agencies(rng: &mut Rng, out: &mut String, key: &str) {
    let n = 1 + rng.below(3);
    let _ = writeln!(out, "            {key}:");
    for _ in 0..n {
        let _ = writeln!(out, "              - {}", quoted(rng.pick(AGENCIES)));
    }
}

/// The plan file with `rows` body rows (a tenth objectives in Phụ lục I, the rest tasks
/// in Phụ lục II), generated from `seed`: same arguments, same bytes.
pub fn plan_yaml(rows: usize, seed: u64) -> String {
    let mut rng = Rng(seed.max(1));
    let mut out = String::with_capacity(rows * 700);
    out.push_str("# yaml-language-server: $schema=../schema/phuluc.schema.json\n");
    let _ = writeln!(
        out,
        "# Kế hoạch tổng hợp sinh tự động: {rows} dòng (make-plan, seed {seed})."
    );
    out.push_str("version: 1\nplan:\n  kind: Kế hoạch\n  number: ~\n  symbol: KH-UBND\n  date: ~\n  year: 2026\n  issuer: Ủy ban nhân dân thành phố\nappendices:\n");
    // A tenth of the rows are objectives (Phụ lục I), the rest tasks (Phụ lục II).
    let objectives = (rows / 10).max(1).min(rows);
    let tasks = rows - objectives;
    let _ = writeln!(
        out,
        "  - template: muc-tieu\n    title: {}\n    sections:",
        quoted("Phân công thực hiện các mục tiêu (tổng hợp)")
    );
    let mut left = objectives;
    while left > 0 {
        let n = (3 + rng.below(8)).min(left);
        left -= n;
        let _ = writeln!(
            out,
            "      - heading: {}\n        items:",
            quoted(&sentence(&mut rng, 15, 40).to_uppercase())
        );
        for _ in 0..n {
            let _ = writeln!(
                out,
                "          - muc_tieu: {}",
                quoted(&sentence(&mut rng, 80, 600))
            );
            let _ = writeln!(out, "            lo_trinh: {}", quoted(rng.pick(TIMELINES)));
            agencies(&mut rng, &mut out, "chu_tri");
            agencies(&mut rng, &mut out, "phoi_hop");
        }
    }
    if tasks > 0 {
        let _ = writeln!(
            out,
            "  - template: nhiem-vu\n    title: {}\n    sections:",
            quoted("Phân công thực hiện các nhiệm vụ, giải pháp (tổng hợp)")
        );
        let mut left = tasks;
        while left > 0 {
            let _ = writeln!(
                out,
                "      - heading: {}\n        groups:",
                quoted(&sentence(&mut rng, 15, 40).to_uppercase())
            );
            for _ in 0..(2 + rng.below(6)) {
                if left == 0 {
                    break;
                }
                let n = (1 + rng.below(6)).min(left);
                left -= n;
                let _ = writeln!(
                    out,
                    "          - heading: {}\n            items:",
                    quoted(&sentence(&mut rng, 20, 120))
                );
                for _ in 0..n {
                    let _ = writeln!(
                        out,
                        "              - nhiem_vu: {}",
                        quoted(&sentence(&mut rng, 60, 900))
                    );
                    let _ = writeln!(
                        out,
                        "                lo_trinh: {}",
                        quoted(rng.pick(TIMELINES))
                    );
                    let mut list = String::new();
                    agencies(&mut rng, &mut list, "chu_tri");
                    agencies(&mut rng, &mut list, "phoi_hop");
                    // Items in groups sit four spaces deeper than in the objectives.
                    for line in list.lines() {
                        let _ = writeln!(out, "    {line}");
                    }
                    if rng.below(5) != 0 {
                        let _ = writeln!(
                            out,
                            "                san_pham: {}",
                            quoted(rng.pick(PRODUCTS))
                        );
                    }
                }
            }
        }
    }
    out
}
