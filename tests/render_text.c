/*
 * render_text.c — Chinese captions are drawn as glyphs, not boxes: the text module
 * falls back per glyph from the embedded DejaVu (no CJK) to a CJK font found through
 * fontconfig (scripts/setup.sh installs fonts-wqy-microhei).
 *
 * A caption burnt in by renderer_draw_caption is read back and compared: each of two
 * different Chinese characters leaves ink, the two differ from each other and from
 * the '?' that stands for a glyph no font has, and a CJK character is about as wide
 * as it is tall (full width), where '?' is about half that.
 */
#include "render_target.h"

#include "render/renderer.h"

static test_target T;
static renderer *R;

/* The caption alone on black; returns the ink (sum of red) and its bounding width. */
static long draw(const char *text, int *ink_w, unsigned char *copy)
{
    glBindFramebuffer(GL_FRAMEBUFFER, T.fbo);
    glViewport(0, 0, T.w, T.h);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    renderer_draw_caption(R, text, T.w, T.h);
    test_target_read(&T, "caption");
    long ink = 0;
    int x0 = T.w, x1 = -1;
    for (int y = 0; y < T.h; y++)
        for (int x = 0; x < T.w; x++) {
            const unsigned char *p = test_target_pixel(&T, x, y);
            /* text is light on the dark caption panel */
            if (p[0] > 150 && p[1] > 150 && p[2] > 150) {
                ink += p[0];
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
            }
        }
    *ink_w = x1 >= x0 ? x1 - x0 + 1 : 0;
    if (copy)
        memcpy(copy, T.px, (size_t)T.w * T.h * 4);
    return ink;
}

static long diff(const unsigned char *a, const unsigned char *b)
{
    long d = 0;
    for (size_t i = 0; i < (size_t)T.w * T.h * 4; i++)
        d += abs((int)a[i] - (int)b[i]);
    return d;
}

static void test_chinese_glyphs(void **state)
{
    (void)state;
    size_t bytes = (size_t)T.w * T.h * 4;
    unsigned char *a = malloc(bytes), *b = malloc(bytes), *q = malloc(bytes);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(q);
    int wa, wb, wq;
    long ia = draw("鞍", &wa, a);        /* saddle */
    long ib = draw("点", &wb, b);        /* point */
    long iq = draw("?", &wq, q);
    fprintf(stderr, "ink: 鞍 %ld (width %d), 点 %ld (width %d), ? %ld (width %d)\n", ia, wa, ib, wb,
            iq, wq);
    assert_true(ia > 0 && ib > 0 && iq > 0);
    /* two different characters, neither of them the '?' fallback */
    assert_true(diff(a, b) > 1000);
    assert_true(diff(a, q) > 1000);
    assert_true(diff(b, q) > 1000);
    /* 鞍 has many strokes: more ink than '?' */
    assert_true(ia > 2 * iq);
    /* full width: a CJK character's ink is wider than '?' */
    assert_true(wa > wq);
    /* a whole Chinese caption: ink all along, wrapped onto more than one line */
    int wc;
    long ic = draw("单个样本 y = w1·w2·x：原点是鞍点（λ = −2, 2）；沿 λ = −2 的特征向量 (1, 1) 方向损失下降。"
                   "谷底 w1·w2 = 1 上处处是最小值，不是孤立的一点。", &wc, NULL);
    assert_true(ic > 20 * ia);
    assert_true(wc > T.w / 2);
    free(a);
    free(b);
    free(q);
}

int main(void)
{
    int st = test_target_start(&T, 640, 200, &R);
    if (st >= 0)
        return st;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chinese_glyphs),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    return test_target_finish(&T, R, rc);
}
