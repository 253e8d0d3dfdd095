/*
 * test_model.c — models and losses: spec parsing, creation checks, hand-computed
 * losses, exact gradients against central finite differences for every model × loss
 * (batch normalization before and after the activation included), batch-norm
 * statistics and moving averages, numerical stability, and an mlp with batch norm
 * training on two moons.
 *
 * Data sets are built by hand here (no data.c).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/data.h"
#include "core/model.h"
#include "core/model_internal.h"
#include "core/rng.h"

/* ---- helpers -------------------------------------------------------------- */

/* A data set owning x and y (free with ds_free). */
static dataset *ds_new(int n, int d, data_task task, int k)
{
    dataset *ds = calloc(1, sizeof *ds);
    ds->n = n;
    ds->d = d;
    ds->x = calloc((size_t)n * d, sizeof(double));
    ds->y = calloc((size_t)n, sizeof(double));
    ds->task = task;
    ds->n_classes = task == DATA_CLASSIFICATION ? k : 0;
    snprintf(ds->name, sizeof ds->name, "test");
    return ds;
}

static void ds_free(dataset *ds)
{
    if (!ds)
        return;
    free(ds->x);
    free(ds->y);
    free(ds);
}

/* Random features N(0, 1) (scaled per column), targets: regression a noisy linear
 * function, classification uniform labels. */
static dataset *ds_random(int n, int d, data_task task, int k, uint64_t seed)
{
    dataset *ds = ds_new(n, d, task, k);
    rng r;
    rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        for (int j = 0; j < d; j++) {
            double v = rng_normal(&r) * (1.0 + 0.5 * j);
            ds->x[i * d + j] = v;
            s += (j + 1) * 0.3 * v;
        }
        if (task == DATA_REGRESSION)
            ds->y[i] = s + 0.2 * rng_normal(&r);
        else
            ds->y[i] = (double)rng_below(&r, (uint64_t)k);
    }
    return ds;
}

static model *make(const char *spec, int d, data_task task, int k)
{
    model_desc desc;
    diag err = {0};
    if (!model_desc_parse(spec, &desc, &err)) {
        fprintf(stderr, "parse '%s': column %d: %s\n", spec, err.column, err.msg);
        fail();
    }
    model *m = model_create(&desc, d, task, k, &err);
    if (!m) {
        fprintf(stderr, "create '%s': %s\n", spec, err.msg);
        fail();
    }
    return m;
}

/* Random θ: weights from N(0, 0.5²)-ish, γ around 1 (away from 0). */
static void random_theta(const model *m, uint64_t seed, double *theta)
{
    rng r;
    rng_seed(&r, seed);
    char name[64];
    for (int i = 0; i < model_param_count(m); i++) {
        model_param_name(m, i, name, sizeof name);
        if (strstr(name, "gamma"))
            theta[i] = 1.0 + 0.3 * rng_normal(&r);
        else
            theta[i] = 0.6 * rng_normal(&r);
    }
}

/* Gradient vs central differences in the given mode. aux: NULL, or moving averages
 * (copied for each evaluation so that training mode's updates do not accumulate). */
static void check_grad_mode(const char *spec, data_task task, int k, loss_kind loss,
                            int minibatch, int train, int with_aux)
{
    const int n = 24, d = 3;
    dataset *ds = ds_random(n, d, task, k, 11);
    model *m = make(spec, d, task, k);
    const int np = model_param_count(m), na = model_aux_count(m);
    double *theta = malloc(sizeof(double) * np);
    double *g = malloc(sizeof(double) * np);
    double *aux0 = malloc(sizeof(double) * (na + 1));
    double *aux = malloc(sizeof(double) * (na + 1));
    random_theta(m, 5, theta);
    model_aux_init(m, aux0);
    for (int i = 0; i < na; i++) /* moving averages away from (0, 1) */
        aux0[i] += 0.3 * sin(1.7 * i + 0.4) + (i % 2 ? 0.2 : 0.0);
    int idx[9] = { 3, 17, 0, 21, 8, 8, 12, 5, 19 }; /* a repeated row is fine */
    const int *ip = minibatch ? idx : NULL;
    const int count = minibatch ? 9 : 0;
    double *ap = NULL;
    if (with_aux) {
        memcpy(aux, aux0, sizeof(double) * na);
        ap = aux;
    }
    double f0 = model_loss(m, loss, ds, theta, ip, count, g, ap, train);
    assert_true(isfinite(f0));
    const double h = 1e-6;
    for (int i = 0; i < np; i++) {
        double t = theta[i];
        if (with_aux)
            memcpy(aux, aux0, sizeof(double) * na);
        theta[i] = t + h;
        double fp = model_loss(m, loss, ds, theta, ip, count, NULL, ap, train);
        if (with_aux)
            memcpy(aux, aux0, sizeof(double) * na);
        theta[i] = t - h;
        double fm = model_loss(m, loss, ds, theta, ip, count, NULL, ap, train);
        theta[i] = t;
        double fd = (fp - fm) / (2 * h);
        double tol = 1e-5 * fmax(1.0, fabs(fd));
        if (!(fabs(g[i] - fd) <= tol)) {
            char name[64];
            model_param_name(m, i, name, sizeof name);
            fprintf(stderr, "%s loss=%d batch=%d train=%d aux=%d: d/d%s: backprop %.12g, fd %.12g\n",
                    spec, (int)loss, minibatch, train, with_aux, name, g[i], fd);
        }
        expect_near(g[i], fd, tol);
    }
    free(theta);
    free(g);
    free(aux0);
    free(aux);
    model_destroy(m);
    ds_free(ds);
}

static void check_grad(const char *spec, data_task task, int k, loss_kind loss)
{
    check_grad_mode(spec, task, k, loss, 0, 1, 0);
    check_grad_mode(spec, task, k, loss, 1, 1, 0);
    /* training mode with aux: the moving-average updates do not change the value */
    check_grad_mode(spec, task, k, loss, 1, 1, 1);
    /* evaluation mode with moving averages (constants), and without (batch stats) */
    check_grad_mode(spec, task, k, loss, 1, 0, 1);
    check_grad_mode(spec, task, k, loss, 0, 0, 0);
}

/* ---- parsing -------------------------------------------------------------- */

