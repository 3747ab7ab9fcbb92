#!/usr/bin/env bash
# Side by side: phuluc against Typst, RusDox and LibreOffice making the same appendix
# tables, on the seed plan and on a generated large plan. Prints one Markdown report on
# stdout (progress on stderr). See bench/README.md.
#
#   bench/compare.sh                      # seed (5 runs) + 10 000 rows (1 run)
#   bench/compare.sh --no-large           # seed only (about a minute)
#   bench/compare.sh --rows 1000 --large-runs 3 > report.md
#
# Everything it makes goes to a temporary folder (mktemp -d), removed at the end unless
# --keep; it never writes into data/ or output/. It builds phuluc itself (cargo build
# --release). Missing tools are named with the command that installs them; a missing
# optional tool (Typst, RusDox, LibreOffice) leaves its rows marked "not installed".
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/compare.sh [--rows N] [--no-large] [--seed-runs N] [--large-runs N]
                        [--timeout SECONDS] [--keep] [--out FILE]
  --rows N          rows of the generated plan (default 10000)
  --no-large        only the seed plan
  --seed-runs N     timed runs per tool on the seed (default 5; one warm-up run before)
  --large-runs N    timed runs per tool on the large plan (default 1; no warm-up)
  --timeout S       give up a single run after S seconds (default 1800)
  --keep            keep the scratch folder (its path is printed)
  --out FILE        also write the report to FILE
EOF
}

rows=10000
large=1
seed_runs=5
large_runs=1
timeout_s=1800
keep=0
out_file=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rows) rows="$2"; shift 2 ;;
        --no-large) large=0; shift ;;
        --seed-runs) seed_runs="$2"; shift 2 ;;
        --large-runs) large_runs="$2"; shift 2 ;;
        --timeout) timeout_s="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        --out) out_file="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for n in "$rows" "$seed_runs" "$large_runs" "$timeout_s"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: not a positive number: $n" >&2; exit 2; }
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seed_yaml="$root/data/ke-hoach-05-nq-du.yaml"
template="$root/bench/typst/plan.typ"
fonts="$root/fonts"
say() { echo "compare.sh: $*" >&2; }

# ---------------------------------------------------------------- prerequisites
missing=()
need() { # need COMMAND "how to install"
    command -v "$1" >/dev/null 2>&1 || missing+=("$1: $2")
}
need cargo "install Rust: https://rustup.rs (rustup), then open a new shell"
need python3 "apt-get install -y python3"
need pdfinfo "apt-get install -y poppler-utils"
need timeout "apt-get install -y coreutils"
if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
    missing+=("/usr/bin/time (GNU time): apt-get install -y time")
fi
if ((BASH_VERSINFO[0] < 5)); then
    missing+=("bash 5 or newer (for \$EPOCHREALTIME): apt-get install -y bash")
