/*
 * render_target.h — the offscreen OpenGL target shared by the render tests
 * (tests/render_*.c): SDL + a hidden window + a GL 3.3 core context, and a
 * framebuffer object (RGBA8 colour, DEPTH24 depth renderbuffers) to draw into
 * and read back. Header-only (static inline), so every render_*.c test builds
 * on its own (tests/CMakeLists.txt makes one executable per render_*.c file).
 *
 * Contracts
 *     test_target_open(t, w, h)      SDL_Init(VIDEO), a hidden 64×64 window, a GL 3.3
 *                                    core context current on it, then
 *                                    test_target_resize(t, w, h). *t must be zeroed
 *                                    first. Returns 1 when ready; 0 when no context
 *                                    could be had (reason on stderr; the caller
 *                                    returns test_target_no_gl_status()); -1 when a
 *                                    context exists but the framebuffer is not
 *                                    complete or px could not be allocated (the
 *                                    caller decides: render_frame fails with 1,
 *                                    render_data applies the skip rule). Nothing is
 *                                    torn down on failure; test_target_close may
 *                                    still be called.
 *     test_target_resize(t, w, h)    (re)creates the FBO and its two renderbuffers at
 *                                    w×h, leaves the FBO bound, sets t->w, t->h and
 *                                    reallocates t->px (w·h·4 bytes). 1 if complete.
 *     test_target_read_raw(t, out)   glFinish, then the FBO's w×h RGBA pixels into out
 *                                    (w·h·4 bytes), bottom-up as GL gives them.
 *     test_target_read(t, name)      test_target_read_raw into a temporary buffer, then
 *                                    into t->px top-down (row 0 = top of the frame);
 *                                    with LOSSCAPE_RENDER_TEST_OUT=DIR it also writes
 *                                    DIR/name.png. A cmocka assertion fails the test
 *                                    if the temporary buffer cannot be allocated.
 *     test_target_draw(t, r, f, name)  binds t->fbo, gives r the frame's field(s)
 *                                    (renderer_set_field, and renderer_set_field2
 *                                    when f->field2), draws f at t->w × t->h, then
 *                                    test_target_read(t, name).
 *     test_target_pixel(t, x, y)     the RGBA of pixel (x, y) of the last frame read
 *                                    (row 0 = top); x, y inside the frame.
 *     test_target_close(t)           frees px, deletes the context and window, SDL_Quit.
 *                                    Safe on a partly opened target. The FBO goes with
 *                                    the context.
 *     test_target_should_skip()      1 if a missing GL context means "skip" (exit 77),
 *                                    0 if it means "fail" (CI=true or
 *                                    LOSSCAPE_REQUIRE_GL=1).
 *     test_target_no_gl_status()     says so on stderr; returns 77 (skip) or 1 (fail).
 *     test_target_start(t, w, h, r)  what a render test's main does first: test_target_open,
 *                                    then (r non-NULL) *r = renderer_create with the
 *                                    default settings. Returns -1 when ready, else the
 *                                    status main returns: test_target_no_gl_status()
 *                                    without a context, 1 when the framebuffer or the
 *                                    renderer could not be made.
 *     test_target_finish(t, r, rc)   renderer_destroy(r) (NULL: none), test_target_close;
 *                                    returns rc (main's status).
 *
 * The caller binds t->fbo (glBindFramebuffer) before drawing; the renderer may
 * bind other framebuffers of its own in between.
 */
#ifndef LOSSCAPE_TESTS_RENDER_TARGET_H
#define LOSSCAPE_TESTS_RENDER_TARGET_H

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "record/png.h"
#include "render/gl_util.h"
#include "render/renderer.h"

typedef struct test_target {
    SDL_Window *win;
    SDL_GLContext gl;
    GLuint fbo, rb_color, rb_depth;
    int w, h;
    unsigned char *px;   /* the last frame read, top-down RGBA, w·h·4 bytes */
} test_target;

