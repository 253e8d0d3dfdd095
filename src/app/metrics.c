/*
 * metrics.c — the background metrics worker. See metrics.h.
 *
 * One pthread, one mutex, one condition variable; one job slot (a snapshot of every
 * run of one problem) and one result slot. The main thread copies θ and the moving
 * averages into the job (O(runs × parameters)); the worker evaluates the full-data
 * metrics and publishes them; the main thread applies them in app_metrics_update.
 * A generation counter, bumped by app_metrics_forget and app_metrics_idle, tells a
 * result of an older request from one of the current runs.
 */
#include "app/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int app_metrics_wanted(const app_problem *p)
{
    return p && p->is_data && p->train && p->series &&
           (double)p->train->n * (double)p->n >= APP_METRICS_COST;
}

double app_metrics_step_cost(const app_problem *p)
{
    if (!p || !p->is_data || !p->train || !p->series)
        return 0;
    double tr = p->train->n, te = p->test ? p->test->n : 0;
    double every = p->eval_every > 0 ? p->eval_every : 1;
    return (double)p->n_runs * (double)p->n * (tr + (tr + 2 * te) / every);
}

int app_metrics_wanted_at(const app_problem *p, double steps_per_frame)
{
    return app_metrics_wanted(p) ||
           (app_metrics_step_cost(p) > 0 && app_metrics_step_cost(p) * steps_per_frame >= APP_METRICS_FRAME_COST);
}

#ifndef __EMSCRIPTEN__
#include <pthread.h>

#include "app/bgthread.h"

/* Every run's metrics at the snapshot. */
typedef struct run_metrics {
    double train_loss, train_acc, test_loss, test_acc;
} run_metrics;

typedef struct mjob {
    unsigned long gen;           /* generation the snapshot belongs to; 0: no job */
    const app_problem *of;       /* the problem (its model and data are read) */
    const model *model;
    const dataset *train, *test;
    loss_kind loss;
    int n_runs, n, n_aux;
    long step;                   /* trainer_steps at the snapshot */
    long run_steps[TRAINER_MAX_RUNS];
    int skip[TRAINER_MAX_RUNS];  /* diverged: nothing to evaluate */
    double *theta;               /* n_runs × n, owned */
    double *aux;                 /* n_runs × n_aux, owned (NULL when n_aux = 0) */
} mjob;

struct app_metrics {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int quit;
    int busy;                    /* the worker is computing a job */
    unsigned long gen;           /* current generation */
    mjob pending;                /* gen 0: none */
    /* the result slot */
    int have;                    /* a result waits to be applied */
    mjob res;                    /* the job it answers (θ freed; counts kept) */
    run_metrics out[TRAINER_MAX_RUNS];
    long done;                   /* results published */
    /* the main thread's side (not locked: only it touches these) */
    int in_flight;               /* asked for, not yet applied or dropped */
    double last_ms;              /* when the last request was made */
    long asked_step;             /* trainer_steps of the last request; −1: none */
    const app_problem *asked_of;
};

static void mjob_free(mjob *j)
{
    free(j->theta);
    free(j->aux);
    memset(j, 0, sizeof *j);
}

/* What app_problem_step_metrics and trainer_refresh_loss compute (model_loss,
 * model_accuracy), one forward pass per set (model_loss_accuracy). */
static void evaluate(const mjob *j, run_metrics *out)
{
    for (int i = 0; i < j->n_runs; i++) {
        run_metrics *m = &out[i];
        *m = (run_metrics){ NAN, NAN, 0, 0 };
        if (j->skip[i])
            continue;
        const double *th = j->theta + (size_t)i * j->n;
        double *aux = j->n_aux > 0 ? j->aux + (size_t)i * j->n_aux : NULL;
        /* loss and accuracy from one pass over each set */
        model_loss_accuracy(j->model, j->loss, j->train, th, aux, &m->train_loss, &m->train_acc);
        if (j->test)
            model_loss_accuracy(j->model, j->loss, j->test, th, aux, &m->test_loss, &m->test_acc);
    }
}

