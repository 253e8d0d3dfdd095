/*
 * test_data.c — data sets: every generator (size, labels, balance, determinism,
 * its documented geometry), generator spec errors, CSV loading and every CSV
 * defect with its exact message and location, target selection, train/test split
 * and standardization.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/data.h"
#include "core/data_internal.h"
#include "core/rng.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- temporary files ------------------------------------------------------- */

static char tmp_dir[256];
static char tmp_files[64][320];
static int tmp_count;

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/losscape_data_XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    for (int i = 0; i < tmp_count; i++)
        unlink(tmp_files[i]);
    return rmdir(tmp_dir);
}

/* Writes `len` bytes (strlen when len < 0) to tmp_dir/name; returns the path. */
static const char *write_file(const char *name, const char *text, long len)
{
    static char path[320];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    size_t n = len < 0 ? strlen(text) : (size_t)len;
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    int known = 0;
    for (int i = 0; i < tmp_count; i++)
        known |= strcmp(tmp_files[i], path) == 0;
    if (!known && tmp_count < 64)
        snprintf(tmp_files[tmp_count++], sizeof tmp_files[0], "%s", path);
    return path;
}

static dataset *load_ok(const char *spec, uint64_t seed, int want_classes)
{
    diag err = {0};
    dataset *ds = data_load(spec, seed, want_classes, &err);
    if (!ds)
        fail_msg("'%s': %s", spec, err.msg);
    return ds;
}

/* Loads `spec` expecting failure with exactly `msg` at (line, column). */
static void load_fails(const char *spec, int want_classes, const char *msg, int line, int column)
{
    diag err = {0};
    dataset *ds = data_load(spec, 1, want_classes, &err);
    if (ds) {
        data_destroy(ds);
        fail_msg("'%s' loaded; expected \"%s\"", spec, msg);
    }
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
}

/* Writes a CSV file and expects loading it to fail with "<path><suffix>". */
static void csv_fails(const char *name, const char *text, const char *opts, int want_classes,
                      const char *suffix, int line, int column)
{
    const char *path = write_file(name, text, -1);
    char spec[512], msg[512];
    snprintf(spec, sizeof spec, "%s%s", path, opts ? opts : "");
    snprintf(msg, sizeof msg, "%s%s", path, suffix);
    load_fails(spec, want_classes, msg, line, column);
}

static double column_mean(const dataset *ds, int j)
{
    double s = 0;
    for (int i = 0; i < ds->n; i++)
        s += ds->x[i * ds->d + j];
    return s / ds->n;
}

static double column_sd(const dataset *ds, int j)
{
    double m = column_mean(ds, j), s = 0;
    for (int i = 0; i < ds->n; i++)
        s += (ds->x[i * ds->d + j] - m) * (ds->x[i * ds->d + j] - m);
    return sqrt(s / ds->n);
}

/* ---- generators ------------------------------------------------------------ */

static void test_generator_table(void **state)
{
    (void)state;
    static const char *names[] = { "scales", "linear", "blobs", "moons", "circles", "xor", "spiral" };
    assert_int_equal(data_generator_count(), 7);
    for (int i = 0; i < 7; i++) {
        assert_string_equal(data_generator_name(i), names[i]);
        assert_non_null(data_generator_help(i));
        assert_true(strlen(data_generator_help(i)) > 10);
    }
    assert_null(data_generator_name(7));
    assert_null(data_generator_name(-1));
    assert_null(data_generator_help(7));
    data_destroy(NULL);
}

static void test_generators_shape_labels_balance(void **state)
{
    (void)state;
    static const struct { const char *spec, *name; int n, k; } cases[] = {
        { "scales", "scales", 256, 0 },
        { "linear", "linear", 256, 0 },
        { "blobs", "blobs", 256, 3 },
        { "moons", "moons", 256, 2 },
        { "circles", "circles", 256, 2 },
        { "xor", "xor", 256, 2 },
        { "spiral", "spiral", 256, 2 },
        { "blobs:k=5,n=101", "blobs", 101, 5 },
        { "spiral:k=3,n=300", "spiral", 300, 3 },
        { "moons:n=7", "moons", 7, 2 },
        { "MOONS", "moons", 256, 2 },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        dataset *ds = load_ok(cases[c].spec, 42, 0);
        assert_int_equal(ds->n, cases[c].n);
        assert_int_equal(ds->d, 2);
        assert_string_equal(ds->name, cases[c].name);
        assert_string_equal(ds->feature_names[0], "x1");
        assert_string_equal(ds->feature_names[1], "x2");
        for (int i = 0; i < ds->n * ds->d; i++)
            assert_true(isfinite(ds->x[i]));
        if (cases[c].k == 0) {
            assert_int_equal(ds->task, DATA_REGRESSION);
            assert_int_equal(ds->n_classes, 0);
        } else {
            const int k = cases[c].k;
            assert_int_equal(ds->task, DATA_CLASSIFICATION);
            assert_int_equal(ds->n_classes, k);
            int count[64] = {0};
            for (int i = 0; i < ds->n; i++) {
                double y = ds->y[i];
                assert_true(y == floor(y) && y >= 0 && y < k);
                count[(int)y]++;
            }
            int lo = ds->n, hi = 0;
            for (int j = 0; j < k; j++) {
                lo = count[j] < lo ? count[j] : lo;
                hi = count[j] > hi ? count[j] : hi;
            }
            /* Dealt in turn: exactly balanced, except xor whose label is the sign of
             * the noisy point (still nearly balanced). */
            if (strcmp(cases[c].name, "xor") == 0)
                assert_true(hi - lo <= ds->n / 10);
            else
                assert_true(hi - lo <= 1);
        }
        data_destroy(ds);
    }
}

