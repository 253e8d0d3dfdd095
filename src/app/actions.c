/*
 * actions.c — one function per key-table action (actions.h; keys.c binds them to
 * keys). Each takes the window's state and does one thing a teacher asks for with
 * a key: pause, step, narrate, change a rate or the batch, select or toggle a run,
 * switch view/layout/overlays, load or save a scene, take a screenshot, record,
 * move the camera or the Hessian probe. What it did goes on the status line.
 *
 * The work is in session.c (stepping, scenes, the probe), narrate.c (E) and
 * winrec.c (F9); this file only decides what a key means. In the browser build
 * (__EMSCRIPTEN__) Ctrl+S, F12, F9 and K end in downloads and links (src/web).
 */
#include "render/i18n.h"
#include "app/actions.h"
#include "app/framing.h"
#include "app/cli.h"
#include "core/textparse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/colormap.h"
#ifdef __EMSCRIPTEN__
#include "web/web.h"
#else
#include "record/recorder.h"
#endif

/* ==== helpers ==== */

/* Every rate (run < 0) or run `run`'s rate × factor, kept in [1e-9, 1e3], in both
 * problems shown. */
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
            trainer_set_optim(tt, i, &d);   /* pp->opts keeps the scene's (Shift+R) */
            if (pp == w->p)   /* replayable: Ctrl+S saves it as a timeline event */
                win_note_event(w, &(timeline_event){ .kind = TL_LR, .run = i, .v = { d.lr, 0 } });
        }
    }
    const optim_desc *d = optim_desc_get(trainer_run_get(t, run >= 0 ? run : 0)->opt);
    if (run >= 0)
        win_set_status(w, _("%s: η = %.4g"), optim_kind_name(d->kind), d->lr);
    else
        win_set_status(w, _("every rate × %.4g"), factor);
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

static void change_batch(win_state *w, int up)
{
    if (w->p->obj.n_samples <= 0) {
        win_set_status(w, _("batch size: this scene has no data set (full batch)"));
        return;
    }
    int b = step_batch(w->p, up);
    if (w->p2 && w->p2->obj.n_samples > 0)
        step_batch(w->p2, up);
    w->sc.batch = b;
    win_note_event(w, &(timeline_event){ .kind = TL_BATCH, .run = -1, .batch = b });
    if (b)
        win_set_status(w, _("batch size %d"), b);
    else
        win_set_status(w, _("full batch"));
}

/* Keys 1–5: select run i; pressed again, switch it on or off (both problems). */
static void select_run(win_state *w, int i)
{
    trainer *t = w->p->trainer;
    if (i >= trainer_run_count(t))
        return;
    const trainer_run *run = trainer_run_get(t, i);
    const char *name = optim_kind_name(optim_desc_get(run->opt)->kind);
    if (w->selected != i) {
        w->selected = i;
        win_set_status(w, _("selected %d %s"), i + 1, name);
    } else {
        trainer_set_active(t, i, !run->active);
        if (w->p2 && i < trainer_run_count(w->p2->trainer))
            trainer_set_active(w->p2->trainer, i, run->active);
        win_set_status(w, "%s %s", name, run->active ? _("on") : _("off"));
    }
}

static void toggle(win_state *w, unsigned flag, const char *name)
{
    w->sc.overlays ^= flag;
    win_set_status(w, "%s %s", _(name), (w->sc.overlays & flag) ? _("on") : _("off"));
}

/* ==== running ==== */

#ifdef __EMSCRIPTEN__
void act_quit(win_state *w) { win_set_status(w, _("Esc / Q quit the desktop program; in the browser, close the tab")); }
#else
void act_quit(win_state *w) { w->running = 0; }
#endif

void act_pause(win_state *w)
{
    w->paused = !w->paused;
    w->narr.stage = 0;
}

/* Return: a lesson's next beat: play on to the timeline's next pause event. */
void act_beat(win_state *w)
{
    int k = w->p->next_event;
    while (k < w->p->n_events && w->p->events[k].kind != TL_PAUSE)
        k++;
    w->paused = 0;
    w->narr.stage = 0;
    if (k < w->p->n_events)
        win_set_status(w, _("playing to step %ld"), w->p->events[k].step);
    else
        win_set_status(w, _("playing (no further beat)"));
}

void act_step(win_state *w)
{
    w->paused = 1;
    w->narr.stage = 0;
    win_step_runs(w, 1);
}

void act_narrate(win_state *w) { win_narrate(w); }

/* R: every run back to its start with the settings it has now (changed rates
 * stay). Shift+R: the scene's settings too (issue 9 #16: a run diverged by a raised
 * rate would diverge again at once): each run's optimizer as the scene configured
 * it, every run on, the scene's batch size and speed. */
