/*
 * app.h — the program layer: what the command line asked for, and the problem
 * (surface or data objective, trainer, critical points) built from a scene.
 *
 * Data flows one way: main parses options into app_options, builds an app_problem
 * from the scene, then hands both to one of the modes (headless run, critical-point
 * table, window, screenshot, recording, benchmark). Modes read the problem and step
 * its trainer; they never change the options.
 *
 * Index
 *     app_options, app_problem
 *     app_problem_create(p, sc, err) / app_problem_destroy(p)
 *     app_problem_restart(p, x, y)          all runs from a new start point
 *     app_headless_run(o, p)                --headless (CSV, batch log)
 *     app_print_critical_points(o, p)       --critical-points
 *     app_window_run(o, p)                  the interactive window (window.c)
 *     app_offscreen_run(o, p)               --screenshot, --bench (offscreen.c)
 *     app_record_run(o, p)                  --record: headless recording (record.c)
 *     app_figure_run(o, p)                  --figure: SVG/PDF of the 2-D view (figure.c)
 *     app_export_surface_run(o, p)          --export-surface: HDF5 or VTK grid (export.c)
 *     app_load_trajectory(o)                --trajectory: the recorded run (trajectory.c)
 *     app_interpolate_run(o, p)             --interpolate: loss along a line (interpolate.c)
 */
#ifndef LOSSCAPE_APP_H
#define LOSSCAPE_APP_H

#include <stdio.h>

#include "core/data.h"
#include "core/hessian.h"
#include "core/landscape.h"
#include "core/model.h"
#include "core/objective.h"
#include "core/scene.h"
#include "core/surface.h"
#include "core/trainer.h"

#define APP_MAX_CRITICAL 256

/* Exit statuses (DESIGN.md): bad input is 2, a run-time failure 1. */
enum { APP_EXIT_OK = 0, APP_EXIT_RUNTIME = 1, APP_EXIT_BAD_INPUT = 2 };

typedef struct app_options {
    scene scene;                 /* the scene with every command-line override applied */
    int headless;                /* --headless */
    long steps;                  /* --steps N (−1: not given) */
    const char *csv_path;        /* --csv FILE ("-" = stdout) */
    const char *batches_log;     /* --batches-log FILE */
    const char *params_out;      /* --params-out FILE.safetensors: each run's final θ (app_write_params) */
    const char *export_path;     /* --export-surface FILE.h5|FILE.vtp */
    int grid;                    /* --grid N (export; 0: 51) */
    int compute_landscape;       /* --compute-landscape: the export split over MPI ranks (mpi_grid.h) */
    int critical_points;         /* --critical-points */
    const char *record_path;     /* --record FILE */
    long frames;                 /* --frames N */
    int fps;                     /* --fps N (default 30) */
    int width, height;           /* --size WxH (default 1280×720) */
    int size_given;              /* 1 if --size was given */
    const char *screenshot_path; /* --screenshot FILE.png */
    long bench_frames;           /* --bench N (0: not given) */
    double bench_orbit;          /* --bench-orbit DEG: camera yaw per bench frame (0: still) */
    int bench_orbit_given;
    int bench_surface;           /* --bench-surface */
    const char *title;           /* --title TEXT (NULL: the scene's) */
    const char *figure_path;     /* --figure FILE.svg|FILE.pdf */
    double figure_w, figure_h;   /* --figure-size in points (0: defaults) */
    int figure_size_given;
    int quality;                 /* --quality: rec_quality (record/recorder.h), 0 standard */
    int lang_zh;                 /* --lang zh (default: a zh* locale): captions in Chinese */
    int lesson_mode;             /* --lesson [NAME]: the lessons in order (window) */
    long sharpness_every;        /* --sharpness N (0: not given; the scene key `sharpness` then decides) */
    int probe_given;             /* --probe X,Y */
    double probe[2];
    double speed;                /* --speed S: window steps per second (0: 60 × steps_per_frame) */
    int present;                 /* --present: presentation mode */
    const char *trajectory_path; /* --trajectory FILE.h5 (loss-landscape's plot_trajectory.py) */
    /* the recorded run read from it by main (app_load_trajectory) before any mode starts:
     * traj_n points (a, b) of the view plane, drawn beside the live runs; NULL: none */
    double *traj_xy;
    int traj_n;
    char traj_label[96];         /* its legend label: the file's name */
    /* --interpolate (interpolate.c): the loss along (1 − t)·θ₀ + t·θ₁ */
    int interp;                  /* 1: --interpolate given */
    const char *interp_from, *interp_to;   /* the two safetensors files; NULL: a run's ends */
    int interp_run;              /* run (0-based) whose start and end are θ₀, θ₁ (run form) */
    double interp_t0, interp_t1; /* --interpolate-range (default −0.5, 1.5) */
    int interp_n;                /* points, ends included (default 81) */
    const char *interp_csv;      /* --interpolate-csv FILE ('-' = stdout) */
    /* what the curve view draws besides the train loss, set by app_interpolate_run
     * before the window or screenshot opens: the train and test loss at interp_t[k]
     * (interp_test NULL: no test set) and the names of the two ends */
    const double *interp_t, *interp_train, *interp_test;
    int interp_npts;
    char interp_name[2][96];
} app_options;