static void test_generators_deterministic(void **state)
{
    (void)state;
    for (int g = 0; g < data_generator_count(); g++) {
        const char *name = data_generator_name(g);
        dataset *a = load_ok(name, 7, 0), *b = load_ok(name, 7, 0), *c = load_ok(name, 8, 0);
        assert_int_equal(a->n, b->n);
        assert_memory_equal(a->x, b->x, (size_t)a->n * 2 * sizeof(double));
        assert_memory_equal(a->y, b->y, (size_t)a->n * sizeof(double));
        assert_memory_not_equal(a->x, c->x, (size_t)a->n * 2 * sizeof(double));
        data_destroy(a);
        data_destroy(b);
        data_destroy(c);
    }
}

static void test_scales_and_linear(void **state)
{
    (void)state;
    /* The feature-normalization demo: x2's deviation is `scale` times x1's. */
    dataset *ds = load_ok("scales:n=20000", 3, 0);
    expect_close(column_sd(ds, 1) / column_sd(ds, 0), 100.0, 0.05);
    expect_near(column_sd(ds, 0), 1.0, 0.05);
    data_destroy(ds);
    ds = load_ok("scales:n=20000,scale=10", 3, 0);
    expect_close(column_sd(ds, 1) / column_sd(ds, 0), 10.0, 0.05);
    data_destroy(ds);

    /* Without noise the targets are exactly the documented linear functions. */
    ds = load_ok("scales:noise=0,w1=3,w2=0.5", 1, 0);
    for (int i = 0; i < ds->n; i++)
        expect_near(ds->y[i], 3 * ds->x[2 * i] + 0.5 * ds->x[2 * i + 1], 1e-12);
    data_destroy(ds);
    ds = load_ok("scales:noise=0", 1, 0);
    for (int i = 0; i < ds->n; i++)
        expect_near(ds->y[i], 2 * ds->x[2 * i] + 0.03 * ds->x[2 * i + 1], 1e-12);
    data_destroy(ds);
    ds = load_ok("linear:noise=0", 1, 0);
    for (int i = 0; i < ds->n; i++)
        expect_near(ds->y[i], 2 * ds->x[2 * i] - ds->x[2 * i + 1] + 0.5, 1e-12);
    expect_near(column_sd(ds, 0), 1.0, 0.2);
    expect_near(column_sd(ds, 1), 1.0, 0.2);
    data_destroy(ds);

    /* Noise shows up as residual deviation. */
    ds = load_ok("linear:n=20000,noise=0.5,w1=0,w2=0,b=0", 1, 0);
    double s = 0;
    for (int i = 0; i < ds->n; i++)
        s += ds->y[i] * ds->y[i];
    expect_near(sqrt(s / ds->n), 0.5, 0.02);
    data_destroy(ds);
}

static void test_classification_geometry(void **state)
{
    (void)state;
    /* circles without noise: class 0 on the unit circle, class 1 on radius factor. */
    dataset *ds = load_ok("circles:noise=0,factor=0.3", 1, 0);
    for (int i = 0; i < ds->n; i++) {
        double r = hypot(ds->x[2 * i], ds->x[2 * i + 1]);
        expect_near(r, ds->y[i] == 0 ? 1.0 : 0.3, 1e-12);
    }
    data_destroy(ds);

    /* moons without noise: the two documented half circles. */
    ds = load_ok("moons:noise=0", 1, 0);
    for (int i = 0; i < ds->n; i++) {
        double x = ds->x[2 * i], y = ds->x[2 * i + 1];
        if (ds->y[i] == 0) {
            expect_near(hypot(x, y), 1.0, 1e-12);
            assert_true(y >= -1e-12);
        } else {
            expect_near(hypot(x - 1, y - 0.5), 1.0, 1e-12);
            assert_true(y <= 0.5 + 1e-12);
        }
    }
    data_destroy(ds);

    /* xor: label 1 exactly where x1·x2 < 0, also with heavy noise. */
    ds = load_ok("xor:noise=0.8", 5, 0);
    for (int i = 0; i < ds->n; i++)
        assert_int_equal((int)ds->y[i], ds->x[2 * i] * ds->x[2 * i + 1] < 0);
    data_destroy(ds);

    /* blobs: each class's mean near its centre; centres far apart for spread 0.1. */
    ds = load_ok("blobs:n=400,k=4,spread=0.1", 2, 0);
    double cx[4] = {0}, cy[4] = {0};
    for (int i = 0; i < ds->n; i++) {
        cx[(int)ds->y[i]] += ds->x[2 * i] / 100;
        cy[(int)ds->y[i]] += ds->x[2 * i + 1] / 100;
    }
    for (int c = 0; c < 4; c++) {
        expect_near(cx[c], 4.0 * cos(c * M_PI / 2), 0.05);
        expect_near(cy[c], 4.0 * sin(c * M_PI / 2), 0.05);
    }
    data_destroy(ds);

    /* spiral: radii within [0.1, 1] without noise. */
    ds = load_ok("spiral:noise=0,k=3", 1, 0);
    for (int i = 0; i < ds->n; i++) {
        double r = hypot(ds->x[2 * i], ds->x[2 * i + 1]);
        assert_true(r >= 0.1 - 1e-12 && r <= 1 + 1e-12);
    }
    data_destroy(ds);
}

