# The band's messages (issue 9 #9): a narrated step (E) and a toast at once, each read
# whole, at 640x360 (the README's GIF size, where the message slot is a bottom row),
# 1280x720, 1920x1080 and 3840x2160, in both themes, with a caption:
#   - the narration is drawn whole (wrapped into two lines where one does not hold
#     it), never shortened with '…' and never hidden by the toast;
#   - the toast is drawn whole too, on no other string;
#   - the title is whole: neither a narration nor a toast shown during one shortens
#     it (in the band or in a recording's frame, which is the window's band without
#     the toast); the toast takes the band's room beside it, in two small lines
#     where one does not fit (main, at 640x360, cut long titles for 3.5 s); the
#     title is set smaller, down to two small lines, to leave the toast that room;
#   - no two strings overlap, none lies on a map or a plot (tests/check_boxes.py).
# What was drawn comes from LOSSCAPE_HUD_TEXT (the band's title, narration lines and
# toast as drawn) and LOSSCAPE_TEXT_BOXES; one process draws the four sizes
# (LOSSCAPE_TEXT_BOXES_SIZES).
source "$(dirname "$0")/lib/cli.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
export SDL_VIDEODRIVER=offscreen
sizes="1280x720,1920x1080,3840x2160"

# messages SCENE TITLE KEYS TOAST [ARGS...]: TITLE whole, narration lines whole, the
# toast TOAST ("" none) whole, boxes apart, at every size
messages() {
  local scene=$1 title=$2 keys=$3 toast=$4
  shift 4
  local ht="$TMP/ht" bx="$TMP/bx"
  rm -f "$ht" "$ht".* "$bx" "$bx".*
  if ! LOSSCAPE_HUD_TEXT="$ht" LOSSCAPE_TEXT_BOXES="$bx" LOSSCAPE_TEXT_BOXES_SIZES="$sizes" \
       LOSSCAPE_REPLAY_KEYS="$keys" "$LOSSCAPE" --scene "$scene" --size 640x360 --steps 30 \
       --caption "the caption of the scene, one line" "$@" --screenshot "$TMP/s.png" >/dev/null 2>"$TMP/err"; then
    fail "$scene $keys $*: $(cat "$TMP/err")"
    return
  fi
  local s f frames=("$bx" 640 360)
  for s in ${sizes//,/ }; do frames+=("$bx.$s" "${s%x*}" "${s#*x}"); done
  for f in "$ht" "$ht".*; do
    local at="$scene $keys $* at ${f#"$ht"}" got
    [ "$f" = "$ht" ] && at="$scene $keys $* at 640x360"
    got=$(awk -F'\t' '$1 == "title" {print $2}' "$f")
    check_true "$at: the title reads '$got', not '$title'" test "$got" = "$title"
    got=$(awk -F'\t' '$1 == "narr"' "$f")
    check_true "$at: no narration drawn" test -n "$got"
    check_true "$at: the narration was shortened: $got" test "${got//…/}" = "$got"
    if [ -n "$toast" ]; then
      got=$(awk -F'\t' '$1 == "toast" {print $2}' "$f" | paste -sd' ')
      check_true "$at: the toast reads '$got', not '$toast'" test "$got" = "$toast"
    fi
  done
  local out
  out=$(python3 "$SRC/tests/check_boxes.py" "${frames[@]}" 2>&1)
  check_true "$scene $keys $*: text boxes: $out" test -z "$out"
}

for theme in dark light; do
  # 3-D, a short title: a narration that needs two lines and a toast (H: probe on)
  messages himmelblau Himmelblau "E,H" "Hessian probe on" --theme $theme
  # Adam's momentum blend, the longest stage, and a toast: the narration keeps the
  # slot, the toast goes beside the title
  messages six-hump-camel "Six-hump camel" "5,E,E,C,C" "contours on" --theme $theme
  # 2-D, the update (stage 4) and a toast
  messages rosenbrock "Rosenbrock's banana valley" "E,E,E,E,C,C" "contours on" --view 2d --theme $theme
  # a lesson's long title (the slot is a bottom row at every size) and its caption
  messages lesson-adam-first-steps "Lesson 6: the first steps of RMSProp and Adam" "E,E,E,A" "arrows off" \
    --theme $theme
done
# a short title with PAUSED and the REC badge beside it, a narration in the bottom
# rows and a toast: at 640x360 one small line of the title left the toast 36 px
# ("Hessi", "an p…" with 11-px type); the title goes into two small lines instead
LOSSCAPE_REC_BADGE=1 messages features-unscaled "Features on different scales" "E,H" "Hessian probe on"
# the narration alone, and the toast alone: whole, in the slot
messages ravine "Ravine" "E,E,E" "" --view 2d
messages ravine "Ravine" "E,C,C,E,E" "contours on" --view 2d
finish
