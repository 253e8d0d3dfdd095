# Text layout (issue 9 #9): the built-in scenes of the lecture with the Hessian probe,
# a narrated step (E, on 2-D surfaces), a caption and a status toast on: no two strings
# overlap, no string lies on a map's or a plot's area, every string is inside the
# frame (the renderer reports what it drew where: LOSSCAPE_TEXT_BOXES, checked by
# tests/check_boxes.py). Every scene at 640x360 and 1280x720; three scenes also at
# 1920x1080 and 3840x2160 and with the help overlay. LOSSCAPE_LAYOUT_FULL=1: every
# scene at every size, with and without help (about ten minutes on two busy cores).
source "$(dirname "$0")/lib/cli.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
export SDL_VIDEODRIVER=offscreen
scenes="ackley beale booth features-standardized features-unscaled goldstein-price himmelblau matyas
        minibatch-noise monkey-saddle moons-mlp-bn rastrigin ravine rosenbrock saddle six-hump-camel"
check() {   # check SCENE SIZE KEYS
  local out
  out=$("$SRC/tests/lib/run_layout.sh" "$LOSSCAPE" "$1" "$2" "$3" "$TMP" 2>&1)
  if [ $? -eq 0 ]; then pass; else fail "$1 at $2, keys $3: $out"; fi
}
for name in $scenes; do
  for size in 640x360 1280x720; do check "$name" "$size" "h,e"; done
done
if [ "${LOSSCAPE_LAYOUT_FULL:-0}" = 1 ]; then
  for name in $scenes; do
    for size in 1920x1080 3840x2160; do check "$name" "$size" "h,e"; done
    for size in 640x360 1280x720 1920x1080 3840x2160; do check "$name" "$size" "h,e,F1"; done
  done
else
  for name in ravine moons-mlp-bn goldstein-price; do
    for size in 1920x1080 3840x2160; do check "$name" "$size" "h,e"; done
    check "$name" 1280x720 "h,e,F1"
  done
fi
finish
