# lib/gl.sh — the rule for tests that need a GL context (sourced, not run; the caller
# defines fail, and finish if it keeps a tally). Used by lib/cli.sh and by the
# render tests that keep their own fail().
# gl_or_skip RC ERRFILE — after a run that needs a GL context: if it failed for want of
# one (its stderr in ERRFILE says so), exit 77, which ctest reports as skipped; under
# CI=true or LOSSCAPE_REQUIRE_GL=1 print the error, count a failure and exit 1 instead.
# Otherwise return, and the caller checks RC itself.
gl_or_skip() {
  local rc=$1 err=$2
  if [[ $rc -eq 0 ]] || ! grep -q "OpenGL\|cannot open a window\|SDL video" "$err"; then
    return 0
  fi
  if [[ "${CI:-}" = true || "${LOSSCAPE_REQUIRE_GL:-}" = 1 ]]; then
    cat "$err"; fail "no GL context, but GL is required here"
    declare -F finish >/dev/null && finish
    exit 1
  fi
  echo "skipped: no GL context"; exit 77
}
