# Small type at 640x360, the README's GIF size (issue 9): the legend's η lines, tick
# labels and plot titles were 10 px, hard to read. Every string the frame draws is
# 11 px or more (LOSSCAPE_STRINGS: each string's type size), on a surface scene with
# arrows and σ boxes (ravine 2-D), a data scene (moons-mlp-bn) and one with critical
# points (saddle); cli_layout checks that this type still lays out without overlaps.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=offscreen
for args in "--scene ravine --view 2d" "--scene moons-mlp-bn" "--scene saddle --view 2d"; do
  rm -f "$TMP/strings"
  # shellcheck disable=SC2086
  if LOSSCAPE_STRINGS="$TMP/strings" "$LOSSCAPE" $args --size 640x360 --steps 40 \
       --screenshot "$TMP/shot.png" >/dev/null 2>&1; then
    small=$(awk '$6 < 11 { printf "%s px: %s; ", $6, substr($0, index($0, $7)) }' "$TMP/strings")
    check_true "$args at 640x360: strings under 11 px: $small" test -z "$small"
    check_true "$args at 640x360: no strings reported" test -s "$TMP/strings"
  else
    fail "$args: the run failed"
  fi
done
finish
