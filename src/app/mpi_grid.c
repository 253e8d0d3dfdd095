/*
 * mpi_grid.c — --compute-landscape across MPI ranks. See mpi_grid.h.
 */
#include "app/mpi_grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef LOSSCAPE_HAVE_MPI
#include <mpi.h>
#endif

#include "app/export.h"

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }

/* CPU seconds of this process, every thread: on a shared machine the wall time says
 * little about a rank's share of the work, its CPU time does */
static double cpu_s(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

/* An environment variable as a number ≥ 0; −1 when unset or not a number. */
static long env_count(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return -1;
    char *end;
    long n = strtol(v, &end, 10);
    return *end || n < 0 ? -1 : n;
}

/* The world size an MPI launcher announced (Open MPI, then PMI/PMIx as MPICH,
 * Slurm's srun and Hydra set them); 0 when no launcher started this process. */
static long launcher_size(void)
{
    const char *names[] = { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS" };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        long n = env_count(names[k]);
        if (n > 0)
            return n;
    }
    return getenv("PMIX_RANK") ? 1 : 0;
}

#ifndef LOSSCAPE_HAVE_MPI
static long launcher_rank(void)
{
    const char *names[] = { "OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK" };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        long r = env_count(names[k]);
        if (r >= 0)
            return r;
    }
    return 0;
}
#endif

static int threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/* The band of rank r of `size` over n rows. */
static void band_of(int n, int size, int r, int *row0, int *rows)
{
    int base = n / size, extra = n % size;
    *rows = base + (r < extra);
    *row0 = r * base + (r < extra ? r : extra);
}

#ifdef LOSSCAPE_HAVE_MPI
int app_mpi_available(void) { return 1; }

/* The worst status over every rank (2 beats 1 beats 0), so all ranks stop together. */
static int agree(int status, int use_mpi)
{
    if (!use_mpi)
        return status;
    int worst = status;
    MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return worst;
}
#else
int app_mpi_available(void) { return 0; }
static int agree(int status, int use_mpi)
{
    (void)use_mpi;
    return status;
}
#endif

int app_compute_landscape_run(const app_options *o, app_problem *p)
{
    const char *path = o->export_path;
    const int n = o->grid > 0 ? o->grid : 51;
    const double t0 = now_s();
    int rank = 0, size = 1, use_mpi = 0;
    const long launched = launcher_size();
#ifdef LOSSCAPE_HAVE_MPI
    if (launched > 0) {
        /* only the main thread calls MPI; OpenMP threads only compute */
        int provided = 0;
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
            fprintf(stderr, "losscape: --compute-landscape: MPI_Init failed\n");
            return APP_EXIT_RUNTIME;
        }
        use_mpi = 1;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
    }
#else
    if (launched > 1) {
        if (launcher_rank() == 0)
            fprintf(stderr, "losscape: --compute-landscape: started as %ld processes, but this build has no "
                            "MPI (install libopenmpi-dev openmpi-bin, e.g. bash scripts/setup.sh test, and "
                            "rebuild; one process needs no mpirun)\n", launched);
        return APP_EXIT_RUNTIME;
    }
