/*
 * landscape_mlp.c — loss grids of multi-layer perceptrons on a plane. See
 * landscape_mlp.h (the contract) and landscape.h (planes and grids).
 *
 * On the plane θ = θ0 + a d1 + b d2 the first layer's pre-activations are affine in
 * (a, b): Z = X W0ᵀ + b0 + a (X D1ᵀ + c1) + b (X D2ᵀ + c2), where W0, D1, D2 are the
 * first layer's weights in θ0, d1, d2 and b0, c1, c2 their biases. The three products
 * are computed once per grid (O(n · d · h)); a grid point then costs 2 multiply-adds
 * per first-layer value instead of d + 1. Every later layer depends on (a, b)
 * non-linearly and is evaluated per grid point, θ(a, b) from plane_point exactly as
 * the generic path has it.
 *
 * Layout: values of one layer are [unit][S] — S samples contiguous per unit — so
 * every loop runs over samples: the dense layers multiply a broadcast weight into
 * 4 vectors of 8 samples held in registers (GCC vector extensions; AVX-512, AVX2 or
 * SSE2 code from one source via LS_CLONES), activations and the head are `omp simd`
 * loops with the branch-free exp/log of vmath.h. S is CHUNK samples (padded to a
 * multiple of 32) when the samples are independent, or all of them when batch
 * normalization needs the statistics of the batch (aux NULL): then every grid point
 * computes the mean and the biased variance of each unit over the real samples
 * (padding excluded), as model.c does.
 *
 * Parallel: OpenMP over grid rows, one workspace per thread.
 *
 * Accuracy: the same formulas as model.c in the same order per sample (activation,
 * batch norm, log-sum-exp as zmax + log(sum) − z_y), with FMA contraction and our own
 * exp/log (≈ 1 ulp); sums over samples are in a different order. The tests ask
 * 1e-12 relative against the generic path over random planes, every activation,
 * batch norm before and after, with moving averages and with batch statistics.
 */
#include "core/landscape_mlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/par_rows.h"
#include "core/vmath.h"

#define VL 8        /* doubles per vector */
#define SB 32       /* samples per register block: 4 vectors */
#define CHUNK 256   /* samples per pass when samples are independent (a multiple of SB) */
#define MODEL_MAX_HIDDEN 256 /* model.c's limit on a hidden layer's units */
#define MOMENT_D 8  /* inputs up to which the first layer's batch moments come from theirs */

typedef double vd __attribute__((vector_size(VL * sizeof(double))));
/* the same vector at any address of a double: loads without memcpy or an ABI issue */
typedef double vd_u __attribute__((vector_size(VL * sizeof(double)), aligned(8), may_alias));
#define LOADV(p) (*(const vd_u *)(const void *)(p))
#define SPLAT(x) ((vd){ (x), (x), (x), (x), (x), (x), (x), (x) })


/* Shifted sums of a unit's block of SB values (4 vectors) for its moments: the shift
 * is the unit's first value (row_moments' choice); only the first `valid` values
 * count (the real samples; the rest is padding). */
LS_INLINE void block_moments(const vd *x, int first, int valid, double *shift, vd *s1, vd *s2)
{
    if (first)
        *shift = x[0][0];
    if (valid <= 0)
        return;
    const vd c = SPLAT(*shift);
    vd x0 = x[0] - c, x1 = x[1] - c, x2 = x[2] - c, x3 = x[3] - c;
    if (valid < SB) {   /* the last, partial block: the padding's values out */
        double e[SB];
        memcpy(e, &x0, sizeof x0);
        memcpy(e + VL, &x1, sizeof x1);
        memcpy(e + 2 * VL, &x2, sizeof x2);
        memcpy(e + 3 * VL, &x3, sizeof x3);
        for (int q = valid; q < SB; q++)
            e[q] = 0.0;
        memcpy(&x0, e, sizeof x0);
        memcpy(&x1, e + VL, sizeof x1);
        memcpy(&x2, e + 2 * VL, sizeof x2);
        memcpy(&x3, e + 3 * VL, sizeof x3);
    }
    *s1 += (x0 + x1) + (x2 + x3);
    *s2 += (x0 * x0 + x1 * x1) + (x2 * x2 + x3 * x3);
}

