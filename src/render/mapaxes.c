/*
 * mapaxes.c — the 2-D map's frame, tick labels and axis names, and the labels on
 * its major contour lines.
 *
 * Drawn into r->hud after the panel's world overlays (world_draw_panel), so the
 * contour labels can stay off the markers and marks that pass placed (r->marks,
 * r->clear). Reads the renderer's surface and font; owns nothing.
 */
#include "render/render_internal.h"

#include <math.h>
#include <stdio.h>

/* The y ticks' step on a map `h` pixels tall (mapaxes_draw). */
static double y_tick_step(const renderer *r, surface_domain d, float h)
{
    return rd_nice_step(d.ymax - d.ymin, (int)fmaxf(3, h / (rd_em(r) * 3)));
}

/* The widest y tick label on a map `h` pixels tall: the labels mapaxes_draw draws. */
static float y_ticks_width(const renderer *r, surface_domain d, float h)
{
    double st = y_tick_step(r, d, h);
    float w = 0;
    char buf[32];
    for (double v = ceil(d.ymin / st - 1e-9) * st; v <= d.ymax + st * 1e-9; v += st) {
        snprintf(buf, sizeof buf, "%g", fabs(v) < st * 1e-6 ? 0 : v);
        w = fmaxf(w, text_width(r->font, TEXT_SMALL, buf));
    }
    return w;
}

/* The room left of a map `h` pixels tall that its y tick labels and, left of the top
 * one, the y axis' name take (mapaxes_draw's placement), plus 2 px to the panel's edge. */
float mapaxes_y_room(const renderer *r, surface_domain d, float h, const char *yn)
{
    yn = yn && *yn ? yn : "y";
    return rd_em(r) * 0.35f + 3 + y_ticks_width(r, d, h) + rd_em(r) * 0.4f + text_width(r->font, TEXT_SMALL, yn) +
           2;
}

/* The map's frame, ticks and labels, and the axes' names (xn, yn: the field's, e.g.
 * w1 and b on a regression's plane; NULL: x, y). */
void mapaxes_draw(renderer *r, render_rect m, surface_domain d, const char *xn, const char *yn)
{
    prims *h = r->hud;
    float tick = rd_em(r) * 0.35f;
    float lh = text_line_height(r->font, TEXT_SMALL);
    prim_pt frame[5] = { { m.x, m.y, 0, COL_AXIS }, { m.x + m.w, m.y, 0, COL_AXIS },
                         { m.x + m.w, m.y + m.h, 0, COL_AXIS }, { m.x, m.y + m.h, 0, COL_AXIS },
                         { m.x, m.y, 0, COL_AXIS } };
    prims_polyline(h, frame, 5, 1.2f);
    char buf[32];
    float yw = 0;   /* widest y tick label */
    for (int ax = 0; ax < 2; ax++) {
        double lo = ax == 0 ? d.xmin : d.ymin, hi = ax == 0 ? d.xmax : d.ymax;
        double st = ax == 0 ? rd_nice_step(hi - lo, (int)fmaxf(3, m.w / (rd_em(r) * 5))) : y_tick_step(r, d, m.h);
        for (double v = ceil(lo / st - 1e-9) * st; v <= hi + st * 1e-9; v += st) {
            double vv = fabs(v) < st * 1e-6 ? 0 : v;
            snprintf(buf, sizeof buf, "%g", vv);
            if (ax == 0) {
                float x = m.x + (float)((v - lo) / (hi - lo)) * m.w;
                prims_line(h, x, m.y + m.h, x, m.y + m.h + tick, 1.2f, COL_AXIS);
                text_draw(r->font, h, TEXT_SMALL, x, m.y + m.h + tick, buf, COL_DIM, TEXT_CENTER);
            } else {
                float y = m.y + m.h - (float)((v - lo) / (hi - lo)) * m.h;
                prims_line(h, m.x - tick, y, m.x, y, 1.2f, COL_AXIS);
                /* the lowest one ends above the x tick labels */
                float ty = fminf(y - lh * 0.5f, m.y + m.h + tick - lh - 2);
                yw = fmaxf(yw, text_draw(r->font, h, TEXT_SMALL, m.x - tick - 3, ty, buf, COL_DIM, TEXT_RIGHT));
            }
        }
    }
    /* the axis names clear of the tick labels: x below the last one, y left of the top one */
    xn = xn && *xn ? xn : "x";
    yn = yn && *yn ? yn : "y";
    text_draw(r->font, h, TEXT_SMALL, m.x + m.w, m.y + m.h + tick + lh * 1.05f, xn, COL_DIM,
              TEXT_RIGHT);
    float yx = m.x - tick - 3 - yw - rd_em(r) * 0.4f;
    if (yx - text_width(r->font, TEXT_SMALL, yn) >= 0)
        text_draw(r->font, h, TEXT_SMALL, yx, m.y - lh * 0.5f, yn, COL_DIM, TEXT_RIGHT);
    else
        text_draw(r->font, h, TEXT_SMALL, m.x - tick - 3, m.y - lh * 1.6f, yn, COL_DIM, TEXT_RIGHT);
}

