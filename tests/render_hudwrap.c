/*
 * render_hudwrap.c — the HUD's wrapped strings are kept between frames (hudwrap.c):
 * a narration's balanced wrap (15 line-breaking passes) and the bottom rows' plan
 * (a caption's wrap, a reference narration's width) are computed once per string,
 * size, scale and width, and what is kept is exactly what wrapping anew gives.
 */
#include "render_target.h"

#include "render/render_internal.h"
#include "render/i18n.h"

static test_target T;
static renderer *R, *Fresh;

static const char *const texts[] = {
    "momentum 4/4 update: θ ← θ + Δθ, Δθ = −rate·direction = (-0.00123, -0.00123); loss now 1.235e-05  (E: next step)",
    "sgd 2/4 gradient: g = ∇L(θ) = (0.5, -1.25); the steepest way up, so the step goes against it",
    "动量 4/4 更新：θ ← θ + Δθ，Δθ = −学习率·方向 = (-0.00123, -0.00123)；损失现为 1.235e-05（E：下一步）",
    "short",
};

/* What wrapping anew gives: Fresh's cache emptied before the call. */
static int fresh_wrap(text_size sz, const char *s, float w, int max, int narrow, char out[][320], float *lw,
                      int *whole)
{
    memset(&Fresh->wrap, 0, sizeof Fresh->wrap);
    return hud_wrap(Fresh, sz, s, w, max, narrow, out, lw, whole);
}

static void same_as_fresh(text_size sz, const char *s, float w, int max, int narrow)
{
    char a[HUD_CAPTION_LINES][320], b[HUD_CAPTION_LINES][320];
    float la = -1, lb = -2;
    int wa = -1, wb = -2;
    int na = hud_wrap(R, sz, s, w, max, narrow, a, &la, &wa);
    int nb = fresh_wrap(sz, s, w, max, narrow, b, &lb, &wb);
    assert_int_equal(na, nb);
    assert_true(la == lb);
    assert_int_equal(wa, wb);
    for (int k = 0; k < na; k++)
        assert_string_equal(a[k], b[k]);
}

static void test_kept_and_unchanged(void **state)
{
    (void)state;
    for (int scale = 0; scale < 2; scale++) {
        text_set_scale(R->font, scale ? 360 : 720);
        text_set_scale(Fresh->font, scale ? 360 : 720);
        for (int i = 0; i < 4; i++)
            for (float w = 120; w < 900; w += 97)
                for (int narrow = 0; narrow < 2; narrow++) {
                    long before = R->wrap.computed;
                    same_as_fresh(TEXT_SMALL, texts[i], w, 2, narrow);   /* computed, kept */
                    assert_int_equal(R->wrap.computed, before + 1);
                    same_as_fresh(TEXT_SMALL, texts[i], w, 2, narrow);   /* from what was kept */
                    assert_int_equal(R->wrap.computed, before + 1);
                }
    }
    /* a narration and a toast shown together, frame after frame: both kept */
    text_set_scale(R->font, 720);
    char out[2][320];
    hud_wrap(R, TEXT_SMALL, texts[0], 400, 2, 1, out, NULL, NULL);
    hud_wrap(R, TEXT_SMALL, texts[1], 300, 2, 1, out, NULL, NULL);
    long before = R->wrap.computed;
    for (int frame = 0; frame < 10; frame++) {
        hud_wrap(R, TEXT_SMALL, texts[0], 400, 2, 1, out, NULL, NULL);
        hud_wrap(R, TEXT_SMALL, texts[1], 300, 2, 1, out, NULL, NULL);
    }
    assert_int_equal(R->wrap.computed, before);
    /* another size of type (the window resized): wrapped anew */
    text_set_scale(R->font, 1080);
    text_set_scale(Fresh->font, 1080);
    same_as_fresh(TEXT_SMALL, texts[0], 400, 2, 1);
    assert_int_equal(R->wrap.computed, before + 1);
    /* a string longer than an entry holds: wrapped every time, the same lines */
    char big[700];
    memset(big, 'a', sizeof big - 1);
    for (int k = 10; k < (int)sizeof big - 1; k += 11)
        big[k] = ' ';
    big[sizeof big - 1] = 0;
    same_as_fresh(TEXT_SMALL, big, 500, 3, 0);
    same_as_fresh(TEXT_SMALL, big, 500, 3, 0);
    assert_int_equal(R->wrap.computed, before + 3);
}

/* The bottom rows' plan, frame after frame with the same caption and title: nothing
 * wrapped or measured again; a new caption is. */
static void test_plan_bottom_kept(void **state)
{
    (void)state;
    text_set_scale(R->font, 720);
    render_frame f = { 0 };
    f.title = "Two moons, MLP with batch norm";
    f.caption = "A caption long enough to take two lines at this width, since it says a good deal about the scene";
    hud_bottom b1, b2;
    hud_plan_bottom(R, &f, 500, &b1);
    long before = R->wrap.computed;
    for (int frame = 0; frame < 5; frame++)
        hud_plan_bottom(R, &f, 500, &b2);
    assert_int_equal(R->wrap.computed, before);
    assert_int_equal(b1.caption_lines, b2.caption_lines);
    assert_true(b1.caption_lines >= 2);
    for (int k = 0; k < b1.caption_lines; k++)
        assert_string_equal(b1.caption[k], b2.caption[k]);
    assert_true(b1.top == b2.top && b1.slot_bottom == b2.slot_bottom);
    f.caption = "Another caption";
    hud_plan_bottom(R, &f, 500, &b2);
    assert_true(R->wrap.computed > before);
    assert_int_equal(b2.caption_lines, 1);
    assert_string_equal(b2.caption[0], "Another caption");
}

int main(void)
{
    int st = test_target_start(&T, 640, 200, &R);
    if (st >= 0)
        return st;
    Fresh = renderer_create(&(renderer_desc){ 0 });
    if (!Fresh)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_and_unchanged),
        cmocka_unit_test(test_plan_bottom_kept),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    renderer_destroy(Fresh);
    return test_target_finish(&T, R, rc);
}
