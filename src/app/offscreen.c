/*
 * offscreen.c — the window mode without a window: --screenshot (steps, then the
 * scripted keys of LOSSCAPE_REPLAY_KEYS, one frame to a PNG), --bench (frame times
 * of N offscreen frames on stdout: the whole frame's, the drawing thread's CPU, the
 * stepping's and the drawing's apart, and what the p99 frames spent on each; for
 * data problems a line counts the surface grids the background worker delivered,
 * and for data problems large enough for the metrics worker one more its
 * evaluations; LOSSCAPE_BENCH_PNG=FILE saves the last frame) and the frame source of --record
 * (offscreen.h). Each opens a hidden session (win_open) that draws into a
 * framebuffer object of --size, so no display is needed.
 */
#include "app/offscreen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/window.h"

/* ==== --bench ==== */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* CPU seconds of the calling thread (−1 where the clock is missing). */
static double thread_cpu_s(void)
{
#ifdef CLOCK_THREAD_CPUTIME_ID
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
        return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
#endif
    return -1;
}

/* "median M, p99 P, max X" of n sorted times (ms). */
static void print_stats(const char *what, double *ms, long n)
{
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    long p99 = (long)ceil(0.99 * (double)n) - 1;
    printf("%s: median %.2f, p99 %.2f, max %.2f\n", what,
           n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]), ms[p99 < 0 ? 0 : p99], ms[n - 1]);
}

/* A test report's file, opened for writing; NULL, said on stderr under the name of
 * the variable that asked for it, when it cannot be. */
static FILE *open_report(const char *var, const char *path)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        fprintf(stderr, "losscape: %s: cannot write %s\n", var, path);
    return fp;
}

/* LOSSCAPE_COUNTERS=FILE (tests): the run counters of the last frame drawn, as the
 * HUD shows them (step, epoch, batch, speed: under --speed in --bench, the speed
 * asked and, where the budget falls short of it, the rate achieved). */
static void write_counters(win_state *w)
{
    const char *path = getenv("LOSSCAPE_COUNTERS");
    FILE *fp = path && *path ? open_report("LOSSCAPE_COUNTERS", path) : NULL;
    if (fp) {
        fprintf(fp, "%s\n", renderer_counters(w->r));
        fclose(fp);
    }
}

