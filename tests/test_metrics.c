/*
 * test_metrics.c — the window's background metrics worker (src/app/metrics.c):
 * which problems it takes, that stepping then skips the full loss, that its values
 * equal a direct evaluation at the θ they were taken at, that the series and the
 * freshness mark say which step they are of, that the cadence is bounded, and that
 * a reset drops a result in flight; the background sharpness samples (sharpw.c)
 * equal the synchronous ones. Links the app files it needs (no SDL).
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1 /* RUSAGE_THREAD */
#endif
#include "testutil.h"
#include "problem_util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __linux__
#include <sys/resource.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "app/app.h"
#include "app/bgthread.h"
#include "app/metrics.h"
#include "app/planefit.h"
#include "app/dataview.h"
#include "app/sharpw.h"
#include "core/scene.h"


/* 30,000 × 65 parameters ≥ APP_METRICS_COST: the worker's; above MODEL_BIG samples,
 * so the full sums take the threaded path. */
static const char *const BIG =
    "data = blobs: n=40000, k=2\n"
    "split = 0.25\n"
    "model = mlp: hidden=16, bn=1\n"
    "batch = 64\n"
    "seed = 5\n"
    "opt = sgd: lr=0.1\n"
    "opt = adam: lr=0.01\n";

/* 2,000 samples: below the threshold, synchronous as before. */
static const char *const SMALL =
    "data = moons: n=2000, noise=0.1\n"
    "split = 0.25\n"
    "model = logistic\n"
    "batch = 16\n"
    "seed = 3\n"
    "opt = sgd: lr=0.5\n";

static void test_which_problems(void **state)
{
    (void)state;
    static app_problem big, small;
    make_problem(&big, BIG);
    make_problem(&small, SMALL);
    assert_true(app_metrics_wanted(&big));
    assert_false(app_metrics_wanted(&small));
    app_metrics *mw = app_metrics_create();
    assert_non_null(mw);
    /* not wanted: nothing changes, stepping stays synchronous */
    assert_int_equal(app_metrics_update(mw, &small, 1, 0), 0);
    assert_int_equal(small.metrics_async, 0);
    for (int k = 0; k < 10; k++)
        app_problem_step(&small);
    const trainer_run *r = trainer_run_get(small.trainer, 0);
    assert_int_equal(r->loss_step, r->steps);
    assert_int_equal(small.series[0].count, 2);   /* start + step 10 (eval_every 10) */
    app_metrics_destroy(mw);
    app_problem_destroy(&big);
    app_problem_destroy(&small);
}

/* Lesson 9's problem (lesson-batch-generalization): 200 + 200 samples, 1218
 * parameters, two runs; one evaluation is cheap (2.4e5 < APP_METRICS_COST), but
 * its synchronous metrics cost 6.3e5 products a step, 6.3e6 a frame at the scene's
 * 10 steps a frame. */
static const char *const LESSON9 =
    "data = moons: n=400, noise=0.3\n"
    "split = 0.5\n"
    "model = mlp: hidden=32x32, act=relu\n"
    "seed = 1\n"
    "opt = sgd: lr=0.1, batch=8\n"
    "opt = sgd: lr=0.1, batch=full\n";

/* The worker takes a problem whose synchronous metrics would cost a frame too much
 * at the window's stepping rate, and keeps it when the rate drops. */
static void test_frame_cost(void **state)
{
    (void)state;
    static app_problem p;
    make_problem(&p, LESSON9);
    assert_int_equal(p.n, 1218);
    assert_false(app_metrics_wanted(&p));
    expect_near(app_metrics_step_cost(&p), 2.0 * 1218 * (200 + 600 / 10.0), 1e-6);
    assert_false(app_metrics_wanted_at(&p, 1));
    assert_true(app_metrics_wanted_at(&p, 10));
    app_metrics *mw = app_metrics_create();
    assert_non_null(mw);
    /* at 1 step a frame: synchronous, every step's full loss */
    assert_int_equal(app_metrics_update(mw, &p, 1, 0), 0);
    assert_int_equal(p.metrics_async, 0);
    app_problem_step(&p);
    assert_int_equal(trainer_run_get(p.trainer, 0)->loss_step, 1);
    /* at 10 a frame: the worker's; stepping no longer evaluates the full loss */
    app_metrics_update(mw, &p, 10, 1000.0);
    assert_int_equal(p.metrics_async, 1);
    for (int k = 0; k < 10; k++)
        app_problem_step(&p);
    assert_true(trainer_run_get(p.trainer, 0)->loss_step < 11);
    /* back to 1 a frame: still the worker's (results keep arriving) */
    app_metrics_finish(mw);
    assert_int_equal(app_metrics_update(mw, &p, 1, 1001.0), 1);
    assert_int_equal(p.metrics_async, 1);
    assert_int_equal(p.metrics_step, 1);
    app_metrics_update(mw, &p, 1, 1001.0 + APP_METRICS_PERIOD_MS);   /* due: step 11 */
    app_metrics_finish(mw);
    assert_int_equal(app_metrics_update(mw, &p, 1, 1002.0 + APP_METRICS_PERIOD_MS), 1);
    assert_int_equal(p.metrics_step, 11);
    app_metrics_idle(mw);
    app_metrics_destroy(mw);
    app_problem_destroy(&p);
}

