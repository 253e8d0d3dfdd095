/*
 * scene.h — scene files: everything that sets up a demonstration, as text.
 *
 * A scene is what the command line can say, written down so that a teacher can
 * keep it, share it and open it again. The format is line-based UTF-8 text:
 *
 *     # Rosenbrock's banana valley       ← a line whose first non-blank is '#' is a comment
 *     title       = Rosenbrock
 *     description = a curved valley: momentum overshoots, Adam follows the floor
 *     surface     = rosenbrock            ← a built-in name or a formula in x and y
 *     start       = -1.5, 2
 *     opt         = sgd: lr=0.002         ← one line per optimizer run, in order
 *     opt         = adam: lr=0.05
 *     opt         = sgd: lr=0.02, batch=1, label=B=1   ← a run's own settings (runspec.h)
 *     schedule    = cosine: T=500, warmup=20
 *
 * `key = value`; blanks around both are ignored; the value runs to the end of the
 * line (there are no trailing comments, so a caption may contain '#'). Keys are
 * case-sensitive; '-' and '_' in a key are the same. A key given twice keeps the
 * last value, except `opt`: a file's `opt` lines replace the runs the scene had and
 * each adds one run. An unknown key, a bad value or a
 * malformed line is an error naming the line and column; nothing is ignored.
 * A UTF-8 byte-order mark and CRLF line ends are accepted.
 *
 * Keys (see scene_key_help for the one-line help of each, which the README copies):
 *   title title_zh description caption caption_zh lesson surface domain start opt lr schedule seed
 *   landscape landscape_key
 *   steps steps_per_frame data model params loss batch split standardize own_batches
 *   eval_every sharpness plane
 *   view layout overlays colormap theme camera compare panel_label panel_label_zh
 *   compare_label compare_label_zh event
 *
 * `event` adds one timeline event (timeline.h), kept in step order (events of one
 * step in file order); a file's first `event` line replaces the scene's timeline.
 *
 * `compare` describes the second problem of the compare layout as overrides of
 * this scene: `compare = loss=mse` or `compare = surface=beale; lr=0.01` —
 * `key=value` pairs separated by ';', each applied with scene_set to a copy of the
 * scene (scene_compare_scene). Not allowed inside it: opt (both problems race the
 * same optimizers), compare, and the presentation keys view, layout, overlays,
 * colormap, theme, camera, title, title_zh and the four panel labels. `panel_label` and
 * `compare_label` (and their `_zh` forms, shown with --lang zh) name the two panels
 * in words ("moving averages (p = 0.9)"); without them the window says "this scene"
 * and "compare: " followed by the overrides. Empty `compare` (the default): the window picks a counterpart
 * (see src/app/session.c: the other loss for classification data, standardize toggled for
 * regression data, the same surface on the other height scale for surfaces).
 *
 * The command line is applied on top of a scene with the same scene_set calls, so a
 * value means the same thing and gets the same error in both places.
 *
 * Index
 *     scene, scene_view, scene_layout, SCENE_OVERLAY_*
 *     scene_init(s)                         defaults (rosenbrock, all five optimizers)
 *     scene_set(s, key, value, err)         set one key (file line or option)
 *     scene_parse(s, text, err)             apply a whole file's text
 *     scene_format(s)                       → malloc'd text that scene_parse reads back
 *     scene_load(s, path, err) / scene_save(s, path, err)
 *     scene_clear_opts(s)
 *     scene_compare_scene(s, out, err)      the compare layout's second scene
 *     scene_key_count(), scene_key_name(i), scene_key_help(i)
 *     scene_view_name, scene_layout_name
 */
#ifndef LOSSCAPE_SCENE_H
#define LOSSCAPE_SCENE_H

#include <stdint.h>

#include "core/diag.h"
#include "core/formula.h"
#include "core/optim.h"
#include "core/runspec.h"
#include "core/schedule.h"
#include "core/surface.h"
#include "core/timeline.h"

#define SCENE_MAX_RUNS       8          /* optimizer runs in one scene */
#define SCENE_MAX_FILE_BYTES (1 << 20)  /* scene files larger than this are refused */
#define SCENE_MAX_LINE       8192       /* bytes in one line */
#define SCENE_TEXT_MAX       256        /* title, description, data and model specs */
#define SCENE_CAPTION_MAX    1024       /* a caption in either language (UTF-8 bytes) */

