/*
 * plot.c — the side column's plots: loss per run (each run's line has the dash of its
 * trail: solid, dashed for a second run of one optimizer; train in the run's colour,
 * test dotted in a lighter shade of it (short dots, not the second run's dashes), so
 * a test line is told from its train line and from a second run; the
 * value axis from core/axis.h: log over the decades the values span, with a band
 * under it for exact zeros (labelled "0", its edge a broken line), symmetric log for
 * negative losses; the title names that axis ("log axis"), not the surface's scale; diverged runs and runs outside the view left out of the
 * scale and dimmed), accuracy (train, test) for classification data, and the
 * learning rate each run used, as steps. Lines that coincide (equal losses, equal rates:
 * within a line's width of one another over a stretch) share that stretch in turns, a
 * few pixels each in the order of the runs, so each run's colour shows along it where
 * the last one drawn would hide the others; the values keep a few pixels off the frame,
 * so a line at either end of the axis is not drawn on the frame's own line.
 *
 * plot_draw_column lays the plots out below the legend and draws them into r->hud;
 * the series come from the trainer's history and the frame's render_series.
 */
#include "render/render_internal.h"
#include "render/i18n.h"

#include "core/axis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* One small plot: series of (step, value) per run; log y if every value > 0. */
typedef double (*series_fn)(const renderer *r, const render_frame *f, int run, int j, int n, double *step);
typedef int (*count_fn)(const render_frame *f, int run);

/* A series of a plot: how many points run `run` has, the j-th one; light: a test
 * series (the run's colour lightened, a thinner line, the run's own dash). */
typedef struct plot_series {
    count_fn count;
    series_fn at;
    int light;
} plot_series;

/* c mixed with white by t (0: c), alpha kept: the shade of a test series. */
static uint32_t lighten(uint32_t c, float t)
{
    uint32_t out = c & 0xff000000u;
    for (int k = 0; k < 3; k++) {
        float v = (float)((c >> (8 * k)) & 0xff);
        v += (255.0f - v) * t;
        out |= (uint32_t)(v + 0.5f) << (8 * k);
    }
    return out;
}

static int loss_count(const render_frame *f, int run)
{
    int n = 0;
    trainer_history(f->tr, run, &n);
    return n;
}

static double loss_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    const trainer_point *h = trainer_history(f->tr, run, &n);
    *step = (double)h[j].step;
    return h[j].loss;
}

static int test_count(const render_frame *f, int run) { return f->series ? f->series[run].count : 0; }

/* The loss plot's training curve: the metrics worker's full-data samples where it
 * computes them (render_series.train_loss), else the trainer's history. */
static int async_loss(const render_frame *f) { return f->series && f->series[0].train_loss; }

static int train_count(const render_frame *f, int run)
{
    return async_loss(f) ? f->series[run].count : loss_count(f, run);
}

static double train_loss_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    if (!async_loss(f))
        return loss_at(r, f, run, j, n, step);
    const render_series *s = &f->series[run];
    *step = (double)s->step[j];
    return s->train_loss[j];
}

static double test_loss_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    const render_series *s = &f->series[run];
    *step = (double)s->step[j];
    return s->test_loss ? s->test_loss[j] : NAN;
}

static double test_acc_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    const render_series *s = &f->series[run];
    *step = (double)s->step[j];
    return s->test_acc ? s->test_acc[j] : NAN;
}

static double train_acc_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    const render_series *s = &f->series[run];
    *step = (double)s->step[j];
    return s->train_acc ? s->train_acc[j] : NAN;
}

static int sharp_count(const render_frame *f, int run) { return f->sharp ? f->sharp[run].count : 0; }

static double sharp_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    *step = (double)f->sharp[run].step[j];
    return f->sharp[run].value[j];
}

static long max_steps(const render_frame *f)
{
    long m = 1;
    for (int i = 0; i < trainer_run_count(f->tr); i++) {
        long s = trainer_run_get(f->tr, i)->steps;
        m = s > m ? s : m;
    }
    return m;
}

/* The rate each run actually used, at its history's points (issue 9 #4: a rate
 * changed live shows as a jump from that step on; history is never rescaled). */
static double rate_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    const trainer_point *h = trainer_history(f->tr, run, &n);
    *step = (double)h[j].step;
    return h[j].lr;
}

