/*
 * test_views.c — what the window keeps between frames for drawing, checked against a
 * direct computation: the trails' plane coordinates (src/app/trailproj.c) equal
 * plane_project of every history point after steps, history compaction, plane
 * refits, restarts and a scene rebuilt in place, and only new points (or every point,
 * after a plane change) are projected; the data panel's predictions (dataview.c),
 * redone one run a frame in the window, are always a direct evaluation of the
 * parameters of the step they say, and of the current ones within n_runs frames of
 * the runs stopping. Links the app files it needs (no SDL, no GL).
 */
#include "testutil.h"
#include "problem_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/dataview.h"
#include "app/trailproj.h"
#include "core/rng.h"
#include "core/scene.h"


/* A small MLP with batch norm on a PCA plane: 5 runs, cheap steps. */
static const char *const MLP =
    "data = moons: n=120, noise=0.1\n"
    "model = mlp: hidden=4, bn=1\n"
    "plane = pca\n"
    "batch = 16\n"
    "seed = 2\n"
    "opt = sgd: lr=0.1\n"
    "opt = momentum: lr=0.05\n"
    "opt = adagrad: lr=0.1\n"
    "opt = rmsprop: lr=0.01\n"
    "opt = adam: lr=0.02\n";

static const char *const LOGISTIC =
    "data = blobs: n=80, k=2\n"
    "model = logistic\n"
    "batch = 8\n"
    "seed = 4\n"
    "opt = sgd: lr=0.3\n"
    "opt = adam: lr=0.05\n";

/* Every run's cached coordinates are plane_project's of its history through the plane
 * as it is now, within rounding (`exact`: bit for bit). Returns the largest
 * difference relative to max(1, |a|, |b|). */
static double assert_near(const app_trailproj *c, const app_problem *p, int exact)
{
    double worst = 0;
    for (int i = 0; i < trainer_run_count(p->trainer); i++) {
        int n = 0, m = 0;
        trainer_history(p->trainer, i, &n);
        const double *ab = app_trailproj_run(c, i, &m);
        assert_int_equal(m, n);
        for (int j = 0; j < n; j++) {
            double want[2];
            plane_project(p->plane, trainer_history_theta(p->trainer, i, j), want);
            for (int k = 0; k < 2; k++) {
                double d = fabs(ab[2 * j + k] - want[k]) / fmax(1, fmax(fabs(want[0]), fabs(want[1])));
                worst = fmax(worst, d);
                if (exact ? memcmp(&ab[2 * j + k], &want[k], sizeof(double)) != 0 : !(d <= 1e-10))
                    fail_msg("run %d point %d of %d, coordinate %d: %.17g cached, %.17g projected", i, j, n, k,
                             ab[2 * j + k], want[k]);
            }
        }
    }
    return worst;
}

/* Every run's cached coordinates are plane_project's of its history, bit for bit. */
static void assert_matches(const app_trailproj *c, const app_problem *p)
{
    assert_int_equal(c->n_runs, trainer_run_count(p->trainer));
    assert_near(c, p, 1);
}

static long history_total(const app_problem *p)
{
    long t = 0;
    for (int i = 0; i < trainer_run_count(p->trainer); i++) {
        int n = 0;
        trainer_history(p->trainer, i, &n);
        t += n;
    }
    return t;
}

/* plane_project_many: the same numbers as plane_project, for every count's tail. */
static void test_project_many(void **state)
{
    (void)state;
    int n = 37;
    rng g;
    rng_seed(&g, 11);
    double *origin = malloc(n * sizeof *origin), *pts = malloc(9 * n * sizeof *pts);
    for (int k = 0; k < n; k++)
        origin[k] = rng_normal(&g);
    for (int k = 0; k < 9 * n; k++)
        pts[k] = rng_normal(&g);
    plane *pl = plane_create_pca(origin, n, pts, 9);
    assert_non_null(pl);
    for (int count = 0; count <= 9; count++) {
        double ab[18];
        plane_project_many(pl, pts, count, ab);
        for (int q = 0; q < count; q++) {
            double want[2];
            plane_project(pl, pts + (size_t)q * n, want);
            assert_memory_equal(want, ab + 2 * q, sizeof want);
        }
    }
    plane_destroy(pl);
    free(origin);
    free(pts);
}

