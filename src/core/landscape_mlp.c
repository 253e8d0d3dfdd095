/*
 * landscape_mlp.c — loss grids of multi-layer perceptrons on a plane. See
 * landscape_mlp.h (the contract) and landscape.h (planes and grids).
 *
 * On the plane θ = θ0 + a d1 + b d2 the first layer's pre-activations are affine in
 * (a, b): Z = X W0ᵀ + b0 + a (X D1ᵀ + c1) + b (X D2ᵀ + c2), where W0, D1, D2 are the
 * first layer's weights in θ0, d1, d2 and b0, c1, c2 their biases. With more than
 * DIRECT_D inputs the three products are computed once per grid (O(n · d · h)) and a
 * grid point costs 3 multiply-adds per first-layer value instead of d + 1; with few
 * inputs (moons: 2) the first layer is computed from the inputs themselves, d
 * multiply-adds from data that stays in L1. Batch norm before the activation folds
 * into that affine map (bn_affine_n), so the first layer is one pass per unit. Every
 * later layer depends on (a, b) non-linearly and is evaluated per grid point,
 * θ(a, b) from plane_point exactly as the generic path has it.
 *
 * Layout: values of one layer are [unit][S] — S samples contiguous per unit — so
 * every loop runs over samples: the dense layers multiply a broadcast weight into
 * 4 vectors of 8 samples held in registers (GCC vector extensions; AVX-512, AVX2 or
 * SSE2 code from one source via LS_CLONES), activations and the head are `omp simd`
 * loops with the branch-free exp/log of vmath.h. S is at most CHUNK samples (chunks of
 * equal size, padded to a multiple of 32) when the samples are independent, or all
 * of them when batch
 * normalization needs the statistics of the batch (aux NULL): then every grid point
 * computes the mean and the biased variance of each unit over the real samples
 * (padding excluded), as model.c does. A two-class cross-entropy head needs only the
 * logits' difference (head2_sum), and takes the last hidden layer's relu and batch
 * norm on the way, so those values are never stored. From the inputs, the first
 * layer and the dense layer after it go block by block of SB samples (first_dense),
 * so the first layer's values stay in L1.
 *
 * This file is the driver (the grid's set-up, the first layer's per-point maps, one
 * grid point, the rows in parallel); the kernels over samples it names are
 * mlpk_* in mlp_kernels.c, their contracts in mlp_kernels.h.
 *
 * Parallel: OpenMP over grid rows, one workspace per thread.
 *
 * Accuracy: model.c's formulas, rearranged only where the rearrangement is exact in
 * real arithmetic and stated where it is made (batch norm as one multiply-add map,
 * folded into the first layer's weights; the first layer's batch moments from the
 * inputs'; the two-class head as one logit difference, its logarithms summed as the
 * logarithm of a product), with FMA contraction and our own exp/log (≈ 1 ulp); sums
 * over samples are in a different order. The tests ask 1e-12 relative against the
 * generic path over random planes, every activation, batch norm before and after,
 * with moving averages and with batch statistics, every first-layer path.
 */
#include "core/landscape_mlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/par_rows.h"
#include "core/mlp_kernels.h"
#include "core/vmath.h"


typedef struct mlp_grid {
    const landscape_desc *g;
    const model_desc *md;
    int n_layers, k, regression, mse, batch, count;
    int S, chunks, maxw;
    model_layer layer[MODEL_MAX_LAYERS + 1];
    double *z0, *u, *v;   /* chunks × h0 × S: the first layer's three products (!direct) */
    double *xt;           /* chunks × d × S: the inputs, one row per feature (direct) */
    double *y;            /* chunks × S targets (padding 0) */
    /* the first layer in one pass (fused); from the inputs (direct) or the products;
     * its batch statistics from the inputs' moments (batch) */
    int fused, direct, d;
    int head2;                      /* two classes, cross-entropy: head2_sum */
    double xm[MOMENT_D];            /* the inputs' mean over the samples */
    double xc[MOMENT_D * MOMENT_D]; /* their biased covariance */
} mlp_grid;

