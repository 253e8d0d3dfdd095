/*
 * render_frame.c — render tests: real frames of a real scene on Mesa's software
 * OpenGL (SDL_VIDEODRIVER=offscreen), checked pixel by pixel.
 *
 *   - the 2-D map is not blank or uniform;
 *   - each run's colour appears at its projected current point (2-D and 3-D);
 *   - with the arrows on, each adaptive run's σ box surrounds its point in 3-D;
 *   - picking in the compare layout's second 3-D panel uses that panel's field;
 *   - the map keeps the domain's aspect after a resize to a tall framebuffer;
 *   - a failed shader reload keeps the old programs (the frame still renders);
 *   - the static-layer cache changes no pixel, whatever input changes between frames;
 *   - the sharpness plot draws each run's line (against the same layout without);
 *   - layout arithmetic (no GL).
 *
 * Without a GL context the program exits 77 (ctest: skipped), unless CI=true or
 * LOSSCAPE_REQUIRE_GL=1, where it fails. Set LOSSCAPE_RENDER_TEST_OUT=DIR to keep
 * the frames as PNG files.
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
#include "render/layout.h"
#include "render/renderer.h"
#include "render/render_internal.h"

/* ==== fixture: one context, one renderer, rosenbrock with five runs ==== */

typedef struct fixture {
    test_target t;   /* the context and the FBO (render_target.h) */
    renderer *r;
    surface surf;
    objective obj;
    trainer *tr;
    render_field field;
} fixture;

static fixture F;

static void setup_problem(void)
{
    diag err = { 0 };
    surface_init(&F.surf, "rosenbrock", &err);
    F.obj = objective_from_surface(&F.surf);
    static optim_desc opts[5] = {
        { .kind = OPT_SGD, .lr = 0.001 },      { .kind = OPT_MOMENTUM, .lr = 0.0005 },
        { .kind = OPT_ADAGRAD, .lr = 0.5 },    { .kind = OPT_RMSPROP, .lr = 0.01 },
        { .kind = OPT_ADAM, .lr = 0.05 },
    };
    for (int i = 0; i < 5; i++)
        optim_desc_defaults(&opts[i]);
    static double start[2] = { -1.5, 2.0 };
    F.tr = trainer_create(&(trainer_desc){ .obj = &F.obj, .theta0 = start, .n_runs = 5, .opts = opts });
    for (int s = 0; s < 150; s++)
        trainer_step(F.tr);
    F.field = (render_field){ .ctx = &F.surf, .eval = surface_field_eval, .eval_grid = surface_field_grid,
                              .domain = F.surf.domain, .version = 1 };
}

static void frame_defaults(render_frame *f, scene_view view)
{
    memset(f, 0, sizeof *f);
    f->field = &F.field;
    f->tr = F.tr;
    f->title = "render test";
    f->view = view;
    f->layout = SCENE_LAYOUT_OVERLAY;
    f->overlays = SCENE_OVERLAY_CONTOURS | SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT | SCENE_OVERLAY_LOG;
    f->steps_per_frame = 1;
    f->selected = -1;
}

/* Draw into the FBO and read it back (rows top-down). */
static void render(const render_frame *f, const char *name) { test_target_draw(&F.t, F.r, f, name); }

static const unsigned char *pixel(int x, int y) { return test_target_pixel(&F.t, x, y); }

/* Is there a pixel within `radius` of (cx, cy) within `tol` (per channel) of rgba? */
static int colour_near(float cx, float cy, int radius, uint32_t rgba, int tol)
{
    int r = rgba & 255, g = (rgba >> 8) & 255, b = (rgba >> 16) & 255;
    for (int y = (int)cy - radius; y <= (int)cy + radius; y++)
        for (int x = (int)cx - radius; x <= (int)cx + radius; x++) {
            if (x < 0 || y < 0 || x >= F.t.w || y >= F.t.h)
                continue;
            const unsigned char *p = pixel(x, y);
            if (abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol)
                return 1;
        }
    return 0;
}

