#!/usr/bin/env bash
# bench-record.sh — issue 5's recording benchmark (figures, not a test).
#
# 300 frames at 800x600 of five optimizers on rosenbrock (filled contour, trails,
# legend), libx264 at ffmpeg's default preset and CRF, yuv420p, +faststart.
# In ONE run, one after the other on the same machine, it times:
#   floor      ffmpeg alone encoding the same 300 raw RGBA frames (losscape's own
#              frames, pre-generated as a PNG sequence and decoded to a raw file that
#              sits in the page cache) — the floor for any program feeding ffmpeg
#   losscape   losscape --record X.mp4 --frames 300 --size 800x600 --view 2d
#   mpl-usual  bench/matplotlib_usual.py (FuncAnimation + FFMpegWriter)
#   mpl-tuned  bench/matplotlib_tuned.py (background cached, moving artists blitted,
#              RGBA piped straight to ffmpeg)
# and prints the four times and losscape/floor (issue 5's target: at most 1.3).
# The matplotlib scripts draw the trajectories losscape computes (--headless --csv).
#
# Needs ffmpeg, and python3 with matplotlib and numpy (Debian: python3-matplotlib,
# installed here when run as root). PYTHON picks the interpreter (default: Debian's
# /usr/bin/python3, which sees the apt packages). REPEAT=N takes the best of N runs
# of each (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import matplotlib, numpy' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-matplotlib python3-numpy >/dev/null
  else
    echo "bench-record: needs matplotlib: apt-get install python3-matplotlib python3-numpy" >&2
    exit 1
  fi
fi
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
export LOSSCAPE=$PWD/build/losscape
REPEAT=${REPEAT:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
# best NAME COMMAND...: the shortest wall time of REPEAT runs, in seconds
best() {
  local b="" t0 t1 d
  for _ in $(seq "$REPEAT"); do
    t0=$(now); "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }; t1=$(now)
    d=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$d < $b" | bc -l)" = 1 ]; then b=$d; fi
  done
  printf '%.2f' "$b"
}

REC=(--scene rosenbrock --view 2d --size 800x600)
mkdir "$tmp/frames"
"$LOSSCAPE" "${REC[@]}" --record "$tmp/frames/f%04d.png" --frames 300 2>/dev/null
ffmpeg -v error -y -i "$tmp/frames/f%04d.png" -f rawvideo -pix_fmt rgba "$tmp/frames.rgba"
rm -r "$tmp/frames"
cat "$tmp/frames.rgba" >/dev/null   # into the page cache

floor=$(best ffmpeg -hide_banner -nostdin -loglevel error -y -f rawvideo -pix_fmt rgba -s 800x600 -framerate 30 \
             -i "$tmp/frames.rgba" -c:v libx264 -pix_fmt yuv420p -movflags +faststart "$tmp/floor.mp4")
rm "$tmp/frames.rgba"
ours=$(best "$LOSSCAPE" "${REC[@]}" --record "$tmp/losscape.mp4" --frames 300)
usual=$(best "$PY" bench/matplotlib_usual.py "$tmp/usual.mp4")
tuned=$(best "$PY" bench/matplotlib_tuned.py "$tmp/tuned.mp4")

echo "300 frames, 800x600, libx264 default preset/CRF, yuv420p ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
printf '  %-48s %6s s\n' "ffmpeg alone (the floor)" "$floor" \
                        "losscape --record" "$ours" \
                        "matplotlib, usual (FuncAnimation+FFMpegWriter)" "$usual" \
                        "matplotlib, tuned (blit + raw pipe)" "$tuned"
printf '  losscape / floor = %.2f (target <= 1.3)\n' "$(echo "$ours / $floor" | bc -l)"
