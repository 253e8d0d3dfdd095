# --interpolate: the loss along (1 - t)*A + t*B (Goodfellow et al. 2015). Every row is
# a direct evaluation of the model at θ(t): t = 0 and t = 1 are the ends' own losses
# (a run's first and last --csv rows; a state dict's loss with --params-in), a middle
# point equals --params-in of the state dict (1 - t)*A + t*B written by numpy; the
# columns follow the task and the test set; the curve is drawn (test loss dashed).
source "$(dirname "$0")/lib/cli.sh"
D=(--data moons:n=200,noise=0.2 --model mlp:hidden=8,bn=1 --seed 3)
col() { awk -F, -v c="$1" -v t="$2" 'NR > 1 && $1 == t { print $c }' "$3"; }
loss_of() { "$LOSSCAPE" "${D[@]}" "$@" --headless --csv - | awk -F, 'NR == 2 { print $6 }'; }
close() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; s = a < 0 ? -a : a; exit !(a != "" && d <= 1e-12 * s) }'; }

# 1. a run's start and end: the first and last rows of the same run's --csv
check_ok "${D[@]}" --split 0.25 --opt adam:lr=0.02 --steps 120 --interpolate run --headless --interpolate-csv "$TMP/run.csv"
"$LOSSCAPE" "${D[@]}" --split 0.25 --opt adam:lr=0.02 --steps 120 --headless --csv "$TMP/traj.csv" 2>/dev/null
first=$(awk -F, 'NR == 2 { print $6 }' "$TMP/traj.csv"); last=$(tail -1 "$TMP/traj.csv" | cut -d, -f6)
check_true "t=0 is the run's start ($(col 2 0 "$TMP/run.csv") vs $first)" test "$(col 2 0 "$TMP/run.csv")" = "$first"
check_true "t=1 is the run's end ($(col 2 1 "$TMP/run.csv") vs $last)" test "$(col 2 1 "$TMP/run.csv")" = "$last"
check_true "classification with a test set: five columns" test "$(head -1 "$TMP/run.csv")" = "t,train_loss,train_acc,test_loss,test_acc"
check_true "81 points from -0.5 to 1.5" test "$(wc -l <"$TMP/run.csv") $(sed -n 2p "$TMP/run.csv" | cut -d, -f1) $(tail -1 "$TMP/run.csv" | cut -d, -f1)" = "82 -0.5 1.5"
# run:2 is the second run's
check_ok "${D[@]}" --opt sgd:lr=0.1 --opt adam:lr=0.02 --steps 50 --interpolate run:2 --interpolate-range 0,1,2 --headless --interpolate-csv "$TMP/run2.csv"
"$LOSSCAPE" "${D[@]}" --opt sgd:lr=0.1 --opt adam:lr=0.02 --steps 50 --headless --csv "$TMP/traj2.csv" 2>/dev/null
check_true "run:2 ends where the second run does" test "$(col 2 1 "$TMP/run2.csv")" = "$(awk -F, '$1 == "adam" { v = $6 } END { print v }' "$TMP/traj2.csv")"

# 2. two state dicts: the ends are their losses, a middle point is the model at θ(t)
"$LOSSCAPE" "${D[@]}" --split 0 --opt sgd --steps 0 --headless --params-out "$TMP/a.safetensors" >/dev/null
"$LOSSCAPE" "${D[@]}" --split 0 --batch 16 --opt momentum:lr=0.05 --steps 150 --headless --params-out "$TMP/b.safetensors" >/dev/null
check_ok "${D[@]}" --split 0 --interpolate "$TMP/a.safetensors,$TMP/b.safetensors" --interpolate-range -0.5,1.5,9 --headless --interpolate-csv "$TMP/ab.csv"
check_true "no test set: t,train_loss,train_acc" test "$(head -1 "$TMP/ab.csv")" = "t,train_loss,train_acc"
la=$(loss_of --split 0 --params-in "$TMP/a.safetensors" --opt sgd --steps 0)
lb=$(loss_of --split 0 --params-in "$TMP/b.safetensors" --opt sgd --steps 0)
check_true "t=0 is A's loss ($(col 2 0 "$TMP/ab.csv") vs $la)" close "$(col 2 0 "$TMP/ab.csv")" "$la"
check_true "t=1 is B's loss ($(col 2 1 "$TMP/ab.csv") vs $lb)" close "$(col 2 1 "$TMP/ab.csv")" "$lb"
/usr/bin/python3 - "$TMP" <<'PY'
import json, struct, sys
import numpy as np
d = sys.argv[1]
def load(p):
    raw = open(p, "rb").read(); n = struct.unpack("<Q", raw[:8])[0]
    h = json.loads(raw[8:8 + n]); data = raw[8 + n:]
    return {k: (v, np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]],
                                 dtype="<f8" if v["dtype"] == "F64" else "<i8")) for k, v in h.items()
            if k != "__metadata__"}
