/*
 * renderer.h — one frame of losscape: surface panels (2-D map, 3-D lit surface),
 * trails, markers, arrows, σ boxes, critical points, Hessian probe, HUD, legend,
 * loss/rate plot and the help overlay.
 *
 * The renderer reads the core through read-only views (surface, trainer, critical
 * points) handed to it each frame in a render_frame; it knows nothing of SDL events.
 * Static things are cached: the height texture is re-sampled only when
 * renderer_set_field sees a different surface or domain, glyphs live in an atlas,
 * and the frame's background with each panel's surface (2-D heat map, 3-D lit mesh
 * and its depth) is drawn once into a texture and copied into the following frames
 * until its inputs change (renderer_set_cache; layer_cache.c).
 *
 * Implementation: renderer.c composes the frame from world.c (a surface panel and
 * everything on it), hud.c (the text), plot.c (the side column's plots) and
 * datapanel.c (the data panel), which share render/render_internal.h, and
 * layer_cache.c (the static layer copied into each frame).
 *
 * Index
 *     renderer_desc, renderer_create(desc) / renderer_destroy(r)
 *     renderer_reload_shaders(r, dir)       keep the old programs if the new ones fail
 *     render_field                          the 2-D scalar field drawn (callbacks)
 *     renderer_set_field(r, field)          re-sample if changed
 *     renderer_set_field2(r, field)         the compare layout's second problem
 *     renderer_set_cache(r, on)             static-layer cache (background, surfaces) on/off
 *     render_data, render_series            data panel and test metrics (data problems)
 *     render_frame, render_help_line, render_narration
 *     renderer_draw(r, frame, fb_w, fb_h)
 *     renderer_pick(r, frame, px, py, x, y) the surface point under a pixel
 *     renderer_camera(r)                    the orbit camera (shared by all 3-D panels)
 *     render_optim_color(kind)              Okabe–Ito colour of an optimizer kind (RGBA())
 *     render_run_color(tr, i)               run i's colour: its optimizer's
 *     render_run_dashed(tr, i), render_run_label(tr, i, buf, n)   a second run of a kind
 *     render_class_color(k)                 data panel colour of class k
 *     renderer_draw_caption(r, text, w, h)  a caption line burnt into the frame (recordings)
 *     renderer_draw_rec_indicator(r, s, w, h) red dot + elapsed time (window recording)
 *     renderer_project(r, panel, x, y, out) where a domain point was drawn (tests)
 *     render_marker, renderer_markers(r, out, max)  where each run's marker was drawn,
 *                                           whether it is in view and in sight (tests)
 *     render_clear_mark, renderer_clear_marks(r, out, max)  the marks a fan's ring
 *                                           kept off (critical points, probe; tests)
 *     render_sigma_box, renderer_sigma_boxes(r, out, max)  where each σ box was drawn
 *                                           and how long its sides are on screen (tests)
 *     render_panel_report, renderer_panels(r, out, max)  each panel's rectangles and
 *                                           its projected 3-D surface's box (tests)
 */
#ifndef LOSSCAPE_RENDER_RENDERER_H
#define LOSSCAPE_RENDER_RENDERER_H

#include <stddef.h>
#include <stdint.h>

#include "core/hessian.h"
#include "core/scene.h"
#include "core/surface.h"
#include "core/trainer.h"
#include "render/camera.h"
#include "render/layout.h"

/* The 2-D view of the problem: a scalar field over plane coordinates (a, b), which
 * for a surface are (x, y) and for a model the coordinates in a plane through
 * parameter space. The app fills it; the renderer only calls it. */
