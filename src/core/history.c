/*
 * history.c — one run's bounded trajectory and its thinning. See history.h.
 *
 * The thinning rule (unchanged since it was written in trainer.c; tests/test_thinning.c
 * holds the original as the reference): drop a quarter of the points, always the one
 * that matters least now (Visvalingam–Whyatt). A point's weight is its distance from
 * the segment between its kept neighbours, in coordinates scaled by the trail's own
 * extent (θ by its largest coordinate range; the loss and the rate used — log10 when
 * every value is positive — by their ranges, so a rate changed live keeps its step;
 * the step by the history's span), and never less than the weight of a point dropped
 * beside it. Points on straight or gently curving stretches go first; corners stay.
 *
 * It runs as a job in three phases, each resumable after any unit of work: (1) every
 * coordinate's range, row by row; (2) every interior point's weight; (3) dropping
 * points from a min-heap by weight, re-weighing their neighbours. Thinning at once
 * runs the job to its end inside one push; spread, each push does `budget` rows'
 * worth of it. The order of every floating-point operation is the same either way.
 */
#include "core/history.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_SPREAD_MIN_CAP 64   /* smaller caps thin at once (cheap, no slack) */

static int rows_total(const history *h)
{
    return h->cap + h->slack;
}

int history_init(history *h, int n, int cap)
{
    memset(h, 0, sizeof *h);
    h->n = n;
    h->cap = cap;
    size_t c = (size_t)cap, nb = (size_t)n * sizeof(double);
    h->pt = malloc(c * sizeof *h->pt);
    h->row = malloc(c * sizeof *h->row);
    h->theta = malloc(c * nb);
    h->free_rows = malloc(c * sizeof *h->free_rows);
    h->sig = malloc(c * sizeof *h->sig);
    h->range = malloc(2 * nb);
    h->dv = malloc(2 * nb);
    h->prev = malloc(c * sizeof(int));
    h->next = malloc(c * sizeof(int));
    h->heap = malloc(c * sizeof(int));
    h->hpos = malloc(c * sizeof(int));
    if (!(h->pt && h->row && h->theta && h->free_rows && h->sig && h->range && h->dv && h->prev &&
          h->next && h->heap && h->hpos))
        return 0;
    history_clear(h);
    return 1;
}

void history_free(history *h)
{
    free(h->pt);
    free(h->row);
    free(h->theta);
    free(h->free_rows);
    free(h->sig);
    free(h->range);
    free(h->dv);
    free(h->prev);
    free(h->next);
    free(h->heap);
    free(h->hpos);
    memset(h, 0, sizeof *h);
}

void history_clear(history *h)
{
    h->count = 0;
    h->job.active = 0;
    /* every row free, popped in order 0, 1, 2, … */
    int total = rows_total(h);
    for (int k = 0; k < total; k++)
        h->free_rows[k] = total - 1 - k;
    h->n_free = total;
}

/* ==== The weights ========================================================= */

static void coords(const history *h, int j, const history_scale *sc, double *l, double *lr,
                   double *st)
{
    *st = (double)h->pt[j].step / sc->st;
    *l = sc->logl ? log10(h->pt[j].loss) : h->pt[j].loss;
    *lr = sc->loglr ? log10(h->pt[j].lr) : h->pt[j].lr;
    *l /= sc->l;
    *lr /= sc->lr;
}

