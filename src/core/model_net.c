/*
 * model_net.c — the general evaluation path of model.c: a block of rows through the
 * fully connected layers (batch normalization and activations included), forward
 * and backward. See model.c for the maths and model_internal.h for the contracts.
 *
 * The loops run along a row of units (one layer's outputs, or inputs), so that the
 * compiler vectorizes them (this file is built with -O3; NET_CLONES adds AVX2 and
 * AVX-512 versions picked at run time) while every sum keeps its order, term by
 * term, and no multiply-add is fused (ISO C: no contraction): the numbers are the
 * ones of the plain loops, bit for bit (tests/test_model.c checks them against a
 * plain reference). A forward layer reads its weights transposed (b->wt), so each
 * output's sum bias + w₀x₀ + w₁x₁ + … is accumulated in unit order across the row.
 */
#include "core/model_internal.h"

#include <math.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__gnu_linux__)
#define NET_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NET_CLONES
#endif

/* The largest in × w of the layers: the transposed weights' room. */
static size_t max_weights(const model *m)
{
    size_t most = 0;
    for (int l = 0; l < m->n_layers; l++) {
        size_t k = (size_t)m->width[l] * (size_t)m->width[l + 1];
        if (k > most)
            most = k;
    }
    return most;
}

size_t model_block_doubles(const model *m, int rows)
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
    n += max_weights(m);
    return n;
}

void model_block_carve(const model *m, int rows, double *mem, block *b)
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
    p += (size_t)rows * maxw;
    b->wt = p;
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

/* z[q] = act(z[q]) for q < n; ReLU as a select the vectorizer takes (the same values). */
NET_CLONES static void act_rows(model_act a, double *restrict z, size_t n)
{
    if (a == ACT_TANH || a == ACT_SIGMOID) {
        for (size_t q = 0; q < n; q++)
            z[q] = act_f(a, z[q]);
        return;
    }
    for (size_t q = 0; q < n; q++)
        z[q] = z[q] > 0.0 ? z[q] : 0.0;
}

/* d[q] *= act'(from the output y[q]) for q < n. */
NET_CLONES static void act_back_rows(model_act a, const double *restrict y, double *restrict d, size_t n)
{
    if (a == ACT_TANH || a == ACT_SIGMOID) {
        for (size_t q = 0; q < n; q++)
            d[q] *= act_df(a, y[q]);
        return;
    }
    for (size_t q = 0; q < n; q++)
        d[q] *= y[q] > 0.0 ? 1.0 : 0.0;
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

/* z (rows × w) = prev (rows × in) · Wᵀ + bias, W being w × in: with wt (in × w) the
 * transposed weights, each z[r][i] = bias[i] + W[i][0]·x[0] + W[i][1]·x[1] + … in
 * that order, accumulated along the row of outputs. */
NET_CLONES static void dense(int rows, int in, int w, const double *W, const double *bias, const double *prev,
                             double *wt, double *z)
{
    if (w < 4) {   /* a narrow layer (the logits): the sums one by one */
        for (int r = 0; r < rows; r++) {
            const double *x = prev + (size_t)r * in;
            for (int i = 0; i < w; i++) {
                const double *wi = W + (size_t)i * in;
                double acc = bias ? bias[i] : 0.0;
                for (int j = 0; j < in; j++)
                    acc += wi[j] * x[j];
                z[(size_t)r * w + i] = acc;
            }
        }
        return;
    }
    for (int i = 0; i < w; i++)
        for (int j = 0; j < in; j++)
            wt[(size_t)j * w + i] = W[(size_t)i * in + j];
    for (int r = 0; r < rows; r++) {
        const double *x = prev + (size_t)r * in;
        double *restrict zr = z + (size_t)r * w;
        for (int i = 0; i < w; i++)
            zr[i] = bias ? bias[i] : 0.0;
        for (int j = 0; j < in; j++) {
            const double xj = x[j];
            const double *restrict wj = wt + (size_t)j * w;
            for (int i = 0; i < w; i++)
                zr[i] += wj[i] * xj;
        }
    }
}

/* Forward pass of rows x (gathered already into b->in); logits end in b->a[last]. */
void model_forward(const model *m, const double *theta, block *b, double *aux, int batch,
                   int train)
{
    const int rows = b->rows;
    const double *prev = b->in;
    for (int l = 0; l < m->n_layers; l++) {
        int in = m->width[l], w = m->width[l + 1];
        const double *W = theta + m->w_off[l];
        const double *bias = m->b_off[l] >= 0 ? theta + m->b_off[l] : NULL;
        double *z = b->a[l];
        dense(rows, in, w, W, bias, prev, b->wt, z);
        if (l == m->n_layers - 1)
            break;
        const model_act act = m->desc.act;
        size_t n = (size_t)rows * w;
        if (!m->desc.bn) {
            act_rows(act, z, n);
        } else {
            const double *g = theta + m->g_off[l], *be = theta + m->be_off[l];
            const double *nrm = b->nrm[l];
            if (!m->desc.bn_after) {
                bn_forward(m, l, rows, w, z, b->nrm[l], b->inv_s[l], aux, batch, train);
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < w; i++) {
                        size_t q = (size_t)r * w + i;
                        z[q] = act_f(act, g[i] * nrm[q] + be[i]);
                    }
            } else {
                double *h = b->h[l];
                memcpy(h, z, n * sizeof *h);
                act_rows(act, h, n);
                bn_forward(m, l, rows, w, h, b->nrm[l], b->inv_s[l], aux, batch, train);
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < w; i++) {
                        size_t q = (size_t)r * w + i;
                        z[q] = g[i] * nrm[q] + be[i];
                    }
            }
        }
        prev = z;
    }
}

