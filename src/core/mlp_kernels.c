/*
 * mlp_kernels.c — the vector kernels of landscape_mlp.c over blocks of samples.
 * Contracts in mlp_kernels.h; the maths in landscape_mlp.c. Built with -fno-math-errno
 * (CMakeLists.txt) so that 1/√ vectorizes.
 */
#include "core/mlp_kernels.h"

#include <math.h>
#include <string.h>
typedef double vd __attribute__((vector_size(VL * sizeof(double))));
/* the same vector at any address of a double: loads without memcpy or an ABI issue */
typedef double vd_u __attribute__((vector_size(VL * sizeof(double)), aligned(8), may_alias));
typedef long long vl __attribute__((vector_size(VL * sizeof(double))));
#define LOADV(p) (*(const vd_u *)(const void *)(p))
#define SPLAT(x) ((vd){ (x), (x), (x), (x), (x), (x), (x), (x) })



/* Mean and biased variance of v[0..rows) in one pass: sums of e = v − c and e² with
 * the shift c = v[0] (so no cancellation unless v[0] lies many deviations out):
 * μ = c + Σe/n, σ² = Σe²/n − (Σe/n)². v is read up to rows rounded up to a multiple
 * of VL (the last vector's lanes from rows on are masked out). */
LS_CLONES void mlpk_row_moments(int rows, const double *restrict v, double *mu, double *var)
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
LS_CLONES void mlpk_dense(int S, int in, int out, const double *restrict W,
                            const double *restrict bias, const double *restrict h,
                            double *restrict z, int rows, double *restrict mu,
                            double *restrict var)
{
    for (int s0 = 0; s0 < S; s0 += SB)
        dense_block(in, out, W, bias, h + s0, (size_t)S, z + s0, (size_t)S);
    for (int i = 0; mu && i < out; i++)
        mlpk_row_moments(rows, z + (size_t)i * S, mu + i, var + i);
}

/* One first-layer unit: x = z0 + a u + b v over S values; with stats, also the mean
 * and biased variance of the first `rows` (shifted sums as row_moments, same pass). */
LS_CLONES void mlpk_first_unit(int S, int rows, const double *restrict z0,
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
LS_CLONES void mlpk_first_fused(int S, const double *restrict z0, const double *restrict u,
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
LS_CLONES void mlpk_activate(model_act act, size_t n, double *restrict v)
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
LS_CLONES void mlpk_post_apply(int S, double al, double c, int act, double *restrict v)
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
LS_CLONES double mlpk_head2_sum(int S, int rows, int in, const double *restrict wd, double bd,
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
LS_CLONES void mlpk_first_direct(int S, int d, const double *restrict in, int h0,
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
LS_CLONES void mlpk_first_dense(int S, int d, const double *restrict in, int h0,
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
        mlpk_row_moments(rows, z + (size_t)i * S, mu + i, var + i);
}

/* Batch normalization γ((v − μ)/√(σ² + ε)) + β of n units as their affine maps α v + c
 * with α = γ/√(σ² + ε) and c = β − α μ (model.c's values to rounding). */
LS_CLONES void mlpk_bn_affine_n(int n, const double *restrict mu, const double *restrict var,
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
LS_CLONES double mlpk_head_sum(int S, int rows, int k, int regression, int mse,
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
