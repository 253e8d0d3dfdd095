# A wall seen edge-on in 3-D (issue 9, the projector review): ravine's and
# features-unscaled's near wall, steep between the eye and the floor, folds over, and
# past the fold its underside showed as a thin line along the rim, out past the
# surface. The underside of a wall seen from above is left out. In the 3-D view
# (LOSSCAPE_PANELS) of each at 640x360 and 1280x720, the longest thin stroke apart
# from everything else (tests/lib/thin_runs.py) is at most h/30 rows: a surface's
# pointed corner, not a line (before: 21 and 50 rows for ravine, 16 and 44 for
# features-unscaled; after: 6, 17, 5, 11).
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1
for scene in ravine features-unscaled; do
  for size in 640x360 1280x720; do
    rm -f pn.txt
    LOSSCAPE_PANELS=pn.txt "$LOSSCAPE" --scene $scene --view 3d --size $size --screenshot s.png 2>err.txt
    rc=$?
    gl_or_skip $rc err.txt
    check_true "$scene $size: exit $rc: $(cat err.txt)" test $rc -eq 0
    h=${size#*x}
    read -r _ _ _ _ _ _ vx vy vw vh _ <pn.txt
    # from 2 px below the view's top (the band's edge)
    n=$(python3 "$SRC/tests/lib/thin_runs.py" s.png "$vx" "$(awk -v y="$vy" 'BEGIN { print y + 2 }')" "$vw" "$vh")
    check_true "$scene 3d $size: a thin stroke $n rows long apart from the surface (at most $((h / 30)))" \
      test "$n" -le $((h / 30))
  done
done
finish
