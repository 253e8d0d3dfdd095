/*
 * worker.c — the background surface worker. See worker.h.
 *
 * One pthread, one mutex, one condition variable. The request slot holds at most one
 * pending job (a newer request replaces it and raises `cancel` for the running one);
 * the result slot holds the newest published grid with the id of the request it
 * answers. The thread computes with one OpenMP thread fewer than there are
 * processors and (Linux) 5 nice steps below the window, so the drawing thread keeps a core. Without
 * pthreads (the browser build) app_worker_create returns NULL and
 * the window computes its surfaces itself.
 */
#include "app/worker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/surface.h"

#ifndef __EMSCRIPTEN__
#include <pthread.h>

#include "app/bgthread.h"
#include <stdatomic.h>
#include <unistd.h>

typedef struct job {
    unsigned long id;
    objective obj;               /* copied; its ctx outlives the job (app_worker_idle) */
    const model *model;
    const dataset *data;
    loss_kind loss;
    plane *pl;                   /* owned copy */
    int *idx;                    /* owned copy of the batch, or NULL */
    int count;
    surface_domain dom;
    int n;                       /* full grid side asked for */
} job;

struct app_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int quit;
    job pending;                 /* id 0: none */
    int busy;                    /* a job is being computed */
    unsigned long next_id, newest_id;
    _Atomic int cancel;
    /* the published grid */
    unsigned long res_id, seq;
    int res_n;
    surface_domain res_dom;
    double *res;
    long n_coarse, n_full;       /* grids published */
};

static void job_free(job *j)
{
    plane_destroy(j->pl);
    free(j->idx);
    memset(j, 0, sizeof *j);
}

static plane *plane_copy(const plane *p)
{
    plane *c = plane_create_params(p->origin, p->n, 0, p->n > 1 ? 1 : 0);
    if (!c)
        return NULL;
    *c = (plane){ .kind = p->kind, .n = p->n, .origin = c->origin, .d1 = c->d1, .d2 = c->d2,
                  .i = p->i, .j = p->j, .explained = { p->explained[0], p->explained[1] } };
    memcpy(c->d1, p->d1, (size_t)p->n * sizeof *c->d1);
    memcpy(c->d2, p->d2, (size_t)p->n * sizeof *c->d2);
    return c;
}

/* One grid of side m for job j into a new array; NULL if cancelled or out of memory. */
static double *compute(app_worker *wk, const job *j, int m)
{
    double *v = malloc((size_t)m * (size_t)m * sizeof *v);
    if (!v)
        return NULL;
    landscape_desc g = { .obj = &j->obj, .plane = j->pl, .model = j->model, .data = j->data,
                         .loss = j->loss, .idx = j->idx, .count = j->idx ? j->count : 0,
                         .dom = j->dom, .nx = m, .ny = m, .cancel = &wk->cancel };
    if (!landscape_eval_grid(&g, v)) {
        free(v);
        return NULL;
    }
    return v;
}

static void publish(app_worker *wk, const job *j, int m, double *v, int full)
{
    pthread_mutex_lock(&wk->mu);
    if (j->id == wk->newest_id) {
        *(full ? &wk->n_full : &wk->n_coarse) += 1;
        free(wk->res);
        wk->res = v;
        wk->res_n = m;
        wk->res_dom = j->dom;
        wk->res_id = j->id;
        wk->seq++;
        v = NULL;
    }
    pthread_mutex_unlock(&wk->mu);
    free(v);
}

static void *worker_main(void *arg)
{
    app_worker *wk = arg;
    app_thread_background(1);
    for (;;) {
        pthread_mutex_lock(&wk->mu);
        while (!wk->quit && wk->pending.id == 0)
            pthread_cond_wait(&wk->cv, &wk->mu);
        if (wk->quit) {
            pthread_mutex_unlock(&wk->mu);
            return NULL;
        }
        job j = wk->pending;
        memset(&wk->pending, 0, sizeof wk->pending);
        wk->busy = 1;
        atomic_store(&wk->cancel, 0);
        pthread_mutex_unlock(&wk->mu);

        /* cost per grid point ~ samples × parameters: the coarse grid, then the full */
        const double count = j.idx ? j.count : j.data->n;
        const double per_point = fmax(1.0, count * (double)j.obj.n);
        int full = j.n;
        if (per_point * full * full > APP_WORKER_BUDGET)
            full = (int)sqrt(APP_WORKER_BUDGET / per_point);
        int coarse = APP_WORKER_COARSE < full ? APP_WORKER_COARSE : full;
        if (coarse < 8)
            coarse = full = 8;
        double *v = compute(wk, &j, coarse);
        if (v)
            publish(wk, &j, coarse, v, full == coarse && j.n > APP_WORKER_COARSE);
        if (v && full > coarse && !atomic_load(&wk->cancel)) {
            v = compute(wk, &j, full);
            if (v)
                publish(wk, &j, full, v, 1);
        }
        job_free(&j);
        pthread_mutex_lock(&wk->mu);
        wk->busy = 0;
        pthread_cond_broadcast(&wk->cv);
        pthread_mutex_unlock(&wk->mu);
    }
}

app_worker *app_worker_create(void)
{
    app_worker *wk = calloc(1, sizeof *wk);
    if (!wk)
        return NULL;
    pthread_mutex_init(&wk->mu, NULL);
    pthread_cond_init(&wk->cv, NULL);
    atomic_init(&wk->cancel, 0);
    if (pthread_create(&wk->th, NULL, worker_main, wk) != 0) {
        pthread_cond_destroy(&wk->cv);
        pthread_mutex_destroy(&wk->mu);
        free(wk);
        return NULL;
    }
    return wk;
}

