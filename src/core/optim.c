/*
 * optim.c — the five optimizers, following torch.optim's single-tensor code paths.
 * See optim.h.
 *
 * Every update mirrors the floating-point operation order of torch's CPU kernels
 * (scalar path), so that trajectories agree with PyTorch to the last bit where the
 * libm functions agree:
 *
 *     t.add(o, alpha=a)          t + a*o
 *     t.lerp_(e, w)              |w| < 0.5 ? t + w*(e − t) : e − (e − t)*(1 − w)
 *     t.addcmul_(a, b, value=v)  t + (v*a)*b
 *     t.addcdiv_(a, b, value=v)  t + (v*a)/b
 *
 * An update is computed into scratch arrays first and committed only if every new
 * number is finite.
 */
#include "core/optim.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/textparse.h"

/* ---- descriptors ---------------------------------------------------------- */

static const char *const kind_names[OPT_KIND_COUNT] = {
    "sgd", "sgd", "momentum", "adagrad", "rmsprop", "adam",
};

/* Which fields each kind uses. */
enum {
    F_LR = 1 << 0,
    F_MOMENTUM = 1 << 1,
    F_DAMPENING = 1 << 2,
    F_NESTEROV = 1 << 3,
    F_ALPHA = 1 << 4,
    F_CENTERED = 1 << 5,
    F_BETA1 = 1 << 6,
    F_BETA2 = 1 << 7,
    F_BIAS_CORRECTION = 1 << 8,
    F_EPS = 1 << 9,
    F_WEIGHT_DECAY = 1 << 10,
    F_LR_DECAY = 1 << 11,
    F_INIT_ACC = 1 << 12,
    F_VARIANT = 1 << 13,
    F_AMSGRAD = 1 << 14,
    F_MAXIMIZE = 1 << 15
};

static unsigned kind_fields(optim_kind kind)
{
    switch (kind) {
    case OPT_MOMENTUM:
        return F_LR | F_MOMENTUM | F_DAMPENING | F_NESTEROV | F_WEIGHT_DECAY | F_MAXIMIZE;
    case OPT_ADAGRAD:
        return F_LR | F_EPS | F_WEIGHT_DECAY | F_LR_DECAY | F_INIT_ACC | F_VARIANT | F_MAXIMIZE;
    case OPT_RMSPROP:
        return F_LR | F_MOMENTUM | F_ALPHA | F_CENTERED | F_EPS | F_WEIGHT_DECAY | F_VARIANT |
               F_MAXIMIZE;
    case OPT_ADAM:
        return F_LR | F_BETA1 | F_BETA2 | F_BIAS_CORRECTION | F_AMSGRAD | F_EPS | F_WEIGHT_DECAY |
               F_MAXIMIZE;
    case OPT_DEFAULT:
    case OPT_SGD:
    default:
        return F_LR | F_WEIGHT_DECAY | F_MAXIMIZE;
    }
}

static optim_kind resolve_kind(optim_kind kind)
{
    return (kind <= OPT_DEFAULT || kind >= OPT_KIND_COUNT) ? OPT_SGD : kind;
}

/* torch.optim's defaults (our momentum kind: SGD with momentum 0.9). */
static double default_lr(optim_kind kind)
{
    return (kind == OPT_ADAGRAD || kind == OPT_RMSPROP) ? 1e-2 : 1e-3;
}
static double default_momentum(optim_kind kind) { return kind == OPT_MOMENTUM ? 0.9 : 0.0; }
static double default_eps(optim_kind kind)
{
    switch (kind) {
    case OPT_ADAGRAD: return 1e-10;
    case OPT_RMSPROP:
    case OPT_ADAM: return 1e-8;
    default: return 0.0;
    }
}
static double default_alpha(optim_kind kind) { return kind == OPT_RMSPROP ? 0.99 : 0.0; }
static double default_beta1(optim_kind kind) { return kind == OPT_ADAM ? 0.9 : 0.0; }
static double default_beta2(optim_kind kind) { return kind == OPT_ADAM ? 0.999 : 0.0; }

const char *optim_kind_name(optim_kind kind)
{
    return kind_names[resolve_kind(kind)];
}

optim_kind optim_kind_from_name(const char *name)
{
    if (!name)
        return OPT_DEFAULT;
    for (int k = OPT_SGD; k < OPT_KIND_COUNT; k++)
        if (text_ieq(name, kind_names[k], strlen(name)))
            return (optim_kind)k;
    return OPT_DEFAULT;
}

