#!/usr/bin/env bash
# Viewer frame times under Xvfb/llvmpipe (issue 5 §8): steady frame, panning frame (cached
# texture shifted while dragging), full map redraw, first complete frame and peak memory,
# for Shuhan and for a 100k-unit synthetic city (skipped when `huqian synth` is missing).
#
# usage: bench/viewer_bench.sh [HUQIAN_EXE] [FRAMES] [BASELINE_EXE]
#   HUQIAN_EXE defaults to build/release/app/huqian; FRAMES (per phase) to 60.
#   BASELINE_EXE (optional): another huqian run right after on each dataset, so a change is
#   measured as a ratio against its baseline under the same machine load.
# Prints one JSON object per dataset (from `huqian view --bench-frames`) plus peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
EXE=${1:-build/release/app/huqian}
FRAMES=${2:-60}
BASELINE=${3:-}
if ! command -v xvfb-run > /dev/null; then
    echo "viewer_bench: xvfb-run not found; install xvfb" >&2
    exit 1
fi
if [ ! -x "$EXE" ]; then
    echo "viewer_bench: $EXE not built" >&2
    exit 1
fi
export MESA_GL_VERSION_OVERRIDE=3.3 MESA_GLSL_VERSION_OVERRIDE=330

run_one() {  # exe, name, project, mode
    local exe=$1 name=$2 project=$3 mode=$4 out
    out=$(mktemp)
    /usr/bin/time -v -o "$out.time" xvfb-run -a -s '-screen 0 1280x800x24' \
        "$exe" view "$project" --mode "$mode" --size 1280x800 --bench-frames "$FRAMES" > "$out"
    local rss
    rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$out.time")
    echo "== $name ($mode) $exe, load average $(cut -d' ' -f1 /proc/loadavg)"
    cat "$out"
    echo "peak_rss_mb: $((rss / 1024))"
    rm -f "$out" "$out.time"
}

run() {  # name, project, mode
    run_one "$EXE" "$@"
    if [ -n "$BASELINE" ]; then run_one "$BASELINE" "$@"; fi
}

run shuhan data/shuhan composition
run shuhan data/shuhan heatmap:pop_tibetan

CITY=${TMPDIR:-/tmp}/huqian-bench-city
if "$EXE" synth --help > /dev/null 2>&1; then
    mkdir -p "$CITY"
    [ -f "$CITY/city.gpkg" ] || "$EXE" synth --units 100000 --groups 8 --seed 1 -o "$CITY/city.gpkg"
    # synth writes the layer only: a manifest names its group columns pop_g01..pop_g08.
    {
        echo '{"huqian_manifest": 1, "name": {"zh": "合成城市", "en": "Synthetic city"}, "illustrative": true,'
        echo ' "crs": "EPSG:32648", "count_roles": ["units"], "layers": {"units": {"path": "city.gpkg"}}, "groups": ['
        colors=("#1b9e77" "#d95f02" "#7570b3" "#e7298a" "#66a61e" "#e6ab02" "#a6761d" "#666666")
        for i in 1 2 3 4 5 6 7 8; do
            sep=$([ $i -lt 8 ] && echo , || true)
            printf '  {"column": "pop_g%02d", "zh": "群体%d", "en": "Group %d", "color": "%s"}%s\n' \
                "$i" "$i" "$i" "${colors[$((i - 1))]}" "$sep"
        done
        echo ']}'
    } > "$CITY/project.json"
    run city-100k "$CITY" dominant
else
    echo "== city-100k: skipped (this huqian has no 'synth' subcommand)"
fi
