/*
 * window.h — internal to the app's window mode: the state of an interactive (or
 * offscreen) session, the key table, and the functions the window mode's files
 * share. Who does what:
 *
 *     window.c     SDL window, GL context, events, the frame function and main loop
 *     session.c    the state: the problems shown, their 2-D views and render_frame,
 *                  stepping, scenes, the probe, the offscreen target, PNG read-back
 *     actions.c    one function per key action (actions.h); keys.c binds keys to them
 *     narrate.c    the narrated step (E): one sub-step of the selected run at a time
 *     winrec.c     F9: recording what the window shows
 *     offscreen.c  --screenshot, --bench, and the frames of --record (offscreen.h)
 *
 * The window's state lives in ONE struct (win_state), created by win_open and
 * passed explicitly; there is no other mutable global in the window mode.
 *
 * The frame function: window_frame(w) polls events, steps, draws and swaps ONE
 * frame and returns 0 once the session should end. The desktop loop is
 *     win_state *w = win_open(o, p, WIN_WINDOW);
 *     while (window_frame(w)) {}
 *     winrec_stop(w); win_close(w);
 * and a browser build calls it from emscripten_set_main_loop_arg with w as the
 * argument (cancelling the loop when it returns 0).
 *
 * Index
 *     win_state
 *     win_mode, win_open(o, p, mode) / win_close(w), window_frame(w)     window.c
 *     win_action_fn, win_key, win_keys[], win_key_count                keys.c
 *     win_key_lookup(sym, mod), win_help_lines(out, cap), win_replay_keys(w, list)
 *     win_set_status, win_draw, win_step_runs, ... (session.c)
 *     win_narrate(w)                                                    narrate.c
 *     winrec_toggle(w), winrec_frame(w), winrec_stop(w)                  winrec.c
 */
#ifndef LOSSCAPE_APP_WINDOW_H
#define LOSSCAPE_APP_WINDOW_H

#include <SDL2/SDL.h>

#include "app/app.h"
#include "app/dataview.h"
#include "core/pace.h"
#include "app/metrics.h"
#include "app/planefit.h"
#include "app/sharpw.h"
#include "app/trailproj.h"
#include "app/worker.h"
#include "record/recorder.h"
#include "render/gl_util.h"
#include "render/renderer.h"

