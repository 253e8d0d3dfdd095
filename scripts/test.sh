#!/usr/bin/env bash
# test.sh — set up, build and run the whole test suite (this is what CI runs).
#
# Sections (each timed; a failure does not stop the later ones; the exit status
# is non-zero if any failed):
#   1. build (preset 'default') + ctest          arguments of test.sh go to this ctest
#   2. build (preset 'asan': ASan + UBSan, halt on error) + the whole ctest suite again,
#      LeakSanitizer on (tests/sanitizers/lsan.supp); LOSSCAPE_SANITIZED=1 (the preset)
#      has the tests that repeat one code path over many sizes or seeds take fewer
#      (cli_layout, cli_marker_fan, the lessons' claims): the normal pass takes them all
#   3. valgrind memcheck of a headless data session (scripts/memcheck.sh)
#   4. fuzzing: every parser's libFuzzer target for LOSSCAPE_FUZZ_SECONDS (default 20) s,
#      one per core at a time (scripts/fuzz.sh); a crash is kept under tests/regressions/
#      and fails the run
#   5. the browser build (scripts/web-build.sh; its SDL2/FreeType/SDL2_ttf are built once
#      into build-web-deps/ and reused; on a fresh clone that build starts at the
#      beginning under nice 19, taking only the CPU that sections 1-4 leave idle, and
#      section 5 waits for it: build-web-deps/background.log) and its tests: the program
#      as wasm32 under node against the native one (tests/web/wasm_vs_native.sh), and the
#      page in headless Chromium against native screenshots (tests/web/browser_test.js;
#      frames left in build-web/test-out/)
# LOSSCAPE_TEST_QUICK=1 runs section 1 only.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test || exit 1
# Debian's python3 (setup.sh installs it and what the tests import) for every `python3`
# the tests and Emscripten's tools start, not a version manager's shim earlier on PATH:
# pyenv's shim runs ~20 bash processes per start (2.3 s instead of 0.2-0.4 s at load 12),
# and the suite starts python3 several hundred times.
if [[ -x /usr/bin/python3 && $(command -v python3) != /usr/bin/python3 ]]; then
  mkdir -p build-bin && ln -sfn /usr/bin/python3 build-bin/python3
  export PATH=$PWD/build-bin:$PATH
fi
jobs=$(nproc 2>/dev/null || echo 2)
failed=()
summary=()

section() {   # section NAME COMMAND...
  local name=$1 t0=$SECONDS rc
  shift
  printf '\n==== %s ====\n' "$name"
  "$@"
  rc=$?
  local dt=$((SECONDS - t0))
  if [[ $rc -eq 0 ]]; then
    summary+=("$(printf '  %-34s ok      %4ds' "$name" "$dt")")
  else
    summary+=("$(printf '  %-34s FAILED  %4ds' "$name" "$dt")")
    failed+=("$name")
  fi
  printf '==== %s: %s (%ds) ====\n' "$name" "$([[ $rc -eq 0 ]] && echo ok || echo FAILED)" "$dt"
}

normal() {
  bash scripts/build.sh || return 1
  (cd build && ctest --output-on-failure -j "$jobs" "$@")
}

asan() {
  cmake --preset asan >/dev/null || return 1
  cmake --build --preset asan -j "$jobs" >build-asan/build.log 2>&1 ||
    { tail -40 build-asan/build.log; return 1; }
  # Mesa's GL driver is dlopen'ed and dlclose'd by SDL/EGL: what it allocated then
  # looks leaked from code that is no longer mapped, so no suppression can name it.
  # The programs that open GL run with the driver preloaded, which keeps it mapped
  # until exit, where its memory is still reachable (tests/sanitizers/gl-preload.sh,
  # through build-asan/losscape-gl); ASan is told not to insist on coming first
  # (verify_asan_link_order=0, in the preset).
  local d pre=()
  for d in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib; do
    [[ -e $d/libEGL_mesa.so.0 && -e $d/dri/swrast_dri.so ]] &&
      { pre=("$d/libEGL_mesa.so.0" "$d/dri/swrast_dri.so"); break; }
  done
  local preload
  preload=$(IFS=:; echo "${pre[*]:-}")
  LOSSCAPE_GL_PRELOAD=$preload ctest --preset asan -j "$jobs"
}

# The web section's SDL2, FreeType and SDL2_ttf (scripts/web-deps.sh; mostly SDL2's
# configure, one emcc check at a time) need only emscripten: built from the start at the
# lowest priority, alongside the other sections, which get the CPU whenever they want it.
deps_pid=
start_web_deps() {
  mkdir -p build-web-deps
  (export NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs; unset EM_CACHE
   exec nice -n 19 bash scripts/web-deps.sh build-web-deps) >build-web-deps/background.log 2>&1 &
  deps_pid=$!
}

web() {
  if [[ -n $deps_pid ]]; then
    local t0=$SECONDS
    wait "$deps_pid" || { cat build-web-deps/background.log; echo "web: building the web deps failed" >&2; return 1; }
    echo "web: the deps built in the background were ready after $((SECONDS - t0)) s more (build-web-deps/background.log):"
    sed "s/^/  /" build-web-deps/background.log
  fi
  bash scripts/web-build.sh || return 1
  local rc=0
  bash tests/web/wasm_vs_native.sh build/losscape build-web/losscape_node.js . || rc=1
  rm -rf build-web/test-out
  node tests/web/browser_test.js build-web build/losscape build-web/test-out || rc=1
  return $rc
}

[[ ${LOSSCAPE_TEST_QUICK:-0} != 1 ]] && start_web_deps
section "build + ctest" normal "$@"
if [[ ${LOSSCAPE_TEST_QUICK:-0} != 1 ]]; then
  section "asan + ubsan build + ctest" asan
  section "valgrind memcheck session" bash scripts/memcheck.sh build
  section "fuzz (${LOSSCAPE_FUZZ_SECONDS:-20} s per target)" bash scripts/fuzz.sh "${LOSSCAPE_FUZZ_SECONDS:-20}"
  section "web build + wasm/browser tests" web
fi

printf '\n==== summary ====\n'
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -ne 0 ]]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all passed"