#endif
    int status = APP_EXIT_OK, have_problem = 0;
    double *band = NULL, *all = NULL, *x = NULL, *y = NULL;
    int *counts = NULL, *displs = NULL;   /* rank 0: each rank's share of the gather */
    scene *sc = NULL;                     /* the scene as computed: o->scene, one run */
    int row0, rows;
    band_of(n, size, rank, &row0, &rows);

    /* 1. the problem, and the file name: bad input stops every rank, rank 0 says why */
    diag err = { 0 };
    if (!app_export_kind(path)) {
        snprintf(err.msg, sizeof err.msg, "--export-surface: '%s': the name must end in .h5 or .vtp", path);
        status = APP_EXIT_BAD_INPUT;
    } else if (!(sc = malloc(sizeof *sc))) {
        snprintf(err.msg, sizeof err.msg, "out of memory");
        status = APP_EXIT_RUNTIME;
    } else {
        /* The grid depends on the data, the model, the plane and the domain, not on
         * the runs: one run and no timeline spare every rank the other runs' set-up
         * passes over the data (15 s of 17 on 10^5 samples of a 64x64 MLP). */
        *sc = o->scene;
        sc->n_opts = 1;
        sc->n_events = 0;
        if (!app_problem_create(p, sc, &err))
            status = APP_EXIT_BAD_INPUT;
        else
            have_problem = 1;
    }
    const int created = agree(status, use_mpi);
    if (created != APP_EXIT_OK) {
        if (rank == 0 && status != APP_EXIT_OK)
            fprintf(stderr, "losscape: %s\n", err.msg);
        else if (rank == 0)   /* another rank failed alone */
            fprintf(stderr, "losscape: --compute-landscape: another rank could not build the problem "
                            "(its input files missing on that machine?)\n");
        status = created;
        goto out;
    }

    /* 2. this rank's band */
    const double tc = now_s(), cc = cpu_s();
    band = malloc((size_t)(rows > 0 ? rows : 1) * (size_t)n * sizeof *band);
    if (!band || !app_export_rows(p, n, row0, rows, band)) {
        fprintf(stderr, "losscape: --compute-landscape: rank %d: out of memory\n", rank);
        status = APP_EXIT_RUNTIME;
    }
    const double compute_s = now_s() - tc, compute_cpu = cpu_s() - cc;
    if (rank == 0) {
        all = malloc((size_t)n * (size_t)n * sizeof *all);
        x = malloc((size_t)n * sizeof *x);
        y = malloc((size_t)n * sizeof *y);
        counts = malloc((size_t)size * sizeof *counts);
        displs = malloc((size_t)size * sizeof *displs);
        if (!all || !x || !y || !counts || !displs) {
            fprintf(stderr, "losscape: --compute-landscape: out of memory\n");
            status = APP_EXIT_RUNTIME;
        }
    }
    status = agree(status, use_mpi);
    if (status != APP_EXIT_OK)
        goto out;

    /* 3. rank 0 gathers the bands in row order (n ≤ 4096, so n·n fits an int) */
    double slowest = compute_s, busiest = compute_cpu;
#ifdef LOSSCAPE_HAVE_MPI
    if (use_mpi) {
        if (rank == 0)
            for (int r = 0; r < size; r++) {
                int r0, rr;
                band_of(n, size, r, &r0, &rr);
                counts[r] = rr * n;
                displs[r] = r0 * n;
            }
        MPI_Gatherv(band, rows * n, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
        MPI_Reduce(&compute_s, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
        MPI_Reduce(&compute_cpu, &busiest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    } else
#endif
    {
        memcpy(all, band, (size_t)n * (size_t)n * sizeof *all);
    }

    /* 4. rank 0 writes (atomically: a temporary name renamed into place) */
    if (rank == 0) {
        app_export_coords(p, n, x, y);
        status = app_export_write(path, x, y, n, all);
        if (status == APP_EXIT_OK)
            printf("losscape: --compute-landscape: %dx%d grid, %d rank%s x %d thread%s: %.3f s computing "
                   "(slowest rank; the busiest used %.3f s of CPU), %.3f s in all; wrote %s\n",
                   n, n, size, size == 1 ? "" : "s", threads(), threads() == 1 ? "" : "s", slowest,
                   busiest, now_s() - t0, path);
    }
#ifdef LOSSCAPE_HAVE_MPI
    if (use_mpi)
        MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
out:
    free(counts);
    free(displs);
    free(band);
    free(all);
    free(x);
    free(y);
    if (have_problem)
        app_problem_destroy(p);
    free(sc);
#ifdef LOSSCAPE_HAVE_MPI
    if (use_mpi)
        MPI_Finalize();
#endif
    return status;
}
