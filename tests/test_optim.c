/*
 * test_optim.c — the optimizers against hand-worked updates, torch's defaults,
 * live changes, divergence, σ, and the spec parser/formatter.
 *
 * The fixed problem of the first-steps tests: θ0 = (1, 2) and the gradients
 *     g1 = (1, −2),  g2 = (0.5, 4),  g3 = (−1, 0.25)
 * (given, not computed from θ). Expected values are written as the textbook
 * formulas (m̂, v̂, ...), evaluated independently of optim.c's torch-ordered code;
 * they agree to a few ulp, hence the 1e-14 relative tolerances.
 */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "core/optim.h"
#include "core/schedule.h"

static const double TH0[2] = {1.0, 2.0};
static const double G[3][2] = {{1.0, -2.0}, {0.5, 4.0}, {-1.0, 0.25}};

/* Run the three fixed steps, recording θ after each. */
static void run3(const optim_desc *desc, double th[3][2])
{
    optim *o = optim_create(desc, 2);
    assert_non_null(o);
    double theta[2] = {TH0[0], TH0[1]};
    for (int s = 0; s < 3; s++) {
        assert_int_equal(optim_step(o, theta, G[s], optim_desc_get(o)->lr), 1);
        th[s][0] = theta[0];
        th[s][1] = theta[1];
    }
    assert_int_equal(optim_steps_taken(o), 3);
    optim_destroy(o);
}

static void expect_theta(double th[3][2], const double want[3][2], double rel)
{
    for (int s = 0; s < 3; s++)
        for (int i = 0; i < 2; i++)
            expect_close(th[s][i], want[s][i], rel);
}

static void test_sgd_three_steps(void **state)
{
    (void)state;
    double th[3][2];
    run3(&(optim_desc){.kind = OPT_SGD, .lr = 0.1}, th);
    /* θ ← θ − 0.1 g
     * θ1 = (1 − 0.1,       2 + 0.2)     = (0.9, 2.2)
     * θ2 = (0.9 − 0.05,    2.2 − 0.4)   = (0.85, 1.8)
     * θ3 = (0.85 + 0.1,    1.8 − 0.025) = (0.95, 1.775) */
    const double want[3][2] = {{0.9, 2.2}, {0.85, 1.8}, {0.95, 1.775}};
    expect_theta(th, want, 1e-15);
}

static void test_momentum_three_steps(void **state)
{
    (void)state;
    double th[3][2];
    run3(&(optim_desc){.kind = OPT_MOMENTUM, .lr = 0.1}, th); /* μ = 0.9 by default */
    /* b1 = g1 = (1, −2)                              θ1 = (0.9, 2.2)
     * b2 = 0.9 b1 + g2 = (0.9 + 0.5, −1.8 + 4) = (1.4, 2.2)
     *                                                θ2 = (0.9 − 0.14, 2.2 − 0.22) = (0.76, 1.98)
     * b3 = 0.9 b2 + g3 = (1.26 − 1, 1.98 + 0.25) = (0.26, 2.23)
     *                                                θ3 = (0.76 − 0.026, 1.98 − 0.223) = (0.734, 1.757) */
    const double want[3][2] = {{0.9, 2.2}, {0.76, 1.98}, {0.734, 1.757}};
    expect_theta(th, want, 1e-14);

    /* Nesterov: d = g + μ b
     * d1 = (1, −2) + 0.9 (1, −2) = (1.9, −3.8)           θ1 = (0.81, 2.38)
     * d2 = (0.5, 4) + 0.9 (1.4, 2.2) = (1.76, 5.98)       θ2 = (0.634, 1.782)
     * d3 = (−1, 0.25) + 0.9 (0.26, 2.23) = (−0.766, 2.257) θ3 = (0.7106, 1.5563) */
    run3(&(optim_desc){.kind = OPT_MOMENTUM, .lr = 0.1, .nesterov = 1}, th);
    const double wantn[3][2] = {{0.81, 2.38}, {0.634, 1.782}, {0.7106, 1.5563}};
    expect_theta(th, wantn, 1e-14);

    /* Dampening τ = 0.5 (not applied to the first step, as torch):
     * b1 = (1, −2)                                   θ1 = (0.9, 2.2)
     * b2 = 0.9 b1 + 0.5 g2 = (1.15, 0.2)             θ2 = (0.785, 2.18)
     * b3 = 0.9 b2 + 0.5 g3 = (0.535, 0.305)          θ3 = (0.7315, 2.1495) */
    run3(&(optim_desc){.kind = OPT_MOMENTUM, .lr = 0.1, .dampening = 0.5}, th);
    const double wantd[3][2] = {{0.9, 2.2}, {0.785, 2.18}, {0.7315, 2.1495}};
    expect_theta(th, wantd, 1e-14);
}