typedef struct render_field {
    void *ctx;                          /* passed to the callbacks */
    /* value at (a, b); gradient and Hessian {faa, fab, fba, fbb} when not NULL */
    double (*eval)(void *ctx, double a, double b, double grad[2], double hess[4]);
    /* values on an nx × ny grid over dom, corners included, values[j*nx + i];
     * returns 0 on failure */
    int (*eval_grid)(void *ctx, surface_domain dom, int nx, int ny, double *values);
    /* plane coordinates of a parameter vector; NULL: θ is (a, b) already */
    void (*project)(const void *ctx, const double *theta, double ab[2]);
    surface_domain domain;              /* what is drawn */
    unsigned long version;              /* change it whenever the values change */
    int curve;                          /* 1: the values depend on a alone (a 1-D file): drawn as
                                         * a curve of the loss over a (curve.c), one 2-D panel */
    const char *xlabel, *ylabel;        /* the a and b axes' names: a data problem's parameters
                                         * (w1, b; PC1, PC2); NULL: "x", "y" */
    /* the curve view's extras (--interpolate); 0 / NULL: none */
    int ns;                             /* > 1: the curve is these samples (xs[k], ys[k]) joined by
                                         * straight lines, not eval at 512 points */
    const double *xs, *ys;
    const double *ys2;                  /* a second curve at the same xs, drawn dashed; NULL: none */
    const char *label1, *label2;        /* the two curves' names in a key (label2: the dashed one) */
    int n_marks;                        /* up to 2 vertical marks at a = mark_x[k], named */
    double mark_x[2];
    const char *mark_label[2];
    /* optional: run i's history in plane coordinates (2 × hist_n[i], trainer_history's
     * order), what project gives for each point, kept by the app between frames; used
     * where hist_n[i] is the history's count, else the renderer projects */
    const double *hist_ab[TRAINER_MAX_RUNS];
    int hist_n[TRAINER_MAX_RUNS];
} render_field;

/* The data panel (data problems, SCENE_OVERLAY_DATA): the training samples in
 * panel coordinates and what each run predicts there. The app fills it (it owns
 * every array) and recomputes it when the runs move; the renderer only draws it. */
#define RENDER_DATA_CLASSES 6
typedef struct render_data {
    int n;                          /* samples */
    const float *xy;                /* n × 2 panel coordinates: features 1 and 2 (classification)
                                     * or feature 1 and the target (regression) */
    const unsigned char *cls;       /* n class indices; NULL for regression */
    int n_classes;                  /* 0: regression */
    const int *batch;               /* indices of the current mini-batch; NULL: full batch */
    int batch_n;
    surface_domain box;             /* the panel's coordinate box */
    const char *xlabel, *ylabel;    /* axis names */
    const char *name;               /* data set name */
    /* classification: per run a grid_n × grid_n grid over box (row j at
     * y = ymin + (j + ½)·dy): the margin p(class 1) − ½ for two classes, the predicted
     * class index for more. regression: per run grid_n predictions at
     * x = xmin + i·(xmax − xmin)/(grid_n − 1). NULL: the run is not drawn. */
    int grid_n;
    const float *pred[8];
    int regions_run;                /* run whose class regions are shaded (−1: none) */
    int surface_batch;              /* 1: the surface shows the mini-batch, not the full data */
} render_data;

/* Test metrics of one run (data problems), sampled at step[k]. */
typedef struct render_series {
    int count;
    const long *step;
    const double *train_loss;       /* full-data training loss from the background metrics
                                     * worker; NULL: the loss plot's training curve is the
                                     * trainer's history */
    long fresh_step;                /* train_loss: trainer step of the newest sample (the
                                     * plot marks it), −1 none yet */
    const double *test_loss;        /* NULL: no test set */
    const double *test_acc;         /* NULL: no accuracy (regression) */
    const double *train_acc;        /* NULL: no accuracy */
} render_series;

/* The sharpness (top Hessian eigenvalue) of one run along its steps (--sharpness),
 * value[k] at step[k]; NaN values are skipped. */
typedef struct render_sharp {
    int count;
    const long *step;
    const double *value;
} render_sharp;

typedef struct renderer_desc {
    int tex_n;              /* height texture size (default 256) */
    int mesh_n;             /* 3-D grid size (default 64: the software rasteriser pays per triangle) */
    const char *shader_dir; /* NULL: embedded shaders */
    int no_cache;           /* 1: draw every layer every frame (renderer_set_cache) */
    int reference_3d;       /* 1: the 3-D surface by the reference path (surface3d_ref.frag:
                             * five height fetches per fragment, pow) instead of the shade
                             * texture; the same picture, slower: tests compare the two */
} renderer_desc;

typedef struct render_help_line {
    const char *keys;       /* "Space", "[ / ]" */
    const char *help;       /* "pause / resume" */
} render_help_line;

/* The narrated step: the selected run's step split into sub-steps. */
typedef struct render_narration {
    int stage;              /* 0: off; 1.. the sub-step shown */
    int run;                /* the run narrated */
    double origin[2];       /* θ at the start of the step */
    double vec[2];          /* vector drawn for this sub-step (in θ units) */
    double vec2[2];         /* a second vector (e.g. −ηg beside the momentum blend); 0: none */
    double box[2];          /* half sides of a σ box (θ units); 0: none */
    char caption[256];      /* one line */
} render_narration;

