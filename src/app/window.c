/*
 * window.c — the interactive window: SDL video, the window and its OpenGL 3.3 core
 * context, events, the frame function and the desktop main loop.
 *
 * One SDL2 window (resizable, vsync, high-DPI: everything is drawn at
 * SDL_GL_GetDrawableSize). The offscreen modes (offscreen.c) open the same session
 * with a hidden window and draw into a framebuffer object of --size, so they need
 * no display (SDL_VIDEODRIVER=offscreen works through EGL).
 *
 * Per frame (DESIGN.md), window_frame(w): events → actions (keys.c's table) →
 * state changes → the optimizer steps the speed asks for in the time since the
 * last frame, within a stepping budget (win_pace_step) → draw → swap. The desktop
 * loop is `while (window_frame(w)) {}` (app_window_run);
 * a browser build calls window_frame from emscripten_set_main_loop_arg instead.
 *
 * The browser build (__EMSCRIPTEN__) differs here only in: an OpenGL ES 3.0
 * context (WebGL2), no swap interval, the main loop, and no F9 read-back (the page
 * records the canvas). Touch: two fingers pinch to zoom. --steps N pauses the
 * window at step N (in both builds; a link's ?steps=N).
 *
 * All of the window mode's state is one win_state (window.h), made by win_open
 * and passed explicitly. NOTE: any other mutable global in the window mode is a bug.
 */
#include "render/i18n.h"
#include "app/window.h"

#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#if !defined(__EMSCRIPTEN__) && defined(SDL_VIDEO_DRIVER_X11)
#include <SDL2/SDL_syswm.h>
#include <time.h>
#define WIN_X11_KEY_TIME 1
#endif
#ifdef __EMSCRIPTEN__
#include <emscripten.h>

#include "web/web.h"
#endif

/* ==== events ==== */

static void to_pixels(const win_state *w, int wx, int wy, float *px, float *py)
{
    int ww, wh, fw, fh;
    SDL_GetWindowSize(w->win, &ww, &wh);
    win_drawable_size(w, &fw, &fh);
    *px = (float)wx * (float)fw / (float)(ww > 0 ? ww : 1);
    *py = (float)wy * (float)fh / (float)(wh > 0 ? wh : 1);
}

static int pick(win_state *w, int wx, int wy, double *x, double *y)
{
    float px, py;
    to_pixels(w, wx, wy, &px, &py);
    render_frame f;
    win_build_frame(w, &f);
    return renderer_pick(w->r, &f, px, py, x, y);
}

/* When the key of the SDL_KEYDOWN being handled was pressed, as a performance-counter
 * value: on X11 the X server's time of its KeyPress (CLOCK_MONOTONIC in ms, as Xorg
 * and Xvfb keep it), else now. A window sees a press only at its next frame, which
 * on a busy machine is a tenth of a second or more later; a recording started and
 * stopped by keys lasts the time between the presses (issue 9 #2). */
static Uint64 key_time(win_state *w)
{
    Uint64 now = SDL_GetPerformanceCounter();
#ifdef WIN_X11_KEY_TIME
    struct timespec ts;
    if (w->key_xtime_set && clock_gettime(CLOCK_MONOTONIC, &ts) == 0) {
        Uint32 now_ms = (Uint32)((Uint64)ts.tv_sec * 1000u + (Uint64)ts.tv_nsec / 1000000u);
        Uint32 age = now_ms - w->key_xtime;   /* modulo 2^32, as the server's clock wraps */
        w->key_xtime_set = 0;
        if (age < 5000) {   /* another clock (a remote server): now */
            Uint64 back = (Uint64)age * SDL_GetPerformanceFrequency() / 1000u;
            return back < now ? now - back : now;
        }
    }
#else
    (void)w;
#endif
    return now;
}

