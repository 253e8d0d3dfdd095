/*
 * data_csv.c — CSV loading for data.c (the rules are in data.c's header comment).
 */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1 /* MAP_POPULATE, MADV_HUGEPAGE */
#endif
#include "core/data.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__linux__) || defined(__APPLE__) || defined(__FreeBSD__)
#define CSV_MMAP 1
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif
#endif

#include "core/data_internal.h"
#include "core/textparse.h"

#ifdef _OPENMP
#include <omp.h>
#endif

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

/* The whole file: a private read-only mapping (*mapped = 1) or a malloc'd copy with
 * a NUL after it (*mapped = 0); release it with release_file. Nothing here reads
 * past *size. */
static char *read_file(const char *path, size_t *size, int *mapped, diag *err)
{
    *mapped = 0;
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
#ifdef CSV_MMAP
    /* A regular file is mapped, not copied (at 20 MB the copy and the page faults of
     * a buffer to copy into cost more than the parse); the reading below is for
     * pipes, special files and systems without mmap. */
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            csv_fail(err, path, 0, 0, "cannot open (%s)", strerror(errno));
            return NULL;
        }
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        close(fd);
        if (m != MAP_FAILED) {
            *size = (size_t)st.st_size;
            *mapped = 1;
            return m;
        }
    }
#endif
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

static void release_file(char *buf, size_t size, int mapped)
{
#ifdef CSV_MMAP
    if (mapped) {
        munmap(buf, size);
        return;
    }
#endif
    (void)size, (void)mapped;
    free(buf);
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

/* Asks for huge pages under a large block that rows are about to be written into: a
 * page fault per 2 MB instead of per 4 KB (at 10^6 rows, 6,000 faults fewer). Only a
 * hint: Linux with transparent huge pages in "madvise" mode honours it. */
static void huge_pages(void *p, size_t bytes)
{
#if defined(CSV_MMAP) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (bytes < 2 * huge)
        return;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1), b = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (b > a)
        madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)p, (void)bytes;
#endif
}

/* Room for rows up to `want` (at least one more than ds->n): 1, or 0 out of memory. */
static int reserve(dataset *ds, int *cap, int d, int want)
{
    if (want <= *cap)
        return 1;
    double *nx = realloc(ds->x, (size_t)want * (size_t)d * sizeof *nx);
    if (!nx)
        return 0;
    ds->x = nx;
    double *ny = realloc(ds->y, (size_t)want * sizeof *ny);
    if (!ny)
        return 0;
    ds->y = ny;
    huge_pages(ds->x + (size_t)ds->n * (size_t)d, (size_t)(want - ds->n) * (size_t)d * sizeof *nx);
    huge_pages(ds->y + ds->n, (size_t)(want - ds->n) * sizeof *ny);
    *cap = want;
    return 1;
}

/* x and y down to ds->n rows (never fails: a failed realloc keeps the larger block). */
static void shrink(dataset *ds, int d)
{
    double *nx = realloc(ds->x, (size_t)ds->n * (size_t)d * sizeof *nx);
    if (nx)
        ds->x = nx;
    double *ny = realloc(ds->y, (size_t)ds->n * sizeof *ny);
    if (ny)
        ds->y = ny;
}

static int grow(dataset *ds, int *cap, int d)
{
    if (ds->n < *cap)
        return 1;
    int ncap = *cap < 1024 ? 1024 : *cap * 2;
    if (ncap > DATA_MAX_ROWS)
        ncap = DATA_MAX_ROWS;
    return reserve(ds, cap, d, ncap);
}

/* The label v among the first *n of labels[], added when new: 1, or 0 when it is
 * not a whole number or is new and there is no room (the general way reports it). */
static int label_fast(double v, double *labels, int *n)
{
    if (v != floor(v) || fabs(v) > 9007199254740992.0)
        return 0;
    for (int l = 0; l < *n; l++)
        if (labels[l] == v)
            return 1;
    if (*n == DATA_MAX_CLASSES)
        return 0;
    labels[(*n)++] = v;
    return 1;
}

/* The common row, read in one pass: every field a plain decimal that
 * text_decimal_fast reads (the same double as strtod) standing right between the
 * commas, no blanks, no quotes, exactly ncol fields, then the line end (LF, CRLF,
 * CR) or the end of the buffer. Features go to row[0..ncol-1), the target to *y.
 * Returns where the next line starts, or NULL: the line goes the general way, which
 * also finds and words whatever is wrong with it. */