fi
if ((${#missing[@]})); then
    say "missing prerequisites:"
    for m in "${missing[@]}"; do echo "  - $m" >&2; done
    exit 2
fi

# Optional tools: each missing one is named, and its rows say "not installed".
notes=()
typst_mode=""
if command -v typst >/dev/null 2>&1; then
    typst_mode="cli"
elif python3 -c 'import typst' >/dev/null 2>&1; then
    typst_mode="python"
else
    notes+=("Typst not installed: \`pip install typst\` (Python binding, quick) or \`cargo install typst-cli --locked\` (slow to build on 2 cores)")
fi
have_rusdox=0
if command -v rusdox >/dev/null 2>&1; then
    have_rusdox=1
else
    notes+=("RusDox not installed: \`cargo install rusdox --locked\`")
fi
have_soffice=0
if command -v soffice >/dev/null 2>&1; then
    have_soffice=1
else
    notes+=("LibreOffice not installed: \`apt-get install -y libreoffice-writer-nogui\`")
fi
if ((have_rusdox)) && ! fc-list 2>/dev/null | grep -q "Liberation Serif"; then
    # RusDox finds fonts only among the system's (fontdb), not in a folder it is given.
    notes+=("Liberation Serif is not installed system-wide, so RusDox falls back to another font: \`apt-get install -y fonts-liberation2\`")
fi
for n in "${notes[@]}"; do say "$n"; done

# ---------------------------------------------------------------- build, scratch
say "building phuluc (cargo build --release) …"
cargo build --release --quiet --bin phuluc --example make-plan
target="${CARGO_TARGET_DIR:-$root/target}"
phuluc="$target/release/phuluc"
make_plan="$target/release/examples/make-plan"
[[ -x "$phuluc" && -x "$make_plan" ]] || { say "build did not produce $phuluc"; exit 2; }

S="$(mktemp -d "${TMPDIR:-/tmp}/phuluc-compare.XXXXXX")"
if ((keep)); then
    say "scratch folder kept: $S"
else
    trap 'rm -rf "$S"' EXIT
fi
lo_profile="$S/lo-profile"

# ---------------------------------------------------------------- measuring
# measure RUNS WARMUPS DIR CMD… — runs CMD in a fresh, empty DIR each time; sets
# m_wall (median seconds, from bash's microsecond clock around GNU time), m_cpu (median
# user+sys seconds), m_rss (largest peak RSS in KB, children included), m_err (empty on
# success, else the reason).
m_wall="" m_cpu="" m_rss="" m_err=""
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) exit; m=int((NR+1)/2); if (NR%2) print v[m]; else print (v[m]+v[m+1])/2}'; }
measure() {
    local runs="$1" warm="$2" dir="$3"
    shift 3
    local walls=() cpus=() rss=0 i t0 t1 line
    m_err=""
    for ((i = 0; i < warm + runs; i++)); do
        rm -rf "$dir"
        mkdir -p "$dir"
        t0=$EPOCHREALTIME
        local rc=0
        /usr/bin/time -f '%e %U %S %M' -o "$S/time.txt" \
            timeout -k 15 "$timeout_s" "$@" >"$S/stdout.txt" 2>"$S/stderr.txt" || rc=$?
        if ((rc != 0)); then
            # 124: stopped by TERM at the limit; 137: killed 15 s later, for a launcher
            # (LibreOffice's oosplash) that outlives the TERM of the program it started.
            if ((rc == 124 || rc == 137)); then
                m_err="timed out after ${timeout_s} s"
            else
                m_err="failed: $({ grep -m1 -iE 'error|lỗi|fail' "$S/stderr.txt" || grep -m1 . "$S/stderr.txt"; } | cut -c1-160 || true)"
                [[ "$m_err" == "failed: " ]] && m_err="failed (exit status, no message)"
            fi
            return 0
        fi
        t1=$EPOCHREALTIME
        ((i < warm)) && continue
        walls+=("$(awk "BEGIN{printf \"%.4f\", $t1 - $t0}")")
        read -r _ u s line <"$S/time.txt"
        cpus+=("$(awk "BEGIN{printf \"%.2f\", $u + $s}")")
        ((line > rss)) && rss=$line
    done
    m_wall="$(printf '%s\n' "${walls[@]}" | median)"
    m_cpu="$(printf '%s\n' "${cpus[@]}" | median)"
    m_rss="$rss"
}

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
human() { # bytes → "123 KB" / "4.5 MB"
    awk -v b="$1" 'BEGIN {
        if (b >= 1048576) printf "%.1f MB", b / 1048576;
        else if (b >= 1024) printf "%.0f KB", b / 1024;
        else printf "%d B", b }'
}
pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }
secs() { # seconds → "21 ms" / "3.42 s" (GNU time's CPU figures step by 10 ms)
    awk -v s="$1" 'BEGIN { if (s == 0) printf "< 10 ms"; else if (s < 1) printf "%.0f ms", s * 1000; else if (s < 100) printf "%.2f s", s; else printf "%.0f s", s }'
}
mem() { awk -v k="$1" 'BEGIN { if (k >= 1048576) printf "%.2f GB", k / 1048576; else printf "%.0f MB", k / 1024 }'; }

# Rows of the report, one line each: input|tool|makes|wall|cpu|rss|sizes|pages|ratio|cmd#
report_rows=()
commands=()
base_wall_all="" base_wall_pdf="" base_wall_docx=""

# row INPUT TOOL MAKES BASE FILES… — after a `measure`; BASE is all|pdf|docx|none, the
# phuluc row the ratio compares against; FILES are the outputs (sizes, and pages of PDFs).
row() {
    local input="$1" tool="$2" makes="$3" base="$4"
    shift 4
    local cmd="${last_cmd//$S/\$S}"
    cmd="${cmd//$root\//}"
    commands+=("$cmd")
    local n=${#commands[@]}
    if [[ -n "$m_err" ]]; then
        report_rows+=("| $input | $tool | $makes | $m_err | | | | | | $n |")
        return
    fi
    local sizes="" pages="" f p
    for f in "$@"; do
        [[ -n "$sizes" ]] && sizes+=", "
        sizes+="$(human "$(size_of "$f")") ${f##*.}"
        if [[ "$f" == *.pdf ]]; then
            p="$(pages_of "$f")"
            pages+="${pages:+, }${p:-?}"
        fi
    done
    local ratio="" b=""
    case "$base" in
        all) b="$base_wall_all" ;;
        pdf) b="$base_wall_pdf" ;;
        docx) b="$base_wall_docx" ;;
    esac
    if [[ "$base" == self ]]; then
        ratio="1× (baseline)"
    elif [[ -n "$b" ]]; then
        ratio="$(awk -v t="$m_wall" -v b="$b" -v w="$base" 'BEGIN {
            r = t / b;
            if (r >= 1) printf "%.1f× slower than phuluc %s", r, w;
            else printf "%.1f× faster than phuluc %s", 1 / r, w }')"
    fi
    report_rows+=("| $input | $tool | $makes | $(secs "$m_wall") | $(secs "$m_cpu") | $(mem "$m_rss") | ${sizes:-—} | ${pages:-—} | $ratio | $n |")
}
skip_row() { # skip_row INPUT TOOL MAKES WHY
    report_rows+=("| $1 | $2 | $3 | $4 | | | | | | |")
}


