/*
 * landscape_mlp.h — the multi-layer perceptron path of landscape_eval_grid
 * (internal to src/core; landscape.c calls it, tests reach it through
 * landscape_eval_grid).
 *
 *     landscape_grid_mlp(desc, count, loss, values)
 *         1: values filled (values[j*nx + i], as landscape_eval_grid);
 *         0: out of memory; −1: not this path's case (not an mlp of this data,
 *         ce on regression, labels that are not classes 0..k−1, no samples):
 *         the caller takes the generic path.
 */
#ifndef LOSSCAPE_LANDSCAPE_MLP_H
#define LOSSCAPE_LANDSCAPE_MLP_H

#include "core/landscape.h"

int landscape_grid_mlp(const landscape_desc *g, int count, loss_kind loss, double *values);

#endif