/* ==== tests ==== */

static void test_map_not_blank(void **state)
{
    (void)state;
    render_frame f;
    frame_defaults(&f, SCENE_VIEW_2D);
    render(&f, "map2d");
    /* inside the map: the rectangle spanned by the projected domain corners */
    surface_domain d = F.field.domain;
    float a[2], b[2];
    assert_true(renderer_project(F.r, 0, d.xmin, d.ymax, 0, a));
    assert_true(renderer_project(F.r, 0, d.xmax, d.ymin, 0, b));
    assert_true(b[0] - a[0] > 100 && b[1] - a[1] > 100);
    double sum[3] = { 0 }, sq[3] = { 0 };
    int n = 0, distinct = 0;
    unsigned seen[64] = { 0 };
    for (int y = (int)a[1] + 2; y < (int)b[1] - 2; y += 3)
        for (int x = (int)a[0] + 2; x < (int)b[0] - 2; x += 3) {
            const unsigned char *p = pixel(x, y);
            for (int c = 0; c < 3; c++) {
                sum[c] += p[c];
                sq[c] += (double)p[c] * p[c];
            }
            unsigned key = (unsigned)((p[0] >> 6) | ((p[1] >> 6) << 2) | ((p[2] >> 6) << 4));
            if (!seen[key]++)
                distinct++;
            n++;
        }
    double var = 0;
    for (int c = 0; c < 3; c++)
        var += sq[c] / n - (sum[c] / n) * (sum[c] / n);
    fprintf(stderr, "map: %d samples, colour variance %.1f, %d colour bins\n", n, var, distinct);
    assert_true(var > 300);     /* a colour map over decades of loss, not a flat fill */
    assert_true(distinct >= 6);
}

/* Each run's marker: its true point where the run is, its disc (on the point, or
 * fanned beside it when runs share a spot: render/fan.h) in its colour. */
static void check_current_points(const char *what)
{
    int found = 0, total = 0;
    render_marker mk[RENDER_MAX_MARKERS];
    int nm = renderer_markers(F.r, mk, RENDER_MAX_MARKERS);
    for (int i = 0; i < trainer_run_count(F.tr); i++) {
        const trainer_run *run = trainer_run_get(F.tr, i);
        if (run->diverged)
            continue;
        float p[2];
        assert_true(renderer_project(F.r, 0, run->theta[0], run->theta[1], run->loss, p));
        int k = 0;
        while (k < nm && !(mk[k].panel == 0 && mk[k].run == i))
            k++;
        assert_true(k < nm);
        assert_true(fabsf(mk[k].tx - p[0]) < 1.5f && fabsf(mk[k].ty - p[1]) < 1.5f);
        int ok = colour_near(mk[k].x, mk[k].y, 4, render_run_color(F.tr, i), 24);
        fprintf(stderr, "%s: run %d at (%.0f, %.0f): colour %s\n", what, i, p[0], p[1], ok ? "found" : "MISSING");
        found += ok;
        total++;
    }
    assert_true(total >= 4);
    assert_int_equal(found, total);
}

static void test_trail_colours_2d(void **state)
{
    (void)state;
    render_frame f;
    frame_defaults(&f, SCENE_VIEW_2D);
    render(&f, "trails2d");
    check_current_points("2d");
    /* and a point in the middle of each trail shows its colour nearby (wider
     * tolerance: the tail fades and trails may cross): the first of 3/4, 7/8, 5/8
     * and 1/2 of the way that no marker's disc covers (the markers are checked
     * above; where they sit depends on the frame's layout) */
    render_marker mk[RENDER_MAX_MARKERS];
    int nm = renderer_markers(F.r, mk, RENDER_MAX_MARKERS);
    int found = 0;
    for (int i = 0; i < trainer_run_count(F.tr); i++) {
        int n;
        const trainer_point *h = trainer_history(F.tr, i, &n);
        float p[2] = { 0, 0 };
        int at = n * 3 / 4;
        static const int eighths[] = { 6, 7, 5, 4 };
        for (int e = 0; e < 4; e++) {
            at = n * eighths[e] / 8;
            const double *th = trainer_history_theta(F.tr, i, at);
            renderer_project(F.r, 0, th[0], th[1], h[at].loss, p);
            int covered = 0;
            for (int k = 0; k < nm; k++)
                covered |= hypotf(mk[k].x - p[0], mk[k].y - p[1]) < 9.0f;
            if (!covered)
                break;
        }
        int ok = colour_near(p[0], p[1], 5, render_run_color(F.tr, i), 60);
        fprintf(stderr, "2d: run %d's trail at step %d (%.0f, %.0f): colour %s\n", i, at, p[0], p[1],
                ok ? "found" : "MISSING");
        found += ok;
    }
    assert_true(found >= 4);
}

