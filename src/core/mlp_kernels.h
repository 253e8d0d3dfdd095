/*
 * mlp_kernels.h — the vector kernels of landscape_mlp.c: one layer of a multi-layer
 * perceptron over a block of samples (values laid out [unit][S], S samples contiguous
 * per unit), batch moments, batch norm as one multiply-add map, activations and the
 * loss heads. Internal to the core (landscape_mlp.c is the one caller); the maths and
 * the accuracy argument are in landscape_mlp.c's opening comment. Every function is
 * built for AVX-512, AVX2 with FMA and baseline x86-64 and picked at run time
 * (LS_CLONES, vmath.h). S is a multiple of SB unless stated; `rows` ≤ S is how many
 * of the S samples are real (the rest is padding that no statistic sees).
 */
#ifndef LOSSCAPE_MLP_KERNELS_H
#define LOSSCAPE_MLP_KERNELS_H

#include <stddef.h>

#include "core/model.h"
#include "core/vmath.h"

#define VL 8        /* doubles per vector */
#define SB 32       /* samples per register block: 4 vectors */
#define CHUNK 256   /* most samples per pass when samples are independent (a multiple of SB) */
#define MODEL_MAX_HIDDEN 256 /* model.c's limit on a hidden layer's units */
#define MOMENT_D 8  /* inputs up to which the first layer's batch moments come from theirs */
#define DIRECT_D 4  /* inputs up to which the first layer is computed from them, not the products */

LS_INLINE double nonneg(double x)
{
    return x > 0.0 ? x : 0.0;
}

/* Mean and biased variance of v[0..rows) in one pass: sums of e = v − c and e² with
 * the shift c = v[0] (so no cancellation unless v[0] lies many deviations out):
 * μ = c + Σe/n, σ² = Σe²/n − (Σe/n)². v is read up to rows rounded up to a multiple
 * of VL (the last vector's lanes from rows on are masked out). */
void mlpk_row_moments(int rows, const double *restrict v, double *mu, double *var);

/* z[i][s] = bias[i] + Σ_j W[i][j] h[j][s] for s < S (S a multiple of SB), block by
 * block (the block of h, in·SB doubles, stays in L1 while every unit uses it). With
 * mu and var (not NULL), also each unit's mean and biased variance over the first
 * `rows` samples (row_moments, while z is still in cache). */
void mlpk_dense(int S, int in, int out, const double *restrict W,
                const double *restrict bias, const double *restrict h,
                double *restrict z, int rows, double *restrict mu,
                double *restrict var);

/* One first-layer unit: x = z0 + a u + b v over S values; with stats, also the mean
 * and biased variance of the first `rows` (shifted sums as row_moments, same pass). */
void mlpk_first_unit(int S, int rows, const double *restrict z0,
                     const double *restrict u, const double *restrict v, double a,
                     double b, int stats, double *mu, double *var,
                     double *restrict x);

/* One first-layer unit from the three products, in one pass: x = act(α (z0 + a u + b v) + c)
 * (α = 1, c = 0 without batch norm; else bn_affine_n's map), the affine part as the
 * three multiply-adds (α z0) + (α a) u + (α b) v + c. */
void mlpk_first_fused(int S, const double *restrict z0, const double *restrict u,
                      const double *restrict v, double a, double b, double al,
                      double c, model_act act, double *restrict x);

/* The activation in place: relu max(x, 0); tanh and σ from e^−|x| (σ as model.c's). */
void mlpk_activate(model_act act, size_t n, double *restrict v);

/* A hidden unit's S values in place: v ← act(α v + c), the affine part as one
 * multiply-add; act −1: the affine map alone (batch norm after the activation). */
void mlpk_post_apply(int S, double al, double c, int act, double *restrict v);

/* samples per run of products: a multiple of SB */
double mlpk_head2_sum(int S, int rows, int in, const double *restrict wd, double bd,
                      const double *restrict al, const double *restrict c,
                      const double *restrict h, const double *restrict y,
                      double *restrict t);

/* The first layer from the inputs, all h0 units of S samples into h (h0 × S):
 * first_block with weights fw (h0 × d) and biases fc (S a multiple of SB). */
void mlpk_first_direct(int S, int d, const double *restrict in, int h0,
                       const double *restrict fw, const double *restrict fc,
                       model_act act, double *restrict h);

/* The first layer from the inputs and the dense layer after it (out units, weights
 * W, biases bias), block by block of SB samples so that the first layer's values
 * never leave L1: per block, hb = first_block's values of the h0 units (h0 × SB
 * scratch), then z = W hb + bias for that block (dense_block; z: out × S). With mu
 * and var, also z's moments, as dense. */
void mlpk_first_dense(int S, int d, const double *restrict in, int h0,
                      const double *restrict fw, const double *restrict fc,
                      model_act act, int out, const double *restrict W,
                      const double *restrict bias, double *restrict hb,
                      double *restrict z, int rows, double *restrict mu,
                      double *restrict var);

/* Batch normalization γ((v − μ)/√(σ² + ε)) + β of n units as their affine maps α v + c
 * with α = γ/√(σ² + ε) and c = β − α μ (model.c's values to rounding). */
void mlpk_bn_affine_n(int n, const double *restrict mu, const double *restrict var,
                      double eps, const double *restrict g,
                      const double *restrict be, double *restrict al,
                      double *restrict c);

/* Σ over the first `rows` samples of the per-sample loss of logits z[k][S] and
 * targets y (regression: (z − y)²; classes: softmax ce or mse), as model.c's head.
 * L: 4·S doubles of scratch (per-sample losses, max, sum, z_y). */
double mlpk_head_sum(int S, int rows, int k, int regression, int mse,
                     const double *restrict z, const double *restrict y,
                     double *restrict L);

#endif
