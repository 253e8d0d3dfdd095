/*
 * test_landscape.c — planes, grids (every fast path against the generic path),
 * Hessians and Lanczos eigenvalues.
 */
#include "testutil.h"

#include <stdlib.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <string.h>

#include "core/data.h"
#include "core/landscape.h"
#include "core/model.h"
#include "core/landscape_internal.h"
#include "core/rng.h"

/* ---- helpers ------------------------------------------------------------------ */

static double vnorm(int n, const double *a)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += a[i] * a[i];
    return sqrt(s);
}

static double vdot(int n, const double *a, const double *b)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Cyclic Jacobi: a (n×n) destroyed, eigenvalues sorted decreasing into w. */
static void jacobi(int n, double *a, double *w)
{
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0.0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                off += a[i * n + j] * a[i * n + j];
        if (off < 1e-28)
            break;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) {
                double apq = a[p * n + q];
                if (apq == 0.0)
                    continue;
                double th = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                double t = (th >= 0 ? 1.0 : -1.0) / (fabs(th) + sqrt(th * th + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int k = 0; k < n; k++) {
                    double x = a[k * n + p], y = a[k * n + q];
                    a[k * n + p] = c * x - s * y;
                    a[k * n + q] = s * x + c * y;
                }
                for (int k = 0; k < n; k++) {
                    double x = a[p * n + k], y = a[q * n + k];
                    a[p * n + k] = c * x - s * y;
                    a[q * n + k] = s * x + c * y;
                }
            }
    }
    for (int i = 0; i < n; i++)
        w[i] = a[i * n + i];
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (w[j] > w[i]) {
                double t = w[i];
                w[i] = w[j];
                w[j] = t;
            }
}

typedef struct problem {
    dataset *ds;
    model *m;
    model_objective_ctx ctx;
    objective obj;
    double *theta;
} problem;

/* The data set's two features widened to d (> 2) by smooth functions of them
 * (x1 x2, x1², sin x2, 1 + x1/2, ...), so paths that depend on the number of inputs
 * are reached with the generators' two-feature data. */
static void widen_features(dataset *ds, int d)
{
    double *x = malloc(sizeof(double) * (size_t)ds->n * (size_t)d);
    assert_non_null(x);
    for (int r = 0; r < ds->n; r++) {
        const double a = ds->x[2 * r], b = ds->x[2 * r + 1];
        const double f[10] = { a, b, a * b, a * a, sin(b), 1.0 + 0.5 * a, b * b - a,
                               cos(a + b), 0.3 * a - 2.0 * b, a * a * b };
        for (int e = 0; e < d; e++)
            x[(size_t)r * d + e] = f[e % 10] + 0.01 * (e / 10);
    }
    free(ds->x);
    ds->x = x;
    ds->d = d;
}

/* problem_init with the inputs widened to d features (0: as loaded) */
static void problem_init_d(problem *p, const char *data, int classes, model_desc md,
                           loss_kind loss, uint64_t seed, int d)
{
    diag err = { 0 };
    p->ds = data_load(data, seed, classes, &err);
    assert_non_null(p->ds);
    if (d > p->ds->d)
        widen_features(p->ds, d);
    p->m = model_create(&md, p->ds->d, p->ds->task, p->ds->n_classes, &err);
    assert_non_null(p->m);
    p->ctx = (model_objective_ctx){ .model = p->m, .data = p->ds, .loss = loss };
    p->obj = model_objective(&p->ctx);
    p->theta = malloc(sizeof(double) * p->obj.n);
    model_init_params(p->m, seed, p->theta);
    rng r;
    rng_seed(&r, seed + 11);
    for (int i = 0; i < p->obj.n; i++)
        p->theta[i] += 0.5 * rng_normal(&r);
}

static void problem_init(problem *p, const char *data, int classes, model_desc md, loss_kind loss,
                         uint64_t seed)
{
    problem_init_d(p, data, classes, md, loss, seed, 0);
}

static void problem_free(problem *p)
{
    free(p->theta);
    model_destroy(p->m);
    data_destroy(p->ds);
}

/* ---- planes ------------------------------------------------------------------- */

