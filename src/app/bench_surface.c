/*
 * bench_surface.c — the error-surface benchmark of issue 4 (a figure, not a test).
 *
 *   linear regression + MSE   256×256 grid at n = 1,000 and n = 1,000,000 samples:
 *                             from precomputed sufficient statistics (the grid
 *                             itself; the one-off statistics pass is printed too),
 *                             and without them (one O(n·d) pass per grid)
 *   logistic cross-entropy    256×256 grid over 1024 samples of two Gaussian blobs,
 *                             logistic regression without bias, so θ = (w1, w2) are
 *                             the axes (identity plane): landscape_eval_grid (best of
 *                             several runs, all threads) against a plain
 *                             single-threaded double loop over grid points and
 *                             samples (naive_grid below, the same -O2 build)
 *
 *   mlp                       256×256 grid of the moons-mlp-bn scene's model (a 16×16
 *                             MLP with batch normalization, relu) on 300 moons samples
 *                             (the scene's training split), on a random plane:
 *                             landscape_eval_grid's mlp path against the generic path
 *                             (model_loss at every grid point, rows in parallel, as
 *                             every grid of such a model was computed before), both in
 *                             this run; batch norm with batch statistics (what the
 *                             window draws) and with moving averages
 *
 *   10⁶ samples               the full-data logistic cross-entropy (and with its
 *                             gradient) over 10⁶ blob samples: model_loss (vectorized,
 *                             threaded) against model_loss_plain (the way every
 *                             full-data loss was computed before); a mini-batch step
 *                             of 64 (adam) with the trainer lazy (O(batch)) against
 *                             one that also evaluates the full loss (as every step
 *                             did before); the 10⁶ samples written as a CSV
 *                             (x1,x2,label, %.6f) and loaded by data_load against a
 *                             plain fgets + strtod reader
 *
 * The logistic line reads
 *   surface grid: T ms (G GFLOP/s), naive: T0 ms, speed-up: R x
 * and the mlp line
 *   mlp surface 256x256: T ms (naive: T0 ms, speed-up: R x)
 *
 * Run: losscape --bench-surface
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "app/app.h"
#include "app/benchclock.h"
#include "core/data.h"
#include "core/landscape.h"
#include "core/model.h"
#include "core/optim.h"
#include "core/trainer.h"

enum { NX = 256, NY = 256 };

static void bench_linear(int n)
{
    char spec[64];
    snprintf(spec, sizeof spec, "linear:n=%d", n);
    diag err = { 0 };
    dataset *ds = data_load(spec, 1, 0, &err);
    model_desc md = { .kind = MODEL_LINEAR };
    model *m = ds ? model_create(&md, ds->d, ds->task, ds->n_classes, &err) : NULL;
    if (!m) {
        printf("linear n=%d: cannot set up (%s)\n", n, err.msg);
        data_destroy(ds);
        return;
    }
    model_objective_ctx ctx = { .model = m, .data = ds, .loss = LOSS_MSE };
    objective obj = model_objective(&ctx);
    double origin[3] = { 1.0, -0.5, 0.2 };
    plane *p = plane_create_random(origin, obj.n, NULL, 7);
    double *values = malloc(sizeof(double) * NX * NY);
    double t_stats, t_grid, t_nostats;
    landscape_stats *st = NULL;
    BENCH_BEST_OF(3, t_stats, {
        landscape_stats_destroy(st);
        st = landscape_stats_create(m, ds, NULL, 0);
    });
    landscape_desc g = { .obj = &obj, .plane = p, .model = m, .data = ds, .loss = LOSS_MSE,
                         .dom = { -3, 3, -3, 3 }, .nx = NX, .ny = NY, .stats = st };
    BENCH_BEST_OF(20, t_grid, landscape_eval_grid(&g, values));
    g.stats = NULL;
    BENCH_BEST_OF(5, t_nostats, landscape_eval_grid(&g, values));
    printf("linear+mse grid %dx%d, n = %d: %.3f ms from statistics (statistics once: %.2f ms; "
           "without them: %.2f ms)\n",
           NX, NY, n, 1e3 * t_grid, 1e3 * t_stats, 1e3 * t_nostats);
    landscape_stats_destroy(st);
    free(values);
    plane_destroy(p);
    model_destroy(m);
    data_destroy(ds);
}

/* The naive baseline: one thread, a double loop, the textbook formula. */
__attribute__((noinline)) static void naive_grid(const dataset *ds, double lo, double hi,
                                                 double *values)
{
    for (int j = 0; j < NY; j++) {
        double w2 = surface_grid_coord(lo, hi, j, NY);
        for (int i = 0; i < NX; i++) {
            double w1 = surface_grid_coord(lo, hi, i, NX);
            double loss = 0.0;
            for (int s = 0; s < ds->n; s++) {
                double z = w1 * ds->x[2 * s] + w2 * ds->x[2 * s + 1];
                double ys = ds->y[s] > 0.5 ? 1.0 : -1.0;
                loss += log(1.0 + exp(-ys * z));
            }
            values[j * NX + i] = loss / ds->n;
        }
    }
}

