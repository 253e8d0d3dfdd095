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
 *     app_window_run(o, p)                  the interactive window (render layer)
 */
#ifndef LOSSCAPE_APP_H
#define LOSSCAPE_APP_H

#include <stdio.h>

#include "core/hessian.h"
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
    int critical_points;         /* --critical-points */
    const char *record_path;     /* --record FILE */
    long frames;                 /* --frames N */
    int fps;                     /* --fps N (default 30) */
    int width, height;           /* --size WxH (default 1280×720) */
    int size_given;              /* 1 if --size was given */
    const char *screenshot_path; /* --screenshot FILE.png */
    long bench_frames;           /* --bench N (0: not given) */
    int bench_surface;           /* --bench-surface */
    const char *title;           /* --title TEXT (NULL: the scene's) */
} app_options;

typedef struct app_problem {
    surface surf;                /* the 2-D surface (analytic or formula) */
    surface_domain domain;       /* plotting domain (scene's, else the surface's) */
    objective obj;               /* view of surf as an objective */
    double start[2];             /* start point of every run */
    trainer *trainer;            /* owned */
    int n_runs;
    optim_desc opts[TRAINER_MAX_RUNS];  /* each run's desc as configured (lr override applied) */
    critical_point crit[APP_MAX_CRITICAL];
    int n_crit;                  /* −1 until computed (app_problem_critical_points) */
} app_problem;

/* Build the problem a scene describes. Returns 1, or 0 with err->msg (bad input). */
int app_problem_create(app_problem *p, const scene *sc, diag *err);
void app_problem_destroy(app_problem *p);

/* Restart every run from (x, y), keeping hyper-parameters. */
void app_problem_restart(app_problem *p, double x, double y);

/* Compute (once) and return the critical points in the domain. */
int app_problem_critical_points(app_problem *p);

/* The modes; each returns an exit status. */
int app_headless_run(const app_options *o, app_problem *p);
int app_print_critical_points(const app_options *o, app_problem *p);
int app_window_run(const app_options *o, app_problem *p);

#endif