static void test_generator_spec_errors(void **state)
{
    (void)state;
    load_fails("foo", 0,
               "unknown data set 'foo' (expected scales, linear, blobs, moons, circles, xor, "
               "spiral, or a CSV file)", 0, 1);
    load_fails("", 0, "expected a data set name or a CSV file", 0, 0);
    load_fails("moons:depth=3", 0, "moons: unknown key 'depth' (expected n, noise)", 0, 7);
    load_fails("moons:k=3", 0, "moons: unknown key 'k' (expected n, noise)", 0, 7);
    load_fails("moons:noise=abc", 0, "moons: noise=abc is not a number", 0, 13);
    load_fails("moons:noise=", 0, "moons: noise= is not a number", 0, 13);
    load_fails("moons:noise=nan", 0, "moons: noise must be a finite number", 0, 13);
    load_fails("moons:noise=-inf", 0, "moons: noise must be a finite number", 0, 13);
    load_fails("moons:noise=1e400", 0, "moons: noise must be a finite number", 0, 13);
    load_fails("moons:noise=-0.1", 0, "moons: noise must be >= 0", 0, 13);
    load_fails("moons:n=1", 0, "moons: n must be a whole number in [2, 1000000]", 0, 9);
    load_fails("moons:n=1000001", 0, "moons: n must be a whole number in [2, 1000000]", 0, 9);
    load_fails("moons:n=2.5", 0, "moons: n must be a whole number in [2, 1000000]", 0, 9);
    load_fails("blobs:k=1", 0, "blobs: k must be a whole number in [2, 64]", 0, 9);
    load_fails("spiral:k=1", 0, "spiral: k must be a whole number in [2, 64]", 0, 10);
    load_fails("blobs:k=65", 0, "blobs: k must be a whole number in [2, 64]", 0, 9);
    load_fails("blobs:n=3,k=4", 0, "blobs: k=4 classes need n >= 4", 0, 13);
    load_fails("blobs:spread=-1", 0, "blobs: spread must be >= 0", 0, 14);
    load_fails("scales:scale=0", 0, "scales: scale must be > 0", 0, 14);
    load_fails("circles:factor=1", 0, "circles: factor must be in [0, 1)", 0, 16);
    load_fails("moons:n=10,", 0, "moons: expected key=value", 0, 12);
    load_fails("moons:", 0, "moons: expected key=value", 0, 7);

    /* Boundaries that are fine. */
    dataset *ds = load_ok("moons:n=2, noise = 0 ", 1, 0);
    assert_int_equal(ds->n, 2);
    data_destroy(ds);
    ds = load_ok("blobs:k=64,n=64", 1, 0);
    assert_int_equal(ds->n_classes, 64);
    data_destroy(ds);
}

/* ---- CSV -------------------------------------------------------------------- */

static void test_csv_good(void **state)
{
    (void)state;
    const char *path = write_file("good.csv",
                                  " a , b ,label\n1,2,0\n3, 4.5 ,1\n\n-5e-1,6,1\n\n\n", -1);
    dataset *ds = load_ok(path, 1, 1);
    assert_int_equal(ds->n, 3);
    assert_int_equal(ds->d, 2);
    assert_int_equal(ds->task, DATA_CLASSIFICATION);
    assert_int_equal(ds->n_classes, 2);
    assert_string_equal(ds->name, "good");
    assert_string_equal(ds->feature_names[0], "a");
    assert_string_equal(ds->feature_names[1], "b");
    static const double x[] = { 1, 2, 3, 4.5, -0.5, 6 }, y[] = { 0, 1, 1 };
    for (int i = 0; i < 6; i++)
        expect_near(ds->x[i], x[i], 0);
    for (int i = 0; i < 3; i++)
        expect_near(ds->y[i], y[i], 0);
    data_destroy(ds);

    /* The same file as regression: targets as they are. */
    ds = load_ok(path, 1, 0);
    assert_int_equal(ds->task, DATA_REGRESSION);
    assert_int_equal(ds->n_classes, 0);
    data_destroy(ds);

    /* task= overrides want_classes either way. */
    char spec[400];
    snprintf(spec, sizeof spec, "%s:task=regression", path);
    ds = load_ok(spec, 1, 1);
    assert_int_equal(ds->task, DATA_REGRESSION);
    data_destroy(ds);
    snprintf(spec, sizeof spec, "%s:task=classification", path);
    ds = load_ok(spec, 1, 0);
    assert_int_equal(ds->task, DATA_CLASSIFICATION);
    data_destroy(ds);

    /* A file without the .csv extension is found as an existing file; its
     * name is the stem. Quoted header names lose their quotes. */
    path = write_file("points.txt", "\"u\",\"v\",\"w\"\n1,2,3\n4,5,6\n", -1);
    ds = load_ok(path, 1, 0);
    assert_int_equal(ds->n, 2);
    assert_string_equal(ds->name, "points");
    assert_string_equal(ds->feature_names[0], "u");
    assert_string_equal(ds->feature_names[1], "v");
    expect_near(ds->y[1], 6, 0);
    data_destroy(ds);
}

static void test_csv_bom_crlf(void **state)
{
    (void)state;
    const char *path = write_file("bom.csv", "\xEF\xBB\xBFx,y\r\n1,2\r\n\r\n3,4\r\n", -1);
    dataset *ds = load_ok(path, 1, 0);
    assert_int_equal(ds->n, 2);
    assert_int_equal(ds->d, 1);
    assert_string_equal(ds->feature_names[0], "x");
    expect_near(ds->x[1], 3, 0);
    expect_near(ds->y[1], 4, 0);
    data_destroy(ds);

    /* Old Mac line ends and no final line end. */
    path = write_file("cr.csv", "x,y\r1,2\r3,4", -1);
    ds = load_ok(path, 1, 0);
    assert_int_equal(ds->n, 2);
    data_destroy(ds);

    /* After a BOM, columns count from the first real byte of the line; CRLF lines
     * report the same line numbers as LF ones. */
    csv_fails("bomerr.csv", "\xEF\xBB\xBFx,y\r\n1,2\r\n3,zz\r\n", NULL, 0,
              ":3:3: 'zz' is not a number", 3, 3);
}

