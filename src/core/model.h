/*
 * model.h — models and losses with exact gradients by backpropagation, as an
 * objective over their parameter vector.
 *
 * Models (spec NAME[:key=value,...]):
 *   linear     ŷ = w·x + b                  keys bias=1 (bias=0: no b; with 2 features
 *                                           the two weights are the surface's axes)
 *   logistic   p = σ(w·x + b)               binary classification, keys bias=1
 *   softmax    p = softmax(W x + b)         k classes, keys bias=1
 *   mlp        hidden layers then a linear output (k logits for classification,
 *              1 value for regression)      keys hidden=8x8 act=relu|tanh|sigmoid
 *                                           bn=0|1 (batch norm) bn_pos=before|after
 *                                           (the activation) momentum=0.9 (p below)
 *
 * Batch normalization (per hidden unit): training mode uses the batch mean μ and
 * variance σ² (biased, as in torch), ẑ = (z − μ)/√(σ² + ε), out = γẑ + β with
 * learnable γ (starts at 1) and β (starts at 0), and updates the moving averages
 * μ̄ ← p μ̄ + (1 − p) μ, σ̄² ← p σ̄² + (1 − p) s² (the lecture's form; torch's momentum is
 * 1 − p), where s² is the unbiased batch variance, as torch stores it (normalization
 * itself uses the biased σ²). Evaluation mode uses μ̄ and σ̄². The moving averages are a run's auxiliary
 * state (objective.n_aux), not parameters.
 *
 * Losses: mse — mean over samples of the squared error, summed over outputs
 * (classification: between the predicted probabilities and the one-hot target);
 * ce — softmax cross-entropy (binary cross-entropy for logistic) through
 * log-sum-exp, numerically stable. Losses are means over the samples given.
 *
 * Parameter layout (θ): layer by layer, each layer's weights row-major (out × in),
 * then its biases, then (batch norm) γ then β. model_param_name tells which is which.
 *
 * Index
 *     model_kind, model_act, loss_kind, model_desc
 *     model_desc_parse(spec, desc, err)
 *     model_create(desc, d_in, task, n_classes, err) / model_destroy(m)
 *     model_param_count(m), model_aux_count(m), model_param_name(m, i, buf, size)
 *     model_init_params(m, seed, theta)          (the same seed gives the same θ)
 *     model_aux_init(m, aux)
 *     model_loss(m, loss, ds, theta, idx, count, grad, aux, train)
 *     model_loss_plain(...)                      the same, one thread, no vectors
 *     model_predict(m, theta, aux, x, count, out)   outputs per sample
 *     model_accuracy(m, theta, aux, ds)
 *     model_loss_accuracy(m, loss, ds, theta, aux, &loss, &acc)   both from one pass
 *     model_objective(ctx) / model_objective_ctx     an objective for the trainer
 *     model_layer_count(m), model_layer_get(m, l)    θ and aux layout, layer by layer
 */
#ifndef LOSSCAPE_MODEL_H
#define LOSSCAPE_MODEL_H

#include <stdint.h>

#include "core/data.h"
#include "core/diag.h"
#include "core/objective.h"

#define MODEL_MAX_LAYERS 8

typedef enum model_kind {
    MODEL_DEFAULT = 0,      /* linear for regression, logistic for 2 classes, softmax for more */
    MODEL_LINEAR,
    MODEL_LOGISTIC,
    MODEL_SOFTMAX,
    MODEL_MLP
} model_kind;

typedef enum model_act { ACT_RELU = 0, ACT_TANH, ACT_SIGMOID } model_act;

typedef enum loss_kind {
    LOSS_DEFAULT = 0,       /* mse for regression, ce for classification */
    LOSS_MSE,
    LOSS_CE
} loss_kind;

typedef struct model_desc {
    model_kind kind;
    int no_bias;            /* 1: linear/logistic/softmax without bias */
    int n_hidden;           /* mlp: hidden layers (default 1) */
    int hidden[MODEL_MAX_LAYERS]; /* mlp: units per hidden layer (default 8) */
    model_act act;          /* mlp: activation */
    int bn;                 /* mlp: 1 = batch normalization in every hidden layer */
    int bn_after;           /* mlp: 1 = after the activation; 0 = before (default) */
    double bn_momentum;     /* p in μ̄ ← p μ̄ + (1−p) μ; 0 → 0.9 (unless bn_momentum_zero) */
    int bn_momentum_zero;   /* 1: p is exactly 0 (the moving averages are the last batch's) */
    double bn_eps;          /* ε in the normalization; 0 → 1e-5 */
} model_desc;

