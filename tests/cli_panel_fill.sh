# 3-D panels in layouts of several panels fill them (issue 9): the compare layout
# (two problems side by side), the panels layout (one cell per run) and the split
# view (2-D beside 3-D). The camera's view of the domain box, made for one wide
# panel, left the surface 35-40 % of such a panel, small in its middle. For every
# 3-D panel, from LOSSCAPE_PANELS (the panel's 3-D view rectangle and its surface
# mesh's bounding box as projected by the frame's own matrix): the surface spans at
# least 75 % of the view's width or height, and lies wholly inside it; from
# LOSSCAPE_MARKERS: every run's marker is in view, inside that panel's view.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=offscreen
fill() {   # fill SIZE ARGS...
  local size=$1 out
  shift
  rm -f "$TMP/panels" "$TMP/markers"
  if ! LOSSCAPE_PANELS="$TMP/panels" LOSSCAPE_MARKERS="$TMP/markers" "$LOSSCAPE" "$@" --size "$size" --steps 40 \
       --screenshot "$TMP/shot.png" >/dev/null 2>"$TMP/err"; then
    fail "$* at $size: $(head -c 300 "$TMP/err")"
    return
  fi
  out=$(awk -v at="$* at $size" '
    FNR == NR {
      if ($2 != 3) next
      n3++
      mx[$1] = $7; my[$1] = $8; mw[$1] = $9; mh[$1] = $10
      fw = $13 / $9; fh = $14 / $10
      printf "%s: panel %d view %gx%g, surface %gx%g (%.0f %% x %.0f %%)\n", at, $1, $9, $10, $13, $14, 100 * fw, 100 * fh > "/dev/stderr"
      if (fw < 0.75 && fh < 0.75)
        printf "%s: panel %d: the surface spans %.0f %% x %.0f %% of its %gx%g view (want 75 %% of one)\n", at, $1, 100 * fw, 100 * fh, $9, $10
      if ($11 < $7 - 1 || $12 < $8 - 1 || $11 + $13 > $7 + $9 + 1 || $12 + $14 > $8 + $10 + 1)
        printf "%s: panel %d: the surface (%g %g %g %g) leaves its view (%g %g %g %g)\n", at, $1, $11, $12, $13, $14, $7, $8, $9, $10
      next
    }
    ($1 in mw) {
      if (!$5 || $3 < mx[$1] || $4 < my[$1] || $3 > mx[$1] + mw[$1] || $4 > my[$1] + mh[$1])
        printf "%s: panel %d: run %d marker at (%g, %g) not in view\n", at, $1, $2 + 1, $3, $4
    }
    END { if (!n3) printf "%s: no 3-D panel reported\n", at }' "$TMP/panels" "$TMP/markers" 2>>"$TMP/fills")
  check_true "$out" test -z "$out"
}
for size in 640x360 1280x720 1920x1080; do
  fill "$size" --scene features-unscaled --layout compare --view 3d   # a long valley, the data strip
  fill "$size" --scene himmelblau --layout compare --view 3d          # log beside linear heights
  fill "$size" --scene ravine --layout panels --view 3d               # five cells
  fill "$size" --scene rosenbrock --layout panels --view 3d
  fill "$size" --scene himmelblau --view split
done
[ -n "${VERBOSE:-}" ] && cat "$TMP/fills"
finish