static void test_parse_ok(void **state)
{
    (void)state;
    model_desc d;
    diag err = {0};
    assert_true(model_desc_parse("linear:bias=0", &d, &err));
    assert_int_equal(d.kind, MODEL_LINEAR);
    assert_int_equal(d.no_bias, 1);
    assert_true(model_desc_parse("linear", &d, &err));
    assert_int_equal(d.no_bias, 0);
    assert_true(model_desc_parse("logistic", &d, &err));
    assert_int_equal(d.kind, MODEL_LOGISTIC);
    assert_true(model_desc_parse(" Softmax : bias = false ", &d, &err));
    assert_int_equal(d.kind, MODEL_SOFTMAX);
    assert_int_equal(d.no_bias, 1);

    assert_true(model_desc_parse("mlp:hidden=8x8,act=relu,bn=1,bn_pos=after,momentum=0.9", &d, &err));
    assert_int_equal(d.kind, MODEL_MLP);
    assert_int_equal(d.n_hidden, 2);
    assert_int_equal(d.hidden[0], 8);
    assert_int_equal(d.hidden[1], 8);
    assert_int_equal(d.act, ACT_RELU);
    assert_int_equal(d.bn, 1);
    assert_int_equal(d.bn_after, 1);
    expect_near(d.bn_momentum, 0.9, 0);

    assert_true(model_desc_parse("mlp", &d, &err));
    assert_int_equal(d.n_hidden, 1);
    assert_int_equal(d.hidden[0], 8);
    assert_int_equal(d.bn, 0);
    assert_int_equal(d.bn_after, 0);

    assert_true(model_desc_parse("mlp:hidden=4x256x1,act=tanh,bn_pos=before,momentum=0", &d, &err));
    assert_int_equal(d.n_hidden, 3);
    assert_int_equal(d.hidden[1], 256);
    assert_int_equal(d.act, ACT_TANH);
    assert_int_equal(d.bn_after, 0);
    expect_near(d.bn_momentum, 0.0, 0);
    assert_int_equal(d.bn_momentum_zero, 1);
    assert_true(model_desc_parse("mlp:hidden=1x1x1x1x1x1x1x1,act=sigmoid", &d, &err));
    assert_int_equal(d.n_hidden, MODEL_MAX_LAYERS);
    assert_int_equal(d.act, ACT_SIGMOID);

    /* momentum=0 survives model_create (p = 0 exactly), default 0.9 otherwise */
    assert_true(model_desc_parse("mlp:bn=1,momentum=0", &d, &err));
    model *m = model_create(&d, 2, DATA_REGRESSION, 0, &err);
    assert_non_null(m);
    expect_near(model_get_desc(m)->bn_momentum, 0.0, 0);
    model_destroy(m);
    assert_true(model_desc_parse("mlp:bn=1", &d, &err));
    m = model_create(&d, 2, DATA_REGRESSION, 0, &err);
    expect_near(model_get_desc(m)->bn_momentum, 0.9, 0);
    expect_near(model_get_desc(m)->bn_eps, 1e-5, 0);
    model_destroy(m);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        int column;
        const char *msg;
    } cases[] = {
        { "", 1, "expected a model name (linear, logistic, softmax, mlp)" },
        { "cnn", 1, "unknown model 'cnn' (expected linear, logistic, softmax, mlp)" },
        { "  lin:bias=0", 3, "unknown model 'lin' (expected linear, logistic, softmax, mlp)" },
        { "linear;bias=0", 7, "expected ':' after 'linear'" },
        { "linear:hidden=8", 8, "unknown key 'hidden' for linear (expected bias)" },
        { "mlp:bias=0", 5, "unknown key 'bias' for mlp (expected hidden, act, bn, bn_pos, momentum)" },
        { "mlp:act=relu,depth=3", 14,
          "unknown key 'depth' for mlp (expected hidden, act, bn, bn_pos, momentum)" },
        { "mlp:", 5, "expected a key (hidden, act, bn, bn_pos, momentum)" },
        { "logistic:bias", 14, "expected '=' after 'bias'" },
        { "logistic:bias=2", 15, "expected 0 or 1 after 'bias='" },
        { "mlp:bn=maybe", 8, "expected 0 or 1 after 'bn='" },
        { "mlp:act=gelu", 9, "unknown activation 'gelu' (expected relu, tanh, sigmoid)" },
        { "mlp:bn_pos=middle", 12, "expected before or after after 'bn_pos='" },
        { "mlp:momentum=1", 14, "momentum must be in [0, 1)" },
        { "mlp:momentum=-0.1", 14, "momentum must be in [0, 1)" },
        { "mlp:momentum=fast", 14, "expected a number after 'momentum='" },
        { "mlp:hidden=8x0", 14, "hidden layer size 0 out of range (1 to 256)" },
        { "mlp:hidden=257", 12, "hidden layer size 257 out of range (1 to 256)" },
        { "mlp:hidden=8xx8", 14, "expected hidden sizes like 8x8 after 'hidden='" },
        { "mlp:hidden=", 12, "expected hidden sizes like 8x8 after 'hidden='" },
        { "mlp:hidden=2.5", 12, "expected hidden sizes like 8x8 after 'hidden='" },
        { "mlp:hidden=1x1x1x1x1x1x1x1x1", 28, "at most 8 hidden layers" },
        { "mlp:act=relu,bn=1,bn_pos=after,hidden=4x-3", 41,
          "hidden layer size -3 out of range (1 to 256)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        model_desc d;
        memset(&d, 0, sizeof d);
        diag err = {0};
        int ok = model_desc_parse(cases[i].spec, &d, &err);
        if (ok || err.column != cases[i].column || strcmp(err.msg, cases[i].msg) != 0)
            fprintf(stderr, "spec '%s': ok=%d column %d '%s'\n", cases[i].spec, ok, err.column,
                    err.msg);
        assert_int_equal(ok, 0);
        assert_int_equal(err.line, 0);
        assert_int_equal(err.column, cases[i].column);
        assert_string_equal(err.msg, cases[i].msg);
    }
}

/* ---- creation, layout, names, init ---------------------------------------- */

static void test_create(void **state)
{
    (void)state;
    model_desc d;
    memset(&d, 0, sizeof d);
    diag err = {0};

    /* MODEL_DEFAULT resolves from the task */
    model *m = model_create(&d, 2, DATA_REGRESSION, 0, &err);
    assert_non_null(m);
    assert_int_equal(model_get_desc(m)->kind, MODEL_LINEAR);
    assert_int_equal(model_param_count(m), 3);
    assert_int_equal(model_aux_count(m), 0);
    model_destroy(m);
    m = model_create(&d, 2, DATA_CLASSIFICATION, 2, &err);
    assert_int_equal(model_get_desc(m)->kind, MODEL_LOGISTIC);
    model_destroy(m);
    m = model_create(&d, 2, DATA_CLASSIFICATION, 4, &err);
    assert_int_equal(model_get_desc(m)->kind, MODEL_SOFTMAX);
    assert_int_equal(model_param_count(m), 4 * 2 + 4);
    model_destroy(m);

    /* refusals */
    d.kind = MODEL_LOGISTIC;
    assert_null(model_create(&d, 2, DATA_REGRESSION, 0, &err));
    assert_non_null(strstr(err.msg, "logistic"));
    assert_null(model_create(&d, 2, DATA_CLASSIFICATION, 3, &err));
    assert_non_null(strstr(err.msg, "2 classes"));
    d.kind = MODEL_SOFTMAX;
    assert_null(model_create(&d, 2, DATA_REGRESSION, 0, &err));
    d.kind = MODEL_LINEAR;
    assert_null(model_create(&d, 2, DATA_CLASSIFICATION, 2, &err));
    d.kind = MODEL_MLP;
    d.n_hidden = 1;
    d.hidden[0] = 300;
    assert_null(model_create(&d, 2, DATA_REGRESSION, 0, &err));

    /* mlp layout: 2 → 5 (bn) → 3 (bn) → k=4 */
    m = make("mlp:hidden=5x3,bn=1", 2, DATA_CLASSIFICATION, 4);
    int expect = (5 * 2 + 5 + 5 + 5) + (3 * 5 + 3 + 3 + 3) + (4 * 3 + 4);
    assert_int_equal(model_param_count(m), expect);
    assert_int_equal(model_aux_count(m), 2 * (5 + 3));
    model_destroy(m);
    m = make("mlp:hidden=5", 2, DATA_REGRESSION, 0);
    assert_int_equal(model_param_count(m), 5 * 2 + 5 + 5 + 1);
    assert_int_equal(model_aux_count(m), 0);
    model_destroy(m);
}