static void test_csv_target_selection(void **state)
{
    (void)state;
    const char *path = write_file("cols.csv", "a,b,c,d\n1,10,100,0\n2,20,200,1\n3,30,300,1\n", -1);
    char spec[400];

    snprintf(spec, sizeof spec, "%s:target=b", path);
    dataset *ds = load_ok(spec, 1, 0);
    assert_int_equal(ds->d, 3);
    expect_near(ds->y[2], 30, 0);
    assert_string_equal(ds->feature_names[0], "a");
    assert_string_equal(ds->feature_names[1], "c");
    assert_string_equal(ds->feature_names[2], "d");
    expect_near(ds->x[3 * 1 + 1], 200, 0);   /* row 1: a, c, d = 2, 200, 1 */
    data_destroy(ds);

    /* By number: 1 is the first column, −1 the last. */
    snprintf(spec, sizeof spec, "%s:target=1", path);
    ds = load_ok(spec, 1, 0);
    expect_near(ds->y[2], 3, 0);
    assert_string_equal(ds->feature_names[0], "b");
    data_destroy(ds);
    snprintf(spec, sizeof spec, "%s:target=-1,task=classification", path);
    ds = load_ok(spec, 1, 0);
    assert_int_equal(ds->n_classes, 2);
    expect_near(ds->y[0], 0, 0);
    data_destroy(ds);
    snprintf(spec, sizeof spec, "%s: target = 3 ", path);
    ds = load_ok(spec, 1, 0);
    expect_near(ds->y[0], 100, 0);
    data_destroy(ds);

    csv_fails("cols.csv", "a,b,c,d\n1,10,100,0\n", ":target=foo", 0,
              ":1: unknown target column 'foo'", 1, 0);
    csv_fails("cols.csv", "a,b,c,d\n1,10,100,0\n", ":target=5", 0,
              ":1: target column 5 is out of range (columns are numbered 1..4, or -1 for the last)",
              1, 0);
    csv_fails("cols.csv", "a,b,c,d\n1,10,100,0\n", ":target=0", 0,
              ":1: target column 0 is out of range (columns are numbered 1..4, or -1 for the last)",
              1, 0);
    csv_fails("cols.csv", "a,b,c,d\n1,10,100,0\n", ":label=a", 0,
              ": unknown key 'label' (expected target, task)", 0, 0);
    csv_fails("cols.csv", "a,b,c,d\n1,10,100,0\n", ":task=ranking", 0,
              ": task must be regression or classification, not 'ranking'", 0, 0);
}

static void test_csv_labels(void **state)
{
    (void)state;
    /* Distinct labels, sorted, become 0..k−1. */
    const char *path = write_file("labels.csv", "x,c\n0,7\n1,2\n2,5\n3,2\n4,7.0\n", -1);
    dataset *ds = load_ok(path, 1, 1);
    assert_int_equal(ds->n_classes, 3);
    static const double want[] = { 2, 0, 1, 0, 2 };
    for (int i = 0; i < 5; i++)
        expect_near(ds->y[i], want[i], 0);
    data_destroy(ds);

    path = write_file("pm.csv", "x,c\n0,-1\n1,1\n2,-1\n", -1);
    ds = load_ok(path, 1, 1);
    assert_int_equal(ds->n_classes, 2);
    expect_near(ds->y[0], 0, 0);
    expect_near(ds->y[1], 1, 0);
    data_destroy(ds);

    csv_fails("single.csv", "x,c\n1,1\n2,1\n3,1\n", NULL, 1, ": the target has a single class", 0, 0);
    csv_fails("frac.csv", "x,y\n1,0\n2,1\n2,0\n1,0\n1,0\n1,0\n1,0\n0.25,  1.5\n", NULL, 1,
              ":9:8: class label 1.5 is not a whole number", 9, 8);
    /* The same file as regression is fine. */
    const char *p2 = write_file("frac.csv", "x,y\n1,0\n2,1.5\n", -1);
    ds = load_ok(p2, 1, 0);
    expect_near(ds->y[1], 1.5, 0);
    data_destroy(ds);

    /* 65 distinct labels. */
    char text[2048];
    size_t used = (size_t)snprintf(text, sizeof text, "x,c\n");
    for (int i = 0; i < 65; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "0,%d\n", i);
    csv_fails("many.csv", text, NULL, 1, ":66:3: more than 64 classes in the target", 66, 3);
}

