#!/usr/bin/env bash
# Issue 3 §7 benchmarks, each against a baseline run in this same script:
#   - queen weights for N polygons:      huqian weights   vs  spdep::poly2nb (same file)
#   - local Moran, 999 permutations:     huqian autocorr  vs  spdep::localmoran_perm
#     (huqian's time is the whole command: reading the GeoPackage, weights, global
#      Moran/Geary/G, local Moran, local G and G*, every one with permutations;
#      spdep's is localmoran_perm alone, given ready weights — a conservative ratio)
#   - the analytical local Moran (Ii, E, Var, Z) must equal spdep's to 1e-9, and the
#     neighbour lists must be identical.
# Needs R with spdep and sf (Debian r-cran-spdep, r-cran-sf) and python3; not run in CI.
#
#   - local Moran alone (bench_local_moran: 999 permutations, loading and weights excluded)
#     against localmoran_perm on the same file: the like-for-like ratio the target names.
#
#   bench/bench_autocorr.sh [HUQIAN_EXE] [UNITS] [SPDEP_UNITS] [SPDEP_CORES] [BENCH_LOCAL_MORAN]
# defaults: build/release/app/huqian 100000 100000 1 build/bench/bench/bench_local_moran
# spdep's localmoran_perm grows faster than linearly (≈ 5 s at 5k units, 22 s at 20k on
# this machine), so use SPDEP_UNITS=20000 for a run of a few minutes.
set -euo pipefail
exe=$(realpath "${1:-build/release/app/huqian}")
units=${2:-100000}
spdep_units=${3:-$units}
spdep_cores=${4:-1}
lm_bench=${5:-build/bench/bench/bench_local_moran}
work=$(mktemp -d /tmp/huqian-bench-autocorr.XXXXXX)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2-$1:.3f}')"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "huqian: $exe"
"$exe" synth --units "$units" --groups 8 --seed 1 -o "$work/city.gpkg" 2>/dev/null
if [[ "$spdep_units" != "$units" ]]; then
  "$exe" synth --units "$spdep_units" --groups 8 --seed 1 -o "$work/small.gpkg" 2>/dev/null
  rfile="$work/small.gpkg"
else
  rfile="$work/city.gpkg"
fi

# --- huqian, on the full city ------------------------------------------------
t0=$(now)
"$exe" weights "$work/city.gpkg" --weights queen -o "$work/city.gal" > "$work/weights.txt" 2>/dev/null
t1=$(now)
hq_weights=$(elapsed "$t0" "$t1")
t0=$(now)
"$exe" autocorr "$work/city.gpkg" --var pop_g01 --weights queen \
  --permutations 999 --seed 1 --json -o "$work/city.json" 2>/dev/null
t1=$(now)
hq_lisa=$(elapsed "$t0" "$t1")

# --- huqian, on the file spdep gets (for the equality check and a same-n ratio) --
if [[ "$rfile" != "$work/city.gpkg" ]]; then
  "$exe" weights "$rfile" --weights queen -o "$work/r.gal" > /dev/null 2>&1
  t0=$(now)
  "$exe" autocorr "$rfile" --var pop_g01 --weights queen \
    --permutations 999 --seed 1 --json -o "$work/r.json" 2>/dev/null
  t1=$(now)
  hq_lisa_small=$(elapsed "$t0" "$t1")
else
  cp "$work/city.gal" "$work/r.gal"; cp "$work/city.json" "$work/r.json"
  hq_lisa_small=$hq_lisa
fi
lm_alone() {  # seconds of local Moran alone on a file, or "nan" without the bench binary
  if [[ -x "$lm_bench" ]]; then
    HUQIAN_BENCH_CITY="$1" HUQIAN_BENCH_VAR=pop_g01 "$lm_bench" 2>/dev/null | sed -n 's/^local_moran_s=//p' | head -1
  else
    echo nan
  fi
}
lm_city=$(lm_alone "$work/city.gpkg")
lm_small=$(lm_alone "$rfile")
python3 - "$work/r.json" "$work/hq_local.csv" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    f.write("Ii,E,V,z\n")
    for r in d["local_moran"]:
        f.write(",".join(repr(float(r[k])) for k in ("Ii", "E", "V", "z")) + "\n")
PY

# --- spdep, same script -------------------------------------------------------
Rscript - "$rfile" "$work/r.gal" "$work/hq_local.csv" "$spdep_cores" > "$work/r.txt" <<'R'
suppressPackageStartupMessages({ library(sf); library(spdep) })
a <- commandArgs(trailingOnly = TRUE)
city <- st_read(a[1], quiet = TRUE)
set.coresOption(as.integer(a[4]))
t_nb <- system.time(nb <- poly2nb(city, queen = TRUE))[["elapsed"]]
hq_nb <- read.gal(a[2], region.id = sprintf("%d", as.integer(city$id)))
same_nb <- isTRUE(all.equal(lapply(nb, sort), lapply(hq_nb, sort), check.attributes = FALSE))
x <- as.numeric(city$pop_g01)
lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
t_perm <- system.time(lp <- localmoran_perm(x, lw, nsim = 999, zero.policy = TRUE,
                                            iseed = 1))[["elapsed"]]
lm <- localmoran(x, lw, zero.policy = TRUE)
hq <- read.csv(a[3])
d <- max(abs(lm[, "Ii"] - hq$Ii), abs(lm[, "E.Ii"] - hq$E),
         abs(lm[, "Var.Ii"] - hq$V), abs(lm[, "Z.Ii"] - hq$z))
cat(sprintf("n=%d\npoly2nb_s=%.3f\nsame_neighbours=%s\nlocalmoran_perm_s=%.3f\nmax_abs_diff=%.3g\n",
            nrow(city), t_nb, same_nb, t_perm, d))
R
cat "$work/r.txt"
get() { sed -n "s/^$1=//p" "$work/r.txt"; }
python3 - "$units" "$spdep_units" "$hq_weights" "$hq_lisa" "$hq_lisa_small" \
  "$(get poly2nb_s)" "$(get localmoran_perm_s)" "$(get same_neighbours)" "$(get max_abs_diff)" "$spdep_cores" \
  "$lm_city" "$lm_small" <<'PY'
import sys
units, sunits = int(sys.argv[1]), int(sys.argv[2])
hw, hl, hls, rnb, rperm = map(float, sys.argv[3:8])
same, diff, cores = sys.argv[8], float(sys.argv[9]), sys.argv[10]
lm_city, lm_small = float(sys.argv[11]), float(sys.argv[12])
print(f"\nqueen weights, {units} polygons: huqian {hw:.2f} s (target < 5 s)"
      + (f"; spdep poly2nb {rnb:.2f} s → {rnb/hw:.1f}× faster" if sunits == units else
         f"; spdep poly2nb on {sunits}: {rnb:.2f} s"))
print(f"local Moran 999 permutations, {units} units: huqian {hl:.2f} s (whole command)")
print(f"  same n={sunits}: huqian {hls:.2f} s vs spdep localmoran_perm {rperm:.2f} s "
      f"({cores} core(s)) → {rperm/hls:.1f}× faster (target ≥ 20×)")
print(f"  local Moran alone (999 permutations, weights ready): n={sunits}: {lm_small:.2f} s → "
      f"{rperm/lm_small:.1f}× faster than localmoran_perm; n={units}: {lm_city:.2f} s")
print(f"  neighbour lists identical: {same}; analytical Ii/E/Var/Z max |diff| = {diff:.3g} (target ≤ 1e-9)")
PY
