/*
 * test_scene.c — scene files: defaults, every key from text, errors with line and
 * column, CRLF/BOM, comments, the `opt` replacement rule, scene_set atomicity, the
 * scene_format → scene_parse round trip, and scene_save/scene_load on disk.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/scene.h"
#include "core/textparse.h"

/* ==== Helpers ============================================================== */

static void set_ok(scene *s, const char *key, const char *value)
{
    diag err = {0};
    if (!scene_set(s, key, value, &err))
        fail_msg("scene_set(%s, '%s'): column %d: %s", key, value, err.column, err.msg);
}

static void parse_ok(scene *s, const char *text)
{
    diag err = {0};
    if (!scene_parse(s, text, &err))
        fail_msg("scene_parse: %d:%d: %s\n--- text ---\n%s", err.line, err.column, err.msg, text);
}

static void expect_msg(const diag *err, const char *want)
{
    if (!strstr(err->msg, want))
        fail_msg("message '%s' does not contain '%s'", err->msg, want);
}

/* scene_set must fail with (column, message) and leave the scene byte-identical. */
#define expect_set_error(key, value, col, want) \
    expect_set_error_at((key), (value), (col), (want), __FILE__, __LINE__)

static void expect_set_error_at(const char *key, const char *value, int col, const char *want,
                                const char *file, int line)
{
    static scene s, before;
    scene_init(&s);
    set_ok(&s, "title", "before");   /* not the default, to see it survive */
    set_ok(&s, "start", "0.5, 0.25");
    memcpy(&before, &s, sizeof s);
    diag err = {0};
    if (scene_set(&s, key, value, &err)) {
        fprintf(stderr, "%s:%d: scene_set(%s, '%s') succeeded\n", file, line, key, value);
        _fail(file, line);
    }
    if (err.column != col) {
        fprintf(stderr, "%s:%d: scene_set(%s, '%s'): column %d, expected %d (%s)\n", file, line,
                key, value, err.column, col, err.msg);
        _fail(file, line);
    }
    if (!strstr(err.msg, want)) {
        fprintf(stderr, "%s:%d: scene_set(%s, '%s'): '%s' lacks '%s'\n", file, line, key, value,
                err.msg, want);
        _fail(file, line);
    }
    if (memcmp(&s, &before, sizeof s) != 0) {
        fprintf(stderr, "%s:%d: scene_set(%s, '%s') changed the scene on failure\n", file, line,
                key, value);
        _fail(file, line);
    }
}

/* scene_parse of text onto a default scene must fail at (line, col) with message. */
#define expect_parse_error(text, ln, col, want) \
    expect_parse_error_at((text), (ln), (col), (want), __FILE__, __LINE__)

static void expect_parse_error_at(const char *text, int ln, int col, const char *want,
                                  const char *file, int line)
{
    static scene s;
    scene_init(&s);
    diag err = {0};
    if (scene_parse(&s, text, &err)) {
        fprintf(stderr, "%s:%d: scene_parse succeeded on:\n%s\n", file, line, text);
        _fail(file, line);
    }
    if (err.line != ln || err.column != col || !strstr(err.msg, want)) {
        fprintf(stderr, "%s:%d: got %d:%d '%s', expected %d:%d '%s'\n", file, line, err.line,
                err.column, err.msg, ln, col, want);
        _fail(file, line);
    }
}

/* optim_desc compared byte for byte after defaults, on copies built field by field
 * so that padding bytes cannot differ. */
static void normalized_opt(optim_desc *out, const optim_desc *in)
{
    memset(out, 0, sizeof *out);
    out->kind = in->kind;
    out->lr = in->lr;
    out->momentum = in->momentum;
    out->dampening = in->dampening;
    out->nesterov = in->nesterov;
    out->alpha = in->alpha;
    out->centered = in->centered;
    out->beta1 = in->beta1;
    out->beta2 = in->beta2;
    out->no_bias_correction = in->no_bias_correction;
    out->eps = in->eps;
    out->weight_decay = in->weight_decay;
    out->lr_decay = in->lr_decay;
    out->initial_accumulator_value = in->initial_accumulator_value;
    out->variant = in->variant;
    out->zero_mask = in->zero_mask;
    optim_desc_defaults(out);
}

/* Every field that scene_format writes (name is not a key). */
static void expect_scenes_equal(const scene *a, const scene *b)
{
    assert_string_equal(a->title, b->title);
    assert_string_equal(a->title_zh, b->title_zh);
    assert_string_equal(a->description, b->description);
    assert_string_equal(a->caption, b->caption);
    assert_string_equal(a->caption_zh, b->caption_zh);
    assert_string_equal(a->panel_label, b->panel_label);
    assert_string_equal(a->panel_label_zh, b->panel_label_zh);
    assert_string_equal(a->compare_label, b->compare_label);
    assert_string_equal(a->compare_label_zh, b->compare_label_zh);
    assert_int_equal(a->lesson, b->lesson);
    assert_string_equal(a->surface, b->surface);
    assert_int_equal(a->has_domain, b->has_domain);
    if (a->has_domain) {
        assert_true(a->domain.xmin == b->domain.xmin);
        assert_true(a->domain.xmax == b->domain.xmax);
        assert_true(a->domain.ymin == b->domain.ymin);
        assert_true(a->domain.ymax == b->domain.ymax);
    }
    assert_int_equal(a->has_start, b->has_start);
    if (a->has_start) {
        assert_true(a->start[0] == b->start[0]);
        assert_true(a->start[1] == b->start[1]);
    }
    assert_int_equal(a->n_opts, b->n_opts);
    for (int i = 0; i < a->n_opts; i++) {
        optim_desc x, y;
        normalized_opt(&x, &a->opts[i]);
        normalized_opt(&y, &b->opts[i]);
        if (memcmp(&x, &y, sizeof x) != 0) {
            char fa[512], fb[512];
            optim_desc_format(&a->opts[i], fa, sizeof fa);
            optim_desc_format(&b->opts[i], fb, sizeof fb);
            fail_msg("run %d differs: '%s' vs '%s'", i, fa, fb);
        }
        const run_settings *ra = &a->runs[i], *rb = &b->runs[i];
        assert_string_equal(ra->label, rb->label);
        assert_int_equal(ra->t.has_batch, rb->t.has_batch);
        assert_int_equal(ra->t.batch, rb->t.batch);
        assert_int_equal(ra->t.has_schedule, rb->t.has_schedule);
        if (ra->t.has_schedule) {
            assert_int_equal(ra->t.schedule.kind, rb->t.schedule.kind);
            assert_int_equal(ra->t.schedule.T, rb->t.schedule.T);
            assert_int_equal(ra->t.schedule.warmup, rb->t.schedule.warmup);
            assert_true(ra->t.schedule.min_factor == rb->t.schedule.min_factor);
        }
    }
    assert_int_equal(a->n_events, b->n_events);
    for (int i = 0; i < a->n_events; i++) {
        char ea[700], eb[700];
        timeline_format(&a->events[i], ea, sizeof ea);
        timeline_format(&b->events[i], eb, sizeof eb);
        assert_string_equal(ea, eb);
        if (i > 0)
            assert_true(a->events[i - 1].step <= a->events[i].step);   /* kept in step order */
    }
    assert_true(a->lr == b->lr);
    assert_int_equal(a->schedule.kind, b->schedule.kind);
    assert_int_equal(a->schedule.warmup, b->schedule.warmup);
    assert_int_equal(a->schedule.every, b->schedule.every);
    assert_true(a->schedule.gamma == b->schedule.gamma);
    assert_int_equal(a->schedule.T, b->schedule.T);
    assert_true(a->schedule.min_factor == b->schedule.min_factor);
    assert_true(a->schedule.pct == b->schedule.pct);
    assert_true(a->schedule.div == b->schedule.div);
    assert_true(a->schedule.final_div == b->schedule.final_div);
    assert_true(a->seed == b->seed);
    assert_int_equal(a->steps, b->steps);
    assert_int_equal(a->steps_per_frame, b->steps_per_frame);
    assert_int_equal(a->sharpness, b->sharpness);
    assert_string_equal(a->data, b->data);
    assert_string_equal(a->model, b->model);
    assert_int_equal(a->loss, b->loss);
    assert_int_equal(a->batch, b->batch);
    assert_true(a->split == b->split);
    assert_int_equal(a->standardize, b->standardize);
    assert_int_equal(a->view, b->view);
    assert_int_equal(a->layout, b->layout);
    assert_int_equal(a->overlays, b->overlays);
    assert_int_equal(a->colormap, b->colormap);
    assert_int_equal(a->theme, b->theme);
    for (int i = 0; i < 3; i++)
        assert_true(a->camera[i] == b->camera[i]);
    assert_string_equal(a->compare, b->compare);
}

