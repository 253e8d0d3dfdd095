/*
 * figure.c — the 2-D view as an SVG or PDF figure through cairo. Contracts in
 * figure.h. Layout (in points, top-left origin):
 *
 *     title
 *     ┌──────────────┐  legend (wide pages: at the right; narrow ones: in rows below)
 *   y │ colour map,  │
 *     │ contours,    │
 *     │ trails       │
 *     └──────────────┘
 *            x
 *     caption, wrapped
 */
#include "record/figure.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/outfile.h"
#include "record/figure_contour.h"
#include "record/figure_text.h"
#include "render/colormap.h"

/* Font sizes (points) and the few lengths everything else is built from. */
#define FS_SMALL   7.0     /* ticks, legend, contour labels */
#define FS_TITLE   9.5
#define FS_CAPTION 8.0
#define MARGIN     5.0
#define TICK       3.0
#define PI 3.14159265358979323846

/* ==== helpers ==== */

static void set_rgba(cairo_t *cr, uint32_t c, double alpha_mul)
{
    cairo_set_source_rgba(cr, (c & 255) / 255.0, ((c >> 8) & 255) / 255.0, ((c >> 16) & 255) / 255.0,
                          ((c >> 24) & 255) / 255.0 * alpha_mul);
}

static double nice_step(double range, int target)
{
    double raw = range / target, p = pow(10, floor(log10(raw))), m = raw / p;
    return p * (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10);
}

static void fmt_num(char *buf, size_t n, double v)
{
    double a = fabs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e5))
        snprintf(buf, n, "%.2e", v);
    else
        snprintf(buf, n, "%.4g", v);
}

typedef struct fig_layout {
    double page_w, page_h;
    double map[4];             /* x, y, w, h */
    double title_y;            /* baseline */
    int legend_right;          /* 1: a column at the right; 0: rows under the axes */
    double legend_x, legend_y, legend_w;
    int legend_rows;
    double caption_y;          /* first baseline */
    int cap_n;
    int cap_start[16], cap_len[16];
} fig_layout;

static const char *run_label(const figure_run *r, char *buf, size_t n)
{
    char num[32];
    fmt_num(num, sizeof num, r->loss);
    if (r->diverged)
        snprintf(buf, n, "%s  diverged", r->name);
    else
        snprintf(buf, n, "%s  L %s", r->name, num);
    return buf;
}

#define SWATCH 14.0   /* legend line sample */

