/*
 * landscape.c — a loss over a 2-D grid on a plane through parameter space, the
 * Hessian of an objective and its top eigenvalues. See landscape.h.
 *
 * Grid paths (chosen in landscape_eval_grid):
 *
 *   linear + mse   L(θ) is a quadratic in θ, so on the plane it is
 *                  c00 + c10 a + c01 b + c20 a² + c11 ab + c02 b². The six
 *                  coefficients come either from landscape_stats (centred XᵀX, Xᵀy, yᵀy:
 *                  O(d²) per grid, whatever the sample count) or, without stats, from
 *                  one O(n·d) pass computing the residual r0 = x̃·θ0 − y and the
 *                  projections u = x̃·d1, v = x̃·d2 of every sample (exact sums of
 *                  squares and products, no cancellation).
 *   linear logits  (logistic, softmax): z = z0 + a u + b v per sample and output;
 *                  z0, u, v are computed once per grid (O(n·d·k)), then every grid
 *                  point is one vectorized pass over the samples. The exponential and
 *                  the logarithm are our own branch-free polynomial versions (below),
 *                  so the loops vectorize; the kernels are compiled for AVX-512, AVX2
 *                  and baseline x86-64 and picked at run time (target_clones).
 *                  Logistic cross-entropy softplus(z) − y z = max(z, 0) − y z +
 *                  log1p(e^−|z|) takes one exponential per sample and one logarithm per
 *                  8 samples: Π(1 + t_i) − 1 over 8 samples is formed pairwise as
 *                  p + q + pq (accurate for small t), then log1p of it adds all 8 logs.
 *                  With labels 0/1 (and moderate steps) rows go faster: along a row
 *                  e^±m of the margin m = ±z is geometric, so a grid point costs two
 *                  multiplications per sample, re-anchored with exponentials every 64
 *                  points, and one logarithm per lane per 512 samples (see
 *                  kern_rec_pass); rows run in parallel.
 *   mlp            landscape_mlp.c: the first layer from three products per grid,
 *                  the rest over blocks of samples.
 *   anything else  the objective in evaluation mode at every θ(a, b), rows in
 *                  parallel with one θ buffer per thread.
 *
 * Every path matches the generic one to about 1e-14 relative (the tests ask 1e-9).
 *
 * Planes are in landscape_plane.c, Hessians and eigenvalues in landscape_eigen.c.
 *
 * Eigenvalues: Lanczos with full reorthogonalization (twice) and restarts on
 * breakdown (so repeated eigenvalues are found with their multiplicity); the Ritz
 * values come from the small tridiagonal matrix by cyclic Jacobi. The principal
 * directions of a PCA plane use the same Lanczos on v ↦ Dᵀ D v / count, D the
 * points minus the origin (uncentred: the plane passes through the origin).
 */
#include "core/landscape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/landscape_internal.h"
#include "core/landscape_mlp.h"
#include "core/par_rows.h"
#include "core/vmath.h"

/* ---- kernels: one grid point, a pass over the samples -------------------------- */

#define LANES 8
#define DEPTH 8
#define BLOCK (LANES * DEPTH)

/* Σ softplus(z) − y z over np samples (np a multiple of BLOCK; padding has z = −1e300,
 * y = 0 and adds exactly 0). z = z0 + a u + b v. */
LS_CLONES static double kern_logistic_ce(int np, const double *restrict z0,
                                         const double *restrict u, const double *restrict v,
                                         const double *restrict y, double a, double b)
{
    double lin = 0.0, lg = 0.0;
    for (int base = 0; base < np; base += BLOCK) {
        double t[BLOCK];
#pragma omp simd reduction(+ : lin)
        for (int i = 0; i < BLOCK; i++) {
            double z = z0[base + i] + a * u[base + i] + b * v[base + i];
            lin += 0.5 * (z + fabs(z)) - y[base + i] * z; /* max(z, 0), exactly */
            t[i] = k_exp_neg(-fabs(z));
        }
        /* (1 + p)(1 + q) − 1 = p + q + pq, pairwise down to one P per lane */
        for (int h = BLOCK / 2; h >= LANES; h /= 2) {
#pragma omp simd
            for (int i = 0; i < h; i++)
                t[i] = t[i] + t[i + h] + t[i] * t[i + h];
        }
#pragma omp simd reduction(+ : lg)
        for (int l = 0; l < LANES; l++)
            lg += k_log1p(t[l]);
    }
    return lin + lg;
}