#define APP_SERIES_CAP 1024      /* test-metric samples kept per run (thinned like the trainer's history) */

/* Metrics of one run, sampled every eval_every steps (synchronous path) or whenever
 * the background metrics worker delivers them (metrics.h). */
typedef struct app_series {
    int count;                   /* samples held */
    long stride;                 /* record every stride-th sample time */
    long step[APP_SERIES_CAP];   /* trainer step of each sample */
    double test_loss[APP_SERIES_CAP];
    double test_acc[APP_SERIES_CAP];   /* classification accuracy; 0 for regression */
    double train_acc[APP_SERIES_CAP];
    double train_loss[APP_SERIES_CAP]; /* full-data training loss; NaN where not known */
} app_series;

#define APP_SHARP_CAP 512        /* sharpness samples kept per run (thinned the same way) */

/* The top Hessian eigenvalue of one run, sampled every sharp_every steps (--sharpness). */
typedef struct app_sharp {
    int count;                   /* samples held */
    long stride;                 /* record every stride-th sample time */
    long step[APP_SHARP_CAP];
    double value[APP_SHARP_CAP]; /* NaN where it could not be computed */
    unsigned char pend[APP_SHARP_CAP];   /* 1: asked for (sharp_request), no value yet */
} app_sharp;

struct app_problem;
/* Where a sharpness sample is computed later (the window's worker, sharpw.h): asked
 * for run `run` at its current θ and moving averages, which it copies now; returns 0
 * when it cannot take it (the sample is then not taken). */
typedef int (*app_sharp_request_fn)(void *ctx, const struct app_problem *p, int run, long step);

typedef struct app_problem {
    int is_data;                 /* 0: a 2-D surface; 1: a model on a data set */
    int n;                       /* parameters */
    surface surf;                /* surface problems: the surface (analytic or formula) */
    surface_domain domain;       /* plotting domain in plane coordinates (a, b) */
    objective obj;               /* what the trainer steps on */
    double start[2];             /* start point in plane coordinates */
    double *theta0;              /* start point in parameter space (n), owned */
    trainer *trainer;            /* owned */
    int n_runs;
    optim_desc opts[TRAINER_MAX_RUNS];  /* each run's desc as configured (lr override applied) */
    run_settings runs[TRAINER_MAX_RUNS]; /* each run's own batch, schedule and label */
    /* The scene's timeline (timeline.h): trainer events are applied here, by
     * app_problem_step, the same for every mode; the window applies the others. */
    int n_events;
    timeline_event events[TIMELINE_MAX];
    int next_event;              /* first event not fired yet */
    int fired_from, fired_to;    /* events fired by the last step (or create / restart) */
    optim_desc opts0[TRAINER_MAX_RUNS];  /* the runs as built, for a restart of a timeline */
    int batch0;
    critical_point crit[APP_MAX_CRITICAL];
    int n_crit;                  /* −1 until computed (app_problem_critical_points) */
    /* Data problems */
    dataset *train, *test;       /* owned; test NULL when --split 0 */
    model *model;                /* owned */
    model_objective_ctx mctx;    /* what obj reads */
    double *aux0;                /* moving averages from the scene's params file; NULL: the model's */
    loss_kind loss;
    plane *plane;                /* owned: the viewing plane θ = origin + a·d1 + b·d2 */
    int eval_every;              /* steps between test-metric samples */
    app_series *series;          /* n_runs series, owned; NULL for surfaces */
    long sharp_every;            /* steps between sharpness samples; 0: none taken */
    app_sharp *sharp;            /* n_runs, owned; NULL until app_problem_set_sharpness */
    app_sharp_request_fn sharp_request;  /* data problems: samples computed elsewhere; NULL: now */
    void *sharp_ctx;
    unsigned long sharp_gen;     /* bumped when the samples start again: older answers are dropped */
    int metrics_async;           /* 1: the metrics worker samples the series (metrics.h);
                                  * app_problem_step samples nothing, the trainer is lazy */
    long metrics_step;           /* metrics_async: trainer step of the newest sample, −1 none */
} app_problem;