/* A field with a flag: 0 means "default" unless the flag says "really 0". Fields
 * whose default is 0 never keep their flag, so equal settings give equal descs. */
static void fill_flagged(double *field, unsigned *mask, unsigned flag, double def)
{
    if (*field != 0.0 || def == 0.0)
        *mask &= ~flag;
    else if (!(*mask & flag))
        *field = def;
}

void optim_desc_defaults(optim_desc *d)
{
    d->kind = resolve_kind(d->kind);
    const optim_kind k = d->kind;
    const unsigned f = kind_fields(k);

    /* Fields the kind does not use are cleared, so a desc has one spelling. */
    if (!(f & F_MOMENTUM)) { d->momentum = 0; d->zero_mask &= ~(unsigned)OPTIM_ZERO_MOMENTUM; }
    if (!(f & F_DAMPENING)) d->dampening = 0;
    if (!(f & F_NESTEROV)) d->nesterov = 0;
    if (!(f & F_ALPHA)) { d->alpha = 0; d->zero_mask &= ~(unsigned)OPTIM_ZERO_ALPHA; }
    if (!(f & F_CENTERED)) d->centered = 0;
    if (!(f & F_BETA1)) { d->beta1 = 0; d->zero_mask &= ~(unsigned)OPTIM_ZERO_BETA1; }
    if (!(f & F_BETA2)) { d->beta2 = 0; d->zero_mask &= ~(unsigned)OPTIM_ZERO_BETA2; }
    if (!(f & F_BIAS_CORRECTION)) d->no_bias_correction = 0;
    if (!(f & F_AMSGRAD)) d->amsgrad = 0;
    if (!(f & F_EPS)) { d->eps = 0; d->zero_mask &= ~(unsigned)OPTIM_ZERO_EPS; }
    if (!(f & F_LR_DECAY)) d->lr_decay = 0;
    if (!(f & F_INIT_ACC)) d->initial_accumulator_value = 0;
    if (!(f & F_VARIANT)) d->variant = OPTIM_VARIANT_TORCH;
    d->nesterov = d->nesterov != 0;
    d->centered = d->centered != 0;
    d->no_bias_correction = d->no_bias_correction != 0;
    d->amsgrad = d->amsgrad != 0;
    d->maximize = d->maximize != 0;

    fill_flagged(&d->lr, &d->zero_mask, OPTIM_ZERO_LR, default_lr(k));
    if (f & F_MOMENTUM)
        fill_flagged(&d->momentum, &d->zero_mask, OPTIM_ZERO_MOMENTUM, default_momentum(k));
    if (f & F_ALPHA)
        fill_flagged(&d->alpha, &d->zero_mask, OPTIM_ZERO_ALPHA, default_alpha(k));
    if (f & F_BETA1)
        fill_flagged(&d->beta1, &d->zero_mask, OPTIM_ZERO_BETA1, default_beta1(k));
    if (f & F_BETA2)
        fill_flagged(&d->beta2, &d->zero_mask, OPTIM_ZERO_BETA2, default_beta2(k));
    if (f & F_EPS)
        fill_flagged(&d->eps, &d->zero_mask, OPTIM_ZERO_EPS, default_eps(k));
    d->zero_mask &= OPTIM_ZERO_LR | OPTIM_ZERO_MOMENTUM | OPTIM_ZERO_ALPHA | OPTIM_ZERO_BETA1 |
                    OPTIM_ZERO_BETA2 | OPTIM_ZERO_EPS;
}

/* The keys of the spec, in the order optim_desc_format writes them. */
typedef enum key_id {
    K_LR, K_MOMENTUM, K_DAMPENING, K_NESTEROV, K_ALPHA, K_CENTERED, K_BETA1, K_BETA2,
    K_BIAS_CORRECTION, K_EPS, K_WEIGHT_DECAY, K_LR_DECAY, K_INIT_ACC, K_VARIANT, K_AMSGRAD,
    K_MAXIMIZE, K_COUNT,
    K_NONE = -1
} key_id;