static const char *row_fast(const char *p, const char *end, int ncol, int target, double *row,
                            double *y)
{
    for (int c = 0; c < ncol; c++) {
        double v;
        const char *q = text_decimal_fast(p, end, &v);
        if (!q)
            return NULL;
        if (c == target)
            *y = v;
        else
            *row++ = v;
        if (c + 1 < ncol) {
            if (q == end || *q != ',')
                return NULL;
            p = q + 1;
            continue;
        }
        if (q == end)
            return q;
        if (*q == '\n')
            return q + 1;
        if (*q == '\r')
            return q + 1 < end && q[1] == '\n' ? q + 2 : q + 1;
        return NULL;
    }
    return NULL;
}

/* Line ends ('\n' and '\r' bytes) in p[0..len), eight bytes at a time: an upper
 * bound of the lines there (CRLF counts twice). */
static size_t count_ends(const char *p, size_t len)
{
    const uint64_t lo7 = UINT64_C(0x7F7F7F7F7F7F7F7F), ones = UINT64_C(0x0101010101010101);
    size_t n = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t a = w ^ (ones * '\n'), b = w ^ (ones * '\r');
        /* the high bit of each byte that is zero in a or in b, exactly */
        uint64_t z = ~(((a & lo7) + lo7) | a | lo7) | ~(((b & lo7) + lo7) | b | lo7);
        n += (size_t)(((z >> 7) * ones) >> 56);
    }
    for (; i < len; i++)
        n += p[i] == '\n' || p[i] == '\r';
    return n;
}

/* A stretch of the body read the one-pass way only: rows into x/y from row 0, at
 * most `room` of them; lines holding only blanks skipped. Any other line that
 * row_fast does not take, or a label label_fast cannot keep, stops it (−1: the
 * caller reads the whole body the usual way, which finds and words what is wrong).
 * Returns the rows read. */
static int stretch_fast(const char *p, const char *end, int ncol, int target, int d, int classify,
                        double *x, double *y, int room, double *labels, int *n_labels)
{
    int n = 0;
    while (p < end) {
        if (n < room) {
            double yv = 0;
            const char *next = row_fast(p, end, ncol, target, x + (size_t)n * (size_t)d, &yv);
            if (next && (!classify || label_fast(yv, labels, n_labels))) {
                y[n++] = yv;
                p = next;
                continue;
            }
        }
        size_t at = 0, len;
        const char *line;
        if (!next_line(p, (size_t)(end - p), &at, &line, &len) || !blank_line(line, len))
            return -1;
        p += at;
    }
    return n;
}

#ifdef _OPENMP
enum { PAR_MAX = 8 };
#define PAR_MIN_BYTES ((size_t)1 << 20)   /* below this a stretch is not worth a thread */

/* The body buf[pos..size) cut at line starts into one stretch per thread, each read by
 * stretch_fast straight into its place in ds (after as many rows as the stretches
 * before it have line ends), then the stretches closed up. 1: ds->n rows read and
 * labels[0..*n_labels) set. 0: nothing decided (a stretch stopped, too many rows or
 * classes, no memory): ds->n is still 0 and labels untouched; the caller reads the
 * body the usual way. */
