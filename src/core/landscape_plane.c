/*
 * landscape_plane.c — planes through parameter space: identity, two parameters,
 * filter-normalized random, PCA of trajectories; points and projections. See
 * landscape.c and landscape.h.
 */
#include "core/landscape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/landscape_internal.h"
#include "core/rng.h"

/* ---- planes ------------------------------------------------------------------- */

static plane *plane_alloc(int n, plane_kind kind)
{
    if (n < 1)
        return NULL;
    plane *p = calloc(1, sizeof *p);
    double *mem = calloc((size_t)3 * n, sizeof *mem);
    if (!p || !mem) {
        free(p), free(mem);
        return NULL;
    }
    p->kind = kind;
    p->n = n;
    p->origin = mem;
    p->d1 = mem + n;
    p->d2 = mem + 2 * (size_t)n;
    p->i = -1;
    p->j = -1;
    return p;
}

void plane_destroy(plane *p)
{
    if (!p)
        return;
    free(p->origin); /* d1 and d2 share its block */
    free(p);
}

plane *plane_create_identity(int n)
{
    if (n != 2)
        return NULL;
    plane *p = plane_alloc(2, PLANE_IDENTITY);
    if (!p)
        return NULL;
    p->d1[0] = 1.0;
    p->d2[1] = 1.0;
    p->i = 0;
    p->j = 1;
    return p;
}

plane *plane_create_params(const double *origin, int n, int i, int j)
{
    if (i < 0 || j < 0 || i >= n || j >= n || i == j)
        return NULL;
    plane *p = plane_alloc(n, PLANE_PARAMS);
    if (!p)
        return NULL;
    if (origin)
        memcpy(p->origin, origin, (size_t)n * sizeof *origin);
    p->d1[i] = 1.0;
    p->d2[j] = 1.0;
    p->i = i;
    p->j = j;
    return p;
}

/* Scale d[off..off+len) to the norm of origin's same slice (to norm 1 where the
 * origin's slice is 0, so a plane through θ = 0 still spans something). */
static void filter_normalize(const double *origin, double *d, int off, int len)
{
    double no = origin ? norm2(len, origin + off) : 0.0;
    double nd = norm2(len, d + off);
    double target = no > 0.0 ? no : 1.0;
    double c = nd > 0.0 ? target / nd : 0.0;
    for (int k = 0; k < len; k++)
        d[off + k] *= c;
}

plane *plane_create_random(const double *origin, int n, const model *m, uint64_t seed)
{
    if (m && model_param_count(m) != n)
        return NULL;
    plane *p = plane_alloc(n, PLANE_RANDOM);
    if (!p)
        return NULL;
    if (origin)
        memcpy(p->origin, origin, (size_t)n * sizeof *origin);
    rng r;
    rng_seed(&r, seed);
    double *dirs[2] = { p->d1, p->d2 };
    for (int k = 0; k < 2; k++) {
        double *d = dirs[k];
        for (int e = 0; e < n; e++)
            d[e] = rng_normal(&r);
        if (!m) {
            filter_normalize(p->origin, d, 0, n);
            continue;
        }
        int nf = model_filter_count(m);
        for (int f = 0; f < nf; f++) {
            int off, len, is_weight;
            model_filter(m, f, &off, &len, &is_weight);
            if (is_weight)
                filter_normalize(p->origin, d, off, len);
            else
                memset(d + off, 0, (size_t)len * sizeof *d);
        }
    }
    return p;
}

typedef struct pca_ctx {
    int n, count;
    const double *pts;
    const double *origin;
} pca_ctx;

