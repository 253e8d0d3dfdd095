/*
 * test_figure_contour.c — record/figure_contour.h: marching squares joined into
 * lines. A circle's level is one closed loop on the circle; a level that leaves the
 * grid is one open line from edge to edge; thinning keeps every point within the
 * tolerance and drops most of them on a straight line; a level outside the range
 * gives nothing; saddle cells split the way the centre value says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "record/figure_contour.h"

#define N 65

static double *grid(double (*f)(double, double))
{
    double *v = malloc(N * N * sizeof *v);
    assert_non_null(v);
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++)
            v[j * N + i] = f(i - 32.0, j - 32.0);
    return v;
}

static double bowl(double x, double y) { return x * x + y * y; }
static double ramp(double x, double y) { return x + 0.5 * y; }

static void circle_is_one_closed_loop(void **state)
{
    (void)state;
    double *v = grid(bowl);
    contour_lines cl;
    assert_true(contour_trace(v, N, N, 20.0 * 20.0, 0, &cl));
    assert_int_equal(cl.n_lines, 1);
    assert_true(cl.closed[0]);
    int n = cl.start[1] - cl.start[0];
    assert_true(n > 100);
    assert_true(cl.pts[0] == cl.pts[2 * (n - 1)] && cl.pts[1] == cl.pts[2 * (n - 1) + 1]);
    for (int p = 0; p < n; p++) {
        double r = hypot(cl.pts[2 * p] - 32, cl.pts[2 * p + 1] - 32);
        assert_true(fabs(r - 20) < 0.1);   /* linear interpolation along the edges */
    }
    contour_lines_free(&cl);
    /* thinned: fewer points, all still near the circle */
    assert_true(contour_trace(v, N, N, 400, 0.05, &cl));
    assert_int_equal(cl.n_lines, 1);
    assert_true(cl.start[1] - cl.start[0] < n);
    for (int p = cl.start[0]; p < cl.start[1]; p++)
        assert_true(fabs(hypot(cl.pts[2 * p] - 32, cl.pts[2 * p + 1] - 32) - 20) < 0.2);
    contour_lines_free(&cl);
    /* outside the range: nothing */
    assert_true(contour_trace(v, N, N, 1e9, 0, &cl));
    assert_int_equal(cl.n_lines, 0);
    contour_lines_free(&cl);
    free(v);
}

static void straight_level_is_one_open_line(void **state)
{
    (void)state;
    double *v = grid(ramp);
    contour_lines cl;
    assert_true(contour_trace(v, N, N, 3.25, 0, &cl));
    assert_int_equal(cl.n_lines, 1);
    assert_false(cl.closed[0]);
    int a = cl.start[0], b = cl.start[1] - 1;
    /* both ends on the border */
    for (int p = 0; p < 2; p++) {
        double x = cl.pts[2 * (p ? b : a)], y = cl.pts[2 * (p ? b : a) + 1];
        assert_true(x <= 1e-9 || x >= N - 1 - 1e-9 || y <= 1e-9 || y >= N - 1 - 1e-9);
    }
    for (int p = a; p <= b; p++)   /* on the line x + y/2 = 3.25 (grid offset 32) */
        assert_true(fabs((cl.pts[2 * p] - 32) + 0.5 * (cl.pts[2 * p + 1] - 32) - 3.25) < 1e-9);
    contour_lines_free(&cl);
    assert_true(contour_trace(v, N, N, 3.25, 0.01, &cl));   /* a straight line thins to its ends */
    assert_int_equal(cl.start[1] - cl.start[0], 2);
    contour_lines_free(&cl);
    free(v);
}

static void saddle_cell_follows_centre(void **state)
{
    (void)state;
    /* one cell: corners a=1 (0,0), b=0 (1,0), c=1 (1,1), d=0 (0,1); level 0.5 */
    double v[4] = { 1, 0, 0, 1 };   /* row 0: a b; row 1: d c */
    contour_lines cl;
    assert_true(contour_trace(v, 2, 2, 0.5, 0, &cl));   /* centre 0.5 >= level: a and c joined */
    assert_int_equal(cl.n_lines, 2);
    /* each segment cuts off a corner that is outside (b or d) */
    for (int k = 0; k < 2; k++) {
        double mx = 0.5 * (cl.pts[2 * cl.start[k]] + cl.pts[2 * (cl.start[k] + 1)]);
        double my = 0.5 * (cl.pts[2 * cl.start[k] + 1] + cl.pts[2 * (cl.start[k] + 1) + 1]);
        int near_b = mx > 0.5 && my < 0.5, near_d = mx < 0.5 && my > 0.5;
        assert_true(near_b || near_d);
    }
    contour_lines_free(&cl);
    assert_true(contour_trace(v, 2, 2, 0.6, 0, &cl));   /* centre 0.5 < level: b and d joined */
    assert_int_equal(cl.n_lines, 2);
    for (int k = 0; k < 2; k++) {
        double mx = 0.5 * (cl.pts[2 * cl.start[k]] + cl.pts[2 * (cl.start[k] + 1)]);
        double my = 0.5 * (cl.pts[2 * cl.start[k] + 1] + cl.pts[2 * (cl.start[k] + 1) + 1]);
        int near_a = mx < 0.5 && my < 0.5, near_c = mx > 0.5 && my > 0.5;
        assert_true(near_a || near_c);
    }
    contour_lines_free(&cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(circle_is_one_closed_loop),
        cmocka_unit_test(straight_level_is_one_open_line),
        cmocka_unit_test(saddle_cell_follows_centre),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
