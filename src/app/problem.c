/*
 * problem.c — building what a scene describes, and the 2-D view of it.
 *
 * Two kinds of problem present the same face to the modes and the renderer:
 *   a surface      a built-in or a formula; the parameters are (x, y) themselves;
 *   a data set     a model and a loss on a data set (train part; an optional held-out
 *                  test part); the view is a plane through parameter space, the
 *                  identity for a two-parameter model.
 * The view functions (eval_grid, eval_point, project) work in plane coordinates (a, b).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "render/i18n.h"
#include "app/h5io.h"
#include "core/statedict.h"

/* ==== Building ============================================================== */

static int build_runs(app_problem *p, const scene *sc, diag *err)
{
    p->n_runs = sc->n_opts;
    trainer_run_opts ro[TRAINER_MAX_RUNS];
    for (int i = 0; i < p->n_runs; i++) {
        p->opts[i] = sc->opts[i];
        p->runs[i] = sc->runs[i];
        ro[i] = sc->runs[i].t;
        if (sc->has_lr) {
            p->opts[i].lr = sc->lr;
            if (sc->lr == 0)   /* 0 on purpose: a frozen run, not "the default" */
                p->opts[i].zero_mask |= OPTIM_ZERO_LR;
        }
        if (p->is_data && ro[i].has_batch && ro[i].batch > p->train->n)
            return diag_set(err, 0, 0, "opt %d: batch %d is larger than the %d training samples",
                            i + 1, ro[i].batch, p->train->n);
    }
    p->trainer = trainer_create(&(trainer_desc){
        .obj = &p->obj,
        .theta0 = p->theta0,
        .n_runs = p->n_runs,
        .opts = p->opts,
        .schedule = sc->schedule,
        .batch = sc->batch,
        .seed = sc->seed,
        .own_batches = sc->own_batches,
        .run_opts = ro,
    });
    if (!p->trainer)
        return diag_set(err, 0, 0, "out of memory");
    return 1;
}

/* g: a grid made by the caller (taken; its dataset name `name`), else the scene's
 * landscape file or surface. */
static int build_surface(app_problem *p, const scene *sc, gridsurf *g0, const char *name, diag *err)
{
    if (g0) {
        surface_init_grid(&p->surf, g0, name);
    } else if (sc->landscape[0]) {
        gridsurf *g = NULL;
        diag e2 = { 0 };
        const char *key = sc->landscape_key[0] ? sc->landscape_key : "train_loss";
        if (!h5io_load_surface(sc->landscape, key, &g, &e2))
            return diag_set(err, 0, 0, "landscape: %s: %s", sc->landscape, e2.msg);
        surface_init_grid(&p->surf, g, key);
    } else if (!surface_init(&p->surf, sc->surface, err)) {
        return 0;
    }
    p->n = 2;
    p->domain = sc->has_domain ? sc->domain : p->surf.domain;
    if (sc->has_start) {
        p->start[0] = sc->start[0];
        p->start[1] = sc->start[1];
    } else if (p->surf.kind < SURFACE_FORMULA) {
        const surface_info *in = surface_info_get(p->surf.kind);
        p->start[0] = in->start[0];
        p->start[1] = in->start[1];
    } else {
        /* A formula has no default start: a point off-centre in its domain. */
        p->start[0] = p->domain.xmin + 0.2 * (p->domain.xmax - p->domain.xmin);
        p->start[1] = p->domain.ymin + 0.8 * (p->domain.ymax - p->domain.ymin);
    }
    double v = surface_eval(&p->surf, p->start[0], p->start[1], NULL, NULL);
    if (!isfinite(v))
        return diag_set(err, 0, 0, "start: the surface is not finite at (%g, %g)", p->start[0],
                        p->start[1]);
    p->obj = objective_from_surface(&p->surf);
    p->theta0 = malloc(2 * sizeof(double));
    if (!p->theta0)
        return diag_set(err, 0, 0, "out of memory");
    p->theta0[0] = p->start[0];
    p->theta0[1] = p->start[1];
    return 1;
}

/* A domain for a two-parameter data problem that shows the start and where the
 * optimizers go: the box around θ0 and an estimate of the minimum (a scout run of
 * full-batch Adam), widened by 40% and at least 1 wide. Deterministic. */
