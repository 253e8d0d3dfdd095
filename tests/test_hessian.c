/*
 * test_hessian.c — 2×2 eigen-decomposition, classification and the critical-point
 * search. The test functions carry their own exact gradients and Hessians, so this
 * file depends on hessian.c alone (not on surface.c).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "testutil.h"

#include <string.h>
#include <time.h>

#include "core/hessian.h"

/* ---- test functions ------------------------------------------------------- */

static double himmelblau(const void *ctx, double x, double y, double g[2], double h[4])
{
    const double *scale = ctx;
    double k = scale ? *scale : 1.0;
    double u = x * x + y - 11, v = x + y * y - 7;
    g[0] = k * (4 * x * u + 2 * v);
    g[1] = k * (2 * u + 4 * y * v);
    h[0] = k * (12 * x * x + 4 * y - 42);
    h[1] = h[2] = k * (4 * x + 4 * y);
    h[3] = k * (4 * x + 12 * y * y - 26);
    return k * (u * u + v * v);
}

/* (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y² */
static double camel(const void *ctx, double x, double y, double g[2], double h[4])
{
    double x2 = x * x, y2 = y * y;
    g[0] = 8 * x - 8.4 * x2 * x + 2 * x2 * x2 * x + y;
    g[1] = x - 8 * y + 16 * y2 * y;
    h[0] = 8 - 25.2 * x2 + 10 * x2 * x2;
    h[1] = h[2] = 1;
    h[3] = -8 + 48 * y2;
    return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2;
}

static double saddle(const void *ctx, double x, double y, double g[2], double h[4])
{
    g[0] = 2 * x, g[1] = -2 * y;
    h[0] = 2, h[1] = h[2] = 0, h[3] = -2;
    return x * x - y * y;
}

static double monkey(const void *ctx, double x, double y, double g[2], double h[4])
{
    g[0] = 3 * x * x - 3 * y * y, g[1] = -6 * x * y;
    h[0] = 6 * x, h[1] = h[2] = -6 * y, h[3] = -6 * x;
    return x * x * x - 3 * x * y * y;
}

static double plane(const void *ctx, double x, double y, double g[2], double h[4])
{
    g[0] = 1, g[1] = 1;
    h[0] = h[1] = h[2] = h[3] = 0;
    return x + y;
}

static double rosenbrock(const void *ctx, double x, double y, double g[2], double h[4])
{
    double u = y - x * x;
    g[0] = -2 * (1 - x) - 400 * x * u;
    g[1] = 200 * u;
    h[0] = 2 - 400 * u + 800 * x * x;
    h[1] = h[2] = -400 * x;
    h[3] = 200;
    return (1 - x) * (1 - x) + 100 * u * u;
}

/* sin x · sin y: on [-3, 3]² a saddle at 0, maxima at ±(π/2, π/2), minima at ±(π/2, −π/2). */
static double sinsin(const void *ctx, double x, double y, double g[2], double h[4])
{
    double sx = sin(x), cx = cos(x), sy = sin(y), cy = cos(y);
    g[0] = cx * sy, g[1] = sx * cy;
    h[0] = -sx * sy, h[1] = h[2] = cx * cy, h[3] = -sx * sy;
    return sx * sy;
}

/* x⁴ + y⁴: a minimum the Hessian cannot see (H = 0 there). */
static double quartic(const void *ctx, double x, double y, double g[2], double h[4])
{
    g[0] = 4 * x * x * x, g[1] = 4 * y * y * y;
    h[0] = 12 * x * x, h[1] = h[2] = 0, h[3] = 12 * y * y;
    return x * x * x * x + y * y * y * y;
}

/* ---- eig2 ----------------------------------------------------------------- */

/* A v = λ v (to tol · max |entry|), unit, orthogonal, ordered, sign rule. */
static void check_eig(const double h[4], const eig2 *e, double tol)
{
    double a = h[0], b = 0.5 * (h[1] + h[2]), d = h[3];
    double s = fmax(fabs(a), fmax(fabs(b), fabs(d)));
    if (s == 0)
        s = 1;
    assert_true(e->lambda[0] <= e->lambda[1]);
    for (int i = 0; i < 2; i++) {
        const double *v = e->vec[i];
        assert_true(isfinite(e->lambda[i]));
        expect_near(hypot(v[0], v[1]), 1.0, 1e-15);
        assert_true(v[0] > 0 || (v[0] == 0 && v[1] > 0));
        /* scale before multiplying so that 1e200 entries do not overflow */
        double l = e->lambda[i] / s, as = a / s, bs = b / s, ds = d / s;
        expect_near(as * v[0] + bs * v[1], l * v[0], tol);
        expect_near(bs * v[0] + ds * v[1], l * v[1], tol);
    }
    expect_near(e->vec[0][0] * e->vec[1][0] + e->vec[0][1] * e->vec[1][1], 0.0, 1e-15);
}

