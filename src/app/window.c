/*
 * window.c — the interactive window, --screenshot and --bench.
 *
 * One SDL2 window with an OpenGL 3.3 core context (resizable, vsync, high-DPI:
 * everything is drawn at SDL_GL_GetDrawableSize). --screenshot and --bench use a
 * hidden window and render into a framebuffer object of --size, so they need no
 * display (SDL_VIDEODRIVER=offscreen works through EGL).
 *
 * Per frame (DESIGN.md): events → actions (keys.c's table) → state changes →
 * steps_per_frame optimizer steps (never tied to wall-clock time) → draw.
 *
 * All of the window mode's state is one win_state, owned by app_window_run and
 * passed explicitly. NOTE: any other mutable global in the window mode is a bug.
 */
#include "app/window.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/dataview.h"
#include "record/png.h"
#include "record/recorder.h"
#include "render/colormap.h"
#include "render/gl_util.h"

#define STATUS_MS 3500

typedef struct win_state {
    const app_options *o;
    app_problem *p;
    scene sc;                   /* the scene as shown now (view, overlays... changed live) */
    SDL_Window *win;
    SDL_GLContext gl;
    renderer *r;
    GLuint fbo, rb_color, rb_depth;   /* offscreen target (screenshot, bench) */
    int fbo_w, fbo_h;
    int running, paused, help, fullscreen;
    int selected;               /* run the lr keys and narration act on */
    double fps;                 /* smoothed frames per second */
    int probe_valid;
    double probe[2];
    char status[256];
    Uint32 status_until;        /* SDL ticks when the status line disappears */
    render_narration narr;
    int scene_index;            /* built-in scene shown (PageUp/PageDown); −1 unknown */
    int dragging, drag_moved;   /* left button state */
    int mouse_x, mouse_y;       /* window coordinates at button press */
    render_help_line help_lines[64];
    int n_help;
    render_field field;         /* the problem's 2-D view, as the renderer sees it */
    unsigned long field_version;/* bumped when the problem or its plane changes */
    /* data problems (issue 4) */
    int surf_batch;             /* 1: the surface is run 0's current mini-batch's loss (Y) */
    long pca_at;                /* step of the last refit of a PCA plane */
    app_data_view dview;        /* the data panel's arrays */
    render_series series[TRAINER_MAX_RUNS];
    /* the compare layout: a second problem built from the scene's `compare` overrides
     * or the default counterpart (see ensure_compare); NULL for surfaces, whose second
     * panel is the same surface on the other height scale */
    app_problem *p2;            /* owned */
    int p2_tried;               /* ensure_compare ran for this scene */
    render_field field2;
    unsigned long field2_version;
    char label[2][160];         /* what each compared panel shows */
    /* recording from the window (F9): frames are drawn into the offscreen target
     * (fbo, at the size fixed when it started), read back, then shown scaled */
    recorder *rec;
    rec_readback *rb;
    Uint64 rec_t0;              /* performance counter at the start */
    char rec_path[64];
} win_state;

/* ==== helpers ==== */

static void set_status(win_state *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void set_status(win_state *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->status, sizeof w->status, fmt, ap);
    va_end(ap);
    w->status_until = SDL_GetTicks() + STATUS_MS;
}

static void drawable_size(const win_state *w, int *fw, int *fh)
{
    if (w->fbo) {
        *fw = w->fbo_w;
        *fh = w->fbo_h;
    } else {
        SDL_GL_GetDrawableSize(w->win, fw, fh);
    }
}

static int ensure_critical(win_state *w)
{
    if (w->p->n_crit < 0)
        app_problem_critical_points(w->p);
    return w->p->n_crit;
}

/* ==== the problem's 2-D view for the renderer ==== */

static double field_eval(void *ctx, double a, double b, double grad[2], double hess[4])
{
    return app_problem_eval_point(ctx, a, b, grad, hess);
}

/* Full data, and run 0's current mini-batch (Y); both at a resolution their cost
 * allows (dataview.h), resampled to the texture. */
static int field_grid(void *ctx, surface_domain dom, int nx, int ny, double *values)
{
    return app_view_grid(ctx, dom, nx, ny, 0, values);
}

static int field_grid_batch(void *ctx, surface_domain dom, int nx, int ny, double *values)
{
    return app_view_grid(ctx, dom, nx, ny, 1, values);
}

static void field_project(const void *ctx, const double *theta, double ab[2])
{
    app_problem_project(ctx, theta, ab);
}

static void update_field(win_state *w)
{
    int batch = w->surf_batch && w->p->is_data;
    w->field = (render_field){ .ctx = w->p, .eval = field_eval,
                               .eval_grid = batch ? field_grid_batch : field_grid,
                               .project = field_project, .domain = w->p->domain,
                               .version = w->field_version };
    if (w->p2)
        w->field2 = (render_field){ .ctx = w->p2, .eval = field_eval,
                                    .eval_grid = batch && w->p2->is_data ? field_grid_batch : field_grid,
                                    .project = field_project, .domain = w->p2->domain,
                                    .version = w->field2_version };
}

/* The compare layout's second problem, built once per scene: the scene with its
 * `compare` overrides, or by default the counterpart that teaches something:
 *   classification data  the other loss (cross-entropy <-> mean squared error);
 *   regression data      the features standardized (or not, if they were);
 *   a surface            no second problem: the same surface on the other height
 *                        scale (linear <-> log), which is what such scenes hide.
 * On failure the second panel shows the first problem and the status says why. */
