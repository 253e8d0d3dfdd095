/*
 * fields.c — each panel's 2-D view as the renderer reads it (render_field): heights,
 * grids and projections of the problem shown (w->p) and of the compare layout's
 * second one (w->p2). A data problem with a surface worker (the window, --bench)
 * reads its grids from that worker (worker.h: p's from w->worker, p2's from
 * w->worker2), so no surface is computed on the drawing thread; otherwise (surfaces,
 * --screenshot, --record, the browser) they are computed when the renderer asks.
 */
#include "app/framing.h"
#include "app/window.h"
#include "render/i18n.h"

#include "core/model.h"

#include <math.h>
#include <stdio.h>

/* The names of a fitted plane's axes, brief (the map's axes) and in full (where there
 * is room); a full name's "%.0f" is the axis' share of variance in percent. */
static const struct plane_axis_names {
    int kind;
    const char *brief[2], *full[2];
} PLANE_AXIS_NAMES[] = {
    { PLANE_PCA, { "PC1", "PC2" }, { "PC 1 (%.0f%% of variance)", "PC 2 (%.0f%% of variance)" } },
    { PLANE_RANDOM, { "δ1", "δ2" },
      { "random direction 1 (filter-normalized)", "random direction 2 (filter-normalized)" } },
};

void app_problem_axis_names(const app_problem *p, int brief, char x[64], char y[64])
{
    snprintf(x, 64, "x");
    snprintf(y, 64, "y");
    if (!p->is_data || !p->plane || !p->model)
        return;
    if (p->plane->kind == PLANE_IDENTITY || p->plane->kind == PLANE_PARAMS) {
        int i = p->plane->kind == PLANE_IDENTITY ? 0 : p->plane->i;
        int j = p->plane->kind == PLANE_IDENTITY ? 1 : p->plane->j;
        char a[48], b[48];
        model_param_name(p->model, i, a, (int)sizeof a);
        model_param_name(p->model, j, b, (int)sizeof b);
        snprintf(x, 64, "%s", a);
        snprintf(y, 64, "%s", b);
        return;
    }
    char *out[2] = { x, y };
    for (size_t e = 0; e < sizeof PLANE_AXIS_NAMES / sizeof PLANE_AXIS_NAMES[0]; e++)
        if (PLANE_AXIS_NAMES[e].kind == (int)p->plane->kind)
            for (int k = 0; k < 2; k++) {
                if (brief)
                    snprintf(out[k], 64, "%s", PLANE_AXIS_NAMES[e].brief[k]);
                else
                    snprintf(out[k], 64, PLANE_AXIS_NAMES[e].full[k], 100 * p->plane->explained[k]);
            }
}

static double field_eval(void *ctx, double a, double b, double grad[2], double hess[4])
{
    return app_problem_eval_point(ctx, a, b, grad, hess);
}

/* Full data, and run 0's current mini-batch (Y); both at a resolution their cost
 * allows (dataview.h), resampled to the texture. */
static int field_grid(void *ctx, surface_domain dom, int nx, int ny, double *values)
{
    return app_view_grid(ctx, dom, nx, ny, 0, values);
}

static int field_grid_batch(void *ctx, surface_domain dom, int nx, int ny, double *values)
{
    return app_view_grid(ctx, dom, nx, ny, 1, values);
}

static void field_project(const void *ctx, const double *theta, double ab[2])
{
    app_problem_project(ctx, theta, ab);
}

/* The main panel's grid from the worker: the newest grid of the newest request, or
 * 0 (the renderer keeps the texture it has) until there is one. */
static int field_grid_async(void *ctx, surface_domain dom, int nx, int ny, double *values)
{
    win_state *w = ctx;
    return app_worker_fetch(w->worker, dom, nx, ny, values);
}

/* Heights of what is placed on the surface. A problem too large to evaluate in a
 * frame (metrics.h: the same threshold) reads them from the worker's grid, as the
 * mesh is drawn; NaN while there is none yet (the renderer then places things on the
 * mesh as drawn). Gradients and Hessians (the probe, arrows) are exact. */
static double field_eval_w(void *ctx, double a, double b, double grad[2], double hess[4])
{
    win_state *w = ctx;
    if (!grad && !hess && app_metrics_wanted(w->p)) {
        double v;
        return app_worker_sample(w->worker, w->p->domain, a, b, &v) ? v : NAN;
    }
    return app_problem_eval_point(w->p, a, b, grad, hess);
}

static void field_project_w(const void *ctx, const double *theta, double ab[2])
{
    app_problem_project(((const win_state *)ctx)->p, theta, ab);
}

/* Data problems with a worker: a request whenever what the surface shows changed,
 * and a new version for the renderer whenever the worker has a newer grid (the
 * coarse one, then the full one). While the view eases (win_frame_settling: each
 * frame shows another plane or extent) the requests ask for the coarse grid alone,
 * then the full grid once it is still: a full grid (an MLP's 256 × 256, ~0.3 s) that
 * the next frame cancels only took a core from the drawing. */