/* scene_format(s) parsed onto a fresh default scene gives s back. */
static void expect_round_trip(const scene *s)
{
    char *text = scene_format(s);
    assert_non_null(text);
    static scene back;
    scene_init(&back);
    diag err = {0};
    if (!scene_parse(&back, text, &err))
        fail_msg("round trip: %d:%d: %s\n%s", err.line, err.column, err.msg, text);
    expect_scenes_equal(s, &back);
    /* and formatting again gives the same text */
    char *again = scene_format(&back);
    assert_non_null(again);
    assert_string_equal(text, again);
    free(again);
    free(text);
}

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_scene.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static int count_dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* ==== Defaults and keys ===================================================== */

static void test_init_defaults(void **state)
{
    (void)state;
    static scene s;
    memset(&s, 0xAB, sizeof s);   /* scene_init must not depend on the old contents */
    scene_init(&s);
    assert_string_equal(s.name, "default");
    assert_string_equal(s.title, "Rosenbrock");
    assert_string_equal(s.description, "");
    assert_string_equal(s.caption, "");
    assert_string_equal(s.surface, "rosenbrock");
    assert_int_equal(s.has_domain, 0);
    assert_int_equal(s.has_start, 0);
    assert_int_equal(s.n_opts, 5);
    const optim_kind kinds[5] = {OPT_SGD, OPT_MOMENTUM, OPT_ADAGRAD, OPT_RMSPROP, OPT_ADAM};
    for (int i = 0; i < 5; i++) {
        optim_desc want = {.kind = kinds[i]}, a, b;
        optim_desc_defaults(&want);
        assert_int_equal(s.opts[i].kind, kinds[i]);
        normalized_opt(&a, &s.opts[i]);
        normalized_opt(&b, &want);
        assert_memory_equal(&a, &b, sizeof a);
        assert_true(optim_desc_validate(&s.opts[i], NULL));
    }
    /* torch's defaults */
    expect_near(s.opts[0].lr, 1e-3, 0);
    expect_near(s.opts[1].momentum, 0.9, 0);
    expect_near(s.opts[2].lr, 1e-2, 0);
    expect_near(s.opts[3].alpha, 0.99, 0);
    expect_near(s.opts[4].beta2, 0.999, 0);
    expect_near(s.lr, 0, 0);
    assert_int_equal(s.schedule.kind, SCHED_CONSTANT);
    assert_true(s.seed == 1);
    assert_int_equal(s.steps, 0);
    assert_int_equal(s.steps_per_frame, 1);
    assert_string_equal(s.data, "");
    assert_string_equal(s.model, "");
    assert_int_equal(s.loss, SCENE_LOSS_DEFAULT);
    assert_int_equal(s.batch, 0);
    expect_near(s.split, 0, 0);
    assert_int_equal(s.standardize, 0);
    assert_int_equal(s.view, SCENE_VIEW_3D);
    assert_int_equal(s.layout, SCENE_LAYOUT_OVERLAY);
    assert_int_equal(s.overlays, SCENE_OVERLAY_DEFAULT);
    assert_int_equal(s.colormap, 0);
    assert_true(s.camera[2] > 0);
    assert_true(s.camera[1] >= -89.9 && s.camera[1] <= 89.9);
}

static void test_key_table(void **state)
{
    (void)state;
    static const char *const want[] = {
        "title", "title_zh", "description", "caption", "caption_zh", "lesson", "surface", "domain", "start", "opt", "lr",
        "schedule", "seed", "steps", "steps_per_frame", "data", "landscape", "landscape_key", "model", "params", "loss", "batch",
        "split", "standardize", "own_batches", "eval_every", "sharpness", "plane", "view", "layout", "overlays", "colormap", "theme", "camera", "compare",
        "panel_label", "panel_label_zh", "compare_label", "compare_label_zh", "event"};
    const int n = (int)(sizeof want / sizeof want[0]);
    assert_int_equal(scene_key_count(), n);
    for (int i = 0; i < n; i++) {
        assert_string_equal(scene_key_name(i), want[i]);
        assert_non_null(scene_key_help(i));
        assert_true(strlen(scene_key_help(i)) > 5);
    }
    assert_null(scene_key_name(-1));
    assert_null(scene_key_name(n));
    assert_null(scene_key_help(n));
    assert_string_equal(scene_view_name(SCENE_VIEW_3D), "3d");
    assert_string_equal(scene_view_name(SCENE_VIEW_2D), "2d");
    assert_string_equal(scene_view_name(SCENE_VIEW_SPLIT), "split");
    assert_string_equal(scene_layout_name(SCENE_LAYOUT_OVERLAY), "overlay");
    assert_string_equal(scene_layout_name(SCENE_LAYOUT_PANELS), "panels");
    assert_string_equal(scene_layout_name(SCENE_LAYOUT_COMPARE), "compare");
}

