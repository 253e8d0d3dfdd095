#!/usr/bin/env python3
"""colour_outside.py FILE.png AX AY AW AH BX BY BW BH RRGGBB... — for each colour, how
many pixels of the area (AX, AY, AW, AH) outside the box (BX, BY, BW, BH) have it
(within 40 in each channel): a 3-D view's surface box (LOSSCAPE_PANELS) grown by a
margin, and a run's colour drawn off it (a trail running out of the window). Prints the
counts in the colours' order. Plain Python (png_stats.read_png)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_stats import read_png  # noqa: E402

w, h, bpp, rows = read_png(sys.argv[1])
ax, ay, aw, ah, bx, by, bw, bh = (float(v) for v in sys.argv[2:10])
cols = [[int(c[k:k + 2], 16) for k in (0, 2, 4)] for c in sys.argv[10:]]
counts = [0] * len(cols)
for y in range(max(0, int(ay)), min(h, int(ay + ah))):
    row = rows[y]
    for x in range(max(0, int(ax)), min(w, int(ax + aw))):
        if bx <= x + 0.5 <= bx + bw and by <= y + 0.5 <= by + bh:
            continue
        px = row[x * bpp:x * bpp + 3]
        for k, c in enumerate(cols):
            if abs(px[0] - c[0]) <= 40 and abs(px[1] - c[1]) <= 40 and abs(px[2] - c[2]) <= 40:
                counts[k] += 1
print(' '.join(str(n) for n in counts))