typedef enum scene_view {
    SCENE_VIEW_3D = 0,
    SCENE_VIEW_2D,
    SCENE_VIEW_SPLIT,
    SCENE_VIEW_COUNT
} scene_view;

typedef enum scene_layout {
    SCENE_LAYOUT_OVERLAY = 0,   /* every run on one surface */
    SCENE_LAYOUT_PANELS,        /* one panel per run */
    SCENE_LAYOUT_COMPARE,       /* two problems side by side */
    SCENE_LAYOUT_COUNT
} scene_layout;

typedef enum scene_plane {
    SCENE_PLANE_RANDOM = 0,     /* two filter-normalized random directions (models with > 2 parameters) */
    SCENE_PLANE_PARAMS,         /* two chosen parameters: `plane = params: 0, 3` */
    SCENE_PLANE_PCA             /* principal directions of the trajectories */
} scene_plane;

typedef enum scene_loss {
    SCENE_LOSS_DEFAULT = 0,     /* mse for regression, ce for classification */
    SCENE_LOSS_MSE,
    SCENE_LOSS_CE
} scene_loss;

/* Things drawn on top of the surface; `overlays = contours, arrows, plot`. */
enum {
    SCENE_OVERLAY_CONTOURS = 1 << 0,   /* contour lines */
    SCENE_OVERLAY_ARROWS   = 1 << 1,   /* gradient and update arrows, σ glyphs */
    SCENE_OVERLAY_CRITICAL = 1 << 2,   /* critical points marked by type */
    SCENE_OVERLAY_PROBE    = 1 << 3,   /* Hessian probe and Taylor patch */
    SCENE_OVERLAY_PLOT     = 1 << 4,   /* loss / rate plot panel */
    SCENE_OVERLAY_LEGEND   = 1 << 5,   /* legend of runs */
    SCENE_OVERLAY_DATA     = 1 << 6,   /* data panel (data problems) */
    SCENE_OVERLAY_LOG      = 1 << 7,   /* logarithmic height and colour scale */
    SCENE_OVERLAY_DEFAULT  = SCENE_OVERLAY_CONTOURS | SCENE_OVERLAY_PLOT | SCENE_OVERLAY_LEGEND
};