/* z[i][s] = bias[i] + Σ_j W[i][j] h[j][s] for s < S (S a multiple of SB): per block
 * of SB samples, four units at a time (16 vector accumulators: each loaded vector of
 * h feeds four multiply-adds), then two (the head of two classes), then the remaining
 * units one at a time. With mu and
 * var (not NULL), also each unit's mean and biased variance over the first `rows`
 * samples, from the accumulators while they are in registers (shifted sums as
 * row_moments; mom: 2 · out vectors of scratch). */
LS_CLONES static void dense(int S, int in, int out, const double *restrict W,
                            const double *restrict bias, const double *restrict h,
                            double *restrict z, int rows, double *restrict mu,
                            double *restrict var, vd *restrict mom)
{
    double shift[MODEL_MAX_HIDDEN];
    if (mu)
        memset(mom, 0, 2 * (size_t)out * sizeof *mom);
    for (int s0 = 0; s0 < S; s0 += SB) {
        const int valid = rows - s0;
        int i = 0;
        for (; i + 4 <= out; i += 4) {
            const double *w0 = W + (size_t)i * in, *w1 = w0 + in, *w2 = w1 + in, *w3 = w2 + in;
            /* named accumulators: an array would live on the stack */
            vd c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
            c00 = c01 = c02 = c03 = SPLAT(bias[i]);
            c10 = c11 = c12 = c13 = SPLAT(bias[i + 1]);
            c20 = c21 = c22 = c23 = SPLAT(bias[i + 2]);
            c30 = c31 = c32 = c33 = SPLAT(bias[i + 3]);
            for (int j = 0; j < in; j++) {
                const double *hj = h + (size_t)j * S + s0;
                const vd x0 = LOADV(hj), x1 = LOADV(hj + VL), x2 = LOADV(hj + 2 * VL),
                         x3 = LOADV(hj + 3 * VL);
                vd w = SPLAT(w0[j]);
                c00 += w * x0, c01 += w * x1, c02 += w * x2, c03 += w * x3;
                w = SPLAT(w1[j]);
                c10 += w * x0, c11 += w * x1, c12 += w * x2, c13 += w * x3;
                w = SPLAT(w2[j]);
                c20 += w * x0, c21 += w * x1, c22 += w * x2, c23 += w * x3;
                w = SPLAT(w3[j]);
                c30 += w * x0, c31 += w * x1, c32 += w * x2, c33 += w * x3;
            }
            double *zi = z + (size_t)i * S + s0;
            const vd row[16] = { c00, c01, c02, c03, c10, c11, c12, c13,
                                 c20, c21, c22, c23, c30, c31, c32, c33 };
            for (int u = 0; u < 4; u++)
                memcpy(zi + (size_t)u * S, row + 4 * u, 4 * sizeof *row);
            if (mu) {
                for (int u = 0; u < 4; u++)
                    block_moments(row + 4 * u, s0 == 0, valid, shift + i + u, mom + 2 * (i + u),
                                  mom + 2 * (i + u) + 1);
            }
        }
        for (; i + 2 <= out; i += 2) {   /* two units: each loaded vector feeds both */
            const double *w0 = W + (size_t)i * in, *w1 = w0 + in;
            vd c00, c01, c02, c03, c10, c11, c12, c13;
            c00 = c01 = c02 = c03 = SPLAT(bias[i]);
            c10 = c11 = c12 = c13 = SPLAT(bias[i + 1]);
            for (int j = 0; j < in; j++) {
                const double *hj = h + (size_t)j * S + s0;
                const vd x0 = LOADV(hj), x1 = LOADV(hj + VL), x2 = LOADV(hj + 2 * VL),
                         x3 = LOADV(hj + 3 * VL);
                vd w = SPLAT(w0[j]);
                c00 += w * x0, c01 += w * x1, c02 += w * x2, c03 += w * x3;
                w = SPLAT(w1[j]);
                c10 += w * x0, c11 += w * x1, c12 += w * x2, c13 += w * x3;
            }
            double *zi = z + (size_t)i * S + s0;
            const vd row[8] = { c00, c01, c02, c03, c10, c11, c12, c13 };
            for (int u = 0; u < 2; u++)
                memcpy(zi + (size_t)u * S, row + 4 * u, 4 * sizeof *row);
            if (mu) {
                for (int u = 0; u < 2; u++)
                    block_moments(row + 4 * u, s0 == 0, valid, shift + i + u, mom + 2 * (i + u),
                                  mom + 2 * (i + u) + 1);
            }
        }
        for (; i < out; i++) {
            const double *wi = W + (size_t)i * in;
            vd a0 = SPLAT(bias[i]), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0; j < in; j++) {
                const vd w = SPLAT(wi[j]);
                const double *hj = h + (size_t)j * S + s0;
                a0 += w * LOADV(hj);
                a1 += w * LOADV(hj + VL);
                a2 += w * LOADV(hj + 2 * VL);
                a3 += w * LOADV(hj + 3 * VL);
            }
            double *zi = z + (size_t)i * S + s0;
            memcpy(zi, &a0, sizeof a0);
            memcpy(zi + VL, &a1, sizeof a1);
            memcpy(zi + 2 * VL, &a2, sizeof a2);
            memcpy(zi + 3 * VL, &a3, sizeof a3);
            if (mu) {
                const vd row[4] = { a0, a1, a2, a3 };
                block_moments(row, s0 == 0, valid, shift + i, mom + 2 * i, mom + 2 * i + 1);
            }
        }
    }
    for (int i = 0; mu && i < out; i++) {
        double sm = 0.0, sq = 0.0;
        for (int q = 0; q < VL; q++)
            sm += mom[2 * i][q], sq += mom[2 * i + 1][q];
        const double m = sm / rows;
        mu[i] = shift[i] + m;
        var[i] = fmax(sq / rows - m * m, 0.0);
    }
}

