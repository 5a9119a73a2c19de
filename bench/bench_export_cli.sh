#!/usr/bin/env bash
# Issue 7 §6 as a planner runs it: whole `huqian export` commands, start to finished file.
#   - Shuhan, A4 landscape, 300 dpi: PDF and PNG (target < 1 s each);
#   - a 100k-unit `huqian synth` city (8 groups), dominant-group map to PDF (target < 10 s).
# Baseline in the same script: `huqian info` on the same project (start-up + loading the
# data and the joins, no drawing), so each figure is also a ratio "× the load time".
# Each command runs 3 times; the median is reported. Not run in CI.
#
#   bench/bench_export_cli.sh [HUQIAN_EXE] [UNITS]     defaults: build/release/app/huqian 100000
set -euo pipefail
exe=$(realpath "${1:-build/release/app/huqian}")
units=${2:-100000}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/synth_city.sh"
work=$(mktemp -d /tmp/huqian-bench-export.XXXXXX)
trap 'rm -rf "$work"' EXIT

median3() {  # runs "$@" three times, prints the median wall time in seconds
  local ts=()
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N)
    ts+=("$(python3 -c "print($t1-$t0)")")
  done
  printf '%s\n' "${ts[@]}" | sort -g | sed -n 2p
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
shuhan="$root/data/shuhan"
b_shuhan=$(median3 "$exe" info "$shuhan")
pdf=$(median3 "$exe" export "$shuhan" --map composition --template a4-landscape --dpi 300 -o "$work/s.pdf")
png=$(median3 "$exe" export "$shuhan" --map composition --template a4-landscape --dpi 300 -o "$work/s.png")

city="$work/city"
synth_city "$exe" "$units" "$city"
b_city=$(median3 "$exe" info "$city")
city_pdf=$(median3 "$exe" export "$city" --map dominant --template a4-landscape -o "$work/c.pdf")

python3 - "$b_shuhan" "$pdf" "$png" "$b_city" "$city_pdf" "$units" <<'PY'
import sys
bs, pdf, png, bc, cpdf = map(float, sys.argv[1:6]); n = sys.argv[6]
print(f"Shuhan A4 300 dpi PDF: {pdf:.2f} s (target < 1 s) = {pdf/bs:.1f}× `huqian info` ({bs:.2f} s)")
print(f"Shuhan A4 300 dpi PNG: {png:.2f} s (target < 1 s) = {png/bs:.1f}× `huqian info`")
print(f"{n}-unit city, dominant map to PDF: {cpdf:.2f} s (target < 10 s) = {cpdf/bc:.1f}× `huqian info` ({bc:.2f} s)")
PY
