/*
 * test_schedule.c — learning-rate schedules against their closed forms, warm-up,
 * clamping, OneCycleLR's start/peak/end, and the spec parser/formatter.
 */
#include "testutil.h"

#include <string.h>

#include "core/schedule.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static schedule_desc parse_ok(const char *spec)
{
    schedule_desc d;
    diag err = {0};
    memset(&d, 0, sizeof d);
    if (!schedule_parse(spec, &d, &err))
        fail_msg("'%s': column %d: %s", spec, err.column, err.msg);
    return d;
}

static void test_constant_step_exp_invsqrt(void **state)
{
    (void)state;
    schedule_desc d = {.kind = SCHED_CONSTANT};
    for (long k = 0; k < 1000; k += 37)
        expect_near(schedule_rate(&d, 0.1, k), 0.1, 0);

    /* step: η γ^⌊k/every⌋ with every = 10, γ = 0.5 */
    d = parse_ok("step:every=10,gamma=0.5");
    expect_near(schedule_rate(&d, 0.1, 0), 0.1, 0);
    expect_near(schedule_rate(&d, 0.1, 9), 0.1, 0);
    expect_close(schedule_rate(&d, 0.1, 10), 0.05, 1e-16);
    expect_close(schedule_rate(&d, 0.1, 25), 0.025, 1e-16);   /* ⌊25/10⌋ = 2 → 0.1·0.25 */
    /* defaults: every 100, γ 0.1 (torch's StepLR) */
    d = (schedule_desc){.kind = SCHED_STEP};
    expect_close(schedule_rate(&d, 1.0, 199), 0.1, 1e-16);
    expect_close(schedule_rate(&d, 1.0, 200), 0.01, 1e-16);
    d = parse_ok("step:step_size=10");                       /* torch's spelling */
    assert_int_equal(d.every, 10);

    /* exp: η γ^k, γ = 0.9: k = 3 → 0.1 · 0.729 */
    d = parse_ok("exp:gamma=0.9");
    expect_close(schedule_rate(&d, 0.1, 3), 0.0729, 1e-15);
    d = (schedule_desc){.kind = SCHED_EXP};   /* default γ 0.99 */
    expect_close(schedule_rate(&d, 1.0, 2), 0.9801, 1e-15);

    /* invsqrt: η/√(k+1): k = 3 → η/2, k = 99 → η/10 */
    d = parse_ok("invsqrt");
    expect_near(schedule_rate(&d, 0.1, 0), 0.1, 0);
    expect_close(schedule_rate(&d, 0.1, 3), 0.05, 1e-16);
    expect_close(schedule_rate(&d, 0.1, 99), 0.01, 1e-16);
}

static void test_cosine(void **state)
{
    (void)state;
    /* η_min + (η − η_min)(1 + cos(πk/T))/2 with η = 0.1, η_min = 0.1·0.1 = 0.01, T = 100 */
    schedule_desc d = parse_ok("cosine:T=100,min=0.1,after=hold");
    expect_close(schedule_rate(&d, 0.1, 0), 0.1, 1e-15);
    expect_close(schedule_rate(&d, 0.1, 25), 0.01 + 0.09 * (1 + cos(M_PI / 4)) / 2, 1e-15);
    expect_close(schedule_rate(&d, 0.1, 50), 0.055, 1e-15);      /* 0.01 + 0.09·½ */
    expect_close(schedule_rate(&d, 0.1, 100), 0.01, 1e-15);
    /* clamped after T: no rise back up */
    expect_close(schedule_rate(&d, 0.1, 150), 0.01, 1e-15);
    expect_close(schedule_rate(&d, 0.1, 100000), 0.01, 1e-15);
    /* monotone non-increasing over the whole run */
    for (long k = 1; k < 300; k++)
        assert_true(schedule_rate(&d, 0.1, k) <= schedule_rate(&d, 0.1, k - 1));
    /* the default, after=periodic (torch's CosineAnnealingLR): the formula goes on,
     * back up to η at 2T, down again at 3T */
    d = parse_ok("cosine:T=100,min=0.1");
    assert_int_equal(d.hold, 0);
    expect_close(schedule_rate(&d, 0.1, 150), 0.055, 1e-15);
    expect_close(schedule_rate(&d, 0.1, 200), 0.1, 1e-15);
    expect_close(schedule_rate(&d, 0.1, 300), 0.01, 1e-14);
    d = parse_ok("cosine:T_max=100");                        /* torch's spelling */
    assert_int_equal(d.T, 100);
    /* default T = 1000, min 0 */
    d = (schedule_desc){.kind = SCHED_COSINE};
    expect_close(schedule_rate(&d, 1.0, 500), 0.5, 1e-15);
    expect_near(schedule_rate(&d, 1.0, 1000), 0.0, 1e-16);
}