/* Logistic cross-entropy along a grid row, exponentials by recurrence.
 *
 * With labels 0/1 the per-sample loss softplus(z) − y z is softplus(m) =
 * max(m, 0) + log1p(e^−|m|) for the margin m = (1 − 2y) z (signs flip, exactly).
 * Along a row (b fixed) m is affine in a, so over grid steps of Δa both e^m and e^−m
 * are geometric: t1 ← t1 ρ, t2 ← t2 / ρ with ρ = e^{Δa us} per sample (us the
 * margin's slope). e^−|m| is t1 where the directly computed m is negative and t2
 * otherwise, so a grid point costs two multiplications per sample instead of an
 * exponential. The pair is re-anchored with a real exponential every REC_SEG grid
 * points (drift: about an ulp per step, ~1e-14 relative at most; max(m, 0) is exact
 * at every point), and a segment's steps may move m by at most REC_SPAN (shorter
 * segments for long steps; none below REC_RB points: then the direct kernel), so
 * that from an anchor with |m| < REC_FLUSH every value stays normal: no overflow, no
 * subnormals. From anchors with |m| ≥ REC_FLUSH, e^−|m| (< 1e-257 over the segment)
 * is taken as 0; the generic path's own rounding is ~1e-16 |z| per sample.
 * The logarithms: per lane Π(1 + t) − 1 accumulated as P + t + P t (accurate for
 * small t, no cancellation), one log1p per lane per REC_CHUNK samples of it.
 * REC_RB grid points share each pass over the samples, their sums in registers
 * (GCC vector extensions: AVX-512 / AVX2 / SSE2 code from the same source). */
#if defined(__GNUC__) && !defined(LS_NO_REC)
#define LS_REC 1
#define REC_RB 8          /* grid points per pass over the samples */
#define REC_SEG 64        /* grid points per anchor (a multiple of REC_RB) */
#define REC_SPAN 48.0     /* the most m may move over a segment's steps */
#define REC_FLUSH 640.0   /* REC_FLUSH + REC_SPAN < 708: values stay normal */
#define REC_CHUNK 512     /* vectors per lane product: Π(1 + t) ≤ 2^512 */

typedef double vd __attribute__((vector_size(LANES * sizeof(double))));
typedef long long vl __attribute__((vector_size(LANES * sizeof(long long))));

/* zb = zs0 + b vs (the row's margin offsets); anchors at a: t1 = e^m, t2 = e^−m,
 * e^−|m| from k_exp_neg and the other one its reciprocal (for |m| ≥ REC_FLUSH:
 * 0 and 1, which select 0 below). */
LS_CLONES static void kern_rec_anchor(int np, const double *restrict zs0,
                                      const double *restrict us, const double *restrict vs,
                                      double a, double b, int row_start, double *restrict zb,
                                      double *restrict t1, double *restrict t2)
{
    if (row_start) {
#pragma omp simd
        for (int i = 0; i < np; i++)
            zb[i] = zs0[i] + b * vs[i];
    }
#pragma omp simd
    for (int i = 0; i < np; i++) {
        double m = zb[i] + a * us[i];
        double am = fabs(m);
        /* selects by bit masks, so that every clone if-converts */
        uint64_t in = (uint64_t)0 - (uint64_t)(am < REC_FLUSH);
        uint64_t neg = (uint64_t)0 - (uint64_t)(m < 0.0);
        uint64_t e = double_to_bits(k_exp_neg(-am)) & in;
        uint64_t big = double_to_bits(1.0 / bits_to_double(e | (double_to_bits(1.0) & ~in)));
        t1[i] = bits_to_double((e & neg) | (big & ~neg));
        t2[i] = bits_to_double((big & neg) | (e & ~neg));
    }
}

