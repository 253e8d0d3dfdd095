/*
 * scene_keys.c — the table of scene keys: one setter per key that validates its
 * value, its line of help, the `compare` overrides, and scene_set, which the
 * file parser (scene.c) and the command line both call. See scene.h.
 *
 * Setters work on a copy of the scene and the copy is kept only on success, so a
 * failed set leaves the scene as it was.
 */
#include "core/scene.h"
#include "core/scene_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/textparse.h"

/* ==== Small helpers ======================================================= */

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

/* Parse "a, b, c" into exactly n finite numbers. On error, the column (1-based in
 * value) of the offending item. */
static int parse_numbers(const char *value, double *out, int n, diag *err)
{
    const char *p = value;
    for (int i = 0; i < n; i++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t off;
        size_t tl = text_trim(p, len, &off);
        int col = (int)(p - value + off) + 1;
        if (tl == 0)
            return diag_set(err, 0, col, "expected %d numbers separated by ','", n);
        if (!text_number(p + off, tl, &out[i]))
            return diag_set(err, 0, col, "'%.*s' is not a finite number", (int)tl, p + off);
        if (i < n - 1 && !end)
            return diag_set(err, 0, (int)strlen(value) + 1 > 1 ? (int)strlen(value) : 1,
                            "expected %d numbers separated by ','", n);
        if (i == n - 1 && end)
            return diag_set(err, 0, (int)(end - value) + 1,
                            "expected %d numbers, found more", n);
        if (end)
            p = end + 1;
    }
    return 1;
}

static int parse_enum(const char *value, const char *const *names, int count, int *out,
                      const char *what, diag *err)
{
    for (int i = 0; i < count; i++)
        if (text_ieq(value, names[i], strlen(value))) {
            *out = i;
            return 1;
        }
    char list[160] = "";
    for (int i = 0; i < count; i++) {
        strncat(list, names[i], sizeof list - strlen(list) - 1);
        if (i < count - 1)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
    }
    return diag_set(err, 0, 1, "unknown %s '%s' (expected %s)", what, value, list);
}

static int parse_text(const char *value, char *dst, size_t cap, diag *err)
{
    if (strlen(value) >= cap)
        return diag_set(err, 0, (int)cap, "text longer than %d characters", (int)cap - 1);
    copy_text(dst, cap, value);
    return 1;
}

/* ==== Names ================================================================ */

static const char *const view_names[] = { "3d", "2d", "split" };
static const char *const layout_names[] = { "overlay", "panels", "compare" };
static const char *const loss_names[] = { "default", "mse", "ce" };
static const char *const colormap_names[] = { "viridis", "magma", "inferno", "plasma", "cividis" };
#define N_COLORMAPS ((int)(sizeof colormap_names / sizeof colormap_names[0]))

static const struct {
    const char *name;
    unsigned flag;
} overlay_names[] = {
    { "contours", SCENE_OVERLAY_CONTOURS }, { "arrows", SCENE_OVERLAY_ARROWS },
    { "critical", SCENE_OVERLAY_CRITICAL }, { "probe", SCENE_OVERLAY_PROBE },
    { "plot", SCENE_OVERLAY_PLOT },         { "legend", SCENE_OVERLAY_LEGEND },
    { "data", SCENE_OVERLAY_DATA },         { "log", SCENE_OVERLAY_LOG },
};
#define N_OVERLAYS ((int)(sizeof overlay_names / sizeof overlay_names[0]))

const char *scene_view_name(scene_view v)
{
    return (unsigned)v < SCENE_VIEW_COUNT ? view_names[v] : "3d";
}

const char *scene_layout_name(scene_layout l)
{
    return (unsigned)l < SCENE_LAYOUT_COUNT ? layout_names[l] : "overlay";
}

/* ==== Setters: one per key =================================================
 * Each takes the trimmed value and returns 1, or 0 with err (column in value). */

typedef int (*key_setter)(scene *s, const char *value, diag *err);