static void test_trails_incremental(void **state)
{
    (void)state;
    static app_problem p;
    make_problem(&p, MLP);
    app_trailproj c = { 0 };
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_matches(&c, &p);
    for (int k = 0; k < 150; k++)
        app_problem_step(&p);
    assert_true(app_problem_plane_pca(&p));   /* a fitted plane, not the start's */
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_matches(&c, &p);
    /* the same plane: only the points added since are projected */
    long before = c.projected, had = history_total(&p);
    for (int k = 0; k < 7; k++)
        app_problem_step(&p);
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_matches(&c, &p);
    assert_int_equal(c.projected - before, history_total(&p) - had);
    before = c.projected;
    assert_true(app_trailproj_update(&c, &p, NULL, -1));   /* nothing new: nothing projected */
    assert_int_equal(c.projected, before);
    /* a new plane: every point again */
    p.plane->d1[0] += 0.25;
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_matches(&c, &p);
    assert_int_equal(c.projected - before, history_total(&p));
    /* past the history's capacity: compaction drops points from the middle */
    for (int k = 0; k < TRAINER_HISTORY_CAP + 300; k++) {
        app_problem_step(&p);
        if (k % 997 == 0) {
            assert_true(app_trailproj_update(&c, &p, NULL, -1));
            assert_matches(&c, &p);
        }
    }
    int n0 = 0;
    trainer_history(p.trainer, 0, &n0);
    assert_true(n0 < TRAINER_HISTORY_CAP);   /* it was compacted */
    before = c.projected;
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_matches(&c, &p);
    assert_true(c.projected - before < history_total(&p) / 2);   /* kept points were not redone */
    /* the window's spread thinning (trainer_set_spread_thinning): while one is under
     * way a history holds more than its cap, its θ rows no longer in step order */
    assert_true(trainer_set_spread_thinning(p.trainer, 1));
    int pending = 0;
    for (int k = 0; k < TRAINER_HISTORY_CAP / 2; k++) {
        app_problem_step(&p);
        int now = trainer_history_pending(p.trainer, 0);
        pending += now;
        if ((now && pending % 37 == 1) || k % 509 == 0) {
            assert_true(app_trailproj_update(&c, &p, NULL, -1));
            assert_matches(&c, &p);
        }
    }
    assert_true(pending > 0);
    /* a restart: new points with new ids, at the same steps as old ones */
    app_problem_restart(&p, 0.1, -0.2);
    for (int k = 0; k < 20; k++)
        app_problem_step(&p);
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_matches(&c, &p);
    /* the problem rebuilt in place (a scene switch), the same plane kind */
    app_problem_destroy(&p);
    make_problem(&p, MLP);
    for (int k = 0; k < 20; k++)
        app_problem_step(&p);
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_matches(&c, &p);
    /* another problem in the same place: other parameter and run counts */
    app_problem_destroy(&p);
    make_problem(&p, LOGISTIC);
    for (int k = 0; k < 30; k++)
        app_problem_step(&p);
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_matches(&c, &p);
    app_trailproj_free(&c);
    app_problem_destroy(&p);
}

/* The window's eased plane (framing.c): directions (1 − t)·from + t·to, each
 * coordinate computed as ease_plane does. */
static void set_eased(plane *pl, const double *from, const double *to, double t)
{
    int n = pl->n;
    if (t >= 1) {
        memcpy(pl->d1, to, (size_t)n * sizeof(double));
        memcpy(pl->d2, to + n, (size_t)n * sizeof(double));
        return;
    }
    for (int k = 0; k < n; k++) {
        pl->d1[k] = (1 - t) * from[k] + t * to[k];
        pl->d2[k] = (1 - t) * from[n + k] + t * to[n + k];
    }
}


/* Points of p's histories with ids above each run's newest in `newest` (then updated
 * to the newest now): the points a step added, compaction apart. */
static long new_points(const app_problem *p, uint64_t *newest)
{
    long added = 0;
    for (int i = 0; i < trainer_run_count(p->trainer); i++) {
        int n = 0;
        const trainer_point *h = trainer_history(p->trainer, i, &n);
        for (int j = 0; j < n; j++)
            added += h[j].id > newest[i];
        if (n > 0 && h[n - 1].id > newest[i])
            newest[i] = h[n - 1].id;
    }
    return added;
}

/* A refitted plane eased in (trailproj.h): while held at t = 0 the to-sums come at
 * most `budget` products a call and the coordinates stay the old plane's exactly;
 * each eased frame projects only new points and equals plane_project through the
 * eased plane (within rounding; exactly at t = 1); steps, compaction and a refit in
 * the middle of an easing along the way. */