static int run_bench(win_state *w)
{
    long n = w->o->bench_frames;
    /* per frame: wall time, drawing-thread CPU, stepping's wall time, the rest's */
    double *ms = malloc(4 * (size_t)n * sizeof *ms), *cpu = ms + n, *stp = ms + 2 * n, *drw = ms + 3 * n;
    if (!ms) {
        fprintf(stderr, "losscape: --bench: out of memory\n");
        return APP_EXIT_RUNTIME;
    }
    win_draw(w); /* warm-up: shader compilation in the driver, atlas */
    glFinish();
    int have_cpu = thread_cpu_s() >= 0;
    for (long i = 0; i < n; i++) {
        double c0 = have_cpu ? thread_cpu_s() : 0;
        Uint64 t0 = SDL_GetPerformanceCounter();
        if (w->paced)   /* --speed: the window's stepping, budget included */
            win_pace_step(w);
        else
            win_step_runs(w, w->sc.steps_per_frame);
        Uint64 ts = SDL_GetPerformanceCounter();
        if (w->o->bench_orbit != 0)   /* a moving camera: no frame from the layer cache */
            camera_orbit(renderer_camera(w->r), (float)w->o->bench_orbit, 0);
        win_draw(w);
        glFinish();
        Uint64 t1 = SDL_GetPerformanceCounter();
        double tick_ms = 1000.0 / (double)SDL_GetPerformanceFrequency();
        ms[i] = (double)(t1 - t0) * tick_ms;
        stp[i] = (double)(ts - t0) * tick_ms;
        drw[i] = (double)(t1 - ts) * tick_ms;
        cpu[i] = have_cpu ? 1000.0 * (thread_cpu_s() - c0) : 0;
    }
    /* where the slowest frames' time went (the frames from the p99 one up, found
     * before the sort): stepping, or drawing (everything after it, glFinish
     * included); then each part's own spread */
    double p99_ms = 0, slow_stp = 0, slow_drw = 0;
    {
        double *tmp = malloc((size_t)n * sizeof *tmp);
        if (tmp) {
            for (long i = 0; i < n; i++)
                tmp[i] = ms[i];
            qsort(tmp, (size_t)n, sizeof *tmp, cmp_double);
            long k = (long)ceil(0.99 * (double)n) - 1;
            p99_ms = tmp[k < 0 ? 0 : k];
            free(tmp);
        }
    }
    long n_slow = 0;
    for (long i = 0; i < n; i++)
        if (ms[i] >= p99_ms) {
            slow_stp += stp[i];
            slow_drw += drw[i];
            n_slow++;
        }
    print_stats("frame ms", ms, n);
    write_counters(w);   /* tests: the last frame's run counters */
    const char *shot = getenv("LOSSCAPE_BENCH_PNG");   /* tests: the last frame itself */
    if (shot && *shot && !win_save_png(w, shot)) {
        free(ms);
        return APP_EXIT_RUNTIME;
    }
    /* the drawing thread's own CPU time per frame: what the frame costs it, apart
     * from waiting for a core on a loaded machine (GL rasterizer threads and the
     * workers not counted) */
    if (have_cpu)
        print_stats("frame CPU ms (drawing thread)", cpu, n);
    print_stats("frame stepping ms", stp, n);
    print_stats("frame drawing ms (after the stepping, glFinish included)", drw, n);
    if (n_slow > 0)
        printf("slowest frames (p99 and up, %ld): stepping %.2f ms, drawing %.2f ms on average\n", n_slow,
               slow_stp / (double)n_slow, slow_drw / (double)n_slow);
    if (w->worker && w->p->is_data && w->p->n >= 2) {
        /* the window's path: surfaces from the background worker (after the frames,
         * wait for its newest request, so the count is the same on any machine) */
        app_worker_finish(w->worker);
        long coarse, full;
        app_worker_stats(w->worker, &coarse, &full);
        printf("surface grids from the worker: %ld coarse, %ld full\n", coarse, full);
    }
    if (w->metrics && w->p->metrics_async)   /* full-data metrics from their worker */
        printf("full-data metrics from the worker: %ld evaluations, the newest of step %ld (at step %ld)\n",
               app_metrics_stats(w->metrics), w->p->metrics_step, trainer_steps(w->p->trainer));
    free(ms);
    return APP_EXIT_OK;
}

/* ==== --screenshot, --bench ==== */

/* LOSSCAPE_MARKERS=FILE (tests): where the screenshot's frame drew each run's marker,
 * one line per marker: "panel run x y in_view left hidden steps active fanned tx ty walled
 * ux uy rad chev"
 * (renderer_markers: x y the disc as drawn, tx ty the run's true point). */
static int write_markers(win_state *w, const char *path)
{
    render_marker mk[RENDER_MAX_MARKERS];
    int n = renderer_markers(w->r, mk, RENDER_MAX_MARKERS);
    FILE *fp = open_report("LOSSCAPE_MARKERS", path);
    if (!fp)
        return 0;
    for (int i = 0; i < n; i++)
        fprintf(fp, "%d %d %.1f %.1f %d %d %d %ld %d %d %.1f %.1f %d %.3f %.3f %.1f %.1f\n", mk[i].panel, mk[i].run,
                mk[i].x, mk[i].y, mk[i].in_view, mk[i].left, mk[i].hidden, mk[i].steps, mk[i].active, mk[i].fanned,
                mk[i].tx, mk[i].ty, mk[i].walled, mk[i].ux, mk[i].uy, mk[i].rad, mk[i].chev);
    return fclose(fp) == 0;
}

