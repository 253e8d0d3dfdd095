/*
 * landscape_eigen.c — the Hessian of an objective by gradient differences, its top
 * eigenvalues by Lanczos on Hessian-vector products, and the Lanczos / Jacobi
 * machinery itself (also used by landscape_plane.c for PCA planes). See landscape.c
 * and landscape.h.
 */
#include "core/landscape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/landscape_internal.h"
#include "core/par_rows.h"
#include "core/rng.h"

/* Symmetric eigen-decomposition by cyclic Jacobi: a (n×n, row-major) is destroyed,
 * eigenvalues into w, eigenvectors into the columns of v (if not NULL), sorted by
 * decreasing eigenvalue. */
static void jacobi_eigen(int n, double *a, double *w, double *v)
{
    if (v)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                v[i * n + j] = i == j;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0.0, dsq = 0.0;
        for (int i = 0; i < n; i++) {
            dsq += a[i * n + i] * a[i * n + i];
            for (int j = i + 1; j < n; j++)
                off += a[i * n + j] * a[i * n + j];
        }
        if (off <= 1e-30 * dsq || off == 0.0)
            break;
        for (int p = 0; p < n; p++) {
            for (int q = p + 1; q < n; q++) {
                double apq = a[p * n + q];
                if (apq == 0.0)
                    continue;
                double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                double t = (theta >= 0.0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int k = 0; k < n; k++) {
                    double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (int k = 0; k < n; k++) {
                    double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                if (v)
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
            }
        }
    }
    for (int i = 0; i < n; i++)
        w[i] = a[i * n + i];
    /* selection sort, decreasing, columns of v alongside */
    for (int i = 0; i < n; i++) {
        int best = i;
        for (int j = i + 1; j < n; j++)
            if (w[j] > w[best])
                best = j;
        if (best != i) {
            double t = w[i];
            w[i] = w[best];
            w[best] = t;
            if (v)
                for (int k = 0; k < n; k++) {
                    t = v[k * n + i];
                    v[k * n + i] = v[k * n + best];
                    v[k * n + best] = t;
                }
        }
    }
}

/* ---- Lanczos ------------------------------------------------------------------ */

/* Orthogonalize w against q[0..m) (rows of n), twice. */
static void reorth(int n, int m, const double *q, double *w)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < m; i++) {
            const double *qi = q + (size_t)i * n;
            double c = dot(n, qi, w);
            for (int t = 0; t < n; t++)
                w[t] -= c * qi[t];
        }
}

/* Up to `iters` Lanczos steps on the symmetric operator f (n×n). Ritz values into
 * vals (decreasing, as many as steps taken, ≤ iters); with vecs, the first nvec Ritz
 * vectors into vecs (nvec rows of n). Returns the steps taken, −1 if out of memory. */
int landscape_lanczos(int n, matvec_fn f, void *ctx, int iters, uint64_t seed, double *vals,
                      double *vecs, int nvec)
{
    if (iters > n)
        iters = n;
    if (iters < 1)
        return 0;
    double *q = malloc((size_t)(iters + 1) * n * sizeof *q);
    double *w = malloc((size_t)n * sizeof *w);
    double *alpha = malloc((size_t)iters * sizeof *alpha);
    double *beta = malloc((size_t)iters * sizeof *beta);
    double *t = malloc((size_t)iters * iters * sizeof *t);
    double *s = malloc((size_t)iters * iters * sizeof *s);
    if (!q || !w || !alpha || !beta || !t || !s) {
        free(q), free(w), free(alpha), free(beta), free(t), free(s);
        return -1;
    }
    rng r;
    rng_seed(&r, seed);
    for (int i = 0; i < n; i++)
        q[i] = rng_normal(&r);
    double nq = norm2(n, q);
    for (int i = 0; i < n; i++)
        q[i] /= nq;
    double scale = 0.0; /* running estimate of the operator's size */
    int m = 0;
    for (int j = 0; j < iters; j++) {
        double *qj = q + (size_t)j * n;
        f(ctx, qj, w);
        alpha[j] = dot(n, qj, w);
        for (int i = 0; i < n; i++)
            w[i] -= alpha[j] * qj[i] + (j > 0 ? beta[j - 1] * qj[i - n] : 0.0);
        reorth(n, j + 1, q, w);
        beta[j] = norm2(n, w);
        scale = fmax(scale, fabs(alpha[j]) + beta[j] + (j > 0 ? beta[j - 1] : 0.0));
        m = j + 1;
        if (j == iters - 1)
            break;
        double *qn = q + (size_t)(j + 1) * n;
        if (beta[j] > 1e-10 * scale && beta[j] > 0.0) {
            for (int i = 0; i < n; i++)
                qn[i] = w[i] / beta[j];
            continue;
        }
        /* invariant subspace found: restart with a fresh direction orthogonal to it */
        beta[j] = 0.0;
        for (int i = 0; i < n; i++)
            qn[i] = rng_normal(&r);
        double before = norm2(n, qn);
        reorth(n, j + 1, q, qn);
        double after = norm2(n, qn);
        if (!(after > 1e-8 * before))
            break;
        for (int i = 0; i < n; i++)
            qn[i] /= after;
    }
    memset(t, 0, (size_t)m * m * sizeof *t);
    for (int i = 0; i < m; i++) {
        t[i * m + i] = alpha[i];
        if (i + 1 < m)
            t[i * m + i + 1] = t[(i + 1) * m + i] = beta[i];
    }
    jacobi_eigen(m, t, vals, vecs ? s : NULL);
    if (vecs)
        for (int k = 0; k < nvec && k < m; k++) {
            double *y = vecs + (size_t)k * n;
            memset(y, 0, (size_t)n * sizeof *y);
            for (int i = 0; i < m; i++) {
                double c = s[i * m + k];
                const double *qi = q + (size_t)i * n;
                for (int e = 0; e < n; e++)
                    y[e] += c * qi[e];
            }
        }
    free(q), free(w), free(alpha), free(beta), free(t), free(s);
    return m;
}