static void test_param_names(void **state)
{
    (void)state;
    char buf[64];
    model *m = make("linear", 2, DATA_REGRESSION, 0);
    const char *lin[] = { "w1", "w2", "b" };
    for (int i = 0; i < 3; i++) {
        model_param_name(m, i, buf, sizeof buf);
        assert_string_equal(buf, lin[i]);
    }
    model_destroy(m);
    m = make("linear:bias=0", 2, DATA_REGRESSION, 0);
    assert_int_equal(model_param_count(m), 2);
    model_param_name(m, 1, buf, sizeof buf);
    assert_string_equal(buf, "w2");
    model_destroy(m);
    m = make("logistic", 2, DATA_CLASSIFICATION, 2);
    model_param_name(m, 2, buf, sizeof buf);
    assert_string_equal(buf, "b");
    model_destroy(m);

    m = make("softmax", 2, DATA_CLASSIFICATION, 3);
    model_param_name(m, 0, buf, sizeof buf);
    assert_string_equal(buf, "W[0,0]");
    model_param_name(m, 3, buf, sizeof buf);
    assert_string_equal(buf, "W[1,1]");
    model_param_name(m, 7, buf, sizeof buf);
    assert_string_equal(buf, "b[1]");
    model_destroy(m);

    m = make("mlp:hidden=3,bn=1", 2, DATA_CLASSIFICATION, 2);
    const char *mlp[] = { "l1.W[0,0]", "l1.W[0,1]", "l1.W[1,0]", "l1.W[1,1]", "l1.W[2,0]",
                          "l1.W[2,1]", "l1.b[0]", "l1.b[1]", "l1.b[2]", "l1.gamma[0]",
                          "l1.gamma[1]", "l1.gamma[2]", "l1.beta[0]", "l1.beta[1]",
                          "l1.beta[2]", "out.W[0,0]", "out.W[0,1]", "out.W[0,2]",
                          "out.W[1,0]", "out.W[1,1]", "out.W[1,2]", "out.b[0]", "out.b[1]" };
    assert_int_equal(model_param_count(m), 23);
    for (int i = 0; i < 23; i++) {
        model_param_name(m, i, buf, sizeof buf);
        assert_string_equal(buf, mlp[i]);
    }
    model_destroy(m);
}

static void test_init(void **state)
{
    (void)state;
    model *m = make("softmax", 3, DATA_CLASSIFICATION, 3);
    double t[12];
    for (int i = 0; i < 12; i++)
        t[i] = 7;
    model_init_params(m, 1, t);
    for (int i = 0; i < 12; i++)
        expect_near(t[i], 0.0, 0);
    model_destroy(m);

    m = make("mlp:hidden=64,bn=1,act=relu", 50, DATA_REGRESSION, 0);
    int np = model_param_count(m), na = model_aux_count(m);
    double *a = malloc(sizeof(double) * np), *b = malloc(sizeof(double) * np);
    model_init_params(m, 42, a);
    model_init_params(m, 42, b);
    assert_memory_equal(a, b, sizeof(double) * np);
    model_init_params(m, 43, b);
    assert_true(memcmp(a, b, sizeof(double) * np) != 0);
    /* layer 1: 64 × 50 weights ~ N(0, 2/50); biases 0, γ 1, β 0 */
    double s = 0, q = 0;
    for (int i = 0; i < 64 * 50; i++) {
        s += a[i];
        q += a[i] * a[i];
    }
    double mean = s / 3200, var = q / 3200 - mean * mean;
    expect_near(mean, 0.0, 0.01);
    expect_near(var, 2.0 / 50, 0.004);
    for (int i = 0; i < 64; i++) {
        expect_near(a[3200 + i], 0.0, 0);
        expect_near(a[3200 + 64 + i], 1.0, 0);
        expect_near(a[3200 + 128 + i], 0.0, 0);
    }
    expect_near(a[np - 1], 0.0, 0); /* out.b */
    double *aux = malloc(sizeof(double) * na);
    model_aux_init(m, aux);
    for (int i = 0; i < 64; i++) {
        expect_near(aux[i], 0.0, 0);
        expect_near(aux[64 + i], 1.0, 0);
    }
    free(aux);
    free(a);
    free(b);
    model_destroy(m);

    /* tanh: N(0, 1/fan_in) */
    m = make("mlp:hidden=200,act=tanh", 40, DATA_REGRESSION, 0);
    np = model_param_count(m);
    a = malloc(sizeof(double) * np);
    model_init_params(m, 9, a);
    q = 0;
    for (int i = 0; i < 200 * 40; i++)
        q += a[i] * a[i];
    expect_near(q / 8000, 1.0 / 40, 0.0015);
    free(a);
    model_destroy(m);
}

/* ---- hand-computed values ------------------------------------------------- */

