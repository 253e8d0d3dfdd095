# Presentation mode (issue 9, wanted: --present and F2): against the same frame
# without it, the type is larger (sized as for a window 1.4x taller), the colour map's
# dark end is lifted off the near-black background (the map's darkest pixels read
# back from the PNG), and the scene's one-line description is on screen as its
# caption. F2 in the window gives the same frame as --present.
# The light theme (--theme light, the scene key, I): the frame's background and the
# side column light, the title and a legend string dark on it (contrast), the colour
# map's dark end lifted; 2-D and 3-D; I gives --theme's frame; Ctrl+S saves it;
# the dark theme's background stays dark.
source "$(dirname "$0")/lib/cli.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
PY=python3   # apt's python has PIL (scripts/setup.sh test): png_stats.py reads PNGs fast with it
/usr/bin/python3 -c 'import PIL' 2>/dev/null && PY=/usr/bin/python3
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
  $PY "$SRC/tests/lib/png_stats.py" "$2" $box | sed 's/.*p5=\([0-9.]*\).*/\1/'
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

# the light theme
lum() { $PY "$SRC/tests/lib/png_stats.py" "$@"; }
p50() { lum "$@" | sed 's/.*p50=\([0-9.]*\).*/\1/'; }
p5() { lum "$@" | sed 's/.*p5=\([0-9.]*\).*/\1/'; }
# the frame's left edge (no string there) and the side column's right edge, below the band
bg_left() { p50 "$1" 0 60 6 600; }
bg_side() { p50 "$1" 1272 300 6 300; }
shot light "" --theme light
shot light3d "" --theme light --view 3d
shot lightkey "I"
for name in light light3d lightkey; do
  a=$(bg_left "$TMP/$name.png") b=$(bg_side "$TMP/$name.png")
  awk -v a="$a" -v b="$b" 'BEGIN {exit !(a >= 220 && b >= 200)}' && pass ||
    fail "$name: background luminance $a, side column $b (want >= 220, >= 200)"
done
a=$(bg_left "$TMP/plain.png")
awk -v a="$a" 'BEGIN {exit !(a <= 40)}' && pass || fail "dark theme: background luminance $a (want <= 40)"
# the title (the tallest string) and the side column's first string: their ink (the
# darkest 5 %) against the background, WCAG's contrast ratio with luminance as 0..255
ink() {   # ink BOXES PNG WHICH: p5 of the title's box (WHICH=title) or the legend's first string
  local box
  if [ "$3" = title ]; then
    box=$(awk '$1 == "text" && $6 > h {h = $6; b = $3 " " $4 " " $5 " " $6} END {print b}' "$1")
  else
    box=$(awk '$1 == "text" && $3 > 1000 && $4 < 60 && (b == "" || $4 < y) {y = $4; b = $3 " " $4 " " $5 " " $6} END {print b}' "$1")
  fi
  p5 "$2" $box
}
for name in light light3d; do
  bg=$(bg_left "$TMP/$name.png")
  for which in title legend; do
    i=$(ink "$TMP/$name.txt" "$TMP/$name.png" $which)
    awk -v i="$i" -v g="$bg" 'BEGIN {c = (g / 255 + 0.05) / (i / 255 + 0.05); exit !(c >= 4.5)}' && pass ||
      fail "$name: the $which's ink at luminance $i on $bg: contrast below 4.5"
  done
done
ll=$(map_p5 "$TMP/light.txt" "$TMP/light.png")
awk -v a="$lp" -v b="$ll" 'BEGIN {exit !(b >= 45 && b >= a + 15)}' && pass ||
  fail "light theme: the map's darkest 5 % at luminance $ll against $lp in the dark theme (want lifted)"
(cd "$TMP" && rm -f losscape-*.scene &&
  LOSSCAPE_REPLAY_KEYS="I,ctrl+s" "$LOSSCAPE" --scene ravine --size 320x180 --steps 1 --screenshot k.png 2>/dev/null &&
  grep -qx 'theme = light' losscape-*.scene) && pass || fail "I, Ctrl+S: the scene file should say theme = light"
check_error 2 "theme" --theme blue --headless --steps 1
finish
