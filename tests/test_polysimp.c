/*
 * test_polysimp.c — render/polysimp.h, the polylines reduced for drawing.
 *
 *   - a trail's path: every point dropped lies within √2·tol of the kept segment
 *     that spans it (a 10^6-point spiral, a noisy descent, a zigzag whose corners
 *     bend by 3 px: a point kept at each); ends kept; non-finite points never kept;
 *     many short random paths;
 *   - capped: the points drawn for a trail stay under the cap as the run grows to
 *     10^6 steps (a noisy descent, a random walk that never settles, which the
 *     tolerance alone keeps by the hundred thousand), and the tolerance is the
 *     least doubling that fits;
 *   - covered segments: a path that goes out and back over its own pixels (spikes,
 *     a random walk in a box) draws a bounded number of segments, however long
 *     (at most the pixels it covers); each one left out lies within 3.4 px of
 *     later ones drawn, under[] naming one; a path that never comes back within
 *     a few pixels of itself is drawn whole; off-frame parts are drawn.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "render/polysimp.h"

typedef struct pt {
    float x, y;
} pt;

/* A point's distance from segment a–b. */
static double seg_dist(pt p, pt a, pt b)
{
    double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return sqrt(ex * ex + ey * ey);
}

/* The largest distance of a dropped point from the kept segment that spans it;
 * checks the kept indices ascend and the ends are kept. */
static double worst_dev(const pt *p, int n, const int *keep, int m)
{
    assert_true(m >= 2);
    assert_int_equal(keep[0], 0);
    assert_int_equal(keep[m - 1], n - 1);
    double worst = 0;
    for (int k = 0; k + 1 < m; k++) {
        assert_true(keep[k] < keep[k + 1]);
        for (int j = keep[k] + 1; j < keep[k + 1]; j++)
            worst = fmax(worst, seg_dist(p[j], p[keep[k]], p[keep[k + 1]]));
    }
    return worst;
}

static unsigned long long rng_state = 88172645463325252ull;

