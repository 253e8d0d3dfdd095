/*
 * render_logheight.c — issue 9 #1: in 3-D with log height, what is placed on the
 * surface lies on the surface as drawn. Himmelblau's minimum (3, 2) is a pit on the
 * log scale; each item is drawn with and without it (same frame otherwise), and the
 * pixels that change must lie where the drawn mesh's height at the item's points
 * projects (the mesh's own interpolation, render_surface_drawn_norm, not the
 * function's exact value):
 *   - critical points (the minimum's and the maximum's marks): centred on their mesh
 *     points;
 *   - the arrows (−η∇L white, Δθ in the run's colour) of a momentum run on the pit's
 *     slope: along the segments between their mesh-projected ends;
 *   - the σ box of an Adam run there: along its outline laid on the mesh (the box
 *     of world.c: 2.2 em across its larger half side, in domain units by the local
 *     screen scale);
 *   - the Hessian probe's patch and centre mark (depth-tested against the surface):
 *     in sight, around the probe's mesh point.
 * A pass means something: each check first asserts that the exact value on the
 * colours' log scale (what these items used before issue 9 #1) projects at least
 * 8 pixels away from the mesh's height at the item's point, so an item drawn there
 * would fail.
 *
 * Without a GL context the program exits 77 (ctest: skipped), unless CI=true or
 * LOSSCAPE_REQUIRE_GL=1. LOSSCAPE_RENDER_TEST_OUT=DIR keeps the frames as PNG files.
 */
#include <SDL2/SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_target.h"
#include "surface_field.h"
#include "testutil.h"

#include "core/hessian.h"
#include "core/objective.h"
#include "core/surface.h"
#include "core/trainer.h"
#include "render/render_internal.h"
#include "render/renderer.h"

static test_target T;
static renderer *R;
static surface S;
static objective O;
static render_field FD;
static unsigned char *before;

static void frame_for(render_frame *f, trainer *tr)
{
    memset(f, 0, sizeof *f);
    f->field = &FD;
    f->tr = tr;
    f->title = "log height";
    f->view = SCENE_VIEW_3D;
    f->layout = SCENE_LAYOUT_OVERLAY;
    f->overlays = SCENE_OVERLAY_CONTOURS | SCENE_OVERLAY_LOG;
    f->steps_per_frame = 1;
    f->selected = -1;
}

static void render(const render_frame *f, const char *name) { test_target_draw(&T, R, f, name); }

/* Pixel of world point w in panel 0 (as rd_project maps it). */
static void world_px(vec3 w, float out[2])
{
    const panel_state *ps = &R->panels[0];
    vec4 p = { w[0], w[1], w[2], 1 }, c;
    glm_mat4_mulv((vec4 *)ps->mvp, p, c);
    out[0] = ps->map.x + (c[0] / c[3] * 0.5f + 0.5f) * ps->map.w;
    out[1] = ps->map.y + (0.5f - c[1] / c[3] * 0.5f) * ps->map.h;
}

/* Where domain point (x, y) is drawn on the mesh (its own interpolated height), lifted
 * by `lift` as the renderer lifts what it places there. */
static void mesh_px(double x, double y, float lift, float out[2])
{
    const render_surface *rs = R->panels[0].rs;
    vec3 w;
    render_surface_world(rs, x, y, 0, 1, w);
    w[2] = render_surface_drawn_norm(rs, x, y) * RENDER_ZSCALE + lift;
    world_px(w, out);
}

/* Where the exact value at (x, y) on the colours' log scale projects (before issue 9 #1). */
static void exact_px(double x, double y, float lift, float out[2])
{
    const render_surface *rs = R->panels[0].rs;
    vec3 w;
    render_surface_world(rs, x, y, 0, 1, w);
    w[2] = render_surface_norm(rs, surface_eval(&S, x, y, NULL, NULL), 1) * RENDER_ZSCALE + lift;
    world_px(w, out);
}