/* REC_RB grid points a[0..REC_RB) one step apart along the row: out[k] =
 * Σ softplus(m) over np samples (np a multiple of LANES); advances t1, t2 by
 * REC_RB steps. */
LS_CLONES static void kern_rec_pass(int np, const double *restrict zb,
                                    const double *restrict us, const double *restrict rho,
                                    const double *restrict rinv, double *restrict t1,
                                    double *restrict t2, const double *a, double *out)
{
    vd lin[REC_RB], lg[REC_RB], av[REC_RB];
    for (int k = 0; k < REC_RB; k++) {
        lin[k] = lg[k] = (vd){ 0 };
        av[k] = (vd){ 0 } + a[k];
    }
    for (int c0 = 0; c0 < np; c0 += REC_CHUNK * LANES) {
        int c1 = np - c0 < REC_CHUNK * LANES ? np : c0 + REC_CHUNK * LANES;
        vd P[REC_RB];
        for (int k = 0; k < REC_RB; k++)
            P[k] = (vd){ 0 };
        for (int i = c0; i < c1; i += LANES) {
            vd x1, x2, rr, rq, z, u;
            memcpy(&x1, t1 + i, sizeof x1);
            memcpy(&x2, t2 + i, sizeof x2);
            memcpy(&rr, rho + i, sizeof rr);
            memcpy(&rq, rinv + i, sizeof rq);
            memcpy(&z, zb + i, sizeof z);
            memcpy(&u, us + i, sizeof u);
#pragma GCC unroll 8
            for (int k = 0; k < REC_RB; k++) {
                vd m = z + av[k] * u;
                vl neg = (vl)m >> 63;                          /* all ones where m < 0 */
                lin[k] += (vd)((vl)m & ~neg);                  /* max(m, 0), exactly */
                vd t = (vd)(((vl)x1 & neg) | ((vl)x2 & ~neg)); /* e^−|m| */
                P[k] = P[k] + t + P[k] * t;                    /* (1 + P)(1 + t) − 1 */
                x1 *= rr;
                x2 *= rq;
            }
            memcpy(t1 + i, &x1, sizeof x1);
            memcpy(t2 + i, &x2, sizeof x2);
        }
        for (int k = 0; k < REC_RB; k++) {
            double p[LANES], l[LANES];
            memcpy(p, &P[k], sizeof p);
#pragma omp simd
            for (int q = 0; q < LANES; q++)
                l[q] = k_log1p(p[q]);
            vd lv;
            memcpy(&lv, l, sizeof lv);
            lg[k] += lv;
        }
    }
    for (int k = 0; k < REC_RB; k++) {
        double s = 0.0;
        for (int q = 0; q < LANES; q++)
            s += lin[k][q] + lg[k][q];
        out[k] = s;
    }
}
#endif

/* Σ (σ(z) − y)². */
LS_CLONES static double kern_logistic_mse(int n, const double *restrict z0,
                                          const double *restrict u, const double *restrict v,
                                          const double *restrict y, double a, double b)
{
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (int i = 0; i < n; i++) {
        double z = z0[i] + a * u[i] + b * v[i];
        double t = k_exp_neg(-fabs(z));
        double sg = (z >= 0.0 ? 1.0 : t) / (1.0 + t);
        double r = sg - y[i];
        s += r * r;
    }
    return s;
}

/* Softmax over k outputs (arrays k × stride): Σ lse(z) − z_y (mse = 0) or
 * Σ_c (p_c − [c = y])² (mse = 1). */