static void layout(cairo_t *cr, fig_fonts *ff, const figure_desc *d, fig_layout *L)
{
    double W = d->width_pt > 0 ? d->width_pt : FIGURE_SINGLE_PT;
    memset(L, 0, sizeof *L);
    L->page_w = W;
    double y = MARGIN;
    if (d->title && d->title[0]) {
        L->title_y = y + FS_TITLE;
        y += FS_TITLE * 1.45;
    }
    y += FS_SMALL * 0.6;   /* room for the top tick label */
    /* the widest y tick label, roughly: the longer of the two ends */
    char a[32], b[32];
    snprintf(a, sizeof a, "%g", d->dom.ymin);
    snprintf(b, sizeof b, "%g", d->dom.ymax);
    double tl = fmax(fig_text_w(cr, ff, a, FS_SMALL), fig_text_w(cr, ff, b, FS_SMALL)) + FS_SMALL;
    double left = MARGIN + FS_SMALL * 1.3 + tl + TICK;
    double legend_w = 0;
    char buf[160];
    for (int i = 0; i < d->n_runs; i++)
        legend_w = fmax(legend_w, SWATCH + 4 + fig_text_w(cr, ff, run_label(&d->runs[i], buf, sizeof buf), FS_SMALL));
    L->legend_right = W >= 400;
    double right = L->legend_right ? MARGIN + legend_w + 10 : MARGIN + FS_SMALL;
    double below = TICK + FS_SMALL * 1.4 + FS_SMALL * 1.3;   /* ticks, labels, axis name */
    /* legend rows under the axes: entries of equal width, as many per row as fit */
    int per_row = 1;
    if (!L->legend_right) {
        per_row = (int)((W - 2 * MARGIN) / (legend_w + 10));
        per_row = per_row < 1 ? 1 : per_row;
        L->legend_rows = (d->n_runs + per_row - 1) / per_row;
        below += L->legend_rows * FS_SMALL * 1.5 + 3;
    }
    L->legend_w = legend_w;
    if (d->caption && d->caption[0])
        L->cap_n = fig_wrap(cr, ff, d->caption, FS_CAPTION, W - 2 * MARGIN, L->cap_start, L->cap_len, 16);
    double cap_h = L->cap_n ? L->cap_n * FS_CAPTION * 1.3 + 4 : 0;
    double aspect = (d->dom.xmax - d->dom.xmin) / (d->dom.ymax - d->dom.ymin);
    aspect = !(aspect > 0.33) ? 0.33 : aspect > 3 ? 3 : aspect;
    double mw = W - left - right, mh;
    if (d->height_pt > 0) {
        L->page_h = d->height_pt;
        mh = L->page_h - y - below - cap_h - MARGIN;
        if (mw / mh > aspect)
            mw = mh * aspect;
        else
            mh = mw / aspect;
    } else {
        mh = mw / aspect;
        if (mh > mw * 1.2 && aspect < 1) {   /* tall domains: keep the page from growing too tall */
            mh = mw * 1.2;
            mw = mh * aspect;
        }
        L->page_h = y + mh + below + cap_h + MARGIN;
    }
    L->map[0] = left + ((W - left - right) - mw) / 2;
    L->map[1] = y;
    L->map[2] = mw;
    L->map[3] = mh;
    L->legend_x = L->legend_right ? L->map[0] + mw + 10 : MARGIN;
    L->legend_y = L->legend_right ? y : y + mh + TICK + FS_SMALL * 2.7 + 3;
    L->caption_y = y + mh + below + FS_CAPTION + 2;
    (void)per_row;
}

void figure_layout_map(const figure_desc *d, double rect[4], double page[2])
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    fig_fonts ff = { 0 };
    ff.base = fig_base_face(&ff.base_ft);
    fig_layout L;
    layout(cr, &ff, d, &L);
    memcpy(rect, L.map, sizeof L.map);
    page[0] = L.page_w;
    page[1] = L.page_h;
    fig_fonts_release(&ff);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* ==== drawing ==== */

typedef struct fig_ctx {
    cairo_t *cr;
    fig_fonts ff;
    const figure_desc *d;
    fig_layout L;
    double *norm;       /* normalised heights of the grid, [0, 1] */
    double fmin, fmax;
    double ink[3], paper[3];   /* text and axes, the page (figure_desc.dark) */
} fig_ctx;

/* The page's colours: black on white, or the window's dark theme (render/renderer.c:
 * text 235,235,235 on 20,22,27). */
static void fig_palette(fig_ctx *c)
{
    static const double ink[2][3] = { { 0, 0, 0 }, { 235 / 255.0, 235 / 255.0, 235 / 255.0 } };
    static const double paper[2][3] = { { 1, 1, 1 }, { 20 / 255.0, 22 / 255.0, 27 / 255.0 } };
    int k = c->d->dark != 0;
    memcpy(c->ink, ink[k], sizeof c->ink);
    memcpy(c->paper, paper[k], sizeof c->paper);
}

static void set_ink(const fig_ctx *c) { cairo_set_source_rgb(c->cr, c->ink[0], c->ink[1], c->ink[2]); }

/* The window's normalisation (render/surface_view.c): the range over the finite
 * values, then linear or log(f − fmin + ε) with ε = (fmax − fmin)·1e-4. */
static double norm_of(const fig_ctx *c, double f)
{
    double t;
    if (c->d->log_scale) {
        double e = (c->fmax - c->fmin) * 1e-4, dd = f - c->fmin;
        t = (log((dd > 0 ? dd : 0) + e) - log(e)) / (log(c->fmax - c->fmin + e) - log(e));
    } else {
        t = (f - c->fmin) / (c->fmax - c->fmin);
    }
    return !(t > 0) ? 0 : t > 1 ? 1 : t;
}