/* The direct evaluation app_problem_step_metrics makes, at run i's θ now. */
static void direct(const app_problem *p, int i, double out[4])
{
    const trainer_run *r = trainer_run_get(p->trainer, i);
    out[0] = model_loss(p->model, p->loss, p->train, r->theta, NULL, 0, NULL, r->aux, 0);
    out[1] = model_accuracy(p->model, r->theta, r->aux, p->train);
    out[2] = model_loss(p->model, p->loss, p->test, r->theta, NULL, 0, NULL, r->aux, 0);
    out[3] = model_accuracy(p->model, r->theta, r->aux, p->test);
}

/* The worker's train loss against model_loss: the same per-sample losses at the same
 * θ, but above MODEL_BIG samples model_loss adds them in ranges per OpenMP thread, so
 * the last bits may differ; everything else is bit for bit. */
static void expect_train_loss(double got, double want)
{
    expect_near(got, want, 1e-12 * fabs(want));
}

static void test_values_and_freshness(void **state)
{
    (void)state;
    static app_problem p;
    make_problem(&p, BIG);
    app_metrics *mw = app_metrics_create();
    assert_non_null(mw);
    const int count0 = p.series[0].count;   /* the start, sampled by app_problem_create */
    double want[TRAINER_MAX_RUNS][4];
    for (int i = 0; i < p.n_runs; i++)
        direct(&p, i, want[i]);
    /* taken over: the first evaluation is asked for at once (step 0) */
    assert_int_equal(app_metrics_update(mw, &p, 1, 1000.0), 0);
    assert_int_equal(p.metrics_async, 1);
    assert_int_equal(p.metrics_step, -1);   /* nothing from the worker yet */

    /* stepping skips the full loss (lazy trainer) and samples nothing itself */
    for (int k = 0; k < 20; k++)
        app_problem_step(&p);
    const trainer_run *r0 = trainer_run_get(p.trainer, 0);
    assert_int_equal(r0->steps, 20);
    assert_true(r0->loss_step < r0->steps);
    assert_int_equal(p.series[0].count, count0);

    /* the step-0 result arrives; the next request is not due yet (50 ms later) */
    app_metrics_finish(mw);
    assert_int_equal(app_metrics_update(mw, &p, 1, 1050.0), 1);
    assert_int_equal(p.metrics_step, 0);
    app_metrics_finish(mw);
    assert_int_equal(app_metrics_stats(mw), 1);
    for (int i = 0; i < p.n_runs; i++) {
        const app_series *s = &p.series[i];
        assert_int_equal(s->count, count0 + 1);
        assert_int_equal(s->step[s->count - 1], 0);
        expect_train_loss(s->train_loss[s->count - 1], want[i][0]);
        assert_true(s->train_acc[s->count - 1] == want[i][1]);
        assert_true(s->test_loss[s->count - 1] == want[i][2]);
        assert_true(s->test_acc[s->count - 1] == want[i][3]);
    }

    /* due at 1100 ms: a snapshot at step 20; the runs move on while it computes */
    for (int i = 0; i < p.n_runs; i++)
        direct(&p, i, want[i]);
    assert_int_equal(app_metrics_update(mw, &p, 1, 1100.0), 0);
    for (int k = 0; k < 5; k++)
        app_problem_step(&p);
    app_metrics_finish(mw);
    assert_int_equal(app_metrics_stats(mw), 2);
    assert_int_equal(app_metrics_update(mw, &p, 1, 1101.0), 1);
    assert_int_equal(p.metrics_step, 20);   /* fresh as of step 20, 5 behind */
    for (int i = 0; i < p.n_runs; i++) {
        const app_series *s = &p.series[i];
        int last = s->count - 1;
        assert_int_equal(s->count, count0 + 2);
        assert_int_equal(s->step[last], 20);
        expect_train_loss(s->train_loss[last], want[i][0]);
        assert_true(s->train_acc[last] == want[i][1]);
        assert_true(s->test_loss[last] == want[i][2]);
        assert_true(s->test_acc[last] == want[i][3]);
        /* the runs moved since: this is their loss as of step 20, and says so */
        const trainer_run *r = trainer_run_get(p.trainer, i);
        assert_int_equal(r->steps, 25);
        assert_int_equal(r->loss_step, 20);
        expect_train_loss(r->loss, want[i][0]);
    }

    /* cadence: the next request waits APP_METRICS_PERIOD_MS after the last one */
    app_metrics_update(mw, &p, 1, 1100.0 + APP_METRICS_PERIOD_MS / 2);
    app_metrics_finish(mw);
    assert_int_equal(app_metrics_stats(mw), 2);
    app_metrics_update(mw, &p, 1, 1100.0 + APP_METRICS_PERIOD_MS);   /* due: step 25 */
    app_metrics_finish(mw);
    assert_int_equal(app_metrics_stats(mw), 3);
    for (int i = 0; i < p.n_runs; i++)
        direct(&p, i, want[i]);
    assert_int_equal(app_metrics_update(mw, &p, 1, 5000.0), 1);
    assert_int_equal(p.metrics_step, 25);
    for (int i = 0; i < p.n_runs; i++) {
        const app_series *s = &p.series[i];
        expect_train_loss(s->train_loss[s->count - 1], want[i][0]);
        /* the runs have not moved since: this is their current full loss */
        const trainer_run *r = trainer_run_get(p.trainer, i);
        assert_int_equal(r->loss_step, r->steps);
        expect_train_loss(r->loss, want[i][0]);
    }
    /* nothing moved: no new request, however long we wait */
    app_metrics_update(mw, &p, 1, 1e9);
    app_metrics_finish(mw);
    assert_int_equal(app_metrics_stats(mw), 3);

    /* a reset drops the result in flight: the series start again from the worker */
    for (int k = 0; k < 3; k++)
        app_problem_step(&p);
    app_metrics_update(mw, &p, 1, 2e9);   /* asked at step 28 */
    app_problem_restart(&p, p.start[0], p.start[1]);
    app_metrics_forget(mw);
    assert_int_equal(p.series[0].count, 0);
    assert_int_equal(p.metrics_step, -1);
    app_metrics_finish(mw);
    app_metrics_update(mw, &p, 1, 2e9 + 1);   /* the step-28 result is not applied; step 0 asked */
    assert_int_equal(p.series[0].count, 0);
    app_metrics_finish(mw);
    assert_int_equal(app_metrics_update(mw, &p, 1, 2e9 + 2), 1);
    assert_int_equal(p.metrics_step, 0);
    assert_int_equal(p.series[0].count, 1);
    assert_int_equal(p.series[0].step[0], 0);

    app_metrics_idle(mw);
    app_metrics_destroy(mw);
    app_problem_destroy(&p);
}