/* The first layer's per-unit maps at θ (G->fused), the same for every chunk. Batch
 * norm before the activation maps the unit's pre-activation x = w·in + bias to
 * α x + (β − α μ) (bn_affine_n); with batch statistics μ and σ² are those of x over the
 * samples: μ = w·m_in + bias and σ² = wᵀ C_in w from the inputs' mean m_in and
 * covariance C_in (exact in w: no cancellation beyond w's own). Without batch norm
 * α = 1, c = 0.
 * From the inputs (direct) the map folds into the weights: fw = α w and
 * fc = α bias + c = β + α (bias − μ), where bias − μ = −w·m_in exactly (the bias
 * cancels); from the products, al and cc are α and c. */
static void first_coefs(const mlp_grid *G, const double *theta, double *restrict al,
                        double *restrict cc, double *restrict fw, double *restrict fc)
{
    const model_desc *md = G->md;
    const model_layer *ly = &G->layer[0];
    const int w = ly->out, d = G->d;
    const double *W = theta + ly->w_off, *bias = theta + ly->b_off, *aux = G->g->aux;
    double mu[MODEL_MAX_HIDDEN], var[MODEL_MAX_HIDDEN], bm[MODEL_MAX_HIDDEN]; /* bm: bias − μ */
    for (int i = 0; i < w; i++) {
        al[i] = 1.0, cc[i] = 0.0, bm[i] = 0.0;
        if (!md->bn)
            continue;
        if (!G->batch) {
            mu[i] = aux[ly->mu_off + i];
            var[i] = aux[ly->mu_off + w + i];
            bm[i] = bias[i] - mu[i];
            continue;
        }
        const double *cw = W + (size_t)i * d;
        double wm = 0.0, s2 = 0.0;
        for (int e = 0; e < d; e++) {
            wm += cw[e] * G->xm[e];
            double t = 0.0;
            for (int f = 0; f < d; f++)
                t += G->xc[e * d + f] * cw[f];
            s2 += cw[e] * t;
        }
        mu[i] = bias[i] + wm;
        var[i] = nonneg(s2);
        bm[i] = -wm;
    }
    if (md->bn)
        mlpk_bn_affine_n(w, mu, var, md->bn_eps, theta + ly->g_off, theta + ly->be_off, al, cc);
    if (!G->direct)
        return;
    for (int i = 0; i < w; i++) {
        for (int e = 0; e < d; e++)
            fw[i * d + e] = al[i] * W[(size_t)i * d + e];
        fc[i] = md->bn ? theta[ly->be_off + i] + al[i] * bm[i] : bias[i];
    }
}

/* Loss at θ (the plane point at a, b) summed over the samples: every chunk through
 * the network, the values of a layer [unit][S] in A or B (maxw·S each), Lbuf the
 * head's scratch (4·S). */