static void test_eig_diagonal(void **state)
{
    (void)state;
    const double h[4] = {3, 0, 0, -1};
    eig2 e;
    hessian_eig2(h, &e);
    check_eig(h, &e, 1e-15);
    assert_true(e.lambda[0] == -1 && e.lambda[1] == 3);
    assert_true(e.vec[0][0] == 0 && e.vec[0][1] == 1);
    assert_true(e.vec[1][0] == 1 && e.vec[1][1] == 0);
}

static void test_eig_rotated(void **state)
{
    (void)state;
    for (double t = -3.0; t <= 3.0; t += 0.37) {
        double c = cos(t), s = sin(t), l0 = -2, l1 = 5;
        /* R diag(l0, l1) Rᵀ, with R's columns (c, s) and (−s, c) */
        double h[4] = {l0 * c * c + l1 * s * s, (l0 - l1) * c * s, (l0 - l1) * c * s,
                       l0 * s * s + l1 * c * c};
        eig2 e;
        hessian_eig2(h, &e);
        check_eig(h, &e, 1e-14);
        expect_near(e.lambda[0], l0, 1e-14);
        expect_near(e.lambda[1], l1, 1e-14);
        /* v₀ = ±(c, s) */
        expect_near(fabs(e.vec[0][0] * c + e.vec[0][1] * s), 1.0, 1e-14);
    }
}

static void test_eig_offdiagonal_averaged(void **state)
{
    (void)state;
    const double h[4] = {1, 2, 4, 1}; /* symmetric part [[1, 3], [3, 1]] */
    eig2 e;
    hessian_eig2(h, &e);
    check_eig(h, &e, 1e-15);
    expect_near(e.lambda[0], -2, 1e-15);
    expect_near(e.lambda[1], 4, 1e-15);
    expect_near(e.vec[0][0], sqrt(0.5), 1e-15);
    expect_near(e.vec[0][1], -sqrt(0.5), 1e-15);
    expect_near(e.vec[1][0], sqrt(0.5), 1e-15);
    expect_near(e.vec[1][1], sqrt(0.5), 1e-15);
}

static void test_eig_repeated_and_zero(void **state)
{
    (void)state;
    const double hs[3][4] = {{4, 0, 0, 4}, {1, 1e-20, 1e-20, 1}, {0, 0, 0, 0}};
    for (int k = 0; k < 3; k++) {
        eig2 e;
        hessian_eig2(hs[k], &e);
        check_eig(hs[k], &e, 1e-15);
        expect_near(e.lambda[0], hs[k][0], 1e-15);
        expect_near(e.lambda[1], hs[k][0], 1e-15);
        assert_true(e.vec[0][0] == 1 && e.vec[0][1] == 0);
        assert_true(e.vec[1][0] == 0 && e.vec[1][1] == 1);
    }
    /* −0 entries: still the +x, +y basis */
    const double nz[4] = {-0.0, -0.0, -0.0, -0.0};
    eig2 e;
    hessian_eig2(nz, &e);
    assert_true(e.lambda[0] == 0 && e.lambda[1] == 0);
    assert_true(e.vec[0][0] == 1 && e.vec[1][1] == 1);
}

static void test_eig_huge_and_tiny(void **state)
{
    (void)state;
    const double scales[] = {1e200, 1e-200, 1e300, 1e-300};
    for (int k = 0; k < 4; k++) {
        double s = scales[k];
        double h[4] = {1 * s, 2 * s, 2 * s, -3 * s}; /* λ = −1 ∓ √8 times s */
        eig2 e;
        hessian_eig2(h, &e);
        check_eig(h, &e, 1e-14);
        expect_near(e.lambda[0] / s, -1 - sqrt(8), 1e-14);
        expect_near(e.lambda[1] / s, -1 + sqrt(8), 1e-14);
    }
    /* entries near DBL_MAX: no NaN */
    const double hm[4] = {1.5e308, 1.5e308, 1.5e308, 1.5e308};
    eig2 e;
    hessian_eig2(hm, &e);
    assert_false(isnan(e.lambda[0]) || isnan(e.lambda[1]));
    assert_false(isnan(e.vec[0][0]) || isnan(e.vec[1][1]));
}

