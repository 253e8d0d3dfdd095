/*
 * landscape_mlp.c — loss grids of multi-layer perceptrons on a plane. See
 * landscape_mlp.h (the contract) and landscape.h (planes and grids).
 *
 * On the plane θ = θ0 + a d1 + b d2 the first layer's pre-activations are affine in
 * (a, b): Z = X W0ᵀ + b0 + a (X D1ᵀ + c1) + b (X D2ᵀ + c2), where W0, D1, D2 are the
 * first layer's weights in θ0, d1, d2 and b0, c1, c2 their biases. With more than
 * DIRECT_D inputs the three products are computed once per grid (O(n · d · h)) and a
 * grid point costs 3 multiply-adds per first-layer value instead of d + 1; with few
 * inputs (moons: 2) the first layer is computed from the inputs themselves, d
 * multiply-adds from data that stays in L1. Batch norm before the activation folds
 * into that affine map (bn_affine_n), so the first layer is one pass per unit. Every
 * later layer depends on (a, b) non-linearly and is evaluated per grid point,
 * θ(a, b) from plane_point exactly as the generic path has it.
 *
 * Layout: values of one layer are [unit][S] — S samples contiguous per unit — so
 * every loop runs over samples: the dense layers multiply a broadcast weight into
 * 4 vectors of 8 samples held in registers (GCC vector extensions; AVX-512, AVX2 or
 * SSE2 code from one source via LS_CLONES), activations and the head are `omp simd`
 * loops with the branch-free exp/log of vmath.h. S is at most CHUNK samples (chunks of
 * equal size, padded to a multiple of 32) when the samples are independent, or all
 * of them when batch
 * normalization needs the statistics of the batch (aux NULL): then every grid point
 * computes the mean and the biased variance of each unit over the real samples
 * (padding excluded), as model.c does. A two-class cross-entropy head needs only the
 * logits' difference (head2_sum), and takes the last hidden layer's relu and batch
 * norm on the way, so those values are never stored. From the inputs, the first
 * layer and the dense layer after it go block by block of SB samples (first_dense),
 * so the first layer's values stay in L1.
 *
 * Parallel: OpenMP over grid rows, one workspace per thread.
 *
 * Accuracy: model.c's formulas, rearranged only where the rearrangement is exact in
 * real arithmetic and stated where it is made (batch norm as one multiply-add map,
 * folded into the first layer's weights; the first layer's batch moments from the
 * inputs'; the two-class head as one logit difference, its logarithms summed as the
 * logarithm of a product), with FMA contraction and our own exp/log (≈ 1 ulp); sums
 * over samples are in a different order. The tests ask 1e-12 relative against the
 * generic path over random planes, every activation, batch norm before and after,
 * with moving averages and with batch statistics, every first-layer path.
 */
#include "core/landscape_mlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/par_rows.h"
#include "core/vmath.h"

#define VL 8        /* doubles per vector */
#define SB 32       /* samples per register block: 4 vectors */
#define CHUNK 256   /* most samples per pass when samples are independent (a multiple of SB) */
#define MODEL_MAX_HIDDEN 256 /* model.c's limit on a hidden layer's units */
#define MOMENT_D 8  /* inputs up to which the first layer's batch moments come from theirs */
#define DIRECT_D 4  /* inputs up to which the first layer is computed from them, not the products */

typedef double vd __attribute__((vector_size(VL * sizeof(double))));
/* the same vector at any address of a double: loads without memcpy or an ABI issue */
typedef double vd_u __attribute__((vector_size(VL * sizeof(double)), aligned(8), may_alias));
typedef long long vl __attribute__((vector_size(VL * sizeof(double))));
#define LOADV(p) (*(const vd_u *)(const void *)(p))
#define SPLAT(x) ((vd){ (x), (x), (x), (x), (x), (x), (x), (x) })


LS_INLINE double nonneg(double x)
{
    return x > 0.0 ? x : 0.0;
}

