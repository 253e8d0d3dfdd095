# Runs with equal values (issue 9, the projector review): ackley's SGD and Adam both
# stay at 10.12, rastrigin's at 31.84; ravine's RMSProp and Adam, matyas' momentum and
# RMSProp, rosenbrock's SGD and momentum have one rate. Their lines coincided and only
# the last drawn showed; a rate at either end of the axis was drawn on the plot's frame
# (ravine's 1 and 0.05). At the end of each scene's default run, in 2-D at 1280x720 and
# 640x360, every run's colour covers at least a quarter of the plot's width in pixels
# in each plot of the side column (the loss, the learning rate): coinciding lines share
# their stretch in turns, and values keep off the frame (tests/lib/plot_colours.py).
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1
colours="E69F00 56B4E9 009E73 F0E442 CC79A7"
for scene in ackley rastrigin ravine matyas rosenbrock; do
  for size in 1280x720 640x360; do
    rm -f s.png boxes.txt
    LOSSCAPE_TEXT_BOXES=boxes.txt "$LOSSCAPE" --scene $scene --view 2d --size $size --screenshot s.png 2>err.txt
    rc=$?
    gl_or_skip $rc err.txt
    check_true "$scene $size: exit $rc: $(cat err.txt)" test $rc -eq 0
    w=${size%x*}
    # shellcheck disable=SC2086
    python3 "$SRC/tests/lib/plot_colours.py" s.png boxes.txt $((w * 6 / 10)) $colours >counts.txt
    check_true "$scene $size: $(wc -l <counts.txt) plots in the side column, wanted 2" test "$(wc -l <counts.txt)" -eq 2
    while read -r x y pw ph n0 n1 n2 n3 n4; do
      check_true "$scene $size: plot at ($x, $y) ${pw}x$ph: a run's colour on fewer than $pw/4 pixels (runs 1-5: $n0 $n1 $n2 $n3 $n4)" \
        awk -v w="$pw" -v a="$n0 $n1 $n2 $n3 $n4" 'BEGIN { split(a, n, " "); for (k = 1; k <= 5; k++) if (n[k] < w / 4) exit 1 }'
    done <counts.txt
  done
done
finish