LS_CLONES static double kern_softmax(int n, int k, int stride, const double *restrict z0,
                                     const double *restrict u, const double *restrict v,
                                     const double *restrict y, double a, double b, int mse)
{
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (int i = 0; i < n; i++) {
        double zm = -HUGE_VAL, zy = 0.0;
        for (int c = 0; c < k; c++) {
            size_t q = (size_t)c * stride + i;
            double z = z0[q] + a * u[q] + b * v[q];
            zm = z > zm ? z : zm;
            zy += y[i] == (double)c ? z : 0.0;
        }
        double sum = 0.0;
        for (int c = 0; c < k; c++) {
            size_t q = (size_t)c * stride + i;
            double z = z0[q] + a * u[q] + b * v[q];
            sum += k_exp_neg(z - zm);
        }
        double term;
        if (!mse) {
            term = zm + k_log1p(sum - 1.0) - zy;
        } else {
            double inv = 1.0 / sum, l = 0.0;
            for (int c = 0; c < k; c++) {
                size_t q = (size_t)c * stride + i;
                double z = z0[q] + a * u[q] + b * v[q];
                double r = k_exp_neg(z - zm) * inv - (y[i] == (double)c ? 1.0 : 0.0);
                l += r * r;
            }
            term = l;
        }
        s += term;
    }
    return s;
}

/* ---- linear + mse: the quadratic ---------------------------------------------- */

struct landscape_stats {
    int d, bias, count;
    double *mean;   /* d: mean of x */
    double ybar;
    double *sxx;    /* d × d: centred second moments / count */
    double *sxy;    /* d */
    double syy;
};

landscape_stats *landscape_stats_create(const model *m, const dataset *ds, const int *idx,
                                        int count)
{
    if (!m || !ds || model_get_desc(m)->kind != MODEL_LINEAR || model_input_count(m) != ds->d)
        return NULL;
    if (!idx)
        count = ds->n;
    const int d = ds->d;
    landscape_stats *s = calloc(1, sizeof *s);
    double *mem = calloc((size_t)d * (d + 2), sizeof *mem);
    if (!s || !mem) {
        free(s), free(mem);
        return NULL;
    }
    s->d = d;
    s->bias = !model_get_desc(m)->no_bias;
    s->count = count;
    s->mean = mem;
    s->sxy = mem + d;
    s->sxx = mem + 2 * (size_t)d;
    if (count <= 0)
        return s;
    for (int r = 0; r < count; r++) {
        int row = idx ? idx[r] : r;
        const double *x = ds->x + (size_t)row * d;
        for (int e = 0; e < d; e++)
            s->mean[e] += x[e];
        s->ybar += ds->y[row];
    }
    for (int e = 0; e < d; e++)
        s->mean[e] /= count;
    s->ybar /= count;
    double *xc = malloc((size_t)d * sizeof *xc);
    if (!xc) {
        landscape_stats_destroy(s);
        return NULL;
    }
    for (int r = 0; r < count; r++) {
        int row = idx ? idx[r] : r;
        const double *x = ds->x + (size_t)row * d;
        double yc = ds->y[row] - s->ybar;
        for (int e = 0; e < d; e++)
            xc[e] = x[e] - s->mean[e];
        for (int e = 0; e < d; e++) {
            double *row_e = s->sxx + (size_t)e * d;
            for (int f = e; f < d; f++)
                row_e[f] += xc[e] * xc[f];
            s->sxy[e] += xc[e] * yc;
        }
        s->syy += yc * yc;
    }
    free(xc);
    for (int e = 0; e < d; e++) {
        for (int f = e; f < d; f++) {
            s->sxx[(size_t)e * d + f] /= count;
            s->sxx[(size_t)f * d + e] = s->sxx[(size_t)e * d + f];
        }
        s->sxy[e] /= count;
    }
    s->syy /= count;
    return s;
}

void landscape_stats_destroy(landscape_stats *s)
{
    if (!s)
        return;
    free(s->mean);
    free(s);
}

/* c[6] = c00, c10, c01, c20, c11, c02 of the mean squared error on the plane, from
 * stats: L(w, b) = wᵀSw − 2 sxyᵀw + syy + (μ·w + b − ȳ)². */