typedef struct render_frame {
    const render_field *field;      /* the problem's 2-D view */
    const trainer *tr;
    const critical_point *crit;     /* NULL or n_crit points */
    int n_crit;
    /* the minima the problem names (a built-in surface's known minima, plane
     * coordinates; NULL: none): key points of the picture, drawn or not, that contour
     * labels and fanned markers keep off (marks.h: marks_reserved) */
    const double (*minima)[2];
    int n_minima;
    const char *title;              /* scene title */
    scene_view view;
    scene_layout layout;
    unsigned overlays;              /* SCENE_OVERLAY_* */
    int colormap;
    int selected;                   /* selected run (legend highlight, lr keys) */
    int paused;
    int steps_per_frame;
    double speed;                   /* > 0: the window's optimizer steps per second (HUD shows it) */
    double speed_done;              /* ≥ 0: the steps per second achieved, which fall short of
                                       speed (the HUD says both); < 0: speed is met */
    double lag;                     /* slow motion: markers and trail ends are drawn at θ − lag·Δθ
                                     * (0: at θ), gliding between steps */
    double fps;                     /* measured; 0 hides it */
    int help;                       /* 0: no help overlay; k: its page k (renderer_help_pages) */
    const render_help_line *help_lines;
    int n_help;
    int probe_valid;                /* the Hessian probe's position is set */
    double probe[2];
    const char *status;             /* transient message ("saved ...") or NULL: the window's toast,
                                     * drawn in the band's message slot in the run counters' place
                                     * (it never takes a row, so it never moves the picture) */
    const render_narration *narr;   /* NULL or the narrated step */
    const char *caption;            /* scene caption shown at the bottom, or NULL */
    int present;                    /* presentation mode: type 1.4× larger (trails, markers follow) */
    int theme;                      /* 0 dark (the default), 1 light: near-white background, dark
                                     * strings, the colour map's dark end lifted (a projector) */
    int recording;                  /* the window's REC badge follows this frame: the title leaves it room */
    const char *run_name[8];        /* each run's label (legend); NULL: the optimizer's name */
    int plane_only;                 /* 1: the view is a 2-D slice of a larger model, so critical
                                       points and the probe are of the plane, not of the model */
    int samples_only;               /* 1: the curve view shows the field's own samples (xs, ns)
                                       and no runs: --interpolate's line. No run markers or trails;
                                       the counters give the samples' count and range */
    /* data problems */
    const render_data *data;        /* the data panel, or NULL (not shown) */
    const render_series *series;    /* per run (trainer_run_count), or NULL */
    const render_sharp *sharp;      /* per run (trainer_run_count), or NULL: no sharpness plot */
    int surface_batch;              /* 1: the surface is the current mini-batch's (HUD says so) */
    /* compare layout: the second problem (NULL: the first one again) */
    const render_field *field2;
    const trainer *tr2;
    int log2;                       /* log scale of the second panel */
    const char *label[2];           /* what each compared panel shows, or NULL */
    /* a recorded run (--trajectory: loss-landscape's projected trajectory), drawn on the
     * main problem's panels beside the live runs: a light dotted polyline from a ring
     * (its start) to a diamond (its end), with its own legend line */
    const double *rec_xy;           /* rec_n points (a, b) in plane coordinates; NULL: none */
    int rec_n;
    const char *rec_label;          /* its legend label */
} render_frame;

typedef struct renderer renderer;

/* Programs, font, textures, buffers. Needs a current GL 3.3 core context. Returns
 * NULL (after logging why: shader info log, font) if anything fails. */
renderer *renderer_create(const renderer_desc *desc);
void renderer_destroy(renderer *r);    /* NULL is a no-op */

/* Rebuild the programs from dir (NULL: embedded). Returns 1 if all compiled; else
 * logs and keeps the previous programs. */
int renderer_reload_shaders(renderer *r, const char *dir);

/* Sample the field over its domain unless its version and domain are those of the
 * last call (the height texture is uploaded only then). */
