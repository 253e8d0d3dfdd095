# At 640x360 (the README's GIF size) and with runs that diverge (issue 9, the projector
# review).
# - monkey-saddle --steps 400: SGD and momentum diverge (x^3 - 3xy^2 has no floor); in
#   3-D momentum's trail ran from the surface out of the window to its last point. A
#   trail ends at the domain's edge: no pixel of any run's colour in the 3-D view
#   outside the projected surface's box (LOSSCAPE_PANELS) grown by 2 em, at 640x360
#   and 1280x720 (before: 132 and 492 of momentum's).
# - the run counters fit: monkey-saddle's "... 1 step/frame   out of step: 345-400"
#   and moons-mlp-bn's "... surface: full data   2 steps/frame" were cut ('…') at
#   640x360; the bottom rows hold two small lines, and they now take two. No string
#   drawn ends cut (LOSSCAPE_STRINGS), and the last field is there.
# - moons-mlp-bn's three plots were 40, 14 and 11 px high at 640x360; with every
#   rate constant the rate plot gives way to a line saying so, and each plot is at
#   least 24 px high (LOSSCAPE_TEXT_BOXES), the text laid out without overlaps.
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1
colours="E69F00 56B4E9 009E73 F0E442 CC79A7"
for size in 640x360 1280x720; do
  rm -f pn.txt
  LOSSCAPE_PANELS=pn.txt "$LOSSCAPE" --scene monkey-saddle --view 3d --steps 400 --size $size \
    --screenshot s.png 2>err.txt
  rc=$?
  gl_or_skip $rc err.txt
  check_true "monkey-saddle $size: exit $rc: $(cat err.txt)" test $rc -eq 0
  h=${size#*x}
  em=$((h / 42 < 12 ? 12 : h / 42))
  read -r _ _ _ _ _ _ vx vy vw vh sx sy sw sh _ <pn.txt
  # shellcheck disable=SC2086
  out=$(python3 "$SRC/tests/lib/colour_outside.py" s.png "$vx" "$vy" "$vw" "$vh" \
    "$(awk -v a="$sx" -v e="$em" 'BEGIN { print a - 2 * e }')" "$(awk -v a="$sy" -v e="$em" 'BEGIN { print a - 2 * e }')" \
    "$(awk -v a="$sw" -v e="$em" 'BEGIN { print a + 4 * e }')" "$(awk -v a="$sh" -v e="$em" 'BEGIN { print a + 4 * e }')" \
    $colours)
  check_true "monkey-saddle 3d $size: runs' colours off the surface (runs 1-5): $out" test "$out" = "0 0 0 0 0"
done
for sc in "monkey-saddle --steps 400:out of step: 345–400" "moons-mlp-bn:2 steps/frame"; do
  args=${sc%%:*} last=${sc#*:}
  rm -f st.txt boxes.txt
  # shellcheck disable=SC2086
  LOSSCAPE_STRINGS=st.txt LOSSCAPE_TEXT_BOXES=boxes.txt "$LOSSCAPE" --scene $args --size 640x360 \
    --screenshot s.png 2>err.txt
  check_true "$args: exit: $(cat err.txt)" test -s s.png
  check_true "$args 640x360: a string cut: $(grep '…' st.txt)" test "$(grep -c '…' st.txt)" -eq 0
  check_true "$args 640x360: no string ends '$last'" grep -q -- "$last\$" st.txt
  check_true "$args 640x360: text overlaps: $(python3 "$SRC/tests/check_boxes.py" boxes.txt 640 360)" \
    python3 "$SRC/tests/check_boxes.py" boxes.txt 640 360
  if [[ $args == moons-mlp-bn ]]; then
    heights=$(awk '$1 == "area" && $3 > 640 * 0.6 { printf "%s ", $6 }' boxes.txt)
    check_true "moons-mlp-bn 640x360: side plots $heights px high, each wanted >= 24" \
      awk -v a="$heights" 'BEGIN { n = split(a, h, " "); if (n < 2) exit 1; for (k = 1; k <= n; k++) if (h[k] < 24) exit 1 }'
  fi
done
finish
