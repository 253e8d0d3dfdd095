/*
 * mpi_grid.h — --compute-landscape: the --export-surface grid computed by several
 * processes (MPI ranks), each a band of its rows with OpenMP inside, gathered on
 * rank 0, which writes the file.
 *
 *     mpirun -np N losscape --compute-landscape --data ... --model ... --grid 512
 *            --export-surface out.h5
 *
 * Every rank builds the same problem from the same command line (data sets and
 * planes are seeded, so identical everywhere), computes rows [row0, row0+rows)
 * (the n rows dealt out in N consecutive bands, the first n mod N one row longer)
 * and sends them to rank 0; the file equals the single-process --export-surface
 * one value for value (same plane, same coordinates, same arithmetic per point).
 *
 * MPI is optional at build time (LOSSCAPE_HAVE_MPI, CMake's FindMPI). MPI_Init is
 * called only here, and only when an MPI launcher started the process (its
 * environment says so): the window, every other mode and a plain
 * `losscape --compute-landscape` run never touch MPI. A build without MPI computes
 * the grid in one process and, started by mpirun as more than one rank, says how to
 * get MPI (exit 1) instead of writing the same file N times.
 *
 * On success rank 0 prints one line on stdout: grid, ranks, threads, the slowest
 * rank's wall time and the busiest rank's CPU time in the grid, the whole time.
 * Exit statuses as everywhere: 0, 2 bad input (every rank agrees before any
 * writing), 1 run-time failure.
 */
#ifndef LOSSCAPE_MPI_GRID_H
#define LOSSCAPE_MPI_GRID_H

#include "app/app.h"

/* Builds p from o->scene itself (and destroys it); returns the exit status. */
int app_compute_landscape_run(const app_options *o, app_problem *p);

/* 1 if this build has MPI. */
int app_mpi_available(void);

#endif