static void test_adagrad_three_steps(void **state)
{
    (void)state;
    double th[3][2];
    const double e = 1e-10; /* torch's default eps */
    run3(&(optim_desc){.kind = OPT_ADAGRAD, .lr = 0.1}, th);
    /* s ← s + g²;  θ ← θ − 0.1 g / (√s + ε)
     * s1 = (1, 4)          θ1 = (1 − 0.1·1/(1+ε),      2 + 0.1·2/(2+ε))
     * s2 = (1.25, 20)      θ2 = θ1 − 0.1 (0.5/(√1.25+ε), 4/(√20+ε))
     * s3 = (2.25, 20.0625) θ3 = θ2 − 0.1 (−1/(1.5+ε), 0.25/(√20.0625+ε)) */
    double want[3][2];
    want[0][0] = 1 - 0.1 * 1 / (1 + e);
    want[0][1] = 2 + 0.1 * 2 / (2 + e);
    want[1][0] = want[0][0] - 0.1 * 0.5 / (sqrt(1.25) + e);
    want[1][1] = want[0][1] - 0.1 * 4 / (sqrt(20.0) + e);
    want[2][0] = want[1][0] + 0.1 * 1 / (1.5 + e);
    want[2][1] = want[1][1] - 0.1 * 0.25 / (sqrt(20.0625) + e);
    expect_theta(th, want, 1e-14);

    /* lr_decay 0.5: η_t = 0.1 / (1 + (t−1)·0.5) = 0.1, 0.1/1.5, 0.1/2 */
    run3(&(optim_desc){.kind = OPT_ADAGRAD, .lr = 0.1, .lr_decay = 0.5}, th);
    want[1][0] = want[0][0] - 0.1 / 1.5 * 0.5 / (sqrt(1.25) + e);
    want[1][1] = want[0][1] - 0.1 / 1.5 * 4 / (sqrt(20.0) + e);
    want[2][0] = want[1][0] + 0.05 * 1 / (1.5 + e);
    want[2][1] = want[1][1] - 0.05 * 0.25 / (sqrt(20.0625) + e);
    expect_theta(th, want, 1e-14);

    /* Lecture variant: σ = √(s/t)
     * θ1 = θ0 − 0.1 g1/(√(s1/1)+ε)  (same as torch on step 1)
     * θ2 = θ1 − 0.1 g2/(√(s2/2)+ε) = θ1 − 0.1 (0.5/(√0.625+ε), 4/(√10+ε))
     * θ3 = θ2 − 0.1 g3/(√(s3/3)+ε) = θ2 − 0.1 (−1/(√0.75+ε), 0.25/(√6.6875+ε)) */
    run3(&(optim_desc){.kind = OPT_ADAGRAD, .lr = 0.1, .variant = OPTIM_VARIANT_LECTURE}, th);
    want[1][0] = want[0][0] - 0.1 * 0.5 / (sqrt(0.625) + e);
    want[1][1] = want[0][1] - 0.1 * 4 / (sqrt(10.0) + e);
    want[2][0] = want[1][0] + 0.1 * 1 / (sqrt(0.75) + e);
    want[2][1] = want[1][1] - 0.1 * 0.25 / (sqrt(20.0625 / 3) + e);
    expect_theta(th, want, 1e-14);
}

static void test_rmsprop_three_steps(void **state)
{
    (void)state;
    double th[3][2], want[3][2];
    const double e = 1e-8;
    run3(&(optim_desc){.kind = OPT_RMSPROP, .lr = 0.01}, th); /* α = 0.99 */
    /* v ← 0.99 v + 0.01 g²;  θ ← θ − 0.01 g / (√v + ε)
     * v1 = (0.01, 0.04)                             θ1 = θ0 − 0.01 (1/(0.1+ε), −2/(0.2+ε))
     * v2 = (0.0099 + 0.0025, 0.0396 + 0.16) = (0.0124, 0.1996)
     * v3 = (0.012276 + 0.01, 0.197604 + 0.000625) = (0.022276, 0.198229) */
    want[0][0] = 1 - 0.01 * 1 / (0.1 + e);
    want[0][1] = 2 + 0.01 * 2 / (0.2 + e);
    want[1][0] = want[0][0] - 0.01 * 0.5 / (sqrt(0.0124) + e);
    want[1][1] = want[0][1] - 0.01 * 4 / (sqrt(0.1996) + e);
    want[2][0] = want[1][0] + 0.01 * 1 / (sqrt(0.022276) + e);
    want[2][1] = want[1][1] - 0.01 * 0.25 / (sqrt(0.198229) + e);
    expect_theta(th, want, 1e-13);

    /* Momentum 0.5: buf ← 0.5 buf + g/(√v+ε);  θ ← θ − 0.01 buf */
    run3(&(optim_desc){.kind = OPT_RMSPROP, .lr = 0.01, .momentum = 0.5}, th);
    double b[2] = {1 / (0.1 + e), -2 / (0.2 + e)};
    want[0][0] = 1 - 0.01 * b[0];
    want[0][1] = 2 - 0.01 * b[1];
    b[0] = 0.5 * b[0] + 0.5 / (sqrt(0.0124) + e);
    b[1] = 0.5 * b[1] + 4 / (sqrt(0.1996) + e);
    want[1][0] = want[0][0] - 0.01 * b[0];
    want[1][1] = want[0][1] - 0.01 * b[1];
    b[0] = 0.5 * b[0] - 1 / (sqrt(0.022276) + e);
    b[1] = 0.5 * b[1] + 0.25 / (sqrt(0.198229) + e);
    want[2][0] = want[1][0] - 0.01 * b[0];
    want[2][1] = want[1][1] - 0.01 * b[1];
    expect_theta(th, want, 1e-13);

    /* Centered: ḡ ← 0.99 ḡ + 0.01 g;  divide by √(v − ḡ²) + ε
     * ḡ1 = (0.01, −0.02), ḡ2 = (0.0099 + 0.005, −0.0198 + 0.04) = (0.0149, 0.0202)
     * ḡ3 = (0.014751 − 0.01, 0.019998 + 0.0025) = (0.004751, 0.022498) */
    run3(&(optim_desc){.kind = OPT_RMSPROP, .lr = 0.01, .centered = 1}, th);
    want[0][0] = 1 - 0.01 * 1 / (sqrt(0.01 - 0.0001) + e);
    want[0][1] = 2 + 0.01 * 2 / (sqrt(0.04 - 0.0004) + e);
    want[1][0] = want[0][0] - 0.01 * 0.5 / (sqrt(0.0124 - 0.0149 * 0.0149) + e);
    want[1][1] = want[0][1] - 0.01 * 4 / (sqrt(0.1996 - 0.0202 * 0.0202) + e);
    want[2][0] = want[1][0] + 0.01 * 1 / (sqrt(0.022276 - 0.004751 * 0.004751) + e);
    want[2][1] = want[1][1] - 0.01 * 0.25 / (sqrt(0.198229 - 0.022498 * 0.022498) + e);
    expect_theta(th, want, 1e-13);
}

