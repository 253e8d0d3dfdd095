/*
 * model_loss.c — losses, gradients, predictions and accuracy of the models of
 * model.c: the head (output values → loss), one-layer models sample by sample,
 * the general path in blocks (model_net.c), and large sums vectorized and threaded
 * (model_fast.c). See model.c for the maths.
 */
#include "core/model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/model_fast.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* ---- the head: output values → loss and its derivative -------------------- */

static double softplus(double z) { return fmax(z, 0.0) + log1p(exp(-fabs(z))); }

/* Loss of one sample with output values z[n_out] and target y; dz (if not NULL)
 * receives dloss/dz. NaN for a label out of range or ce on regression. */
static double head(const model *m, loss_kind loss, const double *z, double y, double *dz)
{
    if (m->task == DATA_REGRESSION) {
        if (loss != LOSS_MSE) {
            if (dz)
                dz[0] = NAN;
            return NAN;
        }
        double r = z[0] - y;
        if (dz)
            dz[0] = 2.0 * r;
        return r * r;
    }
    int k = m->n_out;
    if (m->desc.kind == MODEL_LOGISTIC) {
        double s = sigmoid(z[0]);
        if (loss == LOSS_CE) {
            if (dz)
                dz[0] = s - y;
            return softplus(z[0]) - y * z[0];
        }
        double r = s - y;
        if (dz)
            dz[0] = 2.0 * r * s * (1.0 - s);
        return r * r;
    }
    int c = (int)y;
    if (!(y >= 0.0) || c >= k || (double)c != y) {
        if (dz)
            for (int i = 0; i < k; i++)
                dz[i] = NAN;
        return NAN;
    }
    double zmax = z[0];
    for (int i = 1; i < k; i++)
        zmax = fmax(zmax, z[i]);
    double pr[MODEL_MAX_OUT];
    double sum = 0.0;
    for (int i = 0; i < k; i++) {
        pr[i] = exp(z[i] - zmax);
        sum += pr[i];
    }
    for (int i = 0; i < k; i++)
        pr[i] /= sum;
    if (loss == LOSS_CE) {
        if (dz)
            for (int i = 0; i < k; i++)
                dz[i] = pr[i] - (i == c);
        return zmax + log(sum) - z[c];
    }
    /* mse on probabilities: g_i = 2 (p_i − t_i); dz_i = p_i (g_i − Σ_j g_j p_j) */
    double l = 0.0, gp = 0.0;
    for (int i = 0; i < k; i++) {
        double r = pr[i] - (i == c);
        l += r * r;
        gp += 2.0 * r * pr[i];
    }
    if (dz)
        for (int i = 0; i < k; i++)
            dz[i] = pr[i] * (2.0 * (pr[i] - (i == c)) - gp);
    return l;
}

/* Output values → predictions (regression value, σ, or softmax probabilities). */
static void head_predict(const model *m, const double *z, double *out)
{
    if (m->task == DATA_REGRESSION) {
        out[0] = z[0];
        return;
    }
    if (m->desc.kind == MODEL_LOGISTIC) {
        out[0] = sigmoid(z[0]);
        return;
    }
    int k = m->n_out;
    double zmax = z[0];
    for (int i = 1; i < k; i++)
        zmax = fmax(zmax, z[i]);
    double sum = 0.0;
    for (int i = 0; i < k; i++) {
        out[i] = exp(z[i] - zmax);
        sum += out[i];
    }
    for (int i = 0; i < k; i++)
        out[i] /= sum;
}

/* ---- one-layer models: sample by sample, no workspace --------------------- */

