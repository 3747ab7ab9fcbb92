#!/usr/bin/env bash
# Writes every user-visible output phuluc makes for the repository's own plans and
# fixtures into DIR, so two builds can be compared byte for byte:
#   bench/snapshot.sh BIN DIR      then      diff -r OLD_DIR NEW_DIR
# Used for refactors that must not change behaviour (issue 19): outputs, --split, SVG,
# budgets, redlines, exports, agencies, check/diff text in both languages, import.
set -uo pipefail
bin=$(realpath "$1"); out=$(realpath -m "$2")
cd "$(dirname "$0")/.."
rm -rf "$out"; mkdir -p "$out"
run() { # name, then the command's arguments: stdout, stderr and exit code are kept
  local name=$1; shift
  "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err"; echo $? >"$out/$name.rc"
}
T=tests/fixtures/templates
run seed render data/ke-hoach-05-nq-du.yaml -o "$out/seed"
run seed-split render data/ke-hoach-05-nq-du.yaml --split -o "$out/seed-split"
run seed-svg render data/ke-hoach-05-nq-du.yaml --format svg -o "$out/seed-svg"
run seed-agency render data/ke-hoach-05-nq-du.yaml --by-agency -o "$out/seed-agency"
run budget render data/vi-du-kinh-phi.yaml -o "$out/budget"
run budget-svg render data/vi-du-kinh-phi.yaml --format svg -o "$out/budget-svg"
run bay-cot render tests/fixtures/plans/bay-cot.yaml --templates $T -o "$out/bay-cot"
run du-toan render tests/fixtures/plans/du-toan.yaml --templates $T -o "$out/du-toan"
run da-ban-hanh render tests/fixtures/plans/da-ban-hanh.yaml -o "$out/da-ban-hanh"
for lang in vi en; do
  run seed-check-$lang check data/ke-hoach-05-nq-du.yaml --lang $lang
  run seed-json-$lang export data/ke-hoach-05-nq-du.yaml --lang $lang
  run seed-agencies-$lang agencies data/ke-hoach-05-nq-du.yaml --lang $lang
  for f in tests/fixtures/bad/*.yaml tests/fixtures/check/*.yaml; do
    n=$(basename "$f" .yaml)
    run bad-$n-check-$lang check "$f" --lang $lang
    run bad-$n-render-$lang render "$f" --lang $lang -o "$out/bad-$n"
  done
  for f in tests/fixtures/diff/*.yaml; do
    n=$(basename "$f" .yaml)
    for fmt in text markdown json; do
      run diff-$n-$fmt-$lang diff tests/fixtures/diff/goc.yaml "$f" --format $fmt --lang $lang
    done
  done
done
for f in tests/fixtures/diff/*.yaml; do
  n=$(basename "$f" .yaml)
  run redline-$n-docx diff tests/fixtures/diff/goc.yaml "$f" --redline "$out/redline-$n.docx"
  run redline-$n-pdf diff tests/fixtures/diff/goc.yaml "$f" --redline "$out/redline-$n.pdf"
done
run seed-xlsx export data/ke-hoach-05-nq-du.yaml --format xlsx -o "$out/seed.xlsx"
run budget-json export data/vi-du-kinh-phi.yaml
run textconv diff --textconv data/ke-hoach-05-nq-du.yaml
for f in tests/fixtures/encoding/*.yaml; do
  [ -e "$f" ] || continue
  n=$(basename "$f" .yaml); cp "$f" "$out/enc-$n.yaml"
  from=vni; case $n in tcvn3*) from=tcvn3;; esac
  run enc-$n fix-encoding --from $from "$out/enc-$n.yaml" -o "$out/enc-$n.fixed.yaml"
done
# Import: phuluc's own .docx of each plan, back to YAML.
for d in seed budget bay-cot du-toan; do
  for docx in "$out/$d"/*.docx; do
    extra=(); [ "$d" = bay-cot ] || [ "$d" = du-toan ] && extra=(--templates $T)
    run import-$d import "$docx" -o "$out/import-$d.yaml" "${extra[@]}"
  done
done
# .xlsx and .docx are zips with fixed dates, so cmp on them is meaningful as it is.
: echo "snapshot in $out: $(ls "$out" | wc -l) entries"
# Messages name the output folder; make them comparable between two DIRs.
find "$out" -name '*.out' -o -name '*.err' | while read -r f; do sed -i "s#$out#OUT#g" "$f"; done
echo "snapshot in $out: $(ls "$out" | wc -l) entries"
# An imported plan names the schema relative to where it was written.
for f in "$out"/import-*.yaml; do [ -e "$f" ] && sed -i '1s#\$schema=.*#$schema=SCHEMA#' "$f"; done
