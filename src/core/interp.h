/*
 * interp.h — the loss along a straight line between two parameter vectors
 * (Goodfellow, Vinyals & Saxe 2015, "Qualitatively characterizing neural network
 * optimization problems"): θ(t) = (1 − t)·θ₀ + t·θ₁, usually for t in [−0.5, 1.5].
 *
 * The model's auxiliary state (batch-norm running means and variances) moves along
 * the same line, aux(t) = (1 − t)·aux₀ + t·aux₁, as interpolating two torch state
 * dicts tensor by tensor does; where that extrapolates a running variance below 0
 * (t < 0 or t > 1) it is clamped at 0 (torch would take the square root of a
 * negative number and give NaN). Every value is in evaluation mode (the running
 * statistics), on the whole training or test set.
 *
 * Index
 *     interp_desc, interp_point
 *     interp_theta(d, t, theta, aux)      θ(t) and aux(t)
 *     interp_eval(d, t, out)              losses and accuracies at t
 */
#ifndef LOSSCAPE_INTERP_H
#define LOSSCAPE_INTERP_H

#include "core/data.h"
#include "core/model.h"

typedef struct interp_desc {
    const model *model;
    loss_kind loss;
    const dataset *train;           /* required */
    const dataset *test;            /* NULL: no test set */
    const double *theta0, *theta1;  /* model_param_count(model) numbers each */
    const double *aux0, *aux1;      /* model_aux_count(model) each; NULL: model_aux_init's */
} interp_desc;

typedef struct interp_point {
    double t;
    double train_loss, train_acc;   /* accuracy NaN for regression */
    double test_loss, test_acc;     /* NaN without a test set (test_acc: or regression) */
} interp_point;

/* θ(t) into theta[model_param_count] and aux(t) into aux[model_aux_count] (aux may be
 * NULL when the model has none). */
void interp_theta(const interp_desc *d, double t, double *theta, double *aux);

/* The losses and accuracies at θ(t). Returns 1, or 0 if out of memory. */
int interp_eval(const interp_desc *d, double t, interp_point *out);

#endif
