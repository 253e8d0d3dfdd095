/*
 * data.c — data sets: seeded generators, CSV loading, split, standardization.
 * See data.h.
 *
 * Generators lay their rows out class by class in turn (row i has class i mod k;
 * xor: cluster i mod 4), so every class has ⌊n/k⌋ or ⌈n/k⌉ rows. They draw
 * from one rng seeded with the caller's seed, row by row, so a seed reproduces a
 * data set exactly.
 *
 *   scales   x1 ~ N(0, 1), x2 ~ N(0, scale²), y = w1·x1 + w2·x2 + noise·N(0, 1)
 *   linear   x1, x2 ~ N(0, 1), y = w1·x1 + w2·x2 + b + noise·N(0, 1)
 *   blobs    centre c on a circle of radius R = max(4, 2.5 / sin(π/k)) at angle
 *            2πc/k; a point is its centre + spread·N(0, 1) per coordinate
 *   moons    class 0: (cos t, sin t), class 1: (1 − cos t, 0.5 − sin t), t evenly
 *            spaced over [0, π]; + noise·N(0, 1) per coordinate
 *   circles  class 0 on the unit circle, class 1 on the circle of radius factor,
 *            angles evenly spaced over [0, 2π); + noise·N(0, 1) per coordinate
 *   xor      the four clusters centred at (±1, ±1) + noise·N(0, 1) per coordinate;
 *            the label is that of the point itself: 1 where x1·x2 < 0, else 0
 *   spiral   arm c: radius r evenly spaced over [0.1, 1], angle 2πc/k + 3πr, point
 *            r·(cos, sin) + noise·N(0, 1) per coordinate
 *
 * Which spec is a CSV file (data_load): the whole spec when it names an existing
 * file (colons and all); else the part before the first ':' when it is not a
 * generator name (those win, case-insensitively) and ends in ".csv" (any case) or
 * names an existing file.
 *
 * CSV rules (data_csv.c):
 *   - the whole file is read (at most DATA_MAX_BYTES); a UTF-8 byte order mark is
 *     skipped; lines end with LF, CRLF or CR;
 *   - lines holding only blanks are skipped wherever they are (line numbers in
 *     messages still count them);
 *   - the first other line is the header: comma-separated column names, trimmed;
 *   - fields are separated by commas and trimmed; a field wholly enclosed in
 *     double quotes loses them (quoted commas are not supported);
 *   - every row has exactly as many fields as the header; every field is a finite
 *     decimal number;
 *   - target: a column name (matched exactly, the first such column) or else a
 *     column number, 1 for the first column, −1 for the last; default the last;
 *   - classification labels are whole numbers (negative ones too); the distinct
 *     labels, sorted ascending, become the classes 0..k−1 (so 1/2 → 0/1 and
 *     −1/+1 → 0/1); at most DATA_MAX_CLASSES of them and at least 2.
 *   - columns in messages are 1-based byte offsets in the line (after the BOM).
 */
#include "core/data.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/data_internal.h"
#include "core/rng.h"
#include "core/textparse.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- datasets ------------------------------------------------------------- */

dataset *data_new(int n, int d)
{
    dataset *ds = calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    ds->n = n;
    ds->d = d;
    ds->x = malloc((size_t)(n > 0 ? n : 1) * (size_t)(d > 0 ? d : 1) * sizeof *ds->x);
    ds->y = malloc((size_t)(n > 0 ? n : 1) * sizeof *ds->y);
    if (!ds->x || !ds->y) {
        free(ds->x);
        free(ds->y);
        free(ds);
        return NULL;
    }
    return ds;
}

void data_destroy(dataset *ds)
{
    if (!ds)
        return;
    free(ds->x);
    free(ds->y);
    free(ds);
}

static void copy_meta(dataset *dst, const dataset *src)
{
    dst->task = src->task;
    dst->n_classes = src->n_classes;
    memcpy(dst->name, src->name, sizeof dst->name);
    memcpy(dst->feature_names, src->feature_names, sizeof dst->feature_names);
}

/* ---- generators ----------------------------------------------------------- */

