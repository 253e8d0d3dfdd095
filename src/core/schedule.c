/*
 * schedule.c — learning-rate schedules. See schedule.h.
 *
 * The closed forms follow torch.optim.lr_scheduler (StepLR, ExponentialLR,
 * CosineAnnealingLR._get_closed_form_lr, OneCycleLR.get_lr with three_phase=False
 * and anneal_strategy='cos'), in the same floating-point operation order.
 */
#include "core/schedule.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/textparse.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const char *const sched_names[SCHED_KIND_COUNT] = {
    "constant", "step", "exp", "invsqrt", "cosine", "onecycle",
};

const char *schedule_kind_name(schedule_kind kind)
{
    return (kind >= 0 && kind < SCHED_KIND_COUNT) ? sched_names[kind] : "constant";
}

enum {
    S_WARMUP, S_EVERY, S_GAMMA, S_T, S_MIN, S_PCT, S_DIV, S_FINAL_DIV, S_AFTER, S_ANNEAL,
    S_CYCLE, S_BASE_MOM, S_MAX_MOM, S_COUNT
};

static const char *const skey_names[S_COUNT] = {
    "warmup", "every", "gamma", "T", "min", "pct", "div", "final_div", "after", "anneal",
    "cycle_momentum", "base_momentum", "max_momentum",
};

/* torch.optim.lr_scheduler's own argument names, accepted as synonyms. */
static const struct { const char *name; int id; schedule_kind only; } skey_aliases[] = {
    {"step_size", S_EVERY, SCHED_STEP},
    {"T_max", S_T, SCHED_COSINE},
    {"total_steps", S_T, SCHED_ONECYCLE},
    {"pct_start", S_PCT, SCHED_ONECYCLE},
    {"div_factor", S_DIV, SCHED_ONECYCLE},
    {"final_div_factor", S_FINAL_DIV, SCHED_ONECYCLE},
    {"anneal_strategy", S_ANNEAL, SCHED_ONECYCLE},
};

static unsigned sched_keys(schedule_kind kind)
{
    unsigned w = 1u << S_WARMUP;
    switch (kind) {
    case SCHED_STEP: return w | 1u << S_EVERY | 1u << S_GAMMA;
    case SCHED_EXP: return w | 1u << S_GAMMA;
    case SCHED_COSINE: return w | 1u << S_T | 1u << S_MIN | 1u << S_AFTER;
    case SCHED_ONECYCLE:
        return w | 1u << S_T | 1u << S_PCT | 1u << S_DIV | 1u << S_FINAL_DIV | 1u << S_ANNEAL |
               1u << S_CYCLE | 1u << S_BASE_MOM | 1u << S_MAX_MOM;
    default: return w;
    }
}

void schedule_desc_defaults(schedule_desc *d)
{
    if (d->kind < 0 || d->kind >= SCHED_KIND_COUNT)
        d->kind = SCHED_CONSTANT;
    if (d->warmup < 0)
        d->warmup = 0;
    switch (d->kind) {
    case SCHED_STEP:
        if (d->every <= 0) d->every = 100;
        if (d->gamma == 0) d->gamma = 0.1;
        break;
    case SCHED_EXP:
        if (d->gamma == 0) d->gamma = 0.99;
        break;
    case SCHED_COSINE:
        if (d->T <= 0) d->T = 1000;
        break;
    case SCHED_ONECYCLE:
        if (d->T <= 0) d->T = 1000;
        if (d->pct == 0) d->pct = 0.3;
        if (d->div == 0) d->div = 25;
        if (d->final_div == 0) d->final_div = 1e4;
        if (d->base_momentum == 0) d->base_momentum = 0.85;
        if (d->max_momentum == 0) d->max_momentum = 0.95;
        break;
    default:
        break;
    }
}

/* ---- rates ---------------------------------------------------------------- */

/* OneCycleLR._annealing_cos */
static double annealing_cos(double start, double end, double pct)
{
    double cos_out = cos(M_PI * pct) + 1;
    return end + (start - end) / 2.0 * cos_out;
}