/* A dashed polyline (dashes 7 px, gaps 5 px), as separate line pieces. */
static void dashed_polyline(prims *h, const prim_pt *pts, int n, float width)
{
    rd_dashed_polyline(h, pts, n, width, 0.0f, 7.0f, 5.0f);
}

/* A run left out of a plot's scale: diverged, or its current point outside the
 * view (escaped): its values would set everyone's scale (issue 9 #7). */
static int run_excluded(const render_frame *f, int i)
{
    return trainer_run_get(f->tr, i)->diverged || rd_run_escaped(f, i);
}

/* The pixels a value keeps off the plot's frame at either end of the axis. */
#define PLOT_INSET 3.0f

/* The turns coinciding lines take (px along x), and how close two lines are to count
 * as one (px in y: a 2-px line drawn over another this close leaves it a sliver at most). */
#define SHARE_DASH 6.0f
#define SHARE_TOL 1.6f

/* One run's line of a plot in pixels: its points, and its y at each pixel column of the
 * plot (NAN where it has no point: before its first, after its last). */
typedef struct plot_line {
    prim_pt *pts;
    int n;
    float *col_y;
} plot_line;

/* The line's y at every column 0..ncol-1 (column c is x = x0 + c), linear between its
 * points; a vertical piece (a rate's step) gives its column the later value. */
static void line_columns(plot_line *l, float x0, int ncol)
{
    for (int c = 0; c < ncol; c++)
        l->col_y[c] = NAN;
    for (int k = 0; k < l->n; k++) {
        const prim_pt *b = &l->pts[k];
        if (k == 0) {
            int c = (int)lroundf(b->x - x0);
            if (c >= 0 && c < ncol)
                l->col_y[c] = b->y;
            continue;
        }
        const prim_pt *a = &l->pts[k - 1];
        int c0 = (int)ceilf(a->x - x0), c1 = (int)floorf(b->x - x0);
        for (int c = c0 < 0 ? 0 : c0; c <= c1 && c < ncol; c++) {
            float x = x0 + (float)c, t = b->x > a->x ? (x - a->x) / (b->x - a->x) : 1.0f;
            l->col_y[c] = a->y + (b->y - a->y) * t;
        }
    }
}

/* Whether run i draws its line at column c: alone there, always; where k lines
 * coincide (i's and those within SHARE_TOL of it), in turns of SHARE_DASH px, the
 * m-th of them (by run order) every k-th turn. */
static int line_turn(const plot_line *ls, int nr, int i, int c)
{
    float y = ls[i].col_y[c];
    if (isnan(y))
        return 1;
    int k = 0, m = 0;
    for (int j = 0; j < nr; j++) {
        float yj = ls[j].col_y[c];
        if (ls[j].n < 2 || isnan(yj) || fabsf(yj - y) >= SHARE_TOL)
            continue;
        if (j < i)
            m++;
        k++;
    }
    return k <= 1 || (int)floorf((float)c / SHARE_DASH) % k == m;
}

/* Whether run i's line coincides with another's anywhere. */
static int line_shared(const plot_line *ls, int nr, int i, int ncol)
{
    for (int c = 0; c < ncol; c++)
        if (!line_turn(ls, nr, i, c))
            return 1;
    return 0;
}

/* Run i's line in its turns (line_turn): each turn's stretch a polyline of its own in
 * the line's style (width lw; stairs: right-angled pieces; the plot's dark edge). */
