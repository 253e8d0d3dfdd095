#!/usr/bin/env python3
"""glyph_white.py FILE.png X Y R — how much of a white symbol (a critical point's ▼ ×,
as marks.c draws them) shows at (X, Y): the near-white pixels (each channel 215 or
more) within R pixels of it, divided by R²; prints that share. An equilateral
triangle inscribed in the circle of radius R covers 1.30 R², a cross less; a symbol
under leader lines and trail ends shows much less. Plain Python (png_stats.read_png)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_stats import read_png  # noqa: E402

w, h, bpp, rows = read_png(sys.argv[1])
cx, cy, rad = (float(v) for v in sys.argv[2:5])
n = 0
for y in range(int(cy - rad) - 1, int(cy + rad) + 2):
    for x in range(int(cx - rad) - 1, int(cx + rad) + 2):
        if 0 <= x < w and 0 <= y < h and (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= rad * rad:
            px = rows[y][x * bpp:x * bpp + 3]
            n += px[0] >= 215 and px[1] >= 215 and px[2] >= 215
print('%.2f' % (n / (rad * rad)))