/* One first-layer unit: x = z0 + a u + b v over S values; with stats, also the mean
 * and biased variance of the first `rows` (shifted sums as row_moments, same pass). */
LS_CLONES static void first_unit(int S, int rows, const double *restrict z0,
                                 const double *restrict u, const double *restrict v, double a,
                                 double b, int stats, double *mu, double *var,
                                 double *restrict x)
{
    if (!stats) {
#pragma omp simd
        for (int r = 0; r < S; r++)
            x[r] = z0[r] + a * u[r] + b * v[r];
        return;
    }
    const double c = z0[0] + a * u[0] + b * v[0];
    double sum = 0.0, sq = 0.0;
#pragma omp simd reduction(+ : sum, sq)
    for (int r = 0; r < rows; r++) {
        double t = z0[r] + a * u[r] + b * v[r];
        x[r] = t;
        double e = t - c;
        sum += e;
        sq += e * e;
    }
#pragma omp simd
    for (int r = rows; r < S; r++)
        x[r] = z0[r] + a * u[r] + b * v[r];
    const double m = sum / rows;
    *mu = c + m;
    *var = fmax(sq / rows - m * m, 0.0);
}

LS_INLINE double act_tanh(double x)
{
    double t = k_exp_neg(-2.0 * fabs(x));
    double r = (1.0 - t) / (1.0 + t);
    return x < 0.0 ? -r : r;
}

LS_INLINE double act_sigmoid(double x)
{
    double t = k_exp_neg(-fabs(x));
    return (x >= 0.0 ? 1.0 : t) / (1.0 + t);
}

/* One first-layer unit in one pass, as first_unit then normalize (bn) or activate
 * would make it: x = z0 + a u + b v, then with bn γ((x − μ)/√(σ² + ε)) + β
 * (is = 1/√(σ² + ε)) as the affine map (γ·is)(z0 + a u + b v) + β − γ·is·μ, then the
 * activation. */
