/*
 * statedict.c — models ↔ PyTorch state dicts in safetensors. See statedict.h.
 */
#include "core/statedict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safetensors.h"

/* One tensor of the model's state dict: where its numbers live. */
typedef struct sd_entry {
    char name[48];
    int ndim;
    int64_t shape[2];
    int in_aux;           /* 0: θ, 1: aux, 2: num_batches_tracked */
    int off;              /* offset in θ or aux */
    int nonneg;           /* running_var: must be ≥ 0 */
} sd_entry;

#define SD_MAX (MODEL_MAX_LAYERS * 7 + 2)

static void add(sd_entry *e, int *n, int mod, const char *what, int ndim, int a, int b, int in_aux,
                int off)
{
    sd_entry *x = &e[(*n)++];
    snprintf(x->name, sizeof x->name, "%d.%s", mod, what);
    x->ndim = ndim;
    x->shape[0] = a;
    x->shape[1] = b;
    x->in_aux = in_aux;
    x->off = off;
    x->nonneg = !strcmp(what, "running_var");
}

static int entries(const model *m, sd_entry *e)
{
    const model_desc *d = model_get_desc(m);
    int n = 0, mod = 0;
    const int layers = model_layer_count(m);
    for (int l = 0; l < layers; l++) {
        model_layer L = model_layer_get(m, l);
        add(e, &n, mod, "weight", 2, L.out, L.in, 0, L.w_off);
        if (L.b_off >= 0)
            add(e, &n, mod, "bias", 1, L.out, 0, 0, L.b_off);
        if (l == layers - 1)
            break;
        int bn_mod = -1;
        if (L.g_off >= 0) {
            bn_mod = d->bn_after ? mod + 2 : mod + 1;
            add(e, &n, bn_mod, "weight", 1, L.out, 0, 0, L.g_off);
            add(e, &n, bn_mod, "bias", 1, L.out, 0, 0, L.be_off);
            add(e, &n, bn_mod, "running_mean", 1, L.out, 0, 1, L.mu_off);
            add(e, &n, bn_mod, "running_var", 1, L.out, 0, 1, L.mu_off + L.out);
            add(e, &n, bn_mod, "num_batches_tracked", 0, 0, 0, 2, 0);
        }
        mod += bn_mod >= 0 ? 3 : 2;
    }
    return n;
}

static size_t entry_count(const sd_entry *x)
{
    return x->ndim == 2 ? (size_t)(x->shape[0] * x->shape[1]) : x->ndim == 1 ? (size_t)x->shape[0] : 1;
}

static void shape_text(char *buf, size_t size, int ndim, const int64_t *shape)
{
    size_t len = (size_t)snprintf(buf, size, "[");
    for (int k = 0; k < ndim && len < size; k++)
        len += (size_t)snprintf(buf + len, size - len, k ? ", %lld" : "%lld", (long long)shape[k]);
    if (len < size)
        snprintf(buf + len, size - len, "]");
}

int statedict_load(const model *m, const char *path, double *theta, double *aux, diag *err)
{
    sd_entry e[SD_MAX];
    int n = entries(m, e);
    st_file f;
    if (!st_load(path, &f, err))
        return 0;
    int ok = 0;
    double *th = malloc(((size_t)model_param_count(m) + 1) * sizeof *th);
    double *ax = malloc(((size_t)model_aux_count(m) + 1) * sizeof *ax);
    if (!th || !ax) {
        diag_set(err, 0, 0, "out of memory");
        goto out;
    }
    for (int i = 0; i < f.count; i++) {
        int known = 0;
        for (int k = 0; k < n && !known; k++)
            known = !strcmp(f.tensors[i].name, e[k].name);
        if (!known) {
            diag_set(err, 0, 0, "tensor '%s' is not a parameter of this model (it has %s%s...)",
                     f.tensors[i].name, e[0].name, n > 1 ? ", 0.bias" : "");
            goto out;
        }
    }
    for (int k = 0; k < n; k++) {
        const st_tensor *t = st_find(&f, e[k].name);
        if (!t) {
            if (e[k].in_aux == 2)
                continue;   /* num_batches_tracked is optional */
            diag_set(err, 0, 0, "missing tensor '%s' (the model needs it)", e[k].name);
            goto out;
        }
        if (e[k].in_aux == 2)
            continue;
        if (t->dtype == ST_I64) {
            diag_set(err, 0, 0, "tensor '%s' is I64; parameters are F64 or F32", e[k].name);
            goto out;
        }
        int same = t->ndim == e[k].ndim;
        for (int q = 0; same && q < t->ndim; q++)
            same = t->shape[q] == e[k].shape[q];
        if (!same) {
            char have[96], want[64];
            shape_text(have, sizeof have, t->ndim, t->shape);
            shape_text(want, sizeof want, e[k].ndim, e[k].shape);
            diag_set(err, 0, 0, "tensor '%s' has shape %s, the model needs %s", e[k].name, have, want);
            goto out;
        }
        double *dst = e[k].in_aux ? ax : th;
        for (size_t i = 0; i < entry_count(&e[k]); i++) {
            double v = st_get(&f, t, i);
            if (!isfinite(v) || (e[k].nonneg && v < 0)) {
                diag_set(err, 0, 0, "tensor '%s' element %zu is %g (%s)", e[k].name, i, v,
                         isfinite(v) ? "a variance must be >= 0" : "not finite");
                goto out;
            }
            dst[e[k].off + (int)i] = v;
        }
    }
    memcpy(theta, th, (size_t)model_param_count(m) * sizeof *th);
    if (aux)
        memcpy(aux, ax, (size_t)model_aux_count(m) * sizeof *ax);
    ok = 1;
out:
    free(th);
    free(ax);
    st_free(&f);
    return ok;
}

int statedict_save(const model *m, const char *path, const double *theta, const double *aux,
                   long batches, diag *err)
{
    sd_entry e[SD_MAX];
    int n = entries(m, e);
    st_out o[SD_MAX];
    double *init = NULL;
    if (!aux && model_aux_count(m) > 0) {
        init = malloc((size_t)model_aux_count(m) * sizeof *init);
        if (!init)
            return diag_set(err, 0, 0, "out of memory");
        model_aux_init(m, init);
        aux = init;
    }
    for (int k = 0; k < n; k++) {
        o[k] = (st_out){ .name = e[k].name, .ndim = e[k].ndim };
        o[k].shape[0] = e[k].shape[0];
        o[k].shape[1] = e[k].shape[1];
        if (e[k].in_aux == 2) {
            o[k].dtype = ST_I64;
            o[k].i64 = batches;
        } else {
            o[k].dtype = ST_F64;
            o[k].f64 = (e[k].in_aux ? aux : theta) + e[k].off;
        }
    }
    int ok = st_save(path, o, n, err);
    free(init);
    return ok;
}
