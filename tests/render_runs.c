/*
 * render_runs.c — render tests: two runs of one optimizer share its colour (issue 9
 * #13) and tell themselves apart by the dash of their lines; a test-set line must not
 * look like a second run (issue 11, lessons 7 and 9):
 *
 *   - the legend's swatch of a second run of a kind shows dashes beside its marker,
 *     the first run's a solid line;
 *   - the loss plot draws the test loss in a lighter shade of the run's colour, and
 *     nothing in that shade without a test set;
 *   - dotted (many short pieces along a flat test line), so it is told from the train
 *     line beside it (a reviewer could not tell moons' light lines from the others).
 *
 * Without a GL context the program exits 77 (ctest: skipped), unless CI=true or
 * LOSSCAPE_REQUIRE_GL=1, where it fails. LOSSCAPE_RENDER_TEST_OUT=DIR keeps the frames.
 */
#include <SDL2/SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_target.h"
#include "surface_field.h"
#include "testutil.h"

#include "core/objective.h"
#include "core/surface.h"
#include "core/trainer.h"
#include "render/renderer.h"
#include "render/render_internal.h"

typedef struct fixture {
    test_target t;
    renderer *r;
    surface surf;
    objective obj;
    trainer *tr;
    render_field field;
} fixture;

static fixture F;

/* Rosenbrock with two SGD runs (two rates): one colour, the second run dashed. */
static void setup_problem(void)
{
    diag err = { 0 };
    surface_init(&F.surf, "rosenbrock", &err);
    F.obj = objective_from_surface(&F.surf);
    static optim_desc opts[2] = { { .kind = OPT_SGD, .lr = 0.001 }, { .kind = OPT_SGD, .lr = 0.0004 } };
    for (int i = 0; i < 2; i++)
        optim_desc_defaults(&opts[i]);
    static double start[2] = { -1.5, 2.0 };
    F.tr = trainer_create(&(trainer_desc){ .obj = &F.obj, .theta0 = start, .n_runs = 2, .opts = opts });
    for (int s = 0; s < 150; s++)
        trainer_step(F.tr);
    F.field = (render_field){ .ctx = &F.surf, .eval = surface_field_eval, .eval_grid = surface_field_grid,
                              .domain = F.surf.domain, .version = 1 };
}

static void frame_defaults(render_frame *f)
{
    memset(f, 0, sizeof *f);
    f->field = &F.field;
    f->tr = F.tr;
    f->title = "render test";
    f->view = SCENE_VIEW_2D;
    f->layout = SCENE_LAYOUT_OVERLAY;
    f->overlays = SCENE_OVERLAY_CONTOURS | SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT;
    f->steps_per_frame = 1;
    f->selected = -1;
}

static void render(const render_frame *f, const char *name) { test_target_draw(&F.t, F.r, f, name); }

static const unsigned char *pixel(int x, int y) { return test_target_pixel(&F.t, x, y); }

static int is_colour(int x, int y, uint32_t rgba, int tol)
{
    const unsigned char *p = pixel(x, y);
    return abs(p[0] - (int)(rgba & 255)) <= tol && abs(p[1] - (int)((rgba >> 8) & 255)) <= tol &&
           abs(p[2] - (int)((rgba >> 16) & 255)) <= tol;
}

static int count_colour_in(int x0, int y0, int x1, int y1, uint32_t rgba, int tol)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            n += is_colour(x, y, rgba, tol);
    return n;
}

/* Right of the map: the side column (legend, plots) starts at about 60 % of the
 * width at 640×400 (layout.c); the map ends before 57 %. */
static int side_x0(void) { return F.t.w * 58 / 100; }

/* Runs of the colour along row y from x0 to x1 separated by at least one pixel of
 * another colour. */