static void test_plane_identity(void **state)
{
    (void)state;
    assert_null(plane_create_identity(3));
    plane *p = plane_create_identity(2);
    assert_non_null(p);
    assert_int_equal(p->kind, PLANE_IDENTITY);
    double th[2], ab[2];
    plane_point(p, 1.25, -3.5, th);
    expect_near(th[0], 1.25, 0);
    expect_near(th[1], -3.5, 0);
    plane_project(p, th, ab);
    expect_near(ab[0], 1.25, 1e-15);
    expect_near(ab[1], -3.5, 1e-15);
    plane_destroy(p);
    plane_destroy(NULL);
}

static void test_plane_params(void **state)
{
    (void)state;
    double o[5] = { 1, 2, 3, 4, 5 };
    assert_null(plane_create_params(o, 5, 1, 1));
    assert_null(plane_create_params(o, 5, 0, 5));
    plane *p = plane_create_params(o, 5, 3, 1);
    assert_non_null(p);
    double th[5], ab[2];
    plane_point(p, 0.5, -2, th);
    double want[5] = { 1, 0, 3, 4.5, 5 };
    for (int i = 0; i < 5; i++)
        expect_near(th[i], want[i], 1e-15);
    plane_project(p, th, ab);
    expect_near(ab[0], 0.5, 1e-14);
    expect_near(ab[1], -2, 1e-14);
    plane_destroy(p);
}

static void test_plane_random_filters(void **state)
{
    (void)state;
    problem pr;
    model_desc md = { 0 };
    diag err = { 0 };
    assert_int_equal(model_desc_parse("mlp:hidden=5x3,act=tanh,bn=1", &md, &err), 1);
    problem_init(&pr, "moons:n=64", 1, md, LOSS_CE, 3);
    const int n = pr.obj.n;
    plane *p = plane_create_random(pr.theta, n, pr.m, 42);
    assert_non_null(p);
    assert_int_equal(p->kind, PLANE_RANDOM);
    int nf = model_filter_count(pr.m), covered = 0, weights = 0;
    for (int f = 0; f < nf; f++) {
        int off, len, w;
        model_filter(pr.m, f, &off, &len, &w);
        covered += len;
        for (const double *d = p->d1; d; d = d == p->d1 ? p->d2 : NULL) {
            if (w)
                expect_close(vnorm(len, d + off), vnorm(len, pr.theta + off), 1e-12);
            else
                for (int k = 0; k < len; k++)
                    expect_near(d[off + k], 0.0, 0.0);
        }
        weights += w;
    }
    assert_int_equal(covered, n);
    assert_int_equal(weights, 5 + 3 + 2);
    /* the two directions differ; the same seed gives the same plane */
    assert_true(fabs(vdot(n, p->d1, p->d2)) < 0.9 * vnorm(n, p->d1) * vnorm(n, p->d2));
    plane *q = plane_create_random(pr.theta, n, pr.m, 42);
    assert_memory_equal(p->d1, q->d1, sizeof(double) * n);
    plane_destroy(q);
    /* no model: θ is one filter */
    q = plane_create_random(pr.theta, n, NULL, 5);
    expect_close(vnorm(n, q->d1), vnorm(n, pr.theta), 1e-12);
    expect_close(vnorm(n, q->d2), vnorm(n, pr.theta), 1e-12);
    plane_destroy(q);
    plane_destroy(p);
    problem_free(&pr);
}