/* OneCycleLR._annealing_linear */
static double annealing_linear(double start, double end, double pct)
{
    return (end - start) * pct + start;
}

/* OneCycleLR.get_lr (three_phase=False), step_num = k ≤ T − 1: the rate (max_lr =
 * base rate), or with want_momentum the cycled momentum. */
static double onecycle(const schedule_desc *d, double max_lr, long k, int want_momentum)
{
    const double initial_lr = max_lr / d->div;
    const double min_lr = initial_lr / d->final_div;
    const double end1 = (double)(d->pct * (double)d->T) - 1;   /* float(pct_start * total_steps) - 1 */
    const double end2 = (double)d->T - 1;                       /* total_steps - 1 */
    const double step_num = (double)k;
    double (*anneal)(double, double, double) = d->anneal_linear ? annealing_linear : annealing_cos;
    if (step_num <= end1) {
        double span = end1 - 0;
        double pct = span > 0 ? (step_num - 0) / span : 1.0;
        return want_momentum ? anneal(d->max_momentum, d->base_momentum, pct)
                             : anneal(initial_lr, max_lr, pct);
    }
    const double start = end1;
    double span = end2 - start;
    double pct = span > 0 ? (step_num - start) / span : 1.0;
    return want_momentum ? anneal(d->base_momentum, d->max_momentum, pct)
                         : anneal(max_lr, min_lr, pct);
}

int schedule_momentum(const schedule_desc *desc, long k, double *m)
{
    schedule_desc d = *desc;
    schedule_desc_defaults(&d);
    if (d.kind != SCHED_ONECYCLE || d.no_cycle_momentum)
        return 0;
    k = k < d.warmup ? 0 : k - d.warmup;
    if (k > d.T - 1)
        k = d.T - 1;
    double v = onecycle(&d, 1.0, k, 1);
    *m = (isfinite(v) && v >= 0) ? (v < 1 ? v : nextafter(1.0, 0.0)) : 0.0;
    return 1;
}

double schedule_rate(const schedule_desc *desc, double base_lr, long k)
{
    schedule_desc d = *desc;
    schedule_desc_defaults(&d);
    if (!isfinite(base_lr) || base_lr <= 0)
        return 0.0;
    if (k < 0)
        k = 0;
    double r;
    if (k < d.warmup) {
        r = base_lr * (double)(k + 1) / (double)d.warmup;
    } else {
        k -= d.warmup;
        switch (d.kind) {
        case SCHED_STEP:
            r = base_lr * pow(d.gamma, (double)(k / d.every));      /* base_lr * gamma ** (epoch // step_size) */
            break;
        case SCHED_EXP:
            r = base_lr * pow(d.gamma, (double)k);                  /* base_lr * gamma ** epoch */
            break;
        case SCHED_INVSQRT:
            r = base_lr / sqrt((double)k + 1);
            break;
        case SCHED_COSINE: {
            long kk = (d.hold && k > d.T) ? d.T : k;
            double eta_min = d.min_factor * base_lr;
            /* eta_min + (base_lr - eta_min) * (1 + cos(pi * last_epoch / T_max)) / 2 */
            r = eta_min + (base_lr - eta_min) * (1 + cos(M_PI * (double)kk / (double)d.T)) / 2;
            break;
        }
        case SCHED_ONECYCLE: {
            long kk = k < d.T - 1 ? k : d.T - 1;
            r = onecycle(&d, base_lr, kk, 0);
            break;
        }
        case SCHED_CONSTANT:
        default:
            r = base_lr;
            break;
        }
    }
    if (isnan(r) || r < 0)
        return 0.0;
    if (r > DBL_MAX)
        return DBL_MAX;
    return r;
}

/* ---- parser --------------------------------------------------------------- */