static void test_eig_small_eigenvalue_accurate(void **state)
{
    (void)state;
    /* [[1e10, 1], [1, 1]]: the small eigenvalue is 1 − 1/(1e10 − 1) + O(1e-30);
     * m − r would lose ten digits of it. */
    const double h[4] = {1e10, 1, 1, 1};
    eig2 e;
    hessian_eig2(h, &e);
    check_eig(h, &e, 1e-15);
    expect_near(e.lambda[0], 1 - 1 / (1e10 - 1), 1e-15);
    expect_close(e.lambda[1], 1e10 + 1 / (1e10 - 1), 1e-15);
    /* nearly singular: [[1, 1], [1, 1 + 1e-12]] has λ₀ ≈ 5e-13 */
    const double s[4] = {1, 1, 1, 1 + 1e-12};
    hessian_eig2(s, &e);
    check_eig(s, &e, 1e-15);
    double det = s[3] - 1; /* exact (Sterbenz) */
    expect_near(e.lambda[0] * e.lambda[1], det, 1e-9 * det);
    assert_true(e.lambda[0] > 0);
}

/* ---- classification ------------------------------------------------------- */

static void test_classify(void **state)
{
    (void)state;
    assert_string_equal(point_type_name(POINT_MINIMUM), "minimum");
    assert_string_equal(point_type_name(POINT_MAXIMUM), "maximum");
    assert_string_equal(point_type_name(POINT_SADDLE), "saddle");
    assert_string_equal(point_type_name(POINT_DEGENERATE), "degenerate");

    eig2 e = {{1, 2}, {{1, 0}, {0, 1}}};
    assert_int_equal(hessian_classify(&e, 0), POINT_MINIMUM);
    e.lambda[0] = -2, e.lambda[1] = -1;
    assert_int_equal(hessian_classify(&e, 0), POINT_MAXIMUM);
    e.lambda[0] = -2, e.lambda[1] = 1;
    assert_int_equal(hessian_classify(&e, 0), POINT_SADDLE);
    e.lambda[0] = 0, e.lambda[1] = 1;
    assert_int_equal(hessian_classify(&e, 0), POINT_DEGENERATE);
    e.lambda[0] = 0, e.lambda[1] = 0;
    assert_int_equal(hessian_classify(&e, 0), POINT_DEGENERATE);
    /* default tolerance scales with the largest |λ|: 1e-6 · 1e4 = 1e-2 */
    e.lambda[0] = 5e-3, e.lambda[1] = 1e4;
    assert_int_equal(hessian_classify(&e, 0), POINT_DEGENERATE);
    e.lambda[0] = 5e-2;
    assert_int_equal(hessian_classify(&e, 0), POINT_MINIMUM);
    /* and is absolute 1e-6 below |λ| = 1 */
    e.lambda[0] = -2e-6, e.lambda[1] = 1e-3;
    assert_int_equal(hessian_classify(&e, 0), POINT_SADDLE);
    /* explicit tolerance */
    e.lambda[0] = -0.5, e.lambda[1] = 2;
    assert_int_equal(hessian_classify(&e, 1.0), POINT_DEGENERATE);
    assert_int_equal(hessian_classify(&e, 0.1), POINT_SADDLE);
}

/* ---- critical points ------------------------------------------------------ */

/* Every reported point: gradient ~0, value and eigenvalues consistent with f,
 * sorted, and a saddle's escape is a unit eigenvector of λ₁ < 0 that lowers f. */
static void check_points(fn2 f, const void *ctx, const critical_point *p, int n, double gtol)
{
    for (int i = 0; i < n; i++) {
        double g[2], h[4];
        double v = f(ctx, p[i].x, p[i].y, g, h);
        expect_near(hypot(g[0], g[1]), 0.0, gtol);
        expect_near(p[i].value, v, 0.0);
        eig2 e;
        hessian_eig2(h, &e);
        expect_near(p[i].lambda[0], e.lambda[0], 0.0);
        expect_near(p[i].lambda[1], e.lambda[1], 0.0);
        assert_int_equal(p[i].type, hessian_classify(&e, 0));
        if (i > 0) {
            assert_true(p[i - 1].type < p[i].type ||
                        (p[i - 1].type == p[i].type &&
                         (p[i - 1].x < p[i].x ||
                          (p[i - 1].x == p[i].x && p[i - 1].y < p[i].y))));
        }
        if (p[i].type == POINT_SADDLE) {
            const double *d = p[i].escape;
            expect_near(hypot(d[0], d[1]), 1.0, 1e-14);
            double s = fmax(1.0, fabs(e.lambda[0]) + fabs(e.lambda[1]));
            expect_near(h[0] * d[0] + h[1] * d[1], p[i].lambda[0] * d[0], 1e-12 * s);
            expect_near(h[2] * d[0] + h[3] * d[1], p[i].lambda[0] * d[1], 1e-12 * s);
            assert_true(p[i].lambda[0] < 0);
            double t = 1e-3, g2[2], h2[4];
            assert_true(f(ctx, p[i].x + t * d[0], p[i].y + t * d[1], g2, h2) < v);
            assert_true(f(ctx, p[i].x - t * d[0], p[i].y - t * d[1], g2, h2) < v);
        } else {
            assert_true(p[i].escape[0] == 0 && p[i].escape[1] == 0);
        }
    }
}