static void test_trail_colours_3d(void **state)
{
    (void)state;
    render_frame f;
    frame_defaults(&f, SCENE_VIEW_3D);
    render(&f, "trails3d");
    check_current_points("3d");
}

/* The σ boxes of the adaptive runs (adagrad, rmsprop, adam) in 3-D with the arrows
 * on: around each such run's projected point, pixels of the run's colour appear
 * that the same frame without arrows lacks, on (nearly) every side of the point: an
 * outline around it, not the update arrow, which leaves in one direction. Its own
 * problem: one adaptive run at a time on booth's tilted bowl, started on a slope
 * (in a narrow valley such as rosenbrock's the box climbs both walls and rises
 * above the point on screen, and the fixture's runs crowd one another). */
static void test_sigma_boxes_3d(void **state)
{
    (void)state;
    diag err = { 0 };
    surface s;
    assert_true(surface_init(&s, "booth", &err));
    objective obj = objective_from_surface(&s);
    render_field fd = { .ctx = &s, .eval = surface_field_eval, .eval_grid = surface_field_grid, .domain = s.domain, .version = 7 };
    static const optim_kind kinds[3] = { OPT_ADAGRAD, OPT_RMSPROP, OPT_ADAM };
    size_t bytes = (size_t)F.t.w * F.t.h * 4;
    unsigned char *off = malloc(bytes);
    assert_non_null(off);
    for (int q = 0; q < 3; q++) {
        optim_desc od = { .kind = kinds[q], .lr = 0.3 };
        optim_desc_defaults(&od);
        double start[2] = { -5.0, 6.0 };
        trainer *tr = trainer_create(&(trainer_desc){ .obj = &obj, .theta0 = start, .n_runs = 1, .opts = &od });
        assert_non_null(tr);
        for (int k = 0; k < 5; k++)
            trainer_step(tr);
        render_frame f;
        frame_defaults(&f, SCENE_VIEW_3D);
        f.field = &fd;
        f.tr = tr;
        f.overlays &= ~(unsigned)SCENE_OVERLAY_LOG;
        render(&f, "arrows3d-off");
        memcpy(off, F.t.px, bytes);
        f.overlays |= SCENE_OVERLAY_ARROWS;
        render(&f, "arrows3d-on");
        const trainer_run *run = trainer_run_get(tr, 0);
        float p[2];
        assert_true(renderer_project(F.r, 0, run->theta[0], run->theta[1], run->loss, p));
        uint32_t c = render_run_color(tr, 0);
        int cr = c & 255, cg = (c >> 8) & 255, cb = (c >> 16) & 255, tol = 24;
        int sectors[8] = { 0 }, n_new = 0;
        const int rin = 9, rout = 70;   /* outside the marker, inside a box of 2.2 em */
        for (int y = (int)p[1] - rout; y <= (int)p[1] + rout; y++)
            for (int x = (int)p[0] - rout; x <= (int)p[0] + rout; x++) {
                float dx = (float)x - p[0], dy = (float)y - p[1], d2 = dx * dx + dy * dy;
                if (x < 0 || y < 0 || x >= F.t.w || y >= F.t.h || d2 < rin * rin || d2 > rout * rout)
                    continue;
                const unsigned char *a = pixel(x, y), *b = off + ((size_t)y * F.t.w + x) * 4;
                int on = abs(a[0] - cr) <= tol && abs(a[1] - cg) <= tol && abs(a[2] - cb) <= tol;
                int was = abs(b[0] - cr) <= tol && abs(b[1] - cg) <= tol && abs(b[2] - cb) <= tol;
                if (on && !was) {
                    int sct = (int)floorf((atan2f(dy, dx) + 3.14159265f) / (2 * 3.14159265f) * 8) & 7;
                    sectors[sct]++;
                    n_new++;
                }
            }
        int around = 0;
        for (int sct = 0; sct < 8; sct++)
            around += sectors[sct] >= 2;
        fprintf(stderr, "3d sigma box: %s at (%.0f, %.0f): %d new pixels of its colour, %d of 8 sides"
                " (%d %d %d %d %d %d %d %d)\n", optim_kind_name(kinds[q]), p[0], p[1], n_new, around,
                sectors[0], sectors[1], sectors[2], sectors[3], sectors[4], sectors[5], sectors[6], sectors[7]);
        trainer_destroy(tr);
        assert_true(n_new >= 40);
        assert_true(around >= 6);
    }
    free(off);
    surface_free(&s);
    renderer_set_field(F.r, &F.field);   /* the fixture's surface again */
}