/* The moons-mlp-bn model's grid: fast path and generic path, same plane. */
static void bench_mlp(void)
{
    diag err = { 0 };
    dataset *all = data_load("moons:n=400,noise=0.1", 1, 1, &err);
    dataset *train = NULL, *test = NULL;
    model_desc md;
    model *m = NULL;
    if (all && data_split(all, 0.25, 1, &train, &test, &err) &&
        model_desc_parse("mlp:hidden=16x16,act=relu,bn=1", &md, &err))
        m = model_create(&md, train->d, train->task, train->n_classes, &err);
    if (!m) {
        printf("mlp surface: cannot set up (%s)\n", err.msg);
        data_destroy(all), data_destroy(train), data_destroy(test);
        return;
    }
    model_objective_ctx ctx = { .model = m, .data = train, .loss = LOSS_CE };
    objective obj = model_objective(&ctx);
    double *theta = malloc(sizeof(double) * (size_t)obj.n);
    double *aux = malloc(sizeof(double) * (size_t)(obj.n_aux > 0 ? obj.n_aux : 1));
    model_init_params(m, 1, theta);
    model_aux_init(m, aux);
    model_loss(m, LOSS_CE, train, theta, NULL, 0, NULL, aux, 1); /* moving averages: one batch */
    plane *p = plane_create_random(theta, obj.n, m, 7);
    double *fast = malloc(sizeof(double) * NX * NY), *slow = malloc(sizeof(double) * NX * NY);
    for (int mode = 0; mode < 2; mode++) {
        landscape_desc g = { .obj = &obj, .plane = p, .model = m, .data = train,
                             .loss = LOSS_CE, .aux = mode ? aux : NULL,
                             .dom = { -1, 1, -1, 1 }, .nx = NX, .ny = NY };
        double t_fast, t_naive;
        landscape_eval_grid(&g, fast); /* warm-up */
        BENCH_BEST_OF(3, t_fast, landscape_eval_grid(&g, fast));
        g.generic = 1;
        BENCH_BEST_OF(1, t_naive, landscape_eval_grid(&g, slow));
        double maxrel = 0.0;
        for (int q = 0; q < NX * NY; q++)
            maxrel = fmax(maxrel, fabs(fast[q] - slow[q]) / fmax(fabs(slow[q]), 1e-300));
        printf("mlp 16x16 bn (%s) over %d samples: max relative difference fast vs naive %.3g\n",
               mode ? "moving averages" : "batch statistics", train->n, maxrel);
        printf("mlp surface %dx%d%s: %.1f ms (naive: %.1f ms, speed-up: %.1f x)\n", NX, NY,
               mode ? " (moving averages)" : "", 1e3 * t_fast, 1e3 * t_naive, t_naive / t_fast);
    }
    free(fast), free(slow), free(theta), free(aux);
    plane_destroy(p);
    model_destroy(m);
    data_destroy(all), data_destroy(train), data_destroy(test);
}

/* A CSV of 10⁶ rows the shape of bench/make_big_csv.py's (x1,x2,label, %.6f): the
 * loader (data_load) against a plain reader (fgets, strtod per field, arrays grown by
 * doubling), best of 3 each, the file in the page cache. */
