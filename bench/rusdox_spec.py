#!/usr/bin/env python3
"""Turns `phuluc export FILE.yaml --format json` into a RusDox document spec (JSON) with
the same tables, plus the `rusdox.toml` that styles them like phuluc's appendices.

    python3 bench/rusdox_spec.py plan.json OUT_DIR

writes OUT_DIR/plan.json (the spec) and OUT_DIR/rusdox.toml; `cd OUT_DIR && rusdox
plan.json` (RusDox reads ./rusdox.toml) then writes out/generated/plan.docx and
out/rendered/plan.pdf. RusDox refuses a spec file over 8 MiB
(`InputLimits::max_spec_bytes`; its render command has no option to raise it), so a
bigger document is split: each table's rows are cut into consecutive table blocks of at
most 7 MiB, each in a fragment OUT_DIR/rows-N.json that the spec pulls in with RusDox's
own `include` block (each included file has its own 8 MiB limit, at most 128 files).
Each fragment table starts with the column-title row again. The split is reported on
stderr.

What RusDox (1.1) can express and what it cannot, as mapped here:
- page size, orientation and margins: `page_setup` (twips), one setup for the document;
- heading lines: `paragraph` blocks with bold runs, size, alignment, space after;
- the column-title row: RusDox makes it from `columns[].label` and repeats it on every
  page; it is always left-aligned (phuluc centres it) and cannot be given other text;
- body rows: `rich` cells (paragraphs of runs: bold, size, alignment) with `grid_span`
  for the heading rows; borders, padding and table text size come from rusdox.toml;
- not expressible: vertical centring in a cell, the short rule under the heading block,
  keep-with-next for heading rows, page numbers that restart for each appendix and are
  hidden on its first page (RusDox numbers all pages continuously: `{page}` in a header).
"""

import json
import sys
from pathlib import Path

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20
# RusDox refuses any spec file above 8 MiB; stay well below it.
MAX_FILE_BYTES = 7 * 1024 * 1024
FONT = "Liberation Serif"

ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "justified"}


def twips_mm(x):
    return round(x * TWIPS_PER_MM)


def runs(text, style):
    """One run per line: RusDox has no line-break run, so '\n' starts a new paragraph."""
    return [
        {
            "text": line,
            "bold": style["bold"],
            "italic": style["italic"],
            "size_pt": style["size_pt"],
            "font_family": FONT,
        }
        for line in text.split("\n")
    ]


def paragraphs(text, style, align, after_twips=None):
    out = []
    for r in runs(text, style):
        p = {"runs": [r], "alignment": ALIGN[align]}
        if after_twips is not None:
            p["spacing_after_twips"] = after_twips
        out.append(p)
    return out


def cell(c):
    spec = {"kind": "rich", "paragraphs": paragraphs(c["text"], c, c["align"])}
    if c["span"] > 1:
        spec["grid_span"] = c["span"]
    return spec


def row(r):
    return {"cells": [cell(c) for c in r["cells"]], "allow_split_across_pages": True}


def table_block(table, body_rows):
    header = table["header"][0]["cells"] if table["header"] else []
    columns = [
        {"label": h["text"].replace("\n", " "), "width": twips_mm(w)}
        for h, w in zip(header, table["columns_mm"])
    ]
    return {"type": "table", "spec": {"columns": columns, "rows": body_rows}}


def heading_blocks(part, first):
    blocks = []
    for i, h in enumerate(part["heading"]):
        for j, p in enumerate(
            paragraphs(h["text"], h, h["align"], round(h["space_after_pt"] * TWIPS_PER_PT))
        ):
            spec = dict(p)
            if not first and i == 0 and j == 0:
                spec["page_break_before"] = True
            blocks.append({"type": "paragraph", "spec": spec})
    # The space before the table (the rule itself cannot be drawn).
    space = part["space_before_table_pt"] + (
        part["rule"]["space_before_pt"] if part["rule"] else 0
    )
    blocks.append(
        {
            "type": "paragraph",
            "spec": {
                "runs": [{"text": "", "size_pt": 1, "font_family": FONT}],
                "spacing_after_twips": round(space * TWIPS_PER_PT),
            },
        }
    )
    return blocks