static void test_csv_defects(void **state)
{
    (void)state;
    csv_fails("data.csv", "a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1.0,2.0,abc,4\n", NULL, 0,
              ":5:9: 'abc' is not a number", 5, 9);
    csv_fails("data.csv", "a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3\n", NULL, 0,
              ":7: row has 3 fields, the header has 4", 7, 0);
    csv_fails("data.csv", "a,b\n1,2,3\n", NULL, 0, ":2: row has 3 fields, the header has 2", 2, 0);
    csv_fails("data.csv", "", NULL, 0, ": empty file", 0, 0);
    csv_fails("data.csv", "\n \r\n\t\n", NULL, 0, ": empty file", 0, 0);
    csv_fails("data.csv", "\xEF\xBB\xBF", NULL, 0, ": empty file", 0, 0);
    csv_fails("data.csv", "a,b\n", NULL, 0, ": no data rows", 0, 0);
    csv_fails("data.csv", "a,b\n\n\n", NULL, 0, ": no data rows", 0, 0);
    csv_fails("data.csv", "a,b,c,d\n1,2,3,4\n,2,3,4\n", NULL, 0, ":3:1: missing value", 3, 1);
    csv_fails("data.csv", "a,b,c,d\n1,,3,4\n", NULL, 0, ":2:3: missing value", 2, 3);
    csv_fails("data.csv", "a,b,c,d\n1,  ,3,4\n", NULL, 0, ":2:3: missing value", 2, 3);
    csv_fails("data.csv", "a,b,c,d\n1,2,3,\n", NULL, 0, ":2:7: missing value", 2, 7);
    csv_fails("data.csv", "a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,nan,4\n", NULL, 0,
              ":4:5: NaN or Inf is not allowed", 4, 5);
    csv_fails("data.csv", "a,b\n1,2\nInf,2\n", NULL, 0, ":3:1: NaN or Inf is not allowed", 3, 1);
    csv_fails("data.csv", "a,b\n1,-Infinity\n", NULL, 0, ":2:3: NaN or Inf is not allowed", 2, 3);
    csv_fails("data.csv", "a,b\n1, 1e400\n", NULL, 0, ":2:4: NaN or Inf is not allowed", 2, 4);
    csv_fails("data.csv", "a,b\n1,0x10\n", NULL, 0, ":2:3: '0x10' is not a number", 2, 3);
    csv_fails("data.csv", "a;b\n1;2\n", NULL, 0, ": no feature columns (the only column, 'a;b', is the target)", 0, 0);
    csv_fails("data.csv", "y\n1\n2\n", NULL, 0, ": no feature columns (the only column, 'y', is the target)", 0, 0);

    /* Too many columns. */
    char text[4096];
    size_t used = 0;
    for (int i = 0; i < 257; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%sc%d", i ? "," : "", i);
    snprintf(text + used, sizeof text - used, "\n");
    csv_fails("wide.csv", text, NULL, 0, ": more than 256 columns", 0, 0);
    /* 256 are fine. */
    used = 0;
    for (int i = 0; i < 256; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%sc%d", i ? "," : "", i);
    used += (size_t)snprintf(text + used, sizeof text - used, "\n");
    for (int i = 0; i < 256; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%d", i ? "," : "", i);
    snprintf(text + used, sizeof text - used, "\n");
    dataset *ds = load_ok(write_file("wide.csv", text, -1), 1, 0);
    assert_int_equal(ds->d, 255);
    expect_near(ds->x[254], 254, 0);
    expect_near(ds->y[0], 255, 0);
    assert_string_equal(ds->feature_names[7], "c7");
    data_destroy(ds);

    /* Files that are not there, or are folders. */
    char spec[400], msg[600];
    snprintf(spec, sizeof spec, "%s/absent.csv", tmp_dir);
    snprintf(msg, sizeof msg, "%s: cannot open (No such file or directory)", spec);
    load_fails(spec, 0, msg, 0, 0);
    snprintf(spec, sizeof spec, "%s/folder.csv", tmp_dir);
    assert_int_equal(mkdir(spec, 0700), 0);
    snprintf(msg, sizeof msg, "%s: is a directory", spec);
    load_fails(spec, 0, msg, 0, 0);
    rmdir(spec);
}

static void test_csv_limits(void **state)
{
    (void)state;
    /* More rows than DATA_MAX_ROWS: 1,000,001 rows of "1,0". */
    const long rows = DATA_MAX_ROWS + 1L;
    char *text = malloc((size_t)(rows + 1) * 4 + 8);
    assert_non_null(text);
    size_t used = 0;
    memcpy(text, "a,b\n", 4);
    used = 4;
    for (long i = 0; i < rows; i++) {
        memcpy(text + used, "1,0\n", 4);
        used += 4;
    }
    const char *path = write_file("long.csv", text, (long)used);
    char msg[600];
    snprintf(msg, sizeof msg, "%s:%ld: more than %d rows", path, rows + 1, DATA_MAX_ROWS);
    load_fails(path, 0, msg, (int)rows + 1, 0);
    /* Exactly DATA_MAX_ROWS rows load. */
    path = write_file("long.csv", text, (long)used - 4);
    dataset *ds = load_ok(path, 1, 0);
    assert_int_equal(ds->n, DATA_MAX_ROWS);
    data_destroy(ds);
    free(text);

    /* A file over DATA_MAX_BYTES is refused before it is read (a sparse file). */
    path = write_file("huge.csv", "a,b\n", -1);
    assert_int_equal(truncate(path, DATA_MAX_BYTES + 1), 0);
    snprintf(msg, sizeof msg, "%s: larger than 256 MiB", path);
    load_fails(path, 0, msg, 0, 0);
    assert_int_equal(truncate(path, 0), 0);
}

/* The row reader's two ways give one answer: a file of random rows, most of them the
 * common shape (plain decimals between commas: the one-pass way), the rest with
 * what sends a row the general way (blanks, quotes, exponents of 4 digits, 20-digit
 * mantissas, hex-free but long numbers, blank lines, CRLF and CR line ends) loads
 * every field as strtod reads it, bit for bit, and a bad field after thousands of
 * one-pass rows is reported at its own line and column. */
static rng gen;   /* seeded by each test that draws from it */

static void random_field(char *out, size_t size, int label)
{
    uint64_t r = rng_next(&gen);
    if (label) {
        snprintf(out, size, "%d", (int)(r % 3) - 1);
        return;
    }
    double v = ldexp((double)(rng_next(&gen) >> 11), -53) * pow(10.0, (double)(r % 12) - 6);
    if ((r >> 8) & 1)
        v = -v;
    switch ((r >> 9) % 10) {
    case 0: snprintf(out, size, "%.17g", v); break;
    case 1: snprintf(out, size, "%.3e", v); break;
    case 2: snprintf(out, size, "%.20f", v); break;
    case 3: snprintf(out, size, " %.6f ", v); break;
    case 4: snprintf(out, size, "\"%.6f\"", v); break;
    case 5: snprintf(out, size, "%.6fe0000", v); break;
    case 6: snprintf(out, size, "%.0f", v * 1e6); break;
    default: snprintf(out, size, "%.6f", v); break;
    }
}

/* strtod of a field as the general rules see it: trimmed, unquoted. */
static double field_value(const char *f)
{
    char buf[128];
    size_t n = strlen(f), a = 0;
    while (a < n && f[a] == ' ')
        a++;
    while (n > a && f[n - 1] == ' ')
        n--;
    if (n - a >= 2 && f[a] == '"' && f[n - 1] == '"')
        a++, n--;
    memcpy(buf, f + a, n - a);
    buf[n - a] = '\0';
    return strtod(buf, NULL);
}

static void test_csv_fast_rows_exact(void **state)
{
    rng_seed(&gen, 88172645463325252ull);
    (void)state;
    enum { ROWS = 20000, COLS = 4 };
    size_t cap = (size_t)ROWS * COLS * 48 + 64, used = 0;
    char *text = malloc(cap);
    double *want = malloc(sizeof(double) * ROWS * COLS);
    assert_non_null(text);
    assert_non_null(want);
    used += (size_t)snprintf(text, cap, "a,b,c,label\n");
    for (int i = 0; i < ROWS; i++) {
        uint64_t r = rng_next(&gen);
        if (r % 97 == 0)
            used += (size_t)snprintf(text + used, cap - used, r % 2 ? "\n" : "  \r\n");
        for (int c = 0; c < COLS; c++) {
            char f[96];
            random_field(f, sizeof f, c == COLS - 1);
            want[i * COLS + c] = field_value(f);
            used += (size_t)snprintf(text + used, cap - used, "%s%s", c ? "," : "", f);
        }
        const char *eol = (r >> 20) % 7 == 0 ? "\r\n" : (r >> 20) % 7 == 1 ? "\r" : "\n";
        used += (size_t)snprintf(text + used, cap - used, "%s", eol);
    }
    const char *path = write_file("fast.csv", text, (long)used);
    /* as regression data: every value */
    dataset *ds = load_ok(path, 1, 0);
    assert_int_equal(ds->n, ROWS);
    assert_int_equal(ds->d, COLS - 1);
    for (int i = 0; i < ROWS; i++) {
        for (int c = 0; c < COLS - 1; c++)
            if (memcmp(&ds->x[i * (COLS - 1) + c], &want[i * COLS + c], sizeof(double)) != 0)
                fail_msg("row %d column %d: %.17g, strtod %.17g", i, c,
                         ds->x[i * (COLS - 1) + c], want[i * COLS + c]);
        assert_memory_equal(&ds->y[i], &want[i * COLS + COLS - 1], sizeof(double));
    }
    data_destroy(ds);
    /* as classes: labels −1/0/1 become 0/1/2 */
    ds = load_ok(path, 1, 1);
    assert_int_equal(ds->n_classes, 3);
    for (int i = 0; i < ROWS; i++)
        assert_true(ds->y[i] == want[i * COLS + COLS - 1] + 1);
    data_destroy(ds);

    /* a bad field after 5000 common rows: its own line and column */
    used = (size_t)snprintf(text, cap, "a,b\n");
    for (int i = 0; i < 5000; i++)
        used += (size_t)snprintf(text + used, cap - used, "%d.5,-%d\n", i, i % 2);
    used += (size_t)snprintf(text + used, cap - used, "1.5,2x\n3,4\n");
    write_file("late.csv", text, (long)used);
    csv_fails("late.csv", text, NULL, 0, ":5002:5: '2x' is not a number", 5002, 5);
    csv_fails("late.csv", text, NULL, 1, ":5002:5: '2x' is not a number", 5002, 5);
    /* a fractional label after common rows, and a 65th class */
    used = (size_t)snprintf(text, cap, "a,b\n");
    for (int i = 0; i < 3000; i++)
        used += (size_t)snprintf(text + used, cap - used, "%d,%d\n", i, i % 2);
    snprintf(text + used, cap - used, "7,0.5\n");
    csv_fails("frac2.csv", text, NULL, 1, ":3002:3: class label 0.5 is not a whole number", 3002, 3);
    used = (size_t)snprintf(text, cap, "a,b\n");
    for (int i = 0; i < 65; i++)
        used += (size_t)snprintf(text + used, cap - used, "1.25,%d\n", i * 3);
    csv_fails("many2.csv", text, NULL, 1, ":66:6: more than 64 classes in the target", 66, 6);
    /* a short and a long row among common ones */
    csv_fails("short.csv", "a,b,c\n1,2,3\n4,5\n", NULL, 0, ":3: row has 2 fields, the header has 3", 3, 0);
    csv_fails("long2.csv", "a,b,c\n1,2,3\n4,5,6,7\n", NULL, 0, ":3: row has 4 fields, the header has 3", 3, 0);
    /* -0 keeps its sign as a feature; as a label it is class 0 like 0 */
    ds = load_ok(write_file("negz.csv", "a,b\n-0,-0\n1,1\n", -1), 1, 1);
    assert_true(signbit(ds->x[0]));
    assert_true(ds->y[0] == 0 && !signbit(ds->y[0]));
    data_destroy(ds);
    free(text);
    free(want);
}

/* A body of several MB is read in stretches, one per thread: every shape of file
 * gives what the general way gives (csv_opts.general_only), bit for bit, errors
 * included. */
static void same_both_ways(const char *path, int want_classes)
{
    diag e1 = {0}, e2 = {0};
    csv_opts usual = { NULL, 0, -1, 0 }, general = { NULL, 0, -1, 1 };
    dataset *a = data_csv_load(path, &usual, want_classes, &e1);
    dataset *b = data_csv_load(path, &general, want_classes, &e2);
    assert_true((a == NULL) == (b == NULL));
    if (!a) {
        assert_string_equal(e1.msg, e2.msg);
        assert_int_equal(e1.line, e2.line);
        assert_int_equal(e1.column, e2.column);
        return;
    }
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->d, b->d);
    assert_int_equal(a->n_classes, b->n_classes);
    assert_memory_equal(a->x, b->x, (size_t)a->n * (size_t)a->d * sizeof(double));
    assert_memory_equal(a->y, b->y, (size_t)a->n * sizeof(double));
    data_destroy(a);
    data_destroy(b);
}

static void test_csv_stretches(void **state)
{
    rng_seed(&gen, 88172645463325252ull);
    (void)state;
    enum { ROWS = 200000 };
    size_t cap = (size_t)ROWS * 40 + 256;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int variant = 0; variant < 9; variant++) {
        size_t used = (size_t)snprintf(text, cap, "x1,x2,label\n");
        for (int i = 0; i < ROWS; i++) {
            uint64_t r = rng_next(&gen);
            double v1 = ldexp((double)(r >> 11), -53) * 6 - 3, v2 = (double)(r % 1000) / 7;
            int label = variant == 4 && i > ROWS / 2 && i % 1000 == 0 ? 2 : i & 1;
            if (variant == 5 && i == ROWS - 10)
                label = 7;                                       /* a class late */
            const char *eol = variant == 1 ? "\r\n" : variant == 2 && i % 3 == 0 ? "\r" : "\n";
            if (variant == 3 && i == ROWS * 3 / 4)
                used += (size_t)snprintf(text + used, cap - used, "\"%.6f\", %.6f ,%d%s", v1, v2, label, eol);
            else if (variant == 6 && i == ROWS * 3 / 4)
                used += (size_t)snprintf(text + used, cap - used, "%.6f,%.6fx,%d%s", v1, v2, label, eol);
            else if (variant == 7 && i == ROWS * 3 / 4)
                used += (size_t)snprintf(text + used, cap - used, "%.6f,%.6f%s", v1, v2, eol);
            else if (variant == 8 && i % 50000 == 7)
                used += (size_t)snprintf(text + used, cap - used, "%.6f,%.6f,%d%s \t\n", v1, v2, label, eol);
            else
                used += (size_t)snprintf(text + used, cap - used, "%.6f,%.6f,%d%s", v1, v2, label, eol);
        }
        if (variant == 0)
            used += (size_t)snprintf(text + used, cap - used, "\n\n");  /* trailing blank lines */
        if (variant == 1)
            used -= 2;                                                  /* no line end at the end */
        const char *path = write_file("stretch.csv", text, (long)used);
        same_both_ways(path, 0);
        same_both_ways(path, 1);
    }
    /* the 65th class only in the last stretch */
    size_t used = (size_t)snprintf(text, cap, "a,b\n");
    for (int i = 0; i < ROWS; i++)
        used += (size_t)snprintf(text + used, cap - used, "%d.25,%d\n", i, i < ROWS - 100 ? i % 40 : i % 65);
    const char *path = write_file("stretch.csv", text, (long)used);
    same_both_ways(path, 1);
    free(text);
}

/* ---- split and standardization -------------------------------------------- */

/* A regression set whose row i has features (i, 2i) and target −i. */
static dataset *indexed(int n)
{
    char text[64];
    snprintf(text, sizeof text, "linear:n=%d", n);
    dataset *ds = load_ok(text, 1, 0);
    for (int i = 0; i < n; i++) {
        ds->x[2 * i] = i;
        ds->x[2 * i + 1] = 2 * i;
        ds->y[i] = -i;
    }
    return ds;
}

static void test_split(void **state)
{
    (void)state;
    dataset *all = indexed(101);
    dataset *train, *test;
    diag err = {0};
    assert_int_equal(data_split(all, 0.25, 9, &train, &test, &err), 1);
    assert_int_equal(test->n, 25);             /* round(25.25) */
    assert_int_equal(train->n, 76);
    assert_int_equal(train->d, 2);
    assert_string_equal(train->name, "linear");
    assert_string_equal(test->feature_names[1], "x2");
    int seen[101] = {0};
    const dataset *parts[2] = { train, test };
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < parts[p]->n; i++) {
            int r = (int)parts[p]->x[2 * i];
            assert_true(r >= 0 && r < 101);
            /* The row travels whole. */
            expect_near(parts[p]->x[2 * i + 1], 2 * r, 0);
            expect_near(parts[p]->y[i], -r, 0);
            seen[r]++;
        }
    for (int r = 0; r < 101; r++)
        assert_int_equal(seen[r], 1);

    /* Seeded: the same seed picks the same rows, another seed others. */
    dataset *train2, *test2, *train3, *test3;
    assert_int_equal(data_split(all, 0.25, 9, &train2, &test2, &err), 1);
    assert_memory_equal(test->x, test2->x, 25 * 2 * sizeof(double));
    assert_int_equal(data_split(all, 0.25, 10, &train3, &test3, &err), 1);
    assert_memory_not_equal(test->x, test3->x, 25 * 2 * sizeof(double));
    data_destroy(train);
    data_destroy(test);
    data_destroy(train2);
    data_destroy(test2);
    data_destroy(train3);
    data_destroy(test3);

    /* split 0: everything trains, no test part. */
    assert_int_equal(data_split(all, 0, 9, &train, &test, &err), 1);
    assert_null(test);
    assert_int_equal(train->n, 101);
    assert_memory_equal(train->x, all->x, 101 * 2 * sizeof(double));
    assert_memory_equal(train->y, all->y, 101 * sizeof(double));
    data_destroy(train);

    /* Classification metadata is kept. */
    dataset *moons = load_ok("moons:n=10", 1, 0);
    assert_int_equal(data_split(moons, 0.5, 1, &train, &test, &err), 1);
    assert_int_equal(train->n, 5);
    assert_int_equal(test->n, 5);
    assert_int_equal(train->task, DATA_CLASSIFICATION);
    assert_int_equal(test->n_classes, 2);
    data_destroy(train);
    data_destroy(test);
    data_destroy(moons);

    /* Errors. */
    dataset *small = indexed(10);
    assert_int_equal(data_split(small, 0.96, 1, &train, &test, &err), 0);
    assert_string_equal(err.msg, "split 0.96 of 10 rows leaves no training rows");
    assert_null(train);
    assert_null(test);
    assert_int_equal(data_split(small, 0.04, 1, &train, &test, &err), 0);
    assert_string_equal(err.msg, "split 0.04 of 10 rows leaves no test rows");
    assert_int_equal(data_split(small, 1.0, 1, &train, &test, &err), 0);
    assert_string_equal(err.msg, "split fraction must be in [0, 1), not 1");
    assert_int_equal(data_split(small, -0.1, 1, &train, &test, &err), 0);
    assert_int_equal(data_split(small, NAN, 1, &train, &test, &err), 0);
    assert_int_equal(data_split(small, 0.05, 1, &train, &test, NULL), 1);   /* round(0.5) = 1 */
    assert_int_equal(test->n, 1);
    data_destroy(train);
    data_destroy(test);
    data_destroy(small);
    data_destroy(all);
}