static int set_title(scene *s, const char *v, diag *e) { return parse_text(v, s->title, sizeof s->title, e); }
static int set_title_zh(scene *s, const char *v, diag *e) { return parse_text(v, s->title_zh, sizeof s->title_zh, e); }
static int set_description(scene *s, const char *v, diag *e) { return parse_text(v, s->description, sizeof s->description, e); }
static int set_caption(scene *s, const char *v, diag *e) { return parse_text(v, s->caption, sizeof s->caption, e); }
static int set_long_in(const char *v, long lo, long hi, long *out, const char *what, diag *e);
static int set_caption_zh(scene *s, const char *v, diag *e) { return parse_text(v, s->caption_zh, sizeof s->caption_zh, e); }
static int set_panel_label(scene *s, const char *v, diag *e) { return parse_text(v, s->panel_label, sizeof s->panel_label, e); }
static int set_panel_label_zh(scene *s, const char *v, diag *e) { return parse_text(v, s->panel_label_zh, sizeof s->panel_label_zh, e); }
static int set_compare_label(scene *s, const char *v, diag *e) { return parse_text(v, s->compare_label, sizeof s->compare_label, e); }
static int set_compare_label_zh(scene *s, const char *v, diag *e) { return parse_text(v, s->compare_label_zh, sizeof s->compare_label_zh, e); }
static int set_lesson(scene *s, const char *v, diag *e)
{
    long n;
    if (!set_long_in(v, 1, 99, &n, "lesson", e))
        return 0;
    s->lesson = (int)n;
    return 1;
}

static int set_surface(scene *s, const char *v, diag *e)
{
    if (*v == '\0')
        return diag_set(e, 0, 1, "expected a surface name or a formula in x and y");
    surface test;
    diag fe = { 0 };
    if (!surface_init(&test, v, &fe)) {
        /* A single word that is neither a built-in nor a valid formula is most
         * likely a misspelt name: say that rather than "unknown name". */
        int word = 1;
        for (const char *p = v; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
                word = 0;
        if (word && strlen(v) > 1)
            return diag_set(e, 0, 1,
                            "unknown surface '%s' (see --list-surfaces, or give a formula in x and y)", v);
        return diag_set(e, 0, fe.column > 0 ? fe.column : 1, "formula: column %d: %s",
                        fe.column > 0 ? fe.column : 1, fe.msg);
    }
    surface_free(&test);
    copy_text(s->surface, sizeof s->surface, v);
    return 1;
}

static int set_domain(scene *s, const char *v, diag *e)
{
    double d[4];
    while (*v == ' ' || *v == '\t')
        v++;
    if (strncmp(v, "auto", 4) == 0 && v[4 + strspn(v + 4, " \t")] == '\0') {
        /* issue 9 #11: the view frames every run's path as they go (app/framing.h) */
        s->domain_auto = 1;
        s->has_domain = 0;
        return 1;
    }
    if (!parse_numbers(v, d, 4, e))
        return 0;
    if (!(d[0] < d[1]) || !(d[2] < d[3]))
        return diag_set(e, 0, 1, "domain is 'xmin, xmax, ymin, ymax' with xmin < xmax and ymin < ymax");
    s->domain = (surface_domain){ d[0], d[1], d[2], d[3] };
    s->has_domain = 1;
    s->domain_auto = 0;
    return 1;
}

static int set_start(scene *s, const char *v, diag *e)
{
    if (!parse_numbers(v, s->start, 2, e))
        return 0;
    s->has_start = 1;
    return 1;
}

static int set_opt(scene *s, const char *v, diag *e)
{
    if (s->n_opts >= SCENE_MAX_RUNS)
        return diag_set(e, 0, 1, "more than %d optimizer runs", SCENE_MAX_RUNS);
    optim_desc d = { 0 };
    run_settings rs;
    if (!run_spec_parse(v, &d, &rs, e))
        return 0;
    s->runs[s->n_opts] = rs;
    s->opts[s->n_opts++] = d;
    return 1;
}

static int set_lr(scene *s, const char *v, diag *e)
{
    double lr;
    if (!text_number(v, strlen(v), &lr))
        return diag_set(e, 0, 1, "'%s' is not a finite number", v);
    if (!(lr >= 0))
        return diag_set(e, 0, 1, "lr must be >= 0 (0, as in torch, freezes every run)");
    s->lr = lr;
    s->has_lr = 1;
    return 1;
}

static int set_schedule(scene *s, const char *v, diag *e)
{
    schedule_desc d = { 0 };
    if (!schedule_parse(v, &d, e))
        return 0;
    s->schedule = d;
    return 1;
}

static int set_long_in(const char *v, long lo, long hi, long *out, const char *what, diag *e)
{
    long x;
    if (!text_long(v, strlen(v), &x))
        return diag_set(e, 0, 1, "%s must be a whole number, not '%s'", what, v);
    if (x < lo || x > hi)
        return diag_set(e, 0, 1, "%s must be between %ld and %ld", what, lo, hi);
    *out = x;
    return 1;
}

static int set_seed(scene *s, const char *v, diag *e)
{
    /* 64-bit on every target: `long` is 32 bits on ILP32 (wasm32), where a
     * long range with INT64_MAX as its top once rejected every seed */
    int64_t x;
    if (!text_int64(v, strlen(v), &x))
        return diag_set(e, 0, 1, "seed must be a whole number, not '%s'", v);
    if (x < 0)
        return diag_set(e, 0, 1, "seed must be between 0 and %" PRId64, INT64_MAX);
    s->seed = (uint64_t)x;
    return 1;
}

static int set_steps(scene *s, const char *v, diag *e)
{
    return set_long_in(v, 0, 1000000000L, &s->steps, "steps", e);
}

static int set_steps_per_frame(scene *s, const char *v, diag *e)
{
    long x;
    if (!set_long_in(v, 1, 100000, &x, "steps_per_frame", e))
        return 0;
    s->steps_per_frame = (int)x;
    return 1;
}

static int set_data(scene *s, const char *v, diag *e) { return parse_text(v, s->data, sizeof s->data, e); }
static int set_model(scene *s, const char *v, diag *e)
{
    /* Checked where it is written (file line, --model), not only once a data set
     * uses it: a bad spec on a surface scene would otherwise pass unnoticed. */
    model_desc d = { 0 };
    if (v[0] && strlen(v) < sizeof s->model && !model_desc_parse(v, &d, e))
        return 0;
    return parse_text(v, s->model, sizeof s->model, e);
}

static int set_landscape(scene *s, const char *v, diag *e)
{
    return parse_text(v, s->landscape, sizeof s->landscape, e);
}

static int set_landscape_key(scene *s, const char *v, diag *e)
{
    for (const char *c = v; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
              *c == '/' || *c == '-' || *c == '.'))
            return diag_set(e, 0, (int)(c - v) + 1, "a dataset name has letters, digits and _ / - . only");
    return parse_text(v, s->landscape_key, sizeof s->landscape_key, e);
}

