/*
 * trailproj.c — the trails' plane coordinates, projected incrementally, and eased
 * from their sums (trailproj.h).
 */
#include "app/trailproj.h"

#include <stdlib.h>
#include <string.h>

static void coords_free(app_trail_coords *r)
{
    free(r->id);
    free(r->ab);
    free(r->r);
    free(r->rf);
    free(r->rt);
    free(r->has_rt);
    memset(r, 0, sizeof *r);
}

void app_trailproj_free(app_trailproj *c)
{
    for (int i = 0; i < TRAINER_MAX_RUNS; i++)
        coords_free(&c->run[i]);
    coords_free(&c->scratch);
    free(c->plane);
    free(c->ease);
    long projected = c->projected;
    memset(c, 0, sizeof *c);
    c->projected = projected;
}

/* Room for m points in r (its contents kept). */
static int grow(app_trail_coords *r, int m)
{
    if (m <= r->cap)
        return 1;
#define GROW(field, per)                                                         \
    do {                                                                         \
        void *q = realloc(r->field, (size_t)m * (per) * sizeof *r->field);       \
        if (!q)                                                                  \
            return 0;                                                            \
        r->field = q;                                                            \
    } while (0)
    GROW(id, 1);
    GROW(ab, 2);
    GROW(r, 2);
    GROW(rf, 2);
    GROW(rt, 2);
    GROW(has_rt, 1);
#undef GROW
    r->cap = m;
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

/* 1 if p's directions are exactly d1 then d2 of dirs (2 × n). */
static int dirs_are(const plane *pl, const double *dirs)
{
    size_t b = (size_t)pl->n * sizeof(double);
    return memcmp(pl->d1, dirs, b) == 0 && memcmp(pl->d2, dirs + pl->n, b) == 0;
}

enum { CHUNK = 64 };

/* The sums of points j0..j1−1 of run i's history with origin o and directions
 * dirs (d1 then d2, 2 × n) into r (2 per point, from index j0). */
static void sums(const app_problem *p, int i, int j0, int j1, const double *o, const double *dirs, double *r)
{
    const double *rows[CHUNK];
    int n = p->plane->n;
    for (int q0 = j0; q0 < j1; q0 += CHUNK) {
        int m = j1 - q0 < CHUNK ? j1 - q0 : CHUNK;
        for (int q = 0; q < m; q++)
            rows[q] = trainer_history_theta(p->trainer, i, q0 + q);
        plane_sums_rows(o, dirs, dirs + n, n, rows, m, r + 2 * (size_t)q0);
    }
}

/* Run i's coordinates after its history: kept ones by id, the rest projected (four
 * at a time, plane_sums_rows): while easing, their from- and to-sums (the
 * coordinates follow in ease_pass); else the sums and coordinates of the plane. */
static int update_run(app_trailproj *c, const app_problem *p, int i)
{
    app_trail_coords *r = &c->run[i], *s = &c->scratch;
    int n = 0;
    const trainer_point *h = trainer_history(p->trainer, i, &n);
    if (!grow(r, n > 0 ? n : 1) || !grow(s, n > 0 ? n : 1))
        return 0;
    const plane *pl = p->plane;
    int np = pl->n;
    double g[3];
    plane_gram(pl, g);
    int k = 0;
    for (int j = 0; j < n;) {
        while (k < r->count && r->id[k] < h[j].id)
            k++;
        if (k < r->count && r->id[k] == h[j].id) {
            s->id[j] = h[j].id;
            memcpy(s->ab + 2 * (size_t)j, r->ab + 2 * (size_t)k, 2 * sizeof(double));
            memcpy(s->r + 2 * (size_t)j, r->r + 2 * (size_t)k, 2 * sizeof(double));
            if (c->easing) {
                memcpy(s->rf + 2 * (size_t)j, r->rf + 2 * (size_t)k, 2 * sizeof(double));
                memcpy(s->rt + 2 * (size_t)j, r->rt + 2 * (size_t)k, 2 * sizeof(double));
                s->has_rt[j] = r->has_rt[k];
            }
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
        if (c->easing) {
            sums(p, i, j, j1, pl->origin, c->ease, s->rf);
            sums(p, i, j, j1, pl->origin, c->ease + 2 * np, s->rt);
            memset(s->has_rt + j, 1, (size_t)(j1 - j));
            c->projected += 2 * (long)(j1 - j);
        } else {
            double *dirs = c->plane + np;   /* d1, d2 of the plane (same_plane copied them) */
            sums(p, i, j, j1, pl->origin, dirs, s->r);
            for (int q = j; q < j1; q++)
                plane_solve_sums(g, s->r + 2 * (size_t)q, s->ab + 2 * (size_t)q);
            c->projected += j1 - j;
        }
        for (int q = j; q < j1; q++)
            s->id[q] = h[q].id;
        j = j1;
    }
    s->count = n;
    /* the merged arrays become the run's; its old ones the scratch */
    app_trail_coords t = *r;
    *r = *s;
    *s = t;
    s->count = 0;
    return 1;
}

/* An easing seen for the first time: its directions kept, and every point's
 * from-sums are the sums it has (the plane was `from`; else every point again). */
static int ease_begin(app_trailproj *c, const plane *pl, const app_plane_ease *e)
{
    int n = pl->n;
    size_t b = (size_t)n * sizeof(double);
    c->ease_serial = e->serial;
    if (!c->ease) {
        c->ease = malloc(4 * b);
        if (!c->ease)
            return 0;
    }
    memcpy(c->ease, e->from, 2 * b);
    memcpy(c->ease + 2 * n, e->to, 2 * b);
    int from_here = memcmp(c->plane, pl->origin, b) == 0 && memcmp(c->plane + n, e->from, 2 * b) == 0;
    for (int i = 0; i < c->n_runs; i++) {
        app_trail_coords *r = &c->run[i];
        if (!from_here)
            r->count = 0;
        if (r->count == 0)
            continue;   /* nothing kept yet (and rf may still be NULL) */
        memcpy(r->rf, r->r, 2 * (size_t)r->count * sizeof(double));
        memset(r->has_rt, 0, (size_t)r->count);
    }
    c->easing = 1;
    return 1;
}

/* To-sums for points that lack them: at most budget point × parameter products
 * (< 0: all). Returns 1 if no point lacks them now. */
static int prepare(app_trailproj *c, const app_problem *p, long budget)
{
    int np = p->plane->n, all = budget < 0;
    const double *to = c->ease + 2 * np;
    for (int i = 0; i < c->n_runs; i++) {
        app_trail_coords *r = &c->run[i];
        for (int j = 0; j < r->count;) {
            if (r->has_rt[j]) {
                j++;
                continue;
            }
            long most = all ? CHUNK : budget / np;   /* points this chunk may take */
            if (most < 1)
                return 0;
            int j1 = j + 1;
            while (j1 < r->count && j1 - j < CHUNK && j1 - j < most && !r->has_rt[j1])
                j1++;
            sums(p, i, j, j1, p->plane->origin, to, r->rt);
            memset(r->has_rt + j, 1, (size_t)(j1 - j));
            c->projected += j1 - j;
            if (!all)
                budget -= (long)(j1 - j) * np;
            j = j1;
        }
    }
    return 1;
}

/* Every point's sums and coordinates at the easing's t: O(points). */
static void ease_pass(app_trailproj *c, const plane *pl, double t)
{
    double g[3];
    plane_gram(pl, g);
    for (int i = 0; i < c->n_runs; i++) {
        app_trail_coords *r = &c->run[i];
        size_t m = 2 * (size_t)r->count;
        if (m == 0)
            continue;   /* an empty trail: its buffers may be NULL */
        if (t <= 0)
            memcpy(r->r, r->rf, m * sizeof(double));
        else if (t >= 1)
            memcpy(r->r, r->rt, m * sizeof(double));   /* the sums of `to`: plane_project's */
        else
            for (size_t q = 0; q < m; q++)
                r->r[q] = (1 - t) * r->rf[q] + t * r->rt[q];
        for (int q = 0; q < r->count; q++)
            plane_solve_sums(g, r->r + 2 * (size_t)q, r->ab + 2 * (size_t)q);
    }
}

int app_trailproj_update(app_trailproj *c, const app_problem *p, const app_plane_ease *e, long budget)
{
    if (!p->is_data || !p->plane || !p->trainer) {
        app_trailproj_free(c);
        return 0;
    }
    const plane *pl = p->plane;
    int nr = trainer_run_count(p->trainer);
    if (c->of != p || c->n != pl->n || c->n_runs != nr) {
        app_trailproj_free(c);
        c->plane = malloc(3 * (size_t)pl->n * sizeof *c->plane);
        if (!c->plane)
            return 0;
        c->of = p;
        c->n = pl->n;
        c->n_runs = nr;
        same_plane(c, pl);
    }
    if (e && e->serial != 0 && e->serial != c->ease_serial && !ease_begin(c, pl, e)) {
        app_trailproj_free(c);
        return 0;
    }
    if (c->easing) {
        /* still the easing the sums are of, and the plane where it says */
        size_t b = (size_t)pl->n * sizeof(double);
        int on = e && e->serial == c->ease_serial && memcmp(c->plane, pl->origin, b) == 0 &&
                 (e->t > 0 || dirs_are(pl, c->ease)) && (e->t < 1 || dirs_are(pl, c->ease + 2 * pl->n));
        if (!on) {
            c->easing = 0;
            for (int i = 0; i < nr; i++)
                c->run[i].count = 0;   /* every point again */
            same_plane(c, pl);
        }
    } else if (!same_plane(c, pl)) {
        for (int i = 0; i < nr; i++)
            c->run[i].count = 0;   /* a new plane: every point again */
    }
    for (int i = 0; i < nr; i++)
        if (!update_run(c, p, i)) {
            app_trailproj_free(c);
            return 0;
        }
    if (c->easing) {
        prepare(c, p, e->t > 0 ? -1 : budget);
        ease_pass(c, pl, e->t);
        same_plane(c, pl);   /* the sums are of the plane as it is now (a refit may start here) */
        if (e->t >= 1)
            c->easing = 0;   /* done: the plane's own sums from here on */
    }
    return 1;
}

int app_trailproj_ready(const app_trailproj *c, unsigned long serial)
{
    if (!c->of)
        return 1;
    if (c->ease_serial != serial)
        return 0;
    if (!c->easing)
        return 1;
    for (int i = 0; i < c->n_runs; i++)
        for (int j = 0; j < c->run[i].count; j++)
            if (!c->run[i].has_rt[j])
                return 0;
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