static void test_linear_mse_hand(void **state)
{
    (void)state;
    dataset *ds = ds_new(3, 2, DATA_REGRESSION, 0);
    double x[] = { 1, 2, -1, 0.5, 3, -2 };
    double y[] = { 1, 0, 2 };
    memcpy(ds->x, x, sizeof x);
    memcpy(ds->y, y, sizeof y);
    model *m = make("linear", 2, DATA_REGRESSION, 0);
    double theta[3] = { 0.5, -1, 0.25 }; /* w1 w2 b */
    /* predictions: 0.5−2+0.25 = −1.25; −0.5−0.5+0.25 = −0.75; 1.5+2+0.25 = 3.75
     * residuals: −2.25, −0.75, 1.75; squares 5.0625 0.5625 3.0625 → mean 8.6875/3 */
    double g[3];
    double l = model_loss(m, LOSS_DEFAULT, ds, theta, NULL, 0, g, NULL, 1);
    expect_near(l, 8.6875 / 3, 1e-14);
    /* dL/dw = (2/3) Σ r x: w1: (2/3)(−2.25·1 + −0.75·−1 + 1.75·3) = (2/3)(3.75) = 2.5
     *                      w2: (2/3)(−2.25·2 + −0.75·0.5 + 1.75·−2) = (2/3)(−8.375)
     *                      b:  (2/3)(−1.25) */
    expect_near(g[0], 2.5, 1e-14);
    expect_near(g[1], -8.375 * 2 / 3, 1e-14);
    expect_near(g[2], -1.25 * 2 / 3, 1e-14);
    /* a mini-batch: rows 2 and 0 */
    int idx[2] = { 2, 0 };
    l = model_loss(m, LOSS_MSE, ds, theta, idx, 2, NULL, NULL, 1);
    expect_near(l, (3.0625 + 5.0625) / 2, 1e-14);
    /* ce has no meaning for regression */
    assert_true(isnan(model_loss(m, LOSS_CE, ds, theta, NULL, 0, NULL, NULL, 0)));

    /* the objective adapter */
    model_objective_ctx ctx = { .model = m, .data = ds, .loss = LOSS_MSE };
    objective o = model_objective(&ctx);
    assert_int_equal(o.n, 3);
    assert_int_equal(o.n_samples, 3);
    assert_int_equal(o.n_aux, 0);
    assert_null(o.aux_init);
    expect_near(objective_eval(&o, theta, NULL, 0, NULL), 8.6875 / 3, 1e-14);
    model_destroy(m);
    ds_free(ds);
}

static void test_ce_at_zero(void **state)
{
    (void)state;
    dataset *ds = ds_random(50, 3, DATA_CLASSIFICATION, 2, 3);
    model *m = make("logistic", 3, DATA_CLASSIFICATION, 2);
    double theta[4] = { 0 };
    expect_near(model_loss(m, LOSS_CE, ds, theta, NULL, 0, NULL, NULL, 1), log(2.0), 1e-15);
    /* mse on σ(0) = 0.5: 0.25 for every sample */
    expect_near(model_loss(m, LOSS_MSE, ds, theta, NULL, 0, NULL, NULL, 1), 0.25, 1e-15);
    /* σ(0) = 0.5 counts as class 1 */
    int ones = 0;
    for (int i = 0; i < 50; i++)
        ones += ds->y[i] == 1;
    expect_near(model_accuracy(m, theta, NULL, ds), ones / 50.0, 1e-15);
    model_destroy(m);
    ds_free(ds);

    for (int k = 2; k <= 7; k++) {
        ds = ds_random(40, 3, DATA_CLASSIFICATION, k, 4);
        m = make("softmax", 3, DATA_CLASSIFICATION, k);
        double t[7 * 4] = { 0 };
        expect_near(model_loss(m, LOSS_CE, ds, t, NULL, 0, NULL, NULL, 1), log((double)k), 1e-14);
        /* mse: (1 − 1/k)² + (k − 1)/k² */
        double e = (1 - 1.0 / k) * (1 - 1.0 / k) + (k - 1.0) / (k * k);
        expect_near(model_loss(m, LOSS_MSE, ds, t, NULL, 0, NULL, NULL, 1), e, 1e-14);
        double p[7];
        model_predict(m, t, NULL, ds->x, 1, p);
        for (int c = 0; c < k; c++)
            expect_near(p[c], 1.0 / k, 1e-15);
        model_destroy(m);
        ds_free(ds);
    }
}

static void test_logistic_huge_logits(void **state)
{
    (void)state;
    dataset *ds = ds_new(4, 1, DATA_CLASSIFICATION, 2);
    double x[] = { 1, 1, -1, -1 };
    double y[] = { 1, 0, 0, 1 };
    memcpy(ds->x, x, sizeof x);
    memcpy(ds->y, y, sizeof y);
    model *m = make("logistic:bias=0", 1, DATA_CLASSIFICATION, 2);
    double theta[1] = { 1000 };
    double g[1];
    /* z = 1000, 1000, −1000, −1000: losses 0, 1000, 0, 1000 → mean 500 */
    double l = model_loss(m, LOSS_CE, ds, theta, NULL, 0, g, NULL, 1);
    assert_true(isfinite(l));
    expect_near(l, 500.0, 1e-9);
    /* dL/dw = mean (σ(z) − y) x = (0·1 + 1·1 + 0·−1 + −1·−1)/4 */
    expect_near(g[0], 0.5, 1e-12);
    /* one sample each way */
    int i0 = 0, i1 = 1, i3 = 3;
    expect_near(model_loss(m, LOSS_CE, ds, theta, &i0, 1, g, NULL, 1), 0.0, 1e-300);
    expect_near(g[0], 0.0, 1e-300);
    expect_near(model_loss(m, LOSS_CE, ds, theta, &i1, 1, g, NULL, 1), 1000.0, 1e-12);
    expect_near(g[0], 1.0, 1e-15);
    /* x = −1, y = 1, z = −1000: dL/dz = σ(z) − y = −1, dL/dw = −1 · x = 1 */
    expect_near(model_loss(m, LOSS_CE, ds, theta, &i3, 1, g, NULL, 1), 1000.0, 1e-12);
    expect_near(g[0], 1.0, 1e-15);
    /* mse saturates: flat, finite */
    l = model_loss(m, LOSS_MSE, ds, theta, NULL, 0, g, NULL, 1);
    expect_near(l, 0.5, 1e-12);
    expect_near(g[0], 0.0, 1e-300);
    /* moderately large: 30 → softplus(−30) ≈ 9.357e−14, not rounded to 0 */
    theta[0] = 30;
    l = model_loss(m, LOSS_CE, ds, theta, &i0, 1, NULL, NULL, 1);
    expect_close(l, log1p(exp(-30.0)), 1e-12);
    assert_true(l > 0);
    model_destroy(m);

    /* softmax with huge logits */
    model *s = make("softmax:bias=0", 1, DATA_CLASSIFICATION, 2);
    double t2[2] = { 1000, -1000 }; /* z = (1000x, −1000x) */
    l = model_loss(s, LOSS_CE, ds, t2, NULL, 0, NULL, NULL, 1);
    expect_near(l, 1000.0, 1e-9); /* half the samples are off by 2000 */
    model_destroy(s);
    ds_free(ds);
}

/* ---- gradients: every model × loss ---------------------------------------- */

static void test_grad_single_layer(void **state)
{
    (void)state;
    check_grad("linear", DATA_REGRESSION, 0, LOSS_MSE);
    check_grad("linear:bias=0", DATA_REGRESSION, 0, LOSS_MSE);
    check_grad("logistic", DATA_CLASSIFICATION, 2, LOSS_CE);
    check_grad("logistic", DATA_CLASSIFICATION, 2, LOSS_MSE);
    check_grad("logistic:bias=0", DATA_CLASSIFICATION, 2, LOSS_CE);
    check_grad("softmax", DATA_CLASSIFICATION, 3, LOSS_CE);
    check_grad("softmax", DATA_CLASSIFICATION, 3, LOSS_MSE);
    check_grad("softmax:bias=0", DATA_CLASSIFICATION, 4, LOSS_MSE);
}

