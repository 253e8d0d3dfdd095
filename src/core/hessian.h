/*
 * hessian.h — second-order analysis of 2-D objectives: eigen-decomposition of the
 * Hessian, classification of points, and the search for every critical point.
 *
 * A critical point is where the gradient vanishes. Its type comes from the
 * eigenvalues λ₁ ≤ λ₂ of the (symmetric) Hessian there:
 *     both > tol            minimum
 *     both < −tol           maximum
 *     λ₁ < −tol < tol < λ₂  saddle  (escape direction: unit eigenvector of λ₁)
 *     otherwise             degenerate (an eigenvalue within tol of zero, e.g. the
 *                           monkey saddle's origin; the second-order model cannot tell)
 * critical_points_find adds one more type: a degenerate point with λ₁ ≈ 0 < λ₂ that
 * no nearby point undercuts is a minimum that is not isolated (flat-minimum: the
 * floor of a valley of minima, like the lecture's (1 − w1·w2)² along w1·w2 = 1);
 * all such points of one value are reported as one.
 *
 * critical_points_find runs Newton's method on the gradient (θ ← θ − H⁻¹∇L) from a
 * grid of starts over the domain, keeps the converged points inside the domain,
 * merges duplicates, classifies each, merges the points of a valley of minima into
 * one flat-minimum and sorts them by (type, x, y).
 *
 * Index
 *     eig2, hessian_eig2(h, out)          closed-form symmetric 2×2
 *     point_type, point_type_name(t)
 *     hessian_classify(e, tol)
 *     fn2                                 callback: value, gradient, Hessian at (x, y)
 *     critical_point, critical_points_find(...)
 */
#ifndef LOSSCAPE_HESSIAN_H
#define LOSSCAPE_HESSIAN_H

typedef struct eig2 {
    double lambda[2];     /* eigenvalues, lambda[0] ≤ lambda[1] */
    double vec[2][2];     /* vec[i] is the unit eigenvector of lambda[i] */
} eig2;

/* Eigen-decomposition of the symmetric 2×2 matrix h = {a, b, b, d} (row-major;
 * h[1] and h[2] are averaged). Closed form, stable when the eigenvalues are close
 * (then any orthonormal pair is returned). Each eigenvector's sign is chosen so its
 * first nonzero component is positive. */
void hessian_eig2(const double h[4], eig2 *out);

typedef enum point_type {
    POINT_MINIMUM = 0,
    POINT_MAXIMUM,
    POINT_SADDLE,
    POINT_DEGENERATE,
    POINT_FLAT_MINIMUM    /* a minimum on a valley floor of equal minima (not isolated) */
} point_type;

/* "minimum", "maximum", "saddle", "degenerate", "flat-minimum". */
const char *point_type_name(point_type t);

/* Type of a point from its Hessian eigenvalues (see above). tol is an absolute
 * tolerance on the eigenvalues; pass 0 for the default, scaled to max(1, |λ|max) · 1e-6. */
point_type hessian_classify(const eig2 *e, double tol);

/* A 2-D objective: returns the value at (x, y), gradient into grad and Hessian
 * {fxx, fxy, fyx, fyy} into hess (both always requested here). */
typedef double (*fn2)(const void *ctx, double x, double y, double grad[2], double hess[4]);

typedef struct critical_point {
    point_type type;
    double x, y;          /* location */
    double value;         /* objective there */
    double lambda[2];     /* Hessian eigenvalues, λ₁ ≤ λ₂ */
    double escape[2];     /* saddle: unit eigenvector of λ₁ (the descent direction); else 0, 0 */
    int merged;           /* flat-minimum: how many points found on the valley floor; else 1 */
} critical_point;

/* Find the critical points of f inside [xmin, xmax] × [ymin, ymax]. Writes at most
 * `cap` points to out and returns how many were found in all (which may exceed cap:
 * then only the first cap, in sorted order, were written). */
int critical_points_find(fn2 f, const void *ctx, double xmin, double xmax, double ymin,
                         double ymax, critical_point *out, int cap);

#endif
