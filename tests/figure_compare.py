#!/usr/bin/env python3
"""figure_compare.py A.ppm B.ppm — how closely the maps of two pictures agree.

Each picture (binary PPM, P6) holds one map: the largest block of rows and columns
where most pixels differ from the page colour (the pixel at the top-left corner).
Both maps, less a 3 % border (frame lines, tick marks), are averaged over a 32 x 32
grid of blocks; the measure is the mean absolute difference of the block means over
all blocks and the three channels, on 0..255, and the 99th percentile of the
per-block differences (what a misplaced trail or marker raises). Printed as
'mae=M p99=P map_a=WxH map_b=WxH'.
Block means compare what a reader sees at a glance (colours, contour density, where
the trails run) and forgive line widths and anti-aliasing, which a vector figure and
a raster frame draw differently. Plain Python: no numpy needed.
"""
import sys

B = 32


def read_ppm(path):
    data = open(path, 'rb').read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    if fields[0] != b'P6' or int(fields[3]) != 255:
        sys.exit('%s: not an 8-bit P6 PPM' % path)
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos:pos + w * h * 3]


def map_box(w, h, px):
    bg = px[0:3]
    far = bytearray(w * h)
    for i in range(w * h):
        o = 3 * i
        if abs(px[o] - bg[0]) + abs(px[o + 1] - bg[1]) + abs(px[o + 2] - bg[2]) > 60:
            far[i] = 1
    cols = [sum(far[j * w + i] for j in range(h)) for i in range(w)]
    rows = [sum(far[j * w:(j + 1) * w]) for j in range(h)]

    def longest(counts, n, other):
        best, run_start, best_span = None, None, (0, 0)
        for k in range(n + 1):
            on = k < n and counts[k] > 0.5 * other
            if on and run_start is None:
                run_start = k
            if not on and run_start is not None:
                if k - run_start > best_span[1] - best_span[0]:
                    best_span = (run_start, k)
                run_start = None
        return best_span

    x0, x1 = longest(cols, w, h)
    y0, y1 = longest(rows, h, w)
    return x0, y0, x1, y1


def blocks(w, h, px, box):
    x0, y0, x1, y1 = box
    bx, by = int((x1 - x0) * 0.03) + 1, int((y1 - y0) * 0.03) + 1
    x0, x1, y0, y1 = x0 + bx, x1 - bx, y0 + by, y1 - by
    out = []
    for gj in range(B):
        ya, yb = y0 + (y1 - y0) * gj // B, y0 + (y1 - y0) * (gj + 1) // B
        for gi in range(B):
            xa, xb = x0 + (x1 - x0) * gi // B, x0 + (x1 - x0) * (gi + 1) // B
            s, n = [0, 0, 0], 0
            for y in range(ya, max(yb, ya + 1)):
                row = y * w
                for x in range(xa, max(xb, xa + 1)):
                    o = 3 * (row + x)
                    s[0] += px[o]; s[1] += px[o + 1]; s[2] += px[o + 2]
                    n += 1
            out.append([v / n for v in s])
    return out


def main():
    pics = [read_ppm(p) for p in sys.argv[1:3]]
    boxes = [map_box(*p) for p in pics]
    for p, b in zip(sys.argv[1:3], boxes):
        if b[2] - b[0] < B or b[3] - b[1] < B:
            sys.exit('%s: no map found' % p)
    ba = blocks(*pics[0], boxes[0])
    bb = blocks(*pics[1], boxes[1])
    diff = sorted(sum(abs(a[c] - b[c]) for c in range(3)) / 3 for a, b in zip(ba, bb))
    mae = sum(diff) / len(diff)
    print('mae=%.2f p99=%.2f map_a=%dx%d map_b=%dx%d' % (mae, diff[int(0.99 * (len(diff) - 1))], boxes[0][2] - boxes[0][0], boxes[0][3] - boxes[0][1],
                                                boxes[1][2] - boxes[1][0], boxes[1][3] - boxes[1][1]))


main()