static surface_domain scout_domain(app_problem *p)
{
    double th[2] = { p->theta0[0], p->theta0[1] }, g[2];
    optim_desc d = { .kind = OPT_ADAM, .lr = 0.05 };
    optim_desc_defaults(&d);
    optim *o = optim_create(&d, 2);
    double lo[2] = { th[0], th[1] }, hi[2] = { th[0], th[1] };
    for (int k = 0; o && k < 1500; k++) {
        double v = p->obj.eval(p->obj.ctx, th, NULL, 0, g, NULL, 0);
        if (!isfinite(v) || !optim_step(o, th, g, d.lr))
            break;
    }
    optim_destroy(o);
    for (int c = 0; c < 2; c++) {
        if (isfinite(th[c])) {
            lo[c] = fmin(lo[c], th[c]);
            hi[c] = fmax(hi[c], th[c]);
        }
        double mid = 0.5 * (lo[c] + hi[c]), half = fmax(0.7 * (hi[c] - lo[c]), 0.5);
        lo[c] = mid - half;
        hi[c] = mid + half;
    }
    return (surface_domain){ lo[0], hi[0], lo[1], hi[1] };
}

static int build_data(app_problem *p, const scene *sc, diag *err)
{
    model_desc md = { 0 };
    if (sc->model[0] && !model_desc_parse(sc->model, &md, err)) {
        char m[DIAG_MSG_MAX];
        memcpy(m, err->msg, sizeof m);
        return diag_set(err, 0, err->column, "model: column %d: %.200s", err->column, m);
    }
    int want_classes = md.kind == MODEL_LOGISTIC || md.kind == MODEL_SOFTMAX ||
                       sc->loss == SCENE_LOSS_CE;
    dataset *all = data_load(sc->data, sc->seed, want_classes, err);
    if (!all)
        return 0;
    if (!data_split_take(all, sc->split, sc->seed, &p->train, &p->test, err))
        return 0;
    /* A bias-free linear model keeps the same regression only if the features are
     * scaled without centring (data.h: data_scale_features). */
    if (sc->standardize && md.no_bias && md.kind != MODEL_MLP)
        data_scale_features(p->train, p->test);
    else if (sc->standardize)
        data_standardize(p->train, p->test);
    p->model = model_create(&md, p->train->d, p->train->task, p->train->n_classes, err);
    if (!p->model)
        return 0;
    if (sc->batch > p->train->n)
        return diag_set(err, 0, 0, "batch: %d is larger than the %d training samples", sc->batch,
                        p->train->n);
    p->loss = sc->loss == SCENE_LOSS_MSE ? LOSS_MSE : sc->loss == SCENE_LOSS_CE ? LOSS_CE
                                                                                : LOSS_DEFAULT;
    if (p->loss == LOSS_CE && p->train->task == DATA_REGRESSION)
        return diag_set(err, 0, 0, "loss: cross-entropy needs a classification data set");
    p->mctx = (model_objective_ctx){ .model = p->model, .data = p->train, .loss = p->loss };
    p->obj = model_objective(&p->mctx);
    p->n = p->obj.n;
    p->is_data = 1;
    p->eval_every = sc->eval_every > 0 ? sc->eval_every : 10;

    /* θ0: the model's initial parameters; the view plane goes through them. */
    double *init = malloc((size_t)p->n * sizeof(double));
    p->theta0 = malloc((size_t)p->n * sizeof(double));
    if (!init || !p->theta0) {
        free(init);
        return diag_set(err, 0, 0, "out of memory");
    }
    model_init_params(p->model, sc->seed, init);
    if (sc->params[0]) {
        /* A PyTorch state dict replaces the initial θ and moving averages. */
        int na = model_aux_count(p->model);
        p->aux0 = malloc(((size_t)na + 1) * sizeof *p->aux0);
        if (!p->aux0) {
            free(init);
            return diag_set(err, 0, 0, "out of memory");
        }
        model_aux_init(p->model, p->aux0);
        diag e2 = { 0 };
        if (!statedict_load(p->model, sc->params, init, p->aux0, &e2)) {
            free(init);
            return diag_set(err, 0, 0, "params: %s: %s", sc->params, e2.msg);
        }
        p->mctx.aux0 = p->aux0;
    }
    if (p->n == 2) {
        p->plane = plane_create_identity(2);
    } else if (sc->plane_kind == SCENE_PLANE_PARAMS) {
        if (sc->plane_params[0] >= p->n || sc->plane_params[1] >= p->n) {
            free(init);
            return diag_set(err, 0, 0, "plane: the model has only %d parameters (0..%d)", p->n,
                            p->n - 1);
        }
        p->plane = plane_create_params(init, p->n, sc->plane_params[0], sc->plane_params[1]);
    } else {
        /* Random filter-normalized directions; a PCA plane needs trajectories, so
         * it is made later from the runs (plane = pca: after the headless run). */
        p->plane = plane_create_random(init, p->n, p->model, sc->seed);
    }
    if (!p->plane) {
        free(init);
        return diag_set(err, 0, 0, "out of memory");
    }
    /* Start: the scene's start is a point of the plane; default the plane's origin. */
    if (sc->has_start) {
        p->start[0] = sc->start[0];
        p->start[1] = sc->start[1];
    } else {
        plane_project(p->plane, init, p->start);
    }
    plane_point(p->plane, p->start[0], p->start[1], p->theta0);
    free(init);
    double v = objective_eval(&p->obj, p->theta0, NULL, 0, NULL);
    if (!isfinite(v))
        return diag_set(err, 0, 0, "start: the loss is not finite at (%g, %g)", p->start[0],
                        p->start[1]);
    if (sc->has_domain)
        p->domain = sc->domain;
    else if (p->n == 2)
        p->domain = scout_domain(p);
    else
        p->domain = (surface_domain){ p->start[0] - 1, p->start[0] + 1, p->start[1] - 1,
                                      p->start[1] + 1 };
    p->series = calloc((size_t)sc->n_opts, sizeof *p->series);
    if (!p->series)
        return diag_set(err, 0, 0, "out of memory");
    for (int i = 0; i < sc->n_opts; i++)
        p->series[i].stride = 1;
    return 1;
}

