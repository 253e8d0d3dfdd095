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

/* The budget is what the rest of the frame leaves of PACE_FRAME_S: all of
 * PACE_BUDGET_S while drawing is cheap, less while it is dear (and at least
 * PACE_BUDGET_MIN_S); a dear frame is remembered, its memory fading slowly. */
static void test_budget_follows_the_frame(void **state)
{
    (void)state;
    pace p;
    pace_init(&p, 1e6);
    assert_true(pace_budget(&p) == PACE_BUDGET_S);   /* nothing seen yet */
    /* frames of 12 ms stepping + 6 ms drawing: the full budget (once the first
     * frame, all rest, has faded from the envelope) */
    for (int i = 0; i < 400; i++) {
        pace_took(&p, pace_due(&p, 0.018), 10);
        pace_stepped(&p, 0.012);
    }
    assert_true(pace_budget(&p) == PACE_BUDGET_S);
    /* one frame draws for 18 ms: the next steps for at most 7 ms */
    pace_due(&p, 0.012 + 0.018);
    assert_true(fabs(pace_budget(&p) - (PACE_FRAME_S - 0.018)) < 1e-12);
    pace_stepped(&p, 0.005);
    /* cheap frames again: the envelope comes down, not at once */
    pace_due(&p, 0.005 + 0.006);
    pace_stepped(&p, 0.005);
    double b1 = pace_budget(&p);
    assert_true(b1 > PACE_FRAME_S - 0.018 && b1 < PACE_FRAME_S - 0.017);
    for (int i = 0; i < 200; i++) {
        pace_due(&p, pace_budget(&p) + 0.006);
        pace_stepped(&p, pace_budget(&p));
    }
    assert_true(pace_budget(&p) == PACE_BUDGET_S);
    /* drawing dearer than the whole frame: the least budget, never none */
    pace_due(&p, 0.012 + 0.060);
    assert_true(pace_budget(&p) == PACE_BUDGET_MIN_S);
    /* a paused frame (no pace_stepped): all of its time counts as the rest */
    pace_init(&p, 60);
    pace_due(&p, 0.020);
    pace_due(&p, 0.020);
    assert_true(fabs(pace_budget(&p) - (PACE_FRAME_S - 0.020)) < 1e-12);
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
    assert_string_equal(pace_number(1, b, sizeof b), "1");
    assert_string_equal(pace_number(2.5, b, sizeof b), "2.5");
    assert_string_equal(pace_number(12.7, b, sizeof b), "13");
    assert_string_equal(pace_number(1e6, b, sizeof b), "1e+06");
    assert_string_equal(pace_number(2.34e5, b, sizeof b), "2.3e+05");
    assert_string_equal(pace_number(60, b, sizeof b), "60");
    assert_string_equal(pace_number(0.25, b, sizeof b), "0.25");
}

/* Frames of dt seconds for `seconds`, each taking the fraction `part` of its steps;
 * returns the last pace_done. */
static double run_short(pace *p, double dt, double seconds, double part)
{
    for (double t = 0; t < seconds - 1e-9; t += dt) {
        long due = pace_due(p, dt);
        pace_took(p, due, (long)((double)due * part));
    }
    return pace_done(p);
}

/* What was achieved (the HUD: "1e+06 steps/s asked, 2.3e+05 done"): said only when
 * the budget holds the runs below the speed, smoothed, held half a second at a time,
 * and with hysteresis, so that it does not flicker. */
