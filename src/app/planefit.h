/*
 * planefit.h — the window's background plane fit: the PCA plane of a data problem's
 * trajectories (app_plane_pca_fit) computed on a thread of its own, so that the
 * refit every PACE_REFIT_STEPS steps (core/pace.h) no longer stalls a frame (moons-mlp-bn: five runs
 * × 4096 history points × 353 parameters, 64 Lanczos steps, ~0.2 s).
 *
 *     app_planefit_create() / app_planefit_destroy(pf)   (destroy joins)
 *     app_planefit_prepare(pf, p)    have the copy buffers for p's refits made (worker)
 *     app_planefit_request(pf, p)    snapshot p's trajectories and fit in the background
 *     app_planefit_take(pf, p)       install a finished fit as p's plane (1 if it did)
 *     app_planefit_idle(pf)          drop what is pending, wait until it touches nothing
 *     app_planefit_busy(pf)          a request is not taken yet
 *
 * A request copies the trajectories (every run's history θ, and θ0) on the calling
 * thread: all of them when there are at most app_planefit_points(n) (APP_PLANEFIT_POINTS,
 * fewer where that many θ would exceed APP_PLANEFIT_DOUBLES: 860 points of lesson 9's
 * 1218 parameters), else every k-th point of each run's history plus its last point
 * (the current θ), so the copy (on the drawing thread: ~8 MB, a few ms, where 2048 ×
 * 1218 doubles cost a refit's frame ~12 ms) and the fit stay bounded whatever the
 * history holds. The buffers it copies into are made by the worker while it has
 * nothing to fit, app_planefit_cap(n, runs) doubles each (the most a request copies),
 * every page written there, and kept (two: one for a fit under way, one for a request
 * meanwhile): the copy takes no page fault on the drawing thread (a fresh buffer
 * whenever the history had grown cost a lesson-9 refit frame 25–45 ms CPU). Only a
 * request before the worker made one (app_planefit_prepare asks for them ahead)
 * allocates its own (app_planefit_buffers counts those).
 * With at most app_planefit_points(n) points the plane and domain equal
 * app_problem_plane_pca's exactly. A newer request
 * replaces an older one; a fit is only installed into the problem it was asked for
 * (app_planefit_idle before that problem is rebuilt or destroyed drops it). Without
 * pthreads (the browser build) app_planefit_create returns NULL and the window
 * refits on its own thread.
 */
#ifndef LOSSCAPE_APP_PLANEFIT_H
#define LOSSCAPE_APP_PLANEFIT_H

#include "app/app.h"

#define APP_PLANEFIT_POINTS 2048
#define APP_PLANEFIT_DOUBLES (1 << 20)   /* θ numbers a request copies at most (8 MB) */

/* Points a request copies for θ of n parameters: APP_PLANEFIT_POINTS, at most
 * APP_PLANEFIT_DOUBLES / n, at least 64. */
int app_planefit_points(int n);

/* Doubles a request for θ of n parameters and n_runs runs copies at most (the
 * buffers' size): (app_planefit_points(n) + 2 n_runs) × n. */
size_t app_planefit_cap(int n, int n_runs);

typedef struct app_planefit app_planefit;

app_planefit *app_planefit_create(void);
void app_planefit_destroy(app_planefit *pf);   /* NULL is a no-op */

/* Buffers for p's requests (app_planefit_cap of its θ and runs), made by the worker
 * when it has nothing to fit; cheap when they are there (call it every frame). NULL
 * pf or a problem without PCA refits: nothing. */
void app_planefit_prepare(app_planefit *pf, const app_problem *p);
/* Buffers the worker made so far, requests that found none ready and allocated
 * their own, and the buffers ready now (tests). */
void app_planefit_buffers(app_planefit *pf, long *made, long *caller_allocs);
int app_planefit_pooled(app_planefit *pf);
/* Returns 1 if the request was queued (0: out of memory; nothing changes). */
int app_planefit_request(app_planefit *pf, const app_problem *p);
/* If the newest request for p is fitted: p's plane and domain become it (through
 * app_problem_set_plane) and 1 is returned; else 0. */
int app_planefit_take(app_planefit *pf, app_problem *p);
void app_planefit_idle(app_planefit *pf);
int app_planefit_busy(app_planefit *pf);

#endif
