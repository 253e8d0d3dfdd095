# σ boxes (issue 9): the adaptive runs' (AdaGrad, RMSProp, Adam) per-coordinate step
# sizes, drawn as a box around the marker. Every adaptive run gets one, in 2-D and in
# 3-D, and each of its sides is at least 6 px long on screen (LOSSCAPE_SIGMA_BOXES:
# the sides as drawn). Where the domain's sides differ by far (x over 80 units, y
# over 1) the 3-D box's x side came out under a pixel: a sliver that read as a line.
# The larger side is 2.2 em long or more wherever its axis faces the camera (ravine).
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1
check_boxes() {   # check_boxes WHAT SIZE ARGS...: three adaptive runs, sides >= 6 px
  local what=$1 size=$2 rc
  shift 2
  LOSSCAPE_SIGMA_BOXES=sb.txt "$LOSSCAPE" "$@" --size "$size" --screenshot s.png 2>err.txt
  rc=$?
  gl_or_skip $rc err.txt
  check_true "$what $size: exit $rc: $(cat err.txt)" test $rc -eq 0
  local runs
  runs=$(awk '{print $2}' sb.txt 2>/dev/null | sort -n | tr '\n' ' ')
  check_true "$what $size: σ boxes of runs '$runs', wanted the adaptive runs 2 3 4" test "$runs" = "2 3 4 "
  check_true "$what $size: a side under 6 px: $(tr '\n' ';' <sb.txt 2>/dev/null)" \
    awk '$5 < 6 || $6 < 6 { bad = 1 } END { exit bad }' sb.txt
}
for size in 640x360 1280x720; do
  for view in 3d 2d; do
    check_boxes "ravine $view" $size --scene ravine --view $view
    check_boxes "80:1 domain $view" $size --scene ravine --view $view --surface "x*x/100+10*y*y" \
      --domain=-40,40,-0.5,0.5 --start -30,0.3 --steps 30
  done
done
# the larger side of ravine's 3-D boxes spans 2.2 em (1280x720: 17 px type) or more (4.4 em where
# its axis faces the camera)
LOSSCAPE_SIGMA_BOXES=sb.txt "$LOSSCAPE" --scene ravine --view 3d --size 1280x720 --screenshot s.png 2>/dev/null
check_true "ravine 3d: a box's larger side under 2.2 em: $(tr '\n' ';' <sb.txt)" \
  awk '($5 > $6 ? $5 : $6) < 2.2 * 17 { bad = 1 } END { exit bad || NR != 3 }' sb.txt
finish
