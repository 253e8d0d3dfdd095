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

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model_fast.h"
#include "core/rng.h"
#include "core/textparse.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#define MODEL_MAX_HIDDEN_UNITS 256
#define MODEL_CHUNK 256          /* rows per block when rows are independent */
#define MODEL_BIG 16384          /* samples from which a sum goes vectorized and threaded */
#define MODEL_MAX_OUT DATA_MAX_CLASSES

struct model {
    model_desc desc;             /* kind and defaults resolved */
    int d_in;
    data_task task;
    int n_classes;               /* classification: k; regression: 0 */
    int n_out;                   /* output layer width */
    int n_layers;                /* fully connected layers, output included */
    int width[MODEL_MAX_LAYERS + 2]; /* width[0] = d_in, width[l + 1] = layer l's outputs */
    int w_off[MODEL_MAX_LAYERS + 1];
    int b_off[MODEL_MAX_LAYERS + 1];  /* -1: no bias */
    int g_off[MODEL_MAX_LAYERS + 1];  /* γ; -1: no bn */
    int be_off[MODEL_MAX_LAYERS + 1]; /* β */
    int mu_off[MODEL_MAX_LAYERS + 1]; /* aux moving means; variances follow */
    int n_params;
    int n_aux;
    double p;                    /* bn momentum */
    double eps;
};

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

/* ---- the head: output values → loss and its derivative -------------------- */