static void test_trails_eased(void **state)
{
    (void)state;
    static app_problem p;
    make_problem(&p, MLP);
    app_trailproj c = { 0 };
    for (int k = 0; k < 150; k++)
        app_problem_step(&p);
    assert_true(app_problem_plane_pca(&p));
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_matches(&c, &p);
    int n = p.n;
    double *from = malloc(2 * (size_t)n * sizeof *from), *to = malloc(2 * (size_t)n * sizeof *to);
    unsigned long serial = 0;
    long budget = 40L * n;
    uint64_t newest[TRAINER_MAX_RUNS] = { 0 };
    app_plane_ease last = { 0 };   /* the easing of the last frame (serial 0: none) */
    for (int round = 0; round < 3; round++) {
        for (int k = 0; k < 400 + 1500 * round; k++) {   /* round 2: past the history's cap */
            app_problem_step(&p);
            if (k % 50 == 0)   /* a frame (the window's: every frame) */
                assert_true(app_trailproj_update(&c, &p, last.serial ? &last : NULL, budget));
        }
        assert_true(app_trailproj_update(&c, &p, last.serial ? &last : NULL, budget));
        /* a refit from wherever the plane is now (round 1: the middle of an easing) */
        memcpy(from, p.plane->d1, (size_t)n * sizeof *from);
        memcpy(from + n, p.plane->d2, (size_t)n * sizeof *from);
        assert_true(app_problem_plane_pca(&p));
        memcpy(to, p.plane->d1, (size_t)n * sizeof *to);
        memcpy(to + n, p.plane->d2, (size_t)n * sizeof *to);
        assert_true(memcmp(from, to, 2 * (size_t)n * sizeof *to) != 0);
        set_eased(p.plane, from, to, 0);
        app_plane_ease e = { ++serial, from, to, 0 };
        /* held at t = 0: the to-sums within the budget, a few steps a frame */
        long frames = 0;
        int ready = 0;
        while (!ready) {
            long before = c.projected;
            new_points(&p, newest);
            for (int k = 0; k < 3; k++)
                app_problem_step(&p);
            long added = new_points(&p, newest);
            assert_true(app_trailproj_update(&c, &p, &e, budget));
            if (!(c.projected - before <= budget / n + 2 * added))
                fail_msg("round %d frame %ld: %ld projected, budget %ld, added %ld", round, frames, c.projected - before, budget / n, added);
            /* the plane is `from`: its own coordinates, exactly (round 2: from an eased
             * plane's mixed sums, within rounding) */
            assert_near(&c, &p, round != 2);
            ready = app_trailproj_ready(&c, e.serial);
            frames++;
        }
        assert_true(frames > 3);   /* it was spread */
        /* eased: only new points projected; round 1 stops half way, refitted again */
        for (int f = 1; f <= 5 && !(round == 1 && f == 3); f++) {
            e.t = f == 5 ? 1 : 0.2 * f;
            set_eased(p.plane, from, to, e.t);
            long before = c.projected;
            new_points(&p, newest);
            for (int k = 0; k < 2; k++)
                app_problem_step(&p);
            long added = new_points(&p, newest);
            assert_true(app_trailproj_update(&c, &p, &e, budget));
            assert_true(c.projected - before <= 2 * added);   /* O(points): no pass over θ */
            double worst = assert_near(&c, &p, f == 5);
            print_message("round %d t %.1f: largest difference %.3g\n", round, e.t, worst);
            last = e;
        }
    }
    /* after the easing: the plane's own coordinates, only new points projected */
    long before = c.projected;
    assert_true(app_trailproj_update(&c, &p, NULL, -1));
    assert_int_equal(c.projected, before);
    assert_matches(&c, &p);
    /* a plane that left the easing's path (the caller's contract broken): every point again */
    app_plane_ease e = { ++serial, from, to, 0.4 };
    set_eased(p.plane, from, to, 0.4);
    assert_true(app_trailproj_update(&c, &p, &e, -1));
    p.plane->d1[1] += 0.5;
    e.t = 1;
    assert_true(app_trailproj_update(&c, &p, &e, -1));
    assert_matches(&c, &p);
    free(from);
    free(to);
    app_trailproj_free(&c);
    app_problem_destroy(&p);
}

/* Surfaces need no coordinates: θ is (a, b). */
static void test_surface_none(void **state)
{
    (void)state;
    static app_problem p;
    make_problem(&p, "surface = rosenbrock\nopt = sgd: lr=0.001\n");
    app_trailproj c = { 0 };
    assert_false(app_trailproj_update(&c, &p, NULL, -1));
    int m = 1;
    assert_null(app_trailproj_run(&c, 0, &m));
    assert_int_equal(m, 0);
    app_trailproj_free(&c);
    app_problem_destroy(&p);
}