/* data_split_take gives what data_split gives, bit for bit, and takes `all` over. */
static void test_split_take(void **state)
{
    (void)state;
    static const double fracs[] = { 0, 0.25, 0.5, 0.01 };
    for (int k = 0; k < 4; k++) {
        dataset *ref = load_ok("blobs:n=1000,k=3", 5, 1), *tr, *te, *tr2, *te2;
        diag err = {0};
        assert_int_equal(data_split(ref, fracs[k], 3, &tr, &te, &err), 1);
        dataset *all = load_ok("blobs:n=1000,k=3", 5, 1);
        assert_int_equal(data_split_take(all, fracs[k], 3, &tr2, &te2, &err), 1);
        assert_ptr_equal(tr2, all);
        assert_int_equal(tr2->n, tr->n);
        assert_int_equal(tr2->n_classes, tr->n_classes);
        assert_memory_equal(tr2->x, tr->x, (size_t)tr->n * 2 * sizeof(double));
        assert_memory_equal(tr2->y, tr->y, (size_t)tr->n * sizeof(double));
        if (fracs[k] == 0) {
            assert_null(te2);
            assert_null(te);
        } else {
            assert_int_equal(te2->n, te->n);
            assert_memory_equal(te2->x, te->x, (size_t)te->n * 2 * sizeof(double));
            assert_memory_equal(te2->y, te->y, (size_t)te->n * sizeof(double));
            assert_string_equal(te2->name, te->name);
        }
        data_destroy(tr), data_destroy(te), data_destroy(tr2), data_destroy(te2);
        data_destroy(ref);
    }
    /* a refused split frees what it took, with data_split's message */
    dataset *all = load_ok("moons:n=10", 1, 1), *tr, *te;
    diag err = {0};
    assert_int_equal(data_split_take(all, 0.99, 1, &tr, &te, &err), 0);
    assert_null(tr);
    assert_null(te);
    assert_string_equal(err.msg, "split 0.99 of 10 rows leaves no training rows");
}

