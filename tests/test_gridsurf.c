/*
 * test_gridsurf.c — the bicubic Hermite interpolant of gridded values: it passes
 * through the data, reproduces bilinear data exactly, its gradient and Hessian are
 * the derivatives of its value, it continues along the tangent plane off the grid,
 * and bad grids are refused with the coordinate at fault.
 */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/gridsurf.h"
#include "core/surface.h"

static double smooth(double x, double y) { return log1p(3 * x * x + 8 * y * y + 0.4 * sin(5 * x) * cos(4 * y) + 0.5); }

static gridsurf *make(int nx, int ny, double (*f)(double, double), double *xs, double *ys)
{
    double *v = malloc((size_t)nx * ny * sizeof *v);
    for (int i = 0; i < nx; i++)
        xs[i] = -1 + 2.0 * i / (nx - 1) + (i > 0 && i < nx - 1 ? 0.01 * sin(i) : 0);   /* uneven */
    for (int j = 0; j < ny; j++)
        ys[j] = -2 + 3.0 * j / (ny - 1);
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++)
            v[j * nx + i] = f(xs[i], ys[j]);
    diag err = { 0 };
    gridsurf *g = gridsurf_create(xs, nx, ys, ny, v, &err);
    free(v);
    assert_non_null(g);
    return g;
}

static double bilinear(double x, double y) { return 1.5 - 2 * x + 0.5 * y + 3 * x * y; }

static void test_nodes_and_bilinear(void **state)
{
    (void)state;
    double xs[41], ys[31];
    gridsurf *g = make(41, 31, smooth, xs, ys);
    for (int j = 0; j < 31; j += 3)
        for (int i = 0; i < 41; i += 4)
            expect_near(gridsurf_eval(g, xs[i], ys[j], NULL, NULL), smooth(xs[i], ys[j]), 1e-14);
    /* between nodes: close to the function (a fine grid) */
    expect_near(gridsurf_eval(g, 0.123, -0.456, NULL, NULL), smooth(0.123, -0.456), 2e-3);
    gridsurf_destroy(g);

    g = make(7, 5, bilinear, xs, ys);     /* twist and slopes exact: bilinear reproduced */
    double gr[2], h[4];
    for (double x = -0.95; x < 1; x += 0.173)
        for (double y = -1.9; y < 1; y += 0.21) {
            expect_near(gridsurf_eval(g, x, y, gr, h), bilinear(x, y), 1e-12);
            expect_near(gr[0], -2 + 3 * y, 1e-11);
            expect_near(gr[1], 0.5 + 3 * x, 1e-11);
            expect_near(h[1], 3, 1e-10);
        }
    gridsurf_destroy(g);
}

static void test_derivatives_consistent(void **state)
{
    (void)state;
    double xs[21], ys[17];
    gridsurf *g = make(21, 17, smooth, xs, ys);
    const double e = 1e-6;
    double pts[][2] = { { 0.31, -0.77 }, { -0.52, 0.4 }, { 0.9, -1.5 }, { 0.01, 0.02 } };
    for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        double x = pts[k][0], y = pts[k][1], gr[2], h[4], gp[2], gm[2];
        gridsurf_eval(g, x, y, gr, h);
        double fx = (gridsurf_eval(g, x + e, y, NULL, NULL) - gridsurf_eval(g, x - e, y, NULL, NULL)) / (2 * e);
        double fy = (gridsurf_eval(g, x, y + e, NULL, NULL) - gridsurf_eval(g, x, y - e, NULL, NULL)) / (2 * e);
        expect_near(gr[0], fx, 1e-6);
        expect_near(gr[1], fy, 1e-6);
        gridsurf_eval(g, x + e, y, gp, NULL);
        gridsurf_eval(g, x - e, y, gm, NULL);
        expect_near(h[0], (gp[0] - gm[0]) / (2 * e), 1e-4);
        expect_near(h[2], (gp[1] - gm[1]) / (2 * e), 1e-4);
        assert_true(h[1] == h[2]);
    }
    /* off the grid: the tangent plane of the edge point */
    double ge[2];
    double fe = gridsurf_eval(g, 1.0, 0.2, ge, NULL);
    expect_near(gridsurf_eval(g, 1.5, 0.2, NULL, NULL), fe + 0.5 * ge[0], 1e-12);
    gridsurf_destroy(g);
}

static void test_curve_and_errors(void **state)
{
    (void)state;
    double x[4] = { 0, 1, 2, 3 }, y0 = 0, v[4] = { 3, 1, 0, 2 };
    diag err = { 0 };
    gridsurf *g = gridsurf_create(x, 4, &y0, 1, v, &err);
    assert_non_null(g);
    double gr[2];
    expect_near(gridsurf_eval(g, 2, 5.0, gr, NULL), 0, 1e-15);   /* independent of y */
    expect_near(gr[1], 0, 0);
    gridsurf_destroy(g);

    double bad[4] = { 0, 1, 1, 3 };
    assert_null(gridsurf_create(bad, 4, &y0, 1, v, &err));
    assert_non_null(strstr(err.msg, "xcoordinates are not strictly increasing at index 2"));
    v[1] = NAN;
    assert_null(gridsurf_create(x, 4, &y0, 1, v, &err));
    assert_non_null(strstr(err.msg, "not finite"));
    assert_null(gridsurf_create(x, 1, &y0, 1, v, &err));

    /* as a surface */
    v[1] = 1;
    surface s;
    surface_init_grid(&s, gridsurf_create(x, 4, &y0, 1, v, &err), "train_loss");
    assert_int_equal(s.kind, SURFACE_GRID);
    expect_near(s.domain.xmax, 3, 0);
    expect_near(surface_eval(&s, 1, 0, NULL, NULL), 1, 1e-15);
    surface_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nodes_and_bilinear),
        cmocka_unit_test(test_derivatives_consistent),
        cmocka_unit_test(test_curve_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
