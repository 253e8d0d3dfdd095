/*
 * fuzz_csv.c — CSV data loading (data_load on a file) on arbitrary bytes, read
 * as regression data and as class labels. data.h has no from-memory parser, so
 * the input goes to an in-memory file (memfd; a temporary file where memfd is
 * missing) that data_load opens through /proc/self/fd/N, a path without ':' that
 * names an existing file. A data set that loads has finite numbers, labels in
 * range, and splits.
 */
#define _GNU_SOURCE
#include <math.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/data.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
        if (!ds) {
            FUZZ_CHECK(err.msg[0] != '\0');
        } else {
            check(ds, want);
            data_destroy(ds);
        }
    }
    return 0;
}