/* Run i's parameters (θ then aux) after every step, for the panel's checks. */
typedef struct param_log {
    int n_at, steps;
    double *at;   /* (steps + 1) × runs × n_at */
} param_log;

static void log_params(param_log *lg, const app_problem *p, int step)
{
    int nr = p->n_runs, na = lg->n_at - p->n;
    for (int i = 0; i < nr; i++) {
        const trainer_run *r = trainer_run_get(p->trainer, i);
        double *d = lg->at + ((size_t)step * nr + i) * lg->n_at;
        memcpy(d, r->theta, (size_t)p->n * sizeof *d);
        if (na > 0)
            memcpy(d + p->n, r->aux, (size_t)na * sizeof *d);
    }
}

/* Run i's drawn predictions equal model_predict on the parameters of the step they
 * say they are of, computed here from the log, exactly as the panel converts them. */
static void assert_pred_of(const app_data_view *v, const app_problem *p, const param_log *lg, int i)
{
    long st = v->pred_step[i];
    assert_true(v->have[i]);
    assert_true(st >= 0 && st <= lg->steps);
    const double *at = lg->at + ((size_t)st * p->n_runs + i) * lg->n_at;
    int cells = APP_DATA_GRID * APP_DATA_GRID, k = model_output_count(p->model);
    double *out = malloc((size_t)cells * k * sizeof *out);
    model_predict(p->model, at, lg->n_at > p->n ? at + p->n : NULL, v->x, cells, out);
    const float *g = v->rd.pred[i];
    assert_non_null(g);
    for (int c = 0; c < cells; c++) {
        float want = (float)((k == 1 ? out[(size_t)c * k] : out[(size_t)c * k + 1]) - 0.5);
        if (g[c] != want)
            fail_msg("run %d cell %d (of step %ld): %.9g drawn, %.9g evaluated", i, c, st, g[c], want);
    }
    free(out);
}

static void test_panel_predictions(void **state)
{
    (void)state;
    static app_problem p;
    make_problem(&p, MLP);
    int nr = p.n_runs, steps = 60;
    param_log lg = { p.n + model_aux_count(p.model), steps, NULL };
    lg.at = malloc((size_t)(steps + 1) * nr * lg.n_at * sizeof *lg.at);
    log_params(&lg, &p, 0);
    app_data_view v = { 0 };
    /* the window's way: one run's grid a frame, the oldest first */
    for (int s = 1; s <= steps; s++) {
        app_problem_step(&p);
        log_params(&lg, &p, s);
        long before = v.predicted;
        assert_non_null(app_data_view_update(&v, &p, 0, 0, 1));
        assert_int_equal(v.predicted - before, 1);   /* bounded: one run a frame */
        for (int i = 0; i < nr; i++)
            if (v.have[i]) {
                assert_pred_of(&v, &p, &lg, i);
                /* never more than n_runs − 1 frames old once every run has a grid */
                if (s > nr)
                    assert_true(v.pred_step[i] >= s - (nr - 1));
            }
    }
    /* the runs stop: within n_runs frames every grid is of the current parameters,
     * and then nothing more is computed */
    for (int f = 0; f < nr; f++)
        app_data_view_update(&v, &p, 0, 0, 1);
    for (int i = 0; i < nr; i++) {
        assert_int_equal(v.pred_step[i], steps);
        assert_pred_of(&v, &p, &lg, i);
    }
    long before = v.predicted;
    app_data_view_update(&v, &p, 0, 0, 1);
    assert_int_equal(v.predicted, before);
    /* screenshots' way: every run that moved, at once */
    app_data_view w = { 0 };
    assert_non_null(app_data_view_update(&w, &p, 0, 0, 0));
    assert_int_equal(w.predicted, nr);
    for (int i = 0; i < nr; i++) {
        assert_int_equal(w.pred_step[i], steps);
        assert_memory_equal(w.rd.pred[i], v.rd.pred[i], APP_DATA_GRID * APP_DATA_GRID * sizeof(float));
    }
    /* a restart moves every run back: redone, one a frame */
    app_problem_restart(&p, p.start[0], p.start[1]);
    before = v.predicted;
    app_data_view_update(&v, &p, 0, 0, 1);
    assert_int_equal(v.predicted - before, 1);
    app_data_view_free(&v);
    app_data_view_free(&w);
    free(lg.at);
    app_problem_destroy(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_project_many),
        cmocka_unit_test(test_trails_incremental),
        cmocka_unit_test(test_trails_eased),
        cmocka_unit_test(test_surface_none),
        cmocka_unit_test(test_panel_predictions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
