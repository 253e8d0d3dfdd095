/*
 * dataview.c — the renderer's views of a problem beyond its trajectories (see
 * dataview.h): cost-limited surface grids, the data panel, the test-metric series.
 */
#include "app/dataview.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/surface.h"

/* ==== Surface grid ==== */

int app_view_grid_n(const app_problem *p, int batch_only, int nx)
{
    if (!p->is_data || p->n <= 2)
        return nx;
    int count = p->train->n;
    if (batch_only) {
        int c = 0;
        if (trainer_last_batch(p->trainer, 0, &c) && c > 0)
            count = c;
    }
    double per_point = (double)count * (double)p->n;
    double budget = batch_only ? APP_VIEW_BUDGET_BATCH : APP_VIEW_BUDGET_FULL;
    int m = (int)sqrt(budget / (per_point > 1 ? per_point : 1));
    if (m < 24)
        m = 24;
    return m < nx ? m : nx;
}

int app_view_grid(app_problem *p, surface_domain dom, int nx, int ny, int batch_only, double *values)
{
    int m = app_view_grid_n(p, batch_only, nx < ny ? nx : ny);
    if (m >= nx && m >= ny)
        return app_problem_eval_grid(p, dom, nx, ny, batch_only, values);
    if (m < 2)
        m = 2;
    double *g = malloc((size_t)m * (size_t)m * sizeof *g);
    if (!g)
        return 0;
    if (!app_problem_eval_grid(p, dom, m, m, batch_only, g)) {
        free(g);
        return 0;
    }
    surface_grid_resample(g, m, nx, ny, values);
    free(g);
    return 1;
}

/* ==== Data panel ==== */

void app_data_view_free(app_data_view *v)
{
    free(v->xy);
    free(v->cls);
    free(v->pred);
    free(v->x);
    free(v->out);
    free(v->mean);
    free(v->at);
    long predicted = v->predicted;
    memset(v, 0, sizeof *v);
    v->predicted = predicted;
}

/* Samples, box and scratch for p (once per problem). */
static int take_samples(app_data_view *v, const app_problem *p)
{
    const dataset *ds = p->train;
    int n = ds->n, d = ds->d, cls = ds->task != DATA_REGRESSION;
    int k = model_output_count(p->model);
    int cells = cls ? APP_DATA_GRID * APP_DATA_GRID : APP_DATA_CURVE;
    v->xy = malloc((size_t)n * 2 * sizeof *v->xy);
    v->cls = cls ? malloc((size_t)n) : NULL;
    v->pred = malloc((size_t)p->n_runs * (size_t)cells * sizeof *v->pred);
    v->x = malloc((size_t)cells * (size_t)d * sizeof *v->x);
    v->out = malloc((size_t)cells * (size_t)(k > 0 ? k : 1) * sizeof *v->out);
    v->mean = calloc((size_t)d, sizeof *v->mean);
    v->n_at = p->n + model_aux_count(p->model);
    v->at = malloc((size_t)p->n_runs * (size_t)v->n_at * sizeof *v->at);
    if (!v->xy || (cls && !v->cls) || !v->pred || !v->x || !v->out || !v->mean || !v->at)
        return 0;
    double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
    for (int s = 0; s < n; s++) {
        const double *row = ds->x + (size_t)s * d;
        for (int c = 0; c < d; c++)
            v->mean[c] += row[c] / n;
        double px = row[0], py = cls ? (d > 1 ? row[1] : 0) : ds->y[s];
        v->xy[2 * s] = (float)px;
        v->xy[2 * s + 1] = (float)py;
        if (cls)
            v->cls[s] = (unsigned char)ds->y[s];
        lo[0] = fmin(lo[0], px), hi[0] = fmax(hi[0], px);
        lo[1] = fmin(lo[1], py), hi[1] = fmax(hi[1], py);
    }
    for (int c = 0; c < 2; c++) {
        double pad = 0.08 * (hi[c] - lo[c]);
        if (!(pad > 0))
            pad = 0.5;
        lo[c] -= pad, hi[c] += pad;
    }
    v->of = p;
    v->n = n;
    snprintf(v->xlabel, sizeof v->xlabel, "%s", ds->feature_names[0][0] ? ds->feature_names[0] : "x1");
    if (cls)
        snprintf(v->ylabel, sizeof v->ylabel, "%s", d > 1 && ds->feature_names[1][0] ? ds->feature_names[1] : "x2");
    else
        snprintf(v->ylabel, sizeof v->ylabel, "y");
    v->rd = (render_data){ .n = n, .xy = v->xy, .cls = v->cls, .n_classes = cls ? ds->n_classes : 0,
                           .box = { lo[0], hi[0], lo[1], hi[1] }, .xlabel = v->xlabel,
                           .ylabel = v->ylabel, .name = ds->name,
                           .grid_n = cls ? APP_DATA_GRID : APP_DATA_CURVE };
    /* model inputs: the other features at their mean, the first two set per cell */
    for (int c = 0; c < cells; c++)
        for (int j = 0; j < d; j++)
            v->x[(size_t)c * d + j] = v->mean[j];
    surface_domain b = v->rd.box;
    for (int c = 0; c < cells; c++) {
        double *row = v->x + (size_t)c * d;
        if (cls) {
            int i = c % APP_DATA_GRID, j = c / APP_DATA_GRID;
            row[0] = b.xmin + (i + 0.5) * (b.xmax - b.xmin) / APP_DATA_GRID;
            if (d > 1)
                row[1] = b.ymin + (j + 0.5) * (b.ymax - b.ymin) / APP_DATA_GRID;
        } else {
            row[0] = b.xmin + (b.xmax - b.xmin) * c / (APP_DATA_CURVE - 1);
        }
    }
    return 1;
}

