# Text layout (issue 9 #9): every built-in scene with the Hessian probe (H, and its
# status toast), a narrated step (E), a caption and the REC badge on: no two strings
# overlap, no string lies on a map's or a plot's area, contour labels stay inside
# their map and off other strings, every string is inside the frame (the renderer
# reports what it drew where: LOSSCAPE_TEXT_BOXES, checked by tests/check_boxes.py).
# Every scene in its own view at 640x360, 1280x720, 1920x1080 and 3840x2160 and in
# the other view (2-D or 3-D) at 640x360 and 1280x720 in the light theme (--theme
# light: its layout is checked as the dark one's); the help overlay (F1) over
# every scene at 640x360 and over a few at 500x300, 1280x720, 1600x900, 1920x1080 and
# 3840x2160. LOSSCAPE_LAYOUT_FULL=1: every scene in both views at every size, with and
# without help, in both themes. LOSSCAPE_SANITIZED=1 (the ASan + UBSan pass, which runs
# the same drawing code 3-5 times slower): every scene in its own view at 640x360 and
# 1280x720, with help at 640x360, and the help sizes below; the larger sizes and the
# other view draw through the same code and are checked in the normal pass. The sizes of one scene, view and keys are drawn by one process
# (tests/lib/run_layout.sh: LOSSCAPE_TEXT_BOXES_SIZES), and checked by one python.
source "$(dirname "$0")/lib/cli.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
export SDL_VIDEODRIVER=offscreen
scenes=$("$LOSSCAPE" --list-scenes | awk '/^Scenes:/ {on = 1; next} on && NF {print $1}')
[ -n "$scenes" ] || { fail "--list-scenes printed no scene"; finish; }
check() {   # check SCENE 'SIZE [SIZE...]' KEYS [ARGS...]: one process draws every size
  local out
  out=$("$SRC/tests/lib/run_layout.sh" "$LOSSCAPE" "$1" "$2" "$3" "$TMP" "${@:4}" 2>&1)
  if [ $? -eq 0 ]; then pass; else fail "$1 at $2, keys $3 ${*:4}: $out"; fi
}
other_view() {   # the view the scene does not start in
  grep -q '^view *= *2d' "$SRC/assets/scenes/$1.scene" && echo 3d || echo 2d
}
big="1920x1080 3840x2160"
sanitized=${LOSSCAPE_SANITIZED:-0}
[ "$sanitized" = 1 ] && big=""
for name in $scenes; do
  ov=$(other_view "$name")
  check "$name" "640x360 1280x720 $big" "h,e"
  if [ "${LOSSCAPE_LAYOUT_FULL:-0}" = 1 ]; then
    check "$name" "640x360 1280x720 $big" "h,e" --view "$ov"
    check "$name" "640x360 1280x720 $big" "h,e" --theme light
    for th in dark light; do
      for v in 2d 3d; do check "$name" "500x300 640x360 1280x720 1600x900 $big" "h,e,F1" --view $v --theme $th; done
    done
  else
    [ "$sanitized" = 1 ] || check "$name" "640x360 1280x720" "h,e" --view "$ov" --theme light
    check "$name" 640x360 "h,e,F1"
  fi
done
for name in ravine moons-mlp-bn goldstein-price; do
  check "$name" "500x300 1280x720 1600x900 ${big:-1920x1080}" "h,e,F1"
done
# Long panel labels (issue 11): the compare layout's "compare: model=..." label and long
# per-run labels beside short ones in the panels layout stay in their panels ('…').
check_args() {   # check_args ARGS...: at 640x360 and 1280x720, one process
  local boxes="$TMP/boxes-args"
  rm -f "$boxes" "$boxes".*
  if LOSSCAPE_TEXT_BOXES="$boxes" LOSSCAPE_TEXT_BOXES_SIZES=1280x720 "$LOSSCAPE" "$@" --size 640x360 --steps 40 \
       --screenshot "$TMP/shot.png" >/dev/null 2>&1 &&
     out=$(python3 "$SRC/tests/check_boxes.py" "$boxes" 640 360 "$boxes.1280x720" 1280 720 2>&1); then
    pass
  else
    fail "$* at 640x360 and 1280x720: $out"
  fi
}
check_args --scene lesson-batchnorm-test
check_args --scene lesson-batchnorm-train
check_args --scene lesson-batch-noise --layout panels --opt "sgd:lr=0.02,batch=1,label=B=1" \
  --opt "sgd:lr=0.02,batch=16,label=batch of sixteen samples drawn each step" \
  --opt "sgd:lr=0.02,batch=full,label=the whole training set every step (full batch)"
finish
