/*
 * planefit.c — the background plane fit. See planefit.h.
 *
 * One pthread, one mutex, one condition variable, one job slot and one result slot;
 * every request gets a new id, and only the result of the newest one is installed.
 */
#include "app/planefit.h"

#include <stdlib.h>
#include <string.h>

int app_planefit_points(int n)
{
    int most = n > 0 ? APP_PLANEFIT_DOUBLES / n : APP_PLANEFIT_POINTS;
    return most > APP_PLANEFIT_POINTS ? APP_PLANEFIT_POINTS : most < 64 ? 64 : most;
}

#ifndef __EMSCRIPTEN__
#include <pthread.h>

#include "app/bgthread.h"

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
    /* a fitted job's points buffer, kept for the next request: a fresh one of
     * 2048 × 1185 doubles cost the drawing thread ~19 MB of page faults each refit */
    double *spare;
    size_t spare_cap;
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

static void *planefit_main(void *arg)
{
    app_planefit *pf = arg;
    app_thread_background(0);
    for (;;) {
        pthread_mutex_lock(&pf->mu);
        while (!pf->quit && pf->pending.id == 0)
            pthread_cond_wait(&pf->cv, &pf->mu);
        if (pf->quit) {
            pthread_mutex_unlock(&pf->mu);
            return NULL;
        }
        fjob j = pf->pending;
        memset(&pf->pending, 0, sizeof pf->pending);
        pf->busy = 1;
        pthread_mutex_unlock(&pf->mu);

        plane *pl = NULL;
        surface_domain dom;
        int ok = app_plane_pca_fit(j.theta0, j.n, j.pts, j.count, &pl, &dom);

        pthread_mutex_lock(&pf->mu);
        if (j.cap > pf->spare_cap) {   /* the larger buffer is kept */
            free(pf->spare);
            pf->spare = j.pts;
            pf->spare_cap = j.cap;
            j.pts = NULL;
        }
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
    free(pf->spare);
    plane_destroy(pf->res);
    pthread_cond_destroy(&pf->cv);
    pthread_mutex_destroy(&pf->mu);
    free(pf);
}

int app_planefit_request(app_planefit *pf, const app_problem *p)
{
    if (!p->is_data || p->n <= 2)
        return 0;
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
    if (pf->spare_cap >= j.cap) {   /* (pages already there) */
        j.pts = pf->spare;
        j.cap = pf->spare_cap;
        pf->spare = NULL;
        pf->spare_cap = 0;
    }
    pthread_mutex_unlock(&pf->mu);
    j.theta0 = malloc((size_t)n * sizeof *j.theta0);
    if (!j.pts)
        j.pts = malloc(j.cap * sizeof *j.pts);
    if (!j.theta0 || !j.pts) {
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
    fjob_free(&pf->pending);
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
    fjob_free(&pf->pending);
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
int app_planefit_busy(app_planefit *pf)
{
    (void)pf;
    return 0;
}

#endif
