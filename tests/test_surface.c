/*
 * test_surface.c — the built-in surfaces against finite differences, their tables,
 * names, grids and formula surfaces.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/surface.h"

#define N_RANDOM 200

static double max3(double a, double b, double c)
{
    return fmax(a, fmax(b, c));
}

/* Step for central differences, scaled to the domain. */
static double fd_step(const surface_domain *d)
{
    double w = fmax(d->xmax - d->xmin, d->ymax - d->ymin);
    return 1e-5 * fmax(1.0, w / 4.0);
}

/* Gradient against central differences of the value, Hessian against central
 * differences of the exact gradient, Hessian symmetric, at one point. */
static void check_point(surface_kind k, double x, double y, double step)
{
    double g[2], h[4];
    double f = surface_analytic_eval(k, x, y, g, h);
    assert_true(isfinite(f));

    double fx = (surface_analytic_eval(k, x + step, y, NULL, NULL) -
                 surface_analytic_eval(k, x - step, y, NULL, NULL)) / (2 * step);
    double fy = (surface_analytic_eval(k, x, y + step, NULL, NULL) -
                 surface_analytic_eval(k, x, y - step, NULL, NULL)) / (2 * step);
    double tol_g = 1e-5 * max3(1.0, fabs(f), fmax(fabs(g[0]), fabs(g[1])));
    expect_near(g[0], fx, tol_g);
    expect_near(g[1], fy, tol_g);

    double gxp[2], gxm[2], gyp[2], gym[2];
    surface_analytic_eval(k, x + step, y, gxp, NULL);
    surface_analytic_eval(k, x - step, y, gxm, NULL);
    surface_analytic_eval(k, x, y + step, gyp, NULL);
    surface_analytic_eval(k, x, y - step, gym, NULL);
    double hmax = fmax(fmax(fabs(h[0]), fabs(h[1])), fabs(h[3]));
    double tol_h = 1e-5 * max3(1.0, fabs(f), fmax(hmax, fmax(fabs(g[0]), fabs(g[1]))));
    expect_near(h[0], (gxp[0] - gxm[0]) / (2 * step), tol_h);
    expect_near(h[1], (gyp[0] - gym[0]) / (2 * step), tol_h);
    expect_near(h[2], (gxp[1] - gxm[1]) / (2 * step), tol_h);
    expect_near(h[3], (gyp[1] - gym[1]) / (2 * step), tol_h);
    assert_true(h[1] == h[2]);
}

static void test_derivatives_match_finite_differences(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 20240611);
    for (int k = SURFACE_DEFAULT + 1; k < SURFACE_FORMULA; k++) {
        const surface_info *info = surface_info_get((surface_kind)k);
        assert_non_null(info);
        const surface_domain *d = &info->domain;
        double step = fd_step(d);
        for (int n = 0; n < N_RANDOM; n++) {
            double x = d->xmin + (d->xmax - d->xmin) * rng_uniform(&r);
            double y = d->ymin + (d->ymax - d->ymin) * rng_uniform(&r);
            check_point((surface_kind)k, x, y, step);
        }
        check_point((surface_kind)k, info->start[0], info->start[1], step);
    }
}

static void test_minima(void **state)
{
    (void)state;
    for (int k = SURFACE_DEFAULT + 1; k < SURFACE_FORMULA; k++) {
        const surface_info *info = surface_info_get((surface_kind)k);
        assert_true(info->n_minima >= 0 && info->n_minima <= SURFACE_MAX_MINIMA);
        assert_true(isfinite(info->min_value));
        for (int m = 0; m < info->n_minima; m++) {
            double g[2], h[4];
            double f = surface_analytic_eval((surface_kind)k, info->minima[m][0],
                                             info->minima[m][1], g, h);
            expect_close(f, info->min_value, 1e-9);
            expect_near(g[0], 0.0, 1e-5 * fmax(1.0, fabs(f)));
            expect_near(g[1], 0.0, 1e-5 * fmax(1.0, fabs(f)));
            /* a minimum: Hessian positive semi-definite */
            assert_true(h[0] >= 0 && h[3] >= 0 && h[0] * h[3] - h[1] * h[2] >= -1e-9);
            const surface_domain *d = &info->domain;
            assert_true(info->minima[m][0] >= d->xmin && info->minima[m][0] <= d->xmax);
            assert_true(info->minima[m][1] >= d->ymin && info->minima[m][1] <= d->ymax);
        }
    }
    /* The saddles have no minimum; their saddle point is at the origin with value 0. */
    surface_kind saddles[] = {SURFACE_SADDLE, SURFACE_MONKEY_SADDLE};
    for (int i = 0; i < 2; i++) {
        const surface_info *info = surface_info_get(saddles[i]);
        assert_int_equal(info->n_minima, 0);
        double g[2];
        expect_near(surface_analytic_eval(saddles[i], 0, 0, g, NULL), info->min_value, 0);
        expect_near(g[0], 0, 0);
        expect_near(g[1], 0, 0);
    }
    /* Goldstein-Price's minimum value is 3, the camel's −1.0316284534898774. */
    expect_near(surface_info_get(SURFACE_GOLDSTEIN_PRICE)->min_value, 3.0, 0);
    expect_near(surface_info_get(SURFACE_SIX_HUMP_CAMEL)->min_value, -1.0316284534898774, 1e-15);
    assert_int_equal(surface_info_get(SURFACE_HIMMELBLAU)->n_minima, 4);
}

