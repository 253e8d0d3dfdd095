/*
 * interpolate.c — --interpolate: the loss along the straight line between two
 * parameter vectors of a data problem (Goodfellow et al. 2015; core/interp.h), as a
 * CSV and as a curve.
 *
 * θ₀, θ₁ (with their batch-norm running statistics) come from two safetensors state
 * dicts (--interpolate A.safetensors,B.safetensors) or from run K's start and end
 * after --steps N (--interpolate run[:K]). Every point is a direct evaluation of the
 * model at θ(t) on the whole training set (and the test set), evaluation mode.
 *
 * CSV (--interpolate-csv): t,train_loss[,train_acc][,test_loss[,test_acc]] — the
 * accuracies for classification, the test columns with a test set; %.17g.
 *
 * The curve: the points of the CSV joined by straight lines in the 1-D curve view
 * (render/curve.c), the test loss as a second, dashed curve, marks at t = 0 and
 * t = 1. Underneath, the train losses are a 1-D grid surface (the cubic Hermite
 * interpolant that 1-D loss-landscape files get, exact at every point) for the
 * view's probe and its one frozen run (sgd, lr 0), which sits at t = 0.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/gridsurf.h"
#include "core/interp.h"
#include "core/outfile.h"
#include "core/statedict.h"

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* θ and aux of one end from a state dict: 1, or 0 after the one-line reason. */
static int load_end(const app_problem *p, const char *path, double *theta, double *aux)
{
    diag e = { 0 };
    if (!statedict_load(p->model, path, theta, aux, &e)) {
        fprintf(stderr, "losscape: --interpolate: %s: %s\n", path, e.msg);
        return 0;
    }
    return 1;
}

static void csv_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.17g", v);
    else
        fputc(',', f);
}

static int write_csv(const app_options *o, const app_problem *p, const interp_point *pt, int n)
{
    outfile of = { 0 };
    if (!outfile_open(&of, o->interp_csv)) {
        fprintf(stderr, "losscape: --interpolate-csv: %s\n", of.error);
        return of.missing_folder ? APP_EXIT_BAD_INPUT : APP_EXIT_RUNTIME;
    }
    int classes = p->train->task == DATA_CLASSIFICATION, test = p->test != NULL;
    fprintf(of.f, "t,train_loss%s%s%s\n", classes ? ",train_acc" : "", test ? ",test_loss" : "",
            test && classes ? ",test_acc" : "");
    for (int k = 0; k < n; k++) {
        fprintf(of.f, "%.17g", pt[k].t);
        csv_num(of.f, pt[k].train_loss);
        if (classes)
            csv_num(of.f, pt[k].train_acc);
        if (test)
            csv_num(of.f, pt[k].test_loss);
        if (test && classes)
            csv_num(of.f, pt[k].test_acc);
        fputc('\n', of.f);
    }
    if (!outfile_commit(&of)) {
        fprintf(stderr, "losscape: --interpolate-csv: %s\n", of.error);
        return APP_EXIT_RUNTIME;
    }
    return APP_EXIT_OK;
}

