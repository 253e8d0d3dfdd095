#!/usr/bin/env python3
"""matplotlib_usual.py OUT.mp4 — the usual way: FuncAnimation + FFMpegWriter.

Every frame is a full redraw of the figure (filled contour included), rendered to
RGBA by Agg and piped to ffmpeg by matplotlib's FFMpegWriter (x264 options from
$MPL_X264). OUT.rgba writes the raw frames instead (lossless, for SSIM). Content: see
mpl_common.py (trajectories from `losscape --headless --csv`).
"""
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FFMpegWriter, FuncAnimation

import mpl_common as C

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/mpl_usual.mp4"
tr = C.trajectories()
fig, ax, lines, heads, _ = C.figure(animated=False)


def update(i):
    for name, ln, hd in zip(C.NAMES, lines, heads):
        p = tr[name][: i + 1]
        ln.set_data(p[:, 0], p[:, 1])
        hd.set_data(p[-1:, 0], p[-1:, 1])
    return lines + heads


anim = FuncAnimation(fig, update, frames=C.FRAMES, blit=False)
if out.endswith(C.LOSSLESS_EXT):   # the lossless frames: raw RGBA into the file
    with open(out, "wb") as f:
        for i in range(C.FRAMES):
            update(i)
            fig.canvas.draw()
            f.write(fig.canvas.buffer_rgba())
else:
    anim.save(out, writer=FFMpegWriter(fps=C.FPS, codec="libx264",
                                       extra_args=[*C.X264_OPTS, "-pix_fmt", "yuv420p", "-movflags", "+faststart"]),
              dpi=C.DPI)
