#!/usr/bin/python3
"""torch_compare.py - losscape's optimizers and schedules against real PyTorch.

Usage:  /usr/bin/python3 tests/ref/torch_compare.py BUILD/losscape [--table]

Runs every case below twice: once as `losscape --headless --csv -` with one --opt
(and a --schedule), once with torch.optim and torch.optim.lr_scheduler (float64 CPU
tensors, torch's own classes: SGD, Adagrad, RMSprop, Adam, StepLR, ExponentialLR,
CosineAnnealingLR, OneCycleLR, LinearLR + SequentialLR for warm-up, LambdaLR for
1/sqrt(t), which torch lacks). The gradient handed to torch is computed by the
same closed form (same operation order) as losscape's built-in surface, so the
comparison is of the optimizers and schedules, not of the calculus; the "tiny"
cases use a formula surface and torch's autograd.

Per case it compares x, y and the rate of every step and the step at which the
run diverges (losscape stops a run at the first non-finite parameter or loss; the
torch run is checked to go non-finite at the same step). The relative difference
is |a - b| / max(|a|, |b|); a case fails above TOL = 1e-9. With --table it prints
the table (case, steps, worst relative difference) as Markdown.

Exit status: 0 all within TOL, 1 a case failed, 77 torch is not installed (ctest
skips: `bash scripts/setup.sh test` installs python3-torch).
"""

import csv
import io
import math
import subprocess
import sys
import warnings

try:
    import torch
except ImportError:
    print("torch_compare: python3-torch is not installed (bash scripts/setup.sh test)")
    sys.exit(77)

TOL = 1e-9
warnings.filterwarnings("ignore", category=UserWarning)   # SequentialLR's epoch deprecation notice
torch.set_default_dtype(torch.float64)

# ---- surfaces: value and gradient, in the operation order of src/core/surface.c ----


def rosenbrock(x, y):
    u, v = 1.0 - x, y - x * x
    return u * u + 100.0 * v * v, (-2.0 * u - 400.0 * x * v, 200.0 * v)


def himmelblau(x, y):
    p, q = x * x + y - 11.0, x + y * y - 7.0
    return p * p + q * q, (4.0 * x * p + 2.0 * q, 2.0 * p + 4.0 * y * q)


def booth(x, y):
    p, q = x + 2.0 * y - 7.0, 2.0 * x + y - 5.0
    return p * p + q * q, (2.0 * p + 4.0 * q, 4.0 * p + 2.0 * q)


def ravine(x, y):
    return 0.05 * x * x + 5.0 * y * y, (0.1 * x, 10.0 * y)


SURFACES = {"rosenbrock": rosenbrock, "himmelblau": himmelblau, "booth": booth, "ravine": ravine}


def formula_surface(expr):
    """A formula in x, y (losscape syntax with ^), differentiated by autograd."""
    code = expr.replace("^", "**")

    def f(x, y):
        tx = torch.tensor(x, requires_grad=True)
        ty = torch.tensor(y, requires_grad=True)
        v = eval(code, {"__builtins__": {}}, {"x": tx, "y": ty})
        v.backward()
        return v.item(), (tx.grad.item(), ty.grad.item())
    return f


# ---- the torch side ----------------------------------------------------------------


def parse_spec(spec):
    name, _, rest = spec.partition(":")
    kv = {}
    for item in filter(None, rest.split(",")):
        k, _, v = item.partition("=")
        kv[k] = v
    return name, kv