static int set_params(scene *s, const char *v, diag *e)
{
    return parse_text(v, s->params, sizeof s->params, e);
}

static int set_loss(scene *s, const char *v, diag *e)
{
    int k;
    if (!parse_enum(v, loss_names, 3, &k, "loss", e))
        return 0;
    s->loss = (scene_loss)k;
    return 1;
}

static int set_batch(scene *s, const char *v, diag *e)
{
    if (text_ieq(v, "full", strlen(v))) {
        s->batch = 0;
        return 1;
    }
    long x;
    if (!text_long(v, strlen(v), &x))
        return diag_set(e, 0, 1, "batch must be a whole number or 'full', not '%s'", v);
    if (x < 1 || x > 100000000L)
        return diag_set(e, 0, 1, "batch must be at least 1 (or 'full')");
    s->batch = (int)x;
    return 1;
}

static int set_split(scene *s, const char *v, diag *e)
{
    double f;
    if (!text_number(v, strlen(v), &f))
        return diag_set(e, 0, 1, "'%s' is not a finite number", v);
    if (f < 0 || f >= 1)
        return diag_set(e, 0, 1, "split is the held-out fraction, in [0, 1)");
    s->split = f;
    return 1;
}

static int set_standardize(scene *s, const char *v, diag *e)
{
    if (!text_bool(v, strlen(v), &s->standardize))
        return diag_set(e, 0, 1, "expected 0 or 1, not '%s'", v);
    return 1;
}

static int set_own_batches(scene *s, const char *v, diag *e)
{
    if (!text_bool(v, strlen(v), &s->own_batches))
        return diag_set(e, 0, 1, "expected 0 or 1, not '%s'", v);
    return 1;
}

static int set_sharpness(scene *s, const char *v, diag *e)
{
    return set_long_in(v, 0, 1000000000L, &s->sharpness, "sharpness", e);
}

static int set_eval_every(scene *s, const char *v, diag *e)
{
    long x;
    if (!set_long_in(v, 1, 1000000, &x, "eval_every", e))
        return 0;
    s->eval_every = (int)x;
    return 1;
}

