/*
 * png.h — writing frames as PNG files (libpng).
 *
 * Index
 *     png_write_rgba(path, w, h, pixels, bottom_up, err, err_size)
 */
#ifndef LOSSCAPE_RECORD_PNG_H
#define LOSSCAPE_RECORD_PNG_H

#include <stddef.h>

/* Write w × h RGBA8 pixels (rows of 4w bytes; bottom_up = 1 for glReadPixels order)
 * to path atomically: a temporary file in the same folder, renamed over path on
 * success (removed on failure). Alpha is written as opaque. Returns 1, or 0 with a
 * one-line reason in err. */
int png_write_rgba(const char *path, int w, int h, const unsigned char *pixels, int bottom_up,
                   char *err, size_t err_size);

#endif