/* Value of normalised height t (inverse of render_surface_norm). */
static double unnorm(const renderer *r, double t)
{
    double lo, hi;
    render_surface_range(r->rs, &lo, &hi);
    if (!r->log)
        return lo + t * (hi - lo);
    double e = (hi - lo) * 1e-4;
    return lo + exp(log(e) + t * (log(hi - lo + e) - log(e))) - e;
}

/* 1 if label box b lies on a key point of panel ps: a run's marker drawn this frame
 * (its disc and selection ring) or a mark the markers' pass reserved (r->clear:
 * critical points, the probe, the named minima; marks_reserved), with `gap` pixels
 * to spare (issue 9: saddle's "0" lay on the saddle's ×, himmelblau's "0.8046" on
 * a minimum). marks_draw_runs ran before. */
static int label_on_key_point(const renderer *r, const panel_state *ps, render_rect b, float gap)
{
    int panel = (int)(ps - r->panels);
    float mr = rd_em(r) * 0.42f + 6.0f;   /* a marker's radius and selection ring */
    for (int k = 0; k < r->n_marks; k++)
        if (r->marks[k].panel == panel && r->marks[k].x > b.x - mr && r->marks[k].x < b.x + b.w + mr &&
            r->marks[k].y > b.y - mr && r->marks[k].y < b.y + b.h + mr)
            return 1;
    for (int k = 0; k < r->n_clear; k++) {
        const render_clear_mark *c = &r->clear[k];
        if (c->panel != panel)
            continue;
        /* the box's nearest point to the mark's centre */
        float nx = fminf(fmaxf(c->x, b.x), b.x + b.w), ny = fminf(fmaxf(c->y, b.y), b.y + b.h);
        if (hypotf(nx - c->x, ny - c->y) < c->r + gap)
            return 1;
    }
    return 0;
}

/* Labels on the major contour lines (every 5th of CONTOURS levels), where each
 * level crosses the map's middle row (else a row a fifth from either edge): the
 * first crossing from the right whose label lies on no other label and no key
 * point (label_on_key_point). */
void mapaxes_contour_labels(renderer *r, const panel_state *ps)
{
    int n;
    const float *v = render_surface_values(r->rs, &n);
    float lh = text_line_height(r->font, TEXT_SMALL);
    render_rect placed[CONTOURS / 5 + 1];   /* the labels drawn so far: none on another */
    int n_placed = 0;
    const int rows[3] = { n / 2, n / 5, 4 * n / 5 };
    for (int level = 5; level < CONTOURS; level += 5) {
        double t = (double)level / CONTOURS;
        char buf[32];
        rd_fmt_num(buf, sizeof buf, unnorm(r, t));
        float w = text_width(r->font, TEXT_SMALL, buf);
        /* inside the map (clear of its tick labels) */
        if (w + 6 > ps->map.w || lh + 4 > ps->map.h)
            continue;
        int done = 0;
        for (int ri = 0; ri < 3 && !done; ri++) {
            int j = rows[ri];
            for (int i = n - 2; i >= 0 && !done; i--) {
                float a = render_surface_norm(r->rs, v[j * n + i], r->log);
                float b = render_surface_norm(r->rs, v[j * n + i + 1], r->log);
                if (!((a - t) * (b - t) <= 0 && a != b))
                    continue;
                float px = ps->map.x + ps->map.w * (i + 0.5f) / (n - 1);
                float py = ps->map.y + ps->map.h * (1.0f - (float)j / (n - 1));
                px = fminf(fmaxf(px, ps->map.x + w * 0.5f + 3), ps->map.x + ps->map.w - w * 0.5f - 3);
                py = fminf(fmaxf(py, ps->map.y + lh * 0.5f + 2), ps->map.y + ps->map.h - lh * 0.5f - 2);
                render_rect box = { px - w * 0.5f - 2, py - lh * 0.5f, w + 4, lh };
                int clash = 0;
                for (int k = 0; k < n_placed && !clash; k++)
                    clash = box.x < placed[k].x + placed[k].w + rd_em(r) && placed[k].x < box.x + box.w + rd_em(r) &&
                            box.y < placed[k].y + placed[k].h + 2 && placed[k].y < box.y + box.h + 2;
                if (clash || label_on_key_point(r, ps, box, rd_em(r) * 0.3f))
                    continue;
                prims_rect(r->hud, px - w * 0.5f - 2, py - lh * 0.5f, px + w * 0.5f + 2, py + lh * 0.5f,
                           RGBA(0, 0, 0, 120));
                text_draw(r->font, r->hud, TEXT_SMALL, px, py - lh * 0.5f, buf, RGBA(255, 255, 255, 230),
                          TEXT_CENTER);
                if (n_placed < (int)(sizeof placed / sizeof placed[0]))
                    placed[n_placed++] = box;
                done = 1;
            }
        }
    }
}