static const char *const acts[] = { "relu", "tanh", "sigmoid" };
static const char *const bns[] = { "bn=0", "bn=1,bn_pos=before", "bn=1,bn_pos=after" };

static void test_grad_mlp_regression(void **state)
{
    (void)state;
    char spec[128];
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            snprintf(spec, sizeof spec, "mlp:hidden=5x4,act=%s,%s", acts[a], bns[b]);
            check_grad(spec, DATA_REGRESSION, 0, LOSS_MSE);
        }
}

static void test_grad_mlp_classification(void **state)
{
    (void)state;
    char spec[128];
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            snprintf(spec, sizeof spec, "mlp:hidden=4x3,act=%s,%s", acts[a], bns[b]);
            check_grad(spec, DATA_CLASSIFICATION, 3, LOSS_CE);
            check_grad(spec, DATA_CLASSIFICATION, 3, LOSS_MSE);
        }
    /* two classes, one hidden layer */
    check_grad("mlp:hidden=6,act=tanh,bn=1", DATA_CLASSIFICATION, 2, LOSS_CE);
}

/* ---- batch normalization -------------------------------------------------- */

/* mlp 1 → 2 (bn after a tanh) → 1, regression, y = 0, out.W = e_unit, out.b = 0:
 * the training-mode output of each sample is γ ĥ + β of that unit. The loss gives
 * E[out²] and d/d out.b gives 2 E[out]. */
static void test_bn_train_stats(void **state)
{
    (void)state;
    dataset *ds = ds_new(6, 1, DATA_REGRESSION, 0);
    double x[] = { -2, -0.5, 0.1, 0.7, 1.5, 3 };
    memcpy(ds->x, x, sizeof x);
    model *m = make("mlp:hidden=2,act=tanh,bn=1,bn_pos=after", 1, DATA_REGRESSION, 0);
    /* layout: l1.W[2] l1.b[2] γ[2] β[2] out.W[2] out.b */
    assert_int_equal(model_param_count(m), 11);
    for (int unit = 0; unit < 2; unit++) {
        double theta[11] = { 0.8, -1.3, 0.2, 0.5, 1, 1, 0, 0, 0, 0, 0 };
        theta[8 + unit] = 1.0;
        double g[11];
        double l = model_loss(m, LOSS_MSE, ds, theta, NULL, 0, g, NULL, 1);
        double mean = g[10] / 2;
        expect_near(mean, 0.0, 1e-12);
        /* variance σ²/(σ² + ε): compute σ² of tanh(w x + b) by hand */
        double h[6], s = 0, q = 0;
        for (int r = 0; r < 6; r++) {
            h[r] = tanh(theta[unit] * x[r] + theta[2 + unit]);
            s += h[r];
        }
        for (int r = 0; r < 6; r++)
            q += (h[r] - s / 6) * (h[r] - s / 6);
        double var = q / 6;
        expect_near(l, var / (var + 1e-5), 1e-12);
        expect_near(l, 1.0, 1e-3);
        /* with γ = 2, β = 0.5: mean β, second moment γ² var/(var+ε) + β² */
        theta[4 + unit] = 2.0;
        theta[6 + unit] = 0.5;
        l = model_loss(m, LOSS_MSE, ds, theta, NULL, 0, g, NULL, 1);
        expect_near(g[10] / 2, 0.5, 1e-12);
        expect_near(l, 4 * var / (var + 1e-5) + 0.25, 1e-12);
    }
    /* a batch of one: ĥ = 0, the output is β, finite */
    double theta[11] = { 0.8, -1.3, 0.2, 0.5, 1, 1, 0.3, -0.2, 1, 1, 0 };
    int one = 4;
    double g[11];
    double l = model_loss(m, LOSS_MSE, ds, theta, &one, 1, g, NULL, 1);
    expect_near(l, 0.1 * 0.1, 1e-15);
    for (int i = 0; i < 11; i++)
        assert_true(isfinite(g[i]));
    model_destroy(m);
    ds_free(ds);
}

/* mlp 1 → 2 (bn before a relu) → 1: moving averages after one training evaluation,
 * and evaluation-mode outputs by hand from the stored μ̄, σ̄². */
