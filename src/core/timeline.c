/*
 * timeline.c — parsing and formatting timeline events. See timeline.h.
 */
#include "core/timeline.h"

#include <stdio.h>
#include <string.h>

#include "core/textparse.h"

static const char *const kind_names[TL_KIND_COUNT] = { "lr", "batch", "schedule", "pause",
                                                       "caption", "caption_zh", "probe", "view" };
static const char *const view_names[3] = { "3d", "2d", "split" };

const char *timeline_kind_name(timeline_kind kind)
{
    return (kind >= 0 && kind < TL_KIND_COUNT) ? kind_names[kind] : "?";
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

int timeline_parse(const char *text, int max_runs, timeline_event *out, diag *err)
{
    timeline_event ev;
    memset(&ev, 0, sizeof ev);
    ev.run = -1;
    const char *p = text;
    while (is_blank(*p))
        p++;
    const char *colon = strchr(p, ':');
    if (!colon)
        return diag_set(err, 0, (int)(p - text) + 1, "expected STEP: ACTION, e.g. '100: lr 1 = 0.01'");
    long step;
    size_t off;
    size_t sl = text_trim(p, (size_t)(colon - p), &off);
    if (!text_long(p + off, sl, &step) || step < 0 || step > 1000000000L)
        return diag_set(err, 0, (int)(p - text) + 1, "the step must be a whole number in [0, 1e9]");
    ev.step = step;
    p = colon + 1;
    while (is_blank(*p))
        p++;
    const char *w = p;
    while (*p && !is_blank(*p) && *p != '=')
        p++;
    size_t wl = (size_t)(p - w);
    int wcol = (int)(w - text) + 1;
    int kind = -1;
    for (int k = 0; k < TL_KIND_COUNT; k++)
        if (strlen(kind_names[k]) == wl && strncmp(w, kind_names[k], wl) == 0)
            kind = k;
    if (kind < 0)
        return diag_set(err, 0, wcol,
                        "unknown event '%.*s' (expected lr, batch, schedule, pause, caption, "
                        "caption_zh, probe, view)", (int)(wl < 40 ? wl : 40), w);
    ev.kind = (timeline_kind)kind;
    while (is_blank(*p))
        p++;
    /* the run, for the trainer events */
    if (kind == TL_LR || kind == TL_BATCH || kind == TL_SCHEDULE) {
        const char *r = p;
        while (*p && !is_blank(*p) && *p != '=')
            p++;
        int rcol = (int)(r - text) + 1;
        long run;
        if (p - r == 1 && *r == '*')
            ev.run = -1;
        else if (p > r && text_long(r, (size_t)(p - r), &run) && run >= 1 &&
                 (max_runs <= 0 || run <= max_runs) && run <= 8)
            ev.run = (int)run - 1;
        else
            return diag_set(err, 0, rcol, "expected a run number (1..%d) or '*' after '%s'",
                            max_runs > 0 ? max_runs : 8, kind_names[kind]);
        while (is_blank(*p))
            p++;
    }
    if (kind == TL_PAUSE) {
        if (*p)
            return diag_set(err, 0, (int)(p - text) + 1, "'pause' takes no value");
        *out = ev;
        return 1;
    }
    if (*p != '=')
        return diag_set(err, 0, (int)(p - text) + 1, "expected '=' and a value after '%s'", kind_names[kind]);
    p++;
    size_t voff;
    size_t vl = text_trim(p, strlen(p), &voff);
    const char *v = p + voff;
    int vcol = (int)(v - text) + 1;
    if (vl == 0)
        return diag_set(err, 0, vcol, "expected a value after '='");
    switch (kind) {
    case TL_LR:
        if (!text_number(v, vl, &ev.v[0]) || !(ev.v[0] > 0))
            return diag_set(err, 0, vcol, "the rate must be a finite number > 0");
        break;
    case TL_BATCH: {
        long b;
        if (vl == 4 && strncmp(v, "full", 4) == 0)
            ev.batch = 0;
        else if (text_long(v, vl, &b) && b >= 1 && b <= 100000000L)
            ev.batch = (int)b;
        else
            return diag_set(err, 0, vcol, "the batch size must be a whole number >= 1 or full");
        break;
    }
    case TL_SCHEDULE: {
        char spec[256];
        if (vl >= sizeof spec)
            return diag_set(err, 0, vcol, "schedule spec too long");
        memcpy(spec, v, vl);
        spec[vl] = '\0';
        diag se = { 0 };
        if (!schedule_parse(spec, &ev.schedule, &se))
            return diag_set(err, 0, vcol + (se.column > 0 ? se.column - 1 : 0), "schedule: %s", se.msg);
        break;
    }
    case TL_CAPTION:
    case TL_CAPTION_ZH:
        if (vl >= sizeof ev.text)
            return diag_set(err, 0, vcol, "caption longer than %d bytes", (int)sizeof ev.text - 1);
        memcpy(ev.text, v, vl);
        ev.text[vl] = '\0';
        break;
    case TL_PROBE: {
        const char *comma = memchr(v, ',', vl);
        size_t o1, o2, l1 = comma ? text_trim(v, (size_t)(comma - v), &o1) : 0;
        size_t l2 = comma ? text_trim(comma + 1, vl - (size_t)(comma + 1 - v), &o2) : 0;
        if (!comma || !text_number(v + o1, l1, &ev.v[0]) || !text_number(comma + 1 + o2, l2, &ev.v[1]))
            return diag_set(err, 0, vcol, "expected X, Y (two finite numbers)");
        break;
    }
    case TL_VIEW: {
        int got = -1;
        for (int i = 0; i < 3; i++)
            if (strlen(view_names[i]) == vl && strncmp(v, view_names[i], vl) == 0)
                got = i;
        if (got < 0)
            return diag_set(err, 0, vcol, "expected 2d, 3d or split");
        ev.view = got;
        break;
    }
    default:
        break;
    }
    *out = ev;
    return 1;
}

int timeline_format(const timeline_event *ev, char *buf, int size)
{
    size_t n = size > 0 ? (size_t)size : 0;
    char run[16];
    if (ev->run < 0)
        snprintf(run, sizeof run, "*");
    else
        snprintf(run, sizeof run, "%d", ev->run + 1);
    const char *k = timeline_kind_name(ev->kind);
    switch (ev->kind) {
    case TL_LR: return snprintf(buf, n, "%ld: lr %s = %.17g", ev->step, run, ev->v[0]);
    case TL_BATCH:
        if (ev->batch > 0)
            return snprintf(buf, n, "%ld: batch %s = %d", ev->step, run, ev->batch);
        return snprintf(buf, n, "%ld: batch %s = full", ev->step, run);
    case TL_SCHEDULE: {
        char s[200];
        schedule_format(&ev->schedule, s, sizeof s);
        return snprintf(buf, n, "%ld: schedule %s = %s", ev->step, run, s);
    }
    case TL_PAUSE: return snprintf(buf, n, "%ld: pause", ev->step);
    case TL_CAPTION:
    case TL_CAPTION_ZH: return snprintf(buf, n, "%ld: %s = %s", ev->step, k, ev->text);
    case TL_PROBE: return snprintf(buf, n, "%ld: probe = %.17g, %.17g", ev->step, ev->v[0], ev->v[1]);
    case TL_VIEW: return snprintf(buf, n, "%ld: view = %s", ev->step, view_names[ev->view % 3]);
    default: return snprintf(buf, n, "%ld: pause", ev->step);
    }
}