enum { K_N, K_SCALE, K_NOISE, K_W1, K_W2, K_B, K_K, K_SPREAD, K_FACTOR, K_COUNT };

static const char *const key_names[K_COUNT] = {
    "n", "scale", "noise", "w1", "w2", "b", "k", "spread", "factor",
};

typedef void (*gen_fill)(dataset *ds, const double *p, rng *r);

typedef struct gen_def {
    const char *name;
    const char *help;
    data_task task;
    unsigned keys;              /* bit K_* set: the key applies */
    double defaults[K_COUNT];
    gen_fill fill;
} gen_def;

#define KEY(k) (1u << (k))

static void fill_scales(dataset *ds, const double *p, rng *r)
{
    for (int i = 0; i < ds->n; i++) {
        double x1 = rng_normal(r);
        double x2 = p[K_SCALE] * rng_normal(r);
        ds->x[2 * i] = x1;
        ds->x[2 * i + 1] = x2;
        ds->y[i] = p[K_W1] * x1 + p[K_W2] * x2 + p[K_NOISE] * rng_normal(r);
    }
}

static void fill_linear(dataset *ds, const double *p, rng *r)
{
    for (int i = 0; i < ds->n; i++) {
        double x1 = rng_normal(r);
        double x2 = rng_normal(r);
        ds->x[2 * i] = x1;
        ds->x[2 * i + 1] = x2;
        ds->y[i] = p[K_W1] * x1 + p[K_W2] * x2 + p[K_B] + p[K_NOISE] * rng_normal(r);
    }
}

static void fill_blobs(dataset *ds, const double *p, rng *r)
{
    int k = (int)p[K_K];
    double radius = fmax(4.0, 2.5 / sin(M_PI / k));
    for (int i = 0; i < ds->n; i++) {
        int c = i % k;
        double a = 2.0 * M_PI * c / k;
        ds->x[2 * i] = radius * cos(a) + p[K_SPREAD] * rng_normal(r);
        ds->x[2 * i + 1] = radius * sin(a) + p[K_SPREAD] * rng_normal(r);
        ds->y[i] = c;
    }
}

/* Rows in class c when n rows are dealt to k classes in turn. */
static int class_rows(int n, int k, int c)
{
    return n / k + (c < n % k ? 1 : 0);
}

static double spacing(int j, int m)
{
    return m > 1 ? (double)j / (m - 1) : 0.0;
}

static void fill_moons(dataset *ds, const double *p, rng *r)
{
    for (int i = 0; i < ds->n; i++) {
        int c = i % 2, j = i / 2;
        double t = M_PI * spacing(j, class_rows(ds->n, 2, c));
        double x1 = c == 0 ? cos(t) : 1.0 - cos(t);
        double x2 = c == 0 ? sin(t) : 0.5 - sin(t);
        ds->x[2 * i] = x1 + p[K_NOISE] * rng_normal(r);
        ds->x[2 * i + 1] = x2 + p[K_NOISE] * rng_normal(r);
        ds->y[i] = c;
    }
}

static void fill_circles(dataset *ds, const double *p, rng *r)
{
    for (int i = 0; i < ds->n; i++) {
        int c = i % 2, j = i / 2;
        double t = 2.0 * M_PI * j / class_rows(ds->n, 2, c);
        double rad = c == 0 ? 1.0 : p[K_FACTOR];
        ds->x[2 * i] = rad * cos(t) + p[K_NOISE] * rng_normal(r);
        ds->x[2 * i + 1] = rad * sin(t) + p[K_NOISE] * rng_normal(r);
        ds->y[i] = c;
    }
}

static void fill_xor(dataset *ds, const double *p, rng *r)
{
    static const double cx[4] = { 1, -1, -1, 1 }, cy[4] = { 1, 1, -1, -1 };
    for (int i = 0; i < ds->n; i++) {
        int q = i % 4;
        double x1 = cx[q] + p[K_NOISE] * rng_normal(r);
        double x2 = cy[q] + p[K_NOISE] * rng_normal(r);
        ds->x[2 * i] = x1;
        ds->x[2 * i + 1] = x2;
        ds->y[i] = x1 * x2 < 0 ? 1 : 0;
    }
}

