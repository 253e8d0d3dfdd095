/*
 * model.c — models and losses with exact gradients by backpropagation. See model.h.
 *
 * Every model is a stack of fully connected layers: linear, logistic and softmax are
 * one layer (d_in → 1 or k), an mlp is n_hidden hidden layers and a linear output
 * layer. A hidden layer computes z = W a + b and then, in the order the spec says,
 *
 *     no bn        a' = act(z)
 *     bn before    a' = act(γ ẑ + β),   ẑ = (z − μ) / √(σ² + ε)
 *     bn after     a' = γ ĥ + β,        ĥ = (h − μ) / √(σ² + ε),  h = act(z)
 *
 * The output layer's values (the "logits") go through the head: identity for
 * regression, σ for logistic, softmax for k classes, then the loss:
 *
 *     regression   mse  (z − y)²
 *     logistic     ce   softplus(z) − y z          (= −y log σ(z) − (1−y) log(1−σ(z)))
 *                  mse  (σ(z) − y)²
 *     k classes    ce   logsumexp(z) − z_y
 *                  mse  Σ_c (p_c − [c = y])²,   p = softmax(z)
 *
 * and the value returned is the mean over the samples given. ce on a regression
 * model returns NaN (there is no class to score).
 *
 * Batch statistics: in training mode (train = 1), and in evaluation mode without aux
 * (aux NULL), batch normalization uses the mean and the biased variance of the
 * samples given, and the gradient goes through them (torch's backward). With
 * train = 1 and aux given, the moving averages are updated with the unbiased variance
 * s² = Σ(z − μ)²/(B − 1), as torch stores it (B = 1: the biased one):
 * μ̄ ← p μ̄ + (1 − p) μ, σ̄² ← p σ̄² + (1 − p) s². In evaluation mode with aux, μ̄ and σ̄²
 * are constants and the gradient treats them so.
 *
 * Aux layout: for each hidden layer with bn, its moving means then its moving
 * variances (n_aux = 2 · Σ hidden sizes when bn = 1, else 0).
 *
 * Initial parameters: linear, logistic and softmax start at θ = 0 (a convex loss; the
 * surface demos place their own start). mlp hidden weights are N(0, 2/fan_in) for
 * relu and N(0, 1/fan_in) for tanh and sigmoid, the output layer's N(0, 1/fan_in),
 * drawn layer by layer, row by row, from rng_seed(seed); biases 0, γ 1, β 0.
 *
 * Memory: a model is read-only after model_create and may be shared by any number of
 * runs and threads. Each model_loss call of an mlp allocates one workspace (sized
 * from the batch; evaluation without batch statistics goes in chunks of MODEL_CHUNK
 * rows); linear, logistic and softmax allocate nothing.
 */
#include "core/model.h"

#include "core/model_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/textparse.h"

/* ---- parsing -------------------------------------------------------------- */

static const char *const model_names[] = { "default", "linear", "logistic", "softmax", "mlp" };
static const char *const act_names[] = { "relu", "tanh", "sigmoid" };

enum { KEY_BIAS, KEY_HIDDEN, KEY_ACT, KEY_BN, KEY_BN_POS, KEY_MOMENTUM, KEY_COUNT };
static const char *const key_names[KEY_COUNT] = { "bias", "hidden", "act", "bn", "bn_pos", "momentum" };

static int key_applies(model_kind kind, int key)
{
    if (kind == MODEL_MLP)
        return key != KEY_BIAS;
    return key == KEY_BIAS;
}