static int segments(int y, int x0, int x1, uint32_t col)
{
    int n = 0, gap = 1;
    for (int x = x0; x < x1; x++) {
        if (is_colour(x, y, col, 12)) {
            if (gap >= 1)
                n++;
            gap = 0;
        } else {
            gap++;
        }
    }
    return n;
}

static void test_legend_swatches(void **state)
{
    (void)state;
    render_frame f;
    frame_defaults(&f);
    render(&f, "runs_legend");
    uint32_t col = render_run_color(F.tr, 0);
    assert_true(col == render_run_color(F.tr, 1));   /* one kind: one colour */
    assert_false(render_run_dashed(F.tr, 0));
    assert_true(render_run_dashed(F.tr, 1));
    /* the swatches: the leftmost pixels of the colour in the legend's top rows */
    int x0 = side_x0(), top = F.t.h / 3, sx = F.t.w;
    for (int y = 0; y < top; y++)
        for (int x = x0; x < F.t.w && x < sx; x++)
            if (is_colour(x, y, col, 12))
                sx = x;
    assert_true(sx < F.t.w);
    float em = rd_em(F.r);
    int lx0 = sx + (int)(em * 0.62f), lx1 = sx + (int)(em * 1.4f);
    /* bands of rows with the colour right of the marker: run 1's, then run 2's */
    int band = -1, in = 0, best[2] = { 0, 0 }, best_y[2] = { -1, -1 };
    for (int y = 0; y < top && band < 2; y++) {
        int n = count_colour_in(lx0, y, lx1, y + 1, col, 12);
        if (n >= 3 && !in) {
            band++;
            in = 1;
        } else if (n < 3) {
            in = 0;
        }
        if (in && band < 2 && n > best[band]) {
            best[band] = n;
            best_y[band] = y;
        }
    }
    assert_true(best_y[0] >= 0 && best_y[1] >= 0);
    int s0 = segments(best_y[0], lx0, lx1, col), s1 = segments(best_y[1], lx0, lx1, col);
    fprintf(stderr, "legend swatches right of the marker: run 1 %d piece(s) (row %d), run 2 %d piece(s) (row %d)\n",
            s0, best_y[0], s1, best_y[1]);
    assert_int_equal(s0, 1);   /* solid */
    assert_true(s1 >= 2);      /* dashed */
}

/* c mixed with white by t: the shade plot.c gives a test line. */
static uint32_t lighter(uint32_t c, float t)
{
    uint32_t out = 0;
    for (int k = 0; k < 3; k++) {
        float v = (float)((c >> (8 * k)) & 0xff);
        out |= (uint32_t)(v + (255.0f - v) * t + 0.5f) << (8 * k);
    }
    return out;
}

static void test_test_line_lighter(void **state)
{
    (void)state;
    enum { N = 16 };
    static long steps[N];
    static double test_loss[2][N];
    for (int j = 0; j < N; j++) {
        steps[j] = 10 * j;
        for (int i = 0; i < 2; i++)
            test_loss[i][j] = (3.0 + i) * exp(-0.01 * (double)steps[j]) + 0.5;
    }
    render_series ser[2], none[2];
    for (int i = 0; i < 2; i++) {
        ser[i] = (render_series){ .count = N, .step = steps, .fresh_step = -1, .test_loss = test_loss[i] };
        none[i] = (render_series){ .count = N, .step = steps, .fresh_step = -1 };
    }
    render_frame f;
    frame_defaults(&f);
    uint32_t light = lighter(render_run_color(F.tr, 0), 0.55f);
    f.series = none;
    render(&f, "runs_no_test");
    int base = count_colour_in(side_x0(), 0, F.t.w, F.t.h, light, 10);
    f.series = ser;
    render(&f, "runs_test");
    int n = count_colour_in(side_x0(), 0, F.t.w, F.t.h, light, 10);
    fprintf(stderr, "test-loss lines: %d pixels of the lighter shade (%d without a test set)\n", n, base);
    assert_true(base <= 5);
    assert_true(n - base >= 60);
}

