/*
 * objective.h — the central abstraction of the core: a function of n parameters
 * that returns its value and, on request, its gradient, on the full data set or on
 * one mini-batch.
 *
 * An analytic surface is an objective with n = 2 and no samples; a data set + model
 * + loss is an objective with n = number of model parameters and n_samples > 0. The
 * trainer only ever talks to this interface, so every optimizer, schedule and
 * batch-size control works the same on a textbook surface and on a real model.
 *
 * Index
 *     objective                               the interface (a struct of callbacks)
 *     objective_eval(o, theta, idx, count, grad)
 *     objective_from_surface(s)               a view of a surface as an objective
 */
#ifndef LOSSCAPE_OBJECTIVE_H
#define LOSSCAPE_OBJECTIVE_H

#include <stddef.h>

#include "core/surface.h"

typedef struct objective {
    int n;              /* number of parameters */
    int n_samples;      /* training samples; 0 = no data (analytic surface, no batches) */
    int n_aux;          /* doubles of per-run auxiliary state (batch-norm moving averages); 0 = none */
    const void *ctx;    /* what eval reads; not owned by the objective */
    /* Value at theta on the samples idx[0..count) (idx NULL: the whole training set),
     * gradient into grad[n] when grad is not NULL.
     * aux is a run's auxiliary state (n_aux doubles) or NULL. With train = 1 the
     * objective is in training mode: batch normalization uses the batch's statistics
     * and, if aux is not NULL, updates the moving averages in aux. With train = 0 it is
     * in evaluation mode: the moving averages in aux are used (aux NULL: the
     * statistics of the samples given). Non-finite results are returned as they are. */
    double (*eval)(const void *ctx, const double *theta, const int *idx, int count,
                   double *grad, double *aux, int train);
    /* Initial auxiliary state into aux[n_aux]; NULL when n_aux is 0. */
    void (*aux_init)(const void *ctx, double *aux);
} objective;

/* Convenience wrapper: o->eval(o->ctx, ...) in evaluation mode without aux state. */
static inline double objective_eval(const objective *o, const double *theta, const int *idx,
                                    int count, double *grad)
{
    return o->eval(o->ctx, theta, idx, count, grad, NULL, 0);
}

/* An objective viewing surface s (n = 2, no samples). s must outlive it. */
objective objective_from_surface(const surface *s);

#endif