static void ensure_compare(win_state *w)
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
    if (w->sc.compare[0]) {
        ok = scene_compare_scene(&w->sc, sc2, &err);
        snprintf(w->label[0], sizeof w->label[0], "this scene");
        snprintf(w->label[1], sizeof w->label[1], "compare: %.140s", w->sc.compare);
    } else if (p->is_data && p->train->task != DATA_REGRESSION) {
        *sc2 = w->sc;
        int ce = p->loss != LOSS_MSE;
        sc2->loss = ce ? SCENE_LOSS_MSE : SCENE_LOSS_CE;
        snprintf(w->label[0], sizeof w->label[0], "loss: %s", ce ? "cross-entropy" : "mean squared error");
        snprintf(w->label[1], sizeof w->label[1], "loss: %s", ce ? "mean squared error" : "cross-entropy");
    } else if (p->is_data) {
        *sc2 = w->sc;
        sc2->standardize = !w->sc.standardize;
        snprintf(w->label[0], sizeof w->label[0], "features %s", w->sc.standardize ? "standardized" : "as given");
        snprintf(w->label[1], sizeof w->label[1], "features %s", w->sc.standardize ? "as given" : "standardized");
    } else {
        free(sc2);
        return;   /* labels follow the log flag (build_frame) */
    }
    sc2->batch = w->sc.batch;
    if (ok) {
        w->p2 = calloc(1, sizeof *w->p2);
        if (!w->p2 || !app_problem_create(w->p2, sc2, &err)) {
            free(w->p2);
            w->p2 = NULL;
            ok = 0;
        }
    }
    if (!ok) {
        set_status(w, "compare: %s", err.msg[0] ? err.msg : "out of memory");
        snprintf(w->label[1], sizeof w->label[1], "compare failed: %.120s", err.msg);
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

static void drop_compare(win_state *w)
{
    if (w->p2) {
        app_problem_destroy(w->p2);
        free(w->p2);
        w->p2 = NULL;
    }
    w->p2_tried = 0;
}

static void build_frame(win_state *w, render_frame *f)
{
    memset(f, 0, sizeof *f);
    update_field(w);
    f->field = &w->field;
    f->tr = w->p->trainer;
    if (w->sc.overlays & SCENE_OVERLAY_CRITICAL) {
        int n = ensure_critical(w);
        f->crit = w->p->crit;
        f->n_crit = n < 0 ? 0 : n > APP_MAX_CRITICAL ? APP_MAX_CRITICAL : n;
    }
    f->title = w->o->title ? w->o->title : w->sc.title;
    f->view = w->sc.view;
    f->layout = w->sc.layout;
    f->overlays = w->sc.overlays;
    f->colormap = w->sc.colormap;
    f->selected = w->selected;
    f->paused = w->paused;
    f->steps_per_frame = w->sc.steps_per_frame;
    f->fps = w->fbo ? 0 : w->fps;
    f->help = w->help;
    f->help_lines = w->help_lines;
    f->n_help = w->n_help;
    f->probe_valid = w->probe_valid;
    f->probe[0] = w->probe[0];
    f->probe[1] = w->probe[1];
    f->status = SDL_TICKS_PASSED(SDL_GetTicks(), w->status_until) ? NULL : w->status;
    f->narr = w->narr.stage > 0 ? &w->narr : NULL;
    f->caption = w->sc.caption[0] ? w->sc.caption : NULL;
    if (w->p->is_data) {
        if (w->sc.overlays & SCENE_OVERLAY_DATA)
            f->data = app_data_view_update(&w->dview, w->p, w->selected, w->surf_batch);
        if (app_series_view(w->p, w->series))
            f->series = w->series;
        f->surface_batch = w->surf_batch;
    }
    if (w->sc.layout == SCENE_LAYOUT_COMPARE) {
        ensure_compare(w);
        update_field(w);   /* field2 of a problem built just now */
        if (w->p2) {
            f->field2 = &w->field2;
            f->tr2 = w->p2->trainer;
            f->log2 = (w->sc.overlays & SCENE_OVERLAY_LOG) != 0;
        } else {
            int lg = (w->sc.overlays & SCENE_OVERLAY_LOG) != 0;
            f->log2 = !lg;
            if (!w->p->is_data) {
                snprintf(w->label[0], sizeof w->label[0], "%s height scale", lg ? "log" : "linear");
                snprintf(w->label[1], sizeof w->label[1], "%s height scale (G switches both)", lg ? "linear" : "log");
            }
        }
        f->label[0] = w->label[0];
        f->label[1] = w->label[1];
    }
}

static void draw(win_state *w)
{
    int fw, fh;
    drawable_size(w, &fw, &fh);
    if (w->fbo)
        glBindFramebuffer(GL_FRAMEBUFFER, w->fbo);
    render_frame f;
    build_frame(w, &f);
    renderer_set_field(w->r, f.field);
    if (f.field2)
        renderer_set_field2(w->r, f.field2);
    renderer_draw(w->r, &f, fw, fh);
    if (w->fbo)   /* screenshots and recordings: the caption is burnt in */
        renderer_draw_caption(w->r, f.caption, fw, fh);
}

/* Read the current framebuffer (the FBO offscreen, else the back buffer) into a PNG. */
static int save_png(win_state *w, const char *path)
{
    int fw, fh;
    drawable_size(w, &fw, &fh);
    unsigned char *px = malloc((size_t)fw * (size_t)fh * 4);
    if (!px) {
        fprintf(stderr, "losscape: screenshot: out of memory\n");
        return 0;
    }
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    if (!w->fbo)
        glReadBuffer(GL_BACK);
    glReadPixels(0, 0, fw, fh, GL_RGBA, GL_UNSIGNED_BYTE, px);
    char err[512];
    int ok = png_write_rgba(path, fw, fh, px, 1, err, sizeof err);
    free(px);
    if (!ok)
        fprintf(stderr, "losscape: screenshot: %s\n", err);
    return ok;
}

/* ==== actions ==== */

#define PCA_REFIT_EVERY 100

static void move_probe(win_state *w, double dx, double dy);

/* A PCA plane (models with > 2 parameters, plane = pca) follows the trajectories:
 * refit it and its domain from the runs so far; the camera stays. */
static void refit_plane(win_state *w)
{
    int changed = app_problem_plane_pca(w->p);
    if (w->p2 && app_problem_plane_pca(w->p2))
        w->field2_version++;
    w->pca_at = trainer_steps(w->p->trainer);
    if (changed) {
        w->field_version++;
        if (w->probe_valid) {
            w->probe_valid = 0;
            if (w->sc.overlays & SCENE_OVERLAY_PROBE)
                move_probe(w, 0, 0);
        }
    }
}

/* n steps of every problem shown, all through app_problem_step (test metrics). */
static void step_runs(win_state *w, int n)
{
    int pca = w->sc.plane_kind == SCENE_PLANE_PCA && w->p->is_data && w->p->n > 2;
    for (int i = 0; i < n; i++) {
        app_problem_step(w->p);
        if (w->p2)
            app_problem_step(w->p2);
        if (pca && trainer_steps(w->p->trainer) >= w->pca_at + PCA_REFIT_EVERY)
            refit_plane(w);
    }
    if (n > 0 && w->surf_batch) {   /* the mini-batch changed: its surface too */
        w->field_version++;
        w->field2_version++;
    }
}

/* Every run of both problems back to its start (test metrics cleared too). */
static void reset_runs(win_state *w)
{
    app_problem_restart(w->p, w->p->start[0], w->p->start[1]);
    if (w->p2)
        app_problem_restart(w->p2, w->p2->start[0], w->p2->start[1]);
    w->pca_at = 0;
    if (w->surf_batch) {
        w->field_version++;
        w->field2_version++;
    }
}

/* Batch size × 2 (up) or ÷ 2 of one problem, within 1..its training set (its size:
 * full batch). Returns the new size (0: full). */
static int step_batch(app_problem *p, int up)
{
    int b = trainer_batch(p->trainer), n = p->obj.n_samples;
    if (b <= 0)
        b = n;
    b = up ? b * 2 : b / 2;
    b = b < 1 ? 1 : b >= n ? 0 : b;
    trainer_set_batch(p->trainer, b);
    return b;
}

static void scale_lr(win_state *w, int run, double factor)
{
    trainer *t = w->p->trainer;
    for (app_problem *pp = w->p; pp; pp = pp == w->p ? w->p2 : NULL) {
        trainer *tt = pp->trainer;
        int n = trainer_run_count(tt);
        for (int i = 0; i < n; i++) {
            if (run >= 0 && i != run)
                continue;
            optim_desc d = *optim_desc_get(trainer_run_get(tt, i)->opt);
            d.lr *= factor;
            if (d.lr < 1e-9)
                d.lr = 1e-9;
            if (d.lr > 1e3)
                d.lr = 1e3;
            trainer_set_optim(tt, i, &d);
            pp->opts[i].lr = d.lr;
        }
    }
    const optim_desc *d = optim_desc_get(trainer_run_get(t, run >= 0 ? run : 0)->opt);
    if (run >= 0)
        set_status(w, "%s: η = %.4g", optim_kind_name(d->kind), d->lr);
    else
        set_status(w, "every rate × %.4g", factor);
}

/* The selected run's next step, one sub-step at a time (E). */
static void narrate(win_state *w)
{
    trainer *t = w->p->trainer;
    int i = w->selected;
    const trainer_run *run = trainer_run_get(t, i);
    render_narration *n = &w->narr;
    if (run->diverged) {
        set_status(w, "%s has diverged: press R to reset", optim_kind_name(optim_desc_get(run->opt)->kind));
        return;
    }
    if (trainer_param_count(t) != 2) {
        set_status(w, "narrated step: available on 2-D surfaces");
        return;
    }
    const optim_desc *d = optim_desc_get(run->opt);
    double g[2], x = run->theta[0], y = run->theta[1];
    app_problem_eval_point(w->p, x, y, g, NULL);
    long k = optim_steps_taken(run->opt);
    const schedule_desc *sd = trainer_schedule(t);
    double lr = sd ? schedule_rate(sd, d->lr, k) : d->lr;
    double sg[2];
    optim_sigma(run->opt, sg);
    const double *vel = optim_velocity(run->opt);
    const char *name = optim_kind_name(d->kind);
    w->paused = 1;
    n->run = i;
    n->origin[0] = x, n->origin[1] = y;
    memset(n->vec2, 0, sizeof n->vec2);
    memset(n->box, 0, sizeof n->box);
    int stage = n->stage % 4 + 1;
    n->stage = stage;
    if (stage == 1) {
        n->vec[0] = -lr * g[0], n->vec[1] = -lr * g[1];
        snprintf(n->caption, sizeof n->caption, "%s 1/4 gradient: g = ∇L(θ) = (%.3g, %.3g); white: the plain step −ηg",
                 name, g[0], g[1]);
        n->vec2[0] = n->vec[0], n->vec2[1] = n->vec[1];
        memset(n->vec, 0, sizeof n->vec);
    } else if (stage == 2) {
        n->vec2[0] = -lr * g[0], n->vec2[1] = -lr * g[1];
        if (d->kind == OPT_MOMENTUM) {
            double b[2] = { g[0], g[1] };
            if (vel && k > 0)
                for (int c = 0; c < 2; c++)
                    b[c] = d->momentum * vel[c] + (1 - d->dampening) * g[c];
            n->vec[0] = -lr * b[0], n->vec[1] = -lr * b[1];
            snprintf(n->caption, sizeof n->caption,
                     "%s 2/4 momentum blend: b ← μb + g (μ = %.3g): colour −ηb keeps the previous direction",
                     name, d->momentum);
        } else if (d->kind == OPT_ADAM) {
            double m[2];
            for (int c = 0; c < 2; c++)
                m[c] = (vel ? d->beta1 * vel[c] : 0) + (1 - d->beta1) * g[c];
            double bc = 1 - pow(d->beta1, (double)(k + 1));
            n->vec[0] = -lr * m[0] / bc, n->vec[1] = -lr * m[1] / bc;
            snprintf(n->caption, sizeof n->caption,
                     "%s 2/4 momentum blend: m ← β₁m + (1−β₁)g (β₁ = %.3g), bias-corrected m/(1−β₁^t)",
                     name, d->beta1);
        } else {
            n->vec[0] = -lr * g[0], n->vec[1] = -lr * g[1];
            snprintf(n->caption, sizeof n->caption, "%s 2/4 momentum blend: none for %s, the direction stays −g",
                     name, name);
        }
    } else if (stage == 3) {
        double s[2];
        for (int c = 0; c < 2; c++) {
            double s2 = sg[c] * sg[c], g2 = g[c] * g[c];
            if (d->kind == OPT_ADAGRAD)
                s2 = d->variant == OPTIM_VARIANT_LECTURE ? (s2 * (double)k + g2) / (double)(k + 1) : s2 + g2;
            else if (d->kind == OPT_RMSPROP)
                s2 = (k > 0 ? d->alpha * s2 : 0) + (1 - d->alpha) * g2;
            else if (d->kind == OPT_ADAM)
                s2 = k > 0 ? d->beta2 * s2 + (1 - d->beta2) * g2 : g2;
            else
                s2 = 1;
            s[c] = sqrt(s2);
        }
        n->box[0] = s[0], n->box[1] = s[1];
        if (d->kind == OPT_ADAGRAD)
            snprintf(n->caption, sizeof n->caption, "%s 3/4 accumulator: s ← s + g²; σ = (%.3g, %.3g), rate η/σ = (%.3g, %.3g)",
                     name, s[0], s[1], lr / s[0], lr / s[1]);
        else if (d->kind == OPT_RMSPROP)
            snprintf(n->caption, sizeof n->caption, "%s 3/4 accumulator: σ² ← ασ² + (1−α)g²; σ = (%.3g, %.3g), η/σ = (%.3g, %.3g)",
                     name, s[0], s[1], lr / s[0], lr / s[1]);
        else if (d->kind == OPT_ADAM)
            snprintf(n->caption, sizeof n->caption, "%s 3/4 accumulator: v ← β₂v + (1−β₂)g²; σ ≈ (%.3g, %.3g)",
                     name, s[0], s[1]);
        else {
            memset(n->box, 0, sizeof n->box);
            snprintf(n->caption, sizeof n->caption, "%s 3/4 accumulator: none, every parameter uses the same rate η = %.3g",
                     name, lr);
        }
    } else {
        /* the update itself: step only this run */
        int active[TRAINER_MAX_RUNS];
        int nr = trainer_run_count(t);
        for (int j = 0; j < nr; j++) {
            active[j] = trainer_run_get(t, j)->active;
            trainer_set_active(t, j, j == i);
        }
        app_problem_step(w->p);
        for (int j = 0; j < nr; j++)
            trainer_set_active(t, j, active[j]);
        run = trainer_run_get(t, i);
        n->vec[0] = run->update[0], n->vec[1] = run->update[1];
        snprintf(n->caption, sizeof n->caption, "%s 4/4 update: θ ← θ + Δθ, Δθ = (%.3g, %.3g); loss now %.4g  (E: next step)",
                 name, run->update[0], run->update[1], run->loss);
    }
}

static void restart_at(win_state *w, double x, double y)
{
    app_problem_restart(w->p, x, y);
    if (w->p2)
        app_problem_restart(w->p2, x, y);
    w->narr.stage = 0;
    set_status(w, "restarted every run from (%.3g, %.3g)", x, y);
}

static int load_scene(win_state *w, int index)
{
    int n = cli_builtin_scene_count();
    if (n <= 0) {
        set_status(w, "no built-in scenes");
        return 0;
    }
    index = ((index % n) + n) % n;
    const char *name = cli_builtin_scene_name(index);
    scene sc;
    scene_init(&sc);
    diag err = { 0 };
    if (!scene_parse(&sc, cli_builtin_scene(name), &err)) {
        set_status(w, "scene %s: line %d: %s", name, err.line, err.msg);
        return 0;
    }
    snprintf(sc.name, sizeof sc.name, "%s", name);
    /* the problem holds pointers into itself: rebuild it in place; if the new scene
     * fails, rebuild the old one */
    drop_compare(w);
    app_data_view_free(&w->dview);
    w->pca_at = 0;
    app_problem_destroy(w->p);
    if (!app_problem_create(w->p, &sc, &err)) {
        diag err2 = { 0 };
        set_status(w, "scene %s: %s", name, err.msg);
        if (!app_problem_create(w->p, &w->sc, &err2)) {
            fprintf(stderr, "losscape: cannot rebuild the scene: %s\n", err2.msg);
            w->running = 0;
        }
        w->field_version++;
        return 0;
    }
    w->field_version++;
    w->sc = sc;
    w->scene_index = index;
    w->selected = 0;
    w->narr.stage = 0;
    w->probe_valid = 0;
    renderer_invalidate_surface(w->r);
    camera_init(renderer_camera(w->r), (float)sc.camera[0], (float)sc.camera[1], (float)sc.camera[2]);
    set_status(w, "scene %d/%d: %s", index + 1, n, name);
    return 1;
}

static void save_scene(win_state *w)
{
    scene sc = w->sc;
    trainer *t = w->p->trainer;
    sc.n_opts = trainer_run_count(t);
    for (int i = 0; i < sc.n_opts && i < SCENE_MAX_RUNS; i++)
        sc.opts[i] = *optim_desc_get(trainer_run_get(t, i)->opt);
    sc.lr = 0;
    sc.has_start = 1;
    sc.start[0] = w->p->start[0];
    sc.start[1] = w->p->start[1];
    sc.batch = trainer_batch(t);
    const camera *c = renderer_camera(w->r);
    sc.camera[0] = c->yaw;
    sc.camera[1] = c->pitch;
    sc.camera[2] = camera_diagonals(c);
    char path[96];
    diag err = { 0 };
    if (!rec_unique_name(path, sizeof path, "scene"))
        set_status(w, "cannot find a free file name for the scene");
    else if (scene_save(&sc, path, &err))
        set_status(w, "saved %s", path);
    else
        set_status(w, "cannot save %s: %s", path, err.msg);
}

static void move_probe(win_state *w, double dx, double dy)
{
    surface_domain d = w->p->domain;
    if (!w->probe_valid) {
        w->probe[0] = 0.5 * (d.xmin + d.xmax);
        w->probe[1] = 0.5 * (d.ymin + d.ymax);
        w->probe_valid = 1;
    }
    w->probe[0] += dx * 0.02 * (d.xmax - d.xmin);
    w->probe[1] += dy * 0.02 * (d.ymax - d.ymin);
    w->probe[0] = fmin(fmax(w->probe[0], d.xmin), d.xmax);
    w->probe[1] = fmin(fmax(w->probe[1], d.ymin), d.ymax);
    w->sc.overlays |= SCENE_OVERLAY_PROBE;
}

static void toggle(win_state *w, unsigned flag, const char *name)
{
    w->sc.overlays ^= flag;
    set_status(w, "%s %s", name, (w->sc.overlays & flag) ? "on" : "off");
}

/* ==== recording from the window ==== */

static int create_fbo(win_state *w, int fw, int fh);

static void destroy_fbo(win_state *w)
{
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &w->fbo);
    glDeleteRenderbuffers(1, &w->rb_color);
    glDeleteRenderbuffers(1, &w->rb_depth);
    w->fbo = w->rb_color = w->rb_depth = 0;
}

