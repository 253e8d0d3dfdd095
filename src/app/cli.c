/*
 * cli.c — parsing the command line into app_options. See cli.h.
 *
 * One table lists every option: its name, whether it takes a value, and either
 * the scene key it sets or a handler for the options that are not scene settings.
 * --help is generated from the same table, so it cannot drift from the parser.
 */
#include "app/cli.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/embedded.h"
#include "core/textparse.h"
#include "record/figure.h"
#include "render/i18n.h"
#include "record/recorder.h"

extern const embedded_file scene_files[];

/* ==== Built-in scenes ===================================================== */

/* The built-in scenes in display order: the lessons by their `lesson` number, then
 * the others as embedded (by name). Computed once. */
static int n_scenes = -1;
static int order[256];
static int lesson_of[256];

static void sort_scenes(void)
{
    if (n_scenes >= 0)
        return;
    int n = 0;
    while (scene_files[n].name && n < 256)
        n++;
    scene *s = malloc(sizeof *s);
    for (int i = 0; i < n; i++) {
        order[i] = i;
        lesson_of[i] = 0;
        if (s) {
            scene_init(s);
            if (scene_parse(s, scene_files[i].text, NULL))
                lesson_of[i] = s->lesson;
        }
    }
    free(s);
    /* insertion sort: (not a lesson, lesson number, embedded order) */
    for (int i = 1; i < n; i++) {
        int v = order[i], j = i;
        while (j > 0) {
            int u = order[j - 1];
            int ku = lesson_of[u] ? lesson_of[u] : 1000, kv = lesson_of[v] ? lesson_of[v] : 1000;
            if (ku < kv || (ku == kv && u < v))
                break;
            order[j] = u;
            j--;
        }
        order[j] = v;
    }
    n_scenes = n;
}

int cli_builtin_scene_count(void)
{
    sort_scenes();
    return n_scenes;
}

const char *cli_builtin_scene_name(int i)
{
    sort_scenes();
    return (i >= 0 && i < n_scenes) ? scene_files[order[i]].name : NULL;
}

int cli_builtin_scene_lesson(int i)
{
    sort_scenes();
    return (i >= 0 && i < n_scenes) ? lesson_of[order[i]] : 0;
}

/* Built-in scene names are matched without regard to case ("Saddle" is saddle). */
static int builtin_index(const char *name)
{
    for (int i = 0; scene_files[i].name; i++)
        if (strcasecmp(scene_files[i].name, name) == 0)
            return i;
    return -1;
}

static int lesson_scene_name(const char *name)
{
    for (int i = 0; i < cli_builtin_scene_count(); i++)
        if (strcasecmp(cli_builtin_scene_name(i), name) == 0)
            return cli_builtin_scene_lesson(i) > 0;
    return 0;
}

const char *cli_builtin_scene(const char *name)
{
    int i = builtin_index(name);
    return i >= 0 ? scene_files[i].text : NULL;
}

void cli_list_scenes(FILE *f)
{
    /* The lessons first, in lecture order (their `lesson` key), under a heading;
     * then the other scenes. */
    scene *s = malloc(sizeof *s);
    if (!s)
        return;
    int n = cli_builtin_scene_count();
    for (int i = 0; i < n; i++) {
        int lesson = cli_builtin_scene_lesson(i);
        if (i == 0 && lesson > 0)
            fprintf(f, "Lessons, in lecture order (losscape --lesson [NAME]):\n");
        if (lesson == 0 && (i == 0 || cli_builtin_scene_lesson(i - 1) > 0))
            fprintf(f, "Scenes:\n");
        const char *name = cli_builtin_scene_name(i);
        scene_init(s);
        diag err = { 0 };
        if (scene_parse(s, cli_builtin_scene(name), &err))
            fprintf(f, "  %-28s %s\n", name, s->description);
        else   /* a broken built-in is a bug; the scene test catches it */
            fprintf(f, "  %-28s (broken: line %d: %s)\n", name, err.line, err.msg);
    }
    free(s);
}

void cli_list_surfaces(FILE *f)
{
    for (int k = SURFACE_ROSENBROCK; k < SURFACE_FORMULA; k++) {
        const surface_info *in = surface_info_get((surface_kind)k);
        fprintf(f, "%-16s [%g, %g] x [%g, %g]  %s\n", in->name, in->domain.xmin, in->domain.xmax,
                in->domain.ymin, in->domain.ymax, in->summary);
    }
    fprintf(f, "%-16s any formula in x and y, e.g. --surface \"x^2 + 3*sin(y)\"\n", "(formula)");
}

/* ==== The option table ===================================================== */

