/*
 * trailproj.h — each run's trail (its trainer history) in plane coordinates, kept
 * from frame to frame for the renderer (render_field.hist_ab): a history point is
 * projected when it first appears, and every point again only when the plane
 * changes (its origin or directions, compared by value each update). Without it the
 * renderer projected every history point every frame: moons-mlp-bn at --speed
 * 1000000 holds 5 runs × 4096 points × 353 parameters, ~20 % of each frame.
 *
 *     app_trailproj_update(c, p)     bring c up to p's plane and histories
 *     app_trailproj_run(c, i, &n)    run i's 2 × n coordinates, history order
 *     app_trailproj_free(c)
 *
 * Points are matched by trainer_point.id, so compaction (points dropped from the
 * middle) and resets (new ids) need no notice. The coordinates are plane_project's
 * (plane_project_rows: the same sums). Surfaces (θ is (a, b) already) need none.
 */
#ifndef LOSSCAPE_APP_TRAILPROJ_H
#define LOSSCAPE_APP_TRAILPROJ_H

#include "app/app.h"

typedef struct app_trail_coords {
    uint64_t *id;           /* count ids, increasing */
    double *ab;             /* 2 × count */
    int count, cap;
} app_trail_coords;

typedef struct app_trailproj {
    const app_problem *of;  /* the problem the runs are of (NULL: nothing kept) */
    double *plane;          /* origin, d1, d2 (3 × n) the coordinates are of */
    int n;
    int n_runs;
    app_trail_coords run[TRAINER_MAX_RUNS];
    double *scratch_ab;     /* 2 × cap: the merge's output (swapped in) */
    uint64_t *scratch_id;
    int scratch_cap;
    long projected;         /* points projected so far (tests, --bench) */
} app_trailproj;

/* Returns 1 if every run's coordinates match its history now; 0 (out of memory, or
 * not a data problem) leaves c empty: app_trailproj_run then says 0 points. */
int app_trailproj_update(app_trailproj *c, const app_problem *p);
/* Run i's coordinates (2 × *count, history order) or NULL (*count 0). */
const double *app_trailproj_run(const app_trailproj *c, int i, int *count);
void app_trailproj_free(app_trailproj *c);

#endif
