/*
 * datapanel.c — the data panel of data problems (render_data): the training
 * samples coloured by class, the current mini-batch ringed, the selected run's
 * class regions shaded, each run's decision boundary (classification) or fitted
 * line (regression), axes and a key.
 *
 * datapanel_draw draws into r->hud over its strip's background (rd_frame_begin); the
 * app owns every array of the render_data and recomputes it when the runs move.
 * Its title and notes are wrapped to the strip's width (core/linebreak), never cut
 * while the strip has the height for them; the samples' square takes what is left.
 */
#include "render/i18n.h"
#include "render/render_internal.h"

#include "core/linebreak.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ==== Wrapped text ==== */

#define NOTE_LINES 4   /* the most lines one title or note takes */

typedef struct note {
    int n;                          /* lines */
    char line[NOTE_LINES][200];
} note;

static double measure_small(void *ctx, const char *text)
{
    const renderer *r = ctx;
    return text_width(r->font, TEXT_SMALL, text);
}

/* s wrapped at small size into at most max lines of width w (core/linebreak's
 * rules); when the lines run out, the last one keeps the rest shortened with '…'. */
static void wrap_note(const renderer *r, const char *s, float w, int max, note *t)
{
    linebreak_line l[NOTE_LINES];
    if (max > NOTE_LINES)
        max = NOTE_LINES;
    t->n = max > 0 ? linebreak_wrap(s, w, measure_small, (void *)r, l, max) : 0;
    for (int i = 0; i < t->n; i++) {
        size_t len = l[i].len < sizeof t->line[0] - 1 ? l[i].len : sizeof t->line[0] - 1;
        while (len > 0 && ((unsigned char)s[l[i].start + len] & 0xC0) == 0x80)
            len--;   /* a character boundary */
        memcpy(t->line[i], s + l[i].start, len);
        t->line[i][len] = 0;
    }
    if (t->n == max && t->n > 0 && s[l[t->n - 1].start + l[t->n - 1].len]) {
        char rest[400], cut[200];
        snprintf(rest, sizeof rest, "%s", s + l[t->n - 1].start);
        snprintf(t->line[t->n - 1], sizeof t->line[0], "%s", rd_fit_text(r, TEXT_SMALL, rest, w, cut, sizeof cut));
    }
}

/* The lines of t from y, each sh * 1.1 below the last; returns the y after them. */
static float draw_note(renderer *r, const note *t, float x, float y, uint32_t col)
{
    float sh = text_line_height(r->font, TEXT_SMALL);
    for (int i = 0; i < t->n; i++, y += sh * 1.1f)
        text_draw(r->font, r->hud, TEXT_SMALL, x, y, t->line[i], col, TEXT_LEFT);
    return y;
}

/* ==== Data panel ==== */

/* Class colours: distinct from the runs' Okabe–Ito palette (Paul Tol's). */
static const uint32_t class_cols[RENDER_DATA_CLASSES] = {
    RGBA(238, 102, 119, 255), /* rose */
    RGBA(68, 119, 170, 255),  /* blue */
    RGBA(34, 136, 51, 255),   /* green */
    RGBA(204, 187, 68, 255),  /* sand */
    RGBA(170, 51, 119, 255),  /* wine */
    RGBA(187, 187, 187, 255), /* grey */
};
#define COL_SAMPLE (r->th->sample)   /* regression samples */

uint32_t render_class_color(int k) { return class_cols[((k % RENDER_DATA_CLASSES) + RENDER_DATA_CLASSES) % RENDER_DATA_CLASSES]; }

/* Boundary segments of run `run`'s prediction grid (pixel rect p over d->box):
 * the ½-level line of the margin (two classes, marching squares between cell
 * centres) or the cell edges where the predicted class changes. */
