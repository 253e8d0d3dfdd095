#!/usr/bin/env python3
"""torch_ref.py - an independent reference for losscape's optimizers and schedules.

Real torch is the test suite's reference (tests/ref/torch_compare.py, ctest
torch_compare). This script stays for what torch cannot check: AdaGrad's
variant=lecture, Adam's bias_correction=0 and the cosine schedule's after=hold
have no torch counterpart (tests/cli_reference.sh). It does not implement
OneCycleLR's momentum cycling (torch_compare checks that).

Mirrors torch.optim's single-tensor update code line by line in plain Python
floats (IEEE doubles, as a float64 tensor on the CPU), without numpy or torch:

    torch/optim/sgd.py       _single_tensor_sgd
    torch/optim/adagrad.py   _single_tensor_adagrad
    torch/optim/rmsprop.py   _single_tensor_rmsprop
    torch/optim/adam.py      _single_tensor_adam
    torch/optim/lr_scheduler.py  StepLR, ExponentialLR, CosineAnnealingLR
                                 (closed form), OneCycleLR (three_phase=False, cos)

The tensor operations are spelled out with the scalar formulas of ATen's CPU
kernels, in their operation order:

    t.add(o, alpha=a)           t + a*o
    t.lerp_(e, w)               t + w*(e - t) if |w| < 0.5 else e - (e - t)*(1 - w)
    t.addcmul_(a, b, value=v)   t + v*a*b        i.e. t + (v*a)*b
    t.addcdiv_(a, b, value=v)   t + v*a/b        i.e. t + (v*a)/b

Usage:
    python3 tests/ref/torch_ref.py --surface rosenbrock --start -1.5,2 --steps 500 \
        --opt adam:lr=0.01 --opt sgd:lr=0.001 [--schedule cosine:T=500,warmup=20]

prints "optimizer,step,epoch,x,y,loss,lr,batch" rows like losscape --csv: step 0
is the start (epoch 0); on a surface every step is a full pass, so the epoch
equals the step; batch "full"; lr of row s >= 1 is the rate that step used,
lr of row 0 the rate the first step will use; numbers with 17 significant digits.
Without --opt, the five optimizers run with torch's defaults. A run whose update
turns non-finite stops there (losscape marks it diverged).
"""

import math
import sys

KINDS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")


# ---- ATen scalar kernels ------------------------------------------------------------

def t_add(t, o, alpha):            # at::add with alpha (BinaryOpsKernel): self + alpha * other
    return t + alpha * o


def t_lerp(start, end, weight):    # at::native lerp (Lerp.h)
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


def t_addcmul(t, a, b, value):     # addcmul_cpu_kernel: self + value * t1 * t2
    return t + value * a * b


def t_addcdiv(t, a, b, value):     # addcdiv_cpu_kernel: self + value * t1 / t2
    return t + value * a / b


# ---- descriptors -------------------------------------------------------------------

DEFAULTS = {
    # torch.optim defaults (SGD lr=1e-3; our "momentum" kind is SGD with momentum 0.9)
    "sgd": dict(lr=1e-3, weight_decay=0.0),
    "momentum": dict(lr=1e-3, momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0),
    "adagrad": dict(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                    eps=1e-10, variant="torch"),
    "rmsprop": dict(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                    centered=False),
    "adam": dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
                 bias_correction=True),
}

ALL_KEYS = ("lr", "momentum", "dampening", "nesterov", "alpha", "centered", "beta1", "beta2",
            "bias_correction", "eps", "weight_decay", "lr_decay", "initial_accumulator_value",
            "variant")
BOOL_KEYS = ("nesterov", "centered", "bias_correction")

RANGES = {
    "lr": (lambda v: v >= 0, "lr must be >= 0"),
    "momentum": (lambda v: 0 <= v < 1, "momentum must be in [0, 1)"),
    "dampening": (lambda v: 0 <= v <= 1, "dampening must be in [0, 1]"),
    "alpha": (lambda v: 0 <= v < 1, "alpha must be in [0, 1)"),
    "beta1": (lambda v: 0 <= v < 1, "beta1 must be in [0, 1)"),
    "beta2": (lambda v: 0 <= v < 1, "beta2 must be in [0, 1)"),
    "eps": (lambda v: v >= 0, "eps must be >= 0"),
    "weight_decay": (lambda v: v >= 0, "weight_decay must be >= 0"),
    "lr_decay": (lambda v: v >= 0, "lr_decay must be >= 0"),
    "initial_accumulator_value": (lambda v: v >= 0, "initial_accumulator_value must be >= 0"),
}


