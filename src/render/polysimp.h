/*
 * polysimp.h — polylines reduced for drawing, in screen pixels: a trail simplified at
 * a pixel tolerance under a cap on its points, and the segments of it that later
 * ones cover left out. Plain C on point arrays (no GL): the caller projects, then
 * draws the points and segments these choose.
 *
 * Points are read as two floats x, y at the start of each element of an array whose
 * elements are `stride` bytes apart (prim_pt, or a bare float pair: stride 8), so
 * the caller's own point type is used in place. A point whose x or y is not finite
 * is never chosen (the polyline drawers skip them too).
 *
 *     polysimp_path(xy, stride, n, tol, keep)          a path at tolerance tol
 *     polysimp_path_capped(xy, stride, n, tol, cap, keep, &tol_used)
 *     polysimp_grid_begin(g, w, h) / polysimp_grid_free(g)
 *     polysimp_covered(g, xy, stride, n, hidden)   segments under later ones
 *
 * The path functions write the indices of the points they keep, in increasing
 * order, into keep (room for n) and return how many.
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

/* A w × h frame's pixels, marked by polysimp_covered: per pixel a stamp (the path
 * it was marked for: a new path needs no clearing) and the segment that marked it
 * last. Zero-initialise, then begin. */
typedef struct polysimp_grid {
    unsigned *mark;             /* stamp << 16 | segment */
    int w, h;
    unsigned stamp;             /* 1 .. 65535 */
} polysimp_grid;

#define POLYSIMP_COVER_MAX 65536   /* polysimp_covered takes paths of up to this many points */
#define POLYSIMP_COVER_MIN 3.0f    /* ... and never leaves out a segment shorter (pixels) */

/* Ready for one path over a w × h frame (the pixels reallocated when the size
 * changes), no pixel marked. 0: out of memory (g stays safe to free). */
int polysimp_grid_begin(polysimp_grid *g, int w, int h);
void polysimp_grid_free(polysimp_grid *g);

/* Which segments of the path through the n points (segment k: point k to k + 1,
 * n ≤ POLYSIMP_COVER_MAX) lie under later ones, for a path drawn in order (later
 * segments on top): from the newest segment back, a segment every pixel of whose
 * centre line (sampled a pixel apart) is marked is hidden (drawing it would only
 * paint pixels its successors paint over, but for a sliver at their edges: its
 * centre line is within 2√2 px of theirs, 3.4 px between samples); else it is
 * drawn and marks the pixels within one of its centre line's. A segment shorter
 * than POLYSIMP_COVER_MIN is drawn (the marks of those just after it would cover
 * it on any curve). Pixels
 * outside the frame count as marked (nothing is drawn there); a segment with a
 * non-finite end is drawn and marks nothing. An out-and-back spike is drawn once,
 * a scribble's strokes over strokes once: the pixels drawn are bounded by the
 * frame's, however long the path.
 * under[k] (room for n − 1): −1 for a drawn segment, else the drawn segment that
 * marked the middle of its centre line last (the one it lies under; the caller may
 * let it stand for the hidden ones, e.g. in its opacity). Returns how many are
 * drawn. */
int polysimp_covered(polysimp_grid *g, const void *xy, size_t stride, int n, int *under);

#endif