static const struct {
    const char *name;
    unsigned field;
} keys[K_COUNT] = {
    {"lr", F_LR},
    {"momentum", F_MOMENTUM},
    {"dampening", F_DAMPENING},
    {"nesterov", F_NESTEROV},
    {"alpha", F_ALPHA},
    {"centered", F_CENTERED},
    {"beta1", F_BETA1},
    {"beta2", F_BETA2},
    {"bias_correction", F_BIAS_CORRECTION},
    {"eps", F_EPS},
    {"weight_decay", F_WEIGHT_DECAY},
    {"lr_decay", F_LR_DECAY},
    {"initial_accumulator_value", F_INIT_ACC},
    {"variant", F_VARIANT},
    {"amsgrad", F_AMSGRAD},
    {"maximize", F_MAXIMIZE},
};

/* Range check of one numeric key: NULL if fine, else the message. */
static const char *check_value(key_id key, double v)
{
    switch (key) {
    case K_LR: return v >= 0 ? NULL : "lr must be >= 0";
    case K_MOMENTUM: return (v >= 0 && v < 1) ? NULL : "momentum must be in [0, 1)";
    case K_DAMPENING: return (v >= 0 && v <= 1) ? NULL : "dampening must be in [0, 1]";
    case K_ALPHA: return (v >= 0 && v < 1) ? NULL : "alpha must be in [0, 1)";
    case K_BETA1: return (v >= 0 && v < 1) ? NULL : "beta1 must be in [0, 1)";
    case K_BETA2: return (v >= 0 && v < 1) ? NULL : "beta2 must be in [0, 1)";
    case K_EPS: return v >= 0 ? NULL : "eps must be >= 0";
    case K_WEIGHT_DECAY: return v >= 0 ? NULL : "weight_decay must be >= 0";
    case K_LR_DECAY: return v >= 0 ? NULL : "lr_decay must be >= 0";
    case K_INIT_ACC: return v >= 0 ? NULL : "initial_accumulator_value must be >= 0";
    default: return NULL;
    }
}

/* Full check; on failure returns the key at fault (for the parser's column). */
static key_id validate_key(const optim_desc *d, diag *err)
{
    const optim_kind k = d->kind;
    if (k <= OPT_DEFAULT || k >= OPT_KIND_COUNT) {
        diag_set(err, 0, 0, "unknown optimizer kind %d", (int)k);
        return K_LR;
    }
    const struct { key_id key; double v; } nums[] = {
        {K_LR, d->lr}, {K_MOMENTUM, d->momentum}, {K_DAMPENING, d->dampening},
        {K_ALPHA, d->alpha}, {K_BETA1, d->beta1}, {K_BETA2, d->beta2}, {K_EPS, d->eps},
        {K_WEIGHT_DECAY, d->weight_decay}, {K_LR_DECAY, d->lr_decay},
        {K_INIT_ACC, d->initial_accumulator_value},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        if (!isfinite(nums[i].v)) {
            diag_set(err, 0, 0, "%s: not a finite number", keys[nums[i].key].name);
            return nums[i].key;
        }
        const char *msg = check_value(nums[i].key, nums[i].v);
        if (msg) {
            diag_set(err, 0, 0, "%s", msg);
            return nums[i].key;
        }
    }
    if (d->nesterov && (d->kind != OPT_MOMENTUM || d->momentum <= 0 || d->dampening != 0)) {
        diag_set(err, 0, 0, "nesterov needs momentum > 0 and dampening 0");
        return K_NESTEROV;
    }
    if (d->variant != OPTIM_VARIANT_TORCH &&
        ((d->kind != OPT_ADAGRAD && d->kind != OPT_RMSPROP) ||
         d->variant != OPTIM_VARIANT_LECTURE)) {
        diag_set(err, 0, 0, "variant=lecture applies to adagrad and rmsprop only");
        return K_VARIANT;
    }
    return K_NONE;
}

int optim_desc_validate(const optim_desc *desc, diag *err)
{
    return validate_key(desc, err) == K_NONE;
}

/* ---- parser --------------------------------------------------------------- */

/* "0", "1", "true", "false" (any case) → 0/1, else -1. Narrower than text_bool on
 * purpose: the messages promise exactly these four. */
static int parse_bool(const char *s, size_t len)
{
    if (text_ieq(s, "1", len) || text_ieq(s, "true", len))
        return 1;
    if (text_ieq(s, "0", len) || text_ieq(s, "false", len))
        return 0;
    return -1;
}

