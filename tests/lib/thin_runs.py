#!/usr/bin/env python3
"""thin_runs.py FILE.png AX AY AW AH [MAXW] — the longest thin stroke apart from everything
else in the area (AX, AY, AW, AH), in rows: in each row the runs of at most MAXW (6) pixels that
differ from the background (the colour at the area's top left corner, within 6 in each
channel) with at least 4 pixels of background on either side; a stroke is such runs in
consecutive rows, each within 3 pixels of the one above (a stroke that leans). A wall seen edge-on that
shows as a line along the rim of a 3-D surface (a stray line: trails lie on the
surface) is one long stroke; a surface's pointed corner is a short one. Plain Python
(png_stats.read_png)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_stats import read_png  # noqa: E402

w, h, bpp, rows = read_png(sys.argv[1])
ax, ay, aw, ah = (int(float(v)) for v in sys.argv[2:6])
maxw = int(sys.argv[6]) if len(sys.argv) > 6 else 6
bg = rows[ay][ax * bpp:ax * bpp + 3]
best, chains = 0, {}   # chains: x of a thin run in the row above -> its stroke's length
for y in range(max(0, ay), min(h, ay + ah)):
    row = rows[y]
    fg = [any(abs(row[x * bpp + k] - bg[k]) > 6 for k in range(3)) for x in range(max(0, ax), min(w, ax + aw))]
    n, x, now = len(fg), 0, {}
    while x < n:
        if not fg[x]:
            x += 1
            continue
        e = x
        while e < n and fg[e]:
            e += 1
        if e - x <= maxw and x >= 4 and e + 4 <= n and not any(fg[x - 4:x]) and not any(fg[e:e + 4]):
            length = 1 + max([c for px, c in chains.items() if abs(px - x) <= 3] or [0])
            now[x] = length
            best = max(best, length)
        x = e
    chains = now
print(best)