static void quad_from_stats(const landscape_stats *st, const plane *p, double c[6])
{
    const int d = st->d;
    const double *w[3] = { p->origin, p->d1, p->d2 };
    double e[3];
    /* e_k: the mean-offset part; for the origin it includes −ȳ */
    for (int k = 0; k < 3; k++)
        e[k] = dot(d, st->mean, w[k]) + (st->bias ? w[k][d] : 0.0) - (k == 0 ? st->ybar : 0.0);
    double ws[3][3], wy[3];
    for (int k = 0; k < 3; k++) {
        wy[k] = dot(d, st->sxy, w[k]);
        for (int l = k; l < 3; l++) {
            double acc = 0.0;
            for (int r = 0; r < d; r++)
                acc += w[k][r] * dot(d, st->sxx + (size_t)r * d, w[l]);
            ws[k][l] = ws[l][k] = acc;
        }
    }
    c[0] = ws[0][0] - 2.0 * wy[0] + st->syy + e[0] * e[0];
    c[1] = 2.0 * (ws[1][0] - wy[1]) + 2.0 * e[0] * e[1];
    c[2] = 2.0 * (ws[2][0] - wy[2]) + 2.0 * e[0] * e[2];
    c[3] = ws[1][1] + e[1] * e[1];
    c[4] = 2.0 * ws[1][2] + 2.0 * e[1] * e[2];
    c[5] = ws[2][2] + e[2] * e[2];
}

/* The same six coefficients from the samples: one pass, exact sums. */
static void quad_from_samples(const dataset *ds, const int *idx, int count, int bias,
                              const plane *p, double c[6])
{
    const int d = ds->d;
    double s00 = 0, s01 = 0, s02 = 0, s11 = 0, s12 = 0, s22 = 0;
    const double *o = p->origin, *d1 = p->d1, *d2 = p->d2;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) reduction(+ : s00, s01, s02, s11, s12, s22) if (count > 4096)
#endif
    for (int r = 0; r < count; r++) {
        int row = idx ? idx[r] : r;
        const double *x = ds->x + (size_t)row * d;
        double r0 = bias ? o[d] : 0.0, u = bias ? d1[d] : 0.0, v = bias ? d2[d] : 0.0;
        for (int e = 0; e < d; e++) {
            r0 += x[e] * o[e];
            u += x[e] * d1[e];
            v += x[e] * d2[e];
        }
        r0 -= ds->y[row];
        s00 += r0 * r0;
        s01 += r0 * u;
        s02 += r0 * v;
        s11 += u * u;
        s12 += u * v;
        s22 += v * v;
    }
    double inv = 1.0 / count;
    c[0] = s00 * inv;
    c[1] = 2.0 * s01 * inv;
    c[2] = 2.0 * s02 * inv;
    c[3] = s11 * inv;
    c[4] = 2.0 * s12 * inv;
    c[5] = s22 * inv;
}

static void grid_quadratic(const landscape_desc *g, const double c[6], double *values)
{
    const int nx = g->nx, ny = g->ny;
    int j0, j1;
    landscape_band(g, &j0, &j1);
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if ((long)nx * (j1 - j0) > 16384)
#endif
    for (int j = j0; j < j1; j++) {
        double b = surface_grid_coord(g->dom.ymin, g->dom.ymax, j, ny);
        double cb = c[0] + b * (c[2] + c[5] * b), ca = c[1] + c[4] * b;
        double *row = values + (size_t)(j - j0) * nx;
#pragma omp simd
        for (int i = 0; i < nx; i++) {
            double a = i == 0 ? g->dom.xmin
                       : i == nx - 1 ? g->dom.xmax
                                     : g->dom.xmin + i * (g->dom.xmax - g->dom.xmin) / (nx - 1);
            row[i] = cb + a * (ca + c[3] * a);
        }
    }
}

/* ---- logistic cross-entropy by recurrence: the row driver ---------------------- */

typedef struct rec_data {
    double *mem;    /* 5 × np: zs0, us, vs (z0, u, v with their signs flipped where
                     * y = 1), ρ = e^{Δa us}, 1/ρ; NULL: the path does not apply */
    int seg;        /* grid points per anchor: REC_SEG, or fewer for long steps */
} rec_data;

