/*
 * landscape.h — a loss evaluated over a 2-D grid, on a plane through parameter
 * space.
 *
 * A plane is θ(a, b) = origin + a·d1 + b·d2. For a two-parameter problem it is the
 * identity (origin 0, d1 = e1, d2 = e2), so (a, b) are the parameters themselves.
 * For larger models it is one of:
 *   two chosen parameters i, j    d1 = e_i, d2 = e_j
 *   two random directions         Gaussian, then normalized filter by filter to the
 *                                 norms of the origin's filters (Li et al. 2018,
 *                                 "Visualizing the Loss Landscape of Neural Nets");
 *                                 biases and batch-norm parameters get 0; a filter
 *                                 whose origin part is 0 (θ = 0) gets norm 1
 *   principal directions          the top two principal components of trajectory
 *                                 points (θ_k − origin), as in Li et al. §7
 *                                 (uncentred: the plane passes through the origin;
 *                                 unit vectors, largest component positive)
 * Trajectories stay in parameter space and are projected for drawing: the
 * least-squares (a, b) of θ − origin on span(d1, d2).
 *
 * Grid evaluation runs in parallel (OpenMP over grid rows) and exploits structure
 * where the model allows it:
 *   linear model + MSE          the loss is a quadratic in (a, b); its six
 *                               coefficients come from the sufficient statistics
 *                               XᵀX, Xᵀy, yᵀy, so the grid costs O(1) per point and
 *                               is exact whatever the number of samples;
 *   linear/logistic/softmax     the logits are affine in (a, b): z = z0 + a·u + b·v
 *                               with u, v precomputed once per grid, then the loss
 *                               is evaluated in vectorized loops over samples;
 *   mlp                         the first layer's pre-activations are affine in
 *                               (a, b): three products once per grid, then the
 *                               other layers over blocks of samples in vectorized
 *                               loops (landscape_mlp.c);
 *   anything else               the objective at every θ(a, b).
 *
 * Index
 *     plane, plane_kind
 *     plane_create_identity(n) / plane_create_params(origin, n, i, j)
 *     plane_create_random(origin, n, m, seed) / plane_create_pca(origin, n, pts, count)
 *     plane_destroy(p)
 *     plane_point(p, a, b, theta)         θ(a, b) into theta[n]
 *     plane_project(p, theta, ab)         least-squares (a, b) of a θ
 *     plane_project_many(p, theta, count, ab)   the same for count θs, faster
 *     plane_project_rows(p, rows, count, ab)    the same for θs anywhere in memory
 *     plane_gram(p, g) / plane_sums_rows(o, d1, d2, n, rows, count, r) / plane_solve_sums(g, r, ab)
 *                                         plane_project in its three parts
 *     landscape_stats_create(m, ds, idx, count) / landscape_stats_destroy(s)
 *     landscape_desc, landscape_eval_grid(desc, values)   (optionally a band of rows)
 *     landscape_band(desc, j0, j1)        the rows a desc evaluates
 *     landscape_hessian(o, theta, idx, count, aux, h)        exact-by-differences, small n
 *     landscape_top_eigs(o, theta, idx, count, aux, k, lambda, iters)   Lanczos on HVPs
 */
#ifndef LOSSCAPE_LANDSCAPE_H
#define LOSSCAPE_LANDSCAPE_H

#include <stdint.h>

#include "core/model.h"
#include "core/objective.h"
#include "core/surface.h"

typedef enum plane_kind {
    PLANE_IDENTITY = 0,     /* n = 2: the parameters themselves */
    PLANE_PARAMS,           /* two chosen parameters */
    PLANE_RANDOM,           /* filter-normalized random directions */
    PLANE_PCA               /* principal directions of trajectories */
} plane_kind;

typedef struct plane {
    plane_kind kind;
    int n;                  /* parameters */
    double *origin;         /* n; owned */
    double *d1, *d2;        /* n each; owned */
    int i, j;               /* PLANE_PARAMS: the chosen parameters */
    double explained[2];    /* PLANE_PCA: fraction of variance along d1, d2 */
} plane;

plane *plane_create_identity(int n);      /* n must be 2 */
plane *plane_create_params(const double *origin, int n, int i, int j);
/* m gives the filter structure (model_filter_*); NULL treats θ as one filter. */
plane *plane_create_random(const double *origin, int n, const model *m, uint64_t seed);
/* pts: count points of n numbers (e.g. every run's history). Needs count ≥ 3 and
 * points that are not all on a line through origin; returns NULL otherwise. */
plane *plane_create_pca(const double *origin, int n, const double *pts, int count);
void plane_destroy(plane *p);             /* NULL is a no-op */

