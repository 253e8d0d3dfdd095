#!/bin/bash
# cli_record.sh — --record through the real program: every format checked with
# ffprobe (codec, pixel format, size, frame count), PNG sequences (count, size,
# byte-identical on a second run), failures that leave nothing behind (ffmpeg
# failing, ffmpeg killed, SIGTERM/SIGINT mid-recording, unwritable and missing
# folders), a hostile file name, ffmpeg missing, bad patterns.
# Usage: cli_record.sh LOSSCAPE SOURCE_DIR. Exit 77 (skip) without a GL context or
# without ffmpeg/ffprobe, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
LOSSCAPE=$(realpath "$LOSSCAPE")   # the hostile-name case runs from another folder
required() { [ "${CI:-}" = true ] || [ "${LOSSCAPE_REQUIRE_GL:-}" = 1 ]; }
skip() {
  if required; then echo "FAIL: $*, but recording is required here" >&2; exit 1; fi
  echo "skipped: $*"; exit 77
}

command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || skip "no ffmpeg/ffprobe"

# a GL context? (two PNG frames)
mkdir "$TMP/probe"
"$LOSSCAPE" --scene rosenbrock --record "$TMP/probe/f%d.png" --frames 2 --size 64x64 2>"$TMP/err"
rc=$?
if [ $rc -ne 0 ] && grep -q "OpenGL\|cannot open a window\|SDL video" "$TMP/err"; then
  skip "no GL context"
fi
check_true "probe recording (exit $rc: $(cat "$TMP/err"))" test $rc -eq 0

# probe FILE → codec,width,height,pix_fmt,frames
probe() {
  ffprobe -v error -select_streams v:0 -count_frames \
    -show_entries stream=codec_name,width,height,pix_fmt,nb_read_frames -of csv=p=0 "$1" 2>&1
}
# PNG width and height from the IHDR chunk
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d\n", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }
# nothing at all in a folder (no final file, no temporary file)
empty_dir() { [ -z "$(ls -A "$1")" ]; }

REC=(--scene rosenbrock --view 2d --steps-per-frame 3)

# ---- every format -------------------------------------------------------------
mkdir "$TMP/v"
check_ok "${REC[@]}" --record "$TMP/v/a.mp4" --frames 12 --size 320x240 --title "Title" --caption "A caption"
check_true "mp4: $(probe "$TMP/v/a.mp4")" test "$(probe "$TMP/v/a.mp4")" = "h264,320,240,yuv420p,12"
check_ok "${REC[@]}" --record "$TMP/v/a.webm" --frames 12 --size 320x240
check_true "webm: $(probe "$TMP/v/a.webm")" test "$(probe "$TMP/v/a.webm")" = "vp9,320,240,yuv420p,12"
check_ok "${REC[@]}" --record "$TMP/v/a.gif" --frames 12 --size 320x240 --fps 10
check_true "gif: $(probe "$TMP/v/a.gif")" bash -c "[[ '$(probe "$TMP/v/a.gif")' == gif,320,240,*,12 ]]"
check_true "no temporary files left: $(ls -A "$TMP/v")" test "$(ls -A "$TMP/v" | tr '\n' ' ')" = "a.gif a.mp4 a.webm "
# mp4 plays from the start over the network: moov before mdat
check_true "mp4 +faststart" bash -c "head -c 4096 '$TMP/v/a.mp4' | grep -q moov"
# the summary line when stderr is not a terminal
err=$("$LOSSCAPE" "${REC[@]}" --record "$TMP/v/b.mp4" --frames 5 --size 160x120 2>&1 >/dev/null)
check_true "summary line: $err" bash -c "[[ '$err' == 'recorded 5 frames to $TMP/v/b.mp4 in '*' fps)' ]]"

# ---- PNG sequence: count, size, determinism -------------------------------------
mkdir "$TMP/p1" "$TMP/p2"
check_ok "${REC[@]}" --record "$TMP/p1/f%04d.png" --frames 12 --size 320x240 --caption "same"
check_ok "${REC[@]}" --record "$TMP/p2/f%04d.png" --frames 12 --size 320x240 --caption "same"
check_true "12 PNG frames: $(ls "$TMP/p1" | tr '\n' ' ')" test "$(ls "$TMP/p1" | wc -l)" -eq 12
check_true "numbered from 1" test -f "$TMP/p1/f0001.png" -a -f "$TMP/p1/f0012.png"
check_true "PNG size $(png_size "$TMP/p1/f0001.png")" test "$(png_size "$TMP/p1/f0001.png")" = 320x240
check_true "two runs give byte-identical frames" diff -r "$TMP/p1" "$TMP/p2"
check_true "frames differ over time" bash -c "! cmp -s '$TMP/p1/f0001.png' '$TMP/p1/f0012.png'"