/* Word grammar of textparse.h, with '-' a word byte. */
int schedule_parse(const char *spec, schedule_desc *desc, diag *err)
{
    text_spec sc;
    text_spec_begin(&sc, spec, "-");
    const text_word name = sc.name;
    if (name.len == 0)
        return diag_set(err, 0, name.col,
                        "expected a schedule name (constant, step, exp, invsqrt, cosine, onecycle)");
    int kind = -1;
    for (int k = 0; k < SCHED_KIND_COUNT; k++)
        if (text_ieq(name.s, sched_names[k], name.len))
            kind = k;
    if (kind < 0)
        return diag_set(err, 0, name.col,
                        "unknown schedule '%.*s' (expected constant, step, exp, invsqrt, cosine, onecycle)",
                        (int)name.len, name.s);
    const char *kname = sched_names[kind];
    schedule_desc d;
    memset(&d, 0, sizeof d);
    d.kind = (schedule_kind)kind;

    if (!text_spec_open(&sc, kname, err))
        return 0;
    text_word key, val;
    while (text_spec_key(&sc, &key)) {
        if (key.len == 0)
            return diag_set(err, 0, key.col, "expected a key");
        int id = -1;
        for (int i = 0; i < S_COUNT; i++)
            if (text_ieq(key.s, skey_names[i], key.len))
                id = i;
        for (size_t i = 0; id < 0 && i < sizeof skey_aliases / sizeof skey_aliases[0]; i++)
            if (skey_aliases[i].only == d.kind && text_ieq(key.s, skey_aliases[i].name, key.len))
                id = skey_aliases[i].id;
        if (id < 0)
            return diag_set(err, 0, key.col, "unknown key '%.*s' for %s", (int)key.len, key.s, kname);
        if (!(sched_keys(d.kind) & (1u << id)))
            return diag_set(err, 0, key.col, "key '%s' does not apply to %s", skey_names[id], kname);
        const char *kn = skey_names[id];
        if (!text_spec_value(&sc, kn, &val, err))
            return 0;
        const int vcol = val.col;
        if (id == S_AFTER || id == S_ANNEAL) {
            const char *a = id == S_AFTER ? "periodic" : "cos", *b = id == S_AFTER ? "hold" : "linear";
            int is_b = text_ieq(val.s, b, val.len);
            if (!is_b && !text_ieq(val.s, a, val.len))
                return diag_set(err, 0, vcol, "expected %s or %s after '%s='", a, b, kn);
            if (id == S_AFTER)
                d.hold = is_b;
            else
                d.anneal_linear = is_b;
            continue;
        }
        double v;
        int got = text_real(val.s, val.len, &v);
        if (got == 0)
            return diag_set(err, 0, vcol, "expected a number after '%s='", kn);
        if (got < 0)
            return diag_set(err, 0, vcol, "%s: not a finite number", kn);
        switch (id) {
        case S_WARMUP:
        case S_EVERY:
        case S_T: {
            if (id == S_WARMUP && v < 0)
                return diag_set(err, 0, vcol, "warmup must be >= 0");
            if (id != S_WARMUP && v <= 0)
                return diag_set(err, 0, vcol, "%s must be > 0", kn);
            if (v != floor(v) || v > 1e15)
                return diag_set(err, 0, vcol, "%s must be a whole number", kn);
            long n = (long)v;
            if (id == S_WARMUP)
                d.warmup = n;
            else if (id == S_EVERY)
                d.every = n;
            else
                d.T = n;
            break;
        }
        case S_GAMMA:
            if (!(v > 0 && v <= 1))
                return diag_set(err, 0, vcol, "gamma must be in (0, 1]");
            d.gamma = v;
            break;
        case S_MIN:
            if (!(v >= 0 && v <= 1))
                return diag_set(err, 0, vcol, "min must be in [0, 1]");
            d.min_factor = v == 0 ? 0.0 : v;
            break;
        case S_PCT:
            if (!(v > 0 && v < 1))
                return diag_set(err, 0, vcol, "pct must be in (0, 1)");
            d.pct = v;
            break;
        case S_CYCLE:
            if (v != 0 && v != 1)
                return diag_set(err, 0, vcol, "expected 0 or 1 after '%s='", kn);
            d.no_cycle_momentum = v == 0;
            break;
        case S_BASE_MOM:
        case S_MAX_MOM:
            if (!(v > 0 && v < 1))
                return diag_set(err, 0, vcol, "%s must be in (0, 1)", kn);
            if (id == S_BASE_MOM)
                d.base_momentum = v;
            else
                d.max_momentum = v;
            break;
        case S_DIV:
        case S_FINAL_DIV:
            if (!(v > 0))
                return diag_set(err, 0, vcol, "%s must be > 0", kn);
            if (id == S_DIV)
                d.div = v;
            else
                d.final_div = v;
            break;
        default:
            break;
        }
    }
    schedule_desc_defaults(&d);
    *desc = d;
    return 1;
}