static void test_plane_pca(void **state)
{
    (void)state;
    enum { N = 12, COUNT = 40 };
    rng r;
    rng_seed(&r, 9);
    double o[N], e1[N], e2[N], pts[COUNT * N];
    for (int i = 0; i < N; i++) {
        o[i] = rng_normal(&r);
        e1[i] = rng_normal(&r);
        e2[i] = rng_normal(&r);
    }
    double n1 = vnorm(N, e1);
    for (int i = 0; i < N; i++)
        e1[i] /= n1;
    double c = vdot(N, e1, e2);
    for (int i = 0; i < N; i++)
        e2[i] -= c * e1[i];
    double n2 = vnorm(N, e2);
    for (int i = 0; i < N; i++)
        e2[i] /= n2;
    for (int k = 0; k < COUNT; k++) {
        /* zero sample cross-moment, so e1 and e2 are exactly the principal axes */
        double a = 3.0 * cos(2.0 * M_PI * k / COUNT), b = sin(2.0 * M_PI * k / COUNT);
        for (int i = 0; i < N; i++)
            pts[k * N + i] = o[i] + a * e1[i] + b * e2[i];
    }
    plane *p = plane_create_pca(o, N, pts, COUNT);
    assert_non_null(p);
    assert_int_equal(p->kind, PLANE_PCA);
    expect_near(fabs(vdot(N, p->d1, e1)), 1.0, 1e-10);
    expect_near(fabs(vdot(N, p->d2, e2)), 1.0, 1e-10);
    expect_near(p->explained[0] + p->explained[1], 1.0, 1e-10);
    assert_true(p->explained[0] > p->explained[1]);
    /* every point is on the plane: point(project(θ)) = θ */
    for (int k = 0; k < COUNT; k += 7) {
        double ab[2], th[N];
        plane_project(p, pts + k * N, ab);
        plane_point(p, ab[0], ab[1], th);
        for (int i = 0; i < N; i++)
            expect_near(th[i], pts[k * N + i], 1e-11);
    }
    plane_destroy(p);
    /* points on a line through the origin, or too few: no plane */
    for (int k = 0; k < COUNT; k++)
        for (int i = 0; i < N; i++)
            pts[k * N + i] = o[i] + (k - 5.0) * e1[i];
    assert_null(plane_create_pca(o, N, pts, COUNT));
    assert_null(plane_create_pca(o, N, pts, 2));
}

/* plane_create_pca's covariance product as it was written (two passes, one row at a
 * time), the reference for the one-pass, blocked product (landscape_plane.c). */
typedef struct ref_pca {
    int n, count;
    const double *pts, *origin;
    double *tmp;
} ref_pca;

static void ref_pca_matvec(void *vctx, const double *v, double *out)
{
    const ref_pca *c = vctx;
    const int n = c->n;
    for (int k = 0; k < c->count; k++) {
        const double *pk = c->pts + (size_t)k * n;
        double s = 0.0;
        for (int e = 0; e < n; e++)
            s += (pk[e] - c->origin[e]) * v[e];
        c->tmp[k] = s;
    }
    memset(out, 0, (size_t)n * sizeof *out);
    for (int k = 0; k < c->count; k++) {
        const double *pk = c->pts + (size_t)k * n;
        double s = c->tmp[k] / c->count;
        for (int e = 0; e < n; e++)
            out[e] += (pk[e] - c->origin[e]) * s;
    }
}

/* The PCA plane of trajectory-like points (a drift, two oscillations and noise) is
 * the one the straightforward covariance product gives, bit for bit: counts that
 * leave every remainder of the 8- and 4-row blocks, lesson 9's size among them. */
static void test_plane_pca_same(void **state)
{
    (void)state;
    static const int sizes[][2] = { { 77, 203 }, { 1218, 861 }, { 33, 9 }, { 5, 12 }, { 64, 70 } };
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        int n = sizes[t][0], count = sizes[t][1];
        rng r;
        rng_seed(&r, 100 + t);
        double *o = malloc((size_t)n * sizeof *o), *pts = malloc((size_t)n * count * sizeof *pts);
        double *dir = malloc(3 * (size_t)n * sizeof *dir);
        double *tmp = malloc((size_t)count * sizeof *tmp), *vecs = malloc(2 * (size_t)n * sizeof *vecs);
        double vals[64];
        assert_true(o && pts && dir && tmp && vecs);
        for (int i = 0; i < n; i++)
            o[i] = rng_normal(&r);
        for (int i = 0; i < 3 * n; i++)
            dir[i] = rng_normal(&r);
        for (int k = 0; k < count; k++)
            for (int i = 0; i < n; i++)
                pts[(size_t)k * n + i] = o[i] + 0.01 * k * dir[i] + sin(0.1 * k) * dir[n + i] +
                                         0.3 * cos(0.37 * k) * dir[2 * n + i] + 0.01 * rng_normal(&r);
        plane *p = plane_create_pca(o, n, pts, count);
        assert_non_null(p);
        /* the reference: plane_create_pca's steps with the two-pass product */
        int iters = n < 64 ? n : 64;
        if (iters > count + 2)
            iters = count + 2 < n ? count + 2 : n;
        ref_pca c = { n, count, pts, o, tmp };
        int m = landscape_lanczos(n, ref_pca_matvec, &c, iters, 0x5ca1ab1eu, vals, vecs, 2);
        assert_true(m >= 2);
        for (int k = 0; k < 2; k++) {
            unit_direction(n, vecs + (size_t)k * n, dir);   /* dir is free again: reuse it */
            assert_memory_equal(k ? p->d2 : p->d1, dir, (size_t)n * sizeof *dir);
        }
        plane_destroy(p);
        free(o), free(pts), free(dir), free(tmp), free(vecs);
    }
}