LS_CLONES static void first_fused(int S, const double *restrict z0, const double *restrict u,
                                  const double *restrict v, double a, double b, int bn,
                                  double mu, double is, double g, double be, model_act act,
                                  double *restrict x)
{
    if (!bn) {
        switch (act) {
        case ACT_TANH:
#pragma omp simd
            for (int r = 0; r < S; r++)
                x[r] = act_tanh(z0[r] + a * u[r] + b * v[r]);
            break;
        case ACT_SIGMOID:
#pragma omp simd
            for (int r = 0; r < S; r++)
                x[r] = act_sigmoid(z0[r] + a * u[r] + b * v[r]);
            break;
        default:
#pragma omp simd
            for (int r = 0; r < S; r++) {
                double t = z0[r] + a * u[r] + b * v[r];
                x[r] = t > 0.0 ? t : 0.0;
            }
            break;
        }
        return;
    }
    /* γ((z0 + a u + b v − μ)·is) + β as one affine map of z0, u, v (3 multiply-adds) */
    const double al = g * is, ua = al * a, vb = al * b, c = be - al * mu;
    switch (act) {
    case ACT_TANH:
#pragma omp simd
        for (int r = 0; r < S; r++)
            x[r] = act_tanh(al * z0[r] + ua * u[r] + vb * v[r] + c);
        break;
    case ACT_SIGMOID:
#pragma omp simd
        for (int r = 0; r < S; r++)
            x[r] = act_sigmoid(al * z0[r] + ua * u[r] + vb * v[r] + c);
        break;
    default:
#pragma omp simd
        for (int r = 0; r < S; r++) {
            double t = al * z0[r] + ua * u[r] + vb * v[r] + c;
            x[r] = t > 0.0 ? t : 0.0;
        }
        break;
    }
}

/* The activation in place: relu max(x, 0); tanh and σ from e^−|x| (σ as model.c's). */
LS_CLONES static void activate(model_act act, size_t n, double *restrict v)
{
    switch (act) {
    case ACT_TANH:
#pragma omp simd
        for (size_t q = 0; q < n; q++)
            v[q] = act_tanh(v[q]);
        break;
    case ACT_SIGMOID:
#pragma omp simd
        for (size_t q = 0; q < n; q++)
            v[q] = act_sigmoid(v[q]);
        break;
    default:
#pragma omp simd
        for (size_t q = 0; q < n; q++)
            v[q] = v[q] > 0.0 ? v[q] : 0.0;
        break;
    }
}

/* Σ_{r < rows} v[r]: four vector accumulators (independent adds), then the tail. */
LS_CLONES static double row_sum(int rows, const double *restrict v)
{
    vd s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
    int r = 0;
    for (; r + SB <= rows; r += SB) {
        vd x0, x1, x2, x3;
        memcpy(&x0, v + r, sizeof x0);
        memcpy(&x1, v + r + VL, sizeof x1);
        memcpy(&x2, v + r + 2 * VL, sizeof x2);
        memcpy(&x3, v + r + 3 * VL, sizeof x3);
        s0 += x0, s1 += x1, s2 += x2, s3 += x3;
    }
    s0 = (s0 + s1) + (s2 + s3);
    double s = 0.0;
    for (int q = 0; q < VL; q++)
        s += s0[q];
    for (; r < rows; r++)
        s += v[r];
    return s;
}

/* Mean and biased variance of v[0..rows) in one pass: sums of e = v − c and e² with
 * the shift c = v[0] (so no cancellation unless v[0] lies many deviations out):
 * μ = c + Σe/n, σ² = Σe²/n − (Σe/n)². */
