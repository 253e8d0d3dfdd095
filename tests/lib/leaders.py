#!/usr/bin/env python3
"""leaders.py MARKERS [TOL] — the leader lines of a LOSSCAPE_MARKERS report (panel run x
y in_view left hidden steps active fanned tx ty walled: a fanned marker's leader
runs from its true point (tx, ty) to its disc (x, y)) that cross each other on one
panel: prints 'panel runA runB X Y' per crossing and 'leaders N' last. A crossing
within TOL (default 0.3) px of either true point is not counted: the report rounds
to 0.1 px, and true points a fraction of a pixel apart are one point drawn."""
import math
import sys
TOL = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3

rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
segs = [(int(r[0]), int(r[1]), float(r[10]), float(r[11]), float(r[2]), float(r[3]))
        for r in rows if len(r) >= 12 and r[9] == '1']
for i, a in enumerate(segs):
    for b in segs[i + 1:]:
        if a[0] != b[0]:
            continue
        rx, ry, sx, sy = a[4] - a[2], a[5] - a[3], b[4] - b[2], b[5] - b[3]
        den = rx * sy - ry * sx
        if abs(den) < 1e-9:
            continue
        qx, qy = b[2] - a[2], b[3] - a[3]
        t, u = (qx * sy - qy * sx) / den, (qx * ry - qy * rx) / den
        if not (0 < t < 1 and 0 < u < 1):
            continue
        x, y = a[2] + t * rx, a[3] + t * ry
        if math.hypot(x - a[2], y - a[3]) < TOL or math.hypot(x - b[2], y - b[3]) < TOL:
            continue
        print(a[0], a[1], b[1], round(x, 1), round(y, 1))
print('leaders', len(segs))