static double single_sum(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                         const int *idx, int count, double *grad)
{
    const int d = m->d_in, k = m->n_out;
    const double *W = theta + m->w_off[0];
    const double *b = m->b_off[0] >= 0 ? theta + m->b_off[0] : NULL;
    double *gW = grad ? grad + m->w_off[0] : NULL;
    double *gb = grad && b ? grad + m->b_off[0] : NULL;
    double total = 0.0;
    double z[MODEL_MAX_OUT], dz[MODEL_MAX_OUT];
    for (int s = 0; s < count; s++) {
        int row = idx ? idx[s] : s;
        const double *x = ds->x + (size_t)row * d;
        for (int i = 0; i < k; i++) {
            const double *w = W + (size_t)i * d;
            double acc = b ? b[i] : 0.0;
            for (int j = 0; j < d; j++)
                acc += w[j] * x[j];
            z[i] = acc;
        }
        total += head(m, loss, z, ds->y[row], grad ? dz : NULL);
        if (grad) {
            for (int i = 0; i < k; i++) {
                double *gw = gW + (size_t)i * d;
                for (int j = 0; j < d; j++)
                    gw[j] += dz[i] * x[j];
                if (gb)
                    gb[i] += dz[i];
            }
        }
    }
    return total;
}

/* Rows idx[row0 + j] (idx NULL: row0 + j) for j < count. */
static double general_sum(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                          const int *idx, int row0, int count, double *grad, double *aux,
                          int train)
{
    const int batch = model_needs_batch(m, aux, train);
    const int chunk = batch ? count : (count < MODEL_CHUNK ? count : MODEL_CHUNK);
    double *mem = malloc(model_block_doubles(m, chunk) * sizeof(double));
    if (!mem)
        return NAN;
    block b;
    const int k = m->n_out;
    double total = 0.0;
    for (int first = 0; first < count; first += chunk) {
        int rows = count - first < chunk ? count - first : chunk;
        model_block_carve(m, rows, mem, &b);
        model_gather(m, ds->x, idx, row0 + first, rows, b.in);
        model_forward(m, theta, &b, aux, batch, train);
        const double *logits = b.a[m->n_layers - 1];
        for (int r = 0; r < rows; r++) {
            int row = idx ? idx[row0 + first + r] : row0 + first + r;
            total += head(m, loss, logits + (size_t)r * k, ds->y[row],
                          grad ? b.d0 + (size_t)r * k : NULL);
        }
        if (grad)
            model_backward(m, theta, &b, grad, batch);
    }
    free(mem);
    return total;
}

/* Large sums (count ≥ MODEL_BIG samples whose losses are independent): contiguous
 * ranges on every thread, each with its own gradient buffer, combined in thread
 * order; one-layer models through model_fast.c's vectorized kernel. Returns 1 with
 * *total and grad (zeroed by the caller) filled, or 0: the caller takes the plain
 * path (out of memory, or labels that are not classes). */
static int big_sum(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                   const int *idx, int count, double *grad, double *aux, int train,
                   double *total)
{
    const int single = m->desc.kind != MODEL_MLP;
    single_desc sd = { m->d_in, m->n_out, m->b_off[0] >= 0, m->task == DATA_REGRESSION,
                       m->desc.kind == MODEL_LOGISTIC, loss == LOSS_MSE };
    if (single && sd.regression && !sd.mse)
        return 0;
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    if (threads > count / (MODEL_BIG / 2))
        threads = count / (MODEL_BIG / 2);
    if (threads < 1)
        threads = 1;
    const size_t stride = (size_t)m->n_params + 1;
    double *part = calloc((size_t)threads * stride, sizeof *part);
    if (!part)
        return 0;
    int ok = 1, used = 1;
#ifdef _OPENMP
#pragma omp parallel num_threads(threads)
#endif
    {
        int t = 0, nt = 1;
#ifdef _OPENMP
        t = omp_get_thread_num();
        nt = omp_get_num_threads();
#pragma omp single
        used = nt;
#endif
        const int lo = (int)((long)count * t / nt), hi = (int)((long)count * (t + 1) / nt);
        double *pt = part + (size_t)t * stride;
        if (single) {
            if (!single_fast_sum(&sd, ds, theta, idx, lo, hi - lo, grad ? pt + 1 : NULL, pt)) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
                ok = 0;
            }
        } else {
            pt[0] = general_sum(m, loss, ds, theta, idx, lo, hi - lo, grad ? pt + 1 : NULL, aux,
                                train);
        }
    }
    if (ok) {
        double s = 0.0;
        for (int t = 0; t < used; t++)
            s += part[(size_t)t * stride];
        *total = s;
        for (int i = 0; grad && i < m->n_params; i++) {
            double g = 0.0;
            for (int t = 0; t < used; t++)
                g += part[(size_t)t * stride + 1 + (size_t)i];
            grad[i] = g;
        }
    }
    free(part);
    return ok;
}

