#!/bin/bash
# cli_render.sh — the window mode's headless paths through the real program:
# --screenshot writes a PNG of --size, scripted keys work, a broken shader exits 1
# cleanly with its log, --bench prints its one line.
# Usage: cli_render.sh LOSSCAPE SOURCE_DIR. Exit 77 (skip) without a GL context,
# unless CI=true or LOSSCAPE_REQUIRE_GL=1.
set -u
bin=$1
src=$2
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
source "$(dirname "$0")/lib/gl.sh"

# PNG width and height from the IHDR chunk
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d\n", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }

"$bin" --scene rosenbrock --view 2d --steps 50 --size 480x300 --screenshot "$tmp/a.png" 2>"$tmp/err"
rc=$?
gl_or_skip $rc "$tmp/err"
[ $rc -eq 0 ] || { cat "$tmp/err"; fail "--screenshot exited $rc"; }
[ "$(png_size "$tmp/a.png")" = 480x300 ] || fail "screenshot is $(png_size "$tmp/a.png"), expected 480x300"
ls "$tmp" | grep -q tmp && fail "temporary file left behind"

# every view and layout, with scripted keys (help overlay, panels, log scale, colour map)
for v in 2d 3d split; do
    LOSSCAPE_REPLAY_KEYS="L,G,M,F1,A,P,H" "$bin" --scene himmelblau --view $v --steps 10 --size 320x200 \
        --screenshot "$tmp/$v.png" 2>"$tmp/err" || { cat "$tmp/err"; fail "--view $v"; }
    [ "$(png_size "$tmp/$v.png")" = 320x200 ] || fail "--view $v: wrong size"
done
grep -q "unknown key" "$tmp/err" && fail "a scripted key name was not understood"

# a shader that does not compile: its log, exit status 1, no file
mkdir "$tmp/shaders"
cp "$src"/shaders/* "$tmp/shaders/"
echo "this is not GLSL" >> "$tmp/shaders/surface2d.frag"
LOSSCAPE_SHADER_DIR="$tmp/shaders" "$bin" --scene rosenbrock --screenshot "$tmp/bad.png" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "broken shader: exit $rc, expected 1"
grep -q "SHADER: surface2d.frag" "$tmp/err" || { cat "$tmp/err"; fail "broken shader: no log naming the file"; }
[ -e "$tmp/bad.png" ] && fail "broken shader: a file was written"

# --bench: one line
out=$("$bin" --scene rosenbrock --bench 5 --size 320x200) || fail "--bench"
echo "$out" | grep -Eq '^frame ms: median [0-9.]+, p99 [0-9.]+, max [0-9.]+$' || fail "--bench printed: $out"
# a data problem's surface comes from the background worker (the window's path):
# a coarse grid, then the full one, for the newest request
out=$("$bin" --scene moons-mlp-bn --bench 3 --size 320x200) || fail "--bench moons-mlp-bn"
echo "$out" | grep -Eq '^surface grids from the worker: [1-9][0-9]* coarse, [1-9][0-9]* full$' ||
  fail "--bench moons-mlp-bn printed: $out"
echo "ok"