/* Picking in the compare layout's second 3-D panel marches against that panel's
 * own field (field2), not the first problem's: the point drawn at a pixel of the
 * second panel is the point picked there. */
static void test_pick_compare_3d(void **state)
{
    (void)state;
    diag err = { 0 };
    surface s2;
    assert_true(surface_init(&s2, "himmelblau", &err));
    render_field f2 = { .ctx = &s2, .eval = surface_field_eval, .eval_grid = surface_field_grid, .domain = s2.domain, .version = 1 };
    render_frame f;
    frame_defaults(&f, SCENE_VIEW_3D);
    f.layout = SCENE_LAYOUT_COMPARE;
    f.overlays &= ~(unsigned)SCENE_OVERLAY_LOG;
    f.field2 = &f2;
    f.tr2 = F.tr;
    renderer_set_field2(F.r, &f2);
    render(&f, "compare3d");
    const double pts[3][2] = { { 3.0, 2.0 }, { -0.3, -0.9 }, { 1.5, -3.0 } };
    double span = s2.domain.xmax - s2.domain.xmin;
    for (int k = 0; k < 3; k++) {
        double v = surface_eval(&s2, pts[k][0], pts[k][1], NULL, NULL), x = 0, y = 0;
        float p[2];
        assert_true(renderer_project(F.r, 1, pts[k][0], pts[k][1], v, p));
        int hit = renderer_pick(F.r, &f, p[0], p[1], &x, &y);
        fprintf(stderr, "compare pick: (%.2f, %.2f) drawn at (%.0f, %.0f), picked %s (%.3f, %.3f)\n", pts[k][0],
                pts[k][1], p[0], p[1], hit ? "" : "nothing", x, y);
        assert_true(hit);
        assert_true(hypot(x - pts[k][0], y - pts[k][1]) < 0.03 * span);
    }
    surface_free(&s2);
    renderer_invalidate_surface(F.r);   /* slot 1 back to the first field for later tests */
}

