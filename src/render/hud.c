/*
 * hud.c — the text of a frame: legend, compare mini legend, the HUD band (title,
 * run counters, PAUSED, narration caption, status toast, Hessian probe read-out),
 * the key help overlay, and the recording overlays (burnt-in caption, REC badge).
 *
 * Everything here draws into the renderer's batches (r->hud, flushed once by
 * renderer_draw; r->top for the overlays drawn above everything) in a fixed order;
 * it owns nothing and changes no GL state except in the two recording overlays,
 * which flush r->top themselves (renderer.h).
 */
#include "render/render_internal.h"
#include "render/i18n.h"

#include "core/linebreak.h"
#include "core/pace.h"

#include <math.h>
#include <string.h>
#include <stdio.h>


/* The rows at the bottom of the main area, from the bottom: the scene's caption and,
 * where the title leaves the band too little room for two small lines of a long
 * narration, the message slot's rows (two small lines high). Every one
 * reserved: the panels end above b->top, so no row covers an axis (issue 9 #9).
 * Nothing transient takes a row: the slot holds the run counters, a narrated step's
 * caption or the window's toast (hud_draw_band), and where it is depends on the
 * title and the frame's size alone (PAUSED and the REC badge always have their room
 * beside the title), so no toast, narration, pause or recording ever moves the
 * picture, and a recording's frame has the window's layout. y of each row, −1 where
 * there is none. */
void hud_plan_bottom(renderer *r, const render_frame *f, float main_w, hud_bottom *b)
{
    float lh = text_line_height(r->font, TEXT_NORMAL), row = lh * 1.35f, em = rd_em(r);
    float y = (float)r->fb_h - row;
    b->caption_y = b->slot_y = -1;
    b->caption_lines = 0;
    if (f->caption && f->caption[0]) {
        /* the whole caption where it fits in HUD_CAPTION_NORMAL_LINES rows of the
         * normal size, else in HUD_CAPTION_LINES small ones (at 640x360 with 11-px
         * small type a lesson's caption takes up to five); a lesson's caption is its
         * content */
        float cw = main_w - em * 1.6f;
        b->caption_size = TEXT_NORMAL;
        b->caption_lines = hud_wrap(r, TEXT_NORMAL, f->caption, cw, HUD_CAPTION_NORMAL_LINES, 0, b->caption, NULL,
                                    NULL);
        if (b->caption_lines == HUD_CAPTION_NORMAL_LINES &&
            strstr(b->caption[HUD_CAPTION_NORMAL_LINES - 1], "…")) {
            b->caption_size = TEXT_SMALL;
            b->caption_lines = hud_wrap(r, TEXT_SMALL, f->caption, cw, HUD_CAPTION_LINES, 0, b->caption, NULL, NULL);
        }
        float crow = text_line_height(r->font, b->caption_size) * 1.2f;
        y = (float)r->fb_h - crow * (float)b->caption_lines - (row - lh) * 0.5f;
        b->caption_y = y;
        y -= row;
    }
    /* the slot: right of the title, PAUSED and the REC badge's room, else rows at
     * the bottom that hold two small lines (a narration wrapped, issue 9 #9) */
    float tw = text_width(r->font, TEXT_LARGE, f->title ? f->title : "");
    float pw = text_width(r->font, TEXT_NORMAL, _("PAUSED")) + em * 0.8f;
    float bw = text_width(r->font, TEXT_NORMAL, "REC 00:00") + lh * 1.6f + em * 0.6f;
    b->slot_x0 = em * 1.2f + tw + pw + bw;
    b->slot_x1 = main_w - em * 0.6f;
    /* in the band where two small lines there hold a long narrated step (the
     * update's caption of app/narrate.c, the same msgid, with long numbers), so a
     * narration never needs the title's room; else at the bottom */
    char ref[400];
    snprintf(ref, sizeof ref,
             _("%s 4/4 update: θ ← θ + Δθ, Δθ = −rate·direction = (%.3g, %.3g); loss now %.4g%s  (E: next step)"),
             "momentum", -0.00123456, -0.00123456, 1.23456e-05, _("; race out of step"));
    float need = fmaxf(em * HUD_SLOT_MIN_EM, hud_wrap_width(r, TEXT_SMALL, ref) * 0.5f + em * 2.0f);
    b->slot_bottom = b->slot_x1 - b->slot_x0 < need;
    b->slot_y = -1;
    b->slot_h = 0;
    if (b->slot_bottom) {
        float sh = text_line_height(r->font, TEXT_SMALL);
        b->slot_x0 = em * 0.6f;
        b->slot_h = fmaxf(row, sh * 2.0f + (row - lh));
        b->slot_y = y + row - b->slot_h;   /* its bottom where the caption's rows begin */
        y = b->slot_y - row;
    }
    b->top = y + row;
}

void rd_eta_sigma_text(char *buf, size_t size, double lr, const double sigma[2], int curve)
{
    char num[32], num2[32];
    rd_fmt_num(num, sizeof num, lr / (sigma[0] + 1e-30));
    if (curve) {
        snprintf(buf, size, "   η/σ %s", num);
        return;
    }
    rd_fmt_num(num2, sizeof num2, lr / (sigma[1] + 1e-30));
    snprintf(buf, size, "   η/σ %s, %s", num, num2);
}

/* A note of the legend (small, dim) at (x, y) in at most two lines no wider than w
 * (the column's room: 11-px type made "arrows ×10000: white −η∇L, colour last
 * update" wider than 640x360's column); returns the height it took. */