# ---------------------------------------------------------------- one input
run_input() { # run_input LABEL YAML RUNS WARMUPS
    local label="$1" yaml="$2" runs="$3" warm="$4"
    local w="$S/${label// /-}"
    mkdir -p "$w"
    base_wall_all="" base_wall_pdf="" base_wall_docx=""
    say "$label: phuluc …"
    local o="$w/phuluc-all"
    last_cmd="$phuluc render $yaml -o $o --format all"
    measure "$runs" "$warm" "$o" "$phuluc" render "$yaml" -o "$o" --format all
    [[ -z "$m_err" ]] && base_wall_all="$m_wall"
    local stem
    stem="$(basename "${yaml%.*}")"
    row "$label" "phuluc render" ".docx + PDF" self "$o/$stem.docx" "$o/$stem.pdf"
    # Keep one .docx for LibreOffice.
    cp "$o/$stem.docx" "$w/plan.docx" 2>/dev/null || true

    o="$w/phuluc-docx"
    last_cmd="$phuluc render $yaml -o $o --format docx"
    measure "$runs" "$warm" "$o" "$phuluc" render "$yaml" -o "$o" --format docx
    [[ -z "$m_err" ]] && base_wall_docx="$m_wall"
    row "$label" "phuluc render" ".docx" self "$o/$stem.docx"

    o="$w/phuluc-pdf"
    last_cmd="$phuluc render $yaml -o $o --format pdf"
    measure "$runs" "$warm" "$o" "$phuluc" render "$yaml" -o "$o" --format pdf
    [[ -z "$m_err" ]] && base_wall_pdf="$m_wall"
    row "$label" "phuluc render" "PDF" self "$o/$stem.pdf"

    # The composed rows, for Typst and RusDox (their input).
    o="$w/export"
    last_cmd="$phuluc export $yaml --format json > $o/plan.json"
    measure "$runs" "$warm" "$o" sh -c '"$1" export "$2" --format json > "$3"' sh "$phuluc" "$yaml" "$o/plan.json"
    row "$label" "phuluc export (the input of Typst, RusDox)" "JSON" none "$o/plan.json"
    local json="$w/plan.json"
    cp "$o/plan.json" "$json" 2>/dev/null || { say "export failed: $m_err"; return; }

    # Typst.
    if [[ "$typst_mode" == cli ]]; then
        say "$label: Typst (typst-cli) …"
        o="$w/typst"
        last_cmd="typst compile --root / --font-path $fonts --ignore-system-fonts --input data=$json $template $o/plan.pdf"
        measure "$runs" "$warm" "$o" typst compile --root / --font-path "$fonts" --ignore-system-fonts \
            --input "data=$json" "$template" "$o/plan.pdf"
        row "$label" "Typst $typst_version (CLI) ← JSON" "PDF" pdf "$o/plan.pdf"
    elif [[ "$typst_mode" == python ]]; then
        say "$label: Typst (Python binding) …"
        o="$w/typst"
        last_cmd="python3 bench/typst_compile.py $template $json $o/plan.pdf $fonts"
        measure "$runs" "$warm" "$o" python3 "$root/bench/typst_compile.py" "$template" "$json" "$o/plan.pdf" "$fonts"
        row "$label" "Typst $typst_version (Python binding) ← JSON" "PDF" pdf "$o/plan.pdf"
        # What the binding adds before Typst starts: Python and the module.
        o="$w/python"
        last_cmd="python3 -c 'import typst'"   # the runner's fixed cost
        measure "$runs" "$warm" "$o" python3 -c 'import typst'
        row "$label" "… of which Python start + \`import typst\`" "nothing" none
    else
        skip_row "$label" "Typst" "PDF" "not installed"
    fi

    # RusDox.
    if ((have_rusdox)); then
        say "$label: RusDox …"
        local spec="$w/rusdox-spec"
        if ! python3 "$root/bench/rusdox_spec.py" "$json" "$spec" 2>"$w/rusdox-spec.log"; then
            skip_row "$label" "RusDox" ".docx + PDF" "spec generation failed: $(head -c 160 "$w/rusdox-spec.log")"
        else
            if [[ -s "$w/rusdox-spec.log" ]]; then
                notes+=("$label: $(cat "$w/rusdox-spec.log")")
            fi
            # RusDox reads ./rusdox.toml, which sends its files to out/generated and
            # out/rendered: run it in the spec's folder.
            o="$spec/out"
            last_cmd="env -C $spec rusdox plan.json   # plan.json, rusdox.toml: python3 bench/rusdox_spec.py $json $spec"
            measure "$runs" "$warm" "$o" env -C "$spec" rusdox plan.json
            row "$label" "RusDox $rusdox_version ← JSON" ".docx + PDF" all "$o/generated/plan.docx" "$o/rendered/plan.pdf"
            last_cmd="env -C $spec rusdox --docx-only plan.json"
            measure "$runs" "$warm" "$o" env -C "$spec" rusdox --docx-only plan.json
            row "$label" "RusDox $rusdox_version ← JSON" ".docx" docx "$o/generated/plan.docx"
        fi
    else
        skip_row "$label" "RusDox" ".docx + PDF" "not installed"
    fi

    # LibreOffice: phuluc's .docx to PDF.
    if ((have_soffice)) && [[ -f "$w/plan.docx" ]]; then
        say "$label: LibreOffice …"
        o="$w/soffice"
        last_cmd="soffice -env:UserInstallation=file://$lo_profile --headless --convert-to pdf --outdir $o $w/plan.docx"
        measure "$runs" "$warm" "$o" soffice "-env:UserInstallation=file://$lo_profile" --headless \
            --convert-to pdf --outdir "$o" "$w/plan.docx"
        row "$label" "LibreOffice $soffice_version, phuluc's .docx → PDF" "PDF" pdf "$o/plan.pdf"
    else
        skip_row "$label" "LibreOffice" "PDF" "not installed"
    fi
}