class SpecError(Exception):
    pass


def parse_number(key, text):
    t = text.strip()
    if not t or "x" in t.lower() or "_" in t:
        raise SpecError(f"expected a number after '{key}='")
    try:
        v = float(t)
    except ValueError:
        raise SpecError(f"expected a number after '{key}='") from None
    if not math.isfinite(v):
        raise SpecError(f"{key}: not a finite number")
    return v


def split_spec(spec):
    name, _, rest = spec.partition(":")
    pairs = []
    if rest.strip() or ":" in spec:
        for item in rest.split(","):
            key, eq, val = item.partition("=")
            if not key.strip():
                raise SpecError("expected a key")
            if not eq:
                raise SpecError(f"expected '=' after '{key.strip()}'")
            pairs.append((key.strip(), val.strip()))
    return name.strip().lower(), pairs


def parse_opt(spec):
    """'adam:lr=0.01,beta1=0.8' -> (kind, settings), as optim_desc_parse."""
    name, pairs = split_spec(spec)
    if name not in KINDS:
        raise SpecError(f"unknown optimizer '{name}' (expected sgd, momentum, adagrad, rmsprop, adam)")
    d = dict(DEFAULTS[name])
    for key, val in pairs:
        key = key.lower()
        if key not in ALL_KEYS:
            raise SpecError(f"unknown key '{key}' for {name}")
        if key not in d:
            raise SpecError(f"key '{key}' does not apply to {name}")
        if key in BOOL_KEYS:
            if val.lower() not in ("0", "1", "true", "false"):
                raise SpecError(f"expected 0, 1, true or false after '{key}='")
            d[key] = val.lower() in ("1", "true")
        elif key == "variant":
            if val.lower() not in ("lecture", "torch"):
                raise SpecError("expected lecture or torch after 'variant='")
            d[key] = val.lower()
        else:
            v = parse_number(key, val)
            ok, msg = RANGES[key]
            if not ok(v):
                raise SpecError(msg)
            d[key] = v + 0.0
    if name == "momentum" and d["nesterov"] and (d["momentum"] <= 0 or d["dampening"] != 0):
        raise SpecError("nesterov needs momentum > 0 and dampening 0")
    return name, d


# ---- the optimizers ----------------------------------------------------------------