static void test_every_key_from_text(void **state)
{
    (void)state;
    static scene s;
    scene_init(&s);
    parse_ok(&s,
             "# every key\n"
             "title       = Banana # valley = curved\n"
             "description = a curved valley: momentum overshoots\n"
             "caption     = η = 0.002, batch 16\n"
             "surface     = x^2 + 10*y^2\n"
             "domain      = -2, 2.5, -1e-1, 3\n"
             "start       = -1.5, 2\n"
             "opt         = momentum: lr=0.01, momentum=0.5\n"
             "opt         = adam: lr=0.05, beta1=0\n"
             "lr          = 0.125\n"
             "schedule    = cosine: T=500, warmup=20\n"
             "seed        = 987654321\n"
             "steps       = 1500\n"
             "steps_per_frame = 4\n"
             "data        = blobs:n=200\n"
             "model       = mlp:hidden=8\n"
             "loss        = ce\n"
             "batch       = 16\n"
             "split       = 0.2\n"
             "standardize = yes\n"
             "view        = split\n"
             "layout      = PANELS\n"
             "overlays    = contours, arrows, critical, probe, plot, legend, data, log\n"
             "colormap    = magma\n"
             "theme       = light\n"
             "camera      = 10, -20.5, 2\n");
    assert_string_equal(s.title, "Banana # valley = curved");
    assert_string_equal(s.description, "a curved valley: momentum overshoots");
    assert_string_equal(s.caption, "η = 0.002, batch 16");
    assert_string_equal(s.surface, "x^2 + 10*y^2");
    assert_int_equal(s.has_domain, 1);
    expect_near(s.domain.xmin, -2, 0);
    expect_near(s.domain.xmax, 2.5, 0);
    expect_near(s.domain.ymin, -0.1, 0);
    expect_near(s.domain.ymax, 3, 0);
    assert_int_equal(s.has_start, 1);
    expect_near(s.start[0], -1.5, 0);
    expect_near(s.start[1], 2, 0);
    assert_int_equal(s.n_opts, 2);   /* the file's opt lines replaced the five defaults */
    assert_int_equal(s.opts[0].kind, OPT_MOMENTUM);
    expect_near(s.opts[0].lr, 0.01, 0);
    expect_near(s.opts[0].momentum, 0.5, 0);
    assert_int_equal(s.opts[1].kind, OPT_ADAM);
    expect_near(s.opts[1].lr, 0.05, 0);
    expect_near(s.opts[1].beta1, 0, 0);
    expect_near(s.opts[1].beta2, 0.999, 0);   /* defaults filled */
    expect_near(s.lr, 0.125, 0);
    assert_int_equal(s.schedule.kind, SCHED_COSINE);
    assert_int_equal(s.schedule.T, 500);
    assert_int_equal(s.schedule.warmup, 20);
    assert_true(s.seed == 987654321u);
    assert_int_equal(s.steps, 1500);
    assert_int_equal(s.steps_per_frame, 4);
    assert_string_equal(s.data, "blobs:n=200");
    assert_string_equal(s.model, "mlp:hidden=8");
    assert_int_equal(s.loss, SCENE_LOSS_CE);
    assert_int_equal(s.batch, 16);
    expect_near(s.split, 0.2, 0);
    assert_int_equal(s.standardize, 1);
    assert_int_equal(s.view, SCENE_VIEW_SPLIT);
    assert_int_equal(s.layout, SCENE_LAYOUT_PANELS);
    assert_int_equal(s.overlays, 0xFF);
    assert_int_equal(s.colormap, 1);
    assert_int_equal(s.theme, 1);
    expect_near(s.camera[0], 10, 0);
    expect_near(s.camera[1], -20.5, 0);
    expect_near(s.camera[2], 2, 0);

    /* the other spellings and values */
    set_ok(&s, "batch", "full");
    assert_int_equal(s.batch, 0);
    set_ok(&s, "batch", "Full");
    assert_int_equal(s.batch, 0);
    set_ok(&s, "overlays", "none");
    assert_int_equal(s.overlays, 0);
    set_ok(&s, "overlays", "  legend ,plot  ");
    assert_int_equal(s.overlays, SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT);
    set_ok(&s, "standardize", "0");
    assert_int_equal(s.standardize, 0);
    set_ok(&s, "loss", "mse");
    assert_int_equal(s.loss, SCENE_LOSS_MSE);
    set_ok(&s, "loss", "default");
    assert_int_equal(s.loss, SCENE_LOSS_DEFAULT);
    set_ok(&s, "view", "2D");
    assert_int_equal(s.view, SCENE_VIEW_2D);
    set_ok(&s, "layout", "compare");
    assert_int_equal(s.layout, SCENE_LAYOUT_COMPARE);
    set_ok(&s, "colormap", "cividis");
    assert_int_equal(s.colormap, 4);
    set_ok(&s, "theme", "dark");
    assert_int_equal(s.theme, 0);
    set_ok(&s, "surface", "himmelblau");
    assert_string_equal(s.surface, "himmelblau");
    set_ok(&s, "seed", "0");
    assert_true(s.seed == 0);
    /* the seed is 64-bit on every target, ILP32 (wasm32, 32-bit long) included */
    set_ok(&s, "seed", "4294967296");
    assert_true(s.seed == 4294967296u);
    set_ok(&s, "seed", "9223372036854775807");
    assert_true(s.seed == 9223372036854775807u);
    set_ok(&s, "seed", "42");
    assert_true(s.seed == 42);
    set_ok(&s, "split", "0");
    expect_near(s.split, 0, 0);
    set_ok(&s, "steps_per_frame", "100000");
    assert_int_equal(s.steps_per_frame, 100000);
    /* '-' for '_' in a key; surrounding blanks of the value are dropped */
    set_ok(&s, "steps-per-frame", "  3\t");
    assert_int_equal(s.steps_per_frame, 3);
    set_ok(&s, "title", "");
    assert_string_equal(s.title, "");
    /* scene_set's `opt` adds a run (the command line clears first) */
    int n = s.n_opts;
    set_ok(&s, "opt", "sgd");
    assert_int_equal(s.n_opts, n + 1);
    assert_int_equal(s.opts[n].kind, OPT_SGD);
    scene_clear_opts(&s);
    assert_int_equal(s.n_opts, 0);
}

