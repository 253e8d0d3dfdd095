/*
 * layout.h — where things go in the window: pure CPU rectangle arithmetic, no GL.
 *
 * The window is split into a main area (one or more surface panels) and, when the
 * legend or the plot is shown, a side column on the right. Rectangles are in
 * framebuffer pixels, origin at the top left.
 *
 * Index
 *     render_rect, render_rect_contains(r, x, y)
 *     layout_panel                  a panel: its rectangle, 2-D or 3-D, which run (−1: all)
 *     LAYOUT_MAX_PANELS
 *     layout_compute(w, h, view, layout, n_runs, runs, side, out, side_rect)
 *     layout_compute_ex(..., data, out, side_rect, data_rect)   with the data strip
 *     layout_fit_aspect(r, aspect)  the largest rectangle of that aspect centred in r
 *     layout_data_below(map, data, aspect, mw, mh, min_data_h)   a strip's data under it
 */
#ifndef LOSSCAPE_RENDER_LAYOUT_H
#define LOSSCAPE_RENDER_LAYOUT_H

#include "core/scene.h"

#define LAYOUT_MAX_PANELS 16

typedef struct render_rect {
    float x, y, w, h;     /* pixels, top-left origin */
} render_rect;

static inline int render_rect_contains(render_rect r, float x, float y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

typedef struct layout_panel {
    render_rect rect;     /* the whole panel */
    int is3d;             /* 1: 3-D view, 0: 2-D map */
    int run;              /* run drawn in it; −1: all runs */
    int problem;          /* 0: the main problem; 1: the second one (compare) */
} layout_panel;

/* Panels for a w × h framebuffer. `runs` lists the n_runs run indices that get a
 * panel in the panels layout. side = 1 reserves the right-hand column (returned in
 * *side_rect, else zero size). Returns the number of panels written to out. */
int layout_compute(int w, int h, scene_view view, scene_layout layout, int n_runs,
                   const int *runs, int side, layout_panel out[LAYOUT_MAX_PANELS],
                   render_rect *side_rect);

/* The same; data = 1 also takes a strip off the right of the main area for the
 * data panel (*data_rect: about a third of the height wide, at most 34% of the main
 * area; zero size when data = 0). */
int layout_compute_ex(int w, int h, scene_view view, scene_layout layout, int n_runs,
                      const int *runs, int side, int data, layout_panel out[LAYOUT_MAX_PANELS],
                      render_rect *side_rect, render_rect *data_rect);

render_rect layout_fit_aspect(render_rect r, float aspect);

/* A wide 2-D map (a strip: features-unscaled, minibatch-noise) beside the data
 * column leaves most of its panel's height empty. Given the one panel *map and the
 * data column *data beside it (layout_compute_ex), a map of width/height `aspect`
 * drawn inside margins of mw × mh pixels: when the map would be at least 20 % larger
 * (in area) with the data strip moved under it, across the whole width, and the strip
 * keeps at least min_data_h pixels, moves it there (*map: the full width, as tall as
 * the map needs; *data: the rest below) and returns 1; else changes nothing, 0. */
int layout_data_below(render_rect *map, render_rect *data, float aspect, float mw, float mh, float min_data_h);

#endif