/* The curve in the window, --screenshot or --record. */
static int show_curve(app_options *o, const interp_point *pt, int n)
{
    double *x = malloc((size_t)n * 3 * sizeof *x);
    scene *sc = malloc(sizeof *sc);
    app_options *o2 = malloc(sizeof *o2);
    app_problem *q = calloc(1, sizeof *q);
    int status = APP_EXIT_RUNTIME;
    if (!x || !sc || !o2 || !q) {
        fprintf(stderr, "losscape: out of memory\n");
        goto out;
    }
    double *v = x + n, *test = x + 2 * n;
    int has_test = 1;
    for (int k = 0; k < n; k++) {
        x[k] = pt[k].t;
        v[k] = pt[k].train_loss;
        test[k] = pt[k].test_loss;
        has_test &= isfinite(test[k]) != 0;
    }
    diag err = { 0 };
    double y0 = 0;
    gridsurf *g = gridsurf_create(x, n, &y0, 1, v, &err);
    if (!g) {   /* a loss that is not finite somewhere along the line */
        fprintf(stderr, "losscape: --interpolate: the train loss along the line: %s\n", err.msg);
        status = APP_EXIT_RUNTIME;
        goto out;
    }
    /* the scene for the curve: one frozen run at t = 0, which the curve view does not
     * draw (render_frame.samples_only), nothing else of the data's; no legend of runs,
     * no loss or rate plots (there is no training to plot) */
    *sc = o->scene;
    sc->data[0] = sc->model[0] = sc->params[0] = sc->landscape[0] = '\0';
    scene_clear_opts(sc);
    sc->has_lr = 0;
    sc->batch = 0;
    sc->n_events = 0;
    sc->layout = SCENE_LAYOUT_OVERLAY;
    sc->overlays &= ~(unsigned)(SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT);
    sc->has_start = 1;
    sc->start[0] = 0;
    sc->start[1] = 0;
    sc->has_domain = 1;
    sc->domain_auto = 0;
    sc->domain = (surface_domain){ x[0], x[n - 1], -1, 1 };
    char spec[160], name[40];
    snprintf(name, sizeof name, "%.39s", o->interp_name[0]);
    for (char *c = name; *c; c++)   /* a label has no commas */
        if (*c == ',')
            *c = ' ';
    snprintf(spec, sizeof spec, "sgd:lr=0,label=t=0: %s", name);
    if (!scene_set(sc, "opt", spec, &err) || !app_problem_create_grid(q, sc, g, "train_loss", &err)) {
        fprintf(stderr, "losscape: --interpolate: %s\n", err.msg);
        goto out;
    }
    *o2 = *o;
    o2->scene = *sc;
    o2->steps = 0;
    o2->interp_t = x;
    o2->interp_train = v;
    o2->interp_test = has_test ? test : NULL;
    o2->interp_npts = n;
#ifdef LOSSCAPE_NO_RECORDER
    status = app_window_run(o2, q);
#else
    if (o2->record_path)
        status = app_record_run(o2, q);
    else if (o2->screenshot_path)
        status = app_offscreen_run(o2, q);
    else
        status = app_window_run(o2, q);
#endif
    app_problem_destroy(q);
out:
    free(x);
    free(sc);
    free(o2);
    free(q);
    return status;
}

