/*
 * test_linebreak.c — where text may wrap (core/linebreak.h): never before closing
 * punctuation (% 。，、）」 : ; ! ?), never after opening punctuation (（「), never
 * inside a number and its unit ("9 %"), at spaces and around CJK characters
 * otherwise; and the greedy wrap on every lesson caption, English and Chinese, at
 * every width from narrow to wide (issue 11: lesson 14's Chinese caption wrapped
 * between "9" and "%").
 */
#include "testutil.h"

#include <string.h>

#include "core/diag.h"
#include "core/linebreak.h"
#include "core/scene.h"

/* Where s first holds the UTF-8 sequence at, as a byte offset. */
static size_t at(const char *s, const char *sub)
{
    const char *p = strstr(s, sub);
    assert_non_null(p);
    return (size_t)(p - s);
}

static void test_rules(void **state)
{
    (void)state;
    const char *en = "loss 0.052, 9 % above (0.048) and 77× worse.";
    assert_true(linebreak_allowed(en, at(en, "0.052")));    /* at a space */
    assert_false(linebreak_allowed(en, at(en, ".052")));    /* inside a number */
    assert_false(linebreak_allowed(en, at(en, "052")));
    assert_false(linebreak_allowed(en, at(en, "%")));       /* number and unit, across the space */
    assert_false(linebreak_allowed(en, at(en, ", 9")));     /* before a comma */
    assert_false(linebreak_allowed(en, at(en, "×")));       /* 77× */
    assert_false(linebreak_allowed(en, at(en, "0.048)")));  /* after '(' */
    assert_false(linebreak_allowed(en, at(en, ") and")));   /* before ')' */
    assert_true(linebreak_allowed(en, at(en, "(0.048")));   /* before '(' at a space */
    assert_false(linebreak_allowed(en, at(en, "oss")));     /* inside a word */
    assert_false(linebreak_allowed(en, at(en, " 9")));      /* at the space itself */
    assert_false(linebreak_allowed(en, 0));
    assert_false(linebreak_allowed(en, strlen(en)));

    const char *zh = "损失 0.052，比统计量（0.048）高 9 %：第二层「移动平均」。再";
    assert_true(linebreak_allowed(zh, at(zh, "失")));         /* between two ideographs */
    assert_true(linebreak_allowed(zh, at(zh, "0.052")));      /* at a space */
    assert_false(linebreak_allowed(zh, at(zh, "，")));        /* before ， */
    assert_true(linebreak_allowed(zh, at(zh, "比")));         /* after ， */
    assert_true(linebreak_allowed(zh, at(zh, "（")));         /* before （ */
    assert_false(linebreak_allowed(zh, at(zh, "0.048")));     /* after （ */
    assert_false(linebreak_allowed(zh, at(zh, "）")));        /* before ） */
    assert_true(linebreak_allowed(zh, at(zh, "高")));         /* after ） */
    assert_false(linebreak_allowed(zh, at(zh, "%")));         /* 9 % */
    assert_false(linebreak_allowed(zh, at(zh, "：")));        /* before ： */
    assert_false(linebreak_allowed(zh, at(zh, "移")));        /* after 「 */
    assert_false(linebreak_allowed(zh, at(zh, "」")));        /* before 」 */
    assert_false(linebreak_allowed(zh, at(zh, "。")));        /* before 。 */
    assert_true(linebreak_allowed(zh, at(zh, "再")));         /* after 。 */
    assert_false(linebreak_allowed(zh, at(zh, "失") + 1));    /* inside a UTF-8 sequence */
}

/* A monospace measure: one unit per character, two for wide (CJK) ones. */
static double mono(void *ctx, const char *s)
{
    (void)ctx;
    double w = 0;
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            w += 1;
        else if ((c & 0xC0) != 0x80)
            w += c >= 0xE1 ? 2 : 1;   /* three- and four-byte characters: U+1000 and up */
    }
    return w;
}

static bool starts_with_any(const char *s, size_t len, const char *const *set)
{
    for (int i = 0; set[i]; i++)
        if (strlen(set[i]) <= len && memcmp(s, set[i], strlen(set[i])) == 0)
            return true;
    return false;
}

static bool ends_with_any(const char *s, size_t len, const char *const *set)
{
    for (int i = 0; set[i]; i++) {
        size_t k = strlen(set[i]);
        if (k <= len && memcmp(s + len - k, set[i], k) == 0)
            return true;
    }
    return false;
}