static void handle_event(win_state *w, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT: w->running = 0; break;
#ifdef WIN_X11_KEY_TIME
    case SDL_SYSWMEVENT:   /* pushed just before the SDL_KEYDOWN it becomes */
        if (e->syswm.msg->subsystem == SDL_SYSWM_X11 && e->syswm.msg->msg.x11.event.type == KeyPress) {
            w->key_xtime = (Uint32)e->syswm.msg->msg.x11.event.xkey.time;
            w->key_xtime_set = 1;
        }
        break;
#endif
    case SDL_KEYDOWN: {
        w->key_t = key_time(w);
        if (e->key.keysym.sym == SDLK_LSHIFT || e->key.keysym.sym == SDLK_RSHIFT)
            w->shift_down = 1;
        win_action_fn act = win_key_lookup(e->key.keysym.sym, e->key.keysym.mod);
        if (act)
            act(w);
        break;
    }
    case SDL_KEYUP:
        /* Shift as the events had it (SDL_GetModState is the state after every event
         * pumped so far: on a slow frame the release is already in it) */
        if (e->key.keysym.sym == SDLK_LSHIFT || e->key.keysym.sym == SDLK_RSHIFT)
            w->shift_down = 0;
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
            /* restarting every run is a deliberate gesture (issue 9 #15): a double-click
             * or Shift+click on the surface, or a tap on a touch screen (SDL marks the
             * mouse events it makes from a finger with SDL_TOUCH_MOUSEID; a tap focuses
             * nothing, so it is never accidental); a drag (orbit) or a plain click (a
             * teacher focusing the window) never restarts */
            w->dragging = 0;
            double x, y;
            int deliberate = e->button.clicks >= 2 || w->shift_down ||
                             e->button.which == SDL_TOUCH_MOUSEID;
            if (!w->drag_moved && pick(w, e->button.x, e->button.y, &x, &y)) {
                if (deliberate)
                    win_restart_at(w, x, y);
                else
                    win_set_status(w, _("double-click or Shift+click restarts every run from a point"));
            }
        }
        break;
    case SDL_MOUSEMOTION:
        if (w->dragging) {
            int dx = e->motion.x - w->mouse_x, dy = e->motion.y - w->mouse_y;
            if (abs(dx) + abs(dy) > 3)
                w->drag_moved = 1;
            if (w->drag_moved && w->fingers < 2) {
                camera_orbit(renderer_camera(w->r), (float)e->motion.xrel * 0.4f,
                             (float)e->motion.yrel * 0.3f);
            }
        } else if (w->sc.overlays & SCENE_OVERLAY_PROBE) {
            double x, y;
            if (pick(w, e->motion.x, e->motion.y, &x, &y)) {
                /* the probe stays in the domain (issue 9 #16: x = −5.011) */
                surface_domain d = w->p->domain;
                w->probe[0] = fmin(fmax(x, d.xmin), d.xmax);
                w->probe[1] = fmin(fmax(y, d.ymin), d.ymax);
                w->probe_valid = 1;
            }
        }
        break;
    case SDL_MOUSEWHEEL:
        camera_zoom(renderer_camera(w->r), e->wheel.y > 0 ? 1 / 1.1f : 1.1f);
        break;
    /* touch (SDL also turns the first finger into the mouse: drag orbits, a tap
     * restarts the runs there); two fingers pinch to zoom and neither orbit nor tap */
    case SDL_FINGERDOWN:
        w->fingers++;
        if (w->fingers >= 2)
            w->drag_moved = 1;
        break;
    case SDL_FINGERUP:
        if (w->fingers > 0)
            w->fingers--;
        break;
    case SDL_MULTIGESTURE:
        if (e->mgesture.dDist != 0)
            camera_zoom(renderer_camera(w->r), 1.0f - 2.0f * e->mgesture.dDist);
        break;
    case SDL_DROPFILE:   /* a file dropped on the window (the page's picker and drop too) */
        win_open_file(w, e->drop.file);
        SDL_free(e->drop.file);
        break;
    default: break;
    }
}

/* ==== the frame ==== */

int window_frame(win_state *w)
{
    if (!w->frame_t)
        w->frame_t = SDL_GetPerformanceCounter();
    SDL_Event e;
    while (SDL_PollEvent(&e))
        handle_event(w, &e);
    if (!w->running)
        return 0;
    win_pace_step(w);
#ifndef __EMSCRIPTEN__
    if (w->rec)
        winrec_frame(w);   /* the scene alone, on the video's time grid */
#endif
    win_draw(w);
#ifdef __EMSCRIPTEN__
    SDL_GL_SwapWindow(w->win);
    web_frame_drawn(trainer_steps(w->p->trainer), w->paused);
#else
    if (w->rec)
        winrec_badge(w);
    SDL_GL_SwapWindow(w->win);
#endif
    Uint64 now = SDL_GetPerformanceCounter();
    double dt = (double)(now - w->frame_t) / (double)SDL_GetPerformanceFrequency();
    w->frame_t = now;
    if (dt > 0)
        w->fps = w->fps > 0 ? 0.92 * w->fps + 0.08 / dt : 1 / dt;
    return w->running;
}

/* ==== setup ==== */

static void log_to_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "losscape: %s\n", line);
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

