/*
 * main.c — losscape's entry point: parse the command line, build the problem,
 * run the chosen mode, turn the outcome into an exit status
 * (0 success, 2 bad input, 1 run-time failure).
 */
#include <stdio.h>
#include <stdlib.h>

#include "app/app.h"
#include "app/bgthread.h"
#include "render/i18n.h"
#include "app/cli.h"
#include "app/mpi_grid.h"

int main(int argc, char **argv)
{
    app_malloc_tune();   /* (bgthread.h) */
    /* app_options holds a whole scene (a formula buffer): keep it off the stack. */
    app_options *o = calloc(1, sizeof *o);
    app_problem *p = calloc(1, sizeof *p);
    if (!o || !p) {
        fprintf(stderr, "losscape: out of memory\n");
        return APP_EXIT_RUNTIME;
    }
    int status = APP_EXIT_OK;
    cli_action act = cli_parse(argc, argv, o);
    if (act != CLI_ERROR)
        i18n_init(o->lang_zh);   /* the window's own words (--lang zh), --keys too */
    switch (act) {
    case CLI_ERROR: status = APP_EXIT_BAD_INPUT; goto done;
    case CLI_HELP: cli_print_help(stdout); goto done;
    case CLI_VERSION: printf("losscape %s\n", LOSSCAPE_VERSION); goto done;
    case CLI_LIST_SCENES: cli_list_scenes(stdout); goto done;
    case CLI_LIST_SURFACES: cli_list_surfaces(stdout); goto done;
    case CLI_KEYS: app_print_keys(stdout); goto done;
    case CLI_RUN: break;
    }
    if (o->compute_landscape) {   /* builds the problem on every MPI rank itself */
        status = app_compute_landscape_run(o, p);
        goto done;
    }
    diag err = { 0 };
    if (!app_problem_create(p, &o->scene, &err)) {
        fprintf(stderr, "losscape: %s\n", err.msg);
        status = APP_EXIT_BAD_INPUT;
        goto done;
    }
    if (o->trajectory_path && !app_load_trajectory(o)) {
        status = APP_EXIT_BAD_INPUT;
        app_problem_destroy(p);
        goto done;
    }
    /* the window's sharpness plot (headless writes its own column, headless.c) */
    if (!o->headless && app_sharpness_every(o, &o->scene) > 0 &&
        !app_problem_set_sharpness(p, app_sharpness_every(o, &o->scene))) {
        fprintf(stderr, "losscape: out of memory\n");
        status = APP_EXIT_RUNTIME;
        app_problem_destroy(p);
        goto done;
    }
    if (o->interp)
        status = app_interpolate_run(o, p);
    else if (o->export_path)
        status = app_export_surface_run(o, p);
    else if (o->headless)
        status = app_headless_run(o, p);
    else if (o->critical_points)
        status = app_print_critical_points(o, p);
#ifdef LOSSCAPE_NO_RECORDER
    /* the browser build has no recorder, libpng or cairo (cmake/web.cmake); the page
     * records the canvas (F9) and saves PNGs (F12) itself */
    else if (o->record_path || o->screenshot_path || o->figure_path) {
        fprintf(stderr, "losscape: %s is not available in the browser build\n",
                o->record_path ? "--record" : o->screenshot_path ? "--screenshot" : "--figure");
        status = APP_EXIT_BAD_INPUT;
    }
#else
    else if (o->figure_path)
        status = app_figure_run(o, p);
    else if (o->probe_given)
        status = app_print_probe(o, p);
    else if (o->record_path)
        status = app_record_run(o, p);
#endif
    else if (o->bench_surface) {
        status = app_bench_surface();
    } else if (o->screenshot_path || o->bench_frames > 0)
        status = app_offscreen_run(o, p);
    else
        status = app_window_run(o, p);
    app_problem_destroy(p);
done:
    app_free_trajectory(o);
    free(o);
    free(p);
    return status;
}