static void test_comments_blank_lines_and_repeats(void **state)
{
    (void)state;
    static scene s;
    scene_init(&s);
    parse_ok(&s,
             "\n"
             "   # indented comment = not a key\n"
             "#title = not this\n"
             "\t\n"
             "title = first\n"
             "  title=second  \n"
             "seed = 5\n"
             "steps-per-frame = 2\n"
             "   \n"
             "seed = 6");   /* no final newline */
    assert_string_equal(s.title, "second");
    assert_true(s.seed == 6);
    assert_int_equal(s.steps_per_frame, 2);
    assert_int_equal(s.n_opts, 5);   /* no opt lines: the runs stay */

    /* empty text changes nothing */
    static scene before;
    memcpy(&before, &s, sizeof s);
    parse_ok(&s, "");
    parse_ok(&s, "\n\n# only a comment\n");
    assert_memory_equal(&s, &before, sizeof s);
}

static void test_opt_lines_replace_runs(void **state)
{
    (void)state;
    static scene s;
    scene_init(&s);
    parse_ok(&s, "opt = sgd: lr=0.1\ntitle = x\nopt = adam\n");
    assert_int_equal(s.n_opts, 2);
    assert_int_equal(s.opts[0].kind, OPT_SGD);
    assert_int_equal(s.opts[1].kind, OPT_ADAM);
    /* a second file: its first opt line replaces again */
    parse_ok(&s, "opt = rmsprop\n");
    assert_int_equal(s.n_opts, 1);
    assert_int_equal(s.opts[0].kind, OPT_RMSPROP);
    /* a file without opt lines keeps them */
    parse_ok(&s, "seed = 3\n");
    assert_int_equal(s.n_opts, 1);
    /* eight runs are fine, the ninth is an error at its value */
    char text[1024] = "";
    for (int i = 0; i < SCENE_MAX_RUNS; i++)
        strcat(text, "opt = sgd\n");
    parse_ok(&s, text);
    assert_int_equal(s.n_opts, SCENE_MAX_RUNS);
    strcat(text, "opt = adam\n");
    expect_parse_error(text, SCENE_MAX_RUNS + 1, 7, "more than 8 optimizer runs");
    /* and through scene_set */
    expect_set_error("opt", "nosuch", 1, "");
    scene_init(&s);
    for (int i = 5; i < SCENE_MAX_RUNS; i++)
        set_ok(&s, "opt", "adam");
    diag err = {0};
    assert_false(scene_set(&s, "opt", "sgd", &err));
    expect_msg(&err, "more than 8");
    assert_int_equal(s.n_opts, SCENE_MAX_RUNS);
}

/* ==== Errors ================================================================ */