static void test_warmup(void **state)
{
    (void)state;
    /* W = 10: rate η(k+1)/W for k < 10, then cosine with index k − 10 */
    schedule_desc d = parse_ok("cosine:T=100,warmup=10");
    expect_close(schedule_rate(&d, 0.1, 0), 0.01, 1e-15);
    expect_close(schedule_rate(&d, 0.1, 4), 0.05, 1e-15);
    expect_close(schedule_rate(&d, 0.1, 9), 0.1, 1e-15);
    for (long k = 1; k < 10; k++)      /* rises linearly: equal increments η/W */
        expect_close(schedule_rate(&d, 0.1, k) - schedule_rate(&d, 0.1, k - 1), 0.01, 1e-14);
    expect_close(schedule_rate(&d, 0.1, 10), 0.1, 1e-15);       /* cosine k = 0 */
    expect_close(schedule_rate(&d, 0.1, 60), 0.05, 1e-15);      /* cosine k = 50 */
    expect_near(schedule_rate(&d, 0.1, 110), 0.0, 1e-17);       /* cosine k = T */
    /* warm-up then constant */
    d = parse_ok("constant:warmup=4");
    expect_close(schedule_rate(&d, 2.0, 0), 0.5, 1e-16);
    expect_close(schedule_rate(&d, 2.0, 3), 2.0, 1e-16);
    expect_close(schedule_rate(&d, 2.0, 50), 2.0, 1e-16);
    /* warm-up then invsqrt: k = 4 + 3 → η/2 */
    d = parse_ok("invsqrt:warmup=4");
    expect_close(schedule_rate(&d, 0.1, 7), 0.05, 1e-16);
}

static void test_onecycle(void **state)
{
    (void)state;
    /* max_lr = 0.1, T = 100, pct 0.3, div 25, final_div 1e4 (torch's defaults).
     * initial = 0.1/25 = 0.004, min = 0.004/1e4 = 4e-7; phase 1 ends at 0.3·100 − 1 = 29 */
    schedule_desc d = parse_ok("onecycle:T=100");
    expect_close(schedule_rate(&d, 0.1, 0), 0.004, 1e-15);
    expect_close(schedule_rate(&d, 0.1, 29), 0.1, 1e-15);
    expect_close(schedule_rate(&d, 0.1, 99), 4e-7, 1e-15);
    expect_near(schedule_rate(&d, 0.1, 99), 0.1 / (25 * 1e4), 1e-20);
    expect_near(schedule_rate(&d, 0.1, 150), 4e-7, 1e-20);      /* clamped */
    /* inside phase 1: _annealing_cos(0.004, 0.1, 10/29) */
    expect_close(schedule_rate(&d, 0.1, 10), 0.1 + (0.004 - 0.1) / 2 * (cos(M_PI * 10 / 29) + 1), 1e-15);
    /* inside phase 2: _annealing_cos(0.1, 4e-7, (60 − 29)/(99 − 29)) */
    expect_close(schedule_rate(&d, 0.1, 60), 4e-7 + (0.1 - 4e-7) / 2 * (cos(M_PI * 31 / 70) + 1), 1e-15);
    /* rises to the peak, then falls */
    for (long k = 1; k <= 29; k++)
        assert_true(schedule_rate(&d, 0.1, k) > schedule_rate(&d, 0.1, k - 1));
    for (long k = 30; k < 100; k++)
        assert_true(schedule_rate(&d, 0.1, k) < schedule_rate(&d, 0.1, k - 1));

    /* momentum cycling: 0.95 at the start, 0.85 at the peak (step 29), 0.95 at the end */
    double m = 0;
    assert_int_equal(schedule_momentum(&d, 0, &m), 1);
    expect_close(m, 0.95, 1e-15);
    assert_int_equal(schedule_momentum(&d, 29, &m), 1);
    expect_close(m, 0.85, 1e-15);
    assert_int_equal(schedule_momentum(&d, 99, &m), 1);
    expect_close(m, 0.95, 1e-15);
    assert_int_equal(schedule_momentum(&d, 10, &m), 1);
    expect_close(m, 0.85 + (0.95 - 0.85) / 2 * (cos(M_PI * 10 / 29) + 1), 1e-15);
    assert_int_equal(schedule_momentum(&(schedule_desc){.kind = SCHED_COSINE}, 3, &m), 0);
    d = parse_ok("onecycle:T=100,cycle_momentum=0");
    assert_int_equal(schedule_momentum(&d, 3, &m), 0);
    /* linear annealing: half way up phase 1 the rate is half way */
    d = parse_ok("onecycle:T=100,anneal=linear");
    expect_close(schedule_rate(&d, 0.1, 10), (0.1 - 0.004) * (10.0 / 29) + 0.004, 1e-15);
    assert_int_equal(schedule_momentum(&d, 10, &m), 1);
    expect_close(m, (0.85 - 0.95) * (10.0 / 29) + 0.95, 1e-15);

    d = parse_ok("onecycle:T=500,pct=0.2,div=10,final_div=100");
    expect_close(schedule_rate(&d, 1.0, 0), 0.1, 1e-15);
    expect_close(schedule_rate(&d, 1.0, 99), 1.0, 1e-15);          /* 0.2·500 − 1 = 99 */
    expect_close(schedule_rate(&d, 1.0, 499), 1e-3, 1e-15);

    /* defaults: T = 1000 */
    d = (schedule_desc){.kind = SCHED_ONECYCLE};
    expect_close(schedule_rate(&d, 1.0, 299), 1.0, 1e-15);
    expect_close(schedule_rate(&d, 1.0, 999), 4e-6, 1e-15);
}

