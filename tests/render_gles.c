/*
 * render_gles.c — the shaders as the web build compiles them: GLSL ES 3.00 on an
 * OpenGL ES 3.0 context (what WebGL2 is), through gl_util's header swap.
 *
 *   - gl_shader_es_parts: a "#version 330 core" first line becomes the ES header,
 *     the rest of the source follows unchanged; any other first line is refused;
 *   - on an ES 3.0 context (Mesa, EGL) gl_context_is_es() says so and every program
 *     the renderer builds (its five shader pairs) compiles and links;
 *   - a shader that is only valid in desktop GLSL fails there (the check can fail).
 *
 * Without an ES context the program exits 77 (ctest: skipped), unless CI=true or
 * LOSSCAPE_REQUIRE_GL=1, where it fails.
 */
#include <SDL2/SDL.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "render/gl_util.h"

static void test_parts(void **state)
{
    (void)state;
    const char *parts[2] = { NULL, NULL };
    const char *src = "#version 330 core\nlayout(location = 0) in vec2 a_pos;\n";
    assert_int_equal(gl_shader_es_parts(src, parts), 1);
    assert_string_equal(parts[0], "#version 300 es\nprecision highp float; precision highp int;");
    assert_string_equal(parts[1], "\nlayout(location = 0) in vec2 a_pos;\n");
    parts[0] = parts[1] = NULL;
    assert_int_equal(gl_shader_es_parts("#version 330 core_x\n", parts), 0);
    assert_int_equal(gl_shader_es_parts("#version 410 core\n", parts), 0);
    assert_int_equal(gl_shader_es_parts("// no version\n", parts), 0);
    assert_null(parts[0]);
}

static void test_every_program_compiles_as_es(void **state)
{
    (void)state;
    assert_int_equal(gl_context_is_es(), 1);
    static const char *const pairs[6][2] = {
        { "surface.vert", "surface2d.frag" }, { "surface.vert", "surface3d.frag" },
        { "prims.vert", "prims_fill.frag" },  { "prims.vert", "prims_mark.frag" },
        { "prims.vert", "prims_text.frag" },  { "prims.vert", "prims_disc.frag" },
    };
    for (int i = 0; i < 6; i++) {
        gl_program p = { 0 };
        if (!gl_program_build(pairs[i][0], pairs[i][1], NULL, &p))
            fail_msg("%s + %s does not build as GLSL ES 3.00", pairs[i][0], pairs[i][1]);
        gl_program_destroy(&p);
    }
}

static void test_desktop_only_shader_fails(void **state)
{
    (void)state;
    /* gl_FragColor with a user output is not GLSL ES 3.00: the compiler must say so */
    const char *src = "#version 330 core\nout vec4 o;\nvoid main() { o = vec4(1.0); gl_FragColor = o; }\n";
    const char *parts[2] = { src, "" };
    assert_int_equal(gl_shader_es_parts(src, parts), 1);
    GLuint sh = glCreateShader(GL_FRAGMENT_SHADER);
    glShaderSource(sh, 2, parts, NULL);
    glCompileShader(sh);
    GLint ok = 1;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    glDeleteShader(sh);
    assert_int_equal(ok, 0);
}

static int no_context(const char *what)
{
    fprintf(stderr, "render_gles: %s: %s\n", what, SDL_GetError());
    const char *ci = getenv("CI"), *req = getenv("LOSSCAPE_REQUIRE_GL");
    if ((ci && strcmp(ci, "true") == 0) || (req && strcmp(req, "1") == 0))
        return 1;
    fprintf(stderr, "render_gles: skipped (no OpenGL ES 3.0 context)\n");
    return 77;
}

int main(void)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return no_context("SDL_Init");
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_Window *win = SDL_CreateWindow("render_gles", 0, 0, 64, 64, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    if (!win)
        return no_context("no window");
    SDL_GLContext gl = SDL_GL_CreateContext(win);
    if (!gl)
        return no_context("no OpenGL ES 3.0 context");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_every_program_compiles_as_es),
        cmocka_unit_test(test_desktop_only_shader_fails),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return rc;
}
