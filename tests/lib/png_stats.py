#!/usr/bin/env python3
"""png_stats.py FILE.png X Y W H — luminance of a rectangle of an 8-bit RGB(A) PNG
(non-interlaced, as losscape writes them): prints 'p5=... p50=... mean=...', the
5th percentile, median and mean of 0.2126 R + 0.7152 G + 0.0722 B over the pixels.
PIL where it is (fast), else plain Python (zlib)."""
import struct
import sys
import zlib


def read_png(path):
    try:   # PIL where it is (apt's python3-pil): fast; the same rows
        from PIL import Image
        img = Image.open(path).convert('RGB')
        w, h = img.size
        raw = img.tobytes()
        return w, h, 3, [raw[y * w * 3:(y + 1) * w * 3] for y in range(h)]
    except ImportError:
        pass
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        sys.exit('%s: not a PNG' % path)
    pos, idat, w = 8, b'', 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                sys.exit('%s: not an 8-bit RGB(A) non-interlaced PNG' % path)
            bpp = 3 if ctype == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def main():
    w, h, bpp, rows = read_png(sys.argv[1])
    x0, y0, rw, rh = (int(float(v)) for v in sys.argv[2:6])
    lum = []
    for y in range(max(0, y0), min(h, y0 + rh)):
        row = rows[y]
        for x in range(max(0, x0), min(w, x0 + rw)):
            r, g, b = row[x * bpp:x * bpp + 3]
            lum.append(0.2126 * r + 0.7152 * g + 0.0722 * b)
    if not lum:
        sys.exit('empty rectangle')
    lum.sort()
    print('p5=%.1f p50=%.1f mean=%.1f' % (lum[len(lum) // 20], lum[len(lum) // 2], sum(lum) / len(lum)))


if __name__ == '__main__':
    main()
