/*
 * surface.h — 2-D error surfaces: the textbook functions and user formulas.
 *
 * A surface is an objective of two parameters (x, y). Every built-in surface has
 * an exact gradient and Hessian written out by hand, a plotting domain, a default
 * start point that makes a good demonstration, and its known minima. A formula
 * surface wraps a compiled formula (formula.h) and uses a domain given by the
 * user (or the default [-3, 3]²).
 *
 * Index
 *     surface_kind                   SURFACE_ROSENBROCK ... SURFACE_FORMULA
 *     surface_domain, surface_info
 *     surface_info_get(kind)         static description of a built-in
 *     surface_kind_from_name(name)   "six-hump-camel" → SURFACE_SIX_HUMP_CAMEL
 *     surface_analytic_eval(kind, x, y, grad, hess)
 *     surface                        a built-in or a formula, with its domain
 *     surface_init(s, spec, err)     spec: a built-in name or a formula
 *     surface_init_grid(s, g, name)  gridded values (a loss-landscape file)
 *     surface_free(s)
 *     surface_eval(s, x, y, grad, hess)
 *     surface_eval_grid(s, dom, nx, ny, values, grads)
 *     surface_eval_rows(s, dom, nx, ny, row0, rows, values, grads)   a band of its rows
 *     surface_grid_coord(lo, hi, i, n)  the grid's coordinates, shared by every grid
 *     surface_grid_resample(src, m, nx, ny, dst)  an m × m grid onto nx × ny (bilinear)
 */
#ifndef LOSSCAPE_SURFACE_H
#define LOSSCAPE_SURFACE_H

#include "core/diag.h"
#include "core/formula.h"
#include "core/gridsurf.h"

#define SURFACE_MAX_MINIMA 8

typedef enum surface_kind {
    SURFACE_DEFAULT = 0,        /* resolves to SURFACE_ROSENBROCK */
    SURFACE_ROSENBROCK,         /* (a−x)² + b(y−x²)², a=1, b=100 */
    SURFACE_BEALE,
    SURFACE_HIMMELBLAU,
    SURFACE_BOOTH,
    SURFACE_MATYAS,
    SURFACE_SIX_HUMP_CAMEL,
    SURFACE_RASTRIGIN,
    SURFACE_ACKLEY,
    SURFACE_GOLDSTEIN_PRICE,
    SURFACE_SADDLE,             /* x² − y² */
    SURFACE_MONKEY_SADDLE,      /* x³ − 3xy² */
    SURFACE_RAVINE,             /* elongated quadratic, condition number 100 */
    SURFACE_FORMULA,            /* user formula; not a built-in */
    SURFACE_GRID,               /* gridded values made smooth (gridsurf.h); not a built-in */
    SURFACE_KIND_COUNT
} surface_kind;

typedef struct surface_domain {
    double xmin, xmax;          /* plotting range of x */
    double ymin, ymax;          /* plotting range of y */
} surface_domain;

typedef struct surface_info {
    const char *name;           /* command-line name, lower case with '-', e.g. "six-hump-camel" */
    const char *title;          /* display name, e.g. "Six-hump camel" */
    const char *formula;        /* the function written out, e.g. "(1-x)^2 + 100(y-x^2)^2" */
    const char *summary;        /* one line: what this surface demonstrates */
    surface_domain domain;      /* where to plot it */
    double start[2];            /* default start point of the runs */
    int n_minima;               /* number of entries in minima (global ones, or all listed) */
    double minima[SURFACE_MAX_MINIMA][2];
    double min_value;           /* value at the global minimum */
    int log_scale;              /* 1: values span decades, draw with a log scale */
} surface_info;

/* Description of a built-in kind (SURFACE_DEFAULT gives rosenbrock's); NULL for
 * SURFACE_FORMULA and out-of-range kinds. The pointer is to static data. */
const surface_info *surface_info_get(surface_kind kind);

/* Built-in kind by its name (case-insensitive; '_' and '-' are the same), or
 * SURFACE_FORMULA if the name is not a built-in. */
surface_kind surface_kind_from_name(const char *name);

/* Value of a built-in at (x, y), gradient into grad (if not NULL), Hessian
 * row-major {fxx, fxy, fyx, fyy} into hess (if not NULL). */
double surface_analytic_eval(surface_kind kind, double x, double y, double grad[2], double hess[4]);

typedef struct surface {
    surface_kind kind;          /* never SURFACE_DEFAULT after surface_init */
    formula *formula;           /* owned; only for SURFACE_FORMULA */
    gridsurf *grid;             /* owned; only for SURFACE_GRID */
    surface_domain domain;      /* plotting domain */
    char name[64];              /* built-in name, or "formula" */
} surface;

/* Make `s` the built-in called `spec`, or else compile `spec` as a formula in x, y.
 * Returns 1 on success; 0 with err filled if the formula does not parse (err's
 * column refers to `spec`). Free with surface_free. */
int surface_init(surface *s, const char *spec, diag *err);

/* Make `s` the gridded surface g (ownership passes to s), called name, its domain
 * the grid's extent. */
void surface_init_grid(surface *s, gridsurf *g, const char *name);

/* Release what surface_init allocated and zero `s`; safe on a zeroed surface. */
void surface_free(surface *s);

/* Value, gradient and Hessian (NULL outputs are skipped) at (x, y). Thread-safe. */
double surface_eval(const surface *s, double x, double y, double grad[2], double hess[4]);

/* Coordinate i of n evenly spaced from lo to hi, both ends exact (i = n−1 gives hi
 * itself, not lo + (n−1)·step): the one definition of a grid line used by every grid
 * in losscape (surfaces, landscapes, the renderer's textures). */
double surface_grid_coord(double lo, double hi, int i, int n);

/* dst (nx × ny, dst[j*nx + i]) from src (m × m, m ≥ 2), both grids spanning the same
 * domain corners included: bilinear between src's four nearest points, the corners
 * coinciding; m == nx == ny copies src exactly (no arithmetic, non-finite values kept).
 * The one resampling of a coarse landscape grid onto a finer one (app/dataview.c's
 * cost-limited grids, app/worker.c's published grid). */
void surface_grid_resample(const double *src, int m, int nx, int ny, double *dst);

/* Values on an nx × ny grid spanning `dom` corners included: values[j*nx + i] at
 * x = xmin + i (xmax−xmin)/(nx−1), y = ymin + j (ymax−ymin)/(ny−1). If grads is not
 * NULL it receives 2 numbers per point. Runs in parallel (OpenMP). */
void surface_eval_grid(const surface *s, surface_domain dom, int nx, int ny,
                       double *values, double *grads);

/* Rows row0 .. row0+rows−1 of that grid only (same coordinates, same arithmetic per
 * point), into values[(j−row0)*nx + i] (and grads likewise); a band outside 0..ny
 * does nothing. surface_eval_grid is the band of every row. */
void surface_eval_rows(const surface *s, surface_domain dom, int nx, int ny, int row0, int rows,
                       double *values, double *grads);

#endif
