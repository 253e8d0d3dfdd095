/*
 * gridsurf.c — bicubic Hermite interpolation of gridded values. See gridsurf.h.
 */
#include "core/gridsurf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct gridsurf {
    int nx, ny;
    double *x, *y, *v;          /* as given */
    double *fx, *fy, *fxy;      /* node slopes and twists, nx·ny each */
};

static int check_axis(const double *a, int n, const char *name, diag *err)
{
    for (int i = 0; i < n; i++) {
        if (!isfinite(a[i]))
            return diag_set(err, 0, 0, "%scoordinates[%d] is not finite", name, i);
        if (i > 0 && !(a[i] > a[i - 1]))
            return diag_set(err, 0, 0, "%scoordinates are not strictly increasing at index %d (%g after %g)",
                            name, i, a[i], a[i - 1]);
    }
    return 1;
}

/* Slope of f along an axis at node i: central difference inside, one-sided at the ends. */
static double slope(const double *a, int n, int i, double fm, double f0, double fp)
{
    if (n < 2)
        return 0.0;
    if (i == 0)
        return (fp - f0) / (a[1] - a[0]);
    if (i == n - 1)
        return (f0 - fm) / (a[n - 1] - a[n - 2]);
    return (fp - fm) / (a[i + 1] - a[i - 1]);
}

gridsurf *gridsurf_create(const double *x, int nx, const double *y, int ny, const double *v,
                          diag *err)
{
    if (nx < 2 || ny < 1) {
        diag_set(err, 0, 0, "a grid needs at least 2 x coordinates and 1 y coordinate (got %d, %d)", nx, ny);
        return NULL;
    }
    if (!check_axis(x, nx, "x", err) || !check_axis(y, ny, "y", err))
        return NULL;
    const size_t n = (size_t)nx * (size_t)ny;
    for (size_t k = 0; k < n; k++)
        if (!isfinite(v[k])) {
            diag_set(err, 0, 0, "value at x index %d, y index %d is not finite", (int)(k % (size_t)nx),
                     (int)(k / (size_t)nx));
            return NULL;
        }
    gridsurf *g = calloc(1, sizeof *g);
    if (!g) {
        diag_set(err, 0, 0, "out of memory");
        return NULL;
    }
    g->nx = nx;
    g->ny = ny;
    g->x = malloc((size_t)nx * sizeof *g->x);
    g->y = malloc((size_t)ny * sizeof *g->y);
    g->v = malloc(n * sizeof *g->v);
    g->fx = malloc(n * sizeof *g->fx);
    g->fy = malloc(n * sizeof *g->fy);
    g->fxy = malloc(n * sizeof *g->fxy);
    if (!g->x || !g->y || !g->v || !g->fx || !g->fy || !g->fxy) {
        gridsurf_destroy(g);
        diag_set(err, 0, 0, "out of memory");
        return NULL;
    }
    memcpy(g->x, x, (size_t)nx * sizeof *x);
    memcpy(g->y, y, (size_t)ny * sizeof *y);
    memcpy(g->v, v, n * sizeof *v);
#define V(i, j) g->v[(size_t)(j) * (size_t)nx + (size_t)(i)]
#define FX(i, j) g->fx[(size_t)(j) * (size_t)nx + (size_t)(i)]
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            double fm = i > 0 ? V(i - 1, j) : 0, fp = i < nx - 1 ? V(i + 1, j) : 0;
            FX(i, j) = slope(x, nx, i, fm, V(i, j), fp);
            double gm = j > 0 ? V(i, j - 1) : 0, gp = j < ny - 1 ? V(i, j + 1) : 0;
            g->fy[(size_t)j * nx + i] = ny > 1 ? slope(y, ny, j, gm, V(i, j), gp) : 0.0;
        }
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            double gm = j > 0 ? FX(i, j - 1) : 0, gp = j < ny - 1 ? FX(i, j + 1) : 0;
            g->fxy[(size_t)j * nx + i] = ny > 1 ? slope(y, ny, j, gm, FX(i, j), gp) : 0.0;
        }
#undef V
#undef FX
    return g;
}

void gridsurf_destroy(gridsurf *g)
{
    if (!g)
        return;
    free(g->x);
    free(g->y);
    free(g->v);
    free(g->fx);
    free(g->fy);
    free(g->fxy);
    free(g);
}

/* Hermite basis at t: values h[4] = {h00, h10, h01, h11}, first and second derivatives. */
static void hermite(double t, double h[4], double d[4], double dd[4])
{
    double t2 = t * t, t3 = t2 * t;
    h[0] = 2 * t3 - 3 * t2 + 1;   d[0] = 6 * t2 - 6 * t;     dd[0] = 12 * t - 6;
    h[1] = t3 - 2 * t2 + t;       d[1] = 3 * t2 - 4 * t + 1; dd[1] = 6 * t - 4;
    h[2] = -2 * t3 + 3 * t2;      d[2] = -6 * t2 + 6 * t;    dd[2] = -12 * t + 6;
    h[3] = t3 - t2;               d[3] = 3 * t2 - 2 * t;     dd[3] = 6 * t - 2;
}