int app_plane_pca_fit(const double *theta0, int n, const double *pts, int count, plane **out,
                      surface_domain *dom)
{
    plane *pl = plane_create_pca(theta0, n, pts, count);
    if (!pl)
        return 0;
    /* The new view: the start is the origin; the domain holds every trajectory. */
    double lo[2] = { 0, 0 }, hi[2] = { 0, 0 };
    for (int k = 0; k < count; k++) {
        double ab[2];
        plane_project(pl, pts + (size_t)k * n, ab);
        for (int c = 0; c < 2; c++) {
            lo[c] = fmin(lo[c], ab[c]);
            hi[c] = fmax(hi[c], ab[c]);
        }
    }
    for (int c = 0; c < 2; c++) {
        double mid = 0.5 * (lo[c] + hi[c]), half = fmax(0.65 * (hi[c] - lo[c]), 0.1);
        lo[c] = mid - half;
        hi[c] = mid + half;
    }
    *out = pl;
    *dom = (surface_domain){ lo[0], hi[0], lo[1], hi[1] };
    return 1;
}

void app_problem_set_plane(app_problem *p, plane *pl, surface_domain dom)
{
    plane_destroy(p->plane);
    p->plane = pl;
    p->start[0] = p->start[1] = 0;
    p->domain = dom;
    p->n_crit = -1;
}

int app_problem_plane_pca(app_problem *p)
{
    if (!p->is_data || p->n <= 2)
        return 0;
    int total = 0;
    for (int i = 0; i < p->n_runs; i++) {
        int count;
        trainer_history(p->trainer, i, &count);
        total += count;
    }
    double *pts = malloc((size_t)total * (size_t)p->n * sizeof(double));
    if (!pts)
        return 0;
    int k = 0;
    for (int i = 0; i < p->n_runs; i++) {
        int count;
        trainer_history(p->trainer, i, &count);
        for (int j = 0; j < count; j++, k++)
            memcpy(pts + (size_t)k * p->n, trainer_history_theta(p->trainer, i, j),
                   (size_t)p->n * sizeof(double));
    }
    plane *pl;
    surface_domain dom;
    int ok = app_plane_pca_fit(p->theta0, p->n, pts, total, &pl, &dom);
    free(pts);
    if (!ok)
        return 0;
    app_problem_set_plane(p, pl, dom);
    return 1;
}

/* Fire every event due at the trainer's current step count (trainer events applied
 * here; fired_from..fired_to tells the window which fired). */
