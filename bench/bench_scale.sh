#!/usr/bin/env bash
# Issue 17 §5, §6 and §8 as a planner meets them: every subcommand, whole, on a `huqian synth`
# city of each size, once, with /usr/bin/time: wall seconds, CPU seconds (user + sys, far
# less distorted by other load than wall) and peak resident memory. The baseline in the same
# run is `huqian info` on the same project (start-up and loading, nothing else), so every row
# is also a ratio "× info". The load average before each command is printed beside it.
# Prints one Markdown table per size and keeps the raw lines in OUT/raw.tsv. Not run in CI.
#
#   bench/bench_scale.sh [HUQIAN_EXE] [UNITS...]     defaults: build/release/app/huqian 100000 1000000
#   HUQIAN_BENCH_TIMEOUT   seconds per command (default 1800)
#   HUQIAN_BENCH_OUT       folder for the cities, outputs and raw.tsv (default: a temporary one, removed)
#   HUQIAN_BENCH_SKIP      extended regex of row labels to leave out
#   HUQIAN_BENCH_PG        set: also `project push` / `project pull` through a throwaway PostGIS
#                          server (tests/postgis/pg_server.sh)
set -euo pipefail
. "$(dirname "$0")/synth_city.sh"
exe=$(realpath "${1:-build/release/app/huqian}")
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
limit=${HUQIAN_BENCH_TIMEOUT:-1800}
if [ -n "${HUQIAN_BENCH_OUT:-}" ]; then
  work=$HUQIAN_BENCH_OUT
  mkdir -p "$work"
else
  work=$(mktemp -d /tmp/huqian-bench-scale.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
raw=$work/raw.tsv
: >"$raw"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); huqian $("$exe" --version 2>/dev/null | head -1)"

# run SIZE LABEL CMD...: one timed run; appends "size label status wall cpu rss_mb load" to raw.tsv
run() {
  local size=$1 label=$2
  shift 2
  # HUQIAN_BENCH_SKIP: an extended regex of labels not to run (e.g. rows already measured).
  if [ -n "${HUQIAN_BENCH_SKIP:-}" ] && [[ "$label" =~ $HUQIAN_BENCH_SKIP ]]; then return 0; fi
  local load status=ok tf=$work/time.txt
  load=$(cut -d' ' -f1 /proc/loadavg)
  local rc=0
  timeout "$limit" /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >"$work/out.txt" 2>"$work/err.txt" || rc=$?
  if [ "$rc" -ne 0 ]; then
    status="exit $rc: $(grep -v warning "$work/err.txt" | head -c 160 | tr '\n\t' '  ')"
    [ "$rc" -eq 124 ] && status="timed out after $limit s"
    [ -s "$tf" ] || echo "$limit 0 0 0" >"$tf"
  fi
  # /usr/bin/time writes "Command exited with non-zero status N" first when the command fails.
  read -r wall user sys rss < <(tail -1 "$tf")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$label" "$status" "$wall" \
    "$(python3 -c "print(round($user + $sys, 2))")" "$((rss / 1024))" "$load" | tee -a "$raw"
}