/* LOSSCAPE_SIGMA_BOXES=FILE (tests): the screenshot's σ boxes, one line each:
 * "panel run x y sx sy" (renderer_sigma_boxes: the centre, the sides on screen). */
static int write_sigma_boxes(win_state *w, const char *path)
{
    render_sigma_box b[RENDER_MAX_MARKERS];
    int n = renderer_sigma_boxes(w->r, b, RENDER_MAX_MARKERS);
    FILE *fp = open_report("LOSSCAPE_SIGMA_BOXES", path);
    if (!fp)
        return 0;
    for (int i = 0; i < n; i++)
        fprintf(fp, "%d %d %.1f %.1f %.1f %.1f\n", b[i].panel, b[i].run, b[i].x, b[i].y, b[i].sx, b[i].sy);
    return fclose(fp) == 0;
}

/* LOSSCAPE_CLEAR_MARKS=FILE (tests): the marks the screenshot's fans were kept off,
 * one line each: "panel x y r marker_r" (renderer_clear_marks). */
static int write_clear_marks(win_state *w, const char *path)
{
    render_clear_mark c[RENDER_MAX_CLEAR];
    int n = renderer_clear_marks(w->r, c, RENDER_MAX_CLEAR);
    FILE *fp = open_report("LOSSCAPE_CLEAR_MARKS", path);
    if (!fp)
        return 0;
    for (int i = 0; i < n; i++)
        fprintf(fp, "%d %.1f %.1f %.1f %.1f\n", c[i].panel, c[i].x, c[i].y, c[i].r, c[i].marker_r);
    return fclose(fp) == 0;
}

/* LOSSCAPE_PROBE=FILE (tests): the probe read-out's first line as drawn.
 * LOSSCAPE_TEXT_BOXES=FILE (tests): what the frame put where, one line each:
 * kind layer x y w h (renderer_boxes; kind text, maptext, area, panel).
 * LOSSCAPE_HUD_TEXT=FILE (tests): the band's title, narration lines and toast as
 * drawn (renderer_hud_text), into FILE.WxH too for each LOSSCAPE_TEXT_BOXES_SIZES.
 * LOSSCAPE_STRINGS=FILE (tests): every string the frame drew, one line each:
 * layer x y w h px text (px: its type's size in pixels), into FILE.WxH too for each
 * LOSSCAPE_TEXT_BOXES_SIZES.
 * LOSSCAPE_REC_BADGE=1 (tests): the screenshot carries the window's REC badge.
 * LOSSCAPE_PANELS=FILE (tests): each panel as drawn, one line each: index, 3 or 2
 * (its view), the panel's x y w h, its map's or 3-D view's x y w h and, 3-D, the
 * projected surface's bounding box x y w h (renderer_panels; 0 0 0 0 for 2-D).
 * LOSSCAPE_REFITS=FILE (tests): how many times the steps refitted a PCA plane. */
static void write_hud_text(win_state *w, const char *path)
{
    FILE *fp = path && *path ? fopen(path, "w") : NULL;
    if (fp) {
        fputs(renderer_hud_text(w->r), fp);
        fclose(fp);
    }
}

static void write_boxes(win_state *w, const char *path)
{
    if (!path)
        return;
    FILE *fp = open_report("LOSSCAPE_TEXT_BOXES", path);
    if (!fp)
        return;
    static const char *const kinds[] = { "text", "maptext", "area", "panel" };
    const render_box *b;
    int n = renderer_boxes(w->r, &b);
    for (int i = 0; i < n; i++)
        fprintf(fp, "%s %d %.1f %.1f %.1f %.1f\n", kinds[b[i].kind], b[i].layer, b[i].rc.x, b[i].rc.y, b[i].rc.w,
                b[i].rc.h);
    fclose(fp);
}