static void test_aspect_after_resize(void **state)
{
    (void)state;
    surface_domain d = F.field.domain;
    double want = (d.xmax - d.xmin) / (d.ymax - d.ymin);
    int sizes[2][2] = { { 640, 400 }, { 400, 640 } };
    for (int k = 0; k < 2; k++) {
        assert_true(test_target_resize(&F.t, sizes[k][0], sizes[k][1]));
        render_frame f;
        frame_defaults(&f, SCENE_VIEW_2D);
        f.overlays = SCENE_OVERLAY_CONTOURS;
        render(&f, k ? "resize-tall" : "resize-wide");
        float a[2], b[2];
        assert_true(renderer_project(F.r, 0, d.xmin, d.ymax, 0, a));
        assert_true(renderer_project(F.r, 0, d.xmax, d.ymin, 0, b));
        double got = (b[0] - a[0]) / (b[1] - a[1]);
        fprintf(stderr, "%dx%d: map %.0fx%.0f, aspect %.3f (domain %.3f)\n", F.t.w, F.t.h, b[0] - a[0],
                b[1] - a[1], got, want);
        expect_near(got, want, 0.02 * want);
        assert_true(b[0] <= F.t.w && b[1] <= F.t.h && a[0] >= 0 && a[1] >= 0);
        /* the map really is there: just inside its corners is not the background */
        const unsigned char *in = pixel((int)a[0] + 3, (int)b[1] - 3);
        assert_false(in[0] == 20 && in[1] == 22 && in[2] == 27);
    }
    assert_true(test_target_resize(&F.t, 640, 400));
}

static void test_reload_failure_keeps_programs(void **state)
{
    (void)state;
    assert_false(renderer_reload_shaders(F.r, "/nonexistent/shaders"));
    render_frame f;
    frame_defaults(&f, SCENE_VIEW_2D);
    render(&f, "after-reload");
    check_current_points("after failed reload");
}

/* Draw f with renderer r into the FBO and read it back (bottom-up) into out. */
static void render_into(renderer *r, const render_frame *f, unsigned char *out)
{
    glBindFramebuffer(GL_FRAMEBUFFER, F.t.fbo);
    renderer_set_field(r, f->field);
    if (f->field2)
        renderer_set_field2(r, f->field2);
    renderer_draw(r, f, F.t.w, F.t.h);
    test_target_read_raw(&F.t, out);
}

/* The static-layer cache (each 2-D panel's heat map drawn once into a texture)
 * changes no pixel: after each change of an input that the cache keys on (and of
 * the runs, which it must not keep), the cached renderer's frame equals, byte for
 * byte, the frame of a renderer drawing everything every time. */