/* The cell of a sorted axis that holds c (clamped): index i with a[i] ≤ c ≤ a[i+1]. */
static int cell(const double *a, int n, double c)
{
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (a[mid] <= c)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Inside the grid (x, y clamped to it). */
static double eval_inside(const gridsurf *g, double x, double y, double grad[2], double hess[4])
{
    const int nx = g->nx;
    int i = cell(g->x, nx, x);
    double hx = g->x[i + 1] - g->x[i], u = (x - g->x[i]) / hx;
    double Hu[4], Du[4], DDu[4];
    hermite(u, Hu, Du, DDu);
    int j = 0;
    double hy = 1.0, Hv[4] = {1, 0, 0, 0}, Dv[4] = {0}, DDv[4] = {0};
    int ncol = 1;
    if (g->ny > 1) {
        j = cell(g->y, g->ny, y);
        hy = g->y[j + 1] - g->y[j];
        hermite((y - g->y[j]) / hy, Hv, Dv, DDv);
        ncol = 2;
    }
    double f = 0, fu = 0, fv = 0, fuu = 0, fuv = 0, fvv = 0;
    for (int b = 0; b < ncol; b++) {          /* corner in y: j + b */
        double vb[2] = {Hv[2 * b], Hv[2 * b + 1] * hy};   /* weights of value and ∂y terms */
        double dvb[2] = {Dv[2 * b], Dv[2 * b + 1] * hy};
        double ddvb[2] = {DDv[2 * b], DDv[2 * b + 1] * hy};
        for (int a = 0; a < 2; a++) {         /* corner in x: i + a */
            size_t k = (size_t)(j + b) * (size_t)nx + (size_t)(i + a);
            double ua[2] = {Hu[2 * a], Hu[2 * a + 1] * hx};
            double dua[2] = {Du[2 * a], Du[2 * a + 1] * hx};
            double ddua[2] = {DDu[2 * a], DDu[2 * a + 1] * hx};
            /* c[p][q]: p = x-derivative order of the node datum, q = y's */
            double c[2][2] = {{g->v[k], g->fy[k]}, {g->fx[k], g->fxy[k]}};
            for (int p = 0; p < 2; p++)
                for (int q = 0; q < 2; q++) {
                    if (g->ny == 1 && q == 1)
                        continue;
                    double w = c[p][q];
                    f += ua[p] * vb[q] * w;
                    fu += dua[p] * vb[q] * w;
                    fv += ua[p] * dvb[q] * w;
                    fuu += ddua[p] * vb[q] * w;
                    fuv += dua[p] * dvb[q] * w;
                    fvv += ua[p] * ddvb[q] * w;
                }
        }
    }
    if (grad) {
        grad[0] = fu / hx;
        grad[1] = g->ny > 1 ? fv / hy : 0.0;
    }
    if (hess) {
        hess[0] = fuu / (hx * hx);
        hess[1] = hess[2] = g->ny > 1 ? fuv / (hx * hy) : 0.0;
        hess[3] = g->ny > 1 ? fvv / (hy * hy) : 0.0;
    }
    return f;
}

double gridsurf_eval(const gridsurf *g, double x, double y, double grad[2], double hess[4])
{
    if (!isfinite(x) || !isfinite(y)) {
        if (grad)
            grad[0] = grad[1] = NAN;
        if (hess)
            hess[0] = hess[1] = hess[2] = hess[3] = NAN;
        return NAN;
    }
    double xc = fmin(fmax(x, g->x[0]), g->x[g->nx - 1]);
    double yc = g->ny > 1 ? fmin(fmax(y, g->y[0]), g->y[g->ny - 1]) : y;
    double gr[2], he[4];
    double f = eval_inside(g, xc, yc, gr, he);
    const int outx = xc != x, outy = g->ny > 1 && yc != y;
    if (outx || outy) {
        /* tangent-plane continuation: no curvature across the edge */
        f += gr[0] * (x - xc) + gr[1] * (y - yc);
        if (outx)
            he[0] = he[1] = he[2] = 0.0;
        if (outy)
            he[3] = he[1] = he[2] = 0.0;
    }
    if (grad) {
        grad[0] = gr[0];
        grad[1] = gr[1];
    }
    if (hess)
        memcpy(hess, he, sizeof he);
    return f;
}

void gridsurf_bounds(const gridsurf *g, double b[4])
{
    b[0] = g->x[0];
    b[1] = g->x[g->nx - 1];
    b[2] = g->ny > 1 ? g->y[0] : -1.0;
    b[3] = g->ny > 1 ? g->y[g->ny - 1] : 1.0;
}

int gridsurf_nx(const gridsurf *g) { return g->nx; }
int gridsurf_ny(const gridsurf *g) { return g->ny; }
const double *gridsurf_x(const gridsurf *g) { return g->x; }
const double *gridsurf_y(const gridsurf *g) { return g->y; }
const double *gridsurf_values(const gridsurf *g) { return g->v; }
