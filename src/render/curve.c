/*
 * curve.c — the 1-D view: a field that depends on a alone (render_field.curve: a
 * 1-D loss-landscape file, the loss along a line between two parameter vectors) is
 * drawn as a true curve, loss over a, not as a surface stretched along b. The runs
 * move along it: each trail is the run's path on the curve, its marker the current
 * point. The field may bring its own samples (joined by straight lines), a second curve (dashed: the test loss along the line)
 * with a key, and named vertical marks (t = 0 and t = 1). The value axis is linear, or log when the scene's height scale is log and
 * every value shown is positive.
 */
#include "render/render_internal.h"

#include "render/fan.h"
#include "render/i18n.h"

#include <math.h>
#include <stdio.h>

#define CURVE_SAMPLES 512

typedef struct curve_axes {
    render_rect m;          /* the plot's rectangle */
    double a0, a1;          /* a range */
    double v0, v1;          /* value range (log10 units when lg) */
    int lg;
} curve_axes;

static float cx(const curve_axes *c, double a) { return c->m.x + (float)((a - c->a0) / (c->a1 - c->a0)) * c->m.w; }
static float cy(const curve_axes *c, double v)
{
    double t = c->lg ? log10(fmax(v, 1e-300)) : v;
    float y = c->m.y + c->m.h - (float)((t - c->v0) / (c->v1 - c->v0)) * c->m.h;
    return fminf(fmaxf(y, c->m.y - 4.0f), c->m.y + c->m.h + 4.0f);
}

static void draw_axes(renderer *r, const curve_axes *c, const char *xlabel)
{
    prims *h = r->hud;
    render_rect m = c->m;
    float tick = rd_em(r) * 0.35f, lh = text_line_height(r->font, TEXT_SMALL);
    prim_pt frame[5] = { { m.x, m.y, 0, COL_AXIS }, { m.x + m.w, m.y, 0, COL_AXIS },
                         { m.x + m.w, m.y + m.h, 0, COL_AXIS }, { m.x, m.y + m.h, 0, COL_AXIS },
                         { m.x, m.y, 0, COL_AXIS } };
    prims_polyline(h, frame, 5, 1.2f);
    char buf[32];
    double st = rd_nice_step(c->a1 - c->a0, (int)fmaxf(3, m.w / (rd_em(r) * 5)));
    for (double v = ceil(c->a0 / st - 1e-9) * st; v <= c->a1 + st * 1e-9; v += st) {
        float x = cx(c, v);
        snprintf(buf, sizeof buf, "%g", fabs(v) < st * 1e-6 ? 0 : v);
        prims_line(h, x, m.y + m.h, x, m.y + m.h + tick, 1.2f, COL_AXIS);
        prims_line(h, x, m.y, x, m.y + m.h, 1.0f, r->th->grid_faint);
        text_draw(r->font, h, TEXT_SMALL, x, m.y + m.h + tick, buf, COL_DIM, TEXT_CENTER);
    }
    st = rd_nice_step(c->v1 - c->v0, (int)fmaxf(3, m.h / (rd_em(r) * 3)));
    if (c->lg && st < 1)
        st = 1;   /* whole decades */
    for (double v = ceil(c->v0 / st - 1e-9) * st; v <= c->v1 + st * 1e-9; v += st) {
        float y = m.y + m.h - (float)((v - c->v0) / (c->v1 - c->v0)) * m.h;
        if (c->lg)
            snprintf(buf, sizeof buf, "%g", pow(10, v));
        else
            rd_fmt_num(buf, sizeof buf, fabs(v) < st * 1e-6 ? 0 : v);
        prims_line(h, m.x - tick, y, m.x, y, 1.2f, COL_AXIS);
        prims_line(h, m.x, y, m.x + m.w, y, 1.0f, r->th->grid_faint);
        text_draw(r->font, h, TEXT_SMALL, m.x - tick - 3, y - lh * 0.5f, buf, COL_DIM, TEXT_RIGHT);
    }
    text_draw(r->font, h, TEXT_SMALL, m.x + m.w, m.y + m.h + tick + lh * 1.05f, xlabel ? xlabel : "x",
              COL_DIM, TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, m.x, m.y - lh * 1.2f, c->lg ? _("loss (log)") : _("loss"), COL_DIM,
              TEXT_LEFT);
}