/* Textbook Adam: m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), θ ← θ − η m̂/(√v̂ + ε). */
static void adam_by_hand(double lr, double b1, double b2, double eps, int bias, double want[3][2])
{
    double m[2] = {0, 0}, v[2] = {0, 0}, th[2] = {TH0[0], TH0[1]};
    for (int t = 1; t <= 3; t++) {
        for (int i = 0; i < 2; i++) {
            double g = G[t - 1][i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            double mh = bias ? m[i] / (1 - pow(b1, t)) : m[i];
            double vh = bias ? v[i] / (1 - pow(b2, t)) : v[i];
            th[i] -= lr * mh / (sqrt(vh) + eps);
            want[t - 1][i] = th[i];
        }
    }
}

static void test_adam_three_steps(void **state)
{
    (void)state;
    double th[3][2], want[3][2];
    run3(&(optim_desc){.kind = OPT_ADAM, .lr = 0.1}, th);
    /* m1 = 0.1 g1 = (0.1, −0.2), v1 = 0.001 g1² = (0.001, 0.004)
     *   m̂ = m1/0.1 = g1, v̂ = v1/0.001 = g1²  → θ1 = θ0 − 0.1 g1/(|g1|+ε) ≈ (0.9, 2.1)
     * m2 = 0.9 m1 + 0.1 g2 = (0.14, 0.22), v2 = 0.999 v1 + 0.001 g2² = (0.001249, 0.019996)
     *   m̂ = m2/0.19, v̂ = v2/0.001999
     * m3 = 0.9 m2 + 0.1 g3 = (0.026, 0.223), v3 = 0.999 v2 + 0.001 g3² = (0.002247751, 0.020038504)
     *   m̂ = m3/0.271, v̂ = v3/0.002997001 */
    adam_by_hand(0.1, 0.9, 0.999, 1e-8, 1, want);
    expect_near(want[0][0], 0.9, 1e-8);
    expect_near(want[0][1], 2.1, 1e-8);
    expect_theta(th, want, 1e-14);

    /* Spot check of step 2 written out: θ2_x = θ1_x − 0.1 (0.14/0.19) / (√(0.001249/0.001999) + ε) */
    expect_close(th[1][0], th[0][0] - 0.1 * (0.14 / 0.19) / (sqrt(0.001249 / 0.001999) + 1e-8), 1e-14);

    /* No bias correction: θ1 = θ0 − 0.1 m1/(√v1+ε) = θ0 − 0.1 (0.1/√0.001, −0.2/√0.004) */
    run3(&(optim_desc){.kind = OPT_ADAM, .lr = 0.1, .no_bias_correction = 1}, th);
    adam_by_hand(0.1, 0.9, 0.999, 1e-8, 0, want);
    expect_close(want[0][0], 1 - 0.1 * 0.1 / (sqrt(0.001) + 1e-8), 1e-15);
    expect_theta(th, want, 1e-14);

    /* β₁ = 0 (literal zero through zero_mask): m = g, lerp weight 1 */
    run3(&(optim_desc){.kind = OPT_ADAM, .lr = 0.1, .zero_mask = OPTIM_ZERO_BETA1}, th);
    adam_by_hand(0.1, 0.0, 0.999, 1e-8, 1, want);
    expect_theta(th, want, 1e-14);
}

static void test_weight_decay(void **state)
{
    (void)state;
    double th[3][2], want[3][2];
    /* SGD, λ = 0.5: g' = g + 0.5 θ
     * θ1 = (1 − 0.1 (1 + 0.5),  2 − 0.1 (−2 + 1)) = (0.85, 2.1)
     * θ2 = (0.85 − 0.1 (0.5 + 0.425), 2.1 − 0.1 (4 + 1.05)) = (0.7575, 1.595)
     * θ3 = (0.7575 − 0.1 (−1 + 0.37875), 1.595 − 0.1 (0.25 + 0.7975)) = (0.819625, 1.49025) */
    run3(&(optim_desc){.kind = OPT_SGD, .lr = 0.1, .weight_decay = 0.5}, th);
    const double w[3][2] = {{0.85, 2.1}, {0.7575, 1.595}, {0.819625, 1.49025}};
    expect_theta(th, w, 1e-14);

    /* Adam: weight decay is added to g before the moments (torch Adam, not AdamW). */
    run3(&(optim_desc){.kind = OPT_ADAM, .lr = 0.1, .weight_decay = 0.5}, th);
    double m[2] = {0, 0}, v[2] = {0, 0}, t0[2] = {1, 2};
    for (int t = 1; t <= 3; t++)
        for (int i = 0; i < 2; i++) {
            double g = G[t - 1][i] + 0.5 * t0[i];
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            t0[i] -= 0.1 * (m[i] / (1 - pow(0.9, t))) / (sqrt(v[i] / (1 - pow(0.999, t))) + 1e-8);
            want[t - 1][i] = t0[i];
        }
    expect_theta(th, want, 1e-14);
}

static void test_defaults_match_torch(void **state)
{
    (void)state;
    optim_desc d;

    d = (optim_desc){.kind = OPT_DEFAULT};
    optim_desc_defaults(&d);
    assert_int_equal(d.kind, OPT_SGD);
    expect_near(d.lr, 1e-3, 0);               /* torch.optim.SGD(lr=1e-3) */
    expect_near(d.momentum, 0, 0);

    d = (optim_desc){.kind = OPT_MOMENTUM};
    optim_desc_defaults(&d);
    expect_near(d.lr, 1e-3, 0);
    expect_near(d.momentum, 0.9, 0);
    expect_near(d.dampening, 0, 0);
    assert_int_equal(d.nesterov, 0);

    d = (optim_desc){.kind = OPT_ADAGRAD};    /* Adagrad(lr=1e-2, lr_decay=0, eps=1e-10) */
    optim_desc_defaults(&d);
    expect_near(d.lr, 1e-2, 0);
    expect_near(d.lr_decay, 0, 0);
    expect_near(d.eps, 1e-10, 0);
    expect_near(d.initial_accumulator_value, 0, 0);

    d = (optim_desc){.kind = OPT_RMSPROP};    /* RMSprop(lr=1e-2, alpha=0.99, eps=1e-8) */
    optim_desc_defaults(&d);
    expect_near(d.lr, 1e-2, 0);
    expect_near(d.alpha, 0.99, 0);
    expect_near(d.eps, 1e-8, 0);
    expect_near(d.momentum, 0, 0);
    assert_int_equal(d.centered, 0);

    d = (optim_desc){.kind = OPT_ADAM};       /* Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8) */
    optim_desc_defaults(&d);
    expect_near(d.lr, 1e-3, 0);
    expect_near(d.beta1, 0.9, 0);
    expect_near(d.beta2, 0.999, 0);
    expect_near(d.eps, 1e-8, 0);
    assert_int_equal(d.no_bias_correction, 0);
    assert_true(optim_desc_validate(&d, NULL));

    /* zero_mask keeps literal zeros */
    d = (optim_desc){.kind = OPT_ADAM, .zero_mask = OPTIM_ZERO_BETA1 | OPTIM_ZERO_EPS};
    optim_desc_defaults(&d);
    expect_near(d.beta1, 0, 0);
    expect_near(d.eps, 0, 0);
    expect_near(d.beta2, 0.999, 0);

    /* The created optimizer reports the filled desc. */
    optim *o = optim_create(&(optim_desc){.kind = OPT_RMSPROP}, 3);
    expect_near(optim_desc_get(o)->alpha, 0.99, 0);
    assert_int_equal(optim_steps_taken(o), 0);
    optim_destroy(o);
    optim_destroy(NULL);

    assert_string_equal(optim_kind_name(OPT_DEFAULT), "sgd");
    assert_string_equal(optim_kind_name(OPT_RMSPROP), "rmsprop");
    assert_int_equal(optim_kind_from_name("Adam"), OPT_ADAM);
    assert_int_equal(optim_kind_from_name("adamw"), OPT_DEFAULT);
}

static void test_rate_argument_overrides_lr(void **state)
{
    (void)state;
    optim *o = optim_create(&(optim_desc){.kind = OPT_SGD, .lr = 0.1}, 2);
    double theta[2] = {1, 2};
    assert_int_equal(optim_step(o, theta, G[0], 0.5), 1);
    expect_close(theta[0], 0.5, 1e-15);   /* 1 − 0.5·1 */
    expect_close(theta[1], 3.0, 1e-15);   /* 2 + 0.5·2 */
    optim_destroy(o);
}

static void test_live_change_keeps_state(void **state)
{
    (void)state;
    /* Adam: two steps at lr 0.1, then lr 0.05 and β₂ unchanged: m, v, t continue. */
    optim_desc d = {.kind = OPT_ADAM, .lr = 0.1};
    optim *o = optim_create(&d, 2);
    double theta[2] = {TH0[0], TH0[1]};
    optim_step(o, theta, G[0], optim_desc_get(o)->lr);
    optim_step(o, theta, G[1], optim_desc_get(o)->lr);
    double th2[2] = {theta[0], theta[1]};
    d.lr = 0.05;
    optim_set_desc(o, &d);
    assert_int_equal(optim_steps_taken(o), 2);
    expect_near(optim_desc_get(o)->lr, 0.05, 0);
    const double *m = optim_velocity(o);
    assert_non_null(m);
    expect_close(m[0], 0.14, 1e-15);      /* m2 kept */
    expect_close(m[1], 0.22, 1e-15);
    optim_step(o, theta, G[2], optim_desc_get(o)->lr);
    /* step 3 with η = 0.05: m3 = (0.026, 0.223), v3 = (0.002247751, 0.020038504), t = 3 */
    expect_close(theta[0], th2[0] - 0.05 * (0.026 / 0.271) / (sqrt(0.002247751 / 0.002997001) + 1e-8), 1e-13);
    expect_close(theta[1], th2[1] - 0.05 * (0.223 / 0.271) / (sqrt(0.020038504 / 0.002997001) + 1e-8), 1e-13);
    assert_int_equal(optim_steps_taken(o), 3);

    /* Momentum: the buffer survives a change of μ. */
    optim *p = optim_create(&(optim_desc){.kind = OPT_MOMENTUM, .lr = 0.1}, 2);
    double t2[2] = {TH0[0], TH0[1]};
    optim_step(p, t2, G[0], 0.1);                 /* b1 = (1, −2), θ1 = (0.9, 2.2) */
    optim_set_desc(p, &(optim_desc){.kind = OPT_MOMENTUM, .lr = 0.1, .momentum = 0.5});
    optim_step(p, t2, G[1], 0.1);                 /* b2 = 0.5 b1 + g2 = (1, 3), θ2 = (0.8, 1.9) */
    expect_close(optim_velocity(p)[0], 1.0, 1e-15);
    expect_close(optim_velocity(p)[1], 3.0, 1e-15);
    expect_close(t2[0], 0.8, 1e-15);
    expect_close(t2[1], 1.9, 1e-15);

    /* A new kind resets: rmsprop from scratch behaves as a fresh one. */
    optim_set_desc(o, &(optim_desc){.kind = OPT_RMSPROP, .lr = 0.01});
    assert_int_equal(optim_steps_taken(o), 0);
    assert_null(optim_velocity(o));
    double a[2] = {TH0[0], TH0[1]}, b[2] = {TH0[0], TH0[1]};
    optim *fresh = optim_create(&(optim_desc){.kind = OPT_RMSPROP, .lr = 0.01}, 2);
    for (int s = 0; s < 3; s++) {
        optim_step(o, a, G[s], 0.01);
        optim_step(fresh, b, G[s], 0.01);
        expect_near(a[0], b[0], 0);
        expect_near(a[1], b[1], 0);
    }
    /* optim_reset forgets too */
    optim_reset(fresh);
    assert_int_equal(optim_steps_taken(fresh), 0);
    double sig[2];
    optim_sigma(fresh, sig);
    expect_near(sig[0], 1, 0);
    optim_destroy(fresh);
    optim_destroy(o);
    optim_destroy(p);
}

static void test_divergence_leaves_theta(void **state)
{
    (void)state;
    const optim_desc descs[] = {
        {.kind = OPT_SGD, .lr = 0.1},      {.kind = OPT_MOMENTUM, .lr = 0.1},
        {.kind = OPT_ADAGRAD, .lr = 0.1},  {.kind = OPT_RMSPROP, .lr = 0.1},
        {.kind = OPT_RMSPROP, .lr = 0.1, .momentum = 0.9, .centered = 1},
        {.kind = OPT_ADAM, .lr = 0.1},
    };
    const double huge[2] = {1e308, -1e308};
    const double nan2[2] = {NAN, 0.5};
    for (size_t k = 0; k < sizeof descs / sizeof descs[0]; k++) {
        optim *o = optim_create(&descs[k], 2);
        optim *ref = optim_create(&descs[k], 2);
        double theta[2] = {TH0[0], TH0[1]}, rt[2] = {TH0[0], TH0[1]};
        assert_int_equal(optim_step(o, theta, G[0], 0.1), 1);
        optim_step(ref, rt, G[0], 0.1);
        double keep[2] = {theta[0], theta[1]};
        /* sgd/momentum overflow with a large rate; the adaptive ones overflow g² */
        assert_int_equal(optim_step(o, theta, huge, 1e10), 0);
        expect_near(theta[0], keep[0], 0);
        expect_near(theta[1], keep[1], 0);
        assert_int_equal(optim_step(o, theta, nan2, 0.1), 0);
        expect_near(theta[0], keep[0], 0);
        expect_near(theta[1], keep[1], 0);
        assert_int_equal(optim_steps_taken(o), 1);
        /* state untouched: the next good steps match an optimizer that never saw them */
        for (int s = 1; s < 3; s++) {
            assert_int_equal(optim_step(o, theta, G[s], 0.1), 1);
            optim_step(ref, rt, G[s], 0.1);
            expect_near(theta[0], rt[0], 0);
            expect_near(theta[1], rt[1], 0);
        }
        optim_destroy(o);
        optim_destroy(ref);
    }
    /* a non-finite rate diverges too */
    optim *o = optim_create(&(optim_desc){.kind = OPT_SGD}, 2);
    double theta[2] = {1, 2};
    assert_int_equal(optim_step(o, theta, G[0], INFINITY), 0);
    expect_near(theta[0], 1, 0);
    optim_destroy(o);
}

static void test_sigma_and_velocity(void **state)
{
    (void)state;
    double sig[2];
    optim_desc kinds[] = {{.kind = OPT_SGD}, {.kind = OPT_MOMENTUM}, {.kind = OPT_ADAGRAD},
                          {.kind = OPT_RMSPROP}, {.kind = OPT_ADAM}};
    for (int k = 0; k < 5; k++) {
        optim *o = optim_create(&kinds[k], 2);
        optim_sigma(o, sig);          /* 1 before the first step */
        expect_near(sig[0], 1, 0);
        expect_near(sig[1], 1, 0);
        optim_destroy(o);
    }
    double theta[2];

    optim *o = optim_create(&(optim_desc){.kind = OPT_MOMENTUM}, 2);
    theta[0] = 1, theta[1] = 2;
    optim_step(o, theta, G[0], 0.1);
    optim_sigma(o, sig);
    expect_near(sig[0], 1, 0);
    expect_near(optim_velocity(o)[1], -2, 0);  /* b1 = g1 */
    optim_destroy(o);

    o = optim_create(&(optim_desc){.kind = OPT_SGD}, 2);
    assert_null(optim_velocity(o));
    optim_destroy(o);

    /* adagrad: σ = √s = (√1.25, √20) after two steps; lecture: √(s/2) */
    o = optim_create(&(optim_desc){.kind = OPT_ADAGRAD}, 2);
    theta[0] = 1, theta[1] = 2;
    optim_step(o, theta, G[0], 0.1);
    optim_step(o, theta, G[1], 0.1);
    optim_sigma(o, sig);
    expect_close(sig[0], sqrt(1.25), 1e-15);
    expect_close(sig[1], sqrt(20.0), 1e-15);
    assert_null(optim_velocity(o));
    optim_destroy(o);
    o = optim_create(&(optim_desc){.kind = OPT_ADAGRAD, .variant = OPTIM_VARIANT_LECTURE}, 2);
    optim_step(o, theta, G[0], 0.1);
    optim_step(o, theta, G[1], 0.1);
    optim_sigma(o, sig);
    expect_close(sig[0], sqrt(0.625), 1e-15);
    expect_close(sig[1], sqrt(10.0), 1e-15);
    optim_destroy(o);

    /* rmsprop: σ = √v = (0.1, 0.2) after g1 */
    o = optim_create(&(optim_desc){.kind = OPT_RMSPROP}, 2);
    optim_step(o, theta, G[0], 0.01);
    optim_sigma(o, sig);
    expect_close(sig[0], 0.1, 1e-15);
    expect_close(sig[1], 0.2, 1e-15);
    assert_null(optim_velocity(o));
    optim_destroy(o);
    o = optim_create(&(optim_desc){.kind = OPT_RMSPROP, .momentum = 0.9}, 2);
    assert_non_null(optim_velocity(o));
    optim_destroy(o);

    /* adam: σ = √v/√(1−β₂ᵗ) = |g1| after one step; √v2/√0.001999 after two */
    o = optim_create(&(optim_desc){.kind = OPT_ADAM}, 2);
    optim_step(o, theta, G[0], 0.001);
    optim_sigma(o, sig);
    expect_close(sig[0], 1.0, 1e-12);
    expect_close(sig[1], 2.0, 1e-12);
    expect_close(optim_velocity(o)[0], 0.1, 1e-15);
    optim_step(o, theta, G[1], 0.001);
    optim_sigma(o, sig);
    expect_close(sig[0], sqrt(0.001249 / 0.001999), 1e-12);
    expect_close(sig[1], sqrt(0.019996 / 0.001999), 1e-12);
    optim_destroy(o);
}

/* ---- lecture AdaGrad + invsqrt == torch AdaGrad ------------------------------ */

static void quad_grad(const double *th, double *g)
{
    g[0] = th[0];          /* f = ½(x² + 10 y²) */
    g[1] = 10 * th[1];
}

static void rosen_grad(const double *th, double *g)
{
    double x = th[0], y = th[1];
    g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    g[1] = 200 * (y - x * x);
}

static void lecture_vs_torch(void (*grad)(const double *, double *), const double start[2],
                             double lr, unsigned zero_mask, double rel)
{
    schedule_desc inv = {.kind = SCHED_INVSQRT};
    optim *lec = optim_create(&(optim_desc){.kind = OPT_ADAGRAD, .lr = lr,
                                            .variant = OPTIM_VARIANT_LECTURE,
                                            .zero_mask = zero_mask}, 2);
    optim *tor = optim_create(&(optim_desc){.kind = OPT_ADAGRAD, .lr = lr, .zero_mask = zero_mask}, 2);
    double a[2] = {start[0], start[1]}, b[2] = {start[0], start[1]}, ga[2], gb[2];
    for (long k = 0; k < 200; k++) {
        grad(a, ga);
        grad(b, gb);
        assert_int_equal(optim_step(lec, a, ga, schedule_rate(&inv, lr, k)), 1);
        assert_int_equal(optim_step(tor, b, gb, lr), 1);
        expect_close(a[0], b[0], rel);
        expect_close(a[1], b[1], rel);
    }
    optim_destroy(lec);
    optim_destroy(tor);
}

static void test_lecture_adagrad_matches_torch_with_invsqrt(void **state)
{
    (void)state;
    /* η/√t · g/(√(s/t) + ε) = η g/(√s + ε√t): each step differs by the factor
     * 1 + ε(√t − 1)/√s, so with torch's ε = 1e-10 the runs agree to ~1e-12 where the
     * gradients are large (√s ≳ 100; from (3, −2) they differ by ~3e-11, still fine
     * at 1e-10). */
    lecture_vs_torch(quad_grad, (double[]){300, -200}, 5, 0, 1e-12);
    lecture_vs_torch(quad_grad, (double[]){3, -2}, 0.5, 0, 1e-10);
    /* ε = 0: the same update up to rounding */
    lecture_vs_torch(quad_grad, (double[]){3, -2}, 0.5, OPTIM_ZERO_EPS, 1e-15);
    lecture_vs_torch(rosen_grad, (double[]){-1.5, 2}, 0.1, OPTIM_ZERO_EPS, 1e-15);
}

/* ---- parse / format ------------------------------------------------------------ */

static int desc_equal(const optim_desc *a, const optim_desc *b)
{
    return a->kind == b->kind && a->lr == b->lr && a->momentum == b->momentum &&
           a->dampening == b->dampening && a->nesterov == b->nesterov && a->alpha == b->alpha &&
           a->centered == b->centered && a->beta1 == b->beta1 && a->beta2 == b->beta2 &&
           a->no_bias_correction == b->no_bias_correction && a->eps == b->eps &&
           a->weight_decay == b->weight_decay && a->lr_decay == b->lr_decay &&
           a->initial_accumulator_value == b->initial_accumulator_value &&
           a->variant == b->variant && a->zero_mask == b->zero_mask &&
           a->amsgrad == b->amsgrad && a->maximize == b->maximize;
}

static void test_parse_values(void **state)
{
    (void)state;
    optim_desc d = {0};
    diag err = {0};
    assert_true(optim_desc_parse("  Adam : lr = 0.01 , beta1=0 ,beta2 = 0.99, bias_correction=false ", &d, &err));
    assert_int_equal(d.kind, OPT_ADAM);
    expect_near(d.lr, 0.01, 0);
    expect_near(d.beta1, 0, 0);
    assert_true(d.zero_mask & OPTIM_ZERO_BETA1);
    expect_near(d.beta2, 0.99, 0);
    expect_near(d.eps, 1e-8, 0);
    assert_int_equal(d.no_bias_correction, 1);

    d = (optim_desc){0};
    assert_true(optim_desc_parse("momentum:nesterov=true,momentum=0.5,lr=1e-2", &d, &err));
    assert_int_equal(d.kind, OPT_MOMENTUM);
    assert_int_equal(d.nesterov, 1);
    expect_near(d.momentum, 0.5, 0);
    expect_near(d.lr, 0.01, 0);

    d = (optim_desc){0};
    assert_true(optim_desc_parse("adagrad:variant=lecture,eps=0", &d, &err));
    assert_int_equal(d.variant, OPTIM_VARIANT_LECTURE);
    expect_near(d.eps, 0, 0);
    assert_true(d.zero_mask & OPTIM_ZERO_EPS);

    d = (optim_desc){0};
    assert_true(optim_desc_parse("rmsprop:centered=1,momentum=0.9,alpha=0", &d, &err));
    assert_int_equal(d.centered, 1);
    expect_near(d.alpha, 0, 0);
    expect_near(d.momentum, 0.9, 0);

    d = (optim_desc){0};
    assert_true(optim_desc_parse("sgd", &d, &err));
    assert_int_equal(d.kind, OPT_SGD);
    expect_near(d.lr, 1e-3, 0);

    /* refining: same kind keeps the given settings; another kind starts afresh */
    d = (optim_desc){.kind = OPT_ADAM, .beta1 = 0.5};
    assert_true(optim_desc_parse("adam:lr=0.2", &d, &err));
    expect_near(d.beta1, 0.5, 0);
    expect_near(d.lr, 0.2, 0);
    assert_true(optim_desc_parse("rmsprop:lr=0.2", &d, &err));
    expect_near(d.beta1, 0, 0);
    expect_near(d.alpha, 0.99, 0);
    /* a later nonzero value clears the zero flag */
    d = (optim_desc){0};
    assert_true(optim_desc_parse("adam:beta1=0,beta1=0.7", &d, &err));
    expect_near(d.beta1, 0.7, 0);
    assert_false(d.zero_mask & OPTIM_ZERO_BETA1);
}

static void test_format_round_trip(void **state)
{
    (void)state;
    const char *specs[] = {
        "sgd", "sgd:lr=0.1", "sgd:lr=0.30000000000000004,weight_decay=1e-4",
        "momentum", "momentum:momentum=0", "momentum:lr=0.01,momentum=0.95,nesterov=1",
        "momentum:dampening=0.1", "adagrad", "adagrad:variant=lecture",
        "adagrad:lr_decay=0.01,eps=0,initial_accumulator_value=0.1",
        "rmsprop", "rmsprop:alpha=0,momentum=0.5,centered=1,eps=1e-6",
        "rmsprop:momentum=0", "adam", "adam:beta1=0,beta2=0,eps=0",
        "adam:lr=0.0123456789,bias_correction=0,weight_decay=0.5", "adam:lr=1e-300",
        "adam:amsgrad=1", "adam:amsgrad=1,maximize=1", "sgd:maximize=true", "sgd:lr=0",
        "momentum:maximize=1", "adagrad:maximize=1", "rmsprop:maximize=1,lr=0",
    };
    char buf[512];
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        optim_desc a = {0}, b = {0};
        diag err = {0};
        if (!optim_desc_parse(specs[i], &a, &err))
            fail_msg("%s: %s", specs[i], err.msg);
        int n = optim_desc_format(&a, buf, sizeof buf);
        assert_int_equal(n, (int)strlen(buf));
        if (!optim_desc_parse(buf, &b, &err))
            fail_msg("%s -> %s: %s", specs[i], buf, err.msg);
        if (!desc_equal(&a, &b))
            fail_msg("round trip changed %s -> %s", specs[i], buf);
    }
    /* zero-initialised descs of every kind format to the bare name */
    optim_desc d = {.kind = OPT_ADAM};
    optim_desc_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "adam");
    d = (optim_desc){.kind = OPT_ADAM, .lr = 0.01, .zero_mask = OPTIM_ZERO_BETA1};
    optim_desc_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "adam:lr=0.01,beta1=0");
    d = (optim_desc){.kind = OPT_ADAGRAD, .variant = OPTIM_VARIANT_LECTURE};
    optim_desc_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "adagrad:variant=lecture");
    /* snprintf-style length with a short buffer */
    char small[5];
    int need = optim_desc_format(&(optim_desc){.kind = OPT_ADAM, .lr = 0.5}, small, sizeof small);
    assert_int_equal(need, (int)strlen("adam:lr=0.5"));
    assert_string_equal(small, "adam");
    assert_int_equal(optim_desc_format(&d, NULL, 0), (int)strlen("adagrad:variant=lecture"));
}