static double unnorm(const fig_ctx *c, double t)
{
    if (!c->d->log_scale)
        return c->fmin + t * (c->fmax - c->fmin);
    double e = (c->fmax - c->fmin) * 1e-4;
    return c->fmin + exp(log(e) + t * (log(c->fmax - c->fmin + e) - log(e))) - e;
}

static int normalise(fig_ctx *c)
{
    const figure_desc *d = c->d;
    size_t n = (size_t)d->nx * (size_t)d->ny;
    c->norm = malloc(n * sizeof *c->norm);
    if (!c->norm)
        return 0;
    double lo = DBL_MAX, hi = -DBL_MAX;
    for (size_t k = 0; k < n; k++)
        if (isfinite(d->grid[k]) && fabs(d->grid[k]) < 1e30) {
            lo = fmin(lo, d->grid[k]);
            hi = fmax(hi, d->grid[k]);
        }
    if (lo > hi)
        lo = 0, hi = 1;
    if (hi - lo < 1e-12 * (fabs(hi) + 1))
        hi = lo + 1e-12 * (fabs(hi) + 1) + 1e-30;
    c->fmin = lo;
    c->fmax = hi;
    for (size_t k = 0; k < n; k++) {
        double v = d->grid[k];
        /* the window keeps the sampled values as floats */
        c->norm[k] = norm_of(c, (float)(isfinite(v) && fabs(v) < 1e30 ? v : hi));
    }
    return 1;
}

/* Page point of plane point (x, y). */
static void to_page(const fig_ctx *c, double x, double y, double *px, double *py)
{
    const double *m = c->L.map;
    const surface_domain *dm = &c->d->dom;
    *px = m[0] + (x - dm->xmin) / (dm->xmax - dm->xmin) * m[2];
    *py = m[1] + m[3] - (y - dm->ymin) / (dm->ymax - dm->ymin) * m[3];
}

static void clip_map(fig_ctx *c)
{
    cairo_rectangle(c->cr, c->L.map[0], c->L.map[1], c->L.map[2], c->L.map[3]);
    cairo_clip(c->cr);
}

/* The colour map as one image, a pixel per grid point centred on it. */
static int draw_colormap(fig_ctx *c)
{
    const figure_desc *d = c->d;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, d->nx, d->ny);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS)
        return 0;
    cairo_surface_flush(img);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (int j = 0; j < d->ny; j++) {
        uint32_t *row = (uint32_t *)(px + (size_t)(d->ny - 1 - j) * (size_t)stride);
        for (int i = 0; i < d->nx; i++) {
            float rgb[3];
            /* the 256-entry lookup table the shader samples */
            double t = c->norm[j * d->nx + i];
            colormap_eval(d->colormap, floor(t * 255.0 + 0.5) / 255.0, rgb);
            uint32_t r = (uint32_t)lrintf(rgb[0] * 255), g = (uint32_t)lrintf(rgb[1] * 255),
                     b = (uint32_t)lrintf(rgb[2] * 255);
            row[i] = 0xFF000000u | r << 16 | g << 8 | b;
        }
    }
    cairo_surface_mark_dirty(img);
    cairo_t *cr = c->cr;
    const double *m = c->L.map;
    double sx = m[2] / (d->nx - 1), sy = m[3] / (d->ny - 1);
    cairo_save(cr);
    clip_map(c);
    cairo_translate(cr, m[0] - sx / 2, m[1] - sy / 2);
    cairo_scale(cr, sx, sy);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    return 1;
}

static void path_line(fig_ctx *c, const contour_lines *cl, int k)
{
    const double *m = c->L.map;
    double sx = m[2] / (c->d->nx - 1), sy = m[3] / (c->d->ny - 1);
    for (int p = cl->start[k]; p < cl->start[k + 1]; p++) {
        double x = m[0] + cl->pts[2 * p] * sx, y = m[1] + m[3] - cl->pts[2 * p + 1] * sy;
        if (p == cl->start[k])
            cairo_move_to(c->cr, x, y);
        else
            cairo_line_to(c->cr, x, y);
    }
    if (cl->closed[k])
        cairo_close_path(c->cr);
}

/* Distance (points) from page point (x, y) to the nearest trail point, capped at
 * 40; stops early once it is below floor (the candidate cannot win). */
