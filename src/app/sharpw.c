/*
 * sharpw.c — the background sharpness samples. See sharpw.h.
 *
 * One pthread, one mutex, one condition variable, APP_SHARPW_SLOTS job slots, each
 * free, queued, running or done; the worker takes the queued slot asked for first.
 */
#include "app/sharpw.h"

#include <stdlib.h>
#include <string.h>

#ifndef __EMSCRIPTEN__
#include <pthread.h>

#include "app/bgthread.h"

enum { SLOT_FREE, SLOT_QUEUED, SLOT_RUNNING, SLOT_DONE };

typedef struct sjob {
    int state;
    unsigned long seq;           /* order asked */
    const app_problem *of;
    unsigned long gen;           /* of->sharp_gen when asked */
    int run;
    long step;
    double *theta, *aux;         /* n and n_aux (aux NULL: none), owned */
    double value;
} sjob;

struct app_sharpw {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int quit;
    unsigned long seq;
    int n, n_aux;                /* the slots' sizes */
    sjob slot[APP_SHARPW_SLOTS];
};

static void *sharpw_main(void *arg)
{
    app_sharpw *sw = arg;
    app_thread_background(1);
    pthread_mutex_lock(&sw->mu);
    while (!sw->quit) {
        sjob *j = NULL;
        for (int k = 0; k < APP_SHARPW_SLOTS; k++)
            if (sw->slot[k].state == SLOT_QUEUED && (!j || sw->slot[k].seq < j->seq))
                j = &sw->slot[k];
        if (!j) {
            pthread_cond_wait(&sw->cv, &sw->mu);
            continue;
        }
        j->state = SLOT_RUNNING;
        pthread_mutex_unlock(&sw->mu);
        double v = app_problem_sharpness_at(j->of, j->theta, j->of->obj.n_aux > 0 ? j->aux : NULL);
        pthread_mutex_lock(&sw->mu);
        j->value = v;
        j->state = SLOT_DONE;
        pthread_cond_broadcast(&sw->cv);
    }
    pthread_mutex_unlock(&sw->mu);
    return NULL;
}

app_sharpw *app_sharpw_create(void)
{
    app_sharpw *sw = calloc(1, sizeof *sw);
    if (!sw)
        return NULL;
    pthread_mutex_init(&sw->mu, NULL);
    pthread_cond_init(&sw->cv, NULL);
    if (pthread_create(&sw->th, NULL, sharpw_main, sw) != 0) {
        pthread_cond_destroy(&sw->cv);
        pthread_mutex_destroy(&sw->mu);
        free(sw);
        return NULL;
    }
    return sw;
}

void app_sharpw_destroy(app_sharpw *sw)
{
    if (!sw)
        return;
    pthread_mutex_lock(&sw->mu);
    sw->quit = 1;
    pthread_cond_broadcast(&sw->cv);
    pthread_mutex_unlock(&sw->mu);
    pthread_join(sw->th, NULL);
    for (int k = 0; k < APP_SHARPW_SLOTS; k++) {
        free(sw->slot[k].theta);
        free(sw->slot[k].aux);
    }
    pthread_cond_destroy(&sw->cv);
    pthread_mutex_destroy(&sw->mu);
    free(sw);
}

/* p->sharp_request: a free slot gets run's θ and moving averages now. */
static int request(void *ctx, const app_problem *p, int run, long step)
{
    app_sharpw *sw = ctx;
    const trainer_run *r = trainer_run_get(p->trainer, run);
    pthread_mutex_lock(&sw->mu);
    sjob *j = NULL;
    for (int k = 0; k < APP_SHARPW_SLOTS && !j; k++)
        if (sw->slot[k].state == SLOT_FREE)
            j = &sw->slot[k];
    if (j) {   /* a free slot is not the worker's: filled under the lock all the same */
        memcpy(j->theta, r->theta, (size_t)p->n * sizeof *j->theta);
        if (p->obj.n_aux > 0)
            memcpy(j->aux, r->aux, (size_t)p->obj.n_aux * sizeof *j->aux);
        j->of = p;
        j->gen = p->sharp_gen;
        j->run = run;
        j->step = step;
        j->seq = ++sw->seq;
        j->state = SLOT_QUEUED;
        pthread_cond_broadcast(&sw->cv);
    }
    pthread_mutex_unlock(&sw->mu);
    return j != NULL;
}