def size(obj):
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode())


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: rusdox_spec.py EXPORTED.json OUT_DIR")
    doc = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    parts = doc["parts"]
    page = parts[0]["page"]
    m = page["margins_mm"]
    spec = {
        "version": 1,
        "output_name": "plan",
        "metadata": {
            "title": doc["meta"]["title"],
            "author": doc["meta"]["author"],
            "language": doc["meta"]["language"],
        },
        "page_setup": {
            "width_twips": twips_mm(page["width_mm"]),
            "height_twips": twips_mm(page["height_mm"]),
            "orientation": "landscape" if page["landscape"] else "portrait",
            "margin_top_twips": twips_mm(m["top"]),
            "margin_bottom_twips": twips_mm(m["bottom"]),
            "margin_left_twips": twips_mm(m["left"]),
            "margin_right_twips": twips_mm(m["right"]),
            "header_twips": twips_mm(page["header_mm"]),
            "footer_twips": twips_mm(m["bottom"] / 2),
            "gutter_twips": 0,
        },
        "header": {"text": "{page}", "alignment": "center"},
        "blocks": [],
    }
    # Rows grouped into table blocks whose JSON stays under the per-file limit.
    fragments = []
    for i, part in enumerate(parts):
        spec["blocks"].extend(heading_blocks(part, i == 0))
        rows = [row(r) for r in part["table"]["body"]]
        chunk, chunk_size = [], 0
        chunks = []
        for r in rows:
            s = size(r) + 1
            if chunk and chunk_size + s > MAX_FILE_BYTES - 64 * 1024:
                chunks.append(chunk)
                chunk, chunk_size = [], 0
            chunk.append(r)
            chunk_size += s
        chunks.append(chunk)
        for c in chunks:
            fragments.append(table_block(part["table"], c))
        spec["blocks"].append(("part", i, len(chunks)))
    # Inline the tables when everything fits in one file, else one include per table.
    total = size(spec) + sum(size(f) for f in fragments)
    split = total > MAX_FILE_BYTES
    blocks, k = [], 0
    for b in spec["blocks"]:
        if not isinstance(b, tuple):
            blocks.append(b)
            continue
        for _ in range(b[2]):
            if split:
                name = f"rows-{k + 1}.json"
                (out / name).write_text(
                    json.dumps(fragments[k], ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8",
                )
                blocks.append({"type": "include", "path": name})
            else:
                blocks.append(fragments[k])
            k += 1
    spec["blocks"] = blocks
    (out / "plan.json").write_text(
        json.dumps(spec, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    if split:
        print(
            f"rusdox_spec: spec is {total / 1048576:.1f} MiB, over RusDox's 8 MiB limit per "
            f"file: split into {k} included table fragments",
            file=sys.stderr,
        )
    (out / "rusdox.toml").write_text(CONFIG, encoding="utf-8")


# Black grid 0.5 pt, white cells, Liberation Serif 13 pt, no space around cell paragraphs,
# padding 0.5 mm / 1.9 mm, Word's single line spacing (1.15).
CONFIG = f"""profile_name = "phuluc comparison"

[output]
docx_dir = "out/generated"
pdf_dir = "out/rendered"
emit_pdf_preview = true

[typography]
font_family = "{FONT}"
body_size_pt = 13.0
table_size_pt = 13.0

[spacing]
table_header_before_twips = 0
table_header_after_twips = 0
table_data_before_twips = 0
table_data_after_twips = 0
body_after_twips = 0

[colors]
ink = "000000"
slate = "000000"
soft = "FFFFFF"
pale = "FFFFFF"
table_border = "000000"

[table]
grid_border_size_eighth_pt = 4
pdf_cell_padding_x_pt = {1.9 * 72 / 25.4:.2f}
pdf_cell_padding_y_pt = {0.5 * 72 / 25.4:.2f}
pdf_after_spacing_pt = 0.0
pdf_grid_stroke_width_pt = 0.5

[pdf]
default_text_size_pt = 13.0
line_height_multiplier = 1.15
"""

if __name__ == "__main__":
    main()