static void data_boundary(renderer *r, const render_data *d, render_rect p, const float *g, float width,
                          uint32_t col)
{
    int n = d->grid_n;
    float cw = p.w / (float)n, ch = p.h / (float)n;
#define CX(i) (p.x + ((float)(i) + 0.5f) * cw)
#define CY(j) (p.y + p.h - ((float)(j) + 0.5f) * ch)
    if (d->n_classes == 2) {
        for (int j = 0; j + 1 < n; j++)
            for (int i = 0; i + 1 < n; i++) {
                float v[4] = { g[j * n + i], g[j * n + i + 1], g[(j + 1) * n + i + 1], g[(j + 1) * n + i] };
                float cx[4] = { CX(i), CX(i + 1), CX(i + 1), CX(i) }, cy[4] = { CY(j), CY(j), CY(j + 1), CY(j + 1) };
                float pt[4][2];
                int m = 0;
                for (int e = 0; e < 4; e++) {
                    float a = v[e], b = v[(e + 1) & 3];
                    if ((a > 0) != (b > 0)) {
                        float t = a / (a - b);
                        pt[m][0] = cx[e] + t * (cx[(e + 1) & 3] - cx[e]);
                        pt[m][1] = cy[e] + t * (cy[(e + 1) & 3] - cy[e]);
                        m++;
                    }
                }
                for (int k = 0; k + 1 < m; k += 2)
                    prims_line(r->hud, pt[k][0], pt[k][1], pt[k + 1][0], pt[k + 1][1], width, col);
            }
    } else {
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) {
                float x1 = p.x + (float)(i + 1) * cw, y0 = p.y + p.h - (float)j * ch, y1 = y0 - ch;
                if (i + 1 < n && g[j * n + i] != g[j * n + i + 1])
                    prims_line(r->hud, x1, y0, x1, y1, width, col);
                float x0 = p.x + (float)i * cw;
                if (j + 1 < n && g[j * n + i] != g[(j + 1) * n + i])
                    prims_line(r->hud, x0, y1, x0 + cw, y1, width, col);
            }
    }
#undef CX
#undef CY
}

