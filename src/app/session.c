/*
 * session.c — the window mode's state (win_state) and what every path through it
 * shares: the problems shown (and the compare layout's second one), the render_frame
 * built from their 2-D views (fields.c), drawing, stepping,
 * resetting, loading built-in scenes, the Hessian probe, the offscreen target and
 * PNG read-back. Used by the window (window.c), the key actions (actions.c), the
 * narrated step, F9 recording and the offscreen modes; it calls none of them.
 */
#include "app/framing.h"
#include "app/window.h"
#include "render/i18n.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/cli.h"
#ifdef __EMSCRIPTEN__
#include "web/web.h"
#else
#include "record/png.h"
#endif

#define STATUS_MS 3500

/* ==== helpers ==== */

void win_set_status(win_state *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->status, sizeof w->status, fmt, ap);
    va_end(ap);
    w->status_until = SDL_GetTicks() + STATUS_MS;
#ifdef __EMSCRIPTEN__
    /* the page records the canvas itself: while it does, messages go to the page,
     * outside the canvas, so no toast is burnt into the video (issue 9 #3) */
    if (web_recording()) {
        web_show_message(w->status);
        w->status_until = 0;
    }
#endif
}

void win_drawable_size(const win_state *w, int *fw, int *fh)
{
    if (win_offscreen(w)) {
        *fw = w->fbo_w;
        *fh = w->fbo_h;
    } else {
        SDL_GL_GetDrawableSize(w->win, fw, fh);
    }
}

int win_ensure_critical(win_state *w)
{
    if (w->p->n_crit < 0)
        app_problem_critical_points(w->p);
    return w->p->n_crit;
}

/* The compare layout's second problem, built once per scene: the scene with its
 * `compare` overrides, or by default the counterpart that teaches something:
 *   classification data  the other loss (cross-entropy <-> mean squared error);
 *   regression data      the features standardized (or not, if they were);
 *   a surface            no second problem: the same surface on the other height
 *                        scale (linear <-> log), which is what such scenes hide.
 * On failure the second panel shows the first problem and the status says why. */
void win_ensure_compare(win_state *w)
{
    if (w->p2_tried)
        return;
    w->p2_tried = 1;
    app_problem *p = w->p;
    scene *sc2 = malloc(sizeof *sc2);
    if (!sc2)
        return;
    diag err = { 0 };
    int ok = 1;
    /* the same second problem --headless runs (problem.c) */
    int got = app_compare_scene(&w->sc, p, w->o->lang_zh, sc2, w->label, &err);
    if (got == 0) {
        free(sc2);
        return;   /* labels follow the log flag (build_frame) */
    }
    ok = got > 0;
    sc2->batch = w->sc.batch;
    if (ok) {
        w->p2 = calloc(1, sizeof *w->p2);
        if (!w->p2 || !app_problem_create(w->p2, sc2, &err)) {
            free(w->p2);
            w->p2 = NULL;
            ok = 0;
        } else if (w->spread_thinning) {
            trainer_set_spread_thinning(w->p2->trainer, 1);
        }
    }
    if (!ok) {
        win_set_status(w, _("compare: %s"), err.msg[0] ? err.msg : _("out of memory"));
        snprintf(w->label[1], sizeof w->label[1], _("compare failed: %.120s"), err.msg);
    } else {
        /* the second problem starts where the first one is now in its steps */
        long k = trainer_steps(p->trainer);
        for (long i = 0; i < k; i++)
            app_problem_step(w->p2);
        if (k > 0 && w->sc.plane_kind == SCENE_PLANE_PCA)
            app_problem_plane_pca(w->p2);
        w->field2_version++;
    }
    free(sc2);
}

void win_drop_compare(win_state *w)
{
    app_worker_idle(w->worker);
    app_worker_idle(w->worker2);
    app_planefit_idle(w->planefit2);
    app_metrics_idle(w->metrics2);
    app_trailproj_free(&w->trails2);
    if (w->p2) {
        app_problem_destroy(w->p2);
        free(w->p2);
        w->p2 = NULL;
    }
    w->p2_tried = 0;
}

