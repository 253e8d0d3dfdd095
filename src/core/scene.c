/*
 * scene.c — scene files: parsing, validation, writing back. See scene.h.
 *
 * Design: one table of keys, each with a setter that validates its value and a
 * line of help. scene_parse splits a file into `key = value` lines and calls
 * scene_set; the command line calls scene_set too, so both share every check.
 * Setters work on a copy of the scene and the copy is kept only on success, so a
 * failed set leaves the scene as it was.
 */
#include "core/scene.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/outfile.h"
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
static int set_description(scene *s, const char *v, diag *e) { return parse_text(v, s->description, sizeof s->description, e); }
static int set_caption(scene *s, const char *v, diag *e) { return parse_text(v, s->caption, sizeof s->caption, e); }
static int set_long_in(const char *v, long lo, long hi, long *out, const char *what, diag *e);
static int set_caption_zh(scene *s, const char *v, diag *e) { return parse_text(v, s->caption_zh, sizeof s->caption_zh, e); }
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
    if (!parse_numbers(v, d, 4, e))
        return 0;
    if (!(d[0] < d[1]) || !(d[2] < d[3]))
        return diag_set(e, 0, 1, "domain is 'xmin, xmax, ymin, ymax' with xmin < xmax and ymin < ymax");
    s->domain = (surface_domain){ d[0], d[1], d[2], d[3] };
    s->has_domain = 1;
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
    if (!(lr > 0))
        return diag_set(e, 0, 1, "lr must be > 0");
    s->lr = lr;
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
    { "description", set_description, "one line saying what the scene shows (--list-scenes)" },
    { "caption", set_caption, "caption burnt into screenshots and recordings" },
    { "caption_zh", set_caption_zh, "the caption in Chinese (shown with --lang zh)" },
    { "lesson", set_lesson, "N: the scene is lesson N of the lecture (1..99; --list-scenes, --lesson)" },
    { "surface", set_surface, "built-in surface name (--list-surfaces) or a formula in x and y" },
    { "domain", set_domain, "plotting domain: xmin, xmax, ymin, ymax" },
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
    { "plane", set_plane, "view plane of a larger model: random, pca or params: I, J" },
    { "view", set_view, "3d, 2d or split" },
    { "layout", set_layout, "overlay, panels or compare" },
    { "overlays", set_overlays, "none, or a list of contours arrows critical probe plot legend data log" },
    { "colormap", set_colormap, "viridis, magma, inferno, plasma or cividis" },
    { "camera", set_camera, "3-D camera: yaw, pitch (degrees), distance" },
    { "compare", set_compare, "second problem of the compare layout: key=value pairs separated by ';'" },
    { "event", set_event, "a timeline event, STEP: ACTION [RUN] [= VALUE] (lr batch schedule pause caption caption_zh probe view)" },
};
#define N_KEYS ((int)(sizeof keys / sizeof keys[0]))

