/*
 * plot.c — the side column's plots: loss per run (train solid, test dashed; log y
 * when every value is positive), accuracy (train, test) for classification data,
 * and the learning-rate schedule with a line at the current step.
 *
 * plot_draw_column lays the plots out below the legend and draws them into r->hud;
 * the series come from the trainer's history and the frame's render_series.
 */
#include "render/render_internal.h"

#include <math.h>
#include <stdio.h>

/* One small plot: series of (step, value) per run; log y if every value > 0. */
typedef double (*series_fn)(const renderer *r, const render_frame *f, int run, int j, int n, double *step);
typedef int (*count_fn)(const render_frame *f, int run);

/* A series of a plot: how many points run `run` has, the j-th one, solid or dashed. */
typedef struct plot_series {
    count_fn count;
    series_fn at;
    int dashed;
} plot_series;

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

static int rate_count(const render_frame *f, int run)
{
    (void)f, (void)run;
    return 64;
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

static double rate_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r;
    long xmax = max_steps(f);
    const schedule_desc *sd = trainer_schedule(f->tr);
    const trainer_run *rn = trainer_run_get(f->tr, run);
    long k = (long)((double)j / (n - 1) * xmax);
    *step = (double)k;
    return sd ? schedule_rate(sd, optim_desc_get(rn->opt)->lr, k) : optim_desc_get(rn->opt)->lr;
}

/* A dashed polyline (dashes 7 px, gaps 5 px), as separate line pieces. */
static void dashed_polyline(prims *h, const prim_pt *pts, int n, float width)
{
    const float dash = 7.0f, gap = 5.0f;
    float phase = 0;   /* distance into the current dash + gap period */
    for (int k = 1; k < n; k++) {
        float x0 = pts[k - 1].x, y0 = pts[k - 1].y, dx = pts[k].x - x0, dy = pts[k].y - y0;
        float len = sqrtf(dx * dx + dy * dy), t = 0;
        if (!(len > 0) || len > 1e5f)
            continue;
        while (t < len) {
            float in = phase < dash ? dash - phase : dash + gap - phase;
            float e = fminf(len, t + fmaxf(in, 0.25f));   /* always advances */
            if (phase < dash)
                prims_line(h, x0 + dx * t / len, y0 + dy * t / len, x0 + dx * e / len, y0 + dy * e / len,
                           width, pts[k].rgba);
            phase = fmodf(phase + (e - t), dash + gap);
            t = e;
        }
    }
}

/* The plot of n_ser series per run in rc; unit = 1: a linear [0, 1] axis
 * (accuracy), else log y when every value is positive. */