/* Word grammar of textparse.h, with '-' a word byte. */
int optim_desc_parse(const char *spec, optim_desc *desc, diag *err)
{
    int key_col[K_COUNT] = {0};
    text_spec sc;
    text_spec_begin(&sc, spec, "-");
    const text_word name = sc.name;
    if (name.len == 0)
        return diag_set(err, 0, name.col, "expected an optimizer name (sgd, momentum, adagrad, rmsprop, adam)");
    optim_kind kind = OPT_DEFAULT;
    for (int k = OPT_SGD; k < OPT_KIND_COUNT; k++)
        if (text_ieq(name.s, kind_names[k], name.len))
            kind = (optim_kind)k;
    if (kind == OPT_DEFAULT)
        return diag_set(err, 0, name.col,
                        "unknown optimizer '%.*s' (expected sgd, momentum, adagrad, rmsprop, adam)",
                        (int)name.len, name.s);
    const char *kname = kind_names[kind];

    optim_desc d;
    if (resolve_kind(desc->kind) == kind)
        d = *desc;
    else
        memset(&d, 0, sizeof d);
    d.kind = kind;

    if (!text_spec_open(&sc, kname, err))
        return 0;
    text_word key, val;
    while (text_spec_key(&sc, &key)) {
        if (key.len == 0)
            return diag_set(err, 0, key.col, "expected a key (lr, ...)");
        key_id id = K_NONE;
        for (int i = 0; i < K_COUNT; i++)
            if (text_ieq(key.s, keys[i].name, key.len))
                id = (key_id)i;
        if (id == K_NONE)
            return diag_set(err, 0, key.col, "unknown key '%.*s' for %s", (int)key.len, key.s, kname);
        if (!(kind_fields(kind) & keys[id].field))
            return diag_set(err, 0, key.col, "key '%s' does not apply to %s", keys[id].name, kname);
        if (!text_spec_value(&sc, keys[id].name, &val, err))
            return 0;
        const int vcol = val.col;
        key_col[id] = key.col;

        if (id == K_NESTEROV || id == K_CENTERED || id == K_BIAS_CORRECTION || id == K_AMSGRAD ||
            id == K_MAXIMIZE) {
            int b = parse_bool(val.s, val.len);
            if (b < 0)
                return diag_set(err, 0, vcol, "expected 0, 1, true or false after '%s='",
                                keys[id].name);
            if (id == K_NESTEROV)
                d.nesterov = b;
            else if (id == K_CENTERED)
                d.centered = b;
            else if (id == K_AMSGRAD)
                d.amsgrad = b;
            else if (id == K_MAXIMIZE)
                d.maximize = b;
            else
                d.no_bias_correction = !b;
        } else if (id == K_VARIANT) {
            if (text_ieq(val.s, "lecture", val.len))
                d.variant = OPTIM_VARIANT_LECTURE;
            else if (text_ieq(val.s, "torch", val.len))
                d.variant = OPTIM_VARIANT_TORCH;
            else
                return diag_set(err, 0, vcol, "expected lecture or torch after 'variant='");
        } else {
            double v;
            int got = text_real(val.s, val.len, &v);
            if (got == 0)
                return diag_set(err, 0, vcol, "expected a number after '%s='", keys[id].name);
            if (got < 0)
                return diag_set(err, 0, vcol, "%s: not a finite number", keys[id].name);
            const char *msg = check_value(id, v);
            if (msg)
                return diag_set(err, 0, vcol, "%s", msg);
            unsigned flag = 0;
            double *field = NULL;
            switch (id) {
            case K_LR: field = &d.lr; flag = OPTIM_ZERO_LR; break;
            case K_MOMENTUM: field = &d.momentum; flag = OPTIM_ZERO_MOMENTUM; break;
            case K_DAMPENING: field = &d.dampening; break;
            case K_ALPHA: field = &d.alpha; flag = OPTIM_ZERO_ALPHA; break;
            case K_BETA1: field = &d.beta1; flag = OPTIM_ZERO_BETA1; break;
            case K_BETA2: field = &d.beta2; flag = OPTIM_ZERO_BETA2; break;
            case K_EPS: field = &d.eps; flag = OPTIM_ZERO_EPS; break;
            case K_WEIGHT_DECAY: field = &d.weight_decay; break;
            case K_LR_DECAY: field = &d.lr_decay; break;
            case K_INIT_ACC: field = &d.initial_accumulator_value; break;
            default: break;
            }
            if (v == 0.0)
                v = 0.0; /* -0 → 0 */
            *field = v;
            if (v == 0.0)
                d.zero_mask |= flag;
            else
                d.zero_mask &= ~flag;
        }
    }

    optim_desc_defaults(&d);
    diag verr = {0};
    key_id bad = validate_key(&d, &verr);
    if (bad != K_NONE)
        return diag_set(err, 0, key_col[bad] ? key_col[bad] : name.col, "%s", verr.msg);
    *desc = d;
    return 1;
}

