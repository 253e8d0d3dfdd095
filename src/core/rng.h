/*
 * rng.h — a small seeded random number generator (xoshiro256**, seeded through
 * splitmix64). Every random thing in losscape (data sets, shuffles, random
 * directions) draws from an rng owned by whoever needs it, so a seed reproduces a
 * run exactly, on every platform.
 *
 * Index
 *     rng, rng_seed(r, seed), rng_next(r), rng_uniform(r), rng_normal(r),
 *     rng_below(r, n), rng_shuffle(r, a, n)
 */
#ifndef LOSSCAPE_RNG_H
#define LOSSCAPE_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];        /* xoshiro256** state; never all zero */
} rng;

void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);               /* 64 random bits */
double rng_uniform(rng *r);              /* uniform in [0, 1), 53 bits */
double rng_normal(rng *r);               /* standard normal (Box–Muller, no cached pair) */
uint64_t rng_below(rng *r, uint64_t n);  /* uniform integer in [0, n), unbiased; n > 0 */
void rng_shuffle(rng *r, int *a, int n); /* Fisher–Yates, in place */

#endif