# ---- quality: each setting records; the default keeps SSIM >= 0.99 against the lossless
# frames of the same run (ffmpeg's ssim filter, 'All'), and draft is visibly worse ----
ssim() {   # VIDEO PATTERN → the 'All' SSIM of the video against the PNG frames
  ffmpeg -hide_banner -i "$1" -framerate 30 -i "$2" -lavfi ssim -f null - 2>&1 | grep -o 'All:[0-9.]*' | cut -d: -f2
}
mkdir "$TMP/q"
check_ok "${REC[@]}" --record "$TMP/q/f%04d.png" --frames 20 --size 320x240
for q in draft standard high; do
  check_ok "${REC[@]}" --record "$TMP/q/$q.mp4" --frames 20 --size 320x240 --quality $q
  check_true "mp4 $q: $(probe "$TMP/q/$q.mp4")" test "$(probe "$TMP/q/$q.mp4")" = "h264,320,240,yuv420p,20"
done
check_ok "${REC[@]}" --record "$TMP/q/default.mp4" --frames 20 --size 320x240
check_true "the default is standard" cmp -s "$TMP/q/default.mp4" "$TMP/q/standard.mp4"
s_std=$(ssim "$TMP/q/standard.mp4" "$TMP/q/f%04d.png")
s_draft=$(ssim "$TMP/q/draft.mp4" "$TMP/q/f%04d.png")
s_high=$(ssim "$TMP/q/high.mp4" "$TMP/q/f%04d.png")
check_true "standard SSIM $s_std >= 0.99" awk -v s="$s_std" 'BEGIN { exit !(s >= 0.99) }'
check_true "high SSIM $s_high >= standard's $s_std - 0.002" awk -v a="$s_high" -v b="$s_std" 'BEGIN { exit !(a >= b - 0.002) }'
check_true "draft SSIM $s_draft < standard's $s_std" awk -v a="$s_draft" -v b="$s_std" 'BEGIN { exit !(a < b) }'
check_true "colour matrix tagged" bash -c "ffprobe -v error -show_entries stream=color_space -of csv=p=0 '$TMP/q/standard.mp4' | grep -q smpte170m"
check_ok "${REC[@]}" --record "$TMP/q/high.webm" --frames 6 --size 320x240 --quality high
check_ok "${REC[@]}" --record "$TMP/q/draft.gif" --frames 6 --size 320x240 --quality draft
check_error 2 "--quality: expected draft, standard or high" "${REC[@]}" --record "$TMP/q/x.mp4" --frames 2 --quality best

