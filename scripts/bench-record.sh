#!/usr/bin/env bash
# bench-record.sh — the recording benchmark (issue 13): figures, not a test.
#
# In ONE run, one after the other on the same machine, each with its wall time and
# its SSIM (ffmpeg's ssim filter, 'All') against its own lossless frames:
#   800x600, 300 frames at 30 fps, rosenbrock's 2-D view, five optimizers:
#     mpl-usual     bench/matplotlib_usual.py (FuncAnimation + FFMpegWriter)
#     mpl-tuned     bench/matplotlib_tuned.py (background cached, blitting, raw pipe)
#                   both at ffmpeg's default x264 preset and CRF, and again with
#                   losscape's encoder settings (the same encoder for everyone)
#     ffmpeg alone  encoding losscape's own frames (raw I420, what losscape pipes,
#                   read from the page cache) with losscape's settings: the floor
#     losscape      --record X.mp4 (default --quality standard)
#   1920x1080, 600 frames at 60 fps (10 s of video): losscape --record, 2-D and 3-D
#   GIF: 300 frames at 640x360: time and size (goal: under 5 MB)
# and the same losscape lines for a baseline build, side by side (BASELINE=path, by
# default /work/baseline/build/losscape where it exists; the 1080p runs alternate
# between the two), with the load (uptime) before and after.
# SECTIONS="mpl hd gif" picks parts; SSIM_FRAMES (default 120) is how many 1080p
# frames the SSIM covers (each build's own PNG sequence of the same command).
# Lossless frames: losscape's PNG sequence of the same run (--record f%04d.png), the
# matplotlib scripts' raw RGBA frames (OUT.rgba). Goals printed at the end: 1080p60
# in <= 10 s at SSIM >= 0.99; losscape >= 2x faster than tuned matplotlib at an
# SSIM no lower than matplotlib's.
#
# Each losscape line also gives its CPU time (user + system, ffmpeg included), which
# a loaded machine changes far less than the wall time.
# Needs ffmpeg, GNU time (/usr/bin/time), python3 with matplotlib and numpy (Debian: python3-matplotlib,
# installed here when run as root). PYTHON picks the interpreter (default Debian's
# /usr/bin/python3). REPEAT=N takes the best time of N runs (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import matplotlib, numpy' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
      python3-matplotlib python3-numpy >/dev/null
  else
    echo "bench-record: needs matplotlib: apt-get install python3-matplotlib python3-numpy" >&2
    exit 1
  fi
fi
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends time >/dev/null
  else
    echo "bench-record: needs GNU time: apt-get install time" >&2
    exit 1
  fi
fi
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
export LOSSCAPE=$PWD/build/losscape
# the baseline: BASELINE=path, or the shared machine's old build when it is there
# (BASELINE= with nothing turns it off)
BASE=${BASELINE-/work/baseline/build/losscape}
[ -n "$BASE" ] && [ ! -x "$BASE" ] && { echo "bench-record: no baseline at $BASE (set BASELINE=)" >&2; BASE=""; }
REPEAT=${REPEAT:-1}
SSIM_FRAMES=${SSIM_FRAMES:-120}
SECTIONS=${SECTIONS:-"mpl hd gif"}   # which parts: mpl (800x600 vs matplotlib), hd (1080p60), gif
want() { [[ " $SECTIONS " == *" $1 "* ]]; }
OURS_X264="-preset ultrafast -crf 20"   # losscape's --quality standard (src/record/recorder.c)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
# best COMMAND...: the shortest wall time of REPEAT runs, in seconds; the CPU time
# (user + system, children included: ffmpeg) of that run goes to $tmp/cpu. On a
# shared machine the wall time follows the load; the CPU time much less so.
best() {
  local b="" t0 t1 d c
  for _ in $(seq "$REPEAT"); do
    t0=$(now)
    /usr/bin/time -f '%U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    t1=$(now)
    d=$(echo "$t1 - $t0" | bc -l)
    c=$(awk '{ printf "%.2f", $1 + $2 }' "$tmp/time")
    if [ -z "$b" ] || [ "$(echo "$d < $b" | bc -l)" = 1 ]; then b=$d; echo "$c" > "$tmp/cpu"; fi
  done
  printf '%.2f' "$b"
}
cpu() { cat "$tmp/cpu"; }
# ssim VIDEO LOSSLESS [INPUT OPTIONS...]: the 'All' SSIM of VIDEO against LOSSLESS
ssim() {
  local v=$1 ref=$2
  shift 2
  ffmpeg -hide_banner -nostdin -i "$v" "$@" -i "$ref" -lavfi ssim=shortest=1 -f null - 2>&1 |
    grep -o 'All:[0-9.]*' | cut -d: -f2
}
row() { printf '  %-52s %7s s  SSIM %s%s\n' "$1" "$2" "$3" "${4:-}"; }