static double rec_seconds(const win_state *w)
{
    return (double)(SDL_GetPerformanceCounter() - w->rec_t0) / (double)SDL_GetPerformanceFrequency();
}

/* Stop: push the last frame read back, finish the file (or report why not). */
static void stop_recording(win_state *w)
{
    if (!w->rec)
        return;
    const unsigned char *px = rec_readback_flush(w->rb);
    if (px)
        rec_push(w->rec, px);   /* a failure shows in rec_finish */
    rec_readback_unmap(w->rb);
    long n = rec_frames(w->rec);
    char err[600];
    if (rec_finish(w->rec, err, sizeof err)) {
        set_status(w, "saved %s (%ld frames, %.1f s)", w->rec_path, n, rec_seconds(w));
    } else {
        set_status(w, "recording failed: %s", err);
        fprintf(stderr, "losscape: recording %s: %s\n", w->rec_path, err);
    }
    w->rec = NULL;
    rec_readback_destroy(w->rb);
    w->rb = NULL;
    destroy_fbo(w);
}

/* Start recording what is shown, at the framebuffer size now (made even for
 * yuv420p), into a new losscape-YYYYmmdd-HHMMSS.mp4. */
static void start_recording(win_state *w)
{
    int fw, fh;
    SDL_GL_GetDrawableSize(w->win, &fw, &fh);
    fw &= ~1;
    fh &= ~1;
    if (!rec_unique_name(w->rec_path, sizeof w->rec_path, "mp4")) {
        set_status(w, "recording: no free file name");
        return;
    }
    char err[600];
    int bad = 0;
    rec_desc d = { .path = w->rec_path, .width = fw, .height = fh, .fps = w->o->fps, .bottom_up = 1 };
    w->rec = rec_open(&d, err, sizeof err, &bad);
    if (!w->rec) {
        set_status(w, "cannot record: %s", err);
        return;
    }
    w->rb = rec_readback_create(fw, fh);
    if (!w->rb || !create_fbo(w, fw, fh)) {
        rec_abort(w->rec);
        w->rec = NULL;
        rec_readback_destroy(w->rb);
        w->rb = NULL;
        if (w->fbo)
            destroy_fbo(w);
        set_status(w, "cannot record: no %dx%d offscreen target", fw, fh);
        return;
    }
    w->rec_t0 = SDL_GetPerformanceCounter();
    set_status(w, "recording %s (%dx%d); F9 stops", w->rec_path, fw, fh);
}