/* gW (w × in) += Σ_r δ[r][i]·x[r][j] in row order, and gb[i] += δ[r][i] (rows with δ = 0
 * skipped, as ever); then, unless next is NULL, next[r] = Σ_i δ[r][i]·W[i] (rows × in). */
NET_CLONES static void dense_back(int rows, int in, int w, const double *W, const double *delta,
                                  const double *prev, double *gW, double *gb, double *next)
{
    for (int r = 0; r < rows; r++) {
        const double *dr = delta + (size_t)r * w;
        const double *restrict x = prev + (size_t)r * in;
        for (int i = 0; i < w; i++) {
            double di = dr[i];
            if (di == 0.0)
                continue;
            double *restrict gw = gW + (size_t)i * in;
            for (int j = 0; j < in; j++)
                gw[j] += di * x[j];
            if (gb)
                gb[i] += di;
        }
    }
    if (!next)
        return;
    for (int r = 0; r < rows; r++) {
        const double *dr = delta + (size_t)r * w;
        double *restrict nr = next + (size_t)r * in;
        for (int j = 0; j < in; j++)
            nr[j] = 0.0;
        for (int i = 0; i < w; i++) {
            const double *restrict wi = W + (size_t)i * in;
            double di = dr[i];
            for (int j = 0; j < in; j++)
                nr[j] += di * wi[j];
        }
    }
}

/* Backward pass from the deltas at the logits (in b->d0, rows × n_out), unscaled sums
 * into grad. */
void model_backward(const model *m, const double *theta, block *b, double *grad, int batch)
{
    const int rows = b->rows;
    double *delta = b->d0, *next = b->d1;
    for (int l = m->n_layers - 1; l >= 0; l--) {
        int in = m->width[l], w = m->width[l + 1];
        const double *prev = l == 0 ? b->in : b->a[l - 1];
        double *gW = grad + m->w_off[l];
        double *gb = m->b_off[l] >= 0 ? grad + m->b_off[l] : NULL;
        /* and the gradient w.r.t. hidden layer l−1's output */
        dense_back(rows, in, w, theta + m->w_off[l], delta, prev, gW, gb, l == 0 ? NULL : next);
        if (l == 0)
            break;
        /* through hidden layer k = l−1 (width `in`) down to its pre-activation z */
        int k = l - 1;
        const model_act act = m->desc.act;
        size_t n = (size_t)rows * in;
        const double *out = b->a[k];
        if (!m->desc.bn) {
            act_back_rows(act, out, next, n);
        } else {
            const double *g = theta + m->g_off[k];
            double *gg = grad + m->g_off[k], *gbe = grad + m->be_off[k];
            const double *nrm = b->nrm[k];
            if (!m->desc.bn_after) {
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < in; i++) {
                        size_t q = (size_t)r * in + i;
                        double du = next[q] * act_df(act, out[q]);
                        gg[i] += du * nrm[q];
                        gbe[i] += du;
                        next[q] = g[i] * du;
                    }
                bn_backward(rows, in, nrm, b->inv_s[k], next, batch);
            } else {
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < in; i++) {
                        size_t q = (size_t)r * in + i;
                        gg[i] += next[q] * nrm[q];
                        gbe[i] += next[q];
                        next[q] *= g[i];
                    }
                bn_backward(rows, in, nrm, b->inv_s[k], next, batch);
                act_back_rows(act, b->h[k], next, n);
            }
        }
        double *t = delta;
        delta = next;
        next = t;
    }
}

void model_gather(const model *m, const double *x, const int *idx, int first, int rows,
                  double *in)
{
    const int d = m->d_in;
    for (int r = 0; r < rows; r++) {
        int row = idx ? idx[first + r] : first + r;
        memcpy(in + (size_t)r * d, x + (size_t)row * d, (size_t)d * sizeof *in);
    }
}

/* Whether batch normalization needs the statistics of the whole batch at once. */
int model_needs_batch(const model *m, const double *aux, int train)
{
    return m->desc.bn && (train || aux == NULL);
}
