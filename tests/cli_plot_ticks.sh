# The side column's plots (loss, accuracy, learning rate): every tick label keeps the
# same gap from the plot's frame on every side: the value labels (top and bottom) left
# of it, the step labels below it; at least 4 px, at most 1.5 px apart from one
# another (issue 9: the top labels sat flush against the frame, the step labels 1 px
# under it). From the boxes the renderer reports (LOSSCAPE_TEXT_BOXES), at 640x360,
# 1280x720, 1920x1080 and 3840x2160, on a surface scene (ravine 2-D: loss and rate)
# and a data scene (moons-mlp-bn: loss, accuracy, rate).
source "$(dirname "$0")/lib/cli.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
export SDL_VIDEODRIVER=offscreen
check_gaps() {   # check_gaps SCENE ARGS...
  local boxes="$TMP/boxes-$1" scene=$1 out
  shift
  rm -f "$boxes" "$boxes".*
  if ! LOSSCAPE_TEXT_BOXES="$boxes" LOSSCAPE_TEXT_BOXES_SIZES=1280x720,1920x1080,3840x2160 \
       "$LOSSCAPE" --scene "$scene" --size 640x360 --steps 60 "$@" --screenshot "$TMP/shot.png" >/dev/null 2>&1; then
    fail "$scene $*: the run failed"
    return
  fi
  if out=$(python3 - "$boxes" 640 360 "$boxes.1280x720" 1280 720 "$boxes.1920x1080" 1920 1080 \
           "$boxes.3840x2160" 3840 2160 <<'PY'
import sys
a = sys.argv[1:]
bad = []
for k in range(0, len(a), 3):
    W = float(a[k + 1])
    rows = [l.split() for l in open(a[k])]
    areas = [tuple(map(float, r[2:])) for r in rows if r[0] == "area"]
    texts = [tuple(map(float, r[2:])) for r in rows if r[0] == "text"]
    plots = [p for p in areas if p[0] + p[2] > 0.95 * W]   # the side column's plots
    if not plots:
        bad.append("%s: no plot" % a[k])
    for (px, py, pw, ph) in plots:
        gaps = []
        for (x, y, w, h) in texts:
            # left of the frame, on its rows, within a label's width: a value label
            if y < py + ph and y + h > py and x + w <= px + 1 and x + w > px - 3 * h:
                gaps.append(("value", px - (x + w)))
            # under the frame, over its columns, within a line: a step label
            if x < px + pw and x + w > px and y >= py + ph - 1 and y < py + ph + h:
                gaps.append(("step", y - (py + ph)))
        kinds = {g[0] for g in gaps}
        if kinds != {"value", "step"}:
            bad.append("%s: plot %s: labels found: %s" % (a[k], (px, py, pw, ph), gaps))
            continue
        v = [g for _, g in gaps]
        if min(v) < 4 or max(v) - min(v) > 1.5:
            bad.append("%s: plot %s: gaps %s" % (a[k], (px, py, pw, ph), gaps))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
); then pass; else fail "$scene $*: $out"; fi
}
check_gaps ravine --view 2d
check_gaps moons-mlp-bn
finish