typedef enum opt_id {
    O_SCENE_KEY,      /* sets a scene key: entry.key */
    O_SPEED,          /* --speed (its own line: other options are added below) */
    O_COMPUTE,        /* --compute-landscape (app/mpi_grid.c) */
    O_PRESENT,        /* --present */
    O_SCENE, O_HEADLESS, O_STEPS, O_CSV, O_BATCHES_LOG, O_CRITICAL, O_RECORD, O_FRAMES,
    O_FPS, O_SIZE, O_SCREENSHOT, O_BENCH, O_BENCH_ORBIT, O_BENCH_SURFACE, O_LIST_SCENES, O_LIST_SURFACES,
    O_HELP, O_VERSION, O_TITLE, O_KEYS, O_FIGURE, O_FIGURE_SIZE, O_QUALITY, O_SHARPNESS, O_PROBE,
    O_PARAMS_OUT, O_LANG, O_LESSON, O_EXPORT, O_GRID, O_TRAJECTORY,
    O_INTERP, O_INTERP_RANGE, O_INTERP_CSV
} opt_id;

static const struct option_entry {
    const char *name;     /* without the leading "--" */
    const char *arg;      /* placeholder of its value; NULL = a flag */
    opt_id id;
    const char *key;      /* O_SCENE_KEY: the scene key it sets */
    const char *help;
} options[] = {
    { "scene", "NAME|FILE", O_SCENE, NULL, N_("start from a built-in scene (--list-scenes) or a scene file") },
    { "surface", "NAME|FORMULA", O_SCENE_KEY, "surface", N_("built-in surface (--list-surfaces) or a formula in x, y") },
    { "landscape", "FILE.h5", O_SCENE_KEY, "landscape", N_("open a loss-landscape (Li et al. 2018) HDF5 surface: a smooth bicubic\n"
      "                          interpolant of its grid (1-D files: a curve over x)") },
    { "trajectory", "FILE.h5", O_TRAJECTORY, NULL, N_("draw a recorded run beside the live ones: loss-landscape's projected\n"
      "                          trajectory (proj_xcoord, proj_ycoord from plot_trajectory.py) in the\n"
      "                          view's coordinates (window, --screenshot, --record)") },
    { "landscape-key", "NAME", O_SCENE_KEY, "landscape_key", N_("the dataset of --landscape: train_loss (default), test_loss, train_acc...") },
    { "start", "X,Y", O_SCENE_KEY, "start", N_("start point of every run") },
    { "domain", "X0,X1,Y0,Y1|auto", O_SCENE_KEY, "domain", N_("plotting domain; auto: framed to hold every run's path, with a\n"
      "                          margin, following the runs (window, screenshots, recordings)") },
    { "opt", "NAME[:k=v,...]", O_SCENE_KEY, "opt", N_("an optimizer run (repeat for several): sgd momentum adagrad rmsprop adam;\n"
      "                          keys (torch's names and defaults) lr momentum dampening nesterov\n"
      "                          alpha centered beta1 beta2 amsgrad eps weight_decay lr_decay\n"
      "                          initial_accumulator_value maximize; losscape's own: bias_correction=0,\n"
      "                          variant=lecture; lr=0 freezes a run;\n"
      "                          the run's own batch=N|full, schedule=SPEC, label=TEXT") },
    { "lr", "V", O_SCENE_KEY, "lr", N_("learning rate of every run (0 freezes them, as torch's lr=0)") },
    { "batch", "N|full", O_SCENE_KEY, "batch", N_("mini-batch size (data problems)") },
    { "schedule", "SPEC", O_SCENE_KEY, "schedule", N_("rate schedule (torch's defaults): constant, step:every=N,gamma=0.1,\n"
      "                          exp:gamma=G, invsqrt, cosine:T=N,min=F,after=periodic|hold (periodic\n"
      "                          past T as torch), onecycle:T=N,pct=0.3,div=25,final_div=1e4,\n"
      "                          anneal=cos|linear,cycle_momentum=1,base_momentum=0.85,max_momentum=0.95;\n"
      "                          any with warmup=W (README: Where losscape differs from PyTorch)") },
    { "seed", "N", O_SCENE_KEY, "seed", N_("random seed") },
    { "data", "FILE.csv|NAME", O_SCENE_KEY, "data", N_("data set (data problems)") },
    { "model", "SPEC", O_SCENE_KEY, "model", N_("model (data problems)") },
    { "loss", "mse|ce", O_SCENE_KEY, "loss", N_("loss (data problems)") },
    { "split", "F", O_SCENE_KEY, "split", N_("held-out fraction of the data") },
    { "standardize", NULL, O_SCENE_KEY, "standardize", N_("standardize features") },
    { "own-batches", NULL, O_SCENE_KEY, "own_batches", N_("each run draws its own mini-batches (default: one shared sequence)") },
    { "plane", "random|pca|params:I,J", O_SCENE_KEY, "plane", N_("view plane of a model with more than two parameters") },
    { "steps-per-frame", "N", O_SCENE_KEY, "steps_per_frame", N_("optimizer steps per drawn frame") },
    { "caption", "TEXT", O_SCENE_KEY, "caption", N_("caption for screenshots and recordings") },
    { "lang", "zh|en", O_LANG, NULL, N_("language of captions, the window's words, --help and --keys (default: from the\n"
      "                          locale, LANG=zh_CN... gives zh)") },
    { "lesson", "[NAME]", O_LESSON, NULL, N_("lesson mode: the lessons in lecture order, from NAME (default the first)") },
    { "view", "2d|3d|split", O_SCENE_KEY, "view", N_("view") },
    { "layout", "overlay|panels|compare", O_SCENE_KEY, "layout", N_("layout of the runs") },
    { "compare", "K=V;...", O_SCENE_KEY, "compare", N_("the compare layout's second problem as scene overrides, e.g. loss=mse") },
    { "theme", "dark|light", O_SCENE_KEY, "theme", N_("colours: dark (the default) or light, dark text on near-white with the\n"
      "                          colour map's dark end lifted, for a washed-out projector (I in the window);\n"
      "                          --figure: a white page unless dark is given") },
    { "present", NULL, O_PRESENT, NULL, N_("presentation mode: larger type, thicker trails and markers, the colour map's\n"
      "                          dark end lifted, the scene's description as its caption (F2 in the window)") },
    { "speed", "S", O_SPEED, NULL, N_("window: optimizer steps per second, 0.25 to 1e6 (default: 60 x steps-per-frame);\n"
      "                          below one step per frame the runs move smoothly between steps") },
    { "headless", NULL, O_HEADLESS, NULL, N_("run without a window (with --steps, --csv)") },
    { "steps", "N", O_STEPS, NULL, N_("optimizer steps to run (headless, screenshot); the window pauses there") },
    { "csv", "FILE", O_CSV, NULL, N_("write trajectories: optimizer,step,epoch,x,y,loss,lr,batch,run,problem,grad_norm\n"
      "                          [,train_mode_loss][,sharpness] ('-' = stdout)") },
    { "sharpness", "N", O_SHARPNESS, NULL, N_("top Hessian eigenvalue every N steps: a CSV column with --headless, else a plot") },
    { "batches-log", "FILE", O_BATCHES_LOG, NULL, N_("write each mini-batch: epoch,step,indices") },
    { "params-in", "FILE", O_SCENE_KEY, "params", N_("start from a PyTorch state dict (FILE.safetensors, F64/F32; names as\n"
      "                          torch's nn.Sequential of the same model: 0.weight, 0.bias, 1.running_mean...)") },
    { "export-surface", "FILE", O_EXPORT, NULL, N_("write the loss over the view's domain and exit: FILE.h5 (loss-landscape's\n"
      "                          layout: xcoordinates, ycoordinates, train_loss) or FILE.vtp (ParaView)") },
    { "grid", "N", O_GRID, NULL, N_("grid points per side of --export-surface (default 51)") },
    { "compute-landscape", NULL, O_COMPUTE, NULL, N_("compute the --export-surface grid in bands of rows, one per MPI rank\n"
      "                          (mpirun -np N losscape --compute-landscape ...), OpenMP in each;\n"
      "                          rank 0 writes the file; without mpirun: one process") },
    { "params-out", "FILE", O_PARAMS_OUT, NULL, N_("write each run's parameters as a PyTorch state dict (FILE.safetensors,\n"
      "                          F64; data problems) after --headless/--screenshot/--record, or when the\n"
      "                          window closes; several runs: FILE-1.safetensors... or a %d in FILE") },
    { "interpolate", "A,B|run[:K]", O_INTERP, NULL, N_("the loss along (1-t)*A + t*B (Goodfellow et al. 2015), data problems:\n"
      "                          A,B two state dicts (FILE.safetensors, names without commas), or\n"
      "                          run[:K] run K's start and end (default 1) after --steps N; the\n"
      "                          curve in the window, --screenshot, --record; --headless: CSV only") },
    { "interpolate-range", "T0,T1[,N]", O_INTERP_RANGE, NULL, N_("t from T0 to T1 in N points, ends included (default -0.5,1.5,81)") },
    { "interpolate-csv", "FILE", O_INTERP_CSV, NULL, N_("write the --interpolate points: t,train_loss[,train_acc][,test_loss\n"
      "                          [,test_acc]] ('-' = stdout)") },
    { "critical-points", NULL, O_CRITICAL, NULL, N_("print the surface's critical points and exit") },
    { "probe", "X,Y", O_PROBE, NULL, N_("print loss, gradient, Hessian, eigenvalues, type at a point and exit") },
    { "record", "FILE", O_RECORD, NULL, N_("record .mp4 .webm .gif or pattern%04d.png") },
    { "frames", "N", O_FRAMES, NULL, N_("frames to record") },
    { "fps", "N", O_FPS, NULL, N_("frames per second of a recording (default 30)") },
    { "size", "WxH", O_SIZE, NULL, N_("size of screenshots, recordings, benchmarks (default 1280x720)") },
    { "title", "TEXT", O_TITLE, NULL, N_("title for screenshots and recordings") },
    { "screenshot", "FILE.png", O_SCREENSHOT, NULL, N_("render after --steps N without a window, save a PNG") },
    { "quality", "draft|standard|high", O_QUALITY, NULL, N_("encoder settings of --record and F9 (default standard: SSIM >= 0.99)") },
    { "figure", "FILE.svg|.pdf", O_FIGURE, NULL, N_("after --steps N, write the 2-D view as a vector figure (cairo)") },
    { "figure-size", "SIZE", O_FIGURE_SIZE, NULL, N_("figure size: single (3.5in wide, the default), double (7in),\n"
      "                          a width (3.5in, 252pt, 8.9cm) or WxH (7x4in); height from the map if omitted") },
    { "bench", "N", O_BENCH, NULL, N_("render N frames offscreen and print frame times") },
    { "bench-orbit", "DEG", O_BENCH_ORBIT, NULL, N_("with --bench: orbit the 3-D camera by DEG degrees each frame") },
    { "bench-surface", NULL, O_BENCH_SURFACE, NULL, N_("benchmark loss-surface evaluation") },
    { "list-scenes", NULL, O_LIST_SCENES, NULL, N_("list the built-in scenes") },
    { "list-surfaces", NULL, O_LIST_SURFACES, NULL, N_("list the built-in surfaces") },
    { "keys", NULL, O_KEYS, NULL, N_("list the window's keys") },
    { "help", NULL, O_HELP, NULL, N_("this help") },
    { "version", NULL, O_VERSION, NULL, N_("print the version") },
};
#define N_OPTIONS ((int)(sizeof options / sizeof options[0]))