typedef struct win_state {
    const app_options *o;
    app_problem *p;
    scene sc;                   /* the scene as shown now (view, overlays... changed live) */
    scene sc0;                  /* the scene as loaded (Shift+R restores its settings) */
    int scene_index0;           /* scene_index at the start (--speed belongs to it) */
    int show_traj;              /* the command line's scene is shown (its --trajectory, its
                                 * --interpolate curve, its --params-out): 1 until another
                                 * scene is shown */
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
    int shift_down;             /* a Shift key is down, as the events so far say */
    int present;                /* presentation mode (--present, F2) */
    int badge_test;             /* LOSSCAPE_REC_BADGE: the screenshot carries the REC badge */
    int mouse_x, mouse_y;       /* window coordinates at button press */
    render_help_line help_lines[64];
    int n_help;
    render_field field;         /* the problem's 2-D view, as the renderer sees it */
    unsigned long field_version;/* bumped when the problem or its plane changes */
    /* the background surface worker (worker.h; NULL: surfaces computed in the frame) */
    struct app_worker *worker;
    unsigned long req_version;  /* field_version of the worker's newest request */
    int req_coarse;             /* that request asked for the coarse grid alone */
    int req_batch;              /* surf_batch of that request */
    unsigned long seen_seq;     /* app_worker_seq when the renderer last took a grid */
    unsigned long shown_version;/* render_field.version of the main panel */
    /* the background metrics workers (metrics.h) of p and p2; NULL: synchronous */
    struct app_metrics *metrics, *metrics2;
    /* the background PCA refit of p's plane (planefit.h; NULL: refits in the frame) */
    struct app_planefit *planefit;
    /* the compare panel's (p2's) surface worker and plane fit, as p's (NULL: in the frame) */
    struct app_worker *worker2;
    unsigned long req_version2, seen_seq2, shown_version2;
    int req_batch2;
    struct app_planefit *planefit2;
    /* the background sharpness samples of p (sharpw.h; NULL: taken in the step) */
    struct app_sharpw *sharpw;
    /* 1 (the window, --bench): the trainers' history thinning is spread over the steps
     * after a history fills (trainer_set_spread_thinning), never one frame's O(cap × n) */
    int spread_thinning;
    /* data problems (issue 4) */
    int surf_batch;             /* 1: the surface is run 0's current mini-batch's loss (Y) */
    long pca_at;                /* step of the last refit of a PCA plane */
    Uint64 pca_t;               /* performance counter at the last refit; 0: none */
    long n_refits;              /* refits asked for (LOSSCAPE_REFITS, tests) */
    Uint64 still_t;             /* ... at the last frame whose view eased (framing.h); 0: none yet */
    app_data_view dview;        /* the data panel's arrays */
    app_trailproj trails, trails2;   /* p's and p2's trails in plane coordinates (trailproj.h) */
    render_series series[TRAINER_MAX_RUNS];
    render_sharp sharp[TRAINER_MAX_RUNS];
    /* the compare layout: a second problem built from the scene's `compare` overrides
     * or the default counterpart (see ensure_compare); NULL for surfaces, whose second
     * panel is the same surface on the other height scale */
    app_problem *p2;            /* owned */
    int p2_tried;               /* ensure_compare ran for this scene */
    render_field field2;
    char axis_name[2][2][64];   /* field's and field2's xlabel, ylabel (app_problem_axis_names) */
    unsigned long field2_version;
    char label[2][160];         /* what each compared panel shows */
    char run_name[8][64];       /* each run's label, for the legend */
    /* recording from the window (F9): frames are drawn into the offscreen target
     * (fbo, at the size fixed when it started), read back, then shown scaled */
    recorder *rec;
    rec_readback *rb;
    Uint64 rec_t0;              /* performance counter at the start */
    Uint64 key_t;               /* performance counter when the key being handled was pressed */
    Uint32 key_xtime;           /* X11: the X server's time of the last KeyPress (ms) */
    int key_xtime_set;
    char rec_path[64];
    long rec_due;               /* frames of the video's time grid taken so far (issue 9 #2) */
    long rec_pending;           /* how many of them the capture in flight stands for */
    Uint64 frame_t;             /* performance counter at the end of the last frame (fps) */
    int fingers;                /* touch points down now (a pinch zooms, not orbits) */
    long stop_at;               /* --steps N in the window: pause when run 0 reaches N (told on
                                 * stderr), again after a restart; −1 never */
    int stop_held;              /* 1: paused at stop_at once, not since below it (Space went on) */
    /* speed (window and --bench with --speed): optimizer steps per second of wall-clock
     * time within a stepping budget per frame (core/pace.h) */
    pace pace;
    int paced;                  /* 1: frames step by pace (the window); 0: steps_per_frame */
    Uint64 pace_t;              /* performance counter at the last pace_due */
    /* framing (framing.h): the domain eased toward frame_to */
    surface_domain frame_to;
    int frame_moving;           /* p->domain is on its way to frame_to */
    int frame_frozen;           /* Shift+J: no easing, no automatic target, no PCA refits */
    int frame_snap;             /* 1: jump to the target (a screenshot's single frame) */
    surface_domain frame_home;  /* the domain the scene started with (0 wide: not yet noted) */
    double *plane_ease;         /* a PCA refit's plane easing: old d1, d2, new d1, d2 (4 × n; owned) */
    int plane_ease_n;           /* n of plane_ease; 0: none */
    double plane_t;             /* its progress, 0 .. 1 (1: done) */
    unsigned long plane_ease_serial;   /* which easing plane_ease is (trailproj.h), counted from 1 */
} win_state;

