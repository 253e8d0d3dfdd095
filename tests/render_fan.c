/*
 * render_fan.c — markers on one spot fanned around it (render/fan.c). Pure
 * arithmetic on pixel positions (no GL context is needed; it links with the render
 * library like the other render tests):
 *   - a marker alone, or far from the others, stays where it is;
 *   - five markers on one point are put on a ring around it, no two discs (with
 *     their outlines) touching, each within a few radii of the point;
 *   - a ring is as tight as its discs allow (a few pixels of leader line);
 *   - markers a pixel or two apart count as one spot; a ring that would land on a
 *     nearby marker takes it in, so no two drawn discs touch;
 *   - a ring at a map's edge is pushed inside the box;
 *   - each marker takes the slot on its own point's side: no two leader lines
 *     cross, on groups of 2..8 random points (run order crossed them);
 *   - points that coincide keep the runs' order, and points converging on one spot
 *     from all sides keep their slots frame after frame (no flicker);
 *   - a ring whose slot would lie on a mark to avoid is turned off it.
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
    assert_int_equal(fan_markers(xy, 3, 6, NULL, NULL, 0, out), 0);
    for (int i = 0; i < 6; i++)
        assert_true(out[i] == xy[i]);
}

static void test_one_spot(void **state)
{
    (void)state;
    float xy[10], out[10];
    for (int i = 0; i < 5; i++)
        xy[2 * i] = 300, xy[2 * i + 1] = 200;
    assert_int_equal(fan_markers(xy, 5, 6, NULL, NULL, 0, out), 5);
    no_two_touch(out, 5, 6);
    for (int i = 0; i < 5; i++) {
        float d = hypotf(out[2 * i] - 300, out[2 * i + 1] - 200);
        assert_true(d > 6 && d < 4 * 6);
    }
    /* the first on the left */
    assert_true(out[0] < 300 - 6 && fabsf(out[1] - 200) < 0.01f);
}

/* A ring is as tight as the discs allow (issue 9: two runs on one rastrigin point
 * were drawn 2 rad + 3 from it, half a bump away in 3-D): two markers on one point
 * sit rad + 2 + FAN_LEADER from it, and a group of k no further than its discs
 * need (chord 2R sin(π/k) = 2 rad + 5). */
static void test_tight(void **state)
{
    (void)state;
    const float rad = 6.7f;
    for (int k = 2; k <= 6; k++) {
        float xy[12], out[12];
        for (int i = 0; i < k; i++)
            xy[2 * i] = 300, xy[2 * i + 1] = 200;
        assert_int_equal(fan_markers(xy, k, rad, NULL, NULL, 0, out), k);
        no_two_touch(out, k, rad);
        float want = fmaxf((rad + 2.5f) / sinf(3.14159265f / (float)k), rad + 2 + FAN_LEADER);
        for (int i = 0; i < k; i++) {
            float d = hypotf(out[2 * i] - 300, out[2 * i + 1] - 200);
            assert_true(d > rad + 2 && d < want + 0.01f);
        }
    }
    /* two on one point: under 2 rad + 3 (the old ring) */
    const float two[4] = { 50, 50, 50, 50 };
    float o[4];
    fan_markers(two, 2, rad, NULL, NULL, 0, o);
    assert_true(hypotf(o[0] - 50, o[1] - 50) < 2 * rad + 3 - 2);
}

static void test_near_and_chain(void **state)
{
    (void)state;
    /* two a pixel apart, a third 16 px away (clear of both, but not of their ring),
     * a fourth far off */
    const float xy[8] = { 100, 100, 101, 100.5f, 116, 100, 400, 300 };
    float out[8];
    int moved = fan_markers(xy, 4, 6, NULL, NULL, 0, out);
    assert_int_equal(moved, 3);
    no_two_touch(out, 3, 6);
    assert_true(out[6] == 400 && out[7] == 300);
}

static void test_box(void **state)
{
    (void)state;
    const float xy[4] = { 2, 2, 2, 2 }, box[4] = { 0, 0, 200, 100 };
    float out[4];
    assert_int_equal(fan_markers(xy, 2, 6, box, NULL, 0, out), 2);
    for (int i = 0; i < 2; i++) {
        assert_true(out[2 * i] >= 6 + 2 && out[2 * i] <= 200 - 8);
        assert_true(out[2 * i + 1] >= 6 + 2 && out[2 * i + 1] <= 100 - 8);
    }
    no_two_touch(out, 2, 6);
}

/* Whether segments (a, b) and (c, d) cross at a point away from their ends (more
 * than 0.01 px from a and c, the true points). */
static int crossed(const float *a, const float *b, const float *c, const float *d)
{
    float r[2] = { b[0] - a[0], b[1] - a[1] }, s[2] = { d[0] - c[0], d[1] - c[1] };
    float den = r[0] * s[1] - r[1] * s[0];
    if (fabsf(den) < 1e-9f)
        return 0;
    float qp[2] = { c[0] - a[0], c[1] - a[1] };
    float t = (qp[0] * s[1] - qp[1] * s[0]) / den, u = (qp[0] * r[1] - qp[1] * r[0]) / den;
    float lr = hypotf(r[0], r[1]), ls = hypotf(s[0], s[1]);
    return t * lr > 0.01f && t < 1 && u * ls > 0.01f && u < 1;
}

