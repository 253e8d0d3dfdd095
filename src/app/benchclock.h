/*
 * benchclock.h — timing for the benchmark commands (figures, never tests).
 *
 *     bench_now()                    monotonic seconds
 *     BENCH_BEST_OF(reps, secs, body)  run body reps times, secs = the fastest
 *
 * The best of several runs is the figure least disturbed by other work on a
 * shared machine; compare ratios measured in the same run, not single times.
 */
#ifndef LOSSCAPE_BENCHCLOCK_H
#define LOSSCAPE_BENCHCLOCK_H

#include <time.h>

static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

#define BENCH_BEST_OF(reps, secs, body)                     \
    do {                                                    \
        (secs) = 1e30;                                      \
        for (int rep_ = 0; rep_ < (reps); rep_++) {         \
            double t0_ = bench_now();                       \
            body;                                           \
            double dt_ = bench_now() - t0_;                 \
            if (dt_ < (secs))                               \
                (secs) = dt_;                               \
        }                                                   \
    } while (0)

#endif