static float legend_note(renderer *r, float x, float y, float w, const char *s)
{
    char lines[2][320];
    int n = hud_wrap(r, TEXT_SMALL, s, w, 2, 0, lines, NULL, NULL);
    float sh = text_line_height(r->font, TEXT_SMALL);
    for (int k = 0; k < n; k++)
        text_draw(r->font, r->hud, TEXT_SMALL, x, y + k * sh, lines[k], COL_DIM, TEXT_LEFT);
    return (float)(n > 0 ? n : 1) * sh;
}

float hud_draw_legend(renderer *r, const render_frame *f, render_rect side)
{
    prims *h = r->hud;
    float pad = rd_em(r) * 0.6f, y = side.y + pad, x = side.x + pad;
    float lh = text_line_height(r->font, TEXT_NORMAL), sh = text_line_height(r->font, TEXT_SMALL);
    float right = side.x + side.w - pad;
    char buf[160], num[32];
    int nr = trainer_run_count(f->tr);
    for (int i = 0; i < nr; i++) {
        const trainer_run *run = trainer_run_get(f->tr, i);
        const optim_desc *od = optim_desc_get(run->opt);
        uint32_t col = render_run_color(f->tr, i);
        uint32_t tc = run->active ? COL_TEXT : COL_DIM;
        if (i == f->selected)
            prims_rect(h, side.x + 2, y - 2, side.x + side.w - 2, y + lh + sh + 2, r->th->select);
        /* the swatch: the run's marker, then its line with the dash of its trail and
         * plot lines (solid, or dashed for a second run of one optimizer), clear of
         * the marker so the dashes show */
        float sy = y + lh * 0.55f, em = rd_em(r);
        if (render_run_dashed(f->tr, i)) {
            for (int d = 0; d < 2; d++) {
                float a = x + em * (0.62f + 0.44f * (float)d), b = a + em * 0.22f;
                prims_line(h, a, sy, b, sy, 5.0f, COL_OUTLINE);
                prims_line(h, a, sy, b, sy, 3.5f, col);
            }
        } else {
            prims_line(h, x + em * 0.3f, sy, x + em * 1.3f, sy, 5.0f, COL_OUTLINE);
            prims_line(h, x + em * 0.3f, sy, x + em * 1.3f, sy, 3.5f, col);
        }
        prims_mark(h, x + em * 0.3f, sy, 0, em * 0.27f, PRIM_DISC, col);
        char label[48];
        rd_run_name(f, i, label, sizeof label);
        /* a run that left the view is left out of the plots' scale (unless every
         * run is): the "*" of their titles (plot.c) is this one */
        int left = !run->diverged && rd_run_escaped(f, i), scaled = 0;
        for (int q = 0; q < nr && !scaled; q++)
            scaled = !trainer_run_get(f->tr, q)->diverged && !rd_run_escaped(f, q);
        snprintf(buf, sizeof buf, "%d %s%s%s%s", i + 1, label, run->active ? "" : _(" (off)"),
                 left ? _("  left view") : "", left && scaled ? " *" : "");
        char lbuf[48], cut[200];
        rd_fmt_num(num, sizeof num, run->loss);
        snprintf(lbuf, sizeof lbuf, "L %s", num);
        float lw = text_draw(r->font, h, TEXT_NORMAL, right, y, lbuf, tc, TEXT_RIGHT);
        /* the name gives way to the loss: never on top of it */
        text_draw(r->font, h, TEXT_NORMAL, x + rd_em(r) * 1.6f, y,
                  rd_fit_text(r, TEXT_NORMAL, buf, right - lw - rd_em(r) * 0.6f - (x + rd_em(r) * 1.6f), cut, sizeof cut),
                  tc, TEXT_LEFT);
        y += lh;
        if (run->diverged) {
            snprintf(buf, sizeof buf, _("diverged at step %ld"), run->diverged_at);
            text_draw(r->font, h, TEXT_SMALL, x + rd_em(r) * 1.6f, y, buf, COL_WARN, TEXT_LEFT);
        } else {
            rd_fmt_num(num, sizeof num, run->lr);
            int len = snprintf(buf, sizeof buf, "η %s", num);
            if (rd_is_adaptive(od->kind) && trainer_param_count(f->tr) == 2) {
                double sg[2];
                optim_sigma(run->opt, sg);
                rd_eta_sigma_text(buf + len, sizeof buf - (size_t)len, run->lr, sg,
                                  f->field && f->field->curve);
            } else if (od->kind == OPT_MOMENTUM) {
                rd_fmt_num(num, sizeof num, od->momentum);
                len += snprintf(buf + len, sizeof buf - (size_t)len, "   μ %s", num);
            }
            const trainer_run_opts *ro = trainer_run_opts_get(f->tr, i);
            if (ro->has_batch && len > 0 && (size_t)len < sizeof buf) {   /* the run's own batch size */
                if (ro->batch > 0)
                    snprintf(buf + len, sizeof buf - (size_t)len, _("   batch %d"), ro->batch);
                else
                    snprintf(buf + len, sizeof buf - (size_t)len, "%s", _("   full batch"));
            }
            text_draw(r->font, h, TEXT_SMALL, x + rd_em(r) * 1.6f, y, buf, COL_DIM, TEXT_LEFT);
        }
        y += sh + pad * 0.5f;
    }
    if (f->rec_xy && f->rec_n > 0) {
        /* the recorded run (--trajectory): its swatch, label and the loss at its end */
        uint32_t col = RGBA(245, 245, 245, 255);
        prims_line(h, x, y + lh * 0.55f, x + rd_em(r) * 1.2f, y + lh * 0.55f, 5.0f, COL_OUTLINE);
        prims_line(h, x, y + lh * 0.55f, x + rd_em(r) * 1.2f, y + lh * 0.55f, 3.0f, col);
        prims_mark(h, x + rd_em(r) * 1.2f, y + lh * 0.55f, 0, rd_em(r) * 0.32f, PRIM_DIAMOND, col);
        text_draw(r->font, h, TEXT_NORMAL, x + rd_em(r) * 1.6f, y, f->rec_label ? f->rec_label : _("recorded run"),
                  COL_TEXT, TEXT_LEFT);
        const double *e = f->rec_xy + 2 * (f->rec_n - 1);
        rd_fmt_num(num, sizeof num, rd_feval(f, e[0], e[1], NULL, NULL));
        snprintf(buf, sizeof buf, "L %s", num);
        text_draw(r->font, h, TEXT_NORMAL, right, y, buf, COL_TEXT, TEXT_RIGHT);
        y += lh;
        snprintf(buf, sizeof buf, _("recorded, %d points: ○ start ◆ end"), f->rec_n);
        text_draw(r->font, h, TEXT_SMALL, x + rd_em(r) * 1.6f, y, buf, COL_DIM, TEXT_LEFT);
        y += sh + pad * 0.5f;
    }
    if (f->overlays & SCENE_OVERLAY_ARROWS) {
        char al[96];
        if (r->arrow_mag > 1)
            snprintf(al, sizeof al, _("arrows ×%.0f: white −η∇L, colour last update"), r->arrow_mag);
        else
            snprintf(al, sizeof al, "%s", _("arrows to scale: white −η∇L, colour last update"));
        y += legend_note(r, x, y, right - x, al);
        y += legend_note(r, x, y, right - x, _("boxes: σ per axis (adaptive)"));
    }
    if ((f->overlays & SCENE_OVERLAY_CRITICAL) && f->crit) {
        snprintf(buf, sizeof buf, f->plane_only ? _("%d critical of this plane: ▼ min ▲ max ✕ saddle ◆ degenerate")
                                                : _("%d critical: ▼ min ▲ max ✕ saddle ◆ degenerate"), f->n_crit);
        y += legend_note(r, x, y, right - x, buf);
    }
    return y + pad;
}