static void expect_point(const critical_point *p, point_type t, double x, double y,
                         double tol)
{
    assert_int_equal(p->type, t);
    expect_near(p->x, x, tol);
    expect_near(p->y, y, tol);
}

static const critical_point *find_near(const critical_point *p, int n, double x, double y)
{
    for (int i = 0; i < n; i++)
        if (hypot(p[i].x - x, p[i].y - y) < 1e-3)
            return &p[i];
    return NULL;
}

static void test_himmelblau(void **state)
{
    (void)state;
    critical_point p[32];
    int n = critical_points_find(himmelblau, NULL, -5, 5, -5, 5, p, 32);
    assert_int_equal(n, 9);
    check_points(himmelblau, NULL, p, n, 1e-9);
    /* sorted: minima by x, the maximum, saddles by x */
    expect_point(&p[0], POINT_MINIMUM, -3.779310, -3.283186, 1e-5);
    expect_point(&p[1], POINT_MINIMUM, -2.805118, 3.131312, 1e-5);
    expect_point(&p[2], POINT_MINIMUM, 3, 2, 1e-12);
    expect_point(&p[3], POINT_MINIMUM, 3.584428, -1.848126, 1e-5);
    for (int i = 0; i < 4; i++)
        expect_near(p[i].value, 0.0, 1e-20);
    expect_point(&p[4], POINT_MAXIMUM, -0.270845, -0.923039, 1e-5);
    expect_near(p[4].value, 181.617, 1e-3);
    expect_point(&p[5], POINT_SADDLE, -3.073026, -0.081353, 1e-5);
    expect_point(&p[6], POINT_SADDLE, -0.127961, -1.953715, 1e-5);
    expect_point(&p[7], POINT_SADDLE, 0.086677, 2.884254, 1e-5);
    expect_point(&p[8], POINT_SADDLE, 3.385154, 0.073852, 1e-5);
}

static void test_himmelblau_scaled(void **state)
{
    (void)state;
    /* the search is scale-free in f: k · f finds the same points. (The default
     * classification tolerance is absolute below |λ| = 1, so for k = 1e-8 the
     * eigenvalues, ~1e-7, all count as zero: only the locations are compared.) */
    critical_point ref[16], p[16];
    int n = critical_points_find(himmelblau, NULL, -5, 5, -5, 5, ref, 16);
    const double k[3] = {1e-3, 1e8, 1e-8};
    for (int j = 0; j < 3; j++) {
        int m = critical_points_find(himmelblau, &k[j], -5, 5, -5, 5, p, 16);
        assert_int_equal(m, n);
        check_points(himmelblau, &k[j], p, m, 1e-9 * k[j]);
        for (int i = 0; i < m; i++) {
            const critical_point *q = find_near(ref, n, p[i].x, p[i].y);
            assert_non_null(q);
            expect_near(p[i].x, q->x, 1e-9);
            expect_near(p[i].y, q->y, 1e-9);
            assert_int_equal(p[i].type, k[j] < 1e-6 ? POINT_DEGENERATE : q->type);
        }
    }
}

static void test_cap(void **state)
{
    (void)state;
    critical_point all[16], p[4];
    int n = critical_points_find(himmelblau, NULL, -5, 5, -5, 5, all, 16);
    memset(p, 0x5a, sizeof p);
    critical_point sentinel = p[3];
    int m = critical_points_find(himmelblau, NULL, -5, 5, -5, 5, p, 3);
    assert_int_equal(m, n);
    assert_int_equal(m, 9);
    for (int i = 0; i < 3; i++)
        assert_memory_equal(&p[i], &all[i], sizeof p[i]);
    assert_memory_equal(&p[3], &sentinel, sizeof sentinel);
    /* cap 0 and a NULL array: only the count */
    assert_int_equal(critical_points_find(himmelblau, NULL, -5, 5, -5, 5, NULL, 0), 9);
}

