#!/usr/bin/env bash
# memcheck.sh [BUILD_DIR] — a short headless session without GL under valgrind
# memcheck: any memory error or definite leak fails it (exit 1).
#
# The session: a data scene (moons, mini-batches, an MLP with batch norm) with all
# five optimizers, 2000 steps, trajectories written to a CSV. If this build has no
# data problems yet, the default surface scene (rosenbrock, all five optimizers).
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/losscape
[[ -x $bin ]] || { echo "memcheck: $bin not built" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed (scripts/setup.sh)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

opts=(--opt sgd:lr=0.1 --opt momentum:lr=0.05 --opt adagrad:lr=0.1 --opt rmsprop:lr=0.01 --opt adam:lr=0.01)
if "$bin" --data moons:n=8 --headless --steps 1 >/dev/null 2>&1; then
  args=(--data moons:n=128 --model mlp:hidden=8,bn=1 --batch 16 "${opts[@]}")
  what="data scene (moons, mlp with batch norm, batch 16, five optimizers)"
else
  args=(--scene rosenbrock)
  what="surface scene rosenbrock, five optimizers (data problems not built yet)"
fi
args+=(--headless --steps 2000 --csv "$out/runs.csv")
echo "memcheck: $what"
echo "  losscape ${args[*]}"
# OMP_NUM_THREADS=2: the thread pool is exercised but stays small under valgrind.
OMP_NUM_THREADS=2 valgrind --tool=memcheck --error-exitcode=1 --leak-check=full \
  --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=yes \
  --suppressions=tests/sanitizers/valgrind.supp --log-file="$out/valgrind.log" \
  "$bin" "${args[@]}" >"$out/stdout" 2>"$out/stderr"
rc=$?
rows=$(($(wc -l <"$out/runs.csv" 2>/dev/null || echo 1) - 1))
if [[ $rc -ne 0 ]]; then
  echo "memcheck: FAILED (exit $rc)"
  cat "$out/stderr"
  grep -E '^==[0-9]+== ' "$out/valgrind.log" | sed -n '/ERROR SUMMARY\|Invalid\|uninitialised\|definitely lost\|at 0x\|by 0x/p' | head -60
  exit 1
fi
grep -E 'ERROR SUMMARY|definitely lost|in use at exit' "$out/valgrind.log" | sed 's/^==[0-9]*== /  /'
echo "memcheck: ok ($rows CSV rows written)"