/* ---- Hessians ----------------------------------------------------------------- */

typedef struct hess_cols {
    const objective *o;
    const double *theta;
    const int *idx;
    int count;
    const double *aux;
    double *h;
    double step;
} hess_cols;

/* column i of the central-difference Hessian; ws: θ ± step·e_i, g(θ+), g(θ−) (3n doubles) */
static void hess_col(void *ctx, void *ws, int i)
{
    const hess_cols *c = ctx;
    const objective *o = c->o;
    const double *theta = c->theta;
    const int n = o->n;
    double *t = ws, *gp = t + n, *gm = gp + n;
    memcpy(t, theta, (size_t)n * sizeof *t);
    t[i] = theta[i] + c->step;
    double hp = t[i] - theta[i];
    o->eval(o->ctx, t, c->idx, c->count, gp, (double *)c->aux, 0);
    t[i] = theta[i] - c->step;
    double hm = theta[i] - t[i];
    o->eval(o->ctx, t, c->idx, c->count, gm, (double *)c->aux, 0);
    for (int e = 0; e < n; e++)
        c->h[(size_t)e * n + i] = (gp[e] - gm[e]) / (hp + hm); /* column i */
}

int landscape_hessian(const objective *o, const double *theta, const int *idx, int count,
                      const double *aux, double *h)
{
    const int n = o->n;
    double amax = 0.0;
    for (int e = 0; e < n; e++)
        amax = fmax(amax, fabs(theta[e]));
    hess_cols c = { o, theta, idx, count, aux, h, 1e-5 * fmax(1.0, amax) };
    if (!par_rows(0, n, (size_t)3 * n * sizeof(double), n > 8, NULL, hess_col, &c))
        return 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double s = 0.5 * (h[(size_t)i * n + j] + h[(size_t)j * n + i]);
            h[(size_t)i * n + j] = h[(size_t)j * n + i] = s;
        }
    return 1;
}

typedef struct hvp_ctx {
    const objective *o;
    const double *theta;
    const int *idx;
    int count;
    double *aux;
    double eps;
    double *t, *gp, *gm;
} hvp_ctx;

/* Hv ≈ (g(θ + εv) − g(θ − εv)) / 2ε for a unit v. */
static void hvp(void *vctx, const double *v, double *out)
{
    hvp_ctx *c = vctx;
    const int n = c->o->n;
    for (int e = 0; e < n; e++)
        c->t[e] = c->theta[e] + c->eps * v[e];
    c->o->eval(c->o->ctx, c->t, c->idx, c->count, c->gp, c->aux, 0);
    for (int e = 0; e < n; e++)
        c->t[e] = c->theta[e] - c->eps * v[e];
    c->o->eval(c->o->ctx, c->t, c->idx, c->count, c->gm, c->aux, 0);
    for (int e = 0; e < n; e++)
        out[e] = (c->gp[e] - c->gm[e]) / (2.0 * c->eps);
}

int landscape_top_eigs(const objective *o, const double *theta, const int *idx, int count,
                       const double *aux, int k, double *lambda, int iters)
{
    const int n = o->n;
    if (k < 1 || n < 1)
        return 0;
    if (k > 4)
        k = 4;
    if (iters < k)
        iters = k;
    if (iters > n)
        iters = n;
    double *mem = malloc((size_t)(3 * n + iters) * sizeof *mem);
    if (!mem)
        return 0;
    hvp_ctx c = { o, theta, idx, count, (double *)aux, 0.0, mem, mem + n, mem + 2 * (size_t)n };
    c.eps = 1e-5 * fmax(1.0, norm2(n, theta));
    double *vals = mem + 3 * (size_t)n;
    int m = landscape_lanczos(n, hvp, &c, iters, 0x1a2c705u, vals, NULL, 0);
    if (m < 0) {
        free(mem);
        return 0;
    }
    int found = m < k ? m : k;
    for (int i = 0; i < found; i++)
        lambda[i] = vals[i];
    free(mem);
    return found;
}
