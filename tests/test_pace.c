/*
 * test_pace.c — the window's speed (issue 9, "slow motion and speed"): steps per
 * second of wall-clock time whatever the frame rate, smooth phase below one step per
 * frame, forgiven steps instead of a backlog when the budget runs out.
 */
#include "testutil.h"

#include <string.h>

#include "core/pace.h"

/* Frames of dt seconds for `seconds`: the steps due add up to speed × seconds. */
static long run_frames(pace *p, double dt, double seconds)
{
    long total = 0;
    for (double t = 0; t < seconds - 1e-9; t += dt) {
        long due = pace_due(p, dt);
        pace_took(p, due, due);
        total += due;
    }
    return total;
}

static void test_speed_independent_of_frame_rate(void **state)
{
    (void)state;
    static const double rates[] = {30, 60, 144, 240};
    for (int k = 0; k < 4; k++) {
        pace p;
        pace_init(&p, 120);
        long n = run_frames(&p, 1.0 / rates[k], 10);
        assert_true(n >= 1199 && n <= 1200);
    }
}

static void test_slow_motion_phase(void **state)
{
    (void)state;
    pace p;
    pace_init(&p, 0.5);   /* one step every two seconds */
    double last = -1;
    long steps = 0;
    for (int f = 0; f < 240; f++) {   /* 4 s at 60 Hz */
        long due = pace_due(&p, 1.0 / 60);
        pace_took(&p, due, due);
        steps += due;
        double ph = pace_phase(&p);
        assert_true(ph >= 0 && ph < 1);
        if (due == 0 && last >= 0)
            assert_true(ph > last);   /* moves on smoothly between steps */
        last = ph;
    }
    assert_true(steps == 1 || steps == 2);
    /* fast: nothing to interpolate */
    pace_init(&p, 1000);
    pace_took(&p, pace_due(&p, 1.0 / 60), 16);
    assert_true(pace_phase(&p) == 1);
}

static void test_budget_forgives(void **state)
{
    (void)state;
    pace p;
    pace_init(&p, 1e6);
    long due = pace_due(&p, 1.0 / 30);
    assert_true(due >= 33000 && due <= 33334);
    pace_took(&p, due, 10);   /* only 10 fitted in the budget */
    /* the next frame owes one frame's worth again, not the backlog */
    long due2 = pace_due(&p, 1.0 / 30);
    assert_true(due2 <= 33334);
    /* a stalled frame is not caught up */
    pace_took(&p, due2, due2);
    assert_true(pace_due(&p, 30.0) <= 250000);
}

static void test_limits_and_format(void **state)
{
    (void)state;
    pace p;
    pace_init(&p, 0);
    assert_true(p.speed == PACE_MIN_SPEED);
    assert_true(pace_set(&p, 1e9) == PACE_MAX_SPEED);
    assert_true(pace_set(&p, 0.0 / 0.0) == PACE_MIN_SPEED);
    char b[32];
    assert_string_equal(pace_format(0.25, b, sizeof b), "0.25 steps/s");
    assert_string_equal(pace_format(1, b, sizeof b), "1 step/s");
    assert_string_equal(pace_format(60, b, sizeof b), "60 steps/s");
    assert_string_equal(pace_format(1e6, b, sizeof b), "1e+06 steps/s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_speed_independent_of_frame_rate),
        cmocka_unit_test(test_slow_motion_phase),
        cmocka_unit_test(test_budget_forgives),
        cmocka_unit_test(test_limits_and_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
