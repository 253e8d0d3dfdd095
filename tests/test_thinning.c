/*
 * test_thinning.c — the trainer's history thinning (trainer.c: history_compact)
 * keeps exactly the points the original rule kept.
 *
 * The original rule (6d3fdc1: every coordinate's range read column by column, the
 * theta rows moved down in place) is written out here as the reference. A trainer
 * with a noisy objective in N dimensions steps; after every step the test appends
 * the trainer's newest point to its own history, thins that with the reference
 * when it is full, and compares: the same steps, losses, rates and θ, bit for bit.
 * Whatever the trainer does to make thinning cheaper (row-wise ranges kept up to
 * date while pushing, rows not moved, the work spread over the steps that follow),
 * a history in which no thinning is pending must be exactly this one; and while a
 * spread thinning is pending (trainer_set_spread_thinning), the history is the one
 * before that thinning with the newer points after it.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/objective.h"
#include "core/optim.h"
#include "core/trainer.h"

/* ==== A noisy objective in N dimensions ==================================== */

enum { N = 37, NS = 16 };

/* L(θ; idx) = mean over i in idx of Σ_k a_k (θ_k − c_ik)² + ¼ sin(θ_k θ_{k+1}):
 * curved valleys, and mini-batch noise from the sample centres. */
static double noisy_eval(const void *ctx, const double *theta, const int *idx, int count,
                         double *grad, double *aux, int train)
{
    (void)ctx, (void)aux, (void)train;
    int m = idx ? count : NS;
    double l = 0;
    if (grad)
        memset(grad, 0, N * sizeof *grad);
    for (int j = 0; j < m; j++) {
        int i = idx ? idx[j] : j;
        for (int k = 0; k < N; k++) {
            double a = 0.2 + 0.05 * k, c = 0.3 * sin(1.7 * i + 0.9 * k) + 0.1 * k;
            double d = theta[k] - c, kn = theta[(k + 1) % N];
            l += a * d * d + 0.25 * sin(theta[k] * kn);
            if (grad) {
                grad[k] += 2 * a * d + 0.25 * cos(theta[k] * kn) * kn;
                grad[(k + 1) % N] += 0.25 * cos(theta[k] * kn) * theta[k];
            }
        }
    }
    if (grad)
        for (int k = 0; k < N; k++)
            grad[k] /= m;
    return l / m;
}

/* ==== The reference: the original rule ====================================== */

typedef struct ref_hist {
    int cap, c, room;        /* room: points it can hold (cap, or more for the unthinned copy) */
    trainer_point *h;
    double *th;              /* cap × N */
    double *sig;
    int *prev, *next, *heap, *hpos;
} ref_hist;

typedef struct ref_scale {
    double th, l, lr, st;
    int logl, loglr;
} ref_scale;

static void ref_coords(const ref_hist *r, int j, const ref_scale *sc, double *l, double *lr,
                       double *st)
{
    *st = (double)r->h[j].step / sc->st;
    *l = sc->logl ? log10(r->h[j].loss) : r->h[j].loss;
    *lr = sc->loglr ? log10(r->h[j].lr) : r->h[j].lr;
    *l /= sc->l;
    *lr /= sc->lr;
}

static double ref_dev(const ref_hist *r, int a, int b, int j, const ref_scale *sc)
{
    const double *A = r->th + (size_t)a * N, *B = r->th + (size_t)b * N, *P = r->th + (size_t)j * N;
    double la, lb, lp, ra, rb, rp, sa, sb, sp;
    ref_coords(r, a, sc, &la, &ra, &sa);
    ref_coords(r, b, sc, &lb, &rb, &sb);
    ref_coords(r, j, sc, &lp, &rp, &sp);
    double ab2 = 0, apab = 0;
    for (int k = 0; k < N; k++) {
        double d = (B[k] - A[k]) / sc->th, e = (P[k] - A[k]) / sc->th;
        ab2 += d * d;
        apab += d * e;
    }
    double dl = lb - la, el = lp - la, dr = rb - ra, er = rp - ra, ds = sb - sa, es = sp - sa;
    ab2 += dl * dl + dr * dr + ds * ds;
    apab += dl * el + dr * er + ds * es;
    double u = ab2 > 0 ? apab / ab2 : 0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    double d2 = 0;
    for (int k = 0; k < N; k++) {
        double e = (P[k] - A[k]) / sc->th - u * (B[k] - A[k]) / sc->th;
        d2 += e * e;
    }
    double e = el - u * dl, f = er - u * dr, g = es - u * ds;
    return sqrt(d2 + e * e + f * f + g * g);
}