static double trail_distance(const fig_ctx *c, double x, double y, double floor_)
{
    double best = 40;
    for (int i = 0; i < c->d->n_runs; i++) {
        const figure_run *r = &c->d->runs[i];
        for (int k = 0; k < r->n; k++) {
            double px, py;
            to_page(c, r->xy[2 * k], r->xy[2 * k + 1], &px, &py);
            double dd = hypot(px - x, py - y);
            if (dd < best) {
                best = dd;
                if (best <= floor_)
                    return best;
            }
        }
    }
    return best;
}

/* One path per level; the shader's colours: white below 0.6 of the range, black
 * above, every 5th level stronger. Major levels get their value as a label at the
 * middle of their longest line. */
static int draw_contours(fig_ctx *c)
{
    const figure_desc *d = c->d;
    cairo_t *cr = c->cr;
    double tol = 0.15 * (d->nx - 1) / fmax(c->L.map[2], 1);   /* 0.15 pt in grid units */
    typedef struct { double x, y; char text[32]; } label;
    label labels[FIGURE_CONTOURS];
    int n_labels = 0;
    cairo_save(cr);
    clip_map(c);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (int level = 1; level < FIGURE_CONTOURS; level++) {
        double t = (double)level / FIGURE_CONTOURS;
        contour_lines cl;
        if (!contour_trace(c->norm, d->nx, d->ny, t, tol, &cl)) {
            cairo_restore(cr);
            return 0;
        }
        if (cl.n_lines == 0)
            continue;
        int major = level % 5 == 0;
        double shade = t < 0.6 ? 1.0 : 0.0;
        cairo_set_source_rgba(cr, shade, shade, shade, major ? 0.55 : 0.32);
        cairo_set_line_width(cr, major ? 0.7 : 0.45);
        for (int k = 0; k < cl.n_lines; k++)
            path_line(c, &cl, k);
        cairo_stroke(cr);
        if (major) {   /* label: the point of the level farthest from every trail */
            const double *m = c->L.map;
            double best = -1, bx = 0, by = 0;
            for (int k = 0; k < cl.n_lines; k++)
                for (int p = cl.start[k]; p < cl.start[k + 1]; p += 3) {
                    double x = m[0] + cl.pts[2 * p] * m[2] / (d->nx - 1);
                    double y = m[1] + m[3] - cl.pts[2 * p + 1] * m[3] / (d->ny - 1);
                    if (x < m[0] + FS_SMALL * 2.5 || x > m[0] + m[2] - FS_SMALL * 2.5 || y < m[1] + FS_SMALL ||
                        y > m[1] + m[3] - FS_SMALL)
                        continue;
                    double score = trail_distance(c, x, y, best);
                    for (int q = 0; q < n_labels; q++)   /* and from the other labels */
                        score = fmin(score, 0.5 * hypot(x - labels[q].x, y - labels[q].y));
                    if (score > best)
                        best = score, bx = x, by = y;
                }
            if (best >= 0) {
                labels[n_labels].x = bx;
                labels[n_labels].y = by;
                fmt_num(labels[n_labels].text, sizeof labels[n_labels].text, unnorm(c, t));
                n_labels++;
            }
        }
        contour_lines_free(&cl);
    }
    for (int k = 0; k < n_labels; k++) {
        double w = fig_text_w(cr, &c->ff, labels[k].text, FS_SMALL * 0.9);
        double h = FS_SMALL * 0.9;
        cairo_rectangle(cr, labels[k].x - w / 2 - 1.2, labels[k].y - h * 0.62, w + 2.4, h * 1.15);
        cairo_set_source_rgba(cr, c->paper[0], c->paper[1], c->paper[2], 0.75);   /* the page's, under ink */
        cairo_fill(cr);
        set_ink(c);
        fig_text_at(cr, &c->ff, labels[k].text, h, labels[k].x, labels[k].y + h * 0.36, 0);
    }
    cairo_restore(cr);
    return 1;
}

static void disc(cairo_t *cr, double x, double y, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * PI);
}

static void cross(cairo_t *cr, double x, double y, double r)
{
    cairo_move_to(cr, x - r, y - r);
    cairo_line_to(cr, x + r, y + r);
    cairo_move_to(cr, x + r, y - r);
    cairo_line_to(cr, x - r, y + r);
}

