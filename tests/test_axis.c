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
    assert_true(a.zeros && !a.clamped);
    expect_near(a.low, 1e-5, 0);
    expect_near(axis_map(&a, 100), 1, 1e-12);
    expect_near(axis_map(&a, 0), 0, 1e-12);
    /* zeros sit on the floor, below the smallest positive value, not with it */
    assert_true(a.floor < 1e-5);
    assert_true(axis_map(&a, 1e-5) >= AXIS_ZERO_BAND - 1e-9 && axis_map(&a, 1e-5) < 0.25);
    /* the values in between spread over the height, not flattened at the bottom */
    assert_true(axis_map(&a, 0.02) > 0.4 && axis_map(&a, 0.02) < 0.7);
    for (double t = 0.25; t <= 1; t += 0.125)   /* above the zero band */
        expect_near(axis_map(&a, axis_unmap(&a, t)), t, 1e-9);
}

/* A run converging to 1e-29 from 170 (himmelblau's SGD): the axis spans its 31
 * decades, so 1e-13 (a run still falling) sits half-way down, not on a floor 16
 * decades under the top where main put both (issue 9 #7: runs looked stalled). */
static void test_log_spans_the_data(void **state)
{
    (void)state;
    const double v[] = {170, 1, 7e-13, 5e-29};
    axis a = fit(v, 4, 0);
    assert_int_equal(a.kind, AXIS_LOG);
    assert_true(!a.zeros && !a.clamped);
    expect_near(axis_map(&a, 5e-29), 0, 1e-12);
    assert_true(axis_map(&a, 7e-13) > 0.4 && axis_map(&a, 7e-13) < 0.6);
    assert_true(axis_map(&a, 1e-20) > 0.1);   /* main: on the floor with 5e-29 */
    /* far below: at most AXIS_LOG_DECADES decades; the rest sits on `low`, said */
    const double w[] = {1, 1e-300, 0};
    axis b = fit(w, 3, 0);
    expect_near(b.low, 1e-40, 1e-52);
    assert_true(b.clamped && b.zeros);
    assert_true(axis_map(&b, 1e-300) > axis_map(&b, 0));
    expect_near(axis_map(&b, 1e-300), axis_map(&b, 1e-40), 1e-12);
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
        cmocka_unit_test(test_log_spans_the_data),
        cmocka_unit_test(test_symlog),
        cmocka_unit_test(test_non_finite_ignored_and_linear),
        cmocka_unit_test(test_all_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
