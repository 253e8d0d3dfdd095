/*
 * soak.c — a classroom session left running all day, compressed: 1,000,000
 * trainer steps of the five optimizers on a data objective, with live rate
 * changes (trainer_set_optim) and batch-size changes (trainer_set_batch) every
 * few thousand steps, and the trail read back the way the renderer reads it.
 * Resident memory (/proc/self/statm) is taken after setup and the first 10,000
 * steps, and at the end; the growth must stay under 1 MiB, which holds only
 * because the trainer's history is bounded (trainer.h: decimation at
 * TRAINER_HISTORY_CAP points per run).
 *
 * Objective: the moons data set (256 rows, seeded) and an MLP with batch norm
 * (mlp:hidden=8,bn=1), cross-entropy: every part of the data path (shuffles,
 * batches, batch-norm moving averages) runs on every step.
 *
 * Run: ./build/soak [STEPS]   (default 1000000; exit status 1 if memory grew
 * by 1 MiB or more, or a run diverged and was never recovered)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/data.h"
#include "core/model.h"
#include "core/trainer.h"

#define WARMUP_STEPS  10000L
#define RATE_EVERY    5000L     /* steps between live rate changes */
#define BATCH_EVERY   3000L     /* steps between batch-size changes */
#define GROWTH_LIMIT  (1L << 20)

static const char *const DATA_SPEC = "moons:n=256,noise=0.15";
static const char *const MODEL_SPEC = "mlp:hidden=8,bn=1";

static long resident_bytes(void)
{
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return -1;
    int n = fscanf(f, "%ld %ld", &size, &resident);
    fclose(f);
    return n == 2 ? resident * sysconf(_SC_PAGESIZE) : -1;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : 1000000L;
    if (steps < WARMUP_STEPS) {
        fprintf(stderr, "soak: needs at least %ld steps\n", WARMUP_STEPS);
        return 2;
    }
    diag err = { 0 };
    dataset *ds = data_load(DATA_SPEC, 1, 1, &err);
    if (!ds) {
        fprintf(stderr, "soak: data: %s\n", err.msg);
        return 1;
    }
    model_desc md = { 0 };
    if (!model_desc_parse(MODEL_SPEC, &md, &err)) {
        fprintf(stderr, "soak: model: %s\n", err.msg);
        return 1;
    }
    model *m = model_create(&md, ds->d, ds->task, ds->n_classes, &err);
    if (!m) {
        fprintf(stderr, "soak: model: %s\n", err.msg);
        return 1;
    }
    model_objective_ctx ctx = { .model = m, .data = ds, .loss = LOSS_CE };
    objective obj = model_objective(&ctx);
    double *theta0 = malloc(sizeof *theta0 * (size_t)obj.n);
    model_init_params(m, 1, theta0);

    optim_desc opts[5] = {
        { .kind = OPT_SGD, .lr = 0.1 },
        { .kind = OPT_MOMENTUM, .lr = 0.02 },
        { .kind = OPT_ADAGRAD, .lr = 0.05 },
        { .kind = OPT_RMSPROP, .lr = 0.002 },
        { .kind = OPT_ADAM, .lr = 0.005 },
    };
    for (int i = 0; i < 5; i++)
        optim_desc_defaults(&opts[i]);
    trainer *t = trainer_create(&(trainer_desc){
        .obj = &obj, .theta0 = theta0, .n_runs = 5, .opts = opts, .batch = 16, .seed = 7 });
    if (!t) {
        fprintf(stderr, "soak: trainer_create failed\n");
        return 1;
    }
    printf("soak: %s + %s (ce, %d parameters), 5 optimizers, %ld steps;\n"
           "      rate changes every %ld steps, batch-size changes every %ld\n",
           DATA_SPEC, MODEL_SPEC, obj.n, steps, RATE_EVERY, BATCH_EVERY);

    static const int batches[] = { 16, 1, 64, 0, 7, 256, 32 };   /* 0 = full batch */
    static const double factors[] = { 2.0, 0.5, 3.0, 0.25, 1.5, 1.0 / 1.5, 1.0 / 3.0, 4.0 };
    int n_batches = (int)(sizeof batches / sizeof batches[0]);
    int n_factors = (int)(sizeof factors / sizeof factors[0]);
    long rss_start = 0, resets = 0;
    double checksum = 0, t0 = now(), t_start = t0;
    for (long s = 1; s <= steps; s++) {
        if (trainer_step(t) < 5) {
            /* A run diverged: what the user would do, restart. Rare by design. */
            resets++;
            trainer_reset(t, NULL);
        }
        if (s % RATE_EVERY == 0) {
            for (int i = 0; i < 5; i++) {
                optim_desc d = *optim_desc_get(trainer_run_get(t, i)->opt);
                /* the factors multiply to 1 over a cycle: rates stay in range */
                d.lr *= factors[(s / RATE_EVERY + i) % n_factors];
                trainer_set_optim(t, i, &d);
            }
        }
        if (s % BATCH_EVERY == 0)
            trainer_set_batch(t, batches[(s / BATCH_EVERY) % n_batches]);
        if (s % 1000 == 0) {
            /* Read the trails as the renderer does every frame. */
            for (int i = 0; i < 5; i++) {
                int count;
                const trainer_point *h = trainer_history(t, i, &count);
                for (int j = 0; j < count; j += 64)
                    checksum += h[j].loss + trainer_history_theta(t, i, j)[0];
            }
        }
        if (s == WARMUP_STEPS) {
            rss_start = resident_bytes();
            t_start = now();
            printf("resident memory after setup + %ld steps: %ld KiB\n", WARMUP_STEPS,
                   rss_start / 1024);
        }
    }
    double secs = now() - t_start;
    long rss_end = resident_bytes();
    long growth = rss_end - rss_start;
    printf("resident memory after %ld steps:  %ld KiB\n", steps, rss_end / 1024);
    int trail = 0;
    trainer_history(t, 0, &trail);
    printf("growth: %+ld KiB (limit %ld KiB); %.0f steps/s; %ld restarts after divergence; "
           "trail points of run 0: %d (cap %d); checksum %.6g\n",
           growth / 1024, GROWTH_LIMIT / 1024, (double)(steps - WARMUP_STEPS) / secs, resets,
           trail, TRAINER_HISTORY_CAP, checksum);
    for (int i = 0; i < 5; i++) {
        const trainer_run *r = trainer_run_get(t, i);
        printf("  %-9s steps %-8ld loss %-10.4g lr %-10.4g diverged %d\n",
               optim_kind_name(opts[i].kind), r->steps, r->loss, r->lr, r->diverged);
    }
    int ok = rss_start > 0 && rss_end > 0 && growth < GROWTH_LIMIT && isfinite(checksum);
    printf("soak: %s\n", ok ? "ok" : "FAILED: memory grew by 1 MiB or more");
    trainer_destroy(t);
    free(theta0);
    model_destroy(m);
    data_destroy(ds);
    return ok ? 0 : 1;
}
