#!/usr/bin/env bash
# Issue 17 §4: the whole `huqian heatmap` on 1M weighted points (2048 × 2048 cells, quartic,
# radius 100 m) against the numpy/scipy FFT peer (bench/heatmap_peer.py) on the same
# GeoPackage, both end to end (process start to file written), interleaved, 3 rounds each.
# Needs Debian python3-numpy python3-scipy (use /usr/bin/python3) and ogr2ogr (gdal-bin).
#
#   bench/bench_heatmap.sh [HUQIAN_EXE] [POINTS]     defaults: build/release/app/huqian 1000000
set -euo pipefail
exe=$(realpath "${1:-build/release/app/huqian}")
points=${2:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/huqian-bench-heatmap.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$work/pts.csv" "$points" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(2026)
n = int(sys.argv[2]); side = 2047 * 10.0
centres = rng.uniform(0.1 * side, 0.9 * side, size=(20, 2))
half = n // 2
u = rng.uniform(0, side, size=(half, 2))
c = centres[rng.integers(0, 20, size=n - half)] + rng.normal(0, side / 40, size=(n - half, 2))
xy = np.clip(np.vstack([u, c]), 0, side) + [400000.0, 3390000.0]
xy[0] = [400000.0, 3390000.0]; xy[1] = [400000.0 + side, 3390000.0 + side]  # the full extent
w = rng.uniform(1, 10, size=n).round(2)
np.savetxt(sys.argv[1], np.column_stack([xy, w]), fmt="%.3f,%.3f,%.2f", header="x,y,w", comments="")
PY
ogr2ogr -f GPKG "$work/pts.gpkg" "$work/pts.csv" -nln pts -a_srs EPSG:32648 \
  -oo X_POSSIBLE_NAMES=x -oo Y_POSSIBLE_NAMES=y -oo AUTODETECT_TYPE=YES -lco SPATIAL_INDEX=NO
run() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N); python3 -c "print(f'{$t1-$t0:.3f}')"; }
hq=(); py=()
for _ in 1 2 3; do
  hq+=("$(run "$exe" heatmap "$work/pts.gpkg" --weight w --radius 100 --pixel 10 -o "$work/hq.tif")")
  py+=("$(run /usr/bin/python3 "$root/bench/heatmap_peer.py" "$work/pts.gpkg" pts 100 10 "$work/py.npy")")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "${hq[*]}" "${py[*]}" "$points" <<'PY'
import statistics, sys
hq = [float(v) for v in sys.argv[1].split()]; py = [float(v) for v in sys.argv[2].split()]
h, p = statistics.median(hq), statistics.median(py)
print(f"heatmap, {sys.argv[3]} weighted points -> 2048x2048, whole command: huqian {h:.2f} s "
      f"(runs {hq}), numpy/scipy FFT peer {p:.2f} s (runs {py}) -> huqian/peer = {h/p:.2f} (target < 1)")
PY