static double naive_csv(const char *path, int *rows)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[512];
    int n = 0, cap = 0;
    double *x = NULL, *y = NULL, sum = 0;
    if (fgets(line, sizeof line, f)) {
        while (fgets(line, sizeof line, f)) {
            if (n == cap) {
                cap = cap ? 2 * cap : 1024;
                double *nx = realloc(x, (size_t)cap * 2 * sizeof *x), *ny = nx ? realloc(y, (size_t)cap * sizeof *y) : NULL;
                if (nx)
                    x = nx;
                if (!ny)
                    break;
                y = ny;
            }
            char *p = line, *e;
            x[2 * n] = strtod(p, &e);
            x[2 * n + 1] = strtod(e + 1, &e);
            y[n] = strtod(e + 1, &e);
            sum += y[n];
            n++;
        }
    }
    fclose(f);
    free(x);
    free(y);
    *rows = n;
    return sum;
}

static void bench_csv(const dataset *ds)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/losscape-bench-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        printf("csv: cannot write a temporary file\n");
        return;
    }
    fprintf(f, "x1,x2,label\n");
    for (int i = 0; i < ds->n; i++)
        fprintf(f, "%.6f,%.6f,%d\n", ds->x[2 * i], ds->x[2 * i + 1], (int)ds->y[i]);
    int bad = fclose(f) != 0;
    double t_load = 0, t_naive = 0;
    int rows = 0, n_naive = 0;
    if (!bad) {
        diag err = { 0 };
        BENCH_BEST_OF(3, t_load, {
            dataset *got = data_load(path, 1, 1, &err);
            rows = got ? got->n : -1;
            data_destroy(got);
        });
        BENCH_BEST_OF(3, t_naive, naive_csv(path, &n_naive));
    }
    remove(path);
    if (bad || rows != ds->n || n_naive != ds->n) {
        printf("csv: the %d-row file did not load (%d, %d rows)\n", ds->n, rows, n_naive);
        return;
    }
    printf("csv load, %d rows (x1,x2,label): %.1f ms (naive fgets + strtod: %.1f ms, "
           "speed-up: %.1f x)\n",
           rows, 1e3 * t_load, 1e3 * t_naive, t_naive / t_load);
}

/* Full-data evaluations and mini-batch steps at 10⁶ samples. */
static void bench_data(void)
{
    diag err = { 0 };
    dataset *ds = data_load("blobs:n=1000000,k=2", 1, 1, &err);
    model_desc md = { .kind = MODEL_LOGISTIC };
    model *m = ds ? model_create(&md, ds->d, ds->task, ds->n_classes, &err) : NULL;
    if (!m) {
        printf("10^6 samples: cannot set up (%s)\n", err.msg);
        data_destroy(ds);
        return;
    }
    double theta[3] = { 0.7, -0.4, 0.1 }, grad[3];
    double t_fast, t_plain, t_gfast, t_gplain, v_fast = 0, v_plain = 0;
    model_loss(m, LOSS_CE, ds, theta, NULL, 0, NULL, NULL, 0); /* warm-up */
    BENCH_BEST_OF(10, t_fast, v_fast = model_loss(m, LOSS_CE, ds, theta, NULL, 0, NULL, NULL, 0));
    BENCH_BEST_OF(3, t_plain,
                  v_plain = model_loss_plain(m, LOSS_CE, ds, theta, NULL, 0, NULL, NULL, 0));
    BENCH_BEST_OF(10, t_gfast, model_loss(m, LOSS_CE, ds, theta, NULL, 0, grad, NULL, 0));
    BENCH_BEST_OF(3, t_gplain, model_loss_plain(m, LOSS_CE, ds, theta, NULL, 0, grad, NULL, 0));
    printf("full-data logistic loss, %d samples: %.2f ms (plain: %.1f ms, speed-up: %.1f x; "
           "relative difference %.2g)\n",
           ds->n, 1e3 * t_fast, 1e3 * t_plain, t_plain / t_fast,
           fabs(v_fast - v_plain) / fabs(v_plain));
    printf("full-data logistic loss and gradient, %d samples: %.2f ms (plain: %.1f ms, "
           "speed-up: %.1f x)\n",
           ds->n, 1e3 * t_gfast, 1e3 * t_gplain, t_gplain / t_gfast);

    model_objective_ctx ctx = { .model = m, .data = ds, .loss = LOSS_CE };
    objective obj = model_objective(&ctx);
    optim_desc od;
    optim_desc_parse("adam", &od, &err);
    double t_lazy = 0, t_full = 0;
    for (int lazy = 1; lazy >= 0; lazy--) {
        trainer *t = trainer_create(&(trainer_desc){ .obj = &obj, .theta0 = theta, .n_runs = 1,
                                                     .opts = &od, .batch = 64, .seed = 1 });
        if (!t)
            break;
        trainer_set_lazy_loss(t, lazy);
        trainer_step(t);
        double secs;
        BENCH_BEST_OF(20, secs, trainer_step(t));
        *(lazy ? &t_lazy : &t_full) = secs;
        trainer_destroy(t);
    }
    printf("mini-batch step (64 of %d samples, adam): %.3f ms (with the full loss every step, "
           "as before: %.2f ms)\n",
           ds->n, 1e3 * t_lazy, 1e3 * t_full);
    bench_csv(ds);
    model_destroy(m);
    data_destroy(ds);
}

