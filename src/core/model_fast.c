/*
 * model_fast.c — vectorized loss sums of linear, logistic and softmax models. See
 * model_fast.h.
 *
 * Samples go in blocks of FB: the logits of a block as [output][FB] (a gathered
 * multiply-add per feature), then the per-sample loss and its derivative dz in
 * `omp simd` loops, then the gradient as per-feature reductions over the block.
 * The exponential and logarithm are vmath.h's; everything else is model.c's
 * formula, term for term, except the logistic cross-entropy without a gradient,
 * whose logarithms are summed 8 at a time (block_logistic_ce).
 */
#include "core/model_fast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/vmath.h"

#define FB 256 /* samples per block */

/* Logits z[c][s] = b_c + Σ_e W[c][e] x[off[s] + e] for s < nb. */
LS_CLONES static void block_logits(const single_desc *sd, const double *restrict theta,
                                   const double *restrict x, const long *restrict off, int nb,
                                   double *restrict z)
{
    const int d = sd->d;
    for (int c = 0; c < sd->k; c++) {
        double *zc = z + (size_t)c * FB;
        const double *w = theta + (size_t)c * d;
        const double b0 = sd->bias ? theta[(size_t)sd->k * d + c] : 0.0;
#pragma omp simd
        for (int s = 0; s < nb; s++)
            zc[s] = b0;
        for (int e = 0; e < d; e++) {
            const double we = w[e];
#pragma omp simd
            for (int s = 0; s < nb; s++)
                zc[s] += we * x[off[s] + e];
        }
    }
}

/* Per-sample loss into L and dloss/dz into dz ([c][FB]); returns the number of
 * labels that are not classes (then nothing is valid). */
LS_CLONES static int block_head(const single_desc *sd, int nb, const double *restrict z,
                                const double *restrict y, double *restrict L,
                                double *restrict dz, double *restrict tmp)
{
    int bad = 0;
    if (sd->regression) {
#pragma omp simd
        for (int s = 0; s < nb; s++) {
            double r = z[s] - y[s];
            dz[s] = 2.0 * r;
            L[s] = r * r;
        }
        return 0;
    }
    if (sd->logistic) {
        if (!sd->mse) {
#pragma omp simd
            for (int s = 0; s < nb; s++) {
                double zs = z[s], az = fabs(zs);
                double t = k_exp_neg(-az);
                double sg = (zs >= 0.0 ? 1.0 : t) / (1.0 + t);
                dz[s] = sg - y[s];
                L[s] = ((zs > 0.0 ? zs : 0.0) + k_log1p(t)) - y[s] * zs;
            }
        } else {
#pragma omp simd
            for (int s = 0; s < nb; s++) {
                double zs = z[s];
                double t = k_exp_neg(-fabs(zs));
                double sg = (zs >= 0.0 ? 1.0 : t) / (1.0 + t);
                double r = sg - y[s];
                dz[s] = 2.0 * r * sg * (1.0 - sg);
                L[s] = r * r;
            }
        }
        return 0;
    }
    const int k = sd->k;
    double *restrict zm = tmp, *restrict sum = tmp + FB, *restrict zy = tmp + 2 * FB,
                     *restrict gp = tmp + 3 * FB;
#pragma omp simd reduction(+ : bad)
    for (int s = 0; s < nb; s++) {
        double ys = y[s];
        bad += !(ys >= 0.0 && ys < (double)k && ys == floor(ys));
        zm[s] = z[s];
    }
    if (bad)
        return bad;
    for (int c = 1; c < k; c++) {
        const double *zc = z + (size_t)c * FB;
#pragma omp simd
        for (int s = 0; s < nb; s++)
            zm[s] = zc[s] > zm[s] ? zc[s] : zm[s];
    }
    for (int c = 0; c < k; c++) {
        const double *zc = z + (size_t)c * FB;
        double *pc = dz + (size_t)c * FB; /* e^(z − zmax) for now */
        const double cd = (double)c;
#pragma omp simd
        for (int s = 0; s < nb; s++) {
            pc[s] = k_exp_neg(zc[s] - zm[s]);
            sum[s] = (c ? sum[s] : 0.0) + pc[s];
            zy[s] = y[s] == cd ? zc[s] : (c ? zy[s] : 0.0);
        }
    }
    for (int c = 0; c < k; c++) { /* probabilities */
        double *pc = dz + (size_t)c * FB;
#pragma omp simd
        for (int s = 0; s < nb; s++)
            pc[s] /= sum[s];
    }
    if (!sd->mse) {
#pragma omp simd
        for (int s = 0; s < nb; s++)
            L[s] = zm[s] + k_log1p(sum[s] - 1.0) - zy[s];
        for (int c = 0; c < k; c++) {
            double *pc = dz + (size_t)c * FB;
            const double cd = (double)c;
#pragma omp simd
            for (int s = 0; s < nb; s++)
                pc[s] -= y[s] == cd ? 1.0 : 0.0;
        }
        return 0;
    }
    /* mse on probabilities: g_c = 2 (p_c − t_c); dz_c = p_c (g_c − Σ_j g_j p_j) */
    for (int c = 0; c < k; c++) {
        const double *pc = dz + (size_t)c * FB;
        const double cd = (double)c;
#pragma omp simd
        for (int s = 0; s < nb; s++) {
            double r = pc[s] - (y[s] == cd ? 1.0 : 0.0);
            L[s] = (c ? L[s] : 0.0) + r * r;
            gp[s] = (c ? gp[s] : 0.0) + 2.0 * r * pc[s];
        }
    }
    for (int c = 0; c < k; c++) {
        double *pc = dz + (size_t)c * FB;
        const double cd = (double)c;
#pragma omp simd
        for (int s = 0; s < nb; s++)
            pc[s] = pc[s] * (2.0 * (pc[s] - (y[s] == cd ? 1.0 : 0.0)) - gp[s]);
    }
    return 0;
}

