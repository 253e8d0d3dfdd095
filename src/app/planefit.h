/*
 * planefit.h — the window's background plane fit: the PCA plane of a data problem's
 * trajectories (app_plane_pca_fit) computed on a thread of its own, so that the
 * refit every PACE_REFIT_STEPS steps (core/pace.h) no longer stalls a frame (moons-mlp-bn: five runs
 * × 4096 history points × 353 parameters, 64 Lanczos steps, ~0.2 s).
 *
 *     app_planefit_create() / app_planefit_destroy(pf)   (destroy joins)
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
 * history holds. With at most app_planefit_points(n) points the plane and domain equal
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

typedef struct app_planefit app_planefit;

app_planefit *app_planefit_create(void);
void app_planefit_destroy(app_planefit *pf);   /* NULL is a no-op */

/* Returns 1 if the request was queued (0: out of memory; nothing changes). */
int app_planefit_request(app_planefit *pf, const app_problem *p);
/* If the newest request for p is fitted: p's plane and domain become it (through
 * app_problem_set_plane) and 1 is returned; else 0. */
int app_planefit_take(app_planefit *pf, app_problem *p);
void app_planefit_idle(app_planefit *pf);
int app_planefit_busy(app_planefit *pf);

#endif
