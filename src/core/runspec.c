/*
 * runspec.c — run specs: the optimizer's keys plus batch, schedule and label.
 * See runspec.h.
 */
#include "core/runspec.h"

#include <stdio.h>
#include <string.h>

#include "core/textparse.h"

#define SPEC_MAX 1024

static const char *const schedule_keys[] = { "every", "gamma", "T", "min", "pct", "div",
                                             "final_div", "warmup" };

/* Keys compare without case, as the optimizer's own keys do. */
static int key_is(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && text_ieq(s, name, len);
}

static int is_schedule_key(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof schedule_keys / sizeof schedule_keys[0]; i++)
        if (key_is(s, len, schedule_keys[i]))
            return 1;
    return 0;
}

/* The optimizer spec is rebuilt from the items that are not run settings; map[k]
 * is the column in the original spec of byte k of the rebuilt one. */
typedef struct rebuilt {
    char s[SPEC_MAX];
    int map[SPEC_MAX];
    int len;
} rebuilt;

static int put(rebuilt *r, const char *src, size_t n, int col)
{
    if ((size_t)r->len + n + 1 > SPEC_MAX)
        return 0;
    for (size_t k = 0; k < n; k++) {
        r->s[r->len] = src[k];
        r->map[r->len] = col > 0 ? col + (int)k : -col;
        r->len++;
    }
    r->s[r->len] = '\0';
    return 1;
}

int run_spec_parse(const char *spec, optim_desc *desc, run_settings *rs, diag *err)
{
    run_settings out = { 0 };
    rebuilt rb;
    rb.len = 0;
    rb.s[0] = '\0';
    size_t total = strlen(spec);
    if (total >= SPEC_MAX)
        return diag_set(err, 0, 1, "optimizer spec longer than %d characters", SPEC_MAX - 1);
    const char *colon = strchr(spec, ':');
    size_t head = colon ? (size_t)(colon - spec) : total;
    put(&rb, spec, head, 1);
    int items = 0;
    const char *p = colon ? colon + 1 : NULL;
    char sched[SPEC_MAX];
    int sched_col = 0;
    size_t sched_len = 0;
    int in_schedule = 0;
    while (p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t off;
        size_t tl = text_trim(p, len, &off);
        const char *it = p + off;
        int col = (int)(it - spec) + 1;
        const char *eq = memchr(it, '=', tl);
        size_t kl = eq ? text_trim(it, (size_t)(eq - it), NULL) : tl;
        const char *val = eq ? eq + 1 : NULL;
        size_t voff = 0, vl = eq ? text_trim(val, tl - (size_t)(val - it), &voff) : 0;
        if (val)
            val += voff;
        int vcol = val ? (int)(val - spec) + 1 : col;
        if (in_schedule && eq && is_schedule_key(it, kl)) {
            /* continues the schedule spec */
            sched[sched_len++] = ',';
            memcpy(sched + sched_len, it, tl);
            sched_len += tl;
            sched[sched_len] = '\0';
        } else if (eq && key_is(it, kl, "batch")) {
            in_schedule = 0;
            long b;
            if (text_ieq(val, "full", vl) && vl == 4)
                b = 0;
            else if (!text_long(val, vl, &b) || b < 1 || b > 100000000L)
                return diag_set(err, 0, vcol, "batch must be a whole number >= 1 or full");
            out.t.has_batch = 1;
            out.t.batch = (int)b;
        } else if (eq && key_is(it, kl, "label")) {
            in_schedule = 0;
            if (vl == 0)
                return diag_set(err, 0, vcol, "expected a label after 'label='");
            if (vl >= RUN_LABEL_MAX)
                return diag_set(err, 0, vcol, "label longer than %d characters", RUN_LABEL_MAX - 1);
            for (size_t k = 0; k < vl; k++)
                if ((unsigned char)val[k] < 0x20 || val[k] == '"')
                    return diag_set(err, 0, vcol + (int)k, "a label may not hold control characters or '\"'");
            memcpy(out.label, val, vl);
            out.label[vl] = '\0';
        } else if (eq && key_is(it, kl, "schedule")) {
            if (vl == 0)
                return diag_set(err, 0, vcol, "expected a schedule after 'schedule='");
            in_schedule = 1;
            memcpy(sched, val, vl);
            sched_len = vl;
            sched[vl] = '\0';
            sched_col = vcol;
            out.t.has_schedule = 1;
        } else {
            in_schedule = 0;
            if (!put(&rb, items++ ? "," : ":", 1, -col) || !put(&rb, p, len, (int)(p - spec) + 1))
                return diag_set(err, 0, col, "optimizer spec too long");
        }
        p = end ? end + 1 : NULL;
    }
    if (out.t.has_schedule) {
        diag se = { 0 };
        if (!schedule_parse(sched, &out.t.schedule, &se)) {
            /* the schedule's own columns count in its rebuilt text; good enough
             * while it is one piece, which it is unless keys were interleaved */
            int c = se.column > 0 ? sched_col + se.column - 1 : sched_col;
            return diag_set(err, 0, c, "schedule: %s", se.msg);
        }
    }
    optim_desc d = *desc;
    diag oe = { 0 };
    if (!optim_desc_parse(rb.s, &d, &oe)) {
        int c = oe.column > 0 && oe.column - 1 < rb.len ? rb.map[oe.column - 1]
                : oe.column > 0 ? (int)total + 1 : 0;
        return diag_set(err, 0, c, "%s", oe.msg);
    }
    *desc = d;
    *rs = out;
    return 1;
}

int run_spec_format(const optim_desc *desc, const run_settings *rs, char *buf, int size)
{
    char o[SPEC_MAX], sch[256] = "", bt[32] = "", lb[RUN_LABEL_MAX + 8] = "";
    optim_desc_format(desc, o, sizeof o);
    int has_colon = strchr(o, ':') != NULL;
    if (rs && rs->t.has_schedule) {
        char s[200];
        schedule_format(&rs->t.schedule, s, sizeof s);
        snprintf(sch, sizeof sch, ",schedule=%s", s);
    }
    if (rs && rs->t.has_batch) {
        if (rs->t.batch > 0)
            snprintf(bt, sizeof bt, ",batch=%d", rs->t.batch);
        else
            snprintf(bt, sizeof bt, ",batch=full");
    }
    if (rs && rs->label[0])
        snprintf(lb, sizeof lb, ",label=%s", rs->label);
    /* the settings after the optimizer's keys; the first one opens the list */
    char rest[sizeof sch + sizeof bt + sizeof lb];
    snprintf(rest, sizeof rest, "%s%s%s", bt, lb, sch);
    if (rest[0] && !has_colon)
        rest[0] = ':';
    return snprintf(buf, (size_t)(size > 0 ? size : 0), "%s%s", o, rest);
}

void run_label(const run_settings *all, const optim_desc *descs, int n, int i, char *buf, int size)
{
    if (all && all[i].label[0]) {
        snprintf(buf, (size_t)size, "%s", all[i].label);
        return;
    }
    int same = 0;
    for (int j = 0; j < n; j++)
        if (j != i && optim_kind_name(descs[j].kind) == optim_kind_name(descs[i].kind) &&
            !(all && all[j].label[0]))
            same = 1;
    if (same)
        snprintf(buf, (size_t)size, "%s-%d", optim_kind_name(descs[i].kind), i + 1);
    else
        snprintf(buf, (size_t)size, "%s", optim_kind_name(descs[i].kind));
}