static double sigmoid(double z)
{
    if (z >= 0.0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

static double softplus(double z) { return fmax(z, 0.0) + log1p(exp(-fabs(z))); }

/* Loss of one sample with output values z[n_out] and target y; dz (if not NULL)
 * receives dloss/dz. NaN for a label out of range or ce on regression. */
static double head(const model *m, loss_kind loss, const double *z, double y, double *dz)
{
    if (m->task == DATA_REGRESSION) {
        if (loss != LOSS_MSE) {
            if (dz)
                dz[0] = NAN;
            return NAN;
        }
        double r = z[0] - y;
        if (dz)
            dz[0] = 2.0 * r;
        return r * r;
    }
    int k = m->n_out;
    if (m->desc.kind == MODEL_LOGISTIC) {
        double s = sigmoid(z[0]);
        if (loss == LOSS_CE) {
            if (dz)
                dz[0] = s - y;
            return softplus(z[0]) - y * z[0];
        }
        double r = s - y;
        if (dz)
            dz[0] = 2.0 * r * s * (1.0 - s);
        return r * r;
    }
    int c = (int)y;
    if (!(y >= 0.0) || c >= k || (double)c != y) {
        if (dz)
            for (int i = 0; i < k; i++)
                dz[i] = NAN;
        return NAN;
    }
    double zmax = z[0];
    for (int i = 1; i < k; i++)
        zmax = fmax(zmax, z[i]);
    double pr[MODEL_MAX_OUT];
    double sum = 0.0;
    for (int i = 0; i < k; i++) {
        pr[i] = exp(z[i] - zmax);
        sum += pr[i];
    }
    for (int i = 0; i < k; i++)
        pr[i] /= sum;
    if (loss == LOSS_CE) {
        if (dz)
            for (int i = 0; i < k; i++)
                dz[i] = pr[i] - (i == c);
        return zmax + log(sum) - z[c];
    }
    /* mse on probabilities: g_i = 2 (p_i − t_i); dz_i = p_i (g_i − Σ_j g_j p_j) */
    double l = 0.0, gp = 0.0;
    for (int i = 0; i < k; i++) {
        double r = pr[i] - (i == c);
        l += r * r;
        gp += 2.0 * r * pr[i];
    }
    if (dz)
        for (int i = 0; i < k; i++)
            dz[i] = pr[i] * (2.0 * (pr[i] - (i == c)) - gp);
    return l;
}

/* Output values → predictions (regression value, σ, or softmax probabilities). */
static void head_predict(const model *m, const double *z, double *out)
{
    if (m->task == DATA_REGRESSION) {
        out[0] = z[0];
        return;
    }
    if (m->desc.kind == MODEL_LOGISTIC) {
        out[0] = sigmoid(z[0]);
        return;
    }
    int k = m->n_out;
    double zmax = z[0];
    for (int i = 1; i < k; i++)
        zmax = fmax(zmax, z[i]);
    double sum = 0.0;
    for (int i = 0; i < k; i++) {
        out[i] = exp(z[i] - zmax);
        sum += out[i];
    }
    for (int i = 0; i < k; i++)
        out[i] /= sum;
}

/* ---- one-layer models: sample by sample, no workspace --------------------- */

static double single_sum(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                         const int *idx, int count, double *grad)
{
    const int d = m->d_in, k = m->n_out;
    const double *W = theta + m->w_off[0];
    const double *b = m->b_off[0] >= 0 ? theta + m->b_off[0] : NULL;
    double *gW = grad ? grad + m->w_off[0] : NULL;
    double *gb = grad && b ? grad + m->b_off[0] : NULL;
    double total = 0.0;
    double z[MODEL_MAX_OUT], dz[MODEL_MAX_OUT];
    for (int s = 0; s < count; s++) {
        int row = idx ? idx[s] : s;
        const double *x = ds->x + (size_t)row * d;
        for (int i = 0; i < k; i++) {
            const double *w = W + (size_t)i * d;
            double acc = b ? b[i] : 0.0;
            for (int j = 0; j < d; j++)
                acc += w[j] * x[j];
            z[i] = acc;
        }
        total += head(m, loss, z, ds->y[row], grad ? dz : NULL);
        if (grad) {
            for (int i = 0; i < k; i++) {
                double *gw = gW + (size_t)i * d;
                for (int j = 0; j < d; j++)
                    gw[j] += dz[i] * x[j];
                if (gb)
                    gb[i] += dz[i];
            }
        }
    }
    return total;
}

/* ---- the general path: a block of rows, layer by layer -------------------- */

typedef struct block {
    int rows;
    double *in;                              /* rows × d_in, the gathered inputs */
    double *a[MODEL_MAX_LAYERS + 1];         /* rows × width: hidden outputs; last = logits */
    double *h[MODEL_MAX_LAYERS];             /* bn after: activation outputs before bn */
    double *nrm[MODEL_MAX_LAYERS];           /* bn: normalized values */
    double *inv_s[MODEL_MAX_LAYERS];         /* bn: 1/√(σ² + ε) per unit */
    double *d0, *d1;                         /* rows × max width: back-propagated deltas */
} block;

static size_t block_doubles(const model *m, int rows)
{
    size_t n = (size_t)rows * m->d_in;
    int maxw = m->d_in;
    for (int l = 0; l < m->n_layers; l++) {
        int w = m->width[l + 1];
        if (w > maxw)
            maxw = w;
        n += (size_t)rows * w;
        if (l < m->n_layers - 1 && m->desc.bn) {
            n += (size_t)rows * w * (m->desc.bn_after ? 2 : 1);
            n += (size_t)w;
        }
    }
    n += 2 * (size_t)rows * maxw;
    return n;
}

static void block_carve(const model *m, int rows, double *mem, block *b)
{
    memset(b, 0, sizeof *b);
    b->rows = rows;
    double *p = mem;
    b->in = p;
    p += (size_t)rows * m->d_in;
    int maxw = m->d_in;
    for (int l = 0; l < m->n_layers; l++) {
        int w = m->width[l + 1];
        if (w > maxw)
            maxw = w;
        b->a[l] = p;
        p += (size_t)rows * w;
        if (l < m->n_layers - 1 && m->desc.bn) {
            b->nrm[l] = p;
            p += (size_t)rows * w;
            if (m->desc.bn_after) {
                b->h[l] = p;
                p += (size_t)rows * w;
            }
            b->inv_s[l] = p;
            p += w;
        }
    }
    b->d0 = p;
    p += (size_t)rows * maxw;
    b->d1 = p;
}

static double act_f(model_act a, double z)
{
    switch (a) {
    case ACT_TANH: return tanh(z);
    case ACT_SIGMOID: return sigmoid(z);
    default: return z > 0.0 ? z : 0.0;
    }
}

/* Derivative from the activation's output y. */
static double act_df(model_act a, double y)
{
    switch (a) {
    case ACT_TANH: return 1.0 - y * y;
    case ACT_SIGMOID: return y * (1.0 - y);
    default: return y > 0.0 ? 1.0 : 0.0;
    }
}

/* Normalize v (rows × w) in place into nrm, with batch statistics (batch = 1) or aux's
 * moving averages; update aux in training mode. */
static void bn_forward(const model *m, int l, int rows, int w, const double *v, double *nrm,
                       double *inv_s, double *aux, int batch, int train)
{
    double *mu_bar = aux ? aux + m->mu_off[l] : NULL;
    double *var_bar = aux ? mu_bar + w : NULL;
    for (int i = 0; i < w; i++) {
        double mu, var;
        if (batch) {
            double s = 0.0;
            for (int r = 0; r < rows; r++)
                s += v[(size_t)r * w + i];
            mu = s / rows;
            double q = 0.0;
            for (int r = 0; r < rows; r++) {
                double e = v[(size_t)r * w + i] - mu;
                q += e * e;
            }
            var = q / rows;
            if (train && aux) {
                mu_bar[i] = m->p * mu_bar[i] + (1.0 - m->p) * mu;
                /* The moving variance takes the unbiased estimate, as torch stores it
                 * (normalization itself uses the biased one). */
                double unbiased = rows > 1 ? q / (rows - 1) : var;
                var_bar[i] = m->p * var_bar[i] + (1.0 - m->p) * unbiased;
            }
        } else {
            mu = mu_bar[i];
            var = var_bar[i];
        }
        double is = 1.0 / sqrt(var + m->eps);
        inv_s[i] = is;
        for (int r = 0; r < rows; r++)
            nrm[(size_t)r * w + i] = (v[(size_t)r * w + i] - mu) * is;
    }
}

/* dn (gradient w.r.t. the normalized values, rows × w) → gradient w.r.t. the values
 * before normalization, in place. */
static void bn_backward(int rows, int w, const double *nrm, const double *inv_s, double *dn,
                        int batch)
{
    for (int i = 0; i < w; i++) {
        double is = inv_s[i];
        if (!batch) {
            for (int r = 0; r < rows; r++)
                dn[(size_t)r * w + i] *= is;
            continue;
        }
        double md = 0.0, mdn = 0.0;
        for (int r = 0; r < rows; r++) {
            md += dn[(size_t)r * w + i];
            mdn += dn[(size_t)r * w + i] * nrm[(size_t)r * w + i];
        }
        md /= rows;
        mdn /= rows;
        for (int r = 0; r < rows; r++) {
            size_t q = (size_t)r * w + i;
            dn[q] = is * (dn[q] - md - nrm[q] * mdn);
        }
    }
}

/* Forward pass of rows x (gathered already into b->in); logits end in b->a[last]. */
static void forward(const model *m, const double *theta, block *b, double *aux, int batch,
                    int train)
{
    const int rows = b->rows;
    const double *prev = b->in;
    for (int l = 0; l < m->n_layers; l++) {
        int in = m->width[l], w = m->width[l + 1];
        const double *W = theta + m->w_off[l];
        const double *bias = m->b_off[l] >= 0 ? theta + m->b_off[l] : NULL;
        double *z = b->a[l];
        for (int r = 0; r < rows; r++) {
            const double *x = prev + (size_t)r * in;
            double *zr = z + (size_t)r * w;
            for (int i = 0; i < w; i++) {
                const double *wi = W + (size_t)i * in;
                double acc = bias ? bias[i] : 0.0;
                for (int j = 0; j < in; j++)
                    acc += wi[j] * x[j];
                zr[i] = acc;
            }
        }
        if (l == m->n_layers - 1)
            break;
        const model_act act = m->desc.act;
        size_t n = (size_t)rows * w;
        if (!m->desc.bn) {
            for (size_t q = 0; q < n; q++)
                z[q] = act_f(act, z[q]);
        } else {
            const double *g = theta + m->g_off[l], *be = theta + m->be_off[l];
            if (!m->desc.bn_after) {
                bn_forward(m, l, rows, w, z, b->nrm[l], b->inv_s[l], aux, batch, train);
                for (size_t q = 0; q < n; q++) {
                    int i = (int)(q % (size_t)w);
                    z[q] = act_f(act, g[i] * b->nrm[l][q] + be[i]);
                }
            } else {
                double *h = b->h[l];
                for (size_t q = 0; q < n; q++)
                    h[q] = act_f(act, z[q]);
                bn_forward(m, l, rows, w, h, b->nrm[l], b->inv_s[l], aux, batch, train);
                for (size_t q = 0; q < n; q++) {
                    int i = (int)(q % (size_t)w);
                    z[q] = g[i] * b->nrm[l][q] + be[i];
                }
            }
        }
        prev = z;
    }
}

/* Backward pass from the deltas at the logits (in b->d0, rows × n_out), unscaled sums
 * into grad. */
static void backward(const model *m, const double *theta, block *b, double *grad, int batch)
{
    const int rows = b->rows;
    double *delta = b->d0, *next = b->d1;
    for (int l = m->n_layers - 1; l >= 0; l--) {
        int in = m->width[l], w = m->width[l + 1];
        const double *prev = l == 0 ? b->in : b->a[l - 1];
        double *gW = grad + m->w_off[l];
        double *gb = m->b_off[l] >= 0 ? grad + m->b_off[l] : NULL;
        for (int r = 0; r < rows; r++) {
            const double *dr = delta + (size_t)r * w;
            const double *x = prev + (size_t)r * in;
            for (int i = 0; i < w; i++) {
                double di = dr[i];
                if (di == 0.0)
                    continue;
                double *gw = gW + (size_t)i * in;
                for (int j = 0; j < in; j++)
                    gw[j] += di * x[j];
                if (gb)
                    gb[i] += di;
            }
        }
        if (l == 0)
            break;
        /* gradient w.r.t. hidden layer l−1's output */
        const double *W = theta + m->w_off[l];
        for (int r = 0; r < rows; r++) {
            const double *dr = delta + (size_t)r * w;
            double *nr = next + (size_t)r * in;
            for (int j = 0; j < in; j++)
                nr[j] = 0.0;
            for (int i = 0; i < w; i++) {
                const double *wi = W + (size_t)i * in;
                double di = dr[i];
                for (int j = 0; j < in; j++)
                    nr[j] += di * wi[j];
            }
        }
        /* through hidden layer k = l−1 (width `in`) down to its pre-activation z */
        int k = l - 1;
        const model_act act = m->desc.act;
        size_t n = (size_t)rows * in;
        const double *out = b->a[k];
        if (!m->desc.bn) {
            for (size_t q = 0; q < n; q++)
                next[q] *= act_df(act, out[q]);
        } else {
            const double *g = theta + m->g_off[k];
            double *gg = grad + m->g_off[k], *gbe = grad + m->be_off[k];
            const double *nrm = b->nrm[k];
            if (!m->desc.bn_after) {
                for (size_t q = 0; q < n; q++) {
                    int i = (int)(q % (size_t)in);
                    double du = next[q] * act_df(act, out[q]);
                    gg[i] += du * nrm[q];
                    gbe[i] += du;
                    next[q] = g[i] * du;
                }
                bn_backward(rows, in, nrm, b->inv_s[k], next, batch);
            } else {
                for (size_t q = 0; q < n; q++) {
                    int i = (int)(q % (size_t)in);
                    gg[i] += next[q] * nrm[q];
                    gbe[i] += next[q];
                    next[q] *= g[i];
                }
                bn_backward(rows, in, nrm, b->inv_s[k], next, batch);
                const double *h = b->h[k];
                for (size_t q = 0; q < n; q++)
                    next[q] *= act_df(act, h[q]);
            }
        }
        double *t = delta;
        delta = next;
        next = t;
    }
}

static void gather(const model *m, const double *x, const int *idx, int first, int rows,
                   double *in)
{
    const int d = m->d_in;
    for (int r = 0; r < rows; r++) {
        int row = idx ? idx[first + r] : first + r;
        memcpy(in + (size_t)r * d, x + (size_t)row * d, (size_t)d * sizeof *in);
    }
}

/* Whether batch normalization needs the statistics of the whole batch at once. */
static int needs_batch(const model *m, const double *aux, int train)
{
    return m->desc.bn && (train || aux == NULL);
}

/* Rows idx[row0 + j] (idx NULL: row0 + j) for j < count. */
static double general_sum(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                          const int *idx, int row0, int count, double *grad, double *aux,
                          int train)
{
    const int batch = needs_batch(m, aux, train);
    const int chunk = batch ? count : (count < MODEL_CHUNK ? count : MODEL_CHUNK);
    double *mem = malloc(block_doubles(m, chunk) * sizeof(double));
    if (!mem)
        return NAN;
    block b;
    const int k = m->n_out;
    double total = 0.0;
    for (int first = 0; first < count; first += chunk) {
        int rows = count - first < chunk ? count - first : chunk;
        block_carve(m, rows, mem, &b);
        gather(m, ds->x, idx, row0 + first, rows, b.in);
        forward(m, theta, &b, aux, batch, train);
        const double *logits = b.a[m->n_layers - 1];
        for (int r = 0; r < rows; r++) {
            int row = idx ? idx[row0 + first + r] : row0 + first + r;
            total += head(m, loss, logits + (size_t)r * k, ds->y[row],
                          grad ? b.d0 + (size_t)r * k : NULL);
        }
        if (grad)
            backward(m, theta, &b, grad, batch);
    }
    free(mem);
    return total;
}

/* Large sums (count ≥ MODEL_BIG samples whose losses are independent): contiguous
 * ranges on every thread, each with its own gradient buffer, combined in thread
 * order; one-layer models through model_fast.c's vectorized kernel. Returns 1 with
 * *total and grad (zeroed by the caller) filled, or 0: the caller takes the plain
 * path (out of memory, or labels that are not classes). */
static int big_sum(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                   const int *idx, int count, double *grad, double *aux, int train,
                   double *total)
{
    const int single = m->desc.kind != MODEL_MLP;
    single_desc sd = { m->d_in, m->n_out, m->b_off[0] >= 0, m->task == DATA_REGRESSION,
                       m->desc.kind == MODEL_LOGISTIC, loss == LOSS_MSE };
    if (single && sd.regression && !sd.mse)
        return 0;
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    if (threads > count / (MODEL_BIG / 2))
        threads = count / (MODEL_BIG / 2);
    if (threads < 1)
        threads = 1;
    const size_t stride = (size_t)m->n_params + 1;
    double *part = calloc((size_t)threads * stride, sizeof *part);
    if (!part)
        return 0;
    int ok = 1, used = 1;
#ifdef _OPENMP
#pragma omp parallel num_threads(threads)
#endif
    {
        int t = 0, nt = 1;
#ifdef _OPENMP
        t = omp_get_thread_num();
        nt = omp_get_num_threads();
#pragma omp single
        used = nt;
#endif
        const int lo = (int)((long)count * t / nt), hi = (int)((long)count * (t + 1) / nt);
        double *pt = part + (size_t)t * stride;
        if (single) {
            if (!single_fast_sum(&sd, ds, theta, idx, lo, hi - lo, grad ? pt + 1 : NULL, pt)) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
                ok = 0;
            }
        } else {
            pt[0] = general_sum(m, loss, ds, theta, idx, lo, hi - lo, grad ? pt + 1 : NULL, aux,
                                train);
        }
    }
    if (ok) {
        double s = 0.0;
        for (int t = 0; t < used; t++)
            s += part[(size_t)t * stride];
        *total = s;
        for (int i = 0; grad && i < m->n_params; i++) {
            double g = 0.0;
            for (int t = 0; t < used; t++)
                g += part[(size_t)t * stride + 1 + (size_t)i];
            grad[i] = g;
        }
    }
    free(part);
    return ok;
}

double model_loss_plain(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                        const int *idx, int count, double *grad, double *aux, int train)
{
    if (loss == LOSS_DEFAULT)
        loss = m->task == DATA_REGRESSION ? LOSS_MSE : LOSS_CE;
    if (!idx)
        count = ds->n;
    if (grad)
        memset(grad, 0, (size_t)m->n_params * sizeof *grad);
    if (count <= 0)
        return 0.0;
    double total = m->desc.kind == MODEL_MLP
                       ? general_sum(m, loss, ds, theta, idx, 0, count, grad, aux, train)
                       : single_sum(m, loss, ds, theta, idx, count, grad);
    double inv = 1.0 / count;
    if (grad)
        for (int i = 0; i < m->n_params; i++)
            grad[i] *= inv;
    return total * inv;
}

double model_loss(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                  const int *idx, int count, double *grad, double *aux, int train)
{
    if (loss == LOSS_DEFAULT)
        loss = m->task == DATA_REGRESSION ? LOSS_MSE : LOSS_CE;
    if (!idx)
        count = ds->n;
    if (grad)
        memset(grad, 0, (size_t)m->n_params * sizeof *grad);
    if (count <= 0)
        return 0.0;
    double total;
    if (count >= MODEL_BIG && !needs_batch(m, aux, train) &&
        big_sum(m, loss, ds, theta, idx, count, grad, aux, train, &total)) {
        /* done: vectorized and threaded */
    } else {
        if (grad)
            memset(grad, 0, (size_t)m->n_params * sizeof *grad);
        total = m->desc.kind == MODEL_MLP
                    ? general_sum(m, loss, ds, theta, idx, 0, count, grad, aux, train)
                    : single_sum(m, loss, ds, theta, idx, count, grad);
    }
    double inv = 1.0 / count;
    if (grad)
        for (int i = 0; i < m->n_params; i++)
            grad[i] *= inv;
    return total * inv;
}

/* Output values (logits) for count rows of x into out (count × n_out). Rows are
 * independent unless batch norm needs the batch's statistics; then they go in chunks
 * over the threads when there are many (≥ MODEL_BIG). */
static int logits(const model *m, const double *theta, const double *aux, const double *x,
                  int count, double *out)
{
    const int batch = needs_batch(m, aux, 0);
    const int chunk = batch ? count : (count < MODEL_CHUNK ? count : MODEL_CHUNK);
    const int k = m->n_out;
    int ok = 1;
#ifdef _OPENMP
#pragma omp parallel if (!batch && count >= MODEL_BIG)
#endif
    {
        double *mem = malloc(block_doubles(m, chunk) * sizeof(double));
        if (!mem) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
            ok = 0;
        }
        block b;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
        for (int c = 0; c < (count + chunk - 1) / chunk; c++) {
            if (!mem)
                continue;
            const int first = c * chunk;
            const int rows = count - first < chunk ? count - first : chunk;
            block_carve(m, rows, mem, &b);
            gather(m, x, NULL, first, rows, b.in);
            /* aux is only read in evaluation mode */
            forward(m, theta, &b, (double *)aux, batch, 0);
            memcpy(out + (size_t)first * k, b.a[m->n_layers - 1],
                   (size_t)rows * k * sizeof *out);
        }
        free(mem);
    }
    return ok;
}