static void write_strings(win_state *w, const char *path)
{
    if (!path || !*path)
        return;
    FILE *fp = open_report("LOSSCAPE_STRINGS", path);
    if (!fp)
        return;
    const render_box *b;
    int n = renderer_boxes(w->r, &b);
    for (int i = 0; i < n; i++)
        if (b[i].px > 0)
            fprintf(fp, "%d %.1f %.1f %.1f %.1f %d %s\n", b[i].layer, b[i].rc.x, b[i].rc.y, b[i].rc.w, b[i].rc.h,
                    b[i].px, renderer_box_string(w->r, &b[i]));
    fclose(fp);
}

static int write_panels(win_state *w, const char *path)
{
    render_panel_report p[16];
    int n = renderer_panels(w->r, p, 16);
    FILE *fp = open_report("LOSSCAPE_PANELS", path);
    if (!fp)
        return 0;
    for (int i = 0; i < n; i++)
        fprintf(fp, "%d %d %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f\n", i, p[i].is3d ? 3 : 2,
                p[i].panel.x, p[i].panel.y, p[i].panel.w, p[i].panel.h, p[i].map.x, p[i].map.y, p[i].map.w,
                p[i].map.h, p[i].surface.x, p[i].surface.y, p[i].surface.w, p[i].surface.h);
    return fclose(fp) == 0;
}

/* The screenshot's one frame: w->frame_snap set, the REC badge on top for tests. */
static void draw_snapshot(win_state *w)
{
    w->frame_snap = 1;   /* the one frame saved: framing shows where its easing ends */
    win_draw(w);
    if (w->badge_test) {   /* tests: the REC badge as a window recording draws it */
        int fw, fh;
        win_drawable_size(w, &fw, &fh);
        renderer_draw_rec_indicator(w->r, 12.0, fw, fh);
    }
    glFinish();
}

/* LOSSCAPE_TEXT_BOXES_SIZES=WxH,WxH,... (tests, with LOSSCAPE_TEXT_BOXES=FILE): after
 * the screenshot, the same state drawn again at each size in turn (the framebuffer
 * resized, as a window is; time stands still: the toast the screenshot showed is
 * shown in each), its boxes into FILE.WxH, no PNG. tests/cli_layout.sh checks several
 * sizes of a scene with one process. Returns 0 after a message on a malformed list. */
static int write_boxes_sizes(win_state *w, const char *path, const char *sizes, int toast)
{
    if (!path || !sizes)
        return 1;
    for (const char *s = sizes; *s;) {
        int fw = 0, fh = 0, n = 0;
        if (sscanf(s, "%5dx%5d%n", &fw, &fh, &n) != 2 || fw < 16 || fh < 16 || fw > 8192 ||
            fh > 8192 || (s[n] != ',' && s[n] != '\0')) {
            fprintf(stderr, "losscape: LOSSCAPE_TEXT_BOXES_SIZES: '%s' is not WxH[,WxH...]\n", sizes);
            return 0;
        }
        s += n + (s[n] == ',');
        win_fbo_destroy(w);
        if (!win_fbo_create(w, fw, fh))
            return 0;
        if (toast)
            w->status_until = SDL_GetTicks() + 60000;
        draw_snapshot(w);
        char file[4096];
        snprintf(file, sizeof file, "%s.%dx%d", path, fw, fh);
        write_boxes(w, file);
        const char *st = getenv("LOSSCAPE_STRINGS");
        if (st && *st) {
            snprintf(file, sizeof file, "%s.%dx%d", st, fw, fh);
            write_strings(w, file);
        }
        const char *ht = getenv("LOSSCAPE_HUD_TEXT");
        if (ht && *ht) {
            snprintf(file, sizeof file, "%s.%dx%d", ht, fw, fh);
            write_hud_text(w, file);
        }
    }
    return 1;
}