/* How many points a refit copies: 2048, fewer for θ so long that 2048 of them would
 * exceed APP_PLANEFIT_DOUBLES (lesson 9's 1218 parameters: 860), never under 64. */
static void test_planefit_points(void **state)
{
    (void)state;
    assert_int_equal(app_planefit_points(418), APP_PLANEFIT_POINTS);   /* moons-mlp-bn */
    assert_int_equal(app_planefit_points(512), APP_PLANEFIT_POINTS);
    assert_int_equal(app_planefit_points(1218), 860);
    assert_true(app_planefit_points(1218) * 1218 <= APP_PLANEFIT_DOUBLES);
    assert_int_equal(app_planefit_points(1 << 20), 64);
}

/* The background PCA refit: with at most app_planefit_points(n) history points, the
 * plane and the domain app_problem_plane_pca makes on the frame's thread, exactly;
 * installed only into the problem it was asked for, and dropped by idle. */
static void test_planefit(void **state)
{
    (void)state;
    static app_problem a, b;
    const char *text = "data = moons: n=200, noise=0.1\n"
                       "model = mlp: hidden=8, bn=1\n"
                       "batch = 16\n"
                       "seed = 2\n"
                       "plane = pca\n"
                       "opt = sgd: lr=0.1\n"
                       "opt = adam: lr=0.01\n";
    make_problem(&a, text);
    make_problem(&b, text);
    for (int k = 0; k < 150; k++) {
        app_problem_step(&a);
        app_problem_step(&b);
    }
    app_planefit *pf = app_planefit_create();
    assert_non_null(pf);
    assert_int_equal(app_planefit_take(pf, &a), 0);
    assert_true(app_planefit_request(pf, &a));
    assert_true(app_problem_plane_pca(&b));   /* the synchronous refit */
    for (int got = 0; !got;) {   /* b is not the problem asked for: never installed there */
        assert_int_equal(app_planefit_take(pf, &b), 0);
        got = app_planefit_take(pf, &a);
    }
    assert_int_equal(a.n, b.n);
    for (int k = 0; k < a.n; k++) {
        assert_true(a.plane->d1[k] == b.plane->d1[k]);
        assert_true(a.plane->d2[k] == b.plane->d2[k]);
    }
    assert_memory_equal(&a.domain, &b.domain, sizeof a.domain);
    /* a request, then idle: nothing is installed */
    assert_true(app_planefit_request(pf, &a));
    app_planefit_idle(pf);
    assert_false(app_planefit_busy(pf));
    assert_int_equal(app_planefit_take(pf, &a), 0);
    app_planefit_destroy(pf);
    app_problem_destroy(&a);
    app_problem_destroy(&b);
}

