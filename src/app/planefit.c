/*
 * planefit.c — the background plane fit. See planefit.h.
 *
 * One pthread, one mutex, one condition variable, one job slot and one result slot;
 * every request gets a new id, and only the result of the newest one is installed.
 * The points' buffers come from a pool of PLANEFIT_POOL, made and written through by
 * the worker while it has nothing to fit (planefit.h).
 */
#include "app/planefit.h"

#include <stdlib.h>
#include <string.h>

int app_planefit_points(int n)
{
    int most = n > 0 ? APP_PLANEFIT_DOUBLES / n : APP_PLANEFIT_POINTS;
    return most > APP_PLANEFIT_POINTS ? APP_PLANEFIT_POINTS : most < 64 ? 64 : most;
}

size_t app_planefit_cap(int n, int n_runs)
{
    /* a run of count points gives ceil(count / stride) + 1 ≤ count / stride + 2 of
     * them, and the stride keeps Σ count / stride ≤ app_planefit_points(n) */
    if (n <= 0 || n_runs <= 0)
        return 0;
    return ((size_t)app_planefit_points(n) + 2 * (size_t)n_runs) * (size_t)n;
}

#ifndef __EMSCRIPTEN__
#include <pthread.h>

#include "app/bgthread.h"

/* Buffers kept: one for the fit under way, one for a request meanwhile (--bench
 * without --speed refits every 100 steps whether or not the last fit is done). */
#define PLANEFIT_POOL 2

typedef struct fjob {
    unsigned long id;            /* 0: none */
    const app_problem *of;
    int n, count;
    double *theta0;              /* n, owned */
    double *pts;                 /* count × n, owned */
    size_t cap;                  /* doubles pts holds */
} fjob;

struct app_planefit {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int quit, busy;
    unsigned long next_id, newest_id;
    fjob pending;
    /* points buffers kept between requests (a fresh one of 2048 × 1185 doubles cost
     * the drawing thread ~19 MB of page faults): `need` doubles each (the largest
     * app_planefit_cap asked for), made and written through by the worker, so that a
     * request's copy takes no page fault (lesson 9: a refit frame 25–45 ms CPU
     * whenever the history had grown past the buffer kept, now ~1 ms more than
     * another frame) */
    double *pool[PLANEFIT_POOL];
    size_t pool_cap[PLANEFIT_POOL];
    size_t need;
    int lent;                    /* buffers out with requests (pending, being fitted) */
    long made;                   /* buffers the worker made */
    long caller_allocs;          /* buffers a request had to allocate itself */
    /* the result of the newest request */
    unsigned long res_id;
    const app_problem *res_of;
    plane *res;
    surface_domain res_dom;
};

static void fjob_free(fjob *j)
{
    free(j->theta0);
    free(j->pts);
    memset(j, 0, sizeof *j);
}

/* Under the lock: buffer b of cap doubles back into the pool (a free slot, else in
 * place of a smaller one; else freed). */
static void pool_put(app_planefit *pf, double *b, size_t cap)
{
    if (!b)
        return;
    int k = 0;   /* an empty slot, else the smallest buffer's */
    for (int i = 1; i < PLANEFIT_POOL && pf->pool[k]; i++)
        if (!pf->pool[i] || pf->pool_cap[i] < pf->pool_cap[k])
            k = i;
    if (!pf->pool[k] || pf->pool_cap[k] < cap) {
        double *old = pf->pool[k];
        pf->pool[k] = b;
        pf->pool_cap[k] = cap;
        b = old;
    }
    free(b);
}

/* Under the lock: a pooled buffer of at least cap doubles taken out, or NULL. */
static double *pool_take(app_planefit *pf, size_t cap, size_t *got)
{
    for (int i = 0; i < PLANEFIT_POOL; i++)
        if (pf->pool[i] && pf->pool_cap[i] >= cap) {
            double *b = pf->pool[i];
            *got = pf->pool_cap[i];
            pf->pool[i] = NULL;
            pf->pool_cap[i] = 0;
            return b;
        }
    return NULL;
}

/* Under the lock: the pending job dropped, its buffer kept. */
static void drop_pending(app_planefit *pf)
{
    if (pf->pending.id != 0)
        pf->lent--;
    pool_put(pf, pf->pending.pts, pf->pending.cap);
    pf->pending.pts = NULL;
    fjob_free(&pf->pending);
}

/* Under the lock: the pool's slot the worker should fill (empty or smaller than
 * need), or −1 when the buffers of `need` doubles pooled and those out with
 * requests (which come back) make PLANEFIT_POOL, or none is asked for yet. */
static int pool_short(const app_planefit *pf)
{
    if (pf->need == 0)   /* (no PCA problem prepared: nothing to make) */
        return -1;
    int ok = 0, slot = -1;
    for (int i = 0; i < PLANEFIT_POOL; i++) {
        if (pf->pool[i] && pf->pool_cap[i] >= pf->need)
            ok++;
        else if (slot < 0)
            slot = i;
    }
    return ok + pf->lent < PLANEFIT_POOL ? slot : -1;
}

