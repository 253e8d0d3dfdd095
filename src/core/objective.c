/*
 * objective.c — adapters from concrete problems to the objective interface.
 */
#include "core/objective.h"

#include <stddef.h>

static double surface_objective_eval(const void *ctx, const double *theta, const int *idx,
                                     int count, double *grad, double *aux, int train)
{
    (void)idx, (void)count, (void)aux, (void)train;
    return surface_eval((const surface *)ctx, theta[0], theta[1], grad, NULL);
}

objective objective_from_surface(const surface *s)
{
    return (objective){ .n = 2, .n_samples = 0, .ctx = s, .eval = surface_objective_eval };
}