static void test_bn_moving_averages(void **state)
{
    (void)state;
    dataset *ds = ds_new(5, 1, DATA_REGRESSION, 0);
    double x[] = { -1, 0, 0.5, 2, 4 };
    double y[] = { 0.3, -0.2, 1, 0.1, 2 };
    memcpy(ds->x, x, sizeof x);
    memcpy(ds->y, y, sizeof y);
    model *m = make("mlp:hidden=2,act=relu,bn=1,bn_pos=before,momentum=0.8", 1, DATA_REGRESSION, 0);
    assert_int_equal(model_aux_count(m), 4);
    /* W = (1.5, −0.7), b = (0.2, 0.1), γ = (1.2, 0.9), β = (0.1, 0.3), out.W = (0.6, −1.1), out.b = 0.05 */
    double theta[11] = { 1.5, -0.7, 0.2, 0.1, 1.2, 0.9, 0.1, 0.3, 0.6, -1.1, 0.05 };
    double aux[4];
    model_aux_init(m, aux);
    expect_near(aux[0], 0, 0);
    expect_near(aux[1], 0, 0);
    expect_near(aux[2], 1, 0);
    expect_near(aux[3], 1, 0);

    int idx[3] = { 0, 3, 4 }; /* x = −1, 2, 4 */
    model_loss(m, LOSS_MSE, ds, theta, idx, 3, NULL, aux, 1);
    double mu[2], var[2];
    for (int i = 0; i < 2; i++) {
        double z[3];
        for (int r = 0; r < 3; r++)
            z[r] = theta[i] * x[idx[r]] + theta[2 + i];
        mu[i] = (z[0] + z[1] + z[2]) / 3;
        var[i] = ((z[0] - mu[i]) * (z[0] - mu[i]) + (z[1] - mu[i]) * (z[1] - mu[i]) +
                  (z[2] - mu[i]) * (z[2] - mu[i])) / 3;
    }
    /* μ̄ ← 0.8·0 + 0.2 μ; σ̄² ← 0.8·1 + 0.2 s², s² the unbiased variance (torch's
     * running_var): the biased σ² times B/(B − 1) = 3/2 */
    for (int i = 0; i < 2; i++)
        var[i] *= 3.0 / 2.0;
    expect_near(aux[0], 0.2 * mu[0], 1e-14);
    expect_near(aux[1], 0.2 * mu[1], 1e-14);
    expect_near(aux[2], 0.8 + 0.2 * var[0], 1e-14);
    expect_near(aux[3], 0.8 + 0.2 * var[1], 1e-14);
    /* a second step compounds */
    double a1[4];
    memcpy(a1, aux, sizeof a1);
    model_loss(m, LOSS_MSE, ds, theta, idx, 3, NULL, aux, 1);
    expect_near(aux[0], 0.8 * a1[0] + 0.2 * mu[0], 1e-14);
    expect_near(aux[3], 0.8 * a1[3] + 0.2 * var[1], 1e-14);
    /* evaluation mode does not touch aux */
    memcpy(a1, aux, sizeof a1);
    model_loss(m, LOSS_MSE, ds, theta, NULL, 0, NULL, aux, 0);
    assert_memory_equal(a1, aux, sizeof a1);

    /* evaluation mode by hand */
    double pred_eval[5], pred_batch[5], hand[5];
    model_predict(m, theta, aux, ds->x, 5, pred_eval);
    model_predict(m, theta, NULL, ds->x, 5, pred_batch);
    double l_hand = 0;
    for (int r = 0; r < 5; r++) {
        double out = theta[10];
        for (int i = 0; i < 2; i++) {
            double z = theta[i] * x[r] + theta[2 + i];
            double zh = (z - aux[i]) / sqrt(aux[2 + i] + 1e-5);
            double u = theta[4 + i] * zh + theta[6 + i];
            out += theta[8 + i] * (u > 0 ? u : 0);
        }
        hand[r] = out;
        l_hand += (out - y[r]) * (out - y[r]);
        expect_near(pred_eval[r], hand[r], 1e-13);
    }
    expect_near(model_loss(m, LOSS_MSE, ds, theta, NULL, 0, NULL, aux, 0), l_hand / 5, 1e-13);
    /* batch statistics (training mode, or evaluation without aux) give other outputs */
    double diff = 0;
    for (int r = 0; r < 5; r++)
        diff += fabs(pred_eval[r] - pred_batch[r]);
    assert_true(diff > 1e-3);
    double l_train = model_loss(m, LOSS_MSE, ds, theta, NULL, 0, NULL, NULL, 1);
    double l_batch = 0;
    for (int r = 0; r < 5; r++)
        l_batch += (pred_batch[r] - y[r]) * (pred_batch[r] - y[r]);
    expect_near(l_train, l_batch / 5, 1e-13);
    assert_true(fabs(l_train - l_hand / 5) > 1e-4);

    /* the objective adapter carries aux */
    model_objective_ctx ctx = { .model = m, .data = ds, .loss = LOSS_DEFAULT };
    objective o = model_objective(&ctx);
    assert_int_equal(o.n, 11);
    assert_int_equal(o.n_aux, 4);
    assert_non_null(o.aux_init);
    double a2[4] = { 9, 9, 9, 9 };
    o.aux_init(o.ctx, a2);
    expect_near(a2[2], 1.0, 0);
    expect_near(o.eval(o.ctx, theta, NULL, 0, NULL, aux, 0), l_hand / 5, 1e-13);
    model_destroy(m);
    ds_free(ds);
}

/* Evaluation mode with aux is row-wise, so it runs in chunks: the loss and the
 * gradient over 700 rows equal the weighted halves, and the predictions agree with
 * one-row predictions. */
static void test_eval_chunks(void **state)
{
    (void)state;
    const int n = 700;
    dataset *ds = ds_random(n, 3, DATA_CLASSIFICATION, 3, 21);
    model *m = make("mlp:hidden=6x5,act=tanh,bn=1", 3, DATA_CLASSIFICATION, 3);
    int np = model_param_count(m), na = model_aux_count(m);
    double *theta = malloc(sizeof(double) * np), *aux = malloc(sizeof(double) * na);
    double *g = malloc(sizeof(double) * np), *g1 = malloc(sizeof(double) * np),
           *g2 = malloc(sizeof(double) * np);
    random_theta(m, 8, theta);
    model_aux_init(m, aux);
    model_loss(m, LOSS_CE, ds, theta, NULL, 0, NULL, aux, 1); /* moving averages ≠ init */
    int *lo = malloc(sizeof(int) * 300), *hi = malloc(sizeof(int) * 400);
    for (int i = 0; i < 300; i++)
        lo[i] = i;
    for (int i = 0; i < 400; i++)
        hi[i] = 300 + i;
    double l = model_loss(m, LOSS_CE, ds, theta, NULL, 0, g, aux, 0);
    double l1 = model_loss(m, LOSS_CE, ds, theta, lo, 300, g1, aux, 0);
    double l2 = model_loss(m, LOSS_CE, ds, theta, hi, 400, g2, aux, 0);
    expect_near(l, (300 * l1 + 400 * l2) / n, 1e-12);
    for (int i = 0; i < np; i++)
        expect_near(g[i], (300 * g1[i] + 400 * g2[i]) / n, 1e-12);
    double *p = malloc(sizeof(double) * n * 3);
    model_predict(m, theta, aux, ds->x, n, p);
    double q[3];
    model_predict(m, theta, aux, ds->x + 3 * 650, 1, q);
    for (int c = 0; c < 3; c++)
        expect_near(p[650 * 3 + c], q[c], 1e-14);
    expect_near(p[650 * 3] + p[650 * 3 + 1] + p[650 * 3 + 2], 1.0, 1e-14);
    free(p);
    free(lo);
    free(hi);
    free(theta);
    free(aux);
    free(g);
    free(g1);
    free(g2);
    model_destroy(m);
    ds_free(ds);
}

/* ---- training ------------------------------------------------------------- */

static dataset *moons(int n, double noise, uint64_t seed)
{
    dataset *ds = ds_new(n, 2, DATA_CLASSIFICATION, 2);
    rng r;
    rng_seed(&r, seed);
    const double pi = 3.14159265358979323846;
    for (int i = 0; i < n; i++) {
        int c = i % 2;
        double t = pi * rng_uniform(&r);
        double x1 = c == 0 ? cos(t) : 1 - cos(t);
        double x2 = c == 0 ? sin(t) : 0.5 - sin(t);
        ds->x[2 * i] = x1 + noise * rng_normal(&r);
        ds->x[2 * i + 1] = x2 + noise * rng_normal(&r);
        ds->y[i] = c;
    }
    return ds;
}

