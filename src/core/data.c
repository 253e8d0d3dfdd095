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
 * CSV rules (load_csv):
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

#include "core/rng.h"
#include "core/textparse.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- datasets ------------------------------------------------------------- */

static dataset *ds_new(int n, int d)
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
    dataset *ds = ds_new((int)p[K_N], 2);
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

/* ---- CSV ------------------------------------------------------------------ */

/* Fills err with "path:line:col: msg", "path:line: msg" or "path: msg". */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int csv_fail(diag *err, const char *path, int line, int col, const char *fmt, ...)
{
    if (!err)
        return 0;
    char msg[DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0 && col > 0)
        return diag_set(err, line, col, "%s:%d:%d: %s", path, line, col, msg);
    if (line > 0)
        return diag_set(err, line, 0, "%s:%d: %s", path, line, msg);
    return diag_set(err, 0, 0, "%s: %s", path, msg);
}

typedef struct span {
    size_t at;      /* offset of the trimmed (and unquoted) field in its line */
    size_t len;
    size_t raw;     /* offset where the field begins (after the comma) */
} span;

/* Splits line[0..len) at commas; stores at most cap fields, returns how many
 * there are in all. */
static int split_fields(const char *line, size_t len, span *f, int cap)
{
    int count = 0;
    size_t start = 0;
    for (;;) {
        const char *comma = memchr(line + start, ',', len - start);
        size_t end = comma ? (size_t)(comma - line) : len;
        if (count < cap) {
            size_t a;
            size_t l = text_trim(line + start, end - start, &a);
            size_t at = start + a;
            if (l >= 2 && line[at] == '"' && line[at + l - 1] == '"') {
                at++;
                l -= 2;
            }
            f[count].at = at;
            f[count].len = l;
            f[count].raw = start;
        }
        count++;
        if (!comma)
            return count;
        start = end + 1;
    }
}

/* Reads the next line of buf[*pos..size): its start, length without the line
 * end, and advances *pos. Returns 0 at the end of the buffer. */
static int next_line(const char *buf, size_t size, size_t *pos, const char **line, size_t *len)
{
    if (*pos >= size)
        return 0;
    size_t i = *pos;
    while (i < size && buf[i] != '\n' && buf[i] != '\r')
        i++;
    *line = buf + *pos;
    *len = i - *pos;
    if (i < size && buf[i] == '\r')
        i++;
    if (i < size && buf[i] == '\n' && (i == *pos + *len || buf[i - 1] == '\r'))
        i++;
    *pos = i;
    return 1;
}

static int blank_line(const char *s, size_t len)
{
    size_t a;
    return text_trim(s, len, &a) == 0;
}

static char *read_file(const char *path, size_t *size, diag *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        csv_fail(err, path, 0, 0, "cannot open (%s)", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        csv_fail(err, path, 0, 0, "is a directory");
        return NULL;
    }
    if (st.st_size > DATA_MAX_BYTES) {
        csv_fail(err, path, 0, 0, "larger than %ld MiB", (long)(DATA_MAX_BYTES >> 20));
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        csv_fail(err, path, 0, 0, "cannot open (%s)", strerror(errno));
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, used = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        csv_fail(err, path, 0, 0, "out of memory");
        return NULL;
    }
    for (;;) {
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (used < cap)
            break;
        /* The file grew since stat (or is a pipe): read on, within the limit. */
        if (cap > (size_t)DATA_MAX_BYTES) {
            free(buf);
            fclose(f);
            csv_fail(err, path, 0, 0, "larger than %ld MiB", (long)(DATA_MAX_BYTES >> 20));
            return NULL;
        }
        size_t ncap = cap * 2;
        char *nb = realloc(buf, ncap + 1);
        if (!nb) {
            free(buf);
            fclose(f);
            csv_fail(err, path, 0, 0, "out of memory");
            return NULL;
        }
        buf = nb;
        cap = ncap;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        csv_fail(err, path, 0, 0, "read error");
        return NULL;
    }
    buf[used] = '\0';
    *size = used;
    return buf;
}