/* Mean and biased variance of v[0..rows) in one pass: sums of e = v − c and e² with
 * the shift c = v[0] (so no cancellation unless v[0] lies many deviations out):
 * μ = c + Σe/n, σ² = Σe²/n − (Σe/n)². v is read up to rows rounded up to a multiple
 * of VL (the last vector's lanes from rows on are masked out). */
LS_CLONES static void row_moments(int rows, const double *restrict v, double *mu, double *var)
{
    const double c = v[0];
    const vd cv = SPLAT(c);
    vd s0 = { 0 }, s1 = { 0 }, q0 = { 0 }, q1 = { 0 };
    int r = 0;
    for (; r + 2 * VL <= rows; r += 2 * VL) {
        const vd x0 = LOADV(v + r) - cv, x1 = LOADV(v + r + VL) - cv;
        s0 += x0, s1 += x1;
        q0 += x0 * x0, q1 += x1 * x1;
    }
    for (; r < rows; r += VL) {
        vd x0 = LOADV(v + r) - cv;
        if (rows - r < VL) {
            const vl lane = { 0, 1, 2, 3, 4, 5, 6, 7 }, n = lane * 0 + (rows - r);
            x0 = (vd)((vl)x0 & (lane < n));
        }
        s0 += x0;
        q0 += x0 * x0;
    }
    s0 += s1;
    q0 += q1;
    double s = 0.0, q = 0.0;
    for (int k = 0; k < VL; k++)
        s += s0[k], q += q0[k];
    const double m = s / rows;
    *mu = c + m;
    *var = nonneg(q / rows - m * m);
}

#define STOREV(p, x) (*(vd_u *)(void *)(p) = (x))

/* One block of SB samples of a dense layer: z[i·zs + q] = bias[i] + Σ_j W[i][j] h[j·hs + q]
 * for q < SB (rows of h and z hs and zs doubles apart). Four units at a time: 16
 * vector accumulators in registers, each loaded vector of h feeding four
 * multiply-adds, each broadcast weight four; then two units (a head of two
 * classes), then one at a time. */
LS_INLINE void dense_block(int in, int out, const double *restrict W, const double *restrict bias,
                           const double *restrict h, size_t hs, double *restrict z, size_t zs)
{
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
            const double *hj = h + (size_t)j * hs;
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
        double *z0 = z + (size_t)i * zs, *z1 = z0 + zs, *z2 = z1 + zs, *z3 = z2 + zs;
        STOREV(z0, c00), STOREV(z0 + VL, c01), STOREV(z0 + 2 * VL, c02), STOREV(z0 + 3 * VL, c03);
        STOREV(z1, c10), STOREV(z1 + VL, c11), STOREV(z1 + 2 * VL, c12), STOREV(z1 + 3 * VL, c13);
        STOREV(z2, c20), STOREV(z2 + VL, c21), STOREV(z2 + 2 * VL, c22), STOREV(z2 + 3 * VL, c23);
        STOREV(z3, c30), STOREV(z3 + VL, c31), STOREV(z3 + 2 * VL, c32), STOREV(z3 + 3 * VL, c33);
    }
    for (; i + 2 <= out; i += 2) {   /* two units: each loaded vector feeds both */
        const double *w0 = W + (size_t)i * in, *w1 = w0 + in;
        vd c00, c01, c02, c03, c10, c11, c12, c13;
        c00 = c01 = c02 = c03 = SPLAT(bias[i]);
        c10 = c11 = c12 = c13 = SPLAT(bias[i + 1]);
        for (int j = 0; j < in; j++) {
            const double *hj = h + (size_t)j * hs;
            const vd x0 = LOADV(hj), x1 = LOADV(hj + VL), x2 = LOADV(hj + 2 * VL),
                     x3 = LOADV(hj + 3 * VL);
            vd w = SPLAT(w0[j]);
            c00 += w * x0, c01 += w * x1, c02 += w * x2, c03 += w * x3;
            w = SPLAT(w1[j]);
            c10 += w * x0, c11 += w * x1, c12 += w * x2, c13 += w * x3;
        }
        double *z0 = z + (size_t)i * zs, *z1 = z0 + zs;
        STOREV(z0, c00), STOREV(z0 + VL, c01), STOREV(z0 + 2 * VL, c02), STOREV(z0 + 3 * VL, c03);
        STOREV(z1, c10), STOREV(z1 + VL, c11), STOREV(z1 + 2 * VL, c12), STOREV(z1 + 3 * VL, c13);
    }
    for (; i < out; i++) {
        const double *wi = W + (size_t)i * in;
        vd a0 = SPLAT(bias[i]), a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0; j < in; j++) {
            const vd w = SPLAT(wi[j]);
            const double *hj = h + (size_t)j * hs;
            a0 += w * LOADV(hj);
            a1 += w * LOADV(hj + VL);
            a2 += w * LOADV(hj + 2 * VL);
            a3 += w * LOADV(hj + 3 * VL);
        }
        double *zi = z + (size_t)i * zs;
        STOREV(zi, a0), STOREV(zi + VL, a1), STOREV(zi + 2 * VL, a2), STOREV(zi + 3 * VL, a3);
    }
}

