/*
 * par_rows.h — independent rows of work spread over OpenMP threads, each thread with
 * its own scratch buffer, allocated once per thread rather than once per row.
 *
 * The pattern the landscape grids and the finite-difference Hessian share: a parallel
 * region, one malloc per thread, a dynamic schedule one row at a time, an optional
 * cancel flag, and "out of memory on any thread" reported as failure.
 *
 * Index
 *     par_row_fn                 fn(ctx, ws, row): the work of one row
 *     par_rows(r0, r1, ws_bytes, parallel, cancel, fn, ctx)
 */
#ifndef LOSSCAPE_PAR_ROWS_H
#define LOSSCAPE_PAR_ROWS_H

#include <stddef.h>

/* The work of one row. ws is the calling thread's scratch (ws_bytes bytes, malloc
 * aligned, never NULL); its contents are uninitialised on the thread's first row and
 * otherwise whatever that thread's previous row left. fn may run concurrently with
 * other rows on other threads: it must write only what belongs to its row. */
typedef void (*par_row_fn)(void *ctx, void *ws, int row);

/* Calls fn(ctx, ws, r) once for every r in [r0, r1), in any order, spread over the
 * OpenMP threads (schedule(dynamic, 1)) when built with OpenMP and `parallel` is
 * non-zero, else in order on the calling thread. A row is skipped when cancel is
 * non-NULL and reads non-zero before it starts, or when its thread could not allocate
 * its scratch (the other threads carry on). Returns 1 when every workspace was
 * allocated and cancel (if any) reads zero at the end, else 0; after a 0, which rows
 * ran is unspecified. */
int par_rows(int r0, int r1, size_t ws_bytes, int parallel, const _Atomic int *cancel,
             par_row_fn fn, void *ctx);

#endif