static void ref_swap(ref_hist *r, int a, int b)
{
    int t = r->heap[a];
    r->heap[a] = r->heap[b];
    r->heap[b] = t;
    r->hpos[r->heap[a]] = a;
    r->hpos[r->heap[b]] = b;
}

static void ref_fix(ref_hist *r, int n, int i)
{
    while (i > 0 && r->sig[r->heap[i]] < r->sig[r->heap[(i - 1) / 2]]) {
        ref_swap(r, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < n && r->sig[r->heap[l]] < r->sig[r->heap[m]])
            m = l;
        if (l + 1 < n && r->sig[r->heap[l + 1]] < r->sig[r->heap[m]])
            m = l + 1;
        if (m == i)
            return;
        ref_swap(r, i, m);
        i = m;
    }
}

static void ref_compact(ref_hist *r)
{
    int c = r->c, n = N;
    ref_scale sc = { 0, 1, 1, 1, 1, 1 };
    if (c > 1 && r->h[c - 1].step > r->h[0].step)
        sc.st = (double)(r->h[c - 1].step - r->h[0].step);
    for (int j = 0; j < c; j++) {
        if (!(r->h[j].loss > 0))
            sc.logl = 0;
        if (!(r->h[j].lr > 0))
            sc.loglr = 0;
    }
    for (int k = 0; k < n; k++) {   /* column by column, as the original did */
        double lo = INFINITY, hi = -INFINITY;
        for (int j = 0; j < c; j++) {
            double v = r->th[(size_t)j * n + k];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        sc.th = hi - lo > sc.th ? hi - lo : sc.th;
    }
    double lmin = INFINITY, lmax = -INFINITY, rmin = INFINITY, rmax = -INFINITY;
    for (int j = 0; j < c; j++) {
        double l, lr, st;
        ref_coords(r, j, &sc, &l, &lr, &st);
        lmin = l < lmin ? l : lmin;
        lmax = l > lmax ? l : lmax;
        rmin = lr < rmin ? lr : rmin;
        rmax = lr > rmax ? lr : rmax;
    }
    sc.l = lmax - lmin;
    sc.lr = rmax - rmin;
    if (!(sc.th > 0) || !isfinite(sc.th))
        sc.th = 1;
    if (!(sc.l > 0) || !isfinite(sc.l))
        sc.l = 1;
    if (!(sc.lr > 0) || !isfinite(sc.lr))
        sc.lr = 1;
    int target = r->cap * 3 / 4;
    if (target < 2)
        target = 2;
    int hn = 0;
    for (int j = 0; j < c; j++) {
        r->prev[j] = j - 1;
        r->next[j] = j + 1;
        r->hpos[j] = -1;
        if (j > 0 && j < c - 1) {
            r->sig[j] = ref_dev(r, j - 1, j + 1, j, &sc);
            r->heap[hn] = j;
            r->hpos[j] = hn++;
        }
    }
    for (int i = hn / 2 - 1; i >= 0; i--)
        ref_fix(r, hn, i);
    int kept = c;
    while (kept > target && hn > 0) {
        int j = r->heap[0];
        double w = r->sig[j];
        ref_swap(r, 0, hn - 1);
        r->hpos[j] = -1;
        hn--;
        if (hn > 0)
            ref_fix(r, hn, 0);
        int a = r->prev[j], b = r->next[j];
        r->next[a] = b;
        r->prev[b] = a;
        kept--;
        int nb[2] = { a, b };
        for (int q = 0; q < 2; q++) {
            int m = nb[q];
            if (r->hpos[m] < 0)
                continue;
            double d = ref_dev(r, r->prev[m], r->next[m], m, &sc);
            r->sig[m] = d > w ? d : w;
            ref_fix(r, hn, r->hpos[m]);
        }
    }
    int w = 0;
    for (int j = 0; j < c; j = r->next[j]) {
        if (w != j) {
            r->h[w] = r->h[j];
            memmove(r->th + (size_t)w * n, r->th + (size_t)j * n, (size_t)n * sizeof(double));
        }
        w++;
    }
    r->c = w;
    if (r->c >= r->cap)
        r->c = r->cap - 1;
}

static void ref_append(ref_hist *r, const trainer_point *p, const double *theta)
{
    assert_true(r->c < r->room);
    r->h[r->c] = *p;
    memcpy(r->th + (size_t)r->c * N, theta, N * sizeof *theta);
    r->c++;
}

/* The unthinned copy: dst = src's points (dst has room for them). */
static void ref_copy(ref_hist *dst, const ref_hist *src)
{
    assert_true(src->c <= dst->room);
    memcpy(dst->h, src->h, (size_t)src->c * sizeof *src->h);
    memcpy(dst->th, src->th, (size_t)src->c * N * sizeof *src->th);
    dst->c = src->c;
}

static void ref_push(ref_hist *r, const trainer_point *p, const double *theta)
{
    if (r->c == r->cap)
        ref_compact(r);
    r->h[r->c] = *p;
    memcpy(r->th + (size_t)r->c * N, theta, N * sizeof *theta);
    r->c++;
}

static void ref_init(ref_hist *r, int cap, int room)
{
    r->cap = cap;
    r->room = room;
    r->c = 0;
    r->h = calloc((size_t)room, sizeof *r->h);
    r->th = calloc((size_t)room * N, sizeof *r->th);
    r->sig = calloc((size_t)cap, sizeof *r->sig);
    r->prev = calloc((size_t)cap, sizeof(int));
    r->next = calloc((size_t)cap, sizeof(int));
    r->heap = calloc((size_t)cap, sizeof(int));
    r->hpos = calloc((size_t)cap, sizeof(int));
    assert_true(r->h && r->th && r->sig && r->prev && r->next && r->heap && r->hpos);
}

static void ref_free(ref_hist *r)
{
    free(r->h);
    free(r->th);
    free(r->sig);
    free(r->prev);
    free(r->next);
    free(r->heap);
    free(r->hpos);
}

/* ==== The comparison ======================================================== */

/* Run i's history equals the reference, bit for bit (ids: the trainer's own). */
static void expect_same(const trainer *t, int i, const ref_hist *r, long step)
{
    int hc;
    const trainer_point *h = trainer_history(t, i, &hc);
    if (hc != r->c)
        fail_msg("run %d at step %ld: %d points kept, the original rule keeps %d", i, step, hc, r->c);
    for (int j = 0; j < hc; j++) {
        if (h[j].step != r->h[j].step || memcmp(&h[j].loss, &r->h[j].loss, sizeof(double)) ||
            memcmp(&h[j].lr, &r->h[j].lr, sizeof(double)) || h[j].id != r->h[j].id)
            fail_msg("run %d at step %ld: point %d is step %ld, the original rule's step %ld", i,
                     step, j, h[j].step, r->h[j].step);
        if (memcmp(trainer_history_theta(t, i, j), r->th + (size_t)j * N, N * sizeof(double)))
            fail_msg("run %d at step %ld: point %d's θ differs", i, step, j);
    }
}

/* Steps a trainer (history cap `cap`, thinning spread or at once) and, after every
 * step, compares both runs' histories with the reference's. */
static void run_case(int cap, long steps, int batch, int spread)
{
    objective o = {.n = N, .n_samples = NS, .eval = noisy_eval};
    double theta0[N];
    for (int k = 0; k < N; k++)
        theta0[k] = 2.0 - 0.1 * k;
    optim_desc opts[2] = {{.kind = OPT_SGD}, {.kind = OPT_ADAM}};
    for (int i = 0; i < 2; i++)
        optim_desc_defaults(&opts[i]);
    opts[0].lr = 0.02, opts[1].lr = 0.01;
    trainer_desc d = {.obj = &o, .theta0 = theta0, .n_runs = 2, .opts = opts, .batch = batch,
                      .seed = 11, .history_cap = cap};
    trainer *t = trainer_create(&d);
    assert_non_null(t);
    if (spread)
        assert_int_equal(trainer_set_spread_thinning(t, 1), 1);
    int room = cap + cap / 8;
    ref_hist ref[2], pre[2];   /* pre: the history before ref's last thinning, and the newer points */
    long thinned = 0, pending = 0;
    int most = 0;
    for (int i = 0; i < 2; i++) {
        ref_init(&ref[i], cap, cap);
        ref_init(&pre[i], cap, room);
        int hc;
        const trainer_point *h = trainer_history(t, i, &hc);
        assert_int_equal(hc, 1);
        ref_push(&ref[i], &h[0], trainer_history_theta(t, i, 0));
    }
    for (long k = 1; k <= steps; k++) {
        if (k == steps / 3) {   /* a rate changed live: the rate's own scale */
            optim_desc nd = opts[0];
            nd.lr = 0.005;
            trainer_set_optim(t, 0, &nd);
        }
        trainer_step(t);
        for (int i = 0; i < 2; i++) {
            int hc;
            const trainer_point *h = trainer_history(t, i, &hc);
            const double *th = trainer_history_theta(t, i, hc - 1);
            most = hc > most ? hc : most;
            if (ref[i].c == cap) {   /* ref thins now */
                ref_copy(&pre[i], &ref[i]);
                thinned++;
            }
            ref_push(&ref[i], &h[hc - 1], th);
            if (pre[i].c < room)
                ref_append(&pre[i], &h[hc - 1], th);
            if (trainer_history_pending(t, i)) {
                assert_true(spread);
                pending++;
                expect_same(t, i, &pre[i], k);
                if (k % 97 == 0) {   /* switched off while pending: finished now */
                    trainer_set_spread_thinning(t, 0);
                    assert_int_equal(trainer_history_pending(t, i), 0);
                    expect_same(t, i, &ref[i], k);
                    trainer_set_spread_thinning(t, 1);
                }
            } else {
                expect_same(t, i, &ref[i], k);
            }
        }
    }
    assert_true(thinned >= 4);                 /* the case did thin, several times */
    int spreads = spread && cap >= 64;         /* smaller caps thin at once */
    assert_true(spreads ? pending > 0 : pending == 0);
    assert_true(most <= (spreads ? room : cap));
    if (spreads)
        printf("cap %d: %ld of %ld histories pending, at most %d points\n", cap, pending, 2 * steps, most);
    for (int i = 0; i < 2; i++) {
        ref_free(&ref[i]);
        ref_free(&pre[i]);
    }
    trainer_destroy(t);
}

static void test_thinning_equals_original_rule(void **state)
{
    (void)state;
    run_case(64, 1500, 3, 0);     /* mini-batches: a jittering path */
    run_case(200, 1200, 0, 0);    /* full batch: a smooth one */
    run_case(5, 100, 2, 0);       /* a cap this small */
}

/* Spread over the steps after the history fills, the thinning keeps the same points;
 * meanwhile the history is the unthinned one and the newer points (at most cap/8). */
static void test_spread_thinning(void **state)
{
    (void)state;
    run_case(64, 1500, 3, 1);
    run_case(200, 1200, 0, 1);
    run_case(5, 100, 2, 1);       /* below 64: at once */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thinning_equals_original_rule),
        cmocka_unit_test(test_spread_thinning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