a, b = load(d + "/a.safetensors"), load(d + "/b.safetensors")
for t in (0.25, 1.25):
    blobs, off, head = [], 0, {}
    for k, (meta, va) in a.items():
        v = va if meta["dtype"] != "F64" else (1 - t) * va + t * b[k][1]
        if k.endswith("running_var"):
            v = np.maximum(v, 0)
        by = v.astype(va.dtype).tobytes()
        head[k] = {"dtype": meta["dtype"], "shape": meta["shape"], "data_offsets": [off, off + len(by)]}
        blobs.append(by); off += len(by)
    j = json.dumps(head).encode(); j += b" " * (-len(j) % 8)
    open("%s/t%s.safetensors" % (d, t), "wb").write(struct.pack("<Q", len(j)) + j + b"".join(blobs))
PY
for t in 0.25 1.25; do
  lt=$(loss_of --split 0 --params-in "$TMP/t$t.safetensors" --opt sgd --steps 0)
  check_true "t=$t is the model at (1-t)A+tB ($(col 2 $t "$TMP/ab.csv") vs $lt)" close "$(col 2 $t "$TMP/ab.csv")" "$lt"
done

# 3. regression: no accuracy columns
check_ok --data linear:n=50 --model mlp:hidden=4 --split 0.2 --steps 20 --interpolate run --interpolate-range 0,1,3 --headless --interpolate-csv "$TMP/reg.csv"
check_true "regression: t,train_loss,test_loss; t = 0, 0.5, 1" test "$(head -1 "$TMP/reg.csv") $(cut -d, -f1 "$TMP/reg.csv" | tail -3 | tr '\n' ' ')" = "t,train_loss,test_loss 0 0.5 1 "
check_ok "${D[@]}" --steps 5 --interpolate run --interpolate-range 0,1,5 --headless --interpolate-csv - 

# 4. the curve: drawn (train loss light, test loss dashed blue), no colour map
check_ok "${D[@]}" --split 0.25 --opt adam:lr=0.02 --steps 120 --interpolate run --size 640x360 --screenshot "$TMP/i.png"
if /usr/bin/python3 -c 'import PIL, numpy' 2>/dev/null; then
  got=$(/usr/bin/python3 - "$TMP/i.png" <<'PY'
import sys, numpy as np
from PIL import Image
a = np.asarray(Image.open(sys.argv[1]).convert("RGB")).astype(int)[40:330, 40:630]   # the plot (the whole width: no side column)
blue = ((abs(a[..., 0] - 120) < 30) & (abs(a[..., 1] - 190) < 30) & (a[..., 2] > 220)).sum()
light = (a.min(axis=2) > 200).sum()
print(blue, light)
PY
)
  read -r blue light <<<"$got"
  check_true "the test loss (dashed blue: $blue px) and the train loss (light: $light px) are drawn" \
    test "$blue" -gt 40 -a "$light" -gt 300
  # the line has no runs: no run marker (SGD orange, the scene's one frozen run before),
  # no legend of runs, no loss or rate plots; the curve takes the whole width
  got=$(/usr/bin/python3 - "$TMP/i.png" <<'PY'
import sys, numpy as np
from PIL import Image
a = np.asarray(Image.open(sys.argv[1]).convert("RGB")).astype(int)
orange = ((abs(a[..., 0] - 230) < 25) & (abs(a[..., 1] - 159) < 25) & (a[..., 2] < 40)).sum()
right = a[40:330, 500:630]
light = (right.min(axis=2) > 200).sum()
print(orange, light)
PY
)
  read -r orange right <<<"$got"
  check_true "no run marker on the line (orange: $orange px) and the curve runs on to the right edge ($right light px at x 500-630)" \
    test "$orange" -eq 0 -a "$right" -gt 40
fi
finish
