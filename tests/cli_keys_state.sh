# cli_keys_state.sh — what keys leave behind, through the offscreen window
# (LOSSCAPE_REPLAY_KEYS; markers from LOSSCAPE_MARKERS: panel run x y in_view left
# hidden steps active; the probe read-out from LOSSCAPE_PROBE). Issue 9:
#   the message slot: a toast never moves the picture, nor does the narrated step
#       (E), nor a toast during a narration (both take the run counters' place, in
#       the band or, where the title leaves it no room, in the counters' row), at
#       640x360 and 1280x720; a --record frame has the window's layout: the same
#       pixels as the screenshot of that step, a toast's differing only in the band;
#   #16 R restarts the runs with the rates they have now (a raised rate diverges
#       again), Shift+R with the scene's own rates too;
#   #16 Ctrl+S writes the shortest numbers (camera = -60, 64, 1.6: it wrote
#       -5e+01, 6e+01, 1.6000001430511475); after R it saves the race as it runs:
#       the rates the runs restarted with, no event of the last race (it saved them,
#       so the file replayed the rate changes at their old step);
#   #16 the probe stays in the domain (a scene's probe event at x = -9, 60 presses
#       of Shift+Left, Shift+Down) and never reads "-0" or 2.8e-17 after steps there and back.
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1

shot() {   # shot KEYS ARGS...: a screenshot (SIZE, 640x360) after KEYS; markers in m.txt, probe in p.txt
  local keys=$1
  shift
  rm -f m.txt p.txt
  LOSSCAPE_REPLAY_KEYS="$keys" LOSSCAPE_MARKERS=m.txt LOSSCAPE_PROBE=p.txt \
    "$LOSSCAPE" --size "${SIZE:-640x360}" --screenshot s.png "$@" 2>err.txt
}

shot "" --scene ravine --view 2d --steps 20
rc=$?
gl_or_skip $rc err.txt
check_true "--screenshot exited $rc: $(cat err.txt)" test $rc -eq 0
fresh=$(cat m.txt)

# the toast row: C twice shows a toast ("contours on") and changes nothing else
shot "C,C" --scene ravine --view 2d --steps 20
check_true "a toast moved the markers: $(tr '\n' '|' <m.txt) against $(tr '\n' '|' <<<"$fresh")" \
  test "$(cat m.txt)" = "$fresh"

# the narration (E) and a toast during it (C,C) take the slot too: paused by Space
# or by E, the same picture, at 640x360 (the slot is a row) and 1280x720 (the band)
for SIZE in 640x360 1280x720; do
  shot "space" --scene rosenbrock --view 2d --steps 30
  paused=$(cat m.txt)
  shot "C,C" --scene rosenbrock --view 2d --steps 30
  check_true "$SIZE: a toast moved the markers: $(tr '\n' '|' <m.txt) against $(tr '\n' '|' <<<"$paused")" \
    test "$(cat m.txt)" = "$paused"
  shot "E,E" --scene rosenbrock --view 2d --steps 30
  check_true "$SIZE: the narration moved the markers: $(tr '\n' '|' <m.txt) against $(tr '\n' '|' <<<"$paused")" \
    test "$(cat m.txt)" = "$paused"
  shot "E,E,C,C" --scene rosenbrock --view 2d --steps 30
  check_true "$SIZE: a toast during the narration moved the markers: $(tr '\n' '|' <m.txt) against $(tr '\n' '|' <<<"$paused")" \
    test "$(cat m.txt)" = "$paused"
done
unset SIZE

# a recording's frame is the window's picture: --record's frame 21 (step 20) and the
# screenshot at step 20 are the same pixels (2-D at 1280x720, where the slot is in
# the band; 3-D at 640x360, where it is a bottom row); with a toast in the
# screenshot they differ, but not between the band and the bottom row (the maps; at
# 640x360 rows 30-335: the toast's box in the bottom row begins at row 337 since the
# row holds two 11-px small lines, c17c783, 338 before)
PY=python3   # apt's python has PIL and numpy (scripts/setup.sh test): fast
/usr/bin/python3 -c 'import numpy, PIL' 2>/dev/null && PY=/usr/bin/python3
for case in "2d 1280x720 0 40 1280 640" "3d 640x360 0 30 640 306"; do
  read -r view SIZE rect <<<"$case"
  rm -f f*.png
  "$LOSSCAPE" --scene ravine --view $view --size $SIZE --record f%04d.png --frames 21 >/dev/null 2>err.txt
  shot "" --scene ravine --view $view --steps 20
  d=$($PY "$SRC/tests/lib/png_diff.py" s.png f0021.png 2>&1)
  check_true "$view $SIZE: the recording's frame differs from the window's: $d" test "$d" = "differ=0 box=-"
  shot "C,C" --scene ravine --view $view --steps 20
  d=$($PY "$SRC/tests/lib/png_diff.py" s.png f0021.png 2>&1)
  check_true "$view $SIZE: the toast should show in the window's picture: $d" test "$d" != "differ=0 box=-"
  d=$($PY "$SRC/tests/lib/png_diff.py" s.png f0021.png $rect 2>&1)
  check_true "$view $SIZE: with a toast the window's maps differ from the recording's: $d" test "$d" = "differ=0 box=-"
