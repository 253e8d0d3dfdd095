#!/usr/bin/env python3
"""png_diff.py A.png B.png [X Y W H] — where two PNGs of one size differ: prints
'differ=N box=x0,y0,x1,y1' (N pixels whose RGB differs by more than 8 in a channel,
box their bounding box, '-' where none), over the whole picture or the rectangle
given. Exit 2 if the sizes differ. PIL and numpy where they are (fast), else plain
Python (png_stats.read_png, slow at 1280x720)."""
import os
import sys


def load(path):
    """(w, h, rows): rows[y][x] = (r, g, b), or a numpy h × w × 3 array."""
    try:
        import numpy
        from PIL import Image
        a = numpy.asarray(Image.open(path).convert('RGB')).astype(int)
        return a.shape[1], a.shape[0], a
    except ImportError:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from png_stats import read_png
        w, h, bpp, rows = read_png(path)
        return w, h, [[tuple(r[x * bpp:x * bpp + 3]) for x in range(w)] for r in rows]


def main():
    wa, ha, a = load(sys.argv[1])
    wb, hb, b = load(sys.argv[2])
    if (wa, ha) != (wb, hb):
        print('sizes differ: %dx%d vs %dx%d' % (wa, ha, wb, hb))
        sys.exit(2)
    x0, y0, w, h = (int(float(v)) for v in sys.argv[3:7]) if len(sys.argv) > 6 else (0, 0, wa, ha)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(wa, x0 + w), min(ha, y0 + h)
    pts = []
    if hasattr(a, 'shape'):
        import numpy
        d = (numpy.abs(a[y0:y1, x0:x1] - b[y0:y1, x0:x1]) > 8).any(axis=2)
        pts = [(int(x) + x0, int(y) + y0) for y, x in numpy.argwhere(d)]
    else:
        pts = [(x, y) for y in range(y0, y1) for x in range(x0, x1)
               if any(abs(a[y][x][c] - b[y][x][c]) > 8 for c in range(3))]
    box = None
    if pts:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        box = (min(xs), min(ys), max(xs), max(ys))
    print('differ=%d box=%s' % (len(pts), ','.join(map(str, box)) if box else '-'))


if __name__ == '__main__':
    main()
