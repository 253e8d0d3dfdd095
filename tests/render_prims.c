/*
 * render_prims.c — the primitive batch's GL uploads (render/prims.c).
 *
 *   - flushing a batch with an empty class (only fills: no marks, no glyphs) issues
 *     no zero-sized glBufferSubData. GL allows one, but WebGL2 (Emscripten) reads a
 *     length of 0 as "to the end of the source" and reports a buffer overflow on
 *     every frame; each non-empty class is still uploaded, in order, with its size.
 *
 * The test links with -Wl,--wrap=glBufferSubData (tests/CMakeLists.txt), so every
 * call from prims.c is seen here before it reaches the driver. Without a GL context
 * the program exits 77 (ctest: skipped), unless CI=true or LOSSCAPE_REQUIRE_GL=1.
 */
#include <stdint.h>

#include "render_target.h"
#include "testutil.h"

#include "render/prims.h"

static int n_calls, n_empty;
static GLsizeiptr sizes[16];

void __real_glBufferSubData(GLenum target, GLintptr offset, GLsizeiptr size, const void *data);
void __wrap_glBufferSubData(GLenum target, GLintptr offset, GLsizeiptr size, const void *data);
void __wrap_glBufferSubData(GLenum target, GLintptr offset, GLsizeiptr size, const void *data)
{
    if (n_calls < 16)
        sizes[n_calls] = size;
    n_calls++;
    if (size == 0)
        n_empty++;
    __real_glBufferSubData(target, offset, size, data);
}

static test_target T;

static void test_empty_class_not_uploaded(void **state)
{
    (void)state;
    prims *p = prims_create();
    assert_non_null(p);
    gl_program none[4] = { { 0 }, { 0 }, { 0 }, { 0 } };   /* no programs: uploads only, no draws */
    prims_rect(p, 10, 10, 20, 20, RGBA(255, 0, 0, 255));   /* class 0 only: 6 indices */
    n_calls = n_empty = 0;
    prims_flush(p, none, (gl_texture){ 0 }, T.w, T.h, 0);
    assert_int_equal(n_empty, 0);
    assert_int_equal(n_calls, 1);
    assert_int_equal((int)sizes[0], 6 * (int)sizeof(uint32_t));

    prims_rect(p, 10, 10, 20, 20, RGBA(255, 0, 0, 255));
    prims_mark(p, 30, 30, 0, 4, PRIM_DISC, RGBA(0, 255, 0, 255));   /* classes 0 and 1 */
    n_calls = n_empty = 0;
    prims_flush(p, none, (gl_texture){ 0 }, T.w, T.h, 0);
    assert_int_equal(n_empty, 0);
    assert_int_equal(n_calls, 2);
    assert_int_equal(glGetError(), GL_NO_ERROR);
    prims_destroy(p);
}

int main(void)
{
    int st = test_target_start(&T, 64, 64, NULL);
    if (st >= 0)
        return st;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_class_not_uploaded),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    return test_target_finish(&T, NULL, rc);
}