/* End marker of a run (legend swatches too). */
static void end_marker(cairo_t *cr, const figure_run *r, double x, double y)
{
    if (r->diverged) {
        cross(cr, x, y, 3.0);
        cairo_set_source_rgba(cr, 0, 0, 0, 0.8);
        cairo_set_line_width(cr, 2.2);
        cairo_stroke_preserve(cr);
        set_rgba(cr, r->color, 1);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
        return;
    }
    disc(cr, x, y, 2.6);
    set_rgba(cr, r->color, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.85);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
}

static void start_marker(cairo_t *cr, double x, double y)
{
    disc(cr, x, y, 2.8);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.85);
    cairo_set_line_width(cr, 1.9);
    cairo_stroke_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
}

/* Each run: a thin dark outline, then one path in the run's colour; start rings
 * (one per distinct start point) and end markers on top. */
static void draw_runs(fig_ctx *c)
{
    const figure_desc *d = c->d;
    cairo_t *cr = c->cr;
    cairo_save(cr);
    clip_map(c);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < d->n_runs; i++) {
            const figure_run *r = &d->runs[i];
            if (r->n < 2)
                continue;
            for (int k = 0; k < r->n; k++) {
                double x, y;
                to_page(c, r->xy[2 * k], r->xy[2 * k + 1], &x, &y);
                if (k == 0)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
            }
            if (pass == 0)
                cairo_set_source_rgba(cr, 0, 0, 0, 0.5);
            else
                set_rgba(cr, r->color, 1);
            cairo_set_line_width(cr, pass == 0 ? 2.1 : 1.2);
            cairo_stroke(cr);
        }
    for (int i = 0; i < d->n_runs; i++) {
        const figure_run *r = &d->runs[i];
        if (r->n < 1)
            continue;
        int dup = 0;
        for (int k = 0; k < i; k++)
            dup |= d->runs[k].n > 0 && d->runs[k].xy[0] == r->xy[0] && d->runs[k].xy[1] == r->xy[1];
        if (dup)
            continue;
        double x, y;
        to_page(c, r->xy[0], r->xy[1], &x, &y);
        start_marker(cr, x, y);
    }
    for (int i = 0; i < d->n_runs; i++) {
        const figure_run *r = &d->runs[i];
        if (r->n < 1)
            continue;
        double x, y;
        to_page(c, r->xy[2 * (r->n - 1)], r->xy[2 * (r->n - 1) + 1], &x, &y);
        end_marker(cr, r, x, y);
    }
    cairo_restore(cr);
}

static void draw_axes(fig_ctx *c)
{
    cairo_t *cr = c->cr;
    const double *m = c->L.map;
    const surface_domain *dm = &c->d->dom;
    set_ink(c);
    cairo_set_line_width(cr, 0.6);
    cairo_rectangle(cr, m[0], m[1], m[2], m[3]);
    cairo_stroke(cr);
    char buf[32];
    for (int ax = 0; ax < 2; ax++) {
        double lo = ax == 0 ? dm->xmin : dm->ymin, hi = ax == 0 ? dm->xmax : dm->ymax;
        int target = ax == 0 ? (int)fmax(3, m[2] / (FS_SMALL * 5)) : (int)fmax(3, m[3] / (FS_SMALL * 3));
        double st = nice_step(hi - lo, target);
        for (double v = ceil(lo / st - 1e-9) * st; v <= hi + st * 1e-9; v += st) {
            snprintf(buf, sizeof buf, "%g", fabs(v) < st * 1e-6 ? 0.0 : v);
            double x, y;
            to_page(c, ax == 0 ? v : dm->xmin, ax == 0 ? dm->ymin : v, &x, &y);
            if (ax == 0) {
                cairo_move_to(cr, x, y);
                cairo_line_to(cr, x, y + TICK);
                cairo_stroke(cr);
                fig_text_at(cr, &c->ff, buf, FS_SMALL, x, y + TICK + FS_SMALL, 0);
            } else {
                cairo_move_to(cr, x, y);
                cairo_line_to(cr, x - TICK, y);
                cairo_stroke(cr);
                fig_text_at(cr, &c->ff, buf, FS_SMALL, x - TICK - 1.5, y + FS_SMALL * 0.36, 1);
            }
        }
    }
    const char *xl = c->d->xlabel ? c->d->xlabel : "x", *yl = c->d->ylabel ? c->d->ylabel : "y";
    fig_text_at(cr, &c->ff, xl, FS_SMALL * 1.1, m[0] + m[2] / 2, m[1] + m[3] + TICK + FS_SMALL * 2.4, 0);
    cairo_save(cr);
    cairo_translate(cr, MARGIN + FS_SMALL * 0.9, m[1] + m[3] / 2);
    cairo_rotate(cr, -PI / 2);
    fig_text_at(cr, &c->ff, yl, FS_SMALL * 1.1, 0, 0, 0);
    cairo_restore(cr);
}

