/*
 * sharpw.h — the window's background sharpness samples: the top Hessian eigenvalue
 * of each run of a data problem (--sharpness N, the scene key `sharpness`), taken
 * every N steps, computed on a thread of its own. On the drawing thread a sample
 * cost a frame ~45 ms per run (lesson-batch-generalization: 30 Lanczos steps, each
 * two full-batch gradients of a 1185-parameter MLP), every tenth frame.
 *
 *     app_sharpw_create() / app_sharpw_destroy(sw)   (destroy joins; NULL is a no-op)
 *     app_sharpw_attach(sw, p)      p's samples are asked of the worker from now on
 *     app_sharpw_update(sw, p)      once a frame: the finished samples into p
 *     app_sharpw_idle(sw)           drop what is queued, wait until it touches nothing
 *     app_sharpw_finish(sw, p)      wait for every queued sample, then update (tests)
 *
 * A sample is asked for where it always was taken (app_problem_step, every N steps):
 * the run's θ and moving averages are copied into one of APP_SHARPW_SLOTS job slots,
 * and the sample is held in p->sharp as pending (no value; the plot shows each run's
 * samples up to its first pending one). The worker computes it exactly as the
 * synchronous path does (app_problem_sharpness_at: the same Lanczos at the same θ,
 * so the same value) and app_sharpw_update hands it in (app_problem_sharp_answer;
 * answers to samples since dropped or to an older start are ignored). When every
 * slot is taken (the worker behind: very high speeds) the sample is not taken.
 *
 * The worker reads the problem's model and data by pointer: app_sharpw_idle before
 * the problem is rebuilt or destroyed. Without pthreads (the browser build)
 * app_sharpw_create returns NULL and app_sharpw_attach leaves the samples synchronous.
 */
#ifndef LOSSCAPE_APP_SHARPW_H
#define LOSSCAPE_APP_SHARPW_H

#include "app/app.h"

#define APP_SHARPW_SLOTS 16

typedef struct app_sharpw app_sharpw;

app_sharpw *app_sharpw_create(void);
void app_sharpw_destroy(app_sharpw *sw);
/* Returns 1 if p's samples now go to the worker (a data problem; slots allocated). */
int app_sharpw_attach(app_sharpw *sw, app_problem *p);
void app_sharpw_update(app_sharpw *sw, app_problem *p);
void app_sharpw_idle(app_sharpw *sw);
void app_sharpw_finish(app_sharpw *sw, app_problem *p);

#endif
