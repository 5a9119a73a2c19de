#!/usr/bin/env bash
# Builds the preset "fuzz" and runs every libFuzzer target of tests/fuzz for a fixed time
# (docs/fuzzing.md). Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 30 (CI); give 600 or more for a longer search.
#   TARGET              e.g. manifest weights; default: every target.
# Each target starts from a copy of tests/fuzz/corpus/<target> in build/fuzz/run (the
# repository is never written), two targets at a time (HUQIAN_FUZZ_JOBS), with ASan, UBSan
# and leak detection, 10 s per input and 2 GiB of memory. Any crash, leak, time-out, memory
# blow-up or UBSan report fails the run (exit 1); the input that caused it is kept in
# build/fuzz/run/artifacts/ and printed. One summary line per target: runs, coverage, time.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest geojson csv gpkg join weights scenarios)
jobs=${HUQIAN_FUZZ_JOBS:-2}

start=$(date +%s)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
built=$(date +%s)
echo "fuzz: built in $((built - start)) s; ${#targets[@]} targets, ${seconds} s each, ${jobs} at a time"

work=$root/build/fuzz/run
rm -rf "$work"
mkdir -p "$work/artifacts" "$work/tmp"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer  # from llvm-14: readable stack traces
[ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer
export TMPDIR=$work/tmp

dict_of() {
  case $1 in
    manifest|geojson|scenarios) echo "$root/tests/fuzz/dict/json.dict" ;;
    csv|join) echo "$root/tests/fuzz/dict/csv.dict" ;;
  esac
}

run_one() {
  local t=$1 dict
  mkdir -p "$work/corpus/$t"
  cp -r "$root/tests/fuzz/corpus/$t/." "$work/corpus/$t/"
  dict=$(dict_of "$t")
  local t0 t1 rc=0
  t0=$(date +%s)
  "$root/build/fuzz/tests/fuzz/fuzz_$t" "$work/corpus/$t" ${dict:+-dict="$dict"} \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
    -artifact_prefix="$work/artifacts/$t-" -print_final_stats=1 \
    </dev/null >"$work/$t.log" 2>&1 || rc=$?
  t1=$(date +%s)
  echo "$rc $((t1 - t0))" >"$work/$t.result"
}

running=0
for t in "${targets[@]}"; do
  [ -x "build/fuzz/tests/fuzz/fuzz_$t" ] || { echo "fuzz: no target fuzz_$t" >&2; exit 2; }
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

failed=0
for t in "${targets[@]}"; do
  read -r rc secs <"$work/$t.result"
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$t.log" | tail -1 || true)
  runs=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$work/$t.log" | tail -1 | awk '{print $2}' || true)
  cov=$(grep -oE 'cov: [0-9]+' "$work/$t.log" | tail -1 | awk '{print $2}' || true)
  ft=$(grep -oE 'ft: [0-9]+' "$work/$t.log" | tail -1 | awk '{print $2}' || true)
  if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
    printf 'fuzz: %-10s ok      runs %-9s cov %-6s ft %-6s %4s s\n' "$t" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$secs"
  else
    failed=1
    why=$(grep -m1 -oE 'ERROR: (libFuzzer: [a-z -]+|AddressSanitizer: [a-zA-Z-]+|LeakSanitizer: [a-z ]+)|runtime error: .*|huqian fuzz: .*' \
          "$work/$t.log" || echo "exit code $rc")
    printf 'fuzz: %-10s FAILED  runs %-9s cov %-6s %4s s: %s\n' "$t" "${runs:-?}" "${cov:-?}" "$secs" "$why"
    for a in "$work/artifacts/$t-"*; do [ -e "$a" ] && echo "fuzz:   input: $a"; done
    echo "fuzz:   log: $work/$t.log (last lines below)"
    grep -vE '^#[0-9]+' "$work/$t.log" | tail -40 | sed 's/^/    /'
  fi
done
echo "fuzz: stage took $(( $(date +%s) - start )) s (build $((built - start)) s)"
exit "$failed"
