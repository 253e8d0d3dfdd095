/*
 * h5io.h — loss-landscape (Li et al. 2018) HDF5 files in and out, through the
 * HDF5 C library (libhdf5-dev). Built without it, every call fails saying so.
 *
 * The layout is the one loss-landscape's plot_2D.py reads: 1-D datasets
 * `xcoordinates` and `ycoordinates`, and 2-D surfaces (`train_loss`, `train_acc`,
 * `test_loss`, `test_acc`) whose cell [i, j] is at (xcoordinates[j], ycoordinates[i])
 * (shape len(y) × len(x)). A non-square dataset of shape len(x) × len(y) (how
 * loss-landscape's own plot_surface.py fills it) is read with [i, j] at (x[i], y[j]).
 * 1-D files: `xcoordinates` and a 1-D dataset (a curve). Projected trajectories
 * (plot_trajectory.py): `proj_xcoord`, `proj_ycoord`.
 *
 * Errors (err->msg) name the dataset: "dataset 'train_loss': rank 3, expected 1 or 2".
 *
 * Index
 *     h5io_available()
 *     h5io_load_surface(path, key, out, err)      → a gridsurf
 *     h5io_load_trajectory(path, xy, n, err)      → 2n numbers (malloc'd)
 *     h5io_save_surface(path, key, x, nx, y, ny, v, err)
 */
#ifndef LOSSCAPE_H5IO_H
#define LOSSCAPE_H5IO_H

#include "core/diag.h"
#include "core/gridsurf.h"

/* 1 if this build reads and writes HDF5. */
int h5io_available(void);

int h5io_load_surface(const char *path, const char *key, gridsurf **out, diag *err);

int h5io_load_trajectory(const char *path, double **xy, int *n, diag *err);

/* v[j·nx + i] at (x[i], y[j]); ny = 0 writes a 1-D file (no ycoordinates). Atomic:
 * written to a temporary name, renamed into place. */
int h5io_save_surface(const char *path, const char *key, const double *x, int nx, const double *y,
                      int ny, const double *v, diag *err);

#endif
