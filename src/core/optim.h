/*
 * optim.h — the five optimizers, with PyTorch's torch.optim semantics.
 *
 * Each update follows the single-tensor code path of torch.optim (CPU default):
 * same update order, same defaults, same placement of eps, Adam's bias
 * correction, so a trajectory here matches the one a user gets in PyTorch.
 * With g the gradient at θ and η the rate of this step (already scheduled):
 *
 *   SGD       θ ← θ − η g
 *   momentum  (torch SGD with momentum μ, dampening τ)
 *             b ← g on the first step, else b ← μ b + (1−τ) g
 *             d ← g + μ b if nesterov, else b;     θ ← θ − η d
 *             (with a constant η this is the lecture's m ← λm − ηg, θ ← θ + m)
 *   AdaGrad   s ← s + g²;  θ ← θ − η' g / (√s + ε),  η' = η / (1 + (t−1) lr_decay)
 *             variant=lecture: σ = √(s / t) (root mean square, not root sum), θ ← θ − η g / (σ + ε)
 *   RMSProp   v ← α v + (1−α) g²;  θ ← θ − η g / (√v + ε)   (momentum, centered as torch)
 *             variant=lecture: the first step sets v ← g² (σ₀ = |g₀|, as the lecture
 *             writes it) instead of torch's v₀ = 0, so the first step is η·sign(g),
 *             not η/√(1−α) = 10η at α = 0.99
 *   Adam      m ← lerp(m, g, 1−β₁);  v ← β₂ v + (1−β₂) g²;  t ← t+1
 *             θ ← θ − (η / (1−β₁ᵗ)) m / (√v / √(1−β₂ᵗ) + ε)
 *             bias_correction=0 drops both (1−βᵗ) factors
 *             amsgrad=1: v̂ ← max(v̂, v) and √v̂ replaces √v in the denominator
 *
 * Weight decay (L2, added to g) is supported for all, as in torch; so is
 * maximize=1 (g ← −g before everything else: the run climbs).
 * lr = 0 is accepted (a frozen run), as torch accepts it.
 * Momentum cycling (OneCycleLR's cycle_momentum) goes through
 * optim_set_cycled_momentum: it replaces μ (momentum), β₁ (adam) or rmsprop's
 * momentum (only when that is in use) for the following steps.
 *
 * Descriptors are zero-initialised to defaults: `(optim_desc){ .kind = OPT_ADAM }`
 * is torch's Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8). A field whose 0 is a real
 * value (beta1 = 0, eps = 0, momentum = 0 for the momentum kind, alpha = 0) is set to
 * 0 by naming its flag in `zero_mask`; the parser does that for "beta1=0".
 *
 * Index
 *     optim_kind, optim_desc, OPTIM_ZERO_*
 *     optim_kind_name(kind) / optim_kind_from_name(name)
 *     optim_desc_defaults(desc)           fill defaults in place
 *     optim_desc_validate(desc, err)
 *     optim_desc_parse(spec, desc, err)   "adam:lr=0.01,beta1=0.8"
 *     optim_desc_format(desc, buf, size)  the inverse, for scene files
 *     optim_create(desc, n) / optim_destroy(o)
 *     optim_reset(o)                      forget state (step count, moments)
 *     optim_set_desc(o, desc)             live change; keeps state
 *     optim_desc_get(o)
 *     optim_step(o, theta, grad, lr)      one update
 *     optim_set_cycled_momentum(o, m)     OneCycleLR's momentum / β₁ cycling
 *     optim_steps_taken(o)
 *     optim_sigma(o, out)                 per-parameter σ (adaptive methods)
 *     optim_velocity(o)                   momentum buffer / first moment
 *     optim_preview(o, theta, grad, lr, pv)        the next update's parts, no step
 *     optim_step_narrated(o, theta, grad, lr, pv)  the step, with its parts
 */
#ifndef LOSSCAPE_OPTIM_H
#define LOSSCAPE_OPTIM_H

#include "core/diag.h"

typedef enum optim_kind {
    OPT_DEFAULT = 0,    /* resolves to OPT_SGD */
    OPT_SGD,
    OPT_MOMENTUM,
    OPT_ADAGRAD,
    OPT_RMSPROP,
    OPT_ADAM,
    OPT_KIND_COUNT
} optim_kind;

