# The real window, driven as a teacher would (Xvfb + xdotool; skipped, exit 77,
# where they are missing): issue 9
#   #12 the title reaches the window manager as UTF-8 (_NET_WM_NAME) and WM_NAME is
#       not mojibake;
#   #15 a plain click and a drag do not restart the runs, Shift+click does (the start
#       point is read back from a Ctrl+S scene file);
#   #2/#3 an F9 recording lasts as long as it was recorded (±2 %) and holds no toast
#       (the bottom band, where toasts go, is the same in its first and last frames);
#       at 1280x720 it lasts the time between the two presses by the X server's clock
#       (xev), the ~0.4 s the encoder takes to open included, within 2 %;
#   --params-out: closing the window (Esc) writes each run's state dict, byte for byte
#       what --headless writes after the same --steps (the window pauses there, says
#       so on stderr, goes on with Space and pauses there again after R).
source "$(dirname "$0")/lib/cli.sh"
for t in Xvfb xdotool xprop xev ffprobe ffmpeg; do
  command -v $t >/dev/null || { echo "SKIP: $t missing (apt-get install xvfb xdotool x11-utils ffmpeg)"; exit 77; }
done
DISP=:$((90 + RANDOM % 400))
Xvfb $DISP -screen 0 1280x720x24 >/dev/null 2>&1 & xpid=$!
trap 'kill $app 2>/dev/null; kill $xpid 2>/dev/null; rm -rf "$TMP"' EXIT
export DISPLAY=$DISP
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
cd "$TMP" || exit 1

start_app() {   # start_app ARGS...: runs losscape in the window; sets app, wid
  # Two tries: Mesa's software GLX has been seen to deadlock inside swrast_dri while
  # the window is being created on a busy machine (the process waits on a driver
  # mutex forever, before any of our frames). A second start is told on stderr; two
  # hangs in a row fail the test.
  local try
  for try in 1 2; do
    "$LOSSCAPE" "$@" >"$TMP/out" 2>"$TMP/err" & app=$!
    wid=""
    for _ in $(seq 300); do wid=$(xdotool search --pid $app 2>/dev/null | tail -1); [ -n "$wid" ] && break; sleep 0.1; done
    [ -n "$wid" ] && break
    kill -9 $app 2>/dev/null; wait $app 2>/dev/null
    [ $try = 1 ] && echo "note: no window within 30 s (try 1), starting again: $(head -c 300 "$TMP/err")" >&2
  done
  [ -n "$wid" ] || { fail "no window for losscape $*: $(cat "$TMP/err")"; return 1; }
  xdotool windowactivate --sync "$wid" >/dev/null 2>&1; xdotool windowfocus "$wid" >/dev/null 2>&1
  sleep 1.5
}
stop_app() { kill $app 2>/dev/null; wait $app 2>/dev/null; }
key() { xdotool key --clearmodifiers "$@"; sleep 0.3; }
saved_start() {   # the start point in the newest Ctrl+S scene file
  grep '^start = ' "$(ls -t scene-*.scene losscape-*.scene 2>/dev/null | head -1)" 2>/dev/null
}