float hud_mini_legend_height(renderer *r, const render_frame *f)
{
    int nr = trainer_run_count(f->tr);
    return text_line_height(r->font, TEXT_SMALL) * (float)(nr < 8 ? nr : 8) + rd_em(r) * 0.5f;
}

/* Compare layout: each panel's runs and their current losses, bottom left (below a
 * 2-D map's tick labels, which world_draw_panel leaves room for). */
void hud_draw_mini_legend(renderer *r, const render_frame *f, const panel_state *ps)
{
    int nr = trainer_run_count(f->tr);
    float sh = text_line_height(r->font, TEXT_SMALL), w = 0;
    char buf[8][96], num[32];
    for (int i = 0; i < nr && i < 8; i++) {
        const trainer_run *run = trainer_run_get(f->tr, i);
        rd_fmt_num(num, sizeof num, run->loss);
        char label[48];
        rd_run_name(f, i, label, sizeof label);
        snprintf(buf[i], sizeof buf[i], "%s  L %s%s", label, num,
                 run->diverged ? _("  diverged") : "");
        w = fmaxf(w, text_width(r->font, TEXT_SMALL, buf[i]));
    }
    render_rect rc = ps->lp.rect;
    float x0 = rc.x + rd_em(r) * 0.5f, y0 = rc.y + rc.h - sh * (float)(nr < 8 ? nr : 8) - rd_em(r) * 2.8f;
    if (!ps->lp.is3d && !f->field->curve)   /* a 2-D map: in the room kept below its ticks */
        y0 = rc.y + rc.h - hud_mini_legend_height(r, f) + rd_em(r) * 0.2f;
    prims_rect(r->hud, x0, y0 - 3, x0 + w + rd_em(r) * 1.8f, y0 + sh * (float)(nr < 8 ? nr : 8) + 3, COL_PANEL);
    for (int i = 0; i < nr && i < 8; i++) {
        float y = y0 + sh * (float)i;
        uint32_t col = render_run_color(f->tr, i);
        if (render_run_dashed(f->tr, i)) {   /* a second run of one optimizer: dashed, as its trail */
            prims_rect(r->hud, x0 + 4, y + sh * 0.4f, x0 + 4 + rd_em(r) * 0.22f, y + sh * 0.6f, col);
            prims_rect(r->hud, x0 + 4 + rd_em(r) * 0.38f, y + sh * 0.4f, x0 + 4 + rd_em(r) * 0.6f, y + sh * 0.6f, col);
        } else {
            prims_rect(r->hud, x0 + 4, y + sh * 0.25f, x0 + 4 + rd_em(r) * 0.6f, y + sh * 0.75f, col);
        }
        text_draw(r->font, r->hud, TEXT_SMALL, x0 + rd_em(r) * 1.2f, y, buf[i],
                  trainer_run_get(f->tr, i)->diverged ? COL_WARN : COL_TEXT, TEXT_LEFT);
    }
}