static int read_parallel(const char *buf, size_t pos, size_t size, int ncol, int target, int d,
                         int classify, dataset *ds, int *cap, double *labels, int *n_labels)
{
    int parts = omp_get_max_threads();
    if (parts > PAR_MAX)
        parts = PAR_MAX;
    if ((size_t)parts > (size - pos) / PAR_MIN_BYTES)
        parts = (int)((size - pos) / PAR_MIN_BYTES);
    if (parts < 2)
        return 0;
    size_t cut[PAR_MAX + 1];
    cut[0] = pos;
    for (int k = 1; k < parts; k++) {
        size_t at = pos + (size - pos) / (size_t)parts * (size_t)k;
        if (at < cut[k - 1])
            at = cut[k - 1];
        const char *nl = memchr(buf + at, '\n', size - at);
        cut[k] = nl ? (size_t)(nl - buf) + 1 : size;
    }
    cut[parts] = size;
    long slots[PAR_MAX], first[PAR_MAX];
#pragma omp parallel for num_threads(parts) schedule(static, 1)
    for (int k = 0; k < parts; k++)
        slots[k] = (long)count_ends(buf + cut[k], cut[k + 1] - cut[k]);
    if (size > pos && buf[size - 1] != '\n' && buf[size - 1] != '\r')
        slots[parts - 1]++;   /* the last line has no end */
    long total = 0;
    for (int k = 0; k < parts; k++) {
        first[k] = total;
        total += slots[k];
    }
    if (total > *cap && (total > DATA_MAX_ROWS + 65536L || !reserve(ds, cap, d, (int)total)))
        return 0;
    int got[PAR_MAX], nl[PAR_MAX];
    double lab[PAR_MAX][DATA_MAX_CLASSES];
#pragma omp parallel for num_threads(parts) schedule(static, 1)
    for (int k = 0; k < parts; k++) {
        nl[k] = 0;
        got[k] = stretch_fast(buf + cut[k], buf + cut[k + 1], ncol, target, d, classify,
                              ds->x + (size_t)first[k] * (size_t)d, ds->y + first[k],
                              (int)slots[k], lab[k], &nl[k]);
    }
    long rows = 0;
    for (int k = 0; k < parts; k++) {
        if (got[k] < 0)
            return 0;
        rows += got[k];
    }
    if (rows > DATA_MAX_ROWS)
        return 0;
    /* the classes of all stretches, each once */
    double all[DATA_MAX_CLASSES];
    int n_all = 0;
    for (int k = 0; k < parts; k++)
        for (int l = 0; l < nl[k]; l++) {
            int known = 0;
            for (int q = 0; q < n_all && !known; q++)
                known = all[q] == lab[k][l];
            if (known)
                continue;
            if (n_all == DATA_MAX_CLASSES)
                return 0;
            all[n_all++] = lab[k][l];
        }
    /* close up: each stretch's rows right after the ones before */
    long n = got[0];
    for (int k = 1; k < parts; k++) {
        if (first[k] != n) {
            memmove(ds->x + (size_t)n * (size_t)d, ds->x + (size_t)first[k] * (size_t)d,
                    (size_t)got[k] * (size_t)d * sizeof *ds->x);
            memmove(ds->y + n, ds->y + first[k], (size_t)got[k] * sizeof *ds->y);
        }
        n += got[k];
    }
    ds->n = (int)n;
    memcpy(labels, all, (size_t)n_all * sizeof *all);
    *n_labels = n_all;
    return 1;
}
#endif

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

dataset *data_csv_load(const char *path, const csv_opts *o, int want_classes, diag *err)
{
    size_t size;
    int mapped;
    char *buf = read_file(path, &size, &mapped, err);
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
    /* Room for every row the rest can hold (a row of ncol fields takes at least
     * 2·ncol bytes with its line end), within the row limit; shrunk at the end. A
     * larger request that fails leaves growing as rows come. */
    {
        size_t most = (size - pos) / (2 * (size_t)ncol) + 1;
        if (most > DATA_MAX_ROWS)
            most = DATA_MAX_ROWS;
        if (!reserve(ds, &cap, d, (int)most) && !grow(ds, &cap, d)) {
            csv_fail(err, path, 0, 0, "out of memory");
            goto fail;
        }
    }
#ifdef _OPENMP
    /* A large body of common rows: one stretch per thread. */
    if (!o->general_only && read_parallel(buf, pos, size, ncol, target, d, classify, ds, &cap,
                                          labels, &n_labels))
        pos = size;
#endif
    while (pos < size) {
        /* the common row in one pass; anything else below, by the general rules */
        if (ds->n < cap && ds->n < DATA_MAX_ROWS && !o->general_only) {
            double *row = ds->x + (size_t)ds->n * (size_t)d, yv = 0;
            const char *next = row_fast(buf + pos, buf + size, ncol, target, row, &yv);
            if (next && (!classify || label_fast(yv, labels, &n_labels))) {
                ds->y[ds->n++] = yv;
                lineno++;
                pos = (size_t)(next - buf);
                continue;
            }
        }
        if (!next_line(buf, size, &pos, &line, &len))
            break;
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
    if (cap > ds->n)
        shrink(ds, d);
    if (classify) {
        if (n_labels < 2) {
            csv_fail(err, path, 0, 0, "the target has a single class");
            goto fail;
        }
        qsort(labels, (size_t)n_labels, sizeof labels[0], cmp_double);
        /* each label by its rank among the sorted distinct labels */
        for (int i = 0; i < ds->n; i++) {
            int c = 0;
            while (labels[c] != ds->y[i])
                c++;
            ds->y[i] = (double)c;
        }
        ds->n_classes = n_labels;
    }
    free(f);
    release_file(buf, size, mapped);
    return ds;

fail:
    free(f);
    release_file(buf, size, mapped);
    data_destroy(ds);
    return NULL;
}

/* Options of a CSV spec: target=NAME|INDEX, task=regression|classification (the
 * item grammar of textparse.h). */
int data_csv_options(const char *spec, size_t opt, const char *path, csv_opts *o,
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
