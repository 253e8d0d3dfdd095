/*
 * landscape_internal.h — what landscape.c, landscape_plane.c and landscape_eigen.c
 * share: small vector helpers and Lanczos. Not part of the public API (landscape.h).
 */
#ifndef LOSSCAPE_LANDSCAPE_INTERNAL_H
#define LOSSCAPE_LANDSCAPE_INTERNAL_H

#include <math.h>
#include <stdint.h>

static inline double dot(int n, const double *a, const double *b)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static inline double norm2(int n, const double *a) { return sqrt(dot(n, a, a)); }

/* out = y / |y| with the sign chosen so that y's largest-magnitude coordinate is
 * positive: an eigenvector's sign is arbitrary, this makes a plane's axes
 * deterministic (the same data gives the same picture, never a mirrored one). */
static inline void unit_direction(int n, const double *y, double *out)
{
    double ny = norm2(n, y);
    int big = 0;
    for (int e = 1; e < n; e++)
        if (fabs(y[e]) > fabs(y[big]))
            big = e;
    double sgn = y[big] < 0.0 ? -1.0 : 1.0;
    for (int e = 0; e < n; e++)
        out[e] = sgn * y[e] / ny;
}

typedef void (*matvec_fn)(void *ctx, const double *v, double *out);

/* Up to `iters` Lanczos steps on the symmetric operator f (n×n). Ritz values into
 * vals (decreasing, as many as steps taken, ≤ iters); with vecs, the first nvec Ritz
 * vectors into vecs (nvec rows of n). Returns the steps taken, −1 if out of memory. */
int landscape_lanczos(int n, matvec_fn f, void *ctx, int iters, uint64_t seed, double *vals,
                      double *vecs, int nvec);

#endif