/* dev's element-wise parts, apart from its sums so that they vectorize (each element's
 * operations exactly as dev's formula has them; no contraction: C11 without
 * extensions): D = (B − A)/th, E = (P − A)/th, then (dev_resid) E − u·(B − A)/th. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__gnu_linux__)
#define HIST_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HIST_CLONES
#endif
HIST_CLONES static void dev_diffs(int n, const double *restrict A, const double *restrict B,
                                  const double *restrict P, double th, double *restrict D,
                                  double *restrict E)
{
#pragma omp simd
    for (int k = 0; k < n; k++) {
        D[k] = (B[k] - A[k]) / th;
        E[k] = (P[k] - A[k]) / th;
    }
}

HIST_CLONES static void dev_resid(int n, const double *restrict A, const double *restrict B,
                                  double u, double th, double *restrict E)
{
#pragma omp simd
    for (int k = 0; k < n; k++)
        E[k] = E[k] - u * (B[k] - A[k]) / th;
}

/* Distance of point j from the segment between points a and b, in the scaled space:
 *   d_k = (B_k − A_k)/th, e_k = (P_k − A_k)/th (and the loss, rate, step coordinates),
 *   u = clamp(Σ d·e / Σ d², 0, 1), dev = √Σ (e_k − u·(B_k − A_k)/th)².
 * The sums run in k order, one after another as they always did (the divisions, 5 a
 * coordinate when they were written inline, are done once each in vector loops into
 * the scratch h->dv; the values are the same bit for bit). */
static double dev(history *h, int a, int b, int j, const history_scale *sc)
{
    int n = h->n;
    const double *A = history_theta(h, a), *B = history_theta(h, b), *P = history_theta(h, j);
    double *D = h->dv, *E = h->dv + n;
    double la, lb, lp, ra, rb, rp, sa, sb, sp;
    coords(h, a, sc, &la, &ra, &sa);
    coords(h, b, sc, &lb, &rb, &sb);
    coords(h, j, sc, &lp, &rp, &sp);
    dev_diffs(n, A, B, P, sc->th, D, E);
    double ab2 = 0, apab = 0;
    for (int k = 0; k < n; k++) {
        ab2 += D[k] * D[k];
        apab += D[k] * E[k];
    }
    double dl = lb - la, el = lp - la, dr = rb - ra, er = rp - ra, ds = sb - sa, es = sp - sa;
    ab2 += dl * dl + dr * dr + ds * ds;
    apab += dl * el + dr * er + ds * es;
    double u = ab2 > 0 ? apab / ab2 : 0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    dev_resid(n, A, B, u, sc->th, E);
    double d2 = 0;
    for (int k = 0; k < n; k++)
        d2 += E[k] * E[k];
    double e = el - u * dl, f = er - u * dr, g = es - u * ds;
    return sqrt(d2 + e * e + f * f + g * g);
}

/* The min-heap: h->heap holds point indices ordered by h->sig; h->hpos[j] is j's
 * place in it (−1: not in it). */
static void heap_swap(history *h, int a, int b)
{
    int t = h->heap[a];
    h->heap[a] = h->heap[b];
    h->heap[b] = t;
    h->hpos[h->heap[a]] = a;
    h->hpos[h->heap[b]] = b;
}

static void heap_fix(history *h, int n, int i)
{
    while (i > 0 && h->sig[h->heap[i]] < h->sig[h->heap[(i - 1) / 2]]) {
        heap_swap(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < n && h->sig[h->heap[l]] < h->sig[h->heap[m]])
            m = l;
        if (l + 1 < n && h->sig[h->heap[l + 1]] < h->sig[h->heap[m]])
            m = l + 1;
        if (m == i)
            return;
        heap_swap(h, i, m);
        i = m;
    }
}

/* ==== The job ============================================================== */

/* Work units: one θ row read (phase 1), a weight ≈ 3 rows (phase 2), a point
 * dropped ≈ 2 weights (phase 3). */
enum { COST_ROW = 1, COST_WEIGHT = 3, COST_DROP = 6 };

