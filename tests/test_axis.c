/*
 * test_axis.c — a plot's value axis (issue 9 #7): a run reaching exactly 0 keeps the
 * log axis (with a floor), negative losses get a symmetric log axis, non-finite
 * values are ignored, and map/unmap are inverses.
 */
#include "testutil.h"

#include "core/axis.h"

static axis fit(const double *v, int n, int linear)
{
    axis a;
    axis_begin(&a);
    for (int i = 0; i < n; i++)
        axis_add(&a, v[i]);
    axis_fit(&a, linear);
    return a;
}

static void test_log_with_floor(void **state)
{
    (void)state;
    const double v[] = {100, 3, 0.02, 1e-5, 0, 0};
    axis a = fit(v, 6, 0);
    assert_int_equal(a.kind, AXIS_LOG);   /* main: a single 0 made the axis linear */
    expect_near(a.floor, 1e-5, 0);
    expect_near(axis_map(&a, 100), 1, 1e-12);
    expect_near(axis_map(&a, 0), 0, 1e-12);
    expect_near(axis_map(&a, 1e-5), 0, 1e-12);
    /* the values in between spread over the height, not flattened at the bottom */
    assert_true(axis_map(&a, 0.02) > 0.4 && axis_map(&a, 0.02) < 0.6);
    /* floor: at most AXIS_LOG_DECADES decades */
    const double w[] = {1, 1e-300, 0};
    axis b = fit(w, 3, 0);
    expect_near(b.floor, 1e-16, 1e-30);
    assert_true(axis_map(&b, 1e-300) == 0);
}

static void test_symlog(void **state)
{
    (void)state;
    const double v[] = {2, 0.5, 0, -3, -1e3};
    axis a = fit(v, 5, 0);
    assert_int_equal(a.kind, AXIS_SYMLOG);
    expect_near(axis_map(&a, 2), 1, 1e-12);
    expect_near(axis_map(&a, -1e3), 0, 1e-12);
    /* 0 and the small values are not squashed into one pixel: −3 and 2 are
     * distinguishable by more than a few per cent of the height */
    assert_true(axis_map(&a, 2) - axis_map(&a, -3) > 0.05);
    assert_true(axis_map(&a, 0.5) > axis_map(&a, 0) && axis_map(&a, 0) > axis_map(&a, -3));
    for (double t = 0; t <= 1; t += 0.125)
        expect_near(axis_map(&a, axis_unmap(&a, t)), t, 1e-9);
}

static void test_non_finite_ignored_and_linear(void **state)
{
    (void)state;
    const double v[] = {1.0 / 0.0, 0.0 / 0.0, 0.5, 0.75};
    axis a = fit(v, 4, 1);
    assert_int_equal(a.kind, AXIS_LINEAR);
    expect_near(a.lo, 0.5, 0);
    expect_near(a.hi, 0.75, 0);
    axis e;
    axis_begin(&e);
    axis_add(&e, 0.0 / 0.0);
    assert_int_equal(axis_fit(&e, 0), 0);
    /* one value: a range around it */
    const double one[] = {4};
    axis o = fit(one, 1, 0);
    assert_true(o.hi > o.lo);
    expect_near(axis_map(&o, 4), 0.5, 1e-12);
    for (double t = 0; t <= 1; t += 0.25)
        expect_near(axis_map(&o, axis_unmap(&o, t)), t, 1e-9);
}

/* Every value 0 (a run frozen with lr = 0: its rate plot): 0 to 1 with the line at
 * the bottom; main padded 0 by ±1e-12, and the plot's labels read ±1.00e-12. */
static void test_all_zero(void **state)
{
    (void)state;
    const double v[] = {0, 0, 0};
    axis a = fit(v, 3, 0);
    assert_int_equal(a.kind, AXIS_LINEAR);
    expect_near(a.lo, 0, 0);
    expect_near(a.hi, 1, 0);
    expect_near(axis_map(&a, 0), 0, 0);
    expect_near(axis_unmap(&a, 1), 1, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_with_floor),
        cmocka_unit_test(test_symlog),
        cmocka_unit_test(test_non_finite_ignored_and_linear),
        cmocka_unit_test(test_all_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
