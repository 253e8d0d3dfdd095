/*
 * trailproj.c — the trails' plane coordinates, projected incrementally (trailproj.h).
 */
#include "app/trailproj.h"

#include <stdlib.h>
#include <string.h>

static void run_free(app_trail_coords *r)
{
    free(r->id);
    free(r->ab);
    memset(r, 0, sizeof *r);
}

void app_trailproj_free(app_trailproj *c)
{
    for (int i = 0; i < TRAINER_MAX_RUNS; i++)
        run_free(&c->run[i]);
    free(c->plane);
    free(c->scratch_ab);
    free(c->scratch_id);
    long projected = c->projected;
    memset(c, 0, sizeof *c);
    c->projected = projected;
}

/* Room for m points in r and in the scratch. */
static int reserve(app_trailproj *c, app_trail_coords *r, int m)
{
    if (m > r->cap) {
        uint64_t *id = realloc(r->id, (size_t)m * sizeof *id);
        if (id)
            r->id = id;
        double *ab = realloc(r->ab, 2 * (size_t)m * sizeof *ab);
        if (ab)
            r->ab = ab;
        if (!id || !ab)
            return 0;
        r->cap = m;
    }
    if (m > c->scratch_cap) {
        uint64_t *id = realloc(c->scratch_id, (size_t)m * sizeof *id);
        if (id)
            c->scratch_id = id;
        double *ab = realloc(c->scratch_ab, 2 * (size_t)m * sizeof *ab);
        if (ab)
            c->scratch_ab = ab;
        if (!id || !ab)
            return 0;
        c->scratch_cap = m;
    }
    return 1;
}

/* 1 if the plane's origin and directions are the ones c's coordinates are of;
 * else they become them (c->plane must hold 3 × n). */
static int same_plane(app_trailproj *c, const plane *pl)
{
    size_t b = (size_t)pl->n * sizeof(double);
    int same = memcmp(c->plane, pl->origin, b) == 0 && memcmp(c->plane + pl->n, pl->d1, b) == 0 &&
               memcmp(c->plane + 2 * pl->n, pl->d2, b) == 0;
    if (!same) {
        memcpy(c->plane, pl->origin, b);
        memcpy(c->plane + pl->n, pl->d1, b);
        memcpy(c->plane + 2 * pl->n, pl->d2, b);
    }
    return same;
}

/* Run i's coordinates after its history: kept ones by id, the rest projected (four
 * at a time, plane_project_rows). */
static int update_run(app_trailproj *c, const app_problem *p, int i)
{
    app_trail_coords *r = &c->run[i];
    int n = 0;
    const trainer_point *h = trainer_history(p->trainer, i, &n);
    if (!reserve(c, r, n > 0 ? n : 1))
        return 0;
    uint64_t *id = c->scratch_id;
    double *ab = c->scratch_ab;
    int k = 0;
    for (int j = 0; j < n;) {
        while (k < r->count && r->id[k] < h[j].id)
            k++;
        if (k < r->count && r->id[k] == h[j].id) {
            id[j] = h[j].id;
            ab[2 * j] = r->ab[2 * k];
            ab[2 * j + 1] = r->ab[2 * k + 1];
            j++;
            continue;
        }
        int j1 = j + 1;   /* the stretch of points not kept */
        for (; j1 < n; j1++) {
            while (k < r->count && r->id[k] < h[j1].id)
                k++;
            if (k < r->count && r->id[k] == h[j1].id)
                break;
        }
        /* (a thinning leaves the history's θ rows where they were: by pointer) */
        enum { CHUNK = 64 };
        const double *rows[CHUNK];
        for (int q0 = j; q0 < j1; q0 += CHUNK) {
            int m = j1 - q0 < CHUNK ? j1 - q0 : CHUNK;
            for (int q = 0; q < m; q++)
                rows[q] = trainer_history_theta(p->trainer, i, q0 + q);
            plane_project_rows(p->plane, rows, m, ab + 2 * (size_t)q0);
        }
        for (int q = j; q < j1; q++)
            id[q] = h[q].id;
        c->projected += j1 - j;
        j = j1;
    }
    /* the merged arrays become the run's; its old ones the scratch */
    c->scratch_id = r->id;
    c->scratch_ab = r->ab;
    r->id = id;
    r->ab = ab;
    int cap = r->cap;
    r->cap = c->scratch_cap;
    c->scratch_cap = cap;
    r->count = n;
    return 1;
}

int app_trailproj_update(app_trailproj *c, const app_problem *p)
{
    if (!p->is_data || !p->plane || !p->trainer) {
        app_trailproj_free(c);
        return 0;
    }
    int nr = trainer_run_count(p->trainer);
    if (c->of != p || c->n != p->plane->n || c->n_runs != nr) {
        app_trailproj_free(c);
        c->plane = malloc(3 * (size_t)p->plane->n * sizeof *c->plane);
        if (!c->plane)
            return 0;
        c->of = p;
        c->n = p->plane->n;
        c->n_runs = nr;
        same_plane(c, p->plane);
    } else if (!same_plane(c, p->plane)) {
        for (int i = 0; i < nr; i++)
            c->run[i].count = 0;   /* a new plane: every point again */
    }
    for (int i = 0; i < nr; i++)
        if (!update_run(c, p, i)) {
            app_trailproj_free(c);
            return 0;
        }
    return 1;
}

const double *app_trailproj_run(const app_trailproj *c, int i, int *count)
{
    if (!c->of || i < 0 || i >= c->n_runs) {
        *count = 0;
        return NULL;
    }
    *count = c->run[i].count;
    return c->run[i].ab;
}
