#!/usr/bin/env bash
# run_layout.sh LOSSCAPE SCENE 'WxH [WxH...]' KEYS TMP [ARGS...] — frames of
# tests/cli_layout.sh: one process, the screenshot at the first size with the keys
# replayed, a caption and the REC badge, then the same state at each further size
# (LOSSCAPE_TEXT_BOXES_SIZES: the framebuffer resized, as a window is; the boxes of
# each frame are identical to a fresh process's at that size); every frame's text
# boxes checked. ARGS go to losscape (e.g. --view 2d).
set -u
bin=$1 scene=$2 keys=$4 tmp=$5
read -r -a sizes <<<"$3"
shift 5
boxes="$tmp/boxes-$scene"
rm -f "$boxes" "$boxes".*
more=$(IFS=,; echo "${sizes[*]:1}")
LOSSCAPE_TEXT_BOXES="$boxes" LOSSCAPE_TEXT_BOXES_SIZES="$more" LOSSCAPE_REPLAY_KEYS="$keys" LOSSCAPE_REC_BADGE=1 \
  "$bin" --scene "$scene" --size "${sizes[0]}" --steps 40 --caption "the caption of the scene, one line" "$@" \
  --screenshot "$tmp/shot.png" >/dev/null || exit 1
frames=("$boxes" "${sizes[0]%x*}" "${sizes[0]#*x}")
for s in "${sizes[@]:1}"; do frames+=("$boxes.$s" "${s%x*}" "${s#*x}"); done
python3 "$(dirname "$0")/../check_boxes.py" "${frames[@]}"