/* The covariance product (1/count) Σ_k x_k (x_k · v), x_k = pts_k − origin, in one
 * pass over the points (each row's dot product, then its multiple added to out,
 * while the row is in cache: the points, 8 MB for lesson 9, were read twice per
 * product), the dot products eight rows at a time (eight chains of additions, not
 * one) and the additions four rows to a pass over out. Every number is computed as
 * the two-pass loops computed it: each dot product sums in e order, each out[e] in
 * k order; no contraction (C11 without extensions). A fit's 64 products: ~2.5×
 * faster, the same plane bit for bit (test_landscape: test_plane_pca_same). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__gnu_linux__)
#define PCA_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define PCA_CLONES
#endif
enum { PCA_ROWS = 8 };

PCA_CLONES static void pca_dots8(int n, const double *const *p, const double *restrict o,
                                 const double *restrict v, double *s)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
    const double *p0 = p[0], *p1 = p[1], *p2 = p[2], *p3 = p[3];
    const double *p4 = p[4], *p5 = p[5], *p6 = p[6], *p7 = p[7];
    for (int e = 0; e < n; e++) {
        double oe = o[e], ve = v[e];
        s0 += (p0[e] - oe) * ve;
        s1 += (p1[e] - oe) * ve;
        s2 += (p2[e] - oe) * ve;
        s3 += (p3[e] - oe) * ve;
        s4 += (p4[e] - oe) * ve;
        s5 += (p5[e] - oe) * ve;
        s6 += (p6[e] - oe) * ve;
        s7 += (p7[e] - oe) * ve;
    }
    s[0] = s0, s[1] = s1, s[2] = s2, s[3] = s3;
    s[4] = s4, s[5] = s5, s[6] = s6, s[7] = s7;
}

/* out[e] += (p_q[e] − o[e]) · s[q] for q = 0..3 in that order. */
PCA_CLONES static void pca_add4(int n, const double *const *p, const double *restrict o,
                                const double *s, double *restrict out)
{
    const double *restrict p0 = p[0], *restrict p1 = p[1], *restrict p2 = p[2], *restrict p3 = p[3];
    double s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    for (int e = 0; e < n; e++) {
        double oe = o[e];
        double t = out[e] + (p0[e] - oe) * s0;
        t = t + (p1[e] - oe) * s1;
        t = t + (p2[e] - oe) * s2;
        out[e] = t + (p3[e] - oe) * s3;
    }
}

PCA_CLONES static void pca_add1(int n, const double *restrict p, const double *restrict o, double s,
                                double *restrict out)
{
    for (int e = 0; e < n; e++)
        out[e] += (p[e] - o[e]) * s;
}

static void pca_matvec(void *vctx, const double *v, double *out)
{
    const pca_ctx *c = vctx;
    const int n = c->n;
    const double *o = c->origin;
    memset(out, 0, (size_t)n * sizeof *out);
    int k = 0;
    for (; k + PCA_ROWS <= c->count; k += PCA_ROWS) {
        const double *p[PCA_ROWS];
        double s[PCA_ROWS];
        for (int q = 0; q < PCA_ROWS; q++)
            p[q] = c->pts + (size_t)(k + q) * n;
        pca_dots8(n, p, o, v, s);
        for (int q = 0; q < PCA_ROWS; q++)
            s[q] /= c->count;
        pca_add4(n, p, o, s, out);
        pca_add4(n, p + 4, o, s + 4, out);
    }
    for (; k < c->count; k++) {
        const double *pk = c->pts + (size_t)k * n;
        double s = 0.0;
        for (int e = 0; e < n; e++)
            s += (pk[e] - o[e]) * v[e];
        pca_add1(n, pk, o, s / c->count, out);
    }
}

plane *plane_create_pca(const double *origin, int n, const double *pts, int count)
{
    if (!origin || !pts || count < 3 || n < 2)
        return NULL;
    double total = 0.0;
    for (int k = 0; k < count; k++)
        for (int e = 0; e < n; e++) {
            double t = pts[(size_t)k * n + e] - origin[e];
            total += t * t;
        }
    total /= count;
    if (!(total > 0.0) || !isfinite(total))
        return NULL;
    plane *p = plane_alloc(n, PLANE_PCA);
    int iters = n < 64 ? n : 64;
    if (iters > count + 2)
        iters = count + 2 < n ? count + 2 : n;
    double *vals = malloc((size_t)iters * sizeof *vals);
    double *vecs = malloc((size_t)2 * n * sizeof *vecs);
    if (!p || !vals || !vecs) {
        plane_destroy(p), free(vals), free(vecs);
        return NULL;
    }
    memcpy(p->origin, origin, (size_t)n * sizeof *origin);
    pca_ctx c = { n, count, pts, origin };
    int m = landscape_lanczos(n, pca_matvec, &c, iters, 0x5ca1ab1eu, vals, vecs, 2);
    if (m < 2 || !(vals[1] > 1e-12 * vals[0])) {
        plane_destroy(p), free(vals), free(vecs);
        return NULL;
    }
    double *dirs[2] = { p->d1, p->d2 };
    for (int k = 0; k < 2; k++) {
        unit_direction(n, vecs + (size_t)k * n, dirs[k]);
        p->explained[k] = vals[k] / total;
    }
    free(vals), free(vecs);
    return p;
}

void plane_point(const plane *p, double a, double b, double *theta)
{
    for (int e = 0; e < p->n; e++)
        theta[e] = p->origin[e] + a * p->d1[e] + b * p->d2[e];
}