/* hidden=8x8: sizes separated by 'x'. s[0..len) is the trimmed value at column col. */
static int parse_hidden(const char *s, size_t len, int col, model_desc *d, diag *err)
{
    int n = 0;
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (j < len && s[j] != 'x' && s[j] != 'X')
            j++;
        size_t start;
        size_t tlen = text_trim(s + i, j - i, &start);
        int tcol = col + (int)(i + start);
        long v;
        if (tlen == 0 || !text_long(s + i + start, tlen, &v))
            return diag_set(err, 0, tcol, "expected hidden sizes like 8x8 after 'hidden='");
        if (v < 1 || v > MODEL_MAX_HIDDEN_UNITS)
            return diag_set(err, 0, tcol, "hidden layer size %ld out of range (1 to %d)", v,
                            MODEL_MAX_HIDDEN_UNITS);
        if (n == MODEL_MAX_LAYERS)
            return diag_set(err, 0, tcol, "at most %d hidden layers", MODEL_MAX_LAYERS);
        d->hidden[n++] = (int)v;
        if (j == len)
            break;
        i = j + 1;
    }
    d->n_hidden = n;
    return 1;
}

/* Word grammar of textparse.h, with no extra word bytes. */
int model_desc_parse(const char *spec, model_desc *desc, diag *err)
{
    text_spec sc;
    text_spec_begin(&sc, spec, "");
    const text_word name = sc.name;
    if (name.len == 0)
        return diag_set(err, 0, name.col, "expected a model name (linear, logistic, softmax, mlp)");
    model_kind kind = MODEL_DEFAULT;
    for (int k = MODEL_LINEAR; k <= MODEL_MLP; k++)
        if (text_ieq(name.s, model_names[k], name.len))
            kind = (model_kind)k;
    if (kind == MODEL_DEFAULT)
        return diag_set(err, 0, name.col,
                        "unknown model '%.*s' (expected linear, logistic, softmax, mlp)",
                        (int)name.len, name.s);
    const char *kname = model_names[kind];

    model_desc d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    if (kind == MODEL_MLP) {
        d.n_hidden = 1;
        d.hidden[0] = 8;
        d.act = ACT_RELU;
        d.bn_momentum = 0.9;
        d.bn_eps = 1e-5;
    }

    if (!text_spec_open(&sc, kname, err))
        return 0;
    text_word key, value;
    while (text_spec_key(&sc, &key)) {
        const char *expect = kind == MODEL_MLP ? "hidden, act, bn, bn_pos, momentum" : "bias";
        if (key.len == 0)
            return diag_set(err, 0, key.col, "expected a key (%s)", expect);
        int id = -1;
        for (int i = 0; i < KEY_COUNT; i++)
            if (text_ieq(key.s, key_names[i], key.len))
                id = i;
        if (id < 0 || !key_applies(kind, id))
            return diag_set(err, 0, key.col, "unknown key '%.*s' for %s (expected %s)",
                            (int)key.len, key.s, kname, expect);
        if (!text_spec_value(&sc, key_names[id], &value, err))
            return 0;
        const char *val = value.s;
        const size_t vlen = value.len;
        const int vcol = value.col;
        int b;
        double v;
        switch (id) {
        case KEY_BIAS:
        case KEY_BN:
            if (!text_bool(val, vlen, &b))
                return diag_set(err, 0, vcol, "expected 0 or 1 after '%s='", key_names[id]);
            if (id == KEY_BIAS)
                d.no_bias = !b;
            else
                d.bn = b;
            break;
        case KEY_HIDDEN:
            if (!parse_hidden(val, vlen, vcol, &d, err))
                return 0;
            break;
        case KEY_ACT: {
            int a = -1;
            for (int i = 0; i < 3; i++)
                if (text_ieq(val, act_names[i], vlen))
                    a = i;
            if (a < 0)
                return diag_set(err, 0, vcol,
                                "unknown activation '%.*s' (expected relu, tanh, sigmoid)",
                                (int)vlen, val);
            d.act = (model_act)a;
            break;
        }
        case KEY_BN_POS:
            if (text_ieq(val, "before", vlen))
                d.bn_after = 0;
            else if (text_ieq(val, "after", vlen))
                d.bn_after = 1;
            else
                return diag_set(err, 0, vcol, "expected before or after after 'bn_pos='");
            break;
        case KEY_MOMENTUM:
            if (!text_number(val, vlen, &v))
                return diag_set(err, 0, vcol, "expected a number after 'momentum='");
            if (!(v >= 0.0 && v < 1.0))
                return diag_set(err, 0, vcol, "momentum must be in [0, 1)");
            d.bn_momentum = v == 0.0 ? 0.0 : v;
            d.bn_momentum_zero = v == 0.0;
            break;
        default:
            break;
        }
    }
    *desc = d;
    return 1;
}