typedef enum optim_variant {
    OPTIM_VARIANT_TORCH = 0,    /* torch.optim's formula */
    OPTIM_VARIANT_LECTURE       /* AdaGrad: σ is the root *mean* square of past gradients;
                                   RMSProp: σ₀ = |g₀| (the first step sets v = g²) */
} optim_variant;

/* Flags for optim_desc.zero_mask: "this field is 0 on purpose, not unset". */
enum {
    OPTIM_ZERO_LR       = 1 << 0,
    OPTIM_ZERO_MOMENTUM = 1 << 1,
    OPTIM_ZERO_ALPHA    = 1 << 2,
    OPTIM_ZERO_BETA1    = 1 << 3,
    OPTIM_ZERO_BETA2    = 1 << 4,
    OPTIM_ZERO_EPS      = 1 << 5
};

typedef struct optim_desc {
    optim_kind kind;
    double lr;            /* base learning rate η; default torch's: sgd/momentum 1e-3, adagrad 1e-2, rmsprop 1e-2, adam 1e-3 */
    double momentum;      /* momentum: μ (default 0.9); rmsprop: momentum (default 0 = none) */
    double dampening;     /* momentum: torch's dampening τ (default 0) */
    int nesterov;         /* momentum: 1 = Nesterov's form (needs dampening 0) */
    double alpha;         /* rmsprop: smoothing α of the squared-gradient average (default 0.99) */
    int centered;         /* rmsprop: 1 = divide by an estimate of the variance instead */
    double beta1, beta2;  /* adam: moment decay rates (defaults 0.9, 0.999) */
    int no_bias_correction; /* adam: 1 = drop the 1/(1−βᵗ) factors (the lecture's "why") */
    int amsgrad;          /* adam: 1 = divide by the running maximum of v (torch's amsgrad) */
    int maximize;         /* all: 1 = ascend (torch's maximize: the gradient is negated first) */
    double eps;           /* added to σ: adagrad 1e-10, rmsprop 1e-8, adam 1e-8 */
    double weight_decay;  /* L2 coefficient added to the gradient (default 0) */
    double lr_decay;      /* adagrad: torch's lr_decay (default 0) */
    double initial_accumulator_value; /* adagrad: initial s (default 0) */
    optim_variant variant;
    unsigned zero_mask;   /* OPTIM_ZERO_* flags: fields that are 0 on purpose */
} optim_desc;

/* "sgd", "momentum", "adagrad", "rmsprop", "adam" (OPT_DEFAULT → "sgd"). */
const char *optim_kind_name(optim_kind kind);

/* Inverse of optim_kind_name (case-insensitive); OPT_DEFAULT if unknown. */
optim_kind optim_kind_from_name(const char *name);

/* Replace every unset field of `desc` with its default for desc->kind. */
void optim_desc_defaults(optim_desc *desc);

/* Check a desc whose defaults are filled: lr ≥ 0, momentum/alpha/betas in [0, 1),
 * eps ≥ 0, nesterov only with momentum > 0 and dampening 0, variant only for
 * adagrad and rmsprop... Returns 1 if valid, else 0 with err->msg naming the field. */
int optim_desc_validate(const optim_desc *desc, diag *err);

/* Parse "NAME[:key=value,...]" with keys lr momentum dampening nesterov alpha
 * centered beta1 beta2 bias_correction amsgrad eps weight_decay lr_decay
 * initial_accumulator_value maximize variant
 * (variant=lecture|torch). Starts from *desc as given if desc->kind matches NAME
 * (so a scene's settings can be refined), else from a zeroed desc. Fills defaults and
 * validates. Returns 1, or 0 with err filled (column 1-based within spec). */
int optim_desc_parse(const char *spec, optim_desc *desc, diag *err);

/* Write desc as a spec that optim_desc_parse reads back to the same desc:
 * "adam:lr=0.01,beta1=0.9,..." (%.17g numbers; only non-default keys are
 * written). Returns the length it needed, like snprintf. */
int optim_desc_format(const optim_desc *desc, char *buf, int size);

typedef struct optim optim;

/* An optimizer for n parameters. desc is copied, defaults filled; it must be
 * valid (assert). Returns NULL only if out of memory. Free with optim_destroy. */
optim *optim_create(const optim_desc *desc, int n);