def make_optimizer(spec, p):
    name, kv = parse_spec(spec)
    f = lambda k, d: float(kv.get(k, d))
    b = lambda k: kv.get(k, "0") in ("1", "true")
    common = dict(weight_decay=f("weight_decay", 0), maximize=b("maximize"))
    if name == "sgd":
        return torch.optim.SGD([p], lr=f("lr", 1e-3), **common)
    if name == "momentum":
        return torch.optim.SGD([p], lr=f("lr", 1e-3), momentum=f("momentum", 0.9),
                               dampening=f("dampening", 0), nesterov=b("nesterov"), **common)
    if name == "adagrad":
        return torch.optim.Adagrad([p], lr=f("lr", 1e-2), lr_decay=f("lr_decay", 0),
                                   initial_accumulator_value=f("initial_accumulator_value", 0),
                                   eps=f("eps", 1e-10), **common)
    if name == "rmsprop":
        return torch.optim.RMSprop([p], lr=f("lr", 1e-2), alpha=f("alpha", 0.99), eps=f("eps", 1e-8),
                                   momentum=f("momentum", 0), centered=b("centered"), **common)
    if name == "adam":
        return torch.optim.Adam([p], lr=f("lr", 1e-3), betas=(f("beta1", 0.9), f("beta2", 0.999)),
                                eps=f("eps", 1e-8), amsgrad=b("amsgrad"), **common)
    raise ValueError(spec)


def make_scheduler(spec, opt, optspec):
    if not spec or spec == "constant":
        return None
    name, kv = parse_spec(spec)
    lr = opt.param_groups[0]["lr"]
    S = torch.optim.lr_scheduler
    warm = int(kv.pop("warmup", 0))
    if name == "step":
        main = lambda: S.StepLR(opt, step_size=int(kv.get("every", 100)), gamma=float(kv.get("gamma", 0.1)))
    elif name == "exp":
        main = lambda: S.ExponentialLR(opt, gamma=float(kv.get("gamma", 0.99)))
    elif name == "invsqrt":
        main = lambda: S.LambdaLR(opt, lambda k: 1 / math.sqrt(k + 1))
    elif name == "cosine":
        assert kv.get("after", "periodic") == "periodic"
        main = lambda: S.CosineAnnealingLR(opt, T_max=int(kv.get("T", 1000)), eta_min=float(kv.get("min", 0)) * lr)
    elif name == "onecycle":
        # losscape cycles the momentum of the kinds that have one in use (see --help)
        kind, okv = parse_spec(optspec)
        has = kind in ("momentum", "adam") or (kind == "rmsprop" and float(okv.get("momentum", 0)) > 0)
        cyc = has and kv.get("cycle_momentum", "1") == "1"
        main = lambda: S.OneCycleLR(opt, max_lr=lr, total_steps=int(kv.get("T", 1000)),
                                    pct_start=float(kv.get("pct", 0.3)), div_factor=float(kv.get("div", 25)),
                                    final_div_factor=float(kv.get("final_div", 1e4)),
                                    anneal_strategy=kv.get("anneal", "cos"), cycle_momentum=cyc,
                                    base_momentum=float(kv.get("base_momentum", 0.85)),
                                    max_momentum=float(kv.get("max_momentum", 0.95)))
    else:
        raise ValueError(spec)
    if warm == 0:
        return main()
    w = S.LinearLR(opt, start_factor=1.0 / warm, end_factor=1.0, total_iters=warm - 1)
    return S.SequentialLR(opt, [w, main()], milestones=[warm])


def run_torch(surface, start, steps, optspec, schedspec):
    p = torch.tensor(start, requires_grad=True)
    opt = make_optimizer(optspec, p)
    sched = make_scheduler(schedspec, opt, optspec)
    rows = [(start[0], start[1], opt.param_groups[0]["lr"])]
    for _ in range(steps):
        x, y = p.detach().tolist()
        _, g = surface(x, y)
        if not all(math.isfinite(v) for v in g):
            break
        p.grad = torch.tensor(g)
        lr = opt.param_groups[0]["lr"]
        with torch.no_grad():
            opt.step()
        nx, ny = p.detach().tolist()
        state_ok = all(torch.isfinite(t).all() for t in opt.state[p].values() if torch.is_tensor(t))
        if not (math.isfinite(nx) and math.isfinite(ny) and state_ok and math.isfinite(surface(nx, ny)[0])):
            break
        rows.append((nx, ny, lr))
        if sched:
            sched.step()
    return rows


# ---- the losscape side -------------------------------------------------------------