static void expect_parse_error(const char *spec, int column, const char *msg)
{
    optim_desc d = {.kind = OPT_ADAM, .lr = 0.123};
    diag err = {0};
    if (optim_desc_parse(spec, &d, &err))
        fail_msg("'%s' parsed", spec);
    if (err.column != column || strcmp(err.msg, msg) != 0)
        fail_msg("'%s': got column %d '%s', want column %d '%s'", spec, err.column, err.msg,
                 column, msg);
    expect_near(d.lr, 0.123, 0); /* unchanged on failure */
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_parse_error("adamw", 1, "unknown optimizer 'adamw' (expected sgd, momentum, adagrad, rmsprop, adam)");
    expect_parse_error("  adamw:lr=1", 3, "unknown optimizer 'adamw' (expected sgd, momentum, adagrad, rmsprop, adam)");
    expect_parse_error("adam:lr=0.01, beta3=0.5", 15, "unknown key 'beta3' for adam");
    expect_parse_error("adam:momentum=0.9", 6, "key 'momentum' does not apply to adam");
    expect_parse_error("sgd:nesterov=1", 5, "key 'nesterov' does not apply to sgd");
    expect_parse_error("adam:variant=lecture", 6, "key 'variant' does not apply to adam");
    expect_parse_error("sgd:lr=", 8, "expected a number after 'lr='");
    expect_parse_error("sgd:lr= abc", 9, "expected a number after 'lr='");
    expect_parse_error("sgd:lr=0.1x", 8, "expected a number after 'lr='");
    expect_parse_error("sgd:lr=0x10", 8, "expected a number after 'lr='");
    expect_parse_error("sgd:lr=-1", 8, "lr must be >= 0");
    expect_parse_error("sgd:amsgrad=1", 5, "key 'amsgrad' does not apply to sgd");
    expect_parse_error("adam:maximize=2", 15, "expected 0, 1, true or false after 'maximize='");
    expect_parse_error("adam:beta1=1", 12, "beta1 must be in [0, 1)");
    expect_parse_error("adam:beta2=-0.5", 12, "beta2 must be in [0, 1)");
    expect_parse_error("rmsprop:alpha=1.5", 15, "alpha must be in [0, 1)");
    expect_parse_error("momentum:momentum=1", 19, "momentum must be in [0, 1)");
    expect_parse_error("adam:eps=-1", 10, "eps must be >= 0");
    expect_parse_error("sgd:lr=nan", 8, "lr: not a finite number");
    expect_parse_error("sgd:lr=inf", 8, "lr: not a finite number");
    expect_parse_error("sgd:lr=1e400", 8, "lr: not a finite number");
    expect_parse_error("adam:lr", 8, "expected '=' after 'lr'");
    expect_parse_error("adam lr=1", 6, "expected ':' after 'adam'");
    expect_parse_error("adam:lr=0.1,", 13, "expected a key (lr, ...)");
    expect_parse_error("", 1, "expected an optimizer name (sgd, momentum, adagrad, rmsprop, adam)");
    expect_parse_error("momentum:nesterov=maybe", 19, "expected 0, 1, true or false after 'nesterov='");
    expect_parse_error("adagrad:variant=mean", 17, "expected lecture or torch after 'variant='");
    expect_parse_error("momentum:nesterov=1,dampening=0.5", 10, "nesterov needs momentum > 0 and dampening 0");
    expect_parse_error("momentum:momentum=0,nesterov=1", 21, "nesterov needs momentum > 0 and dampening 0");

    diag err = {0};
    assert_false(optim_desc_validate(&(optim_desc){.kind = OPT_ADAM, .lr = -1, .beta1 = 0.9,
                                                   .beta2 = 0.999, .eps = 1e-8}, &err));
    assert_string_equal(err.msg, "lr must be >= 0");
}

