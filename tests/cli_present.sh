# Presentation mode (issue 9, wanted: --present and F2): against the same frame
# without it, the type is larger (sized as for a window 1.4x taller), the colour map's
# dark end is lifted off the near-black background (the map's darkest pixels read
# back from the PNG), and the scene's one-line description is on screen as its
# caption. F2 in the window gives the same frame as --present.
source "$(dirname "$0")/lib/cli.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
export SDL_VIDEODRIVER=offscreen
size=1280x720
shot() {   # shot NAME KEYS ARGS... → $TMP/NAME.png, $TMP/NAME.txt (text boxes)
  local name=$1 keys=$2
  shift 2
  LOSSCAPE_TEXT_BOXES="$TMP/$name.txt" LOSSCAPE_REPLAY_KEYS="$keys" "$LOSSCAPE" --scene ravine --view 2d \
    --size $size --steps 20 "$@" --screenshot "$TMP/$name.png" >/dev/null 2>"$TMP/$name.err" ||
    fail "losscape $* --screenshot: $(cat "$TMP/$name.err")"
}
shot plain ""
shot present "" --present
shot f2 "F2"
# the tallest string (the title); the darkest 5 % of the map
title_h() { awk '$1 == "text" && $6 > h {h = $6} END {print h + 0}' "$1"; }
map_p5() {
  local box
  box=$(awk '$1 == "area" && $5 * $6 > a {a = $5 * $6; b = ($3 + 4) " " ($4 + 4) " " ($5 - 8) " " ($6 - 8)}
             END {print b}' "$1")   # the largest area: the map
  python3 "$SRC/tests/lib/png_stats.py" "$2" $box | sed 's/.*p5=\([0-9.]*\).*/\1/'
}
# a string in the bottom rows spanning more than a quarter of the frame (a caption)
caption_w() { awk -v H=${size#*x} '$1 == "text" && $4 > H * 0.9 && $5 > w {w = $5} END {print w + 0}' "$1"; }
hp=$(title_h "$TMP/plain.txt") hq=$(title_h "$TMP/present.txt") hf=$(title_h "$TMP/f2.txt")
awk -v a="$hp" -v b="$hq" 'BEGIN {exit !(a > 0 && b >= 1.3 * a)}' && pass ||
  fail "presentation type: title $hq px high against $hp px without"
[ "$hf" = "$hq" ] && pass || fail "F2: title $hf px high, --present $hq px"
lp=$(map_p5 "$TMP/plain.txt" "$TMP/plain.png") lq=$(map_p5 "$TMP/present.txt" "$TMP/present.png")
awk -v a="$lp" -v b="$lq" 'BEGIN {exit !(b >= 45 && b >= a + 15)}' && pass ||
  fail "presentation colours: the map's darkest 5 % at luminance $lq against $lp without (want >= 45 and 15 more)"
cp=$(caption_w "$TMP/plain.txt") cq=$(caption_w "$TMP/present.txt")
awk -v a="$cp" -v b="$cq" -v W=${size%x*} 'BEGIN {exit !(a < W / 8 && b > W / 4)}' && pass ||
  fail "presentation caption: bottom row $cq px wide (without: $cp px); the description should be there"
finish
