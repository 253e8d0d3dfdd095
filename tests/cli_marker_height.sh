# cli_marker_height.sh — issue 9 #1: in 3-D a marker is drawn at full strength where
# its trail ends, on the log height scale too. Himmelblau's minima are needle-thin
# pits on the log scale; seen from the side, a pit's own near wall hid the markers at
# its bottom, which showed only as dimmed ghosts. Each marker's pixel (from
# LOSSCAPE_MARKERS, the point its trail's last segment is projected to) must be its
# run's colour (tests/lib/marker_colour.py), log (the scene's default) and linear (G).
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1
# run colours: SGD, momentum, AdaGrad, RMSProp, Adam (Okabe–Ito, renderer.c)
colours="E69F00 56B4E9 009E73 F0E442 CC79A7"
for keys in "" G; do
  LOSSCAPE_REPLAY_KEYS="$keys" LOSSCAPE_MARKERS=m.txt "$LOSSCAPE" --scene himmelblau --view 3d --steps 200 \
    --size 640x360 --screenshot s.png 2>err.txt
  rc=$?
  if [ $rc -ne 0 ] && grep -q "OpenGL\|cannot open a window\|SDL video" err.txt; then
    if [ "${CI:-}" = true ] || [ "${LOSSCAPE_REQUIRE_GL:-}" = 1 ]; then
      cat err.txt; fail "no GL context, but GL is required here"; finish; exit 1
    fi
    echo "skipped: no GL context"; exit 77
  fi
  check_true "--screenshot ${keys:+after $keys }exited $rc: $(cat err.txt)" test $rc -eq 0
  scale=log; [ "$keys" = G ] && scale=linear
  out=$(python3 "$SRC/tests/lib/marker_colour.py" s.png m.txt $colours)
  check_true "$scale: markers to check ($(cat m.txt))" test "$(echo "$out" | grep -c .)" -ge 2
  while read -r run x y share; do
    check_true "$scale: run $((run + 1))'s marker at ($x, $y) is $share its colour (wanted >= 0.5)" \
      awk -v s="$share" 'BEGIN { exit !(s >= 0.5) }'
  done <<<"$out"
done
finish