static unsigned lcg(unsigned *x) { return (*x = *x * 1664525u + 1013904223u) >> 8; }

static void test_no_crossing(void **state)
{
    (void)state;
    unsigned seed = 7;
    int groups = 0;
    for (int trial = 0; trial < 400; trial++) {
        int n = 2 + trial % 7;
        float xy[16], out[16];
        for (int i = 0; i < n; i++) {   /* within 6 px of (200, 150): one group */
            xy[2 * i] = 200 + 12.0f * ((float)(lcg(&seed) % 1000) / 1000 - 0.5f);
            xy[2 * i + 1] = 150 + 12.0f * ((float)(lcg(&seed) % 1000) / 1000 - 0.5f);
        }
        if (fan_markers(xy, n, 6, NULL, NULL, 0, out) < 2)
            continue;
        groups++;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                assert_false(crossed(xy + 2 * i, out + 2 * i, xy + 2 * j, out + 2 * j));
        no_two_touch(out, n, 6);
    }
    assert_true(groups > 300);
    /* two runs, the first on the right: its marker goes right (run order put it left,
     * and the two leaders crossed) */
    const float two[4] = { 106, 100, 100, 100 };
    float o2[4];
    assert_int_equal(fan_markers(two, 2, 6, NULL, NULL, 0, o2), 2);
    assert_true(o2[0] > 106 && o2[2] < 100);
}

static void test_steady(void **state)
{
    (void)state;
    /* five on one point, a few thousandths of a pixel apart: run order, the first
     * on the left, then clockwise (over the top) */
    const float xy[10] = { 300, 200, 300.003f, 200, 300, 200.002f, 299.998f, 200.001f, 300.001f, 199.998f };
    float out[10];
    assert_int_equal(fan_markers(xy, 5, 6, NULL, NULL, 0, out), 5);
    for (int i = 0; i < 5; i++) {
        float a = atan2f(out[2 * i + 1] - 200, out[2 * i] - 300);   /* y down: clockwise on screen */
        float want = 3.14159265f + 2 * 3.14159265f * (float)i / 5;
        float d = fmodf(fabsf(a - want), 2 * 3.14159265f);
        assert_true(d < 0.01f || d > 2 * 3.14159265f - 0.01f);
    }
    /* five converging on (300, 200) from five directions over 200 frames: each keeps
     * its slot from frame to frame while they approach */
    int prev[5] = { -1, -1, -1, -1, -1 }, changes = 0;
    for (int fr = 0; fr < 200; fr++) {
        float d = 5.0f * (1.0f - (float)fr / 200.0f) + 0.05f, p[10], o[10];
        for (int i = 0; i < 5; i++) {
            float a = 0.7f + 2.4f * (float)i;   /* directions out of run order */
            p[2 * i] = 300 + d * cosf(a), p[2 * i + 1] = 200 + d * sinf(a);
        }
        assert_int_equal(fan_markers(p, 5, 6, NULL, NULL, 0, o), 5);
        for (int i = 0; i < 5; i++) {
            int slot = (int)lroundf((atan2f(o[2 * i + 1] - 200, o[2 * i] - 300) + 3.14159265f) * 5 /
                                    (2 * 3.14159265f)) % 5;
            if (prev[i] >= 0 && slot != prev[i])
                changes++;
            prev[i] = slot;
            for (int j = 0; j < i; j++)
                assert_false(crossed(p + 2 * i, o + 2 * i, p + 2 * j, o + 2 * j));
        }
    }
    assert_int_equal(changes, 0);
}

static void test_avoid(void **state)
{
    (void)state;
    float xy[8], out[8];
    for (int i = 0; i < 4; i++)
        xy[2 * i] = 300, xy[2 * i + 1] = 200;
    /* unturned, the first slot is on the left; a mark (radius 8) right there */
    assert_int_equal(fan_markers(xy, 4, 6, NULL, NULL, 0, out), 4);
    const float mark[3] = { out[0], out[1], 8 };
    float o2[8];
    assert_int_equal(fan_markers(xy, 4, 6, NULL, mark, 1, o2), 4);
    for (int i = 0; i < 4; i++)
        assert_true(hypotf(o2[2 * i] - mark[0], o2[2 * i + 1] - mark[1]) >= 8 + 6 + 3 - 0.01f);
    no_two_touch(o2, 4, 6);
    /* a mark away from the ring changes nothing */
    const float far[3] = { 10, 10, 8 };
    assert_int_equal(fan_markers(xy, 4, 6, NULL, far, 1, o2), 4);
    for (int i = 0; i < 8; i++)
        assert_true(o2[i] == out[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alone_stays),
        cmocka_unit_test(test_one_spot),
        cmocka_unit_test(test_tight),
        cmocka_unit_test(test_near_and_chain),
        cmocka_unit_test(test_box),
        cmocka_unit_test(test_no_crossing),
        cmocka_unit_test(test_steady),
        cmocka_unit_test(test_avoid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