/* z[i][s] = bias[i] + Σ_j W[i][j] h[j][s] for s < S (S a multiple of SB), block by
 * block (the block of h, in·SB doubles, stays in L1 while every unit uses it). With
 * mu and var (not NULL), also each unit's mean and biased variance over the first
 * `rows` samples (row_moments, while z is still in cache). */
LS_CLONES static void dense(int S, int in, int out, const double *restrict W,
                            const double *restrict bias, const double *restrict h,
                            double *restrict z, int rows, double *restrict mu,
                            double *restrict var)
{
    for (int s0 = 0; s0 < S; s0 += SB)
        dense_block(in, out, W, bias, h + s0, (size_t)S, z + s0, (size_t)S);
    for (int i = 0; mu && i < out; i++)
        row_moments(rows, z + (size_t)i * S, mu + i, var + i);
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
    *var = nonneg(sq / rows - m * m);
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

/* One first-layer unit from the three products, in one pass: x = act(α (z0 + a u + b v) + c)
 * (α = 1, c = 0 without batch norm; else bn_affine_n's map), the affine part as the
 * three multiply-adds (α z0) + (α a) u + (α b) v + c. */
LS_CLONES static void first_fused(int S, const double *restrict z0, const double *restrict u,
                                  const double *restrict v, double a, double b, double al,
                                  double c, model_act act, double *restrict x)
{
    const double ua = al * a, vb = al * b;
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

/* A hidden unit's S values in place: v ← act(α v + c), the affine part as one
 * multiply-add; act −1: the affine map alone (batch norm after the activation). */
LS_CLONES static void post_apply(int S, double al, double c, int act, double *restrict v)
{
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

/* max(x, 0) lane by lane for a vector variable x (NaN to 0, as x > 0 ? x : 0): the
 * comparison's all-ones lanes keep x's bits (a macro: a function returning a vector
 * would change the ABI between the clones) */
#define RELU_V(x) ((vd)((vl)(x) & (vl)((x) > (vd){ 0 })))

/* The two-class cross-entropy head, summed over the first `rows` samples, straight
 * from the last hidden layer's values h[in][S] (S a multiple of SB): with al and c
 * (not NULL) their relu post-map max(α_i h_i + c_i, 0) is applied here (as
 * post_apply would), else h is taken as it is.
 *
 * Only the logits' difference t = z1 − z0 = bd + Σ_i wd_i h_i matters, with
 * wd = W[1] − W[0] and bd = b[1] − b[0] (one dot product per sample instead of
 * two; per block of SB samples, in registers). model.c's loss
 * zmax + log(e^(z0 − zmax) + e^(z1 − zmax)) − z_y reads, with s = z_other − z_y
 * (t for class 0, −t for class 1): zmax − z_y = max(s, 0), and the sum is
 * 1 + e^−|s| (the larger logit's term is e^0 = 1), so the loss is
 * max(s, 0) + log(1 + e^−|s|). The logarithms are summed as the logarithm of the
 * product: Σ_r log(1 + u_r) = log Π_r (1 + u_r), u_r = e^−|s_r| ≤ 1, the product's
 * excess over 1 formed pairwise, (1 + p)(1 + q) − 1 = p + q + pq: all terms ≥ 0, so no
 * cancellation however small the u; each pairing adds ≤ 2 ulp of relative error, a
 * lane's chain is at most PRODUCT_RUN/SB + 2 pairings deep, and log1p passes the
 * relative error of its argument on to its value undiminished at most (x/((1+x)
 * log(1+x)) ≤ 1). One logarithm per lane per PRODUCT_RUN samples; a lane's product is
 * at most 2^(PRODUCT_RUN/VL) (no overflow). t: S doubles of scratch. */
#define PRODUCT_RUN 1024 /* samples per run of products: a multiple of SB */
LS_CLONES static double head2_sum(int S, int rows, int in, const double *restrict wd, double bd,
                                  const double *restrict al, const double *restrict c,
                                  const double *restrict h, const double *restrict y,
                                  double *restrict t)
{
    for (int s0 = 0; s0 < S; s0 += SB) {
        vd t0 = SPLAT(bd), t1 = t0, t2 = t0, t3 = t0;
        for (int i = 0; i < in; i++) {
            const double *hi = h + (size_t)i * S + s0;
            vd x0 = LOADV(hi), x1 = LOADV(hi + VL), x2 = LOADV(hi + 2 * VL),
               x3 = LOADV(hi + 3 * VL);
            if (al) {
                const vd a = SPLAT(al[i]), b = SPLAT(c[i]);
                x0 = a * x0 + b, x1 = a * x1 + b, x2 = a * x2 + b, x3 = a * x3 + b;
                x0 = RELU_V(x0), x1 = RELU_V(x1), x2 = RELU_V(x2), x3 = RELU_V(x3);
            }
            const vd w = SPLAT(wd[i]);
            t0 += w * x0, t1 += w * x1, t2 += w * x2, t3 += w * x3;
        }
        STOREV(t + s0, t0), STOREV(t + s0 + VL, t1);
        STOREV(t + s0 + 2 * VL, t2), STOREV(t + s0 + 3 * VL, t3);
    }
    /* max(s, 0) summed; t ← u = e^−|s| (0 for the padding: a factor 1) */
    double lin = 0.0, lg = 0.0;
#pragma omp simd reduction(+ : lin)
    for (int r = 0; r < S; r++) {
        const double sr = y[r] == 1.0 ? -t[r] : t[r], u = k_exp_neg(-fabs(sr));
        lin += r < rows && sr > 0.0 ? sr : 0.0;
        t[r] = r < rows ? u : 0.0;
    }
    for (int r0 = 0; r0 < S; r0 += PRODUCT_RUN) {
        const int r1 = r0 + PRODUCT_RUN < S ? r0 + PRODUCT_RUN : S;
        vd p0 = LOADV(t + r0), p1 = LOADV(t + r0 + VL), p2 = LOADV(t + r0 + 2 * VL),
           p3 = LOADV(t + r0 + 3 * VL);
        for (int r = r0 + SB; r < r1; r += SB) {
            const vd x0 = LOADV(t + r), x1 = LOADV(t + r + VL), x2 = LOADV(t + r + 2 * VL),
                     x3 = LOADV(t + r + 3 * VL);
            p0 = p0 + x0 + p0 * x0, p1 = p1 + x1 + p1 * x1;
            p2 = p2 + x2 + p2 * x2, p3 = p3 + x3 + p3 * x3;
        }
        p0 = p0 + p1 + p0 * p1;
        p2 = p2 + p3 + p2 * p3;
        p0 = p0 + p2 + p0 * p2;
        for (int k = 0; k < VL; k++)
            lg += k_log1p(p0[k]);
    }
    return lin + lg;
}

/* One first-layer unit from the inputs for a block of SB samples:
 * x[q] = act(c + Σ_e w[e] in[e·is + q]) for q < SB (d rows of inputs, is doubles
 * apart). w and c are the unit's weights and bias with batch normalization folded
 * in (first_coefs). The affine part in 4 vector registers; relu there too, tanh and
 * σ over the stored block. */
LS_INLINE void first_block(int d, size_t is, const double *restrict in, const double *restrict w,
                           double c, model_act act, double *restrict x)
{
    vd t0 = SPLAT(c), t1 = t0, t2 = t0, t3 = t0;
    for (int e = 0; e < d; e++) {
        const double *ie = in + e * is;
        const vd we = SPLAT(w[e]);
        t0 += we * LOADV(ie), t1 += we * LOADV(ie + VL);
        t2 += we * LOADV(ie + 2 * VL), t3 += we * LOADV(ie + 3 * VL);
    }
    if (act == ACT_RELU)
        t0 = RELU_V(t0), t1 = RELU_V(t1), t2 = RELU_V(t2), t3 = RELU_V(t3);
    STOREV(x, t0), STOREV(x + VL, t1), STOREV(x + 2 * VL, t2), STOREV(x + 3 * VL, t3);
    if (act == ACT_TANH) {
#pragma omp simd
        for (int q = 0; q < SB; q++)
            x[q] = act_tanh(x[q]);
    } else if (act == ACT_SIGMOID) {
#pragma omp simd
        for (int q = 0; q < SB; q++)
            x[q] = act_sigmoid(x[q]);
    }
}

/* The first layer from the inputs, all h0 units of S samples into h (h0 × S):
 * first_block with weights fw (h0 × d) and biases fc (S a multiple of SB). */
LS_CLONES static void first_direct(int S, int d, const double *restrict in, int h0,
                                   const double *restrict fw, const double *restrict fc,
                                   model_act act, double *restrict h)
{
    for (int i = 0; i < h0; i++)
        for (int s0 = 0; s0 < S; s0 += SB)
            first_block(d, (size_t)S, in + s0, fw + (size_t)i * d, fc[i], act,
                        h + (size_t)i * S + s0);
}

/* The first layer from the inputs and the dense layer after it (out units, weights
 * W, biases bias), block by block of SB samples so that the first layer's values
 * never leave L1: per block, hb = first_block's values of the h0 units (h0 × SB
 * scratch), then z = W hb + bias for that block (dense_block; z: out × S). With mu
 * and var, also z's moments, as dense. */
LS_CLONES static void first_dense(int S, int d, const double *restrict in, int h0,
                                  const double *restrict fw, const double *restrict fc,
                                  model_act act, int out, const double *restrict W,
                                  const double *restrict bias, double *restrict hb,
                                  double *restrict z, int rows, double *restrict mu,
                                  double *restrict var)
{
    for (int s0 = 0; s0 < S; s0 += SB) {
        for (int i = 0; i < h0; i++)
            first_block(d, (size_t)S, in + s0, fw + (size_t)i * d, fc[i], act,
                        hb + (size_t)i * SB);
        dense_block(h0, out, W, bias, hb, SB, z + s0, (size_t)S);
    }
    for (int i = 0; mu && i < out; i++)
        row_moments(rows, z + (size_t)i * S, mu + i, var + i);
}

/* Batch normalization γ((v − μ)/√(σ² + ε)) + β of n units as their affine maps α v + c
 * with α = γ/√(σ² + ε) and c = β − α μ (model.c's values to rounding). */
LS_CLONES static void bn_affine_n(int n, const double *restrict mu, const double *restrict var,
                                  double eps, const double *restrict g,
                                  const double *restrict be, double *restrict al,
                                  double *restrict c)
{
#pragma omp simd
    for (int i = 0; i < n; i++) {
        al[i] = g[i] * (1.0 / sqrt(var[i] + eps));
        c[i] = be[i] - al[i] * mu[i];
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
    double *z0, *u, *v;   /* chunks × h0 × S: the first layer's three products (!direct) */
    double *xt;           /* chunks × d × S: the inputs, one row per feature (direct) */
    double *y;            /* chunks × S targets (padding 0) */
    /* the first layer in one pass (fused); from the inputs (direct) or the products;
     * its batch statistics from the inputs' moments (batch) */
    int fused, direct, d;
    int head2;                      /* two classes, cross-entropy: head2_sum */
    double xm[MOMENT_D];            /* the inputs' mean over the samples */
    double xc[MOMENT_D * MOMENT_D]; /* their biased covariance */
} mlp_grid;

/* The first layer's per-unit maps at θ (G->fused), the same for every chunk. Batch
 * norm before the activation maps the unit's pre-activation x = w·in + bias to
 * α x + (β − α μ) (bn_affine_n); with batch statistics μ and σ² are those of x over the
 * samples: μ = w·m_in + bias and σ² = wᵀ C_in w from the inputs' mean m_in and
 * covariance C_in (exact in w: no cancellation beyond w's own). Without batch norm
 * α = 1, c = 0.
 * From the inputs (direct) the map folds into the weights: fw = α w and
 * fc = α bias + c = β + α (bias − μ), where bias − μ = −w·m_in exactly (the bias
 * cancels); from the products, al and cc are α and c. */
static void first_coefs(const mlp_grid *G, const double *theta, double *restrict al,
                        double *restrict cc, double *restrict fw, double *restrict fc)
{
    const model_desc *md = G->md;
    const model_layer *ly = &G->layer[0];
    const int w = ly->out, d = G->d;
    const double *W = theta + ly->w_off, *bias = theta + ly->b_off, *aux = G->g->aux;
    double mu[MODEL_MAX_HIDDEN], var[MODEL_MAX_HIDDEN], bm[MODEL_MAX_HIDDEN]; /* bm: bias − μ */
    for (int i = 0; i < w; i++) {
        al[i] = 1.0, cc[i] = 0.0, bm[i] = 0.0;
        if (!md->bn)
            continue;
        if (!G->batch) {
            mu[i] = aux[ly->mu_off + i];
            var[i] = aux[ly->mu_off + w + i];
            bm[i] = bias[i] - mu[i];
            continue;
        }
        const double *cw = W + (size_t)i * d;
        double wm = 0.0, s2 = 0.0;
        for (int e = 0; e < d; e++) {
            wm += cw[e] * G->xm[e];
            double t = 0.0;
            for (int f = 0; f < d; f++)
                t += G->xc[e * d + f] * cw[f];
            s2 += cw[e] * t;
        }
        mu[i] = bias[i] + wm;
        var[i] = nonneg(s2);
        bm[i] = -wm;
    }
    if (md->bn)
        bn_affine_n(w, mu, var, md->bn_eps, theta + ly->g_off, theta + ly->be_off, al, cc);
    if (!G->direct)
        return;
    for (int i = 0; i < w; i++) {
        for (int e = 0; e < d; e++)
            fw[i * d + e] = al[i] * W[(size_t)i * d + e];
        fc[i] = md->bn ? theta[ly->be_off + i] + al[i] * bm[i] : bias[i];
    }
}

/* Loss at θ (the plane point at a, b) summed over the samples: every chunk through
 * the network, the values of a layer [unit][S] in A or B (maxw·S each), Lbuf the
 * head's scratch (4·S). */
static double grid_point(const mlp_grid *G, const double *theta, double a, double b, double *A,
                         double *B, double *Lbuf)
{
    const int S = G->S, L = G->n_layers;
    const model_desc *md = G->md;
    const double *aux = G->g->aux;
    /* the first layer's maps (first_coefs) */
    double al0[MODEL_MAX_HIDDEN], cc0[MODEL_MAX_HIDDEN], fc[MODEL_MAX_HIDDEN];
    double fw[MODEL_MAX_HIDDEN * DIRECT_D];
    if (G->fused)
        first_coefs(G, theta, al0, cc0, fw, fc);
    double total = 0.0;
    for (int c = 0; c < G->chunks; c++) {
        const int rows = G->count - c * S < S ? G->count - c * S : S;
        const double *y = G->y + (size_t)c * S;
        double *cur = A, *nxt = B;
        /* batch statistics of the pre-activations (batch norm before the activation) */
        const int stats = md->bn && G->batch && !md->bn_after;
        double mu[MODEL_MAX_HIDDEN], var[MODEL_MAX_HIDDEN];
        /* cur holds layer l's values: before its post-map (have_z; with mu and var when
         * stats) or after it */
        int l = 0, have_z = 1;
        if (G->fused && G->direct && L > 2) {
            /* the first two layers block by block */
            const model_layer *l1 = &G->layer[1];
            first_dense(S, G->d, G->xt + (size_t)c * G->d * S, G->layer[0].out, fw, fc, md->act,
                        l1->out, theta + l1->w_off, theta + l1->b_off, nxt, cur, rows,
                        stats ? mu : NULL, stats ? var : NULL);
            l = 1;
        } else if (G->fused && G->direct) {
            first_direct(S, G->d, G->xt + (size_t)c * G->d * S, G->layer[0].out, fw, fc,
                         md->act, cur);
            have_z = 0;
        } else if (G->fused) {
            for (int i = 0; i < G->layer[0].out; i++) {
                const size_t q = ((size_t)c * G->layer[0].out + (size_t)i) * S;
                first_fused(S, G->z0 + q, G->u + q, G->v + q, a, b, al0[i], cc0[i], md->act,
                            cur + (size_t)i * S);
            }
            have_z = 0;
        } else {
            for (int i = 0; i < G->layer[0].out; i++) {
                const size_t q = ((size_t)c * G->layer[0].out + (size_t)i) * S;
                first_unit(S, rows, G->z0 + q, G->u + q, G->v + q, a, b, stats && L > 1, mu + i,
                           var + i, cur + (size_t)i * S);
            }
            if (L == 1) {   /* no hidden layer: these are the logits */
                total += head_sum(S, rows, G->k, G->regression, G->mse, cur, y, Lbuf);
                continue;
            }
        }
        /* cur's post-map relu(α v + c) when left for head2_sum to apply (pending) */
        double al[MODEL_MAX_HIDDEN], cc[MODEL_MAX_HIDDEN];
        int pending = 0;
        for (;;) {
            if (have_z) {
                /* hidden layer l's post-map, per unit: act(α v + c) (no batch norm:
                 * α = 1, c = 0; before the activation: bn_affine_n), left for head2_sum
                 * when it is relu and the next layer is that head, else applied now;
                 * batch norm after the activation: the activation, then the affine map */
                const model_layer *ly = &G->layer[l];
                const int w = ly->out;
                pending = !(md->bn && md->bn_after) && md->act == ACT_RELU && l + 1 == L - 1 &&
                          G->head2;
                if (md->bn && md->bn_after)
                    activate(md->act, (size_t)w * S, cur);
                if (md->bn) {
                    for (int i = 0; i < w; i++) {
                        if (!G->batch) {
                            mu[i] = aux[ly->mu_off + i];
                            var[i] = aux[ly->mu_off + w + i];
                        } else if (md->bn_after) {
                            row_moments(rows, cur + (size_t)i * S, mu + i, var + i);
                        }
                    }
                    bn_affine_n(w, mu, var, md->bn_eps, theta + ly->g_off, theta + ly->be_off,
                                al, cc);
                    for (int i = 0; i < w && !pending; i++)
                        post_apply(S, al[i], cc[i], md->bn_after ? -1 : (int)md->act,
                                   cur + (size_t)i * S);
                } else {
                    for (int i = 0; i < w; i++)
                        al[i] = 1.0, cc[i] = 0.0;
                    if (!pending)
                        activate(md->act, (size_t)w * S, cur);
                }
            }
            l++;
            const model_layer *ly = &G->layer[l];
            if (l == L - 1 && G->head2) {
                double wd[MODEL_MAX_HIDDEN];
                const double *W = theta + ly->w_off, *bias = theta + ly->b_off;
                for (int i = 0; i < ly->in; i++)
                    wd[i] = W[ly->in + i] - W[i];
                total += head2_sum(S, rows, ly->in, wd, bias[1] - bias[0], pending ? al : NULL,
                                   pending ? cc : NULL, cur, y, Lbuf);
                break;
            }
            dense(S, ly->in, ly->out, theta + ly->w_off, theta + ly->b_off, cur, nxt, rows,
                  stats && l < L - 1 ? mu : NULL, stats && l < L - 1 ? var : NULL);
            double *t = cur;
            cur = nxt;
            nxt = t;
            if (l == L - 1) {
                total += head_sum(S, rows, G->k, G->regression, G->mse, cur, y, Lbuf);
                break;
            }
            have_z = 1;
        }
    }
    return total;
}

typedef struct mlp_rows {
    const mlp_grid *G;
    double *values;
    int j0;
    double inv; /* 1 / count */
} mlp_rows;

/* plane_point (the same operations, no contraction: GCC's default in ISO C, which
 * LS_CLONES turns on and THETA_CLONES does not), in a loop that vectorizes. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__gnu_linux__)
#define THETA_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define THETA_CLONES
#endif
THETA_CLONES static void theta_at(const plane *p, double a, double b, double *restrict theta)
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
    /* chunks of equal size (a multiple of SB), so the last one is not mostly padding */
    G.chunks = G.batch ? 1 : (count + CHUNK - 1) / CHUNK;
    G.S = ((count + G.chunks - 1) / G.chunks + SB - 1) / SB * SB;
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
    /* the first layer from the inputs where it has few (a multiply-add per input
     * and unit, instead of three with the products) */
    G.direct = G.fused && d <= DIRECT_D;
    G.head2 = G.n_layers > 1 && G.k == 2 && !G.regression && !G.mse;
    const size_t np = (size_t)G.chunks * G.S;
    const size_t first = G.direct ? (size_t)d : 3 * (size_t)h0; /* doubles per sample */
    double *mem = malloc((first + 1) * np * sizeof *mem);
    if (!mem)
        return 0;
    G.y = mem;
    G.xt = mem + np;
    G.z0 = mem + np;
    G.u = G.z0 + (size_t)h0 * np;
    G.v = G.u + (size_t)h0 * np;

    /* the targets and the inputs (direct) or the three products, chunk by chunk as
     * [feature or unit][S]; padding 0 */
    const plane *p = g->plane;
    const model_layer *l0 = &G.layer[0];
    for (size_t r = 0; r < np; r++) {
        const size_t c = r / (size_t)G.S, s = r % (size_t)G.S;
        const int real = r < (size_t)count;
        const int row = real ? (g->idx ? g->idx[r] : (int)r) : 0;
        const double *x = ds->x + (size_t)row * d;
        G.y[r] = real ? ds->y[row] : 0.0;
        if (G.direct) {
            for (int e = 0; e < d; e++)
                G.xt[(c * (size_t)d + (size_t)e) * (size_t)G.S + s] = real ? x[e] : 0.0;
            continue;
        }
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