/* Sharpness every 10 steps of a model with batch norm (moving averages as aux). */
static const char *const SHARP =
    "data = moons: n=200, noise=0.3\n"
    "model = mlp: hidden=8, bn=1\n"
    "batch = 8\n"
    "seed = 2\n"
    "opt = sgd: lr=0.1\n"
    "opt = adam: lr=0.01\n";

/* b's samples from the worker are a's, taken in the step, bit for bit; the plot
 * shows each run's samples up to its first pending one; a restart drops answers in
 * flight. */
static void test_sharpness_worker(void **state)
{
    (void)state;
    static app_problem a, b;
    make_problem(&a, SHARP);
    make_problem(&b, SHARP);
    assert_true(app_problem_set_sharpness(&a, 10));
    assert_true(app_problem_set_sharpness(&b, 10));
    app_sharpw *sw = app_sharpw_create();
    assert_non_null(sw);
    assert_true(app_sharpw_attach(sw, &b));
    assert_non_null(b.sharp_request);
    int pending = 0;
    for (int k = 1; k <= 300; k++) {
        app_problem_step(&a);
        app_problem_step(&b);
        if (k % 7 == 0)
            app_sharpw_update(sw, &b);
        if (k % 50 == 0)   /* never more requests in flight than slots */
            app_sharpw_finish(sw, &b);
        render_sharp v[TRAINER_MAX_RUNS];
        assert_true(app_sharp_view(&b, v));
        for (int i = 0; i < b.n_runs; i++) {
            const app_sharp *s = &b.sharp[i];
            assert_true(v[i].count <= s->count);
            for (int j = 0; j < v[i].count; j++)
                assert_int_equal(s->pend[j], 0);
            if (v[i].count < s->count)
                assert_int_equal(s->pend[v[i].count], 1);
            pending += s->count > 0 && s->pend[s->count - 1];
        }
    }
    app_sharpw_finish(sw, &b);
    assert_true(pending > 0);   /* answers did come later */
    for (int i = 0; i < a.n_runs; i++) {
        assert_int_equal(b.sharp[i].count, a.sharp[i].count);
        assert_int_equal(a.sharp[i].count, 31);   /* steps 0, 10, …, 300 */
        for (int j = 0; j < a.sharp[i].count; j++) {
            assert_int_equal(b.sharp[i].step[j], a.sharp[i].step[j]);
            assert_int_equal(b.sharp[i].pend[j], 0);
            assert_true(isfinite(a.sharp[i].value[j]));
            assert_memory_equal(&b.sharp[i].value[j], &a.sharp[i].value[j], sizeof(double));
        }
    }
    /* a request in flight, then a restart: its answer is dropped, the new start's kept */
    for (int k = 0; k < 10; k++)
        app_problem_step(&b);
    app_problem_restart(&b, 0.1, -0.2);
    app_sharpw_finish(sw, &b);
    for (int i = 0; i < b.n_runs; i++) {
        assert_int_equal(b.sharp[i].count, 1);
        assert_int_equal(b.sharp[i].step[0], 0);
        assert_int_equal(b.sharp[i].pend[0], 0);
        double want = app_problem_sharpness(&b, i);
        assert_memory_equal(&b.sharp[i].value[0], &want, sizeof want);
    }
    app_sharpw_idle(sw);
    app_sharpw_destroy(sw);
    app_problem_destroy(&a);
    app_problem_destroy(&b);
}