static void test_plane_project(void **state)
{
    (void)state;
    enum { N = 7 };
    double o[N];
    rng r;
    rng_seed(&r, 1);
    for (int i = 0; i < N; i++)
        o[i] = rng_normal(&r);
    plane *p = plane_create_random(o, N, NULL, 77);
    double ab[2], th[N];
    const double pts[3][2] = { { 0.3, -1.7 }, { 12, 5 }, { -1e-3, 2e-3 } };
    for (int k = 0; k < 3; k++) {
        plane_point(p, pts[k][0], pts[k][1], th);
        plane_project(p, th, ab);
        expect_close(ab[0], pts[k][0], 1e-12);
        expect_close(ab[1], pts[k][1], 1e-12);
    }
    /* d2 ∥ d1: the least-squares answer along d1, nothing along d2 */
    for (int i = 0; i < N; i++)
        p->d2[i] = -2.0 * p->d1[i];
    plane_point(p, 1.5, 0.25, th); /* = origin + 1.0 d1 */
    plane_project(p, th, ab);
    expect_near(ab[0], 1.0, 1e-12);
    expect_near(ab[1], 0.0, 0.0);
    assert_true(isfinite(ab[0]));
    plane_destroy(p);
}

/* ---- grids -------------------------------------------------------------------- */

enum { GX = 9, GY = 7 };

/* The fast path (desc with model) against the generic one (desc without), and the
 * value at two grid points against model_loss directly. */
static void check_grid(problem *pr, loss_kind loss, const plane *pl, const int *idx, int count,
                       const landscape_stats *st)
{
    landscape_desc g = { .obj = &pr->obj, .plane = pl, .model = pr->m, .data = pr->ds,
                         .loss = loss, .idx = idx, .count = count,
                         .dom = { -1.5, 2.0, -1.0, 1.25 }, .nx = GX, .ny = GY, .stats = st };
    double fast[GX * GY], slow[GX * GY];
    assert_int_equal(landscape_eval_grid(&g, fast), 1);
    g.model = NULL;
    g.data = NULL;
    assert_int_equal(landscape_eval_grid(&g, slow), 1);
    for (int q = 0; q < GX * GY; q++) {
        assert_true(isfinite(fast[q]));
        expect_near(fast[q], slow[q], 1e-9 * fabs(slow[q]) + 1e-300);
    }
    const int corners[2][2] = { { 0, 0 }, { GX - 1, 3 } };
    double *th = malloc(sizeof(double) * pr->obj.n);
    for (int k = 0; k < 2; k++) {
        int i = corners[k][0], j = corners[k][1];
        double a = i == GX - 1 ? 2.0 : -1.5 + i * 3.5 / (GX - 1);
        double b = -1.0 + j * 2.25 / (GY - 1);
        plane_point(pl, a, b, th);
        double want = model_loss(pr->m, loss, pr->ds, th, idx, count, NULL, NULL, 0);
        expect_near(fast[j * GX + i], want, 1e-9 * fabs(want));
    }
    free(th);
}

static void check_model(const char *data, int classes, const char *spec, loss_kind loss)
{
    problem pr;
    model_desc md = { 0 };
    diag err = { 0 };
    assert_int_equal(model_desc_parse(spec, &md, &err), 1);
    problem_init(&pr, data, classes, md, loss, 17);
    plane *pl = plane_create_random(pr.theta, pr.obj.n, pr.m, 5);
    /* random directions zero the biases: also a plane that moves them */
    plane *pl2 = plane_create_random(pr.theta, pr.obj.n, NULL, 6);
    check_grid(&pr, loss, pl, NULL, 0, NULL);
    check_grid(&pr, loss, pl2, NULL, 0, NULL);
    int idx[13];
    for (int k = 0; k < 13; k++)
        idx[k] = (k * 37 + 5) % pr.ds->n;
    check_grid(&pr, loss, pl2, idx, 13, NULL);
    if (model_get_desc(pr.m)->kind == MODEL_LINEAR) {
        landscape_stats *st = landscape_stats_create(pr.m, pr.ds, NULL, 0);
        assert_non_null(st);
        check_grid(&pr, loss, pl2, NULL, 0, st);
        landscape_stats_destroy(st);
        st = landscape_stats_create(pr.m, pr.ds, idx, 13);
        check_grid(&pr, loss, pl2, idx, 13, st);
        landscape_stats_destroy(st);
    }
    plane_destroy(pl);
    plane_destroy(pl2);
    problem_free(&pr);
}

