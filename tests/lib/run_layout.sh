#!/usr/bin/env bash
# run_layout.sh LOSSCAPE SCENE WxH KEYS TMP [ARGS...] — one frame of tests/cli_layout.sh:
# a screenshot with the keys replayed, a caption and the REC badge, its text boxes
# checked. ARGS go to losscape (e.g. --view 2d).
set -u
bin=$1 scene=$2 size=$3 keys=$4 tmp=$5
shift 5
boxes="$tmp/boxes-$scene-$size.txt"
LOSSCAPE_TEXT_BOXES="$boxes" LOSSCAPE_REPLAY_KEYS="$keys" LOSSCAPE_REC_BADGE=1 "$bin" --scene "$scene" --size "$size" \
  --steps 40 --caption "the caption of the scene, one line" "$@" --screenshot "$tmp/shot.png" >/dev/null || exit 1
python3 "$(dirname "$0")/../check_boxes.py" "$boxes" "${size%x*}" "${size#*x}"