/* rmsprop:variant=lecture starts from σ₀ = |g₀| (v = g² on the first step): the
 * first step is η·sign(g); torch's v₀ = 0 steps η/√(1−α) = 10η. Later steps follow
 * the usual average from there. */
static void test_rmsprop_lecture(void **state)
{
    (void)state;
    diag err = {0};
    optim_desc d = {0};
    assert_true(optim_desc_parse("rmsprop:lr=0.1,variant=lecture", &d, &err));
    assert_int_equal(d.variant, OPTIM_VARIANT_LECTURE);
    char buf[128];
    optim_desc_format(&d, buf, sizeof buf);
    assert_non_null(strstr(buf, "variant=lecture"));
    optim *o = optim_create(&d, 2);
    double th[2] = { 1, -2 }, g[2] = { 0.3, -40 };
    assert_true(optim_step(o, th, g, 0.1));
    expect_near(th[0], 1 - 0.1 * 0.3 / (0.3 + 1e-8), 1e-15);
    expect_near(th[1], -2 + 0.1 * 40 / (40 + 1e-8), 1e-15);
    double g2[2] = { 0.1, 2 };
    double v0 = 0.99 * 0.09 + 0.01 * 0.01, v1 = 0.99 * 1600 + 0.01 * 4;
    double x0 = th[0], x1 = th[1];
    assert_true(optim_step(o, th, g2, 0.1));
    expect_near(th[0], x0 - 0.1 * 0.1 / (sqrt(v0) + 1e-8), 1e-15);
    expect_near(th[1], x1 - 0.1 * 2 / (sqrt(v1) + 1e-8), 1e-15);
    optim_destroy(o);
    /* torch's form: the first step is 10η */
    d = (optim_desc){0};
    assert_true(optim_desc_parse("rmsprop:lr=0.1", &d, &err));
    o = optim_create(&d, 2);
    th[0] = 1;
    th[1] = -2;
    assert_true(optim_step(o, th, g, 0.1));
    expect_near(th[0], 1 - 0.1 * 0.3 / (sqrt(0.01 * 0.09) + 1e-8), 1e-12);
    optim_destroy(o);
    /* still not for the others */
    d = (optim_desc){0};
    assert_false(optim_desc_parse("sgd:variant=lecture", &d, &err));
}