/* ---- formatter ------------------------------------------------------------ */

static void sb_printf(char *buf, int size, int *len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void sb_printf(char *buf, int size, int *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int room = *len < size ? size - *len : 0;
    int n = vsnprintf(room ? buf + *len : NULL, (size_t)room, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len += n;
}

int schedule_format(const schedule_desc *desc, char *buf, int size)
{
    schedule_desc d = *desc;
    schedule_desc_defaults(&d);
    const unsigned keys = sched_keys(d.kind);
    int len = 0, n = 0;
    if (size < 0)
        size = 0;
    if (buf && size > 0)
        buf[0] = '\0';
    sb_printf(buf, size, &len, "%s", sched_names[d.kind]);
#define SEP() sb_printf(buf, size, &len, "%s", n++ ? "," : ":")
    if ((keys & 1u << S_EVERY) && d.every != 100) {
        SEP();
        sb_printf(buf, size, &len, "every=%ld", d.every);
    }
    if (keys & 1u << S_GAMMA) {
        double def = d.kind == SCHED_STEP ? 0.1 : 0.99;
        if (d.gamma != def) {
            SEP();
            sb_printf(buf, size, &len, "gamma=%s", TEXT_G(d.gamma));
        }
    }
    if ((keys & 1u << S_T) && d.T != 1000) {
        SEP();
        sb_printf(buf, size, &len, "T=%ld", d.T);
    }
    if ((keys & 1u << S_MIN) && d.min_factor != 0) {
        SEP();
        sb_printf(buf, size, &len, "min=%s", TEXT_G(d.min_factor));
    }
    if ((keys & 1u << S_AFTER) && d.hold) {
        SEP();
        sb_printf(buf, size, &len, "after=hold");
    }
    if ((keys & 1u << S_PCT) && d.pct != 0.3) {
        SEP();
        sb_printf(buf, size, &len, "pct=%s", TEXT_G(d.pct));
    }
    if ((keys & 1u << S_DIV) && d.div != 25) {
        SEP();
        sb_printf(buf, size, &len, "div=%s", TEXT_G(d.div));
    }
    if ((keys & 1u << S_FINAL_DIV) && d.final_div != 1e4) {
        SEP();
        sb_printf(buf, size, &len, "final_div=%s", TEXT_G(d.final_div));
    }
    if ((keys & 1u << S_ANNEAL) && d.anneal_linear) {
        SEP();
        sb_printf(buf, size, &len, "anneal=linear");
    }
    if ((keys & 1u << S_CYCLE) && d.no_cycle_momentum) {
        SEP();
        sb_printf(buf, size, &len, "cycle_momentum=0");
    }
    if ((keys & 1u << S_BASE_MOM) && d.base_momentum != 0.85) {
        SEP();
        sb_printf(buf, size, &len, "base_momentum=%.17g", d.base_momentum);
    }
    if ((keys & 1u << S_MAX_MOM) && d.max_momentum != 0.95) {
        SEP();
        sb_printf(buf, size, &len, "max_momentum=%.17g", d.max_momentum);
    }
    if (d.warmup > 0) {
        SEP();
        sb_printf(buf, size, &len, "warmup=%ld", d.warmup);
    }
#undef SEP
    return len;
}