typedef struct scene {
    char name[64];                      /* built-in name or file stem; not a key */
    char title[SCENE_TEXT_MAX];         /* shown in the HUD */
    char title_zh[SCENE_TEXT_MAX];      /* the same in Chinese; "" = none (the English is shown) */
    char description[SCENE_TEXT_MAX];   /* one line for --list-scenes */
    char caption[SCENE_CAPTION_MAX];    /* text burnt under recordings; may be empty */
    char caption_zh[SCENE_CAPTION_MAX]; /* the same in Chinese; "" = none (the English is shown) */
    int lesson;                         /* > 0: the scene is lesson N of the lecture (--list-scenes order) */
    char surface[FORMULA_MAX_LEN + 1];  /* built-in name or formula (validated) */
    int has_domain;                     /* 1: domain overrides the surface's own */
    surface_domain domain;
    int domain_auto;                    /* 1: `domain = auto`, the view frames every run's path */
    int has_start;                      /* 1: start overrides the surface's default */
    double start[2];                    /* start point (x, y) of every run */
    int n_opts;                         /* runs, in order */
    optim_desc opts[SCENE_MAX_RUNS];    /* each validated, defaults filled */
    run_settings runs[SCENE_MAX_RUNS];  /* each run's batch, schedule, label (runspec.h) */
    double lr;                          /* overrides every run's rate (--lr) when has_lr; 0 freezes */
    int has_lr;
    schedule_desc schedule;
    uint64_t seed;                      /* data, shuffles and random directions */
    long steps;                         /* default step count for --headless/--screenshot */
    int steps_per_frame;                /* optimizer steps per drawn frame (≥ 1) */
    char data[SCENE_TEXT_MAX];          /* data set spec (CSV path or NAME[:k=v]); "" = none */
    char model[SCENE_TEXT_MAX];         /* model spec; "" = the data set's default */
    char params[SCENE_TEXT_MAX];        /* initial parameters: a safetensors state dict; "" = the model's init */
    char landscape[SCENE_TEXT_MAX];     /* a loss-landscape HDF5 surface file; "" = none (use `surface`) */
    char landscape_key[64];             /* its dataset; "" = train_loss */
    scene_loss loss;
    int batch;                          /* mini-batch size; 0 = full batch */
    double split;                       /* held-out fraction in [0, 1) */
    int standardize;                    /* 1: standardize features (training statistics) */
    int own_batches;                    /* 1: each run draws its own batch sequence; 0: shared */
    int eval_every;                     /* steps between test-loss samples; 0 = 10 */
    long sharpness;                     /* > 0: each run's top Hessian eigenvalue every N steps
                                           (the window's plot, the headless CSV column); 0 none */
    scene_plane plane_kind;             /* view plane of a model with > 2 parameters */
    int plane_params[2];                /* SCENE_PLANE_PARAMS: the two parameter indices */
    scene_view view;
    scene_layout layout;
    unsigned overlays;                  /* SCENE_OVERLAY_* */
    int colormap;                       /* index: 0 viridis, 1 magma, 2 inferno, 3 plasma, 4 cividis */
    int theme;                          /* 0 dark (the default), 1 light (render_frame.theme) */
    int has_theme;                      /* 1: theme was given (a figure is light unless theme = dark was) */
    double camera[3];                   /* yaw, pitch (degrees), distance (domain diagonals) */
    char compare[SCENE_TEXT_MAX];       /* overrides for the compare layout's second problem; "" = default */
    char panel_label[SCENE_TEXT_MAX];   /* the compare layout's first panel in words; "" = "this scene" */
    char panel_label_zh[SCENE_TEXT_MAX];   /* the same in Chinese; "" = the English (or the default) */
    char compare_label[SCENE_TEXT_MAX];    /* its second panel in words; "" = "compare: " + the overrides */
    char compare_label_zh[SCENE_TEXT_MAX]; /* the same in Chinese; "" = the English (or the default) */
    int n_events;                       /* the timeline (timeline.h), in step order */
    timeline_event events[TIMELINE_MAX];
} scene;

/* The default scene: rosenbrock from its default start, the five optimizers with
 * torch's default hyper-parameters, constant rate, seed 1, 1 step per frame,
 * 3-D view, overlay layout, SCENE_OVERLAY_DEFAULT. */
void scene_init(scene *s);

/* Set one key from its text value. Accepts '-' for '_' in key. Returns 1, or 0
 * with err filled: err->column 0 means "the key"; otherwise it is the 1-based column
 * within value. The scene is unchanged on failure. */
int scene_set(scene *s, const char *key, const char *value, diag *err);

/* Apply a scene file's text to s (start from scene_init for a fresh scene).
 * Returns 1, or 0 with err->line and err->column (1-based, in the text) filled. */
int scene_parse(scene *s, const char *text, diag *err);

/* Read and apply a file. name is set to the file's stem. Returns 1, or 0 with err
 * filled (line 0 for I/O errors: "cannot open: No such file or directory"). */
int scene_load(scene *s, const char *path, diag *err);

/* The scene as text that scene_parse reads back to an equal scene. The caller frees
 * the result with free(); NULL if out of memory. */
char *scene_format(const scene *s);

/* Write scene_format's text to path atomically (a temporary file in the same folder,
 * renamed over path on success). Returns 1, or 0 with err->msg. */
int scene_save(const scene *s, const char *path, diag *err);

/* Remove every run (before the command line's first --opt replaces them). */
void scene_clear_opts(scene *s);

/* The second problem of the compare layout: a copy of s with s->compare's
 * overrides applied (out->compare emptied). Returns 1 (also when s->compare is
 * empty: out is then a plain copy), or 0 with err naming the pair at fault (err->column
 * is the 1-based column in s->compare). */
int scene_compare_scene(const scene *s, scene *out, diag *err);

/* The keys, for help texts. */
int scene_key_count(void);
const char *scene_key_name(int i);
const char *scene_key_help(int i);

const char *scene_view_name(scene_view v);      /* "3d", "2d", "split" */
const char *scene_layout_name(scene_layout l);  /* "overlay", "panels", "compare" */

#endif
