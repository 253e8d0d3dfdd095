#!/bin/bash
# cli_lockstep.sh — issue 9 #6: the narrated step (E) advances the race in lockstep.
# Four presses of E are one step: afterwards every run that is on is at the same
# step; a run switched off (2, 2) stays frozen at its step and is reported off. The
# runs' own step counts come from the renderer's marker report (LOSSCAPE_MARKERS:
# panel run x y in_view left hidden steps active).
# Usage: cli_lockstep.sh LOSSCAPE SOURCE_DIR. Exit 77 (skip) without a GL context,
# unless CI=true or LOSSCAPE_REQUIRE_GL=1.
set -u
bin=$1
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
source "$(dirname "$0")/lib/gl.sh"
steps_of() {   # steps_of KEYS: "steps/active" of each run after --steps 10 and KEYS
    LOSSCAPE_REPLAY_KEYS="$1" LOSSCAPE_MARKERS="$tmp/m.txt" "$bin" --scene booth --view 2d --steps 10 \
        --size 480x270 --screenshot "$tmp/s.png" 2>"$tmp/err" || return 1
    awk '{ printf "%s/%s ", $8, $9 }' "$tmp/m.txt"
}

out=$(steps_of "")
rc=$?
gl_or_skip $rc "$tmp/err"
[ $rc -eq 0 ] || { cat "$tmp/err"; fail "--screenshot exited $rc"; }
[ "$out" = "10/1 10/1 10/1 10/1 10/1 " ] || fail "at --steps 10: $out"
out=$(steps_of "E,E,E,E") || fail "E x4"
[ "$out" = "11/1 11/1 11/1 11/1 11/1 " ] || fail "E x4: every run on should be at step 11, got $out"
out=$(steps_of "E,E,E,E,E,E,E,E") || fail "E x8"
[ "$out" = "12/1 12/1 12/1 12/1 12/1 " ] || fail "E x8: every run should be at step 12, got $out"
out=$(steps_of "2,2,1,E,E,E,E") || fail "run 2 off, E x4"
[ "$out" = "11/1 10/0 11/1 11/1 11/1 " ] || fail "run 2 off: it should stay at 10, the others at 11, got $out"
grep -q "unknown key" "$tmp/err" && fail "a scripted key name was not understood"
echo "ok: E steps the race in lockstep; a run off stays frozen"
