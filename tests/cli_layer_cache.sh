#!/bin/bash
# cli_layer_cache.sh — the static layer (src/render/layer_cache.c) through the real
# program: frames drawn from the cached layer (the side column's plot insides
# included) equal, byte for byte, the frames of the
# same scene at the same step drawn without it (LOSSCAPE_NO_CACHE=1), at the
# projector size, in 3-D, 2-D and split views, with the camera orbited between
# frames (LOSSCAPE_REPLAY_KEYS: "frames=1" draws a frame in between, as the window
# does, so the layer is made, copied and then outdated by the orbit). Tolerance:
# none (the PNG files are compared; the same pixels give the same file). A layer
# that kept showing the picture from before the orbit fails: the orbit is checked
# to change the picture.
# Usage: cli_layer_cache.sh LOSSCAPE SOURCE_DIR. Exit 77 (skip) without a GL context,
# unless CI=true or LOSSCAPE_REQUIRE_GL=1.
set -u
bin=$1
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
source "$(dirname "$0")/lib/gl.sh"

# shot NAME CACHE(0|1) KEYS ARGS...: a screenshot after the scripted keys
shot() {
    local name=$1 nc=$((1 - $2)) keys=$3
    shift 3
    LOSSCAPE_NO_CACHE=$nc LOSSCAPE_REPLAY_KEYS="$keys" "$bin" --steps 40 "$@" --screenshot "$tmp/$name.png" \
        2>"$tmp/err"
    local rc=$?
    gl_or_skip $rc "$tmp/err"
    [ $rc -eq 0 ] || { cat "$tmp/err"; fail "$name: exit $rc"; }
    grep -q "unknown key" "$tmp/err" && fail "$name: a scripted key was not understood"
    return 0
}

# same KEYS ARGS...: cached and uncached frames are the same file
n=0
same() {
    local keys=$1
    shift
    n=$((n + 1))
    shot "c$n" 1 "$keys" "$@"
    shot "u$n" 0 "$keys" "$@"
    cmp -s "$tmp/c$n.png" "$tmp/u$n.png" || fail "cached frame differs from the uncached one: $* keys $keys"
}

warm=frames=1,frames=1,frames=1                     # first sight, into the layer, from the layer
big=(--scene rosenbrock --size 1920x1080)
# the last frame: the first one after the orbit (the layer holds the old camera's
# picture), the second (into the layer), the third (copied from it)
same "$warm,Left"               "${big[@]}" --view 3d
same "$warm,Left,frames=1"         "${big[@]}" --view 3d
same "$warm,Left,frames=1,frames=1"   "${big[@]}" --view 3d
# the orbit changed the picture (otherwise the comparisons above could not see a
# stale layer)
shot still 1 "$warm" "${big[@]}" --view 3d
cmp -s "$tmp/still.png" "$tmp/c3.png" && fail "orbiting did not change the 3-D picture"
# split view (a 2-D and a 3-D panel), zoom, colour map and log scale between frames
same "$warm,Up,frames=1,M,frames=1,G,frames=1,frames=1" --scene himmelblau --size 960x540 --view split
# 2-D: colour map and contours change the cached heat map
same "$warm,M,frames=1,frames=1,C,frames=1"          --scene himmelblau --size 960x540 --view 2d
# a data problem: its strip's background is part of the layer
same "$warm,Right,frames=1,frames=1"              --scene minibatch-noise --size 960x540 --view 3d
# the side column's plot insides are part of the layer. With the probe on (H), the
# arrows and sigma boxes (A) move the plots (legend rows) with the background's
# key unchanged: the frame where the layer holds the old insides, the one that
# bakes the new ones, the one after, and back; the side column (T) goes and comes
# back (a new background)
same "H,$warm,A"                              "${big[@]}" --view 3d
same "H,$warm,A,frames=1"                     "${big[@]}" --view 3d
same "H,$warm,A,frames=1,frames=1"            "${big[@]}" --view 3d
same "H,$warm,A,frames=1,frames=1,A,frames=1" "${big[@]}" --view 3d
same "$warm,T,frames=1,T,frames=1"            "${big[@]}" --view 3d
shot probe 1 "H,$warm" "${big[@]}" --view 3d
shot arrows 1 "H,$warm,A" "${big[@]}" --view 3d
cmp -s "$tmp/probe.png" "$tmp/arrows.png" && fail "A did not change the picture"
echo "ok ($n comparisons)"