static void test_grid_linear_mse(void **state)
{
    (void)state;
    check_model("linear:n=300", 0, "linear", LOSS_MSE);
    check_model("linear:n=300", 0, "linear:bias=0", LOSS_MSE);
    check_model("scales:n=200", 0, "linear", LOSS_MSE);
}

static void test_grid_logistic(void **state)
{
    (void)state;
    check_model("blobs:n=301,k=2", 1, "logistic", LOSS_CE);   /* 301: a partial block */
    check_model("moons:n=64", 1, "logistic:bias=0", LOSS_CE);
    check_model("blobs:n=200,k=2", 1, "logistic", LOSS_MSE);
}

static void test_grid_softmax(void **state)
{
    (void)state;
    check_model("blobs:n=150,k=3", 1, "softmax", LOSS_CE);
    check_model("spiral:n=90,k=3", 1, "softmax:bias=0", LOSS_MSE);
}

static void test_grid_generic_mlp(void **state)
{
    (void)state;
    check_model("moons:n=50", 1, "mlp:hidden=4,act=tanh", LOSS_CE);
}

/* The mlp path (landscape_mlp.c) against the generic path — model_loss at every
 * plane point — within 1e-12 relative: every activation, no batch norm, batch norm
 * before and after the activation, evaluation mode with moving averages (after a
 * few training steps, so they are not the initial 0 and 1) and with batch
 * statistics (aux NULL), random planes (filter-normalized, and plain ones that move
 * biases, γ and β too), all samples and a subset, classes (ce and mse, 2 and 3
 * classes) and regression. 333 samples: more than one chunk of 256, a partial
 * block of 32. */
static void check_mlp_d(const char *data, int d, int classes, const char *spec, loss_kind loss,
                        uint64_t seed)
{
    problem pr;
    model_desc md = { 0 };
    diag err = { 0 };
    assert_int_equal(model_desc_parse(spec, &md, &err), 1);
    problem_init_d(&pr, data, classes, md, loss, seed, d);
    double *aux = malloc(sizeof(double) * (size_t)(pr.obj.n_aux + 1));
    model_aux_init(pr.m, aux);
    for (int k = 0; k < 3; k++) /* moving averages of three batches */
        model_loss(pr.m, loss, pr.ds, pr.theta, NULL, 0, NULL, aux, 1);
    int idx[45];
    for (int k = 0; k < 45; k++)
        idx[k] = (k * 37 + 5) % pr.ds->n;
    double fast[GX * GY], slow[GX * GY];
    for (int pk = 0; pk < 2; pk++) {
        plane *pl = plane_create_random(pr.theta, pr.obj.n, pk ? NULL : pr.m, seed + 3 + pk);
        for (int mode = 0; mode < 4; mode++) {
            landscape_desc g = { .obj = &pr.obj, .plane = pl, .model = pr.m, .data = pr.ds,
                                 .loss = loss, .aux = mode & 1 ? aux : NULL,
                                 .idx = mode & 2 ? idx : NULL, .count = mode & 2 ? 45 : 0,
                                 .dom = { -1.5, 2.0, -1.0, 1.25 }, .nx = GX, .ny = GY };
            assert_int_equal(landscape_eval_grid(&g, fast), 1);
            g.generic = 1;
            assert_int_equal(landscape_eval_grid(&g, slow), 1);
            for (int q = 0; q < GX * GY; q++) {
                assert_true(isfinite(slow[q]));
                if (!(fabs(fast[q] - slow[q]) <= 1e-12 * fabs(slow[q])))
                    fprintf(stderr, "%s %s, plane %d, mode %d, point %d:\n", data, spec, pk,
                            mode, q);
                expect_near(fast[q], slow[q], 1e-12 * fabs(slow[q]));
            }
        }
        plane_destroy(pl);
    }
    free(aux);
    problem_free(&pr);
}