/* Under the lock (dropped while it writes): one buffer of `need` doubles made and
 * every page written, here rather than in a request on the drawing thread. */
static void pool_fill(app_planefit *pf)
{
    size_t need = pf->need;
    pthread_mutex_unlock(&pf->mu);
    double *b = malloc(need * sizeof *b);
    /* a write on every page (not memset: malloc + memset 0 is compiled into calloc,
     * which leaves fresh pages untouched) */
    for (size_t i = 0; b && i < need; i += 256)
        b[i] = 0.0;
    pthread_mutex_lock(&pf->mu);
    if (b) {
        pf->made++;
        pool_put(pf, b, need);
    } else
        pf->need = 0;   /* out of memory: requests allocate their own */
}

static void *planefit_main(void *arg)
{
    app_planefit *pf = arg;
    app_thread_background(0);
    for (;;) {
        pthread_mutex_lock(&pf->mu);
        while (!pf->quit && pf->pending.id == 0 && pool_short(pf) < 0)
            pthread_cond_wait(&pf->cv, &pf->mu);
        if (pf->quit) {
            pthread_mutex_unlock(&pf->mu);
            return NULL;
        }
        if (pool_short(pf) >= 0) {
            /* a buffer made ready, before a fit that is waiting: on a loaded
             * machine there was always a request waiting, so the pool never got
             * its second buffer and the drawing thread allocated its own, page
             * faults and all, whenever a fit was still running at a refit */
            pool_fill(pf);
            pthread_mutex_unlock(&pf->mu);
            continue;
        }
        fjob j = pf->pending;
        memset(&pf->pending, 0, sizeof pf->pending);
        pf->busy = 1;
        pthread_mutex_unlock(&pf->mu);

        plane *pl = NULL;
        surface_domain dom;
        int ok = app_plane_pca_fit(j.theta0, j.n, j.pts, j.count, &pl, &dom);

        pthread_mutex_lock(&pf->mu);
        pf->lent--;
        pool_put(pf, j.pts, j.cap);
        j.pts = NULL;
        if (ok && j.id == pf->newest_id) {
            plane_destroy(pf->res);
            pf->res = pl;
            pf->res_dom = dom;
            pf->res_id = j.id;
            pf->res_of = j.of;
            pl = NULL;
        }
        pf->busy = 0;
        pthread_cond_broadcast(&pf->cv);
        pthread_mutex_unlock(&pf->mu);
        plane_destroy(pl);
        fjob_free(&j);
    }
}

app_planefit *app_planefit_create(void)
{
    app_planefit *pf = calloc(1, sizeof *pf);
    if (!pf)
        return NULL;
    pthread_mutex_init(&pf->mu, NULL);
    pthread_cond_init(&pf->cv, NULL);
    if (pthread_create(&pf->th, NULL, planefit_main, pf) != 0) {
        pthread_cond_destroy(&pf->cv);
        pthread_mutex_destroy(&pf->mu);
        free(pf);
        return NULL;
    }
    return pf;
}

void app_planefit_destroy(app_planefit *pf)
{
    if (!pf)
        return;
    pthread_mutex_lock(&pf->mu);
    pf->quit = 1;
    pthread_cond_broadcast(&pf->cv);
    pthread_mutex_unlock(&pf->mu);
    pthread_join(pf->th, NULL);
    fjob_free(&pf->pending);
    for (int i = 0; i < PLANEFIT_POOL; i++)
        free(pf->pool[i]);
    plane_destroy(pf->res);
    pthread_cond_destroy(&pf->cv);
    pthread_mutex_destroy(&pf->mu);
    free(pf);
}

void app_planefit_prepare(app_planefit *pf, const app_problem *p)
{
    if (!pf || !p->is_data || p->n <= 2)
        return;
    size_t need = app_planefit_cap(p->n, p->n_runs);
    pthread_mutex_lock(&pf->mu);
    if (need > pf->need) {
        pf->need = need;
        pthread_cond_broadcast(&pf->cv);
    }
    pthread_mutex_unlock(&pf->mu);
}

void app_planefit_buffers(app_planefit *pf, long *made, long *caller_allocs)
{
    pthread_mutex_lock(&pf->mu);
    *made = pf->made;
    *caller_allocs = pf->caller_allocs;
    pthread_mutex_unlock(&pf->mu);
}

int app_planefit_pooled(app_planefit *pf)
{
    pthread_mutex_lock(&pf->mu);
    int k = 0;
    for (int i = 0; i < PLANEFIT_POOL; i++)
        k += pf->pool[i] && pf->pool_cap[i] >= pf->need;
    pthread_mutex_unlock(&pf->mu);
    return k;
}