void win_show_title(win_state *w)
{
    if (!w->win)
        return;
    int first = strcmp(w->sc.name, w->o->scene.name) == 0;
    const char *t = first && w->o->title ? w->o->title
                  : w->o->lang_zh && w->sc.title_zh[0] ? w->sc.title_zh : w->sc.title;
    char title[300];
    snprintf(title, sizeof title, "losscape - %s", t[0] ? t : w->sc.name);
    SDL_SetWindowTitle(w->win, title);
}

win_state *win_open(const app_options *o, app_problem *p, win_mode mode)
{
    win_state *w = calloc(1, sizeof *w);
    if (!w) {
        fprintf(stderr, "losscape: out of memory\n");
        return NULL;
    }
    w->o = o;
    w->p = p;
    w->sc = o->scene;
    w->sc0 = o->scene;
    /* surfaces of data problems in the background: the window, and --bench (which
     * measures the window's path); --screenshot and --record draw finished surfaces */
    if (mode == WIN_WINDOW || (mode == WIN_OFFSCREEN && o->bench_frames > 0)) {
        w->worker = app_worker_create();
        w->metrics = app_metrics_create();    /* full-data metrics too (metrics.h) */
        w->metrics2 = app_metrics_create();
        w->planefit = app_planefit_create();   /* PCA refits too (planefit.h) */
        w->sharpw = app_sharpw_create();       /* sharpness samples too (sharpw.h) */
        w->worker2 = app_worker_create();      /* the compare panel's surface and plane */
        w->planefit2 = app_planefit_create();
        app_sharpw_attach(w->sharpw, p);
        w->spread_thinning = 1;
        trainer_set_spread_thinning(p->trainer, 1);   /* out of memory: thinning at once */
    }
    w->present = o->present;
    if (w->sc.steps_per_frame < 1)
        w->sc.steps_per_frame = 1;
    pace_init(&w->pace, o->speed > 0 ? o->speed : 60.0 * w->sc.steps_per_frame);
    w->paced = mode == WIN_WINDOW || (o->speed > 0 && o->bench_frames > 0);
    w->scene_index = -1;
    for (int i = 0; i < cli_builtin_scene_count(); i++)
        if (strcmp(cli_builtin_scene_name(i), w->sc.name) == 0)
            w->scene_index = i;
    w->scene_index0 = w->scene_index;
    w->show_traj = 1;
    w->n_help = win_help_lines(w->help_lines, 64);
    int offscreen = mode != WIN_WINDOW;
    if (mode == WIN_RECORD)   /* the recorder's SIGINT/SIGTERM handlers stay in place */
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (mode == WIN_RECORD && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");   /* no display: no window needed; SDL_VIDEODRIVER still wins */
    render_log_set(log_to_stderr, NULL);

    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "losscape: cannot start SDL video: %s\n", SDL_GetError());
        app_worker_destroy(w->worker);
        app_metrics_destroy(w->metrics);
        app_metrics_destroy(w->metrics2);
        app_planefit_destroy(w->planefit);
        app_sharpw_destroy(w->sharpw);
        app_worker_destroy(w->worker2);
        app_planefit_destroy(w->planefit2);
        free(w);
        return NULL;
    }