static void check_mlp(const char *data, int classes, const char *spec, loss_kind loss,
                      uint64_t seed)
{
    check_mlp_d(data, 0, classes, spec, loss, seed);
}

static void test_grid_mlp(void **state)
{
    (void)state;
    const char *acts[3] = { "relu", "tanh", "sigmoid" };
    const char *bns[3] = { "bn=0", "bn=1", "bn=1,bn_pos=after" };
    char spec[96];
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            snprintf(spec, sizeof spec, "mlp:hidden=16x16,act=%s,%s", acts[a], bns[b]);
            check_mlp("moons:n=333,noise=0.1", 1, spec, LOSS_CE, 20 + (uint64_t)(3 * a + b));
        }
    check_mlp("blobs:n=120,k=3", 1, "mlp:hidden=5x7x3,act=tanh,bn=1", LOSS_CE, 41);
    check_mlp("spiral:n=90,k=3", 1, "mlp:hidden=6,act=sigmoid,bn=1", LOSS_MSE, 42);
    check_mlp("moons:n=100", 1, "mlp:hidden=9x4,act=relu", LOSS_MSE, 43);
    check_mlp("linear:n=200", 0, "mlp:hidden=8x8,act=tanh,bn=1", LOSS_MSE, 44);
    check_mlp("linear:n=300", 0, "mlp:hidden=3,act=relu,bn=1,bn_pos=after", LOSS_MSE, 45);
    /* one hidden layer into the two-class head; the first layer from the inputs
     * (up to 4), from the three products with the inputs' moments (up to 8), from
     * the products with the batch's own statistics (more) */
    check_mlp("moons:n=200", 1, "mlp:hidden=7,act=relu,bn=1", LOSS_CE, 46);
    check_mlp_d("moons:n=150", 3, 1, "mlp:hidden=6x5,act=tanh,bn=1", LOSS_CE, 47);
    check_mlp_d("moons:n=150", 6, 1, "mlp:hidden=6x5,act=relu,bn=1", LOSS_CE, 48);
    check_mlp_d("blobs:n=100,k=3", 6, 1, "mlp:hidden=5x4,act=sigmoid", LOSS_CE, 49);
    check_mlp_d("moons:n=150", 11, 1, "mlp:hidden=6x5,act=relu,bn=1", LOSS_CE, 50);
    /* more samples than one run of the two-class head's products (PRODUCT_RUN) */
    check_mlp("moons:n=1100", 1, "mlp:hidden=4x3,act=relu,bn=1", LOSS_CE, 51);
}

/* A grid split into bands of rows (row0, rows: what app/mpi_grid.c gives each MPI
 * rank) joins to the whole grid bit for bit, on every path: the quadratic, the
 * logistic recurrence (nx ≥ its 8-point passes), softmax, the mlp path with batch
 * norm, the generic path, and an analytic surface; a band outside the grid fails. */
static void check_bands(const char *data, int classes, const char *spec, loss_kind loss, int generic)
{
    enum { BX = 61, BY = 11 };
    problem pr;
    model_desc md = { 0 };
    diag err = { 0 };
    assert_int_equal(model_desc_parse(spec, &md, &err), 1);
    problem_init(&pr, data, classes, md, loss, 7);
    plane *pl = plane_create_random(pr.theta, pr.obj.n, NULL, 9);
    landscape_desc g = { .obj = &pr.obj, .plane = pl, .model = pr.m, .data = pr.ds, .loss = loss,
                         .dom = { -1.5, 2.0, -1.0, 1.25 }, .nx = BX, .ny = BY, .generic = generic };
    static double whole[BX * BY], part[BX * BY];
    assert_int_equal(landscape_eval_grid(&g, whole), 1);
    const int cuts[][2] = { { 0, 4 }, { 4, 4 }, { 8, 3 }, { 0, 11 }, { 10, 1 }, { 5, 1 } };
    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
        for (int q = 0; q < BX * BY; q++)
            part[q] = -7.0;
        g.row0 = cuts[c][0];
        g.rows = cuts[c][1];
        assert_int_equal(landscape_eval_grid(&g, part), 1);
        assert_memory_equal(part, whole + (size_t)g.row0 * BX, sizeof(double) * BX * (size_t)g.rows);
        assert_true(g.rows == BY || part[BX * g.rows] == -7.0);   /* nothing past the band */
    }
    g.row0 = 9;
    g.rows = 3; /* past the last row */
    assert_int_equal(landscape_eval_grid(&g, part), 0);
    g.row0 = -1;
    g.rows = 2;
    assert_int_equal(landscape_eval_grid(&g, part), 0);
    plane_destroy(pl);
    problem_free(&pr);
}

