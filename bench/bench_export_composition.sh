#!/usr/bin/env bash
# Issue 17 §5: the composition map of a `huqian synth` city (8 groups, seed 1), A4 landscape,
# 300 dpi, as PNG, PDF and SVG, against `huqian info` on the same project, in one run.
# Each command runs 3 times, interleaved (info, png, pdf, svg, info, ...); the medians of
# wall time and of CPU time (user + sys, /usr/bin/time) are reported, with the load average
# before and after: on a shared machine the CPU ratio is the one to read. Not run in CI.
#
#   bench/bench_export_composition.sh [HUQIAN_EXE] [UNITS] [BASELINE_EXE]
#     defaults: build/release/app/huqian 100000; BASELINE_EXE (e.g. a build of main) adds
#     its PNG beside, for a before/after in the same run.
set -euo pipefail
. "$(dirname "$0")/synth_city.sh"
exe=$(realpath "${1:-build/release/app/huqian}")
units=${2:-100000}
base=${3:-}
[ -n "$base" ] && base=$(realpath "$base")
work=$(mktemp -d /tmp/huqian-bench-composition.XXXXXX)
trap 'rm -rf "$work"' EXIT

city="$work/city"
synth_city "$exe" "$units" "$city"

run() {  # name cmd...: appends "name wall cpu" to $work/times
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/t" "$@" > /dev/null 2>&1
  read -r wall user sys < "$work/t"
  echo "$name $wall $(python3 -c "print($user+$sys)")" >> "$work/times"
}
comp=(export "$city" --map composition --template a4-landscape --dpi 300)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in 1 2 3; do
  run info "$exe" info "$city"
  run png "$exe" "${comp[@]}" -o "$work/c.png"
  run pdf "$exe" "${comp[@]}" -o "$work/c.pdf"
  run svg "$exe" "${comp[@]}" -o "$work/c.svg"
  [ -n "$base" ] && run png_baseline "$base" "${comp[@]}" -o "$work/b.png"
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
echo "machine: $(nproc) cores; load average before: $load0, after: $load1; $units units"
python3 - "$work/times" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, cpu = line.split()
    rows.setdefault(name, []).append((float(wall), float(cpu)))
med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in rows.items()}
iw, ic = med["info"]
print(f"{'command':<14} {'wall s':>8} {'CPU s':>8} {'× info wall':>12} {'× info CPU':>11}")
for k in ["info", "png", "pdf", "svg", "png_baseline"]:
    if k in med:
        w, c = med[k]
        print(f"{k:<14} {w:8.2f} {c:8.2f} {w / iw:12.1f} {c / ic:11.1f}")
PY