/* The steps of this frame at the speed (session.c): speed × the time since the
 * last call, taken in growing chunks until PACE_BUDGET_S of stepping is used (the
 * rest is forgiven: a slow objective slows the race, never the window). Nothing
 * while paused. Returns the steps taken. */
long win_pace_step(win_state *w);

/* ==== window.c ==== */

typedef enum win_mode {
    WIN_WINDOW,      /* the interactive window */
    WIN_OFFSCREEN,   /* --screenshot, --bench: a hidden window, an FBO of --size */
    WIN_RECORD       /* --record: as offscreen; no SDL signal handlers, no display needed */
} win_mode;

/* The session: SDL video, a window (hidden offscreen) with a GL 3.3 core context,
 * the offscreen target (offscreen modes), the renderer, the camera and state from
 * o->scene; the compare layout's second problem when the scene starts in it.
 * Returns NULL (after one line on stderr) on failure, everything released. */
win_state *win_open(const app_options *o, app_problem *p, win_mode mode);
/* --params-out of the runs shown (app_write_params), if the command line's scene is
 * still shown; else one line and 1. An exit status. */
int win_write_params(win_state *w);
/* The window's title, "losscape - " and the scene's title (--title while the scene
 * given on the command line is shown); in the browser it becomes the page's title. */
void win_show_title(win_state *w);
/* Release everything win_open made (the second problem, GL, SDL). NULL: no-op. */
void win_close(win_state *w);
/* One frame of the window: events, the steps the speed asks for since the last
 * frame unless paused (win_pace_step), draw, the F9 recording's read-back, swap,
 * fps. Returns w->running (0: quit). */
int window_frame(win_state *w);

/* ==== keys.c: the key table ==== */

typedef void (*win_action_fn)(win_state *w);

/* Modifier requirement of a key binding. */
enum { WK_PLAIN = 0, WK_SHIFT, WK_CTRL, WK_ANY };

typedef struct win_key {
    SDL_Keycode sym;      /* SDL key code */
    int mod;              /* WK_* */
    win_action_fn action; /* actions.h */
    const char *keys;     /* label in the help overlay; NULL: an alias of the line above */
    const char *help;     /* help text; NULL for aliases */
} win_key;

extern const win_key win_keys[];
extern const int win_key_count;

/* The action for a key press, or NULL. */
win_action_fn win_key_lookup(SDL_Keycode sym, Uint16 mod);

/* Fill out[] with the help lines (one per table entry that has a label). Returns
 * the number written (at most cap). */
int win_help_lines(render_help_line *out, int cap);

/* Key presses from a list such as "V,L,shift+B,F1" (SDL key names), applied in
 * order (LOSSCAPE_REPLAY_KEYS: scripted frames for tests); "steps=N" between them
 * takes N optimizer steps, "frames=N" draws N frames (easings advance). Unknown names are reported on stderr and skipped. NULL:
 * nothing. */
void win_replay_keys(win_state *w, const char *list);

/* ==== session.c ==== */