static void fire_events(app_problem *p)
{
    long k = trainer_steps(p->trainer);
    p->fired_from = p->next_event;
    while (p->next_event < p->n_events && p->events[p->next_event].step <= k) {
        const timeline_event *ev = &p->events[p->next_event++];
        for (int i = 0; i < p->n_runs; i++) {
            if (ev->run >= 0 && ev->run != i)
                continue;
            if (ev->kind == TL_LR) {
                optim_desc d = *optim_desc_get(trainer_run_get(p->trainer, i)->opt);
                d.lr = ev->v[0];
                trainer_set_optim(p->trainer, i, &d);
            } else if (ev->kind == TL_BATCH && p->is_data) {
                int b = ev->batch > p->train->n ? 0 : ev->batch;
                if (ev->run < 0 && i == 0)
                    trainer_set_batch(p->trainer, b);
                else if (ev->run >= 0)
                    trainer_set_run_batch(p->trainer, i, b);
            } else if (ev->kind == TL_SCHEDULE) {
                trainer_set_run_schedule(p->trainer, i, &ev->schedule);
            }
        }
    }
    p->fired_to = p->next_event;
}

/* Back to the runs as built, then the events due at step 0 (a restart). */
static void timeline_restart(app_problem *p)
{
    if (p->n_events == 0) {
        p->fired_from = p->fired_to = 0;
        return;
    }
    for (int i = 0; i < p->n_runs; i++) {
        trainer_set_optim(p->trainer, i, &p->opts0[i]);
        p->opts[i] = p->opts0[i];
        trainer_set_run_schedule(p->trainer, i, p->runs[i].t.has_schedule ? &p->runs[i].t.schedule : NULL);
    }
    trainer_set_batch(p->trainer, p->batch0);
    for (int i = 0; i < p->n_runs; i++)
        if (p->runs[i].t.has_batch)
            trainer_set_run_batch(p->trainer, i, p->runs[i].t.batch);
    p->next_event = 0;
    fire_events(p);
}

int app_problem_create(app_problem *p, const scene *sc, diag *err)
{
    memset(p, 0, sizeof *p);
    p->n_crit = -1;
    p->metrics_step = -1;
    if (sc->landscape[0] && sc->data[0])
        return diag_set(err, 0, 0, "landscape: a landscape file is a surface; it does not go with --data");
    if (sc->params[0] && !sc->data[0])
        return diag_set(err, 0, 0, "params: a state dict needs a data problem (--data, --model)");
    int ok = sc->data[0] ? build_data(p, sc, err) : build_surface(p, sc, NULL, NULL, err);
    if (ok)
        ok = build_runs(p, sc, err);
    if (ok) {
        p->n_events = sc->n_events;
        memcpy(p->events, sc->events, (size_t)sc->n_events * sizeof sc->events[0]);
        memcpy(p->opts0, p->opts, sizeof p->opts0);
        p->batch0 = sc->batch;
        fire_events(p);
    }
    if (ok && p->is_data)
        app_problem_step_metrics(p);
    if (!ok)
        app_problem_destroy(p);
    return ok;
}

int app_problem_create_grid(app_problem *p, const scene *sc, gridsurf *g, const char *name,
                            diag *err)
{
    memset(p, 0, sizeof *p);
    p->n_crit = -1;
    int ok = build_surface(p, sc, g, name, err) && build_runs(p, sc, err);
    if (ok) {
        memcpy(p->opts0, p->opts, sizeof p->opts0);
        p->batch0 = sc->batch;
    } else {
        app_problem_destroy(p);
    }
    return ok;
}

void app_problem_destroy(app_problem *p)
{
    trainer_destroy(p->trainer);
    surface_free(&p->surf);
    plane_destroy(p->plane);
    model_destroy(p->model);
    data_destroy(p->train);
    data_destroy(p->test);
    free(p->theta0);
    free(p->aux0);
    free(p->series);
    free(p->sharp);
    memset(p, 0, sizeof *p);
}

const char *app_title(const app_options *o, const scene *sc)
{
    if (o && o->title)
        return o->title;
    if (o && o->lang_zh && sc->title_zh[0])
        return sc->title_zh;
    return sc->title;
}

long app_sharpness_every(const app_options *o, const scene *sc)
{
    return o && o->sharpness_every > 0 ? o->sharpness_every : sc->sharpness;
}

const char *app_caption(const app_options *o, const scene *sc)
{
    if (o && o->lang_zh && sc->caption_zh[0])
        return sc->caption_zh;
    return sc->caption[0] ? sc->caption : NULL;
}

int app_locale_is_zh(void)
{
    const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && v[0])
            return strncmp(v, "zh", 2) == 0;
    }
    return 0;
}

