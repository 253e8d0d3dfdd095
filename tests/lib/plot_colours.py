#!/usr/bin/env python3
"""plot_colours.py FILE.png BOXES X0 RRGGBB... — for each plot area (an 'area' line of a
LOSSCAPE_TEXT_BOXES report whose left edge is at X0 or right of it: the side column's
plots, not the maps), how many pixels inside it (1 px in from its frame) have each run's
colour (within 40 in each channel of the k-th RRGGBB): prints 'x y w h n0 n1 ...' per
plot. A run whose line another run's line covers all along has few or none. Plain
Python (png_stats.read_png)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_stats import read_png  # noqa: E402

w, h, bpp, rows = read_png(sys.argv[1])
x0 = float(sys.argv[3])
cols = [[int(c[k:k + 2], 16) for k in (0, 2, 4)] for c in sys.argv[4:]]
for line in open(sys.argv[2]):
    f = line.split()
    if f[0] != 'area' or float(f[2]) < x0:
        continue
    ax, ay, aw, ah = (float(v) for v in f[2:6])
    counts = [0] * len(cols)
    for y in range(max(0, int(ay) + 1), min(h, int(ay + ah))):
        row = rows[y]
        for x in range(max(0, int(ax) + 1), min(w, int(ax + aw))):
            px = row[x * bpp:x * bpp + 3]
            for k, c in enumerate(cols):
                if abs(px[0] - c[0]) <= 40 and abs(px[1] - c[1]) <= 40 and abs(px[2] - c[2]) <= 40:
                    counts[k] += 1
    print('%g %g %g %g %s' % (ax, ay, aw, ah, ' '.join(str(n) for n in counts)))