void cli_print_help(FILE *f)
{
    /* in the language of --lang (main.c chose the catalogue before this) */
    fprintf(f, "%s\n\n%s\n\n", _("usage: losscape [options]"),
            _("An interactive loss-surface visualizer: error surfaces as 3-D meshes and contour\n"
              "maps, with SGD, momentum, AdaGrad, RMSProp and Adam racing on them."));
    for (int i = 0; i < N_OPTIONS; i++) {
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        if (strlen(left) < 24)
            fprintf(f, "  %-24s%s\n", left, _(options[i].help));
        else   /* too long to share a line with its help */
            fprintf(f, "  %s\n  %-24s%s\n", left, "", _(options[i].help));
    }
    fprintf(f, "\n%s\n", _("Exit status: 0 success, 2 bad input, 1 run-time failure."));
}

static const struct option_entry *find_option(const char *name, size_t len)
{
    for (int i = 0; i < N_OPTIONS; i++)
        if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
            return &options[i];
    return NULL;
}

/* ==== Errors ================================================================ */

static cli_action bad(const char *opt, const char *fmt, const char *a)
{
    fprintf(stderr, "losscape: --%s: ", opt);
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
    return CLI_ERROR;
}

/* Print a scene_set failure for an option: "losscape: --opt: column 6: ...". A
 * message that already names its column (formulas) is printed as it is. */