static void test_static_cache_same_pixels(void **state)
{
    (void)state;
    renderer *ref = renderer_create(&(renderer_desc){ .no_cache = 1 });
    assert_non_null(ref);
    *renderer_camera(ref) = *renderer_camera(F.r);
    assert_true(test_target_resize(&F.t, 640, 400));
    size_t bytes = (size_t)F.t.w * F.t.h * 4;
    unsigned char *a = malloc(bytes), *b = malloc(bytes);
    assert_non_null(a);
    assert_non_null(b);
    render_field zoomed = F.field;
    zoomed.domain.xmin *= 0.5, zoomed.domain.xmax *= 0.5;
    zoomed.version = 2;
    render_frame f;
    frame_defaults(&f, SCENE_VIEW_2D);
    f.overlays |= SCENE_OVERLAY_CRITICAL | SCENE_OVERLAY_ARROWS;
    static const char *const what[] = {
        "first frame", "second frame (from the cache)", "runs stepped", "colour map", "linear scale",
        "contours off", "contours on", "new field domain", "field back", "panels layout",
        "split view", "compare layout", "overlay again", "side column off", "resized", "shaders reloaded",
        "surface invalidated", "3-D view", "3-D again (from the cache)", "3-D runs stepped",
        "camera orbited", "camera still (cached again)", "3-D linear scale", "split view", "split again (3-D from the cache)",
    };
    for (int k = 0; k < (int)(sizeof what / sizeof *what); k++) {
        switch (k) {
        case 2: for (int s = 0; s < 5; s++) trainer_step(F.tr); break;
        case 3: f.colormap = 2; break;
        case 4: f.overlays &= ~(unsigned)SCENE_OVERLAY_LOG; break;
        case 5: f.overlays &= ~(unsigned)SCENE_OVERLAY_CONTOURS; break;
        case 6: f.overlays |= SCENE_OVERLAY_CONTOURS; break;
        case 7: f.field = &zoomed; break;
        case 8: f.field = &F.field; break;
        case 9: f.layout = SCENE_LAYOUT_PANELS; break;
        case 10: f.layout = SCENE_LAYOUT_OVERLAY, f.view = SCENE_VIEW_SPLIT; break;
        case 11: f.layout = SCENE_LAYOUT_COMPARE, f.view = SCENE_VIEW_2D, f.log2 = 1; break;
        case 12: f.layout = SCENE_LAYOUT_OVERLAY; break;
        case 13: f.overlays &= ~(unsigned)(SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT); break;
        case 14:
            assert_true(test_target_resize(&F.t, 501, 333));   /* odd sizes: the map lands on odd pixels */
            bytes = (size_t)F.t.w * F.t.h * 4;
            a = realloc(a, bytes), b = realloc(b, bytes);
            assert_non_null(a);
            assert_non_null(b);
            break;
        case 15: assert_true(renderer_reload_shaders(F.r, NULL)); break;
        case 16: renderer_invalidate_surface(F.r); break;
        case 17: f.view = SCENE_VIEW_3D; break;
        case 19: for (int s = 0; s < 5; s++) trainer_step(F.tr); break;
        case 20:
            camera_orbit(renderer_camera(F.r), 0.3f, 0.1f);
            camera_orbit(renderer_camera(ref), 0.3f, 0.1f);
            break;
        case 22: f.overlays &= ~(unsigned)SCENE_OVERLAY_LOG; break;
        case 23: f.view = SCENE_VIEW_SPLIT; break;
        default: break;
        }
        render_into(F.r, &f, a);
        render_into(ref, &f, b);
        size_t diff = 0;
        for (size_t i = 0; i < bytes; i++)
            diff += a[i] != b[i];
        fprintf(stderr, "cache: %-32s %zu bytes differ\n", what[k], diff);
        assert_int_equal(diff, 0);
    }
    free(a);
    free(b);
    renderer_destroy(ref);
    assert_true(test_target_resize(&F.t, 640, 400));
}

/* Targets with other depth formats than the offscreen ones: DEPTH24_STENCIL8 (as a
 * window's own framebuffer often is: the layer takes that format, its depth copies
 * stay plain copies) and DEPTH_COMPONENT16 (the layer's depth cannot be copied into
 * it: its 3-D panels are drawn directly over the copied background). The frames are
 * those of a renderer without the cache, byte for byte, through orbits (each a first
 * sight, then the same camera again and again) and a change of view. Before each
 * frame the target's depth is set to the nearest value: a cached frame must bring
 * the surface's depth wherever the depth-tested overlays draw (rd_depth_for), not
 * rely on what the last frame left. */