float hud_draw_probe(renderer *r, const render_frame *f, render_rect area, float at)
{
    if (!(f->overlays & SCENE_OVERLAY_PROBE) || !f->probe_valid)
        return at;
    double g[2], H[4], x = f->probe[0], y = f->probe[1];
    double v = rd_feval(f, x, y, g, H);
    eig2 e;
    hessian_eig2(H, &e);
    point_type t = hessian_classify(&e, 0);
    char l[5][160], a[32], b[32], c[32], d[32];
    rd_fmt_num(a, sizeof a, x), rd_fmt_num(b, sizeof b, y), rd_fmt_num(c, sizeof c, v);
    snprintf(l[0], sizeof l[0], _("probe (%s, %s)   L = %s"), a, b, c);
    snprintf(r->probe_text, sizeof r->probe_text, "%s", l[0]);
    rd_fmt_num(a, sizeof a, g[0]), rd_fmt_num(b, sizeof b, g[1]);
    snprintf(l[1], sizeof l[1], "∇L = (%s, %s)", a, b);
    rd_fmt_num(a, sizeof a, e.lambda[0]), rd_fmt_num(b, sizeof b, e.lambda[1]);
    snprintf(l[2], sizeof l[2], "λ = %s, %s   → %s", a, b,
             t == POINT_MINIMUM ? _("curving up (like a minimum)") : t == POINT_MAXIMUM ? _("curving down (like a maximum)")
             : t == POINT_SADDLE ? _("saddle-shaped") : _("flat direction (degenerate)"));
    rd_fmt_num(a, sizeof a, e.vec[0][0]), rd_fmt_num(b, sizeof b, e.vec[0][1]);
    rd_fmt_num(c, sizeof c, e.vec[1][0]), rd_fmt_num(d, sizeof d, e.vec[1][1]);
    snprintf(l[3], sizeof l[3], "v₁ = (%s, %s)   v₂ = (%s, %s)", a, b, c, d);
    snprintf(l[4], sizeof l[4], "%s", f->plane_only ? _("of this 2-D plane, not of the model")
                                                    : _("patch: L + gᵀd + ½dᵀHd"));
    float lh = text_line_height(r->font, TEXT_SMALL), w = 0, avail = area.w - rd_em(r) * 2;
    char cut[5][200];
    const char *lt[5];
    for (int i = 0; i < 5; i++) {
        lt[i] = rd_fit_text(r, TEXT_SMALL, l[i], avail, cut[i], sizeof cut[i]);
        w = fmaxf(w, text_width(r->font, TEXT_SMALL, lt[i]));
    }
    /* in the side column at `at` (below the legend), else at the bottom left of area */
    float x0 = area.x + rd_em(r) * 0.5f, y0 = at >= 0 ? at : area.y + area.h - lh * 5.4f - rd_em(r) * 0.4f;
    prims_rect(r->hud, x0, y0, x0 + w + rd_em(r), y0 + lh * 5.4f, COL_PANEL);
    for (int i = 0; i < 5; i++)
        text_draw(r->font, r->hud, TEXT_SMALL, x0 + rd_em(r) * 0.5f, y0 + lh * (0.2f + (float)i), lt[i],
                  i == 2 ? r->th->narr : COL_TEXT, TEXT_LEFT);
    return y0 + lh * 5.4f + rd_em(r) * 0.4f;
}

void hud_counters(renderer *r, const render_frame *f)
{
    int nr = trainer_run_count(f->tr);
    char *buf = r->counters;
    size_t bufsz = sizeof r->counters;
    const trainer_run *r0 = nr > 0 ? trainer_run_get(f->tr, 0) : NULL;
    int batch = trainer_batch(f->tr), own = 0;
    if (f->samples_only && f->field && f->field->ns > 1) {   /* --interpolate: no runs to count */
        const render_field *fd = f->field;
        snprintf(buf, bufsz, _("%d points   %s from %g to %g"), fd->ns, fd->xlabel ? fd->xlabel : "x",
                 fd->xs[0], fd->xs[fd->ns - 1]);
        return;
    }
    for (int i = 0; i < nr; i++)
        own |= trainer_run_opts_get(f->tr, i)->has_batch;
    char bs[32];
    if (own)
        snprintf(bs, sizeof bs, "%s", _("per run"));
    else if (batch > 0)
        snprintf(bs, sizeof bs, "%d", batch);
    else
        snprintf(bs, sizeof bs, "%s", _("full"));
    char spd[96];
    if (f->speed > 0 && f->speed_done >= 0) {
        /* the budget (or a busy machine) holds the runs below the speed asked: both
         * (pace_done: smoothed and held, so it does not flicker) */
        char asked[32], done[32];
        snprintf(spd, sizeof spd, _("%s steps/s asked, %s done"), pace_number(f->speed, asked, sizeof asked),
                 pace_number(f->speed_done, done, sizeof done));
    } else if (f->speed > 0) {
        char asked[32];
        snprintf(spd, sizeof spd, f->speed == 1 ? _("%s step/s") : _("%s steps/s"),
                 pace_number(f->speed, asked, sizeof asked));
    } else
        snprintf(spd, sizeof spd, f->steps_per_frame == 1 ? _("%d step/frame") : _("%d steps/frame"), f->steps_per_frame);
    /* each run has its own step and epoch (issue 9 #6): the counters are the
     * selected run's; when the runs have not all taken the same number of steps
     * (one switched off, diverged, or stepped alone by E) the band says so */
    const trainer_run *rs = nr > 0 ? trainer_run_get(f->tr, f->selected >= 0 && f->selected < nr ? f->selected : 0) : r0;
    long lo = 0, hi = 0;
    char who[48] = "";
    if (nr > 1) {
        if (!trainer_in_step(f->tr, &lo, &hi))
            snprintf(who, sizeof who, _("run %d: "), (f->selected >= 0 && f->selected < nr ? f->selected : 0) + 1);
    }
    int len = snprintf(buf, bufsz, _("%sstep %ld   epoch %ld   batch %s%s   %s"), who,
                       rs ? rs->steps : 0L, rs ? rs->epoch : 0L, bs,
                       !f->series ? "" : f->surface_batch ? _("   surface: mini-batch") : _("   surface: full data"),
                       spd);
    if (who[0] && len < (int)bufsz)
        len += snprintf(buf + len, bufsz - (size_t)len, _("   out of step: %ld–%ld"), lo, hi);
    if (f->fps > 0 && len < (int)bufsz)
        snprintf(buf + len, bufsz - (size_t)len, "   %.0f fps", f->fps);
}

