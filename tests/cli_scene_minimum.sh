# features-standardized (issue 9 #10): its description says the valley is round and
# every method walks straight in; the picture shows the minimum they walk to (▼, the
# critical-points overlay, as saddle and six-hump camel mark theirs). At the end of
# the default run, in 2-D and 3-D: the scene has one minimum (--critical-points) and
# the frame drew a mark there (LOSSCAPE_CLEAR_MARKS: the marks the markers' fans are
# kept off), inside the window, and every run's marker ends within 3 em of it.
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1
scene=features-standardized
n=$("$LOSSCAPE" --scene $scene --critical-points | grep -c '^minimum,')
check_true "$scene: $n minima, wanted 1" test "$n" = 1
for view in 2d 3d; do
  for size in 640x360 1280x720; do
    rm -f cm.txt mk.txt
    LOSSCAPE_CLEAR_MARKS=cm.txt LOSSCAPE_MARKERS=mk.txt "$LOSSCAPE" --scene $scene --view $view --size $size \
      --screenshot s.png 2>err.txt
    rc=$?
    gl_or_skip $rc err.txt
    check_true "$scene $view $size: exit $rc: $(cat err.txt)" test $rc -eq 0
    w=${size%x*} h=${size#*x}
    check_true "$scene $view $size: no mark drawn for the minimum ($(cat cm.txt 2>/dev/null))" \
      awk -v w="$w" -v h="$h" '$1 == 0 && $2 > 0 && $2 < w && $3 > 0 && $3 < h { ok = 1 } END { exit !ok }' cm.txt
    em=$((h / 42 < 12 ? 12 : h / 42))
    read -r _ mx my _ < <(awk '$1 == 0' cm.txt 2>/dev/null)
    check_true "$scene $view $size: a marker (true point) more than 3 em from the mark at ($mx, $my): $(cat mk.txt)" \
      test -n "$mx" -a -n "$my" && awk -v em="$em" -v mx="$mx" -v my="$my" '
        { d = sqrt(($11 - mx) ^ 2 + ($12 - my) ^ 2); if (d > 3 * em) bad = 1 } END { exit bad || NR != 5 }' mk.txt
  done
done
finish