static void *metrics_main(void *arg)
{
    app_metrics *mw = arg;
    app_thread_background(1);
    for (;;) {
        pthread_mutex_lock(&mw->mu);
        while (!mw->quit && mw->pending.gen == 0)
            pthread_cond_wait(&mw->cv, &mw->mu);
        if (mw->quit) {
            pthread_mutex_unlock(&mw->mu);
            return NULL;
        }
        mjob j = mw->pending;
        memset(&mw->pending, 0, sizeof mw->pending);
        mw->busy = 1;
        pthread_mutex_unlock(&mw->mu);

        run_metrics out[TRAINER_MAX_RUNS];
        evaluate(&j, out);

        pthread_mutex_lock(&mw->mu);
        if (j.gen == mw->gen) {
            free(j.theta);
            free(j.aux);
            j.theta = j.aux = NULL;
            mjob_free(&mw->res);
            mw->res = j;
            memcpy(mw->out, out, sizeof out);
            mw->have = 1;
            mw->done++;
        } else {
            mjob_free(&j);
        }
        mw->busy = 0;
        pthread_cond_broadcast(&mw->cv);
        pthread_mutex_unlock(&mw->mu);
    }
}

app_metrics *app_metrics_create(void)
{
    app_metrics *mw = calloc(1, sizeof *mw);
    if (!mw)
        return NULL;
    pthread_mutex_init(&mw->mu, NULL);
    pthread_cond_init(&mw->cv, NULL);
    mw->gen = 1;
    mw->asked_step = -1;
    if (pthread_create(&mw->th, NULL, metrics_main, mw) != 0) {
        pthread_cond_destroy(&mw->cv);
        pthread_mutex_destroy(&mw->mu);
        free(mw);
        return NULL;
    }
    return mw;
}

void app_metrics_destroy(app_metrics *mw)
{
    if (!mw)
        return;
    pthread_mutex_lock(&mw->mu);
    mw->quit = 1;
    pthread_cond_broadcast(&mw->cv);
    pthread_mutex_unlock(&mw->mu);
    pthread_join(mw->th, NULL);
    mjob_free(&mw->pending);
    mjob_free(&mw->res);
    pthread_cond_destroy(&mw->cv);
    pthread_mutex_destroy(&mw->mu);
    free(mw);
}

/* A new generation: whatever is pending or computing answers nothing any more. */
static void new_generation(app_metrics *mw)
{
    pthread_mutex_lock(&mw->mu);
    mw->gen++;
    mjob_free(&mw->pending);
    mjob_free(&mw->res);
    mw->have = 0;
    pthread_mutex_unlock(&mw->mu);
    mw->in_flight = 0;
    mw->asked_step = -1;
    mw->last_ms = -1e300;
}

void app_metrics_forget(app_metrics *mw)
{
    if (mw)
        new_generation(mw);
}

void app_metrics_idle(app_metrics *mw)
{
    if (!mw)
        return;
    new_generation(mw);
    mw->asked_of = NULL;
    pthread_mutex_lock(&mw->mu);
    while (mw->busy)
        pthread_cond_wait(&mw->cv, &mw->mu);
    pthread_mutex_unlock(&mw->mu);
}

void app_metrics_finish(app_metrics *mw)
{
    if (!mw)
        return;
    pthread_mutex_lock(&mw->mu);
    while (mw->pending.gen != 0 || mw->busy)
        pthread_cond_wait(&mw->cv, &mw->mu);
    pthread_mutex_unlock(&mw->mu);
}

long app_metrics_stats(app_metrics *mw)
{
    if (!mw)
        return 0;
    pthread_mutex_lock(&mw->mu);
    long d = mw->done;
    pthread_mutex_unlock(&mw->mu);
    return d;
}

/* The result for p, if one is ready: into the series, the freshness mark and the
 * runs that have not moved since. */