/* The narrated update is the update taken, bit for bit: for every optimizer, variant
 * and option, optim_preview's parts and optim_step_narrated's equal each other
 * exactly, the update equals θ_new − θ_old exactly, a preview changes nothing, and
 * the parts mean what optim.h says (−rate·direction ≈ update; σ as optim_sigma reports
 * it after the step). Gradients vary in sign and scale; the rate changes per step;
 * one pass with OneCycle's momentum cycling. */
static void check_narration(const char *spec, int cycled)
{
    enum { N = 5, STEPS = 7 };
    optim_desc d = { 0 };
    diag err = { 0 };
    if (!optim_desc_parse(spec, &d, &err)) {
        fprintf(stderr, "%s: %s\n", spec, err.msg);
        fail();
    }
    optim *o = optim_create(&d, N);
    assert_non_null(o);
    double theta[N] = { 0.5, -1.25, 2.0, 0.0, -0.01 };
    double a[6][N], b[6][N], sig[N];
    optim_parts pa = { a[0], a[1], a[2], a[3], a[4], a[5], 0, 0, 0, 0 };
    optim_parts pb = { b[0], b[1], b[2], b[3], b[4], b[5], 0, 0, 0, 0 };
    for (int k = 0; k < STEPS; k++) {
        if (cycled)
            optim_set_cycled_momentum(o, 0.85 + 0.01 * k);
        double g[N];
        for (int i = 0; i < N; i++)
            g[i] = (i % 2 ? -1.0 : 1.0) * (0.3 + i) * (1.0 + 0.5 * sin(1.7 * k + i)) +
                   0.2 * theta[i];
        const double lr = optim_desc_get(o)->lr * (1.0 - 0.05 * k);
        long before = optim_steps_taken(o);
        assert_int_equal(optim_preview(o, theta, g, lr, &pa), 1);
        assert_int_equal(optim_steps_taken(o), before); /* a preview takes no step */
        double old[N];
        memcpy(old, theta, sizeof old);
        assert_int_equal(optim_step_narrated(o, theta, g, lr, &pb), 1);
        assert_int_equal(optim_steps_taken(o), before + 1);
        assert_memory_equal(a, b, sizeof a); /* preview = the step's own parts */
        assert_true(pa.lr == pb.lr && pa.step_size == pb.step_size &&
                    pa.has_moment == pb.has_moment && pa.has_sigma == pb.has_sigma);
        optim_sigma(o, sig);
        for (int i = 0; i < N; i++) {
            double taken = theta[i] - old[i];
            assert_memory_equal(&taken, &pa.update[i], sizeof taken); /* bit for bit */
            double r = -pa.rate[i] * pa.direction[i];
            expect_near(r, taken, 1e-12 * fabs(taken) + 1e-300);
            if (pa.has_sigma)
                expect_near(sig[i], pa.sigma[i], 1e-12 * pa.sigma[i]);
            else
                assert_true(pa.sigma[i] == 1.0);
        }
        if (!pa.has_moment)
            for (int i = 0; i < N; i++)
                assert_true(pa.moment[i] == 0.0);
    }
    optim_destroy(o);
}

