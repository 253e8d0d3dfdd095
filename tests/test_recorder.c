/*
 * test_recorder.c — record/recorder.h's queue without GL: frames come out in the
 * order queued, none dropped, through the in-place slots (rec_slot / rec_commit),
 * copies (rec_push) and repeats (rec_repeat, which sends the frame before again
 * without its pixels), for a PNG sequence (byte-identical files for a repeat) and,
 * where ffmpeg and ffprobe are on PATH, an MP4 (its frame count and duration), with
 * RGBA slots and with I420 ones; and the map of unchanged macroblocks given to the
 * MP4 encoder (rec_mb_update).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "record/recorder.h"
#include "record/recorder_impl.h"
#include "record/yuv.h"

enum { W = 16, H = 8 };

static char dir[64];

static void frame_of(unsigned char *px, int v)
{
    for (int i = 0; i < W * H; i++) {
        px[4 * i] = (unsigned char)(v * 40 + i);
        px[4 * i + 1] = (unsigned char)(v * 90);
        px[4 * i + 2] = (unsigned char)(255 - v * 30);
        px[4 * i + 3] = 255;
    }
}

static char *slurp(const char *path, long *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)*n + 1);
    if (b && fread(b, 1, (size_t)*n, f) != (size_t)*n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

/* 1 if the PNG files i and j of the sequence are byte-identical */
static int same_png(int i, int j)
{
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/f%02d.png", dir, i);
    snprintf(b, sizeof b, "%s/f%02d.png", dir, j);
    long na = 0, nb = 0;
    char *pa = slurp(a, &na), *pb = slurp(b, &nb);
    assert_non_null(pa);
    assert_non_null(pb);
    int same = na == nb && memcmp(pa, pb, (size_t)na) == 0;
    free(pa);
    free(pb);
    return same;
}

static void test_png_order_and_repeats(void **state)
{
    (void)state;
    char pattern[128], err[256];
    snprintf(pattern, sizeof pattern, "%s/f%%02d.png", dir);
    rec_desc d = { .path = pattern, .width = W, .height = H, .fps = 10, .bottom_up = 1, .queue = 2 };
    int bad = 0;
    recorder *r = rec_open(&d, err, sizeof err, &bad);
    assert_non_null(r);
    assert_int_equal(rec_repeat(r), 0);   /* nothing to repeat yet */
    unsigned char px[W * H * 4];
    /* frames: A (slot), A, A (repeats), B (push), B (repeat), C (slot) */
    unsigned char *s = rec_slot(r);
    assert_non_null(s);
    frame_of(s, 1);
    assert_int_equal(rec_commit(r), 1);
    assert_int_equal(rec_repeat(r), 1);
    assert_int_equal(rec_repeat(r), 1);
    frame_of(px, 2);
    assert_int_equal(rec_push(r, px), 1);
    frame_of(px, 5);   /* the caller's buffer is not read again after rec_push */
    assert_int_equal(rec_repeat(r), 1);
    s = rec_slot(r);
    frame_of(s, 3);
    assert_int_equal(rec_commit(r), 1);
    assert_int_equal(rec_frames(r), 6);
    assert_int_equal(rec_finish(r, err, sizeof err), 1);
    assert_true(same_png(1, 2));
    assert_true(same_png(2, 3));
    assert_false(same_png(3, 4));
    assert_true(same_png(4, 5));
    assert_false(same_png(5, 6));
    assert_false(same_png(1, 6));
    char last[128];
    snprintf(last, sizeof last, "%s/f07.png", dir);
    assert_int_equal(access(last, F_OK), -1);
}

/* an MP4 of one frame pushed, 29 repeats and a second frame with 29 repeats: 60
 * frames, 2 s at 30 fps; i420: through I420 slots (rec_slot_i420), the second frame
 * written into the lent slot */
static void mp4_repeats(int i420)
{
    if (system("command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null") != 0) {
        if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
            fail_msg("no ffmpeg/ffprobe under CI=true");
        skip();
    }
    char path[128], err[256], cmd[512];
    snprintf(path, sizeof path, "%s/a.mp4", dir);
    rec_desc d = { .path = path, .width = W, .height = H, .fps = 30, .bottom_up = 1, .queue = 3, .i420 = i420 };
    int bad = 0;
    recorder *r = rec_open(&d, err, sizeof err, &bad);
    assert_non_null(r);
    assert_int_equal(rec_slot_i420(r), i420);
    unsigned char px[W * H * 4];
    frame_of(px, 1);
    assert_int_equal(rec_push(r, px), 1);
    for (int i = 0; i < 29; i++)
        assert_int_equal(rec_repeat(r), 1);
    frame_of(px, 2);
    unsigned char *slot = rec_slot(r);
    assert_non_null(slot);
    if (i420)
        yuv420_from_rgba(px, W, H, 1, slot);
    else
        memcpy(slot, px, sizeof px);
    assert_int_equal(rec_commit(r), 1);
    for (int i = 0; i < 29; i++)
        assert_int_equal(rec_repeat(r), 1);
    assert_int_equal(rec_finish(r, err, sizeof err), 1);
    snprintf(cmd, sizeof cmd,
             "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
             "stream=nb_read_frames:format=duration -of csv=p=0 '%s'", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char out[256] = "";
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    pclose(p);
    int frames = 0;
    double dur = 0;
    char *nl = strchr(out, '\n');
    assert_non_null(nl);
    frames = atoi(out);
    dur = atof(nl + 1);
    assert_int_equal(frames, 60);
    expect_near(dur, 2.0, 0.001);
}

static void test_mp4_repeats(void **state)
{
    (void)state;
    mp4_repeats(0);
}

static void test_mp4_i420_slots(void **state)
{
    (void)state;
    mp4_repeats(1);
}

/* rec_mb_update on a 40 x 20 frame (3 x 2 macroblocks, the last column and row
 * partial): one changed byte in Y, U or V marks exactly its own macroblock, and
 * the frame is copied */
static void test_mb_update(void **state)
{
    (void)state;
    enum { FW = 40, FH = 20, N = FW * FH * 3 / 2 };
    unsigned char cur[N], last[N], f[6];
    assert_int_equal(rec_mb_count(FW, FH), 6);
    for (int i = 0; i < N; i++)
        cur[i] = (unsigned char)(i * 37 + 11);
    memcpy(last, cur, N);
    rec_mb_update(last, cur, FW, FH, f);
    for (int i = 0; i < 6; i++)
        assert_int_equal(f[i], 1);
    unsigned char *u = cur + FW * FH, *v = u + (FW / 2) * (FH / 2);
    cur[3 * FW + 17] ^= 1;         /* Y (17, 3): macroblock (1, 0) */
    u[9 * (FW / 2) + 2] ^= 4;      /* U (2, 9): luma (4, 18), macroblock (0, 1) */
    v[0 * (FW / 2) + 19] ^= 128;   /* V (19, 0): luma (38, 0), macroblock (2, 0), the partial column */
    cur[19 * FW + 39] ^= 1;        /* Y (39, 19): the last pixel, macroblock (2, 1) */
    rec_mb_update(last, cur, FW, FH, f);
    static const unsigned char want[6] = { 1, 0, 0, 0, 1, 0 };
    assert_memory_equal(f, want, 6);
    assert_memory_equal(last, cur, N);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_recorder.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_order_and_repeats),
        cmocka_unit_test(test_mp4_repeats),
        cmocka_unit_test(test_mp4_i420_slots),
        cmocka_unit_test(test_mb_update),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