class Optimizer:
    """One parameter vector and its torch state. step() returns False (and changes
    nothing) when the update would be non-finite, as losscape's optim_step."""

    def __init__(self, kind, d, n):
        self.kind, self.d, self.n = kind, d, n
        self.steps = 0
        self.momentum_buffer = None                      # SGD: None until the first step
        self.sum = [d.get("initial_accumulator_value", 0.0)] * n   # Adagrad: torch.full_like
        self.square_avg = [0.0] * n                      # RMSprop
        self.grad_avg = [0.0] * n
        self.buf = [0.0] * n                             # RMSprop momentum_buffer
        self.exp_avg = [0.0] * n                         # Adam
        self.exp_avg_sq = [0.0] * n

    def step(self, params, grads, lr):
        new = getattr(self, "_" + self.kind)(list(params), list(grads), lr)
        if new is None:
            return False
        params[:] = new
        self.steps += 1
        return True

    # _single_tensor_sgd, momentum == 0
    def _sgd(self, params, grads, lr):
        wd = self.d["weight_decay"]
        for i, param in enumerate(params):
            grad = grads[i]
            if wd != 0:
                grad = t_add(grad, param, alpha=wd)      # grad = grad.add(param, alpha=weight_decay)
            params[i] = t_add(param, grad, alpha=-lr)    # param.add_(grad, alpha=-lr)
        return params if all_finite(params) else None

    # _single_tensor_sgd with momentum
    def _momentum(self, params, grads, lr):
        d = self.d
        momentum, dampening, nesterov, wd = d["momentum"], d["dampening"], d["nesterov"], d["weight_decay"]
        bufs = None if self.momentum_buffer is None else list(self.momentum_buffer)
        new_bufs = [0.0] * self.n
        for i, param in enumerate(params):
            grad = grads[i]
            if wd != 0:
                grad = t_add(grad, param, alpha=wd)
            if momentum != 0:
                if bufs is None:
                    buf = grad                                        # torch.clone(grad).detach()
                else:
                    buf = t_add(bufs[i] * momentum, grad, alpha=1 - dampening)  # buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                new_bufs[i] = buf
                if nesterov:
                    grad = t_add(grad, buf, alpha=momentum)           # grad = grad.add(buf, alpha=momentum)
                else:
                    grad = buf
            params[i] = t_add(param, grad, alpha=-lr)                 # param.add_(grad, alpha=-lr)
        if not (all_finite(params) and all_finite(new_bufs)):
            return None
        if momentum != 0:
            self.momentum_buffer = new_bufs
        return params

    # _single_tensor_adagrad (plus the lecture variant: sigma = sqrt(state_sum / step))
    def _adagrad(self, params, grads, lr):
        d = self.d
        step = float(self.steps + 1)                                  # step_t += 1; step = _get_value(step_t)
        state_sum = list(self.sum)
        clr = lr / (1 + (step - 1) * d["lr_decay"])
        for i, param in enumerate(params):
            grad = grads[i]
            if d["weight_decay"] != 0:
                grad = t_add(grad, param, alpha=d["weight_decay"])
            state_sum[i] = t_addcmul(state_sum[i], grad, grad, value=1)   # state_sum.addcmul_(grad, grad, value=1)
            if d["variant"] == "lecture":
                std = math.sqrt(state_sum[i] / step) + d["eps"]
            else:
                std = math.sqrt(state_sum[i]) + d["eps"]              # std = state_sum.sqrt().add_(eps)
            params[i] = t_addcdiv(param, grad, std, value=-clr)       # param.addcdiv_(grad, std, value=-clr)
        if not (all_finite(params) and all_finite(state_sum)):
            return None
        self.sum = state_sum
        return params

    # _single_tensor_rmsprop
    def _rmsprop(self, params, grads, lr):
        d = self.d
        alpha, eps, momentum, centered = d["alpha"], d["eps"], d["momentum"], d["centered"]
        square_avg, grad_avg, buf = list(self.square_avg), list(self.grad_avg), list(self.buf)
        for i, param in enumerate(params):
            grad = grads[i]
            if d["weight_decay"] != 0:
                grad = t_add(grad, param, alpha=d["weight_decay"])
            square_avg[i] = t_addcmul(square_avg[i] * alpha, grad, grad, value=1 - alpha)  # square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
            if centered:
                grad_avg[i] = t_lerp(grad_avg[i], grad, 1 - alpha)        # grad_avg.lerp_(grad, 1 - alpha)
                v = t_addcmul(square_avg[i], grad_avg[i], grad_avg[i], value=-1)  # square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
                if v < 0:
                    return None                                           # sqrt of a negative: NaN in torch
                avg = math.sqrt(v)
            else:
                avg = math.sqrt(square_avg[i])                            # avg = square_avg.sqrt()
            avg = avg + eps                                               # avg = avg.add_(eps)
            if momentum > 0:
                buf[i] = t_addcdiv(buf[i] * momentum, grad, avg, value=1)  # buf.mul_(momentum).addcdiv_(grad, avg)
                params[i] = t_add(param, buf[i], alpha=-lr)                # param.add_(buf, alpha=-lr)
            else:
                params[i] = t_addcdiv(param, grad, avg, value=-lr)         # param.addcdiv_(grad, avg, value=-lr)
        if not (all_finite(params) and all_finite(square_avg) and all_finite(grad_avg) and all_finite(buf)):
            return None
        self.square_avg, self.grad_avg, self.buf = square_avg, grad_avg, buf
        return params

    # _single_tensor_adam (amsgrad=False, capturable=False)
    def _adam(self, params, grads, lr):
        d = self.d
        beta1, beta2, eps = d["beta1"], d["beta2"], d["eps"]
        exp_avg, exp_avg_sq = list(self.exp_avg), list(self.exp_avg_sq)
        step = float(self.steps + 1)                                  # step_t += 1
        if d["bias_correction"]:
            bias_correction1 = 1 - beta1 ** step
            bias_correction2 = 1 - beta2 ** step
        else:
            bias_correction1 = bias_correction2 = 1.0
        step_size = lr / bias_correction1
        bias_correction2_sqrt = math.sqrt(bias_correction2)
        for i, param in enumerate(params):
            grad = grads[i]
            if d["weight_decay"] != 0:
                grad = t_add(grad, param, alpha=d["weight_decay"])
            exp_avg[i] = t_lerp(exp_avg[i], grad, 1 - beta1)              # exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq[i] = t_addcmul(exp_avg_sq[i] * beta2, grad, grad, value=1 - beta2)  # exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = (math.sqrt(exp_avg_sq[i]) / bias_correction2_sqrt) + eps  # (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
            params[i] = t_addcdiv(param, exp_avg[i], denom, value=-step_size)  # param.addcdiv_(exp_avg, denom, value=-step_size)
        if not (all_finite(params) and all_finite(exp_avg) and all_finite(exp_avg_sq)):
            return None
        self.exp_avg, self.exp_avg_sq = exp_avg, exp_avg_sq
        return params