/* Page faults the calling thread took so far (−1 where unknown). */
static long own_faults(void)
{
#if defined(__linux__) && defined(RUSAGE_THREAD)
    struct rusage ru;
    if (getrusage(RUSAGE_THREAD, &ru) == 0)
        return ru.ru_minflt + ru.ru_majflt;
#endif
    return -1;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* A refit's copy takes no page fault on the drawing thread: the buffers (the most a
 * request copies) are made and written through by the worker ahead of the requests
 * (app_planefit_prepare) and kept while the histories grow. Before, a request whose
 * points outgrew the buffer kept allocated a fresh one on the caller's thread and
 * faulted in every page of it (lesson 9: a refit frame 25–45 ms CPU). */
static void test_planefit_buffers(void **state)
{
    (void)state;
    static app_problem a;
    make_problem(&a, "data = moons: n=200, noise=0.1\n"
                     "model = mlp: hidden=16x8\n"
                     "batch = 16\n"
                     "seed = 2\n"
                     "plane = pca\n"
                     "opt = sgd: lr=0.1\n"
                     "opt = adam: lr=0.01\n");
    app_planefit *pf = app_planefit_create();
    assert_non_null(pf);
    /* asked for nothing (the window's second plane fit, unused but by the compare
     * layout): no buffer made (it made two of malloc(0)) */
    sleep_ms(50);
    long made, caller;
    app_planefit_buffers(pf, &made, &caller);
    assert_int_equal(made, 0);
    app_planefit_prepare(pf, &a);
    for (int t = 0; t < 2000 && app_planefit_pooled(pf) < 2; t++)
        sleep_ms(5);
    assert_int_equal(app_planefit_pooled(pf), 2);
    for (int round = 1; round <= 6; round++) {
        for (int k = 0; k < 60; k++)
            app_problem_step(&a);
        long f0 = own_faults();
        assert_true(app_planefit_request(pf, &a));
        long f1 = own_faults();
        /* every history point is copied (fewer than app_planefit_points) */
        long pages = (long)round * 60 * a.n_runs * a.n * (long)sizeof(double) / 4096;
        assert_true(pages >= 20);
        if (f0 >= 0)
            assert_true(f1 - f0 < pages / 8 + 4);
        if (round % 2)   /* half of them fitted and taken, half replaced by the next */
            while (!app_planefit_take(pf, &a))
                sleep_ms(1);
    }
    /* two buffers made in all: none while a request holds one (each refit made and
     * dropped one more, a page fault on every page of it in the worker) */
    app_planefit_buffers(pf, &made, &caller);
    assert_int_equal(caller, 0);
    assert_int_equal(made, 2);
    app_planefit_idle(pf);
    assert_int_equal(app_planefit_pooled(pf), 2);   /* the buffers stay */
    app_planefit_buffers(pf, &made, &caller);
    assert_int_equal(made, 2);
    app_planefit_destroy(pf);
    app_problem_destroy(&a);
}

/* The app's malloc settings (app_malloc_tune, called first thing by main): a
 * block of 1 MB comes from the heap, not a mapping of its own, and freeing it
 * returns nothing to the system, so the next one takes no page fault. glibc's own
 * start maps every block of 128 KB or more afresh. */
static void test_malloc_tune(void **state)
{
    (void)state;
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && __GLIBC__ * 100 + __GLIBC_MINOR__ >= 233
    app_malloc_tune();
    struct mallinfo2 m0 = mallinfo2();
    char *b = malloc(1 << 20);
    assert_non_null(b);
    b[0] = b[(1 << 20) - 1] = 1;
    struct mallinfo2 m1 = mallinfo2();
    assert_int_equal(m1.hblks, m0.hblks);   /* not a mapping of its own */
    free(b);
    struct mallinfo2 m2 = mallinfo2();
    assert_true(m2.arena >= m1.arena);      /* nothing trimmed */
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malloc_tune),   /* first: before any block freed raises glibc's threshold */
        cmocka_unit_test(test_which_problems),
        cmocka_unit_test(test_frame_cost),
        cmocka_unit_test(test_values_and_freshness),
        cmocka_unit_test(test_planefit_points),
        cmocka_unit_test(test_planefit),
        cmocka_unit_test(test_planefit_buffers),
        cmocka_unit_test(test_sharpness_worker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
