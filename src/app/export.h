/*
 * export.h — the pieces of --export-surface (export.c) that --compute-landscape
 * (mpi_grid.c) shares, so a grid computed in bands of rows by several processes is
 * the same grid, point for point, as the one computed in one piece.
 *
 * Index
 *     app_export_kind(path)                 1 .h5/.hdf5, 2 .vtp, 0 neither
 *     app_export_coords(p, n, x, y)         the grid's coordinates over the view's domain
 *     app_export_rows(p, n, row0, rows, v)  the loss on a band of rows of the n×n grid
 *     app_export_write(path, x, y, n, v)    the file (atomic), one line on failure
 */
#ifndef LOSSCAPE_EXPORT_H
#define LOSSCAPE_EXPORT_H

#include "app/app.h"

int app_export_kind(const char *path);

/* x[i], y[i] (n each) of the n×n grid spanning p->domain, corners included. */
void app_export_coords(const app_problem *p, int n, double *x, double *y);

/* Rows row0 .. row0+rows−1 of the n×n grid over p->domain into v[(j−row0)·n + i]:
 * a surface's values, or a data problem's loss on its view plane (evaluation mode,
 * the run's starting moving averages). OpenMP inside. Returns 1, or 0 when out of
 * memory. */
int app_export_rows(app_problem *p, int n, int row0, int rows, double *v);

/* Write the whole n×n grid (v[j·n + i] at (x[i], y[j])) as the path's kind says.
 * Returns APP_EXIT_OK, or APP_EXIT_RUNTIME after one line on stderr. */
int app_export_write(const char *path, const double *x, const double *y, int n, const double *v);

#endif
