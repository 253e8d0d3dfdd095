# wasm_vs_native.sh NATIVE WASM_NODE_JS SOURCE_DIR — the program built for WebAssembly
# (wasm32: 32-bit long and pointers, musl's libm), run under node, against the native
# build on the same arguments:
#   - polynomial surfaces (every built-in one without sin, cos or exp, and a
#     formula of + − × only; ^ goes through pow): trajectory CSVs and critical-point
#     tables byte-identical;
#   - surfaces with sin/cos/exp (rastrigin, ackley, six-hump-camel's eigenvalues, a
#     sin formula) and data problems: every number within 1e-6 (relative, absolute
#     below 1), the mini-batch logs identical. musl's sin/cos/exp/log/hypot differ from
#     glibc's in the last digit, and steps amplify that; ackley (exp of cos, rugged:
#     bouncing runs amplify most) within 1e-4 (5e-5 measured);
#   - the seed range: a seed above 2^32 is accepted (32-bit long once rejected every
#     seed) and gives the native run;
#   - bad input: the same one-line message and exit status 2.
set -u
NATIVE=${1:?usage: wasm_vs_native.sh NATIVE WASM_NODE_JS SOURCE_DIR}
WASM=${2:?}
SRC=${3:?}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }
wasm() { node "$WASM" "$@"; }

# same_bytes NAME ARGS... — stdout and exit status of both builds identical
same_bytes() {
  local name=$1
  shift
  "$NATIVE" "$@" >"$TMP/n.out" 2>"$TMP/n.err"; local rn=$?
  wasm "$@" >"$TMP/w.out" 2>"$TMP/w.err"; local rw=$?
  if [[ $rn -ne 0 || $rw -ne 0 ]]; then
    fail "$name: exit native $rn, wasm $rw ($(head -c 300 "$TMP/w.err"))"
  elif ! cmp -s "$TMP/n.out" "$TMP/w.out"; then
    fail "$name: outputs differ: $(cmp "$TMP/n.out" "$TMP/w.out" 2>&1 | head -1)"
  elif [[ ! -s $TMP/n.out ]]; then
    fail "$name: empty output"
  else
    pass
  fi
}

# same_error NAME ARGS... — both exit 2 with the same single stderr line
same_error() {
  local name=$1
  shift
  "$NATIVE" "$@" >/dev/null 2>"$TMP/n.err"; local rn=$?
  wasm "$@" >/dev/null 2>"$TMP/w.err"; local rw=$?
  if [[ $rn -ne 2 || $rw -ne 2 ]]; then fail "$name: exit native $rn, wasm $rw"
  elif ! cmp -s "$TMP/n.err" "$TMP/w.err"; then fail "$name: '$(cat "$TMP/n.err")' vs '$(cat "$TMP/w.err")'"
  else pass; fi
}

same_bytes "rosenbrock trajectories" --headless --surface rosenbrock --start=-1.5,2 --steps 500 --csv -
for s in himmelblau ravine saddle beale booth matyas goldstein-price monkey-saddle; do
  same_bytes "scene $s trajectories" --headless --scene "$s" --steps 300 --csv -
done
same_bytes "polynomial formula" --headless --surface "x*x*x*x - 2*x*x*y + y*y + 0.1*x" --start=1,1 --steps 200 --csv -
for s in himmelblau rastrigin rosenbrock beale; do
  same_bytes "critical points of $s" --critical-points --surface "$s"
done

# near_numbers NAME TOL ARGS... — stdout of both within TOL
near_numbers() {
  local name=$1 tol=$2
  shift 2
  "$NATIVE" "$@" >"$TMP/n.out" 2>"$TMP/n.err"; local rn=$?
  wasm "$@" >"$TMP/w.out" 2>"$TMP/w.err"; local rw=$?
  if [[ $rn -ne 0 || $rw -ne 0 ]]; then fail "$name: exit native $rn, wasm $rw ($(head -c 300 "$TMP/w.err"))"; return; fi
  local r
  if r=$(node "$HERE/compare-csv.js" "$TMP/n.out" "$TMP/w.out" "$tol"); then pass; echo "$name: $r"; else fail "$name: $r"; fi
}
for s in rastrigin six-hump-camel; do
  near_numbers "scene $s trajectories" 1e-6 --headless --scene "$s" --steps 300 --csv -
done
near_numbers "scene ackley trajectories" 1e-4 --headless --scene ackley --steps 300 --csv -
near_numbers "sin formula" 1e-6 --headless --surface "sin(x)*cos(y) + 0.1*x^2" --start=1,1 --steps 200 --csv -
near_numbers "critical points of six-hump-camel" 1e-6 --critical-points --surface six-hump-camel

# data problems
data_case() {   # data_case NAME ARGS...
  local name=$1
  shift
  "$NATIVE" "$@" --csv "$TMP/n.csv" --batches-log "$TMP/n.log" >/dev/null 2>"$TMP/n.err"; local rn=$?
  wasm "$@" --csv "$TMP/w.csv" --batches-log "$TMP/w.log" >/dev/null 2>"$TMP/w.err"; local rw=$?
  if [[ $rn -ne 0 || $rw -ne 0 ]]; then fail "$name: exit native $rn, wasm $rw ($(head -c 300 "$TMP/w.err"))"; return; fi
  if ! cmp -s "$TMP/n.log" "$TMP/w.log"; then fail "$name: mini-batch logs differ"; else pass; fi
  local r
  if r=$(node "$HERE/compare-csv.js" "$TMP/n.csv" "$TMP/w.csv" 1e-6); then pass; echo "$name: $r"; else fail "$name: $r"; fi
}
data_case "moons logistic" --headless --data moons --model logistic --batch 16 --steps 200
data_case "moons-mlp-bn scene" --headless --scene moons-mlp-bn --steps 150

# a 64-bit seed (> 2^32): accepted, and the same run on both
data_case "seed 4294967301" --headless --scene minibatch-noise --seed 4294967301 --steps 100
printf 'seed = 4294967301\n' >"$TMP/seed.scene"
same_bytes "seed in a scene file" --headless --scene "$TMP/seed.scene" --surface himmelblau --steps 20 --csv -

same_error "bad formula" --headless --surface "x^" --steps 1
same_error "bad seed" --headless --surface himmelblau --seed=-3 --steps 1

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