static cli_action bad_value(const char *opt, const diag *err)
{
    if (err->column > 0 && !strstr(err->msg, "column "))
        fprintf(stderr, "losscape: --%s: column %d: %s\n", opt, err->column, err->msg);
    else
        fprintf(stderr, "losscape: --%s: %s\n", opt, err->msg);
    return CLI_ERROR;
}

static int parse_count(const char *v, long lo, long hi, long *out)
{
    return text_long(v, strlen(v), out) && *out >= lo && *out <= hi;
}

/* --interpolate A,B|run[:K] */
static cli_action parse_interp(app_options *o, const char *v)
{
    o->interp = 1;
    long k = 1;
    if (strcmp(v, "run") == 0 || strncmp(v, "run:", 4) == 0) {
        if (v[3] == ':' && !parse_count(v + 4, 1, TRAINER_MAX_RUNS, &k))
            return bad("interpolate", "run:K: K is a run number from 1 to 8, not '%s'", v + 4);
        o->interp_run = (int)k - 1;
        return CLI_RUN;
    }
    const char *comma = strchr(v, ',');
    if (!comma || comma == v || !comma[1] || strchr(comma + 1, ','))
        return bad("interpolate", "expected A.safetensors,B.safetensors or run[:K], not '%s'", v);
    static char from[4096];
    snprintf(from, sizeof from, "%.*s", (int)(comma - v), v);
    o->interp_from = from;
    o->interp_to = comma + 1;
    return CLI_RUN;
}