static void test_info_table(void **state)
{
    (void)state;
    static const char *names[] = {
        "rosenbrock", "beale",   "himmelblau",      "booth",  "matyas",        "six-hump-camel",
        "rastrigin",  "ackley",  "goldstein-price", "saddle", "monkey-saddle", "ravine",
    };
    assert_int_equal(sizeof names / sizeof names[0], SURFACE_FORMULA - 1);
    for (int k = SURFACE_DEFAULT + 1; k < SURFACE_FORMULA; k++) {
        const surface_info *info = surface_info_get((surface_kind)k);
        assert_string_equal(info->name, names[k - 1]);
        assert_non_null(info->title);
        assert_non_null(info->formula);
        assert_non_null(info->summary);
        const surface_domain *d = &info->domain;
        assert_true(d->xmin < d->xmax && d->ymin < d->ymax);
        assert_true(info->start[0] > d->xmin && info->start[0] < d->xmax);
        assert_true(info->start[1] > d->ymin && info->start[1] < d->ymax);
        /* The start is not a critical point. */
        double g[2];
        surface_analytic_eval((surface_kind)k, info->start[0], info->start[1], g, NULL);
        assert_true(fabs(g[0]) + fabs(g[1]) > 1e-3);
    }
    assert_ptr_equal(surface_info_get(SURFACE_DEFAULT), surface_info_get(SURFACE_ROSENBROCK));
    assert_null(surface_info_get(SURFACE_FORMULA));
    assert_null(surface_info_get(SURFACE_KIND_COUNT));
    assert_null(surface_info_get((surface_kind)-1));
    assert_true(surface_info_get(SURFACE_ROSENBROCK)->log_scale);
    assert_false(surface_info_get(SURFACE_RAVINE)->log_scale);

    double g[2] = {0, 0}, h[4] = {0, 0, 0, 0};
    assert_true(isnan(surface_analytic_eval(SURFACE_FORMULA, 1, 1, g, h)));
    assert_true(isnan(g[0]) && isnan(h[3]));
    expect_near(surface_analytic_eval(SURFACE_DEFAULT, 0, 0, NULL, NULL), 1.0, 0);
}

static void test_names(void **state)
{
    (void)state;
    for (int k = SURFACE_DEFAULT + 1; k < SURFACE_FORMULA; k++)
        assert_int_equal(surface_kind_from_name(surface_info_get((surface_kind)k)->name), k);
    assert_int_equal(surface_kind_from_name("Six_Hump_Camel"), SURFACE_SIX_HUMP_CAMEL);
    assert_int_equal(surface_kind_from_name("SIX-HUMP_camel"), SURFACE_SIX_HUMP_CAMEL);
    assert_int_equal(surface_kind_from_name("camel"), SURFACE_SIX_HUMP_CAMEL);
    assert_int_equal(surface_kind_from_name("sixhumpcamel"), SURFACE_SIX_HUMP_CAMEL);
    assert_int_equal(surface_kind_from_name("monkey"), SURFACE_MONKEY_SADDLE);
    assert_int_equal(surface_kind_from_name("monkey_saddle"), SURFACE_MONKEY_SADDLE);
    assert_int_equal(surface_kind_from_name("goldstein"), SURFACE_GOLDSTEIN_PRICE);
    assert_int_equal(surface_kind_from_name("Goldstein_Price"), SURFACE_GOLDSTEIN_PRICE);
    assert_int_equal(surface_kind_from_name("ROSENBROCK"), SURFACE_ROSENBROCK);
    assert_int_equal(surface_kind_from_name(" ravine "), SURFACE_RAVINE);
    assert_int_equal(surface_kind_from_name("rosenbrok"), SURFACE_FORMULA);
    assert_int_equal(surface_kind_from_name("x^2+y^2"), SURFACE_FORMULA);
    assert_int_equal(surface_kind_from_name(""), SURFACE_FORMULA);
    assert_int_equal(surface_kind_from_name(NULL), SURFACE_FORMULA);
    assert_int_equal(surface_kind_from_name("saddle-point-of-a-very-long-name-beyond-the-buffer"),
                     SURFACE_FORMULA);
}

