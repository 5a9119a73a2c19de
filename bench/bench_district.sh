#!/usr/bin/env bash
# Issue 18 speed target: `huqian indices --by community` over 3,000 communities × 100 units
# read from PostGIS in < 10 s, with the same data read from a GeoPackage beside it.
# The data: `huqian synth` (300,000 Voronoi units, 4 groups), a `community` column
# (id / 100), loaded into a throwaway PostgreSQL + PostGIS server (tests/postgis/pg_server.sh,
# Unix socket only) with ogr2ogr. Not run in CI.
#
#   bench/bench_district.sh [HUQIAN_EXE] [COMMUNITIES] [UNITS_PER_COMMUNITY]
# defaults: build/release/app/huqian 3000 100
set -euo pipefail
exe=$(realpath "${1:-build/release/app/huqian}")
communities=${2:-3000}
per=${3:-100}
units=$((communities * per))
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/huqian-bench-district.XXXXXX)
state="$work/pg.state"
chmod 755 "$work"
cleanup() { bash "$here/../tests/postgis/pg_server.sh" stop "$state" || true; rm -rf "$work"; }
trap cleanup EXIT
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2-$1:.2f}')"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$exe" synth --units "$units" --groups 4 --seed 1 -o "$work/city.gpkg" 2>/dev/null
ogr2ogr -f GPKG "$work/district.gpkg" "$work/city.gpkg" -nln units -dialect SQLITE \
  -sql "SELECT *, printf('C%04d', id / $per) AS community FROM units"
bash "$here/../tests/postgis/pg_server.sh" start "$state"
db="PG:$(cat "$state")"
t0=$(now)
PG_USE_COPY=YES ogr2ogr -f PostgreSQL "$db" "$work/district.gpkg" -nln units_bench -lco SPATIAL_INDEX=GIST -overwrite
t1=$(now)
echo "load into PostGIS (ogr2ogr, not timed by the target): $(elapsed "$t0" "$t1") s"
groups=pop_g01,pop_g02,pop_g03,pop_g04

# CPU seconds beside the wall time: this process's (user + sys) and the database server's
# (its backends' CPU, added to the postmaster's children times when they exit). On a machine
# shared with other jobs the wall time depends on the load; the CPU seconds much less.
pm=$(head -1 "$(cat "$state.dir")/data/postmaster.pid")
tck=$(getconf CLK_TCK)
server_ticks() { awk '{print $16 + $17}' "/proc/$pm/stat"; }
run() {  # run NAME CMD...: prints "wall client_cpu server_cpu"
  local name=$1; shift
  local s0 s1
  s0=$(server_ticks)
  /usr/bin/time -f "%e %U %S" -o "$work/$name.time" "$@" 2>/dev/null
  s1=$(server_ticks)
  read -r w u s < "$work/$name.time"
  python3 -c "print(f'{$w:.2f} {$u + $s:.2f} {($s1 - $s0) / $tck:.2f}')"
}
read -r pg_time pg_cpu pg_server <<< "$(run pg "$exe" indices "$db" --layer units_bench --by community --groups "$groups" --csv -o "$work/pg.csv")"
read -r gpkg_time gpkg_cpu _ <<< "$(run gpkg "$exe" indices "$work/district.gpkg" --layer units --by community --groups "$groups" --csv -o "$work/gpkg.csv")"

rows=$(($(wc -l < "$work/pg.csv") - 1))
same=$(cmp -s "$work/pg.csv" "$work/gpkg.csv" && echo identical || echo DIFFERENT)
if [[ -n "${HUQIAN_BENCH_KEEP:-}" ]]; then cp "$work/pg.csv" "$work/gpkg.csv" "$HUQIAN_BENCH_KEEP/"; fi
echo "indices --by community, $communities communities x $per units ($units units), $rows rows:"
echo "  from PostGIS:    $pg_time s (target < 10 s); CPU: huqian $pg_cpu s, server $pg_server s"
echo "  from GeoPackage: $gpkg_time s; CPU: huqian $gpkg_cpu s"
echo "  the two CSVs are $same"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