int app_bench_surface(void)
{
#ifdef _OPENMP
    printf("threads: %d\n", omp_get_max_threads());
#endif
    bench_linear(1000);
    bench_linear(1000000);

    diag err = { 0 };
    dataset *ds = data_load("blobs:n=1024,k=2", 1, 1, &err);
    if (!ds) {
        fprintf(stderr, "losscape: --bench-surface: %s\n", err.msg);
        return APP_EXIT_RUNTIME;
    }
    model_desc md = { .kind = MODEL_LOGISTIC, .no_bias = 1 };
    model *m = model_create(&md, ds->d, ds->task, ds->n_classes, &err);
    model_objective_ctx ctx = { .model = m, .data = ds, .loss = LOSS_CE };
    objective obj = model_objective(&ctx);
    plane *p = plane_create_identity(2);
    const double lo = -4.0, hi = 4.0;
    landscape_desc g = { .obj = &obj, .plane = p, .model = m, .data = ds, .loss = LOSS_CE,
                         .dom = { lo, hi, lo, hi }, .nx = NX, .ny = NY };
    double *fast = malloc(sizeof(double) * NX * NY), *slow = malloc(sizeof(double) * NX * NY);
    double t_fast, t_naive;
    landscape_eval_grid(&g, fast); /* warm-up: threads, pages */
    BENCH_BEST_OF(15, t_fast, landscape_eval_grid(&g, fast));
    BENCH_BEST_OF(3, t_naive, naive_grid(ds, lo, hi, slow));
    double maxrel = 0.0;
    for (int q = 0; q < NX * NY; q++)
        maxrel = fmax(maxrel, fabs(fast[q] - slow[q]) / fmax(fabs(slow[q]), 1e-300));
    /* Flops: 8 per (grid point, sample), as the naive formula reads:
     * z = w1 x1 + w2 x2 (3), y'·z (1), exp (1), 1 + (1), log (1), loss += (1);
     * exp and log count as one flop each (their polynomial insides are not counted),
     * the per-point mean and coordinate arithmetic are ignored. */
    double flops = 8.0 * NX * NY * (double)ds->n;
    printf("logistic ce %dx%d over %d samples: max relative difference fast vs naive %.3g\n", NX,
           NY, ds->n, maxrel);
    printf("surface grid: %.2f ms (%.2f GFLOP/s), naive: %.1f ms, speed-up: %.1f x\n",
           1e3 * t_fast, flops / t_fast / 1e9, 1e3 * t_naive, t_naive / t_fast);
    free(fast);
    free(slow);
    plane_destroy(p);
    model_destroy(m);
    data_destroy(ds);
    bench_mlp();
    bench_data();
    return APP_EXIT_OK;
}