static void toggle_recording(win_state *w)
{
    if (w->rec)
        stop_recording(w);
    else if (w->fbo)
        set_status(w, "recording: not in offscreen modes");
    else
        start_recording(w);
}

/* After draw() rendered into the recording target: read it back (the previous
 * frame goes to the encoder), show it scaled into the window, and the indicator. */
static void record_window_frame(win_state *w)
{
    rec_readback_capture(w->rb);
    const unsigned char *px = rec_readback_map(w->rb);
    int ok = px ? rec_push(w->rec, px) : 1;
    rec_readback_unmap(w->rb);
    int ww, wh;
    SDL_GL_GetDrawableSize(w->win, &ww, &wh);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, w->fbo);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, ww, wh);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    /* keep the aspect ratio: letterbox if the window was resized */
    double s = fmin((double)ww / w->fbo_w, (double)wh / w->fbo_h);
    int dw = (int)(w->fbo_w * s), dh = (int)(w->fbo_h * s);
    int dx = (ww - dw) / 2, dy = (wh - dh) / 2;
    glBlitFramebuffer(0, 0, w->fbo_w, w->fbo_h, dx, dy, dx + dw, dy + dh, GL_COLOR_BUFFER_BIT,
                      s == 1.0 ? GL_NEAREST : GL_LINEAR);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    renderer_draw_rec_indicator(w->r, rec_seconds(w), ww, wh);
    if (!ok)
        stop_recording(w);   /* reports the encoder's failure */
}