static void test_narration_is_the_step(void **state)
{
    (void)state;
    static const char *const specs[] = {
        "sgd:lr=0.1", "sgd:lr=0.1,weight_decay=0.1", "sgd:lr=0.1,maximize=1", "sgd:lr=0",
        "momentum:lr=0.05", "momentum:lr=0.05,nesterov=1", "momentum:lr=0.05,dampening=0.3",
        "momentum:lr=0.05,momentum=0", "momentum:lr=0.05,weight_decay=0.01,maximize=1",
        "adagrad:lr=0.3", "adagrad:lr=0.3,variant=lecture",
        "adagrad:lr=0.3,lr_decay=0.1,initial_accumulator_value=0.2,weight_decay=0.05",
        "rmsprop:lr=0.01", "rmsprop:lr=0.01,centered=1", "rmsprop:lr=0.01,momentum=0.5",
        "rmsprop:lr=0.01,centered=1,momentum=0.5,weight_decay=0.1", "rmsprop:lr=0.01,variant=lecture",
        "rmsprop:lr=0.01,alpha=0,eps=0", "adam:lr=0.05", "adam:lr=0.05,bias_correction=0",
        "adam:lr=0.05,amsgrad=1", "adam:lr=0.05,maximize=1,weight_decay=0.01",
        "adam:lr=0.05,beta1=0,beta2=0.5,eps=0",
    };
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
        check_narration(specs[i], 0);
    check_narration("momentum:lr=0.05,nesterov=1", 1);
    check_narration("adam:lr=0.05", 1);
    check_narration("rmsprop:lr=0.01,momentum=0.5", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sgd_three_steps),
        cmocka_unit_test(test_narration_is_the_step),
        cmocka_unit_test(test_momentum_three_steps),
        cmocka_unit_test(test_adagrad_three_steps),
        cmocka_unit_test(test_rmsprop_three_steps),
        cmocka_unit_test(test_adam_three_steps),
        cmocka_unit_test(test_weight_decay),
        cmocka_unit_test(test_defaults_match_torch),
        cmocka_unit_test(test_rate_argument_overrides_lr),
        cmocka_unit_test(test_live_change_keeps_state),
        cmocka_unit_test(test_divergence_leaves_theta),
        cmocka_unit_test(test_sigma_and_velocity),
        cmocka_unit_test(test_lecture_adagrad_matches_torch_with_invsqrt),
        cmocka_unit_test(test_parse_values),
        cmocka_unit_test(test_rmsprop_lecture),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