/* ---- creation ------------------------------------------------------------- */

model *model_create(const model_desc *desc, int d_in, data_task task, int n_classes, diag *err)
{
    model_desc d = *desc;
    if (d_in < 1) {
        diag_set(err, 0, 0, "the data set has no features");
        return NULL;
    }
    if (task == DATA_CLASSIFICATION && (n_classes < 2 || n_classes > MODEL_MAX_OUT)) {
        diag_set(err, 0, 0, "classification needs 2 to %d classes, not %d", MODEL_MAX_OUT,
                 n_classes);
        return NULL;
    }
    if (d.kind == MODEL_DEFAULT)
        d.kind = task == DATA_REGRESSION ? MODEL_LINEAR
                 : n_classes == 2        ? MODEL_LOGISTIC
                                         : MODEL_SOFTMAX;
    if (d.kind < MODEL_LINEAR || d.kind > MODEL_MLP) {
        diag_set(err, 0, 0, "unknown model kind %d", (int)d.kind);
        return NULL;
    }
    if (task == DATA_REGRESSION && (d.kind == MODEL_LOGISTIC || d.kind == MODEL_SOFTMAX)) {
        diag_set(err, 0, 0, "%s is a classifier; the data set is a regression task (use linear or mlp)",
                 model_names[d.kind]);
        return NULL;
    }
    if (task == DATA_CLASSIFICATION && d.kind == MODEL_LINEAR) {
        diag_set(err, 0, 0,
                 "linear is a regression model; the data set is a classification task (use logistic, softmax or mlp)");
        return NULL;
    }
    if (d.kind == MODEL_LOGISTIC && n_classes != 2) {
        diag_set(err, 0, 0, "logistic needs 2 classes, the data set has %d (use softmax)", n_classes);
        return NULL;
    }

    model *m = calloc(1, sizeof *m);
    if (!m) {
        diag_set(err, 0, 0, "out of memory");
        return NULL;
    }
    m->d_in = d_in;
    m->task = task;
    m->n_classes = task == DATA_CLASSIFICATION ? n_classes : 0;
    m->n_out = (d.kind == MODEL_SOFTMAX || (d.kind == MODEL_MLP && task == DATA_CLASSIFICATION))
                   ? n_classes
                   : 1;
    m->width[0] = d_in;
    if (d.kind == MODEL_MLP) {
        if (d.n_hidden == 0) {
            d.n_hidden = 1;
            d.hidden[0] = 8;
        }
        if (d.n_hidden < 0 || d.n_hidden > MODEL_MAX_LAYERS) {
            diag_set(err, 0, 0, "mlp needs 1 to %d hidden layers", MODEL_MAX_LAYERS);
            free(m);
            return NULL;
        }
        for (int l = 0; l < d.n_hidden; l++) {
            if (d.hidden[l] == 0)
                d.hidden[l] = 8;
            if (d.hidden[l] < 1 || d.hidden[l] > MODEL_MAX_HIDDEN_UNITS) {
                diag_set(err, 0, 0, "hidden layer size %d out of range (1 to %d)", d.hidden[l],
                         MODEL_MAX_HIDDEN_UNITS);
                free(m);
                return NULL;
            }
            m->width[l + 1] = d.hidden[l];
        }
        if ((int)d.act < ACT_RELU || (int)d.act > ACT_SIGMOID) {
            diag_set(err, 0, 0, "unknown activation %d", (int)d.act);
            free(m);
            return NULL;
        }
        if (d.bn_momentum == 0.0 && !d.bn_momentum_zero)
            d.bn_momentum = 0.9;
        if (!(d.bn_momentum >= 0.0 && d.bn_momentum < 1.0)) {
            diag_set(err, 0, 0, "momentum must be in [0, 1)");
            free(m);
            return NULL;
        }
        if (d.bn_eps == 0.0)
            d.bn_eps = 1e-5;
        if (!(d.bn_eps > 0.0) || !isfinite(d.bn_eps)) {
            diag_set(err, 0, 0, "batch-norm epsilon must be positive");
            free(m);
            return NULL;
        }
        d.no_bias = 0;
        d.bn = d.bn != 0;
        d.bn_after = d.bn_after != 0;
        m->n_layers = d.n_hidden + 1;
    } else {
        d.n_hidden = 0;
        d.bn = 0;
        d.no_bias = d.no_bias != 0;
        m->n_layers = 1;
    }
    m->width[m->n_layers] = m->n_out;
    m->p = d.bn_momentum;
    m->eps = d.bn_eps;

    int off = 0, aux = 0;
    for (int l = 0; l < m->n_layers; l++) {
        int in = m->width[l], out = m->width[l + 1];
        m->w_off[l] = off;
        off += out * in;
        m->b_off[l] = d.no_bias ? -1 : off;
        if (!d.no_bias)
            off += out;
        int hidden = l < m->n_layers - 1;
        if (hidden && d.bn) {
            m->g_off[l] = off;
            m->be_off[l] = off + out;
            off += 2 * out;
            m->mu_off[l] = aux;
            aux += 2 * out;
        } else {
            m->g_off[l] = m->be_off[l] = m->mu_off[l] = -1;
        }
    }
    m->n_params = off;
    m->n_aux = aux;
    m->desc = d;
    return m;
}