static void test_rate_always_finite(void **state)
{
    (void)state;
    const char *specs[] = {"constant", "step", "exp", "invsqrt", "cosine", "onecycle",
                           "onecycle:T=1", "onecycle:T=2,pct=0.5", "onecycle:T=3,pct=0.1",
                           "cosine:T=1,warmup=1", "exp:gamma=1e-300"};
    const double lrs[] = {0.1, 0.0, -1.0, NAN, INFINITY, 1e308};
    const long ks[] = {-5, 0, 1, 2, 3, 999, 1000, 100000000L};
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        schedule_desc d = parse_ok(specs[s]);
        for (size_t i = 0; i < sizeof lrs / sizeof lrs[0]; i++)
            for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
                double r = schedule_rate(&d, lrs[i], ks[j]);
                if (!(isfinite(r) && r >= 0))
                    fail_msg("%s lr %g k %ld: %g", specs[s], lrs[i], ks[j], r);
            }
    }
    /* an unfilled or out-of-range desc still gives a usable rate */
    schedule_desc z;
    memset(&z, 0, sizeof z);
    z.kind = SCHED_COSINE;
    z.T = -4;
    assert_true(isfinite(schedule_rate(&z, 0.1, 10)));
    z.kind = (schedule_kind)99;
    expect_near(schedule_rate(&z, 0.1, 10), 0.1, 0);
}

static int desc_equal(const schedule_desc *a, const schedule_desc *b)
{
    return a->kind == b->kind && a->warmup == b->warmup && a->every == b->every &&
           a->gamma == b->gamma && a->T == b->T && a->min_factor == b->min_factor &&
           a->pct == b->pct && a->div == b->div && a->final_div == b->final_div &&
           a->hold == b->hold && a->anneal_linear == b->anneal_linear &&
           a->no_cycle_momentum == b->no_cycle_momentum && a->base_momentum == b->base_momentum &&
           a->max_momentum == b->max_momentum;
}

