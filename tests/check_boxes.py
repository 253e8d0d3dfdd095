#!/usr/bin/env python3
"""check_boxes.py FILE W H [FILE W H ...] — the text layout of frames (issue 9 #9), each
from the boxes losscape reports with LOSSCAPE_TEXT_BOXES: no string overlaps another
string or a map's or plot's area, every string is inside the frame. Contour labels
(maptext) lie inside their map and on no other string. Strings under an opaque panel (the
help overlay) are hidden and not checked; the panel's own strings are, against each
other; strings on top outside a panel (caption, REC badge) against everything. Prints each
violation (after the frame's W×H when there are several frames); exit 1 if any."""
import sys

def inter(a, b, tol=1.0):
    return (a[0] + tol < b[0] + b[2] and b[0] + tol < a[0] + a[2] and
            a[1] + tol < b[1] + b[3] and b[1] + tol < a[1] + a[3])

def inside(a, b):
    return a[0] >= b[0] - 1 and a[1] >= b[1] - 1 and a[0] + a[2] <= b[0] + b[2] + 1 and a[1] + a[3] <= b[1] + b[3] + 1

def check(path, W, H):
    """The violations in one frame's boxes."""
    boxes = []
    for line in open(path):
        k, layer, x, y, w, h = line.split()
        boxes.append((k, int(layer), (float(x), float(y), float(w), float(h))))
    panels = [b for k, l, b in boxes if k == "panel"]
    areas = [b for k, l, b in boxes if k == "area"]
    texts = [(l, b) for k, l, b in boxes if k == "text"]
    shown = [(l, b) for l, b in texts if l == 2 or not any(inside(b, p) or inter(b, p, 0) for p in panels)]
    bad = []
    for i, (l, b) in enumerate(shown):
        if b[0] < -1 or b[1] < -1 or b[0] + b[2] > W + 1 or b[1] + b[3] > H + 1:
            bad.append("outside the frame: %s" % (b,))
        onpanel = l == 2 and any(inside(b, p) for p in panels)
        for a in areas:
            if not onpanel and inter(b, a):
                bad.append("text %s on the area %s" % (b, a))
        for l2, c in shown[i + 1:]:
            onpanel2 = l2 == 2 and any(inside(c, p) for p in panels)
            if (onpanel == onpanel2 or not (onpanel or onpanel2)) and inter(b, c):
                bad.append("text %s on text %s" % (b, c))
    maptexts = [b for k, l, b in boxes if k == "maptext"]
    for i, b in enumerate(maptexts):
        if any(inside(b, p) or inter(b, p, 0) for p in panels):
            continue
        for a in areas:
            if inter(b, a) and not inside(b, a):
                bad.append("map label %s not inside its map %s" % (b, a))
        for l, c in shown:
            if l != 2 and inter(b, c):
                bad.append("map label %s on text %s" % (b, c))
        for c in maptexts[i + 1:]:
            if inter(b, c):
                bad.append("map label %s on map label %s" % (b, c))
    return bad


args = sys.argv[1:]
if not args or len(args) % 3:
    sys.exit("usage: check_boxes.py FILE W H [FILE W H ...]")
failed = 0
for k in range(0, len(args), 3):
    bad = check(args[k], float(args[k + 1]), float(args[k + 2]))
    where = "%sx%s: " % (args[k + 1], args[k + 2]) if len(args) > 3 else ""
    for m in bad[:20]:
        print(where + m)
    if len(bad) > 20:
        print("%s... %d more" % (where, len(bad) - 20))
    failed += bool(bad)
sys.exit(1 if failed else 0)
