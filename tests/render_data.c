/*
 * render_data.c — render tests of data problems (issue 4) on Mesa's software
 * OpenGL (SDL_VIDEODRIVER=offscreen), checked on real numbers and real pixels:
 *
 *   - the mini-batch surface: at batch size 1 the grid differs from the full-data
 *     grid; at full batch (and at a batch of the whole training set) it equals it;
 *   - the cost-limited grid (dataview.c) keeps the exact grid's corners;
 *   - the data panel: both class colours appear in it, the highlighted mini-batch
 *     changes the panel between two steps while the runs stand still, and each
 *     run's decision boundary is drawn in its colour;
 *   - the compare layout draws a second problem in its own panel.
 *
 * Links src/app/problem.c and src/app/dataview.c (see tests/CMakeLists.txt).
 * Without a GL context it exits 77 (skipped), unless CI=true or
 * LOSSCAPE_REQUIRE_GL=1. LOSSCAPE_RENDER_TEST_OUT=DIR keeps the frames as PNGs.
 */
#include <SDL2/SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_target.h"
#include "testutil.h"
#include "problem_util.h"

#include "app/app.h"
#include "app/dataview.h"
#include "render/layout.h"
#include "render/renderer.h"

#define W 960
#define H 540

static struct {
    test_target t;   /* the context and the W×H FBO (render_target.h) */
    renderer *r;
} F;

static double f_eval(void *ctx, double a, double b, double g[2], double h[4])
{
    return app_problem_eval_point(ctx, a, b, g, h);
}
static int f_grid(void *ctx, surface_domain d, int nx, int ny, double *v)
{
    return app_view_grid(ctx, d, nx, ny, 0, v);
}
static void f_project(const void *ctx, const double *th, double ab[2]) { app_problem_project(ctx, th, ab); }


static const char *const MOONS =
    "data = moons: n=200, noise=0.1\n"
    "split = 0.25\n"
    "model = logistic\n"
    "batch = 1\n"
    "seed = 3\n"
    "opt = sgd: lr=0.5\n"
    "opt = adam: lr=0.05\n";

/* ==== mini-batch surface ==== */