void win_do(win_state *w, win_action a);

void win_do(win_state *w, win_action a)
{
    trainer *t = w->p->trainer;
    camera *cam = renderer_camera(w->r);
    switch (a) {
    case ACT_NONE:
    case ACT_COUNT: break;
    case ACT_QUIT: w->running = 0; break;
    case ACT_PAUSE:
        w->paused = !w->paused;
        w->narr.stage = 0;
        break;
    case ACT_STEP:
        w->paused = 1;
        w->narr.stage = 0;
        step_runs(w, 1);
        break;
    case ACT_NARRATE: narrate(w); break;
    case ACT_RESET:
        reset_runs(w);
        w->narr.stage = 0;
        set_status(w, "reset");
        break;
    case ACT_SPEED_DOWN:
        w->sc.steps_per_frame = w->sc.steps_per_frame > 1 ? w->sc.steps_per_frame / 2 : 1;
        set_status(w, "%d steps per frame", w->sc.steps_per_frame);
        break;
    case ACT_SPEED_UP:
        w->sc.steps_per_frame = w->sc.steps_per_frame < 4096 ? w->sc.steps_per_frame * 2 : 4096;
        set_status(w, "%d steps per frame", w->sc.steps_per_frame);
        break;
    case ACT_LR_DOWN: scale_lr(w, w->selected, 1 / 1.25); break;
    case ACT_LR_UP: scale_lr(w, w->selected, 1.25); break;
    case ACT_LR_DOWN_ALL: scale_lr(w, -1, 1 / 1.25); break;
    case ACT_LR_UP_ALL: scale_lr(w, -1, 1.25); break;
    case ACT_BATCH_UP:
    case ACT_BATCH_DOWN:
        if (w->p->obj.n_samples <= 0) {
            set_status(w, "batch size: this scene has no data set (full batch)");
        } else {
            int b = step_batch(w->p, a == ACT_BATCH_UP);
            if (w->p2 && w->p2->obj.n_samples > 0)
                step_batch(w->p2, a == ACT_BATCH_UP);
            w->sc.batch = b;
            if (b)
                set_status(w, "batch size %d", b);
            else
                set_status(w, "full batch");
        }
        break;
    case ACT_RUN1: case ACT_RUN2: case ACT_RUN3: case ACT_RUN4: case ACT_RUN5: {
        int i = (int)(a - ACT_RUN1);
        if (i >= trainer_run_count(t))
            break;
        const trainer_run *run = trainer_run_get(t, i);
        const char *name = optim_kind_name(optim_desc_get(run->opt)->kind);
        if (w->selected != i) {
            w->selected = i;
            set_status(w, "selected %d %s", i + 1, name);
        } else {
            trainer_set_active(t, i, !run->active);
            if (w->p2 && i < trainer_run_count(w->p2->trainer))
                trainer_set_active(w->p2->trainer, i, run->active);
            set_status(w, "%s %s", name, run->active ? "on" : "off");
        }
        break;
    }
    case ACT_DATA:
        if (!w->p->is_data)
            set_status(w, "data panel: this scene has no data set");
        else
            toggle(w, SCENE_OVERLAY_DATA, "data panel");
        break;
    case ACT_BATCH_SURFACE:
        if (!w->p->is_data) {
            set_status(w, "mini-batch surface: this scene has no data set");
        } else {
            w->surf_batch = !w->surf_batch;
            w->field_version++;
            w->field2_version++;
            set_status(w, "surface: %s", w->surf_batch ? "the current mini-batch's loss (run 1's batch)"
                                                       : "the loss on the full training data");
        }
        break;
    case ACT_REFIT_PLANE:
        if (!w->p->is_data || w->p->n <= 2) {
            set_status(w, "plane: this problem has two parameters, its axes are the parameters");
        } else {
            refit_plane(w);
            set_status(w, "plane: refit to the trajectories' two principal directions%s",
                       w->sc.plane_kind == SCENE_PLANE_PCA ? "" : " (this scene's plane was random)");
        }
        break;
    case ACT_LAYOUT:
        w->sc.layout = (scene_layout)((w->sc.layout + 1) % SCENE_LAYOUT_COUNT);
        set_status(w, "layout: %s", scene_layout_name(w->sc.layout));
        break;
    case ACT_VIEW: {
        static const scene_view order[3] = { SCENE_VIEW_2D, SCENE_VIEW_3D, SCENE_VIEW_SPLIT };
        int k = 0;
        while (k < 3 && order[k] != w->sc.view)
            k++;
        w->sc.view = order[(k + 1) % 3];
        set_status(w, "view: %s", scene_view_name(w->sc.view));
        break;
    }
    case ACT_LOG: toggle(w, SCENE_OVERLAY_LOG, "log scale"); break;
    case ACT_CONTOURS: toggle(w, SCENE_OVERLAY_CONTOURS, "contours"); break;
    case ACT_ARROWS: toggle(w, SCENE_OVERLAY_ARROWS, "arrows"); break;
    case ACT_PROBE:
        toggle(w, SCENE_OVERLAY_PROBE, "Hessian probe");
        if ((w->sc.overlays & SCENE_OVERLAY_PROBE) && !w->probe_valid)
            move_probe(w, 0, 0);
        break;
    case ACT_CRITICAL:
        toggle(w, SCENE_OVERLAY_CRITICAL, "critical points");
        if (w->sc.overlays & SCENE_OVERLAY_CRITICAL)
            set_status(w, "critical points: %d found", ensure_critical(w));
        break;
    case ACT_COLORMAP:
        w->sc.colormap = (w->sc.colormap + 1) % COLORMAP_COUNT;
        set_status(w, "colour map: %s", colormap_name(w->sc.colormap));
        break;
    case ACT_SIDE:
        if (w->sc.overlays & (SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT))
            w->sc.overlays &= ~(unsigned)(SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT);
        else
            w->sc.overlays |= SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT;
        break;
    case ACT_NEXT_SCENE: load_scene(w, w->scene_index + 1); break;
    case ACT_PREV_SCENE: load_scene(w, w->scene_index - 1); break;
    case ACT_SAVE_SCENE: save_scene(w); break;
    case ACT_RECORD: toggle_recording(w); break;
    case ACT_SCREENSHOT: {
        char path[64];
        if (!rec_unique_name(path, sizeof path, "png")) {
            set_status(w, "screenshot: no free file name");
            break;
        }
        draw(w);
        if (save_png(w, path))
            set_status(w, "saved %s", path);
        break;
    }
    case ACT_FULLSCREEN:
        if (!w->fbo) {
            w->fullscreen = !w->fullscreen;
            SDL_SetWindowFullscreen(w->win, w->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
        }
        break;
    case ACT_HELP: w->help = !w->help; break;
    case ACT_RELOAD_SHADERS: {
        const char *dir = getenv("LOSSCAPE_SHADER_DIR");
        char buf[1024];
        if (!dir) {
            snprintf(buf, sizeof buf, "%s/shaders", LOSSCAPE_SOURCE_DIR);
            dir = buf;
        }
        if (renderer_reload_shaders(w->r, dir))
            set_status(w, "shaders reloaded from %s", dir);
        else
            set_status(w, "shader reload failed (see the terminal); keeping the old ones");
        break;
    }
    case ACT_CAM_LEFT: camera_orbit(cam, -5, 0); break;
    case ACT_CAM_RIGHT: camera_orbit(cam, 5, 0); break;
    case ACT_CAM_UP: camera_orbit(cam, 0, 4); break;
    case ACT_CAM_DOWN: camera_orbit(cam, 0, -4); break;
    case ACT_ZOOM_IN: camera_zoom(cam, 1 / 1.1f); break;
    case ACT_ZOOM_OUT: camera_zoom(cam, 1.1f); break;
    case ACT_CAM_RESET: camera_reset(cam); break;
    case ACT_PROBE_LEFT: move_probe(w, -1, 0); break;
    case ACT_PROBE_RIGHT: move_probe(w, 1, 0); break;
    case ACT_PROBE_UP: move_probe(w, 0, 1); break;
    case ACT_PROBE_DOWN: move_probe(w, 0, -1); break;
    }
}

/* ==== events ==== */

static void to_pixels(const win_state *w, int wx, int wy, float *px, float *py)
{
    int ww, wh, fw, fh;
    SDL_GetWindowSize(w->win, &ww, &wh);
    drawable_size(w, &fw, &fh);
    *px = (float)wx * (float)fw / (float)(ww > 0 ? ww : 1);
    *py = (float)wy * (float)fh / (float)(wh > 0 ? wh : 1);
}

static int pick(win_state *w, int wx, int wy, double *x, double *y)
{
    float px, py;
    to_pixels(w, wx, wy, &px, &py);
    render_frame f;
    build_frame(w, &f);
    return renderer_pick(w->r, &f, px, py, x, y);
}

static void handle_event(win_state *w, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT: w->running = 0; break;
    case SDL_KEYDOWN:
        win_do(w, win_key_lookup(e->key.keysym.sym, e->key.keysym.mod));
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) {
            w->dragging = 1;
            w->drag_moved = 0;
            w->mouse_x = e->button.x;
            w->mouse_y = e->button.y;
        }
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT && w->dragging) {
            w->dragging = 0;
            double x, y;
            if (!w->drag_moved && pick(w, e->button.x, e->button.y, &x, &y))
                restart_at(w, x, y);
        }
        break;
    case SDL_MOUSEMOTION:
        if (w->dragging) {
            int dx = e->motion.x - w->mouse_x, dy = e->motion.y - w->mouse_y;
            if (abs(dx) + abs(dy) > 3)
                w->drag_moved = 1;
            if (w->drag_moved) {
                camera_orbit(renderer_camera(w->r), (float)e->motion.xrel * 0.4f,
                             (float)e->motion.yrel * 0.3f);
            }
        } else if (w->sc.overlays & SCENE_OVERLAY_PROBE) {
            double x, y;
            if (pick(w, e->motion.x, e->motion.y, &x, &y)) {
                w->probe[0] = x;
                w->probe[1] = y;
                w->probe_valid = 1;
            }
        }
        break;
    case SDL_MOUSEWHEEL:
        camera_zoom(renderer_camera(w->r), e->wheel.y > 0 ? 1 / 1.1f : 1.1f);
        break;
    default: break;
    }
}