int app_sharpw_attach(app_sharpw *sw, app_problem *p)
{
    if (!sw || !p->is_data)
        return 0;
    app_sharpw_idle(sw);
    int n_aux = p->obj.n_aux;
    if (p->n > sw->n || n_aux > sw->n_aux) {   /* the slots grow (nothing uses them now) */
        int n = p->n > sw->n ? p->n : sw->n, na = n_aux > sw->n_aux ? n_aux : sw->n_aux;
        for (int k = 0; k < APP_SHARPW_SLOTS; k++) {
            double *th = realloc(sw->slot[k].theta, (size_t)n * sizeof *th);
            if (th)
                sw->slot[k].theta = th;
            double *ax = na > 0 ? realloc(sw->slot[k].aux, (size_t)na * sizeof *ax) : sw->slot[k].aux;
            if (ax)
                sw->slot[k].aux = ax;
            if (!th || (na > 0 && !ax))
                return 0;
        }
        sw->n = n;
        sw->n_aux = na;
    }
    p->sharp_request = request;
    p->sharp_ctx = sw;
    return 1;
}

void app_sharpw_update(app_sharpw *sw, app_problem *p)
{
    if (!sw)
        return;
    pthread_mutex_lock(&sw->mu);
    for (int k = 0; k < APP_SHARPW_SLOTS; k++) {
        sjob *j = &sw->slot[k];
        if (j->state != SLOT_DONE || j->of != p)
            continue;
        app_problem_sharp_answer(p, j->gen, j->run, j->step, j->value);
        j->state = SLOT_FREE;
    }
    pthread_mutex_unlock(&sw->mu);
}

void app_sharpw_idle(app_sharpw *sw)
{
    if (!sw)
        return;
    pthread_mutex_lock(&sw->mu);
    for (int k = 0; k < APP_SHARPW_SLOTS; k++)
        if (sw->slot[k].state == SLOT_QUEUED)
            sw->slot[k].state = SLOT_FREE;
    for (int k = 0; k < APP_SHARPW_SLOTS; k++)
        while (sw->slot[k].state == SLOT_RUNNING)
            pthread_cond_wait(&sw->cv, &sw->mu);
    for (int k = 0; k < APP_SHARPW_SLOTS; k++)
        sw->slot[k].state = SLOT_FREE;
    pthread_mutex_unlock(&sw->mu);
}

void app_sharpw_finish(app_sharpw *sw, app_problem *p)
{
    if (!sw)
        return;
    pthread_mutex_lock(&sw->mu);
    for (int k = 0; k < APP_SHARPW_SLOTS; k++)
        while (sw->slot[k].state == SLOT_QUEUED || sw->slot[k].state == SLOT_RUNNING)
            pthread_cond_wait(&sw->cv, &sw->mu);
    pthread_mutex_unlock(&sw->mu);
    app_sharpw_update(sw, p);
}

#else /* __EMSCRIPTEN__ */

app_sharpw *app_sharpw_create(void) { return NULL; }
void app_sharpw_destroy(app_sharpw *sw) { (void)sw; }
int app_sharpw_attach(app_sharpw *sw, app_problem *p)
{
    (void)sw, (void)p;
    return 0;
}
void app_sharpw_update(app_sharpw *sw, app_problem *p) { (void)sw, (void)p; }
void app_sharpw_idle(app_sharpw *sw) { (void)sw; }
void app_sharpw_finish(app_sharpw *sw, app_problem *p) { (void)sw, (void)p; }

#endif
