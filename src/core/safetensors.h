/*
 * safetensors.h — the safetensors file format (Hugging Face), read and written.
 *
 * A file is: an 8-byte little-endian unsigned header length N; N bytes of JSON, an
 * object mapping each tensor name to {"dtype": "F64", "shape": [2, 3],
 * "data_offsets": [begin, end]} (plus an optional "__metadata__" object of strings);
 * then the raw little-endian data, offsets counted from the end of the header.
 * Read: dtypes F64, F32 (converted to double) and I64 (torch's num_batches_tracked);
 * written: F64 (and I64). Every offset and length is checked against the file
 * before anything is read; a tensor's bytes must be exactly its shape's.
 *
 * Index
 *     st_dtype, st_tensor, st_file
 *     st_parse(buf, size, f, err)   from memory (f refers into buf)
 *     st_load(path, f, err)         whole file into memory, then st_parse
 *     st_find(f, name)
 *     st_get(f, t, i)               element i as a double
 *     st_free(f)
 *     st_out, st_save(path, tensors, count, err)   atomic (outfile.h)
 */
#ifndef LOSSCAPE_SAFETENSORS_H
#define LOSSCAPE_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

#define ST_MAX_NAME 128
#define ST_MAX_DIMS 8
#define ST_MAX_TENSORS 4096
#define ST_MAX_HEADER (100u << 20)   /* the format's own limit on the JSON header: 100 MB */

typedef enum st_dtype { ST_F64 = 0, ST_F32, ST_I64 } st_dtype;

typedef struct st_tensor {
    char name[ST_MAX_NAME];
    st_dtype dtype;
    int ndim;                       /* 0 = a scalar */
    int64_t shape[ST_MAX_DIMS];
    size_t count;                   /* elements: the product of shape */
    size_t begin, end;              /* byte offsets in the data section */
} st_tensor;

typedef struct st_file {
    unsigned char *owned;           /* st_load's buffer (NULL after st_parse) */
    const unsigned char *data;      /* the data section */
    size_t data_size;
    int count;
    st_tensor *tensors;
} st_file;

/* Parse a whole file held in buf[0..size). f->data points into buf. Returns 1, or 0
 * with err->msg saying what is wrong (never crashes on any bytes). */
int st_parse(const unsigned char *buf, size_t size, st_file *f, diag *err);

/* Read the file at path and parse it. err->msg does not repeat the path. */
int st_load(const char *path, st_file *f, diag *err);

/* The tensor of that name, or NULL. */
const st_tensor *st_find(const st_file *f, const char *name);

/* Element i (row-major) of tensor t, as a double. */
double st_get(const st_file *f, const st_tensor *t, size_t i);

void st_free(st_file *f);

typedef struct st_out {
    const char *name;
    st_dtype dtype;                 /* ST_F64 or ST_I64 */
    int ndim;
    int64_t shape[ST_MAX_DIMS];
    const double *f64;              /* ST_F64: count doubles */
    int64_t i64;                    /* ST_I64: a scalar (ndim 0) */
} st_out;

/* Write the tensors to path (atomically). Returns 1, or 0 with err->msg. */
int st_save(const char *path, const st_out *tensors, int count, diag *err);

#endif