/* Start thinning the history's count points: the scales that cost O(count). */
static void job_start(history *h)
{
    history_job *jb = &h->job;
    int c = h->count;
    history_scale sc = { 0, 1, 1, 1, 1, 1 };
    if (c > 1 && h->pt[c - 1].step > h->pt[0].step)
        sc.st = (double)(h->pt[c - 1].step - h->pt[0].step);
    for (int j = 0; j < c; j++) {
        if (!(h->pt[j].loss > 0))
            sc.logl = 0;
        if (!(h->pt[j].lr > 0))
            sc.loglr = 0;
    }
    double lmin = INFINITY, lmax = -INFINITY, rmin = INFINITY, rmax = -INFINITY;
    for (int j = 0; j < c; j++) {
        double l, lr, st;
        coords(h, j, &sc, &l, &lr, &st);   /* sc.l = sc.lr = 1 here */
        lmin = l < lmin ? l : lmin;
        lmax = l > lmax ? l : lmax;
        rmin = lr < rmin ? lr : rmin;
        rmax = lr > rmax ? lr : rmax;
    }
    sc.l = lmax - lmin;
    sc.lr = rmax - rmin;
    if (!(sc.l > 0) || !isfinite(sc.l))
        sc.l = 1;
    if (!(sc.lr > 0) || !isfinite(sc.lr))
        sc.lr = 1;
    double *lo = h->range, *hi = h->range + h->n;
    for (int k = 0; k < h->n; k++) {
        lo[k] = INFINITY;
        hi[k] = -INFINITY;
    }
    jb->active = 1;
    jb->phase = 1;
    jb->c0 = c;
    jb->cursor = 0;
    jb->sc = sc;
    jb->hn = 0;
    jb->kept = c;
    jb->target = h->cap * 3 / 4;
    if (jb->target < 2)
        jb->target = 2;
    jb->budget = -1;
    if (h->spread) {
        /* the whole job within the first ¾ of the slack's pushes */
        long work = (long)c * COST_ROW + (long)(c > 2 ? c - 2 : 0) * COST_WEIGHT +
                    (long)(c > jb->target ? c - jb->target : 0) * COST_DROP;
        long pushes = (long)h->slack * 3 / 4;
        jb->budget = work / (pushes > 0 ? pushes : 1) + 1;
    }
}

/* Phase 1's end: θ's scale, the neighbour links. */
static void ranges_done(history *h)
{
    history_job *jb = &h->job;
    const double *lo = h->range, *hi = h->range + h->n;
    for (int k = 0; k < h->n; k++)
        jb->sc.th = hi[k] - lo[k] > jb->sc.th ? hi[k] - lo[k] : jb->sc.th;
    if (!(jb->sc.th > 0) || !isfinite(jb->sc.th))
        jb->sc.th = 1;
    for (int j = 0; j < jb->c0; j++) {
        h->prev[j] = j - 1;
        h->next[j] = j + 1;
        h->hpos[j] = -1;
    }
    jb->phase = 2;
    jb->cursor = 1;
}

/* Up to `left` units of the job (< 0: all of it). Returns 1 when it is done. */
static int job_work(history *h, long left)
{
    history_job *jb = &h->job;
    if (left < 0)
        left = LONG_MAX;
    while (left > 0) {
        if (jb->phase == 1) {
            double *lo = h->range, *hi = h->range + h->n;
            for (; jb->cursor < jb->c0 && left > 0; jb->cursor++, left -= COST_ROW) {
                const double *row = history_theta(h, jb->cursor);
                for (int k = 0; k < h->n; k++) {
                    double v = row[k];
                    lo[k] = v < lo[k] ? v : lo[k];
                    hi[k] = v > hi[k] ? v : hi[k];
                }
            }
            if (jb->cursor == jb->c0)
                ranges_done(h);
        } else if (jb->phase == 2) {
            for (; jb->cursor < jb->c0 - 1 && left > 0; jb->cursor++, left -= COST_WEIGHT) {
                int j = jb->cursor;
                h->sig[j] = dev(h, j - 1, j + 1, j, &jb->sc);
                h->heap[jb->hn] = j;
                h->hpos[j] = jb->hn++;
            }
            if (jb->cursor >= jb->c0 - 1) {
                for (int i = jb->hn / 2 - 1; i >= 0; i--)
                    heap_fix(h, jb->hn, i);
                jb->phase = 3;
            }
        } else {
            for (; jb->kept > jb->target && jb->hn > 0 && left > 0; left -= COST_DROP) {
                int j = h->heap[0];
                double w = h->sig[j];
                heap_swap(h, 0, jb->hn - 1);
                h->hpos[j] = -1;
                jb->hn--;
                if (jb->hn > 0)
                    heap_fix(h, jb->hn, 0);
                int a = h->prev[j], b = h->next[j];
                h->next[a] = b;
                h->prev[b] = a;
                jb->kept--;
                int nb[2] = { a, b };
                for (int q = 0; q < 2; q++) {
                    int m = nb[q];
                    if (h->hpos[m] < 0)
                        continue;   /* an end point */
                    double d = dev(h, h->prev[m], h->next[m], m, &jb->sc);
                    h->sig[m] = d > w ? d : w;
                    heap_fix(h, jb->hn, h->hpos[m]);
                }
            }
            return !(jb->kept > jb->target && jb->hn > 0);
        }
    }
    return 0;
}