void renderer_set_field(renderer *r, const render_field *field);
/* The same for the compare layout's second panel (its own texture). */
void renderer_set_field2(renderer *r, const render_field *field);
/* Force the next renderer_set_field (and _field2) to re-sample (and the cached
 * static layers to be redrawn). */
void renderer_invalidate_surface(renderer *r);

/* Static-layer cache on (the default) or off. On, the frame's background (its
 * colour, the side column's, the data strip's) and each panel's surface (a 2-D heat
 * map with colour map and contour lines; a 3-D lit mesh and its depth, once the
 * camera has held still for a frame) are drawn once into textures at the frame's
 * pixels and copied into each frame until one of their inputs changes: the sampled
 * surface (a new field version or domain, renderer_invalidate_surface), the colour
 * map, the height scale, the contour toggle, the panels' pixel rectangles
 * (framebuffer size, view, layout, side column), the camera (3-D) or the programs
 * (renderer_reload_shaders). The frame is the same either way, pixel for pixel; off
 * is for tests and comparisons (LOSSCAPE_NO_CACHE=1 in the app). Off frees the
 * cache's textures. */
void renderer_set_cache(renderer *r, int on);

void renderer_draw(renderer *r, const render_frame *f, int fb_w, int fb_h);

/* Pages of the help overlay in the last frame that showed it (1 where every line fits;
 * more in small windows, f->help choosing the page). */
int renderer_help_pages(const renderer *r);

/* The domain point under framebuffer pixel (px, py) of the last drawn frame (2-D:
 * unprojected; 3-D: a ray marched against the surface). The point is in the clicked
 * panel's own problem: in the compare layout the second panel is marched against
 * f->field2 (when set), the field it was drawn from. Returns 1 if the pixel hits
 * the surface. */
int renderer_pick(const renderer *r, const render_frame *f, float px, float py, double *x,
                  double *y);

camera *renderer_camera(renderer *r);

/* Framebuffer pixel (top-left origin) where domain point (x, y) with value fval was
 * drawn in panel `panel` of the last frame. Returns 0 if there is no such panel. */
int renderer_project(const renderer *r, int panel, double x, double y, double fval,
                     float out[2]);

/* A run's current-point marker as drawn in the last frame (issue 9 #10/#11: every
 * marker in view and in sight). in_view: its centre lies inside the panel's map
 * rectangle (2-D: the heat map; 3-D: the panel below the HUD band) by at least the
 * marker's radius; left: the run's point is outside the drawn domain, so the
 * marker is pinned at the domain's edge; hidden: 3-D only, the line of sight from
 * the eye to the marker's centre passes below the drawn surface (a hill hides it;
 * it is then only drawn dimmed). fanned: the marker shares its spot with others
 * and is drawn on a small ring around it (render/fan.h), (x, y) the disc's centre
 * as drawn, (tx, ty) the run's true point, where its trail ends and its leader line
 * starts; not fanned, the two are the same. */
typedef struct render_marker {
    int panel, run;
    float x, y;             /* framebuffer pixels, top-left origin: the disc as drawn */
    int in_view, left, hidden;
    long steps;             /* the run's own step count */
    int active;             /* the run is on (off: frozen, drawn faded, greyed in the legend) */
    int fanned;             /* moved off its true point onto a fan's ring */
    float tx, ty;           /* the true point (the trail's end), pixels */
    int walled;             /* 3-D: even the walls of its own well hide the true point
                             * (it lies below the surface the eye sees at its pixel) */
    float ux, uy;           /* a run out of view: the unit direction on screen its chevron
                             * points (the way it left); in view: 0, 0 */
    float rad, chev;        /* the disc's radius (without its 2-px outline), the chevron's
                             * reach past the outline (pixels) */
} render_marker;

#define RENDER_MAX_MARKERS 32

/* The markers of the last frame (at most max, in drawing order); returns the count. */
int renderer_markers(const renderer *r, render_marker *out, int max);

/* A σ box (the adaptive methods' per-coordinate step sizes, drawn around a run's
 * marker) as the last frame drew it: its centre and the lengths on screen of its two
 * sides through the centre, along the domain's x and y (pixels; 3-D: projected onto
 * the surface). */
typedef struct render_sigma_box {
    int panel, run;
    float x, y, sx, sy;
} render_sigma_box;

/* The σ boxes of the last frame (at most max, in drawing order); returns the count. */
int renderer_sigma_boxes(const renderer *r, render_sigma_box *out, int max);