static void draw_legend(fig_ctx *c)
{
    const figure_desc *d = c->d;
    const fig_layout *L = &c->L;
    cairo_t *cr = c->cr;
    double row_h = FS_SMALL * 1.5, col_w = L->legend_w + 10;
    int per_row = L->legend_right ? 1 : (int)((L->page_w - 2 * MARGIN) / col_w);
    per_row = per_row < 1 ? 1 : per_row;
    char buf[160];
    for (int i = 0; i < d->n_runs; i++) {
        const figure_run *r = &d->runs[i];
        double x = L->legend_x + (i % per_row) * col_w, y = L->legend_y + (i / per_row) * row_h + FS_SMALL;
        double ly = y - FS_SMALL * 0.33;
        /* a filled bar, not a stroke: the run's colour strokes exactly one path, its trail */
        cairo_rectangle(cr, x, ly - 0.7, SWATCH, 1.4);
        set_rgba(cr, r->color, 1);
        cairo_fill(cr);
        end_marker(cr, r, x + SWATCH / 2, ly);
        set_ink(c);
        fig_text_at(cr, &c->ff, run_label(r, buf, sizeof buf), FS_SMALL, x + SWATCH + 4, y, -1);
    }
}

static void draw_texts(fig_ctx *c)
{
    const figure_desc *d = c->d;
    cairo_t *cr = c->cr;
    set_ink(c);
    if (d->title && d->title[0])
        fig_text_at(cr, &c->ff, d->title, FS_TITLE, c->L.page_w / 2, c->L.title_y, 0);
    char buf[1024];
    for (int k = 0; k < c->L.cap_n; k++) {
        int len = c->L.cap_len[k] < (int)sizeof buf - 1 ? c->L.cap_len[k] : (int)sizeof buf - 1;
        memcpy(buf, d->caption + c->L.cap_start[k], (size_t)len);
        buf[len] = '\0';
        fig_text_at(cr, &c->ff, buf, FS_CAPTION, MARGIN, c->L.caption_y + k * FS_CAPTION * 1.3, -1);
    }
}

/* ==== output ==== */

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    FILE *f = closure;
    return fwrite(data, 1, length, f) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* The SVG document is kept in memory until the text is spliced in (svg_write). */
static cairo_status_t write_mem(void *closure, const unsigned char *data, unsigned int length)
{
    fig_svg_text *m = closure;
    if (m->len + length + 1 > m->cap) {
        size_t cap = (m->cap ? m->cap * 2 : 1 << 16) + length;
        char *b = realloc(m->buf, cap);
        if (!b)
            return CAIRO_STATUS_NO_MEMORY;
        m->buf = b;
        m->cap = cap;
    }
    memcpy(m->buf + m->len, data, length);
    m->len += length;
    m->buf[m->len] = '\0';
    return CAIRO_STATUS_SUCCESS;
}

/* cairo's SVG document with the collected <text> elements (in a group of their
 * own, above everything cairo drew) before its closing tag. 1, or 0 on a write
 * error. */
