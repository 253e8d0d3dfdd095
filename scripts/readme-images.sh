#!/usr/bin/env bash
# readme-images.sh — the pictures at the top of the README, made by the program itself
# (run it again whenever the picture changes; the output is deterministic):
#   docs/readme/view-2d.png   the 2-D view (heat map, contours, trails, legend, plots)
#   docs/readme/view-3d.png   the 3-D view
#   docs/readme/race.gif      a short recording of the race on Rosenbrock's valley
# Screenshots are reduced to 256-colour PNGs (ffmpeg's palettegen/paletteuse) and the
# GIF uses --quality draft (64 colours) at 640x360, so the three stay under 500 KB.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
out=docs/readme
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shot() {   # NAME ARGS...: a screenshot, reduced to 256 colours
  local name=$1
  shift
  build/losscape "$@" --size 800x450 --screenshot "$tmp/$name.png"
  ffmpeg -v error -y -i "$tmp/$name.png" \
    -vf "split[a][b];[a]palettegen=max_colors=256:reserve_transparent=0[p];[b][p]paletteuse=dither=bayer:bayer_scale=3" \
    -pix_fmt pal8 "$out/$name.png"
}
shot view-2d --scene rosenbrock --view 2d --steps 300
shot view-3d --scene himmelblau --view 3d --steps 200
build/losscape --scene rosenbrock --view 2d --size 640x360 --fps 15 --steps-per-frame 5 --frames 60 \
  --quality draft --record "$out/race.gif" 2>/dev/null
du -k "$out"/* | awk '{ s += $1; print } END { print s " KB in all" }'