/* The scene's own words for panel k (0 this scene, 1 the compare problem) into
 * label, if it has them. */
static void own_panel_label(const scene *sc, int zh, int k, char *label)
{
    const char *en = k ? sc->compare_label : sc->panel_label;
    const char *cn = k ? sc->compare_label_zh : sc->panel_label_zh;
    const char *t = zh && cn[0] ? cn : en;
    if (t[0])
        snprintf(label, 160, "%.159s", t);
}

static int compare_labels(const scene *sc, const app_problem *p, scene *out, char label[2][160], diag *err)
{
    if (sc->compare[0]) {
        snprintf(label[0], 160, "%s", _("this scene"));
        snprintf(label[1], 160, _("compare: %.140s"), sc->compare);
        return scene_compare_scene(sc, out, err) ? 1 : -1;
    }
    if (!p->is_data)
        return 0;
    *out = *sc;
    if (p->train->task != DATA_REGRESSION) {
        int ce = p->loss != LOSS_MSE;
        out->loss = ce ? SCENE_LOSS_MSE : SCENE_LOSS_CE;
        snprintf(label[0], 160, _("loss: %s"), ce ? _("cross-entropy") : _("mean squared error"));
        snprintf(label[1], 160, _("loss: %s"), ce ? _("mean squared error") : _("cross-entropy"));
    } else {
        out->standardize = !sc->standardize;
        snprintf(label[0], 160, "%s", sc->standardize ? _("features standardized") : _("features as given"));
        snprintf(label[1], 160, "%s", sc->standardize ? _("features as given") : _("features standardized"));
    }
    return 1;
}

int app_compare_scene(const scene *sc, const app_problem *p, int zh, scene *out, char label[2][160],
                      diag *err)
{
    int got = compare_labels(sc, p, out, label, err);
    if (got > 0)
        for (int k = 0; k < 2; k++)
            own_panel_label(sc, zh, k, label[k]);
    return got;
}

/* ==== Stepping and metrics ================================================== */

/* Append a sample; when full, drop every other sample and sample half as often. */
static void series_push(app_series *s, long step, double test_loss, double test_acc,
                        double train_acc, double train_loss)
{
    if (s->count == APP_SERIES_CAP) {
        int keep = 0;
        for (int j = 0; j < s->count; j += 2, keep++) {
            s->step[keep] = s->step[j];
            s->test_loss[keep] = s->test_loss[j];
            s->test_acc[keep] = s->test_acc[j];
            s->train_acc[keep] = s->train_acc[j];
            s->train_loss[keep] = s->train_loss[j];
        }
        s->count = keep;
        s->stride *= 2;
    }
    s->step[s->count] = step;
    s->test_loss[s->count] = test_loss;
    s->test_acc[s->count] = test_acc;
    s->train_acc[s->count] = train_acc;
    s->train_loss[s->count] = train_loss;
    s->count++;
}

double app_problem_sharpness(const app_problem *p, int i)
{
    const trainer_run *r = trainer_run_get(p->trainer, i);
    if (!p->is_data) {
        double g[2], h[4];
        surface_eval(&p->surf, r->theta[0], r->theta[1], g, h);
        eig2 e;
        hessian_eig2(h, &e);
        return e.lambda[1];
    }
    return app_problem_sharpness_at(p, r->theta, r->aux);
}

double app_problem_sharpness_at(const app_problem *p, const double *theta, const double *aux)
{
    double lam[1];
    if (landscape_top_eigs(&p->obj, theta, NULL, 0, aux, 1, lam, 30) < 1)
        return NAN;
    return lam[0];
}

void app_problem_sharp_answer(app_problem *p, unsigned long gen, int run, long step, double value)
{
    if (!p->sharp || gen != p->sharp_gen || run < 0 || run >= p->n_runs)
        return;
    app_sharp *s = &p->sharp[run];
    for (int j = s->count - 1; j >= 0 && s->step[j] >= step; j--)
        if (s->step[j] == step && s->pend[j]) {
            s->value[j] = value;
            s->pend[j] = 0;
            return;
        }
}

/* Append run i's sharpness now (or its request: p->sharp_request); when full, drop
 * every other sample and sample half as often (as series_push). */
