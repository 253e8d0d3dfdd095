/*
 * surface_field.h — a named test surface as a render_field's callbacks, for the render
 * tests that draw one (render_frame, render_logheight, render_runs, render_surface3d):
 * .ctx = the surface, .eval = surface_field_eval, .eval_grid = surface_field_grid.
 */
#ifndef LOSSCAPE_TESTS_SURFACE_FIELD_H
#define LOSSCAPE_TESTS_SURFACE_FIELD_H

#include "core/surface.h"

/* render_field.eval: value, gradient and Hessian of the surface ctx at (a, b). */
static inline double surface_field_eval(void *ctx, double a, double b, double g[2], double H[4])
{
    return surface_eval(ctx, a, b, g, H);
}

/* render_field.eval_grid: the surface ctx on an nx × ny grid over dom; always 1. */
static inline int surface_field_grid(void *ctx, surface_domain dom, int nx, int ny, double *v)
{
    surface_eval_grid(ctx, dom, nx, ny, v, NULL);
    return 1;
}

#endif