/* Free; NULL is a no-op. */
void optim_destroy(optim *o);

/* Forget all state, as if newly created with the same desc. */
void optim_reset(optim *o);

/* Change hyper-parameters live. The new values apply from the next step; the
 * state (step count, buffers, accumulators) is kept. Changing the kind resets the
 * state. desc must be valid. */
void optim_set_desc(optim *o, const optim_desc *desc);

/* The desc in force (defaults filled). */
const optim_desc *optim_desc_get(const optim *o);

/* One update of theta[0..n) given grad at theta, with learning rate lr (the
 * scheduled rate for this step; pass optim_desc_get(o)->lr for a constant rate).
 * Returns 1 on success. If the update would produce a non-finite θ or state, it
 * returns 0 and leaves theta unchanged (the caller marks the run diverged). */
int optim_step(optim *o, double *theta, const double *grad, double lr);

/* The parts of one update, per coordinate, from the code that takes the step
 * (optim_step plans the update and then commits it; a preview plans it only). The
 * caller points each array at n doubles, or leaves it NULL. With g the gradient as
 * the update uses it, the update is θ_new − θ = −rate ⊙ direction (up to rounding;
 * `update` is exact: bit for bit what optim_step then adds):
 *
 *   kind       direction            sigma (σ, the rate's divisor less ε)   rate
 *   sgd        g                    1                                      η
 *   momentum   g, b or g + μb       1                                      η
 *   adagrad    g                    √s  (lecture √(s/t))                   η'/(σ + ε)
 *   rmsprop    g                    √v  (centered √(v − ḡ²))               η/(σ + ε)
 *     with momentum: the buffer b ← μb + g/(σ + ε)                         η
 *   adam       m                    √v̂/√(1−β₂ᵗ)  (amsgrad: max v; no bias  η/(1−β₁ᵗ)/(σ + ε)
 *                                   correction: √v)
 *
 * grad is after maximize's sign and weight decay; moment is the momentum buffer b
 * or Adam's m after this step (has_moment 0: the kind has none; values 0). */
typedef struct optim_parts {
    double *grad;           /* g */
    double *moment;         /* b or m after the update */
    double *direction;      /* what the rate multiplies */
    double *sigma;          /* σ; 1 where the kind has none */
    double *rate;           /* effective per-coordinate rate */
    double *update;         /* θ_new − θ, exact */
    double lr;              /* η given */
    double step_size;       /* the scalar before σ: η (adagrad η', adam η/(1−β₁ᵗ)) */
    int has_moment;         /* 1: moment is in use (momentum, adam, rmsprop momentum) */
    int has_sigma;          /* 1: an adaptive kind (adagrad, rmsprop, adam) */
} optim_parts;

/* Plan the next update at theta with grad and lr, as optim_step would take it, into
 * pv, changing nothing (the optimizer's scratch only). Returns what optim_step would:
 * 1, or 0 if the update would not be finite. */
int optim_preview(optim *o, const double *theta, const double *grad, double lr,
                  optim_parts *pv);

/* optim_step, filling pv (may be NULL) with the parts of the update it takes. */
int optim_step_narrated(optim *o, double *theta, const double *grad, double lr,
                        optim_parts *pv);

/* OneCycleLR's momentum cycling: from the next step on, use m instead of the
 * momentum μ (momentum kind), β₁ (adam) or rmsprop's momentum (only if the desc's
 * momentum is > 0); m is NaN to stop overriding. Kinds without a momentum ignore it.
 * m must be in [0, 1) or NaN. Kept across optim_reset; the desc is not changed. */
void optim_set_cycled_momentum(optim *o, double m);

/* Number of successful optim_step calls since creation or reset. */
long optim_steps_taken(const optim *o);

/* The per-parameter scale σ the rate is divided by on the next step, into out[n]:
 * adagrad √s (lecture: √(s/t)), rmsprop √v, adam √v/√(1−β₂ᵗ); 1 for sgd and momentum
 * (and before the first step). Always finite. */
void optim_sigma(const optim *o, double *out);

/* Momentum buffer (momentum, rmsprop with momentum) or first moment m (adam),
 * n numbers; NULL for kinds without one. Read-only view valid until the next call
 * on o. */
const double *optim_velocity(const optim *o);

#endif