/* Notes a string of the band as drawn for renderer_hud_text ("what\ttext"). */
static void hud_note(renderer *r, const char *what, const char *t)
{
    size_t at = strlen(r->hud_text);
    if (at < sizeof r->hud_text)
        snprintf(r->hud_text + at, sizeof r->hud_text - at, "%s\t%s\n", what, t);
}

/* A message in the slot: one line at the normal size where it fits w, else up to
 * max small lines (balanced). */
typedef struct slot_msg {
    text_size sz;
    int n, whole;
    float lw;
    char lines[2][320];
} slot_msg;

static void slot_msg_fit(renderer *r, const char *m, float w, int max, slot_msg *o)
{
    o->sz = TEXT_NORMAL;
    o->lw = text_width(r->font, TEXT_NORMAL, m);
    if (o->lw <= w) {
        snprintf(o->lines[0], sizeof o->lines[0], "%s", m);
        o->n = o->whole = 1;
        return;
    }
    o->sz = TEXT_SMALL;
    o->n = hud_wrap(r, TEXT_SMALL, m, w, max, 1, o->lines, &o->lw, &o->whole);
}

/* Draws a message's lines on one dark box: left-aligned with each other, the box
 * ending at x1 (cx < 0) or centred at cx; y the first line's top. */
static void slot_msg_draw(renderer *r, const slot_msg *m, float x1, float cx, float y, uint32_t col,
                          const char *what)
{
    float th = text_line_height(r->font, m->sz);
    float x0 = cx >= 0 ? cx - m->lw * 0.5f : x1 - m->lw;
    prims_rect(r->hud, x0 - 6, y - 1, x0 + m->lw + 6, y + th * (float)m->n + 1, COL_PANEL);
    for (int k = 0; k < m->n; k++) {
        text_draw(r->font, r->hud, m->sz, x0, y + th * (float)k, m->lines[k], col, TEXT_LEFT);
        hud_note(r, what, m->lines[k]);
    }
}

/* Where the slot's messages go this frame (hud_draw_band): a narrated step's caption
 * and the window's toast take the run counters' place while they show, each whole:
 * one line at the normal size, else two small lines (issue 9 #9). When both show,
 * each takes one small line where each fits one; else the narration keeps the slot
 * (two small lines, as narrow as they can be) and the toast goes to the band beside
 * the title (right of PAUSED and, while recording, the REC badge; in the band, left
 * of the narration's lines), so it hides neither the narration nor the caption. */
typedef struct slot_plan {
    const char *narr, *toast;   /* NULL: none */
    slot_msg nm, tm;            /* their lines */
    int pair;                   /* both in the slot, one small line each */
    int toast_band;             /* the toast in the band beside the title, ending at toast_x1 */
    float toast_x1;
} slot_plan;

static void slot_plan_make(renderer *r, const render_frame *f, const hud_bottom *b, slot_plan *p)
{
    float w = b->slot_x1 - b->slot_x0, em = rd_em(r);
    memset(p, 0, sizeof *p);
    p->toast = f->status && f->status[0] ? f->status : NULL;
    p->narr = f->narr && f->narr->stage > 0 && f->narr->caption[0] ? f->narr->caption : NULL;
    if (p->narr && p->toast) {
        float nw = text_width(r->font, TEXT_SMALL, p->narr), tw = text_width(r->font, TEXT_SMALL, p->toast);
        if (nw <= w && tw <= w) {
            p->pair = 1;
            p->nm = (slot_msg){ TEXT_SMALL, 1, 1, nw, { "" } };
            p->tm = (slot_msg){ TEXT_SMALL, 1, 1, tw, { "" } };
            snprintf(p->nm.lines[0], sizeof p->nm.lines[0], "%s", p->narr);
            snprintf(p->tm.lines[0], sizeof p->tm.lines[0], "%s", p->toast);
            return;
        }
    }
    const char *m = p->narr ? p->narr : p->toast;
    if (m)
        slot_msg_fit(r, m, w, 2, p->narr ? &p->nm : &p->tm);
    if (p->narr && p->toast) {
        p->toast_band = 1;
        p->toast_x1 = b->slot_bottom ? b->slot_x1 : b->slot_x1 - p->nm.lw - 12 - em * 0.6f;
    }
}

/* The counters (fields apart by three spaces) in two lines, cut between the fields
 * where the longer line is shortest; 0 where there are no two fields. */
static int counters_split(renderer *r, const char *s, char out[2][320])
{
    float best = -1;
    for (const char *c = strstr(s, "   "); c; c = strstr(c + 3, "   ")) {
        size_t n = (size_t)(c - s);
        if (n == 0 || n >= sizeof out[0])
            continue;
        char a[320], b[320];
        memcpy(a, s, n);
        a[n] = 0;
        const char *t = c;
        while (*t == ' ')
            t++;
        snprintf(b, sizeof b, "%s", t);
        float m = fmaxf(text_width(r->font, TEXT_SMALL, a), text_width(r->font, TEXT_SMALL, b));
        if (best < 0 || m < best) {
            best = m;
            memcpy(out[0], a, n + 1);
            memcpy(out[1], b, strlen(b) + 1);
        }
    }
    return best >= 0;
}

/* The slot's lines (slot_plan_make planned them); the toast in the band from band_x0
 * (where the title, PAUSED and the REC badge end) to the plan's toast_x1. */