static void test_six_hump_camel(void **state)
{
    (void)state;
    critical_point p[32];
    int n = critical_points_find(camel, NULL, -3, 3, -2, 2, p, 32);
    check_points(camel, NULL, p, n, 1e-9);
    int count[4] = {0};
    for (int i = 0; i < n && i < 32; i++)
        count[p[i].type]++;
    /* 6 minima, 2 maxima, 7 saddles; 6 − 7 + 2 = 1, the disk's Euler characteristic
     * (∇f points outward on the domain's boundary) */
    assert_int_equal(count[POINT_MINIMUM], 6);
    assert_int_equal(count[POINT_MAXIMUM], 2);
    assert_int_equal(count[POINT_SADDLE], 7);
    assert_int_equal(count[POINT_DEGENERATE], 0);
    assert_int_equal(n, 15);

    /* minima, in point-symmetric pairs (f(−x, −y) = f(x, y)) */
    const struct { double x, y, v; } mins[6] = {
        {0.089842, -0.712656, -1.0316285}, {-0.089842, 0.712656, -1.0316285},
        {-1.703607, 0.796084, -0.2154638}, {1.703607, -0.796084, -0.2154638},
        {1.607105, 0.568651, 2.1042503},   {-1.607105, -0.568651, 2.1042503},
    };
    for (int k = 0; k < 6; k++) {
        const critical_point *q = find_near(p, n, mins[k].x, mins[k].y);
        assert_non_null(q);
        assert_int_equal(q->type, POINT_MINIMUM);
        expect_near(q->x, mins[k].x, 1e-6);
        expect_near(q->y, mins[k].y, 1e-6);
        expect_near(q->value, mins[k].v, 1e-7);
    }
    /* the point set is symmetric under (x, y) → (−x, −y) */
    for (int i = 0; i < n; i++) {
        const critical_point *q = find_near(p, n, -p[i].x, -p[i].y);
        assert_non_null(q);
        assert_int_equal(q->type, p[i].type);
    }
    /* the origin is a saddle (H = [[8, 1], [1, −8]]) */
    const critical_point *o = find_near(p, n, 0, 0);
    assert_non_null(o);
    assert_int_equal(o->type, POINT_SADDLE);
    expect_near(o->lambda[0], -sqrt(65), 1e-12);
}

static void test_saddle(void **state)
{
    (void)state;
    critical_point p[4];
    int n = critical_points_find(saddle, NULL, -2, 2, -2, 2, p, 4);
    assert_int_equal(n, 1);
    check_points(saddle, NULL, p, n, 1e-12);
    expect_point(&p[0], POINT_SADDLE, 0, 0, 1e-12);
    expect_near(p[0].lambda[0], -2, 1e-15);
    expect_near(p[0].lambda[1], 2, 1e-15);
    expect_near(p[0].escape[0], 0, 1e-15);
    expect_near(p[0].escape[1], 1, 1e-15);
    expect_near(p[0].value, 0, 1e-20);
}

static void test_monkey_saddle(void **state)
{
    (void)state;
    critical_point p[4];
    int n = critical_points_find(monkey, NULL, -2, 2, -2, 2, p, 4);
    assert_int_equal(n, 1);
    check_points(monkey, NULL, p, n, 1e-9);
    expect_point(&p[0], POINT_DEGENERATE, 0, 0, 1e-9);
    expect_near(p[0].lambda[0], 0, 1e-6);
    expect_near(p[0].lambda[1], 0, 1e-6);
}

static void test_quartic_degenerate_minimum(void **state)
{
    (void)state;
    critical_point p[4];
    int n = critical_points_find(quartic, NULL, -1, 1.5, -1.2, 1, p, 4);
    assert_int_equal(n, 1);
    check_points(quartic, NULL, p, n, 1e-9);
    expect_point(&p[0], POINT_DEGENERATE, 0, 0, 1e-5);
}

/* The lecture's one-sample net, (1 − x·y)²: a saddle at the origin and a valley of
 * minima along x·y = 1 (λ = 0 along it). */