/* File stem: base name without its last extension. */
static void file_stem(const char *path, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        len = (size_t)(dot - base);
    snprintf(out, size, "%.*s", (int)len, base);
}

typedef struct csv_opts {
    const char *target;     /* NULL: the last column */
    size_t target_len;
    int task;               /* −1: from want_classes */
} csv_opts;

/* Column index of the target, or −1 with err filled. */
static int pick_target(const char *path, const char *line, const span *names, int ncol,
                       const csv_opts *o, int header_line, diag *err)
{
    if (!o->target)
        return ncol - 1;
    for (int c = 0; c < ncol; c++)
        if (names[c].len == o->target_len && memcmp(line + names[c].at, o->target, o->target_len) == 0)
            return c;
    long idx;
    if (text_long(o->target, o->target_len, &idx)) {
        if (idx >= 1 && idx <= ncol)
            return (int)idx - 1;
        if (idx <= -1 && idx >= -ncol)
            return ncol + (int)idx;
        csv_fail(err, path, header_line, 0,
                 "target column %ld is out of range (columns are numbered 1..%d, or -1 for the last)",
                 idx, ncol);
        return -1;
    }
    csv_fail(err, path, header_line, 0, "unknown target column '%.*s'",
             (int)(o->target_len > 64 ? 64 : o->target_len), o->target);
    return -1;
}

