/*
 * history.h — one run's bounded trajectory (trainer.h's history): points in step
 * order, each with its θ, and the thinning that keeps it bounded.
 *
 * When the history holds `cap` points and another is pushed, the quarter of them
 * that matter least to the path's shape are dropped first (Visvalingam–Whyatt, see
 * history.c); the start is never dropped.
 *
 * Spread thinning (history_set_spread): a thinning costs O(cap · n) (4096 points
 * of 1185 parameters: ~40 MB read several times, 70–110 ms), too much for one
 * frame of the window. Spread, it is started when the history is full and done a
 * slice at a time in the pushes that follow (the points pushed meanwhile go after
 * the cap points it thins, in up to cap/8 rows of slack); when it is done the
 * history is exactly what thinning at once would have made of it, those points
 * pushed after. While it is under way the history shows up to cap + cap/8 points
 * (the unthinned ones and the newer). Caps below 64 thin at once.
 *
 * θ rows are not moved by a thinning: point j's θ is wherever history_theta says.
 *
 *     history_init(h, n, cap) / history_free(h)
 *     history_set_spread(h, on)      0: out of memory (then thinning stays at once)
 *     history_clear(h)
 *     history_push(h, point, theta)
 *     history_theta(h, j)
 *     history_pending(h)             1 while a spread thinning is under way
 */
#ifndef LOSSCAPE_HISTORY_H
#define LOSSCAPE_HISTORY_H

#include "core/trainer.h"

/* The scales of a thinning's distances (history.c). */
typedef struct history_scale {
    double th, l, lr, st;
    int logl, loglr;
} history_scale;

/* A thinning under way (spread), or done at once. */
typedef struct history_job {
    int active;
    int phase;                  /* 1: θ ranges, 2: weights, 3: dropping */
    int c0;                     /* the points it thins: 0 .. c0−1 */
    int cursor;                 /* next row (phase 1) or point (phase 2) */
    int hn, kept, target;       /* heap size, points still kept, points to keep */
    history_scale sc;
    long budget;                /* work per push (rows' worth); < 0: no limit */
} history_job;

typedef struct history {
    int n;                      /* θ's length */
    int cap;                    /* points before thinning */
    int slack;                  /* rows beyond cap (allocated for spread thinning) */
    int spread;                 /* 1: spread thinning; 0: at once */
    int count;
    trainer_point *pt;          /* cap + slack points, step order */
    int *row;                   /* point j's θ row */
    double *theta;              /* (cap + slack) × n */
    int *free_rows, n_free;     /* rows no point uses, a stack */
    /* thinning scratch, cap each (range: 2 × n) */
    double *sig, *range;
    double *dv;                 /* dev's scratch: 2 × n */
    int *prev, *next, *heap, *hpos;
    history_job job;
} history;

/* 1, or 0 if out of memory (then history_free is still safe). cap ≥ 2. */
int history_init(history *h, int n, int cap);
void history_free(history *h);
/* Spread thinning on or off (off: one under way is finished now). */
int history_set_spread(history *h, int on);
void history_clear(history *h);
/* Append point p (its θ: theta, n numbers), thinning first or a slice of it. */
void history_push(history *h, const trainer_point *p, const double *theta);

static inline const double *history_theta(const history *h, int j)
{
    return h->theta + (size_t)h->row[j] * (size_t)h->n;
}

static inline int history_pending(const history *h)
{
    return h->job.active;
}

#endif