static double urand(void)   /* xorshift64*, uniform in [0, 1) */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static double nrand(void)
{
    double u = urand() + 1e-300, v = urand();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* A descent like an optimizer's trail in pixels: from (100, 600) along a curve to
 * (900, 200), the last three quarters of the steps converging with mini-batch noise
 * of a few pixels. */
static void descent(pt *p, int n)
{
    for (int j = 0; j < n; j++) {
        double t = (double)j / (n - 1), s = 1 - pow(1 - fmin(t * 4, 1), 3);
        double noise = 3.0 * fmin(t * 4, 1);
        p[j].x = (float)(100 + 800 * s + noise * nrand());
        p[j].y = (float)(600 - 400 * s * s + 120 * sin(3 * s) + noise * nrand());
    }
}

static void spiral_within_tolerance(void **state)
{
    (void)state;
    int n = 1000000;
    pt *p = malloc((size_t)n * sizeof *p);
    int *keep = malloc((size_t)n * sizeof *keep);
    assert_non_null(p), assert_non_null(keep);
    for (int j = 0; j < n; j++) {   /* 20 turns from radius 300 px down to 3 */
        double t = (double)j / (n - 1), r = 300 * pow(0.01, t), a = 40 * 3.141592653589793 * t;
        p[j] = (pt){ (float)(640 + r * cos(a)), (float)(360 + r * sin(a)) };
    }
    float tol = 0.75f;
    int m = polysimp_path(p, sizeof *p, n, tol, keep);
    assert_true(worst_dev(p, n, keep, m) <= sqrt(2.0) * tol + 1e-3);
    assert_true(m < 2000);   /* a smooth path needs few points, however many steps */
    free(p), free(keep);
}

static void zigzag_corners_kept(void **state)
{
    (void)state;
    /* 100 corners 20 px apart bending 3 px up and down, 200 points per leg */
    enum { LEGS = 100, PER = 200, N = LEGS * PER + 1 };
    static pt p[N];
    static int keep[N];
    for (int j = 0; j < N; j++) {
        int leg = j / PER;
        double u = (double)(j % PER) / PER, y0 = leg % 2 ? 3 : 0, y1 = leg % 2 ? 0 : 3;
        p[j] = (pt){ (float)(20.0 * leg + 20.0 * u), (float)(y0 + (y1 - y0) * u) };
    }
    int m = polysimp_path(p, sizeof *p, N, 0.75f, keep);
    assert_true(worst_dev(p, N, keep, m) <= sqrt(2.0) * 0.75 + 1e-3);
    for (int leg = 0; leg <= LEGS; leg++) {   /* every corner has a kept point within 3 px */
        int found = 0;
        for (int k = 0; k < m; k++)
            found |= hypot(p[keep[k]].x - p[leg * PER].x, p[keep[k]].y - p[leg * PER].y) <= 3;
        assert_true(found);
    }
    assert_true(m <= 2 * (LEGS + 1));
}

static void capped_bound_as_steps_grow(void **state)
{
    (void)state;
    int cap = 1024, nmax = 1000000;
    pt *p = malloc((size_t)nmax * sizeof *p);
    int *keep = malloc((size_t)nmax * sizeof *keep);
    assert_non_null(p), assert_non_null(keep);
    for (int n = 1000; n <= nmax; n *= 10) {
        descent(p, n);
        float used = 0;
        int m = polysimp_path_capped(p, sizeof *p, n, 0.75f, cap, keep, &used);
        assert_true(m >= 2 && m <= cap);
        assert_true(worst_dev(p, n, keep, m) <= sqrt(2.0) * used + 1e-3);
        /* the least doubling that fits: half of it keeps more than the cap */
        if (used > 0.75f) {
            int m2 = polysimp_path(p, sizeof *p, n, used * 0.5f, keep);
            assert_true(m2 > cap);
        }
    }
    /* a random walk that never settles: the tolerance alone keeps most of its
     * points; capped, at most cap */
    int n = nmax;
    double x = 640, y = 360;
    for (int j = 0; j < n; j++) {
        x += 2 * nrand(), y += 2 * nrand();
        x = x < 400 ? 800 - x : x > 900 ? 1800 - x : x;
        y = y < 100 ? 200 - y : y > 600 ? 1200 - y : y;
        p[j] = (pt){ (float)x, (float)y };
    }
    assert_true(polysimp_path(p, sizeof *p, n, 0.75f, keep) > 100000);
    float used = 0;
    int m = polysimp_path_capped(p, sizeof *p, n, 0.75f, cap, keep, &used);
    assert_true(m >= 2 && m <= cap);
    assert_true(worst_dev(p, n, keep, m) <= sqrt(2.0) * used + 1e-3);
    free(p), free(keep);
}

/* Many short random paths in a few pixels, where points within the tolerance of a
 * piece's start and points beyond it mix: every one within √2·tol. */
static void small_random_paths(void **state)
{
    (void)state;
    enum { N = 60 };
    pt p[N];
    int keep[N];
    for (int trial = 0; trial < 20000; trial++) {
        double box = trial % 2 ? 4 : 30;
        float tol = trial % 3 ? 0.75f : 2.0f;
        for (int j = 0; j < N; j++)
            p[j] = (pt){ (float)(box * urand()), (float)(box * urand()) };
        int m = polysimp_path(p, sizeof *p, N, tol, keep);
        assert_true(worst_dev(p, N, keep, m) <= sqrt(2.0) * tol + 1e-4);
    }
}

static void ends_and_non_finite(void **state)
{
    (void)state;
    pt p[6] = { { NAN, 0 }, { 0, 0 }, { 1, 0 }, { INFINITY, 5 }, { 2, 0 }, { 3, NAN } };
    int keep[6];
    int m = polysimp_path(p, sizeof *p, 6, 0.75f, keep);
    assert_int_equal(m, 2);   /* a straight line: its first and last finite points */
    assert_int_equal(keep[0], 1), assert_int_equal(keep[1], 4);
    assert_int_equal(polysimp_path(p, sizeof *p, 1, 0.75f, keep), 0);   /* nothing finite */
    assert_int_equal(polysimp_path(p + 1, sizeof *p, 1, 0.75f, keep), 1);
    assert_int_equal(keep[0], 0);
    /* a path that turns back on its own line keeps the turning point */
    pt back[5] = { { 0, 0 }, { 5, 0 }, { 10, 0 }, { 5, 0 }, { 0, 0 } };
    m = polysimp_path(back, sizeof *back, 5, 0.75f, keep);
    assert_int_equal(m, 3);
    assert_int_equal(keep[1], 2);
    /* the points may sit in a larger element (prim_pt: x, y, z, rgba) */
    struct {
        float x, y, z;
        unsigned rgba;
    } q[3] = { { 0, 0, 0.5f, 1 }, { 5, 10, 0.5f, 2 }, { 10, 0, 0.5f, 3 } };
    assert_int_equal(polysimp_path(q, sizeof *q, 3, 0.75f, keep), 3);
}

/* Checks polysimp_covered's answer for the path: under[k] names a later segment
 * drawn; every sample of a hidden segment lies within 1.5 px of some later drawn
 * segment (its samples a pixel apart each in a pixel within one of a drawn one's
 * sample: 2√2 px, and half a pixel between samples). Returns how many are drawn. */
static int check_covered(const pt *p, int n, int w, int h)
{
    polysimp_grid g = { 0 };
    int *under = malloc((size_t)n * sizeof *under);
    assert_non_null(under);
    assert_true(polysimp_grid_begin(&g, w, h));
    int drawn = polysimp_covered(&g, p, sizeof *p, n, under);
    int count = 0;
    for (int k = 0; k + 1 < n; k++) {
        if (under[k] < 0) {
            count++;
            continue;
        }
        assert_true(under[k] > k && under[k] + 1 < n && under[under[k]] < 0);
        for (int s = 0; s <= 8; s++) {   /* the hidden segment, sampled */
            pt q = { p[k].x + (p[k + 1].x - p[k].x) * s / 8.0f, p[k].y + (p[k + 1].y - p[k].y) * s / 8.0f };
            double best = 1e9;
            for (int c = k + 1; c + 1 < n && best > 3.4; c++)
                if (under[c] < 0)
                    best = fmin(best, seg_dist(q, p[c], p[c + 1]));
            assert_true(best <= 3.4);
        }
    }
    assert_int_equal(drawn, count);
    polysimp_grid_free(&g);
    free(under);
    return drawn;
}

static void covered_bounded(void **state)
{
    (void)state;
    /* 2000 spikes up 80 px and back down, their feet 0.3 px apart: each drawn once,
     * not twice; and the same spikes over again, 5 times: nothing more drawn */
    enum { SPIKES = 400, REP = 5, N = 2 * SPIKES * REP + 1 };
    static pt p[N];
    int n = 0;
    for (int rep = 0; rep < REP; rep++)
        for (int s = 0; s < SPIKES; s++) {
            float x = 20 + 0.3f * (float)s;
            p[n++] = (pt){ x, 150 };
            p[n++] = (pt){ x + 0.1f, 70 };
        }
    p[n++] = (pt){ 20 + 0.3f * SPIKES, 150 };
    int drawn = check_covered(p, n, 300, 200);
    assert_true(drawn <= SPIKES + 10);
    /* a random walk in a 60 x 60 px box, 60000 steps of ~7 px: at most as many
     * segments drawn as the box has pixels (each drawn one marks one at least),
     * but for the few shorter than POLYSIMP_COVER_MIN */
    int nw = 60000;
    pt *q = malloc((size_t)nw * sizeof *q);
    assert_non_null(q);
    double x = 100, y = 100;
    for (int j = 0; j < nw; j++) {
        x += 5 * nrand(), y += 5 * nrand();
        x = x < 70 ? 140 - x : x > 130 ? 260 - x : x;
        y = y < 70 ? 140 - y : y > 130 ? 260 - y : y;
        q[j] = (pt){ (float)x, (float)y };
    }
    polysimp_grid g = { 0 };
    int *under = malloc((size_t)nw * sizeof *under);
    assert_non_null(under);
    assert_true(polysimp_grid_begin(&g, 300, 200));
    drawn = polysimp_covered(&g, q, sizeof *q, nw, under);
    int shorter = 0;
    for (int j = 0; j + 1 < nw; j++)
        shorter += hypot(q[j + 1].x - q[j].x, q[j + 1].y - q[j].y) < POLYSIMP_COVER_MIN;
    assert_true(drawn <= 61 * 61 + shorter);
    assert_true(drawn < nw / 4);
    polysimp_grid_free(&g);
    free(under);
    check_covered(q, 3000, 300, 200);   /* the check is quadratic: a prefix */
    free(q);
}

static void covered_apart_drawn_whole(void **state)
{
    (void)state;
    /* a spiral whose turns are 6 px apart: nothing goes over itself */
    enum { N = 3000 };
    static pt p[N];
    for (int j = 0; j < N; j++) {
        double a = 0.01 * j, r = 20 + 6 * a / 6.283185307179586;
        p[j] = (pt){ (float)(200 + r * cos(a)), (float)(150 + r * sin(a)) };
    }
    assert_int_equal(check_covered(p, N, 400, 300), N - 1);
    /* out of the frame and back the same way: the way back (newer) is drawn, the
     * way out left out under it */
    pt q[3] = { { 50, 50 }, { -100, 50 }, { 50, 50.5f } };
    polysimp_grid g = { 0 };
    int under[3];
    assert_true(polysimp_grid_begin(&g, 100, 100));
    assert_int_equal(polysimp_covered(&g, q, sizeof *q, 3, under), 1);
    assert_int_equal(under[1], -1);
    assert_int_equal(under[0], 1);
    /* a new path (begin again): nothing marked */
    assert_true(polysimp_grid_begin(&g, 100, 100));
    assert_int_equal(polysimp_covered(&g, q, sizeof *q, 2, under), 1);
    polysimp_grid_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spiral_within_tolerance),
        cmocka_unit_test(zigzag_corners_kept),
        cmocka_unit_test(capped_bound_as_steps_grow),
        cmocka_unit_test(small_random_paths),
        cmocka_unit_test(ends_and_non_finite),
        cmocka_unit_test(covered_bounded),
        cmocka_unit_test(covered_apart_drawn_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
