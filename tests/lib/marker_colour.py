#!/usr/bin/env python3
"""marker_colour.py [--all] FILE.png MARKERS RRGGBB... — for each line of a
LOSSCAPE_MARKERS report (panel run x y ...) whose point no later marker shares (a
later one is drawn on top; --all: every line, so a marker under another fails), the share of pixels within 3 pixels of (x, y) whose colour is within 40
(each channel) of that run's colour (the run-th RRGGBB argument); prints
'run x y share' per marker. A marker drawn at full strength where it is reported
covers its centre with its own colour (share near 1); a dimmed ghost, or a marker
drawn elsewhere, does not. Plain Python (png_stats.read_png)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_stats import read_png  # noqa: E402

args = sys.argv[1:]
every = args[:1] == ['--all']
if every:
    args = args[1:]
w, h, bpp, rows = read_png(args[0])
cols = [[int(c[k:k + 2], 16) for k in (0, 2, 4)] for c in args[2:]]
marks = [line.split() for line in open(args[1]) if line.strip()]
for i, f in enumerate(marks):
    run, cx, cy = int(f[1]), int(round(float(f[2]))), int(round(float(f[3])))
    if not every and any(abs(float(g[2]) - float(f[2])) < 8 and abs(float(g[3]) - float(f[3])) < 8 for g in marks[i + 1:]):
        continue   # covered by a later marker
    want = cols[run]
    near = total = 0
    for y in range(cy - 3, cy + 4):
        for x in range(cx - 3, cx + 4):
            if 0 <= x < w and 0 <= y < h:
                total += 1
                px = rows[y][x * bpp:x * bpp + 3]
                near += all(abs(px[k] - want[k]) <= 40 for k in range(3))
    print(run, f[2], f[3], '%.2f' % (near / total if total else 0))