/* ---- formatter ------------------------------------------------------------ */

typedef struct sbuf {
    char *buf;
    int size;
    int len;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int room = b->len < b->size ? b->size - b->len : 0;
    int n = vsnprintf(room ? b->buf + b->len : NULL, (size_t)room, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len += n;
}

int optim_desc_format(const optim_desc *desc, char *buf, int size)
{
    optim_desc d = *desc;
    optim_desc_defaults(&d);
    const optim_kind k = d.kind;
    const unsigned f = kind_fields(k);
    sbuf b = {buf, size > 0 ? size : 0, 0};
    if (buf && size > 0)
        buf[0] = '\0';
    sb_printf(&b, "%s", kind_names[k]);
    int n = 0;
#define SEP() sb_printf(&b, "%s", n++ ? "," : ":")
    const struct { key_id key; double v, def; } nums[] = {
        {K_LR, d.lr, default_lr(k)},
        {K_MOMENTUM, d.momentum, default_momentum(k)},
        {K_DAMPENING, d.dampening, 0},
        {K_ALPHA, d.alpha, default_alpha(k)},
        {K_BETA1, d.beta1, default_beta1(k)},
        {K_BETA2, d.beta2, default_beta2(k)},
        {K_EPS, d.eps, default_eps(k)},
        {K_WEIGHT_DECAY, d.weight_decay, 0},
        {K_LR_DECAY, d.lr_decay, 0},
        {K_INIT_ACC, d.initial_accumulator_value, 0},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        if (!(f & keys[nums[i].key].field) || nums[i].v == nums[i].def)
            continue;
        SEP();
        sb_printf(&b, "%s=%s", keys[nums[i].key].name, TEXT_G(nums[i].v));
    }
    if ((f & F_NESTEROV) && d.nesterov) {
        SEP();
        sb_printf(&b, "nesterov=1");
    }
    if ((f & F_CENTERED) && d.centered) {
        SEP();
        sb_printf(&b, "centered=1");
    }
    if ((f & F_BIAS_CORRECTION) && d.no_bias_correction) {
        SEP();
        sb_printf(&b, "bias_correction=0");
    }
    if ((f & F_AMSGRAD) && d.amsgrad) {
        SEP();
        sb_printf(&b, "amsgrad=1");
    }
    if ((f & F_MAXIMIZE) && d.maximize) {
        SEP();
        sb_printf(&b, "maximize=1");
    }
    if ((f & F_VARIANT) && d.variant == OPTIM_VARIANT_LECTURE) {
        SEP();
        sb_printf(&b, "variant=lecture");
    }
#undef SEP
    return b.len;
}

/* ---- the optimizer -------------------------------------------------------- */

struct optim {
    optim_desc desc;
    int n;
    long steps;
    int have_buf;        /* momentum: torch's momentum_buffer is not None */
    double *buf;         /* momentum buffer (momentum, rmsprop) or exp_avg (adam) */
    double *sq;          /* state_sum (adagrad), square_avg (rmsprop), exp_avg_sq (adam) */
    double *gavg;        /* rmsprop centered: grad_avg; adam amsgrad: max_exp_avg_sq */
    double cycled;       /* optim_set_cycled_momentum's m; NaN = none */
    double *scratch;     /* 4n: new theta, buf, sq, gavg */
};

static void clear_state(optim *o)
{
    const int n = o->n;
    o->steps = 0;
    o->have_buf = 0;
    for (int i = 0; i < n; i++) {
        o->buf[i] = 0.0;
        /* adagrad: state_sum = torch.full_like(p, initial_accumulator_value) */
        o->sq[i] = o->desc.kind == OPT_ADAGRAD ? o->desc.initial_accumulator_value : 0.0;
        o->gavg[i] = 0.0;
    }
}

optim *optim_create(const optim_desc *desc, int n)
{
    assert(n >= 0);
    optim *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->desc = *desc;
    optim_desc_defaults(&o->desc);
    assert(optim_desc_validate(&o->desc, NULL));
    o->n = n;
    o->cycled = NAN;
    size_t m = n > 0 ? (size_t)n : 1;
    o->buf = calloc(m, sizeof(double));
    o->sq = calloc(m, sizeof(double));
    o->gavg = calloc(m, sizeof(double));
    o->scratch = calloc(4 * m, sizeof(double));
    if (!o->buf || !o->sq || !o->gavg || !o->scratch) {
        optim_destroy(o);
        return NULL;
    }
    clear_state(o);
    return o;
}

void optim_destroy(optim *o)
{
    if (!o)
        return;
    free(o->buf);
    free(o->sq);
    free(o->gavg);
    free(o->scratch);
    free(o);
}

void optim_reset(optim *o)
{
    clear_state(o);
}

void optim_set_desc(optim *o, const optim_desc *desc)
{
    optim_desc d = *desc;
    optim_desc_defaults(&d);
    assert(optim_desc_validate(&d, NULL));
    const int reset = d.kind != o->desc.kind;
    o->desc = d;
    if (reset)
        clear_state(o);
}

const optim_desc *optim_desc_get(const optim *o)
{
    return &o->desc;
}

void optim_set_cycled_momentum(optim *o, double m)
{
    assert(isnan(m) || (m >= 0 && m < 1));
    o->cycled = m;
}

long optim_steps_taken(const optim *o)
{
    return o->steps;
}

/* torch's lerp (ATen/native/Lerp.h), scalar path. */
static double lerp(double self, double end, double weight)
{
    return fabs(weight) < 0.5 ? self + weight * (end - self)
                              : end - (end - self) * (1.0 - weight);
}

/* Record coordinate i of the update being planned (pv may be NULL). */
static inline void note(optim_parts *pv, int i, double g, double moment, double dir,
                        double sigma, double rate)
{
    if (!pv)
        return;
    if (pv->grad)
        pv->grad[i] = g;
    if (pv->moment)
        pv->moment[i] = moment;
    if (pv->direction)
        pv->direction[i] = dir;
    if (pv->sigma)
        pv->sigma[i] = sigma;
    if (pv->rate)
        pv->rate[i] = rate;
}

/* The next update, computed into o->scratch (new θ, buffer, accumulators) without
 * touching the state; its parts recorded into pv when given. optim_step commits
 * what this computes, so a preview and the step that follows are the same numbers.
 * Returns 1 if θ and the state would stay finite. */
static int plan(optim *o, const double *theta, const double *grad, double lr, optim_parts *pv)
{
    const optim_desc *d = &o->desc;
    const int n = o->n;
    double *nth = o->scratch, *nbuf = o->scratch + n, *nsq = o->scratch + 2 * n,
           *ngavg = o->scratch + 3 * n;
    const double wd = d->weight_decay;
    const double t = (double)(o->steps + 1); /* step count including this one */
    const double sign = d->maximize ? -1.0 : 1.0;  /* grad = -grad if maximize (exact) */
    const int cyc = !isnan(o->cycled);
    int ok = 1;
    if (pv) {
        pv->lr = lr;
        pv->step_size = lr;
        pv->has_moment = pv->has_sigma = 0;
    }

    switch (d->kind) {
    case OPT_SGD:
    default:
        /* _single_tensor_sgd with momentum 0 */
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];          /* grad.add(param, alpha=weight_decay) */
            nth[i] = theta[i] + (-lr) * g;      /* param.add_(grad, alpha=-lr) */
            note(pv, i, g, 0.0, g, 1.0, lr);
        }
        break;
    case OPT_MOMENTUM: {
        /* _single_tensor_sgd */
        const double mu = cyc ? o->cycled : d->momentum;
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];
            nbuf[i] = o->buf[i];
            const double g0 = g;
            if (mu != 0) {
                if (!o->have_buf)
                    nbuf[i] = g;                                        /* torch.clone(grad) */
                else
                    nbuf[i] = nbuf[i] * mu + (1 - d->dampening) * g;    /* buf.mul_(momentum).add_(grad, alpha=1-dampening) */
                if (d->nesterov)
                    g = g + mu * nbuf[i];                               /* grad.add(buf, alpha=momentum) */
                else
                    g = nbuf[i];
            }
            nth[i] = theta[i] + (-lr) * g;                              /* param.add_(grad, alpha=-lr) */
            note(pv, i, g0, nbuf[i], g, 1.0, lr);
        }
        if (pv)
            pv->has_moment = mu != 0;
        break;
    }
    case OPT_ADAGRAD: {
        /* _single_tensor_adagrad */
        const double clr = lr / (1 + (t - 1) * d->lr_decay);
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];
            nsq[i] = o->sq[i] + (1.0 * g) * g;                 /* state_sum.addcmul_(grad, grad, value=1) */
            double std;
            if (d->variant == OPTIM_VARIANT_LECTURE)
                std = sqrt(nsq[i] / t) + d->eps;                /* σ = √(s/t), + eps */
            else
                std = sqrt(nsq[i]) + d->eps;                    /* state_sum.sqrt().add_(eps) */
            nth[i] = theta[i] + ((-clr) * g) / std;             /* param.addcdiv_(grad, std, value=-clr) */
            note(pv, i, g, 0.0, g, std - d->eps, clr / std);
        }
        if (pv) {
            pv->step_size = clr;
            pv->has_sigma = 1;
        }
        break;
    }
    case OPT_RMSPROP: {
        /* _single_tensor_rmsprop */
        const double alpha = d->alpha;
        const double rmom = (cyc && d->momentum > 0) ? o->cycled : d->momentum;
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];
            if (d->variant == OPTIM_VARIANT_LECTURE && t == 1)
                nsq[i] = g * g;                                  /* lecture: σ₀ = |g₀| */
            else
                nsq[i] = o->sq[i] * alpha + ((1 - alpha) * g) * g;  /* square_avg.mul_(alpha).addcmul_(grad, grad, value=1-alpha) */
            double avg;
            if (d->centered) {
                ngavg[i] = lerp(o->gavg[i], g, 1 - alpha);       /* grad_avg.lerp_(grad, 1-alpha) */
                avg = sqrt(nsq[i] + (-1.0 * ngavg[i]) * ngavg[i]); /* square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_() */
            } else {
                ngavg[i] = o->gavg[i];
                avg = sqrt(nsq[i]);                              /* square_avg.sqrt() */
            }
            const double sig = avg;
            avg = avg + d->eps;                                  /* avg.add_(eps) */
            if (d->momentum > 0) {
                nbuf[i] = o->buf[i] * rmom + (1.0 * g) / avg; /* buf.mul_(momentum).addcdiv_(grad, avg) */
                nth[i] = theta[i] + (-lr) * nbuf[i];                 /* param.add_(buf, alpha=-lr) */
                note(pv, i, g, nbuf[i], nbuf[i], sig, lr);   /* the buffer is already scaled */
            } else {
                nbuf[i] = o->buf[i];
                nth[i] = theta[i] + ((-lr) * g) / avg;               /* param.addcdiv_(grad, avg, value=-lr) */
                note(pv, i, g, 0.0, g, sig, lr / avg);
            }
        }
        if (pv) {
            pv->has_moment = d->momentum > 0;
            pv->has_sigma = 1;
        }
        break;
    }
    case OPT_ADAM: {
        /* _single_tensor_adam (not capturable) */
        const double beta1 = cyc ? o->cycled : d->beta1;
        double bc1 = 1.0, bc2 = 1.0;
        if (!d->no_bias_correction) {
            bc1 = 1 - pow(beta1, t);             /* 1 - beta1 ** step */
            bc2 = 1 - pow(d->beta2, t);          /* 1 - beta2 ** step */
        }
        const double step_size = lr / bc1;
        const double bc2_sqrt = sqrt(bc2);
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];
            nbuf[i] = lerp(o->buf[i], g, 1 - beta1);                     /* exp_avg.lerp_(grad, 1-beta1) */
            nsq[i] = o->sq[i] * d->beta2 + ((1 - d->beta2) * g) * g;      /* exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1-beta2) */
            double v = nsq[i];
            if (d->amsgrad) {
                ngavg[i] = fmax(o->gavg[i], nsq[i]);                      /* torch.maximum(max_exp_avg_sqs, exp_avg_sq, out=...) */
                v = ngavg[i];
            }
            const double sig = sqrt(v) / bc2_sqrt;
            double denom = sig + d->eps;                                  /* (exp_avg_sq.sqrt() / bc2_sqrt).add_(eps) */
            nth[i] = theta[i] + ((-step_size) * nbuf[i]) / denom;        /* param.addcdiv_(exp_avg, denom, value=-step_size) */
            note(pv, i, g, nbuf[i], nbuf[i], sig, step_size / denom);
        }
        if (pv) {
            pv->step_size = step_size;
            pv->has_moment = 1;
            pv->has_sigma = 1;
        }
        break;
    }
    }

    for (int i = 0; i < n && ok; i++) {
        if (!isfinite(nth[i]))
            ok = 0;
        switch (d->kind) {
        case OPT_MOMENTUM:
            ok = ok && isfinite(nbuf[i]);
            break;
        case OPT_ADAGRAD:
            ok = ok && isfinite(nsq[i]);
            break;
        case OPT_RMSPROP:
            ok = ok && isfinite(nsq[i]) && isfinite(nbuf[i]) && isfinite(ngavg[i]);
            break;
        case OPT_ADAM:
            ok = ok && isfinite(nsq[i]) && isfinite(nbuf[i]) && (!d->amsgrad || isfinite(ngavg[i]));
            break;
        default:
            break;
        }
    }
    if (pv && pv->update)
        for (int i = 0; i < n; i++)
            pv->update[i] = nth[i] - theta[i];
    return ok;
}

