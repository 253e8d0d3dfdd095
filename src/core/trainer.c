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
    trainer_point *hist;         /* history_cap points */
    double *hist_theta;          /* history_cap × n */
    int hist_count;
    long hist_stride;            /* record every hist_stride-th step */
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
};

static void history_clear(run_store *r)
{
    r->hist_count = 0;
    r->hist_stride = 1;
}

/* Record the run's current point. Points on the stride stay; any other point is
 * provisional (it makes the trail end at the current θ) and is replaced by the
 * next one. When the history is full, every other point is dropped and the stride
 * doubles. The start (point 0) is never dropped. */
static void history_push(trainer *t, run_store *r)
{
    if (r->hist_count > 1 && r->hist[r->hist_count - 1].step % r->hist_stride != 0)
        r->hist_count--;
    if (r->hist_count == t->history_cap) {
        int keep = 0;
        for (int j = 0; j < r->hist_count; j += 2, keep++) {
            r->hist[keep] = r->hist[j];
            memmove(r->hist_theta + (size_t)keep * t->n, r->hist_theta + (size_t)j * t->n,
                    (size_t)t->n * sizeof(double));
        }
        r->hist_count = keep;
        r->hist_stride *= 2;
    }
    trainer_point *p = &r->hist[r->hist_count];
    p->step = r->pub.steps;
    p->loss = r->pub.loss;
    memcpy(r->hist_theta + (size_t)r->hist_count * t->n, r->pub.theta,
           (size_t)t->n * sizeof(double));
    r->hist_count++;
}

static double start_rate(const trainer *t, const run_store *r)
{
    return schedule_rate(&t->schedule, optim_desc_get(r->pub.opt)->lr, 0);
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
    r->last_batch = NULL;
    r->last_count = 0;
    if (t->own_batches) {
        rng_seed(&r->batches.rng, t->seed + 0x9e37u * (uint64_t)(i + 1));
        r->batches.pos = r->batches.n;
        r->batches.epoch = 0;
    }
    history_clear(r);
    history_push(t, r);
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
        ok = r->pub.opt && r->pub.theta && r->pub.grad && r->pub.update && r->scratch &&
             r->hist && r->hist_theta;
        if (ok && o->n_aux > 0) {
            r->pub.aux = malloc((size_t)o->n_aux * sizeof(double));
            r->aux_backup = malloc((size_t)o->n_aux * sizeof(double));
            ok = r->pub.aux && r->aux_backup;
        }
        if (ok && t->own_batches)
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
static int run_step(trainer *t, int i, const int *batch, int count, long epoch)
{
    run_store *r = &t->runs[i];
    trainer_run *p = &r->pub;
    const objective *o = t->obj;
    int n = t->n;
    double lr = schedule_rate(&t->schedule, optim_desc_get(p->opt)->lr, p->steps);

    memcpy(r->scratch, p->theta, (size_t)n * sizeof(double));
    if (p->aux)
        memcpy(r->aux_backup, p->aux, (size_t)o->n_aux * sizeof(double));

    double batch_loss = o->eval(o->ctx, p->theta, batch, count, p->grad, p->aux, 1);
    int ok = isfinite(batch_loss) && all_finite(p->grad, n) && optim_step(p->opt, p->theta, p->grad, lr);
    double loss = ok ? o->eval(o->ctx, p->theta, NULL, 0, NULL, p->aux, 0) : NAN;
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
    p->loss = loss;
    p->epoch = epoch;
    p->batch_count = batch ? count : 0;
    p->advanced = 1;
    r->last_batch = batch;
    r->last_count = batch ? count : 0;
    history_push(t, r);
    return 1;
}

int trainer_step(trainer *t)
{
    const int *shared_batch = NULL;
    int shared_count = 0;
    long shared_epoch = t->steps + 1;     /* no data: every step is a full pass */
    int has_data = t->obj->n_samples > 0;
    if (has_data && !t->own_batches) {
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
        if (has_data && t->own_batches) {
            batch = batcher_next(&t->runs[i].batches, t->batch, &count);
            epoch = t->runs[i].batches.epoch;
            if (t->batch == 0)
                batch = NULL;
        }
        moved += run_step(t, i, batch, count, epoch);
    }
    t->steps++;
    return moved;
}

int trainer_run_count(const trainer *t) { return t->n_runs; }
int trainer_param_count(const trainer *t) { return t->n; }
long trainer_steps(const trainer *t) { return t->steps; }

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