/* Parse a model spec into *desc. Returns 1, or 0 with err (column in spec). */
int model_desc_parse(const char *spec, model_desc *desc, diag *err);

typedef struct model model;

/* A model for d_in features. For DATA_CLASSIFICATION with n_classes k: logistic needs
 * k = 2; softmax and mlp output k logits. Regression: 1 output (logistic and softmax
 * are refused). MODEL_DEFAULT is resolved from the task. Returns NULL with err on
 * a mismatch. Free with model_destroy. */
model *model_create(const model_desc *desc, int d_in, data_task task, int n_classes, diag *err);
void model_destroy(model *m);

int model_param_count(const model *m);
int model_aux_count(const model *m);
const model_desc *model_get_desc(const model *m);   /* kind resolved */
/* A readable name for parameter i, e.g. "w1", "b", "W[2,0]", "l1.W[3,2]", "l1.gamma[0]", "out.b[1]". */
void model_param_name(const model *m, int i, char *buf, int size);

/* Initial parameters: linear/logistic/softmax all zero... except as documented in
 * model.c; mlp weights He/Xavier-scaled normals from the seed, biases 0, γ 1, β 0. */
void model_init_params(const model *m, uint64_t seed, double *theta);
void model_aux_init(const model *m, double *aux);

/* Mean loss over the samples idx[0..count) of ds (idx NULL: all rows), gradient into
 * grad (if not NULL). train/aux as in objective.h. */
double model_loss(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                  const int *idx, int count, double *grad, double *aux, int train);

/* model_loss's plain path: one thread, sample by sample, whatever the count
 * (model_loss takes vectorized, threaded sums from 16384 independent samples on;
 * the two agree to ~1e-15 relative). For tests and benchmarks. */
double model_loss_plain(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                        const int *idx, int count, double *grad, double *aux, int train);

/* Outputs for `count` samples x (count × d_in): regression values, or class
 * probabilities (count × k; logistic: count × 1, the probability of class 1).
 * Evaluation mode (aux's moving averages; aux NULL: batch statistics). */
void model_predict(const model *m, const double *theta, const double *aux, const double *x,
                   int count, double *out);

/* Fraction of ds classified correctly (evaluation mode); regression: 0. */
double model_accuracy(const model *m, const double *theta, const double *aux, const dataset *ds);

/* The mean loss over the whole of ds in evaluation mode (model_loss with idx NULL,
 * grad NULL, train 0) and model_accuracy, from one forward pass of the samples (rows
 * in parallel when there are many). The accuracy equals model_accuracy's; the loss
 * equals model_loss's below MODEL_BIG samples and to rounding above (there model_loss
 * sums in other orders). Returns 1, or 0 (out of memory: both NaN). */
int model_loss_accuracy(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                        const double *aux, double *mean_loss, double *accuracy);

/* What a model objective reads: set its fields, then model_objective(&ctx). */
typedef struct model_objective_ctx {
    const model *model;
    const dataset *data;    /* the training set */
    loss_kind loss;
    const double *aux0;     /* initial moving averages (model_aux_count); NULL: model_aux_init's */
} model_objective_ctx;

/* An objective over the model's parameters on ctx->data (ctx must outlive it). */
objective model_objective(const model_objective_ctx *ctx);

/* Structure, for filter-normalized directions (landscape.h): input features, output
 * values (logits), and θ split into filters in θ order — per layer each row of W is a
 * weight filter (is_weight 1), then the layer's biases, γ and β are one group each
 * (is_weight 0). Filters cover θ exactly once. */
int model_input_count(const model *m);
int model_output_count(const model *m);
int model_filter_count(const model *m);
void model_filter(const model *m, int k, int *offset, int *len, int *is_weight);

/* Layer l's layout (0 ≤ l < model_layer_count(m); the last is the output layer):
 * widths, the offsets in θ of W (out × in, row-major), b, γ and β (−1 where absent)
 * and the offset in aux of the moving means (the variances follow; −1 without bn).
 * For fast paths that evaluate the model their own way (landscape_mlp.c). */
typedef struct model_layer {
    int in, out;
    int w_off, b_off, g_off, be_off;
    int mu_off;
} model_layer;
int model_layer_count(const model *m);
model_layer model_layer_get(const model *m, int l);

#endif