/* The mean loss (and gradient) of model_loss and model_loss_plain: with big, the
 * vectorized and threaded path where it applies (count >= MODEL_BIG, no batch
 * statistics needed). */
static double loss_mean(const model *m, loss_kind loss, const dataset *ds, const double *theta, const int *idx,
                        int count, double *grad, double *aux, int train, int big)
{
    if (loss == LOSS_DEFAULT)
        loss = m->task == DATA_REGRESSION ? LOSS_MSE : LOSS_CE;
    if (!idx)
        count = ds->n;
    if (grad)
        memset(grad, 0, (size_t)m->n_params * sizeof *grad);
    if (count <= 0)
        return 0.0;
    double total;
    if (big && count >= MODEL_BIG && !model_needs_batch(m, aux, train) &&
        big_sum(m, loss, ds, theta, idx, count, grad, aux, train, &total)) {
        /* done: vectorized and threaded */
    } else {
        if (grad)
            memset(grad, 0, (size_t)m->n_params * sizeof *grad);
        total = m->desc.kind == MODEL_MLP
                    ? general_sum(m, loss, ds, theta, idx, 0, count, grad, aux, train)
                    : single_sum(m, loss, ds, theta, idx, count, grad);
    }
    double inv = 1.0 / count;
    if (grad)
        for (int i = 0; i < m->n_params; i++)
            grad[i] *= inv;
    return total * inv;
}

double model_loss_plain(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                        const int *idx, int count, double *grad, double *aux, int train)
{
    return loss_mean(m, loss, ds, theta, idx, count, grad, aux, train, 0);
}

double model_loss(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                  const int *idx, int count, double *grad, double *aux, int train)
{
    return loss_mean(m, loss, ds, theta, idx, count, grad, aux, train, 1);
}

/* What is done with the output values (logits) of rows [first, first + rows): z holds
 * rows × n_out of them. Called for every chunk of rows, concurrently on the threads. */
typedef void (*logits_fn)(void *ctx, int first, int rows, const double *z);

/* Output values (logits) for count rows of x, chunk by chunk to fn. Rows are
 * independent unless batch norm needs the batch's statistics; then they go in one
 * chunk, else in chunks of MODEL_CHUNK rows over the threads when there are many (≥
 * MODEL_BIG). The inputs are read where they lie (the forward pass only reads them).
 * Returns 0 when out of memory (fn then saw only some chunks). */
static int logits_each(const model *m, const double *theta, const double *aux, const double *x,
                       int count, logits_fn fn, void *ctx)
{
    const int batch = model_needs_batch(m, aux, 0);
    const int chunk = batch ? count : (count < MODEL_CHUNK ? count : MODEL_CHUNK);
    int ok = 1;
#ifdef _OPENMP
#pragma omp parallel if (!batch && count >= MODEL_BIG)
#endif
    {
        double *mem = malloc(model_block_doubles(m, chunk) * sizeof(double));
        if (!mem) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
            ok = 0;
        }
        block b;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
        for (int c = 0; c < (count + chunk - 1) / chunk; c++) {
            if (!mem)
                continue;
            const int first = c * chunk;
            const int rows = count - first < chunk ? count - first : chunk;
            model_block_carve(m, rows, mem, &b);
            b.in = (double *)(x + (size_t)first * m->d_in);
            /* aux is only read in evaluation mode */
            model_forward(m, theta, &b, (double *)aux, batch, 0);
            fn(ctx, first, rows, b.a[m->n_layers - 1]);
        }
        free(mem);
    }
    return ok;
}

typedef struct logits_out {
    double *out;
    int k;
} logits_out;

