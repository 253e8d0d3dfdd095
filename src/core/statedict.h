/*
 * statedict.h — a model's parameters as a PyTorch state dict, in safetensors files.
 *
 * Tensor names are those torch's nn.Sequential of the same model writes:
 *   linear / logistic / softmax   Sequential(Linear)               0.weight [out, in], 0.bias [out]
 *   mlp, per hidden layer         Linear, BatchNorm1d, activation  (bn=1, bn_pos=before)
 *                                 Linear, activation, BatchNorm1d  (bn=1, bn_pos=after)
 *                                 Linear, activation               (bn=0)
 *                                 then the output Linear
 * so mlp:hidden=8,bn=1 is 0.weight 0.bias 1.weight 1.bias 1.running_mean
 * 1.running_var 1.num_batches_tracked 3.weight 3.bias. A Linear's weight is θ's
 * row-major (out × in) block; BatchNorm1d's weight/bias are γ/β; running_mean and
 * running_var are the run's moving averages (aux); num_batches_tracked (I64) is
 * written as the run's step count and ignored when read.
 *
 * Index
 *     statedict_load(m, path, theta, aux, err)
 *     statedict_save(m, path, theta, aux, batches, err)
 */
#ifndef LOSSCAPE_STATEDICT_H
#define LOSSCAPE_STATEDICT_H

#include "core/diag.h"
#include "core/model.h"

/* Read path into theta[model_param_count(m)] and aux[model_aux_count(m)] (aux may be
 * NULL: the moving averages are then not read). The file must hold exactly the
 * model's tensors (F64 or F32), with the model's shapes and finite values (running
 * variances ≥ 0); nothing is written to theta/aux unless all of it is right.
 * Returns 1, or 0 with err->msg naming the tensor and what is wrong (without the path). */
int statedict_load(const model *m, const char *path, double *theta, double *aux, diag *err);

/* Write theta and aux (NULL: the initial moving averages) as F64 tensors, and
 * num_batches_tracked = batches. Atomic. Returns 1, or 0 with err->msg. */
int statedict_save(const model *m, const char *path, const double *theta, const double *aux,
                   long batches, diag *err);

#endif