LS_CLONES static void row_moments(int rows, const double *restrict v, double *mu, double *var)
{
    const double c = v[0];
    const vd cv = SPLAT(c);
    vd s0 = { 0 }, s1 = { 0 }, q0 = { 0 }, q1 = { 0 };
    int r = 0;
    for (; r + 2 * VL <= rows; r += 2 * VL) {
        vd x0, x1;
        memcpy(&x0, v + r, sizeof x0);
        memcpy(&x1, v + r + VL, sizeof x1);
        x0 -= cv, x1 -= cv;
        s0 += x0, s1 += x1;
        q0 += x0 * x0, q1 += x1 * x1;
    }
    s0 += s1;
    q0 += q1;
    double s = 0.0, q = 0.0;
    for (int k = 0; k < VL; k++)
        s += s0[k], q += q0[k];
    for (; r < rows; r++) {
        double e = v[r] - c;
        s += e;
        q += e * e;
    }
    const double m = s / rows;
    *mu = c + m;
    *var = fmax(q / rows - m * m, 0.0);
}

/* Batch normalization of one unit's S values in place with mean mu and variance
 * var, then (act ≥ 0) the activation: act(γ((v − μ)/√(σ² + ε)) + β), the affine part
 * as one multiply-add (model.c's values to rounding). */
LS_CLONES static void normalize(int S, double mu, double var, double eps, double g, double be,
                                int act, double *restrict v)
{
    /* γ((v − μ)·is) + β as the affine map (γ·is) v + (β − γ·is·μ): one multiply-add */
    const double is = 1.0 / sqrt(var + eps), al = g * is, c = be - al * mu;
    switch (act) {
    case ACT_RELU:
#pragma omp simd
        for (int r = 0; r < S; r++) {
            double x = al * v[r] + c;
            v[r] = x > 0.0 ? x : 0.0;
        }
        break;
    case ACT_TANH:
#pragma omp simd
        for (int r = 0; r < S; r++)
            v[r] = act_tanh(al * v[r] + c);
        break;
    case ACT_SIGMOID:
#pragma omp simd
        for (int r = 0; r < S; r++)
            v[r] = act_sigmoid(al * v[r] + c);
        break;
    default:
#pragma omp simd
        for (int r = 0; r < S; r++)
            v[r] = al * v[r] + c;
        break;
    }
}

/* Σ over the first `rows` samples of the per-sample loss of logits z[k][S] and
 * targets y (regression: (z − y)²; classes: softmax ce or mse), as model.c's head.
 * L: 4·S doubles of scratch (per-sample losses, max, sum, z_y). */
LS_CLONES static double head_sum(int S, int rows, int k, int regression, int mse,
                                 const double *restrict z, const double *restrict y,
                                 double *restrict L)
{
    if (regression) {
#pragma omp simd
        for (int r = 0; r < S; r++) {
            double e = z[r] - y[r];
            L[r] = e * e;
        }
    } else if (k == 2 && !mse) {
        /* two classes in one pass, the same values as below: the larger logit's
         * exponential is e^0 = 1 exactly, so the sum is 1 + e^(smaller − larger) */
        const double *restrict z1 = z + S;
#pragma omp simd
        for (int r = 0; r < S; r++) {
            const double a0 = z[r], a1 = z1[r];
            const double zm = a1 > a0 ? a1 : a0, lo = a1 > a0 ? a0 : a1;
            const double zy = y[r] == 1.0 ? a1 : y[r] == 0.0 ? a0 : 0.0;
            const double sum = 1.0 + k_exp_neg(lo - zm);
            L[r] = zm + k_log1p(sum - 1.0) - zy;
        }
    } else {
        double *restrict zm = L + S, *restrict sum = L + 2 * (size_t)S,
                         *restrict zy = L + 3 * (size_t)S;
        memcpy(zm, z, (size_t)S * sizeof *zm);
        for (int c = 1; c < k; c++) {
            const double *zc = z + (size_t)c * S;
#pragma omp simd
            for (int r = 0; r < S; r++)
                zm[r] = zc[r] > zm[r] ? zc[r] : zm[r];
        }
        for (int c = 0; c < k; c++) {
            const double *zc = z + (size_t)c * S;
            const double cd = (double)c;
            if (c == 0) {
#pragma omp simd
                for (int r = 0; r < S; r++) {
                    zy[r] = y[r] == cd ? zc[r] : 0.0;
                    sum[r] = k_exp_neg(zc[r] - zm[r]);
                }
            } else {
#pragma omp simd
                for (int r = 0; r < S; r++) {
                    zy[r] = y[r] == cd ? zc[r] : zy[r];
                    sum[r] += k_exp_neg(zc[r] - zm[r]);
                }
            }
        }
        if (!mse) {
#pragma omp simd
            for (int r = 0; r < S; r++)
                L[r] = zm[r] + k_log1p(sum[r] - 1.0) - zy[r];
        } else {
            for (int c = 0; c < k; c++) {
                const double *zc = z + (size_t)c * S;
                const double cd = (double)c;
#pragma omp simd
                for (int r = 0; r < S; r++) {
                    double e = k_exp_neg(zc[r] - zm[r]) / sum[r] - (y[r] == cd ? 1.0 : 0.0);
                    L[r] = (c ? L[r] : 0.0) + e * e;
                }
            }
        }
    }
    return row_sum(rows, L);
}

