/*
 * surface_view.h — the surface on the GPU: a float height texture (values sampled
 * once on a grid, uploaded only when the surface changes), the colour-map lookup
 * texture, a moderate grid mesh for the 3-D view and the mapping between the
 * surface's domain and the 2-D / 3-D views.
 *
 * Heights are normalised to [0, 1] on the CPU (render_surface_norm): linear
 * (f − fmin)/(fmax − fmin), or logarithmic log(f − fmin + ε) rescaled,
 * ε = (fmax − fmin)·1e-4. The texture holds normalised heights, so the fragment
 * shaders do no transcendental work; switching the scale re-uploads it (once).
 * Beside it, the shade texture (RGBA32F, same size) holds per texel the height and
 * its central differences along i and j (indices clamped at the edges), computed
 * on the CPU at the same time: the 3-D fragment shader (surface3d.frag) gets
 * height and normal from one fetch instead of five; surface3d_ref.frag, the
 * reference path, still reads the height texture five times — the same picture.
 *
 * Index
 *     render_surface_style                  what the fragment shader is asked to show
 *     render_surface_create(tex_n, mesh_n) / render_surface_destroy(rs)
 *     render_surface_upload(rs, grid_fn, ctx, dom)   sample over dom; upload
 *     render_surface_generation(rs)         changes with every upload, unique across surfaces (cache keys)
 *     render_surface_uploaded_log(rs)       the height scale the mesh heights are of (−1: none yet)
 *     render_surface_domain(rs), render_surface_range(rs, fmin, fmax)
 *     render_surface_norm(rs, f, log)       normalised height of a value (colours)
 *     render_surface_geo_norm(rs, f, log)   the same for the 3-D geometry (log: pits the mesh resolves)
 *     render_surface_half(rs, half)         world half extents of the domain box
 *     render_surface_world(rs, x, y, f, log, out)   domain point → 3-D world
 *     render_surface_set_scale(rs, log)     upload heights for that scale (if changed)
 *     render_surface_draw2d(rs, prog, style)         fills the current viewport
 *     render_surface_draw3d(rs, prog, style, mvp, eye)   either 3-D program
 *     RENDER_ZSCALE                          world height of the normalised range
 */
#ifndef LOSSCAPE_RENDER_SURFACE_VIEW_H
#define LOSSCAPE_RENDER_SURFACE_VIEW_H

#include <cglm/cglm.h>

#include "core/surface.h"
#include "render/gl_util.h"

#define RENDER_ZSCALE 0.8f

typedef struct render_surface_style {
    int colormap;        /* 0..4 (colormap.h) */
    int log;             /* 1: logarithmic height and colour scale */
    int contours;        /* 0: none; else the number of levels over the range */
    int lift;            /* 1: the map's dark end lifted (presentation mode; colormap.h) */
} render_surface_style;

typedef struct render_surface render_surface;

/* GL objects for a tex_n × tex_n height texture (≥ 2) and a mesh_n × mesh_n grid.
 * Needs a current context. NULL if out of memory. */
render_surface *render_surface_create(int tex_n, int mesh_n);
void render_surface_destroy(render_surface *rs);   /* NULL is a no-op */

/* Sample over dom with grid_fn(ctx, dom, n, n, values) (non-finite values are
 * replaced by the largest finite one) and upload the texture. Call only when the
 * values or dom changed. */
typedef int (*render_grid_fn)(void *ctx, surface_domain dom, int nx, int ny, double *values);
void render_surface_upload(render_surface *rs, render_grid_fn grid_fn, void *ctx,
                           surface_domain dom);
/* Number of successful uploads so far: a different value means different values,
 * range or domain (caches of pictures drawn from the surface key on it). */
unsigned long render_surface_generation(const render_surface *rs);
/* The height scale the mesh's heights (render_surface_drawn_norm) are of now: 1 log,
 * 0 linear, −1 none set yet (with the generation, their cache key). */
int render_surface_uploaded_log(const render_surface *rs);
surface_domain render_surface_domain(const render_surface *rs);
void render_surface_range(const render_surface *rs, double *fmin, double *fmax);
/* The sampled grid (tex_n × tex_n values, row j at y_j), for contour labels. */
const float *render_surface_values(const render_surface *rs, int *n);

float render_surface_norm(const render_surface *rs, double f, int log);
/* The normalised height of the 3-D geometry (the mesh, and everything placed on it:
 * render_surface_world): the same as render_surface_norm on the linear scale; on the
 * log scale with the geometry's own ε, what the mesh resolves: the loss's mean rise
 * a few mesh cells from the grid's lowest value (at least the colours' ε), so a
 * minimum is a bowl whose bottom is in sight, not a needle behind its own wall. The
 * colours, contour lines and shading keep render_surface_norm's finer scale. */
float render_surface_geo_norm(const render_surface *rs, double f, int log);
/* The normalised height of the 3-D mesh as drawn at domain point (x, y) (its grid of
 * geometry texture samples, interpolated), on the uploaded scale: what lies on the surface is
 * placed no lower than this, so a marker deep in a narrow well that the mesh's grid
 * does not reach (log scale) sits on the drawn surface, not under it. */
float render_surface_drawn_norm(const render_surface *rs, double x, double y);
void render_surface_half(const render_surface *rs, float half[2]);
void render_surface_world(const render_surface *rs, double x, double y, double f, int log,
                          vec3 out);
/* Inverse of the xy part of render_surface_world. */
void render_surface_unworld(const render_surface *rs, float wx, float wy, double *x, double *y);

void render_surface_set_scale(render_surface *rs, int log_scale);
void render_surface_draw2d(render_surface *rs, gl_program prog,
                           const render_surface_style *st);
void render_surface_draw3d(render_surface *rs, gl_program prog,
                           const render_surface_style *st, mat4 mvp, const vec3 eye);

#endif