static void layer_with_depth_format(GLenum depth_fmt)
{
    renderer *cached = renderer_create(&(renderer_desc){ 0 });
    renderer *ref = renderer_create(&(renderer_desc){ .no_cache = 1 });
    assert_non_null(cached);
    assert_non_null(ref);
    int w = 480, h = 300;
    GLuint fbo, rb[2];
    glGenFramebuffers(1, &fbo);
    glGenRenderbuffers(2, rb);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glBindRenderbuffer(GL_RENDERBUFFER, rb[0]);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb[0]);
    glBindRenderbuffer(GL_RENDERBUFFER, rb[1]);
    glRenderbufferStorage(GL_RENDERBUFFER, depth_fmt, w, h);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER,
                              depth_fmt == GL_DEPTH24_STENCIL8 ? GL_DEPTH_STENCIL_ATTACHMENT : GL_DEPTH_ATTACHMENT,
                              GL_RENDERBUFFER, rb[1]);
    assert_int_equal(glCheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
    size_t bytes = (size_t)w * h * 4;
    unsigned char *a = malloc(bytes), *b = malloc(bytes), *prev = calloc(1, bytes);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(prev);
    render_frame f;
    frame_defaults(&f, SCENE_VIEW_3D);
    int changed = 0;
    for (int k = 0; k < 12; k++) {
        if (k == 4 || k == 5 || k == 8) {   /* orbit both cameras (twice in a row: an orbit) */
            camera_orbit(renderer_camera(cached), 25.0f, 5.0f);
            camera_orbit(renderer_camera(ref), 25.0f, 5.0f);
        }
        if (k == 10)
            f.view = SCENE_VIEW_SPLIT;
        renderer *rs[2] = { cached, ref };
        unsigned char *out[2] = { a, b };
        for (int i = 0; i < 2; i++) {
            glBindFramebuffer(GL_FRAMEBUFFER, fbo);
            /* the target's depth as a window's back buffer may hold it after a swap:
             * anything (here: nearest everywhere, which hides every overlay pixel
             * whose depth the frame did not set), not the last frame's surface */
            glDisable(GL_SCISSOR_TEST);
            glDepthMask(GL_TRUE);
            glClearDepth(0.0);
            glClear(GL_DEPTH_BUFFER_BIT);
            glClearDepth(1.0);
            renderer_set_field(rs[i], f.field);
            renderer_draw(rs[i], &f, w, h);
            glFinish();
            glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo);
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, out[i]);
        }
        size_t diff = 0;
        for (size_t i = 0; i < bytes; i++)
            diff += a[i] != b[i];
        fprintf(stderr, "depth format 0x%x, frame %2d: %zu bytes differ\n", (unsigned)depth_fmt, k, diff);
        assert_int_equal(diff, 0);
        changed += memcmp(a, prev, bytes) != 0;
        memcpy(prev, a, bytes);
    }
    assert_int_equal(changed, 5);   /* the first frame, three orbits, the split view */
    free(a);
    free(b);
    free(prev);
    glDeleteFramebuffers(1, &fbo);
    glDeleteRenderbuffers(2, rb);
    renderer_destroy(cached);
    renderer_destroy(ref);
}

static void test_layer_other_depth_formats(void **state)
{
    (void)state;
    layer_with_depth_format(GL_DEPTH24_STENCIL8);
    layer_with_depth_format(GL_DEPTH_COMPONENT16);
}

/* The sharpness plot (render_frame.sharp, --sharpness): with one sample series per
 * run the side column gains each run's line; the same layout with empty series (the
 * plot's frame only) is the reference, so the difference is the lines alone. */
static int count_colour_in(int x0, int y0, int x1, int y1, uint32_t rgba, int tol)
{
    int r = rgba & 255, g = (rgba >> 8) & 255, b = (rgba >> 16) & 255, n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const unsigned char *p = pixel(x, y);
            n += abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol;
        }
    return n;
}

static void test_sharpness_plot(void **state)
{
    (void)state;
    int nr = trainer_run_count(F.tr);
    static long steps[TRAINER_MAX_RUNS][4];
    static double vals[TRAINER_MAX_RUNS][4];
    render_sharp sh[TRAINER_MAX_RUNS], empty[TRAINER_MAX_RUNS];
    for (int i = 0; i < nr; i++) {
        for (int k = 0; k < 4; k++) {
            steps[i][k] = 50 * k;
            vals[i][k] = pow(10.0, 0.3 * i + 0.2 * k);   /* apart from each other: no run hides another */
        }
        sh[i] = (render_sharp){ .count = 4, .step = steps[i], .value = vals[i] };
        empty[i] = (render_sharp){ .count = 0, .step = steps[i], .value = vals[i] };
    }
    render_frame f;
    frame_defaults(&f, SCENE_VIEW_2D);
    int x0 = F.t.w * 7 / 10;   /* the side column of the plots */
    int *base = calloc((size_t)nr, sizeof *base);
    assert_non_null(base);
    f.sharp = empty;
    render(&f, "sharp_empty");
    for (int i = 0; i < nr; i++)
        base[i] = count_colour_in(x0, 0, F.t.w, F.t.h, render_run_color(F.tr, i), 10);
    f.sharp = sh;
    render(&f, "sharp_lines");
    for (int i = 0; i < nr; i++) {
        int n = count_colour_in(x0, 0, F.t.w, F.t.h, render_run_color(F.tr, i), 10);
        fprintf(stderr, "sharpness plot: run %d: %d pixels of its colour in the side column, %d without its line\n",
                i, n, base[i]);
        assert_true(n - base[i] >= 60);
    }
    free(base);
}