void datapanel_draw(renderer *r, const render_frame *f, render_rect area, float top_band)
{
    const render_data *d = f->data;
    prims *h = r->hud;
    float pad = rd_em(r) * 0.6f, sh = text_line_height(r->font, TEXT_SMALL);
    char buf[160], a[32], b[32];
    /* the strip's background (BG_DATA) came with the frame's (rd_frame_begin) */
    float y = area.y + top_band;
    snprintf(buf, sizeof buf, _("data: %s  (%d training samples)"), d->name ? d->name : "", d->n);
    char cut[200];
    float tw = area.w - 2 * pad;   /* the strip's text stays in the strip */
    float rad = fmaxf(2.0f, rd_em(r) * 0.16f);
    /* the title, the notes under the key, and the key's rows: their lines first, the
     * samples' square then takes the height left (two lines a note at most while the
     * square keeps 40 % of the strip's width, more when narrower than that) */
    note title, lines, surf;
    const char *lines_s = d->cls ? (d->regions_run >= 0 ? _("lines: boundary per run; shade: selected run")
                                                        : _("lines: each run's decision boundary"))
                                 : _("lines: each run's fit (other features at mean)");
    const char *surf_s = d->surface_batch ? _("surface: this mini-batch's loss  (Y: full data)")
                                          : _("surface: loss on the full data  (Y: mini-batch)");
    int key_rows = d->batch ? 2 : 1;
    float left = rd_em(r) * 2.6f, side = 0;
    /* a wide strip (under a 2-D strip's map): the key and notes right of the square */
    if (area.w > area.h * 1.5f) {
        wrap_note(r, buf, tw, 2, &title);
        side = fminf(area.h - top_band - sh * (1.5f + 1.1f * (float)(title.n - 1) + 1.3f) - pad,
                     (area.w - pad * 2 - left) * 0.5f);
        float kw = area.w - 3 * pad - left - side - rd_em(r);
        wrap_note(r, lines_s, kw, NOTE_LINES, &lines);
        wrap_note(r, surf_s, kw, NOTE_LINES, &surf);
    } else for (int max = NOTE_LINES; max >= 1; max--) {
        wrap_note(r, buf, tw, max < 2 ? max : 2, &title);
        wrap_note(r, lines_s, tw, max, &lines);
        wrap_note(r, surf_s, tw, max, &surf);
        float text_h = sh * (1.3f + 0.2f + 1.3f + 0.3f) + sh * 1.1f * (float)(title.n - 1 + key_rows + lines.n + surf.n);
        side = fminf(area.w - pad * 2 - left, area.h - top_band - text_h - pad);
        if (side >= 0.4f * (area.w - pad * 2 - left) || max == 1)
            break;
    }
    y = draw_note(r, &title, area.x + pad, y, COL_TEXT) + sh * 0.2f;
    if (side < 40 || !(d->box.xmax > d->box.xmin) || !(d->box.ymax > d->box.ymin))
        return;
    render_rect p = { area.x + pad + left, y, side, side };
    prims_rect(h, p.x, p.y, p.x + p.w, p.y + p.h, r->th->inset == RGBA(255, 255, 255, 255) ? r->th->inset : RGBA(0, 0, 0, 120));
    surface_domain bx = d->box;
#define PX(v) (p.x + (float)(((v) - bx.xmin) / (bx.xmax - bx.xmin)) * p.w)
#define PY(v) (p.y + p.h - (float)(((v) - bx.ymin) / (bx.ymax - bx.ymin)) * p.h)
    int nr = trainer_run_count(f->tr);
    if (nr > 8)
        nr = 8;
    /* the selected run's class regions, shaded: each row's cells of one class side by
     * side as one rectangle (its edges the cells' own, so the same pixels: each is
     * covered once either way), not a rectangle a cell (a 48 × 48 grid was 4,600 of
     * the data panel's 5,000 triangles, and the software rasteriser pays per triangle
     * as much as per pixel) */
    if (d->n_classes >= 2 && d->grid_n > 1 && d->regions_run >= 0 && d->regions_run < nr && d->pred[d->regions_run]) {
        const float *g = d->pred[d->regions_run];
        int n = d->grid_n;
        float cw = p.w / (float)n, ch = p.h / (float)n;
#define CELL_CLASS(i) (d->n_classes == 2 ? g[j * n + (i)] > 0 : (int)g[j * n + (i)])
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n;) {
                int c = CELL_CLASS(i), e = i + 1;
                while (e < n && CELL_CLASS(e) == c)
                    e++;
                float y1 = p.y + p.h - (float)j * ch;
                prims_rect(h, p.x + (float)i * cw, y1 - ch, p.x + (float)e * cw, y1,
                           rgba_alpha(render_class_color(c), 0.2f));
                i = e;
            }
#undef CELL_CLASS
    }
    /* samples: every one (dimmed while a mini-batch is drawn), then the batch on top */
    int stride = d->n > 4000 ? d->n / 4000 + 1 : 1;
    for (int k = 0; k < d->n; k += stride) {
        float x = PX(d->xy[2 * k]), yy = PY(d->xy[2 * k + 1]);
        uint32_t c = d->cls ? render_class_color(d->cls[k]) : COL_SAMPLE;
        prims_mark(h, x, yy, 0, rad, PRIM_DISC, rgba_alpha(c, d->batch ? 0.55f : 0.9f));
    }
    /* decision boundaries (classification) or fitted lines (regression), per run */
    if (d->grid_n > 1) {
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < nr; i++) {
                const float *g = d->pred[i];
                if (!g || !trainer_run_get(f->tr, i)->active)
                    continue;
                uint32_t col = pass ? render_run_color(f->tr, i) : COL_OUTLINE;
                float w = pass ? 2.2f : 4.2f;
                if (d->n_classes >= 2) {
                    data_boundary(r, d, p, g, w, col);
                } else {
                    prim_pt *pts = rd_scratch(r, d->grid_n);
                    if (!pts)
                        break;
                    int m = 0;
                    for (int k = 0; k < d->grid_n; k++) {
                        double xv = bx.xmin + (bx.xmax - bx.xmin) * k / (d->grid_n - 1);
                        double yv = fmin(fmax(g[k], bx.ymin), bx.ymax);
                        if (isfinite(g[k]))
                            pts[m++] = (prim_pt){ PX(xv), PY(yv), 0, col };
                    }
                    prims_polyline(h, pts, m, w);
                }
            }
    }
    if (d->batch) {
        for (int k = 0; k < d->batch_n; k++) {
            int s = d->batch[k];
            if (s < 0 || s >= d->n)
                continue;
            float x = PX(d->xy[2 * s]), yy = PY(d->xy[2 * s + 1]);
            uint32_t c = d->cls ? render_class_color(d->cls[s]) : COL_SAMPLE;
            prims_mark(h, x, yy, 0, rad * 2.2f + 2.5f, PRIM_RING, RGBA(255, 255, 255, 255));
            prims_mark(h, x, yy, 0, rad * 1.5f, PRIM_DISC, c);
        }
    }