# ---- 800x600, 300 frames ---------------------------------------------------------
if want mpl; then
REC=(--scene rosenbrock --view 2d --size 800x600)
mkdir "$tmp/frames"
"$LOSSCAPE" "${REC[@]}" --record "$tmp/frames/f%04d.png" --frames 300 2>/dev/null
PNG=(-framerate 30 -i "$tmp/frames/f%04d.png")
ffmpeg -nostdin -v error -y "${PNG[@]}" -f rawvideo -pix_fmt yuv420p "$tmp/frames.yuv"
cat "$tmp/frames.yuv" >/dev/null   # into the page cache

# shellcheck disable=SC2086
floor=$(best ffmpeg -hide_banner -nostdin -loglevel error -y -f rawvideo -pix_fmt yuv420p -s 800x600 -framerate 30 \
             -i "$tmp/frames.yuv" -c:v libx264 $OURS_X264 -pix_fmt yuv420p -movflags +faststart "$tmp/floor.mp4")
rm "$tmp/frames.yuv"
floor_s=$(ssim "$tmp/floor.mp4" "$tmp/frames/f%04d.png" -framerate 30)
ours=$(best "$LOSSCAPE" "${REC[@]}" --record "$tmp/losscape.mp4" --frames 300); ours_c=$(cpu)
ours_s=$(ssim "$tmp/losscape.mp4" "$tmp/frames/f%04d.png" -framerate 30)
ours_mb=$(stat -c %s "$tmp/losscape.mp4")