/* Key presses from a list such as "V,L,shift+B,F1" (SDL key names), applied in
 * order: scripted frames for tests and recordings (--screenshot). Unknown names
 * are reported and skipped. */
static void replay_keys(win_state *w, const char *list)
{
    if (!list)
        return;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        Uint16 mod = 0;
        for (;;) {
            if (strncasecmp(tok, "shift+", 6) == 0)
                mod |= KMOD_LSHIFT, tok += 6;
            else if (strncasecmp(tok, "ctrl+", 5) == 0)
                mod |= KMOD_LCTRL, tok += 5;
            else
                break;
        }
        SDL_Keycode k = SDL_GetKeyFromName(tok);
        if (k == SDLK_UNKNOWN) {
            fprintf(stderr, "losscape: LOSSCAPE_REPLAY_KEYS: unknown key '%s'\n", tok);
            continue;
        }
        win_do(w, win_key_lookup(k, mod));
    }
}

/* ==== setup ==== */

static void log_to_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "losscape: %s\n", line);
}

static int create_fbo(win_state *w, int fw, int fh)
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

static void destroy_gl(win_state *w)
{
    renderer_destroy(w->r);
    if (w->fbo) {
        glDeleteFramebuffers(1, &w->fbo);
        glDeleteRenderbuffers(1, &w->rb_color);
        glDeleteRenderbuffers(1, &w->rb_depth);
    }
    if (w->gl)
        SDL_GL_DeleteContext(w->gl);
    if (w->win)
        SDL_DestroyWindow(w->win);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run_bench(win_state *w)
{
    long n = w->o->bench_frames;
    double *ms = malloc((size_t)n * sizeof *ms);
    if (!ms) {
        fprintf(stderr, "losscape: --bench: out of memory\n");
        return APP_EXIT_RUNTIME;
    }
    draw(w); /* warm-up: shader compilation in the driver, atlas */
    glFinish();
    for (long i = 0; i < n; i++) {
        Uint64 t0 = SDL_GetPerformanceCounter();
        step_runs(w, w->sc.steps_per_frame);
        draw(w);
        glFinish();
        Uint64 t1 = SDL_GetPerformanceCounter();
        ms[i] = (double)(t1 - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    long p99 = (long)ceil(0.99 * (double)n) - 1;
    printf("frame ms: median %.2f, p99 %.2f, max %.2f\n",
           n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]), ms[p99 < 0 ? 0 : p99], ms[n - 1]);
    free(ms);
    return APP_EXIT_OK;
}

static int run_record(win_state *w, recorder *rec);

/* The window mode, and its offscreen paths (screenshot, bench, record: rec ≠ NULL,
 * which this takes over). */
static int window_main(const app_options *o, app_problem *p, recorder *rec)
{
    win_state *w = calloc(1, sizeof *w);
    if (!w) {
        fprintf(stderr, "losscape: out of memory\n");
        rec_abort(rec);
        return APP_EXIT_RUNTIME;
    }
    w->o = o;
    w->p = p;
    w->sc = o->scene;
    if (w->sc.steps_per_frame < 1)
        w->sc.steps_per_frame = 1;
    w->scene_index = -1;
    for (int i = 0; i < cli_builtin_scene_count(); i++)
        if (strcmp(cli_builtin_scene_name(i), w->sc.name) == 0)
            w->scene_index = i;
    w->n_help = win_help_lines(w->help_lines, 64);
    int offscreen = o->screenshot_path != NULL || o->bench_frames > 0 || rec != NULL;
    if (rec)   /* the recorder's SIGINT/SIGTERM handlers stay in place */
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (rec && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");   /* no display: no window needed; SDL_VIDEODRIVER still wins */
    int status = APP_EXIT_RUNTIME;
    render_log_set(log_to_stderr, NULL);

    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "losscape: cannot start SDL video: %s\n", SDL_GetError());
        rec_abort(rec);
        free(w);
        return APP_EXIT_RUNTIME;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24);
    int ww = o->width > 0 ? o->width : 1280, wh = o->height > 0 ? o->height : 720;
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI |
                   (offscreen ? SDL_WINDOW_HIDDEN : SDL_WINDOW_RESIZABLE);
    char title[300];
    snprintf(title, sizeof title, "losscape — %s", o->title ? o->title : w->sc.title);
    w->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                              offscreen ? 64 : ww, offscreen ? 64 : wh, flags);
    if (!w->win) {
        fprintf(stderr, "losscape: cannot open a window: %s\n", SDL_GetError());
        goto out;
    }
    w->gl = SDL_GL_CreateContext(w->win);
    if (!w->gl) {
        fprintf(stderr, "losscape: no OpenGL 3.3 core context: %s\n", SDL_GetError());
        goto out;
    }
    if (!offscreen && SDL_GL_SetSwapInterval(-1) != 0)
        SDL_GL_SetSwapInterval(1);
    if (offscreen)
        SDL_GL_SetSwapInterval(0);
    if (offscreen && !create_fbo(w, ww, wh))
        goto out;

    const char *nc = getenv("LOSSCAPE_NO_CACHE");   /* 1: no static-layer cache (comparisons) */
    w->r = renderer_create(&(renderer_desc){ .shader_dir = getenv("LOSSCAPE_SHADER_DIR"),
                                             .no_cache = nc && nc[0] == '1' });
    if (!w->r) {
        fprintf(stderr, "losscape: cannot initialise the renderer (see the messages above)\n");
        goto out;
    }
    camera_init(renderer_camera(w->r), (float)w->sc.camera[0], (float)w->sc.camera[1],
                (float)w->sc.camera[2]);
    if (!p->is_data && p->surf.kind != SURFACE_FORMULA && surface_info_get(p->surf.kind)->log_scale &&
        !(w->sc.overlays & SCENE_OVERLAY_LOG) && w->sc.overlays == SCENE_OVERLAY_DEFAULT)
        w->sc.overlays |= SCENE_OVERLAY_LOG;
    w->selected = 0;
    w->running = 1;

    if (w->sc.layout == SCENE_LAYOUT_COMPARE)
        ensure_compare(w);   /* both problems step from the start */
    if (o->bench_frames > 0) {
        status = run_bench(w);
        goto out;
    }
    if (rec) {
        status = run_record(w, rec);
        rec = NULL;
        goto out;
    }
    if ((w->sc.overlays & SCENE_OVERLAY_PROBE) && !w->probe_valid)
        move_probe(w, 0, 0);
    if (o->screenshot_path) {
        long steps = o->steps >= 0 ? o->steps : (w->sc.steps > 0 ? w->sc.steps : 200);
        step_runs(w, (int)(steps > 0x7fffffff ? 0x7fffffff : steps));
        replay_keys(w, getenv("LOSSCAPE_REPLAY_KEYS"));
        draw(w);
        glFinish();
        status = save_png(w, o->screenshot_path) ? APP_EXIT_OK : APP_EXIT_RUNTIME;
        goto out;
    }

    Uint64 last = SDL_GetPerformanceCounter();
    while (w->running) {
        SDL_Event e;
        while (SDL_PollEvent(&e))
            handle_event(w, &e);
        if (!w->running)
            break;
        if (!w->paused)
            step_runs(w, w->sc.steps_per_frame);
        draw(w);
        if (w->rec)
            record_window_frame(w);
        SDL_GL_SwapWindow(w->win);
        Uint64 now = SDL_GetPerformanceCounter();
        double dt = (double)(now - last) / (double)SDL_GetPerformanceFrequency();
        last = now;
        if (dt > 0)
            w->fps = w->fps > 0 ? 0.92 * w->fps + 0.08 / dt : 1 / dt;
    }
    stop_recording(w);   /* quitting while recording keeps the recording */
    status = APP_EXIT_OK;