void model_destroy(model *m) { free(m); }

int model_param_count(const model *m) { return m->n_params; }
int model_aux_count(const model *m) { return m->n_aux; }
const model_desc *model_get_desc(const model *m) { return &m->desc; }

void model_param_name(const model *m, int i, char *buf, int size)
{
    if (!buf || size <= 0)
        return;
    if (i < 0 || i >= m->n_params) {
        snprintf(buf, (size_t)size, "?");
        return;
    }
    for (int l = 0; l < m->n_layers; l++) {
        int in = m->width[l], out = m->width[l + 1];
        char prefix[16];
        if (m->desc.kind != MODEL_MLP)
            prefix[0] = '\0';
        else if (l == m->n_layers - 1)
            snprintf(prefix, sizeof prefix, "out.");
        else
            snprintf(prefix, sizeof prefix, "l%d.", l + 1);
        int single = m->desc.kind == MODEL_LINEAR || m->desc.kind == MODEL_LOGISTIC;
        if (i >= m->w_off[l] && i < m->w_off[l] + out * in) {
            int r = (i - m->w_off[l]) / in, c = (i - m->w_off[l]) % in;
            if (single)
                snprintf(buf, (size_t)size, "w%d", c + 1);
            else
                snprintf(buf, (size_t)size, "%sW[%d,%d]", prefix, r, c);
            return;
        }
        if (m->b_off[l] >= 0 && i >= m->b_off[l] && i < m->b_off[l] + out) {
            if (single)
                snprintf(buf, (size_t)size, "b");
            else
                snprintf(buf, (size_t)size, "%sb[%d]", prefix, i - m->b_off[l]);
            return;
        }
        if (m->g_off[l] >= 0 && i >= m->g_off[l] && i < m->g_off[l] + out) {
            snprintf(buf, (size_t)size, "%sgamma[%d]", prefix, i - m->g_off[l]);
            return;
        }
        if (m->be_off[l] >= 0 && i >= m->be_off[l] && i < m->be_off[l] + out) {
            snprintf(buf, (size_t)size, "%sbeta[%d]", prefix, i - m->be_off[l]);
            return;
        }
    }
    snprintf(buf, (size_t)size, "?");
}

