/*
 * metrics.h — the window's background metrics worker: the full-data training loss,
 * training accuracy and test loss / accuracy of every run of a data problem,
 * computed on a thread of its own at a bounded cadence, so that a step of the window
 * costs O(batch) however large the data set is.
 *
 *     app_metrics_wanted(p)                  whether p's metrics go to the worker
 *     app_metrics_create() / app_metrics_destroy(mw)   (destroy cancels and joins)
 *     app_metrics_update(mw, p, now_ms)      once a frame: apply a finished result,
 *                                            ask for the next one when due
 *     app_metrics_forget(mw)                 the runs were reset: drop what is in flight
 *     app_metrics_idle(mw)                   wait until the worker touches nothing
 *     app_metrics_finish(mw), app_metrics_stats(mw, &done)   for --bench and tests
 *
 * Which problems: data problems whose full-data evaluation is expensive, i.e.
 * training samples × parameters ≥ APP_METRICS_COST (about a millisecond per full
 * loss), and those whose synchronous metrics would cost a frame about a millisecond
 * or more at the window's stepping rate (app_metrics_step_cost × steps a frame ≥
 * APP_METRICS_FRAME_COST: lesson-batch-generalization, 2 runs of a 1218-parameter
 * MLP at 10 steps a frame, 6.3e6); smaller ones keep the synchronous path (every
 * step's full loss, test metrics every eval_every steps), which is exact at every
 * step and costs little. For a problem handed to the worker, app_metrics_update
 * switches the trainer to lazy full losses (trainer_set_lazy_loss) and the problem to
 * metrics_async (app_problem_step then samples nothing itself); it stays so (a slower
 * speed later does not hand it back) until the problem is rebuilt.
 *
 * Cadence: one evaluation at a time; the next is asked for when the previous one has
 * been applied, the runs have moved since, and APP_METRICS_PERIOD_MS have passed
 * since the previous request. A request snapshots every run's θ and moving averages
 * and the step they are at; the worker evaluates them exactly as the synchronous
 * path does (model_loss in evaluation mode with the run's moving averages,
 * model_accuracy; both from one pass, model_loss_accuracy), so a value equals a
 * direct evaluation at that θ (the loss over MODEL_BIG samples or more to rounding:
 * model_loss sums those in another order). The result goes
 * into the problem's series at the snapshot's step (app_series.train_loss ...), sets
 * app_problem.metrics_step (how fresh the plots are: the renderer marks it), and
 * becomes each run's full loss as of the update the snapshot was taken at
 * (trainer_note_loss_at: the legend's loss, with run->loss_step saying which). Results of a request made before app_metrics_forget, or for
 * another problem, are dropped.
 *
 * The worker reads the problem's model and data sets by pointer (call app_metrics_idle
 * before the problem is rebuilt or destroyed); it computes with one OpenMP thread
 * fewer than there are processors and (Linux) 5 nice steps below the window. Without pthreads (the
 * browser build) app_metrics_create returns NULL and the problem keeps the
 * synchronous path.
 */
#ifndef LOSSCAPE_APP_METRICS_H
#define LOSSCAPE_APP_METRICS_H

#include "app/app.h"

#define APP_METRICS_COST 1e6        /* training samples × parameters from which the worker takes over */
#define APP_METRICS_FRAME_COST 2e6  /* sample × parameter products of synchronous metrics a frame from which it takes over */
#define APP_METRICS_PERIOD_MS 100   /* at most ten evaluations a second */

typedef struct app_metrics app_metrics;

/* 1 if one full-data evaluation of p is expensive (a data problem at or above
 * APP_METRICS_COST): its metrics belong to the worker at any speed. */
int app_metrics_wanted(const app_problem *p);
/* The synchronous path's full-data work per step, in sample × parameter products:
 * every run's full training loss each step, and every eval_every steps its test loss,
 * test accuracy and training accuracy (one pass each). 0 for a surface problem. */
double app_metrics_step_cost(const app_problem *p);
/* 1 if p's metrics belong to the worker when the window takes steps_per_frame steps a
 * frame: app_metrics_wanted(p), or step cost × steps_per_frame ≥ APP_METRICS_FRAME_COST. */
int app_metrics_wanted_at(const app_problem *p, double steps_per_frame);

/* NULL if the thread cannot start (the problem then keeps the synchronous path). */
app_metrics *app_metrics_create(void);
void app_metrics_destroy(app_metrics *mw);   /* NULL is a no-op */

/* Once a frame (any thread but the worker's; p's owner), with the steps the window
 * takes a frame: if p is wanted (app_metrics_wanted_at) and not yet async, make it so
 * (and drop anything in flight for another problem); apply a finished result for p;
 * request the next evaluation when due (see Cadence). Returns 1 if a result was
 * applied. NULL mw, or a problem neither async nor wanted: nothing. */
int app_metrics_update(app_metrics *mw, app_problem *p, double steps_per_frame, double now_ms);
/* The runs were reset or restarted: a result in flight is dropped, and the next
 * request is due at once. */
void app_metrics_forget(app_metrics *mw);
/* Cancel what is pending and wait until the worker is not computing. */
void app_metrics_idle(app_metrics *mw);
/* Wait until the request in flight (if any) is computed. */
void app_metrics_finish(app_metrics *mw);
/* Evaluations computed so far (results published). */
long app_metrics_stats(app_metrics *mw);

#endif
