/*
 * test_panels.c — the compare layout's panel labels (issue 11): a scene's
 * panel_label and compare_label (their _zh forms with --lang zh) name the two panels
 * in words; without them "this scene" and "compare: " with the raw overrides; and
 * every built-in lesson with a compare panel names both panels in both languages.
 */
#include "testutil.h"

#include <string.h>

#include "app/app.h"
#include "core/diag.h"
#include "core/scene.h"

static void set_ok(scene *s, const char *key, const char *value)
{
    diag err = { 0 };
    if (!scene_set(s, key, value, &err))
        fail_msg("scene_set(%s, '%s'): %s", key, value, err.msg);
}

static void test_labels(void **state)
{
    (void)state;
    static scene s, out;
    char label[2][160];
    diag err = { 0 };
    scene_init(&s);
    set_ok(&s, "compare", "surface=beale; lr=0.01");
    /* no labels: the defaults, whatever the language */
    assert_int_equal(app_compare_scene(&s, NULL, 0, &out, label, &err), 1);
    assert_string_equal(label[0], "this scene");
    assert_string_equal(label[1], "compare: surface=beale; lr=0.01");
    assert_string_equal(out.surface, "beale");
    /* the scene's words */
    set_ok(&s, "panel_label", "Rosenbrock");
    set_ok(&s, "compare_label", "Beale at a tenth of the rate");
    assert_int_equal(app_compare_scene(&s, NULL, 0, &out, label, &err), 1);
    assert_string_equal(label[0], "Rosenbrock");
    assert_string_equal(label[1], "Beale at a tenth of the rate");
    /* Chinese where given, else the English */
    set_ok(&s, "compare_label_zh", "Beale 函数，学习率十分之一");
    assert_int_equal(app_compare_scene(&s, NULL, 1, &out, label, &err), 1);
    assert_string_equal(label[0], "Rosenbrock");
    assert_string_equal(label[1], "Beale 函数，学习率十分之一");
    assert_int_equal(app_compare_scene(&s, NULL, 0, &out, label, &err), 1);
    assert_string_equal(label[1], "Beale at a tenth of the rate");
    /* a bad override is still an error */
    set_ok(&s, "panel_label_zh", "罗森布罗克");
    strcpy(s.compare, "surface=nonsense(");
    assert_int_equal(app_compare_scene(&s, NULL, 1, &out, label, &err), -1);
}

static void test_lessons_name_their_panels(void **state)
{
    (void)state;
    static const char *const lessons[] = {
        "saddle-w1w2", "saddle-escape", "batch-noise", "batch-generalization", "momentum-ball",
        "ravine-adagrad", "warmup", "adagrad-rms-decay", "adam-first-steps", "feature-scaling",
        "softmax-sigmoid", "ce-vs-mse", "batchnorm-train", "batchnorm-test",
    };
    int with_compare = 0;
    for (size_t k = 0; k < sizeof lessons / sizeof lessons[0]; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/assets/scenes/lesson-%s.scene", LOSSCAPE_SOURCE_DIR, lessons[k]);
        static scene s, out;
        scene_init(&s);
        diag err = { 0 };
        if (!scene_load(&s, path, &err))
            fail_msg("%s: %s", path, err.msg);
        if (!s.compare[0])
            continue;
        with_compare++;
        char en[2][160], zh[2][160];
        assert_int_equal(app_compare_scene(&s, NULL, 0, &out, en, &err), 1);
        assert_int_equal(app_compare_scene(&s, NULL, 1, &out, zh, &err), 1);
        for (int i = 0; i < 2; i++) {
            fprintf(stderr, "lesson-%s panel %d: '%s' / '%s'\n", lessons[k], i + 1, en[i], zh[i]);
            if (strstr(en[i], s.compare) || strstr(en[i], "compare: ") || strcmp(en[i], "this scene") == 0)
                fail_msg("lesson-%s: panel %d is labelled '%s', not in words", lessons[k], i + 1, en[i]);
            if (strcmp(en[i], zh[i]) == 0)
                fail_msg("lesson-%s: panel %d has no Chinese label", lessons[k], i + 1);
        }
    }
    assert_true(with_compare >= 5);   /* lessons 10 to 14 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_lessons_name_their_panels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