int app_interpolate_run(app_options *o, app_problem *p)
{
    if (!p->is_data) {
        fprintf(stderr, "losscape: --interpolate: needs a data problem (--data, --model)\n");
        return APP_EXIT_BAD_INPUT;
    }
    int n = p->n, na = model_aux_count(p->model), npts = o->interp_n > 1 ? o->interp_n : 81;
    double *buf = malloc((2 * (size_t)n + 2 * (size_t)na + 2) * sizeof *buf);
    interp_point *pt = malloc((size_t)npts * sizeof *pt);
    int status = APP_EXIT_OK;
    if (!buf || !pt) {
        fprintf(stderr, "losscape: out of memory\n");
        status = APP_EXIT_RUNTIME;
        goto out;
    }
    double *th0 = buf, *th1 = buf + n, *aux0 = buf + 2 * n, *aux1 = aux0 + na;
    model_aux_init(p->model, aux0);
    model_aux_init(p->model, aux1);
    if (o->interp_from) {
        if (!load_end(p, o->interp_from, th0, aux0) || !load_end(p, o->interp_to, th1, aux1)) {
            status = APP_EXIT_BAD_INPUT;
            goto out;
        }
        snprintf(o->interp_name[0], sizeof o->interp_name[0], "%s", base_name(o->interp_from));
        snprintf(o->interp_name[1], sizeof o->interp_name[1], "%s", base_name(o->interp_to));
    } else {
        int k = o->interp_run;
        if (k >= p->n_runs) {
            fprintf(stderr, "losscape: --interpolate: run:%d: the scene has %d run%s\n", k + 1,
                    p->n_runs, p->n_runs == 1 ? "" : "s");
            status = APP_EXIT_BAD_INPUT;
            goto out;
        }
        memcpy(th0, p->theta0, (size_t)n * sizeof *th0);
        if (p->aux0)
            memcpy(aux0, p->aux0, (size_t)na * sizeof *aux0);
        long steps = o->steps >= 0 ? o->steps : (o->scene.steps > 0 ? o->scene.steps : 500);
        trainer_set_lazy_loss(p->trainer, 1);
        for (long s = 0; s < steps && app_problem_step(p) > 0; s++)
            ;
        const trainer_run *r = trainer_run_get(p->trainer, k);
        if (r->diverged)
            fprintf(stderr, "losscape: --interpolate: run %d diverged at step %ld; its last finite "
                            "point is the end\n", k + 1, r->diverged_at);
        memcpy(th1, r->theta, (size_t)n * sizeof *th1);
        if (r->aux && na > 0)
            memcpy(aux1, r->aux, (size_t)na * sizeof *aux1);
        char label[RUN_LABEL_MAX + 16];
        app_problem_run_label(p, k, label, sizeof label);
        snprintf(o->interp_name[0], sizeof o->interp_name[0], "start of %.80s", label);
        snprintf(o->interp_name[1], sizeof o->interp_name[1], "%.60s after %ld steps", label, r->steps);
    }
    interp_desc d = { .model = p->model, .loss = p->loss, .train = p->train, .test = p->test,
                      .theta0 = th0, .theta1 = th1, .aux0 = aux0, .aux1 = aux1 };
    for (int k = 0; k < npts; k++) {
        /* t = 0 and t = 1 exactly where the grid has them: (1 − t)θ₀ + tθ₁ is then θ₀ or θ₁ */
        double t = o->interp_t0 + (o->interp_t1 - o->interp_t0) * k / (npts - 1);
        if (!interp_eval(&d, t, &pt[k])) {
            fprintf(stderr, "losscape: out of memory\n");
            status = APP_EXIT_RUNTIME;
            goto out;
        }
    }
    if (o->interp_csv)
        status = write_csv(o, p, pt, npts);
    if (status != APP_EXIT_OK)
        goto out;
    if (o->headless) {
        /* a summary: the two ends and the highest point between them */
        FILE *sum = o->interp_csv && strcmp(o->interp_csv, "-") == 0 ? stderr : stdout;
        interp_point e[2];
        if (!interp_eval(&d, 0, &e[0]) || !interp_eval(&d, 1, &e[1])) {
            fprintf(stderr, "losscape: out of memory\n");
            status = APP_EXIT_RUNTIME;
            goto out;
        }
        int top = -1;
        for (int k = 0; k < npts; k++)
            if (pt[k].t >= 0 && pt[k].t <= 1 && isfinite(pt[k].train_loss) &&
                (top < 0 || pt[k].train_loss > pt[top].train_loss))
                top = k;
        fprintf(sum, "t=0 (%s): train loss %.6g\nt=1 (%s): train loss %.6g\n", o->interp_name[0],
                e[0].train_loss, o->interp_name[1], e[1].train_loss);
        if (top >= 0)
            fprintf(sum, "highest train loss for t in [0, 1] (of the %d points): %.6g at t=%g\n",
                    npts, pt[top].train_loss, pt[top].t);
        goto out;
    }
    if (!o->title) {
        static char title[240];
        snprintf(title, sizeof title, "(1 - t)·θ₀ + t·θ₁: %.100s → %.100s", o->interp_name[0],
                 o->interp_name[1]);
        o->title = title;
    }
    status = show_curve(o, pt, npts);
out:
    free(buf);
    free(pt);
    return status;
}