/* The field's second curve (dashed), its key, and the named vertical marks. */
static void draw_extras(renderer *r, const render_field *fd, const curve_axes *c)
{
    float em = rd_em(r), lh = text_line_height(r->font, TEXT_SMALL);
    const uint32_t col2 = r->th->curve2;
    for (int k = 0; k < fd->n_marks && k < 2; k++) {
        double a = fd->mark_x[k];
        if (a < c->a0 || a > c->a1)
            continue;
        float x = cx(c, a);
        prim_pt seg[2] = { { x, c->m.y, 0, r->th->mark },
                           { x, c->m.y + c->m.h, 0, r->th->mark } };
        rd_dashed_polyline(r->hud, seg, 2, 1.5f, 1.0f, em * 0.5f, em * 0.4f);
        /* the name beside the mark, on the side with more room, a row apart */
        int right = x < c->m.x + c->m.w * 0.5f;
        if (fd->mark_label[k])
            text_draw(r->font, r->hud, TEXT_SMALL, x + (right ? 0.3f : -0.3f) * em,
                      c->m.y + em * 0.2f + k * lh, fd->mark_label[k], COL_DIM,
                      right ? TEXT_LEFT : TEXT_RIGHT);
    }
    if (fd->ns > 1 && fd->ys2) {
        prim_pt *pts = rd_scratch(r, fd->ns);
        int m = 0;
        for (int k = 0; pts && k < fd->ns; k++)
            if (isfinite(fd->ys2[k]) && fd->xs[k] >= c->a0 && fd->xs[k] <= c->a1)
                pts[m++] = (prim_pt){ cx(c, fd->xs[k]), cy(c, fd->ys2[k]), 0, col2 };
        if (m > 1)
            rd_dashed_polyline(r->hud, pts, m, fmaxf(2.0f, em * 0.15f) + 2.0f, 1.5f, em * 0.8f, em * 0.5f);
    }
    if (fd->label1 || fd->label2) {   /* the key: one row above the plot, right-aligned */
        float x = c->m.x + c->m.w, y = c->m.y - lh * 1.2f, len = em * 1.8f, lw = fmaxf(2.0f, em * 0.15f) + 2.0f;
        const char *lab[2] = { fd->label1, fd->ys2 ? fd->label2 : NULL };
        uint32_t cols[2] = { r->th->curve, col2 };
        for (int k = 1; k >= 0; k--) {
            if (!lab[k])
                continue;
            float w = text_width(r->font, TEXT_SMALL, lab[k]);
            text_draw(r->font, r->hud, TEXT_SMALL, x, y, lab[k], COL_DIM, TEXT_RIGHT);
            prim_pt seg[2] = { { x - w - em * 0.4f - len, y + lh * 0.55f, 0, cols[k] },
                               { x - w - em * 0.4f, y + lh * 0.55f, 0, cols[k] } };
            if (k == 0)
                prims_polyline_ex(r->hud, seg, 2, lw, 1.5f, 1.0f);
            else
                rd_dashed_polyline(r->hud, seg, 2, lw, 1.5f, em * 0.5f, em * 0.3f);
            x -= w + len + em * 1.6f;
        }
    }
}

