/*
 * framing.c — the view's domain following the runs (framing.h).
 */
#include "render/i18n.h"
#include "app/framing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The box around every run's path (history and current point, in the problem's
 * plane coordinates; non-finite points left out), widened by a fifth of its size on
 * each side, each side at least half the other and at least `minw` across. Returns 0 if no run has a finite point. */
static int runs_box(const app_problem *p, double minw, surface_domain *out)
{
    const trainer *tr = p->trainer;
    double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
    int nr = trainer_run_count(tr);
    for (int i = 0; i < nr; i++) {
        int n = 0;
        trainer_history(tr, i, &n);
        for (int j = 0; j <= n; j++) {
            const double *th = j < n ? trainer_history_theta(tr, i, j) : trainer_run_get(tr, i)->theta;
            double ab[2];
            app_problem_project(p, th, ab);
            if (!isfinite(ab[0]) || !isfinite(ab[1]))
                continue;
            for (int c = 0; c < 2; c++) {
                lo[c] = fmin(lo[c], ab[c]);
                hi[c] = fmax(hi[c], ab[c]);
            }
        }
    }
    if (!(lo[0] <= hi[0]) || !(lo[1] <= hi[1]))
        return 0;
    /* neither side under half the other: a path along one axis is not a sliver */
    double wmax = fmax(hi[0] - lo[0], hi[1] - lo[1]);
    for (int c = 0; c < 2; c++) {
        double mid = 0.5 * (lo[c] + hi[c]), half = fmax(0.7 * fmax(hi[c] - lo[c], 0.5 * wmax), 0.5 * minw);
        lo[c] = mid - half;
        hi[c] = mid + half;
    }
    *out = (surface_domain){ lo[0], hi[0], lo[1], hi[1] };
    return 1;
}

/* The smallest view framing makes: a tenth of the domain the scene started with. */
static double min_span(win_state *w)
{
    if (!(w->frame_home.xmax > w->frame_home.xmin))
        w->frame_home = w->p->domain;
    const surface_domain *h = &w->frame_home;
    return 0.1 * fmax(h->xmax - h->xmin, h->ymax - h->ymin);
}

static void set_domain(win_state *w, surface_domain d)
{
    w->p->domain = d;
    w->p->n_crit = -1;   /* critical points are searched over the domain */
    w->field_version++;
}

void win_frame_runs(win_state *w)
{
    surface_domain to;
    if (!runs_box(w->p, min_span(w), &to)) {
        win_set_status(w, _("no run has a finite point to frame"));
        return;
    }
    w->frame_to = to;
    w->frame_moving = 1;
    w->frame_frozen = 0;
    win_set_status(w, _("framing every run: x [%.3g, %.3g], y [%.3g, %.3g]"), to.xmin, to.xmax, to.ymin,
                   to.ymax);
}

void win_frame_retarget(win_state *w, surface_domain old)
{
    w->frame_to = w->p->domain;
    w->frame_moving = 1;
    w->p->domain = old;
}

void win_frame_plane_from(win_state *w, const double *old_d1, const double *old_d2)
{
    plane *pl = w->p->plane;
    int n = pl->n;
    double *olds[2] = { (double *)old_d1, (double *)old_d2 }, *news[2] = { pl->d1, pl->d2 };
    for (int c = 0; c < 2; c++) {
        double dot = 0;
        for (int k = 0; k < n; k++)
            dot += olds[c][k] * news[c][k];
        if (dot < 0) {   /* the same direction, the other sign: a plane that does not flip over */
            for (int k = 0; k < n; k++)
                news[c][k] = -news[c][k];
            surface_domain *d = &w->p->domain;
            if (c == 0)
                *d = (surface_domain){ -d->xmax, -d->xmin, d->ymin, d->ymax };
            else
                *d = (surface_domain){ d->xmin, d->xmax, -d->ymax, -d->ymin };
        }
    }
    if (w->plane_ease_n != n) {
        free(w->plane_ease);
        w->plane_ease = malloc(4 * (size_t)n * sizeof(double));
        w->plane_ease_n = w->plane_ease ? n : 0;
        if (!w->plane_ease)
            return;   /* no easing: the new plane at once */
    }
    memcpy(w->plane_ease, old_d1, (size_t)n * sizeof(double));
    memcpy(w->plane_ease + n, old_d2, (size_t)n * sizeof(double));
    memcpy(w->plane_ease + 2 * n, pl->d1, (size_t)n * sizeof(double));
    memcpy(w->plane_ease + 3 * n, pl->d2, (size_t)n * sizeof(double));
    w->plane_t = 0;
    w->plane_ease_serial++;
    memcpy(pl->d1, old_d1, (size_t)n * sizeof(double));   /* it starts where it was */
    memcpy(pl->d2, old_d2, (size_t)n * sizeof(double));
}

