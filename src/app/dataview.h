/*
 * dataview.h — what the window draws of a problem besides its trajectories: the
 * surface grid at a resolution its cost allows (full data or the current
 * mini-batch), the data panel (samples, mini-batch, each run's decision boundary or
 * fitted line) and the test-metric series, as the renderer's read-only views.
 *
 * Index
 *     app_view_grid(p, dom, nx, ny, batch_only, values)   cost-limited surface grid
 *     app_view_grid_n(p, batch_only, nx)                  the resolution it samples at
 *     app_data_view, app_data_view_update(v, p, sel, sb) / app_data_view_free(v)
 *     app_series_view(p, out)                             render_series per run
 *     app_sharp_view(p, out)                              render_sharp per run (--sharpness)
 */
#ifndef LOSSCAPE_APP_DATAVIEW_H
#define LOSSCAPE_APP_DATAVIEW_H

#include "app/app.h"
#include "render/renderer.h"

/* Budgets of one grid, in sample × parameter products (about 0.5 ns each for an
 * MLP on this machine): the full-data grid is redone only when the plane changes,
 * the mini-batch grid every frame the batch changes. */
#define APP_VIEW_BUDGET_FULL  3e8
#define APP_VIEW_BUDGET_BATCH 2e7

/* The side of the grid app_view_grid evaluates before resampling to nx: nx for
 * surfaces and two-parameter models; for larger models the largest side within
 * the budget (at least 24). */
int app_view_grid_n(const app_problem *p, int batch_only, int nx);

/* app_problem_eval_grid's contract (values[j*nx + i], corners included; batch_only:
 * run 0's current mini-batch), evaluated on an app_view_grid_n square grid and
 * resampled bilinearly to nx × ny. Returns 1, or 0 if out of memory. */
int app_view_grid(app_problem *p, surface_domain dom, int nx, int ny, int batch_only, double *values);

#define APP_DATA_GRID 40        /* classification: cells per side of each run's prediction grid */
#define APP_DATA_CURVE 64       /* regression: points of each run's fitted line */

/* The data panel's arrays for one problem, owned. Zero-initialise; free with
 * app_data_view_free (also before reusing it for another problem). */
typedef struct app_data_view {
    render_data rd;             /* what app_data_view_update returns */
    const app_problem *of;      /* the problem the samples were taken from */
    int n;
    float *xy;                  /* n × 2 */
    unsigned char *cls;         /* n, classification */
    float *pred;                /* runs × cells */
    double *x, *out;            /* model input / output scratch */
    double *mean;               /* training feature means (features beyond the first two) */
    /* per run (p->n_runs), what its predictions are of: θ and aux (n + n_aux each) and
     * the trainer's step then; pred_seq orders them (the oldest are redone first) */
    double *at;
    int n_at;                   /* n + n_aux */
    int have[TRAINER_MAX_RUNS];
    long pred_step[TRAINER_MAX_RUNS];
    unsigned long pred_seq[TRAINER_MAX_RUNS], seq;
    long predicted;             /* run predictions computed so far (tests) */
    char xlabel[40], ylabel[40];
} app_data_view;

/* Fill v for the data problem p (samples once, predictions when the runs moved):
 * the samples' first two features (classification) or first feature and target
 * (regression), run 0's current mini-batch, each run's predictions in evaluation
 * mode with the other features at their training mean; `selected` is the run whose
 * class regions are shaded; surface_batch is passed through for the panel's key.
 * max_runs > 0 bounds the runs whose predictions are redone in one call (the window:
 * 1, so a frame pays for one run's grid; those whose θ moved, the oldest first): a
 * run's grid is then of its parameters up to n_runs − 1 calls ago (pred_step says
 * which step), and equals them again within n_runs calls of the runs stopping.
 * max_runs ≤ 0: every run that moved, now (screenshots, recordings). Returns &v->rd,
 * or NULL for a surface problem or when out of memory. */
const render_data *app_data_view_update(app_data_view *v, const app_problem *p, int selected,
                                        int surface_batch, int max_runs);
void app_data_view_free(app_data_view *v);

/* The test-metric series of every run of a data problem (out: p->n_runs entries;
 * pointers into p->series). Returns 0 (nothing written) for a surface problem. */
int app_series_view(const app_problem *p, render_series *out);
/* The sharpness samples per run (app_problem_set_sharpness): each run's up to its first
 * still being computed (sharpw.h), or 0 when none are taken. */
int app_sharp_view(const app_problem *p, render_sharp *out);

#endif