static void test_standardize(void **state)
{
    (void)state;
    dataset *all = load_ok("scales:n=1000", 4, 0);
    dataset *train, *test;
    diag err = {0};
    assert_int_equal(data_split(all, 0.2, 4, &train, &test, &err), 1);
    double mean[2], sd[2];
    for (int j = 0; j < 2; j++) {
        mean[j] = column_mean(train, j);
        sd[j] = column_sd(train, j);
    }
    double *want = malloc((size_t)test->n * 2 * sizeof *want);
    for (int i = 0; i < test->n; i++)
        for (int j = 0; j < 2; j++)
            want[2 * i + j] = (test->x[2 * i + j] - mean[j]) / sd[j];
    double y0 = train->y[0];
    data_standardize(train, test);
    for (int j = 0; j < 2; j++) {
        expect_near(column_mean(train, j), 0, 1e-12);
        expect_near(column_sd(train, j), 1, 1e-12);
    }
    for (int i = 0; i < test->n * 2; i++)
        expect_near(test->x[i], want[i], 1e-12);
    /* The test part's own statistics are not 0 and 1 exactly. */
    assert_true(fabs(column_mean(test, 0)) > 1e-6);
    expect_near(train->y[0], y0, 0);    /* targets untouched */
    free(want);
    data_destroy(train);
    data_destroy(test);
    data_destroy(all);

    /* A constant feature is only centred; test may be NULL. */
    const char *path = write_file("const.csv", "a,b,y\n3,1,0\n3,2,0\n3,6,1\n", -1);
    dataset *ds = load_ok(path, 1, 0);
    data_standardize(ds, NULL);
    for (int i = 0; i < 3; i++)
        expect_near(ds->x[2 * i], 0, 0);
    expect_near(column_mean(ds, 1), 0, 1e-15);
    expect_near(column_sd(ds, 1), 1, 1e-15);
    data_destroy(ds);
    path = write_file("const.csv", "a,y\n0.1,0\n0.1,0\n0.1,1\n", -1);
    ds = load_ok(path, 1, 0);
    data_standardize(ds, NULL);
    for (int i = 0; i < 3; i++)
        expect_near(ds->x[i], 0, 1e-15);
    data_destroy(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generator_table),
        cmocka_unit_test(test_generators_shape_labels_balance),
        cmocka_unit_test(test_generators_deterministic),
        cmocka_unit_test(test_scales_and_linear),
        cmocka_unit_test(test_classification_geometry),
        cmocka_unit_test(test_generator_spec_errors),
        cmocka_unit_test(test_csv_good),
        cmocka_unit_test(test_csv_bom_crlf),
        cmocka_unit_test(test_csv_target_selection),
        cmocka_unit_test(test_csv_labels),
        cmocka_unit_test(test_csv_defects),
        cmocka_unit_test(test_csv_limits),
        cmocka_unit_test(test_csv_fast_rows_exact),
        cmocka_unit_test(test_csv_stretches),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_split_take),
        cmocka_unit_test(test_standardize),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