/* A mark that fanned markers' rings are kept off (fan.h: critical points, the
 * probe's cross), as the last frame drew it: centre and radius (pixels), and the
 * radius of that panel's run markers (discs, without their 2-px outline). */
typedef struct render_clear_mark {
    int panel;
    float x, y, r, marker_r;
} render_clear_mark;

#define RENDER_MAX_CLEAR 64

/* The last frame's marks kept clear (at most max); returns the count. */
int renderer_clear_marks(const renderer *r, render_clear_mark *out, int max);

/* A panel as the last frame drew it: its rectangle, the map's (2-D) or the 3-D
 * view's (the panel below its label), and for a 3-D panel the bounding box of its
 * surface's mesh as projected (pixels; zero size for 2-D). */
typedef struct render_panel_report {
    int is3d;
    render_rect panel, map, surface;
} render_panel_report;

/* The last frame's panels (at most max); returns the count. */
int renderer_panels(const renderer *r, render_panel_report *out, int max);

/* Colours follow the optimizer, not the run's position: SGD orange, momentum sky
 * blue, AdaGrad bluish green, RMSProp yellow, Adam reddish purple (Okabe–Ito). A
 * second (third...) run of one kind has the same colour, a dashed trail and a
 * numbered label ("adam #2"). */
/* What the last renderer_draw put where (issue 9 #9: tests check that no text
 * overlaps other text or a plot's or map's area): every string's box, and the areas
 * of the 2-D maps and the plots. layer: 0 on a panel (r->world), 1 the HUD, 2 on top
 * (help overlay, caption, REC badge). */
typedef enum render_box_kind {
    RENDER_BOX_TEXT,        /* a string outside the maps: HUD, legend, axis ticks, plot labels */
    RENDER_BOX_MAP_TEXT,    /* a string that belongs inside a map (contour labels, panel labels) */
    RENDER_BOX_AREA,        /* a 2-D map's or a plot's data area */
    RENDER_BOX_PANEL        /* an opaque panel on top (the help overlay): what lies under it is hidden */
} render_box_kind;
typedef struct render_box {
    render_rect rc;
    render_box_kind kind;
    int layer;
    int px;               /* a string's type size in pixels (0: an area or panel) */
    int str;              /* with renderer_keep_strings: the string, at renderer_box_string */
} render_box;
int renderer_boxes(const renderer *r, const render_box **boxes);
/* on = 1: the boxes of the frames drawn from now on keep their strings (tests:
 * LOSSCAPE_STRINGS), read with renderer_box_string ("" for an area or a panel). */
void renderer_keep_strings(renderer *r, int on);
const char *renderer_box_string(const renderer *r, const render_box *b);

/* The first line of the Hessian probe's read-out in the last frame, as drawn
 * ("probe (x, y)   L = v"), or "" when none was drawn (tests: LOSSCAPE_PROBE). */
const char *renderer_probe_text(const renderer *r);
/* The run counters the last frame built (hud_counters: step, epoch, batch, speed; tests). */
const char *renderer_counters(const renderer *r);

/* The last frame's title, narration and toast as drawn, one line each: "title\tTEXT",
 * "narr\tTEXT" (one per line of the narration), "toast\tTEXT" ('…' where a string
 * was shortened; tests: LOSSCAPE_HUD_TEXT). */
const char *renderer_hud_text(const renderer *r);

uint32_t render_optim_color(optim_kind k);
uint32_t render_run_color(const trainer *tr, int i);
int render_run_dashed(const trainer *tr, int i);
void render_run_label(const trainer *tr, int i, char *buf, size_t n);
/* Colour of class k in the data panel (Paul Tol's palette, distinct from the runs'). */
uint32_t render_class_color(int k);

/* One line of text centred at the bottom of the frame on a dark band, drawn on top
 * of what is there: call after renderer_draw on the same framebuffer and size.
 * Recordings and screenshots burn the scene's caption in with it. NULL or "" draws
 * nothing. */
void renderer_draw_caption(renderer *r, const char *text, int fb_w, int fb_h);

/* The recording indicator: a red dot and the elapsed time ("REC 1:05") at the top
 * right of a fb_w × fb_h framebuffer, on top of what is there (any framebuffer; the
 * text keeps the size of the last renderer_draw). */
void renderer_draw_rec_indicator(renderer *r, double seconds, int fb_w, int fb_h);

#endif