static double grid_point(const mlp_grid *G, const double *theta, double a, double b, double *A,
                         double *B, double *Lbuf)
{
    const int S = G->S, L = G->n_layers;
    const model_desc *md = G->md;
    const double *aux = G->g->aux;
    /* the first layer's maps (first_coefs) */
    double al0[MODEL_MAX_HIDDEN], cc0[MODEL_MAX_HIDDEN], fc[MODEL_MAX_HIDDEN];
    double fw[MODEL_MAX_HIDDEN * DIRECT_D];
    if (G->fused)
        first_coefs(G, theta, al0, cc0, fw, fc);
    double total = 0.0;
    for (int c = 0; c < G->chunks; c++) {
        const int rows = G->count - c * S < S ? G->count - c * S : S;
        const double *y = G->y + (size_t)c * S;
        double *cur = A, *nxt = B;
        /* batch statistics of the pre-activations (batch norm before the activation) */
        const int stats = md->bn && G->batch && !md->bn_after;
        double mu[MODEL_MAX_HIDDEN], var[MODEL_MAX_HIDDEN];
        /* cur holds layer l's values: before its post-map (have_z; with mu and var when
         * stats) or after it */
        int l = 0, have_z = 1;
        if (G->fused && G->direct && L > 2) {
            /* the first two layers block by block */
            const model_layer *l1 = &G->layer[1];
            mlpk_first_dense(S, G->d, G->xt + (size_t)c * G->d * S, G->layer[0].out, fw, fc, md->act,
                        l1->out, theta + l1->w_off, theta + l1->b_off, nxt, cur, rows,
                        stats ? mu : NULL, stats ? var : NULL);
            l = 1;
        } else if (G->fused && G->direct) {
            mlpk_first_direct(S, G->d, G->xt + (size_t)c * G->d * S, G->layer[0].out, fw, fc,
                         md->act, cur);
            have_z = 0;
        } else if (G->fused) {
            for (int i = 0; i < G->layer[0].out; i++) {
                const size_t q = ((size_t)c * G->layer[0].out + (size_t)i) * S;
                mlpk_first_fused(S, G->z0 + q, G->u + q, G->v + q, a, b, al0[i], cc0[i], md->act,
                            cur + (size_t)i * S);
            }
            have_z = 0;
        } else {
            for (int i = 0; i < G->layer[0].out; i++) {
                const size_t q = ((size_t)c * G->layer[0].out + (size_t)i) * S;
                mlpk_first_unit(S, rows, G->z0 + q, G->u + q, G->v + q, a, b, stats && L > 1, mu + i,
                           var + i, cur + (size_t)i * S);
            }
            if (L == 1) {   /* no hidden layer: these are the logits */
                total += mlpk_head_sum(S, rows, G->k, G->regression, G->mse, cur, y, Lbuf);
                continue;
            }
        }
        /* cur's post-map relu(α v + c) when left for head2_sum to apply (pending) */
        double al[MODEL_MAX_HIDDEN], cc[MODEL_MAX_HIDDEN];
        int pending = 0;
        for (;;) {
            if (have_z) {
                /* hidden layer l's post-map, per unit: act(α v + c) (no batch norm:
                 * α = 1, c = 0; before the activation: bn_affine_n), left for head2_sum
                 * when it is relu and the next layer is that head, else applied now;
                 * batch norm after the activation: the activation, then the affine map */
                const model_layer *ly = &G->layer[l];
                const int w = ly->out;
                pending = !(md->bn && md->bn_after) && md->act == ACT_RELU && l + 1 == L - 1 &&
                          G->head2;
                if (md->bn && md->bn_after)
                    mlpk_activate(md->act, (size_t)w * S, cur);
                if (md->bn) {
                    for (int i = 0; i < w; i++) {
                        if (!G->batch) {
                            mu[i] = aux[ly->mu_off + i];
                            var[i] = aux[ly->mu_off + w + i];
                        } else if (md->bn_after) {
                            mlpk_row_moments(rows, cur + (size_t)i * S, mu + i, var + i);
                        }
                    }
                    mlpk_bn_affine_n(w, mu, var, md->bn_eps, theta + ly->g_off, theta + ly->be_off,
                                al, cc);
                    for (int i = 0; i < w && !pending; i++)
                        mlpk_post_apply(S, al[i], cc[i], md->bn_after ? -1 : (int)md->act,
                                   cur + (size_t)i * S);
                } else {
                    for (int i = 0; i < w; i++)
                        al[i] = 1.0, cc[i] = 0.0;
                    if (!pending)
                        mlpk_activate(md->act, (size_t)w * S, cur);
                }
            }
            l++;
            const model_layer *ly = &G->layer[l];
            if (l == L - 1 && G->head2) {
                double wd[MODEL_MAX_HIDDEN];
                const double *W = theta + ly->w_off, *bias = theta + ly->b_off;
                for (int i = 0; i < ly->in; i++)
                    wd[i] = W[ly->in + i] - W[i];
                total += mlpk_head2_sum(S, rows, ly->in, wd, bias[1] - bias[0], pending ? al : NULL,
                                   pending ? cc : NULL, cur, y, Lbuf);
                break;
            }
            mlpk_dense(S, ly->in, ly->out, theta + ly->w_off, theta + ly->b_off, cur, nxt, rows,
                  stats && l < L - 1 ? mu : NULL, stats && l < L - 1 ? var : NULL);
            double *t = cur;
            cur = nxt;
            nxt = t;
            if (l == L - 1) {
                total += mlpk_head_sum(S, rows, G->k, G->regression, G->mse, cur, y, Lbuf);
                break;
            }
            have_z = 1;
        }
    }
    return total;
}