void app_worker_destroy(app_worker *wk)
{
    if (!wk)
        return;
    pthread_mutex_lock(&wk->mu);
    wk->quit = 1;
    atomic_store(&wk->cancel, 1);
    pthread_cond_broadcast(&wk->cv);
    pthread_mutex_unlock(&wk->mu);
    pthread_join(wk->th, NULL);
    job_free(&wk->pending);
    free(wk->res);
    pthread_cond_destroy(&wk->cv);
    pthread_mutex_destroy(&wk->mu);
    free(wk);
}

void app_worker_request(app_worker *wk, const app_problem *p, int batch_only, int n)
{
    job j = { 0 };
    j.obj = p->obj;
    j.model = p->model;
    j.data = p->train;
    j.loss = p->loss;
    j.dom = p->domain;
    j.n = n;
    j.pl = plane_copy(p->plane);
    if (batch_only) {
        int count = 0;
        const int *idx = trainer_last_batch(p->trainer, 0, &count);
        if (idx && count > 0) {
            j.idx = malloc((size_t)count * sizeof *j.idx);
            if (j.idx) {
                memcpy(j.idx, idx, (size_t)count * sizeof *j.idx);
                j.count = count;
            }
        }
    }
    pthread_mutex_lock(&wk->mu);
    j.id = ++wk->next_id;
    wk->newest_id = j.id;
    job_free(&wk->pending);
    if (j.pl)
        wk->pending = j;
    else
        job_free(&j);        /* out of memory: no grid for this request */
    atomic_store(&wk->cancel, 1);   /* the running job (if any) is older */
    pthread_cond_broadcast(&wk->cv);
    pthread_mutex_unlock(&wk->mu);
}

unsigned long app_worker_seq(app_worker *wk)
{
    pthread_mutex_lock(&wk->mu);
    unsigned long s = wk->seq;
    pthread_mutex_unlock(&wk->mu);
    return s;
}

int app_worker_fetch(app_worker *wk, surface_domain dom, int nx, int ny, double *values)
{
    pthread_mutex_lock(&wk->mu);
    int ok = wk->res && wk->res_id == wk->newest_id &&
             memcmp(&dom, &wk->res_dom, sizeof dom) == 0;
    if (ok)
        surface_grid_resample(wk->res, wk->res_n, nx, ny, values);
    pthread_mutex_unlock(&wk->mu);
    return ok;
}

int app_worker_sample(app_worker *wk, surface_domain dom, double a, double b, double *v)
{
    pthread_mutex_lock(&wk->mu);
    int ok = wk->res && wk->res_id == wk->newest_id &&
             memcmp(&dom, &wk->res_dom, sizeof dom) == 0;
    if (ok) {
        const int m = wk->res_n;
        double u = (a - dom.xmin) / (dom.xmax - dom.xmin) * (m - 1);
        double t = (b - dom.ymin) / (dom.ymax - dom.ymin) * (m - 1);
        ok = u >= 0 && u <= m - 1 && t >= 0 && t <= m - 1;
        if (ok) {
            int i0 = (int)u < m - 1 ? (int)u : m - 2, j0 = (int)t < m - 1 ? (int)t : m - 2;
            double tu = u - i0, tv = t - j0;
            const double *r0 = wk->res + (size_t)j0 * m, *r1 = r0 + m;
            double lo = r0[i0] + tu * (r0[i0 + 1] - r0[i0]);
            double hi = r1[i0] + tu * (r1[i0 + 1] - r1[i0]);
            *v = lo + tv * (hi - lo);
        }
    }
    pthread_mutex_unlock(&wk->mu);
    return ok;
}

void app_worker_idle(app_worker *wk)
{
    if (!wk)
        return;
    pthread_mutex_lock(&wk->mu);
    job_free(&wk->pending);
    wk->newest_id = ++wk->next_id;   /* nothing published from now on answers anything */
    atomic_store(&wk->cancel, 1);
    while (wk->busy)
        pthread_cond_wait(&wk->cv, &wk->mu);
    free(wk->res);
    wk->res = NULL;
    pthread_mutex_unlock(&wk->mu);
}

void app_worker_finish(app_worker *wk)
{
    pthread_mutex_lock(&wk->mu);
    while (wk->pending.id != 0 || wk->busy)
        pthread_cond_wait(&wk->cv, &wk->mu);
    pthread_mutex_unlock(&wk->mu);
}

void app_worker_stats(app_worker *wk, long *coarse, long *full)
{
    pthread_mutex_lock(&wk->mu);
    *coarse = wk->n_coarse;
    *full = wk->n_full;
    pthread_mutex_unlock(&wk->mu);
}

#else /* __EMSCRIPTEN__: no threads; the window computes surfaces itself */

app_worker *app_worker_create(void) { return NULL; }
void app_worker_destroy(app_worker *wk) { (void)wk; }
void app_worker_request(app_worker *wk, const app_problem *p, int batch_only, int n)
{
    (void)wk, (void)p, (void)batch_only, (void)n;
}
unsigned long app_worker_seq(app_worker *wk) { (void)wk; return 0; }
int app_worker_fetch(app_worker *wk, surface_domain dom, int nx, int ny, double *values)
{
    (void)wk, (void)dom, (void)nx, (void)ny, (void)values;
    return 0;
}
int app_worker_sample(app_worker *wk, surface_domain dom, double a, double b, double *v)
{
    (void)wk, (void)dom, (void)a, (void)b, (void)v;
    return 0;
}
void app_worker_idle(app_worker *wk) { (void)wk; }
void app_worker_finish(app_worker *wk) { (void)wk; }
void app_worker_stats(app_worker *wk, long *coarse, long *full)
{
    (void)wk;
    *coarse = *full = 0;
}

#endif
