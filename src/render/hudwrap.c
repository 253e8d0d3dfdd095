/*
 * hudwrap.c — the HUD's wrapped strings (render_internal.h: hud_wrap), cached.
 *
 * A narration is wrapped into balanced lines by a binary search over the width (15
 * linebreak_wrap calls, each measuring every prefix of a line), and the bottom rows'
 * plan measures a long reference narration: both depend on the string, the type
 * size and the width alone, yet were redone every frame a narration or caption
 * showed. The results are kept per (string, size, font scale, width, lines, kind) in
 * a few entries, the least recently used replaced; a string too long for an entry
 * is wrapped every time (the same result, uncached).
 */
#include "render/render_internal.h"

#include "core/linebreak.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double hud_measure_text(void *ctx, const char *text)
{
    const hud_measure *m = ctx;
    return text_width(m->r->font, m->sz, text);
}

/* s wrapped into at most max lines of width w (the line-breaking rules of
 * core/linebreak.h); the last line keeps the rest, shortened with '…'. */
static int wrap_caption(renderer *r, text_size sz, const char *s, float w, char out[][320], int max)
{
    linebreak_line lines[HUD_CAPTION_LINES];
    hud_measure m = { r, sz };
    int n = linebreak_wrap(s, w, hud_measure_text, &m, lines, max);
    for (int i = 0; i < n; i++) {
        size_t len = lines[i].len < sizeof out[0] - 1 ? lines[i].len : sizeof out[0] - 1;
        while (len > 0 && ((unsigned char)s[lines[i].start + len] & 0xC0) == 0x80)
            len--;   /* a character boundary */
        memcpy(out[i], s + lines[i].start, len);
        out[i][len] = 0;
    }
    if (n == max && s[lines[n - 1].start + lines[n - 1].len]) {
        /* lines ran out: the last one keeps the rest, shortened */
        size_t at = lines[n - 1].start;
        char rest[320], cut[320];
        snprintf(rest, sizeof rest, "%s", s + at);
        snprintf(out[n - 1], sizeof out[0], "%s", rd_fit_text(r, sz, rest, w, cut, sizeof cut));
    }
    return n;
}

/* The balanced wrap: as wrap_caption at the narrowest width that keeps the number of
 * lines w gives (where those hold the whole string). */
static int wrap_narrow(renderer *r, text_size sz, const char *s, float w, char out[][320], int max, int *whole)
{
    linebreak_line l[HUD_CAPTION_LINES];
    hud_measure m = { r, sz };
    int n = linebreak_wrap(s, w, hud_measure_text, &m, l, max);
    *whole = n < max || !s[l[n - 1].start + l[n - 1].len];
    if (*whole && n > 1) {   /* the narrowest width that keeps n lines */
        float lo = w / (float)n * 0.8f, hi = w;
        for (int it = 0; it < 14; it++) {
            float mid = (lo + hi) * 0.5f;
            int k = linebreak_wrap(s, mid, hud_measure_text, &m, l, max);
            if (k <= n && (k < max || !s[l[k - 1].start + l[k - 1].len]))
                hi = mid;
            else
                lo = mid;
        }
        w = hi;
    }
    return wrap_caption(r, sz, s, w, out, max);
}

int hud_wrap(renderer *r, text_size sz, const char *s, float w, int max, int narrow, char out[][320], float *lw,
             int *whole)
{
    if (max > HUD_CAPTION_LINES)
        max = HUD_CAPTION_LINES;
    hud_wrap_cache *c = &r->wrap;
    float lh = text_line_height(r->font, sz);   /* the font's scale (text_set_scale) */
    size_t len = strlen(s);
    hud_wrap_entry *e = NULL, *old = &c->e[0];
    for (int i = 0; i < HUD_WRAP_ENTRIES && !e; i++) {
        hud_wrap_entry *x = &c->e[i];
        if (x->used && x->sz == sz && x->lh == lh && x->w == w && x->max == max && x->narrow == narrow &&
            strcmp(x->text, s) == 0)
            e = x;
        else if (x->used < old->used)
            old = x;
    }
    if (!e) {
        hud_wrap_entry tmp, *d = len < sizeof old->text ? old : &tmp;   /* too long: not kept */
        d->whole = 1;
        d->n = narrow ? wrap_narrow(r, sz, s, w, d->out, max, &d->whole) : wrap_caption(r, sz, s, w, d->out, max);
        d->lw = 0;
        for (int k = 0; k < d->n; k++)
            d->lw = fmaxf(d->lw, text_width(r->font, sz, d->out[k]));
        c->computed++;
        if (d == &tmp) {
            memcpy(out, tmp.out, (size_t)tmp.n * sizeof out[0]);
            if (lw)
                *lw = tmp.lw;
            if (whole)
                *whole = tmp.whole;
            return tmp.n;
        }
        memcpy(d->text, s, len + 1);
        d->sz = sz, d->lh = lh, d->w = w, d->max = max, d->narrow = narrow;
        e = d;
    }
    e->used = ++c->tick;
    memcpy(out, e->out, (size_t)e->n * sizeof out[0]);
    if (lw)
        *lw = e->lw;
    if (whole)
        *whole = e->whole;
    return e->n;
}

float hud_wrap_width(renderer *r, text_size sz, const char *s)
{
    hud_wrap_cache *c = &r->wrap;
    float lh = text_line_height(r->font, sz);
    if (c->width_lh != lh || c->width_sz != sz || strcmp(c->width_text, s) != 0) {
        c->width = text_width(r->font, sz, s);
        c->width_lh = lh;
        c->width_sz = sz;
        snprintf(c->width_text, sizeof c->width_text, "%s", s);
        c->computed++;
        if (strlen(s) >= sizeof c->width_text)
            c->width_lh = -1;   /* too long to be kept: measured again next time */
    }
    return c->width;
}
