/*
 * trailproj.h — each run's trail (its trainer history) in plane coordinates, kept
 * from frame to frame for the renderer (render_field.hist_ab): a history point is
 * projected when it first appears, and every point again only when the plane
 * changes (its origin or directions, compared by value each update). Without it the
 * renderer projected every history point every frame: moons-mlp-bn at --speed
 * 1000000 holds 5 runs × 4096 points × 353 parameters, ~20 % of each frame.
 *
 *     app_trailproj_update(c, p, ease, budget)   bring c up to p's plane and histories
 *     app_trailproj_ready(c, serial)  every point has its sums for easing `serial`
 *     app_trailproj_run(c, i, &n)    run i's 2 × n coordinates, history order
 *     app_trailproj_free(c)
 *
 * Points are matched by trainer_point.id, so compaction (points dropped from the
 * middle) and resets (new ids) need no notice. The coordinates are plane_project's
 * (plane_gram, plane_sums_rows, plane_solve_sums: the same sums). Surfaces (θ is
 * (a, b) already) need none.
 *
 * A plane eased between two pairs of directions (a PCA refit, framing.h): the
 * directions are d(t) = (1 − t)·from + t·to, so a point's sums d(t)·(θ − o) are
 * (1 − t)·(from·(θ − o)) + t·(to·(θ − o)). Each point keeps both pairs of sums (the
 * from-sums are the sums it had: the plane was `from` when the easing began), and
 * every eased frame is O(points): the sums mixed, the 2 × 2 solve with the eased
 * plane's Gram matrix. Only the to-sums cost a pass over the history's θ rows
 * (points × parameters); it may be spread over frames (`budget`) while the caller
 * holds the easing at t = 0 (app_trailproj_ready says when to go on). At t = 0 and
 * t = 1 the coordinates are plane_project's bit for bit; in between they differ
 * from it by rounding only (the sums' order).
 */
#ifndef LOSSCAPE_APP_TRAILPROJ_H
#define LOSSCAPE_APP_TRAILPROJ_H

#include "app/app.h"

/* The easing a plane is in (the caller's contract: p->plane's directions are
 * (1 − t)·from + t·to, each coordinate computed so, the origin unchanged). */
typedef struct app_plane_ease {
    unsigned long serial;   /* which easing (each refit a new one; 0: none) */
    const double *from;     /* d1 then d2 at the start (2 × n) */
    const double *to;       /* d1 then d2 at the end (2 × n) */
    double t;               /* 0 .. 1 */
} app_plane_ease;

typedef struct app_trail_coords {
    uint64_t *id;           /* count ids, increasing */
    double *ab;             /* 2 × count: the coordinates */
    double *r;              /* 2 × count: the sums (d1·(θ−o), d2·(θ−o)) of the plane now */
    double *rf, *rt;        /* 2 × count: while easing, the sums of from and of to */
    unsigned char *has_rt;  /* count: rt computed */
    int count, cap;
} app_trail_coords;

typedef struct app_trailproj {
    const app_problem *of;  /* the problem the runs are of (NULL: nothing kept) */
    double *plane;          /* origin, d1, d2 (3 × n) the coordinates are of */
    double *ease;           /* while easing: from d1, d2, to d1, d2 (4 × n) */
    unsigned long ease_serial;   /* the easing last seen (0: none) */
    int easing;             /* 1: rf, rt kept for ease_serial */
    int n;
    int n_runs;
    app_trail_coords run[TRAINER_MAX_RUNS];
    app_trail_coords scratch;   /* the merge's output (swapped in) */
    long projected;         /* point projections so far, one per pair of directions (tests, --bench) */
} app_trailproj;

/* Brings c up to p's plane and histories. e: the easing p's plane is in (NULL:
 * none). budget: while e holds at t = 0, at most this many point × parameter
 * products for the to-sums in this call (< 0: no limit); at t > 0 they are all
 * computed. Returns 1 if every run's coordinates match its history now; 0 (out of
 * memory, or not a data problem) leaves c empty: app_trailproj_run then says 0
 * points. */
int app_trailproj_update(app_trailproj *c, const app_problem *p, const app_plane_ease *e, long budget);
/* 1 if the last update saw easing `serial` and every point has its to-sums, or c
 * holds nothing to ease (not a data problem, out of memory): the caller may move t
 * past 0 without a frame that projects every point. */
int app_trailproj_ready(const app_trailproj *c, unsigned long serial);
/* Run i's coordinates (2 × *count, history order) or NULL (*count 0). */
const double *app_trailproj_run(const app_trailproj *c, int i, int *count);
void app_trailproj_free(app_trailproj *c);

#endif