static void fill_spiral(dataset *ds, const double *p, rng *r)
{
    int k = (int)p[K_K];
    for (int i = 0; i < ds->n; i++) {
        int c = i % k, j = i / k;
        double rad = 0.1 + 0.9 * spacing(j, class_rows(ds->n, k, c));
        double a = 2.0 * M_PI * c / k + 3.0 * M_PI * rad;
        ds->x[2 * i] = rad * cos(a) + p[K_NOISE] * rng_normal(r);
        ds->x[2 * i + 1] = rad * sin(a) + p[K_NOISE] * rng_normal(r);
        ds->y[i] = c;
    }
}

static const gen_def generators[] = {
    { "scales", "regression, x2 on a scale `scale` times that of x1 (n=256 scale=100 noise=0.1 w1=2 w2=0.03)",
      DATA_REGRESSION, KEY(K_N) | KEY(K_SCALE) | KEY(K_NOISE) | KEY(K_W1) | KEY(K_W2),
      { [K_N] = 256, [K_SCALE] = 100, [K_NOISE] = 0.1, [K_W1] = 2, [K_W2] = 0.03 }, fill_scales },
    { "linear", "regression, 2 features of similar scale (n=256 noise=0.1 w1=2 w2=-1 b=0.5)",
      DATA_REGRESSION, KEY(K_N) | KEY(K_NOISE) | KEY(K_W1) | KEY(K_W2) | KEY(K_B),
      { [K_N] = 256, [K_NOISE] = 0.1, [K_W1] = 2, [K_W2] = -1, [K_B] = 0.5 }, fill_linear },
    { "blobs", "k Gaussian blobs (n=256 k=3 spread=1.0)",
      DATA_CLASSIFICATION, KEY(K_N) | KEY(K_K) | KEY(K_SPREAD),
      { [K_N] = 256, [K_K] = 3, [K_SPREAD] = 1.0 }, fill_blobs },
    { "moons", "two interleaving half circles, 2 classes (n=256 noise=0.1)",
      DATA_CLASSIFICATION, KEY(K_N) | KEY(K_NOISE),
      { [K_N] = 256, [K_NOISE] = 0.1 }, fill_moons },
    { "circles", "two concentric circles, 2 classes (n=256 noise=0.05 factor=0.5)",
      DATA_CLASSIFICATION, KEY(K_N) | KEY(K_NOISE) | KEY(K_FACTOR),
      { [K_N] = 256, [K_NOISE] = 0.05, [K_FACTOR] = 0.5 }, fill_circles },
    { "xor", "four quadrant clusters labelled by sign(x1*x2), 2 classes (n=256 noise=0.1)",
      DATA_CLASSIFICATION, KEY(K_N) | KEY(K_NOISE),
      { [K_N] = 256, [K_NOISE] = 0.1 }, fill_xor },
    { "spiral", "k interleaved spirals (n=256 k=2 noise=0.1)",
      DATA_CLASSIFICATION, KEY(K_N) | KEY(K_K) | KEY(K_NOISE),
      { [K_N] = 256, [K_K] = 2, [K_NOISE] = 0.1 }, fill_spiral },
};

#define GEN_COUNT ((int)(sizeof generators / sizeof generators[0]))

int data_generator_count(void)
{
    return GEN_COUNT;
}

const char *data_generator_name(int i)
{
    return i >= 0 && i < GEN_COUNT ? generators[i].name : NULL;
}

const char *data_generator_help(int i)
{
    return i >= 0 && i < GEN_COUNT ? generators[i].help : NULL;
}

static int find_generator(const char *s, size_t len)
{
    for (int g = 0; g < GEN_COUNT; g++)
        if (text_ieq(s, generators[g].name, len))
            return g;
    return -1;
}