static void hud_draw_slot(renderer *r, const hud_bottom *b, const slot_plan *p, float band_x0)
{
    float lh = text_line_height(r->font, TEXT_NORMAL), big = text_line_height(r->font, TEXT_LARGE);
    float sh = text_line_height(r->font, TEXT_SMALL), w = b->slot_x1 - b->slot_x0, em = rd_em(r);
    const uint32_t col_narr = r->th->narr;
    char cut[320];
    /* the box the slot's lines are centred in; in a bottom row centred across it */
    float band = big + lh * 0.4f;
    float y0 = b->slot_bottom ? b->slot_y : 0, h = b->slot_bottom ? b->slot_h : band;
    float cx = b->slot_bottom ? b->slot_x0 + w * 0.5f : -1;
    float line_y = lh * 0.15f + (big - lh) * 0.6f;   /* a band line's top, as PAUSED's */
    if (!p->narr && !p->toast) {   /* the run counters */
        text_size cs = text_width(r->font, TEXT_NORMAL, r->counters) <= w ? TEXT_NORMAL : TEXT_SMALL;
        char two[2][320];
        if (cs == TEXT_SMALL && b->slot_bottom && text_width(r->font, TEXT_SMALL, r->counters) > w &&
            counters_split(r, r->counters, two)) {
            /* the bottom rows hold two small lines: the counters in two, whole */
            float ly = y0 + (h - 2 * sh) * 0.5f;
            for (int k = 0; k < 2; k++)
                text_draw(r->font, r->hud, TEXT_SMALL, b->slot_x0, ly + sh * (float)k,
                          rd_fit_text(r, TEXT_SMALL, two[k], w, cut, sizeof cut), COL_DIM, TEXT_LEFT);
            return;
        }
        const char *t = rd_fit_text(r, cs, r->counters, w, cut, sizeof cut);
        float th = text_line_height(r->font, cs);
        if (b->slot_bottom)
            text_draw(r->font, r->hud, cs, b->slot_x0, y0 + (h - th) * 0.5f, t, COL_DIM, TEXT_LEFT);
        else
            text_draw(r->font, r->hud, cs, b->slot_x1, line_y + (lh - th) * 0.7f, t, COL_DIM, TEXT_RIGHT);
        return;
    }
    if (p->pair) {
        float ly = y0 + (h - 2 * sh) * 0.5f;
        slot_msg_draw(r, &p->nm, b->slot_x1, cx, ly, col_narr, "narr");
        slot_msg_draw(r, &p->tm, b->slot_x1, cx, ly + sh, COL_TEXT, "toast");
        return;
    }
    const slot_msg *m = p->narr ? &p->nm : &p->tm;
    float th = text_line_height(r->font, m->sz);
    float ly = m->n == 1 && !b->slot_bottom ? line_y + (lh - th) * 0.7f : y0 + (h - th * (float)m->n) * 0.5f;
    slot_msg_draw(r, m, b->slot_x1, cx, ly, p->narr ? col_narr : COL_TEXT, p->narr ? "narr" : "toast");
    if (!p->toast_band)
        return;
    float room = p->toast_x1 - band_x0 - 12;
    if (room < em)
        return;
    /* one line, or two small ones in the band's height: the title keeps its room */
    slot_msg tm;
    slot_msg_fit(r, p->toast, room, 2, &tm);
    float tth = text_line_height(r->font, tm.sz);
    slot_msg_draw(r, &tm, p->toast_x1 - 6, -1,
                  tm.n == 1 ? line_y + (lh - tth) * 0.7f : fmaxf(1, (big + lh * 0.4f - tth * 2) * 0.5f), COL_TEXT,
                  "toast");
}

