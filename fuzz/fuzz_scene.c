/*
 * fuzz_scene.c — scene_parse on arbitrary text applied to a scene_init'ed scene.
 * A scene that parses must survive scene_format → scene_parse into a fresh scene,
 * and formatting that scene again must give the same text.
 */
#include "core/scene.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* scene_load refuses larger files before parsing; do the same. */
    if (size > SCENE_MAX_FILE_BYTES)
        return 0;
    char *text = fuzz_cstr(data, size);
    scene *s = malloc(sizeof *s), *t = malloc(sizeof *t);
    FUZZ_CHECK(s && t);
    scene_init(s);
    diag err = { 0 };
    if (!scene_parse(s, text, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(err.line >= 1);
    } else {
        char *a = scene_format(s);
        FUZZ_CHECK(a != NULL);
        scene_init(t);
        diag err2 = { 0 };
        if (!scene_parse(t, a, &err2)) {
            fprintf(stderr, "scene_format's text does not read back: %d:%d: %s\n--\n%s--\n",
                    err2.line, err2.column, err2.msg, a);
            FUZZ_CHECK(!"round trip");
        }
        char *b = scene_format(t);
        FUZZ_CHECK(b != NULL);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "format(parse(format(s))) differs:\n--\n%s--\n%s--\n", a, b);
            FUZZ_CHECK(!"round trip");
        }
        free(a);
        free(b);
    }
    free(s);
    free(t);
    free(text);
    return 0;
}