static void test_grid_bands(void **state)
{
    (void)state;
    check_bands("linear:n=300", 0, "linear", LOSS_MSE, 0);
    check_bands("moons:n=301", 1, "logistic", LOSS_CE, 0);
    check_bands("blobs:n=150,k=3", 1, "softmax", LOSS_CE, 0);
    check_bands("moons:n=333", 1, "mlp:hidden=8x8,act=tanh,bn=1", LOSS_CE, 0);
    check_bands("moons:n=50", 1, "mlp:hidden=4,act=relu", LOSS_CE, 1);
    /* an analytic surface through surface_eval_rows */
    surface s;
    assert_int_equal(surface_init(&s, "sin(x)*cos(3*y)+x^2/3", &(diag){ 0 }), 1);
    surface_domain dom = { -2.0, 3.0, -1.0, 2.0 };
    static double whole[33 * 9], part[33 * 9];
    surface_eval_grid(&s, dom, 33, 9, whole, NULL);
    surface_eval_rows(&s, dom, 33, 9, 3, 5, part, NULL);
    assert_memory_equal(part, whole + 3 * 33, sizeof(double) * 33 * 5);
    surface_free(&s);
}

/* Large logits: the fast logistic path stays finite and exact where e^z overflows. */
static void test_grid_logistic_extreme(void **state)
{
    (void)state;
    problem pr;
    model_desc md = { .kind = MODEL_LOGISTIC, .no_bias = 1 };
    problem_init(&pr, "blobs:n=100,k=2", 1, md, LOSS_CE, 2);
    plane *pl = plane_create_identity(2);
    landscape_desc g = { .obj = &pr.obj, .plane = pl, .model = pr.m, .data = pr.ds,
                         .loss = LOSS_CE, .dom = { -300, 300, -300, 300 }, .nx = 5, .ny = 5 };
    double fast[25], slow[25];
    assert_int_equal(landscape_eval_grid(&g, fast), 1);
    g.model = NULL;
    assert_int_equal(landscape_eval_grid(&g, slow), 1);
    /* where every sample is classified with a huge margin both are ~0 (the generic
     * path rounds (z + e^−z) − z to 0; the fast one keeps e^−z): compare absolutely */
    for (int q = 0; q < 25; q++) {
        assert_true(isfinite(fast[q]));
        expect_near(fast[q], slow[q], 1e-9 * fabs(slow[q]) + 1e-12);
    }
    plane_destroy(pl);
    problem_free(&pr);
}

/* ---- Hessians and eigenvalues ---------------------------------------------------- */

enum { QN = 20 };
typedef struct quad {
    double a[QN * QN];
    double b[QN];
} quad;

/* f = ½ θᵀAθ + bᵀθ + ¼ Σθ⁴·0 (pure quadratic) */
static double quad_eval(const void *ctx, const double *th, const int *idx, int count, double *g,
                        double *aux, int train)
{
    (void)idx, (void)count, (void)aux, (void)train;
    const quad *q = ctx;
    double f = 0.0;
    for (int i = 0; i < QN; i++) {
        double ai = vdot(QN, q->a + i * QN, th);
        f += 0.5 * th[i] * ai + q->b[i] * th[i];
        if (g)
            g[i] = ai + q->b[i];
    }
    return f;
}

static const double quad_eigs[QN] = { 9.0, 7.5, 6.0, 4.0, 3.5, 3.0, 2.0, 1.5, 1.0, 0.5,
                                      0.25, 0.1, 0.0, -0.2, -0.5, -1.0, -2.0, -3.0, -4.0, -6.0 };