static int set_plane(scene *s, const char *v, diag *e)
{
    if (text_ieq(v, "random", strlen(v))) {
        s->plane_kind = SCENE_PLANE_RANDOM;
        return 1;
    }
    if (text_ieq(v, "pca", strlen(v))) {
        s->plane_kind = SCENE_PLANE_PCA;
        return 1;
    }
    const char *colon = strchr(v, ':');
    if (colon && text_ieq(v, "params", (size_t)(colon - v))) {
        double ij[2];
        diag sub = { 0 };
        if (!parse_numbers(colon + 1, ij, 2, &sub))
            return diag_set(e, 0, (int)(colon - v) + 1 + sub.column, "%s", sub.msg);
        if (ij[0] < 0 || ij[1] < 0 || ij[0] != floor(ij[0]) || ij[1] != floor(ij[1]) ||
            ij[0] == ij[1] || ij[0] > 1e6 || ij[1] > 1e6)
            return diag_set(e, 0, (int)(colon - v) + 2,
                            "plane params are two different parameter indices (0-based)");
        s->plane_kind = SCENE_PLANE_PARAMS;
        s->plane_params[0] = (int)ij[0];
        s->plane_params[1] = (int)ij[1];
        return 1;
    }
    return diag_set(e, 0, 1, "unknown plane '%s' (expected random, pca or params: I, J)", v);
}

static int set_view(scene *s, const char *v, diag *e)
{
    int k;
    if (!parse_enum(v, view_names, SCENE_VIEW_COUNT, &k, "view", e))
        return 0;
    s->view = (scene_view)k;
    return 1;
}

static int set_layout(scene *s, const char *v, diag *e)
{
    int k;
    if (!parse_enum(v, layout_names, SCENE_LAYOUT_COUNT, &k, "layout", e))
        return 0;
    s->layout = (scene_layout)k;
    return 1;
}

static const char *const theme_names[] = { "dark", "light" };

static int set_theme(scene *s, const char *v, diag *e)
{
    if (!parse_enum(v, theme_names, 2, &s->theme, "theme", e))
        return 0;
    s->has_theme = 1;
    return 1;
}

static int set_colormap(scene *s, const char *v, diag *e)
{
    return parse_enum(v, colormap_names, N_COLORMAPS, &s->colormap, "colormap", e);
}

static int set_overlays(scene *s, const char *v, diag *e)
{
    unsigned flags = 0;
    const char *p = v;
    if (text_ieq(v, "none", strlen(v))) {
        s->overlays = 0;
        return 1;
    }
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t off;
        size_t tl = text_trim(p, len, &off);
        int col = (int)(p - v + off) + 1;
        int found = 0;
        for (int i = 0; i < N_OVERLAYS; i++)
            if (text_ieq(p + off, overlay_names[i].name, tl)) {
                flags |= overlay_names[i].flag;
                found = 1;
            }
        if (!found)
            return diag_set(e, 0, col,
                            "unknown overlay '%.*s' (expected none or a list of contours, arrows, "
                            "critical, probe, plot, legend, data, log)",
                            (int)tl, p + off);
        if (!end)
            break;
        p = end + 1;
    }
    s->overlays = flags;
    return 1;
}

static int set_camera(scene *s, const char *v, diag *e)
{
    double c[3];
    if (!parse_numbers(v, c, 3, e))
        return 0;
    if (c[1] < -89.9 || c[1] > 89.9)
        return diag_set(e, 0, 1, "camera pitch must be within [-89.9, 89.9] degrees");
    if (!(c[2] > 0))
        return diag_set(e, 0, 1, "camera distance must be > 0");
    memcpy(s->camera, c, sizeof c);
    return 1;
}

static int set_compare(scene *s, const char *v, diag *e);

static int set_event(scene *s, const char *v, diag *e)
{
    if (s->n_events >= TIMELINE_MAX)
        return diag_set(e, 0, 1, "more than %d events", TIMELINE_MAX);
    timeline_event ev;
    if (!timeline_parse(v, s->n_opts, &ev, e))
        return 0;
    int i = s->n_events++;
    while (i > 0 && s->events[i - 1].step > ev.step) {
        s->events[i] = s->events[i - 1];
        i--;
    }
    s->events[i] = ev;
    return 1;
}

