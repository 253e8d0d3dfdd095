# lib/cli.sh — helpers for the command-line tests (sourced, not run).
#
# Each cli_*.sh test is run by ctest as: bash cli_X.sh PATH/TO/losscape SOURCE_DIR
# It sources this file, calls the check_* helpers, and ends with `finish`, which
# prints "N passed, N failed" and exits non-zero if anything failed.
set -u
LOSSCAPE=${1:?usage: cli_X.sh LOSSCAPE SOURCE_DIR}
SRC=${2:?usage: cli_X.sh LOSSCAPE SOURCE_DIR}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0
source "$(dirname "${BASH_SOURCE[0]}")/gl.sh"

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }

# check_error STATUS 'TEXT' ARGS... — the run exits with STATUS, prints exactly one
# line on stderr, and that line contains TEXT (a fixed string).
check_error() {
  local want=$1 text=$2
  shift 2
  local err rc
  err=$("$LOSSCAPE" "$@" 2>&1 >/dev/null)
  rc=$?
  local lines
  lines=$(printf '%s' "$err" | grep -c '')
  if [[ $rc -ne $want ]]; then
    fail "losscape $* → exit $rc, wanted $want (stderr: $err)"
  elif [[ $lines -ne 1 ]]; then
    fail "losscape $* → $lines stderr lines, wanted 1: $err"
  elif [[ "$err" != *"$text"* ]]; then
    fail "losscape $* → '$err', wanted it to contain '$text'"
  else
    pass
  fi
}

# check_ok ARGS... — the run exits 0.
check_ok() {
  local out rc
  out=$("$LOSSCAPE" "$@" 2>&1)
  rc=$?
  if [[ $rc -ne 0 ]]; then fail "losscape $* → exit $rc: $out"; else pass; fi
}

# check_true 'DESCRIPTION' COMMAND... — the command succeeds.
check_true() {
  local what=$1
  shift
  if "$@"; then pass; else fail "$what"; fi
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [[ $FAILED -eq 0 ]]
}