def all_finite(xs):
    return all(math.isfinite(x) for x in xs)


# ---- schedules ---------------------------------------------------------------------

SCHED_KINDS = ("constant", "step", "exp", "invsqrt", "cosine", "onecycle")
SCHED_KEYS = {
    "constant": ("warmup",),
    "step": ("warmup", "every", "gamma"),
    "exp": ("warmup", "gamma"),
    "invsqrt": ("warmup",),
    "cosine": ("warmup", "T", "min", "after"),
    "onecycle": ("warmup", "T", "pct", "div", "final_div"),
}
SCHED_DEFAULTS = {
    "constant": {}, "invsqrt": {},
    "step": dict(every=100, gamma=0.1),
    "exp": dict(gamma=0.99),
    "cosine": dict(T=1000, min=0.0, after="periodic"),
    "onecycle": dict(T=1000, pct=0.3, div=25.0, final_div=1e4),
}


def parse_schedule(spec):
    name, pairs = split_spec(spec)
    if name not in SCHED_KINDS:
        raise SpecError(f"unknown schedule '{name}' (expected constant, step, exp, invsqrt, cosine, onecycle)")
    d = dict(SCHED_DEFAULTS[name])
    d["warmup"] = 0
    for key, val in pairs:
        canon = {k.lower(): k for k in SCHED_KEYS["onecycle"] + ("every", "gamma", "min", "after")}.get(key.lower())
        if canon is None:
            raise SpecError(f"unknown key '{key}' for {name}")
        if canon not in SCHED_KEYS[name]:
            raise SpecError(f"key '{canon}' does not apply to {name}")
        if canon == "after":
            if val.lower() not in ("periodic", "hold"):
                raise SpecError("expected periodic or hold after 'after='")
            d["after"] = val.lower()
            continue
        v = parse_number(canon, val)
        if canon in ("warmup", "every", "T"):
            if canon == "warmup" and v < 0:
                raise SpecError("warmup must be >= 0")
            if canon != "warmup" and v <= 0:
                raise SpecError(f"{canon} must be > 0")
            if v != math.floor(v):
                raise SpecError(f"{canon} must be a whole number")
            v = int(v)
        elif canon == "gamma" and not 0 < v <= 1:
            raise SpecError("gamma must be in (0, 1]")
        elif canon == "min" and not 0 <= v <= 1:
            raise SpecError("min must be in [0, 1]")
        elif canon == "pct" and not 0 < v < 1:
            raise SpecError("pct must be in (0, 1)")
        elif canon in ("div", "final_div") and not v > 0:
            raise SpecError(f"{canon} must be > 0")
        d[canon] = v
    return name, d


def annealing_cos(start, end, pct):     # OneCycleLR._annealing_cos
    cos_out = math.cos(math.pi * pct) + 1
    return end + (start - end) / 2.0 * cos_out


def onecycle(max_lr, total_steps, pct_start, div_factor, final_div_factor, step_num):
    # OneCycleLR.__init__: initial_lr = max_lr / div_factor; min_lr = initial_lr / final_div_factor
    initial_lr = max_lr / div_factor
    min_lr = initial_lr / final_div_factor
    phases = [
        (float(pct_start * total_steps) - 1, initial_lr, max_lr),
        (float(total_steps - 1), max_lr, min_lr),
    ]
    # OneCycleLR.get_lr
    start_step = 0.0
    for i, (end_step, start_lr, end_lr) in enumerate(phases):
        if step_num <= end_step or i == len(phases) - 1:
            span = end_step - start_step
            pct = (step_num - start_step) / span if span > 0 else 1.0   # torch: ZeroDivisionError
            return annealing_cos(start_lr, end_lr, pct)
        start_step = end_step
    raise AssertionError