for n in "${sizes[@]}"; do
  city=$work/city$n
  mkdir -p "$city"
  run "$n" "synth --units $n --groups 8" "$exe" synth --units "$n" --groups 8 --seed 1 -o "$city/city.gpkg"
  city_manifest "$city"
  o=$work/out$n
  mkdir -p "$o"
  run "$n" "info" "$exe" info "$city"
  run "$n" "weights --weights queen -o w.gal" "$exe" weights "$city" --weights queen -o "$o/w.gal"
  run "$n" "autocorr --group pop_g01 (six statistics, 999 permutations, JSON)" "$exe" autocorr "$city" --group pop_g01 --json
  run "$n" "autocorr --group pop_g01 --statistics local_moran (999, JSON)" "$exe" autocorr "$city" --group pop_g01 --statistics local_moran --json
  run "$n" "indices --json" "$exe" indices "$city" --json
  run "$n" "heatmap --group pop_g01 --radius 200 --pixel 10" "$exe" heatmap "$city" --group pop_g01 --radius 200 --pixel 10 -o "$o/h.tif"
  for m in composition dominant mixing heatmap:pop_g01 lisa:pop_g01 index:multi_local_entropy index:multi_local_simpson_interaction index:local_distortion index:share:pop_g01 index:lisa_z:pop_g01; do
    f=$(echo "$m" | tr ':' '_')
    run "$n" "export --map $m (PDF)" "$exe" export "$city" --map "$m" -o "$o/$f.pdf"
  done
  run "$n" "export --map composition (PNG, 300 dpi)" "$exe" export "$city" --map composition -o "$o/composition.png"
  run "$n" "export --map composition (SVG)" "$exe" export "$city" --map composition -o "$o/composition.svg"
  run "$n" "export --map dominant (GeoPackage for QGIS)" "$exe" export "$city" --map dominant -o "$o/dominant.gpkg"
  run "$n" "report" "$exe" report "$city" -o "$o/report"
  # Planning: three zones, 300 m around three units spread over the city (made by GDAL's
  # SQLite dialect from the city itself), evaluated; five sites suggested among the units.
  ogr2ogr -q -f GeoJSON -t_srs EPSG:4326 -dialect SQLite \
    -sql "SELECT ST_Buffer(ST_Centroid(geom), 300) AS geom, 'Z' || fid AS name FROM units WHERE fid IN (1, $((n / 2)), $((n - 1)))" \
    "$o/zones.geojson" "$city/city.gpkg"
  run "$n" "plan evaluate --zones (3 zones, 300 m)" "$exe" plan evaluate "$city" --zones "$o/zones.geojson" --json -o "$o/evaluate.json"
  run "$n" "plan suggest --k 5" "$exe" plan suggest "$city" --k 5 --json -o "$o/suggest.json"
  # The viewer: start, first complete frame and 5 frames of each phase, under Xvfb.
  if command -v xvfb-run > /dev/null; then
    run "$n" "view --mode dominant (Xvfb, first frame + 5 frames a phase)" env MESA_GL_VERSION_OVERRIDE=3.3 \
      MESA_GLSL_VERSION_OVERRIDE=330 xvfb-run -a -s '-screen 0 1280x800x24' "$exe" view "$city" --mode dominant \
      --size 1280x800 --bench-frames 5
  fi
  # A district database (issue 18): push the city into a throwaway PostGIS server, pull it back.
  if [ -n "${HUQIAN_BENCH_PG:-}" ]; then
    pgstate=$work/pg.state
    bash "$(dirname "$0")/../tests/postgis/pg_server.sh" start "$pgstate"
    run "$n" "project push (PostGIS)" "$exe" project push "$city" "PG:$(cat "$pgstate")" --community "c$n"
    run "$n" "project pull (PostGIS → GeoPackage)" "$exe" project pull "PG:$(cat "$pgstate")" --community "c$n" -o "$o/pulled.gpkg"
    bash "$(dirname "$0")/../tests/postgis/pg_server.sh" stop "$pgstate"
  fi
  rm -rf "$o"
done

python3 - "$raw" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8", errors="replace") if l.strip()]
by = collections.OrderedDict()
for r in rows:
    by.setdefault(r[0], []).append(r)
for n, rs in by.items():
    info = next((r for r in rs if r[1] == "info"), None)
    iw, ic = (float(info[3]), float(info[4])) if info else (None, None)
    print(f"\n{int(n):,} units\n")
    print("| subcommand | wall s | CPU s | × info (wall / CPU) | peak RSS | load before | status |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rs:
        w, c = float(r[3]), float(r[4])
        ratio = f"{w/iw:.1f} / {c/ic:.1f}" if iw and r[1] != "info" else "—"
        print(f"| `{r[1]}` | {w:.2f} | {c:.2f} | {ratio} | {int(r[5]):,} MB | {r[6]} | {r[2]} |")
PY