typedef struct mlp_grid {
    const landscape_desc *g;
    const model_desc *md;
    int n_layers, k, regression, mse, batch, count;
    int S, chunks, maxw;
    model_layer layer[MODEL_MAX_LAYERS + 1];
    double *z0, *u, *v;   /* chunks × h0 × S: the first layer's three products */
    double *y;            /* chunks × S targets (padding 0) */
    /* batch statistics of the first layer from the inputs' (fused: moments set) */
    int fused, moments, d;
    double xm[MOMENT_D];            /* the inputs' mean over the samples */
    double xc[MOMENT_D * MOMENT_D]; /* their biased covariance */
} mlp_grid;

/* Loss at θ (the plane point at a, b): every chunk through the network. */
static double grid_point(const mlp_grid *G, const double *theta, double a, double b, double *A,
                         double *B, double *Lbuf)
{
    const int S = G->S;
    const model_desc *md = G->md;
    const double *aux = G->g->aux;
    vd mom[2 * MODEL_MAX_HIDDEN];   /* dense's moment sums */
    double total = 0.0;
    for (int c = 0; c < G->chunks; c++) {
        const int rows = G->count - c * S < S ? G->count - c * S : S;
        const size_t off = (size_t)c * G->layer[0].out * S;
        double *cur = A, *nxt = B;
        for (int l = 0;; l++) {
            const model_layer *ly = &G->layer[l];
            const int w = ly->out;
            const int stats = md->bn && G->batch && !md->bn_after;
            double mu[MODEL_MAX_HIDDEN], var[MODEL_MAX_HIDDEN];
            if (l == 0 && G->fused) {
                /* the first layer whole: affine, batch norm, activation in one pass */
                const double *W = theta + ly->w_off, *bias = theta + ly->b_off;
                for (int i = 0; i < w; i++) {
                    double m = 0.0, s2 = 1.0;
                    if (md->bn && !G->batch) {
                        m = aux[ly->mu_off + i];
                        s2 = aux[ly->mu_off + w + i];
                    } else if (md->bn) {
                        /* x = w·in + bias over the samples: mean w·m_in + bias, variance
                         * wᵀ C_in w (exact in w: no cancellation beyond w's own) */
                        const double *cw = W + (size_t)i * G->d;
                        m = bias[i];
                        s2 = 0.0;
                        for (int e = 0; e < G->d; e++) {
                            m += cw[e] * G->xm[e];
                            double t = 0.0;
                            for (int f = 0; f < G->d; f++)
                                t += G->xc[e * G->d + f] * cw[f];
                            s2 += cw[e] * t;
                        }
                        s2 = fmax(s2, 0.0);
                    }
                    const size_t q = off + (size_t)i * S;
                    first_fused(S, G->z0 + q, G->u + q, G->v + q, a, b, md->bn, m,
                                md->bn ? 1.0 / sqrt(s2 + md->bn_eps) : 1.0,
                                md->bn ? theta[ly->g_off + i] : 1.0,
                                md->bn ? theta[ly->be_off + i] : 0.0, md->act,
                                cur + (size_t)i * S);
                }
                continue;
            } else if (l == 0) {
                for (int i = 0; i < w; i++) {
                    const size_t q = off + (size_t)i * S;
                    first_unit(S, rows, G->z0 + q, G->u + q, G->v + q, a, b, stats, mu + i,
                               var + i, cur + (size_t)i * S);
                }
            } else {
                /* batch statistics before the activation: from dense's accumulators */
                const int dm = stats && l < G->n_layers - 1;
                dense(S, ly->in, w, theta + ly->w_off, theta + ly->b_off, cur, nxt, rows,
                      dm ? mu : NULL, dm ? var : NULL, mom);
                double *t = cur;
                cur = nxt;
                nxt = t;
            }
            if (l == G->n_layers - 1)
                break;
            if (!md->bn || md->bn_after)
                activate(md->act, (size_t)w * S, cur);
            if (!md->bn)
                continue;
            for (int i = 0; i < w; i++) {
                double *v = cur + (size_t)i * S;
                if (!G->batch) {
                    mu[i] = aux[ly->mu_off + i];
                    var[i] = aux[ly->mu_off + w + i];
                } else if (md->bn_after) {
                    row_moments(rows, v, mu + i, var + i);
                }
                normalize(S, mu[i], var[i], md->bn_eps, theta[ly->g_off + i],
                          theta[ly->be_off + i], md->bn_after ? -1 : (int)md->act, v);
            }
        }
        total += head_sum(S, rows, G->k, G->regression, G->mse, cur, G->y + (size_t)c * S, Lbuf);
    }
    return total;
}