#ifdef __EMSCRIPTEN__
    /* WebGL2 is OpenGL ES 3.0; the shaders are adapted at load (gl_util.h) */
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#else
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
#endif
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24);
    int ww = o->width > 0 ? o->width : 1280, wh = o->height > 0 ? o->height : 720;
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI |
                   (offscreen ? SDL_WINDOW_HIDDEN : SDL_WINDOW_RESIZABLE);
    /* The title reaches the window manager as UTF-8 (_NET_WM_NAME) only when the C
     * library's character type is UTF-8 (SDL's X11 backend converts through the
     * locale; issue 9 #12: "losscape â\302\200\302\224 ..."). The separator is ASCII,
     * so a plain-ASCII scene title gives a plain-ASCII WM_NAME as well. */
    if (!setlocale(LC_CTYPE, "") || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        if (!setlocale(LC_CTYPE, "C.UTF-8"))
            setlocale(LC_CTYPE, "C.utf8");
    w->win = SDL_CreateWindow("losscape", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                              offscreen ? 64 : ww, offscreen ? 64 : wh, flags);
    if (!w->win) {
        fprintf(stderr, "losscape: cannot open a window: %s\n", SDL_GetError());
        goto fail;
    }
    win_show_title(w);
#ifdef WIN_X11_KEY_TIME
    if (!offscreen)
        SDL_EventState(SDL_SYSWMEVENT, SDL_ENABLE);   /* the key presses' X server times */
#endif
    w->gl = SDL_GL_CreateContext(w->win);
    if (!w->gl) {
        fprintf(stderr, "losscape: no OpenGL 3.3 core context: %s\n", SDL_GetError());
        goto fail;
    }
#ifndef __EMSCRIPTEN__   /* the browser paces frames itself (requestAnimationFrame) */
    if (!offscreen && SDL_GL_SetSwapInterval(-1) != 0)
        SDL_GL_SetSwapInterval(1);
    if (offscreen)
        SDL_GL_SetSwapInterval(0);
#endif
    if (offscreen && !win_fbo_create(w, ww, wh))
        goto fail;
    win_apply_events(w);   /* the timeline's step-0 events (offscreen: no pause) */

    const char *nc = getenv("LOSSCAPE_NO_CACHE");   /* 1: no static-layer cache (comparisons) */
    w->r = renderer_create(&(renderer_desc){ .shader_dir = getenv("LOSSCAPE_SHADER_DIR"),
                                             .no_cache = nc && nc[0] == '1' });
    if (!w->r) {
        fprintf(stderr, "losscape: cannot initialise the renderer (see the messages above)\n");
        goto fail;
    }
    camera_init(renderer_camera(w->r), (float)w->sc.camera[0], (float)w->sc.camera[1],
                (float)w->sc.camera[2]);
    if (!p->is_data && p->surf.kind < SURFACE_FORMULA && surface_info_get(p->surf.kind)->log_scale &&
        !(w->sc.overlays & SCENE_OVERLAY_LOG) && w->sc.overlays == SCENE_OVERLAY_DEFAULT)
        w->sc.overlays |= SCENE_OVERLAY_LOG;
    w->selected = 0;
    w->running = 1;
    w->stop_at = mode == WIN_WINDOW ? o->steps : -1;

    if (w->sc.layout == SCENE_LAYOUT_COMPARE)
        win_ensure_compare(w);   /* both problems step from the start */
    return w;
fail:
    win_close(w);
    return NULL;
}

int win_write_params(win_state *w)
{
    if (!w->o->params_out)
        return APP_EXIT_OK;
    if (!w->show_traj) {   /* another scene's model: not what the command line asked for */
        fprintf(stderr, "losscape: --params-out: not written: the window shows another scene "
                        "than the command line's\n");
        return APP_EXIT_RUNTIME;
    }
    return app_write_params(w->o, w->p);
}

void win_close(win_state *w)
{
    if (!w)
        return;
    app_worker_destroy(w->worker);   /* first: it reads the problems */
    w->worker = NULL;
    app_worker_destroy(w->worker2);
    w->worker2 = NULL;
    app_planefit_destroy(w->planefit2);
    w->planefit2 = NULL;
    app_metrics_destroy(w->metrics);
    app_metrics_destroy(w->metrics2);
    w->metrics = w->metrics2 = NULL;
    app_planefit_destroy(w->planefit);
    w->planefit = NULL;
    app_sharpw_destroy(w->sharpw);
    w->sharpw = NULL;
    win_drop_compare(w);
    app_data_view_free(&w->dview);
    app_trailproj_free(&w->trails);
    free(w->plane_ease);
    destroy_gl(w);
    SDL_Quit();
    free(w);
}

#ifdef __EMSCRIPTEN__
/* The browser calls this once per animation frame. */
static void web_frame(void *arg)
{
    win_state *w = arg;
    if (!window_frame(w)) {
        emscripten_cancel_main_loop();
        win_close(w);
    }
}
#endif

/* The interactive window until it is closed (Esc, Q, the window's close button).
 * The browser build hands the frame function to the browser's main loop instead:
 * emscripten_set_main_loop_arg does not return (main's heap state stays alive). */
int app_window_run(const app_options *o, app_problem *p)
{
    win_state *w = win_open(o, p, WIN_WINDOW);
    if (!w)
        return APP_EXIT_RUNTIME;
    if ((w->sc.overlays & SCENE_OVERLAY_PROBE) && !w->probe_valid)
        win_move_probe(w, 0, 0);
#ifdef __EMSCRIPTEN__
    emscripten_set_main_loop_arg(web_frame, w, 0, 1);
    return APP_EXIT_OK;   /* not reached */
#else
    while (window_frame(w)) {
    }
    winrec_stop(w);   /* quitting while recording keeps the recording */
    int status = win_write_params(w);
    win_close(w);
    return status;
#endif
}
