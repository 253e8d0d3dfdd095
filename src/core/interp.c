/*
 * interp.c — the loss along a line between two parameter vectors. See interp.h.
 */
#include "core/interp.h"

#include <math.h>
#include <stdlib.h>

void interp_theta(const interp_desc *d, double t, double *theta, double *aux)
{
    int n = model_param_count(d->model), na = model_aux_count(d->model);
    for (int k = 0; k < n; k++)
        theta[k] = (1 - t) * d->theta0[k] + t * d->theta1[k];
    if (!aux || na == 0)
        return;
    double *init = NULL;
    if (!d->aux0 || !d->aux1) {
        init = malloc((size_t)na * sizeof *init);
        if (!init) {   /* fall back to the initial state of each end alone */
            model_aux_init(d->model, aux);
            return;
        }
        model_aux_init(d->model, init);
    }
    const double *a0 = d->aux0 ? d->aux0 : init, *a1 = d->aux1 ? d->aux1 : init;
    for (int k = 0; k < na; k++)
        aux[k] = (1 - t) * a0[k] + t * a1[k];
    free(init);
    /* running variances follow the means in each batch-norm layer (model.h) */
    for (int l = 0; l < model_layer_count(d->model); l++) {
        model_layer ly = model_layer_get(d->model, l);
        if (ly.mu_off < 0)
            continue;
        for (int k = 0; k < ly.out; k++)
            if (aux[ly.mu_off + ly.out + k] < 0)
                aux[ly.mu_off + ly.out + k] = 0;
    }
}

int interp_eval(const interp_desc *d, double t, interp_point *out)
{
    int n = model_param_count(d->model), na = model_aux_count(d->model);
    double *theta = malloc(((size_t)n + (size_t)na + 1) * sizeof *theta);
    if (!theta)
        return 0;
    double *aux = na > 0 ? theta + n : NULL;
    interp_theta(d, t, theta, aux);
    int classes = d->train->task == DATA_CLASSIFICATION;
    out->t = t;
    out->train_loss = model_loss(d->model, d->loss, d->train, theta, NULL, 0, NULL, aux, 0);
    out->train_acc = classes ? model_accuracy(d->model, theta, aux, d->train) : NAN;
    out->test_loss = out->test_acc = NAN;
    if (d->test) {
        out->test_loss = model_loss(d->model, d->loss, d->test, theta, NULL, 0, NULL, aux, 0);
        out->test_acc = classes ? model_accuracy(d->model, theta, aux, d->test) : NAN;
    }
    free(theta);
    return 1;
}