/* Ackley's cone is not differentiable at the origin: values there are chosen,
 * and nothing may be NaN or infinite near it. */
static void test_ackley_origin(void **state)
{
    (void)state;
    double g[2], h[4];
    double f = surface_analytic_eval(SURFACE_ACKLEY, 0, 0, g, h);
    expect_near(f, 0.0, 1e-14);
    expect_near(g[0], 0, 0);
    expect_near(g[1], 0, 0);
    const double e = exp(1.0), pi = 3.14159265358979323846;
    expect_close(h[0], 2 * pi * pi * e, 1e-12);
    expect_close(h[3], 2 * pi * pi * e, 1e-12);
    expect_near(h[1], 0, 0);
    static const double pts[][2] = {
        {1e-300, 0}, {0, -1e-300}, {5e-324, 5e-324}, {1e-160, 1e-160}, {1e-8, -2e-8}, {-1e-3, 0},
    };
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        f = surface_analytic_eval(SURFACE_ACKLEY, pts[i][0], pts[i][1], g, h);
        assert_true(isfinite(f) && isfinite(g[0]) && isfinite(g[1]));
        for (int j = 0; j < 4; j++)
            assert_true(isfinite(h[j]));
        /* the cone's gradient has norm 4·√½ near the origin, the ripples add little */
        assert_true(hypot(g[0], g[1]) < 4 * sqrt(0.5) + 0.1);
    }
}

static void sym_eigen(const double h[4], double *lo, double *hi)
{
    double m = 0.5 * (h[0] + h[3]);
    double d = hypot(0.5 * (h[0] - h[3]), h[1]);
    *lo = m - d;
    *hi = m + d;
}

static void test_ravine(void **state)
{
    (void)state;
    const surface_info *info = surface_info_get(SURFACE_RAVINE);
    double h[4], lo, hi;
    surface_analytic_eval(SURFACE_RAVINE, info->start[0], info->start[1], NULL, h);
    sym_eigen(h, &lo, &hi);
    assert_true(lo > 0);
    assert_true(hi / lo >= 100.0 - 1e-9);

    /* Plain gradient descent at 0.95 · 2/λmax zig-zags across the canyon (y changes
     * sign every step) while x creeps along it. */
    double lr = 0.95 * 2.0 / hi;
    double x = info->start[0], y = info->start[1];
    int flips = 0;
    for (int t = 0; t < 20; t++) {
        double g[2];
        surface_analytic_eval(SURFACE_RAVINE, x, y, g, NULL);
        double nx = x - lr * g[0], ny = y - lr * g[1];
        flips += (ny * y < 0);
        assert_true(nx > x && nx < 0);
        x = nx;
        y = ny;
    }
    assert_int_equal(flips, 20);
    assert_true(fabs(y) > 0.2); /* still bouncing visibly after 20 steps */
}

static void check_grid(const surface *s, surface_domain dom, int nx, int ny)
{
    double *v = malloc(sizeof(double) * nx * ny);
    double *v2 = malloc(sizeof(double) * nx * ny);
    double *g = malloc(sizeof(double) * 2 * nx * ny);
    assert_non_null(v);
    assert_non_null(v2);
    assert_non_null(g);
    surface_eval_grid(s, dom, nx, ny, v, NULL);
    surface_eval_grid(s, dom, nx, ny, v2, g);
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            double x = dom.xmin + i * (dom.xmax - dom.xmin) / (nx - 1);
            double y = dom.ymin + j * (dom.ymax - dom.ymin) / (ny - 1);
            double ge[2];
            double f = surface_eval(s, x, y, ge, NULL);
            int k = j * nx + i;
            expect_close(v[k], f, 1e-9);
            expect_close(v2[k], f, 1e-9);
            expect_close(g[2 * k], ge[0], 1e-9);
            expect_close(g[2 * k + 1], ge[1], 1e-9);
        }
    /* corners exactly */
    double c[4][2] = {{dom.xmin, dom.ymin}, {dom.xmax, dom.ymin},
                      {dom.xmin, dom.ymax}, {dom.xmax, dom.ymax}};
    int ck[4] = {0, nx - 1, (ny - 1) * nx, ny * nx - 1};
    for (int i = 0; i < 4; i++) {
        double ge[2];
        double f = surface_eval(s, c[i][0], c[i][1], ge, NULL);
        expect_near(v[ck[i]], f, 0);
        expect_near(g[2 * ck[i]], ge[0], 0);
        expect_near(g[2 * ck[i] + 1], ge[1], 0);
    }
    free(v);
    free(v2);
    free(g);
}