static void test_set_errors_per_key(void **state)
{
    (void)state;
    expect_set_error("lrate", "0.1", 0, "unknown key 'lrate'");
    expect_set_error("Title", "x", 0, "unknown key");   /* keys are case-sensitive */
    expect_set_error("", "x", 0, "unknown key");
    char longtext[300];
    memset(longtext, 'a', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    expect_set_error("title", longtext, 256, "longer than 255");
    expect_set_error("description", longtext, 256, "longer than 255");
    char longcap[1100];
    memset(longcap, 'a', sizeof longcap - 1);
    longcap[sizeof longcap - 1] = '\0';
    expect_set_error("caption", longcap, 1024, "longer than 1023");
    expect_set_error("caption_zh", longcap, 1024, "longer than 1023");
    expect_set_error("lesson", "0", 1, "lesson");
    expect_set_error("lesson", "one", 1, "lesson");
    expect_set_error("opt", "sgd: batch=0", 12, "batch must be");
    expect_set_error("opt", "adam: label=x, beta3=1", 16, "unknown key 'beta3'");
    expect_set_error("data", longtext, 256, "longer than 255");
    expect_set_error("model", longtext, 256, "longer than 255");
    expect_set_error("surface", "", 1, "expected a surface name or a formula");
    expect_set_error("surface", "rosenbrok", 1, "unknown surface 'rosenbrok'");
    expect_set_error("surface", "x^2 + (y", 8, "formula: column 8: expected ')'");
    expect_set_error("surface", "  x^2 + (y", 10, "formula: column 8: expected ')'");
    expect_set_error("surface", "x y", 3, "formula: column 3:");
    expect_set_error("domain", "1, 0, 0, 1", 1, "xmin < xmax");
    expect_set_error("domain", "0, 1, 1, 1", 1, "ymin < ymax");
    expect_set_error("domain", "0, 1, 0, x", 10, "'x' is not a finite number");
    expect_set_error("domain", "0, 1, 0", 7, "expected 4 numbers");
    expect_set_error("start", "1, abc", 4, "'abc' is not a finite number");
    expect_set_error(" start", "1", 0, "unknown key");
    expect_set_error("start", "  1, abc", 6, "'abc' is not a finite number");
    expect_set_error("start", "1", 1, "expected 2 numbers");
    expect_set_error("start", "1, 2, 3", 5, "found more");
    expect_set_error("start", "1,,2", 3, "expected 2 numbers");
    expect_set_error("start", "nan, 1", 1, "not a finite number");
    expect_set_error("start", "1e400, 1", 1, "not a finite number");
    expect_set_error("start", "", 1, "expected 2 numbers");
    expect_set_error("opt", "sgd:lr=-1", 8, "lr");
    expect_set_error("lr", "fast", 1, "'fast' is not a finite number");
    expect_set_error("lr", "-0.1", 1, "lr must be >= 0");
    expect_set_error("schedule", "cosine:T=-5", 10, "");
    expect_set_error("schedule", "bogus", 1, "");
    expect_set_error("seed", "-1", 1, "seed must be between 0 and 9223372036854775807");
    expect_set_error("seed", "9223372036854775808", 1, "seed must be a whole number");
    expect_set_error("seed", "1.5", 1, "seed must be a whole number");
    expect_set_error("seed", "99999999999999999999999", 1, "whole number");
    expect_set_error("steps", "-1", 1, "steps must be between 0");
    expect_set_error("steps", "ten", 1, "whole number");
    expect_set_error("steps_per_frame", "0", 1, "steps_per_frame must be between 1");
    expect_set_error("loss", "hinge", 1, "unknown loss 'hinge'");
    expect_set_error("loss", "", 1, "unknown loss");
    expect_set_error("batch", "0", 1, "batch must be at least 1");
    expect_set_error("batch", "-3", 1, "at least 1");
    expect_set_error("batch", "1.5", 1, "whole number or 'full'");
    expect_set_error("batch", "fullx", 1, "whole number or 'full'");
    expect_set_error("split", "1", 1, "[0, 1)");
    expect_set_error("split", "-0.1", 1, "[0, 1)");
    expect_set_error("split", "half", 1, "not a finite number");
    expect_set_error("standardize", "maybe", 1, "expected 0 or 1");
    expect_set_error("view", "4d", 1, "unknown view '4d'");
    expect_set_error("view", "3", 1, "unknown view");   /* no prefix matches */
    expect_set_error("layout", "grid", 1, "unknown layout");
    expect_set_error("overlays", "contours, bogus", 11, "unknown overlay 'bogus'");
    expect_set_error("overlays", "contours,,plot", 10, "unknown overlay");
    expect_set_error("overlays", "none, plot", 1, "unknown overlay");
    expect_set_error("colormap", "jet", 1, "unknown colormap 'jet'");
    expect_set_error("camera", "0, 95, 1", 1, "pitch");
    expect_set_error("camera", "0, 0, 0", 1, "distance must be > 0");
    expect_set_error("camera", "0, 0", 4, "expected 3 numbers");
    /* a value is one line: control characters are refused as in a file */
    expect_set_error("title", "a\nb", 2, "control character");
    expect_set_error("surface", "x\n+ y", 2, "control character");
    expect_set_error("caption", "  a\x01", 4, "control character");
}

static void test_parse_errors_line_column(void **state)
{
    (void)state;
    expect_parse_error("title = ok\nlrate = 0.1\n", 2, 1, "unknown key 'lrate'");
    expect_parse_error("title = ok\n\n   lrate = 0.1\n", 3, 4, "unknown key 'lrate'");
    expect_parse_error("start = 1, abc\n", 1, 12, "'abc' is not a finite number");
    expect_parse_error("# c\nstart=1,abc\n", 2, 9, "'abc'");
    expect_parse_error("  start  =   1 ,  abc  \n", 1, 19, "'abc'");
    expect_parse_error("surface = x^2 + (y\n", 1, 18, "formula: column 8: expected ')'");
    expect_parse_error("surface = rosenbrok\n", 1, 11, "unknown surface 'rosenbrok'");
    expect_parse_error("seed = 12x\n", 1, 8, "seed must be a whole number");
    expect_parse_error("lr = -1\n", 1, 6, "lr must be >= 0");
    expect_parse_error("domain = 0, 1, 0\n", 1, 16, "expected 4 numbers");
    expect_parse_error("overlays = plot, nope\n", 1, 18, "unknown overlay 'nope'");
    expect_parse_error("view = 4d\n", 1, 8, "unknown view");
    expect_parse_error("opt = sgd: lr=-1\n", 1, 15, "lr");
    expect_parse_error("batch = none\n", 1, 9, "batch");
    expect_parse_error("camera = 0, 0\n", 1, 13, "expected 3 numbers");
    /* malformed lines */
    expect_parse_error("title = ok\njust some words\n", 2, 1, "expected 'key = value'");
    expect_parse_error("   words\n", 1, 4, "expected 'key = value'");
    expect_parse_error("= value\n", 1, 1, "missing key before '='");
    expect_parse_error("seed = 1\n    = value\n", 2, 5, "missing key before '='");
    /* control characters: column of the byte */
    expect_parse_error("title = a\x01" "b\n", 1, 10, "control character (0x01)");
    expect_parse_error("seed = 1\ntitle = a\rb\n", 2, 10, "control character (0x0d)");
    expect_parse_error("title = \x1b[31m\n", 1, 9, "control character (0x1b)");
}

static void test_parse_overlong_line(void **state)
{
    (void)state;
    size_t n = SCENE_MAX_LINE + 64;
    char *text = malloc(n + 32);
    assert_non_null(text);
    /* exactly SCENE_MAX_LINE bytes (a comment) is fine, even with CRLF */
    strcpy(text, "seed = 2\n");
    size_t at = strlen(text);
    memset(text + at, '#', SCENE_MAX_LINE);
    strcpy(text + at + SCENE_MAX_LINE, "\r\nseed = 3\n");
    static scene s;
    scene_init(&s);
    parse_ok(&s, text);
    assert_true(s.seed == 3);
    /* one more byte is an error on that line, at the first byte past the limit */
    memset(text + at, '#', SCENE_MAX_LINE + 1);
    strcpy(text + at + SCENE_MAX_LINE + 1, "\nseed = 3\n");
    expect_parse_error(text, 2, SCENE_MAX_LINE + 1, "line longer than 8192 bytes");
    /* a long last line without newline */
    memset(text, 'x', n);
    text[n] = '\0';
    expect_parse_error(text, 1, SCENE_MAX_LINE + 1, "line longer");
    free(text);
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    static scene a, b, c;
    scene_init(&a);
    scene_init(&b);
    scene_init(&c);
    const char *lf = "# c\ntitle = Tea time\nstart = 1, 2\nopt = adam: lr=0.1\nopt = sgd\nview = 2d\n";
    const char *crlf = "# c\r\ntitle = Tea time\r\nstart = 1, 2\r\nopt = adam: lr=0.1\r\n"
                       "opt = sgd\r\nview = 2d\r\n";
    const char *bom = "\xEF\xBB\xBFtitle = Tea time\r\nstart = 1, 2\nopt = adam: lr=0.1\r\n"
                      "opt = sgd\nview = 2d";
    parse_ok(&a, lf);
    parse_ok(&b, crlf);
    parse_ok(&c, bom);
    assert_string_equal(b.title, "Tea time");   /* no '\r' kept */
    assert_int_equal(b.view, SCENE_VIEW_2D);
    expect_scenes_equal(&a, &b);
    expect_scenes_equal(&a, &c);
    /* the BOM is not part of the first line's columns */
    expect_parse_error("\xEF\xBB\xBFnope = 1\r\n", 1, 1, "unknown key 'nope'");
    expect_parse_error("\xEF\xBB\xBF" "start = 1, x\r\n", 1, 12, "'x'");
    expect_parse_error("seed = 1\r\nstart = 1, x\r\n", 2, 12, "'x'");
    /* a BOM anywhere else is not special */
    expect_parse_error("seed = 1\n\xEF\xBB\xBFseed = 2\n", 2, 1, "unknown key");
}

static void test_set_failure_leaves_scene_unchanged(void **state)
{
    (void)state;
    static scene s, before;
    scene_init(&s);
    parse_ok(&s, "title = T\nsurface = x^2+y^2\nstart = 3, 4\ndomain = -5, 5, -5, 5\n"
                 "opt = sgd\nopt = adam: lr=0.2\nseed = 9\noverlays = arrows\ncamera = 1, 2, 3\n");
    memcpy(&before, &s, sizeof s);
    static const char *const bad[][2] = {
        {"start", "1, x"},   {"start", "1"},        {"domain", "1, 0, 0, 1"},
        {"domain", "0,1,0,q"}, {"opt", "adam:beta1=2"}, {"opt", "nope"},
        {"surface", "x +"},  {"surface", "banana"}, {"overlays", "plot, bogus"},
        {"camera", "1, 2, -3"}, {"camera", "1, 100, 3"}, {"schedule", "step:gamma=7"},
        {"batch", "0"},      {"seed", "-5"},        {"lr", "nan"},
        {"title", "a\tb\x02"}, {"unknown", "1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        diag err = {0};
        if (scene_set(&s, bad[i][0], bad[i][1], &err))
            fail_msg("scene_set(%s, %s) succeeded", bad[i][0], bad[i][1]);
        assert_true(err.msg[0] != '\0');
        assert_memory_equal(&s, &before, sizeof s);
    }
    /* a NULL diag is allowed */
    assert_false(scene_set(&s, "seed", "x", NULL));
    assert_memory_equal(&s, &before, sizeof s);
}

/* ==== Round trip ============================================================= */

/* compare: validated pairs, the second scene built from them, errors with columns */
static void test_compare_key(void **state)
{
    (void)state;
    static scene s, t;
    scene_init(&s);
    set_ok(&s, "data", "moons:n=64");
    set_ok(&s, "batch", "8");
    assert_true(scene_compare_scene(&s, &t, &(diag){ 0 }));   /* empty: a copy */
    assert_string_equal(t.data, s.data);
    set_ok(&s, "compare", "loss=mse; batch = full ; standardize=1");
    assert_string_equal(s.compare, "loss=mse; batch = full ; standardize=1");
    diag err = { 0 };
    assert_true(scene_compare_scene(&s, &t, &err));
    assert_int_equal(t.loss, SCENE_LOSS_MSE);
    assert_int_equal(t.batch, 0);
    assert_int_equal(t.standardize, 1);
    assert_string_equal(t.compare, "");
    assert_int_equal(s.loss, SCENE_LOSS_DEFAULT);   /* the first scene keeps its values */
    assert_int_equal(s.batch, 8);
    set_ok(&s, "compare", "surface=beale;");
    assert_true(scene_compare_scene(&s, &t, &err));
    assert_string_equal(t.surface, "beale");
    /* errors: the scene is unchanged, the column points at the pair */
    static const struct { const char *v; int col; } bad[] = {
        { "loss=mse; nonsense", 11 }, { "loss=huber", 1 }, { "opt=sgd", 1 },
        { "batch=4; compare=loss=mse", 10 }, { "=3", 1 }, { "layout=panels", 1 },
        { "loss=mse; compare_label=x", 11 }, { "panel_label_zh=y", 1 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = (diag){ 0 };
        assert_false(scene_set(&s, "compare", bad[i].v, &err));
        assert_int_equal(err.column, bad[i].col);
        assert_string_equal(s.compare, "surface=beale;");
    }
    s.compare[0] = 0;
    expect_round_trip(&s);
    set_ok(&s, "compare", "loss=mse");
    expect_round_trip(&s);
}

static void test_format_parse_round_trip(void **state)
{
    (void)state;
    static scene s;

    /* the default scene */
    scene_init(&s);
    expect_round_trip(&s);

    /* everything set, awkward values */
    scene_init(&s);
    parse_ok(&s,
             "title = Ravine # with = signs and 'quotes'\n"
             "description = \"σ\" glyphs\tand tabs\n"
             "caption = η/σ per parameter\n"
             "caption_zh = 每个参数的 η/σ\n"
             "title_zh = 峡谷\n"
             "panel_label = moving averages (p = 0.9)\n"
             "panel_label_zh = 移动平均（p = 0.9）\n"
             "compare_label = last batch's statistics # (p = 0)\n"
             "compare_label_zh = 最后一个小批量的统计量\n"
             "sharpness = 25\n"
             "lesson = 7\n"
             "surface = 0.5*x^2 + 50*y^2 - x*y + sin(3*x)\n"
             "domain = -0.1, 0.30000000000000004, -1e-300, 1e300\n"
             "start = 0.1, -2.2250738585072014e-308\n"
             "opt = sgd: lr=0.1, weight_decay=0.01\n"
             "opt = momentum: lr=0.003, momentum=0.95, nesterov=1\n"
             "opt = momentum: momentum=0, dampening=0.5\n"
             "opt = adagrad: variant=lecture, lr=0.3, lr_decay=0.01\n"
             "opt = rmsprop: alpha=0, centered=1, momentum=0.2, eps=0\n"
             "opt = adam: beta1=0, bias_correction=0, eps=1e-6, beta2=0.9\n"
             "opt = adagrad: initial_accumulator_value=0.1\n"
             "opt = sgd: lr=0.02, batch=1, label=B=1, schedule=cosine:T=50,min=0.1,warmup=3\n"
             "lr = 0.123456789\n"
             "event = 120: schedule 2 = cosine:T=100,warmup=5\n"
             "event = 50: lr 1 = 0.05\n"
             "event = 100: pause\n"
             "event = 100: batch * = full\n"
             "event = 100: caption = later: η/σ\n"
             "event = 150: probe = 0.5, -1e-3\n"
             "event = 150: view = split\n"
             "event = 0: caption_zh = 中文\n"
             "schedule = onecycle: T=700, pct=0.25, div=10, final_div=100, warmup=5\n"
             "seed = 9223372036854775807\n"
             "steps = 1000000000\n"
             "steps_per_frame = 17\n"
             "data = data/my file.csv\n"
             "model = mlp:hidden=16,act=tanh\n"
             "loss = mse\n"
             "batch = 7\n"
             "split = 0.3333333333333333\n"
             "standardize = on\n"
             "view = split\n"
             "layout = compare\n"
             "overlays = log, data, arrows\n"
             "colormap = plasma\n"
             "theme = light\n"
             "camera = -123.456, 89.9, 0.001\n"
             "compare = loss=ce; model = mlp: hidden=4x4, act=relu ;standardize=0\n");
    assert_int_equal(s.n_opts, SCENE_MAX_RUNS);
    expect_round_trip(&s);

    /* sparse: empty title, no overlays, full batch, each schedule kind */
    static const char *const schedules[] = {"constant", "step:every=7,gamma=0.3", "exp:gamma=0.97",
                                            "invsqrt", "cosine:T=50,min=0.1,warmup=3",
                                            "onecycle"};
    for (size_t i = 0; i < sizeof schedules / sizeof schedules[0]; i++) {
        scene_init(&s);
        set_ok(&s, "title", "");
        set_ok(&s, "overlays", "none");
        set_ok(&s, "batch", "full");
        set_ok(&s, "schedule", schedules[i]);
        set_ok(&s, "view", "2d");
        scene_clear_opts(&s);
        set_ok(&s, "opt", "rmsprop:lr=0.5");
        expect_round_trip(&s);
    }

    /* random numbers need all 17 digits */
    uint64_t x = 0x12345678u;
    for (int k = 0; k < 50; k++) {
        scene_init(&s);
        double v[4];
        for (int j = 0; j < 4; j++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            v[j] = ((double)(x >> 11) / 9007199254740992.0 - 0.5) * pow(10, (int)(x % 13) - 6);
        }
        s.has_start = 1;
        s.start[0] = v[0];
        s.start[1] = v[1];
        s.lr = fabs(v[2]) + 1e-9;
        s.has_lr = 1;
        s.split = fabs(v[3]) / (1 + fabs(v[3]));
        s.camera[0] = v[0] * 3;
        s.opts[0].lr = fabs(v[1]) + 1e-12;
        s.seed = x >> 2;
        expect_round_trip(&s);
    }
}

/* Issue 9 #16: Ctrl+S wrote float noise (lr=0.0050000000000000001); every number is
 * the shortest text that reads back exactly. */
static void test_format_shortest_numbers(void **state)
{
    (void)state;
    static scene s;
    scene_init(&s);
    parse_ok(&s, "opt = sgd: lr=0.005\nopt = adam: lr=0.1, beta2=0.9\nstart = 0.1, -2.2\n"
                 "domain = -0.3, 0.7, -1e-05, 3\nschedule = step: gamma=0.3\ncamera = 30.5, 0.1, 1.3\n");
    char *text = scene_format(&s);
    assert_non_null(text);
    assert_non_null(strstr(text, "opt = sgd:lr=0.005\n"));
    assert_non_null(strstr(text, "opt = adam:lr=0.1,beta2=0.9\n"));
    assert_non_null(strstr(text, "start = 0.1, -2.2\n"));
    assert_non_null(strstr(text, "domain = -0.3, 0.7, -1e-05, 3\n"));
    assert_non_null(strstr(text, "gamma=0.3"));
    assert_non_null(strstr(text, "camera = 30.5, 0.1, 1.3\n"));
    assert_null(strstr(text, "00000000"));
    free(text);
    /* a rate the keys scaled (0.005 × 1.25³) keeps every digit it needs */
    s.opts[0].lr = 0.005 * 1.25 * 1.25 * 1.25;
    expect_round_trip(&s);
    char buf[TEXT_G_MAX];
    assert_string_equal(text_g(buf, 0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(text_g(buf, 1e300), "1e+300");
    assert_string_equal(text_g(buf, -0.0), "-0");
    /* the plain form where it is at most one character longer */
    assert_string_equal(text_g(buf, -60), "-60");
    assert_string_equal(text_g(buf, 100000), "100000");
    assert_string_equal(text_g(buf, 1e6), "1e+06");
    assert_string_equal(text_g(buf, 2.5e-7), "2.5e-07");
    /* Ctrl+S saved the camera's floats as 1.6000001430511475 (or 1.6000001 after
     * float arithmetic on 1.6): the decimal the setting was */
    volatile float dg = 2.8284271f, d = 1.6f * dg;
    assert_string_equal(text_g(buf, text_float_decimal(d / dg)), "1.6");
    assert_string_equal(text_g(buf, text_float_decimal(1.6f)), "1.6");
    assert_string_equal(text_g(buf, text_float_decimal(-50.0f)), "-50");
    assert_string_equal(text_g(buf, text_float_decimal(1.4545454f)), "1.4545454");
    assert_true(text_float_decimal(0.0f) == 0);
}

/* A file with a surface and no title showed "Rosenbrock" (the default) over a
 * saddle; it is titled by its problem, and a title it gives is kept. */
static void test_title_from_problem(void **state)
{
    (void)state;
    static scene s;
    scene_init(&s);
    parse_ok(&s, "surface = saddle\n");
    assert_string_equal(s.title, "Saddle");
    scene_init(&s);
    parse_ok(&s, "surface = x^2 + 3*y^2\n");
    assert_string_equal(s.title, "f(x, y) = x^2 + 3*y^2");
    scene_init(&s);
    parse_ok(&s, "title = Mine\nsurface = saddle\n");
    assert_string_equal(s.title, "Mine");
    scene_init(&s);
    parse_ok(&s, "surface = saddle\ntitle = Mine too\n");
    assert_string_equal(s.title, "Mine too");
    scene_init(&s);
    parse_ok(&s, "steps = 10\n");   /* no problem named: the defaults' title */
    assert_string_equal(s.title, "Rosenbrock");
}

/* ==== Files ================================================================== */

static void test_save_load(void **state)
{
    (void)state;
    static scene s, back;
    scene_init(&s);
    parse_ok(&s, "title = Saved\nsurface = himmelblau\nstart = -4, 4.5\nopt = adam: lr=0.05\n"
                 "opt = momentum\nschedule = step: every=50\nbatch = 4\noverlays = critical, probe\n");
    char path[512];
    snprintf(path, sizeof path, "%s/lesson.one.scene", tmpdir);
    diag err = {0};
    if (!scene_save(&s, path, &err))
        fail_msg("scene_save: %s", err.msg);
    scene_init(&back);
    if (!scene_load(&back, path, &err))
        fail_msg("scene_load: %d:%d: %s", err.line, err.column, err.msg);
    expect_scenes_equal(&s, &back);
    assert_string_equal(back.name, "lesson.one");   /* the stem: last extension only */
    assert_int_equal(count_dir_entries(tmpdir), 1);   /* no temporary left */

    /* saving over an existing file replaces it */
    set_ok(&s, "title", "Saved again");
    assert_true(scene_save(&s, path, &err));
    scene_init(&back);
    assert_true(scene_load(&back, path, &err));
    assert_string_equal(back.title, "Saved again");
    assert_int_equal(count_dir_entries(tmpdir), 1);

    /* a name without a folder or an extension */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmpdir), 0);
    assert_true(scene_save(&s, "plain", &err));
    scene_init(&back);
    assert_true(scene_load(&back, "plain", &err));
    assert_string_equal(back.name, "plain");
    assert_int_equal(unlink("plain"), 0);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(unlink(path), 0);

    /* a long file name: the stem is cut to the size of name, the extension is
     * still the last one (not an earlier dot) */
    char base[128] = "lesson.";
    memset(base + 7, 'x', 80);
    base[87] = '\0';
    snprintf(path, sizeof path, "%s/%s.scene", tmpdir, base);
    assert_true(scene_save(&s, path, &err));
    scene_init(&back);
    assert_true(scene_load(&back, path, &err));
    assert_int_equal(strlen(back.name), sizeof back.name - 1);
    assert_memory_equal(back.name, base, sizeof back.name - 1);
    assert_int_equal(unlink(path), 0);
    /* a dot file keeps its name */
    snprintf(path, sizeof path, "%s/.hidden", tmpdir);
    assert_true(scene_save(&s, path, &err));
    assert_true(scene_load(&back, path, &err));
    assert_string_equal(back.name, ".hidden");
    assert_int_equal(unlink(path), 0);
    assert_int_equal(count_dir_entries(tmpdir), 0);
}

static void test_save_failure_leaves_nothing(void **state)
{
    (void)state;
    static scene s;
    scene_init(&s);
    /* the target is a folder: the rename fails, the folder stays, no temporary */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/adir", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    diag err = {0};
    assert_false(scene_save(&s, dir, &err));
    assert_true(err.msg[0] != '\0');
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(count_dir_entries(tmpdir), 1);
    assert_int_equal(rmdir(dir), 0);
}

static void test_save_into_missing_folder(void **state)
{
    (void)state;
    static scene s;
    scene_init(&s);
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/missing", tmpdir);
    snprintf(path, sizeof path, "%s/out.scene", dir);
    diag err = {0};
    assert_false(scene_save(&s, path, &err));
    assert_true(err.msg[0] != '\0');
    expect_msg(&err, "out.scene");
    expect_msg(&err, "the folder does not exist");
    struct stat st;
    assert_int_equal(stat(dir, &st), -1);
    assert_int_equal(count_dir_entries(tmpdir), 0);
}

static void test_load_errors(void **state)
{
    (void)state;
    static scene s, before;
    char path[512];
    diag err;

    /* missing file */
    scene_init(&s);
    memcpy(&before, &s, sizeof s);
    snprintf(path, sizeof path, "%s/nope.scene", tmpdir);
    memset(&err, 0, sizeof err);
    assert_false(scene_load(&s, path, &err));
    assert_int_equal(err.line, 0);
    expect_msg(&err, "cannot open: No such file or directory");
    assert_memory_equal(&s, &before, sizeof s);

    /* empty file */
    snprintf(path, sizeof path, "%s/empty.scene", tmpdir);
    write_file(path, "", 0);
    memset(&err, 0, sizeof err);
    assert_false(scene_load(&s, path, &err));
    expect_msg(&err, "empty");
    assert_memory_equal(&s, &before, sizeof s);
    unlink(path);

    /* binary file: NUL bytes, reported at their line and column */
    snprintf(path, sizeof path, "%s/binary.scene", tmpdir);
    const char bin[] = "seed = 1\nti\0\x01\x02\xff\xfe";
    write_file(path, bin, sizeof bin - 1);
    memset(&err, 0, sizeof err);
    assert_false(scene_load(&s, path, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    expect_msg(&err, "NUL byte");
    assert_memory_equal(&s, &before, sizeof s);
    unlink(path);

    /* binary without NUL (gzip's magic): the first control character */
    unsigned char png[] = {0x1f, 0x8b, 0x08, 0x08, 0x9f, 0x8d, '\n', 0x01, 0x02};
    write_file(path, png, sizeof png);
    memset(&err, 0, sizeof err);
    assert_false(scene_load(&s, path, &err));
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    expect_msg(&err, "control character (0x1f)");
    unlink(path);

    /* a folder is not a file */
    memset(&err, 0, sizeof err);
    assert_false(scene_load(&s, tmpdir, &err));
    assert_int_equal(err.line, 0);
    assert_true(err.msg[0] != '\0');

    /* a parse error in a file names line and column, and the name is not taken */
    snprintf(path, sizeof path, "%s/bad.scene", tmpdir);
    const char *text = "title = Bad\r\n\r\nstart = 1, abc\r\n";
    write_file(path, text, strlen(text));
    scene_init(&s);
    memset(&err, 0, sizeof err);
    assert_false(scene_load(&s, path, &err));
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 12);
    assert_string_equal(s.name, "default");
    unlink(path);

    /* too large */
    snprintf(path, sizeof path, "%s/big.scene", tmpdir);
    size_t n = SCENE_MAX_FILE_BYTES + 1;
    char *big = malloc(n);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (i % 64 == 63) ? '\n' : '#';
    write_file(path, big, n);
    free(big);
    memset(&err, 0, sizeof err);
    assert_false(scene_load(&s, path, &err));
    expect_msg(&err, "larger than");
    unlink(path);
    assert_int_equal(count_dir_entries(tmpdir), 0);
}

static int remove_tmpdir(void **state)
{
    (void)state;
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_defaults),
        cmocka_unit_test(test_key_table),
        cmocka_unit_test(test_every_key_from_text),
        cmocka_unit_test(test_comments_blank_lines_and_repeats),
        cmocka_unit_test(test_opt_lines_replace_runs),
        cmocka_unit_test(test_set_errors_per_key),
        cmocka_unit_test(test_parse_errors_line_column),
        cmocka_unit_test(test_parse_overlong_line),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_set_failure_leaves_scene_unchanged),
        cmocka_unit_test(test_format_parse_round_trip),
        cmocka_unit_test(test_format_shortest_numbers),
        cmocka_unit_test(test_title_from_problem),
        cmocka_unit_test(test_compare_key),
        cmocka_unit_test(test_save_load),
        cmocka_unit_test(test_save_into_missing_folder),
        cmocka_unit_test(test_save_failure_leaves_nothing),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
