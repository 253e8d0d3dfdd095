/*
 * gridsurf.h — a surface known only on a grid (a loss-landscape file), made smooth:
 * a bicubic Hermite interpolant with value, gradient and Hessian everywhere.
 *
 * Values v[j·nx + i] at (x[i], y[j]), x and y strictly increasing. At each node the
 * slopes ∂f/∂x, ∂f/∂y and the twist ∂²f/∂x∂y are finite differences of the
 * neighbours (central inside, one-sided at the edges); each cell is the tensor
 * product of cubic Hermite polynomials through them, so the surface passes through
 * every grid value, is C¹ across cells (the gradient is continuous; the Hessian
 * jumps at cell edges), and a linear or bilinear grid is reproduced exactly.
 * Outside the grid the surface continues along the tangent plane of the nearest
 * edge point (value + gradient·offset; zero curvature across the edge), so an
 * optimizer that steps off the grid is pulled back by the edge's slope, not by a
 * wild cubic. ny = 1 is a curve: f(x, y) = c(x), independent of y.
 *
 * Index
 *     gridsurf_create(x, nx, y, ny, v, err) / gridsurf_destroy(g)
 *     gridsurf_eval(g, x, y, grad, hess)
 *     gridsurf_bounds(g, b)      {xmin, xmax, ymin, ymax}
 *     gridsurf_nx/ny/x/y/values  the data as given
 */
#ifndef LOSSCAPE_GRIDSURF_H
#define LOSSCAPE_GRIDSURF_H

#include "core/diag.h"

typedef struct gridsurf gridsurf;

/* Copy the grid. nx ≥ 2, ny ≥ 1, coordinates finite and strictly increasing,
 * values finite. Returns NULL with err->msg naming the coordinate or value at fault
 * ("x", "y", "values") and its index. */
gridsurf *gridsurf_create(const double *x, int nx, const double *y, int ny, const double *v,
                          diag *err);
void gridsurf_destroy(gridsurf *g);

/* Value; gradient into grad[2] and Hessian {fxx, fxy, fyx, fyy} into hess[4] if not
 * NULL. Thread-safe. */
double gridsurf_eval(const gridsurf *g, double x, double y, double grad[2], double hess[4]);

void gridsurf_bounds(const gridsurf *g, double b[4]);
int gridsurf_nx(const gridsurf *g);
int gridsurf_ny(const gridsurf *g);
const double *gridsurf_x(const gridsurf *g);
const double *gridsurf_y(const gridsurf *g);
const double *gridsurf_values(const gridsurf *g);

#endif