void act_reset(win_state *w)
{
    win_reset_runs(w);
    w->narr.stage = 0;
    win_set_status(w, _("reset: every run from its start (Shift+R: the scene's settings too)"));
}

void act_reset_scene(win_state *w)
{
    for (app_problem *pp = w->p; pp; pp = pp == w->p ? w->p2 : NULL) {
        int n = trainer_run_count(pp->trainer);
        for (int i = 0; i < n; i++) {
            trainer_set_optim(pp->trainer, i, &pp->opts[i]);
            trainer_set_active(pp->trainer, i, 1);
        }
        if (pp->obj.n_samples > 0)
            trainer_set_batch(pp->trainer, w->sc0.batch);
    }
    w->sc.batch = w->sc0.batch;
    w->sc.steps_per_frame = w->sc0.steps_per_frame;
    pace_set(&w->pace, w->o->speed > 0 && w->scene_index == w->scene_index0 ? w->o->speed
                                                                             : 60.0 * w->sc0.steps_per_frame);
    win_reset_runs(w);
    w->narr.stage = 0;
    win_set_status(w, _("reset to the scene's settings: rates, runs on, batch size, speed"));
}

/* [ and ]: the speed halves or doubles (0.25 to 10⁶ optimizer steps per second;
 * below one step per frame the runs glide between steps). Offscreen frames
 * (screenshots, --record) step steps_per_frame, which follows. */
static void set_speed(win_state *w, double factor)
{
    double s = pace_set(&w->pace, w->pace.speed * factor);
    int spf = (int)fmin(fmax(floor(s / 60.0 + 0.5), 1), 4096);
    w->sc.steps_per_frame = spf;
    char num[32], buf[64];
    if (w->paced) {
        snprintf(buf, sizeof buf, s == 1 ? _("%s step/s") : _("%s steps/s"), pace_number(s, num, sizeof num));
        win_set_status(w, _("speed: %s"), buf);
    }
    else
        win_set_status(w, _("%d steps per frame"), spf);
}

void act_speed_down(win_state *w) { set_speed(w, 0.5); }
void act_speed_up(win_state *w) { set_speed(w, 2.0); }

/* ==== rates, batches, runs ==== */

void act_lr_down(win_state *w) { scale_lr(w, w->selected, 1 / 1.25); }
void act_lr_up(win_state *w) { scale_lr(w, w->selected, 1.25); }
void act_lr_down_all(win_state *w) { scale_lr(w, -1, 1 / 1.25); }
void act_lr_up_all(win_state *w) { scale_lr(w, -1, 1.25); }
void act_batch_up(win_state *w) { change_batch(w, 1); }
void act_batch_down(win_state *w) { change_batch(w, 0); }
void act_run1(win_state *w) { select_run(w, 0); }
void act_run2(win_state *w) { select_run(w, 1); }
void act_run3(win_state *w) { select_run(w, 2); }
void act_run4(win_state *w) { select_run(w, 3); }
void act_run5(win_state *w) { select_run(w, 4); }

/* ==== what is shown ==== */

void act_layout(win_state *w)
{
    w->sc.layout = (scene_layout)((w->sc.layout + 1) % SCENE_LAYOUT_COUNT);
    win_set_status(w, _("layout: %s"), scene_layout_name(w->sc.layout));
}

void act_view(win_state *w)
{
    static const scene_view order[3] = { SCENE_VIEW_2D, SCENE_VIEW_3D, SCENE_VIEW_SPLIT };
    int k = 0;
    while (k < 3 && order[k] != w->sc.view)
        k++;
    w->sc.view = order[(k + 1) % 3];
    win_set_status(w, _("view: %s"), scene_view_name(w->sc.view));
}

void act_log(win_state *w) { toggle(w, SCENE_OVERLAY_LOG, N_("log scale")); }
void act_contours(win_state *w) { toggle(w, SCENE_OVERLAY_CONTOURS, N_("contours")); }
void act_arrows(win_state *w) { toggle(w, SCENE_OVERLAY_ARROWS, N_("arrows")); }

void act_probe(win_state *w)
{
    toggle(w, SCENE_OVERLAY_PROBE, N_("Hessian probe"));
    if ((w->sc.overlays & SCENE_OVERLAY_PROBE) && !w->probe_valid)
        win_move_probe(w, 0, 0);
}

void act_critical(win_state *w)
{
    toggle(w, SCENE_OVERLAY_CRITICAL, N_("critical points"));
    if (w->sc.overlays & SCENE_OVERLAY_CRITICAL)
        win_set_status(w, _("critical points: %d found"), win_ensure_critical(w));
}

void act_colormap(win_state *w)
{
    w->sc.colormap = (w->sc.colormap + 1) % COLORMAP_COUNT;
    win_set_status(w, _("colour map: %s"), colormap_name(w->sc.colormap));
}

