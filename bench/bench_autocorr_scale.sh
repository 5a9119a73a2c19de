#!/usr/bin/env bash
# Issue 17 §6: `huqian autocorr` at 100k and 1M units, two binaries interleaved, CPU seconds.
#   bench/bench_autocorr_scale.sh BASELINE_EXE NEW_EXE WORKDIR [ROUNDS_100K]
# Makes (or reuses) WORKDIR/city100000 and WORKDIR/city1000000 (`huqian synth --units N
# --groups 8 --seed 1`, bench/synth_city.sh), then for each size runs `autocorr --group
# pop_g01 --seed 1 --json` with `--statistics local_moran` and with all six statistics,
# baseline then new, under /usr/bin/time; prints "size what exe wall user sys rss_kB load"
# and whether the two JSON outputs are byte-identical. CPU (user + sys) is the figure to
# compare on a shared machine.
set -euo pipefail
base=$1 new=$2 work=$3 rounds=${4:-2}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/synth_city.sh"
for n in 100000 1000000; do
  [ -s "$work/city$n/city.gpkg" ] || synth_city "$new" "$n" "$work/city$n"
done
one() {  # one() SIZE WHAT LABEL EXE ARGS...
  local n=$1 what=$2 label=$3 exe=$4
  shift 4
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$exe" autocorr "$work/city$n" --group pop_g01 --seed 1 --json \
    -o "$work/$label-$what-$n.json" "$@" 2>/dev/null
  echo "$n $what $label $(cat "$work/time.txt") $load"
}
for n in 100000 1000000; do
  r=$rounds
  [ "$n" -eq 1000000 ] && r=1
  for ((i = 0; i < r; ++i)); do
    one "$n" local_moran base "$base" --statistics local_moran
    one "$n" local_moran new "$new" --statistics local_moran
    one "$n" all base "$base"
    one "$n" all new "$new"
  done
  for what in local_moran all; do
    if cmp -s "$work/base-$what-$n.json" "$work/new-$what-$n.json"; then echo "$n $what JSON identical"
    else echo "$n $what JSON DIFFERS"; fi
  done
done
