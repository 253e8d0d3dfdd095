/*
 * data_internal.h — what data.c and data_csv.c share. Not part of the public API
 * (data.h).
 */
#ifndef LOSSCAPE_DATA_INTERNAL_H
#define LOSSCAPE_DATA_INTERNAL_H

#include <stddef.h>

#include "core/data.h"

/* A data set of n rows of d features, x and y allocated (uninitialized), everything
 * else zero; NULL when out of memory. */
dataset *data_new(int n, int d);

typedef struct csv_opts {
    const char *target;     /* NULL: the last column */
    size_t target_len;
    int task;               /* −1: from want_classes */
    int general_only;       /* 1: every row the general way, none the one-pass way
                               (the fuzz target compares the two) */
} csv_opts;

/* Loads a CSV file by the rules in data.c's header; NULL with err filled. */
dataset *data_csv_load(const char *path, const csv_opts *o, int want_classes, diag *err);

/* Options of a CSV spec: target=NAME|INDEX, task=regression|classification (the
 * item grammar of textparse.h); 0 with err filled. */
int data_csv_options(const char *spec, size_t opt, const char *path, csv_opts *o, diag *err);

#endif