int optim_preview(optim *o, const double *theta, const double *grad, double lr,
                  optim_parts *pv)
{
    return plan(o, theta, grad, lr, pv);
}

int optim_step(optim *o, double *theta, const double *grad, double lr)
{
    return optim_step_narrated(o, theta, grad, lr, NULL);
}

int optim_step_narrated(optim *o, double *theta, const double *grad, double lr,
                        optim_parts *pv)
{
    const optim_desc *d = &o->desc;
    const int n = o->n;
    const double *nth = o->scratch, *nbuf = o->scratch + n, *nsq = o->scratch + 2 * n,
                 *ngavg = o->scratch + 3 * n;
    if (!plan(o, theta, grad, lr, pv))
        return 0;

    size_t bytes = (size_t)n * sizeof(double);
    if (n > 0) {
        memcpy(theta, nth, bytes);
        switch (d->kind) {
        case OPT_MOMENTUM:
            memcpy(o->buf, nbuf, bytes);
            if (d->momentum != 0)
                o->have_buf = 1;
            break;
        case OPT_ADAGRAD:
            memcpy(o->sq, nsq, bytes);
            break;
        case OPT_RMSPROP:
            memcpy(o->sq, nsq, bytes);
            memcpy(o->buf, nbuf, bytes);
            memcpy(o->gavg, ngavg, bytes);
            break;
        case OPT_ADAM:
            memcpy(o->sq, nsq, bytes);
            memcpy(o->buf, nbuf, bytes);
            if (d->amsgrad)
                memcpy(o->gavg, ngavg, bytes);
            break;
        default:
            break;
        }
    }
    o->steps++;
    return 1;
}

