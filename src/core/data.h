/*
 * data.h — data sets: seeded synthetic generators, CSV loading, train/test split,
 * feature standardization.
 *
 * A dataset is n rows of d numeric features and one target. For regression the
 * target is a real value; for classification it is a class index 0..k−1 stored as
 * a double (k = n_classes ≥ 2).
 *
 * Generators (spec NAME[:key=value,...], every one seeded):
 *   scales     regression, 2 features of very different scales (the feature-
 *              normalization demo): y = w1·x1 + w2·x2 + noise, x1 ~ N(0, 1),
 *              x2 ~ N(0, scale²). keys n=256 scale=100 noise=0.1 w1=2 w2=0.03
 *   linear     regression, 2 features of similar scale. keys n=256 noise=0.1 w1=2 w2=-1 b=0.5
 *   blobs      k Gaussian blobs. keys n=256 k=3 spread=1.0
 *   moons      two interleaving half circles. keys n=256 noise=0.1
 *   circles    two concentric circles. keys n=256 noise=0.05 factor=0.5
 *   xor        four quadrant clusters, labels by sign(x1·x2). keys n=256 noise=0.1
 *   spiral     k interleaved spirals. keys n=256 k=2 noise=0.1
 *
 * CSV (spec FILE.csv[:target=NAME|INDEX,task=regression|classification]): a header
 * row of column names, then numeric rows; the target is the last column unless
 * `target` names a column or gives its number (1 = first, −1 = last); task defaults
 * to classification when the caller asks for it (data_load's `want_classes`), else
 * regression. Class labels are whole numbers with at most DATA_MAX_CLASSES distinct
 * values; sorted ascending they become the classes 0..k−1. Blank lines are skipped.
 * Every defect is an error with its line and column: missing or non-numeric value,
 * ragged row, empty file, NaN or Inf, more than DATA_MAX_COLUMNS columns or
 * DATA_MAX_ROWS rows, a classification target with a single class or a non-integer
 * label. The full rules are at the top of data.c.
 *
 * Index
 *     dataset, data_task
 *     data_load(spec, seed, want_classes, err)   generator or CSV → new dataset
 *     data_destroy(ds)
 *     data_split(all, frac, seed, &train, &test, err)
 *     data_split_take(all, frac, seed, &train, &test, err)   the same, all becomes train
 *     data_standardize(train, test)              statistics from train only
 *     data_scale_features(train, test)           the same without centring
 *     data_generator_count(), data_generator_name(i), data_generator_help(i)
 */
#ifndef LOSSCAPE_DATA_H
#define LOSSCAPE_DATA_H

#include <stdint.h>

#include "core/diag.h"

#define DATA_MAX_COLUMNS 256
#define DATA_MAX_ROWS    1000000
#define DATA_MAX_CLASSES 64
#define DATA_MAX_BYTES   (256L << 20)   /* CSV files larger than this are refused */

typedef enum data_task {
    DATA_REGRESSION = 0,
    DATA_CLASSIFICATION
} data_task;

typedef struct dataset {
    int n;                  /* rows */
    int d;                  /* features */
    double *x;              /* n × d, row-major; owned */
    double *y;              /* n targets (class index as a double for classification); owned */
    data_task task;
    int n_classes;          /* classification: k ≥ 2; regression: 0 */
    char name[64];          /* generator name or file stem */
    char feature_names[8][32]; /* first features' names (for axis labels), "x1", "x2"... */
} dataset;

/* A generator spec ("moons:n=512,noise=0.1") or a CSV spec ("data.csv:target=y").
 * want_classes: 1 when the model is a classifier (CSV targets are then read as
 * labels). Returns a new dataset (free with data_destroy) or NULL with err filled;
 * for CSV errors err->line/column point into the file, and err->msg begins with
 * the file name. */
dataset *data_load(const char *spec, uint64_t seed, int want_classes, diag *err);

void data_destroy(dataset *ds);    /* NULL is a no-op */

/* Split `all` into a training part and a held-out part of round(frac·n) rows, after
 * a seeded shuffle. frac = 0 gives test = NULL and train = a copy of all. Returns 1,
 * or 0 with err (e.g. "split leaves no training rows"). The caller owns both. */
int data_split(const dataset *all, double frac, uint64_t seed, dataset **train,
               dataset **test, diag *err);

/* data_split that takes `all` over (the caller's pointer is consumed, whatever the
 * outcome): the training part is `all` itself, its test rows taken out in place
 * (frac = 0: all as it is, no copy, no shuffle). The same rows in the same order as
 * data_split gives, bit for bit; at 10^6 rows it saves a copy of the data set. */
int data_split_take(dataset *all, double frac, uint64_t seed, dataset **train,
                    dataset **test, diag *err);

/* Standardize every feature to mean 0, deviation 1 using the training part's
 * statistics (a constant feature is only centred); test (may be NULL) gets the
 * same transform. */
void data_standardize(dataset *train, dataset *test);

/* Divide every feature by its training deviation (around the mean) without
 * centring it: for a model without a bias this is a reparametrization of the same
 * regression (the same minimum loss), which centring is not (the bias-free model
 * could no longer fit the part of y that the features' means carried). */
void data_scale_features(dataset *train, dataset *test);

int data_generator_count(void);
const char *data_generator_name(int i);
const char *data_generator_help(int i);

#endif
