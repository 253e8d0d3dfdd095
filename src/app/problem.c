/*
 * problem.c — building what a scene describes: the surface, its objective, the
 * trainer with one run per optimizer, and (on demand) the critical points.
 */
#include <math.h>
#include <string.h>

#include "app/app.h"

int app_problem_create(app_problem *p, const scene *sc, diag *err)
{
    memset(p, 0, sizeof *p);
    p->n_crit = -1;
    if (sc->data[0]) {
        diag_set(err, 0, 0, "data: data-set problems are not available in this build yet");
        return 0;
    }
    if (!surface_init(&p->surf, sc->surface, err))
        return 0;
    p->domain = sc->has_domain ? sc->domain : p->surf.domain;
    if (sc->has_start) {
        p->start[0] = sc->start[0];
        p->start[1] = sc->start[1];
    } else if (p->surf.kind != SURFACE_FORMULA) {
        const surface_info *in = surface_info_get(p->surf.kind);
        p->start[0] = in->start[0];
        p->start[1] = in->start[1];
    } else {
        /* A formula has no default start: a point off-centre in its domain. */
        p->start[0] = p->domain.xmin + 0.2 * (p->domain.xmax - p->domain.xmin);
        p->start[1] = p->domain.ymin + 0.8 * (p->domain.ymax - p->domain.ymin);
    }
    double v = surface_eval(&p->surf, p->start[0], p->start[1], NULL, NULL);
    if (!isfinite(v)) {
        diag_set(err, 0, 0, "start: the surface is not finite at (%g, %g)", p->start[0], p->start[1]);
        surface_free(&p->surf);
        return 0;
    }
    p->obj = objective_from_surface(&p->surf);
    p->n_runs = sc->n_opts;
    for (int i = 0; i < p->n_runs; i++) {
        p->opts[i] = sc->opts[i];
        if (sc->lr > 0)
            p->opts[i].lr = sc->lr;
    }
    p->trainer = trainer_create(&(trainer_desc){
        .obj = &p->obj,
        .theta0 = p->start,
        .n_runs = p->n_runs,
        .opts = p->opts,
        .schedule = sc->schedule,
        .batch = sc->batch,
        .seed = sc->seed,
    });
    if (!p->trainer) {
        diag_set(err, 0, 0, "out of memory");
        surface_free(&p->surf);
        return 0;
    }
    return 1;
}

void app_problem_destroy(app_problem *p)
{
    trainer_destroy(p->trainer);
    surface_free(&p->surf);
    memset(p, 0, sizeof *p);
}

void app_problem_restart(app_problem *p, double x, double y)
{
    p->start[0] = x;
    p->start[1] = y;
    trainer_reset(p->trainer, p->start);
}

static double surface_fn2(const void *ctx, double x, double y, double grad[2], double hess[4])
{
    return surface_eval((const surface *)ctx, x, y, grad, hess);
}

int app_problem_critical_points(app_problem *p)
{
    if (p->n_crit < 0) {
        int n = critical_points_find(surface_fn2, &p->surf, p->domain.xmin, p->domain.xmax,
                                     p->domain.ymin, p->domain.ymax, p->crit, APP_MAX_CRITICAL);
        p->n_crit = n < APP_MAX_CRITICAL ? n : APP_MAX_CRITICAL;
    }
    return p->n_crit;
}