/* The compare layout's second scene: sc with its `compare` overrides, or by default
 * the counterpart that teaches something (classification data: the other loss;
 * regression data: standardize toggled). Returns 1 with *out and the two panels'
 * labels, 0 when there is no second problem (a surface without `compare`: the
 * window shows the other height scale instead), −1 with err on a bad override.
 * The labels are the scene's panel_label and compare_label (their _zh forms when zh
 * and given) where it has them, else words for the default counterpart, or "this
 * scene" and "compare: " with the overrides. */
int app_compare_scene(const scene *sc, const app_problem *p, int zh, scene *out, char label[2][160],
                      diag *err);

/* Build the problem a scene describes. Returns 1, or 0 with err->msg (bad input). */
int app_problem_create(app_problem *p, const scene *sc, diag *err);
void app_problem_destroy(app_problem *p);

/* One trainer step of every run, then the test metrics when they are due. Returns
 * the number of runs that moved. Every mode steps through this. */
int app_problem_step(app_problem *p);
/* Run i alone one update (the narrated step), parts filled from the update taken. */
int app_problem_step_run(app_problem *p, int i, optim_parts *parts);

/* Make the view plane the top two principal directions of every run's trajectory so
 * far (through θ0), and fit the domain to them. Data problems with more than two
 * parameters only; returns 1 if the plane changed. */
int app_problem_plane_pca(app_problem *p);
/* What app_problem_plane_pca computes, from count points (rows of n) through theta0:
 * the plane of their top two principal directions and a domain holding their
 * projections with a margin. Returns 1 with *out (owned by the caller) and *dom, or 0
 * (out of memory). Touches no problem: the background plane fit runs it. */
int app_plane_pca_fit(const double *theta0, int n, const double *pts, int count, plane **out,
                      surface_domain *dom);
/* Make pl (taken over) the view plane with domain dom; the start is its origin. */
void app_problem_set_plane(app_problem *p, plane *pl, surface_domain dom);

/* Largest eigenvalue of the Hessian of the full objective at run i's point (the
 * sharpness; Lanczos on Hessian-vector products for models, exact for surfaces).
 * NaN when it cannot be computed. */
double app_problem_sharpness(const app_problem *p, int i);
/* The same at a given θ and moving averages (aux; NULL without), for data problems. */
double app_problem_sharpness_at(const app_problem *p, const double *theta, const double *aux);
/* The value of a sample asked for through p->sharp_request: if run `run` still has a
 * pending sample of step `step` of generation gen, it gets value. */
void app_problem_sharp_answer(app_problem *p, unsigned long gen, int run, long step, double value);

/* Sample every run's sharpness every `every` steps from now on (and now), for the
 * window's sharpness plot; 0 stops sampling and frees the samples. Returns 1, or 0 if
 * out of memory (then nothing is sampled). */
int app_problem_set_sharpness(app_problem *p, long every);

/* Sample the test metrics of every run now (data problems). */
void app_problem_step_metrics(app_problem *p);
/* Append one sample of run i's metrics at trainer step `step` to its series (when
 * full, every other sample is dropped and later ones come half as often). */
void app_problem_push_metrics(app_problem *p, int i, long step, double train_loss,
                              double train_acc, double test_loss, double test_acc);

/* Restart every run from plane point (x, y), keeping hyper-parameters. */
void app_problem_restart(app_problem *p, double x, double y);

/* The 2-D view of the problem, in plane coordinates (a, b); for a surface (a, b)
 * = (x, y). These are what the renderer draws from, so that a textbook surface and a
 * model's loss on data look the same to it.
 *
 * app_problem_eval_grid: values on an nx × ny grid spanning dom, corners included,
 * values[j*nx + i] at a = xmin + i·(xmax−xmin)/(nx−1), b = ymin + j·(ymax−ymin)/(ny−1).
 * batch_only = 1 evaluates on the current mini-batch of run 0 instead of the full data
 * (no difference for surfaces). Returns 1, or 0 if out of memory. */
int app_problem_eval_grid(app_problem *p, surface_domain dom, int nx, int ny, int batch_only,
                          double *values);

/* Value, gradient and Hessian (either may be NULL) of the view at (a, b). */
double app_problem_eval_point(app_problem *p, double a, double b, double grad[2], double hess[4]);

/* The name run i is shown under (legend, CSV `run` column): runspec.h run_label. */
void app_problem_run_label(const app_problem *p, int i, char *buf, int size);

/* The axis names of the view plane: x and y on a surface; on a data problem's plane
 * the two parameters' names (a two-parameter model, or plane = params: i, j: w1, b,
 * l1.W[0,1]), the principal directions (plane = pca: "PC 1 (83% of variance)", brief:
 * "PC1") or the random directions (plane = random, the filter-normalized directions of
 * Li et al.'s loss-landscape plots; brief: "δ1"). brief: short enough for a map's
 * corner (the window); else a figure's axis title. Defined in fields.c. */
