//! The edit engine on the seed and the budget example: exact bytes, refusals, undo.

use super::*;
use crate::diag::ToDiagnostic;
use crate::model::tree::Node;
use proptest::prelude::*;

const SEED: &str = include_str!("../../data/ke-hoach-05-nq-du.yaml");
const BUDGET: &str = include_str!("../../data/vi-du-kinh-phi.yaml");

fn templates() -> Templates {
    match Templates::builtin() {
        Ok(t) => t,
        Err(e) => panic!("templates: {e:?}"),
    }
}

fn root(src: &str) -> Node {
    match crate::model::parse_str(src, Path::new("t.yaml")) {
        Ok(n) => n,
        Err(e) => panic!("{e:?}"),
    }
}

/// Every row (list entry mapping holding one of the template's fields) of `src`: its
/// position.
fn rows(src: &str) -> Vec<Pos> {
    fn walk(n: &Node, out: &mut Vec<Pos>, in_items: bool) {
        match &n.kind {
            Kind::Map(e) => {
                if in_items && let Some(o) = n.origin {
                    out.push(o.pos);
                }
                for (k, v) in e {
                    walk(v, out, k.name == "items");
                }
            }
            Kind::Seq(items) => items.iter().for_each(|i| walk(i, out, in_items)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&root(src), &mut out, false);
    out
}

fn edit(src: &str, op: &Op) -> Result<Edited, EditError> {
    edit_text(src, op, Path::new("t.yaml"), &templates())
}

/// The lines of `a` and `b` that differ, once a common head and tail are taken off.
fn changed<'a>(a: &'a str, b: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let (la, lb): (Vec<&str>, Vec<&str>) = (
        a.split_inclusive('\n').collect(),
        b.split_inclusive('\n').collect(),
    );
    let head = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
    let tail = la[head..]
        .iter()
        .rev()
        .zip(lb[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (
        la[head..la.len() - tail].to_vec(),
        lb[head..lb.len() - tail].to_vec(),
    )
}

fn pos(line: u32, column: u32) -> Pos {
    Pos { line, column }
}

#[test]
fn setting_a_cell_changes_only_its_value_bytes() {
    let row = rows(SEED)[0];
    let e = edit(
        SEED,
        &Op::Set {
            src: row,
            field: "lo_trinh".into(),
            value: "Năm 2027".into(),
        },
    )
    .expect("edit");
    let (old, new) = changed(SEED, &e.text);
    assert_eq!(old, ["            lo_trinh: Thường xuyên\n"]);
    assert_eq!(new, ["            lo_trinh: Năm 2027\n"]);
}

#[test]
fn long_text_in_a_folded_value_stays_folded_near_100_columns() {
    let row = rows(SEED)[1];
    let long = "Bảo đảm sự lãnh đạo của Đảng, sự quản lý của nhà nước, vai trò nòng cốt của Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội trong công tác dân vận ở cơ sở.";
    let e = edit(
        SEED,
        &Op::Set {
            src: row,
            field: "muc_tieu".into(),
            value: long.into(),
        },
    )
    .expect("edit");
    let (_, new) = changed(SEED, &e.text);
    assert!(
        e.text.contains(
            "          - muc_tieu: >-\n              Bảo đảm sự lãnh đạo của Đảng, sự quản lý"
        ),
        "{new:?}"
    );
    assert!(
        new.iter()
            .all(|l| l.trim_end().chars().count() <= value::FOLD_AT),
        "{new:?}"
    );
    assert!(e.text.contains("# 2\n"), "comments kept");
}

#[test]
fn a_list_is_one_name_a_line_in_the_files_style() {
    let row = rows(SEED)[0];
    let e = edit(
        SEED,
        &Op::Set {
            src: row,
            field: "phoi_hop".into(),
            value: "Phòng Văn hóa - Xã hội\nCông an phường\n".into(),
        },
    )
    .expect("edit");
    let (old, new) = changed(SEED, &e.text);
    assert_eq!(
        old,
        ["              - Các phòng, ban, đơn vị sự nghiệp công lập thuộc UBND phường\n"]
    );
    assert_eq!(
        new,
        [
            "              - Phòng Văn hóa - Xã hội\n",
            "              - Công an phường\n"
        ]
    );
}

#[test]
fn amounts_and_dates_as_typed() {
    let row = rows(BUDGET)[0];
    let e = edit(
        BUDGET,
        &Op::Set {
            src: row,
            field: "ngan_sach_phuong".into(),
            value: "1.250,5".into(),
        },
    )
    .expect("edit");
    let (old, new) = changed(BUDGET, &e.text);
    assert_eq!(old, ["            ngan_sach_phuong: 35.5\n"]);
    assert_eq!(new, ["            ngan_sach_phuong: 1250.5\n"]);
    // The plan's date: `~` becomes the date, the comment after it stays.
    let plan = pos(5, 3);
    let e = edit(
        SEED,
        &Op::Set {
            src: plan,
            field: "date".into(),
            value: "30/06/2026".into(),
        },
    )
    .expect("date");
    let (_, new) = changed(SEED, &e.text);
    assert_eq!(
        new,
        ["  date: 2026-06-30            # ngày ký, dạng YYYY-MM-DD: để trống khi chưa ký\n"]
    );
}

#[test]
fn invalid_values_are_refused_at_the_cell() {
    let row = rows(BUDGET)[0];
    let err = edit(
        BUDGET,
        &Op::Set {
            src: row,
            field: "ngan_sach_phuong".into(),
            value: "ba mươi".into(),
        },
    )
    .expect_err("a word in an amount");
    let d = err.to_diagnostic();
    assert_eq!(d.pos, Some(row));
    assert!(
        d.message.vi.contains("không phải là một số"),
        "{}",
        d.message.vi
    );
    let err = edit(
        SEED,
        &Op::Set {
            src: pos(5, 3),
            field: "date".into(),
            value: "31/02/2026".into(),
        },
    )
    .expect_err("31/02");
    assert!(err.to_diagnostic().message.vi.contains("không có"));
    // A value that makes the plan invalid: its diagnostics.
    let err = edit(
        SEED,
        &Op::Set {
            src: pos(5, 3),
            field: "year".into(),
            value: "hai".into(),
        },
    );
    assert!(err.is_err());
}

#[test]
fn a_missing_field_gets_its_line_at_the_end_of_the_row() {
    let row = rows(BUDGET)[0];
    let e = edit(
        BUDGET,
        &Op::Set {
            src: row,
            field: "ghi_chu".into(),
            value: "Mới".into(),
        },
    )
    .expect("edit");
    let (old, new) = changed(BUDGET, &e.text);
    assert!(old.is_empty());
    assert_eq!(new, ["            ghi_chu: Mới\n"]);
}

#[test]
fn a_comment_after_a_list_key_stays_when_the_list_is_emptied() {
    // Found by tests/integration/edit_properties.rs: `phoi_hop: []` took the comment.
    let src = SEED.replacen(
        "            phoi_hop:\n",
        "            phoi_hop:   # ghi chú\n",
        1,
    );
    let row = rows(&src)[0];
    let set = |field: &str, value: &str| {
        edit(
            &src,
            &Op::Set {
                src: row,
                field: field.into(),
                value: value.into(),
            },
        )
        .expect("edit")
    };
    let emptied = set("phoi_hop", "");
    let (_, new) = changed(&src, &emptied.text);
    assert_eq!(new, ["            phoi_hop: []   # ghi chú\n"]);
    // Two names: only the list's lines change, the comment stays above them.
    let two = set("phoi_hop", "Công an phường\nTrạm Y tế");
    let (_, new) = changed(&src, &two.text);
    assert_eq!(
        new,
        [
            "              - Công an phường\n",
            "              - Trạm Y tế\n"
        ]
    );
    assert!(
        two.text
            .contains("phoi_hop:   # ghi chú\n              - Công an phường\n")
    );
}

#[test]
fn a_comment_after_a_value_stays_on_the_key_line_when_the_value_becomes_a_block() {
    // Before: the comment went after the block's last line, into the text (or the list).
    let src = SEED.replacen(
        "            lo_trinh: Thường xuyên\n",
        "            lo_trinh: Thường xuyên   # ghi chú\n",
        1,
    );
    let row = rows(&src)[0];
    let e = edit(
        &src,
        &Op::Set {
            src: row,
            field: "lo_trinh".into(),
            value: "Năm 2026\nNăm 2027".into(),
        },
    )
    .expect("a line break in the text");
    let (_, new) = changed(&src, &e.text);
    assert_eq!(
        new,
        [
            "            lo_trinh: |-   # ghi chú\n",
            "              Năm 2026\n",
            "              Năm 2027\n"
        ]
    );
    let src = BUDGET.replacen(
        "            chu_tri: Văn phòng HĐND và UBND phường\n",
        "            chu_tri: Văn phòng HĐND và UBND phường   # ghi chú\n",
        1,
    );
    let e = edit(
        &src,
        &Op::Set {
            src: rows(&src)[0],
            field: "chu_tri".into(),
            value: "Công an phường\nTrạm Y tế".into(),
        },
    )
    .expect("two names");
    let (_, new) = changed(&src, &e.text);
    assert_eq!(
        new,
        [
            "            chu_tri:   # ghi chú\n",
            "              - Công an phường\n",
            "              - Trạm Y tế\n"
        ]
    );
}

#[test]
fn row_actions_move_exactly_the_rows_lines() {
    let r = rows(SEED);
    let e = edit(SEED, &Op::MoveDown { src: r[0] }).expect("move");
    assert_eq!(e.text.len(), SEED.len());
    let second = SEED.find("          # 2\n").expect("# 2");
    assert!(
        e.text.find("          # 2\n").expect("# 2") < second,
        "row 2 first now"
    );
    let back = edit(
        &e.text,
        &Op::MoveUp {
            src: rows(&e.text)[1],
        },
    )
    .expect("move back");
    assert_eq!(back.text, SEED);
    let d = edit(SEED, &Op::Delete { src: r[2] }).expect("delete");
    assert_eq!(
        d.text.matches("          # 3\n").count() + 1,
        SEED.matches("          # 3\n").count()
    );
    assert_eq!(rows(&d.text).len(), r.len() - 1);
    let i = edit(SEED, &Op::InsertAfter { src: r[0] }).expect("insert");
    let (old, new) = changed(SEED, &i.text);
    assert!(old.is_empty());
    assert_eq!(new[0], "          - muc_tieu:\n");
    assert_eq!(rows(&i.text).len(), r.len() + 1);
    assert!(matches!(
        edit(SEED, &Op::MoveUp { src: r[0] }),
        Err(EditError::CannotMove { .. })
    ));
    assert!(matches!(
        edit(SEED, &Op::Delete { src: pos(9999, 1) }),
        Err(EditError::NoSuchPlace { .. })
    ));
}

#[test]
fn sessions_refuse_stale_versions_and_undo_to_the_exact_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("p.yaml");
    std::fs::write(&file, SEED).expect("write");
    let mut s = Session::new(&file, None);
    let v0 = s.version().expect("version");
    assert_eq!(v0.len(), 64);
    let op = Op::Set {
        src: rows(SEED)[0],
        field: "lo_trinh".into(),
        value: "Năm 2027".into(),
    };
    let a = s.apply(&v0, &op).expect("apply");
    assert_ne!(a.version, v0);
    // The page still shows v0: refused, the file as the first edit left it.
    let after = std::fs::read(&file).expect("read");
    assert!(matches!(s.apply(&v0, &op), Err(EditError::Stale { .. })));
    assert_eq!(std::fs::read(&file).expect("read"), after);
    // An invalid edit writes nothing.
    let bad = Op::Set {
        src: pos(5, 3),
        field: "date".into(),
        value: "31/02/2026".into(),
    };
    assert!(s.apply(&a.version, &bad).is_err());
    assert_eq!(std::fs::read(&file).expect("read"), after);
    assert_eq!(s.undo(Some(&a.version)).expect("undo"), v0);
    assert_eq!(std::fs::read(&file).expect("read"), SEED.as_bytes());
    assert_eq!(s.redo(None).expect("redo"), a.version);
    assert!(matches!(s.redo(None), Err(EditError::Nothing)));
    // Saved elsewhere: undo refuses rather than overwrite that save.
    std::fs::write(&file, format!("{SEED}# x\n")).expect("write");
    assert!(matches!(s.undo(None), Err(EditError::Stale { .. })));
}

fn any_op(n_rows: usize) -> impl Strategy<Value = (usize, u8, String)> {
    (0..n_rows, 0u8..7, "[a-zA-Zà-ỹ ,.:'\"#-]{0,140}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A random edit on a random row of the seed or the budget: the text parses back with
    /// exactly that change, the lines outside that row are unchanged, and the edit
    /// undone (the old text) is the original bytes.
    #[test]
    fn random_edits_keep_every_other_byte((which, row, op, value) in (0usize..2).prop_flat_map(|w| {
        let n = rows(if w == 0 { SEED } else { BUDGET }).len();
        (Just(w), any_op(n)).prop_map(|(w, (r, o, v))| (w, r, o, v))
    })) {
        let src = if which == 0 { SEED } else { BUDGET };
        let r = rows(src)[row];
        let field = if which == 0 { ["muc_tieu", "lo_trinh", "chu_tri"][usize::from(op) % 3] } else { ["noi_dung", "ghi_chu", "chu_tri"][usize::from(op) % 3] };
        let op = match op {
            0 => Op::Delete { src: r },
            1 => Op::MoveUp { src: r },
            2 => Op::MoveDown { src: r },
            3 => Op::InsertAfter { src: r },
            _ => Op::Set { src: r, field: field.into(), value: value.clone() },
        };
        let Ok(e) = edit(src, &op) else { return Ok(()) };
        let (old, new) = changed(src, &e.text);
        match &op {
            Op::Set { .. } => {
                // Only lines of that row changed.
                let first_changed = src.split_inclusive('\n').position(|l| Some(&l) == old.first().or(new.first()));
                prop_assert!(first_changed.is_some() || old.is_empty());
                let reread = root(&e.text);
                let found = plan::find(&reread, r).expect("row still there");
                let Kind::Map(entries) = &found.map.kind else { panic!("map") };
                let v = entries.iter().find(|(k, _)| k.name == field).expect("field");
                let shown = value::as_typed(&v.1.kind, None);
                let kind = plan::field_kind(&plan::find(&root(src), r).expect("row"), field, &templates());
                let expect = match value::parse(kind, &value) { Ok(t) => t, Err(_) => return Ok(()) };
                let want = match &expect { Typed::Text(t) => t.clone(), Typed::List(n) => n.join("\n"), _ => shown.clone() };
                prop_assert_eq!(shown, want);
                // The other rows' lines are all there, unchanged.
                prop_assert_eq!(src.len() as isize - old.concat().len() as isize, e.text.len() as isize - new.concat().len() as isize);
            }
            Op::MoveUp { .. } | Op::MoveDown { .. } => {
                let mut a: Vec<&str> = old.clone(); a.sort_unstable();
                let mut b: Vec<&str> = new.clone(); b.sort_unstable();
                prop_assert_eq!(a, b, "a move only reorders lines");
            }
            Op::Delete { .. } => prop_assert!(new.is_empty() || old.len() > new.len()),
            Op::InsertAfter { .. } | Op::InsertBefore { .. } => prop_assert!(old.is_empty()),
        }
    }
}

#[test]
fn a_list_with_its_dashes_at_the_keys_column_is_rewritten_in_place() {
    // Found by tests/integration/edit_properties.rs: the parser's origin of such a list
    // starts after its first dash, so the new list went after that dash ("- - Công an
    // phường", a list in a list) and the edit was refused as invalid.
    let src = SEED.replacen(
        "            phoi_hop:\n              - Các phòng, ban, đơn vị sự nghiệp công lập thuộc UBND phường\n",
        "            phoi_hop:\n            - Các phòng, ban, đơn vị sự nghiệp công lập thuộc UBND phường\n",
        1,
    );
    assert_ne!(src, SEED);
    let e = edit(
        &src,
        &Op::Set {
            src: rows(&src)[0],
            field: "phoi_hop".into(),
            value: "Công an phường\nTrạm Y tế".into(),
        },
    )
    .expect("edit");
    let (old, new) = changed(&src, &e.text);
    assert_eq!(
        old,
        ["            - Các phòng, ban, đơn vị sự nghiệp công lập thuộc UBND phường\n"]
    );
    assert_eq!(
        new,
        [
            "            - Công an phường\n",
            "            - Trạm Y tế\n"
        ]
    );
}

#[test]
fn a_comment_after_a_folded_values_header_stays() {
    // `muc_tieu: >-   # ghi chú`: the comment went with the old block's header.
    let src = SEED.replacen(
        "          - muc_tieu: >-\n",
        "          - muc_tieu: >-   # ghi chú\n",
        1,
    );
    let row = rows(&src)[0];
    for value in [
        "Ngắn gọn",
        "Bảo đảm sự lãnh đạo của Đảng, sự quản lý của nhà nước",
    ] {
        let e = edit(
            &src,
            &Op::Set {
                src: row,
                field: "muc_tieu".into(),
                value: value.into(),
            },
        )
        .expect("edit");
        let (_, new) = changed(&src, &e.text);
        let kept = format!("          - muc_tieu: >-   # ghi chú\n              {value}\n");
        assert!(e.text.contains(&kept), "{new:?}");
    }
}
