#!/usr/bin/env bash
# run_layout.sh LOSSCAPE SCENE WxH KEYS TMP — one frame of tests/cli_layout.sh: a
# screenshot with the keys replayed and a caption, its text boxes checked.
set -u
bin=$1 scene=$2 size=$3 keys=$4 tmp=$5
boxes="$tmp/boxes-$scene-$size.txt"
LOSSCAPE_TEXT_BOXES="$boxes" LOSSCAPE_REPLAY_KEYS="$keys" "$bin" --scene "$scene" --size "$size" --steps 40 \
  --caption "the caption of the scene, one line" --screenshot "$tmp/shot.png" >/dev/null || exit 1
python3 "$(dirname "$0")/../check_boxes.py" "$boxes" "${size%x*}" "${size#*x}"