void plane_point(const plane *p, double a, double b, double *theta);
void plane_project(const plane *p, const double *theta, double ab[2]);
/* plane_project of count points (rows of p->n numbers) into ab (2 × count): the same
 * sums in the same order (so the same values), the plane's Gram matrix computed once
 * and several points' sums interleaved. */
void plane_project_many(const plane *p, const double *theta, int count, double *ab);
/* The same for count θs at rows[0..count−1] (each n numbers, anywhere). */
void plane_project_rows(const plane *p, const double *const *rows, int count, double *ab);
/* plane_project in its three parts, the same sums in the same order (so that
 * plane_solve_sums(g, r) of plane_gram(p) and plane_sums_rows(p's origin and
 * directions) is plane_project's (a, b), bit for bit):
 *   g = {d1·d1, d1·d2, d2·d2} of p's directions;
 *   r (2 × count) = (d1·(θ−o), d2·(θ−o)) of each θ rows[q], for any origin o and
 *     directions d1, d2 (n numbers each: the sums are linear in d1, d2, which a
 *     plane eased between two pairs of directions uses, src/app/trailproj.c);
 *   (a, b) = the least-squares solution of g·(a, b) = r. */
void plane_gram(const plane *p, double g[3]);
void plane_sums_rows(const double *o, const double *d1, const double *d2, int n, const double *const *rows,
                     int count, double *r);
void plane_solve_sums(const double g[3], const double r[2], double ab[2]);

/* Sufficient statistics of a linear model's mean squared error on a set of samples
 * (centred XᵀX, Xᵀy, yᵀy and the means): computed once in O(count·d²), they make
 * every later grid on those samples O(d²) + O(1) per point, whatever the count.
 * Without them the linear+MSE grid takes one O(count·d) pass per call. NULL if m is
 * not a linear model for ds, or out of memory. Valid while ds's rows (and idx) are
 * unchanged. */
typedef struct landscape_stats landscape_stats;
landscape_stats *landscape_stats_create(const model *m, const dataset *ds, const int *idx,
                                        int count);
void landscape_stats_destroy(landscape_stats *s);   /* NULL is a no-op */

typedef struct landscape_desc {
    const objective *obj;   /* required */
    const plane *plane;     /* required */
    const model *model;     /* optional: enables the fast paths above */
    const dataset *data;    /* with model: the samples the objective sums over */
    loss_kind loss;         /* with model */
    const int *idx;         /* samples to use (a mini-batch); NULL = all */
    int count;
    const double *aux;      /* batch-norm moving averages (evaluation mode); may be NULL */
    surface_domain dom;     /* (a, b) range; corners included */
    int nx, ny;             /* grid size ≥ 2 */
    const landscape_stats *stats; /* optional, linear + mse: statistics of these samples */
    int generic;            /* 1: no fast path, the objective at every point (the
                             * reference for tests and benchmarks) */
    const _Atomic int *cancel; /* optional: when it reads non-zero (another thread set
                             * it), the grid stops early and returns 0 */
    int row0, rows;         /* optional row band: rows > 0 evaluates only grid rows
                             * row0 .. row0+rows−1 of the ny rows (same coordinates and
                             * the same arithmetic per point as the whole grid), into
                             * values[(j−row0)*nx + i]; 0: every row. A grid split
                             * across processes (app/mpi_grid.c) joins to the whole. */
} landscape_desc;

/* values[j*nx + i] = loss at (a_i, b_j), evaluation mode (with a row band:
 * values[(j−row0)*nx + i]). Non-finite values are kept as they are (the renderer
 * clamps them). Returns 1, or 0 if out of memory, cancelled (desc->cancel; values
 * then partly written) or the band is not inside 0..ny. */
int landscape_eval_grid(const landscape_desc *desc, double *values);

/* The grid rows [*j0, *j1) that desc evaluates: its band, or 0..ny. */
static inline void landscape_band(const landscape_desc *g, int *j0, int *j1)
{
    *j0 = g->rows > 0 ? g->row0 : 0;
    *j1 = g->rows > 0 ? g->row0 + g->rows : g->ny;
}

/* Full n×n Hessian (row-major, symmetrized) by central differences of the exact
 * gradient, step h = 1e-5·max(1, |θ|∞). For small n (≤ 256). Returns 1, or 0 if out
 * of memory. */
int landscape_hessian(const objective *o, const double *theta, const int *idx, int count,
                      const double *aux, double *h);

/* The k algebraically largest eigenvalues of the Hessian
 * at theta (k ≤ 4), from `iters` Lanczos iterations on Hessian-vector products (central
 * differences of the gradient), with full reorthogonalization; lambda[0] is the
 * largest (the sharpness). Returns the number found, 0 if out of memory. */
int landscape_top_eigs(const objective *o, const double *theta, const int *idx, int count,
                       const double *aux, int k, double *lambda, int iters);

#endif