/* One easing step of the plane's directions (win_frame_plane_from). Returns 1 if the
 * easing is held at its start: in the window (a plane-fit thread) the trails' sums in
 * the new plane are spread over frames first (trailproj.h), so that no frame projects
 * every trail point; screenshots and recordings go on at once. */
static int ease_plane(win_state *w)
{
    plane *pl = w->p->plane;
    int n = w->plane_ease_n;
    if (!(w->plane_t < 1) || !pl || pl->n != n || n == 0)
        return 0;
    if (!w->frame_snap && w->planefit && !(w->plane_t > 0) &&
        !app_trailproj_ready(&w->trails, w->plane_ease_serial))
        return 1;
    w->plane_t = w->frame_snap ? 1 : fmin(1, w->plane_t + 0.2);
    double t = w->plane_t;
    const double *e = w->plane_ease;
    if (t >= 1) {   /* exactly the new directions */
        memcpy(pl->d1, e + 2 * n, (size_t)n * sizeof(double));
        memcpy(pl->d2, e + 3 * n, (size_t)n * sizeof(double));
    } else {
        for (int k = 0; k < n; k++) {
            pl->d1[k] = (1 - t) * e[k] + t * e[2 * n + k];
            pl->d2[k] = (1 - t) * e[n + k] + t * e[3 * n + k];
        }
    }
    w->p->n_crit = -1;
    w->field_version++;
    return 0;
}

void win_frame_freeze(win_state *w)
{
    w->frame_frozen = !w->frame_frozen;
    if (w->frame_frozen)
        w->frame_moving = 0;
    win_set_status(w, w->frame_frozen ? _("framing frozen (Shift+J again: follow the runs)")
                                      : _("framing follows the runs"));
}

int win_frame_settling(const win_state *w)
{
    if (w->frame_frozen)
        return 0;
    return w->frame_moving || (w->plane_ease_n > 0 && w->plane_t < 1);
}

static void frame_tick(win_state *w);

void win_frame_tick(win_state *w)
{
    frame_tick(w);
    if (win_frame_settling(w) || w->still_t == 0)
        w->still_t = SDL_GetPerformanceCounter();   /* (session.c: the refits' cadence) */
}

static void frame_tick(win_state *w)
{
    if (w->frame_frozen)
        return;
    if (ease_plane(w))
        return;   /* the extent waits with the directions: the picture stays one plane's */
    surface_domain to;
    if (w->sc.domain_auto && runs_box(w->p, min_span(w), &to)) {
        /* --domain auto: a new target only when a path nears the edge or the view is
         * far too wide (over 2.5 times the box), so the picture is still between */
        const surface_domain *c = w->frame_moving ? &w->frame_to : &w->p->domain;
        double cw = c->xmax - c->xmin, ch = c->ymax - c->ymin;
        double iw = 0.7 / 1.4 * (to.xmax - to.xmin), ih = 0.7 / 1.4 * (to.ymax - to.ymin);
        double mx = 0.5 * (to.xmin + to.xmax), my = 0.5 * (to.ymin + to.ymax);
        int out = mx - 0.5 * iw < c->xmin + 0.05 * cw || mx + 0.5 * iw > c->xmax - 0.05 * cw ||
                  my - 0.5 * ih < c->ymin + 0.05 * ch || my + 0.5 * ih > c->ymax - 0.05 * ch;
        int wide = cw > 2.5 * (to.xmax - to.xmin) && ch > 2.5 * (to.ymax - to.ymin);
        if (out || wide) {
            w->frame_to = to;
            w->frame_moving = 1;
        }
    }
    if (!w->frame_moving)
        return;
    surface_domain d = w->p->domain, t = w->frame_to;
    double span = fmax(t.xmax - t.xmin, t.ymax - t.ymin);
    double dmax = fmax(fmax(fabs(d.xmin - t.xmin), fabs(d.xmax - t.xmax)),
                       fmax(fabs(d.ymin - t.ymin), fabs(d.ymax - t.ymax)));
    if (w->frame_snap || dmax < 0.002 * span) {
        set_domain(w, t);
        w->frame_moving = 0;
        return;
    }
    const double k = 0.2;
    set_domain(w, (surface_domain){ d.xmin + k * (t.xmin - d.xmin), d.xmax + k * (t.xmax - d.xmax),
                                    d.ymin + k * (t.ymin - d.ymin), d.ymax + k * (t.ymax - d.ymax) });
}