static double w1w2(const void *ctx, double x, double y, double g[2], double h[4])
{
    (void)ctx;
    double r = 1 - x * y;
    g[0] = -2 * r * y;
    g[1] = -2 * r * x;
    h[0] = 2 * y * y;
    h[3] = 2 * x * x;
    h[1] = h[2] = 2 * x * y - 2 * r;
    return r * r;
}

/* x³ + y²: degenerate at the origin (λ = 0, 2) but not a minimum (x < 0 is lower). */
static double cubic_valley(const void *ctx, double x, double y, double g[2], double h[4])
{
    (void)ctx;
    g[0] = 3 * x * x;
    g[1] = 2 * y;
    h[0] = 6 * x;
    h[1] = h[2] = 0;
    h[3] = 2;
    return x * x * x + y * y;
}

static void test_valley_of_minima(void **state)
{
    (void)state;
    critical_point p[300];
    int n = critical_points_find(w1w2, NULL, -2, 2, -2, 2, p, 300);
    assert_int_equal(n, 2);
    int saddle = p[0].type == POINT_SADDLE ? 0 : 1;
    const critical_point *s = &p[saddle], *m = &p[1 - saddle];
    expect_point(s, POINT_SADDLE, 0, 0, 1e-9);
    expect_near(s->lambda[0], -2, 1e-9);
    expect_near(s->lambda[1], 2, 1e-9);
    assert_int_equal(m->type, POINT_FLAT_MINIMUM);
    expect_near(m->x * m->y, 1, 1e-6);
    expect_near(m->value, 0, 1e-12);
    assert_true(m->merged > 10);
    assert_string_equal(point_type_name(POINT_FLAT_MINIMUM), "flat-minimum");

    n = critical_points_find(cubic_valley, NULL, -1, 1, -1, 1, p, 4);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].type, POINT_DEGENERATE);
}

static void test_no_points(void **state)
{
    (void)state;
    critical_point p[4];
    assert_int_equal(critical_points_find(plane, NULL, -3, 3, -3, 3, p, 4), 0);
    /* the saddle exists, but not in this domain */
    assert_int_equal(critical_points_find(saddle, NULL, 1, 3, -1, 1, p, 4), 0);
    /* empty or inverted domain */
    assert_int_equal(critical_points_find(saddle, NULL, 1, 1, -1, 1, p, 4), 0);
    assert_int_equal(critical_points_find(saddle, NULL, 1, -1, -1, 1, p, 4), 0);
}

static void test_rosenbrock(void **state)
{
    (void)state;
    critical_point p[4];
    int n = critical_points_find(rosenbrock, NULL, -2, 2, -1, 3, p, 4);
    assert_int_equal(n, 1);
    check_points(rosenbrock, NULL, p, n, 1e-9);
    expect_point(&p[0], POINT_MINIMUM, 1, 1, 1e-12);
}

static void test_sinsin(void **state)
{
    (void)state;
    critical_point p[16];
    int n = critical_points_find(sinsin, NULL, -3, 3, -3, 3, p, 16);
    assert_int_equal(n, 5);
    check_points(sinsin, NULL, p, n, 1e-12);
    double h = 1.57079632679489661923;
    expect_point(&p[0], POINT_MINIMUM, -h, h, 1e-12);
    expect_point(&p[1], POINT_MINIMUM, h, -h, 1e-12);
    expect_point(&p[2], POINT_MAXIMUM, -h, -h, 1e-12);
    expect_point(&p[3], POINT_MAXIMUM, h, h, 1e-12);
    expect_point(&p[4], POINT_SADDLE, 0, 0, 1e-12);
    /* H(0) = [[0, 1], [1, 0]]: escape along (1, −1)/√2 */
    expect_near(p[4].escape[0], sqrt(0.5), 1e-15);
    expect_near(p[4].escape[1], -sqrt(0.5), 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eig_diagonal),
        cmocka_unit_test(test_eig_rotated),
        cmocka_unit_test(test_eig_offdiagonal_averaged),
        cmocka_unit_test(test_eig_repeated_and_zero),
        cmocka_unit_test(test_eig_huge_and_tiny),
        cmocka_unit_test(test_eig_small_eigenvalue_accurate),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_himmelblau),
        cmocka_unit_test(test_himmelblau_scaled),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_six_hump_camel),
        cmocka_unit_test(test_saddle),
        cmocka_unit_test(test_monkey_saddle),
        cmocka_unit_test(test_quartic_degenerate_minimum),
        cmocka_unit_test(test_valley_of_minima),
        cmocka_unit_test(test_no_points),
        cmocka_unit_test(test_rosenbrock),
        cmocka_unit_test(test_sinsin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
