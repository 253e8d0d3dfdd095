#!/usr/bin/python3
"""torch_statedict.py - losscape's training core against PyTorch, through state dicts.

Usage:  /usr/bin/python3 tests/ref/torch_statedict.py BUILD/losscape [--verbose]

Builds the same MLP with batch normalization in torch (float64):
    nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
with random weights, random BN affine parameters and random running statistics,
writes its state dict as safetensors (by hand: the format needs no package) and
checks, with losscape started from that file (--params-in):

  1. the loss (evaluation mode, running statistics) equals torch's to 1e-10 relative;
  2. the full-batch gradient (training mode) equals torch's to 1e-10 relative per
     tensor (losscape takes one sgd step with lr=1 and writes --params-out, so
     g = theta0 - theta1), and so do the running statistics after that step;
  3. 100 mini-batch steps of SGD with momentum, fed in torch with the batches losscape logged
     (--batches-log), end at the same parameters and running statistics (1e-10;
     not Adam: it divides 0.bias's rounding-noise gradient by its own size, which
     turns 1e-17 into steps of lr);
  4. the file losscape writes loads into the torch model with load_state_dict
     (strict: the names and shapes are torch's own);
  5. --interpolate between the first and the trained file: at every t the loss
     and accuracy equal torch's for the state dict (1 - t)*sd0 + t*sd100 (every
     tensor, the running variance clamped at 0 as losscape documents), 1e-10.

Exit status: 0 ok, 1 a mismatch, 77 torch is not installed.
"""

import json
import os
import struct
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError:
    print("torch_statedict: python3-torch / python3-numpy not installed (bash scripts/setup.sh test)")
    sys.exit(77)

torch.set_default_dtype(torch.float64)
DT = {"F64": (np.float64, 8), "F32": (np.float32, 4), "I64": (np.int64, 8)}


