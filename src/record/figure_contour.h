/*
 * figure_contour.h — contour lines of a grid by marching squares, joined into
 * polylines and thinned (Douglas–Peucker) for vector output. No GL, no cairo.
 *
 * The grid holds nx × ny values at the corners of (nx−1) × (ny−1) cells, v[j*nx + i]
 * at grid point (i, j). Points come out in grid coordinates (i, j as doubles), so the
 * caller maps them to the page. A corner counts as inside the level when v ≥ level;
 * a cell whose corners alternate (a saddle) is split by the value at its centre.
 * Non-finite values must have been replaced by the caller.
 *
 * Index
 *     contour_lines, contour_trace(v, nx, ny, level, tol, out)   one level
 *     contour_lines_free(cl)
 */
#ifndef LOSSCAPE_RECORD_FIGURE_CONTOUR_H
#define LOSSCAPE_RECORD_FIGURE_CONTOUR_H

typedef struct contour_lines {
    int n_lines;
    int *start;        /* n_lines + 1 offsets into pts (line k: start[k] .. start[k+1]−1) */
    int *closed;       /* 1: line k is a loop (its last point equals its first) */
    double *pts;       /* x, y pairs in grid coordinates */
    int n_pts;
} contour_lines;

/* Trace the level. tol > 0 thins each line to within tol grid units (Douglas–
 * Peucker); 0 keeps every crossing. Returns 1, or 0 if out of memory (out empty).
 * Free with contour_lines_free. */
int contour_trace(const double *v, int nx, int ny, double level, double tol, contour_lines *out);
void contour_lines_free(contour_lines *cl);

#endif
