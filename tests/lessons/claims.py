#!/usr/bin/env python3
"""claims.py — the claim tests T* of the fourteen lessons (shared/LESSONS.md §3).

Run by ctest as: claims.py LOSSCAPE LESSON   (LESSON: L1 .. L14)

Every claim runs the built-in lesson scene itself (--scene lesson-NAME), headless,
with at most a few overrides on top (another start, seed, step count, or the runs the
claim measures), so that a scene and the caption that quotes its numbers cannot drift
apart. Each claim prints what it measured ("T1a ... measured ...") and fails with
the numbers when it does not hold. Claims over random data hold for seeds 1, 2, 3.
"""
import csv
import io
import math
import os
import statistics
import subprocess
import sys

LOSSCAPE = sys.argv[1]
FAILED = []
# The seeds of the claims over random data. The sanitizer pass (tests/CMakeLists.txt sets
# LOSSCAPE_SANITIZED=1 in a LOSSCAPE_SANITIZE build) takes seed 1 only: seeds 2 and 3 run
# the same code on other random numbers, where ASan and UBSan learn nothing new, and
# the normal pass checks every claim on all three.
SEEDS = (1,) if os.environ.get("LOSSCAPE_SANITIZED") == "1" else (1, 2, 3)


def run(*args, ok_codes=(0,)):
    """Run losscape; return (stdout, stderr)."""
    p = subprocess.run([LOSSCAPE, *args], capture_output=True, text=True, timeout=600)
    if p.returncode not in ok_codes:
        raise SystemExit(f"losscape {' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
    return p.stdout, p.stderr


def rows(scene, *args):
    """The CSV rows of a headless run of the lesson scene (with overrides)."""
    out, _ = run("--scene", scene, "--headless", "--csv", "-", *args)
    return list(csv.DictReader(io.StringIO(out)))


def series(rs, run_name, key, problem="main"):
    """{step: float(value)} of one run."""
    return {int(r["step"]): float(r[key]) for r in rs
            if r["run"] == run_name and r["problem"] == problem and r[key] != ""}


def claim(name, ok, measured):
    print(f"{name}: {'PASS' if ok else 'FAIL'}  measured {measured}")
    if not ok:
        FAILED.append(name)


def critical(scene, *args):
    out, _ = run("--scene", scene, "--critical-points", *args)
    return list(csv.DictReader(io.StringIO(out)))


def summary_line(text, label, prefix=""):
    for line in text.splitlines():
        if line.startswith(prefix + label + " ") or line.startswith(prefix + label + "\t"):
            return line
    raise SystemExit(f"no summary line for {prefix}{label} in:\n{text}")


def field(line, name):
    """The number after the words `name` ("test acc") in a summary line."""
    parts, words = line.split(), name.split()
    for i in range(len(parts) - len(words)):
        if parts[i:i + len(words)] == words:
            return float(parts[i + len(words)])
    raise SystemExit(f"no '{name}' in: {line}")


# ---- the lessons ---------------------------------------------------------------

def L1():
    s = "lesson-saddle-w1w2"
    cp = critical(s)
    sad = [r for r in cp if r["type"] == "saddle"]
    ok = (len(sad) == 1 and float(sad[0]["x"]) == 0 and float(sad[0]["y"]) == 0 and
          float(sad[0]["lambda1"]) <= -1.999999 and float(sad[0]["lambda2"]) >= 1.999999 and
          float(sad[0]["escape_x"]) * float(sad[0]["escape_y"]) >= 0.4999)
    claim("T1a one saddle at (0,0), lambda -2, 2, escape along (1,1)", ok,
          [(r["x"], r["y"], r["lambda1"], r["lambda2"], r["escape_x"], r["escape_y"]) for r in sad])
    rs = rows(s, "--start", "0.0707106781,0.0707106781", "--steps", "0")
    loss = float(rs[0]["loss"])
    claim("T1b Taylor: loss at distance 0.1 along (1,1) is 0.99 +- 1e-4", abs(loss - 0.99) <= 1e-4,
          f"loss {loss:.9g}, |loss - 0.99| = {abs(loss - 0.99):.3g}")
    claim("T1c the valley w1*w2 = 1 is one non-isolated minimum (at most 4 rows)",
          len(cp) <= 4 and any(r["type"] == "flat-minimum" for r in cp),
          f"{len(cp)} rows: {[r['type'] for r in cp]}")


def L2():
    s = "lesson-saddle-escape"
    rs = rows(s, "--start", "0,0", "--steps", "100",
              "--opt", "sgd:lr=0.0078", "--opt", "momentum:lr=0.0009", "--opt", "adagrad:lr=0.04",
              "--opt", "rmsprop:lr=0.0035", "--opt", "adam:lr=0.0045")
    m = max(abs(float(r["x"])) + abs(float(r["y"])) for r in rs)
    claim("T2a started exactly at the saddle nothing moves (all five optimizers)", m == 0 and len(rs) == 505,
          f"max |x|+|y| = {m} over {len(rs)} rows")
    rs = rows(s)
    y = series(rs, "sgd", "y")
    claim("T2b SGD from (0, 1e-6): |y| at step 300 < 1e-3", abs(y[300]) < 1e-3, f"|y| = {abs(y[300]):.3g}")
    ya = series(rs, "adam", "y")
    first = min((k for k, v in ya.items() if abs(v) > 1), default=None)
    claim("T2c Adam's first step with |y| > 1 is <= 200", first is not None and first <= 200, f"step {first}")


def L3():
    s = "lesson-momentum-ball"
    rs = rows(s)
    x_sgd = series(rs, "sgd", "x")[400]
    x_mom = series(rs, "momentum", "x")[400]
    claim("T3a SGD stops in the shallow minimum: x(400) >= 1.12", x_sgd >= 1.12, f"x = {x_sgd:.5g}")
    claim("T3b momentum reaches the deeper one: x(400) <= -1.29", x_mom <= -1.29, f"x = {x_mom:.5g}")
    rs = rows(s, "--surface", "x + 0*y", "--domain", "-100,10,-1,1", "--start", "0,0",
              "--opt", "momentum:lr=0.01", "--steps", "100")
    x = series(rs, "momentum", "x")
    r = (x[99] - x[100]) / 0.01
    claim("T3c momentum is a weighted sum of past gradients: (x99 - x100)/eta >= 9.9", r >= 9.9, f"{r:.6g}")


def L4():
    s = "lesson-ravine-adagrad"
    rs = rows(s)
    loss = series(rs, "sgd", "loss")
    m = min(v for k, v in loss.items() if 100 <= k <= 300)
    claim("T4a SGD's loss over steps 100-300 stays >= 19.9", m >= 19.9, f"min {m:.8g}")
    g = series(rs, "sgd", "grad_norm")[300]
    claim("T4b SGD's gradient norm at step 300 >= 19.9 (grad_norm column)", g >= 19.9, f"{g:.8g}")
    x, y = series(rs, "adagrad", "x"), series(rs, "adagrad", "y")
    gx, gy = 0.1 * x[0], 10 * y[0]   # the ravine: L = 0.05 x^2 + 5 y^2
    ratio = ((x[1] - x[0]) / gx) / ((y[1] - y[0]) / gy)
    claim("T4c AdaGrad's per-parameter rate ratio at step 1 >= 10", ratio >= 10, f"{ratio:.6g}")
    l = series(rs, "adagrad", "loss")[300]
    claim("T4d AdaGrad's loss at step 300 <= 1e-6", l <= 1e-6, f"{l:.3g}")


def L5():
    s = "lesson-adagrad-rms-decay"
    rs = rows(s)
    fixed, decayed, torch = "lecture RMS fixed η", "lecture RMS η/√t", "PyTorch root-sum"
    y, loss = series(rs, fixed, "y"), series(rs, fixed, "loss")
    my = max(abs(v) for k, v in y.items() if k >= 50)
    ml = max(v for k, v in loss.items() if k >= 50)
    claim("T5a fixed eta: max |y| over steps >= 50 is >= 1", my >= 1, f"{my:.4g}")
    claim("T5b fixed eta: max loss over steps >= 50 is >= 23.2 (the start)", ml >= 23.2,
          f"{ml:.4g} (start {loss[0]:.4g})")
    jump = min((k for k, v in y.items() if k > 5 and abs(v) > 1), default=None)
    claim("T5e the caption's '~55 steps on the floor': the first jump (|y| > 1 after step 5) at step 45..70",
          jump is not None and 45 <= jump <= 70, f"step {jump}")
    yd = series(rs, decayed, "y")
    md = max(abs(v) for k, v in yd.items() if k >= 50)
    claim("T5c 1/sqrt(t): max |y| over steps >= 50 is <= 1e-6", md <= 1e-6, f"{md:.3g}")
    ld, lt = series(rs, decayed, "loss"), series(rs, torch, "loss")
    rel = max(abs(ld[k] - lt[k]) / max(abs(lt[k]), 1e-300) for k in range(0, 101))
    claim("T5d lecture + 1/sqrt(t) is PyTorch's AdaGrad: max relative loss difference (steps <= 100) <= 1e-6",
          rel <= 1e-6, f"{rel:.3g}")


def L6():
    s = "lesson-adam-first-steps"
    rs = rows(s, "--steps", "1")

    def dx(name):
        x = series(rs, name, "x")
        return abs(x[1] - x[0])
    a, b = dx("Adam"), dx("Adam no bias corr.")
    claim("T6a Adam's first step |dx| = 0.1 +- 1e-7", abs(a - 0.1) <= 1e-7, f"{a:.9g}")
    claim("T6b without bias correction |dx| >= 0.316", b >= 0.316, f"{b:.9g} ({b / a:.4g}x)")
    c, t = dx("RMSProp (lecture)"), dx("RMSProp (PyTorch)")
    claim("T6c rmsprop:variant=lecture steps |dx| = 0.1 at step 1 (PyTorch's: 10x)",
          abs(c - 0.1) <= 1e-7 and t > 0.99, f"lecture {c:.9g}, PyTorch {t:.9g}")


def L7():
    s = "lesson-warmup"
    for seed in SEEDS:
        rs = rows(s, "--seed", str(seed), "--plane", "random")   # (pca would run it twice)
        res = {}
        for name in ("no warm-up", "warm-up 200"):
            loss = series(rs, name, "loss")
            res[name] = max(loss[k] for k in range(1, 51)) / loss[0]
        claim(f"T7 seed {seed}: without warm-up max loss/L0 over updates 1-50 >= 1.3",
              res["no warm-up"] >= 1.3, f"{res['no warm-up']:.4g}")
        claim(f"T7 seed {seed}: with warm-up max loss/L0 over updates 1-50 <= 1.02",
              res["warm-up 200"] <= 1.02, f"{res['warm-up 200']:.4g}")


def L8():
    s = "lesson-batch-noise"
    rs = rows(s)
    std = {}
    for name in ("batch 1", "batch 16", "full batch"):
        loss = series(rs, name, "loss")
        std[name] = statistics.pstdev(loss[k] for k in range(401, 601))
    claim("T8 batch 1: std of loss over updates 401-600 >= 1e-4", std["batch 1"] >= 1e-4, f"{std['batch 1']:.3g}")
    claim("T8 batch 16: std <= 1e-4 and below batch 1's / 10", std["batch 16"] <= 1e-4 and
          std["batch 16"] <= std["batch 1"] / 10, f"{std['batch 16']:.3g}")
    claim("T8 full batch: std <= 1e-9", std["full batch"] <= 1e-9, f"{std['full batch']:.3g}")
    ep = {n: [r for r in rs if r["run"] == n and r["step"] == "600"][0]["epoch"]
          for n in ("batch 1", "batch 16", "full batch")}
    claim("T8 final epochs = ceil(600*B/256): 3, 38, 600",
          ep == {"batch 1": "3", "batch 16": "38", "full batch": "600"}, ep)


def L9():
    s = "lesson-batch-generalization"
    acc = {"batch 8": [], "full batch": []}
    sharp = {"batch 8": [], "full batch": []}
    for seed in SEEDS:
        # the summary (test accuracy; printed only without a CSV), then the CSV with the
        # sharpness column the scene's own `sharpness` key asks for; --plane random: the
        # view plane does not change training, pca would run it twice
        err, _ = run("--scene", s, "--headless", "--seed", str(seed), "--plane", "random")
        rs = rows(s, "--seed", str(seed), "--plane", "random")
        if "sharpness" not in rs[0]:
            raise SystemExit("lesson 9's CSV has no sharpness column: the scene key `sharpness` is not used")
        for n in acc:
            acc[n].append(field(summary_line(err, n), "test acc"))
            sharp[n].append(series(rs, n, "sharpness")[3000])
    gap = statistics.mean(acc["batch 8"]) - statistics.mean(acc["full batch"])
    claim("T9a mean test acc(B=8) - mean test acc(full) >= -0.02 (a deliberately weak bound)", gap >= -0.02,
          f"{statistics.mean(acc['batch 8']):.3f} vs {statistics.mean(acc['full batch']):.3f}, gap {gap:+.3f} "
          f"(per seed {acc})")
    if SEEDS == (1, 2, 3):   # the caption quotes the mean over the three seeds
        claim("T9a the caption's numbers: mean test acc 0.900 (batch 8) vs 0.890 (full batch)",
              round(statistics.mean(acc["batch 8"]), 3) == 0.900 and round(statistics.mean(acc["full batch"]), 3) == 0.890,
              f"{statistics.mean(acc['batch 8']):.4f} vs {statistics.mean(acc['full batch']):.4f}")
    for i, seed in enumerate(SEEDS):
        claim(f"T9c seed {seed}: sharpness lambda_max(full batch) > lambda_max(batch 8)",
              sharp["full batch"][i] > sharp["batch 8"][i],
              f"full {sharp['full batch'][i]:.4g}, batch 8 {sharp['batch 8'][i]:.4g}")
    claim("T9c the caption's ranges: full batch 19-85, batch 8 1.7-3.0 (to the digits quoted)",
          18.5 <= min(sharp["full batch"]) and max(sharp["full batch"]) < 85.5 and
          1.65 <= min(sharp["batch 8"]) and max(sharp["batch 8"]) < 3.05,
          f"full {[round(v, 3) for v in sharp['full batch']]}, batch 8 {[round(v, 3) for v in sharp['batch 8']]}")


def L9b():
    """T9b on the lesson's own scene with LESSONS.md's xor settings (xor 2-2-2 tanh, 2000
    updates, batch 4 vs full batch, both at lr 1.0): LESSONS.md's 12 seeds reproduce its
    10 - 8, but three more sets of 12 seeds do not keep the sign, so the effect is the
    seeds' luck and the caption does not cite it. Tested: the 12 seeds as written, and
    over all 48 that neither batch solves more than 3 seeds more than the other (while
    training works: each solves at least 30)."""
    s = "lesson-batch-generalization"
    solved = {"batch 4": [], "full batch": []}
    # the sanitizer pass: the first set of 12 seeds only (the same code on other numbers)
    nseeds = 12 if len(SEEDS) == 1 else 48
    for seed in range(1, nseeds + 1):
        out, _ = run("--scene", s, "--headless", "--seed", str(seed), "--plane", "random",
                     "--data", "xor", "--model", "mlp:hidden=2,act=tanh", "--split", "0",
                     "--steps", "2000", "--opt", "sgd:lr=1.0,batch=4,label=batch 4",
                     "--opt", "sgd:lr=1.0,batch=full,label=full batch")
        for n in solved:
            solved[n].append(field(summary_line(out, n), "train acc") == 1.0)
    per_set = [(sum(solved["batch 4"][k:k + 12]), sum(solved["full batch"][k:k + 12]))
               for k in range(0, nseeds, 12)]
    a, b = per_set[0]
    claim("T9b as LESSONS.md writes it (seeds 1-12): seeds solved with batch 4 - with full batch >= 1",
          a - b >= 1, f"{a} - {b} = {a - b}")
    if nseeds < 48:
        return
    ta, tb = sum(solved["batch 4"]), sum(solved["full batch"])
    claim("T9b over 48 seeds the batch size does not decide it: |solved(4) - solved(full)| <= 3, "
          "each >= 30 of 48", abs(ta - tb) <= 3 and min(ta, tb) >= 30,
          f"{ta} vs {tb} of 48; per set of 12 seeds (batch 4, full): {per_set}")


def L10():
    s = "lesson-feature-scaling"
    a = critical(s)
    b = critical(s, "--standardize")
    ra = float(a[0]["lambda2"]) / float(a[0]["lambda1"])
    rb = float(b[0]["lambda2"]) / float(b[0]["lambda1"])
    claim("T10a unscaled: condition number lambda2/lambda1 >= 1000", len(a) == 1 and ra >= 1000, f"{ra:.6g}")
    claim("T10b scaled: condition number <= 1.2", len(b) == 1 and rb <= 1.2, f"{rb:.5g}")
    la, lb = float(a[0]["loss"]), float(b[0]["loss"])
    r = max(la, lb) / min(la, lb)
    claim("T10c the same regression: minimum losses match (ratio <= 1.01)", r <= 1.01,
          f"{la:.6g} vs {lb:.6g}, ratio {r:.6g}")
    rs = rows(s)
    lu, ls = series(rs, "sgd", "loss")[300], series(rs, "sgd", "loss", "compare")[300]
    claim("T10d at their own rates the scaled problem reaches its minimum, the unscaled does not (300 steps)",
          ls <= 1.01 * lb and lu > 10 * la, f"unscaled {lu:.4g}, scaled {ls:.6g}")


def L11():
    s = "lesson-softmax-sigmoid"
    rs = rows(s)
    a, b = series(rs, "sgd", "loss"), series(rs, "sgd", "loss", "compare")
    d = max(abs(a[k] - b[k]) for k in range(0, 51))
    claim("T11a softmax at eta and sigmoid at 2 eta: max loss difference over 50 steps <= 1e-12",
          d <= 1e-12 and len(a) == 51, f"{d:.3g}")
    rs = rows(s, "--data", "", "--surface", "log(exp(x)+exp(y)+1) - y", "--start", "0,2.0794415416798357",
              "--steps", "0", "--layout", "overlay")
    l = float(rs[0]["loss"])
    claim("T11b the notes' example: -ln 0.8 = 0.22314 +- 1e-4", abs(l - 0.22314) <= 1e-4,
          f"{l:.7g} (-ln 0.7 would be {-math.log(0.7):.4f})")


def L12():
    s = "lesson-ce-vs-mse"
    rs = rows(s)
    gce, gmse = series(rs, "sgd", "grad_norm")[0], series(rs, "sgd", "grad_norm", "compare")[0]
    claim("T12a gradient norm at the start, CE over MSE, >= 10", gce / gmse >= 10,
          f"{gce:.4g} / {gmse:.4g} = {gce / gmse:.3g}")
    ce, mse = series(rs, "sgd", "loss")[300], series(rs, "sgd", "loss", "compare")[300]
    claim("T12b SGD, 300 steps: CE loss <= 0.05 and MSE loss >= 1.999", ce <= 0.05 and mse >= 1.999,
          f"CE {series(rs, 'sgd', 'loss')[0]:.4g} -> {ce:.4g}, MSE -> {mse:.8g}")
    # the data twin: logistic regression on two blobs, the same weights scored by CE and MSE
    rs = rows(s, "--data", "blobs:n=200,k=2", "--model", "logistic:bias=0", "--start", "4,0",
              "--compare", "loss=mse", "--opt", "sgd:lr=0.1", "--steps", "200")
    g1, g2 = series(rs, "sgd", "grad_norm")[0], series(rs, "sgd", "grad_norm", "compare")[0]
    c, m = series(rs, "sgd", "loss"), series(rs, "sgd", "loss", "compare")
    claim("T12c data twin: gradient ratio CE/MSE >= 10, MSE loss(200)/loss(0) >= 0.99, CE <= 0.01",
          g1 / g2 >= 10 and m[200] / m[0] >= 0.99 and c[200] / c[0] <= 0.01,
          f"ratio {g1 / g2:.5g}, MSE {m[200] / m[0]:.6g}, CE {c[200] / c[0]:.3g}")
    rs = rows(s)
    am = series(rs, "adam", "loss", "compare")[300]
    claim("T12d Adam escapes the MSE plateau (loss < 1 after 300 steps)", am < 1, f"{am:.4g}")


def L13():
    s = "lesson-batchnorm-train"
    _, err = run("--scene", s, "--headless", "--steps", "300", "--opt", "sgd:lr=0.0001,label=1e-4",
                 "--opt", "sgd:lr=0.001,label=1e-3", "--opt", "sgd:lr=0.01,label=1e-2",
                 "--opt", "sgd:lr=0.1,label=1e-1")
    div = [l for l in err.splitlines() if l.startswith("losscape: main: ") and "diverged" in l]
    steps = [int(l.split("diverged at step ")[1].split()[0]) for l in div]
    claim("T13a without batch norm SGD diverges at 4 of 4 rates (1e-4 .. 0.1), within 7 steps (the caption)",
          len(div) == 4 and max(steps) <= 7, f"{len(div)} diverged, at steps {steps}")
    rs = rows(s)
    l = series(rs, "sgd", "loss", "compare")[300]
    claim("T13b with batch norm, lr 1e-3, 300 steps: loss <= 4", l <= 4, f"{l:.4g}")
    base = ("--data", "moons:n=400,noise=0.1", "--split", "0.25", "--batch", "32", "--opt", "sgd:lr=0.5",
            "--layout", "overlay")
    fin = {}
    for pos, model in (("before", "mlp:hidden=16x16,act=sigmoid,bn=1,bn_pos=before"),
                       ("after", "mlp:hidden=16x16,act=sigmoid,bn=1,bn_pos=after"),
                       ("none", "mlp:hidden=16x16,act=sigmoid,bn=0")):
        rs = rows(s, *base, "--model", model)
        fin[pos] = series(rs, "sgd", "loss")[300]
    claim("T13c sigmoid: BN before the activation beats after (ratio < 1) and none (ratio < 0.5)",
          fin["before"] / fin["after"] < 1 and fin["before"] / fin["none"] < 0.5,
          f"before {fin['before']:.4g}, after {fin['after']:.4g}, none {fin['none']:.4g}")


def L14():
    s = "lesson-batchnorm-test"
    rs = rows(s)
    m = [(r["x"], r["y"]) for r in rs if r["problem"] == "main"]
    c = [(r["x"], r["y"]) for r in rs if r["problem"] == "compare"]
    claim("T14a training does not depend on p: the printed x, y are identical", m == c and len(m) == 601,
          f"{len(m)} rows each, identical: {m == c}")
    l9, l0 = series(rs, "sgd", "loss")[600], series(rs, "sgd", "loss", "compare")[600]
    claim("T14b eval loss(p = 0) / eval loss(p = 0.9) >= 2", l0 / l9 >= 2,
          f"p=0.9 {l9:.4g}, p=0 {l0:.4g}, ratio {l0 / l9:.3g}")
    # T14d: the moving averages against the loss with the whole training set's batch
    # statistics (train_mode_loss), seeds 1-3. On the scene (two BN layers, batch 8) they
    # are 9-12 % above it, for a reason: the second layer's averages are gathered while
    # the first layer is normalized with 8-sample statistics, which spreads its outputs
    # more than the whole set's statistics do. With one BN layer, or batches of 64, the
    # same moving averages are within 5 %; p = 0 stays 2x off on the scene.
    one_layer = []
    for seed in SEEDS:
        r2 = rs if seed == 1 else rows(s, "--seed", str(seed), "--plane", "random")
        t9 = series(r2, "sgd", "train_mode_loss")[600]
        e9, e0 = series(r2, "sgd", "loss")[600], series(r2, "sgd", "loss", "compare")[600]
        claim(f"T14d seed {seed}: two BN layers, batch 8: moving averages (p = 0.9) within 15% of the "
              "train-mode loss, p = 0 at least 2x off", abs(e9 - t9) / t9 <= 0.15 and e0 / t9 >= 2,
              f"train mode {t9:.4g}, p=0.9 {e9:.4g} ({100 * (e9 - t9) / t9:+.1f}%), p=0 {e0:.4g} ({e0 / t9:.3g}x)")
        r1 = rows(s, "--seed", str(seed), "--plane", "random", "--layout", "overlay",
                  "--model", "mlp:hidden=16,act=relu,bn=1,momentum=0.9")
        t1, e1 = series(r1, "sgd", "train_mode_loss")[600], series(r1, "sgd", "loss")[600]
        r64 = rows(s, "--seed", str(seed), "--plane", "random", "--layout", "overlay", "--batch", "64")
        t64, e64 = series(r64, "sgd", "train_mode_loss")[600], series(r64, "sgd", "loss")[600]
        claim(f"T14d seed {seed}: why: with one BN layer, and with batches of 64, the moving averages are "
              "within 5% of the train-mode loss", abs(e1 - t1) / t1 <= 0.05 and abs(e64 - t64) / t64 <= 0.05,
              f"one layer {100 * (e1 - t1) / t1:+.1f}%, batch 64 {100 * (e64 - t64) / t64:+.1f}%")
        one_layer.append(100 * (e1 - t1) / t1)
        if seed == 1:
            # the caption quotes the scene's own run (seed 1) to the digits it gives
            gap = 100 * (e9 - t9) / t9
            claim("T14d the caption's numbers (seed 1): p = 0.9 0.052, train mode 0.048, '9 % above', p = 0 0.214",
                  round(e9, 3) == 0.052 and round(t9, 3) == 0.048 and math.floor(gap) == 9 and round(e0, 3) == 0.214,
                  f"p=0.9 {e9:.5g}, train mode {t9:.5g}, gap {gap:+.2f}%, p=0 {e0:.5g}")
    claim("T14d the caption's 'with one BN layer the gap is 1 %': |gap| <= 1.5 % for seeds 1-3",
          max(abs(g) for g in one_layer) <= 1.5, [f"{g:+.2f}%" for g in one_layer])
    rs = rows(s, "--batch", "2", "--steps", "3000", "--layout", "overlay", "--opt", "sgd:lr=0.05")
    rs0 = rows(s, "--batch", "2", "--steps", "3000", "--layout", "overlay", "--opt", "sgd:lr=0.05",
               "--model", "mlp:hidden=16x16,act=relu,bn=0")
    bn, nobn = series(rs, "sgd", "loss")[3000], series(rs0, "sgd", "loss")[3000]
    claim("T14c batches of 2, 20 epochs: loss(BN) / loss(no BN) >= 5, and the caption's '77x' (77 <= ratio < 78)",
          bn / nobn >= 5 and 77 <= bn / nobn < 78,
          f"BN {bn:.4g}, no BN {nobn:.4g}, ratio {bn / nobn:.3g}")


if __name__ == "__main__":
    globals()[sys.argv[2]]()
    if FAILED:
        print("FAILED:", ", ".join(FAILED))
        sys.exit(1)
