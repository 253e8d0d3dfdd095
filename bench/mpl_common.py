"""mpl_common.py — shared by the two matplotlib benchmark scripts.

The content matches losscape's 2-D view of the rosenbrock scene: a filled contour
of log10(1 + f) over x in [-2, 2], y in [-1, 3], five optimizer trails (sgd,
momentum, adagrad, rmsprop, adam) with a marker at the head, and a legend; 300
frames at 800x600, one optimizer step per frame, 30 fps.

The trajectories are NOT recomputed here: they come from
`losscape --scene rosenbrock --headless --steps 299 --csv -` (path in $LOSSCAPE,
default build/losscape), so both programs draw exactly the same paths and only
the drawing and encoding are compared.
"""
import csv
import io
import os
import subprocess

import numpy as np

W, H, DPI, FRAMES, FPS = 800, 600, 100, 300, 30
NAMES = ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
COLORS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#CC79A7"]  # Okabe-Ito, as losscape
DOMAIN = (-2.0, 2.0, -1.0, 3.0)
# libx264, yuv420p, +faststart; the preset and CRF are ffmpeg's defaults unless
# $MPL_X264 names others (scripts/bench-record.sh gives losscape's, e.g.
# "-preset ultrafast -crf 20", so that the encoders are the same)
X264_OPTS = os.environ.get("MPL_X264", "").split()
X264_ARGS = ["-c:v", "libx264", *X264_OPTS, "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
# OUT ending in .rgba: the lossless frames instead (raw RGBA, what was piped to
# ffmpeg), for measuring the video's SSIM against them
LOSSLESS_EXT = ".rgba"


def trajectories():
    exe = os.environ.get("LOSSCAPE", os.path.join(os.path.dirname(__file__), "..", "build", "losscape"))
    out = subprocess.run([exe, "--scene", "rosenbrock", "--headless", "--steps", str(FRAMES - 1), "--csv", "-"],
                         check=True, capture_output=True, text=True).stdout
    xy = {n: [] for n in NAMES}
    for row in csv.DictReader(io.StringIO(out)):
        xy[row["optimizer"]].append((float(row["x"]), float(row["y"])))
    return {n: np.array(v) for n, v in xy.items()}


def surface(n=300):
    x = np.linspace(DOMAIN[0], DOMAIN[1], n)
    y = np.linspace(DOMAIN[2], DOMAIN[3], n)
    X, Y = np.meshgrid(x, y)
    Z = (1 - X) ** 2 + 100 * (Y - X ** 2) ** 2
    return X, Y, np.log10(1 + Z)


def figure(animated):
    """The figure both scripts draw: the filled contour, contour lines, title, and one
    (trail, head) pair of artists per optimizer with a legend. animated=True marks the
    moving artists for blitting (the tuned script). Returns (fig, ax, lines, heads, legend)."""
    import matplotlib.pyplot as plt
    X, Y, Z = surface()
    fig, ax = plt.subplots(figsize=(W / DPI, H / DPI), dpi=DPI)
    ax.contourf(X, Y, Z, levels=30, cmap="viridis")
    ax.contour(X, Y, Z, levels=15, colors="k", linewidths=0.5, alpha=0.4)
    ax.set_xlim(DOMAIN[0], DOMAIN[1])
    ax.set_ylim(DOMAIN[2], DOMAIN[3])
    ax.set_title("Rosenbrock's banana valley")
    lines, heads = [], []
    for name, color in zip(NAMES, COLORS):
        (ln,) = ax.plot([], [], color=color, lw=1.5, label=name, animated=animated)
        (hd,) = ax.plot([], [], "o", color=color, mec="k", ms=8, animated=animated)
        lines.append(ln)
        heads.append(hd)
    leg = ax.legend(loc="upper left")
    leg.set_animated(animated)
    return fig, ax, lines, heads, leg
