# Per-run settings (batch=, schedule=, label=), the CSV's appended columns, headless
# compare, --sharpness and --probe, run through the real program.
source "$(dirname "$0")/lib/cli.sh"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

# 1. Three batch sizes race in one run; each run's epoch follows its own size.
"$LOSSCAPE" --headless --data linear:b=0 --model linear:bias=0 --steps 600 \
  --opt sgd:lr=0.02,batch=1,label=B=1 --opt sgd:lr=0.02,batch=16,label=B=16 \
  --opt sgd:lr=0.02,batch=full,label=full --csv "$TMP/b.csv" 2>"$TMP/err"
check_true "per-run batch sizes" $PY - "$TMP/b.csv" <<'PY'
import csv, sys, math
rows = list(csv.DictReader(open(sys.argv[1])))
head = list(rows[0].keys())
assert head[:11] == "optimizer,step,epoch,x,y,loss,lr,batch,run,problem,grad_norm".split(","), head
assert head[11] == "train_mode_loss", head
last = {r["run"]: r for r in rows if r["step"] == "600"}
assert set(last) == {"B=1", "B=16", "full"}, last.keys()
assert last["B=1"]["epoch"] == str(math.ceil(600 * 1 / 256)), last["B=1"]["epoch"]
assert last["B=16"]["epoch"] == str(math.ceil(600 * 16 / 256)), last["B=16"]["epoch"]
assert last["full"]["epoch"] == "600" and last["full"]["batch"] == "full"
assert last["B=1"]["batch"] == "1" and last["B=16"]["batch"] == "16"
assert all(r["problem"] == "main" for r in rows)
PY

# 2. A per-run schedule: the warm-up run's rate rises, the other's stays.
"$LOSSCAPE" --headless --surface rosenbrock --start -1.5,2 --steps 10 \
  --opt adam:lr=0.1,label=flat --opt "adam:lr=0.1,schedule=constant:warmup=10,label=warm" \
  --csv "$TMP/s.csv" 2>/dev/null
check_true "per-run schedule" $PY - "$TMP/s.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
lr = {(r["run"], int(r["step"])): float(r["lr"]) for r in rows}
assert all(abs(lr[("flat", k)] - 0.1) < 1e-15 for k in range(11))
assert abs(lr[("warm", 1)] - 0.01) < 1e-15 and abs(lr[("warm", 10)] - 0.1) < 1e-15, lr
PY

# 3. Two unlabelled runs of one optimizer are told apart; grad_norm is |grad f|.
"$LOSSCAPE" --headless --surface "x^2 + 3*y^2" --start 1,1 --steps 1 --opt sgd:lr=0.1 \
  --opt sgd:lr=0.2 --csv "$TMP/u.csv" 2>/dev/null
check_true "run names and grad_norm" $PY - "$TMP/u.csv" <<'PY'
import csv, sys, math
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["run"] for r in rows[:2]] == ["sgd-1", "sgd-2"], rows[:2]
assert "train_mode_loss" not in rows[0]
r = rows[0]
x, y = float(r["x"]), float(r["y"])
assert abs(float(r["grad_norm"]) - math.hypot(2 * x, 6 * y)) < 1e-12
PY

# 4. A scene file keeps the run settings (save and load through --scene).
printf 'title = t\ndata = moons: n=60\nmodel = logistic\nopt = sgd: lr=0.1, batch=4, label=small\nopt = sgd: lr=0.1, schedule=cosine:T=50,min=0.1, label=cos\nsteps = 3\n' >"$TMP/r.scene"
"$LOSSCAPE" --scene "$TMP/r.scene" --headless --csv "$TMP/r.csv" 2>/dev/null
check_true "scene file run settings" grep -Eq '^sgd,3,1,([^,]*,){4}4,small,main,' "$TMP/r.csv"

# 5. Headless compare: the second problem's rows, with its own rate.
"$LOSSCAPE" --headless --scene features-unscaled --layout compare --opt sgd:lr=0.00008 \
  --steps 50 --csv "$TMP/c.csv" 2>/dev/null
check_true "headless compare rows" $PY - "$TMP/c.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
main = [r for r in rows if r["problem"] == "main"]
cmp = [r for r in rows if r["problem"] == "compare"]
assert len(main) == 51 and len(cmp) == 51, (len(main), len(cmp))
assert abs(float(cmp[-1]["lr"]) - 0.1) < 1e-15 and abs(float(main[-1]["lr"]) - 8e-5) < 1e-15
assert float(cmp[-1]["loss"]) < 0.01 < float(main[-1]["loss"])
PY

