#!/usr/bin/env bash
# bench-4k.sh — frame times of the 3-D view at projector and 4K sizes (issue 10,
# "Projector and 4K resolutions"): figures, not a test.
#
# For each binary (this tree's build/losscape, and each of MAIN and BASELINE when
# set and present), each size and each camera, in ONE run, interleaved round by
# round so that a change in the machine's load hits every binary alike:
#     losscape --scene rosenbrock --bench FRAMES --size WxH --view 3d [--bench-orbit 1]
# prints its own line (frame ms: median, p99, max: wall time, what the goals are
# stated in) and the process's CPU time per frame (user + system of every thread,
# Mesa's rasteriser threads included, from /usr/bin/time; a second run of 5 frames
# measures what starting up costs, subtracted). On a machine shared with other work
# the wall times grow with the load while the CPU time mostly does not: compare the
# binaries by their ratios in the same run, not by absolute figures.
#
# Cameras: "still" (the default camera: from the second frame on, the surface comes
# from the static layer) and "orbit" (--bench-orbit 1: the camera turns 1 degree a
# frame, so every frame draws the surface anew, as while the user drags). A binary
# without --bench-orbit is run with a still camera in the orbit row, marked "*": for
# the baseline 6d3fdc1, which has no static layer and draws every frame whole
# whatever the camera does, that is the same work; a build with the static layer but
# without the option (main before 2 Dec 2026) is not comparable there.
#
#   MAIN=/work/main/build/losscape BASELINE=/work/baseline/build/losscape \
#     scripts/bench-4k.sh [FRAMES=300] [ROUNDS=1] [SIZES="1920x1080 3840x2160"]
#                         [CAMERAS="still orbit"] [VIEW=3d]
#
# Goals (issue 10, on a quiet 2-core machine, still camera): 1920x1080 median <= 8 ms,
# p99 <= 16 ms; 3840x2160 p99 <= 33 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
FRAMES=${FRAMES:-300}
ROUNDS=${ROUNDS:-1}
SIZES=${SIZES:-1920x1080 3840x2160}
VIEW=${VIEW:-3d}
CAMERAS=${CAMERAS:-still orbit}
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
[ -x build/losscape ] || scripts/build.sh >/dev/null
names=(this) bins=("$PWD/build/losscape")
[ -n "${MAIN:-}" ] && [ -x "$MAIN" ] && names+=(main) bins+=("$MAIN")
[ -n "${BASELINE:-}" ] && [ -x "$BASELINE" ] && names+=(baseline) bins+=("$BASELINE")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

orbits() { "$1" --help 2>/dev/null | grep -q -- '--bench-orbit'; }

cpu_of() {   # cpu_of BIN SIZE N CAMERA -> "seconds|bench line"
  local out orbit=()
  [ "$4" = orbit ] && orbits "$1" && orbit=(--bench-orbit 1)
  out=$(/usr/bin/time -f 'CPU %U %S' "$1" --scene rosenbrock --bench "$3" --size "$2" --view "$VIEW" \
        "${orbit[@]}" 2>&1 >"$tmp/line") || {
    echo "bench-4k: $1 --bench $3 --size $2 failed: $out" >&2
    exit 1
  }
  echo "$(echo "$out" | awk '/^CPU /{print $2 + $3}')|$(grep 'frame ms' "$tmp/line")"
}

printf 'load average at start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
for size in $SIZES; do
  for cam in $CAMERAS; do
    for r in $(seq "$ROUNDS"); do
      for i in "${!bins[@]}"; do
        full=$(cpu_of "${bins[$i]}" "$size" "$FRAMES" "$cam")
        start=$(cpu_of "${bins[$i]}" "$size" 5 "$cam")
        cpu=$(awk -v a="${full%%|*}" -v b="${start%%|*}" -v n="$FRAMES" 'BEGIN { printf "%.2f", (a - b) * 1000 / (n - 5) }')
        mark=$cam
        [ "$cam" = orbit ] && ! orbits "${bins[$i]}" && mark="orbit*"
        echo "$size $mark ${names[$i]} $cpu ${full#*|}" >>"$tmp/rows"
        printf '%-10s %-6s %-9s round %d: %s   cpu ms/frame %s\n' "$size" "$mark" "${names[$i]}" "$r" "${full#*|}" "$cpu"
      done
    done
  done
done
printf 'load average at end: %s\n\n' "$(cut -d' ' -f1-3 /proc/loadavg)"

# side by side: the best round of each (lowest median), and this tree's ratios
# (row fields: size camera binary cpu "frame" "ms:" "median" M, "p99" P, "max" X)
echo "size       camera  binary     median    p99      max   cpu/frame   median/this  p99/this  cpu/this"
for size in $SIZES; do
  for cam in $CAMERAS; do
    best_this=$(awk -v s="$size" -v c="$cam" '$1 == s && $2 == c && $3 == "this"' "$tmp/rows" | sed 's/,//g' | sort -t' ' -k8,8g | head -1)
    for name in "${names[@]}"; do
      awk -v s="$size" -v c="$cam" -v n="$name" '$1 == s && ($2 == c || $2 == c "*") && $3 == n' "$tmp/rows" | sed 's/,//g' |
        sort -t' ' -k8,8g | head -1 |
        awk -v t="$best_this" '{ split(t, T, " ");
          printf "%-10s %-7s %-9s %7.2f  %7.2f  %7.2f  %8.2f     %9.2f  %8.2f  %8.2f\n",
                 $1, $2, $3, $8, $10, $12, $4, $8 / T[8], $10 / T[10], $4 / T[4] }'
    done
  done
done
echo "(orbit*: a binary without --bench-orbit, run with a still camera: the same work for the baseline,"
echo " which has no static layer; not comparable for a build that has one)"