done
unset SIZE

# R and Shift+R: SGD's rate raised twice (× 1.5625) diverges within 30 steps
shot "=,=,steps=30" --scene ravine --view 2d --steps 0
check_true "SGD at 0.305 should leave the view: $(head -1 m.txt)" awk 'NR == 1 { exit !($6 == 1) }' m.txt
shot "=,=,steps=30,R,steps=20" --scene ravine --view 2d --steps 0
check_true "R keeps the raised rate, so SGD leaves again: $(head -1 m.txt)" \
  awk 'NR == 1 { exit !($6 == 1 && $8 == 20) }' m.txt
shot "=,=,steps=30,shift+R,steps=20" --scene ravine --view 2d --steps 0
check_true "Shift+R restores the scene's rates: the runs as a fresh start ($(tr '\n' '|' <m.txt))" \
  test "$(cat m.txt)" = "$fresh"

# Ctrl+S: the camera turned and raised by whole degrees, the rate raised once
shot "=,Left,Left,Up,ctrl+s" --scene ravine --steps 10
saved=$(ls losscape-*.scene 2>/dev/null | head -1)
check_true "Ctrl+S wrote a scene file ($(cat err.txt))" test -s "$saved"
if [ -s "$saved" ]; then
  check_true "camera as its decimals: $(grep '^camera' "$saved")" grep -qx 'camera = -60, 64, 1.6' "$saved"
  check_true "the rate as the shortest exact text: $(grep '^event' "$saved")" \
    grep -qx 'event = 10: lr 1 = 0.24375000000000002' "$saved"
  check_ok --scene "$saved" --headless --steps 12
fi

# Ctrl+S after R saves the race as it runs (issue 9 #16): rates raised at step 10 of
# the last race, R, 20 steps, Ctrl+S: every run starts with the rate it has, no event
# of the last race is left (it replayed them at their step), and the file replays the
# session's markers; a rate raised in the new race is its event at its step
rm -f losscape-*.scene
shot "steps=10,=,=,steps=20,R,steps=20,ctrl+s" --scene ravine --view 2d --steps 0
session=$(cat m.txt)
saved=$(ls losscape-*.scene 2>/dev/null | head -1)
check_true "Ctrl+S after R wrote a scene file ($(cat err.txt))" test -s "$saved"
if [ -s "$saved" ]; then
  check_true "an event of the last race was saved: $(grep '^event' "$saved" | tr '\n' '|')" \
    test "$(grep -c '^event' "$saved")" = 0
  check_true "SGD should start with the raised rate: $(grep '^opt = sgd' "$saved")" \
    grep -qx 'opt = sgd:lr=0.3046875' "$saved"
  shot "" --scene "$saved" --steps 20
  check_true "the saved scene does not replay the race: $(tr '\n' '|' <m.txt) against $(tr '\n' '|' <<<"$session")" \
    test "$(cat m.txt)" = "$session"
fi
rm -f losscape-*.scene
shot "steps=10,=,steps=20,R,steps=5,=,steps=15,ctrl+s" --scene ravine --view 2d --steps 0
session=$(cat m.txt)
saved=$(ls losscape-*.scene 2>/dev/null | head -1)
if [ -s "$saved" ]; then
  check_true "the new race's change at its step, only it: $(grep '^event' "$saved" | tr '\n' '|')" \
    test "$(grep '^event' "$saved")" = "event = 5: lr 1 = 0.3046875"
  shot "" --scene "$saved" --steps 20
  check_true "the saved scene does not replay the race with a change: $(tr '\n' '|' <m.txt) against $(tr '\n' '|' <<<"$session")" \
    test "$(cat m.txt)" = "$session"
else
  fail "Ctrl+S after R and a change wrote no scene file ($(cat err.txt))"
fi

# the probe
printf 'surface = saddle\nevent = 0: probe = -9, 0.5\n' >probe.scene
shot "" --scene probe.scene --view 2d --steps 1
check_true "a probe event outside the domain is drawn at its edge: $(cat p.txt 2>/dev/null)" \
  grep -q '^probe (-2, 0.5) ' p.txt
shot "H,shift+Up,shift+Up,shift+Up,shift+Down,shift+Down,shift+Down,shift+Left,shift+Right" \
  --scene saddle --view 2d --steps 1
check_true "three steps up and down, one left and right: the centre again: $(cat p.txt 2>/dev/null)" \
  grep -q '^probe (0, 0)   L = 0$' p.txt
keys=H
for _ in $(seq 30); do keys="$keys,shift+Left,shift+Down"; done
shot "$keys" --scene himmelblau --view 2d --steps 1
check_true "30 steps left and down (60 % of the width, from the centre) stop at the corner: $(cat p.txt 2>/dev/null)" grep -q '^probe (-5, -5) ' p.txt
grep -q "unknown key" err.txt && fail "a scripted key name was not understood: $(cat err.txt)"
finish