def run_losscape(exe, surface_arg, start, steps, optspec, schedspec):
    cmd = [exe, "--headless", "--surface", surface_arg, "--start", "%.17g,%.17g" % tuple(start),
           "--steps", str(steps), "--opt", optspec, "--csv", "-"]
    if schedspec:
        cmd += ["--schedule", schedspec]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for r in csv.DictReader(io.StringIO(out)):
        rows.append((float(r["x"]), float(r["y"]), float(r["lr"])))
    # row 0's lr is the rate the first step will use; row s >= 1 the rate step s used
    return rows


def rel(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


# ---- the cases ---------------------------------------------------------------------
# (name, surface, start, steps, optimizer spec, schedule spec)

R = ("rosenbrock", (-1.5, 2.0))
H = ("himmelblau", (0.0, 0.0))
V = ("ravine", (-4.0, 1.0))
B = ("booth", (-3.0, -2.0))
TINY = ("1e-9*x^2 + 3e-9*y^2", (1.0, -0.5))        # gradients ~1e-9: where eps sits decides
TINIER = ("1e-15*x^2 + 1e-15*y^2", (2.0, 1.0))     # gradients far below eps

CASES = [
    ("sgd defaults", *R, 500, "sgd", None),
    ("sgd weight_decay", *H, 300, "sgd:lr=0.01,weight_decay=0.1", None),
    ("sgd maximize", *V, 100, "sgd:lr=0.05,maximize=1", None),
    ("sgd lr=0 (frozen)", *R, 50, "sgd:lr=0", None),
    ("momentum defaults", *R, 500, "momentum", None),
    ("momentum dampening", *R, 300, "momentum:lr=0.0005,dampening=0.5", None),
    ("momentum nesterov", *R, 300, "momentum:lr=0.0005,nesterov=1", None),
    ("momentum maximize+wd", *B, 100, "momentum:lr=0.001,maximize=1,weight_decay=0.01", None),
    ("adagrad defaults", *R, 500, "adagrad", None),
    ("adagrad lr_decay", *R, 300, "adagrad:lr=0.3,lr_decay=0.01", None),
    ("adagrad initial_accumulator_value", *H, 300, "adagrad:lr=0.5,initial_accumulator_value=0.1", None),
    ("adagrad maximize", *V, 100, "adagrad:lr=0.1,maximize=1", None),
    ("rmsprop defaults", *R, 500, "rmsprop", None),
    ("rmsprop centered", *R, 300, "rmsprop:lr=0.005,centered=1", None),
    ("rmsprop momentum", *R, 300, "rmsprop:lr=0.005,momentum=0.5", None),
    ("rmsprop centered+momentum+alpha", *H, 300, "rmsprop:lr=0.01,centered=1,momentum=0.3,alpha=0.9", None),
    ("rmsprop maximize", *V, 100, "rmsprop:lr=0.01,maximize=1", None),
    ("adam defaults", *R, 500, "adam", None),
    ("adam tuned", *R, 500, "adam:lr=0.02,beta1=0.8,beta2=0.99", None),
    ("adam amsgrad", *R, 500, "adam:lr=0.05,amsgrad=1", None),
    ("adam weight_decay", *R, 300, "adam:lr=0.01,weight_decay=0.1", None),
    ("adam maximize+amsgrad", *V, 100, "adam:lr=0.01,maximize=1,amsgrad=1", None),
    ("adam eps=0", *H, 200, "adam:lr=0.05,eps=0", None),
    ("tiny grads sgd", *TINY, 200, "sgd:lr=1e6", None),
    ("tiny grads adagrad", *TINY, 200, "adagrad:lr=0.01", None),
    ("tiny grads rmsprop", *TINY, 200, "rmsprop:lr=0.01", None),
    ("tiny grads rmsprop centered", *TINY, 200, "rmsprop:lr=0.01,centered=1", None),
    ("tiny grads adam", *TINY, 200, "adam:lr=0.01", None),
    ("tiny grads adam amsgrad", *TINY, 200, "adam:lr=0.01,amsgrad=1", None),
    ("tinier grads adam (below eps)", *TINIER, 200, "adam:lr=0.01", None),
    ("tinier grads adagrad (below eps)", *TINIER, 200, "adagrad:lr=0.01", None),
    ("StepLR default gamma", *R, 300, "adam:lr=0.05", "step:every=50"),
    ("StepLR gamma 0.5", *H, 300, "sgd:lr=0.01", "step:every=40,gamma=0.5"),
    ("ExponentialLR", *H, 200, "adagrad:lr=1", "exp:gamma=0.99"),
    ("1/sqrt(t) (LambdaLR)", *R, 300, "adagrad:lr=0.5", "invsqrt"),
    ("CosineAnnealingLR", *H, 300, "sgd:lr=0.01", "cosine:T=300"),
    ("CosineAnnealingLR eta_min", *H, 300, "adam:lr=0.1", "cosine:T=200,min=0.1"),
    ("CosineAnnealingLR past T (periodic)", *V, 700, "momentum:lr=0.05", "cosine:T=150"),
    ("LinearLR warm-up + cosine", *H, 400, "adam:lr=0.1", "cosine:T=300,warmup=30"),
    ("LinearLR warm-up + step", *R, 300, "rmsprop:lr=0.01", "step:every=60,gamma=0.5,warmup=20"),
    ("OneCycleLR sgd", *H, 200, "sgd:lr=0.01", "onecycle:T=200"),
    ("OneCycleLR momentum (cycled)", *R, 300, "momentum:lr=0.0005", "onecycle:T=300"),
    ("OneCycleLR adam (beta1 cycled)", *R, 300, "adam:lr=0.05", "onecycle:T=300"),
    ("OneCycleLR rmsprop momentum", *H, 200, "rmsprop:lr=0.01,momentum=0.5", "onecycle:T=200"),
    ("OneCycleLR linear", *R, 300, "adam:lr=0.05", "onecycle:T=300,anneal=linear"),
    ("OneCycleLR options", *R, 250, "momentum:lr=0.0005",
     "onecycle:T=250,pct=0.4,div=10,final_div=100,base_momentum=0.8,max_momentum=0.9"),
    ("OneCycleLR no cycle_momentum", *R, 300, "adam:lr=0.05", "onecycle:T=300,cycle_momentum=0"),
    ("divergence sgd", *R, 100, "sgd:lr=0.5", None),
    ("divergence momentum", *H, 100, "momentum:lr=0.5", None),
    ("divergence maximize", *V, 2000, "sgd:lr=1,maximize=1", None),
]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    exe = sys.argv[1]
    table = "--table" in sys.argv
    failed = 0
    worst_all = 0.0
    lines = ["| case | optimizer | schedule | steps | worst relative difference |",
             "|---|---|---|---|---|"]
    for name, surf, start, steps, optspec, sched in CASES:
        fn = SURFACES.get(surf) or formula_surface(surf)
        ours = run_losscape(exe, surf, start, steps, optspec, sched)
        ref = run_torch(fn, list(start), steps, optspec, sched)
        worst = 0.0
        problem = None
        if len(ours) != len(ref):
            problem = "losscape ran %d steps, torch %d before diverging" % (len(ours) - 1, len(ref) - 1)
        for k, (a, b) in enumerate(zip(ours, ref)):
            cols = (0, 1, 2) if k > 0 else (0, 1)
            for c in cols:
                worst = max(worst, rel(a[c], b[c]))
        if worst > TOL and not problem:
            problem = "differs by %.3g relative" % worst
        worst_all = max(worst_all, worst)
        status = "ok" if not problem else "FAIL: " + problem
        lines.append("| %s | `%s` | %s | %d | %.2g |" % (name, optspec, "`%s`" % sched if sched else "constant",
                                                         len(ours) - 1, worst))
        if problem:
            failed += 1
            print("torch_compare: %s: %s" % (name, status))
    if table:
        print("\n".join(lines))
    print("torch_compare: %d cases against torch %s, worst relative difference %.3g (tolerance %g): %s"
          % (len(CASES), torch.__version__, worst_all, TOL, "ok" if not failed else "%d FAILED" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
