/*
 * trainer.c — stepping the runs. See trainer.h for the contract.
 *
 * Layout: a trainer owns its runs, each run owns its optimizer, its parameter
 * vectors and its history; a batcher (one shared, or one per run) owns the
 * permutation of the current epoch. All memory is allocated in trainer_create;
 * stepping allocates nothing.
 */
#include "core/trainer.h"

#include <assert.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"

/* ==== Batches ============================================================= */

/* The mini-batch sequence: a permutation of 0..n-1 per epoch, consumed in slices
 * of the current batch size. */
typedef struct batcher {
    rng rng;
    int *perm;        /* current epoch's permutation */
    int n;            /* training samples */
    int pos;          /* next unread index into perm; n = epoch exhausted */
    long epoch;       /* 1-based epoch of the last batch handed out; 0 before any */
} batcher;

static int batcher_init(batcher *b, int n, uint64_t seed)
{
    b->n = n;
    b->perm = n > 0 ? malloc((size_t)n * sizeof *b->perm) : NULL;
    if (n > 0 && !b->perm)
        return 0;
    rng_seed(&b->rng, seed);
    b->pos = n;        /* the first call starts epoch 1 */
    b->epoch = 0;
    return 1;
}

/* Next batch of up to `size` samples (size ≤ 0: the whole permutation). */
static const int *batcher_next(batcher *b, int size, int *count)
{
    if (b->pos >= b->n) {
        for (int i = 0; i < b->n; i++)
            b->perm[i] = i;
        rng_shuffle(&b->rng, b->perm, b->n);
        b->pos = 0;
        b->epoch++;
    }
    int left = b->n - b->pos;
    int take = (size <= 0 || size > left) ? left : size;
    const int *batch = b->perm + b->pos;
    b->pos += take;
    *count = take;
    return batch;
}

/* ==== The trainer ========================================================= */

typedef struct run_store {
    trainer_run pub;             /* what trainer_run_get shows */
    batcher batches;             /* own sequence (own_batches) */
    const int *last_batch;       /* into a batcher's perm; valid until its next epoch */
    int last_count;
    double *scratch;             /* n: θ before the update, to restore on divergence */
    double *aux_backup;          /* n_aux: aux before the update */
    trainer_run_opts ro;         /* own batch size / schedule */
    trainer_point *hist;         /* history_cap points */
    double *hist_theta;          /* history_cap × n */
    int hist_count;
    /* scratch of history_compact, history_cap each */
    double *sig;                 /* weight of each point */
    double *range;               /* 2 × n: each coordinate's lowest and highest value */
    int *prev, *next;            /* neighbours still kept */
    int *heap, *hpos;            /* min-heap by weight, and each point's place in it */
} run_store;

struct trainer {
    const objective *obj;
    int n;                       /* parameters */
    double *theta0;              /* start point */
    int n_runs;
    run_store runs[TRAINER_MAX_RUNS];
    schedule_desc schedule;
    int batch;
    uint64_t seed;
    int own_batches;
    int history_cap;
    batcher shared;
    long steps;
    int lazy_loss;               /* 1: steps skip the full loss (trainer_set_lazy_loss) */
    int narrate_run;             /* trainer_step_run: the run whose parts are recorded; −1 */
    optim_parts *narrate_parts;
};

static void history_clear(run_store *r)
{
    r->hist_count = 0;
}

/* The scales of history_compact's distances: θ by its largest range; the loss and
 * the rate (log10 when every value is positive) by their ranges; the step by the
 * history's span (as a plot's x axis shows it). */
typedef struct hist_scale {
    double th, l, lr, st;
    int logl, loglr;
} hist_scale;

static void hist_coords(const run_store *r, int j, const hist_scale *sc, double *l, double *lr,
                        double *st)
{
    *st = (double)r->hist[j].step / sc->st;
    *l = sc->logl ? log10(r->hist[j].loss) : r->hist[j].loss;
    *lr = sc->loglr ? log10(r->hist[j].lr) : r->hist[j].lr;
    *l /= sc->l;
    *lr /= sc->lr;
}

