/*
 * test_projmemo.c — render/projmemo.h, a trail's projected points kept between
 * frames.
 *
 *   - incremental equals from scratch: a history grows by 1 to 60 points a frame
 *     for 600 frames, is compacted (every other point of its older half dropped, as
 *     trainer histories thin), restarts, and its view (the key: camera, surface)
 *     and its plane (every point's inputs) change now and then; every frame, every
 *     point's output through the memo is bit for bit a from-scratch projection's,
 *     unprojectable points included;
 *   - reuse: a frame that only appended takes every older point from the memo
 *     (hits = the points of the frame before); a new key, or new inputs for every
 *     point (a plane change), takes none; after a compaction the points before the
 *     first one dropped are still taken;
 *   - a key padded with zeros and compared as bytes: equal views hit, and a view
 *     differing in one float misses.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "render/projmemo.h"

typedef struct view {
    float mvp[16];
    unsigned long gen;
    int log, pad;
} view;

/* The projection under test's stand-in: any deterministic function of the view
 * and the inputs; points with a huge loss are "behind the camera" (not
 * projectable). */
static int project(const view *v, const double in[3], float out[3])
{
    out[0] = (float)(in[0] * v->mvp[0] + in[1] * v->mvp[4] + v->mvp[12]);
    out[1] = (float)(in[0] * v->mvp[1] + in[1] * v->mvp[5] + (v->log ? log1p(fabs(in[2])) : in[2]));
    out[2] = (float)sin(in[0] + in[1] * (double)v->gen);
    return in[2] < 1e6;
}

static uint64_t rng_state = 88172645463325252ull;
static double urand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static void random_view(view *v)
{
    memset(v, 0, sizeof *v);
    for (int k = 0; k < 16; k++)
        v->mvp[k] = (float)(urand() * 2 - 1);
    v->gen = (unsigned long)(urand() * 1000);
    v->log = urand() < 0.5;
}

/* One frame through the memo: every output compared with a from-scratch
 * projection; returns the memo's hits this frame. */
static long frame(projmemo *m, const view *v, const double *pts, int n)
{
    long h0 = m->hits;
    assert_true(projmemo_begin(m, v, sizeof *v, n));
    for (int j = 0; j < n; j++) {
        float o[3], ref[3];
        int ok;
        if (!projmemo_get(m, j, pts + 3 * j, o, &ok)) {
            ok = project(v, pts + 3 * j, o);
            projmemo_put(m, j, pts + 3 * j, o, ok);
        }
        int ref_ok = project(v, pts + 3 * j, ref);
        assert_int_equal(ok, ref_ok);
        assert_memory_equal(o, ref, sizeof o);
    }
    return m->hits - h0;
}

static void incremental_equals_scratch(void **state)
{
    (void)state;
    enum { CAP = 40000 };
    double *pts = malloc(CAP * 3 * sizeof *pts);
    assert_non_null(pts);
    projmemo m;
    memset(&m, 0, sizeof m);
    view v;
    random_view(&v);
    int n = 0, appended_only = 0, compactions = 0, key_changes = 0, plane_changes = 0;
    long steady_hits = 0, steady_points = 0;
    for (int f = 0; f < 600; f++) {
        int prev_n = n, what = f == 0 ? 0 : (int)(urand() * 20);
        int first_moved = n;   /* the first index whose inputs changed (compaction) */
        if (what == 1 && n > 8) {   /* compaction: every other point of the older half */
            int half = n / 2, w = 1;
            for (int j = 1; j < n; j++)
                if (j >= half || j % 2 == 0)
                    memcpy(pts + 3 * w++, pts + 3 * j, 3 * sizeof *pts);
            first_moved = 1;
            n = w;
            compactions++;
        } else if (what == 2) {   /* a new view */
            random_view(&v);
            key_changes++;
        } else if (what == 3) {   /* a new plane: every point's coordinates change */
            for (int j = 0; j < n; j++)
                pts[3 * j] += 0.25, pts[3 * j + 1] -= 0.5;
            plane_changes++;
        } else if (what == 4 && n > 0) {   /* a restart */
            n = 0;
        }
        int add = 1 + (int)(urand() * 60);
        for (int k = 0; k < add && n < CAP; k++, n++) {
            double *p = pts + 3 * n;
            p[0] = n > 0 ? p[-3] + urand() - 0.5 : 0;
            p[1] = n > 0 ? p[-2] + urand() - 0.5 : 0;
            p[2] = urand() < 0.02 ? 1e9 : urand() * 10;   /* now and then unprojectable */
        }
        long hits = frame(&m, &v, pts, n);
        if (what == 2 || what == 3) {
            assert_int_equal(hits, 0);   /* nothing of another view or plane is reused */
        } else if (what == 1 && prev_n > 8) {
            assert_true(hits >= first_moved);   /* the points before the first dropped */
        } else if (what != 4 && f > 0) {
            assert_int_equal(hits, prev_n);   /* appended only: every older point reused */
            appended_only++;
            steady_hits += hits;
            steady_points += n;
        }
    }
    /* the run went through each kind of change */
    assert_true(appended_only > 300 && compactions > 10 && key_changes > 10 && plane_changes > 10);
    assert_true(steady_hits > steady_points * 9 / 10);
    projmemo_free(&m);
    free(pts);
}

static void key_bytes(void **state)
{
    (void)state;
    projmemo m;
    memset(&m, 0, sizeof m);
    view a, b;
    random_view(&a);
    b = a;
    double in[3] = { 1, 2, 3 };
    float o[3], got[3];
    int ok;
    assert_true(projmemo_begin(&m, &a, sizeof a, 1));
    assert_false(projmemo_get(&m, 0, in, got, &ok));
    project(&a, in, o);
    projmemo_put(&m, 0, in, o, 1);
    assert_true(projmemo_begin(&m, &b, sizeof b, 1));   /* an equal view */
    assert_true(projmemo_get(&m, 0, in, got, &ok));
    assert_memory_equal(got, o, sizeof o);
    assert_int_equal(ok, 1);
    b.mvp[7] = nextafterf(b.mvp[7], 2.0f);   /* one float one ulp off */
    assert_true(projmemo_begin(&m, &b, sizeof b, 1));
    assert_false(projmemo_get(&m, 0, in, got, &ok));
    double in2[3] = { 1, 2, nextafter(3.0, 4.0) };   /* inputs one ulp off miss too */
    projmemo_put(&m, 0, in, o, 1);
    assert_false(projmemo_get(&m, 0, in2, got, &ok));
    assert_false(projmemo_get(&m, 5, in, got, &ok));   /* beyond the frame's points */
    projmemo_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(incremental_equals_scratch),
        cmocka_unit_test(key_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