static void draw_plot(renderer *r, const render_frame *f, render_rect rc, const char *title,
                      const plot_series *ser, int n_ser, int unit)
{
    prims *h = r->hud;
    float sh = text_line_height(r->font, TEXT_SMALL);
    int nr = trainer_run_count(f->tr);
    double lo = 1e300, hi = -1e300, xmax = (double)max_steps(f);
    int all_pos = !unit;
    for (int q = 0; q < n_ser; q++)
        for (int i = 0; i < nr; i++) {
            int n = ser[q].count(f, i);
            for (int j = 0; j < n; j++) {
                double s, v = ser[q].at(r, f, i, j, n, &s);
                if (!isfinite(v))
                    continue;
                if (v <= 0)
                    all_pos = 0;
                lo = fmin(lo, v), hi = fmax(hi, v);
                xmax = fmax(xmax, s);
            }
        }
    if (unit)
        lo = fmin(lo, 0.5), hi = 1;
    text_draw(r->font, h, TEXT_SMALL, rc.x, rc.y, title, COL_TEXT, TEXT_LEFT);
    render_rect p = { rc.x + rd_em(r) * 3.4f, rc.y + sh * 1.2f, rc.w - rd_em(r) * 3.6f, rc.h - sh * 2.4f };
    prims_rect(h, p.x, p.y, p.x + p.w, p.y + p.h, RGBA(0, 0, 0, 90));
    prim_pt fr[5] = { { p.x, p.y, 0, COL_AXIS }, { p.x + p.w, p.y, 0, COL_AXIS },
                      { p.x + p.w, p.y + p.h, 0, COL_AXIS }, { p.x, p.y + p.h, 0, COL_AXIS },
                      { p.x, p.y, 0, COL_AXIS } };
    prims_polyline(h, fr, 5, 1.0f);
    if (lo > hi)
        return;
    int lg = all_pos;
    double a = lg ? log10(lo) : lo, b = lg ? log10(hi) : hi;
    if (b - a < 1e-12) {
        a -= lg ? 0.5 : fmax(fabs(a) * 0.1, 1e-12);
        b += lg ? 0.5 : fmax(fabs(b) * 0.1, 1e-12);
    }
    char buf[48], num[32];
    rd_fmt_num(num, sizeof num, lg ? pow(10, b) : b);
    text_draw(r->font, h, TEXT_SMALL, p.x - 4, p.y - sh * 0.3f, num, COL_DIM, TEXT_RIGHT);
    rd_fmt_num(num, sizeof num, lg ? pow(10, a) : a);
    text_draw(r->font, h, TEXT_SMALL, p.x - 4, p.y + p.h - sh * 0.8f, num, COL_DIM, TEXT_RIGHT);
    snprintf(buf, sizeof buf, "%.0f", xmax);
    text_draw(r->font, h, TEXT_SMALL, p.x + p.w, p.y + p.h + 1, buf, COL_DIM, TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, p.x, p.y + p.h + 1, "0", COL_DIM, TEXT_LEFT);
    text_draw(r->font, h, TEXT_SMALL, p.x + p.w * 0.5f, p.y + p.h + 1, "step", COL_DIM, TEXT_CENTER);
    for (int q = 0; q < n_ser; q++)
        for (int i = 0; i < nr; i++) {
            int n = ser[q].count(f, i);
            prim_pt *pts = rd_scratch(r, n);
            if (!pts)
                return;
            int m = 0;
            float al = trainer_run_get(f->tr, i)->active ? 1.0f : 0.35f;
            uint32_t col = rgba_alpha(render_run_color(i), ser[q].dashed ? al * 0.85f : al);
            for (int j = 0; j < n; j++) {
                double s, v = ser[q].at(r, f, i, j, n, &s);
                if (!isfinite(v) || (lg && v <= 0))
                    continue;
                double t = ((lg ? log10(v) : v) - a) / (b - a);
                pts[m++] = (prim_pt){ p.x + (float)(s / xmax) * p.w, p.y + p.h - (float)t * p.h, 0, col };
            }
            if (ser[q].dashed)
                dashed_polyline(h, pts, m, 1.6f);
            else
                prims_polyline_ex(h, pts, m, 2.0f, 0.0f, 3.0f);
        }
    if (ser[0].count == rate_count) {
        /* where the runs are now */
        long now = trainer_steps(f->tr);
        float x = p.x + (float)((double)now / xmax) * p.w;
        prims_line(h, x, p.y, x, p.y + p.h, 1.0f, RGBA(255, 255, 255, 120));
    }
}

void plot_draw_column(renderer *r, const render_frame *f, render_rect side_rect, float y)
{
    float pad = rd_em(r) * 0.6f;
    float avail = side_rect.y + side_rect.h - y - pad;
    int acc = f->series && (f->series[0].test_acc || f->series[0].train_acc);
    float wpl = side_rect.w - 2 * pad;
    if (avail > rd_em(r) * 8) {
        float fl = acc ? 0.42f : 0.58f, fa = acc ? 0.28f : 0, fr = acc ? 0.26f : 0.4f;
        render_rect a = { side_rect.x + pad, y, wpl, avail * fl };
        plot_series la[2] = { { loss_count, loss_at, 0 }, { test_count, test_loss_at, 1 } };
        draw_plot(r, f, a, f->series && f->series[0].test_loss ? "loss: train, - - test" :
                  "loss  (log scale when positive)", la, f->series && f->series[0].test_loss ? 2 : 1, 0);
        if (acc) {
            render_rect c = { side_rect.x + pad, y + avail * (fl + 0.02f), wpl, avail * fa };
            plot_series aa[2] = { { test_count, train_acc_at, 0 }, { test_count, test_acc_at, 1 } };
            draw_plot(r, f, c, "accuracy: train, - - test", aa, 2, 1);
        }
        render_rect b = { side_rect.x + pad, y + avail * (1 - fr), wpl, avail * fr };
        plot_series ra = { rate_count, rate_at, 0 };
        draw_plot(r, f, b, "learning rate (schedule)", &ra, 1, 0);
    }
}