/* Distance of history point j from the segment between points a and b, in the
 * normalised space of history_compact (θ, loss and rate scaled by hist_scale). */
static double hist_dev(const trainer *t, const run_store *r, int a, int b, int j, const hist_scale *sc)
{
    int n = t->n;
    const double *A = r->hist_theta + (size_t)a * n, *B = r->hist_theta + (size_t)b * n,
                 *P = r->hist_theta + (size_t)j * n;
    double la, lb, lp, ra, rb, rp, sa, sb, sp;
    hist_coords(r, a, sc, &la, &ra, &sa);
    hist_coords(r, b, sc, &lb, &rb, &sb);
    hist_coords(r, j, sc, &lp, &rp, &sp);
    double ab2 = 0, apab = 0;
    for (int k = 0; k < n; k++) {
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
    for (int k = 0; k < n; k++) {
        double e = (P[k] - A[k]) / sc->th - u * (B[k] - A[k]) / sc->th;
        d2 += e * e;
    }
    double e = el - u * dl, f = er - u * dr, g = es - u * ds;
    return sqrt(d2 + e * e + f * f + g * g);
}

/* The min-heap of history_compact: r->heap holds point indices ordered by r->sig;
 * r->hpos[j] is j's place in it (−1: not in it). */
static void heap_swap(run_store *r, int a, int b)
{
    int t = r->heap[a];
    r->heap[a] = r->heap[b];
    r->heap[b] = t;
    r->hpos[r->heap[a]] = a;
    r->hpos[r->heap[b]] = b;
}

static void heap_fix(run_store *r, int n, int i)
{
    while (i > 0 && r->sig[r->heap[i]] < r->sig[r->heap[(i - 1) / 2]]) {
        heap_swap(r, i, (i - 1) / 2);
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
        heap_swap(r, i, m);
        i = m;
    }
}

/* The history is full: drop a quarter of its points, always the one that matters
 * least now (Visvalingam–Whyatt): a point's weight is its distance from the
 * segment between its kept neighbours, in coordinates scaled by the trail's own
 * extent (θ by its largest range; the loss and the rate used — log10 when positive —
 * by their ranges, so a rate changed live keeps its step),
 * and never less than the weight of a point dropped beside it. Points on straight
 * or gently curving stretches go first; corners stay. O(c log c + c·n). */
static void history_compact(trainer *t, run_store *r)
{
    int c = r->hist_count, n = t->n;
    hist_scale sc = { 0, 1, 1, 1, 1, 1 };
    if (c > 1 && r->hist[c - 1].step > r->hist[0].step)
        sc.st = (double)(r->hist[c - 1].step - r->hist[0].step);
    for (int j = 0; j < c; j++) {
        if (!(r->hist[j].loss > 0))
            sc.logl = 0;
        if (!(r->hist[j].lr > 0))
            sc.loglr = 0;
    }
    /* each coordinate's range, the points read row by row (in memory order: column
     * by column, every read missed the cache, ~0.1 s for 4096 points × 1185) and each
     * coordinate's values met in the same order as before, so the same ranges */
    double *lo = r->range, *hi = r->range + n;
    for (int k = 0; k < n; k++) {
        lo[k] = INFINITY;
        hi[k] = -INFINITY;
    }
    for (int j = 0; j < c; j++) {
        const double *row = r->hist_theta + (size_t)j * n;
        for (int k = 0; k < n; k++) {
            double v = row[k];
            lo[k] = v < lo[k] ? v : lo[k];
            hi[k] = v > hi[k] ? v : hi[k];
        }
    }
    for (int k = 0; k < n; k++)
        sc.th = hi[k] - lo[k] > sc.th ? hi[k] - lo[k] : sc.th;
    double lmin = INFINITY, lmax = -INFINITY, rmin = INFINITY, rmax = -INFINITY;
    for (int j = 0; j < c; j++) {
        double l, lr, st;
        hist_coords(r, j, &sc, &l, &lr, &st);
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
    int target = t->history_cap * 3 / 4;
    if (target < 2)
        target = 2;
    int hn = 0;
    for (int j = 0; j < c; j++) {
        r->prev[j] = j - 1;
        r->next[j] = j + 1;
        r->hpos[j] = -1;
        if (j > 0 && j < c - 1) {
            r->sig[j] = hist_dev(t, r, j - 1, j + 1, j, &sc);
            r->heap[hn] = j;
            r->hpos[j] = hn++;
        }
    }
    for (int i = hn / 2 - 1; i >= 0; i--)
        heap_fix(r, hn, i);
    int kept = c;
    while (kept > target && hn > 0) {
        int j = r->heap[0];
        double w = r->sig[j];
        heap_swap(r, 0, hn - 1);
        r->hpos[j] = -1;
        hn--;
        if (hn > 0)
            heap_fix(r, hn, 0);
        int a = r->prev[j], b = r->next[j];
        r->next[a] = b;
        r->prev[b] = a;
        kept--;
        int nb[2] = { a, b };
        for (int q = 0; q < 2; q++) {
            int m = nb[q];
            if (r->hpos[m] < 0)
                continue;   /* an end point */
            double d = hist_dev(t, r, r->prev[m], r->next[m], m, &sc);
            r->sig[m] = d > w ? d : w;
            heap_fix(r, hn, r->hpos[m]);
        }
    }
    int w = 0;
    for (int j = 0; j < c; j = r->next[j]) {
        if (w != j) {
            r->hist[w] = r->hist[j];
            memmove(r->hist_theta + (size_t)w * n, r->hist_theta + (size_t)j * n,
                    (size_t)n * sizeof(double));
        }
        w++;
    }
    r->hist_count = w;
    if (r->hist_count >= t->history_cap)
        r->hist_count = t->history_cap - 1;   /* cap 2: the current point replaces the last */
}

/* The last trainer_point.id handed out (trainers may step on several threads). */
static _Atomic uint64_t next_point_id;

/* Record the run's current point; when the history is full, compact it first
 * (history_compact). The start (point 0) is never dropped. */
static void history_push(trainer *t, run_store *r, double loss)
{
    if (r->hist_count == t->history_cap)
        history_compact(t, r);
    trainer_point *p = &r->hist[r->hist_count];
    p->step = r->pub.steps;
    p->loss = loss;
    p->lr = r->pub.lr;
    p->id = atomic_fetch_add(&next_point_id, 1) + 1;
    memcpy(r->hist_theta + (size_t)r->hist_count * t->n, r->pub.theta,
           (size_t)t->n * sizeof(double));
    r->hist_count++;
}

static const schedule_desc *run_schedule(const trainer *t, const run_store *r)
{
    return r->ro.has_schedule ? &r->ro.schedule : &t->schedule;
}

/* A run draws its own batches when every run does, or when it has its own size. */
static int run_own_batches(const trainer *t, const run_store *r)
{
    return t->own_batches || r->ro.has_batch;
}

static void run_batcher_restart(trainer *t, int i)
{
    run_store *r = &t->runs[i];
    /* own_batches: a sequence of its own; an own size only: the shared sequence's
     * permutations, cut differently */
    rng_seed(&r->batches.rng, t->own_batches ? t->seed + 0x9e37u * (uint64_t)(i + 1) : t->seed);
    r->batches.pos = r->batches.n;
    r->batches.epoch = 0;
}

/* The schedule index of the run's update k (0-based). */
static long schedule_index(const run_store *r, long k)
{
    long i = r->ro.has_schedule ? k - r->ro.schedule_from : k;
    return i > 0 ? i : 0;
}

static double start_rate(const trainer *t, const run_store *r)
{
    return schedule_rate(run_schedule(t, r), optim_desc_get(r->pub.opt)->lr,
                         schedule_index(r, r->pub.steps));
}

static void run_restart(trainer *t, int i)
{
    run_store *r = &t->runs[i];
    trainer_run *p = &r->pub;
    memcpy(p->theta, t->theta0, (size_t)t->n * sizeof(double));
    memset(p->grad, 0, (size_t)t->n * sizeof(double));
    memset(p->update, 0, (size_t)t->n * sizeof(double));
    if (p->aux)
        t->obj->aux_init(t->obj->ctx, p->aux);
    optim_reset(p->opt);
    p->steps = 0;
    p->epoch = 0;
    p->batch_count = 0;
    p->diverged = 0;
    p->diverged_at = 0;
    p->advanced = 0;
    p->lr = start_rate(t, r);
    p->loss = t->obj->eval(t->obj->ctx, p->theta, NULL, 0, NULL, p->aux, 0);
    if (!isfinite(p->loss)) {
        /* The start itself is outside where the objective is finite. */
        p->diverged = 1;
        p->loss = 0;
    }
    p->loss_step = 0;
    r->last_batch = NULL;
    r->last_count = 0;
    run_batcher_restart(t, i);
    history_clear(r);
    history_push(t, r, p->loss);
}

trainer *trainer_create(const trainer_desc *desc)
{
    assert(desc && desc->obj && desc->theta0);
    assert(desc->n_runs >= 1 && desc->n_runs <= TRAINER_MAX_RUNS);
    if (!desc || !desc->obj || !desc->theta0 || desc->n_runs < 1 ||
        desc->n_runs > TRAINER_MAX_RUNS)
        return NULL;
    trainer *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    const objective *o = desc->obj;
    t->obj = o;
    t->n = o->n;
    t->n_runs = desc->n_runs;
    t->schedule = desc->schedule;
    schedule_desc_defaults(&t->schedule);
    t->batch = desc->batch > 0 ? desc->batch : 0;
    t->seed = desc->seed;
    t->own_batches = desc->own_batches;
    t->history_cap = desc->history_cap > 1 ? desc->history_cap : TRAINER_HISTORY_CAP;
    t->narrate_run = -1;
    t->theta0 = malloc((size_t)t->n * sizeof(double));
    int ok = t->theta0 && batcher_init(&t->shared, o->n_samples, desc->seed);
    if (ok)
        memcpy(t->theta0, desc->theta0, (size_t)t->n * sizeof(double));
    for (int i = 0; ok && i < t->n_runs; i++) {
        run_store *r = &t->runs[i];
        size_t nb = (size_t)t->n * sizeof(double);
        r->pub.opt = optim_create(&desc->opts[i], t->n);
        r->pub.theta = malloc(nb);
        r->pub.grad = malloc(nb);
        r->pub.update = malloc(nb);
        r->scratch = malloc(nb);
        r->hist = malloc((size_t)t->history_cap * sizeof *r->hist);
        r->hist_theta = malloc((size_t)t->history_cap * nb);
        size_t hc = (size_t)t->history_cap;
        r->sig = malloc(hc * sizeof *r->sig);
        r->prev = malloc(hc * sizeof(int));
        r->next = malloc(hc * sizeof(int));
        r->heap = malloc(hc * sizeof(int));
        r->hpos = malloc(hc * sizeof(int));
        r->range = malloc(2 * nb);
        ok = r->pub.opt && r->pub.theta && r->pub.grad && r->pub.update && r->scratch &&
             r->hist && r->hist_theta && r->sig && r->prev && r->next && r->heap && r->hpos && r->range;
        if (ok && o->n_aux > 0) {
            r->pub.aux = malloc((size_t)o->n_aux * sizeof(double));
            r->aux_backup = malloc((size_t)o->n_aux * sizeof(double));
            ok = r->pub.aux && r->aux_backup;
        }
        if (desc->run_opts) {
            r->ro = desc->run_opts[i];
            if (r->ro.has_schedule)
                schedule_desc_defaults(&r->ro.schedule);
            if (r->ro.batch < 0)
                r->ro.batch = 0;
        }
        /* every run gets a batcher, so that a size of its own can be set live */
        if (ok)
            ok = batcher_init(&r->batches, o->n_samples, desc->seed);
        r->pub.active = 1;
    }
    if (!ok) {
        trainer_destroy(t);
        return NULL;
    }
    trainer_reset(t, NULL);
    return t;
}

void trainer_destroy(trainer *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n_runs; i++) {
        run_store *r = &t->runs[i];
        optim_destroy(r->pub.opt);
        free(r->pub.theta);
        free(r->pub.grad);
        free(r->pub.update);
        free(r->pub.aux);
        free(r->aux_backup);
        free(r->scratch);
        free(r->hist);
        free(r->hist_theta);
        free(r->sig);
        free(r->range);
        free(r->prev);
        free(r->next);
        free(r->heap);
        free(r->hpos);
        free(r->batches.perm);
    }
    free(t->shared.perm);
    free(t->theta0);
    free(t);
}

void trainer_reset(trainer *t, const double *theta0)
{
    if (theta0)
        memcpy(t->theta0, theta0, (size_t)t->n * sizeof(double));
    rng_seed(&t->shared.rng, t->seed);
    t->shared.pos = t->shared.n;
    t->shared.epoch = 0;
    t->steps = 0;
    for (int i = 0; i < t->n_runs; i++)
        run_restart(t, i);
}

static int all_finite(const double *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* One update of run i on the given batch (NULL = full). Returns 1 if it moved. */
static int run_step(trainer *t, int i, const int *batch, int count, long epoch,
                    optim_parts *parts)
{
    run_store *r = &t->runs[i];
    trainer_run *p = &r->pub;
    const objective *o = t->obj;
    int n = t->n;
    const schedule_desc *sched = run_schedule(t, r);
    long sk = schedule_index(r, p->steps);
    double lr = schedule_rate(sched, optim_desc_get(p->opt)->lr, sk);
    double cycled;
    optim_set_cycled_momentum(p->opt, schedule_momentum(sched, sk, &cycled) ? cycled : NAN);

    memcpy(r->scratch, p->theta, (size_t)n * sizeof(double));
    if (p->aux)
        memcpy(r->aux_backup, p->aux, (size_t)o->n_aux * sizeof(double));

    double batch_loss = o->eval(o->ctx, p->theta, batch, count, p->grad, p->aux, 1);
    int ok = isfinite(batch_loss) && all_finite(p->grad, n) && optim_step_narrated(p->opt, p->theta, p->grad, lr, parts);
    double loss = !ok ? NAN
                  : t->lazy_loss ? batch_loss /* O(batch): the full loss is asked for later */
                                 : o->eval(o->ctx, p->theta, NULL, 0, NULL, p->aux, 0);
    if (!ok || !isfinite(loss)) {
        /* Diverged: keep the last finite state, stop this run. */
        memcpy(p->theta, r->scratch, (size_t)n * sizeof(double));
        if (p->aux)
            memcpy(p->aux, r->aux_backup, (size_t)o->n_aux * sizeof(double));
        memset(p->grad, 0, (size_t)n * sizeof(double));
        memset(p->update, 0, (size_t)n * sizeof(double));
        p->diverged = 1;
        p->diverged_at = p->steps + 1;
        p->advanced = 0;
        return 0;
    }
    for (int k = 0; k < n; k++)
        p->update[k] = p->theta[k] - r->scratch[k];
    p->steps++;
    p->lr = lr;
    if (!t->lazy_loss) {
        p->loss = loss;
        p->loss_step = p->steps;
    }
    p->epoch = epoch;
    p->batch_count = batch ? count : 0;
    p->advanced = 1;
    r->last_batch = batch;
    r->last_count = batch ? count : 0;
    history_push(t, r, loss);
    return 1;
}

int trainer_step(trainer *t)
{
    const int *shared_batch = NULL;
    int shared_count = 0;
    long shared_epoch = t->steps + 1;     /* no data: every step is a full pass */
    int has_data = t->obj->n_samples > 0, any = 0;
    for (int i = 0; i < t->n_runs; i++)
        any |= t->runs[i].pub.active && !t->runs[i].pub.diverged;
    if (!any) {
        /* nothing steps: no batch is drawn, no step is counted (a paused race) */
        for (int i = 0; i < t->n_runs; i++)
            t->runs[i].pub.advanced = 0;
        return 0;
    }
    if (has_data) {
        shared_batch = batcher_next(&t->shared, t->batch, &shared_count);
        shared_epoch = t->shared.epoch;
        if (t->batch == 0)
            shared_batch = NULL;          /* full batch: evaluate on everything */
    }
    int moved = 0;
    for (int i = 0; i < t->n_runs; i++) {
        trainer_run *p = &t->runs[i].pub;
        p->advanced = 0;
        if (!p->active || p->diverged)
            continue;
        const int *batch = shared_batch;
        int count = shared_count;
        long epoch = has_data ? shared_epoch : p->steps + 1;
        run_store *rs = &t->runs[i];
        if (has_data && run_own_batches(t, rs)) {
            int size = rs->ro.has_batch ? rs->ro.batch : t->batch;
            batch = batcher_next(&rs->batches, size, &count);
            epoch = rs->batches.epoch;
            if (size == 0)
                batch = NULL;
        }
        moved += run_step(t, i, batch, count, epoch, i == t->narrate_run ? t->narrate_parts : NULL);
    }
    if (moved > 0)
        t->steps++;
    t->narrate_run = -1;   /* trainer_record_parts: one step only */
    t->narrate_parts = NULL;
    return moved;
}

void trainer_record_parts(trainer *t, int i, optim_parts *parts)
{
    assert(i >= 0 && i < t->n_runs);
    t->narrate_run = i;
    t->narrate_parts = parts;
}

void trainer_set_lazy_loss(trainer *t, int on) { t->lazy_loss = on != 0; }

double trainer_next_rate(const trainer *t, int i)
{
    assert(i >= 0 && i < t->n_runs);
    const run_store *r = &t->runs[i];
    return schedule_rate(run_schedule(t, r), optim_desc_get(r->pub.opt)->lr, r->pub.steps);
}

int trainer_preview_run(trainer *t, int i, const double *grad, optim_parts *parts)
{
    assert(i >= 0 && i < t->n_runs);
    trainer_run *p = &t->runs[i].pub;
    const schedule_desc *sched = run_schedule(t, &t->runs[i]);
    double cycled;
    /* as run_step sets it before the update (it sets the same value again then) */
    optim_set_cycled_momentum(p->opt, schedule_momentum(sched, p->steps, &cycled) ? cycled : NAN);
    return optim_preview(p->opt, p->theta, grad, trainer_next_rate(t, i), parts);
}

int trainer_step_run(trainer *t, int i, optim_parts *parts)
{
    assert(i >= 0 && i < t->n_runs);
    int active[TRAINER_MAX_RUNS];
    for (int j = 0; j < t->n_runs; j++) {
        active[j] = t->runs[j].pub.active;
        t->runs[j].pub.active = j == i;
    }
    t->narrate_run = i;
    t->narrate_parts = parts;
    int moved = trainer_step(t);
    t->narrate_run = -1;
    t->narrate_parts = NULL;
    for (int j = 0; j < t->n_runs; j++)
        t->runs[j].pub.active = active[j];
    return moved > 0;
}

double trainer_refresh_loss(trainer *t, int i)
{
    assert(i >= 0 && i < t->n_runs);
    trainer_run *p = &t->runs[i].pub;
    if (p->loss_step == p->steps)
        return p->loss;
    double loss = t->obj->eval(t->obj->ctx, p->theta, NULL, 0, NULL, p->aux, 0);
    trainer_note_loss(t, i, loss);
    return loss;
}

void trainer_note_loss(trainer *t, int i, double loss)
{
    assert(i >= 0 && i < t->n_runs);
    if (!isfinite(loss))
        return;
    t->runs[i].pub.loss = loss;
    t->runs[i].pub.loss_step = t->runs[i].pub.steps;
}

void trainer_note_loss_at(trainer *t, int i, double loss, long step)
{
    assert(i >= 0 && i < t->n_runs);
    trainer_run *p = &t->runs[i].pub;
    if (!isfinite(loss) || step > p->steps || step < p->loss_step)
        return;
    p->loss = loss;
    p->loss_step = step;
}

int trainer_run_count(const trainer *t) { return t->n_runs; }
int trainer_param_count(const trainer *t) { return t->n; }
long trainer_steps(const trainer *t) { return t->steps; }

int trainer_run_kind_rank(const trainer *t, int i)
{
    assert(i >= 0 && i < t->n_runs);
    optim_kind k = optim_desc_get(t->runs[i].pub.opt)->kind;
    int rank = 0;
    for (int j = 0; j < i; j++)
        rank += optim_desc_get(t->runs[j].pub.opt)->kind == k;
    return rank;
}

int trainer_in_step(const trainer *t, long *lo, long *hi)
{
    long a = -1, b = -1;
    for (int i = 0; i < t->n_runs; i++) {
        long s = t->runs[i].pub.steps;
        if (a < 0 || s < a)
            a = s;
        if (s > b)
            b = s;
    }
    if (lo)
        *lo = a;
    if (hi)
        *hi = b;
    return a == b;
}

const trainer_run *trainer_run_get(const trainer *t, int i)
{
    assert(i >= 0 && i < t->n_runs);
    return &t->runs[i].pub;
}

void trainer_set_optim(trainer *t, int i, const optim_desc *desc)
{
    assert(i >= 0 && i < t->n_runs);
    optim_set_desc(t->runs[i].pub.opt, desc);
    if (t->runs[i].pub.steps == 0)
        t->runs[i].pub.lr = start_rate(t, &t->runs[i]);
}

void trainer_set_active(trainer *t, int i, int on)
{
    assert(i >= 0 && i < t->n_runs);
    t->runs[i].pub.active = on ? 1 : 0;
}

void trainer_set_batch(trainer *t, int batch)
{
    t->batch = batch > 0 ? batch : 0;
    for (int i = 0; i < t->n_runs; i++)
        t->runs[i].ro.has_batch = 0;
}

void trainer_set_run_batch(trainer *t, int i, int batch)
{
    assert(i >= 0 && i < t->n_runs);
    run_store *r = &t->runs[i];
    if (batch < 0) {
        r->ro.has_batch = 0;
        return;
    }
    if (!r->ro.has_batch && !t->own_batches && t->shared.n > 0) {
        /* leaving the shared sequence: continue from where it is */
        r->batches.rng = t->shared.rng;
        memcpy(r->batches.perm, t->shared.perm, (size_t)t->shared.n * sizeof *r->batches.perm);
        r->batches.pos = t->shared.pos;
        r->batches.epoch = t->shared.epoch;
    }
    r->ro.has_batch = 1;
    r->ro.batch = batch;
}

void trainer_set_run_schedule(trainer *t, int i, const schedule_desc *schedule)
{
    assert(i >= 0 && i < t->n_runs);
    run_store *r = &t->runs[i];
    r->ro.has_schedule = schedule != NULL;
    if (schedule) {
        r->ro.schedule = *schedule;
        schedule_desc_defaults(&r->ro.schedule);
        r->ro.schedule_from = r->pub.steps;
    }
    if (r->pub.steps == 0)
        r->pub.lr = start_rate(t, r);
}

const trainer_run_opts *trainer_run_opts_get(const trainer *t, int i)
{
    assert(i >= 0 && i < t->n_runs);
    return &t->runs[i].ro;
}

int trainer_batch(const trainer *t) { return t->batch; }

void trainer_set_schedule(trainer *t, const schedule_desc *schedule)
{
    t->schedule = *schedule;
    schedule_desc_defaults(&t->schedule);
    /* A run that has not stepped yet shows the rate its first update will use
     * (trainer.h); that rate depends on the schedule (a warm-up starts at η/W). */
    for (int i = 0; i < t->n_runs; i++)
        if (t->runs[i].pub.steps == 0)
            t->runs[i].pub.lr = start_rate(t, &t->runs[i]);
}

const schedule_desc *trainer_schedule(const trainer *t) { return &t->schedule; }

const int *trainer_last_batch(const trainer *t, int i, int *count)
{
    assert(i >= 0 && i < t->n_runs);
    *count = t->runs[i].last_count;
    return t->runs[i].last_batch;
}

const trainer_point *trainer_history(const trainer *t, int i, int *count)
{
    assert(i >= 0 && i < t->n_runs);
    *count = t->runs[i].hist_count;
    return t->runs[i].hist;
}

const double *trainer_history_theta(const trainer *t, int i, int j)
{
    assert(i >= 0 && i < t->n_runs && j >= 0 && j < t->runs[i].hist_count);
    return t->runs[i].hist_theta + (size_t)j * t->n;
}