/* The job is done: the kept points move down (θ rows stay; the dropped ones' rows
 * are freed), then the points pushed while it ran. */
static void job_finish(history *h)
{
    history_job *jb = &h->job;
    int w = 0, k = 0;
    for (int j = 0; j < jb->c0; j++) {
        if (j == k) {
            h->pt[w] = h->pt[j];
            h->row[w] = h->row[j];
            w++;
            k = h->next[j];
        } else {
            h->free_rows[h->n_free++] = h->row[j];
        }
    }
    if (w >= h->cap) {   /* cap 2: the current point replaces the last */
        w = h->cap - 1;
        h->free_rows[h->n_free++] = h->row[w];
    }
    for (int j = jb->c0; j < h->count; j++, w++) {
        h->pt[w] = h->pt[j];
        h->row[w] = h->row[j];
    }
    h->count = w;
    jb->active = 0;
}

int history_set_spread(history *h, int on)
{
    if (!on || h->cap < HISTORY_SPREAD_MIN_CAP) {
        if (h->job.active) {
            job_work(h, -1);
            job_finish(h);
        }
        h->spread = 0;
        return 1;
    }
    if (h->slack == 0) {
        int slack = h->cap / 8, total = h->cap + slack;
        trainer_point *pt = realloc(h->pt, (size_t)total * sizeof *pt);
        if (pt)
            h->pt = pt;
        int *row = pt ? realloc(h->row, (size_t)total * sizeof *row) : NULL;
        if (row)
            h->row = row;
        double *th = row ? realloc(h->theta, (size_t)total * (size_t)h->n * sizeof *th) : NULL;
        if (th)
            h->theta = th;
        int *fr = th ? realloc(h->free_rows, (size_t)total * sizeof *fr) : NULL;
        if (!fr)
            return 0;   /* what grew stays grown; the slack stays 0 */
        h->free_rows = fr;
        /* the new rows are free (below the others on the stack: popped last) */
        memmove(h->free_rows + slack, h->free_rows, (size_t)h->n_free * sizeof *fr);
        for (int k = 0; k < slack; k++)
            h->free_rows[k] = total - 1 - k;
        h->n_free += slack;
        h->slack = slack;
    }
    h->spread = 1;
    return 1;
}

void history_push(history *h, const trainer_point *p, const double *theta)
{
    if (!h->job.active && h->count == h->cap)
        job_start(h);
    if (h->job.active) {
        /* no room left for another point: the rest of it now */
        int room = h->count < rows_total(h) && h->spread;
        if (job_work(h, room ? h->job.budget : -1))
            job_finish(h);
    }
    int r = h->free_rows[--h->n_free];
    h->pt[h->count] = *p;
    h->row[h->count] = r;
    memcpy(h->theta + (size_t)r * (size_t)h->n, theta, (size_t)h->n * sizeof *theta);
    h->count++;
}