static void test_mlp_bn_trains_on_moons(void **state)
{
    (void)state;
    dataset *ds = moons(200, 0.1, 7);
    model *m = make("mlp:hidden=16x16,act=relu,bn=1,bn_pos=before,momentum=0.9", 2,
                    DATA_CLASSIFICATION, 2);
    int np = model_param_count(m), na = model_aux_count(m);
    double *theta = malloc(sizeof(double) * np), *g = malloc(sizeof(double) * np);
    double *aux = malloc(sizeof(double) * na);
    model_init_params(m, 1, theta);
    model_aux_init(m, aux);
    double first = model_loss(m, LOSS_CE, ds, theta, NULL, 0, NULL, aux, 0);
    /* plain mini-batch gradient descent, batches of 50 in a fixed rotation */
    int idx[200];
    for (int i = 0; i < 200; i++)
        idx[i] = (i * 37) % 200;
    for (int step = 0; step < 1500; step++) {
        const int *batch = idx + (step % 4) * 50;
        model_loss(m, LOSS_CE, ds, theta, batch, 50, g, aux, 1);
        for (int i = 0; i < np; i++)
            theta[i] -= 0.1 * g[i];
    }
    double last = model_loss(m, LOSS_CE, ds, theta, NULL, 0, NULL, aux, 0);
    double acc = model_accuracy(m, theta, aux, ds);
    if (acc <= 0.9)
        fprintf(stderr, "moons: loss %g → %g, accuracy %g\n", first, last, acc);
    assert_true(last < first);
    assert_true(acc > 0.9);
    /* probabilities from model_predict agree with the accuracy */
    double *p = malloc(sizeof(double) * 400);
    model_predict(m, theta, aux, ds->x, 200, p);
    int right = 0;
    for (int i = 0; i < 200; i++)
        right += (p[2 * i + 1] > p[2 * i]) == (ds->y[i] == 1);
    expect_near(right / 200.0, acc, 1e-12);
    free(p);
    free(theta);
    free(g);
    free(aux);
    model_destroy(m);
    ds_free(ds);
}

static void test_logistic_trains(void **state)
{
    (void)state;
    /* separable-ish: class by sign of x1 + x2 */
    dataset *ds = ds_random(200, 2, DATA_CLASSIFICATION, 2, 13);
    for (int i = 0; i < 200; i++)
        ds->y[i] = ds->x[2 * i] + ds->x[2 * i + 1] > 0;
    model *m = make("logistic", 2, DATA_CLASSIFICATION, 2);
    double theta[3], g[3];
    model_init_params(m, 0, theta);
    for (int step = 0; step < 300; step++) {
        model_loss(m, LOSS_CE, ds, theta, NULL, 0, g, NULL, 1);
        for (int i = 0; i < 3; i++)
            theta[i] -= 1.0 * g[i];
    }
    assert_true(model_accuracy(m, theta, NULL, ds) > 0.95);
    double p[2];
    model_predict(m, theta, NULL, ds->x, 2, p);
    assert_true(p[0] > 0 && p[0] < 1);
    assert_true((p[0] >= 0.5) == (ds->y[0] == 1));
    model_destroy(m);
    ds_free(ds);
}

/* Large sums (≥ 16384 samples: vectorized, threaded) against the plain path: the
 * same data as two index halves of 10000 (each below the threshold), recombined.
 * Loss and gradient within 1e-12 relative; every one-layer head and loss, an mlp
 * without bn and one with bn in evaluation mode (moving averages). */
static void check_big(const char *data, int classes, const char *spec, loss_kind loss)
{
    diag err = { 0 };
    dataset *ds = data_load(data, 5, classes, &err);
    assert_non_null(ds);
    assert_int_equal(ds->n, 20000);
    model_desc md;
    assert_int_equal(model_desc_parse(spec, &md, &err), 1);
    model *m = model_create(&md, ds->d, ds->task, ds->n_classes, &err);
    assert_non_null(m);
    const int n = model_param_count(m);
    double *theta = malloc(sizeof(double) * (size_t)n * 4);
    double *g = theta + n, *g1 = g + n, *g2 = g1 + n;
    double *aux = malloc(sizeof(double) * (size_t)(model_aux_count(m) + 1));
    model_init_params(m, 3, theta);
    rng r;
    rng_seed(&r, 9);
    for (int i = 0; i < n; i++)
        theta[i] += 0.3 * rng_normal(&r);
    model_aux_init(m, aux);
    if (model_aux_count(m) > 0)
        model_loss(m, loss, ds, theta, NULL, 0, NULL, aux, 1);
    int *idx = malloc(sizeof(int) * 20000);
    for (int i = 0; i < 20000; i++)
        idx[i] = i;
    double full = model_loss(m, loss, ds, theta, NULL, 0, g, aux, 0);
    double l1 = model_loss(m, loss, ds, theta, idx, 10000, g1, aux, 0);
    double l2 = model_loss(m, loss, ds, theta, idx + 10000, 10000, g2, aux, 0);
    double want = 0.5 * (l1 + l2);
    assert_true(isfinite(full));
    expect_near(full, want, 1e-12 * fabs(want));
    double gmax = 0.0;
    for (int i = 0; i < n; i++)
        gmax = fmax(gmax, fabs(0.5 * (g1[i] + g2[i])));
    for (int i = 0; i < n; i++)
        expect_near(g[i], 0.5 * (g1[i] + g2[i]), 1e-12 * gmax);
    /* through an index list too, and without a gradient */
    double via_idx = model_loss(m, loss, ds, theta, idx, 20000, NULL, aux, 0);
    expect_near(via_idx, want, 1e-12 * fabs(want));
    /* loss and accuracy from one pass: the loss to rounding, the accuracy exactly */
    double la, acc;
    assert_int_equal(model_loss_accuracy(m, loss, ds, theta, aux, &la, &acc), 1);
    expect_near(la, want, 1e-12 * fabs(want));
    assert_true(acc == model_accuracy(m, theta, aux, ds));
    free(idx);
    free(aux);
    free(theta);
    model_destroy(m);
    data_destroy(ds);
}

/* model_loss_accuracy below MODEL_BIG samples: model_loss and model_accuracy bit for
 * bit (the same per-sample losses added in the same order), with moving averages
 * and without (batch statistics), every head. */
static void check_loss_accuracy(const char *data, int classes, const char *spec, loss_kind loss)
{
    diag err = { 0 };
    dataset *ds = data_load(data, 4, classes, &err);
    assert_non_null(ds);
    model_desc md;
    assert_int_equal(model_desc_parse(spec, &md, &err), 1);
    model *m = model_create(&md, ds->d, ds->task, ds->n_classes, &err);
    assert_non_null(m);
    const int n = model_param_count(m);
    double *theta = malloc(sizeof(double) * (size_t)n);
    double *aux = malloc(sizeof(double) * (size_t)(model_aux_count(m) + 1));
    model_init_params(m, 3, theta);
    rng r;
    rng_seed(&r, 11);
    for (int i = 0; i < n; i++)
        theta[i] += 0.3 * rng_normal(&r);
    model_aux_init(m, aux);
    if (model_aux_count(m) > 0)
        model_loss(m, loss, ds, theta, NULL, 0, NULL, aux, 1);
    for (int with_aux = 0; with_aux < 2; with_aux++) {
        double *a = with_aux ? aux : NULL;
        double la, acc;
        assert_int_equal(model_loss_accuracy(m, loss, ds, theta, a, &la, &acc), 1);
        assert_true(la == model_loss(m, loss, ds, theta, NULL, 0, NULL, a, 0));
        assert_true(acc == model_accuracy(m, theta, a, ds));
    }
    free(aux);
    free(theta);
    model_destroy(m);
    data_destroy(ds);
}

