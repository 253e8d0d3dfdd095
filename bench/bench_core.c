/*
 * bench_core.c — figures for the numeric core, printed side by side in one run
 * (the machines are shared and noisy: compare ratios, not single times).
 *
 *   optimizer steps per second   trainer_step on rosenbrock, each optimizer alone,
 *                                and all five together; bare optim_step on 10⁴ params
 *   formula grid                 512×512 values + gradients of a user formula and of
 *                                the same function written in C (built-in), with
 *                                1 thread and with all threads
 *   critical points              the full search on himmelblau
 *
 * Run: ./build/bench_core   (or scripts/bench.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "app/benchclock.h"
#include "core/formula.h"
#include "core/hessian.h"
#include "core/objective.h"
#include "core/optim.h"
#include "core/surface.h"
#include "core/trainer.h"

static void bench_trainer(void)
{
    surface s;
    surface_init(&s, "rosenbrock", NULL);
    objective obj = objective_from_surface(&s);
    double start[2] = { -1.5, 2 };
    const long steps = 200000;
    printf("optimizer steps per second (rosenbrock, gradient included, %ld steps):\n", steps);
    for (int k = OPT_SGD; k <= OPT_ADAM + 1; k++) {
        optim_desc d[5];
        int n_runs = 0;
        if (k <= OPT_ADAM) {
            d[0] = (optim_desc){ .kind = (optim_kind)k, .lr = 1e-4 };
            n_runs = 1;
        } else {
            for (int j = OPT_SGD; j <= OPT_ADAM; j++)
                d[n_runs++] = (optim_desc){ .kind = (optim_kind)j, .lr = 1e-4 };
        }
        for (int j = 0; j < n_runs; j++)
            optim_desc_defaults(&d[j]);
        trainer *t = trainer_create(&(trainer_desc){
            .obj = &obj, .theta0 = start, .n_runs = n_runs, .opts = d });
        double secs;
        BENCH_BEST_OF(3, secs, {
            trainer_reset(t, NULL);
            for (long i = 0; i < steps; i++)
                trainer_step(t);
        });
        printf("  %-16s %8.2f M run-steps/s\n", k <= OPT_ADAM ? optim_kind_name((optim_kind)k) : "all five",
               (double)steps * n_runs / secs / 1e6);
        trainer_destroy(t);
    }
    surface_free(&s);

    const int n = 10000;
    double *theta = calloc(n, sizeof *theta), *grad = malloc(n * sizeof *grad);
    for (int i = 0; i < n; i++)
        grad[i] = 1e-3 * ((i % 7) - 3);
    printf("bare optim_step on %d parameters:\n", n);
    for (int k = OPT_SGD; k <= OPT_ADAM; k++) {
        optim_desc d = { .kind = (optim_kind)k };
        optim_desc_defaults(&d);
        optim *o = optim_create(&d, n);
        double secs;
        BENCH_BEST_OF(3, secs, {
            for (int i = 0; i < 1000; i++)
                optim_step(o, theta, grad, d.lr);
        });
        printf("  %-16s %8.1f k steps/s  (%.2f ns per parameter)\n", optim_kind_name((optim_kind)k),
               1000 / secs / 1e3, secs / 1000 / n * 1e9);
        optim_destroy(o);
    }
    free(theta);
    free(grad);
}

static void bench_grid(void)
{
    const int nx = 512, ny = 512;
    double *v = malloc(sizeof(double) * nx * ny), *g = malloc(2 * sizeof(double) * nx * ny);
    const char *specs[][2] = {
        { "rosenbrock (built-in, C)", "rosenbrock" },
        { "rosenbrock (formula)", "(1 - x)^2 + 100*(y - x^2)^2" },
        { "sin(x)*cos(y) + x^2/3 - exp(-y) (formula)", "sin(x)*cos(y) + x^2/3 - exp(-y)" },
    };
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    printf("grid evaluation, %dx%d, values + gradients (best of 5):\n", nx, ny);
    for (int i = 0; i < 3; i++) {
        surface s;
        surface_init(&s, specs[i][1], NULL);
        surface_domain dom = { -2, 2, -1, 3 };
        double t1, tn;
#ifdef _OPENMP
        omp_set_num_threads(1);
#endif
        BENCH_BEST_OF(5, t1, surface_eval_grid(&s, dom, nx, ny, v, g));
#ifdef _OPENMP
        omp_set_num_threads(threads);
#endif
        BENCH_BEST_OF(5, tn, surface_eval_grid(&s, dom, nx, ny, v, g));
        printf("  %-44s 1 thread %7.2f ms   %d threads %7.2f ms\n", specs[i][0], t1 * 1e3, threads,
               tn * 1e3);
        surface_free(&s);
    }
    free(v);
    free(g);
}

static double himmelblau_fn(const void *ctx, double x, double y, double grad[2], double hess[4])
{
    return surface_eval((const surface *)ctx, x, y, grad, hess);
}

static void bench_critical(void)
{
    surface s;
    surface_init(&s, "himmelblau", NULL);
    critical_point p[32];
    int n = 0;
    double secs;
    BENCH_BEST_OF(5, secs, n = critical_points_find(himmelblau_fn, &s, -5, 5, -5, 5, p, 32));
    printf("critical points of himmelblau: %d found in %.2f ms\n", n, secs * 1e3);
    surface_free(&s);
}

int main(void)
{
    bench_trainer();
    bench_grid();
    bench_critical();
    return 0;
}