static void test_done_rate(void **state)
{
    (void)state;
    pace p;
    pace_init(&p, 1e6);
    assert_true(run_short(&p, 1.0 / 30, 5, 1.0) < 0);   /* met: nothing to say */
    double d = run_short(&p, 1.0 / 30, 5, 0.25);   /* a quarter fits the budget */
    assert_true(d > 0.23e6 && d < 0.27e6);
    /* held: frames within half a second of the last change show the same value */
    double first = pace_done(&p), changed = 0;
    for (int f = 0; f < 10; f++) {   /* 1/3 s */
        long due = pace_due(&p, 1.0 / 30);
        pace_took(&p, due, f % 2 ? due / 5 : due / 3);
        changed += pace_done(&p) != first;
    }
    assert_true(changed == 0);
    /* hysteresis: 92 % of the speed is still short once short, 99 % is met */
    assert_true(run_short(&p, 1.0 / 30, 10, 0.92) > 0);
    assert_true(run_short(&p, 1.0 / 30, 10, 0.99) < 0);
    /* and 92 % from a met state does not start saying it */
    assert_true(run_short(&p, 1.0 / 30, 10, 0.92) < 0);
    /* stalled frames (over the 0.25 s a frame catches up) count as not done */
    pace_init(&p, 100);
    assert_true(run_short(&p, 0.5, 10, 1.0) > 40 && pace_done(&p) < 60);
    /* nothing done at all: about 0, not "met" */
    pace_init(&p, 1000);
    d = run_short(&p, 1.0 / 60, 3, 0.0);
    assert_true(d >= 0 && d < 50);
    /* a new speed starts afresh: the old shortfall is no guide */
    pace_set(&p, 10);
    assert_true(pace_done(&p) < 0);
    /* slow motion (a step every few frames) is met */
    pace_init(&p, 0.5);
    assert_true(run_short(&p, 1.0 / 60, 10, 1.0) < 0);
}

/* Frames of 1/fps s at `speed` steps/s for 20 s, each refit followed by `ease`
 * frames of the view easing to it: *refits made, *settled frames (the view still
 * at the last refit) out of *frames. Returns the steps taken. */
static long run_refits(double speed, double fps, int ease, int *refits, int *settled, int *frames)
{
    long step = 0, at = 0;
    double at_t = -1, still_from = 0;
    int easing = 0;
    *refits = *settled = *frames = 0;
    for (int f = 0; f < (int)(20 * fps); f++) {
        double t = f / fps;
        long next = (long)(speed * (t + 1 / fps));
        for (; step < next; step++)   /* the window asks after every step */
            if (pace_refit_due(step - at, at_t < 0 ? -1 : t - at_t, easing ? 0 : t - still_from)) {
                at = step;
                at_t = t;
                easing = ease;
                ++*refits;
            }
        *settled += easing == 0;
        if (easing > 0 && --easing == 0)
            still_from = t;
        ++*frames;
    }
    return step;
}

static void test_refit_cadence(void **state)
{
    (void)state;
    int refits, settled, frames;
    /* 10^6 steps/s at 30 frames/s, 30 frames of easing: a refit every 100 steps
     * would refit every frame and never settle; the view stands still a second
     * after each easing */
    run_refits(1e6, 30, 30, &refits, &settled, &frames);
    assert_true(refits >= 8 && refits <= 11);
    assert_true(settled >= frames * 2 / 5 && settled <= frames * 3 / 5);
    /* an easing that never ends still refits, every PACE_REFIT_MAX_S */
    run_refits(1e6, 30, 1 << 30, &refits, &settled, &frames);
    assert_int_equal(refits, (int)(20 / PACE_REFIT_MAX_S));
    /* slower speeds keep the step rule: 50 steps/s refits every 100 steps (2 s) */
    long steps = run_refits(50, 60, 30, &refits, &settled, &frames);
    assert_true(steps >= 999);
    assert_true(refits >= steps / PACE_REFIT_STEPS - 1 && refits <= steps / PACE_REFIT_STEPS);
    /* never before 100 steps, however long ago and still */
    assert_false(pace_refit_due(PACE_REFIT_STEPS - 1, 100, 100));
    assert_true(pace_refit_due(PACE_REFIT_STEPS, -1, 0));   /* the first one */
    assert_false(pace_refit_due(PACE_REFIT_STEPS, PACE_REFIT_MAX_S - 0.1, 0.5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_speed_independent_of_frame_rate),
        cmocka_unit_test(test_slow_motion_phase),
        cmocka_unit_test(test_budget_forgives),
        cmocka_unit_test(test_budget_follows_the_frame),
        cmocka_unit_test(test_limits_and_format),
        cmocka_unit_test(test_done_rate),
        cmocka_unit_test(test_refit_cadence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
