/*
 * model_internal.h — what model.c, model_net.c and model_loss.c share: the model's
 * layout and the layer-by-layer block evaluation. Not part of the public API (model.h).
 */
#ifndef LOSSCAPE_MODEL_INTERNAL_H
#define LOSSCAPE_MODEL_INTERNAL_H

#include <math.h>
#include <stddef.h>

#include "core/model.h"

#define MODEL_MAX_HIDDEN_UNITS 256
#define MODEL_CHUNK 256          /* rows per block when rows are independent */
#define MODEL_BIG 16384          /* samples from which a sum goes vectorized and threaded */
#define MODEL_MAX_OUT DATA_MAX_CLASSES

struct model {
    model_desc desc;             /* kind and defaults resolved */
    int d_in;
    data_task task;
    int n_classes;               /* classification: k; regression: 0 */
    int n_out;                   /* output layer width */
    int n_layers;                /* fully connected layers, output included */
    int width[MODEL_MAX_LAYERS + 2]; /* width[0] = d_in, width[l + 1] = layer l's outputs */
    int w_off[MODEL_MAX_LAYERS + 1];
    int b_off[MODEL_MAX_LAYERS + 1];  /* -1: no bias */
    int g_off[MODEL_MAX_LAYERS + 1];  /* γ; -1: no bn */
    int be_off[MODEL_MAX_LAYERS + 1]; /* β */
    int mu_off[MODEL_MAX_LAYERS + 1]; /* aux moving means; variances follow */
    int n_params;
    int n_aux;
    double p;                    /* bn momentum */
    double eps;
};

static inline double sigmoid(double z)
{
    if (z >= 0.0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

/* ---- the general path (model_net.c): a block of rows, layer by layer ---------- */

typedef struct block {
    int rows;
    double *in;                              /* rows × d_in, the gathered inputs */
    double *a[MODEL_MAX_LAYERS + 1];         /* rows × width: hidden outputs; last = logits */
    double *h[MODEL_MAX_LAYERS];             /* bn after: activation outputs before bn */
    double *nrm[MODEL_MAX_LAYERS];           /* bn: normalized values */
    double *inv_s[MODEL_MAX_LAYERS];         /* bn: 1/√(σ² + ε) per unit */
    double *d0, *d1;                         /* rows × max width: back-propagated deltas */
    double *wt;                              /* a layer's weights transposed (max in × w) */
} block;

/* Doubles a block of `rows` rows needs; model_block_carve lays them out in mem. */
size_t model_block_doubles(const model *m, int rows);
void model_block_carve(const model *m, int rows, double *mem, block *b);
/* Forward pass of rows x (gathered already into b->in); logits end in b->a[last]. */
void model_forward(const model *m, const double *theta, block *b, double *aux, int batch,
                   int train);
/* Backward pass from the deltas at the logits (in b->d0, rows × n_out), unscaled sums
 * into grad. */
void model_backward(const model *m, const double *theta, block *b, double *grad, int batch);
/* Rows idx[first + r] (idx NULL: first + r) of x into in, r < rows. */
void model_gather(const model *m, const double *x, const int *idx, int first, int rows,
                  double *in);
/* Whether batch normalization needs the statistics of the whole batch at once. */
int model_needs_batch(const model *m, const double *aux, int train);

#endif