typedef struct mlp_rows {
    const mlp_grid *G;
    double *values;
    int j0;
    double inv; /* 1 / count */
} mlp_rows;

/* plane_point (the same operations, no contraction: GCC's default in ISO C, which
 * LS_CLONES turns on and THETA_CLONES does not), in a loop that vectorizes. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__gnu_linux__)
#define THETA_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define THETA_CLONES
#endif
THETA_CLONES static void theta_at(const plane *p, double a, double b, double *restrict theta)
{
    const double *restrict o = p->origin, *restrict d1 = p->d1, *restrict d2 = p->d2;
#pragma omp simd
    for (int e = 0; e < p->n; e++)
        theta[e] = o[e] + a * d1[e] + b * d2[e];
}

/* one grid row j; ws: θ (n), two layers' activations (maxw·S each), the loss buffer (4·S) */
static void mlp_row(void *ctx, void *ws, int j)
{
    const mlp_rows *c = ctx;
    const mlp_grid *G = c->G;
    const landscape_desc *g = G->g;
    const size_t layer_doubles = (size_t)G->maxw * G->S;
    double *theta = ws, *A = theta + g->obj->n, *B = A + layer_doubles, *Lbuf = B + layer_doubles;
    const double b = surface_grid_coord(g->dom.ymin, g->dom.ymax, j, g->ny);
    for (int i = 0; i < g->nx; i++) {
        const double a = surface_grid_coord(g->dom.xmin, g->dom.xmax, i, g->nx);
        theta_at(g->plane, a, b, theta);
        c->values[(size_t)(j - c->j0) * g->nx + i] = grid_point(G, theta, a, b, A, B, Lbuf) * c->inv;
    }
}