void hud_draw_band(renderer *r, const render_frame *f, render_rect side_rect)
{
    float lh = text_line_height(r->font, TEXT_NORMAL), big = text_line_height(r->font, TEXT_LARGE);
    float main_w = (float)r->fb_w - side_rect.w;
    char tcut[300];
    hud_bottom b;
    hud_plan_bottom(r, f, main_w, &b);
    slot_plan sp;
    slot_plan_make(r, f, &b, &sp);
    /* the title gives way to PAUSED and, while recording, to the REC badge (their
     * room is kept beside it where the slot is in the band: hud_plan_bottom); never
     * to a narration, which keeps to the slot (issue 9 #9), nor to a toast shown
     * during a narration: that takes the band's room beside the whole title, in two
     * small lines where one does not fit. A title the band cannot hold at the large
     * size, or beside such a toast, is set a size smaller (whole where that fits). */
    float em = rd_em(r);
    float pw = f->paused ? text_width(r->font, TEXT_NORMAL, _("PAUSED")) + em * 0.8f : 0;
    float bw = f->recording ? text_width(r->font, TEXT_NORMAL, "REC 00:00") + lh * 1.6f + em * 0.6f : 0;
    float troom = main_w - em * 1.8f - pw - bw;
    const char *title = f->title ? f->title : "";
    /* the largest size whose title fits, with the toast's room beside it (about half
     * the toast's width, in two small lines); the small size where none does */
    text_size tsz = TEXT_SMALL;
    float need = sp.toast_band ? text_width(r->font, TEXT_SMALL, sp.toast) * 0.55f + 12 : 0;
    int fits = 0;
    for (int s = TEXT_LARGE; s >= TEXT_SMALL && !fits; s--) {
        float tw0 = text_width(r->font, (text_size)s, title);
        if (tw0 <= troom && (!sp.toast_band || sp.toast_x1 - (em * 1.2f + tw0 + pw + bw) - 12 >= need)) {
            tsz = (text_size)s;
            fits = 1;
        }
    }
    /* where one small line leaves the toast too little room (11-px type at 640x360:
     * lesson 6's title, PAUSED and "arrows off" beside it) or does not fit, the title
     * in two small lines in the band's height (as the toast's), whole and balanced */
    char tl[2][320];
    float tlw = 0, tw;
    int whole = 0, tn = 0;
    float tw1 = text_width(r->font, TEXT_SMALL, title);
    if (!fits)
        tn = hud_wrap(r, TEXT_SMALL, title, fminf(troom, tw1 - 1), 2, 1, tl, &tlw, &whole);
    if (tn == 2 && whole && tlw < tw1) {
        float sh = text_line_height(r->font, TEXT_SMALL), ty = fmaxf(1, (big + lh * 0.4f - sh * 2) * 0.5f);
        for (int k = 0; k < 2; k++)
            text_draw(r->font, r->hud, TEXT_SMALL, em * 0.6f, ty + sh * (float)k, tl[k], COL_TEXT, TEXT_LEFT);
        tw = tlw;
    } else {
        title = rd_fit_text(r, tsz, title, troom, tcut, sizeof tcut);
        float ty = tsz == TEXT_LARGE ? lh * 0.15f
                   : lh * 0.15f + (big - text_line_height(r->font, tsz)) * 0.6f;   /* as PAUSED's */
        tw = text_draw(r->font, r->hud, tsz, em * 0.6f, ty, title, COL_TEXT, TEXT_LEFT);
    }
    hud_note(r, "title", title);
    float slot = rd_em(r) * 1.2f + tw;
    if (f->paused) {
        slot += text_draw(r->font, r->hud, TEXT_NORMAL, slot, lh * 0.15f + (big - lh) * 0.6f,
                          _("PAUSED"), r->th->paused, TEXT_LEFT) + rd_em(r) * 0.8f;
    }
    /* where the REC badge goes (renderer_draw_rec_indicator): beside the title, in
     * the band, so it hides neither the legend nor the counters */
    r->badge_x = slot;
    r->badge_y = lh * 0.15f + (big - lh) * 0.6f - lh * 0.15f;
    r->badge_room = (!b.slot_bottom ? b.slot_x0 : main_w - rd_em(r) * 0.6f) - slot;
    if (b.caption_lines > 0) {   /* the caption's rows, one panel behind them */
        float th = text_line_height(r->font, b.caption_size), crow = th * 1.2f, w = 0;
        for (int k = 0; k < b.caption_lines; k++)
            w = fmaxf(w, text_width(r->font, b.caption_size, b.caption[k]));
        prims_rect(r->hud, main_w * 0.5f - w * 0.5f - 8, b.caption_y - 2, main_w * 0.5f + w * 0.5f + 8,
                   b.caption_y + crow * (float)b.caption_lines + 1, COL_PANEL);
        for (int k = 0; k < b.caption_lines; k++)
            text_draw(r->font, r->hud, b.caption_size, main_w * 0.5f, b.caption_y + crow * (float)k + (crow - th) * 0.5f,
                      b.caption[k], COL_TEXT, TEXT_CENTER);
    }
    hud_draw_slot(r, &b, &sp, slot + bw);
    if (side_rect.w <= 0) {
        render_rect main_area = { 0, 0, main_w, b.top };
        hud_draw_probe(r, f, main_area, -1);
    }
}

/* The help overlay fits the framebuffer at every size (issue 9 #5): the largest
 * text size and the fewest columns (1 to 3) that show every line; where nothing
 * shows them all, the small size in pages (F1 turns them; the header says which)
 * and help texts shortened with "…" to their column. r->help_pages says how many
 * pages the last frame needed; f->help is the page shown (1-based). */
void hud_draw_help(renderer *r, const render_frame *f)
{
    prims *h = r->top;
    int n = f->n_help;
    /* below the title band, which stays visible (title, PAUSED, the REC badge) */
    float margin = 10, aw = (float)r->fb_w - 2 * margin;
    float top = fmaxf(margin, text_line_height(r->font, TEXT_NORMAL) * 0.15f + text_line_height(r->font, TEXT_LARGE) + 2);
    float ah = (float)r->fb_h - top - margin;
    text_size size = TEXT_SMALL;
    int cols = 1, rows = n, found = 0;
    float kw = 0, hw = 0, gap = 0, pad = 0, lh = 0;
    for (int sz = TEXT_NORMAL; sz >= TEXT_SMALL && !found; sz--) {
        size = (text_size)sz;
        lh = text_line_height(r->font, size);
        gap = (float)text_px(r->font, size) * 0.8f, pad = (float)text_px(r->font, size);
        kw = hw = 0;
        for (int i = 0; i < n; i++) {
            kw = fmaxf(kw, text_width(r->font, size, f->help_lines[i].keys));
            hw = fmaxf(hw, text_width(r->font, size, f->help_lines[i].help));
        }
        for (cols = 1; cols <= 3 && !found; cols++) {
            rows = (n + cols - 1) / cols;
            found = (float)cols * (kw + gap + hw + pad) + pad <= aw && lh * ((float)rows + 2.2f) <= ah;
        }
        cols--;
    }
    int pages = 1;
    float colw;
    if (found) {
        colw = kw + gap + hw + pad;
    } else {
        /* paged, small text: as many columns as fit (help texts shortened to them) */
        size = TEXT_SMALL;
        lh = text_line_height(r->font, size);
        float full = kw + gap + hw + pad;
        cols = (int)((aw - pad) / full);
        cols = cols < 1 ? 1 : cols > 3 ? 3 : cols;
        colw = fminf(full, (aw - pad) / (float)cols);
        kw = fminf(kw, colw * 0.45f);
        rows = (int)(ah / lh - 2.2f);
        rows = rows < 1 ? 1 : rows;
        pages = (n + rows * cols - 1) / (rows * cols);
        if (pages == 1)
            rows = (n + cols - 1) / cols;
    }
    r->help_pages = pages;
    int page = f->help < 1 ? 1 : f->help > pages ? pages : f->help;
    int first = (page - 1) * rows * cols, count = n - first < rows * cols ? n - first : rows * cols;
    int used_rows = (count + cols - 1) / cols;
    float w = (float)cols * colw + pad, ht = lh * ((float)used_rows + 2.2f);
    float x0 = ((float)r->fb_w - w) * 0.5f, y0 = fmaxf(top, ((float)r->fb_h - ht) * 0.5f);
    prims_rect(h, x0, y0, x0 + w, y0 + ht, r->th->help_bg);
    rd_box(r, (render_rect){ x0, y0, w, ht }, RENDER_BOX_PANEL, 2);
    char head[96], cut[256], cutk[128];
    if (pages > 1)
        snprintf(head, sizeof head, _("keys %d/%d   (F1: next page)"), page, pages);
    else
        snprintf(head, sizeof head, "%s", _("keys   (F1 or ? closes this help)"));
    text_draw(r->font, h, size, x0 + w * 0.5f, y0 + lh * 0.3f, rd_fit_text(r, size, head, w - pad, cut, sizeof cut),
              COL_TEXT, TEXT_CENTER);
    for (int k = 0; k < count; k++) {
        int i = first + k;
        float cx = x0 + pad + colw * (float)(k / used_rows), cy = y0 + lh * (1.6f + (float)(k % used_rows));
        const char *keys = rd_fit_text(r, size, f->help_lines[i].keys, kw, cutk, sizeof cutk);
        text_draw(r->font, h, size, cx + kw, cy, keys, r->th->key, TEXT_RIGHT);
        const char *help = rd_fit_text(r, size, f->help_lines[i].help, colw - kw - gap - pad, cut, sizeof cut);
        text_draw(r->font, h, size, cx + kw + gap, cy, help, COL_TEXT, TEXT_LEFT);
    }
}

