#!/usr/bin/env python3
"""matplotlib_tuned.py OUT.mp4 — the best matplotlib can do.

The static background (filled contour, contour lines, axes, title) is drawn once
and cached with copy_from_bbox; each frame restores it, draws only the moving
artists (trails, heads, and the legend on top) with draw_artist, and writes the
canvas's RGBA buffer straight into an ffmpeg child's stdin (no FFMpegWriter, no
savefig). Encoder: mpl_common.X264_ARGS ($MPL_X264). OUT.rgba writes the raw
frames instead (lossless, for SSIM). Content: see mpl_common.py
(trajectories from `losscape --headless --csv`).
"""
import subprocess
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

import mpl_common as C

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/mpl_tuned.mp4"
tr = C.trajectories()
fig, ax, lines, heads, leg = C.figure(animated=True)

canvas = fig.canvas
canvas.draw()
bg = canvas.copy_from_bbox(fig.bbox)
w, h = canvas.get_width_height()
if out.endswith(C.LOSSLESS_EXT):   # the lossless frames: raw RGBA into the file
    ff = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=open(out, "wb"))
else:
    ff = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt",
                           "rgba", "-s", f"{w}x{h}", "-framerate", str(C.FPS), "-i", "pipe:0", *C.X264_ARGS, out],
                          stdin=subprocess.PIPE)
for i in range(C.FRAMES):
    canvas.restore_region(bg)
    for name, ln, hd in zip(C.NAMES, lines, heads):
        p = tr[name][: i + 1]
        ln.set_data(p[:, 0], p[:, 1])
        hd.set_data(p[-1:, 0], p[-1:, 1])
        ax.draw_artist(ln)
        ax.draw_artist(hd)
    ax.draw_artist(leg)
    ff.stdin.write(canvas.buffer_rgba())
ff.stdin.close()
sys.exit(ff.wait())