typedef struct mlp_rows {
    const mlp_grid *G;
    double *values;
    int j0;
    double inv; /* 1 / count */
} mlp_rows;

/* plane_point (the same operations, no contraction: this function is not one of
 * the LS_CLONES), in a loop that vectorizes. */
static void theta_at(const plane *p, double a, double b, double *restrict theta)
{
    const double *restrict o = p->origin, *restrict d1 = p->d1, *restrict d2 = p->d2;
#pragma omp simd
    for (int e = 0; e < p->n; e++)
        theta[e] = o[e] + a * d1[e] + b * d2[e];
}

/* one grid row j; ws: θ (n), two layers' activations (maxw·S each), the loss buffer (4·S) */
static void mlp_row(void *ctx, void *ws, int j)
{
    const mlp_rows *c = ctx;
    const mlp_grid *G = c->G;
    const landscape_desc *g = G->g;
    const size_t layer_doubles = (size_t)G->maxw * G->S;
    double *theta = ws, *A = theta + g->obj->n, *B = A + layer_doubles, *Lbuf = B + layer_doubles;
    const double b = surface_grid_coord(g->dom.ymin, g->dom.ymax, j, g->ny);
    for (int i = 0; i < g->nx; i++) {
        const double a = surface_grid_coord(g->dom.xmin, g->dom.xmax, i, g->nx);
        theta_at(g->plane, a, b, theta);
        c->values[(size_t)(j - c->j0) * g->nx + i] = grid_point(G, theta, a, b, A, B, Lbuf) * c->inv;
    }
}