void optim_sigma(const optim *o, double *out)
{
    const optim_desc *d = &o->desc;
    const double t = (double)o->steps;
    for (int i = 0; i < o->n; i++) {
        double s = 1.0;
        if (o->steps > 0) {
            switch (d->kind) {
            case OPT_ADAGRAD:
                s = d->variant == OPTIM_VARIANT_LECTURE ? sqrt(o->sq[i] / t) : sqrt(o->sq[i]);
                break;
            case OPT_RMSPROP:
                s = d->centered ? sqrt(fmax(0.0, o->sq[i] - o->gavg[i] * o->gavg[i]))
                                : sqrt(o->sq[i]);
                break;
            case OPT_ADAM: {
                const double v = d->amsgrad ? o->gavg[i] : o->sq[i];
                s = d->no_bias_correction ? sqrt(v) : sqrt(v) / sqrt(1 - pow(d->beta2, t));
                break;
            }
            default:
                break;
            }
        }
        out[i] = isfinite(s) ? s : 1.0;
    }
}

const double *optim_velocity(const optim *o)
{
    switch (o->desc.kind) {
    case OPT_MOMENTUM:
    case OPT_ADAM:
        return o->buf;
    case OPT_RMSPROP:
        return o->desc.momentum > 0 ? o->buf : NULL;
    default:
        return NULL;
    }
}
