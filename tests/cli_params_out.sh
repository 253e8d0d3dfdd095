# --params-out writes every run's state dict: one run to FILE, several to FILE-1...,
# FILE-2... (or FILE's %d); --screenshot and --record write the runs at their last
# step, byte for byte what --headless writes after the same steps; each file holds its
# own run (loaded with --params-in, its loss is that run's last --csv row). The
# window's Esc is checked in cli_window.sh.
source "$(dirname "$0")/lib/cli.sh"
D=(--data moons:n=150 --model mlp:hidden=6,bn=1 --seed 5)
R=(--opt sgd:lr=0.1 --opt adam:lr=0.02 --steps 20)
cd "$TMP" || exit 1
check_ok "${D[@]}" "${R[@]}" --headless --params-out h.safetensors --csv h.csv
check_true "two runs: h-1 and h-2, no h.safetensors" test -s h-1.safetensors -a -s h-2.safetensors -a ! -e h.safetensors
check_ok "${D[@]}" "${R[@]}" --headless --params-out "p%d.st"
check_true "%d takes the run's number" test -s p1.st -a -s p2.st
check_ok "${D[@]}" --opt adam:lr=0.02 --steps 20 --headless --params-out one.safetensors
check_true "one run: the name itself" test -s one.safetensors -a ! -e one-1.safetensors
for k in 1 2; do
  want=$(awk -F, -v k=$k 'NR > 1 && $1 == (k == 1 ? "sgd" : "adam") { v = $6 } END { print v }' h.csv)
  got=$("$LOSSCAPE" "${D[@]}" --params-in h-$k.safetensors --opt sgd --steps 0 --headless --csv - | awk -F, 'NR == 2 { print $6 }')
  check_true "h-$k.safetensors is run $k's end (loss $got vs $want)" \
    awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 1e-12 * b) }'
done
check_ok "${D[@]}" "${R[@]}" --size 320x200 --screenshot s.png --params-out s.safetensors
check_true "--screenshot writes the runs at its step, as --headless does" \
  bash -c 'cmp -s h-1.safetensors s-1.safetensors && cmp -s h-2.safetensors s-2.safetensors'
if command -v ffmpeg >/dev/null; then
  # frame 0 is the start, then 5 steps before each of the other 4 frames: 20 steps
  check_ok "${D[@]}" --opt sgd:lr=0.1 --opt adam:lr=0.02 --steps-per-frame 5 --size 320x200 \
    --record "f%03d.png" --frames 5 --params-out r.safetensors
  check_true "--record writes the runs at its last frame" \
    bash -c 'cmp -s h-1.safetensors r-1.safetensors && cmp -s h-2.safetensors r-2.safetensors'
fi
check_error 2 "--params-out: $TMP/no/x.safetensors: the folder does not exist" "${D[@]}" --headless --params-out "$TMP/no/x.safetensors"
finish