void model_init_params(const model *m, uint64_t seed, double *theta)
{
    memset(theta, 0, (size_t)m->n_params * sizeof *theta);
    if (m->desc.kind != MODEL_MLP)
        return;
    rng r;
    rng_seed(&r, seed);
    for (int l = 0; l < m->n_layers; l++) {
        int in = m->width[l], out = m->width[l + 1];
        int hidden = l < m->n_layers - 1;
        double gain = hidden && m->desc.act == ACT_RELU ? 2.0 : 1.0;
        double sd = sqrt(gain / in);
        for (int k = 0; k < out * in; k++)
            theta[m->w_off[l] + k] = sd * rng_normal(&r);
        if (m->g_off[l] >= 0)
            for (int k = 0; k < out; k++)
                theta[m->g_off[l] + k] = 1.0;
    }
}

void model_aux_init(const model *m, double *aux)
{
    for (int l = 0; l < m->n_layers; l++) {
        if (m->mu_off[l] < 0)
            continue;
        int h = m->width[l + 1];
        for (int k = 0; k < h; k++) {
            aux[m->mu_off[l] + k] = 0.0;
            aux[m->mu_off[l] + h + k] = 1.0;
        }
    }
}

/* ---- the objective -------------------------------------------------------- */

static double objective_eval_model(const void *ctx, const double *theta, const int *idx,
                                   int count, double *grad, double *aux, int train)
{
    const model_objective_ctx *c = ctx;
    return model_loss(c->model, c->loss, c->data, theta, idx, count, grad, aux, train);
}

static void objective_aux_init_model(const void *ctx, double *aux)
{
    const model_objective_ctx *c = ctx;
    if (c->aux0)
        memcpy(aux, c->aux0, (size_t)model_aux_count(c->model) * sizeof *aux);
    else
        model_aux_init(c->model, aux);
}

objective model_objective(const model_objective_ctx *ctx)
{
    objective o;
    memset(&o, 0, sizeof o);
    o.n = model_param_count(ctx->model);
    o.n_samples = ctx->data->n;
    o.n_aux = model_aux_count(ctx->model);
    o.ctx = ctx;
    o.eval = objective_eval_model;
    o.aux_init = o.n_aux > 0 ? objective_aux_init_model : NULL;
    return o;
}

/* ---- structure, for landscape planes ------------------------------------------ */

int model_input_count(const model *m) { return m->d_in; }
int model_output_count(const model *m) { return m->n_out; }

/* Filters in θ order: per layer, each row of W (a weight filter), then the biases,
 * γ and β as one group each (not weights). */
int model_filter_count(const model *m)
{
    int n = 0;
    for (int l = 0; l < m->n_layers; l++)
        n += m->width[l + 1] + (m->b_off[l] >= 0) + 2 * (m->g_off[l] >= 0);
    return n;
}

void model_filter(const model *m, int k, int *offset, int *len, int *is_weight)
{
    *offset = 0;
    *len = 0;
    *is_weight = 0;
    for (int l = 0; l < m->n_layers; l++) {
        int in = m->width[l], out = m->width[l + 1];
        if (k < out) {
            *offset = m->w_off[l] + k * in;
            *len = in;
            *is_weight = 1;
            return;
        }
        k -= out;
        const int groups[3] = { m->b_off[l], m->g_off[l], m->be_off[l] };
        for (int g = 0; g < 3; g++) {
            if (groups[g] < 0)
                continue;
            if (k == 0) {
                *offset = groups[g];
                *len = out;
                return;
            }
            k--;
        }
    }
}

int model_layer_count(const model *m) { return m->n_layers; }

model_layer model_layer_get(const model *m, int l)
{
    model_layer r = { m->width[l], m->width[l + 1], m->w_off[l], m->b_off[l],
                      m->g_off[l], m->be_off[l], m->mu_off[l] };
    return r;
}