/* ==== Recording overlays (burnt-in caption, recording indicator) ==== */

/* Break text into lines no wider than maxw by the rules of core/linebreak.h (at
 * spaces and between Chinese characters, never before closing punctuation or a
 * number's unit; anywhere between characters only for a word wider than the line).
 * Writes up to cap lines as (start, length) pairs; returns how many. */
static int wrap_text(const renderer *r, const char *text, float maxw, int *start, int *len, int cap)
{
    linebreak_line lines[8];
    hud_measure m = { r, TEXT_NORMAL };
    if (cap > 8)
        cap = 8;
    int n = linebreak_wrap(text, maxw, hud_measure_text, &m, lines, cap);
    for (int i = 0; i < n; i++) {
        start[i] = (int)lines[i].start;
        len[i] = (int)lines[i].len;
    }
    return n;
}

void renderer_draw_caption(renderer *r, const char *text, int fb_w, int fb_h)
{
    if (!text || !text[0])
        return;
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, fb_w, fb_h);
    text_set_scale(r->font, r->text_h > 0 ? r->text_h : fb_h);   /* a no-op after a frame of this size */
    float lh = text_line_height(r->font, TEXT_NORMAL);
    int start[6], len[6];
    int n = wrap_text(r, text, (float)fb_w - 48, start, len, 6);
    char line[1024];
    float w = 0;
    for (int i = 0; i < n; i++) {
        int l = len[i] < (int)sizeof line - 1 ? len[i] : (int)sizeof line - 1;
        memcpy(line, text + start[i], (size_t)l);
        line[l] = '\0';
        w = fmaxf(w, text_width(r->font, TEXT_NORMAL, line));
    }
    float cx = (float)fb_w * 0.5f, y0 = (float)fb_h - lh * ((float)n + 0.5f);
    prims_rect(r->top, cx - w * 0.5f - 12, y0 - 5, cx + w * 0.5f + 12, y0 + lh * (float)n + 3, COL_PANEL);
    for (int i = 0; i < n; i++) {
        int l = len[i] < (int)sizeof line - 1 ? len[i] : (int)sizeof line - 1;
        memcpy(line, text + start[i], (size_t)l);
        line[l] = '\0';
        text_draw(r->font, r->top, TEXT_NORMAL, cx, y0 + lh * (float)i - 1, line, COL_TEXT, TEXT_CENTER);
    }
    prims_flush(r->top, r->prog_prims, text_atlas(r->font), fb_w, fb_h, 0);
}

void renderer_draw_rec_indicator(renderer *r, double seconds, int fb_w, int fb_h)
{
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, fb_w, fb_h);
    float lh = text_line_height(r->font, TEXT_NORMAL);
    long s = seconds > 0 ? (long)seconds : 0;
    char buf[48];
    snprintf(buf, sizeof buf, "REC %ld:%02ld", s / 60, s % 60);
    float w = text_width(r->font, TEXT_NORMAL, buf), bw = w + lh * 1.6f;
    /* in the band beside the title where the last frame left room (it hides no
     * legend or counter); else at the bottom left of the window */
    float x0 = r->badge_x, y0 = r->badge_y;
    if (!(r->badge_room >= bw) || r->badge_x <= 0) {
        x0 = lh * 0.5f;
        y0 = (float)fb_h - lh * 1.5f;
    }
    float x1 = x0 + bw;
    prims_rect(r->top, x0, y0, x1, y0 + lh * 1.3f, COL_PANEL);
    /* reported as a HUD string: it must hide no other string, map or plot */
    rd_box(r, (render_rect){ x0, y0, bw, lh * 1.3f }, RENDER_BOX_TEXT, 2);
    prims_mark(r->top, x0 + lh * 0.75f, y0 + lh * 0.65f, 0, lh * 0.35f, PRIM_DISC, RGBA(230, 40, 40, 255));
    text_set_box_sink(r->font, NULL, NULL);   /* its text is inside the box reported */
    text_draw(r->font, r->top, TEXT_NORMAL, x1 - lh * 0.3f - w, y0 + lh * 0.15f, buf, COL_TEXT, TEXT_LEFT);
    prims_flush(r->top, r->prog_prims, text_atlas(r->font), fb_w, fb_h, 0);
}