/* Wrap text at every width in [lo, hi]: the lines put back together (one space per
 * break between non-CJK text, none otherwise, is not checked: the bytes between
 * lines must be spaces only) are the text; no line is wider than the width unless it
 * is one unbreakable piece; no line starts with closing punctuation or a unit after
 * a number, and none ends with opening punctuation. */
static void check_wrap(const char *what, const char *text, int lo, int hi)
{
    static const char *const closing[] = { "%", "，", "。", "、", "）", "」", "：", "；", "！", "？",
                                           ")",  ",",  ".",  ":",  ";",  "!",  "?", NULL };
    static const char *const opening[] = { "（", "「", "(", NULL };
    linebreak_line lines[64];
    for (int w = lo; w <= hi; w++) {
        int n = linebreak_wrap(text, w, mono, NULL, lines, 64);
        assert_true(n > 0 && n < 64);
        size_t pos = 0;
        for (int i = 0; i < n; i++) {
            const char *s = text + lines[i].start;
            size_t len = lines[i].len;
            while (pos < lines[i].start) {
                if (text[pos] != ' ')
                    fail_msg("%s at width %d: line %d drops '%c'", what, w, i, text[pos]);
                pos++;
            }
            pos += len;
            if (i > 0 && starts_with_any(s, len, closing))
                fail_msg("%s at width %d: line %d starts with closing punctuation: %.*s", what, w, i, (int)len, s);
            if (i < n - 1 && ends_with_any(s, len, opening))
                fail_msg("%s at width %d: line %d ends with opening punctuation: %.*s", what, w, i, (int)len, s);
            char piece[512];
            snprintf(piece, sizeof piece, "%.*s", (int)len, s);
            if (mono(NULL, piece) > w && w >= 24)
                fail_msg("%s at width %d: line %d is %g wide: %s", what, w, i, mono(NULL, piece), piece);
        }
        assert_true(text[pos] == '\0');
    }
}

/* Lesson 14's Chinese caption at the width the HUD gives it at 1280×720 (about 890
 * px at 16 px per ideograph: 55 wide characters) and at every other width. */
static void test_lesson_captions(void **state)
{
    (void)state;
    static const char *const lessons[] = {
        "saddle-w1w2", "saddle-escape", "batch-noise", "batch-generalization", "momentum-ball",
        "ravine-adagrad", "warmup", "adagrad-rms-decay", "adam-first-steps", "feature-scaling",
        "softmax-sigmoid", "ce-vs-mse", "batchnorm-train", "batchnorm-test",
    };
    for (size_t k = 0; k < sizeof lessons / sizeof lessons[0]; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/assets/scenes/lesson-%s.scene", LOSSCAPE_SOURCE_DIR, lessons[k]);
        scene s;
        scene_init(&s);
        diag err = { 0 };
        if (!scene_load(&s, path, &err))
            fail_msg("%s: %s", path, err.msg);
        check_wrap(lessons[k], s.caption, 24, 160);
        check_wrap(lessons[k], s.caption_zh, 24, 160);
        if (k == 13) {   /* lesson 14: "9 %" and "1 %" each on one line at 1280×720 */
            linebreak_line lines[8];
            int n = linebreak_wrap(s.caption_zh, 110, mono, NULL, lines, 8);
            assert_true(n == 3);
            for (int i = 1; i < n; i++)
                assert_true(s.caption_zh[lines[i].start] != '%');
        }
    }
}

static void test_long_words_and_blank(void **state)
{
    (void)state;
    linebreak_line l[8];
    /* a word wider than the line is broken between characters */
    assert_int_equal(linebreak_wrap("abcdefghij", 4, mono, NULL, l, 8), 3);
    assert_true(l[0].start == 0 && l[0].len == 4 && l[2].start == 8 && l[2].len == 2);
    /* a line always takes one character, even one wider than the width */
    assert_int_equal(linebreak_wrap("损失", 1, mono, NULL, l, 8), 2);
    assert_int_equal(linebreak_wrap("   ", 10, mono, NULL, l, 8), 0);
    assert_int_equal(linebreak_wrap("", 10, mono, NULL, l, 8), 0);
    /* at most max lines: the rest starts after the last one */
    assert_int_equal(linebreak_wrap("aa bb cc dd", 2, mono, NULL, l, 2), 2);
    assert_true(l[1].start == 3 && l[1].len == 2);
    /* leading and trailing spaces dropped, one line when it fits */
    assert_int_equal(linebreak_wrap("  ab cd  ", 10, mono, NULL, l, 8), 1);
    assert_true(l[0].start == 2 && l[0].len == 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_lesson_captions),
        cmocka_unit_test(test_long_words_and_blank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