# ---------------------------------------------------------------- versions
typst_version="" typst_pip="" rusdox_version="" soffice_version=""
if [[ "$typst_mode" == cli ]]; then
    typst_version="$(typst --version 2>/dev/null | awk '{print $2}' || true)"
elif [[ "$typst_mode" == python ]]; then
    typst_version="$(python3 - "$S" <<'EOF'
import sys, pathlib, typst
p = pathlib.Path(sys.argv[1]) / "v.typ"
p.write_text('#metadata(str(sys.version)) <v>')
print(typst.query(str(p), "<v>", field="value", one=True).strip('"'))
EOF
)" || typst_version="?"
    typst_pip="$(python3 -c 'import typst; print(typst.__version__)')"
fi
if ((have_rusdox)); then
    rusdox_version="$(rusdox --version 2>/dev/null | awk '{print $NF}' || true)"
fi
if ((have_soffice)); then
    soffice_version="$(soffice --version 2>/dev/null | awk 'NR == 1 {print $2}' || true)"
fi

# The LibreOffice profile is made on the first start (seconds): make it before timing.
if ((have_soffice)); then
    say "preparing a private LibreOffice profile …"
    soffice "-env:UserInstallation=file://$lo_profile" --headless --terminate_after_init >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------- run
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
run_input "seed" "$seed_yaml" "$seed_runs" 1
if ((large)); then
    say "generating a $rows-row plan …"
    big="$S/plan-$rows.yaml"
    "$make_plan" --rows "$rows" >"$big"
    run_input "$rows rows" "$big" "$large_runs" 0
