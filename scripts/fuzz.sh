#!/usr/bin/env bash
# fuzz.sh [SECONDS] [TARGET...] — build the libFuzzer targets (preset 'fuzz': clang,
# ASan + UBSan) and run each for SECONDS (default 30) from its seed corpus.
#
# Targets: every fuzz/fuzz_<target>.c (formula scene optim ...); default all. Each is built here by name,
# so a new target needs only its file and its line in fuzz/CMakeLists.txt.
# New inputs found go to build-fuzz/corpus/<target>/ (kept between runs, never into
# the repository). On a crash, hang (-timeout), out-of-memory or leak, the input is
# copied to tests/regressions/<target>/, where ctest replays it from then on, and
# the script fails. Exit status: 0 all clean, 1 something was found or broke.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then   # every fuzz/fuzz_<target>.c
  for f in fuzz/fuzz_*.c; do t=${f#fuzz/fuzz_}; targets+=("${t%.c}"); done
fi

# Longest input worth trying, per parser: a bit over each one's own limit, so the
# limit checks themselves are fuzzed (formula 4096 bytes, scene lines 8192).
declare -A max_len=([formula]=4200 [scene]=12000 [optim]=512 [schedule]=512 [model]=512 [csv]=16384 [safetensors]=4096)

cmake --preset fuzz >/dev/null || { echo "fuzz: configure failed" >&2; exit 1; }
cmake --build --preset fuzz -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]/#/fuzz_}" >build-fuzz/build.log 2>&1 ||
  { tail -40 build-fuzz/build.log; echo "fuzz: build failed" >&2; exit 1; }

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
# One libFuzzer process per core at a time (LOSSCAPE_FUZZ_JOBS, default nproc), each for
# the full SECONDS: every target gets the same time alone as before, the section takes
# about SECONDS x targets / jobs. Results are printed in the targets' order.
fuzz_one() {   # fuzz_one TARGET → build-fuzz/result_TARGET (one line; "FAILED ..." first word on failure)
  local t=$1 bin=build-fuzz/fuzz/fuzz_$1 res=build-fuzz/result_$1
  [[ -x $bin ]] || { echo "NOTARGET" >"$res"; return; }
  local work=build-fuzz/corpus/$t art=build-fuzz/artifacts/$t
  mkdir -p "$work" "$art"
  rm -f "$art"/*
  local dict=()
  [[ -f fuzz/dict/$t.dict ]] && dict=(-dict="fuzz/dict/$t.dict")
  local log=build-fuzz/fuzz_$t.log
  "$bin" -max_total_time="$secs" -max_len="${max_len[$t]:-4096}" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$art/" -print_final_stats=1 "${dict[@]}" "$work" "fuzz/corpus/$t" >"$log" 2>&1
  local rc=$? runs found
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  found=("$art"/*)
  if [[ $rc -ne 0 || -e ${found[0]} ]]; then
    echo "FAILED $rc" >"$res"
  else
    echo "ok (${runs:-?} runs, corpus $(ls "$work" | wc -l) files)" >"$res"
  fi
}
fjobs=${LOSSCAPE_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
rm -f build-fuzz/result_*
running=0
for t in "${targets[@]}"; do
  if [[ $running -ge $fjobs ]]; then wait -n; running=$((running - 1)); fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait

status=0
for t in "${targets[@]}"; do
  printf 'fuzz %-11s %3ss ... ' "$t" "$secs"
  res=$(cat "build-fuzz/result_$t" 2>/dev/null || echo "FAILED (no result)")
  if [[ $res == NOTARGET ]]; then
    echo "no target"; echo "fuzz: no target '$t'" >&2; status=1; continue
  elif [[ $res != FAILED* ]]; then
    echo "$res"; continue
  fi
  art=build-fuzz/artifacts/$t
  log=build-fuzz/fuzz_$t.log
  echo "FAILED (exit ${res#FAILED })"
  mkdir -p "tests/regressions/$t"
  for f in "$art"/*; do
    [[ -e $f ]] || continue
    cp "$f" "tests/regressions/$t/"
    echo "  input kept: tests/regressions/$t/$(basename "$f")"
  done
  grep -E 'ERROR|SUMMARY|runtime error|oracle failed|^    #[0-9] ' "$log" | head -12 | cut -c1-160 | sed 's/^/  /'
  echo "  full log: $log"
  status=1
done
exit $status