/* Σ softplus(z) − y z over a block without the derivative: max(z, 0) − y z exactly
 * per sample, and log1p(e^−|z|) summed as in landscape.c's kernel — Π(1 + t) − 1
 * over 8 samples formed pairwise as p + q + pq (no cancellation for small t), one
 * logarithm per 8 samples. */
#define LB 64 /* samples per product group: 8 lanes × 8 */
LS_CLONES static double block_logistic_ce(int nb, double *restrict z, double *restrict y)
{
    const int np = (nb + LB - 1) / LB * LB;
    for (int s = nb; s < np; s++) { /* padding: adds exactly 0 (e^−1e300 = 0, 0·z = 0) */
        z[s] = -1e300;
        y[s] = 0.0;
    }
    double lin = 0.0, lg = 0.0;
    for (int base = 0; base < np; base += LB) {
        double t[LB];
#pragma omp simd reduction(+ : lin)
        for (int i = 0; i < LB; i++) {
            double zs = z[base + i];
            lin += (zs > 0.0 ? zs : 0.0) - y[base + i] * zs;
            t[i] = k_exp_neg(-fabs(zs));
        }
        for (int h = LB / 2; h >= 8; h /= 2) {
#pragma omp simd
            for (int i = 0; i < h; i++)
                t[i] = t[i] + t[i + h] + t[i] * t[i + h];
        }
#pragma omp simd reduction(+ : lg)
        for (int i = 0; i < 8; i++)
            lg += k_log1p(t[i]);
    }
    return lin + lg;
}

/* grad += Σ_s dz[c][s] x[s] (W) and Σ_s dz[c][s] (b). */
LS_CLONES static void block_grad(const single_desc *sd, const double *restrict x,
                                 const long *restrict off, int nb, const double *restrict dz,
                                 double *restrict grad)
{
    const int d = sd->d;
    for (int c = 0; c < sd->k; c++) {
        const double *dc = dz + (size_t)c * FB;
        for (int e = 0; e < d; e++) {
            double g = 0.0;
#pragma omp simd reduction(+ : g)
            for (int s = 0; s < nb; s++)
                g += dc[s] * x[off[s] + e];
            grad[(size_t)c * d + e] += g;
        }
        if (sd->bias) {
            double g = 0.0;
#pragma omp simd reduction(+ : g)
            for (int s = 0; s < nb; s++)
                g += dc[s];
            grad[(size_t)sd->k * d + c] += g;
        }
    }
}

LS_CLONES static double block_sum(int nb, const double *restrict L)
{
    double t = 0.0;
#pragma omp simd reduction(+ : t)
    for (int s = 0; s < nb; s++)
        t += L[s];
    return t;
}

int single_fast_sum(const single_desc *sd, const dataset *ds, const double *theta,
                    const int *idx, int row0, int count, double *grad, double *total)
{
    const int k = sd->k;
    double *mem = malloc(((size_t)2 * k + 6) * FB * sizeof *mem + FB * sizeof(long));
    if (!mem)
        return 0;
    double *z = mem, *dz = z + (size_t)k * FB, *y = dz + (size_t)k * FB, *L = y + FB;
    double *tmp = L + FB;
    long *off = (long *)(tmp + 4 * FB);
    double t = 0.0;
    for (int base = 0; base < count; base += FB) {
        const int nb = count - base < FB ? count - base : FB;
        for (int s = 0; s < nb; s++) {
            const int row = idx ? idx[row0 + base + s] : row0 + base + s;
            off[s] = (long)row * sd->d;
            y[s] = ds->y[row];
        }
        block_logits(sd, theta, ds->x, off, nb, z);
        if (!grad && sd->logistic && !sd->mse) {
            t += block_logistic_ce(nb, z, y);
            continue;
        }
        if (block_head(sd, nb, z, y, L, dz, tmp)) {
            free(mem);
            return 0;
        }
        t += block_sum(nb, L);
        if (grad)
            block_grad(sd, ds->x, off, nb, dz, grad);
    }
    free(mem);
    *total = t;
    return 1;
}
