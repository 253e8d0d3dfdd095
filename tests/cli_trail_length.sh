# Trails long enough to see in 3-D (issue 9, the projector review). himmelblau: from
# the default camera the start (0, 0), on its hill, stood in front of (3, 2) in its
# basin, and the trails from one to the other were 22 px long at 1280x720. From the
# scene's camera, each run's true
# point (LOSSCAPE_MARKERS) moves at least 15 % of the window's height on screen
# between step 0 and the end of the default run, at 1280x720 and 640x360.
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1
for ss in himmelblau:300; do
  scene=${ss%:*} end=${ss#*:}
  for size in 1280x720 640x360; do
    h=${size#*x}
    for steps in 0 "$end"; do
      rm -f mk$steps.txt
      LOSSCAPE_MARKERS=mk$steps.txt "$LOSSCAPE" --scene $scene --view 3d --size $size --steps $steps \
        --screenshot s.png 2>err.txt
      rc=$?
      gl_or_skip $rc err.txt
      check_true "$scene $size --steps $steps: exit $rc: $(cat err.txt)" test $rc -eq 0
    done
    moved=$(paste <(awk '{ print $2, $11, $12 }' mk0.txt) <(awk '{ print $11, $12 }' mk$end.txt) |
      awk '{ printf "%.0f ", sqrt(($2 - $4) ^ 2 + ($3 - $5) ^ 2) }')
    check_true "$scene 3d $size: the runs' true points moved (px) $moved, each wanted >= 15 % of $h" \
      awk -v m="$moved" -v h="$h" 'BEGIN { n = split(m, d, " "); if (n != 5) exit 1
                                           for (k = 1; k <= n; k++) if (d[k] < 0.15 * h) exit 1 }'
  done
done
finish
