/*
 * schedule.h — learning-rate schedules, with optional linear warm-up.
 *
 * A schedule maps the index k = 0, 1, 2, ... of an update (k = 0 is the first
 * step) and the optimizer's base rate η to the rate that update uses. The rules
 * follow torch.optim.lr_scheduler where torch has one (stepped once per update):
 *
 *   constant      η
 *   step          η γ^⌊k / every⌋                         (StepLR; default γ 0.1 as torch)
 *   exp           η γ^k                                    (ExponentialLR)
 *   invsqrt       η / √(k + 1)                             (the 1/√t schedule, t = k+1)
 *   cosine        η_min + (η − η_min)(1 + cos(π k / T)) / 2 (CosineAnnealingLR)
 *                 after=periodic (default, as torch): the formula keeps going past T,
 *                 so the rate climbs back to η at 2T; after=hold: η_min from T on
 *   onecycle      OneCycleLR with max_lr = η, total_steps = T, pct_start, div_factor,
 *                 final_div_factor, anneal_strategy cos (default) or linear, and
 *                 cycle_momentum (default on): the momentum / adam's β₁ runs from
 *                 max_momentum (0.95) down to base_momentum (0.85) while the rate
 *                 rises, and back (schedule_momentum). Clamped after T (torch raises).
 *
 * Warm-up: with warmup = W > 0 the first W updates use η·(k+1)/W, and the schedule
 * proper then runs with its own index k − W (so "warm-up followed by cosine").
 *
 * Spec syntax (command line --schedule and the scene key `schedule`):
 *     NAME[:key=value,...]
 *     constant | step:every=100,gamma=0.1 | exp:gamma=0.99 | invsqrt
 *     cosine:T=500,min=0,after=periodic|hold
 *     onecycle:T=500,pct=0.3,div=25,final_div=1e4,anneal=cos|linear,
 *              cycle_momentum=1,base_momentum=0.85,max_momentum=0.95
 *     any of them with warmup=W, e.g. cosine:T=1000,warmup=50
 * torch's own spellings are accepted too: step_size (every), T_max (cosine T),
 * total_steps (onecycle T), pct_start, div_factor, final_div_factor, anneal_strategy.
 *
 * Index
 *     schedule_kind, schedule_desc
 *     schedule_parse(spec, desc, err)     → 1, or 0 with err
 *     schedule_format(desc, buf, size)
 *     schedule_rate(desc, base_lr, k)
 *     schedule_momentum(desc, k, &m)      onecycle's cycled momentum / β₁
 */
#ifndef LOSSCAPE_SCHEDULE_H
#define LOSSCAPE_SCHEDULE_H

#include "core/diag.h"

typedef enum schedule_kind {
    SCHED_CONSTANT = 0,
    SCHED_STEP,
    SCHED_EXP,
    SCHED_INVSQRT,
    SCHED_COSINE,
    SCHED_ONECYCLE,
    SCHED_KIND_COUNT
} schedule_kind;

typedef struct schedule_desc {
    schedule_kind kind;
    long warmup;            /* W: updates of linear warm-up before the schedule; 0 = none */
    long every;             /* step: updates between decays (default 100) */
    double gamma;           /* step, exp: decay factor per period (default 0.1 step, 0.99 exp) */
    long T;                 /* cosine, onecycle: length in updates (default 1000) */
    double min_factor;      /* cosine: η_min as a fraction of η (default 0) */
    int hold;               /* cosine: 1 = stay at η_min after T; 0 = periodic, as torch */
    int anneal_linear;      /* onecycle: 1 = linear annealing; 0 = cosine, as torch */
    int no_cycle_momentum;  /* onecycle: 1 = leave the momentum alone (cycle_momentum=0) */
    double base_momentum;   /* onecycle: lowest cycled momentum (default 0.85) */
    double max_momentum;    /* onecycle: highest cycled momentum (default 0.95) */
    double pct;             /* onecycle: fraction of T spent rising (default 0.3) */
    double div;             /* onecycle: initial rate = η / div (default 25) */
    double final_div;       /* onecycle: final rate = initial / final_div (default 1e4) */
} schedule_desc;

/* "constant", "step", ... */
const char *schedule_kind_name(schedule_kind kind);

/* Fill zero fields of desc with their defaults for desc->kind. */
void schedule_desc_defaults(schedule_desc *desc);

/* Parse a spec (see above) into *desc (defaults filled). Returns 1, or 0 with err
 * filled (column 1-based within spec). */
int schedule_parse(const char *spec, schedule_desc *desc, diag *err);

/* Write a spec that schedule_parse reads back to the same desc. Returns the length
 * it needed, like snprintf. */
int schedule_format(const schedule_desc *desc, char *buf, int size);

/* The rate update k (0-based) uses, for base rate base_lr. Always finite and ≥ 0. */
double schedule_rate(const schedule_desc *desc, double base_lr, long k);

/* OneCycleLR's cycled momentum for update k: 1 with *m set (in [0, 1)) for a
 * onecycle schedule with cycle_momentum on, else 0. During a warm-up, the value of
 * the cycle's first step. The caller hands m to optim_set_cycled_momentum. */
int schedule_momentum(const schedule_desc *desc, long k, double *m);

#endif
