/*
 * recorder_paths.c — output paths of the recorder: formats by extension, PNG
 * patterns, folder checks, unique names. Contracts in recorder.h / recorder_impl.h.
 */
#include "record/recorder_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ==== paths ==== */

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash))
        return "";
    return dot + 1;
}

rec_format rec_format_of(const char *path)
{
    const char *e = ext_of(path);
    if (strcasecmp(e, "mp4") == 0)
        return REC_FORMAT_MP4;
    if (strcasecmp(e, "webm") == 0)
        return REC_FORMAT_WEBM;
    if (strcasecmp(e, "gif") == 0)
        return REC_FORMAT_GIF;
    if (strcasecmp(e, "png") == 0)
        return REC_FORMAT_PNG;
    return REC_FORMAT_NONE;
}

/* Parse the one conversion of a PNG pattern: its offset, length, zero flag, width. */
int rec_parse_pattern(const char *p, size_t *at, size_t *len, int *zero, int *width, char *err,
                      size_t n)
{
    const char *pc = strchr(p, '%');
    if (!pc) {
        snprintf(err, n, "a PNG sequence needs a frame-number pattern such as frames/f%%04d.png");
        return 0;
    }
    const char *q = pc + 1;
    *zero = 0;
    *width = 0;
    if (*q == '0')
        *zero = 1, q++;
    int digits = 0;
    while (*q >= '0' && *q <= '9') {
        *width = *width * 10 + (*q - '0');
        q++;
        digits++;
    }
    if (*q != 'd' || digits > 2) {
        snprintf(err, n, "the pattern's conversion must be %%d, %%4d or %%04d (width up to 99), not '%.*s'",
                 (int)(q - pc + (*q ? 1 : 0)), pc);
        return 0;
    }
    if (strchr(q + 1, '%')) {
        snprintf(err, n, "the pattern must have exactly one %%d conversion and no other '%%'");
        return 0;
    }
    *at = (size_t)(pc - p);
    *len = (size_t)(q + 1 - pc);
    return 1;
}

int rec_check_pattern(const char *pattern, char *err, size_t err_size)
{
    size_t at, len;
    int zero, width;
    return rec_parse_pattern(pattern, &at, &len, &zero, &width, err, err_size);
}

void rec_png_name(const recorder *r, long i, char *buf, size_t n)
{
    if (r->png_zero)
        snprintf(buf, n, "%s%0*ld%s", r->png_prefix, r->png_width, i, r->png_suffix);
    else
        snprintf(buf, n, "%s%*ld%s", r->png_prefix, r->png_width, i, r->png_suffix);
}

/* The folder part of path ("." if none), malloc'd. */
char *rec_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

/* 1 if the folder of path exists and is writable; else 0 with err and *bad_input. */
int rec_check_folder(const char *path, char *err, size_t n, int *bad_input)
{
    char *dir = rec_dir_of(path);
    if (!dir) {
        snprintf(err, n, "out of memory");
        return 0;
    }
    struct stat st;
    int ok = 0;
    if (stat(dir, &st) != 0) {
        int e = errno;
        *bad_input = e == ENOENT || e == ENOTDIR;
        snprintf(err, n, "folder '%s' %s", dir, e == ENOENT ? "does not exist" : strerror(e));
    } else if (!S_ISDIR(st.st_mode)) {
        *bad_input = 1;
        snprintf(err, n, "'%s' is not a folder", dir);
    } else if (access(dir, W_OK | X_OK) != 0) {
        snprintf(err, n, "cannot write to folder '%s': %s", dir, strerror(errno));
    } else {
        ok = 1;
    }
    free(dir);
    return ok;
}

/* ==== names ==== */

int rec_unique_name(char *buf, size_t n, const char *ext)
{
    time_t t = time(NULL);
    struct tm tmv;
    char ts[32];
    localtime_r(&t, &tmv);
    strftime(ts, sizeof ts, "%Y%m%d-%H%M%S", &tmv);
    for (int k = 0; k < 1000; k++) {
        int len = k ? snprintf(buf, n, "losscape-%s-%d.%s", ts, k, ext)
                    : snprintf(buf, n, "losscape-%s.%s", ts, ext);
        if (len < 0 || (size_t)len >= n)
            return 0;
        struct stat st;
        if (stat(buf, &st) != 0 && errno == ENOENT)
            return 1;
    }
    return 0;
}