def schedule_rate(sched, base_lr, k):
    """The rate update k (0-based) uses; as schedule_rate in schedule.c."""
    name, d = sched
    if not math.isfinite(base_lr) or base_lr <= 0:
        return 0.0
    k = max(k, 0)
    w = d["warmup"]
    if k < w:
        r = base_lr * (k + 1) / w
    else:
        k -= w
        if name == "step":
            r = base_lr * d["gamma"] ** (k // d["every"])    # StepLR closed form
        elif name == "exp":
            r = base_lr * d["gamma"] ** k                    # ExponentialLR closed form
        elif name == "invsqrt":
            r = base_lr / math.sqrt(k + 1)
        elif name == "cosine":                               # CosineAnnealingLR._get_closed_form_lr
            kk = min(k, d["T"]) if d["after"] == "hold" else k
            eta_min = d["min"] * base_lr
            r = eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * kk / d["T"])) / 2
        elif name == "onecycle":
            kk = min(k, d["T"] - 1)
            r = onecycle(base_lr, d["T"], d["pct"], d["div"], d["final_div"], kk)
        else:
            r = base_lr
    if math.isnan(r) or r < 0:
        return 0.0
    return min(r, sys.float_info.max)


# ---- surfaces (same expressions as src/core/surface.c) -------------------------------

def rosenbrock(x, y):
    u = 1.0 - x
    v = y - x * x
    return u * u + 100.0 * v * v, (-2.0 * u - 400.0 * x * v, 200.0 * v)


def himmelblau(x, y):
    p = x * x + y - 11.0
    q = x + y * y - 7.0
    return p * p + q * q, (4.0 * x * p + 2.0 * q, 2.0 * p + 4.0 * y * q)


def saddle(x, y):
    return x * x - y * y, (2.0 * x, -2.0 * y)


def ravine(x, y):
    return 0.05 * x * x + 5.0 * y * y, (0.1 * x, 10.0 * y)


SURFACES = {
    "rosenbrock": (rosenbrock, (-1.5, 2.0)),
    "himmelblau": (himmelblau, (0.0, 0.0)),
    "saddle": (saddle, (-1.5, 0.02)),
    "ravine": (ravine, (-8.0, 2.0)),
}


# ---- command line ------------------------------------------------------------------

def fmt(v):
    return format(v, ".17g")


def run(kind, d, sched, surface, start, steps, out):
    f = SURFACES[surface][0]
    opt = Optimizer(kind, d, 2)
    theta = [float(start[0]), float(start[1])]
    loss, grad = f(*theta)
    lr = schedule_rate(sched, d["lr"], 0)
    out.write(f"{kind},0,0,{fmt(theta[0])},{fmt(theta[1])},{fmt(loss)},{fmt(lr)},full\n")
    for k in range(steps):
        lr = schedule_rate(sched, d["lr"], k)
        if not (math.isfinite(loss) and all_finite(grad)) or not opt.step(theta, list(grad), lr):
            break                                             # diverged
        loss, grad = f(*theta)
        if not math.isfinite(loss):
            break                                             # diverged: losscape writes no non-finite row
        out.write(f"{kind},{k + 1},{k + 1},{fmt(theta[0])},{fmt(theta[1])},{fmt(loss)},{fmt(lr)},full\n")


def usage(msg=None):
    if msg:
        sys.stderr.write(f"torch_ref.py: {msg}\n")
    sys.stderr.write("usage: torch_ref.py [--surface rosenbrock|himmelblau|saddle|ravine] "
                     "[--start X,Y] [--steps N] [--opt SPEC]... [--schedule SPEC]\n")
    sys.exit(2)


def main(argv):
    surface, start, steps, opts, sched_spec = "rosenbrock", None, 500, [], "constant"
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        if "=" in a and a.startswith("--"):
            a, val = a.split("=", 1)
        else:
            if i + 1 >= len(argv):
                usage(f"{a} needs a value")
            val = argv[i + 1]
            i += 1
        i += 1
        try:
            if a == "--surface":
                surface = val.lower()
                if surface not in SURFACES:
                    usage(f"unknown surface '{val}' (expected {', '.join(SURFACES)})")
            elif a == "--start":
                xs = val.split(",")
                if len(xs) != 2:
                    usage("--start needs X,Y")
                start = (float(xs[0]), float(xs[1]))
            elif a == "--steps":
                steps = int(val)
            elif a == "--opt":
                opts.append(parse_opt(val))
            elif a == "--schedule":
                sched_spec = val
            else:
                usage(f"unknown option '{a}'")
        except (SpecError, ValueError) as e:
            usage(f"{a}: {e}")
    try:
        sched = parse_schedule(sched_spec)
    except SpecError as e:
        usage(f"--schedule: {e}")
    if start is None:
        start = SURFACES[surface][1]
    if not opts:
        opts = [(k, dict(DEFAULTS[k])) for k in KINDS]
    out = sys.stdout
    out.write("optimizer,step,epoch,x,y,loss,lr,batch\n")
    for kind, d in opts:
        run(kind, d, sched, surface, start, steps, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