int app_planefit_request(app_planefit *pf, const app_problem *p)
{
    if (!p->is_data || p->n <= 2)
        return 0;
    app_planefit_prepare(pf, p);   /* buffers for the requests after this one */
    const int n = p->n;
    int total = 0;
    for (int i = 0; i < p->n_runs; i++) {
        int count;
        trainer_history(p->trainer, i, &count);
        total += count;
    }
    /* every point, or every stride-th of each run and its last */
    const int most = app_planefit_points(n);
    const int stride = total <= most ? 1 : (total + most - 1) / most;
    int cap = 0;
    for (int i = 0; i < p->n_runs; i++) {
        int count;
        trainer_history(p->trainer, i, &count);
        cap += (count + stride - 1) / stride + 1;
    }
    fjob j = { 0 };
    j.cap = (size_t)cap * (size_t)n;
    pthread_mutex_lock(&pf->mu);
    if (pf->pending.id != 0)   /* replaced below: its buffer serves this request */
        drop_pending(pf);
    size_t got = 0;
    j.pts = pool_take(pf, j.cap, &got);   /* (pages already there) */
    if (j.pts)
        j.cap = got;
    else
        pf->caller_allocs++;
    pf->lent++;   /* (so the worker makes no buffer in its place meanwhile) */
    pthread_mutex_unlock(&pf->mu);
    j.theta0 = malloc((size_t)n * sizeof *j.theta0);
    if (!j.pts)   /* none ready: this one's pages are faulted in here */
        j.pts = malloc(j.cap * sizeof *j.pts);
    if (!j.theta0 || !j.pts) {
        pthread_mutex_lock(&pf->mu);
        pf->lent--;
        pool_put(pf, j.pts, j.cap);
        pthread_mutex_unlock(&pf->mu);
        j.pts = NULL;
        fjob_free(&j);
        return 0;
    }
    memcpy(j.theta0, p->theta0, (size_t)n * sizeof *j.theta0);
    int k = 0;
    for (int i = 0; i < p->n_runs; i++) {
        int count;
        trainer_history(p->trainer, i, &count);
        for (int q = 0; q < count; q++) {
            if (q % stride != 0 && q != count - 1)
                continue;
            memcpy(j.pts + (size_t)k * n, trainer_history_theta(p->trainer, i, q),
                   (size_t)n * sizeof *j.pts);
            k++;
        }
    }
    j.n = n;
    j.count = k;
    j.of = p;
    pthread_mutex_lock(&pf->mu);
    j.id = ++pf->next_id;
    pf->newest_id = j.id;
    drop_pending(pf);
    pf->pending = j;
    pthread_cond_broadcast(&pf->cv);
    pthread_mutex_unlock(&pf->mu);
    return 1;
}

int app_planefit_take(app_planefit *pf, app_problem *p)
{
    pthread_mutex_lock(&pf->mu);
    int ok = pf->res && pf->res_id == pf->newest_id && pf->res_of == p;
    plane *pl = ok ? pf->res : NULL;
    surface_domain dom = pf->res_dom;
    if (ok) {
        pf->res = NULL;
        pf->res_id = 0;
    }
    pthread_mutex_unlock(&pf->mu);
    if (ok)
        app_problem_set_plane(p, pl, dom);
    return ok;
}

void app_planefit_idle(app_planefit *pf)
{
    if (!pf)
        return;
    pthread_mutex_lock(&pf->mu);
    drop_pending(pf);
    pf->newest_id = ++pf->next_id;   /* nothing computed from now on answers anything */
    while (pf->busy)
        pthread_cond_wait(&pf->cv, &pf->mu);
    plane_destroy(pf->res);
    pf->res = NULL;
    pf->res_of = NULL;
    pthread_mutex_unlock(&pf->mu);
}

int app_planefit_busy(app_planefit *pf)
{
    pthread_mutex_lock(&pf->mu);
    int b = pf->pending.id != 0 || pf->busy || (pf->res && pf->res_id == pf->newest_id);
    pthread_mutex_unlock(&pf->mu);
    return b;
}

#else /* __EMSCRIPTEN__ */

app_planefit *app_planefit_create(void) { return NULL; }
void app_planefit_destroy(app_planefit *pf) { (void)pf; }
int app_planefit_request(app_planefit *pf, const app_problem *p)
{
    (void)pf, (void)p;
    return 0;
}
int app_planefit_take(app_planefit *pf, app_problem *p)
{
    (void)pf, (void)p;
    return 0;
}
void app_planefit_idle(app_planefit *pf) { (void)pf; }
void app_planefit_prepare(app_planefit *pf, const app_problem *p)
{
    (void)pf, (void)p;
}
void app_planefit_buffers(app_planefit *pf, long *made, long *caller_allocs)
{
    (void)pf;
    *made = *caller_allocs = 0;
}
int app_planefit_pooled(app_planefit *pf)
{
    (void)pf;
    return 0;
}
int app_planefit_busy(app_planefit *pf)
{
    (void)pf;
    return 0;
}

#endif
