# Data problems from the command line: a linear regression with full-batch SGD is
# plain gradient descent on the MSE; mini-batches form proper epochs; an MLP with
# batch normalization trains on moons; CSV defects are located.
source "$(dirname "$0")/lib/cli.sh"
HOUSES="$SRC/assets/data/houses.csv"

# 1. Full-batch SGD on linear regression = gradient descent on the mean squared
#    error, computed independently here (python3, plain floats).
"$LOSSCAPE" --data "$HOUSES" --model linear --standardize --opt sgd:lr=0.1 --batch full \
  --plane params:0,3 --headless --steps 50 --csv "$TMP/lin.csv" 2>"$TMP/err" || fail "linear run: $(cat "$TMP/err")"
check_true "full-batch SGD is gradient descent on the MSE" python3 - "$HOUSES" "$TMP/lin.csv" <<'PY'
import csv, sys, math
rows = list(csv.reader(open(sys.argv[1])))[1:]
X = [[float(v) for v in r[:-1]] for r in rows]
y = [float(r[-1]) for r in rows]
n, d = len(X), len(X[0])
# --standardize: statistics of the training part (all rows: no --split)
mu = [sum(r[j] for r in X) / n for j in range(d)]
sd = [math.sqrt(sum((r[j] - mu[j]) ** 2 for r in X) / n) for j in range(d)]
X = [[(r[j] - mu[j]) / sd[j] for j in range(d)] for r in X]
w, b = [0.0] * d, 0.0
ok = True
out = [r for r in csv.reader(open(sys.argv[2]))][1:]
for step in range(51):
    res = [sum(w[j] * X[i][j] for j in range(d)) + b - y[i] for i in range(n)]
    loss = sum(r * r for r in res) / n
    row = out[step]
    # plane params:0,3 shows w1 (parameter 0) and b (parameter 3)
    for got, want in ((float(row[3]), w[0]), (float(row[4]), b), (float(row[5]), loss)):
        if abs(got - want) > 1e-9 * max(1.0, abs(want)):
            print("step", step, "got", got, "want", want); ok = False
    gw = [2.0 / n * sum(res[i] * X[i][j] for i in range(n)) for j in range(d)]
    gb = 2.0 / n * sum(res)
    w = [w[j] - 0.1 * gw[j] for j in range(d)]
    b -= 0.1 * gb
sys.exit(0 if ok else 1)
PY

# 2. Mini-batches: each epoch is a permutation of the training rows, cut into
#    batches of the set size with the short last batch kept; epochs differ.
"$LOSSCAPE" --data moons:n=50 --model logistic --batch 8 --opt sgd:lr=0.1 --headless \
  --steps 40 --batches-log "$TMP/b.csv" 2>"$TMP/err" || fail "batches run: $(cat "$TMP/err")"
check_true "every epoch is a permutation in batches of 8,8,8,8,8,8,2; epochs differ" python3 - "$TMP/b.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0] == ["epoch", "step", "indices"], rows[0]
epochs = {}
for e, s, idx in rows[1:]:
    epochs.setdefault(int(e), []).append([int(v) for v in idx.split()])
full = [e for e in epochs if sum(len(b) for b in epochs[e]) == 50]
assert len(full) >= 5, epochs.keys()
perms = []
for e in full:
    flat = [i for b in epochs[e] for i in b]
    assert sorted(flat) == list(range(50)), e
    assert [len(b) for b in epochs[e]] == [8, 8, 8, 8, 8, 8, 2], [len(b) for b in epochs[e]]
    perms.append(flat)
assert all(perms[i] != perms[i + 1] for i in range(len(perms) - 1))
PY
"$LOSSCAPE" --data moons:n=50 --model logistic --batch 8 --opt sgd:lr=0.1 --headless \
  --steps 40 --batches-log "$TMP/b2.csv" 2>/dev/null
check_true "the same seed gives the same batches" cmp -s "$TMP/b.csv" "$TMP/b2.csv"
"$LOSSCAPE" --data moons:n=50 --model logistic --batch 8 --seed 2 --opt sgd:lr=0.1 --headless \
  --steps 40 --batches-log "$TMP/b3.csv" 2>/dev/null
check_true "another seed gives other batches" bash -c "! cmp -s '$TMP/b.csv' '$TMP/b3.csv'"
"$LOSSCAPE" --data moons:n=50 --model logistic --batch 8 --opt sgd:lr=0.1 --opt adam:lr=0.1 \
  --headless --steps 20 --csv "$TMP/ep.csv" 2>/dev/null
check_true "the CSV reports epoch and batch size" grep -Eq '^sgd,7,1,([^,]*,){4}2,' "$TMP/ep.csv"
check_true "step 8 starts epoch 2" grep -Eq '^adam,8,2,([^,]*,){4}8,' "$TMP/ep.csv"

# 3. An MLP with batch normalization trains on moons (held-out accuracy).
"$LOSSCAPE" --data moons:n=400,noise=0.1 --model mlp:hidden=16x16,act=relu,bn=1 --split 0.25 \
  --batch 32 --opt adam:lr=0.01 --headless --steps 1500 >"$TMP/mlp.txt" 2>"$TMP/err"
check_true "MLP+BN reaches test accuracy >= 0.9 ($(cat "$TMP/mlp.txt" "$TMP/err"))" \
  awk '{ for (i = 1; i < NF; i++) if ($i == "acc" && $(i-1) == "test") a = $(i+1) } END { exit !(a >= 0.9) }' "$TMP/mlp.txt"

# 4. Larger models are drawn on a plane: random by default, or PCA of the runs.
check_ok --data spiral --model mlp:hidden=8,act=tanh --opt adam:lr=0.02 --headless --steps 50
check_ok --data spiral --model mlp:hidden=8,act=tanh --plane pca --opt adam:lr=0.02 --opt sgd:lr=0.1 \
  --headless --steps 50 --csv "$TMP/pca.csv"
check_true "PCA-plane trajectories start at the origin" grep -q '^adam,0,0,0,0,' "$TMP/pca.csv"

# 5. Bad data input: one line, status 2.
printf 'a,b,y\n1,2,3\n4,x,6\n' >"$TMP/bad.csv"
check_error 2 "bad.csv:3:3: 'x' is not a number" --data "$TMP/bad.csv"
printf 'a,b,y\n1,2,3\n4,5\n' >"$TMP/ragged.csv"
check_error 2 "ragged.csv:3: row has 2 fields, the header has 3" --data "$TMP/ragged.csv"
printf 'a,y\n1,nan\n' >"$TMP/nan.csv"
check_error 2 "NaN or Inf" --data "$TMP/nan.csv"
: >"$TMP/empty.csv"
check_error 2 "empty file" --data "$TMP/empty.csv"
printf 'a,y\n1,0\n2,0\n' >"$TMP/oneclass.csv"
check_error 2 "single class" --data "$TMP/oneclass.csv" --model logistic
check_error 2 "batch: 500 is larger than the" --data moons:n=100 --batch 500
check_error 2 "unknown data set 'swirl'" --data swirl
check_error 2 "model: column" --data moons --model mlp:hidden=0
check_error 2 "--critical-points: needs a two-parameter problem" --data moons --model mlp --critical-points
finish