/* Keys a `compare` override may not set (see scene.h). */
static int compare_forbidden(const char *key, size_t len)
{
    static const char *const no[] = { "opt", "compare", "event", "view", "layout", "overlays",
                                      "colormap", "camera", "title" };
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

/* ==== Public API ========================================================== */

void scene_init(scene *s)
{
    memset(s, 0, sizeof *s);
    copy_text(s->name, sizeof s->name, "default");
    copy_text(s->title, sizeof s->title, "Rosenbrock");
    copy_text(s->surface, sizeof s->surface, "rosenbrock");
    for (int k = OPT_SGD; k <= OPT_ADAM; k++) {
        optim_desc d = { .kind = (optim_kind)k };
        optim_desc_defaults(&d);
        s->opts[s->n_opts++] = d;
    }
    s->schedule.kind = SCHED_CONSTANT;
    schedule_desc_defaults(&s->schedule);
    s->seed = 1;
    s->steps = 0;
    s->steps_per_frame = 1;
    s->view = SCENE_VIEW_3D;
    s->layout = SCENE_LAYOUT_OVERLAY;
    s->overlays = SCENE_OVERLAY_DEFAULT;
    s->camera[0] = -50;
    s->camera[1] = 35;
    s->camera[2] = 1.6;
}

void scene_clear_opts(scene *s)
{
    s->n_opts = 0;
    memset(s->runs, 0, sizeof s->runs);
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

int scene_parse(scene *s, const char *text, diag *err)
{
    const char *p = text;
    int line = 0;
    /* A UTF-8 byte-order mark is not part of the first line. */
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    char *buf = malloc(SCENE_MAX_LINE + 1);
    if (!buf)
        return diag_set(err, 0, 0, "out of memory");
    int ok = 1, opts_seen = 0, events_seen = 0;
    while (*p && ok) {
        line++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *next = eol ? eol + 1 : p + len;
        if (len > 0 && p[len - 1] == '\r')
            len--;
        if (len > SCENE_MAX_LINE) {
            ok = diag_set(err, line, SCENE_MAX_LINE + 1, "line longer than %d bytes", SCENE_MAX_LINE);
            break;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        for (size_t i = 0; i < len; i++)
            if (buf[i] == '\0' || ((unsigned char)buf[i] < 0x20 && buf[i] != '\t')) {
                ok = diag_set(err, line, (int)i + 1, "control character (0x%02x) in a text file",
                              (unsigned char)buf[i]);
                break;
            }
        if (!ok)
            break;
        /* Embedded NUL bytes end strlen early: catch them on the raw span too. */
        if (memchr(p, '\0', len)) {
            ok = diag_set(err, line, 1, "NUL byte in a text file");
            break;
        }
        p = next;

        size_t off;
        size_t tl = text_trim(buf, len, &off);
        if (tl == 0 || buf[off] == '#')
            continue;
        char *eq = memchr(buf + off, '=', tl);
        if (!eq) {
            ok = diag_set(err, line, (int)off + 1, "expected 'key = value'");
            break;
        }
        size_t koff;
        size_t klen = text_trim(buf + off, (size_t)(eq - (buf + off)), &koff);
        if (klen == 0) {
            ok = diag_set(err, line, (int)(eq - buf) + 1, "missing key before '='");
            break;
        }
        char *key = buf + off + koff;
        key[klen] = '\0';
        /* A file's first `event` line replaces the timeline it started with. */
        if (!events_seen && find_key(key, klen) == find_key("event", 5)) {
            s->n_events = 0;
            events_seen = 1;
        }
        /* A file's first `opt` line replaces the runs it started with. */
        if (!opts_seen && find_key(key, klen) == find_key("opt", 3)) {
            scene_clear_opts(s);
            opts_seen = 1;
        }
        diag sub = { 0 };
        if (!scene_set(s, key, eq + 1, &sub)) {
            int col = sub.column > 0 ? (int)(eq + 1 - buf) + sub.column : (int)(key - buf) + 1;
            ok = diag_set(err, line, col, "%s", sub.msg);
        }
    }
    free(buf);
    return ok;
}

int scene_load(scene *s, const char *path, diag *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return diag_set(err, 0, 0, "cannot open: %s", strerror(errno));
    char *text = malloc(SCENE_MAX_FILE_BYTES + 1);
    if (!text) {
        fclose(f);
        return diag_set(err, 0, 0, "out of memory");
    }
    size_t n = fread(text, 1, SCENE_MAX_FILE_BYTES + 1, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        free(text);
        return diag_set(err, 0, 0, "cannot read: %s", strerror(errno));
    }
    if (n > SCENE_MAX_FILE_BYTES) {
        free(text);
        return diag_set(err, 0, 0, "file larger than %d bytes", SCENE_MAX_FILE_BYTES);
    }
    if (n == 0) {
        free(text);
        return diag_set(err, 0, 0, "empty scene file");
    }
    if (memchr(text, '\0', n)) {
        /* Binary data: report the line of the first NUL byte. */
        size_t at = (size_t)((char *)memchr(text, '\0', n) - text);
        int line = 1, col = 1;
        for (size_t i = 0; i < at; i++) {
            if (text[i] == '\n')
                line++, col = 1;
            else
                col++;
        }
        free(text);
        return diag_set(err, line, col, "NUL byte: this is not a text file");
    }
    text[n] = '\0';
    /* The name is the file's stem: "lessons/ravine.scene" → "ravine". */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* Find the extension in the whole base name before truncating to the size of
     * name: truncating first could cut the extension off and then drop the text
     * after an earlier dot ("lesson.<70 characters>.scene" → "lesson"). */
    char stem[sizeof s->name];
    const char *dot = strrchr(base, '.');
    size_t stem_len = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    snprintf(stem, sizeof stem, "%.*s", (int)(stem_len < sizeof stem ? stem_len : sizeof stem - 1),
             base);
    int ok = scene_parse(s, text, err);
    if (ok)
        copy_text(s->name, sizeof s->name, stem);
    free(text);
    return ok;
}

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
    if (s->description[0])
        sb_printf(&b, "description = %s\n", s->description);
    if (s->caption[0])
        sb_printf(&b, "caption = %s\n", s->caption);
    if (s->caption_zh[0])
        sb_printf(&b, "caption_zh = %s\n", s->caption_zh);
    if (s->lesson > 0)
        sb_printf(&b, "lesson = %d\n", s->lesson);
    sb_printf(&b, "surface = %s\n", s->surface);
    if (s->has_domain)
        sb_printf(&b, "domain = %s, %s, %s, %s\n", TEXT_G(s->domain.xmin), TEXT_G(s->domain.xmax),
                  TEXT_G(s->domain.ymin), TEXT_G(s->domain.ymax));
    if (s->has_start)
        sb_printf(&b, "start = %s, %s\n", TEXT_G(s->start[0]), TEXT_G(s->start[1]));
    for (int i = 0; i < s->n_opts; i++) {
        run_spec_format(&s->opts[i], &s->runs[i], spec, sizeof spec);
        sb_printf(&b, "opt = %s\n", spec);
    }
    if (s->lr > 0)
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
        sb_printf(&b, "loss = %s\n", loss_names[s->loss]);
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
    if (s->plane_kind == SCENE_PLANE_PCA)
        sb_printf(&b, "plane = pca\n");
    else if (s->plane_kind == SCENE_PLANE_PARAMS)
        sb_printf(&b, "plane = params: %d, %d\n", s->plane_params[0], s->plane_params[1]);
    sb_printf(&b, "view = %s\n", scene_view_name(s->view));
    sb_printf(&b, "layout = %s\n", scene_layout_name(s->layout));
    sb_printf(&b, "overlays = ");
    if (s->overlays == 0)
        sb_printf(&b, "none");
    for (int i = 0, first = 1; i < N_OVERLAYS; i++)
        if (s->overlays & overlay_names[i].flag) {
            sb_printf(&b, "%s%s", first ? "" : ", ", overlay_names[i].name);
            first = 0;
        }
    sb_printf(&b, "\n");
    sb_printf(&b, "colormap = %s\n", colormap_names[s->colormap % N_COLORMAPS]);
    sb_printf(&b, "camera = %s, %s, %s\n", TEXT_G(s->camera[0]), TEXT_G(s->camera[1]), TEXT_G(s->camera[2]));
    if (s->compare[0])
        sb_printf(&b, "compare = %s\n", s->compare);
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
