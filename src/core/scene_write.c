/*
 * scene_write.c — a scene back as scene-file text (scene_format) and to a file
 * (scene_save), so that the text reads back to the same scene. See scene.h.
 */
#include "core/scene.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outfile.h"
#include "core/textparse.h"
#include "core/scene_internal.h"

/* ==== Writing ============================================================= */

typedef struct strbuf {
    char *p;
    size_t len, cap;
    int failed;
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#include <stdarg.h>

static void sb_printf(strbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->failed = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
}

char *scene_format(const scene *s)
{
    strbuf b = { malloc(4096), 0, 4096, 0 };
    if (!b.p)
        return NULL;
    b.p[0] = '\0';
    char spec[512];
    sb_printf(&b, "# losscape scene\n");
    /* Always written: the default title is not empty, so an empty title left
     * out would read back as "Rosenbrock". */
    sb_printf(&b, "title = %s\n", s->title);
    if (s->title_zh[0])
        sb_printf(&b, "title_zh = %s\n", s->title_zh);
    if (s->description[0])
        sb_printf(&b, "description = %s\n", s->description);
    if (s->caption[0])
        sb_printf(&b, "caption = %s\n", s->caption);
    if (s->caption_zh[0])
        sb_printf(&b, "caption_zh = %s\n", s->caption_zh);
    if (s->lesson > 0)
        sb_printf(&b, "lesson = %d\n", s->lesson);
    sb_printf(&b, "surface = %s\n", s->surface);
    if (s->domain_auto)
        sb_printf(&b, "domain = auto\n");
    else if (s->has_domain)
        sb_printf(&b, "domain = %s, %s, %s, %s\n", TEXT_G(s->domain.xmin), TEXT_G(s->domain.xmax),
                  TEXT_G(s->domain.ymin), TEXT_G(s->domain.ymax));
    if (s->has_start)
        sb_printf(&b, "start = %s, %s\n", TEXT_G(s->start[0]), TEXT_G(s->start[1]));
    for (int i = 0; i < s->n_opts; i++) {
        run_spec_format(&s->opts[i], &s->runs[i], spec, sizeof spec);
        sb_printf(&b, "opt = %s\n", spec);
    }
    if (s->has_lr)
        sb_printf(&b, "lr = %s\n", TEXT_G(s->lr));
    schedule_format(&s->schedule, spec, sizeof spec);
    sb_printf(&b, "schedule = %s\n", spec);
    sb_printf(&b, "seed = %llu\n", (unsigned long long)s->seed);
    if (s->steps > 0)
        sb_printf(&b, "steps = %ld\n", s->steps);
    sb_printf(&b, "steps_per_frame = %d\n", s->steps_per_frame);
    if (s->data[0])
        sb_printf(&b, "data = %s\n", s->data);
    if (s->model[0])
        sb_printf(&b, "model = %s\n", s->model);
    if (s->landscape[0])
        sb_printf(&b, "landscape = %s\n", s->landscape);
    if (s->landscape_key[0])
        sb_printf(&b, "landscape_key = %s\n", s->landscape_key);
    if (s->params[0])
        sb_printf(&b, "params = %s\n", s->params);
    if (s->loss != SCENE_LOSS_DEFAULT)
        sb_printf(&b, "loss = %s\n", scene_loss_name((int)s->loss));
    if (s->batch > 0)
        sb_printf(&b, "batch = %d\n", s->batch);
    else
        sb_printf(&b, "batch = full\n");
    if (s->split > 0)
        sb_printf(&b, "split = %s\n", TEXT_G(s->split));
    if (s->standardize)
        sb_printf(&b, "standardize = 1\n");
    if (s->own_batches)
        sb_printf(&b, "own_batches = 1\n");
    if (s->eval_every > 0)
        sb_printf(&b, "eval_every = %d\n", s->eval_every);
    if (s->sharpness > 0)
        sb_printf(&b, "sharpness = %ld\n", s->sharpness);
    if (s->plane_kind == SCENE_PLANE_PCA)
        sb_printf(&b, "plane = pca\n");
    else if (s->plane_kind == SCENE_PLANE_PARAMS)
        sb_printf(&b, "plane = params: %d, %d\n", s->plane_params[0], s->plane_params[1]);
    sb_printf(&b, "view = %s\n", scene_view_name(s->view));
    sb_printf(&b, "layout = %s\n", scene_layout_name(s->layout));
    sb_printf(&b, "overlays = ");
    if (s->overlays == 0)
        sb_printf(&b, "none");
    for (int i = 0, first = 1; i < scene_overlay_count(); i++) {
        unsigned flag;
        const char *oname = scene_overlay_name(i, &flag);
        if (s->overlays & flag) {
            sb_printf(&b, "%s%s", first ? "" : ", ", oname);
            first = 0;
        }
    }
    sb_printf(&b, "\n");
    sb_printf(&b, "colormap = %s\n", scene_colormap_name((int)s->colormap));
    if (s->theme == 1)
        sb_printf(&b, "theme = light\n");
    sb_printf(&b, "camera = %s, %s, %s\n", TEXT_G(s->camera[0]), TEXT_G(s->camera[1]), TEXT_G(s->camera[2]));
    if (s->compare[0])
        sb_printf(&b, "compare = %s\n", s->compare);
    if (s->panel_label[0])
        sb_printf(&b, "panel_label = %s\n", s->panel_label);
    if (s->panel_label_zh[0])
        sb_printf(&b, "panel_label_zh = %s\n", s->panel_label_zh);
    if (s->compare_label[0])
        sb_printf(&b, "compare_label = %s\n", s->compare_label);
    if (s->compare_label_zh[0])
        sb_printf(&b, "compare_label_zh = %s\n", s->compare_label_zh);
    for (int i = 0; i < s->n_events; i++) {
        char ev[TIMELINE_TEXT_MAX + 64];
        timeline_format(&s->events[i], ev, sizeof ev);
        sb_printf(&b, "event = %s\n", ev);
    }
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

int scene_save(const scene *s, const char *path, diag *err)
{
    char *text = scene_format(s);
    if (!text)
        return diag_set(err, 0, 0, "out of memory");
    outfile of;
    int ok = outfile_open(&of, path);
    if (ok) {
        fputs(text, of.f);
        ok = outfile_commit(&of);
    }
    if (!ok)
        diag_set(err, 0, 0, "%s", of.error);
    free(text);
    return ok;
}
