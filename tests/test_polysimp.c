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
 *     least doubling that fits.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spiral_within_tolerance),
        cmocka_unit_test(zigzag_corners_kept),
        cmocka_unit_test(capped_bound_as_steps_grow),
        cmocka_unit_test(small_random_paths),
        cmocka_unit_test(ends_and_non_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