static void sharp_sample(app_problem *p)
{
    long step = trainer_steps(p->trainer);
    for (int i = 0; i < p->n_runs; i++) {
        app_sharp *s = &p->sharp[i];
        if ((step / p->sharp_every) % s->stride != 0)
            continue;
        const trainer_run *r = trainer_run_get(p->trainer, i);
        if (r->diverged)
            continue;
        if (s->count == APP_SHARP_CAP) {
            int keep = 0;
            for (int j = 0; j < s->count; j += 2, keep++) {
                s->step[keep] = s->step[j];
                s->value[keep] = s->value[j];
                s->pend[keep] = s->pend[j];
            }
            s->count = keep;
            s->stride *= 2;
            if ((step / p->sharp_every) % s->stride != 0)
                continue;
        }
        s->step[s->count] = r->steps;
        if (p->is_data && p->sharp_request) {
            s->value[s->count] = NAN;
            s->pend[s->count] = 1;
            if (!p->sharp_request(p->sharp_ctx, p, i, r->steps))
                continue;   /* not taken: no sample at this step */
        } else {
            s->value[s->count] = app_problem_sharpness(p, i);
            s->pend[s->count] = 0;
        }
        s->count++;
    }
}

int app_problem_set_sharpness(app_problem *p, long every)
{
    free(p->sharp);
    p->sharp = NULL;
    p->sharp_every = 0;
    if (every <= 0)
        return 1;
    p->sharp_gen++;
    p->sharp = calloc((size_t)p->n_runs, sizeof *p->sharp);
    if (!p->sharp)
        return 0;
    for (int i = 0; i < p->n_runs; i++)
        p->sharp[i].stride = 1;
    p->sharp_every = every;
    if (trainer_steps(p->trainer) % every == 0)
        sharp_sample(p);
    return 1;
}

/* Sample every run's test metrics now (evaluation mode, the run's moving averages). */
void app_problem_step_metrics(app_problem *p)
{
    long step = trainer_steps(p->trainer);
    for (int i = 0; i < p->n_runs; i++) {
        app_series *s = &p->series[i];
        if ((step / p->eval_every) % s->stride != 0)
            continue;
        const trainer_run *r = trainer_run_get(p->trainer, i);
        double test_loss = 0, test_acc = 0;
        if (p->test) {
            test_loss = model_loss(p->model, p->loss, p->test, r->theta, NULL, 0, NULL, r->aux, 0);
            test_acc = model_accuracy(p->model, r->theta, r->aux, p->test);
        }
        double train_acc = model_accuracy(p->model, r->theta, r->aux, p->train);
        if (!isfinite(test_loss))
            test_loss = 0;
        /* the full training loss, where the trainer has it at this θ (not lazy) */
        double train_loss = r->loss_step == r->steps ? r->loss : NAN;
        series_push(s, step, test_loss, test_acc, train_acc, train_loss);
    }
}

void app_problem_push_metrics(app_problem *p, int i, long step, double train_loss,
                              double train_acc, double test_loss, double test_acc)
{
    if (!p->series || i < 0 || i >= p->n_runs)
        return;
    if (!isfinite(test_loss))
        test_loss = 0;   /* as app_problem_step_metrics stores it */
    series_push(&p->series[i], step, test_loss, test_acc, train_acc, train_loss);
}

int app_problem_step(app_problem *p)
{
    int moved = trainer_step(p->trainer);
    fire_events(p);
    if (p->is_data && !p->metrics_async && trainer_steps(p->trainer) % p->eval_every == 0)
        app_problem_step_metrics(p);
    if (p->sharp && moved && trainer_steps(p->trainer) % p->sharp_every == 0)
        sharp_sample(p);
    return moved;
}

int app_problem_step_run(app_problem *p, int i, optim_parts *parts)
{
    int moved = trainer_step_run(p->trainer, i, parts);
    if (moved && p->is_data && !p->metrics_async && trainer_steps(p->trainer) % p->eval_every == 0)
        app_problem_step_metrics(p);
    if (moved && p->sharp && trainer_steps(p->trainer) % p->sharp_every == 0)
        sharp_sample(p);
    return moved;
}