def save_safetensors(path, tensors):
    """tensors: name -> numpy array (float64, float32 or int64)."""
    header, blobs, off = {}, [], 0
    for name, a in tensors.items():
        dt = {np.dtype(np.float64): "F64", np.dtype(np.float32): "F32", np.dtype(np.int64): "I64"}[a.dtype]
        b = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def load_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        np_dt, _ = DT[t["dtype"]]
        b, e = t["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype=np.dtype(np_dt).newbyteorder("<")).reshape(t["shape"])
    return out


def rel(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    d = np.linalg.norm((a - b).ravel())
    s = max(np.linalg.norm(a.ravel()), np.linalg.norm(b.ravel()))
    return 0.0 if d == 0 else d / s


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    exe = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="losscape_sd_")
    rs = np.random.RandomState(3)
    n, d, k = 96, 3, 3
    X = rs.randn(n, d) * np.array([1.0, 2.0, 0.5]) + np.array([0.3, -1.0, 2.0])
    y = ((X[:, 0] > 0.3).astype(int) + (X[:, 1] > -1.0).astype(int))   # classes 0, 1, 2
    data = os.path.join(tmp, "d.csv")
    with open(data, "w") as f:
        f.write("a,b,c,label\n")
        for i in range(n):
            f.write("%.17g,%.17g,%.17g,%d\n" % (X[i, 0], X[i, 1], X[i, 2], y[i]))

    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(d, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, k))
    with torch.no_grad():
        bn = model[1]
        bn.weight.copy_(1 + 0.3 * torch.randn(8))
        bn.bias.copy_(0.2 * torch.randn(8))
        bn.running_mean.copy_(0.5 * torch.randn(8))
        bn.running_var.copy_(0.5 + torch.rand(8))
    sd0 = {name: t.detach().numpy().copy() for name, t in model.state_dict().items()}
    w0 = os.path.join(tmp, "w0.safetensors")
    save_safetensors(w0, sd0)

    Xt, yt = torch.tensor(X), torch.tensor(y)
    common = [exe, "--headless", "--data", data + ":task=classification", "--model", "mlp:hidden=8,bn=1",
              "--loss", "ce", "--split", "0", "--params-in", w0]
    worst = {}
    failed = []

    def check(what, value, tol):
        worst[what] = value
        if not value <= tol:
            failed.append("%s: %.3g > %g" % (what, value, tol))

    # 1 + 2: loss and gradient at the loaded parameters
    csv1 = os.path.join(tmp, "one.csv")
    w1 = os.path.join(tmp, "w1.safetensors")
    subprocess.run(common + ["--batch", "full", "--opt", "sgd:lr=1", "--steps", "1", "--csv", csv1,
                             "--params-out", w1], check=True, capture_output=True)
    rows = open(csv1).read().splitlines()
    head = rows[0].split(",")
    loss0 = float(rows[1].split(",")[head.index("loss")])
    model.eval()
    with torch.no_grad():
        tloss = nn.functional.cross_entropy(model(Xt), yt).item()
    check("loss (eval mode)", rel(loss0, tloss), 1e-10)

    model.train()
    model.zero_grad()
    nn.functional.cross_entropy(model(Xt), yt).backward()
    sd1 = load_safetensors(w1)
    # Relative to the whole gradient's norm: 0.bias (a bias just before batch norm)
    # has a gradient of exactly 0 in exact arithmetic, ~1e-17 of rounding in both.
    gnorm = np.sqrt(sum(float((p.grad ** 2).sum()) for p in model.parameters()))
    for name, p in model.named_parameters():
        g_ours = sd0[name] - sd1[name]          # theta1 = theta0 - 1 * g
        check("gradient " + name, np.linalg.norm((g_ours - p.grad.numpy()).ravel()) / gnorm, 1e-10)
    for name in ("1.running_mean", "1.running_var"):
        check(name + " after 1 step", rel(sd1[name], model.state_dict()[name].numpy()), 1e-12)

    # 3: 100 Adam steps on losscape's own mini-batches
    blog = os.path.join(tmp, "batches.csv")
    w100 = os.path.join(tmp, "w100.safetensors")
    subprocess.run(common + ["--batch", "16", "--seed", "11", "--opt", "momentum:lr=0.05", "--steps", "100",
                             "--batches-log", blog, "--params-out", w100], check=True, capture_output=True)
    model.load_state_dict({k: torch.tensor(v) for k, v in sd0.items()})
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    steps = 0
    for line in open(blog).read().splitlines()[1:]:
        idx = torch.tensor([int(v) for v in line.split(",")[2].split()])
        opt.zero_grad()
        nn.functional.cross_entropy(model(Xt[idx]), yt[idx]).backward()
        opt.step()
        steps += 1
    if steps != 100:
        failed.append("batches log has %d steps, wanted 100" % steps)
    sd100 = load_safetensors(w100)
    tsd = model.state_dict()
    for name in sd0:
        if name.endswith("num_batches_tracked"):
            continue
        check("after 100 steps " + name, rel(sd100[name], tsd[name].numpy()), 1e-10)

    # F32 files load too (converted exactly): the loss of the float32-rounded weights
    w32 = os.path.join(tmp, "w32.safetensors")
    sd32 = {kk: (v.astype(np.float32) if v.dtype == np.float64 else v) for kk, v in sd0.items()}
    save_safetensors(w32, sd32)
    csv32 = os.path.join(tmp, "f32.csv")
    subprocess.run([a if a != w0 else w32 for a in common] + ["--batch", "full", "--opt", "sgd", "--steps", "0",
                                                              "--csv", csv32], check=True, capture_output=True)
    rows = open(csv32).read().splitlines()
    model.load_state_dict({kk: torch.tensor(v.astype(np.float64) if v.dtype == np.float32 else v)
                           for kk, v in sd32.items()})
    model.eval()
    with torch.no_grad():
        t32 = nn.functional.cross_entropy(model(Xt), yt).item()
    check("loss from an F32 file", rel(float(rows[1].split(",")[rows[0].split(",").index("loss")]), t32), 1e-10)

    # 5: the loss along (1 - t) * sd0 + t * sd100 (Goodfellow et al. 2015)
    icsv = os.path.join(tmp, "interp.csv")
    subprocess.run([exe, "--headless", "--data", data + ":task=classification", "--model", "mlp:hidden=8,bn=1",
                    "--loss", "ce", "--split", "0", "--interpolate", w0 + "," + w100,
                    "--interpolate-range", "-0.5,1.5,17", "--interpolate-csv", icsv],
                   check=True, capture_output=True)
    rows = [r.split(",") for r in open(icsv).read().splitlines()]
    if rows[0] != ["t", "train_loss", "train_acc"] or len(rows) != 18:
        failed.append("interpolation CSV: header %s, %d rows" % (rows[0], len(rows) - 1))
    worst_l = worst_a = 0.0
    for r in rows[1:]:
        t = float(r[0])
        sdt = {}
        for name, v in sd0.items():
            if name.endswith("num_batches_tracked"):
                sdt[name] = torch.tensor(v)
                continue
            a = (1 - t) * v + t * sd100[name]
            sdt[name] = torch.tensor(np.maximum(a, 0) if name.endswith("running_var") else a)
        model.load_state_dict(sdt)
        model.eval()
        with torch.no_grad():
            out = model(Xt)
            tl = nn.functional.cross_entropy(out, yt).item()
            ta = (out.argmax(1) == yt).double().mean().item()
        worst_l = max(worst_l, rel(float(r[1]), tl))
        worst_a = max(worst_a, abs(float(r[2]) - ta))
    check("interpolation loss, 17 t in [-0.5, 1.5]", worst_l, 1e-10)
    check("interpolation accuracy", worst_a, 1e-12)

    # 4: losscape's file loads into torch, strictly
    try:
        model.load_state_dict({k: torch.tensor(np.array(v)) for k, v in sd100.items()}, strict=True)
    except Exception as e:   # noqa: BLE001 - any failure is the finding
        failed.append("load_state_dict of losscape's file: %s" % e)

    if "--verbose" in sys.argv:
        for what, v in worst.items():
            print("  %-40s %.2g" % (what, v))
    print("torch_statedict: %d checks, worst relative difference %.3g: %s"
          % (len(worst), max(worst.values()), "ok" if not failed else "FAILED"))
    for f in failed:
        print("torch_statedict: FAIL " + f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