static int apply(app_metrics *mw, app_problem *p)
{
    pthread_mutex_lock(&mw->mu);
    int have = mw->have && mw->res.of == p && mw->res.gen == mw->gen;
    mjob r = mw->res;
    run_metrics out[TRAINER_MAX_RUNS];
    memcpy(out, mw->out, sizeof out);
    if (mw->have) {
        mw->have = 0;
        memset(&mw->res, 0, sizeof mw->res);   /* θ was freed by the worker */
    }
    pthread_mutex_unlock(&mw->mu);
    if (!have)
        return 0;
    mw->in_flight = 0;
    for (int i = 0; i < r.n_runs && i < p->n_runs; i++) {
        if (r.skip[i])
            continue;
        const run_metrics *m = &out[i];
        app_problem_push_metrics(p, i, r.step, m->train_loss, m->train_acc, m->test_loss,
                                 m->test_acc);
        /* the run's full loss as of the update the snapshot was taken at */
        trainer_note_loss_at(p->trainer, i, m->train_loss, r.run_steps[i]);
    }
    p->metrics_step = r.step;
    return 1;
}

static void request(app_metrics *mw, app_problem *p, double now_ms)
{
    const int n = p->n, n_aux = model_aux_count(p->model), nr = p->n_runs;
    mjob j = { 0 };
    j.theta = malloc((size_t)nr * (size_t)n * sizeof *j.theta);
    j.aux = n_aux > 0 ? malloc((size_t)nr * (size_t)n_aux * sizeof *j.aux) : NULL;
    if (!j.theta || (n_aux > 0 && !j.aux)) {
        mjob_free(&j);
        return;   /* out of memory: no metrics this time */
    }
    j.of = p;
    j.model = p->model;
    j.train = p->train;
    j.test = p->test;
    j.loss = p->loss;
    j.n_runs = nr;
    j.n = n;
    j.n_aux = n_aux;
    j.step = trainer_steps(p->trainer);
    for (int i = 0; i < nr; i++) {
        const trainer_run *r = trainer_run_get(p->trainer, i);
        memcpy(j.theta + (size_t)i * n, r->theta, (size_t)n * sizeof *j.theta);
        if (n_aux > 0)
            memcpy(j.aux + (size_t)i * n_aux, r->aux, (size_t)n_aux * sizeof *j.aux);
        j.run_steps[i] = r->steps;
        j.skip[i] = r->diverged;
    }
    pthread_mutex_lock(&mw->mu);
    j.gen = mw->gen;
    mjob_free(&mw->pending);
    mw->pending = j;
    pthread_cond_broadcast(&mw->cv);
    pthread_mutex_unlock(&mw->mu);
    mw->in_flight = 1;
    mw->last_ms = now_ms;
    mw->asked_step = j.step;
}

int app_metrics_update(app_metrics *mw, app_problem *p, double steps_per_frame, double now_ms)
{
    if (!mw || !p || (!p->metrics_async && !app_metrics_wanted_at(p, steps_per_frame)))
        return 0;
    if (mw->asked_of != p || !p->metrics_async) {
        /* a problem new to the worker: the trainer stops computing full losses */
        new_generation(mw);
        mw->asked_of = p;
        p->metrics_async = 1;
        trainer_set_lazy_loss(p->trainer, 1);
    }
    int applied = apply(mw, p);
    if (!mw->in_flight && trainer_steps(p->trainer) != mw->asked_step &&
        now_ms - mw->last_ms >= APP_METRICS_PERIOD_MS)
        request(mw, p, now_ms);
    return applied;
}

#else /* __EMSCRIPTEN__: no threads; every problem keeps the synchronous path */

app_metrics *app_metrics_create(void) { return NULL; }
void app_metrics_destroy(app_metrics *mw) { (void)mw; }
int app_metrics_update(app_metrics *mw, app_problem *p, double steps_per_frame, double now_ms)
{
    (void)mw, (void)p, (void)steps_per_frame, (void)now_ms;
    return 0;
}
void app_metrics_forget(app_metrics *mw) { (void)mw; }
void app_metrics_idle(app_metrics *mw) { (void)mw; }
void app_metrics_finish(app_metrics *mw) { (void)mw; }
long app_metrics_stats(app_metrics *mw)
{
    (void)mw;
    return 0;
}

#endif