#ifdef LS_REC
/* The margin-form arrays and the segment length. Not applicable (mem NULL): labels
 * not all 0/1, logits that could overflow, steps too long for REC_SPAN even over
 * REC_RB points, or out of memory; then the direct kernel does every point. */
static rec_data rec_prepare(const landscape_desc *g, int count, int np, const double *z0,
                            const double *u, const double *v, const double *y)
{
    rec_data rd = { NULL, 0 };
    const int nx = g->nx;
    if (nx < REC_RB)
        return rd;
    const double da = (g->dom.xmax - g->dom.xmin) / (nx - 1);
    double mz = 0.0, mu = 0.0, mv = 0.0;
    for (int i = 0; i < count; i++) {
        if (y[i] != 0.0 && y[i] != 1.0)
            return rd;
        mz = fmax(mz, fabs(z0[i]));
        mu = fmax(mu, fabs(u[i]));
        mv = fmax(mv, fabs(v[i]));
    }
    double amax = fmax(fabs(g->dom.xmin), fabs(g->dom.xmax));
    double bmax = fmax(fabs(g->dom.ymin), fabs(g->dom.ymax));
    double zmax = mz + amax * mu + bmax * mv;   /* NaN fails the test too */
    /* how far m moves per step, at most; a segment of seg points takes seg steps */
    double step = fabs(da) * mu;
    if (!(zmax < 1e300) || !(step * REC_RB <= REC_SPAN))
        return rd;
    rd.seg = REC_SEG;
    while (rd.seg > REC_RB && step * rd.seg > REC_SPAN)
        rd.seg -= REC_RB;
    double *r = malloc((size_t)5 * np * sizeof *r);
    if (!r)
        return rd;
    double *zs0 = r, *us = r + np, *vs = r + 2 * (size_t)np, *rho = r + 3 * (size_t)np,
           *rinv = r + 4 * (size_t)np;
    for (int i = 0; i < np; i++) {
        if (i >= count) { /* padding: m = −1e300 adds exactly 0 */
            zs0[i] = -1e300;
            us[i] = vs[i] = 0.0;
            rho[i] = rinv[i] = 1.0;
            continue;
        }
        double sg = y[i] == 1.0 ? -1.0 : 1.0;
        zs0[i] = sg * z0[i];
        us[i] = sg * u[i];
        vs[i] = sg * v[i];
        rho[i] = exp(da * us[i]);
        rinv[i] = exp(-da * us[i]);
    }
    rd.mem = r;
    return rd;
}

/* One grid row (b fixed): row[i] = Σ softplus(m) at a_i, by segments of rd->seg
 * points, each anchored with exponentials, then REC_RB points per pass (the last
 * pass of a row may run past its end: those points are dropped). scr: 3 × np. */
static void rec_row(const landscape_desc *g, int np, const rec_data *rd, double b, double *scr,
                    double *row)
{
    const int nx = g->nx, seg = rd->seg;
    const double *rec = rd->mem;
    const double *zs0 = rec, *us = rec + np, *vs = rec + 2 * (size_t)np,
                 *rho = rec + 3 * (size_t)np, *rinv = rec + 4 * (size_t)np;
    double *zb = scr, *t1 = scr + np, *t2 = scr + 2 * (size_t)np;
    for (int i0 = 0; i0 < nx; i0 += seg) {
        kern_rec_anchor(np, zs0, us, vs, surface_grid_coord(g->dom.xmin, g->dom.xmax, i0, nx), b,
                        i0 == 0, zb, t1, t2);
        int i1 = i0 + seg < nx ? i0 + seg : nx;
        for (int k0 = i0; k0 < i1; k0 += REC_RB) {
            double a[REC_RB], out[REC_RB];
            for (int q = 0; q < REC_RB; q++) /* past the row's end: repeats, dropped */
                a[q] = surface_grid_coord(g->dom.xmin, g->dom.xmax, k0 + q < nx ? k0 + q : nx - 1, nx);
            kern_rec_pass(np, zb, us, rho, rinv, t1, t2, a, out);
            for (int q = 0; q < REC_RB && k0 + q < i1; q++)
                row[k0 + q] = out[q];
        }
    }
}
#else
static rec_data rec_prepare(const landscape_desc *g, int count, int np, const double *z0,
                            const double *u, const double *v, const double *y)
{
    (void)g, (void)count, (void)np, (void)z0, (void)u, (void)v, (void)y;
    return (rec_data){ NULL, 0 };
}
#endif