static int grow(dataset *ds, int *cap, int d)
{
    if (ds->n < *cap)
        return 1;
    int ncap = *cap < 1024 ? 1024 : *cap * 2;
    if (ncap > DATA_MAX_ROWS)
        ncap = DATA_MAX_ROWS;
    double *nx = realloc(ds->x, (size_t)ncap * (size_t)d * sizeof *nx);
    if (!nx)
        return 0;
    ds->x = nx;
    double *ny = realloc(ds->y, (size_t)ncap * sizeof *ny);
    if (!ny)
        return 0;
    ds->y = ny;
    *cap = ncap;
    return 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static dataset *load_csv(const char *path, const csv_opts *o, int want_classes, diag *err)
{
    size_t size;
    char *buf = read_file(path, &size, err);
    if (!buf)
        return NULL;
    dataset *ds = NULL;
    span *f = NULL;
    size_t pos = 0;
    if (size >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    /* A NUL byte means this is no text file (an image, a spreadsheet): say so,
     * rather than show its bytes as column names. */
    const char *nul = memchr(buf, '\0', size);
    if (nul) {
        int nl = 1;
        const char *start = buf;
        for (const char *c = buf; c < nul; c++)
            if (*c == '\n' || (*c == '\r' && c + 1 < nul && c[1] != '\n')) {
                nl++;
                start = c + 1;
            }
        csv_fail(err, path, nl, (int)(nul - start) + 1, "NUL byte: this is not a text file");
        goto fail;
    }

    /* Header: the first non-blank line. */
    const char *hline = NULL, *line;
    size_t hlen = 0, len;
    int lineno = 0, header_line = 0;
    while (next_line(buf, size, &pos, &line, &len)) {
        lineno++;
        if (!blank_line(line, len)) {
            hline = line;
            hlen = len;
            header_line = lineno;
            break;
        }
    }
    if (!hline) {
        csv_fail(err, path, 0, 0, "empty file");
        goto fail;
    }
    f = malloc((DATA_MAX_COLUMNS + 1) * sizeof *f);
    span *names = malloc((DATA_MAX_COLUMNS + 1) * sizeof *names);
    if (!f || !names) {
        free(names);
        csv_fail(err, path, 0, 0, "out of memory");
        goto fail;
    }
    int ncol = split_fields(hline, hlen, names, DATA_MAX_COLUMNS + 1);
    if (ncol > DATA_MAX_COLUMNS) {
        free(names);
        csv_fail(err, path, 0, 0, "more than %d columns", DATA_MAX_COLUMNS);
        goto fail;
    }
    int target = pick_target(path, hline, names, ncol, o, header_line, err);
    if (target < 0) {
        free(names);
        goto fail;
    }
    if (ncol < 2) {
        csv_fail(err, path, 0, 0, "no feature columns (the only column, '%.*s', is the target)",
                 (int)(names[0].len > 64 ? 64 : names[0].len), hline + names[0].at);
        free(names);
        goto fail;
    }
    const int d = ncol - 1;
    const int classify = o->task >= 0 ? o->task == DATA_CLASSIFICATION : want_classes != 0;

    ds = calloc(1, sizeof *ds);
    if (!ds) {
        free(names);
        csv_fail(err, path, 0, 0, "out of memory");
        goto fail;
    }
    ds->d = d;
    ds->task = classify ? DATA_CLASSIFICATION : DATA_REGRESSION;
    file_stem(path, ds->name, sizeof ds->name);
    for (int c = 0, j = 0; c < ncol && j < 8; c++) {
        if (c == target)
            continue;
        if (names[c].len > 0)
            snprintf(ds->feature_names[j], sizeof ds->feature_names[j], "%.*s",
                     (int)names[c].len, hline + names[c].at);
        else
            snprintf(ds->feature_names[j], sizeof ds->feature_names[j], "x%d", j + 1);
        j++;
    }
    free(names);

    double labels[DATA_MAX_CLASSES];
    int n_labels = 0;
    int cap = 0;
    while (next_line(buf, size, &pos, &line, &len)) {
        lineno++;
        if (blank_line(line, len))
            continue;
        int nf = split_fields(line, len, f, ncol);
        if (nf != ncol) {
            csv_fail(err, path, lineno, 0, "row has %d fields, the header has %d", nf, ncol);
            goto fail;
        }
        if (ds->n >= DATA_MAX_ROWS) {
            csv_fail(err, path, lineno, 0, "more than %d rows", DATA_MAX_ROWS);
            goto fail;
        }
        if (!grow(ds, &cap, d)) {
            csv_fail(err, path, 0, 0, "out of memory");
            goto fail;
        }
        double *row = ds->x + (size_t)ds->n * (size_t)d;
        for (int c = 0, j = 0; c < ncol; c++) {
            const char *s = line + f[c].at;
            int col = (int)f[c].at + 1;
            if (f[c].len == 0) {
                csv_fail(err, path, lineno, (int)f[c].raw + 1, "missing value");
                goto fail;
            }
            double v;
            int ok = text_real(s, f[c].len, &v);
            if (ok < 0) {
                csv_fail(err, path, lineno, col, "NaN or Inf is not allowed");
                goto fail;
            }
            if (ok == 0) {
                csv_fail(err, path, lineno, col, "'%.*s' is not a number",
                         (int)(f[c].len > 40 ? 40 : f[c].len), s);
                goto fail;
            }
            if (c != target) {
                row[j++] = v;
                continue;
            }
            if (classify) {
                if (v != floor(v) || fabs(v) > 9007199254740992.0) {
                    csv_fail(err, path, lineno, col, "class label %.*s is not a whole number",
                             (int)(f[c].len > 40 ? 40 : f[c].len), s);
                    goto fail;
                }
                int known = 0;
                for (int l = 0; l < n_labels && !known; l++)
                    known = labels[l] == v;
                if (!known) {
                    if (n_labels == DATA_MAX_CLASSES) {
                        csv_fail(err, path, lineno, col, "more than %d classes in the target",
                                 DATA_MAX_CLASSES);
                        goto fail;
                    }
                    labels[n_labels++] = v;
                }
            }
            ds->y[ds->n] = v;
        }
        ds->n++;
    }
    if (ds->n == 0) {
        csv_fail(err, path, 0, 0, "no data rows");
        goto fail;
    }
    if (classify) {
        if (n_labels < 2) {
            csv_fail(err, path, 0, 0, "the target has a single class");
            goto fail;
        }
        qsort(labels, (size_t)n_labels, sizeof labels[0], cmp_double);
        for (int i = 0; i < ds->n; i++) {
            const double *hit = bsearch(&ds->y[i], labels, (size_t)n_labels, sizeof labels[0],
                                        cmp_double);
            ds->y[i] = (double)(hit - labels);
        }
        ds->n_classes = n_labels;
    }
    free(f);
    free(buf);
    return ds;

fail:
    free(f);
    free(buf);
    data_destroy(ds);
    return NULL;
}

/* Options of a CSV spec: target=NAME|INDEX, task=regression|classification (the
 * item grammar of textparse.h). */
static int parse_csv_options(const char *spec, size_t opt, const char *path, csv_opts *o,
                             diag *err)
{
    text_spec sc;
    text_word item, key, val;
    text_spec_items(&sc, spec, opt);
    while (text_spec_item(&sc, &item, &key, &val)) {
        if (item.len == 0 || !val.s)
            return csv_fail(err, path, 0, 0, "expected key=value after ':' (keys: target, task)");
        if (text_ieq(key.s, "target", key.len)) {
            if (val.len == 0)
                return csv_fail(err, path, 0, 0, "target= needs a column name or number");
            o->target = val.s;
            o->target_len = val.len;
        } else if (text_ieq(key.s, "task", key.len)) {
            if (text_ieq(val.s, "regression", val.len))
                o->task = DATA_REGRESSION;
            else if (text_ieq(val.s, "classification", val.len))
                o->task = DATA_CLASSIFICATION;
            else
                return csv_fail(err, path, 0, 0,
                                "task must be regression or classification, not '%.*s'",
                                (int)(val.len > 40 ? 40 : val.len), val.s);
        } else {
            return csv_fail(err, path, 0, 0, "unknown key '%.*s' (expected target, task)",
                            (int)(key.len > 40 ? 40 : key.len), key.s);
        }
    }
    return 1;
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
            csv_opts o = { NULL, 0, -1 };
            return load_csv(whole, &o, want_classes, err);
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
        csv_opts o = { NULL, 0, -1 };
        if (opt && !parse_csv_options(spec, opt, path, &o, err))
            return NULL;
        return load_csv(path, &o, want_classes, err);
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
    dataset *ds = ds_new(n, all->d);
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

int data_split(const dataset *all, double frac, uint64_t seed, dataset **train,
               dataset **test, diag *err)
{
    *train = NULL;
    *test = NULL;
    if (!all || all->n <= 0)
        return diag_set(err, 0, 0, "split: no data");
    if (!(frac >= 0 && frac < 1))
        return diag_set(err, 0, 0, "split fraction must be in [0, 1), not %g", frac);
    const int n = all->n;
    const int n_test = (int)lround(frac * n);
    if (n_test >= n)
        return diag_set(err, 0, 0, "split %g of %d rows leaves no training rows", frac, n);
    if (frac > 0 && n_test == 0)
        return diag_set(err, 0, 0, "split %g of %d rows leaves no test rows", frac, n);

    int *perm = malloc((size_t)n * sizeof *perm);
    unsigned char *in_test = calloc((size_t)n, 1);
    if (!perm || !in_test) {
        free(perm);
        free(in_test);
        return diag_set(err, 0, 0, "split: out of memory");
    }
    for (int i = 0; i < n; i++)
        perm[i] = i;
    rng r;
    rng_seed(&r, seed);
    rng_shuffle(&r, perm, n);
    for (int i = 0; i < n_test; i++)
        in_test[perm[i]] = 1;
    /* Each part keeps the rows in their original order. */
    *train = take_rows(all, in_test, 0, n - n_test);
    if (n_test > 0)
        *test = take_rows(all, in_test, 1, n_test);
    free(perm);
    free(in_test);
    if (!*train || (n_test > 0 && !*test)) {
        data_destroy(*train);
        data_destroy(*test);
        *train = *test = NULL;
        return diag_set(err, 0, 0, "split: out of memory");
    }
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
