/*
 * yuv.c — RGBA to I420, integer BT.601 (the coefficients of the standard's 8-bit
 * form, as libyuv and ffmpeg use them). Contract in yuv.h. The inner loops are
 * plain and branch-free so the compiler vectorises them.
 */
#include "record/yuv.h"

#include <stdint.h>

static void luma_row(const unsigned char *restrict s, unsigned char *restrict y, int w)
{
    for (int x = 0; x < w; x++) {
        unsigned r = s[4 * x], g = s[4 * x + 1], b = s[4 * x + 2];
        y[x] = (unsigned char)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
    }
}

static void chroma_row(const unsigned char *restrict s0, const unsigned char *restrict s1,
                       unsigned char *restrict u, unsigned char *restrict v, int w2)
{
    for (int x = 0; x < w2; x++) {
        int r = s0[8 * x] + s0[8 * x + 4] + s1[8 * x] + s1[8 * x + 4];
        int g = s0[8 * x + 1] + s0[8 * x + 5] + s1[8 * x + 1] + s1[8 * x + 5];
        int b = s0[8 * x + 2] + s0[8 * x + 6] + s1[8 * x + 2] + s1[8 * x + 6];
        /* sums of four: >> 10 is >> 8 of the mean; the offset keeps them positive */
        u[x] = (unsigned char)((112 * b - 38 * r - 74 * g + (128 << 10) + 512) >> 10);
        v[x] = (unsigned char)((112 * r - 94 * g - 18 * b + (128 << 10) + 512) >> 10);
    }
}

void yuv420_from_rgba(const unsigned char *src, int w, int h, int bottom_up, unsigned char *dst)
{
    size_t row = (size_t)w * 4;
    unsigned char *Y = dst, *U = dst + (size_t)w * h, *V = U + (size_t)(w / 2) * (h / 2);
    for (int y = 0; y < h; y += 2) {
        const unsigned char *s0 = src + (size_t)(bottom_up ? h - 1 - y : y) * row;
        const unsigned char *s1 = src + (size_t)(bottom_up ? h - 2 - y : y + 1) * row;
        luma_row(s0, Y + (size_t)y * w, w);
        luma_row(s1, Y + (size_t)(y + 1) * w, w);
        chroma_row(s0, s1, U + (size_t)(y / 2) * (w / 2), V + (size_t)(y / 2) * (w / 2), w / 2);
    }
}