/* 1 if pixel (x, y) is colour c over the plot's inside at half strength or more: a
 * line that lies between two rows is drawn in both, blended with the background
 * (a 1.6-px line at y = 152.4 shows 74 % and 86 % of its colour in rows 152 and 153,
 * neither within a few levels of the colour itself). */
static int is_colour_over_plot(int x, int y, uint32_t c)
{
    const unsigned char *p = pixel(x, y);
    uint32_t bg = F.r->th->plot_bg;
    double d[3], e[3], dd = 0, de = 0;
    for (int k = 0; k < 3; k++) {
        d[k] = (double)((c >> (8 * k)) & 255) - (double)((bg >> (8 * k)) & 255);
        e[k] = (double)p[k] - (double)((bg >> (8 * k)) & 255);
        dd += d[k] * d[k], de += d[k] * e[k];
    }
    double a = dd > 0 ? de / dd : 0;   /* how much of c */
    if (a < 0.5 || a > 1.1)
        return 0;
    for (int k = 0; k < 3; k++)
        if (fabs(e[k] - a * d[k]) > 16)
            return 0;
    return 1;
}

/* A flat test loss: along its row, the lighter shade comes in many short pieces. */
static void test_test_line_dotted(void **state)
{
    (void)state;
    enum { N = 16 };
    static long steps[N];
    static double test_loss[2][N];
    for (int j = 0; j < N; j++) {
        steps[j] = 10 * j;
        test_loss[0][j] = 1.0;   /* flat, in the middle of the log axis */
        /* run 1 (the same shade): the axis' ends, in the first 10 steps only */
        test_loss[1][j] = j == 0 ? 1e4 : j == 1 ? 1e-6 : NAN;
    }
    render_series ser[2];
    for (int i = 0; i < 2; i++)
        ser[i] = (render_series){ .count = N, .step = steps, .fresh_step = -1, .test_loss = test_loss[i] };
    render_frame f;
    frame_defaults(&f);
    f.series = ser;
    render(&f, "runs_test_dotted");
    uint32_t light = lighter(render_run_color(F.tr, 0), 0.55f);
    int best = 0, by = -1;
    for (int y = 0; y < F.t.h; y++) {
        int n = 0;
        for (int x = side_x0(); x < F.t.w; x++)
            n += is_colour_over_plot(x, y, light);
        if (n > best)
            best = n, by = y;
    }
    assert_true(by > 0 && by + 1 < F.t.h);
    /* the columns with the shade in the line's rows (by ± 1: a line between rows),
     * from its first to its last: a solid line covers nearly all of them */
    int first = -1, last = -1, on = 0;
    for (int x = side_x0(); x < F.t.w; x++) {
        int hit = 0;
        for (int y = by - 1; y <= by + 1; y++)
            hit |= is_colour_over_plot(x, y, light);
        if (hit) {
            on++;
            last = x;
            if (first < 0)
                first = x;
        }
    }
    double cover = last > first ? (double)on / (last - first + 1) : 1;
    fprintf(stderr, "flat test line: rows %d..%d, columns %d..%d, %.0f %% of them with the shade\n", by - 1, by + 1,
            first, last, 100 * cover);
    assert_true(last - first > 50);
    assert_true(cover < 0.75);   /* main: a solid line, over 90 % */
}

int main(void)
{
    int ok = test_target_open(&F.t, 640, 400);
    if (ok == 0)
        return test_target_no_gl_status();
    if (ok < 0)
        return 1;
    F.r = renderer_create(&(renderer_desc){ 0 });
    if (!F.r)
        return 1;
    setup_problem();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_legend_swatches),
        cmocka_unit_test(test_test_line_lighter),
        cmocka_unit_test(test_test_line_dotted),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    renderer_destroy(F.r);
    trainer_destroy(F.tr);
    surface_free(&F.surf);
    test_target_close(&F.t);
    return rc;
}