RAW=(-f rawvideo -pix_fmt rgba -s 800x600 -framerate 30)
"$PY" bench/matplotlib_usual.py "$tmp/usual.rgba" >/dev/null 2>&1
"$PY" bench/matplotlib_tuned.py "$tmp/tuned.rgba" >/dev/null 2>&1
usual=$(best "$PY" bench/matplotlib_usual.py "$tmp/usual.mp4")
usual_s=$(ssim "$tmp/usual.mp4" "$tmp/usual.rgba" "${RAW[@]}")
tuned=$(best "$PY" bench/matplotlib_tuned.py "$tmp/tuned.mp4")
tuned_s=$(ssim "$tmp/tuned.mp4" "$tmp/tuned.rgba" "${RAW[@]}")
export MPL_X264="$OURS_X264"
usual2=$(best "$PY" bench/matplotlib_usual.py "$tmp/usual2.mp4")
usual2_s=$(ssim "$tmp/usual2.mp4" "$tmp/usual.rgba" "${RAW[@]}")
tuned2=$(best "$PY" bench/matplotlib_tuned.py "$tmp/tuned2.mp4")
unset MPL_X264
tuned2_s=$(ssim "$tmp/tuned2.mp4" "$tmp/tuned.rgba" "${RAW[@]}")
rm -f "$tmp"/*.rgba

if [ -n "$BASE" ]; then
  mkdir "$tmp/bframes"
  "$BASE" "${REC[@]}" --record "$tmp/bframes/f%04d.png" --frames 300 2>/dev/null
  base=$(best "$BASE" "${REC[@]}" --record "$tmp/base.mp4" --frames 300); base_c=$(cpu)
  base_s=$(ssim "$tmp/base.mp4" "$tmp/bframes/f%04d.png" -framerate 30)
  rm -r "$tmp/bframes"
fi
rm -r "$tmp/frames"

echo "300 frames, 800x600, 30 fps, rosenbrock 2-D ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
row "matplotlib, usual (FuncAnimation+FFMpegWriter), x264 default" "$usual" "$usual_s"
row "matplotlib, tuned (blit + raw pipe), x264 default" "$tuned" "$tuned_s"
row "matplotlib, usual, losscape's x264 settings" "$usual2" "$usual2_s"
row "matplotlib, tuned, losscape's x264 settings" "$tuned2" "$tuned2_s"
row "ffmpeg alone on losscape's raw frames (the floor)" "$floor" "$floor_s"
row "losscape --record (--quality standard)" "$ours" "$ours_s" "  CPU $ours_c s; $((ours_mb / 1024)) KiB"
[ -n "$BASE" ] && row "baseline losscape --record" "$base" "$base_s" "  CPU $base_c s"
printf '  tuned matplotlib / losscape = %.2f (x264 default), %.2f (same x264 settings); goal >= 2\n' \
  "$(echo "$tuned / $ours" | bc -l)" "$(echo "$tuned2 / $ours" | bc -l)"
printf '  losscape / floor = %.2f\n' "$(echo "$ours / $floor" | bc -l)"
fi

# ---- 1920x1080, 600 frames at 60 fps ---------------------------------------------
# today's build and the baseline alternately (REPEAT rounds), so both see the same load;
# each with its SSIM against its own lossless frames: the PNG sequence of the same
# command's first SSIM_FRAMES frames (writing 600 1080p PNGs takes minutes; the ssim
# filter stops at the shorter input). The CPU time includes ffmpeg's.
if want hd; then
echo "600 frames, 1920x1080, 60 fps (10 s of video), rosenbrock; SSIM over the first $SSIM_FRAMES frames"
echo "  $(uptime | sed 's/^ *//')"
for v in 2d 3d; do
  HD=(--scene rosenbrock --view $v --size 1920x1080 --fps 60)
  bins=("$LOSSCAPE")
  [ -n "$BASE" ] && bins+=("$BASE")
  W=() C=() S=()
  for _ in $(seq "$REPEAT"); do
    for i in "${!bins[@]}"; do
      t=$(REPEAT=1 best "${bins[$i]}" "${HD[@]}" --record "$tmp/hd$i.mp4" --frames 600)
      if [ -z "${W[$i]:-}" ] || [ "$(echo "$t < ${W[$i]}" | bc -l)" = 1 ]; then W[$i]=$t; C[$i]=$(cpu); fi
    done
  done
  for i in "${!bins[@]}"; do
    mkdir "$tmp/hd"
    "${bins[$i]}" "${HD[@]}" --record "$tmp/hd/f%04d.png" --frames "$SSIM_FRAMES" 2>/dev/null
    S[$i]=$(ssim "$tmp/hd$i.mp4" "$tmp/hd/f%04d.png" -framerate 60)
    rm -r "$tmp/hd"
  done
  t=${W[0]} c=${C[0]} s=${S[0]}
  met=$(awk -v t="$t" -v s="$s" 'BEGIN { print (t <= 10 && s >= 0.99) ? "met" : "NOT met" }')
  row "losscape --record, $v" "$t" "$s" "  CPU $c s; goal <= 10 s at SSIM >= 0.99: $met"
  if [ -n "$BASE" ]; then
    tb=${W[1]} cb=${C[1]}
    row "baseline losscape --record, $v" "$tb" "${S[1]}" "  CPU $cb s"
    printf '  %-52s wall x %.2f, CPU x %.2f (baseline / today)\n' "$v: today is faster by" \
      "$(echo "$tb / $t" | bc -l)" "$(echo "$cb / $c" | bc -l)"
  fi
done
echo "  $(uptime | sed 's/^ *//')"
fi

# ---- GIF: 300 frames at 640x360 ----------------------------------------------------
if want gif; then
echo "GIF, 300 frames, 640x360, 30 fps, rosenbrock 2-D (goal: under 5 MB)"
G=(--scene rosenbrock --view 2d --size 640x360)
for b in "$LOSSCAPE" ${BASE:+"$BASE"}; do
  name=$([ "$b" = "$LOSSCAPE" ] && echo "losscape --record a.gif" || echo "baseline losscape --record a.gif")
  t=$(best "$b" "${G[@]}" --record "$tmp/a.gif" --frames 300)
  bytes=$(stat -c %s "$tmp/a.gif")
  printf '  %-52s %7s s  CPU %s s  %s KiB: %s\n' "$name" "$t" "$(cpu)" "$((bytes / 1024))" \
    "$([ "$bytes" -lt 5000000 ] && echo "under 5 MB, met" || echo "NOT under 5 MB")"
done
fi
