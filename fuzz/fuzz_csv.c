/*
 * fuzz_csv.c — CSV data loading (data_load on a file) on arbitrary bytes, read
 * as regression data and as class labels. data.h has no from-memory parser, so
 * the input goes to an in-memory file (memfd; a temporary file where memfd is
 * missing) that data_load opens through /proc/self/fd/N, a path without ':' that
 * names an existing file. A data set that loads has finite numbers, labels in
 * range, and splits.
 *
 * Differential: the loader with every row read the general way (csv_opts'
 * general_only) must give the same answer as the usual one (rows of plain decimals
 * read in one pass): the same message at the same line and column, or the same
 * data bit for bit. And text_decimal_fast, started at every byte of the input,
 * takes only what strtod reads as the same double.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/data.h"
#include "core/data_internal.h"
#include "core/textparse.h"
#include "fuzz.h"

static int fd = -1;
static char path[64];

static void open_file(void)
{
#ifdef MFD_CLOEXEC
    fd = memfd_create("fuzz_csv", MFD_CLOEXEC);
#endif
    if (fd < 0) {
        char tmpl[] = "/tmp/fuzz_csv_XXXXXX";
        fd = mkstemp(tmpl);
        FUZZ_CHECK(fd >= 0);
        unlink(tmpl);
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
}

static void check(const dataset *ds, int want_classes)
{
    FUZZ_CHECK(ds->n >= 1 && ds->d >= 1 && ds->d <= DATA_MAX_COLUMNS && ds->n <= DATA_MAX_ROWS);
    for (long i = 0; i < (long)ds->n * ds->d; i++)
        FUZZ_CHECK(isfinite(ds->x[i]));
    for (int i = 0; i < ds->n; i++) {
        FUZZ_CHECK(isfinite(ds->y[i]));
        if (want_classes)
            FUZZ_CHECK(ds->y[i] >= 0 && ds->y[i] < ds->n_classes && ds->y[i] == floor(ds->y[i]));
    }
    if (want_classes)
        FUZZ_CHECK(ds->n_classes >= 2 && ds->n_classes <= DATA_MAX_CLASSES);
    dataset *tr = NULL, *te = NULL;
    if (data_split(ds, 0.25, 7, &tr, &te, NULL)) {
        data_standardize(tr, te);
        for (long i = 0; i < (long)tr->n * tr->d; i++)
            FUZZ_CHECK(isfinite(tr->x[i]));
    }
    data_destroy(tr);
    data_destroy(te);
}

/* Both ways of the row reader agree. */
static void same(const dataset *ds, const diag *err, int want_classes)
{
    diag e2 = { 0 };
    csv_opts o = { NULL, 0, -1, 1 };
    dataset *g = data_csv_load(path, &o, want_classes, &e2);
    FUZZ_CHECK((ds == NULL) == (g == NULL));
    if (!ds) {
        FUZZ_CHECK(strcmp(err->msg, e2.msg) == 0);
        FUZZ_CHECK(err->line == e2.line && err->column == e2.column);
        return;
    }
    FUZZ_CHECK(ds->n == g->n && ds->d == g->d && ds->task == g->task &&
               ds->n_classes == g->n_classes);
    FUZZ_CHECK(memcmp(ds->x, g->x, (size_t)ds->n * (size_t)ds->d * sizeof *ds->x) == 0);
    FUZZ_CHECK(memcmp(ds->y, g->y, (size_t)ds->n * sizeof *ds->y) == 0);
    FUZZ_CHECK(memcmp(ds->feature_names, g->feature_names, sizeof ds->feature_names) == 0);
    data_destroy(g);
}

/* text_decimal_fast from every byte: what it takes, strtod reads whole, to the bit. */
static void numbers(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *end = s + size;
    for (size_t i = 0; i < size; i++) {
        double v;
        const char *e = text_decimal_fast(s + i, end, &v);
        if (!e)
            continue;
        size_t len = (size_t)(e - (s + i));
        FUZZ_CHECK(len >= 1 && len <= 400);
        FUZZ_CHECK(e == end || !((*e >= '0' && *e <= '9') || *e == '.' || *e == 'e' || *e == 'E'));
        char buf[401];
        memcpy(buf, s + i, len);
        buf[len] = '\0';
        char *stop;
        double ref = strtod(buf, &stop);
        FUZZ_CHECK(stop == buf + len);
        FUZZ_CHECK(memcmp(&v, &ref, sizeof v) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    numbers(data, size);
    if (fd < 0)
        open_file();
    FUZZ_CHECK(ftruncate(fd, 0) == 0);
    size_t done = 0;
    while (done < size) {
        ssize_t w = pwrite(fd, data + done, size - done, (off_t)done);
        FUZZ_CHECK(w > 0);
        done += (size_t)w;
    }
    for (int want = 0; want <= 1; want++) {
        diag err = { 0 };
        dataset *ds = data_load(path, 1, want, &err);
        same(ds, &err, want);
        if (!ds) {
            FUZZ_CHECK(err.msg[0] != '\0');
        } else {
            check(ds, want);
            data_destroy(ds);
        }
    }
    return 0;
}