int app_offscreen_run(const app_options *o, app_problem *p)
{
    win_state *w = win_open(o, p, WIN_OFFSCREEN);
    if (!w)
        return APP_EXIT_RUNTIME;
    int status;
    if (o->bench_frames > 0) {
        status = run_bench(w);
    } else {
        if ((w->sc.overlays & SCENE_OVERLAY_PROBE) && !w->probe_valid)
            win_move_probe(w, 0, 0);
        long steps = o->steps >= 0 ? o->steps : (w->sc.steps > 0 ? w->sc.steps : 200);
        win_step_runs(w, (int)(steps > 0x7fffffff ? 0x7fffffff : steps));
        win_replay_keys(w, getenv("LOSSCAPE_REPLAY_KEYS"));
        w->badge_test = getenv("LOSSCAPE_REC_BADGE") != NULL;
        int toast = !SDL_TICKS_PASSED(SDL_GetTicks(), w->status_until);
        const char *strs = getenv("LOSSCAPE_STRINGS");
        renderer_keep_strings(w->r, strs && *strs);
        draw_snapshot(w);
        status = win_save_png(w, o->screenshot_path) ? APP_EXIT_OK : APP_EXIT_RUNTIME;
        const char *mk = getenv("LOSSCAPE_MARKERS");
        if (status == APP_EXIT_OK && mk && *mk && !write_markers(w, mk))
            status = APP_EXIT_RUNTIME;
        const char *sb = getenv("LOSSCAPE_SIGMA_BOXES");
        if (status == APP_EXIT_OK && sb && *sb && !write_sigma_boxes(w, sb))
            status = APP_EXIT_RUNTIME;
        const char *cm = getenv("LOSSCAPE_CLEAR_MARKS");
        if (status == APP_EXIT_OK && cm && *cm && !write_clear_marks(w, cm))
            status = APP_EXIT_RUNTIME;
        const char *pn = getenv("LOSSCAPE_PANELS");
        if (status == APP_EXIT_OK && pn && *pn && !write_panels(w, pn))
            status = APP_EXIT_RUNTIME;
        const char *boxes = getenv("LOSSCAPE_TEXT_BOXES");
        write_boxes(w, boxes);
        write_strings(w, strs);
        write_hud_text(w, getenv("LOSSCAPE_HUD_TEXT"));
        write_counters(w);
        const char *rf = getenv("LOSSCAPE_REFITS");   /* tests: the plane refits the steps made */
        FILE *fr = rf && *rf ? open_report("LOSSCAPE_REFITS", rf) : NULL;
        if (fr) {
            fprintf(fr, "%ld\n", w->n_refits);
            fclose(fr);
        }
        const char *pr = getenv("LOSSCAPE_PROBE");   /* tests: the probe read-out as drawn */
        FILE *fp = pr && *pr ? fopen(pr, "w") : NULL;
        if (fp) {
            fprintf(fp, "%s\n", renderer_probe_text(w->r));
            fclose(fp);
        }
        if (status == APP_EXIT_OK)
            status = win_write_params(w);   /* the runs at the screenshot's step */
        if (status == APP_EXIT_OK &&
            !write_boxes_sizes(w, boxes, getenv("LOSSCAPE_TEXT_BOXES_SIZES"), toast))
            status = APP_EXIT_RUNTIME;
    }
    win_close(w);
    return status;
}

/* ==== the frames of --record ==== */

app_offscreen *app_offscreen_open(const app_options *o, app_problem *p)
{
    win_state *w = win_open(o, p, WIN_RECORD);
    if (!w)
        return NULL;
    if (o->interp_npts <= 1)   /* the legend is always in a recording (--interpolate: no runs) */
        w->sc.overlays |= SCENE_OVERLAY_LEGEND;
    if ((w->sc.overlays & SCENE_OVERLAY_PROBE) && !w->probe_valid)
        win_move_probe(w, 0, 0);
    return w;
}

void app_offscreen_close(app_offscreen *s) { win_close(s); }

void app_offscreen_size(const app_offscreen *s, int *w, int *h)
{
    *w = s->fbo_w;
    *h = s->fbo_h;
}

void app_offscreen_step(app_offscreen *s) { win_step_runs(s, s->sc.steps_per_frame); }

void app_offscreen_draw(app_offscreen *s) { win_draw(s); }