/* The trails' sums in a refitted plane, spread over frames while its easing waits
 * (framing.c): point × parameter products a frame, ~1 ms here (lesson 9's 2 × 4096
 * points × 1218 parameters in 8 frames, not 13 ms in each of 5 eased frames; at
 * 2.5e6 a frame, 4 frames of ~3.5 ms CPU each were a tenth of its slowest frames). */
#define TRAIL_EASE_BUDGET 1250000L

/* fd's hist_ab from c, brought up to p's histories and plane (data problems); e: the
 * easing p's plane is in, or NULL. */
static void hist_coords(render_field *fd, app_trailproj *c, const app_problem *p, const app_plane_ease *e,
                        long budget)
{
    if (!p->is_data || !app_trailproj_update(c, p, e, budget))
        return;
    for (int i = 0; i < c->n_runs; i++)
        fd->hist_ab[i] = app_trailproj_run(c, i, &fd->hist_n[i]);
}

void win_build_frame(win_state *w, render_frame *f)
{
    memset(f, 0, sizeof *f);
    win_take_plane(w);   /* a background PCA refit, when it is ready */
    win_frame_tick(w);   /* the domain one easing step closer to its framing (framing.h) */
    win_update_fields(w);
    f->field = &w->field;
    f->tr = w->p->trainer;
    if (w->sc.overlays & SCENE_OVERLAY_CRITICAL) {
        int n = win_ensure_critical(w);
        f->crit = w->p->crit;
        f->n_crit = n < 0 ? 0 : n > APP_MAX_CRITICAL ? APP_MAX_CRITICAL : n;
    }
    if (!w->p->is_data && w->p->n == 2 && w->p->surf.kind < SURFACE_FORMULA) {
        const surface_info *in = surface_info_get(w->p->surf.kind);
        f->minima = in->minima;   /* the minima its description names */
        f->n_minima = in->n_minima;
    }
    f->title = app_title(w->o, &w->sc);
    f->view = w->sc.view;
    f->layout = w->sc.layout;
    f->overlays = w->sc.overlays;
    f->colormap = w->sc.colormap;
    f->theme = w->sc.theme;
    f->selected = w->selected;
    f->paused = w->paused;
    f->steps_per_frame = w->sc.steps_per_frame;
    f->speed = w->paced ? w->pace.speed : 0;
    f->speed_done = w->paced ? pace_done(&w->pace) : -1;
    f->lag = w->paced ? 1 - pace_phase(&w->pace) : 0;
    f->fps = win_offscreen(w) ? 0 : w->fps;
    f->help = w->help;
    f->help_lines = w->help_lines;
    f->n_help = w->n_help;
    f->probe_valid = w->probe_valid;
    if (w->probe_valid) {   /* in the domain whatever placed it (a timeline, a reframing) */
        surface_domain d = w->p->domain;
        w->probe[0] = fmin(fmax(w->probe[0], d.xmin), d.xmax);
        w->probe[1] = fmin(fmax(w->probe[1], d.ymin), d.ymax);
    }
    f->probe[0] = w->probe[0];
    f->probe[1] = w->probe[1];
    f->status = SDL_TICKS_PASSED(SDL_GetTicks(), w->status_until) ? NULL : w->status;
    f->narr = w->narr.stage > 0 ? &w->narr : NULL;
    f->caption = app_caption(w->o, &w->sc);
    f->plane_only = w->p->n > 2;
    f->samples_only = w->o->interp_npts > 1 && w->field.curve;
    f->present = w->present;
    f->recording = w->rec != NULL || w->badge_test;
    if (w->present && (!f->caption || !f->caption[0]) && w->sc.description[0])
        f->caption = w->sc.description;   /* presentation: the scene's one line on screen */
    if (w->o->traj_xy && w->show_traj) {   /* --trajectory: on its own scene only */
        f->rec_xy = w->o->traj_xy;
        f->rec_n = w->o->traj_n;
        f->rec_label = w->o->traj_label;
    }
    for (int i = 0; i < w->p->n_runs && i < 8; i++) {
        app_problem_run_label(w->p, i, w->run_name[i], sizeof w->run_name[i]);
        f->run_name[i] = w->run_name[i];
    }
    app_sharpw_update(w->sharpw, w->p);   /* samples the worker finished */
    if (app_sharp_view(w->p, w->sharp))
        f->sharp = w->sharp;
    if (w->p->is_data) {
        /* full-data metrics from the worker, for problems too large to evaluate
         * every step (metrics.h) */
        double now_ms = 1000.0 * (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency();
        /* the steps a frame takes: paced, the speed over 60 frames a second */
        double spf = w->paced ? w->pace.speed / 60.0 : (double)w->sc.steps_per_frame;
        app_metrics_update(w->metrics, w->p, spf, now_ms);
        if (w->p2)
            app_metrics_update(w->metrics2, w->p2, spf, now_ms);
        /* the window's path (as for surfaces: with a worker) redoes one run's
         * prediction grid a frame; screenshots and recordings every run's */
        if (w->sc.overlays & SCENE_OVERLAY_DATA)
            f->data = app_data_view_update(&w->dview, w->p, w->selected, w->surf_batch, w->worker ? 1 : 0);
        if (app_series_view(w->p, w->series))
            f->series = w->series;
        f->surface_batch = w->surf_batch;
    }
    if (w->sc.layout == SCENE_LAYOUT_COMPARE) {
        win_ensure_compare(w);
        win_update_fields(w);   /* field2 of a problem built just now */
        if (w->p2) {
            f->field2 = &w->field2;
            f->tr2 = w->p2->trainer;
            f->log2 = (w->sc.overlays & SCENE_OVERLAY_LOG) != 0;
        } else {
            int lg = (w->sc.overlays & SCENE_OVERLAY_LOG) != 0;
            f->log2 = !lg;
            if (!w->p->is_data) {
                snprintf(w->label[0], sizeof w->label[0], "%s", lg ? _("log height scale") : _("linear height scale"));
                snprintf(w->label[1], sizeof w->label[1], "%s", lg ? _("linear height scale (G switches both)")
                                                                  : _("log height scale (G switches both)"));
            }
        }
        f->label[0] = w->label[0];
        f->label[1] = w->label[1];
    }
    /* the trails' plane coordinates, kept between frames (trailproj.h) */
    app_plane_ease e = { 0 };
    if (w->plane_ease_n > 0 && w->p->plane && w->p->plane->n == w->plane_ease_n)
        e = (app_plane_ease){ w->plane_ease_serial, w->plane_ease, w->plane_ease + 2 * w->plane_ease_n,
                              w->plane_t };
    hist_coords(&w->field, &w->trails, w->p, e.serial ? &e : NULL, w->planefit ? TRAIL_EASE_BUDGET : -1);
    if (w->p2)   /* (the compare panel's refits are not eased) */
        hist_coords(&w->field2, &w->trails2, w->p2, NULL, -1);
}

void win_draw(win_state *w)
{
    int fw, fh;
    win_drawable_size(w, &fw, &fh);
    int off = win_offscreen(w);
    glBindFramebuffer(GL_FRAMEBUFFER, off ? w->fbo : 0);
    render_frame f;
    win_build_frame(w, &f);
    renderer_set_field(w->r, f.field);
    if (f.field2)
        renderer_set_field2(w->r, f.field2);
    renderer_draw(w->r, &f, fw, fh);
    /* the scene's caption is a row of the HUD, reserved below the panels (issue 9
     * #9): in screenshots, recordings, lessons and the window alike */
}

void win_draw_recording(win_state *w)
{
    glBindFramebuffer(GL_FRAMEBUFFER, w->fbo);
    render_frame f;
    win_build_frame(w, &f);
    /* the scene only: no toast, help, fps or status (the REC badge is drawn in the
     * window alone) */
    f.status = NULL;
    f.help = 0;
    f.fps = 0;
    renderer_set_field(w->r, f.field);
    if (f.field2)
        renderer_set_field2(w->r, f.field2);
    renderer_draw(w->r, &f, w->fbo_w, w->fbo_h);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

/* Read the current framebuffer (the FBO offscreen, else the back buffer) into a PNG
 * (the browser build: a PNG download). */
int win_save_png(win_state *w, const char *path)
{
    int fw, fh;
    win_drawable_size(w, &fw, &fh);
    unsigned char *px = malloc((size_t)fw * (size_t)fh * 4);
    if (!px) {
        fprintf(stderr, "losscape: screenshot: out of memory\n");
        return 0;
    }
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    if (!win_offscreen(w))
        glReadBuffer(GL_BACK);
    glReadPixels(0, 0, fw, fh, GL_RGBA, GL_UNSIGNED_BYTE, px);
#ifdef __EMSCRIPTEN__
    /* the browser build: a download named after path's last part, top row first */
    size_t row = (size_t)fw * 4;
    unsigned char *tmp = malloc(row);
    for (int y = 0; tmp && y < fh / 2; y++) {
        memcpy(tmp, px + (size_t)y * row, row);
        memcpy(px + (size_t)y * row, px + (size_t)(fh - 1 - y) * row, row);
        memcpy(px + (size_t)(fh - 1 - y) * row, tmp, row);
    }
    int ok = tmp != NULL;
    free(tmp);
    const char *base = strrchr(path, '/');
    if (ok)
        web_download_rgba(base ? base + 1 : path, fw, fh, px);
    else
        fprintf(stderr, "losscape: screenshot: out of memory\n");
    free(px);
    return ok;
#else
    char err[512];
    int ok = png_write_rgba(path, fw, fh, px, 1, err, sizeof err);
    free(px);
    if (!ok)
        fprintf(stderr, "losscape: screenshot: %s\n", err);
    return ok;
#endif
}

/* ==== stepping, scenes, the probe ==== */

/* A PCA plane (models with > 2 parameters, plane = pca) follows the trajectories:
 * refit it and its domain from the runs so far; the camera stays. */
/* The plane's directions before a refit (2 × n, owned by the caller; NULL for two
 * parameters or out of memory), for the plane's easing (framing.h). */
static double *old_dirs(const win_state *w, int *n)
{
    const plane *op = w->p->plane;
    *n = op ? op->n : 0;
    double *od = *n > 2 ? malloc(2 * (size_t)*n * sizeof(double)) : NULL;
    if (od) {
        memcpy(od, op->d1, (size_t)*n * sizeof(double));
        memcpy(od + *n, op->d2, (size_t)*n * sizeof(double));
    }
    return od;
}

/* The plane changed (from domain old and directions od): the directions and the
 * extent ease to the new ones (framing.h). */
static void plane_changed(win_state *w, surface_domain old, const double *od, int n)
{
    if (od && w->p->plane->n == n)
        win_frame_plane_from(w, od, od + n);
    if (old.xmax > old.xmin)
        win_frame_retarget(w, old);
    w->field_version++;
    if (w->probe_valid) {
        w->probe_valid = 0;
        if (w->sc.overlays & SCENE_OVERLAY_PROBE)
            win_move_probe(w, 0, 0);
    }
}

void win_refit_plane(win_state *w)
{
    /* p2's plane in the background too (installed by win_take_plane) */
    if (w->p2 && !(w->planefit2 && app_planefit_request(w->planefit2, w->p2)) &&
        app_problem_plane_pca(w->p2))
        w->field2_version++;
    w->pca_at = trainer_steps(w->p->trainer);
    w->pca_t = SDL_GetPerformanceCounter();
    w->n_refits++;
    if (w->planefit && app_planefit_request(w->planefit, w->p))
        return;   /* installed by win_take_plane when fitted */
    surface_domain old = w->p->domain;
    int n;
    double *od = old_dirs(w, &n);
    if (app_problem_plane_pca(w->p))
        plane_changed(w, old, od, n);
    free(od);
}

void win_take_plane(win_state *w)
{
    if (w->p2 && w->planefit2 && app_planefit_take(w->planefit2, w->p2))
        w->field2_version++;
    if (!w->planefit || !app_planefit_busy(w->planefit))
        return;
    surface_domain old = w->p->domain;
    int n;
    double *od = old_dirs(w, &n);
    if (app_planefit_take(w->planefit, w->p))
        plane_changed(w, old, od, n);
    free(od);
}

/* The presentation events the last step fired (timeline.h; the trainer events were
 * applied by app_problem_step). Returns 1 if one of them paused. */
int win_apply_events(win_state *w)
{
    int paused = 0;
    for (int i = w->p->fired_from; i < w->p->fired_to; i++) {
        const timeline_event *ev = &w->p->events[i];
        switch (ev->kind) {
        case TL_PAUSE:
            if (win_offscreen(w))
                break;   /* screenshots and recordings play through the beats */
            w->paused = 1;
            paused = 1;
            win_set_status(w, _("paused at step %ld (Return: the next beat)"), ev->step);
            break;
        case TL_CAPTION:
            snprintf(w->sc.caption, sizeof w->sc.caption, "%s", ev->text);
            break;
        case TL_CAPTION_ZH:
            snprintf(w->sc.caption_zh, sizeof w->sc.caption_zh, "%s", ev->text);
            break;
        case TL_PROBE:
            w->probe[0] = ev->v[0];
            w->probe[1] = ev->v[1];
            w->probe_valid = 1;
            w->sc.overlays |= SCENE_OVERLAY_PROBE;
            break;
        case TL_VIEW:
            w->sc.view = (scene_view)ev->view;
            break;
        default:
            break;
        }
    }
    w->p->fired_from = w->p->fired_to;
    return paused;
}

/* A live change (keys) as a timeline event at the current step, so that Ctrl+S saves
 * a scene that replays it headless. Dropped when the timeline is full. */
void win_note_event(win_state *w, const timeline_event *ev)
{
    if (w->sc.n_events >= TIMELINE_MAX) {
        win_set_status(w, _("timeline full: this change is not saved with Ctrl+S"));
        return;
    }
    timeline_event e = *ev;
    e.step = trainer_steps(w->p->trainer);
    int i = w->sc.n_events++;
    while (i > 0 && w->sc.events[i - 1].step > e.step) {
        w->sc.events[i] = w->sc.events[i - 1];
        i--;
    }
    w->sc.events[i] = e;
}

/* n steps of every problem shown, all through app_problem_step (test metrics). */
long win_pace_step(win_state *w)
{
    Uint64 now = SDL_GetPerformanceCounter();
    double freq = (double)SDL_GetPerformanceFrequency();
    double dt = w->pace_t ? (double)(now - w->pace_t) / freq : 0;
    w->pace_t = now;
    if (w->paused) {
        pace_due(&w->pace, 0);
        w->pace.owed = 0;
        return 0;
    }
    long due = pace_due(&w->pace, dt), taken = 0, chunk = 1;   /* the first chunk: one step */
    if (w->stop_at >= 0) {   /* --steps N: pause at step N, each time the runs reach it */
        long left = w->stop_at - trainer_steps(w->p->trainer);
        if (left > 0) {
            w->stop_held = 0;   /* below N (a restart): the next arrival pauses again */
            due = due < left ? due : left;
        } else if (!w->stop_held) {   /* arrived: pause; Space goes on from here */
            w->paused = 1;
            w->stop_held = 1;
            w->pace.owed = 0;
#ifndef __EMSCRIPTEN__   /* (the page shows stderr's lines as messages) */
            fprintf(stderr, "losscape: paused at step %ld (--steps)\n", trainer_steps(w->p->trainer));
#endif
            return 0;
        }
    }
    /* chunks of steps, the clock read after each: a chunk is at most twice the last
     * and at most what the rest of the budget holds at the dearest step seen so far
     * this frame (steps that evaluate metrics or thin the history cost several times
     * the others), so the budget is kept to about one step */
    double used = 0, dearest = 0, budget = pace_budget(&w->pace);
    if (win_surface_news(w))   /* this frame draws a new surface: the least */
        budget = PACE_BUDGET_MIN_S;
    while (taken < due) {
        long k = chunk < due - taken ? chunk : due - taken;
        win_step_runs(w, (int)k);
        taken += k;
        double was = used;
        used = (double)(SDL_GetPerformanceCounter() - now) / freq;
        double per = (used - was) / (double)k;
        dearest = per > dearest ? per : dearest;
        double fit = dearest > 0 ? (budget - used) / dearest : 2.0 * (double)chunk;
        if (fit < 1)
            break;
        chunk = 2 * chunk < fit ? 2 * chunk : (long)fit;
    }
    pace_took(&w->pace, due, taken);
    pace_stepped(&w->pace, used);
    return taken;
}

/* Whether the plane is refitted after this step. A paced window (the window, --bench
 * --speed) keeps the clock's cadence too (pace_refit_due): a refit every 100 steps at
 * high speeds replaced the plane before the last one had eased in, so the surface was
 * always on its way. Refits in steps of their own (--screenshot, --record) keep the
 * step rule alone. */
static int refit_due(win_state *w)
{
    long steps = trainer_steps(w->p->trainer) - w->pca_at;
    if (!w->paced)
        return steps >= PACE_REFIT_STEPS;
    if (steps < PACE_REFIT_STEPS || (w->planefit && app_planefit_busy(w->planefit)))
        return 0;
    Uint64 now = SDL_GetPerformanceCounter();
    double f = (double)SDL_GetPerformanceFrequency();
    if (win_frame_settling(w) || w->still_t == 0)
        w->still_t = now;
    return pace_refit_due(steps, w->pca_t == 0 ? -1 : (double)(now - w->pca_t) / f,
                          (double)(now - w->still_t) / f);
}

/* n steps of every problem shown. A PCA plane is refitted at the steps refit_due
 * names, except where a later refit comes due within these n steps: no frame is
 * drawn in between, and a refit's result does not depend on the refits before it
 * (the easing starts from the plane and extent drawn last, whatever replaced them
 * since), so only the last one shows. --screenshot --steps N refits once, not N/100
 * times (moons-mlp-bn, 20000 steps: over 10 minutes before, for the same picture);
 * LOSSCAPE_REFIT_EVERY=1 (tests) refits at every step due, to compare. */
void win_step_runs(win_state *w, int n)
{
    int pca = w->sc.plane_kind == SCENE_PLANE_PCA && w->p->is_data && w->p->n > 2;
    int every = pca && !w->paced && getenv("LOSSCAPE_REFIT_EVERY") != NULL;
    int skipped = 0;   /* a refit due was left to a later one of these steps */
    if (pca) {   /* the refits' copy buffers, made by their workers ahead (planefit.h) */
        app_planefit_prepare(w->planefit, w->p);
        if (w->p2)
            app_planefit_prepare(w->planefit2, w->p2);
    }
    for (int i = 0; i < n; i++) {
        app_problem_step(w->p);
        if (win_apply_events(w))
            n = i + 1;   /* a pause event: this is the last step of the frame */
        if (w->p2)
            app_problem_step(w->p2);
        if (pca && !w->frame_frozen && refit_due(w)) {
            if (!w->paced && !every && n - 1 - i >= PACE_REFIT_STEPS) {
                w->pca_at = trainer_steps(w->p->trainer);   /* as if refitted: the next is due in 100 */
                skipped = 1;
            } else {
                win_refit_plane(w);
                skipped = 0;
            }
        }
    }
    if (skipped && !w->frame_frozen)   /* the later refit did not come (a pause event) */
        win_refit_plane(w);
    if (n > 0 && w->surf_batch) {   /* the mini-batch changed: its surface too */
        w->field_version++;
        w->field2_version++;
    }
}

/* Every run of both problems back to its start (test metrics cleared too). */
void win_reset_runs(win_state *w)
{
    app_problem_restart(w->p, w->p->start[0], w->p->start[1]);
    if (w->p2)
        app_problem_restart(w->p2, w->p2->start[0], w->p2->start[1]);
    app_metrics_forget(w->metrics);
    app_metrics_forget(w->metrics2);
    w->pca_at = 0;
    w->pca_t = 0;
    w->still_t = 0;
    if (w->surf_batch) {
        w->field_version++;
        w->field2_version++;
    }
    win_apply_events(w);   /* the timeline's step-0 events again */
    win_race_begins(w);
}

void win_race_begins(win_state *w)
{
    app_problem *p = w->p;
    w->sc.n_events = p->n_events;
    memcpy(w->sc.events, p->events, (size_t)p->n_events * sizeof p->events[0]);
    if (p->n_events == 0) {
        /* no timeline: the runs restarted with the settings they had (R keeps a
         * changed rate), which Ctrl+S writes as the runs' own (current_scene) */
        for (int i = 0; i < p->n_runs && i < trainer_run_count(p->trainer); i++)
            p->opts0[i] = *optim_desc_get(trainer_run_get(p->trainer, i)->opt);
        p->batch0 = trainer_batch(p->trainer);
    }
}

void win_restart_at(win_state *w, double x, double y)
{
    app_problem_restart(w->p, x, y);
    if (w->p2)
        app_problem_restart(w->p2, x, y);
    app_metrics_forget(w->metrics);
    app_metrics_forget(w->metrics2);
    win_race_begins(w);
    w->narr.stage = 0;
    win_set_status(w, _("restarted every run from (%.3g, %.3g)"), x, y);
}

/* Show scene sc (its problem built in place of the current one). The problem holds
 * pointers into itself, so it is rebuilt in place; if sc fails, the old scene is
 * rebuilt and 0 returned with the reason in err. */
static int switch_scene(win_state *w, const scene *sc, diag *err)
{
    win_drop_compare(w);   /* the worker idles there: it reads the problem */
    app_data_view_free(&w->dview);
    app_trailproj_free(&w->trails);
    free(w->plane_ease);   /* no easing into the next scene */
    w->plane_ease = NULL;
    w->plane_ease_n = 0;
    w->pca_at = 0;
    w->pca_t = 0;
    w->still_t = 0;
    app_metrics_idle(w->metrics);   /* it reads the problem */
    app_planefit_idle(w->planefit);
    app_sharpw_idle(w->sharpw);
    app_problem_destroy(w->p);
    if (!app_problem_create(w->p, sc, err)) {
        diag err2 = { 0 };
        if (!app_problem_create(w->p, &w->sc, &err2)) {
            fprintf(stderr, "losscape: cannot rebuild the scene: %s\n", err2.msg);
            w->running = 0;
        }
        w->field_version++;
        return 0;
    }
    w->field_version++;
    if (w->spread_thinning)
        trainer_set_spread_thinning(w->p->trainer, 1);
    app_sharpw_attach(w->sharpw, w->p);
    w->frame_moving = 0;
    w->frame_home = (surface_domain){ 0, 0, 0, 0 };
    w->plane_t = 1;
    w->show_traj = 0;   /* the recorded run belongs to the command line's surface */
    if (app_sharpness_every(w->o, sc) > 0)   /* --sharpness N, else this scene's key */
        app_problem_set_sharpness(w->p, app_sharpness_every(w->o, sc));   /* out of memory: no plot */
    w->sc = *sc;
    w->sc0 = *sc;
    w->selected = 0;
    w->narr.stage = 0;
    w->probe_valid = 0;
    renderer_invalidate_surface(w->r);
    camera_init(renderer_camera(w->r), (float)sc->camera[0], (float)sc->camera[1], (float)sc->camera[2]);
    win_show_title(w);
    return 1;
}

int win_load_scene(win_state *w, int index)
{
    int n = cli_builtin_scene_count();
    if (n <= 0) {
        win_set_status(w, _("no built-in scenes"));
        return 0;
    }
    index = ((index % n) + n) % n;
    const char *name = cli_builtin_scene_name(index);
    scene sc;
    scene_init(&sc);
    diag err = { 0 };
    if (!scene_parse(&sc, cli_builtin_scene(name), &err)) {
        win_set_status(w, _("scene %s: line %d: %s"), name, err.line, err.msg);
        return 0;
    }
    snprintf(sc.name, sizeof sc.name, "%s", name);
    if (!switch_scene(w, &sc, &err)) {
        win_set_status(w, _("scene %s: %s"), name, err.msg);
        return 0;
    }
    w->scene_index = index;
    win_set_status(w, _("scene %d/%d: %s"), index + 1, n, name);
    win_apply_events(w);   /* the new timeline's step-0 events */
    return 1;
}

/* One line for a bad file, as the command line words it: PATH:LINE:COL: message. */
static void file_error(win_state *w, const char *path, const diag *err)
{
    char line[600];
    if (err->line > 0)
        snprintf(line, sizeof line, "%s:%d:%d: %s", path, err->line, err->column, err->msg);
    else
        snprintf(line, sizeof line, "losscape: %s", err->msg);
    fprintf(stderr, "%s\n", line);
    win_set_status(w, "%s", line);
}

int win_open_file(win_state *w, const char *path)
{
    size_t n = strlen(path);
    scene sc;
    diag err = { 0 };
    if (n > 4 && strcasecmp(path + n - 4, ".csv") == 0) {
        sc = w->sc;   /* a data set for the scene shown (its model, loss, runs) */
        if (!scene_set(&sc, "data", path, &err)) {
            file_error(w, path, &err);
            return 0;
        }
        cli_name_problem(&sc);   /* no longer the scene's problem: titled as --data titles it */
    } else {
        scene_init(&sc);
        if (!scene_load(&sc, path, &err)) {
            file_error(w, path, &err);
            return 0;
        }
        const char *base = strrchr(path, '/');
        snprintf(sc.name, sizeof sc.name, "%s", base ? base + 1 : path);
        char *dot = strrchr(sc.name, '.');
        if (dot && dot != sc.name)
            *dot = 0;
    }
    if (!switch_scene(w, &sc, &err)) {
        file_error(w, path, &err);
        return 0;
    }
    w->scene_index = -1;
    win_set_status(w, _("opened %s"), path);
    return 1;
}

void win_move_probe(win_state *w, double dx, double dy)
{
    surface_domain d = w->p->domain;
    if (!w->probe_valid) {
        w->probe[0] = 0.5 * (d.xmin + d.xmax);
        w->probe[1] = 0.5 * (d.ymin + d.ymax);
        w->probe_valid = 1;
    }
    w->probe[0] += dx * 0.02 * (d.xmax - d.xmin);
    w->probe[1] += dy * 0.02 * (d.ymax - d.ymin);
    /* on a grid a billionth of the domain wide: steps there and back land on the
     * centre again, not on 2.8e-17 (issue 9 #16) */
    for (int k = 0; k < 2; k++) {
        double q = 1e-9 * (k ? d.ymax - d.ymin : d.xmax - d.xmin);
        if (q > 0)
            w->probe[k] = nearbyint(w->probe[k] / q) * q;
    }
    w->probe[0] = fmin(fmax(w->probe[0], d.xmin), d.xmax);
    w->probe[1] = fmin(fmax(w->probe[1], d.ymin), d.ymax);
    w->sc.overlays |= SCENE_OVERLAY_PROBE;
}

/* ==== the offscreen target ==== */

int win_fbo_create(win_state *w, int fw, int fh)
{
    glGenFramebuffers(1, &w->fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, w->fbo);
    glGenRenderbuffers(1, &w->rb_color);
    glBindRenderbuffer(GL_RENDERBUFFER, w->rb_color);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, fw, fh);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, w->rb_color);
    glGenRenderbuffers(1, &w->rb_depth);
    glBindRenderbuffer(GL_RENDERBUFFER, w->rb_depth);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, fw, fh);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, w->rb_depth);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        fprintf(stderr, "losscape: cannot create a %d×%d offscreen framebuffer\n", fw, fh);
        return 0;
    }
    w->fbo_w = fw;
    w->fbo_h = fh;
    return 1;
}

void win_fbo_destroy(win_state *w)
{
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &w->fbo);
    glDeleteRenderbuffers(1, &w->rb_color);
    glDeleteRenderbuffers(1, &w->rb_depth);
    w->fbo = w->rb_color = w->rb_depth = 0;
}