static int update_field_async(win_state *w)
{
    if (!w->worker || !w->p->is_data || w->p->n < 2)
        return 0;
    int batch = w->surf_batch, coarse = win_frame_settling(w);
    if (w->req_version != w->field_version || w->req_batch != batch || w->shown_version == 0 ||
        (w->req_coarse && !coarse)) {
        app_worker_request(w->worker, w->p, batch, coarse ? APP_WORKER_COARSE : APP_WORKER_GRID);
        w->req_version = w->field_version;
        w->req_batch = batch;
        w->req_coarse = coarse;
        w->shown_version++;
    }
    unsigned long seq = app_worker_seq(w->worker);
    if (seq != w->seen_seq) {
        w->seen_seq = seq;
        w->shown_version++;
    }
    w->field = (render_field){ .ctx = w, .eval = field_eval_w, .eval_grid = field_grid_async,
                               .project = field_project_w, .domain = w->p->domain,
                               .version = w->shown_version };
    return 1;
}

int win_surface_news(win_state *w)
{
    return (w->worker && w->p->is_data && app_worker_seq(w->worker) != w->seen_seq) ||
           (w->worker2 && w->p2 && w->p2->is_data && app_worker_seq(w->worker2) != w->seen_seq2);
}

/* p2's grid, heights and projection, as field_grid_async, field_eval_w and
 * field_project_w are p's. */
static int field2_grid_async(void *ctx, surface_domain dom, int nx, int ny, double *values)
{
    win_state *w = ctx;
    return app_worker_fetch(w->worker2, dom, nx, ny, values);
}

static double field2_eval_w(void *ctx, double a, double b, double grad[2], double hess[4])
{
    win_state *w = ctx;
    if (!grad && !hess && app_metrics_wanted(w->p2)) {
        double v;
        return app_worker_sample(w->worker2, w->p2->domain, a, b, &v) ? v : NAN;
    }
    return app_problem_eval_point(w->p2, a, b, grad, hess);
}

static void field2_project_w(const void *ctx, const double *theta, double ab[2])
{
    app_problem_project(((const win_state *)ctx)->p2, theta, ab);
}

/* The compare panel's data problem with a worker, as update_field_async. */
static int update_field2_async(win_state *w)
{
    if (!w->worker2 || !w->p2 || !w->p2->is_data || w->p2->n < 2)
        return 0;
    int batch = w->surf_batch;
    if (w->req_version2 != w->field2_version || w->req_batch2 != batch || w->shown_version2 == 0) {
        app_worker_request(w->worker2, w->p2, batch, APP_WORKER_GRID);
        w->req_version2 = w->field2_version;
        w->req_batch2 = batch;
        w->shown_version2++;
    }
    unsigned long seq = app_worker_seq(w->worker2);
    if (seq != w->seen_seq2) {
        w->seen_seq2 = seq;
        w->shown_version2++;
    }
    w->field2 = (render_field){ .ctx = w, .eval = field2_eval_w, .eval_grid = field2_grid_async,
                                .project = field2_project_w, .domain = w->p2->domain,
                                .version = w->shown_version2 };
    return 1;
}

void win_update_fields(win_state *w)
{
    int batch = w->surf_batch && w->p->is_data;
    if (!update_field_async(w)) {
        if (w->shown_version != w->field_version + 0x40000000ul)
            w->shown_version = w->field_version + 0x40000000ul; /* apart from the async counts */
        w->field = (render_field){ .ctx = w->p, .eval = field_eval,
                                   .eval_grid = batch ? field_grid_batch : field_grid,
                                   .project = field_project, .domain = w->p->domain,
                                   .version = w->shown_version };
    }
    w->field.curve = app_problem_is_curve(w->p);   /* a 1-D file: the curve view */
    app_problem_axis_names(w->p, 1, w->axis_name[0][0], w->axis_name[0][1]);
    w->field.xlabel = w->axis_name[0][0];
    w->field.ylabel = w->axis_name[0][1];
    if (w->o->interp_npts > 1 && w->show_traj && w->field.curve) {   /* --interpolate, its own scene */
        w->field.xlabel = "t";
        w->field.label1 = w->o->interp_test ? _("train loss") : NULL;
        w->field.label2 = _("test loss");
        w->field.ns = w->o->interp_npts;
        w->field.xs = w->o->interp_t;
        w->field.ys = w->o->interp_train;
        w->field.ys2 = w->o->interp_test;
        w->field.n_marks = 2;
        w->field.mark_x[0] = 0;
        w->field.mark_x[1] = 1;
        w->field.mark_label[0] = w->o->interp_name[0];
        w->field.mark_label[1] = w->o->interp_name[1];
    }
    if (w->p2 && !update_field2_async(w))
        w->field2 = (render_field){ .ctx = w->p2, .eval = field_eval,
                                    .eval_grid = batch && w->p2->is_data ? field_grid_batch : field_grid,
                                    .project = field_project, .domain = w->p2->domain,
                                    .version = w->field2_version + 0x40000000ul }; /* apart from the async counts */
    if (w->p2) {
        app_problem_axis_names(w->p2, 1, w->axis_name[1][0], w->axis_name[1][1]);
        w->field2.xlabel = w->axis_name[1][0];
        w->field2.ylabel = w->axis_name[1][1];
    }
}