static void test_parse_format(void **state)
{
    (void)state;
    schedule_desc d = parse_ok("  cosine : T = 500 , min=0.05 ,warmup= 20 ");
    assert_int_equal(d.kind, SCHED_COSINE);
    assert_int_equal(d.T, 500);
    expect_near(d.min_factor, 0.05, 0);
    assert_int_equal(d.warmup, 20);
    d = parse_ok("step");
    assert_int_equal(d.every, 100);
    expect_near(d.gamma, 0.1, 0);
    d = parse_ok("exp");
    expect_near(d.gamma, 0.99, 0);
    d = parse_ok("onecycle");
    assert_int_equal(d.T, 1000);
    expect_near(d.pct, 0.3, 0);
    expect_near(d.div, 25, 0);
    expect_near(d.final_div, 1e4, 0);
    d = parse_ok("cosine:T=1e3");
    assert_int_equal(d.T, 1000);

    const char *specs[] = {"constant", "constant:warmup=5", "step:every=7,gamma=0.25",
                           "exp:gamma=0.30000000000000004", "invsqrt:warmup=3", "cosine",
                           "cosine:T=10,min=0.1,warmup=2", "onecycle:T=500,pct=0.25,div=10,final_div=1000",
                           "step:gamma=1", "onecycle:warmup=100", "cosine:T=50,after=hold",
                           "onecycle:T=50,anneal=linear,cycle_momentum=0",
                           "onecycle:base_momentum=0.8,max_momentum=0.9",
                           "onecycle:total_steps=300,pct_start=0.2,div_factor=5,final_div_factor=10,anneal_strategy=linear"};
    char buf[256];
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        schedule_desc a = parse_ok(specs[i]);
        int n = schedule_format(&a, buf, sizeof buf);
        assert_int_equal(n, (int)strlen(buf));
        schedule_desc b = parse_ok(buf);
        if (!desc_equal(&a, &b))
            fail_msg("round trip changed %s -> %s", specs[i], buf);
    }
    d = parse_ok("cosine:T=10,warmup=2");
    schedule_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "cosine:T=10,warmup=2");
    d = parse_ok("step:every=100,gamma=0.1");
    schedule_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "step");
    char small[4];
    assert_int_equal(schedule_format(&(schedule_desc){.kind = SCHED_INVSQRT}, small, sizeof small), 7);
    assert_string_equal(small, "inv");
    assert_string_equal(schedule_kind_name(SCHED_ONECYCLE), "onecycle");
}

static void expect_error(const char *spec, int column, const char *msg)
{
    schedule_desc d = {.kind = SCHED_EXP, .gamma = 0.7};
    diag err = {0};
    if (schedule_parse(spec, &d, &err))
        fail_msg("'%s' parsed", spec);
    if (err.column != column || strcmp(err.msg, msg) != 0)
        fail_msg("'%s': got column %d '%s', want column %d '%s'", spec, err.column, err.msg,
                 column, msg);
    expect_near(d.gamma, 0.7, 0);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_error("foo", 1, "unknown schedule 'foo' (expected constant, step, exp, invsqrt, cosine, onecycle)");
    expect_error(" linear:T=5", 2, "unknown schedule 'linear' (expected constant, step, exp, invsqrt, cosine, onecycle)");
    expect_error("", 1, "expected a schedule name (constant, step, exp, invsqrt, cosine, onecycle)");
    expect_error("step:foo=1", 6, "unknown key 'foo' for step");
    expect_error("cosine:gamma=0.5", 8, "key 'gamma' does not apply to cosine");
    expect_error("constant:T=5", 10, "key 'T' does not apply to constant");
    expect_error("cosine:T=0", 10, "T must be > 0");
    expect_error("cosine:T=-3", 10, "T must be > 0");
    expect_error("cosine:T=10.5", 10, "T must be a whole number");
    expect_error("cosine:warmup=-1", 15, "warmup must be >= 0");
    expect_error("step:every=0", 12, "every must be > 0");
    expect_error("exp:gamma=", 11, "expected a number after 'gamma='");
    expect_error("exp:gamma=0.5.", 11, "expected a number after 'gamma='");
    expect_error("exp:gamma=nan", 11, "gamma: not a finite number");
    expect_error("exp:gamma=1.5", 11, "gamma must be in (0, 1]");
    expect_error("exp:gamma=0", 11, "gamma must be in (0, 1]");
    expect_error("cosine:min=2", 12, "min must be in [0, 1]");
    expect_error("onecycle:pct=1", 14, "pct must be in (0, 1)");
    expect_error("onecycle:div=0", 14, "div must be > 0");
    expect_error("onecycle:final_div=-1", 20, "final_div must be > 0");
    expect_error("cosine:T", 9, "expected '=' after 'T'");
    expect_error("cosine T=5", 8, "expected ':' after 'cosine'");
    expect_error("cosine:T=5,", 12, "expected a key");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constant_step_exp_invsqrt),
        cmocka_unit_test(test_cosine),
        cmocka_unit_test(test_warmup),
        cmocka_unit_test(test_onecycle),
        cmocka_unit_test(test_rate_always_finite),
        cmocka_unit_test(test_parse_format),
        cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