static void assert_discriminates(double x, double y)
{
    float a[2], b[2];
    mesh_px(x, y, 0.02f, a);
    exact_px(x, y, 0.02f, b);
    fprintf(stderr, "  (%.3g, %.3g): mesh at (%.1f, %.1f), exact colour-scale value at (%.1f, %.1f)\n", x, y,
            a[0], a[1], b[0], b[1]);
    assert_true(hypotf(a[0] - b[0], a[1] - b[1]) >= 8);
}

static int changed(int x, int y)
{
    const unsigned char *a = test_target_pixel(&T, x, y), *b = before + ((size_t)y * T.w + x) * 4;
    return abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]) > 24;
}

static float seg_dist(float px, float py, const float a[2], const float b[2])
{
    float dx = b[0] - a[0], dy = b[1] - a[1], l2 = dx * dx + dy * dy;
    float t = l2 > 0 ? ((px - a[0]) * dx + (py - a[1]) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypotf(px - a[0] - t * dx, py - a[1] - t * dy);
}

/* A trainer of one run of kind k from (x0, y0), `steps` steps. */
static trainer *one_run(optim_kind k, double lr, double x0, double y0, int steps)
{
    static optim_desc od;
    od = (optim_desc){ .kind = k, .lr = lr };
    optim_desc_defaults(&od);
    static double start[2];
    start[0] = x0, start[1] = y0;
    trainer *tr = trainer_create(&(trainer_desc){ .obj = &O, .theta0 = start, .n_runs = 1, .opts = &od });
    assert_non_null(tr);
    for (int s = 0; s < steps; s++)
        trainer_step(tr);
    return tr;
}

static void keep_before(void) { memcpy(before, T.px, (size_t)T.w * T.h * 4); }

/* ==== tests ==== */

/* The bounding box of the changed pixels within 40 px of m is centred on m. */
static void mark_centred(const float m[2], const char *what)
{
    int n = 0, x0 = T.w, x1 = -1, y0 = T.h, y1 = -1;
    for (int y = (int)m[1] - 40; y <= (int)m[1] + 40; y++)
        for (int x = (int)m[0] - 40; x <= (int)m[0] + 40; x++)
            if (x >= 0 && y >= 0 && x < T.w && y < T.h && changed(x, y)) {
                n++;
                x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1, y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
            }
    fprintf(stderr, "%s: %d changed pixels, box (%d..%d, %d..%d), mesh point (%.1f, %.1f)\n", what, n, x0, x1, y0,
            y1, m[0], m[1]);
    assert_true(n >= 20);
    /* the mark (a triangle in its circle, radius 0.5 em + outline) centred on the point */
    assert_true(fabsf(0.5f * (x0 + x1 + 1) - m[0]) <= 3 && fabsf(0.5f * (y0 + y1 + 1) - m[1]) <= 4);
}

/* The minimum (3, 2) at the pit's bottom and the maximum (−0.2708, −0.9230) on high
 * ground, where the colours' log scale and the mesh's differ most (at the bottom the
 * bowl reaches the exact value, and the two agree). */
static void test_critical_points(void **state)
{
    (void)state;
    trainer *tr = one_run(OPT_SGD, 0.0, -4.5, 4.5, 0);   /* a run far from both */
    critical_point c[2] = { { .type = POINT_MINIMUM, .x = 3, .y = 2, .merged = 1 },
                            { .type = POINT_MAXIMUM, .x = -0.270845, .y = -0.923039, .merged = 1 } };
    for (int k = 0; k < 2; k++)
        c[k].value = surface_eval(&S, c[k].x, c[k].y, NULL, NULL);
    render_frame f;
    frame_for(&f, tr);
    render(&f, "log-crit-off");
    keep_before();
    f.overlays |= SCENE_OVERLAY_CRITICAL;
    assert_discriminates(c[1].x, c[1].y);
    for (int k = 0; k < 2; k++) {   /* one at a time: on screen they are 20 px apart */
        f.crit = &c[k];
        f.n_crit = 1;
        render(&f, k ? "log-crit-max" : "log-crit-min");
        float m[2];
        mesh_px(c[k].x, c[k].y, 0.015f, m);
        mark_centred(m, k ? "maximum" : "minimum");
    }
    trainer_destroy(tr);
}

static void test_arrows(void **state)
{
    (void)state;
    trainer *tr = one_run(OPT_MOMENTUM, 0.004, 2.2, 1.0, 12);   /* on the pit's slope */
    const trainer_run *run = trainer_run_get(tr, 0);
    render_frame f;
    frame_for(&f, tr);
    render(&f, "log-arrows-off");
    keep_before();
    f.overlays |= SCENE_OVERLAY_ARROWS;
    render(&f, "log-arrows-on");
    double x = run->theta[0], y = run->theta[1], g[2], k = R->arrow_mag;
    surface_eval(&S, x, y, g, NULL);
    double prev[2];
    rd_run_points(&(render_frame){ .field = &FD, .tr = tr }, run, (double[2]){ 0, 0 }, prev);
    double ends[2][2] = { { x - k * run->lr * g[0], y - k * run->lr * g[1] },
                          { x + k * (x - prev[0]), y + k * (y - prev[1]) } };
    float a[2], b[2][2];
    mesh_px(x, y, 0.02f, a);
    for (int v = 0; v < 2; v++)
        mesh_px(ends[v][0], ends[v][1], 0.02f, b[v]);
    fprintf(stderr, "arrows from (%.1f, %.1f) to (%.1f, %.1f) and (%.1f, %.1f), magnified %g\n", a[0], a[1],
            b[0][0], b[0][1], b[1][0], b[1][1], k);
    assert_discriminates(ends[0][0], ends[0][1]);
    int n = 0, on = 0;   /* within 150 px of the point (the HUD may name the magnification) */
    for (int yy = 0; yy < T.h; yy++)
        for (int xx = 0; xx < T.w; xx++)
            if (hypotf(xx - a[0], yy - a[1]) <= 150 && changed(xx, yy)) {
                n++;
                float d = fminf(seg_dist((float)xx, (float)yy, a, b[0]), seg_dist((float)xx, (float)yy, a, b[1]));
                on += d <= 6;
            }
    fprintf(stderr, "arrows: %d changed pixels, %d within 6 px of the mesh-projected segments\n", n, on);
    assert_true(n >= 30);
    assert_true(on >= n * 9 / 10);
    trainer_destroy(tr);
}

static void test_sigma_box(void **state)
{
    (void)state;
    trainer *tr = one_run(OPT_ADAM, 0.05, 2.2, 1.0, 8);
    const trainer_run *run = trainer_run_get(tr, 0);
    render_frame f;
    frame_for(&f, tr);
    render(&f, "log-sigma-off");
    keep_before();
    f.overlays |= SCENE_OVERLAY_ARROWS;
    render(&f, "log-sigma-on");
    /* world.c's box: half sides 2.2 em · σ/max σ in pixels, in domain units by the
     * larger of the two axes' pixels per unit at the point (measured 1 % of the
     * domain away, on the mesh) */
    double x = run->theta[0], y = run->theta[1], sg[2];
    optim_sigma(run->opt, sg);
    double sm = fmax(sg[0], sg[1]), em = rd_em(R), dl = 0.01 * 10;
    float a[2], px[2], py[2];
    mesh_px(x, y, 0.02f, a);
    mesh_px(x + dl, y, 0.02f, px);
    mesh_px(x, y + dl, 0.02f, py);
    double scale = fmax(hypot(px[0] - a[0], px[1] - a[1]), hypot(py[0] - a[0], py[1] - a[1])) / dl;
    double hx = fmax(em * 2.2 * sg[0] / sm, 2) / scale, hy = fmax(em * 2.2 * sg[1] / sm, 2) / scale;
    enum { M = 64 };
    float outline[4 * M + 1][2];
    static const double cx[5] = { -1, 1, 1, -1, -1 }, cy[5] = { -1, -1, 1, 1, -1 };
    int m = 0;
    for (int e = 0; e < 4; e++)
        for (int s = 0; s < M; s++) {
            double t = (double)s / M;
            double ox = x + hx * (cx[e] + (cx[e + 1] - cx[e]) * t), oy = y + hy * (cy[e] + (cy[e + 1] - cy[e]) * t);
            mesh_px(ox, oy, 0.02f, outline[m++]);
        }
    outline[m][0] = outline[0][0], outline[m][1] = outline[0][1];
    assert_discriminates(x + hx, y - hy);
    uint32_t c = render_run_color(tr, 0);
    int cr = c & 255, cg = (c >> 8) & 255, cb = (c >> 16) & 255, n = 0, on = 0;
    for (int yy = 0; yy < T.h; yy++)
        for (int xx = 0; xx < T.w; xx++) {
            const unsigned char *p = test_target_pixel(&T, xx, yy);
            if (hypotf(xx - a[0], yy - a[1]) > 150 || !changed(xx, yy) || abs(p[0] - cr) > 30 || abs(p[1] - cg) > 30 || abs(p[2] - cb) > 30)
                continue;
            float d = 1e9f;
            for (int k = 0; k < m; k++)
                d = fminf(d, seg_dist((float)xx, (float)yy, outline[k], outline[k + 1]));
            n++;
            on += d <= 4;
        }
    fprintf(stderr, "sigma box: half sides %.3g, %.3g; %d new pixels of its colour, %d within 4 px of the outline"
            " on the mesh\n", hx, hy, n, on);
    /* the Δθ arrow is of the run's colour too: most of the new colour is the outline */
    assert_true(n >= 60);
    assert_true(on >= n * 3 / 4);
    trainer_destroy(tr);
}

static void test_probe_patch(void **state)
{
    (void)state;
    trainer *tr = one_run(OPT_SGD, 0.0, -4.5, -0.5, 0);
    render_frame f;
    frame_for(&f, tr);
    render(&f, "log-probe-off");
    keep_before();
    f.overlays |= SCENE_OVERLAY_PROBE;
    f.probe_valid = 1;
    f.probe[0] = 3.5, f.probe[1] = 2.5;
    render(&f, "log-probe-on");
    assert_discriminates(3.5, 2.5);
    float m[2];
    mesh_px(3.5, 2.5, 0.02f, m);
    /* the patch (±12 % of the domain) brightens the surface around the point; its
     * white centre mark is in sight at the point (both depth-tested) */
    int n = 0, white = 0;
    for (int y = (int)m[1] - 60; y <= (int)m[1] + 60; y++)
        for (int x = (int)m[0] - 60; x <= (int)m[0] + 60; x++) {
            if (x < 0 || y < 0 || x >= T.w || y >= T.h || !changed(x, y))
                continue;
            n++;
            const unsigned char *p = test_target_pixel(&T, x, y);
            if (hypotf(x - m[0], y - m[1]) <= 5 && p[0] > 220 && p[1] > 220 && p[2] > 220)
                white++;
        }
    fprintf(stderr, "probe: %d changed pixels around (%.1f, %.1f), %d white within 5 px\n", n, m[0], m[1], white);
    assert_true(n >= 400);
    assert_true(white >= 4);
    trainer_destroy(tr);
}

int main(void)
{
    int st = test_target_start(&T, 640, 400, &R);
    if (st >= 0)
        return st;
    diag err = { 0 };
    if (!surface_init(&S, "himmelblau", &err))
        return 1;
    O = objective_from_surface(&S);
    FD = (render_field){ .ctx = &S, .eval = surface_field_eval, .eval_grid = surface_field_grid, .domain = S.domain, .version = 1 };
    before = malloc((size_t)T.w * T.h * 4);
    if (!before)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_critical_points),
        cmocka_unit_test(test_arrows),
        cmocka_unit_test(test_sigma_box),
        cmocka_unit_test(test_probe_patch),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(before);
    surface_free(&S);
    return test_target_finish(&T, R, rc);
}