static double max_diff(const double *a, const double *b, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

static void test_batch_surface(void **state)
{
    (void)state;
    static app_problem p;
    make_problem(&p, MOONS);
    enum { N = 24 };
    surface_domain dom = p.domain;
    double full[N * N], batch[N * N];
    app_problem_step(&p);
    assert_true(app_problem_eval_grid(&p, dom, N, N, 0, full));
    assert_true(app_problem_eval_grid(&p, dom, N, N, 1, batch));
    assert_true(max_diff(full, batch, N * N) > 1e-2);   /* one sample's surface */
    /* full batch: the same grid */
    trainer_set_batch(p.trainer, 0);
    app_problem_step(&p);
    assert_true(app_problem_eval_grid(&p, dom, N, N, 0, full));
    assert_true(app_problem_eval_grid(&p, dom, N, N, 1, batch));
    assert_true(max_diff(full, batch, N * N) == 0);
    /* a batch of every training sample (a permutation): equal up to rounding */
    trainer_set_batch(p.trainer, p.train->n - 1);
    app_problem_step(&p);
    trainer_set_batch(p.trainer, p.train->n);
    app_problem_step(&p);
    app_problem_step(&p);
    int count = 0;
    if (trainer_last_batch(p.trainer, 0, &count))
        assert_int_equal(count, p.train->n);
    assert_true(app_problem_eval_grid(&p, dom, N, N, 0, full));
    assert_true(app_problem_eval_grid(&p, dom, N, N, 1, batch));
    assert_true(max_diff(full, batch, N * N) < 1e-9);
    app_problem_destroy(&p);
}

/* The cost-limited grid of an MLP: coarser, resampled; corners exact. */
static void test_view_grid(void **state)
{
    (void)state;
    static app_problem p;
    make_problem(&p, "data = moons: n=400\nmodel = mlp: hidden=16x16\nbatch = 32\n");
    app_problem_step(&p);   /* a mini-batch exists */
    int m = app_view_grid_n(&p, 0, 256);
    assert_true(m >= 24 && m < 256);
    int mb = app_view_grid_n(&p, 1, 256);   /* redone every step: within its smaller budget */
    assert_true(mb >= 24 && (double)mb * mb * 32 * p.n <= APP_VIEW_BUDGET_BATCH);
    enum { N = 64 };
    double *a = malloc(N * N * sizeof *a), *b = malloc(N * N * sizeof *b);
    assert_true(app_view_grid(&p, p.domain, N, N, 0, a));
    assert_true(app_problem_eval_grid(&p, p.domain, N, N, 0, b));
    const int corners[4] = { 0, N - 1, N * (N - 1), N * N - 1 };
    for (int k = 0; k < 4; k++)
        assert_true(fabs(a[corners[k]] - b[corners[k]]) < 1e-9 * fmax(1, fabs(b[corners[k]])));
    free(a);
    free(b);
    app_problem_destroy(&p);
}

/* ==== frames ==== */

static void render(const render_frame *f, const char *name) { test_target_draw(&F.t, F.r, f, name); }

/* Pixels of rect within tol of rgba (per channel). */
static int count_colour(render_rect rc, uint32_t rgba, int tol)
{
    int r = rgba & 255, g = (rgba >> 8) & 255, b = (rgba >> 16) & 255, n = 0;
    for (int y = (int)rc.y; y < (int)(rc.y + rc.h) && y < H; y++)
        for (int x = (int)rc.x; x < (int)(rc.x + rc.w) && x < W; x++) {
            const unsigned char *p = test_target_pixel(&F.t, x, y);
            n += abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol;
        }
    return n;
}

static void frame_for(render_frame *f, app_problem *p, render_field *fd, app_data_view *dv,
                      render_series *ser)
{
    memset(f, 0, sizeof *f);
    *fd = (render_field){ .ctx = p, .eval = f_eval, .eval_grid = f_grid, .project = f_project,
                          .domain = p->domain, .version = 1 };
    f->field = fd;
    f->tr = p->trainer;
    f->title = "data test";
    f->view = SCENE_VIEW_2D;
    f->overlays = SCENE_OVERLAY_CONTOURS | SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT | SCENE_OVERLAY_DATA;
    f->steps_per_frame = 1;
    f->selected = 0;
    f->data = app_data_view_update(dv, p, 0, 0, 0);
    if (app_series_view(p, ser))
        f->series = ser;
}

static render_rect data_rect(const render_frame *f)
{
    layout_panel lp[LAYOUT_MAX_PANELS];
    render_rect side, data;
    int runs[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    layout_compute_ex(W, H, f->view, f->layout, trainer_run_count(f->tr), runs, 1, 1, lp, &side, &data);
    return data;
}

static void test_data_panel(void **state)
{
    (void)state;
    static app_problem p;
    make_problem(&p, MOONS);
    for (int k = 0; k < 40; k++)
        app_problem_step(&p);
    app_data_view dv = { 0 };
    render_series ser[8];
    render_field fd;
    render_frame f;
    frame_for(&f, &p, &fd, &dv, ser);
    assert_non_null(f.data);
    assert_int_equal(f.data->n, p.train->n);
    assert_int_equal(f.data->batch_n, 1);
    render(&f, "data_panel");
    render_rect dr = data_rect(&f);
    assert_true(dr.w > 100);
    /* both classes' colours (the samples) and both runs' colours (boundaries) */
    /* (the samples are drawn at 55 % over the class shading while a mini-batch is
     * shown: a wider tolerance; the runs' colours follow their optimizers and are
     * neither class's) */
    assert_true(count_colour(dr, render_class_color(0), 60) > 30);
    assert_true(count_colour(dr, render_class_color(1), 60) > 30);
    assert_true(count_colour(dr, render_run_color(p.trainer, 0), 20) > 10);
    assert_true(count_colour(dr, render_run_color(p.trainer, 1), 20) > 10);
    /* not in the rest of the main area: the classes' colours belong to the panel */
    render_rect left = { 0, 0, dr.x - 2, (float)H };
    assert_true(count_colour(left, render_class_color(0), 6) < 5);

    /* the highlighted mini-batch moves with each step, the runs standing still */
    for (int i = 0; i < 2; i++) {
        optim_desc d = *optim_desc_get(trainer_run_get(p.trainer, i)->opt);
        d.lr = 1e-300;
        trainer_set_optim(p.trainer, i, &d);
    }
    unsigned char *before = malloc((size_t)W * H * 4);
    assert_non_null(before);
    int changed = 0;
    for (int k = 0; k < 3 && !changed; k++) {   /* a batch of 1 may repeat a sample */
        app_problem_step(&p);
        frame_for(&f, &p, &fd, &dv, ser);
        render(&f, "data_panel_a");
        memcpy(before, F.t.px, (size_t)W * H * 4);
        app_problem_step(&p);
        frame_for(&f, &p, &fd, &dv, ser);
        render(&f, "data_panel_b");
        int diff = 0;
        for (int y = (int)dr.y; y < (int)(dr.y + dr.h); y++)
            for (int x = (int)dr.x; x < (int)(dr.x + dr.w); x++) {
                size_t o = ((size_t)y * W + x) * 4;
                diff += abs(before[o] - F.t.px[o]) + abs(before[o + 1] - F.t.px[o + 1]) > 60;
            }
        changed = diff > 20;
    }
    assert_true(changed);
    /* and full batch: no highlight at all */
    trainer_set_batch(p.trainer, 0);
    app_problem_step(&p);
    frame_for(&f, &p, &fd, &dv, ser);
    assert_null(f.data->batch);
    free(before);
    app_data_view_free(&dv);
    app_problem_destroy(&p);
}

/* compare: the second problem (another loss) in its own panel and texture */
static void test_compare_panels(void **state)
{
    (void)state;
    static app_problem p, q;
    make_problem(&p, "domain = -4, 4, -4, 4\n" "data = moons: n=200, noise=0.1\nsplit = 0.25\nmodel = logistic\n"
                     "batch = 1\nseed = 3\nopt = sgd: lr=0.5\nopt = adam: lr=0.05\n");
    make_problem(&q, "domain = -4, 4, -4, 4\n" "data = moons: n=200, noise=0.1\nsplit = 0.25\nmodel = logistic\nloss = mse\n"
                     "batch = 1\nseed = 3\nopt = sgd: lr=0.5\nopt = adam: lr=0.05\n");
    for (int k = 0; k < 30; k++) {
        app_problem_step(&p);
        app_problem_step(&q);
    }
    app_data_view dv = { 0 };
    render_series ser[8];
    render_field fd, fd2;
    render_frame f;
    frame_for(&f, &p, &fd, &dv, ser);
    f.data = NULL;
    f.layout = SCENE_LAYOUT_COMPARE;
    fd2 = fd;
    fd2.ctx = &q;
    fd2.domain = q.domain;
    f.field2 = &fd2;
    f.tr2 = q.trainer;
    f.label[0] = "cross-entropy";
    f.label[1] = "mean squared error";
    render(&f, "compare");
    /* each run's marker at its own problem's point, in each panel: its true point
     * there, its disc (on the point, or fanned beside it when the runs share a spot)
     * in its colour */
    render_marker mk[RENDER_MAX_MARKERS];
    int nm = renderer_markers(F.r, mk, RENDER_MAX_MARKERS);
    for (int panel = 0; panel < 2; panel++) {
        app_problem *pp = panel ? &q : &p;
        for (int i = 0; i < 2; i++) {
            const trainer_run *run = trainer_run_get(pp->trainer, i);
            double ab[2];
            app_problem_project(pp, run->theta, ab);
            float o[2];
            assert_true(renderer_project(F.r, panel, ab[0], ab[1], run->loss, o));
            int k = 0;
            while (k < nm && !(mk[k].panel == panel && mk[k].run == i))
                k++;
            assert_true(k < nm);
            assert_true(fabsf(mk[k].tx - o[0]) < 1.5f && fabsf(mk[k].ty - o[1]) < 1.5f);
            render_rect near = { mk[k].x - 4, mk[k].y - 4, 9, 9 };
            assert_true(count_colour(near, render_run_color(pp->trainer, i), 30) > 0);
        }
    }
    app_data_view_free(&dv);
    app_problem_destroy(&p);
    app_problem_destroy(&q);
}

int main(void)
{
    if (test_target_open(&F.t, W, H) <= 0)   /* no context, or no complete FBO: the skip rule */
        return test_target_no_gl_status();
    F.r = renderer_create(&(renderer_desc){ 0 });
    if (!F.r)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_surface),
        cmocka_unit_test(test_view_grid),
        cmocka_unit_test(test_data_panel),
        cmocka_unit_test(test_compare_panels),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    renderer_destroy(F.r);
    test_target_close(&F.t);
    return rc;
}