static const struct scene_key {
    const char *name;
    key_setter set;
    const char *help;
} keys[] = {
    { "title", set_title, "title shown in the HUD" },
    { "title_zh", set_title_zh, "the title in Chinese (shown with --lang zh)" },
    { "description", set_description, "one line saying what the scene shows (--list-scenes)" },
    { "caption", set_caption, "caption burnt into screenshots and recordings" },
    { "caption_zh", set_caption_zh, "the caption in Chinese (shown with --lang zh)" },
    { "lesson", set_lesson, "N: the scene is lesson N of the lecture (1..99; --list-scenes, --lesson)" },
    { "surface", set_surface, "built-in surface name (--list-surfaces) or a formula in x and y" },
    { "domain", set_domain, "plotting domain: xmin, xmax, ymin, ymax, or auto (framed to hold every run's path)" },
    { "start", set_start, "start point of every run: x, y" },
    { "opt", set_opt, "an optimizer run, NAME[:key=value,...] with the run's own batch=, schedule=, label=; one line per run" },
    { "lr", set_lr, "learning rate for every run (overrides each run's lr)" },
    { "schedule", set_schedule, "learning-rate schedule, NAME[:key=value,...]" },
    { "seed", set_seed, "random seed (data, shuffles, directions)" },
    { "steps", set_steps, "steps for --headless and --screenshot when --steps is not given" },
    { "steps_per_frame", set_steps_per_frame, "optimizer steps per drawn frame" },
    { "data", set_data, "data set: a CSV file or NAME[:key=value,...]" },
    { "landscape", set_landscape, "a loss-landscape HDF5 surface (FILE.h5) instead of `surface`" },
    { "landscape_key", set_landscape_key, "its dataset: train_loss (default), test_loss, train_acc, test_acc" },
    { "model", set_model, "model: linear, logistic, softmax, mlp[:key=value,...]" },
    { "params", set_params, "initial parameters: a PyTorch state dict in FILE.safetensors" },
    { "loss", set_loss, "loss: mse or ce" },
    { "batch", set_batch, "mini-batch size, or full" },
    { "split", set_split, "held-out fraction of the data for testing, in [0, 1)" },
    { "standardize", set_standardize, "1: standardize features with training statistics" },
    { "own_batches", set_own_batches, "1: each run draws its own mini-batches; 0: all share one sequence" },
    { "eval_every", set_eval_every, "steps between test-loss and accuracy samples" },
    { "sharpness", set_sharpness, "N: each run's top Hessian eigenvalue every N steps, plotted (and a CSV column headless); 0 none" },
    { "plane", set_plane, "view plane of a larger model: random, pca or params: I, J" },
    { "view", set_view, "3d, 2d or split" },
    { "layout", set_layout, "overlay, panels or compare" },
    { "overlays", set_overlays, "none, or a list of contours arrows critical probe plot legend data log" },
    { "colormap", set_colormap, "viridis, magma, inferno, plasma or cividis" },
    { "theme", set_theme, "dark (the default) or light: dark text on near-white, the colour map's dark end lifted (a washed-out projector)" },
    { "camera", set_camera, "3-D camera: yaw, pitch (degrees), distance" },
    { "compare", set_compare, "second problem of the compare layout: key=value pairs separated by ';'" },
    { "panel_label", set_panel_label, "the compare layout's first panel in words (default: this scene)" },
    { "panel_label_zh", set_panel_label_zh, "the same in Chinese (shown with --lang zh)" },
    { "compare_label", set_compare_label, "the compare layout's second panel in words (default: compare: and the overrides)" },
    { "compare_label_zh", set_compare_label_zh, "the same in Chinese (shown with --lang zh)" },
    { "event", set_event, "a timeline event, STEP: ACTION [RUN] [= VALUE] (lr batch schedule pause caption caption_zh probe view)" },
};
#define N_KEYS ((int)(sizeof keys / sizeof keys[0]))

/* Keys a `compare` override may not set (see scene.h). */
static int compare_forbidden(const char *key, size_t len)
{
    static const char *const no[] = { "opt", "compare", "event", "view", "layout", "overlays",
                                      "colormap", "theme", "camera", "title", "title_zh",
                                      "panel_label", "panel_label_zh", "compare_label", "compare_label_zh" };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strlen(no[i]) == len && strncmp(no[i], key, len) == 0)
            return 1;
    return 0;
}

/* Apply the overrides `text` to s (no copy: the caller's scratch scene). Errors
 * carry the column within text. */