void app_problem_axis_names(const app_problem *p, int brief, char x[64], char y[64]);

/* 1 if the problem's loss depends on x alone (a 1-D loss-landscape file): the window,
 * --screenshot and --record draw it as a curve, not a surface. */
int app_problem_is_curve(const app_problem *p);

/* Plane coordinates of a parameter vector θ (n numbers): (x, y) for a surface. */
void app_problem_project(const app_problem *p, const double *theta, double ab[2]);

/* Compute (once) and return the critical points in the domain. */
int app_problem_critical_points(app_problem *p);

/* The modes; each returns an exit status. */
int app_headless_run(const app_options *o, app_problem *p);
int app_print_critical_points(const app_options *o, app_problem *p);
int app_print_probe(const app_options *o, app_problem *p);   /* --probe X,Y (probe.c) */
int app_window_run(const app_options *o, app_problem *p);
/* --screenshot FILE (after --steps, then LOSSCAPE_REPLAY_KEYS) or --bench N: the
 * window mode drawn offscreen at --size. */
int app_offscreen_run(const app_options *o, app_problem *p);

/* --record FILE --frames N: opens the output (record/recorder.h; bad path → 2,
 * ffmpeg missing or unwritable folder → 1), renders N frames offscreen at --size,
 * steps_per_frame optimizer steps between frames (frame 0 is the start), and
 * finishes the file atomically. SIGINT/SIGTERM stop it, remove every output and
 * give exit status 130/143. */
int app_record_run(const app_options *o, app_problem *p);

/* --figure FILE.svg|FILE.pdf: run --steps N, write the 2-D view as a vector figure
 * (record/figure.h). No window or GL. 0, 2 bad input, 1 run-time failure. */
int app_figure_run(const app_options *o, app_problem *p);

/* The title to show for sc: --title when given, else title_zh with --lang zh when
 * the scene has one, else title (may be ""). */
const char *app_title(const app_options *o, const scene *sc);

/* The caption to show for sc in the chosen language: caption_zh with --lang zh when
 * the scene has one, else caption; NULL when there is none. */
const char *app_caption(const app_options *o, const scene *sc);

/* Steps between sharpness samples for sc: --sharpness N when given, else the scene
 * key `sharpness` (0: none). */
long app_sharpness_every(const app_options *o, const scene *sc);

/* 1 if the locale (LC_ALL, LC_MESSAGES, LANG, in that order) is Chinese. */
int app_locale_is_zh(void);

/* --keys: the window's key table, one line per key (generated from the table). */
void app_print_keys(FILE *f);

/* --bench-surface: grid-evaluation figures (needs no problem). */
int app_bench_surface(void);

/* --trajectory: read o->trajectory_path into o->traj_xy / traj_n / traj_label. Returns
 * 1, or 0 after printing the one-line reason naming the dataset (bad input). Freed by
 * app_free_trajectory. */
int app_load_trajectory(app_options *o);
void app_free_trajectory(app_options *o);

/* --interpolate (interpolate.c): the losses and accuracies of data problem p along
 * θ(t) = (1 − t)·θ₀ + t·θ₁ (core/interp.h) at o->interp_n points from interp_t0 to
 * interp_t1; θ₀, θ₁ from two safetensors files, or run interp_run's start and end
 * after --steps N. Writes --interpolate-csv; then, unless --headless, shows the
 * curve (window, --screenshot, --record) as a 1-D surface through the points. o is
 * changed only in its interp_t/interp_test/interp_npts/interp_name fields and title. */
int app_interpolate_run(app_options *o, app_problem *p);

/* A surface problem from a grid already made (a curve: ny = 1): like a --landscape
 * file, with sc's runs, start and domain where given. Takes g. Returns 1, or 0 with err. */
int app_problem_create_grid(app_problem *p, const scene *sc, gridsurf *g, const char *name,
                            diag *err);

/* --params-out (headless.c): every run's parameters and running statistics now, as
 * PyTorch state dicts; one run to the path itself, several to app_params_path's
 * names. Nothing without --params-out or for a surface. Returns an exit status
 * (1 with one line when a file cannot be written). Headless, --screenshot and --record
 * call it after their steps, the window when it is closed. */
int app_write_params(const app_options *o, const app_problem *p);
/* Run i's file of n: path itself when n = 1 and it has no "%d"; else "%d" replaced
 * by i + 1, or "-K" (K = i + 1) put before the extension: out.safetensors ->
 * out-1.safetensors. */
void app_params_path(const char *path, int i, int n, char *buf, size_t size);

/* --export-surface: the loss on an N×N grid over the view's domain (export.c). */
int app_export_surface_run(const app_options *o, app_problem *p);

#endif
