/*
 * png.c — atomic PNG writer.
 */
#include "record/png.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libpng reports through these instead of printing: the caller gets one line. */
typedef struct png_err_state {
    int err;                /* errno at the failure (a full disk shows as ENOSPC) */
    char msg[128];
} png_err_state;

static void on_png_error(png_structp png, png_const_charp msg)
{
    png_err_state *st = png_get_error_ptr(png);
    st->err = errno;
    snprintf(st->msg, sizeof st->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

int png_write_rgba(const char *path, int w, int h, const unsigned char *pixels, int bottom_up,
                   char *err, size_t err_size)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp) {
        snprintf(err, err_size, "out of memory");
        return 0;
    }
    snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, err_size, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return 0;
    }
    png_err_state st = { 0, "" };
    errno = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &st, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = malloc((size_t)w * 3);
    /* volatile: modified between setjmp and longjmp */
    volatile int ok = 0;
    if (png && info && row && !setjmp(png_jmpbuf(png))) {
        png_init_io(png, f);
        png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        png_set_compression_level(png, 3);
        png_write_info(png, info);
        for (int y = 0; y < h; y++) {
            const unsigned char *src = pixels + (size_t)(bottom_up ? h - 1 - y : y) * (size_t)w * 4;
            for (int x = 0; x < w; x++)
                memcpy(row + 3 * x, src + 4 * x, 3);
            png_write_row(png, row);
        }
        png_write_end(png, NULL);
        ok = 1;
    }
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(row);
    if (fclose(f) != 0 && ok) {
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
        ok = 0;
    } else if (!ok) {
        snprintf(err, err_size, "cannot write %s: %s", path,
                 st.err ? strerror(st.err) : st.msg[0] ? st.msg : "PNG encoding failed");
    }
    if (ok && rename(tmp, path) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
        ok = 0;
    }
    if (!ok)
        remove(tmp);
    free(tmp);
    return ok;
}