out:
    rec_abort(rec);   /* still ours only if the setup failed */
    drop_compare(w);
    app_data_view_free(&w->dview);
    destroy_gl(w);
    SDL_Quit();
    free(w);
    return status;
}

int app_window_run(const app_options *o, app_problem *p)
{
    return window_main(o, p, NULL);
}

int app_window_record(const app_options *o, app_problem *p, recorder *rec)
{
    return window_main(o, p, rec);
}

/* --record: frame 0 is the start, then steps_per_frame steps before each frame.
 * Frame i is read back (pixel-pack buffer) while frame i+1 renders, and queued to
 * the recorder's writer thread, which feeds ffmpeg (or libpng). */
static int run_record(win_state *w, recorder *rec)
{
    const app_options *o = w->o;
    w->sc.overlays |= SCENE_OVERLAY_LEGEND;   /* the legend is always in a recording */
    if ((w->sc.overlays & SCENE_OVERLAY_PROBE) && !w->probe_valid)
        move_probe(w, 0, 0);
    rec_readback *rb = rec_readback_create(w->fbo_w, w->fbo_h);
    if (!rb) {
        fprintf(stderr, "losscape: --record: cannot create the read-back buffers\n");
        rec_abort(rec);
        return APP_EXIT_RUNTIME;
    }
    Uint64 t0 = SDL_GetPerformanceCounter(), last = 0;
    double freq = (double)SDL_GetPerformanceFrequency();
    long n = o->frames;
    int ok = 1;
    for (long i = 0; i < n && ok; i++) {
        if (rec_signal_caught())
            break;
        if (i > 0)
            step_runs(w, w->sc.steps_per_frame);
        draw(w);
        rec_readback_capture(rb);
        const unsigned char *px = rec_readback_map(rb);
        if (px)
            ok = rec_push(rec, px);
        rec_readback_unmap(rb);
        Uint64 now = SDL_GetPerformanceCounter();
        if ((double)(now - last) > 0.1 * freq) {
            app_record_progress(o->record_path, i + 1, n, (double)(now - t0) / freq, 0);
            last = now;
        }
    }
    int sig = rec_signal_caught();
    if (ok && !sig) {
        const unsigned char *px = rec_readback_flush(rb);
        if (px)
            rec_push(rec, px);   /* a failure shows in rec_finish */
        rec_readback_unmap(rb);
    }
    rec_readback_destroy(rb);
    if (sig) {
        rec_abort(rec);
        if (isatty(2))
            fprintf(stderr, "\n");
        fprintf(stderr, "losscape: --record: interrupted by signal %d; nothing written\n", sig);
        return 128 + sig;
    }
    long frames = rec_frames(rec);
    char err[600];
    if (!rec_finish(rec, err, sizeof err)) {   /* also reports a failed push */
        if (isatty(2))
            fprintf(stderr, "\n");
        fprintf(stderr, "losscape: --record: %s\n", err);
        return APP_EXIT_RUNTIME;
    }
    /* a signal during the final wait for ffmpeg: the file is complete; keep it */
    app_record_progress(o->record_path, frames, n, (double)(SDL_GetPerformanceCounter() - t0) / freq, 1);
    return APP_EXIT_OK;
}