/* ---- linear logits ------------------------------------------------------------ */

/* z0, u, v for every sample and output, arrays k × np (np = count padded to BLOCK). */
static int grid_logits(const landscape_desc *g, int count, int k, int bias, int mse,
                       double *values)
{
    const dataset *ds = g->data;
    const plane *p = g->plane;
    const int d = ds->d;
    const int np = (count + BLOCK - 1) / BLOCK * BLOCK;
    double *mem = malloc((size_t)(3 * k + 1) * np * sizeof *mem);
    if (!mem)
        return 0;
    double *z0 = mem, *u = mem + (size_t)k * np, *v = mem + 2 * (size_t)k * np;
    double *y = mem + 3 * (size_t)k * np;
    for (int r = 0; r < np; r++) {
        if (r >= count) { /* padding: z = −1e300, y = 0 contribute exactly 0 (logistic ce) */
            for (int c = 0; c < k; c++) {
                z0[(size_t)c * np + r] = -1e300;
                u[(size_t)c * np + r] = v[(size_t)c * np + r] = 0.0;
            }
            y[r] = 0.0;
            continue;
        }
        int row = g->idx ? g->idx[r] : r;
        const double *x = ds->x + (size_t)row * d;
        y[r] = ds->y[row];
        for (int c = 0; c < k; c++) {
            const double *w0 = p->origin + (size_t)c * d, *w1 = p->d1 + (size_t)c * d,
                         *w2 = p->d2 + (size_t)c * d;
            size_t bo = (size_t)k * d + c;
            double a0 = bias ? p->origin[bo] : 0.0, a1 = bias ? p->d1[bo] : 0.0,
                   a2 = bias ? p->d2[bo] : 0.0;
            for (int e = 0; e < d; e++) {
                a0 += w0[e] * x[e];
                a1 += w1[e] * x[e];
                a2 += w2[e] * x[e];
            }
            z0[(size_t)c * np + r] = a0;
            u[(size_t)c * np + r] = a1;
            v[(size_t)c * np + r] = a2;
        }
    }
    const int nx = g->nx, ny = g->ny;
    int j0, j1;
    landscape_band(g, &j0, &j1);
    const double inv = 1.0 / count;
    rec_data rd = { NULL, 0 };
    if (k == 1 && !mse)
        rd = rec_prepare(g, count, np, z0, u, v, y);
#ifdef _OPENMP
#pragma omp parallel
#endif
    {
        /* per thread: the row's margin offsets and the two recurrences; without
         * them the rows go through the direct kernel */
        double *scr = rd.mem ? malloc((size_t)3 * np * sizeof *scr) : NULL;
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (int j = j0; j < j1; j++) {
            if (g->cancel && *g->cancel)
                continue;
            double b = surface_grid_coord(g->dom.ymin, g->dom.ymax, j, ny);
            double *row = values + (size_t)(j - j0) * nx;
#ifdef LS_REC
            if (scr) {
                rec_row(g, np, &rd, b, scr, row);
                for (int i = 0; i < nx; i++)
                    row[i] *= inv;
                continue;
            }
#endif
            for (int i = 0; i < nx; i++) {
                double a = surface_grid_coord(g->dom.xmin, g->dom.xmax, i, nx);
                double s;
                if (k == 1 && !mse)
                    s = kern_logistic_ce(np, z0, u, v, y, a, b);
                else if (k == 1)
                    s = kern_logistic_mse(count, z0, u, v, y, a, b);
                else
                    s = kern_softmax(count, k, np, z0, u, v, y, a, b, mse);
                row[i] = s * inv;
            }
        }
        free(scr);
    }
    free(rd.mem);
    free(mem);
    return !(g->cancel && *g->cancel);
}