/* I: the light theme (a washed-out projector) or the dark one; the scene's `theme`. */
void act_theme(win_state *w)
{
    w->sc.theme = !w->sc.theme;
    win_set_status(w, "%s", w->sc.theme ? _("light theme") : _("dark theme"));
}

void act_side(win_state *w)
{
    if (w->sc.overlays & (SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT))
        w->sc.overlays &= ~(unsigned)(SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT);
    else
        w->sc.overlays |= SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT;
}

void act_data(win_state *w)
{
    if (!w->p->is_data)
        win_set_status(w, _("data panel: this scene has no data set"));
    else
        toggle(w, SCENE_OVERLAY_DATA, N_("data panel"));
}

void act_batch_surface(win_state *w)
{
    if (!w->p->is_data) {
        win_set_status(w, _("mini-batch surface: this scene has no data set"));
        return;
    }
    w->surf_batch = !w->surf_batch;
    w->field_version++;
    w->field2_version++;
    win_set_status(w, _("surface: %s"), w->surf_batch ? _("the current mini-batch's loss (run 1's batch)")
                                                   : _("the loss on the full training data"));
}

void act_refit_plane(win_state *w)
{
    if (!w->p->is_data || w->p->n <= 2) {
        win_set_status(w, _("plane: this problem has two parameters, its axes are the parameters"));
        return;
    }
    win_refit_plane(w);
    win_set_status(w, _("plane: refit to the trajectories' two principal directions%s"),
                   w->sc.plane_kind == SCENE_PLANE_PCA ? "" : _(" (this scene's plane was random)"));
}

/* J: frame every run's path now (eased); Shift+J: freeze / unfreeze framing. */
void act_frame_runs(win_state *w) { win_frame_runs(w); }
void act_frame_freeze(win_state *w) { win_frame_freeze(w); }

/* F1: the help overlay; where it needs pages (small windows), F1 turns them and
 * closes it after the last. */
void act_help(win_state *w)
{
    if (w->help && w->help < renderer_help_pages(w->r))
        w->help++;
    else
        w->help = w->help ? 0 : 1;
}

/* ==== scenes and files ==== */

/* PgDn / PgUp: the next built-in scene in --list-scenes order (the lessons first);
 * in lesson mode (--lesson) only the lessons, wrapping around. */
static void step_scene(win_state *w, int dir)
{
    int n = cli_builtin_scene_count(), i = w->scene_index;
    for (int k = 0; k < n; k++) {
        i = ((i + dir) % n + n) % n;
        if (!w->o->lesson_mode || cli_builtin_scene_lesson(i) > 0)
            break;
    }
    win_load_scene(w, i);
}

void act_next_scene(win_state *w) { step_scene(w, 1); }
void act_prev_scene(win_state *w) { step_scene(w, -1); }

/* The state now (runs' settings, start, batch, camera) as a scene. */
static void current_scene(const win_state *w, scene *sc)
{
    *sc = w->sc;
    trainer *t = w->p->trainer;
    sc->n_opts = trainer_run_count(t);
    for (int i = 0; i < sc->n_opts && i < SCENE_MAX_RUNS; i++)
        sc->opts[i] = *optim_desc_get(trainer_run_get(t, i)->opt);
    if (sc->n_events > 0) {
        /* a timeline replays the changes: the runs as they started, the changes as
         * events (win_note_event), so a --headless run of the file is this session */
        for (int i = 0; i < sc->n_opts && i < SCENE_MAX_RUNS; i++)
            sc->opts[i] = w->p->opts0[i];
    }
    sc->lr = 0;
    sc->has_lr = 0;
    sc->has_start = 1;
    sc->start[0] = w->p->start[0];
    sc->start[1] = w->p->start[1];
    sc->batch = sc->n_events > 0 ? w->p->batch0 : trainer_batch(t);
    const camera *c = renderer_camera(w->r);
    /* the camera's floats as the decimals they show (1.6, not 1.6000001430511475) */
    sc->camera[0] = text_float_decimal(c->yaw);
    sc->camera[1] = text_float_decimal(c->pitch);
    sc->camera[2] = text_float_decimal(camera_diagonals(c));
}

#ifdef __EMSCRIPTEN__
/* A download's name: losscape-SCENE-STEP.EXT (the browser avoids clobbering). */
static void download_name(const win_state *w, char *out, size_t n, const char *ext)
{
    snprintf(out, n, "losscape-%s-%ld.%s", w->sc.name[0] ? w->sc.name : "scene",
             trainer_steps(w->p->trainer), ext);
}
#endif

