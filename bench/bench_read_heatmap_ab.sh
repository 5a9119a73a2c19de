#!/usr/bin/env bash
# Issue 17 §3/§4, A/B in one script: two builds (a baseline and a change) read 1M points
# (bench_read --once, GeoPackage and FlatGeobuf, Arrow) and run the whole `heatmap` on 1M
# weighted points, interleaved round by round with the numpy/scipy peer; wall and CPU
# (user + sys) per run, and the GeoTIFFs compared byte for byte.
#
#   bench/bench_read_heatmap_ab.sh BASE_DIR NEW_DIR READ_DIR HEAT_GPKG [ROUNDS]
# BASE_DIR and NEW_DIR hold `huqian` and `bench_read`; READ_DIR holds bench_read's
# points_1m.gpkg and points_1m.fgb (bench_read READ_DIR writes them); HEAT_GPKG is the layer
# bench_heatmap.sh makes (1M points x, y, w in EPSG:32648). Needs /usr/bin/python3 with
# numpy and scipy for the peer.
set -euo pipefail
base=$1 new=$2 rd=$3 heat=$4 rounds=${5:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/huqian-ab.XXXXXX)
trap 'rm -rf "$out"' EXIT
t() {  # label, command...: one line "label wall cpu [program output]"
    local label=$1; shift
    /usr/bin/time -f "%e %U %S" -o "$out/time" "$@" > "$out/stdout" 2>/dev/null || { echo "$label FAILED"; return; }
    read -r wall u s < "$out/time"
    printf '%-22s wall %6.2f s  cpu %6.2f s  %s\n' "$label" "$wall" "$(python3 -c "print($u+$s)")" "$(grep -o 'read [0-9.]* ms' "$out/stdout" || true)"
}
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
    for f in gpkg fgb; do
        t "read $f base" "$base/bench_read" --once "$rd/points_1m.$f" arrow
        t "read $f new" "$new/bench_read" --once "$rd/points_1m.$f" arrow
    done
    t "heatmap base" "$base/huqian" heatmap "$heat" --weight w --radius 100 --pixel 10 -o "$out/base.tif"
    t "heatmap new" "$new/huqian" heatmap "$heat" --weight w --radius 100 --pixel 10 -o "$out/new.tif"
    t "heatmap numpy peer" /usr/bin/python3 "$root/bench/heatmap_peer.py" "$heat" pts 100 10 "$out/py.npy"
    cmp -s "$out/base.tif" "$out/new.tif" && echo "round $r: GeoTIFFs identical" || echo "round $r: GeoTIFFs DIFFER"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