void curve_draw_panel(renderer *r, const render_frame *f, panel_state *ps, float top_band)
{
    render_rect rc = ps->lp.rect;
    surface_domain d = f->field->domain;
    const double b = 0.5 * (d.ymin + d.ymax);   /* the field does not depend on b */
    static double vals[CURVE_SAMPLES];
    double vmin = INFINITY, vmax = -INFINITY;
    for (int k = 0; k < CURVE_SAMPLES; k++) {
        double a = d.xmin + (d.xmax - d.xmin) * k / (CURVE_SAMPLES - 1);
        vals[k] = rd_feval(f, a, b, NULL, NULL);
        if (isfinite(vals[k])) {
            vmin = fmin(vmin, vals[k]);
            vmax = fmax(vmax, vals[k]);
        }
    }
    int nr = trainer_run_count(f->tr);
    for (int i = 0; i < nr; i++) {   /* the runs inside the domain count for the scale */
        const trainer_run *run = trainer_run_get(f->tr, i);
        double cur[2];
        rd_run_points(f, run, cur, NULL);
        if (!run->diverged && cur[0] >= d.xmin && cur[0] <= d.xmax && isfinite(run->loss)) {
            vmin = fmin(vmin, run->loss);
            vmax = fmax(vmax, run->loss);
        }
    }
    const render_field *fd = f->field;
    for (int s = 0; s < 2; s++) {   /* the samples, and the second curve, count too */
        const double *y = s ? fd->ys2 : fd->ys;
        for (int k = 0; y && k < fd->ns; k++)
            if (fd->xs[k] >= d.xmin && fd->xs[k] <= d.xmax && isfinite(y[k])) {
                vmin = fmin(vmin, y[k]);
                vmax = fmax(vmax, y[k]);
            }
    }
    if (!isfinite(vmin)) {
        vmin = 0;
        vmax = 1;
    }
    curve_axes c = { .a0 = d.xmin, .a1 = d.xmax };
    c.lg = r->log && vmin > 0;
    c.v0 = c.lg ? log10(vmin) : vmin;
    c.v1 = c.lg ? log10(vmax) : vmax;
    double pad = c.v1 > c.v0 ? 0.06 * (c.v1 - c.v0) : fmax(fabs(c.v0) * 0.1, 0.5);
    c.v0 -= pad;
    c.v1 += pad;
    float em = rd_em(r);
    float ml = em * 4.6f, mb = em * 2.4f, mt = top_band + em * 1.8f, mr = em * 1.2f;
    c.m = (render_rect){ rc.x + ml, rc.y + mt, rc.w - ml - mr, rc.h - mt - mb };
    ps->map = c.m;
    /* the panel's own background (the static layer may hold another scene's map) */
    prims_rect(r->hud, rc.x, rc.y + top_band, rc.x + rc.w, rc.y + rc.h, COL_BG);
    prims_rect(r->hud, c.m.x, c.m.y, c.m.x + c.m.w, c.m.y + c.m.h, r->th->inset);
    draw_axes(r, &c, f->field->xlabel);
    /* the curve: the field's own samples joined, or the field at CURVE_SAMPLES points */
    int ns = fd->ns > 1 && fd->xs && fd->ys ? fd->ns : 0;
    prim_pt *pts = rd_scratch(r, ns ? ns : CURVE_SAMPLES);
    int m = 0;
    for (int k = 0; pts && k < (ns ? ns : CURVE_SAMPLES); k++) {
        double a = ns ? fd->xs[k] : d.xmin + (d.xmax - d.xmin) * k / (CURVE_SAMPLES - 1);
        double v = ns ? fd->ys[k] : vals[k];
        if (!isfinite(v) || a < d.xmin || a > d.xmax)
            continue;
        pts[m++] = (prim_pt){ cx(&c, a), cy(&c, v), 0, r->th->curve };
    }
    if (m > 1)
        prims_polyline_ex(r->hud, pts, m, fmaxf(2.0f, rd_em(r) * 0.15f) + 3.0f, 1.5f, 1.0f);
    draw_extras(r, f->field, &c);
    /* the runs: trail along the curve, marker at the current point (none: samples only) */
    if (f->samples_only)
        nr = 0;
    float w = fmaxf(2.5f, em * 0.2f), rad = em * 0.42f;
    for (int i = 0; i < nr; i++) {
        const trainer_run *run = trainer_run_get(f->tr, i);
        int n = 0;
        const trainer_point *hist = trainer_history(f->tr, i, &n);
        uint32_t col = render_run_color(f->tr, i);
        pts = rd_scratch(r, n + 1);
        m = 0;
        for (int j = 0; pts && j < n; j++) {
            double ab[2];
            rd_fproject(f, trainer_history_theta(f->tr, i, j), ab);
            if (ab[0] < d.xmin || ab[0] > d.xmax)
                continue;
            float age = n > 1 ? (float)j / (float)(n - 1) : 1.0f;
            pts[m++] = (prim_pt){ cx(&c, ab[0]), cy(&c, hist[j].loss), 0,
                                  rgba_alpha(col, (0.25f + 0.75f * age * age) * (run->active ? 1.0f : 0.35f)) };
        }
        if (m > 1) {
            if (render_run_dashed(f->tr, i))
                rd_dashed_polyline(r->hud, pts, m, w + 3.0f, 1.5f, em * 0.9f, em * 0.6f);
            else
                prims_polyline_ex(r->hud, pts, m, w + 3.0f, 1.5f, 1.5f);
        }
    }
    /* the markers: those on one spot fanned around it, with leader lines (fan.h) */
    float xy[2 * FAN_MAX], at[2 * FAN_MAX];
    int nm = nr < FAN_MAX ? nr : FAN_MAX;
    for (int i = 0; i < nm; i++) {
        const trainer_run *run = trainer_run_get(f->tr, i);
        double cur[2];
        rd_run_points(f, run, cur, NULL);
        double a = fmin(fmax(cur[0], d.xmin), d.xmax);
        double v = a == cur[0] ? run->loss : rd_feval(f, a, b, NULL, NULL);
        xy[2 * i] = cx(&c, a), xy[2 * i + 1] = cy(&c, v);
    }
    const float box[4] = { c.m.x, c.m.y, c.m.x + c.m.w, c.m.y + c.m.h };
    fan_markers(xy, nm, rad, box, NULL, 0, at);
    for (int i = 0; i < nm; i++) {
        const trainer_run *run = trainer_run_get(f->tr, i);
        double cur[2];
        rd_run_points(f, run, cur, NULL);
        double a = fmin(fmax(cur[0], d.xmin), d.xmax);
        float x = at[2 * i], y = at[2 * i + 1];
        uint32_t col = rgba_alpha(render_run_color(f->tr, i), run->active ? 1.0f : 0.4f);
        if (x != xy[2 * i] || y != xy[2 * i + 1]) {
            prim_pt lead[2] = { { xy[2 * i], xy[2 * i + 1], 0, col }, { x, y, 0, col } };
            prims_polyline_ex(r->hud, lead, 2, 4.0f, 1.25f, 0.5f);
        }
        prim_mark_kind kind = run->diverged ? PRIM_CROSS : a != cur[0] ? PRIM_RING : PRIM_DISC;
        if (i == f->selected && !run->diverged)
            prims_mark(r->hud, x, y, 0, rad + 6.0f, PRIM_RING, r->th->ring);
        prims_mark(r->hud, x, y, 0, rad + 2.0f, kind, COL_OUTLINE);
        prims_mark(r->hud, x, y, 0, rad, kind, col);
    }
}