#undef PX
#undef PY
    prim_pt fr[5] = { { p.x, p.y, 0, COL_AXIS }, { p.x + p.w, p.y, 0, COL_AXIS },
                      { p.x + p.w, p.y + p.h, 0, COL_AXIS }, { p.x, p.y + p.h, 0, COL_AXIS },
                      { p.x, p.y, 0, COL_AXIS } };
    prims_polyline(h, fr, 5, 1.0f);
    /* axes: the ends of each range and the names */
    rd_fmt_num(a, sizeof a, bx.xmin), rd_fmt_num(b, sizeof b, bx.xmax);
    /* the ends, and the name between them where it fits (a small square: the ends only) */
    const char *xname = d->xlabel ? d->xlabel : "x1";
    float wa = text_width(r->font, TEXT_SMALL, a), wb = text_width(r->font, TEXT_SMALL, b), gap = rd_em(r) * 0.5f;
    float wn = text_width(r->font, TEXT_SMALL, xname);
    if (wa + wb + gap <= p.w) {
        text_draw(r->font, h, TEXT_SMALL, p.x, p.y + p.h + 1, a, COL_DIM, TEXT_LEFT);
        text_draw(r->font, h, TEXT_SMALL, p.x + p.w, p.y + p.h + 1, b, COL_DIM, TEXT_RIGHT);
    }
    if (fmaxf(wa, wb) * 2 + wn + 2 * gap <= p.w)
        text_draw(r->font, h, TEXT_SMALL, p.x + p.w * 0.5f, p.y + p.h + 1, xname, COL_DIM, TEXT_CENTER);
    rd_fmt_num(a, sizeof a, bx.ymin), rd_fmt_num(b, sizeof b, bx.ymax);
    text_draw(r->font, h, TEXT_SMALL, p.x - 3, p.y + p.h - sh, a, COL_DIM, TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, p.x - 3, p.y, b, COL_DIM, TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, p.x - 3, p.y + p.h * 0.5f - sh * 0.5f, d->ylabel ? d->ylabel : "x2", COL_DIM,
              TEXT_RIGHT);
    /* key */
    /* the key and the notes: under the square, or right of it in a wide strip */
    float kx0 = area.x + pad, ky = p.y + p.h + sh * 1.3f;
    if (area.w > area.h * 1.5f) {
        kx0 = p.x + p.w + pad + rd_em(r);
        ky = p.y;
    }
    float kx = kx0;
    if (d->cls) {
        for (int c = 0; c < d->n_classes && c < RENDER_DATA_CLASSES; c++) {
            prims_mark(h, kx + rad * 2, ky + sh * 0.5f, 0, rad * 1.6f, PRIM_DISC, render_class_color(c));
            snprintf(buf, sizeof buf, _("class %d"), c);
            kx += rad * 4 + text_draw(r->font, h, TEXT_SMALL, kx + rad * 4, ky, buf, COL_TEXT, TEXT_LEFT) + rd_em(r) * 0.6f;
        }
    }
    if (d->batch) {
        snprintf(buf, sizeof buf, _("mini-batch (%d)"), d->batch_n);
        if (kx + rad * 6 + text_width(r->font, TEXT_SMALL, buf) > area.x + area.w - pad) {
            kx = kx0;   /* no room left in the row: a row of its own */
            ky += sh * 1.1f;
        }
        prims_mark(h, kx + rad * 3, ky + sh * 0.5f, 0, rad * 2.2f, PRIM_RING, RGBA(255, 255, 255, 255));
        text_draw(r->font, h, TEXT_SMALL, kx + rad * 6, ky, rd_fit_text(r, TEXT_SMALL, buf, tw, cut, sizeof cut),
                  COL_TEXT, TEXT_LEFT);
    }
    ky += sh * 1.1f;
    ky = draw_note(r, &lines, kx0, ky, COL_DIM) + sh * 0.3f;   /* a gap between notes */
    draw_note(r, &surf, kx0, ky, d->surface_batch ? r->th->narr : COL_DIM);
}