static void test_loss_accuracy(void **state)
{
    (void)state;
    check_loss_accuracy("blobs:n=700,k=2", 1, "logistic", LOSS_CE);
    check_loss_accuracy("blobs:n=700,k=2", 1, "logistic", LOSS_MSE);
    check_loss_accuracy("blobs:n=700,k=3", 1, "softmax", LOSS_CE);
    check_loss_accuracy("spiral:n=700,k=3", 1, "softmax", LOSS_MSE);
    check_loss_accuracy("linear:n=700", 0, "linear", LOSS_MSE);
    check_loss_accuracy("moons:n=700", 1, "mlp:hidden=6,act=tanh", LOSS_CE);
    check_loss_accuracy("moons:n=700", 1, "mlp:hidden=5x4,act=relu,bn=1", LOSS_CE);
    check_loss_accuracy("moons:n=700", 1, "mlp:hidden=5,act=sigmoid,bn=1,bn_pos=after", LOSS_MSE);
}

static void test_big_sums(void **state)
{
    (void)state;
    check_big("blobs:n=20000,k=2", 1, "logistic", LOSS_CE);
    check_big("blobs:n=20000,k=2", 1, "logistic:bias=0", LOSS_MSE);
    check_big("blobs:n=20000,k=3", 1, "softmax", LOSS_CE);
    check_big("spiral:n=20000,k=3", 1, "softmax", LOSS_MSE);
    check_big("linear:n=20000", 0, "linear", LOSS_MSE);
    check_big("moons:n=20000", 1, "mlp:hidden=6,act=tanh", LOSS_CE);
    check_big("moons:n=20000", 1, "mlp:hidden=5x4,act=relu,bn=1", LOSS_CE);
}

/* ---- the general path against plain loops (model_net.c) --------------------- */

static double plain_act(model_act a, double z)
{
    switch (a) {
    case ACT_TANH: return tanh(z);
    case ACT_SIGMOID: return sigmoid(z);
    default: return z > 0.0 ? z : 0.0;
    }
}

static double plain_dact(model_act a, double y)
{
    switch (a) {
    case ACT_TANH: return 1.0 - y * y;
    case ACT_SIGMOID: return y * (1.0 - y);
    default: return y > 0.0 ? 1.0 : 0.0;
    }
}

/* model_forward and model_backward (no batch norm) equal the plain loops, each sum
 * bias + w₀x₀ + w₁x₁ + … in unit order, bit for bit: the vectorized loops keep every
 * sum's order (widths from 1 to 37, so every vector tail is taken). */
static void test_net_plain_order(void **state)
{
    (void)state;
    const char *specs[] = { "mlp: hidden=7x9, act=relu", "mlp: hidden=37x5, act=tanh", "mlp: hidden=16, act=sigmoid",
                            "mlp: hidden=32x32x3, act=relu" };
    for (int sp = 0; sp < 4; sp++) {
        const int d = 3, rows = 13;
        model *m = make(specs[sp], d, sp % 2 ? DATA_REGRESSION : DATA_CLASSIFICATION, sp % 2 ? 0 : 3);
        const int np = model_param_count(m), L = m->n_layers;
        double *theta = malloc(sizeof(double) * np), *grad = calloc(np, sizeof(double)),
               *want_g = calloc(np, sizeof(double));
        random_theta(m, 40 + sp, theta);
        double *mem = malloc(model_block_doubles(m, rows) * sizeof(double));
        block b;
        model_block_carve(m, rows, mem, &b);
        rng r;
        rng_seed(&r, 9);
        for (int q = 0; q < rows * d; q++)
            b.in[q] = rng_normal(&r);
        model_forward(m, theta, &b, NULL, 0, 0);
        /* plain forward: every layer's outputs */
        double *a[MODEL_MAX_LAYERS + 1];
        const double *prev = b.in;
        for (int l = 0; l < L; l++) {
            int in = m->width[l], w = m->width[l + 1];
            a[l] = malloc(sizeof(double) * rows * w);
            for (int t = 0; t < rows; t++)
                for (int i = 0; i < w; i++) {
                    double acc = theta[m->b_off[l] + i];
                    for (int j = 0; j < in; j++)
                        acc += theta[m->w_off[l] + i * in + j] * prev[t * in + j];
                    a[l][t * w + i] = l < L - 1 ? plain_act(m->desc.act, acc) : acc;
                }
            assert_memory_equal(a[l], b.a[l], sizeof(double) * rows * w);
            prev = a[l];
        }
        /* plain backward from random deltas at the logits */
        int wl = m->width[L];
        double *delta = malloc(sizeof(double) * rows * 64), *next = malloc(sizeof(double) * rows * 64);
        for (int q = 0; q < rows * wl; q++)
            b.d0[q] = delta[q] = q % 5 == 2 ? 0.0 : rng_normal(&r);   /* zero deltas skipped, as ever */
        model_backward(m, theta, &b, grad, 0);
        for (int l = L - 1; l >= 0; l--) {
            int in = m->width[l], w = m->width[l + 1];
            const double *x = l == 0 ? b.in : a[l - 1];
            for (int t = 0; t < rows; t++)
                for (int i = 0; i < w; i++) {
                    double di = delta[t * w + i];
                    if (di == 0.0)
                        continue;
                    for (int j = 0; j < in; j++)
                        want_g[m->w_off[l] + i * in + j] += di * x[t * in + j];
                    want_g[m->b_off[l] + i] += di;
                }
            if (l == 0)
                break;
            for (int t = 0; t < rows; t++)
                for (int j = 0; j < in; j++) {
                    double acc = 0.0;
                    for (int i = 0; i < w; i++)
                        acc += delta[t * w + i] * theta[m->w_off[l] + i * in + j];
                    next[t * in + j] = acc * plain_dact(m->desc.act, x[t * in + j]);
                }
            double *tmp = delta;
            delta = next;
            next = tmp;
        }
        assert_memory_equal(want_g, grad, sizeof(double) * np);
        for (int l = 0; l < L; l++)
            free(a[l]);
        free(delta);
        free(next);
        free(mem);
        free(theta);
        free(grad);
        free(want_g);
        model_destroy(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_param_names),
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_linear_mse_hand),
        cmocka_unit_test(test_ce_at_zero),
        cmocka_unit_test(test_logistic_huge_logits),
        cmocka_unit_test(test_grad_single_layer),
        cmocka_unit_test(test_grad_mlp_regression),
        cmocka_unit_test(test_grad_mlp_classification),
        cmocka_unit_test(test_bn_train_stats),
        cmocka_unit_test(test_bn_moving_averages),
        cmocka_unit_test(test_eval_chunks),
        cmocka_unit_test(test_mlp_bn_trains_on_moons),
        cmocka_unit_test(test_logistic_trains),
        cmocka_unit_test(test_big_sums),
        cmocka_unit_test(test_loss_accuracy),
        cmocka_unit_test(test_net_plain_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