static int apply_compare(scene *s, const char *text, diag *e)
{
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t off;
        size_t tl = text_trim(p, len, &off);
        int col = (int)(p - text + off) + 1;
        if (tl > 0) {
            const char *eq = memchr(p + off, '=', tl);
            if (!eq)
                return diag_set(e, 0, col, "expected key=value");
            size_t kl = text_trim(p + off, (size_t)(eq - (p + off)), NULL);
            char key[64], val[SCENE_TEXT_MAX + FORMULA_MAX_LEN];
            if (kl == 0 || kl >= sizeof key)
                return diag_set(e, 0, col, "expected key=value");
            memcpy(key, p + off, kl);
            key[kl] = '\0';
            for (char *c = key; *c; c++)
                if (*c == '-')
                    *c = '_';
            size_t vl = tl - (size_t)(eq + 1 - (p + off));
            if (vl >= sizeof val)
                return diag_set(e, 0, col, "value too long");
            memcpy(val, eq + 1, vl);
            val[vl] = '\0';
            if (compare_forbidden(key, kl))
                return diag_set(e, 0, col, "'%s' cannot differ between the compared problems", key);
            diag ke = { 0 };
            if (!scene_set(s, key, val, &ke))
                return diag_set(e, 0, col, "%s: %s", key, ke.msg);
        }
        if (!end)
            break;
        p = end + 1;
    }
    return 1;
}

static int set_compare(scene *s, const char *v, diag *e)
{
    if (strlen(v) >= sizeof s->compare)
        return diag_set(e, 0, (int)sizeof s->compare, "text longer than %d characters",
                        (int)sizeof s->compare - 1);
    /* validate now, on a scratch copy, so that a bad pair is a load-time error */
    scene *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return diag_set(e, 0, 0, "out of memory");
    *tmp = *s;
    int ok = apply_compare(tmp, v, e);
    free(tmp);
    if (ok)
        copy_text(s->compare, sizeof s->compare, v);
    return ok;
}

int scene_compare_scene(const scene *s, scene *out, diag *err)
{
    *out = *s;
    out->compare[0] = '\0';
    return apply_compare(out, s->compare, err);
}

int scene_key_count(void) { return N_KEYS; }
const char *scene_key_name(int i) { return (i >= 0 && i < N_KEYS) ? keys[i].name : NULL; }
const char *scene_key_help(int i) { return (i >= 0 && i < N_KEYS) ? keys[i].help : NULL; }


/* For scene_write.c (scene_internal.h). */
const char *scene_loss_name(int i) { return (i >= 0 && i < 3) ? loss_names[i] : "default"; }
const char *scene_colormap_name(int i) { return colormap_names[(unsigned)i % N_COLORMAPS]; }
int scene_overlay_count(void) { return N_OVERLAYS; }
const char *scene_overlay_name(int i, unsigned *flag)
{
    *flag = overlay_names[i].flag;
    return overlay_names[i].name;
}

static const struct scene_key *find_key(const char *key, size_t len)
{
    for (int i = 0; i < N_KEYS; i++) {
        const char *k = keys[i].name;
        if (strlen(k) != len)
            continue;
        size_t j = 0;
        for (; j < len; j++) {
            char a = key[j] == '-' ? '_' : key[j];
            if (a != k[j])
                break;
        }
        if (j == len)
            return &keys[i];
    }
    return NULL;
}

int scene_key_index(const char *key, size_t len)
{
    const struct scene_key *k = find_key(key, len);
    return k ? (int)(k - keys) : -1;
}

int scene_set(scene *s, const char *key, const char *value, diag *err)
{
    const struct scene_key *k = find_key(key, strlen(key));
    if (!k)
        return diag_set(err, 0, 0, "unknown key '%s'", key);
    /* Work on a copy so that a failed set changes nothing. The scene is large
     * (a formula buffer), so the copy lives on the heap. */
    scene *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return diag_set(err, 0, 0, "out of memory");
    *tmp = *s;
    size_t off;
    size_t len = text_trim(value, strlen(value), &off);
    char *v = malloc(len + 1);
    if (!v) {
        free(tmp);
        return diag_set(err, 0, 0, "out of memory");
    }
    memcpy(v, value + off, len);
    v[len] = '\0';
    /* A value is one line of text. scene_parse refuses control characters in a
     * file line; refuse them here too, so that the command line (which calls
     * scene_set directly) gets the same error, and so that a value with a line
     * break can never reach scene_format, whose text would then not read back. */
    int ok = 1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)v[i] < 0x20 && v[i] != '\t') {
            ok = diag_set(err, 0, (int)i + 1, "control character (0x%02x) in a value",
                          (unsigned char)v[i]);
            break;
        }
    if (ok)
        ok = k->set(tmp, v, err);
    if (ok)
        *s = *tmp;
    else if (err && err->column > 0)
        err->column += (int)off;   /* refer to the untrimmed value */
    free(v);
    free(tmp);
    return ok;
}
