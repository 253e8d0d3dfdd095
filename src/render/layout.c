/*
 * layout.c — panel rectangles.
 */
#include "render/layout.h"

#include <math.h>

render_rect layout_fit_aspect(render_rect r, float aspect)
{
    render_rect o = r;
    if (r.w / r.h > aspect) {
        o.w = r.h * aspect;
        o.x = r.x + (r.w - o.w) * 0.5f;
    } else {
        o.h = r.w / aspect;
        o.y = r.y + (r.h - o.h) * 0.5f;
    }
    return o;
}

int layout_compute(int w, int h, scene_view view, scene_layout layout, int n_runs,
                   const int *runs, int side, layout_panel out[LAYOUT_MAX_PANELS],
                   render_rect *side_rect)
{
    render_rect data_rect;
    return layout_compute_ex(w, h, view, layout, n_runs, runs, side, 0, out, side_rect, &data_rect);
}

int layout_compute_ex(int w, int h, scene_view view, scene_layout layout, int n_runs,
                      const int *runs, int side, int data, layout_panel out[LAYOUT_MAX_PANELS],
                      render_rect *side_rect, render_rect *data_rect)
{
    float sw = side ? (float)w * 0.28f : 0.0f;
    if (side && sw < 260)
        sw = w > 520 ? 260.0f : (float)w * 0.5f;
    render_rect main = { 0, 0, (float)w - sw, (float)h };
    *side_rect = (render_rect){ (float)w - sw, 0, sw, (float)h };
    *data_rect = (render_rect){ 0, 0, 0, 0 };
    if (data) {
        float dw = fminf(0.42f * (float)h, 0.34f * main.w);
        main.w -= dw;
        *data_rect = (render_rect){ main.x + main.w, 0, dw, (float)h };
    }
    int n = 0;
    if (layout == SCENE_LAYOUT_PANELS && n_runs > 0) {
        int cols = 1, rows = 1;
        /* the grid whose cells are closest to square */
        float best = 1e30f;
        for (int c = 1; c <= n_runs; c++) {
            int r = (n_runs + c - 1) / c;
            float cw = main.w / c, ch = main.h / r;
            float score = fabsf(logf(cw / ch)) + 0.05f * (float)(c * r - n_runs);
            if (score < best) {
                best = score;
                cols = c;
                rows = r;
            }
        }
        for (int i = 0; i < n_runs && n < LAYOUT_MAX_PANELS; i++) {
            int cx = i % cols, cy = i / cols;
            out[n++] = (layout_panel){
                { main.x + main.w * cx / cols, main.y + main.h * cy / rows, main.w / cols,
                  main.h / rows },
                view == SCENE_VIEW_3D, runs[i], 0 };
        }
        return n;
    }
    if (layout == SCENE_LAYOUT_COMPARE) {
        for (int k = 0; k < 2; k++)
            out[n++] = (layout_panel){ { main.x + main.w * 0.5f * k, main.y, main.w * 0.5f, main.h },
                                       view == SCENE_VIEW_3D, -1, k };
        return n;
    }
    if (view == SCENE_VIEW_SPLIT) {
        out[n++] = (layout_panel){ { main.x, main.y, main.w * 0.5f, main.h }, 0, -1, 0 };
        out[n++] = (layout_panel){ { main.x + main.w * 0.5f, main.y, main.w * 0.5f, main.h }, 1, -1, 0 };
        return n;
    }
    out[n++] = (layout_panel){ main, view == SCENE_VIEW_3D, -1, 0 };
    return n;
}

int layout_data_below(render_rect *map, render_rect *data, float aspect, float mw, float mh, float min_data_h)
{
    if (!(aspect > 0) || data->w <= 0)
        return 0;
    render_rect side = layout_fit_aspect((render_rect){ 0, 0, map->w - mw, map->h - mh }, aspect);
    float w = map->w + data->w, mapw = w - mw, maph = mapw / aspect;
    if (maph + mh > map->h - min_data_h) {   /* the strip's least height first */
        maph = map->h - min_data_h - mh;
        mapw = maph * aspect;
    }
    if (maph <= 0 || mapw * maph < 1.2f * side.w * side.h)
        return 0;
    float h = map->h;
    map->w = w;
    map->h = maph + mh;
    *data = (render_rect){ map->x, map->y + map->h, w, h - map->h };
    return 1;
}