static void test_grid(void **state)
{
    (void)state;
    surface s;
    static const char *names[] = {"rosenbrock", "ackley", "goldstein-price", "ravine"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(surface_init(&s, names[i], NULL), 1);
        check_grid(&s, s.domain, 7, 5);
        check_grid(&s, (surface_domain){-0.3, 0.7, 0.1, 1.9}, 13, 17);
        surface_free(&s);
    }
}

static void test_init_builtin(void **state)
{
    (void)state;
    surface s;
    assert_int_equal(surface_init(&s, "rosenbrock", NULL), 1);
    assert_int_equal(s.kind, SURFACE_ROSENBROCK);
    assert_null(s.formula);
    assert_string_equal(s.name, "rosenbrock");
    expect_near(s.domain.xmin, -2, 0);
    expect_near(s.domain.ymax, 3, 0);
    double g[2], h[4];
    expect_near(surface_eval(&s, 1, 1, g, h), 0, 0);
    expect_near(h[3], 200, 0);
    surface_free(&s);
    assert_int_equal(s.kind, 0);
    assert_null(s.formula);

    assert_int_equal(surface_init(&s, "Six_Hump_Camel", NULL), 1);
    assert_int_equal(s.kind, SURFACE_SIX_HUMP_CAMEL);
    assert_string_equal(s.name, "six-hump-camel");
    surface_free(&s);

    surface z;
    memset(&z, 0, sizeof z);
    surface_free(&z);
    surface_free(&z);
    surface_free(NULL);
}

static void test_init_formula(void **state)
{
    (void)state;
    surface s;
    diag err = {0};
    assert_int_equal(surface_init(&s, "x^2+y^2", &err), 1);
    assert_int_equal(s.kind, SURFACE_FORMULA);
    assert_non_null(s.formula);
    assert_string_equal(s.name, "formula");
    expect_near(s.domain.xmin, -3, 0);
    expect_near(s.domain.xmax, 3, 0);
    expect_near(s.domain.ymin, -3, 0);
    expect_near(s.domain.ymax, 3, 0);
    double g[2], h[4];
    expect_near(surface_eval(&s, 1, 2, g, h), 5, 1e-14);
    expect_near(g[0], 2, 1e-14);
    expect_near(g[1], 4, 1e-14);
    expect_near(h[0], 2, 1e-14);
    expect_near(h[1], 0, 1e-14);
    expect_near(h[2], 0, 1e-14);
    expect_near(h[3], 2, 1e-14);
    check_grid(&s, s.domain, 9, 6);
    surface_free(&s);
    assert_null(s.formula);

    memset(&err, 0, sizeof err);
    assert_int_equal(surface_init(&s, "x^2 + (y", &err), 0);
    assert_int_equal(err.column, 8);
    assert_true(err.msg[0] != '\0');
    assert_null(s.formula);
    surface_free(&s);
}

/* Each built-in's formula text compiles (formula.h) to the same function. */
static void test_formula_texts(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 7);
    for (int k = SURFACE_DEFAULT + 1; k < SURFACE_FORMULA; k++) {
        const surface_info *info = surface_info_get((surface_kind)k);
        diag err = {0};
        formula *f = formula_compile(info->formula, &err);
        if (!f)
            fprintf(stderr, "%s: column %d: %s\n", info->name, err.column, err.msg);
        assert_non_null(f);
        const surface_domain *d = &info->domain;
        for (int n = 0; n < 50; n++) {
            double x = d->xmin + (d->xmax - d->xmin) * rng_uniform(&r);
            double y = d->ymin + (d->ymax - d->ymin) * rng_uniform(&r);
            double g[2], h[4], gf[2], hf[4];
            double v = surface_analytic_eval((surface_kind)k, x, y, g, h);
            double vf = formula_eval(f, x, y, gf, hf);
            double scale = fmax(1.0, fabs(v));
            expect_near(vf, v, 1e-10 * scale);
            for (int i = 0; i < 2; i++)
                expect_near(gf[i], g[i], 1e-9 * fmax(scale, fabs(g[i])));
            for (int i = 0; i < 4; i++)
                expect_near(hf[i], h[i], 1e-9 * fmax(scale, fabs(h[i])));
        }
        formula_destroy(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derivatives_match_finite_differences),
        cmocka_unit_test(test_minima),
        cmocka_unit_test(test_info_table),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_ackley_origin),
        cmocka_unit_test(test_ravine),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_init_builtin),
        cmocka_unit_test(test_init_formula),
        cmocka_unit_test(test_formula_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