static void test_layout(void **state)
{
    (void)state;
    layout_panel lp[LAYOUT_MAX_PANELS];
    render_rect side;
    int runs[5] = { 0, 1, 2, 3, 4 };
    assert_int_equal(layout_compute(1280, 720, SCENE_VIEW_2D, SCENE_LAYOUT_OVERLAY, 5, runs, 1, lp, &side), 1);
    assert_true(side.w > 0 && lp[0].rect.w + side.w <= 1280.5f);
    assert_int_equal(layout_compute(1280, 720, SCENE_VIEW_SPLIT, SCENE_LAYOUT_OVERLAY, 5, runs, 0, lp, &side), 2);
    assert_int_equal(lp[0].is3d, 0);
    assert_int_equal(lp[1].is3d, 1);
    assert_int_equal(layout_compute(1280, 720, SCENE_VIEW_3D, SCENE_LAYOUT_PANELS, 5, runs, 1, lp, &side), 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(lp[i].run, i);
        for (int j = 0; j < i; j++) /* no overlap */
            assert_false(lp[i].rect.x < lp[j].rect.x + lp[j].rect.w - 0.5f &&
                         lp[j].rect.x < lp[i].rect.x + lp[i].rect.w - 0.5f &&
                         lp[i].rect.y < lp[j].rect.y + lp[j].rect.h - 0.5f &&
                         lp[j].rect.y < lp[i].rect.y + lp[i].rect.h - 0.5f);
    }
    render_rect r = layout_fit_aspect((render_rect){ 0, 0, 400, 200 }, 1.0f);
    expect_near(r.w, 200, 1e-4);
    expect_near(r.x, 100, 1e-4);
}

/* The legend's η/σ: two values on a 2-D problem, one in the 1-D curve view, where
 * the second coordinate's σ is 0 (main showed "η/σ 0.012, 2.00e+28" there). */
static void test_eta_sigma_text(void **state)
{
    (void)state;
    char buf[64];
    const double sg[2] = { 2.0, 0.0 };
    rd_eta_sigma_text(buf, sizeof buf, 0.02, sg, 0);
    assert_string_equal(buf, "   η/σ 0.01, 2.00e+28");
    rd_eta_sigma_text(buf, sizeof buf, 0.02, sg, 1);
    assert_string_equal(buf, "   η/σ 0.01");
}

int main(void)
{
    int ok = test_target_open(&F.t, 640, 400);
    if (ok == 0)
        return test_target_no_gl_status();
    if (ok < 0)
        return 1;   /* a context but no complete framebuffer: a failure, not a skip */
    F.r = renderer_create(&(renderer_desc){ 0 });
    if (!F.r)
        return 1;
    setup_problem();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_map_not_blank),
        cmocka_unit_test(test_trail_colours_2d),
        cmocka_unit_test(test_trail_colours_3d),
        cmocka_unit_test(test_sigma_boxes_3d),
        cmocka_unit_test(test_pick_compare_3d),
        cmocka_unit_test(test_aspect_after_resize),
        cmocka_unit_test(test_reload_failure_keeps_programs),
        cmocka_unit_test(test_static_cache_same_pixels),
        cmocka_unit_test(test_layer_other_depth_formats),
        cmocka_unit_test(test_sharpness_plot),
        cmocka_unit_test(test_eta_sigma_text),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    renderer_destroy(F.r);
    trainer_destroy(F.tr);
    surface_free(&F.surf);
    test_target_close(&F.t);
    return rc;
}