/* --interpolate-range T0,T1[,N] */
static cli_action parse_interp_range(app_options *o, const char *v)
{
    const char *c1 = strchr(v, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    long n = 81;
    if (!c1 || !text_number(v, (size_t)(c1 - v), &o->interp_t0) ||
        !text_number(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1), &o->interp_t1) ||
        (c2 && !parse_count(c2 + 1, 2, 100000, &n)))
        return bad("interpolate-range", "expected T0,T1[,N] (finite numbers, N from 2 to 100000), not '%s'", v);
    if (!(o->interp_t0 < o->interp_t1) || fabs(o->interp_t0) > 1e6 || fabs(o->interp_t1) > 1e6)
        return bad("interpolate-range", "T0 must be below T1, both within +-1e6, not '%s'", v);
    o->interp_n = (int)n;
    return CLI_RUN;
}

/* ==== Parsing ================================================================ */

static int load_scene_arg(scene *s, const char *arg)
{
    struct stat st;
    int is_file = strchr(arg, '/') || strstr(arg, ".scene") || stat(arg, &st) == 0;
    diag err = { 0 };
    if (!is_file) {
        const char *text = cli_builtin_scene(arg);
        if (!text) {
            fprintf(stderr, "losscape: --scene: unknown scene '%s' (see --list-scenes)\n", arg);
            return 0;
        }
        if (!scene_parse(s, text, &err)) {
            fprintf(stderr, "losscape: built-in scene %s:%d:%d: %s\n", arg, err.line, err.column,
                    err.msg);
            return 0;
        }
        snprintf(s->name, sizeof s->name, "%s", scene_files[builtin_index(arg)].name);
        return 1;
    }
    if (!scene_load(s, arg, &err)) {
        if (err.line > 0)
            fprintf(stderr, "%s:%d:%d: %s\n", arg, err.line, err.column, err.msg);
        else
            fprintf(stderr, "%s: %s\n", arg, err.msg);
        return 0;
    }
    return 1;
}

/* Title, description and height scale for a problem given on the command line (or a
 * data set opened in the window): the surface's own title and log-scale hint, the
 * formula (linear scale), or "DATA, MODEL" (linear scale; a CSV by its file name). The
 * scene's critical-point marks were for its own surface: the new problem starts
 * without them (C shows them; on a data set their search evaluates the loss on all
 * the data hundreds of times, minutes at 10^6 samples). The scene's other settings
 * stay. */
void cli_name_problem(scene *s)
{
    s->overlays &= ~(unsigned)(SCENE_OVERLAY_LOG | SCENE_OVERLAY_CRITICAL);
    if (s->data[0]) {   /* a CSV by its file name, as a landscape file is */
        const char *base = strrchr(s->data, '/');
        snprintf(s->title, sizeof s->title, "%.120s, %.120s", base ? base + 1 : s->data,
                 s->model[0] ? s->model : "default model");
    } else if (s->landscape[0]) {
        const char *base = strrchr(s->landscape, '/');
        snprintf(s->title, sizeof s->title, "%.160s, %.60s", base ? base + 1 : s->landscape,
                 s->landscape_key[0] ? s->landscape_key : "train_loss");
    } else {
        surface_kind k = surface_kind_from_name(s->surface);
        if (k != SURFACE_FORMULA) {
            snprintf(s->title, sizeof s->title, "%s", surface_info_get(k)->title);
            if (surface_info_get(k)->log_scale)
                s->overlays |= SCENE_OVERLAY_LOG;
        }
        else
            snprintf(s->title, sizeof s->title, "f(x, y) = %.200s", s->surface);
    }
    s->description[0] = '\0';
    s->title_zh[0] = '\0';
}

