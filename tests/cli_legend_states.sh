# What the legend and the plots say of each run's state, as a teacher reads them
# (issue 9), from the strings the renderer drew (LOSSCAPE_STRINGS: layer x y w h px
# text), the markers it placed (LOSSCAPE_MARKERS: panel run x y in_view left hidden
# steps active ...) and the screenshot's pixels:
#   #6  a run switched off says "(off)" in the legend and stands still while the
#       others go on;
#   #7  a run that left the view is marked ("left view", "*" on the plots' titles) and
#       left out of the loss plot's scale (booth's SGD at rate 0.2 reached 7e84: the
#       axis still ends at the start's 170); a diverged run says so, with its step;
#   #11 the same "left view" in the legend;
#   #13 colour is the optimizer's kind, not the run's place: --opt sgd --opt adam
#       draws Adam pink (Okabe–Ito), and a second SGD run is orange again, with its
#       own label (sgd-1, sgd-3);
#   #14 magnified arrows say their factor in the legend (ravine: "arrows ×10000").
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=offscreen

# shot NAME ARGS...: a 1280x720 screenshot after --steps (in ARGS); strings in
# $TMP/NAME.txt, markers in $TMP/NAME.m
shot() {
  local name=$1
  shift
  LOSSCAPE_STRINGS="$TMP/$name.txt" LOSSCAPE_MARKERS="$TMP/$name.m" "$LOSSCAPE" "$@" --size 1280x720 \
    --screenshot "$TMP/$name.png" >/dev/null 2>"$TMP/$name.err"
  local rc=$?
  gl_or_skip $rc "$TMP/$name.err"
  [ $rc = 0 ] || { fail "$name: losscape $* failed: $(cat "$TMP/$name.err")"; return 1; }
}
strings() { cut -d' ' -f7- "$TMP/$1.txt"; }
# has NAME 'TEXT' WHAT: some drawn string is exactly TEXT
has() {
  if strings "$1" | grep -qxF -- "$2"; then pass; else fail "$1: $3 (no string '$2')"; fi
}
# marker NAME RUN FIELD: a field of run RUN's marker line (1-based fields)
marker() { awk -v r="$2" -v k="$3" '$2 == r { print $k; exit }' "$TMP/$1.m"; }

# #6: run 1 selected, 1 again switches it off after 30 steps; 20 more steps
if LOSSCAPE_REPLAY_KEYS="1,steps=20" shot off --scene booth --view 2d --steps 30; then
  has off "1 sgd (off)" "a run switched off says so in the legend"
  has off "2 momentum" "the others do not"
  check_true "the run switched off stands at step 30 ($(marker off 0 8)), active=0 ($(marker off 0 9))" \
    test "$(marker off 0 8)" = 30 -a "$(marker off 0 9)" = 0
  check_true "the others went on to step 50 ($(marker off 1 8))" test "$(marker off 1 8)" = 50
fi

# #7, #11: booth's SGD at rate 0.2 (over 2/18, its Hessian's larger eigenvalue)
# leaves the view; Adam converges
if shot left --scene booth --view 2d --opt sgd:lr=0.2 --opt adam:lr=0.2 --steps 100; then
  has left "1 sgd  left view *" "the run that left the view is marked in the legend"
  has left "loss  (log axis)  *" "the loss plot's title says a run is left out (*)"
  has left "170" "the loss axis ends at the start's 170"
  # no axis label with SGD's e+84 (the legend's own 'L 7.11e+84' starts with L)
  check_true "no tick of the loss axis reaches SGD's loss ($(strings left | grep -E '^[0-9.]+e\+[0-9]+$' | tr '\n' ' '))" \
    bash -c "! cut -d' ' -f7- '$TMP/left.txt' | grep -qE '^[0-9.]+e\+[0-9]+\$'"
fi
if shot div --scene booth --view 2d --opt sgd:lr=0.2 --opt adam:lr=0.2 --steps 600; then
  check_true "a diverged run says when ($(strings div | grep -F diverged))" \
    bash -c "cut -d' ' -f7- '$TMP/div.txt' | grep -qE '^diverged at step [0-9]+\$'"
  has div "170" "the loss axis still ends at 170"
fi

# #13: colours by kind, whatever the order; a second SGD run orange again
if shot kind --scene booth --view 2d --opt sgd --opt adam --opt sgd:lr=0.005 --steps 20; then
  has kind "1 sgd-1" "the first of two SGD runs is labelled sgd-1"
  has kind "3 sgd-3" "the second sgd-3"
  has kind "2 adam" "Adam's own label"
  for spec in "0 E69F00 SGD, orange" "1 CC79A7 Adam, pink" "2 E69F00 the second SGD, orange"; do
    set -- $spec
    run=$1 hex=$2
    shift 2
    x=$(marker kind "$run" 3) y=$(marker kind "$run" 4)
    got=$(python3 - "$SRC/tests/lib" "$TMP/kind.png" "$x" "$y" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from png_stats import read_png   # PIL where it is, else plain Python
w, h, bpp, rows = read_png(sys.argv[2])
x, y = round(float(sys.argv[3])), round(float(sys.argv[4]))
print('%02X%02X%02X' % tuple(rows[y][x * bpp:x * bpp + 3]))
PY
)
    check_true "run $run's marker at ($x, $y) is $* #$hex (got #$got)" python3 -c "
a, b = '$got', '$hex'
exit(0 if len(a) == 6 and all(abs(int(a[i:i+2], 16) - int(b[i:i+2], 16)) <= 24 for i in (0, 2, 4)) else 1)"
  done
fi

# #14: ravine's arrows are magnified, and its legend says by how much
if shot arrows --scene ravine --view 2d --steps 300; then
  check_true "the legend states the arrows' factor ($(strings arrows | grep -F arrows))" \
    bash -c "cut -d' ' -f7- '$TMP/arrows.txt' | grep -qE '^arrows ×[0-9]+'"
fi
finish