/* (a, b) from the Gram matrix {g11, g12, g22} and r = (d1·(θ−o), d2·(θ−o)). */
static void plane_solve(double g11, double g12, double g22, double r1, double r2, double ab[2])
{
    double det = g11 * g22 - g12 * g12;
    if (det > 1e-12 * g11 * g22 && det > 0.0) {
        ab[0] = (g22 * r1 - g12 * r2) / det;
        ab[1] = (g11 * r2 - g12 * r1) / det;
    } else if (g11 > 0.0) { /* d1 ∥ d2 (or d2 = 0): along d1 only */
        ab[0] = r1 / g11;
        ab[1] = 0.0;
    } else if (g22 > 0.0) {
        ab[0] = 0.0;
        ab[1] = r2 / g22;
    } else {
        ab[0] = ab[1] = 0.0;
    }
}

void plane_project(const plane *p, const double *theta, double ab[2])
{
    const int n = p->n;
    double g11 = 0.0, g12 = 0.0, g22 = 0.0, r1 = 0.0, r2 = 0.0;
    for (int e = 0; e < n; e++) {
        double d = theta[e] - p->origin[e];
        g11 += p->d1[e] * p->d1[e];
        g12 += p->d1[e] * p->d2[e];
        g22 += p->d2[e] * p->d2[e];
        r1 += p->d1[e] * d;
        r2 += p->d2[e] * d;
    }
    plane_solve(g11, g12, g22, r1, r2, ab);
}

void plane_gram(const plane *p, double g[3])
{
    const int n = p->n;
    const double *d1 = p->d1, *d2 = p->d2;
    double g11 = 0.0, g12 = 0.0, g22 = 0.0;
    for (int e = 0; e < n; e++) {   /* the sums of plane_project, in its order */
        g11 += d1[e] * d1[e];
        g12 += d1[e] * d2[e];
        g22 += d2[e] * d2[e];
    }
    g[0] = g11;
    g[1] = g12;
    g[2] = g22;
}

/* The sums of each θ rows[q], four at a time: eight independent sums, each in
 * plane_project's order (so the same numbers). */
void plane_sums_rows(const double *o, const double *d1, const double *d2, int n, const double *const *rows,
                     int count, double *r)
{
    enum { B = 4 };
    int q = 0;
    for (; q + B <= count; q += B) {
        const double *t0 = rows[q], *t1 = rows[q + 1], *t2 = rows[q + 2], *t3 = rows[q + 3];
        double r1[B] = { 0 }, r2[B] = { 0 };
        for (int e = 0; e < n; e++) {
            double d;
            d = t0[e] - o[e], r1[0] += d1[e] * d, r2[0] += d2[e] * d;
            d = t1[e] - o[e], r1[1] += d1[e] * d, r2[1] += d2[e] * d;
            d = t2[e] - o[e], r1[2] += d1[e] * d, r2[2] += d2[e] * d;
            d = t3[e] - o[e], r1[3] += d1[e] * d, r2[3] += d2[e] * d;
        }
        for (int k = 0; k < B; k++) {
            r[2 * (size_t)(q + k)] = r1[k];
            r[2 * (size_t)(q + k) + 1] = r2[k];
        }
    }
    for (; q < count; q++) {
        const double *t = rows[q];
        double r1 = 0.0, r2 = 0.0;
        for (int e = 0; e < n; e++) {
            double d = t[e] - o[e];
            r1 += d1[e] * d;
            r2 += d2[e] * d;
        }
        r[2 * (size_t)q] = r1;
        r[2 * (size_t)q + 1] = r2;
    }
}

void plane_solve_sums(const double g[3], const double r[2], double ab[2])
{
    plane_solve(g[0], g[1], g[2], r[0], r[1], ab);
}

/* plane_project of each θ rows[q]: the Gram matrix once, the sums (plane_sums_rows),
 * then the 2 × 2 solve of each, so the same numbers. */
void plane_project_rows(const plane *p, const double *const *rows, int count, double *ab)
{
    double g[3];
    plane_gram(p, g);
    plane_sums_rows(p->origin, p->d1, p->d2, p->n, rows, count, ab);   /* the sums, in place */
    for (int q = 0; q < count; q++) {
        double r[2] = { ab[2 * (size_t)q], ab[2 * (size_t)q + 1] };
        plane_solve(g[0], g[1], g[2], r[0], r[1], ab + 2 * (size_t)q);
    }
}

void plane_project_many(const plane *p, const double *theta, int count, double *ab)
{
    enum { CHUNK = 64 };
    const double *rows[CHUNK];
    for (int q0 = 0; q0 < count; q0 += CHUNK) {
        int m = count - q0 < CHUNK ? count - q0 : CHUNK;
        for (int k = 0; k < m; k++)
            rows[k] = theta + (size_t)(q0 + k) * (size_t)p->n;
        plane_project_rows(p, rows, m, ab + 2 * (size_t)q0);
    }
}