cli_action cli_parse(int argc, char **argv, app_options *o)
{
    memset(o, 0, sizeof *o);
    o->steps = -1;
    o->fps = 30;
    o->width = 1280;
    o->height = 720;
    o->lang_zh = app_locale_is_zh();
    o->interp_t0 = -0.5;
    o->interp_t1 = 1.5;
    o->interp_n = 81;
    scene_init(&o->scene);
    int range_given = 0;

    /* Pass 1: check every option's spelling and find --scene, which everything
     * else is applied on top of. */
    const char *scene_arg = "rosenbrock";   /* the default scene */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            fprintf(stderr, "losscape: unexpected argument '%s' (options start with --; see --help)\n", a);
            return CLI_ERROR;
        }
        const char *eq = strchr(a + 2, '=');
        size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
        const struct option_entry *e = find_option(a + 2, len);
        if (!e) {
            fprintf(stderr, "losscape: unknown option '%.*s' (see --help)\n", (int)len + 2, a);
            return CLI_ERROR;
        }
        if (!e->arg && eq)
            return bad(e->name, "takes no value%s", "");
        if (e->id == O_LESSON) {
            /* --lesson [NAME]: the value is optional */
            const char *name = eq ? eq + 1
                               : (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) ? argv[++i] : NULL;
            if (name && !lesson_scene_name(name))
                return bad(e->name, "'%s' is not a lesson (see --list-scenes)", name);
            scene_arg = name ? name : cli_builtin_scene_name(0);
            continue;
        }
        if (e->arg && !eq) {
            if (i + 1 >= argc)
                return bad(e->name, "needs a value: %s", e->arg);
            i++;
        }
        if (e->id == O_SCENE)
            scene_arg = eq ? eq + 1 : argv[i];
    }
    if (!load_scene_arg(&o->scene, scene_arg))
        return CLI_ERROR;

    /* Pass 2: apply the options in order. */
    cli_action action = CLI_RUN;
    int opts_cleared = 0, start_given = 0, domain_given = 0, problem_given = 0, batch_given = 0;
    int scene_had_data = o->scene.data[0] != '\0';
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *eq = strchr(a + 2, '=');
        size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
        const struct option_entry *e = find_option(a + 2, len);
        const char *v = "1";
        if (e->id == O_LESSON) {
            o->lesson_mode = 1;
            if (!eq && i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
                i++;
            continue;
        }
        if (e->arg)
            v = eq ? eq + 1 : argv[++i];
        long n;
        diag err = { 0 };
        switch (e->id) {
        case O_SCENE_KEY:
            /* The command line's --opt list replaces the scene's. */
            if (strcmp(e->key, "opt") == 0 && !opts_cleared) {
                scene_clear_opts(&o->scene);
                opts_cleared = 1;
            }
            if (!scene_set(&o->scene, e->key, v, &err))
                return bad_value(e->name, &err);
            start_given |= strcmp(e->key, "start") == 0;
            problem_given |= strcmp(e->key, "surface") == 0 || strcmp(e->key, "data") == 0 ||
                             strcmp(e->key, "model") == 0 || strcmp(e->key, "landscape") == 0;
            domain_given |= strcmp(e->key, "domain") == 0;
            batch_given |= strcmp(e->key, "batch") == 0 && o->scene.batch > 0;
            break;
        case O_SCENE:
            break;
        case O_HEADLESS: o->headless = 1; break;
        case O_COMPUTE: o->compute_landscape = 1; break;
        case O_STEPS:
            if (!parse_count(v, 0, 1000000000L, &n))
                return bad(e->name, "expected a whole number of steps in [0, 1e9], not '%s'", v);
            o->steps = n;
            break;
        case O_CSV: o->csv_path = v; break;
        case O_BATCHES_LOG: o->batches_log = v; break;
        case O_PARAMS_OUT: o->params_out = v; break;
        case O_EXPORT: o->export_path = v; break;
        case O_TRAJECTORY: o->trajectory_path = v; break;
        case O_INTERP:
            if (parse_interp(o, v) == CLI_ERROR)
                return CLI_ERROR;
            break;
        case O_INTERP_RANGE:
            if (parse_interp_range(o, v) == CLI_ERROR)
                return CLI_ERROR;
            range_given = 1;
            break;
        case O_INTERP_CSV: o->interp_csv = v; break;
        case O_GRID: {
            char *end;
            long g = strtol(v, &end, 10);
            if (*end || g < 2 || g > 4096) {
                fprintf(stderr, "losscape: --grid: '%s' is not a whole number from 2 to 4096\n", v);
                return CLI_ERROR;
            }
            o->grid = (int)g;
            break;
        }
        case O_CRITICAL: o->critical_points = 1; break;
        case O_LANG:
            if (strcmp(v, "zh") == 0)
                o->lang_zh = 1;
            else if (strcmp(v, "en") == 0)
                o->lang_zh = 0;
            else
                return bad(e->name, "expected zh or en, not '%s'", v);
            break;
        case O_LESSON: break;
        case O_SHARPNESS:
            if (!parse_count(v, 1, 1000000000L, &n))
                return bad(e->name, "expected a whole number of steps >= 1, not '%s'", v);
            o->sharpness_every = n;
            break;
        case O_PROBE: {
            const char *comma = strchr(v, ',');
            if (!comma || !text_number(v, (size_t)(comma - v), &o->probe[0]) ||
                !text_number(comma + 1, strlen(comma + 1), &o->probe[1]))
                return bad(e->name, "expected X,Y (two finite numbers), not '%s'", v);
            o->probe_given = 1;
            break;
        }
        case O_RECORD: o->record_path = v; break;
        case O_FRAMES:
            if (!parse_count(v, 1, 10000000L, &n))
                return bad(e->name, "expected a whole number of frames ≥ 1, not '%s'", v);
            o->frames = n;
            break;
        case O_FPS:
            if (!parse_count(v, 1, 240, &n))
                return bad(e->name, "expected frames per second in [1, 240], not '%s'", v);
            o->fps = (int)n;
            break;
        case O_SIZE: {
            long w, h;
            const char *x = strchr(v, 'x');
            if (!x || !text_long(v, (size_t)(x - v), &w) || !text_long(x + 1, strlen(x + 1), &h))
                return bad(e->name, "expected WIDTHxHEIGHT, e.g. 1280x720, not '%s'", v);
            if (w < 64 || h < 64 || w > 8192 || h > 8192)
                return bad(e->name, "each side must be between 64 and 8192 pixels, not '%s'", v);
            o->width = (int)w;
            o->height = (int)h;
            o->size_given = 1;
            break;
        }
        case O_TITLE: o->title = v; break;
        case O_PRESENT: o->present = 1; break;
        case O_SPEED: {
            double sp;
            if (text_real(v, strlen(v), &sp) != 1 || sp < 0.25 || sp > 1e6)
                return bad(e->name, "expected optimizer steps per second in [0.25, 1e6], not '%s'", v);
            o->speed = sp;
            break;
        }
        case O_SCREENSHOT: o->screenshot_path = v; break;
        case O_FIGURE: o->figure_path = v; break;
        case O_QUALITY:
            if (strcmp(v, "draft") == 0)
                o->quality = REC_QUALITY_DRAFT;
            else if (strcmp(v, "standard") == 0)
                o->quality = REC_QUALITY_STANDARD;
            else if (strcmp(v, "high") == 0)
                o->quality = REC_QUALITY_HIGH;
            else
                return bad(e->name, "expected draft, standard or high, not '%s'", v);
            break;
        case O_FIGURE_SIZE: {
            char why[200];
            if (!figure_parse_size(v, &o->figure_w, &o->figure_h, why, sizeof why))
                return bad(e->name, "%s", why);
            o->figure_size_given = 1;
            break;
        }
        case O_BENCH:
            if (!parse_count(v, 1, 1000000L, &n))
                return bad(e->name, "expected a whole number of frames ≥ 1, not '%s'", v);
            o->bench_frames = n;
            break;
        case O_BENCH_ORBIT: {
            double deg;
            if (text_real(v, strlen(v), &deg) != 1 || deg < -180 || deg > 180)
                return bad(e->name, "expected degrees per frame in [-180, 180], not '%s'", v);
            o->bench_orbit = deg;
            o->bench_orbit_given = 1;
            break;
        }
        case O_BENCH_SURFACE: o->bench_surface = 1; break;
        case O_LIST_SCENES: action = CLI_LIST_SCENES; break;
        case O_LIST_SURFACES: action = CLI_LIST_SURFACES; break;
        case O_HELP: action = CLI_HELP; break;
        case O_KEYS: action = CLI_KEYS; break;
        case O_VERSION: action = CLI_VERSION; break;
        }
    }
    if (action != CLI_RUN)
        return action;
    /* A scene whose problem the command line replaced is no longer what its title
     * and description say: name the new problem instead. */
    if (problem_given)
        cli_name_problem(&o->scene);
    /* --data turns a surface scene into a data problem: the surface's start point
     * and domain mean nothing for the model's parameters. */
    int landscape_given = 0;
    for (int a = 1; a < argc; a++)
        landscape_given |= strcmp(argv[a], "--landscape") == 0;
    if ((!scene_had_data && o->scene.data[0]) || landscape_given) {
        if (!start_given)
            o->scene.has_start = 0;
        if (!domain_given)
            o->scene.has_domain = 0, o->scene.domain_auto = 0;
    }

    /* Combinations. */
    if (batch_given && !o->scene.data[0]) {
        fprintf(stderr, "losscape: --batch: '%s' is a surface without a data set, so every step "
                        "uses the whole (analytic) loss; mini-batches need --data\n",
                o->scene.name[0] ? o->scene.name : o->scene.surface);
        return CLI_ERROR;
    }
    if (o->scene.n_opts == 0) {
        fprintf(stderr, "losscape: the scene has no optimizer runs (add --opt NAME)\n");
        return CLI_ERROR;
    }
    if (o->sharpness_every && o->headless && !o->csv_path) {
        fprintf(stderr, "losscape: --sharpness: needs --csv FILE with --headless\n");
        return CLI_ERROR;
    }
    if (o->compute_landscape && !o->export_path) {
        fprintf(stderr, "losscape: --compute-landscape: needs --export-surface FILE.h5|FILE.vtp\n");
        return CLI_ERROR;
    }
    if (o->bench_orbit_given && !o->bench_frames) {
        fprintf(stderr, "losscape: --bench-orbit: needs --bench N\n");
        return CLI_ERROR;
    }
    if (o->grid && !o->export_path) {
        fprintf(stderr, "losscape: --grid: needs --export-surface FILE\n");
        return CLI_ERROR;
    }
    if (o->params_out && (o->critical_points || o->probe_given || o->export_path || o->figure_path ||
                          o->bench_frames || o->bench_surface || o->compute_landscape)) {
        fprintf(stderr, "losscape: --params-out: goes with --headless, --screenshot, --record or the "
                        "window (the runs' parameters after their steps)\n");
        return CLI_ERROR;
    }
    if (o->params_out) {   /* a missing folder is found now, not after a session in the window */
        char dir[4096];
        const char *slash = strrchr(o->params_out, '/');
        struct stat st;
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - o->params_out) : 1, slash ? o->params_out : ".");
        if (slash && slash != o->params_out && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
            fprintf(stderr, "losscape: --params-out: %s: the folder does not exist\n", o->params_out);
            return CLI_ERROR;
        }
    }
    if (o->params_out && !o->scene.data[0]) {
        fprintf(stderr, "losscape: --params-out: a state dict needs a data problem (--data, --model)\n");
        return CLI_ERROR;
    }
    if ((o->csv_path || o->batches_log) && !o->headless) {
        fprintf(stderr, "losscape: --%s: needs --headless\n", o->csv_path ? "csv" : "batches-log");
        return CLI_ERROR;
    }
    if (o->trajectory_path && o->scene.data[0]) {
        fprintf(stderr, "losscape: --trajectory: a projected trajectory goes on a surface (--landscape FILE.h5, "
                        "--surface); a data problem's view plane is not the plane it was projected on\n");
        return CLI_ERROR;
    }
    if (o->trajectory_path && (o->headless || o->critical_points || o->probe_given || o->export_path ||
                               o->bench_surface || o->figure_path)) {
        fprintf(stderr, "losscape: --trajectory: is drawn: use it with the window, --screenshot or --record\n");
        return CLI_ERROR;
    }
    if ((range_given || o->interp_csv) && !o->interp) {
        fprintf(stderr, "losscape: --%s: needs --interpolate A,B|run[:K]\n",
                range_given ? "interpolate-range" : "interpolate-csv");
        return CLI_ERROR;
    }
    if (o->interp && !o->scene.data[0]) {
        fprintf(stderr, "losscape: --interpolate: needs a data problem (--data, --model)\n");
        return CLI_ERROR;
    }
    if (o->interp && (o->critical_points || o->probe_given || o->export_path || o->bench_surface ||
                      o->figure_path || o->bench_frames || o->csv_path || o->batches_log ||
                      o->params_out || o->trajectory_path || o->compute_landscape)) {
        fprintf(stderr, "losscape: --interpolate: goes with the window, --screenshot, --record or "
                        "--headless (with --interpolate-csv), not with --%s\n",
                o->critical_points ? "critical-points" : o->probe_given ? "probe"
                : o->export_path ? "export-surface" : o->bench_surface ? "bench-surface"
                : o->figure_path ? "figure" : o->bench_frames ? "bench" : o->csv_path ? "csv"
                : o->batches_log ? "batches-log" : o->params_out ? "params-out"
                : o->trajectory_path ? "trajectory" : "compute-landscape");
        return CLI_ERROR;
    }
    if (o->interp && o->headless && !o->interp_csv) {
        fprintf(stderr, "losscape: --interpolate: with --headless, needs --interpolate-csv FILE\n");
        return CLI_ERROR;
    }
    if (o->frames && !o->record_path) {
        fprintf(stderr, "losscape: --frames: needs --record FILE\n");
        return CLI_ERROR;
    }
    if (o->record_path && !o->frames) {
        fprintf(stderr, "losscape: --record: needs --frames N\n");
        return CLI_ERROR;
    }
    if (o->figure_size_given && !o->figure_path) {
        fprintf(stderr, "losscape: --figure-size: needs --figure FILE.svg|FILE.pdf\n");
        return CLI_ERROR;
    }
    if (o->figure_path && figure_format_of(o->figure_path) == FIGURE_NONE) {
        fprintf(stderr, "losscape: --figure: '%s': the name must end in .svg or .pdf\n", o->figure_path);
        return CLI_ERROR;
    }
    int modes = (o->headless != 0) + (o->critical_points != 0) + (o->probe_given != 0) +
                (o->record_path != NULL) +
                (o->screenshot_path != NULL) + (o->bench_frames != 0) + (o->bench_surface != 0) +
                (o->figure_path != NULL) + (o->export_path != NULL);
    if (modes > 1) {
        fprintf(stderr, "losscape: choose one of --headless, --critical-points, --probe, --record, "
                        "--screenshot, --figure, --bench, --bench-surface, --export-surface\n");
        return CLI_ERROR;
    }
    return CLI_RUN;
}