/* ---- generic ------------------------------------------------------------------ */

typedef struct generic_rows {
    const landscape_desc *g;
    double *values;
    int j0;
} generic_rows;

/* one grid row j; ws: θ (n doubles) */
static void generic_row(void *ctx, void *ws, int j)
{
    const generic_rows *c = ctx;
    const landscape_desc *g = c->g;
    const objective *o = g->obj;
    double *theta = ws;
    double b = surface_grid_coord(g->dom.ymin, g->dom.ymax, j, g->ny);
    for (int i = 0; i < g->nx; i++) {
        double a = surface_grid_coord(g->dom.xmin, g->dom.xmax, i, g->nx);
        plane_point(g->plane, a, b, theta);
        c->values[(size_t)(j - c->j0) * g->nx + i] =
            o->eval(o->ctx, theta, g->idx, g->count, NULL, (double *)g->aux, 0);
    }
}

static int grid_generic(const landscape_desc *g, double *values)
{
    int j0, j1;
    landscape_band(g, &j0, &j1);
    generic_rows c = { g, values, j0 };
    return par_rows(j0, j1, (size_t)g->obj->n * sizeof(double), 1, g->cancel, generic_row, &c);
}

int landscape_eval_grid(const landscape_desc *g, double *values)
{
    if (!g || !g->obj || !g->plane || g->nx < 1 || g->ny < 1 || g->plane->n != g->obj->n)
        return 0;
    if (g->rows < 0 || (g->rows > 0 && (g->row0 < 0 || g->row0 > g->ny - g->rows)))
        return 0;
    const model *m = g->model;
    const dataset *ds = g->data;
    if (m && ds && !g->generic) {
        const model_desc *md = model_get_desc(m);
        loss_kind loss = g->loss;
        if (loss == LOSS_DEFAULT)
            loss = ds->task == DATA_REGRESSION ? LOSS_MSE : LOSS_CE;
        const int d = ds->d, k = model_output_count(m), bias = !md->no_bias;
        const int count = g->idx ? g->count : ds->n;
        int one_layer = (md->kind == MODEL_LINEAR || md->kind == MODEL_LOGISTIC ||
                         md->kind == MODEL_SOFTMAX) &&
                        model_input_count(m) == d && g->obj->n == k * d + (bias ? k : 0) &&
                        model_param_count(m) == g->obj->n;
        if (one_layer && count <= 0) {
            int j0, j1;
            landscape_band(g, &j0, &j1);
            for (size_t q = 0; q < (size_t)g->nx * (size_t)(j1 - j0); q++)
                values[q] = 0.0;
            return 1;
        }
        if (one_layer && md->kind == MODEL_LINEAR && ds->task == DATA_REGRESSION &&
            loss == LOSS_MSE) {
            double c[6];
            const landscape_stats *st = g->stats;
            if (st && st->d == d && st->bias == bias && st->count == count)
                quad_from_stats(st, g->plane, c);
            else
                quad_from_samples(ds, g->idx, count, bias, g->plane, c);
            grid_quadratic(g, c, values);
            return 1;
        }
        if (one_layer && ds->task == DATA_CLASSIFICATION &&
            (md->kind == MODEL_LOGISTIC || md->kind == MODEL_SOFTMAX)) {
            int labels_ok = md->kind == MODEL_LOGISTIC;
            if (!labels_ok) {
                labels_ok = 1;
                for (int r = 0; r < count && labels_ok; r++) {
                    double yv = ds->y[g->idx ? g->idx[r] : r];
                    labels_ok = yv >= 0.0 && yv < k && yv == floor(yv);
                }
            }
            if (labels_ok)
                return grid_logits(g, count, k, bias, loss == LOSS_MSE, values);
        }
        if (md->kind == MODEL_MLP) {
            int r = landscape_grid_mlp(g, count, loss, values);
            if (r >= 0)
                return r;
        }
    }
    return grid_generic(g, values);
}
