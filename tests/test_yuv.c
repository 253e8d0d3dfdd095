/*
 * test_yuv.c — record/yuv.h: BT.601 limited-range values of known colours, chroma
 * as the mean of each 2 × 2 block, bottom-up frames flipped, planes in I420 order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "record/yuv.h"

static void fill(unsigned char *p, int n, int r, int g, int b)
{
    for (int i = 0; i < n; i++) {
        p[4 * i] = (unsigned char)r;
        p[4 * i + 1] = (unsigned char)g;
        p[4 * i + 2] = (unsigned char)b;
        p[4 * i + 3] = 255;
    }
}

/* one 2 × 2 frame of a colour → Y, U, V */
static void one(int r, int g, int b, int *y, int *u, int *v)
{
    unsigned char px[16], out[6];
    fill(px, 4, r, g, b);
    yuv420_from_rgba(px, 2, 2, 0, out);
    for (int k = 1; k < 4; k++)
        assert_int_equal(out[k], out[0]);
    *y = out[0], *u = out[4], *v = out[5];
}

static void known_colours(void **state)
{
    (void)state;
    int y, u, v;
    one(0, 0, 0, &y, &u, &v);
    assert_int_equal(y, 16), assert_int_equal(u, 128), assert_int_equal(v, 128);
    one(255, 255, 255, &y, &u, &v);
    assert_int_equal(y, 235), assert_int_equal(u, 128), assert_int_equal(v, 128);
    one(255, 0, 0, &y, &u, &v);   /* BT.601: 81, 90, 240 */
    assert_int_equal(y, 82), assert_int_equal(u, 90), assert_int_equal(v, 240);
    one(0, 0, 255, &y, &u, &v);   /* 41, 240, 110 */
    assert_int_equal(y, 41), assert_int_equal(u, 240), assert_int_equal(v, 110);
}

static void chroma_mean_and_flip(void **state)
{
    (void)state;
    /* 4 × 2: left block red over blue (top row red), right block all white */
    unsigned char px[4 * 2 * 4], out[4 * 2 * 3 / 2];
    fill(px, 8, 255, 255, 255);
    fill(px, 2, 255, 0, 0);           /* row 0, x 0..1 */
    fill(px + 4 * 4, 2, 0, 0, 255);   /* row 1, x 0..1 */
    yuv420_from_rgba(px, 4, 2, 0, out);
    assert_int_equal(out[0], 82);                 /* Y row 0 starts red */
    assert_int_equal(out[4], 41);                 /* Y row 1 starts blue */
    assert_int_equal(out[2], 235);
    int u = out[8], v = out[10];                  /* U plane: 2 samples, then V */
    assert_true(abs(u - (90 + 240) / 2) <= 1);
    assert_true(abs(v - (240 + 110) / 2) <= 1);
    assert_int_equal(out[9], 128);
    assert_int_equal(out[11], 128);
    /* the same frame given bottom-up: rows swap, chroma stays */
    unsigned char flipped[sizeof px], out2[sizeof out];
    memcpy(flipped, px + 16, 16);
    memcpy(flipped + 16, px, 16);
    yuv420_from_rgba(flipped, 4, 2, 1, out2);
    assert_memory_equal(out, out2, sizeof out);
}

/* the AVX2 path (x86-64 CPUs that have it) against the plain loops, byte for byte, on
 * random frames of widths around its 16-pixel step and both row orders */
static void fast_path_matches_plain(void **state)
{
    (void)state;
    unsigned seed = 12345;
    for (int w = 2; w <= 70; w += 2) {
        for (int h = 2; h <= 6; h += 2) {
            size_t n = (size_t)w * h * 4, m = yuv420_size(w, h);
            unsigned char *px = malloc(n), *a = malloc(m), *b = malloc(m);
            assert_non_null(px), assert_non_null(a), assert_non_null(b);
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                /* extremes often: 0 and 255 are where a wrong sign or overflow shows */
                unsigned r = (seed >> 16) & 255;
                px[i] = (unsigned char)(r < 32 ? 0 : r > 224 ? 255 : r);
            }
            for (int up = 0; up < 2; up++) {
                yuv420_plain = 1;
                yuv420_from_rgba(px, w, h, up, a);
                yuv420_plain = 0;
                yuv420_from_rgba(px, w, h, up, b);
                assert_memory_equal(a, b, m);
            }
            free(px), free(a), free(b);
        }
    }
}

/* a frame converted band by band (yuv420_strip, as rec_read_i420 reads it back:
 * bands from the top, each bottom-up) equals the frame converted at once */
static void bands_equal_whole(void **state)
{
    (void)state;
    enum { W = 36, H = 14 };
    unsigned char px[W * H * 4], whole[W * H * 3 / 2], banded[W * H * 3 / 2];
    for (int i = 0; i < W * H * 4; i++)
        px[i] = (unsigned char)(i * 131 + i / 7);
    for (int up = 0; up < 2; up++) {
        yuv420_from_rgba(px, W, H, up, whole);
        for (int band = 2; band <= H; band += 2) {
            memset(banded, 0, sizeof banded);
            for (int y0 = 0; y0 < H; y0 += band) {
                int rows = H - y0 < band ? H - y0 : band;
                unsigned char b[W * H * 4];
                /* the band's rows of the frame (top-down), in the order asked */
                for (int k = 0; k < rows; k++) {
                    int src_row = up ? H - 1 - (y0 + k) : y0 + k;   /* row of px holding frame row y0+k */
                    int dst_row = up ? rows - 1 - k : k;
                    memcpy(b + (size_t)dst_row * W * 4, px + (size_t)src_row * W * 4, W * 4);
                }
                yuv420_strip(b, W, H, y0, rows, up, banded);
            }
            assert_memory_equal(whole, banded, sizeof whole);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_colours),
        cmocka_unit_test(chroma_mean_and_flip),
        cmocka_unit_test(fast_path_matches_plain),
        cmocka_unit_test(bands_equal_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