/* The status line (a toast at the bottom) for STATUS_MS. */
void win_set_status(win_state *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The size drawn at: the offscreen target's, else the window's drawable size. */
void win_drawable_size(const win_state *w, int *fw, int *fh);
/* The critical points (computed once); returns their number. */
int win_ensure_critical(win_state *w);
/* The compare layout's second problem: built once per scene / dropped. */
void win_ensure_compare(win_state *w);
void win_drop_compare(win_state *w);
/* What the renderer draws now. */
void win_build_frame(win_state *w, render_frame *f);
/* Draw a frame into the offscreen target (left bound) or the back buffer; in the
 * offscreen modes the scene's caption is burnt in. */
void win_draw(win_state *w);
/* The window recording's frame into its FBO (F9): the scene with its caption, no
 * toast, help, fps or REC badge. Leaves the window's framebuffer bound. */
void win_draw_recording(win_state *w);
/* Read the current framebuffer into a PNG. Returns 1, or 0 after a line on stderr. */
int win_save_png(win_state *w, const char *path);
/* n steps of every problem shown (test metrics, PCA refits, mini-batch surface). */
/* The presentation events (pause, caption, probe, view) the last step of the first
 * problem fired; 1 if one paused. */
int win_apply_events(win_state *w);
/* Record a live change as a timeline event at the current step (Ctrl+S saves it). */
void win_note_event(win_state *w, const timeline_event *ev);
void win_step_runs(win_state *w, int n);
/* Every run of both problems back to its start (a new race: win_race_begins). */
void win_reset_runs(win_state *w);
/* A new race (R, Shift+R, a click's restart): the changes noted for the last race
 * are dropped (the scene's own events stay), and where the scene has no timeline,
 * the settings the runs start with now are the race's start (opts0, batch0), so
 * Ctrl+S saves the race as it runs: its settings, then the changes made in it. */
void win_race_begins(win_state *w);
/* Refit a PCA plane to the trajectories so far (with a plane-fit worker: asked for
 * here, installed by win_take_plane when ready). */
void win_refit_plane(win_state *w);
/* A background refit that is ready becomes the plane (once a frame). */
void win_take_plane(win_state *w);
/* Restart every run from plane point (x, y) (a click on the surface). */
void win_restart_at(win_state *w, double x, double y);
/* Built-in scene `index` (wraps); on failure the old scene stays. Returns 1 if loaded. */
int win_load_scene(win_state *w, int index);
/* A file dropped on the window or opened in the page: a .csv becomes the data set
 * of the scene shown, anything else is read as a scene file. On failure the old
 * scene stays, and the command line's one-line message (PATH:LINE:COL: …) goes to
 * stderr and the status line. Returns 1 if opened. */
int win_open_file(win_state *w, const char *path);
/* Move the Hessian probe by (dx, dy) × 2 % of the domain (placing it first). */
void win_move_probe(win_state *w, double dx, double dy);
/* The offscreen target: an fw × fh colour + depth framebuffer (w->fbo). */
int win_fbo_create(win_state *w, int fw, int fh);
void win_fbo_destroy(win_state *w);

/* ==== fields.c ==== */

/* w->field (and w->field2 in the compare layout) for this frame: a request to the
 * surface workers when what a panel shows changed, a new version when a newer grid
 * is there. */
void win_update_fields(win_state *w);
/* 1 when a surface worker has a grid the renderer has not taken yet: the next frame
 * uploads it and draws the surface and every trail point anew (the dearest frames of
 * a data scene), so its stepping yields (win_pace_step). */
int win_surface_news(win_state *w);

/* ==== narrate.c ==== */

/* E: the selected run's next sub-step (gradient, momentum blend, accumulator,
 * update); pauses, fills w->narr, takes the step at sub-step 4. */
void win_narrate(win_state *w);

/* 1 in the offscreen modes (--screenshot, --bench, --record): the FBO is the
 * target. The window's F9 recording has an FBO too, but the window draws to itself. */
static inline int win_offscreen(const win_state *w) { return w->fbo && !w->rec; }

/* ==== winrec.c ==== */

/* F9: start or stop recording what the window shows. */
void winrec_toggle(win_state *w);
/* Before win_draw while recording: when the video's time grid (frame k at k/fps s)
 * has reached a new frame, the scene alone into the recording target, read back;
 * the previous capture goes to the encoder once per grid frame it stands for, so
 * the video plays back in real time. */
void winrec_frame(win_state *w);
/* After win_draw while recording: the REC badge, in the window only. */
void winrec_badge(win_state *w);
/* Finish the recording, if any (quitting keeps it). */
void winrec_stop(win_state *w);

#endif