static void draw_turns(renderer *r, const plot_line *ls, int nr, int i, float x0, int ncol, float lw,
                       int stairs)
{
    const plot_line *l = &ls[i];
    prim_pt *run = malloc((size_t)(3 * l->n + 2) * sizeof *run);
    if (!run)
        return;
    int m = 0;
    prims *h = r->hud;
#define FLUSH()                                                                                      \
    do {                                                                                             \
        if (m >= 2) {                                                                                \
            if (stairs)                                                                              \
                for (int q = 1; q < m; q++)                                                          \
                    prims_line(h, run[q - 1].x, run[q - 1].y, run[q].x, run[q].y, lw, run[q].rgba);  \
            else                                                                                     \
                prims_polyline_ex(h, run, m, lw + 2 * r->th->plot_edge, r->th->plot_edge, 0.0f);     \
        }                                                                                            \
        m = 0;                                                                                       \
    } while (0)
    for (int k = 1; k < l->n; k++) {
        prim_pt a = l->pts[k - 1], b = l->pts[k];
        /* the segment cut where a turn may change: at every turn's edge in x */
        float xa = a.x, xb = b.x;
        float t0 = 0;
        while (t0 < 1.0f) {
            float xs = xa + (xb - xa) * t0, t1 = 1.0f;
            if (xb > xa) {
                float edge = (floorf((xs - x0) / SHARE_DASH + 1e-4f) + 1) * SHARE_DASH + x0;
                if (edge < xb)
                    t1 = (edge - xa) / (xb - xa);
            }
            float xm = xa + (xb - xa) * 0.5f * (t0 + t1);
            int c = (int)floorf(xm - x0);
            int on = c < 0 || c >= ncol || line_turn(ls, nr, i, c);
            if (on) {
                prim_pt p0 = { xa + (xb - xa) * t0, a.y + (b.y - a.y) * t0, 0, a.rgba };
                prim_pt p1 = { xa + (xb - xa) * t1, a.y + (b.y - a.y) * t1, 0, a.rgba };
                if (m == 0 || run[m - 1].x != p0.x || run[m - 1].y != p0.y)
                    run[m++] = p0;
                run[m++] = p1;
                if (m >= 3 * l->n)
                    FLUSH();
            } else
                FLUSH();
            t0 = t1;
        }
    }
    FLUSH();
#undef FLUSH
    free(run);
}

/* The plot of n_ser series per run in rc. unit = 1: a linear axis to 1 (accuracy);
 * else the axis axis_fit chooses (log, log with a floor, symmetric log) from the
 * finite values of the runs not left out (run_excluded; all of them when every run
 * is). stairs = 1: a value holds from its step until the next point's (rates).
 * Runs left out are drawn dimmed and clamped to the frame. */