void model_predict(const model *m, const double *theta, const double *aux, const double *x,
                   int count, double *out)
{
    if (count <= 0)
        return;
    const int k = m->n_out;
    if (!logits(m, theta, aux, x, count, out)) {
        for (size_t q = 0; q < (size_t)count * k; q++)
            out[q] = NAN;
        return;
    }
    double z[MODEL_MAX_OUT];
    for (int r = 0; r < count; r++) {
        double *o = out + (size_t)r * k;
        memcpy(z, o, (size_t)k * sizeof *z);
        head_predict(m, z, o);
    }
}

double model_accuracy(const model *m, const double *theta, const double *aux, const dataset *ds)
{
    if (m->task != DATA_CLASSIFICATION || ds->n <= 0)
        return 0.0;
    const int k = m->n_out;
    double *z = malloc((size_t)ds->n * k * sizeof *z);
    if (!z || !logits(m, theta, aux, ds->x, ds->n, z)) {
        free(z);
        return NAN;
    }
    int right = 0;
    for (int r = 0; r < ds->n; r++) {
        const double *zr = z + (size_t)r * k;
        int c;
        if (m->desc.kind == MODEL_LOGISTIC) {
            c = zr[0] >= 0.0; /* σ(z) ≥ 0.5 */
        } else {
            c = 0;
            for (int i = 1; i < k; i++)
                if (zr[i] > zr[c])
                    c = i;
        }
        right += (double)c == ds->y[r];
    }
    free(z);
    return (double)right / ds->n;
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