static int svg_write(FILE *f, const fig_svg_text *doc, const fig_svg_text *text)
{
    const char *end = NULL;
    for (const char *p = doc->buf; p && (p = strstr(p, "</svg>")); p++)
        end = p;
    size_t head = end ? (size_t)(end - doc->buf) : doc->len;
    static const char open[] = "<g id=\"text\">\n", close[] = "</g>\n";
    fwrite(doc->buf, 1, head, f);
    if (text->len) {
        fwrite(open, 1, sizeof open - 1, f);
        fwrite(text->buf, 1, text->len, f);
        fwrite(close, 1, sizeof close - 1, f);
    }
    fwrite(doc->buf + head, 1, doc->len - head, f);
    return !ferror(f);
}

int figure_write(const figure_desc *d, char *err, size_t err_size, int *bad_input)
{
    *bad_input = 0;
    figure_format fmt = figure_format_of(d->path);
    if (fmt == FIGURE_NONE) {
        *bad_input = 1;
        snprintf(err, err_size, "'%s': the figure's name must end in .svg or .pdf", d->path);
        return 0;
    }
    if (d->nx < 2 || d->ny < 2 || !d->grid || !(d->dom.xmax > d->dom.xmin) || !(d->dom.ymax > d->dom.ymin)) {
        snprintf(err, err_size, "nothing to draw");
        return 0;
    }
    fig_ctx c = { .d = d };
    cairo_surface_t *measure = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    c.cr = cairo_create(measure);
    c.ff.base = fig_base_face(&c.ff.base_ft);
    layout(c.cr, &c.ff, d, &c.L);
    cairo_destroy(c.cr);
    cairo_surface_destroy(measure);
    if (c.L.map[2] < 36 || c.L.map[3] < 36) {   /* half an inch */
        *bad_input = 1;
        snprintf(err, err_size, "the figure size %.0fx%.0fpt leaves no room for the map", c.L.page_w,
                 c.L.page_h);
        goto fail_fonts;
    }
    if (!normalise(&c)) {
        snprintf(err, err_size, "out of memory");
        goto fail_fonts;
    }
    outfile of;
    if (!outfile_open(&of, d->path)) {
        *bad_input = of.missing_folder;
        snprintf(err, err_size, "%s", of.error);
        free(c.norm);
        goto fail_fonts;
    }
    /* SVG: cairo draws everything but the text into memory; the text is collected as
     * <text> elements (figure_text.c) and spliced in when the document is written */
    fig_svg_text doc = { 0 }, text = { 0 };
    if (fmt == FIGURE_SVG)
        c.ff.svg = &text;
    cairo_surface_t *s = fmt == FIGURE_SVG
                             ? cairo_svg_surface_create_for_stream(write_mem, &doc, c.L.page_w, c.L.page_h)
                             : cairo_pdf_surface_create_for_stream(write_out, of.f, c.L.page_w, c.L.page_h);
    if (fmt == FIGURE_PDF) {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "losscape");
        if (d->title && d->title[0])
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
    }
    c.cr = cairo_create(s);
    fig_palette(&c);
    cairo_set_source_rgb(c.cr, c.paper[0], c.paper[1], c.paper[2]);
    cairo_paint(c.cr);
    int ok = draw_colormap(&c) && (!d->contours || draw_contours(&c));
    if (ok) {
        draw_runs(&c);
        draw_axes(&c);
        draw_legend(&c);
        draw_texts(&c);
    }
    cairo_status_t st = cairo_status(c.cr);
    cairo_destroy(c.cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    free(c.norm);
    int wrote = 1;
    if (fmt == FIGURE_SVG) {
        ok = ok && !text.failed;
        if (ok && st == CAIRO_STATUS_SUCCESS)
            wrote = svg_write(of.f, &doc, &text);
        free(doc.buf);
    }
    fig_fonts_release(&c.ff);   /* and the collected text */
    if (!ok || st != CAIRO_STATUS_SUCCESS || !wrote) {
        snprintf(err, err_size, "cannot write %s: %s", d->path,
                 !ok ? "out of memory" : !wrote || st == CAIRO_STATUS_WRITE_ERROR ? "write error (disk full?)"
                                                                               : cairo_status_to_string(st));
        outfile_abort(&of);
        return 0;
    }
    if (!outfile_commit(&of)) {
        snprintf(err, err_size, "%s", of.error);
        return 0;
    }
    return 1;
fail_fonts:
    fig_fonts_release(&c.ff);
    return 0;
}
