# Trajectories match an independent re-implementation of torch.optim
# (tests/ref/torch_ref.py, plain Python doubles mirroring torch's single-tensor
# update code operation by operation): the CSVs must be identical, digit for digit.
# Real torch is checked by tests/ref/torch_compare.py; these cases include what torch
# lacks (variant=lecture, bias_correction=0, cosine after=hold).
source "$(dirname "$0")/lib/cli.sh"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
REF="$SRC/tests/ref/torch_ref.py"

compare() {
  local name=$1
  shift
  "$LOSSCAPE" --headless --csv "$TMP/ours.csv" "$@" 2>"$TMP/err" || { fail "$name: losscape failed: $(cat "$TMP/err")"; return; }
  python3 "$REF" "$@" >"$TMP/ref.csv" 2>"$TMP/err" || { fail "$name: reference failed: $(cat "$TMP/err")"; return; }
  # Rows are interleaved by step here and grouped by run there: compare as sets,
  # on the eight columns the reference writes (the later ones are ours alone).
  cut -d, -f1-8 "$TMP/ours.csv" | sort >"$TMP/ours.sorted"
  sort "$TMP/ref.csv" >"$TMP/ref.sorted"
  if cmp -s "$TMP/ours.sorted" "$TMP/ref.sorted"; then
    pass
  else
    fail "$name: trajectories differ: $(diff "$TMP/ours.sorted" "$TMP/ref.sorted" | head -3 | tr '\n' ' ')"
  fi
}

# The issue's own example, with all five optimizers at torch's defaults.
compare "rosenbrock defaults" --surface rosenbrock --start -1.5,2 --steps 500 \
  --opt sgd --opt momentum --opt adagrad --opt rmsprop --opt adam
compare "rosenbrock tuned" --surface rosenbrock --start -1.5,2 --steps 500 \
  --opt sgd:lr=0.001 --opt momentum:lr=0.0005,momentum=0.9 --opt adagrad:lr=0.5 \
  --opt rmsprop:lr=0.01 --opt adam:lr=0.05
compare "variants" --surface rosenbrock --start -1.5,2 --steps 300 \
  --opt momentum:lr=0.0005,nesterov=1 --opt momentum:lr=0.0005,dampening=0.5 \
  --opt adam:lr=0.02,bias_correction=0 --opt adagrad:lr=0.3,variant=lecture \
  --opt rmsprop:lr=0.005,centered=1 --opt rmsprop:lr=0.005,momentum=0.5 \
  --opt adam:lr=0.01,weight_decay=0.1 --opt adagrad:lr=0.3,lr_decay=0.01
compare "himmelblau cosine warm-up" --surface himmelblau --start 0,0 --steps 400 \
  --schedule cosine:T=300,warmup=30 --opt sgd:lr=0.01 --opt adam:lr=0.1
compare "saddle onecycle" --surface saddle --start -1.5,0.01 --steps 200 \
  --schedule onecycle:T=200 --opt sgd:lr=0.05 --opt rmsprop:lr=0.01
compare "cosine held past T" --surface ravine --start -4,1 --steps 400 \
  --schedule cosine:T=150,after=hold --opt momentum:lr=0.05 --opt adam:lr=0.1
compare "step decay" --surface rosenbrock --start -1.5,2 --steps 300 \
  --schedule step:every=50,gamma=0.5 --opt adam:lr=0.05
compare "exp decay" --surface himmelblau --start 1,1 --steps 200 --schedule exp:gamma=0.99 \
  --opt adagrad:lr=1
compare "invsqrt lecture adagrad" --surface rosenbrock --start -1.5,2 --steps 300 --schedule invsqrt \
  --opt adagrad:lr=0.5,variant=lecture --opt adagrad:lr=0.5
compare "divergence" --surface rosenbrock --start -1.5,2 --steps 100 --opt sgd:lr=0.5 --opt adam:lr=0.01
finish