/* Run i's predictions on the cells (evaluation mode), and what they are of. */
static void predict_run(app_data_view *v, const app_problem *p, int i)
{
    int cls = v->rd.n_classes > 0, cells = cls ? APP_DATA_GRID * APP_DATA_GRID : APP_DATA_CURVE;
    int k = model_output_count(p->model);
    const trainer_run *r = trainer_run_get(p->trainer, i);
    float *g = v->pred + (size_t)i * cells;
    model_predict(p->model, r->theta, r->aux, v->x, cells, v->out);
    for (int c = 0; c < cells; c++) {
        const double *o = v->out + (size_t)c * k;
        if (!cls) {
            g[c] = (float)o[0];
        } else if (v->rd.n_classes == 2) {
            g[c] = (float)((k == 1 ? o[0] : o[1]) - 0.5);
        } else {
            int best = 0;
            for (int q = 1; q < k; q++)
                if (o[q] > o[best])
                    best = q;
            g[c] = (float)best;
        }
    }
    v->rd.pred[i] = r->diverged ? NULL : g;
    v->have[i] = 1;
    v->pred_step[i] = r->steps;
    v->pred_seq[i] = ++v->seq;
    v->predicted++;
}

/* 1 if run i's θ and aux are what its predictions are of (and it diverged as they say). */
static int run_same(app_data_view *v, const app_problem *p, int i)
{
    const trainer_run *r = trainer_run_get(p->trainer, i);
    int na = v->n_at - p->n;
    double *at = v->at + (size_t)i * v->n_at;
    int same = v->have[i] && memcmp(at, r->theta, (size_t)p->n * sizeof *at) == 0 &&
               (na == 0 || memcmp(at + p->n, r->aux, (size_t)na * sizeof *at) == 0) &&
               (v->rd.pred[i] != NULL) == !r->diverged;
    return same;
}

static void take_params(app_data_view *v, const app_problem *p, int i)
{
    const trainer_run *r = trainer_run_get(p->trainer, i);
    int na = v->n_at - p->n;
    double *at = v->at + (size_t)i * v->n_at;
    memcpy(at, r->theta, (size_t)p->n * sizeof *at);
    if (na > 0)
        memcpy(at + p->n, r->aux, (size_t)na * sizeof *at);
}

const render_data *app_data_view_update(app_data_view *v, const app_problem *p, int selected,
                                        int surface_batch, int max_runs)
{
    if (!p->is_data || !p->train || p->train->n <= 0)
        return NULL;
    if (v->of != p) {
        app_data_view_free(v);
        if (!take_samples(v, p)) {
            app_data_view_free(v);
            return NULL;
        }
    }
    int nr = p->n_runs < 8 ? p->n_runs : 8;
    int stale[TRAINER_MAX_RUNS], ns = 0;
    for (int i = 0; i < nr; i++)
        if (!run_same(v, p, i))
            stale[ns++] = i;
    /* the oldest predictions first (never computed: oldest of all) */
    for (int a = 1; a < ns; a++)
        for (int b = a; b > 0; b--) {
            int x = stale[b - 1], y = stale[b];
            unsigned long sx = v->have[x] ? v->pred_seq[x] : 0, sy = v->have[y] ? v->pred_seq[y] : 0;
            if (sx <= sy)
                break;
            stale[b - 1] = y;
            stale[b] = x;
        }
    if (max_runs > 0 && ns > max_runs)
        ns = max_runs;
    for (int q = 0; q < ns; q++) {
        take_params(v, p, stale[q]);
        predict_run(v, p, stale[q]);
    }
    int count = 0;
    const int *b = trainer_last_batch(p->trainer, 0, &count);
    v->rd.batch = b && count > 0 && count < p->train->n ? b : NULL;
    v->rd.batch_n = v->rd.batch ? count : 0;
    v->rd.regions_run = selected >= 0 && selected < p->n_runs ? selected : -1;
    v->rd.surface_batch = surface_batch;
    return &v->rd;
}

/* ==== Series ==== */

int app_sharp_view(const app_problem *p, render_sharp *out)
{
    if (!p->sharp)
        return 0;
    for (int i = 0; i < p->n_runs; i++) {
        const app_sharp *s = &p->sharp[i];
        int ready = 0;   /* the samples up to the first still being computed */
        while (ready < s->count && !s->pend[ready])
            ready++;
        out[i] = (render_sharp){ .count = ready, .step = s->step, .value = s->value };
    }
    return 1;
}

int app_series_view(const app_problem *p, render_series *out)
{
    if (!p->is_data || !p->series)
        return 0;
    int cls = p->train->task != DATA_REGRESSION;
    for (int i = 0; i < p->n_runs; i++) {
        const app_series *s = &p->series[i];
        out[i] = (render_series){ .count = s->count, .step = s->step,
                                  .train_loss = p->metrics_async ? s->train_loss : NULL,
                                  .fresh_step = p->metrics_async ? p->metrics_step : -1,
                                  .test_loss = p->test ? s->test_loss : NULL,
                                  .test_acc = cls && p->test ? s->test_acc : NULL,
                                  .train_acc = cls ? s->train_acc : NULL };
    }
    return 1;
}