static void logits_copy(void *ctx, int first, int rows, const double *z)
{
    const logits_out *o = ctx;
    memcpy(o->out + (size_t)first * o->k, z, (size_t)rows * o->k * sizeof *z);
}

/* Output values (logits) for count rows of x into out (count × n_out). */
static int logits(const model *m, const double *theta, const double *aux, const double *x,
                  int count, double *out)
{
    logits_out o = { out, m->n_out };
    return logits_each(m, theta, aux, x, count, logits_copy, &o);
}

void model_predict(const model *m, const double *theta, const double *aux, const double *x,
                   int count, double *out)
{
    if (count <= 0)
        return;
    const int k = m->n_out;
    if (!logits(m, theta, aux, x, count, out)) {
        for (size_t q = 0; q < (size_t)count * k; q++)
            out[q] = NAN;
        return;
    }
    double z[MODEL_MAX_OUT];
    for (int r = 0; r < count; r++) {
        double *o = out + (size_t)r * k;
        memcpy(z, o, (size_t)k * sizeof *z);
        head_predict(m, z, o);
    }
}

/* The class a row of logits predicts: σ(z) ≥ 0.5 for logistic, else the first largest. */
static int predicted_class(const model *m, const double *zr, int k)
{
    if (m->desc.kind == MODEL_LOGISTIC)
        return zr[0] >= 0.0;
    int c = 0;
    for (int i = 1; i < k; i++)
        if (zr[i] > zr[c])
            c = i;
    return c;
}

typedef struct right_count {
    const model *m;
    const double *y;
    int chunk;
    int *right;                 /* per chunk */
} right_count;

static void count_right(void *ctx, int first, int rows, const double *z)
{
    const right_count *a = ctx;
    const int k = a->m->n_out;
    int right = 0;
    for (int r = 0; r < rows; r++)
        right += (double)predicted_class(a->m, z + (size_t)r * k, k) == a->y[first + r];
    a->right[first / a->chunk] = right;
}

double model_accuracy(const model *m, const double *theta, const double *aux, const dataset *ds)
{
    if (m->task != DATA_CLASSIFICATION || ds->n <= 0)
        return 0.0;
    /* counted chunk by chunk as the logits come (logits_each's chunks) */
    const int chunk = model_needs_batch(m, aux, 0) ? ds->n : (ds->n < MODEL_CHUNK ? ds->n : MODEL_CHUNK);
    const int chunks = (ds->n + chunk - 1) / chunk;
    right_count a = { m, ds->y, chunk, calloc((size_t)chunks, sizeof(int)) };
    if (!a.right || !logits_each(m, theta, aux, ds->x, ds->n, count_right, &a)) {
        free(a.right);
        return NAN;
    }
    int right = 0;
    for (int c = 0; c < chunks; c++)
        right += a.right[c];
    free(a.right);
    return (double)right / ds->n;
}

int model_loss_accuracy(const model *m, loss_kind loss, const dataset *ds, const double *theta,
                        const double *aux, double *mean_loss, double *accuracy)
{
    if (loss == LOSS_DEFAULT)
        loss = m->task == DATA_REGRESSION ? LOSS_MSE : LOSS_CE;
    *mean_loss = 0.0;
    *accuracy = 0.0;
    if (ds->n <= 0)
        return 1;
    const int k = m->n_out;
    double *z = malloc((size_t)ds->n * k * sizeof *z);
    if (!z || !logits(m, theta, aux, ds->x, ds->n, z)) {
        free(z);
        *mean_loss = *accuracy = NAN;
        return 0;
    }
    /* the rows in order, as general_sum and single_sum add them */
    double total = 0.0;
    int right = 0;
    for (int r = 0; r < ds->n; r++) {
        const double *zr = z + (size_t)r * k;
        total += head(m, loss, zr, ds->y[r], NULL);
        if (m->task != DATA_CLASSIFICATION)
            continue;
        right += (double)predicted_class(m, zr, k) == ds->y[r];
    }
    free(z);
    *mean_loss = total * (1.0 / ds->n);
    *accuracy = m->task == DATA_CLASSIFICATION ? (double)right / ds->n : 0.0;
    return 1;
}