static inline int test_target_resize(test_target *t, int w, int h)
{
    if (t->fbo) {
        glDeleteFramebuffers(1, &t->fbo);
        glDeleteRenderbuffers(1, &t->rb_color);
        glDeleteRenderbuffers(1, &t->rb_depth);
    }
    glGenFramebuffers(1, &t->fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, t->fbo);
    glGenRenderbuffers(1, &t->rb_color);
    glBindRenderbuffer(GL_RENDERBUFFER, t->rb_color);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, t->rb_color);
    glGenRenderbuffers(1, &t->rb_depth);
    glBindRenderbuffer(GL_RENDERBUFFER, t->rb_depth);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, w, h);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, t->rb_depth);
    t->w = w;
    t->h = h;
    free(t->px);
    t->px = malloc((size_t)w * h * 4);
    return glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE && t->px;
}

static inline int test_target_open(test_target *t, int w, int h)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "render test: SDL_Init: %s\n", SDL_GetError());
        return 0;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    t->win = SDL_CreateWindow("render test", 0, 0, 64, 64, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    if (!t->win) {
        fprintf(stderr, "render test: no window: %s\n", SDL_GetError());
        return 0;
    }
    t->gl = SDL_GL_CreateContext(t->win);
    if (!t->gl) {
        fprintf(stderr, "render test: no GL 3.3 core context: %s\n", SDL_GetError());
        return 0;
    }
    if (!test_target_resize(t, w, h)) {
        fprintf(stderr, "render test: %dx%d framebuffer not complete\n", w, h);
        return -1;
    }
    return 1;
}

static inline void test_target_read_raw(const test_target *t, unsigned char *out)
{
    glFinish();
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, t->w, t->h, GL_RGBA, GL_UNSIGNED_BYTE, out);
}

static inline void test_target_read(test_target *t, const char *name)
{
    size_t row = (size_t)t->w * 4;
    unsigned char *tmp = malloc(row * t->h);
    assert_non_null(tmp);
    test_target_read_raw(t, tmp);
    for (int y = 0; y < t->h; y++)
        memcpy(t->px + (size_t)y * row, tmp + (size_t)(t->h - 1 - y) * row, row);
    const char *dir = getenv("LOSSCAPE_RENDER_TEST_OUT");
    if (dir) {
        char path[1024], err[256];
        snprintf(path, sizeof path, "%s/%s.png", dir, name);
        png_write_rgba(path, t->w, t->h, tmp, 1, err, sizeof err);
    }
    free(tmp);
}

static inline void test_target_draw(test_target *t, renderer *r, const render_frame *f, const char *name)
{
    glBindFramebuffer(GL_FRAMEBUFFER, t->fbo);
    renderer_set_field(r, f->field);
    if (f->field2)
        renderer_set_field2(r, f->field2);
    renderer_draw(r, f, t->w, t->h);
    test_target_read(t, name);
}

static inline const unsigned char *test_target_pixel(const test_target *t, int x, int y)
{
    return t->px + ((size_t)y * t->w + x) * 4;
}

static inline void test_target_close(test_target *t)
{
    free(t->px);
    t->px = NULL;
    if (t->gl)
        SDL_GL_DeleteContext(t->gl);
    if (t->win)
        SDL_DestroyWindow(t->win);
    SDL_Quit();
    memset(t, 0, sizeof *t);
}

static inline int test_target_should_skip(void)
{
    const char *ci = getenv("CI"), *req = getenv("LOSSCAPE_REQUIRE_GL");
    return !((ci && strcmp(ci, "true") == 0) || (req && strcmp(req, "1") == 0));
}

static inline int test_target_no_gl_status(void)
{
    int skip = test_target_should_skip();
    fprintf(stderr, "render test: %s\n", skip ? "skipped (no GL)" : "GL required here: FAIL");
    return skip ? 77 : 1;
}

static inline int test_target_start(test_target *t, int w, int h, renderer **r)
{
    int ok = test_target_open(t, w, h);
    if (ok == 0)
        return test_target_no_gl_status();
    if (ok < 0)
        return 1;
    if (r && !(*r = renderer_create(&(renderer_desc){ 0 })))
        return 1;
    return -1;
}

static inline int test_target_finish(test_target *t, renderer *r, int rc)
{
    if (r)
        renderer_destroy(r);
    test_target_close(t);
    return rc;
}

#endif
