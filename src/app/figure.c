/*
 * figure.c — --figure FILE.svg|FILE.pdf: run --steps N (default: the scene's
 * steps, else 200) like --screenshot, then hand the 2-D view (the grid the window
 * samples, the trajectories, the scene's title and caption, the plane's axis names)
 * to record/figure.h.
 * Needs no GL and no window. A PCA plane (data problems, plane = pca) is fitted to
 * the whole trajectories once at the end.
 *
 * Exit statuses: 0 written; 2 bad input (extension, missing folder, a size that
 * leaves no room); 1 a run-time failure (unwritable folder, disk full). Nothing is
 * left under the name on failure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app/app.h"
#include "core/landscape.h"
#include "core/model.h"
#include "core/optim.h"
#include "record/figure.h"
#include "render/renderer.h"

#define FIGURE_GRID 256   /* the window's height-texture size: the same samples */

int app_figure_run(const app_options *o, app_problem *p)
{
    long steps = o->steps >= 0 ? o->steps : (o->scene.steps > 0 ? o->scene.steps : 200);
    for (long k = 0; k < steps; k++)
        app_problem_step(p);
    if (o->scene.plane_kind == SCENE_PLANE_PCA && p->is_data && p->n > 2)
        app_problem_plane_pca(p);

    unsigned ov = o->scene.overlays;
    /* as the window: a built-in surface that reads better on a log scale gets it
     * unless the overlays were chosen */
    if (!p->is_data && p->surf.kind < SURFACE_FORMULA && surface_info_get(p->surf.kind)->log_scale &&
        ov == SCENE_OVERLAY_DEFAULT)
        ov |= SCENE_OVERLAY_LOG;

    int status = APP_EXIT_RUNTIME;
    int nr = trainer_run_count(p->trainer);
    double *grid = malloc((size_t)FIGURE_GRID * FIGURE_GRID * sizeof *grid);
    figure_run *runs = calloc((size_t)(nr > 0 ? nr : 1), sizeof *runs);
    double **xy = calloc((size_t)(nr > 0 ? nr : 1), sizeof *xy);
    if (!grid || !runs || !xy || !app_problem_eval_grid(p, p->domain, FIGURE_GRID, FIGURE_GRID, 0, grid)) {
        fprintf(stderr, "losscape: --figure: out of memory\n");
        goto out;
    }
    for (int i = 0; i < nr; i++) {
        const trainer_run *run = trainer_run_get(p->trainer, i);
        int n = 0;
        const trainer_point *h = trainer_history(p->trainer, i, &n);
        (void)h;
        xy[i] = malloc((size_t)(n > 0 ? n : 1) * 2 * sizeof *xy[i]);
        if (!xy[i]) {
            fprintf(stderr, "losscape: --figure: out of memory\n");
            goto out;
        }
        for (int j = 0; j < n; j++)
            app_problem_project(p, trainer_history_theta(p->trainer, i, j), &xy[i][2 * j]);
        runs[i] = (figure_run){ .name = optim_kind_name(optim_desc_get(run->opt)->kind),
                                .color = render_run_color(p->trainer, i), .xy = xy[i], .n = n, .loss = run->loss,
                                .diverged = run->diverged };
    }
    figure_desc d = {
        .path = o->figure_path, .width_pt = o->figure_w, .height_pt = o->figure_h, .dom = p->domain,
        .grid = grid, .nx = FIGURE_GRID, .ny = FIGURE_GRID, .log_scale = (ov & SCENE_OVERLAY_LOG) != 0,
        .colormap = o->scene.colormap, .contours = (ov & SCENE_OVERLAY_CONTOURS) != 0,
        .runs = runs, .n_runs = nr, .title = app_title(o, &o->scene),
        .caption = app_caption(o, &o->scene),
        /* a paper's page unless the dark theme was asked for (--theme dark, a scene's
         * theme = dark): the window's default is dark, a figure's light */
        .dark = o->scene.has_theme && o->scene.theme == 0,
    };
    char xlabel[64], ylabel[64];
    app_problem_axis_names(p, 0, xlabel, ylabel);
    d.xlabel = xlabel;
    d.ylabel = ylabel;
    char err[600];
    int bad = 0;
    if (!figure_write(&d, err, sizeof err, &bad)) {
        fprintf(stderr, "losscape: --figure: %s\n", err);
        status = bad ? APP_EXIT_BAD_INPUT : APP_EXIT_RUNTIME;
        goto out;
    }
    status = APP_EXIT_OK;
out:
    for (int i = 0; xy && i < nr; i++)
        free(xy[i]);
    free(xy);
    free(runs);
    free(grid);
    return status;
}
