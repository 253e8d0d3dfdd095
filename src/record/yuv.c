/*
 * yuv.c — RGBA to I420, integer BT.601 (the coefficients of the standard's 8-bit
 * form, as libyuv and ffmpeg use them). Contract in yuv.h. The inner loops are
 * plain and branch-free so the compiler vectorises them (the file is built with -O3,
 * CMakeLists.txt). Frames are 4-byte aligned (malloc'd or mapped buffers) and read
 * as uint32 on a little-endian machine (x86, ARM, WebAssembly).
 */
#include "record/yuv.h"

#include <stdint.h>

int yuv420_plain;

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

#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__)
#define YUV_AVX2 1
#include <immintrin.h>

/* AVX2 by hand (what the vectoriser made of the loops above ran 32-bit multiplies,
 * about 1.1 ns a pixel at 1080p): channels widened to 16 bits and weighted with
 * vpmaddwd, so every sum is the exact integer of luma_row and chroma_row (the same
 * bytes; tests/test_yuv.c compares the two on random frames). 16 pixels of two rows
 * a step; the rest of a row goes through the plain loops. */
__attribute__((target("avx2"))) static void rows_avx2(const uint32_t *s0, const uint32_t *s1, unsigned char *y0,
                                                      unsigned char *y1, unsigned char *u, unsigned char *v, int w)
{
    const __m256i zero = _mm256_setzero_si256();
    const __m256i ky = _mm256_setr_epi16(66, 129, 25, 0, 66, 129, 25, 0, 66, 129, 25, 0, 66, 129, 25, 0);
    const __m256i ku = _mm256_setr_epi16(-38, -74, 112, 0, -38, -74, 112, 0, -38, -74, 112, 0, -38, -74, 112, 0);
    const __m256i kv = _mm256_setr_epi16(112, -94, -18, 0, 112, -94, -18, 0, 112, -94, -18, 0, 112, -94, -18, 0);
    const __m256i yoff = _mm256_set1_epi32(128 + (16 << 8));
    const __m256i coff = _mm256_set1_epi32((128 << 10) + 512);
    const __m256i uv_order = _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7);
    int x = 0;
    for (; x + 16 <= w; x += 16) {
        __m256i c[2];
        for (int r = 0; r < 2; r++) {
            const uint32_t *s = r ? s1 : s0;
            unsigned char *yd = r ? y1 : y0;
            __m256i yy[2];
            for (int k = 0; k < 2; k++) {
                __m256i px = _mm256_loadu_si256((const __m256i *)(const void *)(s + x + 8 * k));
                /* words of pixels 0,1 | 4,5 and 2,3 | 6,7 (unpack stays in 128-bit lanes) */
                __m256i lo = _mm256_unpacklo_epi8(px, zero), hi = _mm256_unpackhi_epi8(px, zero);
                /* 66r + 129g and 25b per pixel, summed pairwise: pixels 0..3 | 4..7 in order */
                __m256i sum = _mm256_hadd_epi32(_mm256_madd_epi16(lo, ky), _mm256_madd_epi16(hi, ky));
                yy[k] = _mm256_srli_epi32(_mm256_add_epi32(sum, yoff), 8);
            }
            /* dwords 0..7, 8..15 → words (lanes interleaved) → bytes in order */
            __m256i w16 = _mm256_permute4x64_epi64(_mm256_packus_epi32(yy[0], yy[1]), 0xD8);
            __m256i b8 = _mm256_packus_epi16(w16, w16);
            b8 = _mm256_permute4x64_epi64(b8, 0x08);
            _mm_storeu_si128((__m128i *)(void *)(yd + x), _mm256_castsi256_si128(b8));
        }
        for (int k = 0; k < 2; k++) {
            __m256i p0 = _mm256_loadu_si256((const __m256i *)(const void *)(s0 + x + 8 * k));
            __m256i p1 = _mm256_loadu_si256((const __m256i *)(const void *)(s1 + x + 8 * k));
            /* the two rows summed in words: pixels 0,1 | 4,5 and 2,3 | 6,7 */
            __m256i lo = _mm256_add_epi16(_mm256_unpacklo_epi8(p0, zero), _mm256_unpacklo_epi8(p1, zero));
            __m256i hi = _mm256_add_epi16(_mm256_unpackhi_epi8(p0, zero), _mm256_unpackhi_epi8(p1, zero));
            /* neighbours summed: each lane's low 64 bits hold one 2 x 2 block's sums */
            lo = _mm256_add_epi16(lo, _mm256_shuffle_epi32(lo, 0x4E));
            hi = _mm256_add_epi16(hi, _mm256_shuffle_epi32(hi, 0x4E));
            __m256i blk = _mm256_unpacklo_epi64(lo, hi);   /* blocks 0, 1 | 2, 3 */
            __m256i uv = _mm256_hadd_epi32(_mm256_madd_epi16(blk, ku), _mm256_madd_epi16(blk, kv));
            uv = _mm256_srai_epi32(_mm256_add_epi32(uv, coff), 10);   /* u0 u1 v0 v1 | u2 u3 v2 v3 */
            c[k] = _mm256_permutevar8x32_epi32(uv, uv_order);          /* u0..u3 | v0..v3 */
        }
        __m256i w16 = _mm256_packus_epi32(c[0], c[1]);   /* u0..u7 | v0..v7 */
        __m256i b8 = _mm256_packus_epi16(w16, zero);
        _mm_storel_epi64((__m128i *)(void *)(u + x / 2), _mm256_castsi256_si128(b8));
        _mm_storel_epi64((__m128i *)(void *)(v + x / 2), _mm256_extracti128_si256(b8, 1));
    }
    if (x < w) {
        luma_row(s0 + x, y0 + x, w - x);
        luma_row(s1 + x, y1 + x, w - x);
        chroma_row(s0 + x, s1 + x, u + x / 2, v + x / 2, (w - x) / 2);
    }
}
#endif

void yuv420_from_rgba(const unsigned char *src, int w, int h, int bottom_up, unsigned char *dst)
{
    yuv420_strip(src, w, h, 0, h, bottom_up, dst);
}

void yuv420_strip(const unsigned char *src, int w, int h, int y0, int rows, int bottom_up, unsigned char *dst)
{
    size_t row = (size_t)w * 4;
    unsigned char *Y = dst, *U = dst + (size_t)w * h, *V = U + (size_t)(w / 2) * (h / 2);
#ifdef YUV_AVX2
    int avx2 = __builtin_cpu_supports("avx2") && !yuv420_plain;
#endif
    for (int k = 0; k < rows; k += 2) {
        const uint32_t *s0 = (const uint32_t *)(const void *)(src + (size_t)(bottom_up ? rows - 1 - k : k) * row);
        const uint32_t *s1 = (const uint32_t *)(const void *)(src + (size_t)(bottom_up ? rows - 2 - k : k + 1) * row);
        int y = y0 + k;
        unsigned char *ya = Y + (size_t)y * w, *yb = ya + w;
        unsigned char *u = U + (size_t)(y / 2) * (w / 2), *v = V + (size_t)(y / 2) * (w / 2);
#ifdef YUV_AVX2
        if (avx2) {
            rows_avx2(s0, s1, ya, yb, u, v, w);
            continue;
        }
#endif
        luma_row(s0, ya, w);
        luma_row(s1, yb, w);
        chroma_row(s0, s1, u, v, w / 2);
    }
}