static void key_list(const gen_def *g, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < K_COUNT; k++) {
        if (!(g->keys & KEY(k)))
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", key_names[k]);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

/* Options "key=value,..." of generator g in spec[opt..) (the item grammar of
 * textparse.h), columns relative to spec. */
static int parse_gen_options(const char *spec, size_t opt, const gen_def *g, double *p,
                             int *col_of, diag *err)
{
    text_spec sc;
    text_word item, key, val;
    text_spec_items(&sc, spec, opt);
    while (text_spec_item(&sc, &item, &key, &val)) {
        if (item.len == 0 || !val.s)
            return diag_set(err, 0, item.col, "%s: expected key=value", g->name);
        int id = -1;
        for (int k = 0; k < K_COUNT; k++)
            if ((g->keys & KEY(k)) && text_ieq(key.s, key_names[k], key.len))
                id = k;
        if (id < 0) {
            char keys[96];
            key_list(g, keys, sizeof keys);
            return diag_set(err, 0, item.col, "%s: unknown key '%.*s' (expected %s)", g->name,
                            (int)key.len, key.s, keys);
        }
        double v;
        int ok = text_real(val.s, val.len, &v);
        if (ok < 0)
            return diag_set(err, 0, val.col, "%s: %s must be a finite number", g->name, key_names[id]);
        if (ok == 0)
            return diag_set(err, 0, val.col, "%s: %s=%.*s is not a number", g->name, key_names[id],
                            (int)(val.len > 40 ? 40 : val.len), val.s);
        p[id] = v;
        col_of[id] = val.col;
    }
    return 1;
}

static int check_gen_params(const gen_def *g, const double *p, const int *col, diag *err)
{
    const double n = p[K_N];
    if (!(n == floor(n) && n >= 2 && n <= DATA_MAX_ROWS))
        return diag_set(err, 0, col[K_N], "%s: n must be a whole number in [2, %d]", g->name,
                        DATA_MAX_ROWS);
    if (g->keys & KEY(K_K)) {
        double k = p[K_K];
        if (!(k == floor(k) && k >= 2 && k <= DATA_MAX_CLASSES))
            return diag_set(err, 0, col[K_K], "%s: k must be a whole number in [2, %d]",
                            g->name, DATA_MAX_CLASSES);
        if (k > n)
            return diag_set(err, 0, col[K_K], "%s: k=%d classes need n >= %d", g->name, (int)k,
                            (int)k);
    }
    if ((g->keys & KEY(K_NOISE)) && !(p[K_NOISE] >= 0))
        return diag_set(err, 0, col[K_NOISE], "%s: noise must be >= 0", g->name);
    if ((g->keys & KEY(K_SPREAD)) && !(p[K_SPREAD] >= 0))
        return diag_set(err, 0, col[K_SPREAD], "%s: spread must be >= 0", g->name);
    if ((g->keys & KEY(K_SCALE)) && !(p[K_SCALE] > 0))
        return diag_set(err, 0, col[K_SCALE], "%s: scale must be > 0", g->name);
    if ((g->keys & KEY(K_FACTOR)) && !(p[K_FACTOR] >= 0 && p[K_FACTOR] < 1))
        return diag_set(err, 0, col[K_FACTOR], "%s: factor must be in [0, 1)", g->name);
    return 1;
}

/* spec = NAME[:options], g its generator, opt the offset of the options or 0. */
static dataset *generate(const char *spec, int g, size_t opt, uint64_t seed, diag *err)
{
    const gen_def *gd = &generators[g];
    double p[K_COUNT];
    int col[K_COUNT] = { 0 };
    memcpy(p, gd->defaults, sizeof p);
    if (opt && !parse_gen_options(spec, opt, gd, p, col, err))
        return NULL;
    if (!check_gen_params(gd, p, col, err))
        return NULL;
    dataset *ds = data_new((int)p[K_N], 2);
    if (!ds) {
        diag_set(err, 0, 0, "%s: out of memory", gd->name);
        return NULL;
    }
    ds->task = gd->task;
    ds->n_classes = gd->task == DATA_CLASSIFICATION
                        ? ((gd->keys & KEY(K_K)) ? (int)p[K_K] : 2)
                        : 0;
    snprintf(ds->name, sizeof ds->name, "%s", gd->name);
    snprintf(ds->feature_names[0], sizeof ds->feature_names[0], "x1");
    snprintf(ds->feature_names[1], sizeof ds->feature_names[1], "x2");
    rng r;
    rng_seed(&r, seed);
    gd->fill(ds, p, &r);
    return ds;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static int ends_with_csv(const char *s, size_t len)
{
    return len >= 4 && text_ieq(s + len - 4, ".csv", 4);
}

dataset *data_load(const char *spec, uint64_t seed, int want_classes, diag *err)
{
    if (!spec)
        spec = "";
    size_t a;
    size_t total = text_trim(spec, strlen(spec), &a);
    if (total == 0) {
        diag_set(err, 0, 0, "expected a data set name or a CSV file");
        return NULL;
    }
    /* A spec that as a whole names a file is that file, colons and all. */
    char whole[4096];
    if (total < sizeof whole) {
        memcpy(whole, spec + a, total);
        whole[total] = '\0';
        if (is_file(whole) && find_generator(whole, total) < 0) {
            csv_opts o = { NULL, 0, -1, 0 };
            return data_csv_load(whole, &o, want_classes, err);
        }
    }
    const char *colon = strchr(spec, ':');
    size_t name_end = colon ? (size_t)(colon - spec) : strlen(spec);
    size_t na;
    size_t name_len = text_trim(spec, name_end, &na);
    const char *name = spec + na;
    size_t opt = colon ? (size_t)(colon - spec) + 1 : 0;

    int g = find_generator(name, name_len);
    char path[4096];
    if (name_len > 0 && name_len < sizeof path) {
        memcpy(path, name, name_len);
        path[name_len] = '\0';
    } else {
        path[0] = '\0';
    }
    if (g < 0 && name_len > 0 && name_len < sizeof path
        && (ends_with_csv(name, name_len) || is_file(path))) {
        csv_opts o = { NULL, 0, -1, 0 };
        if (opt && !data_csv_options(spec, opt, path, &o, err))
            return NULL;
        return data_csv_load(path, &o, want_classes, err);
    }
    if (g < 0) {
        char names[160];
        size_t used = 0;
        names[0] = '\0';
        for (int i = 0; i < GEN_COUNT; i++) {
            int w = snprintf(names + used, sizeof names - used, "%s, ", generators[i].name);
            if (w > 0 && (size_t)w < sizeof names - used)
                used += (size_t)w;
        }
        diag_set(err, 0, (int)na + 1,
                 "unknown data set '%.*s' (expected %sor a CSV file)",
                 (int)(name_len > 64 ? 64 : name_len), name, names);
        return NULL;
    }
    return generate(spec, g, opt, seed, err);
}

/* ---- split and standardization ------------------------------------------- */

static dataset *take_rows(const dataset *all, const unsigned char *in, unsigned char want, int n)
{
    dataset *ds = data_new(n, all->d);
    if (!ds)
        return NULL;
    copy_meta(ds, all);
    int j = 0;
    for (int i = 0; i < all->n; i++) {
        if (in[i] != want)
            continue;
        memcpy(ds->x + (size_t)j * (size_t)all->d, all->x + (size_t)i * (size_t)all->d,
               (size_t)all->d * sizeof *ds->x);
        ds->y[j] = all->y[i];
        j++;
    }
    return ds;
}

/* The checks of a split of all (n rows) at frac: the number of test rows, or −1
 * with err filled. */
static int split_size(const dataset *all, double frac, diag *err)
{
    if (!all || all->n <= 0)
        return diag_set(err, 0, 0, "split: no data") - 1;
    if (!(frac >= 0 && frac < 1))
        return diag_set(err, 0, 0, "split fraction must be in [0, 1), not %g", frac) - 1;
    const int n = all->n;
    const int n_test = (int)lround(frac * n);
    if (n_test >= n)
        return diag_set(err, 0, 0, "split %g of %d rows leaves no training rows", frac, n) - 1;
    if (frac > 0 && n_test == 0)
        return diag_set(err, 0, 0, "split %g of %d rows leaves no test rows", frac, n) - 1;
    return n_test;
}

/* in[i] = 1 for the n_test rows of the held-out part: the first n_test of a seeded
 * shuffle of 0..n−1. NULL when out of memory. */
static unsigned char *split_marks(int n, int n_test, uint64_t seed)
{
    int *perm = malloc((size_t)n * sizeof *perm);
    unsigned char *in_test = calloc((size_t)n, 1);
    if (!perm || !in_test) {
        free(perm);
        free(in_test);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        perm[i] = i;
    rng r;
    rng_seed(&r, seed);
    rng_shuffle(&r, perm, n);
    for (int i = 0; i < n_test; i++)
        in_test[perm[i]] = 1;
    free(perm);
    return in_test;
}

int data_split(const dataset *all, double frac, uint64_t seed, dataset **train,
               dataset **test, diag *err)
{
    *train = NULL;
    *test = NULL;
    const int n_test = split_size(all, frac, err);
    if (n_test < 0)
        return 0;
    const int n = all->n;
    unsigned char *in_test = split_marks(n, n_test, seed);
    if (!in_test)
        return diag_set(err, 0, 0, "split: out of memory");
    /* Each part keeps the rows in their original order. */
    *train = take_rows(all, in_test, 0, n - n_test);
    if (n_test > 0)
        *test = take_rows(all, in_test, 1, n_test);
    free(in_test);
    if (!*train || (n_test > 0 && !*test)) {
        data_destroy(*train);
        data_destroy(*test);
        *train = *test = NULL;
        return diag_set(err, 0, 0, "split: out of memory");
    }
    return 1;
}

int data_split_take(dataset *all, double frac, uint64_t seed, dataset **train,
                    dataset **test, diag *err)
{
    *train = NULL;
    *test = NULL;
    const int n_test = split_size(all, frac, err);
    if (n_test <= 0) {
        if (n_test == 0)
            *train = all;
        else
            data_destroy(all);
        return n_test == 0;
    }
    const int n = all->n, d = all->d;
    unsigned char *in_test = split_marks(n, n_test, seed);
    dataset *te = in_test ? take_rows(all, in_test, 1, n_test) : NULL;
    if (!te) {
        free(in_test);
        data_destroy(all);
        return diag_set(err, 0, 0, "split: out of memory");
    }
    /* the training rows moved down over the test rows' places, in order (j ≤ i) */
    int j = 0;
    for (int i = 0; i < n; i++) {
        if (in_test[i])
            continue;
        if (j != i) {
            memcpy(all->x + (size_t)j * (size_t)d, all->x + (size_t)i * (size_t)d,
                   (size_t)d * sizeof *all->x);
            all->y[j] = all->y[i];
        }
        j++;
    }
    free(in_test);
    all->n = j;
    double *nx = realloc(all->x, (size_t)j * (size_t)d * sizeof *nx);
    if (nx)
        all->x = nx;
    double *ny = realloc(all->y, (size_t)j * sizeof *ny);
    if (ny)
        all->y = ny;
    *train = all;
    *test = te;
    return 1;
}

static void transform(dataset *ds, int j, double mean, double scale)
{
    for (int i = 0; i < ds->n; i++) {
        double *v = &ds->x[(size_t)i * (size_t)ds->d + (size_t)j];
        *v = (*v - mean) * scale;
    }
}

static void standardize(dataset *train, dataset *test, int centre);

void data_standardize(dataset *train, dataset *test) { standardize(train, test, 1); }
void data_scale_features(dataset *train, dataset *test) { standardize(train, test, 0); }

static void standardize(dataset *train, dataset *test, int centre)
{
    if (!train || train->n <= 0)
        return;
    const int d = train->d;
    for (int j = 0; j < d; j++) {
        double sum = 0, peak = 0;
        for (int i = 0; i < train->n; i++) {
            double v = train->x[(size_t)i * (size_t)d + (size_t)j];
            sum += v;
            peak = fmax(peak, fabs(v));
        }
        const double mean = sum / train->n;
        double ss = 0;
        for (int i = 0; i < train->n; i++) {
            double e = train->x[(size_t)i * (size_t)d + (size_t)j] - mean;
            ss += e * e;
        }
        const double sd = sqrt(ss / train->n);
        /* A constant feature (up to rounding) is only centred. */
        const double scale = sd > 1e-12 * peak && sd > 0 ? 1.0 / sd : 1.0;
        transform(train, j, centre ? mean : 0.0, scale);
        if (test && test->d == d)
            transform(test, j, centre ? mean : 0.0, scale);
    }
}
