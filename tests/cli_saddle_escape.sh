# saddle (issue 9 #10/#11): while and after the runs escape along y, every run's
# marker is told apart. They leave the view by nearly one spot (x ≈ 0, y = 2): in
# 3-D their "left view" rings were fanned around it, rings and chevrons piled up; in
# 2-D a run still in view lay under the row of pinned rings at the top edge (step
# 860: SGD's disc under momentum's ring). Now the rings lie in a row across the way
# they left (3-D), and a run in view that would lie on a row's ring joins the row
# (render/marks.c). From LOSSCAPE_MARKERS, in 2-D and 3-D at 640x360 and 1280x720,
# at steps 840..1200: no two markers' discs (radius 0.42 em and a 2-px outline)
# overlap, no "left view" ring's chevron lies on another marker, and each marker in
# view shows its own run's colour at its centre. LOSSCAPE_SANITIZED=1 (the ASan + UBSan
# pass): steps 860 and 1200 at both sizes (a run in view beside the rows, all runs
# left), not 840, 880 and 1000, the same code at points in between (normal pass).
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1
colours="E69F00 56B4E9 009E73 F0E442 CC79A7"
for view in 2d 3d; do
  for size in 640x360 1280x720; do
    for steps in 840 860 880 1000 1200; do
      { [ "$size" = 1280x720 ] || [ "${LOSSCAPE_SANITIZED:-0}" = 1 ]; } &&
        [ "$steps" != 860 ] && [ "$steps" != 1200 ] && continue
      rm -f m.txt
      LOSSCAPE_MARKERS=m.txt "$LOSSCAPE" --scene saddle --view $view --size $size --steps $steps \
        --screenshot s.png 2>err.txt
      rc=$?
      gl_or_skip $rc err.txt
      what="saddle $view $size step $steps"
      check_true "$what: exit $rc: $(cat err.txt)" test $rc -eq 0
      h=${size#*x}
      em=$((h / 42 < 12 ? 12 : h / 42))
      check_true "$what: 5 markers ($(tr '\n' ';' <m.txt))" test "$(grep -c . m.txt)" -eq 5
      close=$(awk -v em="$em" '{ x[NR] = $3; y[NR] = $4; r[NR] = $2 }
        END { d0 = 2 * (0.42 * em + 2); for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
                if (sqrt((x[i] - x[j]) ^ 2 + (y[i] - y[j]) ^ 2) < d0) printf "runs %d and %d; ", r[i] + 1, r[j] + 1 }' m.txt)
      check_true "$what: markers overlap: $close ($(tr '\n' ';' <m.txt))" test -z "$close"
      # a ring's chevron (columns 14-17: its direction, the disc's radius, its reach)
      # lies on no other marker's disc
      chev=$(awk '{ x[NR] = $3; y[NR] = $4; r[NR] = $2; ux[NR] = $14; uy[NR] = $15; rad[NR] = $16; ch[NR] = $17 }
        END { for (i = 1; i <= NR; i++) if (ux[i] != 0 || uy[i] != 0)
                for (s = 0.3; s <= 1.01; s += 0.35) {
                  cx = x[i] + ux[i] * (rad[i] + 2 + s * (ch[i] - 1)); cy = y[i] + uy[i] * (rad[i] + 2 + s * (ch[i] - 1))
                  for (j = 1; j <= NR; j++)
                    if (j != i && sqrt((cx - x[j]) ^ 2 + (cy - y[j]) ^ 2) < rad[j] + 2) { printf "run %d on run %d; ", r[i] + 1, r[j] + 1; s = 2; break } } }' m.txt)
      check_true "$what: a chevron on another marker: $chev ($(tr '\n' ';' <m.txt))" test -z "$chev"
      awk '$6 == 0' m.txt >in.txt
      while read -r run x y share; do
        check_true "$what: run $((run + 1))'s marker at ($x, $y) is $share its colour (wanted >= 0.5)" \
          awk -v s="$share" 'BEGIN { exit !(s >= 0.5) }'
      done < <(python3 "$SRC/tests/lib/marker_colour.py" --all s.png in.txt $colours)
    done
  done
done
finish