int landscape_grid_mlp(const landscape_desc *g, int count, loss_kind loss, double *values)
{
    const model *m = g->model;
    const dataset *ds = g->data;
    const model_desc *md = model_get_desc(m);
    if (md->kind != MODEL_MLP || count <= 0 || model_input_count(m) != ds->d ||
        model_param_count(m) != g->obj->n || g->plane->n != g->obj->n)
        return -1;
    mlp_grid G;
    memset(&G, 0, sizeof G);
    G.g = g;
    G.md = md;
    G.n_layers = model_layer_count(m);
    G.k = model_output_count(m);
    G.regression = ds->task == DATA_REGRESSION;
    G.mse = loss == LOSS_MSE;
    G.count = count;
    G.batch = md->bn && g->aux == NULL;
    if (G.regression && (!G.mse || G.k != 1))
        return -1; /* ce on regression is NaN: the generic path says so */
    for (int r = 0; r < count && !G.regression; r++) {
        double yv = ds->y[g->idx ? g->idx[r] : r];
        if (!(yv >= 0.0 && yv < G.k && yv == floor(yv)))
            return -1; /* not a class: NaN, the generic path's way */
    }
    G.maxw = 0;
    for (int l = 0; l < G.n_layers; l++) {
        G.layer[l] = model_layer_get(m, l);
        if (G.layer[l].out > G.maxw)
            G.maxw = G.layer[l].out;
        if (G.layer[l].b_off < 0)
            return -1;
    }
    const int padded = (count + SB - 1) / SB * SB;
    G.S = G.batch || padded < CHUNK ? padded : CHUNK;
    G.chunks = (count + G.S - 1) / G.S;
    const int h0 = G.layer[0].out, d = ds->d;
    /* the first layer in one pass: a hidden layer, batch norm (if any) before the
     * activation, and batch statistics (if those) from the inputs' moments */
    G.d = d;
    G.fused = G.n_layers > 1 && !(md->bn && md->bn_after) && (!G.batch || d <= MOMENT_D);
    if (G.fused && G.batch) {
        for (int e = 0; e < d; e++) {
            double sm = 0.0;
            for (int r = 0; r < count; r++)
                sm += ds->x[(size_t)(g->idx ? g->idx[r] : r) * d + e];
            G.xm[e] = sm / count;
        }
        for (int e = 0; e < d; e++)
            for (int f = 0; f < d; f++) {
                double sc = 0.0;
                for (int r = 0; r < count; r++) {
                    const double *x = ds->x + (size_t)(g->idx ? g->idx[r] : r) * d;
                    sc += (x[e] - G.xm[e]) * (x[f] - G.xm[f]);
                }
                G.xc[e * d + f] = sc / count;
            }
    }
    const size_t np = (size_t)G.chunks * G.S;
    double *mem = malloc((3 * (size_t)h0 + 1) * np * sizeof *mem);
    if (!mem)
        return 0;
    G.z0 = mem;
    G.u = mem + (size_t)h0 * np;
    G.v = mem + 2 * (size_t)h0 * np;
    G.y = mem + 3 * (size_t)h0 * np;

    /* the three products, chunk by chunk as [unit][S] */
    const plane *p = g->plane;
    const model_layer *l0 = &G.layer[0];
    for (size_t r = 0; r < np; r++) {
        const size_t c = r / (size_t)G.S, s = r % (size_t)G.S;
        const int real = r < (size_t)count;
        const int row = real ? (g->idx ? g->idx[r] : (int)r) : 0;
        const double *x = ds->x + (size_t)row * d;
        G.y[r] = real ? ds->y[row] : 0.0;
        for (int i = 0; i < h0; i++) {
            const size_t q = (c * (size_t)h0 + (size_t)i) * (size_t)G.S + s;
            if (!real) {
                G.z0[q] = G.u[q] = G.v[q] = 0.0;
                continue;
            }
            const size_t wo = (size_t)l0->w_off + (size_t)i * d, bo = (size_t)l0->b_off + i;
            double a0 = p->origin[bo], a1 = p->d1[bo], a2 = p->d2[bo];
            for (int e = 0; e < d; e++) {
                a0 += p->origin[wo + e] * x[e];
                a1 += p->d1[wo + e] * x[e];
                a2 += p->d2[wo + e] * x[e];
            }
            G.z0[q] = a0;
            G.u[q] = a1;
            G.v[q] = a2;
        }
    }

    int j0, j1;
    landscape_band(g, &j0, &j1);
    mlp_rows rows = { &G, values, j0, 1.0 / count };
    const size_t ws = (size_t)g->obj->n + 2 * (size_t)G.maxw * G.S + 4 * (size_t)G.S;
    int ok = par_rows(j0, j1, ws * sizeof(double), 1, g->cancel, mlp_row, &rows);
    free(mem);
    return ok;
}
