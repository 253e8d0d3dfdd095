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

#include "core/history.h"
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
    history hist;                /* the trajectory (history.h) */
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

/* The last trainer_point.id handed out (trainers may step on several threads). */
static _Atomic uint64_t next_point_id;

/* Record the run's current point (the history thins itself when full; the start,
 * point 0, is never dropped). */
static void history_push_current(trainer *t, run_store *r, double loss)
{
    trainer_point p = { .step = r->pub.steps, .loss = loss, .lr = r->pub.lr,
                        .id = atomic_fetch_add(&next_point_id, 1) + 1 };
    history_push(&r->hist, &p, r->pub.theta);
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
    history_clear(&r->hist);
    history_push_current(t, r, p->loss);
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
        ok = r->pub.opt && r->pub.theta && r->pub.grad && r->pub.update && r->scratch &&
             history_init(&r->hist, t->n, t->history_cap);
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
        history_free(&r->hist);
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
    history_push_current(t, r, loss);
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
    *count = t->runs[i].hist.count;
    return t->runs[i].hist.pt;
}

const double *trainer_history_theta(const trainer *t, int i, int j)
{
    assert(i >= 0 && i < t->n_runs && j >= 0 && j < t->runs[i].hist.count);
    return history_theta(&t->runs[i].hist, j);
}

int trainer_set_spread_thinning(trainer *t, int on)
{
    int ok = 1;
    for (int i = 0; i < t->n_runs; i++)
        ok &= history_set_spread(&t->runs[i].hist, on);
    return ok;
}

int trainer_history_pending(const trainer *t, int i)
{
    assert(i >= 0 && i < t->n_runs);
    return history_pending(&t->runs[i].hist);
}
