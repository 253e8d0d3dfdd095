/*
 * model_fast.h — vectorized sums of one-layer models' losses over many samples
 * (internal to src/core: model.c calls it for large sample counts).
 *
 *     single_desc      what the kernel needs to know of a linear, logistic or softmax
 *                      model: features, outputs, bias, the head and the loss
 *     single_fast_sum(sd, ds, theta, idx, row0, count, grad, total)
 *         Σ over rows r = idx[row0 + j] (idx NULL: row0 + j), j < count, of the
 *         per-sample loss into *total, and (grad not NULL) the per-sample gradients
 *         added into grad (θ layout: W row-major, then b). Returns 1, or 0 when a
 *         label is not a class 0..k−1 (the caller's scalar path gives NaN) — nothing
 *         is added then.
 *
 * The per-sample formulas are model.c's (softplus(z) − y z, softmax through
 * log-sum-exp, σ from e^−|z|), with the exp/log of vmath.h (≈ 1 ulp) in blocks of
 * samples laid out for the vectorizer.
 */
#ifndef LOSSCAPE_MODEL_FAST_H
#define LOSSCAPE_MODEL_FAST_H

#include "core/data.h"

typedef struct single_desc {
    int d, k;           /* features; outputs (1 for regression and logistic) */
    int bias;           /* 1: b follows W in θ */
    int regression;     /* 1: z is the prediction (mse only) */
    int logistic;       /* 1: one logit, σ head */
    int mse;            /* 1: mse (on probabilities for classes); 0: ce */
} single_desc;

int single_fast_sum(const single_desc *sd, const dataset *ds, const double *theta,
                    const int *idx, int row0, int count, double *grad, double *total);

#endif