# ---- the pipeline: every frame, in order, on the video's time grid ------------------
# Frames are read back into a ring of slots, converted and encoded on another thread
# (MP4 draft/standard by libx264 in the process, ffmpeg muxing; LOSSCAPE_X264=0: by
# ffmpeg). Against the lossless PNG frames of the same run: exactly the frame count,
# duration frames/fps (ffprobe), SSIM >= 0.99, and each decoded frame k is at least 4x
# closer (MSE) to PNG k than to PNG k+1 and frame k+1 to PNG k (a dropped, repeated
# or swapped frame fails; measured: >= 18x at 480x270, steps-per-frame 3).
mkdir "$TMP/o"
ORD=("${REC[@]}" --size 480x270 --fps 60 --frames 120)
check_ok "${ORD[@]}" --record "$TMP/o/f%04d.png"
# mse_list VIDEO TRIM START → per-frame MSE of the video (first TRIM frames dropped)
# against the PNG frames from number START, one a line
mse_list() {
  ffmpeg -hide_banner -nostdin -i "$1" -framerate 60 -start_number "$3" -i "$TMP/o/f%04d.png" \
    -lavfi "[0:v]trim=start_frame=$2,setpts=PTS-STARTPTS[a];[a][1:v]psnr=stats_file=$TMP/o/psnr.txt" \
    -f null - >/dev/null 2>&1
  grep -o 'mse_avg:[0-9.]*' "$TMP/o/psnr.txt" | cut -d: -f2
}
# in_order VIDEO → "ok" or what is wrong
in_order() {
  local own next prev
  own=$(mse_list "$1" 0 1 | head -119)
  next=$(mse_list "$1" 0 2 | head -119)
  prev=$(mse_list "$1" 1 1 | head -119)
  paste -d' ' <(echo "$own") <(echo "$next") <(mse_list "$1" 1 2 | head -119) <(echo "$prev") |
    awk 'NF == 4 { n++; if ($2 < 4 * $1 + 1e-6) { print "frame " NR " not closer to its own frame than to the next"; bad = 1; exit }
                   if ($4 < 4 * $3 + 1e-6) { print "frame " NR + 1 " not closer to its own frame than to the one before"; bad = 1; exit } }
         END { if (!bad) print (n == 119 ? "ok" : "compared " n " frames, not 119") }'
}
# argv of the ffmpeg child: a wrapper that writes them down, then runs ffmpeg
cat >"$TMP/o/ffmpeg-args" <<EOF2
#!/bin/sh
printf '%s\n' "\$*" >>"$TMP/o/argv"
exec ffmpeg "\$@"
EOF2
chmod +x "$TMP/o/ffmpeg-args"
for enc in x264 ffmpeg; do
  v="$TMP/o/$enc.mp4"
  rm -f "$TMP/o/argv"
  LOSSCAPE_X264=$([ $enc = x264 ] && echo 1 || echo 0) LOSSCAPE_FFMPEG="$TMP/o/ffmpeg-args" \
    check_ok "${ORD[@]}" --record "$v"
  if [ $enc = x264 ]; then
    check_true "$enc: ffmpeg only muxes ($(cat "$TMP/o/argv"))" grep -q -- '-f h264 .*-c:v copy' "$TMP/o/argv"
  else
    check_true "$enc: ffmpeg encodes ($(cat "$TMP/o/argv"))" grep -q -- '-c:v libx264' "$TMP/o/argv"
  fi
  check_true "$enc: $(probe "$v")" test "$(probe "$v")" = "h264,480,270,yuv420p,120"
  d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$v")
  check_true "$enc: duration $d = 2 s" awk -v d="$d" 'BEGIN { exit !(d > 1.9995 && d < 2.0005) }'
  s=$(ffmpeg -hide_banner -i "$v" -framerate 60 -i "$TMP/o/f%04d.png" -lavfi ssim -f null - 2>&1 | grep -o 'All:[0-9.]*' | cut -d: -f2)
  check_true "$enc: SSIM $s >= 0.99 against the lossless frames" awk -v s="$s" 'BEGIN { exit !(s >= 0.99) }'
  o=$(in_order "$v")
  check_true "$enc: frames in order: $o" test "$o" = ok
done
check_true "high: ffmpeg encodes (B-frames)" bash -c "rm -f '$TMP/o/argv'; LOSSCAPE_FFMPEG='$TMP/o/ffmpeg-args' '$LOSSCAPE' ${REC[*]} --record '$TMP/o/h.mp4' --frames 3 --size 160x120 --quality high 2>/dev/null && grep -q -- '-preset medium' '$TMP/o/argv'"

# ---- bad input: exit 2, one line ---------------------------------------------------
check_error 2 "unknown format" "${REC[@]}" --record "$TMP/a.avi" --frames 2
check_error 2 "frame-number pattern" "${REC[@]}" --record "$TMP/f.png" --frames 2
check_error 2 "exactly one" "${REC[@]}" --record "$TMP/f%d_%d.png" --frames 2
check_error 2 "conversion must be" "${REC[@]}" --record "$TMP/f%s.png" --frames 2
check_error 2 "exactly one" "${REC[@]}" --record "$TMP/f%d%%.png" --frames 2
check_error 2 "does not exist" "${REC[@]}" --record "$TMP/no/such/dir/a.mp4" --frames 2
check_error 2 "even width and height" "${REC[@]}" --record "$TMP/a.mp4" --frames 2 --size 321x240
check_error 2 "needs --frames" "${REC[@]}" --record "$TMP/a.mp4"

# ---- ffmpeg missing ----------------------------------------------------------------
check_true "ffmpeg missing" bash -c "err=\$(PATH=/nonexistent '$LOSSCAPE' --record '$TMP/m.mp4' --frames 2 2>&1); \
  [ \$? -eq 1 ] && [ \"\$err\" = 'losscape: --record: ffmpeg not found (install the ffmpeg package)' ]"
check_true "ffmpeg missing: nothing left" bash -c "! ls -A '$TMP' | grep -q m.mp4"