static void draw_plot(renderer *r, const render_frame *f, render_rect rc, const char *title,
                      const plot_series *ser, int n_ser, int unit, int stairs, long mark,
                      const char *note)
{
    prims *h = r->hud;
    float sh = text_line_height(r->font, TEXT_SMALL);
    int nr = trainer_run_count(f->tr);
    double xmax = (double)max_steps(f);
    axis ax;
    int excluded_any = 0;
    for (int pass = 0; pass < 2; pass++) {
        axis_begin(&ax);
        for (int q = 0; q < n_ser; q++)
            for (int i = 0; i < nr; i++) {
                if (pass == 0 && run_excluded(f, i)) {
                    excluded_any = 1;
                    continue;
                }
                int n = ser[q].count(f, i);
                for (int j = 0; j < n; j++) {
                    double s, v = ser[q].at(r, f, i, j, n, &s);
                    axis_add(&ax, v);
                    if (isfinite(v))
                        xmax = fmax(xmax, s);
                }
            }
        if (ax.n > 0)
            break;
        excluded_any = 0;   /* every run is left out: scale from all of them */
    }
    if (unit) {
        axis_add(&ax, 1);
        axis_add(&ax, fmin(ax.vmin, 0.5));
    }
    int have = axis_fit(&ax, unit);
    /* the title names the plot's own value axis, never the surface's height scale */
    char head[160];
    snprintf(head, sizeof head, "%s%s%s", title,
             unit ? "" : ax.kind == AXIS_LOG ? _("  (log axis)")
             : ax.kind == AXIS_SYMLOG ? _("  (symmetric log axis)") : "",
             excluded_any ? "  *" : "");
    text_draw(r->font, h, TEXT_SMALL, rc.x, rc.y, head, COL_TEXT, TEXT_LEFT);
    /* the tick labels' gap from the frame, the same on every side (left of the value
     * labels, above the step labels); the left margin holds a label as wide as
     * "8.88e-88" and that gap, so the plot's edge does not move as the values do */
    float gap = fmaxf(4.0f, roundf(rd_em(r) * 0.3f));
    float left = fmaxf(rd_em(r) * 3.4f, text_width(r->font, TEXT_SMALL, "8.88e-88") + gap);
    render_rect p = { rc.x + left, rc.y + sh * 1.45f, rc.w - left - rd_em(r) * 0.2f,
                      rc.h - sh * 2.65f + 1 - gap };
    /* the inside: opaque, drawn before the column's primitives (renderer_draw flushes
     * them after the column), from the static layer when it holds it (a blended
     * rectangle would cost the software rasteriser a shaded, blended pass over every
     * pixel of it, a scissored clear a pass too) */
    rd_plot_inside(r, p.x, p.y, p.x + p.w, p.y + p.h);
    prim_pt fr[5] = { { p.x, p.y, 0, COL_AXIS }, { p.x + p.w, p.y, 0, COL_AXIS },
                      { p.x + p.w, p.y + p.h, 0, COL_AXIS }, { p.x, p.y + p.h, 0, COL_AXIS },
                      { p.x, p.y, 0, COL_AXIS } };
    prims_polyline(h, fr, 5, 1.0f);
    rd_box(r, p, RENDER_BOX_AREA, 1);
    if (!have)
        return;
    /* the values' span: PLOT_INSET px in from the frame (none in a plot too low for it) */
    float ins = p.h > 4 * PLOT_INSET ? PLOT_INSET : 0.0f, vy = p.y + ins, vh = p.h - 2 * ins;
    char buf[48], num[32];
    rd_fmt_num(num, sizeof num, axis_unmap(&ax, 1));
    text_draw(r->font, h, TEXT_SMALL, floorf(p.x - gap), p.y - sh * 0.3f, num, COL_DIM, TEXT_RIGHT);
    if (p.h >= sh * 2.2f) {   /* room for both ends' labels without touching */
        /* the bottom: "0" where exact zeros sit under the log part, "≤" where
         * values further down than the axis reaches sit on it */
        if (ax.kind == AXIS_LOG && ax.zeros)
            snprintf(buf, sizeof buf, "0");
        else {
            rd_fmt_num(num, sizeof num, axis_unmap(&ax, 0));
            snprintf(buf, sizeof buf, "%s%s", ax.kind == AXIS_LOG && ax.clamped ? "≤" : "", num);
        }
        text_draw(r->font, h, TEXT_SMALL, floorf(p.x - gap), p.y + p.h - sh * 0.8f, buf, COL_DIM, TEXT_RIGHT);
    }
    if (ax.kind == AXIS_LOG && ax.zeros) {
        /* the zero band's edge: a broken line where the log part ends */
        float yb = vy + vh - (float)axis_map(&ax, ax.low) * vh;
        rd_dashed_polyline(h, (prim_pt[]){ { p.x, yb, 0, COL_GRID }, { p.x + p.w, yb, 0, COL_GRID } }, 2,
                           1.0f, 0.0f, 3.0f, 3.0f);
    }
    if (ax.kind == AXIS_SYMLOG && ax.vmin < 0 && ax.vmax > 0) {
        /* the zero line */
        float y0 = vy + vh - (float)axis_map(&ax, 0) * vh;
        prims_line(h, p.x, y0, p.x + p.w, y0, 1.0f, COL_GRID);
    }
    snprintf(buf, sizeof buf, "%.0f", xmax);
    text_draw(r->font, h, TEXT_SMALL, p.x + p.w, ceilf(p.y + p.h + gap), buf, COL_DIM, TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, p.x, ceilf(p.y + p.h + gap), "0", COL_DIM, TEXT_LEFT);
    text_draw(r->font, h, TEXT_SMALL, p.x + p.w * 0.5f, ceilf(p.y + p.h + gap), _("step"), COL_DIM, TEXT_CENTER);
    if (note)   /* how fresh the values are, top right inside the frame */
        text_draw(r->font, h, TEXT_SMALL, p.x + p.w - 3, p.y + 1, note, COL_DIM, TEXT_RIGHT);
    if (mark >= 0) {   /* the step the newest values are of */
        float mx = p.x + (float)fmin((double)mark / xmax, 1.0) * p.w;
        prims_line(h, mx, p.y, mx, p.y + p.h, 1.0f, COL_GRID);
    }
    int ncol = (int)ceilf(p.w) + 1;
    for (int q = 0; q < n_ser; q++) {
        /* every run's line first (pixels), then each drawn: alone as before, or in
         * turns along the stretches where it coincides with another (line_turn) */
        int total = 0;
        for (int i = 0; i < nr; i++)
            total += 2 * ser[q].count(f, i);
        prim_pt *all = rd_scratch(r, total > 0 ? total : 1);
        plot_line *ls = calloc((size_t)(nr > 0 ? nr : 1), sizeof *ls);
        float *cols = ser[q].light ? NULL : malloc((size_t)nr * (size_t)ncol * sizeof *cols);
        if (!all || !ls) {
            free(ls);
            free(cols);
            return;
        }
        float lw = ser[q].light ? 1.3f : 2.0f;
        for (int i = 0, off = 0; i < nr; i++) {
            int n = ser[q].count(f, i);
            prim_pt *pts = all + off;
            off += 2 * n;
            int m = 0;
            float al = trainer_run_get(f->tr, i)->active ? 1.0f : 0.35f;
            if (excluded_any && run_excluded(f, i))
                al *= 0.5f;
            uint32_t col = render_run_color(f->tr, i);
            col = rgba_alpha(ser[q].light ? lighten(col, 0.55f) : col, al);
            for (int j = 0; j < n; j++) {
                double s, v = ser[q].at(r, f, i, j, n, &s);
                if (!isfinite(v))
                    continue;
                double t = fmin(fmax(axis_map(&ax, v), 0), 1);
                float px = p.x + (float)(s / xmax) * p.w, py = vy + vh - (float)t * vh;
                if (stairs && m > 0) {
                    float prev_y = pts[m - 1].y;
                    if (py == prev_y && j < n - 1)
                        continue;   /* no step here: one long piece, not many pixel-sized ones */
                    pts[m++] = (prim_pt){ px, prev_y, 0, col };
                }
                pts[m++] = (prim_pt){ px, py, 0, col };
            }
            ls[i].pts = pts;
            ls[i].n = m;
            if (cols) {
                ls[i].col_y = cols + (size_t)i * (size_t)ncol;
                line_columns(&ls[i], p.x, ncol);
            }
        }
        for (int i = 0; i < nr; i++) {
            prim_pt *pts = ls[i].pts;
            int m = ls[i].n;
            if (ser[q].light)   /* a test series: dotted, whatever the run's dash */
                rd_dashed_polyline(h, pts, m, lw + 0.3f, 0.0f, 2.0f, 3.0f);
            else if (cols && m >= 2 && line_shared(ls, nr, i, ncol))   /* in turns with another */
                draw_turns(r, ls, nr, i, p.x, ncol, lw, stairs);
            else if (render_run_dashed(f->tr, i))   /* the dash of its trail and legend swatch */
                dashed_polyline(h, pts, m, lw * 0.9f);
            else if (stairs)   /* right angles: separate pieces, no mitred joints */
                for (int k = 1; k < m; k++)
                    prims_line(h, pts[k - 1].x, pts[k - 1].y, pts[k].x, pts[k].y, lw, pts[k].rgba);
            else
                prims_polyline_ex(h, pts, m, lw + 2 * r->th->plot_edge, r->th->plot_edge, 3.0f);
        }
        free(cols);
        free(ls);
    }
}

