#!/usr/bin/env bash
# Issue 17 §1: the whole `huqian autocorr --statistics local_moran --permutations 999` (load,
# queen weights, JSON) against spdep's `localmoran_perm` alone (weights ready) on the same
# file, in one script: huqian (and, optionally, a baseline build) before and after spdep, so
# the load average is shared. Prints wall and CPU (user + sys) of every huqian run, spdep's
# elapsed seconds, the load average around each, and the ratios.
# Needs R with spdep and sf (Debian r-cran-spdep, r-cran-sf); not run in CI.
#
#   bench/bench_lisa_ratio.sh CITY.gpkg HUQIAN_EXE [BASELINE_EXE]
#   (CITY from `huqian synth --units 50000 --groups 8 --seed 1 -o CITY.gpkg`)
set -euo pipefail
city=$(realpath "$1")
exe=$(realpath "$2")
base=${3:+$(realpath "$3")}
work=$(mktemp -d /tmp/huqian-bench-lisa.XXXXXX)
trap 'rm -rf "$work"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
hq() {  # label exe → "label wall cpu"
  /usr/bin/time -f "%e %U %S" -o "$work/t" "$2" autocorr "$city" --var pop_g01 --weights queen \
    --statistics local_moran --permutations 999 --seed 1 --json -o "$work/$1.json" > /dev/null 2>&1
  read -r wall user sys < "$work/t"
  echo "$1 wall=$wall cpu=$(python3 -c "print(f'{$user+$sys:.2f}')") load=$(load)"
}
echo "machine: $(nproc) cores, load average $(load), city $city"
for r in 1 2; do
  hq "huqian$r" "$exe"
  [[ -n "$base" ]] && hq "baseline$r" "$base"
done
Rscript - "$city" <<'R'
suppressPackageStartupMessages({ library(sf); library(spdep) })
a <- commandArgs(trailingOnly = TRUE)
city <- st_read(a[1], quiet = TRUE)
lw <- nb2listw(poly2nb(city, queen = TRUE), style = "W", zero.policy = TRUE)
x <- as.numeric(city$pop_g01)
t <- system.time(localmoran_perm(x, lw, nsim = 999, zero.policy = TRUE, iseed = 1))[["elapsed"]]
cat(sprintf("spdep n=%d localmoran_perm_s=%.2f\n", nrow(city), t))
R
echo "load after spdep: $(load)"
for r in 3 4; do
  hq "huqian$r" "$exe"
  [[ -n "$base" ]] && hq "baseline$r" "$base"
done
if [[ -n "$base" ]]; then
  cmp -s "$work/huqian1.json" "$work/baseline1.json" && echo "JSON identical to the baseline's" ||
    echo "JSON DIFFERS from the baseline's"
fi
