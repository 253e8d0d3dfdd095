/*
 * worker.h — the window's background surface worker: the loss surface of a data
 * problem computed on a thread of its own while the window keeps drawing.
 *
 *     app_worker_create() / app_worker_destroy(wk)     (destroy cancels and joins)
 *     app_worker_request(wk, p, batch_only, n)  the surface of p as it is now
 *     app_worker_seq(wk)                      bumped whenever a newer grid is ready
 *     app_worker_fetch(wk, dom, nx, ny, values) the newest grid of the newest request
 *     app_worker_sample(wk, dom, a, b, &v)    the same grid at one point
 *     app_worker_idle(wk)                      cancel, and wait until it touches nothing
 *     app_worker_finish(wk), app_worker_stats(wk, &coarse, &full)   for --bench
 *
 * A request snapshots what the grid depends on that may change under it (the plane,
 * the domain, run 0's last mini-batch) and keeps pointers to what may not (the
 * objective, the model, the training set: call app_worker_idle before the problem
 * is rebuilt or destroyed). The worker computes a coarse grid first (32×32, or less
 * when the data are huge), publishes it, then the full n×n grid (fewer points when
 * the cost would exceed APP_WORKER_BUDGET), and publishes that; a request for a grid
 * of APP_WORKER_COARSE (the window while its view eases) stops there. A newer request
 * cancels the older one mid-grid (landscape_desc.cancel). Results are published
 * under a lock as whole grids, so a reader never sees a half-written one; the
 * renderer keeps its old texture until app_worker_fetch has a grid for the newest
 * request (then the texture is replaced in one upload).
 */
#ifndef LOSSCAPE_APP_WORKER_H
#define LOSSCAPE_APP_WORKER_H

#include "app/app.h"

#define APP_WORKER_BUDGET 2e10   /* samples × parameters × grid points of the full grid */
#define APP_WORKER_COARSE 32
#define APP_WORKER_GRID 256      /* the full grid's side (the renderer's texture) */

typedef struct app_worker app_worker;

/* NULL if the thread cannot start (the caller then computes surfaces itself). */
app_worker *app_worker_create(void);
void app_worker_destroy(app_worker *wk);   /* NULL is a no-op */

void app_worker_request(app_worker *wk, const app_problem *p, int batch_only, int n);
unsigned long app_worker_seq(app_worker *wk);
/* Copy the newest grid of the newest request, resampled (bilinear, corners kept) to
 * nx × ny over dom (which must be the request's domain), into values. Returns 1, or
 * 0 when that request has no grid yet (or dom is not its domain). */
int app_worker_fetch(app_worker *wk, surface_domain dom, int nx, int ny, double *values);
/* The newest grid of the newest request at one point (a, b) of dom (bilinear): 1 with
 * *v, or 0 when there is no such grid or (a, b) lies outside dom. What the window
 * places markers and trails at for problems too large to evaluate in a frame. */
int app_worker_sample(app_worker *wk, surface_domain dom, double a, double b, double *v);
void app_worker_idle(app_worker *wk);
/* Wait until the newest request is done (its full grid published, or given up). */
void app_worker_finish(app_worker *wk);
/* Grids published so far: coarse and full ones. */
void app_worker_stats(app_worker *wk, long *coarse, long *full);

#endif