/* The freshness of the worker's full-data metrics: the step they are of (-1: not
 * async) and the loss plot's corner note about it, in note (NULL: no note). */
static long fresh_mark(const render_frame *f, char *note, size_t size, const char **nt)
{
    *nt = NULL;
    if (!async_loss(f))
        return -1;
    long fresh = f->series[0].fresh_step, now = trainer_steps(f->tr);
    if (fresh < 0)
        snprintf(note, size, "%s", _("full data: computing"));
    else if (now > fresh)
        snprintf(note, size, _("full data: step %ld (%ld behind)"), fresh, now - fresh);
    else
        snprintf(note, size, _("full data: step %ld"), fresh);
    *nt = note;
    return fresh;
}

/* Whether every run has used one rate all along (no schedule, no change by a key). */
static int rates_constant(const render_frame *f)
{
    for (int i = 0; i < trainer_run_count(f->tr); i++) {
        int n = 0;
        const trainer_point *h = trainer_history(f->tr, i, &n);
        for (int j = 1; j < n; j++)
            if (h[j].lr != h[0].lr)
                return 0;
    }
    return 1;
}

void plot_draw_column(renderer *r, const render_frame *f, render_rect side_rect, float y)
{
    float pad = rd_em(r) * 0.6f, sh = text_line_height(r->font, TEXT_SMALL);
    float avail = side_rect.y + side_rect.h - y - pad;
    int acc = f->series && (f->series[0].test_acc || f->series[0].train_acc);
    float wpl = side_rect.w - 2 * pad;
    if (avail <= rd_em(r) * 8)
        return;
    /* metrics from the background worker: the step they are of, marked */
    char note[96];
    const char *nt;
    long mark = fresh_mark(f, note, sizeof note, &nt);
    plot_series la[2] = { { train_count, train_loss_at, 0 }, { test_count, test_loss_at, 1 } };
    plot_series aa[2] = { { test_count, train_acc_at, 0 }, { test_count, test_acc_at, 1 } };
    plot_series ra = { loss_count, rate_at, 0 };
    const char *ltitle = f->series && f->series[0].test_loss ? _("loss: train, test (dotted)") : _("loss");
    int nl = f->series && f->series[0].test_loss ? 2 : 1;
    /* accuracy: train, and test where there is a test split */
    const char *atitle = f->series && f->series[0].test_acc ? _("accuracy: train, test (dotted)") : _("accuracy");
    int na = f->series && f->series[0].test_acc ? 2 : 1;
    if (f->sharp) {
        /* loss, [accuracy,] sharpness, rate: the sharpness plot takes a share of each */
        float fl = acc ? 0.32f : 0.42f, fa = acc ? 0.2f : 0, fs = acc ? 0.22f : 0.28f;
        float fr = 1 - fl - fa - fs - (acc ? 0.06f : 0.04f), yy = y;
        render_rect a = { side_rect.x + pad, yy, wpl, avail * fl };
        draw_plot(r, f, a, ltitle, la, nl, 0, 0, mark, nt);
        yy += avail * (fl + 0.02f);
        if (acc) {
            render_rect c = { side_rect.x + pad, yy, wpl, avail * fa };
            draw_plot(r, f, c, atitle, aa, na, 1, 0, mark, NULL);
            yy += avail * (fa + 0.02f);
        }
        render_rect s = { side_rect.x + pad, yy, wpl, avail * fs };
        plot_series sa = { sharp_count, sharp_at, 0 };
        draw_plot(r, f, s, _("sharpness: top Hessian eigenvalue"), &sa, 1, 0, 0, -1, NULL);
        yy += avail * (fs + 0.02f);
        render_rect b = { side_rect.x + pad, yy, wpl, avail * fr };
        draw_plot(r, f, b, _("learning rate used"), &ra, 1, 0, 1, -1, NULL);
    } else if (acc && avail * 0.28f - sh * 2.65f - fmaxf(4.0f, roundf(rd_em(r) * 0.3f)) < rd_em(r) * 2.5f &&
               rates_constant(f)) {   /* (the size first: the history's scan only where it matters) */
        /* three plots too low to read (moons-mlp-bn at 640x360: 14 px each for the
         * accuracy and the rate): where every run kept its rate (the legend's η) a
         * line says so instead of the rate plot, and loss and accuracy share its room */
        float line = sh * 1.3f, room = avail - line;
        render_rect a = { side_rect.x + pad, y, wpl, room * 0.6f };
        draw_plot(r, f, a, ltitle, la, nl, 0, 0, mark, nt);
        render_rect c = { side_rect.x + pad, y + room * 0.62f, wpl, room * 0.38f };
        draw_plot(r, f, c, atitle, aa, na, 1, 0, mark, NULL);
        text_draw(r->font, r->hud, TEXT_SMALL, side_rect.x + pad, y + room + sh * 0.15f,
                  _("learning rates constant: η in the legend"), COL_DIM, TEXT_LEFT);
    } else {
        float fl = acc ? 0.42f : 0.58f, fa = acc ? 0.28f : 0, fr = acc ? 0.26f : 0.4f;
        render_rect a = { side_rect.x + pad, y, wpl, avail * fl };
        draw_plot(r, f, a, ltitle, la, nl, 0, 0, mark, nt);
        if (acc) {
            render_rect c = { side_rect.x + pad, y + avail * (fl + 0.02f), wpl, avail * fa };
            draw_plot(r, f, c, atitle, aa, na, 1, 0, mark, NULL);
        }
        render_rect b = { side_rect.x + pad, y + avail * (1 - fr), wpl, avail * fr };
        draw_plot(r, f, b, _("learning rate used"), &ra, 1, 0, 1, -1, NULL);
    }
}
