/*
 * render_fan.c — markers on one spot fanned around it (render/fan.c). Pure
 * arithmetic on pixel positions (no GL context is needed; it links with the render
 * library like the other render tests):
 *   - a marker alone, or far from the others, stays where it is;
 *   - five markers on one point are put on a ring around it, no two discs (with
 *     their outlines) touching, each within a few radii of the point;
 *   - markers a pixel or two apart count as one spot; a ring that would land on a
 *     nearby marker takes it in, so no two drawn discs touch;
 *   - a ring at a map's edge is pushed inside the box.
 */
#include <math.h>

#include "testutil.h"

#include "render/fan.h"

static float dist(const float *p, int i, int j)
{
    return hypotf(p[2 * i] - p[2 * j], p[2 * i + 1] - p[2 * j + 1]);
}

static void no_two_touch(const float *out, int n, float rad)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            assert_true(dist(out, i, j) >= 2 * rad + 4);
}

static void test_alone_stays(void **state)
{
    (void)state;
    const float xy[6] = { 10, 10, 100, 100, 200, 40 };
    float out[6];
    assert_int_equal(fan_markers(xy, 3, 6, NULL, out), 0);
    for (int i = 0; i < 6; i++)
        assert_true(out[i] == xy[i]);
}

static void test_one_spot(void **state)
{
    (void)state;
    float xy[10], out[10];
    for (int i = 0; i < 5; i++)
        xy[2 * i] = 300, xy[2 * i + 1] = 200;
    assert_int_equal(fan_markers(xy, 5, 6, NULL, out), 5);
    no_two_touch(out, 5, 6);
    for (int i = 0; i < 5; i++) {
        float d = hypotf(out[2 * i] - 300, out[2 * i + 1] - 200);
        assert_true(d > 6 && d < 4 * 6);
    }
    /* the first on the left */
    assert_true(out[0] < 300 - 6 && fabsf(out[1] - 200) < 0.01f);
}

static void test_near_and_chain(void **state)
{
    (void)state;
    /* two a pixel apart, a third 16 px away (clear of both, but not of their ring),
     * a fourth far off */
    const float xy[8] = { 100, 100, 101, 100.5f, 116, 100, 400, 300 };
    float out[8];
    int moved = fan_markers(xy, 4, 6, NULL, out);
    assert_int_equal(moved, 3);
    no_two_touch(out, 3, 6);
    assert_true(out[6] == 400 && out[7] == 300);
}

static void test_box(void **state)
{
    (void)state;
    const float xy[4] = { 2, 2, 2, 2 }, box[4] = { 0, 0, 200, 100 };
    float out[4];
    assert_int_equal(fan_markers(xy, 2, 6, box, out), 2);
    for (int i = 0; i < 2; i++) {
        assert_true(out[2 * i] >= 6 + 2 && out[2 * i] <= 200 - 8);
        assert_true(out[2 * i + 1] >= 6 + 2 && out[2 * i + 1] <= 100 - 8);
    }
    no_two_touch(out, 2, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alone_stays),
        cmocka_unit_test(test_one_spot),
        cmocka_unit_test(test_near_and_chain),
        cmocka_unit_test(test_box),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