# 6. --sharpness: exact on a quadratic (largest eigenvalue 6), every N steps.
"$LOSSCAPE" --headless --surface "x^2 + 3*y^2" --start 1,1 --steps 5 --opt sgd:lr=0.01 \
  --sharpness 2 --csv "$TMP/h.csv" 2>/dev/null
check_true "sharpness column" $PY - "$TMP/h.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
got = {int(r["step"]): r["sharpness"] for r in rows}
assert got[1] == "" and got[3] == "", got
assert abs(float(got[0]) - 6) < 1e-9 and abs(float(got[4]) - 6) < 1e-9 and abs(float(got[5]) - 6) < 1e-9
PY
# Lanczos on a model: a linear regression's Hessian is 2·XᵀX/n; compare with numpy.
"$LOSSCAPE" --headless --data scales --model linear:bias=0 --opt sgd:lr=0.00001 --steps 1 \
  --sharpness 1 --csv "$TMP/m.csv" 2>/dev/null
check_true "model sharpness" $PY - "$TMP/m.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
s = float(rows[0]["sharpness"])
# --critical-points of features-unscaled gives lambda2 = 20235.47 (same data, seed 1)
assert abs(s - 20235.473892956652) / 20235.47 < 1e-4, s
PY

# The window's sharpness plot: --sharpness without --headless is a plot in the side
# column (render_frame checks its lines); the screenshot differs from the one without.
# Lesson 9 asks for it with its scene key `sharpness` (lesson mode has no --sharpness):
# the built-in lesson differs from the same scene without that line.
grep -v '^sharpness' "$SRC/assets/scenes/lesson-batch-generalization.scene" >"$TMP/nosharp.scene"
check_true "lesson 9 has the scene key sharpness" bash -c "! cmp -s '$TMP/nosharp.scene' '$SRC/assets/scenes/lesson-batch-generalization.scene'"
for s in "" "--sharpness 20"; do
  SDL_VIDEODRIVER=offscreen "$LOSSCAPE" --scene "$TMP/nosharp.scene" --steps 100 --size 640x360 \
    $s --screenshot "$TMP/sharp${s:+1}.png" 2>/dev/null
done
SDL_VIDEODRIVER=offscreen "$LOSSCAPE" --lesson lesson-batch-generalization --steps 100 --size 640x360 \
  --screenshot "$TMP/sharpkey.png" 2>/dev/null
check_true "--sharpness in the window: a screenshot" test -s "$TMP/sharp1.png"
check_true "--sharpness changes the window's picture (the plot)" bash -c "! cmp -s \"\$1\" \"\$2\"" _ "$TMP/sharp.png" "$TMP/sharp1.png"
check_true "the scene key sharpness draws the plot in lesson mode" bash -c "test -s \"\$2\" && ! cmp -s \"\$1\" \"\$2\"" _ "$TMP/sharp.png" "$TMP/sharpkey.png"

# 7. --probe at the lecture's saddle and on a model's plane.
out=$("$LOSSCAPE" --surface "(1-x*y)^2" --domain -2,2,-2,2 --probe 0,0)
check_true "probe at the w1w2 saddle" $PY - "$out" <<'PY'
import sys
d = {l.split()[0]: l.split()[1:] for l in sys.argv[1].splitlines()}
assert d["type"] == ["saddle"] and d["critical"] == ["1"] and d["of"] == ["model"], d
assert [float(v) for v in d["eigenvalues"]] == [-2.0, 2.0], d
v = [float(t) for t in d["eigenvector1"]]
assert abs(abs(v[0]) - 0.7071067811865476) < 1e-12 and v[0] * v[1] > 0, v
assert float(d["loss"][0]) == 1.0 and all(t == "0" for t in d["gradient"]), d
PY
out=$("$LOSSCAPE" --data moons:n=100 --model mlp:hidden=4,act=tanh --probe 0,0)
check_true "probe on a model's plane" $PY - "$out" <<'PY'
import sys
d = {l.split()[0]: l.split()[1:] for l in sys.argv[1].splitlines()}
assert d["of"] == ["plane"], d
n = int(d["model_params"][0])
assert n == 4 * 2 + 4 + 2 * 4 + 2, n
f = float(d["model_negative_fraction"][0])
assert 0 <= f <= 1 and float(d["model_eigen_min"][0]) <= float(d["model_eigen_max"][0])
PY
finish