# #12: the title
start_app --scene saddle --view 2d --title "Sattel σ — ü" && {
  net=$(LC_ALL=C.UTF-8 xprop -id "$wid" _NET_WM_NAME)
  check_true "_NET_WM_NAME is the UTF-8 title (got: $net)" test "$net" = '_NET_WM_NAME(UTF8_STRING) = "losscape - Sattel σ — ü"'
  stop_app
}
start_app --scene saddle --view 2d && {
  wm=$(LC_ALL=C.UTF-8 xprop -id "$wid" WM_NAME)
  check_true "WM_NAME is the title, not mojibake (got: $wm)" \
    grep -qxE 'WM_NAME\((STRING|UTF-8|UTF8_STRING)\) = "losscape - Saddle point"' <<<"$wm"
  net=$(LC_ALL=C.UTF-8 xprop -id "$wid" _NET_WM_NAME)
  check_true "_NET_WM_NAME is set (got: $net)" test "$net" = '_NET_WM_NAME(UTF8_STRING) = "losscape - Saddle point"'

  # #15: clicks. Paused first, so the runs stand still; the map is left of centre.
  key space
  key ctrl+s; s0=$(saved_start)
  xdotool mousemove --window "$wid" 300 300 click 1; sleep 0.5
  key ctrl+s; s1=$(saved_start)
  check_true "a plain click does not restart ($s0 / $s1)" test -n "$s0" -a "$s0" = "$s1"
  xdotool mousemove --window "$wid" 300 300 mousedown 1 mousemove --window "$wid" 302 301 \
    mousemove --window "$wid" 360 330 mouseup 1; sleep 0.5
  key ctrl+s; s2=$(saved_start)
  check_true "a drag does not restart ($s2)" test "$s0" = "$s2"
  xdotool mousemove --window "$wid" 300 300 keydown shift click 1 keyup shift; sleep 0.5
  key ctrl+s; s3=$(saved_start)
  check_true "Shift+click restarts from the point clicked ($s3)" test -n "$s3" -a "$s0" != "$s3"
  stop_app
}

# #2, #3: F9 for about 4 s (a small window: frames must come faster than the
# tolerance, or the key press waits for the frame being drawn)
start_app --scene saddle --view 2d --size 480x270 && {
  t0=$(date +%s.%N); key F9
  sleep 4
  key F9; t1=$(date +%s.%N)
  sleep 1.5
  stop_app
  mp4=$(ls losscape-*.mp4 2>/dev/null | head -1)
  check_true "F9 wrote a video ($(cat "$TMP/err"))" test -s "$mp4"
  if [ -s "$mp4" ]; then
    d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$mp4")
    # the time the window recorded (between its handling the two presses, which it
    # prints) within 2 %; and that against the test's own clock, loosely: a press waits
    # for the frame being drawn, which takes long on a busy machine
    rec=$(grep -o '[0-9.]* s of wall-clock time' "$TMP/err" | cut -d' ' -f1)
    check_true "video lasts the time recorded: $d s for $rec s" \
      awk -v d="$d" -v w="$rec" 'BEGIN { exit !(w > 0 && d > w * 0.98 && d < w * 1.02) }'
    check_true "... which is the time between the presses: $rec s for $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s" \
      awk -v r="$rec" -v a="$t0" -v b="$t1" 'BEGIN { w = b - a; exit !(r > w * 0.75 && r < w * 1.25) }'
    ffmpeg -v error -i "$mp4" -vf "select=eq(n\,0)" -frames:v 1 -y first.png
    ffmpeg -v error -sseof -0.2 -i "$mp4" -frames:v 1 -y last.png
    # the band where toasts are drawn (above the counters, which a 480-pixel window
    # puts at the bottom; the x-axis labels there do not move): no toast in either
    # frame (the recording's toast was in the first and the last frames)
    for f in first last; do ffmpeg -v error -i $f.png -vf "crop=235:12:0:234" -f rawvideo -pix_fmt gray -y $f.gray; done
    # (the video is lossy: the same pixels, give or take the encoder's noise)
    diff=$(python3 -c 'import sys; a = open("first.gray", "rb").read(); b = open("last.gray", "rb").read(); print(sum(abs(x - y) for x, y in zip(a, b)) / max(len(a), 1))')
    check_true "no toast in the video's first and last frames (mean difference $diff)" \
      awk -v d="$diff" 'BEGIN { exit !(d < 4) }'
  fi
}

