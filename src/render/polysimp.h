/*
 * polysimp.h — polylines reduced for drawing, in screen pixels: a trail simplified at
 * a pixel tolerance under a cap on its points. Plain C on point arrays (no GL): the
 * caller projects, then keeps the points these choose.
 *
 * Points are read as two floats x, y at the start of each element of an array whose
 * elements are `stride` bytes apart (prim_pt, or a bare float pair: stride 8), so
 * the caller's own point type is used in place. A point whose x or y is not finite
 * is never chosen (the polyline drawers skip them too).
 *
 *     polysimp_path(xy, stride, n, tol, keep)          a path at tolerance tol
 *     polysimp_path_capped(xy, stride, n, tol, cap, keep, &tol_used)
 *
 * Each writes the indices of the points it keeps, in increasing order, into keep
 * (room for n) and returns how many.
 */
#ifndef LOSSCAPE_RENDER_POLYSIMP_H
#define LOSSCAPE_RENDER_POLYSIMP_H

#include <stddef.h>

/* The path through the n points simplified at tolerance tol (pixels, > 0), in one
 * pass (sleeve fitting, polysimp.c): the first and the last finite points are kept;
 * every point dropped lies within √2·tol of the kept polyline's segment that spans
 * it (within tol of its line, and along it no further than tol past its end), so
 * where the path bends by more than about tol the bend is kept. O(n), no memory. */
int polysimp_path(const void *xy, size_t stride, int n, float tol, int *keep);

/* The same at the least tolerance tol·2^k (k = 0, 1, ...) that keeps at most cap
 * points (cap ≥ 2), whatever n: a trail's drawing cost stays bounded however long
 * the run. *tol_used (may be NULL) is the tolerance used. */
int polysimp_path_capped(const void *xy, size_t stride, int n, float tol, int cap, int *keep,
                         float *tol_used);

#endif