fi

# ---------------------------------------------------------------- report
cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
mem_total="$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
{
    echo "# phuluc side by side"
    echo
    echo "- Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $mem_total; $(uname -sr)"
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the run: $load_before"
    echo "- Scratch folder on $(df -T "$S" | awk 'NR == 2 {print $2}') (\`TMPDIR\`=${TMPDIR:-/tmp})"
    echo "- phuluc $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?') ($(rustc --version 2>/dev/null | awk '{print $1, $2}'), release profile)"
    if [[ "$typst_mode" == python ]]; then
        echo "- Typst $typst_version (PyPI package \`typst\` $typst_pip, the Python binding)"
    elif [[ "$typst_mode" == cli ]]; then
        echo "- Typst $typst_version (typst-cli)"
    fi
    ((have_rusdox)) && echo "- RusDox $rusdox_version"
    ((have_soffice)) && echo "- LibreOffice $soffice_version"
    echo "- Inputs: seed = \`data/ke-hoach-05-nq-du.yaml\` ($(human "$(size_of "$seed_yaml")"); timed runs: $seed_runs, after 1 warm-up)"
    if ((large)); then
        echo "  and \`make-plan --rows $rows\` ($(human "$(size_of "$S/plan-$rows.yaml")"); timed runs: $large_runs, no warm-up)"
    fi
    echo
    echo "| input | tool | makes | wall (median) | CPU user+sys | peak RSS | output | pages | vs phuluc | cmd |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    printf '%s\n' "${report_rows[@]}"
    echo
    echo "Wall: elapsed time of the whole process, median of the timed runs. CPU: user + system"
    echo "time, median (above wall when a tool uses both cores; GNU time counts in 10 ms steps)."
    echo "Peak RSS: the largest resident set of the process and its children over the runs (GNU"
    echo "time). Output: file sizes. Pages: \`pdfinfo\`. vs phuluc: wall time against the phuluc row"
    echo "making the same format(s). Typst and RusDox start from \`phuluc export\`'s JSON (the"
    echo "composed rows, numbers computed); the export row is that cost, not included in theirs."
    echo "phuluc syncs each output file and its folder to disk before it reports success (atomic"
    echo "writes); the others do not, so on a disk-backed scratch folder phuluc's wall time holds"
    echo "the disk's flush time (compare its CPU column, or run with TMPDIR=/dev/shm)."
    echo
    echo "Not the same document in every detail (see bench/README.md): Typst breaks lines by"
    echo "Knuth–Plass, not Word's greedy fill, and has no keep-with-next for heading rows;"
    echo "RusDox cannot centre the column titles or cells vertically, draw the rule under the"
    echo "heading block, or restart page numbers per appendix and hide them on its first page,"
    echo "and embeds whole fonts; LibreOffice lays out phuluc's own .docx."
    echo
    echo "Commands, from the repository root (\`\$S\` is the scratch folder; each run starts in an"
    echo "empty output folder):"
    echo
    local_i=0
    for c in "${commands[@]}"; do
        local_i=$((local_i + 1))
        echo "$local_i. \`$c\`"
    done
    if ((${#notes[@]})); then
        echo
        echo "Notes:"
        echo
        for n in "${notes[@]}"; do echo "- $n"; done
    fi
} | if [[ -n "$out_file" ]]; then tee "$out_file"; else cat; fi