/* Ctrl+S: the state now as a scene file (the browser build: a download). */
void act_save_scene(win_state *w)
{
    scene sc;
    current_scene(w, &sc);
    char path[96];
    diag err = { 0 };
#ifdef __EMSCRIPTEN__
    char name[96];
    download_name(w, name, sizeof name, "scene");
    snprintf(path, sizeof path, "/tmp/%s", name);
    if (scene_save(&sc, path, &err)) {
        web_download_file(path, name);
        remove(path);
        win_set_status(w, _("saved %s (download)"), name);
    } else
        win_set_status(w, _("cannot save %s: %s"), name, err.msg);
#else
    if (!rec_unique_name(path, sizeof path, "scene"))
        win_set_status(w, _("cannot find a free file name for the scene"));
    else if (scene_save(&sc, path, &err))
        win_set_status(w, _("saved %s"), path);
    else
        win_set_status(w, _("cannot save %s: %s"), path, err.msg);
#endif
}

/* K: the scene now as a link (the browser build) or as scene-file text on the
 * clipboard (the desktop), to paste into a slide or a file. */
void act_copy_link(win_state *w)
{
    scene sc;
    current_scene(w, &sc);
    char *text = scene_format(&sc);
    if (!text) {
        win_set_status(w, _("out of memory"));
        return;
    }
#ifdef __EMSCRIPTEN__
    web_copy_link(text);
    win_set_status(w, _("link to this scene copied"));
#else
    if (SDL_SetClipboardText(text) == 0)
        win_set_status(w, _("scene copied to the clipboard"));
    else
        win_set_status(w, _("cannot copy: %s"), SDL_GetError());
#endif
    free(text);
}

void act_screenshot(win_state *w)
{
    char path[64];
#ifdef __EMSCRIPTEN__
    download_name(w, path, sizeof path, "png");
#else
    if (!rec_unique_name(path, sizeof path, "png")) {
        win_set_status(w, _("screenshot: no free file name"));
        return;
    }
#endif
    win_draw(w);
    if (win_save_png(w, path))
        win_set_status(w, _("saved %s"), path);
}

#ifdef __EMSCRIPTEN__
/* F9 in the browser: the page records the canvas (MediaRecorder, WebM). */
void act_record(win_state *w)
{
    char name[96];
    download_name(w, name, sizeof name, "webm");
    int r = web_record_toggle(name);
    if (r == 1) {
        w->status_until = 0;   /* a toast on the canvas now would be in the video */
        win_set_status(w, _("recording the canvas (F9 stops)"));
    }
    else if (r == 0)
        win_set_status(w, _("recording stopped: %s (download)"), name);
}
#else
void act_record(win_state *w) { winrec_toggle(w); }
#endif

/* F2: presentation mode (a projector at the back of a room): larger type, thicker
 * trails and markers, the scene's description as its caption. */
void act_present(win_state *w)
{
    w->present = !w->present;
    win_set_status(w, _("presentation mode %s"), w->present ? _("on") : _("off"));
}

void act_fullscreen(win_state *w)
{
    if (!win_offscreen(w)) {
        w->fullscreen = !w->fullscreen;
        SDL_SetWindowFullscreen(w->win, w->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    }
}

/* F5: the shaders from LOSSCAPE_SHADER_DIR or the source tree (editing them live).
 * The browser build has no source tree: it says so. */
#ifdef __EMSCRIPTEN__
void act_reload_shaders(win_state *w) { win_set_status(w, _("F5 (reload shaders) is for the desktop program")); }
#else
void act_reload_shaders(win_state *w)
{
    const char *dir = getenv("LOSSCAPE_SHADER_DIR");
    char buf[1024];
    if (!dir) {
        snprintf(buf, sizeof buf, "%s/shaders", LOSSCAPE_SOURCE_DIR);
        dir = buf;
    }
    if (renderer_reload_shaders(w->r, dir))
        win_set_status(w, _("shaders reloaded from %s"), dir);
    else
        win_set_status(w, _("shader reload failed (see the terminal); keeping the old ones"));
}
#endif

/* ==== camera and probe ==== */

void act_cam_left(win_state *w) { camera_orbit(renderer_camera(w->r), -5, 0); }
void act_cam_right(win_state *w) { camera_orbit(renderer_camera(w->r), 5, 0); }
void act_cam_up(win_state *w) { camera_orbit(renderer_camera(w->r), 0, 4); }
void act_cam_down(win_state *w) { camera_orbit(renderer_camera(w->r), 0, -4); }
void act_zoom_in(win_state *w) { camera_zoom(renderer_camera(w->r), 1 / 1.1f); }
void act_zoom_out(win_state *w) { camera_zoom(renderer_camera(w->r), 1.1f); }
void act_cam_reset(win_state *w) { camera_reset(renderer_camera(w->r)); }
void act_probe_left(win_state *w) { win_move_probe(w, -1, 0); }
void act_probe_right(win_state *w) { win_move_probe(w, 1, 0); }
void act_probe_up(win_state *w) { win_move_probe(w, 0, 1); }
void act_probe_down(win_state *w) { win_move_probe(w, 0, -1); }