static void quad_init(quad *q)
{
    /* A = Q diag Qᵀ with Q from Gram–Schmidt on random vectors */
    rng r;
    rng_seed(&r, 21);
    double qm[QN * QN];
    for (int k = 0; k < QN; k++) {
        double *v = qm + k * QN;
        for (int i = 0; i < QN; i++)
            v[i] = rng_normal(&r);
        for (int l = 0; l < k; l++) {
            double c = vdot(QN, v, qm + l * QN);
            for (int i = 0; i < QN; i++)
                v[i] -= c * qm[l * QN + i];
        }
        double nv = vnorm(QN, v);
        for (int i = 0; i < QN; i++)
            v[i] /= nv;
    }
    for (int i = 0; i < QN; i++) {
        q->b[i] = rng_normal(&r);
        for (int j = 0; j < QN; j++) {
            double s = 0.0;
            for (int k = 0; k < QN; k++)
                s += qm[k * QN + i] * quad_eigs[k] * qm[k * QN + j];
            q->a[i * QN + j] = s;
        }
    }
}

static void test_hessian_quadratic(void **state)
{
    (void)state;
    static quad q;
    quad_init(&q);
    objective o = { .n = QN, .ctx = &q, .eval = quad_eval };
    double th[QN];
    for (int i = 0; i < QN; i++)
        th[i] = 0.3 * i - 2.0;
    static double h[QN * QN];
    assert_int_equal(landscape_hessian(&o, th, NULL, 0, NULL, h), 1);
    for (int i = 0; i < QN * QN; i++)
        expect_near(h[i], q.a[i], 1e-8);
    for (int i = 0; i < QN; i++)
        for (int j = 0; j < QN; j++)
            expect_near(h[i * QN + j], h[j * QN + i], 0.0);
    double lam[4];
    assert_int_equal(landscape_top_eigs(&o, th, NULL, 0, NULL, 4, lam, QN), 4);
    for (int k = 0; k < 4; k++)
        expect_near(lam[k], quad_eigs[k], 1e-6 * fabs(quad_eigs[k]));
    /* fewer iterations still get the sharpness well */
    assert_int_equal(landscape_top_eigs(&o, th, NULL, 0, NULL, 1, lam, 15), 1);
    expect_near(lam[0], 9.0, 1e-3);
}

static void test_hessian_mlp(void **state)
{
    (void)state;
    problem pr;
    model_desc md = { 0 };
    diag err = { 0 };
    assert_int_equal(model_desc_parse("mlp:hidden=4,act=tanh", &md, &err), 1);
    problem_init(&pr, "moons:n=40", 1, md, LOSS_CE, 4);
    const int n = pr.obj.n;
    double *h = malloc(sizeof(double) * n * n);
    double *w = malloc(sizeof(double) * n);
    assert_int_equal(landscape_hessian(&pr.obj, pr.theta, NULL, 0, NULL, h), 1);
    /* compare with a one-sided check of one column */
    jacobi(n, h, w);
    double lam[3];
    assert_int_equal(landscape_top_eigs(&pr.obj, pr.theta, NULL, 0, NULL, 3, lam, n), 3);
    for (int k = 0; k < 3; k++)
        expect_near(lam[k], w[k], 1e-5 * fmax(1.0, fabs(w[0])));
    /* on a mini-batch */
    int idx[8] = { 1, 3, 5, 7, 11, 13, 17, 19 };
    assert_int_equal(landscape_hessian(&pr.obj, pr.theta, idx, 8, NULL, h), 1);
    jacobi(n, h, w);
    assert_int_equal(landscape_top_eigs(&pr.obj, pr.theta, idx, 8, NULL, 2, lam, n), 2);
    expect_near(lam[0], w[0], 1e-5 * fmax(1.0, fabs(w[0])));
    expect_near(lam[1], w[1], 1e-5 * fmax(1.0, fabs(w[0])));
    free(h);
    free(w);
    problem_free(&pr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plane_identity),
        cmocka_unit_test(test_plane_params),
        cmocka_unit_test(test_plane_random_filters),
        cmocka_unit_test(test_plane_pca),
        cmocka_unit_test(test_plane_pca_same),
        cmocka_unit_test(test_plane_project),
        cmocka_unit_test(test_grid_linear_mse),
        cmocka_unit_test(test_grid_logistic),
        cmocka_unit_test(test_grid_softmax),
        cmocka_unit_test(test_grid_generic_mlp),
        cmocka_unit_test(test_grid_mlp),
        cmocka_unit_test(test_grid_bands),
        cmocka_unit_test(test_grid_logistic_extreme),
        cmocka_unit_test(test_hessian_quadratic),
        cmocka_unit_test(test_hessian_mlp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