int landscape_grid_mlp(const landscape_desc *g, int count, loss_kind loss, double *values)
{
    const model *m = g->model;
    const dataset *ds = g->data;
    const model_desc *md = model_get_desc(m);
    if (md->kind != MODEL_MLP || count <= 0 || model_input_count(m) != ds->d ||
        model_param_count(m) != g->obj->n || g->plane->n != g->obj->n)
        return -1;
    mlp_grid G;
    memset(&G, 0, sizeof G);
    G.g = g;
    G.md = md;
    G.n_layers = model_layer_count(m);
    G.k = model_output_count(m);
    G.regression = ds->task == DATA_REGRESSION;
    G.mse = loss == LOSS_MSE;
    G.count = count;
    G.batch = md->bn && g->aux == NULL;
    if (G.regression && (!G.mse || G.k != 1))
        return -1; /* ce on regression is NaN: the generic path says so */
    for (int r = 0; r < count && !G.regression; r++) {
        double yv = ds->y[g->idx ? g->idx[r] : r];
        if (!(yv >= 0.0 && yv < G.k && yv == floor(yv)))
            return -1; /* not a class: NaN, the generic path's way */
    }
    G.maxw = 0;
    for (int l = 0; l < G.n_layers; l++) {
        G.layer[l] = model_layer_get(m, l);
        if (G.layer[l].out > G.maxw)
            G.maxw = G.layer[l].out;
        if (G.layer[l].b_off < 0)
            return -1;
    }
    /* chunks of equal size (a multiple of SB), so the last one is not mostly padding */
    G.chunks = G.batch ? 1 : (count + CHUNK - 1) / CHUNK;
    G.S = ((count + G.chunks - 1) / G.chunks + SB - 1) / SB * SB;
    const int h0 = G.layer[0].out, d = ds->d;
    /* the first layer in one pass: a hidden layer, batch norm (if any) before the
     * activation, and batch statistics (if those) from the inputs' moments */
    G.d = d;
    G.fused = G.n_layers > 1 && !(md->bn && md->bn_after) && (!G.batch || d <= MOMENT_D);
    if (G.fused && G.batch) {
        for (int e = 0; e < d; e++) {
            double sm = 0.0;
            for (int r = 0; r < count; r++)
                sm += ds->x[(size_t)(g->idx ? g->idx[r] : r) * d + e];
            G.xm[e] = sm / count;
        }
        for (int e = 0; e < d; e++)
            for (int f = 0; f < d; f++) {
                double sc = 0.0;
                for (int r = 0; r < count; r++) {
                    const double *x = ds->x + (size_t)(g->idx ? g->idx[r] : r) * d;
                    sc += (x[e] - G.xm[e]) * (x[f] - G.xm[f]);
                }
                G.xc[e * d + f] = sc / count;
            }
    }
    /* the first layer from the inputs where it has few (a multiply-add per input
     * and unit, instead of three with the products) */
    G.direct = G.fused && d <= DIRECT_D;
    G.head2 = G.n_layers > 1 && G.k == 2 && !G.regression && !G.mse;
    const size_t np = (size_t)G.chunks * G.S;
    const size_t first = G.direct ? (size_t)d : 3 * (size_t)h0; /* doubles per sample */
    double *mem = malloc((first + 1) * np * sizeof *mem);
    if (!mem)
        return 0;
    G.y = mem;
    G.xt = mem + np;
    G.z0 = mem + np;
    G.u = G.z0 + (size_t)h0 * np;
    G.v = G.u + (size_t)h0 * np;

    /* the targets and the inputs (direct) or the three products, chunk by chunk as
     * [feature or unit][S]; padding 0 */
    const plane *p = g->plane;
    const model_layer *l0 = &G.layer[0];
    for (size_t r = 0; r < np; r++) {
        const size_t c = r / (size_t)G.S, s = r % (size_t)G.S;
        const int real = r < (size_t)count;
        const int row = real ? (g->idx ? g->idx[r] : (int)r) : 0;
        const double *x = ds->x + (size_t)row * d;
        G.y[r] = real ? ds->y[row] : 0.0;
        if (G.direct) {
            for (int e = 0; e < d; e++)
                G.xt[(c * (size_t)d + (size_t)e) * (size_t)G.S + s] = real ? x[e] : 0.0;
            continue;
        }
        for (int i = 0; i < h0; i++) {
            const size_t q = (c * (size_t)h0 + (size_t)i) * (size_t)G.S + s;
            if (!real) {
                G.z0[q] = G.u[q] = G.v[q] = 0.0;
                continue;
            }
            const size_t wo = (size_t)l0->w_off + (size_t)i * d, bo = (size_t)l0->b_off + i;
            double a0 = p->origin[bo], a1 = p->d1[bo], a2 = p->d2[bo];
            for (int e = 0; e < d; e++) {
                a0 += p->origin[wo + e] * x[e];
                a1 += p->d1[wo + e] * x[e];
                a2 += p->d2[wo + e] * x[e];
            }
            G.z0[q] = a0;
            G.u[q] = a1;
            G.v[q] = a2;
        }
    }

    int j0, j1;
    landscape_band(g, &j0, &j1);
    mlp_rows rows = { &G, values, j0, 1.0 / count };
    const size_t ws = (size_t)g->obj->n + 2 * (size_t)G.maxw * G.S + 4 * (size_t)G.S;
    int ok = par_rows(j0, j1, ws * sizeof(double), 1, g->cancel, mlp_row, &rows);
    free(mem);
    return ok;
}