void app_problem_restart(app_problem *p, double x, double y)
{
    p->start[0] = x;
    p->start[1] = y;
    if (p->is_data)
        plane_point(p->plane, x, y, p->theta0);
    else {
        p->theta0[0] = x;
        p->theta0[1] = y;
    }
    trainer_reset(p->trainer, p->theta0);
    timeline_restart(p);
    for (int i = 0; p->series && i < p->n_runs; i++) {
        p->series[i].count = 0;
        p->series[i].stride = 1;
    }
    if (p->is_data && !p->metrics_async)
        app_problem_step_metrics(p);   /* async: the worker's next result (app_metrics_forget) */
    p->metrics_step = -1;
    p->sharp_gen++;
    for (int i = 0; p->sharp && i < p->n_runs; i++) {
        p->sharp[i].count = 0;
        p->sharp[i].stride = 1;
    }
    if (p->sharp)
        sharp_sample(p);
}

/* ==== The 2-D view ============================================================ */

int app_problem_eval_grid(app_problem *p, surface_domain dom, int nx, int ny, int batch_only,
                          double *values)
{
    if (!p->is_data) {
        surface_eval_grid(&p->surf, dom, nx, ny, values, NULL);
        return 1;
    }
    int count = 0;
    const int *idx = batch_only ? trainer_last_batch(p->trainer, 0, &count) : NULL;
    return landscape_eval_grid(&(landscape_desc){
                                   .obj = &p->obj,
                                   .plane = p->plane,
                                   .model = p->model,
                                   .data = p->train,
                                   .loss = p->loss,
                                   .idx = idx,
                                   .count = idx ? count : 0,
                                   .dom = dom,
                                   .nx = nx,
                                   .ny = ny,
                               },
                               values);
}

/* Loss and plane gradient (∇L·d1, ∇L·d2) at (a, b) of a data problem. */
static double data_plane_eval(app_problem *p, double a, double b, double g2[2], double *theta,
                              double *grad)
{
    plane_point(p->plane, a, b, theta);
    double v = objective_eval(&p->obj, theta, NULL, 0, g2 ? grad : NULL);
    if (g2) {
        g2[0] = g2[1] = 0;
        for (int k = 0; k < p->n; k++) {
            g2[0] += grad[k] * p->plane->d1[k];
            g2[1] += grad[k] * p->plane->d2[k];
        }
    }
    return v;
}

double app_problem_eval_point(app_problem *p, double a, double b, double grad[2], double hess[4])
{
    if (!p->is_data)
        return surface_eval(&p->surf, a, b, grad, hess);
    double *theta = malloc(2 * (size_t)p->n * sizeof(double));
    if (!theta)
        return NAN;
    double *g = theta + p->n;
    double v = data_plane_eval(p, a, b, grad, theta, g);
    if (hess) {
        /* Central differences of the exact plane gradient. */
        double h = 1e-4 * fmax(1.0, fmax(fabs(a), fabs(b)));
        double gp[2], gm[2];
        data_plane_eval(p, a + h, b, gp, theta, g);
        data_plane_eval(p, a - h, b, gm, theta, g);
        hess[0] = (gp[0] - gm[0]) / (2 * h);
        double hxy = (gp[1] - gm[1]) / (2 * h);
        data_plane_eval(p, a, b + h, gp, theta, g);
        data_plane_eval(p, a, b - h, gm, theta, g);
        hess[3] = (gp[1] - gm[1]) / (2 * h);
        hess[1] = hess[2] = 0.5 * (hxy + (gp[0] - gm[0]) / (2 * h));
    }
    free(theta);
    return v;
}

void app_problem_run_label(const app_problem *p, int i, char *buf, int size)
{
    run_label(p->runs, p->opts, p->n_runs, i, buf, size);
}

void app_problem_project(const app_problem *p, const double *theta, double ab[2])
{
    if (p->is_data) {
        plane_project(p->plane, theta, ab);
    } else {
        ab[0] = theta[0];
        ab[1] = theta[1];
    }
}

static double view_fn2(const void *ctx, double x, double y, double grad[2], double hess[4])
{
    return app_problem_eval_point((app_problem *)ctx, x, y, grad, hess);
}

int app_problem_critical_points(app_problem *p)
{
    if (p->n_crit < 0) {
        int n = critical_points_find(view_fn2, p, p->domain.xmin, p->domain.xmax, p->domain.ymin,
                                     p->domain.ymax, p->crit, APP_MAX_CRITICAL);
        p->n_crit = n < APP_MAX_CRITICAL ? n : APP_MAX_CRITICAL;
    }
    return p->n_crit;
}

int app_problem_is_curve(const app_problem *p)
{
    return !p->is_data && p->surf.kind == SURFACE_GRID && p->surf.grid && gridsurf_ny(p->surf.grid) == 1;
}