# ---- failures leave nothing behind ---------------------------------------------
mkdir "$TMP/f"
LOSSCAPE_FFMPEG_ARGS="-c:v nosuchcodec" check_error 1 "ffmpeg failed" "${REC[@]}" --record "$TMP/f/a.mp4" --frames 12 --size 160x120
check_true "failed ffmpeg: folder empty ($(ls -A "$TMP/f"))" empty_dir "$TMP/f"

# unwritable folder (root writes anywhere: use a folder no one can create files in)
if [ "$(id -u)" -ne 0 ]; then
  mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
  check_error 1 "cannot write to folder" "${REC[@]}" --record "$TMP/ro/a.mp4" --frames 2
  check_error 1 "cannot write to folder" "${REC[@]}" --record "$TMP/ro/f%03d.png" --frames 2
  chmod 755 "$TMP/ro"
else
  check_error 1 "--record" "${REC[@]}" --record "/proc/a.mp4" --frames 2
  check_true "nothing in /proc" test ! -e /proc/a.mp4
fi

# signals mid-recording: exit 128+N, no final file, no temporary file
for sig in TERM INT; do
  d="$TMP/s$sig"
  mkdir "$d"
  "$LOSSCAPE" "${REC[@]}" --record "$d/a.mp4" --frames 3000 --size 160x120 2>"$TMP/err" &
  pid=$!
  for _ in $(seq 100); do ls -A "$d" | grep -q . && break; sleep 0.05; done
  sleep 0.5
  kill -$sig $pid
  wait $pid
  rc=$?
  want=$([ $sig = TERM ] && echo 143 || echo 130)
  check_true "SIG$sig: exit $rc, wanted $want ($(cat "$TMP/err"))" test $rc -eq $want
  check_true "SIG$sig: folder empty ($(ls -A "$d"))" empty_dir "$d"
done
# a PNG sequence interrupted: this run's frames are removed
mkdir "$TMP/sp"
"$LOSSCAPE" "${REC[@]}" --record "$TMP/sp/f%06d.png" --frames 3000 --size 160x120 2>"$TMP/err" &
pid=$!
for _ in $(seq 100); do [ -e "$TMP/sp/f000003.png" ] && break; sleep 0.05; done
kill -TERM $pid
wait $pid
rc=$?
check_true "PNG SIGTERM: exit $rc" test $rc -eq 143
check_true "PNG SIGTERM: frames removed ($(ls -A "$TMP/sp" | head -3))" empty_dir "$TMP/sp"

# ffmpeg killed mid-way: exit 1, one line, nothing left
mkdir "$TMP/k"
"$LOSSCAPE" "${REC[@]}" --record "$TMP/k/a.mp4" --frames 3000 --size 160x120 2>"$TMP/err" &
pid=$!
# the ffmpeg child, from /proc (no procps needed)
ffmpeg_child() {
  local c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    [ "$(cat /proc/"$c"/comm 2>/dev/null)" = ffmpeg ] && { echo "$c"; return 0; }
  done
  return 1
}
child=""
for _ in $(seq 100); do child=$(ffmpeg_child $pid) && break; sleep 0.05; done
sleep 0.3
if [ -n "$child" ]; then kill -KILL "$child"; else kill -KILL $pid; fi
wait $pid
rc=$?
check_true "ffmpeg killed: exit $rc ($(cat "$TMP/err"))" test $rc -eq 1
check_true "ffmpeg killed: one line ($(cat "$TMP/err"))" test "$(grep -c '' "$TMP/err")" -eq 1
check_true "ffmpeg killed: folder empty ($(ls -A "$TMP/k"))" empty_dir "$TMP/k"

# ---- a hostile file name is just a name ------------------------------------------
mkdir "$TMP/h"
name="a b'; \$(touch pwned) \"x\".mp4"
(cd "$TMP/h" && "$LOSSCAPE" "${REC[@]}" --record "$name" --frames 4 --size 160x120 2>/dev/null)
check_true "hostile name created literally: $(ls -A "$TMP/h")" test -f "$TMP/h/$name"
check_true "hostile name: nothing else happened" test "$(ls -A "$TMP/h" | wc -l)" -eq 1
check_true "hostile name: no pwned file" bash -c "! find '$TMP' . -maxdepth 2 -name pwned 2>/dev/null | grep -q ."
check_true "hostile name: a real video ($(probe "$TMP/h/$name"))" test "$(probe "$TMP/h/$name")" = "h264,160,120,yuv420p,4"

finish