# #2 at 1280x720 (the size a teacher records): F9, 6 s, F9 from one xdotool, the
# presses as the X server timed them (xev). Opening the encoder for a frame this size
# takes ~0.4 s of a busy machine, which the video left out (5.567 s for 6.026 s). The
# window sees a press only at its next frame (up to ~0.2 s at this size under a loaded
# ctest: 6.200 s for 6.039 s was seen when it timed the presses so); it takes their
# times from the X server, as this test does.
rm -f losscape-*.mp4
start_app --scene saddle --view 2d && {
  xev -id "$wid" -event keyboard >"$TMP/xev" 2>&1 & xev=$!
  sleep 0.5
  xdotool key --clearmodifiers F9 sleep 6 key --clearmodifiers F9
  sleep 1.5
  kill $xev 2>/dev/null
  stop_app
  presses=$(grep -A2 '^KeyPress' "$TMP/xev" | grep -o 'time [0-9]*' | cut -d' ' -f2 | tr '\n' ' ')
  mp4=$(ls losscape-*.mp4 2>/dev/null | head -1)
  d=$([ -s "$mp4" ] && ffprobe -v error -show_entries format=duration -of csv=p=0 "$mp4")
  check_true "1280x720: the video lasts the time between the presses (X server ms: $presses): $d s ($(cat "$TMP/err"))" \
    awk -v d="$d" -v p="$presses" 'BEGIN { n = split(p, t, " "); w = (t[2] - t[1]) / 1000
                                           exit !(n == 2 && w > 5.9 && d > w * 0.98 && d < w * 1.02) }'
}

# --params-out when the window closes: paused at --steps 25, then Esc
D=(--data moons:n=120 --model mlp:hidden=6,bn=1 --seed 4 --opt sgd:lr=0.1 --opt adam:lr=0.02 --steps 25)
"$LOSSCAPE" "${D[@]}" --headless --params-out "$TMP/h.safetensors" >/dev/null
start_app "${D[@]}" --params-out "$TMP/w.safetensors" && {
  # Esc only once the window has paused at --steps (it says so on stderr): a fixed
  # wait was too short at load 15 (the files held the state of an earlier step)
  for _ in $(seq 600); do grep -q 'paused at step 25 (--steps)' "$TMP/err" && break; sleep 0.1; done
  check_true "the window tells it paused at --steps 25 ($(cat "$TMP/err"))" grep -q 'paused at step 25 (--steps)' "$TMP/err"
  key Escape
  for _ in $(seq 100); do kill -0 $app 2>/dev/null || break; sleep 0.1; done
  wait $app; rc=$?
  check_true "Esc: exit 0 ($rc), both runs' files as --headless writes them" \
    bash -c "[ $rc = 0 ] && cmp -s '$TMP/h-1.safetensors' '$TMP/w-1.safetensors' && cmp -s '$TMP/h-2.safetensors' '$TMP/w-2.safetensors'"
}
# ... and Space goes on from there (the pause at --steps is once: the runs were held
# at step 25 for good before)
start_app "${D[@]}" --params-out "$TMP/g.safetensors" && {
  for _ in $(seq 600); do grep -q 'paused at step 25 (--steps)' "$TMP/err" && break; sleep 0.1; done
  key space
  sleep 1.5
  key Escape
  for _ in $(seq 100); do kill -0 $app 2>/dev/null || break; sleep 0.1; done
  wait $app
  check_true "Space after the pause at --steps: the runs go on past step 25" \
    bash -c "test -s '$TMP/g-1.safetensors' && ! cmp -s '$TMP/h-1.safetensors' '$TMP/g-1.safetensors'"
}
# ... and after R (a restart, still paused) Space plays to step 25 again and pauses there
start_app "${D[@]}" --params-out "$TMP/r.safetensors" && {
  for _ in $(seq 600); do grep -q 'paused at step 25 (--steps)' "$TMP/err" && break; sleep 0.1; done
  key r
  key space
  for _ in $(seq 600); do [ "$(grep -c 'paused at step 25 (--steps)' "$TMP/err")" -ge 2 ] && break; sleep 0.1; done
  key Escape
  for _ in $(seq 100); do kill -0 $app 2>/dev/null || break; sleep 0.1; done
  wait $app
  check_true "R after the pause: paused at step 25 again ($(grep -c 'paused at step 25' "$TMP/err") times), the state --headless writes" \
    bash -c "[ \$(grep -c 'paused at step 25 (--steps)' '$TMP/err') = 2 ] && cmp -s '$TMP/h-1.safetensors' '$TMP/r-1.safetensors'"
}
finish
