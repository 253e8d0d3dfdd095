/*
 * optim_desc.c — optimizer descriptors: defaults, validation, the `--opt` parser and
 * formatter (torch.optim's argument names and defaults). See optim.h; the updates
 * themselves are in optim.c.
 */
#include "core/optim.h"

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
